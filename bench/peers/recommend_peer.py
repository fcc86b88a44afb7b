#!/usr/bin/python3
"""The Python peer: musicdna.v1 Recommend served by the study's own stack (Debian python3-grpcio + python3-faiss).

It serves the same vectors as MusicDna: it reads the catalogue SQLite file MusicDna wrote (tracks and the newest
model's stored latents), L2-normalises the latents and puts them in a FAISS IndexFlatIP (inner product of unit
vectors = cosine, exactly MusicDna's index), with faiss.omp_set_num_threads(1) as MusicDna's SearchThreads=1.
Metadata stays in memory (as MusicDna's TrackTable does) and each response builds its Track messages.

Recommend answers a `track_id` seed with `k` (default 10): the seed's stored vector is the query, the seed itself is
skipped, then k `recommendation` messages stream, best first, and one `end`. Other seeds, filters and re-ranks
are not implemented (UNIMPLEMENTED): the benchmark's request uses none of them.

torch is not imported here: a catalogue seed needs no encoder (its latent is stored), so the peer, like MusicDna
for this request, never runs the model. The training comparison (train_torch.py) is where torch is measured.

Usage: /usr/bin/python3 recommend_peer.py --db catalogue.db --port 50071 [--workers 16]
"""
import argparse
import json
import os
import signal
import sqlite3
import sys
import threading
from concurrent import futures

import faiss
import grpc
import numpy as np

_ROOT = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(_ROOT, "..", "..", "clients", "python", "musicdna_client", "_generated"))
from musicdna.v1 import musicdna_pb2 as pb  # noqa: E402
from musicdna.v1 import musicdna_pb2_grpc as pb_grpc  # noqa: E402

FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo", "time_signature"]
MAX_K = 1000


class Catalogue:
    """Every track with a vector under the newest model: metadata rows, unit vectors, and the FAISS index."""

    def __init__(self, path):
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.model_version = connection.execute("SELECT max(model_version) FROM embeddings").fetchone()[0]
        if self.model_version is None:
            raise SystemExit(f"{path} holds no embeddings: train a model first")
        rows = connection.execute(
            "SELECT t.track_id, t.name, t.artists, t.album, t.genre, t.popularity, t.explicit, t.duration_ms, "
            + ", ".join("t." + f for f in FEATURES) + ", e.vector FROM tracks t JOIN embeddings e "
            "ON e.track_rowid = t.id WHERE e.model_version = ? ORDER BY t.id", (self.model_version,)).fetchall()
        connection.close()
        self.rows = [row[:-1] for row in rows]
        self.position = {row[0]: i for i, row in enumerate(rows)}
        vectors = np.frombuffer(b"".join(row[-1] for row in rows), dtype="<f4").reshape(len(rows), -1).copy()
        faiss.normalize_L2(vectors)
        self.vectors = vectors
        self.index = faiss.IndexFlatIP(vectors.shape[1])
        self.index.add(vectors)

    def track(self, position):
        row = self.rows[position]
        features = pb.AudioFeatures(**{name: row[8 + i] for i, name in enumerate(FEATURES)})
        return pb.Track(track_id=row[0], name=row[1], artists=json.loads(row[2]), album=row[3], genre=row[4],
                        popularity=row[5], explicit=bool(row[6]), duration_ms=row[7], features=features)


class Peer(pb_grpc.MusicDnaServiceServicer):
    def __init__(self, catalogue):
        self.catalogue = catalogue

    def Recommend(self, request, context):
        if request.WhichOneof("seed") != "track_id" or request.seeds or request.HasField("filter"):
            context.abort(grpc.StatusCode.UNIMPLEMENTED, "the peer serves a single track_id seed only")
        k = request.k or 10
        if not 1 <= k <= MAX_K:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "k must be in 1..1000")
        seed = self.catalogue.position.get(request.track_id)
        if seed is None:
            context.abort(grpc.StatusCode.NOT_FOUND, f"unknown track_id {request.track_id}")
        # One more than k: the seed finds itself first, and a seed is never recommended.
        scores, positions = self.catalogue.index.search(self.catalogue.vectors[seed:seed + 1], k + 1)
        rank = 0
        for score, position in zip(scores[0], positions[0]):
            if position < 0 or position == seed or rank == k:
                continue
            rank += 1
            yield pb.RecommendResponse(recommendation=pb.Recommendation(
                rank=rank, score=float(score), ranking_score=float(score), track=self.catalogue.track(position)))
        yield pb.RecommendResponse(end=pb.RecommendEnd(
            model_version=self.catalogue.model_version, returned=rank, exhausted=False,
            candidates_examined=self.catalogue.index.ntotal))


# On SIGTERM the peer refuses new calls and gives those in flight this long to finish before cancelling them.
STOP_GRACE_S = 2
# And this much longer for the server to report it has stopped before the process exits regardless.
STOP_TIMEOUT_S = 10


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=16)
    arguments = parser.parse_args()

    faiss.omp_set_num_threads(1)
    catalogue = Catalogue(arguments.db)
    # Installed before the server starts, so a SIGTERM sent once the peer serves always finds it. It only sets a flag:
    # the main thread does the stopping.
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    executor = futures.ThreadPoolExecutor(max_workers=arguments.workers)
    server = grpc.server(executor)
    pb_grpc.add_MusicDnaServiceServicer_to_server(Peer(catalogue), server)
    server.add_insecure_port(f"127.0.0.1:{arguments.port}")
    server.start()
    print(f"peer: serving {catalogue.index.ntotal} tracks of model {catalogue.model_version} on {arguments.port}",
          flush=True)
    # With a timeout: the handler runs in the main thread, and a signal that another thread received never wakes an
    # untimed wait (grpc/grpc#19464), which left the peer hanging on SIGTERM.
    while not stop.wait(timeout=0.2):
        pass

    # Wait for the server to stop before main returns: grpc still hands calls that arrived just before the stop to the
    # executor, and once the interpreter is exiting that fails ("cannot schedule new futures after shutdown"), which
    # killed grpc's serving thread and left the process hanging. No executor use after this point.
    if not server.stop(STOP_GRACE_S).wait(STOP_GRACE_S + STOP_TIMEOUT_S):
        print(f"peer: the server did not stop within {STOP_GRACE_S + STOP_TIMEOUT_S} s; exiting anyway",
              file=sys.stderr, flush=True)
        os._exit(1)
    executor.shutdown(wait=True)
    print("peer: stopped", flush=True)


if __name__ == "__main__":
    main()

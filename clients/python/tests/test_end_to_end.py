"""End to end from Python: the real server, the generated client, every RPC (unittest, stdlib only)."""
import csv
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

import grpc

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
from musicdna_client import MusicDnaClient, pb  # noqa: E402

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
SERVER = os.path.join(REPO, "src", "MusicDna.Server", "bin", "Release", "net10.0", "MusicDna.Server.dll")
SAMPLE = os.path.join(REPO, "src", "MusicDna.Server", "seed", "spotify_tracks_sample.csv")
FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo", "time_signature"]


def sample_tracks(count):
    with open(SAMPLE, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[:count]
    return [pb.Track(
        track_id=r["track_id"], name=r["track_name"], artists=[a for a in r["artists"].split(";") if a],
        album=r["album_name"], genre=r["track_genre"], popularity=int(r["popularity"]),
        explicit=r["explicit"] == "True", duration_ms=int(r["duration_ms"]),
        features=pb.AudioFeatures(**{name: float(r[name]) for name in FEATURES})) for r in rows]


class EndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.data = tempfile.mkdtemp(prefix="musicdna-py-")
        cls.server = subprocess.Popen(
            ["dotnet", SERVER, f"--MusicDna:DataDirectory={cls.data}", "--MusicDna:Bootstrap:CatalogueCsv=",
             "--MusicDna:Bootstrap:TrainWhenNoModel=false", "--MusicDna:Auth:Mode=Disabled",
             "--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:0"],
            stdout=subprocess.PIPE, text=True)
        address = None
        for line in cls.server.stdout:  # bounded: the server prints this line within seconds or exits
            match = re.search(r"Now listening on: http://([\d.]+:\d+)", line)
            if match:
                address = match.group(1)
                break
        if address is None:
            raise RuntimeError("the server exited before listening")
        threading.Thread(target=lambda: cls.server.stdout.read(), daemon=True).start()
        cls.client = MusicDnaClient(address)
        cls.tracks = sample_tracks(300)
        cls.summary = cls.client.ingest(cls.tracks, batch_size=64)
        cls.events = list(cls.client.train(epochs=3, seed=3))

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.server.terminate()
        cls.server.wait(timeout=30)
        shutil.rmtree(cls.data, ignore_errors=True)

    def test_ingest_counts_every_row_as_inserted(self):
        self.assertEqual((300, 300, 0), (self.summary.received, self.summary.inserted, self.summary.rejected))

    def test_train_streams_each_epoch_then_the_published_model(self):
        self.assertEqual([1, 2, 3], [e.epoch for e in self.events[:-1]])
        model = self.events[-1]
        self.assertIsInstance(model, pb.ModelSummary)
        self.assertEqual((1, 300, 6), (model.model_version, model.tracks_indexed, model.latent_size))
        self.assertTrue(0 < model.test_mse < 0.5)

    def test_embed_returns_a_6d_vector_per_track(self):
        response = self.client.embed([t.features for t in self.tracks[:3]])
        self.assertEqual(1, response.model_version)
        self.assertEqual([6, 6, 6], [len(e.values) for e in response.embeddings])
        self.assertTrue(all(math.isfinite(v) for e in response.embeddings for v in e.values))

    def test_recommend_streams_k_tracks_best_first_without_the_seed(self):
        seed = self.tracks[20].track_id
        feed = self.client.recommend(track_id=seed, k=8)
        scores = [r.score for r in feed.items]
        self.assertEqual(8, len(feed.items))
        self.assertEqual(8, feed.end.returned)
        self.assertNotIn(seed, [r.track.track_id for r in feed.items])
        self.assertEqual(sorted(scores, reverse=True), scores)

    def test_recommend_from_an_unknown_track_is_not_found(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.recommend(track_id="no-such-track")
        self.assertEqual(grpc.StatusCode.NOT_FOUND, caught.exception.code())

    def test_an_out_of_range_feature_is_invalid_argument_naming_the_field(self):
        bad = pb.AudioFeatures()
        bad.CopyFrom(self.tracks[0].features)
        bad.valence = 2.0
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.embed([bad])
        self.assertEqual(grpc.StatusCode.INVALID_ARGUMENT, caught.exception.code())
        self.assertIn("features[0].valence", caught.exception.details())


if __name__ == "__main__":
    unittest.main()

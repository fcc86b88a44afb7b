"""How well a 2-d map keeps each track's latent neighbours beside it: the served sonic map against PCA-2d.

Usage: /usr/bin/python3 docs/experiments/explorer-map-neighbours.py ADDRESS CSV  (a server with a trained model and the
CSV ingested, authentication off). For 1,000 seeded tracks: the share of their 10 nearest latent neighbours (cosine,
the index's similarity) that are among their 10 nearest points on the map, and the same for PCA-2d of the unit
latents. Also prints the GetSonicMap stream's size on the wire (serialised messages).
"""
import csv
import sys
import os
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "clients", "python"))
from musicdna_client import MusicDnaClient, pb  # noqa: E402

FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo", "time_signature"]

address, path = sys.argv[1], sys.argv[2]
rows = {}
with open(path, newline="", encoding="utf-8") as f:
    for r in csv.DictReader(f):
        rows[r["track_id"]] = r  # last row wins, as BulkIngest

with MusicDnaClient(address) as client:
    wire = sum(m.ByteSize() for m in client._stub.GetSonicMap(pb.GetSonicMapRequest()))
    sonic = client.get_sonic_map()
    ids = sonic.track_ids
    vectors = []
    for start in range(0, len(ids), 1000):
        batch = [pb.AudioFeatures(**{n: float(rows[i][n]) for n in FEATURES}) for i in ids[start:start + 1000]]
        vectors.extend(list(e.values) for e in client.embed(batch).embeddings)

latent = np.asarray(vectors, dtype=np.float64)
latent /= np.linalg.norm(latent, axis=1, keepdims=True)
layout = np.column_stack([sonic.x, sonic.y])
centred = latent - latent.mean(axis=0)
_, _, axes = np.linalg.svd(centred, full_matrices=False)
pca = centred @ axes[:2].T

rng = np.random.default_rng(42)
queries = rng.choice(len(ids), size=1000, replace=False)
k = 10
kept_layout = kept_pca = 0
for q in queries:
    cos = latent @ latent[q]
    cos[q] = -np.inf
    truth = set(np.argpartition(-cos, k)[:k])
    for coords, name in ((layout, "layout"), (pca, "pca")):
        d = ((coords - coords[q]) ** 2).sum(axis=1)
        d[q] = np.inf
        near = set(np.argpartition(d, k)[:k])
        if name == "layout":
            kept_layout += len(truth & near)
        else:
            kept_pca += len(truth & near)

print(f"tracks {len(ids)}; GetSonicMap on the wire {wire:,} bytes ({wire / len(ids):.1f} per track)")
print(f"10-NN kept on the map: sonic map ({sonic.header.layout}) {kept_layout / (k * len(queries)):.1%}, "
      f"PCA-2d {kept_pca / (k * len(queries)):.1%} (chance {k / len(ids):.3%})")

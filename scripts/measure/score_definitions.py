#!/usr/bin/python3
"""Which similarity number should Recommend report? Compares candidate definitions on the served model.

Embeds every track of a Spotify-format CSV through a running server (Embed), then, for seeded query tracks, looks
at the score each definition gives the 1st, 10th and 100th nearest track, and at a random pair of tracks. Also the
genre agreement@10 of the neighbourhoods each definition ranks by (the monotone ones rank exactly as the raw
cosine). Prints one Markdown table. Used for docs/recommend.md; Debian's /usr/bin/python3 with numpy.

    scripts/measure/score_definitions.py --address 127.0.0.1:50771 --csv /work/shared/data/spotify_tracks.csv
"""
import argparse
import csv
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "clients", "python"))
from musicdna_client import MusicDnaClient, pb  # noqa: E402

FEATURES = ["danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
            "instrumentalness", "liveness", "valence", "tempo", "time_signature"]


def load(path):
    rows = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            rows[row["track_id"]] = row  # last row of a repeated id wins, as in the catalogue
    return list(rows.values())


def embed_all(client, rows):
    out = []
    for start in range(0, len(rows), 1000):
        batch = [pb.AudioFeatures(**{n: float(r[n]) for n in FEATURES}) for r in rows[start:start + 1000]]
        out.extend(list(e.values) for e in client.embed(batch).embeddings)
    return np.asarray(out, dtype=np.float64)


def unit(m):
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--address", required=True)
    p.add_argument("--csv", required=True)
    p.add_argument("--queries", type=int, default=500)
    p.add_argument("--pairs", type=int, default=200_000)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    rows = load(a.csv)
    with MusicDnaClient(a.address) as client:
        latents = embed_all(client, rows)
    genres = np.asarray([r["track_genre"] for r in rows])
    raw = unit(latents)
    centred = unit(latents - latents.mean(axis=0))
    rng = np.random.default_rng(a.seed)
    i, j = rng.integers(0, len(rows), a.pairs), rng.integers(0, len(rows), a.pairs)
    keep = i != j
    pair_cos = np.einsum("ij,ij->i", raw[i[keep]], raw[j[keep]])
    pair_centred = np.einsum("ij,ij->i", centred[i[keep]], centred[j[keep]])
    theta_median = float(np.median(np.arccos(np.clip(pair_cos, -1, 1))))
    sorted_pairs = np.sort(pair_cos)

    definitions = {
        "raw cosine (today)": lambda c: c,
        "percentile among random pairs": lambda c: np.searchsorted(sorted_pairs, c) / len(sorted_pairs),
        "angular: 1 − θ/θ_median": lambda c: 1 - np.arccos(np.clip(c, -1, 1)) / theta_median,
    }
    queries = rng.choice(len(rows), a.queries, replace=False)
    at = {name: {1: [], 10: [], 100: []} for name in list(definitions) + ["centred cosine"]}
    agreement = {"raw": [], "centred": []}
    for q in queries:
        for space, vectors, label in (("raw", raw, None), ("centred", centred, "centred cosine")):
            cos = vectors @ vectors[q]
            cos[q] = -np.inf
            top = np.argpartition(-cos, 100)[:100]
            top = top[np.argsort(-cos[top])]
            agreement[space].append(np.mean(genres[top[:10]] == genres[q]))
            if label:
                for r in (1, 10, 100):
                    at[label][r].append(cos[top[r - 1]])
            else:
                for name, f in definitions.items():
                    for r in (1, 10, 100):
                        at[name][r].append(float(f(cos[top[r - 1]])))
    print(f"{len(rows):,} tracks, {a.queries} seeded queries (seed {a.seed}), {keep.sum():,} random pairs; "
          f"θ_median = {theta_median:.4f} rad ({np.degrees(theta_median):.2f}°)")
    print(f"genre agreement@10: raw cosine {np.mean(agreement['raw']):.1%}, centred cosine {np.mean(agreement['centred']):.1%}")
    print()
    print("| definition | rank 1 | rank 10 | rank 100 | rank 1 − rank 10 | median random pair | 5th pct random pair |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name in at:
        f = definitions.get(name)
        pairs = pair_centred if f is None else f(pair_cos)
        med = lambda r: float(np.median(at[name][r]))
        print(f"| {name} | {med(1):.4f} | {med(10):.4f} | {med(100):.4f} | {med(1) - med(10):.4f} | "
              f"{float(np.median(pairs)):.4f} | {float(np.percentile(pairs, 5)):.4f} |")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The long-tail trade-off, measured: mean score and popularity of k-row feeds for several popularity penalties.

For seeded seed tracks of a Spotify-format CSV (the catalogue the server holds), asks a running server for a plain
feed and for long-tail feeds at each penalty, and prints one Markdown table: mean `score` of the rows, mean
popularity, the share of rows with popularity 0, and how many of the plain feed's rows stay. Used for
docs/recommend.md; Debian's /usr/bin/python3.

    scripts/measure/long_tail_table.py --address 127.0.0.1:50772 --csv /work/shared/data/spotify_tracks.csv
"""
import argparse
import csv
import os
import random
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "clients", "python"))
from musicdna_client import MusicDnaClient  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--address", required=True)
    p.add_argument("--csv", required=True)
    p.add_argument("--seeds", type=int, default=200)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--penalties", default="0.05,0.1,0.2,0.3,0.5,1.0")
    a = p.parse_args()
    with open(a.csv, newline="") as f:
        ids = sorted({row["track_id"] for row in csv.DictReader(f)})
    seeds = random.Random(a.seed).sample(ids, a.seeds)
    penalties = [None] + [float(x) for x in a.penalties.split(",")]
    rows = {}
    with MusicDnaClient(a.address) as client:
        for penalty in penalties:
            feeds = []
            for seed in seeds:
                options = {} if penalty is None else {"long_tail": True, "popularity_penalty": penalty}
                feeds.append(client.recommend(track_id=seed, k=a.k, **options).items)
            rows[penalty] = feeds
    plain = [{r.track.track_id for r in feed} for feed in rows[None]]
    last = statistics.mean(feed[-1].score for feed in rows[None] if feed)
    print(f"{len(seeds)} seeded seed tracks (seed {a.seed}), k = {a.k}, one feed per seed and penalty; "
          f"the plain feeds' last rows score {last:.3f} on average")
    print()
    print("| penalty | mean score | mean popularity | popularity 0 | rows kept from the plain feed |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for penalty, feeds in rows.items():
        items = [r for feed in feeds for r in feed]
        kept = statistics.mean(len(plain[i] & {r.track.track_id for r in feed}) / max(1, len(feed)) for i, feed in enumerate(feeds))
        label = "plain (no long tail)" if penalty is None else f"{penalty:g}"
        print(f"| {label} | {statistics.mean(r.score for r in items):.3f} | {statistics.mean(r.track.popularity for r in items):.1f} | "
              f"{sum(r.track.popularity == 0 for r in items) / len(items):.0%} | {kept:.0%} |")


if __name__ == "__main__":
    main()

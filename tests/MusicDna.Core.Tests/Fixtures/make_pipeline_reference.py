#!/usr/bin/python3
"""Reference values for FeaturePipelineFixtureTests, computed by scikit-learn itself.

Run with Debian's Python, which has scikit-learn (the python3 first on PATH may not):

    /usr/bin/python3 tests/MusicDna.Core.Tests/Fixtures/make_pipeline_reference.py
        reads pipeline_fixture.csv beside this script, writes pipeline_reference.json beside it.

    /usr/bin/python3 tests/MusicDna.Core.Tests/Fixtures/make_pipeline_reference.py --resample ../shared/data/spotify_tracks.csv
        first draws pipeline_fixture.csv again from the full dataset (same seed, same rows), then as above.
"""
import argparse
import csv
import json
import random
from pathlib import Path

import numpy as np
import sklearn
from sklearn.preprocessing import MinMaxScaler, PowerTransformer

FEATURES = [
    "danceability", "energy", "key", "loudness", "mode", "speechiness",
    "acousticness", "instrumentalness", "liveness", "valence", "tempo", "time_signature",
]
SEED = 20240611
GENRES = 100
PER_GENRE = 3
HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "pipeline_fixture.csv"
REFERENCE = HERE / "pipeline_reference.json"


def resample(dataset: Path) -> None:
    """3 distinct tracks from each of 100 seeded-chosen genres; a track id is never drawn twice."""
    by_genre: dict[str, list[dict[str, str]]] = {}
    with dataset.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            by_genre.setdefault(row["track_genre"], []).append(row)
    rng = random.Random(SEED)
    genres = rng.sample(sorted(by_genre), GENRES)
    taken: set[str] = set()
    rows = []
    for genre in genres:
        candidates = [r for r in by_genre[genre] if r["track_id"] not in taken]
        for row in rng.sample(candidates, PER_GENRE):
            taken.add(row["track_id"])
            rows.append(row)
    with FIXTURE.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["track_id", *FEATURES])
        for row in rows:
            writer.writerow([row["track_id"], *(row[name] for name in FEATURES)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resample", type=Path, help="spotify_tracks.csv to draw the fixture rows from again")
    args = parser.parse_args()
    if args.resample:
        resample(args.resample)

    with FIXTURE.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    x = np.array([[float(row[name]) for name in FEATURES] for row in rows], dtype=np.float64)

    power = PowerTransformer(method="yeo-johnson", standardize=True)
    standardised = power.fit_transform(x)
    minmax = MinMaxScaler()
    scaled = minmax.fit_transform(standardised)

    reference = {
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "feature_names": FEATURES,
        "lambdas": power.lambdas_.tolist(),
        "means": power._scaler.mean_.tolist(),
        "scales": power._scaler.scale_.tolist(),
        "mins": minmax.data_min_.tolist(),
        "maxs": minmax.data_max_.tolist(),
        "track_ids": [row["track_id"] for row in rows],
        "transformed": scaled.tolist(),
    }
    with REFERENCE.open("w", encoding="utf-8") as f:
        json.dump(reference, f, indent=1)
        f.write("\n")
    print(f"{len(rows)} rows, sklearn {sklearn.__version__}: wrote {REFERENCE.name}")


if __name__ == "__main__":
    main()

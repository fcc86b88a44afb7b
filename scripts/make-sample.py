#!/usr/bin/python3
"""Draw the embedded default catalogue from the Spotify Tracks dataset.

    /usr/bin/python3 scripts/make-sample.py [path/to/spotify_tracks.csv]

The path defaults to ../shared/data/spotify_tracks.csv relative to the repository root. Writes
src/MusicDna.Server/seed/spotify_tracks_sample.csv in the dataset's own format (same header, columns and quoting).
Standard library only.

Each track id appears once: the dataset lists many tracks under several genres (24,259 repeated rows). Keeping
only each id's first row before sampling would empty the 'songwriter' genre, whose 1,000 tracks all appear earlier
under other genres, so instead genres are taken in file order and each draws 43 tracks from its own rows whose ids
no earlier genre has drawn. Rows are written in the dataset's order.
"""
import csv
import hashlib
import random
import sys
from pathlib import Path

SEED = 20240611
PER_GENRE = 43
MAX_ROWS = 5_000
PUBLISHED_SHA256 = "b202fa49909b2d5cef71a04b1d21243cfeb36414535f2ca9272aa646721177bd"
REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "src" / "MusicDna.Server" / "seed" / "spotify_tracks_sample.csv"


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / ".." / "shared" / "data" / "spotify_tracks.csv"
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    if digest != PUBLISHED_SHA256:
        print(f"warning: {source} has sha256 {digest}, not the published file's", file=sys.stderr)

    with source.open(newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    id_at = header.index("track_id")
    genre_at = header.index("track_genre")

    by_genre: dict[str, list[int]] = {}
    for position, row in enumerate(rows):
        by_genre.setdefault(row[genre_at], []).append(position)

    rng = random.Random(SEED)
    taken_ids: set[str] = set()
    chosen: list[int] = []
    for genre, positions in by_genre.items():
        first_by_id: dict[str, int] = {}
        for position in positions:
            track_id = rows[position][id_at]
            if track_id not in taken_ids:
                first_by_id.setdefault(track_id, position)
        picked = rng.sample(sorted(first_by_id.values()), min(PER_GENRE, len(first_by_id)))
        chosen.extend(picked)
        taken_ids.update(rows[p][id_at] for p in picked)

    if len(chosen) > MAX_ROWS:
        sys.exit(f"{len(chosen)} rows is more than the {MAX_ROWS} the repository may carry")

    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows[p] for p in sorted(chosen))
    print(f"{len(chosen)} tracks in {len(by_genre)} genres from {source} (sha256 {digest}) -> {OUTPUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()

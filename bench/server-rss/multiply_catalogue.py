# A larger catalogue for the RSS measurement without ingesting it through the server: copies a measured work
# directory (measure.py's, whose model is trained and whose tracks have vectors and map positions) and adds
# FACTOR - 1 copies of every track straight into its SQLite file, each with a new row id and track id, the name
# suffixed " #k", a song id of its own per copy (the source's with its last 4 hex digits replaced by k, so the
# copies of one song stay versions of one song, as in the source), and the source's stored vector and map position
# under the model. The word index (FTS5) is not given the copies: SearchTracks finds only the source's tracks.
# The saved index and track table files are removed, so the first start builds both over all the tracks.
# Usage: /usr/bin/python3 multiply_catalogue.py FROM_WORKDIR TO_WORKDIR FACTOR
import os, shutil, sqlite3, sys, time

source = os.path.join(os.path.abspath(sys.argv[1]), "data")
target = os.path.join(os.path.abspath(sys.argv[2]), "data")
factor = int(sys.argv[3])
if os.path.exists(target):
    sys.exit(f"{target} exists")
shutil.copytree(source, target, ignore=shutil.ignore_patterns("index.json", "index.faiss", "tracks.json", "tracks.table", "*-wal", "*-shm"))

t0 = time.time()
db = sqlite3.connect(os.path.join(target, "catalogue.db"), isolation_level=None)
db.execute("PRAGMA journal_mode = DELETE")
db.execute("PRAGMA synchronous = OFF")
db.execute("PRAGMA cache_size = -1000000")
count, top = db.execute("SELECT count(*), max(id) FROM tracks").fetchone()
(version,) = db.execute("SELECT max(model_version) FROM embeddings").fetchone()
trigger = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'tracks_search_insert'").fetchone()[0]
columns = [r[1] for r in db.execute("PRAGMA table_info(tracks)")]
copied = [c for c in columns if c not in ("id", "track_id", "name", "song_id")]
db.execute("BEGIN")
db.execute("DROP TRIGGER tracks_search_insert")
for k in range(1, factor):
    shift = k * top
    db.execute(
        f"INSERT INTO tracks (id, track_id, name, song_id, {', '.join(copied)}) "
        f"SELECT id + {shift}, 'syn' || printf('%021d', id - 1 + {shift}), name || ' #{k}', "
        f"substr(song_id, 1, 28) || printf('%04x', {k}), {', '.join(copied)} FROM tracks WHERE id <= {top} ORDER BY id")
    db.execute(
        f"INSERT INTO embeddings (model_version, track_rowid, vector) SELECT model_version, track_rowid + {shift}, vector "
        f"FROM embeddings WHERE model_version = {version} AND track_rowid <= {top} ORDER BY track_rowid")
    db.execute(
        f"INSERT INTO map_positions (model_version, track_rowid, x, y) SELECT model_version, track_rowid + {shift}, x, y "
        f"FROM map_positions WHERE model_version = {version} AND track_rowid <= {top} ORDER BY track_rowid")
    print(f"copy {k}: {time.time() - t0:.0f} s", flush=True)
db.execute(trigger)
db.execute("COMMIT")
db.execute("PRAGMA journal_mode = WAL")
print(f"{target}: {db.execute('SELECT count(*) FROM tracks').fetchone()[0]} tracks in {time.time() - t0:.0f} s", flush=True)
db.close()

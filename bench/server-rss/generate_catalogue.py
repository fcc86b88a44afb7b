# A synthetic catalogue CSV for the server RSS measurement (docs/index.md, "Memory"): N rows drawn at random
# (seeded) from the real Spotify CSV, with small Gaussian noise on the continuous features and new track ids.
# Usage: /usr/bin/python3 generate_catalogue.py N OUT.csv [REAL.csv]
import csv, random, sys
n = int(sys.argv[1]); out = sys.argv[2]
real = sys.argv[3] if len(sys.argv) > 3 else '../shared/data/spotify_tracks.csv'
random.seed(42)
with open(real, newline='') as f:
    rows = list(csv.DictReader(f))
fields = ['', 'track_id', 'artists', 'album_name', 'track_name', 'popularity', 'duration_ms', 'explicit', 'danceability', 'energy', 'key', 'loudness', 'mode', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo', 'time_signature', 'track_genre']
unit = ['danceability', 'energy', 'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence']
with open(out, 'w', newline='') as f:
    w = csv.DictWriter(f, fieldnames=fields)
    w.writeheader()
    for i in range(n):
        r = dict(random.choice(rows))
        r[''] = str(i)
        r['track_id'] = 'syn%021d' % i
        for u in unit:
            r[u] = '%.4f' % min(1.0, max(0.0, float(r[u]) + random.gauss(0, 0.02)))
        r['tempo'] = '%.3f' % min(250.0, max(1.0, float(r['tempo']) + random.gauss(0, 2)))
        r['loudness'] = '%.3f' % min(0.0, max(-60.0, float(r['loudness']) + random.gauss(0, 0.5)))
        w.writerow(r)

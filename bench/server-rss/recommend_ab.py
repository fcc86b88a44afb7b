# Recommend's per-call cost through two or more builds of the server, side by side in one session: each build serves
# WORKDIR/data (prepared by measure.py) in turn, round after round, and h2load (c=1, one call in flight) sends
# Recommend k=10 for one seed, plain and with a genre filter (the seed's genre, which takes the strict-filter path).
# Usage (repository root): /usr/bin/python3 bench/server-rss/recommend_ab.py WORKDIR SECONDS ROUNDS NAME=DLL [NAME=DLL ...]
import csv, os, re, signal, socket, struct, subprocess, sys, time
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "clients", "python"))
from musicdna_client import pb
SEED = REPO + "/src/MusicDna.Server/seed/spotify_tracks_sample.csv"

def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def start(data, dll):
    g, m = port(), port()
    log = open(data + ".log", "a")
    args = ["dotnet", dll, f"--MusicDna:DataDirectory={data}", f"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{g}",
            f"--Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:{m}", "--MusicDna:Auth:Mode=Disabled",
            "--MusicDna:Bootstrap:TrainWhenNoModel=false"]
    return subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=REPO), g

def wait_log(data, text, since):
    while True:
        with open(data + ".log") as f:
            if text in f.read()[since:]:
                return
        time.sleep(0.2)

def loglen(data):
    return os.path.getsize(data + ".log")

work, seconds, rounds = os.path.abspath(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
builds = [a.split("=", 1) for a in sys.argv[4:]]
data = os.path.join(work, "data")
with open(SEED, newline="") as f:
    first = next(csv.DictReader(f))
bodies = {}
for name, request in [("plain", pb.RecommendRequest(track_id=first["track_id"], k=10)),
                      ("genre", pb.RecommendRequest(track_id=first["track_id"], k=10,
                                                    filter=pb.RecommendFilter(include_genres=[first["track_genre"]])))]:
    path = os.path.join(work, f"recommend-{name}.bin")
    payload = request.SerializeToString()
    with open(path, "wb") as f:
        f.write(struct.pack(">BI", 0, len(payload)) + payload)
    bodies[name] = path

def h2load(port, body, duration):
    out = subprocess.run(["h2load", "-c", "1", "-m", "1", "-t", "1", "-D", str(duration), "-d", body,
                          "-H", "content-type: application/grpc", "-H", "te: trailers",
                          f"http://127.0.0.1:{port}/musicdna.v1.MusicDnaService/Recommend"],
                         capture_output=True, text=True).stdout
    rps = float(re.search(r"finished in [^,]+, ([\d.]+) req/s", out).group(1))
    mean = re.search(r"time for request:\s+\S+\s+\S+\s+(\S+)", out).group(1)
    ok = re.search(r"(\d+) succeeded", out).group(1)
    return rps, mean, ok

for r in range(rounds):
    for name, dll in builds:
        since = loglen(data)
        p, grpc = start(data, dll)
        wait_log(data, "model 1 serving", since)
        wait_log(data, "Application started", since)
        h2load(grpc, bodies["plain"], 3)  # warm-up: the JIT's optimised tier
        h2load(grpc, bodies["genre"], 3)
        for kind in ("plain", "genre"):
            rps, mean, ok = h2load(grpc, bodies[kind], seconds)
            print(f"round {r + 1} {name:>8} {kind}: {rps:,.0f} calls/s, mean {mean} ({ok} succeeded)", flush=True)
        p.send_signal(signal.SIGTERM); p.wait(timeout=600)

# RSS of the real server (Release build) over a catalogue, after a restart that loads the saved index, one that
# rebuilds it (index.json removed) and one that loads it again; each after 20 Recommend calls.
# Usage (repository root): [MUSICDNA_SERVER_DLL=...] /usr/bin/python3 bench/server-rss/measure.py WORKDIR [CATALOGUE.csv]
#   WORKDIR/data is created on the first run: the CSV (default: the server's seed sample) is bootstrapped into it
#   and one epoch trained over the Python client; later runs reuse it.
#   MUSICDNA_BREAKDOWN=1 adds the GC's figures (dotnet-counters); MUSICDNA_LOAD_ONLY=1 stops after the first restart.
import os, signal, socket, subprocess, sys, time
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(REPO, "clients", "python"))
from musicdna_client import MusicDnaClient, pb
# MUSICDNA_SERVER_DLL measures another build of the server (an older one, side by side) over the same WORKDIR.
DLL = os.environ.get("MUSICDNA_SERVER_DLL", REPO + "/src/MusicDna.Server/bin/Release/net10.0/MusicDna.Server.dll")
SEED = REPO + "/src/MusicDna.Server/bin/Release/net10.0/seed/spotify_tracks_sample.csv"

def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p

def start(data, csv="", train=False):
    g, m = port(), port()
    log = open(data + ".log", "a")
    args = ["dotnet", DLL, f"--MusicDna:DataDirectory={data}", f"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{g}",
            f"--Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:{m}", "--MusicDna:Auth:Mode=Disabled",
            f"--MusicDna:Bootstrap:CatalogueCsv={csv}", f"--MusicDna:Bootstrap:TrainWhenNoModel={'true' if train else 'false'}"]
    t0 = time.time()
    p = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
    return p, g, t0

def wait_log(data, text, since=0, timeout=3000):
    end = time.time() + timeout
    while time.time() < end:
        with open(data + ".log") as f:
            content = f.read()
        if text in content[since:]:
            return
        time.sleep(0.2)
    raise TimeoutError(text)

def loglen(data):
    return os.path.getsize(data + ".log") if os.path.exists(data + ".log") else 0

def status(pid):
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        k, v = line.split(":", 1); fields[k] = v.strip()
    return fields

# MUSICDNA_BREAKDOWN=1: the GC's own figures (dotnet-counters, System.Runtime) beside the kernel's, to tell the managed
# heap from native memory (FAISS, SQLite, the runtime).
COUNTERS = os.path.expanduser("~/.dotnet/tools/dotnet-counters")
GC_COUNTERS = ["dotnet.gc.last_collection.heap.size", "dotnet.gc.last_collection.heap.fragmentation.size",
               "dotnet.gc.last_collection.memory.committed_size", "dotnet.process.memory.working_set"]

def breakdown(pid):
    out = f"/tmp/musicdna-counters-{pid}.json"
    subprocess.run([COUNTERS, "collect", "-p", str(pid), "--format", "json", "-o", out, "--duration", "00:00:00:04",
                    "--counters", "System.Runtime[" + ",".join(GC_COUNTERS) + "]"], stdout=subprocess.DEVNULL, check=True)
    import json
    with open(out) as f:
        text = f.read()
    os.remove(out)
    try:
        events = json.loads(text)["Events"]
    except ValueError:
        events = json.loads(text.rstrip().rstrip(",") + "]}")["Events"]
    sums = {}
    for e in events:
        tags = e.get("tags", "")
        sums.setdefault(e["name"], {})[tags] = e["value"]
    for name, by_tag in sorted(sums.items()):
        print(f"    {name}: {sum(by_tag.values()) / 1024:,.0f} kB  " + ", ".join(f"{t or '-'}={v / 1024:,.0f}" for t, v in sorted(by_tag.items())), flush=True)

def stop(p):
    p.send_signal(signal.SIGTERM); p.wait(timeout=600)

def serve_and_measure(data, label):
    since = loglen(data)
    p, g, t0 = start(data)
    wait_log(data, "model 1 serving", since)
    wait_log(data, "Application started", since)
    ready = time.time() - t0
    with MusicDnaClient(f"127.0.0.1:{g}") as c:
        for i in range(20):
            (c.recommend(pb.RecommendRequest(features=pb.AudioFeatures(danceability=0.5, energy=0.5, key=5, loudness=-8, mode=1, speechiness=0.05, acousticness=0.3, instrumentalness=0.0, liveness=0.1, valence=0.5, tempo=100 + i, time_signature=4), k=10)))
    f = status(p.pid)
    print(f"{label}: serving {ready:.1f} s after start, VmRSS {f['VmRSS']}, VmHWM {f['VmHWM']} "
          f"(RssAnon {f['RssAnon']}, RssFile {f['RssFile']}); load average {os.getloadavg()[0]:.2f}", flush=True)
    if os.environ.get("MUSICDNA_BREAKDOWN"):
        breakdown(p.pid)
    with open(data + ".log") as f:
        for line in f.read()[since:].splitlines():
            if "index" in line.lower():
                print("   ", line.strip()[:220], flush=True)
    stop(p)

def prepare(data, csv):
    p, g, t0 = start(data, csv)
    wait_log(data, "rows read")
    print(f"{data}: ingested after {time.time() - t0:.0f} s", flush=True)
    with MusicDnaClient(f"127.0.0.1:{g}") as c:
        t1 = time.time()
        for m in c.train(epochs=1, seed=7):
            pass
        print(f"{data}: trained 1 epoch and published in {time.time() - t1:.0f} s", flush=True)
    stop(p)

base = os.path.join(os.path.abspath(sys.argv[1]), "data")
csv = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else SEED
if not os.path.exists(base + "/models"):
    os.makedirs(base, exist_ok=True)
    prepare(base, csv)
serve_and_measure(base, "restart (saved index)")
# MUSICDNA_LOAD_ONLY=1: only that first restart (a quick look between builds).
if os.environ.get("MUSICDNA_LOAD_ONLY"):
    sys.exit(0)
os.remove(base + "/models/v000001/index.json")
serve_and_measure(base, "restart (no saved index: rebuilt)")
serve_and_measure(base, "restart (saved index again)")

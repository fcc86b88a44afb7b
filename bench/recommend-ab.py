# Recommend against both ceilings at c=16 through two or more builds of the server, side by side in one session:
# each build serves DATA (a data directory scripts/bench.sh's server A would leave: the full catalogue and a model)
# in turn, rounds alternating the order (ABBA), and h2load drives each point as scripts/bench.sh does (4 processes
# of 4 connections, the 4 seed bodies of `MusicDna.BenchDriver bodies --ids 4`, one call in flight per connection):
# Health/Check, the reference feed, then Recommend k=10, after 8 s of unmeasured load each. Prints calls/s, p50/p99
# (ms, from h2load's per-request logs) and the server's CPU time per call (user + system from /proc over the point,
# less disturbed by other work on the machine than calls/s).
# Usage (repository root): /usr/bin/python3 bench/recommend-ab.py DATA BODIES SECONDS ROUNDS NAME=BUILD_DIR [NAME=BUILD_DIR ...]
import os, re, signal, socket, subprocess, sys, tempfile, time
data_dir, bodies_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
seconds, rounds = int(sys.argv[3]), int(sys.argv[4])
builds = [a.split("=", 1) for a in sys.argv[5:]]
W = tempfile.mkdtemp(prefix="musicdna-recommend-ab.")
def port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
def load(url, bodies, duration, tag, pid=None):
    procs, logs = [], []
    c0 = cpu(pid) if pid else 0
    for i, body in enumerate(bodies):
        log = f"{W}/h2-{tag}-{i}.log"
        if os.path.exists(log): os.remove(log)
        logs.append(log)
        procs.append(subprocess.Popen(["h2load", "-c", "4", "-m", "1", "-t", "1", "-D", str(duration), "--warm-up-time", "1",
            "-d", body, "-H", "content-type: application/grpc", "-H", "te: trailers", f"--log-file={log}", url],
            stdout=subprocess.PIPE, text=True))
    rps, ok = 0.0, 0
    outs = [p.communicate()[0] for p in procs]
    c1 = cpu(pid) if pid else 0
    for out in outs:
        rps += float(re.search(r"finished in [^,]+, ([\d.]+) req/s", out).group(1))
        ok += int(re.search(r"(\d+) succeeded", out).group(1))
    lat = []
    for log in logs:
        with open(log) as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 3: lat.append(int(parts[2]) / 1000.0)
    lat.sort()
    q = lambda x: lat[min(len(lat) - 1, int(x * len(lat)))]
    return rps, q(0.5), q(0.99), ok, (c1 - c0) * 1e6 / max(1, ok)
health = f"{bodies_dir}/health.bin"
recs = [f"{bodies_dir}/recommend-{i}.bin" for i in range(4)]
env = dict(os.environ, MALLOC_ARENA_MAX="2")
for r in range(rounds):
    for name, d in (builds if r % 2 == 0 else builds[::-1]):
        g, m = port(), port()
        log = open(f"{W}/server-{name}.log", "a")
        p = subprocess.Popen(["dotnet", f"{d}/MusicDna.Server.dll", f"--MusicDna:DataDirectory={data_dir}",
            "--MusicDna:Auth:Mode=Disabled", "--MusicDna:Bootstrap:CatalogueCsv=", "--MusicDna:Bootstrap:TrainWhenNoModel=false",
            "--MusicDna:Bench:ReferenceFeed=true", f"--Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:{g}",
            f"--Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:{m}"], stdout=log, stderr=subprocess.STDOUT, env=env, cwd=os.getcwd())
        base = f"http://127.0.0.1:{g}"
        rec = base + "/musicdna.v1.MusicDnaService/Recommend"
        ref = base + "/musicdna.bench.ReferenceFeed/Feed"
        hc = base + "/grpc.health.v1.Health/Check"
        # Ready: an answered call, and the log says a model serves.
        for _ in range(600):
            out = subprocess.run(["h2load", "-n", "1", "-c", "1", "-d", recs[0], "-H", "content-type: application/grpc",
                "-H", "te: trailers", rec], capture_output=True, text=True).stdout
            if "1 succeeded" in out and "status codes: 1 2xx" in out:
                if "serving" in open(f"{W}/server-{name}.log").read()[-20000:]: break
            time.sleep(0.5)
        for i in range(4):  # prime the reference feed's per-seed cache
            subprocess.run(["h2load", "-n", "1", "-c", "1", "-d", recs[i], "-H", "content-type: application/grpc", "-H", "te: trailers", ref], capture_output=True)
        for url in (rec, hc, ref):  # warm-up, not measured
            load(url, [recs[0] if url != hc else health] * 4, 8, "warm")
        res = {}
        res["health"] = load(hc, [health] * 4, seconds, "hc", p.pid)
        res["reference"] = load(ref, recs, seconds, "ref", p.pid)
        res["recommend"] = load(rec, recs, seconds, "rec", p.pid)
        la = open("/proc/loadavg").read().split()[0]
        h, f, c = res["health"], res["reference"], res["recommend"]
        print(f"round {r+1} {name:>7}: Health {h[0]:,.0f} RPS p99 {h[2]:.2f} | reference {f[0]:,.0f} p50 {f[1]:.2f} p99 {f[2]:.2f} | "
              f"Recommend {c[0]:,.0f} p50 {c[1]:.2f} p99 {c[2]:.2f} | server CPU us/call health {h[4]:.0f} ref {f[4]:.0f} rec {c[4]:.0f} | rec/health {c[0]/h[0]:.3f} rec/ref {c[0]/f[0]:.3f} | load {la}", flush=True)
        p.send_signal(signal.SIGTERM); p.wait(timeout=120)

#!/usr/bin/python3
"""Turns one scripts/bench.sh run into one table: prints it and writes it as Markdown.

Inputs: the JSON objects MusicDna.BenchDriver and the peers printed (--results), and h2load's output and per-request
logs (--h2load). Latency percentiles come from h2load's --log-file (one line per request: start µs, HTTP status,
µs to the end of the response), since h2load itself prints only min/max/mean. Throughput is h2load's requests per
second of measured time (warm-up excluded), summed over the concurrent processes of one point, and requests over
summed time for the sequential slices of c=1.
"""
import argparse
import glob
import json
import os
import platform
import re
import subprocess
from datetime import datetime, timezone

TARGETS = {
    "ceiling_ratio": 0.5, "p99_ms": 2.0, "peer_ratio": 5.0, "train_ratio": 1.0,
    "ingest_ratio": 0.8, "rss_mb": 600, "startup_s": 3.0,
}


def load(results, name):
    with open(os.path.join(results, name + ".json")) as f:
        return json.load(f)


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[index]


def point(h2load, name, c):
    """RPS, p50/p99/p99.9 (ms), requests, non-2xx and failed counts of one load point."""
    outs = sorted(glob.glob(os.path.join(h2load, f"{name}-c{c}-*.out")))
    if not outs:
        return None
    requests, seconds, rps_sum, failed, non2xx = 0, 0.0, 0.0, 0, 0
    for out in outs:
        text = open(out).read()
        rps = float(re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", text).group(1))
        done = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored",
                         text)
        n = int(done.group(4))
        failed += int(done.group(5)) + int(done.group(6))
        codes = re.search(r"status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text)
        non2xx += int(codes.group(2)) + int(codes.group(3)) + int(codes.group(4))
        requests += n
        rps_sum += rps
        seconds += n / rps if rps > 0 else 0.0
    latencies = []
    for log in glob.glob(os.path.join(h2load, f"{name}-c{c}-*.log")):
        for line in open(log):
            parts = line.split()
            if len(parts) == 3:
                latencies.append(int(parts[2]) / 1000.0)
    latencies.sort()
    sequential = c < len(outs)
    return {
        "rps": requests / seconds if sequential and seconds > 0 else rps_sum,
        "p50": percentile(latencies, 50), "p99": percentile(latencies, 99), "p999": percentile(latencies, 99.9),
        "requests": requests, "failed": failed, "non2xx": non2xx,
    }


def verdict(ok):
    return "met" if ok else "**missed**"


def latency(p):
    return f"p50 {p['p50']:.2f} / p99 {p['p99']:.2f} / p99.9 {p['p999']:.2f} ms"


def build(arguments):
    r = arguments.results
    rows = []
    add = lambda *cells: rows.append(cells)  # noqa: E731
    concurrencies = sorted({int(m) for m in re.findall(r"-c(\d+)-", " ".join(os.listdir(arguments.h2load)))})

    for c in concurrencies:
        ours, ceiling = point(arguments.h2load, "recommend", c), point(arguments.h2load, "ceiling", c)
        ratio = ours["rps"] / ceiling["rps"]
        target, met = "—", "—"
        if c == 16:
            target = f"≥ {TARGETS['ceiling_ratio']}×, p99 ≤ {TARGETS['p99_ms']} ms"
            met = verdict(ratio >= TARGETS["ceiling_ratio"] and ours["p99"] <= TARGETS["p99_ms"])
        add(f"1. Recommend k=10 vs empty RPC (Health/Check), c={c}",
            f"{ours['rps']:,.0f} RPS; {latency(ours)}", f"{ceiling['rps']:,.0f} RPS; {latency(ceiling)}",
            f"{ratio:.3f}×", target, met)
    for c in concurrencies:
        ours, reference = point(arguments.h2load, "recommend", c), point(arguments.h2load, "reference", c)
        if reference is None:
            continue
        add(f"1b. Recommend k=10 vs the reference feed (the same 11 messages from memory, same adapter code), c={c}",
            f"{ours['rps']:,.0f} RPS; {latency(ours)}", f"{reference['rps']:,.0f} RPS; {latency(reference)}",
            f"{ours['rps'] / reference['rps']:.3f}×", "—", "—")
    for c in concurrencies:
        ours, peer = point(arguments.h2load, "recommend", c), point(arguments.h2load, "peer", c)
        if peer is None:
            continue
        ratio = ours["rps"] / peer["rps"]
        target, met = "—", "—"
        if c == 16:
            target = f"≥ {TARGETS['peer_ratio']}×, lower p99"
            met = verdict(ratio >= TARGETS["peer_ratio"] and ours["p99"] < peer["p99"])
        add(f"2. Recommend k=10 vs Python peer (grpcio + FAISS), c={c}",
            f"{ours['rps']:,.0f} RPS; p99 {ours['p99']:.2f} ms", f"{peer['rps']:,.0f} RPS; p99 {peer['p99']:.2f} ms",
            f"{ratio:.2f}×", target, met)

    train, torch = load(r, "train"), load(r, "torch")
    ratio = train["samples_per_s"] / torch["samples_per_s"]
    add(f"3. Train, default model ({train['rows_used']:,} rows × {train['steady_epochs']} steady epochs, batch 256, "
        f"1 thread)", f"{train['samples_per_s']:,.0f} samples/s", f"PyTorch {torch['torch']}: "
        f"{torch['samples_per_s']:,.0f} samples/s", f"{ratio:.2f}×", f"≥ {TARGETS['train_ratio']}×",
        verdict(ratio >= TARGETS["train_ratio"]))

    ingest, raw = load(r, "ingest"), load(r, "raw_sqlite")
    ratio = ingest["rows_per_s"] / raw["rows_per_s"]
    add(f"4. BulkIngest, {ingest['rows']:,} rows (durable)", f"{ingest['rows_per_s']:,.0f} rows/s "
        f"({ingest['seconds']:.2f} s)", f"raw SQLite upsert: {raw['rows_per_s']:,.0f} rows/s ({raw['seconds']:.2f} s)",
        f"{ratio:.2f}×", f"≥ {TARGETS['ingest_ratio']}× of the raw ceiling", verdict(ratio >= TARGETS["ingest_ratio"]))

    embed = load(r, "embed")
    add(f"5a. Embed, {embed['latents']:,} tracks in batches of {embed['batch']}, one call at a time",
        f"{embed['latents_per_s']:,.0f} latents/s ({embed['seconds']:.2f} s)", "—", "—", "—", "—")
    startup = load(r, "startup")
    peer_path = os.path.join(r, "peer_startup.json")
    peer_start = f"Python peer to serving (load SQLite, build index): {load(r, 'peer_startup')['serving_s']:.2f} s" \
        if os.path.exists(peer_path) else "—"
    add("5b. Start-up to SERVING, full catalogue (process start → health SERVING)",
        f"{startup['serving_s']:.2f} s (listening at {startup['listening_s']:.2f} s)", peer_start, "—",
        f"≤ {TARGETS['startup_s']} s", verdict(startup["serving_s"] <= TARGETS["startup_s"]))
    rss_b, rss_a = load(r, "rss_b")["peak_rss_kb"] / 1024, load(r, "rss_a")["peak_rss_kb"] / 1024
    add("5c. Peak RSS (VmHWM): serving under Recommend load / the ingest+train+embed process",
        f"{rss_b:,.0f} MB / {rss_a:,.0f} MB", "—", "—", f"≤ {TARGETS['rss_mb']} MB",
        verdict(max(rss_a, rss_b) <= TARGETS["rss_mb"]))
    return rows


def checks(arguments):
    r = arguments.results
    lines = []
    for name, label in (("check_before", "MusicDna, before load"), ("check_after", "MusicDna, after load"),
                        ("check_peer", "peer")):
        check = load(r, name)
        lines.append(f"{label}: {check['calls']} seed ids, {check['failures']} non-OK or short feeds, "
                     f"{check['mean_data_bytes']:.0f} B of gRPC frames per feed")
    bad = []
    for name in ("ceiling", "reference", "recommend", "peer"):
        for out in glob.glob(os.path.join(arguments.h2load, f"{name}-c*-0.out")):
            c = int(re.search(r"-c(\d+)-", out).group(1))
            p = point(arguments.h2load, name, c)
            if p["failed"] or p["non2xx"]:
                bad.append(f"{name} c={c}: {p['failed']} failed, {p['non2xx']} non-2xx")
    lines.append("h2load: " + ("; ".join(bad) if bad else "every request HTTP 200, none failed or errored"))
    errors_path, aborted_path = os.path.join(r, "server_errors.txt"), os.path.join(r, "server_aborted.txt")
    if os.path.exists(errors_path):
        lines.append(f"server log during load: {open(errors_path).read().strip() or 0} fail/error/crit lines, besides "
                     f"{open(aborted_path).read().strip() or 0} calls aborted when h2load closed its connections "
                     "at the end of a run")
    return lines


def machine():
    cpu = "unknown CPU"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    dotnet = subprocess.run(["dotnet", "--version"], capture_output=True, text=True).stdout.strip()
    os_name = "Linux"
    if os.path.exists("/etc/os-release"):
        os_name = dict(line.rstrip().split("=", 1) for line in open("/etc/os-release") if "=" in line) \
            .get("PRETTY_NAME", "Linux").strip('"')
    return f"{os.cpu_count()} cores ({cpu}), {int(memory) / 1048576:.1f} GiB RAM, {os_name}, " \
           f"kernel {platform.release()}, .NET SDK {dotnet}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--results", required=True)
    parser.add_argument("--h2load", required=True)
    parser.add_argument("--duration", type=int, required=True)
    parser.add_argument("--command", required=True)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()

    header = ("Scenario", "MusicDna", "Reference", "Ratio", "Target", "Result")
    table = [header, tuple("---" for _ in header)] + build(arguments)
    markdown = "\n".join("| " + " | ".join(row) + " |" for row in table)
    notes = checks(arguments)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = [f"# MusicDna benchmark run, {when}", "", f"Machine: {machine()}", "",
            f"Command: `{arguments.command}` ({arguments.duration} s of measured load per h2load point)", "",
            markdown, "", "Status checks (h2load counts HTTP 200; gRPC status is in the trailers):", ""]
    text += [f"- {line}" for line in notes]
    micro = os.path.join(arguments.results, "micro.md")
    if os.path.exists(micro):
        text += ["", "## Micro-benchmarks (BenchmarkDotNet)", "", open(micro).read().strip()]
    report = "\n".join(text) + "\n"
    print(report)
    with open(arguments.out, "w") as f:
        f.write(report)


if __name__ == "__main__":
    main()

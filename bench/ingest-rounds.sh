#!/usr/bin/env bash
# Row 4 of scripts/bench.sh on its own, several rounds side by side: in each round, for each server build, the raw
# SQLite ceiling (MusicDna.BenchDriver raw-sqlite) on a fresh file, then a fresh server over an empty data directory
# and one timed BulkIngest of the same CSV, as bench.sh runs them. Prints one JSON line per measurement and a summary line per
# round, with the CPU seconds each side spent while timed (the raw process's own; the server's, from /proc, during the
# call): on a shared machine the wall-clock rates follow the CPU share each process got, the CPU seconds less so.
# Usage: bench/ingest-rounds.sh [--data PATH] [--rounds N] [--server-dir DIR ...]
#   --server-dir  a build output folder holding MusicDna.Server.dll (default: this checkout's Release build); given
#                 more than once, each round runs every server in turn (an A/B of two builds, alternating).
# Builds nothing: run scripts/setup.sh Release (or build the server and bench/MusicDna.BenchDriver) first.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
data="../shared/data/spotify_tracks.csv"
rounds=3
servers=()
while (($#)); do
  case "$1" in
    --data) data="$2"; shift ;;
    --rounds) rounds="$2"; shift ;;
    --server-dir) servers+=("$(cd "$2" && pwd)"); shift ;;
    *) echo "ingest-rounds: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done
((${#servers[@]})) || servers=("$root/src/MusicDna.Server/bin/Release/net10.0")
[ -f "$data" ] || { echo "ingest-rounds: no dataset at $data (pass --data PATH)" >&2; exit 2; }
driver=(dotnet "$root/bench/MusicDna.BenchDriver/bin/Release/net10.0/MusicDna.BenchDriver.dll")
py=/usr/bin/python3
work="$(mktemp -d -t musicdna-ingest.XXXXXX)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json() { "$py" -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
for round in $(seq 1 "$rounds"); do
  for dir in "${servers[@]}"; do
    # Each server's ingest is paired with a ceiling run just before it, so both meet about the same machine load.
    rm -rf "$work/raw"
    "${driver[@]}" raw-sqlite --csv "$data" --db "$work/raw/catalogue.db" > "$work/raw.json"
    raw="$(json "$work/raw.json" rows_per_s)"
    raw_cpu="$(json "$work/raw.json" cpu_s)"
    echo "round $round raw $(cat "$work/raw.json" | tr -d '\n ')"
    rm -rf "$work/data"
    grpc_port="$(free_port)"; metrics_port="$(free_port)"
    address="http://127.0.0.1:$grpc_port"
    command="dotnet $dir/MusicDna.Server.dll --MusicDna:DataDirectory=$work/data --MusicDna:Auth:Mode=Disabled \
--MusicDna:Bootstrap:CatalogueCsv= --MusicDna:Bootstrap:TrainWhenNoModel=false \
--Kestrel:Endpoints:Grpc:Url=$address --Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:$metrics_port"
    "${driver[@]}" start --address "$address" --command "$command" --log "$work/server.log" --until listening \
      > "$work/start.json"
    server="$(json "$work/start.json" pid)"
    ticks_before="$(awk '{ print $14 + $15 }' "/proc/$server/stat")"
    "${driver[@]}" ingest --address "$address" --csv "$data" > "$work/ingest.json"
    ticks="$(($(awk '{ print $14 + $15 }' "/proc/$server/stat") - ticks_before))"
    kill "$server"
    while kill -0 "$server" 2>/dev/null; do sleep 0.1; done
    server=""
    rate="$(json "$work/ingest.json" rows_per_s)"
    cpu="$("$py" -c 'import os, sys; print(int(sys.argv[1]) / os.sysconf("SC_CLK_TCK"))' "$ticks")"
    echo "round $round server $dir $(cat "$work/ingest.json" | tr -d '\n ') server_cpu_s $cpu"
    "$py" -c 'import sys; r, raw, d, rate, rawcpu, cpu, load = sys.argv[1:]; print(f"round {r}: {d}: {float(rate):,.0f} vs raw {float(raw):,.0f} rows/s = {float(rate) / float(raw):.2f}x; CPU s server {float(cpu):.1f} vs raw {float(rawcpu):.1f}; load {load}")' \
      "$round" "$raw" "$dir" "$rate" "$raw_cpu" "$cpu" "$(cut -d' ' -f1 /proc/loadavg)"
  done
done

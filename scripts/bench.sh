#!/usr/bin/env bash
# The benchmark suite: MusicDna against its ceiling and its peers, in one run, on the full dataset.
# Set-up (idempotent), build, then on a temporary data directory and free loopback ports: ingest the dataset
# through BulkIngest, train the default model, embed the catalogue, restart to time start-up, load Recommend and
# the empty Health/Check with h2load, load the Python peer, train the PyTorch peer, run the BenchmarkDotNet
# micro-benchmarks; stop everything and print one table (also written as Markdown). Every step has a time limit and
# every process started here is stopped with a bounded wait (SIGTERM, then SIGKILL): a stuck step fails the run.
#
# Usage: scripts/bench.sh [--quick] [--data PATH] [--out FILE] [--duration SECONDS] [--no-micro] [--perf]
#        scripts/bench.sh --scale [COUNTS] [--data PATH] [--out FILE]
#   --data      the Spotify Tracks CSV (default ../shared/data/spotify_tracks.csv, relative to the repo root)
#   --out       the Markdown report (default bench/results/latest.md)
#   --duration  seconds of measured load per h2load point (default 10; --quick: 2)
#   --quick     a smoke test: short load, 5 training epochs, micro-benchmarks in dry mode
#   --no-micro  skip the BenchmarkDotNet micro-benchmarks
#   --perf      after the measured points, profile the server under Recommend load at c=16 with perf (if present)
#               and keep the report under bench/results/logs/ (the profile is not part of any figure)
#   --scale     instead of all the above, the index at catalogue sizes past the dataset: for each of COUNTS
#               (comma-separated, default 1000000,10000000) synthetic tracks drawn from the dataset's latents, the
#               exact scan against the inverted file (bench/MusicDna.IndexBench `run`: recall@10 over 1,000 seeded
#               queries, one-thread queries/s, build, save and load times, RSS, a ~1 % filter); report in --out
#               (default bench/results/scale.md). 10M needs about 4 GiB of memory and half an hour on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

data="../shared/data/spotify_tracks.csv"
out="bench/results/latest.md"
duration=10
quick=0
micro=1
profile=0
scale=""
while (($#)); do
  case "$1" in
    --scale)
      scale="1000000,10000000"
      if (($# > 1)) && [[ "$2" =~ ^[0-9]+(,[0-9]+)*$ ]]; then scale="$2"; shift; fi ;;
    --quick) quick=1; duration=2 ;;
    --data) data="$2"; shift ;;
    --out) out="$2"; shift ;;
    --duration) duration="$2"; shift ;;
    --no-micro) micro=0 ;;
    --perf) profile=1 ;;
    *) echo "bench: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
  shift
done
[ -f "$data" ] || { echo "bench: no dataset at $data (pass --data PATH)" >&2; exit 2; }
data="$(cd "$(dirname "$data")" && pwd)/$(basename "$data")"
warmup=$((quick ? 1 : 2))
concurrencies=(1 16 64)

# --- set-up: the product (its own script), then what only the bench needs ---------------------------------------
"$root/scripts/setup.sh" Release
if [ -n "$scale" ]; then
  [ "$out" = bench/results/latest.md ] && out="bench/results/scale.md"
  exec "$root/scripts/lib/bench-scale.sh" "$scale" "$data" "$out"
fi
# h2load (nghttp2-client); the peers' stack, Debian's modules for /usr/bin/python3 (not the python3 on PATH).
packages=(nghttp2-client python3-grpcio python3-protobuf python3-faiss python3-torch python3-numpy)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "bench: installing ${missing[*]}"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  "${as_root[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
py=/usr/bin/python3
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "bench: building the bench projects"
dotnet build bench/MusicDna.BenchDriver/MusicDna.BenchDriver.csproj -c Release -nologo -clp:ErrorsOnly -v:quiet
((micro)) && dotnet build bench/MusicDna.Benchmarks/MusicDna.Benchmarks.csproj -c Release -nologo -clp:ErrorsOnly -v:quiet
driver=(dotnet "$root/bench/MusicDna.BenchDriver/bin/Release/net10.0/MusicDna.BenchDriver.dll")
server_dll="$root/src/MusicDna.Server/bin/Release/net10.0/MusicDna.Server.dll"

# --- a scratch directory, free ports, and clean-up of everything started here ------------------------------------
work="$(mktemp -d -t musicdna-bench.XXXXXX)"
results="$work/results"
mkdir -p "$results" "$work/h2load"
# Time limits in seconds, generous: a step (a driver command, the PyTorch peer, the micro-benchmarks; a full run takes
# minutes); one h2load process; a process to exit after SIGTERM before it is killed; the Python peer to serve.
step_limit=1200 load_limit=$((duration + warmup + 60)) stop_limit=30 ready_limit=120
# step LIMIT NAME COMMAND...: runs one step; past LIMIT it is stopped (SIGTERM, SIGKILL 10 s later) and the run fails.
step() {
  local limit="$1" name="$2" status=0
  shift 2
  timeout --foreground --kill-after=10 "$limit" "$@" || status=$?
  if ((status == 124 || status == 137)); then
    echo "bench: $name did not finish within $limit s; stopped it" >&2
    exit 1
  fi
  return "$status"
}
running=()   # the servers and the peer started here and not stopped yet
forget() {
  local kept=() pid
  for pid in "${running[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  running=("${kept[@]}")
}
# terminate PID: SIGTERM, up to $stop_limit s to exit, then SIGKILL; returns 1 when it had to be killed.
terminate() {
  local pid="$1" tenths=0
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null; do
    if ((tenths == stop_limit * 10)); then kill -KILL "$pid" 2>/dev/null || true; fi
    if ((tenths >= stop_limit * 10 + 50)); then break; fi  # SIGKILL'd and still there: give up waiting
    sleep 0.1
    tenths=$((tenths + 1))
  done
  ((tenths < stop_limit * 10))
}
# stop NAME PID: a step of the run; a process that has to be killed fails the run.
stop() {
  echo "bench: stopping $1"
  forget "$2"
  terminate "$2" || { echo "bench: $1 did not exit within $stop_limit s of SIGTERM; killed it" >&2; exit 1; }
}
cleanup() {
  local pid
  for pid in "${running[@]}"; do
    terminate "$pid" || echo "bench: process $pid did not exit within $stop_limit s of SIGTERM; killed it" >&2
  done
  # The server, peer and BenchmarkDotNet logs of the last run stay for diagnosis; the data directory goes.
  mkdir -p "$root/bench/results/logs"
  cp "$work"/*.log "$root/bench/results/logs/" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
grpc_port="$(free_port)"; metrics_port="$(free_port)"; peer_port="$(free_port)"
address="http://127.0.0.1:$grpc_port"
# The server runs as scripts/run.sh starts it: two malloc arenas unless the caller set MALLOC_ARENA_MAX.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
server_command="dotnet $server_dll --MusicDna:DataDirectory=$work/data --MusicDna:Auth:Mode=Disabled \
--MusicDna:Bootstrap:CatalogueCsv= --MusicDna:Bootstrap:TrainWhenNoModel=false \
--Kestrel:Endpoints:Grpc:Url=$address --Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:$metrics_port"
json() { "$py" -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
peak_rss_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# --- ingest against raw SQLite, training and embedding throughput; peak memory (server A: empty, no model) ---------
echo "bench: raw SQLite ceiling"
step "$step_limit" "raw SQLite" "${driver[@]}" raw-sqlite --csv "$data" --db "$work/raw/catalogue.db" \
  > "$results/raw_sqlite.json"
echo "bench: starting the server over an empty data directory"
step "$step_limit" "starting server A" "${driver[@]}" start --address "$address" --command "$server_command" \
  --log "$work/server-a.log" --until listening > "$results/start_a.json"
server="$(json "$results/start_a.json" pid)"; running+=("$server")
echo "bench: BulkIngest of $(basename "$data")"
step "$step_limit" "BulkIngest" "${driver[@]}" ingest --address "$address" --csv "$data" > "$results/ingest.json"
echo "bench: Train (default model$( ((quick)) && echo ", 5 epochs"))"
train_options=(); ((quick)) && train_options=(--epochs 5)
step "$step_limit" "Train" "${driver[@]}" train --address "$address" "${train_options[@]}" > "$results/train.json"
echo "bench: Embed of the catalogue"
step "$step_limit" "Embed" "${driver[@]}" embed --address "$address" --csv "$data" > "$results/embed.json"
echo "{\"peak_rss_kb\": $(peak_rss_kb "$server")}" > "$results/rss_a.json"
stop "server A" "$server"

# --- start-up time to SERVING over the full catalogue (server B) ------------------------------------------------
echo "bench: restarting over the full catalogue"
# perf needs the JIT's symbol map, and code mapped once (not double-mapped for W^X) to attribute samples to it.
((profile)) && export DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0
# Server B also serves the reference feed: the same k=10 messages from memory through the same adapter code.
step "$step_limit" "starting server B" "${driver[@]}" start --address "$address" \
  --command "$server_command --MusicDna:Bench:ReferenceFeed=true" --log "$work/server-b.log" > "$results/startup.json"
server="$(json "$results/startup.json" pid)"; running+=("$server")

# --- Recommend throughput and latency against the empty unary RPC (Health/Check); peak memory under load ----------
step "$step_limit" "writing the request bodies" "${driver[@]}" bodies --csv "$data" --out "$work/bodies" --ids 4 \
  > "$results/bodies.json"
# h2load sends one body per process: each point rotates over the 4 seed ids, in 4 time slices at c=1 and in 4
# concurrent processes (c/4 connections each) above. Each connection has one call in flight at a time.
load() { # name url body-prefix concurrency
  local name="$1" url="$2" prefix="$3" c="$4" i procs=4 per slice
  per=$((c / procs)); slice="$(((duration + 3) / 4))"
  if ((c < procs)); then
    for i in 0 1 2 3; do
      step "$load_limit" "h2load $name c=$c" h2load -c "$c" -m 1 -t 1 -D "$slice" --warm-up-time "$warmup" \
        -d "$(body "$prefix" "$i")" -H 'content-type: application/grpc' -H 'te: trailers' \
        --log-file="$work/h2load/$name-c$c-$i.log" "$url" > "$work/h2load/$name-c$c-$i.out"
    done
  else
    local jobs=()
    for i in 0 1 2 3; do
      step "$load_limit" "h2load $name c=$c" h2load -c "$per" -m 1 -t 1 -D "$duration" --warm-up-time "$warmup" \
        -d "$(body "$prefix" "$i")" -H 'content-type: application/grpc' -H 'te: trailers' \
        --log-file="$work/h2load/$name-c$c-$i.log" "$url" > "$work/h2load/$name-c$c-$i.out" &
      jobs+=($!)
    done
    for i in "${jobs[@]}"; do wait "$i"; done
  fi
}
body() { [ "$1" = health ] && echo "$work/bodies/health.bin" || echo "$work/bodies/recommend-$2.bin"; }
echo "bench: checking every seed id through a gRPC client (h2load cannot see grpc-status)"
step "$step_limit" "checking the seed ids" "${driver[@]}" check --address "$address" --ids "$work/bodies/ids.txt" \
  > "$results/check_before.json"
# Warm-up, not measured: a fresh server runs its hot paths in the JIT's quick and instrumented tiers for many
# seconds on 2 busy cores; the figures are for the steady state.
echo "bench: warming up the server ($((warmup * 5)) s of Recommend and Health/Check, not measured)"
reference_feed=musicdna.bench.ReferenceFeed/Feed
for path in musicdna.v1.MusicDnaService/Recommend grpc.health.v1.Health/Check "$reference_feed"; do
  [ "$path" = grpc.health.v1.Health/Check ] && prefix=health || prefix=recommend
  step "$((load_limit + warmup * 5))" "warm-up" h2load -c 16 -m 1 -t 1 -D "$((warmup * 5))" -d "$(body "$prefix" 0)" \
    -H 'content-type: application/grpc' -H 'te: trailers' "$address/$path" > /dev/null
done
# The reference feed keeps each seed's messages from its first call: one call per seed before the measured points.
for i in 0 1 2 3; do
  step "$load_limit" "priming the reference feed" h2load -n 1 -c 1 -d "$(body recommend "$i")" \
    -H 'content-type: application/grpc' -H 'te: trailers' "$address/$reference_feed" > /dev/null
done
for c in "${concurrencies[@]}"; do
  echo "bench: h2load c=$c: Health/Check (ceiling), the reference feed (second ceiling), then Recommend k=10"
  load ceiling "$address/grpc.health.v1.Health/Check" health "$c"
  load reference "$address/$reference_feed" recommend "$c"
  load recommend "$address/musicdna.v1.MusicDnaService/Recommend" recommend "$c"
done
step "$step_limit" "checking the seed ids" "${driver[@]}" check --address "$address" --ids "$work/bodies/ids.txt" \
  > "$results/check_after.json"
echo "{\"peak_rss_kb\": $(peak_rss_kb "$server")}" > "$results/rss_b.json"
# h2load closes its connections with calls in flight when its time is up; those calls end "aborted" (or find their
# request complete) in the log. Anything else is a real server error.
client_gone='The request stream was aborted|because the request is complete'
grep -E ' (fail|crit|error):' "$work/server-b.log" | grep -vcE "$client_gone" > "$results/server_errors.txt" || true
grep -E ' (fail|crit|error):' "$work/server-b.log" | grep -cE "$client_gone" > "$results/server_aborted.txt" || true
if ((profile)) && command -v perf >/dev/null; then
  echo "bench: profiling Recommend at c=16 with perf (not measured)"
  step "$load_limit" "h2load under perf" h2load -c 16 -m 1 -t 1 -D "$((duration + 2))" -d "$(body recommend 0)" \
    -H 'content-type: application/grpc' -H 'te: trailers' "$address/musicdna.v1.MusicDnaService/Recommend" > /dev/null &
  loader=$!
  step "$load_limit" "perf record" perf record -F 499 -g -p "$server" -o "$work/perf.data" -- sleep "$duration" \
    > /dev/null 2>&1
  wait "$loader"
  { perf report -i "$work/perf.data" --no-children --sort dso --stdio -g none 2>/dev/null | grep -v '^#' | head -25 || true
    perf report -i "$work/perf.data" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -v '^#' | head -60 || true
    perf report -i "$work/perf.data" --children --sort sym --stdio -g none 2>/dev/null | grep -v '^#' | head -120 || true
  } > "$work/perf-recommend.log"
fi
stop "server B" "$server"

# --- Recommend throughput and latency of the Python peer (grpcio + FAISS) over the same catalogue; its start-up ----
echo "bench: the Python peer"
peer_started="$(date +%s.%N)"
"$py" bench/peers/recommend_peer.py --db "$work/data/catalogue.db" --port "$peer_port" > "$work/peer.log" 2>&1 &
peer=$!; running+=("$peer")
ready_by=$((SECONDS + ready_limit))
until grep -q "^peer: serving" "$work/peer.log"; do
  kill -0 "$peer" 2>/dev/null || { cat "$work/peer.log" >&2; echo "bench: the peer exited before serving" >&2; exit 1; }
  ((SECONDS < ready_by)) || { echo "bench: the Python peer was not serving within $ready_limit s" >&2; exit 1; }
  sleep 0.05
done
"$py" -c 'import json, sys; print(json.dumps({"serving_s": float(sys.argv[1]) - float(sys.argv[2])}))' \
  "$(date +%s.%N)" "$peer_started" > "$results/peer_startup.json"
step "$step_limit" "checking the seed ids on the peer" "${driver[@]}" check --address "http://127.0.0.1:$peer_port" \
  --ids "$work/bodies/ids.txt" --health no > "$results/check_peer.json"
for c in "${concurrencies[@]}"; do
  echo "bench: h2load c=$c: the peer's Recommend k=10"
  load peer "http://127.0.0.1:$peer_port/musicdna.v1.MusicDnaService/Recommend" recommend "$c"
done
stop "the Python peer" "$peer"

# --- training throughput of the PyTorch peer, the same epochs as MusicDna ran --------------------------------------
echo "bench: PyTorch training peer"
step "$step_limit" "the PyTorch peer" "$py" bench/peers/train_torch.py --db "$work/data/catalogue.db" \
  --epochs "$(json "$results/train.json" epochs_run)" --threads 1 > "$results/torch.json"

# --- micro-benchmarks of the hot paths (BenchmarkDotNet) -----------------------------------------------------------
if ((micro)); then
  echo "bench: BenchmarkDotNet micro-benchmarks"
  job=$( ((quick)) && echo Dry || echo Short)
  # From the repo root: BenchmarkDotNet finds the project there to build its runner.
  step "$step_limit" "the micro-benchmarks" \
    dotnet "$root/bench/MusicDna.Benchmarks/bin/Release/net10.0/MusicDna.Benchmarks.dll" \
    --filter '*' --job "$job" --exporters github --artifacts "$work/bdn" > "$work/bdn.log" 2>&1 \
    || { tail -40 "$work/bdn.log" >&2; exit 1; }
  cat "$work"/bdn/results/*-report-github.md > "$results/micro.md"
fi

# --- the table -------------------------------------------------------------------------------------------------------
mkdir -p "$(dirname "$out")"
step "$step_limit" "the report" "$py" bench/report.py --results "$results" --h2load "$work/h2load" \
  --duration "$duration" --command "scripts/bench.sh $( ((quick)) && echo "--quick ")--data $data" --out "$out"
echo "bench: written to $out"

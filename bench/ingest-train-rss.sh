#!/usr/bin/env bash
# Peak memory of the process that ingests the full dataset and trains (scripts/bench.sh's server A, issue 17's
# target): one server over a fresh data directory, then the driver's BulkIngest of CSV, the default Train and Embed
# of the catalogue, with VmHWM and VmRSS after each step and VmRSS sampled every 0.5 s into SAMPLES (time, kB), to
# see which step holds the peak. --bootstrap starts it as scripts/run.sh does instead (the seed sample loaded and a
# first model trained at start-up, before the ingest).
# Usage (repository root, after building bench/MusicDna.BenchDriver): bench/ingest-train-rss.sh BUILD_DIR CSV SAMPLES [--bootstrap]
set -euo pipefail
build="$1"; csv="$2"; samples="$3"; bootstrap="${4:-}"
work="$(mktemp -d -t musicdna-rss.XXXXXX)"
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
address="http://127.0.0.1:$(free_port)"
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
driver=(dotnet bench/MusicDna.BenchDriver/bin/Release/net10.0/MusicDna.BenchDriver.dll)
command="dotnet $build/MusicDna.Server.dll --MusicDna:DataDirectory=$work/data --MusicDna:Auth:Mode=Disabled \
--Kestrel:Endpoints:Grpc:Url=$address --Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:$(free_port)"
until=(--until listening)
if [ "$bootstrap" = --bootstrap ]; then until=(); else
  command="$command --MusicDna:Bootstrap:CatalogueCsv= --MusicDna:Bootstrap:TrainWhenNoModel=false"; fi
"${driver[@]}" start --address "$address" --command "$command" --log "$work/server.log" "${until[@]}" > "$work/start.json"
server="$(/usr/bin/python3 -c "import json, sys; print(json.load(open(sys.argv[1]))['pid'])" "$work/start.json")"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; cp "$work/server.log" "$samples.server.log" 2>/dev/null || true; rm -rf "$work"' EXIT
(while kill -0 "$server" 2>/dev/null; do
   echo "$(date +%H:%M:%S.%N | cut -c1-10) $(awk '/^VmRSS:/ { print $2 }' "/proc/$server/status" 2>/dev/null)"; sleep 0.5
 done) > "$samples" &
memory() { echo "$1: $(awk '/^VmHWM:|^VmRSS:/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$server/status")"; }
memory "started$([ "$bootstrap" = --bootstrap ] && echo ", seed sample trained")"
"${driver[@]}" ingest --address "$address" --csv "$csv" > "$work/ingest.json"; memory "ingested"
"${driver[@]}" train --address "$address" > "$work/train.json"; memory "trained"
"${driver[@]}" embed --address "$address" --csv "$csv" > "$work/embed.json"; memory "embedded"

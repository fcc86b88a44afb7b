#!/usr/bin/env bash
# scripts/bench.sh --scale: the index at 1M and 10M tracks (or the sizes given), one table per size, into one report.
# Usage (through scripts/bench.sh): bench-scale.sh COUNTS DATA OUT — COUNTS comma-separated, DATA the dataset CSV
# (the synthetic tracks are drawn around the latents of a model trained on it), OUT the Markdown report.
# Each size runs `MusicDna.IndexBench run` with a time limit; a size that does not finish fails the run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
counts="$1" data="$2" out="$3"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "bench: building bench/MusicDna.IndexBench"
dotnet build bench/MusicDna.IndexBench/MusicDna.IndexBench.csproj -c Release -nologo -clp:ErrorsOnly -v:quiet
bench=(dotnet "$root/bench/MusicDna.IndexBench/bin/Release/net10.0/MusicDna.IndexBench.dll")
work="$(mktemp -d -t musicdna-scale.XXXXXX)"
trap 'rm -rf "$work"' EXIT
# Generous: generating, building both kinds, the exact truth and three alternating rounds at 10M take about half an
# hour on 2 busy cores.
limit=5400
mkdir -p "$(dirname "$out")"
{
  echo "# MusicDna index at scale"
  echo
  echo "Command: \`scripts/bench.sh --scale $counts --data $data\` ($(date -u '+%Y-%m-%d %H:%M UTC'));"
  echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores,"
  echo "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo); load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
} > "$out"
IFS=, read -ra sizes <<< "$counts"
for count in "${sizes[@]}"; do
  echo "bench: the index over $count tracks"
  status=0
  timeout --foreground --kill-after=10 "$limit" "${bench[@]}" run --count "$count" --csv "$data" --out "$work" \
    > "$work/run-$count.log" 2>&1 || status=$?
  if ((status != 0)); then
    tail -20 "$work/run-$count.log" >&2
    ((status == 124 || status == 137)) && echo "bench: the index over $count tracks did not finish within $limit s" >&2
    echo "bench: the index over $count tracks failed (exit status $status)" >&2
    exit 1
  fi
  { echo; grep '^#' "$work/run-$count.log" | sed 's/^# */- /'; echo; grep '^|' "$work/run-$count.log"; } >> "$out"
  rm -f "$work"/*.faiss
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)." >> "$out"
echo "bench: written to $out"

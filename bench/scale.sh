#!/usr/bin/env bash
# The figures of docs/scale.md, in one run on this machine (every number printed is from this run):
#   1. BulkIngest of the whole dataset through the RPC into SQLite and into PostgreSQL, one after the other (rows/s);
#   2. replica propagation: 1,000 single-track ingests through one replica, each timed until a second replica over the
#      same PostgreSQL recommends it (p50/p99);
#   3. replica cold start at each size in SCALE_SIZES (default "1000000 10000000") synthetic tracks: a first start
#      that embeds the whole catalogue and stores its vectors, then the real cold start that loads them, with the
#      process's resident memory once SERVING and its peak (VmHWM) until then; then 10,000 tracks written while that
#      replica is down and its restart on its own data directory (it reads its saved track table and replays them);
#   4. SearchTracks on PostgreSQL (after 1 and 3): EXPLAIN ANALYZE of the exact statement the catalogue runs, on the
#      trigram indexes (schema version 3) and with index scans off (the table scan before it), rows compared; and at
#      each size the time to build the two indexes over the whole table (what the version 3 migration costs there).
#   5. with SCALE_STEPS=searchcost (not by default): what the search indexes cost writes, 2 x 200,000 synthetic
#      tracks through the bulk path into a catalogue with them and into one without, in A-B-B-A order.
# Every record carries the load average (1, 5, 15 min) when it was written.
# PostgreSQL is a private server (initdb + pg_ctl in a temporary directory, durable defaults: fsync on) on a free
# loopback port, as `nobody` when run as root; every server this starts is stopped at the end, also on failure.
# Usage: bench/scale.sh [SCALE_SIZES="1000000"] [SCALE_STEPS="ingest propagation cold"] [PROPAGATION_COUNT=1000]
# [CSV=path]; results in artifacts/scale/scale.jsonl (one JSON object per step).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes="${SCALE_SIZES:-1000000 10000000}"
count="${PROPAGATION_COUNT:-1000}"
steps=" ${SCALE_STEPS:-ingest propagation cold} "
csv="${CSV:-$(cd "$root/.." && pwd)/shared/data/spotify_tracks.csv}"
[ -f "$csv" ] || csv=/work/shared/data/spotify_tracks.csv
results="$root/artifacts/scale"
mkdir -p "$results"
out="$results/scale.jsonl"
: >>"$out"
work="$(mktemp -d /tmp/musicdna-scale.XXXXXX)"
driver=(dotnet "$root/bench/MusicDna.BenchDriver/bin/Release/net10.0/MusicDna.BenchDriver.dll")
cli=(dotnet "$root/src/MusicDna.Cli/bin/Release/net10.0/musicdna.dll")
server="$root/src/MusicDna.Server/bin/Release/net10.0/MusicDna.Server.dll"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
field() { /usr/bin/python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
record() { echo "{\"step\": \"$1\", \"loadavg\": \"$(cut -d' ' -f1-3 /proc/loadavg)\", \"result\": $2}" | tee -a "$out"; }

as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown nobody "$work"; as_pg=(runuser -u nobody --); fi
pgport="$(free_port)"
pids=()
stop_server() {
  local pid="$1"
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  for pid in "${pids[@]}"; do stop_server "$pid"; done
  "${as_pg[@]}" "$bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

"${as_pg[@]}" "$bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o \
  "-p $pgport -c listen_addresses=127.0.0.1 -k $work/pg -c shared_buffers=1GB -c max_wal_size=8GB -c checkpoint_timeout=30min" start >/dev/null
createdb() { "${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$pgport" -U postgres "$1"; }
connection() { echo "Host=127.0.0.1;Port=$pgport;Username=postgres;Database=$1;Timeout=30;Command Timeout=0"; }
psql_in() { local db="$1"; shift; "${as_pg[@]}" "$bin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -d "$db" -v ON_ERROR_STOP=1 -tAq "$@"; }
# search DB QUERIES: the plans and times of SearchTracks' statement for each query ("a b|c"), after ANALYZE.
search() {
  psql_in "$1" -c "ANALYZE tracks;"
  record "search-$1" "$("${driver[@]}" search-plan --connection "$(connection "$1")" --queries "$2")"
}
# index_build DB: drops and builds again the two search indexes (as the version 3 migration does), timed.
index_build() {
  local started ended
  psql_in "$1" -c "DROP INDEX tracks_search_name_trgm; DROP INDEX tracks_search_artists_trgm;"
  started="$(date +%s.%N)"
  psql_in "$1" -c "SET maintenance_work_mem = '256MB';" \
    -c "CREATE INDEX tracks_search_name_trgm ON tracks USING gin (search_name gin_trgm_ops);" \
    -c "CREATE INDEX tracks_search_artists_trgm ON tracks USING gin (search_artists gin_trgm_ops);"
  ended="$(date +%s.%N)"
  record "search-index-build-$1" "{\"seconds\": $(/usr/bin/python3 -c "print(round($ended - $started, 2))"), \"index_mib\": $(psql_in "$1" -c \
    "SELECT (pg_relation_size('tracks_search_name_trgm') + pg_relation_size('tracks_search_artists_trgm')) / 1048576")}"
}

# start NAME UNTIL(listening|serving) SETTINGS...: starts a server on a free port, prints the driver's JSON; the pid
# and address land in the globals started_pid and started_address.
start() {
  local name="$1" until="$2"; shift 2
  local port metrics
  port="$(free_port)"; metrics="$(free_port)"
  local command="dotnet $server --MusicDna:Auth:Mode=Disabled --MusicDna:Bootstrap:CatalogueCsv= --MusicDna:Bootstrap:TrainWhenNoModel=false"
  command+=" --Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:$port --Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:$metrics"
  for setting in "$@"; do command+=" '--$setting'"; done
  started_json="$("${driver[@]}" start --address "http://127.0.0.1:$port" --command "$command" --log "$work/$name.log" \
    --until "$until" --timeout 5400)"
  started_pid="$(field "$started_json" pid)"
  started_address="http://127.0.0.1:$port"
  pids+=("$started_pid")
}
rss_mib() { awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
hwm_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }
pg_shared=(MusicDna:Catalogue:Provider=PostgreSql)

if [[ "$steps" == *" ingest "* || "$steps" == *" propagation "* ]]; then
echo "== 1. BulkIngest of $(basename "$csv") into SQLite, then into PostgreSQL"
start sqlite listening "MusicDna:DataDirectory=$work/sqlite"
record ingest-sqlite "$("${driver[@]}" ingest --address "$started_address" --csv "$csv")"
stop_server "$started_pid"
createdb ingest
start writer listening "MusicDna:DataDirectory=$work/writer" "${pg_shared[@]}" "MusicDna:Catalogue:ConnectionString=$(connection ingest)"
writer="$started_address"; writer_pid="$started_pid"
record ingest-postgresql "$("${driver[@]}" ingest --address "$writer" --csv "$csv")"
search ingest "love|daft pun|beyonce|the|a|zzzzqx"

if [[ "$steps" == *" propagation "* ]]; then
echo "== 2. Replica propagation over $count single-track ingests"
MUSICDNA_ADDRESS="$writer" "${cli[@]}" train --epochs 10 >/dev/null
start reader serving "MusicDna:DataDirectory=$work/reader" "${pg_shared[@]}" "MusicDna:Catalogue:ConnectionString=$(connection ingest)"
reader_pid="$started_pid"
record propagation "$("${driver[@]}" propagation --writer "$writer" --reader "$started_address" --count "$count")"
stop_server "$reader_pid"
fi
stop_server "$writer_pid"
fi

[[ "$steps" == *" cold "* ]] || sizes=""
for size in $sizes; do
  echo "== 3. Replica cold start with $size synthetic tracks"
  db="cold_$size"
  createdb "$db"
  shared=("${pg_shared[@]}" "MusicDna:Catalogue:ConnectionString=$(connection "$db")")
  record "generate-$size-first-50000" "$("${driver[@]}" generate --connection "$(connection "$db")" --tracks 50000)"
  start trainer listening "MusicDna:DataDirectory=$work/trainer-$size" "${shared[@]}"
  MUSICDNA_ADDRESS="$started_address" "${cli[@]}" train --epochs 10 >/dev/null
  stop_server "$started_pid"
  record "generate-$size" "$("${driver[@]}" generate --connection "$(connection "$db")" --tracks $((size - 50000)) --start 50000)"
  start "first-$size" serving "MusicDna:DataDirectory=$work/first-$size" "${shared[@]}"
  record "first-start-$size" "{\"start\": $started_json, \"rss_mib\": $(rss_mib "$started_pid"), \"peak_mib\": $(hwm_mib "$started_pid")}"
  stop_server "$started_pid"
  start "cold-$size" serving "MusicDna:DataDirectory=$work/cold-$size" "${shared[@]}"
  size_mib="$("${as_pg[@]}" "$bin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -tAc "SELECT pg_database_size('$db') / 1048576")"
  record "cold-start-$size" "{\"start\": $started_json, \"rss_mib\": $(rss_mib "$started_pid"), \"peak_mib\": $(hwm_mib "$started_pid"), \"database_mib\": $size_mib}"
  stop_server "$started_pid"
  # The same replica stopped and started again on its own data directory, after 10,000 tracks were written while it
  # was down: it reads the table it saved and applies those changes before it serves.
  record "generate-$size-while-down-10000" "$("${driver[@]}" generate --connection "$(connection "$db")" --tracks 10000 --start "$size")"
  start "cold-$size" serving "MusicDna:DataDirectory=$work/cold-$size" "${shared[@]}"
  record "restart-$size" "{\"start\": $started_json, \"rss_mib\": $(rss_mib "$started_pid"), \"peak_mib\": $(hwm_mib "$started_pid"), \"read_saved_table\": $(grep -q 'tracks read from their saved table' "$work/cold-$size.log" && echo true || echo false)}"
  stop_server "$started_pid"
  search "$db" "synthetic 123456|4321|artist 99999|synthetic|zzzzqx"
  index_build "$db"
done
if [[ "$steps" == *" searchcost "* ]]; then
  echo "== 5. Write cost of the search indexes"
  for db in indexed unindexed; do
    createdb "$db"
    "${driver[@]}" generate --connection "$(connection "$db")" --tracks 1 >/dev/null # migrates it
  done
  psql_in unindexed -c "DROP INDEX tracks_search_name_trgm; DROP INDEX tracks_search_artists_trgm;"
  next=1
  for db in indexed unindexed unindexed indexed; do
    record "generate-$db" "$("${driver[@]}" generate --connection "$(connection "$db")" --tracks 200000 --start "$next")"
    if [ "$db" = unindexed ]; then next=200001; fi
  done
fi
echo "scale: results in ${out#"$root"/}"

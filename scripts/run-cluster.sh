#!/usr/bin/env bash
# PostgreSQL plus two MusicDna replicas on this machine: the shared-catalogue set-up of docs/scale.md, in small.
# Set up (idempotent), then: a private PostgreSQL server (initdb into ./data-cluster/postgres on first run, as an
# unprivileged user when run as root, since PostgreSQL refuses root) on 127.0.0.1:${PGPORT:-55432}; replica 1 on
# 127.0.0.1:50051 (metrics 9464) seeds the empty catalogue and trains the first model; replica 2 on 127.0.0.1:50052
# (metrics 9465) follows it (other ports: REPLICA_PORTS="50061 50062" METRICS_PORTS="9474 9475"). Ctrl-C (or SIGTERM)
# stops all three. Extra arguments go to both replicas.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" Release
base="$root/data-cluster"
pgdata="$base/postgres"
port="${PGPORT:-55432}"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
mkdir -p "$base"

as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id musicdna-pg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin musicdna-pg
  chown musicdna-pg "$base"
  as_pg=(runuser -u musicdna-pg --)
fi
if [ ! -f "$pgdata/PG_VERSION" ]; then
  "${as_pg[@]}" "$bin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
fi
"${as_pg[@]}" "$bin/pg_ctl" -D "$pgdata" -l "$base/postgres.log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $pgdata" start >/dev/null
"${as_pg[@]}" "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'musicdna'" | grep -q 1 \
  || "${as_pg[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres musicdna

pids=()
stop() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  "${as_pg[@]}" "$bin/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM

read -r grpc1 grpc2 <<<"${REPLICA_PORTS:-50051 50052}"
read -r metrics1 metrics2 <<<"${METRICS_PORTS:-9464 9465}"
server="$root/src/MusicDna.Server/bin/Release/net10.0/MusicDna.Server.dll"
shared=(--MusicDna:Auth:Mode=Disabled --MusicDna:Catalogue:Provider=PostgreSql
        "--MusicDna:Catalogue:ConnectionString=Host=127.0.0.1;Port=$port;Database=musicdna;Username=postgres")
dotnet "$server" "${shared[@]}" --MusicDna:DataDirectory="$base/replica-1" \
  --Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:$grpc1 --Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:$metrics1 "$@" &
pids+=($!)
dotnet "$server" "${shared[@]}" --MusicDna:DataDirectory="$base/replica-2" \
  --MusicDna:Bootstrap:CatalogueCsv= --MusicDna:Bootstrap:TrainWhenNoModel=false \
  --Kestrel:Endpoints:Grpc:Url=http://127.0.0.1:$grpc2 --Kestrel:Endpoints:Metrics:Url=http://127.0.0.1:$metrics2 "$@" &
pids+=($!)
echo "run-cluster: PostgreSQL on 127.0.0.1:$port, replicas on 127.0.0.1:$grpc1 and 127.0.0.1:$grpc2 (Ctrl-C stops all)"
wait -n "${pids[@]}"

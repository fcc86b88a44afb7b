#!/usr/bin/env bash
# Bytes the server allocates per Recommend k=10 call: one build serves DATA (the full catalogue and a model, as
# scripts/bench.sh's server A leaves it); after 15 s of unmeasured load, dotnet-counters reads the GC's allocation
# rate (System.Runtime, dotnet.gc.heap.total_allocated) while h2load sends Recommend for one seed at c=4 for 10 s.
# Allocation per call does not depend on the machine's load, so builds compare well on a busy box.
# Usage (repository root): bench/recommend-alloc.sh DATA BODIES BUILD_DIR [recommend|reference]
#   reference: the same load on the reference feed (the same messages replayed from memory), what the framework
#   allocates for this response shape.
#   BODIES: the request bodies of `MusicDna.BenchDriver bodies --ids 4`; dotnet-counters from PATH or $DOTNET_COUNTERS
#   (dotnet tool install --tool-path DIR dotnet-counters).
set -euo pipefail
data="$1"; bodies="$2"; build="$3"; target="${4:-recommend}"
case "$target" in
  recommend) path="musicdna.v1.MusicDnaService/Recommend"; reference=false ;;
  reference) path="musicdna.bench.ReferenceFeed/Feed"; reference=true ;;
  *) echo "recommend-alloc.sh: the fourth argument is recommend or reference, not '$target'" >&2; exit 2 ;;
esac
counters="${DOTNET_COUNTERS:-dotnet-counters}"
work="$(mktemp -d -t musicdna-alloc.XXXXXX)"
free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
grpc="$(free_port)"; metrics="$(free_port)"
url="http://127.0.0.1:$grpc/$path"
headers=(-H 'content-type: application/grpc' -H 'te: trailers')
MALLOC_ARENA_MAX=2 dotnet "$build/MusicDna.Server.dll" --MusicDna:DataDirectory="$data" --MusicDna:Auth:Mode=Disabled --MusicDna:Bench:ReferenceFeed="$reference" \
  --MusicDna:Bootstrap:CatalogueCsv= --MusicDna:Bootstrap:TrainWhenNoModel=false \
  --Kestrel:Endpoints:Grpc:Url="http://127.0.0.1:$grpc" --Kestrel:Endpoints:Metrics:Url="http://127.0.0.1:$metrics" \
  > "$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do grep -q "serving" "$work/server.log" && break; sleep 0.5; done
h2load -c 4 -m 1 -t 1 -D 15 -d "$bodies/recommend-0.bin" "${headers[@]}" "$url" > /dev/null
"$counters" collect --duration 00:00:16 -p "$server" --counters System.Runtime --format csv -o "$work/counters.csv" \
  --refresh-interval 1 > /dev/null 2>&1 &
collector=$!
sleep 3
calls="$(h2load -c 4 -m 1 -t 1 -D 10 -d "$bodies/recommend-0.bin" "${headers[@]}" "$url" | sed -n 's/.* \([0-9]*\) succeeded.*/\1/p')"
wait "$collector" || true
/usr/bin/python3 - "$work/counters.csv" "$calls" "$build" "$target" <<'PY'
import sys
rates = [float(line.rsplit(",", 1)[1]) for line in open(sys.argv[1]) if "total_allocated" in line]
calls = int(sys.argv[2])
print(f"{sys.argv[3]} ({sys.argv[4]}): {sum(rates) / 1e6:.1f} MB allocated over {len(rates)} s, {calls} calls: {sum(rates) / calls:,.0f} B per call")
PY

#!/usr/bin/env bash
# The test command: set up (idempotent), run every test project, and end with one line
# "N passed, N failed[, N skipped]" summed from the TRX results. Exits non-zero if any test fails.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" Release || exit 1

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
dotnet test "$root/MusicDna.sln" -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results"
status=$?

passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(value total); executed=$(value executed); p=$(value passed); f=$(value failed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + ${total:-0} - ${executed:-0}))
done
if [ "$files" -eq 0 ]; then
  echo "no .NET test results were written" >&2
  [ "$status" -ne 0 ] || status=1
fi
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=$((failed + 1))   # a crashed run must not read as green

# The contract: buf's STANDARD lint rules, and no breaking change against the newest released image
# (each counted as one check).
buf="$root/clients/typescript/node_modules/.bin/buf"
released="$(ls "$root"/protos/released/v*.json | sort -V | tail -n 1)"
for check in "lint" "breaking --against $released"; do
  echo "== buf $check"
  if (cd "$root" && $buf $check); then
    passed=$((passed + 1))
  else
    failed=$((failed + 1)); status=1
  fi
done

# Python client against the real server (stdlib unittest: "Ran N tests", then "OK" or "FAILED (...)").
echo "== Python client tests"
python_log="$results/python.log"
(cd "$root/clients/python" && /usr/bin/python3 -m unittest discover -s tests -v) 2>&1 | tee "$python_log"
python_status=${PIPESTATUS[0]}
ran=$(sed -n 's/^Ran \([0-9]*\) tests\?.*/\1/p' "$python_log" | tail -n 1)
py_failed=$(( $(sed -n 's/.*failures=\([0-9]*\).*/\1/p' "$python_log" | tail -n 1) + $(sed -n 's/.*errors=\([0-9]*\).*/\1/p' "$python_log" | tail -n 1) + 0 ))
py_skipped=$(( $(sed -n 's/.*skipped=\([0-9]*\).*/\1/p' "$python_log" | tail -n 1) + 0 ))
[ "$python_status" -eq 0 ] || [ "$py_failed" -gt 0 ] || py_failed=1
passed=$((passed + ${ran:-0} - py_failed - py_skipped)); failed=$((failed + py_failed)); skipped=$((skipped + py_skipped))
[ "$python_status" -eq 0 ] || status=1

# TypeScript client against the real server (node's test runner: "# pass N", "# fail N", "# skipped N").
echo "== TypeScript client tests"
node_log="$results/typescript.log"
(cd "$root/clients/typescript" && npm run -s test) 2>&1 | tee "$node_log"
node_status=${PIPESTATUS[0]}
node_count() { sed -n "s/^# $1 \([0-9]*\)$/\1/p" "$node_log" | tail -n 1; }
node_failed=$(( $(node_count fail) + $(node_count cancelled) + 0 ))
[ "$node_status" -eq 0 ] || [ "$node_failed" -gt 0 ] || node_failed=1
passed=$((passed + $(node_count pass) + 0)); failed=$((failed + node_failed)); skipped=$((skipped + $(node_count skipped) + 0))
[ "$node_status" -eq 0 ] || status=1

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"

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
  echo "no test results were written" >&2
  [ "$status" -ne 0 ] || status=1
fi
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1   # a crashed run must not read as green

if [ "$skipped" -gt 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
exit "$status"

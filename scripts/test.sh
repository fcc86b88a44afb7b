#!/usr/bin/env bash
# The test command: set up (idempotent), run every suite, and end with one line "N passed, N failed[, N skipped]"
# summed over all of them by scripts/lib/test_summary.py. Exits non-zero if any test fails or any suite crashes.
#
# The suites, in order: the summary helper's own tests, every .NET test project in MusicDna.sln, buf lint and buf
# breaking on the contract (one check each), the Python client suite and the TypeScript client suite (both against
# a real server on free loopback ports). Their logs and .NET TRX files stay in artifacts/test-results/.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" Release || exit 1

results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
# What test_summary.py reads at the end: for each suite its label, where its results are, and its exit status.
summary=()

echo "== scripts/lib: the test summary's own tests"
(cd "$root/scripts/lib" && /usr/bin/python3 -m unittest discover -s . -p 'test_*.py' -v) 2>&1 | tee "$results/test-summary.log"
summary+=(--unittest "test_summary.py" "$results/test-summary.log" "${PIPESTATUS[0]}")

echo "== .NET tests"
dotnet test "$root/MusicDna.sln" -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results/dotnet"
summary+=(--dotnet ".NET (MusicDna.sln)" "$results/dotnet" "$?")

# The contract: buf's STANDARD lint rules, and no breaking change against the newest released image.
buf="$root/clients/typescript/node_modules/.bin/buf"
released="$(ls "$root"/protos/released/v*.json | sort -V | tail -n 1)"
echo "== buf lint"
(cd "$root" && "$buf" lint)
summary+=(--check "buf lint" "$?")
echo "== buf breaking against ${released#"$root"/}"
(cd "$root" && "$buf" breaking --against "$released")
summary+=(--check "buf breaking" "$?")

echo "== Python client tests"
(cd "$root/clients/python" && /usr/bin/python3 -m unittest discover -s tests -v) 2>&1 | tee "$results/python.log"
summary+=(--unittest "Python client" "$results/python.log" "${PIPESTATUS[0]}")

echo "== TypeScript client tests"
(cd "$root/clients/typescript" && npm run -s test) 2>&1 | tee "$results/typescript.log"
summary+=(--node "TypeScript client" "$results/typescript.log" "${PIPESTATUS[0]}")

echo "== summary"
exec /usr/bin/python3 "$root/scripts/lib/test_summary.py" "${summary[@]}"

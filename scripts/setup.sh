#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian 12 machine with the .NET 10 SDK: the native packages MusicDna builds
# against (FAISS, BLAS/LAPACK, CMake, g++), then restore and build. Safe to run again: it installs only what
# is missing and the build is incremental. Usage: scripts/setup.sh [Debug|Release]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
configuration="${1:-${CONFIGURATION:-Release}}"

# Native build (FAISS shim) + the cross-language client tests (Debian's protoc 3.21 with the gRPC plugins and
# the well-known types the contract imports, which only libprotobuf-dev ships; Python's grpcio and protobuf;
# Node.js where the machine has none) + PostgreSQL, whose programs (initdb, pg_ctl) the tests run a private server
# with, and scripts/run-cluster.sh a shared catalogue.
packages=(cmake g++ make libfaiss-dev libopenblas-dev liblapack-dev
          protobuf-compiler protobuf-compiler-grpc libprotobuf-dev python3-grpcio python3-protobuf postgresql)
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  as_root=()
  [ "$(id -u)" -eq 0 ] || as_root=(sudo)
  # Wait for another apt (unattended upgrades, a second checkout's set-up) instead of failing on its lock.
  "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq
  DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
    --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "setup: the .NET 10 SDK is required (dotnet not found on PATH)" >&2; exit 1; }
major="$(dotnet --version | cut -d. -f1)"
[ "$major" -ge 10 ] || { echo "setup: .NET SDK 10 or newer is required, found $(dotnet --version)" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "setup: building MusicDna ($configuration)"
dotnet build "$root/MusicDna.sln" -c "$configuration" -nologo -clp:ErrorsOnly -v:quiet

echo "setup: generating the Python and TypeScript clients"
"$root/clients/python/generate.sh"
(
  cd "$root/clients/typescript"
  # Install only when the lock file changed since the last install. `npm install` rather than `npm ci`: the
  # registry copy serves only buf's linux-x64 binary package, so the lock cannot list the other platforms'
  # optional packages that `npm ci` insists on; `npm install` honours the committed lock and leaves it unchanged.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm install --no-audit --no-fund --loglevel=error
  fi
  npm run -s generate
  npm run -s build
)

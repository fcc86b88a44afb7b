#!/usr/bin/env bash
# The main job: set up (idempotent), then serve MusicDna on 127.0.0.1:50051 over ./data, and MusicDna Explorer (the
# web page) on http://127.0.0.1:9464/ (printed at start).
# An empty data directory is seeded from the sample catalogue that ships in src/MusicDna.Server/seed/ and a
# first model is trained in the background (health turns SERVING when it is ready, well within a minute).
# Extra arguments go to the server, e.g. --MusicDna:DataDirectory=/var/lib/musicdna or --urls.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" Release
cd "$root"
# Authentication is off for this local quick start (an explicit development flag; the server logs a warning).
# For real use configure API keys (README, "Authentication") and pass --MusicDna:Auth:Mode=ApiKeys.
# MusicDna Explorer is served on the HTTP/1.1 endpoint (Kestrel:Endpoints:Metrics, with /metrics).
explorer_url="http://127.0.0.1:9464/"
for argument in "$@"; do
  case "$argument" in --Kestrel:Endpoints:Metrics:Url=*) explorer_url="${argument#*=}/" ;; esac
done
echo "run: MusicDna Explorer (the sonic map, search and live feeds) at ${explorer_url%//}"
exec dotnet "$root/src/MusicDna.Server/bin/Release/net10.0/MusicDna.Server.dll" --MusicDna:Auth:Mode=Disabled "$@"

#!/usr/bin/env bash
# Memory under bursts of 200 MiB-inflating bodies (issue 8): builds the Release server, then runs
# bench/memory-burst.mjs, which starts it, measures RSS idle / peak / 60 s after a burst of
# unauthenticated and of authenticated bodies, and (with --write) records bench/results/memory.md.
# Takes about 3 minutes; run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Grains.Server/Grains.Server.csproj -c Release --nologo -v q
node bench/memory-burst.mjs "$@"

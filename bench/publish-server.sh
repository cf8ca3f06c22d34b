#!/usr/bin/env bash
# Publishes the server as it ships (deploy/Dockerfile): Release, framework-dependent, ReadyToRun for this
# machine's runtime, into bench/.server/. Prints the server dll's path; the bench scripts run that build
# (GRAINS_BENCH_SERVER) so a measured minute is not spent compiling the server's code.
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/.server
dotnet publish src/Grains.Server/Grains.Server.csproj -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true -o "$out" --nologo -v q >&2
echo "$PWD/$out/Grains.Server.dll"

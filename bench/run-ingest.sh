#!/usr/bin/env bash
# Ingest benchmark (issue 3): builds Release, then runs bench/Grains.IngestBench, which starts the
# Grains server and a bare-Kestrel ceiling on loopback, replays realistic envelopes and writes
# bench/results/ingest.md. Run it on a quiet machine: the load generator shares the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Grains.sln -c Release --nologo -v q
dotnet bench/Grains.IngestBench/bin/Release/net10.0/Grains.IngestBench.dll --write "$@"

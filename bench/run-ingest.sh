#!/usr/bin/env bash
# Ingest benchmark (issue 3): builds Release, publishes the server ReadyToRun as it ships (bench/publish-server.sh;
# GRAINS_BENCH_SERVER=<dll> runs another build), then runs bench/Grains.IngestBench, which starts the
# Grains server and a bare-Kestrel ceiling on loopback, replays realistic envelopes (closed loop, a fixed
# rate, 100,000 distinct issues, one hot issue at 2,000 events/s with its grain-state writes counted) and writes
# bench/results/ingest.md above its notes marker (hand-written text below it is kept). Run it on a quiet
# machine: the load generator shares the cores; the bench waits up to 5 min per run for a load below 1.5.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Grains.sln -c Release --nologo -v q
export GRAINS_BENCH_SERVER=${GRAINS_BENCH_SERVER:-$(bash bench/publish-server.sh)}
dotnet bench/Grains.IngestBench/bin/Release/net10.0/Grains.IngestBench.dll --write "$@"

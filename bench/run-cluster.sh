#!/usr/bin/env bash
# Cluster ingest benchmark: builds the server and the bench in Release, then runs
# `Grains.IngestBench cluster`, which starts a throwaway PostgreSQL (eng/pg-throwaway.sh, never as
# root) and 1 then 3 silo processes, spreads the closed loop over every silo, measures accepted and
# processed events/s, latency, per-event CPU / WAL / statements, and the binary COPY / multi-row
# INSERT ceiling of the same rows in the same run; writes bench/results/cluster.md (hand-written
# notes below its marker line are kept). Extra arguments go to the bench (e.g. --silos 1,2,3,
# --duration 60, --no-sqlite, --perf 15 for a profiling run with perf maps).
#
# Run it on a quiet machine: everything shares the cores. The script waits (up to
# GRAINS_BENCH_WAIT_MINUTES, default 10) for the 1-minute load average to drop below
# GRAINS_BENCH_MAX_LOAD (default 1.0), then measures anyway and the report shows the load.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Grains.Server -c Release --nologo -v q
dotnet build bench/Grains.IngestBench -c Release --nologo -v q
# The server as it ships: ReadyToRun (bench/publish-server.sh), unless GRAINS_BENCH_SERVER names another build.
export GRAINS_BENCH_SERVER=${GRAINS_BENCH_SERVER:-$(bash bench/publish-server.sh)}

max_load=${GRAINS_BENCH_MAX_LOAD:-1.0}
deadline=$(( $(date +%s) + 60 * ${GRAINS_BENCH_WAIT_MINUTES:-10} ))
while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$max_load" 'BEGIN { exit !(l >= m) }'; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "run-cluster: load average $(cut -d' ' -f1 /proc/loadavg) still >= $max_load; measuring anyway" >&2
    break
  fi
  echo "run-cluster: load average $(cut -d' ' -f1 /proc/loadavg) >= $max_load, waiting" >&2
  sleep 20
done

GRAINS_BENCH_CONFIGURATION=Release dotnet bench/Grains.IngestBench/bin/Release/net10.0/Grains.IngestBench.dll cluster --write "$@"

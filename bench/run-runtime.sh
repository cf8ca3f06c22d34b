#!/usr/bin/env bash
# Runtime benchmarks of issue 2: local grain calls and SQLite streams, each beside its floor or
# ceiling measured in the same run. Builds Release, runs every scenario (about 2 minutes on 2 cores)
# and writes bench/results/runtime.md. Extra arguments go to the benchmark program, e.g.
#   bench/run-runtime.sh --only calls      bench/run-runtime.sh --quick --out /tmp/runtime.md
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build bench/Grains.Runtime.Benchmarks/Grains.Runtime.Benchmarks.csproj -c Release --nologo -v q -warnaserror
out=bench/results/runtime.md
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--out" ]; then j=$((i + 1)); out=${!j}; fi
done
status=0
dotnet bench/Grains.Runtime.Benchmarks/bin/Release/net10.0/Grains.Runtime.Benchmarks.dll --out "$out" "$@" || status=$?
# Exit code 1: a target was missed (the report says which); anything else is a failure of the run.
if [ "$status" -gt 1 ]; then exit "$status"; fi
echo "targets $([ "$status" -eq 0 ] && echo met || echo 'not all met') — see $out"

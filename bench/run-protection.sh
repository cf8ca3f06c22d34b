#!/usr/bin/env bash
# Protection benchmark (issue 11): builds Release, then runs `Grains.IngestBench protection`: tenant A
# floods (its DSN key over a quota), tenant B sends a steady rate; B's latency alone and under the flood,
# B's loss, A's 429s, server CPU, the cost of a 429 beside bare Kestrel; embedded, then a cluster on
# PostgreSQL. Writes bench/results/protection.md above its notes marker. Run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Grains.sln -c Release --nologo -v q
dotnet bench/Grains.IngestBench/bin/Release/net10.0/Grains.IngestBench.dll protection "$@"

#!/usr/bin/env bash
# Alerts benchmark (issue 12): builds Release, then runs `Grains.IngestBench alerts`: ingest throughput
# without rules and with 10 rules per project (fresh embedded servers), and the delay from an event's
# 200 to its webhook over 1,000 firings. Writes bench/results/alerts.md above its notes marker. Run it
# on a quiet machine: the load generator and the webhook receiver share the cores with the server.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Grains.sln -c Release --nologo -v q
dotnet bench/Grains.IngestBench/bin/Release/net10.0/Grains.IngestBench.dll alerts "$@"

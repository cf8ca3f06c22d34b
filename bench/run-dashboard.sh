#!/usr/bin/env bash
# Dashboard bench (issue 13): builds the Release server, installs playwright-core for the bench (its own
# package.json and lock file), then runs bench/dashboard/bench.mjs: 100,000 issues in a project, time to
# first byte and to interactive of the issue stream and an issue page in headless Chromium
# (/usr/bin/chromium). With --write it records bench/results/dashboard.md. Takes a few minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build src/Grains.Server/Grains.Server.csproj -c Release --nologo -v q
(cd bench/dashboard && npm ci --no-audit --no-fund)
node bench/dashboard/bench.mjs "$@"

#!/usr/bin/env bash
# Runs every test suite of Grains. Installs what the suites need when it is missing and it can
# (root + apt-get). Prints each runner's summary; exits non-zero when any suite fails.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

need_apt=()
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
# PostgreSQL server binaries for the providers' and cluster tests (eng/pg-throwaway.sh looks in the same places).
have_initdb() { command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; }
have_initdb || need_apt+=(postgresql-15)
# A headless browser for the @sentry/browser end-to-end test and the dashboard's browser tests.
command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null || need_apt+=(chromium)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"
  else
    echo "missing system packages: ${need_apt[*]} (run as root with apt-get, or install them)" >&2
  fi
fi

failed=()
summary=()

run_suite() { # name, command...
  local name=$1; shift
  echo "=== $name ==="
  if "$@"; then summary+=("PASS  $name"); else summary+=("FAIL  $name"); failed+=("$name"); fi
}

mkdir -p TestResults
run_suite "dotnet build" dotnet build Grains.sln -c Release -warnaserror --nologo -v q
if [ ${#failed[@]} -eq 0 ]; then
  # One throwaway PostgreSQL server for every suite (each test creates its own database on it),
  # stopped and deleted on exit. Should it fail to start, the tests try to start their own.
  pgdir=$(mktemp -d "${TMPDIR:-/tmp}/grains-test-pg.XXXXXX")
  trap 'bash eng/pg-throwaway.sh stop "$pgdir" >/dev/null 2>&1; rm -rf "$pgdir"' EXIT
  if pg_connection=$(bash eng/pg-throwaway.sh start "$pgdir"); then
    export GRAINS_TEST_POSTGRES="$pg_connection"
    echo "PostgreSQL for tests: $GRAINS_TEST_POSTGRES"
  else
    summary+=("FAIL  postgres (throwaway server, see above)"); failed+=("postgres")
  fi
  # Azurite (local Azure Storage, npm, lock file committed) for Grains.Azure.Tests; without it those tests fail and say so.
  if ! (cd tests/azurite && { [ -f node_modules/azurite/dist/src/table/main.js ] || npm ci --no-audit --no-fund --loglevel=error; }); then
    summary+=("FAIL  azurite (npm ci)"); failed+=("azurite-install")
  fi
  # A real SMTP server (npm smtp-server, lock file committed) for the email alert tests in Grains.Server.Tests;
  # the tests start it (tests/smtp/server.js) and stop it; without it those tests fail and say so.
  if ! (cd tests/smtp && { [ -d node_modules/smtp-server ] || npm ci --no-audit --no-fund --loglevel=error; }); then
    summary+=("FAIL  smtp test server (npm ci)"); failed+=("smtp-install")
  fi
  # The real @sentry/node (npm, lock file committed) with which the dashboard's browser tests send events.
  if ! (cd tests/Grains.Browser.Tests/sentry && { [ -d node_modules/@sentry/node ] || npm ci --no-audit --no-fund --loglevel=error; }); then
    summary+=("FAIL  browser tests' sender (npm ci)"); failed+=("browser-sender-install")
  fi
  for proj in tests/*/*.Tests.csproj; do
    name=$(basename "$proj" .csproj)
    run_suite "$name" dotnet test "$proj" -c Release --no-build --nologo \
      --logger "console;verbosity=normal" --results-directory TestResults --blame-hang-timeout 10m
  done
  # End-to-end: the real Sentry SDKs (npm, lock file committed) against the Release build.
  if (cd tests/e2e && { { [ -d node_modules/@sentry/node ] && [ -d node_modules/@sentry/browser ] && [ -d node_modules/smtp-server ]; } || npm ci --no-audit --no-fund --loglevel=error; }); then
    run_suite "e2e (@sentry/node, @sentry/browser)" bash -c 'cd tests/e2e && npm test --silent'
  else
    summary+=("FAIL  e2e (npm ci)"); failed+=("e2e-install")
  fi
fi

echo
echo "=== summary ==="
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
echo "all suites passed"

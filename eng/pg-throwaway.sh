#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and local clusters, started from the machine's binaries.
#   eng/pg-throwaway.sh start DIR [PORT]   initdb (once) + start; prints the Npgsql connection string
#   eng/pg-throwaway.sh stop DIR           fast shutdown
# The server never runs as root: when called as root it runs as the 'postgres' user (created by the
# postgresql package) and DIR is handed to that user. Listens on 127.0.0.1 and a Unix socket in DIR.
set -euo pipefail
cmd=${1:?usage: pg-throwaway.sh start|stop DIR [PORT]}
dir=${2:?usage: pg-throwaway.sh start|stop DIR [PORT]}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

bin=""
if command -v initdb >/dev/null 2>&1; then bin=$(dirname "$(readlink -f "$(command -v initdb)")"); fi
if [ -z "$bin" ]; then bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true); fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "pg-throwaway: PostgreSQL server binaries not found (apt-get install postgresql-15)" >&2
  exit 2
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
  start)
    port=${3:-}
    if [ -z "$port" ]; then
      port=$(python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
)
    fi
    [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U grains --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=256MB" start >/dev/null \
      || { tail -20 "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    as_owner "$bin/psql" -h 127.0.0.1 -p "$port" -U grains -d postgres -qtAc \
      "SELECT 1 FROM pg_database WHERE datname = 'grains'" | grep -q 1 \
      || as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U grains grains
    echo "Host=127.0.0.1;Port=$port;Username=grains;Database=grains"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "usage: pg-throwaway.sh start|stop DIR [PORT]" >&2
    exit 2
    ;;
esac

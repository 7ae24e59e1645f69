#!/usr/bin/env bash
# Runs a command against a throw-away PostgreSQL cluster: `initdb` into a temporary folder,
# trust authentication, a free port on 127.0.0.1 and a unix socket in that folder. The
# command sees TEST_DATABASE_URL (the cluster's `postgres` database, as the `postgres`
# superuser, which may create and drop databases). When the command ends — passed, failed
# or interrupted — the cluster is stopped and its folder removed; the command's exit code
# is this script's.
#
#   scripts/with-postgres.sh npx vitest run
#
# Finds the server binaries in /usr/lib/postgresql/<newest>/bin (Debian's `postgresql`
# package), on PATH, or in POSTGRES_BIN. Run as root, the cluster belongs to the `postgres`
# user the package creates, because PostgreSQL refuses to run as root.
set -euo pipefail

bin="${POSTGRES_BIN:-}"
if [ -z "$bin" ]; then
  bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [ -z "$bin" ] && command -v initdb >/dev/null; then bin="$(dirname "$(command -v initdb)")"; fi
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ] || [ ! -x "$bin/pg_ctl" ]; then
  echo "with-postgres: initdb and pg_ctl not found (install Debian's postgresql package, or set POSTGRES_BIN)" >&2
  exit 127
fi
if [ $# -eq 0 ]; then
  echo "usage: $0 <command> [args…]" >&2
  exit 2
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/ticket0-postgres.XXXXXX")"
as_owner=()
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with-postgres: running as root needs the 'postgres' user (Debian's postgresql package creates it)" >&2
    rm -rf "$dir"
    exit 1
  fi
  chown postgres: "$dir"
  as_owner=(runuser -u postgres --)
fi

child=""
cleanup() {
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
  "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"

"${as_owner[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
# Durability is pointless for a cluster that is deleted afterwards; without fsync the
# tests' many small transactions and CREATE DATABASE calls are several times faster.
options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
"${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -o "$options" -l "$dir/server.log" -w -t 60 start >/dev/null || {
  cat "$dir/server.log" >&2
  exit 1
}

export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $port ($dir)"
# In the background so that a signal to this script is handled at once (bash runs traps only
# between commands): the command is stopped, then the cluster.
set +e
"$@" &
child=$!
wait "$child"
status=$?
set -e
child=""
exit "$status"

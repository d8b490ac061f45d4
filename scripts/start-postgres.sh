#!/usr/bin/env bash
# Starts a throw-away PostgreSQL cluster for the sync server's tests and benchmark, and prints its URL on stdout
# (postgresql://p2c@127.0.0.1:54329/p2c). Idempotent: a cluster already running on the port is reused. `make test`
# runs it and hands the URL to pytest as P2C_TEST_POSTGRES_URL.
#
# Debian's postgresql package does not start a server where there is no systemd (containers, CI), and initdb refuses
# to run as root, so the cluster runs as the `postgres` user when we are root. Trust authentication, listening on
# 127.0.0.1 only. Prints nothing (and says why on stderr) when it cannot start one; the PostgreSQL tests then skip
# with that reason, or fail under CI=true.
set -euo pipefail
export LC_ALL=C
PORT=${P2C_POSTGRES_PORT:-54329}
DIR=${P2C_POSTGRES_DIR:-/tmp/p2c-postgres-$PORT}
URL="postgresql://p2c@127.0.0.1:$PORT/p2c"

say() { echo "start-postgres: $*" >&2; }

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
  say "PostgreSQL is not installed (scripts/debian-packages/server.txt lists it); the PostgreSQL tests cannot run"
  exit 0
fi
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || { say "no postgres user (is the postgresql package installed?)"; exit 0; }
  as_owner=(runuser -u postgres --)
fi

ready() { "$bindir/pg_isready" -q -h 127.0.0.1 -p "$PORT"; }
if ! ready; then
  mkdir -p "$DIR"
  [ ${#as_owner[@]} -eq 0 ] || chown postgres "$DIR"
  if [ ! -f "$DIR/data/PG_VERSION" ]; then
    "${as_owner[@]}" "$bindir/initdb" -D "$DIR/data" -A trust -U p2c -E UTF8 >"$DIR/initdb.log" 2>&1 \
      || { say "initdb failed; see $DIR/initdb.log"; exit 0; }
  fi
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$DIR/data" -l "$DIR/log" -w -t 30 \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null \
    || { say "the server did not start; see $DIR/log"; exit 0; }
fi
if ! "$bindir/psql" -h 127.0.0.1 -p "$PORT" -U p2c -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='p2c'" \
    | grep -q 1; then
  "$bindir/psql" -h 127.0.0.1 -p "$PORT" -U p2c -d postgres -qc "CREATE DATABASE p2c" >/dev/null
fi
echo "$URL"

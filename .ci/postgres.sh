#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster on 127.0.0.1 (a free port) for the portal's
# tests and prints its URL, for POA_TEST_POSTGRES. Stop it with:
#   pg_ctl -D DIR/data stop     (DIR is printed on stderr)
# Usage: bash .ci/postgres.sh [DIR]     Needs Debian's postgresql package.
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$BIN" ]; then
  echo "PostgreSQL no está instalado (apt-get install postgresql)." >&2
  exit 1
fi
DIR=${1:-$(mktemp -d /tmp/poa-pg.XXXXXX)}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PASS=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
mkdir -p "$DIR"
printf '%s\n' "$PASS" > "$DIR/pw"
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ "$(id -u)" = 0 ]; then chown -R postgres "$DIR"; fi
as_owner "$BIN/initdb" -D "$DIR/data" -U poa --pwfile="$DIR/pw" -A scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$DIR/initdb.log"
as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c max_connections=100" start >/dev/null
echo "PostgreSQL en $DIR (detener: $BIN/pg_ctl -D $DIR/data stop)" >&2
echo "postgres://poa:$PASS@127.0.0.1:$PORT/postgres"

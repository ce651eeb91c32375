#!/bin/sh
# bench/scale.sh: the multi-node mode's cost on one node
# (docs/architecture-scale.md). Runs the chat benchmark (bench/chat.sh's
# load: CLIENTS in one class at RATE messages/s) against one node on
# SQLite and one node on PostgreSQL (a private cluster in a temporary
# directory, as the postgres user when run as root), alternately, and
# prints one JSON object:
# {pg_vs_sqlite: {sqlite: {…chat…}, postgresql: {…chat…}, p99_ratio}}.
# Target (issue 20): p99 on PostgreSQL ≤ 1.5 × SQLite's.
#
# Not measured yet: classes_per_node, lecture, failover_s (see the note).
set -eu
cd "$(dirname "$0")/.."

CLIENTS=${CLIENTS:-1000}
RATE=${RATE:-200}
DURATION=${DURATION:-10}
BUILD=${COHORT_BUILD_DIR:-_build}

ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [ ! -x "$BUILD/server/cohort-server" ] || [ ! -x "$BUILD/bench/cohort-chat-load" ]; then
  meson compile -C "$BUILD" cohort-server cohort-chat-load >&2
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin | tail -n1)
DIR=$(mktemp -d)
chmod 755 "$DIR"
AS_PG=
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$DIR"
  # setpriv execs in place (runuser would not pass our SIGINT on).
  AS_PG="setpriv --reuid=postgres --regid=postgres --init-groups --"
fi
SERVER_PID=
PG_PID=
cleanup() {
  [ -n "$SERVER_PID" ] && { kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; }
  [ -n "$PG_PID" ] && { kill -INT "$PG_PID" 2>/dev/null || true; wait "$PG_PID" 2>/dev/null || true; }
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

$AS_PG "$PGBIN/initdb" -D "$DIR/data" -A trust -U postgres --no-sync --locale=C -E UTF8 >/dev/null
# synchronous_commit stays on: a commit is durable when acknowledged.
$AS_PG "$PGBIN/postgres" -D "$DIR/data" -k "$DIR" -c listen_addresses= >"$DIR/pg.log" 2>&1 &
PG_PID=$!
PGURL="postgresql:///postgres?host=$DIR&user=postgres"
for _ in $(seq 1 100); do
  $AS_PG "$PGBIN/pg_isready" -q -h "$DIR" && break
  sleep 0.1
done

# One run of the chat load against one node on each database.
. bench/lib/chat-load.sh
SQLITE=$(chat_load "$DIR/bench.sqlite" "Bench $$-1")
PG=$(chat_load "$PGURL" "Bench $$-2")
p99() { printf '%s' "$1" | sed -n 's/.*"fanout_ms": *{[^}]*"p99": *\([0-9.]*\).*/\1/p'; }
RATIO=$(awk -v a="$(p99 "$PG")" -v b="$(p99 "$SQLITE")" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "null" }')
printf '{"pg_vs_sqlite":{"clients":%s,"rate":%s,"sqlite":%s,"postgresql":%s,"p99_ratio":%s}}\n' \
  "$CLIENTS" "$RATE" "$SQLITE" "$PG" "$RATIO"

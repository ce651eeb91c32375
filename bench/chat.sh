#!/bin/sh
# bench/chat.sh: 1,000 real WebSocket clients in one class on this machine,
# chat at 200 messages/s; prints one JSON object:
# {clients, fanout_ms: {p50, p99, max}, server_cpu_pct, server_rss_mb, …}.
# Targets (issue 4): p99 ≤ 50 ms, RSS ≤ 150 MB.
#
# CLIENTS, RATE and DURATION override the defaults. Loopback only.
set -eu
cd "$(dirname "$0")/.."

CLIENTS=${CLIENTS:-1000}
RATE=${RATE:-200}
DURATION=${DURATION:-10}
BUILD=${COHORT_BUILD_DIR:-_build}

# Two sockets per client on this machine (ours and the server's), plus slack.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [ ! -x "$BUILD/server/cohort-server" ] || [ ! -x "$BUILD/bench/cohort-chat-load" ]; then
  meson compile -C "$BUILD" cohort-server cohort-chat-load >&2
fi

DIR=$(mktemp -d)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

# class.create needs a staff credential: one account for the load generator.
COHORT_STAFF_CREDENTIAL=$("$BUILD/server/cohort-server" --database "$DIR/bench.sqlite" --add-staff Bench |
  sed -n 's/.*"credential":"\([^"]*\)".*/\1/p')
export COHORT_STAFF_CREDENTIAL

"$BUILD/server/cohort-server" --listen 127.0.0.1 --port 0 --database "$DIR/bench.sqlite" \
  >"$DIR/server.out" 2>"$DIR/server.err" &
SERVER_PID=$!

PORT=
for _ in $(seq 1 100); do
  PORT=$(sed -n 's|.*listening on ws://[^:]*:\([0-9]*\)/ws.*|\1|p' "$DIR/server.out" | head -n1)
  [ -n "$PORT" ] && break
  sleep 0.1
done
if [ -z "$PORT" ]; then
  echo "cohort-server did not start:" >&2
  cat "$DIR/server.err" >&2
  exit 1
fi

timeout 300 "$BUILD/bench/cohort-chat-load" --port "$PORT" --clients "$CLIENTS" --rate "$RATE" \
  --seconds "$DURATION" --server-pid "$SERVER_PID"

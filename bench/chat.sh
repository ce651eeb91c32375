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

. bench/lib/chat-load.sh
chat_load "$DIR/bench.sqlite" Bench

#!/bin/sh
# bench/insights.sh: the teacher's Insights page for a generated class of
# 1,000 students with 30 past lessons; prints one JSON object:
# {insights_ms: {p50, p99, …} (each process fresh), live_update_ms (the
# page's refresh after insights.changed while bench/chat.sh's load runs in
# another class), server_rss_mb, …}. Targets (issue 13): insights_ms p99
# ≤ 200 ms, live_update_ms p99 ≤ 50 ms. Loopback only.
set -eu
cd "$(dirname "$0")/.."
BUILD=${COHORT_BUILD_DIR:-_build}

# The chat load's 1,000 clients: two sockets each on this machine.
ulimit -n 8192 2>/dev/null || ulimit -n "$(ulimit -Hn)"

if [ ! -x "$BUILD/server/cohort-server" ] || [ ! -x "$BUILD/bench/cohort-bench-insights" ]; then
  meson compile -C "$BUILD" >&2
fi

export COHORT_SERVER="$BUILD/server/cohort-server"
export COHORT_CHAT_LOAD="${COHORT_CHAT_LOAD-$BUILD/bench/cohort-chat-load}"
[ -n "$COHORT_CHAT_LOAD" ] || unset COHORT_CHAT_LOAD
exec timeout 900 "$BUILD/bench/cohort-bench-insights" "$@"

#!/bin/sh
# bench/practice.sh: adaptive practice for a bank of 5,000 questions in 200
# knowledge points, 1,000 students and 50,000 past answers; prints one JSON
# object: {next_set_ms, answer_update_ms, heatmap_ms: {p50, p99, max, n},
# first_set_ms (the first request, which loads the bank), answer_burst_ms
# (20 students answering at the same moment), server_rss_mb, …}.
# Targets (issue 14): next_set_ms p99 ≤ 50, answer_update_ms p99 ≤ 10,
# heatmap_ms p99 ≤ 200. Through a real cohort-server over WebSocket on
# loopback.
set -eu
cd "$(dirname "$0")/.."
BUILD=${COHORT_BUILD_DIR:-_build}

if [ ! -x "$BUILD/server/cohort-server" ] || [ ! -x "$BUILD/bench/cohort-bench-practice" ]; then
  meson compile -C "$BUILD" >&2
fi

export COHORT_SERVER="$BUILD/server/cohort-server"
exec timeout 900 "$BUILD/bench/cohort-bench-practice" "$@"

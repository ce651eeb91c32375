#!/bin/sh
# bench/ai.sh: {token_to_pane_ms: {p50, p99}, chat_fanout_p99_ms_during_ai, …}
# Runs a fake streaming upstream, real cohort-servers and real sessions.
set -eu
BUILD=${COHORT_BUILD_DIR:-_build}
export COHORT_SERVER="$BUILD/server/cohort-server"
exec "$BUILD/bench/cohort-bench-ai"

#!/bin/sh
# bench/ai.sh: prints one JSON object: token_to_pane_ms {p50, p99} (one
# answer), chat_fanout_p99_ms_without_ai and _during_ai (a class of 132, 100
# answers streaming), within_20_percent, token_to_pane_ms_during_ai, and the
# tokens/s carried. Targets (issue 7): token p99 ≤ 20 ms; fan-out during AI
# within 20 % of without. A fake streaming upstream, real cohort-servers,
# real sessions; docs/architecture-ai.md explains the set-up.
set -eu
BUILD=${COHORT_BUILD_DIR:-_build}
export COHORT_SERVER="$BUILD/server/cohort-server"
exec "$BUILD/bench/cohort-bench-ai"

#!/bin/sh
# bench/media.sh: {join_to_first_frame_ms, glass_to_glass_ms,
# floor_glass_to_glass_ms, student_cpu_pct, student_rss_mb, teacher_cpu_pct}
# A real cohort-server with its embedded Janus, inside the media tests'
# private network namespace (nothing leaves it).
set -eu
BUILD=${COHORT_BUILD_DIR:-_build}
export COHORT_SERVER="$BUILD/server/cohort-server"
exec tests/media/netns-run.sh "$BUILD/bench/cohort-bench-media"

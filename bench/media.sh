#!/bin/sh
# bench/media.sh: {join_to_first_frame_ms, glass_to_glass_ms,
# floor_glass_to_glass_ms, student_cpu_pct, student_rss_mb, teacher_cpu_pct}
# and the real app on screen (cohort-bench-display.c: app_cpu_pct,
# app_rss_mb, app_fps_presented, app_cpu_pct_small_tile), one object.
# A real cohort-server with its embedded Janus, inside the media tests'
# private network namespace (nothing leaves it).
set -eu
BUILD=${COHORT_BUILD_DIR:-_build}
export COHORT_SERVER="$BUILD/server/cohort-server"
receive=$(tests/media/netns-run.sh "$BUILD/bench/cohort-bench-media")
display=$(tests/media/netns-run.sh "$BUILD/bench/cohort-bench-display")
# Two objects on one line each: "{a…}" and "{b…}" make "{a…, b…}".
printf '%s, %s\n' "${receive%\}}" "${display#\{}"

#!/bin/sh
# bench/voice.sh: the study groups' voice rooms, one JSON object
# (bench/cohort-bench-voice.c): join_to_first_audio_ms, mouth_to_ear_ms
# and its floor, server_cpu_pct and janus_cpu_pct with 10 rooms of 6,
# student_cpu_pct, audio_gap_ratio at 10 % loss. A real cohort-server with
# its embedded Janus (AudioBridge), inside the media tests' private network
# namespace; tests/media/netcond.sh imposes the loss there.
set -eu
BUILD=${COHORT_BUILD_DIR:-_build}
export COHORT_SERVER="$BUILD/server/cohort-server"
COHORT_NETCOND="$(pwd)/tests/media/netcond.sh"
export COHORT_NETCOND
exec tests/media/netns-run.sh "$BUILD/bench/cohort-bench-voice"

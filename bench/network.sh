#!/bin/sh
# bench/network.sh: the teacher's 720p30 feed to a student under loss and
# rate caps, one JSON object keyed by condition (see
# bench/cohort-bench-network.c). COHORT_BENCH_SECONDS (30) is each
# condition's window; COHORT_BENCH_CONDITIONS (comma-separated) picks some.
# Inside the media tests' private namespace; tests/media/netcond.sh imposes
# the conditions there.
set -eu
BUILD=${COHORT_BUILD_DIR:-_build}
export COHORT_SERVER="$BUILD/server/cohort-server"
COHORT_NETCOND="$(pwd)/tests/media/netcond.sh"
export COHORT_NETCOND
exec tests/media/netns-run.sh "$BUILD/bench/cohort-bench-network"

#!/bin/sh
# bench/coldjoin.sh: cold_join_to_first_frame_ms and its breakdown alone
# (bench/run media measures it too): COHORT_BENCH_COLD_JOINS (17) fresh
# student processes, each from its spawn to its first decoded frame.
set -eu
export COHORT_BENCH_CONDITIONS=none
export COHORT_BENCH_COLD_JOINS="${COHORT_BENCH_COLD_JOINS:-17}"
exec bench/network.sh

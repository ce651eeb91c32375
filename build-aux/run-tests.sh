#!/bin/sh
# README command 2: install what is needed, build, and run every test suite.
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh

BUILD=${COHORT_BUILD_DIR:-_build}
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" --buildtype=debugoptimized
fi
meson compile -C "$BUILD"
meson test -C "$BUILD" --print-errorlogs --num-processes 2 "$@"

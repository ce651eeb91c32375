#!/bin/sh
# README command 2: install what is needed, build, and run every test suite.
#
# With no arguments (as CI runs it, .ci/run) a second pass follows: the
# tree built with AddressSanitizer and UndefinedBehaviorSanitizer in
# _build-asan, running the core, server and fuzz (corpus replay) suites.
# Arguments go to the first pass's meson test, as before, and skip the
# second: ./build-aux/run-tests.sh --suite server. COHORT_ASAN=0 skips it,
# COHORT_ASAN=1 runs it even with arguments.
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh

BUILD=${COHORT_BUILD_DIR:-_build}
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" --buildtype=debugoptimized
fi
meson compile -C "$BUILD"
meson test -C "$BUILD" --print-errorlogs --num-processes 2 "$@"

if [ "${COHORT_ASAN:-$([ $# -eq 0 ] && echo 1 || echo 0)}" != 1 ]; then
  exit 0
fi

# Sanitizers (docs/fuzzing.md). b_lundef=false: the sanitizer runtimes are
# linked into executables only, not into the static libraries.
ASAN_BUILD=${COHORT_ASAN_BUILD_DIR:-_build-asan}
if [ ! -f "$ASAN_BUILD/build.ninja" ]; then
  meson setup "$ASAN_BUILD" --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false
fi
meson compile -C "$ASAN_BUILD"

# Any finding fails the test: leaks too (the servers the tests start exit
# through their normal shutdown path), and UBSan does not just log and go
# on. G_SLICE=always-malloc lets ASan see GLib's small allocations. The
# tests' waits for a frame are three times as long (tests/common), and
# one test runs at a time: each starts servers as slow as itself.
# build-aux/lsan.supp lists leaks outside the project, each with its reason;
# its patterns name GLib and libsoup functions, which the default
# frame-pointer unwinder cannot see (Debian builds them without), hence
# fast_unwind_on_malloc=0.
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1:fast_unwind_on_malloc=0" \
UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
LSAN_OPTIONS="suppressions=$(pwd)/build-aux/lsan.supp:print_suppressions=0" \
G_SLICE=always-malloc COHORT_TEST_TIMEOUT_SCALE=3 \
  meson test -C "$ASAN_BUILD" --print-errorlogs --num-processes 1 \
    --timeout-multiplier 3 --suite core --suite server --suite fuzz

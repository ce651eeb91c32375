#!/bin/sh
# fuzz/run.sh TARGET [RUNS]: runs one libFuzzer target of a -Dfuzzing=true
# build (docs/fuzzing.md), then minimises what it found together with
# fuzz/corpus/TARGET back into fuzz/corpus/TARGET. Crashes land in
# fuzz/regressions/TARGET/. Runs under nice: the machine is shared.
set -eu
cd "$(dirname "$0")/.."

target=$1
runs=${2:-10000000}
build=${COHORT_FUZZ_BUILD_DIR:-_build-fuzz}
bin=$build/fuzz/fuzz-$target
work=$build/fuzz/work-$target
merged=$build/fuzz/merged-$target

if [ ! -x "$bin" ]; then
  echo "No $bin: CC=clang meson setup $build -Dfuzzing=true && meson compile -C $build fuzz-$target" >&2
  exit 1
fi

set --
if [ -f "fuzz/dict/$target.dict" ]; then
  set -- "-dict=fuzz/dict/$target.dict"
fi

mkdir -p "$work" "fuzz/corpus/$target" "fuzz/regressions/$target"
nice -n 10 "$bin" "$@" -runs="$runs" -max_len="${MAX_LEN:-4096}" -timeout=10 \
  -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="fuzz/regressions/$target/" \
  "$work" "fuzz/corpus/$target" "fuzz/regressions/$target"

# Keep only the inputs that add coverage.
rm -rf "$merged"
mkdir -p "$merged"
nice -n 10 "$bin" "$@" -merge=1 "$merged" "fuzz/corpus/$target" "$work"
rm -rf "fuzz/corpus/$target"
mv "$merged" "fuzz/corpus/$target"
echo "fuzz/corpus/$target: $(ls "fuzz/corpus/$target" | wc -l) files"

#!/bin/sh
# bench/quiz.sh: 1,000 students answer a live quiz question within 2 s.
# Prints one JSON object: launch_ms {p50, p99} (launch until each student
# has the question), results_ms {p50, p99} (an answer until the teacher's
# live results include it), results_last_ms (the last answer until the
# results count everyone), server_cpu_pct (the server's CPU over that
# time, percent of one core). See bench/cohort-quiz-load.c.
#
# QUIZ_STUDENTS and QUIZ_SPREAD_MS override 1000 and 2000;
# QUIZ_DB_DIR puts the database elsewhere (default: a fresh temporary
# directory, so on whatever file system $TMPDIR is; the server commits
# every answer with synchronous=FULL).
set -eu
cd "$(dirname "$0")/.."

BUILD=${COHORT_BUILD_DIR:-_build}
STUDENTS=${QUIZ_STUDENTS:-1000}
SPREAD=${QUIZ_SPREAD_MS:-2000}
SERVER="$BUILD/server/cohort-server"
LOAD="$BUILD/bench/cohort-quiz-load"

if [ ! -x "$SERVER" ] || [ ! -x "$LOAD" ]; then
  echo "Build first: meson compile -C $BUILD (or run bench/run quiz)" >&2
  exit 2
fi

# Two sockets per student (ours and the server's) plus some.
ulimit -n $((STUDENTS * 2 + 256)) 2>/dev/null || true

tmp=$(mktemp -d "${QUIZ_DB_DIR:-${TMPDIR:-/tmp}}/cohort-bench-quiz.XXXXXX")
pid=
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  if [ -n "${QUIZ_KEEP_LOG:-}" ]; then cp "$tmp/server.log" "$QUIZ_KEEP_LOG"; fi
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# class.create needs a staff credential: one account for the load generator.
COHORT_STAFF_CREDENTIAL=$("$SERVER" --database "$tmp/bench.sqlite" --add-staff Bench |
  sed -n 's/.*"credential":"\([^"]*\)".*/\1/p')
export COHORT_STAFF_CREDENTIAL

G_MESSAGES_DEBUG= "$SERVER" --listen 127.0.0.1 --port 0 --database "$tmp/bench.sqlite" \
  >"$tmp/server.log" 2>&1 &
pid=$!

url=
for _ in $(seq 100); do
  url=$(sed -n 's/.*listening on \(ws:[^ ]*\).*/\1/p' "$tmp/server.log" | head -n 1)
  [ -n "$url" ] && break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "cohort-server did not start:" >&2
  cat "$tmp/server.log" >&2
  exit 1
fi

"$LOAD" --url "$url" --students "$STUDENTS" --spread-ms "$SPREAD" --server-pid "$pid"

#!/bin/sh
# Test flatpak-elements (TAP): the GStreamer elements the app builds at run
# time exist inside the sandbox, asked with the sandbox's own gst-inspect-1.0.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
APP=org.cohortclass.Cohort

eval "$("$SRC/tests/flatpak/flatpak-app.sh")"
export FLATPAK_USER_DIR
XDG_RUNTIME_DIR=$(mktemp -d)
export XDG_RUNTIME_DIR
trap 'rm -rf "$XDG_RUNTIME_DIR"' EXIT

n=0
fail=0
for element in webrtcbin nicesrc nicesink vp8enc vp8dec rtpvp8pay rtpvp8depay \
               opusenc opusdec pipewiresrc ximagesrc videoconvert appsink; do
  n=$((n + 1))
  if out=$(flatpak run --command=gst-inspect-1.0 "$APP" "$element" 2>&1); then
    echo "ok $n - $element in the sandbox"
  else
    echo "not ok $n - $element in the sandbox"
    echo "$out" | tail -3 | sed 's/^/# /'
    fail=1
  fi
done
echo "1..$n"
exit $fail

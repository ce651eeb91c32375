#!/bin/sh
# Test flatpak-class: test-flatpak-class (TAP) inside the media tests'
# network namespace (tests/media/netns-run.sh), Xvfb and a private D-Bus
# session. The app is built and installed first, outside the namespace,
# where the network is (flatpak-app.sh, cached).
#   flatpak-class.sh TEST-BINARY
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)

eval "$("$SRC/tests/flatpak/flatpak-app.sh")"
export FLATPAK_USER_DIR
# flatpak run keeps its instance data in the runtime directory.
XDG_RUNTIME_DIR=$(mktemp -d)
export XDG_RUNTIME_DIR
trap 'rm -rf "$XDG_RUNTIME_DIR"' EXIT

"$SRC/tests/media/netns-run.sh" \
  xvfb-run -a -s "-screen 0 1280x1024x24" \
  "$SRC/tests/common/bus-run.sh" "$1" --tap

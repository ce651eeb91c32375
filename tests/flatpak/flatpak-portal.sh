#!/bin/sh
# Test flatpak-portal (TAP): screen share through the real ScreenCast portal,
# with the app inside the sandbox.
#   flatpak-portal.sh TEST-BINARY     (tests/flatpak/test-flatpak-portal)
#
# tests/portal/portal-stack.sh (or $COHORT_PORTAL_STACK) runs TEST-BINARY
# inside the headless sway + PipeWire + xdg-desktop-portal(-wlr) desktop
# of portal-session.sh and the media tests' network namespace, with
# FLATPAK_USER_DIR exported (made readable by the desktop's unprivileged
# user). The test starts the sandboxed app itself (flatpak run … as the
# class's teacher) and prints TAP.
#
# Skipped only when the local runtime cannot be built here (no network to
# a Debian mirror, no mmdebstrap): the flatpak-build test reports that.
# An app that does not build, or a screen share that fails, fails.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
STACK=${COHORT_PORTAL_STACK:-$SRC/tests/portal/portal-stack.sh}

if [ $# -eq 0 ]; then
  echo "usage: $0 TEST-BINARY" >&2
  exit 2
fi

if ! "$SRC/build-aux/flatpak/build-local-runtime.sh" >/dev/null; then
  echo "1..0 # SKIP the local Flatpak runtime cannot be built here (build-aux/flatpak/build-local-runtime.sh)"
  exit 0
fi
eval "$("$SRC/tests/flatpak/flatpak-app.sh")"
export FLATPAK_USER_DIR
exec "$STACK" "$@"

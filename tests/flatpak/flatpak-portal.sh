#!/bin/sh
# Test flatpak-portal (TAP): screen share through the real ScreenCast portal,
# with the app inside the sandbox.
#
# HOOK for the portal work of #21 (branch `portal`): that work provides the
# script that starts the headless sway + PipeWire + xdg-desktop-portal(-wlr)
# stack and its screen-share check. Point COHORT_PORTAL_STACK at it (or
# commit it at the default path below); it is called as
#   $COHORT_PORTAL_STACK COMMAND…
# with COHORT_APP_COMMAND set to the words that start the sandboxed app
# (flatpak run … org.cohortclass.Cohort), FLATPAK_USER_DIR exported, and it
# prints TAP itself. Until it exists this test is skipped.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
APP=org.cohortclass.Cohort
STACK=${COHORT_PORTAL_STACK:-$SRC/tests/portal/portal-stack.sh}

if [ ! -x "$STACK" ]; then
  echo "1..0 # SKIP no portal stack script ($STACK)"
  exit 0
fi

eval "$("$SRC/tests/flatpak/flatpak-app.sh")"
export FLATPAK_USER_DIR
COHORT_APP_COMMAND="flatpak run --env=GSK_RENDERER=cairo --env=NO_AT_BRIDGE=1 $APP"
export COHORT_APP_COMMAND
exec "$STACK" "$@"

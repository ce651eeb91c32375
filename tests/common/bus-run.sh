#!/bin/sh
# bus-run.sh COMMAND…: runs COMMAND on a private D-Bus session bus.
#
# Services the bus starts on demand inherit its standard output; the
# accessibility registry prints a banner there, which would land in the
# test's TAP stream. So the bus and its services write to stderr, and only
# COMMAND writes to the real standard output (passed down as fd 3).
set -eu
exec 3>&1
exec dbus-run-session -- sh -c 'exec "$@" 1>&3 3>&-' bus-run "$@" 1>&2

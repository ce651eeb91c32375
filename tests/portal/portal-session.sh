#!/bin/sh
# portal-session.sh [--] COMMAND [ARG…]
#
# Runs COMMAND inside a headless Wayland desktop with a working ScreenCast
# portal, then tears the desktop down and exits with COMMAND's status.
# Used by the "portal" suite (tests/portal/meson.build) and meant for the
# "flatpak" suite too (COMMAND may be `flatpak run …`).
#
# The desktop, all in a fresh private directory, inside one private D-Bus
# session bus (no systemd, no logind):
#   sway 1.7       WLR_BACKENDS=headless WLR_RENDERER=pixman
#                  WLR_LIBINPUT_NO_DEVICES=1; no bar, no borders.
#                  HEADLESS-1 (1280x720) shows only a moving test pattern
#                  filling it (videotestsrc SMPTE bars, a clock in the
#                  bottom right corner: frames only arrive when the screen
#                  changes). HEADLESS-2 (created after it, and focused)
#                  takes COMMAND's windows, so they never cover the pattern.
#   pipewire, wireplumber      plain processes
#   xdg-desktop-portal-wlr     build-aux/portal-xdpw.sh's patched 0.7.0, with
#                              [screencast] chooser_type=none and
#                              output_name=HEADLESS-1: Start shares
#                              HEADLESS-1 without asking
#   xdg-desktop-portal         XDG_CURRENT_DESKTOP=sway
#
# sway refuses to run as root: run as root, the script drops to
# $COHORT_PORTAL_USER (default nobody) with setpriv for the desktop AND for
# COMMAND, so COMMAND must be readable and executable by that user (the
# build tree is, with the usual umask 022), and must write only to $HOME,
# $TMPDIR or /tmp. Run as another user, it stays that user.
#
# COMMAND's environment: what this script got, plus
#   WAYLAND_DISPLAY, SWAYSOCK, XDG_RUNTIME_DIR   the private desktop
#   DBUS_SESSION_BUS_ADDRESS  unix:path=… (a path, not an abstract socket,
#                             so that COMMAND may enter another network
#                             namespace, e.g. tests/media/netns-run.sh)
#   HOME, XDG_CONFIG_HOME, XDG_DATA_HOME, XDG_CACHE_HOME   private, empty
#   XDG_CURRENT_DESKTOP=sway, GDK_BACKEND=wayland; DISPLAY is unset
#   COHORT_PORTAL_OUTPUT=HEADLESS-1, COHORT_PORTAL_WIDTH/HEIGHT=1280/720
#   COHORT_PORTAL_PATTERN=smpte    what HEADLESS-1 shows
#   COHORT_PORTAL_STACK_MS    how long the desktop took to come up
#   GST_REGISTRY              a private copy of the caller's registry
#
# Optional input:
#   COHORT_XDPW          the xdg-desktop-portal-wlr binary to use (default:
#                        build-aux/portal-xdpw.sh, which builds and caches it)
#   COHORT_PORTAL_USER   see above
#   COHORT_PORTAL_KEEP=1 keep the private directory (its logs/) afterwards
# The desktop's logs are printed to stderr when COMMAND fails or the
# desktop does not come up (exit status 1 then, before COMMAND runs).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
self="$here/$(basename "$0")"

log() { echo "portal-session: $*" >&2; }

# Polls "$@" every 50 ms for up to $timeout seconds.
wait_for() {
  what=$1 timeout=$2
  shift 2
  n=0
  while ! "$@" >/dev/null 2>&1; do
    n=$((n + 1))
    if [ $n -gt $((timeout * 20)) ]; then
      log "timed out waiting for $what"
      return 1
    fi
    sleep 0.05
  done
}

now_ms() { date +%s%3N; }

# ------------------------------------------------------------------ outer
if [ "${1:-}" != --inner ]; then
  [ "${1:-}" = -- ] && shift
  if [ $# -eq 0 ]; then
    echo "usage: $0 [--] COMMAND [ARG…]" >&2
    exit 2
  fi
  for tool in sway pipewire wireplumber dbus-run-session gst-launch-1.0 setpriv; do
    if ! command -v $tool >/dev/null 2>&1; then
      log "$tool is missing: run build-aux/install-deps.sh"
      exit 1
    fi
  done
  if [ ! -x /usr/libexec/xdg-desktop-portal ]; then
    log "xdg-desktop-portal is missing: run build-aux/install-deps.sh"
    exit 1
  fi
  start_ms=$(now_ms)
  xdpw=${COHORT_XDPW:-$("$here/../../build-aux/portal-xdpw.sh" | tail -n1)}

  dir=$(mktemp -d "${TMPDIR:-/tmp}/cohort-portal.XXXXXX")
  if [ "${COHORT_PORTAL_KEEP:-0}" = 1 ]; then
    trap 'log "kept $dir"' EXIT
  else
    trap 'rm -rf "$dir"' EXIT
  fi
  trap 'exit 130' INT TERM
  chmod 755 "$dir"
  mkdir -p "$dir/run" "$dir/home" "$dir/logs" "$dir/portals"
  chmod 700 "$dir/run"
  # The user may not be able to read root's cache: a private copy.
  cp "$xdpw" "$dir/xdg-desktop-portal-wlr"
  cp "$(dirname "$xdpw")/wlr.portal" "$dir/portals/"

  cat >"$dir/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$dir/run/bus</listen>
  <auth>EXTERNAL</auth>
  <standard_session_servicedirs/>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
  cat >"$dir/sway.conf" <<EOF
output HEADLESS-1 mode 1280x720 position 0 0
default_border none
default_floating_border none
font pango:monospace 1
titlebar_border_thickness 0
titlebar_padding 1
focus_follows_mouse no
xwayland disable
exec sh -c 'echo "\$WAYLAND_DISPLAY \$SWAYSOCK" >"$dir/run/sway-ready"'
EOF
  cat >"$dir/xdpw.conf" <<EOF
[screencast]
output_name=HEADLESS-1
chooser_type=none
max_fps=30
EOF

  # One GStreamer registry for the pattern and COMMAND, seeded from the
  # caller's: otherwise each would scan every plugin again (seconds each).
  registry=${GST_REGISTRY:-${XDG_CACHE_HOME:-$HOME/.cache}/gstreamer-1.0/registry.$(uname -m).bin}
  if [ -r "$registry" ]; then
    cp "$registry" "$dir/run/gst-registry.bin"
  fi
  if [ "$(id -u)" -eq 0 ]; then
    user=${COHORT_PORTAL_USER:-nobody}
    chown -R "$user" "$dir/run" "$dir/home" "$dir/logs"
    drop="setpriv --reuid=$user --regid=$(id -g "$user") --clear-groups --"
  else
    drop=""
  fi

  # Files named on the command line (the test binary, say) must be
  # readable by that user: say so plainly rather than fail deep inside.
  for arg in "$@"; do
    case $arg in
      /*) if [ -e "$arg" ] && ! $drop test -r "$arg"; then
            log "$arg is not readable by ${user:-$(id -un)} (see the top of $0)"
            exit 1
          fi ;;
    esac
  done

  status=0
  # shellcheck disable=SC2086
  env -u DISPLAY -u XAUTHORITY -u WAYLAND_DISPLAY -u SWAYSOCK -u DBUS_SESSION_BUS_ADDRESS \
    HOME="$dir/home" XDG_RUNTIME_DIR="$dir/run" \
    XDG_CONFIG_HOME="$dir/home/.config" XDG_DATA_HOME="$dir/home/.local/share" \
    XDG_CACHE_HOME="$dir/home/.cache" XDG_STATE_HOME="$dir/home/.local/state" \
    XDG_CURRENT_DESKTOP=sway XDG_SESSION_TYPE=wayland GDK_BACKEND=wayland \
    XDG_DESKTOP_PORTAL_DIR="$dir/portals" GST_REGISTRY="$dir/run/gst-registry.bin" \
    COHORT_PORTAL_DIR="$dir" COHORT_PORTAL_START_MS="$start_ms" \
    $drop dbus-run-session --config-file="$dir/bus.conf" -- "$self" --inner "$@" || status=$?
  exit $status
fi

# ------------------------------------------------------------------ inner
# Here: the unprivileged user, the private bus is up.
shift
[ "${1:-}" = -- ] && shift
dir=$COHORT_PORTAL_DIR
logs=$dir/logs
pids=""

dump_logs() {
  for f in "$logs"/*.log; do
    [ -s "$f" ] || continue
    echo "----- $(basename "$f") (last 40 lines)" >&2
    tail -n 40 "$f" >&2
  done
}

teardown() {
  # Newest first: the portals before the compositor they talk to.
  for pid in $pids; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $pids; do
    wait "$pid" 2>/dev/null || true
  done
  pids=""
}

fail() {
  log "$*"
  teardown
  dump_logs
  exit 1
}

# Where the start-up time goes: "sway 900 pipewire 1020 …" (ms since the
# script started).
marks=""
mark() { marks="$marks $1 $(( $(now_ms) - COHORT_PORTAL_START_MS ))"; }

trap 'teardown' EXIT
trap 'exit 130' INT TERM

WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 \
  sway -c "$dir/sway.conf" >"$logs/sway.log" 2>&1 &
pids="$! $pids"
wait_for "sway" 30 test -s "$dir/run/sway-ready" || fail "sway did not start"
read -r WAYLAND_DISPLAY SWAYSOCK <"$dir/run/sway-ready"
mark sway
export WAYLAND_DISPLAY SWAYSOCK

pipewire >"$logs/pipewire.log" 2>&1 &
pids="$! $pids"
wait_for "pipewire" 30 test -S "$XDG_RUNTIME_DIR/pipewire-0" || fail "pipewire did not start"
mark pipewire
wireplumber >"$logs/wireplumber.log" 2>&1 &
pids="$! $pids"

# The pattern: RGB (what the screen holds), so that no colour conversion
# happens before the capture.
gst-launch-1.0 -q videotestsrc is-live=true pattern=smpte \
  ! video/x-raw,format=BGRx,width=1280,height=720,framerate=30/1 \
  ! timeoverlay halignment=right valignment=bottom font-desc="Sans 24" \
  ! waylandsink >"$logs/pattern.log" 2>&1 &
pattern=$!
pids="$pattern $pids"
wait_for "the pattern's window" 30 sh -c "swaymsg -t get_tree | grep -q '\"pid\": $pattern,'" ||
  fail "the test pattern did not appear"
mark pattern

# COMMAND's windows go to a second output.
swaymsg -q create_output || fail "no second output"
wait_for "HEADLESS-2" 30 sh -c "swaymsg -t get_outputs | grep -q HEADLESS-2" || fail "no HEADLESS-2"
swaymsg -q focus output HEADLESS-2

wait_for "wireplumber" 30 sh -c "pw-cli ls Client | grep -q 'application.name = \"WirePlumber\"'" ||
  fail "wireplumber did not start"
mark wireplumber

"$dir/xdg-desktop-portal-wlr" -c "$dir/xdpw.conf" -l INFO >"$logs/xdpw.log" 2>&1 &
pids="$! $pids"
wait_for "xdg-desktop-portal-wlr" 30 \
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetNameOwner org.freedesktop.impl.portal.desktop.wlr ||
  fail "xdg-desktop-portal-wlr did not start"
mark xdpw

# The bus would start it on the first call too (with the same
# environment, XDG_DESKTOP_PORTAL_DIR included); started here, its log is
# kept apart.
/usr/libexec/xdg-desktop-portal -r >"$logs/xdg-desktop-portal.log" 2>&1 &
pids="$! $pids"
wait_for "xdg-desktop-portal" 30 \
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.GetNameOwner org.freedesktop.portal.Desktop ||
  fail "xdg-desktop-portal did not start"
wait_for "the ScreenCast portal" 30 sh -c \
  "gdbus introspect --session --dest org.freedesktop.portal.Desktop --object-path /org/freedesktop/portal/desktop |
   grep -q org.freedesktop.portal.ScreenCast" ||
  fail "xdg-desktop-portal has no ScreenCast"
mark xdg-desktop-portal

COHORT_PORTAL_STACK_MS=$(( $(now_ms) - COHORT_PORTAL_START_MS ))
log "desktop up in $COHORT_PORTAL_STACK_MS ms (ms since start:$marks)"
export COHORT_PORTAL_STACK_MS COHORT_PORTAL_OUTPUT=HEADLESS-1 COHORT_PORTAL_WIDTH=1280 COHORT_PORTAL_HEIGHT=720
export COHORT_PORTAL_PATTERN=smpte
unset COHORT_PORTAL_DIR COHORT_PORTAL_START_MS

status=0
"$@" || status=$?
if [ $status -ne 0 ]; then
  log "$1 exited with $status"
  teardown
  dump_logs
fi
exit $status

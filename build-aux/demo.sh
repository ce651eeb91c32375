#!/bin/sh
# README command 1: install what is needed, build, and start a demo class on
# this machine: cohort-server (its SQLite file under the user's data folder),
# one teacher window and one student window, already joined.
set -eu
cd "$(dirname "$0")/.."

./build-aux/install-deps.sh

BUILD=${COHORT_BUILD_DIR:-_build}
if [ ! -f "$BUILD/build.ninja" ]; then
  meson setup "$BUILD" --buildtype=debugoptimized
fi
meson compile -C "$BUILD"

PORT=${COHORT_DEMO_PORT:-8765}
DATA="${XDG_DATA_HOME:-$HOME/.local/share}/cohort-server"
mkdir -p "$DATA"
# What the bus, the portals and GTK print goes here, not to the terminal.
LOG="$DATA/demo-app.log"

# The app is a single-instance GApplication: it needs a session bus. The
# bus daemon's chatter, and what the services it starts print (the
# accessibility registry's banner), go to the log; the script's own
# messages (fds 3 and 4) still reach the terminal.
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && [ -z "${COHORT_DEMO_IN_BUS:-}" ]; then
  : > "$LOG"
  exec 3>&2 4>&1
  COHORT_DEMO_IN_BUS=1 exec dbus-run-session -- "$0" "$@" >>"$LOG" 2>>"$LOG"
fi
if [ -n "${COHORT_DEMO_IN_BUS:-}" ]; then
  exec 1>&4 2>&3 3>&- 4>&-
fi
DB="$DATA/demo.db"
URL="ws://127.0.0.1:$PORT/ws"

export GSETTINGS_SCHEMA_DIR="$PWD/$BUILD/data"
export COHORT_LOCALEDIR="$PWD/$BUILD/po"

# Without a display (a server, a container), run the windows on Xvfb and
# keep a screenshot of the class.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  export DISPLAY=:77
  Xvfb "$DISPLAY" -screen 0 1600x900x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  HEADLESS=1
  sleep 1
else
  XVFB_PID=""
  HEADLESS=0
fi

"$BUILD/server/cohort-server" --port "$PORT" --database "$DB" > "$DATA/demo-server.log" 2>&1 &
SERVER_PID=$!

cleanup() {
  kill "$SERVER_PID" ${TEACHER_PID:-} ${STUDENT_PID:-} 2>/dev/null || true
  [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

for _ in $(seq 50); do
  grep -q "listening on" "$DATA/demo-server.log" 2>/dev/null && break
  sleep 0.1
done
if ! grep -q "listening on" "$DATA/demo-server.log"; then
  echo "cohort-server did not start; see $DATA/demo-server.log" >&2
  cat "$DATA/demo-server.log" >&2
  exit 1
fi

# Only staff may start a class: the demo makes its own staff account once
# (the database is kept between runs) and keeps its credential, shown only
# this once, in a 0600 file, for trying "Start a Class" in the app.
STAFF_FILE="$DATA/demo-staff.json"
if ! "$BUILD/server/cohort-server" --database "$DB" --list-staff |
     grep -q '"name":"Demo staff","created_at":[0-9]*,"revoked":false'; then
  (umask 077 && "$BUILD/server/cohort-server" --database "$DB" --add-staff "Demo staff" > "$STAFF_FILE")
  echo "Staff account \"Demo staff\" created; its credential is in $STAFF_FILE"
fi

# The class belongs to that account. It has no waiting room, so that Sam's
# window below is in the class at once: the demo shows a class, not the
# admission flow (with the waiting room on, Ms. Li would first admit him;
# a known student with a personal code would skip it, but the demo keeps to
# the class code the app's --code takes today).
CLASS=$("$BUILD/server/cohort-server" --database "$DB" \
          --create-class "Demo: Light and colour" --teacher-name "Ms. Li" \
          --staff "Demo staff" --no-waiting-room)
CODE=$(printf '%s' "$CLASS" | sed -n 's/.*"code" *: *"\([^"]*\)".*/\1/p')
# The teacher key goes to the app in a 0600 file: on the command line,
# every user of the machine would read it in `ps`.
KEY_FILE="$DATA/demo-teacher-key"
(umask 077 && printf '%s' "$CLASS" | sed -n 's/.*"teacher_key" *: *"\([^"]*\)".*/\1/p' > "$KEY_FILE")

echo "Demo class $CODE on $URL"

# The second invocation opens its window in the running app, as a second
# launch of a GNOME app does; each window has its own session.
"$BUILD/ui/cohort" --server "$URL" --code "$CODE" --teacher-key-file "$KEY_FILE" --name "Ms. Li" 2>>"$LOG" &
TEACHER_PID=$!
sleep 2
"$BUILD/ui/cohort" --server "$URL" --code "$CODE" --name "Sam" 2>>"$LOG" &
STUDENT_PID=$!

# Side by side on an X11 display (Xvfb included); a Wayland compositor
# places windows itself. The window titles name the user and the role.
place() {
  wid=$(timeout 20 xdotool search --sync --onlyvisible --name "$1" 2>/dev/null | head -n 1) || return 0
  [ -n "$wid" ] && xdotool windowsize "$wid" "$2" "$3" windowmove "$wid" "$4" 0 2>/dev/null || true
}
if [ -z "${WAYLAND_DISPLAY:-}" ] && command -v xdotool >/dev/null 2>&1; then
  SCREEN_W=$(xdpyinfo 2>/dev/null | sed -n 's/.*dimensions: *\([0-9]*\)x\([0-9]*\).*/\1/p')
  SCREEN_H=$(xdpyinfo 2>/dev/null | sed -n 's/.*dimensions: *\([0-9]*\)x\([0-9]*\).*/\2/p')
  SCREEN_W=${SCREEN_W:-1600}
  SCREEN_H=${SCREEN_H:-900}
  HALF=$((SCREEN_W / 2))
  place "Ms\\. Li" "$HALF" "$SCREEN_H" 0
  place "— Sam" "$HALF" "$SCREEN_H" "$HALF"
fi

if [ "$HEADLESS" = 1 ]; then
  sleep 4
  import -window root "$DATA/demo-screenshot.png" 2>/dev/null &&
    echo "No display found: the demo runs on Xvfb; screenshot in $DATA/demo-screenshot.png"
fi
echo "Warnings of the app and the desktop bus: $LOG"

echo "Press Ctrl+C to end the demo."
wait "$TEACHER_PID" "$STUDENT_PID" 2>/dev/null || true

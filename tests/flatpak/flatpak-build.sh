#!/bin/sh
# Test flatpak-build (TAP): builds the app with flatpak-builder from the local
# manifest (flatpak-app.sh, cached) and checks what was installed: the
# client alone (-Dclient_only=true), its AppStream and desktop files, and
# exactly the Flathub manifest's permissions.
set -eu
SRC=$(cd "$(dirname "$0")/../.." && pwd)
APP=org.cohortclass.Cohort

eval "$("$SRC/tests/flatpak/flatpak-app.sh")"
export FLATPAK_USER_DIR

n=0
fail=0
check() {
  desc=$1
  shift
  n=$((n + 1))
  if "$@"; then
    echo "ok $n - $desc"
  else
    echo "not ok $n - $desc"
    fail=1
  fi
}

LOC=$(flatpak --user info --show-location "$APP")
FILES=$LOC/files
echo "# installed at $LOC: $(du -sh "$FILES" | cut -f1) (app), $(du -sh "$LOC" | cut -f1) with its metadata"

check "the app is installed" test -x "$FILES/bin/cohort"
check "client only: no cohort-server" test ! -e "$FILES/bin/cohort-server"
check "client only: nothing but the app in bin/" test "$(ls "$FILES/bin")" = cohort
# flatpak-builder 1.2 moves the metainfo to share/appdata/ and composes
# the catalogue that software centres read from it.
check "AppStream data" test -f "$FILES/share/appdata/$APP.appdata.xml" -o -f "$FILES/share/metainfo/$APP.metainfo.xml"
check "AppStream catalogue composed" test -f "$FILES/share/app-info/xmls/$APP.xml.gz"
check "desktop file" test -f "$FILES/share/applications/$APP.desktop"
check "GSettings schema" test -f "$FILES/share/glib-2.0/schemas/gschemas.compiled"

# The permissions are the Flathub manifest's finish-args, no more.
want=$(python3 -c 'import json,sys; print("\n".join(sorted(json.load(open(sys.argv[1]))["finish-args"])))' \
         "$SRC/build-aux/flatpak/$APP.json")
got=$(flatpak --user info --show-permissions "$APP" | python3 -c '
import configparser, sys
c = configparser.ConfigParser(delimiters=("=",))
c.optionxform = str
c.read_string(sys.stdin.read())
args = []
ctx = c["Context"] if "Context" in c else {}
for key, flag in (("shared", "share"), ("sockets", "socket"), ("devices", "device"),
                  ("filesystems", "filesystem"), ("features", "allow")):
    for v in ctx.get(key, "").split(";"):
        if v:
            args.append("--%s=%s" % (flag, v))
# flatpak info lists the x11 socket that fallback-x11 implies.
if "--socket=fallback-x11" in args and "--socket=x11" in args:
    args.remove("--socket=x11")
for section in c.sections():
    if section != "Context":
        args.append("[%s]" % section)
print("\n".join(sorted(args)))')
echo "# permissions: $(echo "$got" | tr '\n' ' ')"
check "permissions are the Flathub manifest's finish-args" test "$want" = "$got"

echo "1..$n"
exit $fail

#!/bin/sh
# portal-stack.sh TEST-BINARY [ARG…]
#
# The portal stack for the sandboxed app (the flatpak suite's
# flatpak-portal test, tests/flatpak/flatpak-portal.sh, calls it): the
# headless desktop of portal-session.sh, then the media tests' network
# namespace (tests/media/netns-run.sh), then TEST-BINARY --tap, which
# starts the app with `flatpak run` from $FLATPAK_USER_DIR.
#
# The desktop runs as an unprivileged user (sway refuses root), and so
# does `flatpak run`, which must read the private installation. That lives
# in root's cache (~/.cache/cohort-flatpak/…/user), which that user cannot
# reach. Run as root, this script therefore enters a private mount
# namespace and bind-mounts the installation on a directory that user can
# traverse: nothing is copied and nothing outside changes; the mount ends
# with the namespace. Run as another user, the installation is that
# user's already.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)

if [ $# -eq 0 ] || [ -z "${FLATPAK_USER_DIR:-}" ]; then
  echo "usage: FLATPAK_USER_DIR=DIR $0 TEST-BINARY [ARG…]" >&2
  exit 2
fi

if [ "$(id -u)" -eq 0 ] && [ "${COHORT_PORTAL_STACK_NS:-}" != 1 ]; then
  COHORT_PORTAL_STACK_NS=1 exec unshare -m --propagation private "$0" "$@"
fi

if [ "$(id -u)" -eq 0 ]; then
  mnt=$(mktemp -d "${TMPDIR:-/tmp}/cohort-flatpak-portal.XXXXXX")
  # The mounts end with the namespace; then the empty mount points go.
  trap 'umount "$mnt"/user/* "$mnt"/user/.[!.]* 2>/dev/null; rm -rf "$mnt"' EXIT
  chmod 755 "$mnt"
  mkdir "$mnt/user"
  # The installation's own top directory is 0700: bind what it holds (all
  # world-readable) into one the user may enter. Read-only: the user may
  # read the installation, never change it.
  for entry in "$FLATPAK_USER_DIR"/* "$FLATPAK_USER_DIR"/.[!.]*; do
    [ -e "$entry" ] || continue
    name=$(basename "$entry")
    if [ -d "$entry" ]; then mkdir "$mnt/user/$name"; else : >"$mnt/user/$name"; fi
    mount --bind "$entry" "$mnt/user/$name"
    mount -o remount,bind,ro "$mnt/user/$name"
  done
  FLATPAK_USER_DIR=$mnt/user
  export FLATPAK_USER_DIR
fi

status=0
"$here/portal-session.sh" -- "$src/tests/media/netns-run.sh" "$@" --tap || status=$?
exit $status

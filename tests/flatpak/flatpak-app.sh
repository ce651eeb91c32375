#!/bin/sh
# flatpak-app.sh: makes sure the local runtime (build-aux/flatpak/
# build-local-runtime.sh) and the app, built by flatpak-builder from the
# local manifest, are installed in the private Flatpak installation.
# Prints FLATPAK_USER_DIR=<dir> on stdout, for `eval`; logs go to stderr.
#
# Both steps are cached under $COHORT_FLATPAK_CACHE (~/.cache/cohort-flatpak):
# the runtime by its package lists, each flatpak-builder module by its
# sources, so an unchanged tree costs a tree hash and an install.
set -eu

SRC=$(cd "$(dirname "$0")/../.." && pwd)
CACHE=${COHORT_FLATPAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cohort-flatpak}
APP=org.cohortclass.Cohort

eval "$("$SRC/build-aux/flatpak/build-local-runtime.sh")"
export FLATPAK_USER_DIR

mkdir -p "$CACHE"
exec 9>"$CACHE/app.lock"
flock 9

# One tree builds at a time per cache; a test that finds the app built from
# this very tree (same manifest, same sources) does not build again.
MANIFEST=$CACHE/$APP.local.json
"$SRC/build-aux/flatpak/gen-local-manifest.py" "$SRC" > "$MANIFEST.new"
mv "$MANIFEST.new" "$MANIFEST"
# Outside git there is no list of the tree's files: flatpak-builder's own
# cache decides.
STAMP=none
if (cd "$SRC" && git rev-parse --is-inside-work-tree) >/dev/null 2>&1; then
  STAMP=$( (cat "$MANIFEST"; cd "$SRC" && git ls-files -co --exclude-standard -z |
            xargs -0 sha256sum 2>/dev/null || true) | sha256sum | cut -c1-32)
fi
if [ "$STAMP" != none ] && [ "$(cat "$CACHE/app.stamp" 2>/dev/null)" = "$STAMP" ] &&
   flatpak --user info "$APP" >/dev/null 2>&1; then
  echo "flatpak-app: $APP is built from this tree" >&2
  echo "FLATPAK_USER_DIR=$FLATPAK_USER_DIR"
  exit 0
fi

start=$(date +%s)
# flatpak-builder keeps a .flatpak-builder/ in its working directory.
cd "$CACHE"
# No rofiles-fuse: it needs /dev/fuse, which a container may not have,
# and only guards against a module writing into the runtime's files.
flatpak-builder --user --install --force-clean --disable-rofiles-fuse \
  --state-dir="$CACHE/builder" --default-branch=local --repo="$CACHE/app-repo" \
  "$CACHE/app-build" "$MANIFEST" >&2
echo "$STAMP" > "$CACHE/app.stamp"
echo "flatpak-app: built and installed $APP in $(( $(date +%s) - start )) s" >&2
echo "FLATPAK_USER_DIR=$FLATPAK_USER_DIR"

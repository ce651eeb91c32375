#!/bin/sh
# Builds a local Flatpak Platform and Sdk from Debian 12 packages and
# installs them into a private Flatpak installation, for machines that
# cannot reach Flathub (docs/flatpak.md). The Flathub manifest's runtime,
# org.gnome.Platform 46, is replaced by these two in the local manifest
# (gen-local-manifest.sh).
#
# Everything lives under $COHORT_FLATPAK_CACHE (default
# ~/.cache/cohort-flatpak/), in a directory keyed by the package lists and
# RUNTIME_FORMAT, so a later run with the same lists only checks that the
# runtime is installed. Nothing is installed outside that directory: the
# Flatpak installation is its own FLATPAK_USER_DIR.
#
# Prints one line, FLATPAK_USER_DIR=<dir>, on stdout; logs go to stderr.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${COHORT_FLATPAK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cohort-flatpak}
BRANCH=bookworm
PLATFORM=org.cohortclass.LocalPlatform
SDK=org.cohortclass.LocalSdk
REMOTE=cohort-local
# Bump when the layout or the fix-ups below change: the key then changes
# and the next run builds afresh.
RUNTIME_FORMAT=1

log() { echo "build-local-runtime: $*" >&2; }

packages() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' "$@" | grep -v '^$' | sort -u | paste -sd, -
}

ARCH=$(flatpak --default-arch)
KEY=$( (echo "$RUNTIME_FORMAT $ARCH $BRANCH"; packages "$HERE/platform.packages";
        packages "$HERE/platform.packages" "$HERE/sdk.packages") | sha256sum | cut -c1-16)
DIR=$CACHE/runtime-$KEY
export FLATPAK_USER_DIR="$DIR/user"

installed() {
  flatpak --user info "$PLATFORM//$BRANCH" >/dev/null 2>&1 &&
    flatpak --user info "$SDK//$BRANCH" >/dev/null 2>&1
}

if [ -f "$DIR/done" ] && installed; then
  log "cached: $DIR"
  echo "FLATPAK_USER_DIR=$FLATPAK_USER_DIR"
  exit 0
fi

mkdir -p "$CACHE/debs" "$DIR"
# One run at a time per cache (two suites, or two clones on one machine).
exec 9>"$CACHE/lock"
flock 9
if [ -f "$DIR/done" ] && installed; then
  echo "FLATPAK_USER_DIR=$FLATPAK_USER_DIR"
  exit 0
fi

# The host's own Debian sources when it has them (a mirror or snapshot the
# machine can reach), else deb.debian.org.
SOURCES=http://deb.debian.org/debian
[ -f /etc/apt/sources.list.d/debian.sources ] && SOURCES=/etc/apt/sources.list.d/debian.sources

# Downloaded .debs are kept in $CACHE/debs for the next key (a changed list
# downloads only what is new); as root the host's apt cache seeds it.
# Hard links cost no space; apt checks each .deb against its index.
if [ "$(id -u)" -eq 0 ]; then
  cp -l -n /var/cache/apt/archives/*.deb "$CACHE/debs/" 2>/dev/null || true
  SYNC_IN="mkdir -p \"\$1\"/var/cache/apt/archives && cp -l -n $CACHE/debs/*.deb \"\$1\"/var/cache/apt/archives/ 2>/dev/null || true"
  SYNC_OUT="cp -l -n \"\$1\"/var/cache/apt/archives/*.deb $CACHE/debs/ 2>/dev/null || true"
else
  SYNC_IN="sync-in $CACHE/debs /var/cache/apt/archives"
  SYNC_OUT="sync-out /var/cache/apt/archives $CACHE/debs"
fi

# build_tree NAME PACKAGES METADATA: a Debian tree in $DIR/NAME/root, laid
# out as a Flatpak runtime in $DIR/NAME/rt.
build_tree() {
  name=$1 include=$2 metadata=$3
  t=$DIR/$name
  rm -rf "$t"
  mkdir -p "$t"
  log "$name: mmdebstrap bookworm with $(echo "$include" | tr , '\n' | wc -l) packages"
  mmdebstrap --quiet --variant=apt --components=main --include="$include" \
    --skip=download/empty --skip=essential/unlink \
    --setup-hook='mkdir -p "$1"/var/cache/apt/archives' \
    --setup-hook="$SYNC_IN" --customize-hook="$SYNC_OUT" \
    bookworm "$t/root" "$SOURCES" >&2

  mkdir -p "$t/rt/files"
  # usr/ becomes files/ (mounted on /usr), etc/ becomes files/etc (flatpak
  # mounts /usr/etc on /etc and adds its own passwd, group, hosts, ...).
  mv "$t/root/usr/"* "$t/rt/files/"
  mv "$t/root/etc" "$t/rt/files/etc"
  rm -rf "$t/root"
  f=$t/rt/files
  # Fix-up 1: flatpak rebuilds the loader cache (so that /app/lib is
  # searched) only when the runtime has bin/ldconfig; Debian has sbin/.
  [ -e "$f/bin/ldconfig" ] || ln -s ../sbin/ldconfig "$f/bin/ldconfig"
  # Fix-up 2: the loader's search path: flatpak's extension directories,
  # the app's libraries, then Debian's multiarch directories.
  cat > "$f/etc/ld.so.conf" <<'CONF'
include /run/flatpak/ld.so.conf.d/app-*.conf
include /app/etc/ld.so.conf
/app/lib
/app/lib/x86_64-linux-gnu
include /run/flatpak/ld.so.conf.d/runtime-*.conf
include /etc/ld.so.conf.d/*.conf
CONF
  # Fix-up 3: no secrets, no host identity, no documentation.
  rm -rf "$f/etc/shadow" "$f/etc/shadow-" "$f/etc/gshadow" "$f/etc/gshadow-" \
         "$f/etc/machine-id" "$f/etc/ld.so.cache" \
         "$f/share/doc" "$f/share/man" "$f/share/info" "$f/share/lintian"
  # Set-uid bits mean nothing in a sandbox, and ostree refuses them.
  find "$f" -type f -perm /6000 -exec chmod ug-s {} +
  printf '%s\n' "$metadata" > "$t/rt/metadata"
  log "$name: export to $DIR/repo ($(du -sh "$f" | cut -f1))"
  flatpak build-export --runtime --files=files --arch="$ARCH" \
    "$DIR/repo" "$t/rt" "$BRANCH" >&2
  rm -rf "$t"
}

start=$(date +%s)
PLATFORM_PKGS=$(packages "$HERE/platform.packages")
SDK_PKGS=$(packages "$HERE/platform.packages" "$HERE/sdk.packages")

build_tree platform "$PLATFORM_PKGS" "[Runtime]
name=$PLATFORM
runtime=$PLATFORM/$ARCH/$BRANCH
sdk=$SDK/$ARCH/$BRANCH"
build_tree sdk "$SDK_PKGS" "[Runtime]
name=$SDK
runtime=$PLATFORM/$ARCH/$BRANCH
sdk=$SDK/$ARCH/$BRANCH"

flatpak --user remote-add --if-not-exists --no-gpg-verify "$REMOTE" "$DIR/repo" >&2
flatpak --user install -y --noninteractive --or-update "$REMOTE" \
  "$PLATFORM//$BRANCH" "$SDK//$BRANCH" >&2
touch "$DIR/done"
log "built in $(( $(date +%s) - start )) s: repo $(du -sh "$DIR/repo" | cut -f1), installed $(du -sh "$FLATPAK_USER_DIR" | cut -f1)"

# Older keys are dead weight once this one works.
for old in "$CACHE"/runtime-*; do
  [ "$old" = "$DIR" ] || rm -rf "$old"
done
echo "FLATPAK_USER_DIR=$FLATPAK_USER_DIR"

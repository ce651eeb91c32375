#!/bin/sh
# portal-xdpw.sh: builds xdg-desktop-portal-wlr 0.7.0 from Debian's source
# package with build-aux/portal-xdpw-shm-only.patch, and prints the path of
# the binary on its last line of stdout (progress goes to stderr).
#
# Debian's own build fails the ScreenCast Start under a GPU-less sway (see
# the patch). The source comes from the Debian mirror this machine's apt
# uses (the .dsc pinned by its SHA-256 below; dpkg-source checks the
# tarballs against it), so no deb-src line is needed.
#
# Cache: ${COHORT_PORTAL_CACHE:-${XDG_CACHE_HOME:-~/.cache}/cohort-portal}/
#   xdpw-0.7.0-<first 16 hex digits of the patch's SHA-256>/
#     xdg-desktop-portal-wlr   the binary
#     wlr.portal               its portal description
# A second run with the same patch only prints the path. Concurrent runs
# wait on a lock; the result appears atomically.
#
# Build dependencies: build-aux/install-deps.sh (meson, ninja, libwayland-dev,
# wayland-protocols, libpipewire-0.3-dev, libinih-dev, libgbm-dev,
# libdrm-dev, libsystemd-dev, dpkg-dev, curl).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
patch="$here/portal-xdpw-shm-only.patch"
version=0.7.0
debversion=0.7.0-1
dsc=xdg-desktop-portal-wlr_$debversion.dsc
dsc_sha256=b39d7dd8ddecc1fdecb3a33785f26c4822520de56370ccd2bb53db171195dd09

cache_root=${COHORT_PORTAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cohort-portal}
key=$(sha256sum "$patch" | cut -c1-16)
out="$cache_root/xdpw-$version-$key"

if [ -x "$out/xdg-desktop-portal-wlr" ]; then
  echo "$out/xdg-desktop-portal-wlr"
  exit 0
fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.lock"
flock 9
if [ -x "$out/xdg-desktop-portal-wlr" ]; then
  echo "$out/xdg-desktop-portal-wlr"
  exit 0
fi

# The first Debian archive URI of apt's sources (deb822 or one-line).
mirror=$(
  { grep -h '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{ print $2 }'
    grep -h '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed 's/\[[^]]*\]//' | awk '{ print $2 }'
  } | grep -v -e security -e '^$' | grep -m1 debian || true)
mirror=${mirror:-http://deb.debian.org/debian}
pool="${mirror%/}/pool/main/x/xdg-desktop-portal-wlr"

work=$(mktemp -d "$cache_root/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"

echo "portal-xdpw: fetching $dsc from $pool" >&2
curl -fsSL -o "$dsc" "$pool/$dsc"
echo "$dsc_sha256  $dsc" | sha256sum -c --quiet - >&2
for f in $(awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 } on { print $3 }' "$dsc"); do
  curl -fsSL -o "$f" "$pool/$f"
done
# The signature is the uploader's (not in any keyring here); the pinned
# hash above stands for it.
dpkg-source --no-check -x "$dsc" src >&2
# dpkg-source would have refused tarballs that do not match the .dsc; make
# that explicit, since --no-check skips only the signature.
awk '/^Checksums-Sha256:/ { on = 1; next } /^[^ ]/ { on = 0 } on { print $1 "  " $3 }' "$dsc" |
  sha256sum -c --quiet - >&2

patch -d src -p1 <"$patch" >&2
meson setup build src -Dsystemd=disabled -Dman-pages=disabled -Dsd-bus-provider=libsystemd \
  --buildtype=release >&2
meson compile -C build >&2

mkdir -p "$work/out"
cp build/xdg-desktop-portal-wlr "$work/out/"
cp src/wlr.portal "$work/out/"
rm -rf "$out"
mv "$work/out" "$out"
echo "$out/xdg-desktop-portal-wlr"

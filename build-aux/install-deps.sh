#!/bin/sh
# Installs everything Cohort needs to build, run its demo and run its tests
# on Debian 12 (bookworm). Safe to run again: apt skips what is installed.
set -eu

PACKAGES="
  build-essential pkg-config meson ninja-build gettext itstool
  libglib2.0-dev libglib2.0-dev-bin libjson-glib-dev libsoup-3.0-dev libsqlite3-dev
  libgtk-4-dev libadwaita-1-dev libatspi2.0-dev libgtk-4-media-gstreamer libqrencode-dev
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly gstreamer1.0-nice
  janus libnice-dev util-linux procps
  libportal-gtk4-dev gstreamer1.0-pipewire gstreamer1.0-x gstreamer1.0-pulseaudio gstreamer1.0-gl
  desktop-file-utils appstream
  xvfb xauth dbus dbus-x11 imagemagick xdotool x11-utils zbar-tools
  adwaita-icon-theme fonts-noto-cjk fonts-noto-color-emoji
  iproute2 nftables locales
  sway pipewire pipewire-bin wireplumber xdg-desktop-portal gstreamer1.0-tools libglib2.0-bin
  curl dpkg-dev libwayland-dev wayland-protocols libpipewire-0.3-dev libinih-dev libgbm-dev
  libdrm-dev libsystemd-dev libmd4c-dev
  libpq-dev postgresql
  flatpak flatpak-builder ostree mmdebstrap elfutils debugedit
"

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

need_locale() {
  ! locale -a 2>/dev/null | grep -qi '^zh_CN\.utf-\?8$'
}

if [ -z "$missing" ] && ! need_locale; then
  exit 0
fi

[ -n "$missing" ] && echo "Installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo"
else
  echo "Run this as root or install sudo: the packages above are needed." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing" ]; then
  $SUDO apt-get update -q
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -q --no-install-recommends $missing
fi

# The Chinese UI and its tests need the zh_CN.UTF-8 locale.
if need_locale; then
  $SUDO sed -i 's/^# *zh_CN.UTF-8 UTF-8/zh_CN.UTF-8 UTF-8/' /etc/locale.gen
  grep -q '^zh_CN.UTF-8 UTF-8' /etc/locale.gen || echo 'zh_CN.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
  $SUDO locale-gen
fi

#!/usr/bin/env bash
# check-potfiles.sh: fails when a file with translatable strings is missing
# from po/POTFILES.in, or when POTFILES.in lists a file that does not exist.
# Modelled on Nautilus's check-potfiles.sh.
#
# SPDX-License-Identifier: GPL-3.0-or-later

srcdirs="app server ui data"
potfiles="po/POTFILES.in"

cd "$(dirname "$0")/.." || exit 1

status=0

# Source and template files with _( ) or translatable="yes".
files=$(grep -rlE --include='*.c' --include='*.ui' '(\b_\(|\bN_\(|\bC_\(|translatable="yes")' $srcdirs 2>/dev/null)
# Data files are always translatable.
files="$files $(find data -maxdepth 1 -name '*.desktop.in' -o -maxdepth 1 -name '*.metainfo.xml.in' -o -maxdepth 1 -name '*.gschema.xml')"

for f in $files; do
  if ! grep -qxF "$f" "$potfiles"; then
    echo "$f has translatable strings but is not listed in $potfiles"
    status=1
  fi
done

while read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  if [ ! -f "$line" ]; then
    echo "$potfiles lists $line, which does not exist"
    status=1
  fi
done < "$potfiles"

if ! LC_ALL=C sort -c "$potfiles" 2>/dev/null; then
  echo "$potfiles is not sorted"
  status=1
fi

exit $status

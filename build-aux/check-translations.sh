#!/bin/sh
# Fails when a translatable string of a file in po/POTFILES.in has no
# Simplified Chinese translation, or only a fuzzy one. Entries still
# waiting in po/fragments/ count, so features can be built side by side.
set -eu
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The same keywords as meson's glib preset.
xgettext --package-name=cohort --from-code=UTF-8 --add-comments \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
  --keyword=ngettext:1,2 \
  --files-from=po/POTFILES.in --directory=. --output="$tmp/cohort.pot"

set -- po/zh_CN.po
for fragment in po/fragments/*.po; do
  [ -f "$fragment" ] || continue
  # Fragments carry entries only; give each the catalogue's header.
  out="$tmp/fragment-$(basename "$fragment")"
  printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' > "$out"
  if grep -q '^msgid ""$' "$fragment"; then
    cp "$fragment" "$out"
  else
    cat "$fragment" >> "$out"
  fi
  set -- "$@" "$out"
done
msgcat --use-first --output-file="$tmp/all.po" "$@"
msgmerge --quiet --no-fuzzy-matching --output-file="$tmp/merged.po" "$tmp/all.po" "$tmp/cohort.pot"

untranslated=$(msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" | grep -c '^msgid ' || true)
# Each of those counts includes the header entry when there is one.
[ "$untranslated" -gt 0 ] && untranslated=$((untranslated - 1))
[ "$fuzzy" -gt 0 ] && fuzzy=$((fuzzy - 1))

if [ "$untranslated" -ne 0 ] || [ "$fuzzy" -ne 0 ]; then
  echo "zh_CN: $untranslated untranslated and $fuzzy fuzzy strings:" >&2
  msgattrib --untranslated --no-obsolete "$tmp/merged.po" | grep -A1 '^msgid ' >&2 || true
  exit 1
fi

msgfmt --check --output-file=/dev/null "$tmp/merged.po"
echo "zh_CN: every string is translated"

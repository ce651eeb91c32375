#!/usr/bin/env bash
# check-layering.sh: fails when server-side code names a client-only header.
#
# cohort-server links libcohort-protocol and nothing else of app/, so the
# compiler already refuses a core or media #include in server/ (no include
# path). This test says it by name, and also covers what the compiler cannot:
# a path written out ("../app/core/…"), a server-side meson.build that links
# the client, and a header name shared by two folders, which would let the
# wrong one win on the include path. See docs/architecture.md.
#
# SPDX-License-Identifier: GPL-3.0-or-later

cd "$(dirname "$0")/.." || exit 1

status=0

# Headers only the client may include: the core and media libraries', and the
# enum header generated from core.
client_headers=$( (echo cohort-enums.h; ls app/core app/media) | grep '\.h$')
client_re=$(echo "$client_headers" | sed 's/\./\\./g' | paste -sd'|')

# What builds without the client libraries: the server, the protocol library
# itself, the server-only tests, fuzz targets and load generators.
server_side="server app/protocol tests/server tests/common fuzz
  tests/groups/test-groups-streak.c tests/groups/test-groups-ledger.c
  tests/groups/test-groups-server.c
  bench/cohort-bench-parse.c bench/cohort-chat-load.c bench/cohort-quiz-load.c
  bench/cohort-bench-ws.c bench/cohort-bench-ws.h"

# tests/common also holds the client tests' helpers (a session, a window),
# which the server-side tests never link (their own static libraries).
files=$(find $server_side -name '*.[ch]' \
          ! -name 'cohort-test-session.[ch]' ! -name 'cohort-test-ui.[ch]' | LC_ALL=C sort)

# A client header by name, or any path into app/core, app/media or ui/.
if grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]([^>\"]*/)?($client_re)[>\"]|^[[:space:]]*#[[:space:]]*include.*(app/core/|app/media/|ui/)" $files; then
  echo "the lines above include a client-only header (app/core, app/media or ui)"
  status=1
fi

# Server-side meson files must not hand the client libraries to a target.
for m in server/meson.build tests/server/meson.build fuzz/meson.build; do
  if grep -nE 'cohort_(core|media|ui)_dep|libcohort_(core|media|ui)\b' "$m"; then
    echo "$m: links a client library"
    status=1
  fi
done

# One header name, one folder: otherwise the include path order decides.
dups=$(ls app/protocol app/core app/media server | grep '\.h$' | LC_ALL=C sort | uniq -d)
for d in $dups; do
  echo "$d exists in more than one of app/protocol, app/core, app/media, server"
  status=1
done

[ $status -eq 0 ] && echo "server side: $(echo "$files" | wc -l) files, no client-only include"
exit $status

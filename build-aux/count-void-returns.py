#!/usr/bin/env python3
# Counts `return <expression>;` in functions returning void, which ISO C
# forbids, the way GCC sees them: each file is compiled with its own
# command from BUILDDIR/compile_commands.json, plus -fsyntax-only
# -Wpedantic, and the "ISO C forbids 'return' with expression, in
# function returning void" warnings are counted.
#
#   build-aux/count-void-returns.py _build server/*.c
import json
import os
import re
import shlex
import subprocess
import sys

if len(sys.argv) < 3:
    sys.exit('usage: count-void-returns.py BUILDDIR FILE...')

build = sys.argv[1]
with open(os.path.join(build, 'compile_commands.json')) as f:
    db = json.load(f)

total = 0
for path in sys.argv[2:]:
    want = os.path.abspath(path)
    entry = next((e for e in db
                  if os.path.normpath(os.path.join(e['directory'], e['file'])) == want), None)
    if entry is None:
        print('%s: not in %s' % (path, build))
        continue
    args = shlex.split(entry['command'])
    if args[0] == 'ccache':
        args = args[1:]
    for flag in ('-o', '-MQ', '-MF'):
        while flag in args:
            i = args.index(flag)
            del args[i:i + 2]
    args = [a for a in args if a != '-MD']
    result = subprocess.run(args + ['-fsyntax-only', '-Wpedantic', '-fdiagnostics-color=never'],
                            cwd=entry['directory'], capture_output=True, text=True)
    n = len(re.findall(r"ISO C forbids .return. with expression", result.stderr))
    total += n
    if n:
        print('%s: %d' % (path, n))
print('total: %d' % total)

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the local manifest, derived from the Flathub one.

gen-local-manifest.py SOURCE_DIR > org.cohortclass.Cohort.local.json

The Flathub manifest (org.cohortclass.Cohort.json) stays the only place
where the app's id, permissions, cleanup and build options are written.
The local manifest differs from it in three things only, so that the two
cannot drift apart:
  * the runtime: build-local-runtime.sh's Debian 12 Platform and Sdk
    instead of org.gnome.Platform 46;
  * the modules that runtime already has (libportal: Debian's
    libportal-gtk4-1; qrencode: libqrencode4;
    md4c: libmd4c0), which are dropped;
  * the app's source: this working tree, without its build directories,
    instead of the release tag.
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FLATHUB = os.path.join(HERE, "org.cohortclass.Cohort.json")
APP_MODULE = "cohort"
IN_LOCAL_RUNTIME = {"libportal", "md4c", "qrencode"}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen-local-manifest.py SOURCE_DIR")
    source = os.path.abspath(sys.argv[1])
    with open(FLATHUB, encoding="utf-8") as f:
        manifest = json.load(f)

    manifest["runtime"] = "org.cohortclass.LocalPlatform"
    manifest["sdk"] = "org.cohortclass.LocalSdk"
    manifest["runtime-version"] = "bookworm"

    names = [m["name"] for m in manifest["modules"]]
    if APP_MODULE not in names or not IN_LOCAL_RUNTIME <= set(names):
        sys.exit("gen-local-manifest.py: the Flathub manifest's modules changed: %s" % names)
    manifest["modules"] = [m for m in manifest["modules"] if m["name"] not in IN_LOCAL_RUNTIME]

    # Build trees and git data would be copied (and hashed) with the
    # sources, and change on every build.
    skip = sorted(e for e in os.listdir(source)
                  if e.startswith("_build") or e in (".git", "build", ".flatpak-builder"))
    for module in manifest["modules"]:
        if module["name"] == APP_MODULE:
            module["sources"] = [{"type": "dir", "path": source, "skip": skip}]

    json.dump(manifest, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

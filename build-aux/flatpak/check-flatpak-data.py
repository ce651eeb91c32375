#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""What Flathub asks of the manifest and the AppStream data (docs/flatpak.md).

check-flatpak-data.py METAINFO SCREENSHOT_BASE SCREENSHOT_DIR

Prints TAP. The built metainfo must validate with appstreamcli without
errors or warnings, and carry screenshots with captions whose files are
committed under SCREENSHOT_DIR with the sizes the metainfo gives, release
notes, an OARS rating, branding colours for both schemes, a launchable,
keywords and the Education category. The Flathub manifest must ask for
exactly the permissions #21 allows, build libportal with its GTK 4 backend
only and the app client-only, and parse for flatpak-builder.
"""

import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFEST = os.path.join(HERE, "org.cohortclass.Cohort.json")
PERMISSIONS = {"--share=network", "--share=ipc", "--socket=wayland",
               "--socket=fallback-x11", "--socket=pulseaudio", "--device=all"}

results = []


def check(desc, ok, why=""):
    results.append((desc, bool(ok), why))


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def check_metainfo(path, base, shots):
    out = subprocess.run(["appstreamcli", "validate", "--no-net", path],
                         capture_output=True, text=True)
    bad = [l for l in out.stdout.splitlines() if l[:2] in ("E:", "W:")]
    check("appstreamcli validate: no errors, no warnings", out.returncode == 0 and not bad,
          out.stdout.strip())

    root = ET.parse(path).getroot()
    screenshots = root.findall("./screenshots/screenshot")
    check("screenshots", len(screenshots) >= 3)
    check("one default screenshot",
          sum(1 for s in screenshots if s.get("type") == "default") == 1)
    for s in screenshots:
        caption = s.findtext("caption") or ""
        image = s.find("image")
        url = image.text if image is not None else ""
        name = url[len(base) + 1:] if url.startswith(base + "/") else None
        check("screenshot %s: caption" % url, caption.strip())
        check("screenshot %s: under the screenshot base URL" % url, name)
        if not name:
            continue
        file = os.path.join(shots, name)
        size = png_size(file) if os.path.isfile(file) else None
        check("screenshot %s: committed PNG" % name, size, file)
        if size:
            check("screenshot %s: width and height as in the metainfo" % name,
                  (str(size[0]), str(size[1])) == (image.get("width"), image.get("height")),
                  "PNG %dx%d" % size)

    releases = root.findall("./releases/release")
    check("release notes for every release",
          releases and all(r.find("description") is not None for r in releases))
    rating = root.find("content_rating")
    check("OARS rating", rating is not None and rating.get("type", "").startswith("oars-")
          and rating.findall("content_attribute"))
    schemes = {c.get("scheme_preference") for c in root.findall("./branding/color")
               if c.get("type") == "primary"}
    check("branding colours, light and dark", schemes >= {"light", "dark"})
    launchable = root.find("launchable")
    check("launchable desktop-id", launchable is not None
          and launchable.get("type") == "desktop-id" and launchable.text)
    check("keywords", len(root.findall("./keywords/keyword")) >= 3)
    check("category Education",
          "Education" in [c.text for c in root.findall("./categories/category")])


def check_manifest():
    with open(MANIFEST, encoding="utf-8") as f:
        m = json.load(f)
    check("manifest: org.gnome.Platform 46",
          (m.get("runtime"), m.get("runtime-version"), m.get("sdk"))
          == ("org.gnome.Platform", "46", "org.gnome.Sdk"))
    check("manifest: exactly the allowed permissions",
          sorted(m.get("finish-args", [])) == sorted(PERMISSIONS), m.get("finish-args"))
    modules = {mod["name"]: mod for mod in m.get("modules", [])}
    portal = modules.get("libportal", {}).get("config-opts", [])
    check("manifest: libportal with its GTK 4 backend only",
          "-Dbackend-gtk4=enabled" in portal and
          all(o in portal for o in ("-Dbackend-gtk3=disabled", "-Dbackend-qt5=disabled",
                                    "-Dbackend-qt6=disabled")), portal)
    check("manifest: the app is built client-only",
          "-Dclient_only=true" in modules.get("cohort", {}).get("config-opts", []))
    check("manifest: the app is the last module", m["modules"][-1]["name"] == "cohort")
    if shutil.which("flatpak-builder"):
        # It leaves a .flatpak-builder/ in its working directory.
        with tempfile.TemporaryDirectory() as tmp:
            out = subprocess.run(["flatpak-builder", "--show-manifest", MANIFEST],
                                 capture_output=True, text=True, cwd=tmp)
        check("manifest: flatpak-builder reads it", out.returncode == 0, out.stderr.strip())


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: check-flatpak-data.py METAINFO SCREENSHOT_BASE SCREENSHOT_DIR")
    check_metainfo(*sys.argv[1:])
    check_manifest()
    failed = False
    for i, (desc, ok, why) in enumerate(results, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, desc))
        if not ok:
            failed = True
            for line in str(why).splitlines():
                print("# " + line)
    print("1..%d" % len(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

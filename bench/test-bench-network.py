#!/usr/bin/env python3
# test-bench-network.py NETCOND NETNS_RUN BENCH: runs the network benchmark
# for a second of two conditions and checks that it prints one well-formed JSON object
# with every figure and the targets. No figure's value is asserted: this
# guards the benchmark's output, not the network's behaviour. TAP.
import json
import os
import subprocess
import sys

FIGURES = ("fps", "frames", "corrupted_frames", "frozen_ratio", "max_freeze_ms",
           "settled_fps", "settled_max_freeze_ms", "audio_gap_ratio",
           "audio_concealed_ms", "recovery_s", "resolution", "nack_sent",
           "pli_sent", "fir_sent", "packets_lost")

CONDITIONS = ("clean", "loss_5")
os.environ.update(COHORT_NETCOND=os.path.abspath(sys.argv[1]), COHORT_BENCH_SECONDS="1",
                  COHORT_BENCH_CONDITIONS=",".join(CONDITIONS))
run = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, check=False)
if run.stdout.startswith(b"1..0 # SKIP"):
    print(run.stdout.decode().strip())
    sys.exit(0)

print("1..3")
ok = run.returncode == 0
print(("ok" if ok else "not ok") + " 1 - the benchmark exits with 0")
try:
    result = json.loads(run.stdout)
    ok = isinstance(result, dict)
except ValueError as error:
    print("# " + str(error))
    ok = False
print(("ok" if ok else "not ok") + " 2 - one JSON object on stdout")
if not ok:
    print("not ok 3 - every figure of every condition, and the targets")
    sys.exit(1)

missing = []
for name in CONDITIONS:
    figures = result.get(name)
    if not isinstance(figures, dict):
        missing.append(name)
        continue
    missing += [name + "." + f for f in FIGURES if f not in figures]
    resolution = figures.get("resolution")
    if not isinstance(resolution, list) or not all(isinstance(r, list) and len(r) == 3 for r in resolution):
        missing.append(name + ".resolution as [[t, w, h], …]")
    targets = result.get("targets", {}).get(name, {})
    if not targets or not all(v in ("pass", "fail", "unmeasured") for v in targets.values()):
        missing.append("targets." + name)
if "summary" not in result.get("targets", {}):
    missing.append("targets.summary")
for m in missing:
    print("# missing: " + m)
print(("not ok" if missing else "ok") + " 3 - every figure of every condition, and the targets")
sys.exit(1 if missing else 0)

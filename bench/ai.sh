#!/bin/sh
# bench/ai.sh: prints one JSON object: token_to_pane_ms {p50, p99} (one
# answer), chat_fanout_p99_ms_without_ai and _during_ai (a class of 132, 100
# answers streaming), within_20_percent, token_to_pane_ms_during_ai, and the
# tokens/s carried, and render_ms {p50, p99, max}: a 4,000-token Markdown
# answer parsed and laid out in the pane, a shown window 380 px wide (issue
# 19, target p99 ≤ 50 ms), with its parts (render_parse_ms, render_build_ms:
# parse and widgets; render_paint_ms: the frame's paint after the layout)
# and render_stream_frame_ms: the work of one frame while that answer
# streams in, 64 bytes a frame.
# Targets (issue 7): token p99 ≤ 20 ms; fan-out during AI within 20 % of
# without. A fake streaming upstream, real cohort-servers,
# real sessions; docs/architecture-ai.md explains the set-up.
set -eu
BUILD=${COHORT_BUILD_DIR:-_build}
export COHORT_SERVER="$BUILD/server/cohort-server"
# The pane needs a display: a private Xvfb when there is none.
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  RENDER=$("$BUILD/bench/cohort-bench-ai-render")
else
  RENDER=$(xvfb-run -a "$BUILD/bench/cohort-bench-ai-render")
fi
MAIN=$("$BUILD/bench/cohort-bench-ai")
# One JSON object: the render figure joins the main one.
printf '%s, %s}\n' "${MAIN%\}}" "$RENDER"

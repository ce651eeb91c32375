/* cohort-bench-stamp.h: the capture-time stamp the media benchmarks draw
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

#include "cohort-media-call.h"

G_BEGIN_DECLS

/* Monotonic ms, 24 bits: what a stamp carries. */
guint32     cohort_bench_stamp_now_ms      (void);
/* Milliseconds from @stamped_ms to now, across the 24-bit wrap. */
double      cohort_bench_stamp_age_ms      (guint32    stamped_ms);

/* A live 1280×720 I420 30 fps SMPTE camera whose every frame carries its
 * capture time as a row of 32 luma blocks (24 bits of ms, 8 of check). */
GstElement *cohort_bench_stamped_camera    (void);

/* Reads the stamp of a decoded I420 frame of any size (the blocks scale
 * with the picture). FALSE when the check fails: the frame is corrupted
 * where the stamp is, or it is not a stamped frame. */
gboolean    cohort_bench_stamp_read        (GstSample *sample,
                                            guint32   *ms);

/* Answers @call's create-source with the stamped camera and a sine
 * microphone: the benchmarks' teacher. */
void        cohort_bench_answer_teacher    (CohortCall *call);

G_END_DECLS

/* cohort-media-stamp.h: a capture-time barcode drawn into test video
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

#include "cohort-media-call.h"

G_BEGIN_DECLS

/* 32 blocks of 40×40 pixels across the top of the picture (so at least
 * 1280 pixels wide): 24 bits of a monotonic millisecond clock and 8 bits
 * of check. A frame whose barcode no longer decodes shows a damaged
 * picture; a frame decoded from a lost reference is the usual cause. */
#define COHORT_MEDIA_STAMP_MIN_WIDTH (32 * 40)

/* The clock the barcode carries: monotonic ms, modulo 2^24. */
guint32     cohort_media_stamp_now_ms     (void);
/* Milliseconds from @stamped_ms to now, across the 24-bit wrap. */
double      cohort_media_stamp_age_ms     (guint32     stamped_ms);
/* A live 30 fps I420 SMPTE-bars source of @width x @height whose every
 * frame carries its capture time. */
GstElement *cohort_media_stamp_camera_new (guint       width,
                                           guint       height);
/* FALSE when @sample has no barcode or its check fails. A picture
 * narrower than COHORT_MEDIA_STAMP_MIN_WIDTH is read as a scaled-down
 * layer of a 1280-wide one (its blocks scaled alike). */
gboolean    cohort_media_stamp_read       (GstSample  *sample,
                                           guint32    *ms);
/* Answers @call's create-source with a stamped 1280×720 camera and a
 * sine microphone: the benchmarks' teacher. */
void        cohort_media_stamp_answer_teacher (CohortCall *call);

G_END_DECLS

/* cohort-media-rig.h: a cohort-server with embedded Janus, for media tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

#include "cohort-media-call.h"
#include "cohort-session.h"

G_BEGIN_DECLS

/* Expects to run inside tests/media/netns-run.sh: Janus's ICE is pinned
 * to $COHORT_TEST_JANUS_IFACE (veth0), the clients' to
 * $COHORT_MEDIA_ICE_ADDRESSES (10.77.0.2). */
typedef struct _CohortMediaRig CohortMediaRig;

CohortMediaRig *cohort_media_rig_start       (guint            stage_size);
const char     *cohort_media_rig_get_url     (CohortMediaRig  *rig);
/* The pid of the server's Janus child, 0 if none runs. */
GPid            cohort_media_rig_janus_pid   (CohortMediaRig  *rig);
void            cohort_media_rig_free        (CohortMediaRig  *rig);

/* Iterates the default main context until @func returns TRUE or
 * @timeout_ms passes; returns the last result. */
gboolean        cohort_media_rig_wait        (GSourceFunc      func,
                                              gpointer         data,
                                              guint            timeout_ms);
void            cohort_media_rig_sleep       (guint            ms);
/* Runs tests/media/netcond.sh ($COHORT_NETCOND) with @arguments
 * ("10.77.0.3 loss 10", "reset", …); aborts when it fails. */
void            cohort_media_rig_netcond     (const char      *arguments);

/* Sessions: a new class (teacher) and a student joining it. */
CohortSession  *cohort_media_rig_create_class (CohortMediaRig *rig,
                                               const char     *name);
CohortSession  *cohort_media_rig_join         (CohortMediaRig *rig,
                                               CohortSession  *teacher,
                                               const char     *name);
/* The same, but the session reaches the server at @host (an address of
 * this namespace) instead of 127.0.0.1. */
CohortSession  *cohort_media_rig_join_via     (CohortMediaRig *rig,
                                               CohortSession  *teacher,
                                               const char     *name,
                                               const char     *host);

/* A call whose create-source answers with live test sources of
 * @width x @height (camera: SMPTE bars, screen: a ball; microphone: a
 * sine) and whose sinks are CohortRigSinks. */
CohortCall     *cohort_media_rig_new_call     (CohortSession  *session,
                                               guint           width,
                                               guint           height);
/* The call's camera becomes a stamped one (cohort-media-stamp.h). */
void            cohort_media_rig_stamp_camera (CohortCall     *call);
/* The same answers, for a call made elsewhere (a CohortClassroom's). */
void            cohort_media_rig_answer_call  (CohortCall     *call,
                                               guint           width,
                                               guint           height);

/* An appsink (I420) that counts frames and keeps the newest sample;
 * cohort_rig_sink_for_feed() finds the one made for a feed. */
typedef struct _CohortRigSink CohortRigSink;

CohortRigSink  *cohort_rig_sink_for_feed      (CohortCall     *call,
                                               gint64          feed_id);
guint           cohort_rig_sink_get_frames    (CohortRigSink  *sink);
/* Monotonic µs of the first frame, 0 before it. */
gint64          cohort_rig_sink_get_first_us  (CohortRigSink  *sink);
GstSample      *cohort_rig_sink_dup_sample    (CohortRigSink  *sink);
/* Since the last reset: frames at least COHORT_MEDIA_STAMP_MIN_WIDTH wide
 * whose capture stamp did not decode (a damaged picture), the time spent
 * in gaps over 200 ms between frames, and the longest gap. */
void            cohort_rig_sink_get_damage    (CohortRigSink  *sink,
                                               guint          *corrupted,
                                               gint64         *frozen_us,
                                               gint64         *max_gap_us);
void            cohort_rig_sink_reset_damage  (CohortRigSink  *sink);

/* Mean absolute difference between @sample and a locally rendered
 * videotestsrc @pattern frame of the same size, over the 7 top bars and
 * the thin row of reversed bars below them (luma and chroma, 8-bit units). */
double          cohort_rig_compare_smpte      (GstSample      *sample);

G_END_DECLS

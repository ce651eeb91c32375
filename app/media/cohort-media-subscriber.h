/* cohort-media-subscriber.h: one receive-only webrtcbin for one remote feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "cohort-jitter-room.h"

G_BEGIN_DECLS

/* Janus offers, the subscriber answers (a=setup:passive, so Janus starts
 * DTLS once its ICE is ready), decodebin picks the decoder from the caps:
 * no payload type is assumed. The jitter buffer holds @latency_ms (more
 * while retransmissions repair losses, see docs/architecture-media.md),
 * and a keyframe is asked for as soon as the video pad appears. After a loss
 * that retransmission (NACK) did not repair, no frame is shown until the
 * next keyframe, which is asked for at once (RTCP FIR/PLI, a repeat
 * 150 ms later, then at most one per second); keyframe-requests counts
 * those requests.
 *
 * Signals on the creating thread's main context: ice-candidate (guint
 * mline, const char *candidate), ice-gathering-done, first-frame (guint
 * width, guint height), failed (const char *message). Properties:
 * feed-id, frames-decoded, audio-buffers (both counted at the sinks),
 * keyframe-requests. */
#define COHORT_TYPE_SUBSCRIBER (cohort_subscriber_get_type ())
G_DECLARE_FINAL_TYPE (CohortSubscriber, cohort_subscriber, COHORT, SUBSCRIBER, GObject)

/* @video_sink and @audio_sink (taken; NULL: fakesink) get decoded raw
 * video (through videoconvert, so the sink's caps pick the format) and
 * raw audio. */
CohortSubscriber *cohort_subscriber_new                (gint64               feed_id,
                                                        GstElement          *video_sink,
                                                        GstElement          *audio_sink,
                                                        guint                latency_ms,
                                                        const char * const  *ice_addresses,
                                                        GError             **error);
void              cohort_subscriber_answer_async       (CohortSubscriber    *self,
                                                        const char          *offer_sdp,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
char             *cohort_subscriber_answer_finish      (CohortSubscriber    *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* Asks the publisher for a keyframe and shows nothing until it comes: the
 * caller may have switched the stream (another layer) under the same
 * SSRC, whose first frames do not decode on the old pictures. */
void              cohort_subscriber_request_keyframe   (CohortSubscriber    *self);
void              cohort_subscriber_stop               (CohortSubscriber    *self);
gint64            cohort_subscriber_get_feed_id        (CohortSubscriber    *self);
guint             cohort_subscriber_get_frames_decoded (CohortSubscriber    *self);
guint             cohort_subscriber_get_audio_buffers  (CohortSubscriber    *self);
guint             cohort_subscriber_get_keyframe_requests (CohortSubscriber *self);
/* (transfer none): for its "get-stats" (inbound-rtp: packets-lost,
 * nack-count, pli-count, …), read by the tests and CohortLinkMonitor. */
GstElement       *cohort_subscriber_get_webrtcbin      (CohortSubscriber    *self);

/* The video jitter buffers' own counts (cohort-jitter-room.h). */
void              cohort_subscriber_read_video_jitterbuffer (GstElement        *webrtcbin,
                                                             CohortJitterStats *stats);
/* After a capped link's step down: the video asks for no retransmission
 * (NACK; requests its jitter buffer was already repeating are dropped
 * before the RTP session sends them, and retransmissions that still come
 * are ignored) until the first packet of the new layer arrives (a jump in
 * VP8 picture IDs), or at most 3 s: the old layer's holes are worth
 * nothing, and repairing them filled the capped link. */
void              cohort_subscriber_hold_repair        (CohortSubscriber    *self);
gboolean          cohort_subscriber_get_repair_held    (CohortSubscriber    *self);

G_END_DECLS

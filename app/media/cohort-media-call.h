/* cohort-media-call.h: the call engine of one class (stage, feeds, media)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

#include "cohort-link-estimator.h"
#include "cohort-link-step.h"
#include "cohort-media-feed.h"
#include "cohort-media-publisher.h"
#include "cohort-session.h"
#include "cohort-media-subscriber.h"

G_BEGIN_DECLS

typedef enum
{
  COHORT_STAGE_INVITE,
  COHORT_STAGE_ACCEPT,
  COHORT_STAGE_DECLINE,
  COHORT_STAGE_REMOVE,
} CohortStageAction;

/* Follows a CohortSession: keeps the class's feeds (a GListModel of
 * CohortFeed) and stage, subscribes to every remote feed with one
 * CohortSubscriber each, and runs this client's camera and screen
 * publishers. It republishes and resubscribes by itself after a Janus
 * restart, an ICE failure or a reconnect.
 *
 * It cannot build sources and sinks itself; it asks through request
 * signals (the first handler returning an element wins; NULL passes to
 * the next handler; transfer full):
 *   create-source (const char *what) → GstElement: what is "camera",
 *     "microphone" or "screen". NULL: no such device (no camera gives a
 *     clean camera-off feed, never a test pattern).
 *   create-video-sink (CohortFeed *feed) → GstElement (raw video)
 *   create-audio-sink (CohortFeed *feed) → GstElement (raw audio)
 *   create-preview-sink (const char *kind) → GstElement (self view)
 * Unanswered sinks are fakesinks.
 *
 * Other signals: first-frame (CohortFeed *), stage-changed, media-error
 * (const char *message) for what the user should see.
 * Properties: session, feeds, camera-on, screen-on, audio-muted,
 * video-muted, on-stage, invited, can-publish, stage-limit, media-enabled,
 * preset (CohortVideoPreset), video-codec (CohortVideoCodec), ice-addresses
 * (strv; default from $COHORT_MEDIA_ICE_ADDRESSES, comma-separated),
 * latency (jitter buffer ms, default 50), link-quality (CohortLinkQuality
 * as int: the worst of this client's subscriptions, from their link
 * estimators), audio-only (the user's choice: every video pauses, the
 * sound goes on). */
#define COHORT_TYPE_CALL (cohort_call_get_type ())
G_DECLARE_FINAL_TYPE (CohortCall, cohort_call, COHORT, CALL, GObject)

CohortCall       *cohort_call_new                (CohortSession       *session);
CohortSession    *cohort_call_get_session        (CohortCall          *self);
GListModel       *cohort_call_get_feeds          (CohortCall          *self);
CohortFeed       *cohort_call_lookup_feed        (CohortCall          *self,
                                                  gint64               feed_id);

void              cohort_call_set_camera_on      (CohortCall          *self,
                                                  gboolean             on);
gboolean          cohort_call_get_camera_on      (CohortCall          *self);
void              cohort_call_set_screen_on      (CohortCall          *self,
                                                  gboolean             on);
gboolean          cohort_call_get_screen_on      (CohortCall          *self);
void              cohort_call_set_audio_muted    (CohortCall          *self,
                                                  gboolean             muted);
gboolean          cohort_call_get_audio_muted    (CohortCall          *self);
void              cohort_call_set_video_muted    (CohortCall          *self,
                                                  gboolean             muted);
gboolean          cohort_call_get_video_muted    (CohortCall          *self);
void              cohort_call_set_preset         (CohortCall          *self,
                                                  CohortVideoPreset    preset);
void              cohort_call_set_ice_addresses  (CohortCall          *self,
                                                  const char * const  *addresses);

gboolean          cohort_call_get_on_stage       (CohortCall          *self);
gboolean          cohort_call_get_invited        (CohortCall          *self);
gboolean          cohort_call_get_can_publish    (CohortCall          *self);
guint             cohort_call_get_stage_limit    (CohortCall          *self);
gboolean          cohort_call_get_media_enabled  (CohortCall          *self);
/* "invited", "on_stage" or NULL. */
const char       *cohort_call_get_stage_state    (CohortCall          *self,
                                                  gint64               participant_id);

/* @participant_id: the student for invite and remove (0: yourself). */
void              cohort_call_stage_async        (CohortCall          *self,
                                                  CohortStageAction    action,
                                                  gint64               participant_id,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean          cohort_call_stage_finish       (CohortCall          *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);

CohortLinkQuality cohort_call_get_link_quality   (CohortCall          *self);
void              cohort_call_set_audio_only     (CohortCall          *self,
                                                  gboolean             audio_only);
gboolean          cohort_call_get_audio_only     (CohortCall          *self);
/* The layer the server's subscription to @feed_id gets
 * (COHORT_LINK_LAYER_PAUSED: video paused). */
guint             cohort_call_get_feed_layer     (CohortCall          *self,
                                                  gint64               feed_id);
/* The link estimators' layer changes, every subscription's, oldest first
 * (a GListModel of CohortLinkStep; the last 100). */
GListModel       *cohort_call_get_link_steps     (CohortCall          *self);
/* The last second's figures of the subscription to @feed_id, one line
 * (for a debug overlay), or NULL. */
char             *cohort_call_dup_link_summary   (CohortCall          *self,
                                                  gint64               feed_id);
/* For tests and benchmarks. */
CohortSubscriber *cohort_call_get_subscriber     (CohortCall          *self,
                                                  gint64               feed_id);
CohortPublisher  *cohort_call_get_publisher      (CohortCall          *self,
                                                  const char          *kind);
guint             cohort_call_get_n_subscribers  (CohortCall          *self);

G_END_DECLS

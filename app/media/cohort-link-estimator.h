/* cohort-link-estimator.h: how much video a student's own link carries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Layers of a camera feed, best first (docs/architecture-media.md):
 * 0 = 1280×720, 1 = 640×360 at 30 fps, 2 = 320×180 at 15 fps. Below the
 * last layer the video pauses and only the sound flows: only on loss no
 * retransmission repairs (or when the user asks), never because frames
 * stall, which a sender's weak uplink causes as well. */
#define COHORT_LINK_N_LAYERS      3
#define COHORT_LINK_LAYER_PAUSED  COHORT_LINK_N_LAYERS

/* What the student's side tells the teacher (media.quality). */
typedef enum
{
  COHORT_LINK_QUALITY_GOOD,
  COHORT_LINK_QUALITY_FAIR,
  COHORT_LINK_QUALITY_POOR,
} CohortLinkQuality;

/* Cumulative counters of one subscription's video, as webrtcbin's
 * inbound-rtp statistics give them, read about once a second. */
typedef struct
{
  gint64  time_ms;           /* monotonic */
  guint64 packets_received;
  gint64  packets_lost;      /* may go down: duplicates */
  guint64 bytes_received;
  double  jitter_s;
  guint64 nack_count;
  guint64 pli_count;
  guint64 frames_decoded;
  /* Packets the video jitter buffer gave up on (num-lost): lost to the
   * viewer even when a retransmission came later, which webrtcbin's
   * packets-lost counts as received. */
  guint64 packets_given_up;
} CohortLinkSample;

/* One second's verdict, for logs and the debug overlay. */
typedef struct
{
  double loss;               /* 0…1 */
  double kbps;
  double fps;
  double jitter_ms;
  guint  nacks;
  guint  plis;
  gboolean bad;
  /* Loss only a link that cannot carry the layer shows: step down at once. */
  gboolean capped;
  /* Loss beyond what retransmission repairs, even on the lowest layer. */
  gboolean unrepairable;
  gboolean clean;
  gboolean quiet;            /* nothing arrived, nothing lost */
} CohortLinkInterval;

typedef struct _CohortLinkEstimator CohortLinkEstimator;

CohortLinkEstimator *cohort_link_estimator_new          (void);
void                 cohort_link_estimator_free         (CohortLinkEstimator      *self);
/* Forgets the counters (a new subscription starts them at 0), keeps the
 * layer and what probing taught. */
void                 cohort_link_estimator_restart      (CohortLinkEstimator      *self);
/* Feeds one sample. Returns TRUE when the layer changed. */
gboolean             cohort_link_estimator_add_sample   (CohortLinkEstimator      *self,
                                                         const CohortLinkSample   *sample);
/* The user's "Audio only": pins the layer to PAUSED until released. */
void                 cohort_link_estimator_set_audio_only (CohortLinkEstimator    *self,
                                                           gboolean                audio_only);
gboolean             cohort_link_estimator_get_audio_only (CohortLinkEstimator    *self);
guint                cohort_link_estimator_get_layer    (CohortLinkEstimator      *self);
/* FALSE right after a capped link's step down (or a failed probe's
 * undo): the old layer's holes are worth nothing, and the monitor holds
 * the video's repair until the new layer's first keyframe
 * (cohort_subscriber_hold_repair). */
gboolean             cohort_link_estimator_get_retransmit (CohortLinkEstimator    *self);
CohortLinkQuality    cohort_link_estimator_get_quality  (CohortLinkEstimator      *self);
const CohortLinkInterval *cohort_link_estimator_get_last (CohortLinkEstimator     *self);
/* Why the layer last changed ("step down", "probe up", "probe failed",
 * "audio only", "video again"), NULL before the first change. */
const char          *cohort_link_estimator_get_reason   (CohortLinkEstimator      *self);
const char          *cohort_link_quality_to_string      (CohortLinkQuality         quality);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortLinkEstimator, cohort_link_estimator_free)

G_END_DECLS

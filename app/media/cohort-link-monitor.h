/* cohort-link-monitor.h: a subscription's link, read once a second
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-link-estimator.h"
#include "cohort-media-subscriber.h"

G_BEGIN_DECLS

/* Reads @subscriber's webrtcbin statistics once a second (on the main
 * context it was made on), feeds a CohortLinkEstimator and tells what it
 * decided. Properties: layer (guint, COHORT_LINK_LAYER_PAUSED when the
 * video pauses), quality (CohortLinkQuality as int), audio-only
 * (writable). Signal: step (CohortLinkStep *) when the layer changes,
 * also logged (g_info, domain cohort-link). */
#define COHORT_TYPE_LINK_MONITOR (cohort_link_monitor_get_type ())
G_DECLARE_FINAL_TYPE (CohortLinkMonitor, cohort_link_monitor, COHORT, LINK_MONITOR, GObject)

CohortLinkMonitor *cohort_link_monitor_new            (CohortSubscriber   *subscriber);
/* A new subscription for the same feed: its counters start at 0. */
void               cohort_link_monitor_set_subscriber (CohortLinkMonitor  *self,
                                                       CohortSubscriber   *subscriber);
guint              cohort_link_monitor_get_layer      (CohortLinkMonitor  *self);
CohortLinkQuality  cohort_link_monitor_get_quality    (CohortLinkMonitor  *self);
void               cohort_link_monitor_set_audio_only (CohortLinkMonitor  *self,
                                                       gboolean            audio_only);
/* One line for a debug overlay: the last second's figures. */
char              *cohort_link_monitor_describe       (CohortLinkMonitor  *self);

G_END_DECLS

/* cohort-link-step.h: one decision of a subscription's link estimator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-link-estimator.h"

#include <glib-object.h>

G_BEGIN_DECLS

/* A layer change of one subscription (docs/architecture-media.md), with
 * the second's figures that caused it: what the debug overlay lists and
 * the log says. Immutable.
 *
 * Properties (read-only): feed-id, time (wall clock, µs since the epoch),
 * from-layer, layer (COHORT_LINK_LAYER_PAUSED: video paused), quality
 * (CohortLinkQuality as int, after the step), loss (0…1), kbps, fps,
 * jitter-ms, reason ("step down", "probe up", "probe failed", "audio
 * only", "video again"). */
#define COHORT_TYPE_LINK_STEP (cohort_link_step_get_type ())
G_DECLARE_FINAL_TYPE (CohortLinkStep, cohort_link_step, COHORT, LINK_STEP, GObject)

CohortLinkStep    *cohort_link_step_new            (gint64                    feed_id,
                                                    gint64                    time_us,
                                                    guint                     from_layer,
                                                    guint                     layer,
                                                    CohortLinkQuality         quality,
                                                    const CohortLinkInterval *interval,
                                                    const char               *reason);
gint64             cohort_link_step_get_feed_id    (CohortLinkStep *self);
gint64             cohort_link_step_get_time       (CohortLinkStep *self);
guint              cohort_link_step_get_from_layer (CohortLinkStep *self);
guint              cohort_link_step_get_layer      (CohortLinkStep *self);
CohortLinkQuality  cohort_link_step_get_quality    (CohortLinkStep *self);
double             cohort_link_step_get_loss       (CohortLinkStep *self);
double             cohort_link_step_get_kbps       (CohortLinkStep *self);
const char        *cohort_link_step_get_reason     (CohortLinkStep *self);
/* One line for a log: "feed 7: layer 0 → 1 (step down; poor, loss 6.2 %,
 * 480 kbit/s, 14 fps, jitter 12 ms)". */
char              *cohort_link_step_describe       (CohortLinkStep *self);

G_END_DECLS

/* cohort-link-overlay.h: the link estimators' steps over the stage (debug)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-media-call.h"

G_BEGIN_DECLS

/* A small panel for whoever debugs a weak link (Ctrl+Shift+D on the class
 * window): each subscription's last second (layer, loss, bitrate, fps,
 * jitter), refreshed every second while shown, and the estimators' layer
 * changes, newest first: time, feed, layer, quality, loss, bitrate and
 * reason (cohort_call_get_link_steps()).
 *
 * Properties: call (CohortCall), n-steps (the steps listed). */
#define COHORT_TYPE_LINK_OVERLAY (cohort_link_overlay_get_type ())
G_DECLARE_FINAL_TYPE (CohortLinkOverlay, cohort_link_overlay, COHORT, LINK_OVERLAY, GtkWidget)

GtkWidget  *cohort_link_overlay_new      (void);
void        cohort_link_overlay_set_call (CohortLinkOverlay *self,
                                          CohortCall        *call);
CohortCall *cohort_link_overlay_get_call (CohortLinkOverlay *self);
guint       cohort_link_overlay_get_n_steps (CohortLinkOverlay *self);

G_END_DECLS

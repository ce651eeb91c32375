/* cohort-side-panel.h: the class window's side panel, with a handle to resize it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The flap of an AdwFlap (at its end) with a handle on its edge: dragged,
 * or focused and moved with the arrow keys, it sets the panel's width.
 * Folded over the stage (a narrow window), the panel does not ask for
 * that width, so the window can still be 360 px wide. The width is
 * kept between COHORT_SIDE_PANEL_MIN_WIDTH and _MAX_WIDTH, and while the
 * panel is beside the stage, never so wide that the stage would get less
 * than 55% of the width, or less than its natural width. Properties: child, width (bind it to GSettings). */
#define COHORT_SIDE_PANEL_MIN_WIDTH 300
#define COHORT_SIDE_PANEL_MAX_WIDTH 640

#define COHORT_TYPE_SIDE_PANEL (cohort_side_panel_get_type ())
G_DECLARE_FINAL_TYPE (CohortSidePanel, cohort_side_panel, COHORT, SIDE_PANEL, GtkWidget)

GtkWidget *cohort_side_panel_new        (void);
GtkWidget *cohort_side_panel_get_child  (CohortSidePanel *self);
void       cohort_side_panel_set_child  (CohortSidePanel *self,
                                         GtkWidget       *child);
int        cohort_side_panel_get_width  (CohortSidePanel *self);
void       cohort_side_panel_set_width  (CohortSidePanel *self,
                                         int              width);
/* The handle (a focusable separator), for tests and shortcuts. */
GtkWidget *cohort_side_panel_get_handle (CohortSidePanel *self);

G_END_DECLS

/* cohort-pk-bar.h: the Class PK's live score bar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cohort-groups-pk.h"

G_BEGIN_DECLS

/* One horizontal bar split between the groups of a Class PK, each
 * segment as wide as the group's share of the points, in a colour per
 * group; the viewer's group is outlined. Property: pk (CohortPk). */
#define COHORT_TYPE_PK_BAR (cohort_pk_bar_get_type ())
G_DECLARE_FINAL_TYPE (CohortPkBar, cohort_pk_bar, COHORT, PK_BAR, GtkWidget)

GtkWidget *cohort_pk_bar_new    (void);
void       cohort_pk_bar_set_pk (CohortPkBar *self,
                                 CohortPk    *pk);
/* The colour of segment @index (also used by the legend). */
void       cohort_pk_bar_get_color (guint    index,
                                    GdkRGBA *color);

G_END_DECLS

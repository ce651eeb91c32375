/* cohort-mastery-legend.h: what the mastery colours and marks mean
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One entry per mastery band, wrapping at narrow widths: a swatch of the
 * band's colour, its mark, its name and its range ("✓ Mastered: 80 % or
 * more"), so that the legend is read by its text, not by colour alone. */
#define COHORT_TYPE_MASTERY_LEGEND (cohort_mastery_legend_get_type ())
G_DECLARE_FINAL_TYPE (CohortMasteryLegend, cohort_mastery_legend, COHORT, MASTERY_LEGEND, GtkWidget)

GtkWidget *cohort_mastery_legend_new (void);

G_END_DECLS

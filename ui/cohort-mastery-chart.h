/* cohort-mastery-chart.h: a student's mastery per knowledge point
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One horizontal bar per knowledge point, 0 to 100 %, drawn with
 * GtkSnapshot like the quiz chart: the point's name on the left, the
 * estimate with its band's mark on the right ("✓ 92 %"), the bar in its
 * band's colour, and a tick where "mastered" starts. Screen readers get
 * every bar as text in the description. Grows with its number of bars. */
#define COHORT_TYPE_MASTERY_CHART (cohort_mastery_chart_get_type ())
G_DECLARE_FINAL_TYPE (CohortMasteryChart, cohort_mastery_chart, COHORT, MASTERY_CHART, GtkWidget)

GtkWidget *cohort_mastery_chart_new        (void);
/* @labels: @n names; @mastery: @n estimates from 0 to 1, below 0 for a
 * point with no answers yet. Shown in the order given. */
void       cohort_mastery_chart_set_data   (CohortMasteryChart *self,
                                            const char * const *labels,
                                            const double       *mastery,
                                            guint               n);
guint      cohort_mastery_chart_get_n_bars (CohortMasteryChart *self);
/* What a screen reader reads for the chart (owned). */
const char *cohort_mastery_chart_get_description (CohortMasteryChart *self);
/* Whether every value shows whole at the current width. */
gboolean   cohort_mastery_chart_get_values_fit (CohortMasteryChart *self);

G_END_DECLS

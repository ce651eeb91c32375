/* cohort-quiz-chart.h: the live bar chart of a quiz question
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One horizontal bar per option, drawn with GtkSnapshot: the option's
 * label on the left, the count and share on the right, correct options in
 * the success colour (when known). Grows with its number of bars. */
#define COHORT_TYPE_QUIZ_CHART (cohort_quiz_chart_get_type ())
G_DECLARE_FINAL_TYPE (CohortQuizChart, cohort_quiz_chart, COHORT, QUIZ_CHART, GtkWidget)

GtkWidget *cohort_quiz_chart_new      (void);
/* @labels: @n labels; @counts: @n counts; @correct: @n flags or NULL when
 * the key is not known (students before the reveal). */
void       cohort_quiz_chart_set_data (CohortQuizChart    *self,
                                       const char * const *labels,
                                       const gint64       *counts,
                                       const gboolean     *correct,
                                       guint               n);
guint      cohort_quiz_chart_get_n_bars (CohortQuizChart  *self);
/* Whether every count and share shows whole at the current width. */
gboolean   cohort_quiz_chart_get_values_fit (CohortQuizChart *self);

G_END_DECLS

/* cohort-insights-row.h: one student's line on the teacher's Insights page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define COHORT_TYPE_INSIGHTS_ROW (cohort_insights_row_get_type ())
G_DECLARE_FINAL_TYPE (CohortInsightsRow, cohort_insights_row, COHORT, INSIGHTS_ROW, GObject)

/* Figures a row has, by name, as insights.get sends them
 * (docs/protocol-insights.md): "lessons_attended", "present_ms",
 * "messages", "questions", "helpful", "hands", "stage_ms", "reactions",
 * "quiz_answered", "quiz_correct", "accuracy" (-1: no answers),
 * "checkins", "streak", "best_streak", "ai_questions", "last_nudge_at". */
CohortInsightsRow *_cohort_insights_row_new              (JsonObject        *row);

gint64             cohort_insights_row_get_participant_id (CohortInsightsRow *self);
const char        *cohort_insights_row_get_name           (CohortInsightsRow *self);
gint64             cohort_insights_row_get_figure         (CohortInsightsRow *self,
                                                           const char        *figure);
/* The at-risk reasons ("absent", "streak_broken", "accuracy_drop",
 * "silent"); empty when the student is not at risk. */
const char * const *cohort_insights_row_get_risks         (CohortInsightsRow *self);
gboolean           cohort_insights_row_get_at_risk        (CohortInsightsRow *self);
/* The figure a reason's chip shows ("absent_lessons", "streak_run",
 * "accuracy_from", "accuracy_to", "silent_lessons"); -1 when absent. */
gint64             cohort_insights_row_get_why            (CohortInsightsRow *self,
                                                           const char        *figure);
/* The accuracy of the last lessons with answers, oldest first (percent). */
GArray            *cohort_insights_row_get_trend          (CohortInsightsRow *self);
gboolean           cohort_insights_row_get_came_back      (CohortInsightsRow *self);

G_END_DECLS

/* cohort-insights.h: the teacher's Insights page as a model: a GListModel
 * of CohortInsightsRow, at-risk students first (docs/architecture-insights.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cohort-insights-row.h"
#include "cohort-insights-settings.h"
#include "cohort-session.h"

G_BEGIN_DECLS

#define COHORT_TYPE_INSIGHTS (cohort_insights_get_type ())
G_DECLARE_FINAL_TYPE (CohortInsights, cohort_insights, COHORT, INSIGHTS, GObject)

/* Asks insights.get at once, then again on each insights.changed (the
 * server sends it while a lesson is live) and lesson.changed. */
CohortInsights *cohort_insights_new                 (CohortSession        *session);
void            cohort_insights_refresh             (CohortInsights       *self);
gboolean        cohort_insights_get_loading         (CohortInsights       *self);
gboolean        cohort_insights_get_live            (CohortInsights       *self);
guint           cohort_insights_get_n_at_risk       (CohortInsights       *self);
/* The thresholds and the nudge template (insights.get's "settings"):
 * one object, updated in place by each reply; NULL before the first. */
CohortInsightsSettings *cohort_insights_get_settings (CohortInsights      *self);
/* A failed refresh's error, or NULL. */
const GError   *cohort_insights_get_error           (CohortInsights       *self);

/* insights.settings.set with every value of @settings (a copy of
 * cohort_insights_get_settings() the page changed, say). */
void            cohort_insights_set_settings_async  (CohortInsights       *self,
                                                     CohortInsightsSettings *settings,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean        cohort_insights_set_settings_finish (CohortInsights       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
/* insights.nudge: the template, as the teacher's private message. */
void            cohort_insights_nudge_async         (CohortInsights       *self,
                                                     gint64                participant_id,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean        cohort_insights_nudge_finish        (CohortInsights       *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

/* The whole table as CSV: one line per student, in the model's order,
 * fields through cohort_csv_append_field(). */
char           *cohort_insights_to_csv              (CohortInsights       *self);

G_END_DECLS

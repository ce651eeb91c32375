/* cohort-insights-settings.h: the class's at-risk thresholds and nudge
 * template, typed (insights.get's "settings", insights.settings.set)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Properties (each notifies when it changes): absent-lessons,
 * streak-days, accuracy-drop, accuracy-lessons, silent-lessons (their
 * ranges in cohort-insights-protocol.h) and template (must contain
 * "{name}"). docs/protocol-insights.md, "Settings", says what each means. */
#define COHORT_TYPE_INSIGHTS_SETTINGS (cohort_insights_settings_get_type ())
G_DECLARE_FINAL_TYPE (CohortInsightsSettings, cohort_insights_settings, COHORT, INSIGHTS_SETTINGS, GObject)

/* The protocol's defaults, and an empty template. */
CohortInsightsSettings *cohort_insights_settings_new                  (void);
CohortInsightsSettings *cohort_insights_settings_copy                 (CohortInsightsSettings *self);
guint                   cohort_insights_settings_get_absent_lessons   (CohortInsightsSettings *self);
void                    cohort_insights_settings_set_absent_lessons   (CohortInsightsSettings *self,
                                                                       guint                   value);
guint                   cohort_insights_settings_get_streak_days      (CohortInsightsSettings *self);
void                    cohort_insights_settings_set_streak_days      (CohortInsightsSettings *self,
                                                                       guint                   value);
guint                   cohort_insights_settings_get_accuracy_drop    (CohortInsightsSettings *self);
void                    cohort_insights_settings_set_accuracy_drop    (CohortInsightsSettings *self,
                                                                       guint                   value);
guint                   cohort_insights_settings_get_accuracy_lessons (CohortInsightsSettings *self);
void                    cohort_insights_settings_set_accuracy_lessons (CohortInsightsSettings *self,
                                                                       guint                   value);
guint                   cohort_insights_settings_get_silent_lessons   (CohortInsightsSettings *self);
void                    cohort_insights_settings_set_silent_lessons   (CohortInsightsSettings *self,
                                                                       guint                   value);
const char             *cohort_insights_settings_get_template         (CohortInsightsSettings *self);
void                    cohort_insights_settings_set_template         (CohortInsightsSettings *self,
                                                                       const char             *value);

/* The core's side of the wire: from a reply's "settings" (a member left
 * out or of another type keeps its default), and the body of
 * insights.settings.set. */
CohortInsightsSettings *_cohort_insights_settings_new_from_json       (JsonObject             *settings);
JsonObject             *_cohort_insights_settings_to_json             (CohortInsightsSettings *self);
/* Takes @other's values, notifying what changed. */
void                    _cohort_insights_settings_update              (CohortInsightsSettings *self,
                                                                       CohortInsightsSettings *other);

G_END_DECLS

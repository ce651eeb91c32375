/* cohort-class-summary.h: one of a staff account's classes (staff.classes)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Properties (read-only): code, title, created-at (gint64, ms since the
 * epoch), archived, lessons (gint64), last-lesson-at (gint64 ms; 0: none),
 * participants (gint64, students). */
#define COHORT_TYPE_CLASS_SUMMARY (cohort_class_summary_get_type ())
G_DECLARE_FINAL_TYPE (CohortClassSummary, cohort_class_summary, COHORT, CLASS_SUMMARY, GObject)

/* NULL unless @object has a class code and a title. */
CohortClassSummary *cohort_class_summary_new_from_json    (JsonObject         *object);
const char         *cohort_class_summary_get_code         (CohortClassSummary *self);
const char         *cohort_class_summary_get_title        (CohortClassSummary *self);
gint64              cohort_class_summary_get_created_at   (CohortClassSummary *self);
gboolean            cohort_class_summary_get_archived     (CohortClassSummary *self);
gint64              cohort_class_summary_get_lessons      (CohortClassSummary *self);
gint64              cohort_class_summary_get_last_lesson_at (CohortClassSummary *self);
gint64              cohort_class_summary_get_participants (CohortClassSummary *self);

G_END_DECLS

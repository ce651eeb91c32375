/* cohort-lesson-summary-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-lesson.h"

G_BEGIN_DECLS

#define COHORT_TYPE_LESSON_SUMMARY_DIALOG (cohort_lesson_summary_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CohortLessonSummaryDialog, cohort_lesson_summary_dialog, COHORT, LESSON_SUMMARY_DIALOG, AdwWindow)

/* What a student sees when the teacher ends the lesson: how long it
 * lasted, their points and badges, their quiz results, and the next
 * lesson when one is known (the line is left out otherwise). */
CohortLessonSummaryDialog *cohort_lesson_summary_dialog_new (GtkWindow                 *parent,
                                                             const char                *class_title,
                                                             const CohortLessonSummary *summary);
/* The subtitle of the row @name ("duration", "points", "badges", "quiz",
 * "next"), as shown; NULL when the row is hidden. */
const char                *cohort_lesson_summary_dialog_get_line (CohortLessonSummaryDialog *self,
                                                                  const char                *name);

G_END_DECLS

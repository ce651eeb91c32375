/* cohort-practice-window.h: a student's progress and practice in a class
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-practice.h"

G_BEGIN_DECLS

/* Two pages: Progress (what comes next, "Next up: 10 questions on …",
 * the mastery per knowledge point as a chart with its legend, and the
 * history of graded answers) and Practice (a CohortPracticePage). Its
 * CohortPractice follows the session while the window lives. */
#define COHORT_TYPE_PRACTICE_WINDOW (cohort_practice_window_get_type ())
G_DECLARE_FINAL_TYPE (CohortPracticeWindow, cohort_practice_window, COHORT, PRACTICE_WINDOW, AdwWindow)

CohortPracticeWindow *cohort_practice_window_new          (GtkWindow            *parent,
                                                           CohortPractice       *practice);
CohortPractice       *cohort_practice_window_get_practice (CohortPracticeWindow *self);
/* "progress" or "practice". */
const char           *cohort_practice_window_get_page     (CohortPracticeWindow *self);
void                  cohort_practice_window_set_page     (CohortPracticeWindow *self,
                                                           const char           *page);
GtkWidget            *cohort_practice_window_get_practice_page (CohortPracticeWindow *self);
/* The mastery chart of the Progress page (a CohortMasteryChart). */
GtkWidget            *cohort_practice_window_get_chart    (CohortPracticeWindow *self);

G_END_DECLS

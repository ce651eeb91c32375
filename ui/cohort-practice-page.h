/* cohort-practice-page.h: a student's practice set, one question at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-practice.h"

G_BEGIN_DECLS

/* Asks for a set (practice.start: practice.next, for @point_id when the
 * action's parameter is not 0), then shows its questions one by one:
 * the answer, Check, and at once whether it was right, the key and the
 * explanation; after a wrong answer, "Why?" asks the class's AI helper
 * and shows its reply as it streams. After the last, a summary and
 * Another Set.
 *
 * Properties: practice (CohortPractice, construct-only), position (the
 * question shown, from 0), page ("start", "question" or "done"). */
#define COHORT_TYPE_PRACTICE_PAGE (cohort_practice_page_get_type ())
G_DECLARE_FINAL_TYPE (CohortPracticePage, cohort_practice_page, COHORT, PRACTICE_PAGE, GtkWidget)

GtkWidget          *cohort_practice_page_new          (CohortPractice     *practice);
CohortPractice     *cohort_practice_page_get_practice (CohortPracticePage *self);
const char         *cohort_practice_page_get_page     (CohortPracticePage *self);
guint               cohort_practice_page_get_position (CohortPracticePage *self);
/* The question shown, or NULL. */
CohortPracticeItem *cohort_practice_page_get_item     (CohortPracticePage *self);
/* How many of the set were answered right so far. */
guint               cohort_practice_page_get_n_correct (CohortPracticePage *self);
/* Asks for a new set of @point_id's questions (0: the server's choice). */
void                cohort_practice_page_start        (CohortPracticePage *self,
                                                       gint64              point_id);

G_END_DECLS

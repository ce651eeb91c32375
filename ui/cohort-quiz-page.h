/* cohort-quiz-page.h: the Quiz page of the class window's side panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-quiz-model.h"
#include "cohort-session.h"

G_BEGIN_DECLS

#define COHORT_TYPE_QUIZ_PAGE (cohort_quiz_page_get_type ())
G_DECLARE_FINAL_TYPE (CohortQuizPage, cohort_quiz_page, COHORT, QUIZ_PAGE, GtkWidget)

/* Makes the page's CohortQuizModel for @session. The teacher gets the
 * bank editor, launch controls, live results and the score table; a
 * student the current question (mouse or keys 1–9), a countdown, their
 * result on reveal and their history. */
void             cohort_quiz_page_set_session (CohortQuizPage *self,
                                               CohortSession  *session);
CohortQuizModel *cohort_quiz_page_get_model   (CohortQuizPage *self);

/* Shared with the editor and the tests: a readable answer ("2. Mercury",
 * "True", the text). */
G_END_DECLS

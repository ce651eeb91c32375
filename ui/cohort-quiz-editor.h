/* cohort-quiz-editor.h: the dialog that creates or edits a quiz question
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-quiz-model.h"
#include "cohort-quiz-question.h"

G_BEGIN_DECLS

#define COHORT_TYPE_QUIZ_EDITOR (cohort_quiz_editor_get_type ())
G_DECLARE_FINAL_TYPE (CohortQuizEditor, cohort_quiz_editor, COHORT, QUIZ_EDITOR, AdwWindow)

/* @question NULL: a new question. Saves through @model
 * (quiz.question.create or quiz.question.update) and closes itself once
 * the server accepted it; a refusal shows the server's sentence, which
 * names the wrong field. */
CohortQuizEditor *cohort_quiz_editor_new          (CohortQuizModel    *model,
                                                   CohortQuizQuestion *question);
/* The class's knowledge points (CohortKnowledgePoint), offered in a menu
 * beside the Knowledge points row; NULL or empty hides the menu. */
void              cohort_quiz_editor_set_known_points (CohortQuizEditor *self,
                                                       GListModel       *points);
/* The question the form describes, before any check (for tests). */
/* The question the form describes, not yet checked. */
CohortQuizQuestion *cohort_quiz_editor_build_question (CohortQuizEditor *self);

G_END_DECLS

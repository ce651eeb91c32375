/* cohort-quiz-question.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One question of the class's bank (teacher only), as the server sent it:
 * the question object of docs/quiz-format.md plus "id" and "position".
 * Properties: id, position, kind (the "type" string), prompt, n-choices,
 * time-limit (seconds, 0: none). */
#define COHORT_TYPE_QUIZ_QUESTION (cohort_quiz_question_get_type ())
G_DECLARE_FINAL_TYPE (CohortQuizQuestion, cohort_quiz_question, COHORT, QUIZ_QUESTION, GObject)

/* NULL unless @object has an integer "id", a "type" and a "prompt". */
CohortQuizQuestion *cohort_quiz_question_new_from_json (JsonObject         *object);
gint64              cohort_quiz_question_get_id        (CohortQuizQuestion *self);
gint64              cohort_quiz_question_get_position  (CohortQuizQuestion *self);
const char         *cohort_quiz_question_get_kind      (CohortQuizQuestion *self);
const char         *cohort_quiz_question_get_prompt    (CohortQuizQuestion *self);
guint               cohort_quiz_question_get_n_choices (CohortQuizQuestion *self);
gint64              cohort_quiz_question_get_time_limit (CohortQuizQuestion *self);
/* The whole question (owned by @self). */
JsonObject         *cohort_quiz_question_get_json      (CohortQuizQuestion *self);

G_END_DECLS

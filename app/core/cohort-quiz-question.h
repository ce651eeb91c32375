/* cohort-quiz-question.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-quiz-grade.h"

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
/* The type as the enum (COHORT_QUIZ_OPEN for a type this client does not
 * know). */
CohortQuizType      cohort_quiz_question_get_question_type (CohortQuizQuestion *self);
/* Single and multiple choice: the choices, and the correct ones as a bit
 * set (choice i is bit i). NULL-terminated, free with g_strfreev(). */
char              **cohort_quiz_question_dup_choices  (CohortQuizQuestion *self);
guint64             cohort_quiz_question_get_correct_choices (CohortQuizQuestion *self);
/* True or false: the correct value. */
gboolean            cohort_quiz_question_get_truth    (CohortQuizQuestion *self);
/* Short answers: the accepted texts (free with g_strfreev()), and the
 * numeric answer when there is one. */
char              **cohort_quiz_question_dup_accepted (CohortQuizQuestion *self);
gboolean            cohort_quiz_question_get_numeric  (CohortQuizQuestion *self,
                                                       double             *out_value,
                                                       double             *out_tolerance);
const char         *cohort_quiz_question_get_explanation (CohortQuizQuestion *self);

/* A draft question (id 0) to fill with the setters below and hand to
 * cohort_quiz_model_save_question_async(). */
CohortQuizQuestion *cohort_quiz_question_new          (CohortQuizType      type,
                                                       const char         *prompt);
/* @correct: bit i set for a correct choice i. */
void                cohort_quiz_question_set_choices  (CohortQuizQuestion *self,
                                                       const char * const *choices,
                                                       guint64             correct);
void                cohort_quiz_question_set_truth    (CohortQuizQuestion *self,
                                                       gboolean            truth);
/* Empty texts are dropped; none at all leaves the member out. */
void                cohort_quiz_question_set_accepted (CohortQuizQuestion *self,
                                                       const char * const *accepted);
void                cohort_quiz_question_set_numeric  (CohortQuizQuestion *self,
                                                       double              value,
                                                       double              tolerance);
/* NULL or "" leaves it out. */
void                cohort_quiz_question_set_explanation (CohortQuizQuestion *self,
                                                       const char         *explanation);
/* 0: none. */
void                cohort_quiz_question_set_time_limit (CohortQuizQuestion *self,
                                                       gint64              time_limit);
/* practice (docs/protocol-practice.md): the names of the knowledge points
 * the question is tagged with (NULL-terminated, free with g_strfreev());
 * NULL or empty clears them. */
char              **cohort_quiz_question_dup_knowledge_points (CohortQuizQuestion *self);
void                cohort_quiz_question_set_knowledge_points (CohortQuizQuestion *self,
                                                       const char * const *names);
/* "normal" (also when absent), "practice_only" or "after_live". */
const char         *cohort_quiz_question_get_practice_use (CohortQuizQuestion *self);
void                cohort_quiz_question_set_practice_use (CohortQuizQuestion *self,
                                                       const char         *use);
/* The checks the server makes (docs/quiz-format.md); the error is a
 * sentence naming the field. */
gboolean            cohort_quiz_question_check        (CohortQuizQuestion *self,
                                                       GError            **error);

/* The whole question (owned by @self). */
JsonObject         *cohort_quiz_question_get_json      (CohortQuizQuestion *self);

G_END_DECLS

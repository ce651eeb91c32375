/* cohort-quiz-entry.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-quiz-grade.h"

G_BEGIN_DECLS

/* What became of an answer, for views: the wire grade as an enum, with
 * NONE while it is not known (before the reveal). */
typedef enum
{
  COHORT_QUIZ_OUTCOME_NONE,
  COHORT_QUIZ_OUTCOME_CORRECT,
  COHORT_QUIZ_OUTCOME_WRONG,
  COHORT_QUIZ_OUTCOME_UNGRADED,
} CohortQuizOutcome;

/* NONE for NULL or a grade this client does not know. */
CohortQuizOutcome cohort_quiz_outcome_from_grade (const char *grade);

/* One answer to one question: a line of a student's history, or one
 * student's answer in the teacher's list. Immutable; a changed answer is
 * a new entry. Properties: run-id, participant-id, name, prompt, kind,
 * grade ("correct", "wrong", "ungraded" or NULL while unknown), points,
 * elapsed-ms, answered (FALSE: no answer was given), question-type
 * (CohortQuizType), outcome (CohortQuizOutcome), answer-text (the answer
 * as the student sees it: "2. Mercury", "True", the text, "No answer"). */
#define COHORT_TYPE_QUIZ_ENTRY (cohort_quiz_entry_get_type ())
G_DECLARE_FINAL_TYPE (CohortQuizEntry, cohort_quiz_entry, COHORT, QUIZ_ENTRY, GObject)

/* @question: the (public) question; @answer and @key may be NULL. */
CohortQuizEntry *cohort_quiz_entry_new              (gint64           run_id,
                                                     gint64           participant_id,
                                                     const char      *name,
                                                     JsonObject      *question,
                                                     JsonNode        *answer,
                                                     JsonObject      *key,
                                                     const char      *grade,
                                                     double           points,
                                                     gint64           elapsed_ms);
gint64           cohort_quiz_entry_get_run_id       (CohortQuizEntry *self);
gint64           cohort_quiz_entry_get_participant_id (CohortQuizEntry *self);
const char      *cohort_quiz_entry_get_name         (CohortQuizEntry *self);
const char      *cohort_quiz_entry_get_prompt       (CohortQuizEntry *self);
const char      *cohort_quiz_entry_get_kind         (CohortQuizEntry *self);
const char      *cohort_quiz_entry_get_grade        (CohortQuizEntry *self);
double           cohort_quiz_entry_get_points       (CohortQuizEntry *self);
gint64           cohort_quiz_entry_get_elapsed_ms   (CohortQuizEntry *self);
gboolean         cohort_quiz_entry_get_answered     (CohortQuizEntry *self);
CohortQuizType   cohort_quiz_entry_get_question_type (CohortQuizEntry *self);
CohortQuizOutcome cohort_quiz_entry_get_outcome     (CohortQuizEntry *self);
char            *cohort_quiz_entry_dup_answer_text  (CohortQuizEntry *self);
JsonObject      *cohort_quiz_entry_get_question     (CohortQuizEntry *self);
JsonNode        *cohort_quiz_entry_get_answer       (CohortQuizEntry *self);
JsonObject      *cohort_quiz_entry_get_key          (CohortQuizEntry *self);

G_END_DECLS

/* cohort-practice-attempt.h: one graded answer in a student's history
 * (mastery.get "history")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Properties (read-only): question-id, prompt, at (ms), correct,
 * from-quiz (TRUE: a live quiz answer; FALSE: practice). */
#define COHORT_TYPE_PRACTICE_ATTEMPT (cohort_practice_attempt_get_type ())
G_DECLARE_FINAL_TYPE (CohortPracticeAttempt, cohort_practice_attempt, COHORT, PRACTICE_ATTEMPT, GObject)

CohortPracticeAttempt *_cohort_practice_attempt_new_from_json (JsonObject            *object);

gint64                 cohort_practice_attempt_get_question_id (CohortPracticeAttempt *self);
const char            *cohort_practice_attempt_get_prompt      (CohortPracticeAttempt *self);
gint64                 cohort_practice_attempt_get_at          (CohortPracticeAttempt *self);
gboolean               cohort_practice_attempt_get_correct     (CohortPracticeAttempt *self);
gboolean               cohort_practice_attempt_get_from_quiz   (CohortPracticeAttempt *self);

G_END_DECLS

/* cohort-quiz-question-private.h: answers and keys on the wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-quiz-question.h"

G_BEGIN_DECLS

/* Shared by the quiz model and its entries, so that ui/ gets text and bit
 * sets and never the wire JSON. */

/* An answer as the student sees it: "2. Mercury", "True", the text; "No
 * answer" for NULL. @question: the (public) question, for choice texts. */
char     *_cohort_quiz_format_answer      (JsonObject     *question,
                                           JsonNode       *answer);
/* The key as a sentence: "2. Mercury", "True", "Paris; 3.14 ± 0.01";
 * NULL when @key is NULL or empty. */
char     *_cohort_quiz_format_key         (JsonObject     *question,
                                           JsonObject     *key);
/* Which choices an answer (or a key's "correct") picks: bit i for choice
 * i; true is bit 0 and false bit 1. */
guint64   _cohort_quiz_answer_bits        (JsonNode       *answer);
/* The wire answer for a bit set under @type (the inverse of the above). */
JsonNode *_cohort_quiz_answer_new_choices (CohortQuizType  type,
                                           guint64         chosen);

G_END_DECLS

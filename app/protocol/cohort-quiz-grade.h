/* cohort-quiz-grade.h: grading and scoring of quiz answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* docs/quiz-format.md describes the question types and docs/protocol-quiz.md
 * the scoring formula; this file implements both. Pure functions, no I/O,
 * used by cohort-server (which is the only one that grades) and the tests. */

typedef enum
{
  COHORT_QUIZ_SINGLE,
  COHORT_QUIZ_MULTIPLE,
  COHORT_QUIZ_TRUE_FALSE,
  COHORT_QUIZ_SHORT,
  COHORT_QUIZ_OPEN,
} CohortQuizType;

typedef enum
{
  COHORT_QUIZ_GRADE_WRONG,
  COHORT_QUIZ_GRADE_CORRECT,
  /* Open answers: the teacher reads them, nobody scores them. */
  COHORT_QUIZ_GRADE_UNGRADED,
} CohortQuizGrade;

/* A correct answer earns 1 point plus a speed bonus of up to
 * COHORT_QUIZ_MAX_BONUS; see cohort_quiz_points(). */
#define COHORT_QUIZ_MAX_BONUS          0.5
/* Without a time limit the bonus runs out after this long. */
#define COHORT_QUIZ_BONUS_WINDOW_MS    ((gint64) 30000)

gboolean         cohort_quiz_type_from_string  (const char     *str,
                                                CohortQuizType *out_type);
const char      *cohort_quiz_type_to_string    (CohortQuizType  type);

/* NFKC, case folding, NFKC again, runs of white space collapsed to one
 * space and trimmed: "  Ｐａｒｉｓ\u00a0 CITY " → "paris city". NULL when
 * @text is not valid UTF-8. */
char            *cohort_quiz_normalize_text    (const char     *text);
/* Reads a number the way people type it: after NFKC (so full-width digits
 * count), optional sign, a decimal point or a single decimal comma, an
 * exponent. FALSE for anything else, infinities and NaN included. */
gboolean         cohort_quiz_parse_number      (const char     *text,
                                                double         *out_value);

/* Checks that @answer has the JSON shape the question's type expects (an
 * index in range, a set of distinct indexes, a boolean, a string). On
 * failure sets a COHORT_PROTOCOL_ERROR/COHORT_ERROR_INVALID error whose
 * message is a sentence for the user. @question must be valid. */
gboolean         cohort_quiz_check_answer      (JsonObject     *question,
                                                JsonNode       *answer,
                                                GError        **error);
/* Grades an answer that passed cohort_quiz_check_answer(). */
CohortQuizGrade  cohort_quiz_grade             (JsonObject     *question,
                                                JsonNode       *answer);
/* Two answers that grade the same and mean the same thing: equal
 * indexes (as sets for multiple choice), equal normalised text. */
gboolean         cohort_quiz_answers_equal     (JsonNode       *a,
                                                JsonNode       *b);

/* 0 for a wrong or ungraded answer. A correct one earns
 *   1 + MAX_BONUS × (1 − elapsed / window), the bonus clamped to
 *   [0, MAX_BONUS], rounded to hundredths,
 * where window is the time limit, or COHORT_QUIZ_BONUS_WINDOW_MS without
 * one (@time_limit_ms 0). */
double           cohort_quiz_points            (CohortQuizGrade grade,
                                                gint64          elapsed_ms,
                                                gint64          time_limit_ms);

/* The median of @n values (sorted in place); 0 when @n is 0. The lower
 * middle value's and upper's mean for an even @n, rounded down. */
gint64           cohort_quiz_median            (gint64         *values,
                                                guint           n);

G_END_DECLS

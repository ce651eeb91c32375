/* cohort-quiz-format.h: quiz questions and the question bank file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* docs/quiz-format.md (and docs/quiz-format.schema.json) is the reference
 * for every rule here. */
#define COHORT_QUIZ_FORMAT_NAME            "cohort-quiz"
#define COHORT_QUIZ_FORMAT_VERSION         2
#define COHORT_QUIZ_FORMAT_MIN_VERSION     1   /* the oldest version still read */
#define COHORT_QUIZ_MAX_QUESTIONS          100
#define COHORT_QUIZ_MAX_PROMPT_CHARS       500
#define COHORT_QUIZ_MIN_CHOICES            2
#define COHORT_QUIZ_MAX_CHOICES            9
#define COHORT_QUIZ_MAX_CHOICE_CHARS       200
#define COHORT_QUIZ_MAX_ACCEPTED           20
#define COHORT_QUIZ_MAX_EXPLANATION_CHARS  1000
#define COHORT_QUIZ_MAX_ANSWER_CHARS       1000
#define COHORT_QUIZ_MIN_TIME_LIMIT         5
#define COHORT_QUIZ_MAX_TIME_LIMIT         3600

/* Checks one question and returns a clean copy holding only the members of
 * the format, text trimmed. On failure returns NULL, sets @error
 * (COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID, a sentence naming the
 * field) and *@out_field to the path of the wrong member below @path, such
 * as "questions[2].choices[1]". */
JsonObject *cohort_quiz_question_parse   (JsonObject   *question,
                                          const char   *path,
                                          char        **out_field,
                                          GError      **error);
/* Checks a whole bank file ({"format": "cohort-quiz", "version": 1,
 * "questions": […]}) and returns its clean questions (JsonObject). */
GPtrArray  *cohort_quiz_file_parse       (JsonNode     *root,
                                          char        **out_field,
                                          GError      **error);
/* The file for @questions (JsonObject, "id" members dropped). */
JsonObject *cohort_quiz_file_new         (GPtrArray    *questions);

/* What a student may see of a question before the reveal: type, prompt,
 * choices. Never the correct answer, accepted answers or explanation. */
JsonObject *cohort_quiz_question_public  (JsonObject   *question);
/* The answer key shown on reveal: correct, accepted, numeric,
 * explanation (those the question has). */
JsonObject *cohort_quiz_question_key     (JsonObject   *question);

G_END_DECLS

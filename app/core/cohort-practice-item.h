/* cohort-practice-item.h: one question of a student's practice set, and
 * what came back when it was answered (docs/protocol-practice.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-quiz-grade.h"

G_BEGIN_DECLS

typedef enum
{
  COHORT_PRACTICE_REASON_KIND_WEAK,
  COHORT_PRACTICE_REASON_KIND_REVIEW,
  COHORT_PRACTICE_REASON_KIND_NEW,
} CohortPracticeReason;

/* Properties (read-only unless said): question-id, question-type
 * (CohortQuizType), prompt, point-id, point-name, reason
 * (CohortPracticeReason); once answered: answered, correct, explanation,
 * key-text (the correct answer as a sentence for a short or true/false
 * question; the correct choices' texts joined for a choice question);
 * the AI helper's "why?": why-text (grows as it streams), why-busy. */
#define COHORT_TYPE_PRACTICE_ITEM (cohort_practice_item_get_type ())
G_DECLARE_FINAL_TYPE (CohortPracticeItem, cohort_practice_item, COHORT, PRACTICE_ITEM, GObject)

CohortPracticeItem *_cohort_practice_item_new_from_json (JsonObject         *item);

gint64              cohort_practice_item_get_question_id (CohortPracticeItem *self);
CohortQuizType      cohort_practice_item_get_question_type (CohortPracticeItem *self);
const char         *cohort_practice_item_get_prompt      (CohortPracticeItem *self);
/* NULL-terminated; free with g_strfreev(). Empty but for choice questions. */
char              **cohort_practice_item_dup_choices     (CohortPracticeItem *self);
gint64              cohort_practice_item_get_point_id    (CohortPracticeItem *self);
const char         *cohort_practice_item_get_point_name  (CohortPracticeItem *self);
CohortPracticeReason cohort_practice_item_get_reason     (CohortPracticeItem *self);

/* The answer to send with cohort_practice_answer_async(); the last one set
 * counts. Choices as a bit set (choice i is bit i: one bit for single). */
void                cohort_practice_item_set_chosen      (CohortPracticeItem *self,
                                                          guint64             chosen);
void                cohort_practice_item_set_truth       (CohortPracticeItem *self,
                                                          gboolean            truth);
void                cohort_practice_item_set_text        (CohortPracticeItem *self,
                                                          const char         *text);
gboolean            cohort_practice_item_get_has_answer  (CohortPracticeItem *self);

gboolean            cohort_practice_item_get_answered    (CohortPracticeItem *self);
gboolean            cohort_practice_item_get_correct     (CohortPracticeItem *self);
/* The correct choices as a bit set (choice questions, once answered). */
guint64             cohort_practice_item_get_correct_choices (CohortPracticeItem *self);
const char         *cohort_practice_item_get_explanation (CohortPracticeItem *self);
const char         *cohort_practice_item_get_key_text    (CohortPracticeItem *self);
const char         *cohort_practice_item_get_why_text    (CohortPracticeItem *self);
gboolean            cohort_practice_item_get_why_busy    (CohortPracticeItem *self);

/* For CohortPractice: the answer as JSON (NULL when none was set), the
 * reply applied, the "why?" stream. */
JsonNode           *_cohort_practice_item_dup_answer     (CohortPracticeItem *self);
void                _cohort_practice_item_apply_result   (CohortPracticeItem *self,
                                                          JsonObject         *reply);
void                _cohort_practice_item_set_why        (CohortPracticeItem *self,
                                                          const char         *text,
                                                          gboolean            busy);

G_END_DECLS

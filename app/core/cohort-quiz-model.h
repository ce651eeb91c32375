/* cohort-quiz-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cohort-quiz-entry.h"
#include "cohort-quiz-grade.h"
#include "cohort-quiz-question.h"
#include "cohort-session.h"

G_BEGIN_DECLS

typedef enum
{
  COHORT_QUIZ_STATE_NONE,
  COHORT_QUIZ_STATE_OPEN,
  COHORT_QUIZ_STATE_CLOSED,
  COHORT_QUIZ_STATE_REVEALED,
} CohortQuizState;

/* The class's quiz as one client sees it, fed by a CohortSession's
 * "welcome" and "event-received" signals (docs/protocol-quiz.md). Requests
 * go through the session's outbox, so an answer given offline is sent once
 * the session is back (and the server alone decides whether it was in
 * time).
 *
 * Properties (all notify): session (set by new), is-teacher, state
 * (CohortQuizState; a passed deadline counts as closed once the server
 * says so), run-id, kind, prompt, index, count, launched-at, deadline (ms,
 * 0: none), allow-change, results-shown, answer-pending, grade (own,
 * after the reveal), points, explanation, n-answered, n-graded,
 * n-correct, median-ms; derived, notified before "changed": question-type
 * (CohortQuizType), outcome (CohortQuizOutcome, own), has-answer, chosen
 * (own answer as a bit set, see below), has-key, correct-choices, key-text.
 *
 * Choice answers are bit sets: bit i for choice i; for true or false, bit
 * 0 is true and bit 1 false.
 *
 * Lists: bank (CohortQuizQuestion, teacher), answers (CohortQuizEntry:
 * everyone's answers to the current question, teacher), history
 * (CohortQuizEntry: own past answers, newest first, student), scores
 * (CohortQuizScore, teacher).
 *
 * Signals: question-arrived (run id) when a question is launched live;
 * revealed (run id); changed, after any change of the current question or
 * its results. */
#define COHORT_TYPE_QUIZ_MODEL (cohort_quiz_model_get_type ())
G_DECLARE_FINAL_TYPE (CohortQuizModel, cohort_quiz_model, COHORT, QUIZ_MODEL, GObject)

CohortQuizModel *cohort_quiz_model_new               (CohortSession    *session);

CohortSession   *cohort_quiz_model_get_session       (CohortQuizModel  *self);
gboolean         cohort_quiz_model_get_is_teacher    (CohortQuizModel  *self);
CohortQuizState  cohort_quiz_model_get_state         (CohortQuizModel  *self);
gint64           cohort_quiz_model_get_run_id        (CohortQuizModel  *self);
/* The question: public for students until the reveal; NULL when none. */
JsonObject      *cohort_quiz_model_get_question      (CohortQuizModel  *self);
const char      *cohort_quiz_model_get_kind          (CohortQuizModel  *self);
const char      *cohort_quiz_model_get_prompt        (CohortQuizModel  *self);
/* The choices of single/multiple questions (NULL-terminated, owned). */
const char * const *cohort_quiz_model_get_choices    (CohortQuizModel  *self);
guint            cohort_quiz_model_get_index         (CohortQuizModel  *self);
guint            cohort_quiz_model_get_count         (CohortQuizModel  *self);
gint64           cohort_quiz_model_get_launched_at   (CohortQuizModel  *self);
gint64           cohort_quiz_model_get_deadline      (CohortQuizModel  *self);
gboolean         cohort_quiz_model_get_allow_change  (CohortQuizModel  *self);
gboolean         cohort_quiz_model_get_results_shown (CohortQuizModel  *self);
/* The key (correct, accepted, numeric, explanation) once known: always
 * for the teacher, after the reveal for students. */
JsonObject      *cohort_quiz_model_get_key           (CohortQuizModel  *self);
const char      *cohort_quiz_model_get_explanation   (CohortQuizModel  *self);
/* Own answer (students): NULL when none. */
JsonNode        *cohort_quiz_model_get_answer        (CohortQuizModel  *self);
gboolean         cohort_quiz_model_get_answer_pending (CohortQuizModel *self);
const char      *cohort_quiz_model_get_grade         (CohortQuizModel  *self);
double           cohort_quiz_model_get_points        (CohortQuizModel  *self);
/* Live results (teacher), or shown results (everyone). */
guint            cohort_quiz_model_get_n_answered    (CohortQuizModel  *self);
guint            cohort_quiz_model_get_n_graded      (CohortQuizModel  *self);
guint            cohort_quiz_model_get_n_correct     (CohortQuizModel  *self);
gint64           cohort_quiz_model_get_median_ms     (CohortQuizModel  *self);
/* Answers per option (per choice; true then false); owned. */
const gint64    *cohort_quiz_model_get_counts        (CohortQuizModel  *self,
                                                      guint            *n_counts);
CohortQuizType   cohort_quiz_model_get_question_type (CohortQuizModel *self);
CohortQuizOutcome cohort_quiz_model_get_outcome     (CohortQuizModel  *self);
gboolean         cohort_quiz_model_get_has_answer    (CohortQuizModel  *self);
guint64          cohort_quiz_model_get_chosen        (CohortQuizModel  *self);
gboolean         cohort_quiz_model_get_has_key       (CohortQuizModel  *self);
/* 0 while the key is not known. */
guint64          cohort_quiz_model_get_correct_choices (CohortQuizModel *self);
/* The key as a sentence: "2. Mercury", "True", "Paris; 3.14 ± 0.01"; NULL
 * while it is not known. */
char            *cohort_quiz_model_dup_key_text      (CohortQuizModel  *self);
/* Students online now (the teacher's "answered out of present"). */
guint            cohort_quiz_model_get_n_present     (CohortQuizModel  *self);

GListModel      *cohort_quiz_model_get_bank          (CohortQuizModel  *self);
GListModel      *cohort_quiz_model_get_answers       (CohortQuizModel  *self);
GListModel      *cohort_quiz_model_get_history       (CohortQuizModel  *self);
GListModel      *cohort_quiz_model_get_scores        (CohortQuizModel  *self);

/* The score table as CSV (RFC 4180, UTF-8, a header line). */
char            *cohort_quiz_model_scores_to_csv     (CohortQuizModel  *self);

/* Students: answers the current question. @answer is the JSON answer
 * (an int, an int array, a bool or a string). The model shows it at once
 * (answer-pending) and settles it with the server's reply. */
void             cohort_quiz_model_answer_async      (CohortQuizModel     *self,
                                                      JsonNode            *answer,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean         cohort_quiz_model_answer_finish     (CohortQuizModel     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Typed answers, settled like cohort_quiz_model_answer_async() (finish
 * with cohort_quiz_model_answer_finish()). @chosen: a bit set; single
 * choice sends its lowest bit. */
void             cohort_quiz_model_answer_choices_async (CohortQuizModel  *self,
                                                      guint64              chosen,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
void             cohort_quiz_model_answer_text_async (CohortQuizModel     *self,
                                                      const char          *text,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);

/* Teacher requests (docs/protocol-quiz.md). Each returns the ok body via
 * cohort_quiz_model_request_finish(); @body is taken. */
void             cohort_quiz_model_request_async     (CohortQuizModel     *self,
                                                      const char          *type,
                                                      JsonObject          *body,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
JsonObject      *cohort_quiz_model_request_finish    (CohortQuizModel     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
/* Conveniences over request_async: */
/* @question_ids: @n_ids ids; @time_limit seconds, -1 for each question's own. */
void             cohort_quiz_model_launch_async      (CohortQuizModel     *self,
                                                      const gint64        *question_ids,
                                                      guint                n_ids,
                                                      gint64               time_limit,
                                                      gboolean             allow_change,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* quiz.close, quiz.reveal or quiz.show_results for the current run. */
void             cohort_quiz_model_run_action_async  (CohortQuizModel     *self,
                                                      const char          *type,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Typed teacher requests. Finish launch, run actions, next, move, delete
 * and save with cohort_quiz_model_action_finish(). */
gboolean         cohort_quiz_model_action_finish     (CohortQuizModel     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
void             cohort_quiz_model_next_async        (CohortQuizModel     *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
void             cohort_quiz_model_move_question_async (CohortQuizModel   *self,
                                                      gint64               question_id,
                                                      guint                position,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
void             cohort_quiz_model_delete_question_async (CohortQuizModel *self,
                                                      gint64               question_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Creates @question (@question_id 0) or replaces the bank's question
 * @question_id with it. */
void             cohort_quiz_model_save_question_async (CohortQuizModel   *self,
                                                      gint64               question_id,
                                                      CohortQuizQuestion  *question,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Imports a bank file's @contents; refuses files too large for a frame
 * or not JSON objects before sending. */
void             cohort_quiz_model_import_async      (CohortQuizModel     *self,
                                                      const char          *contents,
                                                      gsize                length,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean         cohort_quiz_model_import_finish     (CohortQuizModel     *self,
                                                      GAsyncResult        *result,
                                                      guint               *out_count,
                                                      GError             **error);
/* The bank as a file (pretty JSON, docs/quiz-format.md). */
void             cohort_quiz_model_export_async      (CohortQuizModel     *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
char            *cohort_quiz_model_export_finish     (CohortQuizModel     *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS

/* cohort-store-quiz.h: the question bank, runs, answers and scores
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-quiz-grade.h"
#include "cohort-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  gint64  class_id;
  gint64  position;          /* 0-based order in the class's bank */
  char   *data;              /* the question, JSON (docs/quiz-format.md) */
} CohortQuizQuestionRecord;

typedef struct
{
  gint64    id;
  gint64    class_id;
  gint64    question_id;     /* the bank question it was launched from */
  char     *question;        /* JSON copy of the question at launch */
  char     *sequence;        /* JSON array of the question ids launched together */
  gint64    seq_index;       /* this run's place in @sequence */
  gint64    time_limit_ms;   /* 0: no limit */
  gint64    limit_override;  /* seconds the teacher asked for the sequence; -1: each question's own */
  gboolean  allow_change;
  gint64    launched_at;
  gint64    deadline;        /* 0: none */
  gint64    closed_at;       /* 0: open */
  gint64    revealed_at;     /* 0: not yet */
  gboolean  results_shown;
} CohortQuizRunRecord;

typedef struct
{
  gint64           run_id;
  gint64           participant_id;
  char            *answer;     /* JSON value */
  gint64           answered_at;
  gint64           elapsed_ms;
  CohortQuizGrade  grade;
  double           points;
} CohortQuizAnswerRecord;

typedef struct
{
  gint64  participant_id;
  double  points;
  gint64  n_correct;
  gint64  n_answered;
} CohortQuizScoreRecord;

void cohort_quiz_question_record_free (CohortQuizQuestionRecord *record);
void cohort_quiz_run_record_free      (CohortQuizRunRecord      *record);
void cohort_quiz_answer_record_free   (CohortQuizAnswerRecord   *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortQuizQuestionRecord, cohort_quiz_question_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortQuizRunRecord, cohort_quiz_run_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortQuizAnswerRecord, cohort_quiz_answer_record_free)

/* The class's bank, by position. */
GPtrArray                *cohort_store_quiz_list_questions     (CohortStore  *self,
                                                                gint64        class_id,
                                                                GError      **error);
CohortQuizQuestionRecord *cohort_store_quiz_get_question       (CohortStore  *self,
                                                                gint64        question_id,
                                                                GError      **error);
/* Appends at the end of the bank; returns the new id or 0. */
gint64                    cohort_store_quiz_add_question       (CohortStore  *self,
                                                                gint64        class_id,
                                                                const char   *data,
                                                                gint64        created_at,
                                                                GError      **error);
gboolean                  cohort_store_quiz_update_question    (CohortStore  *self,
                                                                gint64        question_id,
                                                                const char   *data,
                                                                GError      **error);
/* Deletes and closes the gap in the positions. */
gboolean                  cohort_store_quiz_delete_question    (CohortStore  *self,
                                                                gint64        question_id,
                                                                GError      **error);
/* @ids, every question of the class, in their new order. */
gboolean                  cohort_store_quiz_set_order          (CohortStore   *self,
                                                                gint64         class_id,
                                                                const gint64  *ids,
                                                                guint          n_ids,
                                                                GError       **error);
/* Sets @run->id. */
gboolean                  cohort_store_quiz_add_run            (CohortStore          *self,
                                                                CohortQuizRunRecord  *run,
                                                                GError              **error);
/* Writes closed_at, revealed_at and results_shown. */
gboolean                  cohort_store_quiz_update_run         (CohortStore          *self,
                                                                CohortQuizRunRecord  *run,
                                                                GError              **error);
/* The class's most recent run, or NULL. */
CohortQuizRunRecord      *cohort_store_quiz_get_last_run       (CohortStore  *self,
                                                                gint64        class_id,
                                                                GError      **error);
/* Runs not closed yet, in every class. */
GPtrArray                *cohort_store_quiz_list_open_runs     (CohortStore  *self,
                                                                GError      **error);
/* Revealed runs of a class, newest first, at most @limit. */
GPtrArray                *cohort_store_quiz_list_revealed_runs (CohortStore  *self,
                                                                gint64        class_id,
                                                                guint         limit,
                                                                GError      **error);
/* Inserts or replaces the participant's answer to the run. */
gboolean                  cohort_store_quiz_save_answer        (CohortStore             *self,
                                                                CohortQuizAnswerRecord  *answer,
                                                                GError                 **error);
GPtrArray                *cohort_store_quiz_list_answers       (CohortStore  *self,
                                                                gint64        run_id,
                                                                GError      **error);
CohortQuizAnswerRecord   *cohort_store_quiz_get_answer         (CohortStore  *self,
                                                                gint64        run_id,
                                                                gint64        participant_id,
                                                                GError      **error);
/* Totals over the class's revealed runs, by participant id
 * (CohortQuizScoreRecord, g_free). */
GPtrArray                *cohort_store_quiz_list_scores        (CohortStore  *self,
                                                                gint64        class_id,
                                                                GError      **error);

G_END_DECLS

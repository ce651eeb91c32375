/* cohort-store-quiz.c: the quiz part of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-store-private.h"

/* Numbered migrations of the quiz module: append only. */
static const char * const migrations[] = {
  /* 1: the bank, runs (one launched question each) and answers */
  "CREATE TABLE quiz_questions ("
  "  id         INTEGER PRIMARY KEY,"
  "  class_id   INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  position   INTEGER NOT NULL,"
  "  data       TEXT    NOT NULL,"
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX quiz_questions_class ON quiz_questions (class_id, position);"
  "CREATE TABLE quiz_runs ("
  "  id             INTEGER PRIMARY KEY,"
  "  class_id       INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  question_id    INTEGER NOT NULL,"
  "  question       TEXT    NOT NULL,"
  "  sequence       TEXT    NOT NULL,"
  "  seq_index      INTEGER NOT NULL,"
  "  time_limit_ms  INTEGER NOT NULL,"
  "  limit_override INTEGER NOT NULL,"
  "  allow_change   INTEGER NOT NULL,"
  "  launched_at    INTEGER NOT NULL,"
  "  deadline       INTEGER NOT NULL,"
  "  closed_at      INTEGER NOT NULL DEFAULT 0,"
  "  revealed_at    INTEGER NOT NULL DEFAULT 0,"
  "  results_shown  INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX quiz_runs_class ON quiz_runs (class_id, id);"
  "CREATE INDEX quiz_runs_open ON quiz_runs (closed_at) WHERE closed_at = 0;"
  "CREATE TABLE quiz_answers ("
  "  run_id         INTEGER NOT NULL REFERENCES quiz_runs (id) ON DELETE CASCADE,"
  "  participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,"
  "  answer         TEXT    NOT NULL,"
  "  answered_at    INTEGER NOT NULL,"
  "  elapsed_ms     INTEGER NOT NULL,"
  "  grade          INTEGER NOT NULL,"
  "  points         REAL    NOT NULL,"
  "  PRIMARY KEY (run_id, participant_id)"
  ") WITHOUT ROWID;",
};

gboolean
_cohort_store_quiz_migrate (CohortStore  *self,
                            GError      **error)
{
  return _cohort_store_migrate_module (self, "quiz", migrations,
                                       G_N_ELEMENTS (migrations), error);
}

void
cohort_quiz_question_record_free (CohortQuizQuestionRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->data);
  g_free (record);
}

void
cohort_quiz_run_record_free (CohortQuizRunRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->question);
  g_free (record->sequence);
  g_free (record);
}

void
cohort_quiz_answer_record_free (CohortQuizAnswerRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->answer);
  g_free (record);
}

#define QUESTION_COLUMNS "id, class_id, position, data"
#define RUN_COLUMNS "id, class_id, question_id, question, sequence, seq_index, time_limit_ms, " \
                    "limit_override, allow_change, launched_at, deadline, closed_at, " \
                    "revealed_at, results_shown"
#define ANSWER_COLUMNS "run_id, participant_id, answer, answered_at, elapsed_ms, grade, points"

static CohortQuizQuestionRecord *
question_from_row (sqlite3_stmt *stmt)
{
  CohortQuizQuestionRecord *record = g_new0 (CohortQuizQuestionRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->class_id = sqlite3_column_int64 (stmt, 1);
  record->position = sqlite3_column_int64 (stmt, 2);
  record->data = _cohort_store_column_text (stmt, 3);
  return record;
}

static CohortQuizRunRecord *
run_from_row (sqlite3_stmt *stmt)
{
  CohortQuizRunRecord *record = g_new0 (CohortQuizRunRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->class_id = sqlite3_column_int64 (stmt, 1);
  record->question_id = sqlite3_column_int64 (stmt, 2);
  record->question = _cohort_store_column_text (stmt, 3);
  record->sequence = _cohort_store_column_text (stmt, 4);
  record->seq_index = sqlite3_column_int64 (stmt, 5);
  record->time_limit_ms = sqlite3_column_int64 (stmt, 6);
  record->limit_override = sqlite3_column_int64 (stmt, 7);
  record->allow_change = sqlite3_column_int (stmt, 8) != 0;
  record->launched_at = sqlite3_column_int64 (stmt, 9);
  record->deadline = sqlite3_column_int64 (stmt, 10);
  record->closed_at = sqlite3_column_int64 (stmt, 11);
  record->revealed_at = sqlite3_column_int64 (stmt, 12);
  record->results_shown = sqlite3_column_int (stmt, 13) != 0;
  return record;
}

static CohortQuizAnswerRecord *
answer_from_row (sqlite3_stmt *stmt)
{
  CohortQuizAnswerRecord *record = g_new0 (CohortQuizAnswerRecord, 1);

  record->run_id = sqlite3_column_int64 (stmt, 0);
  record->participant_id = sqlite3_column_int64 (stmt, 1);
  record->answer = _cohort_store_column_text (stmt, 2);
  record->answered_at = sqlite3_column_int64 (stmt, 3);
  record->elapsed_ms = sqlite3_column_int64 (stmt, 4);
  record->grade = sqlite3_column_int (stmt, 5);
  record->points = sqlite3_column_double (stmt, 6);
  return record;
}

GPtrArray *
cohort_store_quiz_list_questions (CohortStore  *self,
                                  gint64        class_id,
                                  GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " QUESTION_COLUMNS " FROM quiz_questions "
                                      "WHERE class_id = ? ORDER BY position, id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return _cohort_store_read_rows (self, stmt, (CohortStoreReadRow) question_from_row,
                                  (GDestroyNotify) cohort_quiz_question_record_free, error);
}

CohortQuizQuestionRecord *
cohort_store_quiz_get_question (CohortStore  *self,
                                gint64        question_id,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " QUESTION_COLUMNS " FROM quiz_questions "
                                      "WHERE id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, question_id);
  return _cohort_store_read_row (self, stmt, (CohortStoreReadRow) question_from_row, error);
}

gint64
cohort_store_quiz_add_question (CohortStore  *self,
                                gint64        class_id,
                                const char   *data,
                                gint64        created_at,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO quiz_questions "
                                      "(class_id, position, data, created_at) VALUES "
                                      "(?1, (SELECT COUNT(*) FROM quiz_questions WHERE class_id = ?1), "
                                      "?2, ?3)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, created_at);
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

gboolean
cohort_store_quiz_update_question (CohortStore  *self,
                                   gint64        question_id,
                                   const char   *data,
                                   GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE quiz_questions SET data = ? WHERE id = ?",
                                      error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, data, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, question_id);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_quiz_delete_question (CohortStore  *self,
                                   gint64        question_id,
                                   GError      **error)
{
  g_autoptr(CohortQuizQuestionRecord) record = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(record = cohort_store_quiz_get_question (self, question_id, error)))
    return error == NULL || *error == NULL;

  if (!(stmt = _cohort_store_prepare (self, "DELETE FROM quiz_questions WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, question_id);
  if (!_cohort_store_step_done (self, stmt, error))
    return FALSE;

  if (!(stmt = _cohort_store_prepare (self, "UPDATE quiz_questions SET position = position - 1 "
                                      "WHERE class_id = ? AND position > ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record->class_id);
  sqlite3_bind_int64 (stmt, 2, record->position);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_quiz_set_order (CohortStore   *self,
                             gint64         class_id,
                             const gint64  *ids,
                             guint          n_ids,
                             GError       **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  for (guint i = 0; i < n_ids; i++)
    {
      sqlite3_stmt *stmt;

      if (!(stmt = _cohort_store_prepare (self, "UPDATE quiz_questions SET position = ? "
                                          "WHERE id = ? AND class_id = ?", error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, i);
      sqlite3_bind_int64 (stmt, 2, ids[i]);
      sqlite3_bind_int64 (stmt, 3, class_id);
      if (!_cohort_store_step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
cohort_store_quiz_add_run (CohortStore          *self,
                           CohortQuizRunRecord  *run,
                           GError              **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO quiz_runs (class_id, question_id, "
                                      "question, sequence, seq_index, time_limit_ms, "
                                      "limit_override, allow_change, launched_at, deadline, "
                                      "closed_at, revealed_at, results_shown) VALUES "
                                      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->class_id);
  sqlite3_bind_int64 (stmt, 2, run->question_id);
  sqlite3_bind_text (stmt, 3, run->question, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, run->sequence, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, run->seq_index);
  sqlite3_bind_int64 (stmt, 6, run->time_limit_ms);
  sqlite3_bind_int64 (stmt, 7, run->limit_override);
  sqlite3_bind_int (stmt, 8, run->allow_change ? 1 : 0);
  sqlite3_bind_int64 (stmt, 9, run->launched_at);
  sqlite3_bind_int64 (stmt, 10, run->deadline);
  sqlite3_bind_int64 (stmt, 11, run->closed_at);
  sqlite3_bind_int64 (stmt, 12, run->revealed_at);
  sqlite3_bind_int (stmt, 13, run->results_shown ? 1 : 0);
  if (!_cohort_store_step_done (self, stmt, error))
    return FALSE;
  run->id = sqlite3_last_insert_rowid (_cohort_store_get_db (self));
  return TRUE;
}

gboolean
cohort_store_quiz_update_run (CohortStore          *self,
                              CohortQuizRunRecord  *run,
                              GError              **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE quiz_runs SET closed_at = ?, "
                                      "revealed_at = ?, results_shown = ? WHERE id = ?",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, run->closed_at);
  sqlite3_bind_int64 (stmt, 2, run->revealed_at);
  sqlite3_bind_int (stmt, 3, run->results_shown ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, run->id);
  return _cohort_store_step_done (self, stmt, error);
}

CohortQuizRunRecord *
cohort_store_quiz_get_last_run (CohortStore  *self,
                                gint64        class_id,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " RUN_COLUMNS " FROM quiz_runs "
                                      "WHERE class_id = ? ORDER BY id DESC LIMIT 1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return _cohort_store_read_row (self, stmt, (CohortStoreReadRow) run_from_row, error);
}

GPtrArray *
cohort_store_quiz_list_open_runs (CohortStore  *self,
                                  GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " RUN_COLUMNS " FROM quiz_runs "
                                      "WHERE closed_at = 0 ORDER BY id", error)))
    return NULL;
  return _cohort_store_read_rows (self, stmt, (CohortStoreReadRow) run_from_row,
                                  (GDestroyNotify) cohort_quiz_run_record_free, error);
}

GPtrArray *
cohort_store_quiz_list_revealed_runs (CohortStore  *self,
                                      gint64        class_id,
                                      guint         limit,
                                      GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " RUN_COLUMNS " FROM quiz_runs "
                                      "WHERE class_id = ? AND revealed_at > 0 "
                                      "ORDER BY id DESC LIMIT ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, limit);
  return _cohort_store_read_rows (self, stmt, (CohortStoreReadRow) run_from_row,
                                  (GDestroyNotify) cohort_quiz_run_record_free, error);
}

gboolean
cohort_store_quiz_save_answer (CohortStore             *self,
                               CohortQuizAnswerRecord  *answer,
                               GError                 **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO quiz_answers "
                                      "(" ANSWER_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, answer->run_id);
  sqlite3_bind_int64 (stmt, 2, answer->participant_id);
  sqlite3_bind_text (stmt, 3, answer->answer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, answer->answered_at);
  sqlite3_bind_int64 (stmt, 5, answer->elapsed_ms);
  sqlite3_bind_int (stmt, 6, answer->grade);
  sqlite3_bind_double (stmt, 7, answer->points);
  return _cohort_store_step_done (self, stmt, error);
}

GPtrArray *
cohort_store_quiz_list_answers (CohortStore  *self,
                                gint64        run_id,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " ANSWER_COLUMNS " FROM quiz_answers "
                                      "WHERE run_id = ? ORDER BY participant_id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  return _cohort_store_read_rows (self, stmt, (CohortStoreReadRow) answer_from_row,
                                  (GDestroyNotify) cohort_quiz_answer_record_free, error);
}

CohortQuizAnswerRecord *
cohort_store_quiz_get_answer (CohortStore  *self,
                              gint64        run_id,
                              gint64        participant_id,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " ANSWER_COLUMNS " FROM quiz_answers "
                                      "WHERE run_id = ? AND participant_id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, run_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  return _cohort_store_read_row (self, stmt, (CohortStoreReadRow) answer_from_row, error);
}

static CohortQuizScoreRecord *
score_from_row (sqlite3_stmt *stmt)
{
  CohortQuizScoreRecord *record = g_new0 (CohortQuizScoreRecord, 1);

  record->participant_id = sqlite3_column_int64 (stmt, 0);
  record->points = sqlite3_column_double (stmt, 1);
  record->n_correct = sqlite3_column_int64 (stmt, 2);
  record->n_answered = sqlite3_column_int64 (stmt, 3);
  return record;
}

GPtrArray *
cohort_store_quiz_list_scores (CohortStore  *self,
                               gint64        class_id,
                               GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  /* The stored grade is the CohortQuizGrade value. */
  G_STATIC_ASSERT (COHORT_QUIZ_GRADE_CORRECT == 1);
  if (!(stmt = _cohort_store_prepare (self, "SELECT a.participant_id, SUM(a.points), "
                                      "SUM(a.grade = 1), COUNT(*) FROM quiz_answers a "
                                      "JOIN quiz_runs r ON r.id = a.run_id "
                                      "WHERE r.class_id = ? AND r.revealed_at > 0 "
                                      "GROUP BY a.participant_id ORDER BY a.participant_id",
                                      error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return _cohort_store_read_rows (self, stmt, (CohortStoreReadRow) score_from_row, g_free, error);
}

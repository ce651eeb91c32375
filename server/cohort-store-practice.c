/* cohort-store-practice.c: the practice part of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-store-private.h"

/* Numbered migrations of the practice module: append only.
 *
 * practice_log is the model's input, append only; practice_skills and
 * practice_items are its output, a cache that a fold of the log rebuilds
 * bit for bit (docs/architecture-practice.md). */
static const char * const migrations[] = {
  /* 1: knowledge points, the answer log, the model's cache */
  "CREATE TABLE practice_points ("
  "  id         INTEGER PRIMARY KEY,"
  "  class_id   INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  name       TEXT    NOT NULL,"
  "  key        TEXT    NOT NULL,"
  "  practice   INTEGER NOT NULL DEFAULT 1,"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (class_id, key)"
  ");"
  "CREATE TABLE practice_log ("
  "  id             INTEGER PRIMARY KEY,"
  "  class_id       INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  participant_id INTEGER NOT NULL,"
  "  question_id    INTEGER NOT NULL,"
  "  point_ids      TEXT    NOT NULL,"
  "  correct        INTEGER NOT NULL,"
  "  answer         TEXT,"
  "  at             INTEGER NOT NULL,"
  "  source         INTEGER NOT NULL"
  ");"
  "CREATE INDEX practice_log_class ON practice_log (class_id, id);"
  "CREATE INDEX practice_log_student ON practice_log (class_id, participant_id, at);"
  "CREATE TABLE practice_skills ("
  "  class_id       INTEGER NOT NULL,"
  "  participant_id INTEGER NOT NULL,"
  "  point_id       INTEGER NOT NULL,"
  "  theta          REAL    NOT NULL,"
  "  answered       INTEGER NOT NULL,"
  "  correct        INTEGER NOT NULL,"
  "  last_at        INTEGER NOT NULL,"
  "  interval_ms    INTEGER NOT NULL,"
  "  due_at         INTEGER NOT NULL,"
  "  PRIMARY KEY (class_id, participant_id, point_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE practice_items ("
  "  class_id    INTEGER NOT NULL,"
  "  question_id INTEGER NOT NULL,"
  "  difficulty  REAL    NOT NULL,"
  "  answered    INTEGER NOT NULL,"
  "  PRIMARY KEY (class_id, question_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE practice_cursor ("
  "  class_id INTEGER PRIMARY KEY REFERENCES classes (id) ON DELETE CASCADE,"
  "  seq      INTEGER NOT NULL"
  ");",
  NULL,
};

gboolean
_cohort_store_practice_migrate (CohortStore  *self,
                                GError      **error)
{
  return _cohort_store_migrate_module (self, "practice", migrations,
                                       G_N_ELEMENTS (migrations) - 1, error);
}

void
cohort_practice_point_record_free (CohortPracticePointRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_free (record);
}

void
cohort_practice_answer_record_free (CohortPracticeAnswerRecord *record)
{
  if (record == NULL)
    return;
  g_clear_pointer (&record->point_ids, g_array_unref);
  g_free (record->answer);
  g_free (record);
}

GPtrArray *
cohort_store_practice_list_points (CohortStore  *self,
                                   gint64        class_id,
                                   GError      **error)
{
  g_autoptr(GPtrArray) points = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_practice_point_record_free);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "SELECT id, name, practice FROM practice_points "
                                      "WHERE class_id = ? ORDER BY key, id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  while (_cohort_store_step_row (self, stmt, error))
    {
      CohortPracticePointRecord *p = g_new0 (CohortPracticePointRecord, 1);

      p->id = sqlite3_column_int64 (stmt, 0);
      p->name = _cohort_store_column_text (stmt, 1);
      p->practice = sqlite3_column_int (stmt, 2) != 0;
      g_ptr_array_add (points, p);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&points);
}

gint64
cohort_store_practice_find_point (CohortStore  *self,
                                  gint64        class_id,
                                  const char   *key,
                                  GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 id = 0;

  if (!(stmt = _cohort_store_prepare (self, "SELECT id FROM practice_points "
                                      "WHERE class_id = ? AND key = ?", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
  if (_cohort_store_step_row (self, stmt, error))
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

gint64
cohort_store_practice_add_point (CohortStore  *self,
                                 gint64        class_id,
                                 const char   *name,
                                 const char   *key,
                                 gint64        created_at,
                                 GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO practice_points (class_id, name, key, created_at) "
                                      "VALUES (?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, key, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, created_at);
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

gboolean
cohort_store_practice_update_point (CohortStore  *self,
                                    gint64        point_id,
                                    const char   *name,
                                    const char   *key,
                                    int           practice,
                                    GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "UPDATE practice_points SET "
                                      "name = COALESCE (?, name), key = COALESCE (?, key), "
                                      "practice = CASE WHEN ? < 0 THEN practice ELSE ? END "
                                      "WHERE id = ?", error)))
    return FALSE;
  if (name != NULL)
    {
      sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT);
    }
  sqlite3_bind_int (stmt, 3, practice);
  sqlite3_bind_int (stmt, 4, practice);
  sqlite3_bind_int64 (stmt, 5, point_id);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_practice_delete_point (CohortStore  *self,
                                    gint64        point_id,
                                    GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "DELETE FROM practice_points WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, point_id);
  return _cohort_store_step_done (self, stmt, error);
}

static char *
ids_to_text (GArray *ids)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    g_string_append_printf (text, "%s%" G_GINT64_FORMAT, i ? "," : "", g_array_index (ids, gint64, i));
  return g_string_free (text, FALSE);
}

static GArray *
ids_from_text (const char *text)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_auto(GStrv) parts = g_strsplit (text != NULL ? text : "", ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      {
        gint64 id = g_ascii_strtoll (parts[i], NULL, 10);

        g_array_append_val (ids, id);
      }
  return ids;
}

gint64
cohort_store_practice_log_answer (CohortStore                      *self,
                                  gint64                            class_id,
                                  const CohortPracticeAnswerRecord *record,
                                  GError                          **error)
{
  g_autofree char *points = ids_to_text (record->point_ids);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO practice_log (class_id, participant_id, "
                                      "question_id, point_ids, correct, answer, at, source) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, record->participant_id);
  sqlite3_bind_int64 (stmt, 3, record->question_id);
  sqlite3_bind_text (stmt, 4, points, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 5, record->correct ? 1 : 0);
  if (record->answer != NULL)
    sqlite3_bind_text (stmt, 6, record->answer, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, record->at);
  sqlite3_bind_int (stmt, 8, record->source);
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

static GPtrArray *
read_log (CohortStore   *self,
          sqlite3_stmt  *stmt,
          GError       **error)
{
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_practice_answer_record_free);

  while (_cohort_store_step_row (self, stmt, error))
    {
      CohortPracticeAnswerRecord *r = g_new0 (CohortPracticeAnswerRecord, 1);
      g_autofree char *points = _cohort_store_column_text (stmt, 3);

      r->id = sqlite3_column_int64 (stmt, 0);
      r->participant_id = sqlite3_column_int64 (stmt, 1);
      r->question_id = sqlite3_column_int64 (stmt, 2);
      r->point_ids = ids_from_text (points);
      r->correct = sqlite3_column_int (stmt, 4) != 0;
      r->at = sqlite3_column_int64 (stmt, 5);
      r->source = sqlite3_column_int (stmt, 6);
      g_ptr_array_add (log, r);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&log);
}

GPtrArray *
cohort_store_practice_list_log (CohortStore  *self,
                                gint64        class_id,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "SELECT id, participant_id, question_id, point_ids, "
                                      "correct, at, source FROM practice_log WHERE class_id = ? "
                                      "ORDER BY id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return read_log (self, stmt, error);
}

GPtrArray *
cohort_store_practice_list_history (CohortStore  *self,
                                    gint64        class_id,
                                    gint64        participant_id,
                                    guint         limit,
                                    GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "SELECT id, participant_id, question_id, point_ids, "
                                      "correct, at, source FROM practice_log "
                                      "WHERE class_id = ? AND participant_id = ? "
                                      "ORDER BY at DESC, id DESC LIMIT ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_int (stmt, 3, limit);
  return read_log (self, stmt, error);
}

GHashTable *
cohort_store_practice_recent_correct (CohortStore *self,
                                      gint64       class_id,
                                      gint64       participant_id,
                                      gint64       since,
                                      GError     **error)
{
  g_autoptr(GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "SELECT question_id FROM practice_log "
                                      "WHERE class_id = ? AND participant_id = ? AND at >= ? "
                                      "AND correct = 1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_int64 (stmt, 3, since);
  while (_cohort_store_step_row (self, stmt, error))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&ids);
}

gboolean
cohort_store_practice_last_wrong (CohortStore  *self,
                                  gint64        class_id,
                                  gint64        participant_id,
                                  gint64        question_id,
                                  char        **out_answer,
                                  GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean wrong = FALSE;

  if (!(stmt = _cohort_store_prepare (self, "SELECT correct, answer FROM practice_log "
                                      "WHERE class_id = ? AND participant_id = ? AND question_id = ? "
                                      "AND source = 0 ORDER BY id DESC LIMIT 1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_int64 (stmt, 3, question_id);
  if (_cohort_store_step_row (self, stmt, error))
    {
      wrong = sqlite3_column_int (stmt, 0) == 0;
      if (wrong && out_answer != NULL)
        *out_answer = _cohort_store_column_text (stmt, 1);
    }
  sqlite3_reset (stmt);
  return wrong;
}

GArray *
cohort_store_practice_list_skills (CohortStore  *self,
                                   gint64        class_id,
                                   gint64        participant_id,
                                   GError      **error)
{
  g_autoptr(GArray) skills = g_array_new (FALSE, FALSE, sizeof (CohortPracticeSkillRecord));
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "SELECT participant_id, point_id, theta, answered, "
                                      "correct, last_at, interval_ms, due_at FROM practice_skills "
                                      "WHERE class_id = ?1 AND (?2 = 0 OR participant_id = ?2)", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  while (_cohort_store_step_row (self, stmt, error))
    {
      CohortPracticeSkillRecord r;

      r.participant_id = sqlite3_column_int64 (stmt, 0);
      r.point_id = sqlite3_column_int64 (stmt, 1);
      r.skill.theta = sqlite3_column_double (stmt, 2);
      r.skill.answered = sqlite3_column_int (stmt, 3);
      r.skill.correct = sqlite3_column_int (stmt, 4);
      r.skill.last_at = sqlite3_column_int64 (stmt, 5);
      r.skill.interval_ms = sqlite3_column_int64 (stmt, 6);
      r.skill.due_at = sqlite3_column_int64 (stmt, 7);
      g_array_append_val (skills, r);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&skills);
}

gboolean
cohort_store_practice_put_skill (CohortStore                     *self,
                                 gint64                           class_id,
                                 const CohortPracticeSkillRecord *r,
                                 GError                         **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO practice_skills (class_id, "
                                      "participant_id, point_id, theta, answered, correct, last_at, "
                                      "interval_ms, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, r->participant_id);
  sqlite3_bind_int64 (stmt, 3, r->point_id);
  sqlite3_bind_double (stmt, 4, r->skill.theta);
  sqlite3_bind_int (stmt, 5, r->skill.answered);
  sqlite3_bind_int (stmt, 6, r->skill.correct);
  sqlite3_bind_int64 (stmt, 7, r->skill.last_at);
  sqlite3_bind_int64 (stmt, 8, r->skill.interval_ms);
  sqlite3_bind_int64 (stmt, 9, r->skill.due_at);
  return _cohort_store_step_done (self, stmt, error);
}

GArray *
cohort_store_practice_list_items (CohortStore  *self,
                                  gint64        class_id,
                                  GError      **error)
{
  g_autoptr(GArray) items = g_array_new (FALSE, FALSE, sizeof (CohortPracticeItemRecord));
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "SELECT question_id, difficulty, answered "
                                      "FROM practice_items WHERE class_id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  while (_cohort_store_step_row (self, stmt, error))
    {
      CohortPracticeItemRecord r;

      r.question_id = sqlite3_column_int64 (stmt, 0);
      r.item.difficulty = sqlite3_column_double (stmt, 1);
      r.item.answered = sqlite3_column_int (stmt, 2);
      g_array_append_val (items, r);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&items);
}

gboolean
cohort_store_practice_put_item (CohortStore                    *self,
                                gint64                          class_id,
                                const CohortPracticeItemRecord *r,
                                GError                        **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO practice_items (class_id, "
                                      "question_id, difficulty, answered) VALUES (?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, r->question_id);
  sqlite3_bind_double (stmt, 3, r->item.difficulty);
  sqlite3_bind_int (stmt, 4, r->item.answered);
  return _cohort_store_step_done (self, stmt, error);
}

gint64
cohort_store_practice_get_cursor (CohortStore  *self,
                                  gint64        class_id,
                                  GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 seq = 0;

  if (!(stmt = _cohort_store_prepare (self, "SELECT seq FROM practice_cursor WHERE class_id = ?", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (_cohort_store_step_row (self, stmt, error))
    seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return -1;
  return seq;
}

gboolean
cohort_store_practice_set_cursor (CohortStore  *self,
                                  gint64        class_id,
                                  gint64        seq,
                                  GError      **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO practice_cursor (class_id, seq) "
                                      "VALUES (?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, seq);
  return _cohort_store_step_done (self, stmt, error);
}

GArray *
cohort_store_practice_list_run_states (CohortStore *self,
                                       gint64       class_id,
                                       GError     **error)
{
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (CohortPracticeRunState));
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_store_prepare (self, "SELECT question_id, MAX (revealed_at > 0), "
                                      "MAX (revealed_at = 0) FROM quiz_runs WHERE class_id = ? "
                                      "GROUP BY question_id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  while (_cohort_store_step_row (self, stmt, error))
    {
      CohortPracticeRunState s;

      s.question_id = sqlite3_column_int64 (stmt, 0);
      s.revealed = sqlite3_column_int (stmt, 1) != 0;
      s.unrevealed = sqlite3_column_int (stmt, 2) != 0;
      g_array_append_val (states, s);
    }
  sqlite3_reset (stmt);
  if (error != NULL && *error != NULL)
    return NULL;
  return g_steal_pointer (&states);
}

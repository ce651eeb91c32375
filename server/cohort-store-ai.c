/* cohort-store-ai.c: the ai part of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-store-private.h"

/* Numbered migrations of the ai module: append only.
 *
 * ai_exchanges holds each student's own conversation; only that student
 * reads it back. ai_topics holds anonymous word counts per class: no
 * participant id, so the teacher's view cannot name anyone. */
static const char * const migrations[] = {
  "CREATE TABLE ai_policies ("
  "  class_id    INTEGER PRIMARY KEY REFERENCES classes (id),"
  "  mode        TEXT NOT NULL,"
  "  topic       TEXT NOT NULL DEFAULT '',"
  "  notes       TEXT NOT NULL DEFAULT '',"
  "  daily_quota INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE ai_exchanges ("
  "  id             INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  class_id       INTEGER NOT NULL,"
  "  participant_id INTEGER NOT NULL,"
  "  question       TEXT NOT NULL,"
  "  answer         TEXT NOT NULL,"
  "  finish         TEXT NOT NULL,"
  "  asked_at       INTEGER NOT NULL,"
  "  answered_at    INTEGER NOT NULL"
  ");"
  "CREATE INDEX ai_exchanges_by_participant ON ai_exchanges (participant_id, class_id, id);"
  "CREATE TABLE ai_topics ("
  "  class_id INTEGER NOT NULL,"
  "  word     TEXT NOT NULL,"
  "  count    INTEGER NOT NULL,"
  "  last_at  INTEGER NOT NULL,"
  "  PRIMARY KEY (class_id, word)"
  ") WITHOUT ROWID;",
  /* ai_usage: one row per question sent upstream, for the daily quotas
   * per student, per class and for the whole server. Written when the
   * question goes upstream, so an answer its student walked away from
   * still counts; keyed by the request id, so the outbox's resend of the
   * same question after a reconnect does not count twice. The indexes
   * keep each count to today's rows. Earlier exchanges count as they did. */
  "CREATE TABLE ai_usage ("
  "  participant_id INTEGER NOT NULL,"
  "  request_id     TEXT NOT NULL,"
  "  class_id       INTEGER NOT NULL,"
  "  asked_at       INTEGER NOT NULL,"
  "  student_counts INTEGER NOT NULL DEFAULT 1,"
  "  starts         INTEGER NOT NULL DEFAULT 1,"
  "  PRIMARY KEY (participant_id, request_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX ai_usage_by_class_time ON ai_usage (class_id, asked_at);"
  "CREATE INDEX ai_usage_by_time ON ai_usage (asked_at);"
  "INSERT INTO ai_usage (participant_id, request_id, class_id, asked_at) "
  "  SELECT participant_id, 'exchange:' || id, class_id, asked_at FROM ai_exchanges;",
  /* ai_conversations: a student's conversations with the helper in one
   * class, each its own context upstream. The exchanges made before
   * become one conversation per student and class, titled by its first
   * question. Quotas stay in ai_usage: deleting a conversation gives no
   * question back. */
  "CREATE TABLE ai_conversations ("
  "  id             INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  class_id       INTEGER NOT NULL,"
  "  participant_id INTEGER NOT NULL,"
  "  title          TEXT NOT NULL DEFAULT '',"
  "  created_at     INTEGER NOT NULL,"
  "  updated_at     INTEGER NOT NULL"
  ");"
  "CREATE INDEX ai_conversations_by_participant "
  "  ON ai_conversations (participant_id, class_id, updated_at);"
  "ALTER TABLE ai_exchanges ADD COLUMN conversation_id INTEGER NOT NULL DEFAULT 0;"
  "INSERT INTO ai_conversations (class_id, participant_id, created_at, updated_at) "
  "  SELECT class_id, participant_id, min(asked_at), max(answered_at) FROM ai_exchanges "
  "  GROUP BY class_id, participant_id;"
  "UPDATE ai_exchanges SET conversation_id = (SELECT c.id FROM ai_conversations c "
  "  WHERE c.class_id = ai_exchanges.class_id AND c.participant_id = ai_exchanges.participant_id);"
  "UPDATE ai_conversations SET title = substr(replace((SELECT question FROM ai_exchanges e "
  "  WHERE e.conversation_id = ai_conversations.id ORDER BY e.id LIMIT 1), char(10), ' '), 1, 60);"
  "CREATE INDEX ai_exchanges_by_conversation ON ai_exchanges (conversation_id, id);",
  /* Nudges: the helper speaking first between lessons. The class's
   * switch (on by default; each student still opts in), each student's
   * opt-in and zone, and every nudge sent, for the one-a-day limit, the
   * three-unopened stop and the teacher's counts. */
  "ALTER TABLE ai_policies ADD COLUMN nudges INTEGER NOT NULL DEFAULT 1;"
  "CREATE TABLE ai_nudge_prefs ("
  "  participant_id INTEGER PRIMARY KEY,"
  "  class_id       INTEGER NOT NULL,"
  "  enabled        INTEGER NOT NULL,"
  "  tz             TEXT NOT NULL DEFAULT ''"
  ");"
  "CREATE TABLE ai_nudges ("
  "  id             INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  class_id       INTEGER NOT NULL,"
  "  participant_id INTEGER NOT NULL,"
  "  kind           TEXT NOT NULL,"
  "  text           TEXT NOT NULL,"
  "  sent_at        INTEGER NOT NULL,"
  "  opened_at      INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX ai_nudges_by_participant ON ai_nudges (participant_id, id);"
  "CREATE INDEX ai_nudges_by_class ON ai_nudges (class_id, sent_at);",
  /* The teacher's answer key ("do not reveal"), apart from the notes: it
   * goes only into the hints prompt and the teacher's own. And when a
   * nudged student came back (docs/architecture-ai.md, "Nudges"). */
  "ALTER TABLE ai_policies ADD COLUMN answer_key TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE ai_nudges ADD COLUMN returned_at INTEGER NOT NULL DEFAULT 0;",
  NULL,
};

gboolean
_cohort_store_ai_migrate (CohortStore  *self,
                          GError      **error)
{
  return _cohort_store_migrate_module (self, "ai", migrations,
                                       G_N_ELEMENTS (migrations) - 1, error);
}

void
cohort_ai_policy_record_free (CohortAiPolicyRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->mode);
  g_free (record->topic);
  g_free (record->notes);
  g_free (record->answer_key);
  g_free (record);
}

void
cohort_ai_exchange_record_free (CohortAiExchangeRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->question);
  g_free (record->answer);
  g_free (record->finish);
  g_free (record);
}

void
cohort_ai_conversation_record_free (CohortAiConversationRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->title);
  g_free (record);
}

void
cohort_ai_topic_record_free (CohortAiTopicRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->word);
  g_free (record);
}

CohortAiPolicyRecord *
cohort_store_ai_get_policy (CohortStore  *self,
                            gint64        class_id,
                            GError      **error)
{
  CohortAiPolicyRecord *record;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT mode, topic, notes, daily_quota, nudges, "
                                      "answer_key FROM ai_policies WHERE class_id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (!_cohort_store_step_row (self, stmt, error))
    return NULL;

  record = g_new0 (CohortAiPolicyRecord, 1);
  record->mode = _cohort_store_column_text (stmt, 0);
  record->topic = _cohort_store_column_text (stmt, 1);
  record->notes = _cohort_store_column_text (stmt, 2);
  record->daily_quota = sqlite3_column_int64 (stmt, 3);
  record->nudges = sqlite3_column_int (stmt, 4) != 0;
  record->answer_key = _cohort_store_column_text (stmt, 5);
  sqlite3_reset (stmt);

  return record;
}

gboolean
cohort_store_ai_set_policy (CohortStore                 *self,
                            gint64                       class_id,
                            const CohortAiPolicyRecord  *policy,
                            GError                     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO ai_policies "
                                      "(class_id, mode, topic, notes, daily_quota, nudges, "
                                      "answer_key) VALUES (?, ?, ?, ?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, policy->mode, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, policy->topic != NULL ? policy->topic : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, policy->notes != NULL ? policy->notes : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, policy->daily_quota);
  sqlite3_bind_int (stmt, 6, policy->nudges ? 1 : 0);
  sqlite3_bind_text (stmt, 7, policy->answer_key != NULL ? policy->answer_key : "", -1,
                     SQLITE_TRANSIENT);

  return _cohort_store_step_done (self, stmt, error);
}

gint64
cohort_store_ai_add_exchange (CohortStore                   *self,
                              gint64                         class_id,
                              gint64                         participant_id,
                              const CohortAiExchangeRecord  *exchange,
                              GError                       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO ai_exchanges (class_id, participant_id, "
                                      "question, answer, finish, asked_at, answered_at, "
                                      "conversation_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_text (stmt, 3, exchange->question, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, exchange->answer != NULL ? exchange->answer : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, exchange->finish, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 6, exchange->asked_at);
  sqlite3_bind_int64 (stmt, 7, exchange->answered_at);
  sqlite3_bind_int64 (stmt, 8, exchange->conversation_id);

  if (!_cohort_store_step_done (self, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

gint64
cohort_store_ai_count_questions (CohortStore  *self,
                                 gint64        class_id,
                                 gint64        participant_id,
                                 gint64        since,
                                 GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 count;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (!(stmt = _cohort_store_prepare (self, "SELECT count(*) FROM ai_usage "
                                      "WHERE participant_id = ? AND class_id = ? "
                                      "AND asked_at >= ? AND student_counts", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, since);
  if (!_cohort_store_step_row (self, stmt, error))
    return (error != NULL && *error != NULL) ? -1 : 0;

  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return count;
}

gint64
cohort_store_ai_count_all_questions (CohortStore  *self,
                                     gint64        class_id,
                                     gint64        since,
                                     GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 count;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (class_id > 0)
    stmt = _cohort_store_prepare (self, "SELECT count(*) FROM ai_usage "
                                  "WHERE class_id = ? AND asked_at >= ?", error);
  else
    stmt = _cohort_store_prepare (self, "SELECT count(*) FROM ai_usage "
                                  "WHERE ?1 = 0 AND asked_at >= ?2", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, since);
  if (!_cohort_store_step_row (self, stmt, error))
    return (error != NULL && *error != NULL) ? -1 : 0;

  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return count;
}

gint64
cohort_store_ai_question_starts (CohortStore  *self,
                                 gint64        participant_id,
                                 const char   *request_id,
                                 GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 starts;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (!(stmt = _cohort_store_prepare (self, "SELECT starts FROM ai_usage "
                                      "WHERE participant_id = ? AND request_id = ?", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_TRANSIENT);
  if (!_cohort_store_step_row (self, stmt, &local_error))
    {
      if (local_error == NULL)
        return 0;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }

  starts = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return starts;
}

gboolean
cohort_store_ai_start_question (CohortStore  *self,
                                gint64        class_id,
                                gint64        participant_id,
                                const char   *request_id,
                                gint64        asked_at,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO ai_usage (participant_id, request_id, "
                                      "class_id, asked_at) VALUES (?, ?, ?, ?) "
                                      "ON CONFLICT (participant_id, request_id) "
                                      "DO UPDATE SET starts = starts + 1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, class_id);
  sqlite3_bind_int64 (stmt, 4, asked_at);

  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_ai_return_question (CohortStore  *self,
                                 gint64        participant_id,
                                 const char   *request_id,
                                 gboolean      whole,
                                 GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (whole)
    stmt = _cohort_store_prepare (self, "DELETE FROM ai_usage "
                                  "WHERE participant_id = ? AND request_id = ?", error);
  else
    stmt = _cohort_store_prepare (self, "UPDATE ai_usage SET student_counts = 0 "
                                  "WHERE participant_id = ? AND request_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_TRANSIENT);

  return _cohort_store_step_done (self, stmt, error);
}

static GPtrArray *
read_exchanges (CohortStore   *self,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(GPtrArray) all =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_ai_exchange_record_free);
  g_autoptr(GError) local_error = NULL;

  while (_cohort_store_step_row (self, stmt, &local_error))
    {
      CohortAiExchangeRecord *record = g_new0 (CohortAiExchangeRecord, 1);

      record->id = sqlite3_column_int64 (stmt, 0);
      record->question = _cohort_store_column_text (stmt, 1);
      record->answer = _cohort_store_column_text (stmt, 2);
      record->finish = _cohort_store_column_text (stmt, 3);
      record->asked_at = sqlite3_column_int64 (stmt, 4);
      record->answered_at = sqlite3_column_int64 (stmt, 5);
      record->conversation_id = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (all, record);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&all);
}

GPtrArray *
cohort_store_ai_list_exchanges (CohortStore  *self,
                                gint64        class_id,
                                gint64        participant_id,
                                gint64        before_id,
                                guint         limit,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT id, question, answer, finish, asked_at, "
                                      "answered_at, conversation_id FROM ai_exchanges "
                                      "WHERE participant_id = ? AND class_id = ? AND id < ? "
                                      "ORDER BY id DESC LIMIT ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, before_id > 0 ? before_id : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 4, limit);

  return read_exchanges (self, stmt, error);
}

GPtrArray *
cohort_store_ai_list_conversation_exchanges (CohortStore  *self,
                                             gint64        conversation_id,
                                             gint64        before_id,
                                             guint         limit,
                                             GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT id, question, answer, finish, asked_at, "
                                      "answered_at, conversation_id FROM ai_exchanges "
                                      "WHERE conversation_id = ? AND id < ? "
                                      "ORDER BY id DESC LIMIT ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  sqlite3_bind_int64 (stmt, 2, before_id > 0 ? before_id : G_MAXINT64);
  sqlite3_bind_int64 (stmt, 3, limit);

  return read_exchanges (self, stmt, error);
}

CohortAiExchangeRecord *
cohort_store_ai_get_exchange (CohortStore  *self,
                              gint64        exchange_id,
                              GError      **error)
{
  g_autoptr(GPtrArray) found = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT id, question, answer, finish, asked_at, "
                                      "answered_at, conversation_id FROM ai_exchanges "
                                      "WHERE id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, exchange_id);
  if (!(found = read_exchanges (self, stmt, error)) || found->len == 0)
    return NULL;

  return g_ptr_array_steal_index (found, 0);
}

gboolean
cohort_store_ai_delete_exchanges_from (CohortStore  *self,
                                       gint64        conversation_id,
                                       gint64        from_id,
                                       GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "DELETE FROM ai_exchanges "
                                      "WHERE conversation_id = ? AND id >= ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  sqlite3_bind_int64 (stmt, 2, from_id);

  return _cohort_store_step_done (self, stmt, error);
}

/* Conversations */

#define CONVERSATION_COLUMNS \
  "SELECT c.id, c.class_id, c.participant_id, c.title, c.created_at, c.updated_at, " \
  "(SELECT count(*) FROM ai_exchanges e WHERE e.conversation_id = c.id) FROM ai_conversations c "

static GPtrArray *
read_conversations (CohortStore   *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  g_autoptr(GPtrArray) all =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_ai_conversation_record_free);
  g_autoptr(GError) local_error = NULL;

  while (_cohort_store_step_row (self, stmt, &local_error))
    {
      CohortAiConversationRecord *record = g_new0 (CohortAiConversationRecord, 1);

      record->id = sqlite3_column_int64 (stmt, 0);
      record->class_id = sqlite3_column_int64 (stmt, 1);
      record->participant_id = sqlite3_column_int64 (stmt, 2);
      record->title = _cohort_store_column_text (stmt, 3);
      record->created_at = sqlite3_column_int64 (stmt, 4);
      record->updated_at = sqlite3_column_int64 (stmt, 5);
      record->n_exchanges = sqlite3_column_int64 (stmt, 6);
      g_ptr_array_add (all, record);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&all);
}

gint64
cohort_store_ai_create_conversation (CohortStore  *self,
                                     gint64        class_id,
                                     gint64        participant_id,
                                     const char   *title,
                                     gint64        ts,
                                     GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO ai_conversations (class_id, participant_id, "
                                      "title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                                      error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_text (stmt, 3, title != NULL ? title : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, ts);
  sqlite3_bind_int64 (stmt, 5, ts);

  if (!_cohort_store_step_done (self, stmt, error))
    return 0;

  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

CohortAiConversationRecord *
cohort_store_ai_get_conversation (CohortStore  *self,
                                  gint64        conversation_id,
                                  GError      **error)
{
  g_autoptr(GPtrArray) found = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, CONVERSATION_COLUMNS "WHERE c.id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, conversation_id);
  if (!(found = read_conversations (self, stmt, error)) || found->len == 0)
    return NULL;

  return g_ptr_array_steal_index (found, 0);
}

GPtrArray *
cohort_store_ai_list_conversations (CohortStore  *self,
                                    gint64        class_id,
                                    gint64        participant_id,
                                    guint         limit,
                                    GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, CONVERSATION_COLUMNS
                                      "WHERE c.participant_id = ? AND c.class_id = ? "
                                      "ORDER BY c.updated_at DESC, c.id DESC LIMIT ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, limit);

  return read_conversations (self, stmt, error);
}

gboolean
cohort_store_ai_touch_conversation (CohortStore  *self,
                                    gint64        conversation_id,
                                    gint64        ts,
                                    GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE ai_conversations SET updated_at = ? "
                                      "WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ts);
  sqlite3_bind_int64 (stmt, 2, conversation_id);

  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_ai_delete_conversation (CohortStore  *self,
                                     gint64        conversation_id,
                                     GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!cohort_store_ai_delete_exchanges_from (self, conversation_id, 0, error))
    return FALSE;

  {
    sqlite3_stmt *stmt;

    if (!(stmt = _cohort_store_prepare (self, "DELETE FROM ai_conversations WHERE id = ?", error)))
      return FALSE;
    sqlite3_bind_int64 (stmt, 1, conversation_id);
    return _cohort_store_step_done (self, stmt, error);
  }
}

gboolean
cohort_store_ai_add_topic_words (CohortStore         *self,
                                 gint64               class_id,
                                 const char * const  *words,
                                 gint64               ts,
                                 GError             **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    {
      sqlite3_stmt *stmt;

      if (!(stmt = _cohort_store_prepare (self, "INSERT INTO ai_topics (class_id, word, count, last_at) "
                                          "VALUES (?, ?, 1, ?) ON CONFLICT (class_id, word) "
                                          "DO UPDATE SET count = count + 1, last_at = excluded.last_at",
                                          error)))
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, class_id);
      sqlite3_bind_text (stmt, 2, words[i], -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, ts);
      if (!_cohort_store_step_done (self, stmt, error))
        return FALSE;
    }

  return TRUE;
}

GPtrArray *
cohort_store_ai_list_topics (CohortStore  *self,
                             gint64        class_id,
                             guint         limit,
                             GError      **error)
{
  g_autoptr(GPtrArray) all =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_ai_topic_record_free);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT word, count FROM ai_topics WHERE class_id = ? "
                                      "ORDER BY count DESC, last_at DESC, word LIMIT ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, limit);

  while (_cohort_store_step_row (self, stmt, &local_error))
    {
      CohortAiTopicRecord *record = g_new0 (CohortAiTopicRecord, 1);

      record->word = _cohort_store_column_text (stmt, 0);
      record->count = sqlite3_column_int64 (stmt, 1);
      g_ptr_array_add (all, record);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return g_steal_pointer (&all);
}

/* Nudges */

gboolean
cohort_store_ai_get_nudge_prefs (CohortStore  *self,
                                 gint64        participant_id,
                                 gboolean     *out_enabled,
                                 char        **out_tz,
                                 GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  *out_enabled = FALSE;
  *out_tz = NULL;
  if (!(stmt = _cohort_store_prepare (self, "SELECT enabled, tz FROM ai_nudge_prefs "
                                      "WHERE participant_id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  if (!_cohort_store_step_row (self, stmt, &local_error))
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out_enabled = sqlite3_column_int (stmt, 0) != 0;
  *out_tz = _cohort_store_column_text (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
cohort_store_ai_set_nudge_prefs (CohortStore  *self,
                                 gint64        class_id,
                                 gint64        participant_id,
                                 gboolean      enabled,
                                 const char   *tz,
                                 GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO ai_nudge_prefs (participant_id, class_id, "
                                      "enabled, tz) VALUES (?, ?, ?, ?) ON CONFLICT (participant_id) "
                                      "DO UPDATE SET enabled = excluded.enabled, "
                                      "tz = CASE WHEN excluded.tz = '' THEN tz ELSE excluded.tz END",
                                      error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int (stmt, 3, enabled ? 1 : 0);
  sqlite3_bind_text (stmt, 4, tz != NULL ? tz : "", -1, SQLITE_TRANSIENT);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_ai_nudge_state (CohortStore  *self,
                             gint64        participant_id,
                             gint64       *out_last_sent,
                             guint        *out_unopened_in_row,
                             GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  /* The newest sent, and how many were sent after the newest opened. */
  if (!(stmt = _cohort_store_prepare (self, "SELECT coalesce (max (sent_at), 0), "
                                      "count (*) FILTER (WHERE id > coalesce ((SELECT max (id) "
                                      "FROM ai_nudges WHERE participant_id = ?1 AND opened_at > 0), 0)) "
                                      "FROM ai_nudges WHERE participant_id = ?1", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  if (!_cohort_store_step_row (self, stmt, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      *out_last_sent = 0;
      *out_unopened_in_row = 0;
      return TRUE;
    }
  *out_last_sent = sqlite3_column_int64 (stmt, 0);
  *out_unopened_in_row = (guint) sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

gint64
cohort_store_ai_add_nudge (CohortStore  *self,
                           gint64        class_id,
                           gint64        participant_id,
                           const char   *kind,
                           const char   *text,
                           gint64        sent_at,
                           GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO ai_nudges (class_id, participant_id, kind, "
                                      "text, sent_at) VALUES (?, ?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_text (stmt, 3, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, sent_at);
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

gint64
cohort_store_ai_open_nudge (CohortStore  *self,
                            gint64        participant_id,
                            gint64        nudge_id,
                            gint64        ts,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE ai_nudges SET opened_at = ? WHERE id = ? "
                                      "AND participant_id = ? AND opened_at = 0", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, ts);
  sqlite3_bind_int64 (stmt, 2, nudge_id);
  sqlite3_bind_int64 (stmt, 3, participant_id);
  if (!_cohort_store_step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (_cohort_store_get_db (self));
}

gboolean
cohort_store_ai_count_nudges (CohortStore  *self,
                              gint64        class_id,
                              gint64        since,
                              gint64       *out_sent,
                              gint64       *out_opened,
                              gint64       *out_came_back,
                              GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "SELECT count (*), count (*) FILTER (WHERE opened_at > 0), "
                                      "count (*) FILTER (WHERE returned_at > 0) "
                                      "FROM ai_nudges WHERE class_id = ? AND sent_at >= ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, since);
  *out_sent = *out_opened = *out_came_back = 0;
  if (!_cohort_store_step_row (self, stmt, &local_error))
    {
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out_sent = sqlite3_column_int64 (stmt, 0);
  *out_opened = sqlite3_column_int64 (stmt, 1);
  *out_came_back = sqlite3_column_int64 (stmt, 2);
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
cohort_store_ai_nudges_came_back (CohortStore  *self,
                                  gint64        class_id,
                                  gint64        participant_id,
                                  gint64        ts,
                                  gint64        within_ms,
                                  GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE ai_nudges SET returned_at = ?1 "
                                      "WHERE participant_id = ?2 AND class_id = ?3 AND returned_at = 0 "
                                      "AND sent_at < ?1 AND sent_at >= ?1 - ?4", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ts);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_int64 (stmt, 3, class_id);
  sqlite3_bind_int64 (stmt, 4, within_ms);
  return _cohort_store_step_done (self, stmt, error);
}

void
cohort_ai_nudge_record_free (CohortAiNudgeRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->kind);
  g_free (record->text);
  g_free (record);
}

CohortAiNudgeRecord *
cohort_store_ai_latest_nudge (CohortStore  *self,
                              gint64        class_id,
                              gint64        participant_id,
                              gint64        since,
                              GError      **error)
{
  CohortAiNudgeRecord *record;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT id, kind, text, sent_at, opened_at FROM ai_nudges "
                                      "WHERE participant_id = ? AND class_id = ? AND sent_at >= ? "
                                      "ORDER BY id DESC LIMIT 1", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, since);
  if (!_cohort_store_step_row (self, stmt, error))
    return NULL;

  record = g_new0 (CohortAiNudgeRecord, 1);
  record->id = sqlite3_column_int64 (stmt, 0);
  record->kind = _cohort_store_column_text (stmt, 1);
  record->text = _cohort_store_column_text (stmt, 2);
  record->sent_at = sqlite3_column_int64 (stmt, 3);
  record->opened_at = sqlite3_column_int64 (stmt, 4);
  sqlite3_reset (stmt);
  return record;
}

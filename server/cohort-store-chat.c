/* cohort-store-chat.c: the chat part of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include <string.h>

#include "cohort-store-private.h"

/* Numbered migrations of the chat module: append only. */
static const char * const migrations[] = {
  /* 1: messages, who may read the non-class ones, votes, settings, mutes,
   * pace signals */
  "CREATE TABLE chat_messages ("
  "  id         INTEGER PRIMARY KEY,"
  "  class_id   INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  author_id  INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,"
  "  channel    TEXT    NOT NULL CHECK (channel IN ('class', 'private', 'group')),"
  "  to_id      INTEGER,"
  "  group_id   INTEGER,"
  "  text       TEXT    NOT NULL,"
  "  ts         INTEGER NOT NULL,"
  "  client_id  TEXT,"
  "  reply_to   INTEGER,"
  "  question   TEXT    NOT NULL DEFAULT 'none',"
  "  votes      INTEGER NOT NULL DEFAULT 0,"
  "  danmaku    INTEGER NOT NULL DEFAULT 0,"
  "  edited_at  INTEGER,"
  "  deleted    INTEGER NOT NULL DEFAULT 0,"
  "  deleted_by INTEGER"
  ");"
  "CREATE INDEX chat_messages_class ON chat_messages (class_id, id);"
  "CREATE TABLE chat_audience ("
  "  participant_id INTEGER NOT NULL,"
  "  message_id     INTEGER NOT NULL REFERENCES chat_messages (id) ON DELETE CASCADE,"
  "  PRIMARY KEY (participant_id, message_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX chat_audience_message ON chat_audience (message_id);"
  "CREATE TABLE chat_votes ("
  "  message_id     INTEGER NOT NULL REFERENCES chat_messages (id) ON DELETE CASCADE,"
  "  participant_id INTEGER NOT NULL,"
  "  PRIMARY KEY (message_id, participant_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE chat_settings ("
  "  class_id        INTEGER PRIMARY KEY REFERENCES classes (id) ON DELETE CASCADE,"
  "  private_enabled INTEGER NOT NULL,"
  "  muted           INTEGER NOT NULL,"
  "  danmaku_enabled INTEGER NOT NULL"
  ");"
  "CREATE TABLE chat_mutes ("
  "  class_id       INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  participant_id INTEGER NOT NULL,"
  "  PRIMARY KEY (class_id, participant_id)"
  ") WITHOUT ROWID;"
  "CREATE TABLE chat_pace ("
  "  class_id       INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  participant_id INTEGER NOT NULL,"
  "  pace           TEXT    NOT NULL,"
  "  at             INTEGER NOT NULL,"
  "  PRIMARY KEY (class_id, participant_id)"
  ") WITHOUT ROWID;",
  /* 2: answers the teacher marked helpful (once each) */
  "CREATE TABLE chat_helpful ("
  "  message_id INTEGER PRIMARY KEY REFERENCES chat_messages (id) ON DELETE CASCADE,"
  "  by         INTEGER NOT NULL,"
  "  at         INTEGER NOT NULL"
  ");",
  NULL,
};

gboolean
_cohort_store_chat_migrate (CohortStore  *self,
                            GError      **error)
{
  return _cohort_store_migrate_module (self, "chat", migrations,
                                       G_N_ELEMENTS (migrations) - 1, error);
}

void
cohort_chat_message_record_free (CohortChatMessageRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->author_name);
  g_free (record->channel);
  g_free (record->text);
  g_free (record->client_id);
  g_free (record->question);
  g_free (record);
}

void
cohort_chat_pace_record_free (CohortChatPaceRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->pace);
  g_free (record);
}

/* The columns every message read selects, in this order; ?1 is the viewer. */
#define MESSAGE_COLUMNS \
  "m.id, m.class_id, m.author_id, p.name, m.channel, m.to_id, m.group_id, m.text, m.ts," \
  " m.client_id, m.reply_to, m.question, m.votes, m.danmaku, m.edited_at, m.deleted," \
  " EXISTS (SELECT 1 FROM chat_votes v WHERE v.message_id = m.id AND v.participant_id = ?1)," \
  " EXISTS (SELECT 1 FROM chat_helpful h WHERE h.message_id = m.id)"

/* A viewer (?1, 0 for anyone) reads class messages and those whose
 * audience lists them. */
#define VISIBLE_TO_VIEWER \
  "(?1 = 0 OR m.channel = 'class' OR EXISTS (SELECT 1 FROM chat_audience a" \
  " WHERE a.participant_id = ?1 AND a.message_id = m.id))"

static CohortChatMessageRecord *
message_from_row (sqlite3_stmt *stmt)
{
  CohortChatMessageRecord *r = g_new0 (CohortChatMessageRecord, 1);

  r->id = sqlite3_column_int64 (stmt, 0);
  r->class_id = sqlite3_column_int64 (stmt, 1);
  r->author_id = sqlite3_column_int64 (stmt, 2);
  r->author_name = _cohort_store_column_text (stmt, 3);
  r->channel = _cohort_store_column_text (stmt, 4);
  r->to_id = sqlite3_column_int64 (stmt, 5);
  r->group_id = sqlite3_column_int64 (stmt, 6);
  r->text = _cohort_store_column_text (stmt, 7);
  r->ts = sqlite3_column_int64 (stmt, 8);
  r->client_id = _cohort_store_column_text (stmt, 9);
  r->reply_to = sqlite3_column_int64 (stmt, 10);
  r->question = _cohort_store_column_text (stmt, 11);
  r->votes = sqlite3_column_int64 (stmt, 12);
  r->danmaku = sqlite3_column_int (stmt, 13) != 0;
  r->edited_at = sqlite3_column_int64 (stmt, 14);
  r->deleted = sqlite3_column_int (stmt, 15) != 0;
  r->voted = sqlite3_column_int (stmt, 16) != 0;
  r->helpful = sqlite3_column_int (stmt, 17) != 0;
  if (r->author_name == NULL)
    r->author_name = g_strdup ("?");
  if (r->text == NULL)
    r->text = g_strdup ("");
  return r;
}

static void
bind_optional_id (sqlite3_stmt *stmt,
                  int           index,
                  gint64        value)
{
  if (value > 0)
    sqlite3_bind_int64 (stmt, index, value);
  else
    sqlite3_bind_null (stmt, index);
}

gint64
cohort_store_chat_add_message (CohortStore              *self,
                               CohortChatMessageRecord  *record,
                               const gint64             *audience,
                               guint                     n_audience,
                               GError                  **error)
{
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  stmt = _cohort_store_prepare (self,
    "INSERT INTO chat_messages (class_id, author_id, channel, to_id, group_id, text, ts,"
    " client_id, reply_to, question, votes, danmaku, deleted)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0)", error);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_int64 (stmt, 1, record->class_id);
  sqlite3_bind_int64 (stmt, 2, record->author_id);
  sqlite3_bind_text (stmt, 3, record->channel, -1, SQLITE_TRANSIENT);
  bind_optional_id (stmt, 4, record->to_id);
  bind_optional_id (stmt, 5, record->group_id);
  sqlite3_bind_text (stmt, 6, record->text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 7, record->ts);
  if (record->client_id != NULL)
    sqlite3_bind_text (stmt, 8, record->client_id, -1, SQLITE_TRANSIENT);
  bind_optional_id (stmt, 9, record->reply_to);
  sqlite3_bind_text (stmt, 10, record->question ? record->question : "none", -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 11, record->danmaku ? 1 : 0);

  if (!_cohort_store_step_done (self, stmt, error))
    return 0;

  id = sqlite3_last_insert_rowid (_cohort_store_get_db (self));

  for (guint i = 0; audience != NULL && i < n_audience; i++)
    {
      stmt = _cohort_store_prepare (self,
        "INSERT OR IGNORE INTO chat_audience (participant_id, message_id) VALUES (?, ?)", error);
      if (stmt == NULL)
        return 0;
      sqlite3_bind_int64 (stmt, 1, audience[i]);
      sqlite3_bind_int64 (stmt, 2, id);
      if (!_cohort_store_step_done (self, stmt, error))
        return 0;
    }

  record->id = id;
  return id;
}

CohortChatMessageRecord *
cohort_store_chat_get_message (CohortStore  *self,
                               gint64        class_id,
                               gint64        message_id,
                               gint64        viewer_id,
                               GError      **error)
{
  CohortChatMessageRecord *record;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  stmt = _cohort_store_prepare (self,
    "SELECT " MESSAGE_COLUMNS " FROM chat_messages m"
    " LEFT JOIN participants p ON p.id = m.author_id"
    " WHERE m.id = ?2 AND m.class_id = ?3 AND " VISIBLE_TO_VIEWER, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, viewer_id);
  sqlite3_bind_int64 (stmt, 2, message_id);
  sqlite3_bind_int64 (stmt, 3, class_id);

  if (!_cohort_store_step_row (self, stmt, error))
    return NULL;

  record = message_from_row (stmt);
  sqlite3_reset (stmt);
  return record;
}

GPtrArray *
cohort_store_chat_list_messages (CohortStore  *self,
                                 gint64        class_id,
                                 gint64        viewer_id,
                                 gint64        before_id,
                                 guint         limit,
                                 gsize         max_bytes,
                                 gboolean     *out_has_more,
                                 GError      **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gboolean has_more = FALSE;
  gsize bytes = 0;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  stmt = _cohort_store_prepare (self,
    "SELECT " MESSAGE_COLUMNS " FROM chat_messages m"
    " LEFT JOIN participants p ON p.id = m.author_id"
    " WHERE m.class_id = ?2 AND m.id < ?3 AND " VISIBLE_TO_VIEWER
    " ORDER BY m.id DESC LIMIT ?4", error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_int64 (stmt, 1, viewer_id);
  sqlite3_bind_int64 (stmt, 2, class_id);
  sqlite3_bind_int64 (stmt, 3, before_id > 0 ? before_id : G_MAXINT64);
  /* One more than asked, to know whether older ones exist. */
  sqlite3_bind_int64 (stmt, 4, (gint64) limit + 1);

  records = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_chat_message_record_free);
  while (_cohort_store_step_row (self, stmt, &local_error))
    {
      CohortChatMessageRecord *r;

      if (records->len >= limit)
        {
          has_more = TRUE;
          break;
        }
      r = message_from_row (stmt);
      bytes += strlen (r->text) + 256;
      if (records->len > 0 && bytes > max_bytes)
        {
          cohort_chat_message_record_free (r);
          has_more = TRUE;
          break;
        }
      g_ptr_array_add (records, r);
    }
  sqlite3_reset (stmt);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* Oldest first. */
  for (guint i = 0; i < records->len / 2; i++)
    {
      gpointer tmp = records->pdata[i];

      records->pdata[i] = records->pdata[records->len - 1 - i];
      records->pdata[records->len - 1 - i] = tmp;
    }

  if (out_has_more != NULL)
    *out_has_more = has_more;
  return g_steal_pointer (&records);
}

GArray *
cohort_store_chat_get_audience (CohortStore  *self,
                                gint64        message_id,
                                GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gboolean is_class = FALSE;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  stmt = _cohort_store_prepare (self,
    "SELECT channel = 'class' FROM chat_messages WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, message_id);
  if (_cohort_store_step_row (self, stmt, &local_error))
    {
      is_class = sqlite3_column_int (stmt, 0) != 0;
      sqlite3_reset (stmt);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (is_class)
    return NULL;

  stmt = _cohort_store_prepare (self,
    "SELECT participant_id FROM chat_audience WHERE message_id = ? ORDER BY participant_id",
    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, message_id);
  return _cohort_store_read_ids (self, stmt, error);
}

gboolean
cohort_store_chat_edit_message (CohortStore  *self,
                                gint64        message_id,
                                const char   *text,
                                gint64        edited_at,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  stmt = _cohort_store_prepare (self,
    "UPDATE chat_messages SET text = ?, edited_at = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, edited_at);
  sqlite3_bind_int64 (stmt, 3, message_id);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_chat_delete_message (CohortStore  *self,
                                  gint64        message_id,
                                  gint64        by,
                                  GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  /* The text is gone for good; the row stays so that ids, threads and
   * history keep their shape. */
  stmt = _cohort_store_prepare (self,
    "UPDATE chat_messages SET text = '', deleted = 1, deleted_by = ?, danmaku = 0"
    " WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, by);
  sqlite3_bind_int64 (stmt, 2, message_id);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_chat_set_question (CohortStore  *self,
                                gint64        message_id,
                                const char   *state,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  stmt = _cohort_store_prepare (self,
    "UPDATE chat_messages SET question = ? WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, message_id);
  return _cohort_store_step_done (self, stmt, error);
}

gint64
cohort_store_chat_set_vote (CohortStore  *self,
                            gint64        message_id,
                            gint64        participant_id,
                            gboolean      vote,
                            GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 votes = -1;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (vote)
    stmt = _cohort_store_prepare (self,
      "INSERT OR IGNORE INTO chat_votes (message_id, participant_id) VALUES (?, ?)", error);
  else
    stmt = _cohort_store_prepare (self,
      "DELETE FROM chat_votes WHERE message_id = ? AND participant_id = ?", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, message_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  if (!_cohort_store_step_done (self, stmt, error))
    return -1;

  stmt = _cohort_store_prepare (self,
    "UPDATE chat_messages SET votes = (SELECT COUNT(*) FROM chat_votes WHERE message_id = ?1)"
    " WHERE id = ?1 RETURNING votes", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, message_id);
  if (_cohort_store_step_row (self, stmt, &local_error))
    {
      votes = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  else if (local_error == NULL)
    g_set_error (&local_error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                 "Message %" G_GINT64_FORMAT " does not exist", message_id);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  return votes;
}

gboolean
cohort_store_chat_get_settings (CohortStore               *self,
                                gint64                     class_id,
                                CohortChatSettingsRecord  *out_settings,
                                GError                   **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  /* A class without a row has the defaults. */
  out_settings->private_enabled = TRUE;
  out_settings->muted = FALSE;
  out_settings->danmaku_enabled = TRUE;

  stmt = _cohort_store_prepare (self,
    "SELECT private_enabled, muted, danmaku_enabled FROM chat_settings WHERE class_id = ?",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (_cohort_store_step_row (self, stmt, &local_error))
    {
      out_settings->private_enabled = sqlite3_column_int (stmt, 0) != 0;
      out_settings->muted = sqlite3_column_int (stmt, 1) != 0;
      out_settings->danmaku_enabled = sqlite3_column_int (stmt, 2) != 0;
      sqlite3_reset (stmt);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

gboolean
cohort_store_chat_set_settings (CohortStore                     *self,
                                gint64                           class_id,
                                const CohortChatSettingsRecord  *settings,
                                GError                         **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  stmt = _cohort_store_prepare (self,
    "INSERT INTO chat_settings (class_id, private_enabled, muted, danmaku_enabled)"
    " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (class_id) DO UPDATE SET"
    " private_enabled = ?2, muted = ?3, danmaku_enabled = ?4", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int (stmt, 2, settings->private_enabled ? 1 : 0);
  sqlite3_bind_int (stmt, 3, settings->muted ? 1 : 0);
  sqlite3_bind_int (stmt, 4, settings->danmaku_enabled ? 1 : 0);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_chat_set_muted (CohortStore  *self,
                             gint64        class_id,
                             gint64        participant_id,
                             gboolean      muted,
                             GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (muted)
    stmt = _cohort_store_prepare (self,
      "INSERT OR IGNORE INTO chat_mutes (class_id, participant_id) VALUES (?, ?)", error);
  else
    stmt = _cohort_store_prepare (self,
      "DELETE FROM chat_mutes WHERE class_id = ? AND participant_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  return _cohort_store_step_done (self, stmt, error);
}

GArray *
cohort_store_chat_list_muted (CohortStore  *self,
                              gint64        class_id,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  stmt = _cohort_store_prepare (self,
    "SELECT participant_id FROM chat_mutes WHERE class_id = ? ORDER BY participant_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return _cohort_store_read_ids (self, stmt, error);
}

gboolean
cohort_store_chat_set_pace (CohortStore  *self,
                            gint64        class_id,
                            gint64        participant_id,
                            const char   *pace,
                            gint64        at,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  stmt = _cohort_store_prepare (self,
    "INSERT INTO chat_pace (class_id, participant_id, pace, at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (class_id, participant_id) DO UPDATE SET pace = ?3, at = ?4", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_text (stmt, 3, pace, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, at);
  return _cohort_store_step_done (self, stmt, error);
}

static gpointer
pace_from_row (sqlite3_stmt *stmt)
{
  CohortChatPaceRecord *r = g_new0 (CohortChatPaceRecord, 1);

  r->participant_id = sqlite3_column_int64 (stmt, 0);
  r->pace = _cohort_store_column_text (stmt, 1);
  r->at = sqlite3_column_int64 (stmt, 2);
  return r;
}

GPtrArray *
cohort_store_chat_list_pace (CohortStore  *self,
                             gint64        class_id,
                             gint64        since,
                             GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  stmt = _cohort_store_prepare (self,
    "SELECT participant_id, pace, at FROM chat_pace WHERE class_id = ? AND at >= ?"
    " ORDER BY participant_id", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, since);
  return _cohort_store_read_rows (self, stmt, pace_from_row,
                                  (GDestroyNotify) cohort_chat_pace_record_free, error);
}

int
cohort_store_chat_mark_helpful (CohortStore  *self,
                                gint64        message_id,
                                gint64        by,
                                gint64        ts,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  stmt = _cohort_store_prepare (self,
    "INSERT OR IGNORE INTO chat_helpful (message_id, by, at) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, message_id);
  sqlite3_bind_int64 (stmt, 2, by);
  sqlite3_bind_int64 (stmt, 3, ts);
  if (!_cohort_store_step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (_cohort_store_get_db (self)) > 0 ? 1 : 0;
}

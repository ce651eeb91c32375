/* cohort-store-class.c: classes, participants, tokens, events and replies
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-store-private.h"

/* The tables are the core schema: their migrations are in cohort-store.c. */

void
cohort_class_record_free (CohortClassRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->code);
  g_free (record->title);
  g_free (record->teacher_key_hash);
  g_free (record);
}

void
cohort_participant_record_free (CohortParticipantRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_free (record->role);
  g_free (record);
}

void
cohort_event_record_free (CohortEventRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_free (record->body);
  g_free (record->audience);
  g_free (record);
}

gint64
cohort_store_create_class (CohortStore  *self,
                           const char   *code,
                           const char   *title,
                           const char   *teacher_key_hash,
                           gint64        created_at,
                           GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self,
                                      "INSERT INTO classes (code, title, teacher_key_hash, created_at) "
                                      "VALUES (?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, teacher_key_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, created_at);
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

#define CLASS_COLUMNS "id, code, title, teacher_key_hash, created_at"

static CohortClassRecord *
read_class (CohortStore   *self,
            sqlite3_stmt  *stmt,
            GError       **error)
{
  CohortClassRecord *record;

  if (!_cohort_store_step_row (self, stmt, error))
    return NULL;

  record = g_new0 (CohortClassRecord, 1);
  record->id = sqlite3_column_int64 (stmt, 0);
  record->code = _cohort_store_column_text (stmt, 1);
  record->title = _cohort_store_column_text (stmt, 2);
  record->teacher_key_hash = _cohort_store_column_text (stmt, 3);
  record->created_at = sqlite3_column_int64 (stmt, 4);
  sqlite3_reset (stmt);
  return record;
}

CohortClassRecord *
cohort_store_find_class_by_code (CohortStore  *self,
                                 const char   *code,
                                 GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " CLASS_COLUMNS " FROM classes WHERE code = ?", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  return read_class (self, stmt, error);
}

CohortClassRecord *
cohort_store_get_class (CohortStore  *self,
                        gint64        class_id,
                        GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " CLASS_COLUMNS " FROM classes WHERE id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return read_class (self, stmt, error);
}

gint64
cohort_store_add_participant (CohortStore  *self,
                              gint64        class_id,
                              const char   *name,
                              const char   *role,
                              gboolean      online,
                              gint64        created_at,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self,
                                      "INSERT INTO participants (class_id, name, role, online, created_at) "
                                      "VALUES (?, ?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, online ? 1 : 0);
  sqlite3_bind_int64 (stmt, 5, created_at);
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

#define PARTICIPANT_COLUMNS "p.id, p.class_id, p.name, p.role, p.online, p.hand_raised_at"

static gpointer
participant_from_row (sqlite3_stmt *stmt)
{
  CohortParticipantRecord *record = g_new0 (CohortParticipantRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->class_id = sqlite3_column_int64 (stmt, 1);
  record->name = _cohort_store_column_text (stmt, 2);
  record->role = _cohort_store_column_text (stmt, 3);
  record->online = sqlite3_column_int (stmt, 4) != 0;
  record->hand_raised_at = sqlite3_column_int64 (stmt, 5);
  return record;
}

CohortParticipantRecord *
cohort_store_get_participant (CohortStore  *self,
                              gint64        participant_id,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants p "
                                      "WHERE p.id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  return _cohort_store_read_row (self, stmt, participant_from_row, error);
}

CohortParticipantRecord *
cohort_store_find_teacher (CohortStore  *self,
                           gint64        class_id,
                           GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants p "
                                      "WHERE p.class_id = ? AND p.role = 'teacher' ORDER BY p.id LIMIT 1",
                                      error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return _cohort_store_read_row (self, stmt, participant_from_row, error);
}

GPtrArray *
cohort_store_list_participants (CohortStore  *self,
                                gint64        class_id,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants p "
                                      "WHERE p.class_id = ? ORDER BY p.id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return _cohort_store_read_rows (self, stmt, participant_from_row,
                                  (GDestroyNotify) cohort_participant_record_free, error);
}

GPtrArray *
cohort_store_list_online (CohortStore  *self,
                          GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants p "
                                      "WHERE p.online = 1 ORDER BY p.class_id, p.id", error)))
    return NULL;
  return _cohort_store_read_rows (self, stmt, participant_from_row,
                                  (GDestroyNotify) cohort_participant_record_free, error);
}

gboolean
cohort_store_set_online (CohortStore  *self,
                         gint64        participant_id,
                         gboolean      online,
                         GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE participants SET online = ? WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int (stmt, 1, online ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_set_hand (CohortStore  *self,
                       gint64        participant_id,
                       gint64        raised_at,
                       GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE participants SET hand_raised_at = ? WHERE id = ?", error)))
    return FALSE;
  if (raised_at > 0)
    sqlite3_bind_int64 (stmt, 1, raised_at);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_add_token (CohortStore  *self,
                        gint64        participant_id,
                        const char   *token_hash,
                        gint64        created_at,
                        GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO tokens (hash, participant_id, created_at) "
                                      "VALUES (?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_int64 (stmt, 3, created_at);
  return _cohort_store_step_done (self, stmt, error);
}

CohortParticipantRecord *
cohort_store_find_participant_by_token (CohortStore  *self,
                                        const char   *token_hash,
                                        GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants p "
                                      "JOIN tokens t ON t.participant_id = p.id WHERE t.hash = ?", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  return _cohort_store_read_row (self, stmt, participant_from_row, error);
}

gint64
cohort_store_append_event (CohortStore  *self,
                           gint64        class_id,
                           gint64        ts,
                           const char   *name,
                           const char   *body,
                           const char   *audience,
                           GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 seq;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE classes SET last_seq = last_seq + 1 WHERE id = ? "
                                      "RETURNING last_seq", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (!_cohort_store_step_row (self, stmt, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                     "No class with id %" G_GINT64_FORMAT, class_id);
      return 0;
    }
  seq = sqlite3_column_int64 (stmt, 0);
  /* RETURNING applies the update only once the statement runs to the end. */
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO events (class_id, seq, ts, name, body, audience) "
                                      "VALUES (?, ?, ?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_int64 (stmt, 3, ts);
  sqlite3_bind_text (stmt, 4, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, body, -1, SQLITE_TRANSIENT);
  if (audience != NULL)
    sqlite3_bind_text (stmt, 6, audience, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, 6);
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;

  return seq;
}

gint64
cohort_store_get_last_seq (CohortStore  *self,
                           gint64        class_id,
                           GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 seq;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (!(stmt = _cohort_store_prepare (self, "SELECT last_seq FROM classes WHERE id = ?", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (!_cohort_store_step_row (self, stmt, &local_error))
    {
      if (local_error == NULL)
        g_set_error (&local_error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                     "No class with id %" G_GINT64_FORMAT, class_id);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return seq;
}

static gpointer
event_from_row (sqlite3_stmt *stmt)
{
  CohortEventRecord *record = g_new0 (CohortEventRecord, 1);

  record->class_id = sqlite3_column_int64 (stmt, 0);
  record->seq = sqlite3_column_int64 (stmt, 1);
  record->ts = sqlite3_column_int64 (stmt, 2);
  record->name = _cohort_store_column_text (stmt, 3);
  record->body = _cohort_store_column_text (stmt, 4);
  record->audience = _cohort_store_column_text (stmt, 5);
  return record;
}

GPtrArray *
cohort_store_list_events_after (CohortStore  *self,
                                gint64        class_id,
                                gint64        after_seq,
                                guint         limit,
                                GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT class_id, seq, ts, name, body, audience FROM events "
                                      "WHERE class_id = ? AND seq > ? ORDER BY seq LIMIT ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, after_seq);
  sqlite3_bind_int64 (stmt, 3, limit);
  return _cohort_store_read_rows (self, stmt, event_from_row,
                                  (GDestroyNotify) cohort_event_record_free, error);
}

char *
cohort_store_lookup_reply (CohortStore  *self,
                           gint64        participant_id,
                           const char   *request_id,
                           GError      **error)
{
  sqlite3_stmt *stmt;
  char *reply;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT reply FROM requests "
                                      "WHERE participant_id = ? AND request_id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_TRANSIENT);
  if (!_cohort_store_step_row (self, stmt, error))
    return NULL;
  reply = _cohort_store_column_text (stmt, 0);
  sqlite3_reset (stmt);
  return reply;
}

gboolean
cohort_store_save_reply (CohortStore  *self,
                         gint64        participant_id,
                         const char   *request_id,
                         const char   *reply,
                         gint64        created_at,
                         GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO requests (participant_id, request_id, reply, "
                                      "created_at) VALUES (?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, reply, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, created_at);
  return _cohort_store_step_done (self, stmt, error);
}

gboolean
cohort_store_prune_replies (CohortStore  *self,
                            gint64        before,
                            guint        *out_removed,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "DELETE FROM requests WHERE created_at < ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before);
  if (!_cohort_store_step_done (self, stmt, error))
    return FALSE;
  if (out_removed != NULL)
    *out_removed = sqlite3_changes (_cohort_store_get_db (self));
  return TRUE;
}

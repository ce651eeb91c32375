/* cohort-store-identity.c: the identity part of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-store-private.h"

/* Numbered migrations of the identity module: append only.
 *
 * Secrets (staff credentials, personal codes) are kept only as SHA-256
 * hashes. class_access and members have a row only for classes and
 * participants made since this module exists: a class without one has no
 * staff owner and is open, a participant without one is admitted. */
static const char * const migrations[] = {
  "CREATE TABLE staff ("
  "  id              INTEGER PRIMARY KEY,"
  "  name            TEXT    NOT NULL,"
  "  credential_hash TEXT    NOT NULL UNIQUE,"
  "  created_at      INTEGER NOT NULL,"
  "  revoked_at      INTEGER"
  ");"
  "CREATE TABLE class_access ("
  "  class_id       INTEGER PRIMARY KEY REFERENCES classes (id) ON DELETE CASCADE,"
  "  staff_id       INTEGER,"
  "  archived       INTEGER NOT NULL DEFAULT 0,"
  "  waiting_room   INTEGER NOT NULL DEFAULT 1,"
  "  locked         INTEGER NOT NULL DEFAULT 0,"
  "  anonymous_join INTEGER NOT NULL DEFAULT 1"
  ");"
  "CREATE INDEX class_access_staff ON class_access (staff_id);"
  "CREATE TABLE lessons ("
  "  class_id   INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  number     INTEGER NOT NULL,"
  "  started_at INTEGER NOT NULL,"
  "  PRIMARY KEY (class_id, number)"
  ") WITHOUT ROWID;"
  "CREATE TABLE members ("
  "  participant_id INTEGER PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,"
  "  class_id       INTEGER NOT NULL,"
  "  admitted       INTEGER NOT NULL,"
  "  removed        INTEGER NOT NULL DEFAULT 0,"
  "  known          INTEGER NOT NULL DEFAULT 0,"
  "  number         TEXT,"
  "  address        TEXT,"
  "  code_hash      TEXT UNIQUE"
  ");"
  "CREATE INDEX members_class ON members (class_id);"
  "CREATE TABLE class_blocks ("
  "  class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  kind     TEXT    NOT NULL,"
  "  value    TEXT    NOT NULL,"
  "  PRIMARY KEY (class_id, kind, value)"
  ") WITHOUT ROWID;",
  NULL,
};

gboolean
_cohort_store_identity_migrate (CohortStore  *self,
                                GError      **error)
{
  return _cohort_store_migrate_module (self, "identity", migrations,
                                       G_N_ELEMENTS (migrations) - 1, error);
}

void
cohort_staff_record_free (CohortStaffRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_free (record);
}

void
cohort_class_access_record_free (CohortClassAccessRecord *record)
{
  g_free (record);
}

void
cohort_staff_class_record_free (CohortStaffClassRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->code);
  g_free (record->title);
  g_free (record);
}

void
cohort_member_record_free (CohortMemberRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->number);
  g_free (record->address);
  g_free (record);
}

gint64
cohort_store_staff_add (CohortStore  *self,
                        const char   *name,
                        const char   *credential_hash,
                        gint64        now,
                        GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO staff (name, credential_hash, created_at) "
                                      "VALUES (?, ?, ?)", error)))
    return 0;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, credential_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!_cohort_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (_cohort_store_get_db (self));
}

gint64
cohort_store_staff_revoke (CohortStore  *self,
                           const char   *name_or_id,
                           gint64        now,
                           GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE staff SET revoked_at = ? "
                                      "WHERE revoked_at IS NULL "
                                      "AND (name = ? OR CAST (id AS TEXT) = ?)", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, now);
  sqlite3_bind_text (stmt, 2, name_or_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, name_or_id, -1, SQLITE_TRANSIENT);
  if (!_cohort_store_step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (_cohort_store_get_db (self));
}

static gpointer
read_staff (sqlite3_stmt *stmt)
{
  CohortStaffRecord *record = g_new0 (CohortStaffRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->name = _cohort_store_column_text (stmt, 1);
  record->created_at = sqlite3_column_int64 (stmt, 2);
  record->revoked_at = sqlite3_column_int64 (stmt, 3);
  return record;
}

GPtrArray *
cohort_store_staff_list (CohortStore  *self,
                         GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT id, name, created_at, revoked_at "
                                      "FROM staff ORDER BY id", error)))
    return NULL;
  return _cohort_store_read_rows (self, stmt, read_staff,
                                  (GDestroyNotify) cohort_staff_record_free, error);
}

CohortStaffRecord *
cohort_store_staff_find (CohortStore  *self,
                         const char   *credential_hash,
                         GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT id, name, created_at, revoked_at FROM staff "
                                      "WHERE credential_hash = ? AND revoked_at IS NULL", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, credential_hash, -1, SQLITE_TRANSIENT);
  return _cohort_store_read_row (self, stmt, read_staff, error);
}

gint64
cohort_store_staff_count_active (CohortStore  *self,
                                 GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 count;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (!(stmt = _cohort_store_prepare (self, "SELECT COUNT(*) FROM staff WHERE revoked_at IS NULL",
                                      error)))
    return -1;
  if (!_cohort_store_step_row (self, stmt, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

gboolean
cohort_store_class_access_put (CohortStore                    *self,
                               const CohortClassAccessRecord  *record,
                               GError                        **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO class_access "
                                      "(class_id, staff_id, archived, waiting_room, locked, "
                                      "anonymous_join) VALUES (?, ?, ?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record->class_id);
  if (record->staff_id > 0)
    sqlite3_bind_int64 (stmt, 2, record->staff_id);
  else
    sqlite3_bind_null (stmt, 2);
  sqlite3_bind_int (stmt, 3, record->archived);
  sqlite3_bind_int (stmt, 4, record->waiting_room);
  sqlite3_bind_int (stmt, 5, record->locked);
  sqlite3_bind_int (stmt, 6, record->anonymous_join);
  return _cohort_store_step_done (self, stmt, error);
}

CohortClassAccessRecord *
cohort_store_class_access_get (CohortStore  *self,
                               gint64        class_id,
                               GError      **error)
{
  CohortClassAccessRecord *record;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT class_id, staff_id, archived, waiting_room, "
                                      "locked, anonymous_join FROM class_access "
                                      "WHERE class_id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (!_cohort_store_step_row (self, stmt, error))
    return NULL;
  record = g_new0 (CohortClassAccessRecord, 1);
  record->class_id = sqlite3_column_int64 (stmt, 0);
  record->staff_id = sqlite3_column_int64 (stmt, 1);
  record->archived = sqlite3_column_int (stmt, 2) != 0;
  record->waiting_room = sqlite3_column_int (stmt, 3) != 0;
  record->locked = sqlite3_column_int (stmt, 4) != 0;
  record->anonymous_join = sqlite3_column_int (stmt, 5) != 0;
  sqlite3_reset (stmt);
  return record;
}

static gpointer
staff_class_from_row (sqlite3_stmt *stmt)
{
  CohortStaffClassRecord *record = g_new0 (CohortStaffClassRecord, 1);

  record->class_id = sqlite3_column_int64 (stmt, 0);
  record->code = _cohort_store_column_text (stmt, 1);
  record->title = _cohort_store_column_text (stmt, 2);
  record->created_at = sqlite3_column_int64 (stmt, 3);
  record->archived = sqlite3_column_int (stmt, 4) != 0;
  record->lessons = sqlite3_column_int64 (stmt, 5);
  record->last_lesson_at = sqlite3_column_int64 (stmt, 6);
  record->participants = sqlite3_column_int64 (stmt, 7);
  return record;
}

GPtrArray *
cohort_store_staff_list_classes (CohortStore  *self,
                                 gint64        staff_id,
                                 gboolean      include_archived,
                                 GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self,
          "SELECT c.id, c.code, c.title, c.created_at, a.archived, "
          "  (SELECT COUNT(*) FROM lessons l WHERE l.class_id = c.id), "
          "  (SELECT COALESCE (MAX (l.started_at), 0) FROM lessons l WHERE l.class_id = c.id), "
          "  (SELECT COUNT(*) FROM participants p LEFT JOIN members m ON m.participant_id = p.id "
          "   WHERE p.class_id = c.id AND p.role = 'student' AND COALESCE (m.removed, 0) = 0) "
          "FROM class_access a JOIN classes c ON c.id = a.class_id "
          "WHERE a.staff_id = ? AND (? OR a.archived = 0) ORDER BY c.id DESC", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, staff_id);
  sqlite3_bind_int (stmt, 2, include_archived);
  return _cohort_store_read_rows (self, stmt, staff_class_from_row,
                                  (GDestroyNotify) cohort_staff_class_record_free, error);
}

gint64
cohort_store_lesson_start (CohortStore  *self,
                           gint64        class_id,
                           gint64        now,
                           GError      **error)
{
  sqlite3_stmt *stmt;
  gint64 number;

  g_return_val_if_fail (COHORT_IS_STORE (self), 0);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO lessons (class_id, number, started_at) "
                                      "SELECT ?1, COALESCE (MAX (number), 0) + 1, ?2 FROM lessons "
                                      "WHERE class_id = ?1 RETURNING number", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, now);
  if (!_cohort_store_step_row (self, stmt, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                             "Could not record a lesson");
      sqlite3_reset (stmt);
      return 0;
    }
  number = sqlite3_column_int64 (stmt, 0);
  /* Finish the statement so that the insert is complete. */
  sqlite3_step (stmt);
  sqlite3_reset (stmt);
  return number;
}

gboolean
cohort_store_member_put (CohortStore               *self,
                         const CohortMemberRecord  *record,
                         GError                   **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT INTO members (participant_id, class_id, admitted, "
                                      "removed, known, number, address) VALUES (?, ?, ?, ?, ?, ?, ?) "
                                      "ON CONFLICT (participant_id) DO UPDATE SET "
                                      "admitted = excluded.admitted, removed = excluded.removed, "
                                      "known = excluded.known, number = excluded.number, "
                                      "address = excluded.address", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, record->participant_id);
  sqlite3_bind_int64 (stmt, 2, record->class_id);
  sqlite3_bind_int (stmt, 3, record->admitted);
  sqlite3_bind_int (stmt, 4, record->removed);
  sqlite3_bind_int (stmt, 5, record->known);
  sqlite3_bind_text (stmt, 6, record->number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 7, record->address, -1, SQLITE_TRANSIENT);
  return _cohort_store_step_done (self, stmt, error);
}

static gpointer
read_member (sqlite3_stmt *stmt)
{
  CohortMemberRecord *record = g_new0 (CohortMemberRecord, 1);

  record->participant_id = sqlite3_column_int64 (stmt, 0);
  record->class_id = sqlite3_column_int64 (stmt, 1);
  record->admitted = sqlite3_column_int (stmt, 2) != 0;
  record->removed = sqlite3_column_int (stmt, 3) != 0;
  record->known = sqlite3_column_int (stmt, 4) != 0;
  record->number = _cohort_store_column_text (stmt, 5);
  record->address = _cohort_store_column_text (stmt, 6);
  return record;
}

CohortMemberRecord *
cohort_store_member_get (CohortStore  *self,
                         gint64        participant_id,
                         GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT participant_id, class_id, admitted, removed, "
                                      "known, number, address FROM members "
                                      "WHERE participant_id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  return _cohort_store_read_row (self, stmt, read_member, error);
}

gboolean
cohort_store_member_set_code (CohortStore  *self,
                              gint64        participant_id,
                              const char   *code_hash,
                              GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "UPDATE members SET code_hash = ? "
                                      "WHERE participant_id = ?", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, code_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  return _cohort_store_step_done (self, stmt, error);
}

gint64
cohort_store_member_find_by_code (CohortStore  *self,
                                  const char   *code_hash,
                                  GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (!(stmt = _cohort_store_prepare (self, "SELECT participant_id FROM members WHERE code_hash = ?",
                                      error)))
    return -1;
  sqlite3_bind_text (stmt, 1, code_hash, -1, SQLITE_TRANSIENT);
  if (!_cohort_store_step_row (self, stmt, &local_error))
    {
      if (local_error == NULL)
        return 0;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return id;
}

GPtrArray *
cohort_store_member_list (CohortStore  *self,
                          gint64        class_id,
                          GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);

  if (!(stmt = _cohort_store_prepare (self, "SELECT participant_id, class_id, admitted, removed, "
                                      "known, number, address FROM members "
                                      "WHERE class_id = ? ORDER BY participant_id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return _cohort_store_read_rows (self, stmt, read_member,
                                  (GDestroyNotify) cohort_member_record_free, error);
}

gboolean
cohort_store_block_add (CohortStore  *self,
                        gint64        class_id,
                        const char   *kind,
                        const char   *value,
                        GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR IGNORE INTO class_blocks (class_id, kind, value) "
                                      "VALUES (?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, value, -1, SQLITE_TRANSIENT);
  return _cohort_store_step_done (self, stmt, error);
}

int
cohort_store_block_contains (CohortStore  *self,
                             gint64        class_id,
                             const char   *kind,
                             const char   *value,
                             GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), -1);

  if (!(stmt = _cohort_store_prepare (self, "SELECT 1 FROM class_blocks "
                                      "WHERE class_id = ? AND kind = ? AND value = ?", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, value, -1, SQLITE_TRANSIENT);
  if (_cohort_store_step_row (self, stmt, &local_error))
    {
      sqlite3_reset (stmt);
      return 1;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return -1;
    }
  return 0;
}

gboolean
cohort_store_revoke_tokens (CohortStore  *self,
                            gint64        participant_id,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!(stmt = _cohort_store_prepare (self, "DELETE FROM tokens WHERE participant_id = ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  return _cohort_store_step_done (self, stmt, error);
}

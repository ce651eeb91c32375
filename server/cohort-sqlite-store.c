/* cohort-sqlite-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-sqlite-store"

#include "config.h"

#include <sqlite3.h>

#include "cohort-sqlite-store-private.h"

struct _CohortSqliteStore
{
  GObject     parent_instance;

  sqlite3    *db;
  /* SQL text (static strings, by address) → prepared statement */
  GHashTable *statements;
  /* Open transactions: the outer one, then savepoints (a group commit
   * runs several requests' transactions inside one). */
  guint       depth;
  gboolean    group;
  /* a savepoint of the group could not be opened: commit_group fails */
  gboolean    group_failed;
};

static void store_iface_init (CohortStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortSqliteStore, cohort_sqlite_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (COHORT_TYPE_STORE, store_iface_init))

/* Numbered migrations: entry N - 1 takes the schema from version N - 1 to N.
 * Append only; never edit one that has shipped. */
static const char * const migrations[] = {
  /* 1: initial schema */
  "CREATE TABLE classes ("
  "  id               INTEGER PRIMARY KEY,"
  "  code             TEXT    NOT NULL UNIQUE,"
  "  title            TEXT    NOT NULL,"
  "  teacher_key_hash TEXT    NOT NULL,"
  "  created_at       INTEGER NOT NULL,"
  "  last_seq         INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE TABLE participants ("
  "  id             INTEGER PRIMARY KEY,"
  "  class_id       INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  name           TEXT    NOT NULL,"
  "  role           TEXT    NOT NULL CHECK (role IN ('teacher', 'student')),"
  "  online         INTEGER NOT NULL DEFAULT 0,"
  "  hand_raised_at INTEGER,"
  "  created_at     INTEGER NOT NULL"
  ");"
  "CREATE INDEX participants_class ON participants (class_id);"
  "CREATE INDEX participants_online ON participants (online) WHERE online = 1;"
  "CREATE TABLE tokens ("
  "  hash           TEXT    PRIMARY KEY,"
  "  participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,"
  "  created_at     INTEGER NOT NULL"
  ") WITHOUT ROWID;"
  "CREATE TABLE events ("
  "  class_id INTEGER NOT NULL REFERENCES classes (id) ON DELETE CASCADE,"
  "  seq      INTEGER NOT NULL,"
  "  ts       INTEGER NOT NULL,"
  "  name     TEXT    NOT NULL,"
  "  body     TEXT    NOT NULL,"
  "  PRIMARY KEY (class_id, seq)"
  ") WITHOUT ROWID;"
  "CREATE TABLE requests ("
  "  participant_id INTEGER NOT NULL REFERENCES participants (id) ON DELETE CASCADE,"
  "  request_id     TEXT    NOT NULL,"
  "  reply          TEXT    NOT NULL,"
  "  created_at     INTEGER NOT NULL,"
  "  PRIMARY KEY (participant_id, request_id)"
  ") WITHOUT ROWID;",

  /* 2: events seen by only some participants (private messages, answers) */
  "ALTER TABLE events ADD COLUMN audience TEXT;",

  /* 3: replies kept for idempotency are pruned by age */
  "CREATE INDEX requests_created ON requests (created_at);",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == COHORT_SQLITE_SCHEMA_VERSION);

gboolean
_cohort_sqlite_store_set_error (CohortSqliteStore  *self,
           GError            **error,
           const char         *what)
{
  int code = sqlite3_extended_errcode (self->db);
  CohortStoreError store_code = COHORT_STORE_ERROR_FAILED;

  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
    store_code = COHORT_STORE_ERROR_EXISTS;

  g_set_error (error, COHORT_STORE_ERROR, store_code,
               "%s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

gboolean
_cohort_sqlite_store_exec (CohortSqliteStore  *self,
      const char         *sql,
      GError            **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _cohort_sqlite_store_set_error (self, error, sql);
  return TRUE;
}

sqlite3_stmt *
_cohort_sqlite_store_prepare (CohortSqliteStore  *self,
         const char         *sql,
         GError            **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                              &stmt, NULL) != SQLITE_OK)
        {
          _cohort_sqlite_store_set_error (self, error, "Could not prepare a statement");
          return NULL;
        }
      g_hash_table_insert (self->statements, (gpointer) sql, stmt);
    }

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

/* Steps a statement that returns no row. */
gboolean
_cohort_sqlite_store_step_done (CohortSqliteStore  *self,
           sqlite3_stmt       *stmt,
           GError            **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _cohort_sqlite_store_set_error (self, error, "Could not write to the database");
  return TRUE;
}

/* SQLITE_ROW → TRUE; SQLITE_DONE → FALSE, no error; else FALSE with @error. */
gboolean
_cohort_sqlite_store_step_row (CohortSqliteStore  *self,
          sqlite3_stmt       *stmt,
          GError            **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    _cohort_sqlite_store_set_error (self, error, "Could not read from the database");
  return FALSE;
}

char *
_cohort_sqlite_store_column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static int
get_user_version (CohortSqliteStore *self)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
migrate (CohortSqliteStore  *self,
         GError            **error)
{
  int version = get_user_version (self);

  if (version < 0)
    return _cohort_sqlite_store_set_error (self, error, "Could not read the schema version");

  if (version > COHORT_SQLITE_SCHEMA_VERSION)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_VERSION,
                   "The database has schema version %d; this cohort-server knows up to %d",
                   version, COHORT_SQLITE_SCHEMA_VERSION);
      return FALSE;
    }

  for (int v = version; v < COHORT_SQLITE_SCHEMA_VERSION; v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (!_cohort_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      /* Another process may have migrated while we waited for the lock. */
      if (get_user_version (self) > v)
        {
          _cohort_sqlite_store_exec (self, "ROLLBACK", NULL);
          continue;
        }

      if (!_cohort_sqlite_store_exec (self, migrations[v], error) ||
          !_cohort_sqlite_store_exec (self, set_version, error) ||
          !_cohort_sqlite_store_exec (self, "COMMIT", error))
        {
          _cohort_sqlite_store_exec (self, "ROLLBACK", NULL);
          return FALSE;
        }
      g_debug ("Migrated the database to schema version %d", v + 1);
    }

  return TRUE;
}

CohortSqliteStore *
cohort_sqlite_store_open (const char  *path,
                          GError     **error)
{
  g_autoptr(CohortSqliteStore) self = g_object_new (COHORT_TYPE_SQLITE_STORE, NULL);
  g_autofree char *journal_mode = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                   "Could not open the database “%s”: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  /* The admin command writes while the server runs. */
  sqlite3_busy_timeout (self->db, 5000);

  if (sqlite3_prepare_v2 (self->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    journal_mode = _cohort_sqlite_store_column_text (stmt, 0);
  sqlite3_finalize (stmt);

  if (g_strcmp0 (journal_mode, "wal") != 0)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                   "Could not switch the database “%s” to WAL mode", path);
      return NULL;
    }

  /* Nothing acknowledged may be lost, even on power loss. */
  if (!_cohort_sqlite_store_exec (self, "PRAGMA synchronous = FULL", error) ||
      !_cohort_sqlite_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self, error) ||
      !_cohort_sqlite_store_media_migrate (self, error) ||
      !_cohort_sqlite_store_chat_migrate (self, error) ||
      !_cohort_sqlite_store_quiz_migrate (self, error) ||
      !_cohort_sqlite_store_groups_migrate (self, error) ||
      !_cohort_sqlite_store_ai_migrate (self, error) ||
      !_cohort_sqlite_store_identity_migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

sqlite3 *
_cohort_sqlite_store_get_db (CohortSqliteStore *self)
{
  return self->db;
}

/* Each feature module keeps its own numbered migrations, so that features
 * can grow their schemas independently of each other and of the core's
 * user_version. */
gboolean
_cohort_sqlite_store_migrate_module (CohortSqliteStore   *self,
                                     const char          *module,
                                     const char * const  *module_migrations,
                                     guint                n_migrations,
                                     GError             **error)
{
  sqlite3_stmt *stmt;
  gint64 version = 0;

  if (!_cohort_sqlite_store_exec (self, "CREATE TABLE IF NOT EXISTS module_schema ("
                                  "  module  TEXT PRIMARY KEY,"
                                  "  version INTEGER NOT NULL"
                                  ") WITHOUT ROWID", error) ||
      !_cohort_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "SELECT version FROM module_schema WHERE module = ?",
                                             error)))
    goto failed;
  sqlite3_bind_text (stmt, 1, module, -1, SQLITE_TRANSIENT);
  if (_cohort_sqlite_store_step_row (self, stmt, error))
    {
      version = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }
  else if (error != NULL && *error != NULL)
    goto failed;

  if (version > n_migrations)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_VERSION,
                   "The database's %s schema has version %" G_GINT64_FORMAT
                   "; this cohort-server knows up to %u", module, version, n_migrations);
      goto failed;
    }

  for (guint v = version; v < n_migrations; v++)
    {
      if (!_cohort_sqlite_store_exec (self, module_migrations[v], error))
        goto failed;
      g_debug ("Migrated the %s schema to version %u", module, v + 1);
    }

  if (!(stmt = _cohort_sqlite_store_prepare (self, "INSERT OR REPLACE INTO module_schema (module, version) "
                                             "VALUES (?, ?)", error)))
    goto failed;
  sqlite3_bind_text (stmt, 1, module, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, n_migrations);
  if (!_cohort_sqlite_store_step_done (self, stmt, error) ||
      !_cohort_sqlite_store_exec (self, "COMMIT", error))
    goto failed;

  return TRUE;

failed:
  _cohort_sqlite_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

int
cohort_sqlite_store_get_schema_version (CohortSqliteStore *self)
{
  g_return_val_if_fail (COHORT_IS_SQLITE_STORE (self), -1);
  return get_user_version (self);
}

static gboolean
cohort_sqlite_store_begin (CohortStore  *store,
                           GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  g_autofree char *savepoint = NULL;

  g_return_val_if_fail (self->depth == 0 || self->group, FALSE);

  /* IMMEDIATE takes the write lock now, so a busy database waits here
   * (busy_timeout) instead of failing half-way through. */
  if (self->depth == 0)
    {
      if (!_cohort_sqlite_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
    }
  else
    {
      /* SQLite may have rolled the whole group back by itself (a full
       * disk, say): a savepoint now would start a transaction of its own
       * and its release would commit it alone. The caller's rollback then
       * pops this level, so it counts as open. */
      savepoint = g_strdup_printf ("SAVEPOINT s%u", self->depth);
      if (sqlite3_get_autocommit (self->db) != 0 ||
          !_cohort_sqlite_store_exec (self, savepoint, NULL))
        {
          self->group_failed = TRUE;
          self->depth++;
          g_set_error_literal (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                               "The group's transaction was rolled back");
          return FALSE;
        }
    }
  self->depth++;
  return TRUE;
}

static gboolean
cohort_sqlite_store_begin_group (CohortStore  *store,
                                 GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);

  g_return_val_if_fail (self->depth == 0, FALSE);

  if (!cohort_sqlite_store_begin (store, error))
    return FALSE;
  self->group = TRUE;
  self->group_failed = FALSE;
  return TRUE;
}

static gboolean cohort_sqlite_store_commit   (CohortStore  *store,
                                              GError      **error);
static void     cohort_sqlite_store_rollback (CohortStore  *store);

static gboolean
cohort_sqlite_store_commit_group (CohortStore  *store,
                                  GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);

  if (!self->group || self->depth != 1 || self->group_failed ||
      sqlite3_get_autocommit (self->db) != 0)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                   "The group's transaction is not whole (depth %u%s)", self->depth,
                   self->group_failed ? ", a savepoint failed" : "");
      while (self->depth > 0)
        cohort_sqlite_store_rollback (store);
      return FALSE;
    }
  return cohort_sqlite_store_commit (store, error);
}

static gboolean
cohort_sqlite_store_commit (CohortStore  *store,
                            GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  g_autofree char *release = NULL;

  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1)
    {
      if (!_cohort_sqlite_store_exec (self, "COMMIT", error))
        return FALSE;
      self->group = FALSE;
    }
  else
    {
      release = g_strdup_printf ("RELEASE s%u", self->depth - 1);
      if (!_cohort_sqlite_store_exec (self, release, error))
        return FALSE;
    }
  self->depth--;
  return TRUE;
}

static void
cohort_sqlite_store_rollback (CohortStore *store)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);

  if (self->depth == 0)
    return;
  self->depth--;
  if (self->depth == 0)
    {
      if (sqlite3_get_autocommit (self->db) == 0)
        _cohort_sqlite_store_exec (self, "ROLLBACK", NULL);
      self->group = FALSE;
    }
  else
    {
      g_autofree char *undo = g_strdup_printf ("ROLLBACK TO s%u; RELEASE s%u", self->depth, self->depth);

      _cohort_sqlite_store_exec (self, undo, NULL);
    }
}

static void
finalize_statements (CohortSqliteStore *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->statements);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sqlite3_finalize (value);
  g_hash_table_remove_all (self->statements);
}

static gboolean
cohort_sqlite_store_close (CohortStore  *store,
                           GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  gboolean ret = TRUE;

  if (self->db == NULL)
    return TRUE;

  while (self->depth > 0)
    cohort_sqlite_store_rollback (store);
  finalize_statements (self);

  if (!_cohort_sqlite_store_exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error))
    ret = FALSE;

  if (sqlite3_close (self->db) != SQLITE_OK && ret)
    {
      ret = _cohort_sqlite_store_set_error (self, error, "Could not close the database");
      sqlite3_close_v2 (self->db);
    }
  self->db = NULL;
  return ret;
}

static gint64
cohort_sqlite_store_create_class (CohortStore  *store,
                                  const char   *code,
                                  const char   *title,
                                  const char   *teacher_key_hash,
                                  gint64        created_at,
                                  GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self,
                        "INSERT INTO classes (code, title, teacher_key_hash, created_at) "
                        "VALUES (?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, title, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, teacher_key_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, created_at);
  if (!_cohort_sqlite_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

#define CLASS_COLUMNS "id, code, title, teacher_key_hash, created_at"

static CohortClassRecord *
read_class (CohortSqliteStore  *self,
            sqlite3_stmt       *stmt,
            GError            **error)
{
  CohortClassRecord *record;

  if (!_cohort_sqlite_store_step_row (self, stmt, error))
    return NULL;

  record = g_new0 (CohortClassRecord, 1);
  record->id = sqlite3_column_int64 (stmt, 0);
  record->code = _cohort_sqlite_store_column_text (stmt, 1);
  record->title = _cohort_sqlite_store_column_text (stmt, 2);
  record->teacher_key_hash = _cohort_sqlite_store_column_text (stmt, 3);
  record->created_at = sqlite3_column_int64 (stmt, 4);
  sqlite3_reset (stmt);
  return record;
}

static CohortClassRecord *
cohort_sqlite_store_find_class_by_code (CohortStore  *store,
                                        const char   *code,
                                        GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "SELECT " CLASS_COLUMNS " FROM classes WHERE code = ?", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, code, -1, SQLITE_TRANSIENT);
  return read_class (self, stmt, error);
}

static CohortClassRecord *
cohort_sqlite_store_get_class (CohortStore  *store,
                               gint64        class_id,
                               GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "SELECT " CLASS_COLUMNS " FROM classes WHERE id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return read_class (self, stmt, error);
}

static gint64
cohort_sqlite_store_add_participant (CohortStore  *store,
                                     gint64        class_id,
                                     const char   *name,
                                     const char   *role,
                                     gboolean      online,
                                     gint64        created_at,
                                     GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self,
                        "INSERT INTO participants (class_id, name, role, online, created_at) "
                        "VALUES (?, ?, ?, ?, ?)", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, role, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, 4, online ? 1 : 0);
  sqlite3_bind_int64 (stmt, 5, created_at);
  if (!_cohort_sqlite_store_step_done (self, stmt, error))
    return 0;
  return sqlite3_last_insert_rowid (self->db);
}

#define PARTICIPANT_COLUMNS "p.id, p.class_id, p.name, p.role, p.online, p.hand_raised_at"

static CohortParticipantRecord *
participant_from_row (sqlite3_stmt *stmt)
{
  CohortParticipantRecord *record = g_new0 (CohortParticipantRecord, 1);

  record->id = sqlite3_column_int64 (stmt, 0);
  record->class_id = sqlite3_column_int64 (stmt, 1);
  record->name = _cohort_sqlite_store_column_text (stmt, 2);
  record->role = _cohort_sqlite_store_column_text (stmt, 3);
  record->online = sqlite3_column_int (stmt, 4) != 0;
  record->hand_raised_at = sqlite3_column_int64 (stmt, 5);
  return record;
}

static CohortParticipantRecord *
read_participant (CohortSqliteStore  *self,
                  sqlite3_stmt       *stmt,
                  GError            **error)
{
  CohortParticipantRecord *record;

  if (!_cohort_sqlite_store_step_row (self, stmt, error))
    return NULL;
  record = participant_from_row (stmt);
  sqlite3_reset (stmt);
  return record;
}

static GPtrArray *
read_participants (CohortSqliteStore  *self,
                   sqlite3_stmt       *stmt,
                   GError            **error)
{
  g_autoptr(GPtrArray) all =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_participant_record_free);
  g_autoptr(GError) local_error = NULL;

  while (_cohort_sqlite_store_step_row (self, stmt, &local_error))
    g_ptr_array_add (all, participant_from_row (stmt));

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&all);
}

static CohortParticipantRecord *
cohort_sqlite_store_get_participant (CohortStore  *store,
                                     gint64        participant_id,
                                     GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants p "
                        "WHERE p.id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  return read_participant (self, stmt, error);
}

static CohortParticipantRecord *
cohort_sqlite_store_find_teacher (CohortStore  *store,
                                  gint64        class_id,
                                  GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants p "
                        "WHERE p.class_id = ? AND p.role = 'teacher' ORDER BY p.id LIMIT 1",
                        error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return read_participant (self, stmt, error);
}

static GPtrArray *
cohort_sqlite_store_list_participants (CohortStore  *store,
                                       gint64        class_id,
                                       GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants p "
                        "WHERE p.class_id = ? ORDER BY p.id", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  return read_participants (self, stmt, error);
}

static GPtrArray *
cohort_sqlite_store_list_online (CohortStore  *store,
                                 GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants p "
                        "WHERE p.online = 1 ORDER BY p.class_id, p.id", error)))
    return NULL;
  return read_participants (self, stmt, error);
}

static gboolean
cohort_sqlite_store_set_online (CohortStore  *store,
                                gint64        participant_id,
                                gboolean      online,
                                GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "UPDATE participants SET online = ? WHERE id = ?", error)))
    return FALSE;
  sqlite3_bind_int (stmt, 1, online ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  return _cohort_sqlite_store_step_done (self, stmt, error);
}

static gboolean
cohort_sqlite_store_set_hand (CohortStore  *store,
                              gint64        participant_id,
                              gint64        raised_at,
                              GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "UPDATE participants SET hand_raised_at = ? WHERE id = ?", error)))
    return FALSE;
  if (raised_at > 0)
    sqlite3_bind_int64 (stmt, 1, raised_at);
  else
    sqlite3_bind_null (stmt, 1);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  return _cohort_sqlite_store_step_done (self, stmt, error);
}

static gboolean
cohort_sqlite_store_add_token (CohortStore  *store,
                               gint64        participant_id,
                               const char   *token_hash,
                               gint64        created_at,
                               GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "INSERT INTO tokens (hash, participant_id, created_at) "
                        "VALUES (?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, participant_id);
  sqlite3_bind_int64 (stmt, 3, created_at);
  return _cohort_sqlite_store_step_done (self, stmt, error);
}

static CohortParticipantRecord *
cohort_sqlite_store_find_participant_by_token (CohortStore  *store,
                                               const char   *token_hash,
                                               GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "SELECT " PARTICIPANT_COLUMNS " FROM participants p "
                        "JOIN tokens t ON t.participant_id = p.id WHERE t.hash = ?", error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_TRANSIENT);
  return read_participant (self, stmt, error);
}

static gint64
cohort_sqlite_store_append_event (CohortStore  *store,
                                  gint64        class_id,
                                  gint64        ts,
                                  const char   *name,
                                  const char   *body,
                                  const char   *audience,
                                  GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  gint64 seq;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "UPDATE classes SET last_seq = last_seq + 1 WHERE id = ? "
                        "RETURNING last_seq", error)))
    return 0;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (!_cohort_sqlite_store_step_row (self, stmt, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                     "No class with id %" G_GINT64_FORMAT, class_id);
      return 0;
    }
  seq = sqlite3_column_int64 (stmt, 0);
  /* RETURNING applies the update only once the statement runs to the end. */
  if (!_cohort_sqlite_store_step_done (self, stmt, error))
    return 0;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "INSERT INTO events (class_id, seq, ts, name, body, audience) "
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
  if (!_cohort_sqlite_store_step_done (self, stmt, error))
    return 0;

  return seq;
}

static gint64
cohort_sqlite_store_get_last_seq (CohortStore  *store,
                                  gint64        class_id,
                                  GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  gint64 seq;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "SELECT last_seq FROM classes WHERE id = ?", error)))
    return -1;
  sqlite3_bind_int64 (stmt, 1, class_id);
  if (!_cohort_sqlite_store_step_row (self, stmt, &local_error))
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

static GPtrArray *
cohort_sqlite_store_list_events_after (CohortStore  *store,
                                       gint64        class_id,
                                       gint64        after_seq,
                                       guint         limit,
                                       GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  g_autoptr(GPtrArray) all =
    g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_event_record_free);
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "SELECT class_id, seq, ts, name, body, audience FROM events "
                        "WHERE class_id = ? AND seq > ? ORDER BY seq LIMIT ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, class_id);
  sqlite3_bind_int64 (stmt, 2, after_seq);
  sqlite3_bind_int64 (stmt, 3, limit);

  while (_cohort_sqlite_store_step_row (self, stmt, &local_error))
    {
      CohortEventRecord *record = g_new0 (CohortEventRecord, 1);

      record->class_id = sqlite3_column_int64 (stmt, 0);
      record->seq = sqlite3_column_int64 (stmt, 1);
      record->ts = sqlite3_column_int64 (stmt, 2);
      record->name = _cohort_sqlite_store_column_text (stmt, 3);
      record->body = _cohort_sqlite_store_column_text (stmt, 4);
      record->audience = _cohort_sqlite_store_column_text (stmt, 5);
      g_ptr_array_add (all, record);
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&all);
}

static char *
cohort_sqlite_store_lookup_reply (CohortStore  *store,
                                  gint64        participant_id,
                                  const char   *request_id,
                                  GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;
  char *reply;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "SELECT reply FROM requests "
                        "WHERE participant_id = ? AND request_id = ?", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_TRANSIENT);
  if (!_cohort_sqlite_store_step_row (self, stmt, error))
    return NULL;
  reply = _cohort_sqlite_store_column_text (stmt, 0);
  sqlite3_reset (stmt);
  return reply;
}

static gboolean
cohort_sqlite_store_save_reply (CohortStore  *store,
                                gint64        participant_id,
                                const char   *request_id,
                                const char   *reply,
                                gint64        created_at,
                                GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "INSERT INTO requests (participant_id, request_id, reply, "
                        "created_at) VALUES (?, ?, ?, ?)", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, participant_id);
  sqlite3_bind_text (stmt, 2, request_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, reply, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 4, created_at);
  return _cohort_sqlite_store_step_done (self, stmt, error);
}

static gboolean
cohort_sqlite_store_prune_replies (CohortStore  *store,
                                   gint64        before,
                                   guint        *out_removed,
                                   GError      **error)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (store);
  sqlite3_stmt *stmt;

  if (!(stmt = _cohort_sqlite_store_prepare (self, "DELETE FROM requests WHERE created_at < ?", error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, before);
  if (!_cohort_sqlite_store_step_done (self, stmt, error))
    return FALSE;
  if (out_removed != NULL)
    *out_removed = sqlite3_changes (self->db);
  return TRUE;
}

static void
store_iface_init (CohortStoreInterface *iface)
{
  iface->begin = cohort_sqlite_store_begin;
  iface->begin_group = cohort_sqlite_store_begin_group;
  iface->commit_group = cohort_sqlite_store_commit_group;
  iface->commit = cohort_sqlite_store_commit;
  iface->rollback = cohort_sqlite_store_rollback;
  iface->close = cohort_sqlite_store_close;
  iface->create_class = cohort_sqlite_store_create_class;
  iface->find_class_by_code = cohort_sqlite_store_find_class_by_code;
  iface->get_class = cohort_sqlite_store_get_class;
  iface->add_participant = cohort_sqlite_store_add_participant;
  iface->get_participant = cohort_sqlite_store_get_participant;
  iface->find_teacher = cohort_sqlite_store_find_teacher;
  iface->list_participants = cohort_sqlite_store_list_participants;
  iface->list_online = cohort_sqlite_store_list_online;
  iface->set_online = cohort_sqlite_store_set_online;
  iface->set_hand = cohort_sqlite_store_set_hand;
  iface->add_token = cohort_sqlite_store_add_token;
  iface->find_participant_by_token = cohort_sqlite_store_find_participant_by_token;
  iface->append_event = cohort_sqlite_store_append_event;
  iface->get_last_seq = cohort_sqlite_store_get_last_seq;
  iface->list_events_after = cohort_sqlite_store_list_events_after;
  iface->lookup_reply = cohort_sqlite_store_lookup_reply;
  iface->save_reply = cohort_sqlite_store_save_reply;
  iface->prune_replies = cohort_sqlite_store_prune_replies;

  _cohort_sqlite_store_media_iface_init (iface);
  _cohort_sqlite_store_chat_iface_init (iface);
  _cohort_sqlite_store_quiz_iface_init (iface);
  _cohort_sqlite_store_groups_iface_init (iface);
  _cohort_sqlite_store_ai_iface_init (iface);
  _cohort_sqlite_store_identity_iface_init (iface);
}

static void
cohort_sqlite_store_finalize (GObject *object)
{
  CohortSqliteStore *self = COHORT_SQLITE_STORE (object);

  if (self->db != NULL)
    {
      finalize_statements (self);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->statements, g_hash_table_unref);

  G_OBJECT_CLASS (cohort_sqlite_store_parent_class)->finalize (object);
}

static void
cohort_sqlite_store_class_init (CohortSqliteStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_sqlite_store_finalize;
}

static void
cohort_sqlite_store_init (CohortSqliteStore *self)
{
  self->statements = g_hash_table_new (g_direct_hash, g_direct_equal);
}

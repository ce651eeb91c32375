/* cohort-store.c: opening, migrating and closing the database, and transactions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include <sqlite3.h>

#include "cohort-store-private.h"

struct _CohortStore
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
  CohortStoreCommitHook commit_hook;
  gpointer    commit_hook_data;
  /* WAL checkpoints run on a thread of their own, on a connection of
   * their own (see on_wal_commit). */
  char       *path;
  GThread    *checkpointer;
  GMutex      checkpoint_lock;
  GCond       checkpoint_cond;
  gboolean    checkpoint_wanted;
  gboolean    checkpoint_quit;
};

G_DEFINE_FINAL_TYPE (CohortStore, cohort_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (cohort-store-error-quark, cohort_store_error)

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

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == COHORT_STORE_SCHEMA_VERSION);

gboolean
_cohort_store_set_error (CohortStore  *self,
                         GError      **error,
                         const char   *what)
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
_cohort_store_exec (CohortStore  *self,
                    const char   *sql,
                    GError      **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return _cohort_store_set_error (self, error, sql);
  return TRUE;
}

sqlite3_stmt *
_cohort_store_prepare (CohortStore  *self,
                       const char   *sql,
                       GError      **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->statements, sql);

  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                              &stmt, NULL) != SQLITE_OK)
        {
          _cohort_store_set_error (self, error, "Could not prepare a statement");
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
_cohort_store_step_done (CohortStore   *self,
                         sqlite3_stmt  *stmt,
                         GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return _cohort_store_set_error (self, error, "Could not write to the database");
  return TRUE;
}

/* SQLITE_ROW → TRUE; SQLITE_DONE → FALSE, no error; else FALSE with @error. */
gboolean
_cohort_store_step_row (CohortStore   *self,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    _cohort_store_set_error (self, error, "Could not read from the database");
  return FALSE;
}

char *
_cohort_store_column_text (sqlite3_stmt *stmt,
                           int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gpointer
_cohort_store_read_row (CohortStore         *self,
                        sqlite3_stmt        *stmt,
                        CohortStoreReadRow   read_row,
                        GError             **error)
{
  gpointer record;

  if (!_cohort_store_step_row (self, stmt, error))
    return NULL;
  record = read_row (stmt);
  sqlite3_reset (stmt);
  return record;
}

GPtrArray *
_cohort_store_read_rows (CohortStore         *self,
                         sqlite3_stmt        *stmt,
                         CohortStoreReadRow   read_row,
                         GDestroyNotify       free_record,
                         GError             **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (free_record);
  g_autoptr(GError) local_error = NULL;

  while (_cohort_store_step_row (self, stmt, &local_error))
    g_ptr_array_add (rows, read_row (stmt));
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

GArray *
_cohort_store_read_ids (CohortStore   *self,
                        sqlite3_stmt  *stmt,
                        GError       **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) local_error = NULL;

  while (_cohort_store_step_row (self, stmt, &local_error))
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  sqlite3_reset (stmt);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static int
get_user_version (CohortStore *self)
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
migrate (CohortStore  *self,
         GError      **error)
{
  int version = get_user_version (self);

  if (version < 0)
    return _cohort_store_set_error (self, error, "Could not read the schema version");

  if (version > COHORT_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_VERSION,
                   "The database has schema version %d; this cohort-server knows up to %d",
                   version, COHORT_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  for (int v = version; v < COHORT_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      if (!_cohort_store_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      /* Another process may have migrated while we waited for the lock. */
      if (get_user_version (self) > v)
        {
          _cohort_store_exec (self, "ROLLBACK", NULL);
          continue;
        }

      if (!_cohort_store_exec (self, migrations[v], error) ||
          !_cohort_store_exec (self, set_version, error) ||
          !_cohort_store_exec (self, "COMMIT", error))
        {
          _cohort_store_exec (self, "ROLLBACK", NULL);
          return FALSE;
        }
      g_debug ("Migrated the database to schema version %d", v + 1);
    }

  return TRUE;
}

/* SQLite's automatic checkpoint runs inside the commit that takes the WAL
 * past 1,000 pages, on the committing thread: the server's one thread
 * then wrote 4 MB back into the database and waited for its fsync while
 * every request queued behind it (the p99 of a practice answer). The same
 * checkpoint, PASSIVE, runs here instead: it never blocks the server's
 * readers and writers, and durability is the WAL's, fsynced by each
 * commit as before. */
#define CHECKPOINT_PAGES 1000

static gpointer
checkpoint_thread (gpointer data)
{
  CohortStore *self = data;
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
      sqlite3_exec (db, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK)
    {
      g_warning ("Could not open the database “%s” for checkpoints: %s", self->path,
                 db ? sqlite3_errmsg (db) : "out of memory");
      g_clear_pointer (&db, sqlite3_close);
    }

  for (;;)
    {
      gboolean quit;
      int rc;

      g_mutex_lock (&self->checkpoint_lock);
      while (!self->checkpoint_wanted && !self->checkpoint_quit)
        g_cond_wait (&self->checkpoint_cond, &self->checkpoint_lock);
      quit = self->checkpoint_quit;
      self->checkpoint_wanted = FALSE;
      g_mutex_unlock (&self->checkpoint_lock);
      if (quit)
        break;

      if (db != NULL &&
          (rc = sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL)) != SQLITE_OK &&
          rc != SQLITE_BUSY)
        g_warning ("Could not checkpoint the database: %s", sqlite3_errmsg (db));
    }

  if (db != NULL)
    sqlite3_close (db);
  return NULL;
}

/* After each commit of the server's connection (@n_pages: the WAL's
 * length): past CHECKPOINT_PAGES, the checkpoint thread is woken. */
static int
on_wal_commit (void       *data,
               sqlite3    *db,
               const char *name,
               int         n_pages)
{
  CohortStore *self = data;

  if (n_pages < CHECKPOINT_PAGES)
    return SQLITE_OK;
  g_mutex_lock (&self->checkpoint_lock);
  if (self->checkpointer == NULL)
    self->checkpointer = g_thread_new ("wal-checkpoint", checkpoint_thread, self);
  self->checkpoint_wanted = TRUE;
  g_cond_signal (&self->checkpoint_cond);
  g_mutex_unlock (&self->checkpoint_lock);
  return SQLITE_OK;
}

static void
stop_checkpoints (CohortStore *self)
{
  if (self->checkpointer == NULL)
    return;
  g_mutex_lock (&self->checkpoint_lock);
  self->checkpoint_quit = TRUE;
  g_cond_signal (&self->checkpoint_cond);
  g_mutex_unlock (&self->checkpoint_lock);
  g_clear_pointer (&self->checkpointer, g_thread_join);
}

CohortStore *
cohort_store_open (const char  *path,
                   GError     **error)
{
  g_autoptr(CohortStore) self = g_object_new (COHORT_TYPE_STORE, NULL);
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
    journal_mode = _cohort_store_column_text (stmt, 0);
  sqlite3_finalize (stmt);

  if (g_strcmp0 (journal_mode, "wal") != 0)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                   "Could not switch the database “%s” to WAL mode", path);
      return NULL;
    }
  /* Replaces SQLite's own checkpoint in the commit (on_wal_commit). */
  self->path = g_strdup (path);
  sqlite3_wal_hook (self->db, on_wal_commit, self);

  /* Nothing acknowledged may be lost, even on power loss. */
  if (!_cohort_store_exec (self, "PRAGMA synchronous = FULL", error) ||
      !_cohort_store_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self, error) ||
      !_cohort_store_media_migrate (self, error) ||
      !_cohort_store_chat_migrate (self, error) ||
      !_cohort_store_quiz_migrate (self, error) ||
      !_cohort_store_groups_migrate (self, error) ||
      !_cohort_store_ai_migrate (self, error) ||
      !_cohort_store_identity_migrate (self, error) ||
      !_cohort_store_lesson_migrate (self, error) ||
      !_cohort_store_schedule_migrate (self, error) ||
      /* After every other module: it indexes their tables. */
      !_cohort_store_insights_migrate (self, error) ||
      !_cohort_store_practice_migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

sqlite3 *
_cohort_store_get_db (CohortStore *self)
{
  return self->db;
}

/* Each feature module keeps its own numbered migrations, so that features
 * can grow their schemas independently of each other and of the core's
 * user_version. */
gboolean
_cohort_store_migrate_module (CohortStore         *self,
                              const char          *module,
                              const char * const  *module_migrations,
                              guint                n_migrations,
                              GError             **error)
{
  sqlite3_stmt *stmt;
  gint64 version = 0;

  if (!_cohort_store_exec (self, "CREATE TABLE IF NOT EXISTS module_schema ("
                           "  module  TEXT PRIMARY KEY,"
                           "  version INTEGER NOT NULL"
                           ") WITHOUT ROWID", error) ||
      !_cohort_store_exec (self, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!(stmt = _cohort_store_prepare (self, "SELECT version FROM module_schema WHERE module = ?",
                                      error)))
    goto failed;
  sqlite3_bind_text (stmt, 1, module, -1, SQLITE_TRANSIENT);
  if (_cohort_store_step_row (self, stmt, error))
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
      if (!_cohort_store_exec (self, module_migrations[v], error))
        goto failed;
      g_debug ("Migrated the %s schema to version %u", module, v + 1);
    }

  if (!(stmt = _cohort_store_prepare (self, "INSERT OR REPLACE INTO module_schema (module, version) "
                                      "VALUES (?, ?)", error)))
    goto failed;
  sqlite3_bind_text (stmt, 1, module, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, n_migrations);
  if (!_cohort_store_step_done (self, stmt, error) ||
      !_cohort_store_exec (self, "COMMIT", error))
    goto failed;

  return TRUE;

failed:
  _cohort_store_exec (self, "ROLLBACK", NULL);
  return FALSE;
}

int
cohort_store_get_schema_version (CohortStore *self)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  return get_user_version (self);
}

gboolean
cohort_store_begin (CohortStore  *self,
                    GError      **error)
{
  g_autofree char *savepoint = NULL;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  g_return_val_if_fail (self->depth == 0 || self->group, FALSE);

  /* IMMEDIATE takes the write lock now, so a busy database waits here
   * (busy_timeout) instead of failing half-way through. */
  if (self->depth == 0)
    {
      if (!_cohort_store_exec (self, "BEGIN IMMEDIATE", error))
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
          !_cohort_store_exec (self, savepoint, NULL))
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

gboolean
cohort_store_begin_group (CohortStore  *self,
                          GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  g_return_val_if_fail (self->depth == 0, FALSE);

  if (!cohort_store_begin (self, error))
    return FALSE;
  self->group = TRUE;
  self->group_failed = FALSE;
  return TRUE;
}

gboolean
cohort_store_commit_group (CohortStore  *self,
                           GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (!self->group || self->depth != 1 || self->group_failed ||
      sqlite3_get_autocommit (self->db) != 0)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                   "The group's transaction is not whole (depth %u%s)", self->depth,
                   self->group_failed ? ", a savepoint failed" : "");
      while (self->depth > 0)
        cohort_store_rollback (self);
      return FALSE;
    }
  return cohort_store_commit (self, error);
}

gboolean
cohort_store_commit (CohortStore  *self,
                     GError      **error)
{
  g_autofree char *release = NULL;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  g_return_val_if_fail (self->depth > 0, FALSE);

  if (self->depth == 1)
    {
      if (!_cohort_store_exec (self, "COMMIT", error))
        return FALSE;
      self->group = FALSE;
    }
  else
    {
      release = g_strdup_printf ("RELEASE s%u", self->depth - 1);
      if (!_cohort_store_exec (self, release, error))
        return FALSE;
    }
  self->depth--;
  if (self->depth == 0 && self->commit_hook != NULL)
    self->commit_hook (self, self->commit_hook_data);
  return TRUE;
}

void
cohort_store_set_commit_hook (CohortStore           *self,
                              CohortStoreCommitHook  hook,
                              gpointer               user_data)
{
  g_return_if_fail (COHORT_IS_STORE (self));

  self->commit_hook = hook;
  self->commit_hook_data = user_data;
}

void
cohort_store_rollback (CohortStore *self)
{
  g_return_if_fail (COHORT_IS_STORE (self));

  if (self->depth == 0)
    return;
  self->depth--;
  if (self->depth == 0)
    {
      if (sqlite3_get_autocommit (self->db) == 0)
        _cohort_store_exec (self, "ROLLBACK", NULL);
      self->group = FALSE;
    }
  else
    {
      g_autofree char *undo = g_strdup_printf ("ROLLBACK TO s%u; RELEASE s%u", self->depth, self->depth);

      _cohort_store_exec (self, undo, NULL);
    }
}

static void
finalize_statements (CohortStore *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->statements);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    sqlite3_finalize (value);
  g_hash_table_remove_all (self->statements);
}

gboolean
cohort_store_close (CohortStore  *self,
                    GError      **error)
{
  gboolean ret = TRUE;

  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);

  if (self->db == NULL)
    return TRUE;

  while (self->depth > 0)
    cohort_store_rollback (self);
  finalize_statements (self);
  stop_checkpoints (self);

  if (!_cohort_store_exec (self, "PRAGMA wal_checkpoint(TRUNCATE)", error))
    ret = FALSE;

  if (sqlite3_close (self->db) != SQLITE_OK && ret)
    {
      ret = _cohort_store_set_error (self, error, "Could not close the database");
      sqlite3_close_v2 (self->db);
    }
  self->db = NULL;
  return ret;
}

static void
cohort_store_finalize (GObject *object)
{
  CohortStore *self = COHORT_STORE (object);

  stop_checkpoints (self);
  if (self->db != NULL)
    {
      finalize_statements (self);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->checkpoint_lock);
  g_cond_clear (&self->checkpoint_cond);

  G_OBJECT_CLASS (cohort_store_parent_class)->finalize (object);
}

static void
cohort_store_class_init (CohortStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_store_finalize;
}

static void
cohort_store_init (CohortStore *self)
{
  self->statements = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_mutex_init (&self->checkpoint_lock);
  g_cond_init (&self->checkpoint_cond);
}

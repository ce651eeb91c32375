/* cohort-scale.c: a node of a multi-node server on PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-scale"

/* Debian's libsqlite3 is built with the session extension; its API in
 * sqlite3.h is behind these. */
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "cohort-durability.h"
#include "cohort-pg.h"
#include "cohort-pg-schema.h"
#include "cohort-scale.h"
#include "cohort-secret.h"
#include "cohort-server-private.h"
#include "cohort-store-private.h"

/* Each working copy allocates row ids in a block of its own, so that ids,
 * which clients see, are unique across nodes. */
#define RANGE_BITS 32
/* A class is looked up again at most this often when it changes hands
 * under a request. */
#define MAX_ROUTE_ATTEMPTS 3

/* What tells a table's rows' class, and how to place an id marker in it. */
typedef struct
{
  char   *name;
  char  **columns;     /* NULL-terminated */
  int     n_columns;
  int     class_col;   /* -1: none */
  int     participant_col;
  int     message_col;
  GArray *pk;          /* int, the primary key's columns in order */
  /* the primary key is one INTEGER column: SQLite allocates its ids */
  gboolean allocates_ids;
  /* per column: NOT NULL without a default, and of an integer type */
  GArray *required;    /* gboolean */
  GArray *integer;     /* gboolean */
  /* an id marker is in place (see place_range_markers) */
  gboolean has_marker;
} TableInfo;

static void
table_info_free (TableInfo *info)
{
  g_free (info->name);
  g_strfreev (info->columns);
  g_array_unref (info->pk);
  g_array_unref (info->required);
  g_array_unref (info->integer);
  g_free (info);
}

struct _CohortScale
{
  GObject           parent_instance;

  CohortPg         *pg;
  CohortStore      *store;
  sqlite3          *db;
  sqlite3_session  *session;
  char             *dir;
  char             *address;
  guint             lease_seconds;
  gint64            node_id;
  gint64            range;
  /* the next block, fetched ahead (0 while it is on its way) */
  gint64            spare_range;
  /* untagged (global) changes applied up to this lsn */
  gint64            global_lsn;
  /* class id → epoch of the classes this node leases */
  GHashTable       *leases;
  /* classes whose lease this node lost: their local rows are stale */
  GHashTable       *lost;
  /* class id → GPtrArray of Route waiting for its take-over */
  GHashTable       *taking;
  /* table name → TableInfo */
  GHashTable       *tables;
  /* unowned: the server holds us through the assembly's lifetime */
  CohortServer     *server;
  CohortDurability *durability;
  guint             renew_source;
  GError           *sync_error;
};

G_DEFINE_FINAL_TYPE (CohortScale, cohort_scale, G_TYPE_OBJECT)

gboolean
cohort_scale_is_database_url (const char *database)
{
  return database != NULL && (g_str_has_prefix (database, "postgresql://") ||
                              g_str_has_prefix (database, "postgres://"));
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
cohort_scale_dispose (GObject *object)
{
  CohortScale *self = COHORT_SCALE (object);

  g_clear_handle_id (&self->renew_source, g_source_remove);
  g_clear_pointer (&self->session, sqlite3session_delete);

  G_OBJECT_CLASS (cohort_scale_parent_class)->dispose (object);
}

static void
cohort_scale_finalize (GObject *object)
{
  CohortScale *self = COHORT_SCALE (object);

  if (self->store != NULL)
    cohort_store_set_commit_hook (self->store, NULL, NULL);
  g_clear_object (&self->store);
  g_clear_object (&self->pg);
  g_clear_object (&self->durability);
  if (self->dir != NULL)
    remove_dir (self->dir);
  g_free (self->dir);
  g_free (self->address);
  g_hash_table_unref (self->leases);
  g_hash_table_unref (self->lost);
  g_hash_table_unref (self->taking);
  g_hash_table_unref (self->tables);
  g_clear_error (&self->sync_error);

  G_OBJECT_CLASS (cohort_scale_parent_class)->finalize (object);
}

static void
cohort_scale_class_init (CohortScaleClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cohort_scale_dispose;
  G_OBJECT_CLASS (klass)->finalize = cohort_scale_finalize;
}

static void
cohort_scale_init (CohortScale *self)
{
  self->leases = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->lost = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->taking = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
  self->tables = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) table_info_free);
}

/* ---- small helpers ---- */

static gint64 *
int64_dup (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

static gboolean
lease_get (CohortScale *self,
           gint64       class_id,
           gint64      *out_epoch)
{
  gint64 *epoch = g_hash_table_lookup (self->leases, &class_id);

  if (epoch == NULL)
    return FALSE;
  if (out_epoch != NULL)
    *out_epoch = *epoch;
  return TRUE;
}

static void
lease_set (CohortScale *self,
           gint64       class_id,
           gint64       epoch)
{
  g_hash_table_insert (self->leases, int64_dup (class_id), int64_dup (epoch));
  g_hash_table_remove (self->lost, &class_id);
}

static char *
int_text (gint64 value)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, value);
}

/* {1,2,3}: a PostgreSQL array literal. */
static char *
int_array_text (GArray *values)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; i < values->len; i++)
    g_string_append_printf (out, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (values, gint64, i));
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static gboolean
db_exec (CohortScale  *self,
         const char   *sql,
         GError      **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) == SQLITE_OK)
    return TRUE;
  g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED, "%s: %s", sql,
               message != NULL ? message : sqlite3_errmsg (self->db));
  sqlite3_free (message);
  return FALSE;
}

/* ---- the working copy's tables ---- */

static gboolean
load_tables (CohortScale  *self,
             GError      **error)
{
  sqlite3_stmt *list = NULL;

  if (sqlite3_prepare_v2 (self->db, "SELECT name FROM sqlite_master WHERE type = 'table' "
                          "AND name NOT LIKE 'sqlite_%'", -1, &list, NULL) != SQLITE_OK)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                   "Could not list the tables: %s", sqlite3_errmsg (self->db));
      return FALSE;
    }

  while (sqlite3_step (list) == SQLITE_ROW)
    {
      TableInfo *info = g_new0 (TableInfo, 1);
      g_autofree char *sql = NULL;
      g_autoptr(GPtrArray) columns = g_ptr_array_new ();
      g_autoptr(GArray) pk_order = g_array_new (FALSE, FALSE, sizeof (int));
      sqlite3_stmt *pragma = NULL;

      info->name = g_strdup ((const char *) sqlite3_column_text (list, 0));
      info->class_col = info->participant_col = info->message_col = -1;
      info->pk = g_array_new (FALSE, FALSE, sizeof (int));
      info->required = g_array_new (FALSE, FALSE, sizeof (gboolean));
      info->integer = g_array_new (FALSE, FALSE, sizeof (gboolean));
      sql = g_strdup_printf ("PRAGMA table_info (\"%s\")", info->name);
      if (sqlite3_prepare_v2 (self->db, sql, -1, &pragma, NULL) == SQLITE_OK)
        while (sqlite3_step (pragma) == SQLITE_ROW)
          {
            int cid = sqlite3_column_int (pragma, 0);
            const char *name = (const char *) sqlite3_column_text (pragma, 1);
            const char *type = (const char *) sqlite3_column_text (pragma, 2);
            gboolean required = sqlite3_column_int (pragma, 3) != 0 &&
                                sqlite3_column_type (pragma, 4) == SQLITE_NULL;
            gboolean integer = type != NULL && strstr (type, "INT") != NULL;
            int pk = sqlite3_column_int (pragma, 5);

            g_ptr_array_add (columns, g_strdup (name));
            g_array_append_val (info->required, required);
            g_array_append_val (info->integer, integer);
            if (g_str_equal (name, "class_id"))
              info->class_col = cid;
            else if (g_str_equal (name, "participant_id"))
              info->participant_col = cid;
            else if (g_str_equal (name, "message_id"))
              info->message_col = cid;
            if (pk > 0)
              {
                if ((guint) pk > pk_order->len)
                  g_array_set_size (pk_order, pk);
                g_array_index (pk_order, int, pk - 1) = cid;
              }
          }
      sqlite3_finalize (pragma);
      g_array_append_vals (info->pk, pk_order->data, pk_order->len);
      info->n_columns = columns->len;
      info->allocates_ids = info->pk->len == 1 &&
                            g_array_index (info->integer, gboolean, g_array_index (info->pk, int, 0));
      g_ptr_array_add (columns, NULL);
      info->columns = (char **) g_ptr_array_steal (columns, NULL);
      g_hash_table_insert (self->tables, info->name, info);
    }
  sqlite3_finalize (list);
  return TRUE;
}

/* Required text columns whose checks allow only some values. */
static const struct
{
  const char *table;
  const char *column;
  const char *value;
} marker_values[] = {
  { "participants", "role", "'student'" },
  { "chat_messages", "channel", "'class'" },
};

static const char *
marker_value (TableInfo  *info,
              int         column)
{
  for (guint i = 0; i < G_N_ELEMENTS (marker_values); i++)
    if (g_str_equal (marker_values[i].table, info->name) &&
        g_str_equal (marker_values[i].column, info->columns[column]))
      return marker_values[i].value;
  if (g_array_index (info->integer, gboolean, column))
    return "0";
  return "'~node-' || ?1";
}

/* One marker row at @base: the id, the class, participant and message
 * columns pointing at the markers, the other required columns 0 or a
 * text no real row has (a credential hash is hex: nobody signs in). */
static gboolean
place_marker (CohortScale *self,
              TableInfo   *info,
              gint64       base)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GString) values = g_string_new (NULL);
  g_autofree char *sql = NULL;
  int pk = g_array_index (info->pk, int, 0);

  for (int i = 0; i < info->n_columns; i++)
    {
      const char *value;

      if (i == pk || i == info->class_col || i == info->participant_col || i == info->message_col)
        value = "?1";
      else if (!g_array_index (info->required, gboolean, i))
        continue;
      else
        value = marker_value (info, i);
      g_string_append_printf (names, "%s\"%s\"", names->len > 0 ? ", " : "", info->columns[i]);
      g_string_append_printf (values, "%s%s", values->len > 0 ? ", " : "", value);
    }
  sql = g_strdup_printf ("INSERT INTO \"%s\" (%s) VALUES (%s)", info->name, names->str, values->str);
  {
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);

    if (rc == SQLITE_OK)
      {
        sqlite3_bind_int64 (stmt, 1, base);
        rc = sqlite3_step (stmt);
      }
    sqlite3_finalize (stmt);
    if (rc != SQLITE_DONE)
      {
        g_debug ("No id marker in %s: %s", info->name, sqlite3_errmsg (self->db));
        return FALSE;
      }
  }
  return TRUE;
}

/* Every table whose ids SQLite allocates gets a marker row at the start
 * of the block; "largest id + 1" then allocates inside it. A table whose
 * checks refuse any marker keeps allocating after the largest id it
 * holds (docs/architecture-scale.md, "What remains"). Foreign keys are
 * off around it (the markers point at each other). */
static gboolean
place_range_markers (CohortScale  *self,
                     gint64        range,
                     GError      **error)
{
  static const char * const first[] = { "classes", "participants", "chat_messages" };
  gint64 base = range << RANGE_BITS;
  GHashTableIter iter;
  TableInfo *info;

  self->range = range;
  for (guint i = 0; i < G_N_ELEMENTS (first); i++)
    {
      info = g_hash_table_lookup (self->tables, first[i]);
      if (info == NULL || !place_marker (self, info, base))
        {
          g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                       "Could not place the id marker of %s: %s", first[i],
                       sqlite3_errmsg (self->db));
          return FALSE;
        }
      info->has_marker = TRUE;
    }
  g_hash_table_iter_init (&iter, self->tables);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &info))
    if (info->allocates_ids && !g_str_equal (info->name, "classes") &&
        !g_str_equal (info->name, "participants") && !g_str_equal (info->name, "chat_messages"))
      info->has_marker = place_marker (self, info, base);
  return TRUE;
}

/* TRUE when some id the working copy holds lies above its block: the
 * next one SQLite allocates would be another node's. */
static gboolean
range_overrun (CohortScale *self)
{
  gint64 end = (self->range + 1) << RANGE_BITS;
  GHashTableIter iter;
  TableInfo *info;

  g_hash_table_iter_init (&iter, self->tables);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &info))
    {
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt = NULL;
      gint64 max = 0;

      if (!info->has_marker)
        continue;
      sql = g_strdup_printf ("SELECT max(\"%s\") FROM \"%s\"",
                             info->columns[g_array_index (info->pk, int, 0)], info->name);
      if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        max = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      if (max >= end)
        return TRUE;
    }
  return FALSE;
}

static gboolean
reset_session (CohortScale  *self,
               GError      **error)
{
  g_clear_pointer (&self->session, sqlite3session_delete);
  if (sqlite3session_create (self->db, "main", &self->session) != SQLITE_OK ||
      sqlite3session_attach (self->session, NULL) != SQLITE_OK)
    {
      g_clear_pointer (&self->session, sqlite3session_delete);
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                   "Could not record the working copy's changes: %s", sqlite3_errmsg (self->db));
      return FALSE;
    }
  return TRUE;
}

/* ---- which classes a change touches ---- */

static sqlite3_value *
change_value (sqlite3_changeset_iter *iter,
              int                     op,
              int                     column)
{
  sqlite3_value *value = NULL;

  if (op != SQLITE_DELETE && sqlite3changeset_new (iter, column, &value) == SQLITE_OK &&
      value != NULL)
    return value;
  value = NULL;
  if (op != SQLITE_INSERT && sqlite3changeset_old (iter, column, &value) == SQLITE_OK)
    return value;
  return NULL;
}

static gint64
lookup_int (CohortScale *self,
            const char  *sql,
            gint64       key)
{
  sqlite3_stmt *stmt = NULL;
  gint64 out = 0;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, key);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        out = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return out;
}

/* The row's @column, read from the working copy by its primary key (an
 * update carries only the columns it changed). */
static gint64
lookup_column (CohortScale            *self,
               TableInfo              *info,
               sqlite3_changeset_iter *iter,
               int                     op,
               int                     column)
{
  g_autoptr(GString) sql = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  gint64 out = 0;

  if (info->pk->len == 0)
    return 0;
  g_string_printf (sql, "SELECT \"%s\" FROM \"%s\" WHERE ", info->columns[column], info->name);
  for (guint i = 0; i < info->pk->len; i++)
    g_string_append_printf (sql, "%s\"%s\" = ?%u", i > 0 ? " AND " : "",
                            info->columns[g_array_index (info->pk, int, i)], i + 1);
  if (sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL) == SQLITE_OK)
    {
      for (guint i = 0; i < info->pk->len; i++)
        {
          sqlite3_value *value = change_value (iter, op, g_array_index (info->pk, int, i));

          if (value != NULL)
            sqlite3_bind_value (stmt, i + 1, value);
        }
      if (sqlite3_step (stmt) == SQLITE_ROW)
        out = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return out;
}

static gint64
column_int (CohortScale            *self,
            TableInfo              *info,
            sqlite3_changeset_iter *iter,
            int                     op,
            int                     column)
{
  sqlite3_value *value = change_value (iter, op, column);

  if (value != NULL && sqlite3_value_type (value) == SQLITE_INTEGER)
    return sqlite3_value_int64 (value);
  return lookup_column (self, info, iter, op, column);
}

/* The class of one change, or 0 when its table does not tell (global). */
static gint64
change_class (CohortScale            *self,
              TableInfo              *info,
              sqlite3_changeset_iter *iter,
              int                     op)
{
  gint64 key;

  if (g_str_equal (info->name, "classes"))
    return column_int (self, info, iter, op, 0);
  if (info->class_col >= 0)
    return column_int (self, info, iter, op, info->class_col);
  if (info->participant_col >= 0 &&
      (key = column_int (self, info, iter, op, info->participant_col)) != 0)
    return lookup_int (self, "SELECT class_id FROM participants WHERE id = ?1", key);
  if (info->message_col >= 0 &&
      (key = column_int (self, info, iter, op, info->message_col)) != 0)
    return lookup_int (self, "SELECT class_id FROM chat_messages WHERE id = ?1", key);
  return 0;
}

static char *
value_text (sqlite3_value *value)
{
  return value != NULL ? g_strdup ((const char *) sqlite3_value_text (value)) : NULL;
}

/* What a changeset tells PostgreSQL beside itself: its classes, and the
 * class codes and token hashes it adds (the routing indexes). */
typedef struct
{
  GArray    *classes;  /* gint64, sorted, unique */
  GPtrArray *codes;    /* char *, pairs with code_classes */
  GArray    *code_classes;
  GPtrArray *tokens;
  GArray    *token_classes;
} Summary;

static void
summary_clear (Summary *summary)
{
  g_clear_pointer (&summary->classes, g_array_unref);
  g_clear_pointer (&summary->codes, g_ptr_array_unref);
  g_clear_pointer (&summary->code_classes, g_array_unref);
  g_clear_pointer (&summary->tokens, g_ptr_array_unref);
  g_clear_pointer (&summary->token_classes, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Summary, summary_clear)

static void
add_class (GArray *classes,
           gint64  class_id)
{
  guint i = 0;

  while (i < classes->len && g_array_index (classes, gint64, i) < class_id)
    i++;
  if (i < classes->len && g_array_index (classes, gint64, i) == class_id)
    return;
  g_array_insert_val (classes, i, class_id);
}

static gboolean
summarize (CohortScale  *self,
           int           n_bytes,
           void         *bytes,
           Summary      *out,
           GError      **error)
{
  sqlite3_changeset_iter *iter = NULL;

  out->classes = g_array_new (FALSE, FALSE, sizeof (gint64));
  out->codes = g_ptr_array_new_with_free_func (g_free);
  out->code_classes = g_array_new (FALSE, FALSE, sizeof (gint64));
  out->tokens = g_ptr_array_new_with_free_func (g_free);
  out->token_classes = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (sqlite3changeset_start (&iter, n_bytes, bytes) != SQLITE_OK)
    {
      g_set_error_literal (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                           "Could not read a changeset");
      return FALSE;
    }
  while (sqlite3changeset_next (iter) == SQLITE_ROW)
    {
      const char *table;
      int n_columns, op, indirect;
      TableInfo *info;
      gint64 class_id;

      sqlite3changeset_op (iter, &table, &n_columns, &op, &indirect);
      if ((info = g_hash_table_lookup (self->tables, table)) == NULL)
        continue;
      class_id = change_class (self, info, iter, op);
      if (class_id == 0)
        continue;
      add_class (out->classes, class_id);

      if (op == SQLITE_INSERT && g_str_equal (table, "classes"))
        {
          sqlite3_value *code = NULL;

          sqlite3changeset_new (iter, 1, &code);
          g_ptr_array_add (out->codes, value_text (code));
          g_array_append_val (out->code_classes, class_id);
        }
      else if (op == SQLITE_INSERT && g_str_equal (table, "tokens"))
        {
          sqlite3_value *hash = NULL;

          sqlite3changeset_new (iter, 0, &hash);
          g_ptr_array_add (out->tokens, value_text (hash));
          g_array_append_val (out->token_classes, class_id);
        }
    }
  return sqlite3changeset_finalize (iter) == SQLITE_OK;
}

/* ---- shipping a commit ---- */

static void lose_class (CohortScale *self,
                        gint64       class_id);

typedef struct
{
  CohortScale *self;
  guint64      ticket;
  GArray      *classes;
} Shipment;

static void
on_shipped (GPtrArray    *results,
            const GError *error,
            gpointer      user_data)
{
  Shipment *shipment = user_data;
  CohortScale *self = shipment->self;

  if (error == NULL)
    cohort_durability_ack (self->durability, shipment->ticket);
  else
    {
      g_warning ("A commit did not reach PostgreSQL, its replies are dropped: %s",
                 error->message);
      for (guint i = 0; i < shipment->classes->len; i++)
        lose_class (self, g_array_index (shipment->classes, gint64, i));
      cohort_durability_fail (self->durability, shipment->ticket);
    }
  g_array_unref (shipment->classes);
  g_object_unref (shipment->self);
  g_free (shipment);
}

static void
ship (CohortScale *self,
      Summary     *summary,
      void        *bytes,
      int          n_bytes)
{
  g_autoptr(CohortPgBatch) batch = cohort_pg_batch_new ();
  g_autoptr(GArray) epochs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *node = int_text (self->node_id);
  g_autofree char *lease = g_strdup_printf ("%u", self->lease_seconds);
  g_autofree char *classes_text = NULL;
  g_autofree char *epochs_text = NULL;

  for (guint i = 0; i < summary->classes->len; i++)
    {
      gint64 class_id = g_array_index (summary->classes, gint64, i);
      gint64 epoch;

      /* A class this node made: claimed in the same transaction. */
      if (!lease_get (self, class_id, &epoch) &&
          !g_hash_table_contains (self->lost, &class_id))
        {
          g_autofree char *id = int_text (class_id);
          const char *values[] = { id, node, self->address != NULL ? self->address : "", lease };

          cohort_pg_batch_add (batch,
                               "INSERT INTO class_leases (class_id, node, address, epoch, expires_at) "
                               "VALUES ($1, $2, $3, 1, now () + make_interval (secs => $4)) "
                               "ON CONFLICT (class_id) DO NOTHING",
                               4, values);
          epoch = 1;
          lease_set (self, class_id, epoch);
        }
      else if (g_hash_table_contains (self->lost, &class_id))
        epoch = 0;
      g_array_append_val (epochs, epoch);
    }

  classes_text = int_array_text (summary->classes);
  epochs_text = int_array_text (epochs);
  {
    const char *values[] = { node, classes_text, epochs_text };

    cohort_pg_batch_add_blob (batch,
                              "INSERT INTO cohort_changes (node, classes, epochs, changes) "
                              "VALUES ($1, $2, $3, $4)",
                              3, values, bytes, n_bytes);
  }
  for (guint i = 0; i < summary->codes->len; i++)
    {
      g_autofree char *id = int_text (g_array_index (summary->code_classes, gint64, i));
      const char *values[] = { g_ptr_array_index (summary->codes, i), id };

      cohort_pg_batch_add (batch, "INSERT INTO class_codes (code, class_id) VALUES ($1, $2) "
                                  "ON CONFLICT (code) DO NOTHING", 2, values);
    }
  for (guint i = 0; i < summary->tokens->len; i++)
    {
      g_autofree char *id = int_text (g_array_index (summary->token_classes, gint64, i));
      const char *values[] = { g_ptr_array_index (summary->tokens, i), id };

      cohort_pg_batch_add (batch, "INSERT INTO class_tokens (hash, class_id) VALUES ($1, $2) "
                                  "ON CONFLICT (hash) DO NOTHING", 2, values);
    }

  if (cohort_pg_is_started (self->pg))
    {
      Shipment *shipment = g_new0 (Shipment, 1);

      shipment->self = g_object_ref (self);
      shipment->ticket = cohort_durability_issue (self->durability);
      shipment->classes = g_array_ref (summary->classes);
      cohort_pg_send (self->pg, g_steal_pointer (&batch), on_shipped, shipment);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) results = cohort_pg_run_sync (self->pg, batch, &error);

      if (results == NULL && self->sync_error == NULL)
        self->sync_error = g_steal_pointer (&error);
    }
}

/* The store's commit hook: the transaction's changes go to PostgreSQL. */
static void
on_commit (CohortStore *store,
           gpointer     user_data)
{
  CohortScale *self = user_data;
  g_auto(Summary) summary = { 0 };
  g_autoptr(GError) error = NULL;
  void *bytes = NULL;
  int n_bytes = 0;
  gboolean all_lost = TRUE;

  if (self->session == NULL || sqlite3session_isempty (self->session))
    return;
  if (sqlite3session_changeset (self->session, &n_bytes, &bytes) != SQLITE_OK ||
      !reset_session (self, &error))
    {
      /* The commit is in SQLite but cannot reach PostgreSQL: nothing it
       * says may go out, and this node cannot go on serving safely. */
      g_critical ("Could not record a commit: %s", error ? error->message : sqlite3_errmsg (self->db));
      sqlite3_free (bytes);
      exit (3);
    }
  if (n_bytes == 0 || !summarize (self, n_bytes, bytes, &summary, &error))
    {
      if (error != NULL)
        g_warning ("%s", error->message);
      sqlite3_free (bytes);
      return;
    }

  /* Only the stale rows of classes this node lost changed: nothing to
   * tell anyone; the rows go when the class is loaded again. */
  for (guint i = 0; i < summary.classes->len; i++)
    if (!g_hash_table_contains (self->lost, &g_array_index (summary.classes, gint64, i)))
      all_lost = FALSE;
  if (summary.classes->len == 0 || !all_lost)
    ship (self, &summary, bytes, n_bytes);
  sqlite3_free (bytes);
}

/* ---- loading a class ---- */

static int
on_apply_conflict (void                   *user_data,
                   int                     conflict,
                   sqlite3_changeset_iter *iter)
{
  /* Replaying the log in order: the later write wins. */
  if (conflict == SQLITE_CHANGESET_DATA || conflict == SQLITE_CHANGESET_CONFLICT)
    return SQLITE_CHANGESET_REPLACE;
  return SQLITE_CHANGESET_OMIT;
}

/* Deletes the class's rows from the working copy, rows found through a
 * participant or a message first. */
static gboolean
purge_class (CohortScale  *self,
             gint64        class_id,
             GError      **error)
{
  GHashTableIter iter;
  TableInfo *info;

  for (guint pass = 0; pass < 3; pass++)
    {
      g_hash_table_iter_init (&iter, self->tables);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &info))
        {
          g_autofree char *sql = NULL;

          if (pass == 0 && info->class_col < 0 && info->participant_col >= 0)
            sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE participant_id IN "
                                   "(SELECT id FROM participants WHERE class_id = %" G_GINT64_FORMAT ")",
                                   info->name, class_id);
          else if (pass == 0 && info->class_col < 0 && info->message_col >= 0)
            sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE message_id IN "
                                   "(SELECT id FROM chat_messages WHERE class_id = %" G_GINT64_FORMAT ")",
                                   info->name, class_id);
          else if (pass == 1 && info->class_col >= 0)
            sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE class_id = %" G_GINT64_FORMAT,
                                   info->name, class_id);
          else if (pass == 2 && g_str_equal (info->name, "classes"))
            sql = g_strdup_printf ("DELETE FROM classes WHERE id = %" G_GINT64_FORMAT, class_id);
          if (sql != NULL && !db_exec (self, sql, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Replays @changes (rows of lsn, changes, number of classes) onto the
 * working copy, the class's own rows purged first. Nothing of it is
 * shipped back: the session is off meanwhile. */
static gboolean
load_class (CohortScale  *self,
            gint64        class_id,
            PGresult     *changes,
            GError      **error)
{
  gboolean ok;

  sqlite3session_enable (self->session, 0);
  ok = db_exec (self, "PRAGMA foreign_keys = OFF", error) &&
       db_exec (self, "BEGIN IMMEDIATE", error) &&
       (class_id == 0 || purge_class (self, class_id, error));

  for (int row = 0; ok && changes != NULL && row < PQntuples (changes); row++)
    {
      gint64 lsn = cohort_pg_result_int (changes, row, 0);
      size_t length = 0;
      unsigned char *bytes = PQunescapeBytea ((const unsigned char *) PQgetvalue (changes, row, 1),
                                              &length);
      int rc;

      if (bytes == NULL)
        {
          g_set_error_literal (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                               "Could not read a change from PostgreSQL");
          ok = FALSE;
          break;
        }
      rc = sqlite3changeset_apply (self->db, (int) length, bytes, NULL, on_apply_conflict, NULL);
      PQfreemem (bytes);
      if (rc != SQLITE_OK)
        {
          g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                       "Could not apply change %" G_GINT64_FORMAT ": %s", lsn,
                       sqlite3_errmsg (self->db));
          ok = FALSE;
          break;
        }
      if (cohort_pg_result_int (changes, row, 2) == 0)
        self->global_lsn = MAX (self->global_lsn, lsn);
    }

  if (ok)
    ok = db_exec (self, "COMMIT", error);
  else
    db_exec (self, "ROLLBACK", NULL);

  /* Ids from a newer node's block: move on to a fresh block of our own. */
  if (ok && range_overrun (self))
    {
      if (self->spare_range == 0)
        {
          g_set_error_literal (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                               "No spare id block yet");
          ok = FALSE;
        }
      else
        {
          ok = place_range_markers (self, self->spare_range, error);
          self->spare_range = 0;
        }
    }
  db_exec (self, "PRAGMA foreign_keys = ON", NULL);
  sqlite3session_enable (self->session, 1);
  return ok;
}

/* ---- routing joins and resumes ---- */

typedef struct
{
  CohortScale      *self;
  CohortConnection *conn;
  CohortMessage    *request;
  guint             attempts;
} Route;

static void
route_free (Route *route)
{
  g_object_unref (route->self);
  g_object_unref (route->conn);
  cohort_message_unref (route->request);
  g_free (route);
}

static void route_lookup       (Route       *route);
static void refill_spare_range (CohortScale *self);

static void
route_run (Route *route)
{
  _cohort_server_run_routed (route->self->server, route->conn, route->request);
  route_free (route);
}

static void
route_fail (Route        *route,
            const GError *error)
{
  g_warning ("Could not route a %s: %s", cohort_message_get_name (route->request),
             error != NULL ? error->message : "unknown");
  _cohort_server_send_not_saved (route->conn, cohort_message_get_id (route->request));
  route_free (route);
}

/* The participants the old owner left marked online are offline here,
 * as after a restart (cohort_server_recover). */
static gboolean
mark_offline (CohortScale  *self,
              gint64        class_id,
              GError      **error)
{
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();

  if (!(participants = cohort_store_list_participants (self->store, class_id, error)))
    return FALSE;
  if (!cohort_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < participants->len; i++)
    {
      CohortParticipantRecord *p = g_ptr_array_index (participants, i);
      JsonObject *body;

      if (!p->online || _cohort_server_is_online (self->server, p->id))
        continue;
      body = json_object_new ();
      json_object_set_int_member (body, "participant_id", p->id);
      json_object_set_boolean_member (body, "online", FALSE);
      if (!cohort_store_set_online (self->store, p->id, FALSE, error))
        {
          json_object_unref (body);
          cohort_store_rollback (self->store);
          return FALSE;
        }
      if (!_cohort_server_emit_event (self->server, pending, class_id,
                                      COHORT_EV_PARTICIPANT_PRESENCE, body, error))
        {
          cohort_store_rollback (self->store);
          return FALSE;
        }
    }
  if (!cohort_store_commit (self->store, error))
    {
      cohort_store_rollback (self->store);
      return FALSE;
    }
  _cohort_server_broadcast (self->server, pending);
  return TRUE;
}

typedef struct
{
  CohortScale *self;
  gint64       class_id;
} Taking;

static void
on_taken (GPtrArray    *results,
          const GError *error,
          gpointer      user_data)
{
  Taking *taking = user_data;
  CohortScale *self = taking->self;
  gint64 class_id = taking->class_id;
  g_autoptr(GPtrArray) waiters = NULL;
  g_autoptr(GError) load_error = NULL;
  g_autofree gint64 *key = NULL;
  gint64 epoch;

  g_hash_table_steal_extended (self->taking, &class_id, (gpointer *) &key, (gpointer *) &waiters);
  g_free (taking);
  g_return_if_fail (waiters != NULL);

  if (error != NULL)
    {
      for (guint i = 0; i < waiters->len; i++)
        route_fail (g_ptr_array_index (waiters, i), error);
      g_ptr_array_set_size (waiters, 0);
      g_object_unref (self);
      return;
    }

  /* Taken by another node meanwhile: ask again, which sends them on. */
  if (PQntuples (g_ptr_array_index (results, 0)) == 0)
    {
      for (guint i = 0; i < waiters->len; i++)
        route_lookup (g_ptr_array_index (waiters, i));
      g_ptr_array_set_size (waiters, 0);
      g_object_unref (self);
      return;
    }

  epoch = cohort_pg_result_int (g_ptr_array_index (results, 0), 0, 0);
  g_message ("Took class %" G_GINT64_FORMAT " at epoch %" G_GINT64_FORMAT, class_id, epoch);
  lease_set (self, class_id, epoch);
  if (!load_class (self, class_id, g_ptr_array_index (results, 1), &load_error) ||
      !mark_offline (self, class_id, &load_error))
    {
      g_hash_table_remove (self->leases, &class_id);
      for (guint i = 0; i < waiters->len; i++)
        route_fail (g_ptr_array_index (waiters, i), load_error);
      g_ptr_array_set_size (waiters, 0);
      g_object_unref (self);
      return;
    }

  refill_spare_range (self);
  for (guint i = 0; i < waiters->len; i++)
    route_run (g_ptr_array_index (waiters, i));
  g_ptr_array_set_size (waiters, 0);
  g_object_unref (self);
}

static void
take_class (Route  *route,
            gint64  class_id)
{
  CohortScale *self = route->self;
  g_autoptr(CohortPgBatch) batch = NULL;
  g_autofree char *id = NULL;
  g_autofree char *node = NULL;
  g_autofree char *lease = NULL;
  g_autofree char *global = NULL;
  GPtrArray *waiters = g_hash_table_lookup (self->taking, &class_id);
  Taking *taking;

  /* Several clients of the class arrive together: one take-over. */
  if (waiters != NULL)
    {
      g_ptr_array_add (waiters, route);
      return;
    }
  waiters = g_ptr_array_new ();
  g_ptr_array_add (waiters, route);
  g_hash_table_insert (self->taking, int64_dup (class_id), waiters);

  id = int_text (class_id);
  node = int_text (self->node_id);
  lease = g_strdup_printf ("%u", self->lease_seconds);
  global = int_text (self->global_lsn);
  batch = cohort_pg_batch_new ();
  {
    const char *values[] = { id, node, self->address, lease };

    cohort_pg_batch_add (batch,
                         "UPDATE class_leases SET node = $2, address = $3, epoch = epoch + 1, "
                         "expires_at = now () + make_interval (secs => $4) "
                         "WHERE class_id = $1 AND (expires_at <= now () OR node = $2) "
                         "RETURNING epoch",
                         4, values);
  }
  {
    const char *values[] = { id, global };

    cohort_pg_batch_add (batch,
                         "SELECT lsn, changes, cardinality (classes) FROM cohort_changes "
                         "WHERE $1 = ANY (classes) OR (cardinality (classes) = 0 AND lsn > $2) "
                         "ORDER BY lsn",
                         2, values);
  }
  taking = g_new0 (Taking, 1);
  taking->self = g_object_ref (self);
  taking->class_id = class_id;
  cohort_pg_send (self->pg, g_steal_pointer (&batch), on_taken, taking);
}

static void
on_looked_up (GPtrArray    *results,
              const GError *error,
              gpointer      user_data)
{
  Route *route = user_data;
  CohortScale *self = route->self;
  PGresult *row;
  gint64 class_id, node, epoch, mine;
  gboolean live;

  if (error != NULL)
    {
      route_fail (route, error);
      return;
    }

  row = g_ptr_array_index (results, 0);
  /* No such class anywhere: the request runs here and says so. */
  if (PQntuples (row) == 0)
    {
      route_run (route);
      return;
    }

  class_id = cohort_pg_result_int (row, 0, 0);
  node = cohort_pg_result_int (row, 0, 1);
  epoch = cohort_pg_result_int (row, 0, 3);
  live = !PQgetisnull (row, 0, 4) && g_str_equal (PQgetvalue (row, 0, 4), "t");

  if (node == self->node_id && lease_get (self, class_id, &mine) && mine == epoch)
    route_run (route);
  else if (live && node != self->node_id)
    {
      g_autoptr(CohortMessage) moved = cohort_message_new_moved (cohort_message_get_id (route->request),
                                                                 PQgetvalue (row, 0, 2));

      _cohort_server_send_message (route->conn, moved);
      route_free (route);
    }
  else if (++route->attempts > MAX_ROUTE_ATTEMPTS)
    {
      g_autoptr(GError) busy = g_error_new (COHORT_PG_ERROR, COHORT_PG_ERROR_FAILED,
                                            "Class %" G_GINT64_FORMAT " keeps changing hands",
                                            class_id);
      route_fail (route, busy);
    }
  else
    take_class (route, class_id);
}

static void
route_lookup (Route *route)
{
  g_autoptr(CohortPgBatch) batch = cohort_pg_batch_new ();
  JsonObject *body = cohort_message_get_body (route->request);

  if (g_str_equal (cohort_message_get_name (route->request), COHORT_REQ_RESUME))
    {
      g_autofree char *hash = cohort_secret_hash (json_object_get_string_member (body, "token"));
      const char *values[] = { hash };

      cohort_pg_batch_add (batch,
                           "SELECT t.class_id, l.node, l.address, l.epoch, l.expires_at > now () "
                           "FROM class_tokens t LEFT JOIN class_leases l USING (class_id) "
                           "WHERE t.hash = $1",
                           1, values);
    }
  else
    {
      g_autofree char *code = cohort_protocol_normalize_code (json_object_get_string_member (body, "code"));
      const char *values[] = { code };

      /* A personal code (docs/protocol.md) is not indexed: it works on
       * the class's owner only. */
      if (code == NULL)
        {
          route_run (route);
          return;
        }
      cohort_pg_batch_add (batch,
                           "SELECT c.class_id, l.node, l.address, l.epoch, l.expires_at > now () "
                           "FROM class_codes c LEFT JOIN class_leases l USING (class_id) "
                           "WHERE c.code = $1",
                           1, values);
    }
  cohort_pg_send (route->self->pg, g_steal_pointer (&batch), on_looked_up, route);
}

/* The server's router: joins and resumes wait for their class's owner. */
static gboolean
on_route (CohortServer     *server,
          CohortConnection *conn,
          CohortMessage    *request,
          gpointer          user_data)
{
  CohortScale *self = user_data;
  const char *type = cohort_message_get_name (request);
  Route *route;

  if (!g_str_equal (type, COHORT_REQ_CLASS_JOIN) && !g_str_equal (type, COHORT_REQ_RESUME))
    return FALSE;

  route = g_new0 (Route, 1);
  route->self = g_object_ref (self);
  route->conn = g_object_ref (conn);
  route->request = cohort_message_ref (request);
  route_lookup (route);
  return TRUE;
}

/* ---- leases ---- */

static void
close_connection (gpointer data,
                  gpointer user_data)
{
  cohort_connection_close (data, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "moved");
}

/* Another node has the class now: its clients reconnect (and are sent
 * there); its rows here are stale until it is loaded again. */
static void
lose_class (CohortScale *self,
            gint64       class_id)
{
  if (g_hash_table_contains (self->lost, &class_id))
    return;
  g_message ("Lost the lease of class %" G_GINT64_FORMAT, class_id);
  g_hash_table_remove (self->leases, &class_id);
  g_hash_table_add (self->lost, int64_dup (class_id));
  if (self->server != NULL)
    _cohort_server_foreach_connection (self->server, class_id, close_connection, NULL);
}

typedef struct
{
  CohortScale *self;
  GArray      *classes;
} Renewal;

static void
on_renewed (GPtrArray    *results,
            const GError *error,
            gpointer      user_data)
{
  Renewal *renewal = user_data;
  CohortScale *self = renewal->self;

  if (error != NULL)
    g_warning ("Could not renew the leases: %s", error->message);
  else
    {
      PGresult *kept = g_ptr_array_index (results, 0);
      g_autoptr(GHashTable) still = g_hash_table_new (g_int64_hash, g_int64_equal);
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (int row = 0; row < PQntuples (kept); row++)
        {
          gint64 id = cohort_pg_result_int (kept, row, 0);

          g_array_append_val (ids, id);
        }
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_add (still, &g_array_index (ids, gint64, i));
      for (guint i = 0; i < renewal->classes->len; i++)
        {
          gint64 class_id = g_array_index (renewal->classes, gint64, i);

          if (!g_hash_table_contains (still, &class_id) && lease_get (self, class_id, NULL))
            lose_class (self, class_id);
        }
    }
  g_array_unref (renewal->classes);
  g_object_unref (renewal->self);
  g_free (renewal);
}

static gboolean
on_renew (gpointer user_data)
{
  CohortScale *self = user_data;
  g_autoptr(CohortPgBatch) batch = NULL;
  g_autoptr(GArray) classes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) epochs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *classes_text = NULL;
  g_autofree char *epochs_text = NULL;
  g_autofree char *node = int_text (self->node_id);
  g_autofree char *lease = g_strdup_printf ("%u", self->lease_seconds);
  GHashTableIter iter;
  gpointer key, value;
  Renewal *renewal;

  g_hash_table_iter_init (&iter, self->leases);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_array_append_val (classes, *(gint64 *) key);
      g_array_append_val (epochs, *(gint64 *) value);
    }
  if (classes->len == 0)
    return G_SOURCE_CONTINUE;

  classes_text = int_array_text (classes);
  epochs_text = int_array_text (epochs);
  batch = cohort_pg_batch_new ();
  {
    const char *values[] = { classes_text, epochs_text, node, lease };

    cohort_pg_batch_add (batch,
                         "UPDATE class_leases l SET expires_at = now () + make_interval (secs => $4) "
                         "FROM unnest ($1::bigint[], $2::bigint[]) AS mine (class_id, epoch) "
                         "WHERE l.class_id = mine.class_id AND l.epoch = mine.epoch AND l.node = $3 "
                         "RETURNING l.class_id",
                         4, values);
  }
  renewal = g_new0 (Renewal, 1);
  renewal->self = g_object_ref (self);
  renewal->classes = g_steal_pointer (&classes);
  cohort_pg_send (self->pg, g_steal_pointer (&batch), on_renewed, renewal);
  return G_SOURCE_CONTINUE;
}

static void
on_spare_range (GPtrArray    *results,
                const GError *error,
                gpointer      user_data)
{
  CohortScale *self = user_data;

  if (error == NULL)
    self->spare_range = cohort_pg_result_int (g_ptr_array_index (results, 0), 0, 0);
  else
    g_warning ("Could not reserve an id block: %s", error->message);
  g_object_unref (self);
}

/* The next id block, for when a load brings ids above this one. */
static void
refill_spare_range (CohortScale *self)
{
  g_autoptr(CohortPgBatch) batch = NULL;

  if (self->spare_range != 0 || !cohort_pg_is_started (self->pg))
    return;
  batch = cohort_pg_batch_new ();
  cohort_pg_batch_add (batch, "SELECT nextval ('cohort_id_ranges')", 0, NULL);
  cohort_pg_send (self->pg, g_steal_pointer (&batch), on_spare_range, g_object_ref (self));
}

static void
on_pg_lost (CohortPg *pg,
            gpointer  user_data)
{
  /* Nothing can be made durable any more: stop, so that the clients go
   * to a node that can (docs/architecture-scale.md). */
  g_critical ("Lost the connection to PostgreSQL; stopping this node");
  exit (3);
}

/* ---- opening ---- */

static gint64
fetch_int_sync (CohortScale  *self,
                const char   *sql,
                GError      **error)
{
  g_autoptr(CohortPgBatch) batch = cohort_pg_batch_new ();
  g_autoptr(GPtrArray) results = NULL;

  cohort_pg_batch_add (batch, sql, 0, NULL);
  if (!(results = cohort_pg_run_sync (self->pg, batch, error)))
    return 0;
  return cohort_pg_result_int (g_ptr_array_index (results, 0), 0, 0);
}

CohortScale *
cohort_scale_open (const char  *conninfo,
                   guint        lease_seconds,
                   GError     **error)
{
  g_autoptr(CohortScale) self = g_object_new (COHORT_TYPE_SCALE, NULL);
  g_autoptr(CohortPgBatch) globals = cohort_pg_batch_new ();
  g_autoptr(GPtrArray) results = NULL;
  g_autofree char *path = NULL;
  gint64 range;

  self->lease_seconds = lease_seconds;
  if (!(self->pg = cohort_pg_connect (conninfo, error)) ||
      !cohort_pg_schema_migrate (self->pg, error) ||
      !(self->node_id = fetch_int_sync (self, "INSERT INTO cohort_nodes DEFAULT VALUES RETURNING id",
                                        error)) ||
      !(range = fetch_int_sync (self, "SELECT nextval ('cohort_id_ranges')", error)) ||
      !(self->spare_range = fetch_int_sync (self, "SELECT nextval ('cohort_id_ranges')", error)))
    return NULL;

  /* The working copy: this run's alone, PostgreSQL being the truth. */
  if (!(self->dir = g_dir_make_tmp ("cohort-node-XXXXXX", error)))
    return NULL;
  path = g_build_filename (self->dir, "working.db", NULL);
  if (!(self->store = cohort_store_open (path, error)))
    return NULL;
  self->db = _cohort_store_get_db (self->store);
  /* The working copy is thrown away with the run: PostgreSQL makes a
   * commit durable, so SQLite's own fsync per commit only costs time on
   * the server's thread. */
  if (!db_exec (self, "PRAGMA synchronous = OFF", error) ||
      !load_tables (self, error) ||
      !db_exec (self, "PRAGMA foreign_keys = OFF", error) ||
      !place_range_markers (self, range, error) ||
      !db_exec (self, "PRAGMA foreign_keys = ON", error) ||
      !reset_session (self, error))
    return NULL;

  /* Staff accounts and other rows of no class. */
  cohort_pg_batch_add (globals, "SELECT lsn, changes, 0 FROM cohort_changes "
                                "WHERE cardinality (classes) = 0 ORDER BY lsn", 0, NULL);
  if (!(results = cohort_pg_run_sync (self->pg, globals, error)) ||
      !load_class (self, 0, g_ptr_array_index (results, 0), error))
    return NULL;

  cohort_store_set_commit_hook (self->store, on_commit, self);
  self->durability = cohort_durability_new ();
  g_message ("Node %" G_GINT64_FORMAT " on PostgreSQL, ids from block %" G_GINT64_FORMAT,
             self->node_id, range);
  return g_steal_pointer (&self);
}

CohortStore *
cohort_scale_get_store (CohortScale *self)
{
  g_return_val_if_fail (COHORT_IS_SCALE (self), NULL);

  return self->store;
}

gboolean
cohort_scale_check (CohortScale  *self,
                    GError      **error)
{
  g_return_val_if_fail (COHORT_IS_SCALE (self), FALSE);

  if (self->sync_error == NULL)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&self->sync_error));
  return FALSE;
}

void
cohort_scale_stop (CohortScale *self)
{
  g_return_if_fail (COHORT_IS_SCALE (self));

  g_clear_handle_id (&self->renew_source, g_source_remove);
  g_clear_pointer (&self->session, sqlite3session_delete);
  cohort_store_set_commit_hook (self->store, NULL, NULL);
}

gboolean
cohort_scale_attach (CohortScale   *self,
                     CohortServer  *server,
                     const char    *address,
                     GError       **error)
{
  g_return_val_if_fail (COHORT_IS_SCALE (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  if (!cohort_scale_check (self, error) || !cohort_pg_start (self->pg, error))
    return FALSE;
  self->server = server;
  self->address = g_strdup (address);
  g_signal_connect (self->pg, "lost", G_CALLBACK (on_pg_lost), self);
  _cohort_server_set_durability (server, self->durability);
  _cohort_server_set_router (server, on_route, self);
  /* Renewed three times a lease: one lost round trip is not a lost class. */
  self->renew_source = g_timeout_add (MAX (self->lease_seconds * 1000 / 3, 100), on_renew, self);

  refill_spare_range (self);
  return TRUE;
}

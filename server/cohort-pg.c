/* cohort-pg.c: one PostgreSQL connection on the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-pg"

#include "config.h"

#include <glib-unix.h>

#include "cohort-pg.h"

G_DEFINE_QUARK (cohort-pg-error-quark, cohort_pg_error)

/* The SQLSTATE the fencing trigger raises (docs/architecture-scale.md). */
#define STALE_EPOCH_SQLSTATE "CH001"

typedef struct
{
  const char *sql;
  guint       n_values;
  char      **values;
  int        *lengths;
  int        *formats;
} Statement;

struct _CohortPgBatch
{
  GArray *statements;  /* Statement */
};

static void
statement_clear (gpointer data)
{
  Statement *st = data;

  for (guint i = 0; i < st->n_values; i++)
    g_free (st->values[i]);
  g_free (st->values);
  g_free (st->lengths);
  g_free (st->formats);
}

CohortPgBatch *
cohort_pg_batch_new (void)
{
  CohortPgBatch *batch = g_new0 (CohortPgBatch, 1);

  batch->statements = g_array_new (FALSE, TRUE, sizeof (Statement));
  g_array_set_clear_func (batch->statements, statement_clear);
  return batch;
}

void
cohort_pg_batch_free (CohortPgBatch *batch)
{
  if (batch == NULL)
    return;
  g_array_unref (batch->statements);
  g_free (batch);
}

static Statement *
batch_append (CohortPgBatch      *batch,
              const char         *sql,
              guint               n_params,
              guint               n_values,
              const char * const *values)
{
  Statement st = { sql, n_params, g_new0 (char *, n_params), g_new0 (int, n_params),
                   g_new0 (int, n_params) };

  for (guint i = 0; i < n_values; i++)
    st.values[i] = g_strdup (values[i]);
  g_array_append_val (batch->statements, st);
  return &g_array_index (batch->statements, Statement, batch->statements->len - 1);
}

void
cohort_pg_batch_add (CohortPgBatch      *batch,
                     const char         *sql,
                     guint               n_values,
                     const char * const *values)
{
  batch_append (batch, sql, n_values, n_values, values);
}

void
cohort_pg_batch_add_blob (CohortPgBatch      *batch,
                          const char         *sql,
                          guint               n_values,
                          const char * const *values,
                          gconstpointer       blob,
                          gsize               blob_length)
{
  Statement *st = batch_append (batch, sql, n_values + 1, n_values, values);

  st->values[n_values] = g_memdup2 (blob, MAX (blob_length, 1));
  st->lengths[n_values] = (int) blob_length;
  st->formats[n_values] = 1;
}

/* A batch sent, waiting for its results. */
typedef struct
{
  CohortPgBatch *batch;
  CohortPgDone   done;
  gpointer       user_data;
  GPtrArray     *results;   /* PGresult, one per statement */
  guint          current;   /* the statement whose results come next */
  GError        *error;
} InFlight;

static void
in_flight_free (InFlight *f)
{
  cohort_pg_batch_free (f->batch);
  g_ptr_array_unref (f->results);
  g_clear_error (&f->error);
  g_free (f);
}

struct _CohortPg
{
  GObject  parent_instance;

  PGconn  *conn;
  gboolean started;
  gboolean lost;
  GQueue   in_flight;   /* InFlight, oldest first */
  guint    read_source;
  guint    write_source;
};

G_DEFINE_FINAL_TYPE (CohortPg, cohort_pg, G_TYPE_OBJECT)

enum {
  LOST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
cohort_pg_finalize (GObject *object)
{
  CohortPg *self = COHORT_PG (object);

  g_clear_handle_id (&self->read_source, g_source_remove);
  g_clear_handle_id (&self->write_source, g_source_remove);
  g_queue_clear_full (&self->in_flight, (GDestroyNotify) in_flight_free);
  g_clear_pointer (&self->conn, PQfinish);

  G_OBJECT_CLASS (cohort_pg_parent_class)->finalize (object);
}

static void
cohort_pg_class_init (CohortPgClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_pg_finalize;

  /**
   * CohortPg::lost:
   *
   * The connection broke; every batch in flight failed with
   * COHORT_PG_ERROR_LOST.
   */
  signals[LOST] = g_signal_new ("lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cohort_pg_init (CohortPg *self)
{
  g_queue_init (&self->in_flight);
}

static GError *
result_error (PGresult *result)
{
  const char *state = PQresultErrorField (result, PG_DIAG_SQLSTATE);
  g_autofree char *message = g_strstrip (g_strdup (PQresultErrorMessage (result)));

  return g_error_new (COHORT_PG_ERROR,
                      g_strcmp0 (state, STALE_EPOCH_SQLSTATE) == 0 ? COHORT_PG_ERROR_STALE_EPOCH
                                                                   : COHORT_PG_ERROR_FAILED,
                      "PostgreSQL: %s", message);
}

CohortPg *
cohort_pg_connect (const char  *conninfo,
                   GError     **error)
{
  g_autoptr(CohortPg) self = g_object_new (COHORT_TYPE_PG, NULL);

  self->conn = PQconnectdb (conninfo);
  if (PQstatus (self->conn) != CONNECTION_OK)
    {
      g_set_error (error, COHORT_PG_ERROR, COHORT_PG_ERROR_LOST,
                   "Could not connect to PostgreSQL: %s", PQerrorMessage (self->conn));
      return NULL;
    }
  return g_steal_pointer (&self);
}

static PGresult *
exec_statement (CohortPg        *self,
                const Statement *st)
{
  return PQexecParams (self->conn, st->sql, (int) st->n_values, NULL,
                       (const char * const *) st->values, st->lengths, st->formats, 0);
}

static gboolean
result_ok (PGresult  *result,
           GError   **error)
{
  ExecStatusType status = PQresultStatus (result);

  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
    return TRUE;
  g_propagate_error (error, result_error (result));
  return FALSE;
}

gboolean
cohort_pg_exec_sync (CohortPg     *self,
                     const char   *sql,
                     GError      **error)
{
  PGresult *result;
  gboolean ok;

  g_return_val_if_fail (COHORT_IS_PG (self) && !self->started, FALSE);

  result = PQexec (self->conn, sql);
  ok = result_ok (result, error);
  PQclear (result);
  return ok;
}

GPtrArray *
cohort_pg_run_sync (CohortPg       *self,
                    CohortPgBatch  *batch,
                    GError        **error)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func ((GDestroyNotify) PQclear);
  gboolean several = batch->statements->len > 1;

  g_return_val_if_fail (COHORT_IS_PG (self) && !self->started, NULL);

  /* One transaction, as a pipeline's batch is. */
  if (several && !cohort_pg_exec_sync (self, "BEGIN", error))
    return NULL;
  for (guint i = 0; i < batch->statements->len; i++)
    {
      PGresult *result = exec_statement (self, &g_array_index (batch->statements, Statement, i));

      g_ptr_array_add (results, result);
      if (!result_ok (result, error))
        {
          if (several)
            PQclear (PQexec (self->conn, "ROLLBACK"));
          return NULL;
        }
    }
  if (several && !cohort_pg_exec_sync (self, "COMMIT", error))
    return NULL;
  return g_steal_pointer (&results);
}

static void
fail_all (CohortPg *self)
{
  g_autoptr(GError) error = g_error_new (COHORT_PG_ERROR, COHORT_PG_ERROR_LOST,
                                         "The connection to PostgreSQL was lost: %s",
                                         PQerrorMessage (self->conn));
  InFlight *f;

  if (self->lost)
    return;
  self->lost = TRUE;
  g_clear_handle_id (&self->read_source, g_source_remove);
  g_clear_handle_id (&self->write_source, g_source_remove);
  while ((f = g_queue_pop_head (&self->in_flight)) != NULL)
    {
      f->done (NULL, error, f->user_data);
      in_flight_free (f);
    }
  g_signal_emit (self, signals[LOST], 0);
}

static gboolean on_writable (int fd, GIOCondition condition, gpointer user_data);

/* Sends what libpq still buffers; watches for room while it cannot. */
static void
flush (CohortPg *self)
{
  int pending = PQflush (self->conn);

  if (pending < 0)
    {
      fail_all (self);
      return;
    }
  if (pending > 0 && self->write_source == 0)
    self->write_source = g_unix_fd_add (PQsocket (self->conn), G_IO_OUT, on_writable, self);
  else if (pending == 0)
    g_clear_handle_id (&self->write_source, g_source_remove);
}

static gboolean
on_writable (int           fd,
             GIOCondition  condition,
             gpointer      user_data)
{
  CohortPg *self = user_data;
  int pending = PQflush (self->conn);

  if (pending < 0)
    {
      self->write_source = 0;
      fail_all (self);
      return G_SOURCE_REMOVE;
    }
  if (pending > 0)
    return G_SOURCE_CONTINUE;
  self->write_source = 0;
  return G_SOURCE_REMOVE;
}

/* Reads every result that has arrived, completing batches at their sync. */
static void
read_results (CohortPg *self)
{
  guint idle = 0;

  g_object_ref (self);
  while (!self->lost && !g_queue_is_empty (&self->in_flight) && !PQisBusy (self->conn))
    {
      InFlight *f = g_queue_peek_head (&self->in_flight);
      PGresult *result = PQgetResult (self->conn);
      ExecStatusType status;

      if (result == NULL)
        {
          /* The end of one statement's results; past the last statement,
           * nothing is there yet (the sync comes with more input). */
          if (f->current < f->batch->statements->len)
            f->current++;
          else if (++idle > 1)
            break;
          continue;
        }
      idle = 0;

      status = PQresultStatus (result);
      if (status == PGRES_PIPELINE_SYNC)
        {
          PQclear (result);
          g_queue_pop_head (&self->in_flight);
          f->done (f->error == NULL ? f->results : NULL, f->error, f->user_data);
          in_flight_free (f);
          continue;
        }
      if (status == PGRES_FATAL_ERROR && f->error == NULL)
        f->error = result_error (result);
      /* A statement's last result stands for it. */
      if (f->results->len > f->current)
        {
          PQclear (g_ptr_array_index (f->results, f->current));
          g_ptr_array_index (f->results, f->current) = result;
        }
      else
        g_ptr_array_add (f->results, result);
    }
  g_object_unref (self);
}

static gboolean
on_readable (int           fd,
             GIOCondition  condition,
             gpointer      user_data)
{
  CohortPg *self = user_data;

  if (!PQconsumeInput (self->conn))
    {
      self->read_source = 0;
      fail_all (self);
      return G_SOURCE_REMOVE;
    }
  read_results (self);
  return G_SOURCE_CONTINUE;
}

gboolean
cohort_pg_start (CohortPg  *self,
                 GError   **error)
{
  g_return_val_if_fail (COHORT_IS_PG (self) && !self->started, FALSE);

  if (PQsetnonblocking (self->conn, 1) != 0 || !PQenterPipelineMode (self->conn))
    {
      g_set_error (error, COHORT_PG_ERROR, COHORT_PG_ERROR_FAILED,
                   "Could not enter pipeline mode: %s", PQerrorMessage (self->conn));
      return FALSE;
    }
  self->started = TRUE;
  self->read_source = g_unix_fd_add (PQsocket (self->conn), G_IO_IN | G_IO_HUP | G_IO_ERR,
                                     on_readable, self);
  return TRUE;
}

gboolean
cohort_pg_is_started (CohortPg *self)
{
  return self->started;
}

void
cohort_pg_send (CohortPg       *self,
                CohortPgBatch  *batch,
                CohortPgDone    done,
                gpointer        user_data)
{
  InFlight *f;

  g_return_if_fail (COHORT_IS_PG (self) && self->started);

  f = g_new0 (InFlight, 1);
  f->batch = batch;
  f->done = done;
  f->user_data = user_data;
  f->results = g_ptr_array_new_with_free_func ((GDestroyNotify) PQclear);

  if (self->lost)
    {
      g_autoptr(GError) error = g_error_new_literal (COHORT_PG_ERROR, COHORT_PG_ERROR_LOST,
                                                     "The connection to PostgreSQL was lost");

      done (NULL, error, user_data);
      in_flight_free (f);
      return;
    }

  for (guint i = 0; i < batch->statements->len; i++)
    {
      Statement *st = &g_array_index (batch->statements, Statement, i);

      if (!PQsendQueryParams (self->conn, st->sql, (int) st->n_values, NULL,
                              (const char * const *) st->values, st->lengths, st->formats, 0))
        {
          g_queue_push_tail (&self->in_flight, f);
          fail_all (self);
          return;
        }
    }
  g_queue_push_tail (&self->in_flight, f);
  if (!PQpipelineSync (self->conn))
    {
      fail_all (self);
      return;
    }
  flush (self);
}

guint
cohort_pg_get_n_in_flight (CohortPg *self)
{
  return g_queue_get_length (&self->in_flight);
}

gint64
cohort_pg_result_int (PGresult *result,
                      int       row,
                      int       column)
{
  if (result == NULL || row >= PQntuples (result) || PQgetisnull (result, row, column))
    return 0;
  return g_ascii_strtoll (PQgetvalue (result, row, column), NULL, 10);
}

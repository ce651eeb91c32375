/* cohort-pg.h: one PostgreSQL connection on the main loop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

#define COHORT_PG_ERROR (cohort_pg_error_quark ())
GQuark cohort_pg_error_quark (void);

typedef enum
{
  COHORT_PG_ERROR_FAILED,
  /* The write carried an epoch the class's lease no longer has (fencing,
   * SQLSTATE CH001: docs/architecture-scale.md). */
  COHORT_PG_ERROR_STALE_EPOCH,
  /* The connection to the database is gone. */
  COHORT_PG_ERROR_LOST,
} CohortPgError;

/* A list of statements sent together, ending in one pipeline sync: they
 * run as one transaction, and the first error aborts the rest. */
typedef struct _CohortPgBatch CohortPgBatch;

CohortPgBatch *cohort_pg_batch_new  (void);
void           cohort_pg_batch_free (CohortPgBatch *batch);
/* @sql must outlive the batch (a string literal). @values: @n_values
 * text parameters, NULL for SQL NULL; copied. */
void           cohort_pg_batch_add  (CohortPgBatch      *batch,
                                     const char         *sql,
                                     guint               n_values,
                                     const char * const *values);
/* The same with one binary parameter (bytea) last, after the text ones. */
void           cohort_pg_batch_add_blob (CohortPgBatch      *batch,
                                         const char         *sql,
                                         guint               n_values,
                                         const char * const *values,
                                         gconstpointer       blob,
                                         gsize               blob_length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortPgBatch, cohort_pg_batch_free)

/* @results: one PGresult per statement of the batch (owned by the
 * caller of nothing: valid during the call only), or @error. */
typedef void (*CohortPgDone) (GPtrArray    *results,
                              const GError *error,
                              gpointer      user_data);

/* One libpq connection. Blocking until cohort_pg_start() (start-up: the
 * migrations, the node's registration, the admin commands); after it,
 * non-blocking in pipeline mode, its socket watched by the main loop:
 * batches go out back to back without waiting, and their results come
 * back in order. */
#define COHORT_TYPE_PG (cohort_pg_get_type ())
G_DECLARE_FINAL_TYPE (CohortPg, cohort_pg, COHORT, PG, GObject)

CohortPg   *cohort_pg_connect     (const char     *conninfo,
                                   GError        **error);
/* Blocking, before cohort_pg_start() only: runs @batch and returns its
 * results (PGresult, freed with the array), or NULL with @error. */
GPtrArray  *cohort_pg_run_sync    (CohortPg       *self,
                                   CohortPgBatch  *batch,
                                   GError        **error);
gboolean    cohort_pg_exec_sync   (CohortPg       *self,
                                   const char     *sql,
                                   GError        **error);
gboolean    cohort_pg_start       (CohortPg       *self,
                                   GError        **error);
gboolean    cohort_pg_is_started  (CohortPg       *self);
/* Takes @batch; @done runs from the main loop, in the order sent. */
void        cohort_pg_send        (CohortPg       *self,
                                   CohortPgBatch  *batch,
                                   CohortPgDone    done,
                                   gpointer        user_data);
/* Batches sent and not yet answered. */
guint       cohort_pg_get_n_in_flight (CohortPg   *self);

/* Helpers for results. */
gint64      cohort_pg_result_int  (PGresult       *result,
                                   int             row,
                                   int             column);

G_END_DECLS

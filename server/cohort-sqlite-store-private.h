/* cohort-sqlite-store-private.h: for the feature parts of the SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "cohort-sqlite-store.h"

G_BEGIN_DECLS

/* Each feature implements its CohortStore methods in
 * server/cohort-sqlite-store-<feature>.c: an iface_init function that
 * fills its vfuncs, and a migrate function that runs the feature's own
 * numbered migrations through _cohort_sqlite_store_migrate_module(). */

sqlite3      *_cohort_sqlite_store_get_db          (CohortSqliteStore   *self);
gboolean      _cohort_sqlite_store_migrate_module  (CohortSqliteStore   *self,
                                                    const char          *module,
                                                    const char * const  *migrations,
                                                    guint                n_migrations,
                                                    GError             **error);
gboolean      _cohort_sqlite_store_set_error       (CohortSqliteStore   *self,
                                                    GError             **error,
                                                    const char          *what);
gboolean      _cohort_sqlite_store_exec            (CohortSqliteStore   *self,
                                                    const char          *sql,
                                                    GError             **error);
/* A cached statement, reset and unbound; @sql must be a string literal. */
sqlite3_stmt *_cohort_sqlite_store_prepare         (CohortSqliteStore   *self,
                                                    const char          *sql,
                                                    GError             **error);
/* Steps a statement that returns no row. */
gboolean      _cohort_sqlite_store_step_done       (CohortSqliteStore   *self,
                                                    sqlite3_stmt        *stmt,
                                                    GError             **error);
/* SQLITE_ROW → TRUE; SQLITE_DONE → FALSE without error; else FALSE, @error set. */
gboolean      _cohort_sqlite_store_step_row        (CohortSqliteStore   *self,
                                                    sqlite3_stmt        *stmt,
                                                    GError             **error);
char         *_cohort_sqlite_store_column_text     (sqlite3_stmt        *stmt,
                                                    int                  column);

#define COHORT_SQLITE_FEATURE(name) \
  void     _cohort_sqlite_store_##name##_iface_init (CohortStoreInterface *iface); \
  gboolean _cohort_sqlite_store_##name##_migrate    (CohortSqliteStore    *self,  \
                                                     GError              **error);

COHORT_SQLITE_FEATURE (media)
COHORT_SQLITE_FEATURE (chat)
COHORT_SQLITE_FEATURE (quiz)
COHORT_SQLITE_FEATURE (groups)
COHORT_SQLITE_FEATURE (ai)
COHORT_SQLITE_FEATURE (identity)

G_END_DECLS

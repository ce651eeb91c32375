/* cohort-store-private.h: shared by the feature files of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "cohort-store.h"

G_BEGIN_DECLS

/* Each feature implements its methods in server/cohort-store-<feature>.c
 * with the helpers below, and runs its own numbered migrations through
 * _cohort_store_migrate_module() from a _cohort_store_<feature>_migrate()
 * that cohort_store_open() calls. */

sqlite3      *_cohort_store_get_db          (CohortStore         *self);
gboolean      _cohort_store_migrate_module  (CohortStore         *self,
                                             const char          *module,
                                             const char * const  *migrations,
                                             guint                n_migrations,
                                             GError             **error);
gboolean      _cohort_store_set_error       (CohortStore         *self,
                                             GError             **error,
                                             const char          *what);
gboolean      _cohort_store_exec            (CohortStore         *self,
                                             const char          *sql,
                                             GError             **error);
/* A cached statement, reset and unbound; @sql must be a string literal. */
sqlite3_stmt *_cohort_store_prepare         (CohortStore         *self,
                                             const char          *sql,
                                             GError             **error);
/* Steps a statement that returns no row. */
gboolean      _cohort_store_step_done       (CohortStore         *self,
                                             sqlite3_stmt        *stmt,
                                             GError             **error);
/* SQLITE_ROW → TRUE; SQLITE_DONE → FALSE without error; else FALSE, @error set. */
gboolean      _cohort_store_step_row        (CohortStore         *self,
                                             sqlite3_stmt        *stmt,
                                             GError             **error);
char         *_cohort_store_column_text     (sqlite3_stmt        *stmt,
                                             int                  column);
/* Makes a record of the row @stmt is on. */
typedef gpointer (*CohortStoreReadRow) (sqlite3_stmt *stmt);
/* Steps @stmt to its end and returns what @read_row made of each row, in
 * an array that frees them with @free_record; NULL with @error set when a
 * step fails. */
GPtrArray    *_cohort_store_read_rows       (CohortStore         *self,
                                             sqlite3_stmt        *stmt,
                                             CohortStoreReadRow   read_row,
                                             GDestroyNotify       free_record,
                                             GError             **error);
/* What @read_row makes of the first row, or NULL when there is none
 * (@error unset) or the step fails (@error set). */
gpointer      _cohort_store_read_row        (CohortStore         *self,
                                             sqlite3_stmt        *stmt,
                                             CohortStoreReadRow   read_row,
                                             GError             **error);
/* The same for a one-column query of ids: a GArray of gint64. */
GArray       *_cohort_store_read_ids        (CohortStore         *self,
                                             sqlite3_stmt        *stmt,
                                             GError             **error);

gboolean      _cohort_store_media_migrate    (CohortStore  *self,
                                              GError      **error);
gboolean      _cohort_store_chat_migrate     (CohortStore  *self,
                                              GError      **error);
gboolean      _cohort_store_quiz_migrate     (CohortStore  *self,
                                              GError      **error);
gboolean      _cohort_store_groups_migrate   (CohortStore  *self,
                                              GError      **error);
gboolean      _cohort_store_ai_migrate       (CohortStore  *self,
                                              GError      **error);
gboolean      _cohort_store_identity_migrate (CohortStore  *self,
                                              GError      **error);
gboolean      _cohort_store_lesson_migrate   (CohortStore  *self,
                                              GError      **error);
gboolean      _cohort_store_schedule_migrate (CohortStore  *self,
                                              GError      **error);
gboolean      _cohort_store_insights_migrate (CohortStore  *self,
                                              GError      **error);
gboolean      _cohort_store_practice_migrate (CohortStore  *self,
                                              GError      **error);

G_END_DECLS

/* cohort-test-db.h: a test's own look into a server's SQLite file.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs @sql on the database at @path; g_error()s with SQLite's message on
 * failure. Waits up to 5 s for a server holding the write lock. */
void  cohort_test_db_exec       (const char *path,
                                 const char *sql);
/* Appends the event @name (@body, a JSON object) at @ts to the log of
 * class @class_id, as the server would: a history written by hand. */
void  cohort_test_db_log_event  (const char *path,
                                 gint64      class_id,
                                 gint64      ts,
                                 const char *name,
                                 const char *body);
/* The first column of the first row of @sql, or NULL when there is none. */
char *cohort_test_db_query_text (const char *path,
                                 const char *sql);

G_END_DECLS

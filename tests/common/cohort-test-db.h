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
/* The first column of the first row of @sql, or NULL when there is none. */
char *cohort_test_db_query_text (const char *path,
                                 const char *sql);

G_END_DECLS

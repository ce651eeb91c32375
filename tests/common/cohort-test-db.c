/* cohort-test-db.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include "cohort-test-db.h"

static sqlite3 *
open_db (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

void
cohort_test_db_exec (const char *path,
                     const char *sql)
{
  sqlite3 *db = open_db (path);
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

char *
cohort_test_db_query_text (const char *path,
                           const char *sql)
{
  sqlite3 *db = open_db (path);
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

void
cohort_test_db_log_event (const char *path,
                          gint64      class_id,
                          gint64      ts,
                          const char *name,
                          const char *body)
{
  /* One transaction, as the server's own append is: the running server
   * may take the next seq between two autocommitted statements. */
  g_autofree char *sql = g_strdup_printf ("BEGIN IMMEDIATE;"
                                          "UPDATE classes SET last_seq = last_seq + 1 WHERE id = %" G_GINT64_FORMAT ";"
                                          "INSERT INTO events (class_id, seq, ts, name, body) "
                                          "SELECT id, last_seq, %" G_GINT64_FORMAT ", '%s', '%s' FROM classes "
                                          "WHERE id = %" G_GINT64_FORMAT ";"
                                          "COMMIT",
                                          class_id, ts, name, body, class_id);

  cohort_test_db_exec (path, sql);
}

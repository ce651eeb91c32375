/* cohort-test-server.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CohortTestServer CohortTestServer;

/* NULL @db_path: a fresh temporary directory and database. Spawns
 * $COHORT_SERVER --port 0 --database … and waits for its "listening on"
 * line; g_assert()s on failure. */
CohortTestServer *cohort_test_server_start        (const char        *db_path);
/* A fresh database, and `--config` a file holding @config_text. */
CohortTestServer *cohort_test_server_start_with_config (const char *config_text);
/* The server starts with RLIMIT_NOFILE's soft limit at @fd_soft_limit. */
CohortTestServer *cohort_test_server_start_with_fd_limit (const char  *db_path,
                                                          guint        fd_soft_limit);
/* ws://127.0.0.1:PORT/ws */
const char       *cohort_test_server_get_url      (CohortTestServer  *s);
const char       *cohort_test_server_get_db_path  (CohortTestServer  *s);
guint16           cohort_test_server_get_port     (CohortTestServer  *s);
gboolean          cohort_test_server_is_running   (CohortTestServer  *s);
/* The running server's process id (for /proc/PID/fd, say). */
GPid              cohort_test_server_get_pid      (CohortTestServer  *s);
/* SIGTERM, then waits; asserts a clean exit (status 0). */
void              cohort_test_server_stop         (CohortTestServer  *s);
/* SIGKILL, then waits. */
void              cohort_test_server_kill         (CohortTestServer  *s);
/* Starts again on the same database and the same port. */
void              cohort_test_server_restart      (CohortTestServer  *s);
/* Stops the server if it is running and removes the temporary files. */
void              cohort_test_server_free         (CohortTestServer  *s);
/* Runs `cohort-server --create-class` on the server's database. */
void              cohort_test_server_create_class (CohortTestServer  *s,
                                                   const char        *title,
                                                   const char        *teacher_name,
                                                   char             **out_code,
                                                   char             **out_teacher_key);

/* identity: every test server starts with one staff account ("Test
 * staff"), made on its database before it starts; its credential, which
 * class.create needs. */
/* The descriptors process @pid holds (/proc/PID/fd). */
guint             cohort_test_pid_count_fds       (GPid               pid);
/* Waits (at most 20 s, then fails) until @pid holds at most @max. */
void              cohort_test_pid_wait_fds_at_most (GPid              pid,
                                                    guint             max);

const char       *cohort_test_server_get_staff_credential (CohortTestServer *s);

/* Runs `cohort-server --database @db_path --add-staff @name`; returns the
 * credential it printed (asserts success). */
char             *cohort_test_staff_add           (const char        *db_path,
                                                   const char        *name);
/* The staff credential of the test server listening at @url (ws://…/ws),
 * or NULL: how the shared helpers that know only a URL (the test client's
 * create_class, the session tests) start classes. */
void              cohort_test_staff_register      (const char        *url,
                                                   const char        *credential);
const char       *cohort_test_staff_lookup        (const char        *url);

/* A g_test_add() fixture: a fresh server for each case. The test file
 * tears it down as its cases need (some stop the server themselves). */
typedef struct
{
  CohortTestServer *server;
} CohortTestServerFixture;

void              cohort_test_server_fixture_setup (CohortTestServerFixture *f,
                                                    gconstpointer            data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortTestServer, cohort_test_server_free)

G_END_DECLS

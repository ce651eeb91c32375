/* test-scale.c: cohort-server nodes on a real PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A private PostgreSQL cluster in a temporary directory (initdb and
 * postgres on a Unix socket there, as the postgres user when the test
 * runs as root: PostgreSQL refuses root), and cohort-server nodes on it
 * (docs/architecture-scale.md): `moved` routing, fencing of a stale
 * epoch, and a killed owner taken over with nothing acknowledged lost.
 */

#include "config.h"

#include <grp.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cohort-session.h"
#include "cohort-test-client.h"
#include "cohort-test-wait.h"

/* Short leases, so that a take-over is seconds away. */
#define LEASE_SECONDS "2"

typedef struct
{
  char        *dir;
  GSubprocess *postgres;
  char        *url;
} Cluster;

static Cluster cluster;

static gboolean
running_as_root (void)
{
  return geteuid () == 0;
}

/* argv run as the postgres user when we are root. */
static GPtrArray *
pg_argv (const char *program)
{
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = g_find_program_in_path (program);

  if (path == NULL)
    {
      g_autoptr(GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
      const char *version;

      while (dir != NULL && path == NULL && (version = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *candidate = g_build_filename ("/usr/lib/postgresql", version, "bin",
                                                         program, NULL);

          if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
            path = g_steal_pointer (&candidate);
        }
    }
  g_assert_nonnull (path);

  /* setpriv execs the program in place, and sets the parent-death signal
   * after it changes users (which clears one set before): a test that
   * aborts leaves no postgres behind holding its output open. */
  if (running_as_root ())
    {
      g_ptr_array_add (argv, g_strdup ("setpriv"));
      g_ptr_array_add (argv, g_strdup ("--reuid=postgres"));
      g_ptr_array_add (argv, g_strdup ("--regid=postgres"));
      g_ptr_array_add (argv, g_strdup ("--init-groups"));
      g_ptr_array_add (argv, g_strdup ("--pdeathsig=KILL"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_steal_pointer (&path));
  return argv;
}

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
cluster_start (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) initdb = pg_argv ("initdb");
  g_autoptr(GPtrArray) postgres = pg_argv ("postgres");
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autofree char *data = NULL;
  g_autofree char *conninfo = NULL;
  int status = 0;

  cluster.dir = g_dir_make_tmp ("cohort-pg-XXXXXX", &error);
  g_assert_no_error (error);
  g_chmod (cluster.dir, 0755);
  if (running_as_root ())
    {
      struct passwd *pw = getpwnam ("postgres");

      g_assert_nonnull (pw);
      g_assert_cmpint (chown (cluster.dir, pw->pw_uid, pw->pw_gid), ==, 0);
    }
  data = g_build_filename (cluster.dir, "data", NULL);

  g_ptr_array_add (initdb, g_strdup ("-D"));
  g_ptr_array_add (initdb, g_strdup (data));
  g_ptr_array_add (initdb, g_strdup ("-A"));
  g_ptr_array_add (initdb, g_strdup ("trust"));
  g_ptr_array_add (initdb, g_strdup ("-U"));
  g_ptr_array_add (initdb, g_strdup ("postgres"));
  g_ptr_array_add (initdb, g_strdup ("--no-sync"));
  g_ptr_array_add (initdb, g_strdup ("--locale=C"));
  g_ptr_array_add (initdb, g_strdup ("-E"));
  g_ptr_array_add (initdb, g_strdup ("UTF8"));
  g_ptr_array_add (initdb, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) initdb->pdata, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* Only the socket in our directory: no TCP port to collide on. */
  g_ptr_array_add (postgres, g_strdup ("-D"));
  g_ptr_array_add (postgres, g_strdup (data));
  g_ptr_array_add (postgres, g_strdup ("-k"));
  g_ptr_array_add (postgres, g_strdup (cluster.dir));
  g_ptr_array_add (postgres, g_strdup ("-c"));
  g_ptr_array_add (postgres, g_strdup ("listen_addresses="));
  g_ptr_array_add (postgres, g_strdup ("-c"));
  g_ptr_array_add (postgres, g_strdup ("fsync=off"));
  g_ptr_array_add (postgres, NULL);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  cluster.postgres = g_subprocess_launcher_spawnv (launcher, (const char * const *) postgres->pdata,
                                                   &error);
  g_assert_no_error (error);

  cluster.url = g_strdup_printf ("postgresql:///postgres?host=%s&user=postgres", cluster.dir);
  conninfo = g_strdup (cluster.url);
  for (guint i = 0; ; i++)
    {
      PGconn *conn = PQconnectdb (conninfo);
      gboolean ok = PQstatus (conn) == CONNECTION_OK;

      PQfinish (conn);
      if (ok)
        break;
      g_assert_cmpuint (i, <, 300);
      g_usleep (50 * 1000);
    }
}

static void
cluster_stop (void)
{
  g_subprocess_send_signal (cluster.postgres, SIGINT);
  g_subprocess_wait (cluster.postgres, NULL, NULL);
  g_clear_object (&cluster.postgres);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", cluster.dir);

    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  g_clear_pointer (&cluster.dir, g_free);
  g_clear_pointer (&cluster.url, g_free);
}

/* ---- nodes ---- */

typedef struct
{
  GSubprocess *process;
  char        *url;
} Node;

static const char *
server_binary (void)
{
  const char *path = g_getenv ("COHORT_SERVER");

  g_assert_nonnull (path);
  return path;
}

static Node *
node_start (void)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  const char *prefix = "cohort-server listening on ";
  Node *node = g_new0 (Node, 1);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  node->process = g_subprocess_launcher_spawn (launcher, &error, server_binary (),
                                               "--listen", "127.0.0.1", "--port", "0",
                                               "--database", cluster.url,
                                               "--lease-seconds", LEASE_SECONDS, NULL);
  g_assert_no_error (error);
  data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (node->process));
  line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  node->url = g_strdup (line + strlen (prefix));
  return node;
}

static void
node_free (Node *node)
{
  if (node->process != NULL && g_subprocess_get_identifier (node->process) != NULL)
    {
      g_subprocess_send_signal (node->process, SIGCONT);
      g_subprocess_force_exit (node->process);
      g_subprocess_wait (node->process, NULL, NULL);
    }
  g_clear_object (&node->process);
  g_free (node->url);
  g_free (node);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Node, node_free)

static void
node_kill (Node *node)
{
  g_subprocess_force_exit (node->process);
  g_subprocess_wait (node->process, NULL, NULL);
}

/* Runs an admin command on the shared database; its JSON line. */
static JsonObject *
admin (const char *first,
       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, (char *) server_binary ());
  g_ptr_array_add (argv, (char *) "--database");
  g_ptr_array_add (argv, cluster.url);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

typedef struct
{
  char *code;
  char *teacher_key;
} Class;

static void
class_clear (Class *klass)
{
  g_free (klass->code);
  g_free (klass->teacher_key);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Class, class_clear)

static void
create_class (Class *klass)
{
  static gboolean have_staff;
  g_autoptr(JsonObject) made = NULL;

  if (!have_staff)
    {
      g_autoptr(JsonObject) staff = admin ("--add-staff", "Test staff", NULL);

      have_staff = TRUE;
    }
  made = admin ("--create-class", "Physics", "--teacher-name", "Ada", "--staff", "Test staff",
                "--no-waiting-room", NULL);
  klass->code = g_strdup (json_object_get_string_member (made, "code"));
  klass->teacher_key = g_strdup (json_object_get_string_member (made, "teacher_key"));
}

/* ---- a student on CohortSession ---- */

static void
on_async_done (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static CohortSession *
student_join (const char *url,
              const char *code,
              const char *name)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cohort_session_join_async (session, url, code, name, NULL, NULL, on_async_done, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_session_join_finish (session, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&session);
}

static void
student_say (CohortSession *session,
             const char    *text)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (body, "text", text);
  cohort_session_request_async (session, "chat.send", body, NULL, on_async_done, &result);
  COHORT_TEST_WAIT_UNTIL_MS (result != NULL, 30000);
  reply = cohort_session_request_finish (session, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
}

static CohortSessionState
session_state (CohortSession *session)
{
  CohortSessionState state;

  g_object_get (session, "state", &state, NULL);
  return state;
}

/* How often @text is in the class's chat history, read at @url. */
static guint
count_in_history (const char  *url,
                  const char  *code,
                  const char  *text)
{
  g_autoptr(CohortTestClient) reader = cohort_test_client_new (url);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  JsonArray *messages;
  guint count = 0;

  cohort_test_client_set_timeout (reader, cohort_test_scaled_ms (20000));
  joined = cohort_test_client_join (reader, code, "Reader", NULL);
  reply = cohort_test_client_request_ok (reader, "chat.history", NULL);
  messages = json_object_get_array_member (cohort_message_get_body (reply), "messages");
  for (guint i = 0; i < json_array_get_length (messages); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (messages, i),
                                                  "text"), text) == 0)
      count++;
  return count;
}

/* ---- the tests ---- */

/* A student who asks the node that does not own the class is moved to
 * the owner without doing anything, and chats there. */
static void
test_moved (void)
{
  g_auto(Class) klass = { 0 };
  g_autoptr(Node) a = NULL;
  g_autoptr(Node) b = NULL;
  g_autoptr(CohortTestClient) teacher = NULL;
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(CohortSession) student = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(CohortTestClient) probe = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) moved = NULL;
  g_autofree char *server_url = NULL;

  create_class (&klass);
  a = node_start ();
  b = node_start ();

  /* The class is nobody's: the node asked first (A) takes it. */
  teacher = cohort_test_client_new (a->url);
  joined = cohort_test_client_join (teacher, klass.code, "Ada", klass.teacher_key);

  /* B answers a join with `moved` and A's address, and runs nothing. */
  probe = cohort_test_client_new (b->url);
  json_object_set_string_member (body, "code", klass.code);
  json_object_set_string_member (body, "name", "Probe");
  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  moved = cohort_test_client_request (probe, "class.join", NULL, body);
  g_assert_nonnull (moved);
  g_assert_cmpint (cohort_message_get_kind (moved), ==, COHORT_MESSAGE_ERROR);
  g_assert_cmpint (cohort_message_get_error_code (moved), ==, COHORT_ERROR_MOVED);
  g_assert_cmpstr (cohort_message_get_url (moved), ==, a->url);

  /* CohortSession follows it by itself. */
  student = student_join (b->url, klass.code, "Bo");
  g_object_get (student, "server-url", &server_url, NULL);
  g_assert_cmpstr (server_url, ==, b->url);
  event = cohort_test_client_next_event (teacher, "participant.joined");
  g_assert_nonnull (event);

  student_say (student, "Hello from B's door");
  g_clear_pointer (&event, cohort_message_unref);
  event = cohort_test_client_next_event (teacher, "chat.message");
  g_assert_nonnull (event);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (cohort_message_get_body (event), "message"), "text"),
                   ==, "Hello from B's door");
}

static gint64
query_int (PGconn     *conn,
           const char *sql,
           const char *param)
{
  const char *values[] = { param };
  PGresult *result = PQexecParams (conn, sql, 1, NULL, values, NULL, NULL, 0);
  gint64 value;

  g_assert_cmpint (PQresultStatus (result), ==, PGRES_TUPLES_OK);
  g_assert_cmpint (PQntuples (result), ==, 1);
  value = g_ascii_strtoll (PQgetvalue (result, 0, 0), NULL, 10);
  PQclear (result);
  return value;
}

/* Who holds the lease of the class @code, and at which epoch. */
static void
lease_of (PGconn     *conn,
          const char *code,
          gint64     *out_node,
          gint64     *out_epoch)
{
  *out_node = query_int (conn, "SELECT node FROM class_leases l JOIN class_codes c USING (class_id) "
                               "WHERE c.code = $1", code);
  *out_epoch = query_int (conn, "SELECT epoch FROM class_leases l JOIN class_codes c USING (class_id) "
                                "WHERE c.code = $1", code);
}

/* Writes a change as @node at @epoch inside a transaction it rolls back;
 * the SQLSTATE it failed with, or NULL if the database took it. */
static char *
try_write (PGconn *conn,
           gint64  node,
           gint64  class_id,
           gint64  epoch)
{
  g_autofree char *sql = g_strdup_printf ("INSERT INTO cohort_changes (node, classes, epochs, changes) "
                                          "VALUES (%" G_GINT64_FORMAT ", '{%" G_GINT64_FORMAT "}', "
                                          "'{%" G_GINT64_FORMAT "}', '\\x00')",
                                          node, class_id, epoch);
  PGresult *result;
  char *state = NULL;

  PQclear (PQexec (conn, "BEGIN"));
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    state = g_strdup (PQresultErrorField (result, PG_DIAG_SQLSTATE));
  PQclear (result);
  PQclear (PQexec (conn, "ROLLBACK"));
  return state;
}

/* A node that paused past its lease, whose class another node took over,
 * cannot write: the database refuses its epoch, its client gets no
 * acknowledgement and is disconnected, and the write is nowhere. */
static void
test_fencing (void)
{
  g_auto(Class) klass = { 0 };
  g_autoptr(Node) a = NULL;
  g_autoptr(Node) b = NULL;
  g_autoptr(CohortTestClient) teacher_a = NULL;
  g_autoptr(CohortTestClient) teacher_b = NULL;
  g_autoptr(JsonObject) joined_a = NULL;
  g_autoptr(JsonObject) joined_b = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *accepted = NULL;
  PGconn *conn;
  gint64 class_id, old_node, old_epoch, new_node, new_epoch;

  create_class (&klass);
  a = node_start ();
  teacher_a = cohort_test_client_new (a->url);
  joined_a = cohort_test_client_join (teacher_a, klass.code, "Ada", klass.teacher_key);
  body = json_object_new ();
  json_object_set_string_member (body, "text", "Before the pause");
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request_ok (teacher_a, "chat.send", body);

  conn = PQconnectdb (cluster.url);
  g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
  class_id = query_int (conn, "SELECT class_id FROM class_codes WHERE code = $1", klass.code);
  lease_of (conn, klass.code, &old_node, &old_epoch);

  /* A stops past its lease; B is asked for the class and takes it. */
  g_subprocess_send_signal (a->process, SIGSTOP);
  g_usleep (2500 * 1000);
  b = node_start ();
  teacher_b = cohort_test_client_new (b->url);
  cohort_test_client_set_timeout (teacher_b, cohort_test_scaled_ms (20000));
  joined_b = cohort_test_client_join (teacher_b, klass.code, "Ada", klass.teacher_key);
  lease_of (conn, klass.code, &new_node, &new_epoch);
  g_assert_cmpint (new_node, !=, old_node);
  g_assert_cmpint (new_epoch, ==, old_epoch + 1);

  /* The database itself: the old epoch is refused, the new one taken. */
  refused = try_write (conn, old_node, class_id, old_epoch);
  g_assert_cmpstr (refused, ==, "CH001");
  accepted = try_write (conn, new_node, class_id, new_epoch);
  g_assert_null (accepted);
  PQfinish (conn);

  /* A wakes up and its client writes at once: no acknowledgement, and
   * A hangs up on the client, who would then reconnect and be moved. */
  g_subprocess_send_signal (a->process, SIGCONT);
  g_clear_pointer (&body, json_object_unref);
  body = json_object_new ();
  json_object_set_string_member (body, "text", "From the stale node");
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request (teacher_a, "chat.send", NULL, body);
  g_assert_true (reply == NULL || cohort_message_get_kind (reply) == COHORT_MESSAGE_ERROR);
  g_assert_true (cohort_test_client_wait_closed (teacher_a, cohort_test_scaled_ms (10000)));

  g_assert_cmpuint (count_in_history (b->url, klass.code, "Before the pause"), ==, 1);
  g_assert_cmpuint (count_in_history (b->url, klass.code, "From the stale node"), ==, 0);
}

/* The owner is killed: after its lease the other node takes the class,
 * the student's session resumes there by itself, and every message that
 * was acknowledged is in the class exactly once. */
static void
test_failover (void)
{
  g_auto(Class) klass = { 0 };
  g_autoptr(Node) a = NULL;
  g_autoptr(Node) b = NULL;
  g_autoptr(CohortTestClient) teacher = NULL;
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(CohortSession) student = NULL;
  const guint n_before = 5;

  create_class (&klass);
  a = node_start ();
  b = node_start ();
  teacher = cohort_test_client_new (a->url);
  joined = cohort_test_client_join (teacher, klass.code, "Ada", klass.teacher_key);

  student = student_join (b->url, klass.code, "Bo");
  for (guint i = 0; i < n_before; i++)
    {
      g_autofree char *text = g_strdup_printf ("Acknowledged %u", i);

      student_say (student, text);
    }

  node_kill (a);
  COHORT_TEST_WAIT_UNTIL (session_state (student) != COHORT_SESSION_STATE_JOINED);
  COHORT_TEST_WAIT_UNTIL_MS (session_state (student) == COHORT_SESSION_STATE_JOINED, 30000);
  student_say (student, "After the take-over");

  for (guint i = 0; i < n_before; i++)
    {
      g_autofree char *text = g_strdup_printf ("Acknowledged %u", i);

      g_assert_cmpuint (count_in_history (b->url, klass.code, text), ==, 1);
    }
  g_assert_cmpuint (count_in_history (b->url, klass.code, "After the take-over"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  /* The session reconnects quickly, so a take-over is all the test waits. */
  g_setenv ("COHORT_BACKOFF_BASE_MS", "100", TRUE);
  g_setenv ("COHORT_BACKOFF_MAX_MS", "500", TRUE);

  g_test_add_func ("/cohort/scale/moved", test_moved);
  g_test_add_func ("/cohort/scale/fencing", test_fencing);
  g_test_add_func ("/cohort/scale/failover", test_failover);

  cluster_start ();
  status = g_test_run ();
  cluster_stop ();
  return status;
}

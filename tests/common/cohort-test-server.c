/* cohort-test-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-test-server"

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cohort-test-server.h"

struct _CohortTestServer
{
  GSubprocess *process;
  char        *tmp_dir;
  char        *db_path;
  char        *url;
  guint16      port;
  /* 0: the test's own */
  guint        fd_soft_limit;
  /* NULL: none */
  char        *config_path;
  /* --listen: 127.0.0.1, or the config's listen= */
  char        *listen;
  char        *staff_credential;
};

#define TEST_STAFF_NAME "Test staff"

G_LOCK_DEFINE_STATIC (staff);
static GHashTable *staff_by_url;


const char *
cohort_test_staff_lookup (const char *url)
{
  const char *credential = NULL;

  G_LOCK (staff);
  if (staff_by_url != NULL && url != NULL)
    credential = g_hash_table_lookup (staff_by_url, url);
  G_UNLOCK (staff);
  return credential;
}

static const char *
get_server_binary (void)
{
  const char *path = g_getenv ("COHORT_SERVER");

  g_assert_nonnull (path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE));
  return path;
}

/* A test that aborts must not leave its server running (and holding the
 * test's stderr open). */
static void
die_with_parent (gpointer user_data)
{
  CohortTestServer *s = user_data;

  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (s->fd_soft_limit > 0)
    {
      struct rlimit limit;

      getrlimit (RLIMIT_NOFILE, &limit);
      limit.rlim_cur = s->fd_soft_limit;
      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

static void
spawn_server (CohortTestServer *s)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autofree char *port = g_strdup_printf ("%u", s->port);
  g_autofree char *line = NULL;
  const char *prefix = "cohort-server listening on ws://";
  const char *colon;

  g_assert_null (s->process);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, s, NULL);
  if (s->config_path != NULL)
    s->process = g_subprocess_launcher_spawn (launcher, &error,
                                              get_server_binary (),
                                              "--config", s->config_path,
                                              /* a config may name its own (say ::) */
                                              "--listen", s->listen,
                                              "--port", port,
                                              "--database", s->db_path,
                                              NULL);
  else
    s->process = g_subprocess_launcher_spawn (launcher, &error,
                                              get_server_binary (),
                                              "--listen", "127.0.0.1",
                                              "--port", port,
                                              "--database", s->db_path,
                                              NULL);
  g_assert_no_error (error);

  data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));

  colon = strrchr (line, ':');
  g_assert_nonnull (colon);
  s->port = (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
  g_assert_cmpuint (s->port, >, 0);

  g_free (s->url);
  s->url = g_strdup_printf ("ws://127.0.0.1:%u/ws", s->port);
  cohort_test_staff_register (s->url, s->staff_credential);
}

void
cohort_test_staff_register (const char *url,
                            const char *credential)
{
  G_LOCK (staff);
  if (staff_by_url == NULL)
    staff_by_url = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (staff_by_url, g_strdup (url), g_strdup (credential));
  G_UNLOCK (staff);
}

/* Runs cohort-server once with @argv (after the binary) and returns the
 * JSON object it printed; asserts a clean exit and an object. */
static JsonObject *
run_server_command (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) full = g_ptr_array_new ();
  g_autofree char *out = NULL;
  int status = 0;

  g_ptr_array_add (full, (gpointer) get_server_binary ());
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (full, (gpointer) argv[i]);
  g_ptr_array_add (full, NULL);

  g_spawn_sync (NULL, (char **) full->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  json_parser_load_from_data (parser, out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

char *
cohort_test_staff_add (const char *db_path,
                       const char *name)
{
  const char *argv[] = { "--database", db_path, "--add-staff", name, NULL };
  g_autoptr(JsonObject) obj = run_server_command (argv);

  return g_strdup (json_object_get_string_member (obj, "credential"));
}

const char *
cohort_test_server_get_staff_credential (CohortTestServer *s)
{
  return s->staff_credential;
}

CohortTestServer *
cohort_test_server_start (const char *db_path)
{
  return cohort_test_server_start_with_fd_limit (db_path, 0);
}

static CohortTestServer *
start_full (const char *db_path,
            guint       fd_soft_limit,
            const char *config_text);

CohortTestServer *
cohort_test_server_start_with_fd_limit (const char *db_path,
                                        guint       fd_soft_limit)
{
  return start_full (db_path, fd_soft_limit, NULL);
}

CohortTestServer *
cohort_test_server_start_with_config (const char *config_text)
{
  return start_full (NULL, 0, config_text);
}

static CohortTestServer *
start_full (const char *db_path,
            guint       fd_soft_limit,
            const char *config_text)
{
  CohortTestServer *s = g_new0 (CohortTestServer, 1);

  s->fd_soft_limit = fd_soft_limit;

  if (db_path == NULL)
    {
      g_autoptr(GError) error = NULL;

      s->tmp_dir = g_dir_make_tmp ("cohort-test-XXXXXX", &error);
      g_assert_no_error (error);
      s->db_path = g_build_filename (s->tmp_dir, "cohort.db", NULL);
      if (config_text != NULL)
        {
          g_autoptr(GKeyFile) keyfile = g_key_file_new ();

          s->config_path = g_build_filename (s->tmp_dir, "cohort-server.conf", NULL);
          g_file_set_contents (s->config_path, config_text, -1, &error);
          g_assert_no_error (error);
          if (g_key_file_load_from_data (keyfile, config_text, -1, G_KEY_FILE_NONE, NULL))
            s->listen = g_key_file_get_string (keyfile, "server", "listen", NULL);
        }
    }
  else
    s->db_path = g_strdup (db_path);

  if (s->listen == NULL)
    s->listen = g_strdup ("127.0.0.1");
  s->staff_credential = cohort_test_staff_add (s->db_path, TEST_STAFF_NAME);
  spawn_server (s);
  return s;
}

const char *
cohort_test_server_get_url (CohortTestServer *s)
{
  return s->url;
}

const char *
cohort_test_server_get_db_path (CohortTestServer *s)
{
  return s->db_path;
}

guint16
cohort_test_server_get_port (CohortTestServer *s)
{
  return s->port;
}

gboolean
cohort_test_server_is_running (CohortTestServer *s)
{
  return s->process != NULL;
}

GPid
cohort_test_server_get_pid (CohortTestServer *s)
{
  g_assert_nonnull (s->process);
  return (GPid) g_ascii_strtoll (g_subprocess_get_identifier (s->process), NULL, 10);
}

void
cohort_test_server_stop (CohortTestServer *s)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (s->process);
  g_subprocess_send_signal (s->process, SIGTERM);
  g_subprocess_wait (s->process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (s->process));
  g_assert_cmpint (g_subprocess_get_exit_status (s->process), ==, 0);
  g_clear_object (&s->process);
}

void
cohort_test_server_kill (CohortTestServer *s)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (s->process);
  g_subprocess_force_exit (s->process);
  g_subprocess_wait (s->process, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&s->process);
}

void
cohort_test_server_restart (CohortTestServer *s)
{
  if (s->process != NULL)
    cohort_test_server_stop (s);
  spawn_server (s);
}

void
cohort_test_server_free (CohortTestServer *s)
{
  if (s == NULL)
    return;

  if (s->process != NULL)
    {
      g_subprocess_send_signal (s->process, SIGTERM);
      g_subprocess_wait (s->process, NULL, NULL);
      g_clear_object (&s->process);
    }

  if (s->tmp_dir != NULL)
    {
      const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *path = g_strconcat (s->db_path, suffixes[i], NULL);
          g_unlink (path);
        }
      if (s->config_path != NULL)
        g_unlink (s->config_path);
      g_rmdir (s->tmp_dir);
    }

  g_free (s->config_path);
  g_free (s->listen);
  g_free (s->staff_credential);
  g_free (s->tmp_dir);
  g_free (s->db_path);
  g_free (s->url);
  g_free (s);
}

void
cohort_test_server_create_class (CohortTestServer  *s,
                                 const char        *title,
                                 const char        *teacher_name,
                                 char             **out_code,
                                 char             **out_teacher_key)
{
  const char *argv[] = {
    "--database", s->db_path,
    "--create-class", title,
    "--teacher-name", teacher_name,
    "--staff", TEST_STAFF_NAME,
    "--no-waiting-room",
    NULL
  };
  g_autoptr(JsonObject) obj = run_server_command (argv);

  if (out_code != NULL)
    *out_code = g_strdup (json_object_get_string_member (obj, "code"));
  if (out_teacher_key != NULL)
    *out_teacher_key = g_strdup (json_object_get_string_member (obj, "teacher_key"));
}

void
cohort_test_server_fixture_setup (CohortTestServerFixture *f,
                                  gconstpointer            data)
{
  f->server = cohort_test_server_start (NULL);
}

guint
cohort_test_pid_count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

void
cohort_test_pid_wait_fds_at_most (GPid  pid,
                                  guint max)
{
  gint64 give_up = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint n;

  while ((n = cohort_test_pid_count_fds (pid)) > max && g_get_monotonic_time () < give_up)
    g_usleep (20 * 1000);
  g_assert_cmpuint (n, <=, max);
}

/* cohort-ai-test-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "cohort-ai-protocol.h"
#include "cohort-ai-test-server.h"
#include "cohort-practice-protocol.h"
#include "cohort-test-server.h"

struct _CohortAiTestServer
{
  GSubprocess      *process;
  GDataInputStream *output;
  GString          *log;
  char             *dir;
  char             *url;
  gboolean          reading;
};

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void read_more (CohortAiTestServer *s);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  CohortAiTestServer *s = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      s->reading = FALSE;
      return;
    }
  g_string_append_len (s->log, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  read_more (s);
}

static void
read_more (CohortAiTestServer *s)
{
  s->reading = TRUE;
  g_input_stream_read_bytes_async (G_INPUT_STREAM (s->output), 4096, G_PRIORITY_DEFAULT, NULL,
                                   on_read, s);
}

static void
spawn (CohortAiTestServer *s)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = g_build_filename (s->dir, "cohort-server.conf", NULL);
  g_autofree char *db_path = g_build_filename (s->dir, "cohort.db", NULL);
  g_autofree char *line = NULL;
  g_autofree char *staff_credential = NULL;
  const char *server = g_getenv ("COHORT_SERVER");
  const char *colon;

  g_assert_nonnull (server);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  /* Debug output too, so the key checks see everything; benchmarks turn
   * it off (COHORT_AI_TEST_SERVER_QUIET) to measure the server, not its log. */
  if (g_getenv ("COHORT_AI_TEST_SERVER_QUIET") == NULL)
    g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "G_MESSAGES_DEBUG");
  staff_credential = cohort_test_staff_add (db_path, "Test staff");
  s->process = g_subprocess_launcher_spawn (launcher, &error, server,
                                            "--config", config_path,
                                            "--listen", "127.0.0.1", "--port", "0",
                                            "--database", db_path, NULL);
  g_assert_no_error (error);

  s->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->process));
  /* Debug lines may come before the one that names the port. */
  while ((line = g_data_input_stream_read_line_utf8 (s->output, NULL, NULL, &error)) != NULL)
    {
      g_string_append_printf (s->log, "%s\n", line);
      if (g_str_has_prefix (line, "cohort-server listening on ws://"))
        break;
      g_clear_pointer (&line, g_free);
    }
  g_assert_no_error (error);
  g_assert_nonnull (line);

  colon = strrchr (line, ':');
  g_free (s->url);
  s->url = g_strdup_printf ("ws://127.0.0.1:%s", colon + 1);
  /* identity: the AI helper serves only classes staff started. */
  cohort_test_staff_register (s->url, staff_credential);
  read_more (s);
}

CohortAiTestServer *
cohort_ai_test_server_start (const char *ai_group)
{
  CohortAiTestServer *s = g_new0 (CohortAiTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) config = g_string_new ("[server]\n");
  g_autofree char *config_path = NULL;
  g_autofree char *key_path = NULL;

  s->log = g_string_new (NULL);
  s->dir = g_dir_make_tmp ("cohort-ai-test-XXXXXX", &error);
  g_assert_no_error (error);

  key_path = g_build_filename (s->dir, "api-key", NULL);
  g_assert_true (g_file_set_contents (key_path, COHORT_AI_TEST_KEY "\n", -1, NULL));
  config_path = g_build_filename (s->dir, "cohort-server.conf", NULL);
  if (ai_group != NULL)
    {
      g_autoptr(GString) group = g_string_new (ai_group);

      g_string_replace (group, "@KEYFILE@", key_path, 0);
      g_string_append_printf (config, "[ai]\n%s\n", group->str);
    }
  g_assert_true (g_file_set_contents (config_path, config->str, -1, NULL));

  spawn (s);

  return s;
}

const char *
cohort_ai_test_server_restart (CohortAiTestServer *s)
{
  cohort_ai_test_server_stop (s);
  g_clear_object (&s->output);
  spawn (s);

  return s->url;
}

const char *
cohort_ai_test_server_get_url (CohortAiTestServer *s)
{
  return s->url;
}

char *
cohort_ai_test_server_get_db_path (CohortAiTestServer *s)
{
  return g_build_filename (s->dir, "cohort.db", NULL);
}

static void
on_exited (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *exited = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *exited = TRUE;
}

const char *
cohort_ai_test_server_stop (CohortAiTestServer *s)
{
  if (s->process != NULL)
    {
      gboolean exited = FALSE;

      g_subprocess_send_signal (s->process, SIGTERM);
      /* Wait in this context, where the output is read: a server writing
       * more than a pipe holds as it exits (a sanitizer's leak report)
       * would otherwise block forever on a pipe nobody drains. */
      g_subprocess_wait_async (s->process, NULL, on_exited, &exited);
      while (!exited || s->reading)
        g_main_context_iteration (NULL, TRUE);
      /* A leak report or a crash at exit fails the test, as it does for
       * tests/common's server. */
      if (!g_subprocess_get_if_exited (s->process) || g_subprocess_get_exit_status (s->process) != 0)
        g_error ("cohort-server did not exit cleanly:\n%s", s->log->str);
      g_clear_object (&s->process);
    }

  return s->log->str;
}

void
cohort_ai_test_server_free (CohortAiTestServer *s)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (s == NULL)
    return;

  cohort_ai_test_server_stop (s);
  g_clear_object (&s->output);

  dir = g_dir_open (s->dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (s->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (s->dir);

  g_free (s->dir);
  g_free (s->url);
  g_string_free (s->log, TRUE);
  g_free (s);
}

char *
cohort_ai_test_daytime_zone (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int offset = 13 - g_date_time_get_hour (now);

  if (offset > 14)
    offset -= 24;
  if (offset < -12)
    offset += 24;
  if (offset == 0)
    return g_strdup ("Etc/GMT");
  /* Etc/GMT-5 is five hours ahead of UTC. */
  return g_strdup_printf ("Etc/GMT%c%d", offset > 0 ? '-' : '+', ABS (offset));
}

JsonObject *
cohort_ai_test_nudge_of (CohortTestClient *client)
{
  g_autoptr(JsonObject) body = cohort_test_client_ok_json (client, COHORT_REQ_AI_NUDGE, "{}");
  JsonNode *node = json_object_get_member (body, "nudge");

  g_assert_nonnull (node);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_object_ref (json_node_get_object (node)) : NULL;
}

void
cohort_ai_test_practice_answer (CohortTestClient *client,
                                gint64            question_id,
                                const char       *answer)
{
  g_autofree char *body = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT ", \"answer\": %s}",
                                           question_id, answer);
  g_autoptr(JsonObject) ok = cohort_test_client_ok_json (client, COHORT_REQ_PRACTICE_ANSWER, body);
}

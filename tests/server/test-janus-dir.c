/* test-janus-dir.c: the embedded Janus's private configuration directory
 * (its API secret and admin key) is 0700 and never outlives the server:
 * removed on SIGTERM, SIGINT and a failed start, and swept at the next
 * start after a SIGKILL. A stand-in "janus" that never opens its port
 * keeps the launcher waiting, so no real Janus is needed here (the media
 * suite runs the real one).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cohort-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"

typedef struct
{
  /* the server's TMPDIR */
  char *tmp;
  char *fake_janus;
  char *config;
} Fixture;

static void
write_script (const char *path,
              const char *body)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat ("#!/bin/sh\n", body, "\n", NULL);

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, 0700), ==, 0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *body = data != NULL ? data : "exec sleep 600";

  f->tmp = g_dir_make_tmp ("cohort-test-janus-XXXXXX", &error);
  g_assert_no_error (error);
  f->fake_janus = g_build_filename (f->tmp, "fake-janus", NULL);
  write_script (f->fake_janus, body);
  f->config = g_strdup_printf ("[janus]\nmode=embedded\nbinary=%s\n", f->fake_janus);
  /* Inherited by the servers this test starts. */
  g_setenv ("TMPDIR", f->tmp, TRUE);
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_unlink (path);
      return;
    }
  dir = g_dir_open (path, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      rm_rf (child);
    }
  g_rmdir (path);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_unsetenv ("TMPDIR");
  rm_rf (f->tmp);
  g_free (f->tmp);
  g_free (f->fake_janus);
  g_free (f->config);
}

/* The cohort-janus-* directories in @tmp. */
static GPtrArray *
janus_dirs (const char *tmp)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (tmp, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "cohort-janus-"))
      g_ptr_array_add (found, g_build_filename (tmp, name, NULL));
  return found;
}

static guint
count_janus_dirs (const char *tmp)
{
  g_autoptr(GPtrArray) found = janus_dirs (tmp);

  return found->len;
}

/* Waits (at most 20 s) until @tmp holds @n of them. */
static void
wait_janus_dirs (const char *tmp,
                 guint       n)
{
  gint64 give_up = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (count_janus_dirs (tmp) != n && g_get_monotonic_time () < give_up)
    g_usleep (20 * 1000);
  g_assert_cmpuint (count_janus_dirs (tmp), ==, n);
}

/* A teacher asks to publish: the server starts its Janus. The request
 * waits for Janus; its reply does not matter here. */
static CohortTestClient *
ask_for_media (CohortTestServer *server)
{
  CohortTestClient *teacher = cohort_test_client_new (cohort_test_server_get_url (server));
  g_autoptr(JsonObject) created = cohort_test_client_create_class (teacher, "Secrets", "Ms. Li");
  g_autofree char *request = g_strdup_printf (
    "{\"type\":\"media.publish\",\"id\":\"pub\",\"body\":{\"kind\":\"camera\",\"sdp\":\"v=0\"}}");

  g_assert_nonnull (created);
  cohort_test_client_send_text (teacher, request);
  return teacher;
}

/* The directory is ours alone, holds the secrets, and carries the
 * server's pid in its name. */
static char *
check_janus_dir (Fixture          *f,
                 CohortTestServer *server)
{
  g_autoptr(GPtrArray) dirs = NULL;
  g_autofree char *prefix = g_strdup_printf ("cohort-janus-%d-", (int) cohort_test_server_get_pid (server));
  g_autofree char *base = NULL;
  g_autofree char *jcfg = NULL;
  g_autofree char *text = NULL;
  struct stat st;

  wait_janus_dirs (f->tmp, 1);
  dirs = janus_dirs (f->tmp);
  base = g_path_get_basename (g_ptr_array_index (dirs, 0));
  g_assert_true (g_str_has_prefix (base, prefix));
  g_assert_cmpint (lstat (g_ptr_array_index (dirs, 0), &st), ==, 0);
  g_assert_true (S_ISDIR (st.st_mode));
  g_assert_cmpuint (st.st_mode & 0777, ==, 0700);
  /* It is written before Janus starts; wait for the whole of it. */
  jcfg = g_build_filename (g_ptr_array_index (dirs, 0), "janus.transport.websockets.jcfg", NULL);
  {
    gint64 give_up = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (!g_file_test (jcfg, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < give_up)
      g_usleep (20 * 1000);
  }
  g_free (jcfg);
  jcfg = g_build_filename (g_ptr_array_index (dirs, 0), "janus.jcfg", NULL);
  g_assert_true (g_file_get_contents (jcfg, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "api_secret"));
  return g_strdup (g_ptr_array_index (dirs, 0));
}

static void
test_removed_on_signal (Fixture       *f,
                        gconstpointer  data,
                        int            signo)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start_with_config (f->config);
  g_autoptr(CohortTestClient) teacher = ask_for_media (server);
  g_autofree char *dir = check_janus_dir (f, server);

  if (signo == SIGTERM)
    cohort_test_server_stop (server);
  else
    {
      g_assert_cmpint (kill (cohort_test_server_get_pid (server), signo), ==, 0);
      /* Waits for the exit. */
      g_clear_pointer (&server, cohort_test_server_free);
    }
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
}

static void
test_removed_on_sigterm (Fixture       *f,
                         gconstpointer  data)
{
  test_removed_on_signal (f, data, SIGTERM);
}

static void
test_removed_on_sigint (Fixture       *f,
                        gconstpointer  data)
{
  test_removed_on_signal (f, data, SIGINT);
}

/* A Janus that dies while it starts: the request fails, the server runs
 * on, and the directory is gone. */
static void
test_removed_on_failed_start (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start_with_config (f->config);
  g_autoptr(CohortTestClient) teacher = ask_for_media (server);
  g_autoptr(CohortMessage) reply = cohort_test_client_wait_reply (teacher, "pub");

  g_assert_nonnull (reply);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_ERROR);
  wait_janus_dirs (f->tmp, 0);
  g_assert_true (cohort_test_server_is_running (server));
}

/* SIGKILL leaves the directory (nothing runs at a SIGKILL); the next start
 * removes it. A directory whose server still runs (the test's own pid
 * here) stays, and so does anything not named like ours. */
static void
test_swept_after_sigkill (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start_with_config (f->config);
  g_autoptr(CohortTestClient) teacher = ask_for_media (server);
  g_autofree char *dir = check_janus_dir (f, server);
  g_autofree char *alive = g_strdup_printf ("%s/cohort-janus-%d-Alive1", f->tmp, (int) getpid ());
  g_autofree char *legacy = g_build_filename (f->tmp, "cohort-janus-AbCdEf", NULL);
  g_autofree char *other = g_build_filename (f->tmp, "other-dir", NULL);

  g_assert_cmpint (g_mkdir (alive, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (legacy, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (other, 0700), ==, 0);

  cohort_test_client_drop (teacher);
  cohort_test_server_kill (server);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));

  /* The next start (no media asked for) sweeps it. */
  cohort_test_server_restart (server);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (alive, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (legacy, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (other, G_FILE_TEST_IS_DIR));
  g_rmdir (alive);
  g_rmdir (legacy);
  g_rmdir (other);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cohort/janus-dir/removed-on-sigterm", Fixture, NULL,
              fixture_setup, test_removed_on_sigterm, fixture_teardown);
  g_test_add ("/cohort/janus-dir/removed-on-sigint", Fixture, NULL,
              fixture_setup, test_removed_on_sigint, fixture_teardown);
  g_test_add ("/cohort/janus-dir/removed-on-failed-start", Fixture, "exit 3",
              fixture_setup, test_removed_on_failed_start, fixture_teardown);
  g_test_add ("/cohort/janus-dir/swept-after-sigkill", Fixture, NULL,
              fixture_setup, test_swept_after_sigkill, fixture_teardown);

  return g_test_run ();
}

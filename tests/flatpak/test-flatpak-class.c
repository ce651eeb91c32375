/* test-flatpak-class.c: the sandboxed app in a live class
 *
 * Runs inside tests/media/netns-run.sh, Xvfb and a private D-Bus session
 * (flatpak-class.sh). A real cohort-server with its embedded Janus runs
 * outside the sandbox; the teacher is a core CohortCall publishing
 * videotestsrc's SMPTE bars. The student is the Flatpak itself, started
 * with `flatpak run` from the private installation that flatpak-app.sh
 * filled: it joins the class with the code, as a student would, and the
 * test checks on the server's side that it is in the class, then on the X
 * screen that the teacher's bars are on its stage. The screen is saved as
 * flatpak-class-student.png next to the test binary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "cohort-media-rig.h"

#define STUDENT_NAME "Flatpak Student"
#define APP_ID "org.cohortclass.Cohort"

typedef struct
{
  CohortMediaRig *rig;
  CohortSession  *teacher_session;
  CohortCall     *teacher;
  GSubprocess    *student;
  gboolean        student_exited;
  gint64          spawned_us;
} World;

static World w;

static gboolean
student_online (gpointer data)
{
  GListModel *roster = G_LIST_MODEL (cohort_session_get_roster (w.teacher_session));

  for (guint i = 0; i < g_list_model_get_n_items (roster); i++)
    {
      g_autoptr(CohortParticipant) p = g_list_model_get_item (roster, i);

      if (g_str_equal (cohort_participant_get_name (p), STUDENT_NAME) &&
          cohort_participant_get_online (p))
        return TRUE;
    }
  return FALSE;
}

static void
on_student_exited (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  w.student_exited = TRUE;
}

static gboolean
student_exited (gpointer data)
{
  return w.student_exited;
}

static gboolean
joined_or_gone (gpointer data)
{
  return student_online (NULL) || student_exited (NULL);
}

static void
test_join (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ice = g_strdup_printf ("--env=COHORT_MEDIA_ICE_ADDRESSES=%s",
                                          g_getenv ("COHORT_MEDIA_ICE_ADDRESSES"));
  gint64 joined_us;

  /* The sandbox's own environment: flatpak run passes none of ours but
   * these. Cairo, because Xvfb has no GL and the Platform no Mesa; no
   * accessibility bus in the test session. */
  w.spawned_us = g_get_monotonic_time ();
  w.student = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                                "flatpak", "run", ice,
                                "--env=GSK_RENDERER=cairo", "--env=NO_AT_BRIDGE=1",
                                "--env=LC_ALL=C.UTF-8",
                                APP_ID,
                                "--server", cohort_media_rig_get_url (w.rig),
                                "--code", cohort_session_get_class_code (w.teacher_session),
                                "--name", STUDENT_NAME,
                                NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (w.student, NULL, on_student_exited, NULL);

  /* Waits on the teacher's roster; a sandbox that cannot start fails
   * here with the app's exit status instead of the timeout. */
  cohort_media_rig_wait (joined_or_gone, NULL, 60000);
  g_assert_false (student_exited (NULL));
  g_assert_true (student_online (NULL));
  joined_us = g_get_monotonic_time ();
  g_test_message ("flatpak run to joined: %.1f s", (joined_us - w.spawned_us) / 1e6);
}

/* The X screen, as a pixbuf: the sandboxed app draws there, and nothing
 * from inside the sandbox is trusted to say what it shows. */
static GdkPixbuf *
grab_screen (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) import = NULL;
  GdkPixbuf *pixbuf;

  import = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             "import", "-window", "root", path, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (import, NULL, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  return pixbuf;
}

/* How many pixels of @pixbuf are within 48 of @rgb in each channel. */
static guint
count_colour (GdkPixbuf *pixbuf,
              guint32    rgb)
{
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  int channels = gdk_pixbuf_get_n_channels (pixbuf);
  const guchar *data = gdk_pixbuf_read_pixels (pixbuf);
  int want[3] = { (rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff };
  guint n = 0;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const guchar *p = data + (gsize) y * stride + (gsize) x * channels;

        if (ABS (p[0] - want[0]) <= 48 && ABS (p[1] - want[1]) <= 48 && ABS (p[2] - want[2]) <= 48)
          n++;
      }
  return n;
}

/* videotestsrc's SMPTE bars that no part of the app's own UI uses. */
static const guint32 bars[] = { 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff };

static gboolean
bars_on_screen (gpointer data)
{
  const char *path = data;
  g_autoptr(GdkPixbuf) screen = grab_screen (path);

  for (guint i = 0; i < G_N_ELEMENTS (bars); i++)
    if (count_colour (screen, bars[i]) < 2000)
      return FALSE;
  return TRUE;
}

static void
test_receives_video (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, "flatpak-class-student.png", NULL);
  g_autoptr(GdkPixbuf) screen = NULL;
  gboolean seen = FALSE;
  gint64 deadline;

  g_assert_nonnull (w.student);
  cohort_call_set_camera_on (w.teacher, TRUE);

  /* Each look is a full screen grab; the condition is the pixels. A cold
   * sandbox on a busy machine needs a while for ICE and DTLS. */
  deadline = g_get_monotonic_time () + 90 * G_USEC_PER_SEC;
  while (!seen && g_get_monotonic_time () < deadline)
    {
      g_assert_false (student_exited (NULL));
      seen = bars_on_screen (path);
      if (!seen)
        cohort_media_rig_sleep (250);
    }
  screen = grab_screen (path);
  for (guint i = 0; i < G_N_ELEMENTS (bars); i++)
    g_test_message ("bar %06x: %u pixels", bars[i], count_colour (screen, bars[i]));
  g_test_message ("Screenshot: %s", path);
  g_assert_true (seen);
  g_test_message ("flatpak run to teacher's video: %.1f s",
                  (g_get_monotonic_time () - w.spawned_us) / 1e6);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL || g_getenv ("FLATPAK_USER_DIR") == NULL)
    {
      g_print ("1..0 # SKIP run this test through tests/flatpak/flatpak-class.sh\n");
      return 0;
    }

  w.rig = cohort_media_rig_start (1);
  w.teacher_session = cohort_media_rig_create_class (w.rig, "Ms Li");
  w.teacher = cohort_media_rig_new_call (w.teacher_session, 1280, 720);

  g_test_add_func ("/flatpak/join", test_join);
  g_test_add_func ("/flatpak/receives-video", test_receives_video);

  status = g_test_run ();

  if (w.student != NULL)
    {
      g_autoptr(GSubprocess) kill = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL,
                                                      "flatpak", "kill", APP_ID, NULL);

      if (kill != NULL)
        g_subprocess_wait (kill, NULL, NULL);
      if (!cohort_media_rig_wait (student_exited, NULL, 10000))
        g_subprocess_force_exit (w.student);
      cohort_media_rig_wait (student_exited, NULL, 5000);
      g_clear_object (&w.student);
    }
  g_clear_object (&w.teacher);
  g_clear_object (&w.teacher_session);
  cohort_media_rig_free (w.rig);

  return status;
}

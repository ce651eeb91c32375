/* test-portal.c: screen share through the real ScreenCast portal
 *
 * Runs inside tests/portal/portal-session.sh (a headless sway whose
 * HEADLESS-1 shows SMPTE bars, PipeWire, xdg-desktop-portal and
 * xdg-desktop-portal-wlr that shares HEADLESS-1 without a chooser) and,
 * within it, inside tests/media/netns-run.sh. A real cohort-server with its
 * embedded Janus. The teacher is a real CohortClassWindow, a Wayland client
 * of that sway: its Share Screen button goes through libportal, the portal
 * and pipewiresrc (there is no X11 here to fall back on). The student is a
 * core CohortCall whose decoded frames must show the bars.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#ifdef GDK_WINDOWING_WAYLAND
#include <gdk/wayland/gdkwayland.h>
#endif

#include "cohort-class-window-private.h"
#include "cohort-media-rig.h"
#include "cohort-stage.h"
#include "cohort-test-ui.h"

typedef struct
{
  CohortMediaRig    *rig;
  CohortSession     *teacher_session;
  CohortSession     *student_session;
  CohortCall        *student;
  CohortClassWindow *teacher;
} World;

static World w;

static gint64
teacher_id (void)
{
  return cohort_participant_get_id (cohort_session_get_self (w.teacher_session));
}

static gint64
screen_feed (void)
{
  GListModel *feeds = cohort_call_get_feeds (w.student);

  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);

      if (cohort_feed_get_participant_id (feed) == teacher_id () && cohort_feed_is_screen (feed))
        return cohort_feed_get_feed_id (feed);
    }
  return 0;
}

static guint
screen_frames (void)
{
  gint64 feed = screen_feed ();

  return feed != 0 ? cohort_rig_sink_get_frames (cohort_rig_sink_for_feed (w.student, feed)) : 0;
}

static gboolean
screen_frames_at_least (gpointer data)
{
  return screen_frames () >= GPOINTER_TO_UINT (data);
}

static gboolean
screen_listed (gpointer data)
{
  return screen_feed () != 0;
}

static gboolean
screen_feed_gone (gpointer data)
{
  return screen_feed () == 0;
}

static gboolean
screen_is_on (gpointer data)
{
  CohortStage *stage = COHORT_STAGE (w.teacher->stage);

  return cohort_call_get_screen_on (cohort_classroom_get_call (cohort_stage_get_classroom (stage))) ==
         GPOINTER_TO_INT (data);
}

static GtkWidget *
find_toggle (GtkWidget  *widget,
             const char *tooltip)
{
  if (GTK_IS_TOGGLE_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0 &&
      gtk_widget_is_visible (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_toggle (child, tooltip);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_screen_share (void)
{
  GtkWidget *screen;
  g_autoptr(GstSample) sample = NULL;
  GstStructure *s;
  gint64 start_us, on_us, listed_us, first_us;
  int width = 0, height = 0;
  guint frames;
  double diff;

#ifdef GDK_WINDOWING_WAYLAND
  /* The portal path, not the X11 fallback: there is no X server here. */
  g_assert_true (GDK_IS_WAYLAND_DISPLAY (gdk_display_get_default ()));
#endif

  w.teacher = cohort_class_window_new (NULL, w.teacher_session);
  gtk_window_set_default_size (GTK_WINDOW (w.teacher), 1100, 720);
  gtk_window_present (GTK_WINDOW (w.teacher));
  cohort_test_ui_settle (300);

  screen = find_toggle (GTK_WIDGET (w.teacher), "Share Screen");
  g_assert_nonnull (screen);
  start_us = g_get_monotonic_time ();
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (screen), TRUE);

  /* Portal session, PipeWire stream, VP8 through Janus, decoded by the
   * student. */
  g_assert_true (cohort_media_rig_wait (screen_is_on, GINT_TO_POINTER (TRUE), 30000));
  on_us = g_get_monotonic_time ();
  g_assert_true (cohort_media_rig_wait (screen_listed, NULL, 60000));
  listed_us = g_get_monotonic_time ();
  g_assert_true (cohort_media_rig_wait (screen_frames_at_least, GUINT_TO_POINTER (1), 60000));
  first_us = cohort_rig_sink_get_first_us (cohort_rig_sink_for_feed (w.student, screen_feed ()));
  g_test_message ("desktop (portal-session.sh) up in %s ms; after Share Screen: portal session "
                  "started %.0f ms, feed listed at the student %.0f ms, first frame decoded %.0f ms",
                  g_getenv ("COHORT_PORTAL_STACK_MS"), (on_us - start_us) / 1000.0,
                  (listed_us - start_us) / 1000.0, (first_us - start_us) / 1000.0);

  /* Live: the clock on the shared output keeps frames coming. */
  g_assert_true (cohort_media_rig_wait (screen_frames_at_least, GUINT_TO_POINTER (20), 20000));
  frames = screen_frames ();
  g_assert_true (cohort_media_rig_wait (screen_frames_at_least, GUINT_TO_POINTER (frames + 15), 10000));

  /* Pixels: the student sees HEADLESS-1 (1280x720 of SMPTE bars). */
  sample = cohort_rig_sink_dup_sample (cohort_rig_sink_for_feed (w.student, screen_feed ()));
  g_assert_nonnull (sample);
  s = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
  gst_structure_get_int (s, "width", &width);
  gst_structure_get_int (s, "height", &height);
  g_test_message ("student's screen frames: %dx%d", width, height);
  g_assert_cmpint (width * 9, ==, height * 16);
  diff = cohort_rig_compare_smpte (sample);
  g_test_message ("mean difference from SMPTE bars %.1f", diff);
  g_assert_cmpfloat (diff, <, 12.0);

  /* Stopping (the stage closes the portal session) ends the feed. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (screen), FALSE);
  g_assert_true (cohort_media_rig_wait (screen_is_on, GINT_TO_POINTER (FALSE), 5000));
  g_assert_true (cohort_media_rig_wait (screen_feed_gone, NULL, 10000));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  /* The accessibility bus, started by the session bus outside this
   * test's user namespace, refuses the uid this process claims here. */
  g_setenv ("GTK_A11Y", "none", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);
  adw_init ();

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL || g_getenv ("COHORT_PORTAL_OUTPUT") == NULL)
    {
      g_print ("1..0 # SKIP run this test through tests/portal/portal-session.sh and tests/media/netns-run.sh\n");
      return 0;
    }

  w.rig = cohort_media_rig_start (1);
  w.teacher_session = cohort_media_rig_create_class (w.rig, "Ms Li");
  w.student_session = cohort_media_rig_join (w.rig, w.teacher_session, "Ana");
  w.student = cohort_media_rig_new_call (w.student_session, 640, 360);

  g_test_add_func ("/portal/screen-share", test_screen_share);

  status = g_test_run ();

  if (w.teacher != NULL)
    gtk_window_destroy (GTK_WINDOW (w.teacher));
  g_clear_object (&w.student);
  g_clear_object (&w.teacher_session);
  g_clear_object (&w.student_session);
  cohort_media_rig_free (w.rig);

  return status;
}

/* test-flatpak-portal.c: the sandboxed app shares its screen through the portal
 *
 * Runs inside tests/portal/portal-stack.sh: a headless sway whose
 * HEADLESS-1 shows SMPTE bars, PipeWire, xdg-desktop-portal and the
 * patched xdg-desktop-portal-wlr (portal-session.sh), all as an
 * unprivileged user, then the media tests' network namespace. A real
 * cohort-server with its embedded Janus runs here, outside the sandbox.
 *
 * The teacher is the Flatpak, started with `flatpak run` as a Wayland
 * client of that sway, joining its class with the teacher key. The test
 * presses its Share Screen through the window's exported win.share-screen
 * action (org.gtk.Actions over the session bus, as any script could), so
 * the app itself asks the ScreenCast portal, from inside the sandbox,
 * through flatpak's D-Bus proxy. The test overhears the bus: the
 * ScreenCast.Start call must come from a sandboxed process (its
 * /proc/PID/root has a .flatpak-info) and its Response must carry a
 * stream. The student is a core CohortCall here, outside the sandbox,
 * whose decoded frames of the teacher's screen feed must show the bars.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-media-rig.h"
#include "cohort-test-wait.h"

#define APP_ID "org.cohortclass.Cohort"
#define APP_PATH "/org/cohortclass/Cohort"

typedef struct
{
  CohortMediaRig  *rig;
  CohortSession   *teacher_session;
  CohortSession   *student_session;
  CohortCall      *student;
  GSubprocess     *app;
  gboolean         app_exited;
  GDBusConnection *bus;
  /* What watch_portal() overheard, set in GDBus's worker thread. */
  gint             start_sandboxed;   /* 0 not seen, 1 sandboxed, -1 not */
  char            *start_sender;
  gint64           start_call_us;
  gint64           start_reply_us;
  char            *start_handle;
  GMutex           lock;
} World;

static World w;

static void
on_app_exited (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  w.app_exited = TRUE;
}

static gboolean
app_exited (gpointer data)
{
  return w.app_exited;
}

/* Monitor */

/* Whether the peer @sender runs in a Flatpak sandbox: its process's root
 * is the sandbox's, which holds /.flatpak-info. The caller the portal sees
 * is flatpak's D-Bus proxy, which runs in the app's sandbox too. */
static gboolean
sender_is_sandboxed (const char *sender)
{
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *info = NULL;
  guint32 pid = 0;

  reply = g_dbus_connection_call_sync (w.bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetConnectionUnixProcessID",
                                       g_variant_new ("(s)", sender), G_VARIANT_TYPE ("(u)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(u)", &pid);
  info = g_strdup_printf ("/proc/%u/root/.flatpak-info", pid);
  return g_file_test (info, G_FILE_TEST_EXISTS);
}

/* Runs in GDBus's worker thread: notes the app's Start call and the
 * portal's Response to it, both only overheard (see watch_portal()). */
static GDBusMessage *
watch_filter (GDBusConnection *connection,
              GDBusMessage    *message,
              gboolean         incoming,
              gpointer         user_data)
{
  GDBusMessageType type = g_dbus_message_get_message_type (message);
  const char *destination = g_dbus_message_get_destination (message);

  /* Ours (or broadcast): GDBus handles it as usual. This connection
   * owns no well-known name, so anything sent to another name was
   * overheard. */
  if (!incoming || destination == NULL ||
      g_strcmp0 (destination, g_dbus_connection_get_unique_name (connection)) == 0)
    return message;

  g_mutex_lock (&w.lock);
  if (type == G_DBUS_MESSAGE_TYPE_METHOD_CALL &&
      g_strcmp0 (g_dbus_message_get_interface (message), "org.freedesktop.portal.ScreenCast") == 0 &&
      g_strcmp0 (g_dbus_message_get_member (message), "Start") == 0 && w.start_sender == NULL)
    {
      w.start_sender = g_strdup (g_dbus_message_get_sender (message));
      w.start_call_us = g_get_monotonic_time ();
    }
  else if (type == G_DBUS_MESSAGE_TYPE_SIGNAL && w.start_sender != NULL && w.start_reply_us == 0 &&
           g_strcmp0 (g_dbus_message_get_interface (message), "org.freedesktop.portal.Request") == 0 &&
           g_strcmp0 (g_dbus_message_get_member (message), "Response") == 0 &&
           g_strcmp0 (destination, w.start_sender) == 0)
    {
      GVariant *body = g_dbus_message_get_body (message);
      g_autoptr(GVariant) results = NULL;
      g_autoptr(GVariant) streams = NULL;
      guint32 response = 2;

      if (body != NULL && g_variant_is_of_type (body, G_VARIANT_TYPE ("(ua{sv})")))
        {
          g_variant_get (body, "(u@a{sv})", &response, &results);
          streams = g_variant_lookup_value (results, "streams", G_VARIANT_TYPE ("a(ua{sv})"));
        }
      /* Only Start's Response carries the streams. */
      if (response == 0 && streams != NULL && g_variant_n_children (streams) > 0)
        {
          w.start_reply_us = g_get_monotonic_time ();
          w.start_handle = g_strdup (g_dbus_message_get_path (message));
        }
    }
  g_mutex_unlock (&w.lock);

  /* Someone else's message: GDBus must not answer it. */
  g_object_unref (message);
  return NULL;
}

/* Overhears the portal's traffic on the test bus, whose policy
 * (portal-session.sh) allows eavesdropping. Not BecomeMonitor: that needs
 * a connection of our own, and GLib 2.74 authenticates one only as the
 * uid of this user namespace (netns-run.sh), which the bus refuses; the
 * shared connection authenticates across namespaces. */
static void
watch_portal (void)
{
  const char *rules[] = {
    "eavesdrop='true',type='method_call',interface='org.freedesktop.portal.ScreenCast',member='Start'",
    "eavesdrop='true',type='signal',interface='org.freedesktop.portal.Request',member='Response'",
  };

  g_dbus_connection_add_filter (w.bus, watch_filter, NULL, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (rules); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GVariant) reply = NULL;

      reply = g_dbus_connection_call_sync (w.bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                           "org.freedesktop.DBus", "AddMatch", g_variant_new ("(s)", rules[i]),
                                           NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
      g_assert_no_error (error);
    }
}

/* The app */

/* The class window's object path (it has win.share-screen; the start
 * window does not), or NULL before the app joined its class. */
static char *
class_window_path (void)
{
  for (guint id = 1; id <= 8; id++)
    {
      g_autofree char *path = g_strdup_printf (APP_PATH "/window/%u", id);
      g_autoptr(GVariant) reply = NULL;
      g_autoptr(GVariant) actions = NULL;

      reply = g_dbus_connection_call_sync (w.bus, APP_ID, path, "org.gtk.Actions", "List", NULL,
                                           G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE,
                                           5000, NULL, NULL);
      if (reply == NULL)
        continue;
      actions = g_variant_get_child_value (reply, 0);
      for (gsize i = 0; i < g_variant_n_children (actions); i++)
        {
          g_autoptr(GVariant) name = g_variant_get_child_value (actions, i);

          if (g_str_equal (g_variant_get_string (name, NULL), "share-screen"))
            return g_steal_pointer (&path);
        }
    }
  return NULL;
}

static gint64
screen_feed (void)
{
  GListModel *feeds = cohort_call_get_feeds (w.student);

  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);

      if (cohort_feed_is_screen (feed))
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

/* Looks for the class window every 250 ms (the main loop alone would not
 * wake up for it: nothing here hears the app change) until it is there or
 * the app is gone. */
static char *
wait_for_class_window (guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + cohort_test_scaled_ms (timeout_ms) * (gint64) 1000;

  while (!w.app_exited && g_get_monotonic_time () < deadline)
    {
      char *path = class_window_path ();

      if (path != NULL)
        return path;
      cohort_media_rig_sleep (250);
    }
  return NULL;
}

/* Presses Share Screen over D-Bus until the student sees a screen feed:
 * the button appears once the classroom's call may publish, a moment
 * after the window; pressing it again while it is down does nothing. */
static gboolean
share_until_listed (const char *path,
                    guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + cohort_test_scaled_ms (timeout_ms) * (gint64) 1000;

  while (!w.app_exited && screen_feed () == 0 && g_get_monotonic_time () < deadline)
    {
      g_dbus_connection_call (w.bus, APP_ID, path, "org.gtk.Actions", "Activate",
                              g_variant_new ("(sava{sv})", "share-screen", NULL, NULL),
                              NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL, NULL);
      cohort_media_rig_sleep (250);
    }
  return screen_feed () != 0;
}

static void
test_screen_share (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ice = g_strdup_printf ("--env=COHORT_MEDIA_ICE_ADDRESSES=%s",
                                          g_getenv ("COHORT_MEDIA_ICE_ADDRESSES"));
  g_autofree char *window = NULL;
  g_autoptr(GstSample) sample = NULL;
  GstStructure *s;
  gint64 spawned_us, window_us, listed_us, first_us;
  int width = 0, height = 0;
  guint frames;
  double diff;

  watch_portal ();

  /* The sandbox gets none of our environment but these. Cairo: no GL on
   * the pixman compositor; no accessibility bus in the test session. */
  spawned_us = g_get_monotonic_time ();
  w.app = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                            "flatpak", "run", ice,
                            "--env=GSK_RENDERER=cairo", "--env=NO_AT_BRIDGE=1", "--env=GTK_A11Y=none",
                            "--env=LC_ALL=C.UTF-8",
                            APP_ID,
                            "--server", cohort_media_rig_get_url (w.rig),
                            "--code", cohort_session_get_class_code (w.teacher_session),
                            "--teacher-key", cohort_session_get_teacher_key (w.teacher_session),
                            NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (w.app, NULL, on_app_exited, NULL);

  /* The teacher's class window, on the app's exported actions. */
  window = wait_for_class_window (60000);
  g_assert_false (app_exited (NULL));
  g_assert_nonnull (window);
  window_us = g_get_monotonic_time ();

  /* Share Screen: portal session, PipeWire stream, VP8 through Janus. */
  g_assert_true (share_until_listed (window, 60000));
  g_assert_false (app_exited (NULL));
  listed_us = g_get_monotonic_time ();
  g_assert_true (cohort_media_rig_wait (screen_frames_at_least, GUINT_TO_POINTER (1), 60000));
  first_us = cohort_rig_sink_get_first_us (cohort_rig_sink_for_feed (w.student, screen_feed ()));

  /* The app asked the portal from inside the sandbox, and got a stream. */
  g_mutex_lock (&w.lock);
  g_assert_nonnull (w.start_sender);
  g_assert_cmpint (w.start_reply_us, >, 0);
  g_test_message ("ScreenCast.Start from %s (response %s)", w.start_sender, w.start_handle);
  g_mutex_unlock (&w.lock);
  g_assert_true (sender_is_sandboxed (w.start_sender));

  g_test_message ("desktop (portal-session.sh) up in %s ms; after flatpak run: class window %.0f ms, "
                  "portal Start called %.0f ms, answered with a stream %.0f ms, "
                  "feed listed at the student %.0f ms, first frame decoded %.0f ms",
                  g_getenv ("COHORT_PORTAL_STACK_MS"), (window_us - spawned_us) / 1000.0,
                  (w.start_call_us - spawned_us) / 1000.0, (w.start_reply_us - spawned_us) / 1000.0,
                  (listed_us - spawned_us) / 1000.0, (first_us - spawned_us) / 1000.0);

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
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL || g_getenv ("COHORT_PORTAL_OUTPUT") == NULL ||
      g_getenv ("FLATPAK_USER_DIR") == NULL)
    {
      g_print ("1..0 # SKIP run this test through tests/flatpak/flatpak-portal.sh\n");
      return 0;
    }

  g_mutex_init (&w.lock);
  w.bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_assert_nonnull (w.bus);
  w.rig = cohort_media_rig_start (1);
  w.teacher_session = cohort_media_rig_create_class (w.rig, "Ms Li");
  w.student_session = cohort_media_rig_join (w.rig, w.teacher_session, "Ana");
  w.student = cohort_media_rig_new_call (w.student_session, 640, 360);

  g_test_add_func ("/flatpak/portal-screen-share", test_screen_share);

  status = g_test_run ();

  if (w.app != NULL)
    {
      g_autoptr(GSubprocess) kill = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, NULL,
                                                      "flatpak", "kill", APP_ID, NULL);

      if (kill != NULL)
        g_subprocess_wait (kill, NULL, NULL);
      if (!cohort_media_rig_wait (app_exited, NULL, 10000))
        g_subprocess_force_exit (w.app);
      cohort_media_rig_wait (app_exited, NULL, 5000);
      g_clear_object (&w.app);
    }
  g_clear_object (&w.student);
  g_clear_object (&w.teacher_session);
  g_clear_object (&w.student_session);
  cohort_media_rig_free (w.rig);
  g_clear_object (&w.bus);
  g_free (w.start_sender);
  g_free (w.start_handle);

  return status;
}

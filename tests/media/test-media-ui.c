/* test-media-ui.c: the stage in real class windows, inside netns-run.sh and Xvfb
 *
 * A real cohort-server with its embedded Janus. The teacher is a core
 * CohortCall publishing videotestsrc; the student is a real
 * CohortClassWindow whose stage shows the teacher live. Then the teacher
 * invites the student onto the stage: the student's window asks first,
 * the test accepts, and the student's own preview and feed appear.
 * Screenshots go next to the test binary.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "cohort-class-window-private.h"
#include "cohort-link-overlay.h"
#include "cohort-media-preferences.h"
#include "cohort-media-rig.h"
#include "cohort-presenter-window.h"
#include "cohort-stage.h"
#include "cohort-test-ui.h"
#include "cohort-video-paintable.h"
#include "cohort-video-tile.h"

typedef struct
{
  CohortMediaRig    *rig;
  CohortSession     *teacher_session;
  CohortCall        *teacher;
  CohortSession     *student_session;
  CohortClassWindow *window;
} World;

static World w;

static CohortStage *
stage (void)
{
  return COHORT_STAGE (w.window->stage);
}

static CohortVideoPaintable *
main_paintable (void)
{
  GtkWidget *tile = cohort_stage_get_main_tile (stage ());
  GdkPaintable *paintable = cohort_video_tile_get_paintable (COHORT_VIDEO_TILE (tile));

  return COHORT_IS_VIDEO_PAINTABLE (paintable) ? COHORT_VIDEO_PAINTABLE (paintable) : NULL;
}

static gboolean
main_tile_live (gpointer data)
{
  guint min_frames = GPOINTER_TO_UINT (data);
  GtkWidget *tile = cohort_stage_get_main_tile (stage ());
  CohortVideoPaintable *paintable = main_paintable ();

  return gtk_widget_get_mapped (tile) &&
         cohort_video_tile_get_showing_video (COHORT_VIDEO_TILE (tile)) &&
         paintable != NULL && cohort_video_paintable_get_frames (paintable) >= min_frames;
}

static gboolean
weak_bar_shown (gpointer data)
{
  GtkRevealer *bar = GTK_REVEALER (cohort_stage_get_weak_link_bar (stage ()));

  return gtk_revealer_get_child_revealed (bar) == GPOINTER_TO_INT (data);
}

/* Sound before picture: "Audio Only" in the weak-link strip pauses the
 * student's video subscription (at Janus), and turning it off brings the
 * full picture back (a weak link steps down again within seconds). */
static void
test_audio_only (void)
{
  CohortCall *call = cohort_classroom_get_call (w.window->classroom);
  GtkRevealer *bar = GTK_REVEALER (cohort_stage_get_weak_link_bar (stage ()));
  gint64 feed_id;

  g_assert_true (cohort_media_rig_wait (main_tile_live, GUINT_TO_POINTER (1), 15000));
  feed_id = 0;
  for (guint i = 0; i < g_list_model_get_n_items (cohort_call_get_feeds (call)); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (cohort_call_get_feeds (call), i);

      if (g_str_equal (cohort_feed_get_kind (feed), "camera") &&
          cohort_feed_get_participant_id (feed) ==
          cohort_participant_get_id (cohort_session_get_self (w.teacher_session)))
        feed_id = cohort_feed_get_feed_id (feed);
    }
  g_assert_cmpint (feed_id, !=, 0);
  g_assert_false (gtk_revealer_get_reveal_child (bar));
  g_assert_cmpuint (cohort_call_get_feed_layer (call, feed_id), ==, 0);

  cohort_call_set_audio_only (call, TRUE);
  g_assert_true (cohort_media_rig_wait (weak_bar_shown, GINT_TO_POINTER (TRUE), 5000));
  g_assert_cmpuint (cohort_call_get_feed_layer (call, feed_id), ==, COHORT_LINK_LAYER_PAUSED);
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (w.window), "media-stage-audio-only.png");

  cohort_call_set_audio_only (call, FALSE);
  g_assert_true (cohort_media_rig_wait (weak_bar_shown, GINT_TO_POINTER (FALSE), 5000));
  g_assert_cmpuint (cohort_call_get_feed_layer (call, feed_id), ==, 0);
}

static gboolean
is_link_indicator (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_IMAGE (widget) && gtk_widget_has_css_class (widget, "video-link");
}

static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

/* The main tile tells of the link (poor: the indicator shows). */
static gboolean
main_tile_link_is (gpointer data)
{
  CohortLinkQuality quality = GPOINTER_TO_INT (data);
  GtkWidget *tile = cohort_stage_get_main_tile (stage ());

  return cohort_video_tile_get_link_quality (COHORT_VIDEO_TILE (tile)) == quality &&
         (cohort_test_ui_find_shown (tile, is_link_indicator, NULL) != NULL) == (quality != COHORT_LINK_QUALITY_GOOD);
}

static gboolean
teacher_sees_student_link (gpointer data)
{
  gint64 id = cohort_participant_get_id (cohort_session_get_self (w.student_session));
  CohortParticipant *p = cohort_roster_lookup (cohort_session_get_roster (w.teacher_session), id);

  return p != NULL && cohort_participant_get_connection_quality (p) == (CohortConnectionQuality) GPOINTER_TO_INT (data);
}

static gboolean
overlay_lists (gpointer text)
{
  GtkWidget *overlay = cohort_stage_get_link_overlay (stage ());

  return cohort_test_ui_find_shown (overlay, label_contains, text) != NULL;
}

/* Telling people: the student's tile of the teacher's video shows the
 * subscription's link, the debug overlay lists the estimator's steps,
 * and the teacher's roster hears of it. Audio only pins the subscription
 * to "paused", which the estimator calls poor. */
static void
test_link_indicator (void)
{
  CohortCall *call = cohort_classroom_get_call (w.window->classroom);
  GtkWidget *overlay = cohort_stage_get_link_overlay (stage ());
  GtkWidget *icon;
  guint steps;

  g_assert_true (cohort_media_rig_wait (main_tile_live, GUINT_TO_POINTER (1), 15000));
  g_assert_true (main_tile_link_is (GINT_TO_POINTER (COHORT_LINK_QUALITY_GOOD)));

  /* Ctrl+Shift+D's action. */
  g_assert_false (gtk_widget_get_visible (overlay));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.window), "stage.link-overlay", NULL));
  g_assert_true (gtk_widget_get_visible (overlay));
  steps = cohort_link_overlay_get_n_steps (COHORT_LINK_OVERLAY (overlay));

  cohort_call_set_audio_only (call, TRUE);
  g_assert_true (cohort_media_rig_wait (main_tile_link_is, GINT_TO_POINTER (COHORT_LINK_QUALITY_POOR), 5000));
  icon = cohort_test_ui_find_shown (cohort_stage_get_main_tile (stage ()), is_link_indicator, NULL);
  g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "network-cellular-signal-weak-symbolic");
  g_assert_nonnull (gtk_widget_get_tooltip_text (icon));
  g_assert_cmpuint (cohort_link_overlay_get_n_steps (COHORT_LINK_OVERLAY (overlay)), ==, steps + 1);
  /* The newest step on top, as the list shows it: "… · poor · … · audio only". */
  g_assert_true (cohort_media_rig_wait (overlay_lists, (gpointer) "audio only", 5000));
  g_assert_true (cohort_media_rig_wait (overlay_lists, (gpointer) "poor", 5000));
  g_assert_true (cohort_media_rig_wait (teacher_sees_student_link, GINT_TO_POINTER (COHORT_CONNECTION_QUALITY_POOR),
                                        5000));
  cohort_test_ui_settle (1200);
  cohort_test_ui_save_screenshot (GTK_WIDGET (w.window), "media-stage-link-poor.png");

  cohort_call_set_audio_only (call, FALSE);
  g_assert_true (cohort_media_rig_wait (main_tile_link_is, GINT_TO_POINTER (COHORT_LINK_QUALITY_GOOD), 5000));
  g_assert_true (cohort_media_rig_wait (overlay_lists, (gpointer) "video again", 5000));
  g_assert_true (cohort_media_rig_wait (teacher_sees_student_link, GINT_TO_POINTER (COHORT_CONNECTION_QUALITY_GOOD),
                                        5000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.window), "stage.link-overlay", NULL));
  g_assert_false (gtk_widget_get_visible (overlay));
}

static void
test_student_sees_teacher (void)
{
  CohortVideoPaintable *paintable;
  GdkTexture *texture;
  guint frames;

  gtk_window_set_default_size (GTK_WINDOW (w.window), 1100, 720);
  gtk_window_present (GTK_WINDOW (w.window));
  cohort_test_ui_settle (300);

  /* Nobody shares video yet: the placeholder. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (w.window->stage_status)));

  cohort_call_set_camera_on (w.teacher, TRUE);
  g_assert_true (cohort_media_rig_wait (main_tile_live, GUINT_TO_POINTER (30), 15000));
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (w.window->stage_status)));

  /* The tile keeps the picture's 16:9. */
  paintable = main_paintable ();
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (GDK_PAINTABLE (paintable)), ==, 1280);
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (GDK_PAINTABLE (paintable)), ==, 720);
  g_assert_cmpstr (cohort_video_tile_get_name (COHORT_VIDEO_TILE (cohort_stage_get_main_tile (stage ()))),
                   ==, "Ms Li");

  /* Pixels, not only frames: the teacher's SMPTE bars. */
  texture = cohort_video_paintable_get_texture (paintable);
  g_assert_nonnull (texture);
  cohort_test_ui_assert_smpte_bars (texture);

  /* Live: frames keep coming through the latest-frame slot. */
  frames = cohort_video_paintable_get_frames (paintable);
  g_assert_true (cohort_media_rig_wait (main_tile_live, GUINT_TO_POINTER (frames + 20), 5000));

  cohort_test_ui_settle (200);
  cohort_test_ui_save_screenshot (GTK_WIDGET (w.window), "media-stage-student.png");

  /* Phone width: still usable. */
  gtk_window_set_default_size (GTK_WINDOW (w.window), 360, 720);
  cohort_test_ui_settle (600);
  cohort_test_ui_save_screenshot (GTK_WIDGET (w.window), "media-stage-student-360.png");
  gtk_window_set_default_size (GTK_WINDOW (w.window), 1100, 720);
  cohort_test_ui_settle (300);
}

/* The student's call publishes a test pattern instead of a camera. */
static GstElement *
on_student_source (CohortCall *call,
                   const char *what,
                   gpointer    user_data)
{
  const char *desc = NULL;

  if (g_str_equal (what, "camera"))
    desc = "videotestsrc is-live=true pattern=ball ! capsfilter caps=video/x-raw,format=I420,width=640,height=360,framerate=30/1";
  else if (g_str_equal (what, "microphone"))
    desc = "audiotestsrc is-live=true wave=sine volume=0.1 samplesperbuffer=960";
  return desc != NULL ? gst_parse_bin_from_description (desc, TRUE, NULL) : NULL;
}

static gboolean
invitation_shown (gpointer data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *(AdwMessageDialog **) data = ADW_MESSAGE_DIALOG (window);
          return TRUE;
        }
    }
  return FALSE;
}

typedef struct
{
  CohortCall *call;
  gint64      participant_id;
  gboolean    present;
} FeedCheck;

static gboolean
feed_presence_is (gpointer data)
{
  FeedCheck *fc = data;
  GListModel *feeds = cohort_call_get_feeds (fc->call);
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);

      if (cohort_feed_get_participant_id (feed) == fc->participant_id)
        found = TRUE;
    }
  return found == fc->present;
}

static gboolean
preview_live (gpointer data)
{
  return cohort_video_paintable_get_frames (cohort_stage_get_preview (stage (), "camera")) >= 10;
}

static gboolean
publishing_is (gpointer data)
{
  return cohort_classroom_get_publishing (cohort_stage_get_classroom (stage ())) == GPOINTER_TO_INT (data);
}

static void
on_stage_result (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cohort_call_stage_finish (COHORT_CALL (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
switch_all_on (GtkWidget *widget)
{
  if (GTK_IS_SWITCH (widget))
    gtk_switch_set_active (GTK_SWITCH (widget), TRUE);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    switch_all_on (child);
}

static void
test_invitation (void)
{
  CohortCall *call = cohort_classroom_get_call (cohort_stage_get_classroom (stage ()));
  gint64 student_id = cohort_participant_get_id (cohort_session_get_self (w.student_session));
  AdwMessageDialog *dialog = NULL;
  FeedCheck at_teacher = { w.teacher, student_id, TRUE };
  gboolean done = FALSE;

  g_signal_connect (call, "create-source", G_CALLBACK (on_student_source), NULL);

  /* Not on stage: no controls to publish. */
  g_assert_false (cohort_call_get_can_publish (call));

  cohort_call_stage_async (w.teacher, COHORT_STAGE_INVITE, student_id, NULL, on_stage_result, &done);
  g_assert_true (cohort_media_rig_wait (flag_set, &done, 5000));

  /* Asked first; nothing is published before the answer. */
  g_assert_true (cohort_media_rig_wait (invitation_shown, &dialog, 5000));
  g_assert_false (cohort_call_get_camera_on (call));
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (dialog), "media-stage-invitation.png");
  /* This machine has no camera or microphone (the switches are off and
   * say so); the test's sources stand in for them: switch both on. */
  switch_all_on (adw_message_dialog_get_extra_child (dialog));
  adw_message_dialog_response (dialog, "accept");

  /* On stage: the student's feed reaches the teacher, and the student
   * sees their own preview. */
  g_assert_true (cohort_media_rig_wait (publishing_is, GINT_TO_POINTER (TRUE), 10000));
  g_assert_true (cohort_media_rig_wait (feed_presence_is, &at_teacher, 10000));
  g_assert_true (cohort_media_rig_wait (preview_live, NULL, 10000));
  cohort_test_ui_settle (500);
  cohort_test_ui_save_screenshot (GTK_WIDGET (w.window), "media-stage-on-stage.png");

  /* The teacher takes the student off: publishing stops, the feed goes. */
  done = FALSE;
  cohort_call_stage_async (w.teacher, COHORT_STAGE_REMOVE, student_id, NULL, on_stage_result, &done);
  g_assert_true (cohort_media_rig_wait (flag_set, &done, 5000));
  at_teacher.present = FALSE;
  g_assert_true (cohort_media_rig_wait (feed_presence_is, &at_teacher, 10000));
  g_assert_true (cohort_media_rig_wait (publishing_is, GINT_TO_POINTER (FALSE), 10000));
}

/* The teacher's own window: camera from a test source, the screen from
 * the application's own X11 capture (no portal on this bus), the
 * presenter view while sharing; the student sees the screen large with
 * the teacher's camera as a picture-in-picture. */
static GstElement *
on_teacher_source (CohortCall *call,
                   const char *what,
                   gpointer    user_data)
{
  const char *desc = NULL;

  if (g_str_equal (what, "camera"))
    desc = "videotestsrc is-live=true pattern=smpte ! capsfilter caps=video/x-raw,format=I420,width=1280,height=720,framerate=30/1";
  else if (g_str_equal (what, "microphone"))
    desc = "audiotestsrc is-live=true wave=sine volume=0.1 samplesperbuffer=960";
  /* "screen": NULL, the stage's own screen cast answers. */
  return desc != NULL ? gst_parse_bin_from_description (desc, TRUE, NULL) : NULL;
}

static gboolean
is_shown_toggle (GtkWidget     *widget,
                 gconstpointer  tooltip)
{
  return GTK_IS_TOGGLE_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0 &&
         gtk_widget_is_visible (widget);
}

static gboolean
is_shown_button (GtkWidget     *widget,
                 gconstpointer  tooltip)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0 &&
         gtk_widget_is_visible (widget);
}

static gboolean
toplevel_of_type (gpointer data)
{
  GType *type = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, *type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return TRUE;
    }
  return FALSE;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
student_sees_screen_with_pip (gpointer data)
{
  CohortVideoTile *main_tile = COHORT_VIDEO_TILE (cohort_stage_get_main_tile (stage ()));
  const char *name = cohort_video_tile_get_name (main_tile);

  return name != NULL && g_str_has_suffix (name, "Screen") && main_tile_live (GUINT_TO_POINTER (5));
}

static gboolean
teacher_preview_live (gpointer data)
{
  CohortStage *teacher_stage = data;

  return cohort_video_paintable_get_frames (cohort_stage_get_preview (teacher_stage, "camera")) >= 10;
}

static gboolean
share_shortcuts_shown (gpointer data)
{
  return gtk_widget_get_visible (w.window->share_shortcuts);
}

static gboolean
not_toplevel_of_type (gpointer data)
{
  return !toplevel_of_type (data);
}

static void
test_teacher_presenter (void)
{
  FeedCheck gone = { cohort_classroom_get_call (cohort_stage_get_classroom (stage ())), 0, FALSE };
  CohortClassWindow *teacher;
  CohortStage *teacher_stage;
  GtkWidget *camera, *screen;
  GtkWindow *presenter, *prefs;
  GType presenter_type = COHORT_TYPE_PRESENTER_WINDOW;
  GType prefs_type = COHORT_TYPE_MEDIA_PREFERENCES;

  gtk_window_present (GTK_WINDOW (w.window));

  /* The core teacher leaves the stage to the teacher's window. */
  gone.participant_id = cohort_participant_get_id (cohort_session_get_self (w.teacher_session));
  cohort_call_set_camera_on (w.teacher, FALSE);
  g_assert_true (cohort_media_rig_wait (feed_presence_is, &gone, 10000));
  g_clear_object (&w.teacher);

  teacher = cohort_class_window_new (NULL, w.teacher_session);
  teacher_stage = COHORT_STAGE (teacher->stage);
  g_signal_connect (cohort_classroom_get_call (cohort_stage_get_classroom (teacher_stage)), "create-source",
                    G_CALLBACK (on_teacher_source), NULL);
  gtk_window_set_default_size (GTK_WINDOW (teacher), 1100, 720);
  gtk_window_present (GTK_WINDOW (teacher));
  cohort_test_ui_settle (300);

  /* The teacher always has the controls; the camera button publishes. */
  camera = cohort_test_ui_find (GTK_WIDGET (teacher), is_shown_toggle, "Turn Camera On");
  g_assert_nonnull (camera);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (camera), TRUE);
  g_assert_true (cohort_media_rig_wait (teacher_preview_live, teacher_stage, 10000));
  g_assert_true (cohort_media_rig_wait (main_tile_live, GUINT_TO_POINTER (10), 10000));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (camera), ==, "Turn Camera Off");
  cohort_test_ui_settle (300);
  /* Mute All is the teacher's, next to the stage controls. */
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (teacher), is_shown_button,
                                         "Mute Every Student's Microphone"));
  g_assert_null (cohort_test_ui_find (GTK_WIDGET (w.window), is_shown_button,
                                      "Mute Every Student's Microphone"));
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "media-stage-teacher.png");

  /* Sharing the screen opens the presenter view. */
  screen = cohort_test_ui_find (GTK_WIDGET (teacher), is_shown_toggle, "Share Screen");
  g_assert_nonnull (screen);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (screen), TRUE);
  g_assert_true (cohort_media_rig_wait (toplevel_of_type, &presenter_type, 10000));
  g_assert_true (cohort_media_rig_wait (student_sees_screen_with_pip, NULL, 15000));
  {
    GtkWidget *tile = cohort_stage_get_main_tile (stage ());
    /* The picture-in-picture is the teacher's camera, beside the screen. */
    GtkWidget *pip = gtk_widget_get_next_sibling (tile);

    g_assert_true (COHORT_IS_VIDEO_TILE (pip));
    g_assert_true (gtk_widget_get_visible (pip));
    g_assert_cmpstr (cohort_video_tile_get_name (COHORT_VIDEO_TILE (pip)), ==, "Ms Li");
  }
  cohort_test_ui_settle (800);
  cohort_test_ui_save_screenshot (GTK_WIDGET (w.window), "media-stage-student-screen-share.png");
  /* The student keeps the chat and the quiz within reach: with the side
   * panel closed, Chat and Quiz buttons over the shared screen open it. */
  adw_flap_set_reveal_flap (w.window->flap, FALSE);
  g_assert_true (cohort_media_rig_wait (share_shortcuts_shown, NULL, 5000));
  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (w.window), "media-stage-student-screen-share-closed.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (w.window), "class.show-page", "s", "quiz"));
  g_assert_true (adw_flap_get_reveal_flap (w.window->flap));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (w.window->side_stack), ==, "quiz");
  g_assert_false (share_shortcuts_shown (NULL));
  presenter = find_toplevel (presenter_type);
  /* The presenter's Chat and Quiz open the class window's pages (only an
   * application's window has an id: the test sets one). */
  g_assert_null (cohort_test_ui_find_shown (GTK_WIDGET (presenter), is_shown_button, "Open the Quiz"));
  cohort_presenter_window_set_class_window_id (COHORT_PRESENTER_WINDOW (presenter), 7);
  {
    GtkWidget *quiz = cohort_test_ui_find (GTK_WIDGET (presenter), is_shown_button, "Open the Quiz");
    g_autoptr(GVariant) target = NULL;
    g_autoptr(GVariant) expected = g_variant_ref_sink (g_variant_new ("(us)", 7, "quiz"));

    g_assert_nonnull (quiz);
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (quiz)), ==, "app.show-class-place");
    target = g_variant_ref (gtk_actionable_get_action_target_value (GTK_ACTIONABLE (quiz)));
    g_assert_true (g_variant_equal (target, expected));
  }
  cohort_test_ui_save_screenshot (GTK_WIDGET (presenter), "media-presenter-window.png");

  /* Preferences: devices and quality. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "stage.preferences", NULL));
  g_assert_true (cohort_media_rig_wait (toplevel_of_type, &prefs_type, 5000));
  prefs = find_toplevel (prefs_type);
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (prefs), "media-preferences.png");
  gtk_window_destroy (prefs);

  /* Stop sharing from the presenter view: it closes, the screen feed ends. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (screen), FALSE);
  g_assert_true (cohort_media_rig_wait (not_toplevel_of_type, &presenter_type, 5000));
  g_assert_false (cohort_classroom_get_screen_on (cohort_stage_get_classroom (teacher_stage)));

  gtk_window_destroy (GTK_WINDOW (teacher));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  cohort_test_ui_init_display (&argc, &argv);
  gst_init (&argc, &argv);

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL)
    {
      g_print ("1..0 # SKIP run this test through tests/media/netns-run.sh\n");
      return 0;
    }

  w.rig = cohort_media_rig_start (1);
  w.teacher_session = cohort_media_rig_create_class (w.rig, "Ms Li");
  w.student_session = cohort_media_rig_join (w.rig, w.teacher_session, "Ana");
  w.teacher = cohort_media_rig_new_call (w.teacher_session, 1280, 720);
  w.window = cohort_class_window_new (NULL, w.student_session);

  g_test_add_func ("/media-ui/student-sees-teacher", test_student_sees_teacher);
  g_test_add_func ("/media-ui/audio-only", test_audio_only);
  g_test_add_func ("/media-ui/link-indicator", test_link_indicator);
  g_test_add_func ("/media-ui/invitation", test_invitation);
  g_test_add_func ("/media-ui/teacher-presenter", test_teacher_presenter);

  status = g_test_run ();

  /* Tearing down: the window goes while its lists still update (the call
   * ends with the rig), and GTK 4.8 warns that a list view it is
   * destroying "failed to scroll to given position". Criticals stay
   * fatal; the cases above ran with warnings fatal too. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  gtk_window_destroy (GTK_WINDOW (w.window));
  g_clear_object (&w.teacher);
  g_clear_object (&w.teacher_session);
  g_clear_object (&w.student_session);
  cohort_media_rig_free (w.rig);

  return status;
}

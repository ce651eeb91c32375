/* test-notices-ui.c: toasts, desktop notifications and sounds for a class of 40, against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-notices-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "cohort-application.h"
#include "cohort-chat-page.h"
#include "cohort-chat-protocol.h"
#include "cohort-media-preferences.h"
#include "cohort-quiz-model.h"
#include "cohort-quiz-page.h"
#include "cohort-quiz-protocol.h"
#include "cohort-session.h"
#include "cohort-sound-player.h"
#include "cohort-stage.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-notifications.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

#include "cohort-class-window-private.h"

#define APP_ID_UNDER_TEST "org.cohortclass.Cohort.TestNotices"

static CohortTestServer *server;

/* ---- helpers ---- */

static const char *
toast_title (gpointer toast)
{
  return adw_toast_get_title (toast);
}

/* The titles of the window's toasts on screen (or pushed aside by an
 * urgent one), in the order they were shown. */
static GStrv
shown_titles (CohortClassWindow *window)
{
  GPtrArray *shown = cohort_class_window_get_shown_toasts (window);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < shown->len; i++)
    g_strv_builder_add (builder, toast_title (g_ptr_array_index (shown, i)));
  return g_strv_builder_end (builder);
}

/* The toast widget an overlay shows now (its last "toast" child), or NULL. */
static GtkWidget *
current_toast_widget (AdwToastOverlay *overlay)
{
  GtkWidget *found = NULL;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (overlay)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (gtk_widget_get_css_name (child), "toast") && gtk_widget_get_can_target (child))
      found = child;
  return found;
}

static AdwToastOverlay *
stage_overlay (CohortClassWindow *window)
{
  return cohort_stage_get_toast_overlay (COHORT_STAGE (window->stage));
}

/* Whether the overlay shows a toast whose text starts with @prefix. */
static gboolean
widget_visible (gpointer widget)
{
  return gtk_widget_get_visible (widget);
}

static gboolean
overlay_shows (AdwToastOverlay *overlay,
               const char      *prefix)
{
  GtkWidget *toast = current_toast_widget (overlay);
  GtkWidget *label;

  if (toast == NULL)
    return FALSE;
  label = cohort_test_ui_find (toast, cohort_test_ui_is_type, "GtkLabel");
  return label != NULL && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (label)), prefix);
}

static guint
n_online (CohortClassWindow *window)
{
  return cohort_roster_get_n_online (cohort_session_get_roster (cohort_class_window_get_session (window)));
}

typedef struct
{
  CohortClassWindow *window;
  guint              n;
  GPtrArray         *seen;   /* every distinct toast title shown, in order */
} Watch;

/* Records the toasts on screen as they come; holds when @n are online. */
static gboolean
watch_until_online (gpointer data)
{
  Watch *w = data;
  g_auto(GStrv) titles = shown_titles (w->window);

  for (guint i = 0; titles[i] != NULL; i++)
    if (!g_ptr_array_find_with_equal_func (w->seen, titles[i], g_str_equal, NULL))
      g_ptr_array_add (w->seen, g_strdup (titles[i]));
  return n_online (w->window) >= w->n;
}

static gboolean
bank_filled (gpointer model)
{
  return g_list_model_get_n_items (cohort_quiz_model_get_bank (model)) > 0;
}

/* Imports docs/quiz-example.json into the teacher's bank; returns the
 * first question's id. */
static gint64
import_example (CohortClassWindow *teacher)
{
  g_autofree char *here = g_path_get_dirname (__FILE__);
  g_autofree char *path = g_build_filename (here, "..", "..", "docs", "quiz-example.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) file = NULL;
  g_autoptr(JsonObject) imported = NULL;
  g_autoptr(GError) error = NULL;
  CohortQuizPage *page = cohort_test_ui_side_page (teacher, "quiz", COHORT_TYPE_QUIZ_PAGE);
  JsonObject *body = json_object_new ();

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  file = json_from_string (text, NULL);
  json_object_set_object_member (body, "file", json_object_ref (json_node_get_object (file)));
  imported = cohort_test_session_request (cohort_class_window_get_session (teacher), COHORT_REQ_QUIZ_IMPORT,
                                          body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (imported);
  /* The bank follows the event; launching needs the question there. */
  g_assert_true (cohort_test_ui_wait_for (bank_filled, cohort_quiz_page_get_model (page), 10000));
  return json_array_get_int_element (json_object_get_array_member (imported, "question_ids"), 0);
}

static gboolean
question_open (gpointer data)
{
  return cohort_quiz_model_get_state (data) == COHORT_QUIZ_STATE_OPEN;
}

static CohortQuizModel *
quiz_model (CohortClassWindow *window)
{
  return cohort_quiz_page_get_model (cohort_test_ui_side_page (window, "quiz", COHORT_TYPE_QUIZ_PAGE));
}

static void
launch (CohortClassWindow *teacher,
        gint64             question_id)
{
  g_assert_true (gtk_widget_activate_action (cohort_test_ui_side_page (teacher, "quiz", COHORT_TYPE_QUIZ_PAGE),
                                             "quiz.launch", "x", question_id));
}

static gboolean
is_inactive (gpointer window)
{
  return !gtk_window_is_active (window);
}

static gboolean
is_active (gpointer window)
{
  return gtk_window_is_active (window);
}

/* Focuses @other, and waits until @window has seen that it lost the
 * focus (X delivers the focus events of both windows in turn). */
static void
away_from (CohortClassWindow *window,
           CohortClassWindow *other)
{
  gtk_window_present (GTK_WINDOW (other));
  g_assert_true (cohort_test_ui_wait_for (is_active, other, 5000));
  g_assert_true (cohort_test_ui_wait_for (is_inactive, window, 5000));
  cohort_test_ui_settle (300);
  g_assert_false (gtk_window_is_active (GTK_WINDOW (window)));
}

/* ---- 40 joins are one toast, not 40 ---- */

static void
test_forty_joins (void)
{
  g_autoptr(CohortClassWindow) teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Forty");
  CohortSession *ts = cohort_class_window_get_session (teacher);
  g_autoptr(GPtrArray) students = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *summary_prefix = NULL;
  Watch w = { teacher, 41, seen };
  gboolean summarised = FALSE;

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("Student %02u", i + 1);

      g_ptr_array_add (students, cohort_test_session_join (cohort_test_server_get_url (server), ts, name));
    }
  g_assert_true (cohort_test_ui_wait_for (watch_until_online, &w, 30000));
  /* Let the last join events reach the window. */
  cohort_test_ui_settle (300);
  watch_until_online (&w);

  /* One toast on screen and at most one summary waiting, however many
   * joined: not 40 toasts of four seconds each. */
  g_assert_cmpuint (cohort_class_window_get_shown_toasts (teacher)->len, <=, 1);
  g_assert_cmpuint (cohort_notice_queue_get_n_pending (teacher->notices), <=, 1);
  g_assert_cmpuint (seen->len, <=, 3);

  /* The summary uses the plural of the user's language. */
  summary_prefix = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u student joined", "%u students joined", 2), 2);
  for (guint i = 0; i < seen->len; i++)
    g_test_message ("toast: %s", (char *) g_ptr_array_index (seen, i));
  for (guint i = 0; i < 50 && !summarised; i++)
    {
      g_auto(GStrv) titles = shown_titles (teacher);

      for (guint j = 0; titles[j] != NULL; j++)
        if (g_regex_match_simple ("^[0-9]+", titles[j], 0, 0) && strstr (titles[j], summary_prefix + 1) != NULL)
          summarised = TRUE;
      if (!summarised)
        cohort_test_ui_settle (200);
    }
  g_assert_true (summarised);
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "notices-forty-joins.png");

  gtk_window_destroy (GTK_WINDOW (teacher));
}

/* ---- "New question" never waits behind "… joined" ---- */

static gboolean
on_played (CohortSoundPlayer *player,
           int                sound,
           GArray            *played)
{
  g_array_append_val (played, sound);
  return FALSE;
}

static void
test_quiz_first (void)
{
  g_autoptr(CohortClassWindow) teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Quiz First");
  CohortSession *ts = cohort_class_window_get_session (teacher);
  g_autoptr(CohortClassWindow) mei = NULL;
  g_autoptr(GPtrArray) students = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) played = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSettings) settings = g_settings_new ("org.cohortclass.Cohort");
  g_autofree char *quiz_prefix = NULL;
  Watch w = { NULL, 0, seen };
  gint64 question_id;

  mei = cohort_test_ui_open_class (server, cohort_session_get_class_code (ts), "Mei", NULL);
  gtk_window_set_default_size (GTK_WINDOW (mei), 1000, 680);
  question_id = import_example (teacher);
  g_signal_connect (cohort_class_window_get_sound_player (mei), "played", G_CALLBACK (on_played), played);

  /* Students join while Mei watches: one join on screen, more waiting. */
  w.window = mei;
  w.n = n_online (mei) + 6;
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *name = g_strdup_printf ("Late %u", i + 1);

      g_ptr_array_add (students, cohort_test_session_join (cohort_test_server_get_url (server), ts, name));
    }
  g_assert_true (cohort_test_ui_wait_for (watch_until_online, &w, 20000));
  cohort_test_ui_settle (200);
  g_assert_true (cohort_notice_queue_get_n_pending (mei->notices) > 0 ||
                 cohort_class_window_get_shown_toasts (mei)->len > 0);

  /* More chatter queued behind the toast on screen, then the question. */
  for (guint i = 0; i < 3; i++)
    cohort_class_window_add_notice (mei, COHORT_NOTICE_JOINED, "Someone joined");
  g_assert_cmpuint (cohort_notice_queue_get_n_pending (mei->notices), >=, 1);
  launch (teacher, question_id);
  g_assert_true (cohort_test_ui_wait_for (question_open, quiz_model (mei), 10000));

  /* The question is on screen at once, the joins still wait. */
  /* Translators: the toast when the teacher launches a question. */
  quiz_prefix = g_strdup_printf (_("New question: %s"), "");
  g_assert_cmpint (cohort_notice_queue_get_top_priority (mei->notices), ==, COHORT_NOTICE_PRIORITY_CHATTER);
  g_assert_cmpuint (cohort_notice_queue_get_n_pending (mei->notices), >=, 1);
  cohort_test_ui_settle (400);
  g_assert_true (overlay_shows (stage_overlay (mei), quiz_prefix));
  cohort_test_ui_save_screenshot (GTK_WIDGET (mei), "notices-quiz-first.png");

  /* And it rang; with sounds off, the next one does not. */
  g_assert_cmpuint (played->len, ==, 1);
  g_assert_cmpint (g_array_index (played, int, 0), ==, COHORT_SOUND_QUIZ);
  {
    /* The switch in Preferences is the setting. */
    GtkWidget *prefs = cohort_media_preferences_new ();
    GtkWidget *sounds_switch;

    adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "notifications");
    /* The first switch on the Notifications page (Video has Push to Talk). */
    sounds_switch = cohort_test_ui_find (GTK_WIDGET (adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (prefs))),
                                         cohort_test_ui_is_type, "GtkSwitch");
    gtk_window_present (GTK_WINDOW (prefs));
    cohort_test_ui_settle (500);
    cohort_test_ui_save_screenshot (prefs, "notices-preferences-sounds.png");
    g_assert_true (g_settings_get_boolean (settings, "sounds"));
    g_assert_nonnull (sounds_switch);
    gtk_switch_set_active (GTK_SWITCH (sounds_switch), FALSE);
    g_assert_false (g_settings_get_boolean (settings, "sounds"));
    gtk_window_destroy (GTK_WINDOW (prefs));
  }
  g_assert_false (cohort_sound_player_play (COHORT_SOUND_PLAYER (cohort_class_window_get_sound_player (mei)),
                                            COHORT_SOUND_QUIZ));
  g_assert_cmpuint (played->len, ==, 1);
  g_settings_reset (settings, "sounds");

  cohort_test_ui_close_windows (g_steal_pointer (&mei), g_steal_pointer (&teacher), NULL);
}

/* ---- the sounds are in the resources, and GTK can play them ---- */

static gboolean
stream_prepared (gpointer data)
{
  return gtk_media_stream_is_prepared (data) || gtk_media_stream_get_error (data) != NULL;
}

static void
test_sounds_play (void)
{
  const char *names[] = { "cohort-hand.oga", "cohort-quiz.oga", "cohort-message.oga" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strconcat ("/org/cohortclass/Cohort/sounds/", names[i], NULL);
      g_autoptr(GtkMediaStream) stream = gtk_media_file_new_for_resource (path);

      g_assert_true (cohort_test_ui_wait_for (stream_prepared, stream, 10000));
      g_assert_no_error (gtk_media_stream_get_error (stream));
      g_assert_true (gtk_media_stream_has_audio (stream));
      /* Short: under a second, so it never talks over the teacher. */
      g_assert_cmpint (gtk_media_stream_get_duration (stream), >, 0);
      g_assert_cmpint (gtk_media_stream_get_duration (stream), <, G_USEC_PER_SEC);
    }
}

/* ---- toasts keep clear of the composer and the controls ---- */

static graphene_rect_t
bounds_in (GtkWidget *widget,
           GtkWidget *window)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  return bounds;
}

static void
assert_apart (GtkWidget  *toast,
              GtkWidget  *widget,
              GtkWidget  *window,
              const char *what)
{
  graphene_rect_t a = bounds_in (toast, window);
  graphene_rect_t b = bounds_in (widget, window);

  g_test_message ("toast %.0f,%.0f %.0fx%.0f; %s %.0f,%.0f %.0fx%.0f", a.origin.x, a.origin.y,
                  a.size.width, a.size.height, what, b.origin.x, b.origin.y, b.size.width, b.size.height);
  g_assert_true (gtk_widget_get_mapped (widget));
  if (graphene_rect_intersection (&a, &b, NULL))
    g_error ("The toast covers %s", what);
}

/* The toast is on screen and done sliding in: inside its overlay. */
static gboolean
toast_settled (gpointer data)
{
  GtkWidget *toast = current_toast_widget (data);
  graphene_rect_t bounds;

  return toast != NULL && gtk_widget_get_opacity (toast) >= 1.0 && gtk_widget_get_mapped (toast) &&
         gtk_widget_compute_bounds (toast, data, &bounds) &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (data);
}

static gboolean
flap_revealed (gpointer data)
{
  return adw_flap_get_reveal_progress (data) >= 1.0;
}

static gboolean
flap_folded (gpointer data)
{
  return adw_flap_get_folded (data);
}

static gboolean
flap_unfolded (gpointer data)
{
  return !adw_flap_get_folded (data);
}

static void
check_clear (CohortClassWindow *window,
             int                width,
             const char        *screenshot)
{
  GtkWidget *chat = cohort_test_ui_side_page (window, "chat", COHORT_TYPE_CHAT_PAGE);
  GtkWidget *entry = cohort_test_ui_find (chat, cohort_test_ui_is_type, "GtkEntry");
  GtkWidget *composer = gtk_widget_get_parent (entry);
  GtkWidget *toast;

  gtk_window_set_default_size (GTK_WINDOW (window), width, 680);
  g_assert_true (cohort_test_ui_wait_for (width < 600 ? flap_folded : flap_unfolded, window->flap, 5000));
  cohort_test_ui_show_side_page (window, "chat");
  g_assert_true (cohort_test_ui_wait_for (flap_revealed, window->flap, 5000));
  cohort_test_ui_settle (400);
  cohort_class_window_add_toast (window, "A toast as wide as toasts get, with a long text that fills its strip");
  g_assert_true (cohort_test_ui_wait_for (toast_settled, stage_overlay (window), 5000));
  cohort_test_ui_settle (400);
  toast = current_toast_widget (stage_overlay (window));

  /* A folded side panel lies over the stage, toasts and all: the toast
   * is under the composer, never over it. Side by side, they are apart. */
  g_assert_true (gtk_widget_is_ancestor (toast, adw_flap_get_content (window->flap)));
  g_assert_true (gtk_widget_is_ancestor (composer, adw_flap_get_flap (window->flap)));
  if (!adw_flap_get_folded (window->flap))
    assert_apart (toast, composer, GTK_WIDGET (window), "the chat composer");
  if (gtk_widget_get_visible (window->controls))
    assert_apart (toast, GTK_WIDGET (window->raise_hand_button), GTK_WIDGET (window), "Raise Hand");
  {
    GtkWidget *stage_controls = cohort_test_ui_find_shown (window->stage, (CohortTestUiMatch) gtk_widget_has_css_class,
                                                           "stage-controls");

    if (stage_controls != NULL)
      assert_apart (toast, stage_controls, GTK_WIDGET (window), "the stage controls");
  }
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), screenshot);
}

static void
test_clear_of_composer (void)
{
  g_autoptr(CohortClassWindow) teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Clear");
  g_autoptr(CohortClassWindow) sam = NULL;

  sam = cohort_test_ui_open_class (server, cohort_session_get_class_code (cohort_class_window_get_session (teacher)),
                                   "Sam", NULL);
  /* During the lesson, when the student has Raise Hand. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "class.start-lesson", NULL));
  g_assert_true (cohort_test_ui_wait_for (widget_visible, sam->controls, 10000));
  check_clear (sam, 1280, "notices-clear-student.png");
  check_clear (teacher, 1280, "notices-clear-teacher.png");
  check_clear (sam, 360, "notices-clear-student-narrow.png");

  cohort_test_ui_close_windows (g_steal_pointer (&sam), g_steal_pointer (&teacher), NULL);
}

/* ---- desktop notifications open the right place ---- */

static gboolean
has_sent (gpointer data)
{
  return ((CohortTestNotifications *) data)->sent->len > 0;
}

typedef struct
{
  CohortTestNotifications *server;
  guint               window_id;
  const char         *place;
} Expected;

/* The notification sent last for @window and @place, or NULL. */
static GVariant *
find_sent (CohortTestNotifications *s,
           guint               window_id,
           const char         *place)
{
  for (guint i = s->sent->len; i > 0; i--)
    {
      g_autoptr(GVariant) hints = NULL;
      g_autoptr(GVariant) target = NULL;
      const char *app_id, *id;
      const char *action = NULL;
      const char *got_place;
      guint got_id;

      g_variant_get (g_ptr_array_index (s->sent, i - 1), "(&s&s@a{sv})", &app_id, &id, &hints);
      target = g_variant_lookup_value (hints, "default-action-target", G_VARIANT_TYPE ("(us)"));
      if (!g_variant_lookup (hints, "default-action", "&s", &action) || target == NULL)
        continue;
      g_variant_get (target, "(u&s)", &got_id, &got_place);
      if (g_str_equal (action, "app.show-class-place") && got_id == window_id && g_str_equal (got_place, place))
        return g_ptr_array_index (s->sent, i - 1);
    }
  return NULL;
}

static gboolean
was_sent (gpointer data)
{
  Expected *e = data;

  return find_sent (e->server, e->window_id, e->place) != NULL;
}

/* Waits for a notification that opens @place in @window; returns its
 * target. */
static GVariant *
wait_notified (CohortTestNotifications *s,
               CohortClassWindow  *window,
               const char         *place)
{
  Expected e = { s, gtk_application_window_get_id (GTK_APPLICATION_WINDOW (window)), place };
  g_autoptr(GVariant) hints = NULL;

  g_assert_cmpuint (e.window_id, >, 0);
  g_assert_true (cohort_test_ui_wait_for (was_sent, &e, 10000));
  g_variant_get (find_sent (s, e.window_id, place), "(&s&s@a{sv})", NULL, NULL, &hints);
  return g_variant_lookup_value (hints, "default-action-target", G_VARIANT_TYPE ("(us)"));
}


typedef struct
{
  CohortTestNotifications *server;
  const char         *id;
} Withdrawn;

static gboolean
was_withdrawn (gpointer data)
{
  Withdrawn *w = data;

  return g_ptr_array_find_with_equal_func (w->server->removed, w->id, g_str_equal, NULL);
}

static void
test_notification_opens_place (void)
{
  CohortTestNotifications notifications = { 0 };
  g_autoptr(CohortApplication) app = cohort_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortClassWindow) teacher = NULL;
  g_autoptr(CohortClassWindow) mei = NULL;
  g_autoptr(GVariant) described = NULL;
  g_autoptr(GVariant) actions = NULL;
  g_autoptr(GVariant) hints = NULL;
  g_autoptr(GVariant) target = NULL;
  g_autoptr(GArray) teacher_sounds = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GArray) mei_sounds = g_array_new (FALSE, FALSE, sizeof (int));
  const char *app_id, *id, *action = NULL;
  guint window_id;
  const char *place;
  gint64 question_id;

  cohort_test_notifications_start (&notifications);

  /* A registered application, exported on the bus, owns the windows. */
  g_application_set_application_id (G_APPLICATION (app), APP_ID_UNDER_TEST);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));

  teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Notified");
  mei = cohort_test_ui_open_class (server, cohort_session_get_class_code (cohort_class_window_get_session (teacher)),
                                   "Mei", NULL);
  gtk_application_add_window (GTK_APPLICATION (app), GTK_WINDOW (teacher));
  gtk_application_add_window (GTK_APPLICATION (app), GTK_WINDOW (mei));
  gtk_window_set_default_size (GTK_WINDOW (mei), 1280, 680);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "class.start-lesson", NULL));
  g_assert_true (cohort_test_ui_wait_for (widget_visible, mei->controls, 10000));
  question_id = import_example (teacher);

  /* Mei is elsewhere, on People with the side panel closed. */
  adw_view_stack_set_visible_child_name (mei->side_stack, "people");
  adw_flap_set_reveal_flap (mei->flap, FALSE);
  away_from (mei, teacher);

  launch (teacher, question_id);
  g_assert_true (cohort_test_ui_wait_for (question_open, quiz_model (mei), 10000));
  g_assert_true (cohort_test_ui_wait_for (has_sent, &notifications, 5000));

  /* The notification names an exported app action, with Mei's window
   * and the Quiz page as its target. */
  g_variant_get (g_ptr_array_index (notifications.sent, 0), "(&s&s@a{sv})", &app_id, &id, &hints);
  g_assert_cmpstr (app_id, ==, APP_ID_UNDER_TEST);
  g_assert_true (g_variant_lookup (hints, "default-action", "&s", &action));
  g_assert_cmpstr (action, ==, "app.show-class-place");
  target = g_variant_lookup_value (hints, "default-action-target", G_VARIANT_TYPE ("(us)"));
  g_assert_nonnull (target);
  g_variant_get (target, "(u&s)", &window_id, &place);
  g_assert_cmpuint (window_id, ==, gtk_application_window_get_id (GTK_APPLICATION_WINDOW (mei)));
  g_assert_cmpstr (place, ==, "quiz");

  /* Exported: the shell finds it on the bus. */
  described = cohort_test_notifications_call_app (G_APPLICATION (app), "DescribeAll", NULL);
  actions = g_variant_get_child_value (described, 0);
  g_assert_true (g_variant_lookup (actions, "show-class-place", "(bg@av)", NULL, NULL, NULL));

  /* A click: the shell activates it over the bus; Mei's Quiz page comes
   * forward. */
  cohort_test_notifications_click (G_APPLICATION (app), "show-class-place", target);
  g_assert_true (cohort_test_ui_wait_for (is_active, mei, 5000));
  g_assert_true (cohort_test_ui_wait_for (flap_revealed, mei->flap, 5000));
  /* Back in the window, its notification is old news. */
  {
    Withdrawn w = { &notifications, id };

    g_assert_true (cohort_test_ui_wait_for (was_withdrawn, &w, 5000));
  }
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (mei->side_stack), ==, "quiz");
  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (mei), "notices-notification-clicked.png");

  /* Mei raises her hand while the teacher is away on the Quiz page: the
   * teacher's notification opens the raised hands (People). */
  adw_view_stack_set_visible_child_name (teacher->side_stack, "quiz");
  g_signal_connect (cohort_class_window_get_sound_player (teacher), "played", G_CALLBACK (on_played), teacher_sounds);
  g_signal_connect (cohort_class_window_get_sound_player (mei), "played", G_CALLBACK (on_played), mei_sounds);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (mei), "class.raise-hand", NULL));
  {
    g_autoptr(GVariant) hand = wait_notified (&notifications, teacher, "people");

    /* It rang, once. */
    g_assert_cmpuint (teacher_sounds->len, ==, 1);
    g_assert_cmpint (g_array_index (teacher_sounds, int, 0), ==, COHORT_SOUND_HAND);

    cohort_test_notifications_click (G_APPLICATION (app), "show-class-place", hand);
    g_assert_true (cohort_test_ui_wait_for (is_active, teacher, 5000));
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (teacher->side_stack), ==, "people");
  }

  /* The teacher writes to Mei privately while she is away: her
   * notification opens the Chat page. */
  {
    g_autoptr(GVariant) message = NULL;
    CohortChatModel *tm = cohort_chat_page_get_model (cohort_test_ui_side_page (teacher, "chat",
                                                                               COHORT_TYPE_CHAT_PAGE));
    gint64 mei_id = cohort_participant_get_id (cohort_session_get_self (cohort_class_window_get_session (mei)));

    g_assert_true (cohort_test_ui_wait_for (is_active, teacher, 5000));
    g_assert_true (cohort_test_ui_wait_for (is_inactive, mei, 5000));
    cohort_chat_model_send (tm, "Well done, Mei.", COHORT_CHAT_CHANNEL_PRIVATE, mei_id, FALSE, FALSE);
    message = wait_notified (&notifications, mei, "chat");
    g_assert_cmpuint (mei_sounds->len, ==, 1);
    g_assert_cmpint (g_array_index (mei_sounds, int, 0), ==, COHORT_SOUND_MESSAGE);
    cohort_test_notifications_click (G_APPLICATION (app), "show-class-place", message);
    g_assert_true (cohort_test_ui_wait_for (is_active, mei, 5000));
    g_assert_cmpstr (adw_view_stack_get_visible_child_name (mei->side_stack), ==, "chat");
  }

  cohort_test_ui_close_windows (g_steal_pointer (&mei), g_steal_pointer (&teacher), NULL);
  g_application_release (G_APPLICATION (app));
  cohort_test_notifications_stop (&notifications);
}

/* ---- a private message to a teacher away from the window stays unread ---- */

static gboolean
has_unread (gpointer data)
{
  return cohort_chat_model_get_unread_count (data) > 0;
}

static gboolean
all_read (gpointer data)
{
  return cohort_chat_model_get_unread_count (data) == 0;
}

/* @sam writes to the teacher, who is in @sam's window and then comes
 * back with the side panel closed: the message stays unread until the
 * panel opens. */
static void
message_behind_closed_panel (CohortClassWindow *teacher,
                             CohortClassWindow *sam,
                             CohortChatModel   *tm,
                             CohortChatModel   *sm,
                             const char        *text)
{
  g_assert_false (adw_flap_get_reveal_flap (teacher->flap));
  away_from (teacher, sam);
  cohort_chat_model_send (sm, text, COHORT_CHAT_CHANNEL_PRIVATE, 0, FALSE, FALSE);
  g_assert_true (cohort_test_ui_wait_for (has_unread, tm, 10000));
  gtk_window_present (GTK_WINDOW (teacher));
  g_assert_true (cohort_test_ui_wait_for (is_active, teacher, 5000));
  cohort_test_ui_settle (500);
  g_assert_cmpuint (cohort_chat_model_get_unread_count (tm), ==, 1);

  adw_flap_set_reveal_flap (teacher->flap, TRUE);
  g_assert_true (cohort_test_ui_wait_for (all_read, tm, 5000));
}

static void
test_unread_until_seen (void)
{
  g_autoptr(CohortClassWindow) teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Unread");
  g_autoptr(CohortClassWindow) sam = NULL;
  CohortChatModel *tm, *sm;
  AdwViewStackPage *chat_page;

  sam = cohort_test_ui_open_class (server, cohort_session_get_class_code (cohort_class_window_get_session (teacher)),
                                   "Sam", NULL);
  tm = cohort_chat_page_get_model (cohort_test_ui_side_page (teacher, "chat", COHORT_TYPE_CHAT_PAGE));
  sm = cohort_chat_page_get_model (cohort_test_ui_side_page (sam, "chat", COHORT_TYPE_CHAT_PAGE));
  chat_page = adw_view_stack_get_page (teacher->side_stack, cohort_test_ui_side_page (teacher, "chat",
                                                                                        COHORT_TYPE_CHAT_PAGE));

  /* The teacher's chat is open, but the teacher is in another window. */
  cohort_test_ui_show_side_page (teacher, "chat");
  away_from (teacher, sam);

  cohort_chat_model_send (sm, "Can I hand in tomorrow?", COHORT_CHAT_CHANNEL_PRIVATE, 0, FALSE, FALSE);
  g_assert_true (cohort_test_ui_wait_for (has_unread, tm, 10000));
  cohort_test_ui_settle (500);
  g_assert_cmpuint (cohort_chat_model_get_unread_count (tm), ==, 1);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (chat_page), ==, 1);

  /* The teacher comes back with the chat in view: now it is read. */
  gtk_window_present (GTK_WINDOW (teacher));
  g_assert_true (cohort_test_ui_wait_for (all_read, tm, 5000));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (chat_page), ==, 0);

  /* Away again, and the side panel closed (still on Chat): the next
   * message waits, also when the teacher comes back to the window;
   * opening the panel shows it. */
  adw_flap_set_reveal_flap (teacher->flap, FALSE);
  cohort_test_ui_settle (600);
  message_behind_closed_panel (teacher, sam, tm, sm, "And may I leave early?");

  /* The same on a phone's width, where the panel folds over the stage. */
  gtk_window_set_default_size (GTK_WINDOW (teacher), 360, 680);
  g_assert_true (cohort_test_ui_wait_for (flap_folded, teacher->flap, 5000));
  cohort_test_ui_settle (600);
  message_behind_closed_panel (teacher, sam, tm, sm, "Thank you!");
  gtk_window_set_default_size (GTK_WINDOW (teacher), 1000, 680);

  cohort_test_ui_close_windows (g_steal_pointer (&sam), g_steal_pointer (&teacher), NULL);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *data_home = NULL;
  const char *locale = g_getenv ("COHORT_TEST_LOCALE");

  /* COHORT_TEST_LOCALE=zh_CN.UTF-8 (with LANGUAGE=zh_CN) runs the same
   * cases in that language, to look at the screenshots; the checks
   * compare against the translated strings. */
  if (locale != NULL)
    {
      if (setlocale (LC_ALL, locale) == NULL)
        g_error ("The %s locale is missing", locale);
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("COHORT_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  data_home = cohort_test_ui_init (&argc, &argv, "notices");

  server = cohort_test_server_start (NULL);

  g_test_add_func ("/cohort/notices/forty-joins", test_forty_joins);
  g_test_add_func ("/cohort/notices/quiz-first", test_quiz_first);
  g_test_add_func ("/cohort/notices/sounds-play", test_sounds_play);
  g_test_add_func ("/cohort/notices/clear-of-composer", test_clear_of_composer);
  g_test_add_func ("/cohort/notices/notification-opens-place", test_notification_opens_place);
  g_test_add_func ("/cohort/notices/unread-until-seen", test_unread_until_seen);

  return cohort_test_ui_run (server, data_home);
}

/* test-voice-ui.c: the voice room on a real class window's Groups page, inside netns-run.sh
 *
 * A student's class window and a classmate's CohortVoiceRoom in the same
 * group, with a real server and Janus: Join Voice, the classmate shown
 * speaking, mute, Leave; the teacher's window lists every group's room
 * (who is in it, who talks) and drops into one from there, then starts
 * breakout rooms from its dialog (length, the class's sound lowered for
 * the students) and calls everyone back; a student kept on the home opens
 * the group's room from the class's row, without the class window.
 * Screenshots next to the test binary (voice-*.png).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-application.h"
#include "cohort-breakout-dialog.h"
#include "cohort-class-window.h"
#include "cohort-groups-page.h"
#include "cohort-home-row.h"
#include "cohort-home-window.h"
#include "cohort-media-rig.h"
#include "cohort-test-session.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"
#include "cohort-token-store.h"
#include "cohort-voice-panel.h"
#include "cohort-voice-room.h"
#include "cohort-voice-window.h"

typedef struct
{
  CohortMediaRig    *rig;
  CohortSession     *teacher_session;
  CohortSession     *ana_session;
  CohortSession     *bo_session;
  CohortVoiceRoom   *bo;
  CohortClassWindow *window;
  const char        *language;
  gint64             group_id;
} World;

static World w;

static GstElement *
on_create_source (CohortVoiceRoom *room,
                  const char      *what,
                  gpointer         user_data)
{
  return gst_parse_launch ("audiotestsrc is-live=true wave=sine volume=0.5 samplesperbuffer=960", NULL);
}

static gboolean
is_shown_button (GtkWidget     *widget,
                 gconstpointer  tooltip)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0 &&
         gtk_widget_is_visible (widget);
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_ACTION_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

typedef struct
{
  CohortVoicePanel *panel;
  const char       *title;
  const char       *description;
} RowWait;

/* The row of @title in the panel, with the accessible description
 * (speaking, muted) shown as its suffix. */
static gboolean
row_shown (gpointer data)
{
  RowWait *rw = data;
  GtkWidget *row = cohort_test_ui_find_shown (GTK_WIDGET (rw->panel), is_row_titled, rw->title);
  GtkWidget *icon;

  if (row == NULL)
    return FALSE;
  if (rw->description == NULL)
    return TRUE;
  icon = cohort_test_ui_find_shown (row, cohort_test_ui_is_type, "GtkImage");
  /* In the catalogue's words, so that the test runs in any language. */
  return icon != NULL && g_strcmp0 (gtk_widget_get_tooltip_text (icon), _(rw->description)) == 0;
}

static gboolean
row_gone (gpointer data)
{
  RowWait *rw = data;

  return cohort_test_ui_find_shown (GTK_WIDGET (rw->panel), is_row_titled, rw->title) == NULL;
}

static gboolean
has_countdown (gpointer data)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (cohort_test_ui_find (GTK_WIDGET (data), cohort_test_ui_is_type,
                                                                          "AdwPreferencesGroup"));

  /* "m:ss left" in any language. */
  return group != NULL && g_regex_match_simple ("[0-9]:[0-5][0-9]", adw_preferences_group_get_description (group), 0, 0);
}

static CohortVoicePanel *
panel_of (CohortClassWindow *window)
{
  GtkWidget *page = cohort_test_ui_side_page (window, "groups", GTK_TYPE_WIDGET);
  GtkWidget *panel = cohort_test_ui_find (page, cohort_test_ui_is_type, "CohortVoicePanel");

  g_assert_nonnull (panel);
  return COHORT_VOICE_PANEL (panel);
}

static gboolean
panel_ready (gpointer data)
{
  return gtk_widget_get_visible (GTK_WIDGET (data)) &&
         cohort_voice_panel_get_room (COHORT_VOICE_PANEL (data)) != NULL;
}

static gboolean
room_in_state (gpointer data)
{
  CohortVoicePanel *panel = data;
  CohortVoiceRoom *room = cohort_voice_panel_get_room (panel);

  return (int) cohort_voice_room_get_state (room) == GPOINTER_TO_INT (g_object_get_data (G_OBJECT (panel), "want"));
}

static void
wait_room_state (CohortVoicePanel *panel,
                 CohortVoiceState  state)
{
  g_object_set_data (G_OBJECT (panel), "want", GINT_TO_POINTER (state));
  g_assert_true (cohort_test_ui_wait_for (room_in_state, panel, 15000));
}

static void
click (GtkWidget  *root,
       const char *tooltip)
{
  GtkWidget *button = cohort_test_ui_find_shown (root, is_shown_button, _(tooltip));

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static void
test_student (void)
{
  CohortVoicePanel *panel;
  RowWait bo_speaking = { NULL, "Bo", "Speaking" };
  g_autofree char *ana_title = g_strdup_printf (_("%s (You)"), "Ana");
  RowWait ana_muted = { NULL, ana_title, "Muted" };

  cohort_test_ui_show_side_page (w.window, "groups");
  panel = panel_of (w.window);
  g_assert_true (cohort_test_ui_wait_for (panel_ready, panel, 10000));
  g_signal_connect (cohort_voice_panel_get_room (panel), "create-source", G_CALLBACK (on_create_source), NULL);
  cohort_test_ui_save_named_screenshot (panel, "voice", "join", w.language);

  /* One click. */
  click (GTK_WIDGET (panel), "Join your group's voice room");
  wait_room_state (panel, COHORT_VOICE_STATE_JOINED);

  bo_speaking.panel = ana_muted.panel = panel;
  g_assert_true (cohort_test_ui_wait_for (row_shown, &bo_speaking, 15000));
  cohort_test_ui_save_named_screenshot (panel, "voice", "in-room", w.language);

  click (GTK_WIDGET (panel), "Mute");
  g_assert_true (cohort_test_ui_wait_for (row_shown, &ana_muted, 10000));
  /* The classmate's client hears of it too. */
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_is_member_muted (w.bo, cohort_voice_room_get_group_id (w.bo),
                                                             cohort_participant_get_id (cohort_session_get_self (w.ana_session))));
  cohort_test_ui_save_named_screenshot (panel, "voice", "muted", w.language);
  click (GTK_WIDGET (panel), "Unmute");

  click (GTK_WIDGET (panel), "Leave the voice room");
  wait_room_state (panel, COHORT_VOICE_STATE_IDLE);
  ana_muted.description = NULL;
  g_assert_true (cohort_test_ui_wait_for (row_gone, &ana_muted, 10000));
}

static CohortBreakoutDialog *
find_breakout_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (COHORT_IS_BREAKOUT_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
breakout_dialog_shown (gpointer data)
{
  return find_breakout_dialog () != NULL;
}

/* The teacher sees every group's room, who is in it and that Bo talks
 * there, and drops in with one click from that list. */
static void
test_teacher_drop_in (void)
{
  CohortClassWindow *teacher = cohort_test_ui_present_class (w.teacher_session);
  CohortVoicePanel *panel;
  RowWait bo = { NULL, "Bo", "Speaking" };
  RowWait team = { NULL, "Team", "Talking" };

  cohort_test_ui_show_side_page (teacher, "groups");
  panel = panel_of (teacher);
  g_assert_true (cohort_test_ui_wait_for (panel_ready, panel, 10000));
  g_signal_connect (cohort_voice_panel_get_room (panel), "create-source", G_CALLBACK (on_create_source), NULL);

  team.panel = panel;
  g_assert_true (cohort_test_ui_wait_for (row_shown, &team, 15000));
  g_assert_cmpint (cohort_voice_room_get_state (cohort_voice_panel_get_room (panel)), ==, COHORT_VOICE_STATE_IDLE);
  cohort_test_ui_save_light_and_dark (teacher, "voice", "rooms-teacher", w.language);

  click (GTK_WIDGET (panel), "Listen and talk in this group’s room");
  wait_room_state (panel, COHORT_VOICE_STATE_JOINED);
  bo.panel = panel;
  g_assert_true (cohort_test_ui_wait_for (row_shown, &bo, 15000));
  cohort_test_ui_save_named_screenshot (panel, "voice", "teacher", w.language);

  /* Breakout rooms for 3 minutes with the class's sound low: Ana (who
   * left) is sent to her group's room, with a countdown, and hears the
   * class quietly; called back, she leaves it and hears it again. */
  {
    CohortVoicePanel *ana = panel_of (w.window);
    CohortClassroom *ana_class = cohort_class_window_get_classroom (w.window);
    CohortBreakoutDialog *dialog;
    AdwComboRow *class_audio;
    gint64 now_ms = g_get_real_time () / 1000;
    gint64 ends_at;

    click (GTK_WIDGET (panel), "Send every group to its voice room for a while");
    g_assert_true (cohort_test_ui_wait_for (breakout_dialog_shown, NULL, 5000));
    dialog = find_breakout_dialog ();
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (cohort_test_ui_find (GTK_WIDGET (dialog), cohort_test_ui_is_type,
                                                                     "GtkSpinButton")), 3);
    class_audio = ADW_COMBO_ROW (cohort_test_ui_find (GTK_WIDGET (dialog), cohort_test_ui_is_type, "AdwComboRow"));
    adw_combo_row_set_selected (class_audio, 1);
    cohort_test_ui_save_light_and_dark (dialog, "voice", "breakout-dialog", w.language);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "start");

    wait_room_state (ana, COHORT_VOICE_STATE_JOINED);
    ends_at = cohort_voice_room_get_breakout_ends_at (cohort_voice_panel_get_room (ana));
    g_assert_cmpint (ends_at, >=, now_ms + 3 * 60 * 1000);
    g_assert_cmpint (ends_at, <, now_ms + 4 * 60 * 1000);
    g_assert_cmpstr (cohort_voice_room_get_class_audio (cohort_voice_panel_get_room (ana)), ==, "low");
    g_assert_cmpfloat (cohort_classroom_get_class_volume (ana_class), <, 0.5);
    g_assert_cmpfloat (cohort_classroom_get_class_volume (ana_class), >, 0.0);
    g_assert_true (cohort_test_ui_wait_for (has_countdown, ana, 5000));
    cohort_test_ui_save_named_screenshot (ana, "voice", "breakout", w.language);
    g_assert_true (cohort_test_ui_wait_for (has_countdown, panel, 5000));
    cohort_test_ui_save_named_screenshot (panel, "voice", "breakout-teacher", w.language);

    click (GTK_WIDGET (panel), "End the breakout rooms now");
    wait_room_state (ana, COHORT_VOICE_STATE_IDLE);
    g_assert_cmpfloat (cohort_classroom_get_class_volume (ana_class), ==, 1.0);
  }

  gtk_window_destroy (GTK_WINDOW (teacher));
}

static gboolean
home_listed (gpointer data)
{
  CohortHomeWindow *home = data;

  return !cohort_home_model_get_loading (cohort_home_window_get_model (home)) &&
         g_strcmp0 (cohort_home_window_get_page (home), "list") == 0;
}

static gboolean
bo_hears_of (gpointer data)
{
  g_autoptr(GArray) ids = cohort_voice_room_dup_members (w.bo, w.group_id);
  /* A negative id: waits for that participant to be gone. */
  gint64 wanted = *(gint64 *) data;
  gboolean found = FALSE;

  for (guint i = 0; i < ids->len; i++)
    found |= g_array_index (ids, gint64, i) == ABS (wanted);
  return found == (wanted > 0);
}

static gboolean
window_room_joined (gpointer data)
{
  CohortVoiceRoom *room = cohort_voice_panel_get_room (cohort_voice_window_get_panel (data));

  return cohort_voice_room_get_state (room) == COHORT_VOICE_STATE_JOINED && cohort_voice_room_get_receiving (room);
}

/* Cy, kept on this computer and in Bo's group, is on the home: one click
 * on the class's headphones and Cy is in the room, hearing Bo, with no
 * class window; closing the window leaves the room. */
static void
test_home (void)
{
  g_autoptr(CohortApplication) app = cohort_test_ui_new_application ("org.cohortclass.Cohort.TestVoiceHome");
  g_autoptr(JsonObject) assign = json_object_new ();
  g_autoptr(JsonObject) ok = NULL;
  g_autoptr(GError) error = NULL;
  CohortSession *cy = cohort_media_rig_join (w.rig, w.teacher_session, "Cy");
  gint64 cy_id = cohort_participant_get_id (cohort_session_get_self (cy));
  CohortHomeWindow *home;
  GtkWidget *row;
  CohortVoiceWindow *window;

  json_object_set_int_member (assign, "participant_id", cy_id);
  json_object_set_int_member (assign, "group_id", w.group_id);
  ok = cohort_test_session_request (w.teacher_session, "groups.assign", assign, &error);
  g_assert_no_error (error);
  g_assert_true (cohort_token_store_save (cohort_media_rig_get_url (w.rig), cohort_session_get_class_code (cy), FALSE,
                                          cohort_session_get_token (cy), NULL, "Cy", &error));
  g_assert_no_error (error);
  /* As a student who joined once and closed the app. */
  g_object_unref (cy);

  home = COHORT_HOME_WINDOW (cohort_application_show_home (app));
  g_assert_true (cohort_test_ui_wait_for (home_listed, home, 20000));
  row = cohort_test_ui_find (GTK_WIDGET (home), cohort_test_ui_is_type, "CohortHomeRow");
  g_assert_nonnull (row);
  g_assert_cmpstr (cohort_home_entry_get_code (cohort_home_row_get_entry (COHORT_HOME_ROW (row))), ==,
                   cohort_session_get_class_code (w.teacher_session));
  cohort_test_ui_save_named_screenshot (home, "voice", "home", w.language);

  click (row, "Talk with your study group");
  window = cohort_test_ui_wait_toplevel (COHORT_TYPE_VOICE_WINDOW, 15000);
  g_assert_nonnull (window);
  g_assert_true (cohort_test_ui_wait_for (window_room_joined, window, 20000));
  g_assert_true (cohort_test_ui_wait_for (bo_hears_of, &cy_id, 10000));
  g_assert_null (cohort_test_ui_app_window (GTK_APPLICATION (app), COHORT_TYPE_CLASS_WINDOW));
  cohort_test_ui_save_light_and_dark (window, "voice", "home-window", w.language);
  cohort_test_ui_phone_width (window, 600);
  cohort_test_ui_save_light_and_dark (window, "voice", "home-window-360", w.language);

  gtk_window_destroy (GTK_WINDOW (window));
  cy_id = -cy_id;
  g_assert_true (cohort_test_ui_wait_for (bo_hears_of, &cy_id, 10000));
  cohort_test_ui_close_app_windows (GTK_APPLICATION (app));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  gint64 group_id;
  int status;

  w.language = cohort_test_ui_use_test_language ();
  /* A data home of its own: the home's test keeps a class's token. */
  data_home = cohort_test_ui_init (&argc, &argv, "voice-ui");
  gst_init (&argc, &argv);

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL)
    {
      g_print ("1..0 # SKIP run this test through tests/media/netns-run.sh\n");
      return 0;
    }

  w.rig = cohort_media_rig_start (1);
  w.teacher_session = cohort_media_rig_create_class (w.rig, "Ms Li");
  w.ana_session = cohort_media_rig_join (w.rig, w.teacher_session, "Ana");
  w.bo_session = cohort_media_rig_join (w.rig, w.teacher_session, "Bo");

  json_object_set_string_member (body, "name", "Team");
  json_object_set_int_member (body, "size", 4);
  reply = cohort_test_session_request (w.teacher_session, "groups.create", body, &error);
  g_assert_no_error (error);
  group_id = json_object_get_int_member (json_object_get_object_member (reply, "group"), "id");
  w.group_id = group_id;
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) assign = json_object_new ();
      g_autoptr(JsonObject) ok = NULL;
      CohortSession *who = i == 0 ? w.ana_session : w.bo_session;

      json_object_set_int_member (assign, "participant_id",
                                  cohort_participant_get_id (cohort_session_get_self (who)));
      json_object_set_int_member (assign, "group_id", group_id);
      ok = cohort_test_session_request (w.teacher_session, "groups.assign", assign, &error);
      g_assert_no_error (error);
    }

  /* Bo talks in the room all along. */
  w.bo = cohort_voice_room_new (w.bo_session);
  g_signal_connect (w.bo, "create-source", G_CALLBACK (on_create_source), NULL);
  cohort_voice_room_join (w.bo, group_id);

  w.window = cohort_test_ui_present_class (w.ana_session);

  g_test_add_func ("/voice-ui/student", test_student);
  g_test_add_func ("/voice-ui/teacher-drop-in", test_teacher_drop_in);
  g_test_add_func ("/voice-ui/home", test_home);

  status = g_test_run ();

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  gtk_window_destroy (GTK_WINDOW (w.window));
  g_clear_object (&w.bo);
  g_clear_object (&w.bo_session);
  g_clear_object (&w.ana_session);
  g_clear_object (&w.teacher_session);
  cohort_media_rig_free (w.rig);
  cohort_test_ui_remove_data_home (data_home);

  return status;
}

/* test-lesson-ui.c: the class's life cycle in real class windows against
 * a real server: a student's waiting state before the start, the
 * teacher's Start and End Class, the summary a student sees, the teacher
 * who dropped out shown as reconnecting, the attendance, and closing the
 * window during a live lesson asking first
 *
 * COHORT_TEST_LANGUAGE=zh_CN (with COHORT_LOCALEDIR) runs it in that
 * language, for screenshots (lesson-*-zh_CN.png).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-lesson-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cohort-attendance-dialog.h"
#include "cohort-lesson-summary-dialog.h"
#include "cohort-participant-row.h"
#include "cohort-side-panel.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"
#include "cohort-waiting-page.h"

#include "cohort-class-window-private.h"

static CohortTestServer *server;
static const char *language;

static void
screenshot (gpointer    widget,
            const char *name)
{
  cohort_test_ui_save_named_screenshot (widget, "lesson", name, language);
}

static CohortLessonState
state_of (CohortSession *session)
{
  return cohort_lesson_get_state (cohort_session_get_lesson (session));
}

static gboolean
page_shown (CohortClassWindow *window)
{
  return gtk_widget_get_visible (window->lesson_waiting_page) && gtk_widget_get_mapped (window->lesson_waiting_page);
}

/* The dialog asking @heading, answered @response. */
static void
answer_dialog (const char *heading,
               const char *response)
{
  AdwMessageDialog *dialog = cohort_test_ui_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 5000);

  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Physics with Ms Li: Ana and Bo join before the start and wait with the
 * title and each other's names; Start lets them in; End Class (after a
 * confirmation) shows each a summary. */
static void
test_waiting_start_end (void)
{
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortSession) ana = cohort_test_session_join (url, teacher, "Ana");
  g_autoptr(CohortSession) bo = cohort_test_session_join (url, teacher, "Bo");
  CohortClassWindow *teacher_window = cohort_test_ui_present_class (teacher);
  CohortClassWindow *ana_window = cohort_test_ui_present_class (ana);
  CohortWaitingPage *page = COHORT_WAITING_PAGE (ana_window->lesson_waiting_page);
  CohortLessonSummaryDialog *summary;

  /* Before the start: a clear waiting state, with who else is there. */
  COHORT_TEST_WAIT_UNTIL (page_shown (ana_window));
  g_assert_cmpint (cohort_waiting_page_get_mode (page), ==, COHORT_WAITING_PAGE_NOT_STARTED);
  g_assert_nonnull (strstr (cohort_waiting_page_get_message (page), "Physics"));
  COHORT_TEST_WAIT_UNTIL (strstr (cohort_waiting_page_get_companions_text (page), "Bo") != NULL);
  g_assert_null (strstr (cohort_waiting_page_get_companions_text (page), "Ana"));
  g_assert_true (gtk_widget_get_visible (teacher_window->start_lesson_button));
  g_assert_false (gtk_widget_get_visible (teacher_window->end_lesson_button));
  g_assert_false (page_shown (teacher_window));
  screenshot (ana_window, "waiting");
  screenshot (teacher_window, "teacher-not-started");

  /* Start: the stage is the class's again. */
  gtk_widget_activate_action (GTK_WIDGET (teacher_window), "class.start-lesson", NULL);
  COHORT_TEST_WAIT_UNTIL (!gtk_widget_get_visible (ana_window->lesson_waiting_page));
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_visible (teacher_window->end_lesson_button));
  g_assert_false (gtk_widget_get_visible (teacher_window->start_lesson_button));
  screenshot (teacher_window, "teacher-live");
  {
    int min = 0;

    gtk_widget_measure (GTK_WIDGET (teacher_window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_test_message ("The teacher's window with End Class is at least %d px wide", min);
    gtk_widget_set_visible (teacher_window->end_lesson_button, FALSE);
    gtk_widget_measure (GTK_WIDGET (teacher_window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_test_message ("and without it %d px", min);
    gtk_widget_set_visible (teacher_window->end_lesson_button, TRUE);
  }
  /* Narrow: End Class is an icon, and still there. */
  cohort_test_ui_save_phone_width (teacher_window, 680, language != NULL ? "lesson-teacher-narrow-zh.png"
                                                                         : "lesson-teacher-narrow.png");
  g_assert_true (gtk_widget_get_mapped (teacher_window->end_lesson_button) ||
                 gtk_widget_get_mapped (teacher_window->end_lesson_icon));
  adw_flap_set_reveal_flap (teacher_window->flap, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (teacher_window), 1000, 680);

  /* End Class asks first; Cancel keeps the lesson. */
  gtk_widget_activate_action (GTK_WIDGET (teacher_window), "class.end-lesson", NULL);
  answer_dialog (_("End the Class for Everyone?"), "cancel");
  cohort_test_ui_settle (200);
  g_assert_cmpint (state_of (teacher), ==, COHORT_LESSON_STATE_LIVE);

  gtk_widget_activate_action (GTK_WIDGET (teacher_window), "class.end-lesson", NULL);
  answer_dialog (_("End the Class for Everyone?"), "end");
  COHORT_TEST_WAIT_UNTIL (state_of (ana) == COHORT_LESSON_STATE_ENDED);

  /* Ana sees her summary: the length, no next lesson (none is known). */
  summary = cohort_test_ui_wait_toplevel (COHORT_TYPE_LESSON_SUMMARY_DIALOG, 10000);
  g_assert_nonnull (summary);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (summary)) == GTK_WINDOW (ana_window));
  g_assert_nonnull (cohort_lesson_summary_dialog_get_line (summary, "duration"));
  g_assert_nonnull (cohort_lesson_summary_dialog_get_line (summary, "points"));
  g_assert_nonnull (cohort_lesson_summary_dialog_get_line (summary, "quiz"));
  g_assert_null (cohort_lesson_summary_dialog_get_line (summary, "next"));
  screenshot (summary, "summary");
  gtk_window_destroy (GTK_WINDOW (summary));

  g_assert_true (page_shown (ana_window));
  g_assert_cmpint (cohort_waiting_page_get_mode (page), ==, COHORT_WAITING_PAGE_ENDED);
  screenshot (ana_window, "ended");
  g_assert_true (gtk_widget_get_visible (teacher_window->start_lesson_button));

  gtk_window_destroy (GTK_WINDOW (teacher_window));
  gtk_window_destroy (GTK_WINDOW (ana_window));
}

/* A teacher who goes away during the lesson is "reconnecting" for the
 * students, not ended and not "waiting for the teacher's video". */
static void
test_teacher_reconnecting (void)
{
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Maths", "Mr Ode");
  g_autoptr(CohortSession) ana = cohort_test_session_join (url, teacher, "Ana");
  g_autoptr(GAsyncResult) result = NULL;
  CohortClassWindow *ana_window;

  cohort_lesson_start_async (cohort_session_get_lesson (teacher), NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_lesson_change_finish (cohort_session_get_lesson (teacher), result, NULL));
  ana_window = cohort_test_ui_present_class (ana);
  COHORT_TEST_WAIT_UNTIL (state_of (ana) == COHORT_LESSON_STATE_LIVE);
  g_assert_cmpstr (adw_status_page_get_title (ana_window->stage_status), ==, _("Waiting for the Teacher’s Video"));

  g_clear_object (&result);
  cohort_session_leave_async (teacher, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);

  COHORT_TEST_WAIT_UNTIL (_cohort_class_window_lesson_teacher_away (ana_window));
  g_assert_cmpstr (adw_status_page_get_title (ana_window->stage_status), ==, _("The Teacher Is Reconnecting…"));
  g_assert_cmpstr (adw_window_title_get_subtitle (ana_window->window_title), ==, _("Teacher reconnecting…"));
  g_assert_false (gtk_widget_get_visible (ana_window->lesson_waiting_page));
  g_assert_cmpint (state_of (ana), ==, COHORT_LESSON_STATE_LIVE);
  screenshot (ana_window, "teacher-reconnecting");

  gtk_window_destroy (GTK_WINDOW (ana_window));
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closing the window (or Ctrl+W) during a live lesson asks first, as
 * Leave does; the teacher's question is not the student's. Before the
 * start it closes at once. */
static void
test_close_confirmation (void)
{
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "History", "Ms Roe");
  g_autoptr(CohortSession) ana = cohort_test_session_join (url, teacher, "Ana");
  g_autoptr(CohortSession) bo = cohort_test_session_join (url, teacher, "Bo");
  CohortClassWindow *teacher_window = cohort_test_ui_present_class (teacher);
  CohortClassWindow *ana_window = cohort_test_ui_present_class (ana);
  CohortClassWindow *bo_window = cohort_test_ui_present_class (bo);
  AdwMessageDialog *dialog;
  gpointer bo_pointer = bo_window;

  /* Not started: no question. */
  g_object_add_weak_pointer (G_OBJECT (bo_window), &bo_pointer);
  cohort_test_ui_settle (200);
  gtk_window_close (GTK_WINDOW (bo_window));
  g_assert_true (cohort_test_ui_wait_for (window_gone, &bo_pointer, 5000));

  gtk_widget_activate_action (GTK_WIDGET (teacher_window), "class.start-lesson", NULL);
  COHORT_TEST_WAIT_UNTIL (state_of (ana) == COHORT_LESSON_STATE_LIVE);

  /* Ctrl+W on a live lesson: the Leave question; Stay keeps the window. */
  gtk_widget_activate_action (GTK_WIDGET (ana_window), "window.close", NULL);
  dialog = cohort_test_ui_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 5000);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Leave the Class?"));
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, _("You can join again later with the same class code."));
  screenshot (dialog, "close-student");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  cohort_test_ui_settle (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ana_window)));
  g_assert_cmpint (cohort_session_get_state (ana), ==, COHORT_SESSION_STATE_JOINED);

  /* The teacher's Leave says the lesson goes on, and how to end it. */
  gtk_window_close (GTK_WINDOW (teacher_window));
  dialog = cohort_test_ui_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 5000);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), !=, _("You can join again later with the same class code."));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), _("End Class")));
  screenshot (dialog, "close-teacher");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (teacher_window));
  gtk_window_destroy (GTK_WINDOW (ana_window));
}

/* The teacher's People page opens the attendance; it lists who came and
 * exports the same rows as CSV. */
static void
test_attendance (void)
{
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Art", "Mr Bell");
  g_autoptr(CohortSession) ana = cohort_test_session_join (url, teacher, "Ana");
  g_autoptr(CohortSession) bo = cohort_test_session_join (url, teacher, "Bo");
  CohortClassWindow *teacher_window = cohort_test_ui_present_class (teacher);
  CohortAttendanceDialog *dialog;
  g_autofree char *csv = NULL;

  cohort_test_ui_show_side_page (teacher_window, "people");
  g_assert_true (gtk_widget_get_visible (teacher_window->lesson_group));
  gtk_widget_activate_action (GTK_WIDGET (teacher_window), "class.start-lesson", NULL);
  COHORT_TEST_WAIT_UNTIL (state_of (teacher) == COHORT_LESSON_STATE_LIVE);
  screenshot (teacher_window, "teacher-people");

  gtk_widget_activate_action (GTK_WIDGET (teacher_window), "class.show-attendance", NULL);
  dialog = cohort_test_ui_wait_toplevel (COHORT_TYPE_ATTENDANCE_DIALOG, 5000);
  g_assert_nonnull (dialog);
  COHORT_TEST_WAIT_UNTIL (cohort_attendance_dialog_get_n_rows (dialog) == 2);
  csv = cohort_attendance_dialog_to_csv (dialog);
  g_assert_true (g_str_has_prefix (csv, "student,joined,left,minutes,visits\r\nAna,"));
  g_assert_nonnull (strstr (csv, "\r\nBo,"));
  screenshot (dialog, "attendance");
  gtk_window_destroy (GTK_WINDOW (dialog));

  gtk_window_destroy (GTK_WINDOW (teacher_window));
}

/* @window shows (or has just shown) a toast reading @title. */
static gboolean
toast_shown (CohortClassWindow *window,
             const char        *title)
{
  for (guint i = 0; i < window->shown_toasts->len; i++)
    if (g_strcmp0 (adw_toast_get_title (g_ptr_array_index (window->shown_toasts, i)), title) == 0)
      return TRUE;
  return FALSE;
}

/* The menu item of @model (sections included) whose action is @action;
 * its target through @out_target. */
static gboolean
menu_has_action (GMenuModel *model,
                 const char *action,
                 gint64     *out_target)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autofree char *name = NULL;

      if (section != NULL && menu_has_action (section, action, out_target))
        return TRUE;
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        {
          g_autoptr(GVariant) target =
            g_menu_model_get_item_attribute_value (model, i, G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_INT64);

          *out_target = target != NULL ? g_variant_get_int64 (target) : 0;
          return TRUE;
        }
    }
  return FALSE;
}

/* Ana's row in the teacher's People list has Mute Microphone, Keep Muted
 * and Allow Microphone; Keep Muted tells her why her microphone is off,
 * and Let Everyone Unmute (People page) tells her she may again. */
static void
test_mute_one_student (void)
{
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Music", "Ms Li");
  g_autoptr(CohortSession) ana = cohort_test_session_join (url, teacher, "Ana");
  CohortClassWindow *teacher_window = cohort_test_ui_present_class (teacher);
  CohortClassWindow *ana_window = cohort_test_ui_present_class (ana);
  gint64 ana_id = cohort_participant_get_id (cohort_session_get_self (ana));
  GtkWidget *row, *more;
  GMenuModel *menu;
  gint64 target = 0;

  cohort_test_ui_show_side_page (teacher_window, "people");
  cohort_test_ui_show_side_page (ana_window, "people");
  COHORT_TEST_WAIT_UNTIL ((row = cohort_test_ui_find_shown (GTK_WIDGET (teacher_window->roster_view),
                                                            cohort_test_ui_is_row_of, &ana_id)) != NULL);
  more = cohort_test_ui_find_shown (row, cohort_test_ui_is_type, "GtkMenuButton");
  g_assert_nonnull (more);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (more));
  g_assert_true (menu_has_action (menu, "stage.mute-student", &target));
  g_assert_cmpint (target, ==, ana_id);
  g_assert_true (menu_has_action (menu, "stage.keep-muted", &target));
  g_assert_cmpint (target, ==, ana_id);
  g_assert_true (menu_has_action (menu, "stage.allow-unmute", &target));
  g_assert_cmpint (target, ==, ana_id);
  gtk_menu_button_popup (GTK_MENU_BUTTON (more));
  cohort_test_ui_settle (400);
  screenshot (teacher_window, "teacher-student-menu");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (more));

  /* The student's own row has no such menu, nor does anyone's for her. */
  {
    gint64 teacher_id = cohort_participant_get_id (cohort_session_get_self (teacher));
    GtkWidget *ana_row = NULL;

    COHORT_TEST_WAIT_UNTIL ((ana_row = cohort_test_ui_find_shown (GTK_WIDGET (ana_window->roster_view),
                                                                  cohort_test_ui_is_row_of, &teacher_id)) != NULL);
    g_assert_null (cohort_test_ui_find_shown (ana_row, cohort_test_ui_is_type, "GtkMenuButton"));
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher_window), "stage.keep-muted", "x", ana_id));
  COHORT_TEST_WAIT_UNTIL (toast_shown (ana_window, _("The teacher keeps you muted")));
  COHORT_TEST_WAIT_UNTIL (toast_shown (teacher_window, "Ana is kept muted"));

  /* The People page's Let Everyone Unmute. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher_window), "stage.allow-unmute", "x", (gint64) 0));
  COHORT_TEST_WAIT_UNTIL (toast_shown (ana_window, _("The teacher lets you unmute")));
  screenshot (ana_window, "student-unmute-allowed");

  gtk_window_destroy (GTK_WINDOW (ana_window));
  gtk_window_destroy (GTK_WINDOW (teacher_window));
}

/* The handle's own controllers, as the keyboard and the pointer reach them. */
static gpointer
handle_controller (GtkWidget *handle,
                   GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (handle);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }
  g_assert_not_reached ();
}

static void
press (GtkWidget       *handle,
       guint            keyval,
       GdkModifierType  state)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (handle_controller (handle, GTK_TYPE_EVENT_CONTROLLER_KEY), "key-pressed",
                         keyval, 0, state, &handled);
  g_assert_true (handled);
}

static int
settings_width (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("org.cohortclass.Cohort");

  return g_settings_get_int (settings, "side-panel-width");
}

/* The side panel beside the stage: its handle is a named, focusable
 * separator; the arrow keys and a drag resize it, between 300 px and
 * what leaves the stage its width; the width is kept (GSettings) and the
 * next window opens with it; at 360 px the panel folds over the stage
 * and asks for no more than 360 px. */
static void
test_side_panel (void)
{
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Maths", "Ms Li");
  CohortClassWindow *window = cohort_class_window_new (NULL, teacher);
  CohortSidePanel *panel;
  GtkWidget *handle;
  int max, min_width = 0;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  panel = COHORT_SIDE_PANEL (window->side_panel);
  handle = cohort_side_panel_get_handle (panel);
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_mapped (handle) && !adw_flap_get_folded (window->flap));
  g_assert_true (gtk_widget_get_focusable (handle));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (handle), ==,
                   _("Drag or use the arrow keys to resize the side panel"));
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (panel)) == 360);

  /* The keyboard: Left widens (the panel is on the right), Right narrows. */
  press (handle, GDK_KEY_Left, 0);
  g_assert_cmpint (cohort_side_panel_get_width (panel), ==, 376);
  g_assert_cmpint (settings_width (), ==, 376);
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (panel)) == 376);
  press (handle, GDK_KEY_Right, 0);
  press (handle, GDK_KEY_Right, 0);
  g_assert_cmpint (settings_width (), ==, 344);

  /* Never narrower than 300, never so wide that the stage loses its room
   * (at 1280 px, still more than 400). */
  press (handle, GDK_KEY_Home, 0);
  g_assert_cmpint (cohort_side_panel_get_width (panel), ==, COHORT_SIDE_PANEL_MIN_WIDTH);
  press (handle, GDK_KEY_End, 0);
  max = cohort_side_panel_get_width (panel);
  g_test_message ("At 1280 px the side panel is at most %d px wide", max);
  g_assert_cmpint (max, <=, COHORT_SIDE_PANEL_MAX_WIDTH);
  g_assert_cmpint (max, >, 400);
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (panel)) == max);
  cohort_test_ui_settle (300);
  g_assert_false (adw_flap_get_folded (window->flap));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window->stage)), >,
                   gtk_widget_get_width (GTK_WIDGET (panel)));
  press (handle, GDK_KEY_Left, GDK_CONTROL_MASK);
  g_assert_cmpint (cohort_side_panel_get_width (panel), ==, max);

  /* The pointer: dragging the handle left widens it, right narrows it. */
  press (handle, GDK_KEY_Home, 0);
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_width (GTK_WIDGET (panel)) == 300);
  g_signal_emit_by_name (handle_controller (handle, GTK_TYPE_GESTURE_DRAG), "drag-begin", 2.0, 100.0);
  g_signal_emit_by_name (handle_controller (handle, GTK_TYPE_GESTURE_DRAG), "drag-update", -90.0, 0.0);
  g_assert_cmpint (cohort_side_panel_get_width (panel), ==, 390);
  g_signal_emit_by_name (handle_controller (handle, GTK_TYPE_GESTURE_DRAG), "drag-update", -60.0, 0.0);
  g_assert_cmpint (cohort_side_panel_get_width (panel), ==, 360);
  g_signal_emit_by_name (handle_controller (handle, GTK_TYPE_GESTURE_DRAG), "drag-update", 40.0, 0.0);
  g_assert_cmpint (settings_width (), ==, 300);
  press (handle, GDK_KEY_Left, GDK_CONTROL_MASK);
  press (handle, GDK_KEY_Left, 0);
  g_assert_cmpint (settings_width (), ==, 380);
  screenshot (window, "side-panel-wide");
  gtk_window_destroy (GTK_WINDOW (window));

  /* The next window opens with the width the user left. */
  window = cohort_class_window_new (NULL, teacher);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_width (window->side_panel) == 380);

  /* 360 px: the panel folds over the stage, without its handle, and the
   * window needs no more than 360 px. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  COHORT_TEST_WAIT_UNTIL (adw_flap_get_folded (window->flap));
  gtk_widget_measure (GTK_WIDGET (window->flap), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  g_assert_cmpint (min_width, <=, 360);
  g_assert_false (gtk_widget_get_visible (cohort_side_panel_get_handle (COHORT_SIDE_PANEL (window->side_panel))));
  adw_flap_set_reveal_flap (window->flap, TRUE);
  cohort_test_ui_settle (600);
  g_assert_cmpint (gtk_widget_get_width (window->side_panel), <=, gtk_widget_get_width (GTK_WIDGET (window)));
  g_test_message ("At 360 px: the window is %d px wide, the side panel %d px",
                  gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_width (window->side_panel));
  screenshot (window, "side-panel-360");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
dark_shot (CohortClassWindow *window,
           int                width,
           int                height,
           const char        *name)
{
  g_autofree char *file = g_strdup_printf ("%s-dark-%d", name, width);

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  cohort_test_ui_settle (800);
  screenshot (window, file);
}

/* The screens this issue changed, in the dark style, at 360 px and at
 * 1280×800, for a person to look at: the student's waiting state (no
 * Raise Hand), the teacher's People page (Let Everyone Unmute, the side
 * panel's handle), the student during the lesson, told they were muted. */
static void
test_dark_screens (void)
{
  const char *url = cohort_test_server_get_url (server);
  AdwStyleManager *style = adw_style_manager_get_default ();
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "History", "Ms Li");
  g_autoptr(CohortSession) ana = cohort_test_session_join (url, teacher, "Ana");
  CohortClassWindow *teacher_window = cohort_test_ui_present_class (teacher);
  CohortClassWindow *ana_window = cohort_test_ui_present_class (ana);
  gint64 ana_id = cohort_participant_get_id (cohort_session_get_self (ana));

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  COHORT_TEST_WAIT_UNTIL (page_shown (ana_window));
  g_assert_false (gtk_widget_get_visible (ana_window->controls));
  dark_shot (ana_window, 1280, 800, "student-waiting");
  dark_shot (ana_window, 360, 720, "student-waiting");

  cohort_test_ui_show_side_page (teacher_window, "people");
  gtk_widget_activate_action (GTK_WIDGET (teacher_window), "class.start-lesson", NULL);
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_visible (ana_window->controls));
  dark_shot (teacher_window, 1280, 800, "teacher-people");
  cohort_test_ui_save_phone_width (teacher_window, 720, language != NULL ? "lesson-teacher-people-dark-360-zh.png"
                                                                         : "lesson-teacher-people-dark-360.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher_window), "stage.keep-muted", "x", ana_id));
  COHORT_TEST_WAIT_UNTIL (toast_shown (ana_window, _("The teacher keeps you muted")));
  adw_flap_set_reveal_flap (ana_window->flap, FALSE);
  dark_shot (ana_window, 1280, 800, "student-live");
  dark_shot (ana_window, 360, 720, "student-live");

  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (ana_window));
  gtk_window_destroy (GTK_WINDOW (teacher_window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  language = cohort_test_ui_use_test_language ();
  data_home = cohort_test_ui_init (&argc, &argv, "lesson-ui");
  server = cohort_test_server_start (NULL);
  g_test_add_func ("/cohort/ui/lesson/waiting-start-end-summary", test_waiting_start_end);
  g_test_add_func ("/cohort/ui/lesson/teacher-reconnecting", test_teacher_reconnecting);
  g_test_add_func ("/cohort/ui/lesson/close-confirmation", test_close_confirmation);
  g_test_add_func ("/cohort/ui/lesson/attendance", test_attendance);
  g_test_add_func ("/cohort/ui/lesson/mute-one-student", test_mute_one_student);
  g_test_add_func ("/cohort/ui/lesson/side-panel", test_side_panel);
  g_test_add_func ("/cohort/ui/lesson/dark-screens", test_dark_screens);
  return cohort_test_ui_run (server, data_home);
}

/* test-schedule-ui.c: the lesson schedule in real class windows against a
 * real server: the teacher plans a lesson in the editor, the student is
 * told (a notice) and sees it in their own zone with a countdown; a bad
 * time zone is refused in the editor
 *
 * COHORT_TEST_LANGUAGE=zh_CN (with COHORT_LOCALEDIR) runs it in that
 * language, for screenshots (schedule-*-zh_CN.png).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-schedule-ui"

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cohort-schedule-dialog.h"
#include "cohort-schedule-editor.h"
#include "cohort-schedule-rule.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

#include "cohort-class-window-private.h"

static CohortTestServer *server;
static const char *language;

static void
screenshot (gpointer    widget,
            const char *name)
{
  cohort_test_ui_save_named_screenshot (widget, "schedule", name, language);
}

static gboolean
has_toast (CohortClassWindow *window,
           const char        *part)
{
  GPtrArray *shown = cohort_class_window_get_shown_toasts (window);

  for (guint i = 0; i < shown->len; i++)
    if (strstr (adw_toast_get_title (g_ptr_array_index (shown, i)), part) != NULL)
      return TRUE;
  return FALSE;
}

/* "YYYY-MM-DDTHH:MM" in New York, @minutes from now (rounded down to
 * the minute). */
static char *
new_york_in (int minutes)
{
  g_autoptr(GTimeZone) zone = cohort_schedule_zone_new ("America/New_York");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) then = g_date_time_add_minutes (now, minutes);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M");
}

static void
test_plan_and_see (void)
{
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortSession) ana = cohort_test_session_join (url, teacher, "Ana");
  CohortClassWindow *teacher_window = cohort_test_ui_present_class (teacher);
  CohortClassWindow *ana_window = cohort_test_ui_present_class (ana);
  g_autofree char *start = new_york_in (30);
  g_autofree char *weekly_start = new_york_in (3 * 24 * 60);
  CohortScheduleDialog *dialog;
  CohortScheduleDialog *ana_dialog;
  CohortScheduleEditor *editor;
  const char *subtitle;

  /* No lessons yet: the row says so. */
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (ana_window->schedule_row)), ==,
                   _("No lessons planned"));

  gtk_widget_activate_action (GTK_WIDGET (teacher_window), "class.show-schedule", NULL);
  dialog = cohort_test_ui_wait_toplevel (COHORT_TYPE_SCHEDULE_DIALOG, 5000);
  g_assert_nonnull (dialog);
  g_assert_cmpuint (cohort_schedule_dialog_get_n_rows (dialog), ==, 0);
  screenshot (dialog, "teacher-empty");

  /* A bad zone is refused in the editor, which stays open. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "schedule.add", NULL);
  editor = cohort_test_ui_wait_toplevel (COHORT_TYPE_SCHEDULE_EDITOR, 5000);
  g_assert_nonnull (editor);
  cohort_schedule_editor_set_fields (editor, "Waves", start, "Mars/Base", 45, FALSE, 0, NULL);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  cohort_test_ui_settle (200);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_cmpuint (cohort_schedule_dialog_get_n_rows (dialog), ==, 0);

  /* In 30 minutes, in New York's zone. */
  cohort_schedule_editor_set_fields (editor, "Waves", start, "America/New_York", 45, FALSE, 0, NULL);
  screenshot (editor, "editor");
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  COHORT_TEST_WAIT_UNTIL (cohort_schedule_dialog_get_n_rows (dialog) == 1);
  COHORT_TEST_WAIT_UNTIL (editor == NULL);

  /* And a weekly one in three days. */
  gtk_widget_activate_action (GTK_WIDGET (dialog), "schedule.add", NULL);
  editor = cohort_test_ui_wait_toplevel (COHORT_TYPE_SCHEDULE_EDITOR, 5000);
  cohort_schedule_editor_set_fields (editor, "Optics, part 2", weekly_start, "America/New_York", 60, TRUE, 4, NULL);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  COHORT_TEST_WAIT_UNTIL (cohort_schedule_dialog_get_n_rows (dialog) == 5);
  COHORT_TEST_WAIT_UNTIL (editor == NULL);
  screenshot (dialog, "teacher");

  /* Cancelling one lesson asks first; then everyone's list loses it. */
  {
    g_autoptr(CohortScheduleOccurrence) first = g_list_model_get_item (G_LIST_MODEL (cohort_session_get_schedule (teacher)), 1);
    AdwMessageDialog *question;

    gtk_widget_activate_action (GTK_WIDGET (dialog), "schedule.cancel", "(xs)",
                                cohort_schedule_occurrence_get_lesson_id (first),
                                cohort_schedule_occurrence_get_date (first));
    question = cohort_test_ui_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 5000);
    g_assert_nonnull (question);
    screenshot (question, "cancel");
    adw_message_dialog_response (question, "cancel-lesson");
    gtk_window_destroy (GTK_WINDOW (question));
    COHORT_TEST_WAIT_UNTIL (cohort_schedule_dialog_get_n_rows (dialog) == 4);
    COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (cohort_session_get_schedule (ana))) == 4);
  }
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The student was told, and sees it in their own zone, with a countdown. */
  COHORT_TEST_WAIT_UNTIL (has_toast (ana_window, "Optics") || has_toast (ana_window, "Waves"));
  COHORT_TEST_WAIT_UNTIL (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (ana_window->schedule_row)),
                                  "Waves") != NULL);
  gtk_widget_activate_action (GTK_WIDGET (ana_window), "class.show-schedule", NULL);
  ana_dialog = cohort_test_ui_wait_toplevel (COHORT_TYPE_SCHEDULE_DIALOG, 5000);
  g_assert_cmpuint (cohort_schedule_dialog_get_n_rows (ana_dialog), ==, 4);
  subtitle = cohort_schedule_dialog_get_row_subtitle (ana_dialog, 0);
  g_assert_nonnull (subtitle);
  {
    g_autofree char *in_30 = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d minute", "in %d minutes", 30), 30);
    g_autofree char *in_29 = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "in %d minute", "in %d minutes", 29), 29);

    if (strstr (subtitle, in_30) == NULL && strstr (subtitle, in_29) == NULL)
      g_error ("No countdown in “%s”", subtitle);
  }
  screenshot (ana_dialog, "student");

  /* The reminder before the lesson is the application's, for every kept
   * class: tests/ui/test-reminders-ui.c. */
  gtk_window_destroy (GTK_WINDOW (ana_dialog));
  screenshot (ana_window, "student-window");

  gtk_window_destroy (GTK_WINDOW (teacher_window));
  gtk_window_destroy (GTK_WINDOW (ana_window));
}

/* The date @days after @start's ("YYYY-MM-DD"). */
static char *
date_after (const char *start,
            int         days)
{
  CohortScheduleDate date;
  guint hour, minute;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GDateTime) later = NULL;

  g_assert_true (cohort_schedule_local_parse (start, &date, &hour, &minute));
  day = g_date_time_new_utc (date / 10000, (date / 100) % 100, date % 100, 12, 0, 0);
  later = g_date_time_add_days (day, days);
  return g_date_time_format (later, "%Y-%m-%d");
}

static void
save_and_wait (CohortScheduleEditor *editor)
{
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  COHORT_TEST_WAIT_UNTIL (editor == NULL);
}

/* A weekly series can end on a date: set in the editor, shown again when
 * the series is edited, and moved later, the schedule following. */
static void
test_series_end_date (void)
{
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  CohortSchedule *schedule = cohort_session_get_schedule (teacher);
  g_autofree char *start = new_york_in (60);
  g_autofree char *third = date_after (start, 14);
  g_autofree char *fourth = date_after (start, 21);
  g_autoptr(CohortScheduleOccurrence) first = NULL;
  CohortScheduleEditor *editor;
  CohortScheduleLessonSpec spec;

  /* Weekly, the last lesson two weeks after the first: three lessons. */
  editor = cohort_schedule_editor_new (NULL, schedule, NULL);
  gtk_window_present (GTK_WINDOW (editor));
  cohort_schedule_editor_set_fields (editor, "Optics", start, "America/New_York", 60, TRUE, 0, third);
  cohort_schedule_editor_get_spec (editor, &spec);
  g_assert_cmpstr (spec.until, ==, third);
  g_assert_cmpuint (spec.count, ==, 0);
  screenshot (editor, "editor-until");
  save_and_wait (editor);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (schedule)) == 3);

  /* Editing the series shows its end date; a week later gives a fourth. */
  first = g_list_model_get_item (G_LIST_MODEL (schedule), 0);
  g_assert_cmpstr (cohort_schedule_occurrence_get_until (first), ==, third);
  editor = cohort_schedule_editor_new (NULL, schedule, first);
  gtk_window_present (GTK_WINDOW (editor));
  cohort_schedule_editor_get_spec (editor, &spec);
  g_assert_true (spec.weekly);
  g_assert_cmpstr (spec.until, ==, third);
  cohort_schedule_editor_set_fields (editor, "Optics", start, "America/New_York", 60, TRUE, 0, fourth);
  save_and_wait (editor);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (schedule)) == 4);
  g_clear_object (&first);
  first = g_list_model_get_item (G_LIST_MODEL (schedule), 0);
  g_assert_cmpstr (cohort_schedule_occurrence_get_until (first), ==, fourth);

  /* Back to a number of lessons: the end date goes. */
  editor = cohort_schedule_editor_new (NULL, schedule, first);
  gtk_window_present (GTK_WINDOW (editor));
  cohort_schedule_editor_set_fields (editor, "Optics", start, "America/New_York", 60, TRUE, 2, NULL);
  cohort_schedule_editor_get_spec (editor, &spec);
  g_assert_null (spec.until);
  save_and_wait (editor);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (schedule)) == 2);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  language = cohort_test_ui_use_test_language ();
  data_home = cohort_test_ui_init (&argc, &argv, "schedule-ui");
  server = cohort_test_server_start (NULL);
  g_test_add_func ("/cohort/ui/schedule/plan-and-see", test_plan_and_see);
  g_test_add_func ("/cohort/ui/schedule/series-end-date", test_series_end_date);
  return cohort_test_ui_run (server, data_home);
}

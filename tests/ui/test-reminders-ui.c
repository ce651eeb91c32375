/* test-reminders-ui.c: lesson reminders from the application, with no
 * class window open, and the teacher's home, against a real server
 *
 * A real CohortApplication on the test's private bus keeps a student's
 * class: the reminder comes when the reminder setting makes the next
 * lesson due, once (a restart does not repeat it), and goes when the
 * lesson is cancelled; its action, called over the bus as the shell
 * does, opens the class window. A teacher's kept class is on the home.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-reminders-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cohort-test-client.h"
#include "cohort-test-notifications.h"
#include "cohort-test-server.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

#include "cohort-application.h"
#include "cohort-home-row.h"
#include "cohort-home-window.h"
#include "cohort-lesson-reminders.h"
#include "cohort-media-preferences.h"
#include "cohort-token-store.h"

static const char *language;

/* A round of the model is over and the class's next lesson is known. */
static gboolean
round_done (CohortHomeModel *model,
            const char      *code)
{
  CohortHomeEntry *entry = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(CohortHomeEntry) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (g_strcmp0 (cohort_home_entry_get_code (item), code) == 0)
        entry = item;
    }
  return !cohort_home_model_get_loading (model) && entry != NULL &&
         cohort_home_entry_get_status (entry) == COHORT_HOME_STATUS_READY;
}

/* Asks every kept class's server again and waits for the answers. */
static void
refresh (CohortLessonReminders *reminders,
         const char            *code)
{
  cohort_lesson_reminders_reload (reminders);
  COHORT_TEST_WAIT_UNTIL (round_done (cohort_lesson_reminders_get_model (reminders), code));
}

/* A one-off lesson in 30 to 31 minutes, planned in London; its id. */
static gint64
plan_lesson (CohortTestClient *teacher)
{
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) now = g_date_time_new_now (london);
  g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 31);
  g_autofree char *local = g_date_time_format (later, "%Y-%m-%dT%H:%M");
  g_autofree char *create = g_strdup_printf ("{\"title\":\"Optics\",\"start\":\"%s\",\"zone\":\"Europe/London\","
                                             "\"duration\":45,\"recurrence\":\"none\"}", local);
  g_autoptr(JsonObject) created = cohort_test_client_ok_json (teacher, "schedule.create", create);

  return json_object_get_int_member (json_object_get_object_member (created, "lesson"), "lesson_id");
}

static gboolean
class_window_open (GtkApplication *app,
                   const char     *code)
{
  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (COHORT_IS_CLASS_WINDOW (l->data))
      {
        CohortSession *session = cohort_class_window_get_session (l->data);

        return cohort_session_get_state (session) == COHORT_SESSION_STATE_JOINED &&
               g_strcmp0 (cohort_session_get_class_code (session), code) == 0;
      }
  return FALSE;
}

/* The last notification sent with @id: its default action and target. */
static GVariant *
sent_with_id (CohortTestNotifications *s,
              const char              *id,
              const char             **action)
{
  for (guint i = s->sent->len; i > 0; i--)
    {
      g_autoptr(GVariant) hints = NULL;
      const char *got_id;

      g_variant_get (g_ptr_array_index (s->sent, i - 1), "(&s&s@a{sv})", NULL, &got_id, &hints);
      if (g_str_equal (got_id, id))
        {
          g_assert_true (g_variant_lookup (hints, "default-action", "&s", action));
          return g_variant_lookup_value (hints, "default-action-target", NULL);
        }
    }
  return NULL;
}

static void
test_reminder_without_window (void)
{
  CohortTestNotifications notifications = { 0 };
  g_autoptr(CohortApplication) app = cohort_test_ui_new_application ("org.cohortclass.Cohort.TestReminders");
  g_autoptr(GSettings) settings = g_settings_new ("org.cohortclass.Cohort");
  g_autoptr(GError) error = NULL;
  CohortTestClassroom k = { 0 };
  CohortLessonReminders *reminders = cohort_application_get_reminders (app);
  const char *url;
  gint64 lesson_id;
  g_autofree char *cancel = NULL;
  g_autofree char *occurrence = NULL;

  g_autofree char *id = NULL;
  g_autoptr(GVariant) target = NULL;
  const char *action = NULL;

  cohort_test_notifications_start (&notifications);
  cohort_test_classroom_open (&k, "Physics", "Ms Li", "Mei");
  url = cohort_test_server_get_url (k.server);
  id = cohort_lesson_reminders_notification_id (url, k.code);
  g_assert_true (cohort_token_store_save (url, k.code, FALSE, k.token, NULL, "Mei", &error));
  g_assert_no_error (error);
  g_assert_nonnull (reminders);
  cohort_home_model_set_refresh_interval (cohort_lesson_reminders_get_model (reminders), 0);

  /* Planned in 31 minutes: 10 minutes before (the default) is not yet. */
  lesson_id = plan_lesson (k.teacher);
  refresh (reminders, k.code);
  g_assert_cmpint (g_settings_get_int (settings, "lesson-reminder-minutes"), ==, 10);
  g_assert_cmpuint (cohort_lesson_reminders_get_n_sent (reminders), ==, 0);
  g_assert_null (cohort_lesson_reminders_get_shown (reminders, url, k.code));
  g_assert_cmpuint (notifications.sent->len, ==, 0);

  /* An hour before: due at once, with no class window open. */
  g_settings_set_int (settings, "lesson-reminder-minutes", 60);
  COHORT_TEST_WAIT_UNTIL (cohort_lesson_reminders_get_n_sent (reminders) == 1);
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
  occurrence = g_strdup (cohort_lesson_reminders_get_shown (reminders, url, k.code));
  g_assert_nonnull (occurrence);
  {
    g_autofree char *prefix = g_strdup_printf ("%" G_GINT64_FORMAT "@", lesson_id);

    g_assert_true (g_str_has_prefix (occurrence, prefix));
  }
  /* On the bus: named by the class, opening it. */
  COHORT_TEST_WAIT_UNTIL (notifications.sent->len == 1);
  target = sent_with_id (&notifications, id, &action);
  g_assert_nonnull (target);
  g_assert_cmpstr (action, ==, "app.open-class");
  {
    const char *got_url, *got_code;

    g_variant_get (target, "(&s&s)", &got_url, &got_code);
    g_assert_cmpstr (got_url, ==, url);
    g_assert_cmpstr (got_code, ==, k.code);
  }

  /* Once: not again at the next round, nor after a restart (the token
   * store remembers it). */
  refresh (reminders, k.code);
  g_assert_cmpuint (cohort_lesson_reminders_get_n_sent (reminders), ==, 1);
  {
    g_autoptr(CohortStoredToken) stored = cohort_token_store_lookup (url, k.code, FALSE);
    g_autoptr(CohortLessonReminders) restarted = cohort_lesson_reminders_new (G_APPLICATION (app));

    g_assert_cmpstr (stored->reminded, ==, occurrence);
    cohort_home_model_set_refresh_interval (cohort_lesson_reminders_get_model (restarted), 0);
    refresh (restarted, k.code);
    g_assert_cmpuint (cohort_lesson_reminders_get_n_sent (restarted), ==, 0);
  }

  /* Its action opens the class, resumed with the kept token; with the
   * window open the class still gets one reminder, the application's. */
  cohort_test_notifications_click (G_APPLICATION (app), "open-class", target);
  COHORT_TEST_WAIT_UNTIL (class_window_open (GTK_APPLICATION (app), k.code));
  refresh (reminders, k.code);
  g_assert_cmpuint (cohort_lesson_reminders_get_n_sent (reminders), ==, 1);

  /* Cancelled: the reminder is withdrawn. */
  cancel = g_strdup_printf ("{\"lesson_id\":%" G_GINT64_FORMAT "}", lesson_id);
  json_object_unref (cohort_test_client_ok_json (k.teacher, "schedule.cancel", cancel));
  refresh (reminders, k.code);
  g_assert_null (cohort_lesson_reminders_get_shown (reminders, url, k.code));
  g_assert_cmpuint (cohort_lesson_reminders_get_n_sent (reminders), ==, 1);
  COHORT_TEST_WAIT_UNTIL (g_ptr_array_find_with_equal_func (notifications.removed, id, g_str_equal, NULL));
  g_assert_cmpuint (notifications.sent->len, ==, 1);

  g_settings_reset (settings, "lesson-reminder-minutes");
  cohort_test_ui_close_app_windows (GTK_APPLICATION (app));
  g_assert_true (cohort_token_store_forget (url, k.code, FALSE, NULL));
  cohort_test_classroom_close (&k);
  cohort_test_notifications_stop (&notifications);
}

/* A teacher's kept class is on the home, with its next lesson and one
 * click to open it; no student figures. */
static void
test_teacher_home (void)
{
  g_autoptr(CohortApplication) app = cohort_test_ui_new_application ("org.cohortclass.Cohort.TestTeacherHome");
  g_autoptr(GError) error = NULL;
  CohortTestClassroom k = { 0 };
  CohortHomeWindow *home;
  CohortHomeRow *row;
  CohortHomeEntry *entry;
  GtkWindow *window;

  cohort_test_classroom_open (&k, "Physics", "Ms Li", "Mei");
  g_assert_true (cohort_token_store_save (cohort_test_server_get_url (k.server), k.code, TRUE, k.teacher_token,
                                          NULL, "Ms Li", &error));
  g_assert_no_error (error);
  plan_lesson (k.teacher);

  window = cohort_application_show_home (app);
  g_assert_true (COHORT_IS_HOME_WINDOW (window));
  home = COHORT_HOME_WINDOW (window);
  /* The home shows the reminders' model: each class is asked once a
   * round, not once for each. */
  g_assert_true (cohort_home_window_get_model (home) ==
                 cohort_lesson_reminders_get_model (cohort_application_get_reminders (app)));
  COHORT_TEST_WAIT_UNTIL (round_done (cohort_home_window_get_model (home), k.code) &&
                          g_strcmp0 (cohort_home_window_get_page (home), "list") == 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cohort_home_window_get_model (home))), ==, 1);
  row = COHORT_HOME_ROW (gtk_widget_get_first_child (GTK_WIDGET (cohort_home_window_get_list (home))));
  entry = cohort_home_row_get_entry (row);
  g_assert_true (cohort_home_entry_get_teacher (entry));
  g_assert_cmpstr (cohort_home_entry_get_title (entry), ==, "Physics");
  g_assert_cmpstr (cohort_home_entry_get_next_lesson_title (entry), ==, "Optics");
  g_assert_false (cohort_home_entry_get_has_progress (entry));
  g_assert_cmpstr (cohort_home_row_get_figures (row), ==, "");
  {
    g_autofree char *teaching = g_strdup_printf (_("You teach · %s"), "");

    g_assert_true (g_str_has_prefix (cohort_home_row_get_status (row), teaching));
  }
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cohort_home_row_get_join_button (row))));
  cohort_test_ui_save_named_screenshot (home, "reminders", "teacher-home", language);

  /* One click opens the class as its teacher. */
  gtk_widget_activate (GTK_WIDGET (cohort_home_row_get_join_button (row)));
  COHORT_TEST_WAIT_UNTIL (class_window_open (GTK_APPLICATION (app), k.code));

  cohort_test_ui_close_app_windows (GTK_APPLICATION (app));
  g_assert_true (cohort_token_store_forget (cohort_test_server_get_url (k.server), k.code, TRUE, NULL));
  cohort_test_classroom_close (&k);
}

static gboolean
autostart_exists (void)
{
  g_autofree char *path = cohort_background_autostart_path ();

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* The Preferences switch, outside a sandbox (the Background portal is
 * for sandboxed apps: libportal's request cannot be answered here): on,
 * the application is held and an XDG autostart file starts it quietly
 * at login; off, both go. */
static void
test_background_fallback (void)
{
  g_autoptr(CohortApplication) app = cohort_test_ui_new_application ("org.cohortclass.Cohort.TestBackground");
  g_autoptr(GSettings) settings = g_settings_new ("org.cohortclass.Cohort");
  CohortBackground *background = cohort_application_get_background (app);
  g_autofree char *path = cohort_background_autostart_path ();
  g_autofree char *contents = NULL;
  GtkWidget *prefs;

  g_assert_true (g_str_has_prefix (path, g_getenv ("XDG_CONFIG_HOME")));
  g_assert_false (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_false (cohort_background_get_held (background));
  g_assert_false (autostart_exists ());

  /* Switched on in Preferences. */
  prefs = cohort_media_preferences_new ();
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (prefs), "notifications");
  gtk_window_present (GTK_WINDOW (prefs));
  gtk_switch_set_active (cohort_media_preferences_get_background_switch (COHORT_MEDIA_PREFERENCES (prefs)), TRUE);
  COHORT_TEST_WAIT_UNTIL (autostart_exists ());
  g_assert_true (g_settings_get_boolean (settings, "run-in-background"));
  g_assert_true (cohort_background_get_held (background));
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\nExec=cohort --background\n"));
  cohort_test_ui_save_named_screenshot (prefs, "reminders", "preferences-background", language);

  /* Off again. */
  gtk_switch_set_active (cohort_media_preferences_get_background_switch (COHORT_MEDIA_PREFERENCES (prefs)), FALSE);
  COHORT_TEST_WAIT_UNTIL (!autostart_exists ());
  g_assert_false (cohort_background_get_held (background));

  gtk_window_destroy (GTK_WINDOW (prefs));
  cohort_test_ui_close_app_windows (GTK_APPLICATION (app));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;
  g_autofree char *config_home = g_dir_make_tmp ("cohort-reminders-config-XXXXXX", NULL);

  /* Before anything asks GLib for it (it is read once). */
  g_assert_nonnull (config_home);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  language = cohort_test_ui_use_test_language ();
  data_home = cohort_test_ui_init (&argc, &argv, "reminders-ui");
  g_test_add_func ("/cohort/ui/reminders/without-window", test_reminder_without_window);
  g_test_add_func ("/cohort/ui/reminders/teacher-home", test_teacher_home);
  g_test_add_func ("/cohort/ui/reminders/background-fallback", test_background_fallback);
  status = cohort_test_ui_run (NULL, data_home);
  {
    g_autofree char *autostart = g_build_filename (config_home, "autostart", NULL);

    g_rmdir (autostart);
    g_rmdir (config_home);
  }
  return status;
}

/* test-insights-ui.c: the teacher's Insights page in a real class window
 * against a real server: the at-risk student first, with the reason, and
 * the CSV in the page's order
 *
 * COHORT_TEST_LANGUAGE=zh_CN (with COHORT_LOCALEDIR) runs it in that
 * language, for screenshots (insights-*-zh_CN.png).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-insights-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cohort-insights-page.h"
#include "cohort-participant.h"
#include "cohort-session.h"
#include "cohort-test-db.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

#include "cohort-class-window-private.h"

#define HOUR_MS ((gint64) 3600 * 1000)
#define DAY_MS  (24 * HOUR_MS)

static CohortTestServer *server;
static const char *language;

static void
screenshot (gpointer    widget,
            const char *name)
{
  cohort_test_ui_save_named_screenshot (widget, "insights", name, language);
}

static gint64
id_of (CohortSession *session)
{
  return cohort_participant_get_id (cohort_session_get_self (session));
}

static void
presence (gint64   class_id,
          gint64   who,
          gint64   ts,
          gboolean online)
{
  g_autofree char *body = g_strdup_printf ("{\"participant_id\": %" G_GINT64_FORMAT ", \"online\": %s}",
                                           who, online ? "true" : "false");

  cohort_test_db_log_event (cohort_test_server_get_db_path (server), class_id, ts, "participant.presence", body);
}

/* Three lessons a day apart: Ana at each, chatting; Bo only at the first. */
static void
write_history (gint64 class_id,
               gint64 ana,
               gint64 bo)
{
  const char *db = cohort_test_server_get_db_path (server);
  gint64 base = g_get_real_time () / 1000 - 10 * DAY_MS;
  g_autofree char *setup = g_strdup_printf ("UPDATE participants SET created_at = %" G_GINT64_FORMAT
                                            " WHERE class_id = %" G_GINT64_FORMAT ";"
                                            "DELETE FROM lessons WHERE class_id = %" G_GINT64_FORMAT,
                                            base - DAY_MS, class_id, class_id);

  cohort_test_db_exec (db, setup);
  for (int n = 1; n <= 3; n++)
    {
      gint64 start = base + (n - 1) * DAY_MS;
      g_autofree char *sql = g_strdup_printf ("INSERT INTO lessons (class_id, number, started_at) VALUES (%"
                                              G_GINT64_FORMAT ", %d, %" G_GINT64_FORMAT ");"
                                              "INSERT INTO lesson_runs (class_id, number, started_at, ended_at) "
                                              "VALUES (%" G_GINT64_FORMAT ", %d, %" G_GINT64_FORMAT ", %"
                                              G_GINT64_FORMAT ");"
                                              "INSERT INTO chat_messages (class_id, author_id, channel, text, ts) "
                                              "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'class', 'hi', %"
                                              G_GINT64_FORMAT ")",
                                              class_id, n, start, class_id, n, start, start + HOUR_MS,
                                              class_id, ana, start + 60000);

      cohort_test_db_exec (db, sql);
      presence (class_id, ana, start - 60000, TRUE);
      presence (class_id, ana, start + HOUR_MS + 60000, FALSE);
      if (n == 1)
        {
          presence (class_id, bo, start, TRUE);
          presence (class_id, bo, start + HOUR_MS, FALSE);
        }
    }
}

static gpointer
first_item (CohortInsightsPage *page,
            guint               position)
{
  CohortInsights *insights = cohort_insights_page_get_model (page);

  return g_list_model_get_item (G_LIST_MODEL (insights), position);
}

static gint64
messages_of (CohortInsights *insights,
             const char     *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (insights)); i++)
    {
      g_autoptr(CohortInsightsRow) row = g_list_model_get_item (G_LIST_MODEL (insights), i);

      if (g_str_equal (cohort_insights_row_get_name (row), name))
        return cohort_insights_row_get_figure (row, "messages");
    }
  return -1;
}

static void
sent_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(JsonObject) body = cohort_session_request_finish (COHORT_SESSION (object), result, NULL);

  *(gboolean *) user_data = body != NULL;
}

static void
test_at_risk_first (void)
{
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  /* Named so that the name order alone would put Ana first. */
  g_autoptr(CohortSession) ana = cohort_test_session_join (url, teacher, "Ana");
  g_autoptr(CohortSession) bo = cohort_test_session_join (url, teacher, "Bo");
  CohortClassWindow *window;
  CohortInsightsPage *page;
  CohortInsights *insights;
  g_autoptr(CohortInsightsRow) first = NULL;
  g_autofree char *csv = NULL;
  GtkWidget *first_row;
  GtkWidget *list = NULL;

  write_history (cohort_session_get_class_id (teacher), id_of (ana), id_of (bo));

  window = cohort_class_window_new (NULL, teacher);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 680);
  gtk_window_present (GTK_WINDOW (window));
  cohort_test_ui_show_side_page (window, "people");
  g_assert_true (gtk_widget_get_visible (window->lesson_group));

  gtk_widget_activate_action (GTK_WIDGET (window), "class.show-insights", NULL);
  page = cohort_test_ui_wait_toplevel (COHORT_TYPE_INSIGHTS_PAGE, 5000);
  g_assert_nonnull (page);
  insights = cohort_insights_page_get_model (page);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (insights)) == 2);

  first = first_item (page, 0);
  g_assert_cmpstr (cohort_insights_row_get_name (first), ==, "Bo");
  g_assert_true (cohort_insights_row_get_at_risk (first));
  g_assert_cmpstr (cohort_insights_row_get_risks (first)[0], ==, "absent");
  g_assert_cmpuint (cohort_insights_get_n_at_risk (insights), ==, 1);

  /* The list shows Bo first too, with his reason's chip. */
  COHORT_TEST_WAIT_UNTIL ((list = cohort_test_ui_find_shown (GTK_WIDGET (page), cohort_test_ui_is_type,
                                                             "GtkListBox")) != NULL);
  first_row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_nonnull (first_row);
  g_assert_nonnull (cohort_test_ui_find (first_row, cohort_test_ui_is_label, "Bo"));

  csv = cohort_insights_to_csv (insights);
  g_assert_true (g_str_has_prefix (csv, "student,lessons,minutes,"));
  g_assert_nonnull (strstr (csv, "\r\nBo,1,60.0,"));
  g_assert_true (strstr (csv, "\r\nBo,") < strstr (csv, "\r\nAna,"));

  screenshot (page, "page");

  /* The thresholds and the template, as the class stores them. */
  {
    GtkWidget *menu = cohort_test_ui_find_shown (GTK_WIDGET (page), cohort_test_ui_is_type, "GtkMenuButton");
    GtkPopover *popover;

    g_assert_nonnull (menu);
    popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu));
    gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
    COHORT_TEST_WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (popover)));
    g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (popover), cohort_test_ui_is_entry,
                                           cohort_insights_settings_get_template (cohort_insights_get_settings (insights))));
    screenshot (popover, "settings");
    gtk_menu_button_popdown (GTK_MENU_BUTTON (menu));
  }

  /* Live: during the lesson the page follows what happens, on its own. */
  gtk_widget_activate_action (GTK_WIDGET (window), "class.start-lesson", NULL);
  COHORT_TEST_WAIT_UNTIL (cohort_insights_get_live (insights));
  g_assert_cmpint (messages_of (insights, "Ana"), ==, 3);
  {
    g_autoptr(JsonObject) body = json_object_new ();
    gboolean sent = FALSE;

    json_object_set_string_member (body, "text", "Is it the second law?");
    cohort_session_request_async (ana, "chat.send", body, NULL, sent_cb, &sent);
    COHORT_TEST_WAIT_UNTIL (sent);
  }
  COHORT_TEST_WAIT_UNTIL (messages_of (insights, "Ana") == 4);
  screenshot (page, "live");

  gtk_window_destroy (GTK_WINDOW (page));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  language = cohort_test_ui_use_language ();
  data_home = cohort_test_ui_init (&argc, &argv, "insights-ui");
  server = cohort_test_server_start (NULL);
  g_test_add_func ("/cohort/ui/insights/at-risk-first", test_at_risk_first);
  return cohort_test_ui_run (server, data_home);
}

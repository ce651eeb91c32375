/* test-home-ui.c: the student's home against two real servers and one
 * that is not there
 *
 * A real CohortApplication opens on the home: two kept classes from two
 * servers with their figures, Live now's Join opens the class, a class
 * with no lesson opens on its waiting state with the Groups and Helper
 * pages within reach, an unreachable server shows offline.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-home-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "cohort-ai-protocol.h"
#include "cohort-chat-protocol.h"
#include "cohort-groups-protocol.h"
#include "cohort-lesson-protocol.h"
#include "cohort-schedule-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-notifications.h"
#include "cohort-test-wait.h"
#include "cohort-test-server.h"
#include "cohort-test-ui.h"

#include "cohort-application.h"
#include "cohort-home-private.h"
#include "cohort-home-row.h"
#include "cohort-home-window.h"
#include "cohort-leaderboard-view.h"
#include "cohort-token-store.h"

#define GONE_URL "ws://127.0.0.1:1/ws"

typedef CohortTestClassroom Kept;

static Kept physics, chemistry;

/* A request that must succeed, its reply dropped. */
#define request_ok(c, type, body_json) json_object_unref (cohort_test_client_ok_json ((c), (type), (body_json)))

/* A class on a server of its own, which the student Mei joined on this
 * computer: her token is in the token store, as a join leaves it. */
static void
kept_open (Kept       *k,
           const char *title,
           const char *teacher)
{
  g_autoptr(GError) error = NULL;

  cohort_test_classroom_open (k, title, teacher, "Mei");
  g_assert_true (cohort_token_store_save (cohort_test_server_get_url (k->server), k->code, FALSE,
                                          k->token, NULL, "Mei", &error));
  g_assert_no_error (error);
}

#define kept_close cohort_test_classroom_close

#define new_application cohort_test_ui_new_application
#define close_all cohort_test_ui_close_app_windows
#define app_window_of_type cohort_test_ui_app_window

static gboolean
home_settled (gpointer data)
{
  CohortHomeWindow *home = data;

  return !cohort_home_model_get_loading (cohort_home_window_get_model (home)) &&
         g_strcmp0 (cohort_home_window_get_page (home), "list") == 0;
}

static gboolean
class_window_joined (gpointer data)
{
  CohortClassWindow *window = COHORT_CLASS_WINDOW (app_window_of_type (data, COHORT_TYPE_CLASS_WINDOW));

  return window != NULL &&
         cohort_session_get_state (cohort_class_window_get_session (window)) == COHORT_SESSION_STATE_JOINED;
}

static CohortHomeRow *
row_of (CohortHomeWindow *home,
        const char       *code)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (cohort_home_window_get_list (home)));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    if (COHORT_IS_HOME_ROW (row) &&
        g_strcmp0 (cohort_home_entry_get_code (cohort_home_row_get_entry (COHORT_HOME_ROW (row))), code) == 0)
      return COHORT_HOME_ROW (row);
  g_assert_not_reached ();
}

static gboolean
chat_seen (gpointer data)
{
  CohortHomeEntry *entry = data;

  return cohort_home_entry_get_since_chat (entry) > 0 &&
         cohort_home_entry_get_since_chat (entry) == cohort_home_entry_get_last_chat_id (entry);
}

/* The student's own row of the week's board holds the check-in's points. */
static gboolean
own_points_shown (gpointer data)
{
  CohortBoardRow *you = cohort_leaderboard_get_you (data);

  return you != NULL && cohort_board_row_get_points (you) == 10;
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("“%s” does not say “%s”", text, part);
}

/* Nothing kept yet: the join form opens directly, no home. */
static void
test_empty_opens_join (void)
{
  g_autoptr(CohortApplication) app = new_application ("org.cohortclass.Cohort.TestHomeEmpty");
  GtkWindow *window = cohort_application_show_home (app);

  g_assert_true (COHORT_IS_START_WINDOW (window));
  g_assert_null (app_window_of_type (GTK_APPLICATION (app), COHORT_TYPE_HOME_WINDOW));
  close_all (GTK_APPLICATION (app));
}

static gboolean
all_offline_shown (gpointer data)
{
  return g_strcmp0 (cohort_home_window_get_page (data), "offline") == 0;
}

/* The only kept class is on a server that is not there: the whole window
 * says so, with a way to try again. */
static void
test_all_offline (void)
{
  g_autoptr(CohortApplication) app = new_application ("org.cohortclass.Cohort.TestHomeOffline");
  g_autoptr(GError) error = NULL;
  const char *prefix = g_getenv ("COHORT_TEST_SHOT_PREFIX");
  g_autofree char *shot = g_strdup_printf ("%s-offline-360.png", prefix != NULL ? prefix : "home");
  GtkWindow *home;

  g_assert_true (cohort_token_store_save (GONE_URL, "GONE2345", FALSE,
                                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, "Mei", &error));
  home = cohort_application_show_home (app);
  g_assert_true (COHORT_IS_HOME_WINDOW (home));
  g_assert_true (cohort_test_ui_wait_for (all_offline_shown, home, 20000));
  gtk_window_set_default_size (home, 360, 640);
  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (home), shot);
  close_all (GTK_APPLICATION (app));
}

static int wanted_width;

static gboolean
width_reached (gpointer data)
{
  return gtk_widget_get_width (data) > 0 && gtk_widget_get_width (data) <= wanted_width;
}

static void
save_shots (CohortHomeWindow *home,
            const char       *prefix)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  const struct { int width, height; const char *size; } sizes[] = {
    { 360, 720, "360" }, { 1280, 800, "1280x800" },
  };

  for (guint dark = 0; dark < 2; dark++)
    {
      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
        {
          g_autofree char *name = g_strdup_printf ("%s-%s-%s.png", prefix, dark ? "dark" : "light",
                                                   sizes[i].size);

          /* Everything fits: nothing keeps the window wider. A size asked
           * for while the first configure of the window was on its way
           * can be lost under Xvfb (and asking for the same size again
           * does nothing), so each try asks for a size a pixel apart. */
          wanted_width = sizes[i].width;
          for (guint attempt = 0; attempt < 4; attempt++)
            {
              gtk_window_set_default_size (GTK_WINDOW (home), sizes[i].width - (int) (attempt % 2), sizes[i].height);
              if (cohort_test_ui_wait_for (width_reached, home, 2000))
                break;
            }
          if (!width_reached (home))
            {
              int min = 0, nat = 0;

              gtk_widget_measure (GTK_WIDGET (home), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
              g_error ("The home is %d px wide, not %d (its minimum %d)", gtk_widget_get_width (GTK_WIDGET (home)),
                       wanted_width, min);
            }
          cohort_test_ui_settle (300);
          cohort_test_ui_save_screenshot (GTK_WIDGET (home), name);
        }
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* An Etc zone where it is about 13:00 now: the helper's quiet hours
 * (21:00–08:00) never hold, whenever the test runs. */
static char *
daytime_zone (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  int offset = 13 - g_date_time_get_hour (now);

  offset = offset > 14 ? offset - 24 : offset < -12 ? offset + 24 : offset;
  return offset == 0 ? g_strdup ("Etc/GMT") : g_strdup_printf ("Etc/GMT%c%d", offset > 0 ? '-' : '+', ABS (offset));
}

/* Mei opted in to the helper's nudges and has a lesson tomorrow: the
 * home shows the helper's nudge about it (docs/protocol-home.md). */
static void
nudge_about_tomorrow (Kept       *k,
                      const char *title)
{
  g_autofree char *zone = daytime_zone ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *prefs = g_strdup_printf ("{\"enabled\": true, \"tz\": \"%s\"}", zone);
  g_autofree char *lesson = g_strdup_printf ("{\"title\": \"%s\", \"start\": \"%04d-%02d-%02dT10:00\", "
                                             "\"zone\": \"%s\", \"duration\": 45, \"recurrence\": \"none\"}",
                                             title, g_date_time_get_year (tomorrow),
                                             g_date_time_get_month (tomorrow),
                                             g_date_time_get_day_of_month (tomorrow), zone);

  request_ok (k->teacher, COHORT_REQ_SCHEDULE_CREATE, lesson);
  request_ok (k->student, COHORT_REQ_AI_NUDGES_SET, prefs);
}

/* Whether the helper's nudge of the class @code went out as a
 * notification whose body names @data. */
static gboolean
nudge_notified (CohortTestNotifications *s,
                const char              *part)
{
  for (guint i = 0; i < s->sent->len; i++)
    {
      const char *id = NULL;
      g_autoptr(GVariant) hints = NULL;
      const char *body = NULL;

      g_variant_get (g_ptr_array_index (s->sent, i), "(&s&s@a{sv})", NULL, &id, &hints);
      if (g_str_has_prefix (id, "ai-nudge-") && g_variant_lookup (hints, "body", "&s", &body) &&
          strstr (body, part) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_home (void)
{
  g_autoptr(CohortApplication) app = new_application ("org.cohortclass.Cohort.TestHome");
  g_autoptr(GError) error = NULL;
  const char *lang = g_getenv ("COHORT_TEST_SHOT_PREFIX");
  CohortHomeWindow *home;
  CohortHomeRow *row_physics, *row_chemistry, *row_gone;
  CohortClassWindow *window;
  CohortTestNotifications notifications = { 0 };

  cohort_test_notifications_start (&notifications);

  kept_open (&physics, "Physics", "Ms Li");
  kept_open (&chemistry, "Chemistry", "Mr Wang");

  /* Physics is live; in Chemistry Mei checked in and the teacher wrote. */
  request_ok (physics.teacher, COHORT_REQ_LESSON_START, "{}");
  request_ok (chemistry.student, COHORT_REQ_GROUPS_CHECK_IN, "{\"note\":\"Titration\",\"tz\":\"Asia/Shanghai\"}");
  request_ok (chemistry.teacher, COHORT_REQ_CHAT_SEND, "{\"text\":\"Bring your lab coat\"}");
  nudge_about_tomorrow (&chemistry, "Titration lab");
  /* A class on a server that is not there. */
  g_assert_true (cohort_token_store_save (GONE_URL, "GONE2345", FALSE,
                                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, "Mei", &error));

  home = COHORT_HOME_WINDOW (cohort_application_show_home (app));
  g_assert_true (COHORT_IS_HOME_WINDOW (home));
  g_assert_true (cohort_test_ui_wait_for (home_settled, home, 20000));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cohort_home_window_get_model (home))), ==, 3);

  row_physics = row_of (home, physics.code);
  row_chemistry = row_of (home, chemistry.code);
  row_gone = row_of (home, "GONE2345");

  g_assert_cmpstr (cohort_home_entry_get_title (cohort_home_row_get_entry (row_physics)), ==, "Physics");
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (cohort_home_row_get_join_button (row_physics))));
  assert_contains (cohort_home_row_get_status (row_physics), "Ms Li");
  assert_contains (cohort_home_row_get_figures (row_physics), _("Not checked in today"));

  g_assert_cmpstr (cohort_home_entry_get_title (cohort_home_row_get_entry (row_chemistry)), ==, "Chemistry");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cohort_home_row_get_join_button (row_chemistry))));
  assert_contains (cohort_home_row_get_status (row_chemistry), "Mr Wang");
  {
    /* In the catalogue's words, so that the test runs in any language. */
    g_autofree char *streak = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d-day streak", "%d-day streak", 1), 1);
    g_autofree char *points = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d point this week",
                                                            "%d points this week", 10), 10);

    assert_contains (cohort_home_row_get_figures (row_chemistry), streak);
    assert_contains (cohort_home_row_get_figures (row_chemistry), _("Checked in today"));
    assert_contains (cohort_home_row_get_figures (row_chemistry), points);
  }
  g_assert_cmpint (cohort_home_entry_get_unread_teacher (cohort_home_row_get_entry (row_chemistry)), ==, 1);
  /* The helper's nudge, between lessons, on the class's row; none on Physics. */
  g_assert_nonnull (cohort_home_row_get_nudge (row_chemistry));
  assert_contains (cohort_home_row_get_nudge (row_chemistry), "“Titration lab”");
  g_assert_cmpint (cohort_home_entry_get_nudge_id (cohort_home_row_get_entry (row_chemistry)), >, 0);
  g_assert_null (cohort_home_row_get_nudge (row_physics));
  /* and a notification, whether a window is open or not */
  COHORT_TEST_WAIT_UNTIL (nudge_notified (&notifications, "“Titration lab”"));

  g_assert_cmpint (cohort_home_entry_get_status (cohort_home_row_get_entry (row_gone)), ==,
                   COHORT_HOME_STATUS_OFFLINE);
  assert_contains (cohort_home_row_get_status (row_gone), _("Offline: the class server cannot be reached"));

  save_shots (home, lang != NULL ? lang : "home");

  /* Live now: one click on Join opens the class, in the lesson. */
  gtk_widget_activate (GTK_WIDGET (cohort_home_row_get_join_button (row_physics)));
  g_assert_true (cohort_test_ui_wait_for (class_window_joined, app, 15000));
  window = COHORT_CLASS_WINDOW (app_window_of_type (GTK_APPLICATION (app), COHORT_TYPE_CLASS_WINDOW));
  g_assert_cmpstr (cohort_session_get_class_title (cohort_class_window_get_session (window)), ==, "Physics");
  g_assert_cmpint (cohort_lesson_get_state (cohort_session_get_lesson (cohort_class_window_get_session (window))),
                   ==, COHORT_LESSON_STATE_LIVE);
  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);

  /* No lesson on: the class still opens, and its Groups and Helper pages
   * are there. */
  gtk_widget_activate (GTK_WIDGET (row_chemistry));
  g_assert_true (cohort_test_ui_wait_for (class_window_joined, app, 15000));
  window = COHORT_CLASS_WINDOW (app_window_of_type (GTK_APPLICATION (app), COHORT_TYPE_CLASS_WINDOW));
  g_assert_cmpint (cohort_lesson_get_state (cohort_session_get_lesson (cohort_class_window_get_session (window))),
                   ==, COHORT_LESSON_STATE_NOT_STARTED);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  for (guint i = 0; i < 3; i++)
    {
      const char *place = (const char *[]) { "groups", "helper", "chat" }[i];
      GtkWidget *page;
      g_autofree char *shot = g_strdup_printf ("%s-between-lessons-%s.png", lang != NULL ? lang : "home", place);

      cohort_test_ui_show_side_page (window, place);
      cohort_test_ui_settle (400);
      page = cohort_test_ui_side_page (window, place, GTK_TYPE_WIDGET);
      g_assert_true (gtk_widget_get_mapped (page));
      g_assert_true (gtk_widget_is_sensitive (page));
      if (i == 0)
        {
          GtkWidget *view = cohort_test_ui_find (page, cohort_test_ui_is_type, "CohortLeaderboardView");

          g_assert_nonnull (view);
          g_assert_true (cohort_test_ui_wait_for (own_points_shown,
                                                  cohort_leaderboard_view_get_leaderboard (COHORT_LEADERBOARD_VIEW (view)),
                                                  10000));
          cohort_test_ui_settle (200);
        }
      cohort_test_ui_save_screenshot (GTK_WIDGET (window), shot);
    }
  {
    g_autofree char *shot = g_strdup_printf ("%s-between-lessons-360.png", lang != NULL ? lang : "home");

    /* At a phone's width the panel lies over the waiting state. */
    cohort_test_ui_show_side_page (window, "groups");
    cohort_test_ui_save_phone_width (window, 720, shot);
    g_assert_true (gtk_widget_get_mapped (cohort_test_ui_side_page (window, "groups", GTK_TYPE_WIDGET)));
    cohort_test_ui_show_side_page (window, "chat");
  }

  /* The chat was in view: the home counts nothing of it as unread, now
   * and the next time the app starts (the token store keeps it). */
  g_assert_true (cohort_test_ui_wait_for (chat_seen, cohort_home_row_get_entry (row_chemistry), 5000));
  g_assert_cmpint (cohort_home_entry_get_unread_teacher (cohort_home_row_get_entry (row_chemistry)), ==, 0);
  {
    g_autoptr(CohortStoredToken) stored = cohort_token_store_lookup (cohort_test_server_get_url (chemistry.server),
                                                                     chemistry.code, FALSE);

    g_assert_cmpint (stored->seen_chat, ==,
                     cohort_home_entry_get_last_chat_id (cohort_home_row_get_entry (row_chemistry)));
  }
  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);

  close_all (GTK_APPLICATION (app));
  kept_close (&physics);
  kept_close (&chemistry);
  cohort_test_notifications_stop (&notifications);
}

/* The schedule's next lesson (next_lesson, docs/protocol-home.md): a
 * countdown within the hour, a date further off; one without its id or
 * title is none. */
static void
test_countdown (void)
{
  g_autoptr(CohortHomeEntry) entry = cohort_home_entry_new ("ws://127.0.0.1:9/ws", "K7QM2XPA",
                                                            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *soon = g_strdup_printf ("{\"class\":{\"title\":\"Physics\"},\"teacher\":{\"name\":\"Ms Li\"},"
                                           "\"lesson\":{\"state\":\"ended\"},"
                                           "\"next_lesson\":{\"lesson_id\":4,\"title\":\"Optics\",\"starts_at\":%" G_GINT64_FORMAT "}}",
                                           now + 12 * 60 * 1000 - 30 * 1000);
  g_autofree char *later = g_strdup_printf ("{\"class\":{\"title\":\"Physics\"},"
                                            "\"next_lesson\":{\"lesson_id\":4,\"title\":\"Optics\",\"starts_at\":%" G_GINT64_FORMAT "}}",
                                            now + 3 * 24 * 3600 * 1000);
  g_autofree char *in_12 = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Next lesson in %u minute",
                                                         "Next lesson in %u minutes", 12), 12);
  g_autoptr(JsonNode) node = json_from_string (soon, NULL);
  CohortHomeRow *row;

  g_assert_true (_cohort_home_entry_apply (entry, json_node_get_object (node)));
  row = g_object_ref_sink (cohort_home_row_new (entry));
  assert_contains (cohort_home_row_get_status (row), in_12);
  assert_contains (cohort_home_row_get_status (row), "Ms Li");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cohort_home_row_get_join_button (row))));

  g_clear_pointer (&node, json_node_unref);
  node = json_from_string (later, NULL);
  g_assert_true (_cohort_home_entry_apply (entry, json_node_get_object (node)));
  g_assert_null (strstr (cohort_home_row_get_status (row), in_12));
  {
    g_autoptr(GDateTime) at = g_date_time_new_from_unix_local ((now + 3 * 24 * 3600 * 1000) / 1000);
    g_autofree char *when = g_date_time_format (at, _("%a %e %b, %H:%M"));

    assert_contains (cohort_home_row_get_status (row), when);
  }
  g_assert_cmpint (cohort_home_entry_get_next_lesson_id (entry), ==, 4);
  g_assert_cmpstr (cohort_home_entry_get_next_lesson_title (entry), ==, "Optics");

  /* Not a lesson: no id. */
  g_clear_pointer (&node, json_node_unref);
  node = json_from_string ("{\"class\":{\"title\":\"Physics\"},\"next_lesson\":{\"starts_at\":99}}", NULL);
  g_assert_true (_cohort_home_entry_apply (entry, json_node_get_object (node)));
  g_assert_cmpint (cohort_home_entry_get_next_lesson_at (entry), ==, 0);
  g_assert_null (cohort_home_entry_get_next_lesson_title (entry));
  g_object_unref (row);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  const char *lang = g_getenv ("COHORT_TEST_LANG");

  /* Screenshots in another language: COHORT_TEST_LANG=zh_CN with
   * COHORT_LOCALEDIR holding its catalogue. */
  if (lang != NULL)
    {
      g_autofree char *locale = g_strconcat (lang, ".UTF-8", NULL);

      g_setenv ("LANGUAGE", lang, TRUE);
      setlocale (LC_ALL, locale);
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("COHORT_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }

  data_home = cohort_test_ui_init (&argc, &argv, "home-test");

  g_test_add_func ("/cohort/ui/home/empty-opens-join", test_empty_opens_join);
  g_test_add_func ("/cohort/ui/home/countdown", test_countdown);
  g_test_add_func ("/cohort/ui/home/all-offline", test_all_offline);
  g_test_add_func ("/cohort/ui/home/two-servers", test_home);

  return cohort_test_ui_run (NULL, data_home);
}

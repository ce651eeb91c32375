/* test-insights-model.c: CohortInsights on CohortSession against a real
 * server: the settings as a typed object, and a live refresh merged from
 * a delta of the changed rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-chat-protocol.h"
#include "cohort-insights.h"
#include "cohort-insights-protocol.h"
#include "cohort-lesson-protocol.h"
#include "cohort-participant.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

static CohortInsightsRow *
row_named (CohortInsights *insights,
           const char     *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (insights)); i++)
    {
      g_autoptr(CohortInsightsRow) row = g_list_model_get_item (G_LIST_MODEL (insights), i);

      if (g_str_equal (cohort_insights_row_get_name (row), name))
        return row;
    }
  return NULL;
}

static void
count_changes (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               guint      *n_rows_changed)
{
  *n_rows_changed += added;
}

static void
request_ok (CohortSession *session,
            const char    *type,
            JsonObject    *body)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = cohort_test_session_request (session, type, body, &error);

  g_assert_no_error (error);
}

/* The thresholds and template arrive typed; a change is sent from a
 * typed copy and comes back into the same object. */
static void
test_settings (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortInsights) insights = cohort_insights_new (teacher);
  g_autoptr(CohortInsightsSettings) changes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CohortInsightsSettings *settings;

  COHORT_TEST_WAIT_UNTIL (cohort_insights_get_settings (insights) != NULL);
  settings = cohort_insights_get_settings (insights);
  g_assert_cmpuint (cohort_insights_settings_get_absent_lessons (settings), ==, COHORT_INSIGHTS_ABSENT_DEFAULT);
  g_assert_cmpuint (cohort_insights_settings_get_streak_days (settings), ==, COHORT_INSIGHTS_STREAK_DEFAULT);
  g_assert_nonnull (strstr (cohort_insights_settings_get_template (settings), "{name}"));

  changes = cohort_insights_settings_copy (settings);
  cohort_insights_settings_set_absent_lessons (changes, 4);
  cohort_insights_settings_set_silent_lessons (changes, 6);
  /* Out of range: kept as it was. */
  cohort_insights_settings_set_accuracy_drop (changes, 1000);
  cohort_insights_settings_set_template (changes, "Hello {name}, see you Monday?");
  cohort_insights_set_settings_async (insights, changes, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_insights_set_settings_finish (insights, result, &error));
  g_assert_no_error (error);

  COHORT_TEST_WAIT_UNTIL (cohort_insights_settings_get_absent_lessons (settings) == 4);
  g_assert_true (cohort_insights_get_settings (insights) == settings);
  g_assert_cmpuint (cohort_insights_settings_get_silent_lessons (settings), ==, 6);
  g_assert_cmpuint (cohort_insights_settings_get_accuracy_drop (settings), ==, COHORT_INSIGHTS_DROP_DEFAULT);
  g_assert_cmpstr (cohort_insights_settings_get_template (settings), ==, "Hello {name}, see you Monday?");
}

/* During a lesson a student's message reaches the model as a delta: their
 * row is replaced in place, the others are the same objects. */
static void
test_live_delta (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortSession) ana = cohort_test_session_join (url, teacher, "Ana");
  g_autoptr(CohortSession) bo = cohort_test_session_join (url, teacher, "Bo");
  g_autoptr(CohortInsights) insights = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortInsightsRow) bo_before = NULL;
  guint n_rows_changed = 0;

  /* Bo stays present and silent: his open stretch counts whole minutes,
   * one (rounded up) for the first minute of the lesson, so his row does
   * not change. */
  request_ok (teacher, COHORT_REQ_LESSON_START, NULL);
  insights = cohort_insights_new (teacher);
  COHORT_TEST_WAIT_UNTIL (cohort_insights_get_live (insights) &&
                          g_list_model_get_n_items (G_LIST_MODEL (insights)) == 2 &&
                          !cohort_insights_get_loading (insights));
  bo_before = g_object_ref (row_named (insights, "Bo"));
  g_signal_connect (insights, "items-changed", G_CALLBACK (count_changes), &n_rows_changed);

  json_object_set_string_member (body, "text", "Is it the second law?");
  request_ok (ana, COHORT_REQ_CHAT_SEND, body);
  COHORT_TEST_WAIT_UNTIL (cohort_insights_row_get_figure (row_named (insights, "Ana"), "messages") == 1);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (insights)), ==, 2);
  g_assert_true (row_named (insights, "Bo") == bo_before);
  g_assert_cmpuint (n_rows_changed, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cohort/insights-model/settings", test_settings);
  g_test_add_func ("/cohort/insights-model/live-delta", test_live_delta);
  return g_test_run ();
}

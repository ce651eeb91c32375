/* test-schedule-session.c: CohortSchedule against a real cohort-server
 *
 * The teacher's edits reach every student's model as schedule.changed,
 * a late joiner's model fills from the welcome, and the calendar URL
 * fetches the feed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "cohort-lesson.h"
#include "cohort-protocol.h"
#include "cohort-schedule-protocol.h"
#include "cohort-schedule-rule.h"
#include "cohort-schedule.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

typedef struct
{
  char   *change;
  char   *title;
  gint64  start_at;
  guint   n;
} Heard;

static void
on_changed (CohortSchedule *schedule,
            const char     *change,
            const char     *title,
            gint64          start_at,
            Heard          *heard)
{
  g_free (heard->change);
  g_free (heard->title);
  heard->change = g_strdup (change);
  heard->title = g_strdup (title);
  heard->start_at = start_at;
  heard->n++;
}

static void
heard_clear (Heard *heard)
{
  g_clear_pointer (&heard->change, g_free);
  g_clear_pointer (&heard->title, g_free);
}

/* "YYYY-MM-DDTHH:MM" @days from now in New York. */
static char *
new_york_start (int   days,
                guint hour)
{
  g_autoptr(GTimeZone) zone = cohort_schedule_zone_new ("America/New_York");
  g_autoptr(GDateTime) now = g_date_time_new_now (zone);
  g_autoptr(GDateTime) then = g_date_time_add_days (now, days);

  return cohort_schedule_local_format (g_date_time_get_year (then) * 10000 + g_date_time_get_month (then) * 100 +
                                       g_date_time_get_day_of_month (then), hour, 0);
}

static gboolean
finish (CohortSchedule *schedule,
        GAsyncResult  **result,
        GError        **error)
{
  COHORT_TEST_WAIT_UNTIL (*result != NULL);
  return cohort_schedule_change_finish (schedule, *result, error);
}

static void
test_teacher_change_reaches_student (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortSession) student = cohort_test_session_join (url, teacher, "Wan");
  g_autoptr(CohortSession) late = NULL;
  CohortSchedule *mine = cohort_session_get_schedule (teacher);
  CohortSchedule *theirs = cohort_session_get_schedule (student);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *start = new_york_start (2, 9);
  g_autoptr(CohortScheduleOccurrence) first = NULL;
  g_autoptr(CohortScheduleOccurrence) second = NULL;
  CohortScheduleLessonSpec spec = {
    .title = "Waves", .start = start, .zone = "America/New_York", .duration = 45, .weekly = TRUE, .count = 3,
  };
  Heard heard = { 0 };
  gint64 lesson_id;
  g_autofree char *second_date = NULL;

  g_signal_connect (theirs, "changed", G_CALLBACK (on_changed), &heard);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (theirs)), ==, 0);
  g_assert_null (cohort_schedule_get_next (theirs));

  /* A student cannot plan. */
  cohort_schedule_create_async (theirs, &spec, NULL, cohort_test_on_result, &result);
  g_assert_false (finish (theirs, &result, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_clear_object (&result);

  /* A bad zone is refused with a sentence. */
  spec.zone = "Mars/Base";
  cohort_schedule_create_async (mine, &spec, NULL, cohort_test_on_result, &result);
  g_assert_false (finish (mine, &result, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);
  spec.zone = "America/New_York";

  cohort_schedule_create_async (mine, &spec, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (mine, &result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  COHORT_TEST_WAIT_UNTIL (heard.n == 1);
  g_assert_cmpstr (heard.change, ==, COHORT_SCHEDULE_STR_CREATED);
  g_assert_cmpstr (heard.title, ==, "Waves");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (theirs)), ==, 3);
  first = g_list_model_get_item (G_LIST_MODEL (theirs), 0);
  second = g_list_model_get_item (G_LIST_MODEL (theirs), 1);
  g_assert_true (cohort_schedule_get_next (theirs) == first);
  g_assert_cmpint (heard.start_at, ==, cohort_schedule_occurrence_get_start_at (first));
  g_assert_cmpuint (cohort_schedule_occurrence_get_duration (first), ==, 45);
  g_assert_true (cohort_schedule_occurrence_get_weekly (first));
  g_assert_cmpstr (cohort_schedule_occurrence_get_series_start (first), ==, start);
  g_assert_cmpint (cohort_schedule_occurrence_get_end_at (first) - cohort_schedule_occurrence_get_start_at (first),
                   ==, 45 * 60 * 1000);
  /* A week apart in New York: 7 days in UTC, or 7 days ± the DST hour. */
  g_assert_cmpint (ABS (cohort_schedule_occurrence_get_start_at (second) -
                        cohort_schedule_occurrence_get_start_at (first) - (gint64) 7 * 24 * 3600 * 1000), <=,
                   3600 * 1000);
  lesson_id = cohort_schedule_occurrence_get_lesson_id (first);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (mine)) == 3);

  /* The teacher cancels the second lesson: the student hears when it was. */
  second_date = g_strdup (cohort_schedule_occurrence_get_date (second));
  cohort_schedule_cancel_async (mine, lesson_id, second_date, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (mine, &result, &error));
  g_clear_object (&result);
  COHORT_TEST_WAIT_UNTIL (heard.n == 2);
  g_assert_cmpstr (heard.change, ==, COHORT_SCHEDULE_STR_CANCELLED);
  g_assert_cmpint (heard.start_at, ==, cohort_schedule_occurrence_get_start_at (second));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (theirs)), ==, 2);

  /* Moved an hour later. */
  g_free (start);
  start = new_york_start (2, 10);
  spec.start = start;
  spec.title = "Waves, moved";
  cohort_schedule_update_async (mine, lesson_id, &spec, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (mine, &result, &error));
  g_clear_object (&result);
  COHORT_TEST_WAIT_UNTIL (heard.n == 3);
  g_assert_cmpstr (heard.change, ==, COHORT_SCHEDULE_STR_UPDATED);
  g_assert_cmpstr (heard.title, ==, "Waves, moved");
  g_assert_cmpint (heard.start_at, ==, cohort_schedule_occurrence_get_start_at (first) + 3600 * 1000);
  g_assert_cmpint (cohort_schedule_occurrence_get_start_at (cohort_schedule_get_next (theirs)), ==,
                   heard.start_at);

  /* A student who joins now gets it in the welcome. */
  late = cohort_test_session_join (url, teacher, "Eve");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cohort_session_get_schedule (late))), ==, 2);

  /* The whole series: everyone's list empties. */
  cohort_schedule_cancel_async (mine, lesson_id, NULL, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (mine, &result, &error));
  g_clear_object (&result);
  COHORT_TEST_WAIT_UNTIL (heard.n == 4);
  g_assert_cmpint (heard.start_at, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (theirs)), ==, 0);
  g_assert_null (cohort_schedule_get_next (theirs));
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (cohort_session_get_schedule (late))) == 0);

  heard_clear (&heard);
}

/* The calendar URL the model builds fetches the feed. */
static void
test_calendar_url (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortSession) student = cohort_test_session_join (url, teacher, "Wan");
  CohortSchedule *schedule = cohort_session_get_schedule (student);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *calendar = NULL;
  g_autofree char *start = new_york_start (1, 9);
  CohortScheduleLessonSpec spec = {
    .title = "Waves", .start = start, .zone = "America/New_York", .duration = 60,
  };
  g_autoptr(SoupSession) http = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *prefix = g_strdup_printf ("http://127.0.0.1:%u/classes/", cohort_test_server_get_port (server));

  cohort_schedule_create_async (cohort_session_get_schedule (teacher), &spec, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (cohort_session_get_schedule (teacher), &result, &error));
  g_clear_object (&result);

  cohort_schedule_calendar_url_async (schedule, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  calendar = cohort_schedule_calendar_url_finish (schedule, result, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (calendar, prefix));

  msg = soup_message_new (SOUP_METHOD_GET, calendar);
  bytes = soup_session_send_and_read (http, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "SUMMARY:Waves\r\n"));
}

/* The summary at a lesson's end names the next planned lesson. */
static void
test_summary_next (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortSession) student = cohort_test_session_join (url, teacher, "Wan");
  CohortLesson *lesson = cohort_session_get_lesson (student);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortLessonSummary) summary = NULL;
  g_autofree char *start = new_york_start (3, 9);
  CohortScheduleLessonSpec spec = {
    .title = "Waves", .start = start, .zone = "America/New_York", .duration = 60,
  };

  cohort_schedule_create_async (cohort_session_get_schedule (teacher), &spec, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (cohort_session_get_schedule (teacher), &result, &error));
  g_clear_object (&result);
  COHORT_TEST_WAIT_UNTIL (cohort_schedule_get_next (cohort_session_get_schedule (student)) != NULL);

  cohort_lesson_summary_async (lesson, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  summary = cohort_lesson_summary_finish (lesson, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary->next_at, ==,
                   cohort_schedule_occurrence_get_start_at (cohort_schedule_get_next (cohort_session_get_schedule (student))));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/schedule-session/teacher-change-reaches-student", test_teacher_change_reaches_student);
  g_test_add_func ("/cohort/schedule-session/calendar-url", test_calendar_url);
  g_test_add_func ("/cohort/schedule-session/summary-next", test_summary_next);

  return g_test_run ();
}

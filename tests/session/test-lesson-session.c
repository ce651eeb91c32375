/* test-lesson-session.c: CohortLesson against a real cohort-server
 *
 * The lesson's state follows the welcome and lesson.changed on every
 * client; the teacher's requests, the attendance and its CSV, and a
 * student's summary, with no JSON on the caller's side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-lesson.h"
#include "cohort-protocol.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

static CohortLessonState
state_of (CohortSession *session)
{
  return cohort_lesson_get_state (cohort_session_get_lesson (session));
}

static void
change (CohortSession *session,
        gboolean       start)
{
  CohortLesson *lesson = cohort_session_get_lesson (session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (start)
    cohort_lesson_start_async (lesson, NULL, cohort_test_on_result, &result);
  else
    cohort_lesson_end_async (lesson, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_lesson_change_finish (lesson, result, &error));
  g_assert_no_error (error);
  /* The reply is applied at once, before the event. */
  g_assert_cmpint (state_of (session), ==, start ? COHORT_LESSON_STATE_LIVE : COHORT_LESSON_STATE_ENDED);
}

static void
test_states (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortSession) student = cohort_test_session_join (url, teacher, "Wan");
  CohortLesson *lesson = cohort_session_get_lesson (student);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (state_of (teacher), ==, COHORT_LESSON_STATE_NOT_STARTED);
  g_assert_cmpint (state_of (student), ==, COHORT_LESSON_STATE_NOT_STARTED);
  g_assert_cmpint (cohort_lesson_get_number (lesson), ==, 1);

  /* A student's start is refused. */
  cohort_lesson_start_async (lesson, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_false (cohort_lesson_change_finish (lesson, result, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
  g_assert_cmpint (state_of (student), ==, COHORT_LESSON_STATE_NOT_STARTED);

  change (teacher, TRUE);
  COHORT_TEST_WAIT_UNTIL (state_of (student) == COHORT_LESSON_STATE_LIVE);
  g_assert_cmpint (cohort_lesson_get_started_at (lesson), >, 0);
  g_assert_cmpint (cohort_lesson_get_started_at (lesson), ==,
                   cohort_lesson_get_started_at (cohort_session_get_lesson (teacher)));

  /* A drop and a resume keep it. */
  cohort_session_simulate_drop (student);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_state (student) == COHORT_SESSION_STATE_JOINED);
  g_assert_cmpint (state_of (student), ==, COHORT_LESSON_STATE_LIVE);

  change (teacher, FALSE);
  COHORT_TEST_WAIT_UNTIL (state_of (student) == COHORT_LESSON_STATE_ENDED);
  g_assert_cmpint (cohort_lesson_get_ended_at (lesson), >, cohort_lesson_get_started_at (lesson));
  g_assert_cmpint (cohort_lesson_get_next_at (lesson), ==, 0);
}

static void
test_attendance_csv (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortSession) wan = cohort_test_session_join (url, teacher, "Wan, Li");
  g_autoptr(CohortSession) eve = cohort_test_session_join (url, teacher, "=Eve");
  CohortLesson *lesson = cohort_session_get_lesson (teacher);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) started = NULL;
  g_autoptr(GDateTime) ended = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *started_text = NULL;
  g_autofree char *ended_text = NULL;
  CohortAttendanceRow *row;
  char minutes[G_ASCII_DTOSTR_BUF_SIZE];

  change (teacher, TRUE);
  change (teacher, FALSE);

  cohort_lesson_attendance_async (lesson, 0, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  rows = cohort_lesson_attendance_finish (lesson, result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 2);

  /* Both were there from the start to the end. */
  row = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (row->name, ==, "=Eve");
  g_assert_cmpint (row->joined_at, ==, cohort_lesson_get_started_at (lesson));
  g_assert_cmpint (row->left_at, ==, cohort_lesson_get_ended_at (lesson));
  g_assert_cmpint (row->present_ms, ==, row->left_at - row->joined_at);
  g_assert_cmpuint (row->visits, ==, 1);
  g_assert_cmpstr (((CohortAttendanceRow *) g_ptr_array_index (rows, 1))->name, ==, "Wan, Li");

  csv = cohort_attendance_to_csv (rows, utc);
  started = g_date_time_new_from_unix_utc (cohort_lesson_get_started_at (lesson) / 1000);
  ended = g_date_time_new_from_unix_utc (cohort_lesson_get_ended_at (lesson) / 1000);
  started_text = g_date_time_format (started, "%Y-%m-%d %H:%M:%S");
  ended_text = g_date_time_format (ended, "%Y-%m-%d %H:%M:%S");
  g_ascii_formatd (minutes, sizeof minutes, "%.1f", row->present_ms / 60000.0);
  /* A name that would run as a formula is defused; a comma is quoted. */
  expected = g_strdup_printf ("student,joined,left,minutes,visits\r\n"
                              "\"'=Eve\",%s,%s,%s,1\r\n"
                              "\"Wan, Li\",%s,%s,%s,1\r\n",
                              started_text, ended_text, minutes,
                              started_text, ended_text, minutes);
  g_assert_cmpstr (csv, ==, expected);

  /* A student's attendance request is refused. */
  g_clear_object (&result);
  cohort_lesson_attendance_async (cohort_session_get_lesson (wan), 0, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_null (cohort_lesson_attendance_finish (cohort_session_get_lesson (wan), result, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
}

static void
test_summary (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortSession) student = cohort_test_session_join (url, teacher, "Wan");
  CohortLesson *lesson = cohort_session_get_lesson (student);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortLessonSummary) summary = NULL;

  change (teacher, TRUE);
  change (teacher, FALSE);
  COHORT_TEST_WAIT_UNTIL (state_of (student) == COHORT_LESSON_STATE_ENDED);

  cohort_lesson_summary_async (lesson, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  summary = cohort_lesson_summary_finish (lesson, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (summary->duration_ms, ==, cohort_lesson_get_ended_at (lesson) - cohort_lesson_get_started_at (lesson));
  g_assert_cmpuint (summary->quiz_answered, ==, 0);
  g_assert_cmpuint (g_strv_length (summary->badges), ==, 0);
  g_assert_cmpint (summary->next_at, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/lesson/session/states", test_states);
  g_test_add_func ("/cohort/lesson/session/attendance-csv", test_attendance_csv);
  g_test_add_func ("/cohort/lesson/session/summary", test_summary);

  return g_test_run ();
}

/* test-link-quality.c: a student's link report reaches the teacher's roster
 *
 * media.quality against a real cohort-server: the teacher's CohortRoster
 * keeps each student's last report (CohortParticipant:connection-quality),
 * nobody else hears it, a student's second connection can take a report
 * back, a teacher who joins later learns the current state from the
 * welcome, and the report ends when the student leaves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-media-protocol.h"
#include "cohort-protocol.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

static gint64
id_of (CohortSession *session)
{
  return cohort_participant_get_id (cohort_session_get_self (session));
}

/* What @viewer's roster says of @student's link; -1 while it does not
 * know the student yet (their participant.joined is on its way). */
static int
seen (CohortSession *viewer,
      CohortSession *student)
{
  CohortParticipant *p = cohort_roster_lookup (cohort_session_get_roster (viewer), id_of (student));

  return p != NULL ? (int) cohort_participant_get_connection_quality (p) : -1;
}

static gboolean
is_online (CohortSession *viewer,
           gint64         id)
{
  return cohort_participant_get_online (cohort_roster_lookup (cohort_session_get_roster (viewer), id));
}

static void
report (CohortSession *student,
        const char    *level)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (body, "level", level);
  reply = cohort_test_session_request (student, COHORT_REQ_MEDIA_QUALITY, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
}

static void
refused (CohortSession *session,
         const char    *level,
         gint           code)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (body, "level", level);
  reply = cohort_test_session_request (session, COHORT_REQ_MEDIA_QUALITY, body, &error);
  g_assert_null (reply);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, code);
}

static void
leave (CohortSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;

  cohort_session_leave_async (session, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
}

static void
test_teacher_sees (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortSession) ana = cohort_test_session_join (url, teacher, "Ana");
  g_autoptr(CohortSession) bo = cohort_test_session_join (url, teacher, "Bo");
  g_autoptr(CohortSession) teacher_again = NULL;
  g_autoptr(CohortSession) ana_again = NULL;
  gint64 ana_id = id_of (ana);

  COHORT_TEST_WAIT_UNTIL (seen (teacher, bo) == COHORT_CONNECTION_QUALITY_GOOD &&
                          seen (teacher, ana) == COHORT_CONNECTION_QUALITY_GOOD);

  /* Bad input is refused, and changes nothing. */
  refused (ana, "awful", COHORT_ERROR_INVALID);
  refused (teacher, COHORT_MEDIA_QUALITY_POOR, COHORT_ERROR_FORBIDDEN);

  /* Each change reaches the teacher's roster. */
  report (ana, COHORT_MEDIA_QUALITY_POOR);
  COHORT_TEST_WAIT_UNTIL (seen (teacher, ana) == COHORT_CONNECTION_QUALITY_POOR);
  report (ana, COHORT_MEDIA_QUALITY_FAIR);
  COHORT_TEST_WAIT_UNTIL (seen (teacher, ana) == COHORT_CONNECTION_QUALITY_FAIR);
  report (ana, COHORT_MEDIA_QUALITY_GOOD);
  COHORT_TEST_WAIT_UNTIL (seen (teacher, ana) == COHORT_CONNECTION_QUALITY_GOOD);
  report (ana, COHORT_MEDIA_QUALITY_POOR);
  COHORT_TEST_WAIT_UNTIL (seen (teacher, ana) == COHORT_CONNECTION_QUALITY_POOR);

  /* Only the teacher: Bo's hand, raised after Ana's report, reaches Bo;
   * the report never did. Nor did Ana hear her own. */
  {
    g_autoptr(JsonObject) reply = NULL;
    g_autoptr(JsonObject) body = json_object_new ();
    g_autoptr(GError) error = NULL;

    reply = cohort_test_session_request (bo, "hand.raise", body, &error);
    g_assert_no_error (error);
    COHORT_TEST_WAIT_UNTIL (cohort_participant_get_hand_raised (cohort_roster_lookup (cohort_session_get_roster (ana), id_of (bo))) &&
                            cohort_participant_get_hand_raised (cohort_session_get_self (bo)));
    g_assert_cmpint (seen (bo, ana), ==, COHORT_CONNECTION_QUALITY_GOOD);
    g_assert_cmpint (seen (ana, ana), ==, COHORT_CONNECTION_QUALITY_GOOD);
  }

  /* A teacher who comes in now (another device) learns it from the
   * welcome, not from a change. */
  teacher_again = cohort_test_session_reopen (cohort_test_server_get_url (server), teacher);
  g_assert_cmpint (seen (teacher_again, ana), ==, COHORT_CONNECTION_QUALITY_POOR);
  g_assert_cmpint (seen (teacher_again, bo), ==, COHORT_CONNECTION_QUALITY_GOOD);

  /* Ana's second connection (she reconnected before the server noticed
   * the first was gone) says her link is good again: that is news, even
   * as that connection's first report. */
  ana_again = cohort_test_session_reopen (cohort_test_server_get_url (server), ana);
  report (ana_again, COHORT_MEDIA_QUALITY_GOOD);
  COHORT_TEST_WAIT_UNTIL (seen (teacher, ana) == COHORT_CONNECTION_QUALITY_GOOD);
  report (ana_again, COHORT_MEDIA_QUALITY_POOR);
  COHORT_TEST_WAIT_UNTIL (seen (teacher, ana) == COHORT_CONNECTION_QUALITY_POOR &&
                          seen (teacher_again, ana) == COHORT_CONNECTION_QUALITY_POOR);

  /* That connection goes, and with it what it reported: the first one had
   * last said "poor" too, so that stands. */
  leave (ana_again);
  report (ana, COHORT_MEDIA_QUALITY_FAIR);
  COHORT_TEST_WAIT_UNTIL (seen (teacher, ana) == COHORT_CONNECTION_QUALITY_FAIR);

  /* Ana leaves: the marker clears, for both of the teacher's windows. */
  leave (ana);
  COHORT_TEST_WAIT_UNTIL (!is_online (teacher, ana_id) &&
                          cohort_participant_get_connection_quality (
                            cohort_roster_lookup (cohort_session_get_roster (teacher), ana_id)) ==
                          COHORT_CONNECTION_QUALITY_GOOD);
  COHORT_TEST_WAIT_UNTIL (!is_online (teacher_again, ana_id));
  g_assert_cmpint (cohort_participant_get_connection_quality (
                     cohort_roster_lookup (cohort_session_get_roster (teacher_again), ana_id)),
                   ==, COHORT_CONNECTION_QUALITY_GOOD);
}

/* A student whose connection drops while their link is weak: the server
 * forgets that connection's report, and the teacher with it; once back,
 * the student's report counts again. */
static void
test_drop_and_back (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Physics", "Ms Li");
  g_autoptr(CohortSession) ana = cohort_test_session_join (url, teacher, "Ana");

  COHORT_TEST_WAIT_UNTIL (seen (teacher, ana) == COHORT_CONNECTION_QUALITY_GOOD);
  report (ana, COHORT_MEDIA_QUALITY_POOR);
  COHORT_TEST_WAIT_UNTIL (seen (teacher, ana) == COHORT_CONNECTION_QUALITY_POOR);

  cohort_session_simulate_drop (ana);
  COHORT_TEST_WAIT_UNTIL (seen (teacher, ana) == COHORT_CONNECTION_QUALITY_GOOD);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_state (ana) == COHORT_SESSION_STATE_JOINED &&
                          is_online (teacher, id_of (ana)));

  report (ana, COHORT_MEDIA_QUALITY_POOR);
  COHORT_TEST_WAIT_UNTIL (seen (teacher, ana) == COHORT_CONNECTION_QUALITY_POOR);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/link-quality/teacher-sees", test_teacher_sees);
  g_test_add_func ("/session/link-quality/drop-and-back", test_drop_and_back);

  return g_test_run ();
}

/* test-session.c: CohortSession against a real cohort-server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-protocol.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

typedef CohortTestServerFixture Fixture;

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_pointer (&f->server, cohort_test_server_free);
  /* Let closed sockets and finished tasks go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static CohortSession *
create_class (Fixture *f)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host_port = NULL;
  const char *url = cohort_test_server_get_url (f->server);

  /* host:port is normalised to ws://host:port/ws. */
  host_port = g_strdup_printf ("127.0.0.1:%u", cohort_test_server_get_port (f->server));
  /* identity: as the test server's staff, no waiting room (tests/common). */
  g_object_set (session, "create-waiting-room", FALSE, NULL);
  cohort_session_create_class_async (session, host_port, "Physics 101", "Ms Li",
                                     cohort_test_staff_lookup (url), NULL,
                                                               cohort_test_on_result, &result);
  g_assert_cmpint (cohort_session_get_state (session), ==, COHORT_SESSION_STATE_CONNECTING);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_session_create_class_finish (session, result, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (cohort_session_get_server_url (session), ==, url);
  g_assert_cmpint (cohort_session_get_state (session), ==, COHORT_SESSION_STATE_JOINED);
  g_assert_cmpstr (cohort_session_get_class_title (session), ==, "Physics 101");
  g_assert_cmpint (strlen (cohort_session_get_class_code (session)), ==, COHORT_CLASS_CODE_CHARS);
  g_assert_cmpint (strlen (cohort_session_get_token (session)), ==, COHORT_SECRET_CHARS);
  g_assert_cmpint (strlen (cohort_session_get_teacher_key (session)), ==, COHORT_SECRET_CHARS);
  g_assert_nonnull (cohort_session_get_self (session));
  g_assert_cmpint (cohort_participant_get_role (cohort_session_get_self (session)), ==,
                   COHORT_ROLE_TEACHER);
  g_assert_null (cohort_session_get_error_message (session));

  return g_steal_pointer (&session);
}

static CohortSession *
join_class (Fixture       *f,
            CohortSession *teacher,
            const char    *name)
{
  g_autoptr(CohortSession) session = NULL;

  session = cohort_test_session_join (cohort_test_server_get_url (f->server), teacher, name);
  g_assert_cmpint (cohort_session_get_state (session), ==, COHORT_SESSION_STATE_JOINED);
  g_assert_cmpint (cohort_session_get_class_id (session), ==,
                   cohort_session_get_class_id (teacher));
  g_assert_null (cohort_session_get_teacher_key (session));
  g_assert_cmpstr (cohort_participant_get_name (cohort_session_get_self (session)), ==, name);
  g_assert_true (cohort_participant_get_is_self (cohort_session_get_self (session)));

  return g_steal_pointer (&session);
}

static void
lower_hand (CohortSession *teacher,
            gint64         participant_id)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_int_member (body, "participant_id", participant_id);
  reply = cohort_test_session_request (teacher, COHORT_REQ_HAND_LOWER, body, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
}

static void
raise_hand (CohortSession *student)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = cohort_test_session_request (student, COHORT_REQ_HAND_RAISE, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (reply, "raised_at"), >, 0);
}

static gint64
self_id (CohortSession *session)
{
  return cohort_participant_get_id (cohort_session_get_self (session));
}

static guint
n_hands (CohortSession *session)
{
  return g_list_model_get_n_items (cohort_roster_get_hands (cohort_session_get_roster (session)));
}

static guint
n_participants (CohortSession *session)
{
  return g_list_model_get_n_items (G_LIST_MODEL (cohort_session_get_roster (session)));
}

/* Counts event-received per seq, and checks seqs only ever go up. */
typedef struct
{
  GHashTable *per_seq;
  gint64      highest;
  guint       n_raised;
} EventLog;

static void
on_event_received (CohortSession *session,
                   const char    *event,
                   JsonObject    *body,
                   gint64         seq,
                   EventLog      *log)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (log->per_seq, &seq));

  g_assert_cmpint (seq, ==, cohort_session_get_last_seq (session));
  g_assert_cmpint (seq, >, log->highest);
  log->highest = seq;
  g_hash_table_insert (log->per_seq, g_memdup2 (&seq, sizeof seq), GUINT_TO_POINTER (n + 1));
  if (g_str_equal (event, COHORT_EV_HAND_RAISED))
    log->n_raised++;
}

static void
event_log_init (EventLog      *log,
                CohortSession *session)
{
  log->per_seq = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  log->highest = cohort_session_get_last_seq (session);
  log->n_raised = 0;
  g_signal_connect (session, "event-received", G_CALLBACK (on_event_received), log);
}

static void
event_log_assert_each_once (EventLog *log,
                            gint64    from,
                            gint64    to)
{
  for (gint64 seq = from; seq <= to; seq++)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (log->per_seq, &seq));

      if (n != 1)
        g_error ("Event %" G_GINT64_FORMAT " was received %u times", seq, n);
    }
  g_assert_cmpuint (g_hash_table_size (log->per_seq), ==, to - from + 1);
}

static void
event_log_clear (EventLog *log)
{
  g_clear_pointer (&log->per_seq, g_hash_table_unref);
}

static void
leave (CohortSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cohort_session_leave_async (session, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_session_leave_finish (session, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cohort_session_get_state (session), ==, COHORT_SESSION_STATE_DISCONNECTED);
}

static void
test_create_and_join (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CohortSession) teacher = create_class (f);
  g_autoptr(CohortSession) student = join_class (f, teacher, "Mei");
  CohortParticipant *seen;

  /* The teacher learns about the student through participant.joined. */
  COHORT_TEST_WAIT_UNTIL (n_participants (teacher) == 2);
  g_assert_cmpuint (n_participants (student), ==, 2);
  g_assert_cmpint (cohort_session_get_last_seq (teacher), ==,
                   cohort_session_get_last_seq (student));

  seen = cohort_roster_lookup (cohort_session_get_roster (teacher), self_id (student));
  g_assert_nonnull (seen);
  g_assert_cmpstr (cohort_participant_get_name (seen), ==, "Mei");
  g_assert_true (cohort_participant_get_online (seen));
  g_assert_false (cohort_participant_get_is_self (seen));

  /* The teacher is listed first on both sides. */
  {
    g_autoptr(CohortParticipant) first =
      g_list_model_get_item (G_LIST_MODEL (cohort_session_get_roster (student)), 0);
    g_assert_cmpint (cohort_participant_get_role (first), ==, COHORT_ROLE_TEACHER);
  }

  leave (student);
  COHORT_TEST_WAIT_UNTIL (!cohort_participant_get_online (seen));
  leave (teacher);
}

static void
test_hands (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(CohortSession) teacher = create_class (f);
  g_autoptr(CohortSession) student = join_class (f, teacher, "Mei");
  g_autoptr(CohortParticipant) first = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *hands = cohort_roster_get_hands (cohort_session_get_roster (teacher));

  COHORT_TEST_WAIT_UNTIL (n_participants (teacher) == 2);

  raise_hand (student);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (hands) == 1);
  first = g_list_model_get_item (hands, 0);
  g_assert_cmpint (cohort_participant_get_id (first), ==, self_id (student));
  /* The reply comes before the event that applies it. */
  COHORT_TEST_WAIT_UNTIL (n_hands (student) == 1);
  g_assert_true (cohort_participant_get_hand_raised (cohort_session_get_self (student)));

  /* The teacher may not raise a hand; the error is the protocol's. */
  reply = cohort_test_session_request (teacher, COHORT_REQ_HAND_RAISE, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
  g_assert_cmpint (cohort_session_get_state (teacher), ==, COHORT_SESSION_STATE_JOINED);

  lower_hand (teacher, self_id (student));
  COHORT_TEST_WAIT_UNTIL (n_hands (student) == 0);
  g_assert_cmpuint (g_list_model_get_n_items (hands), ==, 0);
  g_assert_false (cohort_participant_get_hand_raised (cohort_session_get_self (student)));
  g_assert_cmpuint (cohort_session_get_n_pending (teacher), ==, 0);
}

static void
test_reconnect_replay (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(CohortSession) teacher = create_class (f);
  g_autoptr(CohortSession) student = join_class (f, teacher, "Mei");
  g_autoptr(CohortSession) other = join_class (f, teacher, "Ravi");
  gint64 before;
  EventLog log;
  EventLog teacher_log;

  COHORT_TEST_WAIT_UNTIL (cohort_session_get_last_seq (student) ==
                          cohort_session_get_last_seq (other) &&
                          cohort_session_get_last_seq (teacher) ==
                          cohort_session_get_last_seq (other));
  before = cohort_session_get_last_seq (student);
  event_log_init (&log, student);
  event_log_init (&teacher_log, teacher);

  cohort_session_simulate_drop (student);
  g_assert_cmpint (cohort_session_get_state (student), ==, COHORT_SESSION_STATE_RECONNECTING);

  /* Events the student misses while it is away. */
  raise_hand (other);
  lower_hand (teacher, self_id (other));
  raise_hand (other);

  /* A reply comes before the events it caused: wait until the teacher,
   * the reference below, has them all. */
  COHORT_TEST_WAIT_UNTIL (teacher_log.n_raised == 2 &&
                          cohort_participant_get_hand_raised (
                            cohort_roster_lookup (cohort_session_get_roster (teacher),
                                                  self_id (other))));
  g_signal_handlers_disconnect_by_data (teacher, &teacher_log);
  event_log_clear (&teacher_log);

  COHORT_TEST_WAIT_UNTIL (cohort_session_get_state (student) == COHORT_SESSION_STATE_JOINED &&
                          cohort_session_get_last_seq (student) ==
                          cohort_session_get_last_seq (teacher));

  /* Each missed event exactly once (presence changes included), in order. */
  event_log_assert_each_once (&log, before + 1, cohort_session_get_last_seq (teacher));
  g_assert_cmpuint (log.n_raised, ==, 2);
  g_assert_cmpuint (n_hands (student), ==, 1);
  g_assert_true (cohort_participant_get_hand_raised (
                   cohort_roster_lookup (cohort_session_get_roster (student), self_id (other))));

  /* Live events keep flowing on the new socket. */
  lower_hand (teacher, self_id (other));
  COHORT_TEST_WAIT_UNTIL (n_hands (student) == 0);
  event_log_assert_each_once (&log, before + 1, cohort_session_get_last_seq (teacher));

  event_log_clear (&log);
}

static void
test_outbox_while_disconnected (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(CohortSession) teacher = create_class (f);
  g_autoptr(CohortSession) student = join_class (f, teacher, "Mei");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  EventLog log;

  COHORT_TEST_WAIT_UNTIL (n_participants (teacher) == 2);
  event_log_init (&log, teacher);

  /* Made while the socket is down: queued, then sent after the resume. */
  cohort_session_simulate_drop (student);
  cohort_session_request_async (student, COHORT_REQ_HAND_RAISE, NULL, NULL,
                                cohort_test_on_result, &result);
  g_assert_cmpuint (cohort_session_get_n_pending (student), ==, 1);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  reply = cohort_session_request_finish (student, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpuint (cohort_session_get_n_pending (student), ==, 0);
  g_assert_cmpint (cohort_session_get_state (student), ==, COHORT_SESSION_STATE_JOINED);

  COHORT_TEST_WAIT_UNTIL (n_hands (teacher) == 1);
  lower_hand (teacher, self_id (student));
  g_clear_object (&result);
  g_clear_pointer (&reply, json_object_unref);

  /* Sent, then the socket drops before the reply: resent with the same id
   * and applied once by the server. */
  cohort_session_request_async (student, COHORT_REQ_HAND_RAISE, NULL, NULL,
                                cohort_test_on_result, &result);
  cohort_session_simulate_drop (student);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  reply = cohort_session_request_finish (student, result, &error);
  g_assert_no_error (error);

  COHORT_TEST_WAIT_UNTIL (cohort_session_get_last_seq (teacher) ==
                          cohort_session_get_last_seq (student) &&
                          n_hands (teacher) == 1);
  /* Two requests, two hand.raised events: nothing applied twice. */
  g_assert_cmpuint (log.n_raised, ==, 2);

  event_log_clear (&log);
}

static void
test_server_restart (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(CohortSession) teacher = create_class (f);
  g_autoptr(CohortSession) student = join_class (f, teacher, "Mei");
  CohortParticipant *seen;

  COHORT_TEST_WAIT_UNTIL (n_participants (teacher) == 2);
  raise_hand (student);
  COHORT_TEST_WAIT_UNTIL (n_hands (teacher) == 1);

  cohort_test_server_kill (f->server);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_state (teacher) == COHORT_SESSION_STATE_RECONNECTING &&
                          cohort_session_get_state (student) == COHORT_SESSION_STATE_RECONNECTING);

  /* Let a reconnect attempt or two fail against the dead port. */
  cohort_test_iterate_for (300);

  cohort_test_server_restart (f->server);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_state (teacher) == COHORT_SESSION_STATE_JOINED &&
                          cohort_session_get_state (student) == COHORT_SESSION_STATE_JOINED &&
                          cohort_session_get_last_seq (teacher) ==
                          cohort_session_get_last_seq (student));

  /* The state survived in the store, and the class is live again. */
  g_assert_cmpuint (n_hands (teacher), ==, 1);
  lower_hand (teacher, self_id (student));
  COHORT_TEST_WAIT_UNTIL (n_hands (student) == 0);

  seen = cohort_roster_lookup (cohort_session_get_roster (teacher), self_id (student));
  COHORT_TEST_WAIT_UNTIL (cohort_participant_get_online (seen));
}

static void
test_resume_with_token (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CohortSession) teacher = create_class (f);
  g_autoptr(CohortSession) student = join_class (f, teacher, "Mei");
  g_autoptr(CohortSession) again = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = g_strdup (cohort_session_get_token (student));
  gint64 id = self_id (student);

  raise_hand (student);
  leave (student);

  /* As after an app restart: only the URL and the stored token are known. */
  cohort_session_resume_async (again, cohort_test_server_get_url (f->server), token,
                               NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_session_resume_finish (again, result, &error));
  g_assert_no_error (error);

  g_assert_cmpint (cohort_session_get_state (again), ==, COHORT_SESSION_STATE_JOINED);
  g_assert_cmpint (self_id (again), ==, id);
  g_assert_cmpstr (cohort_participant_get_name (cohort_session_get_self (again)), ==, "Mei");
  g_assert_cmpstr (cohort_session_get_token (again), ==, token);
  g_assert_cmpstr (cohort_session_get_class_code (again), ==,
                   cohort_session_get_class_code (teacher));
  g_assert_cmpuint (n_participants (again), ==, 2);
  g_assert_cmpuint (n_hands (again), ==, 1);
  g_assert_cmpint (cohort_session_get_last_seq (again), >, 0);

  lower_hand (teacher, id);
  COHORT_TEST_WAIT_UNTIL (n_hands (again) == 0);
}

static void
test_bad_token (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = g_strnfill (COHORT_SECRET_CHARS, 'A');

  cohort_session_resume_async (session, cohort_test_server_get_url (f->server), token,
                               NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_false (cohort_session_resume_finish (session, result, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_UNAUTHORIZED);
  g_assert_cmpint (cohort_session_get_state (session), ==, COHORT_SESSION_STATE_FAILED);
  g_assert_nonnull (cohort_session_get_error_message (session));
}

static void
test_join_unknown_code (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cohort_session_join_async (session, cohort_test_server_get_url (f->server), "ZZZZ-ZZZZ",
                             "Mei", NULL, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_false (cohort_session_join_finish (session, result, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_NOT_FOUND);
  g_assert_cmpint (cohort_session_get_state (session), ==, COHORT_SESSION_STATE_FAILED);
  g_assert_nonnull (cohort_session_get_error_message (session));
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  /* The fixture's server is stopped: nothing listens on its port. */
  url = g_strdup (cohort_test_server_get_url (f->server));
  cohort_test_server_stop (f->server);

  cohort_session_join_async (session, url, "ABCDEFGH", "Mei", NULL, NULL,
                             cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_false (cohort_session_join_finish (session, result, &error));
  g_assert_nonnull (error);
  g_assert_cmpint (cohort_session_get_state (session), ==, COHORT_SESSION_STATE_FAILED);
  g_assert_true (g_str_has_prefix (cohort_session_get_error_message (session),
                                   "Could not reach the class server"));
  g_clear_object (&result);
  g_clear_error (&error);

  cohort_session_join_async (session, "ftp://nope", "ABCDEFGH", "Mei", NULL, NULL,
                             cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_false (cohort_session_join_finish (session, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* Reconnect fast enough to keep the suite short. */
  g_setenv ("COHORT_BACKOFF_BASE_MS", "100", TRUE);
  g_setenv ("COHORT_BACKOFF_MAX_MS", "400", TRUE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, cohort_test_server_fixture_setup, func, fixture_teardown)

  ADD ("/cohort/session/create-and-join", test_create_and_join);
  ADD ("/cohort/session/hands", test_hands);
  ADD ("/cohort/session/reconnect-replay", test_reconnect_replay);
  ADD ("/cohort/session/outbox-while-disconnected", test_outbox_while_disconnected);
  ADD ("/cohort/session/server-restart", test_server_restart);
  ADD ("/cohort/session/resume-with-token", test_resume_with_token);
  ADD ("/cohort/session/bad-token", test_bad_token);
  ADD ("/cohort/session/join-unknown-code", test_join_unknown_code);
  ADD ("/cohort/session/unreachable", test_unreachable);

#undef ADD

  return g_test_run ();
}

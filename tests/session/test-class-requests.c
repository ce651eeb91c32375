/* test-class-requests.c: typed class requests and events through CohortSession
 *
 * cohort-session-class.h and CohortClassEvents against a real
 * cohort-server: hands, the waiting room, settings, removal and a roster
 * import, with no JSON on the caller's side.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-class-events.h"
#include "cohort-roster-csv.h"
#include "cohort-session-class.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

/* What a CohortClassEvents emitted, as "signal:id:arg" lines. */
typedef struct
{
  GPtrArray *seen;
} Heard;

static void
heard_add (Heard      *heard,
           const char *line)
{
  g_ptr_array_add (heard->seen, g_strdup (line));
}

static gboolean
heard_has (Heard      *heard,
           const char *line)
{
  for (guint i = 0; i < heard->seen->len; i++)
    if (g_str_equal (g_ptr_array_index (heard->seen, i), line))
      return TRUE;
  return FALSE;
}

/* One recorder for every signal: it adds the line "@label:arg:arg…" with
 * the signal's arguments (ids and names) after the emitter. */
typedef struct
{
  GClosure    closure;
  Heard      *heard;
  const char *label;
} Hearing;

static void
record (GClosure     *closure,
        GValue       *return_value,
        guint         n_params,
        const GValue *params,
        gpointer      hint,
        gpointer      marshal_data)
{
  Hearing *hearing = (Hearing *) closure;
  g_autoptr(GString) line = g_string_new (hearing->label);

  for (guint i = 1; i < n_params; i++)
    {
      if (G_VALUE_HOLDS_INT64 (&params[i]))
        g_string_append_printf (line, ":%" G_GINT64_FORMAT, g_value_get_int64 (&params[i]));
      else if (G_VALUE_HOLDS_STRING (&params[i]))
        g_string_append_printf (line, ":%s", g_value_get_string (&params[i]));
      else
        g_assert_not_reached ();
    }
  heard_add (hearing->heard, line->str);
}

static void
hear (CohortClassEvents *events,
      const char        *signal,
      const char        *label,
      Heard             *heard)
{
  GClosure *closure = g_closure_new_simple (sizeof (Hearing), NULL);
  Hearing *hearing = (Hearing *) closure;

  hearing->heard = heard;
  hearing->label = label;
  g_closure_set_marshal (closure, record);
  g_signal_connect_closure (events, signal, closure, FALSE);
}

static CohortClassEvents *
listen (CohortSession *session,
        Heard         *heard)
{
  CohortClassEvents *events = cohort_class_events_new (session);

  heard->seen = g_ptr_array_new_with_free_func (g_free);
  hear (events, "participant-joined", "joined", heard);
  hear (events, "participant-waiting", "waiting", heard);
  hear (events, "hand-raised", "raised", heard);
  hear (events, "hand-lowered", "lowered", heard);
  hear (events, "all-hands-lowered", "all-lowered", heard);
  return events;
}

/* Waits for a typed request's reply; FALSE with @error when refused. */
static gboolean
finish (CohortSession  *session,
        GAsyncResult  **result,
        GError        **error)
{
  gboolean ok;

  COHORT_TEST_WAIT_UNTIL (*result != NULL);
  ok = cohort_session_class_request_finish (session, *result, error);
  g_clear_object (result);
  return ok;
}

static gint64
id_of (CohortSession *session)
{
  return cohort_participant_get_id (cohort_session_get_self (session));
}

static void
test_hands (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (cohort_test_server_get_url (server), "Physics", "Ms Li");
  g_autoptr(CohortClassEvents) teacher_events = NULL;
  g_autoptr(CohortClassEvents) student_events = NULL;
  g_autoptr(CohortSession) student = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Heard at_teacher, at_student;
  CohortParticipant *in_roster;

  teacher_events = listen (teacher, &at_teacher);
  g_assert_true (cohort_class_events_get_session (teacher_events) == teacher);
  student = cohort_test_session_join (cohort_test_server_get_url (server), teacher, "Wan");
  student_events = listen (student, &at_student);

  /* Joined: the name as typed, with the id. */
  line = g_strdup_printf ("joined:%" G_GINT64_FORMAT ":Wan", id_of (student));
  COHORT_TEST_WAIT_UNTIL (heard_has (&at_teacher, line));

  /* Raised, applied to the roster before the signal. */
  cohort_session_set_hand_raised_async (student, TRUE, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (student, &result, &error));
  g_assert_no_error (error);
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("raised:%" G_GINT64_FORMAT, id_of (student));
  COHORT_TEST_WAIT_UNTIL (heard_has (&at_teacher, line));
  in_roster = cohort_roster_lookup (cohort_session_get_roster (teacher), id_of (student));
  g_assert_true (cohort_participant_get_hand_raised (in_roster));

  /* The teacher lowers it: the student hears who did. */
  cohort_session_lower_hand_async (teacher, id_of (student), NULL, cohort_test_on_result, &result);
  g_assert_true (finish (teacher, &result, &error));
  g_assert_no_error (error);
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("lowered:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, id_of (student), id_of (teacher));
  COHORT_TEST_WAIT_UNTIL (heard_has (&at_student, line));
  g_assert_false (cohort_participant_get_hand_raised (cohort_session_get_self (student)));

  /* Raised again, then all lowered at once. */
  cohort_session_set_hand_raised_async (student, TRUE, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (student, &result, &error));
  cohort_session_lower_all_hands_async (teacher, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (teacher, &result, &error));
  g_assert_no_error (error);
  g_clear_pointer (&line, g_free);
  line = g_strdup_printf ("all-lowered:%" G_GINT64_FORMAT, id_of (teacher));
  COHORT_TEST_WAIT_UNTIL (heard_has (&at_student, line));

  /* A student cannot lower the others' hands: the refusal comes back. */
  cohort_session_lower_all_hands_async (student, NULL, cohort_test_on_result, &result);
  g_assert_false (finish (student, &result, &error));
  g_assert_nonnull (error);

  g_ptr_array_unref (at_teacher.seen);
  g_ptr_array_unref (at_student.seen);
}

static void
on_removed (CohortSession *session,
            gboolean       blocked,
            gpointer       user_data)
{
  *(int *) user_data = blocked ? 2 : 1;
}

static void
test_admission_and_settings (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (cohort_test_server_get_url (server), "Physics", "Ms Li");
  g_autoptr(CohortClassEvents) teacher_events = NULL;
  g_autoptr(CohortSession) wan = NULL;
  g_autoptr(CohortSession) kim = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Heard at_teacher;
  int removed = 0;

  teacher_events = listen (teacher, &at_teacher);

  /* Each setting, by name. */
  g_assert_false (cohort_session_get_waiting_room (teacher));
  cohort_session_set_class_setting_async (teacher, COHORT_CLASS_SETTING_WAITING_ROOM, TRUE, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (teacher, &result, &error));
  g_assert_no_error (error);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_waiting_room (teacher));
  cohort_session_set_class_setting_async (teacher, COHORT_CLASS_SETTING_ANONYMOUS_JOIN, TRUE, NULL, cohort_test_on_result,
                                          &result);
  g_assert_true (finish (teacher, &result, &error));
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_anonymous_join (teacher));
  g_assert_false (cohort_session_get_locked (teacher));

  /* Two wait; the teacher hears each by name. */
  wan = cohort_test_session_join (cohort_test_server_get_url (server), teacher, "Wan");
  kim = cohort_test_session_join (cohort_test_server_get_url (server), teacher, "Kim");
  g_assert_cmpint (cohort_session_get_admission (wan), ==, COHORT_ADMISSION_WAITING);
  line = g_strdup_printf ("waiting:%" G_GINT64_FORMAT ":Kim", id_of (kim));
  COHORT_TEST_WAIT_UNTIL (heard_has (&at_teacher, line));

  /* Kim is turned away; 0 lets in everyone else. */
  cohort_session_deny_async (teacher, id_of (kim), NULL, cohort_test_on_result, &result);
  g_assert_true (finish (teacher, &result, &error));
  g_assert_no_error (error);
  cohort_session_admit_async (teacher, 0, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (teacher, &result, &error));
  g_assert_no_error (error);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_admission (wan) == COHORT_ADMISSION_ADMITTED &&
                          cohort_session_get_state (wan) == COHORT_SESSION_STATE_JOINED);
  g_assert_cmpint (cohort_session_get_admission (kim), ==, COHORT_ADMISSION_WAITING);

  /* Locked follows on the student's side too. */
  cohort_session_set_class_setting_async (teacher, COHORT_CLASS_SETTING_LOCKED, TRUE, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (teacher, &result, &error));
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_locked (wan));

  /* Removed and blocked. */
  g_signal_connect (wan, "removed", G_CALLBACK (on_removed), &removed);
  cohort_session_remove_participant_async (teacher, id_of (wan), TRUE, NULL, cohort_test_on_result, &result);
  g_assert_true (finish (teacher, &result, &error));
  g_assert_no_error (error);
  COHORT_TEST_WAIT_UNTIL (removed != 0);
  g_assert_cmpint (removed, ==, 2);

  g_ptr_array_unref (at_teacher.seen);
}

static void
test_roster_import (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (cohort_test_server_get_url (server), "Physics", "Ms Li");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) codes = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CohortRosterCode *code;

  entries = cohort_roster_csv_parse ("name,number\nAna Silva,S-001\nBo\n", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);

  cohort_session_import_roster_async (teacher, entries, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  codes = cohort_session_import_roster_finish (teacher, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (codes);
  g_assert_cmpuint (codes->len, ==, 2);

  code = g_ptr_array_index (codes, 0);
  g_assert_cmpstr (code->name, ==, "Ana Silva");
  g_assert_cmpstr (code->number, ==, "S-001");
  g_assert_cmpint (code->participant_id, >, 0);
  g_assert_nonnull (code->personal_code);
  g_assert_cmpuint (strlen (code->personal_code), >, 0);
  code = g_ptr_array_index (codes, 1);
  g_assert_cmpstr (code->name, ==, "Bo");
  g_assert_null (code->number);
  g_assert_cmpstr (code->personal_code, !=, ((CohortRosterCode *) g_ptr_array_index (codes, 0))->personal_code);
  g_clear_object (&result);

  /* Students cannot import: the refusal is an error, not an empty list. */
  {
    g_autoptr(CohortSession) student = cohort_test_session_join (cohort_test_server_get_url (server), teacher, "Wan");
    g_autoptr(GPtrArray) refused = NULL;

    cohort_session_import_roster_async (student, entries, NULL, cohort_test_on_result, &result);
    COHORT_TEST_WAIT_UNTIL (result != NULL);
    refused = cohort_session_import_roster_finish (student, result, &error);
    g_assert_null (refused);
    g_assert_nonnull (error);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/session/class-requests/hands", test_hands);
  g_test_add_func ("/session/class-requests/admission-and-settings", test_admission_and_settings);
  g_test_add_func ("/session/class-requests/roster-import", test_roster_import);

  return g_test_run ();
}

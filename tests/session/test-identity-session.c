/* test-identity-session.c: staff and admission through CohortSession
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-class-summary.h"
#include "cohort-identity-protocol.h"
#include "cohort-protocol.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

static CohortSession *
create_class (CohortTestServer *server,
              const char       *credential,
              gboolean          waiting_room,
              GError          **error)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;

  g_object_set (session, "create-waiting-room", waiting_room, NULL);
  cohort_session_create_class_async (session, cohort_test_server_get_url (server), "Physics", "Ms Li",
                                     credential, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  if (!cohort_session_create_class_finish (session, result, error))
    return NULL;
  return g_steal_pointer (&session);
}

/* The staff account's classes, or NULL with @error set. */
static GListModel *
list_classes (CohortSession *admin,
              const char    *url,
              const char    *credential,
              GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cohort_session_list_staff_classes_async (admin, url, credential, NULL,
                                           cohort_test_on_result, &result);
  cohort_test_wait_result (&result);
  return cohort_session_list_staff_classes_finish (admin, result, error);
}

/* Archives the class @code (@archived FALSE: brings it back); asserts
 * that it worked. */
static void
archive_class (CohortSession *admin,
               const char    *url,
               const char    *code,
               const char    *credential,
               gboolean       archived)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cohort_session_archive_class_async (admin, url, code, credential, archived, NULL,
                                      cohort_test_on_result, &result);
  cohort_test_wait_result (&result);
  g_assert_true (cohort_session_archive_class_finish (admin, result, &error));
  g_assert_no_error (error);
}

static JsonObject *
request (CohortSession *session,
         const char    *type,
         JsonObject    *body)
{
  g_autoptr(GError) error = NULL;
  JsonObject *reply = cohort_test_session_request (session, type, body, &error);

  g_assert_no_error (error);
  return reply;
}

static void
on_removed (CohortSession *session,
            gboolean       blocked,
            gpointer       user_data)
{
  *(int *) user_data = blocked ? 2 : 1;
}

static void
test_waiting_room_session (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortSession) teacher = create_class (server, cohort_test_server_get_staff_credential (server),
                                                   TRUE, &error);
  g_autoptr(CohortSession) student = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  CohortRoster *roster;
  CohortParticipant *waiting;
  gint64 student_id;
  int removed = 0;

  g_assert_no_error (error);
  g_assert_true (cohort_session_get_waiting_room (teacher));
  g_assert_cmpint (cohort_session_get_admission (teacher), ==, COHORT_ADMISSION_ADMITTED);

  cohort_test_session_join_with (student, cohort_test_server_get_url (server),
                                 cohort_session_get_class_code (teacher), "Wan");
  g_assert_cmpint (cohort_session_get_admission (student), ==, COHORT_ADMISSION_WAITING);
  student_id = cohort_participant_get_id (cohort_session_get_self (student));

  /* The teacher's roster lists them, waiting. */
  roster = cohort_session_get_roster (teacher);
  COHORT_TEST_WAIT_UNTIL (cohort_roster_lookup (roster, student_id) != NULL);
  waiting = cohort_roster_lookup (roster, student_id);
  g_assert_true (cohort_participant_get_waiting (waiting));

  json_object_set_int_member (body, "participant_id", student_id);
  reply = request (teacher, COHORT_REQ_ADMISSION_ADMIT, body);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_admission (student) == COHORT_ADMISSION_ADMITTED &&
                          cohort_session_get_state (student) == COHORT_SESSION_STATE_JOINED);
  COHORT_TEST_WAIT_UNTIL (!cohort_participant_get_waiting (waiting));
  /* The student now sees the class: the teacher and themself. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cohort_session_get_roster (student))), ==, 2);

  /* Settings follow class.updated. */
  g_clear_pointer (&body, json_object_unref);
  g_clear_pointer (&reply, json_object_unref);
  body = json_object_new ();
  json_object_set_boolean_member (body, "locked", TRUE);
  reply = request (teacher, COHORT_REQ_CLASS_SETTINGS, body);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_locked (student));

  /* Removed: the signal, then the session fails. */
  g_signal_connect (student, "removed", G_CALLBACK (on_removed), &removed);
  g_clear_pointer (&body, json_object_unref);
  g_clear_pointer (&reply, json_object_unref);
  body = json_object_new ();
  json_object_set_int_member (body, "participant_id", student_id);
  json_object_set_boolean_member (body, "block", TRUE);
  reply = request (teacher, COHORT_REQ_PARTICIPANT_REMOVE, body);
  COHORT_TEST_WAIT_UNTIL (removed == 2);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_state (student) == COHORT_SESSION_STATE_FAILED);
  COHORT_TEST_WAIT_UNTIL (cohort_roster_lookup (roster, student_id) == NULL);
}

static void
test_staff_session (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  const char *credential = cohort_test_server_get_staff_credential (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortSession) teacher = NULL;
  g_autoptr(CohortSession) admin = cohort_session_new ();
  g_autoptr(CohortSession) reopened = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GListModel) classes = NULL;
  g_autoptr(CohortClassSummary) summary = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *code = NULL;

  /* Refused without a valid credential. */
  wrong = g_strnfill (COHORT_SECRET_CHARS, 'A');
  teacher = create_class (server, wrong, FALSE, &error);
  g_assert_null (teacher);
  g_assert_error (error, COHORT_SESSION_ERROR, COHORT_SESSION_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  teacher = create_class (server, credential, FALSE, &error);
  g_assert_no_error (error);
  code = g_strdup (cohort_session_get_class_code (teacher));

  classes = list_classes (admin, url, credential, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (classes), ==, 1);
  summary = g_list_model_get_item (classes, 0);
  g_assert_cmpstr (cohort_class_summary_get_code (summary), ==, code);
  g_assert_cmpstr (cohort_class_summary_get_title (summary), ==, "Physics");
  g_assert_cmpint (cohort_class_summary_get_lessons (summary), ==, 1);

  archive_class (admin, url, code, credential, TRUE);
  g_clear_object (&classes);
  classes = list_classes (admin, url, credential, &error);
  g_assert_cmpuint (g_list_model_get_n_items (classes), ==, 0);
  archive_class (admin, url, code, credential, FALSE);

  /* A new lesson: open the class again by staff credential, as teacher. */
  g_clear_object (&teacher);
  cohort_session_open_class_async (reopened, url, code, credential, NULL,
                                   cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_session_open_class_finish (reopened, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cohort_participant_get_role (cohort_session_get_self (reopened)), ==, COHORT_ROLE_TEACHER);
  g_clear_object (&result);

  /* No staff left: its own error. */
  {
    g_autofree char *argv0 = g_strdup (g_getenv ("COHORT_SERVER"));
    const char *argv[] = { argv0, "--database", cohort_test_server_get_db_path (server),
                           "--revoke-staff", "Test staff", NULL };
    int status = 0;

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                  NULL, NULL, NULL, NULL, &status, &error);
    g_assert_no_error (error);
  }
  g_clear_object (&classes);
  classes = list_classes (admin, url, credential, &error);
  g_assert_null (classes);
  g_assert_error (error, COHORT_SESSION_ERROR, COHORT_SESSION_ERROR_NO_STAFF);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/session/identity/waiting-room", test_waiting_room_session);
  g_test_add_func ("/cohort/session/identity/staff", test_staff_session);

  return g_test_run ();
}

/* test-lesson.c: the class's life cycle and attendance against a real
 * server and its SQLite store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "cohort-identity-protocol.h"
#include "cohort-lesson-protocol.h"
#include "cohort-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"

/* The shared check, under the name these tests have always used. */
#define assert_error cohort_test_client_assert_error

static JsonObject *
lesson_of (JsonObject *body)
{
  g_assert_true (json_object_has_member (body, "lesson"));
  return json_object_get_object_member (body, "lesson");
}

static void
assert_lesson (JsonObject *lesson,
               gint64      number,
               const char *state)
{
  g_assert_cmpint (json_object_get_int_member (lesson, "number"), ==, number);
  g_assert_cmpstr (json_object_get_string_member (lesson, "state"), ==, state);
  g_assert_false (json_object_has_member (lesson, "next_at"));
}

static CohortMessage *
request (CohortTestClient *c,
         const char       *type,
         gint64            number)
{
  g_autoptr(JsonObject) body = json_object_new ();

  if (number > 0)
    json_object_set_int_member (body, "number", number);
  return cohort_test_client_request (c, type, NULL, body);
}

static JsonObject *
resume_snapshot (CohortTestClient *c,
                 const char       *token)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "token", token);
  /* Ahead of the server: a snapshot, with every feature's welcome. */
  json_object_set_int_member (body, "last_seq", G_MAXINT32);
  reply = cohort_test_client_request_ok (c, COHORT_REQ_RESUME, body);
  return json_object_ref (cohort_message_get_body (reply));
}

/* Physics with Ms Li and one student, Mei, on a fresh server. */
typedef CohortTestClassroom Physics;

static void
physics_open (Physics *p)
{
  cohort_test_classroom_open (p, "Physics", "Ms Li", "Mei");
}

/* Not started → live → ended, each told to everyone; only the teacher
 * may change it; Start after the end opens the next lesson. */
static void
test_states (void)
{
  Physics p;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  JsonObject *lesson;
  gint64 started_at;

  physics_open (&p);

  assert_lesson (lesson_of (p.created), 1, COHORT_LESSON_STR_NOT_STARTED);
  assert_lesson (lesson_of (p.joined), 1, COHORT_LESSON_STR_NOT_STARTED);
  g_assert_cmpint (json_object_get_int_member (lesson_of (p.joined), "started_at"), ==, 0);

  /* A student may neither start nor end it. */
  reply = request (p.student, COHORT_REQ_LESSON_START, 0);
  assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_LESSON_START, NULL);
  lesson = lesson_of (cohort_message_get_body (reply));
  assert_lesson (lesson, 1, COHORT_LESSON_STR_LIVE);
  started_at = json_object_get_int_member (lesson, "started_at");
  g_assert_cmpint (started_at, >, 0);
  g_clear_pointer (&reply, cohort_message_unref);

  event = cohort_test_client_next_event (p.student, COHORT_EV_LESSON_CHANGED);
  g_assert_nonnull (event);
  assert_lesson (lesson_of (cohort_message_get_body (event)), 1, COHORT_LESSON_STR_LIVE);
  g_assert_cmpint (json_object_get_int_member (lesson_of (cohort_message_get_body (event)), "started_at"),
                   ==, started_at);
  g_clear_pointer (&event, cohort_message_unref);

  /* Starting a live lesson changes nothing. */
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_LESSON_START, NULL);
  g_assert_cmpint (json_object_get_int_member (lesson_of (cohort_message_get_body (reply)), "started_at"),
                   ==, started_at);
  g_clear_pointer (&reply, cohort_message_unref);

  reply = request (p.student, COHORT_REQ_LESSON_END, 0);
  assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_LESSON_END, NULL);
  lesson = lesson_of (cohort_message_get_body (reply));
  assert_lesson (lesson, 1, COHORT_LESSON_STR_ENDED);
  g_assert_cmpint (json_object_get_int_member (lesson, "ended_at"), >, started_at);
  g_clear_pointer (&reply, cohort_message_unref);

  /* The live lesson.changed was the only one before this. */
  event = cohort_test_client_next_event (p.student, NULL);
  g_assert_nonnull (event);
  g_assert_cmpstr (cohort_message_get_name (event), ==, COHORT_EV_LESSON_CHANGED);
  assert_lesson (lesson_of (cohort_message_get_body (event)), 1, COHORT_LESSON_STR_ENDED);
  g_clear_pointer (&event, cohort_message_unref);

  reply = request (p.teacher, COHORT_REQ_LESSON_END, 0);
  assert_error (reply, "invalid", "state");
  g_clear_pointer (&reply, cohort_message_unref);

  /* Start after the end: lesson 2, live at once. */
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_LESSON_START, NULL);
  assert_lesson (lesson_of (cohort_message_get_body (reply)), 2, COHORT_LESSON_STR_LIVE);
  event = cohort_test_client_next_event (p.student, COHORT_EV_LESSON_CHANGED);
  g_assert_nonnull (event);
  assert_lesson (lesson_of (cohort_message_get_body (event)), 2, COHORT_LESSON_STR_LIVE);

  cohort_test_classroom_close (&p);
}

/* The state is in the store: a restarted server still has the live
 * lesson, and a teacher who comes back by staff credential does not open
 * a new one while it is live. */
static void
test_restart (void)
{
  Physics p;
  g_autofree char *student_token = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  gint64 started_at;

  physics_open (&p);
  student_token = g_strdup (json_object_get_string_member (p.joined, "token"));

  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_LESSON_START, NULL);
  started_at = json_object_get_int_member (lesson_of (cohort_message_get_body (reply)), "started_at");
  g_clear_pointer (&reply, cohort_message_unref);

  g_clear_pointer (&p.teacher, cohort_test_client_free);
  g_clear_pointer (&p.student, cohort_test_client_free);
  cohort_test_server_restart (p.server);

  p.student = cohort_test_client_new (cohort_test_server_get_url (p.server));
  again = resume_snapshot (p.student, student_token);
  assert_lesson (lesson_of (again), 1, COHORT_LESSON_STR_LIVE);
  g_assert_cmpint (json_object_get_int_member (lesson_of (again), "started_at"), ==, started_at);

  /* The teacher opens the class again with the staff credential. */
  p.teacher = cohort_test_client_new (cohort_test_server_get_url (p.server));
  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "code", p.code);
  json_object_set_string_member (body, "staff_credential", cohort_test_server_get_staff_credential (p.server));
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_CLASS_JOIN, body);
  assert_lesson (lesson_of (cohort_message_get_body (reply)), 1, COHORT_LESSON_STR_LIVE);
  g_clear_pointer (&reply, cohort_message_unref);

  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_LESSON_END, NULL);
  assert_lesson (lesson_of (cohort_message_get_body (reply)), 1, COHORT_LESSON_STR_ENDED);

  cohort_test_classroom_close (&p);
}

static JsonObject *
find_student (JsonArray  *students,
              const char *name)
{
  for (guint i = 0; i < json_array_get_length (students); i++)
    {
      JsonObject *row = json_array_get_object_element (students, i);

      if (g_strcmp0 (json_object_get_string_member (row, "name"), name) == 0)
        return row;
    }
  return NULL;
}

/* The ts of the next event the teacher sees that brings @participant_id
 * online or offline: participant.presence, or participant.joined for a
 * new student. */
static gint64
presence_ts (CohortTestClient *teacher,
             gint64            participant_id,
             gboolean          online)
{
  for (;;)
    {
      g_autoptr(CohortMessage) event = cohort_test_client_next_event (teacher, NULL);
      JsonObject *body;

      g_assert_nonnull (event);
      body = cohort_message_get_body (event);
      if (g_str_equal (cohort_message_get_name (event), COHORT_EV_PARTICIPANT_JOINED))
        body = json_object_get_object_member (body, "participant");
      else if (!g_str_equal (cohort_message_get_name (event), COHORT_EV_PARTICIPANT_PRESENCE))
        continue;
      if (json_object_get_int_member_with_default (body, "participant_id",
                                                   json_object_get_int_member_with_default (body, "id", 0))
          == participant_id &&
          json_object_get_boolean_member (body, "online") == online)
        return cohort_message_get_ts (event);
    }
}

/* Who came, when and for how long: every stretch online during the
 * lesson, from the presence events the teacher saw; the teacher only. */
static void
test_attendance (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) early = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) late = cohort_test_client_new (url);
  g_autoptr(CohortTestClient) absent = cohort_test_client_new (url);
  g_autoptr(JsonObject) created = cohort_test_client_create_class (teacher, "Physics", "Ms Li");
  const char *code = json_object_get_string_member (json_object_get_object_member (created, "class"), "code");
  g_autoptr(JsonObject) early_joined = cohort_test_client_join (early, code, "Ana", NULL);
  g_autoptr(JsonObject) absent_joined = cohort_test_client_join (absent, code, "Zoe", NULL);
  g_autoptr(JsonObject) late_joined = NULL;
  g_autoptr(JsonObject) resumed = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  gint64 late_id, early_id;
  gint64 started_at, ended_at, early_left, late_in1, late_out1, late_in2;
  JsonObject *row;
  JsonArray *students;
  g_autofree char *before_restart = NULL;

  early_id = json_object_get_int_member (json_object_get_object_member (early_joined, "you"), "id");
  /* Zoe leaves before the lesson: she did not attend. */
  reply = cohort_test_client_request_ok (absent, COHORT_REQ_CLASS_LEAVE, NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  /* Nothing before the start. */
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_LESSON_ATTENDANCE, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cohort_message_get_body (reply),
                                                                          "students")), ==, 0);
  g_clear_pointer (&reply, cohort_message_unref);

  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_LESSON_START, NULL);
  started_at = json_object_get_int_member (lesson_of (cohort_message_get_body (reply)), "started_at");
  g_clear_pointer (&reply, cohort_message_unref);

  /* Bo comes late, drops, and comes back with his token. */
  late_joined = cohort_test_client_join (late, code, "Bo", NULL);
  late_id = json_object_get_int_member (json_object_get_object_member (late_joined, "you"), "id");
  late_in1 = presence_ts (teacher, late_id, TRUE);
  cohort_test_client_drop (late);
  late_out1 = presence_ts (teacher, late_id, FALSE);
  g_clear_pointer (&late, cohort_test_client_free);
  late = cohort_test_client_new (url);
  resumed = resume_snapshot (late, json_object_get_string_member (late_joined, "token"));
  late_in2 = presence_ts (teacher, late_id, TRUE);

  /* A student may not see it. */
  reply = request (early, COHORT_REQ_LESSON_ATTENDANCE, 0);
  assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  /* Ana leaves during the lesson. */
  reply = cohort_test_client_request_ok (early, COHORT_REQ_CLASS_LEAVE, NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  early_left = presence_ts (teacher, early_id, FALSE);

  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_LESSON_END, NULL);
  ended_at = json_object_get_int_member (lesson_of (cohort_message_get_body (reply)), "ended_at");
  g_clear_pointer (&reply, cohort_message_unref);

  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_LESSON_ATTENDANCE, NULL);
  students = json_object_get_array_member (cohort_message_get_body (reply), "students");
  g_assert_cmpuint (json_array_get_length (students), ==, 2);
  g_assert_null (find_student (students, "Zoe"));
  /* Name order. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (students, 0), "name"), ==, "Ana");

  row = find_student (students, "Ana");
  g_assert_cmpint (json_object_get_int_member (row, "joined_at"), ==, started_at);
  g_assert_cmpint (json_object_get_int_member (row, "left_at"), ==, early_left);
  g_assert_cmpint (json_object_get_int_member (row, "present_ms"), ==, early_left - started_at);
  g_assert_cmpint (json_object_get_int_member (row, "visits"), ==, 1);

  row = find_student (students, "Bo");
  g_assert_cmpint (json_object_get_int_member (row, "joined_at"), ==, late_in1);
  g_assert_cmpint (json_object_get_int_member (row, "left_at"), ==, ended_at);
  g_assert_cmpint (json_object_get_int_member (row, "present_ms"), ==,
                   (late_out1 - late_in1) + (ended_at - late_in2));
  g_assert_cmpint (json_object_get_int_member (row, "visits"), ==, 2);

  /* The same figures from a restarted server, by lesson number. */
  {
    g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (), students);
    before_restart = json_to_string (node, FALSE);
  }
  g_clear_pointer (&reply, cohort_message_unref);
  g_clear_pointer (&teacher, cohort_test_client_free);
  g_clear_pointer (&late, cohort_test_client_free);
  g_clear_pointer (&early, cohort_test_client_free);
  g_clear_pointer (&absent, cohort_test_client_free);
  cohort_test_server_restart (server);
  url = cohort_test_server_get_url (server);

  teacher = cohort_test_client_new (url);
  g_clear_pointer (&resumed, json_object_unref);
  resumed = resume_snapshot (teacher, json_object_get_string_member (created, "token"));
  reply = request (teacher, COHORT_REQ_LESSON_ATTENDANCE, 1);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  {
    g_autoptr(JsonNode) node = json_node_init_array (json_node_alloc (),
                                                     json_object_get_array_member (cohort_message_get_body (reply),
                                                                                   "students"));
    g_autofree char *after_restart = json_to_string (node, FALSE);

    g_assert_cmpstr (after_restart, ==, before_restart);
  }
  g_clear_pointer (&reply, cohort_message_unref);

  reply = request (teacher, COHORT_REQ_LESSON_ATTENDANCE, 7);
  assert_error (reply, "not_found", "number");
}

/* A student's own figures of the lesson. */
static void
test_summary (void)
{
  Physics p;
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *body;

  physics_open (&p);

  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_LESSON_START, NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request_ok (p.teacher, COHORT_REQ_LESSON_END, NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  reply = cohort_test_client_request_ok (p.student, COHORT_REQ_LESSON_SUMMARY, NULL);
  body = cohort_message_get_body (reply);
  assert_lesson (lesson_of (body), 1, COHORT_LESSON_STR_ENDED);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body, "quiz"), "answered"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "badges")), ==, 0);
  /* From the groups ledger: nothing earned in a lesson this short. */
  g_assert_cmpint (json_object_get_int_member (body, "points"), ==, 0);

  cohort_test_classroom_close (&p);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/lesson/states", test_states);
  g_test_add_func ("/cohort/lesson/restart", test_restart);
  g_test_add_func ("/cohort/lesson/attendance", test_attendance);
  g_test_add_func ("/cohort/lesson/summary", test_summary);

  return g_test_run ();
}

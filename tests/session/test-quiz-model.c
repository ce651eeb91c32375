/* test-quiz-model.c: CohortQuizModel on CohortSession against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-protocol.h"
#include "cohort-quiz-entry.h"
#include "cohort-quiz-model.h"
#include "cohort-quiz-protocol.h"
#include "cohort-quiz-question.h"
#include "cohort-quiz-score.h"
#include "cohort-session.h"
#include "cohort-test-server.h"

#define TIMEOUT_MS 10000

static gboolean
on_wait_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(cond, ms)                                                   \
  G_STMT_START {                                                               \
    gboolean timed_out_ = FALSE;                                               \
    guint timeout_id_ = g_timeout_add ((ms), on_wait_timeout, &timed_out_);    \
    while (!(cond) && !timed_out_)                                             \
      g_main_context_iteration (NULL, TRUE);                                   \
    if (!timed_out_)                                                           \
      g_source_remove (timeout_id_);                                           \
    if (!(cond))                                                               \
      g_error ("Timed out waiting for %s", #cond);                             \
  } G_STMT_END

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static CohortSession *
create_class (CohortTestServer *server)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* identity: as the test server's staff, no waiting room (tests/common). */
  g_object_set (session, "create-waiting-room", FALSE, NULL);
  cohort_session_create_class_async (session, cohort_test_server_get_url (server), "Quiz", "Ms Li",
                                     cohort_test_staff_lookup (cohort_test_server_get_url (server)), NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, TIMEOUT_MS);
  g_assert_true (cohort_session_create_class_finish (session, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&session);
}

/* The model is made before the join here, so it is fed by the welcome. */
static CohortSession *
join_class (CohortTestServer  *server,
            CohortSession     *teacher,
            const char        *name,
            CohortQuizModel  **out_model)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  *out_model = cohort_quiz_model_new (session);
  cohort_session_join_async (session, cohort_test_server_get_url (server),
                             cohort_session_get_class_code (teacher), name, NULL,
                             NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, TIMEOUT_MS);
  g_assert_true (cohort_session_join_finish (session, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&session);
}

static JsonObject *
request_ok (CohortQuizModel *model,
            const char      *type,
            const char      *body_json)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (body_json, NULL);
  JsonObject *body;

  cohort_quiz_model_request_async (model, type, json_object_ref (json_node_get_object (node)), NULL,
                                   on_result, &result);
  WAIT_UNTIL (result != NULL, TIMEOUT_MS);
  body = cohort_quiz_model_request_finish (model, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  return body;
}

static gint64
launch (CohortQuizModel *teacher,
        gint64           question_id,
        gint64           time_limit)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;

  cohort_quiz_model_launch_async (teacher, &question_id, 1, time_limit, TRUE, NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, TIMEOUT_MS);
  body = cohort_quiz_model_request_finish (teacher, result, &error);
  g_assert_no_error (error);
  return json_object_get_int_member (json_object_get_object_member (body, "run"), "run_id");
}

static void
on_count (gpointer instance,
          gint64   run_id,
          gpointer user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
answer (CohortQuizModel  *model,
        const char       *answer_json,
        GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = json_from_string (answer_json, NULL);

  cohort_quiz_model_answer_async (model, node, NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, TIMEOUT_MS);
  return cohort_quiz_model_answer_finish (model, result, error);
}

static void
test_round_trip (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(CohortSession) teacher = create_class (server);
  /* Made after the join: it syncs. */
  g_autoptr(CohortQuizModel) tq = cohort_quiz_model_new (teacher);
  g_autoptr(CohortQuizModel) sq = NULL;
  g_autoptr(CohortSession) student = join_class (server, teacher, "Mei", &sq);
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortQuizEntry) history = NULL;
  g_autoptr(CohortQuizScore) score = NULL;
  g_autofree char *csv = NULL;
  guint arrived = 0;
  guint revealed = 0;
  gint64 question_id, run_id;

  WAIT_UNTIL (cohort_quiz_model_get_is_teacher (tq), TIMEOUT_MS);
  g_assert_false (cohort_quiz_model_get_is_teacher (sq));
  g_assert_cmpint (cohort_quiz_model_get_state (sq), ==, COHORT_QUIZ_STATE_NONE);
  g_signal_connect (sq, "question-arrived", G_CALLBACK (on_count), &arrived);
  g_signal_connect (sq, "revealed", G_CALLBACK (on_count), &revealed);

  created = request_ok (tq, COHORT_REQ_QUIZ_QUESTION_CREATE,
                        "{\"question\": {\"type\":\"single\",\"prompt\":\"Closest planet?\","
                        "\"choices\":[\"Venus\",\"Mercury\",\"Mars\"],\"correct\":[1],"
                        "\"explanation\":\"Mercury orbits closest.\"}}");
  question_id = json_object_get_int_member (json_object_get_object_member (created, "question"), "id");
  WAIT_UNTIL (g_list_model_get_n_items (cohort_quiz_model_get_bank (tq)) == 1, TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_bank (sq)), ==, 0);

  run_id = launch (tq, question_id, 0);
  WAIT_UNTIL (arrived == 1, TIMEOUT_MS);
  g_assert_cmpint (cohort_quiz_model_get_run_id (sq), ==, run_id);
  g_assert_cmpint (cohort_quiz_model_get_state (sq), ==, COHORT_QUIZ_STATE_OPEN);
  g_assert_cmpstr (cohort_quiz_model_get_prompt (sq), ==, "Closest planet?");
  g_assert_cmpuint (g_strv_length ((char **) cohort_quiz_model_get_choices (sq)), ==, 3);
  g_assert_null (cohort_quiz_model_get_key (sq));
  g_assert_cmpuint (cohort_quiz_model_get_n_present (tq), ==, 1);
  /* The teacher knows the key from the bank. */
  WAIT_UNTIL (cohort_quiz_model_get_run_id (tq) == run_id, TIMEOUT_MS);
  g_assert_nonnull (cohort_quiz_model_get_key (tq));

  /* Wrong first, then changed to right. */
  g_assert_true (answer (sq, "0", &error));
  g_assert_no_error (error);
  g_assert_true (answer (sq, "1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (cohort_quiz_model_get_answer (sq)), ==, 1);
  g_assert_false (cohort_quiz_model_get_answer_pending (sq));

  /* A choice out of range is refused and the shown answer goes back. */
  g_assert_false (answer (sq, "7", &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (json_node_get_int (cohort_quiz_model_get_answer (sq)), ==, 1);

  /* Live results reach the teacher. */
  WAIT_UNTIL (cohort_quiz_model_get_n_correct (tq) == 1, TIMEOUT_MS);
  g_assert_cmpuint (cohort_quiz_model_get_n_answered (tq), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_answers (tq)), ==, 1);
  {
    guint n = 0;
    const gint64 *counts = cohort_quiz_model_get_counts (tq, &n);

    g_assert_cmpuint (n, ==, 3);
    g_assert_cmpint (counts[0], ==, 0);
    g_assert_cmpint (counts[1], ==, 1);
  }
  /* …not to the student. */
  g_assert_cmpuint (cohort_quiz_model_get_n_answered (sq), ==, 0);

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(JsonObject) ok = NULL;

    cohort_quiz_model_run_action_async (tq, COHORT_REQ_QUIZ_REVEAL, NULL, on_result, &result);
    WAIT_UNTIL (result != NULL, TIMEOUT_MS);
    ok = cohort_quiz_model_request_finish (tq, result, &error);
    g_assert_no_error (error);
  }
  WAIT_UNTIL (revealed == 1 && cohort_quiz_model_get_grade (sq) != NULL, TIMEOUT_MS);
  g_assert_cmpint (cohort_quiz_model_get_state (sq), ==, COHORT_QUIZ_STATE_REVEALED);
  g_assert_cmpstr (cohort_quiz_model_get_grade (sq), ==, "correct");
  g_assert_cmpfloat (cohort_quiz_model_get_points (sq), >=, 1.0);
  g_assert_cmpstr (cohort_quiz_model_get_explanation (sq), ==, "Mercury orbits closest.");
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_history (sq)), ==, 1);
  history = g_list_model_get_item (cohort_quiz_model_get_history (sq), 0);
  g_assert_cmpstr (cohort_quiz_entry_get_grade (history), ==, "correct");
  g_assert_cmpstr (cohort_quiz_entry_get_prompt (history), ==, "Closest planet?");

  /* The answer is final now. */
  g_assert_false (answer (sq, "2", &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_QUIZ_CLOSED);
  g_clear_error (&error);

  WAIT_UNTIL (g_list_model_get_n_items (cohort_quiz_model_get_scores (tq)) == 1, TIMEOUT_MS);
  score = g_list_model_get_item (cohort_quiz_model_get_scores (tq), 0);
  g_assert_cmpstr (cohort_quiz_score_get_name (score), ==, "Mei");
  g_assert_cmpint (cohort_quiz_score_get_correct (score), ==, 1);
  csv = cohort_quiz_model_scores_to_csv (tq);
  g_assert_true (g_str_has_prefix (csv, "student,points,correct,answered\r\nMei,1."));

  /* A fresh student model made late syncs the history. */
  {
    g_autoptr(CohortQuizModel) late = cohort_quiz_model_new (student);

    WAIT_UNTIL (g_list_model_get_n_items (cohort_quiz_model_get_history (late)) == 1, TIMEOUT_MS);
    g_assert_cmpstr (cohort_quiz_model_get_grade (late), ==, "correct");
  }

  g_assert_cmpuint (arrived, ==, 1);
}

static void
on_changed_count_answers (CohortQuizModel *model,
                          gpointer         user_data)
{
  guint *max = user_data;

  *max = MAX (*max, g_list_model_get_n_items (cohort_quiz_model_get_answers (model)));
}

/* An answer given while the server is away is sent once it is back, once. */
static void
test_offline_answer (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(CohortSession) teacher = create_class (server);
  g_autoptr(CohortQuizModel) tq = cohort_quiz_model_new (teacher);
  g_autoptr(CohortQuizModel) sq = NULL;
  g_autoptr(CohortSession) student = join_class (server, teacher, "Mei", &sq);
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) late_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string ("\"paris\"", NULL);
  guint max_answers = 0;
  gint64 question_id, run_id, run2;

  WAIT_UNTIL (cohort_quiz_model_get_is_teacher (tq), TIMEOUT_MS);
  created = request_ok (tq, COHORT_REQ_QUIZ_QUESTION_CREATE,
                        "{\"question\": {\"type\":\"short\",\"prompt\":\"Capital of France?\","
                        "\"accepted\":[\"Paris\"]}}");
  question_id = json_object_get_int_member (json_object_get_object_member (created, "question"), "id");
  run_id = launch (tq, question_id, 0);
  WAIT_UNTIL (cohort_quiz_model_get_run_id (sq) == run_id, TIMEOUT_MS);
  g_signal_connect (tq, "changed", G_CALLBACK (on_changed_count_answers), &max_answers);

  /* The server goes away; the student answers anyway. */
  cohort_test_server_stop (server);
  WAIT_UNTIL (cohort_session_get_state (student) == COHORT_SESSION_STATE_RECONNECTING, TIMEOUT_MS);

  cohort_quiz_model_answer_async (sq, node, NULL, on_result, &result);
  g_assert_true (cohort_quiz_model_get_answer_pending (sq));
  g_assert_cmpstr (json_node_get_string (cohort_quiz_model_get_answer (sq)), ==, "paris");
  g_assert_cmpuint (cohort_session_get_n_pending (student), >=, 1);

  /* It comes back (no time limit: still in time) and the answer goes out. */
  cohort_test_server_restart (server);
  WAIT_UNTIL (result != NULL, 3 * TIMEOUT_MS);
  g_assert_true (cohort_quiz_model_answer_finish (sq, result, &error));
  g_assert_no_error (error);
  g_assert_false (cohort_quiz_model_get_answer_pending (sq));

  /* Exactly once: one answer in the teacher's list, answered 1. */
  WAIT_UNTIL (cohort_session_get_state (teacher) == COHORT_SESSION_STATE_JOINED &&
              cohort_quiz_model_get_n_answered (tq) == 1, 3 * TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_answers (tq)), ==, 1);
  g_assert_cmpuint (cohort_session_get_n_pending (student), ==, 0);

  /* An offline answer that arrives after the deadline is refused, and the
   * student's view goes back to no answer. */
  run2 = launch (tq, question_id, 5);
  WAIT_UNTIL (cohort_quiz_model_get_run_id (sq) == run2, TIMEOUT_MS);
  cohort_test_server_stop (server);
  WAIT_UNTIL (cohort_session_get_state (student) == COHORT_SESSION_STATE_RECONNECTING, TIMEOUT_MS);
  cohort_quiz_model_answer_async (sq, node, NULL, on_result, &late_result);
  g_usleep ((cohort_quiz_model_get_deadline (sq) - g_get_real_time () / 1000 + 200) * 1000);
  cohort_test_server_restart (server);
  WAIT_UNTIL (late_result != NULL, 3 * TIMEOUT_MS);
  g_assert_false (cohort_quiz_model_answer_finish (sq, late_result, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_QUIZ_CLOSED);
  g_assert_null (cohort_quiz_model_get_answer (sq));
  g_assert_cmpuint (max_answers, <=, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_setenv ("COHORT_BACKOFF_BASE_MS", "50", TRUE);
  g_setenv ("COHORT_BACKOFF_MAX_MS", "200", TRUE);

  g_test_add_func ("/cohort/quiz/model/round-trip", test_round_trip);
  g_test_add_func ("/cohort/quiz/model/offline-answer-once", test_offline_answer);

  return g_test_run ();
}

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
#include "cohort-test-session.h"
#include "cohort-test-wait.h"





static CohortSession *
create_class (CohortTestServer *server)
{
  return cohort_test_session_create_class (cohort_test_server_get_url (server), "Quiz", "Ms Li");
}

/* The model is made before the join here, so it is fed by the welcome. */
static CohortSession *
join_class (CohortTestServer  *server,
            CohortSession     *teacher,
            const char        *name,
            CohortQuizModel  **out_model)
{
  g_autoptr(CohortSession) session = cohort_session_new ();

  *out_model = cohort_quiz_model_new (session);
  cohort_test_session_join_with (session, cohort_test_server_get_url (server),
                                 cohort_session_get_class_code (teacher), name);
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
                                   cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
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

  cohort_quiz_model_launch_async (teacher, &question_id, 1, time_limit, TRUE, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
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

  cohort_quiz_model_answer_async (model, node, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  return cohort_quiz_model_answer_finish (model, result, error);
}

/* The set-up every round-trip case shares: a class with a teacher and
 * one student (Mei), a single-choice question in the bank, launched. */
typedef struct
{
  CohortTestServer *server;
  CohortSession    *teacher;
  CohortSession    *student;
  CohortQuizModel  *tq;
  CohortQuizModel  *sq;
  guint             arrived;
  guint             revealed;
  gint64            question_id;
  gint64            run_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) created = NULL;

  f->server = cohort_test_server_start (NULL);
  f->teacher = create_class (f->server);
  /* Made after the join: it syncs. */
  f->tq = cohort_quiz_model_new (f->teacher);
  f->student = join_class (f->server, f->teacher, "Mei", &f->sq);

  COHORT_TEST_WAIT_UNTIL (cohort_quiz_model_get_is_teacher (f->tq));
  g_assert_false (cohort_quiz_model_get_is_teacher (f->sq));
  g_assert_cmpint (cohort_quiz_model_get_state (f->sq), ==, COHORT_QUIZ_STATE_NONE);
  g_signal_connect (f->sq, "question-arrived", G_CALLBACK (on_count), &f->arrived);
  g_signal_connect (f->sq, "revealed", G_CALLBACK (on_count), &f->revealed);

  created = request_ok (f->tq, COHORT_REQ_QUIZ_QUESTION_CREATE,
                        "{\"question\": {\"type\":\"single\",\"prompt\":\"Closest planet?\","
                        "\"choices\":[\"Venus\",\"Mercury\",\"Mars\"],\"correct\":[1],"
                        "\"explanation\":\"Mercury orbits closest.\"}}");
  f->question_id = json_object_get_int_member (json_object_get_object_member (created, "question"), "id");
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_quiz_model_get_bank (f->tq)) == 1);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_bank (f->sq)), ==, 0);

  f->run_id = launch (f->tq, f->question_id, 0);
  COHORT_TEST_WAIT_UNTIL (f->arrived == 1);
  /* The teacher's model hears of its own launch too. */
  COHORT_TEST_WAIT_UNTIL (cohort_quiz_model_get_run_id (f->tq) == f->run_id);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->sq);
  g_clear_object (&f->tq);
  g_clear_object (&f->student);
  g_clear_object (&f->teacher);
  g_clear_pointer (&f->server, cohort_test_server_free);
}

static void
reveal (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cohort_quiz_model_run_action_async (f->tq, COHORT_REQ_QUIZ_REVEAL, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_quiz_model_action_finish (f->tq, result, &error));
  g_assert_no_error (error);
  COHORT_TEST_WAIT_UNTIL (f->revealed == 1 && cohort_quiz_model_get_grade (f->sq) != NULL);
}

static gboolean
answer_choices (CohortQuizModel  *model,
                guint64           chosen,
                GError          **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cohort_quiz_model_answer_choices_async (model, chosen, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  return cohort_quiz_model_answer_finish (model, result, error);
}

/* The launched question reaches the student without its key; the
 * teacher knows the key from the bank. */
static void
test_launch_reaches_student (Fixture       *f,
                             gconstpointer  data)
{
  g_assert_cmpint (cohort_quiz_model_get_run_id (f->sq), ==, f->run_id);
  g_assert_cmpint (cohort_quiz_model_get_state (f->sq), ==, COHORT_QUIZ_STATE_OPEN);
  g_assert_cmpstr (cohort_quiz_model_get_prompt (f->sq), ==, "Closest planet?");
  g_assert_cmpint (cohort_quiz_model_get_question_type (f->sq), ==, COHORT_QUIZ_SINGLE);
  g_assert_cmpuint (g_strv_length ((char **) cohort_quiz_model_get_choices (f->sq)), ==, 3);
  g_assert_null (cohort_quiz_model_get_key (f->sq));
  g_assert_false (cohort_quiz_model_get_has_key (f->sq));
  g_assert_cmpuint (cohort_quiz_model_get_correct_choices (f->sq), ==, 0);
  g_assert_null (cohort_quiz_model_dup_key_text (f->sq));
  g_assert_cmpuint (cohort_quiz_model_get_n_present (f->tq), ==, 1);

  g_assert_nonnull (cohort_quiz_model_get_key (f->tq));
  g_assert_true (cohort_quiz_model_get_has_key (f->tq));
  g_assert_cmpuint (cohort_quiz_model_get_correct_choices (f->tq), ==, 1 << 1);
  {
    g_autofree char *key = cohort_quiz_model_dup_key_text (f->tq);

    g_assert_cmpstr (key, ==, "2. Mercury");
  }
  g_assert_cmpuint (f->arrived, ==, 1);
}

/* Wrong first, then changed to right; a choice out of range is refused
 * and the shown answer goes back. */
static void
test_answer_change_and_refuse (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (cohort_quiz_model_get_has_answer (f->sq));
  g_assert_true (answer (f->sq, "0", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cohort_quiz_model_get_chosen (f->sq), ==, 1 << 0);
  /* The typed answer: a bit set, single choice sends its lowest bit. */
  g_assert_true (answer_choices (f->sq, 1 << 1, &error));
  g_assert_no_error (error);
  g_assert_cmpint (json_node_get_int (cohort_quiz_model_get_answer (f->sq)), ==, 1);
  g_assert_true (cohort_quiz_model_get_has_answer (f->sq));
  g_assert_cmpuint (cohort_quiz_model_get_chosen (f->sq), ==, 1 << 1);
  g_assert_false (cohort_quiz_model_get_answer_pending (f->sq));

  g_assert_false (answer (f->sq, "7", &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (json_node_get_int (cohort_quiz_model_get_answer (f->sq)), ==, 1);
  g_assert_cmpuint (cohort_quiz_model_get_chosen (f->sq), ==, 1 << 1);
}

/* Live results reach the teacher, not the student. */
static void
test_live_results (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;
  const gint64 *counts;

  g_assert_true (answer_choices (f->sq, 1 << 1, &error));
  g_assert_no_error (error);
  COHORT_TEST_WAIT_UNTIL (cohort_quiz_model_get_n_correct (f->tq) == 1);
  g_assert_cmpuint (cohort_quiz_model_get_n_answered (f->tq), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_answers (f->tq)), ==, 1);
  {
    g_autoptr(CohortQuizEntry) entry = g_list_model_get_item (cohort_quiz_model_get_answers (f->tq), 0);
    g_autofree char *text = cohort_quiz_entry_dup_answer_text (entry);

    g_assert_cmpstr (text, ==, "2. Mercury");
    g_assert_cmpint (cohort_quiz_entry_get_question_type (entry), ==, COHORT_QUIZ_SINGLE);
  }
  counts = cohort_quiz_model_get_counts (f->tq, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpint (counts[0], ==, 0);
  g_assert_cmpint (counts[1], ==, 1);
  g_assert_cmpuint (cohort_quiz_model_get_n_answered (f->sq), ==, 0);
}

/* The reveal grades the student, shows the key and the explanation,
 * fills the history and makes the answer final. */
static void
test_reveal_grades (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortQuizEntry) history = NULL;
  g_autofree char *key = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (cohort_quiz_model_get_outcome (f->sq), ==, COHORT_QUIZ_OUTCOME_NONE);
  g_assert_true (answer_choices (f->sq, 1 << 1, &error));
  g_assert_no_error (error);
  reveal (f);

  g_assert_cmpint (cohort_quiz_model_get_state (f->sq), ==, COHORT_QUIZ_STATE_REVEALED);
  g_assert_cmpstr (cohort_quiz_model_get_grade (f->sq), ==, "correct");
  g_assert_cmpint (cohort_quiz_model_get_outcome (f->sq), ==, COHORT_QUIZ_OUTCOME_CORRECT);
  g_assert_cmpfloat (cohort_quiz_model_get_points (f->sq), >=, 1.0);
  g_assert_cmpstr (cohort_quiz_model_get_explanation (f->sq), ==, "Mercury orbits closest.");
  key = cohort_quiz_model_dup_key_text (f->sq);
  g_assert_cmpstr (key, ==, "2. Mercury");
  g_assert_cmpuint (cohort_quiz_model_get_correct_choices (f->sq), ==, 1 << 1);

  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_history (f->sq)), ==, 1);
  history = g_list_model_get_item (cohort_quiz_model_get_history (f->sq), 0);
  g_assert_cmpstr (cohort_quiz_entry_get_grade (history), ==, "correct");
  g_assert_cmpint (cohort_quiz_entry_get_outcome (history), ==, COHORT_QUIZ_OUTCOME_CORRECT);
  g_assert_cmpstr (cohort_quiz_entry_get_prompt (history), ==, "Closest planet?");
  text = cohort_quiz_entry_dup_answer_text (history);
  g_assert_cmpstr (text, ==, "2. Mercury");

  g_assert_false (answer (f->sq, "2", &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_QUIZ_CLOSED);
}

/* After the reveal: the score table, its CSV, and a late model's sync. */
static void
test_scores_and_late_sync (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortQuizScore) score = NULL;
  g_autoptr(CohortQuizModel) late = NULL;
  g_autofree char *csv = NULL;

  g_assert_true (answer_choices (f->sq, 1 << 1, &error));
  g_assert_no_error (error);
  reveal (f);

  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_quiz_model_get_scores (f->tq)) == 1);
  score = g_list_model_get_item (cohort_quiz_model_get_scores (f->tq), 0);
  g_assert_cmpstr (cohort_quiz_score_get_name (score), ==, "Mei");
  g_assert_cmpint (cohort_quiz_score_get_correct (score), ==, 1);
  csv = cohort_quiz_model_scores_to_csv (f->tq);
  g_assert_true (g_str_has_prefix (csv, "student,points,correct,answered\r\nMei,1."));

  late = cohort_quiz_model_new (f->student);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_quiz_model_get_history (late)) == 1);
  g_assert_cmpstr (cohort_quiz_model_get_grade (late), ==, "correct");
  g_assert_cmpint (cohort_quiz_model_get_outcome (late), ==, COHORT_QUIZ_OUTCOME_CORRECT);
  g_assert_cmpuint (f->arrived, ==, 1);
}

static void
wait_action (CohortQuizModel *model,
             GAsyncResult   **result)
{
  g_autoptr(GError) error = NULL;

  COHORT_TEST_WAIT_UNTIL (*result != NULL);
  g_assert_true (cohort_quiz_model_action_finish (model, *result, &error));
  g_assert_no_error (error);
  g_clear_object (result);
}

static CohortQuizQuestion *
bank_item (CohortQuizModel *model,
           guint            position)
{
  return g_list_model_get_item (cohort_quiz_model_get_bank (model), position);
}

static gboolean
bank_prompt_is (CohortQuizModel *model,
                guint            position,
                const char      *prompt)
{
  g_autoptr(CohortQuizQuestion) q = bank_item (model, position);

  return q != NULL && g_strcmp0 (cohort_quiz_question_get_prompt (q), prompt) == 0;
}

static gboolean
bank_id_is (CohortQuizModel *model,
            guint            position,
            gint64           id)
{
  g_autoptr(CohortQuizQuestion) q = bank_item (model, position);

  return q != NULL && cohort_quiz_question_get_id (q) == id;
}

/* The teacher's bank through the typed requests: a question built with
 * the setters is saved, read back typed, edited, moved, exported,
 * imported and deleted; a file that is not JSON is refused unsent. */
static void
test_typed_bank (Fixture       *f,
                 gconstpointer  data)
{
  const char * const primes[] = { "2", "4", "5", "9", NULL };
  g_autoptr(CohortQuizQuestion) draft = cohort_quiz_question_new (COHORT_QUIZ_MULTIPLE, "Which are prime?");
  g_autoptr(CohortQuizQuestion) saved = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) choices = NULL;
  g_autofree char *file = NULL;
  guint count = 0;
  gint64 id;

  cohort_quiz_question_set_choices (draft, primes, (1 << 0) | (1 << 2));
  cohort_quiz_question_set_explanation (draft, "4 and 9 are squares.");
  cohort_quiz_question_set_time_limit (draft, 30);
  g_assert_true (cohort_quiz_question_check (draft, &error));
  g_assert_no_error (error);
  cohort_quiz_model_save_question_async (f->tq, 0, draft, NULL, cohort_test_on_result, &result);
  wait_action (f->tq, &result);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_quiz_model_get_bank (f->tq)) == 2);

  saved = bank_item (f->tq, 1);
  id = cohort_quiz_question_get_id (saved);
  g_assert_cmpint (id, >, 0);
  g_assert_cmpint (cohort_quiz_question_get_question_type (saved), ==, COHORT_QUIZ_MULTIPLE);
  choices = cohort_quiz_question_dup_choices (saved);
  g_assert_cmpstrv (choices, primes);
  g_assert_cmpuint (cohort_quiz_question_get_correct_choices (saved), ==, (1 << 0) | (1 << 2));
  g_assert_cmpstr (cohort_quiz_question_get_explanation (saved), ==, "4 and 9 are squares.");
  g_assert_cmpint (cohort_quiz_question_get_time_limit (saved), ==, 30);

  /* Edited in place into a short answer with a numeric key. */
  {
    g_autoptr(CohortQuizQuestion) edit = cohort_quiz_question_new (COHORT_QUIZ_SHORT, "π to two places?");
    const char * const accepted[] = { "pi", "", NULL };
    g_autoptr(CohortQuizQuestion) again = NULL;
    g_auto(GStrv) read = NULL;
    double value = 0, tolerance = 0;

    cohort_quiz_question_set_accepted (edit, accepted);
    cohort_quiz_question_set_numeric (edit, 3.14, 0.005);
    cohort_quiz_model_save_question_async (f->tq, id, edit, NULL, cohort_test_on_result, &result);
    wait_action (f->tq, &result);
    COHORT_TEST_WAIT_UNTIL (bank_prompt_is (f->tq, 1, "π to two places?"));
    again = bank_item (f->tq, 1);
    g_assert_cmpint (cohort_quiz_question_get_question_type (again), ==, COHORT_QUIZ_SHORT);
    read = cohort_quiz_question_dup_accepted (again);
    g_assert_cmpuint (g_strv_length (read), ==, 1);
    g_assert_cmpstr (read[0], ==, "pi");
    g_assert_true (cohort_quiz_question_get_numeric (again, &value, &tolerance));
    g_assert_cmpfloat_with_epsilon (value, 3.14, 1e-9);
    g_assert_cmpfloat_with_epsilon (tolerance, 0.005, 1e-9);
    g_assert_cmpint (cohort_quiz_question_get_time_limit (again), ==, 0);
  }

  /* Moved to the top. */
  cohort_quiz_model_move_question_async (f->tq, id, 0, NULL, cohort_test_on_result, &result);
  wait_action (f->tq, &result);
  COHORT_TEST_WAIT_UNTIL (bank_id_is (f->tq, 0, id));

  /* Exported as a bank file, imported back: two more questions. */
  cohort_quiz_model_export_async (f->tq, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  file = cohort_quiz_model_export_finish (f->tq, result, &error);
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_nonnull (strstr (file, "\"cohort-quiz\""));
  g_assert_nonnull (strstr (file, "Closest planet?"));
  cohort_quiz_model_import_async (f->tq, file, strlen (file), NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_quiz_model_import_finish (f->tq, result, &count, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (count, ==, 2);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_quiz_model_get_bank (f->tq)) == 4);

  /* Not JSON: refused before it is sent. */
  cohort_quiz_model_import_async (f->tq, "not json", 8, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_false (cohort_quiz_model_import_finish (f->tq, result, &count, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_object (&result);

  cohort_quiz_model_delete_question_async (f->tq, id, NULL, cohort_test_on_result, &result);
  wait_action (f->tq, &result);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_quiz_model_get_bank (f->tq)) == 3);
}

/* The editor's local check is the server's: a single choice question
 * with one choice fails, naming the field. No server needed. */
static void
test_question_check (void)
{
  const char * const one[] = { "Only", NULL };
  g_autoptr(CohortQuizQuestion) q = cohort_quiz_question_new (COHORT_QUIZ_SINGLE, "Pick");
  g_autoptr(CohortQuizQuestion) tf = cohort_quiz_question_new (COHORT_QUIZ_TRUE_FALSE, "Sky is blue");
  g_autoptr(GError) error = NULL;

  cohort_quiz_question_set_choices (q, one, 1);
  g_assert_false (cohort_quiz_question_check (q, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_assert_cmpint (cohort_quiz_question_get_id (q), ==, 0);

  cohort_quiz_question_set_truth (tf, TRUE);
  g_assert_true (cohort_quiz_question_check (tf, NULL));
  g_assert_true (cohort_quiz_question_get_truth (tf));
  g_assert_cmpint (cohort_quiz_question_get_question_type (tf), ==, COHORT_QUIZ_TRUE_FALSE);
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

  COHORT_TEST_WAIT_UNTIL (cohort_quiz_model_get_is_teacher (tq));
  created = request_ok (tq, COHORT_REQ_QUIZ_QUESTION_CREATE,
                        "{\"question\": {\"type\":\"short\",\"prompt\":\"Capital of France?\","
                        "\"accepted\":[\"Paris\"]}}");
  question_id = json_object_get_int_member (json_object_get_object_member (created, "question"), "id");
  run_id = launch (tq, question_id, 0);
  COHORT_TEST_WAIT_UNTIL (cohort_quiz_model_get_run_id (sq) == run_id);
  g_signal_connect (tq, "changed", G_CALLBACK (on_changed_count_answers), &max_answers);

  /* The server goes away; the student answers anyway. */
  cohort_test_server_stop (server);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_state (student) == COHORT_SESSION_STATE_RECONNECTING);

  cohort_quiz_model_answer_async (sq, node, NULL, cohort_test_on_result, &result);
  g_assert_true (cohort_quiz_model_get_answer_pending (sq));
  g_assert_cmpstr (json_node_get_string (cohort_quiz_model_get_answer (sq)), ==, "paris");
  g_assert_cmpuint (cohort_session_get_n_pending (student), >=, 1);

  /* It comes back (no time limit: still in time) and the answer goes out. */
  cohort_test_server_restart (server);
  COHORT_TEST_WAIT_UNTIL_MS (result != NULL, 3 * COHORT_TEST_TIMEOUT_MS);
  g_assert_true (cohort_quiz_model_answer_finish (sq, result, &error));
  g_assert_no_error (error);
  g_assert_false (cohort_quiz_model_get_answer_pending (sq));

  /* Exactly once: one answer in the teacher's list, answered 1. */
  COHORT_TEST_WAIT_UNTIL_MS (cohort_session_get_state (teacher) == COHORT_SESSION_STATE_JOINED &&
                             cohort_quiz_model_get_n_answered (tq) == 1,
                             3 * COHORT_TEST_TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_answers (tq)), ==, 1);
  g_assert_cmpuint (cohort_session_get_n_pending (student), ==, 0);

  /* An offline answer that arrives after the deadline is refused, and the
   * student's view goes back to no answer. */
  run2 = launch (tq, question_id, 5);
  COHORT_TEST_WAIT_UNTIL (cohort_quiz_model_get_run_id (sq) == run2);
  cohort_test_server_stop (server);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_state (student) == COHORT_SESSION_STATE_RECONNECTING);
  cohort_quiz_model_answer_async (sq, node, NULL, cohort_test_on_result, &late_result);
  g_usleep ((cohort_quiz_model_get_deadline (sq) - g_get_real_time () / 1000 + 200) * 1000);
  cohort_test_server_restart (server);
  COHORT_TEST_WAIT_UNTIL_MS (late_result != NULL, 3 * COHORT_TEST_TIMEOUT_MS);
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

#define ADD(path, func) \
  g_test_add ("/cohort/quiz/model/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("launch-reaches-student", test_launch_reaches_student);
  ADD ("answer-change-and-refuse", test_answer_change_and_refuse);
  ADD ("live-results", test_live_results);
  ADD ("reveal-grades", test_reveal_grades);
  ADD ("scores-and-late-sync", test_scores_and_late_sync);
  ADD ("typed-bank", test_typed_bank);
#undef ADD
  g_test_add_func ("/cohort/quiz/model/question-check", test_question_check);
  g_test_add_func ("/cohort/quiz/model/offline-answer-once", test_offline_answer);

  return g_test_run ();
}

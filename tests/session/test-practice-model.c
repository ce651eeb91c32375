/* test-practice-model.c: CohortPractice and CohortMasteryHeatmap against a
 * real cohort-server
 *
 * The student's model fills from mastery.get, gets a set, answers an item
 * and shows the result with the explanation; the teacher's heatmap lists
 * the points weakest first, sorts its students, switches a point off and
 * launches a point live.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-mastery-heatmap.h"
#include "cohort-practice.h"
#include "cohort-practice-protocol.h"
#include "cohort-quiz-protocol.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

static const char bank[] =
  "{\"file\": {\"format\":\"cohort-quiz\",\"version\":2,\"questions\":["
  "{\"type\":\"true_false\",\"prompt\":\"F1\",\"correct\":true,\"explanation\":\"Because F1.\",\"knowledge_points\":[\"Fractions\"]},"
  "{\"type\":\"true_false\",\"prompt\":\"F2\",\"correct\":true,\"knowledge_points\":[\"Fractions\"]},"
  "{\"type\":\"single\",\"prompt\":\"D1\",\"choices\":[\"a\",\"b\"],\"correct\":[1],\"explanation\":\"b it is.\",\"knowledge_points\":[\"Decimals\"]}"
  "]}}";

static CohortPracticeItem *
find_item (GListModel *set,
           const char *prompt)
{
  for (guint i = 0; i < g_list_model_get_n_items (set); i++)
    {
      g_autoptr(CohortPracticeItem) item = g_list_model_get_item (set, i);

      if (g_str_equal (cohort_practice_item_get_prompt (item), prompt))
        return item;
    }
  return NULL;
}

static void
test_student_and_teacher (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Maths", "Ms Li");
  g_autoptr(CohortSession) student = cohort_test_session_join (url, teacher, "Ann");
  /* A second student, who has not practised: sorting two rows is what
   * once read the array's slots as rows. */
  g_autoptr(CohortSession) other = cohort_test_session_join (url, teacher, "Bo");
  g_autoptr(JsonNode) node = json_from_string (bank, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) imported = cohort_test_session_request (teacher, COHORT_REQ_QUIZ_IMPORT,
                                                               json_node_get_object (node), &error);
  g_autoptr(CohortPractice) practice = NULL;
  g_autoptr(CohortMasteryHeatmap) heatmap = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(CohortKnowledgePoint) weakest = NULL;
  g_autoptr(CohortMasteryRow) row = NULL;
  CohortPracticeItem *f1, *d1;

  g_assert_no_error (error);
  practice = cohort_practice_new (student);
  COHORT_TEST_WAIT_UNTIL (!cohort_practice_get_loading (practice));
  g_assert_cmpuint (g_list_model_get_n_items (cohort_practice_get_points (practice)), ==, 2);
  g_assert_cmpuint (cohort_practice_get_next_up_count (practice), >, 0);
  g_assert_nonnull (cohort_practice_get_next_up_name (practice));

  cohort_practice_next_async (practice, 0, NULL, cohort_test_on_result, &result);
  g_assert_true (cohort_practice_next_finish (practice, cohort_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_practice_get_set (practice)), ==, 3);
  f1 = find_item (cohort_practice_get_set (practice), "F1");
  d1 = find_item (cohort_practice_get_set (practice), "D1");
  g_assert_nonnull (f1);
  g_assert_cmpint (cohort_practice_item_get_question_type (f1), ==, COHORT_QUIZ_TRUE_FALSE);
  g_assert_cmpint (cohort_practice_item_get_reason (f1), ==, COHORT_PRACTICE_REASON_KIND_NEW);
  g_assert_false (cohort_practice_item_get_answered (f1));
  g_assert_null (cohort_practice_item_get_explanation (f1));

  /* no answer set: refused locally */
  cohort_practice_answer_async (practice, f1, NULL, cohort_test_on_result, &result);
  g_assert_false (cohort_practice_answer_finish (practice, cohort_test_wait_result (&result), &error));
  g_clear_error (&error);
  g_clear_object (&result);

  cohort_practice_item_set_truth (f1, TRUE);
  cohort_practice_answer_async (practice, f1, NULL, cohort_test_on_result, &result);
  g_assert_true (cohort_practice_answer_finish (practice, cohort_test_wait_result (&result), &error));
  g_clear_object (&result);
  g_assert_true (cohort_practice_item_get_answered (f1));
  g_assert_true (cohort_practice_item_get_correct (f1));
  g_assert_cmpstr (cohort_practice_item_get_explanation (f1), ==, "Because F1.");
  g_assert_cmpstr (cohort_practice_item_get_key_text (f1), ==, "True");

  cohort_practice_item_set_chosen (d1, 1 << 0);
  cohort_practice_answer_async (practice, d1, NULL, cohort_test_on_result, &result);
  g_assert_true (cohort_practice_answer_finish (practice, cohort_test_wait_result (&result), &error));
  g_clear_object (&result);
  g_assert_false (cohort_practice_item_get_correct (d1));
  g_assert_cmpuint (cohort_practice_item_get_correct_choices (d1), ==, 1 << 1);
  g_assert_cmpstr (cohort_practice_item_get_key_text (d1), ==, "b");

  /* the refresh after the answers: history, newest first */
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_practice_get_history (practice)) == 2 &&
                          !cohort_practice_get_loading (practice));
  {
    g_autoptr(CohortPracticeAttempt) last = g_list_model_get_item (cohort_practice_get_history (practice), 0);

    g_assert_cmpstr (cohort_practice_attempt_get_prompt (last), ==, "D1");
    g_assert_false (cohort_practice_attempt_get_correct (last));
    g_assert_false (cohort_practice_attempt_get_from_quiz (last));
  }

  /* the teacher: Decimals (378) before Fractions (622) */
  heatmap = cohort_mastery_heatmap_new (teacher);
  COHORT_TEST_WAIT_UNTIL (!cohort_mastery_heatmap_get_loading (heatmap) &&
                          g_list_model_get_n_items (cohort_mastery_heatmap_get_points (heatmap)) == 2);
  weakest = g_list_model_get_item (cohort_mastery_heatmap_get_points (heatmap), 0);
  g_assert_cmpstr (cohort_knowledge_point_get_name (weakest), ==, "Decimals");
  g_assert_cmpint (cohort_knowledge_point_get_mastery (weakest), ==, 378);
  row = g_list_model_get_item (cohort_mastery_heatmap_get_students (heatmap), 0);
  g_assert_cmpstr (cohort_mastery_row_get_name (row), ==, "Ann");
  g_assert_cmpint (cohort_mastery_row_get_cell (row, 0), ==, 378);
  g_assert_cmpint (cohort_mastery_row_get_cell (row, 1), ==, 622);
  g_assert_cmpint (cohort_mastery_row_get_mean (row), ==, 500);
  g_clear_object (&row);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_mastery_heatmap_get_students (heatmap)), ==, 2);
  row = g_list_model_get_item (cohort_mastery_heatmap_get_students (heatmap), 1);
  g_assert_cmpstr (cohort_mastery_row_get_name (row), ==, "Bo");

  /* practice off for Decimals: the student's model hears knowledge.changed */
  cohort_mastery_heatmap_set_point_async (heatmap, cohort_knowledge_point_get_point_id (weakest), NULL, FALSE,
                                          NULL, cohort_test_on_result, &result);
  g_assert_true (cohort_mastery_heatmap_set_point_finish (heatmap, cohort_test_wait_result (&result), &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_practice_get_points (practice)) == 1);

  /* live: the quiz launches */
  cohort_mastery_heatmap_launch_async (heatmap, cohort_knowledge_point_get_point_id (weakest), 5, -1, NULL,
                                       cohort_test_on_result, &result);
  g_assert_true (cohort_mastery_heatmap_launch_finish (heatmap, cohort_test_wait_result (&result), &error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/practice-model/student-and-teacher", test_student_and_teacher);

  return g_test_run ();
}

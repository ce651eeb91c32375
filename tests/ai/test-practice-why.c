/* test-practice-why.c: the AI helper's "why?" after a wrong practice
 * answer, against a fake streaming upstream and a real cohort-server: the
 * helper receives the question, the student's answer and the explanation
 * under the class's policy (hints by default), and never a question of a
 * live quiz that has not been revealed yet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-ai-protocol.h"
#include "cohort-ai-test-server.h"
#include "cohort-fake-llm.h"
#include "cohort-practice-protocol.h"
#include "cohort-protocol.h"
#include "cohort-quiz-protocol.h"
#include "cohort-test-client.h"

static const char bank[] =
  "{\"file\": {\"format\":\"cohort-quiz\",\"version\":2,\"questions\":["
  "{\"type\":\"single\",\"prompt\":\"Which is a third of 9?\",\"choices\":[\"2\",\"3\"],\"correct\":[1],"
  " \"explanation\":\"EXPLAIN-9-OVER-3\",\"knowledge_points\":[\"Fractions\"]},"
  "{\"type\":\"true_false\",\"prompt\":\"Half of 8 is 4.\",\"correct\":true,"
  " \"explanation\":\"LIVE-SECRET\",\"knowledge_points\":[\"Fractions\"]}"
  "]}}";

/* Sends practice.why and reads until its reply, past the progress frames. */
static CohortMessage *
why (CohortTestClient *client,
     gint64            question_id)
{
  g_autofree char *id = cohort_protocol_new_request_id ();
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) request = NULL;
  g_autofree char *frame = NULL;

  json_object_set_int_member (body, "question_id", question_id);
  request = cohort_message_new_request (COHORT_REQ_PRACTICE_WHY, id, body);
  frame = cohort_message_to_json (request, NULL);
  cohort_test_client_send_text (client, frame);
  for (guint attempts = 0; attempts < 200; attempts++)
    {
      g_autoptr(GPtrArray) messages = cohort_test_client_drain (client, 50);

      for (guint i = 0; i < messages->len; i++)
        {
          CohortMessage *message = g_ptr_array_index (messages, i);

          if ((cohort_message_get_kind (message) == COHORT_MESSAGE_OK ||
               cohort_message_get_kind (message) == COHORT_MESSAGE_ERROR) &&
              g_strcmp0 (cohort_message_get_id (message), id) == 0)
            return cohort_message_ref (message);
        }
    }
  g_error ("No reply to practice.why");
  return NULL;
}

#define practice_answer cohort_ai_test_practice_answer

static void
test_why (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = g_strdup_printf ("base-url=%s/v1\nmodel=fake-model\napi-key-file=@KEYFILE@\n"
                                            "first-token-timeout=5\nconnect-timeout=2\n"
                                            "questions-per-minute=100\n",
                                            cohort_fake_llm_get_base_url (fake));
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(CohortTestClient) teacher = cohort_test_client_new (cohort_ai_test_server_get_url (server));
  g_autoptr(CohortTestClient) student = cohort_test_client_new (cohort_ai_test_server_get_url (server));
  g_autoptr(JsonObject) created = cohort_test_client_create_class (teacher, "Maths", "Ms Li");
  g_autoptr(JsonObject) joined = cohort_test_client_join (student, json_object_get_string_member (
                                                            json_object_get_object_member (created, "class"), "code"),
                                                          "Mei", NULL);
  g_autoptr(JsonObject) imported = cohort_test_client_ok_json (teacher, COHORT_REQ_QUIZ_IMPORT, bank);
  JsonArray *ids = json_object_get_array_member (imported, "question_ids");
  gint64 third = json_array_get_int_element (ids, 0);
  gint64 half = json_array_get_int_element (ids, 1);
  g_autofree char *sent = NULL;
  guint n_requests;

  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);

  /* Not yet answered, and answered right: nothing to explain. */
  {
    g_autoptr(CohortMessage) reply = why (student, third);

    cohort_test_client_assert_error (reply, "not_found", "question_id");
  }
  practice_answer (student, half, "true");
  {
    g_autoptr(CohortMessage) reply = why (student, half);

    cohort_test_client_assert_error (reply, "not_found", "question_id");
  }
  g_assert_cmpuint (cohort_fake_llm_get_n_requests (fake), ==, 0);

  /* Wrong: the helper gets the question, the answer and the explanation,
   * under the hints-only policy. */
  practice_answer (student, third, "0");
  {
    g_autoptr(CohortMessage) reply = why (student, third);
    JsonObject *exchange;

    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
    exchange = json_object_get_object_member (cohort_message_get_body (reply), "exchange");
    g_assert_cmpstr (json_object_get_string_member (exchange, "answer"), ==, cohort_fake_llm_hello_text ());
    g_assert_cmpstr (json_object_get_string_member (exchange, "question"), ==,
                     "Why is my answer to “Which is a third of 9?” wrong?");
  }
  sent = cohort_fake_llm_dup_last_body (fake);
  g_assert_nonnull (strstr (sent, "Which is a third of 9?"));
  g_assert_nonnull (strstr (sent, "EXPLAIN-9-OVER-3"));
  g_assert_nonnull (strstr (sent, "The student's answer (JSON): 0"));
  g_assert_nonnull (strstr (sent, "Never give the final answer"));
  /* the teacher is not a student */
  {
    g_autoptr(CohortMessage) reply = why (teacher, third);

    cohort_test_client_assert_error (reply, "forbidden", NULL);
  }

  /* The student answers "Half of 8" wrong in practice; the teacher then
   * launches it live and closes it without the reveal: the helper must
   * not be asked about it (its key would reach the student early). */
  practice_answer (student, half, "false");
  n_requests = cohort_fake_llm_get_n_requests (fake);
  {
    g_autofree char *launch = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT "]}", half);
    g_autoptr(JsonObject) run = cohort_test_client_ok_json (teacher, COHORT_REQ_QUIZ_LAUNCH, launch);
    gint64 run_id = json_object_get_int_member (json_object_get_object_member (run, "run"), "run_id");
    g_autofree char *close = g_strdup_printf ("{\"run_id\": %" G_GINT64_FORMAT "}", run_id);
    g_autoptr(CohortMessage) open_reply = why (student, half);
    g_autoptr(CohortMessage) closed_reply = NULL;
    g_autoptr(JsonObject) closed = NULL;
    g_autoptr(JsonObject) revealed = NULL;
    g_autoptr(CohortMessage) after = NULL;

    cohort_test_client_assert_error (open_reply, "forbidden", "question_id");
    closed = cohort_test_client_ok_json (teacher, COHORT_REQ_QUIZ_CLOSE, close);
    closed_reply = why (student, half);
    cohort_test_client_assert_error (closed_reply, "forbidden", "question_id");
    g_assert_cmpuint (cohort_fake_llm_get_n_requests (fake), ==, n_requests);

    /* revealed: the student may ask */
    revealed = cohort_test_client_ok_json (teacher, COHORT_REQ_QUIZ_REVEAL, close);
    after = why (student, half);
    g_assert_cmpint (cohort_message_get_kind (after), ==, COHORT_MESSAGE_OK);
    g_assert_cmpuint (cohort_fake_llm_get_n_requests (fake), ==, n_requests + 1);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/practice/why", test_why);

  return g_test_run ();
}

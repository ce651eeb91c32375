/* test-ai.c: the AI helper end to end: a fake streaming upstream, a real
 * cohort-server, raw WebSocket clients and CohortAiConversation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-ai-conversation.h"
#include "cohort-ai-conversation-item.h"
#include "cohort-ai-prompt.h"
#include "cohort-ai-protocol.h"
#include "cohort-ai-service.h"
#include "cohort-assembly.h"
#include "cohort-ai-test-server.h"
#include "cohort-fake-llm.h"
#include "cohort-protocol.h"
#include "cohort-server-private.h"
#include "cohort-session.h"
#include "cohort-store.h"
#include "cohort-test-client.h"
#include "cohort-test-db.h"
#include "cohort-test-in-process.h"
#include "cohort-test-server.h"
#include "cohort-test-stages.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

static char *
ai_group (CohortFakeLlm *fake,
          const char    *extra)
{
  return g_strdup_printf ("base-url=%s/v1\nmodel=fake-model\napi-key-file=@KEYFILE@\n"
                          "first-token-timeout=1\nconnect-timeout=2\n%s",
                          cohort_fake_llm_get_base_url (fake), extra != NULL ? extra : "");
}

/* Every frame a raw client received, as JSON, for the key check. */
static void
collect_frames (CohortTestClient *client,
                GString          *frames)
{
  g_autoptr(GPtrArray) messages = cohort_test_client_drain (client, 100);

  for (guint i = 0; i < messages->len; i++)
    {
      g_autofree char *json = cohort_message_to_json (g_ptr_array_index (messages, i), NULL);

      g_string_append_printf (frames, "%s\n", json);
    }
}

static CohortMessage *
ask_raw_id (CohortTestClient *client,
            const char       *id,
            const char       *text,
            GString          *frames,
            guint            *out_n_progress)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *frame = NULL;
  g_autoptr(CohortMessage) request = NULL;
  guint n_progress = 0;

  json_object_set_string_member (body, "text", text);
  request = cohort_message_new_request (COHORT_REQ_AI_ASK, id, body);
  frame = cohort_message_to_json (request, NULL);
  cohort_test_client_send_text (client, frame);

  /* Progress frames are neither replies nor events: drain until the reply. */
  for (guint attempts = 0; attempts < 200; attempts++)
    {
      g_autoptr(GPtrArray) messages = cohort_test_client_drain (client, 50);

      for (guint i = 0; i < messages->len; i++)
        {
          CohortMessage *message = g_ptr_array_index (messages, i);
          g_autofree char *json = cohort_message_to_json (message, NULL);

          if (frames != NULL)
            g_string_append_printf (frames, "%s\n", json);
          if (cohort_message_get_kind (message) == COHORT_MESSAGE_PROGRESS)
            {
              g_assert_cmpstr (cohort_message_get_id (message), ==, id);
              n_progress++;
            }
          else if ((cohort_message_get_kind (message) == COHORT_MESSAGE_OK ||
                    cohort_message_get_kind (message) == COHORT_MESSAGE_ERROR) &&
                   g_strcmp0 (cohort_message_get_id (message), id) == 0)
            {
              if (out_n_progress != NULL)
                *out_n_progress = n_progress;
              return cohort_message_ref (message);
            }
        }
    }

  g_error ("No reply to ai.ask");
  return NULL;
}

static CohortMessage *
ask_raw (CohortTestClient *client,
         const char       *text,
         GString          *frames,
         guint            *out_n_progress)
{
  g_autofree char *id = cohort_protocol_new_request_id ();

  return ask_raw_id (client, id, text, frames, out_n_progress);
}

static void
assert_error_code (CohortMessage *reply,
                   const char    *code)
{
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_ERROR);
  g_assert_cmpstr (cohort_error_code_to_string (cohort_message_get_error_code (reply)), ==, code);
  g_assert_nonnull (cohort_message_get_error_message (reply));
}

static JsonObject *
teacher_setup (CohortAiTestServer *server,
               CohortTestClient  **out_teacher,
               CohortTestClient  **out_student)
{
  CohortTestClient *teacher = cohort_test_client_new (cohort_ai_test_server_get_url (server));
  CohortTestClient *student = cohort_test_client_new (cohort_ai_test_server_get_url (server));
  g_autoptr(JsonObject) created = cohort_test_client_create_class (teacher, "Biology", "Ms Li");
  JsonObject *class = json_object_get_object_member (created, "class");
  JsonObject *joined = cohort_test_client_join (student, json_object_get_string_member (class, "code"),
                                                "Mei", NULL);

  *out_teacher = teacher;
  *out_student = student;
  return joined;
}

static void
count_change (guint *counter)
{
  (*counter)++;
}

/* A question streams token by token into the student's conversation,
 * through a real cohort-server, with the class's policy in the prompt. */
static void
test_stream_into_conversation (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, NULL);
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(CohortSession) teacher = cohort_session_new ();
  g_autoptr(CohortSession) student = cohort_session_new ();
  g_autoptr(CohortAiConversation) teacher_ai = cohort_ai_conversation_new (teacher);
  g_autoptr(CohortAiConversation) conversation = cohort_ai_conversation_new (student);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortAiMessage) answer = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *body = NULL;
  guint n_text_changes = 0;

  cohort_test_session_create_class_with (teacher, cohort_ai_test_server_get_url (server), "Biology", "Ms Li");
  g_assert_true (cohort_ai_conversation_get_configured (teacher_ai));
  g_assert_cmpstr (cohort_ai_conversation_get_mode (teacher_ai), ==, "hints");

  /* The teacher sets the lesson. */
  cohort_ai_conversation_set_policy_async (teacher_ai, "full", "Photosynthesis",
                                           "Mention chlorophyll.", "Glucose and oxygen.", 5, NULL,
                                           cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_ai_conversation_set_policy_finish (teacher_ai, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpstr (cohort_ai_conversation_get_notes (teacher_ai), ==, "Mention chlorophyll.");
  g_assert_cmpstr (cohort_ai_conversation_get_answer_key (teacher_ai), ==, "Glucose and oxygen.");

  cohort_test_session_join_with (student, cohort_ai_test_server_get_url (server),
                                 cohort_session_get_class_code (teacher), "Mei");

  g_assert_true (cohort_ai_conversation_get_configured (conversation));
  g_assert_cmpstr (cohort_ai_conversation_get_mode (conversation), ==, "full");
  g_assert_cmpstr (cohort_ai_conversation_get_topic (conversation), ==, "Photosynthesis");
  g_assert_cmpint (cohort_ai_conversation_get_daily_quota (conversation), ==, 5);
  /* The notes and the answer key are the teacher's. */
  g_assert_null (cohort_ai_conversation_get_notes (conversation));
  g_assert_null (cohort_ai_conversation_get_answer_key (conversation));

  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  g_assert_true (cohort_ai_conversation_ask (conversation, "How do plants make food?"));
  g_assert_cmpint (cohort_ai_conversation_get_state (conversation), ==, COHORT_AI_CONVERSATION_STREAMING);
  g_assert_false (cohort_ai_conversation_ask (conversation, "Another one"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);

  answer = g_list_model_get_item (G_LIST_MODEL (conversation), 1);
  g_signal_connect_swapped (answer, "notify::text", G_CALLBACK (count_change), &n_text_changes);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) != COHORT_AI_CONVERSATION_STREAMING);

  g_assert_cmpstr (cohort_ai_conversation_get_error_message (conversation), ==, NULL);
  g_assert_cmpint (cohort_ai_conversation_get_state (conversation), ==, COHORT_AI_CONVERSATION_IDLE);
  g_assert_cmpstr (cohort_ai_message_get_text (answer), ==, cohort_fake_llm_hello_text ());
  g_assert_cmpint (cohort_ai_message_get_state (answer), ==, COHORT_AI_MESSAGE_DONE);
  /* Token by token: every content chunk was a change of its own. */
  g_assert_cmpuint (n_text_changes, >=, 7);
  g_assert_cmpint (cohort_ai_conversation_get_used_today (conversation), ==, 1);

  /* What went upstream: the key, the model, streaming, the policy. */
  auth = cohort_fake_llm_dup_last_auth (fake);
  g_assert_cmpstr (auth, ==, "Bearer " COHORT_AI_TEST_KEY);
  body = cohort_fake_llm_dup_last_body (fake);
  g_assert_nonnull (strstr (body, "\"model\":\"fake-model\""));
  g_assert_nonnull (strstr (body, "\"stream\":true"));
  g_assert_nonnull (strstr (body, "Photosynthesis"));
  g_assert_nonnull (strstr (body, "Mention chlorophyll."));
  g_assert_nonnull (strstr (body, "How do plants make food?"));
  /* The pane renders Markdown but shows LaTeX only as code. */
  g_assert_nonnull (strstr (body, "Write math in Unicode characters (x², √2"));
  g_assert_nonnull (strstr (body, "never as LaTeX"));

  /* A conversation made after the join (a class window opened later)
   * learns the state and loads the student's history. */
  {
    g_autoptr(CohortAiConversation) late = cohort_ai_conversation_new (student);
    g_autoptr(CohortAiMessage) first = NULL;

    COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (late)) == 2);
    g_assert_true (cohort_ai_conversation_get_configured (late));
    g_assert_cmpstr (cohort_ai_conversation_get_topic (late), ==, "Photosynthesis");
    g_assert_cmpint (cohort_ai_conversation_get_used_today (late), ==, 1);
    first = g_list_model_get_item (G_LIST_MODEL (late), 0);
    g_assert_cmpstr (cohort_ai_message_get_text (first), ==, "How do plants make food?");
  }

  /* The history comes back after a welcome (a new device of the same
   * student would see the same). */
  {
    g_autoptr(CohortSession) again = cohort_session_new ();
    g_autoptr(CohortAiConversation) reloaded = cohort_ai_conversation_new (again);
    g_autoptr(CohortAiMessage) first = NULL;

    cohort_test_session_join_with (again, cohort_ai_test_server_get_url (server),
                                   cohort_session_get_class_code (teacher), "Kai");
    /* Another student: nothing of Mei's. */
    for (guint i = 0; i < 20; i++)
      g_main_context_iteration (NULL, FALSE);
    g_usleep (100 * 1000);
    while (g_main_context_iteration (NULL, FALSE))
      ;
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 0);
  }
}

/* Upstream failures become clear error replies; the connection and the
 * class carry on; the API key shows up nowhere a client or a log could
 * see it. */
static void
test_failures_and_key (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, "questions-per-minute=100\n");
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(GString) frames = g_string_new (NULL);
  g_autoptr(JsonObject) joined = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  struct {
    CohortFakeLlmScenario scenario;
    const char           *code;
  } cases[] = {
    { COHORT_FAKE_LLM_STATUS_401, "ai_unavailable" },
    { COHORT_FAKE_LLM_STATUS_429, "ai_busy" },
    { COHORT_FAKE_LLM_STATUS_500, "ai_unavailable" },
    { COHORT_FAKE_LLM_ERROR_BEFORE_ANSWER, "ai_unavailable" },
    { COHORT_FAKE_LLM_BAD_JSON, "ai_unavailable" },
    { COHORT_FAKE_LLM_SLOW_FIRST_TOKEN, "ai_timeout" },
  };
  const char *log;

  joined = teacher_setup (server, &teacher, &student);
  collect_frames (teacher, frames);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CohortMessage) reply = NULL;
      g_autoptr(CohortMessage) pong = NULL;

      cohort_fake_llm_set_scenario (fake, cases[i].scenario);
      reply = ask_raw (student, "Why is the sky blue?", frames, NULL);
      assert_error_code (reply, cases[i].code);

      /* The connection survives. */
      pong = cohort_test_client_request_ok (student, COHORT_REQ_PING, NULL);
      g_assert_nonnull (pong);
    }

  /* A missing [DONE] after the model's finish reason still gives the
   * whole answer. */
  {
    g_autoptr(CohortMessage) reply = NULL;
    JsonObject *exchange;
    guint n_progress = 0;

    cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_FINISH_NO_DONE);
    reply = ask_raw (student, "Why is the sky blue?", frames, &n_progress);
    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
    exchange = json_object_get_object_member (cohort_message_get_body (reply), "exchange");
    g_assert_cmpstr (json_object_get_string_member (exchange, "answer"), ==, "Whole answer");
    g_assert_cmpstr (json_object_get_string_member (exchange, "finish"), ==, "stop");
    g_assert_cmpuint (n_progress, ==, 2);
  }

  /* The class carried on: a hand goes up and the teacher sees it, and no
   * AI traffic of any kind. */
  {
    g_autoptr(CohortMessage) raised = cohort_test_client_request_ok (student, COHORT_REQ_HAND_RAISE, NULL);
    g_autoptr(CohortMessage) event = cohort_test_client_next_event (teacher, COHORT_EV_HAND_RAISED);
    g_autoptr(GPtrArray) rest = NULL;

    g_assert_nonnull (event);
    rest = cohort_test_client_drain (teacher, 100);
    /* Other features may react to the hand; nothing of the helper's. */
    for (guint i = 0; i < rest->len; i++)
      {
        CohortMessage *message = g_ptr_array_index (rest, i);

        g_assert_cmpint (cohort_message_get_kind (message), ==, COHORT_MESSAGE_EVENT);
        g_assert_false (g_str_has_prefix (cohort_message_get_name (message), "ai."));
      }
  }

  /* The history is the student's own. */
  {
    g_autoptr(CohortMessage) history = cohort_test_client_request_ok (student, COHORT_REQ_AI_HISTORY, NULL);
    JsonArray *exchanges = json_object_get_array_member (cohort_message_get_body (history), "exchanges");
    g_autoptr(CohortMessage) topics = NULL;
    g_autoptr(CohortMessage) forbidden = NULL;
    g_autofree char *topics_json = NULL;

    g_assert_cmpuint (json_array_get_length (exchanges), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (exchanges, 0), "answer"),
                     ==, "Whole answer");

    g_autoptr(CohortMessage) teacher_history = cohort_test_client_request_ok (teacher, COHORT_REQ_AI_HISTORY, NULL);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cohort_message_get_body (teacher_history),
                                                                           "exchanges")), ==, 0);

    /* The teacher sees topics, never names. */
    topics = cohort_test_client_request_ok (teacher, COHORT_REQ_AI_TOPICS, NULL);
    topics_json = cohort_message_to_json (topics, NULL);
    g_assert_nonnull (strstr (topics_json, "\"word\":\"blue\""));
    g_assert_null (strstr (topics_json, "Mei"));
    g_assert_null (strstr (topics_json, "participant"));

    forbidden = cohort_test_client_request (student, COHORT_REQ_AI_TOPICS, NULL, NULL);
    assert_error_code (forbidden, "forbidden");
  }

  collect_frames (student, frames);
  collect_frames (teacher, frames);
  g_assert_cmpuint (cohort_test_client_get_n_bad_frames (student), ==, 0);
  cohort_test_client_free (student);
  cohort_test_client_free (teacher);

  log = cohort_ai_test_server_stop (server);
  g_test_message ("server log: %" G_GSIZE_FORMAT " bytes, frames: %" G_GSIZE_FORMAT " bytes",
                  strlen (log), frames->len);
  /* The upstream quoted the key in every failure; nothing passed it on. */
  g_assert_nonnull (strstr (log, "HTTP 401"));
  g_assert_null (strstr (log, COHORT_AI_TEST_KEY));
  g_assert_null (strstr (frames->str, COHORT_AI_TEST_KEY));
  g_assert_null (strstr (frames->str, "Incorrect API key"));
  g_assert_nonnull (strstr (frames->str, "ai_busy"));
}

/* Stop aborts the upstream request at once (measured at the upstream). */
static void
test_stop (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, NULL);
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(CohortAiConversation) conversation = cohort_ai_conversation_new (session);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortAiMessage) answer = NULL;
  gint64 stop_time, abort_time;

  cohort_test_session_create_class_with (session, cohort_ai_test_server_get_url (server), "Maths", "Mr Ode");

  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_TOKENS);
  cohort_fake_llm_set_interval (fake, 10);
  cohort_fake_llm_set_n_tokens (fake, 3000);
  g_assert_true (cohort_ai_conversation_ask (conversation, "Count for me"));
  answer = g_list_model_get_item (G_LIST_MODEL (conversation), 1);
  COHORT_TEST_WAIT_UNTIL (strstr (cohort_ai_message_get_text (answer), "tok5 ") != NULL);
  g_assert_cmpuint (cohort_fake_llm_get_n_active (fake), ==, 1);

  stop_time = g_get_monotonic_time ();
  cohort_ai_conversation_stop (conversation);
  g_assert_cmpint (cohort_ai_message_get_state (answer), ==, COHORT_AI_MESSAGE_STOPPED);

  COHORT_TEST_WAIT_UNTIL (cohort_fake_llm_get_n_active (fake) == 0);
  abort_time = cohort_fake_llm_get_last_abort_time (fake);
  g_assert_cmpint (abort_time, >, 0);
  g_test_message ("stop → upstream closed: %.1f ms", (abort_time - stop_time) / 1000.0);
  g_assert_cmpint (abort_time - stop_time, <, 200 * 1000);

  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  g_assert_cmpint (cohort_ai_message_get_state (answer), ==, COHORT_AI_MESSAGE_STOPPED);
  g_assert_nonnull (strstr (cohort_ai_message_get_text (answer), "tok5 "));
  g_assert_null (strstr (cohort_ai_message_get_text (answer), "tok2999"));
  g_assert_true (cohort_ai_conversation_can_retry (conversation));
}

/* The teacher's policy and the daily quota refuse with clear codes. */
static void
test_policy_and_quota (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, "questions-per-minute=3\n");
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(JsonObject) policy = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  g_autofree char *long_text = NULL;

  joined = teacher_setup (server, &teacher, &student);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (joined, "ai"), "configured"));
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);

  /* Students may not set the policy. */
  json_object_set_string_member (policy, "mode", "full");
  reply = cohort_test_client_request (student, COHORT_REQ_AI_POLICY_SET, NULL, policy);
  assert_error_code (reply, "forbidden");
  g_clear_pointer (&reply, cohort_message_unref);

  json_object_set_int_member (policy, "daily_quota", 2);
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_AI_POLICY_SET, policy);
  g_clear_pointer (&reply, cohort_message_unref);
  event = cohort_test_client_next_event (student, COHORT_EV_AI_POLICY);
  g_assert_nonnull (event);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (event), "daily_quota"), ==, 2);
  g_assert_false (json_object_has_member (cohort_message_get_body (event), "notes"));

  /* Bad input: too long, a control character. */
  long_text = g_strnfill (COHORT_AI_MAX_QUESTION_CHARS + 1, 'a');
  reply = ask_raw (student, long_text, NULL, NULL);
  assert_error_code (reply, "invalid");
  g_assert_cmpint (cohort_message_get_reason (reply), ==, COHORT_INVALID_TOO_LARGE);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = ask_raw (student, "bell \x07", NULL, NULL);
  assert_error_code (reply, "invalid");
  g_clear_pointer (&reply, cohort_message_unref);

  for (guint i = 0; i < 2; i++)
    {
      reply = ask_raw (student, "Why do leaves fall?", NULL, NULL);
      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
      g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "used_today"), ==, i + 1);
      g_clear_pointer (&reply, cohort_message_unref);
    }
  reply = ask_raw (student, "And one more?", NULL, NULL);
  assert_error_code (reply, "ai_quota");
  g_clear_pointer (&reply, cohort_message_unref);

  /* The teacher has no quota, but the per-minute rate (3) holds. */
  for (guint i = 0; i < 3; i++)
    {
      reply = ask_raw (teacher, "Check", NULL, NULL);
      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
      g_clear_pointer (&reply, cohort_message_unref);
    }
  reply = ask_raw (teacher, "Check", NULL, NULL);
  assert_error_code (reply, "rate_limited");
  g_clear_pointer (&reply, cohort_message_unref);

  /* Off: refused with ai_disabled. */
  json_object_set_string_member (policy, "mode", "off");
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_AI_POLICY_SET, policy);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = ask_raw (student, "Hello?", NULL, NULL);
  assert_error_code (reply, "ai_disabled");
  g_clear_pointer (&reply, cohort_message_unref);

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

static void
test_not_configured (void)
{
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (NULL);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;

  joined = teacher_setup (server, &teacher, &student);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (joined, "ai"), "configured"));
  reply = ask_raw (student, "Anyone there?", NULL, NULL);
  assert_error_code (reply, "ai_not_configured");

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

/* The quiz lock, through the service's hook, in a server in this process. */
static gboolean
quiz_running (CohortServer *server,
              gint64        class_id,
              gpointer      user_data)
{
  return *(gboolean *) user_data;
}

/* identity: an in-process server's staff account, for the shared helpers
 * that start classes (tests/common). */
static void
test_quiz_lock (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autoptr(CohortAiConfig) config = cohort_ai_config_new_defaults ();
  g_autoptr(CohortStore) store = NULL;
  g_autoptr(CohortServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cohort-ai-quiz-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "cohort.db", NULL);
  g_autofree char *url = NULL;
  CohortTestClient *teacher, *student;
  gboolean running = TRUE;

  store = cohort_store_open (db, &error);
  g_assert_no_error (error);
  server = cohort_assembly_new_server (COHORT_STORE (store));
  config->base_url = g_strdup (cohort_fake_llm_get_base_url (fake));
  config->model = g_strdup ("fake-model");
  cohort_ai_service_configure (server, config);
  cohort_ai_service_set_quiz_lock_func (COHORT_AI_SERVICE (_cohort_server_get_service (server, COHORT_TYPE_AI_SERVICE)),
                                        quiz_running, &running);
  url = cohort_test_in_process_listen (server, COHORT_STORE (store));

  teacher = cohort_test_client_new (url);
  student = cohort_test_client_new (url);
  created = cohort_test_client_create_class (teacher, "Quiz time", "Ms Li");
  joined = cohort_test_client_join (student,
                                    json_object_get_string_member (json_object_get_object_member (created, "class"), "code"),
                                    "Mei", NULL);

  reply = ask_raw (student, "What is the answer to question 3?", NULL, NULL);
  assert_error_code (reply, "ai_quiz_lock");
  g_clear_pointer (&reply, cohort_message_unref);
  g_assert_cmpuint (cohort_fake_llm_get_n_requests (fake), ==, 0);

  /* A quiz that starts mid-answer stops the answer. */
  running = FALSE;
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_TOKENS);
  cohort_fake_llm_set_n_tokens (fake, 50);
  {
    g_autoptr(JsonObject) body = json_object_new ();
    g_autoptr(CohortMessage) request = NULL;
    g_autofree char *frame = NULL;
    g_autoptr(CohortMessage) progress = NULL;

    json_object_set_string_member (body, "text", "Count");
    request = cohort_message_new_request (COHORT_REQ_AI_ASK, "ask-1", body);
    frame = cohort_message_to_json (request, NULL);
    cohort_test_client_send_text (student, frame);
    g_usleep (50 * 1000);
    running = TRUE;
    reply = cohort_test_client_wait_reply (student, "ask-1");
    assert_error_code (reply, "ai_quiz_lock");
    g_clear_pointer (&reply, cohort_message_unref);
  }

  running = FALSE;
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  reply = ask_raw (student, "Now?", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
  g_clear_object (&server);
  cohort_store_close (COHORT_STORE (store), NULL);
}

static const char *
exchange_finish (CohortMessage *reply)
{
  JsonObject *exchange = json_object_get_object_member (cohort_message_get_body (reply), "exchange");

  return json_object_get_string_member (exchange, "finish");
}

static const char *
exchange_answer (CohortMessage *reply)
{
  JsonObject *exchange = json_object_get_object_member (cohort_message_get_body (reply), "exchange");

  return json_object_get_string_member (exchange, "answer");
}

static void
on_answer_notify (CohortAiMessage *answer,
                  GParamSpec      *pspec,
                  gboolean        *saw_thinking)
{
  /* "Thinking…" only while no answer text has come. */
  if (cohort_ai_message_get_thinking (answer))
    {
      g_assert_cmpstr (cohort_ai_message_get_text (answer), ==, "");
      *saw_thinking = TRUE;
    }
}

/* A reasoning model thinks for 2 s (reasoning chunks, or only keep-alive
 * comments) before its first answer token, with a first-token timeout of
 * 1 s: the signs of life keep the answer alive, and the student is told
 * that the helper is thinking, without the reasoning itself. */
static void
test_reasoning_liveness (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, "questions-per-minute=100\n");
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(JsonObject) joined = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  CohortFakeLlmScenario scenarios[] = { COHORT_FAKE_LLM_REASONING, COHORT_FAKE_LLM_KEEPALIVE };

  joined = teacher_setup (server, &teacher, &student);

  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autoptr(GString) frames = g_string_new (NULL);
      g_autoptr(CohortMessage) reply = NULL;
      const char *thinking, *delta;

      cohort_fake_llm_set_scenario (fake, scenarios[i]);
      reply = ask_raw (student, "What is six times seven?", frames, NULL);
      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
      g_assert_cmpstr (exchange_answer (reply), ==, COHORT_FAKE_LLM_LATE_ANSWER);
      g_assert_cmpstr (exchange_finish (reply), ==, "stop");

      /* One "thinking" progress, before the first piece of the answer. */
      thinking = strstr (frames->str, "\"phase\":\"thinking\"");
      delta = strstr (frames->str, "\"delta\":");
      g_assert_nonnull (thinking);
      g_assert_nonnull (delta);
      g_assert_true (thinking < delta);
      g_assert_null (strstr (thinking + 1, "\"phase\":\"thinking\""));
      /* The reasoning is not forwarded. */
      g_assert_null (strstr (frames->str, "Let me think"));
    }

  /* The same through CohortAiConversation: the answer is "thinking" until
   * its first token, then not. */
  {
    g_autoptr(CohortSession) session = cohort_session_new ();
    g_autoptr(CohortAiConversation) conversation = cohort_ai_conversation_new (session);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CohortAiMessage) answer = NULL;
    gboolean saw_thinking = FALSE;

    cohort_test_session_join_with (session, cohort_ai_test_server_get_url (server),
                                   json_object_get_string_member (json_object_get_object_member (joined, "class"), "code"), "Kai");

    cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_REASONING);
    g_assert_true (cohort_ai_conversation_ask (conversation, "What is six times seven?"));
    answer = g_list_model_get_item (G_LIST_MODEL (conversation), 1);
    g_signal_connect (answer, "notify", G_CALLBACK (on_answer_notify), &saw_thinking);
    COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) != COHORT_AI_CONVERSATION_STREAMING);
    g_assert_true (saw_thinking);
    g_assert_false (cohort_ai_message_get_thinking (answer));
    g_assert_cmpstr (cohort_ai_message_get_text (answer), ==, COHORT_FAKE_LLM_LATE_ANSWER);
    g_assert_cmpint (cohort_ai_message_get_state (answer), ==, COHORT_AI_MESSAGE_DONE);
  }

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

/* An upstream that breaks off mid-answer (the connection cut without the
 * chunked terminator, an "event: error", vLLM's {"object": "error"}, an
 * {"error": …} chunk, an end without [DONE] or a finish reason) gives a
 * partial answer stored as cut_short, never as a complete "stop"; the
 * server logs it with the class, never the key. */
static void
test_cut_short (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, "questions-per-minute=100\n");
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(GString) frames = g_string_new (NULL);
  g_autoptr(JsonObject) joined = NULL;
  g_autofree char *class_note = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  struct {
    CohortFakeLlmScenario  scenario;
    const char            *answer;
  } cases[] = {
    { COHORT_FAKE_LLM_CLOSE_MID_ANSWER, "Half an answer" },
    { COHORT_FAKE_LLM_ERROR_EVENT, "Half an answer" },
    { COHORT_FAKE_LLM_OBJECT_ERROR, "Half an answer" },
    { COHORT_FAKE_LLM_ERROR_OBJECT, "Partial answer" },
    { COHORT_FAKE_LLM_NO_DONE, "No done" },
  };
  const char *log;

  joined = teacher_setup (server, &teacher, &student);
  class_note = g_strdup_printf ("class %" G_GINT64_FORMAT,
                                json_object_get_int_member (json_object_get_object_member (joined, "class"), "id"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CohortMessage) reply = NULL;

      cohort_fake_llm_set_scenario (fake, cases[i].scenario);
      reply = ask_raw (student, "Why is the sky blue?", frames, NULL);
      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
      g_assert_cmpstr (exchange_answer (reply), ==, cases[i].answer);
      g_assert_cmpstr (exchange_finish (reply), ==, "cut_short");
      /* Offered a retry, so not counted against the student. */
      g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "used_today"), ==, 0);
    }

  /* Stored as cut short. */
  {
    g_autoptr(CohortMessage) history = cohort_test_client_request_ok (student, COHORT_REQ_AI_HISTORY, NULL);
    JsonArray *exchanges = json_object_get_array_member (cohort_message_get_body (history), "exchanges");

    g_assert_cmpuint (json_array_get_length (exchanges), ==, G_N_ELEMENTS (cases));
    for (guint i = 0; i < json_array_get_length (exchanges); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (exchanges, i), "finish"),
                       ==, "cut_short");
  }

  /* The student's conversation shows it cut short, with a retry. */
  {
    g_autoptr(CohortSession) session = cohort_session_new ();
    g_autoptr(CohortAiConversation) conversation = cohort_ai_conversation_new (session);
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(CohortAiMessage) answer = NULL;

    cohort_test_session_join_with (session, cohort_ai_test_server_get_url (server),
                                   json_object_get_string_member (json_object_get_object_member (joined, "class"), "code"), "Kai");

    cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_ERROR_EVENT);
    g_assert_true (cohort_ai_conversation_ask (conversation, "Why is the sky blue?"));
    answer = g_list_model_get_item (G_LIST_MODEL (conversation), 1);
    COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) != COHORT_AI_CONVERSATION_STREAMING);
    g_assert_cmpint (cohort_ai_message_get_state (answer), ==, COHORT_AI_MESSAGE_CUT_SHORT);
    g_assert_cmpstr (cohort_ai_message_get_text (answer), ==, "Half an answer");
    g_assert_true (cohort_ai_conversation_can_retry (conversation));
  }

  collect_frames (teacher, frames);
  collect_frames (student, frames);
  log = cohort_ai_test_server_stop (server);
  g_assert_nonnull (strstr (log, "cut short"));
  g_assert_nonnull (strstr (log, class_note));
  g_assert_null (strstr (log, COHORT_AI_TEST_KEY));
  g_assert_null (strstr (frames->str, COHORT_AI_TEST_KEY));

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

/* An upstream that ignores "stream": true and answers with one JSON
 * chat.completion object: the answer is shown, not lost. */
static void
test_json_answer (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, NULL);
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(GString) frames = g_string_new (NULL);
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  guint n_progress = 0;

  joined = teacher_setup (server, &teacher, &student);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_JSON_ANSWER);
  reply = ask_raw (student, "Say it all at once", frames, &n_progress);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_cmpstr (exchange_answer (reply), ==, COHORT_FAKE_LLM_JSON_TEXT);
  g_assert_cmpstr (exchange_finish (reply), ==, "stop");
  /* It reached the pane as progress too. */
  g_assert_cmpuint (n_progress, >=, 1);
  g_assert_nonnull (strstr (frames->str, "\"delta\":\"" COHORT_FAKE_LLM_JSON_TEXT "\""));

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

/* One 1 MiB token in one SSE data line is cut at the 48 KiB answer limit
 * (finish "length"), not turned into ai_unavailable. */
static void
test_huge_token (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, NULL);
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) pong = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  const char *answer;

  joined = teacher_setup (server, &teacher, &student);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HUGE_TOKEN);
  reply = ask_raw (student, "Say x a lot", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_cmpstr (exchange_finish (reply), ==, "length");
  answer = exchange_answer (reply);
  g_assert_cmpuint (strlen (answer), ==, 48 * 1024);
  g_assert_cmpuint (strspn (answer, "x"), ==, 48 * 1024);

  pong = cohort_test_client_request_ok (student, COHORT_REQ_PING, NULL);
  g_assert_nonnull (pong);

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

static CohortTestClient *
resume (const char *url,
        const char *token)
{
  CohortTestClient *client = cohort_test_client_new (url);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "token", token);
  json_object_set_int_member (body, "last_seq", 0);
  reply = cohort_test_client_request_ok (client, COHORT_REQ_RESUME, body);
  g_ptr_array_unref (cohort_test_client_drain (client, 50));

  return client;
}

static void
assert_quota (CohortMessage *reply,
              const char    *scope,
              const char    *words)
{
  assert_error_code (reply, "ai_quota");
  g_assert_cmpstr (cohort_message_get_field (reply), ==, scope);
  g_assert_nonnull (strstr (cohort_message_get_error_message (reply), words));
}

static void
assert_asks_ok (CohortTestClient *client,
                guint             n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortMessage) reply = ask_raw (client, "Why do leaves fall?", NULL, NULL);

      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
    }
}

/* Daily quotas per student, per class and for the whole server, from the
 * [ai] group, counted in the store: a restart keeps them. The teacher can
 * lower the per-student quota, never raise it past the server's. */
/* test_quotas: the scenario's state, taken through the stages below. */
typedef struct
{
  CohortFakeLlm        *fake;
  char                 *group;
  CohortAiTestServer   *server;
  JsonObject           *created_a;
  JsonObject           *created_b;
  JsonObject           *joined;
  JsonObject           *policy;
  CohortMessage        *reply;
  CohortTestClient     *teacher_a;
  CohortTestClient     *teacher_b;
  CohortTestClient     *mei;
  CohortTestClient     *kai;
  CohortTestClient     *ana;
  CohortTestClient     *bo;
  char                 *mei_token;
  char                 *ana_token;
  char                 *bo_token;
  char                 *code_a;
  char                 *code_b;
  const char           *url;
} Quotas;

static void
quotas_setup (Quotas *st)
{
  st->fake = cohort_fake_llm_new ();
  st->group = ai_group (st->fake, "questions-per-minute=100\n"
                                           "max-questions-per-student-per-day=3\n"
                                           "max-questions-per-class-per-day=5\n"
                                           "max-questions-per-server-per-day=7\n");
  st->server = cohort_ai_test_server_start (st->group);
  st->policy = json_object_new ();
  st->url = cohort_ai_test_server_get_url (st->server);
  cohort_fake_llm_set_scenario (st->fake, COHORT_FAKE_LLM_HELLO);
  st->teacher_a = cohort_test_client_new (st->url);
  st->teacher_b = cohort_test_client_new (st->url);
  st->created_a = cohort_test_client_create_class (st->teacher_a, "Biology", "Ms Li");
  st->created_b = cohort_test_client_create_class (st->teacher_b, "History", "Mr Wu");
  st->code_a = g_strdup (json_object_get_string_member (json_object_get_object_member (st->created_a, "class"), "code"));
  st->code_b = g_strdup (json_object_get_string_member (json_object_get_object_member (st->created_b, "class"), "code"));

  st->mei = cohort_test_client_new (st->url);
  st->joined = cohort_test_client_join (st->mei, st->code_a, "Mei", NULL);
  st->mei_token = g_strdup (json_object_get_string_member (st->joined, "token"));
}

static void
quotas_teardown (Quotas *st)
{
  g_clear_pointer (&st->code_b, g_free);
  g_clear_pointer (&st->code_a, g_free);
  g_clear_pointer (&st->bo_token, g_free);
  g_clear_pointer (&st->ana_token, g_free);
  g_clear_pointer (&st->mei_token, g_free);
  g_clear_pointer (&st->reply, cohort_message_unref);
  g_clear_pointer (&st->policy, json_object_unref);
  g_clear_pointer (&st->joined, json_object_unref);
  g_clear_pointer (&st->created_b, json_object_unref);
  g_clear_pointer (&st->created_a, json_object_unref);
  g_clear_pointer (&st->server, cohort_ai_test_server_free);
  g_clear_pointer (&st->group, g_free);
  g_clear_pointer (&st->fake, cohort_fake_llm_free);
}

/* The state tells the client the server's ceiling. */
static void
quotas_state_ceiling (Quotas *st)
{
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (st->joined, "ai"), "max_daily_quota"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (st->joined, "ai"), "daily_quota"), ==, 3);
  g_clear_pointer (&st->joined, json_object_unref);
  st->kai = cohort_test_client_new (st->url);
  st->joined = cohort_test_client_join (st->kai, st->code_a, "Kai", NULL);
  g_clear_pointer (&st->joined, json_object_unref);
  st->ana = cohort_test_client_new (st->url);
  st->joined = cohort_test_client_join (st->ana, st->code_a, "Ana", NULL);
  st->ana_token = g_strdup (json_object_get_string_member (st->joined, "token"));
  g_clear_pointer (&st->joined, json_object_unref);
  st->bo = cohort_test_client_new (st->url);
  st->joined = cohort_test_client_join (st->bo, st->code_b, "Bo", NULL);
  st->bo_token = g_strdup (json_object_get_string_member (st->joined, "token"));
  g_clear_pointer (&st->joined, json_object_unref);
}

/* The teacher cannot raise the per-student quota past the server's… */
static void
quotas_no_raise (Quotas *st)
{
  json_object_set_string_member (st->policy, "mode", "hints");
  json_object_set_int_member (st->policy, "daily_quota", 10);
  st->reply = cohort_test_client_request (st->teacher_a, COHORT_REQ_AI_POLICY_SET, NULL, st->policy);
  assert_error_code (st->reply, "invalid");
  g_assert_cmpint (cohort_message_get_reason (st->reply), ==, COHORT_INVALID_OUT_OF_RANGE);
  g_assert_cmpstr (cohort_message_get_field (st->reply), ==, "daily_quota");
  g_clear_pointer (&st->reply, cohort_message_unref);
}

/* …nor lift it with 0 ("no limit" of the class): the server's holds. */
static void
quotas_no_lift (Quotas *st)
{
  json_object_set_int_member (st->policy, "daily_quota", 0);
  st->reply = cohort_test_client_request_ok (st->teacher_a, COHORT_REQ_AI_POLICY_SET, st->policy);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (cohort_message_get_body (st->reply), "policy"),
                                               "daily_quota"), ==, 3);
  g_clear_pointer (&st->reply, cohort_message_unref);
}

/* …but can lower it. */
static void
quotas_can_lower (Quotas *st)
{
  json_object_set_int_member (st->policy, "daily_quota", 2);
  st->reply = cohort_test_client_request_ok (st->teacher_a, COHORT_REQ_AI_POLICY_SET, st->policy);
  g_clear_pointer (&st->reply, cohort_message_unref);
}

/* Per student: Mei has 2. */
static void
quotas_per_student (Quotas *st)
{
  assert_asks_ok (st->mei, 2);
  st->reply = ask_raw (st->mei, "One more?", NULL, NULL);
  assert_quota (st->reply, "student", "You have used");
  g_clear_pointer (&st->reply, cohort_message_unref);
}

/* Per class: 5 in class A. */
static void
quotas_per_class (Quotas *st)
{
  assert_asks_ok (st->kai, 2);
  assert_asks_ok (st->ana, 1);
  st->reply = ask_raw (st->ana, "One more?", NULL, NULL);
  assert_quota (st->reply, "class", "Your class has used");
  g_clear_pointer (&st->reply, cohort_message_unref);
}

/* A restart keeps both. */
static void
quotas_restart_keeps (Quotas *st)
{
  cohort_test_client_free (st->mei);
  cohort_test_client_free (st->kai);
  cohort_test_client_free (st->ana);
  cohort_test_client_free (st->bo);
  cohort_test_client_free (st->teacher_a);
  cohort_test_client_free (st->teacher_b);
  st->url = cohort_ai_test_server_restart (st->server);
  st->mei = resume (st->url, st->mei_token);
  st->ana = resume (st->url, st->ana_token);
  st->bo = resume (st->url, st->bo_token);
  st->reply = ask_raw (st->mei, "One more?", NULL, NULL);
  assert_quota (st->reply, "student", "You have used");
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = ask_raw (st->ana, "One more?", NULL, NULL);
  assert_quota (st->reply, "class", "Your class has used");
  g_clear_pointer (&st->reply, cohort_message_unref);
}

/* For the whole server: 7; class B still has room, the server not. */
static void
quotas_whole_server (Quotas *st)
{
  assert_asks_ok (st->bo, 2);
  st->reply = ask_raw (st->bo, "One more?", NULL, NULL);
  assert_quota (st->reply, "server", "whole school");
  g_clear_pointer (&st->reply, cohort_message_unref);

  cohort_test_client_free (st->mei);
  cohort_test_client_free (st->ana);
  cohort_test_client_free (st->bo);
  st->url = cohort_ai_test_server_restart (st->server);
  st->bo = resume (st->url, st->bo_token);
  st->reply = ask_raw (st->bo, "One more?", NULL, NULL);
  assert_quota (st->reply, "server", "whole school");
  g_clear_pointer (&st->reply, cohort_message_unref);
  cohort_test_client_free (st->bo);
}

static const CohortTestStageFunc quotas_stages[] = {
  (CohortTestStageFunc) quotas_state_ceiling,
  (CohortTestStageFunc) quotas_no_raise,
  (CohortTestStageFunc) quotas_no_lift,
  (CohortTestStageFunc) quotas_can_lower,
  (CohortTestStageFunc) quotas_per_student,
  (CohortTestStageFunc) quotas_per_class,
  (CohortTestStageFunc) quotas_restart_keeps,
  (CohortTestStageFunc) quotas_whole_server,
};

static const char *quotas_cases[] = {
  "state-ceiling",
  "no-raise",
  "no-lift",
  "can-lower",
  "per-student",
  "per-class",
  "restart-keeps",
  "whole-server",
};

/* Asks under @id, waits for the first piece of the answer and drops the
 * connection, as a student whose laptop sleeps does, or one who tries to
 * get answers without spending questions. */
static void
ask_and_drop (CohortTestClient *client,
              CohortFakeLlm    *fake,
              const char       *id)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) request = NULL;
  g_autofree char *frame = NULL;
  gboolean progressed = FALSE;

  json_object_set_string_member (body, "text", "Count for me");
  request = cohort_message_new_request (COHORT_REQ_AI_ASK, id, body);
  frame = cohort_message_to_json (request, NULL);
  cohort_test_client_send_text (client, frame);

  for (guint attempts = 0; attempts < 200 && !progressed; attempts++)
    {
      g_autoptr(GPtrArray) messages = cohort_test_client_drain (client, 50);

      for (guint i = 0; i < messages->len; i++)
        progressed |= cohort_message_get_kind (g_ptr_array_index (messages, i)) == COHORT_MESSAGE_PROGRESS;
    }
  g_assert_true (progressed);

  cohort_test_client_drop (client);
  COHORT_TEST_WAIT_UNTIL (cohort_fake_llm_get_n_active (fake) == 0);
}

/* An answer aborted because its student left still spends a question
 * (the upstream did the work), so leaving mid-answer cannot get round the
 * daily quota; the outbox's resend of the same question after the
 * reconnect does not spend a second one. */
static void
test_quota_survives_drops (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, "questions-per-minute=100\n"
                                           "max-questions-per-student-per-day=3\n");
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  const char *url = cohort_ai_test_server_get_url (server);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autofree char *token = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;

  joined = teacher_setup (server, &teacher, &student);
  token = g_strdup (json_object_get_string_member (joined, "token"));
  /* Slow enough for ask_and_drop()'s drain to see a pause after the
   * first token; the whole answer would take 100 s. */
  cohort_fake_llm_set_n_tokens (fake, 500);
  cohort_fake_llm_set_interval (fake, 200);

  /* Dropped, then the same question again: one question. */
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_TOKENS);
  ask_and_drop (student, fake, "ask-q1");
  cohort_test_client_free (student);
  student = resume (url, token);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  reply = ask_raw_id (student, "ask-q1", "Count for me", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "used_today"), ==, 1);
  g_clear_pointer (&reply, cohort_message_unref);

  /* Dropped and never asked again: spent all the same. */
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_TOKENS);
  ask_and_drop (student, fake, "ask-q2");
  cohort_test_client_free (student);
  student = resume (url, token);

  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  reply = ask_raw_id (student, "ask-q3", "Count for me", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "used_today"), ==, 3);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = ask_raw_id (student, "ask-q4", "Count for me", NULL, NULL);
  assert_quota (reply, "student", "You have used");
  g_clear_pointer (&reply, cohort_message_unref);

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

/* Per-minute rates per class and for the whole server, beside the
 * per-student one, with their own messages. */
static void
test_rates (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, "questions-per-minute=100\n"
                                           "questions-per-minute-per-class=2\n"
                                           "questions-per-minute-per-server=3\n");
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  const char *url = cohort_ai_test_server_get_url (server);
  g_autoptr(JsonObject) created_a = NULL;
  g_autoptr(JsonObject) created_b = NULL;
  g_autoptr(JsonObject) j1 = NULL;
  g_autoptr(JsonObject) j2 = NULL;
  g_autoptr(JsonObject) j3 = NULL;
  g_autoptr(JsonObject) j4 = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  CohortTestClient *teacher_a, *teacher_b, *mei, *kai, *bo, *li;

  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  teacher_a = cohort_test_client_new (url);
  teacher_b = cohort_test_client_new (url);
  created_a = cohort_test_client_create_class (teacher_a, "Biology", "Ms Li");
  created_b = cohort_test_client_create_class (teacher_b, "History", "Mr Wu");
  mei = cohort_test_client_new (url);
  kai = cohort_test_client_new (url);
  bo = cohort_test_client_new (url);
  li = cohort_test_client_new (url);
  j1 = cohort_test_client_join (mei, json_object_get_string_member (json_object_get_object_member (created_a, "class"), "code"), "Mei", NULL);
  j2 = cohort_test_client_join (kai, json_object_get_string_member (json_object_get_object_member (created_a, "class"), "code"), "Kai", NULL);
  j3 = cohort_test_client_join (bo, json_object_get_string_member (json_object_get_object_member (created_b, "class"), "code"), "Bo", NULL);
  j4 = cohort_test_client_join (li, json_object_get_string_member (json_object_get_object_member (created_b, "class"), "code"), "Li", NULL);

  assert_asks_ok (mei, 1);
  assert_asks_ok (kai, 1);
  reply = ask_raw (kai, "Again?", NULL, NULL);
  assert_error_code (reply, "rate_limited");
  g_assert_nonnull (strstr (cohort_message_get_error_message (reply), "Your class"));
  g_clear_pointer (&reply, cohort_message_unref);

  assert_asks_ok (bo, 1);
  reply = ask_raw (li, "Me too?", NULL, NULL);
  assert_error_code (reply, "rate_limited");
  g_assert_nonnull (strstr (cohort_message_get_error_message (reply), "whole school"));
  g_clear_pointer (&reply, cohort_message_unref);

  cohort_test_client_free (mei);
  cohort_test_client_free (kai);
  cohort_test_client_free (bo);
  cohort_test_client_free (li);
  cohort_test_client_free (teacher_a);
  cohort_test_client_free (teacher_b);
}

/* identity: the school's AI key is spent only on classes staff started; a
 * class without a staff owner (made before staff accounts) is refused. */
static void
test_staff_classes_only (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, "");
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autofree char *db = cohort_ai_test_server_get_db_path (server);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autofree char *sql = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;

  joined = teacher_setup (server, &teacher, &student);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  reply = ask_raw (student, "Why is the sky blue?", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);

  sql = g_strdup_printf ("DELETE FROM class_access WHERE class_id = %" G_GINT64_FORMAT,
                         json_object_get_int_member (json_object_get_object_member (joined, "class"), "id"));
  cohort_test_db_exec (db, sql);
  reply = ask_raw (student, "And the sea?", NULL, NULL);
  assert_error_code (reply, "ai_disabled");

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

/* identity: once the staff account that owns the class is revoked, the
 * helper refuses its students the same way as a class no staff started. */
static void
test_revoked_owner_refused (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, "");
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autofree char *db = cohort_ai_test_server_get_db_path (server);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;

  joined = teacher_setup (server, &teacher, &student);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  reply = ask_raw (student, "Why is the sky blue?", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);

  cohort_test_db_exec (db, "UPDATE staff SET revoked_at = 1");
  reply = ask_raw (student, "And the sea?", NULL, NULL);
  assert_error_code (reply, "ai_disabled");

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

/* identity: a known student who comes back by personal code, on another
 * device, is the same participant, so their daily quota is not reset. */
static void
test_quota_follows_identity (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, "");
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  const char *url = cohort_ai_test_server_get_url (server);
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) policy = json_object_new ();
  g_autoptr(JsonObject) import = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  JsonArray *students = json_array_new ();
  JsonObject *sam = json_object_new ();
  CohortTestClient *teacher = cohort_test_client_new (url);
  CohortTestClient *device_a = cohort_test_client_new (url);
  CohortTestClient *device_b = cohort_test_client_new (url);
  g_autofree char *code = NULL;
  gint64 sam_id;

  created = cohort_test_client_create_class (teacher, "Biology", "Ms Li");
  json_object_set_string_member (sam, "name", "Sam");
  json_array_add_object_element (students, sam);
  json_object_set_array_member (import, "students", students);
  reply = cohort_test_client_request_ok (teacher, "roster.import", import);
  {
    JsonObject *row = json_array_get_object_element (
      json_object_get_array_member (cohort_message_get_body (reply), "students"), 0);

    code = g_strdup (json_object_get_string_member (row, "personal_code"));
    sam_id = json_object_get_int_member (row, "participant_id");
  }
  g_clear_pointer (&reply, cohort_message_unref);

  json_object_set_string_member (policy, "mode", "full");
  json_object_set_int_member (policy, "daily_quota", 1);
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_AI_POLICY_SET, policy);
  g_clear_pointer (&reply, cohort_message_unref);

  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  first = cohort_test_client_join (device_a, code, "Sam", NULL);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (first, "you"), "id"), ==, sam_id);
  reply = ask_raw (device_a, "Why do leaves fall?", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);

  /* Another device, another name typed: the same Sam, the same count. */
  second = cohort_test_client_join (device_b, code, "Not Sam", NULL);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (second, "you"), "id"), ==, sam_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (second, "you"), "name"), ==, "Sam");
  reply = ask_raw (device_b, "And flowers?", NULL, NULL);
  assert_error_code (reply, "ai_quota");

  cohort_test_client_free (device_b);
  cohort_test_client_free (device_a);
  cohort_test_client_free (teacher);
}


/* Conversations */

/* ai.ask with @json (its body, as JSON text), answered ok; the exchange. */
static JsonObject *
ask_ok (CohortTestClient *client,
        const char       *json)
{
  g_autoptr(JsonObject) body = cohort_test_client_ok_json (client, COHORT_REQ_AI_ASK, json);

  return json_object_ref (json_object_get_object_member (body, "exchange"));
}

static CohortMessage *
request_json (CohortTestClient *client,
              const char       *type,
              const char       *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return cohort_test_client_request (client, type, NULL, json_node_get_object (json_parser_get_root (parser)));
}

/* The questions of the history of @conversation_id, oldest first, as
 * "a|b|c". */
static char *
history_questions (CohortTestClient *client,
                   gint64            conversation_id)
{
  g_autofree char *json = g_strdup_printf ("{\"conversation_id\": %" G_GINT64_FORMAT "}", conversation_id);
  g_autoptr(JsonObject) body = cohort_test_client_ok_json (client, COHORT_REQ_AI_HISTORY, json);
  JsonArray *exchanges = json_object_get_array_member (body, "exchanges");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) questions = NULL;

  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body, "conversation"), "id"),
                   ==, conversation_id);
  for (guint i = 0; i < json_array_get_length (exchanges); i++)
    g_strv_builder_add (builder, json_object_get_string_member (json_array_get_object_element (exchanges, i),
                                                                "question"));
  questions = g_strv_builder_end (builder);
  return g_strjoinv ("|", questions);
}

/* A student starts conversations, sees them listed, goes back to one
 * (its own context upstream) and deletes one; nobody else sees or
 * touches them, the teacher included; bad ids are refused. */
static void
test_conversations (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, NULL);
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) third = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autofree char *upstream = NULL;
  g_autofree char *questions = NULL;
  g_autofree char *json = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  CohortTestClient *other = NULL;
  JsonArray *conversations;
  gint64 c1, c2;

  joined = teacher_setup (server, &teacher, &student);
  other = cohort_test_client_new (cohort_ai_test_server_get_url (server));
  {
    g_autoptr(JsonObject) kai = cohort_test_client_join (other,
                                                         json_object_get_string_member (json_object_get_object_member (joined, "class"), "code"),
                                                         "Kai", NULL);
  }
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);

  /* Without a conversation: the latest, made on the first answer. */
  first = ask_ok (student, "{\"text\": \"What is osmosis?\\nIn plants.\"}");
  c1 = json_object_get_int_member (first, "conversation_id");
  g_assert_cmpint (c1, >, 0);

  /* A new conversation starts with no earlier context upstream. */
  second = ask_ok (student, "{\"text\": \"Who was Newton?\", \"new_conversation\": true}");
  c2 = json_object_get_int_member (second, "conversation_id");
  g_assert_cmpint (c2, !=, c1);
  upstream = cohort_fake_llm_dup_last_body (fake);
  g_assert_null (strstr (upstream, "osmosis"));
  g_clear_pointer (&upstream, g_free);

  /* Back to the first one: its context, not the second's. */
  json = g_strdup_printf ("{\"text\": \"And in animals?\", \"conversation_id\": %" G_GINT64_FORMAT "}", c1);
  third = ask_ok (student, json);
  g_assert_cmpint (json_object_get_int_member (third, "conversation_id"), ==, c1);
  upstream = cohort_fake_llm_dup_last_body (fake);
  g_assert_nonnull (strstr (upstream, "What is osmosis?"));
  g_assert_null (strstr (upstream, "Newton"));

  /* Listed, last used first, titled by the first question's first line. */
  list = cohort_test_client_ok_json (student, COHORT_REQ_AI_CONVERSATIONS, "{}");
  conversations = json_object_get_array_member (list, "conversations");
  g_assert_cmpuint (json_array_get_length (conversations), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (conversations, 0), "id"), ==, c1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conversations, 0), "title"),
                   ==, "What is osmosis?");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (conversations, 0), "exchanges"),
                   ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conversations, 1), "title"),
                   ==, "Who was Newton?");
  questions = history_questions (student, c1);
  g_assert_cmpstr (questions, ==, "What is osmosis?\nIn plants.|And in animals?");
  g_clear_pointer (&questions, g_free);

  /* Without conversation_id, the history is the latest conversation's. */
  {
    g_autoptr(JsonObject) body = cohort_test_client_ok_json (student, COHORT_REQ_AI_HISTORY, "{}");

    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body, "conversation"), "id"),
                     ==, c1);
  }

  /* Another student and the teacher see none of it and touch nothing. */
  for (guint i = 0; i < 2; i++)
    {
      CohortTestClient *stranger = i == 0 ? other : teacher;
      g_autoptr(JsonObject) theirs = cohort_test_client_ok_json (stranger, COHORT_REQ_AI_CONVERSATIONS, "{}");
      g_autoptr(JsonObject) history = cohort_test_client_ok_json (stranger, COHORT_REQ_AI_HISTORY, "{}");
      g_autofree char *by_id = g_strdup_printf ("{\"conversation_id\": %" G_GINT64_FORMAT "}", c1);
      g_autofree char *ask_there = g_strdup_printf ("{\"text\": \"Hi\", \"conversation_id\": %" G_GINT64_FORMAT "}", c1);
      g_autofree char *replace = g_strdup_printf ("{\"text\": \"Hi\", \"replaces\": %" G_GINT64_FORMAT "}",
                                                  json_object_get_int_member (first, "id"));

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (theirs, "conversations")), ==, 0);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (history, "exchanges")), ==, 0);
      g_assert_true (json_object_get_null_member (history, "conversation"));
      reply = request_json (stranger, COHORT_REQ_AI_HISTORY, by_id);
      cohort_test_client_assert_error (reply, "not_found", "conversation_id");
      g_clear_pointer (&reply, cohort_message_unref);
      reply = request_json (stranger, COHORT_REQ_AI_CONVERSATION_DELETE, by_id);
      cohort_test_client_assert_error (reply, "not_found", "conversation_id");
      g_clear_pointer (&reply, cohort_message_unref);
      reply = request_json (stranger, COHORT_REQ_AI_ASK, ask_there);
      cohort_test_client_assert_error (reply, "not_found", "conversation_id");
      g_clear_pointer (&reply, cohort_message_unref);
      reply = request_json (stranger, COHORT_REQ_AI_ASK, replace);
      cohort_test_client_assert_error (reply, "not_found", "replaces");
      g_clear_pointer (&reply, cohort_message_unref);
    }

  /* Bad input: refused, the connection carries on. */
  reply = request_json (student, COHORT_REQ_AI_CONVERSATION_DELETE, "{\"conversation_id\": \"1\"}");
  cohort_test_client_assert_error (reply, "invalid", "conversation_id");
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request_json (student, COHORT_REQ_AI_CONVERSATION_DELETE, "{}");
  cohort_test_client_assert_error (reply, "invalid", "conversation_id");
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request_json (student, COHORT_REQ_AI_HISTORY, "{\"conversation_id\": 0}");
  cohort_test_client_assert_error (reply, "invalid", "conversation_id");
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request_json (student, COHORT_REQ_AI_ASK, "{\"text\": \"x\", \"new_conversation\": 1}");
  cohort_test_client_assert_error (reply, "invalid", "new_conversation");
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request_json (student, COHORT_REQ_AI_CONVERSATIONS, "{\"limit\": 1000}");
  cohort_test_client_assert_error (reply, "invalid", "limit");
  g_clear_pointer (&reply, cohort_message_unref);

  /* Deleted: gone from the list and the history; today's questions
   * still count. */
  g_clear_pointer (&json, g_free);
  json = g_strdup_printf ("{\"conversation_id\": %" G_GINT64_FORMAT "}", c1);
  g_clear_pointer (&list, json_object_unref);
  list = cohort_test_client_ok_json (student, COHORT_REQ_AI_CONVERSATION_DELETE, json);
  g_assert_cmpint (json_object_get_int_member (list, "conversation_id"), ==, c1);
  reply = request_json (student, COHORT_REQ_AI_HISTORY, json);
  cohort_test_client_assert_error (reply, "not_found", "conversation_id");
  g_clear_pointer (&reply, cohort_message_unref);
  g_clear_pointer (&list, json_object_unref);
  list = cohort_test_client_ok_json (student, COHORT_REQ_AI_CONVERSATIONS, "{}");
  conversations = json_object_get_array_member (list, "conversations");
  g_assert_cmpuint (json_array_get_length (conversations), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (conversations, 0), "id"), ==, c2);
  {
    g_autoptr(JsonObject) body = cohort_test_client_ok_json (student, COHORT_REQ_AI_HISTORY, "{}");

    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body, "ai"), "used_today"),
                     ==, 3);
  }

  cohort_test_client_free (other);
  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

/* Regenerate any answer (a whole one too) and edit-and-resend a
 * question: the new exchange replaces the old one and those after it,
 * on the server too, and the context upstream stops before it. */
static void
test_regenerate_and_edit (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, NULL);
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) edited = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autofree char *json = NULL;
  g_autofree char *questions = NULL;
  g_autofree char *upstream = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  gint64 conversation;

  joined = teacher_setup (server, &teacher, &student);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);

  a = ask_ok (student, "{\"text\": \"Question alpha\"}");
  conversation = json_object_get_int_member (a, "conversation_id");
  json = g_strdup_printf ("{\"text\": \"Question beta\", \"conversation_id\": %" G_GINT64_FORMAT "}", conversation);
  b = ask_ok (student, json);
  g_assert_cmpstr (json_object_get_string_member (b, "finish"), ==, "stop");

  /* Regenerate the whole answer to beta: one beta, with a new id. */
  g_clear_pointer (&json, g_free);
  json = g_strdup_printf ("{\"text\": \"Question beta\", \"replaces\": %" G_GINT64_FORMAT "}",
                          json_object_get_int_member (b, "id"));
  again = ask_ok (student, json);
  g_assert_cmpint (json_object_get_int_member (again, "conversation_id"), ==, conversation);
  g_assert_cmpint (json_object_get_int_member (again, "id"), >, json_object_get_int_member (b, "id"));
  questions = history_questions (student, conversation);
  g_assert_cmpstr (questions, ==, "Question alpha|Question beta");
  g_clear_pointer (&questions, g_free);
  /* The context upstream holds alpha, and beta only as the question. */
  upstream = cohort_fake_llm_dup_last_body (fake);
  g_assert_nonnull (strstr (upstream, "Question alpha"));
  g_assert_true (strstr (upstream, "Question beta") == g_strrstr (upstream, "Question beta"));
  g_clear_pointer (&upstream, g_free);

  /* Edit alpha and resend: alpha and everything after it are replaced. */
  g_clear_pointer (&json, g_free);
  json = g_strdup_printf ("{\"text\": \"Question gamma\", \"replaces\": %" G_GINT64_FORMAT "}",
                          json_object_get_int_member (a, "id"));
  edited = ask_ok (student, json);
  questions = history_questions (student, conversation);
  g_assert_cmpstr (questions, ==, "Question gamma");
  upstream = cohort_fake_llm_dup_last_body (fake);
  g_assert_null (strstr (upstream, "Question alpha"));
  g_assert_null (strstr (upstream, "Question beta"));

  /* The replaced exchange is gone: replacing it again is not_found. */
  reply = request_json (student, COHORT_REQ_AI_ASK, json);
  cohort_test_client_assert_error (reply, "not_found", "replaces");
  g_clear_pointer (&reply, cohort_message_unref);

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

static gboolean
message_texts_are (CohortAiConversation *conversation,
                   const char           *expected)
{
  g_autoptr(GString) texts = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (conversation)); i++)
    {
      g_autoptr(CohortAiMessage) message = g_list_model_get_item (G_LIST_MODEL (conversation), i);

      g_string_append_printf (texts, "%s%s", i > 0 ? "|" : "",
                              cohort_ai_message_get_role (message) == COHORT_AI_ROLE_USER
                              ? cohort_ai_message_get_text (message) : "A");
    }
  return g_str_equal (texts->str, expected);
}

static void
wait_idle (CohortAiConversation *conversation)
{
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) != COHORT_AI_CONVERSATION_STREAMING);
  g_assert_cmpint (cohort_ai_conversation_get_state (conversation), ==, COHORT_AI_CONVERSATION_IDLE);
}

/* The client's side: CohortAiConversation starts, lists, opens and
 * deletes conversations, regenerates an answer and edits a question. */
static void
test_conversation_model (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, NULL);
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(CohortSession) teacher = cohort_session_new ();
  g_autoptr(CohortSession) student = cohort_session_new ();
  g_autoptr(CohortAiConversation) c = cohort_ai_conversation_new (student);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *list = cohort_ai_conversation_get_conversations (c);
  gint64 first, second;

  cohort_test_session_create_class_with (teacher, cohort_ai_test_server_get_url (server), "Biology", "Ms Li");
  cohort_test_session_join_with (student, cohort_ai_test_server_get_url (server),
                                 cohort_session_get_class_code (teacher), "Mei");
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  g_assert_cmpint (cohort_ai_conversation_get_conversation_id (c), ==, 0);

  g_assert_true (cohort_ai_conversation_ask (c, "Cells one"));
  wait_idle (c);
  g_assert_true (cohort_ai_conversation_ask (c, "Cells two"));
  wait_idle (c);
  first = cohort_ai_conversation_get_conversation_id (c);
  g_assert_cmpint (first, >, 0);
  g_assert_cmpstr (cohort_ai_conversation_get_title (c), ==, "Cells one");

  /* A new conversation: empty, and its first answer makes it. */
  g_assert_true (cohort_ai_conversation_start_new (c));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (c)), ==, 0);
  g_assert_cmpint (cohort_ai_conversation_get_conversation_id (c), ==, 0);
  g_assert_true (cohort_ai_conversation_ask (c, "Stars"));
  wait_idle (c);
  second = cohort_ai_conversation_get_conversation_id (c);
  g_assert_cmpint (second, !=, first);
  g_assert_cmpstr (cohort_ai_conversation_get_title (c), ==, "Stars");

  cohort_ai_conversation_refresh_conversations_async (c, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_ai_conversation_refresh_conversations_finish (c, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  {
    g_autoptr(CohortAiConversationItem) newest = g_list_model_get_item (list, 0);

    g_assert_cmpint (cohort_ai_conversation_item_get_id (newest), ==, second);
    g_assert_cmpstr (cohort_ai_conversation_item_get_title (newest), ==, "Stars");
  }

  /* Back to the first: its history, and its context for what comes. */
  g_assert_true (cohort_ai_conversation_open (c, first));
  g_assert_cmpstr (cohort_ai_conversation_get_title (c), ==, "Cells one");
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (c)) == 4);
  g_assert_true (message_texts_are (c, "Cells one|A|Cells two|A"));

  /* Regenerate the first answer (a whole one): the second exchange goes
   * too, on the server as well. */
  {
    g_autoptr(CohortAiMessage) answer = g_list_model_get_item (G_LIST_MODEL (c), 1);

    g_assert_cmpint (cohort_ai_message_get_state (answer), ==, COHORT_AI_MESSAGE_DONE);
    g_assert_true (cohort_ai_conversation_regenerate (c, answer));
  }
  g_assert_true (message_texts_are (c, "Cells one|A"));
  wait_idle (c);
  g_assert_cmpint (cohort_ai_conversation_get_conversation_id (c), ==, first);

  /* Edit the question and resend. */
  {
    g_autoptr(CohortAiMessage) question = g_list_model_get_item (G_LIST_MODEL (c), 0);

    g_assert_false (cohort_ai_conversation_edit (c, question, "   "));
    g_assert_true (message_texts_are (c, "Cells one|A"));
    g_assert_true (cohort_ai_conversation_edit (c, question, "Cells, edited"));
  }
  wait_idle (c);
  g_assert_true (message_texts_are (c, "Cells, edited|A"));

  /* What the server holds is what the pane shows. */
  g_assert_true (cohort_ai_conversation_open (c, first));
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (c)) == 2);
  g_assert_true (message_texts_are (c, "Cells, edited|A"));

  /* Deleting the open one leaves a new, empty conversation. */
  cohort_ai_conversation_delete_async (c, first, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_ai_conversation_delete_finish (c, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);
  g_assert_cmpint (cohort_ai_conversation_get_conversation_id (c), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (c)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
}

#define SEQ_QUESTION "{\"question\": {\"type\":\"single\",\"prompt\":\"Closest planet?\"," \
                     "\"choices\":[\"Venus\",\"Mercury\"],\"correct\":[1]}}"

static gint64
run_id_of (JsonObject *ok)
{
  return json_object_get_int_member (json_object_get_object_member (ok, "run"), "run_id");
}

static void
close_run (CohortTestClient *teacher,
           gint64            run_id)
{
  g_autofree char *json = g_strdup_printf ("{\"run_id\": %" G_GINT64_FORMAT "}", run_id);
  g_autoptr(JsonObject) ok = cohort_test_client_ok_json (teacher, "quiz.close", json);
}

/* Two new questions; the quiz.launch body of the sequence of both. */
static char *
sequence_of_two (CohortTestClient *teacher)
{
  g_autoptr(JsonObject) q1 = cohort_test_client_ok_json (teacher, "quiz.question.create", SEQ_QUESTION);
  g_autoptr(JsonObject) q2 = cohort_test_client_ok_json (teacher, "quiz.question.create", SEQ_QUESTION);

  return g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "], \"time_limit\": 0}",
                          json_object_get_int_member (json_object_get_object_member (q1, "question"), "id"),
                          json_object_get_int_member (json_object_get_object_member (q2, "question"), "id"));
}

/* The helper stays paused between the questions of a launched sequence
 * (a question closed, the next not yet launched) until its last
 * question closes; a single question unlocks it when it closes. */
static void
test_sequence_lock (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, NULL);
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(JsonObject) q1 = NULL;
  g_autoptr(JsonObject) launched = NULL;
  g_autoptr(JsonObject) next = NULL;
  g_autoptr(JsonObject) single = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autofree char *launch = NULL;
  g_autofree char *launch_one = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;

  joined = teacher_setup (server, &teacher, &student);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  launch = sequence_of_two (teacher);
  launched = cohort_test_client_ok_json (teacher, "quiz.launch", launch);
  reply = ask_raw (student, "Which planet?", NULL, NULL);
  assert_error_code (reply, "ai_quiz_lock");
  g_clear_pointer (&reply, cohort_message_unref);

  /* Between the questions: still paused. */
  close_run (teacher, run_id_of (launched));
  reply = ask_raw (student, "Which planet now?", NULL, NULL);
  assert_error_code (reply, "ai_quiz_lock");
  g_clear_pointer (&reply, cohort_message_unref);

  next = cohort_test_client_ok_json (teacher, "quiz.next", "{}");
  reply = ask_raw (student, "And now?", NULL, NULL);
  assert_error_code (reply, "ai_quiz_lock");
  g_clear_pointer (&reply, cohort_message_unref);

  /* The last question closed: the sequence is over. */
  close_run (teacher, run_id_of (next));
  reply = ask_raw (student, "Is it over?", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);

  /* A single question: closed, the helper is back. */
  q1 = cohort_test_client_ok_json (teacher, "quiz.question.create", SEQ_QUESTION);
  launch_one = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT "], \"time_limit\": 0}",
                                json_object_get_int_member (json_object_get_object_member (q1, "question"), "id"));
  single = cohort_test_client_ok_json (teacher, "quiz.launch", launch_one);
  reply = ask_raw (student, "During?", NULL, NULL);
  assert_error_code (reply, "ai_quiz_lock");
  g_clear_pointer (&reply, cohort_message_unref);
  close_run (teacher, run_id_of (single));
  reply = ask_raw (student, "After?", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}


/* Whether @watcher was sent an ai.lock (and what it said) in the next
 * @quiet_ms of quiet: -1 none, else the last "locked". */
static int
drain_lock (CohortTestClient *watcher,
            guint             quiet_ms)
{
  g_autoptr(GPtrArray) messages = cohort_test_client_drain (watcher, quiet_ms);
  int locked = -1;

  for (guint i = 0; i < messages->len; i++)
    {
      CohortMessage *message = g_ptr_array_index (messages, i);

      if (cohort_message_get_kind (message) == COHORT_MESSAGE_EVENT &&
          g_strcmp0 (cohort_message_get_name (message), COHORT_EV_AI_LOCK) == 0)
        locked = json_object_get_boolean_member (cohort_message_get_body (message), "locked");
    }
  return locked;
}

/* Waits for @watcher's next ai.lock and asserts what it says. */
static void
expect_lock (CohortTestClient *watcher,
             gboolean          locked)
{
  g_autoptr(CohortMessage) event = cohort_test_client_next_event (watcher, COHORT_EV_AI_LOCK);

  g_assert_nonnull (event);
  g_assert_cmpint (json_object_get_boolean_member (cohort_message_get_body (event), "locked"), ==, locked);
}

static gboolean
welcome_quiz_lock (JsonObject *welcome)
{
  return json_object_get_boolean_member (json_object_get_object_member (welcome, "ai"), "quiz_lock");
}

/* The class hears ai.lock when the quiz lock starts and ends: at the
 * launch of a sequence, not between its questions, at its last close,
 * and when a sequence left half-way runs out its gap (shortened here
 * through COHORT_QUIZ_SEQUENCE_GAP_MS). The welcome and ai.history carry
 * the lock for a window opened mid-quiz. */
static void
test_lock_events (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, NULL);
  g_autoptr(CohortAiTestServer) server = NULL;
  g_autoptr(CohortTestClient) watcher = NULL;
  g_autoptr(CohortTestClient) late = NULL;
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(JsonObject) watcher_joined = NULL;
  g_autoptr(JsonObject) late_joined = NULL;
  g_autoptr(JsonObject) launched = NULL;
  g_autoptr(JsonObject) next = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autofree char *launch = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  const char *code;
  gint64 closed_us;

  g_setenv ("COHORT_QUIZ_SEQUENCE_GAP_MS", "1500", TRUE);
  server = cohort_ai_test_server_start (group);
  g_unsetenv ("COHORT_QUIZ_SEQUENCE_GAP_MS");

  joined = teacher_setup (server, &teacher, &student);
  g_assert_false (welcome_quiz_lock (joined));
  code = json_object_get_string_member (json_object_get_object_member (joined, "class"), "code");
  watcher = cohort_test_client_new (cohort_ai_test_server_get_url (server));
  watcher_joined = cohort_test_client_join (watcher, code, "Watcher", NULL);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  launch = sequence_of_two (teacher);

  launched = cohort_test_client_ok_json (teacher, "quiz.launch", launch);
  expect_lock (watcher, TRUE);

  /* Between the questions: no event, still locked for a window opened now. */
  close_run (teacher, run_id_of (launched));
  g_assert_cmpint (drain_lock (watcher, 300), ==, -1);
  late = cohort_test_client_new (cohort_ai_test_server_get_url (server));
  late_joined = cohort_test_client_join (late, code, "Late", NULL);
  g_assert_true (welcome_quiz_lock (late_joined));
  reply = cohort_test_client_request_ok (late, COHORT_REQ_AI_HISTORY, NULL);
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (cohort_message_get_body (reply), "ai"),
                                                 "quiz_lock"));
  g_clear_pointer (&reply, cohort_message_unref);

  next = cohort_test_client_ok_json (teacher, "quiz.next", "{}");
  g_assert_cmpint (drain_lock (watcher, 300), ==, -1);

  /* The last question closed: the lock ends. */
  close_run (teacher, run_id_of (next));
  expect_lock (watcher, FALSE);
  reply = cohort_test_client_request_ok (late, COHORT_REQ_AI_HISTORY, NULL);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (cohort_message_get_body (reply), "ai"),
                                                  "quiz_lock"));
  g_clear_pointer (&reply, cohort_message_unref);

  /* A sequence left half-way: the gap runs out with no request at all. */
  again = cohort_test_client_ok_json (teacher, "quiz.launch", launch);
  expect_lock (watcher, TRUE);
  close_run (teacher, run_id_of (again));
  closed_us = g_get_monotonic_time ();
  reply = ask_raw (student, "Still paused?", NULL, NULL);
  assert_error_code (reply, "ai_quiz_lock");
  g_clear_pointer (&reply, cohort_message_unref);
  expect_lock (watcher, FALSE);
  g_assert_cmpint (g_get_monotonic_time () - closed_us, >=, 1000 * G_TIME_SPAN_MILLISECOND);
  reply = ask_raw (student, "Back?", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);

  /* A server restarted in the gap still tells its end to those who
   * joined after the restart and were told it is locked. */
  g_clear_pointer (&again, json_object_unref);
  again = cohort_test_client_ok_json (teacher, "quiz.launch", launch);
  close_run (teacher, run_id_of (again));
  g_setenv ("COHORT_QUIZ_SEQUENCE_GAP_MS", "3000", TRUE);
  cohort_ai_test_server_restart (server);
  g_unsetenv ("COHORT_QUIZ_SEQUENCE_GAP_MS");
  g_clear_pointer (&watcher, cohort_test_client_free);
  g_clear_pointer (&watcher_joined, json_object_unref);
  watcher = cohort_test_client_new (cohort_ai_test_server_get_url (server));
  watcher_joined = cohort_test_client_join (watcher, code, "Watcher again", NULL);
  g_assert_true (welcome_quiz_lock (watcher_joined));
  event = cohort_test_client_next_event (watcher, COHORT_EV_AI_LOCK);
  g_assert_nonnull (event);
  if (json_object_get_boolean_member (cohort_message_get_body (event), "locked"))
    {
      /* The restarted server's first word on the class may be "locked". */
      g_clear_pointer (&event, cohort_message_unref);
      event = cohort_test_client_next_event (watcher, COHORT_EV_AI_LOCK);
      g_assert_nonnull (event);
    }
  g_assert_false (json_object_get_boolean_member (cohort_message_get_body (event), "locked"));

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

#define nudge_of cohort_ai_test_nudge_of

/* The helper speaks first: only to students who opted in, in a class
 * whose teacher allows it, about tomorrow's lesson in the student's
 * zone, once a day; the teacher sees counts, never the words. */
static void
test_nudges (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, NULL);
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(JsonObject) nudge = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *zone = cohort_ai_test_daytime_zone ();
  g_autofree char *lesson = NULL;
  g_autofree char *prefs = NULL;
  g_autofree char *opened = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  CohortTestClient *kai = NULL;

  joined = teacher_setup (server, &teacher, &student);
  /* The model fails, so the templates' words go (test-ai-nudges has the
   * model writing them). */
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_STATUS_500);
  kai = cohort_test_client_new (cohort_ai_test_server_get_url (server));
  {
    g_autoptr(JsonObject) kai_joined = cohort_test_client_join (kai,
                                                                json_object_get_string_member (json_object_get_object_member (joined, "class"), "code"),
                                                                "Kai", NULL);

    g_assert_false (json_object_get_boolean_member (json_object_get_object_member (kai_joined, "ai"),
                                                    "nudges_enabled"));
    g_assert_true (json_object_get_boolean_member (json_object_get_object_member (kai_joined, "ai"), "nudges"));
  }

  /* A lesson at 10:00 tomorrow in the student's zone. */
  tz = g_time_zone_new_identifier (zone);
  g_assert_nonnull (tz);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now (tz);

    tomorrow = g_date_time_add_days (now, 1);
  }
  lesson = g_strdup_printf ("{\"title\": \"Cell biology\", \"start\": \"%04d-%02d-%02dT10:00\", \"zone\": \"%s\", "
                            "\"duration\": 45, \"recurrence\": \"none\"}",
                            g_date_time_get_year (tomorrow), g_date_time_get_month (tomorrow),
                            g_date_time_get_day_of_month (tomorrow), zone);
  {
    g_autoptr(JsonObject) created = cohort_test_client_ok_json (teacher, "schedule.create", lesson);
  }

  /* Not opted in: the helper stays silent. */
  g_assert_null (nudge_of (student));

  /* Bad input and the wrong role are refused. */
  reply = request_json (student, COHORT_REQ_AI_NUDGES_SET, "{\"enabled\": true, \"tz\": \"+08:00\"}");
  cohort_test_client_assert_error (reply, "invalid", "tz");
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request_json (student, COHORT_REQ_AI_NUDGES_SET, "{\"enabled\": \"yes\"}");
  cohort_test_client_assert_error (reply, "invalid", "enabled");
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request_json (teacher, COHORT_REQ_AI_NUDGES_SET, "{\"enabled\": true}");
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request_json (teacher, COHORT_REQ_AI_NUDGE, "{}");
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request_json (student, COHORT_REQ_AI_NUDGES_STATS, "{}");
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  /* Opted in: tomorrow's lesson, by name; once a day only. */
  prefs = g_strdup_printf ("{\"enabled\": true, \"tz\": \"%s\"}", zone);
  {
    g_autoptr(JsonObject) set = cohort_test_client_ok_json (student, COHORT_REQ_AI_NUDGES_SET, prefs);
  }
  nudge = nudge_of (student);
  g_assert_nonnull (nudge);
  g_assert_cmpstr (json_object_get_string_member (nudge, "kind"), ==, "lesson");
  g_assert_nonnull (strstr (json_object_get_string_member (nudge, "text"), "Cell biology"));
  /* Asked again the same day: no new one, the unopened one again. */
  {
    g_autoptr(JsonObject) again = nudge_of (student);

    g_assert_nonnull (again);
    g_assert_cmpint (json_object_get_int_member (again, "id"), ==, json_object_get_int_member (nudge, "id"));
    g_assert_false (json_object_get_boolean_member (again, "opened"));
  }

  /* The teacher's switch: off, an opted-in student gets nothing. */
  {
    g_autoptr(JsonObject) off = cohort_test_client_ok_json (teacher, COHORT_REQ_AI_POLICY_SET,
                                                            "{\"mode\": \"hints\", \"nudges\": false}");
    g_autoptr(JsonObject) set = cohort_test_client_ok_json (kai, COHORT_REQ_AI_NUDGES_SET, prefs);

    g_assert_false (json_object_get_boolean_member (json_object_get_object_member (off, "policy"), "nudges"));
    g_assert_null (nudge_of (kai));
  }
  {
    g_autoptr(JsonObject) on = cohort_test_client_ok_json (teacher, COHORT_REQ_AI_POLICY_SET,
                                                           "{\"mode\": \"hints\", \"nudges\": true}");
    g_autoptr(JsonObject) kai_nudge = nudge_of (kai);

    g_assert_nonnull (kai_nudge);
  }

  /* Counts for the teacher; opening is the student's own. */
  stats = cohort_test_client_ok_json (teacher, COHORT_REQ_AI_NUDGES_STATS, "{}");
  g_assert_cmpint (json_object_get_int_member (stats, "sent"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (stats, "opened"), ==, 0);
  g_assert_false (json_object_has_member (stats, "text"));
  opened = g_strdup_printf ("{\"nudge_id\": %" G_GINT64_FORMAT "}", json_object_get_int_member (nudge, "id"));
  {
    g_autoptr(JsonObject) theirs = cohort_test_client_ok_json (kai, COHORT_REQ_AI_NUDGE_OPENED, opened);
    g_autoptr(JsonObject) mine = cohort_test_client_ok_json (student, COHORT_REQ_AI_NUDGE_OPENED, opened);

    g_assert_false (json_object_get_boolean_member (theirs, "opened"));
    g_assert_true (json_object_get_boolean_member (mine, "opened"));
    /* Opened: nothing more today. */
    g_assert_null (nudge_of (student));
  }
  g_clear_pointer (&stats, json_object_unref);
  stats = cohort_test_client_ok_json (teacher, COHORT_REQ_AI_NUDGES_STATS, "{}");
  g_assert_cmpint (json_object_get_int_member (stats, "opened"), ==, 1);

  /* Opting out is kept. */
  {
    g_autoptr(JsonObject) set = cohort_test_client_ok_json (student, COHORT_REQ_AI_NUDGES_SET, "{\"enabled\": false}");
    g_autoptr(JsonObject) history = cohort_test_client_ok_json (student, COHORT_REQ_AI_HISTORY, "{}");

    g_assert_false (json_object_get_boolean_member (json_object_get_object_member (history, "ai"), "nudges_enabled"));
  }

  cohort_test_client_free (kai);
  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

/* The "messages" of the last request that reached the fake upstream. */
static JsonArray *
last_messages (CohortFakeLlm *fake)
{
  g_autofree char *body = cohort_fake_llm_dup_last_body (fake);
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
  return json_array_ref (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                       "messages"));
}

static const char *
message_content (JsonArray *messages,
                 guint      index,
                 const char *role)
{
  JsonObject *message = json_array_get_object_element (messages, index);

  g_assert_cmpstr (json_object_get_string_member (message, "role"), ==, role);
  return json_object_get_string_member (message, "content");
}

#define ANSWER_KEY "KEY-7731: the cell wall is made of cellulose"

/* The teacher's answer key reaches the hints prompt with the order not
 * to reveal it, and no student ever receives it: not in the join, the
 * policy event, the history's state or an answer's frames. */
static void
test_answer_key (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, "questions-per-minute=60\n");
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(GString) frames = g_string_new (NULL);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(JsonObject) set = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(GString) too_long = g_string_new (NULL);
  g_autofree char *too_long_body = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  const char *system;

  joined = teacher_setup (server, &teacher, &student);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);

  /* Validated: a string of at most 4,000 characters, from the teacher only. */
  for (guint i = 0; i <= COHORT_AI_MAX_ANSWER_KEY_CHARS; i++)
    g_string_append_c (too_long, 'k');
  too_long_body = g_strdup_printf ("{\"mode\": \"hints\", \"answer_key\": \"%s\"}", too_long->str);
  reply = request_json (teacher, COHORT_REQ_AI_POLICY_SET, too_long_body);
  cohort_test_client_assert_error (reply, "invalid", "answer_key");
  g_assert_cmpint (cohort_message_get_reason (reply), ==, COHORT_INVALID_TOO_LARGE);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request_json (teacher, COHORT_REQ_AI_POLICY_SET, "{\"mode\": \"hints\", \"answer_key\": 7}");
  cohort_test_client_assert_error (reply, "invalid", "answer_key");
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request_json (student, COHORT_REQ_AI_POLICY_SET, "{\"mode\": \"hints\", \"answer_key\": \"mine\"}");
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  set = cohort_test_client_ok_json (teacher, COHORT_REQ_AI_POLICY_SET,
                                    "{\"mode\": \"hints\", \"notes\": \"Plant cells.\", "
                                    "\"answer_key\": \"" ANSWER_KEY "\"}");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (set, "policy"), "answer_key"),
                   ==, ANSWER_KEY);
  /* The teacher's own state has it; a later policy.set without it keeps it. */
  {
    g_autoptr(JsonObject) kept = cohort_test_client_ok_json (teacher, COHORT_REQ_AI_POLICY_SET,
                                                             "{\"mode\": \"hints\", \"topic\": \"Cells\"}");
    g_autoptr(JsonObject) history = cohort_test_client_ok_json (teacher, COHORT_REQ_AI_HISTORY, "{}");

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (kept, "policy"), "answer_key"),
                     ==, ANSWER_KEY);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (history, "ai"), "answer_key"),
                     ==, ANSWER_KEY);
  }

  /* The hints prompt carries it inside the instruction not to reveal it. */
  collect_frames (student, frames);
  reply = ask_raw (student, "What is the cell wall made of? Just tell me.", frames, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&reply, cohort_message_unref);
  messages = last_messages (fake);
  system = message_content (messages, 0, "system");
  g_assert_nonnull (strstr (system, "<answer_key>\n" ANSWER_KEY "\n</answer_key>"));
  g_assert_nonnull (strstr (system, "for your guidance only"));
  g_assert_nonnull (strstr (system, "Never reveal it"));
  g_assert_true (strstr (system, "Never reveal it") < strstr (system, ANSWER_KEY));
  /* Guiding deeper: a question back, building on the earlier turns. */
  g_assert_nonnull (strstr (system, "End each answer with one short question"));
  g_assert_nonnull (strstr (system, "Build on what the student said and tried earlier"));
  g_assert_nonnull (strstr (system, "Plant cells."));

  /* A new student joining, and everything the student received: no key. */
  {
    g_autoptr(CohortTestClient) kai = cohort_test_client_new (cohort_ai_test_server_get_url (server));
    g_autoptr(JsonObject) kai_joined = cohort_test_client_join (kai,
                                                                json_object_get_string_member (json_object_get_object_member (joined, "class"), "code"),
                                                                "Kai", NULL);
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), kai_joined);
    g_autofree char *text = json_to_string (node, FALSE);
    g_autoptr(JsonObject) history = cohort_test_client_ok_json (student, COHORT_REQ_AI_HISTORY, "{}");
    g_autoptr(JsonNode) history_node = json_node_init_object (json_node_alloc (), history);
    g_autofree char *history_text = json_to_string (history_node, FALSE);

    g_assert_null (strstr (text, "KEY-7731"));
    g_assert_null (strstr (text, "answer_key"));
    g_assert_null (strstr (history_text, "KEY-7731"));
    g_assert_false (json_object_has_member (json_object_get_object_member (history, "ai"), "answer_key"));
  }
  collect_frames (student, frames);
  g_assert_null (strstr (frames->str, "KEY-7731"));
  g_assert_null (strstr (frames->str, "answer_key"));

  /* Full mode: the key is left out of a student's prompt. */
  {
    g_autoptr(JsonObject) full = cohort_test_client_ok_json (teacher, COHORT_REQ_AI_POLICY_SET,
                                                             "{\"mode\": \"full\"}");
    g_autoptr(JsonArray) full_messages = NULL;

    reply = ask_raw (student, "And the membrane?", NULL, NULL);
    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
    g_clear_pointer (&reply, cohort_message_unref);
    full_messages = last_messages (fake);
    g_assert_null (strstr (message_content (full_messages, 0, "system"), "KEY-7731"));
  }

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

/* The teacher's own helper answers in full, as a teaching assistant,
 * whatever the class's mode, with the answer key as their material. */
static void
test_teacher_prompt (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake, NULL);
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(JsonObject) set = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  const char *system;

  joined = teacher_setup (server, &teacher, &student);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  set = cohort_test_client_ok_json (teacher, COHORT_REQ_AI_POLICY_SET,
                                    "{\"mode\": \"hints\", \"topic\": \"Osmosis\", "
                                    "\"answer_key\": \"" ANSWER_KEY "\"}");

  reply = ask_raw (teacher, "Write three quiz questions on osmosis.", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  messages = last_messages (fake);
  system = message_content (messages, 0, "system");
  g_assert_nonnull (strstr (system, "teaching assistant of the teacher of the class “Biology”"));
  g_assert_nonnull (strstr (system, "questions and quizzes with their answers"));
  g_assert_nonnull (strstr (system, "worked examples"));
  g_assert_nonnull (strstr (system, "Answer fully and directly"));
  g_assert_nonnull (strstr (system, "Osmosis"));
  g_assert_nonnull (strstr (system, ANSWER_KEY));
  /* Not the student's hints-only rules. */
  g_assert_null (strstr (system, "Never give the final answer"));
  g_assert_null (strstr (system, "You talk with one student"));
  g_assert_null (strstr (system, "Never reveal it"));
  g_assert_cmpstr (message_content (messages, 1, "user"), ==, "Write three quiz questions on osmosis.");

  /* The student, same class, same moment: hints. */
  g_clear_pointer (&reply, cohort_message_unref);
  reply = ask_raw (student, "What is osmosis?", NULL, NULL);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_clear_pointer (&messages, json_array_unref);
  messages = last_messages (fake);
  g_assert_nonnull (strstr (message_content (messages, 0, "system"), "Never give the final answer"));
  g_assert_null (strstr (message_content (messages, 0, "system"), "teaching assistant"));

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

#define BUDGET_TOKENS     1000
#define BUDGET_EXCHANGES  8

/* A long conversation: the context upstream is the system prompt, the
 * newest exchanges that fit the token budget, whole and in order, and
 * the question; older ones are dropped first. */
static void
test_context_budget (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *extra = g_strdup_printf ("questions-per-minute=60\nhistory-messages=50\n"
                                            "context-tokens=%u\n", BUDGET_TOKENS);
  g_autofree char *group = ai_group (fake, extra);
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(JsonArray) messages = NULL;
  g_autoptr(GPtrArray) questions = g_ptr_array_new_with_free_func (g_free);
  CohortTestClient *teacher = NULL;
  CohortTestClient *student = NULL;
  const char *answer = cohort_fake_llm_hello_text ();
  const char *last_question = "So what is the next step?";
  glong budget;
  guint expected = 0;

  joined = teacher_setup (server, &teacher, &student);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);

  /* Questions of 400 ASCII characters: 100 tokens by the estimate. */
  for (guint i = 0; i < BUDGET_EXCHANGES; i++)
    {
      g_autoptr(GString) q = g_string_new (NULL);
      g_autoptr(CohortMessage) reply = NULL;

      g_string_printf (q, "Q%u ", i);
      while (q->len < 400)
        g_string_append_c (q, 'a');
      g_assert_cmpuint (cohort_ai_estimate_tokens (q->str), ==, 100);
      reply = ask_raw (student, q->str, NULL, NULL);
      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
      g_ptr_array_add (questions, g_string_free (g_steal_pointer (&q), FALSE));
    }

  {
    g_autoptr(CohortMessage) reply = ask_raw (student, last_question, NULL, NULL);

    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  }
  messages = last_messages (fake);

  /* The rule, worked out here from the documented estimate. */
  budget = BUDGET_TOKENS - cohort_ai_estimate_tokens (message_content (messages, 0, "system")) -
           cohort_ai_estimate_tokens (last_question) - 2 * COHORT_AI_MESSAGE_TOKENS;
  for (guint i = BUDGET_EXCHANGES; i > 0; i--)
    {
      glong cost = cohort_ai_estimate_tokens (g_ptr_array_index (questions, i - 1)) +
                   cohort_ai_estimate_tokens (answer) + 2 * COHORT_AI_MESSAGE_TOKENS;

      if (cost > budget)
        break;
      budget -= cost;
      expected++;
    }
  /* Some, not all: the budget trims this conversation. */
  g_assert_cmpuint (expected, >=, 2);
  g_assert_cmpuint (expected, <, BUDGET_EXCHANGES);

  /* Exactly: system, the newest @expected exchanges oldest first, the question. */
  g_assert_cmpuint (json_array_get_length (messages), ==, 1 + 2 * expected + 1);
  for (guint k = 0; k < expected; k++)
    {
      guint i = BUDGET_EXCHANGES - expected + k;

      g_assert_cmpstr (message_content (messages, 1 + 2 * k, "user"), ==, g_ptr_array_index (questions, i));
      g_assert_cmpstr (message_content (messages, 2 + 2 * k, "assistant"), ==, answer);
    }
  g_assert_cmpstr (message_content (messages, 1 + 2 * expected, "user"), ==, last_question);

  cohort_test_client_free (student);
  cohort_test_client_free (teacher);
}

int
main (int   argc,
      char *argv[])
{
  Quotas quotas_state = { 0 };
  g_autoptr(CohortTestStages) quotas_run = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/ai/stream-into-conversation", test_stream_into_conversation);
  g_test_add_func ("/cohort/ai/failures-and-key", test_failures_and_key);
  g_test_add_func ("/cohort/ai/stop", test_stop);
  g_test_add_func ("/cohort/ai/policy-and-quota", test_policy_and_quota);
  g_test_add_func ("/cohort/ai/not-configured", test_not_configured);
  g_test_add_func ("/cohort/ai/quiz-lock", test_quiz_lock);
  g_test_add_func ("/cohort/ai/lock-events", test_lock_events);
  g_test_add_func ("/cohort/ai/reasoning-liveness", test_reasoning_liveness);
  g_test_add_func ("/cohort/ai/cut-short", test_cut_short);
  g_test_add_func ("/cohort/ai/json-answer", test_json_answer);
  g_test_add_func ("/cohort/ai/huge-token", test_huge_token);
  quotas_run = cohort_test_stages_new (&quotas_state, (CohortTestStageFunc) quotas_setup,
                                       (CohortTestStageFunc) quotas_teardown, quotas_stages,
                                       G_N_ELEMENTS (quotas_stages));
  cohort_test_stages_add_each (quotas_run, "/cohort/ai/quotas", quotas_cases);
  g_test_add_func ("/cohort/ai/rates", test_rates);
  g_test_add_func ("/cohort/ai/quota-survives-drops", test_quota_survives_drops);
  g_test_add_func ("/cohort/ai/staff-classes-only", test_staff_classes_only);
  g_test_add_func ("/cohort/ai/revoked-owner-refused", test_revoked_owner_refused);
  g_test_add_func ("/cohort/ai/quota-follows-identity", test_quota_follows_identity);
  g_test_add_func ("/cohort/ai/conversations", test_conversations);
  g_test_add_func ("/cohort/ai/regenerate-and-edit", test_regenerate_and_edit);
  g_test_add_func ("/cohort/ai/conversation-model", test_conversation_model);
  g_test_add_func ("/cohort/ai/sequence-lock", test_sequence_lock);
  g_test_add_func ("/cohort/ai/nudges", test_nudges);
  g_test_add_func ("/cohort/ai/answer-key", test_answer_key);
  g_test_add_func ("/cohort/ai/teacher-prompt", test_teacher_prompt);
  g_test_add_func ("/cohort/ai/context-budget", test_context_budget);

  return g_test_run ();
}

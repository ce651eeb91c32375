/* test-ai-nudges.c: the helper speaking first between lessons, against a
 * real cohort-server: nudges the school's model writes from one
 * student's own data (the fake upstream), the templates when there is no
 * model or it fails, the weak knowledge point from practice, the
 * teacher's "came back" count, and nudges on the student's home
 * (GET /api/v1/home)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "cohort-ai-protocol.h"
#include "cohort-ai-test-server.h"
#include "cohort-fake-llm.h"
#include "cohort-home-fetch.h"
#include "cohort-practice-protocol.h"
#include "cohort-protocol.h"
#include "cohort-quiz-protocol.h"
#include "cohort-schedule-protocol.h"
#include "cohort-test-client.h"

/* The HELLO answer as a nudge: one paragraph. */
#define HELLO_NUDGE "Hello, wörld 你好! Use `x = 1`. - one - two"

typedef struct
{
  CohortAiTestServer *server;
  CohortTestClient   *teacher;
  CohortTestClient   *student;
  char               *code;
  char               *token;           /* the student's, for the home */
  char               *teacher_token;
  char               *zone;            /* daytime now: no quiet hours */
} Class;

static void
class_open (Class      *k,
            const char *ai_group,
            const char *title)
{
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) joined = NULL;

  k->server = cohort_ai_test_server_start (ai_group);
  k->teacher = cohort_test_client_new (cohort_ai_test_server_get_url (k->server));
  k->student = cohort_test_client_new (cohort_ai_test_server_get_url (k->server));
  created = cohort_test_client_create_class (k->teacher, title, "Ms Li");
  k->code = g_strdup (json_object_get_string_member (json_object_get_object_member (created, "class"), "code"));
  k->teacher_token = g_strdup (json_object_get_string_member (created, "token"));
  joined = cohort_test_client_join (k->student, k->code, "Mei", NULL);
  k->token = g_strdup (json_object_get_string_member (joined, "token"));
  k->zone = cohort_ai_test_daytime_zone ();
}

static void
class_close (Class *k)
{
  cohort_test_client_free (k->student);
  cohort_test_client_free (k->teacher);
  cohort_ai_test_server_free (k->server);
  g_free (k->code);
  g_free (k->token);
  g_free (k->teacher_token);
  g_free (k->zone);
}

static void
opt_in (Class            *k,
        CohortTestClient *client)
{
  g_autofree char *prefs = g_strdup_printf ("{\"enabled\": true, \"tz\": \"%s\"}", k->zone);
  g_autoptr(JsonObject) set = cohort_test_client_ok_json (client, COHORT_REQ_AI_NUDGES_SET, prefs);
}

/* A lesson at 10:00 tomorrow in the students' zone. */
static void
lesson_tomorrow (Class      *k,
                 const char *title)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (k->zone);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
  g_autofree char *lesson = NULL;
  g_autoptr(JsonObject) created = NULL;

  lesson = g_strdup_printf ("{\"title\": \"%s\", \"start\": \"%04d-%02d-%02dT10:00\", \"zone\": \"%s\", "
                            "\"duration\": 45, \"recurrence\": \"none\"}",
                            title, g_date_time_get_year (tomorrow), g_date_time_get_month (tomorrow),
                            g_date_time_get_day_of_month (tomorrow), k->zone);
  created = cohort_test_client_ok_json (k->teacher, COHORT_REQ_SCHEDULE_CREATE, lesson);
}

#define nudge_of cohort_ai_test_nudge_of

/* GET /api/v1/home with @token: its "nudge", or NULL. */
static JsonObject *
home_nudge (Class      *k,
            const char *token)
{
  g_autoptr(SoupSession) http = soup_session_new ();
  /* The address the app's home asks (app/core/cohort-home-fetch.c). */
  g_autofree char *url = cohort_home_url_for_server (cohort_ai_test_server_get_url (k->server));
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *node;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  bytes = soup_session_send_and_read (http, msg, NULL, &error);
  g_assert_no_error (error);
  if (soup_message_get_status (msg) != 200)
    g_error ("GET %s: %u %.*s", url, soup_message_get_status (msg), (int) g_bytes_get_size (bytes),
             (const char *) g_bytes_get_data (bytes, NULL));
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                             NULL));
  node = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "nudge");
  g_assert_nonnull (node);
  return JSON_NODE_HOLDS_OBJECT (node) ? json_object_ref (json_node_get_object (node)) : NULL;
}

static JsonObject *
stats_of (Class *k)
{
  return cohort_test_client_ok_json (k->teacher, COHORT_REQ_AI_NUDGES_STATS, "{}");
}

static char *
ai_group (CohortFakeLlm *fake)
{
  return g_strdup_printf ("base-url=%s/v1\nmodel=fake-model\napi-key-file=@KEYFILE@\n"
                          "first-token-timeout=2\nconnect-timeout=2\n",
                          cohort_fake_llm_get_base_url (fake));
}

/* The school's model writes the nudge from the student's own data: the
 * prompt holds tomorrow's lesson and the template (for its language),
 * nobody's name; the teacher sees it sent, then the student coming back. */
static void
test_written_by_model (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake);
  g_autoptr(JsonObject) nudge = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autofree char *body = NULL;
  Class k = { 0 };

  class_open (&k, group, "Biology");
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  lesson_tomorrow (&k, "Cell biology");
  opt_in (&k, k.student);

  nudge = nudge_of (k.student);
  g_assert_nonnull (nudge);
  g_assert_cmpstr (json_object_get_string_member (nudge, "kind"), ==, "lesson");
  g_assert_cmpstr (json_object_get_string_member (nudge, "text"), ==, HELLO_NUDGE);
  g_assert_cmpuint (cohort_fake_llm_get_n_requests (fake), ==, 1);

  body = cohort_fake_llm_dup_last_body (fake);
  g_assert_nonnull (strstr (body, "You are the study helper of the class “Biology”"));
  g_assert_nonnull (strstr (body, "one short message"));
  g_assert_nonnull (strstr (body, "Tomorrow's lesson: Cell biology"));
  g_assert_nonnull (strstr (body, "Example message: Hi! “Cell biology” is tomorrow."));
  g_assert_null (strstr (body, "Mei"));
  g_assert_null (strstr (body, "Ms Li"));

  /* One a day, model or not: asked again, the same (unopened) one. */
  {
    g_autoptr(JsonObject) again = nudge_of (k.student);

    g_assert_cmpint (json_object_get_int_member (again, "id"), ==, json_object_get_int_member (nudge, "id"));
    g_assert_cmpuint (cohort_fake_llm_get_n_requests (fake), ==, 1);
  }

  stats = stats_of (&k);
  g_assert_cmpint (json_object_get_int_member (stats, "sent"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (stats, "came_back"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (stats, "came_back_hours"), ==, 24);

  /* The student comes back: asks the helper. */
  {
    g_autoptr(JsonObject) asked = cohort_test_client_ok_json (k.student, COHORT_REQ_AI_ASK,
                                                              "{\"text\": \"What do cells need?\"}");
    g_autoptr(JsonObject) after = stats_of (&k);

    g_assert_cmpint (json_object_get_int_member (after, "came_back"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (after, "sent"), ==, 1);
  }

  /* Kai's home: the model is asked on the first poll and the nudge shows
   * on a later one. */
  {
    g_autoptr(CohortTestClient) kai = cohort_test_client_new (cohort_ai_test_server_get_url (k.server));
    g_autoptr(JsonObject) joined = cohort_test_client_join (kai, k.code, "Kai", NULL);
    const char *kai_token = json_object_get_string_member (joined, "token");
    g_autoptr(JsonObject) on_home = NULL;

    opt_in (&k, kai);
    for (guint attempt = 0; attempt < 100 && on_home == NULL; attempt++)
      {
        on_home = home_nudge (&k, kai_token);
        if (on_home == NULL)
          g_usleep (50 * 1000);
      }
    g_assert_nonnull (on_home);
    g_assert_cmpstr (json_object_get_string_member (on_home, "text"), ==, HELLO_NUDGE);
    g_assert_false (json_object_get_boolean_member (on_home, "opened"));
    g_assert_cmpuint (cohort_fake_llm_get_n_requests (fake), ==, 3);
    /* The class window shows the same one, not a second. */
    {
      g_autoptr(JsonObject) in_pane = nudge_of (kai);

      g_assert_cmpint (json_object_get_int_member (in_pane, "id"), ==, json_object_get_int_member (on_home, "id"));
      g_assert_cmpuint (cohort_fake_llm_get_n_requests (fake), ==, 3);
    }
  }

  class_close (&k);
}

/* A model that fails (HTTP 500): the template goes instead, stored and
 * counted like any nudge. */
static void
test_model_fails (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = ai_group (fake);
  g_autoptr(JsonObject) nudge = NULL;
  g_autoptr(JsonObject) stats = NULL;
  Class k = { 0 };

  class_open (&k, group, "Biology");
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_STATUS_500);
  lesson_tomorrow (&k, "Cell biology");
  opt_in (&k, k.student);

  nudge = nudge_of (k.student);
  g_assert_nonnull (nudge);
  g_assert_cmpuint (cohort_fake_llm_get_n_requests (fake), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (nudge, "kind"), ==, "lesson");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (nudge, "text"), "Hi! “Cell biology” is tomorrow."));
  g_assert_null (strstr (json_object_get_string_member (nudge, "text"), COHORT_AI_TEST_KEY));
  stats = stats_of (&k);
  g_assert_cmpint (json_object_get_int_member (stats, "sent"), ==, 1);

  class_close (&k);
}

static const char bank[] =
  "{\"file\": {\"format\":\"cohort-quiz\",\"version\":2,\"questions\":["
  "{\"type\":\"single\",\"prompt\":\"Which is a third of 9?\",\"choices\":[\"2\",\"3\"],\"correct\":[1],"
  " \"knowledge_points\":[\"Fractions\"]},"
  "{\"type\":\"true_false\",\"prompt\":\"Half of 8 is 4.\",\"correct\":true,"
  " \"knowledge_points\":[\"Fractions\"]},"
  "{\"type\":\"true_false\",\"prompt\":\"3 is odd.\",\"correct\":true,"
  " \"knowledge_points\":[\"Parity\"]}"
  "]}}";

#define practice_answer cohort_ai_test_practice_answer

/* No model: the template. The weak point comes from the student's own
 * practice (two wrong answers on Fractions; Parity right), and the
 * nudge reaches the home between lessons, only the student's own. */
static void
test_weak_point_on_home (void)
{
  g_autoptr(JsonObject) imported = NULL;
  g_autoptr(JsonObject) on_home = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autofree char *opened = NULL;
  JsonArray *ids;
  Class k = { 0 };

  class_open (&k, NULL, "Maths");
  imported = cohort_test_client_ok_json (k.teacher, COHORT_REQ_QUIZ_IMPORT, bank);
  ids = json_object_get_array_member (imported, "question_ids");

  /* Not opted in yet: nothing on the home. */
  g_assert_null (home_nudge (&k, k.token));

  practice_answer (k.student, json_array_get_int_element (ids, 0), "0");
  practice_answer (k.student, json_array_get_int_element (ids, 1), "false");
  practice_answer (k.student, json_array_get_int_element (ids, 2), "true");
  opt_in (&k, k.student);

  on_home = home_nudge (&k, k.token);
  g_assert_nonnull (on_home);
  g_assert_cmpstr (json_object_get_string_member (on_home, "kind"), ==, "practice");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (on_home, "text"), "“Fractions” is still tricky"));
  g_assert_false (json_object_get_boolean_member (on_home, "opened"));

  /* The next poll shows the same one, and so does the class window. */
  again = home_nudge (&k, k.token);
  g_assert_cmpint (json_object_get_int_member (again, "id"), ==, json_object_get_int_member (on_home, "id"));
  {
    g_autoptr(JsonObject) in_pane = nudge_of (k.student);

    g_assert_cmpint (json_object_get_int_member (in_pane, "id"), ==, json_object_get_int_member (on_home, "id"));
  }

  /* Nobody else's home shows it: the teacher's, another student's. */
  g_assert_null (home_nudge (&k, k.teacher_token));
  {
    g_autoptr(CohortTestClient) tom = cohort_test_client_new (cohort_ai_test_server_get_url (k.server));
    g_autoptr(JsonObject) joined = cohort_test_client_join (tom, k.code, "Tom", NULL);

    g_assert_null (home_nudge (&k, json_object_get_string_member (joined, "token")));
  }

  /* Opened: the home says so. Practising again counts as coming back. */
  opened = g_strdup_printf ("{\"nudge_id\": %" G_GINT64_FORMAT "}", json_object_get_int_member (on_home, "id"));
  {
    g_autoptr(JsonObject) ok = cohort_test_client_ok_json (k.student, COHORT_REQ_AI_NUDGE_OPENED, opened);
    g_autoptr(JsonObject) seen = home_nudge (&k, k.token);

    g_assert_true (json_object_get_boolean_member (seen, "opened"));
    g_assert_null (nudge_of (k.student));
  }
  stats = stats_of (&k);
  g_assert_cmpint (json_object_get_int_member (stats, "opened"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (stats, "came_back"), ==, 0);
  practice_answer (k.student, json_array_get_int_element (ids, 2), "true");
  g_clear_pointer (&stats, json_object_unref);
  stats = stats_of (&k);
  g_assert_cmpint (json_object_get_int_member (stats, "came_back"), ==, 1);

  /* Opting out hides it from the home. */
  {
    g_autoptr(JsonObject) off = cohort_test_client_ok_json (k.student, COHORT_REQ_AI_NUDGES_SET,
                                                            "{\"enabled\": false}");

    g_assert_null (home_nudge (&k, k.token));
  }

  class_close (&k);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/ai/nudges/written-by-model", test_written_by_model);
  g_test_add_func ("/cohort/ai/nudges/model-fails", test_model_fails);
  g_test_add_func ("/cohort/ai/nudges/weak-point-on-home", test_weak_point_on_home);

  return g_test_run ();
}

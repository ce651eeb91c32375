/* test-quiz.c: the quiz service against a real cohort-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-quiz"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "cohort-quiz-protocol.h"
#include "cohort-assembly.h"
#include "cohort-quiz-service.h"
#include "cohort-store.h"
#include "cohort-test-client.h"
#include "cohort-test-db.h"
#include "cohort-test-in-process.h"
#include "cohort-test-server.h"
#include "cohort-test-stages.h"

#define N_STUDENTS 30

typedef struct
{
  CohortTestClient *client;
  char             *token;
  gint64            id;
} Member;

typedef struct
{
  CohortTestServer *server;
  Member            teacher;
  char             *sync_id;
  char             *code;
  char             *teacher_key;
  gint64            class_id;
  Member            students[N_STUDENTS];
  guint             n_students;
} Class;

static void
class_free (Class *c)
{
  g_clear_pointer (&c->teacher.client, cohort_test_client_free);
  g_free (c->teacher.token);
  for (guint i = 0; i < c->n_students; i++)
    {
      g_clear_pointer (&c->students[i].client, cohort_test_client_free);
      g_free (c->students[i].token);
    }
  g_free (c->code);
  g_free (c->sync_id);
  g_free (c->teacher_key);
  g_clear_pointer (&c->server, cohort_test_server_free);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Class, class_free)

static gint64
you_id (JsonObject *body)
{
  return json_object_get_int_member (json_object_get_object_member (body, "you"), "id");
}

static Class *
class_new (guint n_students)
{
  Class *c = g_new0 (Class, 1);
  g_autoptr(JsonObject) created = NULL;
  JsonObject *klass;

  c->server = cohort_test_server_start (NULL);
  c->teacher.client = cohort_test_client_new (cohort_test_server_get_url (c->server));
  created = cohort_test_client_create_class (c->teacher.client, "Quiz class", "Teacher");
  klass = json_object_get_object_member (created, "class");
  c->code = g_strdup (json_object_get_string_member (klass, "code"));
  c->class_id = json_object_get_int_member (klass, "id");
  c->teacher_key = g_strdup (json_object_get_string_member (created, "teacher_key"));
  c->teacher.token = g_strdup (json_object_get_string_member (created, "token"));
  c->teacher.id = you_id (created);

  for (guint i = 0; i < n_students; i++)
    {
      g_autofree char *name = g_strdup_printf ("Student %02u", i + 1);
      g_autoptr(JsonObject) joined = NULL;
      Member *m = &c->students[i];

      m->client = cohort_test_client_new (cohort_test_server_get_url (c->server));
      joined = cohort_test_client_join (m->client, c->code, name, NULL);
      m->token = g_strdup (json_object_get_string_member (joined, "token"));
      m->id = you_id (joined);
      c->n_students++;
    }

  /* The teacher asks for the live results. */
  {
    g_autoptr(CohortMessage) reply = NULL;

    c->sync_id = g_strdup ("teacher-sync-1");
    reply = cohort_test_client_request (c->teacher.client, COHORT_REQ_QUIZ_SYNC, c->sync_id, NULL);
    g_assert_nonnull (reply);
    g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
    g_assert_nonnull (json_object_get_object_member (cohort_message_get_body (reply), COHORT_QUIZ_WELCOME_MEMBER));
  }

  /* Start everyone from a clean slate of frames. */
  g_ptr_array_unref (cohort_test_client_drain (c->teacher.client, 50));
  for (guint i = 0; i < n_students; i++)
    g_ptr_array_unref (cohort_test_client_drain (c->students[i].client, 10));
  return c;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

static void
assert_error (CohortMessage   *reply,
              CohortErrorCode  code,
              const char      *field)
{
  g_assert_nonnull (reply);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_ERROR);
  g_assert_cmpstr (cohort_error_code_to_string (cohort_message_get_error_code (reply)), ==,
                   cohort_error_code_to_string (code));
  if (field != NULL)
    g_assert_cmpstr (cohort_message_get_field (reply), ==, field);
}

static JsonObject *
request_ok (CohortTestClient *client,
            const char       *type,
            const char       *body_json)
{
  g_autoptr(JsonObject) body = parse_object (body_json);
  g_autoptr(CohortMessage) reply = cohort_test_client_request (client, type, NULL, body);

  g_assert_nonnull (reply);
  if (cohort_message_get_kind (reply) != COHORT_MESSAGE_OK)
    g_error ("%s %s failed: %s (%s)", type, body_json, cohort_message_get_error_message (reply),
             cohort_message_get_field (reply));
  return json_object_ref (cohort_message_get_body (reply));
}

static CohortMessage *
request (CohortTestClient *client,
         const char       *type,
         const char       *body_json)
{
  g_autoptr(JsonObject) body = parse_object (body_json);

  return cohort_test_client_request (client, type, NULL, body);
}

/* The teacher's next live results: a `progress` message to its quiz.sync.
 * Other frames that come first are dropped. */
static CohortMessage *
next_progress (Class *c)
{
  gint64 until = g_get_monotonic_time () +
                 5 * G_USEC_PER_SEC * cohort_test_client_get_timeout_scale ();

  while (g_get_monotonic_time () < until)
    {
      g_autoptr(GPtrArray) frames = cohort_test_client_drain (c->teacher.client, 10);

      for (guint i = 0; i < frames->len; i++)
        {
          CohortMessage *m = g_ptr_array_index (frames, i);

          if (cohort_message_get_kind (m) == COHORT_MESSAGE_PROGRESS)
            {
              g_assert_cmpstr (cohort_message_get_id (m), ==, c->sync_id);
              /* Later frames of this drain are dropped with it. */
              return cohort_message_ref (m);
            }
        }
    }
  return NULL;
}

static gint64
add_question (Class      *c,
              const char *question_json)
{
  g_autofree char *body = g_strdup_printf ("{\"question\": %s}", question_json);
  g_autoptr(JsonObject) ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_QUESTION_CREATE, body);

  return json_object_get_int_member (json_object_get_object_member (ok, "question"), "id");
}

#define Q_SINGLE "{\"type\":\"single\",\"prompt\":\"Closest planet to the Sun?\"," \
                 "\"choices\":[\"Venus\",\"Mercury\",\"Mars\"],\"correct\":[1]," \
                 "\"explanation\":\"SECRET-EXPLANATION\"}"
#define Q_SHORT  "{\"type\":\"short\",\"prompt\":\"Capital of France?\"," \
                 "\"accepted\":[\"SECRET-PARIS\"],\"explanation\":\"SECRET-EXPLANATION\"}"

/* Launches and returns the run id; everyone's launched event is consumed. */
static JsonObject *
launch (Class      *c,
        const char *body_json)
{
  g_autoptr(JsonObject) ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_LAUNCH, body_json);

  return json_object_ref (json_object_get_object_member (ok, "run"));
}

static char *
answer_body (gint64      run_id,
             const char *answer_json)
{
  return g_strdup_printf ("{\"run_id\": %" G_GINT64_FORMAT ", \"answer\": %s}", run_id, answer_json);
}

/* Everything a client got, as the JSON that came over the wire. */
static GString *
wire_text (GPtrArray *messages)
{
  GString *all = g_string_new (NULL);

  for (guint i = 0; i < messages->len; i++)
    {
      g_autofree char *json = cohort_message_to_json (g_ptr_array_index (messages, i), NULL);

      g_string_append (all, json);
      g_string_append_c (all, '\n');
    }
  return all;
}

static void
test_bank (void)
{
  g_autoptr(Class) c = class_new (1);
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(JsonObject) moved = NULL;
  g_autoptr(JsonObject) exported = NULL;
  g_autoptr(GPtrArray) student_frames = NULL;
  g_autoptr(GString) wire = NULL;
  CohortTestClient *student = c->students[0].client;
  gint64 q1, q2, q3;
  JsonArray *ids;

  q1 = add_question (c, Q_SINGLE);
  q2 = add_question (c, Q_SHORT);
  q3 = add_question (c, "{\"type\":\"true_false\",\"prompt\":\"Sky is blue\",\"correct\":true}");
  g_assert_cmpint (q1, <, q2);

  /* The teacher sees the bank change; a student sees nothing of it. */
  event = cohort_test_client_next_event (c->teacher.client, COHORT_EV_QUIZ_QUESTION_SAVED);
  g_assert_nonnull (event);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (cohort_message_get_body (event), "question"),
                     "prompt"), ==, "Closest planet to the Sun?");

  /* Students may not touch the bank. */
  reply = request (student, COHORT_REQ_QUIZ_QUESTION_CREATE, "{\"question\": " Q_SINGLE "}");
  assert_error (reply, COHORT_ERROR_FORBIDDEN, NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request (student, COHORT_REQ_QUIZ_EXPORT, "{}");
  assert_error (reply, COHORT_ERROR_FORBIDDEN, NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  /* A wrong question names the wrong member. */
  reply = request (c->teacher.client, COHORT_REQ_QUIZ_QUESTION_CREATE,
                   "{\"question\": {\"type\":\"single\",\"prompt\":\"x\",\"choices\":[\"a\",\"b\"],"
                   "\"correct\":[2]}}");
  assert_error (reply, COHORT_ERROR_INVALID, "question.correct[0]");
  g_assert_nonnull (strstr (cohort_message_get_error_message (reply), "question.correct[0]"));
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request (c->teacher.client, COHORT_REQ_QUIZ_QUESTION_CREATE, "{\"question\": 5}");
  assert_error (reply, COHORT_ERROR_INVALID, "question");
  g_clear_pointer (&reply, cohort_message_unref);

  /* Edit, reorder, delete. */
  {
    g_autofree char *body = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT ", \"question\": "
                                             "{\"type\":\"open\",\"prompt\":\"  Edited  \"}}", q2);
    g_autoptr(JsonObject) ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_QUESTION_UPDATE, body);

    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (ok, "question"),
                                                    "prompt"), ==, "Edited");
  }
  {
    g_autofree char *body = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT ", \"position\": 0}", q3);

    moved = request_ok (c->teacher.client, COHORT_REQ_QUIZ_QUESTION_MOVE, body);
    ids = json_object_get_array_member (moved, "question_ids");
    g_assert_cmpuint (json_array_get_length (ids), ==, 3);
    g_assert_cmpint (json_array_get_int_element (ids, 0), ==, q3);
    g_assert_cmpint (json_array_get_int_element (ids, 1), ==, q1);
    g_assert_cmpint (json_array_get_int_element (ids, 2), ==, q2);
  }
  {
    g_autofree char *body = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT ", \"position\": 3}", q3);

    reply = request (c->teacher.client, COHORT_REQ_QUIZ_QUESTION_MOVE, body);
    assert_error (reply, COHORT_ERROR_INVALID, "position");
    g_clear_pointer (&reply, cohort_message_unref);
  }
  {
    g_autofree char *body = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT "}", q1);
    g_autoptr(JsonObject) ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_QUESTION_DELETE, body);

    reply = request (c->teacher.client, COHORT_REQ_QUIZ_QUESTION_DELETE, body);
    assert_error (reply, COHORT_ERROR_NOT_FOUND, "question_id");
    g_clear_pointer (&reply, cohort_message_unref);
  }

  exported = request_ok (c->teacher.client, COHORT_REQ_QUIZ_EXPORT, "{}");
  {
    JsonObject *file = json_object_get_object_member (exported, "file");
    JsonArray *questions = json_object_get_array_member (file, "questions");

    g_assert_cmpstr (json_object_get_string_member (file, "format"), ==, "cohort-quiz");
    g_assert_cmpuint (json_array_get_length (questions), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (questions, 0), "type"),
                     ==, "true_false");
    g_assert_false (json_object_has_member (json_array_get_object_element (questions, 0), "id"));
  }

  /* Nothing of the bank reached the student: it holds the answers. */
  student_frames = cohort_test_client_drain (student, 100);
  wire = wire_text (student_frames);
  g_assert_null (strstr (wire->str, "SECRET"));
  g_assert_null (strstr (wire->str, "Closest planet"));
  /* Other services' events may still be on their way on a slow run (the
   * groups service's progress after the join, in the sanitizer pass). */
  for (guint i = 0; i < student_frames->len; i++)
    g_assert_false (g_str_has_prefix (cohort_message_get_name (g_ptr_array_index (student_frames, i)),
                                      "quiz."));
}

static void
test_import (void)
{
  g_autoptr(Class) c = class_new (0);
  g_autofree char *example_path = NULL;
  g_autofree char *example = NULL;
  g_autofree char *here = g_path_get_dirname (__FILE__);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) ok = NULL;
  g_autoptr(JsonObject) exported = NULL;
  g_autoptr(CohortMessage) event = NULL;
  struct { const char *file; const char *field; } bad[] = {
    { "{\"format\":\"csv\",\"version\":1,\"questions\":[]}", "format" },
    { "{\"format\":\"cohort-quiz\",\"version\":9,\"questions\":[]}", "version" },
    { "{\"format\":\"cohort-quiz\",\"version\":1,\"questions\":{}}", "questions" },
    { "{\"format\":\"cohort-quiz\",\"version\":1,\"questions\":[{\"type\":\"open\",\"prompt\":\"ok\"},"
      "{\"type\":\"single\",\"prompt\":\"q\",\"choices\":[\"a\",\"b\",\"c\"],\"correct\":[5]}]}",
      "questions[1].correct[0]" },
    { "{\"format\":\"cohort-quiz\",\"version\":1,\"questions\":[{\"type\":\"short\",\"prompt\":\"q\"}]}",
      "questions[0].accepted" },
    { "{\"format\":\"cohort-quiz\",\"version\":1,\"questions\":[{\"type\":\"open\",\"prompt\":\"q\","
      "\"time_limit\":2}]}", "questions[0].time_limit" },
    { "{\"format\":\"cohort-quiz\",\"version\":1,\"questions\":[{\"type\":\"true_false\",\"prompt\":\"q\","
      "\"correct\":\"yes\"}]}", "questions[0].correct" },
  };

  example_path = g_build_filename (here, "..", "..", "docs", "quiz-example.json", NULL);
  g_file_get_contents (example_path, &example, NULL, &error);
  g_assert_no_error (error);

  {
    g_autofree char *body = g_strdup_printf ("{\"file\": %s}", example);

    ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_IMPORT, body);
    g_assert_cmpint (json_object_get_int_member (ok, "count"), ==, 5);
    g_clear_pointer (&ok, json_object_unref);
    /* Append again, then replace. */
    ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_IMPORT, body);
    g_clear_pointer (&ok, json_object_unref);
    g_free (body);
    body = g_strdup_printf ("{\"file\": %s, \"replace\": true}", example);
    ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_IMPORT, body);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ok, "question_ids")), ==, 5);
  }

  event = cohort_test_client_next_event (c->teacher.client, COHORT_EV_QUIZ_BANK);
  g_assert_nonnull (event);

  /* Every invalid file is refused as a whole, naming the field. */
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"file\": %s}", bad[i].file);
      g_autoptr(CohortMessage) reply = request (c->teacher.client, COHORT_REQ_QUIZ_IMPORT, body);

      assert_error (reply, COHORT_ERROR_INVALID, bad[i].field);
      g_assert_nonnull (strstr (cohort_message_get_error_message (reply), bad[i].field));
    }
  {
    g_autoptr(CohortMessage) reply = request (c->teacher.client, COHORT_REQ_QUIZ_IMPORT, "{\"file\": []}");

    assert_error (reply, COHORT_ERROR_INVALID, "file");
  }

  exported = request_ok (c->teacher.client, COHORT_REQ_QUIZ_EXPORT, "{}");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (exported, "file"), "questions")), ==, 5);
}

/* What a student received before the reveal must not hold the key, the
 * explanation or anybody else's answer. */
static void
assert_no_leak (GPtrArray  *frames,
                Class      *c,
                guint       self_index,
                const char *other_answer_marker)
{
  g_autoptr(GString) wire = wire_text (frames);

  g_assert_null (strstr (wire->str, "SECRET"));
  g_assert_null (strstr (wire->str, "\"correct\""));
  g_assert_null (strstr (wire->str, "\"accepted\""));
  g_assert_null (strstr (wire->str, "\"key\""));
  g_assert_null (strstr (wire->str, "\"explanation\""));
  g_assert_null (strstr (wire->str, "\"answers\""));
  g_assert_null (strstr (wire->str, "\"grade\""));
  if (other_answer_marker != NULL)
    g_assert_null (strstr (wire->str, other_answer_marker));

  for (guint i = 0; i < frames->len; i++)
    {
      CohortMessage *m = g_ptr_array_index (frames, i);

      /* Live results are the teacher's: never a progress frame. */
      g_assert_cmpint (cohort_message_get_kind (m), !=, COHORT_MESSAGE_PROGRESS);
      if (cohort_message_get_kind (m) != COHORT_MESSAGE_EVENT)
        continue;
      /* Live results are the teacher's. */
      g_assert_cmpstr (cohort_message_get_name (m), !=, COHORT_EV_QUIZ_PROGRESS);
      g_assert_cmpstr (cohort_message_get_name (m), !=, COHORT_EV_QUIZ_SCORED);
    }
}

static void
test_thirty_students (void)
{
  g_autoptr(Class) c = class_new (N_STUDENTS);
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree char *ids[N_STUDENTS] = { 0 };
  gint64 answered = 0;
  gint64 q, run_id;

  q = add_question (c, Q_SHORT);
  {
    g_autofree char *body = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT "]}", q);

    run = launch (c, body);
  }
  run_id = json_object_get_int_member (run, "run_id");
  g_assert_true (json_object_has_member (run, "key"));

  /* Every student gets the question, without its key. */
  for (guint i = 0; i < N_STUDENTS; i++)
    {
      g_autoptr(CohortMessage) launched = cohort_test_client_next_event (c->students[i].client,
                                                                         COHORT_EV_QUIZ_LAUNCHED);
      JsonObject *body;

      g_assert_nonnull (launched);
      body = cohort_message_get_body (launched);
      g_assert_cmpint (json_object_get_int_member (body, "run_id"), ==, run_id);
      g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (body, "question"),
                                                      "prompt"), ==, "Capital of France?");
    }

  /* All 30 answer at once: every frame is on the wire before any reply is
   * read. Half are right (in various spellings). Each answer is unique so
   * that a leak would show. */
  for (guint i = 0; i < N_STUDENTS; i++)
    {
      g_autoptr(JsonObject) body = json_object_new ();
      g_autoptr(CohortMessage) msg = NULL;
      g_autofree char *json = NULL;
      g_autofree char *text = i % 2 == 0 ? g_strdup_printf ("  secret-PARIS ") :
                                           g_strdup_printf ("ANSWER-OF-%02u", i);

      ids[i] = g_strdup_printf ("answer-%u", i);
      json_object_set_int_member (body, "run_id", run_id);
      json_object_set_string_member (body, "answer", text);
      msg = cohort_message_new_request (COHORT_REQ_QUIZ_ANSWER, ids[i], body);
      json = cohort_message_to_json (msg, NULL);
      cohort_test_client_send_text (c->students[i].client, json);
    }

  for (guint i = 0; i < N_STUDENTS; i++)
    {
      g_autoptr(CohortMessage) reply = cohort_test_client_wait_reply (c->students[i].client, ids[i]);

      g_assert_nonnull (reply);
      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
      g_assert_false (json_object_get_boolean_member (cohort_message_get_body (reply), "changed"));
      /* The reply says nothing about being right. */
      g_assert_false (json_object_has_member (cohort_message_get_body (reply), "grade"));
      g_assert_false (json_object_has_member (cohort_message_get_body (reply), "points"));
    }

  /* The teacher's live results come in batches and add up to 30. */
  while (answered < N_STUDENTS)
    {
      g_autoptr(CohortMessage) progress = next_progress (c);
      JsonObject *body;
      JsonArray *answers;

      g_assert_nonnull (progress);
      body = cohort_message_get_body (progress);
      answered = json_object_get_int_member (body, "answered");
      answers = json_object_get_array_member (body, "answers");
      for (guint i = 0; i < json_array_get_length (answers); i++)
        {
          JsonObject *a = json_array_get_object_element (answers, i);
          gint64 pid = json_object_get_int_member (a, "participant_id");

          g_hash_table_add (seen, g_memdup2 (&pid, sizeof pid));
        }
      if (answered == N_STUDENTS)
        {
          g_assert_cmpint (json_object_get_int_member (body, "graded"), ==, N_STUDENTS);
          g_assert_cmpint (json_object_get_int_member (body, "correct"), ==, N_STUDENTS / 2);
          g_assert_cmpint (json_object_get_int_member (body, "median_ms"), >=, 0);
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, N_STUDENTS);

  /* Before the reveal: nobody saw the key or anyone else's answer. */
  for (guint i = 0; i < N_STUDENTS; i++)
    {
      g_autoptr(GPtrArray) frames = cohort_test_client_drain (c->students[i].client, 20);
      g_autofree char *other = g_strdup_printf ("ANSWER-OF-%02u", (i + 1) % N_STUDENTS);

      assert_no_leak (frames, c, i, other);
    }

  /* Show results closes the question; students then see the counts, still
   * without the key. */
  {
    g_autofree char *body = g_strdup_printf ("{\"run_id\": %" G_GINT64_FORMAT "}", run_id);
    g_autoptr(JsonObject) ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_SHOW_RESULTS, body);
    g_autoptr(CohortMessage) closed = cohort_test_client_next_event (c->students[3].client,
                                                                     COHORT_EV_QUIZ_CLOSED);
    g_autoptr(CohortMessage) results = cohort_test_client_next_event (c->students[3].client,
                                                                      COHORT_EV_QUIZ_RESULTS);
    g_autoptr(CohortMessage) late = NULL;
    g_autofree char *late_body = answer_body (run_id, "\"late\"");

    g_assert_nonnull (closed);
    g_assert_nonnull (results);
    g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (results), "answered"), ==,
                     N_STUDENTS);

    late = request (c->students[5].client, COHORT_REQ_QUIZ_ANSWER, late_body);
    assert_error (late, COHORT_ERROR_QUIZ_CLOSED, NULL);
  }

  /* Reveal: everyone gets the key, the explanation and the scores. */
  {
    g_autofree char *body = g_strdup_printf ("{\"run_id\": %" G_GINT64_FORMAT "}", run_id);
    g_autoptr(JsonObject) ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_REVEAL, body);

    for (guint i = 0; i < N_STUDENTS; i++)
      {
        g_autoptr(CohortMessage) revealed = cohort_test_client_next_event (c->students[i].client,
                                                                           COHORT_EV_QUIZ_REVEALED);
        g_autoptr(CohortMessage) scored = cohort_test_client_next_event (c->students[i].client,
                                                                         COHORT_EV_QUIZ_SCORED);
        JsonObject *key;
        JsonArray *scores;
        gboolean found = FALSE;

        g_assert_nonnull (revealed);
        key = json_object_get_object_member (cohort_message_get_body (revealed), "key");
        g_assert_cmpstr (json_object_get_string_member (key, "explanation"), ==, "SECRET-EXPLANATION");
        g_assert_nonnull (scored);
        scores = json_object_get_array_member (cohort_message_get_body (scored), "scores");
        g_assert_cmpuint (json_array_get_length (scores), ==, N_STUDENTS);
        for (guint k = 0; k < json_array_get_length (scores); k++)
          {
            JsonObject *s = json_array_get_object_element (scores, k);

            if (json_object_get_int_member (s, "participant_id") != c->students[i].id)
              continue;
            found = TRUE;
            g_assert_cmpstr (json_object_get_string_member (s, "grade"), ==,
                             i % 2 == 0 ? "correct" : "wrong");
            if (i % 2 == 0)
              {
                g_assert_cmpfloat (json_object_get_double_member (s, "points"), >=, 1.0);
                g_assert_cmpfloat (json_object_get_double_member (s, "points"), <=, 1.5);
              }
            else
              g_assert_cmpfloat (json_object_get_double_member (s, "points"), ==, 0.0);
          }
        g_assert_true (found);
      }
  }

  for (guint i = 0; i < N_STUDENTS; i++)
    g_assert_cmpuint (cohort_test_client_get_n_bad_frames (c->students[i].client), ==, 0);
  g_assert_cmpuint (cohort_test_client_get_n_bad_frames (c->teacher.client), ==, 0);
}

static void
sleep_until_ms (gint64 target_ms)
{
  gint64 now = g_get_real_time () / 1000;

  if (target_ms > now)
    g_usleep ((target_ms - now) * 1000);
}

static void
test_deadline_race (void)
{
  g_autoptr(Class) c = class_new (N_STUDENTS);
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(CohortMessage) closed = NULL;
  g_autofree char *ids[N_STUDENTS] = { 0 };
  gint64 q, run_id, deadline;

  q = add_question (c, Q_SINGLE);
  {
    g_autofree char *body = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT "], "
                                             "\"time_limit\": 5}", q);

    run = launch (c, body);
  }
  run_id = json_object_get_int_member (run, "run_id");
  deadline = json_object_get_int_member (run, "deadline");
  g_assert_cmpint (deadline, ==, json_object_get_int_member (run, "launched_at") + 5000);

  /* Students see the deadline (the countdown) too. */
  {
    g_autoptr(CohortMessage) launched = cohort_test_client_next_event (c->students[0].client,
                                                                       COHORT_EV_QUIZ_LAUNCHED);

    g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (launched), "deadline"), ==,
                     deadline);
  }

  /* Half the class answers 50 ms before the deadline, half 50 ms after. */
  for (guint half = 0; half < 2; half++)
    {
      sleep_until_ms (half == 0 ? deadline - 50 : deadline + 50);
      for (guint i = half; i < N_STUDENTS; i += 2)
        {
          g_autoptr(JsonObject) body = json_object_new ();
          g_autoptr(CohortMessage) msg = NULL;
          g_autofree char *json = NULL;

          ids[i] = g_strdup_printf ("race-%u", i);
          json_object_set_int_member (body, "run_id", run_id);
          json_object_set_int_member (body, "answer", 1);
          msg = cohort_message_new_request (COHORT_REQ_QUIZ_ANSWER, ids[i], body);
          json = cohort_message_to_json (msg, NULL);
          cohort_test_client_send_text (c->students[i].client, json);
        }
    }

  for (guint i = 0; i < N_STUDENTS; i++)
    {
      g_autoptr(CohortMessage) reply = cohort_test_client_wait_reply (c->students[i].client, ids[i]);

      g_assert_nonnull (reply);
      if (i % 2 == 0)
        {
          g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
          g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (reply), "answered_at"),
                           <, deadline);
        }
      else
        assert_error (reply, COHORT_ERROR_QUIZ_CLOSED, "run_id");
    }

  /* The server closed the question at the deadline on its own. */
  closed = cohort_test_client_next_event (c->teacher.client, COHORT_EV_QUIZ_CLOSED);
  g_assert_nonnull (closed);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (closed), "closed_at"), ==, deadline);
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (closed), "reason"), ==, "deadline");

  /* And the teacher's results count only the in-time half. */
  {
    g_autoptr(GPtrArray) frames = cohort_test_client_drain (c->teacher.client, 100);
    gint64 answered = -1;

    for (guint i = 0; i < frames->len; i++)
      {
        CohortMessage *m = g_ptr_array_index (frames, i);

        if (g_strcmp0 (cohort_message_get_name (m), COHORT_EV_QUIZ_PROGRESS) == 0)
          answered = json_object_get_int_member (cohort_message_get_body (m), "answered");
      }
    /* The last batch may have gone out before the close. */
    if (answered >= 0)
      g_assert_cmpint (answered, ==, N_STUDENTS / 2);
  }
  {
    g_autofree char *body = g_strdup_printf ("{\"run_id\": %" G_GINT64_FORMAT "}", run_id);
    g_autoptr(JsonObject) ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_SHOW_RESULTS, body);
    g_autoptr(CohortMessage) results = cohort_test_client_next_event (c->teacher.client,
                                                                      COHORT_EV_QUIZ_RESULTS);
    JsonArray *counts = json_object_get_array_member (cohort_message_get_body (results), "counts");

    g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (results), "answered"), ==,
                     N_STUDENTS / 2);
    g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (results), "correct"), ==,
                     N_STUDENTS / 2);
    g_assert_cmpuint (json_array_get_length (counts), ==, 3);
    g_assert_cmpint (json_array_get_int_element (counts, 1), ==, N_STUDENTS / 2);
    g_assert_cmpint (json_array_get_int_element (counts, 0), ==, 0);
  }
}

/* test_answer_rules: the scenario's state, taken through the stages below. */
typedef struct
{
  Class              *c;
  JsonObject         *run;
  JsonObject         *first;
  JsonObject         *same;
  CohortMessage      *reply;
  CohortMessage      *again;
  char               *first_json;
  char               *again_json;
  CohortTestClient   *s0;
  CohortTestClient   *s1;
  gint64             q;
  gint64             q2;
  gint64             run_id;
} AnswerRules;

static void
answer_rules_setup (AnswerRules *st)
{
  st->c = class_new (2);
  st->s0 = st->c->students[0].client;
  st->s1 = st->c->students[1].client;
  st->q = add_question (st->c, Q_SINGLE);
  st->q2 = add_question (st->c, "{\"type\":\"multiple\",\"prompt\":\"Pick\",\"choices\":[\"a\",\"b\",\"c\"],"
                        "\"correct\":[0,2]}");
}

static void
answer_rules_teardown (AnswerRules *st)
{
  g_clear_pointer (&st->again_json, g_free);
  g_clear_pointer (&st->first_json, g_free);
  g_clear_pointer (&st->again, cohort_message_unref);
  g_clear_pointer (&st->reply, cohort_message_unref);
  g_clear_pointer (&st->same, json_object_unref);
  g_clear_pointer (&st->first, json_object_unref);
  g_clear_pointer (&st->run, json_object_unref);
  g_clear_pointer (&st->c, class_free);
}

/* Nothing launched yet. */
static void
answer_rules_nothing_launched (AnswerRules *st)
{
  {
    g_autofree char *body = answer_body (1, "0");

    st->reply = request (st->s0, COHORT_REQ_QUIZ_ANSWER, body);
    assert_error (st->reply, COHORT_ERROR_NOT_FOUND, "run_id");
    g_clear_pointer (&st->reply, cohort_message_unref);
  }
}

/* A student cannot launch; the teacher cannot answer. */
static void
answer_rules_roles (AnswerRules *st)
{
  {
    g_autofree char *body = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT "]}", st->q);

    st->reply = request (st->s0, COHORT_REQ_QUIZ_LAUNCH, body);
    assert_error (st->reply, COHORT_ERROR_FORBIDDEN, NULL);
    g_clear_pointer (&st->reply, cohort_message_unref);
    st->reply = request (st->c->teacher.client, COHORT_REQ_QUIZ_LAUNCH, "{\"question_ids\": [999999]}");
    assert_error (st->reply, COHORT_ERROR_NOT_FOUND, "question_ids");
    g_clear_pointer (&st->reply, cohort_message_unref);
    st->reply = request (st->c->teacher.client, COHORT_REQ_QUIZ_LAUNCH, "{\"question_ids\": []}");
    assert_error (st->reply, COHORT_ERROR_INVALID, "question_ids");
    g_clear_pointer (&st->reply, cohort_message_unref);
    g_free (body);
    /* A sequence of two, first answers final. */
    body = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "], "
                            "\"allow_change\": false}", st->q, st->q2);
    st->run = launch (st->c, body);
  }
  st->run_id = json_object_get_int_member (st->run, "run_id");
  g_assert_cmpint (json_object_get_int_member (st->run, "count"), ==, 2);
  g_assert_true (json_object_get_null_member (st->run, "deadline"));
  {
    g_autofree char *body = answer_body (st->run_id, "0");

    st->reply = request (st->c->teacher.client, COHORT_REQ_QUIZ_ANSWER, body);
    assert_error (st->reply, COHORT_ERROR_FORBIDDEN, NULL);
    g_clear_pointer (&st->reply, cohort_message_unref);
  }
}

/* Answers of the wrong shape. */
static void
answer_rules_wrong_shape (AnswerRules *st)
{
  {
    const char *wrong[] = { "\"Mercury\"", "3", "[1]", "true", "-1", "{}", "null" };

    for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
      {
        g_autofree char *body = answer_body (st->run_id, wrong[i]);

        st->reply = request (st->s0, COHORT_REQ_QUIZ_ANSWER, body);
        assert_error (st->reply, COHORT_ERROR_INVALID, "answer");
        g_clear_pointer (&st->reply, cohort_message_unref);
      }
  }
}

/* One answer per student: the same request id gets the same reply byte
 * for byte; the same answer with a new id changes nothing; another answer
 * is refused because the first is final. */
static void
answer_rules_one_answer (AnswerRules *st)
{
  {
    g_autoptr(JsonObject) body = parse_object ("{\"answer\": 1}");

    json_object_set_int_member (body, "run_id", st->run_id);
    st->reply = cohort_test_client_request (st->s0, COHORT_REQ_QUIZ_ANSWER, "fixed-id-1", body);
    g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
    st->again = cohort_test_client_request (st->s0, COHORT_REQ_QUIZ_ANSWER, "fixed-id-1", body);
    st->first_json = cohort_message_to_json (st->reply, NULL);
    st->again_json = cohort_message_to_json (st->again, NULL);
    g_assert_cmpstr (st->first_json, ==, st->again_json);
    g_clear_pointer (&st->reply, cohort_message_unref);
  }
  {
    g_autofree char *body = answer_body (st->run_id, "1");

    st->same = request_ok (st->s0, COHORT_REQ_QUIZ_ANSWER, body);
    g_assert_false (json_object_get_boolean_member (st->same, "changed"));
    g_free (body);
    body = answer_body (st->run_id, "2");
    st->reply = request (st->s0, COHORT_REQ_QUIZ_ANSWER, body);
    assert_error (st->reply, COHORT_ERROR_FORBIDDEN, "answer");
    g_clear_pointer (&st->reply, cohort_message_unref);
  }
}

/* The next question of the sequence closes this one. */
static void
answer_rules_next_closes (AnswerRules *st)
{
  {
    g_autoptr(JsonObject) ok = request_ok (st->c->teacher.client, COHORT_REQ_QUIZ_NEXT, "{}");
    JsonObject *next = json_object_get_object_member (ok, "run");
    g_autofree char *old = answer_body (st->run_id, "1");
    gint64 next_id = json_object_get_int_member (next, "run_id");

    g_assert_cmpint (json_object_get_int_member (next, "index"), ==, 1);
    st->reply = request (st->s1, COHORT_REQ_QUIZ_ANSWER, old);
    assert_error (st->reply, COHORT_ERROR_QUIZ_CLOSED, NULL);
    g_clear_pointer (&st->reply, cohort_message_unref);

    /* Multiple choice: lists, no repeats. */
    g_free (old);
    old = answer_body (next_id, "[0, 0]");
    st->reply = request (st->s1, COHORT_REQ_QUIZ_ANSWER, old);
    assert_error (st->reply, COHORT_ERROR_INVALID, "answer");
    g_clear_pointer (&st->reply, cohort_message_unref);
    g_free (old);
    old = answer_body (next_id, "[2, 0]");
    g_clear_pointer (&st->first, json_object_unref);
    st->first = request_ok (st->s1, COHORT_REQ_QUIZ_ANSWER, old);

    st->reply = request (st->c->teacher.client, COHORT_REQ_QUIZ_NEXT, "{}");
    assert_error (st->reply, COHORT_ERROR_NOT_FOUND, NULL);
    g_clear_pointer (&st->reply, cohort_message_unref);
  }
}

static const CohortTestStageFunc answer_rules_stages[] = {
  (CohortTestStageFunc) answer_rules_nothing_launched,
  (CohortTestStageFunc) answer_rules_roles,
  (CohortTestStageFunc) answer_rules_wrong_shape,
  (CohortTestStageFunc) answer_rules_one_answer,
  (CohortTestStageFunc) answer_rules_next_closes,
};

static const char *answer_rules_cases[] = {
  "nothing-launched",
  "roles",
  "wrong-shape",
  "one-answer",
  "next-closes",
};

static void
test_change_allowed (void)
{
  g_autoptr(Class) c = class_new (1);
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(JsonObject) second = NULL;
  gint64 q, run_id;
  gboolean saw_change = FALSE;

  q = add_question (c, Q_SINGLE);
  {
    g_autofree char *body = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT "]}", q);

    run = launch (c, body);
  }
  run_id = json_object_get_int_member (run, "run_id");
  g_assert_true (json_object_get_boolean_member (run, "allow_change"));
  {
    g_autofree char *body = answer_body (run_id, "0");
    g_autoptr(JsonObject) first = request_ok (c->students[0].client, COHORT_REQ_QUIZ_ANSWER, body);

    g_free (body);
    body = answer_body (run_id, "1");
    second = request_ok (c->students[0].client, COHORT_REQ_QUIZ_ANSWER, body);
    g_assert_true (json_object_get_boolean_member (second, "changed"));
  }

  /* The teacher's results hold one answer, the new one. */
  while (!saw_change)
    {
      g_autoptr(CohortMessage) progress = next_progress (c);
      JsonObject *body;
      JsonArray *answers;

      g_assert_nonnull (progress);
      body = cohort_message_get_body (progress);
      g_assert_cmpint (json_object_get_int_member (body, "answered"), ==, 1);
      answers = json_object_get_array_member (body, "answers");
      for (guint i = 0; i < json_array_get_length (answers); i++)
        if (json_object_get_int_member (json_array_get_object_element (answers, i), "answer") == 1)
          {
            g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (answers, i),
                                                            "grade"), ==, "correct");
            saw_change = TRUE;
          }
      if (saw_change)
        g_assert_cmpint (json_object_get_int_member (body, "correct"), ==, 1);
    }
}

static JsonObject *
resume_snapshot (CohortTestClient *client,
                 const char       *token)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "token", token);
  /* Ahead of the server: always a snapshot, like a fresh client. */
  json_object_set_int_member (body, "last_seq", COHORT_MAX_SAFE_INT);
  reply = cohort_test_client_request (client, COHORT_REQ_RESUME, NULL, body);
  g_assert_nonnull (reply);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (reply), "mode"), ==, "snapshot");
  return json_object_ref (cohort_message_get_body (reply));
}

static void
test_welcome_and_restart (void)
{
  g_autoptr(Class) c = class_new (3);
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(JsonObject) teacher_view = NULL;
  g_autoptr(JsonObject) student_view = NULL;
  g_autoptr(JsonObject) late_view = NULL;
  g_autoptr(CohortTestClient) late = NULL;
  g_autoptr(GString) wire = NULL;
  gint64 q, run_id;
  JsonObject *quiz;

  q = add_question (c, Q_SHORT);
  {
    g_autofree char *body = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT "], "
                                             "\"time_limit\": 600}", q);

    run = launch (c, body);
  }
  run_id = json_object_get_int_member (run, "run_id");
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *body = answer_body (run_id, i == 0 ? "\"secret-paris\"" : "\"ANSWER-OF-01\"");
      g_autoptr(JsonObject) ok = request_ok (c->students[i].client, COHORT_REQ_QUIZ_ANSWER, body);
    }

  /* Results survive a restart, and everyone who comes back sees the live
   * state in the reply that brings them back. */
  cohort_test_server_restart (c->server);

  for (guint i = 0; i < c->n_students; i++)
    g_clear_pointer (&c->students[i].client, cohort_test_client_free);
  g_clear_pointer (&c->teacher.client, cohort_test_client_free);

  c->teacher.client = cohort_test_client_new (cohort_test_server_get_url (c->server));
  teacher_view = resume_snapshot (c->teacher.client, c->teacher.token);
  quiz = json_object_get_object_member (teacher_view, COHORT_QUIZ_WELCOME_MEMBER);
  g_assert_nonnull (quiz);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (quiz, "bank")), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (quiz, "run"), "run_id"), ==,
                   run_id);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (quiz, "run"), "closed_at"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (quiz, "answers")), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (quiz, "run"), "results"), "correct"), ==, 1);

  c->students[0].client = cohort_test_client_new (cohort_test_server_get_url (c->server));
  student_view = resume_snapshot (c->students[0].client, c->students[0].token);
  quiz = json_object_get_object_member (student_view, COHORT_QUIZ_WELCOME_MEMBER);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (quiz, "run"), "run_id"), ==,
                   run_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (quiz, "you"), "answer"),
                   ==, "secret-paris");
  /* The student's welcome holds no key and no other answer. */
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), quiz);
    g_autofree char *text = json_to_string (node, FALSE);

    g_assert_null (strstr (text, "SECRET"));
    g_assert_null (strstr (text, "ANSWER-OF-01"));
    g_assert_null (strstr (text, "\"grade\""));
  }

  /* A student who disconnected comes back in time and can still answer. */
  c->students[2].client = cohort_test_client_new (cohort_test_server_get_url (c->server));
  g_clear_pointer (&late_view, json_object_unref);
  late_view = resume_snapshot (c->students[2].client, c->students[2].token);
  g_assert_true (json_object_get_null_member (json_object_get_object_member (late_view, "quiz"), "you"));
  {
    g_autofree char *body = answer_body (run_id, "\"Paris\"");
    g_autoptr(JsonObject) ok = request_ok (c->students[2].client, COHORT_REQ_QUIZ_ANSWER, body);
  }

  /* A newcomer joining mid-quiz sees the question too. */
  late = cohort_test_client_new (cohort_test_server_get_url (c->server));
  {
    g_autoptr(JsonObject) joined = cohort_test_client_join (late, c->code, "Newcomer", NULL);
    JsonObject *lq = json_object_get_object_member (joined, COHORT_QUIZ_WELCOME_MEMBER);

    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (lq, "run"), "deadline"),
                     ==, json_object_get_int_member (run, "deadline"));
  }

  /* Reveal after the restart; a fresh student view holds the history. */
  {
    g_autofree char *body = g_strdup_printf ("{\"run_id\": %" G_GINT64_FORMAT "}", run_id);
    g_autoptr(JsonObject) ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_REVEAL, body);
    g_autoptr(CohortTestClient) again = cohort_test_client_new (cohort_test_server_get_url (c->server));
    g_autoptr(JsonObject) view = resume_snapshot (again, c->students[0].token);
    JsonObject *vq = json_object_get_object_member (view, COHORT_QUIZ_WELCOME_MEMBER);
    JsonArray *history = json_object_get_array_member (vq, "history");
    JsonObject *item;

    g_assert_cmpuint (json_array_get_length (history), ==, 1);
    item = json_array_get_object_element (history, 0);
    g_assert_cmpstr (json_object_get_string_member (item, "grade"), ==, "correct");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (item, "key"),
                                                    "explanation"), ==, "SECRET-EXPLANATION");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (vq, "you"), "grade"),
                     ==, "correct");
  }

  /* And the teacher's score table. */
  {
    g_autoptr(CohortTestClient) again = cohort_test_client_new (cohort_test_server_get_url (c->server));
    g_autoptr(JsonObject) view = resume_snapshot (again, c->teacher.token);
    JsonArray *scores = json_object_get_array_member (
      json_object_get_object_member (view, COHORT_QUIZ_WELCOME_MEMBER), "scores");

    g_assert_cmpuint (json_array_get_length (scores), ==, 3);
  }
}

static void
test_deadline_across_restart (void)
{
  g_autoptr(Class) c = class_new (1);
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(JsonObject) view = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  gint64 q, run_id, deadline;

  q = add_question (c, Q_SINGLE);
  {
    g_autofree char *body = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT "], "
                                             "\"time_limit\": 5}", q);

    run = launch (c, body);
  }
  run_id = json_object_get_int_member (run, "run_id");
  deadline = json_object_get_int_member (run, "deadline");

  /* Killed before the deadline, started again after it. */
  cohort_test_server_kill (c->server);
  sleep_until_ms (deadline + 100);
  cohort_test_server_restart (c->server);
  g_clear_pointer (&c->teacher.client, cohort_test_client_free);
  g_clear_pointer (&c->students[0].client, cohort_test_client_free);

  c->students[0].client = cohort_test_client_new (cohort_test_server_get_url (c->server));
  view = resume_snapshot (c->students[0].client, c->students[0].token);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (view, "quiz"), "run"), "closed_at"), ==, deadline);
  {
    g_autofree char *body = answer_body (run_id, "1");

    reply = request (c->students[0].client, COHORT_REQ_QUIZ_ANSWER, body);
    assert_error (reply, COHORT_ERROR_QUIZ_CLOSED, NULL);
  }
}

/* In process: the hook the AI helper uses. */
/* identity: an in-process server's staff account, for the shared helpers
 * that start classes (tests/common). */
static void
test_is_running (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cohort-quiz-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "db.sqlite", NULL);
  g_autoptr(CohortStore) store = NULL;
  g_autoptr(CohortServer) server = NULL;
  g_autoptr(CohortTestClient) teacher = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) ok = NULL;
  g_autofree char *url = NULL;
  gint64 class_id, q, run_id;

  g_assert_no_error (error);
  store = cohort_store_open (path, &error);
  g_assert_no_error (error);
  server = cohort_assembly_new_server (COHORT_STORE (store));
  url = cohort_test_in_process_listen (server, COHORT_STORE (store));

  teacher = cohort_test_client_new (url);
  created = cohort_test_client_create_class (teacher, "AI lock", "Teacher");
  class_id = json_object_get_int_member (json_object_get_object_member (created, "class"), "id");
  g_assert_false (_cohort_quiz_service_is_running (server, class_id));

  ok = request_ok (teacher, COHORT_REQ_QUIZ_QUESTION_CREATE, "{\"question\": " Q_SINGLE "}");
  q = json_object_get_int_member (json_object_get_object_member (ok, "question"), "id");
  g_clear_pointer (&ok, json_object_unref);
  {
    g_autofree char *body = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT "]}", q);

    ok = request_ok (teacher, COHORT_REQ_QUIZ_LAUNCH, body);
  }
  run_id = json_object_get_int_member (json_object_get_object_member (ok, "run"), "run_id");
  g_assert_true (_cohort_quiz_service_is_running (server, class_id));
  g_assert_false (_cohort_quiz_service_is_running (server, class_id + 1));
  {
    g_autofree char *body = g_strdup_printf ("{\"run_id\": %" G_GINT64_FORMAT "}", run_id);
    g_autoptr(JsonObject) closed = request_ok (teacher, COHORT_REQ_QUIZ_CLOSE, body);
  }
  g_assert_false (_cohort_quiz_service_is_running (server, class_id));

  g_clear_pointer (&teacher, cohort_test_client_free);
  g_clear_object (&server);
  g_clear_object (&store);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
}

/* docs/protocol.md, "Text rules": a free-text answer and a question's
 * texts lose bidi overrides and zero-width characters; with nothing
 * visible left they are refused. */
static void
test_hostile_text (void)
{
  g_autoptr(Class) c = class_new (2);
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(JsonObject) ok = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *prompt = NULL;
  const char *refused[] = { "\"\\u3164\"", "\"\\u200b\"", "\"\\u202e\\u2069\"", "\"\\u2800\"" };
  gint64 q, run_id;

  /* A question whose prompt is only a Hangul filler, or a choice that is. */
  reply = request (c->teacher.client, COHORT_REQ_QUIZ_QUESTION_CREATE,
                   "{\"question\":{\"type\":\"short\",\"prompt\":\"\\u3164\",\"accepted\":[\"x\"]}}");
  assert_error (reply, COHORT_ERROR_INVALID, NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = request (c->teacher.client, COHORT_REQ_QUIZ_QUESTION_CREATE,
                   "{\"question\":{\"type\":\"single\",\"prompt\":\"Pick\",\"choices\":[\"a\",\"\\u200b\"],"
                   "\"correct\":[0]}}");
  assert_error (reply, COHORT_ERROR_INVALID, NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  ok = request_ok (c->teacher.client, COHORT_REQ_QUIZ_QUESTION_CREATE,
                   "{\"question\":{\"type\":\"open\",\"prompt\":\"Why\\u202e?\"}}");
  q = json_object_get_int_member (json_object_get_object_member (ok, "question"), "id");
  prompt = g_strdup (json_object_get_string_member (json_object_get_object_member (ok, "question"), "prompt"));
  g_assert_cmpstr (prompt, ==, "Why?");

  {
    g_autofree char *body = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT "]}", q);

    run = launch (c, body);
  }
  run_id = json_object_get_int_member (run, "run_id");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *body = answer_body (run_id, refused[i]);

      g_test_message ("answer %s", refused[i]);
      reply = request (c->students[0].client, COHORT_REQ_QUIZ_ANSWER, body);
      assert_error (reply, COHORT_ERROR_INVALID, "answer");
      g_assert_cmpstr (cohort_invalid_reason_to_string (cohort_message_get_reason (reply)), ==, "bad_text");
      g_clear_pointer (&reply, cohort_message_unref);
    }

  {
    g_autofree char *body = answer_body (run_id, "\"Because\\u202e \\u2066gravity\\u2069\\u200b\\r\\npulls\"");
    g_autoptr(JsonObject) answered = request_ok (c->students[0].client, COHORT_REQ_QUIZ_ANSWER, body);
  }
  stored = cohort_test_db_query_text (cohort_test_server_get_db_path (c->server),
                                      "SELECT answer FROM quiz_answers");
  g_assert_cmpstr (stored, ==, "\"Because gravity\\npulls\"");
}

/* Under the sanitizers (build-aux/run-tests.sh's second pass) 30
 * students cannot answer in time, and answers sent just before a deadline
 * arrive after it; these tests run in the first pass. */
static void
skip_when_slow (void)
{
  g_test_skip ("Too slow under the sanitizers to race the quiz’s deadlines");
}

int
main (int   argc,
      char *argv[])
{
  AnswerRules answer_rules_state = { 0 };
  g_autoptr(CohortTestStages) answer_rules_run = NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/quiz/server/bank", test_bank);
  g_test_add_func ("/cohort/quiz/server/import", test_import);
  g_test_add_func ("/cohort/quiz/server/thirty-students-no-leak",
                   cohort_test_client_get_timeout_scale () > 1 ? skip_when_slow : test_thirty_students);
  g_test_add_func ("/cohort/quiz/server/deadline-race",
                   cohort_test_client_get_timeout_scale () > 1 ? skip_when_slow : test_deadline_race);
  answer_rules_run = cohort_test_stages_new (&answer_rules_state,
                                             (CohortTestStageFunc) answer_rules_setup,
                                             (CohortTestStageFunc) answer_rules_teardown,
                                             answer_rules_stages,
                                             G_N_ELEMENTS (answer_rules_stages));
  cohort_test_stages_add_each (answer_rules_run, "/cohort/quiz/server/answer-rules",
                               answer_rules_cases);
  g_test_add_func ("/cohort/quiz/server/change-allowed", test_change_allowed);
  g_test_add_func ("/cohort/quiz/server/welcome-and-restart", test_welcome_and_restart);
  g_test_add_func ("/cohort/quiz/server/deadline-across-restart", test_deadline_across_restart);
  g_test_add_func ("/cohort/quiz/server/is-running", test_is_running);
  g_test_add_func ("/cohort/quiz/server/hostile-text", test_hostile_text);

  return g_test_run ();
}

/* test-practice.c: knowledge points, adaptive practice and mastery against
 * a real server and its SQLite store: tags from an imported bank, roles,
 * validation, grading with the explanation, the unrevealed-quiz rule,
 * live quiz answers counting, the ledger, and the cache against a full
 * recompute of the log
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "cohort-mastery.h"
#include "cohort-practice-protocol.h"
#include "cohort-protocol.h"
#include "cohort-quiz-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-db.h"
#include "cohort-test-server.h"

/* Fractions: six true/false questions (answer: true), one after_live,
 * one practice_only; Decimals: three; Planets: one open question. The
 * explanations are marked so a test can look for them on the wire. */
static const char bank_file[] =
  "{\"format\":\"cohort-quiz\",\"version\":2,\"questions\":["
  "{\"type\":\"true_false\",\"prompt\":\"F1\",\"correct\":true,\"explanation\":\"KEY-F1\",\"knowledge_points\":[\"Fractions\"]},"
  "{\"type\":\"true_false\",\"prompt\":\"F2\",\"correct\":true,\"explanation\":\"KEY-F2\",\"knowledge_points\":[\"fractions\"]},"
  "{\"type\":\"true_false\",\"prompt\":\"F3\",\"correct\":true,\"explanation\":\"KEY-F3\",\"knowledge_points\":[\"Fractions\"]},"
  "{\"type\":\"true_false\",\"prompt\":\"F4\",\"correct\":true,\"explanation\":\"KEY-F4\",\"knowledge_points\":[\"Fractions\"]},"
  "{\"type\":\"true_false\",\"prompt\":\"F5\",\"correct\":true,\"explanation\":\"KEY-F5\",\"knowledge_points\":[\"Fractions\"],\"practice\":\"after_live\"},"
  "{\"type\":\"true_false\",\"prompt\":\"F6\",\"correct\":true,\"explanation\":\"KEY-F6\",\"knowledge_points\":[\"Fractions\",\"Decimals\"],\"practice\":\"practice_only\"},"
  "{\"type\":\"single\",\"prompt\":\"D1\",\"choices\":[\"a\",\"b\"],\"correct\":[1],\"explanation\":\"KEY-D1\",\"knowledge_points\":[\"Decimals\"]},"
  "{\"type\":\"single\",\"prompt\":\"D2\",\"choices\":[\"a\",\"b\"],\"correct\":[1],\"explanation\":\"KEY-D2\",\"knowledge_points\":[\"Decimals\"]},"
  "{\"type\":\"open\",\"prompt\":\"P1\",\"knowledge_points\":[\"Planets\"]}"
  "]}";

enum { F1, F2, F3, F4, F5, F6, D1, D2, P1, N_QUESTIONS };

typedef struct
{
  CohortTestClassroom k;
  CohortTestClient   *bob;
  gint64              class_id;
  gint64              bob_id;
  gint64              q[N_QUESTIONS];
} Class;

static JsonObject *
ok_json (CohortTestClient *client,
         const char       *type,
         const char       *body_json)
{
  return cohort_test_client_ok_json (client, type, body_json);
}

static CohortMessage *
request (CohortTestClient *client,
         const char       *type,
         const char       *body_json)
{
  g_autoptr(JsonNode) node = json_from_string (body_json, NULL);

  g_assert_nonnull (node);
  return cohort_test_client_request (client, type, NULL, json_node_get_object (node));
}

static void
class_open (Class *c)
{
  g_autofree char *import = g_strdup_printf ("{\"file\": %s}", bank_file);
  g_autoptr(JsonObject) imported = NULL;
  g_autoptr(JsonObject) joined = NULL;
  JsonArray *ids;

  cohort_test_classroom_open (&c->k, "Maths", "Ms Li", "Ann");
  imported = ok_json (c->k.teacher, COHORT_REQ_QUIZ_IMPORT, import);
  ids = json_object_get_array_member (imported, "question_ids");
  g_assert_cmpuint (json_array_get_length (ids), ==, N_QUESTIONS);
  for (guint i = 0; i < N_QUESTIONS; i++)
    c->q[i] = json_array_get_int_element (ids, i);

  c->bob = cohort_test_client_new (cohort_test_server_get_url (c->k.server));
  joined = cohort_test_client_join (c->bob, c->k.code, "Bob", NULL);
  c->bob_id = json_object_get_int_member (json_object_get_object_member (joined, "you"), "id");
  c->class_id = json_object_get_int_member (json_object_get_object_member (joined, "class"), "id");
}

static void
class_close (Class *c)
{
  g_clear_pointer (&c->bob, cohort_test_client_free);
  cohort_test_classroom_close (&c->k);
}

static JsonObject *
find_by (JsonArray  *array,
         const char *member,
         const char *name)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member (o, member), name) == 0)
        return o;
    }
  return NULL;
}

static gint64
point_id (Class      *c,
          const char *name)
{
  g_autoptr(JsonObject) list = ok_json (c->k.teacher, COHORT_REQ_KNOWLEDGE_LIST, "{}");
  JsonObject *p = find_by (json_object_get_array_member (list, "points"), "name", name);

  g_assert_nonnull (p);
  return json_object_get_int_member (p, "point_id");
}

static JsonObject *
answer (CohortTestClient *client,
        gint64            question_id,
        const char       *answer_json)
{
  g_autofree char *body = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT ", \"answer\": %s}",
                                           question_id, answer_json);

  return ok_json (client, COHORT_REQ_PRACTICE_ANSWER, body);
}

static void
assert_refused (CohortTestClient *client,
                const char       *type,
                const char       *body_json,
                const char       *code,
                const char       *field)
{
  g_autoptr(CohortMessage) reply = request (client, type, body_json);

  g_assert_nonnull (reply);
  cohort_test_client_assert_error (reply, code, field);
}

/* The bank's tags became the class's points, once each whatever the case
 * ("Fractions", "fractions"); the open question's point has no
 * practisable question; a student sees only points that are on. */
static void
test_knowledge_points (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) student = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autofree char *off = NULL;
  JsonArray *points;
  gint64 fractions;

  class_open (&c);
  list = ok_json (c.k.teacher, COHORT_REQ_KNOWLEDGE_LIST, "{}");
  points = json_object_get_array_member (list, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 3);
  /* F1–F4 and F6 (F5 waits for a live reveal) */
  g_assert_cmpint (json_object_get_int_member (find_by (points, "name", "Fractions"), "questions"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (find_by (points, "name", "Decimals"), "questions"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (find_by (points, "name", "Planets"), "questions"), ==, 0);

  /* a new point; the same name again is refused */
  created = ok_json (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET, "{\"name\": \"Percentages\"}");
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (created, "point"), "practice"));
  assert_refused (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET, "{\"name\": \"PERCENTAGES\"}", "invalid", "name");
  assert_refused (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET, "{}", "invalid", "name");
  assert_refused (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET, "{\"point_id\": 99999, \"practice\": false}",
                  "not_found", "point_id");
  /* the table: type, size, range */
  assert_refused (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET, "{\"name\": 5}", "invalid", "name");
  assert_refused (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET,
                  "{\"name\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
                  "invalid", "name");
  assert_refused (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET, "{\"point_id\": 0}", "invalid", "point_id");
  assert_refused (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET, "{\"point_id\": 1, \"practice\": \"no\"}",
                  "invalid", "practice");
  /* students do not change points */
  assert_refused (c.k.student, COHORT_REQ_KNOWLEDGE_SET, "{\"name\": \"Mine\"}", "forbidden", NULL);
  /* a tagged point cannot go; an untagged one can */
  fractions = point_id (&c, "Fractions");
  {
    g_autofree char *body = g_strdup_printf ("{\"point_id\": %" G_GINT64_FORMAT "}", fractions);

    assert_refused (c.k.teacher, COHORT_REQ_KNOWLEDGE_DELETE, body, "invalid", "point_id");
  }

  /* practice off for Fractions: gone from the student's list and sets */
  off = g_strdup_printf ("{\"point_id\": %" G_GINT64_FORMAT ", \"practice\": false}", fractions);
  g_clear_pointer (&created, json_object_unref);
  created = ok_json (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET, off);
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (created, "point"), "practice"));
  {
    g_autoptr(CohortMessage) changed = cohort_test_client_next_event (c.k.student, COHORT_EV_KNOWLEDGE_CHANGED);

    g_assert_nonnull (changed);
  }
  student = ok_json (c.k.student, COHORT_REQ_KNOWLEDGE_LIST, "{}");
  g_assert_null (find_by (json_object_get_array_member (student, "points"), "name", "Fractions"));
  g_assert_nonnull (find_by (json_object_get_array_member (student, "points"), "name", "Decimals"));
  {
    g_autofree char *focus = g_strdup_printf ("{\"point_id\": %" G_GINT64_FORMAT "}", fractions);
    g_autoptr(JsonObject) set = ok_json (c.k.student, COHORT_REQ_PRACTICE_NEXT, "{}");
    JsonArray *questions = json_object_get_array_member (set, "questions");
    g_autofree char *answer_body = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT ", \"answer\": true}",
                                                    c.q[F1]);

    assert_refused (c.k.student, COHORT_REQ_PRACTICE_NEXT, focus, "not_found", "point_id");
    /* D1, D2 and F6 (tagged Decimals too) */
    g_assert_cmpuint (json_array_get_length (questions), ==, 3);
    for (guint i = 0; i < json_array_get_length (questions); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (questions, i), "point"),
                       ==, "Decimals");
    assert_refused (c.k.student, COHORT_REQ_PRACTICE_ANSWER, answer_body, "not_found", "question_id");
  }

  class_close (&c);
}

/* Whether @tags (a question's knowledge_points) holds @name exactly. */
static gboolean
has_tag (JsonArray  *tags,
         const char *name)
{
  for (guint i = 0; tags != NULL && i < json_array_get_length (tags); i++)
    if (g_strcmp0 (json_array_get_string_element (tags, i), name) == 0)
      return TRUE;
  return FALSE;
}

/* knowledge.set renames a point: the questions tagged with it follow (the
 * teacher's bank gets each as quiz.question.saved, an export carries the
 * new name), the point keeps its id, its questions and its students'
 * estimates, and the old name does not come back as a new point. A name
 * another point has (case folded) is refused; a change of case is not. */
static void
test_rename (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) renamed = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) exported = NULL;
  g_autoptr(JsonObject) set = NULL;
  g_autoptr(JsonObject) mastery = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GHashTable) saved = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *to_taken = NULL;
  g_autofree char *to_new = NULL;
  g_autofree char *to_case = NULL;
  g_autofree char *by_student = NULL;
  g_autofree char *mastery_body = NULL;
  JsonArray *points, *questions;
  JsonObject *point;
  gint64 decimals;

  class_open (&c);
  decimals = point_id (&c, "Decimals");
  /* Bob's answer to D1 gives the point an estimate to keep. */
  {
    g_autoptr(JsonObject) answered = answer (c.bob, c.q[D1], "1");
  }
  g_ptr_array_unref (cohort_test_client_drain (c.k.teacher, 300));

  to_taken = g_strdup_printf ("{\"point_id\": %" G_GINT64_FORMAT ", \"name\": \"FRACTIONS\"}", decimals);
  assert_refused (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET, to_taken, "invalid", "name");
  by_student = g_strdup_printf ("{\"point_id\": %" G_GINT64_FORMAT ", \"name\": \"Mine\"}", decimals);
  assert_refused (c.k.student, COHORT_REQ_KNOWLEDGE_SET, by_student, "forbidden", NULL);

  to_new = g_strdup_printf ("{\"point_id\": %" G_GINT64_FORMAT ", \"name\": \"Decimal numbers\"}", decimals);
  renamed = ok_json (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET, to_new);
  point = json_object_get_object_member (renamed, "point");
  g_assert_cmpint (json_object_get_int_member (point, "point_id"), ==, decimals);
  g_assert_cmpstr (json_object_get_string_member (point, "name"), ==, "Decimal numbers");
  g_assert_cmpint (json_object_get_int_member (point, "questions"), ==, 3);
  g_assert_true (json_object_get_boolean_member (point, "practice"));

  /* D1, D2 and F6 retagged, F6 keeping Fractions; to the teacher */
  received = cohort_test_client_drain (c.k.teacher, 400);
  for (guint i = 0; i < received->len; i++)
    {
      CohortMessage *m = g_ptr_array_index (received, i);
      JsonObject *q;
      JsonArray *tags;
      gint64 id;

      if (cohort_message_get_kind (m) != COHORT_MESSAGE_EVENT ||
          g_strcmp0 (cohort_message_get_name (m), COHORT_EV_QUIZ_QUESTION_SAVED) != 0)
        continue;
      q = json_object_get_object_member (cohort_message_get_body (m), "question");
      tags = json_object_get_array_member (q, "knowledge_points");
      g_assert_true (has_tag (tags, "Decimal numbers"));
      g_assert_false (has_tag (tags, "Decimals"));
      id = json_object_get_int_member (q, "id");
      g_hash_table_add (saved, g_memdup2 (&id, sizeof id));
      if (id == c.q[F6])
        g_assert_true (has_tag (tags, "Fractions"));
    }
  g_assert_cmpuint (g_hash_table_size (saved), ==, 3);
  g_assert_true (g_hash_table_contains (saved, &c.q[D1]));
  g_assert_true (g_hash_table_contains (saved, &c.q[D2]));
  g_assert_true (g_hash_table_contains (saved, &c.q[F6]));

  /* the same three points: the old name did not come back */
  list = ok_json (c.k.teacher, COHORT_REQ_KNOWLEDGE_LIST, "{}");
  points = json_object_get_array_member (list, "points");
  g_assert_cmpuint (json_array_get_length (points), ==, 3);
  g_assert_null (find_by (points, "name", "Decimals"));
  g_assert_cmpint (json_object_get_int_member (find_by (points, "name", "Decimal numbers"), "point_id"), ==,
                   decimals);

  /* an export carries the new name */
  exported = ok_json (c.k.teacher, COHORT_REQ_QUIZ_EXPORT, "{}");
  questions = json_object_get_array_member (json_object_get_object_member (exported, "file"), "questions");
  for (guint i = 0; i < json_array_get_length (questions); i++)
    g_assert_false (has_tag (json_object_get_array_member (json_array_get_object_element (questions, i),
                                                           "knowledge_points"), "Decimals"));
  g_assert_true (has_tag (json_object_get_array_member (json_array_get_object_element (questions, D1),
                                                        "knowledge_points"), "Decimal numbers"));

  /* Bob's estimate stayed with the point */
  mastery_body = g_strdup_printf ("{\"participant_id\": %" G_GINT64_FORMAT "}", c.bob_id);
  mastery = ok_json (c.k.teacher, COHORT_REQ_MASTERY_GET, mastery_body);
  g_assert_cmpint (json_object_get_int_member (find_by (json_object_get_array_member (mastery, "points"), "name",
                                                        "Decimal numbers"), "answered"), ==, 1);

  /* students practise it under its new name */
  set = ok_json (c.k.student, COHORT_REQ_PRACTICE_NEXT, "{}");
  questions = json_object_get_array_member (set, "questions");
  g_assert_cmpuint (json_array_get_length (questions), >, 0);
  for (guint i = 0; i < json_array_get_length (questions); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (questions, i), "point"),
                     !=, "Decimals");

  /* a change of case is the same point's name */
  to_case = g_strdup_printf ("{\"point_id\": %" G_GINT64_FORMAT ", \"name\": \"DECIMAL numbers\"}", decimals);
  g_clear_pointer (&renamed, json_object_unref);
  renamed = ok_json (c.k.teacher, COHORT_REQ_KNOWLEDGE_SET, to_case);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (renamed, "point"), "name"),
                   ==, "DECIMAL numbers");

  class_close (&c);
}

/* A set holds public questions only; an answer is graded at once with the
 * explanation; mastery moves; wrong shapes and roles are refused. */
static void
test_answer (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) set = NULL;
  g_autoptr(JsonObject) right = NULL;
  g_autoptr(JsonObject) wrong = NULL;
  g_autoptr(JsonObject) mastery = NULL;
  g_autoptr(JsonNode) set_node = NULL;
  g_autofree char *set_text = NULL;
  JsonArray *questions;
  JsonObject *point;

  class_open (&c);
  set = ok_json (c.k.student, COHORT_REQ_PRACTICE_NEXT, "{}");
  questions = json_object_get_array_member (set, "questions");
  /* F1–F4, F6, D1, D2: F5 waits for its live reveal, P1 is open */
  g_assert_cmpuint (json_array_get_length (questions), ==, 7);
  set_node = json_node_init_object (json_node_alloc (), json_object_ref (set));
  set_text = json_to_string (set_node, FALSE);
  g_assert_null (strstr (set_text, "KEY-"));
  g_assert_null (strstr (set_text, "\"correct\""));
  g_assert_nonnull (strstr (set_text, "\"reason\":\"new\""));
  g_assert_false (json_object_get_null_member (set, "next_up"));

  right = answer (c.k.student, c.q[F1], "true");
  g_assert_cmpstr (json_object_get_string_member (right, "grade"), ==, "correct");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (right, "key"), "explanation"),
                   ==, "KEY-F1");
  point = json_array_get_object_element (json_object_get_array_member (right, "points"), 0);
  /* θ 0 → 0.5 after one right answer to a fresh question: 622 ‰ */
  g_assert_cmpint (json_object_get_int_member (point, "mastery"), ==, 622);
  g_assert_cmpstr (json_object_get_string_member (point, "state"), ==, "learning");

  wrong = answer (c.k.student, c.q[D1], "0");
  g_assert_cmpstr (json_object_get_string_member (wrong, "grade"), ==, "wrong");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (wrong, "key"), "explanation"),
                   ==, "KEY-D1");
  /* F6 counts for both its points */
  {
    g_autoptr(JsonObject) both = answer (c.k.student, c.q[F6], "true");

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (both, "points")), ==, 2);
  }

  /* the student's own figures and history; Bob's are untouched */
  mastery = ok_json (c.k.student, COHORT_REQ_MASTERY_GET, "{}");
  g_assert_cmpint (json_object_get_int_member (find_by (json_object_get_array_member (mastery, "points"), "name",
                                                        "Fractions"), "answered"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (mastery, "history")), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (mastery, "history"), 0), "prompt"), ==, "F6");
  {
    g_autoptr(JsonObject) bob = ok_json (c.bob, COHORT_REQ_MASTERY_GET, "{}");

    g_assert_cmpint (json_object_get_int_member (find_by (json_object_get_array_member (bob, "points"), "name",
                                                          "Fractions"), "answered"), ==, 0);
  }

  /* a question answered right in the last days is not asked again */
  {
    g_autoptr(JsonObject) again = ok_json (c.k.student, COHORT_REQ_PRACTICE_NEXT, "{}");
    JsonArray *qs = json_object_get_array_member (again, "questions");

    for (guint i = 0; i < json_array_get_length (qs); i++)
      {
        gint64 id = json_object_get_int_member (json_array_get_object_element (qs, i), "question_id");

        g_assert_cmpint (id, !=, c.q[F1]);
        g_assert_cmpint (id, !=, c.q[F6]);
      }
    g_assert_cmpuint (json_array_get_length (qs), ==, 5);
  }

  /* shapes: a choice out of range, a string for true/false, no answer */
  {
    g_autofree char *out_of_range = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT ", \"answer\": 7}", c.q[D2]);
    g_autofree char *wrong_type = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT ", \"answer\": \"yes\"}", c.q[F2]);
    g_autofree char *missing = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT "}", c.q[F2]);
    g_autofree char *open = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT ", \"answer\": \"x\"}", c.q[P1]);

    assert_refused (c.k.student, COHORT_REQ_PRACTICE_ANSWER, out_of_range, "invalid", "answer");
    assert_refused (c.k.student, COHORT_REQ_PRACTICE_ANSWER, wrong_type, "invalid", "answer");
    assert_refused (c.k.student, COHORT_REQ_PRACTICE_ANSWER, missing, "invalid", "answer");
    assert_refused (c.k.student, COHORT_REQ_PRACTICE_ANSWER, "{\"question_id\": -3, \"answer\": true}",
                    "invalid", "question_id");
    assert_refused (c.k.student, COHORT_REQ_PRACTICE_ANSWER, "{\"question_id\": 424242, \"answer\": true}",
                    "not_found", "question_id");
    assert_refused (c.k.student, COHORT_REQ_PRACTICE_ANSWER, open, "not_found", "question_id");
    assert_refused (c.k.teacher, COHORT_REQ_PRACTICE_ANSWER, wrong_type, "forbidden", NULL);
    assert_refused (c.k.teacher, COHORT_REQ_PRACTICE_NEXT, "{}", "forbidden", NULL);
  }

  /* roles: a student sees their own figures only; the heatmap is the teacher's */
  {
    g_autofree char *bobs = g_strdup_printf ("{\"participant_id\": %" G_GINT64_FORMAT "}", c.bob_id);
    g_autoptr(JsonObject) teacher_view = ok_json (c.k.teacher, COHORT_REQ_MASTERY_GET, bobs);

    assert_refused (c.k.student, COHORT_REQ_MASTERY_GET, bobs, "forbidden", NULL);
    assert_refused (c.k.student, COHORT_REQ_MASTERY_CLASS, "{}", "forbidden", NULL);
    assert_refused (c.k.teacher, COHORT_REQ_MASTERY_GET, "{}", "invalid", "participant_id");
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (teacher_view, "history")), ==, 0);
  }

  /* the connection survived all of it */
  {
    g_autoptr(JsonObject) still = ok_json (c.k.student, COHORT_REQ_KNOWLEDGE_LIST, "{}");
  }
  class_close (&c);
}

/* The teacher's heatmap: students by name, points weakest first (Decimals,
 * answered wrong, before Fractions, answered right; Planets, unanswered,
 * last), -1 where a student has no answer. */
static void
test_heatmap (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) heat = NULL;
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;
  JsonArray *points, *students;

  class_open (&c);
  a = answer (c.k.student, c.q[F1], "true");
  b = answer (c.bob, c.q[D1], "0");
  heat = ok_json (c.k.teacher, COHORT_REQ_MASTERY_CLASS, "{}");
  points = json_object_get_array_member (heat, "points");
  students = json_object_get_array_member (heat, "students");
  g_assert_cmpuint (json_array_get_length (points), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (points, 0), "name"), ==, "Decimals");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (points, 1), "name"), ==, "Fractions");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (points, 2), "name"), ==, "Planets");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (points, 2), "mean"), ==, -1);
  g_assert_cmpuint (json_array_get_length (students), ==, 2);
  /* Only cells with an estimate, as [column, permille]: Ann has just
   * Fractions (column 1) at 622, Bob just Decimals (column 0) at 378
   * (wrong on a fresh question, θ −0.5). */
  {
    JsonArray *ann = json_object_get_array_member (find_by (students, "name", "Ann"), "cells");
    JsonArray *bob = json_object_get_array_member (find_by (students, "name", "Bob"), "cells");

    g_assert_cmpuint (json_array_get_length (ann), ==, 1);
    g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (ann, 0), 0), ==, 1);
    g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (ann, 0), 1), ==, 622);
    g_assert_cmpuint (json_array_get_length (bob), ==, 1);
    g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (bob, 0), 0), ==, 0);
    g_assert_cmpint (json_array_get_int_element (json_array_get_array_element (bob, 0), 1), ==, 378);
  }
  class_close (&c);
}

/* A question of a live run not yet revealed is out of practice (forbidden:
 * its key would leak); after the reveal the answers count for mastery
 * (source "quiz"), and an after_live question joins practice. */
static void
test_live_quiz (void)
{
  Class c = { 0 };
  g_autofree char *launch = NULL;
  g_autofree char *answer_body = NULL;
  g_autofree char *reveal = NULL;
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(JsonObject) set = NULL;
  g_autoptr(JsonObject) mastery = NULL;
  g_autofree char *f5 = NULL;
  gint64 run_id;

  class_open (&c);
  launch = g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]}", c.q[F5], c.q[F2]);
  run = ok_json (c.k.teacher, COHORT_REQ_QUIZ_LAUNCH, launch);
  run_id = json_object_get_int_member (json_object_get_object_member (run, "run"), "run_id");
  f5 = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT ", \"answer\": true}", c.q[F5]);
  assert_refused (c.k.student, COHORT_REQ_PRACTICE_ANSWER, f5, "forbidden", "question_id");

  answer_body = g_strdup_printf ("{\"run_id\": %" G_GINT64_FORMAT ", \"answer\": false}", run_id);
  g_clear_pointer (&run, json_object_unref);
  run = ok_json (c.k.student, COHORT_REQ_QUIZ_ANSWER, answer_body);
  set = ok_json (c.k.student, COHORT_REQ_PRACTICE_NEXT, "{}");
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), json_object_ref (set));
    g_autofree char *text = json_to_string (node, FALSE);

    g_assert_null (strstr (text, "\"F5\""));
  }
  mastery = ok_json (c.k.student, COHORT_REQ_MASTERY_GET, "{}");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (mastery, "history")), ==, 0);

  reveal = g_strdup_printf ("{\"run_id\": %" G_GINT64_FORMAT "}", run_id);
  g_clear_pointer (&run, json_object_unref);
  run = ok_json (c.k.teacher, COHORT_REQ_QUIZ_REVEAL, reveal);
  g_clear_pointer (&mastery, json_object_unref);
  mastery = ok_json (c.k.student, COHORT_REQ_MASTERY_GET, "{}");
  {
    JsonArray *history = json_object_get_array_member (mastery, "history");
    JsonObject *first;

    g_assert_cmpuint (json_array_get_length (history), ==, 1);
    first = json_array_get_object_element (history, 0);
    g_assert_cmpstr (json_object_get_string_member (first, "source"), ==, "quiz");
    g_assert_false (json_object_get_boolean_member (first, "correct"));
    g_assert_cmpint (json_object_get_int_member (first, "question_id"), ==, c.q[F5]);
  }
  /* revealed: F5 may be practised now */
  {
    g_autoptr(JsonObject) now = answer (c.k.student, c.q[F5], "true");

    g_assert_cmpstr (json_object_get_string_member (now, "grade"), ==, "correct");
  }

  /* After a restart the log is read again from the stored cursor: the
   * quiz answer still counts once. */
  cohort_test_server_restart (c.k.server);
  {
    g_autoptr(CohortTestClient) again = cohort_test_client_new (cohort_test_server_get_url (c.k.server));
    g_autoptr(JsonObject) body = json_object_new ();
    g_autoptr(CohortMessage) resumed = NULL;
    g_autoptr(JsonObject) after = NULL;
    guint n_quiz = 0;
    JsonArray *history;

    json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
    json_object_set_string_member (body, "token", c.k.token);
    json_object_set_int_member (body, "last_seq", 0);
    resumed = cohort_test_client_request_ok (again, COHORT_REQ_RESUME, body);
    after = ok_json (again, COHORT_REQ_MASTERY_GET, "{}");
    history = json_object_get_array_member (after, "history");
    g_assert_cmpuint (json_array_get_length (history), ==, 2);
    for (guint i = 0; i < json_array_get_length (history); i++)
      n_quiz += g_str_equal (json_object_get_string_member (json_array_get_object_element (history, i), "source"),
                             "quiz");
    g_assert_cmpuint (n_quiz, ==, 1);
  }
  class_close (&c);
}

/* practice.launch sends a point's questions live through the quiz
 * (never a practice_only one); students are refused. */
static void
test_launch (void)
{
  Class c = { 0 };
  g_autofree char *body = NULL;
  g_autoptr(JsonObject) run = NULL;
  g_autoptr(CohortMessage) launched = NULL;

  class_open (&c);
  body = g_strdup_printf ("{\"point_id\": %" G_GINT64_FORMAT ", \"count\": 20}", point_id (&c, "Fractions"));
  assert_refused (c.k.student, COHORT_REQ_PRACTICE_LAUNCH, body, "forbidden", NULL);
  assert_refused (c.k.teacher, COHORT_REQ_PRACTICE_LAUNCH, "{\"point_id\": 5, \"count\": 21}", "invalid", "count");
  run = ok_json (c.k.teacher, COHORT_REQ_PRACTICE_LAUNCH, body);
  /* F1–F5: F6 is practice_only */
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (run, "run"), "count"), ==, 5);
  launched = cohort_test_client_next_event (c.k.student, COHORT_EV_QUIZ_LAUNCHED);
  g_assert_nonnull (launched);
  class_close (&c);
}

/* Practice counts in the ledger: the first answer of the day checks the
 * student in (10 points), a right one earns 2 more. */
static void
test_ledger (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) a = NULL;
  gboolean seen = FALSE;

  class_open (&c);
  a = answer (c.k.student, c.q[F1], "true");
  while (!seen)
    {
      g_autoptr(CohortMessage) progress = cohort_test_client_next_event (c.k.student, "groups.progress");
      JsonObject *body;

      g_assert_nonnull (progress);
      body = cohort_message_get_body (progress);
      if (json_object_get_int_member (body, "points_all") == 12)
        {
          g_assert_true (json_object_get_boolean_member (body, "checked_in_today"));
          g_assert_cmpint (json_object_get_int_member (body, "streak"), ==, 1);
          seen = TRUE;
        }
    }
  class_close (&c);
}

/* Sends practice.answer under @id without waiting for its reply. */
static void
send_answer (CohortTestClient *client,
             const char       *id,
             gint64            question_id,
             const char       *answer_json)
{
  g_autofree char *body = g_strdup_printf ("{\"question_id\": %" G_GINT64_FORMAT ", \"answer\": %s}",
                                           question_id, answer_json);
  g_autoptr(JsonNode) node = json_from_string (body, NULL);
  g_autoptr(CohortMessage) request = cohort_message_new_request (COHORT_REQ_PRACTICE_ANSWER, id,
                                                                 json_node_get_object (node));
  g_autofree char *json = cohort_message_to_json (request, NULL);

  cohort_test_client_send_text (client, json);
}

/* Answers sent together share one group commit: each is applied once, in
 * the order sent, and acknowledged after the commit; a resend queued
 * behind its original gets the same reply and is not applied again; a
 * student's next request (mastery.get) sees the answers sent before it. */
static void
test_answer_burst (void)
{
  Class c = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *count = NULL;
  g_autofree char *bob_count = NULL;
  g_autofree char *mastery_id = cohort_protocol_new_request_id ();
  g_autofree char *sql = NULL;
  char *ids[6];
  const gint64 *questions;
  g_autoptr(CohortMessage) first = NULL;
  g_autoptr(CohortMessage) again = NULL;
  g_autoptr(CohortMessage) mastery = NULL;
  JsonArray *history;

  class_open (&c);
  questions = c.q;
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    ids[i] = cohort_protocol_new_request_id ();

  /* Ann: F1 right, F2 wrong, F3 right, then her mastery; Bob: D1 right,
   * the same request again, D2 wrong. None waits for a reply. */
  send_answer (c.k.student, ids[0], questions[F1], "true");
  send_answer (c.bob, ids[3], questions[D1], "1");
  send_answer (c.k.student, ids[1], questions[F2], "false");
  send_answer (c.bob, ids[3], questions[D1], "1");
  send_answer (c.k.student, ids[2], questions[F3], "true");
  send_answer (c.bob, ids[4], questions[D2], "0");
  {
    g_autoptr(CohortMessage) request = cohort_message_new_request (COHORT_REQ_MASTERY_GET, mastery_id, NULL);
    g_autofree char *json = cohort_message_to_json (request, NULL);

    cohort_test_client_send_text (c.k.student, json);
  }

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(CohortMessage) reply = cohort_test_client_wait_reply (c.k.student, ids[i]);

      g_assert_nonnull (reply);
      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
      g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (reply), "grade"), ==,
                       i == 1 ? "wrong" : "correct");
    }
  mastery = cohort_test_client_wait_reply (c.k.student, mastery_id);
  g_assert_nonnull (mastery);
  history = json_object_get_array_member (cohort_message_get_body (mastery), "history");
  g_assert_cmpuint (json_array_get_length (history), ==, 3);
  /* newest first */
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (history, 0), "question_id"), ==,
                   questions[F3]);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (history, 2), "question_id"), ==,
                   questions[F1]);

  first = cohort_test_client_wait_reply (c.bob, ids[3]);
  again = cohort_test_client_wait_reply (c.bob, ids[3]);
  g_assert_nonnull (first);
  g_assert_nonnull (again);
  g_assert_cmpint (cohort_message_get_kind (first), ==, COHORT_MESSAGE_OK);
  {
    g_autofree char *a = cohort_message_to_json (first, NULL);
    g_autofree char *b = cohort_message_to_json (again, NULL);

    g_assert_cmpstr (a, ==, b);
  }
  {
    g_autoptr(CohortMessage) reply = cohort_test_client_wait_reply (c.bob, ids[4]);

    g_assert_nonnull (reply);
    g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (reply), "grade"), ==, "wrong");
  }

  path = g_strdup (cohort_test_server_get_db_path (c.k.server));
  count = cohort_test_db_query_text (path, "SELECT count (*) FROM practice_log");
  g_assert_cmpstr (count, ==, "5");
  sql = g_strdup_printf ("SELECT count (*) FROM practice_log WHERE participant_id = %" G_GINT64_FORMAT
                         " AND question_id = %" G_GINT64_FORMAT, c.bob_id, questions[D1]);
  bob_count = cohort_test_db_query_text (path, sql);
  g_assert_cmpstr (bob_count, ==, "1");

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_free (ids[i]);
  class_close (&c);
}

/* The cache (practice_skills, practice_items) is what a fold of the whole
 * log (practice_log) gives, bit for bit, answers applied one at a time
 * or together in one group commit. */
static void
test_recompute (void)
{
  Class c = { 0 };
  g_autoptr(GHashTable) skills = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) items = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint n_log = 0, n_skills = 0, n_items = 0;
  static const char * const answers[] = { "true", "false", "true", "true", "false", "true" };

  class_open (&c);
  for (guint round = 0; round < 3; round++)
    for (guint i = F1; i <= F4; i++)
      {
        g_autoptr(JsonObject) x = answer (round % 2 ? c.bob : c.k.student, c.q[i], answers[(round + i) % 6]);
        g_autoptr(JsonObject) y = answer (c.bob, c.q[D1 + (i % 2)], i % 3 ? "1" : "0");
      }
  /* Then both at once, replies awaited after all were sent. */
  {
    char *ids[8];

    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        ids[i] = cohort_protocol_new_request_id ();
        if (i % 2)
          send_answer (c.bob, ids[i], c.q[D1 + (i / 2) % 2], i % 3 ? "0" : "1");
        else
          send_answer (c.k.student, ids[i], c.q[F1 + i / 2], answers[i % 6]);
      }
    for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
      {
        g_autoptr(CohortMessage) reply = cohort_test_client_wait_reply (i % 2 ? c.bob : c.k.student, ids[i]);

        g_assert_nonnull (reply);
        g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
        g_free (ids[i]);
      }
  }

  g_assert_cmpint (sqlite3_open_v2 (cohort_test_server_get_db_path (c.k.server), &db, SQLITE_OPEN_READONLY, NULL),
                   ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT participant_id, question_id, point_ids, correct, at "
                                       "FROM practice_log ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 pid = sqlite3_column_int64 (stmt, 0);
      gint64 qid = sqlite3_column_int64 (stmt, 1);
      g_auto(GStrv) points = g_strsplit ((const char *) sqlite3_column_text (stmt, 2), ",", -1);
      CohortMasterySkill *pointers[COHORT_PRACTICE_MAX_QUESTION_POINTS];
      CohortMasteryItem *item = g_hash_table_lookup (items, &qid);
      guint n = 0;

      if (item == NULL)
        {
          item = g_new0 (CohortMasteryItem, 1);
          g_hash_table_insert (items, g_memdup2 (&qid, sizeof qid), item);
        }
      for (; points[n] != NULL; n++)
        {
          g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", pid, points[n]);
          CohortMasterySkill *s = g_hash_table_lookup (skills, key);

          if (s == NULL)
            {
              s = g_new0 (CohortMasterySkill, 1);
              g_hash_table_insert (skills, g_steal_pointer (&key), s);
            }
          pointers[n] = s;
        }
      cohort_mastery_update (pointers, n, item, sqlite3_column_int (stmt, 3) != 0,
                             sqlite3_column_int64 (stmt, 4));
      n_log++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_log, ==, 32);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT participant_id, point_id, theta, answered, correct, last_at, "
                                       "interval_ms, due_at FROM practice_skills", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT,
                                              (gint64) sqlite3_column_int64 (stmt, 0), (gint64) sqlite3_column_int64 (stmt, 1));
      CohortMasterySkill *s = g_hash_table_lookup (skills, key);

      g_assert_nonnull (s);
      /* exactly: the same operations in the same order */
      g_assert_true (s->theta == sqlite3_column_double (stmt, 2));
      g_assert_cmpuint (s->answered, ==, sqlite3_column_int (stmt, 3));
      g_assert_cmpuint (s->correct, ==, sqlite3_column_int (stmt, 4));
      g_assert_cmpint (s->last_at, ==, sqlite3_column_int64 (stmt, 5));
      g_assert_cmpint (s->interval_ms, ==, sqlite3_column_int64 (stmt, 6));
      g_assert_cmpint (s->due_at, ==, sqlite3_column_int64 (stmt, 7));
      n_skills++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_skills, ==, g_hash_table_size (skills));

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT question_id, difficulty, answered FROM practice_items",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 qid = sqlite3_column_int64 (stmt, 0);
      CohortMasteryItem *item = g_hash_table_lookup (items, &qid);

      g_assert_nonnull (item);
      g_assert_true (item->difficulty == sqlite3_column_double (stmt, 1));
      g_assert_cmpuint (item->answered, ==, sqlite3_column_int (stmt, 2));
      n_items++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpuint (n_items, ==, g_hash_table_size (items));
  sqlite3_close (db);

  class_close (&c);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/practice/knowledge-points", test_knowledge_points);
  g_test_add_func ("/cohort/practice/rename", test_rename);
  g_test_add_func ("/cohort/practice/answer", test_answer);
  g_test_add_func ("/cohort/practice/answer-burst", test_answer_burst);
  g_test_add_func ("/cohort/practice/heatmap", test_heatmap);
  g_test_add_func ("/cohort/practice/live-quiz", test_live_quiz);
  g_test_add_func ("/cohort/practice/launch", test_launch);
  g_test_add_func ("/cohort/practice/ledger", test_ledger);
  g_test_add_func ("/cohort/practice/recompute", test_recompute);

  return g_test_run ();
}

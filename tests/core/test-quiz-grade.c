/* test-quiz-grade.c: grading, scoring and the question bank format
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "cohort-protocol.h"
#include "cohort-quiz-format.h"
#include "cohort-quiz-grade.h"

static JsonObject *
object_from (const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

/* A question that passed the format's checks, as the server keeps it. */
static JsonObject *
question_from (const char *json)
{
  g_autoptr(JsonObject) raw = object_from (json);
  g_autoptr(GError) error = NULL;
  g_autofree char *field = NULL;
  JsonObject *clean = cohort_quiz_question_parse (raw, "question", &field, &error);

  g_assert_no_error (error);
  g_assert_nonnull (clean);
  return clean;
}

static CohortQuizGrade
grade (JsonObject *question,
       const char *answer_json)
{
  g_autoptr(JsonNode) answer = json_from_string (answer_json, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (answer);
  if (!cohort_quiz_check_answer (question, answer, &error))
    g_error ("answer %s rejected: %s", answer_json, error->message);
  return cohort_quiz_grade (question, answer);
}

static void
assert_answer_rejected (JsonObject *question,
                        const char *answer_json)
{
  g_autoptr(JsonNode) answer = json_from_string (answer_json, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (cohort_quiz_check_answer (question, answer, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
}

#define CORRECT COHORT_QUIZ_GRADE_CORRECT
#define WRONG   COHORT_QUIZ_GRADE_WRONG

static void
test_single_choice (void)
{
  g_autoptr(JsonObject) q = question_from (
    "{\"type\":\"single\",\"prompt\":\"2 + 2?\",\"choices\":[\"3\",\"4\",\"5\"],\"correct\":[1]}");

  g_assert_cmpint (grade (q, "1"), ==, CORRECT);
  g_assert_cmpint (grade (q, "0"), ==, WRONG);
  g_assert_cmpint (grade (q, "2"), ==, WRONG);
  assert_answer_rejected (q, "3");
  assert_answer_rejected (q, "-1");
  assert_answer_rejected (q, "[1]");
  assert_answer_rejected (q, "\"1\"");
  assert_answer_rejected (q, "true");
  assert_answer_rejected (q, "null");
}

static void
test_multiple_choice (void)
{
  g_autoptr(JsonObject) q = question_from (
    "{\"type\":\"multiple\",\"prompt\":\"Primes?\",\"choices\":[\"2\",\"4\",\"5\",\"9\"],"
    "\"correct\":[2,0]}");

  g_assert_cmpint (grade (q, "[0,2]"), ==, CORRECT);
  g_assert_cmpint (grade (q, "[2,0]"), ==, CORRECT);
  /* All or nothing. */
  g_assert_cmpint (grade (q, "[0]"), ==, WRONG);
  g_assert_cmpint (grade (q, "[0,2,3]"), ==, WRONG);
  g_assert_cmpint (grade (q, "[]"), ==, WRONG);
  assert_answer_rejected (q, "[0,0]");
  assert_answer_rejected (q, "[4]");
  assert_answer_rejected (q, "[\"0\"]");
  assert_answer_rejected (q, "0");
  assert_answer_rejected (q, "[0,1,2,3,0]");
}

static void
test_true_false (void)
{
  g_autoptr(JsonObject) t = question_from (
    "{\"type\":\"true_false\",\"prompt\":\"The Earth is round.\",\"correct\":true}");
  g_autoptr(JsonObject) f = question_from (
    "{\"type\":\"true_false\",\"prompt\":\"Water boils at 50 °C.\",\"correct\":false}");

  g_assert_cmpint (grade (t, "true"), ==, CORRECT);
  g_assert_cmpint (grade (t, "false"), ==, WRONG);
  g_assert_cmpint (grade (f, "false"), ==, CORRECT);
  g_assert_cmpint (grade (f, "true"), ==, WRONG);
  assert_answer_rejected (t, "1");
  assert_answer_rejected (t, "\"true\"");
}

static void
test_short_text (void)
{
  g_autoptr(JsonObject) q = question_from (
    "{\"type\":\"short\",\"prompt\":\"Capital of France?\",\"accepted\":[\"Paris\",\"Paris, France\"]}");
  g_autoptr(JsonObject) de = question_from (
    "{\"type\":\"short\",\"prompt\":\"Street in German?\",\"accepted\":[\"Straße\"]}");
  g_autoptr(JsonObject) zh = question_from (
    "{\"type\":\"short\",\"prompt\":\"中国的首都？\",\"accepted\":[\"北京\"]}");
  g_autoptr(JsonObject) accent = question_from (
    "{\"type\":\"short\",\"prompt\":\"Coffee shop in French?\",\"accepted\":[\"café\"]}");

  /* Case and extra white space do not count. */
  g_assert_cmpint (grade (q, "\"paris\""), ==, CORRECT);
  g_assert_cmpint (grade (q, "\"  PARIS  \""), ==, CORRECT);
  g_assert_cmpint (grade (q, "\"paris,   france\""), ==, CORRECT);
  g_assert_cmpint (grade (q, "\"Paris,\\tFrance\\n\""), ==, CORRECT);
  /* A no-break space and an ideographic space are white space too. */
  g_assert_cmpint (grade (q, "\"Paris,\\u00a0France\""), ==, CORRECT);
  g_assert_cmpint (grade (q, "\"Paris,\\u3000France\""), ==, CORRECT);
  /* But the words still have to match. */
  g_assert_cmpint (grade (q, "\"Pariss\""), ==, WRONG);
  g_assert_cmpint (grade (q, "\"Paris France\""), ==, WRONG);
  g_assert_cmpint (grade (q, "\"Lyon\""), ==, WRONG);

  /* Unicode: full-width letters (NFKC), ß folds to ss, composed and
   * decomposed accents are the same letter. */
  g_assert_cmpint (grade (q, "\"ＰＡＲＩＳ\""), ==, CORRECT);
  g_assert_cmpint (grade (de, "\"STRASSE\""), ==, CORRECT);
  g_assert_cmpint (grade (de, "\"straße\""), ==, CORRECT);
  g_assert_cmpint (grade (de, "\"strase\""), ==, WRONG);
  g_assert_cmpint (grade (accent, "\"CAFÉ\""), ==, CORRECT);
  g_assert_cmpint (grade (accent, "\"cafe\\u0301\""), ==, CORRECT);
  g_assert_cmpint (grade (accent, "\"cafe\""), ==, WRONG);
  g_assert_cmpint (grade (zh, "\" 北京 \""), ==, CORRECT);
  g_assert_cmpint (grade (zh, "\"南京\""), ==, WRONG);
  /* Zero-width spaces pasted along are ignored. */
  g_assert_cmpint (grade (q, "\"Par\\u200bis\""), ==, CORRECT);

  assert_answer_rejected (q, "\"   \"");
  assert_answer_rejected (q, "\"\"");
  assert_answer_rejected (q, "42");
  assert_answer_rejected (q, "\"a\\u0001b\"");
}

static void
test_short_numeric (void)
{
  g_autoptr(JsonObject) pi = question_from (
    "{\"type\":\"short\",\"prompt\":\"π to two decimals?\","
    "\"numeric\":{\"value\":3.14,\"tolerance\":0.005}}");
  g_autoptr(JsonObject) exact = question_from (
    "{\"type\":\"short\",\"prompt\":\"0.1 + 0.2?\",\"numeric\":{\"value\":0.3}}");
  g_autoptr(JsonObject) both = question_from (
    "{\"type\":\"short\",\"prompt\":\"Half?\",\"accepted\":[\"one half\"],"
    "\"numeric\":{\"value\":0.5,\"tolerance\":0}}");
  g_autoptr(JsonObject) big = question_from (
    "{\"type\":\"short\",\"prompt\":\"Speed of light in m/s?\","
    "\"numeric\":{\"value\":299792458,\"tolerance\":1000000}}");

  g_assert_cmpint (grade (pi, "\"3.14\""), ==, CORRECT);
  g_assert_cmpint (grade (pi, "\"3.144\""), ==, CORRECT);
  g_assert_cmpint (grade (pi, "\"3.136\""), ==, CORRECT);
  /* The tolerance is inclusive… */
  g_assert_cmpint (grade (pi, "\"3.145\""), ==, CORRECT);
  /* …and no further. */
  g_assert_cmpint (grade (pi, "\"3.146\""), ==, WRONG);
  g_assert_cmpint (grade (pi, "\"3.13\""), ==, WRONG);
  /* A decimal comma, spaces, full-width digits, a sign. */
  g_assert_cmpint (grade (pi, "\" 3,14 \""), ==, CORRECT);
  g_assert_cmpint (grade (pi, "\"３.１４\""), ==, CORRECT);
  g_assert_cmpint (grade (pi, "\"+3.14\""), ==, CORRECT);
  g_assert_cmpint (grade (pi, "\"314e-2\""), ==, CORRECT);
  g_assert_cmpint (grade (pi, "\"pi\""), ==, WRONG);
  g_assert_cmpint (grade (pi, "\"3.14.1\""), ==, WRONG);
  g_assert_cmpint (grade (pi, "\"3,1,4\""), ==, WRONG);
  g_assert_cmpint (grade (pi, "\"nan\""), ==, WRONG);
  g_assert_cmpint (grade (pi, "\"inf\""), ==, WRONG);
  g_assert_cmpint (grade (pi, "\"1e999\""), ==, WRONG);

  /* A tolerance of 0 still forgives binary rounding. */
  g_assert_cmpint (grade (exact, "\"0.3\""), ==, CORRECT);
  g_assert_cmpint (grade (exact, "\"0.30000000000000004\""), ==, CORRECT);
  g_assert_cmpint (grade (exact, "\"0.31\""), ==, WRONG);
  g_assert_cmpint (grade (exact, "\"−0.3\""), ==, WRONG);

  /* Text or number, either is accepted. */
  g_assert_cmpint (grade (both, "\"One  Half\""), ==, CORRECT);
  g_assert_cmpint (grade (both, "\"0,5\""), ==, CORRECT);
  g_assert_cmpint (grade (both, "\".5\""), ==, CORRECT);
  g_assert_cmpint (grade (both, "\"0.6\""), ==, WRONG);

  g_assert_cmpint (grade (big, "\"3e8\""), ==, CORRECT);
  g_assert_cmpint (grade (big, "\"299792458\""), ==, CORRECT);
  g_assert_cmpint (grade (big, "\"2.9e8\""), ==, WRONG);
}

static void
test_open (void)
{
  g_autoptr(JsonObject) q = question_from (
    "{\"type\":\"open\",\"prompt\":\"What did you learn today?\"}");

  g_assert_cmpint (grade (q, "\"Fractions\""), ==, COHORT_QUIZ_GRADE_UNGRADED);
  g_assert_cmpfloat (cohort_quiz_points (COHORT_QUIZ_GRADE_UNGRADED, 0, 0), ==, 0.0);
  assert_answer_rejected (q, "true");
}

static void
test_normalize (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "  Hello   World ", "hello world" },
    { "ＡＢＣ", "abc" },
    { "Straße", "strasse" },
    { "ﬁne", "fine" },          /* ligature, NFKC */
    { "Ⅻ", "xii" },              /* roman numeral, NFKC + fold */
    { "e\xcc\x81", "\xc3\xa9" },  /* e + combining acute → é */
    { "a\tb\nc", "a b c" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *norm = cohort_quiz_normalize_text (cases[i].in);

      g_assert_cmpstr (norm, ==, cases[i].out);
    }

  g_assert_null (cohort_quiz_normalize_text ("\xff\xfe"));
}

static void
test_points (void)
{
  /* 1 point plus up to 0.5 for speed, linear over the time limit. */
  g_assert_cmpfloat (cohort_quiz_points (CORRECT, 0, 20000), ==, 1.5);
  g_assert_cmpfloat (cohort_quiz_points (CORRECT, 10000, 20000), ==, 1.25);
  g_assert_cmpfloat (cohort_quiz_points (CORRECT, 20000, 20000), ==, 1.0);
  g_assert_cmpfloat (cohort_quiz_points (CORRECT, 25000, 20000), ==, 1.0);
  g_assert_cmpfloat (cohort_quiz_points (CORRECT, -5, 20000), ==, 1.5);
  g_assert_cmpfloat (cohort_quiz_points (WRONG, 0, 20000), ==, 0.0);
  /* Without a time limit the bonus runs out after 30 s. */
  g_assert_cmpfloat (cohort_quiz_points (CORRECT, 15000, 0), ==, 1.25);
  g_assert_cmpfloat (cohort_quiz_points (CORRECT, 90000, 0), ==, 1.0);
  /* Rounded to hundredths. */
  g_assert_cmpfloat (cohort_quiz_points (CORRECT, 1000, 30000), ==, 1.48);
}

static void
test_median (void)
{
  gint64 odd[] = { 900, 100, 500 };
  gint64 even[] = { 400, 100, 300, 200 };
  gint64 one[] = { 7 };

  g_assert_cmpint (cohort_quiz_median (odd, 3), ==, 500);
  g_assert_cmpint (cohort_quiz_median (even, 4), ==, 250);
  g_assert_cmpint (cohort_quiz_median (one, 1), ==, 7);
  g_assert_cmpint (cohort_quiz_median (NULL, 0), ==, 0);
}

static void
test_answers_equal (void)
{
  struct { const char *a; const char *b; gboolean equal; } cases[] = {
    { "[0,2]", "[2,0]", TRUE },
    { "[0,2]", "[0]", FALSE },
    { "1", "1", TRUE },
    { "1", "2", FALSE },
    { "true", "true", TRUE },
    { "true", "false", FALSE },
    { "\"a\"", "\"a\"", TRUE },
    { "\"a\"", "\"b\"", FALSE },
    { "1", "\"1\"", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) a = json_from_string (cases[i].a, NULL);
      g_autoptr(JsonNode) b = json_from_string (cases[i].b, NULL);

      g_assert_cmpint (cohort_quiz_answers_equal (a, b), ==, cases[i].equal);
    }
}

static void
assert_question_rejected (const char *json,
                          const char *field)
{
  g_autoptr(JsonObject) raw = object_from (json);
  g_autoptr(GError) error = NULL;
  g_autofree char *got_field = NULL;
  g_autoptr(JsonObject) clean = cohort_quiz_question_parse (raw, "question", &got_field, &error);

  g_assert_null (clean);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_assert_cmpstr (got_field, ==, field);
  /* The message names the field too. */
  g_assert_nonnull (strstr (error->message, field));
}

static void
test_question_validation (void)
{
  g_autoptr(JsonObject) clean = NULL;

  assert_question_rejected ("{\"prompt\":\"x\"}", "question.type");
  assert_question_rejected ("{\"type\":\"essay\",\"prompt\":\"x\"}", "question.type");
  assert_question_rejected ("{\"type\":\"open\"}", "question.prompt");
  assert_question_rejected ("{\"type\":\"open\",\"prompt\":\"   \"}", "question.prompt");
  assert_question_rejected ("{\"type\":\"open\",\"prompt\":7}", "question.prompt");
  assert_question_rejected ("{\"type\":\"single\",\"prompt\":\"x\",\"choices\":[\"a\"],\"correct\":[0]}",
                            "question.choices");
  assert_question_rejected ("{\"type\":\"single\",\"prompt\":\"x\",\"choices\":[\"a\",\"\"],\"correct\":[0]}",
                            "question.choices[1]");
  assert_question_rejected ("{\"type\":\"single\",\"prompt\":\"x\",\"choices\":[\"a\",\"A \"],\"correct\":[0]}",
                            "question.choices[1]");
  assert_question_rejected ("{\"type\":\"single\",\"prompt\":\"x\",\"choices\":[\"a\",\"b\"],\"correct\":[0,1]}",
                            "question.correct");
  assert_question_rejected ("{\"type\":\"single\",\"prompt\":\"x\",\"choices\":[\"a\",\"b\"],\"correct\":[2]}",
                            "question.correct[0]");
  assert_question_rejected ("{\"type\":\"single\",\"prompt\":\"x\",\"choices\":[\"a\",\"b\"],\"correct\":1}",
                            "question.correct");
  assert_question_rejected ("{\"type\":\"multiple\",\"prompt\":\"x\",\"choices\":[\"a\",\"b\"],\"correct\":[]}",
                            "question.correct");
  assert_question_rejected ("{\"type\":\"multiple\",\"prompt\":\"x\",\"choices\":[\"a\",\"b\"],\"correct\":[1,1]}",
                            "question.correct[1]");
  assert_question_rejected ("{\"type\":\"multiple\",\"prompt\":\"x\",\"choices\":[\"1\",\"2\",\"3\",\"4\",\"5\","
                            "\"6\",\"7\",\"8\",\"9\",\"10\"],\"correct\":[0]}", "question.choices");
  assert_question_rejected ("{\"type\":\"true_false\",\"prompt\":\"x\",\"correct\":\"yes\"}",
                            "question.correct");
  assert_question_rejected ("{\"type\":\"short\",\"prompt\":\"x\"}", "question.accepted");
  assert_question_rejected ("{\"type\":\"short\",\"prompt\":\"x\",\"accepted\":[]}", "question.accepted");
  assert_question_rejected ("{\"type\":\"short\",\"prompt\":\"x\",\"numeric\":{\"value\":\"3\"}}",
                            "question.numeric.value");
  assert_question_rejected ("{\"type\":\"short\",\"prompt\":\"x\",\"numeric\":{\"value\":3,\"tolerance\":-1}}",
                            "question.numeric.tolerance");
  assert_question_rejected ("{\"type\":\"open\",\"prompt\":\"x\",\"time_limit\":2}", "question.time_limit");
  assert_question_rejected ("{\"type\":\"open\",\"prompt\":\"x\",\"time_limit\":1.5}", "question.time_limit");
  assert_question_rejected ("{\"type\":\"open\",\"prompt\":\"x\",\"explanation\":false}",
                            "question.explanation");

  /* A clean copy: trimmed text, only known members, limits kept. */
  {
    g_autoptr(JsonObject) raw = object_from (
      "{\"type\":\"single\",\"prompt\":\"  Which?\\nPick one. \",\"choices\":[\" a \",\"b\"],"
      "\"correct\":[1],\"explanation\":\" Because. \",\"time_limit\":30,\"color\":\"red\"}");
    g_autoptr(GError) error = NULL;

    clean = cohort_quiz_question_parse (raw, "question", NULL, &error);
    g_assert_no_error (error);
  }
  g_assert_cmpstr (json_object_get_string_member (clean, "prompt"), ==, "Which?\nPick one.");
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (clean, "choices"), 0),
                   ==, "a");
  g_assert_cmpstr (json_object_get_string_member (clean, "explanation"), ==, "Because.");
  g_assert_cmpint (json_object_get_int_member (clean, "time_limit"), ==, 30);
  g_assert_false (json_object_has_member (clean, "color"));

  /* What students see, and the key. */
  {
    g_autoptr(JsonObject) pub = cohort_quiz_question_public (clean);
    g_autoptr(JsonObject) key = cohort_quiz_question_key (clean);

    g_assert_true (json_object_has_member (pub, "prompt"));
    g_assert_true (json_object_has_member (pub, "choices"));
    g_assert_false (json_object_has_member (pub, "correct"));
    g_assert_false (json_object_has_member (pub, "explanation"));
    g_assert_true (json_object_has_member (key, "correct"));
    g_assert_true (json_object_has_member (key, "explanation"));
  }
}

static void
assert_file_rejected (const char *json,
                      const char *field)
{
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *got_field = NULL;
  g_autoptr(GPtrArray) questions = cohort_quiz_file_parse (root, &got_field, &error);

  g_assert_null (questions);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_assert_cmpstr (got_field, ==, field);
}

static void
test_file (void)
{
  /* __FILE__ is this file's path as the compiler saw it (relative to the
   * build directory, where meson runs the tests, or absolute). */
  g_autofree char *here = g_path_get_dirname (__FILE__);
  g_autofree char *path = g_build_filename (here, "..", "..", "docs", "quiz-example.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) questions = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(JsonObject) exported = NULL;
  g_autoptr(JsonNode) exported_node = NULL;

  /* The example in docs/ is valid and holds every type. */
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  root = json_from_string (contents, &error);
  g_assert_no_error (error);
  questions = cohort_quiz_file_parse (root, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (questions->len, ==, 5);

  /* Export then import gives the same questions. */
  exported = cohort_quiz_file_new (questions);
  exported_node = json_node_init_object (json_node_alloc (), exported);
  again = cohort_quiz_file_parse (exported_node, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, questions->len);
  for (guint i = 0; i < questions->len; i++)
    {
      g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), g_ptr_array_index (questions, i));
      g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), g_ptr_array_index (again, i));

      g_assert_true (json_node_equal (a, b));
    }

  assert_file_rejected ("[]", "");
  assert_file_rejected ("{\"version\":1,\"questions\":[]}", "format");
  assert_file_rejected ("{\"format\":\"cohort-quiz\",\"version\":3,\"questions\":[]}", "version");
  assert_file_rejected ("{\"format\":\"cohort-quiz\",\"version\":0,\"questions\":[]}", "version");
  assert_file_rejected ("{\"format\":\"cohort-quiz\",\"version\":1}", "questions");
  assert_file_rejected ("{\"format\":\"cohort-quiz\",\"version\":1,\"questions\":[3]}", "questions[0]");
  assert_file_rejected ("{\"format\":\"cohort-quiz\",\"version\":1,\"questions\":["
                        "{\"type\":\"open\",\"prompt\":\"ok\"},"
                        "{\"type\":\"single\",\"prompt\":\"x\",\"choices\":[\"a\",\"b\"],\"correct\":[5]}]}",
                        "questions[1].correct[0]");
}

/* Version 2: knowledge points and the practice use travel through an
 * export and back; a version 1 file (docs/quiz-example.json is one) still
 * reads; bad tags name their field. */
static void
test_file_v2 (void)
{
  static const char *v2 =
    "{\"format\":\"cohort-quiz\",\"version\":2,\"questions\":["
    "{\"type\":\"true_false\",\"prompt\":\"2/4 = 1/2\",\"correct\":true,"
    " \"knowledge_points\":[\"fractions: equivalent\",\" 分数 \"],\"practice\":\"after_live\"},"
    "{\"type\":\"open\",\"prompt\":\"Why?\",\"knowledge_points\":[],\"practice\":\"normal\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (v2, &error);
  g_autoptr(GPtrArray) questions = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(JsonObject) exported = NULL;
  g_autoptr(JsonNode) exported_node = NULL;
  JsonArray *points;

  g_assert_no_error (error);
  questions = cohort_quiz_file_parse (root, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (questions->len, ==, 2);
  points = json_object_get_array_member (g_ptr_array_index (questions, 0), "knowledge_points");
  g_assert_cmpuint (json_array_get_length (points), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (points, 0), ==, "fractions: equivalent");
  /* trimmed by the text rules */
  g_assert_cmpstr (json_array_get_string_element (points, 1), ==, "分数");
  g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (questions, 0), "practice"), ==,
                   "after_live");
  /* the defaults are left out */
  g_assert_false (json_object_has_member (g_ptr_array_index (questions, 1), "knowledge_points"));
  g_assert_false (json_object_has_member (g_ptr_array_index (questions, 1), "practice"));

  exported = cohort_quiz_file_new (questions);
  g_assert_cmpint (json_object_get_int_member (exported, "version"), ==, 2);
  exported_node = json_node_init_object (json_node_alloc (), exported);
  again = cohort_quiz_file_parse (exported_node, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < questions->len; i++)
    {
      g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), g_ptr_array_index (questions, i));
      g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), g_ptr_array_index (again, i));

      g_assert_true (json_node_equal (a, b));
    }

  /* version 1, no tags: read */
  {
    g_autoptr(JsonNode) v1 = json_from_string ("{\"format\":\"cohort-quiz\",\"version\":1,\"questions\":["
                                               "{\"type\":\"true_false\",\"prompt\":\"ok\",\"correct\":false}]}",
                                               &error);
    g_autoptr(GPtrArray) old = cohort_quiz_file_parse (v1, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (old->len, ==, 1);
    g_assert_false (json_object_has_member (g_ptr_array_index (old, 0), "knowledge_points"));
  }

  assert_file_rejected ("{\"format\":\"cohort-quiz\",\"version\":2,\"questions\":["
                        "{\"type\":\"open\",\"prompt\":\"ok\",\"knowledge_points\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}]}",
                        "questions[0].knowledge_points");
  assert_file_rejected ("{\"format\":\"cohort-quiz\",\"version\":2,\"questions\":["
                        "{\"type\":\"open\",\"prompt\":\"ok\",\"knowledge_points\":[\"a\",\"A\"]}]}",
                        "questions[0].knowledge_points[1]");
  assert_file_rejected ("{\"format\":\"cohort-quiz\",\"version\":2,\"questions\":["
                        "{\"type\":\"open\",\"prompt\":\"ok\",\"knowledge_points\":[3]}]}",
                        "questions[0].knowledge_points[0]");
  assert_file_rejected ("{\"format\":\"cohort-quiz\",\"version\":2,\"questions\":["
                        "{\"type\":\"open\",\"prompt\":\"ok\",\"practice\":\"sometimes\"}]}",
                        "questions[0].practice");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/quiz/grade/single", test_single_choice);
  g_test_add_func ("/cohort/quiz/grade/multiple", test_multiple_choice);
  g_test_add_func ("/cohort/quiz/grade/true-false", test_true_false);
  g_test_add_func ("/cohort/quiz/grade/short-text-unicode-whitespace", test_short_text);
  g_test_add_func ("/cohort/quiz/grade/short-numeric-tolerance", test_short_numeric);
  g_test_add_func ("/cohort/quiz/grade/open", test_open);
  g_test_add_func ("/cohort/quiz/grade/normalize", test_normalize);
  g_test_add_func ("/cohort/quiz/grade/points", test_points);
  g_test_add_func ("/cohort/quiz/file/version-2-knowledge-points", test_file_v2);
  g_test_add_func ("/cohort/quiz/grade/median", test_median);
  g_test_add_func ("/cohort/quiz/grade/answers-equal", test_answers_equal);
  g_test_add_func ("/cohort/quiz/format/question", test_question_validation);
  g_test_add_func ("/cohort/quiz/format/file", test_file);

  return g_test_run ();
}

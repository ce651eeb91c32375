/* cohort-quiz-grade.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz-grade"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cohort-protocol.h"
#include "cohort-quiz-format.h"
#include "cohort-quiz-grade.h"

static const char * const type_names[] = {
  [COHORT_QUIZ_SINGLE] = "single",
  [COHORT_QUIZ_MULTIPLE] = "multiple",
  [COHORT_QUIZ_TRUE_FALSE] = "true_false",
  [COHORT_QUIZ_SHORT] = "short",
  [COHORT_QUIZ_OPEN] = "open",
};

gboolean
cohort_quiz_type_from_string (const char     *str,
                              CohortQuizType *out_type)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (type_names); i++)
    if (g_str_equal (type_names[i], str))
      {
        if (out_type != NULL)
          *out_type = (CohortQuizType) i;
        return TRUE;
      }

  return FALSE;
}

const char *
cohort_quiz_type_to_string (CohortQuizType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (type_names), NULL);

  return type_names[type];
}

static CohortQuizType
question_type (JsonObject *question)
{
  CohortQuizType type = COHORT_QUIZ_OPEN;

  cohort_quiz_type_from_string (json_object_get_string_member_with_default (question, "type", ""),
                                &type);
  return type;
}

char *
cohort_quiz_normalize_text (const char *text)
{
  g_autofree char *nfkc = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *again = NULL;
  GString *out;
  gboolean space = FALSE;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  /* Folding can leave a string that is no longer NFKC (and NFKC can map a
   * character to one that folds), hence both passes on both sides. */
  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  folded = g_utf8_casefold (nfkc, -1);
  again = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);
  if (again == NULL)
    return NULL;

  out = g_string_sized_new (strlen (again));
  for (const char *p = again; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      /* Zero-width characters people paste in by accident count as nothing. */
      if (c == 0x200B || c == 0x200C || c == 0x200D || c == 0xFEFF)
        continue;
      if (g_unichar_isspace (c))
        {
          space = out->len > 0;
          continue;
        }
      if (space)
        g_string_append_c (out, ' ');
      space = FALSE;
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

gboolean
cohort_quiz_parse_number (const char *text,
                          double     *out_value)
{
  g_autofree char *norm = cohort_quiz_normalize_text (text);
  g_autoptr(GString) ascii = NULL;
  guint n_dots = 0;
  guint n_commas = 0;
  char *end = NULL;
  double value;

  if (norm == NULL || *norm == '\0')
    return FALSE;

  /* Only plain ASCII number characters; a space inside ("1 000") is not a
   * number we guess at. U+2212 MINUS SIGN is what some keyboards type. */
  ascii = g_string_new (NULL);
  for (const char *p = norm; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x2212)
        c = '-';
      if (c == ',')
        {
          n_commas++;
          c = '.';
        }
      else if (c == '.')
        n_dots++;
      if (!(g_ascii_isdigit (c) || c == '.' || c == '-' || c == '+' || c == 'e'))
        return FALSE;
      g_string_append_c (ascii, (char) c);
    }

  if (n_dots + n_commas > 1)
    return FALSE;

  value = g_ascii_strtod (ascii->str, &end);
  if (end == ascii->str || *end != '\0' || !isfinite (value))
    return FALSE;
  /* strtod takes "e5" or "." alone as nothing, but "+.e" style junk must
   * have at least one digit. */
  if (strpbrk (ascii->str, "0123456789") == NULL)
    return FALSE;

  if (out_value != NULL)
    *out_value = value;
  return TRUE;
}

static gboolean
node_is_int (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
node_is_type (JsonNode *node,
              GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static guint
n_choices (JsonObject *question)
{
  JsonNode *node = json_object_get_member (question, "choices");

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return 0;
  return json_array_get_length (json_node_get_array (node));
}

static gboolean
invalid (GError    **error,
         const char *message)
{
  g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID, message);
  return FALSE;
}


gboolean
cohort_quiz_check_answer (JsonObject  *question,
                          JsonNode    *answer,
                          GError     **error)
{
  g_return_val_if_fail (question != NULL, FALSE);

  if (answer == NULL || JSON_NODE_HOLDS_NULL (answer))
    return invalid (error, "The field “answer” is required.");

  switch (question_type (question))
    {
    case COHORT_QUIZ_SINGLE:
      if (!node_is_int (answer))
        return invalid (error, "The answer to this question is the number of one choice.");
      if (json_node_get_int (answer) < 0 || json_node_get_int (answer) >= n_choices (question))
        return invalid (error, "The answer names a choice this question does not have.");
      return TRUE;

    case COHORT_QUIZ_MULTIPLE:
      {
        JsonArray *array;
        guint64 seen = 0;

        if (!JSON_NODE_HOLDS_ARRAY (answer))
          return invalid (error, "The answer to this question is a list of choices.");
        array = json_node_get_array (answer);
        if (json_array_get_length (array) > n_choices (question))
          return invalid (error, "The answer lists more choices than the question has.");
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *element = json_array_get_element (array, i);
            gint64 index;

            if (!node_is_int (element))
              return invalid (error, "The answer to this question is a list of choices.");
            index = json_node_get_int (element);
            if (index < 0 || index >= n_choices (question) || index >= 64)
              return invalid (error, "The answer names a choice this question does not have.");
            if (seen & (G_GUINT64_CONSTANT (1) << index))
              return invalid (error, "The answer lists a choice twice.");
            seen |= G_GUINT64_CONSTANT (1) << index;
          }
        return TRUE;
      }

    case COHORT_QUIZ_TRUE_FALSE:
      if (!node_is_type (answer, G_TYPE_BOOLEAN))
        return invalid (error, "The answer to this question is true or false.");
      return TRUE;

    case COHORT_QUIZ_SHORT:
    case COHORT_QUIZ_OPEN:
    default:
      {
        g_autofree char *trimmed = NULL;
        g_autoptr(GError) local_error = NULL;
        const char *text;

        if (!node_is_type (answer, G_TYPE_STRING))
          return invalid (error, "The answer to this question is a text.");
        text = json_node_get_string (answer);
        if (!g_utf8_validate (text, -1, NULL))
          return invalid (error, "The answer is not valid UTF-8.");
        if (g_utf8_strlen (text, -1) > COHORT_QUIZ_MAX_ANSWER_CHARS)
          return invalid (error, "The answer is longer than 1000 characters.");
        for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
          {
            gunichar c = g_utf8_get_char (p);

            if (g_unichar_iscntrl (c) && c != '\n' && c != '\t')
              return invalid (error, "The answer contains a control character.");
          }
        trimmed = g_strstrip (g_strdup (text));
        if (*trimmed == '\0')
          return invalid (error, "The answer is empty.");
        return TRUE;
      }
    }
}

static gboolean
grade_short (JsonObject *question,
             const char *text)
{
  g_autofree char *norm = cohort_quiz_normalize_text (text);
  JsonNode *accepted = json_object_get_member (question, "accepted");
  JsonNode *numeric = json_object_get_member (question, "numeric");

  if (norm == NULL)
    return FALSE;

  if (accepted != NULL && JSON_NODE_HOLDS_ARRAY (accepted))
    {
      JsonArray *array = json_node_get_array (accepted);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *want = cohort_quiz_normalize_text (
            json_array_get_string_element (array, i));

          if (want != NULL && g_str_equal (want, norm))
            return TRUE;
        }
    }

  if (numeric != NULL && JSON_NODE_HOLDS_OBJECT (numeric))
    {
      JsonObject *spec = json_node_get_object (numeric);
      double want = json_object_get_double_member_with_default (spec, "value", NAN);
      double tolerance = json_object_get_double_member_with_default (spec, "tolerance", 0);
      double got;

      /* The epsilon forgives binary rounding: 0.1 + 0.2 is within 0.3 ± 0. */
      if (cohort_quiz_parse_number (text, &got) &&
          fabs (got - want) <= tolerance + 1e-9 * MAX (1.0, fabs (want)))
        return TRUE;
    }

  return FALSE;
}

static guint64
index_set (JsonNode *node)
{
  guint64 set = 0;

  if (node_is_int (node))
    {
      gint64 i = json_node_get_int (node);

      return i >= 0 && i < 64 ? G_GUINT64_CONSTANT (1) << i : 0;
    }

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return 0;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      gint64 index = json_array_get_int_element (json_node_get_array (node), i);

      if (index >= 0 && index < 64)
        set |= G_GUINT64_CONSTANT (1) << index;
    }
  return set;
}

CohortQuizGrade
cohort_quiz_grade (JsonObject *question,
                   JsonNode   *answer)
{
  JsonNode *correct;

  g_return_val_if_fail (question != NULL, COHORT_QUIZ_GRADE_WRONG);

  if (answer == NULL)
    return COHORT_QUIZ_GRADE_WRONG;

  correct = json_object_get_member (question, "correct");

  switch (question_type (question))
    {
    case COHORT_QUIZ_SINGLE:
    case COHORT_QUIZ_MULTIPLE:
      {
        guint64 want = index_set (correct);

        /* Multiple choice is all or nothing: exactly the right set. */
        if (want != 0 && (JSON_NODE_HOLDS_ARRAY (answer) || node_is_int (answer)) &&
            index_set (answer) == want)
          return COHORT_QUIZ_GRADE_CORRECT;
        return COHORT_QUIZ_GRADE_WRONG;
      }

    case COHORT_QUIZ_TRUE_FALSE:
      if (node_is_type (answer, G_TYPE_BOOLEAN) && node_is_type (correct, G_TYPE_BOOLEAN) &&
          json_node_get_boolean (answer) == json_node_get_boolean (correct))
        return COHORT_QUIZ_GRADE_CORRECT;
      return COHORT_QUIZ_GRADE_WRONG;

    case COHORT_QUIZ_SHORT:
      if (node_is_type (answer, G_TYPE_STRING) && grade_short (question, json_node_get_string (answer)))
        return COHORT_QUIZ_GRADE_CORRECT;
      return COHORT_QUIZ_GRADE_WRONG;

    case COHORT_QUIZ_OPEN:
    default:
      return COHORT_QUIZ_GRADE_UNGRADED;
    }
}

gboolean
cohort_quiz_answers_equal (JsonNode *a,
                           JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;

  if (node_is_type (a, G_TYPE_STRING) && node_is_type (b, G_TYPE_STRING))
    return g_str_equal (json_node_get_string (a), json_node_get_string (b));
  if (node_is_type (a, G_TYPE_BOOLEAN) && node_is_type (b, G_TYPE_BOOLEAN))
    return json_node_get_boolean (a) == json_node_get_boolean (b);
  if (node_is_int (a) && node_is_int (b))
    return json_node_get_int (a) == json_node_get_int (b);
  if (JSON_NODE_HOLDS_ARRAY (a) && JSON_NODE_HOLDS_ARRAY (b))
    return index_set (a) == index_set (b) &&
           json_array_get_length (json_node_get_array (a)) ==
           json_array_get_length (json_node_get_array (b));

  return FALSE;
}

double
cohort_quiz_points (CohortQuizGrade grade,
                    gint64          elapsed_ms,
                    gint64          time_limit_ms)
{
  gint64 window = time_limit_ms > 0 ? time_limit_ms : COHORT_QUIZ_BONUS_WINDOW_MS;
  double bonus;

  if (grade != COHORT_QUIZ_GRADE_CORRECT)
    return 0;

  bonus = COHORT_QUIZ_MAX_BONUS * (1.0 - (double) CLAMP (elapsed_ms, 0, window) / (double) window);
  return round ((1.0 + bonus) * 100.0) / 100.0;
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : (x > y ? 1 : 0);
}

gint64
cohort_quiz_median (gint64 *values,
                    guint   n)
{
  if (n == 0)
    return 0;

  qsort (values, n, sizeof (gint64), compare_int64);
  if (n % 2 == 1)
    return values[n / 2];
  return (values[n / 2 - 1] + values[n / 2]) / 2;
}

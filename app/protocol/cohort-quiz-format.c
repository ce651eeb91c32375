/* cohort-quiz-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz-format"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cohort-protocol.h"
#include "cohort-practice-protocol.h"
#include "cohort-quiz-format.h"
#include "cohort-quiz-grade.h"
#include "cohort-text-rules.h"

static gboolean G_GNUC_PRINTF (4, 5)
fail (char      **out_field,
      GError    **error,
      const char *field,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (out_field != NULL)
    *out_field = g_strdup (field);
  g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID, message);
  return FALSE;
}

static gboolean
node_is (JsonNode *node,
         GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
node_is_number (JsonNode *node)
{
  return node_is (node, G_TYPE_INT64) || node_is (node, G_TYPE_DOUBLE);
}

/* Trims and checks a text member; @multiline allows new lines and tabs. */
static char *
take_text (JsonNode    *node,
           const char  *field,
           guint        min_chars,
           guint        max_chars,
           gboolean     multiline,
           char       **out_field,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *copy = NULL;
  const char *raw;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (min_chars == 0)
        return g_strdup ("");
      fail (out_field, error, field, "The field “%s” is required.", field);
      return NULL;
    }
  if (!node_is (node, G_TYPE_STRING))
    {
      fail (out_field, error, field, "The field “%s” must be a string.", field);
      return NULL;
    }

  /* The shared text rules: a prompt or a choice is shown to the whole
   * class. */
  raw = json_node_get_string (node);
  copy = cohort_text_clean (raw, multiline ? COHORT_TEXT_LINES : COHORT_TEXT_LINE,
                            min_chars, max_chars, NULL, &local_error);
  if (copy == NULL)
    {
      fail (out_field, error, field, "The field “%s” was refused: %s", field, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&copy);
}

static JsonArray *
take_text_array (JsonNode    *node,
                 const char  *field,
                 guint        min_items,
                 guint        max_items,
                 guint        max_chars,
                 gboolean     distinct,
                 char       **out_field,
                 GError     **error)
{
  g_autoptr(JsonArray) out = json_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonArray *array;
  guint n;

  if (node == NULL)
    {
      fail (out_field, error, field, "The field “%s” is required.", field);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (out_field, error, field, "The field “%s” must be a list of strings.", field);
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  if (n < min_items || n > max_items)
    {
      fail (out_field, error, field, "The field “%s” must hold %u to %u items.",
            field, min_items, max_items);
      return NULL;
    }

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *item_field = g_strdup_printf ("%s[%u]", field, i);
      g_autofree char *text = take_text (json_array_get_element (array, i), item_field,
                                         1, max_chars, FALSE, out_field, error);
      g_autofree char *key = NULL;

      if (text == NULL)
        return NULL;
      key = cohort_quiz_normalize_text (text);
      if (distinct && g_hash_table_contains (seen, key))
        {
          fail (out_field, error, item_field, "The field “%s” repeats an earlier item.",
                item_field);
          return NULL;
        }
      g_hash_table_add (seen, g_steal_pointer (&key));
      json_array_add_string_element (out, text);
    }

  return g_steal_pointer (&out);
}

static gboolean
take_choice_index (JsonNode    *node,
                   const char  *field,
                   guint        n_choices,
                   gint64      *out_index,
                   char       **out_field,
                   GError     **error)
{
  if (!node_is (node, G_TYPE_INT64))
    return fail (out_field, error, field,
                 "The field “%s” must be the number of a choice, counting from 0.", field);
  if (json_node_get_int (node) < 0 || json_node_get_int (node) >= n_choices)
    return fail (out_field, error, field,
                 "The field “%s” must be between 0 and %u, the number of a choice.",
                 field, n_choices - 1);
  *out_index = json_node_get_int (node);
  return TRUE;
}

JsonObject *
cohort_quiz_question_parse (JsonObject  *question,
                            const char  *path,
                            char       **out_field,
                            GError     **error)
{
  g_autoptr(JsonObject) out = json_object_new ();
  g_autofree char *f_type = g_strdup_printf ("%s.type", path);
  g_autofree char *f_prompt = g_strdup_printf ("%s.prompt", path);
  g_autofree char *f_choices = g_strdup_printf ("%s.choices", path);
  g_autofree char *f_correct = g_strdup_printf ("%s.correct", path);
  g_autofree char *f_accepted = g_strdup_printf ("%s.accepted", path);
  g_autofree char *f_numeric = g_strdup_printf ("%s.numeric", path);
  g_autofree char *f_explanation = g_strdup_printf ("%s.explanation", path);
  g_autofree char *f_time_limit = g_strdup_printf ("%s.time_limit", path);
  g_autofree char *prompt = NULL;
  g_autofree char *explanation = NULL;
  JsonNode *type_node;
  JsonNode *node;
  CohortQuizType type;
  guint n_choices = 0;

  g_return_val_if_fail (question != NULL, NULL);

  type_node = json_object_get_member (question, "type");
  if (type_node == NULL)
    {
      fail (out_field, error, f_type, "The field “%s” is required.", f_type);
      return NULL;
    }
  if (!node_is (type_node, G_TYPE_STRING) ||
      !cohort_quiz_type_from_string (json_node_get_string (type_node), &type))
    {
      fail (out_field, error, f_type,
            "The field “%s” must be one of “single”, “multiple”, “true_false”, “short” or “open”.",
            f_type);
      return NULL;
    }
  json_object_set_string_member (out, "type", cohort_quiz_type_to_string (type));

  if (!(prompt = take_text (json_object_get_member (question, "prompt"), f_prompt,
                            1, COHORT_QUIZ_MAX_PROMPT_CHARS, TRUE, out_field, error)))
    return NULL;
  json_object_set_string_member (out, "prompt", prompt);

  switch (type)
    {
    case COHORT_QUIZ_SINGLE:
    case COHORT_QUIZ_MULTIPLE:
      {
        g_autoptr(JsonArray) correct = json_array_new ();
        JsonArray *choices;
        guint64 seen = 0;

        choices = take_text_array (json_object_get_member (question, "choices"), f_choices,
                                   COHORT_QUIZ_MIN_CHOICES, COHORT_QUIZ_MAX_CHOICES,
                                   COHORT_QUIZ_MAX_CHOICE_CHARS, TRUE, out_field, error);
        if (choices == NULL)
          return NULL;
        n_choices = json_array_get_length (choices);
        json_object_set_array_member (out, "choices", choices);

        node = json_object_get_member (question, "correct");
        if (node == NULL)
          {
            fail (out_field, error, f_correct, "The field “%s” is required.", f_correct);
            return NULL;
          }
        if (!JSON_NODE_HOLDS_ARRAY (node))
          {
            fail (out_field, error, f_correct,
                  "The field “%s” must be a list of choice numbers, counting from 0.", f_correct);
            return NULL;
          }
        for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
          {
            g_autofree char *item = g_strdup_printf ("%s[%u]", f_correct, i);
            gint64 index = 0;

            if (!take_choice_index (json_array_get_element (json_node_get_array (node), i), item,
                                    n_choices, &index, out_field, error))
              return NULL;
            if (seen & (G_GUINT64_CONSTANT (1) << index))
              {
                fail (out_field, error, item, "The field “%s” repeats a choice.", item);
                return NULL;
              }
            seen |= G_GUINT64_CONSTANT (1) << index;
            json_array_add_int_element (correct, index);
          }
        if (type == COHORT_QUIZ_SINGLE && json_array_get_length (correct) != 1)
          {
            fail (out_field, error, f_correct,
                  "The field “%s” must name exactly one choice for a single-choice question.",
                  f_correct);
            return NULL;
          }
        if (json_array_get_length (correct) == 0)
          {
            fail (out_field, error, f_correct, "The field “%s” must name at least one choice.",
                  f_correct);
            return NULL;
          }
        json_object_set_array_member (out, "correct", g_steal_pointer (&correct));
        break;
      }

    case COHORT_QUIZ_TRUE_FALSE:
      node = json_object_get_member (question, "correct");
      if (node == NULL)
        {
          fail (out_field, error, f_correct, "The field “%s” is required.", f_correct);
          return NULL;
        }
      if (!node_is (node, G_TYPE_BOOLEAN))
        {
          fail (out_field, error, f_correct, "The field “%s” must be true or false.", f_correct);
          return NULL;
        }
      json_object_set_boolean_member (out, "correct", json_node_get_boolean (node));
      break;

    case COHORT_QUIZ_SHORT:
      {
        JsonNode *accepted = json_object_get_member (question, "accepted");
        JsonNode *numeric = json_object_get_member (question, "numeric");

        if (accepted == NULL && numeric == NULL)
          {
            fail (out_field, error, f_accepted,
                  "The field “%s” (or “%s”) is required for a short-answer question.",
                  f_accepted, f_numeric);
            return NULL;
          }
        if (accepted != NULL)
          {
            JsonArray *array = take_text_array (accepted, f_accepted, 1, COHORT_QUIZ_MAX_ACCEPTED,
                                                COHORT_QUIZ_MAX_CHOICE_CHARS, FALSE,
                                                out_field, error);

            if (array == NULL)
              return NULL;
            json_object_set_array_member (out, "accepted", array);
          }
        if (numeric != NULL)
          {
            g_autofree char *f_value = g_strdup_printf ("%s.value", f_numeric);
            g_autofree char *f_tolerance = g_strdup_printf ("%s.tolerance", f_numeric);
            JsonObject *spec;
            JsonObject *clean;
            JsonNode *value;
            JsonNode *tolerance;

            if (!JSON_NODE_HOLDS_OBJECT (numeric))
              {
                fail (out_field, error, f_numeric,
                      "The field “%s” must be an object with “value” and “tolerance”.", f_numeric);
                return NULL;
              }
            spec = json_node_get_object (numeric);
            value = json_object_get_member (spec, "value");
            tolerance = json_object_get_member (spec, "tolerance");
            if (!node_is_number (value) || !isfinite (json_node_get_double (value)))
              {
                fail (out_field, error, f_value, "The field “%s” must be a number.", f_value);
                return NULL;
              }
            if (tolerance != NULL &&
                (!node_is_number (tolerance) || !isfinite (json_node_get_double (tolerance)) ||
                 json_node_get_double (tolerance) < 0))
              {
                fail (out_field, error, f_tolerance,
                      "The field “%s” must be a number of 0 or more.", f_tolerance);
                return NULL;
              }
            clean = json_object_new ();
            json_object_set_double_member (clean, "value", json_node_get_double (value));
            json_object_set_double_member (clean, "tolerance",
                                           tolerance ? json_node_get_double (tolerance) : 0.0);
            json_object_set_object_member (out, "numeric", clean);
          }
        break;
      }

    case COHORT_QUIZ_OPEN:
    default:
      break;
    }

  if (!(explanation = take_text (json_object_get_member (question, "explanation"), f_explanation,
                                 0, COHORT_QUIZ_MAX_EXPLANATION_CHARS, TRUE, out_field, error)))
    return NULL;
  if (*explanation != '\0')
    json_object_set_string_member (out, "explanation", explanation);

  node = json_object_get_member (question, "time_limit");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      gint64 seconds;

      if (!node_is (node, G_TYPE_INT64))
        {
          fail (out_field, error, f_time_limit,
                "The field “%s” must be a whole number of seconds.", f_time_limit);
          return NULL;
        }
      seconds = json_node_get_int (node);
      if (seconds != 0 &&
          (seconds < COHORT_QUIZ_MIN_TIME_LIMIT || seconds > COHORT_QUIZ_MAX_TIME_LIMIT))
        {
          fail (out_field, error, f_time_limit,
                "The field “%s” must be 0 (no limit) or %d to %d seconds.", f_time_limit,
                COHORT_QUIZ_MIN_TIME_LIMIT, COHORT_QUIZ_MAX_TIME_LIMIT);
          return NULL;
        }
      if (seconds > 0)
        json_object_set_int_member (out, "time_limit", seconds);
    }

  /* practice (version 2): tags by name, so that a file carries them to
   * another class; both optional, and left out when empty or "normal". */
  node = json_object_get_member (question, "knowledge_points");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_autofree char *f_points = g_strdup_printf ("%s.knowledge_points", path);
      g_autoptr(JsonArray) points = take_text_array (node, f_points, 0,
                                                     COHORT_PRACTICE_MAX_QUESTION_POINTS,
                                                     COHORT_PRACTICE_MAX_POINT_CHARS, TRUE,
                                                     out_field, error);

      if (points == NULL)
        return NULL;
      if (json_array_get_length (points) > 0)
        json_object_set_array_member (out, "knowledge_points", g_steal_pointer (&points));
    }
  node = json_object_get_member (question, "practice");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      g_autofree char *f_practice = g_strdup_printf ("%s.practice", path);

      if (!node_is (node, G_TYPE_STRING) ||
          !g_strv_contains (cohort_practice_uses, json_node_get_string (node)))
        {
          fail (out_field, error, f_practice,
                "The field “%s” must be “normal”, “practice_only” or “after_live”.", f_practice);
          return NULL;
        }
      if (!g_str_equal (json_node_get_string (node), COHORT_PRACTICE_USE_NORMAL))
        json_object_set_string_member (out, "practice", json_node_get_string (node));
    }

  return g_steal_pointer (&out);
}

GPtrArray *
cohort_quiz_file_parse (JsonNode  *root,
                        char     **out_field,
                        GError   **error)
{
  g_autoptr(GPtrArray) questions = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  JsonObject *file;
  JsonNode *node;
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (out_field, error, "", "A question bank file is a JSON object.");
      return NULL;
    }
  file = json_node_get_object (root);

  node = json_object_get_member (file, "format");
  if (!node_is (node, G_TYPE_STRING) ||
      !g_str_equal (json_node_get_string (node), COHORT_QUIZ_FORMAT_NAME))
    {
      fail (out_field, error, "format", "The field “format” must be “%s”.", COHORT_QUIZ_FORMAT_NAME);
      return NULL;
    }

  node = json_object_get_member (file, "version");
  /* Version 1 files (no knowledge points) still read: their questions are
   * version 2 questions without the optional members. */
  if (!node_is (node, G_TYPE_INT64) || json_node_get_int (node) < COHORT_QUIZ_FORMAT_MIN_VERSION ||
      json_node_get_int (node) > COHORT_QUIZ_FORMAT_VERSION)
    {
      fail (out_field, error, "version",
            "The field “version” must be %d to %d; this file is from a newer or unknown version.",
            COHORT_QUIZ_FORMAT_MIN_VERSION, COHORT_QUIZ_FORMAT_VERSION);
      return NULL;
    }

  node = json_object_get_member (file, "questions");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      fail (out_field, error, "questions", "The field “questions” must be a list of questions.");
      return NULL;
    }
  array = json_node_get_array (node);
  if (json_array_get_length (array) > COHORT_QUIZ_MAX_QUESTIONS)
    {
      fail (out_field, error, "questions", "The field “questions” holds more than %d questions.",
            COHORT_QUIZ_MAX_QUESTIONS);
      return NULL;
    }

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("questions[%u]", i);
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *clean;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          fail (out_field, error, path, "The field “%s” must be an object.", path);
          return NULL;
        }
      clean = cohort_quiz_question_parse (json_node_get_object (element), path, out_field, error);
      if (clean == NULL)
        return NULL;
      g_ptr_array_add (questions, clean);
    }

  return g_steal_pointer (&questions);
}

static void
copy_member (JsonObject *to,
             JsonObject *from,
             const char *name)
{
  JsonNode *node = json_object_get_member (from, name);

  if (node != NULL)
    json_object_set_member (to, name, json_node_copy (node));
}

JsonObject *
cohort_quiz_file_new (GPtrArray *questions)
{
  JsonObject *file = json_object_new ();
  JsonArray *array = json_array_new ();
  static const char * const members[] = {
    "type", "prompt", "choices", "correct", "accepted", "numeric", "explanation", "time_limit",
    "knowledge_points", "practice",
  };

  json_object_set_string_member (file, "format", COHORT_QUIZ_FORMAT_NAME);
  json_object_set_int_member (file, "version", COHORT_QUIZ_FORMAT_VERSION);

  for (guint i = 0; questions != NULL && i < questions->len; i++)
    {
      JsonObject *q = g_ptr_array_index (questions, i);
      JsonObject *out = json_object_new ();

      for (guint m = 0; m < G_N_ELEMENTS (members); m++)
        copy_member (out, q, members[m]);
      json_array_add_object_element (array, out);
    }
  json_object_set_array_member (file, "questions", array);

  return file;
}

JsonObject *
cohort_quiz_question_public (JsonObject *question)
{
  JsonObject *out = json_object_new ();

  copy_member (out, question, "type");
  copy_member (out, question, "prompt");
  copy_member (out, question, "choices");
  return out;
}

JsonObject *
cohort_quiz_question_key (JsonObject *question)
{
  JsonObject *out = json_object_new ();

  copy_member (out, question, "correct");
  copy_member (out, question, "accepted");
  copy_member (out, question, "numeric");
  copy_member (out, question, "explanation");
  return out;
}

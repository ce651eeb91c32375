/* cohort-quiz-question.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz-question"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-json-private.h"
#include "cohort-quiz-format.h"
#include "cohort-quiz-question.h"
#include "cohort-quiz-question-private.h"

struct _CohortQuizQuestion
{
  GObject     parent_instance;

  JsonObject *json;
};

G_DEFINE_FINAL_TYPE (CohortQuizQuestion, cohort_quiz_question, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_POSITION,
  PROP_KIND,
  PROP_PROMPT,
  PROP_N_CHOICES,
  PROP_TIME_LIMIT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
has_value (JsonObject *object,
           const char *member,
           GType       type)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

CohortQuizQuestion *
cohort_quiz_question_new_from_json (JsonObject *object)
{
  CohortQuizQuestion *self;

  if (object == NULL || !has_value (object, "id", G_TYPE_INT64) ||
      !has_value (object, "type", G_TYPE_STRING) || !has_value (object, "prompt", G_TYPE_STRING))
    return NULL;

  self = g_object_new (COHORT_TYPE_QUIZ_QUESTION, NULL);
  self->json = json_object_ref (object);
  return self;
}

gint64
cohort_quiz_question_get_id (CohortQuizQuestion *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), 0);
  return json_object_get_int_member_with_default (self->json, "id", 0);
}

gint64
cohort_quiz_question_get_position (CohortQuizQuestion *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), 0);
  return json_object_get_int_member_with_default (self->json, "position", 0);
}

const char *
cohort_quiz_question_get_kind (CohortQuizQuestion *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), NULL);
  return json_object_get_string_member (self->json, "type");
}

const char *
cohort_quiz_question_get_prompt (CohortQuizQuestion *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), NULL);
  return json_object_get_string_member (self->json, "prompt");
}

guint
cohort_quiz_question_get_n_choices (CohortQuizQuestion *self)
{
  JsonNode *node;

  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), 0);

  node = json_object_get_member (self->json, "choices");
  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_array_get_length (json_node_get_array (node)) : 0;
}

gint64
cohort_quiz_question_get_time_limit (CohortQuizQuestion *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), 0);
  return has_value (self->json, "time_limit", G_TYPE_INT64)
         ? json_object_get_int_member (self->json, "time_limit") : 0;
}

JsonObject *
cohort_quiz_question_get_json (CohortQuizQuestion *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), NULL);
  return self->json;
}

CohortQuizType
cohort_quiz_question_get_question_type (CohortQuizQuestion *self)
{
  CohortQuizType type = COHORT_QUIZ_OPEN;

  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), COHORT_QUIZ_OPEN);
  cohort_quiz_type_from_string (cohort_quiz_question_get_kind (self), &type);
  return type;
}

static char **
dup_strings (JsonArray *array)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

char **
cohort_quiz_question_dup_choices (CohortQuizQuestion *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), NULL);
  return dup_strings (_cohort_json_array (self->json, "choices"));
}

guint64
cohort_quiz_question_get_correct_choices (CohortQuizQuestion *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), 0);
  return _cohort_quiz_answer_bits (json_object_get_member (self->json, "correct"));
}

gboolean
cohort_quiz_question_get_truth (CohortQuizQuestion *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), FALSE);
  return has_value (self->json, "correct", G_TYPE_BOOLEAN) &&
         json_object_get_boolean_member (self->json, "correct");
}

char **
cohort_quiz_question_dup_accepted (CohortQuizQuestion *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), NULL);
  return dup_strings (_cohort_json_array (self->json, "accepted"));
}

gboolean
cohort_quiz_question_get_numeric (CohortQuizQuestion *self,
                                  double             *out_value,
                                  double             *out_tolerance)
{
  JsonNode *node;
  JsonObject *numeric;

  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), FALSE);

  node = json_object_get_member (self->json, "numeric");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  numeric = json_node_get_object (node);
  if (out_value != NULL)
    *out_value = _cohort_json_double (numeric, "value");
  if (out_tolerance != NULL)
    *out_tolerance = _cohort_json_double (numeric, "tolerance");
  return TRUE;
}

const char *
cohort_quiz_question_get_explanation (CohortQuizQuestion *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), NULL);
  return has_value (self->json, "explanation", G_TYPE_STRING)
         ? json_object_get_string_member (self->json, "explanation") : NULL;
}

CohortQuizQuestion *
cohort_quiz_question_new (CohortQuizType  type,
                          const char     *prompt)
{
  CohortQuizQuestion *self = g_object_new (COHORT_TYPE_QUIZ_QUESTION, NULL);

  self->json = json_object_new ();
  json_object_set_string_member (self->json, "type", cohort_quiz_type_to_string (type));
  json_object_set_string_member (self->json, "prompt", prompt != NULL ? prompt : "");
  return self;
}

void
cohort_quiz_question_set_choices (CohortQuizQuestion *self,
                                  const char * const *choices,
                                  guint64             correct)
{
  JsonArray *texts = json_array_new ();
  JsonArray *indexes = json_array_new ();

  g_return_if_fail (COHORT_IS_QUIZ_QUESTION (self));

  for (guint i = 0; choices != NULL && choices[i] != NULL; i++)
    {
      json_array_add_string_element (texts, choices[i]);
      if (i < 64 && ((correct >> i) & 1))
        json_array_add_int_element (indexes, i);
    }
  json_object_set_array_member (self->json, "choices", texts);
  json_object_set_array_member (self->json, "correct", indexes);
}

void
cohort_quiz_question_set_truth (CohortQuizQuestion *self,
                                gboolean            truth)
{
  g_return_if_fail (COHORT_IS_QUIZ_QUESTION (self));
  json_object_set_boolean_member (self->json, "correct", truth);
}

void
cohort_quiz_question_set_accepted (CohortQuizQuestion *self,
                                   const char * const *accepted)
{
  JsonArray *array = json_array_new ();

  g_return_if_fail (COHORT_IS_QUIZ_QUESTION (self));

  for (guint i = 0; accepted != NULL && accepted[i] != NULL; i++)
    if (*accepted[i] != '\0')
      json_array_add_string_element (array, accepted[i]);
  if (json_array_get_length (array) > 0)
    json_object_set_array_member (self->json, "accepted", array);
  else
    {
      json_array_unref (array);
      json_object_remove_member (self->json, "accepted");
    }
}

void
cohort_quiz_question_set_numeric (CohortQuizQuestion *self,
                                  double              value,
                                  double              tolerance)
{
  JsonObject *numeric = json_object_new ();

  g_return_if_fail (COHORT_IS_QUIZ_QUESTION (self));

  json_object_set_double_member (numeric, "value", value);
  if (tolerance != 0)
    json_object_set_double_member (numeric, "tolerance", tolerance);
  json_object_set_object_member (self->json, "numeric", numeric);
}

void
cohort_quiz_question_set_explanation (CohortQuizQuestion *self,
                                      const char         *explanation)
{
  g_return_if_fail (COHORT_IS_QUIZ_QUESTION (self));

  if (explanation != NULL && *explanation != '\0')
    json_object_set_string_member (self->json, "explanation", explanation);
  else
    json_object_remove_member (self->json, "explanation");
}

char **
cohort_quiz_question_dup_knowledge_points (CohortQuizQuestion *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *names;

  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), NULL);

  names = _cohort_json_array (self->json, "knowledge_points");
  for (guint i = 0; names != NULL && i < json_array_get_length (names); i++)
    {
      JsonNode *node = json_array_get_element (names, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  return g_strv_builder_end (builder);
}

void
cohort_quiz_question_set_knowledge_points (CohortQuizQuestion *self,
                                           const char * const *names)
{
  JsonArray *array;

  g_return_if_fail (COHORT_IS_QUIZ_QUESTION (self));

  if (names == NULL || names[0] == NULL)
    {
      json_object_remove_member (self->json, "knowledge_points");
      return;
    }
  array = json_array_new ();
  for (guint i = 0; names[i] != NULL; i++)
    if (*names[i] != '\0')
      json_array_add_string_element (array, names[i]);
  json_object_set_array_member (self->json, "knowledge_points", array);
}

const char *
cohort_quiz_question_get_practice_use (CohortQuizQuestion *self)
{
  const char *use;

  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), NULL);

  use = _cohort_json_string (self->json, "practice");
  return use != NULL ? use : "normal";
}

void
cohort_quiz_question_set_practice_use (CohortQuizQuestion *self,
                                       const char         *use)
{
  g_return_if_fail (COHORT_IS_QUIZ_QUESTION (self));

  /* "normal" is the default: leave it out, as an export does. */
  if (use == NULL || g_str_equal (use, "normal"))
    json_object_remove_member (self->json, "practice");
  else
    json_object_set_string_member (self->json, "practice", use);
}

void
cohort_quiz_question_set_time_limit (CohortQuizQuestion *self,
                                     gint64              time_limit)
{
  g_return_if_fail (COHORT_IS_QUIZ_QUESTION (self));

  if (time_limit > 0)
    json_object_set_int_member (self->json, "time_limit", time_limit);
  else
    json_object_remove_member (self->json, "time_limit");
}

gboolean
cohort_quiz_question_check (CohortQuizQuestion  *self,
                            GError             **error)
{
  g_autoptr(JsonObject) clean = NULL;

  g_return_val_if_fail (COHORT_IS_QUIZ_QUESTION (self), FALSE);

  /* The parse copies; only its verdict matters here. Bank questions
   * carry "id" and "position", which the format does not know. */
  {
    g_autoptr(JsonObject) draft = json_object_new ();
    g_autoptr(GList) members = json_object_get_members (self->json);

    for (GList *l = members; l != NULL; l = l->next)
      if (!g_str_equal (l->data, "id") && !g_str_equal (l->data, "position"))
        json_object_set_member (draft, l->data, json_node_copy (json_object_get_member (self->json, l->data)));
    clean = cohort_quiz_question_parse (draft, "question", NULL, error);
  }
  return clean != NULL;
}

/* Answers and keys (cohort-quiz-question-private.h) */

static const char *
choice_text (JsonObject *question,
             gint64      index)
{
  JsonArray *choices = question != NULL ? _cohort_json_array (question, "choices") : NULL;
  JsonNode *node;

  if (choices == NULL || index < 0 || index >= json_array_get_length (choices))
    return "?";
  node = json_array_get_element (choices, index);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return "?";
  return json_node_get_string (node);
}

char *
_cohort_quiz_format_answer (JsonObject *question,
                            JsonNode   *answer)
{
  if (answer == NULL || JSON_NODE_HOLDS_NULL (answer))
    return g_strdup (_("No answer"));

  if (JSON_NODE_HOLDS_ARRAY (answer))
    {
      JsonArray *array = json_node_get_array (answer);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gint64 index = json_array_get_int_element (array, i);

          if (i > 0)
            g_string_append (text, "; ");
          g_string_append_printf (text, "%" G_GINT64_FORMAT ". %s", index + 1, choice_text (question, index));
        }
      return g_string_free (g_steal_pointer (&text), FALSE);
    }
  if (!JSON_NODE_HOLDS_VALUE (answer))
    return g_strdup ("?");

  switch (json_node_get_value_type (answer))
    {
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT ". %s", json_node_get_int (answer) + 1,
                              choice_text (question, json_node_get_int (answer)));
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (answer) ? _("True") : _("False"));
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (answer));
    default:
      return g_strdup ("?");
    }
}

char *
_cohort_quiz_format_key (JsonObject *question,
                         JsonObject *key)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonNode *correct;
  JsonArray *accepted;
  JsonNode *numeric;

  if (key == NULL)
    return NULL;

  correct = json_object_get_member (key, "correct");
  if (correct != NULL)
    {
      g_autofree char *formatted = _cohort_quiz_format_answer (question, correct);

      g_string_append (text, formatted);
    }
  accepted = _cohort_json_array (key, "accepted");
  for (guint i = 0; accepted != NULL && i < json_array_get_length (accepted); i++)
    g_string_append_printf (text, "%s%s", text->len > 0 ? "; " : "",
                            json_array_get_string_element (accepted, i));
  numeric = json_object_get_member (key, "numeric");
  if (numeric != NULL && JSON_NODE_HOLDS_OBJECT (numeric))
    {
      double value = _cohort_json_double (json_node_get_object (numeric), "value");
      double tolerance = _cohort_json_double (json_node_get_object (numeric), "tolerance");

      if (text->len > 0)
        g_string_append (text, "; ");
      if (tolerance > 0)
        g_string_append_printf (text, "%g ± %g", value, tolerance);
      else
        g_string_append_printf (text, "%g", value);
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

guint64
_cohort_quiz_answer_bits (JsonNode *answer)
{
  guint64 bits = 0;

  if (answer == NULL || JSON_NODE_HOLDS_NULL (answer))
    return 0;
  if (JSON_NODE_HOLDS_ARRAY (answer))
    {
      JsonArray *array = json_node_get_array (answer);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gint64 k = json_array_get_int_element (array, i);

          if (k >= 0 && k < 64)
            bits |= G_GUINT64_CONSTANT (1) << k;
        }
    }
  else if (!JSON_NODE_HOLDS_VALUE (answer))
    return 0;
  else if (json_node_get_value_type (answer) == G_TYPE_BOOLEAN)
    bits = json_node_get_boolean (answer) ? 1 : 2;
  else if (json_node_get_value_type (answer) == G_TYPE_INT64 && json_node_get_int (answer) >= 0 &&
           json_node_get_int (answer) < 64)
    bits = G_GUINT64_CONSTANT (1) << json_node_get_int (answer);
  return bits;
}

JsonNode *
_cohort_quiz_answer_new_choices (CohortQuizType type,
                                 guint64        chosen)
{
  if (type == COHORT_QUIZ_TRUE_FALSE)
    return json_node_init_boolean (json_node_alloc (), (chosen & 1) != 0);
  if (type == COHORT_QUIZ_MULTIPLE)
    {
      JsonArray *array = json_array_new ();
      JsonNode *node;

      for (guint i = 0; i < 64; i++)
        if ((chosen >> i) & 1)
          json_array_add_int_element (array, i);
      node = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
      return node;
    }
  for (guint i = 0; i < 64; i++)
    if ((chosen >> i) & 1)
      return json_node_init_int (json_node_alloc (), i);
  return json_node_init_int (json_node_alloc (), 0);
}

static void
cohort_quiz_question_finalize (GObject *object)
{
  CohortQuizQuestion *self = COHORT_QUIZ_QUESTION (object);

  g_clear_pointer (&self->json, json_object_unref);

  G_OBJECT_CLASS (cohort_quiz_question_parent_class)->finalize (object);
}

static void
cohort_quiz_question_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CohortQuizQuestion *self = COHORT_QUIZ_QUESTION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, cohort_quiz_question_get_id (self));
      break;
    case PROP_POSITION:
      g_value_set_int64 (value, cohort_quiz_question_get_position (self));
      break;
    case PROP_KIND:
      g_value_set_string (value, cohort_quiz_question_get_kind (self));
      break;
    case PROP_PROMPT:
      g_value_set_string (value, cohort_quiz_question_get_prompt (self));
      break;
    case PROP_N_CHOICES:
      g_value_set_uint (value, cohort_quiz_question_get_n_choices (self));
      break;
    case PROP_TIME_LIMIT:
      g_value_set_int64 (value, cohort_quiz_question_get_time_limit (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_quiz_question_class_init (CohortQuizQuestionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cohort_quiz_question_finalize;
  object_class->get_property = cohort_quiz_question_get_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_int64 ("position", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROMPT] =
    g_param_spec_string ("prompt", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_CHOICES] =
    g_param_spec_uint ("n-choices", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_LIMIT] =
    g_param_spec_int64 ("time-limit", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_quiz_question_init (CohortQuizQuestion *self)
{
}

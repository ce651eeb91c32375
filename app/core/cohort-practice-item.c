/* cohort-practice-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-practice"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-practice-protocol.h"

#include "cohort-enums.h"
#include "cohort-json-private.h"
#include "cohort-notify-private.h"
#include "cohort-practice-item.h"

struct _CohortPracticeItem
{
  GObject               parent_instance;

  gint64                question_id;
  CohortQuizType        type;
  char                 *prompt;
  GStrv                 choices;
  gint64                point_id;
  char                 *point_name;
  CohortPracticeReason  reason;

  JsonNode             *answer;       /* the one to send; NULL: none yet */
  gboolean              answered;
  gboolean              correct;
  guint64               correct_choices;
  char                 *explanation;
  char                 *key_text;
  char                 *why_text;
  gboolean              why_busy;
};

G_DEFINE_FINAL_TYPE (CohortPracticeItem, cohort_practice_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_QUESTION_ID,
  PROP_QUESTION_TYPE,
  PROP_PROMPT,
  PROP_POINT_ID,
  PROP_POINT_NAME,
  PROP_REASON,
  PROP_HAS_ANSWER,
  PROP_ANSWERED,
  PROP_CORRECT,
  PROP_EXPLANATION,
  PROP_KEY_TEXT,
  PROP_WHY_TEXT,
  PROP_WHY_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_practice_item_finalize (GObject *object)
{
  CohortPracticeItem *self = COHORT_PRACTICE_ITEM (object);

  g_free (self->prompt);
  g_strfreev (self->choices);
  g_free (self->point_name);
  g_clear_pointer (&self->answer, json_node_unref);
  g_free (self->explanation);
  g_free (self->key_text);
  g_free (self->why_text);
  G_OBJECT_CLASS (cohort_practice_item_parent_class)->finalize (object);
}

static void
cohort_practice_item_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CohortPracticeItem *self = COHORT_PRACTICE_ITEM (object);

  switch (prop_id)
    {
    case PROP_QUESTION_ID:
      g_value_set_int64 (value, self->question_id);
      break;
    case PROP_QUESTION_TYPE:
      g_value_set_enum (value, self->type);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_POINT_ID:
      g_value_set_int64 (value, self->point_id);
      break;
    case PROP_POINT_NAME:
      g_value_set_string (value, self->point_name);
      break;
    case PROP_REASON:
      g_value_set_enum (value, self->reason);
      break;
    case PROP_HAS_ANSWER:
      g_value_set_boolean (value, self->answer != NULL);
      break;
    case PROP_ANSWERED:
      g_value_set_boolean (value, self->answered);
      break;
    case PROP_CORRECT:
      g_value_set_boolean (value, self->correct);
      break;
    case PROP_EXPLANATION:
      g_value_set_string (value, self->explanation);
      break;
    case PROP_KEY_TEXT:
      g_value_set_string (value, self->key_text);
      break;
    case PROP_WHY_TEXT:
      g_value_set_string (value, self->why_text);
      break;
    case PROP_WHY_BUSY:
      g_value_set_boolean (value, self->why_busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_practice_item_class_init (CohortPracticeItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_practice_item_finalize;
  object_class->get_property = cohort_practice_item_get_property;

  properties[PROP_QUESTION_ID] = g_param_spec_int64 ("question-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_QUESTION_TYPE] = g_param_spec_enum ("question-type", NULL, NULL, COHORT_TYPE_QUIZ_TYPE,
                                                      COHORT_QUIZ_OPEN, flags);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  properties[PROP_POINT_ID] = g_param_spec_int64 ("point-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_POINT_NAME] = g_param_spec_string ("point-name", NULL, NULL, NULL, flags);
  properties[PROP_REASON] = g_param_spec_enum ("reason", NULL, NULL, COHORT_TYPE_PRACTICE_REASON,
                                               COHORT_PRACTICE_REASON_KIND_WEAK, flags);
  properties[PROP_HAS_ANSWER] = g_param_spec_boolean ("has-answer", NULL, NULL, FALSE, flags);
  properties[PROP_ANSWERED] = g_param_spec_boolean ("answered", NULL, NULL, FALSE, flags);
  properties[PROP_CORRECT] = g_param_spec_boolean ("correct", NULL, NULL, FALSE, flags);
  properties[PROP_EXPLANATION] = g_param_spec_string ("explanation", NULL, NULL, NULL, flags);
  properties[PROP_KEY_TEXT] = g_param_spec_string ("key-text", NULL, NULL, NULL, flags);
  properties[PROP_WHY_TEXT] = g_param_spec_string ("why-text", NULL, NULL, NULL, flags);
  properties[PROP_WHY_BUSY] = g_param_spec_boolean ("why-busy", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_practice_item_init (CohortPracticeItem *self)
{
  self->type = COHORT_QUIZ_OPEN;
}

CohortPracticeItem *
_cohort_practice_item_new_from_json (JsonObject *item)
{
  CohortPracticeItem *self;
  JsonObject *question = _cohort_json_object (item, "question");
  JsonArray *choices = _cohort_json_array (question, "choices");
  const char *reason = _cohort_json_string (item, "reason");
  gint64 id = _cohort_json_int (item, "question_id", 0);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (id <= 0 || _cohort_json_string (question, "prompt") == NULL)
    return NULL;
  self = g_object_new (COHORT_TYPE_PRACTICE_ITEM, NULL);
  self->question_id = id;
  if (!cohort_quiz_type_from_string (_cohort_json_string (question, "type") ?: "", &self->type))
    self->type = COHORT_QUIZ_OPEN;
  self->prompt = g_strdup (_cohort_json_string (question, "prompt"));
  for (guint i = 0; choices != NULL && i < json_array_get_length (choices); i++)
    {
      JsonNode *node = json_array_get_element (choices, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (node));
    }
  self->choices = g_strv_builder_end (builder);
  self->point_id = _cohort_json_int (item, "point_id", 0);
  self->point_name = g_strdup (_cohort_json_string (item, "point") ?: "");
  if (g_strcmp0 (reason, COHORT_PRACTICE_REASON_REVIEW) == 0)
    self->reason = COHORT_PRACTICE_REASON_KIND_REVIEW;
  else if (g_strcmp0 (reason, COHORT_PRACTICE_REASON_NEW) == 0)
    self->reason = COHORT_PRACTICE_REASON_KIND_NEW;
  else
    self->reason = COHORT_PRACTICE_REASON_KIND_WEAK;
  return self;
}

gint64
cohort_practice_item_get_question_id (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), 0);
  return self->question_id;
}

CohortQuizType
cohort_practice_item_get_question_type (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), COHORT_QUIZ_OPEN);
  return self->type;
}

const char *
cohort_practice_item_get_prompt (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), NULL);
  return self->prompt;
}

char **
cohort_practice_item_dup_choices (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), NULL);
  return g_strdupv (self->choices);
}

gint64
cohort_practice_item_get_point_id (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), 0);
  return self->point_id;
}

const char *
cohort_practice_item_get_point_name (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), NULL);
  return self->point_name;
}

CohortPracticeReason
cohort_practice_item_get_reason (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), COHORT_PRACTICE_REASON_KIND_WEAK);
  return self->reason;
}

static void
set_answer (CohortPracticeItem *self,
            JsonNode           *answer)
{
  gboolean had = self->answer != NULL;

  g_clear_pointer (&self->answer, json_node_unref);
  self->answer = answer;
  if (!had)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_ANSWER]);
}

void
cohort_practice_item_set_chosen (CohortPracticeItem *self,
                                 guint64             chosen)
{
  JsonNode *node;

  g_return_if_fail (COHORT_IS_PRACTICE_ITEM (self));

  if (self->type == COHORT_QUIZ_SINGLE)
    {
      /* the lowest bit set: one choice */
      gint64 index = chosen != 0 ? g_bit_nth_lsf (chosen, -1) : 0;

      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, index);
    }
  else
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < 64; i++)
        if (chosen & (G_GUINT64_CONSTANT (1) << i))
          json_array_add_int_element (array, i);
      node = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
    }
  set_answer (self, node);
}

void
cohort_practice_item_set_truth (CohortPracticeItem *self,
                                gboolean            truth)
{
  JsonNode *node;

  g_return_if_fail (COHORT_IS_PRACTICE_ITEM (self));

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_boolean (node, truth);
  set_answer (self, node);
}

void
cohort_practice_item_set_text (CohortPracticeItem *self,
                               const char         *text)
{
  JsonNode *node;

  g_return_if_fail (COHORT_IS_PRACTICE_ITEM (self));
  g_return_if_fail (text != NULL);

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, text);
  set_answer (self, node);
}

gboolean
cohort_practice_item_get_has_answer (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), FALSE);
  return self->answer != NULL;
}

gboolean
cohort_practice_item_get_answered (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), FALSE);
  return self->answered;
}

gboolean
cohort_practice_item_get_correct (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), FALSE);
  return self->correct;
}

guint64
cohort_practice_item_get_correct_choices (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), 0);
  return self->correct_choices;
}

const char *
cohort_practice_item_get_explanation (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), NULL);
  return self->explanation;
}

const char *
cohort_practice_item_get_key_text (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), NULL);
  return self->key_text;
}

const char *
cohort_practice_item_get_why_text (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), NULL);
  return self->why_text;
}

gboolean
cohort_practice_item_get_why_busy (CohortPracticeItem *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ITEM (self), FALSE);
  return self->why_busy;
}

JsonNode *
_cohort_practice_item_dup_answer (CohortPracticeItem *self)
{
  return self->answer != NULL ? json_node_copy (self->answer) : NULL;
}

/* The key as one line people read: the right choices, true or false, or
 * the accepted answers. */
static char *
key_text (CohortPracticeItem *self,
          JsonObject         *key)
{
  JsonNode *correct = json_object_get_member (key, "correct");
  JsonArray *accepted = _cohort_json_array (key, "accepted");
  JsonObject *numeric = _cohort_json_object (key, "numeric");
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  if (correct != NULL && JSON_NODE_HOLDS_VALUE (correct) &&
      json_node_get_value_type (correct) == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (correct) ? _("True") : _("False"));
  if (correct != NULL && JSON_NODE_HOLDS_ARRAY (correct))
    {
      JsonArray *array = json_node_get_array (correct);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gint64 index = json_array_get_int_element (array, i);

          if (index >= 0 && index < 64)
            self->correct_choices |= G_GUINT64_CONSTANT (1) << index;
          if (index >= 0 && index < g_strv_length (self->choices))
            g_strv_builder_add (parts, self->choices[index]);
        }
    }
  for (guint i = 0; accepted != NULL && i < json_array_get_length (accepted); i++)
    if (json_array_get_string_element (accepted, i) != NULL)
      g_strv_builder_add (parts, json_array_get_string_element (accepted, i));
  if (numeric != NULL)
    {
      g_autofree char *number = g_strdup_printf ("%g", _cohort_json_double (numeric, "value"));

      g_strv_builder_add (parts, number);
    }
  strv = g_strv_builder_end (parts);
  /* TRANSLATORS: separates the correct answers of one question */
  return g_strjoinv (_(", "), strv);
}

void
_cohort_practice_item_apply_result (CohortPracticeItem *self,
                                    JsonObject         *reply)
{
  JsonObject *key = _cohort_json_object (reply, "key");

  self->answered = TRUE;
  self->correct = g_strcmp0 (_cohort_json_string (reply, "grade"), "correct") == 0;
  g_free (self->explanation);
  self->explanation = g_strdup (_cohort_json_string (key, "explanation"));
  g_free (self->key_text);
  self->correct_choices = 0;
  self->key_text = key != NULL ? key_text (self, key) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORRECT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXPLANATION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEY_TEXT]);
}

void
_cohort_practice_item_set_why (CohortPracticeItem *self,
                               const char         *text,
                               gboolean            busy)
{
  _cohort_set_string (self, &self->why_text, text, properties[PROP_WHY_TEXT]);
  _cohort_set_boolean (self, &self->why_busy, busy, properties[PROP_WHY_BUSY]);
}

/* cohort-quiz-question.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz-question"

#include "config.h"

#include "cohort-quiz-question.h"

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
  return json_object_get_int_member (self->json, "id");
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

/* cohort-knowledge-point.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-practice"

#include "config.h"

#include "cohort-practice-protocol.h"

#include "cohort-enums.h"
#include "cohort-json-private.h"
#include "cohort-knowledge-point.h"

struct _CohortKnowledgePoint
{
  GObject             parent_instance;

  gint64              point_id;
  char               *name;
  gboolean            practice;
  guint               questions;
  int                 mastery;
  guint               answered;
  guint               correct;
  CohortMasteryState  state;
  gint64              due_at;
};

G_DEFINE_FINAL_TYPE (CohortKnowledgePoint, cohort_knowledge_point, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_POINT_ID,
  PROP_NAME,
  PROP_PRACTICE,
  PROP_QUESTIONS,
  PROP_MASTERY,
  PROP_ANSWERED,
  PROP_CORRECT,
  PROP_STATE,
  PROP_DUE_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_knowledge_point_finalize (GObject *object)
{
  CohortKnowledgePoint *self = COHORT_KNOWLEDGE_POINT (object);

  g_free (self->name);
  G_OBJECT_CLASS (cohort_knowledge_point_parent_class)->finalize (object);
}

static void
cohort_knowledge_point_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CohortKnowledgePoint *self = COHORT_KNOWLEDGE_POINT (object);

  switch (prop_id)
    {
    case PROP_POINT_ID:
      g_value_set_int64 (value, self->point_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PRACTICE:
      g_value_set_boolean (value, self->practice);
      break;
    case PROP_QUESTIONS:
      g_value_set_uint (value, self->questions);
      break;
    case PROP_MASTERY:
      g_value_set_int (value, self->mastery);
      break;
    case PROP_ANSWERED:
      g_value_set_uint (value, self->answered);
      break;
    case PROP_CORRECT:
      g_value_set_uint (value, self->correct);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_DUE_AT:
      g_value_set_int64 (value, self->due_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_knowledge_point_class_init (CohortKnowledgePointClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_knowledge_point_finalize;
  object_class->get_property = cohort_knowledge_point_get_property;

  properties[PROP_POINT_ID] = g_param_spec_int64 ("point-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_PRACTICE] = g_param_spec_boolean ("practice", NULL, NULL, TRUE, flags);
  properties[PROP_QUESTIONS] = g_param_spec_uint ("questions", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_MASTERY] = g_param_spec_int ("mastery", NULL, NULL, -1, 1000, -1, flags);
  properties[PROP_ANSWERED] = g_param_spec_uint ("answered", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_CORRECT] = g_param_spec_uint ("correct", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, COHORT_TYPE_MASTERY_STATE,
                                              COHORT_MASTERY_NEW, flags);
  properties[PROP_DUE_AT] = g_param_spec_int64 ("due-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_knowledge_point_init (CohortKnowledgePoint *self)
{
  self->mastery = -1;
  self->practice = TRUE;
}

CohortKnowledgePoint *
_cohort_knowledge_point_new_from_json (JsonObject *object)
{
  CohortKnowledgePoint *self;
  const char *name = _cohort_json_string (object, "name");
  const char *state = _cohort_json_string (object, "state");
  gint64 id = _cohort_json_int (object, "point_id", 0);

  if (id <= 0 || name == NULL)
    return NULL;
  self = g_object_new (COHORT_TYPE_KNOWLEDGE_POINT, NULL);
  self->point_id = id;
  self->name = g_strdup (name);
  self->practice = json_object_get_boolean_member_with_default (object, "practice", TRUE);
  self->questions = CLAMP (_cohort_json_int (object, "questions", 0), 0, G_MAXUINT);
  self->answered = CLAMP (_cohort_json_int (object, "answered", 0), 0, G_MAXUINT);
  self->correct = CLAMP (_cohort_json_int (object, "correct", 0), 0, G_MAXUINT);
  self->due_at = MAX (_cohort_json_int (object, "due_at", 0), 0);
  /* A student's "mastery", or a heatmap column's class "mean"; -1: none. */
  if (json_object_has_member (object, "mean"))
    self->mastery = CLAMP (_cohort_json_int (object, "mean", -1), -1, 1000);
  else if (self->answered > 0)
    self->mastery = CLAMP (_cohort_json_int (object, "mastery", -1), -1, 1000);
  if (g_strcmp0 (state, COHORT_PRACTICE_STATE_MASTERED) == 0)
    self->state = COHORT_MASTERY_MASTERED;
  else if (g_strcmp0 (state, COHORT_PRACTICE_STATE_LEARNING) == 0)
    self->state = COHORT_MASTERY_LEARNING;
  return self;
}

gint64
cohort_knowledge_point_get_point_id (CohortKnowledgePoint *self)
{
  g_return_val_if_fail (COHORT_IS_KNOWLEDGE_POINT (self), 0);
  return self->point_id;
}

const char *
cohort_knowledge_point_get_name (CohortKnowledgePoint *self)
{
  g_return_val_if_fail (COHORT_IS_KNOWLEDGE_POINT (self), NULL);
  return self->name;
}

gboolean
cohort_knowledge_point_get_practice (CohortKnowledgePoint *self)
{
  g_return_val_if_fail (COHORT_IS_KNOWLEDGE_POINT (self), FALSE);
  return self->practice;
}

guint
cohort_knowledge_point_get_questions (CohortKnowledgePoint *self)
{
  g_return_val_if_fail (COHORT_IS_KNOWLEDGE_POINT (self), 0);
  return self->questions;
}

int
cohort_knowledge_point_get_mastery (CohortKnowledgePoint *self)
{
  g_return_val_if_fail (COHORT_IS_KNOWLEDGE_POINT (self), -1);
  return self->mastery;
}

guint
cohort_knowledge_point_get_answered (CohortKnowledgePoint *self)
{
  g_return_val_if_fail (COHORT_IS_KNOWLEDGE_POINT (self), 0);
  return self->answered;
}

guint
cohort_knowledge_point_get_correct (CohortKnowledgePoint *self)
{
  g_return_val_if_fail (COHORT_IS_KNOWLEDGE_POINT (self), 0);
  return self->correct;
}

CohortMasteryState
cohort_knowledge_point_get_state (CohortKnowledgePoint *self)
{
  g_return_val_if_fail (COHORT_IS_KNOWLEDGE_POINT (self), COHORT_MASTERY_NEW);
  return self->state;
}

gint64
cohort_knowledge_point_get_due_at (CohortKnowledgePoint *self)
{
  g_return_val_if_fail (COHORT_IS_KNOWLEDGE_POINT (self), 0);
  return self->due_at;
}

/* cohort-practice-attempt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-practice"

#include "config.h"

#include "cohort-json-private.h"
#include "cohort-practice-attempt.h"

struct _CohortPracticeAttempt
{
  GObject   parent_instance;

  gint64    question_id;
  char     *prompt;
  gint64    at;
  gboolean  correct;
  gboolean  from_quiz;
};

G_DEFINE_FINAL_TYPE (CohortPracticeAttempt, cohort_practice_attempt, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_QUESTION_ID,
  PROP_PROMPT,
  PROP_AT,
  PROP_CORRECT,
  PROP_FROM_QUIZ,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_practice_attempt_finalize (GObject *object)
{
  CohortPracticeAttempt *self = COHORT_PRACTICE_ATTEMPT (object);

  g_free (self->prompt);
  G_OBJECT_CLASS (cohort_practice_attempt_parent_class)->finalize (object);
}

static void
cohort_practice_attempt_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  CohortPracticeAttempt *self = COHORT_PRACTICE_ATTEMPT (object);

  switch (prop_id)
    {
    case PROP_QUESTION_ID:
      g_value_set_int64 (value, self->question_id);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_AT:
      g_value_set_int64 (value, self->at);
      break;
    case PROP_CORRECT:
      g_value_set_boolean (value, self->correct);
      break;
    case PROP_FROM_QUIZ:
      g_value_set_boolean (value, self->from_quiz);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_practice_attempt_class_init (CohortPracticeAttemptClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_practice_attempt_finalize;
  object_class->get_property = cohort_practice_attempt_get_property;

  properties[PROP_QUESTION_ID] = g_param_spec_int64 ("question-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  properties[PROP_AT] = g_param_spec_int64 ("at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CORRECT] = g_param_spec_boolean ("correct", NULL, NULL, FALSE, flags);
  properties[PROP_FROM_QUIZ] = g_param_spec_boolean ("from-quiz", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_practice_attempt_init (CohortPracticeAttempt *self)
{
}

CohortPracticeAttempt *
_cohort_practice_attempt_new_from_json (JsonObject *object)
{
  CohortPracticeAttempt *self;
  gint64 id = _cohort_json_int (object, "question_id", 0);

  if (id <= 0)
    return NULL;
  self = g_object_new (COHORT_TYPE_PRACTICE_ATTEMPT, NULL);
  self->question_id = id;
  self->prompt = g_strdup (_cohort_json_string (object, "prompt") ?: "");
  self->at = MAX (_cohort_json_int (object, "at", 0), 0);
  self->correct = json_object_get_boolean_member_with_default (object, "correct", FALSE);
  self->from_quiz = g_strcmp0 (_cohort_json_string (object, "source"), "quiz") == 0;
  return self;
}

gint64
cohort_practice_attempt_get_question_id (CohortPracticeAttempt *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ATTEMPT (self), 0);
  return self->question_id;
}

const char *
cohort_practice_attempt_get_prompt (CohortPracticeAttempt *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ATTEMPT (self), NULL);
  return self->prompt;
}

gint64
cohort_practice_attempt_get_at (CohortPracticeAttempt *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ATTEMPT (self), 0);
  return self->at;
}

gboolean
cohort_practice_attempt_get_correct (CohortPracticeAttempt *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ATTEMPT (self), FALSE);
  return self->correct;
}

gboolean
cohort_practice_attempt_get_from_quiz (CohortPracticeAttempt *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE_ATTEMPT (self), FALSE);
  return self->from_quiz;
}

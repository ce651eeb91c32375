/* cohort-quiz-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz-entry"

#include "config.h"

#include "cohort-enums.h"
#include "cohort-quiz-entry.h"
#include "cohort-quiz-question-private.h"

struct _CohortQuizEntry
{
  GObject     parent_instance;

  gint64      run_id;
  gint64      participant_id;
  char       *name;
  JsonObject *question;
  JsonNode   *answer;
  JsonObject *key;
  char       *grade;
  double      points;
  gint64      elapsed_ms;
};

G_DEFINE_FINAL_TYPE (CohortQuizEntry, cohort_quiz_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUN_ID,
  PROP_PARTICIPANT_ID,
  PROP_NAME,
  PROP_PROMPT,
  PROP_KIND,
  PROP_GRADE,
  PROP_POINTS,
  PROP_ELAPSED_MS,
  PROP_ANSWERED,
  PROP_QUESTION_TYPE,
  PROP_OUTCOME,
  PROP_ANSWER_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CohortQuizEntry *
cohort_quiz_entry_new (gint64      run_id,
                       gint64      participant_id,
                       const char *name,
                       JsonObject *question,
                       JsonNode   *answer,
                       JsonObject *key,
                       const char *grade,
                       double      points,
                       gint64      elapsed_ms)
{
  CohortQuizEntry *self = g_object_new (COHORT_TYPE_QUIZ_ENTRY, NULL);

  self->run_id = run_id;
  self->participant_id = participant_id;
  self->name = g_strdup (name);
  self->question = question != NULL ? json_object_ref (question) : json_object_new ();
  self->answer = answer != NULL && !JSON_NODE_HOLDS_NULL (answer) ? json_node_copy (answer) : NULL;
  self->key = key != NULL ? json_object_ref (key) : NULL;
  self->grade = g_strdup (grade);
  self->points = points;
  self->elapsed_ms = elapsed_ms;
  return self;
}

gint64
cohort_quiz_entry_get_run_id (CohortQuizEntry *self)
{
  return self->run_id;
}

gint64
cohort_quiz_entry_get_participant_id (CohortQuizEntry *self)
{
  return self->participant_id;
}

const char *
cohort_quiz_entry_get_name (CohortQuizEntry *self)
{
  return self->name;
}

const char *
cohort_quiz_entry_get_prompt (CohortQuizEntry *self)
{
  return json_object_get_string_member_with_default (self->question, "prompt", "");
}

const char *
cohort_quiz_entry_get_kind (CohortQuizEntry *self)
{
  return json_object_get_string_member_with_default (self->question, "type", "open");
}

const char *
cohort_quiz_entry_get_grade (CohortQuizEntry *self)
{
  return self->grade;
}

double
cohort_quiz_entry_get_points (CohortQuizEntry *self)
{
  return self->points;
}

gint64
cohort_quiz_entry_get_elapsed_ms (CohortQuizEntry *self)
{
  return self->elapsed_ms;
}

gboolean
cohort_quiz_entry_get_answered (CohortQuizEntry *self)
{
  return self->answer != NULL;
}

CohortQuizOutcome
cohort_quiz_outcome_from_grade (const char *grade)
{
  if (g_strcmp0 (grade, "correct") == 0)
    return COHORT_QUIZ_OUTCOME_CORRECT;
  if (g_strcmp0 (grade, "wrong") == 0)
    return COHORT_QUIZ_OUTCOME_WRONG;
  if (g_strcmp0 (grade, "ungraded") == 0)
    return COHORT_QUIZ_OUTCOME_UNGRADED;
  return COHORT_QUIZ_OUTCOME_NONE;
}

CohortQuizType
cohort_quiz_entry_get_question_type (CohortQuizEntry *self)
{
  CohortQuizType type = COHORT_QUIZ_OPEN;

  cohort_quiz_type_from_string (cohort_quiz_entry_get_kind (self), &type);
  return type;
}

CohortQuizOutcome
cohort_quiz_entry_get_outcome (CohortQuizEntry *self)
{
  return cohort_quiz_outcome_from_grade (self->grade);
}

char *
cohort_quiz_entry_dup_answer_text (CohortQuizEntry *self)
{
  return _cohort_quiz_format_answer (self->question, self->answer);
}

JsonObject *
cohort_quiz_entry_get_question (CohortQuizEntry *self)
{
  return self->question;
}

JsonNode *
cohort_quiz_entry_get_answer (CohortQuizEntry *self)
{
  return self->answer;
}

JsonObject *
cohort_quiz_entry_get_key (CohortQuizEntry *self)
{
  return self->key;
}

static void
cohort_quiz_entry_finalize (GObject *object)
{
  CohortQuizEntry *self = COHORT_QUIZ_ENTRY (object);

  g_free (self->name);
  g_free (self->grade);
  g_clear_pointer (&self->question, json_object_unref);
  g_clear_pointer (&self->answer, json_node_unref);
  g_clear_pointer (&self->key, json_object_unref);

  G_OBJECT_CLASS (cohort_quiz_entry_parent_class)->finalize (object);
}

static void
cohort_quiz_entry_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortQuizEntry *self = COHORT_QUIZ_ENTRY (object);

  switch (prop_id)
    {
    case PROP_RUN_ID:
      g_value_set_int64 (value, self->run_id);
      break;
    case PROP_PARTICIPANT_ID:
      g_value_set_int64 (value, self->participant_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, cohort_quiz_entry_get_prompt (self));
      break;
    case PROP_KIND:
      g_value_set_string (value, cohort_quiz_entry_get_kind (self));
      break;
    case PROP_GRADE:
      g_value_set_string (value, self->grade);
      break;
    case PROP_POINTS:
      g_value_set_double (value, self->points);
      break;
    case PROP_ELAPSED_MS:
      g_value_set_int64 (value, self->elapsed_ms);
      break;
    case PROP_ANSWERED:
      g_value_set_boolean (value, self->answer != NULL);
      break;
    case PROP_QUESTION_TYPE:
      g_value_set_enum (value, cohort_quiz_entry_get_question_type (self));
      break;
    case PROP_OUTCOME:
      g_value_set_enum (value, cohort_quiz_entry_get_outcome (self));
      break;
    case PROP_ANSWER_TEXT:
      g_value_take_string (value, cohort_quiz_entry_dup_answer_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_quiz_entry_class_init (CohortQuizEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_quiz_entry_finalize;
  object_class->get_property = cohort_quiz_entry_get_property;

  properties[PROP_RUN_ID] = g_param_spec_int64 ("run-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PARTICIPANT_ID] =
    g_param_spec_int64 ("participant-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_GRADE] = g_param_spec_string ("grade", NULL, NULL, NULL, flags);
  properties[PROP_POINTS] = g_param_spec_double ("points", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_ELAPSED_MS] =
    g_param_spec_int64 ("elapsed-ms", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ANSWERED] = g_param_spec_boolean ("answered", NULL, NULL, FALSE, flags);
  properties[PROP_QUESTION_TYPE] =
    g_param_spec_enum ("question-type", NULL, NULL, COHORT_TYPE_QUIZ_TYPE, COHORT_QUIZ_OPEN, flags);
  properties[PROP_OUTCOME] =
    g_param_spec_enum ("outcome", NULL, NULL, COHORT_TYPE_QUIZ_OUTCOME, COHORT_QUIZ_OUTCOME_NONE, flags);
  properties[PROP_ANSWER_TEXT] = g_param_spec_string ("answer-text", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_quiz_entry_init (CohortQuizEntry *self)
{
}

/* cohort-quiz-score.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz-score"

#include "config.h"

#include <math.h>

#include "cohort-notify-private.h"
#include "cohort-quiz-score.h"

struct _CohortQuizScore
{
  GObject  parent_instance;

  gint64   participant_id;
  char    *name;
  double   points;
  gint64   correct;
  gint64   answered;
};

G_DEFINE_FINAL_TYPE (CohortQuizScore, cohort_quiz_score, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PARTICIPANT_ID,
  PROP_NAME,
  PROP_POINTS,
  PROP_CORRECT,
  PROP_ANSWERED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CohortQuizScore *
cohort_quiz_score_new (gint64      participant_id,
                       const char *name)
{
  CohortQuizScore *self = g_object_new (COHORT_TYPE_QUIZ_SCORE, NULL);

  self->participant_id = participant_id;
  self->name = g_strdup (name);
  return self;
}

gint64
cohort_quiz_score_get_participant_id (CohortQuizScore *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_SCORE (self), 0);
  return self->participant_id;
}

const char *
cohort_quiz_score_get_name (CohortQuizScore *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_SCORE (self), NULL);
  return self->name;
}

void
cohort_quiz_score_set_name (CohortQuizScore *self,
                            const char      *name)
{
  g_return_if_fail (COHORT_IS_QUIZ_SCORE (self));

  _cohort_set_string (self, &self->name, name, properties[PROP_NAME]);
}

double
cohort_quiz_score_get_points (CohortQuizScore *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_SCORE (self), 0);
  return self->points;
}

gint64
cohort_quiz_score_get_correct (CohortQuizScore *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_SCORE (self), 0);
  return self->correct;
}

gint64
cohort_quiz_score_get_answered (CohortQuizScore *self)
{
  g_return_val_if_fail (COHORT_IS_QUIZ_SCORE (self), 0);
  return self->answered;
}

void
cohort_quiz_score_add (CohortQuizScore *self,
                       double           points,
                       gint64           correct,
                       gint64           answered)
{
  g_return_if_fail (COHORT_IS_QUIZ_SCORE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (points != 0)
    {
      /* Hundredths, so that sums of rounded points stay exact. */
      self->points = round ((self->points + points) * 100.0) / 100.0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINTS]);
    }
  if (correct != 0)
    {
      self->correct += correct;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORRECT]);
    }
  if (answered != 0)
    {
      self->answered += answered;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
cohort_quiz_score_finalize (GObject *object)
{
  CohortQuizScore *self = COHORT_QUIZ_SCORE (object);

  g_free (self->name);

  G_OBJECT_CLASS (cohort_quiz_score_parent_class)->finalize (object);
}

static void
cohort_quiz_score_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortQuizScore *self = COHORT_QUIZ_SCORE (object);

  switch (prop_id)
    {
    case PROP_PARTICIPANT_ID:
      g_value_set_int64 (value, self->participant_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_POINTS:
      g_value_set_double (value, self->points);
      break;
    case PROP_CORRECT:
      g_value_set_int64 (value, self->correct);
      break;
    case PROP_ANSWERED:
      g_value_set_int64 (value, self->answered);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_quiz_score_class_init (CohortQuizScoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_quiz_score_finalize;
  object_class->get_property = cohort_quiz_score_get_property;

  properties[PROP_PARTICIPANT_ID] =
    g_param_spec_int64 ("participant-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_POINTS] = g_param_spec_double ("points", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  properties[PROP_CORRECT] = g_param_spec_int64 ("correct", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ANSWERED] = g_param_spec_int64 ("answered", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_quiz_score_init (CohortQuizScore *self)
{
}

/* cohort-mastery.c: the mastery model (pure: no I/O, no clock)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "cohort-mastery.h"
#include "cohort-practice-protocol.h"

double
cohort_mastery_expected (double theta,
                         double difficulty)
{
  return 1.0 / (1.0 + exp (difficulty - theta));
}

double
cohort_mastery_k (guint n)
{
  return COHORT_MASTERY_ALPHA / (1.0 + COHORT_MASTERY_BETA * n);
}

int
cohort_mastery_permille (const CohortMasterySkill *skill)
{
  return (int) lround (1000.0 * cohort_mastery_expected (skill->theta, 0.0));
}

gboolean
cohort_mastery_is_mastered (const CohortMasterySkill *skill)
{
  return skill->answered >= COHORT_PRACTICE_MASTERED_ANSWERS &&
         cohort_mastery_permille (skill) >= COHORT_PRACTICE_MASTERED;
}

const char *
cohort_mastery_state (const CohortMasterySkill *skill)
{
  if (skill->answered == 0)
    return COHORT_PRACTICE_STATE_NEW;
  return cohort_mastery_is_mastered (skill) ? COHORT_PRACTICE_STATE_MASTERED
                                            : COHORT_PRACTICE_STATE_LEARNING;
}

void
cohort_mastery_update (CohortMasterySkill * const *skills,
                       guint                       n_skills,
                       CohortMasteryItem          *item,
                       gboolean                    correct,
                       gint64                      at)
{
  double r = correct ? 1.0 : 0.0;
  double mean = 0.0;
  double d = item->difficulty;

  g_return_if_fail (n_skills > 0);

  /* The question learns from the student's ability before this answer,
   * every point it tests counting equally. */
  for (guint i = 0; i < n_skills; i++)
    mean += skills[i]->theta;
  mean /= n_skills;
  item->difficulty = d - cohort_mastery_k (item->answered) * (r - cohort_mastery_expected (mean, d));
  item->answered++;

  for (guint i = 0; i < n_skills; i++)
    {
      CohortMasterySkill *s = skills[i];
      gboolean was_mastered = cohort_mastery_is_mastered (s);

      s->theta += cohort_mastery_k (s->answered) * (r - cohort_mastery_expected (s->theta, d));
      s->answered++;
      if (correct)
        s->correct++;
      s->last_at = at;

      /* Spaced review: a mastered point comes back after a day, then after
       * twice as long for each correct answer; a wrong one starts over. */
      if (!cohort_mastery_is_mastered (s))
        s->interval_ms = 0;
      else if (!was_mastered || !correct || s->interval_ms == 0)
        s->interval_ms = COHORT_MASTERY_REVIEW_FIRST_MS;
      else
        s->interval_ms = MIN (s->interval_ms * 2, COHORT_MASTERY_REVIEW_MAX_MS);
      s->due_at = s->interval_ms > 0 ? at + s->interval_ms : 0;
    }
}

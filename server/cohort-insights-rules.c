/* cohort-insights-rules.c: the at-risk rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-insights"

#include "config.h"

#include "cohort-insights-rules.h"

static double
accuracy (const CohortInsightsLessonFacts *l)
{
  return 100.0 * l->quiz_correct / l->quiz_answered;
}

CohortInsightsRisk
cohort_insights_rules_evaluate (const CohortInsightsFacts      *facts,
                                const CohortInsightsThresholds *t,
                                CohortInsightsRiskDetail       *out_detail)
{
  CohortInsightsRiskDetail detail = { 0 };
  CohortInsightsRisk risk = COHORT_INSIGHTS_RISK_NONE;
  const CohortInsightsLessonFacts *quizzed_last = NULL;
  const CohortInsightsLessonFacts *quizzed_first = NULL;
  guint absent = 0;
  guint quizzed = 0;
  guint attended = 0;
  guint silent = 0;
  gboolean absent_run = TRUE;
  gboolean silent_run = TRUE;

  g_return_val_if_fail (facts != NULL && t != NULL, COHORT_INSIGHTS_RISK_NONE);
  g_return_val_if_fail (facts->lessons != NULL || facts->n_lessons == 0, COHORT_INSIGHTS_RISK_NONE);

  /* Newest first: each rule looks at the last lessons only. */
  for (guint i = facts->n_lessons; i-- > 0;)
    {
      const CohortInsightsLessonFacts *l = &facts->lessons[i];

      if (absent_run && !l->attended)
        absent++;
      else
        absent_run = FALSE;

      if (l->attended && attended < t->silent_lessons)
        {
          attended++;
          if (silent_run && l->said == 0)
            silent++;
          else
            silent_run = FALSE;
        }

      if (l->quiz_answered > 0 && quizzed < t->accuracy_lessons)
        {
          if (quizzed_last == NULL)
            quizzed_last = l;
          quizzed_first = l;
          quizzed++;
        }
    }

  if (t->absent_lessons > 0 && absent >= t->absent_lessons)
    {
      risk |= COHORT_INSIGHTS_RISK_ABSENT;
      detail.absent_lessons = absent;
    }

  if (t->streak_days > 0 && facts->streak_now == 0 && facts->streak_run >= t->streak_days)
    {
      risk |= COHORT_INSIGHTS_RISK_STREAK_BROKEN;
      detail.streak_run = facts->streak_run;
    }

  if (t->accuracy_lessons >= 2 && quizzed >= t->accuracy_lessons &&
      accuracy (quizzed_first) - accuracy (quizzed_last) >= t->accuracy_drop - 1e-9)
    {
      risk |= COHORT_INSIGHTS_RISK_ACCURACY_DROP;
      detail.accuracy_from = accuracy (quizzed_first);
      detail.accuracy_to = accuracy (quizzed_last);
    }

  if (t->silent_lessons > 0 && silent >= t->silent_lessons)
    {
      risk |= COHORT_INSIGHTS_RISK_SILENT;
      detail.silent_lessons = silent;
    }

  if (out_detail != NULL)
    *out_detail = detail;
  return risk;
}

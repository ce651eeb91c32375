/* cohort-insights-rules.h: which students are at risk, and why
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pure: facts and thresholds in, flags out; no I/O and no clock, so that
 * the same history gives the same flags (tests/server/test-insights-rules.c). */

typedef enum
{
  COHORT_INSIGHTS_RISK_NONE          = 0,
  COHORT_INSIGHTS_RISK_ABSENT        = 1 << 0,
  COHORT_INSIGHTS_RISK_STREAK_BROKEN = 1 << 1,
  COHORT_INSIGHTS_RISK_ACCURACY_DROP = 1 << 2,
  COHORT_INSIGHTS_RISK_SILENT        = 1 << 3,
} CohortInsightsRisk;

/* One ended lesson, as one student lived it. */
typedef struct
{
  gboolean attended;
  guint    said;            /* messages, hands, reactions, stage turns */
  guint    quiz_answered;   /* graded answers */
  guint    quiz_correct;
} CohortInsightsLessonFacts;

typedef struct
{
  /* The class's ended lessons since the student joined, oldest first. */
  const CohortInsightsLessonFacts *lessons;
  guint                            n_lessons;
  guint                            streak_run;  /* their last run of daily check-ins */
  guint                            streak_now;  /* their streak today; 0: broken or none */
} CohortInsightsFacts;

typedef struct
{
  guint absent_lessons;     /* absent from each of the last N lessons */
  guint streak_days;        /* a run of at least N days, now broken */
  guint accuracy_drop;      /* points of accuracy lost … */
  guint accuracy_lessons;   /* … from the first to the last of N quizzed lessons */
  guint silent_lessons;     /* nothing said in each of the last N lessons attended */
} CohortInsightsThresholds;

/* What a chip says, for the reasons set. */
typedef struct
{
  guint  absent_lessons;
  guint  streak_run;
  double accuracy_from;     /* percent */
  double accuracy_to;
  guint  silent_lessons;
} CohortInsightsRiskDetail;

CohortInsightsRisk cohort_insights_rules_evaluate (const CohortInsightsFacts      *facts,
                                                   const CohortInsightsThresholds *thresholds,
                                                   CohortInsightsRiskDetail       *out_detail);

G_END_DECLS

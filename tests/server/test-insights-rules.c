/* test-insights-rules.c: the at-risk rules, as a table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib.h>

#include "cohort-insights-rules.h"

/* A lesson: attended, said, answered, correct. */
#define L(a, s, q, c) { a, s, q, c }
#define ABSENT        L (FALSE, 0, 0, 0)

static const CohortInsightsThresholds defaults = { 2, 5, 20, 3, 3 };

typedef struct
{
  const char                      *name;
  CohortInsightsLessonFacts        lessons[8];
  guint                            n_lessons;
  guint                            streak_run;
  guint                            streak_now;
  CohortInsightsThresholds         thresholds;
  CohortInsightsRisk               expected;
} Case;

static const Case cases[] = {
  { "no lessons yet", { { 0 } }, 0, 0, 0, defaults, COHORT_INSIGHTS_RISK_NONE },
  { "all well", { L (TRUE, 2, 2, 2), L (TRUE, 1, 2, 2), L (TRUE, 3, 2, 2) }, 3, 4, 4, defaults,
    COHORT_INSIGHTS_RISK_NONE },

  /* absent from the last two lessons */
  { "absent last two", { L (TRUE, 1, 0, 0), ABSENT, ABSENT }, 3, 0, 0, defaults, COHORT_INSIGHTS_RISK_ABSENT },
  { "absent once is not enough", { L (TRUE, 1, 0, 0), L (TRUE, 1, 0, 0), ABSENT }, 3, 0, 0, defaults,
    COHORT_INSIGHTS_RISK_NONE },
  { "absent earlier, back now", { ABSENT, ABSENT, L (TRUE, 1, 0, 0) }, 3, 0, 0, defaults,
    COHORT_INSIGHTS_RISK_NONE },
  { "absent from the only lesson, threshold 2", { ABSENT }, 1, 0, 0, defaults, COHORT_INSIGHTS_RISK_NONE },
  { "absent threshold 1", { L (TRUE, 1, 0, 0), ABSENT }, 2, 0, 0, { 1, 5, 20, 3, 3 },
    COHORT_INSIGHTS_RISK_ABSENT },

  /* a streak of 5 or more broken */
  { "streak of 5 broken", { L (TRUE, 1, 0, 0) }, 1, 5, 0, defaults, COHORT_INSIGHTS_RISK_STREAK_BROKEN },
  { "streak of 4 broken", { L (TRUE, 1, 0, 0) }, 1, 4, 0, defaults, COHORT_INSIGHTS_RISK_NONE },
  { "streak of 9 going on", { L (TRUE, 1, 0, 0) }, 1, 9, 9, defaults, COHORT_INSIGHTS_RISK_NONE },
  { "streak threshold 10", { L (TRUE, 1, 0, 0) }, 1, 9, 0, { 2, 10, 20, 3, 3 }, COHORT_INSIGHTS_RISK_NONE },

  /* accuracy down 20 points over three lessons */
  { "accuracy 100 → 80", { L (TRUE, 1, 5, 5), L (TRUE, 1, 5, 5), L (TRUE, 1, 5, 4) }, 3, 0, 0, defaults,
    COHORT_INSIGHTS_RISK_ACCURACY_DROP },
  { "accuracy 100 → 81 is less than 20", { L (TRUE, 1, 100, 100), L (TRUE, 1, 1, 1), L (TRUE, 1, 100, 81) },
    3, 0, 0, defaults, COHORT_INSIGHTS_RISK_NONE },
  { "accuracy drop over two lessons only", { L (TRUE, 1, 4, 4), L (TRUE, 1, 4, 1) }, 2, 0, 0, defaults,
    COHORT_INSIGHTS_RISK_NONE },
  { "lessons without answers are skipped",
    { L (TRUE, 1, 4, 4), L (TRUE, 1, 0, 0), L (TRUE, 1, 4, 3), ABSENT, L (TRUE, 1, 4, 2) }, 5, 0, 0,
    defaults, COHORT_INSIGHTS_RISK_ACCURACY_DROP },
  { "an older drop, recovered since",
    { L (TRUE, 1, 4, 4), L (TRUE, 1, 4, 1), L (TRUE, 1, 4, 1), L (TRUE, 1, 4, 4) }, 4, 0, 0, defaults,
    COHORT_INSIGHTS_RISK_NONE },

  /* silent for three lessons attended */
  { "silent three", { L (TRUE, 0, 0, 0), L (TRUE, 0, 0, 0), L (TRUE, 0, 0, 0) }, 3, 0, 0, defaults,
    COHORT_INSIGHTS_RISK_SILENT },
  { "silent two, spoke before", { L (TRUE, 1, 0, 0), L (TRUE, 0, 0, 0), L (TRUE, 0, 0, 0) }, 3, 0, 0,
    defaults, COHORT_INSIGHTS_RISK_NONE },
  { "silent three with an absence between",
    { L (TRUE, 0, 0, 0), L (TRUE, 0, 0, 0), ABSENT, L (TRUE, 0, 0, 0) }, 4, 0, 0, defaults,
    COHORT_INSIGHTS_RISK_SILENT },

  /* several at once */
  { "absent, streak broken and silent before",
    { L (TRUE, 0, 0, 0), L (TRUE, 0, 0, 0), L (TRUE, 0, 0, 0), ABSENT, ABSENT }, 5, 6, 0, defaults,
    COHORT_INSIGHTS_RISK_ABSENT | COHORT_INSIGHTS_RISK_STREAK_BROKEN | COHORT_INSIGHTS_RISK_SILENT },
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      CohortInsightsFacts facts = { c->lessons, c->n_lessons, c->streak_run, c->streak_now };
      CohortInsightsRisk risk = cohort_insights_rules_evaluate (&facts, &c->thresholds, NULL);

      if (risk != c->expected)
        g_error ("case “%s”: flags %#x, expected %#x", c->name, risk, c->expected);
    }
}

/* The chips' figures. */
static void
test_detail (void)
{
  const CohortInsightsLessonFacts lessons[] = {
    L (TRUE, 0, 4, 4), L (TRUE, 0, 4, 3), L (TRUE, 0, 4, 2), ABSENT, ABSENT, ABSENT,
  };
  CohortInsightsFacts facts = { lessons, G_N_ELEMENTS (lessons), 7, 0 };
  CohortInsightsRiskDetail detail;
  CohortInsightsRisk risk = cohort_insights_rules_evaluate (&facts, &defaults, &detail);

  g_assert_cmpint (risk, ==, COHORT_INSIGHTS_RISK_ABSENT | COHORT_INSIGHTS_RISK_STREAK_BROKEN |
                   COHORT_INSIGHTS_RISK_ACCURACY_DROP | COHORT_INSIGHTS_RISK_SILENT);
  g_assert_cmpuint (detail.absent_lessons, ==, 3);
  g_assert_cmpuint (detail.streak_run, ==, 7);
  g_assert_cmpfloat_with_epsilon (detail.accuracy_from, 100.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (detail.accuracy_to, 50.0, 1e-9);
  g_assert_cmpuint (detail.silent_lessons, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/insights/rules/table", test_table);
  g_test_add_func ("/cohort/insights/rules/detail", test_detail);

  return g_test_run ();
}

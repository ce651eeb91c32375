/* test-backoff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-session-backoff.h"

static void
test_growth (void)
{
  g_autoptr(CohortBackoff) backoff = cohort_backoff_new (500, 10000, g_rand_new_with_seed (1));
  const guint expected[] = { 500, 1000, 2000, 4000, 8000, 10000, 10000, 10000 };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpuint (cohort_backoff_get_attempt (backoff), ==, i);
      g_assert_cmpuint (cohort_backoff_get_ceiling (backoff), ==, expected[i]);
      g_assert_cmpuint (cohort_backoff_next_delay (backoff), <=, expected[i]);
    }
}

static void
test_cap (void)
{
  g_autoptr(CohortBackoff) backoff = cohort_backoff_new (COHORT_BACKOFF_BASE_MS,
                                                         COHORT_BACKOFF_MAX_MS,
                                                         g_rand_new_with_seed (2));

  /* Far past the point where base << attempt would overflow. */
  for (guint i = 0; i < 200; i++)
    g_assert_cmpuint (cohort_backoff_next_delay (backoff), <=, 10000);

  g_assert_cmpuint (cohort_backoff_get_ceiling (backoff), ==, 10000);
}

static void
test_jitter_bounds (void)
{
  g_autoptr(CohortBackoff) backoff = cohort_backoff_new (500, 10000, g_rand_new_with_seed (3));
  guint min = G_MAXUINT;
  guint max = 0;
  guint64 sum = 0;
  const guint n = 2000;

  /* At the cap every delay comes from [0, 10000]: check that the draws
   * cover the window, not just that they stay inside it. */
  for (guint i = 0; i < 10; i++)
    cohort_backoff_next_delay (backoff);

  for (guint i = 0; i < n; i++)
    {
      guint delay = cohort_backoff_next_delay (backoff);

      g_assert_cmpuint (delay, <=, 10000);
      min = MIN (min, delay);
      max = MAX (max, delay);
      sum += delay;
    }

  g_assert_cmpuint (min, <, 500);
  g_assert_cmpuint (max, >, 9500);
  g_assert_cmpuint (sum / n, >, 4000);
  g_assert_cmpuint (sum / n, <, 6000);
}

static void
test_deterministic (void)
{
  g_autoptr(CohortBackoff) a = cohort_backoff_new (500, 10000, g_rand_new_with_seed (42));
  g_autoptr(CohortBackoff) b = cohort_backoff_new (500, 10000, g_rand_new_with_seed (42));

  for (guint i = 0; i < 20; i++)
    g_assert_cmpuint (cohort_backoff_next_delay (a), ==, cohort_backoff_next_delay (b));
}

static void
test_reset (void)
{
  g_autoptr(CohortBackoff) backoff = cohort_backoff_new (500, 10000, g_rand_new_with_seed (4));

  for (guint i = 0; i < 6; i++)
    cohort_backoff_next_delay (backoff);
  g_assert_cmpuint (cohort_backoff_get_ceiling (backoff), ==, 10000);

  cohort_backoff_reset (backoff);
  g_assert_cmpuint (cohort_backoff_get_attempt (backoff), ==, 0);
  g_assert_cmpuint (cohort_backoff_get_ceiling (backoff), ==, 500);
  g_assert_cmpuint (cohort_backoff_next_delay (backoff), <=, 500);
  g_assert_cmpuint (cohort_backoff_get_ceiling (backoff), ==, 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/backoff/growth", test_growth);
  g_test_add_func ("/cohort/backoff/cap", test_cap);
  g_test_add_func ("/cohort/backoff/jitter-bounds", test_jitter_bounds);
  g_test_add_func ("/cohort/backoff/deterministic", test_deterministic);
  g_test_add_func ("/cohort/backoff/reset", test_reset);

  return g_test_run ();
}

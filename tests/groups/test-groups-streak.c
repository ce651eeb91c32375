/* test-groups-streak.c: streaks across time zones, DST and freezes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-groups-streak"

#include "config.h"

#include "cohort-streak.h"

static guint32
jday (int y, int m, int d)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return g_date_get_julian (&date);
}

/* Milliseconds of a UTC wall-clock time. */
static gint64
utc_ms (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, 0);

  return g_date_time_to_unix (dt) * 1000;
}

static guint32
local_day (gint64 ts, const char *tz)
{
  g_autoptr(GError) error = NULL;
  guint32 day = 0;

  g_assert_true (cohort_streak_local_day (ts, tz, &day, &error));
  g_assert_no_error (error);
  return day;
}

static void
test_tz_validation (void)
{
  g_assert_true (cohort_streak_tz_is_valid ("America/New_York"));
  g_assert_true (cohort_streak_tz_is_valid ("Asia/Shanghai"));
  g_assert_true (cohort_streak_tz_is_valid ("UTC"));
  g_assert_true (cohort_streak_tz_is_valid ("America/Argentina/Buenos_Aires"));
  g_assert_false (cohort_streak_tz_is_valid ("Mars/Olympus_Mons"));
  g_assert_false (cohort_streak_tz_is_valid ("+08:00"));
  g_assert_false (cohort_streak_tz_is_valid ("/etc/localtime"));
  g_assert_false (cohort_streak_tz_is_valid ("../../etc/passwd"));
  g_assert_false (cohort_streak_tz_is_valid ("Europe/../../etc"));
  g_assert_false (cohort_streak_tz_is_valid (""));
  g_assert_false (cohort_streak_tz_is_valid (NULL));
  g_assert_false (cohort_streak_tz_is_valid ("EST5EDT x"));
}

static void
test_iso_week (void)
{
  g_assert_cmpuint (cohort_streak_iso_week (jday (2024, 12, 30)), ==, 202501);
  g_assert_cmpuint (cohort_streak_iso_week (jday (2021, 1, 3)), ==, 202053);
  g_assert_cmpuint (cohort_streak_iso_week (jday (2024, 3, 10)), ==, 202410);
  g_assert_cmpuint (cohort_streak_iso_week (jday (2024, 3, 11)), ==, 202411);
  {
    g_autofree char *s = cohort_streak_format_day (jday (2024, 3, 9));
    g_assert_cmpstr (s, ==, "2024-03-09");
  }
}

/* New York springs forward on 2024-03-10 (a 23-hour day). */
static void
test_new_york_march (void)
{
  CohortStreak s;
  const char *ny = "America/New_York";

  /* 23:59 EST on the 9th and 00:01 EST on the 10th: consecutive days. */
  g_assert_cmpuint (local_day (utc_ms (2024, 3, 10, 4, 59), ny), ==, jday (2024, 3, 9));
  g_assert_cmpuint (local_day (utc_ms (2024, 3, 10, 5, 1), ny), ==, jday (2024, 3, 10));
  /* 23:30 EDT on the 10th is 03:30 UTC on the 11th, still the 10th. */
  g_assert_cmpuint (local_day (utc_ms (2024, 3, 11, 3, 30), ny), ==, jday (2024, 3, 10));
  g_assert_cmpuint (local_day (utc_ms (2024, 3, 11, 4, 1), ny), ==, jday (2024, 3, 11));

  cohort_streak_init (&s);
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 3, 10, 4, 59), ny)), ==,
                   COHORT_STREAK_COUNTED);
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 3, 10, 5, 1), ny)), ==,
                   COHORT_STREAK_COUNTED);
  /* Late on the short day: the same day, not counted twice. */
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 3, 11, 3, 30), ny)), ==,
                   COHORT_STREAK_ALREADY);
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 3, 11, 4, 1), ny)), ==,
                   COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 3);
  g_assert_cmpuint (s.frozen_days->len, ==, 0);
  cohort_streak_clear (&s);
}

/* New York falls back on 2024-11-03 (a 25-hour day, 01:30 happens twice). */
static void
test_new_york_november (void)
{
  CohortStreak s;
  const char *ny = "America/New_York";
  guint32 first = local_day (utc_ms (2024, 11, 3, 5, 30), ny);   /* 01:30 EDT */
  guint32 second = local_day (utc_ms (2024, 11, 3, 6, 30), ny);  /* 01:30 EST */
  guint32 late = local_day (utc_ms (2024, 11, 4, 4, 59), ny);    /* 23:59 EST */

  g_assert_cmpuint (first, ==, jday (2024, 11, 3));
  g_assert_cmpuint (second, ==, first);
  g_assert_cmpuint (late, ==, first);

  cohort_streak_init (&s);
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 11, 2, 12, 0), ny)), ==,
                   COHORT_STREAK_COUNTED);
  g_assert_cmpint (cohort_streak_check_in (&s, first), ==, COHORT_STREAK_COUNTED);
  g_assert_cmpint (cohort_streak_check_in (&s, second), ==, COHORT_STREAK_ALREADY);
  g_assert_cmpint (cohort_streak_check_in (&s, late), ==, COHORT_STREAK_ALREADY);
  /* 00:00 EST on the 4th is the next day, no gap. */
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 11, 4, 5, 0), ny)), ==,
                   COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 3);
  g_assert_cmpuint (s.n_checkins, ==, 3);
  cohort_streak_clear (&s);
}

/* Shanghai is UTC+8 all year; London is UTC+1 in June. */
static void
test_travel_shanghai_london (void)
{
  CohortStreak s;

  /* East to west: 23:00 in Shanghai on the 10th, then 17:00 in London on
   * the (same) 10th: never counted twice. */
  cohort_streak_init (&s);
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 6, 10, 15, 0), "Asia/Shanghai")),
                   ==, COHORT_STREAK_COUNTED);
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 6, 10, 16, 0), "Europe/London")),
                   ==, COHORT_STREAK_ALREADY);
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 6, 11, 8, 0), "Europe/London")),
                   ==, COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 2);
  cohort_streak_clear (&s);

  /* West to east: 08:00 in London on the 10th (07:00 UTC), then 07:00 in
   * Shanghai on the 11th (23:00 UTC on the 10th): the next day, no skip,
   * although only 16 hours passed. */
  cohort_streak_init (&s);
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 6, 10, 7, 0), "Europe/London")),
                   ==, COHORT_STREAK_COUNTED);
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 6, 10, 23, 0), "Asia/Shanghai")),
                   ==, COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 2);
  g_assert_cmpuint (s.frozen_days->len, ==, 0);

  /* Back in London at 02:00 BST on the 11th: already counted in Shanghai. */
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 6, 11, 1, 0), "Europe/London")),
                   ==, COHORT_STREAK_ALREADY);
  /* 45 hours later, 22:00 BST on the 12th: consecutive, nothing skipped. */
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 6, 12, 21, 0), "Europe/London")),
                   ==, COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 3);
  g_assert_cmpuint (s.frozen_days->len, ==, 0);
  cohort_streak_clear (&s);
}

/* Over the date line westwards the local date goes back: never counted. */
static void
test_date_line (void)
{
  CohortStreak s;

  cohort_streak_init (&s);
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 6, 10, 22, 0), "Pacific/Auckland")),
                   ==, COHORT_STREAK_COUNTED);   /* the 11th in Auckland */
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 6, 11, 2, 0), "Pacific/Honolulu")),
                   ==, COHORT_STREAK_ALREADY);   /* the 10th in Honolulu */
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 6, 11, 20, 0), "Pacific/Honolulu")),
                   ==, COHORT_STREAK_ALREADY);   /* the 11th: already counted */
  g_assert_cmpint (cohort_streak_check_in (&s, local_day (utc_ms (2024, 6, 12, 20, 0), "Pacific/Honolulu")),
                   ==, COHORT_STREAK_COUNTED);   /* the 12th */
  g_assert_cmpuint (s.length, ==, 2);
  cohort_streak_clear (&s);
}

static void
test_freeze_rules (void)
{
  CohortStreak s;

  /* 2024-03-04 is a Monday. Mon, Tue, (Wed missed), Thu: the freeze of
   * week 10 covers Wednesday. */
  cohort_streak_init (&s);
  g_assert_cmpint (cohort_streak_check_in (&s, jday (2024, 3, 4)), ==, COHORT_STREAK_COUNTED);
  g_assert_cmpint (cohort_streak_check_in (&s, jday (2024, 3, 5)), ==, COHORT_STREAK_COUNTED);
  g_assert_cmpuint (cohort_streak_freezes_left (&s, jday (2024, 3, 6)), ==, 1);
  /* On Wednesday nothing is missed yet; on Thursday Wednesday is frozen. */
  g_assert_cmpuint (cohort_streak_length_on (&s, jday (2024, 3, 6)), ==, 2);
  g_assert_cmpuint (cohort_streak_length_on (&s, jday (2024, 3, 7)), ==, 2);
  g_assert_cmpint (cohort_streak_check_in (&s, jday (2024, 3, 7)), ==, COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 3);
  g_assert_cmpuint (s.frozen_days->len, ==, 1);
  g_assert_cmpuint (g_array_index (s.frozen_days, guint32, 0), ==, jday (2024, 3, 6));
  g_assert_cmpuint (cohort_streak_freezes_left (&s, jday (2024, 3, 8)), ==, 0);

  /* A second missed day in the same week (Fri) breaks it. */
  g_assert_cmpuint (cohort_streak_length_on (&s, jday (2024, 3, 9)), ==, 0);
  g_assert_cmpint (cohort_streak_check_in (&s, jday (2024, 3, 9)), ==, COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 1);
  g_assert_cmpuint (s.best, ==, 3);
  g_assert_cmpuint (s.frozen_days->len, ==, 1);

  /* Sat the 9th counted; Sun 10th (week 10, freeze used) missed: broken. */
  g_assert_cmpint (cohort_streak_check_in (&s, jday (2024, 3, 11)), ==, COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 1);

  /* Two missed days in two different weeks are each covered by their own
   * week's freeze: Sat 16th, (Sun 17th, Mon 18th missed), Tue 19th. */
  g_assert_cmpint (cohort_streak_check_in (&s, jday (2024, 3, 16)), ==, COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 1);
  g_assert_cmpint (cohort_streak_check_in (&s, jday (2024, 3, 19)), ==, COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 2);
  g_assert_cmpuint (s.frozen_days->len, ==, 3);

  /* Two missed days in one week cannot be covered. */
  g_assert_cmpint (cohort_streak_check_in (&s, jday (2024, 3, 25)), ==, COHORT_STREAK_COUNTED);
  g_assert_cmpint (cohort_streak_check_in (&s, jday (2024, 3, 28)), ==, COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 1);
  g_assert_cmpuint (s.frozen_days->len, ==, 3);
  cohort_streak_clear (&s);
}

static void
test_thirty_days (void)
{
  CohortStreak s;
  CohortStreak copy;
  guint32 start = jday (2024, 1, 1);

  cohort_streak_init (&s);
  for (guint i = 0; i < 30; i++)
    g_assert_cmpint (cohort_streak_check_in (&s, start + i), ==, COHORT_STREAK_COUNTED);
  g_assert_cmpuint (s.length, ==, 30);
  g_assert_cmpuint (s.best, ==, 30);
  g_assert_cmpuint (cohort_streak_length_on (&s, start + 30), ==, 30);
  g_assert_cmpuint (cohort_streak_length_on (&s, start + 40), ==, 0);

  cohort_streak_copy (&s, &copy);
  g_assert_true (cohort_streak_equal (&s, &copy));
  cohort_streak_check_in (&copy, start + 31);
  g_assert_false (cohort_streak_equal (&s, &copy));
  cohort_streak_clear (&copy);
  cohort_streak_clear (&s);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/groups/streak/tz-validation", test_tz_validation);
  g_test_add_func ("/cohort/groups/streak/iso-week", test_iso_week);
  g_test_add_func ("/cohort/groups/streak/new-york-march-dst", test_new_york_march);
  g_test_add_func ("/cohort/groups/streak/new-york-november-dst", test_new_york_november);
  g_test_add_func ("/cohort/groups/streak/travel-shanghai-london", test_travel_shanghai_london);
  g_test_add_func ("/cohort/groups/streak/date-line", test_date_line);
  g_test_add_func ("/cohort/groups/streak/freeze-rules", test_freeze_rules);
  g_test_add_func ("/cohort/groups/streak/thirty-days", test_thirty_days);

  return g_test_run ();
}

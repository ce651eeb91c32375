/* test-throttle.c: CohortJoinThrottle, wrong class codes per address.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-join-throttle.h"

#define SECOND G_USEC_PER_SEC

static void
test_burst_then_refill (void)
{
  g_autoptr(CohortJoinThrottle) t = cohort_join_throttle_new (3, 6 * SECOND, 100);
  gint64 now = 1000 * SECOND;

  /* Unknown and NULL hosts are never held back. */
  g_assert_cmpint (cohort_join_throttle_check (t, "192.0.2.1", now), ==, 0);
  g_assert_cmpint (cohort_join_throttle_check (t, NULL, now), ==, 0);

  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (cohort_join_throttle_check (t, "192.0.2.1", now), ==, 0);
      cohort_join_throttle_failed (t, "192.0.2.1", now);
    }
  /* The bucket is empty: the next try waits one refill. */
  g_assert_cmpint (cohort_join_throttle_check (t, "192.0.2.1", now), ==, 6 * SECOND + 1);
  g_assert_cmpint (cohort_join_throttle_check (t, "192.0.2.1", now + 3 * SECOND), ==, 3 * SECOND + 1);
  g_assert_cmpint (cohort_join_throttle_check (t, "192.0.2.1", now + 6 * SECOND), ==, 0);
  /* Others are untouched. */
  g_assert_cmpint (cohort_join_throttle_check (t, "192.0.2.2", now), ==, 0);

  /* One refill allows one more wrong guess, not a new burst. */
  cohort_join_throttle_failed (t, "192.0.2.1", now + 6 * SECOND);
  g_assert_cmpint (cohort_join_throttle_check (t, "192.0.2.1", now + 6 * SECOND), >, 0);
  g_assert_cmpuint (cohort_join_throttle_get_n_hosts (t), ==, 1);
}

/* A full table gives newcomers one shared bucket rather than none, and
 * frees nothing that still holds a guesser back. */
static void
test_full_table (void)
{
  g_autoptr(CohortJoinThrottle) t = cohort_join_throttle_new (2, 60 * SECOND, 4);
  gint64 now = 1000 * SECOND;

  /* Four addresses, each with a bucket it half used. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *host = g_strdup_printf ("198.51.100.%u", i);

      cohort_join_throttle_failed (t, host, now);
    }
  g_assert_cmpuint (cohort_join_throttle_get_n_hosts (t), ==, 4);

  /* Fresh addresses beyond the table share the overflow bucket: two wrong
   * guesses from any of them, and all of them wait. */
  cohort_join_throttle_failed (t, "203.0.113.1", now);
  cohort_join_throttle_failed (t, "203.0.113.2", now);
  g_assert_cmpuint (cohort_join_throttle_get_n_hosts (t), ==, 5);
  g_assert_cmpint (cohort_join_throttle_check (t, "203.0.113.1", now), >, 0);
  g_assert_cmpint (cohort_join_throttle_check (t, "203.0.113.99", now), >, 0);
  /* The tracked ones keep their own state. */
  g_assert_cmpint (cohort_join_throttle_check (t, "198.51.100.0", now), ==, 0);
  cohort_join_throttle_failed (t, "198.51.100.0", now);
  g_assert_cmpint (cohort_join_throttle_check (t, "198.51.100.0", now), >, 0);

  /* Once the buckets have refilled, a sweep frees the table. */
  cohort_join_throttle_failed (t, "203.0.113.3", now + 600 * SECOND);
  g_assert_cmpuint (cohort_join_throttle_get_n_hosts (t), ==, 1);
  g_assert_cmpint (cohort_join_throttle_check (t, "203.0.113.99", now + 600 * SECOND), ==, 0);
}

static void
test_addresses (void)
{
  static const struct { const char *entry, *key; } cases[] = {
    { "203.0.113.7", "203.0.113.7" },
    { " 203.0.113.7:5678 ", "203.0.113.7" },
    { "2001:db8:1:2::a", "2001:db8:1:2::/64" },
    { "2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64" },
    { "[2001:db8:1:2::b]:443", "2001:db8:1:2::/64" },
    { "::ffff:203.0.113.7", "203.0.113.7" },
    { "unknown", NULL },
    { "", NULL },
    { "[2001:db8::1", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInetAddress) address = cohort_join_throttle_parse_forwarded (cases[i].entry);
      g_autofree char *key = address ? cohort_join_throttle_address_key (address) : NULL;

      g_test_message ("%s", cases[i].entry);
      g_assert_cmpstr (key, ==, cases[i].key);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/server/join-throttle/burst-then-refill", test_burst_then_refill);
  g_test_add_func ("/cohort/server/join-throttle/addresses", test_addresses);
  g_test_add_func ("/cohort/server/join-throttle/full-table", test_full_table);

  return g_test_run ();
}

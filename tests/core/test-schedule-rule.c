/* test-schedule-rule.c: a scheduled lesson's occurrences across time
 * zones and DST changes, against hand-computed times
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-protocol.h"
#include "cohort-schedule-rule.h"

/* 2026: the US changes on 8 March and 1 November, the UK on 29 March and
 * 25 October, China not at all. The teacher teaches in New York on
 * Mondays at 09:00: EST is UTC-5, EDT UTC-4. */
#define MS(epoch_s) ((gint64) (epoch_s) * 1000)

typedef struct
{
  CohortScheduleDate date;
  const char        *utc;       /* expected UTC start */
  const char        *london;    /* the same instant, on a London student's clock */
  const char        *shanghai;  /* and on a Shanghai student's */
} Expected;

static char *
format_in (gint64      ms,
           const char *zone_name)
{
  g_autoptr(GTimeZone) zone = cohort_schedule_zone_new (zone_name);
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) local = NULL;

  g_assert_nonnull (zone);
  local = g_date_time_to_timezone (utc, zone);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static gint64
utc_ms (const char *text)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (when);
  return g_date_time_to_unix (when) * 1000;
}

static void
check_table (const CohortScheduleRule *rule,
             gint64                    from_ms,
             gint64                    to_ms,
             const Expected           *expected,
             guint                     n_expected)
{
  g_autoptr(GTimeZone) new_york = cohort_schedule_zone_new ("America/New_York");
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (CohortScheduleInstance));

  g_assert_nonnull (new_york);
  g_assert_cmpuint (cohort_schedule_rule_expand (rule, new_york, from_ms, to_ms, 100, out), ==, n_expected);
  g_assert_cmpuint (out->len, ==, n_expected);
  for (guint i = 0; i < n_expected; i++)
    {
      CohortScheduleInstance *o = &g_array_index (out, CohortScheduleInstance, i);
      g_autofree char *london = format_in (o->start_ms, "Europe/London");
      g_autofree char *shanghai = format_in (o->start_ms, "Asia/Shanghai");
      g_autofree char *new_york_text = format_in (o->start_ms, "America/New_York");

      g_assert_cmpint (o->date, ==, expected[i].date);
      g_assert_cmpint (o->start_ms, ==, utc_ms (expected[i].utc));
      g_assert_cmpint (o->end_ms - o->start_ms, ==, (gint64) rule->duration_min * 60000);
      g_assert_cmpstr (london, ==, expected[i].london);
      g_assert_cmpstr (shanghai, ==, expected[i].shanghai);
      /* The teacher's wall clock never moves. */
      g_assert_true (g_str_has_suffix (new_york_text, " 09:00"));
    }
}

static void
test_march_dst (void)
{
  static const Expected expected[] = {
    /* EST: 09:00 New York is 14:00 UTC, 14:00 GMT, 22:00 in Shanghai */
    { 20260302, "2026-03-02T14:00:00Z", "2026-03-02 14:00", "2026-03-02 22:00" },
    /* the US moved on the 8th, the UK not yet: one hour earlier for both */
    { 20260309, "2026-03-09T13:00:00Z", "2026-03-09 13:00", "2026-03-09 21:00" },
    { 20260316, "2026-03-16T13:00:00Z", "2026-03-16 13:00", "2026-03-16 21:00" },
    { 20260323, "2026-03-23T13:00:00Z", "2026-03-23 13:00", "2026-03-23 21:00" },
    /* BST from the 29th: London is back to 14:00, Shanghai stays at 21:00 */
    { 20260330, "2026-03-30T13:00:00Z", "2026-03-30 14:00", "2026-03-30 21:00" },
  };
  CohortScheduleRule rule = {
    .first = 20260302, .hour = 9, .minute = 0, .duration_min = 60, .weekly = TRUE, .count = 5,
  };

  check_table (&rule, utc_ms ("2026-03-01T00:00:00Z"), utc_ms ("2026-06-01T00:00:00Z"),
               expected, G_N_ELEMENTS (expected));
}

static void
test_november_dst (void)
{
  static const Expected expected[] = {
    /* EDT and BST */
    { 20261019, "2026-10-19T13:00:00Z", "2026-10-19 14:00", "2026-10-19 21:00" },
    /* the UK went back on the 25th, the US not yet */
    { 20261026, "2026-10-26T13:00:00Z", "2026-10-26 13:00", "2026-10-26 21:00" },
    /* the US went back on 1 November: 14:00 UTC, 22:00 in Shanghai */
    { 20261102, "2026-11-02T14:00:00Z", "2026-11-02 14:00", "2026-11-02 22:00" },
    { 20261109, "2026-11-09T14:00:00Z", "2026-11-09 14:00", "2026-11-09 22:00" },
  };
  /* A series started in January, ending on a date (inclusive). */
  CohortScheduleRule rule = {
    .first = 20260105, .hour = 9, .minute = 0, .duration_min = 45, .weekly = TRUE, .until = 20261109,
  };

  check_table (&rule, utc_ms ("2026-10-15T00:00:00Z"), utc_ms ("2027-01-01T00:00:00Z"),
               expected, G_N_ELEMENTS (expected));
}

/* A cancelled occurrence is skipped, the series goes on. */
static void
test_exception (void)
{
  static const CohortScheduleDate exceptions[] = { 20261026 };
  static const Expected expected[] = {
    { 20261019, "2026-10-19T13:00:00Z", "2026-10-19 14:00", "2026-10-19 21:00" },
    { 20261102, "2026-11-02T14:00:00Z", "2026-11-02 14:00", "2026-11-02 22:00" },
  };
  CohortScheduleRule rule = {
    .first = 20261019, .hour = 9, .minute = 0, .duration_min = 60, .weekly = TRUE, .count = 3,
    .exceptions = exceptions, .n_exceptions = G_N_ELEMENTS (exceptions),
  };

  check_table (&rule, utc_ms ("2026-10-01T00:00:00Z"), utc_ms ("2027-01-01T00:00:00Z"),
               expected, G_N_ELEMENTS (expected));
  g_assert_true (cohort_schedule_rule_has_date (&rule, 20261026));
  g_assert_true (cohort_schedule_rule_has_date (&rule, 20261102));
  g_assert_false (cohort_schedule_rule_has_date (&rule, 20261109));  /* past the count */
  g_assert_false (cohort_schedule_rule_has_date (&rule, 20261020));  /* not a Monday */
  g_assert_false (cohort_schedule_rule_has_date (&rule, 20261012));  /* before the first */
}

/* The window: a lesson under way still counts, one that ended does not;
 * a long series is not walked from its start; a cancelled series and a
 * one-off outside the window give nothing. */
static void
test_window (void)
{
  static const Expected under_way[] = {
    { 20261102, "2026-11-02T14:00:00Z", "2026-11-02 14:00", "2026-11-02 22:00" },
    { 20261109, "2026-11-09T14:00:00Z", "2026-11-09 14:00", "2026-11-09 22:00" },
  };
  g_autoptr(GTimeZone) new_york = cohort_schedule_zone_new ("America/New_York");
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (CohortScheduleInstance));
  CohortScheduleRule rule = {
    .first = 20000103, .hour = 9, .minute = 0, .duration_min = 60, .weekly = TRUE,
  };

  /* 14:30 UTC on the 2nd: the lesson of 14:00 is under way. */
  check_table (&rule, utc_ms ("2026-11-02T14:30:00Z"), utc_ms ("2026-11-10T00:00:00Z"),
               under_way, G_N_ELEMENTS (under_way));
  /* At 15:00 it has ended. */
  check_table (&rule, utc_ms ("2026-11-02T15:00:00Z"), utc_ms ("2026-11-10T00:00:00Z"),
               under_way + 1, 1);
  /* At most @max. */
  g_assert_cmpuint (cohort_schedule_rule_expand (&rule, new_york, utc_ms ("2026-01-01T00:00:00Z"),
                                                 G_MAXINT64, 3, out), ==, 3);
  g_array_set_size (out, 0);

  rule.cancelled = TRUE;
  g_assert_cmpuint (cohort_schedule_rule_expand (&rule, new_york, 0, G_MAXINT64, 10, out), ==, 0);

  rule = (CohortScheduleRule) { .first = 20261102, .hour = 9, .duration_min = 30 };
  g_assert_cmpuint (cohort_schedule_rule_expand (&rule, new_york, utc_ms ("2026-11-03T00:00:00Z"),
                                                 G_MAXINT64, 10, out), ==, 0);
  g_assert_cmpuint (cohort_schedule_rule_expand (&rule, new_york, utc_ms ("2026-11-01T00:00:00Z"),
                                                 G_MAXINT64, 10, out), ==, 1);
  g_assert_cmpint (g_array_index (out, CohortScheduleInstance, 0).start_ms, ==,
                   utc_ms ("2026-11-02T14:00:00Z"));
  g_assert_true (cohort_schedule_rule_has_date (&rule, 20261102));
  g_assert_false (cohort_schedule_rule_has_date (&rule, 20261109));
}

/* 02:30 does not exist in New York on 8 March 2026: it moves to 03:30
 * EDT, 07:30 UTC (RFC 5545 reads it with the offset before the gap). */
static void
test_dst_gap (void)
{
  g_autoptr(GTimeZone) new_york = cohort_schedule_zone_new ("America/New_York");

  g_assert_cmpint (cohort_schedule_local_to_utc (new_york, 20260308, 2, 30), ==,
                   utc_ms ("2026-03-08T07:30:00Z"));
  g_assert_cmpint (cohort_schedule_local_to_utc (new_york, 20260308, 1, 30), ==,
                   utc_ms ("2026-03-08T06:30:00Z"));
  /* 01:30 comes twice on 1 November: the first, EDT. */
  g_assert_cmpint (cohort_schedule_local_to_utc (new_york, 20261101, 1, 30), ==,
                   utc_ms ("2026-11-01T05:30:00Z"));
}

static void
test_zones (void)
{
  const char *good[] = { "America/New_York", "Europe/London", "Asia/Shanghai", "UTC",
                         "America/Argentina/Buenos_Aires" };
  const char *bad[] = { "", "Mars/Olympus_Mons", "+08:00", "UTC+8", "ABC5", "/etc/passwd",
                        "../../etc/passwd", "America/../UTC", "America", "America/", "America//New_York",
                        "Europe/London\n", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GTimeZone) zone = cohort_schedule_zone_new (good[i]);

      g_assert_nonnull (zone);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GTimeZone) zone = cohort_schedule_zone_new (bad[i]);

      if (zone != NULL)
        g_error ("“%s” was taken for a zone", bad[i]);
    }
  g_assert_null (cohort_schedule_zone_new (NULL));
}

static void
test_parse (void)
{
  CohortScheduleDate date = 0;
  guint hour = 99, minute = 99;
  g_autofree char *text = NULL;
  g_autofree char *local = NULL;

  g_assert_true (cohort_schedule_date_parse ("2026-02-28", &date));
  g_assert_cmpint (date, ==, 20260228);
  text = cohort_schedule_date_format (date);
  g_assert_cmpstr (text, ==, "2026-02-28");
  g_assert_false (cohort_schedule_date_parse ("2026-02-29", &date));  /* not a leap year */
  g_assert_false (cohort_schedule_date_parse ("2026-2-28", &date));
  g_assert_false (cohort_schedule_date_parse ("1999-12-31", &date));
  g_assert_false (cohort_schedule_date_parse ("2100-01-01", &date));
  g_assert_false (cohort_schedule_date_parse ("2026-02-28T09:00", &date));
  g_assert_false (cohort_schedule_date_parse (NULL, &date));

  g_assert_true (cohort_schedule_local_parse ("2026-03-02T09:05", &date, &hour, &minute));
  g_assert_cmpint (date, ==, 20260302);
  g_assert_cmpuint (hour, ==, 9);
  g_assert_cmpuint (minute, ==, 5);
  local = cohort_schedule_local_format (date, hour, minute);
  g_assert_cmpstr (local, ==, "2026-03-02T09:05");
  g_assert_false (cohort_schedule_local_parse ("2026-03-02T24:00", &date, &hour, &minute));
  g_assert_false (cohort_schedule_local_parse ("2026-03-02T09:60", &date, &hour, &minute));
  g_assert_false (cohort_schedule_local_parse ("2026-03-02 09:00", &date, &hour, &minute));
  g_assert_false (cohort_schedule_local_parse ("2026-03-02T09:00Z", &date, &hour, &minute));
  g_assert_false (cohort_schedule_local_parse ("2026-03-0２T09:00", &date, &hour, &minute));
}

/* The wire tables: a good schedule.create parses; a bad zone, start,
 * date or duration is refused about its field before any server code. */
static void
test_protocol (void)
{
  static const struct { const char *frame; const char *field; } refused[] = {
    { "{\"type\":\"schedule.create\",\"id\":\"1\",\"body\":{\"title\":\"Waves\",\"start\":\"2026-03-02T09:00\","
      "\"zone\":\"Mars/Base\",\"duration\":60,\"recurrence\":\"none\"}}", "zone" },
    { "{\"type\":\"schedule.create\",\"id\":\"1\",\"body\":{\"title\":\"Waves\",\"start\":\"2026-03-02T9:00\","
      "\"zone\":\"UTC\",\"duration\":60,\"recurrence\":\"none\"}}", "start" },
    { "{\"type\":\"schedule.create\",\"id\":\"1\",\"body\":{\"title\":\"Waves\",\"start\":\"2026-03-02T09:00\","
      "\"zone\":\"UTC\",\"duration\":601,\"recurrence\":\"none\"}}", "duration" },
    { "{\"type\":\"schedule.cancel\",\"id\":\"1\",\"body\":{\"lesson_id\":1,\"date\":\"2026-02-30\"}}", "date" },
    { "{\"type\":\"schedule.list\",\"id\":\"1\",\"body\":{\"days\":367}}", "days" },
  };
  const char *good = "{\"type\":\"schedule.create\",\"id\":\"1\",\"body\":{\"title\":\" Waves \","
                     "\"start\":\"2026-03-02T09:00\",\"zone\":\"America/New_York\",\"duration\":60,"
                     "\"recurrence\":\"weekly\",\"count\":5}}";
  g_autoptr(CohortMessage) error_reply = NULL;
  g_autoptr(CohortMessage) message = cohort_protocol_parse_request (good, strlen (good), &error_reply);

  g_assert_nonnull (message);
  g_assert_null (error_reply);
  /* Text is stored back clean. */
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (message), "title"), ==, "Waves");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(CohortMessage) reply = NULL;
      g_autoptr(CohortMessage) parsed = cohort_protocol_parse_request (refused[i].frame, strlen (refused[i].frame),
                                                                       &reply);

      g_assert_null (parsed);
      g_assert_nonnull (reply);
      g_assert_cmpint (cohort_message_get_error_code (reply), ==, COHORT_ERROR_INVALID);
      g_assert_cmpstr (cohort_message_get_field (reply), ==, refused[i].field);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/schedule-rule/march-dst", test_march_dst);
  g_test_add_func ("/cohort/schedule-rule/november-dst", test_november_dst);
  g_test_add_func ("/cohort/schedule-rule/exception", test_exception);
  g_test_add_func ("/cohort/schedule-rule/window", test_window);
  g_test_add_func ("/cohort/schedule-rule/dst-gap", test_dst_gap);
  g_test_add_func ("/cohort/schedule-rule/zones", test_zones);
  g_test_add_func ("/cohort/schedule-rule/parse", test_parse);
  g_test_add_func ("/cohort/schedule-rule/protocol", test_protocol);

  return g_test_run ();
}

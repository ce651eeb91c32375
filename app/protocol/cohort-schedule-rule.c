/* cohort-schedule-rule.c: a scheduled lesson's occurrences
 *
 * Pure and GTK-free: the server expands series with it (schedule.list,
 * the welcome, the calendar, the next lesson) and the tests check it
 * against hand-computed times.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-schedule-rule"

#include "config.h"

#include <string.h>

#include "cohort-schedule-rule.h"

#define MS_PER_WEEK ((gint64) 7 * 24 * 3600 * 1000)

GTimeZone *
cohort_schedule_zone_new (const char *identifier)
{
  g_autofree char *path = NULL;
  const char *dir;
  gsize len;

  if (identifier == NULL)
    return NULL;
  len = strlen (identifier);
  if (len == 0 || len > COHORT_SCHEDULE_MAX_ZONE_CHARS || !g_ascii_isalpha (identifier[0]))
    return NULL;
  /* No dots and no leading slash: the name can never reach outside the
   * database; a double or trailing slash names no zone. */
  for (gsize i = 0; i < len; i++)
    {
      char c = identifier[i];

      if (!g_ascii_isalnum (c) && c != '_' && c != '-' && c != '+' && c != '/')
        return NULL;
      if (c == '/' && (identifier[i + 1] == '/' || identifier[i + 1] == '\0'))
        return NULL;
    }

  /* GLib would also take a POSIX rule ("ABC5") or an offset for a name;
   * only a file of the tz database is a zone here. */
  dir = g_getenv ("TZDIR");
  path = g_build_filename (dir != NULL && *dir != '\0' ? dir : "/usr/share/zoneinfo", identifier, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_time_zone_new_identifier (identifier);
}

static gboolean
date_to_gdate (CohortScheduleDate  date,
               GDate              *out)
{
  guint year = date / 10000;
  guint month = (date / 100) % 100;
  guint day = date % 100;

  if (date <= 0 || year < COHORT_SCHEDULE_MIN_YEAR || year > COHORT_SCHEDULE_MAX_YEAR ||
      !g_date_valid_dmy (day, month, year))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, day, month, year);
  return TRUE;
}

static CohortScheduleDate
gdate_to_date (const GDate *date)
{
  return g_date_get_year (date) * 10000 + g_date_get_month (date) * 100 + g_date_get_day (date);
}

/* @n ASCII digits at @text, or -1. */
static int
digits (const char *text,
        guint       n)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return -1;
      value = value * 10 + (text[i] - '0');
    }
  return value;
}

static gboolean
parse_date_prefix (const char         *text,
                   CohortScheduleDate *out_date)
{
  int year, month, day;
  GDate date;

  if (strlen (text) < 10 || text[4] != '-' || text[7] != '-' ||
      (year = digits (text, 4)) < 0 || (month = digits (text + 5, 2)) < 0 ||
      (day = digits (text + 8, 2)) < 0)
    return FALSE;
  *out_date = year * 10000 + month * 100 + day;
  return date_to_gdate (*out_date, &date);
}

gboolean
cohort_schedule_date_parse (const char         *text,
                            CohortScheduleDate *out_date)
{
  CohortScheduleDate date;

  if (text == NULL || strlen (text) != 10 || !parse_date_prefix (text, &date))
    return FALSE;
  if (out_date != NULL)
    *out_date = date;
  return TRUE;
}

char *
cohort_schedule_date_format (CohortScheduleDate date)
{
  return g_strdup_printf ("%04d-%02d-%02d", date / 10000, (date / 100) % 100, date % 100);
}

gboolean
cohort_schedule_local_parse (const char         *text,
                             CohortScheduleDate *out_date,
                             guint              *out_hour,
                             guint              *out_minute)
{
  CohortScheduleDate date;
  int hour, minute;

  if (text == NULL || strlen (text) != 16 || text[10] != 'T' || text[13] != ':' ||
      !parse_date_prefix (text, &date) ||
      (hour = digits (text + 11, 2)) < 0 || hour > 23 ||
      (minute = digits (text + 14, 2)) < 0 || minute > 59)
    return FALSE;
  if (out_date != NULL)
    *out_date = date;
  if (out_hour != NULL)
    *out_hour = hour;
  if (out_minute != NULL)
    *out_minute = minute;
  return TRUE;
}

char *
cohort_schedule_local_format (CohortScheduleDate date,
                              guint              hour,
                              guint              minute)
{
  return g_strdup_printf ("%04d-%02d-%02dT%02u:%02u", date / 10000, (date / 100) % 100, date % 100,
                          hour, minute);
}

gint64
cohort_schedule_local_to_utc (GTimeZone          *zone,
                              CohortScheduleDate  date,
                              guint               hour,
                              guint               minute)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) naive = NULL;
  g_autoptr(GDateTime) before = NULL;

  g_return_val_if_fail (zone != NULL, 0);

  local = g_date_time_new (zone, date / 10000, (date / 100) % 100, date % 100, hour, minute, 0);
  if (local == NULL)
    return 0;
  naive = g_date_time_new_utc (date / 10000, (date / 100) % 100, date % 100, hour, minute, 0);
  if (g_date_time_get_hour (local) == (int) hour && g_date_time_get_minute (local) == (int) minute)
    {
      g_autoptr(GDateTime) earlier = g_date_time_add_hours (local, -12);
      g_autoptr(GDateTime) first_utc = NULL;
      g_autoptr(GDateTime) first = NULL;
      gint64 candidate;

      /* An hour that comes twice: GLib gives the second, RFC 5545 the
       * first, which is the wall clock read with the offset from before
       * the change. */
      if (g_date_time_get_utc_offset (earlier) == g_date_time_get_utc_offset (local))
        return g_date_time_to_unix (local) * 1000;
      candidate = g_date_time_to_unix (naive) - g_date_time_get_utc_offset (earlier) / G_TIME_SPAN_SECOND;
      first_utc = g_date_time_new_from_unix_utc (candidate);
      first = g_date_time_to_timezone (first_utc, zone);
      if (candidate < g_date_time_to_unix (local) &&
          g_date_time_get_hour (first) == (int) hour && g_date_time_get_minute (first) == (int) minute)
        return candidate * 1000;
      return g_date_time_to_unix (local) * 1000;
    }

  /* A time the DST change skips: GLib gives the end of the gap, RFC 5545
   * (and so every calendar reading our feed) the time read with the
   * offset from before the gap: 02:30 on a spring-forward night is 03:30. */
  before = g_date_time_add_seconds (local, -1);
  return (g_date_time_to_unix (naive) - g_date_time_get_utc_offset (before) / G_TIME_SPAN_SECOND) * 1000;
}

static gboolean
is_exception (const CohortScheduleRule *rule,
              CohortScheduleDate        date)
{
  for (guint i = 0; i < rule->n_exceptions; i++)
    if (rule->exceptions[i] == date)
      return TRUE;
  return FALSE;
}

/* Whether the @k-th lesson (0 the first) of a weekly @rule on @date is
 * within its count and until. */
static gboolean
weekly_allows (const CohortScheduleRule *rule,
               guint64                   k,
               CohortScheduleDate        date)
{
  return (rule->count == 0 || k < rule->count) && (rule->until == 0 || date <= rule->until);
}

gboolean
cohort_schedule_rule_has_date (const CohortScheduleRule *rule,
                               CohortScheduleDate        date)
{
  GDate first, other;
  gint days;

  g_return_val_if_fail (rule != NULL, FALSE);

  if (!date_to_gdate (rule->first, &first) || !date_to_gdate (date, &other))
    return FALSE;
  if (!rule->weekly)
    return date == rule->first;
  days = g_date_days_between (&first, &other);
  return days >= 0 && days % 7 == 0 && weekly_allows (rule, days / 7, date);
}

guint
cohort_schedule_rule_expand (const CohortScheduleRule *rule,
                             GTimeZone                *zone,
                             gint64                    from_ms,
                             gint64                    to_ms,
                             guint                     max,
                             GArray                   *out)
{
  gint64 duration_ms;
  gint64 first_ms;
  guint64 k = 0;
  guint added = 0;
  GDate first;

  g_return_val_if_fail (rule != NULL, 0);
  g_return_val_if_fail (zone != NULL, 0);
  g_return_val_if_fail (out != NULL, 0);

  if (rule->cancelled || !date_to_gdate (rule->first, &first))
    return 0;
  duration_ms = (gint64) rule->duration_min * 60 * 1000;
  first_ms = cohort_schedule_local_to_utc (zone, rule->first, rule->hour, rule->minute);

  /* Jump close to @from_ms instead of walking a long series week by week;
   * one week early, since a DST change moves a lesson by up to an hour. */
  if (rule->weekly && from_ms - duration_ms > first_ms + MS_PER_WEEK)
    k = (guint64) ((from_ms - duration_ms - first_ms) / MS_PER_WEEK) - 1;

  for (; added < max; k++)
    {
      CohortScheduleInstance occurrence;
      GDate day = first;

      if (!rule->weekly && k > 0)
        break;
      /* The last date a schedule can name, whatever the rule says. */
      if (k > (guint64) (COHORT_SCHEDULE_MAX_YEAR - COHORT_SCHEDULE_MIN_YEAR + 1) * 53)
        break;
      g_date_add_days (&day, (guint) k * 7);
      if (g_date_get_year (&day) > COHORT_SCHEDULE_MAX_YEAR)
        break;
      occurrence.date = gdate_to_date (&day);
      if (rule->weekly && !weekly_allows (rule, k, occurrence.date))
        break;
      occurrence.start_ms = cohort_schedule_local_to_utc (zone, occurrence.date, rule->hour, rule->minute);
      occurrence.end_ms = occurrence.start_ms + duration_ms;
      if (occurrence.start_ms >= to_ms)
        break;
      if (occurrence.end_ms <= from_ms || is_exception (rule, occurrence.date))
        continue;
      g_array_append_val (out, occurrence);
      added++;
    }
  return added;
}

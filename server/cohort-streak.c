/* cohort-streak.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-streak"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "cohort-streak.h"

#define MAX_TZ_CHARS 64

/* GLib forgets a zone as soon as its last reference goes, and parsing a
 * tzfile is slow; every id seen is few (IANA has ~600), so keep them. */
G_LOCK_DEFINE_STATIC (zones);
static GHashTable *zones;

static GTimeZone *
zone_for (const char *tz_id)
{
  GTimeZone *tz;

  G_LOCK (zones);
  if (zones == NULL)
    zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) g_time_zone_unref);
  tz = g_hash_table_lookup (zones, tz_id);
  if (tz == NULL && g_hash_table_size (zones) < 1024 &&
      (tz = g_time_zone_new_identifier (tz_id)) != NULL)
    g_hash_table_insert (zones, g_strdup (tz_id), tz);
  if (tz != NULL)
    g_time_zone_ref (tz);
  G_UNLOCK (zones);
  return tz;
}

void
cohort_streak_init (CohortStreak *streak)
{
  memset (streak, 0, sizeof *streak);
  streak->frozen_weeks = g_array_new (FALSE, FALSE, sizeof (guint));
  streak->frozen_days = g_array_new (FALSE, FALSE, sizeof (guint32));
}

void
cohort_streak_clear (CohortStreak *streak)
{
  g_clear_pointer (&streak->frozen_weeks, g_array_unref);
  g_clear_pointer (&streak->frozen_days, g_array_unref);
}

void
cohort_streak_copy (const CohortStreak *src,
                    CohortStreak       *dest)
{
  cohort_streak_init (dest);
  dest->last_day = src->last_day;
  dest->length = src->length;
  dest->best = src->best;
  dest->n_checkins = src->n_checkins;
  g_array_append_vals (dest->frozen_weeks, src->frozen_weeks->data, src->frozen_weeks->len);
  g_array_append_vals (dest->frozen_days, src->frozen_days->data, src->frozen_days->len);
}

gboolean
cohort_streak_equal (const CohortStreak *a,
                     const CohortStreak *b)
{
  return a->last_day == b->last_day &&
         a->length == b->length &&
         a->best == b->best &&
         a->n_checkins == b->n_checkins &&
         a->frozen_days->len == b->frozen_days->len &&
         (a->frozen_days->len == 0 ||
          memcmp (a->frozen_days->data, b->frozen_days->data,
                  a->frozen_days->len * sizeof (guint32)) == 0);
}

gboolean
cohort_streak_tz_is_valid (const char *tz_id)
{
  g_autoptr(GTimeZone) tz = NULL;
  gsize len;

  if (tz_id == NULL || (len = strlen (tz_id)) == 0 || len > MAX_TZ_CHARS)
    return FALSE;

  /* IANA ids are ASCII letters, digits and _ - + /, never start with a
   * slash or a dot (no paths), and are not bare offsets. */
  if (tz_id[0] == '/' || tz_id[0] == '.' || tz_id[0] == '+' || tz_id[0] == '-' ||
      strstr (tz_id, "..") != NULL)
    return FALSE;
  for (const char *p = tz_id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '+' && *p != '/')
      return FALSE;
  if (strchr (tz_id, '/') == NULL && g_strcmp0 (tz_id, "UTC") != 0)
    return FALSE;

  tz = zone_for (tz_id);
  return tz != NULL;
}

gboolean
cohort_streak_local_day (gint64        ts_ms,
                         const char   *tz_id,
                         guint32      *out_day,
                         GError      **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  GDate date;
  int y, m, d;

  if (!cohort_streak_tz_is_valid (tz_id) || !(tz = zone_for (tz_id)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "Unknown time zone “%s”", tz_id ? tz_id : "");
      return FALSE;
    }

  utc = g_date_time_new_from_unix_utc (ts_ms / 1000);
  if (utc == NULL || !(local = g_date_time_to_timezone (utc, tz)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Time out of range");
      return FALSE;
    }

  g_date_time_get_ymd (local, &y, &m, &d);
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  *out_day = g_date_get_julian (&date);
  return TRUE;
}

guint
cohort_streak_iso_week (guint32 day)
{
  GDate date;
  GDate thursday;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, day);
  /* The ISO year is the year of the week's Thursday. */
  g_date_clear (&thursday, 1);
  g_date_set_julian (&thursday, day - (g_date_get_weekday (&date) - 1) + 3);
  return g_date_get_year (&thursday) * 100 + g_date_get_iso8601_week_of_year (&date);
}

char *
cohort_streak_format_day (guint32 day)
{
  GDate date;

  if (day == 0)
    return g_strdup ("");
  g_date_clear (&date, 1);
  g_date_set_julian (&date, day);
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (&date),
                          g_date_get_month (&date), g_date_get_day (&date));
}

static gboolean
week_frozen (const CohortStreak *streak,
             guint               week)
{
  for (guint i = 0; i < streak->frozen_weeks->len; i++)
    if (g_array_index (streak->frozen_weeks, guint, i) == week)
      return TRUE;
  return FALSE;
}

/* TRUE when every day strictly between @from and @to can be covered by an
 * unused freeze of its own ISO week. Fills @weeks with those weeks. */
static gboolean
gap_coverable (const CohortStreak *streak,
               guint32             from,
               guint32             to,
               GArray             *weeks)
{
  for (guint32 day = from + 1; day < to; day++)
    {
      guint week = cohort_streak_iso_week (day);

      if (week_frozen (streak, week))
        return FALSE;
      for (guint i = 0; weeks != NULL && i < weeks->len; i++)
        if (g_array_index (weeks, guint, i) == week)
          return FALSE;
      if (weeks != NULL)
        g_array_append_val (weeks, week);
      else if (day + 1 < to && cohort_streak_iso_week (day + 1) == week)
        return FALSE;
    }
  return TRUE;
}

CohortStreakResult
cohort_streak_check_in (CohortStreak *streak,
                        guint32       day)
{
  g_return_val_if_fail (day > 0, COHORT_STREAK_ALREADY);

  if (streak->last_day != 0 && day <= streak->last_day)
    return COHORT_STREAK_ALREADY;

  if (streak->last_day == 0 || day == streak->last_day + 1)
    streak->length = streak->last_day == 0 ? 1 : streak->length + 1;
  else
    {
      g_autoptr(GArray) weeks = g_array_new (FALSE, FALSE, sizeof (guint));

      if (gap_coverable (streak, streak->last_day, day, weeks))
        {
          g_array_append_vals (streak->frozen_weeks, weeks->data, weeks->len);
          for (guint32 d = streak->last_day + 1; d < day; d++)
            g_array_append_val (streak->frozen_days, d);
          streak->length++;
        }
      else
        streak->length = 1;
    }

  streak->last_day = day;
  streak->best = MAX (streak->best, streak->length);
  streak->n_checkins++;
  return COHORT_STREAK_COUNTED;
}

guint
cohort_streak_length_on (const CohortStreak *streak,
                         guint32             today)
{
  if (streak->last_day == 0)
    return 0;
  /* A day "in the past" after travel: the streak stands as counted. */
  if (today <= streak->last_day + 1)
    return streak->length;

  {
    g_autoptr(GArray) weeks = g_array_new (FALSE, FALSE, sizeof (guint));

    /* Today can still be checked in, so only the days before it are missed. */
    return gap_coverable (streak, streak->last_day, today, weeks) ? streak->length : 0;
  }
}

guint
cohort_streak_freezes_left (const CohortStreak *streak,
                            guint32             day)
{
  return week_frozen (streak, cohort_streak_iso_week (day)) ? 0 : 1;
}

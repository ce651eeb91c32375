/* cohort-streak.h: daily check-in streaks in the student's own time zone
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pure arithmetic, no I/O. A "day" is a GDate Julian day number (1 is
 * 0001-01-01) of the student's LOCAL calendar date at the moment of a
 * check-in, in the IANA zone stored with that check-in. Days only ever
 * move forward: a check-in whose local date is at or before the last
 * counted day (the same day, or "yesterday" after flying west over the
 * date line) does not count again, so travel and DST never count a day
 * twice; consecutive local dates extend the streak, so they never skip
 * one either.
 *
 * Freezes: each ISO week (Monday–Sunday, of the missed day's date) has one
 * freeze. At a check-in after a gap, every missed day must be covered by
 * the still unused freeze of its own ISO week, or the streak starts again
 * at 1. A freeze is used only when it saves the streak. */

typedef enum
{
  COHORT_STREAK_COUNTED,
  COHORT_STREAK_ALREADY,
} CohortStreakResult;

typedef struct
{
  guint32     last_day;      /* 0: never checked in */
  guint       length;        /* as of last_day */
  guint       best;
  guint       n_checkins;
  /* ISO week keys (iso_year * 100 + week) whose freeze was used */
  GArray     *frozen_weeks;
  /* the days covered by freezes, in order */
  GArray     *frozen_days;
} CohortStreak;

void               cohort_streak_init            (CohortStreak *streak);
void               cohort_streak_clear           (CohortStreak *streak);
void               cohort_streak_copy            (const CohortStreak *src,
                                                  CohortStreak       *dest);
gboolean           cohort_streak_equal           (const CohortStreak *a,
                                                  const CohortStreak *b);

/* The local calendar day of @ts_ms (milliseconds since the epoch) in
 * @tz_id. FALSE with @error set for an unknown zone. */
gboolean           cohort_streak_local_day       (gint64        ts_ms,
                                                  const char   *tz_id,
                                                  guint32      *out_day,
                                                  GError      **error);
/* TRUE when @tz_id names a zone the system knows ("UTC", or an IANA
 * Area/Location id); fixed offsets and paths are refused. */
gboolean           cohort_streak_tz_is_valid     (const char   *tz_id);
/* ISO 8601 week key of @day: iso_year * 100 + week. */
guint              cohort_streak_iso_week        (guint32       day);
/* "YYYY-MM-DD" */
char              *cohort_streak_format_day      (guint32       day);

CohortStreakResult cohort_streak_check_in        (CohortStreak *streak,
                                                  guint32       day);
/* The streak as seen on @today (the student's local day now): the length
 * when today or yesterday was counted, or when every missed day before
 * today can still be covered by an unused freeze; otherwise 0. */
guint              cohort_streak_length_on       (const CohortStreak *streak,
                                                  guint32             today);
/* Freezes still unused in the ISO week of @day (0 or 1). */
guint              cohort_streak_freezes_left    (const CohortStreak *streak,
                                                  guint32             day);

G_END_DECLS

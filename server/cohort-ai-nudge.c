/* cohort-ai-nudge.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai"

#include "config.h"

#include "cohort-ai-nudge.h"
#include "cohort-streak.h"

static GDateTime *
local_time (gint64      ms,
            const char *tz_id)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (ms / 1000);

  /* An unknown zone is UTC rather than the server's own. */
  tz = tz_id != NULL && cohort_streak_tz_is_valid (tz_id) ? g_time_zone_new_identifier (tz_id) : NULL;
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  return g_date_time_to_timezone (utc, tz);
}

/* The local date as a Julian day. */
static guint32
local_day (GDateTime *time)
{
  g_autoptr(GDate) date = g_date_new_dmy (g_date_time_get_day_of_month (time),
                                          g_date_time_get_month (time),
                                          g_date_time_get_year (time));

  return g_date_get_julian (date);
}

CohortAiNudgeKind
cohort_ai_nudge_decide (const CohortAiNudgeInput *input)
{
  g_autoptr(GDateTime) now = NULL;
  int hour;
  guint32 today;

  g_return_val_if_fail (input != NULL, COHORT_AI_NUDGE_NONE);

  /* A student who stopped opening them is left alone until they come back. */
  if (input->unopened_in_row >= COHORT_AI_NUDGE_MAX_UNOPENED)
    return COHORT_AI_NUDGE_NONE;

  now = local_time (input->now, input->tz);
  hour = g_date_time_get_hour (now);
  if (hour >= COHORT_AI_NUDGE_QUIET_START || hour < COHORT_AI_NUDGE_QUIET_END)
    return COHORT_AI_NUDGE_NONE;

  today = local_day (now);
  if (input->last_sent > 0)
    {
      g_autoptr(GDateTime) sent = local_time (input->last_sent, input->tz);

      /* One a day of the student's calendar; a zone change that moves
       * "today" back never allows a second. */
      if (local_day (sent) >= today)
        return COHORT_AI_NUDGE_NONE;
    }

  if (input->checked_in_today &&
      (input->streak == 7 || input->streak == 30 || input->streak == 100))
    return COHORT_AI_NUDGE_MILESTONE;

  if (!input->checked_in_today && input->streak >= 2 && hour >= COHORT_AI_NUDGE_EVENING)
    return COHORT_AI_NUDGE_STREAK;

  if (input->next_lesson > input->now)
    {
      g_autoptr(GDateTime) lesson = local_time (input->next_lesson, input->tz);

      if (local_day (lesson) == today + 1)
        return COHORT_AI_NUDGE_LESSON;
    }

  if (input->weak_point)
    return COHORT_AI_NUDGE_PRACTICE;

  return COHORT_AI_NUDGE_NONE;
}

const char *
cohort_ai_nudge_kind_name (CohortAiNudgeKind kind)
{
  switch (kind)
    {
    case COHORT_AI_NUDGE_STREAK:
      return "streak";
    case COHORT_AI_NUDGE_LESSON:
      return "lesson";
    case COHORT_AI_NUDGE_MILESTONE:
      return "milestone";
    case COHORT_AI_NUDGE_PRACTICE:
      return "practice";
    case COHORT_AI_NUDGE_NONE:
    default:
      return "none";
    }
}

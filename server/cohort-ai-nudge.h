/* cohort-ai-nudge.h: when the helper may speak first, and about what
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Pure rules, no I/O (tests/ai/test-ai-units checks them with zones,
 * quiet hours and the daily limit). Every time is milliseconds since the
 * epoch; days and hours are the student's own, in their IANA zone. */

typedef enum
{
  COHORT_AI_NUDGE_NONE,
  /* a streak of 2+ days that breaks tonight without a check-in */
  COHORT_AI_NUDGE_STREAK,
  /* a lesson tomorrow (the student's date): what to review */
  COHORT_AI_NUDGE_LESSON,
  /* a streak of 7, 30 or 100 days reached today */
  COHORT_AI_NUDGE_MILESTONE,
  /* a knowledge point the student's practice shows is weak */
  COHORT_AI_NUDGE_PRACTICE,
} CohortAiNudgeKind;

/* Quiet hours, the student's local time: nothing from 21:00 to 08:00. */
#define COHORT_AI_NUDGE_QUIET_START  21
#define COHORT_AI_NUDGE_QUIET_END    8
/* A streak is "about to break" from this local hour on. */
#define COHORT_AI_NUDGE_EVENING      17
/* Nudges stop after this many in a row the student did not open. */
#define COHORT_AI_NUDGE_MAX_UNOPENED 3

typedef struct
{
  gint64       now;
  const char  *tz;               /* the student's IANA zone; NULL or unknown: UTC */
  gint64       last_sent;        /* 0: never nudged */
  guint        unopened_in_row;  /* sent since the last one opened */
  guint        streak;           /* the streak as of today (0: none) */
  gboolean     checked_in_today;
  gint64       next_lesson;      /* 0: none scheduled */
  gboolean     weak_point;       /* practice shows a weak knowledge point */
} CohortAiNudgeInput;

/* What to nudge about now, or NONE: not at night, at most one a local
 * day, none after COHORT_AI_NUDGE_MAX_UNOPENED unopened in a row. The
 * first that holds of: a milestone, a streak about to break, a lesson
 * tomorrow, a weak knowledge point. */
CohortAiNudgeKind cohort_ai_nudge_decide     (const CohortAiNudgeInput *input);
/* The kind's wire name: "streak", "lesson", "milestone", "practice". */
const char       *cohort_ai_nudge_kind_name  (CohortAiNudgeKind         kind);

G_END_DECLS

/* cohort-practice-set.h: chooses a student's next practice set (pure: no
 * I/O, no clock; docs/architecture-practice.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cohort-mastery.h"

G_BEGIN_DECLS

/* The success the chosen questions aim at, and the band they should fall
 * in (expected chance of a right answer). */
#define COHORT_PRACTICE_TARGET        0.775
#define COHORT_PRACTICE_BAND_LOW      0.70
#define COHORT_PRACTICE_BAND_HIGH     0.85
/* At most this many questions of one point before the next point gets a
 * turn, and at most this many review questions (mastered points due). */
#define COHORT_PRACTICE_PER_POINT     4
#define COHORT_PRACTICE_REVIEW_SLOTS  2
/* A question answered right in the last N days is not asked again. */
#define COHORT_PRACTICE_RECENT_DAYS   3

typedef enum
{
  COHORT_PRACTICE_PICK_WEAK,
  COHORT_PRACTICE_PICK_REVIEW,
  COHORT_PRACTICE_PICK_NEW,
} CohortPracticePickReason;

/* A point the student may practise, and their estimate (NULL: none yet). */
typedef struct
{
  gint64                    point_id;
  const CohortMasterySkill *skill;
} CohortPracticePointState;

/* A question that may be practised, with the points it is tagged with. */
typedef struct
{
  gint64        question_id;
  const gint64 *point_ids;
  guint         n_points;
  double        difficulty;
} CohortPracticeCandidate;

typedef struct
{
  gint64                   question_id;
  gint64                   point_id;
  CohortPracticePickReason reason;
  double                   expected;   /* σ(θ − d) when chosen */
} CohortPracticePick;

/* Up to @size picks (CohortPracticePick), in the order to ask them:
 * - first up to REVIEW_SLOTS mastered points due for review (oldest due
 *   first), one question each;
 * - then the weakest points being learnt (lowest mastery first), up to
 *   PER_POINT questions each; then points not started (lowest id first);
 * - then anything left: more review, more of the same points.
 * Each question comes at most once, never one in @recent_correct (a set of
 * gint64 question ids); among a point's questions the one whose expected
 * success is nearest TARGET (ties: the lower id). @focus_point_id not 0:
 * only that point. */
GArray     *cohort_practice_set_build (const CohortPracticePointState *points,
                                       guint                           n_points,
                                       const CohortPracticeCandidate  *candidates,
                                       guint                           n_candidates,
                                       GHashTable                     *recent_correct,
                                       gint64                          now,
                                       gint64                          focus_point_id,
                                       guint                           size);
/* "weak", "review" or "new". */
const char *cohort_practice_pick_reason_to_string (CohortPracticePickReason reason);

G_END_DECLS

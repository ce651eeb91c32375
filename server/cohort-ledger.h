/* cohort-ledger.h: the points ledger, a pure reducer over class events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-streak.h"

G_BEGIN_DECLS

/* CohortLedger folds the class event log, one event at a time, into points,
 * streaks, badges, groups and boards. It is the ONLY place points are
 * computed: the groups service feeds it the log live (events after the last
 * folded seq), and groups.recompute folds the whole log into a fresh ledger
 * and compares the two with cohort_ledger_diff(). It reads nothing but the
 * events (name, body, seq, ts), so the same log always gives the same
 * totals.
 *
 * Which events count is one table in cohort-ledger.c (event name → reducer);
 * events it does not know only move its clock (their ts). */

/* Points per action; docs/protocol-groups.md lists them. */
#define COHORT_POINTS_ATTENDANCE    2    /* per full 10 minutes present */
#define COHORT_POINTS_QUIZ_ANSWER   2
#define COHORT_POINTS_QUIZ_CORRECT  5    /* instead of QUIZ_ANSWER */
#define COHORT_POINTS_CHECK_IN      10
#define COHORT_POINTS_UPVOTE        2    /* per peer upvote of a question */
#define COHORT_POINTS_UPVOTE_MAX    10   /* per question */
#define COHORT_POINTS_HELPFUL       8
#define COHORT_POINTS_STAR          5
#define COHORT_ATTENDANCE_BLOCK_MS  (10 * 60 * 1000)
#define COHORT_STUDY_DAY_MINUTES    120
#define COHORT_POINTS_PRACTICE_CORRECT 2 /* once per question and day */
#define COHORT_MASTERY_BADGE_POINTS 5    /* knowledge points mastered for mastery-5 */

typedef enum
{
  COHORT_POINTS_KIND_ATTENDANCE,
  COHORT_POINTS_KIND_QUIZ,
  COHORT_POINTS_KIND_CHECK_IN,
  COHORT_POINTS_KIND_UPVOTE,
  COHORT_POINTS_KIND_HELPFUL,
  COHORT_POINTS_KIND_STAR,
  COHORT_POINTS_KIND_PRACTICE,
} CohortPointsKind;

typedef enum
{
  COHORT_BADGE_STREAK_3,
  COHORT_BADGE_STREAK_7,
  COHORT_BADGE_STREAK_30,
  COHORT_BADGE_FIRST_CORRECT,
  COHORT_BADGE_STUDY_2H,
  COHORT_BADGE_HELPER_OF_WEEK,
  COHORT_BADGE_PERFECT_QUIZ,
  COHORT_BADGE_FIRST_MASTERY,   /* a first knowledge point mastered */
  COHORT_BADGE_MASTERY_5,       /* five knowledge points mastered */
  COHORT_N_BADGES,
} CohortBadgeKind;

typedef struct
{
  gint64           seq;
  gint64           ts;
  gint64           participant_id;
  /* the participant's group when the points were earned; 0: none */
  gint64           group_id;
  int              points;
  CohortPointsKind kind;
} CohortLedgerEntry;

typedef struct
{
  gint64          participant_id;
  CohortBadgeKind badge;
  gint64          earned_at;
  gint64          seq;
  /* what it is for: "2025-W07" for a helper of the week, the quiz id for a
   * perfect quiz, "" otherwise. With (participant, badge) it is unique. */
  char           *detail;
} CohortBadgeAward;

typedef struct
{
  gint64  id;          /* participant or group id */
  char   *name;
  gint64  points;
  guint   rank;        /* 1-based; ties share a rank (1, 2, 2, 4) */
} CohortBoardRow;

typedef struct
{
  gint64  id;
  gint64  group_ids[16];
  guint   n_groups;
  gint64  starts_at;
  gint64  ends_at;
  gboolean stopped;    /* ended (by the teacher or the clock), logged */
} CohortPk;

#define COHORT_PK_MAX_GROUPS 16

typedef struct _CohortLedger CohortLedger;

CohortLedger      *cohort_ledger_new               (void);
void               cohort_ledger_free              (CohortLedger *self);

/* The reducer: folds one logged event. Events must come in seq order;
 * an event at or below the last folded seq is ignored. */
void               cohort_ledger_apply             (CohortLedger *self,
                                                    gint64        seq,
                                                    gint64        ts,
                                                    const char   *name,
                                                    JsonObject   *body);
/* The same, from the stored JSON text of the body. */
void               cohort_ledger_apply_json        (CohortLedger *self,
                                                    gint64        seq,
                                                    gint64        ts,
                                                    const char   *name,
                                                    const char   *body_json);
gint64             cohort_ledger_get_seq           (CohortLedger *self);
guint64            cohort_ledger_get_version       (CohortLedger *self);
gint64             cohort_ledger_get_clock         (CohortLedger *self);
/* TRUE when the ledger folds events called @name (for tests and docs). */
gboolean           cohort_ledger_handles           (const char   *name);

/* Totals */
gint64             cohort_ledger_points            (CohortLedger *self,
                                                    gint64        participant_id,
                                                    gint64        since_ts);
gint64             cohort_ledger_group_points      (CohortLedger *self,
                                                    gint64        group_id,
                                                    gint64        since_ts,
                                                    gint64        until_ts);
const GArray      *cohort_ledger_get_entries       (CohortLedger *self);
/* CohortBadgeAward, in the order earned. */
const GPtrArray   *cohort_ledger_get_badges        (CohortLedger *self);
const CohortStreak *cohort_ledger_get_streak       (CohortLedger *self,
                                                    gint64        participant_id);
/* The zone of the participant's last check-in, else the class zone. */
const char        *cohort_ledger_get_member_tz     (CohortLedger *self,
                                                    gint64        participant_id);
const char        *cohort_ledger_get_class_tz      (CohortLedger *self);
/* The local day of @ts for the participant (their last zone). */
guint32            cohort_ledger_member_day        (CohortLedger *self,
                                                    gint64        participant_id,
                                                    gint64        ts);
/* Minutes studied (check-in minutes plus live minutes) on local @day. */
guint              cohort_ledger_study_minutes     (CohortLedger *self,
                                                    gint64        participant_id,
                                                    guint32       day);
/* Group day streak on class-zone day of @now: consecutive class days on
 * which at least half the group's members (rounded up) checked in; today
 * counts once it qualifies, and an unfinished today does not break it. */
guint              cohort_ledger_group_streak      (CohortLedger *self,
                                                    gint64        group_id,
                                                    gint64        now);

/* Groups and members as the log says */
gboolean           cohort_ledger_is_student        (CohortLedger *self,
                                                    gint64        participant_id);
const char        *cohort_ledger_get_name          (CohortLedger *self,
                                                    gint64        participant_id);
/* 0: in no group */
gint64             cohort_ledger_get_group         (CohortLedger *self,
                                                    gint64        participant_id);
/* participant ids, sorted */
GArray            *cohort_ledger_list_students     (CohortLedger *self);
GArray            *cohort_ledger_list_members      (CohortLedger *self,
                                                    gint64        group_id);
GArray            *cohort_ledger_list_groups       (CohortLedger *self);
const char        *cohort_ledger_get_group_name    (CohortLedger *self,
                                                    gint64        group_id);

/* Milliseconds of Monday 00:00, in the class zone, of the week of @now. */
gint64             cohort_ledger_week_start        (CohortLedger *self,
                                                    gint64        now);

/* Boards: CohortBoardRow array (free with g_ptr_array_unref), ordered by
 * points (descending), then name, then id; @since_ts 0 for all time.
 * Students only; groups board has every group. */
GPtrArray         *cohort_ledger_board             (CohortLedger *self,
                                                    gboolean      groups,
                                                    gint64        since_ts);

/* Class PK: the current (or last) challenge, NULL when none ever ran. */
const CohortPk    *cohort_ledger_get_pk            (CohortLedger *self);
/* Points each PK group earned inside the window, in group_ids order. */
void               cohort_ledger_pk_scores         (CohortLedger *self,
                                                    gint64       *out_scores);

/* Compares everything the ledger totals (points by participant and group,
 * streaks, badges, memberships). NULL when equal, else a description of
 * the first differences. */
char              *cohort_ledger_diff              (CohortLedger *a,
                                                    CohortLedger *b);

const char        *cohort_badge_kind_to_string     (CohortBadgeKind kind);
gboolean           cohort_badge_kind_from_string   (const char     *str,
                                                    CohortBadgeKind *out_kind);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortLedger, cohort_ledger_free)

G_END_DECLS

/* cohort-store-groups.h: groups, check-ins, reactions, totals and badges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  gint64  class_id;
  char   *name;
  gint64  size;
  char   *topic;               /* "" when none */
  gint64  goal_points;         /* weekly goal; 0: none */
  gint64  n_members;           /* filled in by reads */
} CohortGroupRecord;

typedef struct
{
  gint64  participant_id;
  gint64  group_id;
} CohortGroupMemberRecord;

typedef struct
{
  gint64  id;
  gint64  class_id;
  gint64  participant_id;
  gint64  group_id;            /* the author's group at the time; 0: none */
  char   *day;                 /* local date, "YYYY-MM-DD" */
  char   *tz;                  /* IANA id */
  char   *note;
  gint64  minutes;
  gint64  at;                  /* ms since the epoch */
} CohortCheckinRecord;

typedef struct
{
  gint64  checkin_id;
  gint64  participant_id;
  char   *reaction;
} CohortCheckinReactionRecord;

typedef struct
{
  gint64  participant_id;
  gint64  points_all;
  gint64  streak;
  gint64  best_streak;
  char   *progress;            /* the last groups.progress body sent, JSON */
} CohortGroupsTotalRecord;

typedef struct
{
  gint64  participant_id;
  char   *badge;
  char   *detail;
  gint64  earned_at;
} CohortBadgeRecord;

void cohort_group_record_free            (CohortGroupRecord           *record);
void cohort_checkin_record_free          (CohortCheckinRecord         *record);
void cohort_checkin_reaction_record_free (CohortCheckinReactionRecord *record);
void cohort_groups_total_record_free     (CohortGroupsTotalRecord     *record);
void cohort_badge_record_free            (CohortBadgeRecord           *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortGroupRecord, cohort_group_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortCheckinRecord, cohort_checkin_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortCheckinReactionRecord, cohort_checkin_reaction_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortGroupsTotalRecord, cohort_groups_total_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortBadgeRecord, cohort_badge_record_free)

gint64               cohort_store_groups_create         (CohortStore  *self,
                                                         gint64        class_id,
                                                         const char   *name,
                                                         gint64        size,
                                                         const char   *topic,
                                                         gint64        goal_points,
                                                         gint64        created_at,
                                                         GError      **error);
/* CohortGroupRecord by id, with n_members. */
GPtrArray           *cohort_store_groups_list           (CohortStore  *self,
                                                         gint64        class_id,
                                                         GError      **error);
/* @group_id 0 takes the participant out of their group. */
gboolean             cohort_store_groups_set_member     (CohortStore  *self,
                                                         gint64        class_id,
                                                         gint64        participant_id,
                                                         gint64        group_id,
                                                         GError      **error);
/* CohortGroupMemberRecord (g_free) of every grouped participant. */
GPtrArray           *cohort_store_groups_list_members   (CohortStore  *self,
                                                         gint64        class_id,
                                                         GError      **error);
/* Small per-class JSON documents by @key ("settings", "standings",
 * "pk_score"); NULL when unset. */
char                *cohort_store_groups_get_state      (CohortStore  *self,
                                                         gint64        class_id,
                                                         const char   *key,
                                                         GError      **error);
gboolean             cohort_store_groups_set_state      (CohortStore  *self,
                                                         gint64        class_id,
                                                         const char   *key,
                                                         const char   *json,
                                                         GError      **error);
/* Takes the next value of the class's named counter (star, pk): 1, 2, … */
gint64               cohort_store_groups_next_id        (CohortStore  *self,
                                                         gint64        class_id,
                                                         const char   *counter,
                                                         GError      **error);
/* Fills @record->id. */
gboolean             cohort_store_groups_add_checkin    (CohortStore          *self,
                                                         CohortCheckinRecord  *record,
                                                         GError              **error);
CohortCheckinRecord *cohort_store_groups_get_checkin    (CohortStore  *self,
                                                         gint64        checkin_id,
                                                         GError      **error);
CohortCheckinRecord *cohort_store_groups_last_checkin   (CohortStore  *self,
                                                         gint64        participant_id,
                                                         GError      **error);
/* Check-ins of the class at or after @since, oldest first. */
GPtrArray           *cohort_store_groups_list_checkins  (CohortStore  *self,
                                                         gint64        class_id,
                                                         gint64        since,
                                                         GError      **error);
/* *@out_added is FALSE when the same reaction was there already. */
gboolean             cohort_store_groups_add_reaction   (CohortStore  *self,
                                                         gint64        checkin_id,
                                                         gint64        participant_id,
                                                         const char   *reaction,
                                                         gint64        at,
                                                         gboolean     *out_added,
                                                         GError      **error);
/* Reactions to the class's check-ins at or after @since. */
GPtrArray           *cohort_store_groups_list_reactions (CohortStore  *self,
                                                         gint64        class_id,
                                                         gint64        since,
                                                         GError      **error);
gboolean             cohort_store_groups_save_total     (CohortStore              *self,
                                                         gint64                    class_id,
                                                         CohortGroupsTotalRecord  *record,
                                                         GError                  **error);
GPtrArray           *cohort_store_groups_list_totals    (CohortStore  *self,
                                                         gint64        class_id,
                                                         GError      **error);
gboolean             cohort_store_groups_add_badge      (CohortStore        *self,
                                                         gint64              class_id,
                                                         CohortBadgeRecord  *record,
                                                         gboolean           *out_added,
                                                         GError            **error);
/* @participant_id 0: everyone's. */
GPtrArray           *cohort_store_groups_list_badges    (CohortStore  *self,
                                                         gint64        class_id,
                                                         gint64        participant_id,
                                                         GError      **error);

G_END_DECLS

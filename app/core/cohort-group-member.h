/* cohort-group-member.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A student as the Groups tab shows them: their group and their latest
 * check-in the viewer may see, with its reactions.
 *
 * Properties (all notify): participant-id, name, group-id (0: none),
 * is-self, checkin-id (0: no check-in seen), note, minutes, day
 * ("YYYY-MM-DD" in the check-in's zone), tz, checkin-at (ms),
 * checked-in-today (the check-in's day is today in its zone),
 * n-clap, n-fire, n-heart, n-idea, my-reactions (bit i set: the viewer
 * gave reaction i of cohort_groups_reactions). */
#define COHORT_TYPE_GROUP_MEMBER (cohort_group_member_get_type ())
G_DECLARE_FINAL_TYPE (CohortGroupMember, cohort_group_member, COHORT, GROUP_MEMBER, GObject)

gint64      cohort_group_member_get_participant_id   (CohortGroupMember *self);
const char *cohort_group_member_get_name             (CohortGroupMember *self);
gint64      cohort_group_member_get_group_id         (CohortGroupMember *self);
gboolean    cohort_group_member_get_is_self          (CohortGroupMember *self);
gint64      cohort_group_member_get_checkin_id       (CohortGroupMember *self);
const char *cohort_group_member_get_note             (CohortGroupMember *self);
gint64      cohort_group_member_get_minutes          (CohortGroupMember *self);
const char *cohort_group_member_get_day              (CohortGroupMember *self);
const char *cohort_group_member_get_tz               (CohortGroupMember *self);
gint64      cohort_group_member_get_checkin_at       (CohortGroupMember *self);
gboolean    cohort_group_member_get_checked_in_today (CohortGroupMember *self);
/* @reaction: one of cohort_groups_reactions ("clap", …). */
guint       cohort_group_member_get_reaction_count   (CohortGroupMember *self,
                                                      const char        *reaction);
gboolean    cohort_group_member_get_reacted          (CohortGroupMember *self,
                                                      const char        *reaction);

G_END_DECLS

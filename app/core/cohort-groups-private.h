/* cohort-groups-private.h: what CohortGroups uses to drive its items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-groups-badges.h"
#include "cohort-group.h"
#include "cohort-group-member.h"
#include "cohort-groups-pk.h"

G_BEGIN_DECLS

CohortGroupMember *_cohort_group_member_new            (gint64              participant_id,
                                                        const char         *name,
                                                        gint64              viewer_id);
void               _cohort_group_member_set_name       (CohortGroupMember  *self,
                                                        const char         *name);
void               _cohort_group_member_set_group_id   (CohortGroupMember  *self,
                                                        gint64              group_id);
/* Takes @checkin ({id, day, tz, note, minutes, at}) when it is newer than
 * the one shown; TRUE when it did. */
gboolean           _cohort_group_member_set_checkin    (CohortGroupMember  *self,
                                                        JsonObject         *checkin);
/* A reaction to the shown check-in; FALSE when it is not that one's, or
 * when that participant already gave it. */
gboolean           _cohort_group_member_add_reaction   (CohortGroupMember  *self,
                                                        gint64              checkin_id,
                                                        gint64              participant_id,
                                                        const char         *reaction);
/* Recomputes checked-in-today at @now_ms. */
void               _cohort_group_member_update_today   (CohortGroupMember  *self,
                                                        gint64              now_ms);

CohortGroup       *_cohort_group_new                   (JsonObject         *group);
void               _cohort_group_update                (CohortGroup        *self,
                                                        JsonObject         *group);
/* A groups.standings entry. */
void               _cohort_group_set_standing          (CohortGroup        *self,
                                                        JsonObject         *standing);
void               _cohort_group_set_is_mine           (CohortGroup        *self,
                                                        gboolean            is_mine);
void               _cohort_group_add_member            (CohortGroup        *self,
                                                        CohortGroupMember  *member);
void               _cohort_group_remove_member         (CohortGroup        *self,
                                                        CohortGroupMember  *member);
void               _cohort_group_clear_members         (CohortGroup        *self);

CohortBadges      *_cohort_badges_new                  (void);
/* Replaces everything (a welcome's "badges"); @names maps participant ids
 * to names. */
void               _cohort_badges_reset                (CohortBadges       *self,
                                                        JsonArray          *badges,
                                                        gint64              viewer_id,
                                                        GHashTable         *names);
/* A live groups.badge; emits "earned" for the viewer's own new badge. */
void               _cohort_badges_add                  (CohortBadges       *self,
                                                        JsonObject         *badge,
                                                        const char         *name);

CohortPk          *_cohort_pk_new                      (void);
/* @pk: a welcome's "pk" or a pk_started's (NULL: none). */
void               _cohort_pk_reset                    (CohortPk           *self,
                                                        JsonObject         *pk,
                                                        GListModel         *groups,
                                                        gint64              my_group_id);
void               _cohort_pk_set_scores               (CohortPk           *self,
                                                        gint64              pk_id,
                                                        JsonArray          *scores);
void               _cohort_pk_end                      (CohortPk           *self,
                                                        JsonObject         *ended);
void               _cohort_pk_set_my_group             (CohortPk           *self,
                                                        gint64              my_group_id);

G_END_DECLS

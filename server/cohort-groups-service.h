/* cohort-groups-service.h: groups, points, badges and PK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-server.h"
#include "cohort-service.h"

G_BEGIN_DECLS

#define COHORT_TYPE_GROUPS_SERVICE (cohort_groups_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortGroupsService, cohort_groups_service, COHORT, GROUPS_SERVICE, CohortService)

CohortGroupsService *cohort_groups_service_new (CohortServer *server);

/* Who is in group @group_id of @class_id (a CohortChatGroupResolver for
 * group chat channels; @user_data is the groups service). */
GArray *cohort_groups_service_resolve_members (CohortServer *server,
                                               gint64        class_id,
                                               gint64        group_id,
                                               gpointer      user_data);

/* lesson: the points @participant_id earned in @class_id since @since_ts
 * (ms), from the points ledger; -1 when it cannot be read. A
 * CohortLessonPointsFunc; @user_data is the groups service. */
gint64  cohort_groups_service_points_since    (CohortServer *server,
                                               gint64        class_id,
                                               gint64        participant_id,
                                               gint64        since_ts,
                                               gpointer      user_data);

/* home: @participant_id's progress now, the body of the groups.progress
 * event they get live (points_week, streak, checked_in_today and today in
 * their own zone, …); NULL when it cannot be read. A
 * CohortHomeProgressFunc; @user_data is the groups service. */
JsonObject *cohort_groups_service_progress    (CohortServer *server,
                                               gint64        class_id,
                                               gint64        participant_id,
                                               gpointer      user_data);

G_END_DECLS

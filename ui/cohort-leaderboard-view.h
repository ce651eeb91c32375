/* cohort-leaderboard-view.h: individual and group boards, week and all time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-groups.h"
#include "cohort-groups-leaderboard.h"

G_BEGIN_DECLS

/* Shows a CohortLeaderboard with switches for students/groups and this
 * week/all time, the viewer's own rank when the teacher shows only the
 * top N, and an explanation when individual boards are hidden. */
#define COHORT_TYPE_LEADERBOARD_VIEW (cohort_leaderboard_view_get_type ())
G_DECLARE_FINAL_TYPE (CohortLeaderboardView, cohort_leaderboard_view, COHORT, LEADERBOARD_VIEW, GtkWidget)

void               cohort_leaderboard_view_set_groups      (CohortLeaderboardView *self,
                                                            CohortGroups          *groups);
CohortLeaderboard *cohort_leaderboard_view_get_leaderboard (CohortLeaderboardView *self);

G_END_DECLS

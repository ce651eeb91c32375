/* cohort-groups-leaderboard.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-groups-board-row.h"
#include "cohort-groups.h"

G_BEGIN_DECLS

/* One leaderboard as the server gives it to this viewer (groups.board):
 * a GListModel of CohortBoardRow in rank order. The server applies the
 * teacher's privacy setting; this model only shows what it got. It asks
 * again when scope or period change and shortly after the groups model
 * says a board may have changed.
 *
 * Properties: groups (construct only), scope ("individual" or "group"),
 * period ("week" or "all") (both read-write), mode (the privacy mode the
 * rows follow), hidden (individual boards are hidden from this viewer),
 * total (rows on the full board), you (CohortBoardRow: the viewer's own
 * row, NULL when none or hidden), you-listed (the own row is among the
 * rows), loading. Signals: updated, after each reply. */
#define COHORT_TYPE_LEADERBOARD (cohort_leaderboard_get_type ())
G_DECLARE_FINAL_TYPE (CohortLeaderboard, cohort_leaderboard, COHORT, LEADERBOARD, GObject)

CohortLeaderboard *cohort_leaderboard_new            (CohortGroups      *groups);
const char        *cohort_leaderboard_get_scope      (CohortLeaderboard *self);
void               cohort_leaderboard_set_scope      (CohortLeaderboard *self,
                                                      const char        *scope);
const char        *cohort_leaderboard_get_period     (CohortLeaderboard *self);
void               cohort_leaderboard_set_period     (CohortLeaderboard *self,
                                                      const char        *period);
const char        *cohort_leaderboard_get_mode       (CohortLeaderboard *self);
gboolean           cohort_leaderboard_get_hidden     (CohortLeaderboard *self);
gint64             cohort_leaderboard_get_total      (CohortLeaderboard *self);
CohortBoardRow    *cohort_leaderboard_get_you        (CohortLeaderboard *self);
gboolean           cohort_leaderboard_get_you_listed (CohortLeaderboard *self);
gboolean           cohort_leaderboard_get_loading    (CohortLeaderboard *self);
/* Asks the server now. */
void               cohort_leaderboard_refresh        (CohortLeaderboard *self);

G_END_DECLS

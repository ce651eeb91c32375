/* cohort-groups-board-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One line of a leaderboard or of the Class PK score: a student or a
 * group, as the server ranked it. Properties (all notify): rank, id, name,
 * points, is-self (the viewer, or the viewer's group), fraction (0–1: the
 * row's share of the bar the view draws; the leaderboard sets points over
 * the leader's, the Class PK points over the total). */
#define COHORT_TYPE_BOARD_ROW (cohort_board_row_get_type ())
G_DECLARE_FINAL_TYPE (CohortBoardRow, cohort_board_row, COHORT, BOARD_ROW, GObject)

CohortBoardRow *cohort_board_row_new          (gint64          rank,
                                               gint64          id,
                                               const char     *name,
                                               gint64          points,
                                               gboolean        is_self);
gint64          cohort_board_row_get_rank     (CohortBoardRow *self);
gint64          cohort_board_row_get_id       (CohortBoardRow *self);
const char     *cohort_board_row_get_name     (CohortBoardRow *self);
gint64          cohort_board_row_get_points   (CohortBoardRow *self);
gboolean        cohort_board_row_get_is_self  (CohortBoardRow *self);
double          cohort_board_row_get_fraction (CohortBoardRow *self);

void            cohort_board_row_set_rank     (CohortBoardRow *self,
                                               gint64          rank);
void            cohort_board_row_set_name     (CohortBoardRow *self,
                                               const char     *name);
void            cohort_board_row_set_points   (CohortBoardRow *self,
                                               gint64          points);
void            cohort_board_row_set_fraction (CohortBoardRow *self,
                                               double          fraction);

G_END_DECLS

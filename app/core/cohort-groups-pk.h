/* cohort-groups-pk.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-groups-board-row.h"

G_BEGIN_DECLS

/* The Class PK (a timed group-against-group challenge) as a GListModel of
 * CohortBoardRow: one row per group in the challenge, in the server's
 * order, with points earned inside the window, rank, and fraction (share
 * of all points, equal shares while nobody scored). CohortGroups owns and
 * feeds it.
 *
 * Properties (all notify): pk-id (0: none yet), running, starts-at,
 * ends-at, ended-at (ms; 0 while running), total-points, winners (a
 * comma-separated list of the winning groups' names once ended). */
#define COHORT_TYPE_PK (cohort_pk_get_type ())
G_DECLARE_FINAL_TYPE (CohortPk, cohort_pk, COHORT, PK, GObject)

gint64      cohort_pk_get_pk_id        (CohortPk *self);
gboolean    cohort_pk_get_running      (CohortPk *self);
gint64      cohort_pk_get_starts_at    (CohortPk *self);
gint64      cohort_pk_get_ends_at      (CohortPk *self);
gint64      cohort_pk_get_ended_at     (CohortPk *self);
gint64      cohort_pk_get_total_points (CohortPk *self);
const char *cohort_pk_get_winners      (CohortPk *self);
/* The points of group @group_id in the challenge (0 if not in it). */
gint64      cohort_pk_get_score        (CohortPk *self,
                                        gint64    group_id);

G_END_DECLS

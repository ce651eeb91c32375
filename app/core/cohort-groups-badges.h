/* cohort-groups-badges.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-groups-badge.h"

G_BEGIN_DECLS

/* Earned badges as a GListModel of CohortBadge, newest first: a student's
 * own, or every student's for the teacher (what the server sends).
 * CohortGroups owns and feeds it.
 *
 * Signals: earned (CohortBadge) when a badge arrives live (not from a
 * welcome or a sync), for the viewer's own badge or, for the teacher, any
 * student's. */
#define COHORT_TYPE_BADGES (cohort_badges_get_type ())
G_DECLARE_FINAL_TYPE (CohortBadges, cohort_badges, COHORT, BADGES, GObject)

/* The viewer's own badge of @kind, NULL if not earned. */
CohortBadge *cohort_badges_lookup_own (CohortBadges *self,
                                       const char   *kind);

G_END_DECLS

/* cohort-group.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One study group of the class. Properties (all notify): id, name, size
 * (seats), topic, goal-points (the weekly goal, 0: none), n-members,
 * points-week, points-all, streak (the group's, from the server's
 * standings), is-mine (the viewer is a member), goal-fraction (0–1:
 * points-week over goal-points), members (GListModel of
 * CohortGroupMember, in name order). */
#define COHORT_TYPE_GROUP (cohort_group_get_type ())
G_DECLARE_FINAL_TYPE (CohortGroup, cohort_group, COHORT, GROUP, GObject)

gint64      cohort_group_get_id            (CohortGroup *self);
const char *cohort_group_get_name          (CohortGroup *self);
gint64      cohort_group_get_size          (CohortGroup *self);
const char *cohort_group_get_topic         (CohortGroup *self);
gint64      cohort_group_get_goal_points   (CohortGroup *self);
guint       cohort_group_get_n_members     (CohortGroup *self);
gint64      cohort_group_get_points_week   (CohortGroup *self);
gint64      cohort_group_get_points_all    (CohortGroup *self);
gint64      cohort_group_get_streak        (CohortGroup *self);
gboolean    cohort_group_get_is_mine       (CohortGroup *self);
double      cohort_group_get_goal_fraction (CohortGroup *self);
gboolean    cohort_group_get_is_full       (CohortGroup *self);
GListModel *cohort_group_get_members       (CohortGroup *self);

G_END_DECLS

/* cohort-groups.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cohort-groups-badges.h"
#include "cohort-group.h"
#include "cohort-group-member.h"
#include "cohort-groups-pk.h"
#include "cohort-session.h"

G_BEGIN_DECLS

/* The class's study groups as one client sees them (docs/protocol-groups.md):
 * a GListModel of CohortGroup, in creation order, fed by the session's
 * "welcome" and "event-received" signals. A model made after the join asks
 * for the same state with groups.sync. Requests go through the session's
 * outbox, so a check-in made offline is sent once the session is back. All
 * points, streaks and badges come from the server; nothing is computed
 * here but "checked in today" for other members (their check-in's day in
 * their zone against the clock).
 *
 * Properties (all notify): session (set by new), synced (the state is
 * loaded), is-teacher, my-group (CohortGroup, NULL when in none), settings:
 * pick-open, board-mode ("all", "groups", "top"), top-n, class-tz; the
 * viewer's progress (students): points-week, points-all, streak,
 * best-streak, freezes-left, checked-in-today, study-minutes-today, today
 * (the viewer's local date as the server sees it).
 *
 * Lists: unassigned (CohortGroupMember: students in no group, in name
 * order), badges (CohortBadges), pk (CohortPk).
 *
 * Signals: board-changed, after anything that can change a leaderboard;
 * starred (participant id, student's name, reason) for a live star the
 * viewer may see (their own, or any for the teacher). */
#define COHORT_TYPE_GROUPS (cohort_groups_get_type ())
G_DECLARE_FINAL_TYPE (CohortGroups, cohort_groups, COHORT, GROUPS, GObject)

CohortGroups  *cohort_groups_new                     (CohortSession  *session);

CohortSession *cohort_groups_get_session             (CohortGroups   *self);
gboolean       cohort_groups_get_synced              (CohortGroups   *self);
gboolean       cohort_groups_get_is_teacher          (CohortGroups   *self);
gint64         cohort_groups_get_viewer_id           (CohortGroups   *self);
CohortGroup   *cohort_groups_get_my_group            (CohortGroups   *self);
CohortGroup   *cohort_groups_lookup                  (CohortGroups   *self,
                                                      gint64          group_id);
CohortGroupMember *cohort_groups_lookup_member       (CohortGroups   *self,
                                                      gint64          participant_id);
GListModel    *cohort_groups_get_unassigned          (CohortGroups   *self);
CohortBadges  *cohort_groups_get_badges              (CohortGroups   *self);
CohortPk      *cohort_groups_get_pk                  (CohortGroups   *self);

gboolean       cohort_groups_get_pick_open           (CohortGroups   *self);
const char    *cohort_groups_get_board_mode          (CohortGroups   *self);
gint64         cohort_groups_get_top_n               (CohortGroups   *self);
const char    *cohort_groups_get_class_tz            (CohortGroups   *self);

gint64         cohort_groups_get_points_week         (CohortGroups   *self);
gint64         cohort_groups_get_points_all          (CohortGroups   *self);
gint64         cohort_groups_get_streak              (CohortGroups   *self);
gint64         cohort_groups_get_best_streak         (CohortGroups   *self);
gint64         cohort_groups_get_freezes_left        (CohortGroups   *self);
gboolean       cohort_groups_get_checked_in_today    (CohortGroups   *self);
gint64         cohort_groups_get_study_minutes_today (CohortGroups   *self);
const char    *cohort_groups_get_today               (CohortGroups   *self);

/* Any groups request (NULL @body: {}); returns the "ok" body. An "error"
 * reply becomes a COHORT_PROTOCOL_ERROR. Every _async below finishes
 * with it. */
void           cohort_groups_request_async           (CohortGroups        *self,
                                                      const char          *type,
                                                      JsonObject          *body,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
JsonObject    *cohort_groups_request_finish          (CohortGroups        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Typed finishes, so that views never read the reply's JSON: any request
 * above or below; check-in (whether the student had already checked in
 * today); balance (students placed, and those left without a seat). */
gboolean       cohort_groups_action_finish           (CohortGroups        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
gboolean       cohort_groups_check_in_finish         (CohortGroups        *self,
                                                      GAsyncResult        *result,
                                                      gboolean            *out_already,
                                                      GError             **error);
gboolean       cohort_groups_balance_finish          (CohortGroups        *self,
                                                      GAsyncResult        *result,
                                                      gint64              *out_moved,
                                                      gint64              *out_unplaced,
                                                      GError             **error);

/* Teacher. @topic may be NULL; @goal_points 0: none. */
void           cohort_groups_create_async            (CohortGroups        *self,
                                                      const char          *name,
                                                      gint64               size,
                                                      const char          *topic,
                                                      gint64               goal_points,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Teacher: @count groups at once, numbered after the class's groups
 * ("Group 3", "Group 4"…), and with @fill every present student without a
 * group placed in them. Finish with cohort_groups_balance_finish(), which
 * reads how many were placed and how many did not fit. */
void           cohort_groups_create_many_async       (CohortGroups        *self,
                                                      const char          *name,
                                                      gint64               count,
                                                      gint64               size,
                                                      const char          *topic,
                                                      gint64               goal_points,
                                                      gboolean             fill,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Teacher; @group_id 0 takes the student out of any group. */
void           cohort_groups_assign_async            (CohortGroups        *self,
                                                      gint64               participant_id,
                                                      gint64               group_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
void           cohort_groups_balance_async           (CohortGroups        *self,
                                                      gboolean             reset,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Student, while the teacher lets students pick. */
void           cohort_groups_pick_async              (CohortGroups        *self,
                                                      gint64               group_id,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Teacher. @board NULL and @top_n 0 leave those unchanged; @pick_open:
 * -1 leaves it, 0/1 sets it. */
void           cohort_groups_set_settings_async      (CohortGroups        *self,
                                                      int                  pick_open,
                                                      const char          *board,
                                                      gint64               top_n,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Student. @tz NULL: this machine's zone (cohort_groups_dup_local_tz()).
 * The reply's check-in is applied to the model at once. */
void           cohort_groups_check_in_async          (CohortGroups        *self,
                                                      const char          *note,
                                                      gint64               minutes,
                                                      const char          *tz,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
void           cohort_groups_react_async             (CohortGroups        *self,
                                                      gint64               checkin_id,
                                                      const char          *reaction,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
/* Teacher. */
void           cohort_groups_star_async              (CohortGroups        *self,
                                                      gint64               participant_id,
                                                      const char          *reason,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
void           cohort_groups_pk_start_async          (CohortGroups        *self,
                                                      gint64               minutes,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
void           cohort_groups_pk_stop_async           (CohortGroups        *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);

/* This machine's IANA zone id as the server accepts it ("UTC" when the
 * system's zone has no such name). */
char          *cohort_groups_dup_local_tz            (void);

G_END_DECLS

/* cohort-groups-protocol.h: groups, check-ins, points and boards on the wire
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* docs/protocol-groups.md is the reference for every constant here. */
#define COHORT_GROUPS_MAX_NAME_CHARS    40
#define COHORT_GROUPS_MAX_TOPIC_CHARS   80
#define COHORT_GROUPS_MAX_SIZE          50
#define COHORT_GROUPS_MAX_GROUPS        50
#define COHORT_GROUPS_MAX_GOAL          100000
#define COHORT_GROUPS_MAX_NOTE_CHARS    280
#define COHORT_GROUPS_MAX_MINUTES       1440
#define COHORT_GROUPS_MAX_REASON_CHARS  140
#define COHORT_GROUPS_MAX_TZ_CHARS      64
#define COHORT_GROUPS_MAX_TOP_N         100
#define COHORT_GROUPS_PK_MIN_MINUTES    1
#define COHORT_GROUPS_PK_MAX_MINUTES    120

/* Requests */
#define COHORT_REQ_GROUPS_CREATE     "groups.create"
#define COHORT_REQ_GROUPS_ASSIGN     "groups.assign"
#define COHORT_REQ_GROUPS_BALANCE    "groups.balance"
#define COHORT_REQ_GROUPS_PICK       "groups.pick"
#define COHORT_REQ_GROUPS_SETTINGS   "groups.settings"
#define COHORT_REQ_GROUPS_CHECK_IN   "groups.check_in"
#define COHORT_REQ_GROUPS_REACT      "groups.react"
#define COHORT_REQ_GROUPS_STAR       "groups.star"
#define COHORT_REQ_GROUPS_BOARD      "groups.board"
#define COHORT_REQ_GROUPS_PK_START   "groups.pk_start"
#define COHORT_REQ_GROUPS_PK_STOP    "groups.pk_stop"
#define COHORT_REQ_GROUPS_RECOMPUTE  "groups.recompute"
#define COHORT_REQ_GROUPS_SYNC       "groups.sync"

/* Events */
#define COHORT_EV_GROUPS_CREATED     "groups.created"
#define COHORT_EV_GROUPS_ASSIGNED    "groups.assigned"
#define COHORT_EV_GROUPS_SETTINGS    "groups.settings"
#define COHORT_EV_GROUPS_CHECKED_IN  "groups.checked_in"
#define COHORT_EV_GROUPS_REACTED     "groups.reacted"
#define COHORT_EV_GROUPS_STARRED     "groups.starred"
#define COHORT_EV_GROUPS_PROGRESS    "groups.progress"
#define COHORT_EV_GROUPS_BADGE       "groups.badge"
#define COHORT_EV_GROUPS_STANDINGS   "groups.standings"
#define COHORT_EV_GROUPS_PK_STARTED  "groups.pk_started"
#define COHORT_EV_GROUPS_PK_SCORE    "groups.pk_score"
#define COHORT_EV_GROUPS_PK_ENDED    "groups.pk_ended"

/* Board privacy (groups.settings "board") */
#define COHORT_GROUPS_BOARD_ALL      "all"
#define COHORT_GROUPS_BOARD_GROUPS   "groups"
#define COHORT_GROUPS_BOARD_TOP      "top"

extern const char * const cohort_groups_reactions[];
extern const char * const cohort_groups_board_modes[];

/* "UTC" or an IANA Area/Location id the system knows; no paths, no bare
 * offsets. */
gboolean cohort_groups_tz_is_valid (const char *tz_id);

G_END_DECLS

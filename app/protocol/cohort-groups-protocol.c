/* cohort-groups-protocol.c: the groups requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-groups-protocol.h"
#include "cohort-protocol-private.h"

const char * const cohort_groups_reactions[] = {
  "clap", "fire", "heart", "idea", NULL,
};

const char * const cohort_groups_board_modes[] = {
  COHORT_GROUPS_BOARD_ALL, COHORT_GROUPS_BOARD_GROUPS, COHORT_GROUPS_BOARD_TOP, NULL,
};

static const char * const board_scopes[] = { "individual", "group", NULL };
static const char * const board_periods[] = { "week", "all", NULL };

gboolean
cohort_groups_tz_is_valid (const char *tz_id)
{
  g_autoptr(GTimeZone) tz = NULL;
  gsize len;

  if (tz_id == NULL || (len = strlen (tz_id)) == 0 || len > COHORT_GROUPS_MAX_TZ_CHARS)
    return FALSE;
  if (!g_ascii_isalpha (tz_id[0]) || strstr (tz_id, "..") != NULL)
    return FALSE;
  for (const char *p = tz_id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '+' && *p != '/')
      return FALSE;
  if (strchr (tz_id, '/') == NULL && strcmp (tz_id, "UTC") != 0)
    return FALSE;

  tz = g_time_zone_new_identifier (tz_id);
  return tz != NULL;
}

static gboolean
validate_tz (JsonObject            *body,
             const CohortFieldSpec *spec,
             JsonNode              *node,
             CohortProtocolFailure *failure)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                  spec->name, "The field “%s” must be a string.", spec->name);
  if (!cohort_groups_tz_is_valid (json_node_get_string (node)))
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE,
                                  spec->name,
                                  "“%s” is not a time zone this server knows. Send an IANA id such as Asia/Shanghai.",
                                  spec->name);
  return TRUE;
}

/* Requests */

static const CohortFieldSpec no_fields[] = { COHORT_END_FIELDS };

static const CohortFieldSpec create_fields[] = {
  { "name", COHORT_FIELD_TEXT, TRUE, 1, COHORT_GROUPS_MAX_NAME_CHARS },
  { "size", COHORT_FIELD_INT, TRUE, 1, COHORT_GROUPS_MAX_SIZE },
  { "topic", COHORT_FIELD_TEXT, FALSE, 0, COHORT_GROUPS_MAX_TOPIC_CHARS },
  { "goal_points", COHORT_FIELD_INT, FALSE, 0, COHORT_GROUPS_MAX_GOAL },
  { "count", COHORT_FIELD_INT, FALSE, 1, COHORT_GROUPS_MAX_GROUPS },
  { "fill", COHORT_FIELD_BOOL, FALSE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec assign_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "group_id", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortFieldSpec balance_fields[] = {
  { "reset", COHORT_FIELD_BOOL, FALSE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec pick_fields[] = {
  { "group_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec settings_fields[] = {
  { "pick_open", COHORT_FIELD_BOOL, FALSE },
  { "board", COHORT_FIELD_ENUM, FALSE, 0, 0, NULL, cohort_groups_board_modes },
  { "top_n", COHORT_FIELD_INT, FALSE, 1, COHORT_GROUPS_MAX_TOP_N },
  { "tz", COHORT_FIELD_CUSTOM, FALSE, 0, 0, validate_tz },
  COHORT_END_FIELDS
};

static const CohortFieldSpec check_in_fields[] = {
  { "note", COHORT_FIELD_LINES, TRUE, 1, COHORT_GROUPS_MAX_NOTE_CHARS },
  { "minutes", COHORT_FIELD_INT, FALSE, 0, COHORT_GROUPS_MAX_MINUTES },
  { "tz", COHORT_FIELD_CUSTOM, TRUE, 0, 0, validate_tz },
  COHORT_END_FIELDS
};

static const CohortFieldSpec react_fields[] = {
  { "checkin_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "reaction", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, cohort_groups_reactions },
  COHORT_END_FIELDS
};

static const CohortFieldSpec star_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "reason", COHORT_FIELD_TEXT, TRUE, 1, COHORT_GROUPS_MAX_REASON_CHARS },
  COHORT_END_FIELDS
};

static const CohortFieldSpec board_fields[] = {
  { "scope", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, board_scopes },
  { "period", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, board_periods },
  COHORT_END_FIELDS
};

static const CohortFieldSpec pk_start_fields[] = {
  { "minutes", COHORT_FIELD_INT, TRUE, COHORT_GROUPS_PK_MIN_MINUTES, COHORT_GROUPS_PK_MAX_MINUTES },
  { "group_ids", COHORT_FIELD_INT_ARRAY, FALSE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortMessageSpec requests[] = {
  { "groups.create", FALSE, create_fields },
  { "groups.assign", FALSE, assign_fields },
  { "groups.balance", FALSE, balance_fields },
  { "groups.pick", FALSE, pick_fields },
  { "groups.settings", FALSE, settings_fields },
  { "groups.check_in", FALSE, check_in_fields },
  { "groups.react", FALSE, react_fields },
  { "groups.star", FALSE, star_fields },
  { "groups.board", FALSE, board_fields },
  { "groups.pk_start", FALSE, pk_start_fields },
  { "groups.pk_stop", FALSE, no_fields },
  { "groups.recompute", FALSE, no_fields },
  { "groups.sync", FALSE, no_fields },
};

/* Events (what the client checks before its models see them) */

static const CohortFieldSpec ev_created_fields[] = {
  { "group", COHORT_FIELD_OBJECT, TRUE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_assigned_fields[] = {
  { "assignments", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_object_array },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_settings_fields[] = {
  { "settings", COHORT_FIELD_OBJECT, TRUE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_checked_in_fields[] = {
  { "checkin", COHORT_FIELD_OBJECT, TRUE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_reacted_fields[] = {
  { "checkin_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "reaction", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, cohort_groups_reactions },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_starred_fields[] = {
  { "star_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "reason", COHORT_FIELD_TEXT, TRUE, 1, COHORT_GROUPS_MAX_REASON_CHARS },
  { "by", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_progress_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "points_week", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  { "points_all", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  { "streak", COHORT_FIELD_INT, TRUE, 0, 100000 },
  { "best_streak", COHORT_FIELD_INT, TRUE, 0, 100000 },
  { "freezes_left", COHORT_FIELD_INT, TRUE, 0, 1 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_badge_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "badge", COHORT_FIELD_TEXT, TRUE, 1, 32 },
  { "earned_at", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_standings_fields[] = {
  { "groups", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_object_array },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_pk_started_fields[] = {
  { "pk", COHORT_FIELD_OBJECT, TRUE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_pk_score_fields[] = {
  { "pk_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "scores", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_object_array },
  COHORT_END_FIELDS
};

static const CohortMessageSpec events[] = {
  { "groups.created", FALSE, ev_created_fields },
  { "groups.assigned", FALSE, ev_assigned_fields },
  { "groups.settings", FALSE, ev_settings_fields },
  { "groups.checked_in", FALSE, ev_checked_in_fields },
  { "groups.reacted", FALSE, ev_reacted_fields },
  { "groups.starred", FALSE, ev_starred_fields },
  { "groups.progress", FALSE, ev_progress_fields },
  { "groups.badge", FALSE, ev_badge_fields },
  { "groups.standings", FALSE, ev_standings_fields },
  { "groups.pk_started", FALSE, ev_pk_started_fields },
  { "groups.pk_score", FALSE, ev_pk_score_fields },
  { "groups.pk_ended", FALSE, ev_pk_score_fields },
};

const CohortProtocolTable _cohort_protocol_groups_table = {
  requests, G_N_ELEMENTS (requests),
  events, G_N_ELEMENTS (events),
};

/* cohort-schedule-protocol.c: the schedule requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-protocol-private.h"
#include "cohort-schedule-protocol.h"
#include "cohort-schedule-rule.h"

static gboolean
require_string (const CohortFieldSpec *spec,
                JsonNode              *node,
                CohortProtocolFailure *failure)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return TRUE;
  return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                spec->name, "The field “%s” must be a string.", spec->name);
}

/* A local start, "YYYY-MM-DDTHH:MM". */
static gboolean
validate_local (JsonObject            *body,
                const CohortFieldSpec *spec,
                JsonNode              *node,
                CohortProtocolFailure *failure)
{
  if (!require_string (spec, node, failure))
    return FALSE;
  if (cohort_schedule_local_parse (json_node_get_string (node), NULL, NULL, NULL))
    return TRUE;
  return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, spec->name,
                                "The field “%s” must be a date and time such as 2026-03-02T09:00, "
                                "in the years %d to %d.", spec->name,
                                COHORT_SCHEDULE_MIN_YEAR, COHORT_SCHEDULE_MAX_YEAR);
}

/* A local date, "YYYY-MM-DD". */
static gboolean
validate_date (JsonObject            *body,
               const CohortFieldSpec *spec,
               JsonNode              *node,
               CohortProtocolFailure *failure)
{
  if (!require_string (spec, node, failure))
    return FALSE;
  if (cohort_schedule_date_parse (json_node_get_string (node), NULL))
    return TRUE;
  return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, spec->name,
                                "The field “%s” must be a date such as 2026-03-02, in the years %d to %d.",
                                spec->name, COHORT_SCHEDULE_MIN_YEAR, COHORT_SCHEDULE_MAX_YEAR);
}

/* An IANA zone of the tz database. */
static gboolean
validate_zone (JsonObject            *body,
               const CohortFieldSpec *spec,
               JsonNode              *node,
               CohortProtocolFailure *failure)
{
  g_autoptr(GTimeZone) zone = NULL;

  if (!require_string (spec, node, failure))
    return FALSE;
  if ((zone = cohort_schedule_zone_new (json_node_get_string (node))) != NULL)
    return TRUE;
  return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, spec->name,
                                "The field “%s” must name a time zone of the tz database, "
                                "such as America/New_York.", spec->name);
}

static const char * const recurrences[] = {
  COHORT_SCHEDULE_STR_NONE, COHORT_SCHEDULE_STR_WEEKLY, NULL
};

static const char * const changes[] = {
  COHORT_SCHEDULE_STR_CREATED, COHORT_SCHEDULE_STR_UPDATED, COHORT_SCHEDULE_STR_CANCELLED, NULL
};

static const CohortFieldSpec no_fields[] = {
  COHORT_END_FIELDS
};

static const CohortFieldSpec list_fields[] = {
  { "days", COHORT_FIELD_INT, FALSE, 1, COHORT_SCHEDULE_MAX_LIST_DAYS },
  COHORT_END_FIELDS
};

/* A whole lesson: create, and update (which replaces every field). */
#define LESSON_FIELDS \
  { "title", COHORT_FIELD_TEXT, TRUE, 1, COHORT_SCHEDULE_MAX_TITLE_CHARS }, \
  { "start", COHORT_FIELD_CUSTOM, TRUE, 0, 0, validate_local }, \
  { "zone", COHORT_FIELD_CUSTOM, TRUE, 0, 0, validate_zone }, \
  { "duration", COHORT_FIELD_INT, TRUE, COHORT_SCHEDULE_MIN_DURATION, COHORT_SCHEDULE_MAX_DURATION }, \
  { "recurrence", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, recurrences }, \
  { "count", COHORT_FIELD_INT, FALSE, 1, COHORT_SCHEDULE_MAX_COUNT }, \
  { "until", COHORT_FIELD_CUSTOM, FALSE, 0, 0, validate_date }

static const CohortFieldSpec create_fields[] = {
  LESSON_FIELDS,
  COHORT_END_FIELDS
};

static const CohortFieldSpec update_fields[] = {
  { "lesson_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  LESSON_FIELDS,
  COHORT_END_FIELDS
};

/* Without "date", the whole series. */
static const CohortFieldSpec cancel_fields[] = {
  { "lesson_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "date", COHORT_FIELD_CUSTOM, FALSE, 0, 0, validate_date },
  COHORT_END_FIELDS
};

static const CohortMessageSpec request_specs[] = {
  { COHORT_REQ_SCHEDULE_LIST, FALSE, list_fields },
  { COHORT_REQ_SCHEDULE_CREATE, FALSE, create_fields },
  { COHORT_REQ_SCHEDULE_UPDATE, FALSE, update_fields },
  { COHORT_REQ_SCHEDULE_CANCEL, FALSE, cancel_fields },
  { COHORT_REQ_SCHEDULE_CALENDAR_KEY, FALSE, no_fields },
  { COHORT_REQ_SCHEDULE_CALENDAR_REVOKE, FALSE, no_fields },
};

static const CohortFieldSpec ev_changed_fields[] = {
  { "change", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, changes },
  { "lesson", COHORT_FIELD_OBJECT, TRUE },
  { "date", COHORT_FIELD_CUSTOM, FALSE, 0, 0, validate_date },
  /* The occurrences of the welcome and of schedule.changed. */
  { "upcoming", COHORT_FIELD_CUSTOM, TRUE, 0, COHORT_SCHEDULE_UPCOMING_MAX,
    _cohort_protocol_validate_object_array },
  COHORT_END_FIELDS
};

static const CohortMessageSpec event_specs[] = {
  { COHORT_EV_SCHEDULE_CHANGED, FALSE, ev_changed_fields },
};

const CohortProtocolTable _cohort_protocol_schedule_table = {
  request_specs, G_N_ELEMENTS (request_specs),
  event_specs, G_N_ELEMENTS (event_specs),
};

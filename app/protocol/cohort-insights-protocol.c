/* cohort-insights-protocol.c: the insights requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-insights-protocol.h"
#include "cohort-protocol-private.h"

/* since: the "at" of the reply the client holds; the server answers with
 * the rows that changed since, when it still knows what it sent then. */
static const CohortFieldSpec get_fields[] = {
  { "since", COHORT_FIELD_INT, FALSE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

/* Every member optional: what is left out keeps its stored value. */
static const CohortFieldSpec settings_fields[] = {
  { "absent_lessons", COHORT_FIELD_INT, FALSE, COHORT_INSIGHTS_ABSENT_MIN, COHORT_INSIGHTS_ABSENT_MAX },
  { "streak_days", COHORT_FIELD_INT, FALSE, COHORT_INSIGHTS_STREAK_MIN, COHORT_INSIGHTS_STREAK_MAX },
  { "accuracy_drop", COHORT_FIELD_INT, FALSE, COHORT_INSIGHTS_DROP_MIN, COHORT_INSIGHTS_DROP_MAX },
  { "accuracy_lessons", COHORT_FIELD_INT, FALSE, COHORT_INSIGHTS_DROP_LESSONS_MIN,
    COHORT_INSIGHTS_DROP_LESSONS_MAX },
  { "silent_lessons", COHORT_FIELD_INT, FALSE, COHORT_INSIGHTS_SILENT_MIN, COHORT_INSIGHTS_SILENT_MAX },
  { "template", COHORT_FIELD_LINES, FALSE, 1, COHORT_INSIGHTS_TEMPLATE_MAX_CHARS },
  COHORT_END_FIELDS
};

static const CohortFieldSpec nudge_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortMessageSpec request_specs[] = {
  { COHORT_REQ_INSIGHTS_GET, FALSE, get_fields },
  { COHORT_REQ_INSIGHTS_SETTINGS_SET, FALSE, settings_fields },
  { COHORT_REQ_INSIGHTS_NUDGE, FALSE, nudge_fields },
};

static const CohortFieldSpec ev_changed_fields[] = {
  { "at", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortMessageSpec event_specs[] = {
  { COHORT_EV_INSIGHTS_CHANGED, FALSE, ev_changed_fields },
};

const CohortProtocolTable _cohort_protocol_insights_table = {
  request_specs, G_N_ELEMENTS (request_specs),
  event_specs, G_N_ELEMENTS (event_specs),
};

/* cohort-lesson-protocol.c: the lesson requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-lesson-protocol.h"
#include "cohort-protocol-private.h"

static const CohortFieldSpec no_fields[] = {
  COHORT_END_FIELDS
};

/* A past lesson's attendance or summary; without it, the current one's. */
static const CohortFieldSpec number_fields[] = {
  { "number", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortMessageSpec request_specs[] = {
  { COHORT_REQ_LESSON_START, FALSE, no_fields },
  { COHORT_REQ_LESSON_END, FALSE, no_fields },
  { COHORT_REQ_LESSON_ATTENDANCE, FALSE, number_fields },
  { COHORT_REQ_LESSON_SUMMARY, FALSE, number_fields },
};

static const CohortFieldSpec ev_changed_fields[] = {
  { "lesson", COHORT_FIELD_OBJECT, TRUE },
  COHORT_END_FIELDS
};

static const CohortMessageSpec event_specs[] = {
  { COHORT_EV_LESSON_CHANGED, FALSE, ev_changed_fields },
};

const CohortProtocolTable _cohort_protocol_lesson_table = {
  request_specs, G_N_ELEMENTS (request_specs),
  event_specs, G_N_ELEMENTS (event_specs),
};

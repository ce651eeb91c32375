/* cohort-identity-protocol-staff.c: the staff requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-identity-protocol.h"
#include "cohort-protocol-private.h"

static const CohortFieldSpec staff_classes_fields[] = {
  { "protocol", COHORT_FIELD_VERSION, TRUE, 0, 0 },
  { "staff_credential", COHORT_FIELD_SECRET, TRUE, 0, 0 },
  { "include_archived", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec staff_archive_fields[] = {
  { "protocol", COHORT_FIELD_VERSION, TRUE, 0, 0 },
  { "staff_credential", COHORT_FIELD_SECRET, TRUE, 0, 0 },
  { "code", COHORT_FIELD_CODE, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

/* Anonymous: staff manage their classes without joining one. */
static const CohortMessageSpec request_specs[] = {
  { COHORT_REQ_STAFF_CLASSES, TRUE, staff_classes_fields },
  { COHORT_REQ_STAFF_ARCHIVE, TRUE, staff_archive_fields },
  { COHORT_REQ_STAFF_UNARCHIVE, TRUE, staff_archive_fields },
};

static const CohortFieldSpec ev_lesson_started_fields[] = {
  { "number", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "started_at", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortMessageSpec event_specs[] = {
  { COHORT_EV_LESSON_STARTED, FALSE, ev_lesson_started_fields },
};

const CohortProtocolTable _cohort_protocol_staff_table = {
  request_specs, G_N_ELEMENTS (request_specs),
  event_specs, G_N_ELEMENTS (event_specs),
};

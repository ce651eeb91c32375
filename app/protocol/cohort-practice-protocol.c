/* cohort-practice-protocol.c: the practice requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-practice-protocol.h"
#include "cohort-protocol-private.h"

const char * const cohort_practice_uses[] = {
  COHORT_PRACTICE_USE_NORMAL,
  COHORT_PRACTICE_USE_PRACTICE_ONLY,
  COHORT_PRACTICE_USE_AFTER_LIVE,
  NULL
};

static const CohortFieldSpec no_fields[] = {
  COHORT_END_FIELDS
};

/* Without point_id it creates a point (name required then). */
static const CohortFieldSpec knowledge_set_fields[] = {
  { "point_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "name", COHORT_FIELD_TEXT, FALSE, 1, COHORT_PRACTICE_MAX_POINT_CHARS },
  { "practice", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec point_fields[] = {
  { "point_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec next_fields[] = {
  { "point_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec answer_fields[] = {
  { "question_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "answer", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_quiz_answer },
  COHORT_END_FIELDS
};

static const CohortFieldSpec why_fields[] = {
  { "question_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec launch_fields[] = {
  { "point_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "count", COHORT_FIELD_INT, FALSE, 1, COHORT_PRACTICE_MAX_LAUNCH },
  { "time_limit", COHORT_FIELD_INT, FALSE, 0, 3600 },
  { "allow_change", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec mastery_get_fields[] = {
  { "participant_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortMessageSpec request_specs[] = {
  { COHORT_REQ_KNOWLEDGE_LIST, FALSE, no_fields },
  { COHORT_REQ_KNOWLEDGE_SET, FALSE, knowledge_set_fields },
  { COHORT_REQ_KNOWLEDGE_DELETE, FALSE, point_fields },
  { COHORT_REQ_PRACTICE_NEXT, FALSE, next_fields },
  { COHORT_REQ_PRACTICE_ANSWER, FALSE, answer_fields },
  { COHORT_REQ_PRACTICE_WHY, FALSE, why_fields },
  { COHORT_REQ_PRACTICE_LAUNCH, FALSE, launch_fields },
  { COHORT_REQ_MASTERY_GET, FALSE, mastery_get_fields },
  { COHORT_REQ_MASTERY_CLASS, FALSE, no_fields },
};


static const CohortFieldSpec ev_answered_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "question_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "correct", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "point_ids", COHORT_FIELD_INT_ARRAY, TRUE, COHORT_ID_RANGE },
  { "mastered", COHORT_FIELD_INT, TRUE, 0, COHORT_PRACTICE_MAX_POINTS },
  COHORT_END_FIELDS
};

static const CohortMessageSpec event_specs[] = {
  { COHORT_EV_KNOWLEDGE_CHANGED, FALSE, no_fields },
  { COHORT_EV_PRACTICE_ANSWERED, FALSE, ev_answered_fields },
};

const CohortProtocolTable _cohort_protocol_practice_table = {
  request_specs, G_N_ELEMENTS (request_specs),
  event_specs, G_N_ELEMENTS (event_specs),
};

/* cohort-identity-protocol.c: waiting room, removal and roster messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-identity-protocol.h"
#include "cohort-protocol-private.h"

char *
cohort_protocol_normalize_personal_code (const char *raw)
{
  return _cohort_protocol_normalize_code_chars (raw, COHORT_PERSONAL_CODE_CHARS);
}

/* class.join's "code": a class code, or a known student's personal code. */
gboolean
_cohort_protocol_validate_join_code (JsonObject            *body,
                                     const CohortFieldSpec *spec,
                                     JsonNode              *node,
                                     CohortProtocolFailure *failure)
{
  g_autofree char *code = NULL;
  const char *raw;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                                  "The field “%s” must be a string.", spec->name);

  raw = json_node_get_string (node);
  code = cohort_protocol_normalize_code (raw);
  if (code == NULL)
    code = cohort_protocol_normalize_personal_code (raw);
  if (code == NULL)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, spec->name,
                                  "A class code has %d letters and digits, a personal code %d.",
                                  COHORT_CLASS_CODE_CHARS, COHORT_PERSONAL_CODE_CHARS);

  json_object_set_string_member (body, spec->name, code);
  return TRUE;
}

static const CohortFieldSpec student_fields[] = {
  { "name", COHORT_FIELD_TEXT, TRUE, 1, COHORT_MAX_NAME_CHARS },
  { "number", COHORT_FIELD_TEXT, FALSE, 1, COHORT_MAX_STUDENT_NUMBER_CHARS },
  COHORT_END_FIELDS
};

/* roster.import's "students": 1 to COHORT_MAX_ROSTER_IMPORT objects, each
 * checked (and its text trimmed) like a request body. */
static gboolean
validate_students (JsonObject            *body,
                   const CohortFieldSpec *spec,
                   JsonNode              *node,
                   CohortProtocolFailure *failure)
{
  JsonArray *array;
  guint n;

  if (!(array = _cohort_protocol_require_array (spec, node, failure)))
    return FALSE;
  n = json_array_get_length (array);
  if (n < 1 || n > COHORT_MAX_ROSTER_IMPORT)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, spec->name,
                                  "A roster import holds 1 to %d students.", COHORT_MAX_ROSTER_IMPORT);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                                      "Each student must be an object.");
      if (!_cohort_protocol_validate_fields (json_node_get_object (element), student_fields, failure))
        return FALSE;
    }
  return TRUE;
}

static const CohortFieldSpec settings_fields[] = {
  { "waiting_room", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "locked", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "anonymous_join", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec admit_fields[] = {
  { "participant_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "all", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec participant_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec remove_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "block", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec import_fields[] = {
  { "students", COHORT_FIELD_CUSTOM, TRUE, 0, 0, validate_students },
  COHORT_END_FIELDS
};

static const CohortFieldSpec no_fields[] = { COHORT_END_FIELDS };

static const CohortMessageSpec request_specs[] = {
  { COHORT_REQ_CLASS_SETTINGS, FALSE, settings_fields },
  { COHORT_REQ_ADMISSION_ADMIT, FALSE, admit_fields },
  { COHORT_REQ_ADMISSION_DENY, FALSE, participant_fields },
  { COHORT_REQ_PARTICIPANT_REMOVE, FALSE, remove_fields },
  { COHORT_REQ_ROSTER_IMPORT, FALSE, import_fields },
  { COHORT_REQ_ROSTER_REISSUE, FALSE, participant_fields },
  { COHORT_REQ_ROSTER_LIST, FALSE, no_fields },
};

static const CohortFieldSpec ev_class_updated_fields[] = {
  { "class", COHORT_FIELD_OBJECT, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_waiting_fields[] = {
  { "participant", COHORT_FIELD_PARTICIPANT, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_granted_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_removed_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "blocked", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortMessageSpec event_specs[] = {
  { COHORT_EV_CLASS_UPDATED, FALSE, ev_class_updated_fields },
  { COHORT_EV_PARTICIPANT_WAITING, FALSE, ev_waiting_fields },
  { COHORT_EV_WAITING_LEFT, FALSE, ev_granted_fields },
  { COHORT_EV_ADMISSION_GRANTED, FALSE, ev_granted_fields },
  { COHORT_EV_PARTICIPANT_REMOVED, FALSE, ev_removed_fields },
};

const CohortProtocolTable _cohort_protocol_admission_table = {
  request_specs, G_N_ELEMENTS (request_specs),
  event_specs, G_N_ELEMENTS (event_specs),
};

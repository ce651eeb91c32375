/* cohort-ai-protocol.c: the ai requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-ai-protocol.h"
#include "cohort-protocol-private.h"
#include "cohort-text-rules.h"

/* The shared text rules (cohort-text-rules.c) on several lines. */
char *
cohort_ai_normalize_multiline (const char  *raw,
                               guint        min_chars,
                               guint        max_chars,
                               GError     **error)
{
  return cohort_text_clean (raw, COHORT_TEXT_LINES, min_chars, max_chars, NULL, error);
}

/* A multi-line text member: spec->min..spec->max characters, stored back
 * normalised. */
static gboolean
validate_multiline (JsonObject            *body,
                    const CohortFieldSpec *spec,
                    JsonNode              *node,
                    CohortProtocolFailure *failure)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *raw;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                  spec->name, "The field “%s” must be a string.", spec->name);

  raw = json_node_get_string (node);
  text = cohort_ai_normalize_multiline (raw, (guint) spec->min, (guint) spec->max, &error);
  if (text == NULL)
    {
      gboolean too_long = raw != NULL && g_utf8_validate (raw, -1, NULL) &&
                          g_utf8_strlen (raw, -1) > spec->max;

      return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID,
                                    too_long ? COHORT_INVALID_TOO_LARGE : COHORT_INVALID_BAD_TEXT,
                                    spec->name, "The field “%s”: %s", spec->name, error->message);
    }

  json_object_set_string_member (body, spec->name, text);
  return TRUE;
}

/* Optional single-line text that may be empty (clearing the topic). */
static gboolean
validate_optional_line (JsonObject            *body,
                        const CohortFieldSpec *spec,
                        JsonNode              *node,
                        CohortProtocolFailure *failure)
{
  const char *raw;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                  spec->name, "The field “%s” must be a string.", spec->name);

  raw = json_node_get_string (node);
  /* Every line break the multi-line rules would turn into LF. */
  if (raw != NULL && g_utf8_validate (raw, -1, NULL) &&
      (strpbrk (raw, "\n\r\v\f") != NULL || strstr (raw, "\u2028") != NULL ||
       strstr (raw, "\u2029") != NULL || strstr (raw, "\xc2\x85") != NULL))
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_BAD_TEXT,
                                  spec->name, "The field “%s” must be one line.", spec->name);

  return validate_multiline (body, spec, node, failure);
}

static const char * const mode_choices[] = {
  COHORT_AI_MODE_OFF, COHORT_AI_MODE_HINTS, COHORT_AI_MODE_FULL, NULL
};

static const CohortFieldSpec ask_fields[] = {
  { "text", COHORT_FIELD_CUSTOM, TRUE, 1, COHORT_AI_MAX_QUESTION_CHARS, validate_multiline },
  { "conversation_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "new_conversation", COHORT_FIELD_BOOL, FALSE },
  { "replaces", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec stop_fields[] = {
  { "request_id", COHORT_FIELD_TEXT, FALSE, 1, COHORT_MAX_ID_CHARS },
  COHORT_END_FIELDS
};

static const CohortFieldSpec history_fields[] = {
  { "before", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "limit", COHORT_FIELD_INT, FALSE, 1, COHORT_AI_MAX_HISTORY_PAGE },
  { "conversation_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec conversations_fields[] = {
  { "limit", COHORT_FIELD_INT, FALSE, 1, COHORT_AI_MAX_CONVERSATIONS },
  COHORT_END_FIELDS
};

static const CohortFieldSpec conversation_delete_fields[] = {
  { "conversation_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec policy_set_fields[] = {
  { "mode", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, mode_choices },
  { "topic", COHORT_FIELD_CUSTOM, FALSE, 0, COHORT_AI_MAX_TOPIC_CHARS, validate_optional_line },
  { "notes", COHORT_FIELD_CUSTOM, FALSE, 0, COHORT_AI_MAX_NOTES_CHARS, validate_multiline },
  { "daily_quota", COHORT_FIELD_INT, FALSE, 0, COHORT_AI_MAX_DAILY_QUOTA },
  { "nudges", COHORT_FIELD_BOOL, FALSE },
  { "answer_key", COHORT_FIELD_CUSTOM, FALSE, 0, COHORT_AI_MAX_ANSWER_KEY_CHARS, validate_multiline },
  COHORT_END_FIELDS
};

static const CohortFieldSpec nudges_set_fields[] = {
  { "enabled", COHORT_FIELD_BOOL, TRUE },
  { "tz", COHORT_FIELD_TEXT, FALSE, 1, COHORT_AI_MAX_TZ_CHARS },
  COHORT_END_FIELDS
};

static const CohortFieldSpec nudge_opened_fields[] = {
  { "nudge_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec no_fields[] = { COHORT_END_FIELDS };

static const CohortMessageSpec ai_requests[] = {
  { COHORT_REQ_AI_ASK, FALSE, ask_fields },
  { COHORT_REQ_AI_STOP, FALSE, stop_fields },
  { COHORT_REQ_AI_HISTORY, FALSE, history_fields },
  { COHORT_REQ_AI_POLICY_SET, FALSE, policy_set_fields },
  { COHORT_REQ_AI_TOPICS, FALSE, no_fields },
  { COHORT_REQ_AI_CONVERSATIONS, FALSE, conversations_fields },
  { COHORT_REQ_AI_CONVERSATION_DELETE, FALSE, conversation_delete_fields },
  { COHORT_REQ_AI_NUDGES_SET, FALSE, nudges_set_fields },
  { COHORT_REQ_AI_NUDGE, FALSE, no_fields },
  { COHORT_REQ_AI_NUDGE_OPENED, FALSE, nudge_opened_fields },
  { COHORT_REQ_AI_NUDGES_STATS, FALSE, no_fields },
};

static const CohortFieldSpec ev_policy_fields[] = {
  { "mode", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, mode_choices },
  { "topic", COHORT_FIELD_CUSTOM, TRUE, 0, COHORT_AI_MAX_TOPIC_CHARS, validate_optional_line },
  { "daily_quota", COHORT_FIELD_INT, TRUE, 0, COHORT_AI_MAX_DAILY_QUOTA },
  { "nudges", COHORT_FIELD_BOOL, FALSE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_lock_fields[] = {
  { "locked", COHORT_FIELD_BOOL, TRUE },
  COHORT_END_FIELDS
};

static const CohortMessageSpec ai_events[] = {
  { COHORT_EV_AI_POLICY, FALSE, ev_policy_fields },
  { COHORT_EV_AI_LOCK, FALSE, ev_lock_fields },
};

const CohortProtocolTable _cohort_protocol_ai_table = {
  ai_requests, G_N_ELEMENTS (ai_requests),
  ai_events, G_N_ELEMENTS (ai_events),
};

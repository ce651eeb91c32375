/* cohort-chat-protocol.c: the chat requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-chat-protocol.h"
#include "cohort-protocol-private.h"
#include "cohort-text-rules.h"

const char * const cohort_chat_reactions[] = {
  "thumbs_up", "heart", "laugh", "clap", "question", NULL,
};

static const char * const reaction_emoji[] = {
  "👍", "❤️", "😂", "👏", "❓", NULL,
};

const char * const cohort_chat_paces[] = {
  "too_fast", "too_slow", "ok", NULL,
};

static const char * const channels[] = {
  COHORT_CHAT_CHANNEL_CLASS, COHORT_CHAT_CHANNEL_PRIVATE, COHORT_CHAT_CHANNEL_GROUP, NULL,
};

static const char * const question_states[] = {
  COHORT_CHAT_QUESTION_NONE, COHORT_CHAT_QUESTION_OPEN, COHORT_CHAT_QUESTION_ANSWERED,
  COHORT_CHAT_QUESTION_DONE, NULL,
};

/* What a teacher may set a question to. */
static const char * const question_requests[] = {
  COHORT_CHAT_QUESTION_OPEN, COHORT_CHAT_QUESTION_DONE, NULL,
};

const char *
cohort_chat_reaction_emoji (const char *name)
{
  for (guint i = 0; cohort_chat_reactions[i] != NULL; i++)
    if (g_strcmp0 (cohort_chat_reactions[i], name) == 0)
      return reaction_emoji[i];
  return NULL;
}

/* Text rules: the shared ones (cohort-text-rules.c), lenient about
 * control characters and keeping line breaks. */

char *
cohort_chat_clean_text (const char  *raw,
                        int         *out_reason,
                        GError     **error)
{
  g_autofree char *clean = NULL;

  clean = cohort_text_clean (raw, COHORT_TEXT_LINES | COHORT_TEXT_LENIENT, 1, G_MAXUINT,
                             out_reason, error);
  if (clean == NULL)
    return NULL;

  if (g_utf8_strlen (clean, -1) > COHORT_CHAT_MAX_CHARS)
    {
      if (out_reason != NULL)
        *out_reason = COHORT_INVALID_OUT_OF_RANGE;
      g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                           "A message can be at most 2,000 characters long.");
      return NULL;
    }

  return g_steal_pointer (&clean);
}

/* Validators */

static gboolean
validate_chat_text (JsonObject            *body,
                    const CohortFieldSpec *spec,
                    JsonNode              *node,
                    CohortProtocolFailure *failure)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *clean = NULL;
  int reason = COHORT_INVALID_BAD_TEXT;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                  spec->name, "The field “%s” must be a string.", spec->name);

  clean = cohort_chat_clean_text (json_node_get_string (node), &reason, &error);
  if (clean == NULL)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, reason, spec->name,
                                  "%s", error->message);

  json_object_set_string_member (body, spec->name, clean);
  return TRUE;
}

/* Text the server sends: already clean, so only checked. Empty is allowed
 * (a removed message). */
static gboolean
validate_server_text (JsonObject            *body,
                      const CohortFieldSpec *spec,
                      JsonNode              *node,
                      CohortProtocolFailure *failure)
{
  const char *text;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                  spec->name, "The field “%s” must be a string.", spec->name);

  text = json_node_get_string (node);
  if (!g_utf8_validate (text, -1, NULL))
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_BAD_TEXT,
                                  spec->name, "The field “%s” is not valid UTF-8.", spec->name);
  if (g_utf8_strlen (text, -1) > COHORT_CHAT_MAX_CHARS)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE,
                                  spec->name, "The field “%s” is too long.", spec->name);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '\n' && g_unichar_type (c) == G_UNICODE_CONTROL)
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_BAD_TEXT,
                                      spec->name, "The field “%s” contains a control character.",
                                      spec->name);
    }
  return TRUE;
}

static gboolean
validate_client_id (JsonObject            *body,
                    const CohortFieldSpec *spec,
                    JsonNode              *node,
                    CohortProtocolFailure *failure)
{
  const char *id;
  gsize len;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                  spec->name, "The field “%s” must be a string.", spec->name);

  id = json_node_get_string (node);
  len = strlen (id);
  if (len < 1 || len > COHORT_MAX_ID_CHARS)
    goto bad;
  for (gsize i = 0; i < len; i++)
    if (id[i] < 0x21 || id[i] > 0x7e)
      goto bad;
  return TRUE;

bad:
  return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE,
                                spec->name, "The field “%s” must be 1 to %d printable ASCII characters.",
                                spec->name, COHORT_MAX_ID_CHARS);
}

static const CohortFieldSpec message_fields[] = {
  { "id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "author_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "author_name", COHORT_FIELD_TEXT, TRUE, 1, COHORT_MAX_NAME_CHARS },
  { "channel", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, channels },
  { "to", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "group_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "text", COHORT_FIELD_CUSTOM, TRUE, 0, 0, validate_server_text },
  { "ts", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  { "client_id", COHORT_FIELD_CUSTOM, FALSE, 0, 0, validate_client_id },
  { "reply_to", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "question", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, question_states },
  { "votes", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  { "voted", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "helpful", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "danmaku", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "edited_at", COHORT_FIELD_INT, FALSE, 0, COHORT_MAX_SAFE_INT },
  { "deleted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static gboolean
validate_message (JsonObject            *body,
                  const CohortFieldSpec *spec,
                  JsonNode              *node,
                  CohortProtocolFailure *failure)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                  spec->name, "The field “%s” must be an object.", spec->name);
  return _cohort_protocol_validate_fields (json_node_get_object (node), message_fields, failure);
}

static gboolean
validate_message_array (JsonObject            *body,
                        const CohortFieldSpec *spec,
                        JsonNode              *node,
                        CohortProtocolFailure *failure)
{
  JsonArray *array = _cohort_protocol_require_array (spec, node, failure);

  if (array == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!validate_message (body, spec, json_array_get_element (array, i), failure))
      return FALSE;
  return TRUE;
}

/* For the history reply and the welcome member, which are not events:
 * the client model calls this through cohort_chat_validate_*(). */
static const CohortFieldSpec history_reply_fields[] = {
  { "messages", COHORT_FIELD_CUSTOM, TRUE, 0, 0, validate_message_array },
  { "has_more", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec welcome_fields[] = {
  { "private_enabled", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "muted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "danmaku_enabled", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "muted_ids", COHORT_FIELD_INT_ARRAY, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static gboolean
validate_with (JsonObject             *object,
               const CohortFieldSpec  *fields,
               GError                **error)
{
  CohortProtocolFailure failure = { .from_server = TRUE };

  if (_cohort_protocol_validate_fields (object, fields, &failure))
    return TRUE;

  g_set_error_literal (error, COHORT_PROTOCOL_ERROR, failure.code, failure.message);
  g_free (failure.message);
  return FALSE;
}

gboolean
cohort_chat_validate_history_reply (JsonObject  *body,
                                    GError     **error)
{
  return validate_with (body, history_reply_fields, error);
}

gboolean
cohort_chat_validate_welcome (JsonObject  *chat,
                              GError     **error)
{
  return validate_with (chat, welcome_fields, error);
}

gboolean
cohort_chat_validate_message (JsonObject  *message,
                              GError     **error)
{
  return validate_with (message, message_fields, error);
}

/* Requests */

static const CohortFieldSpec send_fields[] = {
  { "text", COHORT_FIELD_CUSTOM, TRUE, 0, 0, validate_chat_text },
  { "channel", COHORT_FIELD_ENUM, FALSE, 0, 0, NULL, channels },
  { "to", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "group_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "question", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "danmaku", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "reply_to", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "client_id", COHORT_FIELD_CUSTOM, FALSE, 0, 0, validate_client_id },
  COHORT_END_FIELDS
};

static const CohortFieldSpec edit_fields[] = {
  { "message_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "text", COHORT_FIELD_CUSTOM, TRUE, 0, 0, validate_chat_text },
  COHORT_END_FIELDS
};

static const CohortFieldSpec message_id_fields[] = {
  { "message_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec history_fields[] = {
  { "before", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "limit", COHORT_FIELD_INT, FALSE, 1, COHORT_CHAT_HISTORY_PAGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec vote_fields[] = {
  { "message_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "vote", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec question_fields[] = {
  { "message_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "state", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, question_requests },
  COHORT_END_FIELDS
};

static const CohortFieldSpec settings_fields[] = {
  { "private_enabled", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "muted", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  { "danmaku_enabled", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec mute_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "muted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec react_fields[] = {
  { "reaction", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, cohort_chat_reactions },
  COHORT_END_FIELDS
};

static const CohortFieldSpec pace_fields[] = {
  { "pace", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, cohort_chat_paces },
  COHORT_END_FIELDS
};

static const CohortMessageSpec request_specs[] = {
  { COHORT_REQ_CHAT_SEND, FALSE, send_fields },
  { COHORT_REQ_CHAT_EDIT, FALSE, edit_fields },
  { COHORT_REQ_CHAT_DELETE, FALSE, message_id_fields },
  { COHORT_REQ_CHAT_HISTORY, FALSE, history_fields },
  { COHORT_REQ_CHAT_VOTE, FALSE, vote_fields },
  { COHORT_REQ_CHAT_QUESTION, FALSE, question_fields },
  { COHORT_REQ_CHAT_SETTINGS, FALSE, settings_fields },
  { COHORT_REQ_CHAT_MUTE, FALSE, mute_fields },
  { COHORT_REQ_CHAT_REACT, FALSE, react_fields },
  { COHORT_REQ_CHAT_PACE, FALSE, pace_fields },
  { COHORT_REQ_CHAT_MARK_HELPFUL, FALSE, message_id_fields },
};

/* Events */

static const CohortFieldSpec ev_message_fields[] = {
  { "message", COHORT_FIELD_CUSTOM, TRUE, 0, 0, validate_message },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_edited_fields[] = {
  { "message_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "text", COHORT_FIELD_CUSTOM, TRUE, 0, 0, validate_server_text },
  { "edited_at", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_deleted_fields[] = {
  { "message_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "by", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_votes_fields[] = {
  { "message_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "votes", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "vote", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  /* Who voted for whose question (the groups ledger's upvote rule). */
  { "voter_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  { "author_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_helpful_fields[] = {
  { "message_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "question_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "author_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "asker_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "by", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "at", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_question_fields[] = {
  { "message_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "state", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, question_states },
  { "answer_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_settings_fields[] = {
  { "private_enabled", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "muted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "danmaku_enabled", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_muted_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "muted", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_reaction_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "reaction", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, cohort_chat_reactions },
  { "at", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_pace_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "pace", COHORT_FIELD_ENUM, TRUE, 0, 0, NULL, cohort_chat_paces },
  { "at", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortMessageSpec event_specs[] = {
  { COHORT_EV_CHAT_MESSAGE, FALSE, ev_message_fields },
  { COHORT_EV_CHAT_EDITED, FALSE, ev_edited_fields },
  { COHORT_EV_CHAT_DELETED, FALSE, ev_deleted_fields },
  { COHORT_EV_CHAT_VOTES, FALSE, ev_votes_fields },
  { COHORT_EV_CHAT_QUESTION, FALSE, ev_question_fields },
  { COHORT_EV_CHAT_SETTINGS, FALSE, ev_settings_fields },
  { COHORT_EV_CHAT_MUTED, FALSE, ev_muted_fields },
  { COHORT_EV_CHAT_REACTION, FALSE, ev_reaction_fields },
  { COHORT_EV_CHAT_PACE, FALSE, ev_pace_fields },
  { COHORT_EV_CHAT_HELPFUL, FALSE, ev_helpful_fields },
};

const CohortProtocolTable _cohort_protocol_chat_table = {
  request_specs, G_N_ELEMENTS (request_specs),
  event_specs, G_N_ELEMENTS (event_specs),
};

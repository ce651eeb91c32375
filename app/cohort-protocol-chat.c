/* cohort-protocol-chat.c: the chat requests and events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-chat-protocol.h"
#include "cohort-protocol-private.h"

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

/* Text rules */

static gboolean
is_invisible (gunichar c)
{
  if (g_unichar_type (c) == G_UNICODE_FORMAT)
    return TRUE;

  switch (c)
    {
    case 0x034F:                  /* combining grapheme joiner */
    case 0x115F: case 0x1160:     /* Hangul fillers */
    case 0x180B: case 0x180C: case 0x180D: case 0x180F:
    case 0x3164: case 0xFFA0:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_combining (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_visible (gunichar c)
{
  return c != 0 && !g_unichar_isspace (c) && !is_invisible (c) &&
         g_unichar_type (c) != G_UNICODE_CONTROL;
}

static gunichar
last_char (GString *out)
{
  if (out->len == 0)
    return 0;
  return g_utf8_get_char (g_utf8_find_prev_char (out->str, out->str + out->len));
}

static gboolean
fail_text (int         *out_reason,
           GError     **error,
           int          reason,
           const char  *message)
{
  if (out_reason != NULL)
    *out_reason = reason;
  g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID, message);
  return FALSE;
}

char *
cohort_chat_clean_text (const char  *raw,
                        int         *out_reason,
                        GError     **error)
{
  g_autoptr(GString) out = NULL;
  const char *p;
  guint dropped = 0;
  guint visible = 0;
  guint marks = 0;
  const char *start;
  const char *end;

  if (raw == NULL || !g_utf8_validate (raw, -1, NULL))
    {
      fail_text (out_reason, error, COHORT_INVALID_BAD_TEXT, "The message is not valid UTF-8.");
      return NULL;
    }

  out = g_string_sized_new (strlen (raw));
  p = raw;
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *next = g_utf8_next_char (p);

      if (c == '\r')
        {
          if (*next == '\n')
            {
              p = next;
              continue;
            }
          c = '\n';
        }
      if (c == 0x2028 || c == 0x2029 || c == 0x0085)
        c = '\n';
      if (c == '\t')
        c = ' ';

      if (c == '\n')
        {
          if (!(out->len >= 2 && out->str[out->len - 1] == '\n' && out->str[out->len - 2] == '\n'))
            g_string_append_c (out, '\n');
          marks = 0;
        }
      else if (g_unichar_type (c) == G_UNICODE_CONTROL)
        {
          /* dropped */
        }
      else if (is_invisible (c))
        {
          const char *q = p;
          guint run = 0;
          gboolean all_tags = TRUE;
          gunichar last = 0;
          gunichar prev = last_char (out);

          while (*q != '\0' && is_invisible (g_utf8_get_char (q)))
            {
              last = g_utf8_get_char (q);
              if (last < 0xE0020 || last > 0xE007F)
                all_tags = FALSE;
              run++;
              q = g_utf8_next_char (q);
            }

          if (all_tags && last == 0xE007F && run <= 12 && prev == 0x1F3F4)
            g_string_append_len (out, p, q - p);               /* a flag sequence */
          else if (run == 1 && (c == 0x200D || c == 0x200C) &&
                   is_visible (prev) && is_visible (g_utf8_get_char (q)))
            g_string_append_unichar (out, c);                  /* one joiner */
          else
            dropped += run;

          p = q;
          continue;
        }
      else if (is_combining (c))
        {
          if (marks < COHORT_CHAT_MAX_COMBINING)
            g_string_append_unichar (out, c);
          marks++;
        }
      else
        {
          g_string_append_unichar (out, c);
          if (!g_unichar_isspace (c))
            visible++;
          marks = 0;
        }

      p = next;
    }

  if (dropped > COHORT_CHAT_MAX_INVISIBLE || (dropped > 0 && dropped > visible))
    {
      fail_text (out_reason, error, COHORT_INVALID_BAD_TEXT,
                 "The message is mostly invisible characters.");
      return NULL;
    }

  start = out->str;
  while (*start != '\0' && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = out->str + out->len;
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  if (start == end)
    {
      fail_text (out_reason, error, COHORT_INVALID_OUT_OF_RANGE, "The message is empty.");
      return NULL;
    }

  if (g_utf8_strlen (start, end - start) > COHORT_CHAT_MAX_CHARS)
    {
      fail_text (out_reason, error, COHORT_INVALID_OUT_OF_RANGE,
                 "A message can be at most 2,000 characters long.");
      return NULL;
    }

  return g_strndup (start, end - start);
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
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                  spec->name, "The field “%s” must be an array.", spec->name);
  array = json_node_get_array (node);
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
  CohortProtocolFailure failure = { 0 };

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

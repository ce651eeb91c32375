/* cohort-protocol.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-protocol"

#include "config.h"

#include <math.h>
#include <string.h>

#include "cohort-json-strict.h"
#include "cohort-protocol-private.h"
#include "cohort-text-rules.h"

G_DEFINE_QUARK (cohort-protocol-error-quark, cohort_protocol_error)

struct _CohortMessage
{
  gatomicrefcount      ref_count;
  CohortMessageKind    kind;
  char                *name;
  char                *id;
  JsonObject          *body;
  gint64               seq;
  gint64               prev;     /* -1: the previous event was seq - 1 */
  gint64               ts;
  CohortErrorCode      code;
  CohortInvalidReason  reason;
  char                *field;
  char                *message;
};

G_DEFINE_BOXED_TYPE (CohortMessage, cohort_message, cohort_message_ref, cohort_message_unref)

static const char * const error_code_names[] = {
  [COHORT_ERROR_INVALID] = "invalid",
  [COHORT_ERROR_UNSUPPORTED_VERSION] = "unsupported_version",
  [COHORT_ERROR_UNAUTHORIZED] = "unauthorized",
  [COHORT_ERROR_NOT_FOUND] = "not_found",
  [COHORT_ERROR_FORBIDDEN] = "forbidden",
  [COHORT_ERROR_NOT_JOINED] = "not_joined",
  [COHORT_ERROR_RATE_LIMITED] = "rate_limited",
  [COHORT_ERROR_INTERNAL] = "internal",
  /* ai */
  [COHORT_ERROR_AI_NOT_CONFIGURED] = "ai_not_configured",
  [COHORT_ERROR_AI_DISABLED] = "ai_disabled",
  [COHORT_ERROR_AI_QUIZ_LOCK] = "ai_quiz_lock",
  [COHORT_ERROR_AI_QUOTA] = "ai_quota",
  [COHORT_ERROR_AI_BUSY] = "ai_busy",
  [COHORT_ERROR_AI_UNAVAILABLE] = "ai_unavailable",
  [COHORT_ERROR_AI_TIMEOUT] = "ai_timeout",
  /* quiz */
  [COHORT_ERROR_QUIZ_CLOSED] = "quiz_closed",
};

static const char * const reason_names[] = {
  [COHORT_INVALID_NONE] = NULL,
  [COHORT_INVALID_TOO_LARGE] = "too_large",
  [COHORT_INVALID_BINARY_FRAME] = "binary_frame",
  [COHORT_INVALID_BAD_JSON] = "bad_json",
  [COHORT_INVALID_NOT_OBJECT] = "not_object",
  [COHORT_INVALID_UNKNOWN_TYPE] = "unknown_type",
  [COHORT_INVALID_MISSING_FIELD] = "missing_field",
  [COHORT_INVALID_WRONG_TYPE] = "wrong_type",
  [COHORT_INVALID_OUT_OF_RANGE] = "out_of_range",
  [COHORT_INVALID_BAD_TEXT] = "bad_text",
  [COHORT_INVALID_ALREADY_JOINED] = "already_joined",
  [COHORT_INVALID_NO_STAFF] = "no_staff",
};

const char *
cohort_error_code_to_string (CohortErrorCode code)
{
  if ((guint) code >= G_N_ELEMENTS (error_code_names))
    return "internal";

  return error_code_names[code];
}

gboolean
cohort_error_code_from_string (const char      *str,
                               CohortErrorCode *out_code)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (error_code_names); i++)
    {
      if (g_strcmp0 (error_code_names[i], str) == 0)
        {
          if (out_code != NULL)
            *out_code = (CohortErrorCode) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
cohort_invalid_reason_to_string (CohortInvalidReason reason)
{
  if ((guint) reason >= G_N_ELEMENTS (reason_names))
    return NULL;

  return reason_names[reason];
}

static CohortInvalidReason
invalid_reason_from_string (const char *str)
{
  if (str == NULL)
    return COHORT_INVALID_NONE;

  for (guint i = 1; i < G_N_ELEMENTS (reason_names); i++)
    if (g_strcmp0 (reason_names[i], str) == 0)
      return (CohortInvalidReason) i;

  return COHORT_INVALID_NONE;
}

/* The request and event tables. Every rule docs/protocol.md states about a
 * field lives here, so the server, the client and the tests agree. */


static const CohortFieldSpec no_fields[] = { COHORT_END_FIELDS };

static const CohortFieldSpec class_create_fields[] = {
  { "protocol", COHORT_FIELD_VERSION, TRUE, 0, 0 },
  { "title", COHORT_FIELD_TEXT, TRUE, 1, COHORT_MAX_TITLE_CHARS },
  { "name", COHORT_FIELD_TEXT, TRUE, 1, COHORT_MAX_NAME_CHARS },
  /* identity: the server requires it (unauthorized, or reason no_staff) */
  { "staff_credential", COHORT_FIELD_SECRET, FALSE, 0, 0 },
  { "waiting_room", COHORT_FIELD_BOOL, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

/* identity: "code" may be a personal code, and "name" is not needed to
 * sign in by teacher key, staff credential or personal code. */
static const CohortFieldSpec class_join_fields[] = {
  { "protocol", COHORT_FIELD_VERSION, TRUE, 0, 0 },
  { "code", COHORT_FIELD_CUSTOM, TRUE, 0, 0, _cohort_protocol_validate_join_code },
  { "name", COHORT_FIELD_TEXT, FALSE, 1, COHORT_MAX_NAME_CHARS },
  { "teacher_key", COHORT_FIELD_SECRET, FALSE, 0, 0 },
  { "staff_credential", COHORT_FIELD_SECRET, FALSE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec resume_fields[] = {
  { "protocol", COHORT_FIELD_VERSION, TRUE, 0, 0 },
  { "token", COHORT_FIELD_SECRET, TRUE, 0, 0 },
  { "last_seq", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortFieldSpec hand_lower_fields[] = {
  { "participant_id", COHORT_FIELD_INT, FALSE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortMessageSpec request_specs[] = {
  { COHORT_REQ_CLASS_CREATE, TRUE, class_create_fields },
  { COHORT_REQ_CLASS_JOIN, TRUE, class_join_fields },
  { COHORT_REQ_RESUME, TRUE, resume_fields },
  { COHORT_REQ_PING, TRUE, no_fields },
  { COHORT_REQ_CLASS_LEAVE, FALSE, no_fields },
  { COHORT_REQ_HAND_RAISE, FALSE, no_fields },
  { COHORT_REQ_HAND_LOWER, FALSE, hand_lower_fields },
  { COHORT_REQ_HAND_LOWER_ALL, FALSE, no_fields },
};

static const CohortFieldSpec ev_joined_fields[] = {
  { "participant", COHORT_FIELD_PARTICIPANT, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_presence_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "online", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_raised_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "raised_at", COHORT_FIELD_INT, TRUE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_lowered_fields[] = {
  { "participant_id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "by", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortFieldSpec ev_lowered_all_fields[] = {
  { "participant_ids", COHORT_FIELD_INT_ARRAY, TRUE, COHORT_ID_RANGE },
  { "by", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  COHORT_END_FIELDS
};

static const CohortMessageSpec event_specs[] = {
  { COHORT_EV_PARTICIPANT_JOINED, FALSE, ev_joined_fields },
  { COHORT_EV_PARTICIPANT_PRESENCE, FALSE, ev_presence_fields },
  { COHORT_EV_HAND_RAISED, FALSE, ev_raised_fields },
  { COHORT_EV_HAND_LOWERED, FALSE, ev_lowered_fields },
  { COHORT_EV_HAND_LOWERED_ALL, FALSE, ev_lowered_all_fields },
};

static const CohortProtocolTable core_table = {
  request_specs, G_N_ELEMENTS (request_specs),
  event_specs, G_N_ELEMENTS (event_specs),
};

static const CohortProtocolTable * const tables[] = {
  &core_table,
  &_cohort_protocol_media_table,
  &_cohort_protocol_chat_table,
  &_cohort_protocol_quiz_table,
  &_cohort_protocol_groups_table,
  &_cohort_protocol_ai_table,
  &_cohort_protocol_staff_table,
  &_cohort_protocol_admission_table,
  &_cohort_protocol_lesson_table,
  &_cohort_protocol_insights_table,
  &_cohort_protocol_schedule_table,
  &_cohort_protocol_practice_table,
  &_cohort_protocol_voice_table,
};

static const CohortMessageSpec *
find_spec (gboolean    events,
           const char *type)
{
  for (gsize t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      const CohortMessageSpec *specs = events ? tables[t]->events : tables[t]->requests;
      gsize n_specs = events ? tables[t]->n_events : tables[t]->n_requests;

      for (gsize i = 0; i < n_specs; i++)
        if (g_strcmp0 (specs[i].type, type) == 0)
          return &specs[i];
    }

  return NULL;
}

gboolean
cohort_protocol_is_known_request (const char *type)
{
  return find_spec (FALSE, type) != NULL;
}

gboolean
cohort_protocol_is_anonymous_request (const char *type)
{
  const CohortMessageSpec *spec = find_spec (FALSE, type);

  return spec != NULL && spec->anonymous;
}

/* Text */

char *
cohort_protocol_normalize_text (const char  *raw,
                                guint        max_chars,
                                GError     **error)
{
  return cohort_text_clean (raw, COHORT_TEXT_LINE, 1, max_chars, NULL, error);
}

/* Class and personal codes alike: @n_chars characters of the code
 * alphabet, read case-blind, with spaces and dashes as people type them
 * left out. */
char *
_cohort_protocol_normalize_code_chars (const char *raw,
                                       gsize       n_chars)
{
  g_autoptr(GString) code = NULL;

  if (raw == NULL)
    return NULL;

  code = g_string_new (NULL);
  for (const char *p = raw; *p != '\0'; p++)
    {
      char c = g_ascii_toupper (*p);

      if (c == ' ' || c == '-' || c == '\t')
        continue;
      if (strchr (COHORT_CLASS_CODE_ALPHABET, c) == NULL)
        return NULL;
      g_string_append_c (code, c);
      if (code->len > n_chars)
        return NULL;
    }

  if (code->len != n_chars)
    return NULL;

  return g_string_free (g_steal_pointer (&code), FALSE);
}

char *
cohort_protocol_normalize_code (const char *raw)
{
  return _cohort_protocol_normalize_code_chars (raw, COHORT_CLASS_CODE_CHARS);
}

static gboolean
is_valid_secret (const char *secret)
{
  if (strlen (secret) != COHORT_SECRET_CHARS)
    return FALSE;

  for (const char *p = secret; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

gboolean
cohort_protocol_is_secret (const char *text)
{
  return text != NULL && is_valid_secret (text);
}

static gboolean
is_valid_request_id (const char *id)
{
  gsize len = strlen (id);

  if (len < 1 || len > COHORT_MAX_ID_CHARS)
    return FALSE;

  for (const char *p = id; *p != '\0'; p++)
    if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
      return FALSE;

  return TRUE;
}

char *
cohort_protocol_new_request_id (void)
{
  return g_uuid_string_random ();
}

/* Messages */

static CohortMessage *
message_new (CohortMessageKind kind)
{
  CohortMessage *self = g_new0 (CohortMessage, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;

  return self;
}

CohortMessage *
cohort_message_ref (CohortMessage *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
cohort_message_unref (CohortMessage *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  g_free (self->name);
  g_free (self->id);
  g_clear_pointer (&self->body, json_object_unref);
  g_free (self->field);
  g_free (self->message);
  g_free (self);
}

static JsonObject *
body_or_empty (JsonObject *body)
{
  return body != NULL ? json_object_ref (body) : json_object_new ();
}

CohortMessage *
cohort_message_new_request (const char *type,
                            const char *id,
                            JsonObject *body)
{
  CohortMessage *self;

  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);

  self = message_new (COHORT_MESSAGE_REQUEST);
  self->name = g_strdup (type);
  self->id = g_strdup (id);
  self->body = body_or_empty (body);

  return self;
}

CohortMessage *
cohort_message_new_ok (const char *re,
                       JsonObject *body)
{
  CohortMessage *self = message_new (COHORT_MESSAGE_OK);

  self->name = g_strdup ("ok");
  self->id = g_strdup (re);
  self->body = body_or_empty (body);

  return self;
}

CohortMessage *
cohort_message_new_error (const char          *re,
                          CohortErrorCode      code,
                          CohortInvalidReason  reason,
                          const char          *field,
                          const char          *message)
{
  CohortMessage *self = message_new (COHORT_MESSAGE_ERROR);

  self->name = g_strdup ("error");
  self->id = g_strdup (re);
  self->body = json_object_new ();
  self->code = code;
  self->reason = reason;
  self->field = g_strdup (field);
  self->message = g_strdup (message != NULL ? message : cohort_error_code_to_string (code));

  return self;
}

CohortMessage *
cohort_message_new_progress (const char *re,
                             JsonObject *body)
{
  CohortMessage *self;

  g_return_val_if_fail (re != NULL, NULL);

  self = message_new (COHORT_MESSAGE_PROGRESS);
  self->name = g_strdup ("progress");
  self->id = g_strdup (re);
  self->body = body_or_empty (body);

  return self;
}

CohortMessage *
cohort_message_new_event (gint64      seq,
                          gint64      ts,
                          const char *event,
                          JsonObject *body)
{
  CohortMessage *self;

  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (seq >= 1, NULL);

  self = message_new (COHORT_MESSAGE_EVENT);
  self->name = g_strdup (event);
  self->seq = seq;
  self->prev = -1;
  self->ts = ts;
  self->body = body_or_empty (body);

  return self;
}

CohortMessageKind
cohort_message_get_kind (CohortMessage *self)
{
  return self->kind;
}

const char *
cohort_message_get_name (CohortMessage *self)
{
  return self->name;
}

const char *
cohort_message_get_id (CohortMessage *self)
{
  return self->id;
}

JsonObject *
cohort_message_get_body (CohortMessage *self)
{
  return self->body;
}

gint64
cohort_message_get_seq (CohortMessage *self)
{
  return self->seq;
}

gint64
cohort_message_get_prev (CohortMessage *self)
{
  return self->kind == COHORT_MESSAGE_EVENT && self->prev >= 0 ? self->prev : self->seq - 1;
}

void
cohort_message_set_prev (CohortMessage *self,
                         gint64         prev)
{
  g_return_if_fail (self->kind == COHORT_MESSAGE_EVENT);
  g_return_if_fail (prev >= 0 && prev < self->seq);

  self->prev = prev == self->seq - 1 ? -1 : prev;
}

char *
cohort_event_json_with_prev (const char *event_json,
                             gint64      prev)
{
  g_return_val_if_fail (event_json != NULL && event_json[0] == '{', NULL);
  g_return_val_if_fail (prev >= 0, NULL);

  /* The same object with one more member, without parsing it again: the
   * server sends one event to many connections whose "prev" differ. */
  return g_strdup_printf ("{\"prev\":%" G_GINT64_FORMAT ",%s", prev, event_json + 1);
}

gint64
cohort_message_get_ts (CohortMessage *self)
{
  return self->ts;
}

CohortErrorCode
cohort_message_get_error_code (CohortMessage *self)
{
  return self->code;
}

CohortInvalidReason
cohort_message_get_reason (CohortMessage *self)
{
  return self->reason;
}

const char *
cohort_message_get_field (CohortMessage *self)
{
  return self->field;
}

const char *
cohort_message_get_error_message (CohortMessage *self)
{
  return self->message;
}

gboolean
cohort_message_check (CohortMessage  *self,
                      GError        **error)
{
  if (self->kind != COHORT_MESSAGE_ERROR)
    return TRUE;

  g_set_error_literal (error, COHORT_PROTOCOL_ERROR, self->code, self->message);

  return FALSE;
}

char *
cohort_message_to_json (CohortMessage *self,
                        gsize         *length)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  switch (self->kind)
    {
    case COHORT_MESSAGE_REQUEST:
      json_object_set_string_member (root, "type", self->name);
      json_object_set_string_member (root, "id", self->id);
      json_object_set_object_member (root, "body", json_object_ref (self->body));
      break;

    case COHORT_MESSAGE_OK:
      json_object_set_string_member (root, "type", "ok");
      if (self->id != NULL)
        json_object_set_string_member (root, "re", self->id);
      else
        json_object_set_null_member (root, "re");
      json_object_set_object_member (root, "body", json_object_ref (self->body));
      break;

    case COHORT_MESSAGE_ERROR:
      json_object_set_string_member (root, "type", "error");
      if (self->id != NULL)
        json_object_set_string_member (root, "re", self->id);
      else
        json_object_set_null_member (root, "re");
      json_object_set_string_member (root, "code", cohort_error_code_to_string (self->code));
      if (cohort_invalid_reason_to_string (self->reason) != NULL)
        json_object_set_string_member (root, "reason",
                                       cohort_invalid_reason_to_string (self->reason));
      if (self->field != NULL)
        json_object_set_string_member (root, "field", self->field);
      json_object_set_string_member (root, "message", self->message);
      break;

    case COHORT_MESSAGE_PROGRESS:
      json_object_set_string_member (root, "type", "progress");
      json_object_set_string_member (root, "re", self->id);
      json_object_set_object_member (root, "body", json_object_ref (self->body));
      break;

    case COHORT_MESSAGE_EVENT:
      json_object_set_string_member (root, "type", "event");
      if (self->prev >= 0)
        json_object_set_int_member (root, "prev", self->prev);
      json_object_set_int_member (root, "seq", self->seq);
      json_object_set_int_member (root, "ts", self->ts);
      json_object_set_string_member (root, "event", self->name);
      json_object_set_object_member (root, "body", json_object_ref (self->body));
      break;

    default:
      g_assert_not_reached ();
    }

  json_node_take_object (node, g_steal_pointer (&root));
  json_generator_set_root (generator, node);

  return json_generator_to_data (generator, length);
}

/* Validation */

gboolean
_cohort_protocol_fail (CohortProtocolFailure *failure,
      CohortErrorCode      code,
      CohortInvalidReason  reason,
      const char          *field,
      const char          *format,
      ...)
{
  va_list args;

  failure->code = code;
  failure->reason = reason;
  failure->field = field;
  va_start (args, format);
  g_free (failure->message);
  failure->message = g_strdup_vprintf (format, args);
  va_end (args);

  return FALSE;
}

JsonArray *
_cohort_protocol_require_array (const CohortFieldSpec *spec,
                                JsonNode              *node,
                                CohortProtocolFailure *failure)
{
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_node_get_array (node);
  _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                         "The field “%s” must be an array.", spec->name);
  return NULL;
}

gboolean
_cohort_protocol_validate_object_array (JsonObject            *body,
                                        const CohortFieldSpec *spec,
                                        JsonNode              *node,
                                        CohortProtocolFailure *failure)
{
  JsonArray *array = _cohort_protocol_require_array (spec, node, failure);

  if (array == NULL)
    return FALSE;
  if (spec->max > 0 && json_array_get_length (array) > (guint) spec->max)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_TOO_LARGE,
                                  spec->name, "The field “%s” has too many members.", spec->name);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (!JSON_NODE_HOLDS_OBJECT (json_array_get_element (array, i)))
      return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE,
                                    spec->name, "The field “%s” must hold objects.", spec->name);
  return TRUE;
}

static gboolean
node_is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_bool (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static gboolean validate_participant (JsonObject *object, CohortProtocolFailure *failure);

static gboolean
check_int_range (JsonNode   *node,
                 const char *name,
                 gint64      min,
                 gint64      max,
                 CohortProtocolFailure    *failure)
{
  gint64 value;

  if (!node_is_int (node))
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, name,
                 "The field “%s” must be an integer.", name);

  value = json_node_get_int (node);
  if (value < min || value > max)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, name,
                 "The field “%s” must be between %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT ".",
                 name, min, max);

  return TRUE;
}

/* What the server stored before the text rules: non-empty UTF-8 with no
 * control characters but line breaks, at most @max characters. */
static gboolean
is_stored_text (const char *text,
                gint64      max)
{
  if (*text == '\0' || !g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > max)
    return FALSE;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '\n' && g_unichar_type (c) == G_UNICODE_CONTROL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
validate_field (JsonObject      *body,
                const CohortFieldSpec *spec,
                CohortProtocolFailure         *failure)
{
  JsonNode *node = json_object_get_member (body, spec->name);

  if (node == NULL || (JSON_NODE_HOLDS_NULL (node) && !spec->required))
    {
      if (spec->required)
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_MISSING_FIELD, spec->name,
                     "The field “%s” is required.", spec->name);
      return TRUE;
    }

  switch (spec->kind)
    {
    case COHORT_FIELD_VERSION:
      if (!node_is_int (node))
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                     "The field “%s” must be an integer.", spec->name);
      if (json_node_get_int (node) != COHORT_PROTOCOL_VERSION)
        return _cohort_protocol_fail (failure, COHORT_ERROR_UNSUPPORTED_VERSION, COHORT_INVALID_NONE, spec->name,
                     "Protocol version %" G_GINT64_FORMAT " is not supported; this server speaks version %d.",
                     json_node_get_int (node), COHORT_PROTOCOL_VERSION);
      return TRUE;

    case COHORT_FIELD_INT:
      return check_int_range (node, spec->name, spec->min, spec->max, failure);

    case COHORT_FIELD_BOOL:
      if (!node_is_bool (node))
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                     "The field “%s” must be true or false.", spec->name);
      return TRUE;

    case COHORT_FIELD_TEXT:
    case COHORT_FIELD_LINES:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *text = NULL;
        int reason = COHORT_INVALID_BAD_TEXT;

        if (!node_is_string (node))
          return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                       "The field “%s” must be a string.", spec->name);

        /* The one text rule (docs/protocol.md, "Text rules"), for every
         * text field of every table: a new field gets it by its kind. */
        text = cohort_text_clean (json_node_get_string (node),
                                  spec->kind == COHORT_FIELD_LINES ? COHORT_TEXT_LINES : COHORT_TEXT_LINE,
                                  (guint) spec->min, (guint) spec->max, &reason, &error);
        if (text == NULL && failure->from_server && is_stored_text (json_node_get_string (node), spec->max))
          return TRUE;    /* shown as stored, escaped like any text */
        if (text == NULL)
          return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, reason, spec->name,
                       "The field “%s” was refused: %s", spec->name, error->message);

        json_object_set_string_member (body, spec->name, text);
        return TRUE;
      }

    case COHORT_FIELD_CODE:
      {
        g_autofree char *code = NULL;

        if (!node_is_string (node))
          return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                       "The field “%s” must be a string.", spec->name);

        code = cohort_protocol_normalize_code (json_node_get_string (node));
        if (code == NULL)
          return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, spec->name,
                       "A class code has %d letters and digits.", COHORT_CLASS_CODE_CHARS);

        json_object_set_string_member (body, spec->name, code);
        return TRUE;
      }

    case COHORT_FIELD_SECRET:
      if (!node_is_string (node))
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                     "The field “%s” must be a string.", spec->name);
      if (!is_valid_secret (json_node_get_string (node)))
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, spec->name,
                     "The field “%s” is not a well-formed key.", spec->name);
      return TRUE;

    case COHORT_FIELD_OBJECT:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                     "The field “%s” must be an object.", spec->name);
      return TRUE;

    case COHORT_FIELD_ENUM:
      if (!node_is_string (node))
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                     "The field “%s” must be a string.", spec->name);
      for (const char * const *choice = spec->choices; choice != NULL && *choice != NULL; choice++)
        if (g_str_equal (*choice, json_node_get_string (node)))
          return TRUE;
      return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, spec->name,
                   "The field “%s” has a value this server does not know.", spec->name);

    case COHORT_FIELD_CUSTOM:
      g_assert (spec->validate != NULL);
      return spec->validate (body, spec, node, failure);

    case COHORT_FIELD_PARTICIPANT:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, spec->name,
                     "The field “%s” must be an object.", spec->name);
      return validate_participant (json_node_get_object (node), failure);

    case COHORT_FIELD_INT_ARRAY:
      {
        JsonArray *array;
        guint n;

        if (!(array = _cohort_protocol_require_array (spec, node, failure)))
          return FALSE;
        n = json_array_get_length (array);
        for (guint i = 0; i < n; i++)
          if (!check_int_range (json_array_get_element (array, i), spec->name,
                                spec->min, spec->max, failure))
            return FALSE;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

gboolean
_cohort_protocol_validate_fields (JsonObject      *body,
                 const CohortFieldSpec *fields,
                 CohortProtocolFailure         *failure)
{
  for (const CohortFieldSpec *spec = fields; spec->name != NULL; spec++)
    if (!validate_field (body, spec, failure))
      return FALSE;

  return TRUE;
}

static const CohortFieldSpec participant_fields[] = {
  { "id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "name", COHORT_FIELD_TEXT, TRUE, 1, COHORT_MAX_NAME_CHARS },
  { "online", COHORT_FIELD_BOOL, TRUE, 0, 0 },
  { "hand_raised_at", COHORT_FIELD_INT, FALSE, 0, COHORT_MAX_SAFE_INT },
  COHORT_END_FIELDS
};

static const CohortFieldSpec class_fields[] = {
  { "id", COHORT_FIELD_INT, TRUE, COHORT_ID_RANGE },
  { "code", COHORT_FIELD_CODE, TRUE, 0, 0 },
  { "title", COHORT_FIELD_TEXT, TRUE, 1, COHORT_MAX_TITLE_CHARS },
  COHORT_END_FIELDS
};

static gboolean
validate_participant (JsonObject *object,
                      CohortProtocolFailure    *failure)
{
  JsonNode *role;

  if (!_cohort_protocol_validate_fields (object, participant_fields, failure))
    return FALSE;

  role = json_object_get_member (object, "role");
  if (role == NULL)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_MISSING_FIELD, "role",
                 "The field “role” is required.");
  if (!node_is_string (role))
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, "role",
                 "The field “role” must be a string.");
  if (g_strcmp0 (json_node_get_string (role), "teacher") != 0 &&
      g_strcmp0 (json_node_get_string (role), "student") != 0)
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, "role",
                 "The field “role” must be “teacher” or “student”.");

  return TRUE;
}

static gboolean
failure_to_gerror (CohortProtocolFailure  *failure,
                   GError  **error)
{
  g_set_error_literal (error, COHORT_PROTOCOL_ERROR, failure->code, failure->message);
  g_clear_pointer (&failure->message, g_free);

  return FALSE;
}

gboolean
cohort_protocol_validate_participant (JsonObject  *object,
                                      GError     **error)
{
  CohortProtocolFailure failure = { .from_server = TRUE };

  g_return_val_if_fail (object != NULL, FALSE);

  if (!validate_participant (object, &failure))
    return failure_to_gerror (&failure, error);

  return TRUE;
}

gboolean
cohort_protocol_validate_class (JsonObject  *object,
                                GError     **error)
{
  CohortProtocolFailure failure = { .from_server = TRUE };

  g_return_val_if_fail (object != NULL, FALSE);

  if (!_cohort_protocol_validate_fields (object, class_fields, &failure))
    return failure_to_gerror (&failure, error);

  return TRUE;
}

/* Whether json-glib writes @value back as JSON. It reads 1e999 as
 * infinity, which it then writes as "inf", and writes 2e198 as "2e+198.0"
 * and 5e-91 as "5e-91.0" (it adds ".0" to what printf wrote in exponent
 * form); none of them is JSON (found by fuzz/fuzz-protocol-request.c and
 * fuzz/fuzz-json-strict.c). No field of the protocol is a fraction, and its
 * integers stop at 2^53 - 1. */
gboolean
cohort_protocol_double_writable (double value)
{
  double size = fabs (value);

  return size == 0.0 || (size >= 1e-4 && size < 9007199254740992.0 /* 2^53 */);
}

/* Refuses a frame holding a number json-glib would not write back as JSON:
 * it would be stored, echoed or sent on as it is, and a request accepted
 * once would no longer parse when written out again. Strings need no such
 * walk: cohort_json_strict_check() already refused invalid UTF-8 and lone
 * surrogate escapes before json-glib read the frame. */
static gboolean
check_tree (JsonNode              *root,
            CohortProtocolFailure *failure)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, root);
  while (stack->len > 0)
    {
      JsonNode *node = g_ptr_array_steal_index_fast (stack, stack->len - 1);

      switch (json_node_get_node_type (node))
        {
        case JSON_NODE_OBJECT:
          {
            JsonObjectIter iter;
            JsonNode *member;

            json_object_iter_init (&iter, json_node_get_object (node));
            while (json_object_iter_next (&iter, NULL, &member))
              g_ptr_array_add (stack, member);
          }
          break;

        case JSON_NODE_ARRAY:
          {
            JsonArray *array = json_node_get_array (node);

            for (guint i = 0; i < json_array_get_length (array); i++)
              g_ptr_array_add (stack, json_array_get_element (array, i));
          }
          break;

        case JSON_NODE_VALUE:
          if (json_node_get_value_type (node) == G_TYPE_DOUBLE &&
              !cohort_protocol_double_writable (json_node_get_double (node)))
            return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE,
                                          NULL, "The message holds a number too large or too small to use.");
          break;

        case JSON_NODE_NULL:
        default:
          break;
        }
    }

  return TRUE;
}

static JsonObject *
parse_object (const char  *data,
              gsize        length,
              gsize        max_length,
              CohortProtocolFailure     *failure)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  CohortJsonStrictResult result;
  gsize offset = 0;
  JsonNode *root;

  if (length > max_length)
    {
      _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_TOO_LARGE, NULL,
            "The message is larger than %" G_GSIZE_FORMAT " bytes.", max_length);
      return NULL;
    }

  /* json-glib is lenient (duplicate keys, trailing values, comments, hex
   * numbers, a BOM) and stops strings at an escaped NUL: only what passes
   * the strict check reaches it, so the server runs what any strict reader
   * of the same bytes would see. */
  result = cohort_json_strict_check (data, length, &offset);
  if (result != COHORT_JSON_STRICT_OK)
    {
      CohortInvalidReason reason = COHORT_INVALID_BAD_JSON;

      if (result == COHORT_JSON_STRICT_NOT_OBJECT)
        reason = COHORT_INVALID_NOT_OBJECT;
      else if (result == COHORT_JSON_STRICT_NUL)
        reason = COHORT_INVALID_BAD_TEXT;
      _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, reason, NULL,
            "%s (byte %" G_GSIZE_FORMAT ")", cohort_json_strict_message (result), offset);
      return NULL;
    }

  /* Mutable on purpose: validation stores trimmed text back into the body. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      /* json-glib quotes the string it choked on as it decoded it, and a
       * lone surrogate escape (\ud800) decodes to bytes that are not
       * UTF-8: the reply would be a text frame the client must refuse
       * (found by fuzz/fuzz-protocol-request.c). */
      g_autofree char *reason = g_utf8_make_valid (error->message, -1);

      _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_BAD_JSON, NULL,
            "The message is not valid JSON: %s", reason);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_NOT_OBJECT, NULL,
            "The message must be a JSON object.");
      return NULL;
    }


  return json_object_ref (json_node_get_object (root));
}

static gboolean
get_body (JsonObject  *root,
          JsonObject **out_body,
          CohortProtocolFailure     *failure)
{
  JsonNode *node = json_object_get_member (root, "body");

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      *out_body = json_object_new ();
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return _cohort_protocol_fail (failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, "body",
                 "The field “body” must be an object.");

  *out_body = json_object_ref (json_node_get_object (node));

  return TRUE;
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !node_is_string (node))
    return NULL;

  return json_node_get_string (node);
}

CohortMessage *
cohort_protocol_parse_request (const char     *data,
                               gsize           length,
                               CohortMessage **out_error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(JsonObject) body = NULL;
  CohortProtocolFailure failure = { 0 };
  const CohortMessageSpec *spec;
  const char *id = NULL;
  const char *type;
  JsonNode *node;
  g_autoptr(JsonNode) root_node = NULL;
  CohortMessage *message;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (out_error != NULL, NULL);

  *out_error = NULL;

  root = parse_object (data != NULL ? data : "", length, COHORT_MAX_FRAME_BYTES, &failure);
  if (root == NULL)
    goto failed;

  /* Read the id first so every later error can name the request it answers. */
  node = json_object_get_member (root, "id");
  if (node == NULL)
    {
      _cohort_protocol_fail (&failure, COHORT_ERROR_INVALID, COHORT_INVALID_MISSING_FIELD, "id",
            "The field “id” is required.");
      goto failed;
    }
  if (!node_is_string (node))
    {
      _cohort_protocol_fail (&failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, "id",
            "The field “id” must be a string.");
      goto failed;
    }
  if (!is_valid_request_id (json_node_get_string (node)))
    {
      _cohort_protocol_fail (&failure, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, "id",
            "The field “id” must be 1 to %d printable ASCII characters.", COHORT_MAX_ID_CHARS);
      goto failed;
    }
  id = json_node_get_string (node);

  node = json_object_get_member (root, "type");
  if (node == NULL)
    {
      _cohort_protocol_fail (&failure, COHORT_ERROR_INVALID, COHORT_INVALID_MISSING_FIELD, "type",
            "The field “type” is required.");
      goto failed;
    }
  if (!node_is_string (node))
    {
      _cohort_protocol_fail (&failure, COHORT_ERROR_INVALID, COHORT_INVALID_WRONG_TYPE, "type",
            "The field “type” must be a string.");
      goto failed;
    }
  type = json_node_get_string (node);

  spec = find_spec (FALSE, type);
  if (spec == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (type, MIN (strlen (type), 64));

      _cohort_protocol_fail (&failure, COHORT_ERROR_INVALID, COHORT_INVALID_UNKNOWN_TYPE, "type",
            "Unknown message type “%s”.", shown);
      goto failed;
    }

  if (!get_body (root, &body, &failure))
    goto failed;

  if (!_cohort_protocol_validate_fields (body, spec->fields, &failure))
    goto failed;

  /* After the fields: those a type knows say which one is wrong; this
   * catches what is left, with the id read so the reply can name it. */
  root_node = json_node_init_object (json_node_alloc (), root);
  if (!check_tree (root_node, &failure))
    goto failed;

  message = cohort_message_new_request (type, id, body);

  return message;

failed:
  *out_error = cohort_message_new_error (id, failure.code, failure.reason,
                                         failure.field, failure.message);
  g_free (failure.message);

  return NULL;
}

CohortMessage *
cohort_protocol_parse_server (const char  *data,
                              gsize        length,
                              GError     **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(CohortMessage) message = NULL;
  g_autoptr(JsonNode) root_node = NULL;
  CohortProtocolFailure failure = { .from_server = TRUE };
  const char *type;
  JsonNode *node;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  /* Snapshots may be bigger than a client's frame; allow the hard limit. */
  root = parse_object (data != NULL ? data : "", length, COHORT_HARD_FRAME_BYTES, &failure);
  if (root == NULL)
    {
      failure_to_gerror (&failure, error);
      return NULL;
    }

  root_node = json_node_init_object (json_node_alloc (), root);
  if (!check_tree (root_node, &failure))
    {
      failure_to_gerror (&failure, error);
      return NULL;
    }

  type = get_string_member (root, "type");
  if (type == NULL)
    {
      g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                           "The server sent a message without a type.");
      return NULL;
    }

  if (!get_body (root, &body, &failure))
    {
      failure_to_gerror (&failure, error);
      return NULL;
    }

  if (g_str_equal (type, "ok") || g_str_equal (type, "error"))
    {
      const char *re = NULL;

      node = json_object_get_member (root, "re");
      if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
        {
          if (!node_is_string (node))
            {
              g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                                   "The server sent a reply whose “re” is not a string.");
              return NULL;
            }
          re = json_node_get_string (node);
        }

      if (g_str_equal (type, "ok"))
        message = cohort_message_new_ok (re, body);
      else
        {
          CohortErrorCode code;
          const char *text = get_string_member (root, "message");

          /* An unknown code from a newer server is still an error. */
          if (!cohort_error_code_from_string (get_string_member (root, "code"), &code))
            code = COHORT_ERROR_INTERNAL;

          message = cohort_message_new_error (re, code,
                                              invalid_reason_from_string (get_string_member (root, "reason")),
                                              get_string_member (root, "field"),
                                              text);
        }
    }
  else if (g_str_equal (type, "progress"))
    {
      const char *re = get_string_member (root, "re");

      if (re == NULL)
        {
          g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                               "The server sent progress without a request id.");
          return NULL;
        }
      message = cohort_message_new_progress (re, body);
    }
  else if (g_str_equal (type, "event"))
    {
      const CohortMessageSpec *spec;
      const char *event = get_string_member (root, "event");
      JsonNode *seq = json_object_get_member (root, "seq");
      JsonNode *prev = json_object_get_member (root, "prev");
      JsonNode *ts = json_object_get_member (root, "ts");

      if (event == NULL || seq == NULL || !node_is_int (seq) ||
          json_node_get_int (seq) < 1 || json_node_get_int (seq) > COHORT_MAX_SAFE_INT ||
          (prev != NULL && (!node_is_int (prev) || json_node_get_int (prev) < 0 ||
                            json_node_get_int (prev) >= json_node_get_int (seq))) ||
          (ts != NULL && !node_is_int (ts)))
        {
          g_set_error_literal (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                               "The server sent an event without a valid name, seq or prev.");
          return NULL;
        }

      spec = find_spec (TRUE, event);
      if (spec != NULL && !_cohort_protocol_validate_fields (body, spec->fields, &failure))
        {
          failure_to_gerror (&failure, error);
          return NULL;
        }

      message = cohort_message_new_event (json_node_get_int (seq),
                                          ts != NULL ? json_node_get_int (ts) : 0,
                                          event, body);
      if (prev != NULL)
        cohort_message_set_prev (message, json_node_get_int (prev));
    }
  else
    {
      g_set_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID,
                   "The server sent a message of unknown type.");
      return NULL;
    }

  return g_steal_pointer (&message);
}

/* cohort-protocol.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* docs/protocol.md is the reference for every constant here. */
#define COHORT_PROTOCOL_VERSION     2
#define COHORT_MAX_FRAME_BYTES      (64 * 1024)
#define COHORT_HARD_FRAME_BYTES     (1024 * 1024)
#define COHORT_MAX_ID_CHARS         64
#define COHORT_MAX_NAME_CHARS       64
#define COHORT_MAX_TITLE_CHARS      120
#define COHORT_CLASS_CODE_CHARS     8
#define COHORT_CLASS_CODE_ALPHABET  "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
#define COHORT_SECRET_CHARS         43
#define COHORT_MAX_REPLAY_EVENTS    1000
#define COHORT_MAX_SAFE_INT         ((gint64) 9007199254740991)
#define COHORT_RATE_BURST           100
#define COHORT_RATE_PER_SECOND      50
#define COHORT_FLOOD_LIMIT          200
/* A client gives up on a request it could not send in this time. One it
 * sent (the server may have applied it) it keeps resending until a day
 * before the server forgets replies, so a resend always finds its first
 * answer (docs/protocol.md, "Idempotency"). */
#define COHORT_REQUEST_MAX_AGE_DAYS 7
#define COHORT_REPLY_RETENTION_DAYS (2 * COHORT_REQUEST_MAX_AGE_DAYS)
#define COHORT_SENT_REQUEST_MAX_AGE_DAYS (COHORT_REPLY_RETENTION_DAYS - 1)

/* Request types (client → server). */
#define COHORT_REQ_CLASS_CREATE     "class.create"
#define COHORT_REQ_CLASS_JOIN       "class.join"
#define COHORT_REQ_RESUME           "resume"
#define COHORT_REQ_CLASS_LEAVE      "class.leave"
#define COHORT_REQ_HAND_RAISE       "hand.raise"
#define COHORT_REQ_HAND_LOWER       "hand.lower"
#define COHORT_REQ_HAND_LOWER_ALL   "hand.lower_all"
#define COHORT_REQ_PING             "ping"

/* Event names (server → client, inside {"type": "event"}). */
#define COHORT_EV_PARTICIPANT_JOINED   "participant.joined"
#define COHORT_EV_PARTICIPANT_PRESENCE "participant.presence"
#define COHORT_EV_HAND_RAISED          "hand.raised"
#define COHORT_EV_HAND_LOWERED         "hand.lowered"
#define COHORT_EV_HAND_LOWERED_ALL     "hand.lowered_all"

#define COHORT_PROTOCOL_ERROR (cohort_protocol_error_quark ())
GQuark cohort_protocol_error_quark (void);

/* The GError codes in COHORT_PROTOCOL_ERROR are the wire's error codes. */
typedef enum
{
  COHORT_ERROR_INVALID,
  COHORT_ERROR_UNSUPPORTED_VERSION,
  COHORT_ERROR_UNAUTHORIZED,
  COHORT_ERROR_NOT_FOUND,
  COHORT_ERROR_FORBIDDEN,
  COHORT_ERROR_NOT_JOINED,
  COHORT_ERROR_RATE_LIMITED,
  COHORT_ERROR_INTERNAL,
  /* ai: the AI helper (docs/protocol-ai.md) */
  COHORT_ERROR_AI_NOT_CONFIGURED,
  COHORT_ERROR_AI_DISABLED,
  COHORT_ERROR_AI_QUIZ_LOCK,
  COHORT_ERROR_AI_QUOTA,
  COHORT_ERROR_AI_BUSY,
  COHORT_ERROR_AI_UNAVAILABLE,
  COHORT_ERROR_AI_TIMEOUT,
  /* quiz: an answer after the deadline or to a closed question (docs/protocol-quiz.md) */
  COHORT_ERROR_QUIZ_CLOSED,
  /* scale: another node owns the class; the reply's url names it
   * (docs/architecture-scale.md) */
  COHORT_ERROR_MOVED,
} CohortErrorCode;

typedef enum
{
  COHORT_INVALID_NONE,
  COHORT_INVALID_TOO_LARGE,
  COHORT_INVALID_BINARY_FRAME,
  COHORT_INVALID_BAD_JSON,
  COHORT_INVALID_NOT_OBJECT,
  COHORT_INVALID_UNKNOWN_TYPE,
  COHORT_INVALID_MISSING_FIELD,
  COHORT_INVALID_WRONG_TYPE,
  COHORT_INVALID_OUT_OF_RANGE,
  COHORT_INVALID_BAD_TEXT,
  COHORT_INVALID_ALREADY_JOINED,
  /* with `unauthorized`: the server has no staff account yet */
  COHORT_INVALID_NO_STAFF,
} CohortInvalidReason;

typedef enum
{
  COHORT_MESSAGE_REQUEST,
  COHORT_MESSAGE_OK,
  COHORT_MESSAGE_ERROR,
  COHORT_MESSAGE_EVENT,
  /* Part of a streamed reply ({"type": "progress", "re": id}); not logged. */
  COHORT_MESSAGE_PROGRESS,
} CohortMessageKind;

const char *cohort_error_code_to_string      (CohortErrorCode      code);
gboolean    cohort_error_code_from_string    (const char          *str,
                                              CohortErrorCode     *out_code);
const char *cohort_invalid_reason_to_string  (CohortInvalidReason  reason);

/* TRUE for class.create, class.join, resume and ping. */
gboolean    cohort_protocol_is_anonymous_request (const char *type);
gboolean    cohort_protocol_is_known_request     (const char *type);

/* @raw after the text rules for one line (cohort_text_clean(): trimmed,
 * invisible characters dropped, no control characters), 1..@max_chars
 * characters. Returns the clean copy, or NULL with a COHORT_ERROR_INVALID
 * error whose message is a user-facing sentence. */
char       *cohort_protocol_normalize_text   (const char          *raw,
                                              guint                max_chars,
                                              GError             **error);
/* Upper-cases and drops spaces and dashes; NULL unless the result is a valid
 * class code. */
char       *cohort_protocol_normalize_code   (const char          *raw);
/* TRUE when @text has the form of a token, teacher key or staff credential
 * (43 unpadded base64url characters). */
gboolean    cohort_protocol_is_secret        (const char          *text);
char       *cohort_protocol_new_request_id   (void);

typedef struct _CohortMessage CohortMessage;

#define COHORT_TYPE_MESSAGE (cohort_message_get_type ())
GType              cohort_message_get_type          (void) G_GNUC_CONST;
CohortMessage     *cohort_message_ref               (CohortMessage       *self);
void               cohort_message_unref             (CohortMessage       *self);

/* @body is copied (transfer none) and may be NULL for {}. */
CohortMessage     *cohort_message_new_request       (const char          *type,
                                                     const char          *id,
                                                     JsonObject          *body);
CohortMessage     *cohort_message_new_ok            (const char          *re,
                                                     JsonObject          *body);
CohortMessage     *cohort_message_new_error         (const char          *re,
                                                     CohortErrorCode      code,
                                                     CohortInvalidReason  reason,
                                                     const char          *field,
                                                     const char          *message);
/* The `moved` error: the class is served at @url (ws:// or wss://). */
CohortMessage     *cohort_message_new_moved         (const char          *re,
                                                     const char          *url);
CohortMessage     *cohort_message_new_progress      (const char          *re,
                                                     JsonObject          *body);
CohortMessage     *cohort_message_new_event         (gint64               seq,
                                                     gint64               ts,
                                                     const char          *event,
                                                     JsonObject          *body);

CohortMessageKind  cohort_message_get_kind          (CohortMessage       *self);
/* The request type, or the event name for events, "ok" or "error". */
const char        *cohort_message_get_name          (CohortMessage       *self);
/* The request's id, or the reply's "re" (may be NULL). */
const char        *cohort_message_get_id            (CohortMessage       *self);
/* Never NULL; owned by the message. */
JsonObject        *cohort_message_get_body          (CohortMessage       *self);
gint64             cohort_message_get_seq           (CohortMessage       *self);
/* For an event: the seq of the previous event this connection was sent
 * (seq - 1 unless the server says otherwise: events for other participants
 * in between are not sent). */
gint64             cohort_message_get_prev          (CohortMessage       *self);
void               cohort_message_set_prev          (CohortMessage       *self,
                                                     gint64               prev);
gint64             cohort_message_get_ts            (CohortMessage       *self);
CohortErrorCode    cohort_message_get_error_code    (CohortMessage       *self);
CohortInvalidReason cohort_message_get_reason       (CohortMessage       *self);
const char        *cohort_message_get_field         (CohortMessage       *self);
const char        *cohort_message_get_error_message (CohortMessage       *self);
/* For a `moved` error: where the class is served; else NULL. */
const char        *cohort_message_get_url           (CohortMessage       *self);
/* For an error reply: sets @error (COHORT_PROTOCOL_ERROR) and returns FALSE.
 * For anything else returns TRUE. */
gboolean           cohort_message_check             (CohortMessage       *self,
                                                     GError             **error);

/* Checks a protocol "participant" / "class" object (types and ranges), for
 * bodies the client receives. */
gboolean           cohort_protocol_validate_participant (JsonObject     *object,
                                                         GError        **error);
gboolean           cohort_protocol_validate_class   (JsonObject          *object,
                                                     GError             **error);

char              *cohort_message_to_json           (CohortMessage       *self,
                                                     gsize               *length);
/* @event_json (an event from cohort_message_to_json, without "prev") with
 * "prev" set to @prev. */
char              *cohort_event_json_with_prev      (const char          *event_json,
                                                     gint64               prev);

/* Server side: parses and validates one client frame against the request
 * table (types, required fields, JSON types, ranges, text rules). Text
 * fields come back trimmed. On failure returns NULL and sets @out_error to
 * the error reply to send (its "re" is the request id when one was
 * readable). */
CohortMessage     *cohort_protocol_parse_request    (const char          *data,
                                                     gsize                length,
                                                     CohortMessage      **out_error);

/* Client side: parses one server frame (ok, error or event) and validates
 * the envelope and the bodies of known events. Unknown events pass through
 * so that older clients keep working. */
CohortMessage     *cohort_protocol_parse_server     (const char          *data,
                                                     gsize                length,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortMessage, cohort_message_unref)

/* Whether json-glib writes @value back as JSON: 0, or 1e-4 ≤ |value| < 2^53
 * (it writes 2e198 as "2e+198.0", which is not). Frames holding any other
 * number are refused with out_of_range. */
gboolean cohort_protocol_double_writable (double value);

G_END_DECLS

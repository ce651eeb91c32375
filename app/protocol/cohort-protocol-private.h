/* cohort-protocol-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-protocol.h"

G_BEGIN_DECLS

/* The message tables. Each feature keeps its requests and events in its own
 * app/protocol/cohort-<feature>-protocol.c, listed in cohort-protocol.c; every rule
 * docs/protocol.md states about a field lives in these tables, so the
 * server, the client and the tests agree. */

typedef enum
{
  COHORT_FIELD_VERSION,
  COHORT_FIELD_INT,
  COHORT_FIELD_BOOL,
  /* Human-readable text on one line, min..max characters after the text
   * rules (cohort_text_clean()); stored back clean. The kind for every
   * name, title, reason or other text people read. */
  COHORT_FIELD_TEXT,
  /* The same on several lines (notes, answers). */
  COHORT_FIELD_LINES,
  COHORT_FIELD_CODE,
  COHORT_FIELD_SECRET,
  COHORT_FIELD_OBJECT,
  COHORT_FIELD_INT_ARRAY,
  COHORT_FIELD_PARTICIPANT,
  /* A string whose value is one of the NULL-terminated list in `choices`. */
  COHORT_FIELD_ENUM,
  /* Checked by the spec's `validate` function. */
  COHORT_FIELD_CUSTOM,
} CohortFieldKind;

typedef struct
{
  CohortErrorCode     code;
  CohortInvalidReason reason;
  const char         *field;
  char               *message;
  /* Checking what the server sent (the client side): text fields are
   * cleaned but not refused, since text stored before the text rules
   * existed must not make a class unreadable. */
  gboolean            from_server;
} CohortProtocolFailure;

/* A typed code of @n_chars characters of COHORT_CLASS_CODE_ALPHABET in
 * canonical form, or NULL: the class code's and the personal code's rule. */
char *_cohort_protocol_normalize_code_chars (const char *raw,
                                             gsize       n_chars);

typedef struct _CohortFieldSpec CohortFieldSpec;

/* May rewrite the member in @body (normalised text, say). Returns FALSE and
 * fills @failure through _cohort_protocol_fail() when the value is wrong. */
typedef gboolean (*CohortFieldValidator) (JsonObject            *body,
                                          const CohortFieldSpec *spec,
                                          JsonNode              *node,
                                          CohortProtocolFailure *failure);

struct _CohortFieldSpec
{
  const char           *name;
  CohortFieldKind       kind;
  gboolean              required;
  gint64                min;
  gint64                max;
  CohortFieldValidator  validate;
  const char * const   *choices;
};

typedef struct
{
  const char            *type;
  gboolean               anonymous;
  const CohortFieldSpec *fields;
} CohortMessageSpec;

typedef struct
{
  const CohortMessageSpec *requests;
  gsize                    n_requests;
  const CohortMessageSpec *events;
  gsize                    n_events;
} CohortProtocolTable;

#define COHORT_END_FIELDS { NULL, 0, FALSE, 0, 0, NULL, NULL }
#define COHORT_ID_RANGE   1, COHORT_MAX_SAFE_INT

extern const CohortProtocolTable _cohort_protocol_media_table;
extern const CohortProtocolTable _cohort_protocol_chat_table;
extern const CohortProtocolTable _cohort_protocol_quiz_table;
extern const CohortProtocolTable _cohort_protocol_groups_table;
extern const CohortProtocolTable _cohort_protocol_ai_table;
extern const CohortProtocolTable _cohort_protocol_staff_table;
extern const CohortProtocolTable _cohort_protocol_admission_table;
extern const CohortProtocolTable _cohort_protocol_lesson_table;
extern const CohortProtocolTable _cohort_protocol_insights_table;
extern const CohortProtocolTable _cohort_protocol_schedule_table;
extern const CohortProtocolTable _cohort_protocol_practice_table;
extern const CohortProtocolTable _cohort_protocol_voice_table;

/* class.join's code: a class code or a personal code (cohort-identity-protocol.c). */
gboolean _cohort_protocol_validate_join_code (JsonObject            *body,
                                              const CohortFieldSpec *spec,
                                              JsonNode              *node,
                                              CohortProtocolFailure *failure);

/* A quiz answer's shape: an int, an int array, a bool or a text
 * (cohort-quiz-protocol.c); quiz.answer and practice.answer share it. */
gboolean _cohort_protocol_validate_quiz_answer (JsonObject            *body,
                                                const CohortFieldSpec *spec,
                                                JsonNode              *node,
                                                CohortProtocolFailure *failure);
/* An SDP blob and a list of ICE candidates (cohort-media-protocol.c),
 * for the media and the voice requests alike. */
gboolean _cohort_protocol_validate_sdp        (JsonObject            *body,
                                               const CohortFieldSpec *spec,
                                               JsonNode              *node,
                                               CohortProtocolFailure *failure);
gboolean _cohort_protocol_validate_candidates (JsonObject            *body,
                                               const CohortFieldSpec *spec,
                                               JsonNode              *node,
                                               CohortProtocolFailure *failure);

/* @node as an array, or NULL with @failure set. */
JsonArray *_cohort_protocol_require_array (const CohortFieldSpec *spec,
                                           JsonNode              *node,
                                           CohortProtocolFailure *failure);
/* A COHORT_FIELD_CUSTOM validator: an array of objects, at most spec->max
 * of them when spec->max is not 0. */
gboolean _cohort_protocol_validate_object_array (JsonObject            *body,
                                                 const CohortFieldSpec *spec,
                                                 JsonNode              *node,
                                                 CohortProtocolFailure *failure);

gboolean _cohort_protocol_fail            (CohortProtocolFailure *failure,
                                           CohortErrorCode        code,
                                           CohortInvalidReason    reason,
                                           const char            *field,
                                           const char            *format,
                                           ...) G_GNUC_PRINTF (5, 6);
gboolean _cohort_protocol_validate_fields (JsonObject            *body,
                                           const CohortFieldSpec *fields,
                                           CohortProtocolFailure *failure);

G_END_DECLS

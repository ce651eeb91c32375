/* cohort-json-strict.h: a strict RFC 8259 check run before json-glib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How deep objects and arrays may nest in one frame (docs/protocol.md). */
#define COHORT_JSON_MAX_DEPTH 32
/* How many members one object may have (docs/protocol.md). No object of
 * the protocol has more than a few dozen; the cap bounds what crafted
 * keys whose hashes collide cost json-glib's member table (quadratic in
 * the members of one object). */
#define COHORT_JSON_MAX_MEMBERS 128

typedef enum
{
  COHORT_JSON_STRICT_OK,
  /* Not RFC 8259 JSON: a syntax error, a BOM, a comment, a hex number… */
  COHORT_JSON_STRICT_SYNTAX,
  /* More than one value, or something after the value. */
  COHORT_JSON_STRICT_TRAILING,
  /* The bytes are not UTF-8, or a \u escape is a lone surrogate. */
  COHORT_JSON_STRICT_BAD_UNICODE,
  /* A string holds a NUL (\u0000). */
  COHORT_JSON_STRICT_NUL,
  /* An object names one member twice. */
  COHORT_JSON_STRICT_DUPLICATE_KEY,
  COHORT_JSON_STRICT_TOO_DEEP,
  /* Well-formed JSON whose value is not an object. */
  COHORT_JSON_STRICT_NOT_OBJECT,
  /* An object has more than COHORT_JSON_MAX_MEMBERS members. */
  COHORT_JSON_STRICT_TOO_MANY_MEMBERS,
  /* An integer outside -2^63 … 2^63 - 1, which json-glib reads wrapped. */
  COHORT_JSON_STRICT_NUMBER_RANGE,
} CohortJsonStrictResult;

/* Checks that @data (@length bytes, not NUL-terminated) is exactly one
 * RFC 8259 JSON object with optional white space around it: strict
 * grammar, valid UTF-8, no NUL and no lone surrogate in any string, no
 * member name twice in any object, at most COHORT_JSON_MAX_MEMBERS members
 * in one object, no integer outside -2^63 … 2^63 - 1, at most
 * COHORT_JSON_MAX_DEPTH levels.
 * A pure function over bytes (no global state), so a fuzzer can drive it.
 * @out_offset (may be NULL) gets the byte offset of the first fault. */
CohortJsonStrictResult cohort_json_strict_check   (const char *data,
                                                   gsize       length,
                                                   gsize      *out_offset);
/* A sentence for the result, for error replies and logs. */
const char            *cohort_json_strict_message (CohortJsonStrictResult result);
/* Appends @text (UTF-8) to @out as a JSON string literal, quotes
 * included: for replies written as text rather than built with json-glib. */
void                   cohort_json_append_string  (GString    *out,
                                                   const char *text);
/* Appends @value as a JSON number: the same text as printf's
 * "%" G_GINT64_FORMAT, without printf's cost (a 1,000-student table has
 * hundreds of thousands). */
void                   cohort_json_append_int     (GString    *out,
                                                   gint64      value);

G_END_DECLS

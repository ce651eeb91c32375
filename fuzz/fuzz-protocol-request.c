/* fuzz-protocol-request.c: the server's parser of client frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-fuzz"

#include "config.h"

#include <string.h>

#include "cohort-protocol.h"
#include "fuzz-common.h"
#include "fuzz-json.h"

static gboolean
is_printable_id (const char *id)
{
  gsize len = strlen (id);

  if (len < 1 || len > COHORT_MAX_ID_CHARS)
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
      return FALSE;
  return TRUE;
}

/* Invariants:
 * - exactly one of a request and an error reply comes back;
 * - a request has a known type and a valid id, and once serialised it
 *   parses again to the same type, id and body, and serialises to the same
 *   bytes (validation is idempotent: trimmed text stays as it is);
 * - an error reply, as the client reads it, keeps its code, reason, field
 *   and "re", and "re" is the request's id only when that id was valid. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CohortMessage) request = NULL;
  g_autoptr(CohortMessage) error_reply = NULL;

  fuzz_init_once ();

  request = cohort_protocol_parse_request ((const char *) data, size, &error_reply);
  FUZZ_CHECK ((request == NULL) != (error_reply == NULL), "one request or one error");

  if (request != NULL)
    {
      g_autoptr(CohortMessage) again = NULL;
      g_autoptr(CohortMessage) again_error = NULL;
      g_autofree char *json = NULL;
      g_autofree char *json_again = NULL;
      gsize length;

      FUZZ_CHECK (cohort_message_get_kind (request) == COHORT_MESSAGE_REQUEST, "kind");
      FUZZ_CHECK (cohort_protocol_is_known_request (cohort_message_get_name (request)),
                  "known type");
      FUZZ_CHECK (is_printable_id (cohort_message_get_id (request)), "valid id");

      json = cohort_message_to_json (request, &length);
      FUZZ_CHECK (memchr (json, '\n', length) == NULL, "no raw newline on the wire");
      again = cohort_protocol_parse_request (json, length, &again_error);
      FUZZ_CHECK (again != NULL, "a parsed request parses again once serialised");
      FUZZ_CHECK (g_str_equal (cohort_message_get_name (again), cohort_message_get_name (request)),
                  "same type");
      FUZZ_CHECK (g_str_equal (cohort_message_get_id (again), cohort_message_get_id (request)),
                  "same id");
      FUZZ_CHECK (fuzz_objects_equal (cohort_message_get_body (again), cohort_message_get_body (request)),
                  "same body");
      json_again = cohort_message_to_json (again, NULL);
      FUZZ_CHECK (g_str_equal (json, json_again), "serialising is a fixed point");
    }
  else
    {
      g_autoptr(CohortMessage) seen = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;
      gsize length;
      const char *re = cohort_message_get_id (error_reply);

      FUZZ_CHECK (cohort_message_get_kind (error_reply) == COHORT_MESSAGE_ERROR, "error kind");
      FUZZ_CHECK (re == NULL || is_printable_id (re), "re is a valid id or null");
      FUZZ_CHECK (cohort_message_get_error_message (error_reply) != NULL, "error has a message");
      FUZZ_CHECK (g_utf8_validate (cohort_message_get_error_message (error_reply), -1, NULL),
                  "error message is UTF-8");

      json = cohort_message_to_json (error_reply, &length);
      seen = cohort_protocol_parse_server (json, length, &error);
      FUZZ_CHECK (seen != NULL, "the client reads the error reply");
      FUZZ_CHECK (cohort_message_get_kind (seen) == COHORT_MESSAGE_ERROR, "still an error");
      FUZZ_CHECK (g_strcmp0 (cohort_message_get_id (seen), re) == 0, "same re");
      FUZZ_CHECK (cohort_message_get_error_code (seen) == cohort_message_get_error_code (error_reply),
                  "same code");
      FUZZ_CHECK (cohort_message_get_reason (seen) == cohort_message_get_reason (error_reply),
                  "same reason");
      FUZZ_CHECK (g_strcmp0 (cohort_message_get_field (seen), cohort_message_get_field (error_reply)) == 0,
                  "same field");
      FUZZ_CHECK (g_strcmp0 (cohort_message_get_error_message (seen),
                             cohort_message_get_error_message (error_reply)) == 0,
                  "same message");
    }

  return 0;
}

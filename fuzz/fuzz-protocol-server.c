/* fuzz-protocol-server.c: the client's parser of server frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-fuzz"

#include "config.h"

#include <string.h>

#include "cohort-protocol.h"
#include "fuzz-common.h"
#include "fuzz-json.h"

/* Invariants for one message:
 * - it parses, or fails with a COHORT_PROTOCOL_ERROR error;
 * - an event has 1 <= seq <= 2^53-1 and 0 <= prev < seq;
 * - what parsed, serialised again (cohort_message_to_json, as the server
 *   writes it), parses to the same kind, name, id, seq, prev, ts, body and
 *   error fields, and serialises to the same bytes. */
static void
check_message (const char *data,
               gsize       length)
{
  g_autoptr(CohortMessage) message = NULL;
  g_autoptr(CohortMessage) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_again = NULL;
  gsize json_length;

  message = cohort_protocol_parse_server (data, length, &error);
  if (message == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == COHORT_PROTOCOL_ERROR, "a protocol error");
      FUZZ_CHECK (g_utf8_validate (error->message, -1, NULL), "error message is UTF-8");
      return;
    }
  FUZZ_CHECK (error == NULL, "no error with a message");

  if (cohort_message_get_kind (message) == COHORT_MESSAGE_EVENT)
    {
      gint64 seq = cohort_message_get_seq (message);
      gint64 prev = cohort_message_get_prev (message);

      FUZZ_CHECK (seq >= 1 && seq <= COHORT_MAX_SAFE_INT, "seq in range");
      FUZZ_CHECK (prev >= 0 && prev < seq, "prev before seq");
    }

  json = cohort_message_to_json (message, &json_length);
  FUZZ_CHECK (memchr (json, '\n', json_length) == NULL, "no raw newline: batches split on it");
  again = cohort_protocol_parse_server (json, json_length, &error);
  FUZZ_CHECK (again != NULL, "a parsed message parses again once serialised");

  FUZZ_CHECK (cohort_message_get_kind (again) == cohort_message_get_kind (message), "same kind");
  FUZZ_CHECK (g_str_equal (cohort_message_get_name (again), cohort_message_get_name (message)),
              "same name");
  FUZZ_CHECK (g_strcmp0 (cohort_message_get_id (again), cohort_message_get_id (message)) == 0,
              "same id");
  FUZZ_CHECK (cohort_message_get_seq (again) == cohort_message_get_seq (message), "same seq");
  FUZZ_CHECK (cohort_message_get_prev (again) == cohort_message_get_prev (message), "same prev");
  FUZZ_CHECK (cohort_message_get_ts (again) == cohort_message_get_ts (message), "same ts");
  FUZZ_CHECK (fuzz_objects_equal (cohort_message_get_body (again), cohort_message_get_body (message)),
              "same body");
  if (cohort_message_get_kind (message) == COHORT_MESSAGE_ERROR)
    {
      FUZZ_CHECK (cohort_message_get_error_code (again) == cohort_message_get_error_code (message),
                  "same code");
      FUZZ_CHECK (cohort_message_get_reason (again) == cohort_message_get_reason (message),
                  "same reason");
      FUZZ_CHECK (g_strcmp0 (cohort_message_get_field (again), cohort_message_get_field (message)) == 0,
                  "same field");
      FUZZ_CHECK (g_strcmp0 (cohort_message_get_error_message (again),
                             cohort_message_get_error_message (message)) == 0,
                  "same message");
    }

  json_again = cohort_message_to_json (again, NULL);
  FUZZ_CHECK (g_str_equal (json, json_again), "serialising is a fixed point");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *p = (const char *) data;
  gsize left = size;

  fuzz_init_once ();

  /* A batch frame: one message per line, split as CohortSession splits
   * it (app/core/cohort-session.c, on_message). */
  for (;;)
    {
      const char *newline = memchr (p, '\n', left);
      gsize n = newline != NULL ? (gsize) (newline - p) : left;

      check_message (p, n);
      if (newline == NULL)
        break;
      p += n + 1;
      left -= n + 1;
    }

  return 0;
}

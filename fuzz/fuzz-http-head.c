/* fuzz-http-head.c: the strict HTTP/1.1 request-head parser in front of
 * libsoup (server/cohort-http-head.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-fuzz"

#include "config.h"

#include <string.h>

#include "cohort-http-head.h"
#include "fuzz-common.h"

static gboolean
has_byte (const char *text,
          const char *bytes)
{
  return strpbrk (text, bytes) != NULL;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CohortHttpHead) head = NULL;
  g_autoptr(GError) error = NULL;
  gsize head_length = 0;
  gboolean ok;
  guint n_length = 0;
  gboolean chunked = FALSE;

  fuzz_init_once ();

  ok = cohort_http_head_parse (data, size, &head, &head_length, &error);
  if (!ok)
    {
      FUZZ_CHECK (error != NULL && error->domain == COHORT_HTTP_HEAD_ERROR, "a refusal says why");
      FUZZ_CHECK (head == NULL, "a refusal gives no head");

      /* Incomplete means "so far so good": no prefix of the input may then
       * have been refused, which the gate relies on when it waits for more
       * bytes (a few prefixes, not all, to keep the rate up). */
      if (g_error_matches (error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_INCOMPLETE))
        for (gsize cut = size / 2; cut > 0; cut /= 2)
          {
            g_autoptr(CohortHttpHead) part = NULL;
            g_autoptr(GError) part_error = NULL;
            gsize part_length = 0;

            FUZZ_CHECK (!cohort_http_head_parse (data, cut, &part, &part_length, &part_error) &&
                        g_error_matches (part_error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_INCOMPLETE),
                        "a prefix of an incomplete head is incomplete");
          }
      return 0;
    }

  FUZZ_CHECK (head != NULL, "an accepted head is returned");
  FUZZ_CHECK (head_length >= 4 && head_length <= size && head_length <= COHORT_HTTP_HEAD_MAX_BYTES,
              "the head's length is inside the input and the limit");
  FUZZ_CHECK (memcmp (data + head_length - 4, "\r\n\r\n", 4) == 0, "a head ends with CRLF CRLF");
  FUZZ_CHECK (memchr (data, '\0', head_length) == NULL, "no NUL in an accepted head");
  FUZZ_CHECK (head->target[0] == '/', "the target is origin-form");
  FUZZ_CHECK (head->minor_version <= 1, "HTTP/1.0 or 1.1");
  FUZZ_CHECK (head->headers->len <= COHORT_HTTP_HEAD_MAX_HEADERS, "at most the headers allowed");
  FUZZ_CHECK (!has_byte (head->method, " \t\r\n") && !has_byte (head->target, " \t\r\n"),
              "no white space in the request line's parts");

  for (guint i = 0; i < head->headers->len; i++)
    {
      CohortHttpHeader *header = &g_array_index (head->headers, CohortHttpHeader, i);

      FUZZ_CHECK (header->name[0] != '\0' && !has_byte (header->name, " \t\r\n:"),
                  "a header name is a token");
      FUZZ_CHECK (!has_byte (header->value, "\r\n"), "no line break in a value (no obs-fold)");
      if (g_ascii_strcasecmp (header->name, "Content-Length") == 0)
        n_length++;
      if (g_ascii_strcasecmp (header->name, "Transfer-Encoding") == 0)
        chunked = TRUE;
    }
  FUZZ_CHECK (n_length <= 1, "at most one Content-Length");
  FUZZ_CHECK (!(n_length > 0 && chunked), "never Content-Length with Transfer-Encoding");

  /* Parsing only the head, or the head with anything behind it, gives the
   * same head length: what follows is the body or the first frame. */
  {
    g_autoptr(CohortHttpHead) again = NULL;
    gsize again_length = 0;

    FUZZ_CHECK (cohort_http_head_parse (data, head_length, &again, &again_length, NULL) &&
                again_length == head_length,
                "the head alone parses to the same length");
  }

  return 0;
}

/* fuzz-sse-parser.c: the AI upstream's Server-Sent Events parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-fuzz"

#include "config.h"

#include <string.h>

#include "cohort-sse-parser.h"
#include "fuzz-common.h"

typedef struct
{
  GString  *events;    /* "event name\x01data\x02" for each event */
  guint     n_comments;
  gboolean  ok;
  gint      error_code;
} Outcome;

static void
pop_all (CohortSseParser *parser,
         GString         *events)
{
  char *data;
  char *name;

  while ((data = cohort_sse_parser_pop (parser, &name)) != NULL)
    {
      FUZZ_CHECK (g_utf8_validate (data, -1, NULL), "event data is UTF-8");
      FUZZ_CHECK (name == NULL || g_utf8_validate (name, -1, NULL), "event name is UTF-8");
      g_string_append_printf (events, "%s\x01%s\x02", name ? name : "", data);
      g_free (data);
      g_free (name);
    }
}

/* Feeds @data in pieces whose sizes come from @steps (cycled; 0: all at
 * once), as the upstream does: pop after every piece. */
static void
run (const guint8 *data,
     gsize         size,
     gsize         max_line,
     const guint8 *steps,
     gsize         n_steps,
     Outcome      *out)
{
  g_autoptr(CohortSseParser) parser = cohort_sse_parser_new (max_line);
  g_autoptr(GError) error = NULL;
  gsize offset = 0;
  guint s = 0;

  out->events = g_string_new (NULL);
  out->ok = TRUE;

  while (offset < size)
    {
      gsize piece = size;

      if (n_steps > 0)
        piece = MAX (steps[s % n_steps] % 32, 1);
      s++;
      piece = MIN (piece, size - offset);
      if (!cohort_sse_parser_feed (parser, (const char *) data + offset, piece, &error))
        break;
      offset += piece;
      FUZZ_CHECK (cohort_sse_parser_get_pending_bytes (parser) <= 2 * max_line,
                  "pending bytes stay under twice the line bound");
      pop_all (parser, out->events);
    }

  if (error == NULL && !cohort_sse_parser_finish (parser, &error))
    FUZZ_CHECK (error != NULL, "finish sets an error");

  if (error != NULL)
    {
      FUZZ_CHECK (error->domain == COHORT_SSE_ERROR, "an SSE error");
      out->ok = FALSE;
      out->error_code = error->code;
    }
  pop_all (parser, out->events);
  out->n_comments = cohort_sse_parser_get_n_comments (parser);
}

/* Input: one byte for the line bound (16..271 bytes), one for the number
 * of piece sizes, the piece sizes, then the stream.
 * Invariants:
 * - the bytes the parser holds stay under twice its line bound, whatever
 *   the upstream sends (a line, and the event it is building);
 * - events are valid UTF-8;
 * - the events, comments and the outcome do not depend on where the
 *   stream was split. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  Outcome whole = { 0 };
  Outcome pieces = { 0 };
  gsize max_line;
  gsize n_steps;
  const guint8 *steps;

  fuzz_init_once ();

  if (size < 2)
    return 0;
  max_line = 16 + data[0];
  n_steps = MIN (data[1] % 8, size - 2);
  steps = data + 2;
  data += 2 + n_steps;
  size -= 2 + n_steps;

  run (data, size, max_line, NULL, 0, &whole);
  run (data, size, max_line, steps, n_steps, &pieces);

  FUZZ_CHECK (whole.ok == pieces.ok, "same outcome split or not");
  FUZZ_CHECK (whole.ok || whole.error_code == pieces.error_code, "same error split or not");
  FUZZ_CHECK (g_str_equal (whole.events->str, pieces.events->str), "same events split or not");
  FUZZ_CHECK (whole.n_comments == pieces.n_comments, "same comments split or not");

  g_string_free (whole.events, TRUE);
  g_string_free (pieces.events, TRUE);

  return 0;
}

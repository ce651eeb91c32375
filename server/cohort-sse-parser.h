/* cohort-sse-parser.h: a Server-Sent Events parser fed with raw bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define COHORT_SSE_ERROR (cohort_sse_error_quark ())
GQuark cohort_sse_error_quark (void);

typedef enum
{
  COHORT_SSE_ERROR_LINE_TOO_LONG,
  COHORT_SSE_ERROR_BAD_UTF8,
  COHORT_SSE_ERROR_EVENT_TOO_LARGE,
} CohortSseError;

/* Follows the WHATWG event-stream rules: lines end with LF, CR or CR LF,
 * fields are "name: value", lines starting with ':' are comments
 * (keep-alives), "data" lines accumulate until a blank line dispatches the
 * event. Bytes may be fed in chunks split anywhere, inside a line, inside a
 * CR LF pair or inside a UTF-8 character: nothing is interpreted until a
 * whole line is there. Complete events queue up until popped. */
#define COHORT_TYPE_SSE_PARSER (cohort_sse_parser_get_type ())
G_DECLARE_FINAL_TYPE (CohortSseParser, cohort_sse_parser, COHORT, SSE_PARSER, GObject)

/* @max_line_bytes bounds the memory a parser holds: a longer "data" line
 * or comment keeps its first @max_line_bytes (cut at a character) and
 * drops the rest, and so does an event's data over all its lines; the
 * event is then popped as truncated. Any other line that long, or an
 * event name that long, is an error (0: 1 MiB). */
CohortSseParser *cohort_sse_parser_new             (gsize             max_line_bytes);
gboolean         cohort_sse_parser_feed            (CohortSseParser  *self,
                                                    const char       *data,
                                                    gsize             length,
                                                    GError          **error);
/* End of stream: a last line without its newline and an event without its
 * blank line are dispatched. */
gboolean         cohort_sse_parser_finish          (CohortSseParser  *self,
                                                    GError          **error);
/* The next complete event's data (transfer full), or NULL. @out_event gets
 * its "event" field (NULL for the default "message"). */
char            *cohort_sse_parser_pop             (CohortSseParser  *self,
                                                    char            **out_event);
/* Like cohort_sse_parser_pop(); @out_truncated: the data was cut at the
 * limit. */
char            *cohort_sse_parser_pop_full        (CohortSseParser  *self,
                                                    char            **out_event,
                                                    gboolean         *out_truncated);
guint            cohort_sse_parser_get_n_comments  (CohortSseParser  *self);
/* The bytes held for the line and the event not yet complete (popped
 * events aside): at most twice @max_line_bytes. */
gsize            cohort_sse_parser_get_pending_bytes (CohortSseParser *self);

G_END_DECLS

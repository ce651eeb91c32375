/* cohort-ai-chunk.h: one chat-completions stream chunk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What one SSE event of a streaming POST /v1/chat/completions means. */
typedef struct
{
  gboolean  done;               /* data: [DONE] */
  char     *content;            /* choices[0].delta.content, may be NULL */
  gboolean  reasoning;          /* a non-empty delta.reasoning_content or
                                 * delta.reasoning: the model is thinking
                                 * (its text is not kept) */
  char     *finish_reason;      /* choices[0].finish_reason, may be NULL */
  gboolean  has_usage;
  gint64    prompt_tokens;
  gint64    completion_tokens;
  gboolean  is_error;           /* {"error": …} or {"object": "error"} */
  char     *error_type;         /* error.type or error.code, may be NULL */
  char     *error_message;      /* for the server log only: may quote secrets */
} CohortAiChunk;

void     cohort_ai_chunk_clear (CohortAiChunk *chunk);
/* FALSE with @error (G_IO_ERROR_INVALID_DATA) when @data is not a JSON
 * object or its members have the wrong types. */
gboolean cohort_ai_chunk_parse (const char    *data,
                                CohortAiChunk *out,
                                GError       **error);
/* A whole non-streamed answer (a chat.completion object):
 * choices[0].message.content becomes @out's content. */
gboolean cohort_ai_chunk_parse_completion (const char    *data,
                                           CohortAiChunk *out,
                                           GError       **error);
/* The start of choices[0].<@holder>.content ("delta" or "message") in
 * JSON that was cut off (an event or a body over the size limit): the
 * string's characters up to where the JSON stops, decoded and valid
 * UTF-8. NULL when the cut JSON holds no such string. */
char    *cohort_ai_chunk_content_prefix (const char   *data,
                                         gsize         length,
                                         const char   *holder);

G_END_DECLS

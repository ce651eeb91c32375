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
  char     *finish_reason;      /* choices[0].finish_reason, may be NULL */
  gboolean  has_usage;
  gint64    prompt_tokens;
  gint64    completion_tokens;
  gboolean  is_error;           /* {"error": …} */
  char     *error_type;         /* error.type or error.code, may be NULL */
  char     *error_message;      /* for the server log only: may quote secrets */
} CohortAiChunk;

void     cohort_ai_chunk_clear (CohortAiChunk *chunk);
/* FALSE with @error (G_IO_ERROR_INVALID_DATA) when @data is not a JSON
 * object or its members have the wrong types. */
gboolean cohort_ai_chunk_parse (const char    *data,
                                CohortAiChunk *out,
                                GError       **error);

G_END_DECLS

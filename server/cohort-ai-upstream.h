/* cohort-ai-upstream.h: one streaming chat-completions request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cohort-ai-config.h"

G_BEGIN_DECLS

/* POST {base}/v1/chat/completions with "stream": true, read incrementally
 * on the main context (a whole application/json answer is accepted too).
 * Emits ::thinking at most once while a reasoning model works before its
 * first token, ::delta for each piece of answer text as it arrives, then
 * ::finished exactly once, unless cancelled with
 * cohort_ai_upstream_cancel(), after which it emits nothing.
 *
 * ::finished's error is a COHORT_PROTOCOL_ERROR whose code is one of the
 * ai_* wire codes and whose message is safe to show to a student: it never
 * quotes the upstream's words, which may echo the API key. */
#define COHORT_TYPE_AI_UPSTREAM (cohort_ai_upstream_get_type ())
G_DECLARE_FINAL_TYPE (CohortAiUpstream, cohort_ai_upstream, COHORT, AI_UPSTREAM, GObject)

CohortAiUpstream *cohort_ai_upstream_new     (SoupSession          *session,
                                              const CohortAiConfig *config);
/* @messages: the chat messages ({"role", "content"}), referenced. */
void              cohort_ai_upstream_start   (CohortAiUpstream     *self,
                                              JsonArray            *messages);
/* Aborts the upstream request now; closes its connection. */
void              cohort_ai_upstream_cancel  (CohortAiUpstream     *self);
/* Monotonic µs when the first content arrived (0: none yet). */
gint64            cohort_ai_upstream_get_first_token_time (CohortAiUpstream *self);
gint64            cohort_ai_upstream_get_completion_tokens (CohortAiUpstream *self);
/* Why ::finished said "cut_short" (for the log; never quotes the key). */
const char       *cohort_ai_upstream_get_cut_reason (CohortAiUpstream *self);

G_END_DECLS

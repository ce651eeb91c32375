/* cohort-fake-llm.h: a local OpenAI-compatible streaming endpoint for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* POST /v1/chat/completions answered with Server-Sent Events, by a
 * SoupServer on its own thread and main context, so that the test's main
 * loop can block without stalling it. What it answers is the scenario set
 * last. */
typedef enum
{
  /* "Hello, wörld 你好 …" in pieces of 1 to 7 bytes: chunk boundaries
   * split UTF-8 characters, SSE lines and CR LF pairs; keep-alive comments,
   * a role-only chunk, a finish chunk, a usage chunk, then [DONE]. */
  COHORT_FAKE_LLM_HELLO,
  /* Two tokens, then an {"error": …} object quoting the API key. */
  COHORT_FAKE_LLM_ERROR_OBJECT,
  /* HTTP 401 / 429 / 500 with a JSON body quoting the API key. */
  COHORT_FAKE_LLM_STATUS_401,
  COHORT_FAKE_LLM_STATUS_429,
  COHORT_FAKE_LLM_STATUS_500,
  /* Headers at once, the first token after 3 s. */
  COHORT_FAKE_LLM_SLOW_FIRST_TOKEN,
  /* Tokens, then the body ends without [DONE]. */
  COHORT_FAKE_LLM_NO_DONE,
  /* A token, then "data: {not json". */
  COHORT_FAKE_LLM_BAD_JSON,
  /* "tok0 tok1 …": one token every interval (set_interval, default 10 ms)
   * for the count set with set_n_tokens (default 3000), then [DONE]. */
  COHORT_FAKE_LLM_TOKENS,
  /* A reasoning model: a role chunk, then `reasoning_content` and
   * `reasoning` chunks every 250 ms for 2 s, no content, then "The answer
   * is 42.", a finish chunk and [DONE]. */
  COHORT_FAKE_LLM_REASONING,
  /* Only ": keep-alive" comments every 250 ms for 2 s, then the same
   * answer. */
  COHORT_FAKE_LLM_KEEPALIVE,
  /* Two tokens, then the TCP connection closes without the chunked
   * body's terminator. */
  COHORT_FAKE_LLM_CLOSE_MID_ANSWER,
  /* Two tokens, then "event: error" with a body quoting the API key. */
  COHORT_FAKE_LLM_ERROR_EVENT,
  /* Two tokens, then vLLM's {"object": "error", …} quoting the key, then
   * [DONE]. */
  COHORT_FAKE_LLM_OBJECT_ERROR,
  /* An {"error": …} object before any token. */
  COHORT_FAKE_LLM_ERROR_BEFORE_ANSWER,
  /* Ignores "stream": true: one application/json chat.completion object
   * whose message is "A whole answer at once." */
  COHORT_FAKE_LLM_JSON_ANSWER,
  /* One data line holding a single 1 MiB token ("x" × 1 MiB), a finish
   * chunk and [DONE]. */
  COHORT_FAKE_LLM_HUGE_TOKEN,
  /* Tokens and a finish chunk (stop), then the body ends without [DONE]. */
  COHORT_FAKE_LLM_FINISH_NO_DONE,
} CohortFakeLlmScenario;

typedef struct _CohortFakeLlm CohortFakeLlm;

CohortFakeLlm *cohort_fake_llm_new                (void);
void           cohort_fake_llm_free               (CohortFakeLlm         *self);
/* http://127.0.0.1:PORT */
const char    *cohort_fake_llm_get_base_url       (CohortFakeLlm         *self);
void           cohort_fake_llm_set_scenario       (CohortFakeLlm         *self,
                                                   CohortFakeLlmScenario  scenario);
void           cohort_fake_llm_set_interval       (CohortFakeLlm         *self,
                                                   guint                  interval_ms);
void           cohort_fake_llm_set_n_tokens       (CohortFakeLlm         *self,
                                                   guint                  n_tokens);
/* The answer REASONING, KEEPALIVE and JSON_ANSWER give. */
#define COHORT_FAKE_LLM_LATE_ANSWER "The answer is 42."
#define COHORT_FAKE_LLM_JSON_TEXT   "A whole answer at once."
#define COHORT_FAKE_LLM_HUGE_BYTES  (1024 * 1024)
/* The text the HELLO scenario streams. */
const char    *cohort_fake_llm_hello_text         (void);

/* TOKENS: each token carries the monotonic µs at which it was written
 * ("tok3@T "), so a client in another process can time it (benchmarks). */
void           cohort_fake_llm_set_stamp_tokens   (CohortFakeLlm         *self,
                                                   gboolean               stamp);
guint          cohort_fake_llm_get_n_requests     (CohortFakeLlm         *self);
/* The last request's Authorization header and JSON body (transfer full). */
char          *cohort_fake_llm_dup_last_auth      (CohortFakeLlm         *self);
char          *cohort_fake_llm_dup_last_body      (CohortFakeLlm         *self);
/* Streams still being written. */
guint          cohort_fake_llm_get_n_active       (CohortFakeLlm         *self);
/* Tokens written to every stream so far (benchmarks). */
guint64        cohort_fake_llm_get_n_tokens_sent  (CohortFakeLlm         *self);
/* Monotonic µs at which the last stream ended because the client went
 * away (0: none did). */
gint64         cohort_fake_llm_get_last_abort_time (CohortFakeLlm        *self);
/* Monotonic µs at which TOKENS sent token @index (0: not sent). */
gint64         cohort_fake_llm_get_token_time     (CohortFakeLlm         *self,
                                                   guint                  index);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortFakeLlm, cohort_fake_llm_free)

G_END_DECLS

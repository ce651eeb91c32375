/* cohort-ai-config.h: the [ai] group of the server's keyfile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Read once at startup; see docs/architecture-ai.md for every key. The
 * api_key never leaves this struct except in the Authorization header. */
typedef struct
{
  char   *base_url;                  /* without the trailing /v1/... */
  char   *model;
  char   *api_key;                   /* NULL: no Authorization header */
  guint   connect_timeout_ms;        /* until the response headers */
  guint   first_token_timeout_ms;    /* from the request to the first token */
  guint   total_timeout_ms;          /* the whole answer */
  guint   max_tokens;
  guint   max_prompt_chars;          /* system prompt + history + question */
  guint   history_messages;          /* earlier messages sent as context, at most */
  /* The estimated tokens (cohort_ai_estimate_tokens) of the system
   * prompt, the earlier exchanges and the question together. */
  guint   context_tokens;
  /* Rates and daily quotas; 0: no limit. The teacher's daily_quota can
   * only lower the per-student one. */
  guint   questions_per_minute;      /* per student */
  guint   questions_per_minute_per_class;
  guint   questions_per_minute_per_server;
  guint   max_per_student_per_day;
  guint   max_per_class_per_day;
  guint   max_per_server_per_day;
} CohortAiConfig;

#define COHORT_AI_CONFIG_GROUP "ai"

CohortAiConfig *cohort_ai_config_new_defaults (void);
/* NULL without error when @keyfile has no [ai] group or no base-url. */
CohortAiConfig *cohort_ai_config_load         (GKeyFile        *keyfile,
                                               GError         **error);
CohortAiConfig *cohort_ai_config_copy         (const CohortAiConfig *config);
void            cohort_ai_config_free         (CohortAiConfig  *config);
/* Replaces every occurrence of the key in @text with "[redacted]". */
char           *cohort_ai_config_redact       (const CohortAiConfig *config,
                                               const char      *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortAiConfig, cohort_ai_config_free)

G_END_DECLS

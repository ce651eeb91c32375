/* cohort-ai-prompt.h: what the helper tells the model, and the token
 * estimate its context budget counts in (docs/architecture-ai.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cohort-ai-nudge.h"

G_BEGIN_DECLS

/* Pure functions, no I/O (tests/ai/test-ai-units checks them). */

typedef struct
{
  const char *class_title;
  const char *mode;          /* COHORT_AI_MODE_HINTS or _FULL */
  const char *topic;         /* NULL or "": none */
  const char *notes;
  const char *answer_key;    /* the teacher's "do not reveal" field */
  gboolean    for_teacher;   /* the teacher's own helper: @mode is ignored */
} CohortAiPromptInput;

/* The system prompt. A student in hints mode gets the answer key with
 * the instruction to guide by it without revealing it, and is asked a
 * question back; in full mode the key is left out (it is marked "do not
 * reveal"). The teacher gets a full-answer prompt for preparing lessons,
 * with the key as their own material. */
char  *cohort_ai_prompt_system          (const CohortAiPromptInput *input);

/* Tokens are estimated, not counted (the server has no tokenizer for
 * every model): a run of ASCII characters costs one token per 4
 * characters (rounded up), any other character one token, and each
 * message COHORT_AI_MESSAGE_TOKENS for its role and separators. English
 * is about 4 characters a token and CJK about 1, so the estimate errs on
 * the large side for both. */
#define COHORT_AI_MESSAGE_TOKENS 4
guint  cohort_ai_estimate_tokens        (const char *text);

/* What the model knows of one student for a nudge: only their own. */
typedef struct
{
  const char        *class_title;
  CohortAiNudgeKind  kind;
  guint              streak;
  const char        *lesson_title;   /* LESSON */
  const char        *point_name;     /* PRACTICE: the weak knowledge point */
  const char        *example;        /* the fixed template, for its language */
} CohortAiNudgePromptInput;

/* The nudge's system prompt and the user message holding the facts. */
void   cohort_ai_prompt_nudge           (const CohortAiNudgePromptInput *input,
                                         char                          **out_system,
                                         char                          **out_user);

/* A nudge as the model wrote it, cleaned: one paragraph of at most
 * COHORT_AI_NUDGE_MAX_CHARS characters, or NULL when the text cannot be
 * used (empty, too long, not text), and the template is sent instead. */
#define COHORT_AI_NUDGE_MAX_CHARS 400
char  *cohort_ai_prompt_clean_nudge     (const char *raw);

G_END_DECLS

/* cohort-ai-message.h: one message of a helper conversation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  COHORT_AI_ROLE_USER,
  COHORT_AI_ROLE_ASSISTANT,
} CohortAiRole;

typedef enum
{
  COHORT_AI_MESSAGE_DONE,
  COHORT_AI_MESSAGE_STREAMING,
  COHORT_AI_MESSAGE_STOPPED,
  COHORT_AI_MESSAGE_TRUNCATED,
  COHORT_AI_MESSAGE_FAILED,
  /* The upstream broke off mid-answer: the text is what came. */
  COHORT_AI_MESSAGE_CUT_SHORT,
} CohortAiMessageState;

/* Properties: role, text (grows while streaming), state, error-message,
 * thinking (the model is reasoning and no answer text has come yet;
 * cleared by the first text and when streaming ends), exchange-id (the
 * stored exchange this question or answer belongs to; 0: not stored),
 * withheld (an answer a quiz cut off: its text is kept but not shown
 * until the quiz is over). The streaming-since time (monotonic, µs) is
 * when the answer started streaming, for the time it has been thinking. */
#define COHORT_TYPE_AI_MESSAGE (cohort_ai_message_get_type ())
G_DECLARE_FINAL_TYPE (CohortAiMessage, cohort_ai_message, COHORT, AI_MESSAGE, GObject)

CohortAiMessage      *cohort_ai_message_new               (CohortAiRole          role,
                                                           const char           *text,
                                                           CohortAiMessageState  state);
CohortAiRole          cohort_ai_message_get_role          (CohortAiMessage      *self);
const char           *cohort_ai_message_get_text          (CohortAiMessage      *self);
void                  cohort_ai_message_set_text          (CohortAiMessage      *self,
                                                           const char           *text);
void                  cohort_ai_message_append            (CohortAiMessage      *self,
                                                           const char           *delta);
CohortAiMessageState  cohort_ai_message_get_state         (CohortAiMessage      *self);
void                  cohort_ai_message_set_state         (CohortAiMessage      *self,
                                                           CohortAiMessageState  state);
const char           *cohort_ai_message_get_error_message (CohortAiMessage      *self);
void                  cohort_ai_message_set_error_message (CohortAiMessage      *self,
                                                           const char           *message);
gboolean              cohort_ai_message_get_thinking      (CohortAiMessage      *self);
void                  cohort_ai_message_set_thinking      (CohortAiMessage      *self,
                                                           gboolean              thinking);
gint64                cohort_ai_message_get_exchange_id   (CohortAiMessage      *self);
void                  cohort_ai_message_set_exchange_id   (CohortAiMessage      *self,
                                                           gint64                exchange_id);
gboolean              cohort_ai_message_get_withheld      (CohortAiMessage      *self);
void                  cohort_ai_message_set_withheld      (CohortAiMessage      *self,
                                                           gboolean              withheld);
gint64                cohort_ai_message_get_streaming_since (CohortAiMessage    *self);

G_END_DECLS

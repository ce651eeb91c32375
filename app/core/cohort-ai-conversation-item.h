/* cohort-ai-conversation-item.h: one of the student's conversations with
 * the helper, as listed (ai.conversations)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Properties: id, title, updated-at (ms), n-exchanges. */
#define COHORT_TYPE_AI_CONVERSATION_ITEM (cohort_ai_conversation_item_get_type ())
G_DECLARE_FINAL_TYPE (CohortAiConversationItem, cohort_ai_conversation_item, COHORT, AI_CONVERSATION_ITEM, GObject)

CohortAiConversationItem *cohort_ai_conversation_item_new             (gint64                    id,
                                                                       const char               *title,
                                                                       gint64                    updated_at,
                                                                       gint64                    n_exchanges);
gint64                    cohort_ai_conversation_item_get_id          (CohortAiConversationItem *self);
const char               *cohort_ai_conversation_item_get_title       (CohortAiConversationItem *self);
gint64                    cohort_ai_conversation_item_get_updated_at  (CohortAiConversationItem *self);
gint64                    cohort_ai_conversation_item_get_n_exchanges (CohortAiConversationItem *self);

G_END_DECLS

/* cohort-ai-conversation.h: the student's conversation with the helper
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cohort-ai-message.h"
#include "cohort-session.h"

G_BEGIN_DECLS

typedef enum
{
  COHORT_AI_CONVERSATION_IDLE,
  COHORT_AI_CONVERSATION_STREAMING,
  COHORT_AI_CONVERSATION_ERROR,
} CohortAiConversationState;

/* A GListModel of CohortAiMessage, oldest first, fed by a CohortSession:
 * the history from the server (ai.history) after each welcome, then the
 * questions asked here, whose answers grow from progress-received as the
 * tokens arrive.
 *
 * Properties: session, state, configured (the server has an endpoint),
 * mode ("off", "hints", "full"), topic, notes and answer-key (the
 * teacher's "do not reveal" key; both teacher only), daily-quota
 * (the per-student quota that holds; 0: no limit), max-daily-quota (the
 * server's ceiling for it; 0: none), used-today, error-code (the wire code of the last
 * failure, e.g. "ai_quota"), error-message, has-more-history,
 * conversation-id (the open conversation; 0: a new one, stored with its
 * first answer) and title (its first question's first line).
 *
 * A student has several conversations per class, each its own context
 * upstream: start_new() opens an empty one, open() a past one, listed
 * by get_conversations() (refreshed by refresh_conversations_async()).
 * Only the student's own are ever listed or opened.
 *
 * Nudges: nudges (the class's switch), nudges-enabled (the student's
 * opt-in), nudge-text (what the helper said first, until opened); the
 * signal nudge-received (text) when one arrives. After each welcome a
 * student who opted in asks the server, which decides (ai.nudge). */
#define COHORT_TYPE_AI_CONVERSATION (cohort_ai_conversation_get_type ())
G_DECLARE_FINAL_TYPE (CohortAiConversation, cohort_ai_conversation, COHORT, AI_CONVERSATION, GObject)

CohortAiConversation      *cohort_ai_conversation_new              (CohortSession        *session);
CohortSession             *cohort_ai_conversation_get_session      (CohortAiConversation *self);
CohortAiConversationState  cohort_ai_conversation_get_state        (CohortAiConversation *self);
gboolean                   cohort_ai_conversation_get_configured   (CohortAiConversation *self);
const char                *cohort_ai_conversation_get_mode         (CohortAiConversation *self);
const char                *cohort_ai_conversation_get_topic        (CohortAiConversation *self);
const char                *cohort_ai_conversation_get_notes        (CohortAiConversation *self);
const char                *cohort_ai_conversation_get_answer_key   (CohortAiConversation *self);
gint64                     cohort_ai_conversation_get_daily_quota  (CohortAiConversation *self);
gint64                     cohort_ai_conversation_get_max_daily_quota (CohortAiConversation *self);
gint64                     cohort_ai_conversation_get_used_today   (CohortAiConversation *self);
const char                *cohort_ai_conversation_get_error_code   (CohortAiConversation *self);
const char                *cohort_ai_conversation_get_error_message (CohortAiConversation *self);
/* The id of the ai.ask being answered (NULL when idle). */
const char                *cohort_ai_conversation_get_request_id   (CohortAiConversation *self);

/* Asks @text (trimmed; multi-line). FALSE, changing nothing, while an
 * answer is streaming or when @text is empty. */
gboolean                   cohort_ai_conversation_ask              (CohortAiConversation *self,
                                                                    const char           *text);
/* Stops the answer being streamed; the server aborts the upstream. */
void                       cohort_ai_conversation_stop             (CohortAiConversation *self);
/* Asks the last failed or stopped question again. */
gboolean                   cohort_ai_conversation_retry            (CohortAiConversation *self);
gboolean                   cohort_ai_conversation_can_retry        (CohortAiConversation *self);
/* Asks the question of @answer again; its stored exchange, and those
 * after it, are replaced on the server too. */
gboolean                   cohort_ai_conversation_regenerate       (CohortAiConversation *self,
                                                                    CohortAiMessage      *answer);
/* Asks @text instead of @question (a question of this conversation):
 * the exchange and those after it are replaced. */
gboolean                   cohort_ai_conversation_edit             (CohortAiConversation *self,
                                                                    CohortAiMessage      *question,
                                                                    const char           *text);
/* FALSE while an answer streams. */
gboolean                   cohort_ai_conversation_start_new        (CohortAiConversation *self);
gboolean                   cohort_ai_conversation_open             (CohortAiConversation *self,
                                                                    gint64                conversation_id);
gint64                     cohort_ai_conversation_get_conversation_id (CohortAiConversation *self);
const char                *cohort_ai_conversation_get_title        (CohortAiConversation *self);
/* The student's conversations in this class, last used first
 * (CohortAiConversationItem). */
GListModel                *cohort_ai_conversation_get_conversations (CohortAiConversation *self);
void                       cohort_ai_conversation_refresh_conversations_async  (CohortAiConversation *self,
                                                                                GCancellable         *cancellable,
                                                                                GAsyncReadyCallback   callback,
                                                                                gpointer              user_data);
gboolean                   cohort_ai_conversation_refresh_conversations_finish (CohortAiConversation *self,
                                                                                GAsyncResult         *result,
                                                                                GError              **error);
/* Deletes one (the open one too: the pane then shows a new one). */
void                       cohort_ai_conversation_delete_async     (CohortAiConversation *self,
                                                                    gint64                conversation_id,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
gboolean                   cohort_ai_conversation_delete_finish    (CohortAiConversation *self,
                                                                    GAsyncResult         *result,
                                                                    GError              **error);
const char                *cohort_ai_conversation_get_nudge_text   (CohortAiConversation *self);
gboolean                   cohort_ai_conversation_get_nudges       (CohortAiConversation *self);
gboolean                   cohort_ai_conversation_get_nudges_enabled (CohortAiConversation *self);
gboolean                   cohort_ai_conversation_get_quiz_locked  (CohortAiConversation *self);
/* The student read the nudge: the server counts it opened. */
void                       cohort_ai_conversation_open_nudge       (CohortAiConversation *self);
/* The student's opt-in; @tz their IANA zone (NULL: keep the stored one). */
void                       cohort_ai_conversation_set_nudges_enabled_async  (CohortAiConversation *self,
                                                                             gboolean              enabled,
                                                                             const char           *tz,
                                                                             GCancellable         *cancellable,
                                                                             GAsyncReadyCallback   callback,
                                                                             gpointer              user_data);
gboolean                   cohort_ai_conversation_set_nudges_enabled_finish (CohortAiConversation *self,
                                                                             GAsyncResult         *result,
                                                                             GError              **error);
/* Teacher: the class's switch, and the counts of the last 30 days. */
void                       cohort_ai_conversation_set_class_nudges_async  (CohortAiConversation *self,
                                                                           gboolean              enabled,
                                                                           GCancellable         *cancellable,
                                                                           GAsyncReadyCallback   callback,
                                                                           gpointer              user_data);
gboolean                   cohort_ai_conversation_set_class_nudges_finish (CohortAiConversation *self,
                                                                           GAsyncResult         *result,
                                                                           GError              **error);
void                       cohort_ai_conversation_nudge_stats_async (CohortAiConversation *self,
                                                                     GCancellable         *cancellable,
                                                                     GAsyncReadyCallback   callback,
                                                                     gpointer              user_data);
gboolean                   cohort_ai_conversation_nudge_stats_finish (CohortAiConversation *self,
                                                                      GAsyncResult         *result,
                                                                      gint64               *out_sent,
                                                                      gint64               *out_opened,
                                                                      gint64               *out_came_back,
                                                                      GError              **error);
/* Loads older history (the latest page is loaded after each welcome). */
void                       cohort_ai_conversation_load_more        (CohortAiConversation *self);

/* Teacher */
void                       cohort_ai_conversation_set_policy_async (CohortAiConversation *self,
                                                                    const char           *mode,
                                                                    const char           *topic,
                                                                    const char           *notes,
                                                                    const char           *answer_key,
                                                                    gint64                daily_quota,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
gboolean                   cohort_ai_conversation_set_policy_finish (CohortAiConversation *self,
                                                                    GAsyncResult         *result,
                                                                    GError              **error);
/* The class's anonymous topics, most asked first: *@out_words
 * (NULL-terminated, g_strfreev()) and *@out_counts (as many, g_free()). */
void                       cohort_ai_conversation_list_topics_async (CohortAiConversation *self,
                                                                    GCancellable         *cancellable,
                                                                    GAsyncReadyCallback   callback,
                                                                    gpointer              user_data);
gboolean                   cohort_ai_conversation_list_topics_finish (CohortAiConversation *self,
                                                                    GAsyncResult         *result,
                                                                    char               ***out_words,
                                                                    gint64              **out_counts,
                                                                    GError              **error);

G_END_DECLS

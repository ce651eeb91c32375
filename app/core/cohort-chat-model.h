/* cohort-chat-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-chat-message.h"
#include "cohort-session.h"

G_BEGIN_DECLS

/* The class chat as one client sees it: a GListModel of CohortChatMessage,
 * oldest first, stored messages by id and then this client's own messages
 * still on their way (pending → sent, driven by the outbox reply). It
 * follows a CohortSession: "welcome" resets it and loads the last page of
 * history, "event-received" applies chat.* events.
 *
 * Properties: session, unread-count (messages from others since
 * mark_read), has-more (older history exists), loading, private-enabled,
 * chat-muted (the whole chat), self-muted, danmaku-enabled, pace-too-fast
 * and pace-too-slow (teacher: signals in the last minute), own-pace.
 * Signals: message-received (message, important) for a live message from
 * someone else (important: it mentions you or comes from the teacher),
 * danmaku (message), reaction (participant id, reaction name), failed
 * (sentence) when a moderation or vote request is refused. */
#define COHORT_TYPE_CHAT_MODEL (cohort_chat_model_get_type ())
G_DECLARE_FINAL_TYPE (CohortChatModel, cohort_chat_model, COHORT, CHAT_MODEL, GObject)

CohortChatModel   *cohort_chat_model_new                (CohortSession     *session);
CohortSession     *cohort_chat_model_get_session        (CohortChatModel   *self);

/* Adds a pending message and sends it through the outbox. @channel NULL:
 * the class chat; @to: the recipient of a private message (0: the
 * teacher, for a student). Returns the message (transfer none). */
CohortChatMessage *cohort_chat_model_send               (CohortChatModel   *self,
                                                         const char        *text,
                                                         const char        *channel,
                                                         gint64             to,
                                                         gboolean           question,
                                                         gboolean           danmaku);
/* The teacher (or a student, for a peer's question) answers @question in
 * its thread. */
CohortChatMessage *cohort_chat_model_answer             (CohortChatModel   *self,
                                                         CohortChatMessage *question,
                                                         const char        *text);
/* Sends @text to the group channel of @group_id (its members and the
 * teacher). */
CohortChatMessage *cohort_chat_model_send_group         (CohortChatModel   *self,
                                                         const char        *text,
                                                         gint64             group_id);
/* The teacher marks a student's answer in a question's thread helpful;
 * every client's copy gets helpful = TRUE from the chat.helpful event. */
void               cohort_chat_model_mark_helpful       (CohortChatModel   *self,
                                                         CohortChatMessage *answer);
/* A failed message: send again, or drop it. */
void               cohort_chat_model_retry              (CohortChatModel   *self,
                                                         CohortChatMessage *message);
void               cohort_chat_model_discard            (CohortChatModel   *self,
                                                         CohortChatMessage *message);
void               cohort_chat_model_load_older         (CohortChatModel   *self);
void               cohort_chat_model_delete             (CohortChatModel   *self,
                                                         CohortChatMessage *message);
void               cohort_chat_model_edit               (CohortChatModel   *self,
                                                         CohortChatMessage *message,
                                                         const char        *text);
void               cohort_chat_model_vote               (CohortChatModel   *self,
                                                         CohortChatMessage *message,
                                                         gboolean           vote);
/* @state: "open" or "done". */
void               cohort_chat_model_set_question_state (CohortChatModel   *self,
                                                         CohortChatMessage *message,
                                                         const char        *state);
/* @setting: "private_enabled", "muted" or "danmaku_enabled". */
void               cohort_chat_model_change_setting     (CohortChatModel   *self,
                                                         const char        *setting,
                                                         gboolean           value);
void               cohort_chat_model_mute               (CohortChatModel   *self,
                                                         gint64             participant_id,
                                                         gboolean           muted);
gboolean           cohort_chat_model_is_muted           (CohortChatModel   *self,
                                                         gint64             participant_id);
void               cohort_chat_model_react              (CohortChatModel   *self,
                                                         const char        *reaction);
/* "too_fast", "too_slow" or "ok". */
void               cohort_chat_model_send_pace          (CohortChatModel   *self,
                                                         const char        *pace);
void               cohort_chat_model_mark_read          (CohortChatModel   *self);
CohortChatMessage *cohort_chat_model_lookup             (CohortChatModel   *self,
                                                         gint64             id);

guint              cohort_chat_model_get_unread_count   (CohortChatModel   *self);
gboolean           cohort_chat_model_get_has_more       (CohortChatModel   *self);
gboolean           cohort_chat_model_get_loading        (CohortChatModel   *self);
gboolean           cohort_chat_model_get_private_enabled (CohortChatModel  *self);
gboolean           cohort_chat_model_get_chat_muted     (CohortChatModel   *self);
gboolean           cohort_chat_model_get_self_muted     (CohortChatModel   *self);
gboolean           cohort_chat_model_get_danmaku_enabled (CohortChatModel  *self);
guint              cohort_chat_model_get_pace_too_fast  (CohortChatModel   *self);
guint              cohort_chat_model_get_pace_too_slow  (CohortChatModel   *self);

G_END_DECLS

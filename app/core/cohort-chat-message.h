/* cohort-chat-message.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  /* Sent, not yet stored by the server. */
  COHORT_CHAT_MESSAGE_PENDING,
  /* Stored and seen by the class. */
  COHORT_CHAT_MESSAGE_SENT,
  /* Over the rate limit: sent again by itself after a pause. */
  COHORT_CHAT_MESSAGE_SLOWED,
  /* Refused (muted, too long, …); error-message says why. */
  COHORT_CHAT_MESSAGE_FAILED,
} CohortChatMessageState;

/* One chat message as the client shows it. Properties: id (0 while
 * pending), author-id, author-name, channel, to, group-id, text, ts,
 * client-id, reply-to, question ("none", "open", "answered", "done"),
 * votes, voted, danmaku, edited, deleted, state, error-message, is-own,
 * mentions-self, is-teacher (the author is the teacher), group-id (group
 * channel), helpful (the teacher marked this answer helpful). */
#define COHORT_TYPE_CHAT_MESSAGE (cohort_chat_message_get_type ())
G_DECLARE_FINAL_TYPE (CohortChatMessage, cohort_chat_message, COHORT, CHAT_MESSAGE, GObject)

CohortChatMessage     *cohort_chat_message_new_pending     (const char        *client_id,
                                                            gint64             author_id,
                                                            const char        *author_name,
                                                            const char        *channel,
                                                            gint64             to,
                                                            const char        *text,
                                                            gboolean           question,
                                                            gboolean           danmaku);
/* @object must have passed cohort_chat_validate_message(). */
CohortChatMessage     *cohort_chat_message_new_from_json   (JsonObject        *object);
/* Takes every server field of @object (a newer state of the same message). */
void                   cohort_chat_message_update_from_json (CohortChatMessage *self,
                                                            JsonObject        *object);

gint64                 cohort_chat_message_get_id          (CohortChatMessage *self);
gint64                 cohort_chat_message_get_author_id   (CohortChatMessage *self);
const char            *cohort_chat_message_get_author_name (CohortChatMessage *self);
const char            *cohort_chat_message_get_channel     (CohortChatMessage *self);
gint64                 cohort_chat_message_get_to          (CohortChatMessage *self);
const char            *cohort_chat_message_get_text        (CohortChatMessage *self);
gint64                 cohort_chat_message_get_ts          (CohortChatMessage *self);
const char            *cohort_chat_message_get_client_id   (CohortChatMessage *self);
gint64                 cohort_chat_message_get_reply_to    (CohortChatMessage *self);
const char            *cohort_chat_message_get_question    (CohortChatMessage *self);
gboolean               cohort_chat_message_is_question     (CohortChatMessage *self);
gint64                 cohort_chat_message_get_votes       (CohortChatMessage *self);
gboolean               cohort_chat_message_get_voted       (CohortChatMessage *self);
gboolean               cohort_chat_message_get_danmaku     (CohortChatMessage *self);
gboolean               cohort_chat_message_get_deleted     (CohortChatMessage *self);
gboolean               cohort_chat_message_get_edited      (CohortChatMessage *self);
CohortChatMessageState cohort_chat_message_get_state       (CohortChatMessage *self);
const char            *cohort_chat_message_get_error_message (CohortChatMessage *self);
gboolean               cohort_chat_message_get_is_own      (CohortChatMessage *self);
gboolean               cohort_chat_message_get_mentions_self (CohortChatMessage *self);
gboolean               cohort_chat_message_get_is_teacher  (CohortChatMessage *self);
gboolean               cohort_chat_message_get_is_private  (CohortChatMessage *self);
gint64                 cohort_chat_message_get_group_id    (CohortChatMessage *self);
gboolean               cohort_chat_message_get_helpful     (CohortChatMessage *self);

/* For CohortChatModel. */
void                   cohort_chat_message_set_text        (CohortChatMessage *self,
                                                            const char        *text,
                                                            gboolean           edited);
void                   cohort_chat_message_set_deleted     (CohortChatMessage *self);
void                   cohort_chat_message_set_question    (CohortChatMessage *self,
                                                            const char        *question);
void                   cohort_chat_message_set_votes       (CohortChatMessage *self,
                                                            gint64             votes);
void                   cohort_chat_message_set_voted       (CohortChatMessage *self,
                                                            gboolean           voted);
void                   cohort_chat_message_set_state       (CohortChatMessage *self,
                                                            CohortChatMessageState state,
                                                            const char        *error_message);
void                   cohort_chat_message_set_is_own      (CohortChatMessage *self,
                                                            gboolean           is_own);
void                   cohort_chat_message_set_mentions_self (CohortChatMessage *self,
                                                            gboolean           mentions_self);
void                   cohort_chat_message_set_is_teacher  (CohortChatMessage *self,
                                                            gboolean           is_teacher);
void                   cohort_chat_message_set_group_id    (CohortChatMessage *self,
                                                            gint64             group_id);
void                   cohort_chat_message_set_helpful     (CohortChatMessage *self,
                                                            gboolean           helpful);

G_END_DECLS

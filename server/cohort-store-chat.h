/* cohort-store-chat.h: messages, audiences, votes, settings, mutes and pace
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64    id;
  gint64    class_id;
  gint64    author_id;
  char     *author_name;     /* filled in by reads */
  char     *channel;         /* "class", "private" or "group" */
  gint64    to_id;           /* private: the other participant; else 0 */
  gint64    group_id;        /* group: the group; else 0 */
  char     *text;            /* "" once deleted */
  gint64    ts;
  char     *client_id;       /* may be NULL */
  gint64    reply_to;        /* 0: none */
  char     *question;        /* "none", "open", "answered" or "done" */
  gint64    votes;
  gboolean  voted;           /* reads for a viewer: the viewer voted */
  gboolean  danmaku;
  gint64    edited_at;       /* 0: never */
  gboolean  deleted;
  gboolean  helpful;         /* the teacher marked this answer helpful */
} CohortChatMessageRecord;

typedef struct
{
  gboolean private_enabled;
  gboolean muted;
  gboolean danmaku_enabled;
} CohortChatSettingsRecord;

typedef struct
{
  gint64  participant_id;
  char   *pace;
  gint64  at;
} CohortChatPaceRecord;

void cohort_chat_message_record_free (CohortChatMessageRecord *record);
void cohort_chat_pace_record_free    (CohortChatPaceRecord    *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortChatMessageRecord, cohort_chat_message_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortChatPaceRecord, cohort_chat_pace_record_free)

/* Fills in @record->id. @audience: NULL for the whole class, else the
 * participants who may read it (kept with the message). */
gint64                   cohort_store_chat_add_message    (CohortStore              *self,
                                                           CohortChatMessageRecord  *record,
                                                           const gint64             *audience,
                                                           guint                     n_audience,
                                                           GError                  **error);
/* NULL without error when there is no such message in @class_id or
 * @viewer_id (0: anyone) may not read it. */
CohortChatMessageRecord *cohort_store_chat_get_message    (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        message_id,
                                                           gint64        viewer_id,
                                                           GError      **error);
/* The newest @limit messages @viewer_id may read with id < @before_id
 * (0: no bound), oldest first; stops early past @max_bytes of text.
 * *@out_has_more tells whether older ones exist. */
GPtrArray               *cohort_store_chat_list_messages  (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        viewer_id,
                                                           gint64        before_id,
                                                           guint         limit,
                                                           gsize         max_bytes,
                                                           gboolean     *out_has_more,
                                                           GError      **error);
/* NULL array: the message is for the whole class. */
GArray                  *cohort_store_chat_get_audience   (CohortStore  *self,
                                                           gint64        message_id,
                                                           GError      **error);
gboolean                 cohort_store_chat_edit_message   (CohortStore  *self,
                                                           gint64        message_id,
                                                           const char   *text,
                                                           gint64        edited_at,
                                                           GError      **error);
gboolean                 cohort_store_chat_delete_message (CohortStore  *self,
                                                           gint64        message_id,
                                                           gint64        by,
                                                           GError      **error);
gboolean                 cohort_store_chat_set_question   (CohortStore  *self,
                                                           gint64        message_id,
                                                           const char   *state,
                                                           GError      **error);
/* Returns the new vote count, or -1 with @error set. */
gint64                   cohort_store_chat_set_vote       (CohortStore  *self,
                                                           gint64        message_id,
                                                           gint64        participant_id,
                                                           gboolean      vote,
                                                           GError      **error);
gboolean                 cohort_store_chat_get_settings   (CohortStore               *self,
                                                           gint64                     class_id,
                                                           CohortChatSettingsRecord  *out_settings,
                                                           GError                   **error);
gboolean                 cohort_store_chat_set_settings   (CohortStore                     *self,
                                                           gint64                           class_id,
                                                           const CohortChatSettingsRecord  *settings,
                                                           GError                         **error);
gboolean                 cohort_store_chat_set_muted      (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           gboolean      muted,
                                                           GError      **error);
/* Participant ids (gint64), ordered. */
GArray                  *cohort_store_chat_list_muted     (CohortStore  *self,
                                                           gint64        class_id,
                                                           GError      **error);
gboolean                 cohort_store_chat_set_pace       (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        participant_id,
                                                           const char   *pace,
                                                           gint64        at,
                                                           GError      **error);
/* CohortChatPaceRecord with at >= @since, by participant. */
GPtrArray               *cohort_store_chat_list_pace      (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        since,
                                                           GError      **error);
/* Marks @message_id helpful once: 1 when newly marked, 0 when it already
 * was, -1 with @error set. */
int                      cohort_store_chat_mark_helpful   (CohortStore  *self,
                                                           gint64        message_id,
                                                           gint64        by,
                                                           gint64        ts,
                                                           GError      **error);

G_END_DECLS

/* cohort-chat-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-chat-model.h"
#include "cohort-danmaku-view.h"
#include "cohort-session.h"

G_BEGIN_DECLS

/* The Chat page of the class window's side panel: the message list with
 * its Questions filter, the composer, quick reactions and pace signals,
 * the teacher's moderation switches and pace meter. It owns the class's
 * CohortChatModel, feeds the danmaku view over the stage, keeps the
 * unread count on its AdwViewStackPage and sends a notification for
 * mentions and teacher messages while the window is in the background.
 * Signal: seen, whenever the chat is in view with what the model holds. */
#define COHORT_TYPE_CHAT_PAGE (cohort_chat_page_get_type ())
G_DECLARE_FINAL_TYPE (CohortChatPage, cohort_chat_page, COHORT, CHAT_PAGE, GtkWidget)

void             cohort_chat_page_set_session       (CohortChatPage    *self,
                                                     CohortSession     *session);
void             cohort_chat_page_set_danmaku_view  (CohortChatPage    *self,
                                                     CohortDanmakuView *view);
CohortChatModel *cohort_chat_page_get_model         (CohortChatPage    *self);
gboolean         cohort_chat_page_is_teacher        (CohortChatPage    *self);
const char      *cohort_chat_page_get_self_name     (CohortChatPage    *self);
/* The next message answers @question in its thread. */
void             cohort_chat_page_answer            (CohortChatPage    *self,
                                                     CohortChatMessage *question);
/* The next message goes privately to @participant_id. */
void             cohort_chat_page_reply_privately   (CohortChatPage    *self,
                                                     gint64             participant_id,
                                                     const char        *name);
/* Puts the keyboard in the composer (Ctrl+L from anywhere in the class). */
void             cohort_chat_page_focus_composer    (CohortChatPage    *self);
/* Shows every message (FALSE) or the questions by votes (TRUE). */
void             cohort_chat_page_show_questions    (CohortChatPage    *self,
                                                     gboolean           questions);

G_END_DECLS

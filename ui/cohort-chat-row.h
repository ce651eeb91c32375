/* cohort-chat-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cohort-chat-message.h"

G_BEGIN_DECLS

/* One chat message in the Chat page's list. Its actions (vote, answer,
 * done, delete, mute, retry, discard) go to the CohortChatPage it is in. */
#define COHORT_TYPE_CHAT_ROW (cohort_chat_row_get_type ())
G_DECLARE_FINAL_TYPE (CohortChatRow, cohort_chat_row, COHORT, CHAT_ROW, GtkWidget)

CohortChatMessage *cohort_chat_row_get_message (CohortChatRow     *self);
void               cohort_chat_row_set_message (CohortChatRow     *self,
                                                CohortChatMessage *message);
void               cohort_chat_row_popup_menu  (CohortChatRow     *self);
gboolean           cohort_chat_row_get_menu_open (CohortChatRow   *self);

G_END_DECLS

/* cohort-group-chat.h: a group's chat channel inside the Groups page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-chat-model.h"
#include "cohort-groups.h"

G_BEGIN_DECLS

/* A compact message list and composer for one group channel
 * (channel "group", group_id), filtered from the class's CohortChatModel.
 * A student sees their own group's channel; the teacher picks a group.
 * It hides itself while there is no channel to show (a student without a
 * group, a teacher without groups). Property: group-id (the channel shown,
 * 0 for none). */
#define COHORT_TYPE_GROUP_CHAT (cohort_group_chat_get_type ())
G_DECLARE_FINAL_TYPE (CohortGroupChat, cohort_group_chat, COHORT, GROUP_CHAT, GtkWidget)

void    cohort_group_chat_set_model    (CohortGroupChat *self,
                                        CohortChatModel *model);
void    cohort_group_chat_set_groups   (CohortGroupChat *self,
                                        CohortGroups    *groups);
gint64  cohort_group_chat_get_group_id (CohortGroupChat *self);
/* Teacher: shows @group_id's channel (also picks it in the drop-down). */
void    cohort_group_chat_select_group (CohortGroupChat *self,
                                        gint64           group_id);

G_END_DECLS

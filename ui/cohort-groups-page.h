/* cohort-groups-page.h: the Groups page of the class window's side panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-chat-model.h"
#include "cohort-groups.h"
#include "cohort-session.h"
#include "cohort-voice-room.h"

G_BEGIN_DECLS

#define COHORT_TYPE_GROUPS_PAGE (cohort_groups_page_get_type ())
G_DECLARE_FINAL_TYPE (CohortGroupsPage, cohort_groups_page, COHORT, GROUPS_PAGE, GtkWidget)

/* Makes the page's CohortGroups for @session (once joined). */
void          cohort_groups_page_set_session       (CohortGroupsPage *self,
                                                    CohortSession    *session);
CohortGroups *cohort_groups_page_get_groups        (CohortGroupsPage *self);
/* The class's voice room client (NULL before a session). */
CohortVoiceRoom *cohort_groups_page_get_voice_room (CohortGroupsPage *self);
/* The class's chat (the Chat page's model), for the group channel. */
void          cohort_groups_page_set_chat_model    (CohortGroupsPage *self,
                                                    CohortChatModel  *model);
/* Looks whether the evening reminder is due now and sends it; TRUE when
 * it sent one (tests call it; a timer calls it every minute). */
gboolean      cohort_groups_page_check_reminder    (CohortGroupsPage *self,
                                                    GDateTime        *now);

G_END_DECLS

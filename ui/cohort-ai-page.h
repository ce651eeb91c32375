/* cohort-ai-page.h: the Helper page of the class window's side panel
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-ai-conversation.h"
#include "cohort-session.h"

G_BEGIN_DECLS

#define COHORT_TYPE_AI_PAGE (cohort_ai_page_get_type ())
G_DECLARE_FINAL_TYPE (CohortAiPage, cohort_ai_page, COHORT, AI_PAGE, GtkWidget)

/* Makes the page's CohortAiConversation for @session (once joined). */
void                  cohort_ai_page_set_session      (CohortAiPage  *self,
                                                       CohortSession *session);
CohortAiConversation *cohort_ai_page_get_conversation (CohortAiPage  *self);

G_END_DECLS

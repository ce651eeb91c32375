/* cohort-chat-service.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-server.h"
#include "cohort-service.h"

G_BEGIN_DECLS

/* Who is in group @group_id of @class_id: an array of participant ids
 * (gint64, transfer full), or NULL when there is no such group. The
 * groups feature installs one; until then group channels answer
 * `not_found`. */
typedef GArray *(*CohortChatGroupResolver) (CohortServer *server,
                                            gint64        class_id,
                                            gint64        group_id,
                                            gpointer      user_data);

#define COHORT_TYPE_CHAT_SERVICE (cohort_chat_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortChatService, cohort_chat_service, COHORT, CHAT_SERVICE, CohortService)

CohortChatService *cohort_chat_service_new                (CohortServer            *server);
void               cohort_chat_service_set_group_resolver (CohortChatService       *self,
                                                           CohortChatGroupResolver  resolver,
                                                           gpointer                 user_data);

G_END_DECLS

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
/* The teacher behind @req writes privately to student @to_id: the message
 * is stored and chat.message queued on @req's events for the two of them,
 * as a chat.send to the private channel would (the student reads it live,
 * or in the chat history when they next join). The caller checked that
 * @to_id is a student of the class and that @text follows the text rules.
 * Returns the message id, 0 with @error set. */
gint64             cohort_chat_service_send_private       (CohortChatService       *self,
                                                           CohortRequest           *req,
                                                           gint64                   to_id,
                                                           const char              *text,
                                                           GError                 **error);

G_END_DECLS

/* cohort-janus-private.h: what CohortJanusClient and CohortJanusHandle share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-janus-client.h"
#include "cohort-janus-handle.h"

G_BEGIN_DECLS

typedef enum
{
  COHORT_JANUS_REPLY_SUCCESS,   /* "success" (or "error") ends it: create, attach, detach */
  COHORT_JANUS_REPLY_ACK,       /* "ack" ends it: keepalive, trickle */
  COHORT_JANUS_REPLY_EVENT,     /* "success" or "ack"+"event" ends it: plugin message */
} CohortJanusReplyKind;

/* Takes @extra and @task (both nullable). The task gets the whole reply. */
void               _cohort_janus_client_send      (CohortJanusClient    *self,
                                                   const char           *verb,
                                                   guint64               handle_id,
                                                   JsonObject           *extra,
                                                   CohortJanusReplyKind  kind,
                                                   GTask                *task);
void               _cohort_janus_client_forget    (CohortJanusClient    *self,
                                                   guint64               handle_id);
CohortJanusHandle *_cohort_janus_handle_new       (CohortJanusClient    *client,
                                                   guint64               id);
void               _cohort_janus_handle_dispatch  (CohortJanusHandle    *self,
                                                   const char           *verb,
                                                   JsonObject           *root);

G_END_DECLS

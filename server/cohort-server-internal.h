/* cohort-server-internal.h: what the parts of CohortServer share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-http-gate.h"
#include "cohort-join-throttle.h"
#include "cohort-server-private.h"

G_BEGIN_DECLS

/* CohortServer is one object in four files:
 *  - cohort-server.c: sockets and connections, presence, the services,
 *    start-up and shutdown;
 *  - cohort-fanout.c: events, stored then queued, and their flush to
 *    the connections that may see them;
 *  - cohort-request-pipeline.c: a frame's way from parse to handler
 *    (barriers, idempotency, group commit, replies);
 *  - cohort-server-join.c: class.create, class.join and resume. */

struct _CohortServer
{
  GObject               parent_instance;

  CohortStore          *store;
  SoupServer           *soup;
  /* accepts the connections, and holds them until their upgrade */
  CohortHttpGate       *gate;
  /* CohortConnection, every open socket */
  GPtrArray            *connections;
  /* the sockets' one poll source: see CohortSocketHub */
  CohortSocketHub      *hub;
  CohortJoinThrottle   *join_throttle;
  /* peers whose X-Forwarded-For is believed (canonical address strings) */
  char                **trusted_proxies;
  /* a socket that has not joined (or resumed) by then is closed; 0: never */
  gint64                join_timeout_us;
  /* participant id → number of joined connections */
  GHashTable           *presence;
  gint64                last_ts;
  guint                 liveness_source;
  guint                 prune_source;
  /* events stored but not yet sent: see flush_events() */
  GPtrArray            *queued;
  guint                 flush_source;
  gint64                last_flush_us;

  /* An open group commit (see _cohort_server_group_begin()): the replies
   * (GroupReply) and events of the requests applied in it so far, held
   * back until its one commit. */
  gboolean              group_open;
  GPtrArray            *group_replies;
  GPtrArray            *group_events;

  /* request type → Handler, for the feature services */
  GHashTable           *handlers;
  /* CohortService, the feature services in the order they were added */
  GPtrArray            *services;

  /* scale: joins and resumes go through it first; frames wait for it */
  CohortServerRouter    router;
  gpointer              router_data;
  CohortDurability     *durability;

  gboolean              shutting_down;
  CohortServerDoneFunc  shutdown_callback;
  gpointer              shutdown_data;
  guint                 shutdown_timeout;
};

/* cohort-fanout.c */
void         _cohort_server_pending_move        (GPtrArray            *to,
                                                 GPtrArray            *from);
char        *_cohort_server_object_to_string    (JsonObject           *object);
GArray      *_cohort_server_audience_from_json  (const char           *audience_json);
gboolean     _cohort_server_audience_contains   (GArray               *audience,
                                                 gint64                participant_id);

/* cohort-request-pipeline.c */
void         _cohort_server_run_barriers        (CohortServer         *self,
                                                 const char           *type);
void         _cohort_server_group_reply_free    (gpointer              reply);
void         _cohort_server_on_message          (CohortConnection     *conn,
                                                 gint                  type,
                                                 GBytes               *bytes,
                                                 gpointer              user_data);

/* cohort-server-join.c */
void         _cohort_server_join_init           (CohortServer         *self);

/* cohort-server.c */
void         _cohort_server_connection_joined   (CohortServer         *self,
                                                 CohortConnection     *conn,
                                                 gint64                class_id,
                                                 gint64                participant_id,
                                                 gboolean              is_teacher,
                                                 gint64                seq);
/* The connection joins with a full picture: every service adds its part
 * to @body, the reply goes out, then the events the join caused. */
void         _cohort_server_welcome             (CohortServer            *self,
                                                 CohortConnection        *conn,
                                                 const char              *id,
                                                 CohortClassRecord       *klass,
                                                 CohortParticipantRecord *you,
                                                 gint64                   seq,
                                                 JsonObject              *body,
                                                 GPtrArray               *pending);

G_END_DECLS

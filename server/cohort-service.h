/* cohort-service.h: the base of every feature service
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-connection.h"
#include "cohort-request.h"
#include "cohort-server.h"
#include "cohort-store.h"

G_BEGIN_DECLS

#define COHORT_TYPE_SERVICE (cohort_service_get_type ())
G_DECLARE_DERIVABLE_TYPE (CohortService, cohort_service, COHORT, SERVICE, GObject)

/* A feature service (chat, quizzes, media, …) answers the request types
 * it adds with cohort_service_add_handler(), and hooks into the server's
 * life through these virtual methods, each optional. The server calls
 * them on its one thread, in the order the services were added. */
struct _CohortServiceClass
{
  GObjectClass parent_class;

  /* @conn just joined (class.create, class.join or a snapshot resume):
   * add the feature's part of the class's current state to @body, the ok
   * body being built. Called outside any store transaction. */
  void (*welcome)         (CohortService    *self,
                           CohortConnection *conn,
                           JsonObject       *body);
  /* A joined @conn left, dropped or is being closed; it still knows its
   * class and participant. */
  void (*connection_left) (CohortService    *self,
                           CohortConnection *conn);
  /* A service that defers requests (group commit) applies what it holds
   * when @type (NULL: a connection leaving, or shutdown) is anything
   * else, so that each connection's requests still take effect in the
   * order sent: a chat.send, then class.leave or chat.history, say. */
  void (*barrier)         (CohortService    *self,
                           const char       *type);
  /* The server is going down: stop what would outlive it (a child
   * process, secrets on disk). */
  void (*shutdown)        (CohortService    *self);

  gpointer padding[8];
};

/* Answers @req, a request of a type the service added. It runs on the
 * main thread with the request already validated against the protocol
 * tables, the connection joined (unless the type is anonymous), and the
 * request id not yet applied.
 *
 * TRUE: @req is answered (ok, a client error, or deferred). FALSE with
 * @error set: the store failed, and the pipeline rolls back and answers
 * `internal` (cohort_request_fail()), so that a handler reads
 *
 *   if (!cohort_store_x (store, …, error))
 *     return FALSE;
 *
 * @error is never NULL. */
typedef gboolean (*CohortRequestHandler) (CohortService  *service,
                                          CohortRequest  *req,
                                          GError        **error);

CohortServer *cohort_service_get_server      (CohortService    *self);
CohortStore  *cohort_service_get_store       (CohortService    *self);
/* Requests of @type go to @handler (one service per type). */
void          cohort_service_add_handler     (CohortService        *self,
                                              const char           *type,
                                              CohortRequestHandler  handler);
/* After a resend of an already applied request of @type got its stored
 * reply, @handler runs for what must happen again (a class.leave closes). */
void          cohort_service_add_replay_handler (CohortService        *self,
                                                 const char           *type,
                                                 CohortRequestHandler  handler);

void          cohort_service_welcome         (CohortService    *self,
                                              CohortConnection *conn,
                                              JsonObject       *body);
void          cohort_service_connection_left (CohortService    *self,
                                              CohortConnection *conn);
void          cohort_service_barrier         (CohortService    *self,
                                              const char       *type);
void          cohort_service_shutdown        (CohortService    *self);

G_END_DECLS

/* cohort-server-private.h: what the feature services build on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cohort-connection.h"
#include "cohort-protocol.h"
#include "cohort-server.h"
#include "cohort-service.h"
#include "cohort-store.h"

G_BEGIN_DECLS

/* A feature service (chat, quizzes, media, …) is a CohortService
 * subclass in its own server/cohort-<feature>-service.[ch]. Its _new()
 * adds request handlers (cohort_service_add_handler()), which answer
 * through CohortRequest; cohort_assembly_new_server() creates the
 * services, adds them to the server and wires the hooks between them. */

void         _cohort_server_add_handler        (CohortServer         *self,
                                                const char           *type,
                                                CohortService        *service,
                                                CohortRequestHandler  handler);
void         _cohort_server_add_replay_handler (CohortServer         *self,
                                                const char           *type,
                                                CohortRequestHandler  handler);
/* The connection stops being joined (the services hear of it); the
 * participant goes offline when it was their last one. */
void         _cohort_server_connection_left    (CohortServer         *self,
                                                CohortConnection     *conn);
CohortRequest *_cohort_request_new             (CohortServer         *server,
                                                CohortConnection     *conn,
                                                CohortMessage        *message);
/* The server keeps @service (transfer full) alive as long as it lives,
 * and calls its virtual methods in the order services were added. */
void         _cohort_server_add_service        (CohortServer         *self,
                                                CohortService        *service);
/* The service of @type (or a subclass), or NULL. */
CohortService *_cohort_server_get_service      (CohortServer         *self,
                                                GType                 type);
CohortStore *_cohort_server_get_store          (CohortServer         *self);
/* Plain HTTP requests under @path (a prefix) go to @callback with
 * @user_data, which must live as long as the server (a service). */
void         _cohort_server_add_http_handler   (CohortServer         *self,
                                                const char           *path,
                                                SoupServerCallback    callback,
                                                gpointer              user_data);
/* Strictly increasing milliseconds since the epoch. */
gint64       _cohort_server_next_ts            (CohortServer         *self);
gboolean     _cohort_server_is_online          (CohortServer         *self,
                                                gint64                participant_id);
/* Calls @func (conn, user_data) for each joined connection of @class_id. */
void         _cohort_server_foreach_connection (CohortServer         *self,
                                                gint64                class_id,
                                                GFunc                 func,
                                                gpointer              user_data);

GPtrArray   *_cohort_server_pending_new        (void);
/* Appends the event to the log inside the caller's transaction and queues
 * it for broadcast. Takes @body. */
gboolean     _cohort_server_emit_event         (CohortServer         *self,
                                                GPtrArray            *pending,
                                                gint64                class_id,
                                                const char           *name,
                                                JsonObject           *body,
                                                GError              **error);
/* The same, seen only by the @n_audience participants in @audience, live
 * and on resume; the others are not sent it (their next event carries
 * "prev", so their seq has no gap). */
gboolean     _cohort_server_emit_event_for     (CohortServer         *self,
                                                GPtrArray            *pending,
                                                gint64                class_id,
                                                const char           *name,
                                                JsonObject           *body,
                                                const gint64         *audience,
                                                guint                 n_audience,
                                                GError              **error);
/* Sends the events in @pending once they are committed. */
void         _cohort_server_broadcast          (CohortServer         *self,
                                                GPtrArray            *pending);
/* What cohort_request_finish() does, for @req and its events. */
gboolean     _cohort_server_finish             (CohortServer         *self,
                                                CohortRequest        *req,
                                                JsonObject           *ok_body);
/* Stores @ok_body (taken) as the reply for idempotency, commits, replies,
 * then broadcasts @pending. */
gboolean     _cohort_server_finish_request     (CohortServer         *self,
                                                CohortConnection     *conn,
                                                CohortMessage        *request,
                                                JsonObject           *ok_body,
                                                GPtrArray            *pending);

/* Group commit: between begin and end, every handler's transaction is a
 * savepoint of one transaction, and finish_request holds the reply and the
 * events back until end commits it (one fsync for all). Errors are still
 * answered at once. Only for a batch the caller runs in one go, such as a
 * main-loop turn's queued chat messages: nothing else may use the store in
 * between. group_replay answers a request this group (or an earlier one)
 * already applied and returns TRUE, for resends queued behind their
 * original. */
gboolean     _cohort_server_group_begin        (CohortServer         *self,
                                                GError              **error);
gboolean     _cohort_server_group_replay       (CohortServer         *self,
                                                CohortConnection     *conn,
                                                CohortMessage        *request);
/* Returns FALSE if the commit failed (every held request was answered
 * internal, nothing applied). */
gboolean     _cohort_server_group_end          (CohortServer         *self);
/* How many requests the open group applied so far (their replies held). */
guint        _cohort_server_group_get_n_held   (CohortServer         *self);

void         _cohort_server_send_message       (CohortConnection     *conn,
                                                CohortMessage        *message);
void         _cohort_server_send_error         (CohortConnection     *conn,
                                                const char           *re,
                                                CohortErrorCode       code,
                                                CohortInvalidReason   reason,
                                                const char           *field,
                                                const char           *message);
void         _cohort_server_send_forbidden     (CohortConnection     *conn,
                                                CohortMessage        *request,
                                                const char           *message);
/* Rolls the store back and answers `internal`. */
/* The `internal` error for a request whose change was not saved. */
void         _cohort_server_send_not_saved     (CohortConnection     *conn,
                                                const char           *re);
void         _cohort_server_send_internal      (CohortServer         *self,
                                                CohortConnection     *conn,
                                                const char           *re,
                                                const GError         *error);

/* Like _cohort_server_finish_request(), for a reply that carries secrets
 * (personal codes): @live_body (taken) is sent, @stored_body (taken), the
 * same without them, is what a resend of the request gets. */
gboolean     _cohort_server_finish_request_secret (CohortServer  *self,
                                                   CohortConnection *conn,
                                                   CohortMessage *request,
                                                   JsonObject    *live_body,
                                                   JsonObject    *stored_body,
                                                   GPtrArray     *pending);
/* Sends the events broadcast so far now. */
void         _cohort_server_flush              (CohortServer         *self);
/* Closes every joined connection of the participant (policy violation,
 * "removed"); they leave as if they had gone. */
void         _cohort_server_kick_participant   (CohortServer         *self,
                                                gint64                class_id,
                                                gint64                participant_id);
/* The network address of one of the participant's joined connections,
 * or NULL when none is open. */
char        *_cohort_server_get_participant_host (CohortServer       *self,
                                                  gint64              class_id,
                                                  gint64              participant_id);
/* The join throttle, for wrong credentials and codes (CohortJoinThrottle). */
gboolean     _cohort_server_join_throttled     (CohortServer         *self,
                                                CohortConnection     *conn);
void         _cohort_server_join_guess_failed  (CohortServer         *self,
                                                CohortConnection     *conn);
/* The same throttle for a plain HTTP request (GET /api/v1/home) by its
 * address key: 0 if @host may try now, else the µs until it may. */
gint64       _cohort_server_host_throttled     (CohortServer         *self,
                                                const char           *host);
void         _cohort_server_host_guess_failed  (CohortServer         *self,
                                                const char           *host);
/* The throttle's key of an HTTP request's client (the last
 * X-Forwarded-For entry behind a trusted proxy). */
char        *_cohort_server_http_client_host   (CohortServer         *self,
                                                SoupServerMessage    *msg);
gboolean     _cohort_server_is_shutting_down   (CohortServer         *self);

/* scale (docs/architecture-scale.md). A router may take a class.join or
 * resume before it runs (TRUE): it answers `moved`, or calls
 * _cohort_server_run_routed() once the class is served here. */
typedef gboolean (*CohortServerRouter) (CohortServer     *server,
                                        CohortConnection *conn,
                                        CohortMessage    *request,
                                        gpointer          user_data);
void         _cohort_server_set_router         (CohortServer         *self,
                                                CohortServerRouter    router,
                                                gpointer              user_data);
void         _cohort_server_run_routed         (CohortServer         *self,
                                                CohortConnection     *conn,
                                                CohortMessage        *request);
/* Every connection from now on holds its frames for @durability. */
void         _cohort_server_set_durability     (CohortServer         *self,
                                                CohortDurability     *durability);

G_END_DECLS

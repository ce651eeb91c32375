/* cohort-server-private.h: what the feature services build on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-connection.h"
#include "cohort-protocol.h"
#include "cohort-server.h"
#include "cohort-store.h"

G_BEGIN_DECLS

/* A feature service (chat, quizzes, media, …) lives in its own
 * server/cohort-<feature>-service.c. Its register function, called from
 * _cohort_server_register_services(), adds request handlers and connects
 * to the server's "welcome" and "connection-left" signals.
 *
 * A handler runs on the main thread with the request already validated
 * against the protocol tables, the connection joined, and the request id
 * not yet applied. The usual shape:
 *
 *   pending = _cohort_server_pending_new ();
 *   cohort_store_begin (store, &error);
 *   … check roles, change state through the store …
 *   _cohort_server_emit_event (server, pending, class_id, "chat.message", body, &error);
 *   _cohort_server_finish_request (server, conn, request, reply_body, pending);
 *
 * finish_request stores the reply for idempotency, commits, replies and
 * broadcasts the events, in that order. On any store error, call
 * _cohort_server_send_internal(), which rolls back. */
typedef void (*CohortRequestHandler) (CohortServer     *server,
                                      CohortConnection *conn,
                                      CohortMessage    *request);

void         _cohort_server_register_services  (CohortServer         *self);
void         _cohort_server_add_handler        (CohortServer         *self,
                                                const char           *type,
                                                CohortRequestHandler  handler);
/* A service that defers requests (group commit) applies what it holds when
 * @type (NULL: a connection leaving, or shutdown) is anything else, so
 * that each connection's requests still take effect in the order sent:
 * a chat.send, then class.leave or chat.history, say. */
typedef void (*CohortRequestBarrier) (CohortServer     *server,
                                      const char       *type,
                                      gpointer          data);
void         _cohort_server_add_barrier        (CohortServer         *self,
                                                CohortRequestBarrier  barrier,
                                                gpointer              data);
/* The server keeps @service (transfer full) alive as long as it lives. */
void         _cohort_server_add_service        (CohortServer         *self,
                                                GObject              *service);
CohortStore *_cohort_server_get_store          (CohortServer         *self);
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

/* One register function per feature service. */
void         _cohort_media_service_register    (CohortServer         *server);
void         _cohort_chat_service_register     (CohortServer         *server);
void         _cohort_quiz_service_register     (CohortServer         *server);
void         _cohort_groups_service_register   (CohortServer         *server);
void         _cohort_ai_service_register       (CohortServer         *server);
void         _cohort_identity_service_register (CohortServer         *server);

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

/* identity (server/cohort-identity-service.c) */
/* Checks the request's staff_credential; answers the error itself. */
gboolean     _cohort_identity_authorize_staff  (CohortServer         *server,
                                                CohortConnection     *conn,
                                                CohortMessage        *request,
                                                CohortStaffRecord   **out_staff);
gboolean     _cohort_identity_class_created    (CohortServer         *server,
                                                gint64                class_id,
                                                gint64                staff_id,
                                                gboolean              waiting_room,
                                                GError              **error);
/* Whether staff created the class (the AI helper serves only those). */
gboolean     _cohort_identity_class_has_staff  (CohortServer         *server,
                                                gint64                class_id);
/* Never NULL without @error: a class from before has open defaults. */
CohortClassAccessRecord *
             _cohort_identity_get_access       (CohortServer         *server,
                                                gint64                class_id,
                                                GError              **error);
/* 1: the class's staff owner was revoked; 0: not, or no owner; -1: error. */
int          _cohort_identity_owner_revoked    (CohortServer         *server,
                                                const CohortClassAccessRecord *access,
                                                GError              **error);
void         _cohort_identity_add_class_fields (JsonObject           *class_json,
                                                const CohortClassAccessRecord *access);
JsonObject  *_cohort_identity_participant_json (CohortParticipantRecord *record,
                                                gboolean              waiting);
/* NULL: the student may come in; else why not (`forbidden`). NULL with
 * @error set on a store failure. */
const char  *_cohort_identity_refuse_student   (CohortServer         *server,
                                                CohortConnection     *conn,
                                                CohortClassAccessRecord *access,
                                                CohortMemberRecord   *member,
                                                gboolean              personal,
                                                GError              **error);
void         _cohort_identity_set_waiting      (CohortServer         *server,
                                                CohortConnection     *conn,
                                                gint64                class_id,
                                                gint64                participant_id);
gboolean     _cohort_identity_waiting_now      (CohortServer         *server,
                                                gint64                participant_id,
                                                CohortConnection     *except);
gboolean     _cohort_identity_is_waiting       (CohortServer         *server,
                                                CohortConnection     *conn);
/* TRUE when it answered @request (a connection in a waiting room). */
gboolean     _cohort_identity_filter_request   (CohortServer         *server,
                                                CohortConnection     *conn,
                                                CohortMessage        *request);

/* groups: the group of @participant_id in @class_id (for group chat
 * channels); FALSE when they are in none. */
gboolean     _cohort_groups_service_get_group  (CohortServer         *server,
                                                gint64                class_id,
                                                gint64                participant_id,
                                                gint64               *out_group_id);
gboolean     _cohort_quiz_service_is_running   (CohortServer *server, gint64 class_id);

G_END_DECLS

/* cohort-request.h: one client request on its way to a reply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-connection.h"
#include "cohort-protocol.h"
#include "cohort-server.h"

G_BEGIN_DECLS

#define COHORT_TYPE_REQUEST (cohort_request_get_type ())
G_DECLARE_FINAL_TYPE (CohortRequest, cohort_request, COHORT, REQUEST, GObject)

/* A request carries its reply path (the connection and the request id)
 * and the events it emits, so that a handler reads:
 *
 *   if (!cohort_request_begin (req, error) ||
 *       … change state through the store …
 *       !cohort_request_emit (req, class_id, COHORT_EV_HAND_RAISED, body, error))
 *     return FALSE;   (the pipeline calls cohort_request_fail)
 *   cohort_request_finish (req, ok_body);
 *   return TRUE;
 *
 * finish stores the reply for idempotency, commits, replies and
 * broadcasts, in that order; in an open group commit the reply and the
 * events wait for the group's one commit. A reply that comes later (a
 * batch of its own, an answer from Janus) uses defer and complete. */

CohortServer     *cohort_request_get_server     (CohortRequest        *self);
CohortConnection *cohort_request_get_connection (CohortRequest        *self);
CohortMessage    *cohort_request_get_message    (CohortRequest        *self);
const char       *cohort_request_get_id         (CohortRequest        *self);
JsonObject       *cohort_request_get_body       (CohortRequest        *self);
/* The events emitted so far and not yet broadcast (CohortPendingEvent). */
GPtrArray        *cohort_request_get_pending    (CohortRequest        *self);

gboolean          cohort_request_begin          (CohortRequest        *self,
                                                 GError              **error);
/* Appends the event to the log inside the request's transaction and
 * queues it for broadcast once committed. Takes @body. */
gboolean          cohort_request_emit           (CohortRequest        *self,
                                                 gint64                class_id,
                                                 const char           *name,
                                                 JsonObject           *body,
                                                 GError              **error);
/* The same, seen only by the @n_audience participants in @audience. */
gboolean          cohort_request_emit_for       (CohortRequest        *self,
                                                 gint64                class_id,
                                                 const char           *name,
                                                 JsonObject           *body,
                                                 const gint64         *audience,
                                                 guint                 n_audience,
                                                 GError              **error);
/* Stores @ok_body (taken) as the reply, commits, replies, then
 * broadcasts. FALSE: the commit failed and the client got `internal`. */
gboolean          cohort_request_finish         (CohortRequest        *self,
                                                 JsonObject           *ok_body);
/* For a reply that carries secrets: @live_body (taken) is sent,
 * @stored_body (taken), the same without them, is what a resend gets. */
gboolean          cohort_request_finish_secret  (CohortRequest        *self,
                                                 JsonObject           *live_body,
                                                 JsonObject           *stored_body);
/* Rolls the store back and answers `internal`: nothing was saved. */
void              cohort_request_fail           (CohortRequest        *self,
                                                 const GError         *error);
/* The `internal` error, without touching the store. */
void              cohort_request_fail_not_saved (CohortRequest        *self);
/* Answers an error (nothing to roll back). */
void              cohort_request_error          (CohortRequest        *self,
                                                 CohortErrorCode       code,
                                                 CohortInvalidReason   reason,
                                                 const char           *field,
                                                 const char           *message);
void              cohort_request_forbidden      (CohortRequest        *self,
                                                 const char           *message);
/* TRUE if @self comes from the class's teacher; otherwise answers
 * `forbidden` with @message. */
gboolean          cohort_request_require_teacher (CohortRequest       *self,
                                                  const char          *message);
/* Answers @code about @field, an `invalid` one with the reason
 * out_of_range (nothing to roll back). */
void              cohort_request_refuse         (CohortRequest        *self,
                                                 CohortErrorCode       code,
                                                 const char           *field,
                                                 const char           *message);
/* Answers ok with @body (taken) without storing it: reads. */
void              cohort_request_reply          (CohortRequest        *self,
                                                 JsonObject           *body);

/* The same with @body, the ok body's JSON text written by hand: a reply
 * too big to build as JsonObject trees (a 1,000-student table). */
void              cohort_request_reply_raw      (CohortRequest        *self,
                                                 GString              *body);
/* The reply comes later: the caller keeps the returned reference and
 * calls complete (or fail_not_saved) once it is due. */
CohortRequest    *cohort_request_defer          (CohortRequest        *self);
gboolean          cohort_request_is_deferred    (CohortRequest        *self);
/* Sends @json, a reply already stored and committed. */
void              cohort_request_complete       (CohortRequest        *self,
                                                 const char           *json);

/* A reply that is not stored and comes later (an answer from Janus) is
 * remembered per connection instead, so that a resend of the id on this
 * connection gets it again. begin_volatile returns FALSE when the id was
 * seen here: its reply went out again, or is still on its way. */
gboolean          cohort_request_begin_volatile (CohortRequest        *self);
/* Sends @reply (the request's ok or error) if the connection is open; an
 * ok is remembered, an error forgotten (a resend tries again). */
void              cohort_request_reply_volatile (CohortRequest        *self,
                                                 CohortMessage        *reply);

G_END_DECLS

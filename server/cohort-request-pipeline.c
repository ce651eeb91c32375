/* cohort-request-pipeline.c: from a frame to its reply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-server"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-identity-service.h"
#include "cohort-protocol.h"
#include "cohort-ws-frame.h"
#include "cohort-server-internal.h"


typedef struct
{
  /* unowned: the server holds the services */
  CohortService        *service;
  CohortRequestHandler  func;
  /* after a resend of an applied request got its stored reply */
  CohortRequestHandler  replay;
} Handler;

/* A handler's FALSE is a store failure: roll back and answer `internal`
 * here, once, instead of in every handler. */
static void
run_handler (CohortServer         *self,
             CohortService        *service,
             CohortRequestHandler  func,
             CohortConnection     *conn,
             CohortMessage        *request)
{
  g_autoptr(CohortRequest) req = _cohort_request_new (self, conn, request);
  g_autoptr(GError) error = NULL;

  if (!func (service, req, &error))
    cohort_request_fail (req, error);
}

static void
dispatch (CohortServer     *self,
          CohortConnection *conn,
          CohortMessage    *request)
{
  Handler *handler = g_hash_table_lookup (self->handlers, cohort_message_get_name (request));

  run_handler (self, handler->service, handler->func, conn, request);
}

void
_cohort_server_send_message (CohortConnection *conn,
                             CohortMessage    *message)
{
  g_autofree char *json = cohort_message_to_json (message, NULL);

  cohort_connection_send (conn, json);
}

void
_cohort_server_send_error (CohortConnection    *conn,
                           const char          *re,
                           CohortErrorCode      code,
                           CohortInvalidReason  reason,
                           const char          *field,
                           const char          *message)
{
  g_autoptr(CohortMessage) reply = cohort_message_new_error (re, code, reason, field, message);

  _cohort_server_send_message (conn, reply);
}

void
_cohort_server_send_internal (CohortServer     *self,
                              CohortConnection *conn,
                              const char       *re,
                              const GError     *error)
{
  g_warning ("Store failure, request not applied: %s", error ? error->message : "unknown");
  cohort_store_rollback (self->store);
  _cohort_server_send_not_saved (conn, re);
}

void
_cohort_server_send_not_saved (CohortConnection *conn,
                               const char       *re)
{
  _cohort_server_send_error (conn, re, COHORT_ERROR_INTERNAL, COHORT_INVALID_NONE, NULL,
                             _("The server could not save this change. Try again in a moment."));
}

/* Deferred requests of every service take effect before @type (NULL: a
 * connection leaving, or shutdown). */
void
_cohort_server_run_barriers (CohortServer *self,
                             const char   *type)
{
  for (guint i = 0; i < self->services->len; i++)
    cohort_service_barrier (g_ptr_array_index (self->services, i), type);
}

/* ---- group commit ----
 *
 * Several requests in one transaction, so that they share one fsync: each
 * request's own begin/commit becomes a savepoint inside it, and its reply
 * and events wait until the group's commit, so nothing is acknowledged or
 * sent before it is durable. A request that fails rolls back its savepoint
 * only and is answered at once (an error acknowledges nothing). */

/* A request the open group applied: deferred until the group's commit. */
typedef struct
{
  CohortRequest *req;
  char          *json;
} GroupReply;

void
_cohort_server_group_reply_free (gpointer data)
{
  GroupReply *reply = data;

  g_object_unref (reply->req);
  g_free (reply->json);
  g_free (reply);
}

static void
group_hold_reply (CohortServer  *self,
                  CohortRequest *req,
                  const char    *json)
{
  GroupReply *reply = g_new0 (GroupReply, 1);

  reply->req = cohort_request_defer (req);
  reply->json = g_strdup (json);
  g_ptr_array_add (self->group_replies, reply);
}

gboolean
_cohort_server_group_begin (CohortServer  *self,
                            GError       **error)
{
  g_return_val_if_fail (!self->group_open, FALSE);

  if (!cohort_store_begin_group (self->store, error))
    return FALSE;
  self->group_open = TRUE;
  return TRUE;
}

gboolean
_cohort_server_group_replay (CohortServer     *self,
                             CohortConnection *conn,
                             CohortMessage    *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  const char *id = cohort_message_get_id (request);

  g_return_val_if_fail (self->group_open, FALSE);

  /* A resend queued behind its original, which this group applied. */
  stored = cohort_store_lookup_reply (self->store, cohort_connection_get_participant_id (conn),
                                      id, &error);
  if (error != NULL)
    {
      _cohort_server_send_not_saved (conn, id);
      return TRUE;
    }
  if (stored == NULL)
    return FALSE;
  {
    g_autoptr(CohortRequest) req = _cohort_request_new (self, conn, request);

    group_hold_reply (self, req, stored);
  }
  return TRUE;
}

guint
_cohort_server_group_get_n_held (CohortServer *self)
{
  return self->group_replies->len;
}

gboolean
_cohort_server_group_end (CohortServer *self)
{
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (self->group_open, FALSE);

  self->group_open = FALSE;
  replies = g_steal_pointer (&self->group_replies);
  self->group_replies = g_ptr_array_new_with_free_func ((GDestroyNotify) _cohort_server_group_reply_free);
  events = g_steal_pointer (&self->group_events);
  self->group_events = _cohort_server_pending_new ();

  if (!cohort_store_commit_group (self->store, &error))
    {
      g_warning ("Store failure, %u requests not applied: %s", replies->len,
                 error ? error->message : "unknown");
      cohort_store_rollback (self->store);
      for (guint i = 0; i < replies->len; i++)
        {
          GroupReply *reply = g_ptr_array_index (replies, i);

          cohort_request_fail_not_saved (reply->req);
        }
      return FALSE;
    }

  for (guint i = 0; i < replies->len; i++)
    {
      GroupReply *reply = g_ptr_array_index (replies, i);

      cohort_request_complete (reply->req, reply->json);
    }
  _cohort_server_broadcast (self, events);
  return TRUE;
}

/* Saves @ok_body as the reply to @request, commits, sends it and then the
 * events. On failure everything is rolled back and the client gets
 * `internal`. Takes @ok_body. */
gboolean
_cohort_server_finish (CohortServer  *self,
                       CohortRequest *req,
                       JsonObject    *ok_body)
{
  g_autoptr(JsonObject) body = ok_body;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  CohortConnection *conn = cohort_request_get_connection (req);
  const char *id = cohort_request_get_id (req);

  reply = cohort_message_new_ok (id, body);
  json = cohort_message_to_json (reply, NULL);

  if (!cohort_store_save_reply (self->store, cohort_connection_get_participant_id (conn), id,
                                json, g_get_real_time () / 1000, &error) ||
      !cohort_store_commit (self->store, &error))
    {
      cohort_request_fail (req, error);
      return FALSE;
    }

  if (self->group_open)
    {
      group_hold_reply (self, req, json);
      _cohort_server_pending_move (self->group_events, cohort_request_get_pending (req));
      return TRUE;
    }

  cohort_connection_send (conn, json);
  _cohort_server_broadcast (self, cohort_request_get_pending (req));
  return TRUE;
}

gboolean
_cohort_server_finish_request (CohortServer     *self,
                               CohortConnection *conn,
                               CohortMessage    *request,
                               JsonObject       *ok_body,
                               GPtrArray        *pending)
{
  g_autoptr(CohortRequest) req = _cohort_request_new (self, conn, request);

  _cohort_server_pending_move (cohort_request_get_pending (req), pending);
  return _cohort_server_finish (self, req, ok_body);
}

gboolean
_cohort_server_finish_request_secret (CohortServer     *self,
                                      CohortConnection *conn,
                                      CohortMessage    *request,
                                      JsonObject       *live_body,
                                      JsonObject       *stored_body,
                                      GPtrArray        *pending)
{
  g_autoptr(JsonObject) live = live_body;
  g_autoptr(JsonObject) stored = stored_body;
  g_autoptr(CohortMessage) live_reply = NULL;
  g_autoptr(CohortMessage) stored_reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_json = NULL;
  const char *id = cohort_message_get_id (request);

  g_return_val_if_fail (!self->group_open, FALSE);

  stored_reply = cohort_message_new_ok (id, stored);
  stored_json = cohort_message_to_json (stored_reply, NULL);
  if (!cohort_store_save_reply (self->store, cohort_connection_get_participant_id (conn), id,
                                stored_json, g_get_real_time () / 1000, &error) ||
      !cohort_store_commit (self->store, &error))
    {
      _cohort_server_send_internal (self, conn, id, error);
      return FALSE;
    }

  live_reply = cohort_message_new_ok (id, live);
  _cohort_server_send_message (conn, live_reply);
  _cohort_server_broadcast (self, pending);
  return TRUE;
}

void
_cohort_server_send_forbidden (CohortConnection *conn,
                               CohortMessage    *request,
                               const char       *message)
{
  _cohort_server_send_error (conn, cohort_message_get_id (request), COHORT_ERROR_FORBIDDEN,
              COHORT_INVALID_NONE, NULL, message);
}

static void
handle_ping (CohortServer     *self,
             CohortConnection *conn,
             CohortMessage    *request)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  json_object_set_int_member (body, "ts", g_get_real_time () / 1000);
  reply = cohort_message_new_ok (cohort_message_get_id (request), body);
  _cohort_server_send_message (conn, reply);
}

static void
handle_request (CohortServer     *self,
                CohortConnection *conn,
                CohortMessage    *request)
{
  const char *type = cohort_message_get_name (request);
  const char *id = cohort_message_get_id (request);

  /* identity: a socket in a waiting room may only ping, leave or resume. */
  if (_cohort_identity_filter_request (self, conn, request))
    return;

  if (g_str_equal (type, COHORT_REQ_PING))
    {
      handle_ping (self, conn, request);
      return;
    }

  _cohort_server_run_barriers (self, type);

  if (cohort_protocol_is_anonymous_request (type))
    {
      if (cohort_connection_is_joined (conn))
        {
          _cohort_server_send_error (conn, id, COHORT_ERROR_INVALID, COHORT_INVALID_ALREADY_JOINED, NULL,
                      _("This connection has already joined a class."));
          return;
        }

      g_return_if_fail (g_hash_table_contains (self->handlers, type));
      if (self->router != NULL && self->router (self, conn, request, self->router_data))
        return;
      dispatch (self, conn, request);
      return;
    }

  if (!cohort_connection_is_joined (conn))
    {
      _cohort_server_send_error (conn, id, COHORT_ERROR_NOT_JOINED, COHORT_INVALID_NONE, NULL,
                  _("Join a class first."));
      return;
    }

  /* Idempotency: a request id already applied gets its stored reply. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *stored = NULL;

    stored = cohort_store_lookup_reply (self->store, cohort_connection_get_participant_id (conn),
                                        id, &error);
    if (error != NULL)
      {
        _cohort_server_send_internal (self, conn, id, error);
        return;
      }

    if (stored != NULL)
      {
        Handler *handler = g_hash_table_lookup (self->handlers, type);

        cohort_connection_send (conn, stored);
        if (handler != NULL && handler->replay != NULL)
          run_handler (self, handler->service, handler->replay, conn, request);
        return;
      }
  }

  if (g_hash_table_contains (self->handlers, type))
    dispatch (self, conn, request);
  else
    _cohort_server_send_error (conn, id, COHORT_ERROR_INVALID, COHORT_INVALID_UNKNOWN_TYPE, "type",
                _("The server does not know this request."));
}

void
_cohort_server_on_message (CohortConnection *conn,
                           gint              type,
                           GBytes           *bytes,
                           gpointer          user_data)
{
  CohortServer *self = user_data;
  g_autoptr(CohortMessage) request = NULL;
  g_autoptr(CohortMessage) error_reply = NULL;
  gint64 now = g_get_monotonic_time ();
  CohortRateResult rate;
  const char *data;
  gsize length;

  if (self->shutting_down)
    return;

  cohort_connection_touch (conn, now);
  rate = cohort_connection_take_frame (conn, now);

  if (rate == COHORT_RATE_FLOOD)
    {
      g_message ("Closing a connection that floods the server");
      cohort_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "flood");
      return;
    }

  data = g_bytes_get_data (bytes, &length);

  if (type != COHORT_WS_OP_TEXT)
    {
      request = NULL;
      error_reply = cohort_message_new_error (NULL, COHORT_ERROR_INVALID,
                                              COHORT_INVALID_BINARY_FRAME, NULL,
                                              _("Binary frames are not part of the protocol."));
    }
  else if (length > COHORT_MAX_FRAME_BYTES)
    error_reply = cohort_message_new_error (NULL, COHORT_ERROR_INVALID,
                                            COHORT_INVALID_TOO_LARGE, NULL,
                                            _("The message is larger than 64 KiB."));
  else
    request = cohort_protocol_parse_request (data, length, &error_reply);

  if (rate == COHORT_RATE_LIMITED)
    {
      const char *re = request ? cohort_message_get_id (request)
                               : (error_reply ? cohort_message_get_id (error_reply) : NULL);

      _cohort_server_send_error (conn, re, COHORT_ERROR_RATE_LIMITED, COHORT_INVALID_NONE, NULL,
                  _("Too many messages. Slow down and try again in a moment."));
      return;
    }

  if (request == NULL)
    {
      g_assert (error_reply != NULL);
      _cohort_server_send_message (conn, error_reply);
      return;
    }

  handle_request (self, conn, request);
}

void
_cohort_server_add_handler (CohortServer         *self,
                            const char           *type,
                            CohortService        *service,
                            CohortRequestHandler  handler)
{
  Handler *entry;

  g_return_if_fail (COHORT_IS_SERVER (self));
  g_return_if_fail (cohort_protocol_is_known_request (type));
  g_return_if_fail (!g_hash_table_contains (self->handlers, type));

  entry = g_new0 (Handler, 1);
  entry->service = service;
  entry->func = handler;
  g_hash_table_insert (self->handlers, (gpointer) type, entry);
}

void
_cohort_server_set_router (CohortServer       *self,
                           CohortServerRouter  router,
                           gpointer            user_data)
{
  g_return_if_fail (COHORT_IS_SERVER (self));

  self->router = router;
  self->router_data = user_data;
}

/* The connection may have gone, or joined through another request, while
 * its class was looked up. */
void
_cohort_server_run_routed (CohortServer     *self,
                           CohortConnection *conn,
                           CohortMessage    *request)
{
  g_return_if_fail (COHORT_IS_SERVER (self));

  if (self->shutting_down || !cohort_connection_is_open (conn) ||
      cohort_connection_is_joined (conn))
    return;
  dispatch (self, conn, request);
}

void
_cohort_server_add_replay_handler (CohortServer         *self,
                                   const char           *type,
                                   CohortRequestHandler  handler)
{
  Handler *entry;

  g_return_if_fail (COHORT_IS_SERVER (self));

  entry = g_hash_table_lookup (self->handlers, type);
  g_return_if_fail (entry != NULL && entry->replay == NULL);
  entry->replay = handler;
}

/* cohort-request.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-request"

#include "config.h"

#include "cohort-json-strict.h"
#include "cohort-request.h"
#include "cohort-server-private.h"

struct _CohortRequest
{
  GObject           parent_instance;

  /* The server outlives every request: a plain pointer. */
  CohortServer     *server;
  CohortConnection *conn;
  CohortMessage    *message;
  GPtrArray        *pending;
  gboolean          deferred;
};

G_DEFINE_FINAL_TYPE (CohortRequest, cohort_request, G_TYPE_OBJECT)

static void
cohort_request_finalize (GObject *object)
{
  CohortRequest *self = COHORT_REQUEST (object);

  g_clear_object (&self->conn);
  g_clear_pointer (&self->message, cohort_message_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);

  G_OBJECT_CLASS (cohort_request_parent_class)->finalize (object);
}

static void
cohort_request_class_init (CohortRequestClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_request_finalize;
}

static void
cohort_request_init (CohortRequest *self)
{
  self->pending = _cohort_server_pending_new ();
}

CohortRequest *
_cohort_request_new (CohortServer     *server,
                     CohortConnection *conn,
                     CohortMessage    *message)
{
  CohortRequest *self = g_object_new (COHORT_TYPE_REQUEST, NULL);

  self->server = server;
  self->conn = g_object_ref (conn);
  self->message = cohort_message_ref (message);
  return self;
}

CohortServer *
cohort_request_get_server (CohortRequest *self)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), NULL);

  return self->server;
}

CohortConnection *
cohort_request_get_connection (CohortRequest *self)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), NULL);

  return self->conn;
}

CohortMessage *
cohort_request_get_message (CohortRequest *self)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), NULL);

  return self->message;
}

const char *
cohort_request_get_id (CohortRequest *self)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), NULL);

  return cohort_message_get_id (self->message);
}

JsonObject *
cohort_request_get_body (CohortRequest *self)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), NULL);

  return cohort_message_get_body (self->message);
}

GPtrArray *
cohort_request_get_pending (CohortRequest *self)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), NULL);

  return self->pending;
}

gboolean
cohort_request_begin (CohortRequest  *self,
                      GError        **error)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), FALSE);

  return cohort_store_begin (_cohort_server_get_store (self->server), error);
}

gboolean
cohort_request_emit (CohortRequest  *self,
                     gint64          class_id,
                     const char     *name,
                     JsonObject     *body,
                     GError        **error)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), FALSE);

  return _cohort_server_emit_event (self->server, self->pending, class_id, name, body, error);
}

gboolean
cohort_request_emit_for (CohortRequest  *self,
                         gint64          class_id,
                         const char     *name,
                         JsonObject     *body,
                         const gint64   *audience,
                         guint           n_audience,
                         GError        **error)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), FALSE);

  return _cohort_server_emit_event_for (self->server, self->pending, class_id, name, body,
                                        audience, n_audience, error);
}

gboolean
cohort_request_finish (CohortRequest *self,
                       JsonObject    *ok_body)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), FALSE);

  return _cohort_server_finish (self->server, self, ok_body);
}

gboolean
cohort_request_finish_secret (CohortRequest *self,
                              JsonObject    *live_body,
                              JsonObject    *stored_body)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), FALSE);

  return _cohort_server_finish_request_secret (self->server, self->conn, self->message,
                                               live_body, stored_body, self->pending);
}

void
cohort_request_fail (CohortRequest *self,
                     const GError  *error)
{
  g_return_if_fail (COHORT_IS_REQUEST (self));

  /* What was emitted was rolled back with the transaction. */
  g_ptr_array_set_size (self->pending, 0);
  _cohort_server_send_internal (self->server, self->conn, cohort_request_get_id (self), error);
}

void
cohort_request_fail_not_saved (CohortRequest *self)
{
  g_return_if_fail (COHORT_IS_REQUEST (self));

  _cohort_server_send_not_saved (self->conn, cohort_request_get_id (self));
}

void
cohort_request_error (CohortRequest       *self,
                      CohortErrorCode      code,
                      CohortInvalidReason  reason,
                      const char          *field,
                      const char          *message)
{
  g_return_if_fail (COHORT_IS_REQUEST (self));

  _cohort_server_send_error (self->conn, cohort_request_get_id (self), code, reason, field, message);
}

void
cohort_request_forbidden (CohortRequest *self,
                          const char    *message)
{
  g_return_if_fail (COHORT_IS_REQUEST (self));

  _cohort_server_send_forbidden (self->conn, self->message, message);
}

gboolean
cohort_request_require_teacher (CohortRequest *self,
                                const char    *message)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), FALSE);

  if (cohort_connection_is_teacher (self->conn))
    return TRUE;
  cohort_request_forbidden (self, message);
  return FALSE;
}

void
cohort_request_refuse (CohortRequest   *self,
                       CohortErrorCode  code,
                       const char      *field,
                       const char      *message)
{
  g_return_if_fail (COHORT_IS_REQUEST (self));

  cohort_request_error (self, code,
                        code == COHORT_ERROR_INVALID ? COHORT_INVALID_OUT_OF_RANGE : COHORT_INVALID_NONE,
                        field, message);
}

void
cohort_request_reply (CohortRequest *self,
                      JsonObject    *body)
{
  g_autoptr(JsonObject) owned = body;
  g_autoptr(CohortMessage) reply = NULL;

  g_return_if_fail (COHORT_IS_REQUEST (self));

  reply = cohort_message_new_ok (cohort_request_get_id (self), owned);
  _cohort_server_send_message (self->conn, reply);
}

void
cohort_request_reply_raw (CohortRequest *self,
                          GString       *body)
{
  g_autoptr(GString) reply = NULL;

  g_return_if_fail (COHORT_IS_REQUEST (self));

  /* The envelope cohort_message_to_json() would write around this body. */
  reply = g_string_sized_new (body->len + 64);
  g_string_append (reply, "{\"type\":\"ok\",\"re\":");
  cohort_json_append_string (reply, cohort_request_get_id (self));
  g_string_append (reply, ",\"body\":");
  g_string_append_len (reply, body->str, body->len);
  g_string_append_c (reply, '}');
  cohort_connection_send (self->conn, reply->str);
}

CohortRequest *
cohort_request_defer (CohortRequest *self)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), NULL);

  self->deferred = TRUE;
  return g_object_ref (self);
}

gboolean
cohort_request_is_deferred (CohortRequest *self)
{
  g_return_val_if_fail (COHORT_IS_REQUEST (self), FALSE);

  return self->deferred;
}

void
cohort_request_complete (CohortRequest *self,
                         const char    *json)
{
  g_return_if_fail (COHORT_IS_REQUEST (self));

  self->deferred = FALSE;
  cohort_connection_send (self->conn, json);
}

gboolean
cohort_request_begin_volatile (CohortRequest *self)
{
  GHashTable *replies;
  const char *stored;

  g_return_val_if_fail (COHORT_IS_REQUEST (self), FALSE);

  replies = cohort_connection_get_volatile_replies (self->conn);
  stored = g_hash_table_lookup (replies, cohort_request_get_id (self));
  if (stored != NULL)
    {
      if (stored[0] != '\0')
        cohort_connection_send (self->conn, stored);
      /* else: in flight; its reply is on the way. */
      return FALSE;
    }

  g_hash_table_insert (replies, g_strdup (cohort_request_get_id (self)), g_strdup (""));
  return TRUE;
}

void
cohort_request_reply_volatile (CohortRequest *self,
                               CohortMessage *reply)
{
  g_autofree char *json = NULL;
  GHashTable *replies;

  g_return_if_fail (COHORT_IS_REQUEST (self));

  json = cohort_message_to_json (reply, NULL);
  replies = cohort_connection_get_volatile_replies (self->conn);
  if (cohort_message_get_kind (reply) == COHORT_MESSAGE_OK)
    g_hash_table_replace (replies, g_strdup (cohort_request_get_id (self)), g_strdup (json));
  else
    g_hash_table_remove (replies, cohort_request_get_id (self));

  self->deferred = FALSE;
  if (cohort_connection_is_open (self->conn))
    cohort_connection_send (self->conn, json);
}

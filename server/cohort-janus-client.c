/* cohort-janus-client.c: one Janus API session over a WebSocket (libsoup 3)
 *
 * Janus replies to a plugin "message" either synchronously ("success" with
 * plugindata) or with an "ack" followed by an "event" carrying the same
 * transaction; both complete the request's GTask. Events without a pending
 * transaction go to the handle they name ("sender"). Everything runs on the
 * main context of the thread that made the client.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-janus-client"

#include "config.h"

#include <libsoup/soup.h>

#include "cohort-janus-private.h"

#define KEEPALIVE_INTERVAL_S 25
#define MAX_PAYLOAD_SIZE     (1024 * 1024)

G_DEFINE_QUARK (cohort-janus-error-quark, cohort_janus_error)

typedef struct
{
  GTask                *task;    /* NULL for fire-and-forget requests */
  CohortJanusReplyKind  kind;
} Pending;

static void
pending_free (Pending *p)
{
  if (p->task != NULL)
    {
      g_task_return_new_error (p->task, COHORT_JANUS_ERROR, COHORT_JANUS_ERROR_CLOSED,
                               "The Janus connection closed before it answered");
      g_object_unref (p->task);
    }
  g_free (p);
}

struct _CohortJanusClient
{
  GObject                  parent_instance;

  char                    *uri;
  char                    *api_secret;
  SoupSession             *soup;
  SoupWebsocketConnection *ws;
  guint64                  session_id;
  GHashTable              *pending;   /* transaction → Pending */
  GHashTable              *handles;   /* guint64 *id → CohortJanusHandle (unowned) */
  guint64                  next_transaction;
  guint                    keepalive_source;
};

enum { SIGNAL_CLOSED, N_SIGNALS };
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CohortJanusClient, cohort_janus_client, G_TYPE_OBJECT)

void
_cohort_janus_client_send (CohortJanusClient    *self,
                           const char           *verb,
                           guint64               handle_id,
                           JsonObject           *extra,
                           CohortJanusReplyKind  kind,
                           GTask                *task)
{
  g_autoptr(JsonObject) msg = extra != NULL ? extra : json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *transaction = NULL;
  g_autofree char *text = NULL;
  Pending *p;

  if (self->ws == NULL ||
      soup_websocket_connection_get_state (self->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    {
      if (task != NULL)
        {
          g_task_return_new_error (task, COHORT_JANUS_ERROR, COHORT_JANUS_ERROR_CLOSED,
                                   "Not connected to Janus");
          g_object_unref (task);
        }
      return;
    }

  transaction = g_strdup_printf ("cohort-%" G_GUINT64_FORMAT, ++self->next_transaction);

  json_object_set_string_member (msg, "janus", verb);
  json_object_set_string_member (msg, "transaction", transaction);
  if (self->api_secret != NULL)
    json_object_set_string_member (msg, "apisecret", self->api_secret);
  if (self->session_id != 0)
    json_object_set_int_member (msg, "session_id", (gint64) self->session_id);
  if (handle_id != 0)
    json_object_set_int_member (msg, "handle_id", (gint64) handle_id);

  json_node_set_object (node, msg);
  text = json_to_string (node, FALSE);

  p = g_new0 (Pending, 1);
  p->task = task;
  p->kind = kind;
  g_hash_table_insert (self->pending, g_steal_pointer (&transaction), p);

  soup_websocket_connection_send_text (self->ws, text);
}

void
_cohort_janus_client_forget (CohortJanusClient *self,
                             guint64            handle_id)
{
  g_hash_table_remove (self->handles, &handle_id);
}

static GError *
error_from_reply (JsonObject *root)
{
  JsonObject *err;
  JsonObject *plugindata;

  if (g_strcmp0 (json_object_get_string_member_with_default (root, "janus", ""), "error") == 0 &&
      json_object_has_member (root, "error") &&
      (err = json_object_get_object_member (root, "error")) != NULL)
    return g_error_new (COHORT_JANUS_ERROR,
                        json_object_get_int_member_with_default (err, "code", 0),
                        "Janus error: %s",
                        json_object_get_string_member_with_default (err, "reason", "unknown"));

  if (json_object_has_member (root, "plugindata") &&
      (plugindata = json_object_get_object_member (root, "plugindata")) != NULL &&
      json_object_has_member (plugindata, "data"))
    {
      JsonObject *data = json_object_get_object_member (plugindata, "data");

      if (data != NULL && json_object_has_member (data, "error"))
        return g_error_new (COHORT_JANUS_ERROR,
                            json_object_get_int_member_with_default (data, "error_code", 0),
                            "%s", json_object_get_string_member_with_default (data, "error", "unknown"));
    }

  return NULL;
}

static void
on_ws_message (SoupWebsocketConnection *ws,
               int                      type,
               GBytes                  *message,
               CohortJanusClient       *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GObject) keep_alive = g_object_ref (G_OBJECT (self));
  JsonNode *root_node;
  JsonObject *root;
  const char *verb;
  const char *transaction;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  if (type != SOUP_WEBSOCKET_DATA_TEXT ||
      !json_parser_load_from_data (parser, data, len, &error) ||
      (root_node = json_parser_get_root (parser)) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_warning ("Ignoring a malformed Janus message: %s",
                 error ? error->message : "not a JSON object");
      return;
    }

  root = json_node_get_object (root_node);
  verb = json_object_get_string_member_with_default (root, "janus", "");
  transaction = json_object_get_string_member_with_default (root, "transaction", NULL);

  if (transaction != NULL)
    {
      Pending *p = g_hash_table_lookup (self->pending, transaction);

      if (p != NULL)
        {
          gboolean done = FALSE;

          if (g_str_equal (verb, "ack"))
            done = (p->kind == COHORT_JANUS_REPLY_ACK);
          else if (g_str_equal (verb, "success") || g_str_equal (verb, "error") ||
                   (g_str_equal (verb, "event") && p->kind == COHORT_JANUS_REPLY_EVENT))
            done = TRUE;

          if (done)
            {
              /* Steal the task: GTask may defer the callback to an idle, so
               * pending_free() cannot tell it was already returned. */
              g_autoptr(GTask) task = g_steal_pointer (&p->task);

              if (task != NULL)
                {
                  GError *reply_error = error_from_reply (root);

                  if (reply_error != NULL)
                    g_task_return_error (task, reply_error);
                  else
                    g_task_return_pointer (task, json_object_ref (root),
                                           (GDestroyNotify) json_object_unref);
                }
              g_hash_table_remove (self->pending, transaction);
              return;
            }

          if (g_str_equal (verb, "ack"))
            return;
        }
    }

  if (g_str_equal (verb, "timeout"))
    {
      g_warning ("Janus session %" G_GUINT64_FORMAT " timed out", self->session_id);
      cohort_janus_client_close (self);
      return;
    }

  if (json_object_has_member (root, "sender"))
    {
      guint64 sender = json_object_get_int_member_with_default (root, "sender", 0);
      CohortJanusHandle *handle = g_hash_table_lookup (self->handles, &sender);

      if (handle != NULL)
        _cohort_janus_handle_dispatch (handle, verb, root);
    }
}

static void
on_ws_closed (SoupWebsocketConnection *ws,
              CohortJanusClient       *self)
{
  g_autoptr(GObject) keep_alive = g_object_ref (G_OBJECT (self));

  g_debug ("Janus socket closed (code %u)", soup_websocket_connection_get_close_code (ws));
  g_clear_handle_id (&self->keepalive_source, g_source_remove);
  g_hash_table_remove_all (self->pending);   /* fails every request in flight */
  if (self->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      g_clear_object (&self->ws);
      self->session_id = 0;
      g_signal_emit (self, signals[SIGNAL_CLOSED], 0);
    }
}

static gboolean
keepalive_cb (gpointer user_data)
{
  CohortJanusClient *self = user_data;

  _cohort_janus_client_send (self, "keepalive", 0, NULL, COHORT_JANUS_REPLY_ACK, NULL);
  return G_SOURCE_CONTINUE;
}

static void
session_created_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortJanusClient *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *data;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = json_object_has_member (reply, "data") ? json_object_get_object_member (reply, "data") : NULL;
  if (data == NULL || (self->session_id = json_object_get_int_member_with_default (data, "id", 0)) == 0)
    {
      g_task_return_new_error (task, COHORT_JANUS_ERROR, COHORT_JANUS_ERROR_PROTOCOL,
                               "Janus answered “create” without a session id");
      return;
    }

  self->keepalive_source = g_timeout_add_seconds (KEEPALIVE_INTERVAL_S, keepalive_cb, self);
  g_task_return_boolean (task, TRUE);
}

static void
ws_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortJanusClient *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  GTask *create_task;

  self->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (self->ws == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  soup_websocket_connection_set_max_incoming_payload_size (self->ws, MAX_PAYLOAD_SIZE);
  /* Janus answers pings; ours notice a hung instance within a minute. */
  soup_websocket_connection_set_keepalive_interval (self->ws, 15);
  g_signal_connect (self->ws, "message", G_CALLBACK (on_ws_message), self);
  g_signal_connect (self->ws, "closed", G_CALLBACK (on_ws_closed), self);

  cancellable = g_task_get_cancellable (task);
  create_task = g_task_new (self, cancellable, session_created_cb, g_steal_pointer (&task));
  _cohort_janus_client_send (self, "create", 0, NULL, COHORT_JANUS_REPLY_SUCCESS, create_task);
}

void
cohort_janus_client_connect_async (CohortJanusClient   *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  const char *protocols[] = { "janus-protocol", NULL };

  g_return_if_fail (COHORT_IS_JANUS_CLIENT (self));
  g_return_if_fail (self->ws == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_janus_client_connect_async);

  msg = soup_message_new (SOUP_METHOD_GET, self->uri);
  if (msg == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "“%s” is not a Janus WebSocket address", self->uri);
      return;
    }

  soup_session_websocket_connect_async (self->soup, msg, NULL, (char **) protocols,
                                        G_PRIORITY_DEFAULT, cancellable,
                                        ws_connected_cb, g_steal_pointer (&task));
}

gboolean
cohort_janus_client_connect_finish (CohortJanusClient  *self,
                                    GAsyncResult       *result,
                                    GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint64
cohort_janus_client_get_session_id (CohortJanusClient *self)
{
  g_return_val_if_fail (COHORT_IS_JANUS_CLIENT (self), 0);

  return self->session_id;
}

gboolean
cohort_janus_client_is_connected (CohortJanusClient *self)
{
  g_return_val_if_fail (COHORT_IS_JANUS_CLIENT (self), FALSE);

  return self->ws != NULL && self->session_id != 0 &&
         soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN;
}

void
cohort_janus_client_close (CohortJanusClient *self)
{
  g_return_if_fail (COHORT_IS_JANUS_CLIENT (self));

  if (self->ws != NULL && self->session_id != 0)
    _cohort_janus_client_send (self, "destroy", 0, NULL, COHORT_JANUS_REPLY_SUCCESS, NULL);
  self->session_id = 0;

  if (self->ws != NULL &&
      soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  else if (self->ws != NULL)
    on_ws_closed (self->ws, self);
}

static void
attached_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortJanusClient *self = g_task_get_source_object (task);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  CohortJanusHandle *handle;
  JsonObject *data;
  guint64 id;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = json_object_has_member (reply, "data") ? json_object_get_object_member (reply, "data") : NULL;
  if (data == NULL || (id = json_object_get_int_member_with_default (data, "id", 0)) == 0)
    {
      g_task_return_new_error (task, COHORT_JANUS_ERROR, COHORT_JANUS_ERROR_PROTOCOL,
                               "Janus answered “attach” without a handle id");
      return;
    }

  handle = _cohort_janus_handle_new (self, id);
  g_hash_table_insert (self->handles, g_memdup2 (&id, sizeof id), handle);
  g_task_return_pointer (task, handle, g_object_unref);
}

void
cohort_janus_client_attach_async (CohortJanusClient   *self,
                                  const char          *plugin,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  JsonObject *extra;

  g_return_if_fail (COHORT_IS_JANUS_CLIENT (self));
  g_return_if_fail (plugin != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_janus_client_attach_async);

  extra = json_object_new ();
  json_object_set_string_member (extra, "plugin", plugin);
  _cohort_janus_client_send (self, "attach", 0, extra, COHORT_JANUS_REPLY_SUCCESS,
                             g_task_new (self, cancellable, attached_cb, task));
}

CohortJanusHandle *
cohort_janus_client_attach_finish (CohortJanusClient  *self,
                                   GAsyncResult       *result,
                                   GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

CohortJanusClient *
cohort_janus_client_new (const char *uri,
                         const char *api_secret)
{
  CohortJanusClient *self = g_object_new (COHORT_TYPE_JANUS_CLIENT, NULL);

  self->uri = g_strdup (uri);
  self->api_secret = g_strdup (api_secret);

  return self;
}

static void
cohort_janus_client_dispose (GObject *object)
{
  CohortJanusClient *self = COHORT_JANUS_CLIENT (object);

  g_clear_handle_id (&self->keepalive_source, g_source_remove);
  if (self->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->ws, self);
      if (soup_websocket_connection_get_state (self->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->ws);
    }
  if (self->pending != NULL)
    g_hash_table_remove_all (self->pending);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (cohort_janus_client_parent_class)->dispose (object);
}

static void
cohort_janus_client_finalize (GObject *object)
{
  CohortJanusClient *self = COHORT_JANUS_CLIENT (object);

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->handles, g_hash_table_unref);
  g_free (self->uri);
  g_free (self->api_secret);

  G_OBJECT_CLASS (cohort_janus_client_parent_class)->finalize (object);
}

static void
cohort_janus_client_class_init (CohortJanusClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_janus_client_dispose;
  object_class->finalize = cohort_janus_client_finalize;

  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cohort_janus_client_init (CohortJanusClient *self)
{
  /* A private loopback socket: never ask the desktop's proxy settings. */
  self->soup = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) pending_free);
  self->handles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
}

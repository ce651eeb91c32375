/* cohort-janus-handle.c: one plugin handle inside a Janus session
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-janus-client"

#include "config.h"

#include "cohort-janus-private.h"

struct _CohortJanusHandle
{
  GObject            parent_instance;

  CohortJanusClient *client;
  guint64            id;
  gboolean           detached;
};

enum {
  SIGNAL_EVENT,
  SIGNAL_WEBRTCUP,
  SIGNAL_MEDIA,
  SIGNAL_SLOWLINK,
  SIGNAL_HANGUP,
  SIGNAL_DETACHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CohortJanusHandle, cohort_janus_handle, G_TYPE_OBJECT)

CohortJanusHandle *
_cohort_janus_handle_new (CohortJanusClient *client,
                          guint64            id)
{
  CohortJanusHandle *self = g_object_new (COHORT_TYPE_JANUS_HANDLE, NULL);

  self->client = g_object_ref (client);
  self->id = id;

  return self;
}

void
_cohort_janus_handle_dispatch (CohortJanusHandle *self,
                               const char        *verb,
                               JsonObject        *root)
{
  g_object_ref (self);

  if (g_str_equal (verb, "event"))
    {
      JsonObject *plugindata = json_object_has_member (root, "plugindata") ?
                               json_object_get_object_member (root, "plugindata") : NULL;
      JsonObject *data = plugindata != NULL && json_object_has_member (plugindata, "data") ?
                         json_object_get_object_member (plugindata, "data") : NULL;
      JsonObject *jsep = json_object_has_member (root, "jsep") ?
                         json_object_get_object_member (root, "jsep") : NULL;

      if (data != NULL)
        g_signal_emit (self, signals[SIGNAL_EVENT], 0, data, jsep);
    }
  else if (g_str_equal (verb, "webrtcup"))
    g_signal_emit (self, signals[SIGNAL_WEBRTCUP], 0);
  else if (g_str_equal (verb, "media"))
    g_signal_emit (self, signals[SIGNAL_MEDIA], 0,
                   json_object_get_string_member_with_default (root, "type", ""),
                   json_object_get_boolean_member_with_default (root, "receiving", FALSE));
  else if (g_str_equal (verb, "slowlink"))
    g_signal_emit (self, signals[SIGNAL_SLOWLINK], 0,
                   json_object_get_boolean_member_with_default (root, "uplink", FALSE),
                   (guint) json_object_get_int_member_with_default (root, "lost", 0));
  else if (g_str_equal (verb, "hangup"))
    g_signal_emit (self, signals[SIGNAL_HANGUP], 0,
                   json_object_get_string_member_with_default (root, "reason", ""));
  else if (g_str_equal (verb, "detached"))
    {
      self->detached = TRUE;
      g_signal_emit (self, signals[SIGNAL_DETACHED], 0);
    }

  g_object_unref (self);
}

guint64
cohort_janus_handle_get_id (CohortJanusHandle *self)
{
  g_return_val_if_fail (COHORT_IS_JANUS_HANDLE (self), 0);

  return self->id;
}

gboolean
cohort_janus_handle_is_detached (CohortJanusHandle *self)
{
  g_return_val_if_fail (COHORT_IS_JANUS_HANDLE (self), TRUE);

  return self->detached;
}

static void
message_reply_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  GError *error = NULL;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) json_object_unref);
}

void
cohort_janus_handle_send_message_async (CohortJanusHandle   *self,
                                        JsonObject          *body,
                                        const char          *jsep_type,
                                        const char          *jsep_sdp,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;
  JsonObject *extra;

  g_return_if_fail (COHORT_IS_JANUS_HANDLE (self));
  g_return_if_fail (body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_janus_handle_send_message_async);

  if (self->detached)
    {
      g_task_return_new_error (task, COHORT_JANUS_ERROR, COHORT_JANUS_ERROR_CLOSED,
                               "The Janus handle is detached");
      g_object_unref (task);
      return;
    }

  extra = json_object_new ();
  json_object_set_object_member (extra, "body", json_object_ref (body));
  if (jsep_type != NULL && jsep_sdp != NULL)
    {
      JsonObject *jsep = json_object_new ();

      json_object_set_string_member (jsep, "type", jsep_type);
      json_object_set_string_member (jsep, "sdp", jsep_sdp);
      json_object_set_object_member (extra, "jsep", jsep);
    }

  _cohort_janus_client_send (self->client, "message", self->id, extra, COHORT_JANUS_REPLY_EVENT,
                             g_task_new (self->client, cancellable, message_reply_cb, task));
}

JsonObject *
cohort_janus_handle_send_message_finish (CohortJanusHandle  *self,
                                         GAsyncResult       *result,
                                         JsonObject        **out_jsep,
                                         GError            **error)
{
  g_autoptr(JsonObject) reply = NULL;
  JsonObject *plugindata;
  JsonObject *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  reply = g_task_propagate_pointer (G_TASK (result), error);
  if (reply == NULL)
    return NULL;

  plugindata = json_object_has_member (reply, "plugindata") ?
               json_object_get_object_member (reply, "plugindata") : NULL;
  data = plugindata != NULL && json_object_has_member (plugindata, "data") ?
         json_object_get_object_member (plugindata, "data") : NULL;
  if (data == NULL)
    {
      g_set_error (error, COHORT_JANUS_ERROR, COHORT_JANUS_ERROR_PROTOCOL,
                   "The plugin answered without plugindata");
      return NULL;
    }

  if (out_jsep != NULL)
    *out_jsep = json_object_has_member (reply, "jsep") ?
                json_object_ref (json_object_get_object_member (reply, "jsep")) : NULL;

  return json_object_ref (data);
}

/* Sends @cand (taken) as the handle's trickle candidate. */
static void
send_trickle (CohortJanusHandle *self,
              JsonObject        *cand)
{
  JsonObject *extra = json_object_new ();

  json_object_set_object_member (extra, "candidate", cand);
  _cohort_janus_client_send (self->client, "trickle", self->id, extra, COHORT_JANUS_REPLY_ACK, NULL);
}

void
cohort_janus_handle_trickle (CohortJanusHandle *self,
                             guint              mline_index,
                             const char        *candidate)
{
  JsonObject *cand;

  g_return_if_fail (COHORT_IS_JANUS_HANDLE (self));

  if (self->detached)
    return;

  cand = json_object_new ();
  json_object_set_string_member (cand, "candidate", candidate);
  json_object_set_int_member (cand, "sdpMLineIndex", mline_index);
  send_trickle (self, cand);
}

void
cohort_janus_handle_trickle_completed (CohortJanusHandle *self)
{
  JsonObject *cand;

  g_return_if_fail (COHORT_IS_JANUS_HANDLE (self));

  if (self->detached)
    return;

  cand = json_object_new ();
  json_object_set_boolean_member (cand, "completed", TRUE);
  send_trickle (self, cand);
}

void
cohort_janus_handle_detach (CohortJanusHandle *self)
{
  g_return_if_fail (COHORT_IS_JANUS_HANDLE (self));

  if (self->detached)
    return;

  self->detached = TRUE;
  _cohort_janus_client_send (self->client, "detach", self->id, NULL, COHORT_JANUS_REPLY_SUCCESS, NULL);
}

static void
cohort_janus_handle_finalize (GObject *object)
{
  CohortJanusHandle *self = COHORT_JANUS_HANDLE (object);

  if (self->client != NULL)
    {
      _cohort_janus_client_forget (self->client, self->id);
      g_clear_object (&self->client);
    }

  G_OBJECT_CLASS (cohort_janus_handle_parent_class)->finalize (object);
}

static void
cohort_janus_handle_class_init (CohortJanusHandleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cohort_janus_handle_finalize;

  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  JSON_TYPE_OBJECT, JSON_TYPE_OBJECT);
  signals[SIGNAL_WEBRTCUP] =
    g_signal_new ("webrtcup", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_MEDIA] =
    g_signal_new ("media", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SIGNAL_SLOWLINK] =
    g_signal_new ("slowlink", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_BOOLEAN, G_TYPE_UINT);
  signals[SIGNAL_HANGUP] =
    g_signal_new ("hangup", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_DETACHED] =
    g_signal_new ("detached", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cohort_janus_handle_init (CohortJanusHandle *self)
{
}

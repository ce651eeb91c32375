/* cohort-session-staff.c: the staff requests of CohortSession
 *
 * staff.classes, staff.archive and staff.unarchive need no class: each goes
 * over a WebSocket of its own, opened for the one request and closed after
 * its reply, so the session's class connection (if any) is not disturbed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-session"

#include "config.h"

#include <libsoup/soup.h>

#include "cohort-class-summary.h"
#include "cohort-identity-protocol.h"
#include "cohort-json-private.h"
#include "cohort-session-private.h"

G_DEFINE_QUARK (cohort-session-error-quark, cohort_session_error)

GError *
_cohort_session_staff_error (CohortMessage *reply)
{
  if (cohort_message_get_kind (reply) != COHORT_MESSAGE_ERROR)
    return NULL;

  if (cohort_message_get_reason (reply) == COHORT_INVALID_NO_STAFF)
    return g_error_new_literal (COHORT_SESSION_ERROR, COHORT_SESSION_ERROR_NO_STAFF,
                                cohort_message_get_error_message (reply));
  if (cohort_message_get_error_code (reply) == COHORT_ERROR_UNAUTHORIZED &&
      g_strcmp0 (cohort_message_get_field (reply), "staff_credential") == 0)
    return g_error_new_literal (COHORT_SESSION_ERROR, COHORT_SESSION_ERROR_UNAUTHORIZED,
                                cohort_message_get_error_message (reply));
  if (cohort_message_get_error_code (reply) == COHORT_ERROR_FORBIDDEN &&
      g_strcmp0 (cohort_message_get_field (reply), "staff_credential") == 0)
    return g_error_new_literal (COHORT_SESSION_ERROR, COHORT_SESSION_ERROR_NOT_OWNER,
                                cohort_message_get_error_message (reply));
  return NULL;
}

typedef struct
{
  SoupSession             *soup;
  SoupWebsocketConnection *ws;
  char                    *type;
  char                    *id;
  JsonObject              *body;
  gboolean                 done;
} StaffRequest;

static void
staff_request_free (StaffRequest *request)
{
  if (request->ws != NULL)
    {
      g_signal_handlers_disconnect_matched (request->ws, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, NULL);
      if (soup_websocket_connection_get_state (request->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (request->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_clear_object (&request->ws);
    }
  g_clear_object (&request->soup);
  g_free (request->type);
  g_free (request->id);
  g_clear_pointer (&request->body, json_object_unref);
  g_free (request);
}

/* Returns the task once; drops the reference the socket's handlers held
 * (see on_connected). */
static void
finish (GTask         *task,
        CohortMessage *reply,
        GError        *error)
{
  StaffRequest *request = g_task_get_task_data (task);

  if (request->done)
    {
      g_clear_error (&error);
      return;
    }
  request->done = TRUE;
  if (request->ws != NULL)
    g_signal_handlers_disconnect_matched (request->ws, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, task);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cohort_message_ref (reply), (GDestroyNotify) cohort_message_unref);
  g_object_unref (task);
}

static void
on_message (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *bytes,
            GTask                   *task)
{
  StaffRequest *request = g_task_get_task_data (task);
  g_autoptr(CohortMessage) message = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (type != SOUP_WEBSOCKET_DATA_TEXT ||
      !(message = cohort_protocol_parse_server (data, length, NULL)) ||
      g_strcmp0 (cohort_message_get_id (message), request->id) != 0)
    return;

  finish (task, message, NULL);
}

static void
on_closed (SoupWebsocketConnection *ws,
           GTask                   *task)
{
  finish (task, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                           "The class server closed the connection"));
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  /* This reference lives until finish(). */
  GTask *task = user_data;
  StaffRequest *request = g_task_get_task_data (task);
  g_autoptr(CohortMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  request->ws = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (request->ws == NULL)
    {
      finish (task, NULL, g_steal_pointer (&error));
      return;
    }

  g_signal_connect (request->ws, "message", G_CALLBACK (on_message), task);
  g_signal_connect (request->ws, "closed", G_CALLBACK (on_closed), task);
  message = cohort_message_new_request (request->type, request->id, request->body);
  json = cohort_message_to_json (message, NULL);
  soup_websocket_connection_send_text (request->ws, json);
}

/* Sends @type with @body (taken) on a socket of its own. */
static void
staff_request_start (CohortSession       *self,
                     const char          *server_url,
                     const char          *type,
                     JsonObject          *body,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data,
                     gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  StaffRequest *request;

  g_task_set_source_tag (task, source_tag);
  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);

  request = g_new0 (StaffRequest, 1);
  request->type = g_strdup (type);
  request->id = cohort_protocol_new_request_id ();
  request->body = body;
  g_task_set_task_data (task, request, (GDestroyNotify) staff_request_free);

  if (!(url = _cohort_session_normalize_url (server_url, &error)) ||
      !(msg = soup_message_new (SOUP_METHOD_GET, url)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "%s",
                               error != NULL ? error->message : "Invalid server address");
      return;
    }

  request->soup = soup_session_new ();
  soup_session_websocket_connect_async (request->soup, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                        cancellable, on_connected, g_object_ref (task));
}

/* The reply's ok body, or the error (staff errors as COHORT_SESSION_ERROR). */
static JsonObject *
staff_request_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_autoptr(CohortMessage) reply = g_task_propagate_pointer (G_TASK (result), error);
  g_autoptr(GError) check_error = NULL;

  if (reply == NULL)
    return NULL;

  if (!cohort_message_check (reply, &check_error))
    {
      GError *staff_error = _cohort_session_staff_error (reply);

      g_propagate_error (error, staff_error != NULL ? staff_error : g_steal_pointer (&check_error));
      return NULL;
    }
  return json_object_ref (cohort_message_get_body (reply));
}

void
cohort_session_list_staff_classes_async (CohortSession       *self,
                                         const char          *server_url,
                                         const char          *staff_credential,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  JsonObject *body;

  g_return_if_fail (COHORT_IS_SESSION (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (staff_credential != NULL);

  body = json_object_new ();
  json_object_set_string_member (body, "staff_credential", staff_credential);
  staff_request_start (self, server_url, COHORT_REQ_STAFF_CLASSES, body, cancellable, callback,
                       user_data, cohort_session_list_staff_classes_async);
}

GListModel *
cohort_session_list_staff_classes_finish (CohortSession  *self,
                                          GAsyncResult   *result,
                                          GError        **error)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GListStore) store = NULL;

  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(body = staff_request_finish (result, error)))
    return NULL;

  summaries = _cohort_json_map_objects (_cohort_json_array (body, "classes"),
                                        (gpointer (*) (JsonObject *))
                                        cohort_class_summary_new_from_json);
  store = g_list_store_new (COHORT_TYPE_CLASS_SUMMARY);
  g_list_store_splice (store, 0, 0, summaries->pdata, summaries->len);
  return G_LIST_MODEL (g_steal_pointer (&store));
}

void
cohort_session_archive_class_async (CohortSession       *self,
                                    const char          *server_url,
                                    const char          *code,
                                    const char          *staff_credential,
                                    gboolean             archived,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  JsonObject *body;

  g_return_if_fail (COHORT_IS_SESSION (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (code != NULL);
  g_return_if_fail (staff_credential != NULL);

  body = json_object_new ();
  json_object_set_string_member (body, "staff_credential", staff_credential);
  json_object_set_string_member (body, "code", code);
  staff_request_start (self, server_url,
                       archived ? COHORT_REQ_STAFF_ARCHIVE : COHORT_REQ_STAFF_UNARCHIVE,
                       body, cancellable, callback, user_data, cohort_session_archive_class_async);
}

gboolean
cohort_session_archive_class_finish (CohortSession  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_val_if_fail (COHORT_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  body = staff_request_finish (result, error);
  return body != NULL;
}

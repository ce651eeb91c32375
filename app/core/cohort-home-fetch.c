/* cohort-home-fetch.c: GET /api/v1/home over libsoup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-home-fetch"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cohort-home-fetch.h"
#include "cohort-json-private.h"
#include "cohort-json-strict.h"

/* A home reply is a few hundred bytes; a server sending more is not one. */
#define MAX_REPLY_BYTES (64 * 1024)
#define READ_CHUNK      (16 * 1024)

typedef struct
{
  SoupMessage  *msg;
  GInputStream *stream;
  GByteArray   *data;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->msg);
  g_clear_object (&fetch->stream);
  g_clear_pointer (&fetch->data, g_byte_array_unref);
  g_free (fetch);
}

char *
cohort_home_url_for_server (const char *server_url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *http_scheme;

  if (server_url == NULL || !(uri = g_uri_parse (server_url, G_URI_FLAGS_NONE, NULL)))
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "ws") == 0 || g_ascii_strcasecmp (scheme, "http") == 0)
    http_scheme = "http";
  else if (g_ascii_strcasecmp (scheme, "wss") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
    http_scheme = "https";
  else
    return NULL;
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;
  /* The server answers /ws and /api/v1/home side by side at its root. */
  return g_uri_join (G_URI_FLAGS_NONE, http_scheme, NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "/api/v1/home", NULL, NULL);
}

static void
finish_reply (GTask *task)
{
  Fetch *fetch = g_task_get_task_data (task);
  guint status = soup_message_get_status (fetch->msg);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object = NULL;

  /* json-glib is lenient; it reads only what the strict check passed. */
  if (cohort_json_strict_check ((const char *) fetch->data->data, fetch->data->len, NULL) ==
      COHORT_JSON_STRICT_OK)
    {
      g_autofree char *text = g_strndup ((const char *) fetch->data->data, fetch->data->len);

      node = json_from_string (text, NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        object = json_node_get_object (node);
    }

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               _("This device is no longer signed in to the class."));
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      const char *message = _cohort_json_string (object, "message");

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s",
                               message != NULL ? message : soup_status_get_phrase (status));
      return;
    }
  if (object == NULL || _cohort_json_object (object, "class") == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The class server sent an answer Cohort does not understand."));
      return;
    }
  g_task_return_pointer (task, json_object_ref (object), (GDestroyNotify) json_object_unref);
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      finish_reply (task);
      return;
    }
  g_byte_array_append (fetch->data, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  if (fetch->data->len > MAX_REPLY_BYTES)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The class server sent an answer Cohort does not understand."));
      return;
    }
  g_input_stream_read_bytes_async (fetch->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, g_object_ref (task));
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  fetch->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (fetch->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_input_stream_read_bytes_async (fetch->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), read_cb, g_object_ref (task));
}

void
cohort_home_fetch_async (SoupSession         *session,
                         const char          *server_url,
                         const char          *token,
                         gint64               since_chat,
                         gint64               since_group,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *base = NULL;
  g_autofree char *url = NULL;
  g_autofree char *auth = NULL;
  Fetch *fetch;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (token != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_home_fetch_async);

  if (!(base = cohort_home_url_for_server (server_url)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not the address of a class server."), server_url);
      return;
    }
  url = g_strdup_printf ("%s?since_chat=%" G_GINT64_FORMAT "&since_group=%" G_GINT64_FORMAT,
                         base, MAX (since_chat, 0), MAX (since_group, 0));

  fetch = g_new0 (Fetch, 1);
  fetch->data = g_byte_array_new ();
  fetch->msg = soup_message_new (SOUP_METHOD_GET, url);
  g_task_set_task_data (task, fetch, (GDestroyNotify) fetch_free);
  if (fetch->msg == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not the address of a class server."), server_url);
      return;
    }
  /* The token goes in a header, never in the URL (docs/protocol-home.md). */
  auth = g_strconcat ("Bearer ", token, NULL);
  soup_message_headers_replace (soup_message_get_request_headers (fetch->msg), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (fetch->msg), "Accept", "application/json");
  soup_session_send_async (session, fetch->msg, G_PRIORITY_DEFAULT, cancellable,
                           send_cb, g_steal_pointer (&task));
}

JsonObject *
cohort_home_fetch_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cohort_home_fetch_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

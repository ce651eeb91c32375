/* cohort-media-janus-admin.c: the rig's Janus, read through its Admin API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-media-janus-admin"

#include "config.h"

#include <libsoup/soup.h>

#include "cohort-media-janus-admin.h"
#include "cohort-test-wait.h"

struct _CohortJanusAdmin
{
  SoupSession             *session;
  SoupWebsocketConnection *ws;
  char                    *secret;
  GQueue                   replies;   /* JsonObject */
  guint                    next_transaction;
};

/* `key = "value"` or `key = value` in a Janus .jcfg file. */
static char *
jcfg_value (const char *dir,
            const char *file,
            const char *key)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (g_strstrip (lines[i]), "=", 2);

      if (kv[0] != NULL && kv[1] != NULL && g_str_equal (g_strstrip (kv[0]), key))
        {
          char *value = g_strstrip (kv[1]);
          gsize len = strlen (value);

          if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
            return g_strndup (value + 1, len - 2);
          return g_strdup (value);
        }
    }

  return NULL;
}

/* The directory of the -C argument on Janus's command line. */
static char *
janus_config_dir (GPid janus_pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/cmdline", (int) janus_pid);
  g_autofree char *cmdline = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &cmdline, &len, NULL));
  for (const char *arg = cmdline; arg < cmdline + len; arg += strlen (arg) + 1)
    if (g_str_equal (arg, "-C") && arg + 3 < cmdline + len)
      return g_path_get_dirname (arg + 3);

  g_assert_not_reached ();
}

static void
on_message (SoupWebsocketConnection *ws,
            gint                     type,
            GBytes                  *message,
            gpointer                 user_data)
{
  CohortJanusAdmin *admin = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size = 0;
  const char *data = g_bytes_get_data (message, &size);

  if (type == SOUP_WEBSOCKET_DATA_TEXT && json_parser_load_from_data (parser, data, size, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    g_queue_push_tail (&admin->replies, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

CohortJanusAdmin *
cohort_janus_admin_connect (GPid janus_pid)
{
  CohortJanusAdmin *admin = g_new0 (CohortJanusAdmin, 1);
  g_autofree char *dir = janus_config_dir (janus_pid);
  g_autofree char *port = jcfg_value (dir, "janus.transport.websockets.jcfg", "admin_ws_port");
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *protocols[] = { "janus-admin-protocol", NULL };

  g_assert_nonnull (port);
  admin->secret = jcfg_value (dir, "janus.jcfg", "admin_secret");
  g_assert_nonnull (admin->secret);
  g_queue_init (&admin->replies);

  url = g_strdup_printf ("ws://127.0.0.1:%s/", port);
  admin->session = soup_session_new ();
  msg = soup_message_new ("GET", url);
  soup_session_websocket_connect_async (admin->session, msg, NULL, (char **) protocols,
                                        G_PRIORITY_DEFAULT, NULL, on_connected, &result);
  g_assert_true (cohort_test_wait_for (result_ready, &result, COHORT_TEST_TIMEOUT_MS));
  admin->ws = soup_session_websocket_connect_finish (admin->session, result, &error);
  g_assert_no_error (error);
  g_signal_connect (admin->ws, "message", G_CALLBACK (on_message), admin);

  return admin;
}

void
cohort_janus_admin_free (CohortJanusAdmin *admin)
{
  if (admin == NULL)
    return;
  if (admin->ws != NULL)
    {
      g_signal_handlers_disconnect_by_data (admin->ws, admin);
      if (soup_websocket_connection_get_state (admin->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (admin->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (admin->ws);
    }
  g_clear_object (&admin->session);
  g_queue_clear_full (&admin->replies, (GDestroyNotify) json_object_unref);
  g_free (admin->secret);
  g_free (admin);
}

typedef struct
{
  CohortJanusAdmin *admin;
  const char       *transaction;
  JsonObject       *reply;
} ReplyWait;

static gboolean
reply_arrived (gpointer data)
{
  ReplyWait *rw = data;

  while (rw->reply == NULL && !g_queue_is_empty (&rw->admin->replies))
    {
      JsonObject *reply = g_queue_pop_head (&rw->admin->replies);

      if (g_strcmp0 (json_object_get_string_member_with_default (reply, "transaction", NULL),
                     rw->transaction) == 0)
        rw->reply = reply;
      else
        json_object_unref (reply);
    }

  return rw->reply != NULL;
}

JsonObject *
cohort_janus_admin_request (CohortJanusAdmin *admin,
                            const char       *request,
                            gint64            session_id,
                            gint64            handle_id)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *transaction = g_strdup_printf ("cohort-test-%u", admin->next_transaction++);
  g_autofree char *text = NULL;
  ReplyWait rw = { admin, transaction, NULL };

  json_object_set_string_member (body, "janus", request);
  json_object_set_string_member (body, "transaction", transaction);
  json_object_set_string_member (body, "admin_secret", admin->secret);
  if (session_id != 0)
    json_object_set_int_member (body, "session_id", session_id);
  if (handle_id != 0)
    json_object_set_int_member (body, "handle_id", handle_id);
  json_node_set_object (node, body);
  text = json_to_string (node, FALSE);
  soup_websocket_connection_send_text (admin->ws, text);

  g_assert_true (cohort_test_wait_for (reply_arrived, &rw, COHORT_TEST_TIMEOUT_MS));
  g_assert_cmpstr (json_object_get_string_member_with_default (rw.reply, "janus", NULL), ==, "success");
  return rw.reply;
}

GPtrArray *
cohort_janus_admin_handle_infos (CohortJanusAdmin *admin)
{
  GPtrArray *infos = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonObject) sessions = cohort_janus_admin_request (admin, "list_sessions", 0, 0);
  JsonArray *session_ids = json_object_get_array_member (sessions, "sessions");

  for (guint i = 0; i < json_array_get_length (session_ids); i++)
    {
      gint64 session_id = json_array_get_int_element (session_ids, i);
      g_autoptr(JsonObject) handles = cohort_janus_admin_request (admin, "list_handles", session_id, 0);
      JsonArray *handle_ids = json_object_get_array_member (handles, "handles");

      for (guint j = 0; j < json_array_get_length (handle_ids); j++)
        {
          g_autoptr(JsonObject) reply =
            cohort_janus_admin_request (admin, "handle_info", session_id,
                                        json_array_get_int_element (handle_ids, j));

          g_ptr_array_add (infos, json_object_ref (json_object_get_object_member (reply, "info")));
        }
    }

  return infos;
}

/* A handle is the subscriber of the client at @address when its plugin
 * says "subscriber" and its ICE candidates name that address. */
static gboolean
is_subscriber_of (JsonObject *info,
                  const char *address)
{
  JsonObject *plugin = json_object_get_object_member (info, "plugin_specific");
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), info);
  g_autofree char *text = json_to_string (node, FALSE);

  return plugin != NULL &&
         g_strcmp0 (json_object_get_string_member_with_default (plugin, "type", NULL), "subscriber") == 0 &&
         strstr (text, address) != NULL;
}

JsonObject *
cohort_janus_admin_subscriber_medium (CohortJanusAdmin *admin,
                                      const char       *address,
                                      const char       *type,
                                      guint            *n_handles)
{
  g_autoptr(GPtrArray) infos = cohort_janus_admin_handle_infos (admin);
  JsonObject *found = NULL;

  *n_handles = 0;
  for (guint i = 0; i < infos->len; i++)
    {
      JsonObject *info = g_ptr_array_index (infos, i);
      JsonObject *webrtc, *media;
      g_autoptr(GList) mids = NULL;

      if (!is_subscriber_of (info, address))
        continue;
      (*n_handles)++;
      webrtc = json_object_get_object_member (info, "webrtc");
      if (webrtc == NULL || !json_object_has_member (webrtc, "media"))
        continue;
      media = json_object_get_object_member (webrtc, "media");
      mids = json_object_get_members (media);
      for (GList *l = mids; l != NULL && found == NULL; l = l->next)
        {
          JsonObject *medium = json_object_get_object_member (media, l->data);

          if (g_strcmp0 (json_object_get_string_member_with_default (medium, "type", NULL), type) == 0)
            found = json_object_ref (medium);
        }
    }

  return found;
}

/* rtcp.main.<name>, or stats.in/stats.out.<name>: 0 when absent. */
gint64
cohort_janus_admin_medium_stat (JsonObject *medium,
                                const char *section,
                                const char *name)
{
  JsonObject *object = medium;

  if (g_str_equal (section, "rtcp"))
    {
      JsonObject *rtcp = json_object_has_member (medium, "rtcp") ?
                         json_object_get_object_member (medium, "rtcp") : NULL;

      object = rtcp != NULL ? json_object_get_object_member (rtcp, "main") : NULL;
    }
  else if (section[0] != '\0')
    {
      /* A medium before its first packet has no stats yet. */
      JsonObject *stats = json_object_has_member (medium, "stats") ?
                          json_object_get_object_member (medium, "stats") : NULL;

      object = stats != NULL ? json_object_get_object_member (stats, section) : NULL;
    }

  return object != NULL ? json_object_get_int_member_with_default (object, name, 0) : 0;
}

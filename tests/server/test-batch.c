/* test-batch.c: batch frames (several events in one WebSocket message,
 * one per line) go only to clients that ask for them with ?batch=1, and
 * carry exactly the events, in the same order, that a plain client gets
 * one frame each.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-chat-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"

#define N_MESSAGES 4

typedef struct
{
  SoupSession             *session;
  SoupWebsocketConnection *ws;
  GPtrArray               *frames;     /* char *, as received */
  guint                    n_chat;     /* chat.message events among them */
} RawClient;

static void
on_message (SoupWebsocketConnection *ws,
            SoupWebsocketDataType    type,
            GBytes                  *bytes,
            RawClient               *raw)
{
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  char *frame = g_strndup (data, length);

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  g_ptr_array_add (raw->frames, frame);
  for (const char *p = frame; (p = strstr (p, "\"event\":\"" COHORT_EV_CHAT_MESSAGE "\"")); p++)
    raw->n_chat++;
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RawClient *raw = user_data;
  g_autoptr(GError) error = NULL;

  raw->ws = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  g_assert_no_error (error);
  g_signal_connect (raw->ws, "message", G_CALLBACK (on_message), raw);
}

static RawClient *
raw_client_new (const char *url)
{
  RawClient *raw = g_new0 (RawClient, 1);
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, url);

  raw->session = soup_session_new ();
  raw->frames = g_ptr_array_new_with_free_func (g_free);
  soup_session_websocket_connect_async (raw->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_connected, raw);
  while (raw->ws == NULL)
    g_main_context_iteration (NULL, TRUE);
  return raw;
}

static void
raw_client_free (RawClient *raw)
{
  soup_websocket_connection_close (raw->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&raw->ws);
  g_clear_object (&raw->session);
  g_ptr_array_unref (raw->frames);
  g_free (raw);
}

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for (RawClient *raw,
          gboolean (*done) (RawClient *raw))
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (5000, on_timeout, &timed_out);

  while (!done (raw) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (id);
}

static gboolean
has_reply (RawClient *raw)
{
  for (guint i = 0; i < raw->frames->len; i++)
    if (strstr (g_ptr_array_index (raw->frames, i), "\"re\":\"j\"") != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
has_all_chat (RawClient *raw)
{
  return raw->n_chat >= N_MESSAGES;
}

static void
raw_join (RawClient  *raw,
          const char *code,
          const char *name)
{
  g_autofree char *join = g_strdup_printf ("{\"type\":\"class.join\",\"id\":\"j\",\"body\":"
                                           "{\"protocol\":2,\"code\":\"%s\",\"name\":\"%s\"}}",
                                           code, name);

  soup_websocket_connection_send_text (raw->ws, join);
  wait_for (raw, has_reply);
  g_ptr_array_set_size (raw->frames, 0);
  raw->n_chat = 0;
}

/* Every line of every frame from index 0, each checked to be a message. */
static GPtrArray *
messages_of (RawClient *raw,
             guint     *out_max_per_frame)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  *out_max_per_frame = 0;
  for (guint i = 0; i < raw->frames->len; i++)
    {
      g_auto(GStrv) parts = g_strsplit (g_ptr_array_index (raw->frames, i), "\n", -1);
      guint n = g_strv_length (parts);

      *out_max_per_frame = MAX (*out_max_per_frame, n);
      for (guint j = 0; j < n; j++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(CohortMessage) message = cohort_protocol_parse_server (parts[j], strlen (parts[j]), &error);

          g_assert_no_error (error);
          g_assert_nonnull (message);
          /* (the plain client also saw the other one join) */
          if (g_strcmp0 (cohort_message_get_name (message), COHORT_EV_CHAT_MESSAGE) == 0)
            g_ptr_array_add (lines, g_strdup (parts[j]));
        }
    }
  return lines;
}

static void
test_batch_frames (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autofree char *batch_url = g_strconcat (cohort_test_server_get_url (server), "?batch=1", NULL);
  CohortTestClient *teacher = cohort_test_client_new (cohort_test_server_get_url (server));
  JsonObject *created = cohort_test_client_create_class (teacher, "Batch 101", "Teacher");
  const char *code = json_object_get_string_member (json_object_get_object_member (created, "class"),
                                                    "code");
  RawClient *plain = raw_client_new (cohort_test_server_get_url (server));
  RawClient *batched = raw_client_new (batch_url);
  g_autoptr(GPtrArray) plain_lines = NULL;
  g_autoptr(GPtrArray) batch_lines = NULL;
  guint plain_max = 0, batch_max = 0;

  raw_join (plain, code, "Plain");
  raw_join (batched, code, "Batched");

  /* Back to back: they reach the server within one flush window, so
   * their events leave together. */
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autofree char *send = g_strdup_printf ("{\"type\":\"" COHORT_REQ_CHAT_SEND "\",\"id\":\"m%u\","
                                               "\"body\":{\"text\":\"line %u\"}}", i, i);

      cohort_test_client_send_text (teacher, send);
    }

  wait_for (plain, has_all_chat);
  wait_for (batched, has_all_chat);

  plain_lines = messages_of (plain, &plain_max);
  batch_lines = messages_of (batched, &batch_max);

  /* The plain client never sees a batch. */
  g_assert_cmpuint (plain_max, ==, 1);
  /* The batching client got at least one frame with several events... */
  g_assert_cmpuint (batch_max, >=, 2);
  /* ...and the same events, byte for byte, in the same order. */
  g_assert_cmpuint (plain_lines->len, ==, N_MESSAGES);
  g_assert_cmpuint (batch_lines->len, ==, plain_lines->len);
  for (guint i = 0; i < plain_lines->len; i++)
    g_assert_cmpstr (g_ptr_array_index (batch_lines, i), ==, g_ptr_array_index (plain_lines, i));

  raw_client_free (plain);
  raw_client_free (batched);
  json_object_unref (created);
  cohort_test_client_free (teacher);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/server/batch-frames", test_batch_frames);

  return g_test_run ();
}

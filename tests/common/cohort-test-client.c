/* cohort-test-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-test-client"

#include "config.h"

#include "cohort-test-client.h"
#include "cohort-test-server.h"
#include "cohort-test-wait.h"

struct _CohortTestClient
{
  GMainContext            *context;
  SoupSession             *session;
  SoupWebsocketConnection *conn;
  GQueue                   received;
  guint                    timeout_ms;
  guint                    n_bad_frames;
  gushort                  close_code;
  gboolean                 closed;
  gboolean                 timed_out;
  char                    *url;
};

typedef gboolean (*MatchFunc) (CohortMessage *message,
                               gconstpointer  data);

static void
on_message (SoupWebsocketConnection *conn,
            gint                     type,
            GBytes                  *bytes,
            CohortTestClient        *c)
{
  g_autoptr(GError) error = NULL;
  CohortMessage *message;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      c->n_bad_frames++;
      return;
    }

  message = cohort_protocol_parse_server (data, length, &error);
  if (message == NULL)
    {
      g_test_message ("server sent a frame the client rejects: %s: %.*s",
                      error->message, (int) MIN (length, 200), data);
      c->n_bad_frames++;
      return;
    }

  g_queue_push_tail (&c->received, message);
}

static void
on_closed (SoupWebsocketConnection *conn,
           CohortTestClient        *c)
{
  c->closed = TRUE;
  c->close_code = soup_websocket_connection_get_close_code (conn);
}

static gboolean
on_timeout (gpointer data)
{
  CohortTestClient *c = data;

  c->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;
  SoupWebsocketConnection *conn;

  conn = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (conn == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, conn, g_object_unref);
  g_object_unref (task);
}

/* Waits for a frame or a close are scaled by COHORT_TEST_TIMEOUT_SCALE:
 * the sanitizer pass of build-aux/run-tests.sh runs the same tests
 * several times slower. A drain's quiet period is not: it is how long
 * nothing must come, and a longer one changes what the test sees. */
static guint
scaled (guint timeout_ms)
{
  return cohort_test_scaled_ms (timeout_ms);
}

guint
cohort_test_client_get_timeout_scale (void)
{
  return cohort_test_timeout_scale ();
}

static void
iterate_until (CohortTestClient *c,
               gboolean         *done,
               guint             timeout_ms)
{
  GSource *timeout = g_timeout_source_new (timeout_ms);

  c->timed_out = FALSE;
  g_source_set_callback (timeout, on_timeout, c, NULL);
  g_source_attach (timeout, c->context);

  while (!*done && !c->timed_out)
    g_main_context_iteration (c->context, TRUE);

  g_source_destroy (timeout);
  g_source_unref (timeout);
}

CohortTestClient *
cohort_test_client_try_new (const char  *url,
                            GError     **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GTask) task = NULL;
  CohortTestClient *c = g_new0 (CohortTestClient, 1);

  c->context = g_main_context_ref_thread_default ();
  c->timeout_ms = 5000;
  c->session = soup_session_new ();
  c->url = g_strdup (url);
  g_queue_init (&c->received);

  msg = soup_message_new (SOUP_METHOD_GET, url);
  g_assert_nonnull (msg);

  task = g_task_new (NULL, NULL, NULL, NULL);
  soup_session_websocket_connect_async (c->session, msg, NULL, NULL,
                                        G_PRIORITY_DEFAULT, NULL,
                                        on_connected, g_object_ref (task));
  while (!g_task_get_completed (task))
    g_main_context_iteration (c->context, TRUE);

  c->conn = g_task_propagate_pointer (task, error);
  if (c->conn == NULL)
    {
      cohort_test_client_free (c);
      return NULL;
    }

  /* Tests send frames up to the server's hard limit and beyond. */
  soup_websocket_connection_set_max_incoming_payload_size (c->conn, 0);
  g_signal_connect (c->conn, "message", G_CALLBACK (on_message), c);
  g_signal_connect (c->conn, "closed", G_CALLBACK (on_closed), c);

  return c;
}

CohortTestClient *
cohort_test_client_new (const char *url)
{
  g_autoptr(GError) error = NULL;
  CohortTestClient *c = cohort_test_client_try_new (url, &error);

  g_assert_no_error (error);
  g_assert_nonnull (c);
  return c;
}

void
cohort_test_client_free (CohortTestClient *c)
{
  if (c == NULL)
    return;

  if (c->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (c->conn, c);
      if (soup_websocket_connection_get_state (c->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        g_io_stream_close (soup_websocket_connection_get_io_stream (c->conn), NULL, NULL);
      g_clear_object (&c->conn);
    }

  g_queue_clear_full (&c->received, (GDestroyNotify) cohort_message_unref);
  g_clear_object (&c->session);

  /* Let libsoup finish tearing the connection down. */
  while (g_main_context_pending (c->context))
    g_main_context_iteration (c->context, FALSE);
  g_main_context_unref (c->context);
  g_free (c->url);
  g_free (c);
}

void
cohort_test_client_set_timeout (CohortTestClient *c,
                                guint             timeout_ms)
{
  c->timeout_ms = timeout_ms;
}

void
cohort_test_client_send_text (CohortTestClient *c,
                              const char       *text)
{
  g_assert_nonnull (c->conn);
  if (soup_websocket_connection_get_state (c->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  soup_websocket_connection_send_text (c->conn, text);
}

void
cohort_test_client_send_binary (CohortTestClient *c,
                                gconstpointer     data,
                                gsize             length)
{
  g_assert_nonnull (c->conn);
  if (soup_websocket_connection_get_state (c->conn) != SOUP_WEBSOCKET_STATE_OPEN)
    return;
  soup_websocket_connection_send_binary (c->conn, data, length);
}

static CohortMessage *
wait_for (CohortTestClient *c,
          MatchFunc         match,
          gconstpointer     data,
          gboolean          drop_others)
{
  GSource *timeout = g_timeout_source_new (scaled (c->timeout_ms));
  CohortMessage *found = NULL;

  c->timed_out = FALSE;
  g_source_set_callback (timeout, on_timeout, c, NULL);
  g_source_attach (timeout, c->context);

  for (;;)
    {
      for (GList *l = c->received.head; l != NULL;)
        {
          GList *next = l->next;
          CohortMessage *message = l->data;

          if (match (message, data))
            {
              found = message;
              g_queue_delete_link (&c->received, l);
              break;
            }
          if (drop_others)
            {
              cohort_message_unref (message);
              g_queue_delete_link (&c->received, l);
            }
          l = next;
        }

      if (found != NULL || c->timed_out || c->closed)
        break;

      g_main_context_iteration (c->context, TRUE);
    }

  g_source_destroy (timeout);
  g_source_unref (timeout);

  return found;
}

static gboolean
match_reply (CohortMessage *message,
             gconstpointer  data)
{
  CohortMessageKind kind = cohort_message_get_kind (message);

  if (kind != COHORT_MESSAGE_OK && kind != COHORT_MESSAGE_ERROR)
    return FALSE;
  return data == NULL || g_strcmp0 (cohort_message_get_id (message), data) == 0;
}

static gboolean
match_event (CohortMessage *message,
             gconstpointer  data)
{
  if (cohort_message_get_kind (message) != COHORT_MESSAGE_EVENT)
    return FALSE;
  return data == NULL || g_strcmp0 (cohort_message_get_name (message), data) == 0;
}

CohortMessage *
cohort_test_client_next_reply (CohortTestClient *c)
{
  return wait_for (c, match_reply, NULL, FALSE);
}

CohortMessage *
cohort_test_client_wait_reply (CohortTestClient *c,
                               const char       *re)
{
  return wait_for (c, match_reply, re, FALSE);
}

CohortMessage *
cohort_test_client_next_event (CohortTestClient *c,
                               const char       *event)
{
  return wait_for (c, match_event, event, FALSE);
}

CohortMessage *
cohort_test_client_request (CohortTestClient *c,
                            const char       *type,
                            const char       *id,
                            JsonObject       *body)
{
  g_autoptr(CohortMessage) request = NULL;
  g_autofree char *fresh_id = NULL;
  g_autofree char *json = NULL;

  if (id == NULL)
    id = fresh_id = cohort_protocol_new_request_id ();

  request = cohort_message_new_request (type, id, body);
  json = cohort_message_to_json (request, NULL);
  cohort_test_client_send_text (c, json);

  return cohort_test_client_wait_reply (c, id);
}

CohortMessage *
cohort_test_client_request_ok (CohortTestClient *c,
                               const char       *type,
                               JsonObject       *body)
{
  g_autoptr(GError) error = NULL;
  CohortMessage *reply = cohort_test_client_request (c, type, NULL, body);

  g_assert_nonnull (reply);
  cohort_message_check (reply, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  return reply;
}

JsonObject *
cohort_test_client_ok_json (CohortTestClient *c,
                            const char       *type,
                            const char       *body_json)
{
  g_autoptr(JsonNode) node = json_from_string (body_json, NULL);
  g_autoptr(CohortMessage) reply = NULL;

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  reply = cohort_test_client_request_ok (c, type, json_node_get_object (node));
  return json_object_ref (cohort_message_get_body (reply));
}

GPtrArray *
cohort_test_client_drain (CohortTestClient *c,
                          guint             quiet_ms)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_message_unref);

  for (;;)
    {
      guint before = c->received.length;
      gboolean never = FALSE;

      iterate_until (c, &never, quiet_ms);
      if (c->received.length == before)
        break;
    }

  while (!g_queue_is_empty (&c->received))
    g_ptr_array_add (all, g_queue_pop_head (&c->received));

  return all;
}

guint
cohort_test_client_get_n_bad_frames (CohortTestClient *c)
{
  return c->n_bad_frames;
}

void
cohort_test_client_drop (CohortTestClient *c)
{
  g_assert_nonnull (c->conn);
  g_signal_handlers_disconnect_by_data (c->conn, c);
  g_io_stream_close (soup_websocket_connection_get_io_stream (c->conn), NULL, NULL);
  g_clear_object (&c->conn);
  c->closed = TRUE;
  c->close_code = 0;
}

void
cohort_test_client_close (CohortTestClient *c)
{
  g_assert_nonnull (c->conn);
  soup_websocket_connection_close (c->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  cohort_test_client_wait_closed (c, c->timeout_ms);
}

gboolean
cohort_test_client_wait_closed (CohortTestClient *c,
                                guint             timeout_ms)
{
  iterate_until (c, &c->closed, scaled (timeout_ms));
  return c->closed;
}

gboolean
cohort_test_client_is_closed (CohortTestClient *c)
{
  return c->closed;
}

gushort
cohort_test_client_get_close_code (CohortTestClient *c)
{
  return c->close_code;
}

/* Sends @body, a way into a class (class.create or class.join), with
 * what every way in carries: the protocol version and the display @name.
 * Asserts an "ok" reply and returns its body. */
static JsonObject *
enter_class (CohortTestClient *c,
             const char       *type,
             JsonObject       *body,
             const char       *name)
{
  g_autoptr(CohortMessage) reply = NULL;

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "name", name);
  reply = cohort_test_client_request_ok (c, type, body);
  return json_object_ref (cohort_message_get_body (reply));
}

JsonObject *
cohort_test_client_create_class (CohortTestClient *c,
                                 const char       *title,
                                 const char       *name)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "title", title);
  /* identity: as the test server's staff, and without a waiting room, so
   * that students join at once unless a test says otherwise. */
  if (cohort_test_staff_lookup (c->url) != NULL)
    json_object_set_string_member (body, "staff_credential", cohort_test_staff_lookup (c->url));
  json_object_set_boolean_member (body, "waiting_room", FALSE);
  return enter_class (c, COHORT_REQ_CLASS_CREATE, body, name);
}

JsonObject *
cohort_test_client_join (CohortTestClient *c,
                         const char       *code,
                         const char       *name,
                         const char       *teacher_key)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "code", code);
  if (teacher_key != NULL)
    json_object_set_string_member (body, "teacher_key", teacher_key);
  return enter_class (c, COHORT_REQ_CLASS_JOIN, body, name);
}

void
cohort_test_client_assert_error (CohortMessage *reply,
                                 const char    *code,
                                 const char    *field)
{
  g_assert_nonnull (reply);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_ERROR);
  g_assert_cmpstr (cohort_error_code_to_string (cohort_message_get_error_code (reply)), ==, code);
  if (field != NULL)
    g_assert_cmpstr (cohort_message_get_field (reply), ==, field);
}

void
cohort_test_classroom_open (CohortTestClassroom *k,
                            const char          *title,
                            const char          *teacher_name,
                            const char          *student_name)
{
  JsonObject *klass;

  k->server = cohort_test_server_start (NULL);
  k->teacher = cohort_test_client_new (cohort_test_server_get_url (k->server));
  k->student = cohort_test_client_new (cohort_test_server_get_url (k->server));
  k->created = cohort_test_client_create_class (k->teacher, title, teacher_name);
  klass = json_object_get_object_member (k->created, "class");
  k->code = g_strdup (json_object_get_string_member (klass, "code"));
  k->class_id = json_object_get_int_member (klass, "id");
  k->teacher_token = g_strdup (json_object_get_string_member (k->created, "token"));
  k->joined = cohort_test_client_join (k->student, k->code, student_name, NULL);
  k->token = g_strdup (json_object_get_string_member (k->joined, "token"));
  k->teacher_id = json_object_get_int_member (json_object_get_object_member (k->created, "you"), "id");
  k->student_id = json_object_get_int_member (json_object_get_object_member (k->joined, "you"), "id");
}

void
cohort_test_classroom_close (CohortTestClassroom *k)
{
  g_clear_pointer (&k->teacher, cohort_test_client_free);
  g_clear_pointer (&k->student, cohort_test_client_free);
  g_clear_pointer (&k->code, g_free);
  g_clear_pointer (&k->token, g_free);
  g_clear_pointer (&k->teacher_token, g_free);
  g_clear_pointer (&k->created, json_object_unref);
  g_clear_pointer (&k->joined, json_object_unref);
  g_clear_pointer (&k->server, cohort_test_server_free);
}

/* test-session-fake.c: CohortSession against an in-process fake server, for
 * what a real server never does on purpose (gaps, junk, duplicates).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "cohort-protocol.h"
#include "cohort-session.h"
#include "cohort-test-wait.h"

typedef struct
{
  SoupServer              *server;
  SoupWebsocketConnection *conn;
  guint                    n_connections;
  GQueue                   requests;   /* JsonObject* */
  char                    *url;
} Fake;

static void
on_message (SoupWebsocketConnection *conn,
            SoupWebsocketDataType    type,
            GBytes                  *bytes,
            Fake                    *fake)
{
  g_autoptr(JsonNode) node = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  g_autofree char *text = g_strndup (data, length);

  node = json_from_string (text, NULL);
  g_assert_nonnull (node);
  g_queue_push_tail (&fake->requests, json_object_ref (json_node_get_object (node)));
}

static void
on_websocket (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *conn,
              gpointer                 user_data)
{
  Fake *fake = user_data;

  g_clear_object (&fake->conn);
  fake->conn = g_object_ref (conn);
  fake->n_connections++;
  g_signal_connect (conn, "message", G_CALLBACK (on_message), fake);
}

static void
fake_start (Fake *fake)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  memset (fake, 0, sizeof *fake);
  g_queue_init (&fake->requests);
  fake->server = soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (fake->server, "/ws", NULL, NULL, on_websocket, fake, NULL);
  soup_server_listen_local (fake->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fake->server);
  fake->url = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fake_stop (Fake *fake)
{
  if (fake->conn != NULL)
    g_signal_handlers_disconnect_by_data (fake->conn, fake);
  g_clear_object (&fake->conn);
  soup_server_disconnect (fake->server);
  g_clear_object (&fake->server);
  g_queue_clear_full (&fake->requests, (GDestroyNotify) json_object_unref);
  g_free (fake->url);
}

/* Waits for the next request and checks its type; returns its id. */
static char *
fake_expect (Fake       *fake,
             const char *type,
             JsonObject **out_body)
{
  g_autoptr(JsonObject) request = NULL;

  COHORT_TEST_WAIT_UNTIL (!g_queue_is_empty (&fake->requests));
  request = g_queue_pop_head (&fake->requests);
  g_assert_cmpstr (json_object_get_string_member (request, "type"), ==, type);
  if (out_body != NULL)
    *out_body = json_object_ref (json_object_get_object_member (request, "body"));

  return g_strdup (json_object_get_string_member (request, "id"));
}

static void
fake_send (Fake       *fake,
           const char *format,
           ...) G_GNUC_PRINTF (2, 3);

static void
fake_send (Fake       *fake,
           const char *format,
           ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  soup_websocket_connection_send_text (fake->conn, text);
}

#define CLASS_AND_YOU \
  "\"class\": {\"id\": 1, \"code\": \"ABCDEFGH\", \"title\": \"Maths\"}," \
  "\"you\": {\"id\": 2, \"name\": \"Mei\", \"role\": \"student\", \"online\": true, \"hand_raised_at\": null}"
#define PARTICIPANTS \
  "\"participants\": [{\"id\": 1, \"name\": \"T\", \"role\": \"teacher\", \"online\": true, \"hand_raised_at\": null}," \
  "{\"id\": 2, \"name\": \"Mei\", \"role\": \"student\", \"online\": true, \"hand_raised_at\": null}]"

static void
on_event_received (CohortSession *session,
                   const char    *event,
                   JsonObject    *body,
                   gint64         seq,
                   GArray        *seqs)
{
  g_array_append_val (seqs, seq);
}

static void
test_gap_and_junk (void)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonObject) resume_body = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  CohortRoster *roster;
  Fake fake;

  fake_start (&fake);
  g_signal_connect (session, "event-received", G_CALLBACK (on_event_received), seqs);
  roster = cohort_session_get_roster (session);

  cohort_session_join_async (session, fake.url, "ABCD-EFGH", "Mei", NULL, NULL, cohort_test_on_result, &result);
  id = fake_expect (&fake, "class.join", NULL);
  fake_send (&fake, "{\"type\": \"ok\", \"re\": \"%s\", \"body\": {" CLASS_AND_YOU ","
             "\"token\": \"tok\", \"seq\": 1, " PARTICIPANTS "}}", id);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_session_join_finish (session, result, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cohort_session_get_last_seq (session), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (roster)), ==, 2);

  /* Junk is dropped and the connection survives. */
  g_test_expect_message ("cohort-session", G_LOG_LEVEL_WARNING, "*invalid frame*");
  fake_send (&fake, "this is not json");
  fake_send (&fake, "{\"type\": \"event\", \"seq\": 2, \"ts\": 1, \"event\": \"hand.raised\","
             " \"body\": {\"participant_id\": 2, \"raised_at\": 50}}");
  /* The same event twice: applied once. */
  fake_send (&fake, "{\"type\": \"event\", \"seq\": 2, \"ts\": 1, \"event\": \"hand.raised\","
             " \"body\": {\"participant_id\": 2, \"raised_at\": 50}}");
  /* A reply to nothing we asked. */
  fake_send (&fake, "{\"type\": \"ok\", \"re\": \"nobody\", \"body\": {}}");
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_last_seq (session) == 2);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (seqs->len, ==, 1);
  g_assert_true (cohort_participant_get_hand_raised (cohort_session_get_self (session)));
  g_assert_cmpint (cohort_session_get_state (session), ==, COHORT_SESSION_STATE_JOINED);
  g_assert_cmpuint (fake.n_connections, ==, 1);

  /* A gap: 3 and 4 never came. The session resumes from 2. */
  fake_send (&fake, "{\"type\": \"event\", \"seq\": 5, \"ts\": 1, \"event\": \"hand.lowered\","
             " \"body\": {\"participant_id\": 2, \"by\": 1}}");
  COHORT_TEST_WAIT_UNTIL (fake.n_connections == 2);
  g_clear_pointer (&id, g_free);
  id = fake_expect (&fake, "resume", &resume_body);
  g_assert_cmpint (json_object_get_int_member (resume_body, "last_seq"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (resume_body, "token"), ==, "tok");
  g_assert_cmpuint (seqs->len, ==, 1);
  g_assert_true (cohort_participant_get_hand_raised (cohort_session_get_self (session)));

  fake_send (&fake, "{\"type\": \"ok\", \"re\": \"%s\", \"body\": {" CLASS_AND_YOU ","
             "\"seq\": 5, \"mode\": \"replay\"}}", id);
  fake_send (&fake, "{\"type\": \"event\", \"seq\": 3, \"ts\": 1, \"event\": \"participant.presence\","
             " \"body\": {\"participant_id\": 1, \"online\": false}}");
  fake_send (&fake, "{\"type\": \"event\", \"seq\": 4, \"ts\": 1, \"event\": \"chat.unknown\","
             " \"body\": {}}");
  fake_send (&fake, "{\"type\": \"event\", \"seq\": 5, \"ts\": 1, \"event\": \"hand.lowered\","
             " \"body\": {\"participant_id\": 2, \"by\": 1}}");
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_last_seq (session) == 5);

  g_assert_cmpuint (seqs->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (g_array_index (seqs, gint64, i), ==, i + 2);
  g_assert_false (cohort_participant_get_hand_raised (cohort_session_get_self (session)));
  g_assert_false (cohort_participant_get_online (cohort_roster_lookup (roster, 1)));
  g_assert_cmpint (cohort_session_get_state (session), ==, COHORT_SESSION_STATE_JOINED);

  /* Events for others are not sent: "prev" chains ours, so 6 and 7 are no
   * gap here, and the event is applied. */
  fake_send (&fake, "{\"type\": \"event\", \"prev\": 5, \"seq\": 8, \"ts\": 1, \"event\": \"hand.raised\","
             " \"body\": {\"participant_id\": 2, \"raised_at\": 8}}");
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_last_seq (session) == 8);
  g_assert_cmpuint (seqs->len, ==, 5);
  g_assert_true (cohort_participant_get_hand_raised (cohort_session_get_self (session)));

  /* A "prev" we never got (9) is a gap: the session resumes from 8. */
  fake_send (&fake, "{\"type\": \"event\", \"prev\": 9, \"seq\": 11, \"ts\": 1, \"event\": \"hand.lowered\","
             " \"body\": {\"participant_id\": 2, \"by\": 1}}");
  COHORT_TEST_WAIT_UNTIL (fake.n_connections == 3);
  g_clear_pointer (&id, g_free);
  g_clear_pointer (&resume_body, json_object_unref);
  id = fake_expect (&fake, "resume", &resume_body);
  g_assert_cmpint (json_object_get_int_member (resume_body, "last_seq"), ==, 8);
  g_assert_cmpuint (seqs->len, ==, 5);
  fake_send (&fake, "{\"type\": \"ok\", \"re\": \"%s\", \"body\": {" CLASS_AND_YOU ","
             "\"seq\": 11, \"mode\": \"replay\"}}", id);
  fake_send (&fake, "{\"type\": \"event\", \"prev\": 8, \"seq\": 10, \"ts\": 1, \"event\": \"hand.lowered\","
             " \"body\": {\"participant_id\": 2, \"by\": 1}}");
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_last_seq (session) == 10);
  g_assert_cmpint (cohort_session_get_state (session), ==, COHORT_SESSION_STATE_JOINED);
  g_assert_false (cohort_participant_get_hand_raised (cohort_session_get_self (session)));

  /* A snapshot replaces the roster. */
  cohort_session_simulate_drop (session);
  COHORT_TEST_WAIT_UNTIL (fake.n_connections == 4);
  g_clear_pointer (&id, g_free);
  id = fake_expect (&fake, "resume", NULL);
  fake_send (&fake, "{\"type\": \"ok\", \"re\": \"%s\", \"body\": {" CLASS_AND_YOU ","
             "\"seq\": 2000, \"mode\": \"snapshot\", " PARTICIPANTS "}}", id);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_state (session) == COHORT_SESSION_STATE_JOINED);
  g_assert_cmpint (cohort_session_get_last_seq (session), ==, 2000);
  g_assert_true (cohort_participant_get_online (cohort_roster_lookup (roster, 1)));
  g_assert_true (cohort_participant_get_is_self (cohort_session_get_self (session)));

  /* Unauthorized on resume: FAILED, with a sentence for the user. */
  cohort_session_simulate_drop (session);
  COHORT_TEST_WAIT_UNTIL (fake.n_connections == 5);
  g_clear_pointer (&id, g_free);
  id = fake_expect (&fake, "resume", NULL);
  fake_send (&fake, "{\"type\": \"error\", \"re\": \"%s\", \"code\": \"unauthorized\","
             " \"message\": \"No.\"}", id);
  COHORT_TEST_WAIT_UNTIL (cohort_session_get_state (session) == COHORT_SESSION_STATE_FAILED);
  g_assert_nonnull (cohort_session_get_error_message (session));

  /* Requests now fail at once instead of waiting forever. */
  g_clear_object (&result);
  cohort_session_request_async (session, "hand.raise", NULL, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  reply = cohort_session_request_finish (session, result, &error);
  g_assert_null (reply);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);

  fake_stop (&fake);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_setenv ("COHORT_BACKOFF_BASE_MS", "20", TRUE);
  g_setenv ("COHORT_BACKOFF_MAX_MS", "100", TRUE);

  g_test_add_func ("/cohort/session-fake/gap-and-junk", test_gap_and_junk);

  return g_test_run ();
}

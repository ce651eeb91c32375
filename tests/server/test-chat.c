/* test-chat.c: the chat service against a real cohort-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-chat"

#include "config.h"

#include <string.h>

#include "cohort-chat-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-db.h"
#include "cohort-test-server.h"
#include "cohort-test-stages.h"

typedef struct
{
  CohortTestClient *client;
  char             *token;
  gint64            id;
  gint64            seq;
  JsonObject       *welcome;
} Member;

static void
member_free (Member *m)
{
  g_clear_pointer (&m->client, cohort_test_client_free);
  g_clear_pointer (&m->welcome, json_object_unref);
  g_free (m->token);
  g_free (m);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Member, member_free)

static Member *
member_from (CohortTestClient *client,
             JsonObject       *body)
{
  Member *m = g_new0 (Member, 1);

  m->client = client;
  m->welcome = body;
  m->token = g_strdup (json_object_get_string_member (body, "token"));
  m->id = json_object_get_int_member (json_object_get_object_member (body, "you"), "id");
  m->seq = json_object_get_int_member (body, "seq");
  return m;
}

static Member *
create_teacher (CohortTestServer  *server,
                char             **out_code)
{
  CohortTestClient *c = cohort_test_client_new (cohort_test_server_get_url (server));
  JsonObject *body = cohort_test_client_create_class (c, "Chat 101", "Teacher");

  *out_code = g_strdup (json_object_get_string_member (json_object_get_object_member (body, "class"),
                                                       "code"));
  return member_from (c, body);
}

static Member *
join_student (CohortTestServer *server,
              const char       *code,
              const char       *name)
{
  CohortTestClient *c = cohort_test_client_new (cohort_test_server_get_url (server));

  return member_from (c, cohort_test_client_join (c, code, name, NULL));
}

static JsonObject *
send_body (const char *text)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "text", text);
  return body;
}

static CohortMessage *
chat_send (Member     *m,
           const char *id,
           JsonObject *body)
{
  g_autoptr(JsonObject) owned = body;

  return cohort_test_client_request (m->client, COHORT_REQ_CHAT_SEND, id, owned);
}

/* Sends @text to the class chat and returns the stored message (ref'd). */
static JsonObject *
say (Member     *m,
     const char *text)
{
  g_autoptr(CohortMessage) reply = chat_send (m, NULL, send_body (text));

  g_assert_nonnull (reply);
  if (cohort_message_get_kind (reply) != COHORT_MESSAGE_OK)
    g_error ("chat.send failed: %s", cohort_message_get_error_message (reply));
  return json_object_ref (json_object_get_object_member (cohort_message_get_body (reply), "message"));
}

static void
assert_error (CohortMessage   *reply,
              CohortErrorCode  code)
{
  g_assert_nonnull (reply);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_ERROR);
  g_assert_cmpstr (cohort_error_code_to_string (cohort_message_get_error_code (reply)), ==,
                   cohort_error_code_to_string (code));
}

static void
assert_invalid (CohortMessage       *reply,
                CohortInvalidReason  reason)
{
  assert_error (reply, COHORT_ERROR_INVALID);
  g_assert_cmpstr (cohort_invalid_reason_to_string (cohort_message_get_reason (reply)), ==,
                   cohort_invalid_reason_to_string (reason));
}

/* Sends @type with @body (not taken) as @m, and asserts the @code error. */
static void
assert_refused (Member          *m,
                const char      *type,
                JsonObject      *body,
                CohortErrorCode  code)
{
  g_autoptr(CohortMessage) reply = cohort_test_client_request (m->client, type, NULL, body);

  assert_error (reply, code);
}

static void
assert_alive (Member *m)
{
  g_autoptr(CohortMessage) pong = cohort_test_client_request_ok (m->client, COHORT_REQ_PING, NULL);

  g_assert_nonnull (pong);
}

/* Every event left on @m (after a quiet spell), replies dropped. */
static GPtrArray *
events_of (Member *m)
{
  GPtrArray *all = cohort_test_client_drain (m->client, 400);
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_message_unref);

  for (guint i = 0; i < all->len; i++)
    {
      CohortMessage *msg = g_ptr_array_index (all, i);

      if (cohort_message_get_kind (msg) == COHORT_MESSAGE_EVENT)
        g_ptr_array_add (events, cohort_message_ref (msg));
    }
  g_ptr_array_unref (all);
  return events;
}

static guint
count_events (GPtrArray  *events,
              const char *name)
{
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (cohort_message_get_name (g_ptr_array_index (events, i)), name))
      n++;
  return n;
}

static CohortMessage *
find_event (GPtrArray  *events,
            const char *name)
{
  for (guint i = 0; i < events->len; i++)
    if (g_str_equal (cohort_message_get_name (g_ptr_array_index (events, i)), name))
      return g_ptr_array_index (events, i);
  return NULL;
}

static CohortMessage *
event_with_seq (GPtrArray *events,
                gint64     seq)
{
  for (guint i = 0; i < events->len; i++)
    if (cohort_message_get_seq (g_ptr_array_index (events, i)) == seq)
      return g_ptr_array_index (events, i);
  return NULL;
}

static JsonArray *
history (Member *m,
         gint64  before,
         gint64  limit,
         gboolean *out_has_more)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *ok;

  if (before > 0)
    json_object_set_int_member (body, "before", before);
  if (limit > 0)
    json_object_set_int_member (body, "limit", limit);
  reply = cohort_test_client_request_ok (m->client, COHORT_REQ_CHAT_HISTORY, body);
  ok = cohort_message_get_body (reply);
  if (out_has_more != NULL)
    *out_has_more = json_object_get_boolean_member (ok, "has_more");
  g_assert_true (cohort_chat_validate_history_reply (ok, NULL));
  return json_array_ref (json_object_get_array_member (ok, "messages"));
}

static gboolean
history_has_text (JsonArray  *messages,
                  const char *text)
{
  for (guint i = 0; i < json_array_get_length (messages); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (messages, i), "text"),
                   text) == 0)
      return TRUE;
  return FALSE;
}

static JsonObject *
resume_body (Member *m,
             gint64  last_seq)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "token", m->token);
  json_object_set_int_member (body, "last_seq", last_seq);
  return body;
}

/* Reconnects @m with a fresh socket and resumes from @last_seq. */
static void
reconnect (CohortTestServer *server,
           Member           *m,
           gint64            last_seq)
{
  g_autoptr(JsonObject) body = resume_body (m, last_seq);
  g_autoptr(CohortMessage) reply = NULL;

  g_clear_pointer (&m->client, cohort_test_client_free);
  m->client = cohort_test_client_new (cohort_test_server_get_url (server));
  reply = cohort_test_client_request_ok (m->client, COHORT_REQ_RESUME, body);
  g_assert_cmpstr (json_object_get_string_member (cohort_message_get_body (reply), "mode"), ==,
                   "replay");
}

/* Tests */

static void
test_order_five_clients (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autofree char *code = NULL;
  Member *members[5];
  g_autoptr(GPtrArray) reference = NULL;

  members[0] = create_teacher (server, &code);
  for (guint i = 1; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Student %u", i);

      members[i] = join_student (server, code, name);
    }
  for (guint i = 0; i < 5; i++)
    g_ptr_array_unref (events_of (members[i]));

  /* Everybody talks at once, without waiting for replies. */
  for (guint round = 0; round < 4; round++)
    for (guint i = 0; i < 5; i++)
      {
        g_autofree char *frame = g_strdup_printf (
          "{\"type\":\"chat.send\",\"id\":\"m%u-%u\",\"body\":{\"text\":\"hello %u from %u\"}}",
          round, i, round, i);

        cohort_test_client_send_text (members[i]->client, frame);
      }

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_message_unref);
      g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);

      /* Other features may add events of their own; the chat's are compared. */
      for (guint j = 0; j < 20; j++)
        {
          CohortMessage *e = cohort_test_client_next_event (members[i]->client, COHORT_EV_CHAT_MESSAGE);

          g_assert_nonnull (e);
          g_ptr_array_add (events, e);
        }
      for (guint j = 0; j < events->len; j++)
        {
          CohortMessage *e = g_ptr_array_index (events, j);
          JsonObject *msg;

          if (!g_str_equal (cohort_message_get_name (e), COHORT_EV_CHAT_MESSAGE))
            continue;
          msg = json_object_get_object_member (cohort_message_get_body (e), "message");
          g_ptr_array_add (seen, g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT ":%s",
                                                  cohort_message_get_seq (e),
                                                  json_object_get_int_member (msg, "id"),
                                                  json_object_get_string_member (msg, "text")));
        }

      if (reference == NULL)
        reference = g_steal_pointer (&seen);
      else
        for (guint j = 0; j < reference->len; j++)
          g_assert_cmpstr (g_ptr_array_index (seen, j), ==, g_ptr_array_index (reference, j));
    }

  for (guint i = 0; i < 5; i++)
    member_free (members[i]);
}

/* A class on its own server: its teacher and up to three students, Ann,
 * Bob and Cat; what the scenarios below start from. */
typedef struct
{
  CohortTestServer *server;
  char             *code;
  Member           *teacher;
  Member           *ann;
  Member           *bob;
  Member           *cat;
} Room;

static void
room_open (Room  *r,
           guint  n_students)
{
  Member **students[] = { &r->ann, &r->bob, &r->cat };
  const char *names[] = { "Ann", "Bob", "Cat" };

  g_assert_cmpuint (n_students, <=, G_N_ELEMENTS (names));
  r->server = cohort_test_server_start (NULL);
  r->teacher = create_teacher (r->server, &r->code);
  for (guint i = 0; i < n_students; i++)
    *students[i] = join_student (r->server, r->code, names[i]);
}

static void
room_close (Room *r)
{
  g_clear_pointer (&r->cat, member_free);
  g_clear_pointer (&r->bob, member_free);
  g_clear_pointer (&r->ann, member_free);
  g_clear_pointer (&r->teacher, member_free);
  g_clear_pointer (&r->code, g_free);
  g_clear_pointer (&r->server, cohort_test_server_free);
}

/* Private messages: a class (the teacher, Ann and Bob) and another class
 * (its teacher and a stranger), taken through the stages below. */
typedef struct
{
  Room              room;
  Member           *other_teacher;
  Member           *stranger;
  /* The seq of Ann's first private message. */
  gint64            msg_seq;
} Private;

static void
private_setup (Private *p)
{
  g_autofree char *other_code = NULL;

  room_open (&p->room, 2);
  p->other_teacher = create_teacher (p->room.server, &other_code);
  p->stranger = join_student (p->room.server, other_code, "Stranger");

  g_ptr_array_unref (events_of (p->room.teacher));
  g_ptr_array_unref (events_of (p->room.ann));
  g_ptr_array_unref (events_of (p->room.bob));
}

static void
private_teardown (Private *p)
{
  g_clear_pointer (&p->other_teacher, member_free);
  g_clear_pointer (&p->stranger, member_free);
  room_close (&p->room);
}

/* A private message's body: to @to, or (0) to the sender's default
 * recipient. */
static JsonObject *
private_body (const char *text,
              gint64      to)
{
  JsonObject *body = send_body (text);

  json_object_set_string_member (body, "channel", COHORT_CHAT_CHANNEL_PRIVATE);
  if (to != 0)
    json_object_set_int_member (body, "to", to);
  return body;
}

/* Ann → teacher (the default recipient of a student). */
static void
private_to_teacher (Private *p)
{
  Member *teacher = p->room.teacher;
  Member *ann = p->room.ann;
  Member *bob = p->room.bob;
  gint64 msg_seq;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(GPtrArray) ev_t = NULL;
  g_autoptr(GPtrArray) ev_a = NULL;
  g_autoptr(GPtrArray) ev_b = NULL;
  JsonObject *body;

  body = private_body ("secret for the teacher", 0);
  reply = chat_send (ann, NULL, body);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_cmpint (json_object_get_int_member (
                     json_object_get_object_member (cohort_message_get_body (reply), "message"), "to"),
                   ==, teacher->id);

  ev_t = events_of (teacher);
  ev_a = events_of (ann);
  ev_b = events_of (bob);
  g_assert_cmpuint (count_events (ev_t, COHORT_EV_CHAT_MESSAGE), ==, 1);
  g_assert_cmpuint (count_events (ev_a, COHORT_EV_CHAT_MESSAGE), ==, 1);
  g_assert_cmpuint (count_events (ev_b, COHORT_EV_CHAT_MESSAGE), ==, 0);
  p->msg_seq = msg_seq = cohort_message_get_seq (find_event (ev_t, COHORT_EV_CHAT_MESSAGE));
  g_assert_cmpint (cohort_message_get_seq (find_event (ev_a, COHORT_EV_CHAT_MESSAGE)), ==, msg_seq);
  /* Bob is not sent it, not even its seq. */
  g_assert_null (event_with_seq (ev_b, msg_seq));
}

/* The teacher answers privately. */
static void
private_answer_history (Private *p)
{
  Member *teacher = p->room.teacher;
  Member *ann = p->room.ann;
  Member *bob = p->room.bob;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonArray) h = NULL;
  JsonObject *body;

  body = private_body ("private answer", ann->id);
  reply = chat_send (teacher, NULL, body);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_ptr_array_unref (events_of (teacher));
  g_ptr_array_unref (events_of (ann));
  g_ptr_array_unref (events_of (bob));

  /* History: Ann and the teacher see both, Bob neither. */
  h = history (bob, 0, 0, NULL);
  g_assert_cmpuint (json_array_get_length (h), ==, 0);
  g_clear_pointer (&h, json_array_unref);
  h = history (ann, 0, 0, NULL);
  g_assert_cmpuint (json_array_get_length (h), ==, 2);
  g_clear_pointer (&h, json_array_unref);
  h = history (teacher, 0, 0, NULL);
  g_assert_cmpuint (json_array_get_length (h), ==, 2);
  g_assert_true (history_has_text (h, "secret for the teacher"));
  g_clear_pointer (&h, json_array_unref);
}

/* The next message Bob may see names his last event as "prev", so his
 * seq has no gap although two were not for him. */
static void
private_seq_gap (Private *p)
{
  Member *ann = p->room.ann;
  Member *bob = p->room.bob;
  gint64 msg_seq = p->msg_seq;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(GPtrArray) ev_a = NULL;
  g_autoptr(GPtrArray) ev_b = NULL;

  reply = chat_send (ann, NULL, send_body ("hello everyone"));
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  ev_b = events_of (bob);
  g_assert_cmpuint (count_events (ev_b, COHORT_EV_CHAT_MESSAGE), ==, 1);
  g_assert_cmpint (cohort_message_get_seq (find_event (ev_b, COHORT_EV_CHAT_MESSAGE)), ==, msg_seq + 2);
  g_assert_cmpint (cohort_message_get_prev (find_event (ev_b, COHORT_EV_CHAT_MESSAGE)), ==, msg_seq - 1);
  ev_a = events_of (ann);
  g_assert_cmpint (cohort_message_get_prev (find_event (ev_a, COHORT_EV_CHAT_MESSAGE)), ==, msg_seq + 1);
}

/* Resume from before the messages: the same chain for Bob, all three
 * for Ann. */
static void
private_resume (Private *p)
{
  CohortTestServer *server = p->room.server;
  Member *ann = p->room.ann;
  Member *bob = p->room.bob;
  gint64 msg_seq = p->msg_seq;
  g_autoptr(GPtrArray) ev_a = NULL;
  g_autoptr(GPtrArray) ev_b = NULL;

  reconnect (server, bob, msg_seq - 1);
  ev_b = events_of (bob);
  g_assert_cmpuint (count_events (ev_b, COHORT_EV_CHAT_MESSAGE), ==, 1);
  g_assert_null (event_with_seq (ev_b, msg_seq));
  g_assert_cmpint (cohort_message_get_prev (event_with_seq (ev_b, msg_seq + 2)), ==, msg_seq - 1);
  reconnect (server, ann, msg_seq - 1);
  ev_a = events_of (ann);
  g_assert_cmpuint (count_events (ev_a, COHORT_EV_CHAT_MESSAGE), ==, 3);
  g_assert_cmpstr (cohort_message_get_name (event_with_seq (ev_a, msg_seq)), ==, COHORT_EV_CHAT_MESSAGE);
  g_assert_cmpint (cohort_message_get_prev (event_with_seq (ev_a, msg_seq + 2)), ==, msg_seq + 1);
}

/* Student to student: refused. */
static void
private_student_to_student (Private *p)
{
  Member *ann = p->room.ann;
  Member *bob = p->room.bob;
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *body;

  body = private_body ("psst", bob->id);
  reply = chat_send (ann, NULL, body);
  assert_error (reply, COHORT_ERROR_FORBIDDEN);
}

/* To someone in another class: not found, for the teacher and a student. */
static void
private_other_class (Private *p)
{
  Member *teacher = p->room.teacher;
  Member *ann = p->room.ann;
  Member *other_teacher = p->other_teacher;
  Member *stranger = p->stranger;
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *body;

  body = private_body ("hello stranger", stranger->id);
  reply = chat_send (teacher, NULL, body);
  assert_error (reply, COHORT_ERROR_NOT_FOUND);
  body = private_body ("hello other teacher", other_teacher->id);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = chat_send (ann, NULL, body);
  assert_error (reply, COHORT_ERROR_NOT_FOUND);
  {
    g_autoptr(GPtrArray) ev_s = events_of (stranger);

    g_assert_cmpuint (count_events (ev_s, COHORT_EV_CHAT_MESSAGE), ==, 0);
  }
}

/* Nobody outside learns of it through a message id either. */
static void
private_delete_by_id (Private *p)
{
  Member *teacher = p->room.teacher;
  Member *bob = p->room.bob;
  Member *other_teacher = p->other_teacher;
  g_autoptr(JsonObject) del = json_object_new ();
  g_autoptr(JsonArray) th = history (teacher, 0, 0, NULL);
  gint64 private_id = json_object_get_int_member (json_array_get_object_element (th, 0), "id");

  json_object_set_int_member (del, "message_id", private_id);
  assert_refused (bob, COHORT_REQ_CHAT_DELETE, del, COHORT_ERROR_NOT_FOUND);
  assert_refused (other_teacher, COHORT_REQ_CHAT_DELETE, del, COHORT_ERROR_NOT_FOUND);
}

/* Group channels wait for the groups feature. */
static void
private_group_channel (Private *p)
{
  Member *teacher = p->room.teacher;
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *body;

  body = send_body ("group hello");
  json_object_set_string_member (body, "channel", COHORT_CHAT_CHANNEL_GROUP);
  json_object_set_int_member (body, "group_id", 1);
  reply = chat_send (teacher, NULL, body);
  assert_error (reply, COHORT_ERROR_NOT_FOUND);
}

static const CohortTestStageFunc private_stages[] = {
  (CohortTestStageFunc) private_to_teacher,
  (CohortTestStageFunc) private_answer_history,
  (CohortTestStageFunc) private_seq_gap,
  (CohortTestStageFunc) private_resume,
  (CohortTestStageFunc) private_student_to_student,
  (CohortTestStageFunc) private_other_class,
  (CohortTestStageFunc) private_delete_by_id,
  (CohortTestStageFunc) private_group_channel,
};

/* Moderation: a class (the teacher, Ann and Bob) where Ann and Bob have
 * each said something, taken through the stages below. */
typedef struct
{
  Room              room;
  JsonObject       *ann_msg;
  JsonObject       *bob_msg;
} Moderation;

static void
moderation_setup (Moderation *m)
{
  room_open (&m->room, 2);
  m->ann_msg = say (m->room.ann, "Ann's message");
  m->bob_msg = say (m->room.bob, "Bob's message");
}

static void
moderation_teardown (Moderation *m)
{
  g_clear_pointer (&m->ann_msg, json_object_unref);
  g_clear_pointer (&m->bob_msg, json_object_unref);
  room_close (&m->room);
}

/* A student may not edit or delete someone else's message. */
static void
moderation_foreign_edit (Moderation *m)
{
  Member *teacher = m->room.teacher;
  Member *ann = m->room.ann;
  g_autoptr(JsonObject) req = json_object_new ();

  json_object_set_int_member (req, "message_id", json_object_get_int_member (m->bob_msg, "id"));
  json_object_set_string_member (req, "text", "Bob is wrong");
  assert_refused (ann, COHORT_REQ_CHAT_EDIT, req, COHORT_ERROR_FORBIDDEN);
  assert_refused (ann, COHORT_REQ_CHAT_DELETE, req, COHORT_ERROR_FORBIDDEN);
  /* Nor may the teacher put words in a student's mouth. */
  assert_refused (teacher, COHORT_REQ_CHAT_EDIT, req, COHORT_ERROR_FORBIDDEN);
}

/* Students may edit their own. */
static void
moderation_own_edit (Moderation *m)
{
  Member *ann = m->room.ann;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) req = NULL;

  req = json_object_new ();
  json_object_set_int_member (req, "message_id", json_object_get_int_member (m->ann_msg, "id"));
  json_object_set_string_member (req, "text", "Ann's better message");
  reply = cohort_test_client_request_ok (ann->client, COHORT_REQ_CHAT_EDIT, req);
  g_clear_pointer (&req, json_object_unref);
}

/* The teacher deletes any message; everyone sees it go. */
static void
moderation_teacher_deletes (Moderation *m)
{
  Member *teacher = m->room.teacher;
  Member *ann = m->room.ann;
  Member *bob = m->room.bob;
  JsonObject *bob_msg = m->bob_msg;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) req = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonArray) h = NULL;

  g_ptr_array_unref (events_of (bob));
  req = json_object_new ();
  json_object_set_int_member (req, "message_id", json_object_get_int_member (bob_msg, "id"));
  reply = cohort_test_client_request_ok (teacher->client, COHORT_REQ_CHAT_DELETE, req);
  events = events_of (ann);
  g_assert_cmpuint (count_events (events, COHORT_EV_CHAT_DELETED), ==, 1);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = events_of (bob);
  g_assert_cmpuint (count_events (events, COHORT_EV_CHAT_DELETED), ==, 1);
  h = history (ann, 0, 0, NULL);
  g_assert_cmpuint (json_array_get_length (h), ==, 2);
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (h, 1), "deleted"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (h, 1), "text"), ==, "");
  g_assert_false (history_has_text (h, "Bob's message"));
  g_assert_true (history_has_text (h, "Ann's better message"));
  g_clear_pointer (&h, json_array_unref);
  /* Editing a removed message finds nothing. */
  json_object_set_string_member (req, "text", "back again");
  assert_refused (bob, COHORT_REQ_CHAT_EDIT, req, COHORT_ERROR_NOT_FOUND);
}

/* Students cannot moderate. */
static void
moderation_students_cannot (Moderation *m)
{
  Member *ann = m->room.ann;
  Member *bob = m->room.bob;
  g_autoptr(JsonObject) req = json_object_new ();

  json_object_set_boolean_member (req, "muted", TRUE);
  assert_refused (ann, COHORT_REQ_CHAT_SETTINGS, req, COHORT_ERROR_FORBIDDEN);
  json_object_set_int_member (req, "participant_id", bob->id);
  assert_refused (ann, COHORT_REQ_CHAT_MUTE, req, COHORT_ERROR_FORBIDDEN);
}

/* The teacher mutes Bob: Bob is refused, Ann is not. */
static void
moderation_mute_one (Moderation *m)
{
  Member *teacher = m->room.teacher;
  Member *ann = m->room.ann;
  Member *bob = m->room.bob;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) req = NULL;

  req = json_object_new ();
  json_object_set_boolean_member (req, "muted", TRUE);
  json_object_set_int_member (req, "participant_id", bob->id);
  reply = cohort_test_client_request_ok (teacher->client, COHORT_REQ_CHAT_MUTE, req);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = chat_send (bob, NULL, send_body ("can I talk?"));
  assert_error (reply, COHORT_ERROR_FORBIDDEN);
  g_clear_pointer (&m->ann_msg, json_object_unref);
  m->ann_msg = say (ann, "I still can");
  json_object_set_boolean_member (req, "muted", FALSE);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request_ok (teacher->client, COHORT_REQ_CHAT_MUTE, req);
  g_clear_pointer (&m->bob_msg, json_object_unref);
  m->bob_msg = say (bob, "back");
  g_clear_pointer (&req, json_object_unref);
}

/* The whole chat muted: students are refused, the teacher is not. */
static void
moderation_mute_all (Moderation *m)
{
  Member *teacher = m->room.teacher;
  Member *ann = m->room.ann;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) req = NULL;

  req = json_object_new ();
  json_object_set_boolean_member (req, "muted", TRUE);
  reply = cohort_test_client_request_ok (teacher->client, COHORT_REQ_CHAT_SETTINGS, req);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = chat_send (ann, NULL, send_body ("hello?"));
  assert_error (reply, COHORT_ERROR_FORBIDDEN);
  g_clear_pointer (&m->ann_msg, json_object_unref);
  m->ann_msg = say (teacher, "Quiet please");
  json_object_set_boolean_member (req, "muted", FALSE);
  json_object_set_boolean_member (req, "private_enabled", FALSE);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request_ok (teacher->client, COHORT_REQ_CHAT_SETTINGS, req);
  g_clear_pointer (&req, json_object_unref);
}

/* Private chat off: a student's private message is refused. */
static void
moderation_private_off (Moderation *m)
{
  Member *ann = m->room.ann;
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *body;

  body = send_body ("psst teacher");
  json_object_set_string_member (body, "channel", COHORT_CHAT_CHANNEL_PRIVATE);
  reply = chat_send (ann, NULL, body);
  assert_error (reply, COHORT_ERROR_FORBIDDEN);
}

/* Danmaku off: the flag is dropped, the message still goes. */
static void
moderation_danmaku_off (Moderation *m)
{
  Member *teacher = m->room.teacher;
  Member *ann = m->room.ann;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) req = NULL;
  JsonObject *body;

  req = json_object_new ();
  json_object_set_boolean_member (req, "danmaku_enabled", FALSE);
  reply = cohort_test_client_request_ok (teacher->client, COHORT_REQ_CHAT_SETTINGS, req);
  body = send_body ("fly!");
  json_object_set_boolean_member (body, "danmaku", TRUE);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = chat_send (ann, NULL, body);
  g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
  g_assert_false (json_object_get_boolean_member (
                    json_object_get_object_member (cohort_message_get_body (reply), "message"), "danmaku"));
}

static const CohortTestStageFunc moderation_stages[] = {
  (CohortTestStageFunc) moderation_foreign_edit,
  (CohortTestStageFunc) moderation_own_edit,
  (CohortTestStageFunc) moderation_teacher_deletes,
  (CohortTestStageFunc) moderation_students_cannot,
  (CohortTestStageFunc) moderation_mute_one,
  (CohortTestStageFunc) moderation_mute_all,
  (CohortTestStageFunc) moderation_private_off,
  (CohortTestStageFunc) moderation_danmaku_off,
};

/* test_questions: the scenario's state, taken through the stages below. */
typedef struct
{
  Room                room;
  CohortMessage      *reply;
  JsonObject         *req;
  JsonObject         *plain;
  GPtrArray          *events;
  JsonArray          *h;
  JsonObject         *body;
  JsonObject         *question;
  gint64             qid;
} Questions;

static void
questions_setup (Questions *st)
{
  room_open (&st->room, 3);
  st->body = send_body ("Why is the sky blue?");
  json_object_set_boolean_member (st->body, "question", TRUE);
  st->reply = chat_send (st->room.ann, NULL, st->body);
  st->question = json_object_get_object_member (cohort_message_get_body (st->reply), "message");
  g_assert_cmpstr (json_object_get_string_member (st->question, "question"), ==, "open");
  st->qid = json_object_get_int_member (st->question, "id");
  st->plain = say (st->room.ann, "just chatting");
}

static void
questions_teardown (Questions *st)
{
  g_clear_pointer (&st->h, json_array_unref);
  g_clear_pointer (&st->events, g_ptr_array_unref);
  g_clear_pointer (&st->plain, json_object_unref);
  g_clear_pointer (&st->req, json_object_unref);
  g_clear_pointer (&st->reply, cohort_message_unref);
  room_close (&st->room);
}

/* Me too from Bob and Cat; not from Ann herself or the teacher. */
static void
questions_me_too (Questions *st)
{
  g_ptr_array_unref (events_of (st->room.teacher));
  st->req = json_object_new ();
  json_object_set_int_member (st->req, "message_id", st->qid);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request_ok (st->room.bob->client, COHORT_REQ_CHAT_VOTE, st->req);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request_ok (st->room.cat->client, COHORT_REQ_CHAT_VOTE, st->req);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (st->reply), "votes"), ==, 2);
}

/* Voting twice counts once. */
static void
questions_vote_once (Questions *st)
{
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request_ok (st->room.cat->client, COHORT_REQ_CHAT_VOTE, st->req);
  g_assert_cmpint (json_object_get_int_member (cohort_message_get_body (st->reply), "votes"), ==, 2);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request (st->room.ann->client, COHORT_REQ_CHAT_VOTE, NULL, st->req);
  assert_error (st->reply, COHORT_ERROR_FORBIDDEN);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request (st->room.teacher->client, COHORT_REQ_CHAT_VOTE, NULL, st->req);
  assert_error (st->reply, COHORT_ERROR_FORBIDDEN);
  st->events = events_of (st->room.teacher);
  g_assert_cmpuint (count_events (st->events, COHORT_EV_CHAT_VOTES), ==, 2);
  {
    JsonObject *v = cohort_message_get_body (find_event (st->events, COHORT_EV_CHAT_VOTES));

    /* Who voted for whose question, for the groups ledger. */
    g_assert_cmpint (json_object_get_int_member (v, "voter_id"), ==, st->room.bob->id);
    g_assert_cmpint (json_object_get_int_member (v, "participant_id"), ==, st->room.bob->id);
    g_assert_cmpint (json_object_get_int_member (v, "author_id"), ==, st->room.ann->id);
  }
  g_clear_pointer (&st->events, g_ptr_array_unref);
}

/* Not a question: no votes. Teachers do not ask; students do not answer. */
static void
questions_not_a_question (Questions *st)
{
  json_object_set_int_member (st->req, "message_id", json_object_get_int_member (st->plain, "id"));
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request (st->room.bob->client, COHORT_REQ_CHAT_VOTE, NULL, st->req);
  assert_error (st->reply, COHORT_ERROR_INVALID);
  st->body = send_body ("Teacher question");
  json_object_set_boolean_member (st->body, "question", TRUE);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = chat_send (st->room.teacher, NULL, st->body);
  assert_error (st->reply, COHORT_ERROR_FORBIDDEN);
}

/* A peer may answer in the thread (the question stays open); the asker
 * may not answer herself. */
static void
questions_peer_answer (Questions *st)
{
  st->body = send_body ("I know!");
  json_object_set_int_member (st->body, "reply_to", st->qid);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = chat_send (st->room.bob, NULL, st->body);
  g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
  st->body = send_body ("Me neither");
  json_object_set_int_member (st->body, "reply_to", st->qid);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = chat_send (st->room.ann, NULL, st->body);
  assert_error (st->reply, COHORT_ERROR_FORBIDDEN);
  st->events = events_of (st->room.cat);
  g_assert_cmpuint (count_events (st->events, COHORT_EV_CHAT_QUESTION), ==, 0);
  g_clear_pointer (&st->events, g_ptr_array_unref);
}

/* The teacher answers in a thread: the question is answered. */
static void
questions_teacher_answers (Questions *st)
{
  st->body = send_body ("Rayleigh scattering.");
  json_object_set_int_member (st->body, "reply_to", st->qid);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = chat_send (st->room.teacher, NULL, st->body);
  g_assert_cmpint (cohort_message_get_kind (st->reply), ==, COHORT_MESSAGE_OK);
  st->events = events_of (st->room.cat);
  g_assert_cmpuint (count_events (st->events, COHORT_EV_CHAT_QUESTION), ==, 1);
  g_clear_pointer (&st->events, g_ptr_array_unref);
}

/* … and marks it done. */
static void
questions_marks_done (Questions *st)
{
  g_clear_pointer (&st->req, json_object_unref);
  st->req = json_object_new ();
  json_object_set_int_member (st->req, "message_id", st->qid);
  json_object_set_string_member (st->req, "state", "done");
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request (st->room.ann->client, COHORT_REQ_CHAT_QUESTION, NULL, st->req);
  assert_error (st->reply, COHORT_ERROR_FORBIDDEN);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request_ok (st->room.teacher->client, COHORT_REQ_CHAT_QUESTION, st->req);

  st->h = history (st->room.bob, 0, 0, NULL);
  for (guint i = 0; i < json_array_get_length (st->h); i++)
    {
      JsonObject *m = json_array_get_object_element (st->h, i);

      if (json_object_get_int_member (m, "id") == st->qid)
        {
          g_assert_cmpstr (json_object_get_string_member (m, "question"), ==, "done");
          g_assert_cmpint (json_object_get_int_member (m, "votes"), ==, 2);
          g_assert_true (json_object_get_boolean_member (m, "voted"));
        }
      if (g_strcmp0 (json_object_get_string_member (m, "text"), "Rayleigh scattering.") == 0)
        g_assert_cmpint (json_object_get_int_member (m, "reply_to"), ==, st->qid);
    }
}

static const CohortTestStageFunc questions_stages[] = {
  (CohortTestStageFunc) questions_me_too,
  (CohortTestStageFunc) questions_vote_once,
  (CohortTestStageFunc) questions_not_a_question,
  (CohortTestStageFunc) questions_peer_answer,
  (CohortTestStageFunc) questions_teacher_answers,
  (CohortTestStageFunc) questions_marks_done,
};

static const char *questions_cases[] = {
  "me-too",
  "vote-once",
  "not-a-question",
  "peer-answer",
  "teacher-answers",
  "marks-done",
};

/* chat.mark_helpful: the teacher marks a student's answer to a peer's
 * question helpful, once; everyone in the class gets chat.helpful. */
/* test_mark_helpful: the scenario's state, taken through the stages below. */
typedef struct
{
  Room                room;
  CohortMessage      *reply;
  JsonObject         *req;
  JsonObject         *plain;
  JsonObject         *teacher_answer;
  GPtrArray          *events;
  JsonObject         *body;
  JsonObject         *ev;
  gint64             qid;
  gint64             aid;
} MarkHelpful;

static void
mark_helpful_setup (MarkHelpful *st)
{
  room_open (&st->room, 3);
  st->req = json_object_new ();
  st->body = send_body ("What is a prime?");
  json_object_set_boolean_member (st->body, "question", TRUE);
  st->reply = chat_send (st->room.ann, NULL, st->body);
  st->qid = json_object_get_int_member (json_object_get_object_member (cohort_message_get_body (st->reply),
                                                                   "message"), "id");
  st->body = send_body ("A number with exactly two divisors.");
  json_object_set_int_member (st->body, "reply_to", st->qid);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = chat_send (st->room.bob, NULL, st->body);
  st->aid = json_object_get_int_member (json_object_get_object_member (cohort_message_get_body (st->reply),
                                                                   "message"), "id");
  st->plain = say (st->room.cat, "hello");
  st->body = send_body ("Right.");
  json_object_set_int_member (st->body, "reply_to", st->qid);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = chat_send (st->room.teacher, NULL, st->body);
  st->teacher_answer = json_object_ref (json_object_get_object_member (cohort_message_get_body (st->reply),
                                                                   "message"));
  g_ptr_array_unref (events_of (st->room.teacher));
  g_ptr_array_unref (events_of (st->room.ann));
  g_ptr_array_unref (events_of (st->room.bob));
  g_ptr_array_unref (events_of (st->room.cat));
}

static void
mark_helpful_teardown (MarkHelpful *st)
{
  g_clear_pointer (&st->events, g_ptr_array_unref);
  g_clear_pointer (&st->teacher_answer, json_object_unref);
  g_clear_pointer (&st->plain, json_object_unref);
  g_clear_pointer (&st->req, json_object_unref);
  g_clear_pointer (&st->reply, cohort_message_unref);
  room_close (&st->room);
}

/* Students cannot mark, not even the asker. */
static void
mark_helpful_students_cannot_mark (MarkHelpful *st)
{
  json_object_set_int_member (st->req, "message_id", st->aid);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request (st->room.ann->client, COHORT_REQ_CHAT_MARK_HELPFUL, NULL, st->req);
  assert_error (st->reply, COHORT_ERROR_FORBIDDEN);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request (st->room.bob->client, COHORT_REQ_CHAT_MARK_HELPFUL, NULL, st->req);
  assert_error (st->reply, COHORT_ERROR_FORBIDDEN);
}

/* Not an answer, the teacher's own answer, the question itself, no such
 * message: refused. */
static void
mark_helpful_not_an_answer (MarkHelpful *st)
{
  json_object_set_int_member (st->req, "message_id", json_object_get_int_member (st->plain, "id"));
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request (st->room.teacher->client, COHORT_REQ_CHAT_MARK_HELPFUL, NULL, st->req);
  assert_error (st->reply, COHORT_ERROR_INVALID);
  json_object_set_int_member (st->req, "message_id", json_object_get_int_member (st->teacher_answer, "id"));
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request (st->room.teacher->client, COHORT_REQ_CHAT_MARK_HELPFUL, NULL, st->req);
  assert_error (st->reply, COHORT_ERROR_INVALID);
  json_object_set_int_member (st->req, "message_id", st->qid);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request (st->room.teacher->client, COHORT_REQ_CHAT_MARK_HELPFUL, NULL, st->req);
  assert_error (st->reply, COHORT_ERROR_INVALID);
  json_object_set_int_member (st->req, "message_id", 999999);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request (st->room.teacher->client, COHORT_REQ_CHAT_MARK_HELPFUL, NULL, st->req);
  assert_error (st->reply, COHORT_ERROR_NOT_FOUND);
}

/* Marked twice: one event, to everyone in the class. */
static void
mark_helpful_marked_twice (MarkHelpful *st)
{
  json_object_set_int_member (st->req, "message_id", st->aid);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request_ok (st->room.teacher->client, COHORT_REQ_CHAT_MARK_HELPFUL, st->req);
  g_clear_pointer (&st->reply, cohort_message_unref);
  st->reply = cohort_test_client_request_ok (st->room.teacher->client, COHORT_REQ_CHAT_MARK_HELPFUL, st->req);
  st->events = events_of (st->room.cat);
  g_assert_cmpuint (count_events (st->events, COHORT_EV_CHAT_HELPFUL), ==, 1);
  st->ev = cohort_message_get_body (find_event (st->events, COHORT_EV_CHAT_HELPFUL));
  g_assert_cmpint (json_object_get_int_member (st->ev, "message_id"), ==, st->aid);
  g_assert_cmpint (json_object_get_int_member (st->ev, "question_id"), ==, st->qid);
  g_assert_cmpint (json_object_get_int_member (st->ev, "author_id"), ==, st->room.bob->id);
  g_assert_cmpint (json_object_get_int_member (st->ev, "asker_id"), ==, st->room.ann->id);
  g_assert_cmpint (json_object_get_int_member (st->ev, "by"), ==, st->room.teacher->id);
  g_clear_pointer (&st->events, g_ptr_array_unref);
  st->events = events_of (st->room.teacher);
  g_assert_cmpuint (count_events (st->events, COHORT_EV_CHAT_HELPFUL), ==, 1);
  g_clear_pointer (&st->events, g_ptr_array_unref);
}

/* A window opened later learns it from the history. */
static void
mark_helpful_later_window (MarkHelpful *st)
{
  {
    g_autoptr(JsonArray) messages = history (st->room.cat, 0, 0, NULL);
    gboolean seen = FALSE;

    for (guint i = 0; i < json_array_get_length (messages); i++)
      {
        JsonObject *m = json_array_get_object_element (messages, i);

        g_assert_cmpint (json_object_get_boolean_member_with_default (m, "helpful", FALSE), ==,
                         json_object_get_int_member (m, "id") == st->aid);
        seen |= json_object_get_int_member (m, "id") == st->aid;
      }
    g_assert_true (seen);
  }
  assert_alive (st->room.ann);
}

static const CohortTestStageFunc mark_helpful_stages[] = {
  (CohortTestStageFunc) mark_helpful_students_cannot_mark,
  (CohortTestStageFunc) mark_helpful_not_an_answer,
  (CohortTestStageFunc) mark_helpful_marked_twice,
  (CohortTestStageFunc) mark_helpful_later_window,
};

static const char *mark_helpful_cases[] = {
  "students-cannot-mark",
  "not-an-answer",
  "marked-twice",
  "later-window",
};

static void
test_rate_limit (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autofree char *code = NULL;
  g_autoptr(Member) teacher = create_teacher (server, &code);
  g_autoptr(Member) ann = join_student (server, code, "Ann");
  g_autoptr(Member) bob = join_student (server, code, "Bob");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(JsonObject) later = NULL;
  g_autoptr(JsonObject) other = NULL;
  guint ok = 0, limited = 0, refilled = 0;

  /* A flood of 30 messages at once: the burst passes, the rest are told
   * to slow down, and the connection survives. */
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *frame = g_strdup_printf (
        "{\"type\":\"chat.send\",\"id\":\"f%u\",\"body\":{\"text\":\"flood %u\"}}", i, i);

      cohort_test_client_send_text (ann->client, frame);
    }
  all = cohort_test_client_drain (ann->client, 300);
  for (guint i = 0; i < all->len; i++)
    {
      CohortMessage *m = g_ptr_array_index (all, i);

      if (cohort_message_get_kind (m) == COHORT_MESSAGE_OK)
        ok++;
      else if (cohort_message_get_kind (m) == COHORT_MESSAGE_ERROR)
        {
          g_assert_cmpint (cohort_message_get_error_code (m), ==, COHORT_ERROR_RATE_LIMITED);
          g_assert_nonnull (strstr (cohort_message_get_error_message (m), "Wait"));
          limited++;
        }
    }
  g_assert_cmpuint (ok, >=, COHORT_CHAT_RATE_BURST);
  g_assert_cmpuint (ok, <=, COHORT_CHAT_RATE_BURST + 1);
  g_assert_cmpuint (ok + limited, ==, 30);
  assert_alive (ann);

  /* The limit is Ann's, not the class's. */
  other = say (bob, "I am not limited");

  /* The raw frame carries retry_after_ms. */
  {
    CohortTestClient *raw = ann->client;
    g_autoptr(CohortMessage) reply = NULL;

    reply = chat_send (ann, "after-flood", send_body ("one more"));
    if (cohort_message_get_kind (reply) == COHORT_MESSAGE_OK)
      {
        /* A slow run (the sanitizer pass) refilled a token meanwhile:
         * that message was stored too. */
        refilled++;
        g_clear_pointer (&reply, cohort_message_unref);
        reply = chat_send (ann, "after-flood-2", send_body ("and one more"));
      }
    assert_error (reply, COHORT_ERROR_RATE_LIMITED);
    (void) raw;
  }

  /* After a pause, Ann may talk again. */
  g_usleep ((COHORT_CHAT_RATE_REFILL_MS + 100) * 1000);
  later = say (ann, "sorry");

  /* Nothing over the limit was stored. */
  {
    g_autoptr(JsonArray) h = history (teacher, 0, 0, NULL);

    g_assert_cmpuint (json_array_get_length (h), ==, ok + 2 + refilled);
  }
}

static void
test_resend_once (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autofree char *code = NULL;
  g_autoptr(Member) teacher = create_teacher (server, &code);
  g_autoptr(Member) ann = join_student (server, code, "Ann");
  g_autoptr(CohortMessage) first = NULL;
  g_autoptr(CohortMessage) second = NULL;
  g_autoptr(JsonArray) h = NULL;
  g_autofree char *first_json = NULL;
  g_autofree char *second_json = NULL;
  JsonObject *body;

  body = send_body ("only once");
  json_object_set_string_member (body, "client_id", "local-1");
  first = chat_send (ann, "req-1", body);
  g_assert_cmpint (cohort_message_get_kind (first), ==, COHORT_MESSAGE_OK);

  /* The connection drops before the client saw anything; it resumes and
   * sends the request again, with the same id. */
  cohort_test_client_drop (ann->client);
  reconnect (server, ann, ann->seq);
  g_ptr_array_unref (events_of (ann));
  body = send_body ("only once");
  json_object_set_string_member (body, "client_id", "local-1");
  second = chat_send (ann, "req-1", body);
  g_assert_cmpint (cohort_message_get_kind (second), ==, COHORT_MESSAGE_OK);

  first_json = cohort_message_to_json (first, NULL);
  second_json = cohort_message_to_json (second, NULL);
  g_assert_cmpstr (first_json, ==, second_json);

  h = history (teacher, 0, 0, NULL);
  g_assert_cmpuint (json_array_get_length (h), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (h, 0), "client_id"),
                   ==, "local-1");
  /* No second event either. */
  {
    g_autoptr(GPtrArray) ev_t = events_of (teacher);

    g_assert_cmpuint (count_events (ev_t, COHORT_EV_CHAT_MESSAGE), ==, 1);
  }
}

/* Messages sent back to back share one commit (they arrive in one turn):
 * each is acknowledged once, a resend queued right behind its original
 * gets the same reply and stores nothing, and everyone sees them in the
 * order they were sent. */
static void
test_burst_one_commit (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autofree char *code = NULL;
  g_autoptr(Member) teacher = create_teacher (server, &code);
  g_autoptr(Member) ann = join_student (server, code, "Ann");
  g_autoptr(Member) bob = join_student (server, code, "Bob");
  g_autoptr(GHashTable) replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) ev_t = NULL;
  g_autoptr(JsonArray) h = NULL;
  const char *frames[] = {
    "{\"type\":\"chat.send\",\"id\":\"a1\",\"body\":{\"text\":\"one\"}}",
    "{\"type\":\"chat.send\",\"id\":\"a2\",\"body\":{\"text\":\"two\"}}",
    "{\"type\":\"chat.send\",\"id\":\"a2\",\"body\":{\"text\":\"two\"}}",
    "{\"type\":\"chat.send\",\"id\":\"a3\",\"body\":{\"text\":\"three\"}}",
  };
  const char *ann_texts[] = { "one", "two", "three" };
  guint n_seen = 0;

  g_ptr_array_unref (events_of (teacher));
  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    cohort_test_client_send_text (ann->client, frames[i]);
  cohort_test_client_send_text (bob->client,
                                "{\"type\":\"chat.send\",\"id\":\"b1\",\"body\":{\"text\":\"bob\"}}");

  for (guint i = 0; i < G_N_ELEMENTS (frames); i++)
    {
      g_autoptr(CohortMessage) reply = cohort_test_client_next_reply (ann->client);
      g_autofree char *json = NULL;
      const char *re;

      g_assert_nonnull (reply);
      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_OK);
      json = cohort_message_to_json (reply, NULL);
      re = cohort_message_get_id (reply);
      if (g_hash_table_contains (replies, re))
        g_assert_cmpstr (g_hash_table_lookup (replies, re), ==, json);
      else
        g_hash_table_insert (replies, g_strdup (re), g_steal_pointer (&json));
    }
  g_assert_cmpuint (g_hash_table_size (replies), ==, 3);
  {
    g_autoptr(CohortMessage) bob_reply = cohort_test_client_next_reply (bob->client);

    g_assert_cmpint (cohort_message_get_kind (bob_reply), ==, COHORT_MESSAGE_OK);
  }

  ev_t = events_of (teacher);
  g_assert_cmpuint (count_events (ev_t, COHORT_EV_CHAT_MESSAGE), ==, 4);
  for (guint i = 0; i < ev_t->len; i++)
    {
      CohortMessage *e = g_ptr_array_index (ev_t, i);
      const char *text;

      if (g_strcmp0 (cohort_message_get_name (e), COHORT_EV_CHAT_MESSAGE) != 0)
        continue;
      text = json_object_get_string_member (json_object_get_object_member (cohort_message_get_body (e),
                                                                           "message"), "text");
      /* Ann's three in order; Bob's anywhere among them. */
      if (g_str_equal (text, "bob"))
        continue;
      g_assert_cmpuint (n_seen, <, G_N_ELEMENTS (ann_texts));
      g_assert_cmpstr (text, ==, ann_texts[n_seen]);
      n_seen++;
    }
  g_assert_cmpuint (n_seen, ==, 3);

  h = history (teacher, 0, 0, NULL);
  g_assert_cmpuint (json_array_get_length (h), ==, 4);

  /* A client's requests take effect in the order sent: history asked
   * right behind a send (in the same turn) already holds the message, and
   * a send right before leaving is posted, and seen, before the leave. */
  g_clear_pointer (&h, json_array_unref);
  cohort_test_client_send_text (ann->client,
                                "{\"type\":\"chat.send\",\"id\":\"a4\",\"body\":{\"text\":\"four\"}}");
  h = history (ann, 0, 0, NULL);
  g_assert_true (history_has_text (h, "four"));

  g_ptr_array_unref (events_of (teacher));
  cohort_test_client_send_text (bob->client,
                                "{\"type\":\"chat.send\",\"id\":\"b2\",\"body\":{\"text\":\"bye\"}}");
  cohort_test_client_send_text (bob->client, "{\"type\":\"class.leave\",\"id\":\"b3\",\"body\":{}}");
  {
    g_autoptr(CohortMessage) said = cohort_test_client_next_event (teacher->client, COHORT_EV_CHAT_MESSAGE);
    g_autoptr(CohortMessage) left = cohort_test_client_next_event (teacher->client, "participant.presence");

    g_assert_nonnull (said);
    g_assert_nonnull (left);
    g_assert_cmpint (cohort_message_get_seq (said), <, cohort_message_get_seq (left));
  }
}

/* A message that is paid for but then not stored gives its rate-limit
 * token back, whether its own write fails or its group's commit does:
 * the user is told to try again, and the retry must not be refused. */
static void
test_refund_on_store_failure (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autofree char *code = NULL;
  g_autoptr(Member) teacher = create_teacher (server, &code);
  g_autoptr(Member) ann = join_student (server, code, "Ann");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(JsonArray) h = NULL;
  guint ok = 0;

  /* Faults put in the server's database from outside: "boom" fails its
   * own insert; "commit-boom" breaks a deferred foreign key, so the
   * insert works and the commit fails. */
  cohort_test_db_exec (cohort_test_server_get_db_path (server),
            "CREATE TABLE fault (class INTEGER REFERENCES classes (id) DEFERRABLE INITIALLY DEFERRED);"
            "CREATE TRIGGER fault_insert BEFORE INSERT ON chat_messages WHEN NEW.text = 'boom' "
            "BEGIN SELECT RAISE (ABORT, 'injected'); END;"
            "CREATE TRIGGER fault_commit AFTER INSERT ON chat_messages WHEN NEW.text = 'commit-boom' "
            "BEGIN INSERT INTO fault VALUES (-1); END;");

  for (guint i = 0; i < COHORT_CHAT_RATE_BURST; i++)
    {
      g_autoptr(CohortMessage) reply = chat_send (ann, NULL, send_body ("boom"));

      assert_error (reply, COHORT_ERROR_INTERNAL);
    }
  {
    g_autoptr(CohortMessage) reply = chat_send (ann, NULL, send_body ("commit-boom"));

    assert_error (reply, COHORT_ERROR_INTERNAL);
  }

  /* A full burst right away: without the refunds it would be refused. */
  for (guint i = 0; i < COHORT_CHAT_RATE_BURST; i++)
    {
      g_autofree char *frame = g_strdup_printf (
        "{\"type\":\"chat.send\",\"id\":\"ok%u\",\"body\":{\"text\":\"fine %u\"}}", i, i);

      cohort_test_client_send_text (ann->client, frame);
    }
  all = cohort_test_client_drain (ann->client, 300);
  for (guint i = 0; i < all->len; i++)
    {
      CohortMessage *m = g_ptr_array_index (all, i);

      if (cohort_message_get_kind (m) == COHORT_MESSAGE_ERROR)
        g_error ("refused: %s", cohort_message_get_error_message (m));
      if (cohort_message_get_kind (m) == COHORT_MESSAGE_OK)
        ok++;
    }
  g_assert_cmpuint (ok, ==, COHORT_CHAT_RATE_BURST);

  h = history (teacher, 0, 0, NULL);
  g_assert_false (history_has_text (h, "boom"));
  g_assert_false (history_has_text (h, "commit-boom"));
  g_assert_true (history_has_text (h, "fine 4"));
}

static void
test_persist_restart (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autofree char *code = NULL;
  g_autoptr(Member) teacher = create_teacher (server, &code);
  g_autoptr(Member) ann = join_student (server, code, "Ann");
  g_autoptr(Member) late = NULL;
  g_autoptr(JsonObject) m1 = NULL;
  g_autoptr(JsonObject) m2 = NULL;
  g_autoptr(JsonObject) req = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonArray) h = NULL;
  JsonObject *chat;
  JsonObject *body;

  m1 = say (ann, "before the restart ✓ 你好 👋");
  body = send_body ("asked before");
  json_object_set_boolean_member (body, "question", TRUE);
  reply = chat_send (ann, NULL, body);
  json_object_set_int_member (req, "participant_id", ann->id);
  json_object_set_boolean_member (req, "muted", TRUE);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request_ok (teacher->client, COHORT_REQ_CHAT_MUTE, req);
  g_clear_pointer (&req, json_object_unref);
  req = json_object_new ();
  json_object_set_boolean_member (req, "danmaku_enabled", FALSE);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request_ok (teacher->client, COHORT_REQ_CHAT_SETTINGS, req);

  cohort_test_server_kill (server);
  cohort_test_server_restart (server);

  reconnect (server, teacher, 0);
  g_ptr_array_unref (events_of (teacher));
  h = history (teacher, 0, 0, NULL);
  g_assert_cmpuint (json_array_get_length (h), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (h, 0), "text"), ==,
                   "before the restart ✓ 你好 👋");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (h, 1), "question"),
                   ==, "open");

  /* A newcomer's welcome carries the settings and the mutes. */
  late = join_student (server, code, "Late");
  chat = json_object_get_object_member (late->welcome, "chat");
  g_assert_nonnull (chat);
  g_assert_true (cohort_chat_validate_welcome (chat, NULL));
  g_assert_false (json_object_get_boolean_member (chat, "danmaku_enabled"));
  g_assert_true (json_object_get_boolean_member (chat, "private_enabled"));
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (chat, "muted_ids"), 0),
                   ==, ann->id);
  g_assert_false (json_object_has_member (chat, "pace"));

  /* Ann is still muted. */
  reconnect (server, ann, 0);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = chat_send (ann, NULL, send_body ("after"));
  assert_error (reply, COHORT_ERROR_FORBIDDEN);
  m2 = say (teacher, "after the restart");
  g_assert_cmpint (json_object_get_int_member (m2, "id"), >, json_object_get_int_member (m1, "id"));
}

static void
test_history_pages (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autofree char *code = NULL;
  g_autoptr(Member) teacher = create_teacher (server, &code);
  g_autoptr(GPtrArray) students = g_ptr_array_new_with_free_func ((GDestroyNotify) member_free);
  g_autoptr(JsonArray) page = NULL;
  gboolean has_more = FALSE;
  gint64 before;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("S%u", i);

      g_ptr_array_add (students, join_student (server, code, name));
    }
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *text = g_strdup_printf ("message %02u", i);
      g_autoptr(JsonObject) m = say (g_ptr_array_index (students, i % 3), text);
    }

  page = history (teacher, 0, 5, &has_more);
  g_assert_true (has_more);
  g_assert_cmpuint (json_array_get_length (page), ==, 5);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (page, 0), "text"), ==,
                   "message 07");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (page, 4), "text"), ==,
                   "message 11");
  before = json_object_get_int_member (json_array_get_object_element (page, 0), "id");
  g_clear_pointer (&page, json_array_unref);

  page = history (teacher, before, 5, &has_more);
  g_assert_true (has_more);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (page, 0), "text"), ==,
                   "message 02");
  before = json_object_get_int_member (json_array_get_object_element (page, 0), "id");
  g_clear_pointer (&page, json_array_unref);

  page = history (teacher, before, 5, &has_more);
  g_assert_false (has_more);
  g_assert_cmpuint (json_array_get_length (page), ==, 2);
  g_clear_pointer (&page, json_array_unref);

  /* A default page is the last 200. */
  page = history (teacher, 0, 0, &has_more);
  g_assert_false (has_more);
  g_assert_cmpuint (json_array_get_length (page), ==, 12);
}

static void
test_bad_input (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autofree char *code = NULL;
  g_autoptr(Member) teacher = create_teacher (server, &code);
  g_autoptr(Member) ann = join_student (server, code, "Ann");
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  g_autoptr(GString) zw = g_string_new ("hi");
  g_autoptr(JsonObject) m = NULL;
  const char *markup = "<b>bold</b> <a href=\"javascript:alert(1)\">x</a> &amp; & <span foreground='red'>";

  /* Oversize: 2,001 characters (multi-byte ones count as one). */
  for (guint i = 0; i < COHORT_CHAT_MAX_CHARS + 1; i++)
    g_string_append (big, "é");
  reply = chat_send (ann, NULL, send_body (big->str));
  assert_invalid (reply, COHORT_INVALID_OUT_OF_RANGE);
  g_assert_cmpstr (cohort_message_get_field (reply), ==, "text");
  g_clear_pointer (&reply, cohort_message_unref);
  g_string_truncate (big, big->len - strlen ("é"));
  m = say (ann, big->str);
  g_assert_cmpint (g_utf8_strlen (json_object_get_string_member (m, "text"), -1), ==,
                   COHORT_CHAT_MAX_CHARS);
  g_clear_pointer (&m, json_object_unref);
  g_usleep (1100 * 1000);

  /* A lone surrogate is not Unicode: the strict JSON check refuses the
   * whole frame, before its id is read (docs/protocol.md, "Strict JSON"). */
  cohort_test_client_send_text (ann->client,
                                "{\"type\":\"chat.send\",\"id\":\"bad-utf8\",\"body\":{\"text\":\"a\\ud800b\"}}");
  reply = cohort_test_client_next_reply (ann->client);
  assert_invalid (reply, COHORT_INVALID_BAD_JSON);
  g_assert_null (cohort_message_get_id (reply));
  g_clear_pointer (&reply, cohort_message_unref);

  /* Markup is stored and delivered as the characters typed. */
  m = say (ann, markup);
  g_assert_cmpstr (json_object_get_string_member (m, "text"), ==, markup);
  g_clear_pointer (&m, json_object_unref);

  /* Zero-width spam is refused; a few are collapsed. */
  for (guint i = 0; i < 200; i++)
    g_string_append (zw, "\u200b");
  reply = chat_send (ann, NULL, send_body (zw->str));
  assert_invalid (reply, COHORT_INVALID_BAD_TEXT);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = chat_send (ann, NULL, send_body ("\u200b\u200b\u200b\u2060\ufeff"));
  assert_invalid (reply, COHORT_INVALID_BAD_TEXT);
  g_clear_pointer (&reply, cohort_message_unref);
  m = say (ann, "he\u200b\u200bllo \u202eevil\u202c");
  g_assert_cmpstr (json_object_get_string_member (m, "text"), ==, "hello evil");
  g_clear_pointer (&m, json_object_unref);
  g_usleep (1100 * 1000);

  /* Control characters go, newlines stay; an emoji family keeps its joiners. */
  m = say (ann, "  line\x07 one\r\nline\ttwo\n\n\n\n\x1b[31mthree 👨\u200d👩\u200d👧  ");
  g_assert_cmpstr (json_object_get_string_member (m, "text"), ==,
                   "line one\nline two\n\n[31mthree 👨\u200d👩\u200d👧");
  g_clear_pointer (&m, json_object_unref);

  /* Empty and wrong types. */
  reply = chat_send (ann, NULL, send_body (" \n\t "));
  assert_invalid (reply, COHORT_INVALID_OUT_OF_RANGE);
  g_clear_pointer (&reply, cohort_message_unref);
  cohort_test_client_send_text (ann->client,
                                "{\"type\":\"chat.send\",\"id\":\"num\",\"body\":{\"text\":42}}");
  reply = cohort_test_client_wait_reply (ann->client, "num");
  assert_invalid (reply, COHORT_INVALID_WRONG_TYPE);
  g_clear_pointer (&reply, cohort_message_unref);
  cohort_test_client_send_text (ann->client,
                                "{\"type\":\"chat.send\",\"id\":\"chan\",\"body\":{\"text\":\"x\",\"channel\":\"all\"}}");
  reply = cohort_test_client_wait_reply (ann->client, "chan");
  assert_invalid (reply, COHORT_INVALID_OUT_OF_RANGE);
  g_clear_pointer (&reply, cohort_message_unref);
  cohort_test_client_send_text (ann->client,
                                "{\"type\":\"chat.react\",\"id\":\"emoji\",\"body\":{\"reaction\":\"<b>\"}}");
  reply = cohort_test_client_wait_reply (ann->client, "emoji");
  assert_invalid (reply, COHORT_INVALID_OUT_OF_RANGE);
  g_clear_pointer (&reply, cohort_message_unref);

  assert_alive (ann);
  assert_alive (teacher);
}

static void
test_reactions_and_pace (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autofree char *code = NULL;
  g_autoptr(Member) teacher = create_teacher (server, &code);
  g_autoptr(Member) ann = join_student (server, code, "Ann");
  g_autoptr(Member) bob = join_student (server, code, "Bob");
  g_autoptr(Member) again = NULL;
  g_autoptr(JsonObject) req = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(GPtrArray) events = NULL;
  CohortTestClient *c;
  JsonObject *chat;

  g_ptr_array_unref (events_of (teacher));
  g_ptr_array_unref (events_of (bob));
  json_object_set_string_member (req, "reaction", "clap");
  reply = cohort_test_client_request_ok (ann->client, COHORT_REQ_CHAT_REACT, req);
  events = events_of (bob);
  g_assert_cmpuint (count_events (events, COHORT_EV_CHAT_REACTION), ==, 1);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* Pace: only the teacher (and the sender) see it. */
  g_clear_pointer (&req, json_object_unref);
  req = json_object_new ();
  json_object_set_string_member (req, "pace", "too_fast");
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request_ok (ann->client, COHORT_REQ_CHAT_PACE, req);
  assert_refused (teacher, COHORT_REQ_CHAT_PACE, req, COHORT_ERROR_FORBIDDEN);
  events = events_of (teacher);
  g_assert_cmpuint (count_events (events, COHORT_EV_CHAT_PACE), ==, 1);
  g_clear_pointer (&events, g_ptr_array_unref);
  events = events_of (bob);
  g_assert_cmpuint (count_events (events, COHORT_EV_CHAT_PACE), ==, 0);
  g_assert_cmpuint (events->len, ==, 0);
  g_clear_pointer (&events, g_ptr_array_unref);

  /* The teacher's welcome on another device carries the last minute. */
  c = cohort_test_client_new (cohort_test_server_get_url (server));
  again = member_from (c, cohort_test_client_join (c, code, "x",
                                                   json_object_get_string_member (teacher->welcome,
                                                                                  "teacher_key")));
  chat = json_object_get_object_member (again->welcome, "chat");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (chat, "pace")), ==, 1);

  /* Reactions are limited too. */
  g_clear_pointer (&req, json_object_unref);
  req = json_object_new ();
  json_object_set_string_member (req, "reaction", "heart");
  for (guint i = 0; i < COHORT_CHAT_REACT_BURST + 2; i++)
    {
      g_clear_pointer (&reply, cohort_message_unref);
      reply = cohort_test_client_request (bob->client, COHORT_REQ_CHAT_REACT, NULL, req);
    }
  assert_error (reply, COHORT_ERROR_RATE_LIMITED);
}

static void
test_clean_text (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *flag = NULL;
  char *clean;
  int reason = 0;

  clean = cohort_chat_clean_text ("ok\xff", &reason, &error);
  g_assert_null (clean);
  g_assert_cmpint (reason, ==, COHORT_INVALID_BAD_TEXT);
  g_clear_error (&error);

  /* A flag tag sequence survives; so does a single joiner between letters. */
  flag = cohort_chat_clean_text ("🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F",
                                 NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_utf8_strlen (flag, -1), ==, 7);

  /* Zalgo: combining marks are capped. */
  clean = cohort_chat_clean_text ("a\u0301\u0302\u0303\u0304\u0305\u0306\u0307", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_utf8_strlen (clean, -1), ==, 1 + COHORT_CHAT_MAX_COMBINING);
  g_free (clean);
}

int
main (int   argc,
      char *argv[])
{
  MarkHelpful mark_helpful_state = { 0 };
  g_autoptr(CohortTestStages) mark_helpful_run = NULL;
  Questions questions_state = { 0 };
  g_autoptr(CohortTestStages) questions_run = NULL;
  Private private = { NULL };
  Moderation moderation = { NULL };
  g_autoptr(CohortTestStages) private_run = NULL;
  g_autoptr(CohortTestStages) moderation_run = NULL;
  static const char *moderation_cases[] = {
    "foreign-edit-refused", "own-edit", "teacher-deletes", "students-cannot-moderate",
    "mute-one", "mute-all", "private-off", "danmaku-off",
  };
  static const char *private_cases[] = {
    "to-teacher", "answer-and-history", "seq-without-gap", "resume", "student-to-student",
    "other-class", "delete-by-id", "group-channel",
  };

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/chat/clean-text", test_clean_text);
  g_test_add_func ("/cohort/chat/order-five-clients", test_order_five_clients);
  private_run = cohort_test_stages_new (&private, (CohortTestStageFunc) private_setup,
                                        (CohortTestStageFunc) private_teardown, private_stages,
                                        G_N_ELEMENTS (private_stages));
  cohort_test_stages_add_each (private_run, "/cohort/chat/private", private_cases);
  moderation_run = cohort_test_stages_new (&moderation, (CohortTestStageFunc) moderation_setup,
                                           (CohortTestStageFunc) moderation_teardown,
                                           moderation_stages, G_N_ELEMENTS (moderation_stages));
  cohort_test_stages_add_each (moderation_run, "/cohort/chat/moderation", moderation_cases);
  questions_run = cohort_test_stages_new (&questions_state,
                                          (CohortTestStageFunc) questions_setup,
                                          (CohortTestStageFunc) questions_teardown,
                                          questions_stages,
                                          G_N_ELEMENTS (questions_stages));
  cohort_test_stages_add_each (questions_run, "/cohort/chat/questions", questions_cases);
  mark_helpful_run = cohort_test_stages_new (&mark_helpful_state,
                                             (CohortTestStageFunc) mark_helpful_setup,
                                             (CohortTestStageFunc) mark_helpful_teardown,
                                             mark_helpful_stages,
                                             G_N_ELEMENTS (mark_helpful_stages));
  cohort_test_stages_add_each (mark_helpful_run, "/cohort/chat/mark-helpful", mark_helpful_cases);
  g_test_add_func ("/cohort/chat/rate-limit", test_rate_limit);
  g_test_add_func ("/cohort/chat/resend-once", test_resend_once);
  g_test_add_func ("/cohort/chat/burst-one-commit", test_burst_one_commit);
  g_test_add_func ("/cohort/chat/refund-on-store-failure", test_refund_on_store_failure);
  g_test_add_func ("/cohort/chat/persist-restart", test_persist_restart);
  g_test_add_func ("/cohort/chat/history-pages", test_history_pages);
  g_test_add_func ("/cohort/chat/bad-input", test_bad_input);
  g_test_add_func ("/cohort/chat/reactions-and-pace", test_reactions_and_pace);

  return g_test_run ();
}

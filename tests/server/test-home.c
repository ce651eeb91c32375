/* test-home.c: GET /api/v1/home against a real server and its SQLite
 * store: the figures of a class between lessons, each student's own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cohort-chat-protocol.h"
#include "cohort-groups-protocol.h"
#include "cohort-identity-protocol.h"
#include "cohort-lesson-protocol.h"
#include "cohort-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"

/* Physics with Ms Li, and Mei and Tom in the group Red. */
typedef struct
{
  CohortTestServer *server;
  SoupSession      *http;
  CohortTestClient *teacher;
  CohortTestClient *mei;
  CohortTestClient *tom;
  char             *mei_token;
  char             *tom_token;
  char             *teacher_token;
  gint64            mei_id;
  gint64            tom_id;
  gint64            group_id;
} Physics;

static JsonObject *
object_from (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_ref (json_node_get_object (node));
}

#define ok cohort_test_client_ok_json

static void
physics_open (Physics *p)
{
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) mei = NULL;
  g_autoptr(JsonObject) tom = NULL;
  g_autoptr(JsonObject) group = NULL;
  g_autofree char *assign = NULL;
  const char *code;

  p->server = cohort_test_server_start (NULL);
  p->http = soup_session_new ();
  p->teacher = cohort_test_client_new (cohort_test_server_get_url (p->server));
  p->mei = cohort_test_client_new (cohort_test_server_get_url (p->server));
  p->tom = cohort_test_client_new (cohort_test_server_get_url (p->server));
  created = cohort_test_client_create_class (p->teacher, "Physics", "Ms Li");
  code = json_object_get_string_member (json_object_get_object_member (created, "class"), "code");
  mei = cohort_test_client_join (p->mei, code, "Mei", NULL);
  tom = cohort_test_client_join (p->tom, code, "Tom", NULL);
  p->teacher_token = g_strdup (json_object_get_string_member (created, "token"));
  p->mei_token = g_strdup (json_object_get_string_member (mei, "token"));
  p->tom_token = g_strdup (json_object_get_string_member (tom, "token"));
  p->mei_id = json_object_get_int_member (json_object_get_object_member (mei, "you"), "id");
  p->tom_id = json_object_get_int_member (json_object_get_object_member (tom, "you"), "id");

  group = ok (p->teacher, "groups.create", "{\"name\":\"Red\",\"size\":4}");
  p->group_id = json_object_get_int_member (json_object_get_object_member (group, "group"), "id");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) done = NULL;

      assign = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT ",\"group_id\":%" G_GINT64_FORMAT "}",
                                i == 0 ? p->mei_id : p->tom_id, p->group_id);
      done = ok (p->teacher, "groups.assign", assign);
      g_clear_pointer (&assign, g_free);
    }
}

static void
physics_close (Physics *p)
{
  g_clear_pointer (&p->teacher, cohort_test_client_free);
  g_clear_pointer (&p->mei, cohort_test_client_free);
  g_clear_pointer (&p->tom, cohort_test_client_free);
  g_clear_pointer (&p->mei_token, g_free);
  g_clear_pointer (&p->tom_token, g_free);
  g_clear_pointer (&p->teacher_token, g_free);
  g_clear_object (&p->http);
  g_clear_pointer (&p->server, cohort_test_server_free);
}

/* GET (or @method) @path_and_query with @authorization (NULL: none);
 * the status, and the body parsed when it is JSON. */
static guint
http (Physics     *p,
      const char  *method,
      const char  *path_and_query,
      const char  *authorization,
      JsonObject **out_body)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", cohort_test_server_get_port (p->server),
                                          path_and_query);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  const char *type;

  g_assert_nonnull (msg);
  if (authorization != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  bytes = soup_session_send_and_read (p->http, msg, NULL, &error);
  g_assert_no_error (error);
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (out_body != NULL)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      g_assert_cmpstr (type, ==, "application/json");
      *out_body = object_from (text);
    }
  return soup_message_get_status (msg);
}

static JsonObject *
home (Physics    *p,
      const char *token,
      const char *query)
{
  g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
  g_autofree char *path = g_strconcat ("/api/v1/home", query, NULL);
  JsonObject *body = NULL;

  g_assert_cmpuint (http (p, "GET", path, auth, &body), ==, 200);
  return body;
}

static JsonObject *
member (JsonObject *o,
        const char *name)
{
  g_assert_true (json_object_has_member (o, name));
  return json_object_get_object_member (o, name);
}

/* An error reply: the status, {"error": code, "message": …} (and
 * "field" where one is named), nothing else. */
static void
assert_error_body (JsonObject *body,
                   const char *code)
{
  g_assert_cmpstr (json_object_get_string_member (body, "error"), ==, code);
  g_assert_nonnull (json_object_get_string_member (body, "message"));
  g_assert_cmpuint (json_object_get_size (body), <=, 3);
  g_assert_false (json_object_has_member (body, "class"));
  g_assert_false (json_object_has_member (body, "progress"));
}

/* Title, teacher, the lesson's state as the lesson service has it, the
 * shape open for the schedule. */
static void
test_class_and_lesson (void)
{
  Physics p;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) reply = NULL;

  physics_open (&p);

  body = home (&p, p.mei_token, "");
  g_assert_cmpstr (json_object_get_string_member (member (body, "class"), "title"), ==, "Physics");
  g_assert_false (json_object_get_boolean_member (member (body, "class"), "archived"));
  g_assert_cmpstr (json_object_get_string_member (member (body, "teacher"), "name"), ==, "Ms Li");
  g_assert_cmpstr (json_object_get_string_member (member (body, "you"), "name"), ==, "Mei");
  g_assert_cmpstr (json_object_get_string_member (member (body, "lesson"), "state"), ==,
                   COHORT_LESSON_STR_NOT_STARTED);
  g_assert_true (json_object_has_member (body, "next_lesson"));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (body, "next_lesson")));
  /* The helper's nudge: none for a student who did not opt in. */
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (body, "nudge")));
  g_clear_pointer (&body, json_object_unref);

  /* The schedule's next lesson: a one-off tomorrow at 09:00 in Shanghai
   * (01:00 UTC), gone again once cancelled. */
  {
    g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("Asia/Shanghai");
    g_autoptr(GDateTime) now = g_date_time_new_now (shanghai);
    g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);
    g_autoptr(GDateTime) start = g_date_time_new (shanghai, g_date_time_get_year (tomorrow),
                                                  g_date_time_get_month (tomorrow),
                                                  g_date_time_get_day_of_month (tomorrow), 9, 0, 0);
    g_autofree char *local = g_date_time_format (start, "%Y-%m-%dT%H:%M");
    g_autofree char *create = g_strdup_printf ("{\"title\":\"Optics\",\"start\":\"%s\",\"zone\":\"Asia/Shanghai\","
                                               "\"duration\":45,\"recurrence\":\"none\"}", local);
    g_autoptr(JsonObject) created = ok (p.teacher, "schedule.create", create);
    gint64 lesson_id = json_object_get_int_member (member (created, "lesson"), "lesson_id");
    g_autofree char *cancel = g_strdup_printf ("{\"lesson_id\":%" G_GINT64_FORMAT "}", lesson_id);
    g_autoptr(JsonObject) cancelled = NULL;
    JsonObject *next;

    body = home (&p, p.mei_token, "");
    next = member (body, "next_lesson");
    g_assert_cmpstr (json_object_get_string_member (next, "title"), ==, "Optics");
    g_assert_cmpint (json_object_get_int_member (next, "starts_at"), ==, g_date_time_to_unix (start) * 1000);
    g_assert_cmpint (json_object_get_int_member (next, "duration_min"), ==, 45);
    g_assert_cmpint (json_object_get_int_member (next, "lesson_id"), ==, lesson_id);
    g_clear_pointer (&body, json_object_unref);

    cancelled = ok (p.teacher, "schedule.cancel", cancel);
    body = home (&p, p.mei_token, "");
    g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (body, "next_lesson")));
    g_clear_pointer (&body, json_object_unref);
  }

  reply = ok (p.teacher, COHORT_REQ_LESSON_START, "{}");
  body = home (&p, p.tom_token, "");
  g_assert_cmpstr (json_object_get_string_member (member (body, "lesson"), "state"), ==, COHORT_LESSON_STR_LIVE);
  g_clear_pointer (&body, json_object_unref);
  g_clear_pointer (&reply, json_object_unref);

  reply = ok (p.teacher, COHORT_REQ_LESSON_END, "{}");
  body = home (&p, p.mei_token, "");
  g_assert_cmpstr (json_object_get_string_member (member (body, "lesson"), "state"), ==, COHORT_LESSON_STR_ENDED);
  g_clear_pointer (&body, json_object_unref);

  /* The teacher's token reads the class, with no student figures. */
  body = home (&p, p.teacher_token, "");
  g_assert_cmpstr (json_object_get_string_member (member (body, "you"), "role"), ==, "teacher");
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (body, "progress")));
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (body, "unread")));

  physics_close (&p);
}

/* Streak, today's check-in (in the student's own zone) and this week's
 * points: each student's own, never the other's. */
static void
test_progress (void)
{
  Physics p;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) reply = NULL;
  JsonObject *progress;

  physics_open (&p);

  reply = ok (p.tom, COHORT_REQ_GROUPS_CHECK_IN, "{\"note\":\"Read chapter 3\",\"tz\":\"Asia/Shanghai\"}");

  body = home (&p, p.tom_token, "");
  progress = member (body, "progress");
  g_assert_cmpint (json_object_get_int_member (progress, "participant_id"), ==, p.tom_id);
  g_assert_true (json_object_get_boolean_member (progress, "checked_in_today"));
  g_assert_cmpint (json_object_get_int_member (progress, "streak"), ==, 1);
  /* A check-in is worth 10 points. */
  g_assert_cmpint (json_object_get_int_member (progress, "points_week"), ==, 10);
  {
    /* "today" is Tom's date in Shanghai, not the server's. */
    g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Shanghai");
    g_autoptr(GDateTime) now = g_date_time_new_now (tz);
    g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

    g_assert_cmpstr (json_object_get_string_member (progress, "today"), ==, today);
  }
  g_clear_pointer (&body, json_object_unref);

  body = home (&p, p.mei_token, "");
  progress = member (body, "progress");
  g_assert_cmpint (json_object_get_int_member (progress, "participant_id"), ==, p.mei_id);
  g_assert_false (json_object_get_boolean_member (progress, "checked_in_today"));
  g_assert_cmpint (json_object_get_int_member (progress, "streak"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (progress, "points_week"), ==, 0);
  /* Nothing of Tom's anywhere in Mei's reply. */
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), body);
    g_autofree char *text = json_to_string (node, FALSE);

    g_assert_null (strstr (text, "Tom"));
    g_assert_null (strstr (text, "chapter"));
  }

  physics_close (&p);
}

static gint64
say (CohortTestClient *c,
     const char       *body_json)
{
  g_autoptr(JsonObject) reply = ok (c, COHORT_REQ_CHAT_SEND, body_json);

  return json_object_get_int_member (json_object_get_object_member (reply, "message"), "id");
}

/* Unread: the teacher's messages (class channel and private ones to the
 * student) and the group's, after the positions the client sends; never
 * another student's private messages. */
static void
test_unread (void)
{
  Physics p;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *to_mei = NULL;
  g_autofree char *to_tom = NULL;
  g_autofree char *since = NULL;
  gint64 hello, private_mei, private_tom, group_tom;
  JsonObject *unread;

  physics_open (&p);

  hello = say (p.teacher, "{\"text\":\"Hello class\"}");
  say (p.tom, "{\"text\":\"Hi\"}");
  to_mei = g_strdup_printf ("{\"text\":\"For Mei\",\"channel\":\"private\",\"to\":%" G_GINT64_FORMAT "}", p.mei_id);
  private_mei = say (p.teacher, to_mei);
  /* Tom writes to his group (Red, with Mei). */
  {
    g_autofree char *group_msg = g_strdup_printf ("{\"text\":\"Red team!\",\"channel\":\"group\","
                                                  "\"group_id\":%" G_GINT64_FORMAT "}", p.group_id);

    group_tom = say (p.tom, group_msg);
  }
  to_tom = g_strdup_printf ("{\"text\":\"For Tom\",\"channel\":\"private\",\"to\":%" G_GINT64_FORMAT "}", p.tom_id);
  private_tom = say (p.teacher, to_tom);

  body = home (&p, p.mei_token, "");
  unread = member (body, "unread");
  g_assert_cmpint (json_object_get_int_member (unread, "from_teacher"), ==, 2);
  /* Tom's private message is not Mei's to count, nor her position. */
  g_assert_cmpint (json_object_get_int_member (unread, "last_chat_id"), ==, private_mei);
  g_assert_cmpint (json_object_get_int_member (unread, "from_group"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (unread, "last_group_id"), ==, group_tom);
  g_clear_pointer (&body, json_object_unref);

  since = g_strdup_printf ("?since_group=%" G_GINT64_FORMAT, group_tom);
  body = home (&p, p.mei_token, since);
  g_assert_cmpint (json_object_get_int_member (member (body, "unread"), "from_group"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (member (body, "unread"), "from_teacher"), ==, 2);
  g_clear_pointer (&body, json_object_unref);
  g_clear_pointer (&since, g_free);

  since = g_strdup_printf ("?since_chat=%" G_GINT64_FORMAT, hello);
  body = home (&p, p.mei_token, since);
  g_assert_cmpint (json_object_get_int_member (member (body, "unread"), "from_teacher"), ==, 1);
  g_clear_pointer (&body, json_object_unref);
  g_clear_pointer (&since, g_free);

  body = home (&p, p.tom_token, "");
  unread = member (body, "unread");
  g_assert_cmpint (json_object_get_int_member (unread, "from_teacher"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (unread, "last_chat_id"), ==, private_tom);
  /* His own group message is not unread for him. */
  g_assert_cmpint (json_object_get_int_member (unread, "from_group"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (unread, "last_group_id"), ==, group_tom);
  g_clear_pointer (&body, json_object_unref);

  physics_close (&p);
}

static void
test_unauthorized (void)
{
  Physics p;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *wrong = NULL;
  g_autofree char *in_url = NULL;

  physics_open (&p);

  g_assert_cmpuint (http (&p, "GET", "/api/v1/home", NULL, &body), ==, 401);
  assert_error_body (body, "unauthorized");
  g_clear_pointer (&body, json_object_unref);

  g_assert_cmpuint (http (&p, "GET", "/api/v1/home", "Bearer nonsense", &body), ==, 401);
  assert_error_body (body, "unauthorized");
  g_clear_pointer (&body, json_object_unref);

  /* A token of the right form that no one holds. */
  wrong = g_strdup_printf ("Bearer %s", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  g_assert_cmpuint (http (&p, "GET", "/api/v1/home", wrong, &body), ==, 401);
  assert_error_body (body, "unauthorized");
  g_clear_pointer (&body, json_object_unref);

  /* Basic, or the token in the URL, is no sign-in. */
  in_url = g_strdup_printf ("/api/v1/home?token=%s", p.mei_token);
  g_assert_cmpuint (http (&p, "GET", in_url, NULL, &body), ==, 401);
  assert_error_body (body, "unauthorized");
  g_clear_pointer (&body, json_object_unref);
  {
    g_autofree char *basic = g_strdup_printf ("Basic %s", p.mei_token);

    g_assert_cmpuint (http (&p, "GET", "/api/v1/home", basic, &body), ==, 401);
    g_clear_pointer (&body, json_object_unref);
  }

  /* A removed student's token stops working. */
  {
    g_autofree char *remove = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT ",\"block\":false}", p.tom_id);
    g_autoptr(JsonObject) done = ok (p.teacher, COHORT_REQ_PARTICIPANT_REMOVE, remove);
    g_autofree char *auth = g_strconcat ("Bearer ", p.tom_token, NULL);

    g_assert_cmpuint (http (&p, "GET", "/api/v1/home", auth, &body), ==, 401);
    assert_error_body (body, "unauthorized");
    g_clear_pointer (&body, json_object_unref);
  }

  physics_close (&p);
}

static void
test_invalid (void)
{
  Physics p;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *auth = NULL;
  const char *bad[] = {
    "?since_chat=abc", "?since_chat=-1", "?since_chat=", "?since_chat=01",
    "?since_chat=9007199254740992", "?since_chat=1&since_chat=2", "?since_grop=1",
    "?since_chat=1;since_group=2", "?since_group=1e3", NULL,
  };

  physics_open (&p);
  auth = g_strconcat ("Bearer ", p.mei_token, NULL);

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autofree char *path = g_strconcat ("/api/v1/home", bad[i], NULL);

      g_test_message ("query %s", bad[i]);
      g_assert_cmpuint (http (&p, "GET", path, auth, &body), ==, 400);
      assert_error_body (body, "invalid");
      g_clear_pointer (&body, json_object_unref);
    }

  g_assert_cmpuint (http (&p, "POST", "/api/v1/home", auth, &body), ==, 405);
  g_clear_pointer (&body, json_object_unref);
  g_assert_cmpuint (http (&p, "GET", "/api/v1/home/other", auth, &body), ==, 404);
  g_clear_pointer (&body, json_object_unref);

  /* The largest position is fine, and the server still answers. */
  body = home (&p, p.mei_token, "?since_chat=9007199254740991&since_group=0");
  g_assert_cmpint (json_object_get_int_member (member (body, "unread"), "from_teacher"), ==, 0);

  physics_close (&p);
}

/* Wrong tokens count like wrong class codes: after the burst, every
 * request from the address waits, a right token's too. */
static void
test_throttled (void)
{
  Physics p;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *right = NULL;
  const char *wrong = "Bearer BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";
  guint status = 0;
  guint tries = 0;
  gint64 started;

  physics_open (&p);

  started = g_get_monotonic_time ();
  while ((status = http (&p, "GET", "/api/v1/home", wrong, &body)) == 401)
    {
      g_clear_pointer (&body, json_object_unref);
      g_assert_cmpuint (++tries, <=, 200);
    }
  g_assert_cmpuint (status, ==, 429);
  /* The burst is 100, and the bucket refills one a second: a slow run
   * (ASan, a loaded machine) earns one more try for each second it took. */
  g_assert_cmpuint (tries, >=, 100);
  g_assert_cmpuint (tries, <=, 100 + (g_get_monotonic_time () - started) / G_USEC_PER_SEC + 1);
  assert_error_body (body, "rate_limited");
  g_clear_pointer (&body, json_object_unref);

  right = g_strconcat ("Bearer ", p.mei_token, NULL);
  g_assert_cmpuint (http (&p, "GET", "/api/v1/home", right, &body), ==, 429);

  physics_close (&p);
}

/* Every answer closes its connection: a round of requests, answered or
 * refused, leaves the server no descriptor more than before. */
static void
test_no_descriptor_kept (void)
{
  Physics p;
  GPid pid;
  guint baseline;

  physics_open (&p);
  pid = cohort_test_server_get_pid (p.server);
  baseline = cohort_test_pid_count_fds (pid);

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(JsonObject) body = NULL;

      if (i % 2 == 0)
        body = home (&p, p.mei_token, "");
      else
        g_assert_cmpuint (http (&p, "GET", "/api/v1/home?since_chat=x", NULL, &body), ==, 401);
    }
  /* The client's own pool lets go too. */
  soup_session_abort (p.http);
  cohort_test_pid_wait_fds_at_most (pid, baseline);

  physics_close (&p);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/home/class-and-lesson", test_class_and_lesson);
  g_test_add_func ("/cohort/home/progress", test_progress);
  g_test_add_func ("/cohort/home/unread", test_unread);
  g_test_add_func ("/cohort/home/unauthorized", test_unauthorized);
  g_test_add_func ("/cohort/home/invalid", test_invalid);
  g_test_add_func ("/cohort/home/throttled", test_throttled);
  g_test_add_func ("/cohort/home/no-descriptor-kept", test_no_descriptor_kept);

  return g_test_run ();
}

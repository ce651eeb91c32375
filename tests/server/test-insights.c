/* test-insights.c: the teacher's insights against a real server and its
 * SQLite store: roles, settings, the figures of a hand-made history, each
 * at-risk rule, nudges and the live hint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "cohort-chat-protocol.h"
#include "cohort-groups-protocol.h"
#include "cohort-insights-protocol.h"
#include "cohort-lesson-protocol.h"
#include "cohort-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-db.h"
#include "cohort-test-server.h"
#include "cohort-test-wait.h"

#define HOUR_MS   ((gint64) 3600 * 1000)
#define DAY_MS    (24 * HOUR_MS)
#define N_LESSONS 4

enum { ANN, BOB, CY, DI, ED, N_STUDENTS };
static const char * const names[N_STUDENTS] = { "Ann", "Bob", "Cy", "Di", "Ed" };

/* Physics, its teacher and five students, with four past lessons (one
 * hour each, a day apart, starting 30 days ago) written into the store. */
typedef struct
{
  CohortTestServer *server;
  CohortTestClient *teacher;
  CohortTestClient *students[N_STUDENTS];
  gint64            ids[N_STUDENTS];
  gint64            class_id;
  gint64            teacher_id;
  const char       *db;
  char             *code;
  char             *tokens[N_STUDENTS];
  gint64            base;
} Class;

static void
sql (Class      *c,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

static void
sql (Class      *c,
     const char *format,
     ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  cohort_test_db_exec (c->db, text);
}

static gint64
lesson_start (Class *c,
              guint  number)
{
  return c->base + (number - 1) * DAY_MS;
}

/* Appends an event to the class's log, as the server would. */
static void
log_event (Class      *c,
           gint64      ts,
           const char *name,
           const char *body)
{
  cohort_test_db_log_event (c->db, c->class_id, ts, name, body);
}

static void
presence (Class    *c,
          guint     who,
          gint64    ts,
          gboolean  online)
{
  g_autofree char *body = g_strdup_printf ("{\"participant_id\": %" G_GINT64_FORMAT ", \"online\": %s}",
                                           c->ids[who], online ? "true" : "false");

  log_event (c, ts, "participant.presence", body);
}

static void
by_id (Class      *c,
       guint       who,
       gint64      ts,
       const char *name)
{
  g_autofree char *body = g_strdup_printf ("{\"participant_id\": %" G_GINT64_FORMAT "}", c->ids[who]);

  log_event (c, ts, name, body);
}

static void
chat (Class    *c,
      guint     who,
      gint64    ts,
      gboolean  question)
{
  sql (c, "INSERT INTO chat_messages (class_id, author_id, channel, text, ts, question) "
       "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", 'class', 'hello', %" G_GINT64_FORMAT ", '%s')",
       c->class_id, c->ids[who], ts, question ? "open" : "none");
}

/* One graded answer to a question launched at @ts. */
static void
answer (Class    *c,
        guint     who,
        gint64    ts,
        gboolean  correct)
{
  sql (c, "INSERT INTO quiz_runs (class_id, question_id, question, sequence, seq_index, time_limit_ms, "
       "limit_override, allow_change, launched_at, deadline, closed_at) "
       "VALUES (%" G_GINT64_FORMAT ", 1, '{}', 'q', 0, 30000, 0, 0, %" G_GINT64_FORMAT ", 0, 0);"
       "INSERT INTO quiz_answers (run_id, participant_id, answer, answered_at, elapsed_ms, grade, points) "
       "VALUES (last_insert_rowid (), %" G_GINT64_FORMAT ", '\"a\"', %" G_GINT64_FORMAT ", 1000, %d, %d)",
       c->class_id, ts, c->ids[who], ts + 1000, correct ? 1 : 0, correct ? 1 : 0);
}

static char *
day_string (gint64 days_ago)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -days_ago);

  return g_date_time_format (then, "%Y-%m-%d");
}

static void
checkin (Class  *c,
         guint   who,
         gint64  days_ago)
{
  g_autofree char *day = day_string (days_ago);

  sql (c, "INSERT INTO groups_checkins (class_id, participant_id, day, tz, note, at) "
       "VALUES (%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ", '%s', 'UTC', '', %" G_GINT64_FORMAT ")",
       c->class_id, c->ids[who], day, g_get_real_time () / 1000 - days_ago * DAY_MS);
}

static void
class_open (Class *c)
{
  g_autoptr(JsonObject) created = NULL;
  JsonObject *klass;

  c->server = cohort_test_server_start (NULL);
  c->db = cohort_test_server_get_db_path (c->server);
  c->teacher = cohort_test_client_new (cohort_test_server_get_url (c->server));
  created = cohort_test_client_create_class (c->teacher, "Physics", "Ms Li");
  klass = json_object_get_object_member (created, "class");
  c->code = g_strdup (json_object_get_string_member (klass, "code"));
  c->class_id = json_object_get_int_member (klass, "id");
  c->teacher_id = json_object_get_int_member (json_object_get_object_member (created, "you"), "id");
  for (guint i = 0; i < N_STUDENTS; i++)
    {
      g_autoptr(JsonObject) joined = NULL;

      c->students[i] = cohort_test_client_new (cohort_test_server_get_url (c->server));
      joined = cohort_test_client_join (c->students[i], c->code, names[i], NULL);
      c->ids[i] = json_object_get_int_member (json_object_get_object_member (joined, "you"), "id");
      c->tokens[i] = g_strdup (json_object_get_string_member (joined, "token"));
    }
  c->base = g_get_real_time () / 1000 - 30 * DAY_MS;
}

static void
class_close (Class *c)
{
  g_clear_pointer (&c->teacher, cohort_test_client_free);
  for (guint i = 0; i < N_STUDENTS; i++)
    {
      g_clear_pointer (&c->students[i], cohort_test_client_free);
      g_clear_pointer (&c->tokens[i], g_free);
    }
  g_clear_pointer (&c->code, g_free);
  g_clear_pointer (&c->server, cohort_test_server_free);
}

/* The students joined "now", but have been in the class since before the
 * first lesson; then the four lessons, and who was there when.
 *
 *   Ann  every lesson, the whole hour; a message each lesson (the first a
 *        question), a hand in 2, a reaction in 3, 10 minutes on stage in 4;
 *        2 of 2 right each lesson; checked in today and yesterday; 3 AI
 *        questions
 *   Bob  lessons 1 and 2 (30 minutes each), then absent (rule: absent)
 *   Cy   every lesson, silent in all (rule: silent)
 *   Di   every lesson, a message each; 4/4, 3/4, 2/4 in lessons 2–4
 *        (rule: accuracy 100 → 50)
 *   Ed   every lesson, a message each; a 7-day check-in run that ended
 *        5 days ago (rule: streak broken) */
static void
write_history (Class *c)
{
  sql (c, "UPDATE participants SET created_at = %" G_GINT64_FORMAT " WHERE class_id = %" G_GINT64_FORMAT,
       c->base - DAY_MS, c->class_id);
  sql (c, "DELETE FROM lessons WHERE class_id = %" G_GINT64_FORMAT, c->class_id);
  for (guint n = 1; n <= N_LESSONS; n++)
    {
      gint64 start = lesson_start (c, n);
      gint64 end = start + HOUR_MS;

      sql (c, "INSERT INTO lessons (class_id, number, started_at) VALUES (%" G_GINT64_FORMAT ", %u, %"
           G_GINT64_FORMAT ");"
           "INSERT INTO lesson_runs (class_id, number, started_at, ended_at) VALUES (%" G_GINT64_FORMAT
           ", %u, %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
           c->class_id, n, start - 60000, c->class_id, n, start, end);

      /* Ann, Cy, Di and Ed come a minute early and leave a minute late. */
      for (guint who = 0; who < N_STUDENTS; who++)
        {
          if (who == BOB)
            continue;
          presence (c, who, start - 60000, TRUE);
        }
      if (n <= 2)
        {
          presence (c, BOB, start + 10 * 60000, TRUE);
          presence (c, BOB, start + 40 * 60000, FALSE);
        }

      chat (c, ANN, start + 60000, n == 1);
      chat (c, DI, start + 60000, FALSE);
      chat (c, ED, start + 60000, FALSE);
      if (n == 2)
        by_id (c, ANN, start + 2 * 60000, "hand.raised");
      if (n == 3)
        {
          g_autofree char *body = g_strdup_printf ("{\"participant_id\": %" G_GINT64_FORMAT
                                                   ", \"reaction\": \"clap\"}", c->ids[ANN]);

          log_event (c, start + 3 * 60000, "chat.reaction", body);
        }
      if (n == 4)
        {
          by_id (c, ANN, start + 5 * 60000, "stage.joined");
          by_id (c, ANN, start + 15 * 60000, "stage.left");
        }

      for (guint q = 0; q < 2; q++)
        answer (c, ANN, start + (20 + q) * 60000, TRUE);
      if (n >= 2)
        for (guint q = 0; q < 4; q++)
          answer (c, DI, start + (20 + q) * 60000, q < 4 - (n - 2));

      for (guint who = 0; who < N_STUDENTS; who++)
        {
          if (who == BOB)
            continue;
          presence (c, who, end + 60000, FALSE);
        }
    }

  checkin (c, ANN, 1);
  checkin (c, ANN, 0);
  for (gint64 d = 11; d >= 5; d--)
    checkin (c, ED, d);
  for (guint i = 0; i < 3; i++)
    sql (c, "INSERT INTO ai_usage (participant_id, request_id, class_id, asked_at) "
         "VALUES (%" G_GINT64_FORMAT ", 'r%u', %" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")",
         c->ids[ANN], i, c->class_id, c->base + i);
}

/* The first column of @sql's first row, checked against @expected. */
static void
assert_db (Class      *c,
           const char *sql_text,
           const char *expected)
{
  g_autofree char *value = cohort_test_db_query_text (c->db, sql_text);

  g_assert_cmpstr (value, ==, expected);
}

static JsonObject *
get_insights (CohortTestClient *client)
{
  g_autoptr(CohortMessage) reply = cohort_test_client_request_ok (client, COHORT_REQ_INSIGHTS_GET, NULL);

  return json_object_ref (cohort_message_get_body (reply));
}

static char *
students_json (JsonObject *insights)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

  json_node_set_array (node, json_object_get_array_member (insights, "students"));
  return json_to_string (node, FALSE);
}

static JsonObject *
row_of (JsonObject *insights,
        gint64      participant_id,
        guint      *out_index)
{
  JsonArray *students = json_object_get_array_member (insights, "students");

  for (guint i = 0; i < json_array_get_length (students); i++)
    {
      JsonObject *row = json_array_get_object_element (students, i);

      if (json_object_get_int_member (row, "participant_id") == participant_id)
        {
          if (out_index != NULL)
            *out_index = i;
          return row;
        }
    }
  g_assert_not_reached ();
}

static gint64
member (JsonObject *row,
        const char *name)
{
  return json_object_get_int_member (row, name);
}

static void
assert_risks (JsonObject *row,
              const char *expected)
{
  JsonArray *risks = json_object_get_array_member (row, "risks");
  g_autoptr(GString) got = g_string_new ("");

  for (guint i = 0; i < json_array_get_length (risks); i++)
    g_string_append_printf (got, "%s%s", i > 0 ? "," : "", json_array_get_string_element (risks, i));
  g_assert_cmpstr (got->str, ==, expected);
}

/* A student gets forbidden, and nothing of anyone's figures. */
static void
test_students_forbidden (void)
{
  Class c = { 0 };
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) body = json_object_new ();

  class_open (&c);

  reply = cohort_test_client_request (c.students[ANN], COHORT_REQ_INSIGHTS_GET, NULL, NULL);
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_assert_false (json_object_has_member (cohort_message_get_body (reply), "students"));
  g_clear_pointer (&reply, cohort_message_unref);

  json_object_set_int_member (body, "silent_lessons", 4);
  reply = cohort_test_client_request (c.students[ANN], COHORT_REQ_INSIGHTS_SETTINGS_SET, NULL, body);
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  json_object_remove_member (body, "silent_lessons");
  json_object_set_int_member (body, "participant_id", c.ids[BOB]);
  reply = cohort_test_client_request (c.students[ANN], COHORT_REQ_INSIGHTS_NUDGE, NULL, body);
  cohort_test_client_assert_error (reply, "forbidden", NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  class_close (&c);
}

static void
assert_settings_refused (CohortTestClient *teacher,
                         const char       *field,
                         gint64            value)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  json_object_set_int_member (body, field, value);
  reply = cohort_test_client_request (teacher, COHORT_REQ_INSIGHTS_SETTINGS_SET, NULL, body);
  cohort_test_client_assert_error (reply, "invalid", field);
}

/* Each threshold within its range; the template needs {name}; what is
 * stored survives a restart. */
static void
test_settings (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) insights = NULL;
  g_autoptr(JsonObject) joined = NULL;
  JsonObject *settings;

  class_open (&c);

  insights = get_insights (c.teacher);
  settings = json_object_get_object_member (insights, "settings");
  g_assert_cmpint (member (settings, "absent_lessons"), ==, 2);
  g_assert_cmpint (member (settings, "streak_days"), ==, 5);
  g_assert_cmpint (member (settings, "accuracy_drop"), ==, 20);
  g_assert_cmpint (member (settings, "accuracy_lessons"), ==, 3);
  g_assert_cmpint (member (settings, "silent_lessons"), ==, 3);
  g_assert_nonnull (strstr (json_object_get_string_member (settings, "template"), "{name}"));
  g_clear_pointer (&insights, json_object_unref);

  assert_settings_refused (c.teacher, "absent_lessons", 0);
  assert_settings_refused (c.teacher, "absent_lessons", 11);
  assert_settings_refused (c.teacher, "streak_days", 1);
  assert_settings_refused (c.teacher, "streak_days", 61);
  assert_settings_refused (c.teacher, "accuracy_drop", 4);
  assert_settings_refused (c.teacher, "accuracy_drop", 101);
  assert_settings_refused (c.teacher, "accuracy_lessons", 1);
  assert_settings_refused (c.teacher, "silent_lessons", 11);

  json_object_set_string_member (body, "template", "Come back soon!");
  reply = cohort_test_client_request (c.teacher, COHORT_REQ_INSIGHTS_SETTINGS_SET, NULL, body);
  cohort_test_client_assert_error (reply, "invalid", "template");
  g_clear_pointer (&reply, cohort_message_unref);
  json_object_set_string_member (body, "template", "x");
  json_object_set_string_member (body, "absent_lessons", "two");
  reply = cohort_test_client_request (c.teacher, COHORT_REQ_INSIGHTS_SETTINGS_SET, NULL, body);
  cohort_test_client_assert_error (reply, "invalid", "absent_lessons");
  g_clear_pointer (&reply, cohort_message_unref);
  g_clear_pointer (&body, json_object_unref);

  body = json_object_new ();
  json_object_set_int_member (body, "silent_lessons", 4);
  json_object_set_string_member (body, "template", "{name}, we miss you!");
  reply = cohort_test_client_request_ok (c.teacher, COHORT_REQ_INSIGHTS_SETTINGS_SET, body);
  settings = json_object_get_object_member (cohort_message_get_body (reply), "settings");
  g_assert_cmpint (member (settings, "silent_lessons"), ==, 4);
  g_assert_cmpint (member (settings, "absent_lessons"), ==, 2);
  g_clear_pointer (&reply, cohort_message_unref);

  /* Stored: after a restart it is still there. */
  g_clear_pointer (&c.teacher, cohort_test_client_free);
  for (guint i = 0; i < N_STUDENTS; i++)
    g_clear_pointer (&c.students[i], cohort_test_client_free);
  cohort_test_server_restart (c.server);
  c.teacher = cohort_test_client_new (cohort_test_server_get_url (c.server));
  joined = cohort_test_client_create_class (c.teacher, "Other", "Ms Li");
  insights = get_insights (c.teacher);
  settings = json_object_get_object_member (insights, "settings");
  /* Another class has its own (the defaults). */
  g_assert_cmpint (member (settings, "silent_lessons"), ==, 3);
  g_clear_pointer (&insights, json_object_unref);
  assert_db (&c, "SELECT silent_lessons || template FROM insights_settings", "4{name}, we miss you!");

  class_close (&c);
}

/* The hand-made history's figures, each computed by hand above. */
static void
test_figures (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) insights = NULL;
  g_autofree char *today = day_string (0);
  JsonObject *row;
  JsonArray *trend;

  class_open (&c);
  write_history (&c);
  insights = get_insights (c.teacher);

  g_assert_cmpint (member (insights, "lessons"), ==, N_LESSONS);
  g_assert_cmpint (member (insights, "ended_lessons"), ==, N_LESSONS);
  g_assert_false (json_object_get_boolean_member (insights, "live"));

  row = row_of (insights, c.ids[ANN], NULL);
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "Ann");
  g_assert_cmpint (member (row, "lessons_attended"), ==, 4);
  g_assert_cmpint (member (row, "present_ms"), ==, 4 * HOUR_MS);
  g_assert_cmpint (member (row, "messages"), ==, 4);
  g_assert_cmpint (member (row, "questions"), ==, 1);
  g_assert_cmpint (member (row, "hands"), ==, 1);
  g_assert_cmpint (member (row, "reactions"), ==, 1);
  g_assert_cmpint (member (row, "stage_ms"), ==, 10 * 60000);
  g_assert_cmpint (member (row, "helpful"), ==, 0);
  g_assert_cmpint (member (row, "quiz_answered"), ==, 8);
  g_assert_cmpint (member (row, "quiz_correct"), ==, 8);
  g_assert_cmpint (member (row, "accuracy"), ==, 100);
  trend = json_object_get_array_member (row, "trend");
  g_assert_cmpuint (json_array_get_length (trend), ==, 4);
  g_assert_cmpint (json_array_get_int_element (trend, 0), ==, 100);
  g_assert_cmpint (json_array_get_int_element (trend, 3), ==, 100);
  g_assert_cmpint (member (row, "checkins"), ==, 2);
  g_assert_cmpint (member (row, "streak"), ==, 2);
  g_assert_cmpint (member (row, "ai_questions"), ==, 3);
  g_assert_cmpint (member (row, "last_nudge_at"), ==, 0);
  assert_risks (row, "");

  row = row_of (insights, c.ids[BOB], NULL);
  g_assert_cmpint (member (row, "lessons_attended"), ==, 2);
  g_assert_cmpint (member (row, "present_ms"), ==, 2 * 30 * 60000);
  g_assert_cmpint (member (row, "accuracy"), ==, -1);
  g_assert_cmpint (member (row, "ai_questions"), ==, 0);

  row = row_of (insights, c.ids[DI], NULL);
  g_assert_cmpint (member (row, "quiz_answered"), ==, 12);
  g_assert_cmpint (member (row, "quiz_correct"), ==, 9);
  g_assert_cmpint (member (row, "accuracy"), ==, 75);
  trend = json_object_get_array_member (row, "trend");
  g_assert_cmpuint (json_array_get_length (trend), ==, 3);
  g_assert_cmpint (json_array_get_int_element (trend, 0), ==, 100);
  g_assert_cmpint (json_array_get_int_element (trend, 1), ==, 75);
  g_assert_cmpint (json_array_get_int_element (trend, 2), ==, 50);

  row = row_of (insights, c.ids[ED], NULL);
  g_assert_cmpint (member (row, "checkins"), ==, 7);
  g_assert_cmpint (member (row, "best_streak"), ==, 7);
  g_assert_cmpint (member (row, "streak"), ==, 0);
  (void) today;

  /* The ended lessons were folded once into insights_cells: read back,
   * and folded again from scratch, the figures are the same. */
  assert_db (&c, "SELECT count (*) FROM insights_folded", "4");
  {
    g_autofree char *first = students_json (insights);
    g_autoptr(JsonObject) cached = get_insights (c.teacher);
    g_autofree char *second = students_json (cached);
    g_autoptr(JsonObject) refolded = NULL;
    g_autofree char *third = NULL;

    g_assert_cmpstr (first, ==, second);
    sql (&c, "DELETE FROM insights_cells; DELETE FROM insights_folded");
    refolded = get_insights (c.teacher);
    third = students_json (refolded);
    g_assert_cmpstr (first, ==, third);
  }

  class_close (&c);
}

/* Each rule flags its student, with the figures for its chip; the
 * at-risk come first; a threshold changed changes the verdict. */
static void
test_rules (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) insights = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *row;
  guint index;

  class_open (&c);
  write_history (&c);
  insights = get_insights (c.teacher);

  row = row_of (insights, c.ids[BOB], NULL);
  assert_risks (row, COHORT_INSIGHTS_RISK_STR_ABSENT);
  g_assert_cmpint (member (json_object_get_object_member (row, "why"), "absent_lessons"), ==, 2);

  row = row_of (insights, c.ids[CY], NULL);
  assert_risks (row, COHORT_INSIGHTS_RISK_STR_SILENT);
  g_assert_cmpint (member (json_object_get_object_member (row, "why"), "silent_lessons"), ==, 3);

  row = row_of (insights, c.ids[DI], NULL);
  assert_risks (row, COHORT_INSIGHTS_RISK_STR_ACCURACY_DROP);
  g_assert_cmpint (member (json_object_get_object_member (row, "why"), "accuracy_from"), ==, 100);
  g_assert_cmpint (member (json_object_get_object_member (row, "why"), "accuracy_to"), ==, 50);

  row = row_of (insights, c.ids[ED], NULL);
  assert_risks (row, COHORT_INSIGHTS_RISK_STR_STREAK_BROKEN);
  g_assert_cmpint (member (json_object_get_object_member (row, "why"), "streak_run"), ==, 7);

  /* Ann, the only one not at risk, is last. */
  row_of (insights, c.ids[ANN], &index);
  g_assert_cmpuint (index, ==, N_STUDENTS - 1);
  g_clear_pointer (&insights, json_object_unref);

  /* Thresholds are the teacher's: a run of 8 days and a 60-point drop. */
  json_object_set_int_member (body, "streak_days", 8);
  json_object_set_int_member (body, "accuracy_drop", 60);
  reply = cohort_test_client_request_ok (c.teacher, COHORT_REQ_INSIGHTS_SETTINGS_SET, body);
  insights = get_insights (c.teacher);
  assert_risks (row_of (insights, c.ids[ED], NULL), "");
  assert_risks (row_of (insights, c.ids[DI], NULL), "");
  assert_risks (row_of (insights, c.ids[BOB], NULL), COHORT_INSIGHTS_RISK_STR_ABSENT);

  class_close (&c);
}

static gboolean
has_private_from (JsonArray  *messages,
                  gint64      author_id,
                  const char *text)
{
  for (guint i = 0; i < json_array_get_length (messages); i++)
    {
      JsonObject *m = json_array_get_object_element (messages, i);

      if (json_object_get_int_member (m, "author_id") == author_id &&
          g_str_equal (json_object_get_string_member (m, "channel"), COHORT_CHAT_CHANNEL_PRIVATE) &&
          g_str_equal (json_object_get_string_member (m, "text"), text))
        return TRUE;
    }
  return FALSE;
}

/* A nudge reaches the student as the teacher's private message, nobody
 * else; it is logged; the row shows it, and that the student came back. */
static void
test_nudge (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) set = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(JsonObject) insights = NULL;
  g_autoptr(GPtrArray) others = NULL;
  JsonObject *message;
  JsonObject *row;
  gint64 at;

  class_open (&c);
  write_history (&c);

  json_object_set_string_member (set, "template", "Hi {name}, see you on Monday?");
  reply = cohort_test_client_request_ok (c.teacher, COHORT_REQ_INSIGHTS_SETTINGS_SET, set);
  g_clear_pointer (&reply, cohort_message_unref);

  /* Not a student of the class. */
  json_object_set_int_member (body, "participant_id", c.teacher_id);
  reply = cohort_test_client_request (c.teacher, COHORT_REQ_INSIGHTS_NUDGE, NULL, body);
  cohort_test_client_assert_error (reply, "not_found", "participant_id");
  g_clear_pointer (&reply, cohort_message_unref);
  json_object_set_int_member (body, "participant_id", 999999);
  reply = cohort_test_client_request (c.teacher, COHORT_REQ_INSIGHTS_NUDGE, NULL, body);
  cohort_test_client_assert_error (reply, "not_found", "participant_id");
  g_clear_pointer (&reply, cohort_message_unref);

  json_object_set_int_member (body, "participant_id", c.ids[BOB]);
  reply = cohort_test_client_request_ok (c.teacher, COHORT_REQ_INSIGHTS_NUDGE, body);
  at = member (cohort_message_get_body (reply), "at");
  g_assert_cmpint (at, >, 0);
  g_clear_pointer (&reply, cohort_message_unref);

  event = cohort_test_client_next_event (c.students[BOB], COHORT_EV_CHAT_MESSAGE);
  g_assert_nonnull (event);
  message = json_object_get_object_member (cohort_message_get_body (event), "message");
  g_assert_cmpstr (json_object_get_string_member (message, "channel"), ==, COHORT_CHAT_CHANNEL_PRIVATE);
  g_assert_cmpint (member (message, "author_id"), ==, c.teacher_id);
  g_assert_cmpint (member (message, "to"), ==, c.ids[BOB]);
  g_assert_cmpstr (json_object_get_string_member (message, "text"), ==, "Hi Bob, see you on Monday?");

  /* Nobody else is sent it. */
  others = cohort_test_client_drain (c.students[ANN], 300);
  for (guint i = 0; i < others->len; i++)
    g_assert_cmpstr (cohort_message_get_name (g_ptr_array_index (others, i)), !=, COHORT_EV_CHAT_MESSAGE);

  /* Logged. */
  assert_db (&c, "SELECT count (*) FROM insights_nudges", "1");

  insights = get_insights (c.teacher);
  row = row_of (insights, c.ids[BOB], NULL);
  g_assert_cmpint (member (row, "last_nudge_at"), ==, at);
  g_assert_false (json_object_get_boolean_member (row, "came_back"));
  g_clear_pointer (&insights, json_object_unref);

  /* A student away between lessons reads it when they next come. */
  json_object_set_int_member (body, "participant_id", c.ids[CY]);
  g_clear_pointer (&c.students[CY], cohort_test_client_free);
  reply = cohort_test_client_request_ok (c.teacher, COHORT_REQ_INSIGHTS_NUDGE, body);
  g_clear_pointer (&reply, cohort_message_unref);
  {
    g_autoptr(JsonObject) resume = json_object_new ();

    /* Cy comes back with their token: the same participant. */
    json_object_set_int_member (resume, "protocol", COHORT_PROTOCOL_VERSION);
    json_object_set_string_member (resume, "token", c.tokens[CY]);
    json_object_set_int_member (resume, "last_seq", 0);
    c.students[CY] = cohort_test_client_new (cohort_test_server_get_url (c.server));
    reply = cohort_test_client_request_ok (c.students[CY], COHORT_REQ_RESUME, resume);
    g_clear_pointer (&reply, cohort_message_unref);
  }
  reply = cohort_test_client_request_ok (c.students[CY], COHORT_REQ_CHAT_HISTORY, NULL);
  g_assert_true (has_private_from (json_object_get_array_member (cohort_message_get_body (reply), "messages"),
                                   c.teacher_id, "Hi Cy, see you on Monday?"));
  g_clear_pointer (&reply, cohort_message_unref);

  /* Bob checks in: he came back after the nudge. */
  {
    g_autoptr(JsonObject) check = json_object_new ();

    json_object_set_string_member (check, "note", "back");
    json_object_set_string_member (check, "tz", "UTC");
    reply = cohort_test_client_request_ok (c.students[BOB], COHORT_REQ_GROUPS_CHECK_IN, check);
    g_clear_pointer (&reply, cohort_message_unref);
  }
  insights = get_insights (c.teacher);
  row = row_of (insights, c.ids[BOB], NULL);
  g_assert_true (json_object_get_boolean_member (row, "came_back"));
  g_assert_false (json_object_get_boolean_member (row_of (insights, c.ids[ANN], NULL), "came_back"));

  class_close (&c);
}

/* During a live lesson the teacher who has the page open hears
 * insights.changed after activity; the students never do. */
static void
test_live (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) insights = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(CohortMessage) event = NULL;
  g_autoptr(GPtrArray) student_frames = NULL;
  JsonObject *row;

  class_open (&c);
  reply = cohort_test_client_request_ok (c.teacher, COHORT_REQ_LESSON_START, NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  insights = get_insights (c.teacher);
  g_assert_true (json_object_get_boolean_member (insights, "live"));
  g_clear_pointer (&insights, json_object_unref);

  json_object_set_string_member (body, "text", "I have a question");
  reply = cohort_test_client_request_ok (c.students[ANN], COHORT_REQ_CHAT_SEND, body);
  g_clear_pointer (&reply, cohort_message_unref);

  cohort_test_client_set_timeout (c.teacher, 10000);
  event = cohort_test_client_next_event (c.teacher, COHORT_EV_INSIGHTS_CHANGED);
  g_assert_nonnull (event);
  g_assert_cmpint (member (cohort_message_get_body (event), "at"), >, 0);

  insights = get_insights (c.teacher);
  row = row_of (insights, c.ids[ANN], NULL);
  g_assert_cmpint (member (row, "messages"), ==, 1);
  g_assert_cmpint (member (row, "lessons_attended"), ==, 1);
  g_assert_cmpint (member (row, "present_ms"), >, 0);

  student_frames = cohort_test_client_drain (c.students[BOB], 300);
  for (guint i = 0; i < student_frames->len; i++)
    g_assert_cmpstr (cohort_message_get_name (g_ptr_array_index (student_frames, i)), !=,
                     COHORT_EV_INSIGHTS_CHANGED);

  class_close (&c);
}

static JsonObject *
get_insights_since (CohortTestClient *client,
                    gint64            since)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  json_object_set_int_member (body, "since", since);
  reply = cohort_test_client_request_ok (client, COHORT_REQ_INSIGHTS_GET, body);
  return json_object_ref (cohort_message_get_body (reply));
}

/* Waits until @sql_text reads @expected: what the server does on its own
 * (a fold when idle, a participant going offline), in another process. */
static void
wait_db (Class      *c,
         const char *sql_text,
         const char *expected)
{
  g_autofree char *value = NULL;
  gint64 deadline = g_get_monotonic_time () +
                    cohort_test_scaled_ms (COHORT_TEST_TIMEOUT_MS) * G_GINT64_CONSTANT (1000);

  do
    {
      g_clear_pointer (&value, g_free);
      value = cohort_test_db_query_text (c->db, sql_text);
      if (g_strcmp0 (value, expected) == 0)
        break;
      g_usleep (20 * 1000);
    }
  while (g_get_monotonic_time () < deadline);
  g_assert_cmpstr (value, ==, expected);
}

/* Closes @who's connection and waits until the server has them offline. */
static void
leave (Class *c,
       guint  who)
{
  g_autofree char *query = g_strdup_printf ("SELECT online FROM participants WHERE id = %" G_GINT64_FORMAT,
                                            c->ids[who]);

  g_clear_pointer (&c->students[who], cohort_test_client_free);
  wait_db (c, query, "0");
}

/* A live refresh asked "since" the reply the page holds carries only the
 * rows that changed, and the order of all; since anything else, the
 * whole table. */
static void
test_delta (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) full = NULL;
  g_autoptr(JsonObject) delta = NULL;
  g_autoptr(JsonObject) quiet = NULL;
  g_autoptr(JsonObject) stale = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  JsonArray *order;

  class_open (&c);
  write_history (&c);
  /* Only Bob stays: a present student's live minutes move on their own. */
  for (guint i = 0; i < N_STUDENTS; i++)
    if (i != BOB)
      leave (&c, i);
  reply = cohort_test_client_request_ok (c.teacher, COHORT_REQ_LESSON_START, NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  full = get_insights (c.teacher);
  g_assert_false (json_object_has_member (full, "delta"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (full, "students")), ==, N_STUDENTS);

  json_object_set_string_member (body, "text", "I have a question");
  reply = cohort_test_client_request_ok (c.students[BOB], COHORT_REQ_CHAT_SEND, body);
  g_clear_pointer (&reply, cohort_message_unref);
  leave (&c, BOB);

  delta = get_insights_since (c.teacher, member (full, "at"));
  g_assert_true (json_object_get_boolean_member (delta, "delta"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (delta, "students")), ==, 1);
  g_assert_cmpint (member (row_of (delta, c.ids[BOB], NULL), "messages"), ==,
                   member (row_of (full, c.ids[BOB], NULL), "messages") + 1);
  order = json_object_get_array_member (delta, "order");
  g_assert_cmpuint (json_array_get_length (order), ==, N_STUDENTS);
  for (guint i = 0; i < N_STUDENTS; i++)
    g_assert_cmpint (json_array_get_int_element (order, i), ==,
                     member (json_array_get_object_element (json_object_get_array_member (full, "students"), i),
                             "participant_id"));

  /* Nothing changed since: an empty delta. */
  quiet = get_insights_since (c.teacher, member (delta, "at"));
  g_assert_true (json_object_get_boolean_member (quiet, "delta"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (quiet, "students")), ==, 0);

  /* Since a reply the server no longer holds: the whole table. */
  stale = get_insights_since (c.teacher, member (full, "at"));
  g_assert_false (json_object_has_member (stale, "delta"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (stale, "students")), ==, N_STUDENTS);

  /* "since" is a time: anything else is refused, the connection kept. */
  {
    const char * const bad[] = { "{\"since\": -1}", "{\"since\": \"yesterday\"}", "{\"since\": 1.5}" };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);
        g_autoptr(CohortMessage) refused = cohort_test_client_request (c.teacher, COHORT_REQ_INSIGHTS_GET, NULL,
                                                                       json_node_get_object (node));

        g_assert_nonnull (refused);
        g_assert_cmpint (cohort_message_get_error_code (refused), ==, COHORT_ERROR_INVALID);
      }
    g_clear_pointer (&stale, json_object_unref);
    stale = get_insights (c.teacher);
  }

  class_close (&c);
}

/* A lesson's figures are folded when it ends, before anyone asks: the
 * first insights.get after it folds nothing. */
static void
test_fold_at_end (void)
{
  Class c = { 0 };
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) body = json_object_new ();

  class_open (&c);
  reply = cohort_test_client_request_ok (c.teacher, COHORT_REQ_LESSON_START, NULL);
  g_clear_pointer (&reply, cohort_message_unref);
  json_object_set_string_member (body, "text", "Hello");
  reply = cohort_test_client_request_ok (c.students[ANN], COHORT_REQ_CHAT_SEND, body);
  g_clear_pointer (&reply, cohort_message_unref);
  reply = cohort_test_client_request_ok (c.teacher, COHORT_REQ_LESSON_END, NULL);
  g_clear_pointer (&reply, cohort_message_unref);

  /* The fold runs when the server is idle: wait for it. */
  wait_db (&c, "SELECT count (*) FROM insights_folded", "1");
  assert_db (&c, "SELECT messages FROM insights_cells WHERE participant_id = "
             "(SELECT id FROM participants WHERE name = 'Ann')", "1");

  class_close (&c);
}

/* What a page holds after a full reply and the deltas since: @rows
 * (participant id → row JSON text) in @order (ids). */
static void
page_apply (GHashTable *rows,
            GArray     *order,
            JsonObject *reply)
{
  JsonArray *students = json_object_get_array_member (reply, "students");
  gboolean delta = json_object_has_member (reply, "delta");

  g_array_set_size (order, 0);
  if (!delta)
    g_hash_table_remove_all (rows);
  for (guint i = 0; i < json_array_get_length (students); i++)
    {
      JsonNode *node = json_array_get_element (students, i);
      gint64 id = member (json_node_get_object (node), "participant_id");

      g_hash_table_insert (rows, g_memdup2 (&id, sizeof id), json_to_string (node, FALSE));
      if (!delta)
        g_array_append_val (order, id);
    }
  if (delta)
    {
      JsonArray *ids = json_object_get_array_member (reply, "order");

      for (guint i = 0; i < json_array_get_length (ids); i++)
        {
          gint64 id = json_array_get_int_element (ids, i);

          g_array_append_val (order, id);
        }
    }
}

static char *
page_text (GHashTable *rows,
           GArray     *order)
{
  GString *out = g_string_new ("[");

  for (guint i = 0; i < order->len; i++)
    {
      const char *row = g_hash_table_lookup (rows, &g_array_index (order, gint64, i));

      g_assert_nonnull (row);
      g_string_append_printf (out, i > 0 ? ",%s" : "%s", row);
    }
  g_string_append_c (out, ']');
  return g_string_free (out, FALSE);
}

static void
refresh (Class      *c,
         GHashTable *rows,
         GArray     *order,
         gint64     *at)
{
  g_autoptr(JsonObject) reply = get_insights_since (c->teacher, *at);

  page_apply (rows, order, reply);
  *at = member (reply, "at");
}

static void
send_ok (Class      *c,
         guint       who,
         const char *type,
         const char *body_json)
{
  g_autoptr(JsonNode) node = json_from_string (body_json, NULL);
  g_autoptr(CohortMessage) reply = cohort_test_client_request_ok (c->students[who], type,
                                                                  json_node_get_object (node));
}

/* The figures as the page got them over a live lesson played through
 * real requests (a full reply, then deltas; the lesson folded when it
 * ended, the streaks and the folded cells kept) are exactly those of a
 * fold from scratch once everything kept is wiped. */
static void
test_recompute (void)
{
  Class c = { 0 };
  g_autoptr(GHashTable) rows = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonObject) fresh = NULL;
  g_autoptr(CohortMessage) msg = NULL;
  g_autofree char *incremental = NULL;
  g_autofree char *recomputed = NULL;
  gint64 at = 0;

  class_open (&c);
  write_history (&c);
  refresh (&c, rows, order, &at);

  msg = cohort_test_client_request_ok (c.teacher, COHORT_REQ_LESSON_START, NULL);
  g_clear_pointer (&msg, cohort_message_unref);
  refresh (&c, rows, order, &at);
  send_ok (&c, CY, COHORT_REQ_CHAT_SEND, "{\"text\": \"Why is the sky blue?\"}");
  refresh (&c, rows, order, &at);
  send_ok (&c, BOB, COHORT_REQ_HAND_RAISE, "{}");
  send_ok (&c, DI, COHORT_REQ_CHAT_REACT, "{\"reaction\": \"clap\"}");
  refresh (&c, rows, order, &at);
  send_ok (&c, CY, COHORT_REQ_GROUPS_CHECK_IN, "{\"note\": \"Read it\", \"tz\": \"Europe/London\"}");
  send_ok (&c, ED, COHORT_REQ_CHAT_SEND, "{\"text\": \"Rayleigh scattering\"}");
  refresh (&c, rows, order, &at);
  leave (&c, ANN);
  refresh (&c, rows, order, &at);

  msg = cohort_test_client_request_ok (c.teacher, COHORT_REQ_LESSON_END, NULL);
  g_clear_pointer (&msg, cohort_message_unref);
  /* Folded when the server is idle after the end: wait for it. */
  wait_db (&c, "SELECT count (*) FROM insights_folded", "5");
  refresh (&c, rows, order, &at);
  incremental = page_text (rows, order);

  /* Wipe what is kept: everything is folded again from the records. */
  sql (&c, "DELETE FROM insights_cells; DELETE FROM insights_folded; "
       "DELETE FROM insights_streaks; DELETE FROM insights_streaks_folded");
  fresh = get_insights (c.teacher);
  recomputed = students_json (fresh);
  g_assert_cmpstr (incremental, ==, recomputed);
  /* The live lesson's requests are in it. */
  g_assert_cmpint (member (row_of (fresh, c.ids[BOB], NULL), "hands"), ==, 1);
  g_assert_cmpint (member (row_of (fresh, c.ids[DI], NULL), "reactions"), >=, 1);
  g_assert_cmpint (member (row_of (fresh, c.ids[CY], NULL), "checkins"), ==, 1);

  class_close (&c);
}

/* Everything folded again from scratch (no cells, no streaks kept):
 * the rows must be the same as @insights's. */
static void
assert_refolds_to (Class      *c,
                   JsonObject *insights)
{
  g_autofree char *kept = students_json (insights);
  g_autoptr(JsonObject) refolded = NULL;
  g_autofree char *fresh = NULL;

  sql (c, "DELETE FROM insights_cells; DELETE FROM insights_folded; "
       "DELETE FROM insights_streaks; DELETE FROM insights_streaks_folded");
  refolded = get_insights (c->teacher);
  fresh = students_json (refolded);
  g_assert_cmpstr (kept, ==, fresh);
}

/* The streaks are kept with the cells: a later request folds only the
 * check-ins made since, one written late with an older time folds them
 * all again, and either way the rows are those of a fold from scratch. */
static void
test_streak_cache (void)
{
  Class c = { 0 };
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  g_autoptr(JsonObject) third = NULL;
  g_autoptr(JsonObject) fourth = NULL;

  class_open (&c);
  write_history (&c);
  first = get_insights (c.teacher);
  /* Ann and Ed checked in; their streaks are kept, up to the last check-in. */
  assert_db (&c, "SELECT group_concat (n_checkins) FROM (SELECT n_checkins FROM insights_streaks "
             "ORDER BY participant_id)", "2,7");
  assert_db (&c, "SELECT count FROM insights_streaks_folded", "9");
  g_assert_cmpint (member (row_of (first, c.ids[CY], NULL), "checkins"), ==, 0);

  /* A new check-in: only it is folded, into Cy's kept streak. */
  checkin (&c, CY, 0);
  second = get_insights (c.teacher);
  g_assert_cmpint (member (row_of (second, c.ids[CY], NULL), "checkins"), ==, 1);
  g_assert_cmpint (member (row_of (second, c.ids[CY], NULL), "streak"), ==, 1);
  assert_db (&c, "SELECT count FROM insights_streaks_folded", "10");
  assert_db (&c, "SELECT n_checkins FROM insights_streaks WHERE participant_id = (SELECT id FROM "
             "participants WHERE name = 'Cy')", "1");
  assert_refolds_to (&c, second);

  /* Ann's check-in of 5 days ago, written late (older than what was
   * folded): everything is folded again. Her run today is still 2. */
  checkin (&c, ANN, 5);
  third = get_insights (c.teacher);
  g_assert_cmpint (member (row_of (third, c.ids[ANN], NULL), "checkins"), ==, 3);
  g_assert_cmpint (member (row_of (third, c.ids[ANN], NULL), "streak"), ==, 2);
  assert_db (&c, "SELECT count FROM insights_streaks_folded", "11");
  assert_refolds_to (&c, third);

  /* Nothing new: the kept streaks as they were. */
  fourth = get_insights (c.teacher);
  {
    g_autofree char *a = students_json (third);
    g_autofree char *b = students_json (fourth);

    g_assert_cmpstr (a, ==, b);
  }

  class_close (&c);
}

/* The reply is written by hand (not through json-glib): a name with
 * quotes, a backslash and non-ASCII text comes back as it was given, and
 * every row has each figure with its JSON type, "why" only when at risk. */
static void
test_reply_text (void)
{
  static const char * const ints[] = {
    "participant_id", "lessons_attended", "present_ms", "messages", "questions", "helpful",
    "hands", "stage_ms", "reactions", "quiz_answered", "quiz_correct", "accuracy", "checkins",
    "streak", "best_streak", "ai_questions", "last_nudge_at",
  };
  const char *odd = "Zoë \"Z\" O\\Neil 李雷 🙂";
  Class c = { 0 };
  CohortTestClient *zoe;
  g_autoptr(JsonObject) joined = NULL;
  g_autoptr(JsonObject) insights = NULL;
  JsonArray *students;
  JsonObject *settings;
  gint64 zoe_id;

  class_open (&c);
  write_history (&c);
  zoe = cohort_test_client_new (cohort_test_server_get_url (c.server));
  joined = cohort_test_client_join (zoe, c.code, odd, NULL);
  zoe_id = json_object_get_int_member (json_object_get_object_member (joined, "you"), "id");

  insights = get_insights (c.teacher);
  g_assert_cmpint (member (insights, "lessons"), ==, N_LESSONS);
  g_assert_cmpint (member (insights, "ended_lessons"), ==, N_LESSONS);
  g_assert_false (json_object_get_boolean_member (insights, "live"));
  g_assert_cmpint (member (insights, "at"), >, 0);
  settings = json_object_get_object_member (insights, "settings");
  g_assert_nonnull (strstr (json_object_get_string_member (settings, "template"), "{name}"));
  g_assert_cmpstr (json_object_get_string_member (row_of (insights, zoe_id, NULL), "name"), ==, odd);

  students = json_object_get_array_member (insights, "students");
  g_assert_cmpuint (json_array_get_length (students), ==, N_STUDENTS + 1);
  for (guint i = 0; i < json_array_get_length (students); i++)
    {
      JsonObject *row = json_array_get_object_element (students, i);
      JsonArray *risks = json_object_get_array_member (row, "risks");

      for (guint k = 0; k < G_N_ELEMENTS (ints); k++)
        g_assert_cmpint (json_node_get_value_type (json_object_get_member (row, ints[k])), ==, G_TYPE_INT64);
      g_assert_nonnull (json_object_get_string_member (row, "name"));
      g_assert_nonnull (json_object_get_array_member (row, "trend"));
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (row, "came_back")), ==,
                       G_TYPE_BOOLEAN);
      g_assert_nonnull (risks);
      g_assert_cmpint (json_object_has_member (row, "why"), ==, json_array_get_length (risks) > 0);
      if (json_array_get_length (risks) > 0)
        g_assert_cmpuint (json_object_get_size (json_object_get_object_member (row, "why")), >, 0);
    }
  /* Di's trend: 100, 75, 50 in order, oldest first. */
  {
    JsonArray *trend = json_object_get_array_member (row_of (insights, c.ids[DI], NULL), "trend");

    g_assert_cmpuint (json_array_get_length (trend), >=, 3);
    g_assert_cmpint (json_array_get_int_element (trend, json_array_get_length (trend) - 1), ==, 50);
  }

  cohort_test_client_free (zoe);
  class_close (&c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/insights/students-forbidden", test_students_forbidden);
  g_test_add_func ("/cohort/insights/settings", test_settings);
  g_test_add_func ("/cohort/insights/figures", test_figures);
  g_test_add_func ("/cohort/insights/rules", test_rules);
  g_test_add_func ("/cohort/insights/nudge", test_nudge);
  g_test_add_func ("/cohort/insights/live", test_live);
  g_test_add_func ("/cohort/insights/reply-text", test_reply_text);
  g_test_add_func ("/cohort/insights/streak-cache", test_streak_cache);
  g_test_add_func ("/cohort/insights/delta", test_delta);
  g_test_add_func ("/cohort/insights/fold-at-end", test_fold_at_end);
  g_test_add_func ("/cohort/insights/recompute", test_recompute);

  return g_test_run ();
}

/* cohort-bench-practice.c: adaptive practice for a bank of 5,000 questions
 * in 200 knowledge points, 1,000 students and 50,000 past answers
 * (bench/practice.sh)
 *
 * The history is written into the store while the server is down (the
 * answers folded through the real mastery model, as the server would);
 * then students and the teacher ask through a real cohort-server over
 * WebSocket, and the round trips are timed. Prints one JSON object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "cohort-bench-proc.h"
#include "cohort-bench-stats.h"
#include "cohort-mastery.h"
#include "cohort-practice-protocol.h"
#include "cohort-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"

#define DAY_MS ((gint64) 24 * 3600 * 1000)

static int n_questions = 5000;
static int n_points = 200;
static int n_students = 1000;
static int n_answers = 50000;
static int n_measured = 10;
static int n_requests = 20;
/* Students answering at the same moment, and how many times. */
static int n_burst = 20;
static int n_burst_rounds = 10;

static void
check (int         rc,
       sqlite3    *db,
       const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  check (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), db, sql);
  return stmt;
}

static void
run (sqlite3      *db,
     sqlite3_stmt *stmt)
{
  check (sqlite3_step (stmt), db, sqlite3_sql (stmt));
  sqlite3_reset (stmt);
}

static char *
student_token (int i)
{
  /* a well-formed key: COHORT_SECRET_CHARS of [A-Za-z0-9_-] */
  g_autofree char *raw = g_strdup_printf ("bench-practice-student-%d-%s", i,
                                          "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

  return g_strndup (raw, COHORT_SECRET_CHARS);
}

/* The bank, the students and their answers, folded as the server folds
 * them; the model's cache stored as the server would have left it. */
static void
generate (const char *path,
          gint64      class_id)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (14);
  g_autofree gint64 *question_ids = g_new0 (gint64, n_questions);
  g_autofree double *true_d = g_new0 (double, n_questions);
  g_autofree gint64 *student_ids = g_new0 (gint64, n_students);
  g_autofree double *ability = g_new0 (double, (gsize) n_students * n_points);
  g_autofree CohortMasterySkill *skills = g_new0 (CohortMasterySkill, (gsize) n_students * n_points);
  g_autofree CohortMasteryItem *items = g_new0 (CohortMasteryItem, n_questions);
  g_autofree gint64 *point_ids = g_new0 (gint64, n_points);
  gint64 now = g_get_real_time () / 1000;
  gint64 base = now - 30 * DAY_MS;
  sqlite3_stmt *question, *participant, *token, *log, *skill, *item, *point;
  sqlite3 *db;
  int per_student = MAX (n_answers / n_students, 1);

  check (sqlite3_open (path, &db), db, path);
  check (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), db, "BEGIN");

  point = prepare (db, "INSERT INTO practice_points (class_id, name, key, created_at) VALUES (?, ?, ?, ?)");
  for (int p = 0; p < n_points; p++)
    {
      g_autofree char *name = g_strdup_printf ("P%03d", p);
      g_autofree char *key = g_ascii_strdown (name, -1);

      sqlite3_bind_int64 (point, 1, class_id);
      sqlite3_bind_text (point, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (point, 3, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (point, 4, base);
      run (db, point);
      point_ids[p] = sqlite3_last_insert_rowid (db);
    }

  question = prepare (db, "INSERT INTO quiz_questions (class_id, position, data, created_at) VALUES (?, ?, ?, ?)");
  for (int q = 0; q < n_questions; q++)
    {
      /* Short texts: the teacher's welcome carries the whole bank, and
       * must stay under the 1 MiB frame (docs/architecture-practice.md). */
      g_autofree char *data = g_strdup_printf ("{\"type\":\"single\",\"prompt\":\"Q%d\","
                                               "\"choices\":[\"1\",\"2\",\"3\"],\"correct\":[%d],"
                                               "\"explanation\":\"R%d\",\"knowledge_points\":[\"P%03d\"]}",
                                               q, q % 3, q, q % n_points);

      sqlite3_bind_int64 (question, 1, class_id);
      sqlite3_bind_int64 (question, 2, q);
      sqlite3_bind_text (question, 3, data, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (question, 4, base);
      run (db, question);
      question_ids[q] = sqlite3_last_insert_rowid (db);
      true_d[q] = g_rand_double_range (rand, -2, 2);
    }

  participant = prepare (db, "INSERT INTO participants (class_id, name, role, created_at) "
                         "VALUES (?, ?, 'student', ?)");
  token = prepare (db, "INSERT INTO tokens (hash, participant_id, created_at) VALUES (?, ?, ?)");
  for (int s = 0; s < n_students; s++)
    {
      g_autofree char *name = g_strdup_printf ("Student %04d", s);
      g_autofree char *secret = student_token (s);
      g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);

      sqlite3_bind_int64 (participant, 1, class_id);
      sqlite3_bind_text (participant, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (participant, 3, base);
      run (db, participant);
      student_ids[s] = sqlite3_last_insert_rowid (db);
      sqlite3_bind_text (token, 1, hash, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (token, 2, student_ids[s]);
      sqlite3_bind_int64 (token, 3, base);
      run (db, token);
      for (int p = 0; p < n_points; p++)
        ability[(gsize) s * n_points + p] = g_rand_double_range (rand, -2, 2.5);
    }

  /* The answers in time order: round a of every student, then a + 1. */
  log = prepare (db, "INSERT INTO practice_log (class_id, participant_id, question_id, point_ids, correct, "
                 "answer, at, source) VALUES (?, ?, ?, ?, ?, '0', ?, 0)");
  for (int a = 0; a < per_student; a++)
    for (int s = 0; s < n_students; s++)
      {
        /* each student works on a handful of points, ten answers each */
        int p = (s * 7 + (a / 10) * 13) % n_points;
        int q = p + n_points * g_rand_int_range (rand, 0, n_questions / n_points);
        double chance = 1.0 / (1.0 + exp (true_d[q] - ability[(gsize) s * n_points + p]));
        gboolean correct = g_rand_double (rand) < chance;
        gint64 at = base + (gint64) a * (29 * DAY_MS / per_student) + s;
        CohortMasterySkill *pointer = &skills[(gsize) s * n_points + p];
        g_autofree char *ids = g_strdup_printf ("%" G_GINT64_FORMAT, point_ids[p]);

        cohort_mastery_update (&pointer, 1, &items[q], correct, at);
        sqlite3_bind_int64 (log, 1, class_id);
        sqlite3_bind_int64 (log, 2, student_ids[s]);
        sqlite3_bind_int64 (log, 3, question_ids[q]);
        sqlite3_bind_text (log, 4, ids, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int (log, 5, correct);
        sqlite3_bind_int64 (log, 6, at);
        run (db, log);
      }

  skill = prepare (db, "INSERT INTO practice_skills (class_id, participant_id, point_id, theta, answered, "
                   "correct, last_at, interval_ms, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (int s = 0; s < n_students; s++)
    for (int p = 0; p < n_points; p++)
      {
        CohortMasterySkill *k = &skills[(gsize) s * n_points + p];

        if (k->answered == 0)
          continue;
        sqlite3_bind_int64 (skill, 1, class_id);
        sqlite3_bind_int64 (skill, 2, student_ids[s]);
        sqlite3_bind_int64 (skill, 3, point_ids[p]);
        sqlite3_bind_double (skill, 4, k->theta);
        sqlite3_bind_int (skill, 5, k->answered);
        sqlite3_bind_int (skill, 6, k->correct);
        sqlite3_bind_int64 (skill, 7, k->last_at);
        sqlite3_bind_int64 (skill, 8, k->interval_ms);
        sqlite3_bind_int64 (skill, 9, k->due_at);
        run (db, skill);
      }
  item = prepare (db, "INSERT INTO practice_items (class_id, question_id, difficulty, answered) VALUES (?, ?, ?, ?)");
  for (int q = 0; q < n_questions; q++)
    {
      if (items[q].answered == 0)
        continue;
      sqlite3_bind_int64 (item, 1, class_id);
      sqlite3_bind_int64 (item, 2, question_ids[q]);
      sqlite3_bind_double (item, 3, items[q].difficulty);
      sqlite3_bind_int (item, 4, items[q].answered);
      run (db, item);
    }

  check (sqlite3_exec (db, "INSERT OR REPLACE INTO practice_cursor (class_id, seq) "
                       "SELECT id, last_seq FROM classes; COMMIT; ANALYZE", NULL, NULL, NULL), db, "COMMIT");
  for (sqlite3_stmt *s = sqlite3_next_stmt (db, NULL); s != NULL; s = sqlite3_next_stmt (db, NULL))
    sqlite3_finalize (s);
  sqlite3_close (db);
}

static CohortTestClient *
resume (CohortTestServer *server,
        const char       *token)
{
  CohortTestClient *client = cohort_test_client_new (cohort_test_server_get_url (server));
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  cohort_test_client_set_timeout (client, 60000);
  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "token", token);
  json_object_set_int_member (body, "last_seq", G_MAXINT32);
  reply = cohort_test_client_request_ok (client, COHORT_REQ_RESUME, body);
  return client;
}

static double
timed (CohortTestClient  *client,
       const char        *type,
       JsonObject        *body,
       JsonObject       **out_reply)
{
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(CohortMessage) reply = cohort_test_client_request_ok (client, type, body);
  double ms = (g_get_monotonic_time () - t0) / 1000.0;

  if (out_reply != NULL)
    *out_reply = json_object_ref (cohort_message_get_body (reply));
  return ms;
}

/* A class answering together: each of @students answers question @round
 * of its set at once (sent without waiting), and each answer's round
 * trip, from its send to its reply decoded, goes into @times. */
static void
answer_burst (CohortTestClient **students,
              JsonArray        **sets,
              int                round,
              GArray            *times)
{
  g_autofree gint64 *sent = g_new (gint64, n_burst);
  g_auto(GStrv) ids = g_new0 (char *, n_burst + 1);

  for (int s = 0; s < n_burst; s++)
    {
      JsonObject *q = json_array_get_object_element (sets[s], round % json_array_get_length (sets[s]));
      g_autoptr(JsonObject) body = json_object_new ();
      g_autoptr(CohortMessage) request = NULL;
      g_autofree char *json = NULL;

      json_object_set_int_member (body, "question_id", json_object_get_int_member (q, "question_id"));
      json_object_set_int_member (body, "answer", round % 3);
      ids[s] = cohort_protocol_new_request_id ();
      request = cohort_message_new_request (COHORT_REQ_PRACTICE_ANSWER, ids[s], body);
      json = cohort_message_to_json (request, NULL);
      sent[s] = g_get_monotonic_time ();
      cohort_test_client_send_text (students[s], json);
    }
  for (int s = 0; s < n_burst; s++)
    {
      g_autoptr(CohortMessage) reply = cohort_test_client_wait_reply (students[s], ids[s]);
      double ms = (g_get_monotonic_time () - sent[s]) / 1000.0;

      if (reply == NULL || cohort_message_get_kind (reply) != COHORT_MESSAGE_OK)
        g_error ("A practice answer of the burst failed");
      g_array_append_val (times, ms);
    }
}

static void
add_quantiles (GString    *out,
               const char *name,
               GArray     *values)
{
  g_string_append_printf (out, "\"%s\":{\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f,\"n\":%u},", name,
                          cohort_bench_quantile (values, 0.5), cohort_bench_quantile (values, 0.99),
                          cohort_bench_quantile (values, 1.0), values->len);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CohortTestServer) server = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) next = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) answer = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) heatmap = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) burst = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) out = g_string_new ("{");
  g_autofree char *teacher_token = NULL;
  CohortTestClient *teacher;
  gint64 class_id;
  double generate_s, rss_mb;
  guint cells = 0;
  double cpu_sets = 0, cpu_heatmap = 0;
  guint sent_cells = 0;
  double reply_kb = 0;
  guint64 ticks;
  gint64 t0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--students") && i + 1 < argc)
        n_students = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--answers") && i + 1 < argc)
        n_answers = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--requests") && i + 1 < argc)
        n_requests = atoi (argv[++i]);
    }

  server = cohort_test_server_start (NULL);
  teacher = cohort_test_client_new (cohort_test_server_get_url (server));
  created = cohort_test_client_create_class (teacher, "Practice 1,000", "Ms Li");
  class_id = json_object_get_int_member (json_object_get_object_member (created, "class"), "id");
  teacher_token = g_strdup (json_object_get_string_member (created, "token"));
  cohort_test_client_free (teacher);
  cohort_test_server_stop (server);

  t0 = g_get_monotonic_time ();
  generate (cohort_test_server_get_db_path (server), class_id);
  generate_s = (g_get_monotonic_time () - t0) / 1e6;
  cohort_test_server_restart (server);

  /* Students: their first set (the class's bank loads into the cache on
   * the first request of all), then sets and answers. */
  for (int s = 0; s < n_measured; s++)
    {
      g_autofree char *token = student_token (s * (n_students / n_measured));
      CohortTestClient *student = resume (server, token);

      ticks = cohort_bench_proc_ticks (cohort_test_server_get_pid (server));
      for (int r = 0; r < n_requests; r++)
        {
          g_autoptr(JsonObject) set = NULL;
          JsonArray *questions;
          double ms = timed (student, COHORT_REQ_PRACTICE_NEXT, NULL, &set);

          g_array_append_val (s == 0 && r == 0 ? first : next, ms);
          questions = json_object_get_array_member (set, "questions");
          if (json_array_get_length (questions) == 0)
            g_error ("An empty practice set");
          {
            JsonObject *q = json_array_get_object_element (questions, 0);
            g_autoptr(JsonObject) body = json_object_new ();

            json_object_set_int_member (body, "question_id", json_object_get_int_member (q, "question_id"));
            json_object_set_int_member (body, "answer", r % 3);
            ms = timed (student, COHORT_REQ_PRACTICE_ANSWER, body, NULL);
            g_array_append_val (answer, ms);
          }
        }
      if (s > 0)
        cpu_sets += (cohort_bench_proc_ticks (cohort_test_server_get_pid (server)) - ticks);
      cohort_test_client_free (student);
    }

  /* A class answering at once: answers that arrive together share one
   * commit (the students are others than above, with sets of their own). */
  {
    g_autofree CohortTestClient **students = g_new0 (CohortTestClient *, n_burst);
    g_autofree JsonArray **sets = g_new0 (JsonArray *, n_burst);
    g_autoptr(GPtrArray) replies = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

    for (int s = 0; s < n_burst; s++)
      {
        g_autofree char *token = student_token (n_students - 1 - s);
        JsonObject *set = NULL;

        students[s] = resume (server, token);
        timed (students[s], COHORT_REQ_PRACTICE_NEXT, NULL, &set);
        g_ptr_array_add (replies, set);
        sets[s] = json_object_get_array_member (set, "questions");
        if (json_array_get_length (sets[s]) == 0)
          g_error ("An empty practice set");
      }
    for (int r = 0; r < n_burst_rounds; r++)
      answer_burst (students, sets, r, burst);
    for (int s = 0; s < n_burst; s++)
      cohort_test_client_free (students[s]);
  }

  teacher = resume (server, teacher_token);
  ticks = cohort_bench_proc_ticks (cohort_test_server_get_pid (server));
  for (int r = 0; r < n_requests; r++)
    {
      g_autoptr(JsonObject) reply = NULL;
      double ms = timed (teacher, COHORT_REQ_MASTERY_CLASS, NULL, &reply);
      JsonArray *students = json_object_get_array_member (reply, "students");

      g_array_append_val (heatmap, ms);
      cells = json_array_get_length (students) *
              json_array_get_length (json_object_get_array_member (reply, "points"));
      /* what crosses the wire: the cells sent, and the body's size */
      sent_cells = 0;
      for (guint s = 0; s < json_array_get_length (students); s++)
        {
          JsonObject *student = json_array_get_object_element (students, s);

          sent_cells += json_array_get_length (json_object_get_array_member (student, json_object_has_member (student, "cells") ? "cells" : "mastery"));
        }
      {
        g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), reply);
        g_autofree char *text = json_to_string (node, FALSE);

        reply_kb = strlen (text) / 1024.0;
      }
    }
  cpu_heatmap = cohort_bench_proc_ticks (cohort_test_server_get_pid (server)) - ticks;
  rss_mb = cohort_bench_proc_rss_mb (cohort_test_server_get_pid (server));
  cohort_test_client_free (teacher);

  g_string_append_printf (out, "\"questions\":%d,\"points\":%d,\"students\":%d,\"answers\":%d,"
                          "\"heatmap_cells\":%u,\"heatmap_sent_cells\":%u,\"heatmap_reply_kb\":%.0f,\"generate_s\":%.1f,",
                          n_questions, n_points, n_students, n_answers, cells, sent_cells, reply_kb, generate_s);
  add_quantiles (out, "first_set_ms", first);
  add_quantiles (out, "next_set_ms", next);
  add_quantiles (out, "answer_update_ms", answer);
  add_quantiles (out, "answer_burst_ms", burst);
  add_quantiles (out, "heatmap_ms", heatmap);
  /* The server's own CPU per request: what a request costs when the
   * machine is too loaded for wall-clock times to say it. */
  g_string_append_printf (out, "\"server_cpu_ms_per_set_and_answer\":%.2f,\"server_cpu_ms_per_heatmap\":%.1f,",
                          cpu_sets * 1000.0 / sysconf (_SC_CLK_TCK) / ((n_measured - 1) * n_requests),
                          cpu_heatmap * 1000.0 / sysconf (_SC_CLK_TCK) / n_requests);
  g_string_append_printf (out, "\"server_rss_mb\":%.1f,\"load_avg_1m\":", rss_mb);
  cohort_bench_append_load_avg (out);
  g_string_append (out, "}");
  printf ("%s\n", out->str);
  return 0;
}

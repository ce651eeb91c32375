/* cohort-bench-insights.c: the teacher's Insights page for a class of
 * 1,000 students with 30 past lessons (bench/insights.sh)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Generates the history straight into the store of a stopped
 * cohort-server (presence, chat, hands, reactions, stage turns, quizzes,
 * helpful marks, check-ins and AI questions, with a few students drifting
 * away), then measures, each time in a fresh server process, how long
 * insights.get takes; then, with the chat benchmark's load running in
 * another class of the same server, how long the page's refresh takes
 * after each insights.changed of a live lesson. Prints one JSON object.
 */

#include "config.h"

#include <sqlite3.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cohort-bench-stats.h"
#include "cohort-identity-protocol.h"
#include "cohort-insights-protocol.h"
#include "cohort-lesson-protocol.h"
#include "cohort-chat-protocol.h"
#include "cohort-protocol.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"

#define DAY_MS  ((gint64) 24 * 3600 * 1000)
#define HOUR_MS ((gint64) 3600 * 1000)

static int n_students = 1000;
static int n_lessons = 30;
static int n_processes = 5;
static int n_requests = 20;
static int n_live = 20;

static void
check (int         rc,
       sqlite3    *db,
       const char *what)
{
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
    g_error ("%s: %s", what, sqlite3_errmsg (db));
}

static void
exec (sqlite3    *db,
      const char *sql)
{
  check (sqlite3_exec (db, sql, NULL, NULL, NULL), db, sql);
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

typedef struct
{
  sqlite3      *db;
  gint64        class_id;
  gint64        seq;
  sqlite3_stmt *event;
  GRand        *rand;
} Gen;

static void
event (Gen        *g,
       gint64      ts,
       const char *name,
       const char *body)
{
  sqlite3_bind_int64 (g->event, 1, g->class_id);
  sqlite3_bind_int64 (g->event, 2, ++g->seq);
  sqlite3_bind_int64 (g->event, 3, ts);
  sqlite3_bind_text (g->event, 4, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (g->event, 5, body, -1, SQLITE_TRANSIENT);
  run (g->db, g->event);
}

typedef struct
{
  gint64 id;
  double attendance;   /* chance to come to a lesson */
  double talk;         /* messages per lesson, on average */
  double skill;        /* chance of a right answer */
  int    drifts_at;    /* from this lesson on, the student slips (0: never) */
} Student;

/* The class's history, in one transaction on the stopped server's store. */
static void
generate (const char *path,
          gint64      class_id)
{
  g_autofree Student *students = g_new0 (Student, n_students);
  Gen g = { 0 };
  sqlite3_stmt *participant, *lesson, *run_row, *chat, *quiz_run, *answer, *helpful, *checkin, *ai;
  gint64 now = g_get_real_time () / 1000;
  gint64 base = now - (gint64) n_lessons * 2 * DAY_MS - DAY_MS;
  gint64 message_id;

  check (sqlite3_open (path, &g.db), g.db, path);
  g.class_id = class_id;
  g.rand = g_rand_new_with_seed (13);
  exec (g.db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; BEGIN");
  {
    sqlite3_stmt *s = prepare (g.db, "SELECT last_seq FROM classes WHERE id = ?");

    sqlite3_bind_int64 (s, 1, class_id);
    check (sqlite3_step (s), g.db, "last_seq");
    g.seq = sqlite3_column_int64 (s, 0);
    sqlite3_finalize (s);
  }
  exec (g.db, "DELETE FROM lessons; DELETE FROM lesson_runs");

  g.event = prepare (g.db, "INSERT INTO events (class_id, seq, ts, name, body) VALUES (?, ?, ?, ?, ?)");
  participant = prepare (g.db, "INSERT INTO participants (class_id, name, role, created_at) "
                         "VALUES (?, ?, 'student', ?)");
  lesson = prepare (g.db, "INSERT INTO lessons (class_id, number, started_at) VALUES (?, ?, ?)");
  run_row = prepare (g.db, "INSERT INTO lesson_runs (class_id, number, started_at, ended_at) VALUES (?, ?, ?, ?)");
  chat = prepare (g.db, "INSERT INTO chat_messages (class_id, author_id, channel, text, ts, question) "
                  "VALUES (?, ?, 'class', ?, ?, ?)");
  quiz_run = prepare (g.db, "INSERT INTO quiz_runs (class_id, question_id, question, sequence, seq_index, "
                      "time_limit_ms, limit_override, allow_change, launched_at, deadline, closed_at) "
                      "VALUES (?, 1, '{}', 'q', 0, 30000, 0, 0, ?, ?, ?)");
  answer = prepare (g.db, "INSERT INTO quiz_answers (run_id, participant_id, answer, answered_at, elapsed_ms, "
                    "grade, points) VALUES (?, ?, '\"b\"', ?, 4000, ?, ?)");
  helpful = prepare (g.db, "INSERT OR IGNORE INTO chat_helpful (message_id, by, at) VALUES (?, 1, ?)");
  checkin = prepare (g.db, "INSERT OR IGNORE INTO groups_checkins (class_id, participant_id, day, tz, note, at) "
                     "VALUES (?, ?, ?, 'Asia/Shanghai', 'Read chapter 3', ?)");
  ai = prepare (g.db, "INSERT INTO ai_usage (participant_id, request_id, class_id, asked_at) VALUES (?, ?, ?, ?)");

  for (int i = 0; i < n_students; i++)
    {
      g_autofree char *name = g_strdup_printf ("Student %04d", i + 1);
      Student *s = &students[i];

      sqlite3_bind_int64 (participant, 1, class_id);
      sqlite3_bind_text (participant, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (participant, 3, base - DAY_MS);
      run (g.db, participant);
      s->id = sqlite3_last_insert_rowid (g.db);
      s->attendance = g_rand_double_range (g.rand, 0.7, 1.0);
      s->talk = g_rand_double_range (g.rand, 0.0, 5.0);
      s->skill = g_rand_double_range (g.rand, 0.4, 0.95);
      /* One in twenty slips in the last lessons. */
      s->drifts_at = g_rand_int_range (g.rand, 0, 20) == 0 ? n_lessons - g_rand_int_range (g.rand, 1, 4) : 0;
    }

  for (int n = 1; n <= n_lessons; n++)
    {
      gint64 start = base + (gint64) (n - 1) * 2 * DAY_MS;
      gint64 end = start + HOUR_MS;
      gint64 first_message = 0;
      gint64 last_message = 0;

      sqlite3_bind_int64 (lesson, 1, class_id);
      sqlite3_bind_int64 (lesson, 2, n);
      sqlite3_bind_int64 (lesson, 3, start - 60000);
      run (g.db, lesson);
      sqlite3_bind_int64 (run_row, 1, class_id);
      sqlite3_bind_int64 (run_row, 2, n);
      sqlite3_bind_int64 (run_row, 3, start);
      sqlite3_bind_int64 (run_row, 4, end);
      run (g.db, run_row);

      for (int q = 0; q < 5; q++)
        {
          gint64 launched = start + (10 + 8 * q) * 60000;
          gint64 run_id;

          sqlite3_bind_int64 (quiz_run, 1, class_id);
          sqlite3_bind_int64 (quiz_run, 2, launched);
          sqlite3_bind_int64 (quiz_run, 3, launched + 30000);
          sqlite3_bind_int64 (quiz_run, 4, launched + 30000);
          run (g.db, quiz_run);
          run_id = sqlite3_last_insert_rowid (g.db);

          for (int i = 0; i < n_students; i++)
            {
              Student *s = &students[i];
              double skill = s->drifts_at > 0 && n >= s->drifts_at ? s->skill - 0.4 : s->skill;
              gboolean right;

              /* Attendance is drawn again below; answer with the same odds. */
              if (g_rand_double (g.rand) > s->attendance || (s->drifts_at > 0 && n >= s->drifts_at + 1))
                continue;
              right = g_rand_double (g.rand) < skill;
              sqlite3_bind_int64 (answer, 1, run_id);
              sqlite3_bind_int64 (answer, 2, s->id);
              sqlite3_bind_int64 (answer, 3, launched + 4000);
              sqlite3_bind_int (answer, 4, right ? 1 : 0);
              sqlite3_bind_double (answer, 5, right ? 1.3 : 0.0);
              run (g.db, answer);
            }
        }

      for (int i = 0; i < n_students; i++)
        {
          Student *s = &students[i];
          gint64 came = start - g_rand_int_range (g.rand, 0, 5 * 60000);
          gint64 left = end + g_rand_int_range (g.rand, 0, 2 * 60000);
          g_autofree char *on = NULL;
          g_autofree char *off = NULL;
          int messages;

          if (g_rand_double (g.rand) > s->attendance || (s->drifts_at > 0 && n >= s->drifts_at + 1))
            continue;
          on = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT ",\"online\":true}", s->id);
          off = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT ",\"online\":false}", s->id);
          event (&g, came, "participant.presence", on);

          messages = s->drifts_at > 0 && n >= s->drifts_at ? 0 : (int) (s->talk * g_rand_double (g.rand) * 2);
          for (int m = 0; m < messages; m++)
            {
              gint64 ts = start + g_rand_int_range (g.rand, 0, (int) HOUR_MS);
              gboolean question = g_rand_int_range (g.rand, 0, 5) == 0;
              g_autofree char *body = NULL;

              sqlite3_bind_int64 (chat, 1, class_id);
              sqlite3_bind_int64 (chat, 2, s->id);
              sqlite3_bind_text (chat, 3, "Is the answer 42 because of the second law?", -1, SQLITE_STATIC);
              sqlite3_bind_int64 (chat, 4, ts);
              sqlite3_bind_text (chat, 5, question ? "open" : "none", -1, SQLITE_STATIC);
              run (g.db, chat);
              message_id = sqlite3_last_insert_rowid (g.db);
              if (first_message == 0)
                first_message = message_id;
              last_message = message_id;
              body = g_strdup_printf ("{\"message\":{\"id\":%" G_GINT64_FORMAT ",\"author_id\":%" G_GINT64_FORMAT
                                      ",\"author_name\":\"Student\",\"channel\":\"class\",\"text\":\"Is the answer "
                                      "42 because of the second law?\",\"ts\":%" G_GINT64_FORMAT ",\"question\":"
                                      "\"%s\",\"votes\":0,\"danmaku\":false,\"deleted\":false}}",
                                      message_id, s->id, ts, question ? "open" : "none");
              event (&g, ts, "chat.message", body);
            }
          if (messages > 0 && g_rand_int_range (g.rand, 0, 3) == 0)
            {
              g_autofree char *body = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT
                                                       ",\"raised_at\":%" G_GINT64_FORMAT "}", s->id, start + 600000);

              event (&g, start + 600000 + i, "hand.raised", body);
            }
          if (g_rand_int_range (g.rand, 0, 2) == 0)
            {
              g_autofree char *body = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT
                                                       ",\"reaction\":\"clap\",\"at\":%" G_GINT64_FORMAT "}",
                                                       s->id, start + 1200000);

              event (&g, start + 1200000 + i, "chat.reaction", body);
            }
          if (i % 300 == n % 300)
            {
              g_autofree char *body = g_strdup_printf ("{\"participant_id\":%" G_GINT64_FORMAT "}", s->id);

              event (&g, start + 1800000, "stage.joined", body);
              event (&g, start + 2100000, "stage.left", body);
            }
          event (&g, left, "participant.presence", off);
        }

      for (int h = 0; h < 10 && last_message > first_message; h++)
        {
          sqlite3_bind_int64 (helpful, 1, first_message + g_rand_int_range (g.rand, 0, last_message - first_message));
          sqlite3_bind_int64 (helpful, 2, end - 60000);
          run (g.db, helpful);
        }
    }

  /* Check-ins over the whole span: runs of days, some broken lately. */
  for (int i = 0; i < n_students; i++)
    {
      Student *s = &students[i];
      gint64 days = (now - base) / DAY_MS;

      for (gint64 d = 0; d <= days; d++)
        {
          gint64 at = base + d * DAY_MS + 12 * HOUR_MS;
          g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (at / 1000);
          g_autofree char *day = g_date_time_format (dt, "%Y-%m-%d");

          if (at > now || g_rand_double (g.rand) > s->attendance - 0.1 ||
              (s->drifts_at > 0 && d > days - 4))
            continue;
          sqlite3_bind_int64 (checkin, 1, class_id);
          sqlite3_bind_int64 (checkin, 2, s->id);
          sqlite3_bind_text (checkin, 3, day, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (checkin, 4, at);
          run (g.db, checkin);
        }
      for (int a = g_rand_int_range (g.rand, 0, 20); a > 0; a--)
        {
          g_autofree char *rid = g_strdup_printf ("gen-%d", a);

          sqlite3_bind_int64 (ai, 1, s->id);
          sqlite3_bind_text (ai, 2, rid, -1, SQLITE_TRANSIENT);
          sqlite3_bind_int64 (ai, 3, class_id);
          sqlite3_bind_int64 (ai, 4, base + g_rand_int_range (g.rand, 0, (int) (now - base) / 1000) * (gint64) 1000);
          run (g.db, ai);
        }
    }

  {
    sqlite3_stmt *s = prepare (g.db, "UPDATE classes SET last_seq = ? WHERE id = ?");

    sqlite3_bind_int64 (s, 1, g.seq);
    sqlite3_bind_int64 (s, 2, class_id);
    run (g.db, s);
    sqlite3_finalize (s);
  }
  exec (g.db, "COMMIT; ANALYZE");

  for (sqlite3_stmt *s = sqlite3_next_stmt (g.db, NULL); s != NULL; s = sqlite3_next_stmt (g.db, NULL))
    sqlite3_finalize (s);
  sqlite3_close (g.db);
  g_rand_free (g.rand);
}

static gint64
count_rows (const char *path,
            const char *sql)
{
  sqlite3 *db;
  sqlite3_stmt *s;
  gint64 n;

  check (sqlite3_open (path, &db), db, path);
  s = prepare (db, sql);
  check (sqlite3_step (s), db, sql);
  n = sqlite3_column_int64 (s, 0);
  sqlite3_finalize (s);
  sqlite3_close (db);
  return n;
}

static CohortTestClient *
teacher_resume (CohortTestServer *server,
                const char       *token)
{
  CohortTestClient *teacher = cohort_test_client_new (cohort_test_server_get_url (server));
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  cohort_test_client_set_timeout (teacher, 60000);
  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
  json_object_set_string_member (body, "token", token);
  json_object_set_int_member (body, "last_seq", G_MAXINT32);
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_RESUME, body);
  return teacher;
}

/* One insights.get, its round trip in ms; the rows it carried in
 * @out_students. With @at (in: the "at" of the reply the page holds, 0:
 * none; out: this reply's), asked as the page's model asks, "since" it:
 * a delta of the changed rows. */
static double
timed_get (CohortTestClient *teacher,
           guint            *out_students,
           gint64           *at)
{
  g_autoptr(JsonObject) body = json_object_new ();
  gint64 t0;
  g_autoptr(CohortMessage) reply = NULL;
  double ms;

  if (at != NULL && *at > 0)
    json_object_set_int_member (body, "since", *at);
  t0 = g_get_monotonic_time ();
  reply = cohort_test_client_request_ok (teacher, COHORT_REQ_INSIGHTS_GET, body);
  ms = (g_get_monotonic_time () - t0) / 1000.0;

  if (out_students != NULL)
    *out_students = json_array_get_length (json_object_get_array_member (cohort_message_get_body (reply),
                                                                         "students"));
  if (at != NULL)
    *at = json_object_get_int_member (cohort_message_get_body (reply), "at");
  return ms;
}

static gint64
rss_kb (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(line = strstr (text, "VmRSS:")))
    return -1;
  return g_ascii_strtoll (line + 6, NULL, 10);
}

/* The process's user + system CPU time in ms: the cost of a request on
 * a machine too loaded for wall-clock times to say it. */
static double
cpu_ms (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(after = strrchr (text, ')')))
    return -1;
  fields = g_strsplit (after + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000.0 /
         sysconf (_SC_CLK_TCK);
}

/* Waits until @pid used no CPU for 300 ms: the groups ledger folds the
 * whole log when the teacher comes back, and that is not the page's cost. */
static void
wait_idle (GPid pid)
{
  for (int i = 0; i < 200; i++)
    {
      double before = cpu_ms (pid);

      g_usleep (300 * 1000);
      if (cpu_ms (pid) - before < 1)
        return;
    }
}

static void
add_quantiles (GString    *out,
               const char *name,
               GArray     *values)
{
  double p50 = cohort_bench_quantile (values, 0.5);
  double p99 = cohort_bench_quantile (values, 0.99);
  double max = cohort_bench_quantile (values, 1.0);

  g_string_append_printf (out, "\"%s\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f,\"n\":%u},",
                          name, p50, p99, max, values->len);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CohortTestServer) server = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(GArray) cold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) warm = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) live = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) told = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) out = g_string_new ("{");
  g_autofree char *token = NULL;
  g_autofree char *code = NULL;
  CohortTestClient *teacher;
  const char *chat_load = g_getenv ("COHORT_CHAT_LOAD");
  GPid load_pid = 0;
  gint64 class_id;
  gint64 rss_after_get = 0;
  gint64 rss_max = 0;
  guint rows = 0;
  guint changed_rows = 0;
  guint live_rows = 0;
  gint64 page_at = 0;
  double generate_s;
  double cpu_per_request = 0;
  double cpu0;
  gint64 t0;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--students") && i + 1 < argc)
        n_students = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--lessons") && i + 1 < argc)
        n_lessons = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--live") && i + 1 < argc)
        n_live = atoi (argv[++i]);
      else if (g_str_equal (argv[i], "--processes") && i + 1 < argc)
        n_processes = atoi (argv[++i]);
    }

  server = cohort_test_server_start (NULL);
  teacher = cohort_test_client_new (cohort_test_server_get_url (server));
  created = cohort_test_client_create_class (teacher, "Physics 1,000", "Ms Li");
  class_id = json_object_get_int_member (json_object_get_object_member (created, "class"), "id");
  code = g_strdup (json_object_get_string_member (json_object_get_object_member (created, "class"), "code"));
  token = g_strdup (json_object_get_string_member (created, "token"));
  cohort_test_client_free (teacher);
  cohort_test_server_stop (server);

  t0 = g_get_monotonic_time ();
  generate (cohort_test_server_get_db_path (server), class_id);
  generate_s = (g_get_monotonic_time () - t0) / 1e6;
  /* For a look at the queries afterwards (sqlite3 PATH). */
  if (g_getenv ("COHORT_BENCH_KEEP_DB") != NULL)
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (g_file_get_contents (cohort_test_server_get_db_path (server), &contents, &length, NULL))
        g_file_set_contents (g_getenv ("COHORT_BENCH_KEEP_DB"), contents, length, NULL);
    }

  /* insights_ms: each process's first request (its statement cache and
   * the page cache cold), then the rest. */
  for (int p = 0; p < n_processes; p++)
    {
      double ms;

      cohort_test_server_restart (server);
      teacher = teacher_resume (server, token);
      wait_idle (cohort_test_server_get_pid (server));
      ms = timed_get (teacher, &rows, NULL);
      g_array_append_val (cold, ms);
      cpu0 = cpu_ms (cohort_test_server_get_pid (server));
      for (int r = 1; r < n_requests; r++)
        {
          ms = timed_get (teacher, NULL, NULL);
          g_array_append_val (warm, ms);
        }
      cpu_per_request += (cpu_ms (cohort_test_server_get_pid (server)) - cpu0) / (n_requests - 1) / n_processes;
      rss_after_get = rss_kb (cohort_test_server_get_pid (server));
      cohort_test_client_free (teacher);
      if (p + 1 < n_processes)
        cohort_test_server_stop (server);
    }

  /* live_update_ms: a live lesson, the chat benchmark's load in another
   * class of the same server, and a student of ours chatting. After each
   * insights.changed the page asks again: that round trip. */
  teacher = teacher_resume (server, token);
  {
    g_autoptr(CohortMessage) reply = cohort_test_client_request_ok (teacher, COHORT_REQ_LESSON_START, NULL);
  }
  timed_get (teacher, NULL, &page_at);
  if (chat_load != NULL)
    {
      g_autofree char *port = g_strdup_printf ("%u", cohort_test_server_get_port (server));
      g_autofree char *pid = g_strdup_printf ("%d", (int) cohort_test_server_get_pid (server));
      g_autofree char *seconds = g_strdup_printf ("%d", n_live * 3 + 30);
      const char *load_argv[] = { chat_load, "--port", port, "--clients", "1000", "--rate", "200",
                                  "--seconds", seconds, "--server-pid", pid, NULL };
      g_autoptr(GError) error = NULL;
      /* It starts its own class as the test server's staff. */
      g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "COHORT_STAFF_CREDENTIAL",
                                            cohort_test_server_get_staff_credential (server), TRUE);

      if (!g_spawn_async (NULL, (char **) load_argv, env, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_DO_NOT_REAP_CHILD,
                          NULL, NULL, &load_pid, &error))
        g_error ("Could not start the chat load: %s", error->message);
      /* Its 1,000 clients join first. */
      g_usleep (20 * G_USEC_PER_SEC);
    }
  {
    CohortTestClient *student = cohort_test_client_new (cohort_test_server_get_url (server));
    g_autoptr(JsonObject) joined = cohort_test_client_join (student, code, "Late Lee", NULL);

    gint64 last_sent = 0;

    cohort_test_client_set_timeout (student, 60000);
    for (int i = 0; i < n_live; i++)
      {
        g_autoptr(JsonObject) body = json_object_new ();
        g_autoptr(CohortMessage) reply = NULL;
        g_autoptr(CohortMessage) event = NULL;
        gint64 sent;
        double ms;

        /* A student talking as fast as the chat lets them (a message a
         * second once the burst is spent), not as fast as the page
         * refreshes. */
        if (last_sent > 0 && g_get_monotonic_time () - last_sent < COHORT_CHAT_RATE_REFILL_MS * 1000)
          g_usleep (COHORT_CHAT_RATE_REFILL_MS * 1000 - (g_get_monotonic_time () - last_sent));
        sent = last_sent = g_get_monotonic_time ();
        json_object_set_string_member (body, "text", "Could you say that again?");
        reply = cohort_test_client_request_ok (student, COHORT_REQ_CHAT_SEND, body);
        event = cohort_test_client_next_event (teacher, COHORT_EV_INSIGHTS_CHANGED);
        if (event == NULL)
          g_error ("No insights.changed");
        ms = (g_get_monotonic_time () - sent) / 1000.0;
        g_array_append_val (told, ms);
        ms = timed_get (teacher, &changed_rows, &page_at);
        g_array_append_val (live, ms);
        live_rows = MAX (live_rows, changed_rows);
        /* What the teacher sees: from the student's message to the page
         * having the new figures (the tick and its rate limit included). */
        ms = (g_get_monotonic_time () - sent) / 1000.0;
        g_array_append_val (seen, ms);
        rss_max = MAX (rss_max, rss_kb (cohort_test_server_get_pid (server)));
      }
    cohort_test_client_free (student);
  }
  if (load_pid != 0)
    {
      kill (load_pid, SIGTERM);
      waitpid (load_pid, NULL, 0);
      g_spawn_close_pid (load_pid);
    }
  cohort_test_client_free (teacher);

  g_string_append_printf (out, "\"students\":%d,\"lessons\":%d,\"rows\":%u,", n_students, n_lessons, rows);
  g_string_append_printf (out, "\"events\":%" G_GINT64_FORMAT ",\"chat_messages\":%" G_GINT64_FORMAT
                          ",\"quiz_answers\":%" G_GINT64_FORMAT ",\"checkins\":%" G_GINT64_FORMAT ",",
                          count_rows (cohort_test_server_get_db_path (server), "SELECT count(*) FROM events"),
                          count_rows (cohort_test_server_get_db_path (server), "SELECT count(*) FROM chat_messages"),
                          count_rows (cohort_test_server_get_db_path (server), "SELECT count(*) FROM quiz_answers"),
                          count_rows (cohort_test_server_get_db_path (server), "SELECT count(*) FROM groups_checkins"));
  g_string_append_printf (out, "\"generate_s\":%.1f,\"processes\":%d,", generate_s, n_processes);
  add_quantiles (out, "insights_first_ms", cold);
  {
    g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));

    g_array_append_vals (all, cold->data, cold->len);
    g_array_append_vals (all, warm->data, warm->len);
    add_quantiles (out, "insights_ms", all);
  }
  g_string_append_printf (out, "\"insights_server_cpu_ms\":%.1f,", cpu_per_request);
  add_quantiles (out, "live_update_ms", live);
  g_string_append_printf (out, "\"live_update_rows_max\":%u,", live_rows);
  add_quantiles (out, "changed_after_ms", told);
  add_quantiles (out, "event_to_page_ms", seen);
  g_string_append_printf (out, "\"chat_load\":%s,\"server_rss_mb\":%.1f,\"server_rss_live_max_mb\":%.1f}",
                          chat_load != NULL ? "true" : "false", rss_after_get / 1024.0, rss_max / 1024.0);
  printf ("%s\n", out->str);
  return 0;
}

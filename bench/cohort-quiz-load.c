/* cohort-quiz-load.c: the load generator of bench/quiz.sh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One teacher and N students (1,000 by default), each on its own
 * WebSocket, all in this one process's main loop. The teacher makes a
 * class and a single-choice question; the students join; then:
 *
 *   launch_ms   from the moment the teacher's quiz.launch leaves until each
 *               student has read the quiz.launched event;
 *   results_ms  for each answer, from the moment it leaves until the
 *               teacher's live results (quiz.progress) include it;
 *   results_last_ms  from the last answer until the teacher's results
 *               count every answer;
 *   answer_ack_ms    an answer until its "ok" (the group commit);
 *   server_cpu_pct   the server's CPU time (user + system, from
 *               /proc/PID/stat) over the wall time from launch to the last
 *               result, in percent of one core.
 *
 * The students answer at evenly spread moments within --spread-ms (2 s)
 * of receiving the question. Before the launch the class must be quiet for
 * 1.5 s: other services answer a thousand newcomers with events of their
 * own (the groups service sends each their progress), which would
 * otherwise be measured as quiz latency. QUIZ_TRACE=1 prints the phases
 * on stderr. Prints one JSON object on stdout.
 */

#define G_LOG_DOMAIN "cohort-quiz-load"

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libsoup/soup.h>

#include "cohort-protocol.h"
#include "cohort-quiz-protocol.h"

typedef struct _Load Load;

typedef struct
{
  Load                    *load;
  guint                    index;
  SoupWebsocketConnection *ws;
  gint64                   id;
  gboolean                 joined;
  gint64                   launched_us;
  gint64                   answer_sent_us;
  gint64                   answer_ok_us;
  gint64                   seen_by_teacher_us;
  gint64                   last_seq;
} Client;

struct _Load
{
  char        *url;
  guint        n_students;
  guint        spread_ms;
  int          server_pid;

  SoupSession *session;
  Client       teacher;
  Client      *students;
  GHashTable  *by_participant;

  char        *code;
  gint64       question_id;
  gint64       run_id;
  guint        n_connected;
  /* Students whose connection has not been started yet. */
  guint        next_to_connect;
  guint        n_joined;
  guint        n_launched;
  guint        n_answer_ok;
  guint        n_answer_errors;
  guint        n_seen;
  gint64       launch_sent_us;
  gint64       last_answer_sent_us;
  gint64       all_seen_us;
  gint64       cpu_ticks_at_launch;
  gint64       cpu_ticks_at_end;
  gint64       load_ticks_at_launch;
  gint64       load_ticks_at_end;
  guint        n_answers_sent;
  /* The class's seq once everyone joined; launch waits until all saw it. */
  gint64       joined_seq;
  guint        n_caught_up;
  gboolean     synced;
  /* The last frame any client read, to launch into a quiet class. */
  gint64       last_frame_us;
  guint        quiet_source;
  guint        answer_timer;
  GPtrArray   *answer_order;

  gboolean     failed;
  char        *failure;
  GMainLoop   *loop;
  int          phase;
};

enum {
  PHASE_SETUP,
  PHASE_JOINING,
  PHASE_LAUNCHING,
  PHASE_ANSWERING,
  PHASE_DONE,
};

static void
fail (Load       *load,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static void
fail (Load       *load,
      const char *format,
      ...)
{
  va_list args;

  if (load->failed)
    return;
  va_start (args, format);
  load->failure = g_strdup_vprintf (format, args);
  va_end (args);
  load->failed = TRUE;
  g_main_loop_quit (load->loop);
}

static gint64
cpu_ticks (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after;

  if (pid <= 0 || !g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  /* The command name may hold spaces; fields restart after ")". */
  after = strrchr (contents, ')');
  if (after == NULL)
    return -1;
  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;
  /* utime and stime are fields 14 and 15 of the file, 12 and 13 here. */
  return g_ascii_strtoll (fields[11], NULL, 10) + g_ascii_strtoll (fields[12], NULL, 10);
}

static void
send_request (Client     *c,
              const char *type,
              JsonObject *body)
{
  g_autofree char *id = g_strdup_printf ("%s-%u-%" G_GINT64_FORMAT, type, c->index, g_get_monotonic_time ());
  g_autoptr(CohortMessage) message = cohort_message_new_request (type, id, body);
  g_autofree char *json = cohort_message_to_json (message, NULL);

  soup_websocket_connection_send_text (c->ws, json);
}

static JsonObject *
parse (const char *text,
       gsize       length)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static void start_launch (Load *load);
static void wait_quiet (Load *load);
static void create_question (Load *load);

static gint64 trace_start;

static void
trace (const char *what,
       guint       n)
{
  if (g_getenv ("QUIZ_TRACE") == NULL)
    return;
  if (trace_start == 0)
    trace_start = g_get_monotonic_time ();
  g_printerr ("PHASE %8.3f %s %u\n", (g_get_monotonic_time () - trace_start) / 1e6, what, n);
}

/* Every event frame starts {"type":"event","seq":N,…}. */
static gint64
frame_seq (const char *data,
           gsize       length)
{
  const char *p = g_strstr_len (data, MIN (length, 64), "\"seq\":");

  return p != NULL ? g_ascii_strtoll (p + 6, NULL, 10) : 0;
}

static void
note_seq (Client     *c,
          const char *data,
          gsize       length)
{
  Load *load = c->load;
  gint64 seq = frame_seq (data, length);

  if (seq <= c->last_seq)
    return;
  c->last_seq = seq;
  if (load->phase == PHASE_JOINING && load->n_joined == load->n_students && seq == load->joined_seq)
    {
      if (++load->n_caught_up == load->n_students + 1)
        create_question (load);
    }
}

static gboolean
send_due_answers (gpointer user_data)
{
  Load *load = user_data;
  gint64 now = g_get_monotonic_time ();

  while (load->n_answers_sent < load->answer_order->len)
    {
      Client *c = g_ptr_array_index (load->answer_order, load->n_answers_sent);
      g_autoptr(JsonObject) body = NULL;
      /* Evenly spread over the window, counted from the student's launch. */
      gint64 due = c->launched_us + (gint64) load->spread_ms * 1000 * load->n_answers_sent /
                                   MAX (load->n_students, 1);

      if (due > now)
        break;

      body = json_object_new ();
      json_object_set_int_member (body, "run_id", load->run_id);
      json_object_set_int_member (body, "answer", c->index % 3);
      c->answer_sent_us = g_get_monotonic_time ();
      load->last_answer_sent_us = c->answer_sent_us;
      send_request (c, COHORT_REQ_QUIZ_ANSWER, body);
      load->n_answers_sent++;
      if (load->n_answers_sent % 100 == 0)
        trace ("sent", load->n_answers_sent);
    }

  if (load->n_answers_sent >= load->answer_order->len)
    {
      load->answer_timer = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_student_message (SoupWebsocketConnection *ws,
                    gint                     type,
                    GBytes                  *bytes,
                    gpointer                 user_data)
{
  Client *c = user_data;
  Load *load = c->load;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  gint64 now = g_get_monotonic_time ();

  load->last_frame_us = now;
  /* Most frames are other people's joins and skips: look before parsing. */
  if (!c->joined)
    {
      g_autoptr(JsonObject) root = parse (data, length);
      JsonObject *body;

      if (root == NULL || g_strcmp0 (json_object_get_string_member_with_default (root, "type", ""), "ok") != 0)
        {
          fail (load, "student %u could not join: %.*s", c->index, (int) MIN (length, 300), data);
          return;
        }
      body = json_object_get_object_member (root, "body");
      c->id = json_object_get_int_member (json_object_get_object_member (body, "you"), "id");
      c->joined = TRUE;
      c->last_seq = json_object_get_int_member (body, "seq");
      load->joined_seq = MAX (load->joined_seq, c->last_seq);
      g_hash_table_insert (load->by_participant, &c->id, c);
      if (++load->n_joined % 250 == 0)
        trace ("joined", load->n_joined);
      if (load->n_joined == load->n_students)
        {
          /* The last join's event is the highest seq; wait for everyone to see it. */
          for (guint i = 0; i < load->n_students; i++)
            if (load->students[i].last_seq >= load->joined_seq)
              load->n_caught_up++;
          if (load->teacher.last_seq >= load->joined_seq)
            load->n_caught_up++;
          if (load->n_caught_up == load->n_students + 1)
            create_question (load);
        }
      return;
    }

  if (load->phase == PHASE_JOINING)
    {
      note_seq (c, data, length);
      return;
    }

  if (g_strstr_len (data, MIN (length, 200), "\"quiz.launched\"") != NULL)
    {
      c->launched_us = now;
      load->n_launched++;
      if (load->n_launched == load->n_students)
        {
          load->phase = PHASE_ANSWERING;
          load->answer_timer = g_timeout_add (1, send_due_answers, load);
        }
      return;
    }

  if (c->answer_sent_us != 0 && c->answer_ok_us == 0 &&
      g_strstr_len (data, MIN (length, 40), "\"type\":\"ok\"") != NULL)
    {
      c->answer_ok_us = now;
      load->n_answer_ok++;
      if (load->n_answer_ok % 100 == 0)
        trace ("acked", load->n_answer_ok);
      return;
    }
  if (c->answer_sent_us != 0 && g_strstr_len (data, MIN (length, 40), "\"type\":\"error\"") != NULL)
    {
      load->n_answer_errors++;
      fail (load, "student %u's answer failed: %.*s", c->index, (int) MIN (length, 300), data);
    }
}

/* Once the question exists and every socket is open, the students join. */
static void
maybe_join (Load *load)
{
  if (load->phase != PHASE_SETUP || !load->synced || load->n_connected < load->n_students + 1)
    return;

  load->phase = PHASE_JOINING;
  for (guint i = 0; i < load->n_students; i++)
    {
      g_autoptr(JsonObject) join = json_object_new ();
      g_autofree char *name = g_strdup_printf ("Student %04u", i + 1);

      json_object_set_int_member (join, "protocol", COHORT_PROTOCOL_VERSION);
      json_object_set_string_member (join, "code", load->code);
      json_object_set_string_member (join, "name", name);
      send_request (&load->students[i], COHORT_REQ_CLASS_JOIN, join);
    }
}

static void
on_teacher_message (SoupWebsocketConnection *ws,
                    gint                     type,
                    GBytes                  *bytes,
                    gpointer                 user_data)
{
  Client *c = user_data;
  Load *load = c->load;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);
  gint64 now = g_get_monotonic_time ();
  g_autoptr(JsonObject) root = NULL;
  JsonObject *body;
  const char *kind;

  load->last_frame_us = now;
  if (load->phase == PHASE_JOINING && g_strstr_len (data, MIN (length, 40), "\"type\":\"event\"") != NULL)
    {
      note_seq (c, data, length);
      return;
    }

  root = parse (data, length);
  if (root == NULL)
    return fail (load, "the teacher got a bad frame");
  kind = json_object_get_string_member_with_default (root, "type", "");
  body = json_object_has_member (root, "body") ? json_object_get_object_member (root, "body") : NULL;

  if (g_str_equal (kind, "error"))
    return fail (load, "the teacher's request failed: %.*s", (int) MIN (length, 300), data);

  if (g_str_equal (kind, "ok"))
    {
      if (load->phase == PHASE_SETUP && body != NULL && json_object_has_member (body, "teacher_key"))
        {
          load->code = g_strdup (json_object_get_string_member (json_object_get_object_member (body, "class"),
                                                                "code"));
          /* Live results come as progress to this request. */
          send_request (c, COHORT_REQ_QUIZ_SYNC, NULL);
        }
      else if (load->phase == PHASE_SETUP && body != NULL && json_object_has_member (body, "quiz"))
        {
          load->synced = TRUE;
          maybe_join (load);
        }
      else if (load->phase == PHASE_JOINING && body != NULL && json_object_has_member (body, "question"))
        {
          load->question_id = json_object_get_int_member (json_object_get_object_member (body, "question"),
                                                          "id");
          wait_quiet (load);
        }
      else if (load->phase >= PHASE_LAUNCHING && body != NULL && json_object_has_member (body, "run"))
        load->run_id = json_object_get_int_member (json_object_get_object_member (body, "run"), "run_id");
      return;
    }

  if (g_str_equal (kind, "progress") ||
      (g_str_equal (kind, "event") &&
       g_strcmp0 (json_object_get_string_member_with_default (root, "event", ""), COHORT_EV_QUIZ_PROGRESS) == 0))
    {
      JsonArray *answers = json_object_get_array_member (body, "answers");

      for (guint i = 0; i < json_array_get_length (answers); i++)
        {
          gint64 pid = json_object_get_int_member (json_array_get_object_element (answers, i), "participant_id");
          Client *s = g_hash_table_lookup (load->by_participant, &pid);

          if (s != NULL && s->seen_by_teacher_us == 0)
            {
              s->seen_by_teacher_us = now;
              load->n_seen++;
            }
        }
      if (json_object_get_int_member (body, "answered") == load->n_students && load->all_seen_us == 0)
        {
          load->all_seen_us = now;
          load->cpu_ticks_at_end = cpu_ticks (load->server_pid);
          load->load_ticks_at_end = cpu_ticks (getpid ());
          load->phase = PHASE_DONE;
          g_main_loop_quit (load->loop);
        }
    }
}

/* Other features may still be busy with the newcomers (per-student
 * events of the groups service, say): launch once nothing arrived for
 * QUIET_MS, so that launch and results measure the quiz alone. */
#define QUIET_MS 1500

static gboolean
check_quiet (gpointer user_data)
{
  Load *load = user_data;

  if (g_get_monotonic_time () - load->last_frame_us < QUIET_MS * 1000)
    return G_SOURCE_CONTINUE;
  load->quiet_source = 0;
  start_launch (load);
  return G_SOURCE_REMOVE;
}

/* Made once everyone is in: the first change after the joins, which other
 * services react to (groups sends every newcomer their progress), so that
 * this settles before the launch. */
static void
create_question (Load *load)
{
  g_autoptr(JsonObject) q = json_object_new ();
  g_autoptr(JsonNode) question = json_from_string (
    "{\"type\":\"single\",\"prompt\":\"Which planet is closest to the Sun?\","
    "\"choices\":[\"Venus\",\"Mercury\",\"Mars\"],\"correct\":[1]}", NULL);

  trace ("caught up", load->n_caught_up);
  json_object_set_member (q, "question", json_node_ref (question));
  send_request (&load->teacher, COHORT_REQ_QUIZ_QUESTION_CREATE, q);
}

static void
wait_quiet (Load *load)
{
  trace ("question made", 0);
  if (load->quiet_source == 0)
    load->quiet_source = g_timeout_add (100, check_quiet, load);
}

static void
start_launch (Load *load)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *ids = json_array_new ();

  load->phase = PHASE_LAUNCHING;
  trace ("launch", 0);
  json_array_add_int_element (ids, load->question_id);
  json_object_set_array_member (body, "question_ids", ids);
  json_object_set_int_member (body, "time_limit", 60);

  /* Everyone has seen every join: launch measures the launch alone. */
  load->cpu_ticks_at_launch = cpu_ticks (load->server_pid);
  load->load_ticks_at_launch = cpu_ticks (getpid ());
  load->launch_sent_us = g_get_monotonic_time ();
  send_request (&load->teacher, COHORT_REQ_QUIZ_LAUNCH, body);
}

static void
on_closed (SoupWebsocketConnection *ws,
           gpointer                 user_data)
{
  Client *c = user_data;

  if (c->load->phase != PHASE_DONE)
    fail (c->load, "connection %u closed early (%u)", c->index, soup_websocket_connection_get_close_code (ws));
}

static void connect_client (Load *load, Client *c);

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Client *c = user_data;
  Load *load = c->load;
  g_autoptr(GError) error = NULL;

  c->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (c->ws == NULL)
    return fail (load, "could not connect: %s", error->message);

  soup_websocket_connection_set_max_incoming_payload_size (c->ws, COHORT_HARD_FRAME_BYTES);
  soup_websocket_connection_set_keepalive_interval (c->ws, 0);
  g_signal_connect (c->ws, "message",
                    G_CALLBACK (c == &load->teacher ? on_teacher_message : on_student_message), c);
  g_signal_connect (c->ws, "closed", G_CALLBACK (on_closed), c);

  if (c == &load->teacher)
    {
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
      json_object_set_string_member (body, "title", "Benchmark");
      json_object_set_string_member (body, "name", "Teacher");
      send_request (c, COHORT_REQ_CLASS_CREATE, body);
    }

  load->n_connected++;
  if (load->n_connected % 250 == 0)
    trace ("connected", load->n_connected);
  /* A bounded number of handshakes in flight, so the server's accept
   * queue never overflows. */
  if (load->next_to_connect < load->n_students)
    connect_client (load, &load->students[load->next_to_connect++]);
  maybe_join (load);
}

static void
connect_client (Load   *load,
                Client *c)
{
  g_autoptr(SoupMessage) msg = soup_message_new (SOUP_METHOD_GET, load->url);

  soup_session_websocket_connect_async (load->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_connected, c);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : (x > y ? 1 : 0);
}

static double
percentile (GArray *sorted_us,
            double  p)
{
  guint index;

  if (sorted_us->len == 0)
    return -1;
  index = (guint) MIN ((double) sorted_us->len - 1, p / 100.0 * sorted_us->len);
  return g_array_index (sorted_us, gint64, index) / 1000.0;
}

static gboolean
on_overall_timeout (gpointer user_data)
{
  Load *load = user_data;

  fail (load, "timed out in phase %d (%u connected, %u joined, %u launched, %u answered, %u seen)",
        load->phase, load->n_connected, load->n_joined, load->n_launched, load->n_answer_ok, load->n_seen);
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  Load load = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) launch = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) results = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) acks = g_array_new (FALSE, FALSE, sizeof (gint64));
  int n_students = 1000;
  int spread_ms = 2000;
  int timeout_s = 300;
  char *url = NULL;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, "Server WebSocket URL", "URL" },
    { "students", 0, 0, G_OPTION_ARG_INT, &n_students, "Number of students (1000)", "N" },
    { "spread-ms", 0, 0, G_OPTION_ARG_INT, &spread_ms, "Answers arrive within this (2000)", "MS" },
    { "server-pid", 0, 0, G_OPTION_ARG_INT, &load.server_pid, "Server process, for its CPU time", "PID" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s, "Give up after (300 s)", "S" },
    { NULL }
  };
  double wall_s;
  double cpu_pct;
  gint64 load_ticks_end;
  long hz = sysconf (_SC_CLK_TCK);

  context = g_option_context_new ("- quiz load generator");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || url == NULL || n_students < 1)
    {
      g_printerr ("cohort-quiz-load: %s\n", error ? error->message : "--url is required");
      return 2;
    }

  load.url = url;
  load.n_students = n_students;
  load.spread_ms = spread_ms;
  load.loop = g_main_loop_new (NULL, FALSE);
  load.session = soup_session_new_with_options ("max-conns", n_students + 16,
                                                "max-conns-per-host", n_students + 16,
                                                "timeout", 60, NULL);
  load.students = g_new0 (Client, n_students);
  load.by_participant = g_hash_table_new (g_int64_hash, g_int64_equal);
  load.answer_order = g_ptr_array_new ();

  load.teacher.load = &load;
  load.teacher.index = G_MAXUINT;
  for (guint i = 0; i < load.n_students; i++)
    {
      load.students[i].load = &load;
      load.students[i].index = i;
      g_ptr_array_add (load.answer_order, &load.students[i]);
    }
  connect_client (&load, &load.teacher);
  for (load.next_to_connect = 0; load.next_to_connect < MIN (load.n_students, 64); load.next_to_connect++)
    connect_client (&load, &load.students[load.next_to_connect]);

  g_timeout_add_seconds (timeout_s, on_overall_timeout, &load);
  g_main_loop_run (load.loop);

  if (load.failed)
    {
      g_printerr ("cohort-quiz-load: %s\n", load.failure);
      return 1;
    }

  for (guint i = 0; i < load.n_students; i++)
    {
      Client *c = &load.students[i];
      gint64 l = c->launched_us - load.launch_sent_us;
      gint64 r = c->seen_by_teacher_us - c->answer_sent_us;

      g_array_append_val (launch, l);
      gint64 a = c->answer_ok_us - c->answer_sent_us;

      if (c->seen_by_teacher_us != 0)
        g_array_append_val (results, r);
      if (c->answer_ok_us != 0)
        g_array_append_val (acks, a);
    }
  g_array_sort (launch, compare_int64);
  g_array_sort (results, compare_int64);
  g_array_sort (acks, compare_int64);

  load_ticks_end = load.load_ticks_at_end;
  wall_s = (load.all_seen_us - load.launch_sent_us) / 1e6;
  cpu_pct = load.cpu_ticks_at_launch >= 0 && load.cpu_ticks_at_end >= 0 && wall_s > 0
            ? 100.0 * (load.cpu_ticks_at_end - load.cpu_ticks_at_launch) / (double) hz / wall_s : -1;

  g_print ("{\"students\": %u, \"spread_ms\": %u, "
           "\"launch_ms\": {\"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f}, "
           "\"results_ms\": {\"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f}, "
           "\"answer_ack_ms\": {\"p50\": %.1f, \"p99\": %.1f}, "
           "\"results_last_ms\": %.1f, \"answers_ok\": %u, \"wall_s\": %.2f, "
           "\"server_cpu_pct\": %.1f, \"load_cpu_pct\": %.1f}\n",
           load.n_students, load.spread_ms,
           percentile (launch, 50), percentile (launch, 99), percentile (launch, 100),
           percentile (results, 50), percentile (results, 99), percentile (results, 100),
           percentile (acks, 50), percentile (acks, 99),
           (load.all_seen_us - load.last_answer_sent_us) / 1000.0, load.n_answer_ok, wall_s, cpu_pct,
           load_ticks_end >= 0 && wall_s > 0 ? 100.0 * (load_ticks_end - load.load_ticks_at_launch) / (double) hz / wall_s : -1);
  return 0;
}

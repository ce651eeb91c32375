/* cohort-bench-ai.c: token_to_pane_ms and chat fan-out during AI traffic
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohort-ai-conversation.h"
#include "cohort-ai-test-server.h"
#include "cohort-fake-llm.h"
#include "cohort-session.h"

#include <gio/gunixinputstream.h>
#include <glib-unix.h>

#include "cohort-bench-stats.h"
#include "cohort-bench-ws.h"
#include "cohort-test-server.h"

#define N_TOKENS        300
#define TOKEN_MS        20
#define N_LISTENERS     30
#define N_CHAT          400
#define CHAT_EVERY_MS   50
#define N_AI_STUDENTS   100

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms: the sessions keep working meanwhile. */
static void
settle (guint ms)
{
  gboolean tick = FALSE;

  g_timeout_add (ms, on_timeout, &tick);
  while (!tick)
    g_main_context_iteration (NULL, TRUE);
}

#define WAIT_UNTIL(cond, ms)                                                   \
  G_STMT_START {                                                               \
    gboolean to_ = FALSE;                                                      \
    guint id_ = g_timeout_add ((ms), on_timeout, &to_);                        \
    while (!(cond) && !to_)                                                    \
      g_main_context_iteration (NULL, TRUE);                                   \
    if (!to_)                                                                  \
      g_source_remove (id_);                                                   \
    if (!(cond))                                                               \
      g_error ("Timed out waiting for %s", #cond);                             \
  } G_STMT_END

static void
on_result (GObject *source, GAsyncResult *result, gpointer data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static CohortSession *
join (const char *url, const char *code, const char *name)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (code == NULL)
    {
      /* identity: as the test server's staff, no waiting room (tests/common). */
      g_object_set (session, "create-waiting-room", FALSE, NULL);
      cohort_session_create_class_async (session, url, "Bench", name, cohort_test_staff_lookup (url), NULL, on_result, &result);
      WAIT_UNTIL (result != NULL, 20000);
      if (!cohort_session_create_class_finish (session, result, &error))
        g_error ("create: %s", error->message);
    }
  else
    {
      cohort_session_join_async (session, url, code, name, NULL, NULL, on_result, &result);
      WAIT_UNTIL (result != NULL, 20000);
      if (!cohort_session_join_finish (session, result, &error))
        g_error ("join: %s", error->message);
    }
  return g_steal_pointer (&session);
}

/* token_to_pane_ms: from the upstream writing a token to the student's
 * CohortAiConversation holding it (the pane renders from that signal). */
typedef struct
{
  CohortAiMessage *answer;
  GArray          *arrivals;  /* gint64 per token */
} TokenWatch;

static void
on_text (CohortAiMessage *message, GParamSpec *pspec, TokenWatch *watch)
{
  const char *text = cohort_ai_message_get_text (message);
  guint n = 0;
  gint64 now = g_get_monotonic_time ();

  for (const char *p = text; (p = strstr (p, "tok")) != NULL; p += 3)
    n++;
  while (watch->arrivals->len < n)
    g_array_append_val (watch->arrivals, now);
}

static void
bench_tokens (double *p50, double *p99)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = g_strdup_printf ("base-url=%s\nmodel=bench\n", cohort_fake_llm_get_base_url (fake));
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(CohortSession) student = join (cohort_ai_test_server_get_url (server), NULL, "Bench");
  g_autoptr(CohortAiConversation) conversation = cohort_ai_conversation_new (student);
  g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
  TokenWatch watch = { NULL, g_array_new (FALSE, FALSE, sizeof (gint64)) };

  WAIT_UNTIL (cohort_ai_conversation_get_configured (conversation), 10000);
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_TOKENS);
  cohort_fake_llm_set_interval (fake, TOKEN_MS);
  cohort_fake_llm_set_n_tokens (fake, N_TOKENS);
  cohort_ai_conversation_ask (conversation, "Count");
  watch.answer = g_list_model_get_item (G_LIST_MODEL (conversation), 1);
  g_signal_connect (watch.answer, "notify::text", G_CALLBACK (on_text), &watch);
  WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) != COHORT_AI_CONVERSATION_STREAMING, 60000);

  for (guint i = 0; i < watch.arrivals->len; i++)
    {
      gint64 sent = cohort_fake_llm_get_token_time (fake, i);
      double ms = (g_array_index (watch.arrivals, gint64, i) - sent) / 1000.0;

      if (sent > 0)
        g_array_append_val (latencies, ms);
    }
  if (latencies->len < N_TOKENS)
    g_error ("only %u of %u tokens arrived", latencies->len, N_TOKENS);
  *p50 = cohort_bench_quantile (latencies, 0.50);
  *p99 = cohort_bench_quantile (latencies, 0.99);
  g_signal_handlers_disconnect_by_data (watch.answer, &watch);
  g_object_unref (watch.answer);
  g_array_unref (watch.arrivals);
}

/* The probe: one more student, in this process and at normal priority, who
 * asks while the hundred answers stream. The load's fake upstream stamps
 * each token with the time it is due ("tok7@T "), so the delay from the
 * upstream to this student's CohortAiConversation is timed under load. */
typedef struct
{
  CohortAiMessage *answer;
  gsize            scanned;
  GArray          *ms;        /* double */
} Probe;

static void
on_probe_text (CohortAiMessage *message, GParamSpec *pspec, Probe *probe)
{
  const char *text = cohort_ai_message_get_text (message);
  gsize length = strlen (text);
  gint64 now = g_get_monotonic_time ();
  const char *p;

  if (length <= probe->scanned)
    return;
  /* Tokens before the measurement (probe->ms NULL) are passed over. */
  for (p = text + probe->scanned; (p = strstr (p, "tok")) != NULL; p += 3)
    {
      const char *at = strchr (p, '@');
      const char *space = at ? strchr (at, ' ') : NULL;
      double ms;

      if (space == NULL)
        break;   /* the rest of this token comes with the next delta */
      ms = (now - g_ascii_strtoll (at + 1, NULL, 10)) / 1000.0;
      if (probe->ms != NULL)
        g_array_append_val (probe->ms, ms);
      probe->scanned = space + 1 - text;
    }
}

/* Chat fan-out: one chat.send every CHAT_EVERY_MS from a rotating sender;
 * the time to each listener's event-received. */
typedef struct
{
  GHashTable *sent;       /* text → gint64* */
  GArray     *latencies;
} Fanout;

static void
on_event (CohortSession *session, const char *event, JsonObject *body, gint64 seq, Fanout *f)
{
  const char *text;
  gint64 *sent;

  if (g_strcmp0 (event, "chat.message") != 0)
    return;
  text = json_object_has_member (body, "message") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "message"))
         ? json_object_get_string_member_with_default (json_object_get_object_member (body, "message"), "text", NULL)
         : json_object_get_string_member_with_default (body, "text", NULL);
  if (text == NULL || (sent = g_hash_table_lookup (f->sent, text)) == NULL)
    return;
  {
    double ms = (g_get_monotonic_time () - *sent) / 1000.0;
    g_array_append_val (f->latencies, ms);
  }
}

static double
bench_fanout (GPtrArray *listeners, const char *tag)
{
  Fanout f = { g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free),
               g_array_new (FALSE, FALSE, sizeof (double)) };
  double p99;

  for (guint i = 0; i < listeners->len; i++)
    g_signal_connect (g_ptr_array_index (listeners, i), "event-received", G_CALLBACK (on_event), &f);

  for (guint m = 0; m < N_CHAT; m++)
    {
      CohortSession *sender = g_ptr_array_index (listeners, m % listeners->len);
      g_autoptr(JsonObject) body = json_object_new ();
      g_autofree char *text = g_strdup_printf ("%s-%u", tag, m);
      gint64 *now = g_new (gint64, 1);

      json_object_set_string_member (body, "text", text);
      *now = g_get_monotonic_time ();
      g_hash_table_insert (f.sent, g_strdup (text), now);
      cohort_session_request_async (sender, "chat.send", body, NULL, NULL, NULL);
      settle (CHAT_EVERY_MS);
    }
  settle (2000);

  for (guint i = 0; i < listeners->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (listeners, i), &f);

  if (f.latencies->len < N_CHAT * listeners->len / 2)
    {
      g_printerr ("chat fan-out: only %u deliveries of %u\n", f.latencies->len, N_CHAT * listeners->len);
      p99 = -1;
    }
  else
    p99 = cohort_bench_quantile (f.latencies, 0.99);
  g_printerr ("ai bench: chat fan-out (%s): %u deliveries, p50 %.2f p90 %.2f p99 %.2f max %.2f ms\n",
              tag, f.latencies->len, cohort_bench_quantile (f.latencies, 0.5), cohort_bench_quantile (f.latencies, 0.9), p99,
              cohort_bench_quantile (f.latencies, 1.0));
  g_hash_table_unref (f.sent);
  g_array_unref (f.latencies);
  return p99;
}

/* --load: the fake upstream and N_AI_STUDENTS students. It stands in for
 * the school's AI service and a hundred other laptops, and takes commands
 * on stdin, one per line:
 *   "URL CODE"  join the class (idle), then print "joined N";
 *   "ask"       every student asks and keeps asking; print "streaming N"
 *               once the upstream streams to them all;
 *   "mark"      remember the number of tokens streamed so far;
 *   "count"     print "tokens T" with the tokens streamed since the mark.
 *
 * The students are bench WebSocket clients (bench/cohort-bench-ws.c), not
 * CohortSessions, and the process runs in the idle scheduling class: on
 * this two-core machine it shares the cores with the server and the
 * listeners, and a hundred sessions parsing 5,000 progress messages a
 * second took half a core that other laptops would spend, not the
 * server's. */
typedef struct
{
  CohortBenchWs ws;
  int           index;
  long          n_asks;
} Asker;

typedef struct
{
  CohortFakeLlm     *fake;
  GDataInputStream  *in;
  guint64            mark;
  CohortBenchWsLoop  loop;
  Asker              askers[N_AI_STUDENTS];
  guint              n_joined;
  gboolean           asking;
} Load;

static Load the_load;

static void
asker_ask (Asker *a)
{
  char frame[160];
  int n = snprintf (frame, sizeof frame,
                    "{\"type\":\"ai.ask\",\"id\":\"ask-%d-%ld\",\"body\":{\"text\":\"Count\"}}",
                    a->index, ++a->n_asks);

  cohort_bench_ws_send_text (&a->ws, frame, n);
}

static gboolean
ask_again (gpointer data)
{
  asker_ask (data);
  return G_SOURCE_REMOVE;
}

static void
on_load_message (CohortBenchWs *ws,
                 const char    *message,
                 size_t         length,
                 void          *user_data)
{
  Asker *a = user_data;
  gboolean ok = memmem (message, length, "\"type\":\"ok\"", 11) != NULL;
  gboolean error = !ok && memmem (message, length, "\"type\":\"error\"", 14) != NULL;

  if (!ok && !error)
    return;   /* progress and events */
  if (memmem (message, length, "\"re\":\"join\"", 11) != NULL)
    {
      if (error)
        cohort_bench_ws_fail ("asker %d could not join: %.*s", a->index, (int) length, message);
      if (++the_load.n_joined == N_AI_STUDENTS)
        {
          printf ("joined %u\n", the_load.n_joined);
          fflush (stdout);
        }
    }
  else if (the_load.asking && memmem (message, length, "\"re\":\"ask-", 10) != NULL)
    {
      /* The answer ended or was refused: ask again, as a student would
       * (after a pause when refused, so that a refusal cannot spin). */
      if (error)
        g_timeout_add (1000, ask_again, a);
      else
        asker_ask (a);
    }
}

static gboolean
on_load_sockets (int fd, GIOCondition condition, gpointer data)
{
  cohort_bench_ws_poll (&the_load.loop, 0);
  return G_SOURCE_CONTINUE;
}

static void
load_join (const char *url, const char *code)
{
  const char *colon = strrchr (url, ':');
  int port = colon ? atoi (colon + 1) : 0;

  if (port <= 0)
    g_error ("load: no port in %s", url);
  cohort_bench_ws_loop_init (&the_load.loop, port, on_load_message);
  g_unix_fd_add (the_load.loop.epfd, G_IO_IN, on_load_sockets, NULL);
  for (int i = 0; i < N_AI_STUDENTS; i++)
    {
      Asker *a = &the_load.askers[i];
      char frame[256];
      int n;

      cohort_bench_ws_open (&the_load.loop, &a->ws, i, a);
      a->index = i;
      n = snprintf (frame, sizeof frame,
                    "{\"type\":\"class.join\",\"id\":\"join\",\"body\":"
                    "{\"protocol\":2,\"code\":\"%s\",\"name\":\"Asker %d\"}}", code, i);
      cohort_bench_ws_send_text (&a->ws, frame, n);
    }
}

static void
load_ask (void)
{
  the_load.asking = TRUE;
  for (int i = 0; i < N_AI_STUDENTS; i++)
    asker_ask (&the_load.askers[i]);
  settle (5000);
  printf ("streaming %u\n", cohort_fake_llm_get_n_active (the_load.fake));
}

static void on_command (GObject *source, GAsyncResult *result, gpointer data);

static void
read_command (void)
{
  g_data_input_stream_read_line_async (the_load.in, G_PRIORITY_DEFAULT, NULL, on_command, NULL);
}

static void
on_command (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (the_load.in, result, NULL, NULL);
  char url[256], code[32];

  if (line == NULL)
    exit (0);
  if (g_str_equal (line, "ask"))
    load_ask ();
  else if (g_str_equal (line, "mark"))
    the_load.mark = cohort_fake_llm_get_n_tokens_sent (the_load.fake);
  else if (g_str_equal (line, "count"))
    printf ("tokens %" G_GUINT64_FORMAT "\n", cohort_fake_llm_get_n_tokens_sent (the_load.fake) - the_load.mark);
  else if (sscanf (line, "%255s %31s", url, code) == 2)
    load_join (url, code);
  fflush (stdout);
  read_command ();
}

static int
run_load (void)
{
  g_autoptr(GInputStream) in = g_unix_input_stream_new (0, FALSE);
  struct sched_param idle = { 0 };

  /* The other machines this process stands for would not take the
   * server's cores: it runs only when nothing else wants a CPU (the fake
   * upstream's thread, made below, inherits this). The tokens it streams
   * during the measurement are counted and printed, so a starved load would
   * show. */
  if (sched_setscheduler (0, SCHED_IDLE, &idle) != 0)
    g_printerr ("load: could not lower its scheduling class: %s\n", g_strerror (errno));
  the_load.fake = cohort_fake_llm_new ();
  the_load.in = g_data_input_stream_new (in);
  cohort_fake_llm_set_scenario (the_load.fake, COHORT_FAKE_LLM_TOKENS);
  cohort_fake_llm_set_interval (the_load.fake, TOKEN_MS);
  cohort_fake_llm_set_n_tokens (the_load.fake, 100000);
  cohort_fake_llm_set_stamp_tokens (the_load.fake, TRUE);
  printf ("%s\n", cohort_fake_llm_get_base_url (the_load.fake));
  fflush (stdout);

  read_command ();
  while (TRUE)
    g_main_context_iteration (NULL, TRUE);
  return 0;
}

/* Sends the load process a command and, when @reply_prefix is set, waits
 * for its line that starts with it (the sessions keep running meanwhile). */
static char *
load_command (GSubprocess      *load,
              GDataInputStream *load_out,
              const char       *command,
              const char       *reply_prefix)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *with_newline = g_strconcat (command, "\n", NULL);

  g_output_stream_write_all (g_subprocess_get_stdin_pipe (load), with_newline, strlen (with_newline),
                             NULL, NULL, &error);
  g_output_stream_flush (g_subprocess_get_stdin_pipe (load), NULL, NULL);
  g_assert_no_error (error);
  while (reply_prefix != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autofree char *line = NULL;

      g_data_input_stream_read_line_async (load_out, G_PRIORITY_DEFAULT, NULL, on_result, &result);
      WAIT_UNTIL (result != NULL, 120000);
      line = g_data_input_stream_read_line_finish_utf8 (load_out, result, NULL, &error);
      if (line == NULL)
        g_error ("the load process ended");
      if (g_str_has_prefix (line, reply_prefix))
        return g_strdup (line + strlen (reply_prefix));
    }
  return NULL;
}

int
main (int argc, char *argv[])
{
  double tok_p50 = -1, tok_p99 = -1, chat_base = -1, chat_ai = -1;
  g_autoptr(GSubprocess) load = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) load_out = NULL;
  g_autofree char *fake_url = NULL;
  g_autofree char *group = NULL;
  g_autofree char *streaming = NULL;
  g_autofree char *tokens = NULL;
  gint64 phase_start;
  double tokens_per_s;
  g_autoptr(CohortSession) probe_session = NULL;
  g_autoptr(CohortAiConversation) probe_conversation = NULL;
  Probe probe = { NULL, 0, NULL };
  g_autoptr(CohortAiTestServer) server = NULL;
  g_autoptr(GPtrArray) listeners = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CohortSession) teacher = NULL;
  g_autofree char *command = NULL;
  guint active = 0;

  g_setenv ("COHORT_AI_TEST_SERVER_QUIET", "1", TRUE);
  if (argc > 1 && g_str_equal (argv[1], "--load"))
    return run_load ();

  bench_tokens (&tok_p50, &tok_p99);

  load = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                           argv[0], "--load", NULL);
  g_assert_no_error (error);
  load_out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (load));
  fake_url = g_data_input_stream_read_line_utf8 (load_out, NULL, NULL, &error);
  g_assert_nonnull (fake_url);

  group = g_strdup_printf ("base-url=%s\nmodel=bench\nquestions-per-minute=600\ntotal-timeout=3600\n", fake_url);
  server = cohort_ai_test_server_start (group);
  teacher = join (cohort_ai_test_server_get_url (server), NULL, "Teacher");
  {
    g_autoptr(CohortAiConversation) tc = cohort_ai_conversation_new (teacher);
    g_autoptr(GAsyncResult) result = NULL;

    cohort_ai_conversation_set_policy_async (tc, "full", "", "", NULL, 0, NULL, on_result, &result);
    WAIT_UNTIL (result != NULL, 10000);
    if (!cohort_ai_conversation_set_policy_finish (tc, result, &error))
      g_error ("policy: %s", error->message);
  }
  for (guint i = 0; i < N_LISTENERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Listener %u", i);
      g_ptr_array_add (listeners, join (cohort_ai_test_server_get_url (server),
                                        cohort_session_get_class_code (teacher), name));
    }

  /* Both measurements see the same class: the teacher, the listeners and
   * the hundred students who will ask. Only the AI traffic differs. */
  command = g_strdup_printf ("%s %s", cohort_ai_test_server_get_url (server),
                             cohort_session_get_class_code (teacher));
  g_free (load_command (load, load_out, command, "joined "));
  probe_session = join (cohort_ai_test_server_get_url (server), cohort_session_get_class_code (teacher),
                        "Probe");
  probe_conversation = cohort_ai_conversation_new (probe_session);
  WAIT_UNTIL (cohort_ai_conversation_get_configured (probe_conversation), 10000);
  settle (2000);
  chat_base = bench_fanout (listeners, "base");
  g_printerr ("ai bench: tokens p50 %.2f p99 %.2f, chat without AI p99 %.2f\n", tok_p50, tok_p99, chat_base);

  streaming = load_command (load, load_out, "ask", "streaming ");
  active = (guint) g_ascii_strtoull (streaming, NULL, 10);
  settle (2000);

  cohort_ai_conversation_ask (probe_conversation, "Count");
  probe.answer = g_list_model_get_item (G_LIST_MODEL (probe_conversation), 1);
  g_signal_connect (probe.answer, "notify::text", G_CALLBACK (on_probe_text), &probe);
  settle (500);
  probe.ms = g_array_new (FALSE, FALSE, sizeof (double));

  load_command (load, load_out, "mark", NULL);
  phase_start = g_get_monotonic_time ();
  chat_ai = bench_fanout (listeners, "ai");
  g_signal_handlers_disconnect_by_data (probe.answer, &probe);
  if (probe.ms->len < 100)
    g_error ("the probe saw only %u tokens", probe.ms->len);
  g_clear_object (&probe.answer);
  tokens = load_command (load, load_out, "count", "tokens ");
  tokens_per_s = g_ascii_strtoull (tokens, NULL, 10) / ((g_get_monotonic_time () - phase_start) / 1e6);

  g_subprocess_force_exit (load);

  printf ("{\"token_to_pane_ms\": {\"p50\": %.2f, \"p99\": %.2f}, "
          "\"chat_fanout_p99_ms_without_ai\": %.2f, "
          "\"chat_fanout_p99_ms_during_ai\": %.2f, "
          "\"ai_streams_during_chat\": %u, \"ai_tokens_per_s_during_chat\": %.0f, "
          "\"token_to_pane_ms_during_ai\": {\"p50\": %.2f, \"p99\": %.2f}, "
          "\"class_size\": %u, \"chat_listeners\": %u, "
          "\"within_20_percent\": %s}\n",
          tok_p50, tok_p99, chat_base, chat_ai, active, tokens_per_s,
          cohort_bench_quantile (probe.ms, 0.50), cohort_bench_quantile (probe.ms, 0.99),
          2 + N_LISTENERS + N_AI_STUDENTS, N_LISTENERS,
          (chat_base > 0 && chat_ai > 0 && chat_ai <= chat_base * 1.2) ? "true" : "false");
  return 0;
}

/* cohort-quiz-load.c: the load generator of bench/quiz.sh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One teacher and N students (1,000 by default), each on its own
 * WebSocket, all in this one thread: the epoll client of
 * bench/cohort-bench-ws.c (batch frames, pings answered), which reads a
 * frame in a few µs, so that a fan-out to a thousand sockets is timed
 * when it arrives rather than when a busy main loop gets to it. Messages
 * are read by scanning for the few members needed, never parsed whole.
 * The teacher makes a class and a single-choice question; the students
 * join; then:
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
 *               result, in percent of one core; load_cpu_pct the same for
 *               this process.
 *
 * The students answer at evenly spread moments within --spread-ms (2 s)
 * of receiving the question. Before the launch the class must be quiet for
 * 1.5 s: other services answer a thousand newcomers with events of their
 * own (the groups service sends each their progress), which would
 * otherwise be measured as quiz latency. QUIZ_TRACE=1 prints the phases
 * on stderr. Prints one JSON object on stdout. A protocol error, a closed
 * connection or the --timeout ends it with a message and exit status 1.
 */

#define _GNU_SOURCE

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cohort-bench-ws.h"

/* Other features may still be busy with the newcomers (per-student
 * events of the groups service, say): launch once nothing arrived for
 * QUIET_MS, so that launch and results measure the quiz alone. */
#define QUIET_MS 1500
/* Handshakes in flight, so the server's accept queue never overflows. */
#define MAX_HANDSHAKES 64
/* Our own request ids, at most 64 printable characters. */
#define ID_BYTES 64

typedef struct _Load Load;

/* Connection 0 is the teacher's, connection i + 1 student i's. */
typedef struct
{
  CohortBenchWs ws;
  Load         *load;
  int64_t       participant_id;
  int           joined;
  int64_t       last_seq;
  uint64_t      launched_ns;
  uint64_t      answer_sent_ns;
  uint64_t      answer_ok_ns;
  uint64_t      seen_by_teacher_ns;
} Client;

typedef struct
{
  int64_t  participant_id;
  Client  *client;
} ByParticipant;

enum {
  PHASE_SETUP,
  PHASE_JOINING,
  PHASE_LAUNCHING,
  PHASE_ANSWERING,
  PHASE_DONE,
};

struct _Load
{
  int            n_students;
  int            spread_ms;
  int            server_pid;

  CohortBenchWsLoop loop;
  Client         teacher;
  Client        *students;
  /* Students by participant id, sorted once everyone joined. */
  ByParticipant *by_participant;

  char           code[16];
  int64_t        question_id;
  int64_t        run_id;
  /* Students whose connection has not been started yet. */
  int            next_to_connect;
  long           n_open_traced;
  int            synced;
  int            n_joined;
  int            n_launched;
  int            n_answer_ok;
  int            n_seen;
  int            n_answers_sent;
  /* The seq of the last participant.joined (the teacher sees them all):
   * the question waits until every connection got that far. Not the
   * highest seq in the join replies: that may be a private event (a
   * student's own groups progress), of which the other connections may
   * get nothing, not even a skip (docs/protocol.md, "prev"). */
  int            n_joined_events;
  int64_t        joined_seq;
  int            n_caught_up;
  /* The last message any client read, to launch into a quiet class. */
  uint64_t       last_message_ns;
  int            question_made;
  uint64_t       launch_sent_ns;
  uint64_t       last_answer_sent_ns;
  uint64_t       all_seen_ns;
  int64_t        cpu_ticks_at_launch;
  int64_t        cpu_ticks_at_end;
  int64_t        load_ticks_at_launch;
  int64_t        load_ticks_at_end;
  int            phase;
};

static int      tracing;
static uint64_t trace_start;

static void
trace (const char *what,
       long        n)
{
  uint64_t now;

  if (!tracing)
    return;
  now = cohort_bench_ws_now_ns ();
  if (trace_start == 0)
    trace_start = now;
  fprintf (stderr, "PHASE %8.3f %s %ld\n", (now - trace_start) / 1e9, what, n);
}

/* ---- just enough JSON: the server's messages, scanned in place ---- */

/* A JSON value's text, [p, end). */
typedef struct
{
  const char *p;
  const char *end;
} Json;

static const char *
skip_space (const char *p,
            const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

/* The end of the value that starts at @p, or NULL if it is cut short. */
static const char *
skip_value (const char *p,
            const char *end)
{
  int depth = 0;

  do
    {
      if (p >= end)
        return NULL;
      switch (*p)
        {
        case '"':
          for (p++; p < end && *p != '"'; p++)
            if (*p == '\\')
              p++;
          if (p >= end)
            return NULL;
          p++;
          break;
        case '{':
        case '[':
          depth++;
          p++;
          break;
        case '}':
        case ']':
          if (--depth < 0)
            return NULL;
          p++;
          break;
        default:
          /* A scalar, or the separators inside a container. */
          if (depth == 0)
            {
              while (p < end && *p != ',' && *p != '}' && *p != ']')
                p++;
              return p;
            }
          p++;
        }
    }
  while (depth > 0);
  return p;
}

static void
bad_message (const char *message,
             size_t      length)
{
  cohort_bench_ws_fail ("malformed message: %.*s", (int) (length < 300 ? length : 300), message);
}

/* The value of member @key of the object @object; 0 if it has none. */
static int
json_member (Json        object,
             const char *key,
             Json       *value)
{
  size_t key_len = strlen (key);
  const char *p = skip_space (object.p, object.end);

  if (p >= object.end || *p != '{')
    return 0;
  p = skip_space (p + 1, object.end);
  while (p < object.end && *p == '"')
    {
      const char *name = p + 1;
      const char *name_end = skip_value (p, object.end);

      if (name_end == NULL)
        return 0;
      p = skip_space (name_end, object.end);
      if (p >= object.end || *p != ':')
        return 0;
      p = skip_space (p + 1, object.end);
      value->p = p;
      value->end = skip_value (p, object.end);
      if (value->end == NULL)
        return 0;
      if ((size_t) (name_end - 1 - name) == key_len && memcmp (name, key, key_len) == 0)
        return 1;
      p = skip_space (value->end, object.end);
      if (p < object.end && *p == ',')
        p = skip_space (p + 1, object.end);
    }
  return 0;
}

static int
json_int (Json     value,
          int64_t *out)
{
  const char *p = value.p;
  int64_t n = 0;
  int negative = p < value.end && *p == '-';

  p += negative;
  if (p >= value.end)
    return 0;
  for (; p < value.end && *p >= '0' && *p <= '9'; p++)
    {
      if (n > (INT64_MAX - 9) / 10)
        return 0;
      n = n * 10 + (*p - '0');
    }
  if (skip_space (p, value.end) != value.end)
    return 0;
  *out = negative ? -n : n;
  return 1;
}

/* Whether @value is the string @s (written without escapes). */
static int
json_is (Json        value,
         const char *s)
{
  size_t len = strlen (s);

  return (size_t) (value.end - value.p) == len + 2 && value.p[0] == '"' &&
         memcmp (value.p + 1, s, len) == 0;
}

/* The elements of @array in turn: *@at starts at NULL. */
static int
json_next_element (Json         array,
                   const char **at,
                   Json        *element)
{
  const char *p = *at;

  if (p == NULL)
    {
      p = skip_space (array.p, array.end);
      if (p >= array.end || *p != '[')
        return 0;
      p++;
    }
  p = skip_space (p, array.end);
  if (p < array.end && *p == ',')
    p = skip_space (p + 1, array.end);
  if (p >= array.end || *p == ']')
    return 0;
  element->p = p;
  element->end = skip_value (p, array.end);
  if (element->end == NULL)
    return 0;
  *at = element->end;
  return 1;
}

/* The int at @path (member names, NULL-terminated) below @root. */
static int64_t
get_int (Json        root,
         const char *message,
         size_t      length,
         ...)
{
  va_list args;
  const char *key;
  Json value = root;
  int64_t n;

  va_start (args, length);
  while ((key = va_arg (args, const char *)) != NULL)
    if (!json_member (value, key, &value))
      bad_message (message, length);
  va_end (args);
  if (!json_int (value, &n))
    bad_message (message, length);
  return n;
}

/* Whether @re, a reply's "re", is the id of one of our @type requests. */
static int
reply_to (Json        re,
          const char *type)
{
  size_t len = strlen (type);

  return re.end - re.p > (ptrdiff_t) len + 2 && re.p[0] == '"' &&
         memcmp (re.p + 1, type, len) == 0 && re.p[len + 1] == '-';
}

/* ---- requests ---- */

static void
send_request (Client     *c,
              const char *type,
              const char *body_format,
              ...) __attribute__ ((format (printf, 3, 4)));

static void
send_request (Client     *c,
              const char *type,
              const char *body_format,
              ...)
{
  char body[512], text[1024];
  va_list args;
  int n;

  va_start (args, body_format);
  n = vsnprintf (body, sizeof body, body_format, args);
  va_end (args);
  if (n < 0 || (size_t) n >= sizeof body)
    cohort_bench_ws_fail ("a %s request too long", type);
  n = snprintf (text, sizeof text, "{\"type\":\"%s\",\"id\":\"%s-%d-%" PRIu64 "\",\"body\":%s}", type, type,
                c->ws.id, cohort_bench_ws_now_ns () / 1000, body);
  if (n < 0 || (size_t) n >= sizeof text)
    cohort_bench_ws_fail ("a %s request too long", type);
  cohort_bench_ws_send_text (&c->ws, text, n);
}

static int64_t
cpu_ticks (int pid)
{
  char path[64], buf[1024];
  unsigned long long utime, stime;
  const char *after;
  FILE *f;
  size_t n;

  if (pid <= 0)
    return -1;
  snprintf (path, sizeof path, "/proc/%d/stat", pid);
  if ((f = fopen (path, "r")) == NULL)
    return -1;
  n = fread (buf, 1, sizeof buf - 1, f);
  fclose (f);
  buf[n] = '\0';
  /* The command name may hold spaces; fields restart after ")". */
  after = strrchr (buf, ')');
  /* utime and stime are fields 14 and 15 of the file. */
  if (after == NULL ||
      sscanf (after + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
    return -1;
  return (int64_t) (utime + stime);
}

/* ---- phases ---- */

static void
maybe_join (Load *load)
{
  if (load->phase != PHASE_SETUP || !load->synced || load->loop.n_open < load->n_students + 1)
    return;

  load->phase = PHASE_JOINING;
  for (int i = 0; i < load->n_students; i++)
    send_request (&load->students[i], "class.join",
                  "{\"protocol\":2,\"code\":\"%s\",\"name\":\"Student %04d\"}", load->code, i + 1);
}

/* Made once everyone is in: the first change after the joins, which other
 * services react to (groups sends every newcomer their progress), so that
 * this settles before the launch. */
static void
create_question (Load *load)
{
  trace ("caught up", load->n_caught_up);
  send_request (&load->teacher, "quiz.question.create",
                "{\"question\":{\"type\":\"single\",\"prompt\":\"Which planet is closest to the Sun?\","
                "\"choices\":[\"Venus\",\"Mercury\",\"Mars\"],\"correct\":[1]}}");
}

/* Counts the connections that have seen every join, once all have joined
 * and the teacher saw the last participant.joined. */
static void
count_caught_up (Load *load)
{
  if (load->n_joined < load->n_students || load->n_joined_events < load->n_students)
    return;

  load->n_caught_up = 1;   /* the teacher, who saw it */
  for (int i = 0; i < load->n_students; i++)
    if (load->students[i].last_seq >= load->joined_seq)
      load->n_caught_up++;
  if (load->n_caught_up == load->n_students + 1)
    create_question (load);
}

static void
note_seq (Client *c,
          int64_t seq)
{
  Load *load = c->load;
  int64_t before = c->last_seq;

  if (seq <= before)
    return;
  c->last_seq = seq;
  /* Once counting started, each student counts as it gets there. */
  if (load->n_caught_up > 0 && c != &load->teacher && before < load->joined_seq && seq >= load->joined_seq &&
      ++load->n_caught_up == load->n_students + 1)
    create_question (load);
}

static int
compare_participant (const void *a,
                     const void *b)
{
  int64_t x = ((const ByParticipant *) a)->participant_id;
  int64_t y = ((const ByParticipant *) b)->participant_id;

  return x < y ? -1 : x > y;
}

static Client *
lookup_participant (Load    *load,
                    int64_t  participant_id)
{
  ByParticipant key = { participant_id, NULL };
  ByParticipant *found = bsearch (&key, load->by_participant, load->n_students, sizeof key,
                                  compare_participant);

  return found != NULL ? found->client : NULL;
}

static void
start_launch (Load *load)
{
  load->phase = PHASE_LAUNCHING;
  trace ("launch", 0);

  /* Everyone has seen every join: launch measures the launch alone. */
  load->cpu_ticks_at_launch = cpu_ticks (load->server_pid);
  load->load_ticks_at_launch = cpu_ticks (getpid ());
  load->launch_sent_ns = cohort_bench_ws_now_ns ();
  send_request (&load->teacher, "quiz.launch", "{\"question_ids\":[%" PRId64 "],\"time_limit\":60}",
                load->question_id);
}

/* Answers at evenly spread moments, counted from each student's launch. */
static void
send_due_answers (Load     *load,
                  uint64_t *next_due_ns)
{
  while (load->n_answers_sent < load->n_students)
    {
      Client *c = &load->students[load->n_answers_sent];
      uint64_t due = c->launched_ns + (uint64_t) load->spread_ms * 1000000 * load->n_answers_sent /
                                      load->n_students;
      uint64_t now = cohort_bench_ws_now_ns ();

      if (due > now)
        {
          *next_due_ns = due;
          return;
        }
      c->answer_sent_ns = now;
      load->last_answer_sent_ns = now;
      send_request (c, "quiz.answer", "{\"run_id\":%" PRId64 ",\"answer\":%d}", load->run_id,
                    (c->ws.id - 1) % 3);
      load->n_answers_sent++;
      if (load->n_answers_sent % 100 == 0)
        trace ("sent", load->n_answers_sent);
    }
  *next_due_ns = 0;
}

/* Answers start once every student has the question and the teacher the
 * run's id (its reply comes before the event, but on another socket). */
static void
maybe_answer (Load *load)
{
  if (load->phase == PHASE_LAUNCHING && load->n_launched == load->n_students && load->run_id != 0)
    load->phase = PHASE_ANSWERING;
}

static void
on_results (Load       *load,
            Json        body,
            const char *message,
            size_t      length,
            uint64_t    now)
{
  Json answers, answer;
  const char *at = NULL;

  if (!json_member (body, "answers", &answers))
    bad_message (message, length);
  while (json_next_element (answers, &at, &answer))
    {
      Client *s = lookup_participant (load, get_int (answer, message, length, "participant_id", NULL));

      if (s != NULL && s->seen_by_teacher_ns == 0)
        {
          s->seen_by_teacher_ns = now;
          load->n_seen++;
        }
    }
  if (get_int (body, message, length, "answered", NULL) == load->n_students && load->all_seen_ns == 0)
    {
      load->all_seen_ns = now;
      load->cpu_ticks_at_end = cpu_ticks (load->server_pid);
      load->load_ticks_at_end = cpu_ticks (getpid ());
      load->phase = PHASE_DONE;
    }
}

static void
on_teacher_message (Client     *c,
                    Json        root,
                    Json        type,
                    const char *message,
                    size_t      length,
                    uint64_t    now)
{
  Load *load = c->load;
  Json body, re, event;
  int has_body = json_member (root, "body", &body);

  if (json_is (type, "event"))
    {
      if (!json_member (root, "event", &event))
        bad_message (message, length);
      note_seq (c, get_int (root, message, length, "seq", NULL));
      if (load->phase == PHASE_JOINING && json_is (event, "participant.joined") &&
          ++load->n_joined_events == load->n_students)
        {
          load->joined_seq = c->last_seq;
          count_caught_up (load);
        }
      else if (json_is (event, "quiz.progress") && load->phase == PHASE_ANSWERING && has_body)
        on_results (load, body, message, length, now);
      return;
    }

  if (json_is (type, "error"))
    cohort_bench_ws_fail ("the teacher's request failed: %.*s", (int) (length < 300 ? length : 300), message);

  if (json_is (type, "progress"))
    {
      if (!has_body)
        bad_message (message, length);
      if (load->phase == PHASE_ANSWERING)
        on_results (load, body, message, length, now);
      return;
    }

  if (!json_is (type, "ok"))
    return;
  if (!json_member (root, "re", &re) || !has_body)
    bad_message (message, length);

  if (load->phase == PHASE_SETUP && reply_to (re, "class.create"))
    {
      Json code;

      /* Pasted into every join, so only the code alphabet's letters. */
      if (!json_member (body, "class", &code) || !json_member (code, "code", &code) ||
          code.end - code.p < 3 || code.p[0] != '"' || (size_t) (code.end - code.p - 2) >= sizeof load->code ||
          strspn (code.p + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != (size_t) (code.end - code.p - 2))
        bad_message (message, length);
      memcpy (load->code, code.p + 1, code.end - code.p - 2);
      load->code[code.end - code.p - 2] = '\0';
      /* Live results come as progress to this request. */
      send_request (c, "quiz.sync", "{}");
    }
  else if (load->phase == PHASE_SETUP && reply_to (re, "quiz.sync"))
    {
      load->synced = 1;
      maybe_join (load);
    }
  else if (load->phase == PHASE_JOINING && reply_to (re, "quiz.question.create"))
    {
      load->question_id = get_int (body, message, length, "question", "id", NULL);
      load->question_made = 1;
      trace ("question made", 0);
    }
  else if (load->phase >= PHASE_LAUNCHING && reply_to (re, "quiz.launch"))
    {
      load->run_id = get_int (body, message, length, "run", "run_id", NULL);
      trace ("launch ok", 0);
      maybe_answer (load);
    }
}

static void
on_student_message (Client     *c,
                    Json        root,
                    Json        type,
                    const char *message,
                    size_t      length,
                    uint64_t    now)
{
  Load *load = c->load;
  Json event;

  if (json_is (type, "error") || (!c->joined && !json_is (type, "ok")))
    cohort_bench_ws_fail ("student %d's request failed: %.*s", c->ws.id - 1,
                          (int) (length < 300 ? length : 300), message);

  if (!c->joined)
    {
      c->participant_id = get_int (root, message, length, "body", "you", "id", NULL);
      c->last_seq = get_int (root, message, length, "body", "seq", NULL);
      c->joined = 1;
      load->by_participant[load->n_joined].participant_id = c->participant_id;
      load->by_participant[load->n_joined].client = c;
      if (++load->n_joined % 250 == 0)
        trace ("joined", load->n_joined);
      if (load->n_joined == load->n_students)
        {
          qsort (load->by_participant, load->n_students, sizeof *load->by_participant, compare_participant);
          count_caught_up (load);
        }
      return;
    }

  if (json_is (type, "event"))
    {
      if (load->phase == PHASE_JOINING)
        note_seq (c, get_int (root, message, length, "seq", NULL));
      else if (json_member (root, "event", &event) && json_is (event, "quiz.launched") &&
               c->launched_ns == 0)
        {
          c->launched_ns = now;
          if (++load->n_launched == 1 || load->n_launched == load->n_students)
            trace ("launched", load->n_launched);
          maybe_answer (load);
        }
      return;
    }

  if (json_is (type, "ok") && c->answer_sent_ns != 0 && c->answer_ok_ns == 0)
    {
      c->answer_ok_ns = now;
      load->n_answer_ok++;
      if (load->n_answer_ok % 100 == 0)
        trace ("acked", load->n_answer_ok);
    }
}

static void
on_message (CohortBenchWs *ws,
            const char    *message,
            size_t         length,
            void          *user_data)
{
  Client *c = user_data;
  Json root = { message, message + length };
  Json type;
  uint64_t now = cohort_bench_ws_now_ns ();

  c->load->last_message_ns = now;
  if (!json_member (root, "type", &type))
    bad_message (message, length);
  if (c == &c->load->teacher)
    on_teacher_message (c, root, type, message, length, now);
  else
    on_student_message (c, root, type, message, length, now);
}

/* ---- main ---- */

static int
compare_u64 (const void *a,
             const void *b)
{
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;

  return x < y ? -1 : x > y;
}

/* In ms, of @n durations in ns, sorted. */
static double
percentile (const uint64_t *sorted_ns,
            size_t          n,
            double          p)
{
  size_t index;

  if (n == 0)
    return -1;
  index = p / 100.0 * n < n - 1 ? (size_t) (p / 100.0 * n) : n - 1;
  return sorted_ns[index] / 1e6;
}

static int
parse_int_option (const char *name,
                  const char *value,
                  int        *out)
{
  char *end;
  long n = strtol (value, &end, 10);

  if (*value == '\0' || *end != '\0' || n < 0 || n > 10000000)
    {
      fprintf (stderr, "cohort-quiz-load: %s needs a number, not “%s”\n", name, value);
      return 0;
    }
  *out = (int) n;
  return 1;
}

/* ws://127.0.0.1:PORT/ws, as cohort-server prints it: loopback only. */
static int
parse_url (const char *url)
{
  const char *p;
  char *end;
  long port;

  if (strncmp (url, "ws://127.0.0.1:", 15) == 0)
    p = url + 15;
  else if (strncmp (url, "ws://localhost:", 15) == 0)
    p = url + 15;
  else
    return -1;
  port = strtol (p, &end, 10);
  if (end == p || port < 1 || port > 65535 || strncmp (end, "/ws", 3) != 0 ||
      (end[3] != '\0' && end[3] != '?'))
    return -1;
  return (int) port;
}

static void
usage (const char *argv0)
{
  fprintf (stderr,
           "usage: %s --url ws://127.0.0.1:PORT/ws [--students N (1000)] [--spread-ms MS (2000)]\n"
           "       [--server-pid PID] [--timeout S (300)]\n", argv0);
}

int
main (int   argc,
      char *argv[])
{
  static Load load;
  const char *url = NULL;
  int n_students = 1000, spread_ms = 2000, timeout_s = 300, port;
  uint64_t deadline, *launch, *results, *acks;
  size_t n_results = 0, n_acks = 0;
  long hz = sysconf (_SC_CLK_TCK);
  double wall_s, cpu_pct, load_pct;

  /* --name VALUE or --name=VALUE, as GOption took them before. */
  for (int i = 1; i < argc; i++)
    {
      static const char *names[] = { "--url", "--students", "--spread-ms", "--server-pid", "--timeout" };
      const char *value = NULL;
      size_t k;

      if (strcmp (argv[i], "--help") == 0 || strcmp (argv[i], "-h") == 0)
        {
          usage (argv[0]);
          return 0;
        }
      for (k = 0; k < sizeof names / sizeof *names; k++)
        {
          size_t len = strlen (names[k]);

          if (strncmp (argv[i], names[k], len) != 0)
            continue;
          if (argv[i][len] == '=')
            value = argv[i] + len + 1;
          else if (argv[i][len] == '\0' && i + 1 < argc)
            value = argv[++i];
          else
            continue;
          break;
        }
      if (value == NULL)
        {
          usage (argv[0]);
          return 2;
        }
      switch (k)
        {
        case 0:
          url = value;
          break;
        case 1:
          if (!parse_int_option (names[k], value, &n_students))
            return 2;
          break;
        case 2:
          if (!parse_int_option (names[k], value, &spread_ms))
            return 2;
          break;
        case 3:
          if (!parse_int_option (names[k], value, &load.server_pid))
            return 2;
          break;
        default:
          if (!parse_int_option (names[k], value, &timeout_s))
            return 2;
        }
    }
  if (url == NULL)
    {
      fprintf (stderr, "cohort-quiz-load: --url is required\n");
      return 2;
    }
  if ((port = parse_url (url)) < 0)
    {
      fprintf (stderr, "cohort-quiz-load: --url must be ws://127.0.0.1:PORT/ws, not “%s”\n", url);
      return 2;
    }
  if (n_students < 1 || n_students > 20000 || spread_ms > 600000 || timeout_s < 1)
    {
      fprintf (stderr, "cohort-quiz-load: arguments out of range\n");
      return 2;
    }

  tracing = getenv ("QUIZ_TRACE") != NULL;
  srand (42);
  load.n_students = n_students;
  load.spread_ms = spread_ms;
  load.students = calloc (n_students, sizeof *load.students);
  load.by_participant = calloc (n_students, sizeof *load.by_participant);
  if (load.students == NULL || load.by_participant == NULL)
    cohort_bench_ws_fail ("out of memory");
  cohort_bench_ws_loop_init (&load.loop, port, on_message);
  deadline = cohort_bench_ws_now_ns () + (uint64_t) timeout_s * 1000000000ull;

  load.teacher.load = &load;
  cohort_bench_ws_open (&load.loop, &load.teacher.ws, 0, &load.teacher);
  /* As staff, and without a waiting room: students come straight in. */
  send_request (&load.teacher, "class.create",
                "{\"protocol\":2,\"title\":\"Benchmark\",\"name\":\"Teacher\","
                "\"staff_credential\":\"%s\",\"waiting_room\":false}",
                cohort_bench_staff_credential ());

  while (load.phase != PHASE_DONE)
    {
      uint64_t now = cohort_bench_ws_now_ns ();
      uint64_t wake = now + 100000000ull;

      if (now > deadline)
        cohort_bench_ws_fail ("timed out in phase %d (%ld connected, %d joined, %d launched, %d answered, %d seen)",
                              load.phase, load.loop.n_open, load.n_joined, load.n_launched, load.n_answer_ok,
                              load.n_seen);

      while (load.next_to_connect < load.n_students &&
             1 + load.next_to_connect - load.loop.n_open < MAX_HANDSHAKES)
        {
          Client *c = &load.students[load.next_to_connect];

          c->load = &load;
          load.next_to_connect++;
          cohort_bench_ws_open (&load.loop, &c->ws, load.next_to_connect, c);
        }
      for (; load.n_open_traced + 250 <= load.loop.n_open; load.n_open_traced += 250)
        trace ("connected", load.n_open_traced + 250);
      maybe_join (&load);

      if (load.phase == PHASE_JOINING && load.question_made)
        {
          if (now - load.last_message_ns >= QUIET_MS * 1000000ull)
            start_launch (&load);
          else
            wake = load.last_message_ns + QUIET_MS * 1000000ull;
        }
      if (load.phase == PHASE_ANSWERING)
        {
          uint64_t due;

          send_due_answers (&load, &due);
          if (due != 0 && due < wake)
            wake = due;
        }

      now = cohort_bench_ws_now_ns ();
      cohort_bench_ws_poll (&load.loop, wake > now ? (int) ((wake - now + 999999) / 1000000) : 0);
    }

  launch = calloc (n_students, sizeof *launch);
  results = calloc (n_students, sizeof *results);
  acks = calloc (n_students, sizeof *acks);
  if (launch == NULL || results == NULL || acks == NULL)
    cohort_bench_ws_fail ("out of memory");
  for (int i = 0; i < n_students; i++)
    {
      Client *c = &load.students[i];

      launch[i] = c->launched_ns - load.launch_sent_ns;
      if (c->seen_by_teacher_ns != 0)
        results[n_results++] = c->seen_by_teacher_ns - c->answer_sent_ns;
      if (c->answer_ok_ns != 0)
        acks[n_acks++] = c->answer_ok_ns - c->answer_sent_ns;
    }
  qsort (launch, n_students, sizeof *launch, compare_u64);
  qsort (results, n_results, sizeof *results, compare_u64);
  qsort (acks, n_acks, sizeof *acks, compare_u64);

  wall_s = (load.all_seen_ns - load.launch_sent_ns) / 1e9;
  cpu_pct = load.cpu_ticks_at_launch >= 0 && load.cpu_ticks_at_end >= 0 && wall_s > 0
            ? 100.0 * (load.cpu_ticks_at_end - load.cpu_ticks_at_launch) / (double) hz / wall_s : -1;
  load_pct = load.load_ticks_at_launch >= 0 && load.load_ticks_at_end >= 0 && wall_s > 0
             ? 100.0 * (load.load_ticks_at_end - load.load_ticks_at_launch) / (double) hz / wall_s : -1;

  printf ("{\"students\": %d, \"spread_ms\": %d, "
          "\"launch_ms\": {\"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f}, "
          "\"results_ms\": {\"p50\": %.1f, \"p99\": %.1f, \"max\": %.1f}, "
          "\"answer_ack_ms\": {\"p50\": %.1f, \"p99\": %.1f}, "
          "\"results_last_ms\": %.1f, \"answers_ok\": %d, \"wall_s\": %.2f, "
          "\"server_cpu_pct\": %.1f, \"load_cpu_pct\": %.1f}\n",
          n_students, spread_ms,
          percentile (launch, n_students, 50), percentile (launch, n_students, 99),
          percentile (launch, n_students, 100),
          percentile (results, n_results, 50), percentile (results, n_results, 99),
          percentile (results, n_results, 100),
          percentile (acks, n_acks, 50), percentile (acks, n_acks, 99),
          (load.all_seen_ns - load.last_answer_sent_ns) / 1e6, load.n_answer_ok, wall_s, cpu_pct, load_pct);
  return 0;
}

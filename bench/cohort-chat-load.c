/* cohort-chat-load.c: a chat load generator for bench/chat.sh
 *
 * Opens real WebSocket connections to a cohort-server on this machine (one
 * teacher who creates the class, N students who join it), then sends chat
 * messages at a fixed rate from the students in turn and measures, for
 * every message, the time from send to receipt at every other client.
 * Single-threaded, epoll, the minimal RFC 6455 client of
 * bench/cohort-bench-ws.c (masked frames out, batch frames read, pings
 * answered), so that measuring costs a few µs per frame. Loopback only;
 * bounded in count and time.
 *
 * Prints one JSON object: clients, fanout_ms {p50, p99, max}, server_cpu_pct,
 * server_rss_mb, and the counts behind them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cohort-bench-ws.h"

typedef struct
{
  CohortBenchWs ws;           /* its id: 0 for the teacher, 1… for the students */
  int           joined;
} Conn;

static CohortBenchWsLoop loop;
static Conn     *conns;
static int       n_conns;
static char      class_code[16];
static uint32_t *samples;
static size_t    n_samples, cap_samples;
static long      n_acked, n_refused, n_sent;
static long      n_joined;

static void
send_text (Conn       *c,
           const char *text)
{
  cohort_bench_ws_send_text (&c->ws, text, strlen (text));
}

static void
add_sample (uint64_t ns)
{
  if (n_samples == cap_samples)
    {
      cap_samples = cap_samples ? cap_samples * 2 : 1 << 20;
      samples = realloc (samples, cap_samples * sizeof *samples);
    }
  samples[n_samples++] = (uint32_t) (ns / 1000);   /* µs */
}

/* Finds "key":"value" in @json and copies the value. */
static int
get_string (const char *json,
            size_t      len,
            const char *key,
            char       *out,
            size_t      out_len)
{
  char pattern[64];
  const char *p, *end;

  snprintf (pattern, sizeof pattern, "\"%s\":\"", key);
  p = memmem (json, len, pattern, strlen (pattern));
  if (p == NULL)
    return 0;
  p += strlen (pattern);
  end = memchr (p, '"', json + len - p);
  if (end == NULL || (size_t) (end - p) >= out_len)
    return 0;
  memcpy (out, p, end - p);
  out[end - p] = '\0';
  return 1;
}

static void
handle_text (CohortBenchWs *ws,
             const char    *msg,
             size_t         len,
             void          *user_data)
{
  Conn *c = user_data;
  const char *p;

  if (memmem (msg, len, "\"type\":\"event\"", 14) != NULL)
    {
      /* Chat messages from the bench carry their send time in the text. */
      if (memmem (msg, len, "\"event\":\"chat.message\"", 22) != NULL &&
          (p = memmem (msg, len, "\"text\":\"bench ", 14)) != NULL)
        {
          /* Parsed by hand within the frame: sscanf would first run
           * strlen over the rest of the receive buffer (not NUL-terminated
           * here), which cost this generator more than all its I/O. */
          const char *end = msg + len;
          long sender = 0;
          unsigned long long sent = 0;
          int ok = 0;

          for (p += 14; p < end && *p >= '0' && *p <= '9'; p++, ok = 1)
            sender = sender * 10 + (*p - '0');
          if (ok && p < end && *p == ' ')
            {
              ok = 0;
              for (p++; p < end && *p >= '0' && *p <= '9'; p++, ok = 1)
                sent = sent * 10 + (unsigned long long) (*p - '0');
            }
          else
            ok = 0;
          if (ok && sender != ws->id)
            add_sample (cohort_bench_ws_now_ns () - sent);
        }
      return;
    }

  if (memmem (msg, len, "\"type\":\"ok\"", 11) != NULL)
    {
      if (memmem (msg, len, "\"re\":\"create\"", 13) != NULL)
        {
          if (!get_string (msg, len, "code", class_code, sizeof class_code))
            {
              fprintf (stderr, "cohort-chat-load: no class code in %.*s\n", (int) len, msg);
              exit (1);
            }
          c->joined = 1;
        }
      else if (memmem (msg, len, "\"re\":\"join\"", 11) != NULL)
        {
          c->joined = 1;
          n_joined++;
        }
      else if (memmem (msg, len, "\"re\":\"m", 7) != NULL)
        n_acked++;
      return;
    }

  if (memmem (msg, len, "\"type\":\"error\"", 14) != NULL)
    {
      if (memmem (msg, len, "\"re\":\"m", 7) != NULL)
        {
          if (n_refused++ < 3)
            fprintf (stderr, "cohort-chat-load: refused: %.*s\n", (int) (len < 300 ? len : 300), msg);
        }
      else
        {
          fprintf (stderr, "cohort-chat-load: error reply: %.*s\n", (int) (len < 300 ? len : 300), msg);
        }
    }
}

static uint64_t
server_cpu_ticks (int pid)
{
  char path[64], buf[1024];
  FILE *f;
  unsigned long long utime = 0, stime = 0;
  char *p;

  snprintf (path, sizeof path, "/proc/%d/stat", pid);
  if ((f = fopen (path, "r")) == NULL)
    return 0;
  if (fgets (buf, sizeof buf, f) == NULL)
    buf[0] = '\0';
  fclose (f);
  p = strrchr (buf, ')');
  if (p == NULL)
    return 0;
  /* fields after ")": state(3) ... utime(14) stime(15) */
  sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime);
  return utime + stime;
}

static long
server_rss_kb (int pid)
{
  char path[64], line[256];
  FILE *f;
  long kb = 0;

  snprintf (path, sizeof path, "/proc/%d/status", pid);
  if ((f = fopen (path, "r")) == NULL)
    return 0;
  while (fgets (line, sizeof line, f) != NULL)
    if (strncmp (line, "VmRSS:", 6) == 0)
      sscanf (line + 6, "%ld", &kb);
  fclose (f);
  return kb;
}

static int
compare_u32 (const void *a,
             const void *b)
{
  uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

  return x < y ? -1 : x > y;
}

static void
wait_until (int (*cond) (void),
            int   timeout_s,
            const char *what)
{
  uint64_t deadline = cohort_bench_ws_now_ns () + (uint64_t) timeout_s * 1000000000ull;

  while (!cond ())
    {
      if (cohort_bench_ws_now_ns () > deadline)
        {
          fprintf (stderr, "cohort-chat-load: timed out waiting for %s\n", what);
          exit (1);
        }
      cohort_bench_ws_poll (&loop, 50);
    }
}

static int teacher_ready (void) { return conns[0].joined; }
static int want_joined;
static int joined_enough (void) { return n_joined >= want_joined; }

int
main (int   argc,
      char *argv[])
{
  int port = 0, clients = 1000, rate = 200, seconds = 10, server_pid = 0;
  uint64_t cpu_before, cpu_after, t_before, t_after, send_start, next_report;
  long rss_max = 0;
  long ticks_per_s = sysconf (_SC_CLK_TCK);
  int sender = 0;
  struct rusage ru_before, ru_after;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--port") == 0 && i + 1 < argc)
        port = atoi (argv[++i]);
      else if (strcmp (argv[i], "--clients") == 0 && i + 1 < argc)
        clients = atoi (argv[++i]);
      else if (strcmp (argv[i], "--rate") == 0 && i + 1 < argc)
        rate = atoi (argv[++i]);
      else if (strcmp (argv[i], "--seconds") == 0 && i + 1 < argc)
        seconds = atoi (argv[++i]);
      else if (strcmp (argv[i], "--server-pid") == 0 && i + 1 < argc)
        server_pid = atoi (argv[++i]);
      else
        {
          fprintf (stderr, "usage: %s --port P [--clients N] [--rate R] [--seconds S] [--server-pid PID]\n",
                   argv[0]);
          return 2;
        }
    }
  if (port <= 0 || clients < 2 || clients > 20000 || rate < 1 || rate > 5000 ||
      seconds < 1 || seconds > 120)
    {
      fprintf (stderr, "cohort-chat-load: arguments out of range\n");
      return 2;
    }

  srand (42);
  cohort_bench_ws_loop_init (&loop, port, handle_text);
  n_conns = clients + 1;
  conns = calloc (n_conns, sizeof *conns);

  /* The teacher creates the class. */
  cohort_bench_ws_open (&loop, &conns[0].ws, 0, &conns[0]);
  {
    char create[512];

    /* As staff, and without a waiting room: students come straight in. */
    snprintf (create, sizeof create,
              "{\"type\":\"class.create\",\"id\":\"create\",\"body\":"
              "{\"protocol\":2,\"title\":\"Bench\",\"name\":\"Teacher\","
              "\"staff_credential\":\"%s\",\"waiting_room\":false}}",
              cohort_bench_staff_credential ());
    send_text (&conns[0], create);
  }
  wait_until (teacher_ready, 30, "the class");

  /* Students join, a batch at a time. */
  for (int first = 1; first < n_conns; first += 50)
    {
      int last = first + 50 < n_conns ? first + 50 : n_conns;

      for (int i = first; i < last; i++)
        {
          char join[256];

          cohort_bench_ws_open (&loop, &conns[i].ws, i, &conns[i]);
          snprintf (join, sizeof join,
                    "{\"type\":\"class.join\",\"id\":\"join\",\"body\":"
                    "{\"protocol\":2,\"code\":\"%s\",\"name\":\"Student %d\"}}", class_code, i);
          send_text (&conns[i], join);
        }
      want_joined = last - 1;
      wait_until (joined_enough, 120, "students to join");
    }

  /* Let the join events settle: 1,000 joins make half a million
   * participant.joined frames, which must not be measured as chat. Wait
   * until nothing has arrived for 500 ms (at most 60 s). */
  for (uint64_t until = cohort_bench_ws_now_ns () + 60000000000ull; cohort_bench_ws_now_ns () < until;)
    {
      cohort_bench_ws_poll (&loop, 50);
      if (cohort_bench_ws_now_ns () - loop.last_rx_ns > 500000000ull)
        break;
    }
  n_samples = 0;

  cpu_before = server_pid ? server_cpu_ticks (server_pid) : 0;
  getrusage (RUSAGE_SELF, &ru_before);
  t_before = cohort_bench_ws_now_ns ();
  send_start = cohort_bench_ws_now_ns ();
  next_report = send_start;

  /* Chat at @rate messages per second, from the students in turn. */
  while (cohort_bench_ws_now_ns () - send_start < (uint64_t) seconds * 1000000000ull)
    {
      uint64_t elapsed = cohort_bench_ws_now_ns () - send_start;
      long due = (long) (elapsed * (double) rate / 1e9) + 1;

      while (n_sent < due)
        {
          char frame[256];
          Conn *c = &conns[1 + sender];

          sender = (sender + 1) % clients;
          snprintf (frame, sizeof frame,
                    "{\"type\":\"chat.send\",\"id\":\"m%ld\",\"body\":{\"text\":\"bench %d %llu\"}}",
                    n_sent, c->ws.id, (unsigned long long) cohort_bench_ws_now_ns ());
          send_text (c, frame);
          n_sent++;
        }

      if (server_pid && cohort_bench_ws_now_ns () >= next_report)
        {
          long rss = server_rss_kb (server_pid);

          if (rss > rss_max)
            rss_max = rss;
          next_report += 250000000ull;
        }
      cohort_bench_ws_poll (&loop, 1);
    }

  cpu_after = server_pid ? server_cpu_ticks (server_pid) : 0;
  getrusage (RUSAGE_SELF, &ru_after);
  t_after = cohort_bench_ws_now_ns ();

  /* Drain: every message should reach every other client. */
  {
    uint64_t until = cohort_bench_ws_now_ns () + 5000000000ull;
    size_t expected = (size_t) n_sent * (size_t) clients;

    while (cohort_bench_ws_now_ns () < until && (n_samples < expected || n_acked + n_refused < n_sent))
      cohort_bench_ws_poll (&loop, 20);
  }
  if (server_pid)
    {
      long rss = server_rss_kb (server_pid);

      if (rss > rss_max)
        rss_max = rss;
    }

  qsort (samples, n_samples, sizeof *samples, compare_u32);
  {
    double p50 = n_samples ? samples[n_samples / 2] / 1000.0 : -1;
    double p99 = n_samples ? samples[(size_t) (n_samples * 0.99)] / 1000.0 : -1;
    double max = n_samples ? samples[n_samples - 1] / 1000.0 : -1;
    double cpu_pct = server_pid ? 100.0 * (double) (cpu_after - cpu_before) / ticks_per_s /
                                  ((t_after - t_before) / 1e9) : -1;
    size_t expected = (size_t) n_sent * (size_t) clients;
    double load_s = (ru_after.ru_utime.tv_sec - ru_before.ru_utime.tv_sec) +
                    (ru_after.ru_stime.tv_sec - ru_before.ru_stime.tv_sec) +
                    ((ru_after.ru_utime.tv_usec - ru_before.ru_utime.tv_usec) +
                     (ru_after.ru_stime.tv_usec - ru_before.ru_stime.tv_usec)) / 1e6;
    double loadgen_pct = 100.0 * load_s / ((t_after - t_before) / 1e9);
    double loadavg[1] = { -1 };

    getloadavg (loadavg, 1);
    printf ("{\"clients\": %d, \"fanout_ms\": {\"p50\": %.2f, \"p99\": %.2f, \"max\": %.2f}, "
            "\"server_cpu_pct\": %.1f, \"server_rss_mb\": %.1f, \"rate_per_s\": %d, "
            "\"seconds\": %d, \"messages_sent\": %ld, \"messages_stored\": %ld, "
            "\"messages_refused\": %ld, \"deliveries\": %zu, \"deliveries_expected\": %zu, "
            "\"loadgen_cpu_pct\": %.1f, \"machine_load_1min\": %.2f}\n",
            clients, p50, p99, max, cpu_pct, rss_max / 1024.0, rate, seconds, n_sent, n_acked,
            n_refused, n_samples, expected, loadgen_pct, loadavg[0]);
  }

  for (int i = 0; i < n_conns; i++)
    cohort_bench_ws_close (&conns[i].ws);
  return 0;
}

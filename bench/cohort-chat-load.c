/* cohort-chat-load.c: a chat load generator for bench/chat.sh
 *
 * Opens real WebSocket connections to a cohort-server on this machine (one
 * teacher who creates the class, N students who join it), then sends chat
 * messages at a fixed rate from the students in turn and measures, for
 * every message, the time from send to receipt at every other client.
 * Single-threaded, epoll, a minimal RFC 6455 client (masked frames out,
 * pings answered). Loopback only; bounded in count and time.
 *
 * Prints one JSON object: clients, fanout_ms {p50, p99, max}, server_cpu_pct,
 * server_rss_mb, and the counts behind them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct
{
  int       fd;
  int       index;            /* 0: the teacher */
  int       handshaken;
  int       joined;
  char     *in;
  size_t    in_len;
  size_t    in_cap;
  char     *out;
  size_t    out_len;
  size_t    out_cap;
  int       want_write;
} Conn;

static Conn     *conns;
static int       n_conns;
static int       epfd;
static int       port = 0;
static char      class_code[16];
static uint32_t *samples;
static size_t    n_samples, cap_samples;
static long      n_acked, n_refused, n_sent;
static long      n_joined;
static uint64_t  run_start_ns;
static uint64_t  last_rx_ns;

static uint64_t
now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void
die (const char *what)
{
  fprintf (stderr, "cohort-chat-load: %s: %s\n", what, strerror (errno));
  exit (1);
}

static void
update_events (Conn *c)
{
  struct epoll_event ev = { .events = EPOLLIN | (c->out_len > 0 ? EPOLLOUT : 0), .data.ptr = c };
  int want = c->out_len > 0;

  if (want == c->want_write)
    return;
  c->want_write = want;
  epoll_ctl (epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void
flush_out (Conn *c)
{
  while (c->out_len > 0)
    {
      ssize_t n = send (c->fd, c->out, c->out_len, MSG_NOSIGNAL);

      if (n < 0)
        {
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
          die ("send");
        }
      memmove (c->out, c->out + n, c->out_len - n);
      c->out_len -= n;
    }
  update_events (c);
}

static void
append_out (Conn       *c,
            const void *data,
            size_t      len)
{
  if (c->out_len + len > c->out_cap)
    {
      c->out_cap = (c->out_len + len) * 2;
      c->out = realloc (c->out, c->out_cap);
    }
  memcpy (c->out + c->out_len, data, len);
  c->out_len += len;
}

static void
send_frame (Conn       *c,
            int         opcode,
            const char *payload,
            size_t      len)
{
  unsigned char header[14];
  size_t h = 0;
  unsigned char mask[4];
  uint32_t r = (uint32_t) rand ();
  char *masked;

  header[h++] = 0x80 | opcode;
  if (len < 126)
    header[h++] = 0x80 | len;
  else if (len < 65536)
    {
      header[h++] = 0x80 | 126;
      header[h++] = len >> 8;
      header[h++] = len & 0xff;
    }
  else
    {
      header[h++] = 0x80 | 127;
      for (int i = 7; i >= 0; i--)
        header[h++] = (len >> (8 * i)) & 0xff;
    }
  memcpy (mask, &r, 4);
  memcpy (header + h, mask, 4);
  h += 4;

  masked = malloc (len);
  for (size_t i = 0; i < len; i++)
    masked[i] = payload[i] ^ mask[i & 3];
  append_out (c, header, h);
  append_out (c, masked, len);
  free (masked);
  flush_out (c);
}

static void
send_text (Conn       *c,
           const char *text)
{
  send_frame (c, 1, text, strlen (text));
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
handle_text (Conn       *c,
             const char *msg,
             size_t      len)
{
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
          if (ok && sender != c->index)
            add_sample (now_ns () - sent);
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

static void
on_readable (Conn *c)
{
  for (;;)
    {
      ssize_t n;

      if (c->in_cap - c->in_len < 65536)
        {
          c->in_cap = c->in_cap * 2 + 65536;
          c->in = realloc (c->in, c->in_cap);
        }
      n = recv (c->fd, c->in + c->in_len, c->in_cap - c->in_len, 0);
      if (n == 0)
        {
          fprintf (stderr, "cohort-chat-load: connection %d closed by the server\n", c->index);
          exit (1);
        }
      if (n < 0)
        {
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
          die ("recv");
        }
      c->in_len += n;
      last_rx_ns = now_ns ();
    }

  if (!c->handshaken)
    {
      char *end = memmem (c->in, c->in_len, "\r\n\r\n", 4);
      size_t used;

      if (end == NULL)
        return;
      if (strncmp (c->in, "HTTP/1.1 101", 12) != 0)
        {
          fprintf (stderr, "cohort-chat-load: handshake refused: %.*s\n", 40, c->in);
          exit (1);
        }
      used = end + 4 - c->in;
      memmove (c->in, c->in + used, c->in_len - used);
      c->in_len -= used;
      c->handshaken = 1;
    }

  /* Frames: parsed in place, the buffer compacted once at the end. */
  {
    size_t off = 0;

    for (;;)
      {
        unsigned char *b = (unsigned char *) c->in + off;
        size_t avail = c->in_len - off;
        size_t h = 2, len;
        int opcode;

        if (avail < 2)
          break;
        opcode = b[0] & 0x0f;
        len = b[1] & 0x7f;
        if (len == 126)
          {
            if (avail < 4)
              break;
            len = (b[2] << 8) | b[3];
            h = 4;
          }
        else if (len == 127)
          {
            if (avail < 10)
              break;
            len = 0;
            for (int i = 0; i < 8; i++)
              len = (len << 8) | b[2 + i];
            h = 10;
          }
        if (avail < h + len)
          break;

        if (opcode == 1)
          {
            /* A batch frame: several messages, one per line. */
            const char *m = (const char *) b + h, *end = m + len, *nl;

            while ((nl = memchr (m, '\n', end - m)) != NULL)
              {
                handle_text (c, m, nl - m);
                m = nl + 1;
              }
            handle_text (c, m, end - m);
          }
        else if (opcode == 9)
          send_frame (c, 10, (char *) b + h, len);
        else if (opcode == 8)
          {
            fprintf (stderr, "cohort-chat-load: connection %d got a close frame\n", c->index);
            exit (1);
          }
        off += h + len;
      }

    if (off > 0)
      {
        memmove (c->in, c->in + off, c->in_len - off);
        c->in_len -= off;
      }
  }
}

static void
poll_once (int timeout_ms)
{
  struct epoll_event events[256];
  int n = epoll_wait (epfd, events, 256, timeout_ms);

  if (n < 0 && errno != EINTR)
    die ("epoll_wait");
  for (int i = 0; i < n; i++)
    {
      Conn *c = events[i].data.ptr;

      if (events[i].events & EPOLLOUT)
        flush_out (c);
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        on_readable (c);
    }
}

static void
open_conn (Conn *c,
           int   index)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (port) };
  struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
  char request[256];
  int one = 1;

  memset (c, 0, sizeof *c);
  c->index = index;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  c->fd = socket (AF_INET, SOCK_STREAM, 0);
  if (c->fd < 0)
    die ("socket (raise the fd limit with ulimit -n)");
  if (connect (c->fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    die ("connect");
  setsockopt (c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  fcntl (c->fd, F_SETFL, fcntl (c->fd, F_GETFL) | O_NONBLOCK);
  if (epoll_ctl (epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0)
    die ("epoll_ctl");

  snprintf (request, sizeof request,
            "GET /ws?batch=1 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n", port);
  append_out (c, request, strlen (request));
  flush_out (c);
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
  uint64_t deadline = now_ns () + (uint64_t) timeout_s * 1000000000ull;

  while (!cond ())
    {
      if (now_ns () > deadline)
        {
          fprintf (stderr, "cohort-chat-load: timed out waiting for %s\n", what);
          exit (1);
        }
      poll_once (50);
    }
}

static int teacher_ready (void) { return conns[0].joined; }
static int want_joined;
static int joined_enough (void) { return n_joined >= want_joined; }

int
main (int   argc,
      char *argv[])
{
  int clients = 1000, rate = 200, seconds = 10, server_pid = 0;
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
  epfd = epoll_create1 (0);
  n_conns = clients + 1;
  conns = calloc (n_conns, sizeof *conns);
  run_start_ns = now_ns ();

  /* The teacher creates the class. */
  open_conn (&conns[0], 0);
  send_text (&conns[0], "{\"type\":\"class.create\",\"id\":\"create\",\"body\":"
                        "{\"protocol\":1,\"title\":\"Bench\",\"name\":\"Teacher\"}}");
  wait_until (teacher_ready, 30, "the class");

  /* Students join, a batch at a time. */
  for (int first = 1; first < n_conns; first += 50)
    {
      int last = first + 50 < n_conns ? first + 50 : n_conns;

      for (int i = first; i < last; i++)
        {
          char join[256];

          open_conn (&conns[i], i);
          snprintf (join, sizeof join,
                    "{\"type\":\"class.join\",\"id\":\"join\",\"body\":"
                    "{\"protocol\":1,\"code\":\"%s\",\"name\":\"Student %d\"}}", class_code, i);
          send_text (&conns[i], join);
        }
      want_joined = last - 1;
      wait_until (joined_enough, 120, "students to join");
    }

  /* Let the join events settle: 1,000 joins make half a million
   * participant.joined frames, which must not be measured as chat. Wait
   * until nothing has arrived for 500 ms (at most 60 s). */
  for (uint64_t until = now_ns () + 60000000000ull; now_ns () < until;)
    {
      poll_once (50);
      if (now_ns () - last_rx_ns > 500000000ull)
        break;
    }
  n_samples = 0;

  cpu_before = server_pid ? server_cpu_ticks (server_pid) : 0;
  getrusage (RUSAGE_SELF, &ru_before);
  t_before = now_ns ();
  send_start = now_ns ();
  next_report = send_start;

  /* Chat at @rate messages per second, from the students in turn. */
  while (now_ns () - send_start < (uint64_t) seconds * 1000000000ull)
    {
      uint64_t elapsed = now_ns () - send_start;
      long due = (long) (elapsed * (double) rate / 1e9) + 1;

      while (n_sent < due)
        {
          char frame[256];
          Conn *c = &conns[1 + sender];

          sender = (sender + 1) % clients;
          snprintf (frame, sizeof frame,
                    "{\"type\":\"chat.send\",\"id\":\"m%ld\",\"body\":{\"text\":\"bench %d %llu\"}}",
                    n_sent, c->index, (unsigned long long) now_ns ());
          send_text (c, frame);
          n_sent++;
        }

      if (server_pid && now_ns () >= next_report)
        {
          long rss = server_rss_kb (server_pid);

          if (rss > rss_max)
            rss_max = rss;
          next_report += 250000000ull;
        }
      poll_once (1);
    }

  cpu_after = server_pid ? server_cpu_ticks (server_pid) : 0;
  getrusage (RUSAGE_SELF, &ru_after);
  t_after = now_ns ();

  /* Drain: every message should reach every other client. */
  {
    uint64_t until = now_ns () + 5000000000ull;
    size_t expected = (size_t) n_sent * (size_t) clients;

    while (now_ns () < until && (n_samples < expected || n_acked + n_refused < n_sent))
      poll_once (20);
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
    close (conns[i].fd);
  return 0;
}

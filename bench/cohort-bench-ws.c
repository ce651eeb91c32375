/* cohort-bench-ws.c: the load generators' minimal WebSocket client
 *
 * See cohort-bench-ws.h. Used by bench/cohort-chat-load.c and
 * bench/cohort-quiz-load.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE

#include "cohort-bench-ws.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Server frames are at most 1 MiB (COHORT_HARD_FRAME_BYTES) for what a
 * client sends, but a welcome lists every participant: leave room for a
 * class far bigger than the bench's while still refusing a corrupt
 * length before allocating for it. */
#define MAX_FRAME_BYTES   (16 * 1024 * 1024)
/* The upgrade response is a few headers. */
#define MAX_HEADER_BYTES  4096
#define READ_CHUNK        65536

/* The key is fixed, so its accept value is too (RFC 6455, 1.3). */
#define WS_KEY     "dGhlIHNhbXBsZSBub25jZQ=="
#define WS_ACCEPT  "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

enum {
  OPCODE_TEXT = 0x1,
  OPCODE_CLOSE = 0x8,
  OPCODE_PING = 0x9,
  OPCODE_PONG = 0xa,
};

uint64_t
cohort_bench_ws_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void
cohort_bench_ws_die (const char *what)
{
  fprintf (stderr, "%s: %s: %s\n", program_invocation_short_name, what, strerror (errno));
  exit (1);
}

void
cohort_bench_ws_fail (const char *format,
                      ...)
{
  va_list args;

  fprintf (stderr, "%s: ", program_invocation_short_name);
  va_start (args, format);
  vfprintf (stderr, format, args);
  va_end (args);
  fputc ('\n', stderr);
  exit (1);
}

static void *
xrealloc (void   *p,
          size_t  size)
{
  p = realloc (p, size);
  if (p == NULL)
    cohort_bench_ws_fail ("out of memory (%zu bytes)", size);
  return p;
}

static void
update_events (CohortBenchWs *ws)
{
  struct epoll_event ev = { .events = EPOLLIN | (ws->out_len > 0 ? EPOLLOUT : 0), .data.ptr = ws };
  int want = ws->out_len > 0;

  if (want == ws->want_write)
    return;
  ws->want_write = want;
  if (epoll_ctl (ws->loop->epfd, EPOLL_CTL_MOD, ws->fd, &ev) < 0)
    cohort_bench_ws_die ("epoll_ctl");
}

static void
flush_out (CohortBenchWs *ws)
{
  size_t sent = 0;

  while (sent < ws->out_len)
    {
      ssize_t n = send (ws->fd, ws->out + sent, ws->out_len - sent, MSG_NOSIGNAL);

      if (n < 0)
        {
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
          cohort_bench_ws_die ("send");
        }
      sent += n;
    }
  memmove (ws->out, ws->out + sent, ws->out_len - sent);
  ws->out_len -= sent;
  update_events (ws);
}

/* Room for @len more bytes at the end of the output buffer. */
static char *
reserve_out (CohortBenchWs *ws,
             size_t         len)
{
  if (ws->out_len + len > ws->out_cap)
    {
      ws->out_cap = (ws->out_len + len) * 2;
      ws->out = xrealloc (ws->out, ws->out_cap);
    }
  return ws->out + ws->out_len;
}

static void
send_frame (CohortBenchWs *ws,
            int            opcode,
            const char    *payload,
            size_t         len)
{
  unsigned char *p = (unsigned char *) reserve_out (ws, 14 + len);
  uint32_t r = (uint32_t) rand ();
  unsigned char mask[4];
  size_t h = 0;

  p[h++] = 0x80 | opcode;
  if (len < 126)
    p[h++] = 0x80 | len;
  else if (len < 65536)
    {
      p[h++] = 0x80 | 126;
      p[h++] = len >> 8;
      p[h++] = len & 0xff;
    }
  else
    {
      p[h++] = 0x80 | 127;
      for (int i = 7; i >= 0; i--)
        p[h++] = ((uint64_t) len >> (8 * i)) & 0xff;
    }
  memcpy (mask, &r, 4);
  memcpy (p + h, mask, 4);
  h += 4;
  for (size_t i = 0; i < len; i++)
    p[h + i] = payload[i] ^ mask[i & 3];
  ws->out_len += h + len;
  flush_out (ws);
}

void
cohort_bench_ws_send_text (CohortBenchWs *ws,
                           const char    *text,
                           size_t         length)
{
  send_frame (ws, OPCODE_TEXT, text, length);
}

static void
handle_text (CohortBenchWs *ws,
             const char    *payload,
             size_t         len)
{
  const char *m = payload, *end = payload + len, *nl;

  /* A batch frame: several messages, one per line. */
  while ((nl = memchr (m, '\n', end - m)) != NULL)
    {
      ws->loop->on_message (ws, m, nl - m, ws->user_data);
      m = nl + 1;
    }
  ws->loop->on_message (ws, m, end - m, ws->user_data);
}

/* Parses the complete frames at the start of the input buffer, then
 * drops them from it. */
static void
parse_frames (CohortBenchWs *ws)
{
  size_t off = 0;

  for (;;)
    {
      const unsigned char *b = (const unsigned char *) ws->in + off;
      size_t avail = ws->in_len - off;
      size_t h = 2;
      uint64_t len;
      int opcode;

      if (avail < 2)
        break;
      opcode = b[0] & 0x0f;
      /* No extension was negotiated, the server does not fragment its
       * messages and never masks. */
      if ((b[0] & 0xf0) != 0x80 || (b[1] & 0x80) != 0)
        cohort_bench_ws_fail ("connection %d: unexpected frame header %02x %02x", ws->id, b[0], b[1]);
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
      if (len > MAX_FRAME_BYTES)
        cohort_bench_ws_fail ("connection %d: a %llu-byte frame", ws->id, (unsigned long long) len);
      if (avail < h + len)
        break;

      switch (opcode)
        {
        case OPCODE_TEXT:
          handle_text (ws, (const char *) b + h, len);
          break;
        case OPCODE_PING:
          send_frame (ws, OPCODE_PONG, (const char *) b + h, len);
          break;
        case OPCODE_PONG:
          break;
        case OPCODE_CLOSE:
          cohort_bench_ws_fail ("connection %d got a close frame (%d)", ws->id,
                                len >= 2 ? (b[h] << 8) | b[h + 1] : 0);
        default:
          cohort_bench_ws_fail ("connection %d: unexpected opcode %d", ws->id, opcode);
        }
      off += h + len;
    }

  if (off > 0)
    {
      memmove (ws->in, ws->in + off, ws->in_len - off);
      ws->in_len -= off;
    }
}

static void
parse_handshake (CohortBenchWs *ws)
{
  char *end = memmem (ws->in, ws->in_len, "\r\n\r\n", 4);
  size_t used;

  if (end == NULL)
    {
      if (ws->in_len > MAX_HEADER_BYTES)
        cohort_bench_ws_fail ("connection %d: no end to the upgrade response", ws->id);
      return;
    }
  used = end + 4 - ws->in;
  if (ws->in_len < 12 || strncmp (ws->in, "HTTP/1.1 101", 12) != 0 ||
      memmem (ws->in, used, WS_ACCEPT, strlen (WS_ACCEPT)) == NULL)
    cohort_bench_ws_fail ("connection %d: handshake refused: %.*s", ws->id,
                          (int) (used < 200 ? used : 200), ws->in);
  memmove (ws->in, ws->in + used, ws->in_len - used);
  ws->in_len -= used;
  ws->handshaken = 1;
  ws->loop->n_open++;
}

static void
on_readable (CohortBenchWs *ws)
{
  for (;;)
    {
      size_t room;
      ssize_t n;

      /* The buffer holds at most one incomplete frame (bounded above)
       * and the chunk being read. */
      if (ws->in_cap - ws->in_len < READ_CHUNK)
        {
          ws->in_cap = ws->in_len + 2 * READ_CHUNK;
          ws->in = xrealloc (ws->in, ws->in_cap);
        }
      room = ws->in_cap - ws->in_len;
      n = recv (ws->fd, ws->in + ws->in_len, room, 0);
      if (n == 0)
        cohort_bench_ws_fail ("connection %d closed by the server", ws->id);
      if (n < 0)
        {
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
          cohort_bench_ws_die ("recv");
        }
      ws->in_len += n;
      ws->loop->last_rx_ns = cohort_bench_ws_now_ns ();

      if (!ws->handshaken)
        parse_handshake (ws);
      if (ws->handshaken)
        parse_frames (ws);
      /* A short read emptied the socket: epoll (level-triggered) reports
       * it again when more comes, so skip the recv that would only say
       * EAGAIN, one system call per wake-up of a thousand sockets. */
      if ((size_t) n < room)
        break;
    }
}

void
cohort_bench_ws_poll (CohortBenchWsLoop *loop,
                      int                timeout_ms)
{
  struct epoll_event events[256];
  int n = epoll_wait (loop->epfd, events, 256, timeout_ms);

  if (n < 0 && errno != EINTR)
    cohort_bench_ws_die ("epoll_wait");
  for (int i = 0; i < n; i++)
    {
      CohortBenchWs *ws = events[i].data.ptr;

      if (events[i].events & EPOLLOUT)
        flush_out (ws);
      if (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
        on_readable (ws);
    }
}

void
cohort_bench_ws_loop_init (CohortBenchWsLoop        *loop,
                           int                       port,
                           CohortBenchWsMessageFunc  on_message)
{
  memset (loop, 0, sizeof *loop);
  loop->port = port;
  loop->on_message = on_message;
  loop->epfd = epoll_create1 (EPOLL_CLOEXEC);
  if (loop->epfd < 0)
    cohort_bench_ws_die ("epoll_create1");
}

/* Connects (a blocking connect: loopback answers at once) and sends the
 * upgrade request; requests sent before the response follow it on the
 * wire, which the server reads in order. */
void
cohort_bench_ws_open (CohortBenchWsLoop *loop,
                      CohortBenchWs     *ws,
                      int                id,
                      void              *user_data)
{
  struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons (loop->port) };
  struct epoll_event ev = { .events = EPOLLIN };
  char request[256];
  int one = 1;
  int len;

  memset (ws, 0, sizeof *ws);
  ws->loop = loop;
  ws->id = id;
  ws->user_data = user_data;
  ev.data.ptr = ws;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  ws->fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (ws->fd < 0)
    cohort_bench_ws_die ("socket (raise the fd limit with ulimit -n)");
  if (connect (ws->fd, (struct sockaddr *) &addr, sizeof addr) < 0)
    cohort_bench_ws_die ("connect");
  setsockopt (ws->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (fcntl (ws->fd, F_SETFL, fcntl (ws->fd, F_GETFL) | O_NONBLOCK) < 0)
    cohort_bench_ws_die ("fcntl");
  if (epoll_ctl (loop->epfd, EPOLL_CTL_ADD, ws->fd, &ev) < 0)
    cohort_bench_ws_die ("epoll_ctl");

  len = snprintf (request, sizeof request,
                  "GET /ws?batch=1 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n"
                  "Connection: Upgrade\r\nSec-WebSocket-Key: " WS_KEY "\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n", loop->port);
  memcpy (reserve_out (ws, len), request, len);
  ws->out_len += len;
  flush_out (ws);
}

void
cohort_bench_ws_close (CohortBenchWs *ws)
{
  if (ws->fd >= 0)
    close (ws->fd);
  ws->fd = -1;
  free (ws->in);
  free (ws->out);
  ws->in = ws->out = NULL;
  ws->in_len = ws->in_cap = ws->out_len = ws->out_cap = 0;
}

const char *
cohort_bench_staff_credential (void)
{
  const char *credential = getenv ("COHORT_STAFF_CREDENTIAL");

  if (credential == NULL || strlen (credential) != 43 ||
      strspn (credential, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != 43)
    cohort_bench_ws_fail ("set COHORT_STAFF_CREDENTIAL (cohort-server --add-staff NAME prints one)");
  return credential;
}

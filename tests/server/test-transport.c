/* test-transport.c: the server's HTTP side before the WebSocket upgrade,
 * from raw sockets: descriptors, timeouts and connection caps, and the
 * strict request-head parser (on its own and in front of the server).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <netinet/tcp.h>

#include "cohort-http-gate.h"
#include "cohort-http-head.h"
#include "cohort-test-server.h"

#define WS_HEAD "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" \
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" \
                "Sec-WebSocket-Version: 13\r\n"

/* ---- helpers ---- */

#define count_fds cohort_test_pid_count_fds
#define wait_fds_at_most cohort_test_pid_wait_fds_at_most

/* A blocking TCP socket to the server, from @source (NULL: any). */
static int
tcp_connect_from (CohortTestServer *server,
                  const char       *source)
{
  struct sockaddr_in to = { .sin_family = AF_INET };
  struct timeval timeout = { .tv_sec = 20 };
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  if (source != NULL)
    {
      struct sockaddr_in from = { .sin_family = AF_INET };

      g_assert_cmpint (inet_pton (AF_INET, source, &from.sin_addr), ==, 1);
      g_assert_cmpint (bind (fd, (struct sockaddr *) &from, sizeof from), ==, 0);
    }
  to.sin_port = htons (cohort_test_server_get_port (server));
  inet_pton (AF_INET, "127.0.0.1", &to.sin_addr);
  setsockopt (fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  setsockopt (fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &to, sizeof to), ==, 0);
  return fd;
}

static int
tcp_connect (CohortTestServer *server)
{
  return tcp_connect_from (server, NULL);
}

static void
send_all (int         fd,
          const void *data,
          gsize       length)
{
  const char *p = data;

  while (length > 0)
    {
      ssize_t n = send (fd, p, length, MSG_NOSIGNAL);

      g_assert_cmpint (n, >, 0);
      p += n;
      length -= n;
    }
}

static void
send_text (int         fd,
           const char *text)
{
  send_all (fd, text, strlen (text));
}

/* Reads until the peer hangs up (TRUE) or errors; what came is in @out. */
static gboolean
read_to_eof (int      fd,
             GString *out)
{
  for (;;)
    {
      char buffer[4096];
      ssize_t n = recv (fd, buffer, sizeof buffer, 0);

      if (n == 0)
        return TRUE;
      if (n < 0)
        return errno == ECONNRESET;
      if (out != NULL)
        g_string_append_len (out, buffer, n);
    }
}

typedef struct
{
  guint    status;
  gboolean close;
  char    *body;
} Response;

static void
response_clear (Response *r)
{
  g_clear_pointer (&r->body, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Response, response_clear)

/* Reads one response (its head, and a Content-Length body unless @head_only).
 * FALSE if the server hung up first. */
static gboolean
read_response (int       fd,
               gboolean  head_only,
               Response *r)
{
  g_autoptr(GString) head = g_string_new (NULL);
  g_autofree char *lower = NULL;
  const char *cl;
  gsize length = 0;

  while (!g_str_has_suffix (head->str, "\r\n\r\n"))
    {
      char c;

      if (recv (fd, &c, 1, 0) != 1)
        return FALSE;
      g_string_append_c (head, c);
    }
  g_assert_true (g_str_has_prefix (head->str, "HTTP/1.1 "));
  r->status = g_ascii_strtoull (head->str + 9, NULL, 10);
  lower = g_ascii_strdown (head->str, -1);
  r->close = strstr (lower, "\r\nconnection: close\r\n") != NULL;
  cl = strstr (lower, "\r\ncontent-length:");
  if (cl != NULL && !head_only)
    length = g_ascii_strtoull (cl + strlen ("\r\ncontent-length:"), NULL, 10);
  g_assert_cmpuint (length, <, 65536);
  r->body = g_malloc0 (length + 1);
  for (gsize got = 0; got < length;)
    {
      ssize_t n = recv (fd, r->body + got, length - got, 0);

      if (n <= 0)
        return FALSE;
      got += n;
    }
  return TRUE;
}

/* Upgrades @fd to a WebSocket; the response's status (101 when it worked),
 * 0 if the server hung up first. */
static guint
ws_upgrade (int fd)
{
  g_auto(Response) r = { 0 };

  send_text (fd, WS_HEAD "\r\n");
  if (!read_response (fd, TRUE, &r))
    return 0;
  return r.status;
}

static void
ws_send_text (int         fd,
              const char *text)
{
  gsize length = strlen (text);
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  guint8 head[4] = { 0x81, 0x80 | 126, length >> 8, length & 0xFF };
  static const guint8 mask[4] = { 0, 0, 0, 0 };

  g_assert_cmpuint (length, <, 65536);
  if (length < 126)
    {
      head[1] = 0x80 | length;
      g_byte_array_append (frame, head, 2);
    }
  else
    g_byte_array_append (frame, head, 4);
  g_byte_array_append (frame, mask, 4);
  g_byte_array_append (frame, (const guint8 *) text, length);
  send_all (fd, frame->data, frame->len);
}

/* Reads text frames until one holds @needle; FALSE if the socket ends. */
static gboolean
ws_read_until (int         fd,
               const char *needle)
{
  for (;;)
    {
      guint8 h[4];
      gsize length;
      g_autofree char *payload = NULL;

      if (recv (fd, h, 2, MSG_WAITALL) != 2)
        return FALSE;
      length = h[1] & 0x7F;
      g_assert_cmpuint (length, <, 127);
      if (length == 126)
        {
          if (recv (fd, h + 2, 2, MSG_WAITALL) != 2)
            return FALSE;
          length = (h[2] << 8) | h[3];
        }
      payload = g_malloc0 (length + 1);
      if (length > 0 && recv (fd, payload, length, MSG_WAITALL) != (ssize_t) length)
        return FALSE;
      if ((h[0] & 0x0F) == 0x1 && strstr (payload, needle) != NULL)
        return TRUE;
    }
}

/* A client that upgrades, joins @code's class and gets its ok. */
static void
join_class (CohortTestServer *server,
            const char       *source,
            const char       *code)
{
  int fd = tcp_connect_from (server, source);
  g_autofree char *join = g_strdup_printf ("{\"type\":\"class.join\",\"id\":\"j\",\"body\":{\"code\":\"%s\","
                                           "\"name\":\"Normal\",\"protocol\":1}}", code);

  g_assert_cmpuint (ws_upgrade (fd), ==, 101);
  ws_send_text (fd, join);
  g_assert_true (ws_read_until (fd, "\"re\":\"j\""));
  close (fd);
}

/* ---- the head parser ---- */

static void
test_head_valid (void)
{
  const char *text = "GET /ws?batch=1 HTTP/1.1\r\nHost: example.org\r\n"
                     "X-Forwarded-For:  203.0.113.7 \t\r\nUpgrade: websocket\r\n"
                     "X-Opaque: caf\xc3\xa9\r\n\r\nNEXT";
  g_autoptr(CohortHttpHead) head = NULL;
  g_autoptr(GError) error = NULL;
  gsize head_length = 0;

  g_assert_true (cohort_http_head_parse ((const guint8 *) text, strlen (text), &head,
                                         &head_length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (head_length, ==, strlen (text) - 4);
  g_assert_cmpstr (head->method, ==, "GET");
  g_assert_cmpstr (head->target, ==, "/ws?batch=1");
  g_assert_cmpuint (head->minor_version, ==, 1);
  g_assert_cmpuint (head->headers->len, ==, 4);
  g_assert_cmpstr (cohort_http_head_get (head, "host"), ==, "example.org");
  g_assert_cmpstr (cohort_http_head_get (head, "X-FORWARDED-FOR"), ==, "203.0.113.7");
  g_assert_null (cohort_http_head_get (head, "Content-Length"));

  /* Every proper prefix asks for more. */
  for (gsize n = 0; n < head_length; n++)
    {
      g_autoptr(CohortHttpHead) partial = NULL;
      g_autoptr(GError) more = NULL;

      g_assert_false (cohort_http_head_parse ((const guint8 *) text, n, &partial, NULL, &more));
      g_assert_error (more, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_INCOMPLETE);
      g_assert_null (partial);
    }

  /* HTTP/1.0 needs no Host; a body length and chunked (alone) are fine. */
  {
    static const char *fine[] = {
      "GET /health HTTP/1.0\r\n\r\n",
      "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
      "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: Chunked\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nX-Empty:\r\n\r\n",
    };

    for (guint i = 0; i < G_N_ELEMENTS (fine); i++)
      {
        g_autoptr(CohortHttpHead) h = NULL;
        g_autoptr(GError) e = NULL;

        g_test_message ("%s", fine[i]);
        g_assert_true (cohort_http_head_parse ((const guint8 *) fine[i], strlen (fine[i]), &h, NULL, &e));
        g_assert_no_error (e);
      }
  }
}

/* Heads a proxy in front could read differently, and other malformed ones:
 * refused, each as soon as the line that shows it has ended. */
static const struct {
  const char *what;
  const char *head;
} bad_heads[] = {
  { "duplicate Content-Length", "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n" },
  { "differing Content-Length", "POST /health HTTP/1.1\r\nHost: x\r\ncontent-length: 5\r\nContent-Length: 6\r\n\r\n" },
  { "Content-Length list", "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\n" },
  { "signed Content-Length", "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n" },
  { "Content-Length and Transfer-Encoding", "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" },
  { "Transfer-Encoding not chunked", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" },
  { "Transfer-Encoding twice", "POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" },
  { "Transfer-Encoding in HTTP/1.0", "POST /health HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" },
  { "obs-fold (space)", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n" },
  { "obs-fold (tab)", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\tb\r\n\r\n" },
  { "bare LF", "GET /health HTTP/1.1\nHost: x\n\n" },
  { "bare LF at the end", "GET /health HTTP/1.1\r\nHost: x\r\n\n" },
  { "bare CR", "GET /health HTTP/1.1\r\nHost: x\rX-A: b\r\n\r\n" },
  { "NUL in a value", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\0b\r\n\r\n" },
  { "control character in a value", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\x01\r\n\r\n" },
  { "DEL in a value", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\x7f\r\n\r\n" },
  { "space before the colon", "GET /health HTTP/1.1\r\nHost : x\r\n\r\n" },
  { "space in a name", "GET /health HTTP/1.1\r\nHost: x\r\nX A: b\r\n\r\n" },
  { "empty name", "GET /health HTTP/1.1\r\nHost: x\r\n: b\r\n\r\n" },
  { "no colon", "GET /health HTTP/1.1\r\nHost: x\r\nX-A\r\n\r\n" },
  { "non-token name", "GET /health HTTP/1.1\r\nHost: x\r\nX(A): b\r\n\r\n" },
  { "no Host in HTTP/1.1", "GET /health HTTP/1.1\r\n\r\n" },
  { "two Hosts", "GET /health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n" },
  { "two spaces in the request line", "GET  /health HTTP/1.1\r\nHost: x\r\n\r\n" },
  { "tab in the request line", "GET\t/health HTTP/1.1\r\nHost: x\r\n\r\n" },
  { "trailing space in the request line", "GET /health HTTP/1.1 \r\nHost: x\r\n\r\n" },
  { "no version", "GET /health\r\nHost: x\r\n\r\n" },
  { "HTTP/2.0", "GET /health HTTP/2.0\r\nHost: x\r\n\r\n" },
  { "HTTP/1.10", "GET /health HTTP/1.10\r\nHost: x\r\n\r\n" },
  { "lower-case version", "GET /health http/1.1\r\nHost: x\r\n\r\n" },
  { "absolute-form", "GET http://x/health HTTP/1.1\r\nHost: x\r\n\r\n" },
  { "asterisk-form", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n" },
  { "non-token method", "G(T /health HTTP/1.1\r\nHost: x\r\n\r\n" },
  { "empty line first", "\r\nGET /health HTTP/1.1\r\nHost: x\r\n\r\n" },
  { "non-ASCII target", "GET /h\xc3\xa9 HTTP/1.1\r\nHost: x\r\n\r\n" },
};

static void
test_head_invalid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_heads); i++)
    {
      /* The NUL case holds a NUL: its length is that of the whole literal. */
      gsize length = strlen (bad_heads[i].head);
      g_autoptr(CohortHttpHead) head = NULL;
      g_autoptr(GError) error = NULL;

      if (strstr (bad_heads[i].what, "NUL") != NULL)
        length += strlen (bad_heads[i].head + length + 1) + 1;
      g_test_message ("%s", bad_heads[i].what);
      g_assert_false (cohort_http_head_parse ((const guint8 *) bad_heads[i].head, length, &head,
                                              NULL, &error));
      g_assert_error (error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_INVALID);
      g_assert_null (head);
    }

  /* Too long, or too many lines: refused before the end comes. */
  {
    g_autoptr(GString) big = g_string_new ("GET /health HTTP/1.1\r\nHost: x\r\n");
    g_autoptr(GError) error = NULL;
    g_autoptr(CohortHttpHead) head = NULL;

    while (big->len < COHORT_HTTP_HEAD_MAX_BYTES)
      g_string_append (big, "X-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
    g_assert_false (cohort_http_head_parse ((const guint8 *) big->str, big->len, &head, NULL, &error));
    g_assert_error (error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_TOO_LARGE);
    g_clear_error (&error);

    g_string_assign (big, "GET /health HTTP/1.1\r\nHost: x\r\n");
    for (guint i = 0; i < COHORT_HTTP_HEAD_MAX_HEADERS; i++)
      g_string_append (big, "X-A: b\r\n");
    g_assert_false (cohort_http_head_parse ((const guint8 *) big->str, big->len, &head, NULL, &error));
    g_assert_error (error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_TOO_LARGE);
  }

  /* A NUL, a bare CR or a fold shows before its line ends. */
  {
    static const char *early[] = {
      "GET /health HTTP/1.1\r\nHost: x\r\n X",
      "GET /health HTTP/1.1\r\nHost: x\rX",
    };

    for (guint i = 0; i < G_N_ELEMENTS (early); i++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(CohortHttpHead) head = NULL;

        g_assert_false (cohort_http_head_parse ((const guint8 *) early[i], strlen (early[i]), &head,
                                                NULL, &error));
        g_assert_error (error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_INVALID);
      }
  }
}

/* Random mutations of valid heads (seeded, so a failure repeats): the
 * parser never crashes, and no prefix of a head it accepts is refused
 * (what it finds wrong early must really be wrong), nor accepted. */
static void
test_head_random (void)
{
  static const char *seeds[] = {
    WS_HEAD "\r\n",
    "GET /health HTTP/1.0\r\n\r\n",
    "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 12\r\nX-A: b\tc\r\n\r\n",
  };
  static const char alphabet[] = " \t\r\n:/,;\0\x7f\x80" "aZ09-_HTTP";
  GRand *rand = g_rand_new_with_seed (20261204);
  guint accepted = 0;

  for (guint round = 0; round < 20000; round++)
    {
      const char *seed = seeds[round % G_N_ELEMENTS (seeds)];
      g_autoptr(GByteArray) input = g_byte_array_new ();
      g_autoptr(CohortHttpHead) head = NULL;
      g_autoptr(GError) error = NULL;
      gsize head_length = 0;
      guint mutations = g_rand_int_range (rand, 0, 4);

      g_byte_array_append (input, (const guint8 *) seed, strlen (seed));
      for (guint m = 0; m < mutations; m++)
        {
          guint at = g_rand_int_range (rand, 0, input->len);
          guint8 c = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

          switch (g_rand_int_range (rand, 0, 3))
            {
            case 0:
              input->data[at] = c;
              break;
            case 1:
              g_byte_array_remove_index (input, at);
              break;
            default:
              g_byte_array_set_size (input, input->len + 1);
              memmove (input->data + at + 1, input->data + at, input->len - at - 1);
              input->data[at] = c;
              break;
            }
        }

      if (!cohort_http_head_parse (input->data, input->len, &head, &head_length, &error))
        continue;
      accepted++;
      g_assert_cmpuint (head_length, <=, input->len);
      for (gsize n = 0; n < head_length; n++)
        {
          g_autoptr(CohortHttpHead) partial = NULL;
          g_autoptr(GError) more = NULL;

          g_assert_false (cohort_http_head_parse (input->data, n, &partial, NULL, &more));
          g_assert_error (more, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_INCOMPLETE);
        }
    }
  g_rand_free (rand);
  g_test_message ("%u of 20000 mutated heads accepted", accepted);
  g_assert_cmpuint (accepted, >, 1000);
}

/* ---- descriptors ---- */

/* Keep-alive requests, several per connection (as a client would send
 * them: the next one on the same socket unless the server said it closes)
 * over many connections, with 404s and HEADs among them, some pipelined:
 * afterwards the server holds no more descriptors than before. libsoup
 * 3.2 left every idle keep-alive connection the client closed in
 * CLOSE-WAIT for good. */
static void
test_keepalive_descriptors (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  GPid pid = cohort_test_server_get_pid (server);
  static const struct {
    const char *request;
    gboolean    head;
    guint       status;
  } requests[] = {
    { "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", FALSE, 200 },
    { "HEAD /health HTTP/1.1\r\nHost: x\r\n\r\n", TRUE, 200 },
    { "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", FALSE, 404 },
    { "GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n", FALSE, 200 },
    { "POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", FALSE, 405 },
    { "GET /ws HTTP/1.1\r\nHost: x\r\n\r\n", FALSE, 400 },
  };
  guint baseline;
  guint answered = 0;

  /* Whatever the first request sets up for good is part of the baseline. */
  {
    int fd = tcp_connect (server);
    g_auto(Response) r = { 0 };

    send_text (fd, requests[0].request);
    g_assert_true (read_response (fd, FALSE, &r));
    close (fd);
  }
  wait_fds_at_most (pid, G_MAXUINT);
  g_usleep (100 * 1000);
  baseline = count_fds (pid);

  for (guint c = 0; c < 60; c++)
    {
      int fd = tcp_connect (server);

      if (c % 3 == 0)
        {
          /* Pipelined: two requests in one write. */
          g_auto(Response) r = { 0 };
          g_autofree char *two = g_strconcat (requests[0].request, requests[2].request, NULL);

          send_text (fd, two);
          g_assert_true (read_response (fd, FALSE, &r));
          g_assert_cmpuint (r.status, ==, 200);
          answered++;
          if (!r.close)
            {
              g_auto(Response) r2 = { 0 };

              g_assert_true (read_response (fd, FALSE, &r2));
              g_assert_cmpuint (r2.status, ==, 404);
            }
          close (fd);
          continue;
        }

      for (guint i = 0; i < 5; i++)
        {
          guint k = (c + i) % G_N_ELEMENTS (requests);
          g_auto(Response) r = { 0 };

          send_text (fd, requests[k].request);
          g_assert_true (read_response (fd, requests[k].head, &r));
          g_assert_cmpuint (r.status, ==, requests[k].status);
          if (k == 0)
            g_assert_cmpstr (r.body, ==, "ok");
          answered++;
          if (r.close)
            {
              close (fd);
              fd = tcp_connect (server);
            }
        }
      /* The client hangs up on an idle keep-alive connection. */
      close (fd);
    }
  g_assert_cmpuint (answered, >=, 60);

  wait_fds_at_most (pid, baseline);

  /* And it still serves. */
  {
    int fd = tcp_connect (server);
    g_auto(Response) r = { 0 };

    send_text (fd, requests[0].request);
    g_assert_true (read_response (fd, FALSE, &r));
    g_assert_cmpuint (r.status, ==, 200);
    close (fd);
  }
}

/* ---- before the upgrade: timeout and caps ---- */

/* A socket that sends nothing, and one that sends its head a byte at a
 * time, are both closed once handshake-timeout has passed; the
 * descriptors go with them. */
static void
test_handshake_timeout (void)
{
  g_autoptr(CohortTestServer) server =
    cohort_test_server_start_with_config ("[server]\nhandshake-timeout=1\n");
  GPid pid = cohort_test_server_get_pid (server);
  const char *slow = WS_HEAD "X-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
  guint baseline;
  gint64 start;
  int idle[20];
  int loris;
  gsize sent = 0;
  gboolean closed = FALSE;
  g_autoptr(GString) answer = g_string_new (NULL);

  /* A normal client is not held back by it. */
  g_assert_cmpuint (ws_upgrade (tcp_connect (server)), ==, 101);
  wait_fds_at_most (pid, G_MAXUINT);
  baseline = count_fds (pid);
  g_test_message ("baseline %u", baseline);

  start = g_get_monotonic_time ();
  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    idle[i] = tcp_connect (server);
  loris = tcp_connect (server);

  /* Slowloris: a byte every 50 ms, far too slow to finish in time. */
  while (!closed)
    {
      struct pollfd pfd = { .fd = loris, .events = POLLIN };

      g_assert_cmpuint (sent, <, strlen (slow));
      if (send (loris, slow + sent, 1, MSG_NOSIGNAL) == 1)
        sent++;
      if (poll (&pfd, 1, 50) == 1)
        {
          char c;

          closed = recv (loris, &c, 1, 0) <= 0;
          if (!closed)
            g_string_append_c (answer, c);
        }
    }
  g_test_message ("slowloris closed after %.2f s and %zu bytes",
                  (g_get_monotonic_time () - start) / 1e6, sent);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, G_USEC_PER_SEC * 9 / 10);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  /* It had begun a request: it hears why it ends. */
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 408 "));
  close (loris);

  for (guint i = 0; i < G_N_ELEMENTS (idle); i++)
    {
      g_assert_true (read_to_eof (idle[i], NULL));
      close (idle[i]);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, <, 4 * G_USEC_PER_SEC);
  wait_fds_at_most (pid, baseline);
}

static gboolean
refused (int fd)
{
  g_autoptr(GString) answer = g_string_new (NULL);

  g_assert_true (read_to_eof (fd, answer));
  return answer->len == 0 || g_str_has_prefix (answer->str, "HTTP/1.1 503 ");
}

/* A new connection from @address is refused at once. */
static void
assert_refused_from (CohortTestServer *server,
                     const char       *address)
{
  int fd = tcp_connect_from (server, address);

  g_assert_true (refused (fd));
  close (fd);
}

/* Not-yet-upgraded connections are capped per network address (the
 * socket's peer) and in all. The N+1st from an address is refused at
 * once; a normal client from another address still joins; and the
 * address itself gets in again as soon as one of its own goes. */
static void
test_pending_caps (void)
{
  g_autoptr(CohortTestServer) server =
    cohort_test_server_start_with_config ("[server]\nmax-pending-per-address=4\nmax-pending=7\n"
                                          "trusted-proxies=127.0.0.9\n");
  g_autofree char *code = NULL;
  g_autofree char *key = NULL;
  int attacker[4];
  int other[3];
  gint64 give_up;
  gboolean in = FALSE;

  cohort_test_server_create_class (server, "Caps", "Ms. Li", &code, &key);

  for (guint i = 0; i < G_N_ELEMENTS (attacker); i++)
    attacker[i] = tcp_connect_from (server, "127.0.0.2");
  /* Half a head counts as much as none. */
  send_text (attacker[0], "GET /ws HTTP/1.1\r\n");
  assert_refused_from (server, "127.0.0.2");

  /* The attacker holds its cap; someone else joins. */
  join_class (server, "127.0.0.3", code);

  /* The total: three more from a third address fill it (4 + 3 = 7)… */
  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    other[i] = tcp_connect_from (server, "127.0.0.4");
  /* …so an eighth is refused, whoever it is. */
  assert_refused_from (server, "127.0.0.5");
  for (guint i = 0; i < G_N_ELEMENTS (other); i++)
    close (other[i]);

  /* One of the attacker's goes: the address may connect again (once the
   * server has seen the hang-up). */
  close (attacker[3]);
  give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!in && g_get_monotonic_time () < give_up)
    {
      int fd = tcp_connect_from (server, "127.0.0.2");

      in = ws_upgrade (fd) == 101;
      close (fd);
      if (!in)
        g_usleep (10 * 1000);
    }
  g_assert_true (in);

  for (guint i = 0; i < 3; i++)
    close (attacker[i]);
  join_class (server, "127.0.0.2", code);

  /* Answered requests (and failed handshakes) give their slot back: many
   * more than the cap, one after the other, and the address still joins. */
  for (guint i = 0; i < 20; i++)
    {
      int fd = tcp_connect_from (server, "127.0.0.2");
      g_auto(Response) r = { 0 };

      send_text (fd, i % 2 == 0 ? "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                                : "GET /ws HTTP/1.1\r\nHost: x\r\n\r\n");
      g_assert_true (read_response (fd, FALSE, &r));
      g_assert_cmpuint (r.status, ==, i % 2 == 0 ? 200 : 400);
      g_assert_true (read_to_eof (fd, NULL));
      close (fd);
    }
  join_class (server, "127.0.0.2", code);
}

/* A trusted proxy has no per-address cap: all its clients share its
 * address. Anyone else still has one. */
static void
test_trusted_proxy_exempt (void)
{
  g_autoptr(CohortTestServer) server =
    cohort_test_server_start_with_config ("[server]\nmax-pending-per-address=2\n"
                                          "trusted-proxies=127.0.0.6\n");
  int proxied[5];
  int others[2];
  int fd;

  for (guint i = 0; i < G_N_ELEMENTS (proxied); i++)
    proxied[i] = tcp_connect_from (server, "127.0.0.6");
  fd = tcp_connect_from (server, "127.0.0.6");
  g_assert_cmpuint (ws_upgrade (fd), ==, 101);
  close (fd);

  for (guint i = 0; i < G_N_ELEMENTS (proxied); i++)
    close (proxied[i]);

  for (guint i = 0; i < 2; i++)
    others[i] = tcp_connect_from (server, "127.0.0.7");
  assert_refused_from (server, "127.0.0.7");
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    close (others[i]);
}

/* ---- strict heads against the real server ---- */

/* Each head a proxy could read differently gets 400 (or 431) and a close,
 * and the server goes on serving everyone else. */
static void
test_smuggling_refused (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  GPid pid = cohort_test_server_get_pid (server);
  g_autofree char *code = NULL;
  g_autofree char *key = NULL;
  guint baseline;

  cohort_test_server_create_class (server, "Smuggling", "Ms. Li", &code, &key);
  join_class (server, NULL, code);
  wait_fds_at_most (pid, G_MAXUINT);
  baseline = count_fds (pid);

  for (guint i = 0; i < G_N_ELEMENTS (bad_heads); i++)
    {
      gsize length = strlen (bad_heads[i].head);
      g_autoptr(GString) answer = g_string_new (NULL);
      int fd = tcp_connect (server);

      if (strstr (bad_heads[i].what, "NUL") != NULL)
        length += strlen (bad_heads[i].head + length + 1) + 1;
      g_test_message ("%s", bad_heads[i].what);
      send_all (fd, bad_heads[i].head, length);
      /* A body the smuggler hoped would be read as a second request. */
      send_text (fd, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
      g_assert_true (read_to_eof (fd, answer));
      close (fd);
      g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 400 "));
      /* One answer only: nothing behind it was served. */
      g_assert_null (strstr (answer->str + 1, "HTTP/1.1"));
    }

  /* Too large a head. */
  {
    g_autoptr(GString) big = g_string_new ("GET /ws HTTP/1.1\r\nHost: x\r\n");
    g_autoptr(GString) answer = g_string_new (NULL);
    int fd = tcp_connect (server);

    while (big->len < 10000)
      g_string_append (big, "X-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
    send_all (fd, big->str, big->len);
    g_assert_true (read_to_eof (fd, answer));
    close (fd);
    g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 431 "));
  }

  /* Still serving: /health, a 404, and a join; nothing held on to. */
  {
    int fd = tcp_connect (server);
    g_auto(Response) r = { 0 };

    send_text (fd, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
    g_assert_true (read_response (fd, FALSE, &r));
    g_assert_cmpuint (r.status, ==, 200);
    g_assert_cmpstr (r.body, ==, "ok");
    close (fd);
  }
  join_class (server, NULL, code);
  wait_fds_at_most (pid, baseline);
}

/* ---- the gate in-process ---- */

static void
on_gate_health (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
}

/* A head that comes a byte at a time is parsed when a line ends or
 * begins, not for every byte: each parse reads the whole head again, so
 * 8 KiB sent that way cost 72 ms of the server's one thread, and a few
 * hundred such connections kept it busy. The gate still answers it. */
static void
test_gate_byte_by_byte (void)
{
  g_autoptr(SoupServer) soup = soup_server_new (NULL, NULL);
  g_autoptr(CohortSocketHub) hub = cohort_socket_hub_new (NULL);
  g_autoptr(CohortHttpGate) gate = cohort_http_gate_new (soup, hub);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  g_autoptr(GString) head = g_string_new ("GET /health HTTP/1.1\r\nHost: x\r\n");
  g_autoptr(GString) answer = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  struct sockaddr_in sin = { .sin_family = AF_INET };
  guint n_lines = 3;
  guint port = 0;
  int one = 1;
  int fd;

  soup_server_add_handler (soup, "/health", on_gate_health, NULL, NULL);
  cohort_http_gate_set_limits (gate, 600, 64, 1024);
  g_assert_true (cohort_http_gate_listen (gate, address, &port, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 30; i++, n_lines++)
    g_string_append_printf (head, "X-Pad-%u: %0100u\r\n", i, i);
  g_string_append (head, "\r\n");

  fd = socket (AF_INET, SOCK_STREAM, 0);
  sin.sin_port = htons (port);
  sin.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_assert_cmpint (connect (fd, (struct sockaddr *) &sin, sizeof sin), ==, 0);
  setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

  for (gsize i = 0; i < head->len; i++)
    {
      g_assert_cmpint (send (fd, head->str + i, 1, MSG_NOSIGNAL), ==, 1);
      /* The gate wakes for this byte (or for it and the next ones). */
      if (i + 1 < head->len)
        g_main_context_iteration (NULL, TRUE);
    }

  /* Answered (200, then the close). */
  while (!g_str_has_suffix (answer->str, "ok"))
    {
      char chunk[512];
      struct pollfd pfd = { fd, POLLIN, 0 };
      ssize_t n;

      if (poll (&pfd, 1, 0) <= 0)
        {
          g_main_context_iteration (NULL, TRUE);
          continue;
        }
      n = recv (fd, chunk, sizeof chunk, 0);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (answer, chunk, n);
    }
  g_assert_true (g_str_has_prefix (answer->str, "HTTP/1.1 200 "));
  close (fd);

  g_test_message ("%" G_GSIZE_FORMAT " bytes in %u lines: %u parses",
                  head->len, n_lines, cohort_http_gate_get_n_head_parses (gate));
  /* At most a few per line (its CR, its LF, its first byte). */
  g_assert_cmpuint (cohort_http_gate_get_n_head_parses (gate), <=, 4 * n_lines);
  cohort_http_gate_close (gate);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/http-head/valid", test_head_valid);
  g_test_add_func ("/cohort/http-head/invalid", test_head_invalid);
  g_test_add_func ("/cohort/http-head/random", test_head_random);
  g_test_add_func ("/cohort/transport/keepalive-descriptors", test_keepalive_descriptors);
  g_test_add_func ("/cohort/transport/handshake-timeout", test_handshake_timeout);
  g_test_add_func ("/cohort/transport/pending-caps", test_pending_caps);
  g_test_add_func ("/cohort/transport/trusted-proxy-exempt", test_trusted_proxy_exempt);
  g_test_add_func ("/cohort/transport/smuggling-refused", test_smuggling_refused);
  g_test_add_func ("/cohort/transport/gate-byte-by-byte", test_gate_byte_by_byte);

  return g_test_run ();
}

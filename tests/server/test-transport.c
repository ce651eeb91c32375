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

#include "cohort-test-server.h"

#define WS_HEAD "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n" \
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" \
                "Sec-WebSocket-Version: 13\r\n"

/* ---- helpers ---- */

static guint
count_fds (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Waits (at most 20 s, then fails) until the server holds at most @max
 * descriptors. */
static void
wait_fds_at_most (GPid  pid,
                  guint max)
{
  gint64 give_up = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  guint n;

  while ((n = count_fds (pid)) > max && g_get_monotonic_time () < give_up)
    g_usleep (20 * 1000);
  g_assert_cmpuint (n, <=, max);
}

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/transport/keepalive-descriptors", test_keepalive_descriptors);

  return g_test_run ();
}

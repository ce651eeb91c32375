/* cohort-http-gate.c: the listening socket, and every connection until its
 * WebSocket upgrade
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* accept4() */
#define _GNU_SOURCE
#define G_LOG_DOMAIN "cohort-http-gate"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cohort-http-gate.h"
#include "cohort-http-head.h"
#include "cohort-join-throttle.h"

/* The server accepts its connections here rather than in libsoup, for
 * three reasons (docs/architecture.md, "Sockets"):
 *
 * - A connection that is not upgraded (or answered) within the timeout is
 *   closed. libsoup waits for a request head forever, so idle sockets and
 *   slowloris heads at a byte a second held a descriptor and memory each
 *   (3,000 of them 50 MB).
 * - Not-yet-upgraded connections are capped per network address (the join
 *   throttle's key: IPv4 address, IPv6 /64; the socket's peer, never an
 *   X-Forwarded-For a client writes itself) and in all.
 * - Each request head is read by a strict parser (CohortHttpHead) before
 *   libsoup sees it, so that a head a proxy could read differently is
 *   answered 400 here.
 *
 * The head is read with MSG_PEEK, so nothing is taken from the socket:
 * once it passes, the untouched connection goes to libsoup
 * (soup_server_accept_iostream), which reads it again and does the
 * WebSocket handshake. While the head is incomplete, SO_RCVLOWAT keeps
 * epoll quiet until a byte more than what was peeked has come, and the
 * watch is edge-triggered so that no kernel spins on bytes already seen. The
 * connection stays counted, and under the timeout, until its 101 is out
 * (cohort_http_gate_take) or libsoup lets it go. */

/* A wake-up accepts at most this many, so that the rest of the server
 * runs between bursts. */
#define ACCEPTS_PER_WAKEUP 64
/* Out of descriptors: accept() is retried after this long. */
#define EMFILE_PAUSE_MS    100

typedef struct
{
  CohortHttpGate    *gate;
  GSocketConnection *connection;
  /* set once libsoup has the connection: @connection is then only watched
   * (weak), libsoup holds it */
  GObject           *handed;
  int                fd;
  GSocketAddress    *local;
  GSocketAddress    *remote;
  /* NULL for an exempt peer (a trusted proxy) */
  char              *key;
  gint64             deadline;
  CohortSocketWatch *watch;
  gsize              peeked;
  GList              link;
} Pending;

struct _CohortHttpGate
{
  GObject            parent_instance;

  SoupServer        *soup;
  CohortSocketHub   *hub;
  GSocket           *listener;
  CohortSocketWatch *listener_watch;
  guint              resume_source;
  /* the last "could not accept" warning (monotonic µs) */
  gint64             warned_at;

  gint64             timeout_us;
  guint              per_address;
  guint              total;
  char             **exempt;

  /* GSocketAddress (remote, the one given to libsoup) → Pending */
  GHashTable        *pending;
  /* Pending, oldest (earliest deadline) first */
  GQueue             queue;
  /* address key → count of pending connections */
  GHashTable        *per_key;
  guint              timer;
  /* request heads read (parsed) so far, for tests */
  guint              n_head_parses;
};

G_DEFINE_FINAL_TYPE (CohortHttpGate, cohort_http_gate, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void arm_timer (CohortHttpGate *self);

static void on_handed_finalized (gpointer  data,
                                 GObject  *where);

/* Forgets @p: its slot and counts are free again. Closes nothing. */
static void
pending_forget (Pending *p)
{
  CohortHttpGate *self = p->gate;

  if (p->watch != NULL)
    cohort_socket_hub_unwatch (self->hub, p->watch);
  p->watch = NULL;
  if (p->handed != NULL)
    g_object_weak_unref (p->handed, on_handed_finalized, p);
  p->handed = NULL;
  g_queue_unlink (&self->queue, &p->link);
  if (p->key != NULL)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->per_key, p->key));

      if (n <= 1)
        g_hash_table_remove (self->per_key, p->key);
      else
        g_hash_table_insert (self->per_key, g_strdup (p->key), GUINT_TO_POINTER (n - 1));
    }
  /* Frees @p (see pending_free) */
  g_hash_table_remove (self->pending, p->remote);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

static void
pending_free (Pending *p)
{
  g_clear_object (&p->connection);
  g_clear_object (&p->local);
  g_clear_object (&p->remote);
  g_free (p->key);
  g_free (p);
}

/* Closes a connection the gate still owns, after writing @response (a
 * whole, short HTTP response) if the socket takes it at once. */
static void
pending_refuse (Pending    *p,
                const char *response)
{
  g_autoptr(GSocketConnection) connection = g_steal_pointer (&p->connection);

  if (response != NULL)
    {
      guint8 sink[4096];

      (void) send (p->fd, response, strlen (response), MSG_NOSIGNAL | MSG_DONTWAIT);
      /* What the client sent (only peeked so far) is taken, so that the
       * close is a FIN behind the answer, not a reset that may overtake
       * it. */
      for (guint i = 0; i < 16 && recv (p->fd, sink, sizeof sink, MSG_DONTWAIT) > 0; i++)
        ;
    }
  pending_forget (p);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
}

static void
on_handed_finalized (gpointer  data,
                     GObject  *where)
{
  Pending *p = data;

  /* libsoup let it go (answered and closed, or failed): gone already. */
  p->handed = NULL;
  pending_forget (p);
}

static void
hand_to_soup (Pending *p)
{
  CohortHttpGate *self = p->gate;
  g_autoptr(GSocketConnection) connection = g_steal_pointer (&p->connection);
  g_autoptr(GSocketAddress) local = g_object_ref (p->local);
  g_autoptr(GSocketAddress) remote = g_object_ref (p->remote);
  g_autoptr(GError) error = NULL;
  int lowat = 1;

  cohort_socket_hub_unwatch (self->hub, p->watch);
  p->watch = NULL;
  setsockopt (p->fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof lowat);

  /* From here libsoup owns the connection; the gate only hears when it
   * goes, or takes it back at the upgrade. libsoup may read the request,
   * upgrade and so call cohort_http_gate_take() (which frees @p) before
   * soup_server_accept_iostream() returns. */
  p->handed = G_OBJECT (connection);
  g_object_weak_ref (p->handed, on_handed_finalized, p);
  if (!soup_server_accept_iostream (self->soup, G_IO_STREAM (connection), local, remote, &error))
    {
      g_debug ("libsoup refused a connection: %s", error->message);
      if ((p = g_hash_table_lookup (self->pending, remote)) != NULL)
        pending_forget (p);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }
}

/* Whether the bytes from @from to @n can change what the head parser
 * says: a line ended, a CR or NUL came (a bare CR or a NUL is refused at
 * once), a new line began (a folded line shows at its first byte), or the
 * head reached its size limit. Between these the parser would only read
 * the same lines again: a head sent a byte at a time was parsed whole for
 * every byte (8 KiB cost 72 ms of the server's one thread, and a few
 * hundred such connections kept it busy). */
static gboolean
may_decide (const guint8 *buffer,
            gsize         from,
            gsize         n)
{
  if (from == 0 || n >= COHORT_HTTP_HEAD_MAX_BYTES ||
      buffer[from - 1] == '\n' || buffer[from - 1] == '\r')
    return TRUE;
  for (gsize i = from; i < n; i++)
    if (buffer[i] == '\n' || buffer[i] == '\r' || buffer[i] == '\0')
      return TRUE;
  return FALSE;
}

static void
on_pending_ready (gpointer data,
                  guint32  events)
{
  Pending *p = data;
  guint8 buffer[COHORT_HTTP_HEAD_MAX_BYTES];
  g_autoptr(CohortHttpHead) head = NULL;
  g_autoptr(GError) error = NULL;
  ssize_t n;
  int lowat;

  do
    n = recv (p->fd, buffer, sizeof buffer, MSG_PEEK | MSG_DONTWAIT);
  while (n < 0 && errno == EINTR);

  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    return;
  if (n <= 0)
    {
      /* The client hung up (or the socket failed) before its head was in. */
      pending_refuse (p, NULL);
      return;
    }

  /* Nothing new since the last look (a kernel that wakes before
   * SO_RCVLOWAT is met): nothing to decide. A hang-up still is. */
  if ((gsize) n <= p->peeked && !(events & EPOLLRDHUP))
    return;

  if (may_decide (buffer, MIN (p->peeked, (gsize) n), n))
    {
      p->gate->n_head_parses++;
      if (cohort_http_head_parse (buffer, n, &head, NULL, &error))
        {
          hand_to_soup (p);
          return;
        }
      if (g_error_matches (error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_INVALID))
        {
          g_debug ("Refusing a request: %s", error->message);
          pending_refuse (p, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"
                             "Content-Length: 0\r\n\r\n");
          return;
        }
      if (g_error_matches (error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_TOO_LARGE))
        {
          pending_refuse (p, "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n"
                             "Content-Length: 0\r\n\r\n");
          return;
        }
    }

  /* Incomplete. A half-closed client sends no more. */
  if (events & EPOLLRDHUP)
    {
      pending_refuse (p, NULL);
      return;
    }
  /* Quiet until there is more than what was seen. */
  p->peeked = n;
  lowat = n + 1;
  setsockopt (p->fd, SOL_SOCKET, SO_RCVLOWAT, &lowat, sizeof lowat);
}

static gboolean
on_timer (gpointer user_data)
{
  CohortHttpGate *self = user_data;
  gint64 now = g_get_monotonic_time ();

  self->timer = 0;
  while (self->queue.head != NULL)
    {
      Pending *p = self->queue.head->data;

      if (p->deadline > now)
        break;
      if (p->handed != NULL)
        {
          /* libsoup's: it sees the end on its next read or write, and
           * closes. The slot is free from now. */
          GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (p->handed));

          g_debug ("Closing a connection that was not upgraded in time");
          /* Through the GSocket, which knows when libsoup has closed it
           * already (its descriptor may be another socket's by now). */
          if (!g_socket_is_closed (socket))
            g_socket_shutdown (socket, TRUE, TRUE, NULL);
          pending_forget (p);
        }
      else
        {
          g_debug ("Closing a connection that sent no complete request head in time");
          /* Whoever started a request hears why it ends. */
          pending_refuse (p, p->peeked > 0 ? "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
                                             "Content-Length: 0\r\n\r\n"
                                           : NULL);
        }
    }
  arm_timer (self);
  return G_SOURCE_REMOVE;
}

static void
arm_timer (CohortHttpGate *self)
{
  Pending *first;
  gint64 wait_us;

  if (self->timer != 0 || self->queue.head == NULL)
    return;
  first = self->queue.head->data;
  wait_us = MAX (first->deadline - g_get_monotonic_time (), 0);
  self->timer = g_timeout_add ((wait_us + 999) / 1000, on_timer, self);
}

static gboolean
is_exempt (CohortHttpGate *self,
           GInetAddress   *address,
           const char     *key)
{
  g_autofree char *text = g_inet_address_to_string (address);

  return self->exempt != NULL &&
         (g_strv_contains ((const char * const *) self->exempt, text) ||
          g_strv_contains ((const char * const *) self->exempt, key));
}

static void
accept_one (CohortHttpGate *self,
            int             fd)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;
  Pending *p;
  GInetAddress *address;
  guint n_key;

  if (!(socket = g_socket_new_from_fd (fd, &error)))
    {
      g_warning ("Could not take a connection: %s", error->message);
      close (fd);
      return;
    }

  /* As libsoup's own listener does: small frames go out at once. */
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  p = g_new0 (Pending, 1);
  p->gate = self;
  p->fd = fd;
  p->link.data = p;
  p->connection = g_socket_connection_factory_create_connection (socket);
  p->local = g_socket_get_local_address (socket, NULL);
  p->remote = g_socket_get_remote_address (socket, NULL);
  if (p->local == NULL || p->remote == NULL || !G_IS_INET_SOCKET_ADDRESS (p->remote))
    {
      /* It went away already. */
      g_io_stream_close (G_IO_STREAM (p->connection), NULL, NULL);
      pending_free (p);
      return;
    }

  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (p->remote));
  p->key = cohort_join_throttle_address_key (address);
  if (is_exempt (self, address, p->key))
    g_clear_pointer (&p->key, g_free);
  n_key = p->key != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (self->per_key, p->key)) : 0;

  p->deadline = g_get_monotonic_time () + self->timeout_us;
  g_hash_table_insert (self->pending, p->remote, p);
  g_queue_push_tail_link (&self->queue, &p->link);

  if (g_hash_table_size (self->pending) > self->total || n_key >= self->per_address)
    {
      g_clear_pointer (&p->key, g_free);
      g_debug ("Refusing a connection: too many waiting for their handshake");
      pending_refuse (p, "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
                         "Retry-After: 5\r\nContent-Length: 0\r\n\r\n");
      return;
    }
  if (p->key != NULL)
    g_hash_table_insert (self->per_key, g_strdup (p->key), GUINT_TO_POINTER (n_key + 1));

  /* Edge-triggered: the peeked bytes stay in the socket, so a
   * level-triggered watch would spin on them wherever SO_RCVLOWAT does
   * not hold epoll back; each arrival wakes the gate once. */
  p->watch = cohort_socket_hub_watch (self->hub, fd, EPOLLIN | EPOLLRDHUP | EPOLLET,
                                      on_pending_ready, p, &error);
  if (p->watch == NULL)
    {
      g_warning ("Could not watch a connection: %s", error->message);
      pending_refuse (p, NULL);
      return;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
  arm_timer (self);
}

static void on_listener_ready (gpointer data,
                               guint32  events);

static gboolean
on_resume_accepting (gpointer user_data)
{
  CohortHttpGate *self = user_data;

  self->resume_source = 0;
  if (self->listener != NULL && self->listener_watch == NULL)
    self->listener_watch = cohort_socket_hub_watch (self->hub, g_socket_get_fd (self->listener),
                                                    EPOLLIN, on_listener_ready, self, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_listener_ready (gpointer data,
                   guint32  events)
{
  CohortHttpGate *self = data;

  for (guint i = 0; i < ACCEPTS_PER_WAKEUP; i++)
    {
      int fd = accept4 (g_socket_get_fd (self->listener), NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

      if (fd >= 0)
        {
          accept_one (self, fd);
          continue;
        }
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
        {
          /* Level-triggered: the waiting connection would wake the loop
           * at once again. Pause instead, as libsoup's listener does not. */
          gint64 now = g_get_monotonic_time ();

          /* Once a minute is enough to say so. */
          if (self->warned_at == 0 || now - self->warned_at > 60 * G_USEC_PER_SEC)
            {
              g_warning ("Could not accept a connection: %s (raise LimitNOFILE)", g_strerror (errno));
              self->warned_at = now;
            }
          cohort_socket_hub_unwatch (self->hub, self->listener_watch);
          self->listener_watch = NULL;
          self->resume_source = g_timeout_add (EMFILE_PAUSE_MS, on_resume_accepting, self);
        }
      return;
    }
}

/**
 * cohort_http_gate_listen:
 * @address: where to listen
 * @out_port: (out) (optional): the port bound (for port 0)
 *
 * Starts accepting connections; one listener per gate.
 */
gboolean
cohort_http_gate_listen (CohortHttpGate  *self,
                         GSocketAddress  *address,
                         guint           *out_port,
                         GError         **error)
{
  g_autoptr(GSocket) socket = NULL;

  g_return_val_if_fail (COHORT_IS_HTTP_GATE (self), FALSE);
  g_return_val_if_fail (self->listener == NULL, FALSE);

  socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  /* When a class starts, dozens of students connect at once: GLib's
   * default backlog of 10 would drop the SYNs over it, and each such
   * client would wait a 1 s (then 3 s) retransmission. */
  g_socket_set_listen_backlog (socket, SOMAXCONN);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return FALSE;

  if (out_port != NULL)
    {
      g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, error);

      if (local == NULL)
        return FALSE;
      *out_port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
    }

  self->listener_watch = cohort_socket_hub_watch (self->hub, g_socket_get_fd (socket), EPOLLIN,
                                                  on_listener_ready, self, error);
  if (self->listener_watch == NULL)
    return FALSE;
  self->listener = g_steal_pointer (&socket);
  return TRUE;
}

/**
 * cohort_http_gate_take:
 * @remote: the remote address of the message whose 101 just went out
 *   (soup_server_message_get_remote_address)
 *
 * The connection leaves the gate for good: no longer counted, no timeout.
 *
 * Returns: (transfer none) (nullable): its socket, alive as long as the
 *   stream libsoup hands over; NULL if the gate does not know it (its
 *   time was up).
 */
GSocket *
cohort_http_gate_take (CohortHttpGate *self,
                       GSocketAddress *remote)
{
  Pending *p;
  GSocket *socket;

  g_return_val_if_fail (COHORT_IS_HTTP_GATE (self), NULL);

  p = remote != NULL ? g_hash_table_lookup (self->pending, remote) : NULL;
  if (p == NULL || p->handed == NULL)
    return NULL;
  socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (p->handed));
  pending_forget (p);
  return socket;
}

/* Stops listening and closes every connection not handed on yet. */
void
cohort_http_gate_close (CohortHttpGate *self)
{
  g_return_if_fail (COHORT_IS_HTTP_GATE (self));

  g_clear_handle_id (&self->resume_source, g_source_remove);
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->listener_watch != NULL)
    cohort_socket_hub_unwatch (self->hub, self->listener_watch);
  self->listener_watch = NULL;
  if (self->listener != NULL)
    g_socket_close (self->listener, NULL);
  g_clear_object (&self->listener);

  while (self->queue.head != NULL)
    {
      Pending *p = self->queue.head->data;

      if (p->handed != NULL)
        pending_forget (p);
      else
        pending_refuse (p, NULL);
    }
}

/**
 * cohort_http_gate_set_limits:
 * @timeout_seconds: a connection not upgraded (or answered) by then is
 *   closed; at least 1
 * @per_address: most connections waiting for their upgrade from one
 *   network address
 * @total: most connections waiting for their upgrade in all
 */
void
cohort_http_gate_set_limits (CohortHttpGate *self,
                             guint           timeout_seconds,
                             guint           per_address,
                             guint           total)
{
  g_return_if_fail (COHORT_IS_HTTP_GATE (self));
  g_return_if_fail (timeout_seconds > 0 && per_address > 0 && total > 0);

  self->timeout_us = (gint64) timeout_seconds * G_USEC_PER_SEC;
  self->per_address = per_address;
  self->total = total;
}

/**
 * cohort_http_gate_set_exempt:
 * @addresses: (nullable): peers without a per-address cap (the trusted
 *   proxies, through which every client comes), canonical strings
 */
void
cohort_http_gate_set_exempt (CohortHttpGate     *self,
                             const char * const *addresses)
{
  g_return_if_fail (COHORT_IS_HTTP_GATE (self));

  g_strfreev (self->exempt);
  self->exempt = g_strdupv ((char **) addresses);
}

/* How many times a request head was parsed: for tests, which check that
 * a head coming in a byte at a time is not parsed for every byte. */
guint
cohort_http_gate_get_n_head_parses (CohortHttpGate *self)
{
  g_return_val_if_fail (COHORT_IS_HTTP_GATE (self), 0);

  return self->n_head_parses;
}

guint
cohort_http_gate_get_n_pending (CohortHttpGate *self)
{
  g_return_val_if_fail (COHORT_IS_HTTP_GATE (self), 0);

  return g_hash_table_size (self->pending);
}

static void
cohort_http_gate_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CohortHttpGate *self = COHORT_HTTP_GATE (object);

  switch (prop_id)
    {
    case PROP_N_PENDING:
      g_value_set_uint (value, cohort_http_gate_get_n_pending (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_http_gate_dispose (GObject *object)
{
  CohortHttpGate *self = COHORT_HTTP_GATE (object);

  if (self->pending != NULL)
    cohort_http_gate_close (self);
  g_clear_object (&self->hub);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (cohort_http_gate_parent_class)->dispose (object);
}

static void
cohort_http_gate_finalize (GObject *object)
{
  CohortHttpGate *self = COHORT_HTTP_GATE (object);

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->per_key, g_hash_table_unref);
  g_strfreev (self->exempt);

  G_OBJECT_CLASS (cohort_http_gate_parent_class)->finalize (object);
}

static void
cohort_http_gate_class_init (CohortHttpGateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cohort_http_gate_get_property;
  object_class->dispose = cohort_http_gate_dispose;
  object_class->finalize = cohort_http_gate_finalize;

  /**
   * CohortHttpGate:n-pending:
   *
   * Connections accepted and not yet upgraded (or let go).
   */
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_http_gate_init (CohortHttpGate *self)
{
  self->timeout_us = (gint64) COHORT_HTTP_GATE_DEFAULT_TIMEOUT * G_USEC_PER_SEC;
  self->per_address = COHORT_HTTP_GATE_DEFAULT_PER_ADDRESS;
  self->total = COHORT_HTTP_GATE_DEFAULT_TOTAL;
  self->pending = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify) pending_free);
  self->per_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->queue);
}

CohortHttpGate *
cohort_http_gate_new (SoupServer      *soup,
                      CohortSocketHub *hub)
{
  CohortHttpGate *self;

  g_return_val_if_fail (SOUP_IS_SERVER (soup), NULL);
  g_return_val_if_fail (COHORT_IS_SOCKET_HUB (hub), NULL);

  self = g_object_new (COHORT_TYPE_HTTP_GATE, NULL);
  self->soup = g_object_ref (soup);
  self->hub = g_object_ref (hub);
  return self;
}

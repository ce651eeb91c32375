/* cohort-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-server"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/socket.h>

#include "cohort-connection.h"
#include "cohort-http-gate.h"
#include "cohort-identity-protocol.h"
#include "cohort-join-throttle.h"
#include "cohort-protocol.h"
#include "cohort-secret.h"
#include "cohort-ws-frame.h"
#include "cohort-identity-service.h"
#include "cohort-server-internal.h"

/* A client quiet for this long is pinged */
#define KEEPALIVE_US         ((gint64) 15 * G_USEC_PER_SEC)
/* A client that sent nothing (not even a pong) for this long is gone. */
#define DEAD_AFTER_US        (3 * KEEPALIVE_US)
#define SHUTDOWN_GRACE_MS    2000
/* Wrong class codes one address may try: this many at once, then one
 * more every JOIN_GUESS_REFILL_US (see CohortJoinThrottle). A whole
 * school may share one address (NAT): 100 typos in a row is far more than
 * a start of term makes, and 86,400 guesses a day still find one of a
 * thousand classes about once in 10,000 days. */
#define JOIN_GUESS_BURST     100
#define JOIN_GUESS_REFILL_US ((gint64) G_USEC_PER_SEC)
#define JOIN_GUESS_MAX_HOSTS 65536

G_DEFINE_FINAL_TYPE (CohortServer, cohort_server, G_TYPE_OBJECT)

static gpointer
ref_connection (gconstpointer conn,
                gpointer      unused)
{
  return g_object_ref ((gpointer) conn);
}

/* A copy of the list (holding references) to walk while what is done to
 * each connection may close it, and so remove it from the list. */
static GPtrArray *
snapshot_connections (CohortServer *self)
{
  return g_ptr_array_copy (self->connections, ref_connection, NULL);
}

static guint
presence_get (CohortServer *self,
              gint64        participant_id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->presence, &participant_id));
}

static void
presence_set (CohortServer *self,
              gint64        participant_id,
              guint         count)
{
  if (count == 0)
    g_hash_table_remove (self->presence, &participant_id);
  else
    g_hash_table_insert (self->presence, g_memdup2 (&participant_id, sizeof participant_id),
                         GUINT_TO_POINTER (count));
}

void
_cohort_server_connection_joined (CohortServer     *self,
                                  CohortConnection *conn,
                                  gint64            class_id,
                                  gint64            participant_id,
                                  gboolean          is_teacher,
                                  gint64            seq)
{
  cohort_connection_set_joined (conn, class_id, participant_id, is_teacher);
  cohort_connection_set_last_sent_seq (conn, seq);
  presence_set (self, participant_id, presence_get (self, participant_id) + 1);
}

/* The connection stops being joined; the participant goes offline when it
 * was their last one. */
static void
connection_left (CohortServer     *self,
                 CohortConnection *conn)
{
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(GError) error = NULL;
  gint64 participant_id;
  guint count;
  JsonObject *body;

  /* The connection's deferred requests come before its going. */
  _cohort_server_run_barriers (self, NULL);

  if (!cohort_connection_is_joined (conn))
    return;

  participant_id = cohort_connection_get_participant_id (conn);
  for (guint i = 0; i < self->services->len; i++)
    cohort_service_connection_left (g_ptr_array_index (self->services, i), conn);
  cohort_connection_clear_joined (conn);

  count = presence_get (self, participant_id);
  if (count > 0)
    count--;
  presence_set (self, participant_id, count);

  if (count > 0 || self->shutting_down)
    return;

  body = json_object_new ();
  json_object_set_int_member (body, "participant_id", participant_id);
  json_object_set_boolean_member (body, "online", FALSE);

  if (!cohort_store_begin (self->store, &error) ||
      !cohort_store_set_online (self->store, participant_id, FALSE, &error) ||
      !_cohort_server_emit_event (self, pending, cohort_connection_get_class_id (conn),
                   COHORT_EV_PARTICIPANT_PRESENCE, g_steal_pointer (&body), &error) ||
      !cohort_store_commit (self->store, &error))
    {
      /* The participant stays marked online until the next start recovers it. */
      g_warning ("Could not record participant %" G_GINT64_FORMAT " going offline: %s",
                 participant_id, error->message);
      g_clear_pointer (&body, json_object_unref);
      cohort_store_rollback (self->store);
      return;
    }

  _cohort_server_broadcast (self, pending);
}

/* The connection joins with a full picture: features add their state to
 * @body, the reply goes out, then the events the join caused. */
void
_cohort_server_welcome (CohortServer            *self,
                        CohortConnection        *conn,
                        const char              *id,
                        CohortClassRecord       *klass,
                        CohortParticipantRecord *you,
                        gint64                   seq,
                        JsonObject              *body,
                        GPtrArray               *pending)
{
  g_autoptr(CohortMessage) reply = NULL;

  _cohort_server_connection_joined (self, conn, klass->id, you->id, g_strcmp0 (you->role, "teacher") == 0, seq);
  for (guint i = 0; i < self->services->len; i++)
    cohort_service_welcome (g_ptr_array_index (self->services, i), conn, body);
  reply = cohort_message_new_ok (id, body);
  _cohort_server_send_message (conn, reply);
  _cohort_server_broadcast (self, pending);
}

static void
join_guess_failed (CohortServer     *self,
                   CohortConnection *conn)
{
  cohort_join_throttle_failed (self->join_throttle, cohort_connection_get_remote_host (conn),
                               g_get_monotonic_time ());
}

void
_cohort_server_kick_participant (CohortServer *self,
                                 gint64        class_id,
                                 gint64        participant_id)
{
  g_autoptr(GPtrArray) conns = snapshot_connections (self);

  for (guint i = 0; i < conns->len; i++)
    {
      CohortConnection *conn = g_ptr_array_index (conns, i);

      if (!cohort_connection_is_joined (conn) ||
          cohort_connection_get_class_id (conn) != class_id ||
          cohort_connection_get_participant_id (conn) != participant_id)
        continue;
      connection_left (self, conn);
      cohort_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "removed");
    }
}

char *
_cohort_server_get_participant_host (CohortServer *self,
                                     gint64        class_id,
                                     gint64        participant_id)
{
  g_autoptr(GPtrArray) conns = snapshot_connections (self);

  for (guint i = 0; i < conns->len; i++)
    {
      CohortConnection *conn = g_ptr_array_index (conns, i);

      if (cohort_connection_is_joined (conn) &&
          cohort_connection_get_class_id (conn) == class_id &&
          cohort_connection_get_participant_id (conn) == participant_id &&
          cohort_connection_get_remote_host (conn) != NULL)
        return g_strdup (cohort_connection_get_remote_host (conn));
    }
  return NULL;
}

gboolean
_cohort_server_join_throttled (CohortServer     *self,
                               CohortConnection *conn)
{
  return cohort_join_throttle_check (self->join_throttle, cohort_connection_get_remote_host (conn),
                                     g_get_monotonic_time ()) > 0;
}

void
_cohort_server_join_guess_failed (CohortServer     *self,
                                  CohortConnection *conn)
{
  join_guess_failed (self, conn);
}

gint64
_cohort_server_host_throttled (CohortServer *self,
                               const char   *host)
{
  return cohort_join_throttle_check (self->join_throttle, host, g_get_monotonic_time ());
}

void
_cohort_server_host_guess_failed (CohortServer *self,
                                  const char   *host)
{
  cohort_join_throttle_failed (self->join_throttle, host, g_get_monotonic_time ());
}

static void
on_pong (CohortConnection *conn,
         gpointer          user_data)
{
  cohort_connection_touch (conn, g_get_monotonic_time ());
}

static void
check_shutdown_done (CohortServer *self)
{
  CohortServerDoneFunc callback;

  if (!self->shutting_down || self->shutdown_callback == NULL)
    return;
  if (self->connections->len > 0 && self->shutdown_timeout != 0)
    return;

  g_clear_handle_id (&self->shutdown_timeout, g_source_remove);
  callback = self->shutdown_callback;
  self->shutdown_callback = NULL;
  callback (self->shutdown_data);
}

static void
on_closed (CohortConnection *conn,
           gpointer          user_data)
{
  CohortServer *self = user_data;
  guint index;

  g_signal_handlers_disconnect_by_data (conn, self);

  connection_left (self, conn);

  /* The emission holds its own reference until it returns. */
  if (g_ptr_array_find (self->connections, conn, &index))
    g_ptr_array_remove_index_fast (self->connections, index);

  check_shutdown_done (self);
}

/* The address a client connects from. Behind a reverse proxy listed in
 * trusted-proxies (docs/deploy.md) the socket comes from the proxy, which
 * appends the client's address to X-Forwarded-For: the rightmost entry is
 * the one it saw. Entries further left are the client's own say-so. */
static char *
client_host (CohortServer      *self,
             SoupServerMessage *msg)
{
  const char *peer = soup_server_message_get_remote_host (msg);
  g_autoptr(GInetAddress) peer_address = peer ? g_inet_address_new_from_string (peer) : NULL;
  g_autofree char *peer_text = NULL;
  const char *forwarded;
  const char *last;
  g_autoptr(GInetAddress) address = NULL;

  if (peer_address == NULL)
    return g_strdup (peer);

  peer_text = g_inet_address_to_string (peer_address);
  if (self->trusted_proxies == NULL || !g_strv_contains ((const char * const *) self->trusted_proxies, peer_text))
    return cohort_join_throttle_address_key (peer_address);

  forwarded = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                             "X-Forwarded-For");
  if (forwarded == NULL)
    return cohort_join_throttle_address_key (peer_address);

  last = strrchr (forwarded, ',');
  address = cohort_join_throttle_parse_forwarded (last != NULL ? last + 1 : forwarded);
  if (address != NULL)
    return cohort_join_throttle_address_key (address);
  /* Something the proxy wrote that is not an address ("unknown"): its own
   * bucket, never the proxy's, which every other client shares. */
  {
    g_autofree char *entry = g_strstrip (g_strdup (last != NULL ? last + 1 : forwarded));

    return g_strconcat ("forwarded:", entry, NULL);
  }
}

char *
_cohort_server_http_client_host (CohortServer      *self,
                                 SoupServerMessage *msg)
{
  return client_host (self, msg);
}

gboolean
_cohort_server_is_shutting_down (CohortServer *self)
{
  return self->shutting_down;
}

/* The 101 response is out: the socket leaves libsoup's HTTP server for
 * the hub, and CohortConnection speaks WebSocket on it from here on. */
static void
on_upgraded (SoupServerMessage *msg,
             gpointer           user_data)
{
  CohortServer *self = user_data;
  const char *query = g_uri_get_query (soup_server_message_get_uri (msg));
  /* The gate accepted it, and lets go of it now. */
  GSocket *socket = cohort_http_gate_take (self->gate, soup_server_message_get_remote_address (msg));
  /* Read before the connection leaves the message. */
  g_autofree char *host = client_host (self, msg);
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(CohortConnection) conn = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_handlers_disconnect_by_func (msg, on_upgraded, self);
  if (socket == NULL)
    {
      /* Its time ran out just as the 101 went: libsoup must not go on
       * reading it as HTTP. */
      stream = soup_server_message_steal_connection (msg);
      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
      return;
    }
  g_object_ref (socket);
  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    {
      g_object_unref (socket);
      return;
    }

  conn = cohort_connection_new (stream, socket, self->hub, COHORT_HARD_FRAME_BYTES, &error);
  g_object_unref (socket);
  if (conn == NULL)
    {
      g_warning ("Could not take a WebSocket connection: %s", error->message);
      g_io_stream_close (stream, NULL, NULL);
      return;
    }

  cohort_connection_set_remote_host (conn, host);
  if (self->durability != NULL)
    cohort_connection_set_durability (conn, self->durability);

  /* A client that reads batch frames says so in the URL (docs/protocol.md). */
  if (query != NULL && (g_str_equal (query, "batch=1") || g_str_has_prefix (query, "batch=1&") ||
                        strstr (query, "&batch=1") != NULL))
    cohort_connection_set_batch (conn, TRUE);

  g_signal_connect (conn, "message", G_CALLBACK (_cohort_server_on_message), self);
  g_signal_connect (conn, "pong", G_CALLBACK (on_pong), self);
  g_signal_connect (conn, "closed", G_CALLBACK (on_closed), self);

  /* TCP_NODELAY is on (the gate sets it, as libsoup's own listener did):
   * with Nagle's algorithm an event right behind its reply waited for the
   * reply's ACK. A run of frames to one client still goes out in one
   * sendmsg() (flush_events). */
  /* The 101 may have gone out just after shutdown began. */
  if (self->shutting_down)
    cohort_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
  g_ptr_array_add (self->connections, g_steal_pointer (&conn));
}

/* Every answer but a 101 closes its connection. libsoup 3.2's server
 * loses track of a keep-alive connection that sits idle after a full
 * response: when the client hangs up, nothing closes its side, and the
 * descriptor stays in CLOSE-WAIT for good (fixed upstream in 3.3,
 * libsoup commit d20c6601). One request per connection costs /health and
 * a failed handshake nothing that matters. Set before the handler runs,
 * so that 404s and libsoup's own errors carry it too; on_ws_request takes
 * it back off for an upgrade. */
static void
on_request_read (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Connection", "close");
}

/* No WebSocket extensions: permessage-deflate would compress each frame
 * once per receiving socket, and a class's frames are small. */
static void
on_ws_request (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  CohortServer *self = user_data;
  SoupMessageHeaders *headers;

  if (self->shutting_down)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      return;
    }

  /* On failure it has set the error status itself. */
  headers = soup_server_message_get_response_headers (msg);
  soup_message_headers_remove (headers, "Connection");
  if (soup_websocket_server_process_handshake (msg, NULL, NULL, NULL, NULL))
    g_signal_connect_object (msg, "wrote-informational", G_CALLBACK (on_upgraded), self, 0);
  else
    soup_message_headers_replace (headers, "Connection", "close");
}

static void
on_health (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  if (soup_server_message_get_method (msg) != SOUP_METHOD_GET &&
      soup_server_message_get_method (msg) != SOUP_METHOD_HEAD)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
}

static gboolean
check_liveness (gpointer user_data)
{
  CohortServer *self = user_data;
  gint64 now = g_get_monotonic_time ();
  /* Aborting one removes it from the list. */
  g_autoptr(GPtrArray) connections = snapshot_connections (self);

  for (guint i = 0; i < connections->len; i++)
    {
      CohortConnection *conn = g_ptr_array_index (connections, i);
      gint64 idle = now - cohort_connection_get_last_activity (conn);

      if (idle > DEAD_AFTER_US)
        {
          g_message ("Closing a connection that stopped answering");
          cohort_connection_abort (conn);
        }
      /* An app joins (or resumes) right after connecting; a socket that
       * never does only holds a descriptor, and would answer pings for
       * ever. */
      /* identity: a waiting room is not idle; the student waits for the teacher. */
      else if (self->join_timeout_us > 0 && !cohort_connection_is_joined (conn) &&
               !_cohort_identity_is_waiting (self, conn) &&
               cohort_connection_is_open (conn) &&
               now - cohort_connection_get_connected_at (conn) > self->join_timeout_us)
        {
          g_debug ("Closing a connection that never joined");
          cohort_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "join first");
        }
      /* Checked every second, so the pings of a class that joined together
       * still go out spread as they joined, not as one burst. */
      else if (idle >= KEEPALIVE_US && now - cohort_connection_get_last_ping (conn) >= KEEPALIVE_US)
        cohort_connection_ping (conn, now);
    }

  return G_SOURCE_CONTINUE;
}

/* Idempotency records older than any client still resends (a sent
 * request is resent for at most COHORT_SENT_REQUEST_MAX_AGE_DAYS) are
 * dropped: without this the table grows by one row per request for ever. */
static void
prune_replies (CohortServer *self)
{
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time () / 1000 - (gint64) COHORT_REPLY_RETENTION_DAYS * 24 * 3600 * 1000;
  guint removed = 0;

  if (!cohort_store_prune_replies (self->store, before, &removed, &error))
    g_warning ("Could not prune old replies: %s", error->message);
  else if (removed > 0)
    g_message ("Pruned %u replies older than %d days", removed, COHORT_REPLY_RETENTION_DAYS);
}

static gboolean
on_prune (gpointer user_data)
{
  prune_replies (user_data);
  return G_SOURCE_CONTINUE;
}

/**
 * cohort_server_set_join_timeout:
 * @seconds: how long a socket may stay without joining a class (or
 *   resuming); 0 for no limit. The default is 60.
 */
void
cohort_server_set_join_timeout (CohortServer *self,
                                guint         seconds)
{
  g_return_if_fail (COHORT_IS_SERVER (self));

  self->join_timeout_us = (gint64) seconds * G_USEC_PER_SEC;
}

/**
 * cohort_server_set_trusted_proxies:
 * @proxies: (nullable): addresses of reverse proxies whose X-Forwarded-For
 *   names the client (default: 127.0.0.1 and ::1); NULL or empty: none
 *
 * Returns: FALSE (changing nothing) if an entry is not an IP address.
 */
gboolean
cohort_server_set_trusted_proxies (CohortServer        *self,
                                   const char * const  *proxies,
                                   GError             **error)
{
  g_autoptr(GPtrArray) canonical = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (COHORT_IS_SERVER (self), FALSE);

  for (guint i = 0; proxies != NULL && proxies[i] != NULL; i++)
    {
      g_autofree char *text = g_strstrip (g_strdup (proxies[i]));
      g_autoptr(GInetAddress) address = NULL;

      if (*text == '\0')
        continue;
      if (!(address = g_inet_address_new_from_string (text)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "trusted-proxies: “%s” is not an IP address", text);
          return FALSE;
        }
      g_ptr_array_add (canonical, g_inet_address_to_string (address));
    }
  g_ptr_array_add (canonical, NULL);

  g_strfreev (self->trusted_proxies);
  self->trusted_proxies = (char **) g_ptr_array_free (g_steal_pointer (&canonical), FALSE);
  /* Every client of a proxy comes from its address: the proxy, not this
   * cap, has to hold back the pending connections of each. */
  cohort_http_gate_set_exempt (self->gate, (const char * const *) self->trusted_proxies);
  return TRUE;
}

/**
 * cohort_server_set_handshake_limits:
 * @timeout_seconds: a connection that has not been upgraded to a WebSocket
 *   (or answered, for /health) this long after it was accepted is closed;
 *   at least 1 (default 10)
 * @per_address: most connections from one network address (IPv4 address,
 *   IPv6 /64) waiting for their upgrade; trusted proxies have no such cap
 *   (default 64)
 * @total: most connections waiting for their upgrade in all (default 1024)
 *
 * Over a cap, a new connection gets 503 and is closed.
 */
void
cohort_server_set_handshake_limits (CohortServer *self,
                                    guint         timeout_seconds,
                                    guint         per_address,
                                    guint         total)
{
  g_return_if_fail (COHORT_IS_SERVER (self));

  cohort_http_gate_set_limits (self->gate, timeout_seconds, per_address, total);
}

void
_cohort_server_set_durability (CohortServer     *self,
                               CohortDurability *durability)
{
  g_return_if_fail (COHORT_IS_SERVER (self));

  g_set_object (&self->durability, durability);
}

gboolean
cohort_server_recover (CohortServer  *self,
                       GError       **error)
{
  g_autoptr(GPtrArray) online = NULL;
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();

  if (!(online = cohort_store_list_online (self->store, error)))
    return FALSE;
  if (online->len == 0)
    return TRUE;

  g_message ("Marking %u participants offline after an unclean stop", online->len);

  if (!cohort_store_begin (self->store, error))
    return FALSE;

  for (guint i = 0; i < online->len; i++)
    {
      CohortParticipantRecord *p = g_ptr_array_index (online, i);
      JsonObject *body = json_object_new ();

      json_object_set_int_member (body, "participant_id", p->id);
      json_object_set_boolean_member (body, "online", FALSE);

      if (!cohort_store_set_online (self->store, p->id, FALSE, error))
        {
          json_object_unref (body);
          cohort_store_rollback (self->store);
          return FALSE;
        }
      if (!_cohort_server_emit_event (self, pending, p->class_id, COHORT_EV_PARTICIPANT_PRESENCE, body, error))
        {
          cohort_store_rollback (self->store);
          return FALSE;
        }
    }

  if (!cohort_store_commit (self->store, error))
    {
      cohort_store_rollback (self->store);
      return FALSE;
    }

  return TRUE;
}

gboolean
cohort_server_listen (CohortServer  *self,
                      const char    *address,
                      guint          port,
                      guint         *out_port,
                      GError       **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  /* transfer container: the list is ours, the sockets libsoup's (found
   * by the sanitizer pass of build-aux/run-tests.sh) */
  g_autoptr(GSList) listeners = NULL;

  if (g_strcmp0 (address, "localhost") == 0)
    inet = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    inet = g_inet_address_new_from_string (address);

  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an IP address", address);
      return FALSE;
    }

  socket_address = g_inet_socket_address_new (inet, port);
  /* The gate accepts, and gives libsoup each connection whose request
   * head passed (see CohortHttpGate). */
  if (!cohort_http_gate_listen (self->gate, socket_address, out_port, error))
    return FALSE;

  self->liveness_source = g_timeout_add_seconds (1, check_liveness, self);
  prune_replies (self);
  self->prune_source = g_timeout_add_seconds (6 * 3600, on_prune, self);
  return TRUE;
}

static gboolean
on_shutdown_timeout (gpointer user_data)
{
  CohortServer *self = user_data;

  self->shutdown_timeout = 0;
  check_shutdown_done (self);
  return G_SOURCE_REMOVE;
}

void
cohort_server_shutdown (CohortServer         *self,
                        CohortServerDoneFunc  callback,
                        gpointer              user_data)
{
  g_autoptr(GPtrArray) online = NULL;
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(GPtrArray) connections = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (!self->shutting_down);

  /* What was received is applied, and what is stored goes out, before the
   * sockets close. */
  _cohort_server_run_barriers (self, NULL);
  _cohort_server_flush (self);

  self->shutting_down = TRUE;
  self->shutdown_callback = callback;
  self->shutdown_data = user_data;
  g_clear_handle_id (&self->liveness_source, g_source_remove);
  g_clear_handle_id (&self->prune_source, g_source_remove);
  cohort_http_gate_close (self->gate);
  soup_server_disconnect (self->soup);

  /* Everyone goes offline, stored before any socket closes. */
  online = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_participant_record_free);
  if (cohort_store_begin (self->store, &error))
    {
      g_hash_table_iter_init (&iter, self->presence);
      while (error == NULL && g_hash_table_iter_next (&iter, &key, NULL))
        {
          g_autoptr(CohortParticipantRecord) p = NULL;
          JsonObject *body;

          if (!(p = cohort_store_get_participant (self->store, *(gint64 *) key, &error)))
            break;

          body = json_object_new ();
          json_object_set_int_member (body, "participant_id", p->id);
          json_object_set_boolean_member (body, "online", FALSE);

          if (cohort_store_set_online (self->store, p->id, FALSE, &error))
            _cohort_server_emit_event (self, pending, p->class_id, COHORT_EV_PARTICIPANT_PRESENCE, body, &error);
          else
            json_object_unref (body);
        }

      if (error == NULL)
        cohort_store_commit (self->store, &error);
    }

  if (error != NULL)
    {
      /* The next start marks them offline instead. */
      g_warning ("Could not mark participants offline: %s", error->message);
      cohort_store_rollback (self->store);
    }
  g_hash_table_remove_all (self->presence);

  connections = snapshot_connections (self);
  for (guint i = 0; i < connections->len; i++)
    {
      CohortConnection *conn = g_ptr_array_index (connections, i);

      cohort_connection_clear_joined (conn);
      cohort_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
    }

  self->shutdown_timeout = g_timeout_add (SHUTDOWN_GRACE_MS, on_shutdown_timeout, self);
  check_shutdown_done (self);
}

static void
cohort_server_dispose (GObject *object)
{
  CohortServer *self = COHORT_SERVER (object);

  g_clear_handle_id (&self->liveness_source, g_source_remove);
  g_clear_handle_id (&self->prune_source, g_source_remove);
  g_clear_handle_id (&self->shutdown_timeout, g_source_remove);
  g_clear_handle_id (&self->flush_source, g_source_remove);
  g_clear_pointer (&self->queued, g_ptr_array_unref);
  g_clear_pointer (&self->group_replies, g_ptr_array_unref);
  g_clear_pointer (&self->group_events, g_ptr_array_unref);

  if (self->connections != NULL)
    {
      for (guint i = 0; i < self->connections->len; i++)
        {
          CohortConnection *conn = g_ptr_array_index (self->connections, i);

          g_signal_handlers_disconnect_by_data (conn, self);
          cohort_connection_detach (conn);
        }
      g_clear_pointer (&self->connections, g_ptr_array_unref);
    }
  g_clear_object (&self->gate);
  g_clear_object (&self->hub);
  g_clear_object (&self->join_throttle);
  g_clear_pointer (&self->trusted_proxies, g_strfreev);
  g_clear_object (&self->durability);

  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->store);
  g_clear_pointer (&self->presence, g_hash_table_unref);
  g_clear_pointer (&self->services, g_ptr_array_unref);
  g_clear_pointer (&self->handlers, g_hash_table_unref);

  G_OBJECT_CLASS (cohort_server_parent_class)->dispose (object);
}

static void
cohort_server_class_init (CohortServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cohort_server_dispose;
}

void
_cohort_server_add_service (CohortServer  *self,
                            CohortService *service)
{
  g_return_if_fail (COHORT_IS_SERVER (self));
  g_return_if_fail (COHORT_IS_SERVICE (service));
  g_return_if_fail (cohort_service_get_server (service) == self);

  g_ptr_array_add (self->services, service);
}

void
_cohort_server_connection_left (CohortServer     *self,
                                CohortConnection *conn)
{
  connection_left (self, conn);
}

CohortService *
_cohort_server_get_service (CohortServer *self,
                            GType         type)
{
  g_return_val_if_fail (COHORT_IS_SERVER (self), NULL);

  for (guint i = 0; i < self->services->len; i++)
    if (G_TYPE_CHECK_INSTANCE_TYPE (g_ptr_array_index (self->services, i), type))
      return g_ptr_array_index (self->services, i);
  return NULL;
}

void
cohort_server_stop (CohortServer *self)
{
  g_return_if_fail (COHORT_IS_SERVER (self));

  for (guint i = 0; i < self->services->len; i++)
    cohort_service_shutdown (g_ptr_array_index (self->services, i));
}

CohortStore *
_cohort_server_get_store (CohortServer *self)
{
  return self->store;
}

gboolean
_cohort_server_is_online (CohortServer *self,
                          gint64        participant_id)
{
  return presence_get (self, participant_id) > 0;
}

void
_cohort_server_foreach_connection (CohortServer *self,
                                   gint64        class_id,
                                   GFunc         func,
                                   gpointer      user_data)
{
  g_autoptr(GPtrArray) connections = g_ptr_array_new_full (self->connections->len, g_object_unref);

  for (guint i = 0; i < self->connections->len; i++)
    {
      CohortConnection *conn = g_ptr_array_index (self->connections, i);

      if (cohort_connection_is_joined (conn) && cohort_connection_get_class_id (conn) == class_id)
        g_ptr_array_add (connections, g_object_ref (conn));
    }

  for (guint i = 0; i < connections->len; i++)
    func (g_ptr_array_index (connections, i), user_data);
}

static void
cohort_server_init (CohortServer *self)
{
  self->connections = g_ptr_array_new_with_free_func (g_object_unref);
  self->hub = cohort_socket_hub_new (NULL);
  self->join_throttle = cohort_join_throttle_new (JOIN_GUESS_BURST, JOIN_GUESS_REFILL_US,
                                                  JOIN_GUESS_MAX_HOSTS);
  self->join_timeout_us = (gint64) 60 * G_USEC_PER_SEC;
  {
    const char *loopback[] = { "127.0.0.1", "::1", NULL };

    self->trusted_proxies = g_strdupv ((char **) loopback);
  }
  self->queued = _cohort_server_pending_new ();
  self->group_replies = g_ptr_array_new_with_free_func ((GDestroyNotify) _cohort_server_group_reply_free);
  self->group_events = _cohort_server_pending_new ();
  self->presence = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->handlers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  _cohort_server_join_init (self);
  self->services = g_ptr_array_new_with_free_func (g_object_unref);
  self->soup = soup_server_new ("server-header", "cohort-server/" PACKAGE_VERSION, NULL);
  soup_server_add_handler (self->soup, "/ws", on_ws_request, self, NULL);
  soup_server_add_handler (self->soup, "/health", on_health, NULL, NULL);
  g_signal_connect (self->soup, "request-read", G_CALLBACK (on_request_read), NULL);
  self->gate = cohort_http_gate_new (self->soup, self->hub);
  cohort_http_gate_set_exempt (self->gate, (const char * const *) self->trusted_proxies);
}

void
_cohort_server_add_http_handler (CohortServer       *self,
                                 const char         *path,
                                 SoupServerCallback  callback,
                                 gpointer            user_data)
{
  g_return_if_fail (COHORT_IS_SERVER (self));
  g_return_if_fail (path != NULL && callback != NULL);

  soup_server_add_handler (self->soup, path, callback, user_data, NULL);
}

CohortServer *
cohort_server_new (CohortStore *store)
{
  CohortServer *self;

  g_return_val_if_fail (COHORT_IS_STORE (store), NULL);

  self = g_object_new (COHORT_TYPE_SERVER, NULL);
  self->store = g_object_ref (store);
  return self;
}

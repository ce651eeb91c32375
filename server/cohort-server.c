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
#include "cohort-server-private.h"

/* A client quiet for this long is pinged */
#define KEEPALIVE_US         ((gint64) 15 * G_USEC_PER_SEC)
/* A client that sent nothing (not even a pong) for this long is gone. */
#define DEAD_AFTER_US        (3 * KEEPALIVE_US)
#define SHUTDOWN_GRACE_MS    2000
#define CODE_ATTEMPTS        16
/* Wrong class codes one address may try: this many at once, then one
 * more every JOIN_GUESS_REFILL_US (see CohortJoinThrottle). A whole
 * school may share one address (NAT): 100 typos in a row is far more than
 * a start of term makes, and 86,400 guesses a day still find one of a
 * thousand classes about once in 10,000 days. */
#define JOIN_GUESS_BURST     100
#define JOIN_GUESS_REFILL_US ((gint64) G_USEC_PER_SEC)
#define JOIN_GUESS_MAX_HOSTS 65536
/* Under load, events are sent at most this often: see _cohort_server_broadcast(). */
#define FLUSH_WINDOW_US      ((gint64) 10 * 1000)

#define ROLE_TEACHER "teacher"
#define ROLE_STUDENT "student"

struct _CohortServer
{
  GObject               parent_instance;

  CohortStore          *store;
  SoupServer           *soup;
  /* accepts the connections, and holds them until their upgrade */
  CohortHttpGate       *gate;
  /* CohortConnection, every open socket */
  GPtrArray            *connections;
  /* the sockets' one poll source: see CohortSocketHub */
  CohortSocketHub      *hub;
  CohortJoinThrottle   *join_throttle;
  /* peers whose X-Forwarded-For is believed (canonical address strings) */
  char                **trusted_proxies;
  /* a socket that has not joined (or resumed) by then is closed; 0: never */
  gint64                join_timeout_us;
  /* participant id → number of joined connections */
  GHashTable           *presence;
  gint64                last_ts;
  guint                 liveness_source;
  guint                 prune_source;
  /* events stored but not yet sent: see flush_events() */
  GPtrArray            *queued;
  guint                 flush_source;
  gint64                last_flush_us;

  /* An open group commit (see _cohort_server_group_begin()): the replies
   * (GroupReply) and events of the requests applied in it so far, held
   * back until its one commit. */
  gboolean              group_open;
  GPtrArray            *group_replies;
  GPtrArray            *group_events;

  /* request type → Handler, for the feature services */
  GHashTable           *handlers;
  /* CohortService, the feature services in the order they were added */
  GPtrArray            *services;

  gboolean              shutting_down;
  CohortServerDoneFunc  shutdown_callback;
  gpointer              shutdown_data;
  guint                 shutdown_timeout;
};

G_DEFINE_FINAL_TYPE (CohortServer, cohort_server, G_TYPE_OBJECT)

typedef struct
{
  /* unowned: the server holds the services */
  CohortService        *service;
  CohortRequestHandler  func;
  /* after a resend of an applied request got its stored reply */
  CohortRequestHandler  replay;
} Handler;

static void
dispatch (CohortServer     *self,
          CohortConnection *conn,
          CohortMessage    *request)
{
  Handler *handler = g_hash_table_lookup (self->handlers, cohort_message_get_name (request));
  g_autoptr(CohortRequest) req = _cohort_request_new (self, conn, request);

  handler->func (handler->service, req);
}

typedef struct
{
  gint64  class_id;
  gint64  seq;
  char   *json;
  /* NULL: everyone; otherwise the participant ids who may see it */
  GArray *audience;
  /* The JSON with "prev" for connections whose previous event was not
   * seq - 1 (PrevVariant); built once per distinct prev. */
  GArray *variants;
} PendingEvent;

typedef struct
{
  gint64  prev;
  char   *json;
} PrevVariant;

static void
pending_event_free (PendingEvent *pe)
{
  g_free (pe->json);
  g_clear_pointer (&pe->audience, g_array_unref);
  if (pe->variants != NULL)
    {
      for (guint i = 0; i < pe->variants->len; i++)
        g_free (g_array_index (pe->variants, PrevVariant, i).json);
      g_array_unref (pe->variants);
    }
  g_free (pe);
}

/* Appends @from's events to @to, which owns them from now on. */
static void
pending_move (GPtrArray *to,
              GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_ptr_array_index (from, i));
  g_ptr_array_set_free_func (from, NULL);
  g_ptr_array_set_size (from, 0);
  g_ptr_array_set_free_func (from, (GDestroyNotify) pending_event_free);
}

/* The frame of @pe for a connection whose last event was @prev. */
static const char *
pending_event_json (PendingEvent *pe,
                    gint64        prev)
{
  PrevVariant variant;

  if (prev == pe->seq - 1)
    return pe->json;
  if (pe->variants == NULL)
    pe->variants = g_array_new (FALSE, FALSE, sizeof (PrevVariant));
  for (guint i = 0; i < pe->variants->len; i++)
    if (g_array_index (pe->variants, PrevVariant, i).prev == prev)
      return g_array_index (pe->variants, PrevVariant, i).json;
  variant.prev = prev;
  variant.json = cohort_event_json_with_prev (pe->json, prev);
  g_array_append_val (pe->variants, variant);
  return variant.json;
}

static gboolean
audience_contains (GArray *audience,
                   gint64  participant_id)
{
  if (audience == NULL)
    return TRUE;

  for (guint i = 0; i < audience->len; i++)
    if (g_array_index (audience, gint64, i) == participant_id)
      return TRUE;

  return FALSE;
}

GPtrArray *
_cohort_server_pending_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) pending_event_free);
}

/* Strictly increasing, so that two hands raised in the same millisecond
 * keep the order in which they reached the server. */
gint64
_cohort_server_next_ts (CohortServer *self)
{
  gint64 now = g_get_real_time () / 1000;

  self->last_ts = MAX (now, self->last_ts + 1);
  return self->last_ts;
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static JsonObject *
class_to_json (CohortClassRecord *record)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", record->id);
  json_object_set_string_member (object, "code", record->code);
  json_object_set_string_member (object, "title", record->title);
  return object;
}

static JsonObject *
participant_to_json (CohortParticipantRecord *record)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", record->id);
  json_object_set_string_member (object, "name", record->name);
  json_object_set_string_member (object, "role", record->role);
  json_object_set_boolean_member (object, "online", record->online);
  if (record->hand_raised_at > 0)
    json_object_set_int_member (object, "hand_raised_at", record->hand_raised_at);
  else
    json_object_set_null_member (object, "hand_raised_at");
  return object;
}

static JsonArray *
participants_to_json (GPtrArray *records)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < records->len; i++)
    json_array_add_object_element (array, participant_to_json (g_ptr_array_index (records, i)));
  return array;
}

static gboolean
is_teacher_record (CohortParticipantRecord *record)
{
  return g_strcmp0 (record->role, ROLE_TEACHER) == 0;
}

static GArray *
audience_from_json (const char *audience_json)
{
  g_autoptr(JsonNode) node = NULL;
  GArray *audience;
  JsonArray *array;

  if (audience_json == NULL)
    return NULL;

  audience = g_array_new (FALSE, FALSE, sizeof (gint64));
  node = json_from_string (audience_json, NULL);
  /* A corrupt audience shows the event to nobody rather than to everyone. */
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return audience;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      gint64 id = json_array_get_int_element (array, i);

      g_array_append_val (audience, id);
    }
  return audience;
}

gboolean
_cohort_server_emit_event_for (CohortServer  *self,
                               GPtrArray     *pending,
                               gint64         class_id,
                               const char    *name,
                               JsonObject    *body,
                               const gint64  *audience,
                               guint          n_audience,
                               GError       **error)
{
  g_autoptr(JsonObject) owned = body;
  g_autoptr(CohortMessage) message = NULL;
  g_autofree char *body_json = object_to_string (owned);
  g_autofree char *audience_json = NULL;
  gint64 ts = _cohort_server_next_ts (self);
  gint64 seq;
  PendingEvent *pe;

  if (audience != NULL)
    {
      g_autoptr(JsonArray) array = json_array_new ();
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < n_audience; i++)
        json_array_add_int_element (array, audience[i]);
      json_node_set_array (node, array);
      audience_json = json_to_string (node, FALSE);
    }

  seq = cohort_store_append_event (self->store, class_id, ts, name, body_json, audience_json,
                                   error);
  if (seq == 0)
    return FALSE;

  message = cohort_message_new_event (seq, ts, name, owned);
  pe = g_new0 (PendingEvent, 1);
  pe->class_id = class_id;
  pe->seq = seq;
  pe->json = cohort_message_to_json (message, NULL);
  if (audience != NULL)
    {
      pe->audience = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_audience);
      g_array_append_vals (pe->audience, audience, n_audience);
    }
  g_ptr_array_add (pending, pe);
  return TRUE;
}

gboolean
_cohort_server_emit_event (CohortServer  *self,
                           GPtrArray     *pending,
                           gint64         class_id,
                           const char    *name,
                           JsonObject    *body,
                           GError       **error)
{
  return _cohort_server_emit_event_for (self, pending, class_id, name, body, NULL, 0, error);
}

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

/* Events wait in self->queued until the end of this main-loop turn (an
 * idle at the sockets' priority), then go out together: per connection in
 * seq order, as one batch frame or a run of frames written together (one
 * TCP segment either way). Under load a turn handles many requests, so the
 * batches grow by themselves; alone, a message waits one turn. Every event
 * is stored before it is queued, so nothing here changes durability.
 * (chat: docs/architecture-chat.md) */

/* The frames one connection gets from this flush, in seq order: the
 * events its participant may see, each with "prev" when events for others
 * came in between. Connections that see the same events (the usual case:
 * a class-wide chat) share one built batch frame. */
static gboolean
same_picks (GPtrArray *a,
            GPtrArray *b)
{
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    if (g_ptr_array_index (a, i) != g_ptr_array_index (b, i))
      return FALSE;
  return TRUE;
}

static GBytes *
batch_frame (GPtrArray *picks)
{
  gsize length = 0;
  char *frame, *p;

  for (guint i = 0; i < picks->len; i++)
    length += strlen (g_ptr_array_index (picks, i)) + 1;
  p = frame = g_malloc (length);
  for (guint i = 0; i < picks->len; i++)
    {
      const char *json = g_ptr_array_index (picks, i);
      gsize n = strlen (json);

      if (i > 0)
        *p++ = '\n';
      memcpy (p, json, n);
      p += n;
    }
  return g_bytes_new_take (frame, p - frame);
}

static void
flush_events (CohortServer *self)
{
  g_autoptr(GPtrArray) queued = NULL;
  g_autoptr(GPtrArray) picks = g_ptr_array_new ();
  g_autoptr(GPtrArray) batch_picks = g_ptr_array_new ();
  g_autoptr(GBytes) batch = NULL;

  g_clear_handle_id (&self->flush_source, g_source_remove);
  if (self->queued->len == 0)
    return;
  self->last_flush_us = g_get_monotonic_time ();

  queued = g_steal_pointer (&self->queued);
  self->queued = _cohort_server_pending_new ();

  /* Sending never closes a socket on the spot (a failed write finishes it
   * from an idle), so the list stays as it is while this walks it. */
  for (guint j = 0; j < self->connections->len; j++)
    {
      CohortConnection *conn = g_ptr_array_index (self->connections, j);

      if (!cohort_connection_is_joined (conn))
        continue;

      g_ptr_array_set_size (picks, 0);
      for (guint i = 0; i < queued->len; i++)
        {
          PendingEvent *pe = g_ptr_array_index (queued, i);

          if (cohort_connection_get_class_id (conn) != pe->class_id ||
              cohort_connection_get_last_sent_seq (conn) >= pe->seq ||
              !audience_contains (pe->audience, cohort_connection_get_participant_id (conn)))
            continue;

          g_ptr_array_add (picks, (gpointer) pending_event_json (pe, cohort_connection_get_last_sent_seq (conn)));
          cohort_connection_set_last_sent_seq (conn, pe->seq);
        }

      if (picks->len == 0)
        continue;

      if (picks->len == 1)
        {
          cohort_connection_send (conn, g_ptr_array_index (picks, 0));
          continue;
        }

      /* Several events: one batch frame if the client reads them (one
       * send, one frame to parse), else one frame each in a corked run. */
      if (cohort_connection_get_batch (conn))
        {
          if (batch == NULL || !same_picks (picks, batch_picks))
            {
              g_clear_pointer (&batch, g_bytes_unref);
              batch = batch_frame (picks);
              g_ptr_array_set_size (batch_picks, 0);
              for (guint i = 0; i < picks->len; i++)
                g_ptr_array_add (batch_picks, g_ptr_array_index (picks, i));
            }
          cohort_connection_send_bytes (conn, batch);
          continue;
        }

      cohort_connection_send_run (conn, picks);
    }
}

static gboolean
on_flush_events (gpointer user_data)
{
  CohortServer *self = user_data;

  self->flush_source = 0;
  flush_events (self);
  return G_SOURCE_REMOVE;
}

void
_cohort_server_broadcast (CohortServer *self,
           GPtrArray    *pending)
{
  if (pending->len == 0)
    return;

  pending_move (self->queued, pending);

  if (self->flush_source == 0)
    {
      gint64 since = g_get_monotonic_time () - self->last_flush_us;

      /* Alone, an event leaves at the end of this turn. Under load (the
       * previous flush was less than FLUSH_WINDOW_US ago) the events of
       * the next few milliseconds go out together, so each connection
       * gets one TCP segment (and one wake-up) for several frames. */
      if (since >= FLUSH_WINDOW_US)
        self->flush_source = g_idle_add_full (G_PRIORITY_DEFAULT, on_flush_events, self, NULL);
      else
        self->flush_source = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                                 (FLUSH_WINDOW_US - since + 999) / 1000,
                                                 on_flush_events, self, NULL);
    }
}

void
_cohort_server_send_message (CohortConnection *conn,
              CohortMessage    *message)
{
  g_autofree char *json = cohort_message_to_json (message, NULL);

  cohort_connection_send (conn, json);
}

void
_cohort_server_send_error (CohortConnection    *conn,
            const char          *re,
            CohortErrorCode      code,
            CohortInvalidReason  reason,
            const char          *field,
            const char          *message)
{
  g_autoptr(CohortMessage) reply = cohort_message_new_error (re, code, reason, field, message);

  _cohort_server_send_message (conn, reply);
}

void
_cohort_server_send_internal (CohortServer     *self,
               CohortConnection *conn,
               const char       *re,
               const GError     *error)
{
  g_warning ("Store failure, request not applied: %s", error ? error->message : "unknown");
  cohort_store_rollback (self->store);
  _cohort_server_send_not_saved (conn, re);
}

void
_cohort_server_send_not_saved (CohortConnection *conn,
                               const char       *re)
{
  _cohort_server_send_error (conn, re, COHORT_ERROR_INTERNAL, COHORT_INVALID_NONE, NULL,
                             _("The server could not save this change. Try again in a moment."));
}

/* Deferred requests of every service take effect before @type (NULL: a
 * connection leaving, or shutdown). */
static void
run_barriers (CohortServer *self,
              const char   *type)
{
  for (guint i = 0; i < self->services->len; i++)
    cohort_service_barrier (g_ptr_array_index (self->services, i), type);
}

/* ---- group commit ----
 *
 * Several requests in one transaction, so that they share one fsync: each
 * request's own begin/commit becomes a savepoint inside it, and its reply
 * and events wait until the group's commit, so nothing is acknowledged or
 * sent before it is durable. A request that fails rolls back its savepoint
 * only and is answered at once (an error acknowledges nothing). */

typedef struct
{
  CohortConnection *conn;
  char             *re;
  char             *json;
} GroupReply;

static void
group_reply_free (GroupReply *reply)
{
  g_object_unref (reply->conn);
  g_free (reply->re);
  g_free (reply->json);
  g_free (reply);
}

static void
group_hold_reply (CohortServer     *self,
                  CohortConnection *conn,
                  const char       *re,
                  const char       *json)
{
  GroupReply *reply = g_new0 (GroupReply, 1);

  reply->conn = g_object_ref (conn);
  reply->re = g_strdup (re);
  reply->json = g_strdup (json);
  g_ptr_array_add (self->group_replies, reply);
}

gboolean
_cohort_server_group_begin (CohortServer  *self,
                            GError       **error)
{
  g_return_val_if_fail (!self->group_open, FALSE);

  if (!cohort_store_begin_group (self->store, error))
    return FALSE;
  self->group_open = TRUE;
  return TRUE;
}

gboolean
_cohort_server_group_replay (CohortServer     *self,
                             CohortConnection *conn,
                             CohortMessage    *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stored = NULL;
  const char *id = cohort_message_get_id (request);

  g_return_val_if_fail (self->group_open, FALSE);

  /* A resend queued behind its original, which this group applied. */
  stored = cohort_store_lookup_reply (self->store, cohort_connection_get_participant_id (conn),
                                      id, &error);
  if (error != NULL)
    {
      _cohort_server_send_not_saved (conn, id);
      return TRUE;
    }
  if (stored == NULL)
    return FALSE;
  group_hold_reply (self, conn, id, stored);
  return TRUE;
}

guint
_cohort_server_group_get_n_held (CohortServer *self)
{
  return self->group_replies->len;
}

gboolean
_cohort_server_group_end (CohortServer *self)
{
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (self->group_open, FALSE);

  self->group_open = FALSE;
  replies = g_steal_pointer (&self->group_replies);
  self->group_replies = g_ptr_array_new_with_free_func ((GDestroyNotify) group_reply_free);
  events = g_steal_pointer (&self->group_events);
  self->group_events = _cohort_server_pending_new ();

  if (!cohort_store_commit_group (self->store, &error))
    {
      g_warning ("Store failure, %u requests not applied: %s", replies->len,
                 error ? error->message : "unknown");
      cohort_store_rollback (self->store);
      for (guint i = 0; i < replies->len; i++)
        {
          GroupReply *reply = g_ptr_array_index (replies, i);

          _cohort_server_send_not_saved (reply->conn, reply->re);
        }
      return FALSE;
    }

  for (guint i = 0; i < replies->len; i++)
    {
      GroupReply *reply = g_ptr_array_index (replies, i);

      cohort_connection_send (reply->conn, reply->json);
    }
  _cohort_server_broadcast (self, events);
  return TRUE;
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

/* Creates a class, its teacher and the teacher's participant.joined event
 * inside the caller's transaction. */
static gboolean
create_class (CohortServer             *self,
              CohortStore              *store,
              GPtrArray                *pending,
              const char               *title,
              const char               *teacher_name,
              gboolean                  online,
              CohortClassRecord       **out_class,
              CohortParticipantRecord **out_teacher,
              char                    **out_teacher_key,
              GError                  **error)
{
  g_autofree char *teacher_key = NULL;
  g_autofree char *teacher_key_hash = NULL;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  JsonObject *body;
  gint64 now = g_get_real_time () / 1000;
  gint64 class_id = 0;
  gint64 teacher_id;

  if (!(teacher_key = cohort_secret_new (error)))
    return FALSE;
  teacher_key_hash = cohort_secret_hash (teacher_key);

  for (guint attempt = 0; class_id == 0; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *code = cohort_secret_new_code (error);

      if (code == NULL)
        return FALSE;

      class_id = cohort_store_create_class (store, code, title, teacher_key_hash, now,
                                            &local_error);
      if (class_id == 0 &&
          (!g_error_matches (local_error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_EXISTS) ||
           attempt + 1 >= CODE_ATTEMPTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  teacher_id = cohort_store_add_participant (store, class_id, teacher_name, ROLE_TEACHER,
                                             online, now, error);
  if (teacher_id == 0 ||
      !(teacher = cohort_store_get_participant (store, teacher_id, error)))
    return FALSE;

  if (self != NULL)
    {
      body = json_object_new ();
      json_object_set_object_member (body, "participant", participant_to_json (teacher));
      if (!_cohort_server_emit_event (self, pending, class_id, COHORT_EV_PARTICIPANT_JOINED, body, error))
        return FALSE;
    }
  else
    {
      g_autofree char *body_json = NULL;

      body = json_object_new ();
      json_object_set_object_member (body, "participant", participant_to_json (teacher));
      body_json = object_to_string (body);
      json_object_unref (body);
      if (cohort_store_append_event (store, class_id, now, COHORT_EV_PARTICIPANT_JOINED,
                                     body_json, NULL, error) == 0)
        return FALSE;
    }

  if (!(*out_class = cohort_store_get_class (store, class_id, error)))
    return FALSE;
  *out_teacher = g_steal_pointer (&teacher);
  *out_teacher_key = g_steal_pointer (&teacher_key);
  return TRUE;
}

gboolean
cohort_server_admin_create_class (CohortStore  *store,
                                  const char   *title,
                                  const char   *teacher_name,
                                  const char   *staff,
                                  gboolean      waiting_room,
                                  char        **out_code,
                                  char        **out_teacher_key,
                                  GError      **error)
{
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(GPtrArray) staff_list = NULL;
  g_autofree char *teacher_key = NULL;
  g_autofree char *clean_title = NULL;
  g_autofree char *clean_name = NULL;
  gint64 staff_id = 0;

  if (!(clean_title = cohort_protocol_normalize_text (title, COHORT_MAX_TITLE_CHARS, error)) ||
      !(clean_name = cohort_protocol_normalize_text (teacher_name, COHORT_MAX_NAME_CHARS, error)))
    return FALSE;

  /* identity: the class belongs to an active staff account, by name or id. */
  if (!(staff_list = cohort_store_staff_list (store, error)))
    return FALSE;
  for (guint i = 0; i < staff_list->len && staff != NULL; i++)
    {
      CohortStaffRecord *record = g_ptr_array_index (staff_list, i);
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, record->id);

      if (record->revoked_at == 0 &&
          (g_strcmp0 (record->name, staff) == 0 || g_strcmp0 (id_text, staff) == 0))
        {
          /* Two accounts by one name (or a name that is another's id):
           * the class would go to whichever came first. */
          if (staff_id != 0)
            {
              g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                           "“%s” names more than one active staff account; give its id "
                           "(see --list-staff)", staff);
              return FALSE;
            }
          staff_id = record->id;
        }
    }
  if (staff_id == 0)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                   "There is no active staff account “%s” (see --list-staff)", staff ? staff : "");
      return FALSE;
    }

  if (!cohort_store_begin (store, error))
    return FALSE;

  if (!create_class (NULL, store, NULL, clean_title, clean_name, FALSE,
                     &klass, &teacher, &teacher_key, error) ||
      !cohort_store_class_access_put (store, &(CohortClassAccessRecord) {
                                        .class_id = klass->id, .staff_id = staff_id,
                                        .waiting_room = waiting_room, .anonymous_join = TRUE }, error) ||
      !cohort_store_commit (store, error))
    {
      cohort_store_rollback (store);
      return FALSE;
    }

  *out_code = g_strdup (klass->code);
  *out_teacher_key = g_steal_pointer (&teacher_key);
  return TRUE;
}

/* Registers @conn as joined. If the participant was offline, marks them
 * online with a presence event (inside the caller's transaction). */
static gboolean
join_presence (CohortServer             *self,
               GPtrArray                *pending,
               CohortParticipantRecord  *participant,
               GError                  **error)
{
  JsonObject *body;

  if (participant->online)
    return TRUE;

  if (!cohort_store_set_online (self->store, participant->id, TRUE, error))
    return FALSE;
  participant->online = TRUE;

  body = json_object_new ();
  json_object_set_int_member (body, "participant_id", participant->id);
  json_object_set_boolean_member (body, "online", TRUE);
  return _cohort_server_emit_event (self, pending, participant->class_id, COHORT_EV_PARTICIPANT_PRESENCE,
                     body, error);
}

static void
connection_joined (CohortServer     *self,
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
  run_barriers (self, NULL);

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

static gboolean
check_version (CohortConnection *conn,
               CohortMessage    *request)
{
  JsonObject *body = cohort_message_get_body (request);

  if (json_object_get_int_member_with_default (body, "protocol", 0) == COHORT_PROTOCOL_VERSION)
    return TRUE;

  _cohort_server_send_error (conn, cohort_message_get_id (request), COHORT_ERROR_UNSUPPORTED_VERSION,
              COHORT_INVALID_NONE, "protocol",
              _("This server speaks a different version of the Cohort protocol. Update the app."));
  return FALSE;
}

/* The parser already trims and checks text; this keeps the server safe
 * whatever the parser lets through. */
static char *
require_text (CohortConnection *conn,
              CohortMessage    *request,
              const char       *field,
              guint             max_chars)
{
  g_autoptr(GError) error = NULL;
  const char *raw;
  char *text;

  raw = json_object_get_string_member_with_default (cohort_message_get_body (request), field, NULL);
  text = cohort_protocol_normalize_text (raw ? raw : "", max_chars, &error);
  if (text == NULL)
    _cohort_server_send_error (conn, cohort_message_get_id (request), COHORT_ERROR_INVALID,
                raw == NULL ? COHORT_INVALID_MISSING_FIELD : COHORT_INVALID_BAD_TEXT,
                field, error->message);
  return text;
}

/* The part of a create, join or resume reply they all share;
 * @participants may be NULL (a resume that replays). */
static JsonObject *
joined_body (CohortClassRecord       *klass,
             CohortParticipantRecord *you,
             gint64                   seq,
             GPtrArray               *participants)
{
  JsonObject *body = json_object_new ();

  json_object_set_object_member (body, "class", class_to_json (klass));
  json_object_set_object_member (body, "you", participant_to_json (you));
  json_object_set_int_member (body, "seq", seq);
  if (participants != NULL)
    json_object_set_array_member (body, "participants", participants_to_json (participants));
  return body;
}

/* The connection joins with a full picture: features add their state to
 * @body, the reply goes out, then the events the join caused. */
static void
welcome (CohortServer            *self,
         CohortConnection        *conn,
         const char              *id,
         CohortClassRecord       *klass,
         CohortParticipantRecord *you,
         gint64                   seq,
         JsonObject              *body,
         GPtrArray               *pending)
{
  g_autoptr(CohortMessage) reply = NULL;

  connection_joined (self, conn, klass->id, you->id, is_teacher_record (you), seq);
  for (guint i = 0; i < self->services->len; i++)
    cohort_service_welcome (g_ptr_array_index (self->services, i), conn, body);
  reply = cohort_message_new_ok (id, body);
  _cohort_server_send_message (conn, reply);
  _cohort_server_broadcast (self, pending);
}

static void
handle_class_create (CohortServer     *self,
                     CohortConnection *conn,
                     CohortMessage    *request)
{
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autofree char *teacher_key = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(CohortStaffRecord) staff = NULL;
  const char *id = cohort_message_get_id (request);
  gint64 seq;

  if (!check_version (conn, request) ||
      !(title = require_text (conn, request, "title", COHORT_MAX_TITLE_CHARS)) ||
      !(name = require_text (conn, request, "name", COHORT_MAX_NAME_CHARS)) ||
      !_cohort_identity_authorize_staff (self, conn, request, &staff))
    return;

  if (!(token = cohort_secret_new (&error)))
    return _cohort_server_send_internal (self, conn, id, error);
  token_hash = cohort_secret_hash (token);

  if (!cohort_store_begin (self->store, &error) ||
      !create_class (self, self->store, pending, title, name, TRUE,
                     &klass, &teacher, &teacher_key, &error) ||
      !_cohort_identity_class_created (self, klass->id, staff->id,
                                       json_object_get_boolean_member_with_default (
                                         cohort_message_get_body (request), "waiting_room", TRUE),
                                       &error) ||
      !cohort_store_add_token (self->store, teacher->id, token_hash,
                               g_get_real_time () / 1000, &error) ||
      (seq = cohort_store_get_last_seq (self->store, klass->id, &error)) < 0 ||
      !(participants = cohort_store_list_participants (self->store, klass->id, &error)) ||
      !cohort_store_commit (self->store, &error))
    return _cohort_server_send_internal (self, conn, id, error);

  body = joined_body (klass, teacher, seq, participants);
  json_object_set_string_member (body, "token", token);
  json_object_set_string_member (body, "teacher_key", teacher_key);
  welcome (self, conn, id, klass, teacher, seq, body, pending);
}

static void
join_guess_failed (CohortServer     *self,
                   CohortConnection *conn)
{
  cohort_join_throttle_failed (self->join_throttle, cohort_connection_get_remote_host (conn),
                               g_get_monotonic_time ());
}

/* The reply to a join or resume that lands in the waiting room: the
 * class, yourself and nobody else, until the teacher admits you. */
static void
send_waiting (CohortServer            *self,
              CohortConnection        *conn,
              const char              *id,
              CohortClassRecord       *klass,
              CohortClassAccessRecord *access,
              CohortParticipantRecord *you,
              gint64                   seq,
              const char              *token,
              gboolean                 resume)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *class_json = class_to_json (klass);
  JsonArray *participants = json_array_new ();

  _cohort_identity_add_class_fields (class_json, access);
  json_object_set_object_member (body, "class", class_json);
  json_object_set_object_member (body, "you", _cohort_identity_participant_json (you, TRUE));
  json_object_set_int_member (body, "seq", seq);
  json_array_add_object_element (participants, _cohort_identity_participant_json (you, TRUE));
  json_object_set_array_member (body, "participants", participants);
  json_object_set_string_member (body, "admission", COHORT_ADMISSION_STR_WAITING);
  if (token != NULL)
    json_object_set_string_member (body, "token", token);
  if (resume)
    json_object_set_string_member (body, "mode", "snapshot");

  _cohort_identity_set_waiting (self, conn, klass->id, you->id);
  reply = cohort_message_new_ok (id, body);
  _cohort_server_send_message (conn, reply);
}

static void
handle_class_join (CohortServer     *self,
                   CohortConnection *conn,
                   CohortMessage    *request)
{
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(CohortParticipantRecord) you = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(CohortStaffRecord) staff = NULL;
  g_autoptr(CohortClassAccessRecord) access = NULL;
  g_autoptr(CohortMemberRecord) member = NULL;
  g_autofree char *code = NULL;
  g_autofree char *name = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  JsonObject *request_body = cohort_message_get_body (request);
  const char *id = cohort_message_get_id (request);
  const char *teacher_key;
  const char *staff_credential;
  const char *raw_code;
  gint64 now = g_get_real_time () / 1000;
  gint64 seq;
  gboolean personal;
  gboolean waiting = FALSE;
  int revoked;

  if (!check_version (conn, request))
    return;

  if (cohort_join_throttle_check (self->join_throttle, cohort_connection_get_remote_host (conn),
                                  g_get_monotonic_time ()) > 0)
    {
      _cohort_server_send_error (conn, id, COHORT_ERROR_RATE_LIMITED, COHORT_INVALID_NONE, "code",
                                 _("Too many wrong class codes came from your network. Wait a minute and try again."));
      return;
    }

  teacher_key = json_object_get_string_member_with_default (request_body, "teacher_key", NULL);
  staff_credential = json_object_get_string_member_with_default (request_body, "staff_credential", NULL);
  raw_code = json_object_get_string_member_with_default (request_body, "code", "");
  code = cohort_protocol_normalize_code (raw_code);
  /* identity: a known student's personal code stands for class and name. */
  personal = code == NULL && (code = cohort_protocol_normalize_personal_code (raw_code)) != NULL;

  /* The teacher signs in by key or staff credential; the name they send
   * is ignored, and so is a known student's. */
  if (teacher_key == NULL && staff_credential == NULL && !personal &&
      !(name = require_text (conn, request, "name", COHORT_MAX_NAME_CHARS)))
    return;

  /* A malformed code is not a guess: it cannot match any class. */
  if (code == NULL)
    {
      _cohort_server_send_error (conn, id, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "code",
                  _("There is no class with this code. Check the code with your teacher."));
      return;
    }

  if (staff_credential != NULL && teacher_key == NULL && !personal &&
      !_cohort_identity_authorize_staff (self, conn, request, &staff))
    return;

  if (!(token = cohort_secret_new (&error)))
    return _cohort_server_send_internal (self, conn, id, error);
  token_hash = cohort_secret_hash (token);

  if (!cohort_store_begin (self->store, &error))
    return _cohort_server_send_internal (self, conn, id, error);

  if (personal)
    {
      g_autofree char *code_hash = cohort_secret_hash (code);
      gint64 participant_id = cohort_store_member_find_by_code (self->store, code_hash, &error);

      if (participant_id < 0)
        return _cohort_server_send_internal (self, conn, id, error);
      if (participant_id > 0 &&
          (!(you = cohort_store_get_participant (self->store, participant_id, &error)) ||
           !(member = cohort_store_member_get (self->store, participant_id, &error)) ||
           !(klass = cohort_store_get_class (self->store, you->class_id, &error))))
        return _cohort_server_send_internal (self, conn, id, error);
    }
  else
    klass = cohort_store_find_class_by_code (self->store, code, &error);

  if (klass == NULL)
    {
      if (error != NULL)
        return _cohort_server_send_internal (self, conn, id, error);
      cohort_store_rollback (self->store);
      join_guess_failed (self, conn);
      _cohort_server_send_error (conn, id, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "code",
                  _("There is no class with this code. Check the code with your teacher."));
      return;
    }

  if (!(access = _cohort_identity_get_access (self, klass->id, &error)))
    return _cohort_server_send_internal (self, conn, id, error);

  if (teacher_key != NULL || staff != NULL)
    {
      if (teacher_key != NULL)
        {
          g_autofree char *key_hash = cohort_secret_hash (teacher_key);

          if (g_strcmp0 (key_hash, klass->teacher_key_hash) != 0)
            {
              /* Not counted: a teacher key has 256 random bits. */
              cohort_store_rollback (self->store);
              _cohort_server_send_error (conn, id, COHORT_ERROR_UNAUTHORIZED, COHORT_INVALID_NONE, "teacher_key",
                          _("This teacher key does not belong to this class. Check the key and try again."));
              return;
            }
          /* identity: a revoked staff account's classes take no teacher. */
          if ((revoked = _cohort_identity_owner_revoked (self, access, &error)) < 0)
            return _cohort_server_send_internal (self, conn, id, error);
          if (revoked > 0)
            {
              cohort_store_rollback (self->store);
              _cohort_server_send_error (conn, id, COHORT_ERROR_UNAUTHORIZED, COHORT_INVALID_NONE, "teacher_key",
                          _("The staff account this class belongs to was revoked."));
              return;
            }
        }
      else if (access->staff_id != staff->id)
        {
          cohort_store_rollback (self->store);
          /* forbidden, not unauthorized: the credential is good (the app
           * keeps it); it is only not this class's owner. */
          _cohort_server_send_error (conn, id, COHORT_ERROR_FORBIDDEN, COHORT_INVALID_NONE, "staff_credential",
                      _("This class belongs to another staff account."));
          return;
        }

      you = cohort_store_find_teacher (self->store, klass->id, &error);
      if (you == NULL)
        {
          if (error == NULL)
            g_set_error (&error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                         "Class %" G_GINT64_FORMAT " has no teacher", klass->id);
          return _cohort_server_send_internal (self, conn, id, error);
        }

      /* identity: staff coming back to a class whose teacher was away
       * start its next lesson. */
      if (staff != NULL && !you->online)
        {
          gint64 number = cohort_store_lesson_start (self->store, klass->id, now, &error);
          JsonObject *lesson;

          if (number == 0)
            return _cohort_server_send_internal (self, conn, id, error);
          lesson = json_object_new ();
          json_object_set_int_member (lesson, "number", number);
          json_object_set_int_member (lesson, "started_at", now);
          if (!_cohort_server_emit_event (self, pending, klass->id, COHORT_EV_LESSON_STARTED, lesson, &error))
            return _cohort_server_send_internal (self, conn, id, error);
        }

      if (!cohort_store_add_token (self->store, you->id, token_hash, now, &error) ||
          !join_presence (self, pending, you, &error))
        return _cohort_server_send_internal (self, conn, id, error);
    }
  else
    {
      const char *refusal;

      /* identity: archived, locked, known students only, blocked. */
      refusal = _cohort_identity_refuse_student (self, conn, access, member, personal, &error);
      if (error != NULL)
        return _cohort_server_send_internal (self, conn, id, error);
      if (refusal != NULL)
        {
          cohort_store_rollback (self->store);
          _cohort_server_send_error (conn, id, COHORT_ERROR_FORBIDDEN, COHORT_INVALID_NONE, "code", refusal);
          return;
        }

      if (personal)
        {
          /* The same participant on every device and in every lesson, so
           * what counts per participant (AI quota, chat rate) follows them.
           * Removed without a block, they are back. */
          gboolean was_removed = member->removed;

          member->admitted = TRUE;
          member->removed = FALSE;
          if (!cohort_store_member_put (self->store, member, &error) ||
              !cohort_store_add_token (self->store, you->id, token_hash, now, &error) ||
              !join_presence (self, pending, you, &error))
            return _cohort_server_send_internal (self, conn, id, error);
          /* Removed earlier (without a block): every roster dropped them. */
          if (was_removed)
            {
              JsonObject *event_body = json_object_new ();

              json_object_set_object_member (event_body, "participant", participant_to_json (you));
              if (!_cohort_server_emit_event (self, pending, klass->id, COHORT_EV_PARTICIPANT_JOINED,
                                              event_body, &error))
                return _cohort_server_send_internal (self, conn, id, error);
            }
        }
      else
        {
          CohortMemberRecord new_member = { 0 };
          JsonObject *event_body;
          gint64 participant_id;

          waiting = access->waiting_room;
          /* A waiting student is not online in the class until admitted. */
          participant_id = cohort_store_add_participant (self->store, klass->id, name, ROLE_STUDENT,
                                                         !waiting, now, &error);
          new_member.participant_id = participant_id;
          new_member.class_id = klass->id;
          new_member.admitted = !waiting;
          new_member.address = (char *) cohort_connection_get_remote_host (conn);
          if (participant_id == 0 ||
              !cohort_store_member_put (self->store, &new_member, &error) ||
              !cohort_store_add_token (self->store, participant_id, token_hash, now, &error) ||
              !(you = cohort_store_get_participant (self->store, participant_id, &error)))
            return _cohort_server_send_internal (self, conn, id, error);

          event_body = json_object_new ();
          if (waiting)
            {
              g_autoptr(CohortParticipantRecord) teacher = NULL;

              if (!(teacher = cohort_store_find_teacher (self->store, klass->id, &error)))
                {
                  json_object_unref (event_body);
                  return _cohort_server_send_internal (self, conn, id, error);
                }
              json_object_set_object_member (event_body, "participant",
                                             _cohort_identity_participant_json (you, TRUE));
              if (!_cohort_server_emit_event_for (self, pending, klass->id, COHORT_EV_PARTICIPANT_WAITING,
                                                  event_body, &teacher->id, 1, &error))
                return _cohort_server_send_internal (self, conn, id, error);
            }
          else
            {
              json_object_set_object_member (event_body, "participant", participant_to_json (you));
              if (!_cohort_server_emit_event (self, pending, klass->id, COHORT_EV_PARTICIPANT_JOINED,
                                              event_body, &error))
                return _cohort_server_send_internal (self, conn, id, error);
            }
        }
    }

  if ((seq = cohort_store_get_last_seq (self->store, klass->id, &error)) < 0 ||
      (!waiting && !(participants = cohort_store_list_participants (self->store, klass->id, &error))) ||
      !cohort_store_commit (self->store, &error))
    return _cohort_server_send_internal (self, conn, id, error);

  if (waiting)
    {
      send_waiting (self, conn, id, klass, access, you, seq, token, FALSE);
      _cohort_server_broadcast (self, pending);
      return;
    }

  body = joined_body (klass, you, seq, participants);
  json_object_set_string_member (body, "token", token);
  json_object_set_string_member (body, "admission", COHORT_ADMISSION_STR_ADMITTED);
  welcome (self, conn, id, klass, you, seq, body, pending);
}

static void
handle_resume (CohortServer     *self,
               CohortConnection *conn,
               CohortMessage    *request)
{
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(CohortParticipantRecord) you = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *token_hash = NULL;
  g_autoptr(CohortClassAccessRecord) access = NULL;
  g_autoptr(CohortMemberRecord) member = NULL;
  JsonObject *request_body = cohort_message_get_body (request);
  const char *id = cohort_message_get_id (request);
  const char *token;
  gint64 last_seq;
  gint64 seq;
  gboolean snapshot;

  if (!check_version (conn, request))
    return;

  token = json_object_get_string_member_with_default (request_body, "token", "");
  last_seq = json_object_get_int_member_with_default (request_body, "last_seq", 0);
  token_hash = cohort_secret_hash (token);

  if (!cohort_store_begin (self->store, &error))
    return _cohort_server_send_internal (self, conn, id, error);

  you = cohort_store_find_participant_by_token (self->store, token_hash, &error);
  if (you == NULL)
    {
      if (error != NULL)
        return _cohort_server_send_internal (self, conn, id, error);
      cohort_store_rollback (self->store);
      _cohort_server_send_error (conn, id, COHORT_ERROR_UNAUTHORIZED, COHORT_INVALID_NONE, "token",
                  _("This device is no longer signed in to the class. Join the class again."));
      return;
    }

  /* identity: removed participants have no tokens left; an archived
   * class takes nobody back; a participant not admitted yet waits. */
  if (!(access = _cohort_identity_get_access (self, you->class_id, &error)) ||
      (!(member = cohort_store_member_get (self->store, you->id, &error)) && error != NULL) ||
      !(klass = cohort_store_get_class (self->store, you->class_id, &error)))
    return _cohort_server_send_internal (self, conn, id, error);

  /* identity: a revoked staff account's classes take no teacher, also
   * not the devices it signed in. */
  if (is_teacher_record (you))
    {
      int revoked = _cohort_identity_owner_revoked (self, access, &error);

      if (revoked < 0)
        return _cohort_server_send_internal (self, conn, id, error);
      if (revoked > 0)
        {
          cohort_store_rollback (self->store);
          _cohort_server_send_error (conn, id, COHORT_ERROR_UNAUTHORIZED, COHORT_INVALID_NONE, "token",
                      _("The staff account this class belongs to was revoked."));
          return;
        }
    }

  if (access->archived && !is_teacher_record (you))
    {
      cohort_store_rollback (self->store);
      _cohort_server_send_error (conn, id, COHORT_ERROR_FORBIDDEN, COHORT_INVALID_NONE, "token",
                  _("This class has been archived. Ask your teacher for the class you are in now."));
      return;
    }

  if (member != NULL && !member->admitted)
    {
      /* identity: a waiter who went away and comes back is in the
       * teacher's list again. */
      if (!_cohort_identity_waiting_now (self, you->id, conn))
        {
          g_autoptr(CohortParticipantRecord) teacher = NULL;
          JsonObject *event_body;

          if (!(teacher = cohort_store_find_teacher (self->store, klass->id, &error)))
            {
              if (error == NULL)
                g_set_error (&error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                             "Class %" G_GINT64_FORMAT " has no teacher", klass->id);
              return _cohort_server_send_internal (self, conn, id, error);
            }
          event_body = json_object_new ();
          json_object_set_object_member (event_body, "participant",
                                         _cohort_identity_participant_json (you, TRUE));
          if (!_cohort_server_emit_event_for (self, pending, klass->id, COHORT_EV_PARTICIPANT_WAITING,
                                              event_body, &teacher->id, 1, &error))
            return _cohort_server_send_internal (self, conn, id, error);
        }
      if ((seq = cohort_store_get_last_seq (self->store, klass->id, &error)) < 0 ||
          !cohort_store_commit (self->store, &error))
        return _cohort_server_send_internal (self, conn, id, error);
      send_waiting (self, conn, id, klass, access, you, seq, NULL, TRUE);
      _cohort_server_broadcast (self, pending);
      return;
    }

  if (!join_presence (self, pending, you, &error) ||
      (seq = cohort_store_get_last_seq (self->store, klass->id, &error)) < 0)
    return _cohort_server_send_internal (self, conn, id, error);

  snapshot = last_seq > seq || seq - last_seq > COHORT_MAX_REPLAY_EVENTS;
  if (snapshot)
    participants = cohort_store_list_participants (self->store, klass->id, &error);
  else
    events = cohort_store_list_events_after (self->store, klass->id, last_seq,
                                             COHORT_MAX_REPLAY_EVENTS, &error);

  if ((participants == NULL && events == NULL) ||
      !cohort_store_commit (self->store, &error))
    return _cohort_server_send_internal (self, conn, id, error);

  body = joined_body (klass, you, seq, snapshot ? participants : NULL);
  json_object_set_string_member (body, "mode", snapshot ? "snapshot" : "replay");
  json_object_set_string_member (body, "admission", COHORT_ADMISSION_STR_ADMITTED);

  connection_joined (self, conn, klass->id, you->id, is_teacher_record (you), seq);
  if (snapshot)
    for (guint i = 0; i < self->services->len; i++)
    cohort_service_welcome (g_ptr_array_index (self->services, i), conn, body);
  reply = cohort_message_new_ok (id, body);
  _cohort_server_send_message (conn, reply);

  /* The missed events this participant may see, chained by "prev" from
   * the client's last seq; the connection continues from the last one. */
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      CohortEventRecord *record = g_ptr_array_index (events, i);
      g_autoptr(JsonNode) node = json_from_string (record->body, NULL);
      g_autoptr(CohortMessage) event = NULL;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          g_critical ("Event %" G_GINT64_FORMAT " of class %" G_GINT64_FORMAT " is corrupt",
                      record->seq, record->class_id);
          continue;
        }
      if (record->audience != NULL)
        {
          g_autoptr(GArray) audience = audience_from_json (record->audience);

          if (!audience_contains (audience, you->id))
            continue;
        }
      event = cohort_message_new_event (record->seq, record->ts, record->name,
                                        json_node_get_object (node));
      cohort_message_set_prev (event, last_seq);
      _cohort_server_send_message (conn, event);
      last_seq = record->seq;
    }
  if (!snapshot)
    cohort_connection_set_last_sent_seq (conn, last_seq);

  _cohort_server_broadcast (self, pending);
}

/* Saves @ok_body as the reply to @request, commits, sends it and then the
 * events. On failure everything is rolled back and the client gets
 * `internal`. Takes @ok_body. */
gboolean
_cohort_server_finish_request (CohortServer     *self,
                CohortConnection *conn,
                CohortMessage    *request,
                JsonObject       *ok_body,
                GPtrArray        *pending)
{
  g_autoptr(JsonObject) body = ok_body;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  const char *id = cohort_message_get_id (request);

  reply = cohort_message_new_ok (id, body);
  json = cohort_message_to_json (reply, NULL);

  if (!cohort_store_save_reply (self->store, cohort_connection_get_participant_id (conn), id,
                                json, g_get_real_time () / 1000, &error) ||
      !cohort_store_commit (self->store, &error))
    {
      _cohort_server_send_internal (self, conn, id, error);
      return FALSE;
    }

  if (self->group_open)
    {
      group_hold_reply (self, conn, id, json);
      pending_move (self->group_events, pending);
      return TRUE;
    }

  cohort_connection_send (conn, json);
  _cohort_server_broadcast (self, pending);
  return TRUE;
}

gboolean
_cohort_server_finish_request_secret (CohortServer     *self,
                                      CohortConnection *conn,
                                      CohortMessage    *request,
                                      JsonObject       *live_body,
                                      JsonObject       *stored_body,
                                      GPtrArray        *pending)
{
  g_autoptr(JsonObject) live = live_body;
  g_autoptr(JsonObject) stored = stored_body;
  g_autoptr(CohortMessage) live_reply = NULL;
  g_autoptr(CohortMessage) stored_reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stored_json = NULL;
  const char *id = cohort_message_get_id (request);

  g_return_val_if_fail (!self->group_open, FALSE);

  stored_reply = cohort_message_new_ok (id, stored);
  stored_json = cohort_message_to_json (stored_reply, NULL);
  if (!cohort_store_save_reply (self->store, cohort_connection_get_participant_id (conn), id,
                                stored_json, g_get_real_time () / 1000, &error) ||
      !cohort_store_commit (self->store, &error))
    {
      _cohort_server_send_internal (self, conn, id, error);
      return FALSE;
    }

  live_reply = cohort_message_new_ok (id, live);
  _cohort_server_send_message (conn, live_reply);
  _cohort_server_broadcast (self, pending);
  return TRUE;
}

void
_cohort_server_flush (CohortServer *self)
{
  flush_events (self);
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

void
_cohort_server_send_forbidden (CohortConnection *conn,
                CohortMessage    *request,
                const char       *message)
{
  _cohort_server_send_error (conn, cohort_message_get_id (request), COHORT_ERROR_FORBIDDEN,
              COHORT_INVALID_NONE, NULL, message);
}

static void
handle_ping (CohortServer     *self,
             CohortConnection *conn,
             CohortMessage    *request)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  json_object_set_int_member (body, "ts", g_get_real_time () / 1000);
  reply = cohort_message_new_ok (cohort_message_get_id (request), body);
  _cohort_server_send_message (conn, reply);
}

static void
handle_request (CohortServer     *self,
                CohortConnection *conn,
                CohortMessage    *request)
{
  const char *type = cohort_message_get_name (request);
  const char *id = cohort_message_get_id (request);

  /* identity: a socket in a waiting room may only ping, leave or resume. */
  if (_cohort_identity_filter_request (self, conn, request))
    return;

  if (g_str_equal (type, COHORT_REQ_PING))
    return handle_ping (self, conn, request);

  run_barriers (self, type);

  if (cohort_protocol_is_anonymous_request (type))
    {
      if (cohort_connection_is_joined (conn))
        {
          _cohort_server_send_error (conn, id, COHORT_ERROR_INVALID, COHORT_INVALID_ALREADY_JOINED, NULL,
                      _("This connection has already joined a class."));
          return;
        }

      if (g_str_equal (type, COHORT_REQ_CLASS_CREATE))
        handle_class_create (self, conn, request);
      else if (g_str_equal (type, COHORT_REQ_CLASS_JOIN))
        handle_class_join (self, conn, request);
      else if (g_str_equal (type, COHORT_REQ_RESUME))
        handle_resume (self, conn, request);
      else if (g_hash_table_contains (self->handlers, type))
        dispatch (self, conn, request);
      else
        g_return_if_reached ();
      return;
    }

  if (!cohort_connection_is_joined (conn))
    {
      _cohort_server_send_error (conn, id, COHORT_ERROR_NOT_JOINED, COHORT_INVALID_NONE, NULL,
                  _("Join a class first."));
      return;
    }

  /* Idempotency: a request id already applied gets its stored reply. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *stored = NULL;

    stored = cohort_store_lookup_reply (self->store, cohort_connection_get_participant_id (conn),
                                        id, &error);
    if (error != NULL)
      return _cohort_server_send_internal (self, conn, id, error);

    if (stored != NULL)
      {
        Handler *handler = g_hash_table_lookup (self->handlers, type);

        cohort_connection_send (conn, stored);
        if (handler != NULL && handler->replay != NULL)
          {
            g_autoptr(CohortRequest) req = _cohort_request_new (self, conn, request);

            handler->replay (handler->service, req);
          }
        return;
      }
  }

  if (g_hash_table_contains (self->handlers, type))
    dispatch (self, conn, request);
  else
    _cohort_server_send_error (conn, id, COHORT_ERROR_INVALID, COHORT_INVALID_UNKNOWN_TYPE, "type",
                _("The server does not know this request."));
}

static void
on_message (CohortConnection *conn,
            gint              type,
            GBytes           *bytes,
            gpointer          user_data)
{
  CohortServer *self = user_data;
  g_autoptr(CohortMessage) request = NULL;
  g_autoptr(CohortMessage) error_reply = NULL;
  gint64 now = g_get_monotonic_time ();
  CohortRateResult rate;
  const char *data;
  gsize length;

  if (self->shutting_down)
    return;

  cohort_connection_touch (conn, now);
  rate = cohort_connection_take_frame (conn, now);

  if (rate == COHORT_RATE_FLOOD)
    {
      g_message ("Closing a connection that floods the server");
      cohort_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "flood");
      return;
    }

  data = g_bytes_get_data (bytes, &length);

  if (type != COHORT_WS_OP_TEXT)
    {
      request = NULL;
      error_reply = cohort_message_new_error (NULL, COHORT_ERROR_INVALID,
                                              COHORT_INVALID_BINARY_FRAME, NULL,
                                              _("Binary frames are not part of the protocol."));
    }
  else if (length > COHORT_MAX_FRAME_BYTES)
    error_reply = cohort_message_new_error (NULL, COHORT_ERROR_INVALID,
                                            COHORT_INVALID_TOO_LARGE, NULL,
                                            _("The message is larger than 64 KiB."));
  else
    request = cohort_protocol_parse_request (data, length, &error_reply);

  if (rate == COHORT_RATE_LIMITED)
    {
      const char *re = request ? cohort_message_get_id (request)
                               : (error_reply ? cohort_message_get_id (error_reply) : NULL);

      _cohort_server_send_error (conn, re, COHORT_ERROR_RATE_LIMITED, COHORT_INVALID_NONE, NULL,
                  _("Too many messages. Slow down and try again in a moment."));
      return;
    }

  if (request == NULL)
    {
      g_assert (error_reply != NULL);
      _cohort_server_send_message (conn, error_reply);
      return;
    }

  handle_request (self, conn, request);
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

  /* A client that reads batch frames says so in the URL (docs/protocol.md). */
  if (query != NULL && (g_str_equal (query, "batch=1") || g_str_has_prefix (query, "batch=1&") ||
                        strstr (query, "&batch=1") != NULL))
    cohort_connection_set_batch (conn, TRUE);

  g_signal_connect (conn, "message", G_CALLBACK (on_message), self);
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
  run_barriers (self, NULL);
  flush_events (self);

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
_cohort_server_add_handler (CohortServer         *self,
                            const char           *type,
                            CohortService        *service,
                            CohortRequestHandler  handler)
{
  Handler *entry;

  g_return_if_fail (COHORT_IS_SERVER (self));
  g_return_if_fail (cohort_protocol_is_known_request (type));
  g_return_if_fail (!g_hash_table_contains (self->handlers, type));

  entry = g_new0 (Handler, 1);
  entry->service = service;
  entry->func = handler;
  g_hash_table_insert (self->handlers, (gpointer) type, entry);
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
_cohort_server_add_replay_handler (CohortServer         *self,
                                   const char           *type,
                                   CohortRequestHandler  handler)
{
  Handler *entry;

  g_return_if_fail (COHORT_IS_SERVER (self));

  entry = g_hash_table_lookup (self->handlers, type);
  g_return_if_fail (entry != NULL && entry->replay == NULL);
  entry->replay = handler;
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
  self->group_replies = g_ptr_array_new_with_free_func ((GDestroyNotify) group_reply_free);
  self->group_events = _cohort_server_pending_new ();
  self->presence = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->handlers = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  self->services = g_ptr_array_new_with_free_func (g_object_unref);
  self->soup = soup_server_new ("server-header", "cohort-server/" PACKAGE_VERSION, NULL);
  soup_server_add_handler (self->soup, "/ws", on_ws_request, self, NULL);
  soup_server_add_handler (self->soup, "/health", on_health, NULL, NULL);
  g_signal_connect (self->soup, "request-read", G_CALLBACK (on_request_read), NULL);
  self->gate = cohort_http_gate_new (self->soup, self->hub);
  cohort_http_gate_set_exempt (self->gate, (const char * const *) self->trusted_proxies);
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

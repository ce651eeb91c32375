/* cohort-fanout.c: events, stored, then sent to who may see them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-server"

#include "config.h"

#include <string.h>

#include "cohort-protocol.h"
#include "cohort-server-internal.h"

/* Under load, events are sent at most this often: see _cohort_server_broadcast(). */
#define FLUSH_WINDOW_US      ((gint64) 10 * 1000)


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
void
_cohort_server_pending_move (GPtrArray *to,
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

gboolean
_cohort_server_audience_contains (GArray *audience,
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

char *
_cohort_server_object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

GArray *
_cohort_server_audience_from_json (const char *audience_json)
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
  g_autofree char *body_json = _cohort_server_object_to_string (owned);
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
              !_cohort_server_audience_contains (pe->audience, cohort_connection_get_participant_id (conn)))
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

  _cohort_server_pending_move (self->queued, pending);

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
_cohort_server_flush (CohortServer *self)
{
  flush_events (self);
}

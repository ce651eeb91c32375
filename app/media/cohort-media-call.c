/* cohort-media-call.c: the call engine of one class (stage, feeds, media)
 *
 * Everything here runs on the session's main context. Publishers and
 * subscribers hop their webrtcbin callbacks over before they reach us.
 * Each publisher and subscriber slot has a generation: a reply or a
 * callback from an older generation (before a restart) is ignored, and a
 * server resource it created is given back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-call"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-link-monitor.h"
#include "cohort-media-call.h"
#include "cohort-media-protocol.h"
#include "cohort-protocol.h"

#define RETRY_MIN_MS       300
#define RETRY_MAX_MS       4000
#define DEFAULT_LATENCY_MS 50

typedef struct
{
  CohortCall       *call;
  char             *kind;
  gboolean          wanted;
  CohortPublisher  *publisher;
  guint             generation;
  gint64            pc_id;
  gint64            feed_id;
  GPtrArray        *candidates;   /* JsonObject */
  gboolean          gathered;
  gboolean          completed_sent;
  guint             flush_source;
  guint             retry_source;
  guint             retry_ms;
} Pub;

typedef struct
{
  CohortCall       *call;
  gint64            feed_id;
  CohortSubscriber *subscriber;
  guint             generation;
  gint64            pc_id;
  GPtrArray        *candidates;   /* JsonObject */
  gboolean          gathered;
  gboolean          completed_sent;
  gboolean          answered;
  guint             flush_source;
  guint             retry_source;
  guint             retry_ms;
  /* The link estimate outlives restarts: a weak link stays weak. */
  CohortLinkMonitor *monitor;
  guint             sent_layer;   /* what the server's subscription gets */
  guint             n_layers;     /* 0: not known (none refused yet) */
} Sub;

struct _CohortCall
{
  GObject            parent_instance;

  CohortSession     *session;
  GListStore        *feeds;
  GHashTable        *feed_index;   /* gint64 *feed_id → CohortFeed (unowned) */
  GHashTable        *stage;        /* gint64 *participant_id → "invited" | "on_stage" */
  GHashTable        *subs;         /* gint64 *feed_id → Sub */
  Pub                camera;
  Pub                screen;
  GstElement        *screen_source;

  gboolean           audio_muted;
  gboolean           video_muted;
  gboolean           media_enabled;
  guint              stage_limit;
  CohortVideoPreset  preset;
  CohortVideoCodec   codec;
  char             **ice_addresses;
  guint              latency;
  gboolean           was_joined;
  CohortLinkQuality  link_quality;
  gboolean           audio_only;
  GListStore        *link_steps;   /* CohortLinkStep, oldest first */
};

enum {
  PROP_0,
  PROP_SESSION,
  PROP_FEEDS,
  PROP_CAMERA_ON,
  PROP_SCREEN_ON,
  PROP_AUDIO_MUTED,
  PROP_VIDEO_MUTED,
  PROP_ON_STAGE,
  PROP_INVITED,
  PROP_CAN_PUBLISH,
  PROP_STAGE_LIMIT,
  PROP_MEDIA_ENABLED,
  PROP_PRESET,
  PROP_VIDEO_CODEC,
  PROP_ICE_ADDRESSES,
  PROP_LATENCY,
  PROP_LINK_QUALITY,
  PROP_AUDIO_ONLY,
  N_PROPS
};

enum {
  SIGNAL_CREATE_SOURCE,
  SIGNAL_CREATE_VIDEO_SINK,
  SIGNAL_CREATE_AUDIO_SINK,
  SIGNAL_CREATE_PREVIEW_SINK,
  SIGNAL_FIRST_FRAME,
  SIGNAL_STAGE_CHANGED,
  SIGNAL_MEDIA_ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CohortCall, cohort_call, G_TYPE_OBJECT)

static void pub_restart      (Pub *pub);
static void pub_stop         (Pub *pub);
static void sub_start        (CohortCall *self, gint64 feed_id);
static void sub_drop         (CohortCall *self, gint64 feed_id);

static gint64
self_id (CohortCall *self)
{
  CohortParticipant *you = cohort_session_get_self (self->session);

  return you != NULL ? cohort_participant_get_id (you) : 0;
}

static gboolean
is_teacher (CohortCall *self)
{
  CohortParticipant *you = cohort_session_get_self (self->session);

  return you != NULL && cohort_participant_get_role (you) == COHORT_ROLE_TEACHER;
}

static GstElement *
request_element (CohortCall *self,
                 guint       signal_id,
                 gpointer    arg)
{
  GstElement *element = NULL;

  g_signal_emit (self, signals[signal_id], 0, arg, &element);
  return element;
}

static JsonObject *
candidate_json (guint       mline,
                const char *candidate)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "candidate", candidate);
  json_object_set_int_member (object, "sdpMLineIndex", mline);
  return object;
}

typedef struct
{
  CohortCall *call;
  char       *kind;      /* publisher slot, or NULL */
  gint64      feed_id;   /* subscriber slot */
  guint       generation;
} Ticket;

static Ticket *
ticket_new (CohortCall *self,
            const char *kind,
            gint64      feed_id,
            guint       generation)
{
  Ticket *ticket = g_new0 (Ticket, 1);

  ticket->call = g_object_ref (self);
  ticket->kind = g_strdup (kind);
  ticket->feed_id = feed_id;
  ticket->generation = generation;
  return ticket;
}

static void
ticket_free (Ticket *ticket)
{
  g_object_unref (ticket->call);
  g_free (ticket->kind);
  g_free (ticket);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ticket, ticket_free)

static Pub *
ticket_pub (Ticket *ticket)
{
  Pub *pub;

  if (ticket->kind == NULL)
    return NULL;
  pub = g_str_equal (ticket->kind, COHORT_MEDIA_KIND_SCREEN) ? &ticket->call->screen : &ticket->call->camera;
  return pub->generation == ticket->generation ? pub : NULL;
}

static Sub *
ticket_sub (Ticket *ticket)
{
  Sub *sub = g_hash_table_lookup (ticket->call->subs, &ticket->feed_id);

  return sub != NULL && sub->generation == ticket->generation ? sub : NULL;
}

/* Fire-and-forget requests (give back a stale pc, say). */
static void
ignore_reply_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  if (error != NULL)
    g_debug ("Media request failed: %s", error->message);
}

static void
send_close (CohortCall *self,
            const char *type,
            gint64      pc_id)
{
  g_autoptr(JsonObject) body = json_object_new ();

  if (pc_id == 0 || cohort_session_get_state (self->session) == COHORT_SESSION_STATE_DISCONNECTED)
    return;

  json_object_set_int_member (body, "pc_id", pc_id);
  cohort_session_request_async (self->session, type, body, NULL, ignore_reply_cb, NULL);
}

/* Trickle: candidates wait until the server named the pc, then go in
 * batches, the last one saying "completed". */
static gboolean
flush_candidates (GPtrArray *candidates,
                  gboolean   gathered,
                  gboolean  *completed_sent,
                  gint64     pc_id,
                  CohortCall *self)
{
  while (pc_id != 0 && (candidates->len > 0 || (gathered && !*completed_sent)))
    {
      g_autoptr(JsonObject) body = json_object_new ();
      JsonArray *array = json_array_new ();
      guint n = MIN (candidates->len, COHORT_MEDIA_MAX_CANDIDATES);

      for (guint i = 0; i < n; i++)
        json_array_add_object_element (array, json_object_ref (g_ptr_array_index (candidates, i)));
      g_ptr_array_remove_range (candidates, 0, n);

      json_object_set_int_member (body, "pc_id", pc_id);
      json_object_set_array_member (body, "candidates", array);
      if (gathered && candidates->len == 0)
        {
          json_object_set_boolean_member (body, "completed", TRUE);
          *completed_sent = TRUE;
        }
      cohort_session_request_async (self->session, COHORT_REQ_MEDIA_TRICKLE, body, NULL,
                                    ignore_reply_cb, NULL);
    }

  return G_SOURCE_REMOVE;
}

static gboolean
pub_flush_cb (gpointer user_data)
{
  Pub *pub = user_data;

  pub->flush_source = 0;
  return flush_candidates (pub->candidates, pub->gathered, &pub->completed_sent, pub->pc_id, pub->call);
}

static void
pub_schedule_flush (Pub *pub)
{
  if (pub->flush_source == 0 && pub->pc_id != 0)
    pub->flush_source = g_idle_add (pub_flush_cb, pub);
}

static gboolean
sub_flush_cb (gpointer user_data)
{
  Sub *sub = user_data;

  sub->flush_source = 0;
  return flush_candidates (sub->candidates, sub->gathered, &sub->completed_sent,
                           sub->answered ? sub->pc_id : 0, sub->call);
}

static void
sub_schedule_flush (Sub *sub)
{
  if (sub->flush_source == 0 && sub->pc_id != 0 && sub->answered)
    sub->flush_source = g_idle_add (sub_flush_cb, sub);
}

/* Local feeds: the feed the server announced for our own publisher. */

static CohortFeed *
lookup_feed (CohortCall *self,
             gint64      feed_id)
{
  return g_hash_table_lookup (self->feed_index, &feed_id);
}

static void
remove_feed (CohortCall *self,
             gint64      feed_id)
{
  CohortFeed *feed = lookup_feed (self, feed_id);
  guint position;

  if (feed == NULL)
    return;

  g_hash_table_remove (self->feed_index, &feed_id);
  if (g_list_store_find (self->feeds, feed, &position))
    g_list_store_remove (self->feeds, position);
}

static void
add_feed (CohortCall *self,
          CohortFeed *feed)
{
  gint64 feed_id = cohort_feed_get_feed_id (feed);

  if (lookup_feed (self, feed_id) != NULL)
    return;

  g_hash_table_insert (self->feed_index, g_memdup2 (&feed_id, sizeof feed_id), feed);
  g_list_store_append (self->feeds, feed);
}

/* Publishers */

static void
pub_clear (Pub *pub)
{
  g_clear_handle_id (&pub->flush_source, g_source_remove);
  if (pub->publisher != NULL)
    {
      g_signal_handlers_disconnect_by_data (pub->publisher, pub);
      cohort_publisher_stop (pub->publisher);
      g_clear_object (&pub->publisher);
    }
  if (pub->candidates != NULL)
    g_ptr_array_set_size (pub->candidates, 0);
  pub->gathered = FALSE;
  pub->completed_sent = FALSE;
  pub->pc_id = 0;
  pub->feed_id = 0;
  pub->generation++;
}

static gboolean
pub_retry_cb (gpointer user_data)
{
  Pub *pub = user_data;

  pub->retry_source = 0;
  if (pub->wanted)
    pub_restart (pub);
  return G_SOURCE_REMOVE;
}

static void
pub_retry_later (Pub *pub)
{
  pub_clear (pub);
  g_clear_handle_id (&pub->retry_source, g_source_remove);
  pub->retry_ms = pub->retry_ms == 0 ? RETRY_MIN_MS : MIN (pub->retry_ms * 2, RETRY_MAX_MS);
  pub->retry_source = g_timeout_add (pub->retry_ms, pub_retry_cb, pub);
}

static void
notify_publishing (Pub *pub)
{
  g_object_notify_by_pspec (G_OBJECT (pub->call),
                            properties[pub == &pub->call->screen ? PROP_SCREEN_ON : PROP_CAMERA_ON]);
}

static void
pub_give_up (Pub        *pub,
             const char *message)
{
  gboolean was_wanted = pub->wanted;

  pub_stop (pub);
  if (was_wanted)
    notify_publishing (pub);
  g_signal_emit (pub->call, signals[SIGNAL_MEDIA_ERROR], 0, message);
}

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Ticket) ticket = user_data;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  Pub *pub = ticket_pub (ticket);
  const char *sdp;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);

  if (pub == NULL)
    {
      /* A restart overtook this request: give back what it made. */
      if (body != NULL)
        send_close (ticket->call, COHORT_REQ_MEDIA_UNPUBLISH,
                    json_object_get_int_member_with_default (body, "pc_id", 0));
      return;
    }

  if (body == NULL)
    {
      if (g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN) ||
          g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID))
        {
          g_autofree char *message = g_strdup_printf (_("Your video could not be shared: %s"),
                                                      error->message);
          pub_give_up (pub, message);
          return;
        }
      g_debug ("Publishing %s failed, retrying: %s", pub->kind, error->message);
      pub_retry_later (pub);
      return;
    }

  sdp = json_object_get_string_member_with_default (body, "sdp", NULL);
  pub->pc_id = json_object_get_int_member_with_default (body, "pc_id", 0);
  pub->feed_id = json_object_get_int_member_with_default (body, "feed_id", 0);
  if (sdp == NULL || pub->pc_id == 0 || !cohort_publisher_set_answer (pub->publisher, sdp, &error))
    {
      g_warning ("Could not use the media server's answer: %s",
                 error != NULL ? error->message : "missing fields");
      send_close (pub->call, COHORT_REQ_MEDIA_UNPUBLISH, pub->pc_id);
      pub_retry_later (pub);
      return;
    }

  g_debug ("Publishing %s: pc %" G_GINT64_FORMAT ", feed %" G_GINT64_FORMAT,
           pub->kind, pub->pc_id, pub->feed_id);
  pub->retry_ms = 0;
  pub_schedule_flush (pub);
}

static void
on_pub_offer (CohortPublisher *publisher,
              const char      *sdp,
              Pub             *pub)
{
  CohortCall *self = pub->call;
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "kind", pub->kind);
  json_object_set_string_member (body, "sdp", sdp);
  json_object_set_boolean_member (body, "audio", cohort_publisher_get_has_audio (publisher));
  json_object_set_boolean_member (body, "video", cohort_publisher_get_has_video (publisher));
  json_object_set_boolean_member (body, "audio_muted", self->audio_muted);
  json_object_set_boolean_member (body, "video_muted", self->video_muted);
  cohort_session_request_async (self->session, COHORT_REQ_MEDIA_PUBLISH, body, NULL, published_cb,
                                ticket_new (self, pub->kind, 0, pub->generation));
}

static void
on_pub_candidate (CohortPublisher *publisher,
                  guint            mline,
                  const char      *candidate,
                  Pub             *pub)
{
  g_ptr_array_add (pub->candidates, candidate_json (mline, candidate));
  pub_schedule_flush (pub);
}

static void
on_pub_gathered (CohortPublisher *publisher,
                 Pub             *pub)
{
  pub->gathered = TRUE;
  pub_schedule_flush (pub);
}

static void
on_pub_failed (CohortPublisher *publisher,
               const char      *message,
               Pub             *pub)
{
  g_message ("The %s publisher failed (%s); starting over", pub->kind, message);
  pub_retry_later (pub);
}

static void
pub_restart (Pub *pub)
{
  CohortCall *self = pub->call;
  g_autoptr(GError) error = NULL;
  GstElement *video = NULL;
  GstElement *audio = NULL;
  GstElement *preview;
  gboolean screen = (pub == &self->screen);

  pub_clear (pub);
  g_clear_handle_id (&pub->retry_source, g_source_remove);

  if (!pub->wanted || cohort_session_get_state (self->session) != COHORT_SESSION_STATE_JOINED)
    return;

  if (screen)
    {
      video = self->screen_source != NULL ? g_object_ref (self->screen_source)
                                          : request_element (self, SIGNAL_CREATE_SOURCE, (gpointer) "screen");
      /* A screen source plays once: a restart asks again. */
      gst_clear_object (&self->screen_source);
    }
  else
    {
      video = request_element (self, SIGNAL_CREATE_SOURCE, (gpointer) "camera");
      audio = request_element (self, SIGNAL_CREATE_SOURCE, (gpointer) "microphone");
    }

  if (video == NULL && audio == NULL)
    {
      pub_give_up (pub, screen ? _("No screen could be shared.")
                               : _("No camera or microphone was found. Check the devices in Preferences."));
      return;
    }

  preview = video != NULL ? request_element (self, SIGNAL_CREATE_PREVIEW_SINK, pub->kind) : NULL;
  pub->publisher = cohort_publisher_new (pub->kind, video, audio, preview,
                                         screen ? COHORT_VIDEO_PRESET_1080P : self->preset,
                                         self->codec, 0,
                                         (const char * const *) self->ice_addresses, &error);
  if (pub->publisher == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Your video could not be started: %s"), error->message);

      pub_give_up (pub, message);
      return;
    }

  cohort_publisher_set_audio_muted (pub->publisher, self->audio_muted);
  cohort_publisher_set_video_muted (pub->publisher, screen ? FALSE : self->video_muted);
  g_signal_connect (pub->publisher, "offer", G_CALLBACK (on_pub_offer), pub);
  g_signal_connect (pub->publisher, "ice-candidate", G_CALLBACK (on_pub_candidate), pub);
  g_signal_connect (pub->publisher, "ice-gathering-done", G_CALLBACK (on_pub_gathered), pub);
  g_signal_connect (pub->publisher, "failed", G_CALLBACK (on_pub_failed), pub);

  if (!cohort_publisher_start (pub->publisher, &error))
    pub_give_up (pub, error->message);
}

static void
pub_stop (Pub *pub)
{
  gint64 pc_id = pub->pc_id;

  pub->wanted = FALSE;
  pub->retry_ms = 0;
  g_clear_handle_id (&pub->retry_source, g_source_remove);
  pub_clear (pub);
  send_close (pub->call, COHORT_REQ_MEDIA_UNPUBLISH, pc_id);
}

static void
pub_init (Pub        *pub,
          CohortCall *call,
          const char *kind)
{
  pub->call = call;
  pub->kind = g_strdup (kind);
  pub->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

static void
pub_finalize (Pub *pub)
{
  g_clear_handle_id (&pub->retry_source, g_source_remove);
  pub_clear (pub);
  g_clear_pointer (&pub->candidates, g_ptr_array_unref);
  g_clear_pointer (&pub->kind, g_free);
}

/* Subscribers */

static void
sub_free (Sub *sub)
{
  g_clear_handle_id (&sub->flush_source, g_source_remove);
  g_clear_handle_id (&sub->retry_source, g_source_remove);
  if (sub->subscriber != NULL)
    {
      g_signal_handlers_disconnect_by_data (sub->subscriber, sub);
      cohort_subscriber_stop (sub->subscriber);
      g_clear_object (&sub->subscriber);
    }
  g_clear_pointer (&sub->candidates, g_ptr_array_unref);
  if (sub->monitor != NULL)
    g_signal_handlers_disconnect_by_data (sub->monitor, sub);
  g_clear_object (&sub->monitor);
  g_free (sub);
}

static void sub_request (Sub *sub);

static void
sub_reset (Sub *sub)
{
  g_clear_handle_id (&sub->flush_source, g_source_remove);
  g_clear_handle_id (&sub->retry_source, g_source_remove);
  if (sub->subscriber != NULL)
    {
      g_signal_handlers_disconnect_by_data (sub->subscriber, sub);
      cohort_subscriber_stop (sub->subscriber);
      g_clear_object (&sub->subscriber);
    }
  g_ptr_array_set_size (sub->candidates, 0);
  sub->gathered = FALSE;
  sub->completed_sent = FALSE;
  sub->answered = FALSE;
  sub->pc_id = 0;
  sub->sent_layer = 0;
  sub->generation++;
}

static gboolean
sub_retry_cb (gpointer user_data)
{
  Sub *sub = user_data;

  sub->retry_source = 0;
  if (lookup_feed (sub->call, sub->feed_id) != NULL)
    sub_request (sub);
  return G_SOURCE_REMOVE;
}

static void
sub_retry_later (Sub *sub)
{
  gint64 pc_id = sub->pc_id;

  sub_reset (sub);
  send_close (sub->call, COHORT_REQ_MEDIA_UNSUBSCRIBE, pc_id);
  sub->retry_ms = sub->retry_ms == 0 ? RETRY_MIN_MS : MIN (sub->retry_ms * 2, RETRY_MAX_MS);
  sub->retry_source = g_timeout_add (sub->retry_ms, sub_retry_cb, sub);
}

/* Link adaptation: the estimator decides, media.layer applies it to this
 * subscription only (docs/architecture-media.md). */

static void sub_send_layer (Sub *sub);

typedef struct
{
  Ticket *ticket;
  guint   layer;
  guint   previous;
} LayerTicket;

static void
layer_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree LayerTicket *lt = user_data;
  g_autoptr(Ticket) ticket = lt->ticket;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  Sub *sub;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  sub = ticket_sub (ticket);
  if (sub == NULL)
    return;
  if (body != NULL)
    {
      /* VP8 carries the picture size in keyframes only: until one of the
       * new layer arrives, its frames would decode against the old
       * layer's pictures. Ask for it now rather than wait up to 3 s. */
      if (sub->subscriber != NULL && lt->layer != COHORT_LINK_LAYER_PAUSED)
        cohort_subscriber_request_keyframe (sub->subscriber);
      return;
    }

  /* A feed without that layer (a screen, a 360p camera): remember where
   * its layers end, and stay on its lowest until the video pauses. */
  sub->sent_layer = lt->previous;
  if (g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID) &&
      lt->layer != COHORT_LINK_LAYER_PAUSED)
    {
      sub->n_layers = lt->layer;
      sub_send_layer (sub);
      return;
    }
  g_debug ("Feed %" G_GINT64_FORMAT ": layer %u refused: %s", sub->feed_id, lt->layer, error->message);
}

static void
sub_send_layer (Sub *sub)
{
  g_autoptr(JsonObject) body = NULL;
  LayerTicket *lt;
  guint layer;

  if (sub->monitor == NULL || !sub->answered || sub->pc_id == 0)
    return;

  layer = cohort_link_monitor_get_layer (sub->monitor);
  if (layer != COHORT_LINK_LAYER_PAUSED && sub->n_layers > 0 && layer >= sub->n_layers)
    layer = sub->n_layers - 1;
  if (layer == sub->sent_layer)
    return;

  g_message ("Feed %" G_GINT64_FORMAT ": asking for layer %u (was %u)", sub->feed_id, layer, sub->sent_layer);
  body = json_object_new ();
  json_object_set_int_member (body, "pc_id", sub->pc_id);
  json_object_set_int_member (body, "layer", layer);
  lt = g_new0 (LayerTicket, 1);
  lt->ticket = ticket_new (sub->call, NULL, sub->feed_id, sub->generation);
  lt->layer = layer;
  lt->previous = sub->sent_layer;
  sub->sent_layer = layer;
  cohort_session_request_async (sub->call->session, COHORT_REQ_MEDIA_LAYER, body, NULL, layer_sent_cb, lt);
}

static void
on_monitor_layer (GObject    *monitor,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  sub_send_layer (user_data);
}

static void
send_link_quality (CohortCall *self)
{
  g_autoptr(JsonObject) body = NULL;

  if (is_teacher (self) || cohort_session_get_state (self->session) != COHORT_SESSION_STATE_JOINED)
    return;

  body = json_object_new ();
  json_object_set_string_member (body, "level", cohort_link_quality_to_string (self->link_quality));
  cohort_session_request_async (self->session, COHORT_REQ_MEDIA_QUALITY, body, NULL,
                                ignore_reply_cb, NULL);
}

/* The class's worst link decides what the student is told, and what the
 * teacher hears (students only; the server refuses the teacher's). */
static void
update_link_quality (CohortCall *self)
{
  CohortLinkQuality worst = COHORT_LINK_QUALITY_GOOD;
  GHashTableIter iter;
  Sub *sub;

  g_hash_table_iter_init (&iter, self->subs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &sub))
    if (sub->monitor != NULL)
      worst = MAX (worst, cohort_link_monitor_get_quality (sub->monitor));

  if (worst == self->link_quality)
    return;

  g_message ("Link quality %s → %s", cohort_link_quality_to_string (self->link_quality),
             cohort_link_quality_to_string (worst));
  self->link_quality = worst;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINK_QUALITY]);
  send_link_quality (self);
}

static void
on_monitor_quality (GObject    *monitor,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  Sub *sub = user_data;
  CohortFeed *feed = lookup_feed (sub->call, sub->feed_id);

  if (feed != NULL)
    cohort_feed_set_link_quality (feed, cohort_link_monitor_get_quality (sub->monitor));
  update_link_quality (sub->call);
}

/* Enough for a debug overlay to show the last few minutes of a bad link. */
#define MAX_LINK_STEPS 100

static void
on_monitor_step (CohortLinkMonitor *monitor,
                 CohortLinkStep    *step,
                 Sub               *sub)
{
  GListStore *steps = sub->call->link_steps;

  if (g_list_model_get_n_items (G_LIST_MODEL (steps)) >= MAX_LINK_STEPS)
    g_list_store_remove (steps, 0);
  g_list_store_append (steps, step);
}

static void
answered_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Ticket) ticket = user_data;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  Sub *sub = ticket_sub (ticket);

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  if (sub != NULL && body != NULL)
    sub_send_layer (sub);
  if (sub == NULL || body != NULL)
    return;

  g_debug ("Starting feed %" G_GINT64_FORMAT " failed, retrying: %s", sub->feed_id, error->message);
  sub_retry_later (sub);
}

static void
on_answer_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Ticket) ticket = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *answer = NULL;
  Sub *sub = ticket_sub (ticket);

  answer = cohort_subscriber_answer_finish (COHORT_SUBSCRIBER (source), result, &error);
  if (sub == NULL)
    return;
  if (answer == NULL)
    {
      g_warning ("Could not answer feed %" G_GINT64_FORMAT ": %s", sub->feed_id, error->message);
      sub_retry_later (sub);
      return;
    }

  body = json_object_new ();
  json_object_set_int_member (body, "pc_id", sub->pc_id);
  json_object_set_string_member (body, "sdp", answer);
  cohort_session_request_async (sub->call->session, COHORT_REQ_MEDIA_ANSWER, body, NULL, answered_cb,
                                ticket_new (sub->call, NULL, sub->feed_id, sub->generation));
  sub->answered = TRUE;
  sub_schedule_flush (sub);
}

static void
on_sub_candidate (CohortSubscriber *subscriber,
                  guint             mline,
                  const char       *candidate,
                  Sub              *sub)
{
  g_ptr_array_add (sub->candidates, candidate_json (mline, candidate));
  sub_schedule_flush (sub);
}

static void
on_sub_gathered (CohortSubscriber *subscriber,
                 Sub              *sub)
{
  sub->gathered = TRUE;
  sub_schedule_flush (sub);
}

static void
on_sub_first_frame (CohortSubscriber *subscriber,
                    guint             width,
                    guint             height,
                    Sub              *sub)
{
  CohortFeed *feed = lookup_feed (sub->call, sub->feed_id);

  g_debug ("Feed %" G_GINT64_FORMAT ": first frame %ux%u", sub->feed_id, width, height);
  sub->retry_ms = 0;
  if (feed == NULL)
    return;
  cohort_feed_set_live (feed, TRUE);
  g_signal_emit (sub->call, signals[SIGNAL_FIRST_FRAME], 0, feed);
}

static void
on_sub_failed (CohortSubscriber *subscriber,
               const char       *message,
               Sub              *sub)
{
  g_message ("Feed %" G_GINT64_FORMAT " failed (%s); subscribing again", sub->feed_id, message);
  sub_retry_later (sub);
}

static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(Ticket) ticket = user_data;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  CohortCall *self = ticket->call;
  Sub *sub = ticket_sub (ticket);
  CohortFeed *feed;
  const char *sdp;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);

  if (sub == NULL)
    {
      if (body != NULL)
        send_close (self, COHORT_REQ_MEDIA_UNSUBSCRIBE, json_object_get_int_member_with_default (body, "pc_id", 0));
      return;
    }

  feed = lookup_feed (self, sub->feed_id);
  if (body == NULL)
    {
      /* not_found for a feed still listed: its removal is on the way, or
       * Janus was not ready for it yet. Retry (with back-off) until the
       * feed_removed event drops it. */
      if (feed == NULL || g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN))
        {
          sub_drop (self, ticket->feed_id);
          return;
        }
      g_debug ("Subscribing to feed %" G_GINT64_FORMAT " failed, retrying: %s",
               ticket->feed_id, error->message);
      sub_retry_later (sub);
      return;
    }

  sub->pc_id = json_object_get_int_member_with_default (body, "pc_id", 0);
  sdp = json_object_get_string_member_with_default (body, "sdp", NULL);
  g_debug ("Subscribed to feed %" G_GINT64_FORMAT ": pc %" G_GINT64_FORMAT, sub->feed_id, sub->pc_id);
  if (feed == NULL)
    {
      sub_drop (self, ticket->feed_id);
      return;
    }
  if (sdp == NULL || sub->pc_id == 0)
    {
      sub_retry_later (sub);
      return;
    }

  sub->subscriber = cohort_subscriber_new (sub->feed_id,
                                           request_element (self, SIGNAL_CREATE_VIDEO_SINK, feed),
                                           request_element (self, SIGNAL_CREATE_AUDIO_SINK, feed),
                                           self->latency,
                                           (const char * const *) self->ice_addresses, &error);
  if (sub->subscriber == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("A video could not be shown: %s"), error->message);

      send_close (self, COHORT_REQ_MEDIA_UNSUBSCRIBE, sub->pc_id);
      sub_drop (self, ticket->feed_id);
      g_signal_emit (self, signals[SIGNAL_MEDIA_ERROR], 0, message);
      return;
    }

  g_signal_connect (sub->subscriber, "ice-candidate", G_CALLBACK (on_sub_candidate), sub);
  g_signal_connect (sub->subscriber, "ice-gathering-done", G_CALLBACK (on_sub_gathered), sub);
  g_signal_connect (sub->subscriber, "first-frame", G_CALLBACK (on_sub_first_frame), sub);
  g_signal_connect (sub->subscriber, "failed", G_CALLBACK (on_sub_failed), sub);
  if (sub->monitor == NULL)
    {
      sub->monitor = cohort_link_monitor_new (sub->subscriber);
      cohort_link_monitor_set_audio_only (sub->monitor, self->audio_only);
      g_signal_connect (sub->monitor, "notify::layer", G_CALLBACK (on_monitor_layer), sub);
      g_signal_connect (sub->monitor, "notify::quality", G_CALLBACK (on_monitor_quality), sub);
      g_signal_connect (sub->monitor, "step", G_CALLBACK (on_monitor_step), sub);
    }
  else
    cohort_link_monitor_set_subscriber (sub->monitor, sub->subscriber);
  cohort_subscriber_answer_async (sub->subscriber, sdp, NULL, on_answer_ready,
                                  ticket_new (self, NULL, sub->feed_id, sub->generation));
}

static void
sub_request (Sub *sub)
{
  CohortCall *self = sub->call;
  g_autoptr(JsonObject) body = json_object_new ();
  CohortFeed *feed = lookup_feed (self, sub->feed_id);

  sub_reset (sub);
  if (feed != NULL)
    cohort_feed_set_live (feed, FALSE);
  if (cohort_session_get_state (self->session) != COHORT_SESSION_STATE_JOINED)
    {
      g_debug ("Feed %" G_GINT64_FORMAT ": waiting for the session", sub->feed_id);
      return;
    }

  g_debug ("Subscribing to feed %" G_GINT64_FORMAT, sub->feed_id);

  json_object_set_int_member (body, "feed_id", sub->feed_id);
  cohort_session_request_async (self->session, COHORT_REQ_MEDIA_SUBSCRIBE, body, NULL, subscribed_cb,
                                ticket_new (self, NULL, sub->feed_id, sub->generation));
}

static void
sub_start (CohortCall *self,
           gint64      feed_id)
{
  Sub *sub = g_hash_table_lookup (self->subs, &feed_id);

  if (sub == NULL)
    {
      sub = g_new0 (Sub, 1);
      sub->call = self;
      sub->feed_id = feed_id;
      sub->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_hash_table_insert (self->subs, g_memdup2 (&feed_id, sizeof feed_id), sub);
    }

  sub_request (sub);
}

static void update_link_quality (CohortCall *self);

static void
sub_drop (CohortCall *self,
          gint64      feed_id)
{
  Sub *sub = g_hash_table_lookup (self->subs, &feed_id);

  if (sub == NULL)
    return;

  send_close (self, COHORT_REQ_MEDIA_UNSUBSCRIBE, sub->pc_id);
  g_hash_table_remove (self->subs, &feed_id);
  update_link_quality (self);
}

/* Session events */

static void
notify_stage (CohortCall *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ON_STAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INVITED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_PUBLISH]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[SIGNAL_STAGE_CHANGED], 0);
}

static void
feed_arrived (CohortCall *self,
              JsonObject *object)
{
  g_autoptr(CohortFeed) feed = cohort_feed_new_from_json (object, self_id (self));

  if (feed == NULL || lookup_feed (self, cohort_feed_get_feed_id (feed)) != NULL)
    return;

  add_feed (self, feed);
  if (cohort_feed_get_local (feed))
    cohort_feed_set_live (feed, TRUE);
  else
    sub_start (self, cohort_feed_get_feed_id (feed));
}

static void
feed_gone (CohortCall *self,
           gint64      feed_id)
{
  Pub *pubs[] = { &self->camera, &self->screen };

  sub_drop (self, feed_id);
  remove_feed (self, feed_id);

  /* Our own feed ended on the server (Janus restarted, we were replaced):
   * if we still want it, publish again. */
  for (guint i = 0; i < G_N_ELEMENTS (pubs); i++)
    if (pubs[i]->feed_id == feed_id && pubs[i]->wanted)
      pub_restart (pubs[i]);
}

static void
restart_everything (CohortCall *self)
{
  g_autoptr(GList) feed_ids = g_hash_table_get_keys (self->subs);

  for (GList *l = feed_ids; l != NULL; l = l->next)
    {
      Sub *sub = g_hash_table_lookup (self->subs, l->data);

      sub->retry_ms = 0;
      sub_request (sub);
    }

  if (self->camera.wanted)
    pub_restart (&self->camera);
  if (self->screen.wanted)
    pub_restart (&self->screen);
}

static void
on_welcome (CohortSession *session,
            JsonObject    *body,
            CohortCall    *self)
{
  JsonObject *media = json_object_has_member (body, "media") &&
                      JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "media")) ?
                      json_object_get_object_member (body, "media") : NULL;
  JsonArray *feeds;
  JsonArray *stage;
  g_autoptr(GHashTable) present = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GList) known = NULL;

  g_hash_table_remove_all (self->stage);
  self->media_enabled = media != NULL && json_object_get_boolean_member_with_default (media, "enabled", FALSE);
  self->stage_limit = media != NULL ? json_object_get_int_member_with_default (media, "stage_limit", 0) : 0;

  stage = media != NULL && json_object_has_member (media, "stage") ? json_object_get_array_member (media, "stage") : NULL;
  for (guint i = 0; stage != NULL && i < json_array_get_length (stage); i++)
    {
      JsonNode *node = json_array_get_element (stage, i);
      JsonObject *entry;
      const char *state;
      gint64 id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      id = json_object_get_int_member_with_default (entry, "participant_id", 0);
      state = json_object_get_string_member_with_default (entry, "state", NULL);
      if (id > 0 && (g_strcmp0 (state, "invited") == 0 || g_strcmp0 (state, "on_stage") == 0))
        g_hash_table_insert (self->stage, g_memdup2 (&id, sizeof id), g_strdup (state));
    }

  /* Feeds: keep the ones still there, drop the others, add new ones. */
  feeds = media != NULL && json_object_has_member (media, "feeds") ? json_object_get_array_member (media, "feeds") : NULL;
  for (guint i = 0; feeds != NULL && i < json_array_get_length (feeds); i++)
    {
      JsonNode *node = json_array_get_element (feeds, i);
      gint64 id;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      id = json_object_get_int_member_with_default (json_node_get_object (node), "feed_id", 0);
      g_hash_table_add (present, g_memdup2 (&id, sizeof id));
    }

  known = g_hash_table_get_keys (self->feed_index);
  for (GList *l = known; l != NULL; l = l->next)
    if (!g_hash_table_contains (present, l->data))
      feed_gone (self, *(gint64 *) l->data);

  for (guint i = 0; feeds != NULL && i < json_array_get_length (feeds); i++)
    {
      JsonNode *node = json_array_get_element (feeds, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        feed_arrived (self, json_node_get_object (node));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MEDIA_ENABLED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAGE_LIMIT]);
  notify_stage (self);
}

static void
on_event (CohortSession *session,
          const char    *event,
          JsonObject    *body,
          gint64         seq,
          CohortCall    *self)
{
  gint64 participant_id;

  if (g_str_equal (event, COHORT_EV_MEDIA_FEED_ADDED))
    feed_arrived (self, body);
  else if (g_str_equal (event, COHORT_EV_MEDIA_FEED_REMOVED))
    feed_gone (self, json_object_get_int_member (body, "feed_id"));
  else if (g_str_equal (event, COHORT_EV_MEDIA_FEED_UPDATED))
    {
      CohortFeed *feed = lookup_feed (self, json_object_get_int_member (body, "feed_id"));

      if (feed != NULL)
        cohort_feed_set_muted (feed, json_object_get_boolean_member (body, "audio_muted"),
                               json_object_get_boolean_member (body, "video_muted"));
    }
  else if (g_str_has_prefix (event, "stage."))
    {
      participant_id = json_object_get_int_member (body, "participant_id");

      if (g_str_equal (event, COHORT_EV_STAGE_INVITED))
        g_hash_table_insert (self->stage, g_memdup2 (&participant_id, sizeof participant_id),
                             g_strdup ("invited"));
      else if (g_str_equal (event, COHORT_EV_STAGE_JOINED))
        g_hash_table_insert (self->stage, g_memdup2 (&participant_id, sizeof participant_id),
                             g_strdup ("on_stage"));
      else if (g_str_equal (event, COHORT_EV_STAGE_DECLINED) || g_str_equal (event, COHORT_EV_STAGE_LEFT))
        {
          g_hash_table_remove (self->stage, &participant_id);
          /* Off the stage: the server ended our feeds; stop wanting them. */
          if (participant_id == self_id (self) && !is_teacher (self))
            {
              gboolean camera = self->camera.wanted, screen = self->screen.wanted;

              pub_stop (&self->camera);
              pub_stop (&self->screen);
              if (camera)
                notify_publishing (&self->camera);
              if (screen)
                notify_publishing (&self->screen);
            }
        }
      else
        return;

      notify_stage (self);
    }
}

static void
on_progress (CohortSession *session,
             const char    *re,
             JsonObject    *body,
             CohortCall    *self)
{
  Pub *pubs[] = { &self->camera, &self->screen };
  GHashTableIter iter;
  gint64 pc_id;
  Sub *sub;

  if (g_strcmp0 (json_object_get_string_member_with_default (body, "signal", NULL),
                 COHORT_SIGNAL_MEDIA_HANGUP) != 0)
    return;

  pc_id = json_object_get_int_member_with_default (body, "pc_id", 0);
  for (guint i = 0; i < G_N_ELEMENTS (pubs); i++)
    if (pubs[i]->pc_id == pc_id && pubs[i]->wanted)
      {
        pubs[i]->pc_id = 0;
        pub_restart (pubs[i]);
        return;
      }

  g_hash_table_iter_init (&iter, self->subs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &sub))
    if (sub->pc_id == pc_id)
      {
        sub->pc_id = 0;
        sub_retry_later (sub);
        return;
      }
}

static void
state_reply_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CohortCall) self = user_data;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  if (body == NULL)
    {
      g_debug ("Could not read the class's media state: %s", error->message);
      return;
    }
  if (self->session != NULL)
    on_welcome (self->session, body, self);
}

static void
on_session_state (CohortSession *session,
                  GParamSpec    *pspec,
                  CohortCall    *self)
{
  CohortSessionState state = cohort_session_get_state (session);

  if (state == COHORT_SESSION_STATE_JOINED)
    {
      /* Back after a reconnect: the server dropped our connection's media
       * with it. Start every subscription and publication over. */
      if (self->was_joined)
        restart_everything (self);
      /* The teacher forgot our link with the old connection. */
      if (self->was_joined && self->link_quality != COHORT_LINK_QUALITY_GOOD)
        send_link_quality (self);
      self->was_joined = TRUE;
    }
  else if (state == COHORT_SESSION_STATE_DISCONNECTED || state == COHORT_SESSION_STATE_FAILED)
    {
      pub_stop (&self->camera);
      pub_stop (&self->screen);
      g_hash_table_remove_all (self->subs);
      /* No subscription, no weak link to speak of. */
      update_link_quality (self);
      self->was_joined = FALSE;
    }
}

/* Public API */

CohortCall *
cohort_call_new (CohortSession *session)
{
  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  return g_object_new (COHORT_TYPE_CALL, "session", session, NULL);
}

CohortSession *
cohort_call_get_session (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), NULL);

  return self->session;
}

GListModel *
cohort_call_get_feeds (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), NULL);

  return G_LIST_MODEL (self->feeds);
}

CohortFeed *
cohort_call_lookup_feed (CohortCall *self,
                         gint64      feed_id)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), NULL);

  return lookup_feed (self, feed_id);
}

static void
set_wanted (CohortCall *self,
            Pub        *pub,
            gboolean    on)
{
  on = !!on;
  if (pub->wanted == on)
    return;

  if (on)
    {
      pub->wanted = TRUE;
      pub->retry_ms = 0;
      pub_restart (pub);
    }
  else
    pub_stop (pub);

  notify_publishing (pub);
}

void
cohort_call_set_camera_on (CohortCall *self,
                           gboolean    on)
{
  g_return_if_fail (COHORT_IS_CALL (self));

  set_wanted (self, &self->camera, on);
}

gboolean
cohort_call_get_camera_on (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), FALSE);

  return self->camera.wanted;
}

void
cohort_call_set_screen_on (CohortCall *self,
                           gboolean    on)
{
  g_return_if_fail (COHORT_IS_CALL (self));

  set_wanted (self, &self->screen, on);
}

gboolean
cohort_call_get_screen_on (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), FALSE);

  return self->screen.wanted;
}

static void
send_mute (CohortCall *self)
{
  g_autoptr(JsonObject) body = NULL;

  if (self->camera.pc_id == 0)
    return;

  body = json_object_new ();
  json_object_set_int_member (body, "pc_id", self->camera.pc_id);
  json_object_set_boolean_member (body, "audio_muted", self->audio_muted);
  json_object_set_boolean_member (body, "video_muted", self->video_muted);
  cohort_session_request_async (self->session, COHORT_REQ_MEDIA_MUTE, body, NULL, ignore_reply_cb, NULL);
}

/* Audio and video mute alike: the local track follows at once, and the
 * server hears both flags so that the others' tiles show them. */
static void
set_muted (CohortCall *self,
           gboolean   *field,
           gboolean    muted,
           void      (*publisher_set_muted) (CohortPublisher *publisher,
                                             gboolean         muted),
           guint       prop)
{
  if (*field == !!muted)
    return;

  *field = !!muted;
  if (self->camera.publisher != NULL)
    publisher_set_muted (self->camera.publisher, *field);
  send_mute (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
cohort_call_set_audio_muted (CohortCall *self,
                             gboolean    muted)
{
  g_return_if_fail (COHORT_IS_CALL (self));

  set_muted (self, &self->audio_muted, muted, cohort_publisher_set_audio_muted, PROP_AUDIO_MUTED);
}

gboolean
cohort_call_get_audio_muted (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), FALSE);

  return self->audio_muted;
}

void
cohort_call_set_video_muted (CohortCall *self,
                             gboolean    muted)
{
  g_return_if_fail (COHORT_IS_CALL (self));

  set_muted (self, &self->video_muted, muted, cohort_publisher_set_video_muted, PROP_VIDEO_MUTED);
}

gboolean
cohort_call_get_video_muted (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), FALSE);

  return self->video_muted;
}

void
cohort_call_set_preset (CohortCall        *self,
                        CohortVideoPreset  preset)
{
  g_return_if_fail (COHORT_IS_CALL (self));

  if (self->preset == preset)
    return;

  self->preset = preset;
  if (self->camera.wanted)
    pub_restart (&self->camera);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRESET]);
}

void
cohort_call_set_ice_addresses (CohortCall         *self,
                               const char * const *addresses)
{
  g_return_if_fail (COHORT_IS_CALL (self));

  g_strfreev (self->ice_addresses);
  self->ice_addresses = g_strdupv ((char **) addresses);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICE_ADDRESSES]);
}

const char *
cohort_call_get_stage_state (CohortCall *self,
                             gint64      participant_id)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), NULL);

  return g_hash_table_lookup (self->stage, &participant_id);
}

gboolean
cohort_call_get_on_stage (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), FALSE);

  return g_strcmp0 (cohort_call_get_stage_state (self, self_id (self)), "on_stage") == 0;
}

gboolean
cohort_call_get_invited (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), FALSE);

  return g_strcmp0 (cohort_call_get_stage_state (self, self_id (self)), "invited") == 0;
}

gboolean
cohort_call_get_can_publish (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), FALSE);

  return self->media_enabled && (is_teacher (self) || cohort_call_get_on_stage (self));
}

guint
cohort_call_get_stage_limit (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), 0);

  return self->stage_limit;
}

gboolean
cohort_call_get_media_enabled (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), FALSE);

  return self->media_enabled;
}

static void
stage_reply_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) body = NULL;
  GError *error = NULL;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
cohort_call_stage_async (CohortCall          *self,
                         CohortStageAction    action,
                         gint64               participant_id,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  GTask *task;
  const char *type;

  g_return_if_fail (COHORT_IS_CALL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_call_stage_async);

  switch (action)
    {
    case COHORT_STAGE_INVITE:
      type = COHORT_REQ_STAGE_INVITE;
      break;
    case COHORT_STAGE_ACCEPT:
      type = COHORT_REQ_STAGE_ACCEPT;
      break;
    case COHORT_STAGE_DECLINE:
      type = COHORT_REQ_STAGE_DECLINE;
      break;
    case COHORT_STAGE_REMOVE:
    default:
      type = COHORT_REQ_STAGE_REMOVE;
      break;
    }

  if (participant_id > 0 && (action == COHORT_STAGE_INVITE || action == COHORT_STAGE_REMOVE))
    json_object_set_int_member (body, "participant_id", participant_id);

  cohort_session_request_async (self->session, type, body, cancellable, stage_reply_cb, task);
}

gboolean
cohort_call_stage_finish (CohortCall    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

CohortSubscriber *
cohort_call_get_subscriber (CohortCall *self,
                            gint64      feed_id)
{
  Sub *sub;

  g_return_val_if_fail (COHORT_IS_CALL (self), NULL);

  sub = g_hash_table_lookup (self->subs, &feed_id);
  return sub != NULL ? sub->subscriber : NULL;
}

CohortPublisher *
cohort_call_get_publisher (CohortCall *self,
                           const char *kind)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), NULL);

  return g_strcmp0 (kind, COHORT_MEDIA_KIND_SCREEN) == 0 ? self->screen.publisher : self->camera.publisher;
}

GListModel *
cohort_call_get_link_steps (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), NULL);

  return G_LIST_MODEL (self->link_steps);
}

char *
cohort_call_dup_link_summary (CohortCall *self,
                              gint64      feed_id)
{
  Sub *sub;

  g_return_val_if_fail (COHORT_IS_CALL (self), NULL);

  sub = g_hash_table_lookup (self->subs, &feed_id);
  return sub != NULL && sub->monitor != NULL ? cohort_link_monitor_describe (sub->monitor) : NULL;
}

CohortLinkQuality
cohort_call_get_link_quality (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), COHORT_LINK_QUALITY_GOOD);

  return self->link_quality;
}

void
cohort_call_set_audio_only (CohortCall *self,
                            gboolean    audio_only)
{
  GHashTableIter iter;
  Sub *sub;

  g_return_if_fail (COHORT_IS_CALL (self));

  audio_only = !!audio_only;
  if (self->audio_only == audio_only)
    return;

  self->audio_only = audio_only;
  g_hash_table_iter_init (&iter, self->subs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &sub))
    if (sub->monitor != NULL)
      cohort_link_monitor_set_audio_only (sub->monitor, audio_only);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_ONLY]);
}

gboolean
cohort_call_get_audio_only (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), FALSE);

  return self->audio_only;
}

guint
cohort_call_get_feed_layer (CohortCall *self,
                            gint64      feed_id)
{
  Sub *sub;

  g_return_val_if_fail (COHORT_IS_CALL (self), 0);

  sub = g_hash_table_lookup (self->subs, &feed_id);
  return sub != NULL ? sub->sent_layer : 0;
}

guint
cohort_call_get_n_subscribers (CohortCall *self)
{
  g_return_val_if_fail (COHORT_IS_CALL (self), 0);

  return g_hash_table_size (self->subs);
}

/* GObject */

static void
cohort_call_constructed (GObject *object)
{
  CohortCall *self = COHORT_CALL (object);

  G_OBJECT_CLASS (cohort_call_parent_class)->constructed (object);

  g_signal_connect_object (self->session, "welcome", G_CALLBACK (on_welcome), self, 0);
  g_signal_connect_object (self->session, "event-received", G_CALLBACK (on_event), self, 0);
  g_signal_connect_object (self->session, "progress-received", G_CALLBACK (on_progress), self, 0);
  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (on_session_state), self, 0);
  self->was_joined = cohort_session_get_state (self->session) == COHORT_SESSION_STATE_JOINED;

  /* Made after the join: ask for what the welcome said. */
  if (self->was_joined)
    cohort_session_request_async (self->session, COHORT_REQ_MEDIA_STATE, NULL, NULL,
                                  state_reply_cb, g_object_ref (self));
}

static void
cohort_call_dispose (GObject *object)
{
  CohortCall *self = COHORT_CALL (object);

  if (self->subs != NULL)
    g_hash_table_remove_all (self->subs);
  pub_finalize (&self->camera);
  pub_finalize (&self->screen);
  gst_clear_object (&self->screen_source);
  if (self->feeds != NULL)
    g_list_store_remove_all (self->feeds);
  if (self->feed_index != NULL)
    g_hash_table_remove_all (self->feed_index);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cohort_call_parent_class)->dispose (object);
}

static void
cohort_call_finalize (GObject *object)
{
  CohortCall *self = COHORT_CALL (object);

  g_clear_pointer (&self->subs, g_hash_table_unref);
  g_clear_pointer (&self->stage, g_hash_table_unref);
  g_clear_pointer (&self->feed_index, g_hash_table_unref);
  g_clear_object (&self->feeds);
  g_clear_object (&self->link_steps);
  g_strfreev (self->ice_addresses);

  G_OBJECT_CLASS (cohort_call_parent_class)->finalize (object);
}

static void
cohort_call_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CohortCall *self = COHORT_CALL (object);

  switch (prop_id)
    {
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_FEEDS: g_value_set_object (value, self->feeds); break;
    case PROP_CAMERA_ON: g_value_set_boolean (value, self->camera.wanted); break;
    case PROP_SCREEN_ON: g_value_set_boolean (value, self->screen.wanted); break;
    case PROP_AUDIO_MUTED: g_value_set_boolean (value, self->audio_muted); break;
    case PROP_VIDEO_MUTED: g_value_set_boolean (value, self->video_muted); break;
    case PROP_ON_STAGE: g_value_set_boolean (value, cohort_call_get_on_stage (self)); break;
    case PROP_INVITED: g_value_set_boolean (value, cohort_call_get_invited (self)); break;
    case PROP_CAN_PUBLISH: g_value_set_boolean (value, cohort_call_get_can_publish (self)); break;
    case PROP_STAGE_LIMIT: g_value_set_uint (value, self->stage_limit); break;
    case PROP_MEDIA_ENABLED: g_value_set_boolean (value, self->media_enabled); break;
    case PROP_PRESET: g_value_set_int (value, self->preset); break;
    case PROP_VIDEO_CODEC: g_value_set_int (value, self->codec); break;
    case PROP_ICE_ADDRESSES: g_value_set_boxed (value, self->ice_addresses); break;
    case PROP_LATENCY: g_value_set_uint (value, self->latency); break;
    case PROP_LINK_QUALITY: g_value_set_int (value, self->link_quality); break;
    case PROP_AUDIO_ONLY: g_value_set_boolean (value, self->audio_only); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_call_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CohortCall *self = COHORT_CALL (object);

  switch (prop_id)
    {
    case PROP_SESSION: self->session = g_value_dup_object (value); break;
    case PROP_CAMERA_ON: cohort_call_set_camera_on (self, g_value_get_boolean (value)); break;
    case PROP_SCREEN_ON: cohort_call_set_screen_on (self, g_value_get_boolean (value)); break;
    case PROP_AUDIO_MUTED: cohort_call_set_audio_muted (self, g_value_get_boolean (value)); break;
    case PROP_VIDEO_MUTED: cohort_call_set_video_muted (self, g_value_get_boolean (value)); break;
    case PROP_PRESET: cohort_call_set_preset (self, g_value_get_int (value)); break;
    case PROP_VIDEO_CODEC: self->codec = g_value_get_int (value); break;
    case PROP_ICE_ADDRESSES: cohort_call_set_ice_addresses (self, g_value_get_boxed (value)); break;
    case PROP_LATENCY: self->latency = g_value_get_uint (value); break;
    case PROP_AUDIO_ONLY: cohort_call_set_audio_only (self, g_value_get_boolean (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Request signals: the first handler that returns an element wins; a
 * handler returning NULL lets the next one answer (a test can answer the
 * camera and leave the screen to the application). */
static gboolean
first_element_wins (GSignalInvocationHint *ihint,
                    GValue                *return_accu,
                    const GValue          *handler_return,
                    gpointer               data)
{
  if (g_value_get_object (handler_return) == NULL)
    return TRUE;

  g_value_copy (handler_return, return_accu);
  return FALSE;
}

static void
cohort_call_class_init (CohortCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = cohort_call_constructed;
  object_class->dispose = cohort_call_dispose;
  object_class->finalize = cohort_call_finalize;
  object_class->get_property = cohort_call_get_property;
  object_class->set_property = cohort_call_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, COHORT_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FEEDS] = g_param_spec_object ("feeds", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_CAMERA_ON] = g_param_spec_boolean ("camera-on", NULL, NULL, FALSE, rw);
  properties[PROP_SCREEN_ON] = g_param_spec_boolean ("screen-on", NULL, NULL, FALSE, rw);
  properties[PROP_AUDIO_MUTED] = g_param_spec_boolean ("audio-muted", NULL, NULL, FALSE, rw);
  properties[PROP_VIDEO_MUTED] = g_param_spec_boolean ("video-muted", NULL, NULL, FALSE, rw);
  properties[PROP_ON_STAGE] = g_param_spec_boolean ("on-stage", NULL, NULL, FALSE, ro);
  properties[PROP_INVITED] = g_param_spec_boolean ("invited", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_PUBLISH] = g_param_spec_boolean ("can-publish", NULL, NULL, FALSE, ro);
  properties[PROP_STAGE_LIMIT] = g_param_spec_uint ("stage-limit", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_MEDIA_ENABLED] = g_param_spec_boolean ("media-enabled", NULL, NULL, FALSE, ro);
  properties[PROP_PRESET] =
    g_param_spec_int ("preset", NULL, NULL, COHORT_VIDEO_PRESET_360P, COHORT_VIDEO_PRESET_1080P,
                      COHORT_VIDEO_PRESET_720P, rw);
  properties[PROP_VIDEO_CODEC] =
    g_param_spec_int ("video-codec", NULL, NULL, COHORT_VIDEO_CODEC_AUTO, COHORT_VIDEO_CODEC_H264,
                      COHORT_VIDEO_CODEC_AUTO, rw);
  properties[PROP_ICE_ADDRESSES] = g_param_spec_boxed ("ice-addresses", NULL, NULL, G_TYPE_STRV, rw);
  properties[PROP_LATENCY] = g_param_spec_uint ("latency", NULL, NULL, 0, 2000, DEFAULT_LATENCY_MS, rw);
  properties[PROP_LINK_QUALITY] =
    g_param_spec_int ("link-quality", NULL, NULL, COHORT_LINK_QUALITY_GOOD, COHORT_LINK_QUALITY_POOR,
                      COHORT_LINK_QUALITY_GOOD,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUDIO_ONLY] =
    g_param_spec_boolean ("audio-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CREATE_SOURCE] =
    g_signal_new ("create-source", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, first_element_wins, NULL, NULL,
                  GST_TYPE_ELEMENT, 1, G_TYPE_STRING);
  signals[SIGNAL_CREATE_VIDEO_SINK] =
    g_signal_new ("create-video-sink", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, first_element_wins, NULL, NULL,
                  GST_TYPE_ELEMENT, 1, COHORT_TYPE_FEED);
  signals[SIGNAL_CREATE_AUDIO_SINK] =
    g_signal_new ("create-audio-sink", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, first_element_wins, NULL, NULL,
                  GST_TYPE_ELEMENT, 1, COHORT_TYPE_FEED);
  signals[SIGNAL_CREATE_PREVIEW_SINK] =
    g_signal_new ("create-preview-sink", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, first_element_wins, NULL, NULL,
                  GST_TYPE_ELEMENT, 1, G_TYPE_STRING);
  signals[SIGNAL_FIRST_FRAME] =
    g_signal_new ("first-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, COHORT_TYPE_FEED);
  signals[SIGNAL_STAGE_CHANGED] =
    g_signal_new ("stage-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_MEDIA_ERROR] =
    g_signal_new ("media-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cohort_call_init (CohortCall *self)
{
  const char *env = g_getenv ("COHORT_MEDIA_ICE_ADDRESSES");

  self->feeds = g_list_store_new (COHORT_TYPE_FEED);
  self->feed_index = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->stage = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->subs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify) sub_free);
  self->link_steps = g_list_store_new (COHORT_TYPE_LINK_STEP);
  self->preset = COHORT_VIDEO_PRESET_720P;
  self->latency = DEFAULT_LATENCY_MS;
  if (env != NULL && env[0] != '\0')
    self->ice_addresses = g_strsplit (env, ",", -1);
  pub_init (&self->camera, self, COHORT_MEDIA_KIND_CAMERA);
  pub_init (&self->screen, self, COHORT_MEDIA_KIND_SCREEN);
}

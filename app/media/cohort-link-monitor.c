/* cohort-link-monitor.c: a subscription's link, read once a second
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The estimator is pure arithmetic; this is its plumbing: webrtcbin's
 * get-stats answers on its own thread, the figures hop to the main
 * context, and the decision comes out as properties.
 */

#define G_LOG_DOMAIN "cohort-link"

#include "config.h"

#include "cohort-link-monitor.h"
#include "cohort-link-step.h"
#include "cohort-media-webrtc.h"

#define PERIOD_MS 1000

struct _CohortLinkMonitor
{
  GObject              parent_instance;

  GMainContext        *context;
  CohortSubscriber    *subscriber;
  CohortLinkEstimator *estimator;
  guint                timer;
  gboolean             in_flight;
  CohortLinkQuality    quality;
  /* What the estimator said last (FALSE: hold the repair). */
  gboolean             retransmit;
};

enum {
  PROP_0,
  PROP_LAYER,
  PROP_QUALITY,
  PROP_AUDIO_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_STEP,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CohortLinkMonitor, cohort_link_monitor, G_TYPE_OBJECT)

/* webrtcbin's thread */

typedef struct
{
  CohortSubscriber *subscriber;   /* the one asked, to drop stale answers */
  CohortLinkSample  sample;
  gboolean          found;
} StatsReply;

typedef struct
{
  const GstStructure *reply;
  const GstStructure *video;
  guint64             most_bytes;
} FindVideo;

/* The video inbound-rtp entry: the one whose codec runs at 90 kHz (1.22
 * labels every bundled entry with one "kind"), else the busiest. */
static gboolean
find_video_inbound (GQuark        field_id,
                    const GValue *value,
                    gpointer      user_data)
{
  FindVideo *find = user_data;
  const GstStructure *s;
  GstWebRTCStatsType type;
  const char *codec_id;
  guint64 bytes = 0;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  s = gst_value_get_structure (value);
  if (!gst_structure_get (s, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, NULL) ||
      type != GST_WEBRTC_STATS_INBOUND_RTP)
    return TRUE;

  codec_id = gst_structure_get_string (s, "codec-id");
  if (codec_id != NULL && gst_structure_has_field (find->reply, codec_id))
    {
      const GstStructure *codec = NULL;
      guint clock_rate = 0;

      if (gst_structure_get (find->reply, codec_id, GST_TYPE_STRUCTURE, &codec, NULL) && codec != NULL)
        {
          gboolean is_video = gst_structure_get_uint (codec, "clock-rate", &clock_rate) &&
                              clock_rate == 90000;

          gst_structure_free ((GstStructure *) codec);
          if (is_video)
            {
              find->video = s;
              return FALSE;
            }
          if (clock_rate != 0)
            return TRUE;
        }
    }

  gst_structure_get_uint64 (s, "bytes-received", &bytes);
  if (find->video == NULL || bytes > find->most_bytes)
    {
      find->video = s;
      find->most_bytes = bytes;
    }
  return TRUE;
}

static void apply_reply (gpointer object, gpointer data);

static void
on_stats (GstPromise *promise,
          gpointer    user_data)
{
  CohortLinkMonitor *self = user_data;
  StatsReply *out = g_new0 (StatsReply, 1);
  const GstStructure *reply;

  out->subscriber = g_object_ref (self->subscriber);
  if (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED &&
      (reply = gst_promise_get_reply (promise)) != NULL)
    {
      FindVideo find = { reply, NULL, 0 };

      gst_structure_foreach (reply, find_video_inbound, &find);
      if (find.video != NULL)
        {
          const GstStructure *v = find.video;
          guint plis = 0, firs = 0, nacks = 0;
          gint64 lost = 0;

          out->found = TRUE;
          gst_structure_get_uint64 (v, "packets-received", &out->sample.packets_received);
          gst_structure_get_int64 (v, "packets-lost", &lost);
          out->sample.packets_lost = lost;
          gst_structure_get_uint64 (v, "bytes-received", &out->sample.bytes_received);
          gst_structure_get_double (v, "jitter", &out->sample.jitter_s);
          gst_structure_get_uint (v, "pli-count", &plis);
          gst_structure_get_uint (v, "fir-count", &firs);
          gst_structure_get_uint (v, "nack-count", &nacks);
          out->sample.pli_count = plis + firs;
          out->sample.nack_count = nacks;
        }
    }
  gst_promise_unref (promise);

  cohort_webrtc_invoke (self->context, self, apply_reply, out, NULL);
  g_object_unref (self);
}

/* Main context */

/* The estimator moved the layer: say so in the log and to the call. */
static void
emit_step (CohortLinkMonitor *self,
           guint              from_layer)
{
  g_autoptr(CohortLinkStep) step = NULL;
  g_autofree char *line = NULL;

  step = cohort_link_step_new (self->subscriber != NULL ? cohort_subscriber_get_feed_id (self->subscriber) : 0,
                               g_get_real_time (), from_layer,
                               cohort_link_estimator_get_layer (self->estimator),
                               cohort_link_estimator_get_quality (self->estimator),
                               cohort_link_estimator_get_last (self->estimator),
                               cohort_link_estimator_get_reason (self->estimator));
  line = cohort_link_step_describe (step);
  g_info ("%s", line);
  g_signal_emit (self, signals[SIGNAL_STEP], 0, step);
}

static void
apply_reply (gpointer object,
             gpointer data)
{
  CohortLinkMonitor *self = object;
  g_autofree StatsReply *reply = data;
  guint before = cohort_link_estimator_get_layer (self->estimator);
  CohortLinkQuality quality;
  gboolean quality_changed;

  self->in_flight = FALSE;
  if (reply->subscriber != self->subscriber || !reply->found)
    {
      g_object_unref (reply->subscriber);
      return;
    }

  reply->sample.time_ms = g_get_monotonic_time () / 1000;
  reply->sample.frames_decoded = cohort_subscriber_get_frames_decoded (self->subscriber);
  {
    CohortJitterStats jb;

    cohort_subscriber_read_video_jitterbuffer (cohort_subscriber_get_webrtcbin (self->subscriber), &jb);
    reply->sample.packets_given_up = jb.lost;
  }
  g_object_unref (reply->subscriber);

  cohort_link_estimator_add_sample (self->estimator, &reply->sample);
  if (cohort_link_estimator_get_retransmit (self->estimator) != self->retransmit)
    {
      self->retransmit = cohort_link_estimator_get_retransmit (self->estimator);
      /* The subscriber lifts the hold itself, at the new layer's first
       * keyframe: one second was not enough (bench cap_1mbit: the old
       * layer's retransmissions came back and the new layer's first
       * frame 4–6 s after the cap). */
      if (!self->retransmit)
        cohort_subscriber_hold_repair (self->subscriber);
    }
  quality = cohort_link_estimator_get_quality (self->estimator);
  quality_changed = quality != self->quality;
  self->quality = quality;

  if (cohort_link_estimator_get_layer (self->estimator) != before)
    {
      emit_step (self, before);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
    }
  if (quality_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUALITY]);
}

static void
ask_stats (CohortLinkMonitor *self)
{
  GstElement *webrtc;

  /* One question at a time: a busy webrtcbin must not pile them up. */
  if (self->in_flight || self->subscriber == NULL ||
      (webrtc = cohort_subscriber_get_webrtcbin (self->subscriber)) == NULL)
    return;

  self->in_flight = TRUE;
  g_signal_emit_by_name (webrtc, "get-stats", NULL,
                         gst_promise_new_with_change_func (on_stats, g_object_ref (self), NULL));
}

static gboolean
on_timer (gpointer user_data)
{
  ask_stats (user_data);
  return G_SOURCE_CONTINUE;
}

CohortLinkMonitor *
cohort_link_monitor_new (CohortSubscriber *subscriber)
{
  CohortLinkMonitor *self = g_object_new (COHORT_TYPE_LINK_MONITOR, NULL);

  cohort_link_monitor_set_subscriber (self, subscriber);
  return self;
}

void
cohort_link_monitor_set_subscriber (CohortLinkMonitor *self,
                                    CohortSubscriber  *subscriber)
{
  g_return_if_fail (COHORT_IS_LINK_MONITOR (self));

  if (!g_set_object (&self->subscriber, subscriber))
    return;
  cohort_link_estimator_restart (self->estimator);
  self->in_flight = FALSE;
  /* A new subscription's jitter buffer asks for retransmissions. */
  self->retransmit = TRUE;
}

guint
cohort_link_monitor_get_layer (CohortLinkMonitor *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_MONITOR (self), 0);

  return cohort_link_estimator_get_layer (self->estimator);
}

CohortLinkQuality
cohort_link_monitor_get_quality (CohortLinkMonitor *self)
{
  g_return_val_if_fail (COHORT_IS_LINK_MONITOR (self), COHORT_LINK_QUALITY_GOOD);

  return self->quality;
}

void
cohort_link_monitor_set_audio_only (CohortLinkMonitor *self,
                                    gboolean           audio_only)
{
  guint before;

  g_return_if_fail (COHORT_IS_LINK_MONITOR (self));

  if (cohort_link_estimator_get_audio_only (self->estimator) == !!audio_only)
    return;

  before = cohort_link_estimator_get_layer (self->estimator);
  cohort_link_estimator_set_audio_only (self->estimator, audio_only);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_ONLY]);
  if (cohort_link_estimator_get_layer (self->estimator) != before)
    {
      emit_step (self, before);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAYER]);
    }
  /* The pinned layer decides the quality at once, not a second later. */
  if (cohort_link_estimator_get_quality (self->estimator) != self->quality)
    {
      self->quality = cohort_link_estimator_get_quality (self->estimator);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUALITY]);
    }
}

char *
cohort_link_monitor_describe (CohortLinkMonitor *self)
{
  const CohortLinkInterval *i;

  g_return_val_if_fail (COHORT_IS_LINK_MONITOR (self), NULL);

  i = cohort_link_estimator_get_last (self->estimator);
  return g_strdup_printf ("layer %u · loss %.1f %% · %.0f kbit/s · %.0f fps · jitter %.0f ms",
                          cohort_link_estimator_get_layer (self->estimator),
                          i->loss * 100, i->kbps, i->fps, i->jitter_ms);
}

static void
cohort_link_monitor_dispose (GObject *object)
{
  CohortLinkMonitor *self = COHORT_LINK_MONITOR (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_object (&self->subscriber);

  G_OBJECT_CLASS (cohort_link_monitor_parent_class)->dispose (object);
}

static void
cohort_link_monitor_finalize (GObject *object)
{
  CohortLinkMonitor *self = COHORT_LINK_MONITOR (object);

  g_clear_pointer (&self->estimator, cohort_link_estimator_free);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (cohort_link_monitor_parent_class)->finalize (object);
}

static void
cohort_link_monitor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CohortLinkMonitor *self = COHORT_LINK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_LAYER:
      g_value_set_uint (value, cohort_link_monitor_get_layer (self));
      break;
    case PROP_QUALITY:
      g_value_set_int (value, self->quality);
      break;
    case PROP_AUDIO_ONLY:
      g_value_set_boolean (value, cohort_link_estimator_get_audio_only (self->estimator));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_link_monitor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CohortLinkMonitor *self = COHORT_LINK_MONITOR (object);

  switch (prop_id)
    {
    case PROP_AUDIO_ONLY:
      cohort_link_monitor_set_audio_only (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_link_monitor_class_init (CohortLinkMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_link_monitor_dispose;
  object_class->finalize = cohort_link_monitor_finalize;
  object_class->get_property = cohort_link_monitor_get_property;
  object_class->set_property = cohort_link_monitor_set_property;

  properties[PROP_LAYER] =
    g_param_spec_uint ("layer", NULL, NULL, 0, COHORT_LINK_LAYER_PAUSED, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_QUALITY] =
    g_param_spec_int ("quality", NULL, NULL, COHORT_LINK_QUALITY_GOOD, COHORT_LINK_QUALITY_POOR,
                      COHORT_LINK_QUALITY_GOOD,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUDIO_ONLY] =
    g_param_spec_boolean ("audio-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* step (CohortLinkStep *): the layer changed, and why. */
  signals[SIGNAL_STEP] =
    g_signal_new ("step", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, COHORT_TYPE_LINK_STEP);
}

static void
cohort_link_monitor_init (CohortLinkMonitor *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->estimator = cohort_link_estimator_new ();
  self->retransmit = TRUE;
  self->timer = g_timeout_add (PERIOD_MS, on_timer, self);
}

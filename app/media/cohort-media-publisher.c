/* cohort-media-publisher.c: one send-only webrtcbin (camera + mic, or a screen)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-publisher"

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <gst/rtp/rtp.h>

#include "cohort-media-layers.h"
#include "cohort-media-publisher.h"
#include "cohort-media-webrtc.h"

#define TWCC_URI         "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
#define TWCC_EXT_ID      1
#define MIN_BITRATE      150000
#define STATS_PERIOD_MS  1000

typedef enum
{
  ENCODER_VP8,
  ENCODER_X264,
  ENCODER_OPENH264,
  ENCODER_VAAPI_H264,
} EncoderKind;

/* What one stats reply said about one of our streams. */
typedef struct
{
  guint    ssrc;
  gboolean have_report;   /* Janus's receiver report was in it */
  guint64  bytes_sent;
  gint64   packets_lost;  /* cumulative, from the receiver report */
  guint    ext_seq;       /* highest sequence number it had seen */
  double   rtt;           /* s, -1 unknown */
  double   timestamp;     /* ms */
} StreamSample;

struct _CohortPublisher
{
  GObject       parent_instance;

  GMainContext *context;
  char         *kind;
  GstElement   *pipeline;
  GstElement   *webrtc;
  GstElement   *vlayer;
  GstElement   *vvalve;
  GstElement   *avolume;
  GstElement   *aenc;
  /* A camera's lower layers (cohort-media-layers.c), best first, and
   * what they are (n_layer_specs of them). */
  GPtrArray    *layers;
  const CohortLayerSpec *layer_specs;
  GObject      *rtp_session;
  EncoderKind   encoder;
  guint         bus_watch;
  guint         stats_source;
  gboolean      offer_requested;
  gboolean      has_audio;
  gboolean      has_video;
  gboolean      audio_muted;
  gboolean      video_muted;
  gboolean      answered;
  gboolean      screen;
  guint         fps;

  /* Bit/s. The ceiling is min (preset, room cap); Janus's REMB and our
   * own loss-based estimate move the target below it. REMB arrives on an
   * RTP session thread, stats on webrtcbin's: the rates are atomics, and
   * rate_lock orders the writes to the encoder. */
  guint         max_bitrate;
  gint          remb_bitrate;
  gint          loss_bitrate;
  gint          target_bitrate;
  GMutex        rate_lock;

  /* The loss-based estimate's state; only on_stats touches it, and
   * webrtcbin answers get-stats one at a time. */
  StreamSample  last_video;
  StreamSample  last_audio;
  double        min_rtt;
  guint         congested_rate;   /* what the link carried when loss last hit */
  gint64        congested_us;
  gint64        decreased_us;
  gint          audio_loss_pct;
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_HAS_AUDIO,
  PROP_HAS_VIDEO,
  PROP_AUDIO_MUTED,
  PROP_VIDEO_MUTED,
  PROP_BITRATE,
  N_PROPS
};

enum {
  SIGNAL_OFFER,
  SIGNAL_ICE_CANDIDATE,
  SIGNAL_ICE_GATHERING_DONE,
  SIGNAL_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CohortPublisher, cohort_publisher, G_TYPE_OBJECT)

void
cohort_video_preset_get_size (CohortVideoPreset  preset,
                              guint             *width,
                              guint             *height,
                              guint             *bitrate)
{
  guint w, h, b;

  switch (preset)
    {
    case COHORT_VIDEO_PRESET_360P:
      w = 640, h = 360, b = 600000;
      break;
    case COHORT_VIDEO_PRESET_1080P:
      w = 1920, h = 1080, b = 3500000;
      break;
    case COHORT_VIDEO_PRESET_720P:
    default:
      w = 1280, h = 720, b = 1800000;
      break;
    }

  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
  if (bitrate != NULL)
    *bitrate = b;
}

static gboolean
have_element (const char *name)
{
  g_autoptr(GstElementFactory) factory = gst_element_factory_find (name);

  return factory != NULL;
}

static EncoderKind
pick_encoder (CohortVideoCodec codec)
{
  /* VP8 is the default: every client decodes it in software cheaply. H.264
   * when asked for, or when a hardware encoder makes it cheaper to send. */
  if (codec == COHORT_VIDEO_CODEC_VP8)
    return ENCODER_VP8;

  if (have_element ("vaapih264enc"))
    return ENCODER_VAAPI_H264;
  if (codec == COHORT_VIDEO_CODEC_AUTO)
    return ENCODER_VP8;
  if (have_element ("x264enc"))
    return ENCODER_X264;
  if (have_element ("openh264enc"))
    return ENCODER_OPENH264;
  return ENCODER_VP8;
}

static const char *
encoder_name (EncoderKind encoder)
{
  switch (encoder)
    {
    case ENCODER_X264: return "x264enc";
    case ENCODER_OPENH264: return "openh264enc";
    case ENCODER_VAAPI_H264: return "vaapih264enc";
    case ENCODER_VP8:
    default:
      return "vp8enc";
    }
}

const char *
cohort_publisher_pick_encoder (CohortVideoCodec codec)
{
  return encoder_name (pick_encoder (codec));
}

const char *
cohort_publisher_get_encoder (CohortPublisher *self)
{
  g_return_val_if_fail (COHORT_IS_PUBLISHER (self), NULL);

  return encoder_name (self->encoder);
}

/* One encoder thread. libvpx (and x264's sliced threads) synchronise
 * their worker threads by spinning: on a 2-core machine that other work
 * also uses, threads=2 took 5 to 12 times the CPU of threads=1 for the
 * same 300 frames of 720p (9-24 s against 1.9 s), and the frame rate fell
 * apart. One thread at cpu-used=16 encodes 720p in about 6 ms a frame and
 * 1080p in about 14 ms, far within a 33 ms frame period. */
#define ENCODER_THREADS 1

/* The rate control's buffer model, in ms of the target: the encoder may
 * run at most this far ahead of its budget (a 1 s buffer that starts half
 * full and aims at 60 %), which bounds both a burst and the queueing delay
 * it causes on a link that carries the target and no more. */
#define RC_BUFFER_MS          1000
#define RC_BUFFER_INITIAL_MS   500
#define RC_BUFFER_OPTIMAL_MS   600
/* A layer's floor; a small low layer may go far under the publisher's. */
#define LAYER_MIN_BITRATE    30000

static gboolean
encoder_from_name (const char  *name,
                   EncoderKind *encoder)
{
  static const EncoderKind kinds[] = { ENCODER_VP8, ENCODER_X264, ENCODER_OPENH264, ENCODER_VAAPI_H264 };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (name, encoder_name (kinds[i])) == 0)
      {
        *encoder = kinds[i];
        return TRUE;
      }
  return FALSE;
}

#define H264_PAYLOADER "h264parse ! video/x-h264,profile=constrained-baseline,stream-format=byte-stream " \
                       "! rtph264pay name=vpay pt=%u config-interval=-1 aggregate-mode=zero-latency mtu=1200 " \
                       "! capsfilter caps=\"application/x-rtp,media=video,encoding-name=H264,clock-rate=90000," \
                       "payload=%u,packetization-mode=(string)1,profile-level-id=(string)42e01f\""

/* Real-time CBR that holds its target (see docs/architecture-media.md for
 * the figures): no look-ahead, a small rate-control buffer, and frames
 * dropped rather than the target overshot. */
static char *
encoder_description (EncoderKind encoder,
                     gboolean    screen,
                     guint       fps,
                     guint       bitrate,
                     guint       payload_type)
{
  switch (encoder)
    {
    case ENCODER_X264:
      /* x264's CBR with a VBV of the same size as VP8's buffer held its
       * target within 3 % on bars and on moving bars. */
      return g_strdup_printf ("x264enc name=venc tune=zerolatency speed-preset=ultrafast pass=cbr "
                              "bitrate=%u vbv-buf-capacity=%u key-int-max=%u threads=%u %s ! " H264_PAYLOADER,
                              bitrate / 1000, RC_BUFFER_OPTIMAL_MS, fps * 3, ENCODER_THREADS,
                              screen ? "psy-tune=film" : "", payload_type, payload_type);
    case ENCODER_OPENH264:
      /* Without frame skipping openh264's "bitrate" mode sent twice its
       * target on bars (3.6 Mbit/s for 1.8). */
      return g_strdup_printf ("openh264enc name=venc complexity=low rate-control=bitrate bitrate=%u "
                              "max-bitrate=%u enable-frame-skip=true gop-size=%u usage-type=%s ! " H264_PAYLOADER,
                              bitrate, bitrate / 10 * 11, fps * 3, screen ? "screen" : "camera",
                              payload_type, payload_type);
    case ENCODER_VAAPI_H264:
      return g_strdup_printf ("vaapih264enc name=venc rate-control=cbr bitrate=%u cpb-length=%u "
                              "keyframe-period=%u ! " H264_PAYLOADER,
                              bitrate / 1000, RC_BUFFER_MS, fps * 3, payload_type, payload_type);
    case ENCODER_VP8:
    default:
      /* Realtime: deadline=1, no look-ahead, CBR with a 1 s buffer, a
       * keyframe every 3 s at most (PLI asks for more), error-resilient
       * mode (entropy contexts reset per frame: a lost frame does not
       * poison the ones after it; measured free at 720p). Not the
       * "partitions" flavour: it adds 10 % and rtpvp8pay gains nothing.
       *
       * Holding the target: max-quantizer 56 left libvpx no room on bars
       * (whose noise block does not compress), 2.77 Mbit/s for 1.8; the
       * full range with overshoot=15 and frame dropping when the buffer
       * runs below 30 % keeps it within 3 %. A keyframe may take up to
       * half the optimal buffer (max-intra-bitrate is in % of an average
       * frame), so it does not stall the frames after it.
       *
       * Screen content: slower, sharper encoding (the quantizer stays at
       * 40 or better, so text stays readable) at a lower frame rate: what
       * the budget cannot carry is dropped as whole frames. */
      return g_strdup_printf ("vp8enc name=venc deadline=1 cpu-used=%d threads=%u lag-in-frames=0 "
                              "end-usage=cbr target-bitrate=%u keyframe-max-dist=%u "
                              "error-resilient=default "
                              "buffer-size=%u buffer-initial-size=%u buffer-optimal-size=%u "
                              "undershoot=100 overshoot=15 dropframe-threshold=30 max-intra-bitrate=%u "
                              "max-quantizer=%d static-threshold=%d "
                              "! rtpvp8pay name=vpay pt=%u picture-id-mode=15-bit mtu=1200 "
                              "! capsfilter caps=\"application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=%u\"",
                              screen ? 8 : 16, ENCODER_THREADS, bitrate, fps * 3,
                              RC_BUFFER_MS, RC_BUFFER_INITIAL_MS, RC_BUFFER_OPTIMAL_MS,
                              RC_BUFFER_OPTIMAL_MS / 2 * fps / 10,
                              screen ? 40 : 63,
                              /* Skip unchanged blocks: most of a screen, a
                               * still background behind a face. */
                              screen ? 500 : 100,
                              payload_type, payload_type);
    }
}

/* What a layer bin carries (its "cohort-video-layer" data). */
typedef struct
{
  EncoderKind   encoder;
  GstElement   *venc;       /* a child of the layer: not a reference */
  gint          max_fps;    /* atomic; 0: every frame */
  GstClockTime  next_pts;   /* streaming thread only */
} VideoLayer;

#define VIDEO_LAYER_KEY "cohort-video-layer"

static VideoLayer *
video_layer_get (GstElement *layer)
{
  return g_object_get_data (G_OBJECT (layer), VIDEO_LAYER_KEY);
}

/* Drops frames in front of the encoder down to max_fps, on a regular
 * cadence. The caps keep their frame rate: a caps change would restart
 * the encoder (and send a keyframe), and libvpx reads the real frame
 * interval from the timestamps, so each frame left gets the bits of the
 * ones dropped. */
static GstPadProbeReturn
limit_frame_rate (GstPad          *pad,
                  GstPadProbeInfo *info,
                  gpointer         user_data)
{
  VideoLayer *layer = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  gint max_fps = g_atomic_int_get (&layer->max_fps);
  GstClockTime pts = GST_BUFFER_PTS (buffer);
  GstClockTime period;

  if (max_fps <= 0 || !GST_CLOCK_TIME_IS_VALID (pts))
    {
      layer->next_pts = GST_CLOCK_TIME_NONE;
      return GST_PAD_PROBE_OK;
    }

  period = GST_SECOND / max_fps;
  if (GST_CLOCK_TIME_IS_VALID (layer->next_pts) && pts < layer->next_pts &&
      layer->next_pts - pts <= period)
    return GST_PAD_PROBE_DROP;

  /* Keep the cadence unless the stream jumped (a gap or a new segment). */
  if (GST_CLOCK_TIME_IS_VALID (layer->next_pts) && pts >= layer->next_pts && pts - layer->next_pts < period)
    layer->next_pts += period;
  else
    layer->next_pts = pts + period;
  return GST_PAD_PROBE_OK;
}

static gboolean
add_twcc_extension (GstElement  *payloader,
                    GError     **error)
{
  g_autoptr(GstElement) ext = gst_element_factory_make ("rtphdrexttwcc", NULL);

  if (ext == NULL)
    {
      g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
                           "rtphdrexttwcc is missing (gstreamer1.0-plugins-good)");
      return FALSE;
    }

  /* The payloader reserves the extension and advertises it (a=extmap); the
   * RTP session numbers packets transport-wide across the bundle. */
  gst_rtp_header_extension_set_id (GST_RTP_HEADER_EXTENSION (ext), TWCC_EXT_ID);
  g_signal_emit_by_name (payloader, "add-extension", ext);
  return TRUE;
}

GstElement *
cohort_video_layer_new (const char  *encoder,
                        gboolean     screen,
                        guint        width,
                        guint        height,
                        guint        fps,
                        guint        bitrate,
                        guint        payload_type,
                        GError     **error)
{
  g_autofree char *enc = NULL;
  g_autofree char *desc = NULL;
  g_autoptr(GstElement) vpay = NULL;
  g_autoptr(GstPad) sink = NULL;
  GstElement *bin;
  VideoLayer *layer;
  EncoderKind kind;

  if (!encoder_from_name (encoder, &kind))
    {
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
                   "“%s” is not a video encoder Cohort can use", encoder);
      return NULL;
    }
  if (width < 16 || height < 16 || width > 7680 || height > 4320 || fps < 1 || fps > 120 ||
      payload_type < 96 || payload_type > 127)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "A %ux%u video layer at %u fps with payload type %u is out of range",
                   width, height, fps, payload_type);
      return NULL;
    }

  enc = encoder_description (kind, screen, fps, MAX (bitrate, LAYER_MIN_BITRATE), payload_type);
  desc = g_strdup_printf ("videoscale add-borders=true ! videorate drop-only=true "
                          "! video/x-raw,format=I420,width=%u,height=%u,framerate=%u/1,pixel-aspect-ratio=1/1 "
                          "! %s",
                          width, height, fps, enc);
  bin = gst_parse_bin_from_description_full (desc, TRUE, NULL, GST_PARSE_FLAG_NONE, error);
  if (bin == NULL)
    return NULL;

  layer = g_new0 (VideoLayer, 1);
  layer->encoder = kind;
  layer->next_pts = GST_CLOCK_TIME_NONE;
  g_object_set_data_full (G_OBJECT (bin), VIDEO_LAYER_KEY, layer, g_free);
  layer->venc = gst_bin_get_by_name (GST_BIN (bin), "venc");
  /* The bin holds it for as long as the layer lives. */
  gst_object_unref (layer->venc);
  sink = gst_element_get_static_pad (layer->venc, "sink");
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, limit_frame_rate, layer, NULL);

  vpay = gst_bin_get_by_name (GST_BIN (bin), "vpay");
  if (!add_twcc_extension (vpay, error))
    {
      gst_object_ref_sink (bin);
      gst_object_unref (bin);
      return NULL;
    }

  return bin;
}

void
cohort_video_layer_set_bitrate (GstElement *layer,
                                guint       bitrate)
{
  VideoLayer *vl = video_layer_get (layer);

  g_return_if_fail (vl != NULL);

  bitrate = MAX (bitrate, LAYER_MIN_BITRATE);
  switch (vl->encoder)
    {
    case ENCODER_X264:
    case ENCODER_VAAPI_H264:
      g_object_set (vl->venc, "bitrate", bitrate / 1000, NULL);
      break;
    case ENCODER_OPENH264:
      g_object_set (vl->venc, "bitrate", bitrate, "max-bitrate", bitrate / 10 * 11, NULL);
      break;
    case ENCODER_VP8:
    default:
      g_object_set (vl->venc, "target-bitrate", (gint) bitrate, NULL);
      break;
    }
}

void
cohort_video_layer_set_max_fps (GstElement *layer,
                                guint       fps)
{
  VideoLayer *vl = video_layer_get (layer);

  g_return_if_fail (vl != NULL);

  g_atomic_int_set (&vl->max_fps, (gint) MIN (fps, 1000));
}

guint
cohort_video_layer_get_max_fps (GstElement *layer)
{
  VideoLayer *vl = video_layer_get (layer);

  g_return_val_if_fail (vl != NULL, 0);

  return g_atomic_int_get (&vl->max_fps);
}

static void
notify_bitrate_cb (gpointer object,
                   gpointer data)
{
  g_object_notify_by_pspec (object, properties[PROP_BITRATE]);
}

/* Under pressure a screen share keeps its size and its sharpness and
 * sends fewer frames: full rate down to 80 % of its ceiling, then frames
 * in proportion to the budget, at least 3 a second. */
static guint
screen_fps_for (CohortPublisher *self,
                guint            bitrate)
{
  double share = bitrate / (self->max_bitrate * 0.8);

  if (share >= 1.0)
    return self->fps;
  return CLAMP ((guint) (self->fps * share + 0.5), MIN (3u, self->fps), self->fps);
}

/* From any thread: target = min (ceiling, REMB, loss-based estimate). */
static void
update_target_bitrate (CohortPublisher *self,
                       const char      *why)
{
  guint remb = g_atomic_int_get (&self->remb_bitrate);
  guint estimate = g_atomic_int_get (&self->loss_bitrate);
  guint bitrate = self->max_bitrate;

  if (remb > 0)
    bitrate = MIN (bitrate, remb);
  if (estimate > 0)
    bitrate = MIN (bitrate, estimate);
  bitrate = MAX (bitrate, MIN (MIN_BITRATE, self->max_bitrate));

  g_mutex_lock (&self->rate_lock);
  if ((guint) g_atomic_int_get (&self->target_bitrate) == bitrate)
    {
      g_mutex_unlock (&self->rate_lock);
      return;
    }
  g_atomic_int_set (&self->target_bitrate, bitrate);
  if (self->vlayer != NULL)
    {
      guint n_lower = self->layers != NULL ? self->layers->len : 0;
      guint lower_bitrates[8];
      guint full = bitrate;

      /* The budget is what the whole upload may carry, lower layers
       * included. */
      g_assert (n_lower <= G_N_ELEMENTS (lower_bitrates));
      if (n_lower > 0)
        full = cohort_media_layers_split (self->layer_specs, n_lower, bitrate, lower_bitrates);
      for (guint i = 0; i < n_lower; i++)
        cohort_media_layer_set_bitrate (g_ptr_array_index (self->layers, i), lower_bitrates[i]);
      cohort_video_layer_set_bitrate (self->vlayer, full);
      if (self->screen)
        {
          guint fps = screen_fps_for (self, bitrate);

          cohort_video_layer_set_max_fps (self->vlayer, fps < self->fps ? fps : 0);
        }
    }
  g_mutex_unlock (&self->rate_lock);

  g_debug ("%s: target %u kbit/s (%s; ceiling %u, REMB %u, estimate %u), up to %u fps",
           self->kind, bitrate / 1000, why, self->max_bitrate / 1000, remb / 1000, estimate / 1000,
           self->screen ? screen_fps_for (self, bitrate) : self->fps);
  cohort_webrtc_invoke (self->context, self, notify_bitrate_cb, NULL, NULL);
}

/* webrtcbin callbacks (webrtcbin threads) */

static void
emit_offer_cb (gpointer object,
               gpointer data)
{
  g_signal_emit (object, signals[SIGNAL_OFFER], 0, data);
}

static void
emit_failed_cb (gpointer object,
                gpointer data)
{
  g_signal_emit (object, signals[SIGNAL_FAILED], 0, data);
}

static void
publisher_failed_from_thread (gpointer    owner,
                              const char *message)
{
  CohortPublisher *self = owner;

  cohort_webrtc_invoke (self->context, self, emit_failed_cb, g_strdup (message), g_free);
}

static void
on_offer_created (GstPromise *promise,
                  gpointer    user_data)
{
  CohortPublisher *self = user_data;
  const GstStructure *reply;
  GstWebRTCSessionDescription *offer = NULL;
  char *text;

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED ||
      (reply = gst_promise_get_reply (promise)) == NULL ||
      !gst_structure_get (reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, NULL))
    {
      gst_promise_unref (promise);
      cohort_webrtc_invoke (self->context, self, emit_failed_cb,
                            g_strdup ("Could not create a video offer"), g_free);
      return;
    }
  gst_promise_unref (promise);

  g_signal_emit_by_name (self->webrtc, "set-local-description", offer, NULL);
  text = gst_sdp_message_as_text (offer->sdp);
  gst_webrtc_session_description_free (offer);

  cohort_webrtc_invoke (self->context, self, emit_offer_cb, text, g_free);
}

static void
on_negotiation_needed (GstElement *webrtc,
                       gpointer    user_data)
{
  CohortPublisher *self = user_data;

  /* A VideoRoom publisher negotiates once; a change means a new publisher. */
  if (self->offer_requested)
    return;
  self->offer_requested = TRUE;

  g_signal_emit_by_name (webrtc, "create-offer", NULL,
                         gst_promise_new_with_change_func (on_offer_created, self, NULL));
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  CohortPublisher *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      g_warning ("Publisher pipeline error: %s (%s)", error->message, debug);
      g_signal_emit (self, signals[SIGNAL_FAILED], 0, error->message);
    }

  return G_SOURCE_CONTINUE;
}

/* Bandwidth. webrtcbin has no sender-side congestion control of its own
 * and ignores REMB: read it from the internal RTP session (an rtpsession
 * thread) and steer the encoder. */
static void
on_feedback_rtcp (GObject   *session,
                  guint      type,
                  guint      fbtype,
                  guint      sender_ssrc,
                  guint      media_ssrc,
                  GstBuffer *fci,
                  gpointer   user_data)
{
  CohortPublisher *self = user_data;
  GstMapInfo map;
  guint64 bitrate;

  if (type != GST_RTCP_TYPE_PSFB || fbtype != GST_RTCP_PSFB_TYPE_AFB || fci == NULL)
    return;
  if (!gst_buffer_map (fci, &map, GST_MAP_READ))
    return;
  if (map.size < 8 || memcmp (map.data, "REMB", 4) != 0)
    {
      gst_buffer_unmap (fci, &map);
      return;
    }

  /* 'R' 'E' 'M' 'B' | num SSRC | BR exp (6 bits) | BR mantissa (18 bits) */
  bitrate = (((guint64) (map.data[5] & 0x03) << 16) | (map.data[6] << 8) | map.data[7])
            << (map.data[5] >> 2);
  gst_buffer_unmap (fci, &map);

  /* Janus repeats its REMB every second or so: only a change is news. */
  if ((guint64) g_atomic_int_get (&self->remb_bitrate) == MIN (bitrate, G_MAXINT))
    return;
  g_atomic_int_set (&self->remb_bitrate, (gint) MIN (bitrate, G_MAXINT));
  update_target_bitrate (self, "REMB");
}

static void
watch_rtcp_feedback (CohortPublisher *self)
{
  g_autoptr(GstElement) rtpbin = NULL;

  if (self->rtp_session != NULL)
    return;

  /* An implementation detail of webrtcbin: its rtpbin is called "rtpbin",
   * and with max-bundle everything is RTP session 0. */
  rtpbin = gst_bin_get_by_name (GST_BIN (self->webrtc), "rtpbin");
  if (rtpbin == NULL)
    {
      g_warning ("webrtcbin has no rtpbin; REMB will be ignored");
      return;
    }
  g_signal_emit_by_name (rtpbin, "get-internal-session", 0u, &self->rtp_session);
  if (self->rtp_session != NULL)
    g_signal_connect (self->rtp_session, "on-feedback-rtcp", G_CALLBACK (on_feedback_rtcp), self);
}

/* The loss-based estimate, from Janus's receiver reports (webrtcbin's
 * remote-inbound-rtp stats) once a second.
 *
 * GStreamer 1.22 labels every bundled stats entry with one m-line's kind
 * and codec-id ("audio" and the Opus codec, video included), so a stream
 * is known by its SSRC: the codec entries carry the right SSRC and MIME
 * type, and the outbound and remote-inbound entries the same SSRC. */

#define LOSS_HIGH             0.10
#define LOSS_LOW              0.02
/* A round trip this much longer than the shortest seen: a queue fills up
 * on the way (a home router holds 100-500 ms before it drops). */
#define QUEUE_DELAY_S         0.10
/* How long the rate at which loss last hit is remembered. */
#define CONGESTION_MEMORY_US  (30 * G_USEC_PER_SEC)
/* After a step down, the next report still covers packets sent before it
 * (Janus reports about once a second): hold for that long. */
#define HOLD_AFTER_DECREASE_US (1500 * G_TIME_SPAN_MILLISECOND)
/* Opus's packet-loss-percentage never goes under this: FEC also covers the
 * students' own downlinks, whose loss the teacher never sees. */
#define OPUS_MIN_LOSS_PCT     10
#define OPUS_MAX_LOSS_PCT     50

typedef struct
{
  guint video;
  guint audio;
  /* Transport-wide, from Janus's transport-cc feedback (every stream,
   * retransmissions included): bit/s that arrived lately; 0 unknown. */
  guint twcc_received;
} StreamSsrcs;

/* One get-stats entry and its type, or NULL. */
static const GstStructure *
stats_entry (const GValue       *value,
             GstWebRTCStatsType *type)
{
  const GstStructure *s;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return NULL;
  s = gst_value_get_structure (value);
  if (!gst_structure_get (s, "type", GST_TYPE_WEBRTC_STATS_TYPE, type, NULL))
    return NULL;
  return s;
}

static gboolean
find_ssrcs (GQuark        field_id,
            const GValue *value,
            gpointer      user_data)
{
  StreamSsrcs *ssrcs = user_data;
  GstWebRTCStatsType type;
  const GstStructure *s;
  const char *mime, *codec_type;
  guint ssrc = 0;

  if ((s = stats_entry (value, &type)) == NULL)
    return TRUE;
  if (type == GST_WEBRTC_STATS_CANDIDATE_PAIR)
    {
      GstStructure *twcc = NULL;

      if (gst_structure_get (s, "gst-twcc-stats", GST_TYPE_STRUCTURE, &twcc, NULL) && twcc != NULL)
        {
          gst_structure_get_uint (twcc, "bitrate-recv", &ssrcs->twcc_received);
          gst_structure_free (twcc);
        }
      return TRUE;
    }
  if (type != GST_WEBRTC_STATS_CODEC ||
      !gst_structure_get_uint (s, "ssrc", &ssrc) || ssrc == 0 ||
      (mime = gst_structure_get_string (s, "mime-type")) == NULL)
    return TRUE;
  codec_type = gst_structure_get_string (s, "codec-type");
  if (codec_type != NULL && g_strcmp0 (codec_type, "encode") != 0)
    return TRUE;

  if (g_str_has_prefix (mime, "video/"))
    ssrcs->video = ssrc;
  else if (g_str_has_prefix (mime, "audio/"))
    ssrcs->audio = ssrc;
  return TRUE;
}

static gboolean
read_stream (GQuark        field_id,
             const GValue *value,
             gpointer      user_data)
{
  StreamSample *sample = user_data;
  GstWebRTCStatsType type;
  const GstStructure *s;
  guint ssrc = 0;

  if ((s = stats_entry (value, &type)) == NULL ||
      !gst_structure_get_uint (s, "ssrc", &ssrc) || ssrc != sample->ssrc)
    return TRUE;

  if (type == GST_WEBRTC_STATS_OUTBOUND_RTP)
    {
      gst_structure_get_uint64 (s, "bytes-sent", &sample->bytes_sent);
      gst_structure_get_double (s, "timestamp", &sample->timestamp);
    }
  else if (type == GST_WEBRTC_STATS_REMOTE_INBOUND_RTP)
    {
      const GstStructure *source = NULL;
      guint ext_seq = 0;

      /* The report block itself sits in the reporting source's stats. */
      if (gst_structure_get (s, "gst-rtpsource-stats", GST_TYPE_STRUCTURE, &source, NULL) && source != NULL)
        {
          gboolean have_rb = FALSE;
          guint rb_ssrc = 0;

          if (gst_structure_get_boolean (source, "have-rb", &have_rb) && have_rb &&
              gst_structure_get_uint (source, "rb-ssrc", &rb_ssrc) && rb_ssrc == sample->ssrc &&
              gst_structure_get_uint (source, "rb-exthighestseq", &ext_seq) &&
              gst_structure_get_int64 (s, "packets-lost", &sample->packets_lost))
            {
              sample->ext_seq = ext_seq;
              sample->have_report = TRUE;
            }
          gst_structure_free ((GstStructure *) source);
        }
      if (!gst_structure_get_double (s, "round-trip-time", &sample->rtt) || sample->rtt <= 0)
        sample->rtt = -1;
    }
  return TRUE;
}

/* The loss over the packets that the newest report covers and the one
 * before did not; FALSE when no new report came. */
static gboolean
interval_loss (const StreamSample *before,
               const StreamSample *now,
               double             *loss)
{
  guint expected;
  gint64 lost;

  if (!before->have_report || !now->have_report || before->ssrc != now->ssrc)
    return FALSE;
  expected = now->ext_seq - before->ext_seq;
  if (expected == 0 || expected > (1u << 24))
    return FALSE;
  lost = now->packets_lost - before->packets_lost;
  *loss = CLAMP ((double) lost / expected, 0.0, 1.0);
  return TRUE;
}

/* Down at once on loss (to a margin under what got through), and on a
 * round trip that keeps growing; up by 8 % a second when clean, and by
 * 3 % of it near the rate at which loss last hit. */
static void
step_estimate (CohortPublisher *self,
               double           loss,
               double           rtt,
               guint            sent_rate,
               guint            received_rate)
{
  guint estimate = g_atomic_int_get (&self->loss_bitrate);
  double next = estimate;
  gint64 now = g_get_monotonic_time ();
  g_autofree char *why = NULL;
  double last_rtt = self->last_video.rtt;

  if (rtt > 0 && (self->min_rtt <= 0 || rtt < self->min_rtt))
    self->min_rtt = rtt;
  if (self->congested_rate > 0 && now - self->congested_us > CONGESTION_MEMORY_US)
    self->congested_rate = 0;

  if (now - self->decreased_us < HOLD_AFTER_DECREASE_US)
    return;

  if (loss > LOSS_HIGH)
    {
      /* What got through is what the link carries: go under it, but by
       * half at most in one step (a burst of loss overstates it). */
      double delivered = received_rate > 0 ? received_rate : sent_rate * (1.0 - loss);

      /* Janus's reports overstate congestion loss (82-90 % through a
       * 1 Mbit/s cap while 1.8 were sent), and retransmissions swell what
       * is sent: when transport-cc says what arrived, go under that. */
      if (received_rate > 0)
        {
          /* What the video stream sent beyond the encoder's target is
           * headers and retransmissions of the lost packets, which grow
           * with the loss: leave room for them too. */
          guint target = g_atomic_int_get (&self->target_bitrate);
          double overhead = target > 0 ? CLAMP ((double) sent_rate / target, 1.0, 3.0) : 1.0;

          next = MIN ((double) estimate, MAX (delivered * 0.85 / overhead, estimate * 0.5));
        }
      else
        next = estimate * (1.0 - loss / 2);
      self->congested_rate = next / 0.9;
      self->congested_us = now;
      self->decreased_us = now;
      why = g_strdup_printf ("%.1f %% loss, video sent at %u kbit/s, %u kbit/s got through",
                             loss * 100, sent_rate / 1000, (guint) delivered / 1000);
    }
  else if (rtt > 0 && self->min_rtt > 0 && rtt > self->min_rtt + QUEUE_DELAY_S && rtt > last_rtt + 0.02)
    {
      next = MIN ((double) estimate, sent_rate > 0 ? sent_rate : estimate) * 0.9;
      self->congested_rate = MIN ((double) estimate, sent_rate > 0 ? sent_rate : estimate);
      self->congested_us = now;
      self->decreased_us = now;
      why = g_strdup_printf ("round trip %.0f ms and growing (lowest %.0f ms)", rtt * 1000, self->min_rtt * 1000);
    }
  else if (loss < LOSS_LOW)
    {
      if (self->congested_rate > 0 && estimate >= self->congested_rate * 0.9 && estimate < self->congested_rate * 1.1)
        next = estimate + self->congested_rate * 0.03;
      else
        next = estimate * 1.08;
      why = g_strdup_printf ("clean (%.1f %% loss)", loss * 100);
    }

  next = CLAMP (next, (double) MIN (MIN_BITRATE, self->max_bitrate), (double) self->max_bitrate);
  if (why == NULL || (guint) next == estimate)
    return;

  g_debug ("%s: estimate %u → %u kbit/s: %s", self->kind, estimate / 1000, (guint) next / 1000, why);
  g_atomic_int_set (&self->loss_bitrate, (gint) next);
  update_target_bitrate (self, "loss estimate");
}

static void
on_video_sample (CohortPublisher    *self,
                 const StreamSample *sample,
                 guint               received_rate)
{
  const StreamSample *before = &self->last_video;
  guint sent_rate = 0;
  double loss;

  if (before->ssrc == sample->ssrc && sample->timestamp > before->timestamp &&
      sample->bytes_sent >= before->bytes_sent)
    sent_rate = (sample->bytes_sent - before->bytes_sent) * 8 * 1000.0 / (sample->timestamp - before->timestamp);

  if (interval_loss (before, sample, &loss))
    step_estimate (self, loss, sample->rtt, sent_rate, received_rate);
}

/* Opus's FEC is sized for the loss it is told of. */
static void
on_audio_sample (CohortPublisher    *self,
                 const StreamSample *sample)
{
  double loss;
  gint pct;

  if (self->aenc == NULL || !interval_loss (&self->last_audio, sample, &loss))
    return;

  /* Up at once, down slowly: loss comes in bursts. */
  pct = MAX ((gint) (loss * 100 + 0.99), self->audio_loss_pct * 4 / 5);
  pct = CLAMP (pct, OPUS_MIN_LOSS_PCT, OPUS_MAX_LOSS_PCT);
  if (pct == self->audio_loss_pct)
    return;

  g_debug ("%s: Opus packet-loss-percentage %d → %d (%.1f %% lost)", self->kind, self->audio_loss_pct, pct, loss * 100);
  self->audio_loss_pct = pct;
  g_object_set (self->aenc, "packet-loss-percentage", pct, NULL);
}

static void
on_stats (GstPromise *promise,
          gpointer    user_data)
{
  CohortPublisher *self = user_data;
  const GstStructure *reply;
  StreamSsrcs ssrcs = { 0, };

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED ||
      (reply = gst_promise_get_reply (promise)) == NULL)
    goto out;

  gst_structure_foreach (reply, find_ssrcs, &ssrcs);
  if (ssrcs.video != 0)
    {
      StreamSample video = { .ssrc = ssrcs.video, .rtt = -1 };

      gst_structure_foreach (reply, read_stream, &video);
      on_video_sample (self, &video, ssrcs.twcc_received);
      self->last_video = video;
    }
  if (ssrcs.audio != 0)
    {
      StreamSample audio = { .ssrc = ssrcs.audio, .rtt = -1 };

      gst_structure_foreach (reply, read_stream, &audio);
      on_audio_sample (self, &audio);
      self->last_audio = audio;
    }

out:
  gst_promise_unref (promise);
  g_object_unref (self);
}

static gboolean
on_stats_timeout (gpointer user_data)
{
  CohortPublisher *self = user_data;

  if (self->webrtc != NULL)
    g_signal_emit_by_name (self->webrtc, "get-stats", NULL,
                           gst_promise_new_with_change_func (on_stats, g_object_ref (self), NULL));
  return G_SOURCE_CONTINUE;
}

/* Construction */

/* Each lower layer: its own encoder on its own video m-line, fed from
 * the full picture's tee. VP8 only: a second and third x264 would cost
 * more CPU than a weak link saves. */
static gboolean
add_layers (CohortPublisher  *self,
            GstElement       *bin,
            guint             height,
            GError          **error)
{
  g_autoptr(GstElement) vtee = gst_bin_get_by_name (GST_BIN (bin), "vtee");
  guint n;

  self->layers = g_ptr_array_new_with_free_func (gst_object_unref);
  if (self->encoder != ENCODER_VP8 || self->screen)
    return TRUE;

  n = cohort_media_layers_for (height, &self->layer_specs);
  for (guint i = 0; i < n; i++)
    {
      GstElement *layer = cohort_media_layer_bin_new (&self->layer_specs[i], encoder_name (self->encoder),
                                                      96, error);

      if (layer == NULL)
        return FALSE;
      gst_bin_add (GST_BIN (bin), layer);
      g_ptr_array_add (self->layers, gst_object_ref (layer));
      if (!gst_element_link (vtee, layer) || !gst_element_link (layer, self->webrtc))
        {
          g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                       "Video layer %u cannot be linked", i + 1);
          return FALSE;
        }
    }

  return TRUE;
}

CohortPublisher *
cohort_publisher_new (const char          *kind,
                      GstElement          *video_source,
                      GstElement          *audio_source,
                      GstElement          *preview_sink,
                      CohortVideoPreset    preset,
                      CohortVideoCodec     codec,
                      guint                max_bitrate,
                      const char * const  *ice_addresses,
                      GError             **error)
{
  g_autoptr(CohortPublisher) self = g_object_new (COHORT_TYPE_PUBLISHER, NULL);
  g_autoptr(GString) desc = g_string_new ("webrtcbin name=webrtc bundle-policy=max-bundle ");
  g_autoptr(GstElement) owned_video = video_source != NULL ? gst_object_ref_sink (video_source) : NULL;
  g_autoptr(GstElement) owned_audio = audio_source != NULL ? gst_object_ref_sink (audio_source) : NULL;
  g_autoptr(GstElement) owned_preview = preview_sink != NULL ? gst_object_ref_sink (preview_sink) : NULL;
  gboolean screen = g_strcmp0 (kind, "screen") == 0;
  GstElement *bin;
  g_autoptr(GstBus) bus = NULL;
  guint width, height, bitrate, fps;

  g_return_val_if_fail (kind != NULL, NULL);

  self->kind = g_strdup (kind);
  self->has_video = owned_video != NULL;
  self->has_audio = owned_audio != NULL;
  self->encoder = pick_encoder (codec);

  if (!self->has_video && !self->has_audio)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "There is no camera, screen or microphone to share.");
      return NULL;
    }

  cohort_video_preset_get_size (preset, &width, &height, &bitrate);
  fps = screen ? 15 : 30;
  if (screen)
    bitrate = bitrate * 2 / 3;
  self->max_bitrate = max_bitrate > 0 ? MIN (bitrate, max_bitrate) : bitrate;
  self->target_bitrate = self->max_bitrate;
  self->loss_bitrate = self->max_bitrate;
  self->screen = screen;
  self->fps = fps;
  self->audio_loss_pct = OPUS_MIN_LOSS_PCT;
  self->min_rtt = -1;
  self->last_video.rtt = -1;

  /* The video's encoding layer is linked to webrtcbin after parsing, but
   * before the audio, so that video stays the first m-line. */
  if (self->has_video)
    {
      /* Keep the aspect ratio: scale into the preset's box, never stretch. */
      g_string_append_printf (desc,
                              "videoconvert name=vin n-threads=%u ! videoscale add-borders=true "
                              "! videorate drop-only=true "
                              "! video/x-raw,format=I420,width=%u,height=%u,framerate=%u/1,pixel-aspect-ratio=1/1 "
                              "! tee name=vtee "
                              "vtee. ! queue max-size-buffers=1 max-size-bytes=0 max-size-time=0 leaky=downstream "
                              "! valve name=vvalve ",
                              MIN (g_get_num_processors (), 4), width, height, fps);
      if (owned_preview != NULL)
        g_string_append (desc, "vtee. ! queue max-size-buffers=1 leaky=downstream name=pout ");
    }

  /* Opus: in-band FEC sized by the loss Janus reports (on_audio_sample),
   * and useinbandfec=1 in the SDP (from the caps) so that receivers know
   * to use it; DTX, for a voice that pauses. */
  if (self->has_audio)
    g_string_append_printf (desc,
                            "audioconvert name=ain ! audioresample ! audio/x-raw,rate=48000,channels=1 "
                            "! volume name=avol ! queue max-size-time=100000000 leaky=downstream "
                            "! opusenc name=aenc inband-fec=true dtx=true bitrate=32000 packet-loss-percentage=%d "
                            "frame-size=20 audio-type=voice "
                            "! rtpopuspay name=apay pt=111 mtu=1200 "
                            "! capsfilter name=aout caps=application/x-rtp,media=audio,encoding-name=OPUS,"
                            "clock-rate=48000,payload=111,useinbandfec=(string)1 ",
                            OPUS_MIN_LOSS_PCT);

  self->pipeline = gst_pipeline_new ("cohort-publisher");
  bin = gst_parse_bin_from_description_full (desc->str, FALSE, NULL, GST_PARSE_FLAG_NONE, error);
  if (bin == NULL)
    return NULL;
  gst_bin_add (GST_BIN (self->pipeline), bin);
  self->webrtc = gst_bin_get_by_name (GST_BIN (bin), "webrtc");

  if (self->has_video)
    {
      g_autoptr(GstElement) vin = gst_bin_get_by_name (GST_BIN (bin), "vin");
      GstElement *layer = cohort_video_layer_new (encoder_name (self->encoder), screen, width, height, fps,
                                                  self->max_bitrate, 96, error);

      if (layer == NULL)
        return NULL;
      gst_object_set_name (GST_OBJECT (layer), "vlayer");
      self->vlayer = gst_object_ref (layer);
      gst_bin_add (GST_BIN (bin), layer);
      self->vvalve = gst_bin_get_by_name (GST_BIN (bin), "vvalve");
      if (!gst_element_link_many (self->vvalve, layer, self->webrtc, NULL))
        {
          g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                               "The video encoder cannot be linked");
          return NULL;
        }
      gst_bin_add (GST_BIN (bin), g_object_ref (owned_video));
      if (!gst_element_link (owned_video, vin))
        {
          g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                               "The video source cannot be linked");
          return NULL;
        }
      if (owned_preview != NULL)
        {
          g_autoptr(GstElement) pout = gst_bin_get_by_name (GST_BIN (bin), "pout");

          gst_bin_add (GST_BIN (bin), g_object_ref (owned_preview));
          gst_element_link (pout, owned_preview);
        }
    }

  if (self->has_audio)
    {
      g_autoptr(GstElement) ain = gst_bin_get_by_name (GST_BIN (bin), "ain");
      g_autoptr(GstElement) apay = gst_bin_get_by_name (GST_BIN (bin), "apay");
      g_autoptr(GstElement) aout = gst_bin_get_by_name (GST_BIN (bin), "aout");

      self->avolume = gst_bin_get_by_name (GST_BIN (bin), "avol");
      self->aenc = gst_bin_get_by_name (GST_BIN (bin), "aenc");
      if (!gst_element_link (aout, self->webrtc))
        {
          g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                               "The audio encoder cannot be linked");
          return NULL;
        }
      gst_bin_add (GST_BIN (bin), g_object_ref (owned_audio));
      if (!gst_element_link (owned_audio, ain))
        {
          g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                               "The microphone cannot be linked");
          return NULL;
        }
      if (!add_twcc_extension (apay, error))
        return NULL;
    }

  if (self->has_video && !add_layers (self, bin, height, error))
    return NULL;
  /* The ceiling is the full picture's preset plus the lower layers' own
   * rates: on a free link the full picture keeps all its preset (at
   * 1.2 Mbit/s a 720p camera drops frames to hold the rate), and the
   * budget's split (cohort_media_layers_split) takes from everything
   * alike only when REMB or loss brings it down. */
  for (guint i = 0; self->layers != NULL && i < self->layers->len; i++)
    self->max_bitrate += self->layer_specs[i].bitrate;
  self->target_bitrate = self->max_bitrate;
  self->loss_bitrate = self->max_bitrate;

  if (!cohort_webrtc_configure_ice (self->webrtc, ice_addresses, error))
    return NULL;

  /* The transceivers were made while parsing: set them up, and any later. */
  {
    g_autoptr(GArray) transceivers = NULL;

    g_signal_emit_by_name (self->webrtc, "get-transceivers", &transceivers);
    for (guint i = 0; transceivers != NULL && i < transceivers->len; i++)
      cohort_webrtc_on_new_transceiver (self->webrtc,
                                        g_array_index (transceivers, GstWebRTCRTPTransceiver *, i),
                                        GINT_TO_POINTER (GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY));
  }
  g_signal_connect (self->webrtc, "on-new-transceiver", G_CALLBACK (cohort_webrtc_on_new_transceiver),
                    GINT_TO_POINTER (GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDONLY));
  g_signal_connect (self->webrtc, "on-negotiation-needed", G_CALLBACK (on_negotiation_needed), self);
  cohort_webrtc_forward_ice (self->webrtc, self->context, self, publisher_failed_from_thread);

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);

  return g_steal_pointer (&self);
}

gboolean
cohort_publisher_start (CohortPublisher  *self,
                        GError          **error)
{
  g_return_val_if_fail (COHORT_IS_PUBLISHER (self), FALSE);

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
                           "The camera or microphone could not be started.");
      return FALSE;
    }

  return TRUE;
}

gboolean
cohort_publisher_set_answer (CohortPublisher  *self,
                             const char       *sdp,
                             GError          **error)
{
  GstSDPMessage *msg = NULL;
  GstWebRTCSessionDescription *answer;
  GstPromise *promise;
  const GstStructure *reply;
  gboolean ok = TRUE;

  g_return_val_if_fail (COHORT_IS_PUBLISHER (self), FALSE);

  if (gst_sdp_message_new_from_text (sdp, &msg) != GST_SDP_OK)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The media server sent an unreadable answer.");
      return FALSE;
    }

  answer = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ANSWER, msg);
  promise = gst_promise_new ();
  g_signal_emit_by_name (self->webrtc, "set-remote-description", answer, promise);
  /* Bounded: webrtcbin answers from its own thread. */
  gst_promise_wait (promise);
  reply = gst_promise_get_reply (promise);
  if (reply != NULL && gst_structure_has_field (reply, "error"))
    {
      g_autoptr(GError) inner = NULL;

      gst_structure_get (reply, "error", G_TYPE_ERROR, &inner, NULL);
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                   "The media server's answer was refused: %s", inner ? inner->message : "?");
      ok = FALSE;
    }
  gst_promise_unref (promise);
  gst_webrtc_session_description_free (answer);

  if (ok)
    {
      self->answered = TRUE;
      watch_rtcp_feedback (self);
      if (self->stats_source == 0)
        self->stats_source = g_timeout_add (STATS_PERIOD_MS, on_stats_timeout, self);
      /* Mutes asked for before the answer apply now. */
      cohort_publisher_set_video_muted (self, self->video_muted);
    }

  return ok;
}

void
cohort_publisher_stop (CohortPublisher *self)
{
  g_return_if_fail (COHORT_IS_PUBLISHER (self));

  g_clear_handle_id (&self->stats_source, g_source_remove);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
}

const char *
cohort_publisher_get_kind (CohortPublisher *self)
{
  g_return_val_if_fail (COHORT_IS_PUBLISHER (self), NULL);

  return self->kind;
}

gboolean
cohort_publisher_get_has_audio (CohortPublisher *self)
{
  g_return_val_if_fail (COHORT_IS_PUBLISHER (self), FALSE);

  return self->has_audio;
}

gboolean
cohort_publisher_get_has_video (CohortPublisher *self)
{
  g_return_val_if_fail (COHORT_IS_PUBLISHER (self), FALSE);

  return self->has_video;
}

gboolean
cohort_publisher_get_audio_muted (CohortPublisher *self)
{
  g_return_val_if_fail (COHORT_IS_PUBLISHER (self), FALSE);

  return self->audio_muted;
}

void
cohort_publisher_set_audio_muted (CohortPublisher *self,
                                  gboolean         muted)
{
  g_return_if_fail (COHORT_IS_PUBLISHER (self));

  muted = !!muted;
  /* Silence, which DTX turns into almost no packets. */
  if (self->avolume != NULL)
    g_object_set (self->avolume, "mute", muted, NULL);
  if (self->audio_muted != muted)
    {
      self->audio_muted = muted;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_MUTED]);
    }
}

gboolean
cohort_publisher_get_video_muted (CohortPublisher *self)
{
  g_return_val_if_fail (COHORT_IS_PUBLISHER (self), FALSE);

  return self->video_muted;
}

void
cohort_publisher_set_video_muted (CohortPublisher *self,
                                  gboolean         muted)
{
  g_return_if_fail (COHORT_IS_PUBLISHER (self));

  muted = !!muted;
  /* Frames stop before the encoder. Until negotiation is done the first
   * frames still flow, so that webrtcbin knows the caps. */
  if (self->vvalve != NULL && self->answered)
    {
      g_object_set (self->vvalve, "drop", muted, NULL);
      for (guint i = 0; self->layers != NULL && i < self->layers->len; i++)
        cohort_media_layer_set_muted (g_ptr_array_index (self->layers, i), muted);
      if (!muted && self->vlayer != NULL)
        {
          g_autoptr(GstPad) pad = gst_element_get_static_pad (self->vlayer, "sink");

          gst_pad_send_event (pad, gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
                                                         gst_structure_new ("GstForceKeyUnit",
                                                                            "all-headers", G_TYPE_BOOLEAN, TRUE,
                                                                            NULL)));
        }
    }
  if (self->video_muted != muted)
    {
      self->video_muted = muted;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO_MUTED]);
    }
}

guint
cohort_publisher_get_n_layers (CohortPublisher *self)
{
  g_return_val_if_fail (COHORT_IS_PUBLISHER (self), 0);

  if (!self->has_video)
    return 0;
  return 1 + (self->layers != NULL ? self->layers->len : 0);
}

guint
cohort_publisher_get_bitrate (CohortPublisher *self)
{
  g_return_val_if_fail (COHORT_IS_PUBLISHER (self), 0);

  return g_atomic_int_get (&self->target_bitrate);
}

static void
cohort_publisher_dispose (GObject *object)
{
  CohortPublisher *self = COHORT_PUBLISHER (object);

  g_clear_handle_id (&self->stats_source, g_source_remove);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->webrtc != NULL)
    g_signal_handlers_disconnect_by_data (self->webrtc, self);
  if (self->rtp_session != NULL)
    g_signal_handlers_disconnect_by_data (self->rtp_session, self);
  g_clear_object (&self->rtp_session);
  gst_clear_object (&self->vlayer);
  gst_clear_object (&self->aenc);
  gst_clear_object (&self->vvalve);
  g_clear_pointer (&self->layers, g_ptr_array_unref);
  gst_clear_object (&self->avolume);
  gst_clear_object (&self->webrtc);
  gst_clear_object (&self->pipeline);

  G_OBJECT_CLASS (cohort_publisher_parent_class)->dispose (object);
}

static void
cohort_publisher_finalize (GObject *object)
{
  CohortPublisher *self = COHORT_PUBLISHER (object);

  g_free (self->kind);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->rate_lock);

  G_OBJECT_CLASS (cohort_publisher_parent_class)->finalize (object);
}

static void
cohort_publisher_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CohortPublisher *self = COHORT_PUBLISHER (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_HAS_AUDIO:
      g_value_set_boolean (value, self->has_audio);
      break;
    case PROP_HAS_VIDEO:
      g_value_set_boolean (value, self->has_video);
      break;
    case PROP_AUDIO_MUTED:
      g_value_set_boolean (value, self->audio_muted);
      break;
    case PROP_VIDEO_MUTED:
      g_value_set_boolean (value, self->video_muted);
      break;
    case PROP_BITRATE:
      g_value_set_uint (value, cohort_publisher_get_bitrate (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_publisher_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CohortPublisher *self = COHORT_PUBLISHER (object);

  switch (prop_id)
    {
    case PROP_AUDIO_MUTED:
      cohort_publisher_set_audio_muted (self, g_value_get_boolean (value));
      break;
    case PROP_VIDEO_MUTED:
      cohort_publisher_set_video_muted (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_publisher_class_init (CohortPublisherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_publisher_dispose;
  object_class->finalize = cohort_publisher_finalize;
  object_class->get_property = cohort_publisher_get_property;
  object_class->set_property = cohort_publisher_set_property;

  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_AUDIO] =
    g_param_spec_boolean ("has-audio", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_VIDEO] =
    g_param_spec_boolean ("has-video", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUDIO_MUTED] =
    g_param_spec_boolean ("audio-muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIDEO_MUTED] =
    g_param_spec_boolean ("video-muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BITRATE] =
    g_param_spec_uint ("bitrate", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_OFFER] =
    g_signal_new ("offer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_ICE_CANDIDATE] =
    g_signal_new ("ice-candidate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_ICE_GATHERING_DONE] =
    g_signal_new ("ice-gathering-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cohort_publisher_init (CohortPublisher *self)
{
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->rate_lock);
}

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

struct _CohortPublisher
{
  GObject       parent_instance;

  GMainContext *context;
  char         *kind;
  GstElement   *pipeline;
  GstElement   *webrtc;
  GstElement   *venc;
  GstElement   *vvalve;
  GstElement   *avolume;
  /* A camera's lower layers (cohort-media-layers.c), best first. */
  GPtrArray    *layers;
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

  /* Bit/s. The ceiling is min (preset, room cap); REMB and loss move the
   * target below it. Written from RTCP threads, hence atomics. */
  guint         max_bitrate;
  gint          remb_bitrate;
  gint          target_bitrate;
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

static char *
encoder_description (EncoderKind encoder,
                     gboolean    screen,
                     guint       bitrate,
                     guint       fps)
{
  switch (encoder)
    {
    case ENCODER_X264:
      return g_strdup_printf ("x264enc name=venc tune=zerolatency speed-preset=ultrafast "
                              "bitrate=%u key-int-max=%u threads=%u %s ! h264parse "
                              "! video/x-h264,profile=constrained-baseline,stream-format=byte-stream "
                              "! rtph264pay name=vpay pt=96 config-interval=-1 aggregate-mode=zero-latency mtu=1200 "
                              "! application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=96,"
                              "packetization-mode=(string)1,profile-level-id=(string)42e01f",
                              bitrate / 1000, fps * 3, ENCODER_THREADS, screen ? "psy-tune=film" : "");
    case ENCODER_OPENH264:
      return g_strdup_printf ("openh264enc name=venc complexity=low rate-control=bitrate bitrate=%u "
                              "gop-size=%u usage-type=%s ! h264parse "
                              "! rtph264pay name=vpay pt=96 config-interval=-1 aggregate-mode=zero-latency mtu=1200 "
                              "! application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=96,"
                              "packetization-mode=(string)1,profile-level-id=(string)42e01f",
                              bitrate, fps * 3, screen ? "screen" : "camera");
    case ENCODER_VAAPI_H264:
      return g_strdup_printf ("vaapih264enc name=venc rate-control=cbr bitrate=%u keyframe-period=%u "
                              "! h264parse ! rtph264pay name=vpay pt=96 config-interval=-1 "
                              "aggregate-mode=zero-latency mtu=1200 "
                              "! application/x-rtp,media=video,encoding-name=H264,clock-rate=90000,payload=96,"
                              "packetization-mode=(string)1,profile-level-id=(string)42e01f",
                              bitrate / 1000, fps * 3);
    case ENCODER_VP8:
    default:
      /* Realtime: deadline=1, no look-ahead, CBR with a small buffer, a
       * keyframe every 3 s at most (PLI asks for more), error-resilient
       * mode (entropy contexts reset per frame: a lost frame does not
       * poison the ones after it; measured free at 720p). Not the
       * "partitions" flavour: it adds 10 % and rtpvp8pay gains nothing.
       * Screen content: slower, sharper encoding at a lower frame rate. */
      return g_strdup_printf ("vp8enc name=venc deadline=1 cpu-used=%d threads=%u lag-in-frames=0 "
                              "end-usage=cbr target-bitrate=%u keyframe-max-dist=%u "
                              "error-resilient=default "
                              "buffer-size=1000 buffer-initial-size=500 buffer-optimal-size=600 "
                              "undershoot=95 max-quantizer=%d static-threshold=%d "
                              "! rtpvp8pay name=vpay pt=96 picture-id-mode=15-bit mtu=1200 "
                              "! application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96",
                              screen ? 8 : 16, ENCODER_THREADS, bitrate, fps * 3,
                              screen ? 40 : 56,
                              /* Skip unchanged blocks: most of a screen, a
                               * still background behind a face. */
                              screen ? 500 : 100);
    }
}

static void
apply_bitrate (CohortPublisher *self,
               guint            bitrate)
{
  if (self->venc == NULL)
    return;

  switch (self->encoder)
    {
    case ENCODER_X264:
    case ENCODER_VAAPI_H264:
      g_object_set (self->venc, "bitrate", bitrate / 1000, NULL);
      break;
    case ENCODER_OPENH264:
      g_object_set (self->venc, "bitrate", bitrate, NULL);
      break;
    case ENCODER_VP8:
    default:
      g_object_set (self->venc, "target-bitrate", (gint) bitrate, NULL);
      break;
    }
}

static void
notify_bitrate_cb (gpointer object,
                   gpointer data)
{
  g_object_notify_by_pspec (object, properties[PROP_BITRATE]);
}

/* From any thread: clamps and applies a new target. */
static void
set_target_bitrate (CohortPublisher *self,
                    guint            bitrate)
{
  guint remb = g_atomic_int_get (&self->remb_bitrate);

  bitrate = MIN (bitrate, self->max_bitrate);
  if (remb > 0)
    bitrate = MIN (bitrate, remb);
  bitrate = MAX (bitrate, MIN (MIN_BITRATE, self->max_bitrate));

  if ((guint) g_atomic_int_get (&self->target_bitrate) == bitrate)
    return;

  g_atomic_int_set (&self->target_bitrate, bitrate);
  apply_bitrate (self, bitrate);
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

  g_atomic_int_set (&self->remb_bitrate, (gint) MIN (bitrate, G_MAXINT));
  set_target_bitrate (self, MAX ((guint) g_atomic_int_get (&self->target_bitrate),
                                 (guint) MIN (bitrate, G_MAXINT)));
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

/* Loss and round-trip time from the receiver reports Janus sends: back
 * off on loss, creep up when clean. */
static gboolean
find_remote_inbound (GQuark        field_id,
                     const GValue *value,
                     gpointer      user_data)
{
  const GstStructure **out = user_data;
  GstWebRTCStatsType type;
  const GstStructure *s;
  const char *kind;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  s = gst_value_get_structure (value);
  if (!gst_structure_get (s, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, NULL) ||
      type != GST_WEBRTC_STATS_REMOTE_INBOUND_RTP)
    return TRUE;
  kind = gst_structure_get_string (s, "kind");
  if (g_strcmp0 (kind, "video") == 0)
    {
      *out = s;
      return FALSE;
    }
  return TRUE;
}

static void
on_stats (GstPromise *promise,
          gpointer    user_data)
{
  CohortPublisher *self = user_data;
  const GstStructure *reply;
  const GstStructure *remote = NULL;
  double fraction_lost = 0;
  guint target;

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED ||
      (reply = gst_promise_get_reply (promise)) == NULL)
    goto out;

  gst_structure_foreach (reply, find_remote_inbound, &remote);
  if (remote == NULL || !gst_structure_get_double (remote, "fraction-lost", &fraction_lost))
    goto out;

  target = g_atomic_int_get (&self->target_bitrate);
  if (fraction_lost > 0.10)
    set_target_bitrate (self, target * (1.0 - fraction_lost / 2));
  else if (fraction_lost < 0.02)
    set_target_bitrate (self, target * 1.08);

out:
  gst_promise_unref (promise);
  g_object_unref (self);
}

static gboolean
on_stats_timeout (gpointer user_data)
{
  CohortPublisher *self = user_data;

  if (self->webrtc != NULL && self->has_video)
    g_signal_emit_by_name (self->webrtc, "get-stats", NULL,
                           gst_promise_new_with_change_func (on_stats, g_object_ref (self), NULL));
  return G_SOURCE_CONTINUE;
}

/* Construction */

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
  const CohortLayerSpec *specs;
  guint n = cohort_media_layers_for (height, &specs);

  self->layers = g_ptr_array_new_with_free_func (gst_object_unref);
  if (self->encoder != ENCODER_VP8 || g_strcmp0 (self->kind, "camera") != 0)
    return TRUE;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *enc = encoder_description (self->encoder, FALSE, specs[i].bitrate, specs[i].fps);
      GstElement *layer = cohort_media_layer_bin_new (&specs[i], enc, error);
      g_autoptr(GstElement) vpay = NULL;

      if (layer == NULL)
        return FALSE;
      gst_bin_add (GST_BIN (bin), layer);
      g_ptr_array_add (self->layers, gst_object_ref (layer));
      vpay = gst_bin_get_by_name (GST_BIN (layer), "vpay");
      if (!add_twcc_extension (vpay, error))
        return FALSE;
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

  if (self->has_video)
    {
      g_autofree char *enc = encoder_description (self->encoder, screen, self->max_bitrate, fps);

      /* Keep the aspect ratio: scale into the preset's box, never stretch. */
      g_string_append_printf (desc,
                              "videoconvert name=vin n-threads=%u ! videoscale add-borders=true "
                              "! videorate drop-only=true "
                              "! video/x-raw,format=I420,width=%u,height=%u,framerate=%u/1,pixel-aspect-ratio=1/1 "
                              "! tee name=vtee "
                              "vtee. ! queue max-size-buffers=1 max-size-bytes=0 max-size-time=0 leaky=downstream "
                              "! valve name=vvalve ! %s ! webrtc. ",
                              MIN (g_get_num_processors (), 4), width, height, fps, enc);
      if (owned_preview != NULL)
        g_string_append (desc, "vtee. ! queue max-size-buffers=1 leaky=downstream name=pout ");
    }

  if (self->has_audio)
    g_string_append (desc,
                     "audioconvert name=ain ! audioresample ! audio/x-raw,rate=48000,channels=1 "
                     "! volume name=avol ! queue max-size-time=100000000 leaky=downstream "
                     "! opusenc inband-fec=true dtx=true bitrate=32000 packet-loss-percentage=10 "
                     "frame-size=20 audio-type=voice "
                     "! rtpopuspay name=apay pt=111 mtu=1200 "
                     "! application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=111 "
                     "! webrtc. ");

  self->pipeline = gst_pipeline_new ("cohort-publisher");
  bin = gst_parse_bin_from_description_full (desc->str, FALSE, NULL, GST_PARSE_FLAG_NONE, error);
  if (bin == NULL)
    return NULL;
  gst_bin_add (GST_BIN (self->pipeline), bin);
  self->webrtc = gst_bin_get_by_name (GST_BIN (bin), "webrtc");

  if (self->has_video)
    {
      g_autoptr(GstElement) vin = gst_bin_get_by_name (GST_BIN (bin), "vin");
      g_autoptr(GstElement) vpay = gst_bin_get_by_name (GST_BIN (bin), "vpay");

      self->venc = gst_bin_get_by_name (GST_BIN (bin), "venc");
      self->vvalve = gst_bin_get_by_name (GST_BIN (bin), "vvalve");
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
      if (!add_twcc_extension (vpay, error))
        return NULL;
    }

  if (self->has_audio)
    {
      g_autoptr(GstElement) ain = gst_bin_get_by_name (GST_BIN (bin), "ain");
      g_autoptr(GstElement) apay = gst_bin_get_by_name (GST_BIN (bin), "apay");

      self->avolume = gst_bin_get_by_name (GST_BIN (bin), "avol");
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
      if (!muted && self->venc != NULL)
        {
          g_autoptr(GstPad) pad = gst_element_get_static_pad (self->venc, "sink");

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
  gst_clear_object (&self->venc);
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
}

/* cohort-media-subscriber.c: one receive-only webrtcbin for one remote feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-subscriber"

#include "config.h"

#include <gst/rtp/rtp.h>
#include <gst/video/video.h>

#include "cohort-media-decoder.h"
#include "cohort-media-subscriber.h"
#include "cohort-media-webrtc.h"

struct _CohortSubscriber
{
  GObject       parent_instance;

  GMainContext *context;
  gint64        feed_id;
  GstElement   *pipeline;
  GstElement   *webrtc;
  GstElement   *video_sink;
  GstElement   *audio_sink;
  GstPad       *video_pad;     /* webrtcbin's video src pad */
  GMutex        lock;
  guint         bus_watch;
  gint          frames;        /* atomic */
  gint          audio_buffers; /* atomic */
  gint          first_frame;   /* atomic flag */
  gint          failed;        /* atomic flag */
  gint          keyframe_requests; /* atomic: sent on after the rate limit */
  gint          await_keyframe;    /* atomic flag: drop delta frames */
  gint          repair_held;       /* atomic flag: see cohort_subscriber_hold_repair */
  gint64        repair_held_us;    /* main context: when the hold began */
  gint          last_picture_id;   /* streaming thread: VP8, -1 none */
  gint64        last_keyframe_request_us; /* under lock */
  gboolean      keyframe_request_repeated; /* under lock */

  /* Jitter-buffer latency for retransmitted streams (main context) */
  guint         base_latency_ms;
  guint         latency_ms;
  guint         latency_source;
  CohortJitterRoom jitter_room;

  /* Paced presentation (streaming thread; see pace_video) */
  gint          playout_delay_ms; /* atomic */
  GstClockID    pace_wait;        /* under lock */
  gboolean      stopping;         /* under lock */
};

enum {
  PROP_0,
  PROP_FEED_ID,
  PROP_FRAMES_DECODED,
  PROP_AUDIO_BUFFERS,
  PROP_KEYFRAME_REQUESTS,
  N_PROPS
};

enum {
  SIGNAL_ICE_CANDIDATE,
  SIGNAL_ICE_GATHERING_DONE,
  SIGNAL_FIRST_FRAME,
  SIGNAL_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* While the picture waits for a keyframe, the depayloader asks again with
 * every frame it drops (30 a second): one request per this interval
 * reaches the publisher, enough to cover a lost keyframe without making
 * the teacher's encoder send keyframes back to back. With 500 ms, one run
 * of test-media on a loaded 2-core machine saw a student on a clean link
 * fall to 2 fps, keyframe bursts seemingly causing new losses and new
 * requests; 1 s did not. */
#define KEYFRAME_REQUEST_INTERVAL_US (1000 * G_TIME_SPAN_MILLISECOND)
/* The first request after a silence can come before the RTP session knows
 * the sender again (a source in probation gets no PLI): one repeat this
 * soon after it. */
#define KEYFRAME_REQUEST_REPEAT_US   (150 * G_TIME_SPAN_MILLISECOND)

/* Janus takes the round trip, and so the size of its retransmission
 * buffer, from our receiver reports (cohort_webrtc_report_often). */
#define RECEIVER_REPORT_INTERVAL_MS 500

/* A jump in VP8 picture IDs beyond this many frames is another stream. */
#define NEW_STREAM_PICTURE_IDS 30

/* How far beyond the playout delay a frame's time may lie and still be
 * waited for (scheduling noise); further means new timestamps. */
#define PACE_SLACK_MS 100

G_DEFINE_FINAL_TYPE (CohortSubscriber, cohort_subscriber, G_TYPE_OBJECT)

/* Streaming threads */

typedef struct
{
  guint width;
  guint height;
} Size;

static void
emit_first_frame_cb (gpointer object,
                     gpointer data)
{
  Size *size = data;

  g_signal_emit (object, signals[SIGNAL_FIRST_FRAME], 0, size->width, size->height);
}

static void
emit_failed_cb (gpointer object,
                gpointer data)
{
  g_signal_emit (object, signals[SIGNAL_FAILED], 0, data);
}

static void
fail_from_thread (CohortSubscriber *self,
                  const char       *message)
{
  if (g_atomic_int_compare_and_exchange (&self->failed, FALSE, TRUE))
    cohort_webrtc_invoke (self->context, self, emit_failed_cb, g_strdup (message), g_free);
}

static void
subscriber_failed_from_thread (gpointer    owner,
                               const char *message)
{
  fail_from_thread (owner, message);
}

static GstPadProbeReturn
on_video_buffer (GstPad          *pad,
                 GstPadProbeInfo *info,
                 gpointer         user_data)
{
  CohortSubscriber *self = user_data;

  g_atomic_int_inc (&self->frames);
  if (g_atomic_int_compare_and_exchange (&self->first_frame, FALSE, TRUE))
    {
      g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
      GstVideoInfo vinfo;
      Size *size = g_new0 (Size, 1);

      if (caps != NULL && gst_video_info_from_caps (&vinfo, caps))
        {
          size->width = GST_VIDEO_INFO_WIDTH (&vinfo);
          size->height = GST_VIDEO_INFO_HEIGHT (&vinfo);
        }
      cohort_webrtc_invoke (self->context, self, emit_first_frame_cb, size, g_free);
    }

  return GST_PAD_PROBE_OK;
}

/* Paced presentation
 *
 * The jitter buffer holds every packet behind a missing one until the
 * retransmission comes (or it gives up), then lets them go at once: shown
 * as they come, a repaired loss is a freeze (the 200 ms Janus waits
 * before it repeats a lost retransmission) followed by a burst. Like a
 * browser's playout delay, frames are instead shown at their capture
 * time (the jitter buffer's PTS: arrival, smoothed) plus
 * @playout_delay_ms, the room the jitter buffers were given beyond their
 * base latency: a frame that waited for its retransmission within that
 * room is on time. On a clean link the delay is 0 and frames pass at
 * once, as before. The audio sink plays at the jitter buffers' whole
 * latency, so the picture stays at most the base latency ahead of it.
 * A frame whose time is further ahead than the delay allows (a new
 * stream's timestamps) is not held. */
static GstPadProbeReturn
pace_video (GstPad          *pad,
            GstPadProbeInfo *info,
            gpointer         user_data)
{
  CohortSubscriber *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  gint delay_ms = g_atomic_int_get (&self->playout_delay_ms);
  g_autoptr(GstEvent) segment_event = NULL;
  g_autoptr(GstClock) clock = NULL;
  const GstSegment *segment;
  GstClockTime running, target, now;
  GstClockID id;

  if (delay_ms <= 0 || !GST_BUFFER_PTS_IS_VALID (buffer) ||
      (segment_event = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0)) == NULL ||
      (clock = gst_element_get_clock (self->pipeline)) == NULL)
    return GST_PAD_PROBE_OK;
  gst_event_parse_segment (segment_event, &segment);
  running = gst_segment_to_running_time (segment, GST_FORMAT_TIME, GST_BUFFER_PTS (buffer));
  if (!GST_CLOCK_TIME_IS_VALID (running))
    return GST_PAD_PROBE_OK;

  target = gst_element_get_base_time (self->pipeline) + running + delay_ms * GST_MSECOND;
  now = gst_clock_get_time (clock);
  if (target <= now || target - now > (GstClockTime) (delay_ms + PACE_SLACK_MS) * GST_MSECOND)
    return GST_PAD_PROBE_OK;

  id = gst_clock_new_single_shot_id (clock, target);
  g_mutex_lock (&self->lock);
  if (self->stopping)
    {
      g_mutex_unlock (&self->lock);
      gst_clock_id_unref (id);
      return GST_PAD_PROBE_OK;
    }
  self->pace_wait = id;
  g_mutex_unlock (&self->lock);

  gst_clock_id_wait (id, NULL);

  g_mutex_lock (&self->lock);
  self->pace_wait = NULL;
  g_mutex_unlock (&self->lock);
  gst_clock_id_unref (id);

  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
on_audio_buffer (GstPad          *pad,
                 GstPadProbeInfo *info,
                 gpointer         user_data)
{
  CohortSubscriber *self = user_data;

  g_atomic_int_inc (&self->audio_buffers);
  return GST_PAD_PROBE_OK;
}

static GstElement *
take_sink (CohortSubscriber *self,
           GstElement      **sink)
{
  GstElement *element = g_steal_pointer (sink);

  if (element == NULL)
    {
      element = gst_element_factory_make ("fakesink", NULL);
      g_object_set (element, "sync", FALSE, NULL);
      gst_object_ref_sink (element);
    }

  return element;
}

/* The depayloader asks for a keyframe (an upstream GstForceKeyUnit, which
 * the RTP session sends as an RTCP PLI) when it meets a loss; this lets
 * the first one through at once and then one per interval. */
static GstPadProbeReturn
on_keyframe_request (GstPad          *pad,
                     GstPadProbeInfo *info,
                     gpointer         user_data)
{
  CohortSubscriber *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  gint64 now = g_get_monotonic_time ();
  gboolean pass;

  if (!gst_video_event_is_force_key_unit (event))
    return GST_PAD_PROBE_OK;

  g_mutex_lock (&self->lock);
  if (self->last_keyframe_request_us == 0 ||
      now - self->last_keyframe_request_us >= KEYFRAME_REQUEST_INTERVAL_US)
    {
      pass = TRUE;
      self->last_keyframe_request_us = now;
      self->keyframe_request_repeated = FALSE;
    }
  else
    {
      pass = !self->keyframe_request_repeated &&
             now - self->last_keyframe_request_us >= KEYFRAME_REQUEST_REPEAT_US;
      if (pass)
        self->keyframe_request_repeated = TRUE;
    }
  g_mutex_unlock (&self->lock);

  if (!pass)
    return GST_PAD_PROBE_DROP;
  g_atomic_int_inc (&self->keyframe_requests);
  return GST_PAD_PROBE_OK;
}

/* After cohort_subscriber_request_keyframe() the stream may change under
 * the same SSRC and sequence (Janus's `switch` to another layer): its
 * inter frames would decode against the old stream's pictures, a broken
 * picture the depayloader cannot see (no sequence gap). Until a keyframe
 * comes, frames that need earlier ones are dropped; the sink keeps the
 * last good picture. */
static GstPadProbeReturn
drop_until_keyframe (GstPad          *pad,
                     GstPadProbeInfo *info,
                     gpointer         user_data)
{
  CohortSubscriber *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  if (!g_atomic_int_get (&self->await_keyframe))
    return GST_PAD_PROBE_OK;
  if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_DELTA_UNIT))
    return GST_PAD_PROBE_DROP;
  g_atomic_int_set (&self->await_keyframe, FALSE);
  return GST_PAD_PROBE_OK;
}

static gboolean
has_property (GstElement *element,
              const char *name)
{
  return g_object_class_find_property (G_OBJECT_GET_CLASS (element), name) != NULL;
}

/* Never show a picture built on a lost reference: after a loss that
 * retransmission did not repair, the depayloader drops every frame until
 * the next keyframe (the sink keeps showing the last good one) and asks
 * for that keyframe at once. Opus conceals a lost packet, from the next
 * packet's in-band FEC when the sender adds it. */
static void
on_decodebin_element_added (GstBin     *decodebin,
                            GstBin     *sub_bin,
                            GstElement *element,
                            gpointer    user_data)
{
  CohortSubscriber *self = user_data;
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory == NULL)
    return;

  if (gst_element_factory_list_is_type (factory, GST_ELEMENT_FACTORY_TYPE_DEPAYLOADER) &&
      has_property (element, "wait-for-keyframe") && has_property (element, "request-keyframe"))
    {
      g_autoptr(GstPad) sinkpad = gst_element_get_static_pad (element, "sink");

      g_autoptr(GstPad) srcpad = gst_element_get_static_pad (element, "src");

      g_object_set (element, "wait-for-keyframe", TRUE, "request-keyframe", TRUE, NULL);
      if (sinkpad != NULL)
        gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, on_keyframe_request, self, NULL);
      if (srcpad != NULL)
        gst_pad_add_probe (srcpad, GST_PAD_PROBE_TYPE_BUFFER, drop_until_keyframe, self, NULL);
    }
  else if (g_str_equal (GST_OBJECT_NAME (factory), "opusdec"))
    g_object_set (element, "plc", TRUE, "use-inband-fec", TRUE, NULL);
}

static void
on_decodebin_pad_added (GstElement *decodebin,
                        GstPad     *pad,
                        gpointer    user_data)
{
  CohortSubscriber *self = user_data;
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstPad) probe_pad = NULL;
  g_autoptr(GstPad) sinkpad = NULL;
  g_autoptr(GError) error = NULL;
  GstElement *front;
  gboolean video;

  if (caps == NULL)
    caps = gst_pad_query_caps (pad, NULL);
  video = g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "video/");

  g_mutex_lock (&self->lock);
  sink = take_sink (self, video ? &self->video_sink : &self->audio_sink);
  g_mutex_unlock (&self->lock);

  /* Only the newest frame matters: a leaky one-frame queue in front. */
  front = gst_parse_bin_from_description (video ?
                                          "queue max-size-buffers=1 max-size-bytes=0 max-size-time=0 "
                                          "leaky=downstream ! videoconvert n-threads=2" :
                                          "queue max-size-time=200000000 leaky=downstream "
                                          "! audioconvert ! audioresample",
                                          TRUE, &error);
  if (front == NULL)
    {
      fail_from_thread (self, error->message);
      return;
    }

  gst_bin_add_many (GST_BIN (self->pipeline), front, g_object_ref (sink), NULL);
  if (!gst_element_link (front, sink))
    {
      fail_from_thread (self, "The video display cannot show this feed");
      return;
    }

  probe_pad = gst_element_get_static_pad (sink, "sink");
  if (probe_pad != NULL)
    gst_pad_add_probe (probe_pad, GST_PAD_PROBE_TYPE_BUFFER,
                       video ? on_video_buffer : on_audio_buffer, self, NULL);

  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (front);
  sinkpad = gst_element_get_static_pad (front, "sink");
  if (video)
    gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, pace_video, self, NULL);
  gst_pad_link (pad, sinkpad);
}

static void
on_webrtc_pad_added (GstElement *webrtc,
                     GstPad     *pad,
                     gpointer    user_data)
{
  CohortSubscriber *self = user_data;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstPad) sinkpad = NULL;
  GstElement *decodebin;
  const char *media;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;

  caps = gst_pad_get_current_caps (pad);
  media = caps != NULL ? gst_structure_get_string (gst_caps_get_structure (caps, 0), "media") : NULL;

  decodebin = gst_element_factory_make ("decodebin", NULL);
  /* Display path (#17): hardware decoders (VA-API) first where present. */
  cohort_decoder_attach (decodebin);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_decodebin_pad_added), self);
  g_signal_connect (decodebin, "deep-element-added", G_CALLBACK (on_decodebin_element_added), self);
  gst_bin_add (GST_BIN (self->pipeline), decodebin);
  gst_element_sync_state_with_parent (decodebin);
  sinkpad = gst_element_get_static_pad (decodebin, "sink");
  gst_pad_link (pad, sinkpad);

  if (g_strcmp0 (media, "video") == 0)
    {
      g_mutex_lock (&self->lock);
      g_set_object (&self->video_pad, pad);
      g_mutex_unlock (&self->lock);
      /* Do not wait for the publisher's next periodic keyframe. */
      cohort_subscriber_request_keyframe (self);
    }
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  CohortSubscriber *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      g_warning ("Subscriber pipeline error: %s (%s)", error->message, debug);
      if (g_atomic_int_compare_and_exchange (&self->failed, FALSE, TRUE))
        g_signal_emit (self, signals[SIGNAL_FAILED], 0, error->message);
    }

  return G_SOURCE_CONTINUE;
}

/* Retransmission room
 *
 * The jitter buffers wait @latency_ms for a missing packet, which is what
 * keeps the first frame fast on a clean link. Janus answers a NACK within
 * a round trip, but another NACK for the same packet only 200 ms after
 * its retransmission (MAX_NACK_IGNORE, fixed in 1.1): a lost
 * retransmission costs 200 ms more. CohortJitterRoom decides, every half
 * second, when the buffers grow to room for that second answer (a link
 * that keeps losing, or a loss the base latency could not repair) and
 * when they go back. Audio and video move together (webrtcbin's
 * latency), so that they stay in step; only the video's requests count
 * (Janus retransmits no audio). */

static gboolean
has_video_caps (const GValue *item,
                GValue       *found,
                gpointer      user_data)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (g_value_get_object (item));

  if (caps != NULL && !gst_caps_is_empty (caps) &&
      g_strcmp0 (gst_structure_get_string (gst_caps_get_structure (caps, 0), "media"), "video") == 0)
    {
      g_value_set_boolean (found, TRUE);
      return FALSE;
    }
  return TRUE;
}

/* A jitter buffer's caps name only its SSRC: the payload demuxer after it
 * knows the medium. */
static gboolean
is_video_jitterbuffer (GstElement *jitterbuffer)
{
  g_autoptr(GstPad) src = gst_element_get_static_pad (jitterbuffer, "src");
  g_autoptr(GstPad) peer = src != NULL ? gst_pad_get_peer (src) : NULL;
  g_autoptr(GstElement) next = peer != NULL ? gst_pad_get_parent_element (peer) : NULL;
  g_autoptr(GstIterator) it = NULL;
  GValue found = G_VALUE_INIT;
  gboolean video;

  if (next == NULL)
    return FALSE;
  g_value_init (&found, G_TYPE_BOOLEAN);
  it = gst_element_iterate_src_pads (next);
  gst_iterator_fold (it, has_video_caps, &found, NULL);
  video = g_value_get_boolean (&found);
  g_value_unset (&found);
  return video;
}

static void
add_video_jitterbuffer (const GValue *item,
                        gpointer      user_data)
{
  CohortJitterStats *out = user_data;
  GstElement *element = g_value_get_object (item);
  GstElementFactory *factory = gst_element_get_factory (element);
  GstStructure *stats = NULL;
  guint64 rtx_count = 0, rtx_success = 0, rtx_rtt = 0, lost = 0, pushed = 0, late = 0;

  if (factory == NULL || !g_str_equal (GST_OBJECT_NAME (factory), "rtpjitterbuffer") ||
      !is_video_jitterbuffer (element))
    return;
  g_object_get (element, "stats", &stats, NULL);
  if (stats == NULL)
    return;
  gst_structure_get (stats, "rtx-count", G_TYPE_UINT64, &rtx_count,
                     "rtx-success-count", G_TYPE_UINT64, &rtx_success,
                     "rtx-rtt", G_TYPE_UINT64, &rtx_rtt,
                     "num-lost", G_TYPE_UINT64, &lost,
                     "num-pushed", G_TYPE_UINT64, &pushed,
                     "num-late", G_TYPE_UINT64, &late, NULL);
  gst_structure_free (stats);

  out->found = TRUE;
  out->rtx_count += rtx_count;
  out->rtx_success += rtx_success;
  out->lost += lost;
  out->pushed += pushed;
  out->late += late;
  out->rtx_rtt_ns = MAX (out->rtx_rtt_ns, rtx_rtt);
}

void
cohort_subscriber_read_video_jitterbuffer (GstElement        *webrtcbin,
                                           CohortJitterStats *stats)
{
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (webrtcbin));

  *stats = (CohortJitterStats) { 0 };
  gst_iterator_foreach (it, add_video_jitterbuffer, stats);
}

/* A jitter buffer keeps asking for the packets it was already waiting
 * for when "do-retransmission" goes off (its timers convert to "lost"
 * only after their retries): while the repair is held, those requests
 * stop here, before the RTP session turns them into NACKs. */
static GstPadProbeReturn
drop_held_retransmission_request (GstPad          *pad,
                                  GstPadProbeInfo *info,
                                  gpointer         user_data)
{
  CohortSubscriber *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

  if (g_atomic_int_get (&self->repair_held) && GST_EVENT_TYPE (event) == GST_EVENT_CUSTOM_UPSTREAM &&
      gst_event_has_name (event, "GstRTPRetransmissionRequest"))
    return GST_PAD_PROBE_DROP;
  return GST_PAD_PROBE_OK;
}

static void release_repair (CohortSubscriber *self, const char *why);

static void
release_repair_cb (gpointer object,
                   gpointer data)
{
  release_repair (object, "the new layer's first packet");
}

/* A VP8 packet's 15-bit picture ID, -1 without one (rtpvp8pay sends
 * them, picture-id-mode=15-bit). */
static gint
vp8_picture_id (GstBuffer *buffer)
{
  GstRTPBuffer rtp = GST_RTP_BUFFER_INIT;
  const guint8 *p;
  guint len;
  gint id = -1;

  if (!gst_rtp_buffer_map (buffer, GST_MAP_READ, &rtp))
    return -1;
  p = gst_rtp_buffer_get_payload (&rtp);
  len = gst_rtp_buffer_get_payload_len (&rtp);
  if (len >= 4 && (p[0] & 0x80) && (p[1] & 0x80) && (p[2] & 0x80))
    id = ((p[2] & 0x7f) << 8) | p[3];
  gst_rtp_buffer_unmap (&rtp);
  return id;
}

/* While the repair is held, the first packet of another stream under the
 * same SSRC ends it: Janus's switch keeps the SSRC, sequence and
 * timestamps going, but not the VP8 picture IDs, which each layer's
 * encoder counts on its own (by one a frame, from a random start). The
 * old layer's holes are all known by then (the link delivers in order),
 * and the new layer's own losses must be repaired: its first keyframe is
 * larger than a capped link's queue (about 25 KB at 1 Mbit/s), and held
 * until that keyframe decoded, the repair never came (bench cap_1mbit:
 * no 640×360 frame until a 3 s safety limit lifted the hold, in every
 * hold of two runs). */
static GstPadProbeReturn
watch_for_new_stream (GstPad          *pad,
                      GstPadProbeInfo *info,
                      gpointer         user_data)
{
  CohortSubscriber *self = user_data;
  gint id = vp8_picture_id (GST_PAD_PROBE_INFO_BUFFER (info));
  gint last = self->last_picture_id;
  gint step;

  if (id < 0)
    return GST_PAD_PROBE_OK;
  self->last_picture_id = id;
  if (last < 0 || !g_atomic_int_get (&self->repair_held))
    return GST_PAD_PROBE_OK;
  /* Forward or back (a late packet), modulo 2^15; a second of frames is
   * well inside one stream. */
  step = (id - last) & 0x7fff;
  if (MIN (step, 0x8000 - step) <= NEW_STREAM_PICTURE_IDS)
    return GST_PAD_PROBE_OK;

  /* This buffer is the new stream's: the jitter buffer, whose sink pad
   * this is, has not taken its lock for it yet. */
  if (g_atomic_int_compare_and_exchange (&self->repair_held, TRUE, FALSE))
    {
      g_object_set (GST_PAD_PARENT (pad), "do-retransmission", TRUE, NULL);
      cohort_webrtc_invoke (self->context, self, release_repair_cb, NULL, NULL);
    }
  return GST_PAD_PROBE_OK;
}

#define HELD_REQUEST_PROBE_KEY "cohort-held-request-probe"

typedef struct
{
  CohortSubscriber *self;
  gboolean          retransmit;
} RetransmissionChange;

static void
set_video_retransmission (const GValue *item,
                          gpointer      user_data)
{
  RetransmissionChange *change = user_data;
  GstElement *element = g_value_get_object (item);
  GstElementFactory *factory = gst_element_get_factory (element);
  g_autoptr(GstPad) sink = NULL;

  if (factory == NULL || !g_str_equal (GST_OBJECT_NAME (factory), "rtpjitterbuffer") ||
      !is_video_jitterbuffer (element))
    return;
  g_object_set (element, "do-retransmission", change->retransmit, NULL);
  /* The pipeline, and so the jitter buffer, goes before the subscriber. */
  if (g_object_get_data (G_OBJECT (element), HELD_REQUEST_PROBE_KEY) == NULL &&
      (sink = gst_element_get_static_pad (element, "sink")) != NULL)
    {
      gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_EVENT_UPSTREAM, drop_held_retransmission_request,
                         change->self, NULL);
      gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_BUFFER, watch_for_new_stream, change->self, NULL);
      g_object_set_data (G_OBJECT (element), HELD_REQUEST_PROBE_KEY, GINT_TO_POINTER (TRUE));
    }
}

static void
set_video_retransmission_all (CohortSubscriber *self,
                              gboolean          retransmit)
{
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (self->webrtc));
  RetransmissionChange change = { self, !!retransmit };

  gst_iterator_foreach (it, set_video_retransmission, &change);
}

static void
set_latency (CohortSubscriber *self,
             guint             latency_ms)
{
  if (latency_ms == self->latency_ms)
    return;
  g_debug ("Feed %" G_GINT64_FORMAT ": jitter buffers %u ms → %u ms", self->feed_id, self->latency_ms, latency_ms);
  self->latency_ms = latency_ms;
  g_object_set (self->webrtc, "latency", latency_ms, NULL);
  g_atomic_int_set (&self->playout_delay_ms, (gint) latency_ms - (gint) self->base_latency_ms);
}

/* A hold that no new stream lifted (the layer request was refused):
 * repair again after this long. */
#define REPAIR_HOLD_MAX_US (3 * G_TIME_SPAN_SECOND)

void
cohort_subscriber_hold_repair (CohortSubscriber *self)
{
  g_return_if_fail (COHORT_IS_SUBSCRIBER (self));

  if (self->webrtc == NULL)
    return;
  self->repair_held_us = g_get_monotonic_time ();
  if (g_atomic_int_get (&self->repair_held))
    return;
  g_info ("Feed %" G_GINT64_FORMAT ": repair held until the new layer's first packet", self->feed_id);
  g_atomic_int_set (&self->repair_held, TRUE);
  set_video_retransmission_all (self, FALSE);
}

static void
release_repair (CohortSubscriber *self,
                const char       *why)
{
  CohortJitterStats view;

  if (self->webrtc == NULL)
    return;
  g_info ("Feed %" G_GINT64_FORMAT ": repair again (%s, after %" G_GINT64_FORMAT " ms)", self->feed_id, why,
          (g_get_monotonic_time () - self->repair_held_us) / 1000);
  /* What the jitter buffer asked for and gave up on during the hold says
   * nothing about the new layer's link. */
  cohort_subscriber_read_video_jitterbuffer (self->webrtc, &view);
  cohort_jitter_room_skip (&self->jitter_room, &view);
  set_video_retransmission_all (self, TRUE);
}

/* The safety limit, on the main context. */
static void
release_repair_late (CohortSubscriber *self)
{
  if (g_atomic_int_compare_and_exchange (&self->repair_held, TRUE, FALSE))
    release_repair (self, "no new stream in time");
}

gboolean
cohort_subscriber_get_repair_held (CohortSubscriber *self)
{
  g_return_val_if_fail (COHORT_IS_SUBSCRIBER (self), FALSE);

  return g_atomic_int_get (&self->repair_held);
}

static gboolean
adapt_latency_cb (gpointer user_data)
{
  CohortSubscriber *self = user_data;
  CohortJitterStats view;

  if (g_atomic_int_get (&self->repair_held) &&
      g_get_monotonic_time () - self->repair_held_us >= REPAIR_HOLD_MAX_US)
    release_repair_late (self);

  cohort_subscriber_read_video_jitterbuffer (self->webrtc, &view);
  if (!view.found)
    return G_SOURCE_CONTINUE;

  /* Held: nothing is asked for, and the buffers stay as they are. */
  if (g_atomic_int_get (&self->repair_held))
    cohort_jitter_room_skip (&self->jitter_room, &view);
  else
    {
      CohortJitterRoom before = self->jitter_room;
      guint wanted = cohort_jitter_room_tick (&self->jitter_room, &view);

      if (wanted != self->latency_ms)
        g_debug ("Feed %" G_GINT64_FORMAT ": in half a second %" G_GUINT64_FORMAT " packets out, %" G_GUINT64_FORMAT
                 " retransmissions asked for, %" G_GUINT64_FORMAT " given up (requests in the last ticks: %#x)",
                 self->feed_id, view.pushed - before.last_pushed, view.rtx_count - before.last_rtx_count,
                 view.lost - before.last_lost, self->jitter_room.rtx_ticks);
      set_latency (self, wanted);
    }

  return G_SOURCE_CONTINUE;
}

/* Offer and answer */

static void
on_answer_created (GstPromise *promise,
                   gpointer    user_data)
{
  GTask *task = user_data;
  CohortSubscriber *self = g_task_get_source_object (task);
  const GstStructure *reply = NULL;
  GstWebRTCSessionDescription *answer = NULL;
  char *text;

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED ||
      (reply = gst_promise_get_reply (promise)) == NULL ||
      !gst_structure_get (reply, "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, NULL))
    {
      g_autoptr(GError) inner = NULL;

      if (reply != NULL)
        gst_structure_get (reply, "error", G_TYPE_ERROR, &inner, NULL);
      g_task_return_new_error (task, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                               "Could not answer the media server: %s",
                               inner != NULL ? inner->message : "no reply");
      gst_promise_unref (promise);
      g_object_unref (task);
      return;
    }
  gst_promise_unref (promise);

  /* Janus offers actpass and drops a DTLS ClientHello that arrives before
   * its own ICE is ready: answering "active" costs a 1 s retransmission in
   * about half the subscriptions. "passive" lets Janus start DTLS. */
  cohort_webrtc_sdp_set_dtls_setup (answer->sdp, "passive");

  g_signal_emit_by_name (self->webrtc, "set-local-description", answer, NULL);
  text = gst_sdp_message_as_text (answer->sdp);
  g_debug ("Feed %" G_GINT64_FORMAT ": answer\n%s", self->feed_id, text);
  gst_webrtc_session_description_free (answer);

  /* GTask returns on the caller's context. */
  g_task_return_pointer (task, text, g_free);
  g_object_unref (task);
}

static void
on_remote_offer_set (GstPromise *promise,
                     gpointer    user_data)
{
  GTask *task = user_data;
  CohortSubscriber *self = g_task_get_source_object (task);
  const GstStructure *reply = gst_promise_get_reply (promise);

  if (reply != NULL && gst_structure_has_field (reply, "error"))
    {
      g_autoptr(GError) inner = NULL;

      gst_structure_get (reply, "error", G_TYPE_ERROR, &inner, NULL);
      g_task_return_new_error (task, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                               "The media server's offer was refused: %s",
                               inner != NULL ? inner->message : "?");
      gst_promise_unref (promise);
      g_object_unref (task);
      return;
    }
  gst_promise_unref (promise);

  g_signal_emit_by_name (self->webrtc, "create-answer", NULL,
                         gst_promise_new_with_change_func (on_answer_created, task, NULL));
}

void
cohort_subscriber_answer_async (CohortSubscriber    *self,
                                const char          *offer_sdp,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GstSDPMessage *msg = NULL;
  GstWebRTCSessionDescription *offer;

  g_return_if_fail (COHORT_IS_SUBSCRIBER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_subscriber_answer_async);

  if (gst_sdp_message_new_from_text (offer_sdp, &msg) != GST_SDP_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               "The media server sent an unreadable offer.");
      return;
    }

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      gst_sdp_message_free (msg);
      g_task_return_new_error (task, GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
                               "The video display could not be started.");
      return;
    }

  g_debug ("Feed %" G_GINT64_FORMAT ": offer\n%s", self->feed_id, offer_sdp);
  offer = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_OFFER, msg);
  g_signal_emit_by_name (self->webrtc, "set-remote-description", offer,
                         gst_promise_new_with_change_func (on_remote_offer_set,
                                                           g_steal_pointer (&task), NULL));
  gst_webrtc_session_description_free (offer);
}

char *
cohort_subscriber_answer_finish (CohortSubscriber  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cohort_subscriber_request_keyframe (CohortSubscriber *self)
{
  g_autoptr(GstPad) pad = NULL;

  g_return_if_fail (COHORT_IS_SUBSCRIBER (self));

  g_mutex_lock (&self->lock);
  if (self->video_pad != NULL)
    pad = gst_object_ref (self->video_pad);
  g_mutex_unlock (&self->lock);

  /* Upstream GstForceKeyUnit: the RTP session turns it into an RTCP PLI,
   * which Janus forwards to the publisher. What comes before the
   * keyframe may belong to another stream (drop_until_keyframe). */
  g_atomic_int_set (&self->await_keyframe, TRUE);
  /* A new stream: when its first keyframe loses a packet (the queue of a
   * capped link is still full of the old layer's when it comes), the
   * depayloader's request for the next one must not wait for the old
   * stream's rate limit (up to a second). */
  g_mutex_lock (&self->lock);
  self->last_keyframe_request_us = 0;
  g_mutex_unlock (&self->lock);
  if (pad != NULL)
    gst_pad_send_event (pad, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
                                                                          TRUE, 0));
}

/* A frame held for its time must not hold up a state change to NULL. */
static void
unblock_pacing (CohortSubscriber *self)
{
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  if (self->pace_wait != NULL)
    gst_clock_id_unschedule (self->pace_wait);
  g_mutex_unlock (&self->lock);
}

void
cohort_subscriber_stop (CohortSubscriber *self)
{
  g_return_if_fail (COHORT_IS_SUBSCRIBER (self));

  unblock_pacing (self);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
}

gint64
cohort_subscriber_get_feed_id (CohortSubscriber *self)
{
  g_return_val_if_fail (COHORT_IS_SUBSCRIBER (self), 0);

  return self->feed_id;
}

guint
cohort_subscriber_get_frames_decoded (CohortSubscriber *self)
{
  g_return_val_if_fail (COHORT_IS_SUBSCRIBER (self), 0);

  return g_atomic_int_get (&self->frames);
}

guint
cohort_subscriber_get_audio_buffers (CohortSubscriber *self)
{
  g_return_val_if_fail (COHORT_IS_SUBSCRIBER (self), 0);

  return g_atomic_int_get (&self->audio_buffers);
}

guint
cohort_subscriber_get_keyframe_requests (CohortSubscriber *self)
{
  g_return_val_if_fail (COHORT_IS_SUBSCRIBER (self), 0);

  return g_atomic_int_get (&self->keyframe_requests);
}

GstElement *
cohort_subscriber_get_webrtcbin (CohortSubscriber *self)
{
  g_return_val_if_fail (COHORT_IS_SUBSCRIBER (self), NULL);

  return self->webrtc;
}

CohortSubscriber *
cohort_subscriber_new (gint64               feed_id,
                       GstElement          *video_sink,
                       GstElement          *audio_sink,
                       guint                latency_ms,
                       const char * const  *ice_addresses,
                       GError             **error)
{
  g_autoptr(CohortSubscriber) self = g_object_new (COHORT_TYPE_SUBSCRIBER, NULL);
  g_autoptr(GstBus) bus = NULL;

  self->feed_id = feed_id;
  self->video_sink = video_sink != NULL ? gst_object_ref_sink (video_sink) : NULL;
  self->audio_sink = audio_sink != NULL ? gst_object_ref_sink (audio_sink) : NULL;

  self->pipeline = gst_pipeline_new ("cohort-subscriber");
  self->webrtc = gst_element_factory_make ("webrtcbin", "webrtc");
  if (self->webrtc == NULL)
    {
      g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
                           "webrtcbin is missing (gstreamer1.0-plugins-bad, gstreamer1.0-nice)");
      return NULL;
    }
  gst_object_ref (self->webrtc);
  gst_bin_add (GST_BIN (self->pipeline), self->webrtc);

  /* webrtcbin's default 200 ms jitter buffer dominates the time to the
   * first frame on a LAN; NACK still has room in @latency_ms. */
  g_object_set (self->webrtc,
                "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE,
                "latency", latency_ms,
                NULL);
  self->base_latency_ms = self->latency_ms = latency_ms;
  cohort_jitter_room_init (&self->jitter_room, latency_ms);

  if (!cohort_webrtc_configure_ice (self->webrtc, ice_addresses, error))
    return NULL;
  cohort_webrtc_split_bundled_reports (self->webrtc);
  cohort_webrtc_report_often (self->webrtc, RECEIVER_REPORT_INTERVAL_MS);

  g_signal_connect (self->webrtc, "on-new-transceiver", G_CALLBACK (cohort_webrtc_on_new_transceiver), NULL);
  g_signal_connect (self->webrtc, "pad-added", G_CALLBACK (on_webrtc_pad_added), self);
  cohort_webrtc_forward_ice (self->webrtc, self->context, self, subscriber_failed_from_thread);

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);

  {
    g_autoptr(GSource) source = g_timeout_source_new (COHORT_JITTER_ROOM_TICK_MS);

    g_source_set_callback (source, adapt_latency_cb, self, NULL);
    self->latency_source = g_source_attach (source, self->context);
  }

  return g_steal_pointer (&self);
}

static void
cohort_subscriber_dispose (GObject *object)
{
  CohortSubscriber *self = COHORT_SUBSCRIBER (object);

  unblock_pacing (self);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->latency_source != 0)
    {
      GSource *source = g_main_context_find_source_by_id (self->context, self->latency_source);

      if (source != NULL)
        g_source_destroy (source);
      self->latency_source = 0;
    }
  if (self->webrtc != NULL)
    g_signal_handlers_disconnect_by_data (self->webrtc, self);
  gst_clear_object (&self->video_pad);
  gst_clear_object (&self->video_sink);
  gst_clear_object (&self->audio_sink);
  gst_clear_object (&self->webrtc);
  gst_clear_object (&self->pipeline);

  G_OBJECT_CLASS (cohort_subscriber_parent_class)->dispose (object);
}

static void
cohort_subscriber_finalize (GObject *object)
{
  CohortSubscriber *self = COHORT_SUBSCRIBER (object);

  g_mutex_clear (&self->lock);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (cohort_subscriber_parent_class)->finalize (object);
}

static void
cohort_subscriber_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortSubscriber *self = COHORT_SUBSCRIBER (object);

  switch (prop_id)
    {
    case PROP_FEED_ID:
      g_value_set_int64 (value, self->feed_id);
      break;
    case PROP_FRAMES_DECODED:
      g_value_set_uint (value, cohort_subscriber_get_frames_decoded (self));
      break;
    case PROP_AUDIO_BUFFERS:
      g_value_set_uint (value, cohort_subscriber_get_audio_buffers (self));
      break;
    case PROP_KEYFRAME_REQUESTS:
      g_value_set_uint (value, cohort_subscriber_get_keyframe_requests (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_subscriber_class_init (CohortSubscriberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_subscriber_dispose;
  object_class->finalize = cohort_subscriber_finalize;
  object_class->get_property = cohort_subscriber_get_property;

  properties[PROP_FEED_ID] =
    g_param_spec_int64 ("feed-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRAMES_DECODED] =
    g_param_spec_uint ("frames-decoded", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUDIO_BUFFERS] =
    g_param_spec_uint ("audio-buffers", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_KEYFRAME_REQUESTS] =
    g_param_spec_uint ("keyframe-requests", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ICE_CANDIDATE] =
    g_signal_new ("ice-candidate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_ICE_GATHERING_DONE] =
    g_signal_new ("ice-gathering-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FIRST_FRAME] =
    g_signal_new ("first-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cohort_subscriber_init (CohortSubscriber *self)
{
  self->last_picture_id = -1;
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->lock);
}


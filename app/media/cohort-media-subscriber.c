/* cohort-media-subscriber.c: one receive-only webrtcbin for one remote feed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-subscriber"

#include "config.h"

#include <gst/video/video.h>

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
};

enum {
  PROP_0,
  PROP_FEED_ID,
  PROP_FRAMES_DECODED,
  PROP_AUDIO_BUFFERS,
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
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_decodebin_pad_added), self);
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
   * which Janus forwards to the publisher. */
  if (pad != NULL)
    gst_pad_send_event (pad, gst_video_event_new_upstream_force_key_unit (GST_CLOCK_TIME_NONE,
                                                                          TRUE, 0));
}

void
cohort_subscriber_stop (CohortSubscriber *self)
{
  g_return_if_fail (COHORT_IS_SUBSCRIBER (self));

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

  if (!cohort_webrtc_configure_ice (self->webrtc, ice_addresses, error))
    return NULL;

  g_signal_connect (self->webrtc, "on-new-transceiver", G_CALLBACK (cohort_webrtc_on_new_transceiver), NULL);
  g_signal_connect (self->webrtc, "pad-added", G_CALLBACK (on_webrtc_pad_added), self);
  cohort_webrtc_forward_ice (self->webrtc, self->context, self, subscriber_failed_from_thread);

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);

  return g_steal_pointer (&self);
}

static void
cohort_subscriber_dispose (GObject *object)
{
  CohortSubscriber *self = COHORT_SUBSCRIBER (object);

  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
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
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->lock);
}

GstElement *
cohort_subscriber_get_webrtcbin (CohortSubscriber *self)
{
  g_return_val_if_fail (COHORT_IS_SUBSCRIBER (self), NULL);

  return self->webrtc;
}

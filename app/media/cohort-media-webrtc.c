/* cohort-media-webrtc.c: what the publisher and the subscriber share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-webrtc"

#include "config.h"

#include <gio/gio.h>
#include <nice/agent.h>

#include "cohort-media-webrtc.h"

gboolean
cohort_webrtc_configure_ice (GstElement         *webrtcbin,
                             const char * const *local_addresses,
                             GError            **error)
{
  g_autoptr(GObject) ice = NULL;
  g_autoptr(GObject) agent = NULL;

  g_object_get (webrtcbin, "ice-agent", &ice, NULL);
  if (ice == NULL)
    {
      g_set_error_literal (error, GST_CORE_ERROR, GST_CORE_ERROR_FAILED, "webrtcbin has no ICE agent");
      return FALSE;
    }

  /* ice-tcp is a property of the agent object in 1.22, not of webrtcbin. */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "ice-tcp") != NULL)
    g_object_set (ice, "ice-tcp", FALSE, NULL);

  /* "agent" is specific to the libnice implementation (GstWebRTCNice). */
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (ice), "agent") == NULL)
    {
      if (local_addresses == NULL || local_addresses[0] == NULL)
        return TRUE;
      g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NOT_IMPLEMENTED,
                   "The ICE agent %s cannot be limited to local addresses",
                   G_OBJECT_TYPE_NAME (ice));
      return FALSE;
    }

  g_object_get (ice, "agent", &agent, NULL);

  /* Debian's libnice does UPnP discovery by default: SSDP multicast on
   * every interface and about a second more gathering. Never wanted. */
  g_object_set (agent, "upnp", FALSE, NULL);

  for (guint i = 0; local_addresses != NULL && local_addresses[i] != NULL; i++)
    {
      NiceAddress addr;

      nice_address_init (&addr);
      if (!nice_address_set_from_string (&addr, local_addresses[i]))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "“%s” is not an IP address", local_addresses[i]);
          return FALSE;
        }
      /* Once one local address is added, libnice gathers only on those. */
      nice_agent_add_local_address (NICE_AGENT (agent), &addr);
    }

  return TRUE;
}

void
cohort_webrtc_on_new_transceiver (GstElement              *webrtcbin,
                                  GstWebRTCRTPTransceiver *transceiver,
                                  gpointer                 direction)
{
  g_object_set (transceiver, "do-nack", TRUE, NULL);
  if (GPOINTER_TO_INT (direction) != 0)
    g_object_set (transceiver, "direction", GPOINTER_TO_INT (direction), NULL);
}

/* What a call's first subscriber and publisher load. */
static const char * const warm_features[] = {
  "webrtcbin", "nicesrc", "nicesink", "dtlssrtpdec", "dtlssrtpenc", "srtpdec", "srtpenc",
  "rtpbin", "rtpjitterbuffer", "rtpvp8depay", "rtpopusdepay", "decodebin", "vp8dec", "opusdec",
  "videoconvert", "videoscale", "audioconvert", "audioresample", "queue", "appsink",
  "vp8enc", "rtpvp8pay", "opusenc", "rtpopuspay",
};

static gpointer
warm_up_thread (gpointer data)
{
  GstElement *dtls;

  /* The first DTLS element of a process makes the certificate every
   * connection of the process shares: an RSA key, 0.1 to 0.6 s of CPU on
   * a busy machine, which a cold join otherwise spends between the
   * media server's offer and our answer. dtlsdec keeps it. */
  dtls = gst_element_factory_make ("dtlsdec", NULL);
  if (dtls != NULL)
    gst_object_unref (gst_object_ref_sink (dtls));

  for (guint i = 0; i < G_N_ELEMENTS (warm_features); i++)
    {
      g_autoptr(GstPluginFeature) feature = gst_registry_lookup_feature (gst_registry_get (), warm_features[i]);
      g_autoptr(GstPluginFeature) loaded = feature != NULL ? gst_plugin_feature_load (feature) : NULL;
    }

  return NULL;
}

void
cohort_webrtc_warm_up (void)
{
  static gsize started = 0;

  if (g_once_init_enter (&started))
    {
      gst_init (NULL, NULL);
      g_thread_unref (g_thread_new ("cohort-warm-up", warm_up_thread, NULL));
      g_once_init_leave (&started, 1);
    }
}

void
cohort_webrtc_sdp_set_dtls_setup (GstSDPMessage *sdp,
                                  const char    *setup)
{
  for (guint i = 0; i < gst_sdp_message_medias_len (sdp); i++)
    {
      GstSDPMedia *media = (GstSDPMedia *) gst_sdp_message_get_media (sdp, i);

      for (guint j = 0; j < gst_sdp_media_attributes_len (media); j++)
        {
          const GstSDPAttribute *attr = gst_sdp_media_get_attribute (media, j);

          if (g_strcmp0 (attr->key, "setup") == 0)
            {
              GstSDPAttribute replacement;

              gst_sdp_attribute_set (&replacement, "setup", setup);
              gst_sdp_media_replace_attribute (media, j, &replacement);
            }
        }
    }
}

typedef struct
{
  GObject        *object;
  void          (*func) (gpointer object, gpointer data);
  gpointer        data;
  GDestroyNotify  destroy;
} Invocation;

static gboolean
invocation_run (gpointer user_data)
{
  Invocation *inv = user_data;

  inv->func (inv->object, inv->data);
  return G_SOURCE_REMOVE;
}

static void
invocation_free (gpointer user_data)
{
  Invocation *inv = user_data;

  if (inv->destroy != NULL)
    inv->destroy (inv->data);
  g_object_unref (inv->object);
  g_free (inv);
}

void
cohort_webrtc_invoke (GMainContext   *context,
                      gpointer        object,
                      void          (*func) (gpointer object, gpointer data),
                      gpointer        data,
                      GDestroyNotify  destroy)
{
  Invocation *inv = g_new0 (Invocation, 1);

  inv->object = g_object_ref (object);
  inv->func = func;
  inv->data = data;
  inv->destroy = destroy;
  g_main_context_invoke_full (context, G_PRIORITY_DEFAULT, invocation_run, inv, invocation_free);
}

typedef struct
{
  GMainContext           *context;
  gpointer                owner;
  CohortWebrtcFailedFunc  on_failed;
} IceForward;

typedef struct
{
  guint  mline;
  char  *candidate;
} Candidate;

static void
candidate_free (gpointer data)
{
  Candidate *c = data;

  g_free (c->candidate);
  g_free (c);
}

static void
emit_candidate_cb (gpointer object,
                   gpointer data)
{
  Candidate *c = data;

  g_signal_emit_by_name (object, "ice-candidate", c->mline, c->candidate);
}

static void
on_ice_candidate (GstElement *webrtcbin,
                  guint       mline_index,
                  const char *candidate,
                  gpointer    user_data)
{
  IceForward *forward = user_data;
  Candidate *c;

  if (candidate == NULL || candidate[0] == '\0')
    return;

  c = g_new0 (Candidate, 1);
  c->mline = mline_index;
  c->candidate = g_strdup (candidate);
  cohort_webrtc_invoke (forward->context, forward->owner, emit_candidate_cb, c, candidate_free);
}

static void
emit_gathering_done_cb (gpointer object,
                        gpointer data)
{
  g_signal_emit_by_name (object, "ice-gathering-done");
}

static void
on_ice_gathering_state (GstElement *webrtcbin,
                        GParamSpec *pspec,
                        gpointer    user_data)
{
  IceForward *forward = user_data;
  GstWebRTCICEGatheringState state;

  g_object_get (webrtcbin, "ice-gathering-state", &state, NULL);
  if (state == GST_WEBRTC_ICE_GATHERING_STATE_COMPLETE)
    cohort_webrtc_invoke (forward->context, forward->owner, emit_gathering_done_cb, NULL, NULL);
}

static void
on_ice_connection_state (GstElement *webrtcbin,
                         GParamSpec *pspec,
                         gpointer    user_data)
{
  IceForward *forward = user_data;
  GstWebRTCICEConnectionState state;

  g_object_get (webrtcbin, "ice-connection-state", &state, NULL);
  g_debug ("%p: ICE connection state %d", forward->owner, state);
  if (state == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED)
    forward->on_failed (forward->owner, "The network path to the media server failed");
}

void
cohort_webrtc_forward_ice (GstElement             *webrtcbin,
                           GMainContext           *context,
                           gpointer                owner,
                           CohortWebrtcFailedFunc  on_failed)
{
  IceForward *forward = g_new0 (IceForward, 1);

  forward->context = context;
  forward->owner = owner;
  forward->on_failed = on_failed;
  /* Lives as long as the webrtcbin whose handlers use it. */
  g_object_set_data_full (G_OBJECT (webrtcbin), "cohort-ice-forward", forward, g_free);

  g_signal_connect (webrtcbin, "on-ice-candidate", G_CALLBACK (on_ice_candidate), forward);
  g_signal_connect (webrtcbin, "notify::ice-gathering-state",
                    G_CALLBACK (on_ice_gathering_state), forward);
  g_signal_connect (webrtcbin, "notify::ice-connection-state",
                    G_CALLBACK (on_ice_connection_state), forward);
}

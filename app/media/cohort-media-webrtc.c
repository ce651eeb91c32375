/* cohort-media-webrtc.c: what the publisher and the subscriber share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-webrtc"

#include "config.h"

#include <string.h>

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

/* One receiver report per remote source (see the header for why). RTCP is
 * read and written here as bytes (RFC 3550 §6.4.2, RFC 4585 §6.1): what
 * this does not understand is sent on as it came. */

#define RTCP_PT_SR     200
#define RTCP_PT_RR     201
#define RTCP_PT_SDES   202
#define RTCP_PT_RTPFB  205
#define RTCP_PT_PSFB   206
#define RTCP_PSFB_FIR  4
#define RTCP_RB_SIZE   24
/* 1 ms and a little more, in the 1/65536 s of a report block's DLSR. */
#define RTCP_DLSR_BIAS 70
/* Remote sources that one compound packet may be split for. */
#define RTCP_MAX_SPLIT 8

typedef struct
{
  const guint8 *data;
  gsize         size;
} RtcpChunk;

typedef struct
{
  guint32       ssrc;
  const guint8 *block;   /* 24 bytes; NULL: an empty block for @ssrc */
} RtcpTarget;

/* The source a feedback packet is about. A FIR names it in its FCI: the
 * header's media SSRC is 0 (RFC 5104 §4.3.1), which Janus cannot file,
 * so the keyframe request was dropped. */
static guint32
rtcp_feedback_source (const RtcpChunk *feedback)
{
  if (feedback->data[1] == RTCP_PT_PSFB && (feedback->data[0] & 0x1f) == RTCP_PSFB_FIR)
    return GST_READ_UINT32_BE (feedback->data + 12);
  return GST_READ_UINT32_BE (feedback->data + 8);
}

static gboolean
rtcp_target_add (RtcpTarget   *targets,
                 guint        *n_targets,
                 guint32       ssrc,
                 const guint8 *block)
{
  for (guint i = 0; i < *n_targets; i++)
    if (targets[i].ssrc == ssrc)
      return TRUE;
  if (*n_targets == RTCP_MAX_SPLIT)
    return FALSE;
  targets[*n_targets].ssrc = ssrc;
  targets[*n_targets].block = block;
  (*n_targets)++;
  return TRUE;
}

/* The time since @target's last sender report, for its block: Janus
 * measures the round trip from it. Left alone when the block has one
 * (rtpsession's own) or when none is known. */
static void
rtcp_block_fill_sr (guint8                       *block,
                    guint32                       ssrc,
                    const CohortRtcpSenderReport *srs,
                    guint                         n_srs,
                    gint64                        now_us)
{
  guint64 dlsr;

  if (GST_READ_UINT32_BE (block + 16) != 0)
    return;
  for (guint i = 0; i < n_srs; i++)
    if (srs[i].ssrc == ssrc && srs[i].lsr != 0 && now_us >= srs[i].arrival_us)
      {
        dlsr = (guint64) (now_us - srs[i].arrival_us) * 65536 / G_USEC_PER_SEC;
        /* Older than a DLSR can say (18 h): no figure rather than a wrong one. */
        if (dlsr > G_MAXUINT32)
          return;
        GST_WRITE_UINT32_BE (block + 16, srs[i].lsr);
        GST_WRITE_UINT32_BE (block + 20, (guint32) dlsr);
        return;
      }
}

static GstBuffer *
rtcp_compound_for (guint32                       sender_ssrc,
                   const RtcpTarget             *target,
                   const CohortRtcpSenderReport *srs,
                   guint                         n_srs,
                   gint64                        now_us,
                   const RtcpChunk  *sdes,
                   const RtcpChunk  *feedback,
                   guint             n_feedback,
                   const RtcpChunk  *others,
                   guint             n_others)
{
  g_autoptr(GByteArray) out = g_byte_array_sized_new (64);
  guint8 rr[8 + RTCP_RB_SIZE] = { 0x81, RTCP_PT_RR, 0, 7 };
  guint8 *data;
  gsize length;

  GST_WRITE_UINT32_BE (rr + 4, sender_ssrc);
  if (target->block != NULL)
    {
      guint8 *block = rr + 8;
      guint32 dlsr;

      memcpy (block, target->block, RTCP_RB_SIZE);
      rtcp_block_fill_sr (block, target->ssrc, srs, n_srs, now_us);
      /* Janus takes the round trip in whole milliseconds, and one under a
       * millisecond (a LAN) as no measurement at all: its retransmission
       * buffer then stays at 0 ms and no loss is ever repaired. Reporting
       * the time since the sender report 1 ms short adds 1 ms to the
       * round trip it measures, which matters to nothing else. */
      dlsr = GST_READ_UINT32_BE (block + 20);
      if (GST_READ_UINT32_BE (block + 16) != 0 && dlsr > RTCP_DLSR_BIAS)
        GST_WRITE_UINT32_BE (block + 20, dlsr - RTCP_DLSR_BIAS);
    }
  else
    {
      guint8 *block = rr + 8;
      guint32 dlsr;

      /* No report in this packet (an early feedback packet): an empty
       * block still files the feedback under the right medium, and with
       * the last sender report's time gives Janus a round trip. */
      GST_WRITE_UINT32_BE (block, target->ssrc);
      rtcp_block_fill_sr (block, target->ssrc, srs, n_srs, now_us);
      dlsr = GST_READ_UINT32_BE (block + 20);
      if (GST_READ_UINT32_BE (block + 16) != 0)
        GST_WRITE_UINT32_BE (block + 20, dlsr > RTCP_DLSR_BIAS ? dlsr - RTCP_DLSR_BIAS : 0);
    }
  g_byte_array_append (out, rr, sizeof rr);

  if (sdes->data != NULL)
    g_byte_array_append (out, sdes->data, sdes->size);
  for (guint i = 0; i < n_feedback; i++)
    if (rtcp_feedback_source (&feedback[i]) == target->ssrc)
      g_byte_array_append (out, feedback[i].data, feedback[i].size);
  for (guint i = 0; i < n_others; i++)
    g_byte_array_append (out, others[i].data, others[i].size);

  data = g_byte_array_steal (out, &length);
  return gst_buffer_new_wrapped (data, length);
}

/* Fills @targets with the remote sources the compound packet in @data
 * reports on or sends feedback about; FALSE when it should go as it is. */
static gboolean
rtcp_parse_compound (const guint8 *data,
                     gsize         size,
                     guint32      *sender_ssrc,
                     RtcpTarget   *targets,
                     guint        *n_targets,
                     RtcpChunk    *sdes,
                     RtcpChunk    *feedback,
                     guint        *n_feedback,
                     RtcpChunk    *others,
                     guint        *n_others)
{
  gboolean have_rr = FALSE;

  for (gsize offset = 0; offset < size;)
    {
      const guint8 *packet = data + offset;
      gsize length;
      guint count;

      if (size - offset < 4 || (packet[0] >> 6) != 2 || (packet[0] & 0x20) != 0)
        return FALSE;
      length = (GST_READ_UINT16_BE (packet + 2) + 1) * 4;
      if (length > size - offset)
        return FALSE;
      count = packet[0] & 0x1f;
      offset += length;

      switch (packet[1])
        {
        case RTCP_PT_RR:
          if (have_rr || length < 8 + count * RTCP_RB_SIZE)
            return FALSE;
          have_rr = TRUE;
          *sender_ssrc = GST_READ_UINT32_BE (packet + 4);
          for (guint i = 0; i < count; i++)
            {
              const guint8 *block = packet + 8 + i * RTCP_RB_SIZE;

              if (!rtcp_target_add (targets, n_targets, GST_READ_UINT32_BE (block), block))
                return FALSE;
            }
          break;
        case RTCP_PT_SDES:
          if (sdes->data != NULL)
            return FALSE;
          sdes->data = packet;
          sdes->size = length;
          break;
        case RTCP_PT_RTPFB:
        case RTCP_PT_PSFB:
          if (length < 12 || *n_feedback == RTCP_MAX_SPLIT * 2 ||
              (packet[1] == RTCP_PT_PSFB && count == RTCP_PSFB_FIR && length < 20))
            return FALSE;
          feedback[(*n_feedback)++] = (RtcpChunk) { packet, length };
          break;
        case RTCP_PT_SR:
          /* A sending session: its report blocks are not what Janus
           * lacks (it takes RTT from receiver reports only). */
          return FALSE;
        default:
          if (*n_others == RTCP_MAX_SPLIT)
            return FALSE;
          others[(*n_others)++] = (RtcpChunk) { packet, length };
        }
    }

  if (!have_rr)
    return FALSE;
  for (guint i = 0; i < *n_feedback; i++)
    if (!rtcp_target_add (targets, n_targets, rtcp_feedback_source (&feedback[i]), NULL))
      return FALSE;

  /* Janus files feedback by the first report block's source, or (with no
   * block) by a NACK's media source but never a PLI's. A single report
   * is rewritten too, for its DLSR (rtcp_compound_for). */
  return *n_targets > 0;
}

static gboolean
rtcp_has_feedback_for (const RtcpChunk *feedback,
                       guint            n_feedback,
                       guint32          ssrc)
{
  for (guint i = 0; i < n_feedback; i++)
    if (rtcp_feedback_source (&feedback[i]) == ssrc)
      return TRUE;
  return FALSE;
}

GPtrArray *
cohort_webrtc_split_rtcp (GstBuffer *compound)
{
  return cohort_webrtc_split_rtcp_at (compound, NULL, 0, 0);
}

GPtrArray *
cohort_webrtc_split_rtcp_at (GstBuffer                    *compound,
                             const CohortRtcpSenderReport *srs,
                             guint                         n_srs,
                             gint64                        now_us)
{
  RtcpTarget targets[RTCP_MAX_SPLIT];
  RtcpChunk feedback[RTCP_MAX_SPLIT * 2], others[RTCP_MAX_SPLIT], sdes = { NULL, 0 };
  guint n_targets = 0, n_feedback = 0, n_others = 0;
  g_autoptr(GPtrArray) parts = NULL;
  guint32 sender_ssrc = 0;
  GstMapInfo map;

  if (!gst_buffer_map (compound, &map, GST_MAP_READ))
    return NULL;
  if (rtcp_parse_compound (map.data, map.size, &sender_ssrc, targets, &n_targets, &sdes,
                           feedback, &n_feedback, others, &n_others))
    {
      parts = g_ptr_array_new_with_free_func ((GDestroyNotify) gst_buffer_unref);
      /* The parts with feedback first: a NACK is urgent, a report is not. */
      for (guint pass = 0; pass < 2; pass++)
        for (guint i = 0; i < n_targets; i++)
          if ((pass == 0) == rtcp_has_feedback_for (feedback, n_feedback, targets[i].ssrc))
            {
              GstBuffer *part = rtcp_compound_for (sender_ssrc, &targets[i], srs, n_srs, now_us,
                                                   &sdes, feedback, n_feedback,
                                                   others, i == 0 ? n_others : 0);

              gst_buffer_copy_into (part, compound, GST_BUFFER_COPY_METADATA, 0, -1);
              g_ptr_array_add (parts, part);
            }
    }
  gst_buffer_unmap (compound, &map);

  return g_steal_pointer (&parts);
}

guint
cohort_webrtc_note_sender_reports (GstBuffer              *compound,
                                   CohortRtcpSenderReport *srs,
                                   guint                   n_srs,
                                   guint                   max_srs,
                                   gint64                  arrival_us)
{
  GstMapInfo map;

  if (!gst_buffer_map (compound, &map, GST_MAP_READ))
    return n_srs;
  for (gsize offset = 0; offset + 4 <= map.size;)
    {
      const guint8 *packet = map.data + offset;
      gsize length = (GST_READ_UINT16_BE (packet + 2) + 1) * 4;
      guint32 ssrc, lsr;
      guint i;

      if ((packet[0] >> 6) != 2 || length > map.size - offset)
        break;
      offset += length;
      if (packet[1] != RTCP_PT_SR || length < 28)
        continue;

      ssrc = GST_READ_UINT32_BE (packet + 4);
      lsr = (GST_READ_UINT32_BE (packet + 8) << 16) | (GST_READ_UINT32_BE (packet + 12) >> 16);
      for (i = 0; i < n_srs && srs[i].ssrc != ssrc; i++)
        ;
      if (i == n_srs)
        {
          if (n_srs == max_srs)
            continue;
          n_srs++;
        }
      srs[i] = (CohortRtcpSenderReport) { ssrc, lsr, arrival_us };
    }
  gst_buffer_unmap (compound, &map);

  return n_srs;
}

/* The sender reports one rtpbin received, for its outgoing reports. */
typedef struct
{
  GMutex                 lock;
  guint                  n_srs;
  CohortRtcpSenderReport srs[RTCP_MAX_SPLIT];
} RtcpSenderReports;

static void
rtcp_sender_reports_free (gpointer data)
{
  RtcpSenderReports *reports = data;

  g_mutex_clear (&reports->lock);
  g_free (reports);
}

static RtcpSenderReports *
rtcp_sender_reports_for (GstElement *rtpbin)
{
  static GMutex create_lock;
  RtcpSenderReports *reports;

  g_mutex_lock (&create_lock);
  reports = g_object_get_data (G_OBJECT (rtpbin), "cohort-rtcp-sender-reports");
  if (reports == NULL)
    {
      reports = g_new0 (RtcpSenderReports, 1);
      g_mutex_init (&reports->lock);
      g_object_set_data_full (G_OBJECT (rtpbin), "cohort-rtcp-sender-reports", reports,
                              rtcp_sender_reports_free);
    }
  g_mutex_unlock (&create_lock);

  return reports;
}

static GstPadProbeReturn
on_rtcp_in (GstPad          *pad,
            GstPadProbeInfo *info,
            gpointer         user_data)
{
  RtcpSenderReports *reports = user_data;

  g_mutex_lock (&reports->lock);
  reports->n_srs = cohort_webrtc_note_sender_reports (GST_PAD_PROBE_INFO_BUFFER (info), reports->srs,
                                                      reports->n_srs, G_N_ELEMENTS (reports->srs),
                                                      g_get_monotonic_time ());
  g_mutex_unlock (&reports->lock);

  return GST_PAD_PROBE_OK;
}

static GQuark
rtcp_rewritten_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("cohort-rtcp-rewritten");
  return quark;
}

static GstPadProbeReturn
on_rtcp_out (GstPad          *pad,
             GstPadProbeInfo *info,
             gpointer         user_data)
{
  RtcpSenderReports *reports = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  CohortRtcpSenderReport srs[RTCP_MAX_SPLIT];
  g_autoptr(GPtrArray) parts = NULL;
  guint n_srs;

  if (gst_mini_object_get_qdata (GST_MINI_OBJECT (buffer), rtcp_rewritten_quark ()) != NULL)
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&reports->lock);
  n_srs = reports->n_srs;
  memcpy (srs, reports->srs, n_srs * sizeof srs[0]);
  g_mutex_unlock (&reports->lock);
  parts = cohort_webrtc_split_rtcp_at (buffer, srs, n_srs, g_get_monotonic_time ());
  if (parts == NULL)
    return GST_PAD_PROBE_OK;

  /* The parts come back through this probe: marked, they pass. */
  for (guint i = 0; i < parts->len; i++)
    {
      GstBuffer *part = gst_buffer_ref (g_ptr_array_index (parts, i));

      gst_mini_object_set_qdata (GST_MINI_OBJECT (part), rtcp_rewritten_quark (), GINT_TO_POINTER (TRUE), NULL);
      gst_pad_push (pad, part);
    }

  return GST_PAD_PROBE_DROP;
}

static void
probe_rtcp_pad (GstElement *rtpbin,
                GstPad     *pad,
                gpointer    user_data)
{
  g_autofree char *name = gst_pad_get_name (pad);

  /* The sender reports come in decrypted through recv_rtcp_sink. */
  if (GST_PAD_IS_SRC (pad) && g_str_has_prefix (name, "send_rtcp_src_"))
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_rtcp_out, rtcp_sender_reports_for (rtpbin), NULL);
  else if (GST_PAD_IS_SINK (pad) && g_str_has_prefix (name, "recv_rtcp_sink_"))
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_rtcp_in, rtcp_sender_reports_for (rtpbin), NULL);
}

static gboolean
probe_existing_rtcp_pad (GstElement *rtpbin,
                         GstPad     *pad,
                         gpointer    user_data)
{
  probe_rtcp_pad (rtpbin, pad, user_data);
  return TRUE;
}

void
cohort_webrtc_split_bundled_reports (GstElement *webrtcbin)
{
  g_autoptr(GstIterator) it = gst_bin_iterate_elements (GST_BIN (webrtcbin));
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElement *child = g_value_get_object (&item);
      GstElementFactory *factory = gst_element_get_factory (child);

      if (factory != NULL && g_str_equal (GST_OBJECT_NAME (factory), "rtpbin"))
        {
          /* webrtcbin asks rtpbin for its RTCP pads while it negotiates. */
          g_signal_connect (child, "pad-added", G_CALLBACK (probe_rtcp_pad), NULL);
          gst_element_foreach_pad (child, probe_existing_rtcp_pad, NULL);
        }
      g_value_reset (&item);
    }
  g_value_unset (&item);
}

/* Receiver reports often */

static void
set_report_interval (GstElement *element,
                     guint64     interval_ns)
{
  GstElementFactory *factory = gst_element_get_factory (element);

  if (factory != NULL && g_str_equal (GST_OBJECT_NAME (factory), "rtpsession"))
    g_object_set (element, "rtcp-min-interval", interval_ns, NULL);
}

static void
on_rtpbin_element_added (GstBin     *rtpbin,
                         GstElement *element,
                         gpointer    user_data)
{
  set_report_interval (element, GPOINTER_TO_SIZE (user_data) * GST_MSECOND);
}

void
cohort_webrtc_report_often (GstElement *webrtcbin,
                            guint       interval_ms)
{
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (webrtcbin));
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElement *child = g_value_get_object (&item);
      GstElementFactory *factory = gst_element_get_factory (child);

      if (factory != NULL && g_str_equal (GST_OBJECT_NAME (factory), "rtpbin"))
        /* rtpbin makes its session when webrtcbin negotiates. */
        g_signal_connect (child, "element-added", G_CALLBACK (on_rtpbin_element_added),
                          GSIZE_TO_POINTER (interval_ms));
      set_report_interval (child, (guint64) interval_ms * GST_MSECOND);
      g_value_reset (&item);
    }
  g_value_unset (&item);
}

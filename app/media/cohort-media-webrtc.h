/* cohort-media-webrtc.h: what the publisher and the subscriber share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#ifndef GST_USE_UNSTABLE_API
#define GST_USE_UNSTABLE_API 1
#endif
#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#include <gst/webrtc/webrtc.h>

G_BEGIN_DECLS

/* Turns ICE-TCP and libnice's UPnP off and, when @local_addresses is
 * non-empty, lets ICE gather host candidates on those addresses only.
 * Call before the first gathering. */
gboolean cohort_webrtc_configure_ice       (GstElement              *webrtcbin,
                                            const char * const      *local_addresses,
                                            GError                 **error);
/* "on-new-transceiver" handler: NACK/RTX on, and the direction given as
 * GINT_TO_POINTER (GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_*) (0 keeps it). */
void     cohort_webrtc_on_new_transceiver  (GstElement              *webrtcbin,
                                            GstWebRTCRTPTransceiver *transceiver,
                                            gpointer                 direction);
/* Once per process, initialises GStreamer and, on a thread of its own,
 * makes the process's DTLS certificate and loads the plugins a call
 * needs, so that a first join does not wait for them. Call it early (the
 * application does at startup); later calls return at once. */
void     cohort_webrtc_warm_up             (void);
/* Rewrites every m-section's a=setup (the DTLS role). */
void     cohort_webrtc_sdp_set_dtls_setup  (GstSDPMessage           *sdp,
                                            const char              *setup);
/* Calls @func (@object, @data) on @context, holding a ref on @object;
 * @destroy frees @data afterwards. For webrtcbin and streaming threads. */
void     cohort_webrtc_invoke              (GMainContext            *context,
                                            gpointer                 object,
                                            void                   (*func) (gpointer object,
                                                                            gpointer data),
                                            gpointer                 data,
                                            GDestroyNotify           destroy);

/* Makes @webrtcbin send one RTCP compound packet per remote source
 * instead of one receiver report whose blocks cover every bundled source.
 * Janus (1.1) reads only the first report block of a receiver report, and
 * files the whole compound packet, with its NACKs and PLIs, under the
 * medium of that block's SSRC: with audio first, the video got no RTT, so
 * no retransmission buffer (nack-queue-ms 0), and its NACKs and PLIs went
 * to the audio medium, which ignores them. Call before negotiation. */
void     cohort_webrtc_split_bundled_reports (GstElement            *webrtcbin);
/* Makes @webrtcbin's RTP session send its regular receiver reports every
 * @interval_ms instead of every 5 s (rtpsession's minimum, for
 * multicast). Janus sizes its retransmission buffer from the round trip it
 * reads in them and keeps nothing until it has one: with the first report
 * 2.5 s after the start and the next 5 s later (one lost at 5 % loss
 * makes that 10 s), the first seconds of a subscription had no
 * retransmission at all. Call before negotiation. */
void     cohort_webrtc_report_often        (GstElement              *webrtcbin,
                                            guint                    interval_ms);
/* The rewrite itself: the parts of @compound, in sending order (those
 * with feedback first), or NULL when it goes as it is. Each report's
 * DLSR is 1 ms short: Janus takes a round trip under 1 ms for none. */
GPtrArray *cohort_webrtc_split_rtcp        (GstBuffer               *compound);

/* The last sender report received from a remote source, and when. */
typedef struct
{
  guint32 ssrc;
  guint32 lsr;         /* the middle 32 bits of its NTP time */
  gint64  arrival_us;  /* monotonic */
} CohortRtcpSenderReport;

/* The same rewrite, at @now_us, knowing the sender reports in @srs: a
 * report block without the last sender report's time (rtpsession leaves
 * every block out of its early feedback packets, and while NACKs flow
 * sends nothing else; the split gives such a part an empty block) gets
 * it, with its delay since, so that each part gives Janus a round trip. */
GPtrArray *cohort_webrtc_split_rtcp_at     (GstBuffer                    *compound,
                                            const CohortRtcpSenderReport *srs,
                                            guint                         n_srs,
                                            gint64                        now_us);
/* Reads the sender report in @compound (received RTCP) into @srs, which
 * holds @n_srs of @max_srs; returns how many it holds then. */
guint      cohort_webrtc_note_sender_reports (GstBuffer                  *compound,
                                              CohortRtcpSenderReport     *srs,
                                              guint                       n_srs,
                                              guint                       max_srs,
                                              gint64                      arrival_us);

/* Called on webrtcbin's thread: the owner hops to its context itself. */
typedef void (*CohortWebrtcFailedFunc) (gpointer    owner,
                                        const char *message);

/* Re-emits @webrtcbin's ICE candidates as @owner's "ice-candidate" (guint
 * mline, const char *candidate) and the end of gathering as its
 * "ice-gathering-done", on @context; an ICE failure calls @on_failed. */
void     cohort_webrtc_forward_ice         (GstElement              *webrtcbin,
                                            GMainContext            *context,
                                            gpointer                 owner,
                                            CohortWebrtcFailedFunc   on_failed);

G_END_DECLS

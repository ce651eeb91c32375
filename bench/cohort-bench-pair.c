/* cohort-bench-pair.c: two webrtcbins of this process connected to each other
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-bench-pair.h"

struct _CohortBenchPair
{
  GstElement *send;
  GstElement *recv;
};

static void
on_candidate (GstElement      *webrtc,
              guint            mline,
              const char      *candidate,
              CohortBenchPair *pair)
{
  g_signal_emit_by_name (webrtc == pair->send ? pair->recv : pair->send, "add-ice-candidate", mline, candidate);
}

static void
on_answer (GstPromise *promise,
           gpointer    user_data)
{
  CohortBenchPair *pair = user_data;
  GstWebRTCSessionDescription *answer = NULL;

  gst_structure_get (gst_promise_get_reply (promise), "answer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &answer, NULL);
  gst_promise_unref (promise);
  g_signal_emit_by_name (pair->recv, "set-local-description", answer, NULL);
  g_signal_emit_by_name (pair->send, "set-remote-description", answer, NULL);
  gst_webrtc_session_description_free (answer);
}

static void
on_offer (GstPromise *promise,
          gpointer    user_data)
{
  CohortBenchPair *pair = user_data;
  GstWebRTCSessionDescription *offer = NULL;

  gst_structure_get (gst_promise_get_reply (promise), "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, NULL);
  gst_promise_unref (promise);
  g_signal_emit_by_name (pair->send, "set-local-description", offer, NULL);
  g_signal_emit_by_name (pair->recv, "set-remote-description", offer, NULL);
  gst_webrtc_session_description_free (offer);
  g_signal_emit_by_name (pair->recv, "create-answer", NULL, gst_promise_new_with_change_func (on_answer, pair, NULL));
}

static void
on_negotiation_needed (GstElement      *webrtc,
                       CohortBenchPair *pair)
{
  g_signal_emit_by_name (webrtc, "create-offer", NULL, gst_promise_new_with_change_func (on_offer, pair, NULL));
}

CohortBenchPair *
cohort_bench_pair_connect (GstElement *send,
                           GstElement *recv)
{
  CohortBenchPair *pair = g_new0 (CohortBenchPair, 1);

  pair->send = gst_object_ref (send);
  pair->recv = gst_object_ref (recv);
  g_signal_connect (send, "on-negotiation-needed", G_CALLBACK (on_negotiation_needed), pair);
  g_signal_connect (send, "on-ice-candidate", G_CALLBACK (on_candidate), pair);
  g_signal_connect (recv, "on-ice-candidate", G_CALLBACK (on_candidate), pair);
  return pair;
}

/* Call with both pipelines stopped. */
void
cohort_bench_pair_free (CohortBenchPair *pair)
{
  g_signal_handlers_disconnect_by_data (pair->send, pair);
  g_signal_handlers_disconnect_by_data (pair->recv, pair);
  gst_object_unref (pair->send);
  gst_object_unref (pair->recv);
  g_free (pair);
}

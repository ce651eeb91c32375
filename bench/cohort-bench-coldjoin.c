/* cohort-bench-coldjoin.c: a join measured as a student experiences it
 *
 * A fresh process per join: dynamic linking, gst_init (the plugin
 * registry), the WebSocket, class.join, media.state and media.subscribe,
 * the answer (where webrtcbin's first DTLS element makes the process's
 * certificate), ICE, DTLS, the first RTP packet and the first decoded
 * frame. Like the app, it starts cohort_webrtc_warm_up() first thing
 * (CohortApplication does at startup). The marks come from signals the app's code already emits
 * (GSocketClient::event, GstBin::element-added, webrtcbin's state
 * properties), so nothing in app/ is instrumented for the benchmark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <gio/gio.h>
#include <gst/app/app.h>
#include <gst/webrtc/webrtc.h>
#include <json-glib/json-glib.h>

#include "cohort-bench-coldjoin.h"
#include "cohort-bench-stats.h"
#include "cohort-media-call.h"
#include "cohort-media-webrtc.h"
#include "cohort-session.h"

#define COLD_TIMEOUT_MS 10000

typedef enum
{
  MARK_MAIN,
  MARK_GST_INIT,
  MARK_CONNECTED,
  MARK_JOINED,
  MARK_OFFER,
  MARK_ANSWER,
  MARK_ICE,
  MARK_DTLS,
  MARK_FIRST_RTP,
  MARK_FIRST_FRAME,
  N_MARKS
} Mark;

/* In the order they happen. */
static const char *mark_names[N_MARKS] = {
  "main", "gst_init", "tcp_connected", "join_reply", "subscribe_offer", "answer_set",
  "ice_connected", "dtls_connected", "first_rtp", "first_frame",
};

static gint64 marks[N_MARKS];
G_LOCK_DEFINE_STATIC (marks);

static void
mark (Mark m)
{
  gint64 now = g_get_monotonic_time ();

  G_LOCK (marks);
  if (marks[m] == 0)
    marks[m] = now;
  G_UNLOCK (marks);
}

static gboolean
on_socket_event (GSignalInvocationHint *hint,
                 guint                  n_params,
                 const GValue          *params,
                 gpointer               user_data)
{
  if (n_params >= 2 && g_value_get_enum (&params[1]) == G_SOCKET_CLIENT_CONNECTED)
    mark (MARK_CONNECTED);
  return TRUE;
}

static void
on_signaling_state (GstElement *webrtc,
                    GParamSpec *pspec,
                    gpointer    user_data)
{
  GstWebRTCSignalingState state;

  g_object_get (webrtc, "signaling-state", &state, NULL);
  /* stable → have-remote-offer → stable: the second is the answer. */
  if (state == GST_WEBRTC_SIGNALING_STATE_STABLE)
    mark (MARK_ANSWER);
}

static void
on_ice_state (GstElement *webrtc,
              GParamSpec *pspec,
              gpointer    user_data)
{
  GstWebRTCICEConnectionState state;

  g_object_get (webrtc, "ice-connection-state", &state, NULL);
  if (state == GST_WEBRTC_ICE_CONNECTION_STATE_CONNECTED || state == GST_WEBRTC_ICE_CONNECTION_STATE_COMPLETED)
    mark (MARK_ICE);
}

static void
on_connection_state (GstElement *webrtc,
                     GParamSpec *pspec,
                     gpointer    user_data)
{
  GstWebRTCPeerConnectionState state;

  /* webrtcbin's peer connection is "connected" once ICE and DTLS are. */
  g_object_get (webrtc, "connection-state", &state, NULL);
  if (state == GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED)
    mark (MARK_DTLS);
}

static void
on_pad_added (GstElement *webrtc,
              GstPad     *pad,
              gpointer    user_data)
{
  /* webrtcbin adds a source pad when the first packet of a stream is in. */
  if (GST_PAD_DIRECTION (pad) == GST_PAD_SRC)
    mark (MARK_FIRST_RTP);
}

static gboolean
on_element_added (GSignalInvocationHint *hint,
                  guint                  n_params,
                  const GValue          *params,
                  gpointer               user_data)
{
  GstElement *element = n_params >= 2 ? g_value_get_object (&params[1]) : NULL;
  GstElementFactory *factory = element != NULL ? gst_element_get_factory (element) : NULL;

  /* The call makes the subscriber's webrtcbin when the subscribe reply
   * (with Janus's offer) is in. */
  if (factory == NULL || !g_str_equal (GST_OBJECT_NAME (factory), "webrtcbin"))
    return TRUE;
  mark (MARK_OFFER);
  g_signal_connect (element, "notify::signaling-state", G_CALLBACK (on_signaling_state), NULL);
  g_signal_connect (element, "notify::ice-connection-state", G_CALLBACK (on_ice_state), NULL);
  g_signal_connect (element, "notify::connection-state", G_CALLBACK (on_connection_state), NULL);
  g_signal_connect (element, "pad-added", G_CALLBACK (on_pad_added), NULL);
  return TRUE;
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static GstFlowReturn
on_sample (GstAppSink *appsink,
           gpointer    loop)
{
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (appsink);

  if (sample == NULL)
    return GST_FLOW_EOS;
  mark (MARK_FIRST_FRAME);
  g_idle_add (quit_cb, loop);
  return GST_FLOW_OK;
}

/* What the stage's paintable has: convert to BGRA, newest frame only. */
static GstElement *
on_video_sink (CohortCall *call,
               CohortFeed *feed,
               gpointer    loop)
{
  GstAppSinkCallbacks callbacks = { .new_sample = on_sample };
  GstElement *bin = gst_parse_bin_from_description ("videoconvert ! video/x-raw,format=BGRA "
                                                    "! appsink name=sink sync=false max-buffers=1 drop=true",
                                                    TRUE, NULL);
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (bin), "sink");

  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, loop, NULL);
  return bin;
}

typedef struct
{
  GMainLoop  *loop;
  CohortCall *call;
  gboolean    failed;
} Child;

static void
on_joined (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Child *child = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_session_join_finish (COHORT_SESSION (source), result, &error))
    {
      g_printerr ("cold student: %s\n", error->message);
      child->failed = TRUE;
      g_main_loop_quit (child->loop);
      return;
    }
  mark (MARK_JOINED);
  /* Like the class window: the call is made once the join is through. */
  child->call = cohort_call_new (COHORT_SESSION (source));
  g_signal_connect (child->call, "create-video-sink", G_CALLBACK (on_video_sink), child->loop);
}

gboolean
cohort_bench_is_cold_student (int    argc,
                              char **argv)
{
  return argc == 4 && g_str_equal (argv[1], "--cold-student");
}

int
cohort_bench_cold_student (int    argc,
                           char **argv)
{
  g_autoptr(CohortSession) session = NULL;
  g_autoptr(GString) line = g_string_new ("{");
  Child child = { 0 };

  mark (MARK_MAIN);
  gst_init (NULL, NULL);
  mark (MARK_GST_INIT);
  /* What CohortApplication's startup does ($COHORT_BENCH_NO_WARM_UP=1
   * leaves it out, to compare). */
  if (g_strcmp0 (g_getenv ("COHORT_BENCH_NO_WARM_UP"), "1") != 0)
    cohort_webrtc_warm_up ();

  g_type_class_unref (g_type_class_ref (G_TYPE_SOCKET_CLIENT));
  g_signal_add_emission_hook (g_signal_lookup ("event", G_TYPE_SOCKET_CLIENT), 0,
                              on_socket_event, NULL, NULL);
  g_type_class_unref (g_type_class_ref (GST_TYPE_BIN));
  g_signal_add_emission_hook (g_signal_lookup ("element-added", GST_TYPE_BIN), 0,
                              on_element_added, NULL, NULL);

  child.loop = g_main_loop_new (NULL, FALSE);
  session = cohort_session_new ();
  cohort_session_join_async (session, argv[2], argv[3], "Cold student", NULL, NULL, on_joined, &child);
  g_timeout_add (COLD_TIMEOUT_MS, quit_cb, child.loop);
  g_main_loop_run (child.loop);

  G_LOCK (marks);
  for (guint i = 0; i < N_MARKS; i++)
    g_string_append_printf (line, "%s\"%s\": %" G_GINT64_FORMAT, i > 0 ? ", " : "", mark_names[i], marks[i]);
  G_UNLOCK (marks);
  g_string_append (line, "}");
  g_print ("%s\n", line->str);
  fflush (stdout);

  g_clear_object (&child.call);
  g_main_loop_unref (child.loop);
  return child.failed ? 1 : 0;
}

/* The parent */

void
cohort_bench_line_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  char **line = user_data;

  *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  if (*line == NULL)
    *line = g_strdup ("");
}

gboolean
cohort_bench_line_ready (gpointer data)
{
  return *(char **) data != NULL;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
wait_for (GSourceFunc func,
          gpointer    data,
          guint       timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * (gint64) 1000;
  guint ticker = g_timeout_add (50, tick, NULL);

  while (!func (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (ticker);
  return func (data);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

void
cohort_bench_cold_joins (GString    *out,
                         const char *program,
                         const char *url,
                         const char *code,
                         guint       n)
{
  g_autoptr(GArray) totals = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *steps[N_MARKS];

  for (guint m = 0; m < N_MARKS; m++)
    steps[m] = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) data = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *line = NULL;
      JsonObject *object;
      gboolean exited = FALSE;
      gint64 spawned = g_get_monotonic_time ();

      child = g_subprocess_launcher_spawn (launcher, &error, program, "--cold-student", url, code, NULL);
      if (child == NULL)
        g_error ("%s", error->message);
      data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      g_data_input_stream_read_line_async (data, G_PRIORITY_DEFAULT, NULL, cohort_bench_line_cb, &line);
      wait_for (cohort_bench_line_ready, &line, COLD_TIMEOUT_MS + 5000);
      if (line == NULL)
        g_subprocess_force_exit (child);
      while (line == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_subprocess_wait_async (child, NULL, on_exited, &exited);
      if (!wait_for (flag_set, &exited, 5000))
        g_subprocess_force_exit (child);
      while (!exited)
        g_main_context_iteration (NULL, TRUE);

      if (!json_parser_load_from_data (parser, line, -1, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        continue;
      object = json_node_get_object (json_parser_get_root (parser));
      for (guint m = 0; m < N_MARKS; m++)
        {
          gint64 at = json_object_get_int_member_with_default (object, mark_names[m], 0);
          double ms = (at - spawned) / 1000.0;

          if (at != 0)
            g_array_append_val (steps[m], ms);
          if (at != 0 && m == MARK_FIRST_FRAME)
            g_array_append_val (totals, ms);
        }
      /* Let the server and Janus end the last one's handles. */
      wait_for (never, NULL, 300);
    }

  g_string_append_printf (out, "\"cold_join_to_first_frame_ms\": {\"median\": %.1f, \"p95\": %.1f, \"n\": %u, "
                          "\"of\": %u, \"min\": %.1f, \"max\": %.1f}, \"cold_join_breakdown_ms\": {",
                          cohort_bench_quantile (totals, 0.5), cohort_bench_quantile (totals, 0.95), totals->len, n,
                          cohort_bench_quantile (totals, 0), cohort_bench_quantile (totals, 1));
  for (guint m = 0; m < N_MARKS; m++)
    {
      g_string_append_printf (out, "%s\"%s\": %.1f", m > 0 ? ", " : "", mark_names[m], cohort_bench_quantile (steps[m], 0.5));
      g_array_unref (steps[m]);
    }
  g_string_append (out, "}, ");
}

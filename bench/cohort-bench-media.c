/* cohort-bench-media.c: live media numbers, inside tests/media/netns-run.sh
 *
 * One JSON object on stdout:
 *   join_to_first_frame_ms {median, p95}: 20 students, each from its join
 *     request to its first decoded frame of the teacher's 720p30 camera;
 *   cold_join_to_first_frame_ms {median, p95}, cold_join_breakdown_ms: 17
 *     fresh student processes, each from its spawn to its first decoded
 *     frame, and the median time of each step (cohort-bench-coldjoin.c);
 *   glass_to_glass_ms {median, p95}: the teacher's frames carry their
 *     capture time as a luma barcode; a student decodes and reads it;
 *   floor_glass_to_glass_ms {median, p95}: the same through a bare pair of
 *     webrtcbins in this process (same encoder settings and receive
 *     latency), no Janus, no class server, no call engine;
 *   student_cpu_pct, student_rss_mb: a student process receiving 720p30
 *     and converting it for display (videoconvert to BGRA, like the
 *     stage's paintable sink), over 5 s;
 *   teacher_cpu_pct: this process while it publishes 720p30 (and nothing
 *     else), over the same 5 s.
 * CPU percentages are of one core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gst/app/app.h>
#include <gst/video/video.h>

#include "cohort-bench-coldjoin.h"
#include "cohort-bench-pair.h"
#include "cohort-bench-proc.h"
#include "cohort-bench-stats.h"
#include "cohort-media-rig.h"
#include "cohort-media-stamp.h"
#include "cohort-media-webrtc.h"

#define JOINS          20
#define G2G_SECONDS    6
#define CPU_SECONDS    5
#define COLD_JOINS     17

/* Latency samples */

typedef struct
{
  GMutex  lock;
  GArray *ms;      /* double */
  gint    frames;
} Latencies;

static void
latencies_add (Latencies *l,
               GstSample *sample)
{
  guint32 stamped;

  g_atomic_int_inc (&l->frames);
  if (cohort_media_stamp_read (sample, &stamped))
    {
      double d = cohort_media_stamp_age_ms (stamped);

      g_mutex_lock (&l->lock);
      g_array_append_val (l->ms, d);
      g_mutex_unlock (&l->lock);
    }
}

static GstFlowReturn
on_latency_sample (GstAppSink *appsink,
                   gpointer    user_data)
{
  GstSample *sample = gst_app_sink_pull_sample (appsink);

  if (sample == NULL)
    return GST_FLOW_EOS;
  latencies_add (user_data, sample);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static GstElement *
latency_sink (Latencies *l)
{
  GstAppSinkCallbacks callbacks = { .new_sample = on_latency_sample };
  g_autoptr(GstCaps) caps = gst_caps_from_string ("video/x-raw,format=I420");
  GstElement *sink = gst_element_factory_make ("appsink", NULL);

  g_object_set (sink, "sync", FALSE, "max-buffers", 1, "drop", TRUE, "caps", caps, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, l, NULL);
  return sink;
}

static GstElement *
on_latency_video_sink (CohortCall *call,
                       CohortFeed *feed,
                       gpointer    user_data)
{
  return latency_sink (user_data);
}

/* Waiting */

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
leave (CohortSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;

  cohort_session_leave_async (session, NULL, on_result, &result);
  cohort_media_rig_wait (result_ready, &result, 5000);
  if (result != NULL)
    cohort_session_leave_finish (session, result, NULL);
}

typedef struct
{
  CohortCall *call;
} Joiner;

static gboolean
any_frame (gpointer data)
{
  CohortCall *call = data;
  GListModel *feeds = cohort_call_get_feeds (call);

  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);

      if (cohort_rig_sink_get_first_us (cohort_rig_sink_for_feed (call, cohort_feed_get_feed_id (feed))) != 0)
        return TRUE;
    }
  return FALSE;
}

static gint64
first_frame_us (CohortCall *call)
{
  GListModel *feeds = cohort_call_get_feeds (call);

  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);
      gint64 us = cohort_rig_sink_get_first_us (cohort_rig_sink_for_feed (call, cohort_feed_get_feed_id (feed)));

      if (us != 0)
        return us;
    }
  return 0;
}

/* --student URL CODE: a student that receives and converts for display
 * until stdin closes; prints "ready" at its first frame. */

static GstFlowReturn
on_display_sample (GstAppSink *appsink,
                   gpointer    user_data)
{
  GstSample *sample = gst_app_sink_pull_sample (appsink);
  GstMapInfo map;

  if (sample == NULL)
    return GST_FLOW_EOS;
  /* Touch the frame like an upload would. */
  if (gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  if (g_atomic_int_add ((gint *) user_data, 1) == 0)
    {
      g_print ("ready\n");
      fflush (stdout);
    }
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static gint display_frames;

static GstElement *
on_display_sink (CohortCall *call,
                 CohortFeed *feed,
                 gpointer    user_data)
{
  GstAppSinkCallbacks callbacks = { .new_sample = on_display_sample };
  GstElement *bin = gst_parse_bin_from_description ("videoconvert ! video/x-raw,format=BGRA "
                                                    "! appsink name=sink sync=false max-buffers=1 drop=true",
                                                    TRUE, NULL);
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (bin), "sink");

  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, &display_frames, NULL);
  return bin;
}

static gboolean
on_stdin (GIOChannel   *channel,
          GIOCondition  condition,
          gpointer      user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static int
run_student (const char *url,
             const char *code)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(CohortCall) call = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GIOChannel) in = g_io_channel_unix_new (0);

  cohort_session_join_async (session, url, code, "CPU student", NULL, NULL, on_result, &result);
  if (!cohort_media_rig_wait (result_ready, &result, 10000) ||
      !cohort_session_join_finish (session, result, NULL))
    return 1;

  call = cohort_call_new (session);
  g_signal_connect (call, "create-video-sink", G_CALLBACK (on_display_sink), NULL);
  g_io_add_watch (in, G_IO_IN | G_IO_HUP | G_IO_ERR, on_stdin, loop);
  g_main_loop_run (loop);
  return 0;
}

/* Floor: two bare webrtcbins */

typedef struct
{
  GstElement *send;
  GstElement *recv;
  GstElement *pipeline;
  Latencies  *latencies;
} Floor;

static void
on_recv_decoded (GstElement *decodebin,
                 GstPad     *pad,
                 Floor      *floor_)
{
  g_autoptr(GstCaps) caps = gst_pad_query_caps (pad, NULL);
  GstElement *front, *sink;
  g_autoptr(GstPad) sinkpad = NULL;

  if (!g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "video/"))
    return;

  /* What the app's subscriber has in front of its sink. */
  front = gst_parse_bin_from_description ("queue max-size-buffers=1 max-size-bytes=0 max-size-time=0 "
                                          "leaky=downstream ! videoconvert", TRUE, NULL);
  sink = latency_sink (floor_->latencies);
  gst_bin_add_many (GST_BIN (floor_->pipeline), front, sink, NULL);
  gst_element_link (front, sink);
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (front);
  sinkpad = gst_element_get_static_pad (front, "sink");
  gst_pad_link (pad, sinkpad);
}

static void
on_recv_pad (GstElement *webrtc,
             GstPad     *pad,
             Floor      *floor_)
{
  GstElement *decodebin;
  g_autoptr(GstPad) sinkpad = NULL;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  decodebin = gst_element_factory_make ("decodebin", NULL);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_recv_decoded), floor_);
  gst_bin_add (GST_BIN (floor_->pipeline), decodebin);
  gst_element_sync_state_with_parent (decodebin);
  sinkpad = gst_element_get_static_pad (decodebin, "sink");
  gst_pad_link (pad, sinkpad);
}

static gboolean
enough (gpointer data)
{
  Latencies *l = data;
  gboolean done;

  g_mutex_lock (&l->lock);
  done = l->ms->len >= (guint) (G2G_SECONDS * 30);
  g_mutex_unlock (&l->lock);
  return done;
}

static void
measure_floor (Latencies *l)
{
  Floor floor_ = { 0 };
  CohortBenchPair *pair;
  GstElement *camera;
  GstElement *send_pipeline;
  const char *send_addr[] = { "10.77.0.2", NULL };
  const char *recv_addr[] = { "10.77.0.1", NULL };

  floor_.latencies = l;
  /* Two pipelines, like two machines: the publisher's camera path and
   * encoder settings (cohort-media-publisher.c) on one side, the subscriber's
   * receive latency (50 ms) and sink on the other. */
  send_pipeline = gst_parse_launch (
    "webrtcbin name=send bundle-policy=max-bundle "
    "queue name=vin max-size-buffers=1 max-size-bytes=0 max-size-time=0 leaky=downstream "
    "! vp8enc deadline=1 cpu-used=16 threads=1 lag-in-frames=0 end-usage=cbr target-bitrate=1800000 "
    "keyframe-max-dist=90 error-resilient=default buffer-size=1000 buffer-initial-size=500 "
    "buffer-optimal-size=600 undershoot=95 max-quantizer=56 static-threshold=100 "
    "! rtpvp8pay pt=96 picture-id-mode=15-bit mtu=1200 "
    "! application/x-rtp,media=video,encoding-name=VP8,clock-rate=90000,payload=96 ! send.", NULL);
  g_assert_nonnull (send_pipeline);
  floor_.pipeline = gst_pipeline_new ("floor-recv");
  floor_.recv = gst_element_factory_make ("webrtcbin", "recv");
  g_object_set (floor_.recv, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, "latency", 50, NULL);
  gst_bin_add (GST_BIN (floor_.pipeline), gst_object_ref (floor_.recv));
  floor_.send = gst_bin_get_by_name (GST_BIN (send_pipeline), "send");
  camera = cohort_media_stamp_camera_new (1280, 720);
  gst_bin_add (GST_BIN (send_pipeline), camera);
  {
    g_autoptr(GstElement) vin = gst_bin_get_by_name (GST_BIN (send_pipeline), "vin");
    gst_element_link (camera, vin);
  }

  cohort_webrtc_configure_ice (floor_.send, send_addr, NULL);
  cohort_webrtc_configure_ice (floor_.recv, recv_addr, NULL);
  pair = cohort_bench_pair_connect (floor_.send, floor_.recv);
  g_signal_connect (floor_.recv, "pad-added", G_CALLBACK (on_recv_pad), &floor_);

  gst_element_set_state (floor_.pipeline, GST_STATE_PLAYING);
  gst_element_set_state (send_pipeline, GST_STATE_PLAYING);
  /* Half a second to settle, then the same number of samples as the call. */
  cohort_media_rig_wait (enough, l, 3000);
  g_mutex_lock (&l->lock);
  g_array_set_size (l->ms, 0);
  g_mutex_unlock (&l->lock);
  cohort_media_rig_wait (enough, l, (G2G_SECONDS + 10) * 1000);
  gst_element_set_state (send_pipeline, GST_STATE_NULL);
  gst_element_set_state (floor_.pipeline, GST_STATE_NULL);
  cohort_bench_pair_free (pair);
  gst_clear_object (&send_pipeline);
  gst_clear_object (&floor_.send);
  gst_clear_object (&floor_.recv);
  gst_clear_object (&floor_.pipeline);
}

static void
print_stats (GString    *out,
             const char *name,
             GArray     *values)
{
  double median, p95;

  median = cohort_bench_quantile (values, 0.5);
  p95 = cohort_bench_quantile (values, 0.95);
  g_string_append_printf (out, "\"%s\": {\"median\": %.1f, \"p95\": %.1f, \"n\": %u}, ", name, median, p95,
                          values->len);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) joins = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) out = g_string_new ("{");
  g_autoptr(GString) cold = g_string_new (NULL);
  g_autoptr(CohortSession) teacher_session = NULL;
  g_autoptr(CohortCall) teacher = NULL;
  CohortMediaRig *rig;
  Latencies g2g = { 0 }, floor_l = { 0 };
  double student_cpu = -1, student_rss = -1, teacher_cpu = -1;
  long ticks = sysconf (_SC_CLK_TCK);

  /* Before gst_init: a cold join's clock starts at the spawn. */
  if (cohort_bench_is_cold_student (argc, argv))
    return cohort_bench_cold_student (argc, argv);

  gst_init (&argc, &argv);

  if (argc == 4 && g_str_equal (argv[1], "--student"))
    return run_student (argv[2], argv[3]);

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL)
    g_error ("Run this through tests/media/netns-run.sh (bench/media.sh does)");

  g_setenv ("COHORT_TEST_QUIET_SERVER", "1", TRUE);
  g_mutex_init (&g2g.lock);
  g_mutex_init (&floor_l.lock);
  g2g.ms = g_array_new (FALSE, FALSE, sizeof (double));
  floor_l.ms = g_array_new (FALSE, FALSE, sizeof (double));

  rig = cohort_media_rig_start (6);
  teacher_session = cohort_media_rig_create_class (rig, "Teacher");
  teacher = cohort_call_new (teacher_session);
  cohort_media_stamp_answer_teacher (teacher);
  cohort_call_set_camera_on (teacher, TRUE);
  {
    /* The teacher is live once one student sees a frame. */
    g_autoptr(CohortSession) s = cohort_media_rig_join (rig, teacher_session, "Warm-up");
    g_autoptr(CohortCall) c = cohort_media_rig_new_call (s, 640, 360);

    if (!cohort_media_rig_wait (any_frame, c, 15000))
      g_error ("The teacher's video never arrived");
    leave (s);
  }
  cohort_media_rig_sleep (500);

  /* 1. CPU and memory: a student process; this process only publishes. */
  {
    g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                          G_SUBPROCESS_FLAGS_STDOUT_PIPE);
    g_autoptr(GSubprocess) child = NULL;
    g_autoptr(GDataInputStream) data = NULL;
    g_autofree char *line = NULL;
    g_autoptr(GError) error = NULL;

    child = g_subprocess_launcher_spawn (launcher, &error, argv[0], "--student",
                                         cohort_media_rig_get_url (rig),
                                         cohort_session_get_class_code (teacher_session), NULL);
    g_assert_no_error (error);
    data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
    line = g_data_input_stream_read_line_utf8 (data, NULL, NULL, &error);
    if (g_strcmp0 (line, "ready") == 0)
      {
        GPid pid = atoi (g_subprocess_get_identifier (child));
        guint64 s0, s1, t0, t1;
        gint64 w0, w1;

        cohort_media_rig_sleep (1000);
        s0 = cohort_bench_proc_ticks (pid);
        t0 = cohort_bench_proc_ticks (getpid ());
        w0 = g_get_monotonic_time ();
        cohort_media_rig_sleep (CPU_SECONDS * 1000);
        s1 = cohort_bench_proc_ticks (pid);
        t1 = cohort_bench_proc_ticks (getpid ());
        w1 = g_get_monotonic_time ();
        student_rss = cohort_bench_proc_rss_mb (pid);
        student_cpu = 100.0 * (s1 - s0) / ticks / ((w1 - w0) / 1e6);
        teacher_cpu = 100.0 * (t1 - t0) / ticks / ((w1 - w0) / 1e6);
      }
    g_output_stream_close (g_subprocess_get_stdin_pipe (child), NULL, NULL);
    g_subprocess_wait (child, NULL, NULL);
  }

  /* 2. Join to first frame, 20 times. */
  for (guint i = 0; i < JOINS; i++)
    {
      g_autofree char *name = g_strdup_printf ("Student %u", i + 1);
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(CohortSession) s = cohort_media_rig_join (rig, teacher_session, name);
      g_autoptr(CohortCall) c = cohort_media_rig_new_call (s, 640, 360);

      if (cohort_media_rig_wait (any_frame, c, 10000))
        {
          double ms = (first_frame_us (c) - t0) / 1000.0;
          g_array_append_val (joins, ms);
        }
      g_clear_object (&c);
      leave (s);
      cohort_media_rig_sleep (200);
    }

  /* 2b. The same as a student sees it: a fresh process each time. */
  cohort_bench_cold_joins (cold, argv[0], cohort_media_rig_get_url (rig),
                           cohort_session_get_class_code (teacher_session), COLD_JOINS);

  /* 3. Glass to glass through Janus and the call engine. */
  {
    g_autoptr(CohortSession) s = cohort_media_rig_join (rig, teacher_session, "Viewer");
    g_autoptr(CohortCall) c = cohort_call_new (s);

    g_signal_connect (c, "create-video-sink", G_CALLBACK (on_latency_video_sink), &g2g);
    cohort_media_rig_wait (enough, &g2g, 10000);
    g_mutex_lock (&g2g.lock);
    g_array_set_size (g2g.ms, 0);
    g_mutex_unlock (&g2g.lock);
    cohort_media_rig_wait (enough, &g2g, (G2G_SECONDS + 10) * 1000);
    g_clear_object (&c);
    leave (s);
  }

  /* 4. The floor, with the teacher's publisher stopped. */
  cohort_call_set_camera_on (teacher, FALSE);
  cohort_media_rig_sleep (500);
  measure_floor (&floor_l);

  g_printerr ("frames: call %d, floor %d\n", g_atomic_int_get (&g2g.frames), g_atomic_int_get (&floor_l.frames));
  print_stats (out, "join_to_first_frame_ms", joins);
  g_string_append (out, cold->str);
  print_stats (out, "glass_to_glass_ms", g2g.ms);
  print_stats (out, "floor_glass_to_glass_ms", floor_l.ms);
  g_string_append_printf (out, "\"student_cpu_pct\": %.1f, \"student_rss_mb\": %.1f, \"teacher_cpu_pct\": %.1f, "
                          "\"video\": \"1280x720@30 VP8\", \"cores\": %u, \"load_avg_1m\": ",
                          student_cpu, student_rss, teacher_cpu, g_get_num_processors ());
  cohort_bench_append_load_avg (out);
  g_string_append (out, "}");
  g_print ("%s\n", out->str);

  g_clear_object (&teacher);
  leave (teacher_session);
  g_clear_object (&teacher_session);
  cohort_media_rig_free (rig);
  return 0;
}

/* cohort-media-rig.c: a cohort-server with embedded Janus, for media tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-media-rig"

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <gst/app/app.h>
#include <gst/video/video.h>

#include "cohort-lesson.h"
#include "cohort-media-rig.h"
#include "cohort-media-stamp.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

struct _CohortMediaRig
{
  GSubprocess      *process;
  GDataInputStream *output;
  GThread          *drain;
  char             *dir;
  char             *url;
};

struct _CohortRigSink
{
  GMutex      lock;
  GstSample  *sample;
  gint        frames;
  gint64      first_us;
  /* Under lock: frames whose capture stamp did not decode, and the gaps
   * between frames, since the last reset. */
  guint       corrupted;
  gint64      last_us;
  gint64      frozen_us;
  gint64      max_gap_us;
};

/* A gap between two frames longer than this is a freeze. */
#define FREEZE_GAP_US (200 * G_TIME_SPAN_MILLISECOND)

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* The server logs to stdout after its first line: keep reading it, or a
 * full pipe would block the server in the middle of a lesson. Its lines
 * go to stderr, where the test log keeps them. */
static gpointer
drain_thread (gpointer data)
{
  GDataInputStream *output = data;
  char *line;

  while ((line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, NULL)) != NULL)
    {
      if (g_getenv ("COHORT_TEST_QUIET_SERVER") == NULL)
        g_printerr ("server: %s\n", line);
      g_free (line);
    }

  return NULL;
}

CohortMediaRig *
cohort_media_rig_start (guint stage_size)
{
  CohortMediaRig *rig = g_new0 (CohortMediaRig, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *staff_credential = NULL;
  const char *server = g_getenv ("COHORT_SERVER");
  const char *iface = g_getenv ("COHORT_TEST_JANUS_IFACE");
  const char *prefix = "cohort-server listening on ";

  g_assert_nonnull (server);
  rig->dir = g_dir_make_tmp ("cohort-media-XXXXXX", &error);
  g_assert_no_error (error);

  /* The Admin API lets tests read Janus's own view (cohort-media-janus-admin.h). */
  config = g_strdup_printf ("[janus]\nmode=embedded\nice_enforce_list=%s\nstage_size=%u\nadmin_api=true\n",
                            iface != NULL ? iface : "veth0", stage_size);
  config_path = g_build_filename (rig->dir, "server.conf", NULL);
  db_path = g_build_filename (rig->dir, "cohort.db", NULL);
  g_file_set_contents (config_path, config, -1, &error);
  g_assert_no_error (error);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  staff_credential = cohort_test_staff_add (db_path, "Test staff");
  rig->process = g_subprocess_launcher_spawn (launcher, &error, server,
                                              "--config", config_path,
                                              "--listen", "0.0.0.0", "--port", "0",
                                              "--database", db_path, NULL);
  g_assert_no_error (error);

  rig->output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (rig->process));
  line = g_data_input_stream_read_line_utf8 (rig->output, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, prefix));
  /* Listening on every address lets one student reach the server through
   * its own address (cohort_media_rig_join_via); the others use loopback. */
  g_assert_true (g_str_has_prefix (line + strlen (prefix), "ws://0.0.0.0:"));
  rig->url = g_strconcat ("ws://127.0.0.1:", line + strlen (prefix) + strlen ("ws://0.0.0.0:"), NULL);
  cohort_test_staff_register (rig->url, staff_credential);
  rig->drain = g_thread_new ("cohort-rig-drain", drain_thread, rig->output);

  return rig;
}

const char *
cohort_media_rig_get_url (CohortMediaRig *rig)
{
  return rig->url;
}

GPid
cohort_media_rig_janus_pid (CohortMediaRig *rig)
{
  const char *server_pid = g_subprocess_get_identifier (rig->process);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && server_pid != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *stat = NULL;
      g_auto(GStrv) fields = NULL;
      const char *close_paren;

      if (!g_ascii_isdigit (name[0]))
        continue;
      path = g_build_filename ("/proc", name, "stat", NULL);
      if (!g_file_get_contents (path, &stat, NULL, NULL))
        continue;
      /* pid (comm) state ppid … */
      close_paren = strrchr (stat, ')');
      if (close_paren == NULL || strstr (stat, "(janus)") == NULL)
        continue;
      fields = g_strsplit (close_paren + 2, " ", 3);
      if (fields[0] != NULL && fields[1] != NULL && g_str_equal (fields[1], server_pid))
        return (GPid) atoi (name);
    }

  return 0;
}

void
cohort_media_rig_free (CohortMediaRig *rig)
{
  if (rig == NULL)
    return;

  if (rig->process != NULL)
    {
      g_subprocess_send_signal (rig->process, SIGTERM);
      g_subprocess_wait (rig->process, NULL, NULL);
      /* The pipe is at its end now: the thread returns. */
      if (rig->drain != NULL)
        g_thread_join (rig->drain);
      g_clear_object (&rig->output);
      g_clear_object (&rig->process);
    }
  if (rig->dir != NULL)
    {
      const char *files[] = { "server.conf", "cohort.db", "cohort.db-wal", "cohort.db-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (files); i++)
        {
          g_autofree char *path = g_build_filename (rig->dir, files[i], NULL);
          g_unlink (path);
        }
      g_rmdir (rig->dir);
    }
  g_free (rig->dir);
  g_free (rig->url);
  g_free (rig);
}

gboolean
cohort_media_rig_wait (GSourceFunc func,
                       gpointer    data,
                       guint       timeout_ms)
{
  return cohort_test_wait_for (func, data, timeout_ms);
}

void
cohort_media_rig_sleep (guint ms)
{
  cohort_test_iterate_for (ms);
}

void
cohort_media_rig_netcond (const char *arguments)
{
  const char *script = g_getenv ("COHORT_NETCOND");
  g_autofree char *command = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;

  if (script == NULL)
    g_error ("COHORT_NETCOND is not set: run this through the media suite or bench/network.sh");
  command = g_strdup_printf ("sh %s %s", script, arguments);
  if (!g_spawn_command_line_sync (command, NULL, &err, &wait_status, &error) ||
      !g_spawn_check_wait_status (wait_status, &error))
    g_error ("%s: %s%s", command, error->message, err != NULL ? err : "");
}

static gboolean
lesson_live (gpointer data)
{
  return cohort_lesson_get_state (cohort_session_get_lesson (data)) == COHORT_LESSON_STATE_LIVE;
}

/* The class's lesson is started: a student who joins sees the stage, not
 * "waiting for the lesson to start". */
CohortSession *
cohort_media_rig_create_class (CohortMediaRig *rig,
                               const char     *name)
{
  CohortSession *session = cohort_test_session_create_class (rig->url, "Media", name);

  cohort_lesson_start_async (cohort_session_get_lesson (session), NULL, NULL, NULL);
  if (!cohort_media_rig_wait (lesson_live, session, 10000))
    g_error ("The media class's lesson did not start");
  return session;
}

CohortSession *
cohort_media_rig_join (CohortMediaRig *rig,
                       CohortSession  *teacher,
                       const char     *name)
{
  return cohort_media_rig_join_via (rig, teacher, name, NULL);
}

CohortSession *
cohort_media_rig_join_via (CohortMediaRig *rig,
                           CohortSession  *teacher,
                           const char     *name,
                           const char     *host)
{
  g_autofree char *url = NULL;

  if (host != NULL)
    url = g_strconcat ("ws://", host, rig->url + strlen ("ws://127.0.0.1"), NULL);
  else
    url = g_strdup (rig->url);

  return cohort_test_session_join (url, teacher, name);
}

/* Sinks */

static CohortRigSink *
rig_sink_ref (CohortRigSink *sink)
{
  return g_atomic_rc_box_acquire (sink);
}

static void
rig_sink_clear (gpointer data)
{
  CohortRigSink *sink = data;

  g_clear_pointer (&sink->sample, gst_sample_unref);
  g_mutex_clear (&sink->lock);
}

static void
rig_sink_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, rig_sink_clear);
}

static GstFlowReturn
on_new_sample (GstAppSink *appsink,
               gpointer    user_data)
{
  CohortRigSink *sink = user_data;
  GstSample *sample = gst_app_sink_pull_sample (appsink);
  gint64 now = g_get_monotonic_time ();
  GstVideoInfo vinfo;
  gboolean stamped = FALSE, damaged = FALSE;
  guint32 ms;

  if (sample == NULL)
    return GST_FLOW_EOS;

  /* A stamped picture and its lower layers (320 wide and up) carry the
   * stamp, scaled; a smaller one is no evidence. */
  if (gst_video_info_from_caps (&vinfo, gst_sample_get_caps (sample)) &&
      GST_VIDEO_INFO_WIDTH (&vinfo) >= COHORT_MEDIA_STAMP_MIN_WIDTH / 4)
    {
      stamped = TRUE;
      damaged = !cohort_media_stamp_read (sample, &ms);
    }

  g_mutex_lock (&sink->lock);
  if (sink->first_us == 0)
    sink->first_us = now;
  if (stamped && damaged)
    sink->corrupted++;
  if (sink->last_us != 0)
    {
      gint64 gap = now - sink->last_us;

      sink->max_gap_us = MAX (sink->max_gap_us, gap);
      if (gap > FREEZE_GAP_US)
        sink->frozen_us += gap;
    }
  sink->last_us = now;
  g_clear_pointer (&sink->sample, gst_sample_unref);
  sink->sample = sample;
  g_mutex_unlock (&sink->lock);
  g_atomic_int_inc (&sink->frames);

  return GST_FLOW_OK;
}

static GHashTable *
sinks_of (CohortCall *call)
{
  GHashTable *table = g_object_get_data (G_OBJECT (call), "cohort-rig-sinks");

  if (table == NULL)
    {
      table = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, rig_sink_unref);
      g_object_set_data_full (G_OBJECT (call), "cohort-rig-sinks", table,
                              (GDestroyNotify) g_hash_table_unref);
    }
  return table;
}

static GstElement *
on_create_video_sink (CohortCall *call,
                      CohortFeed *feed,
                      gpointer    user_data)
{
  CohortRigSink *sink = g_atomic_rc_box_new0 (CohortRigSink);
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  g_autoptr(GstCaps) caps = gst_caps_from_string ("video/x-raw,format=I420");
  GstElement *appsink = gst_element_factory_make ("appsink", NULL);
  gint64 feed_id = cohort_feed_get_feed_id (feed);

  g_mutex_init (&sink->lock);
  g_object_set (appsink, "sync", FALSE, "max-buffers", 1, "drop", TRUE, "caps", caps, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (appsink), &callbacks, rig_sink_ref (sink), rig_sink_unref);
  g_hash_table_replace (sinks_of (call), g_memdup2 (&feed_id, sizeof feed_id), sink);

  return appsink;
}

static GstElement *
on_create_source (CohortCall *call,
                  const char *what,
                  gpointer    user_data)
{
  g_autofree char *desc = NULL;
  guint width = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (call), "rig-width"));
  guint height = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (call), "rig-height"));

  if (g_str_equal (what, "camera") && g_object_get_data (G_OBJECT (call), "rig-stamp") != NULL)
    return cohort_media_stamp_camera_new (width, height);
  if (g_str_equal (what, "camera"))
    desc = g_strdup_printf ("videotestsrc is-live=true pattern=smpte "
                            "! capsfilter caps=video/x-raw,format=I420,width=%u,height=%u,framerate=30/1", width, height);
  else if (g_str_equal (what, "screen"))
    desc = g_strdup ("videotestsrc is-live=true pattern=ball "
                     "! capsfilter caps=video/x-raw,format=I420,width=640,height=360,framerate=15/1");
  else if (g_str_equal (what, "microphone"))
    desc = g_strdup ("audiotestsrc is-live=true wave=sine volume=0.2 samplesperbuffer=960");
  else
    return NULL;

  return gst_parse_bin_from_description (desc, TRUE, NULL);
}

void
cohort_media_rig_answer_call (CohortCall *call,
                              guint       width,
                              guint       height)
{
  g_object_set_data (G_OBJECT (call), "rig-width", GUINT_TO_POINTER (width));
  g_object_set_data (G_OBJECT (call), "rig-height", GUINT_TO_POINTER (height));
  g_signal_connect (call, "create-source", G_CALLBACK (on_create_source), NULL);
  g_signal_connect (call, "create-video-sink", G_CALLBACK (on_create_video_sink), NULL);
}

CohortCall *
cohort_media_rig_new_call (CohortSession *session,
                           guint          width,
                           guint          height)
{
  CohortCall *call = cohort_call_new (session);

  cohort_media_rig_answer_call (call, width, height);
  return call;
}

void
cohort_media_rig_stamp_camera (CohortCall *call)
{
  g_object_set_data (G_OBJECT (call), "rig-stamp", GINT_TO_POINTER (TRUE));
}

CohortRigSink *
cohort_rig_sink_for_feed (CohortCall *call,
                          gint64      feed_id)
{
  return g_hash_table_lookup (sinks_of (call), &feed_id);
}

guint
cohort_rig_sink_get_frames (CohortRigSink *sink)
{
  return sink != NULL ? (guint) g_atomic_int_get (&sink->frames) : 0;
}

gint64
cohort_rig_sink_get_first_us (CohortRigSink *sink)
{
  gint64 first;

  if (sink == NULL)
    return 0;
  g_mutex_lock (&sink->lock);
  first = sink->first_us;
  g_mutex_unlock (&sink->lock);
  return first;
}

void
cohort_rig_sink_get_damage (CohortRigSink *sink,
                            guint         *corrupted,
                            gint64        *frozen_us,
                            gint64        *max_gap_us)
{
  g_mutex_lock (&sink->lock);
  *corrupted = sink->corrupted;
  *frozen_us = sink->frozen_us;
  *max_gap_us = sink->max_gap_us;
  g_mutex_unlock (&sink->lock);
}

void
cohort_rig_sink_reset_damage (CohortRigSink *sink)
{
  g_mutex_lock (&sink->lock);
  sink->corrupted = 0;
  sink->frozen_us = 0;
  sink->max_gap_us = 0;
  g_mutex_unlock (&sink->lock);
}

GstSample *
cohort_rig_sink_dup_sample (CohortRigSink *sink)
{
  GstSample *sample = NULL;

  if (sink == NULL)
    return NULL;
  g_mutex_lock (&sink->lock);
  if (sink->sample != NULL)
    sample = gst_sample_ref (sink->sample);
  g_mutex_unlock (&sink->lock);
  return sample;
}

static GstSample *
render_reference (guint width,
                  guint height)
{
  g_autofree char *desc = g_strdup_printf ("videotestsrc pattern=smpte num-buffers=1 "
                                           "! video/x-raw,format=I420,width=%u,height=%u "
                                           "! appsink name=sink", width, height);
  g_autoptr(GstElement) pipeline = gst_parse_launch (desc, NULL);
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstSample *sample;

  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  sample = gst_app_sink_pull_sample (GST_APP_SINK (sink));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return sample;
}

static double
block_mean (GstVideoFrame *frame,
            guint          plane,
            guint          x,
            guint          y)
{
  const guint8 *data = GST_VIDEO_FRAME_PLANE_DATA (frame, plane);
  guint stride = GST_VIDEO_FRAME_PLANE_STRIDE (frame, plane);
  guint sub = plane == 0 ? 1 : 2;
  double sum = 0;

  x /= sub;
  y /= sub;
  for (guint dy = 0; dy < 4; dy++)
    for (guint dx = 0; dx < 4; dx++)
      sum += data[(y + dy) * stride + x + dx];

  return sum / 16;
}

double
cohort_rig_compare_smpte (GstSample *sample)
{
  g_autoptr(GstSample) reference = NULL;
  GstVideoInfo info, ref_info;
  GstVideoFrame frame, ref_frame;
  double total = 0;
  guint n = 0;

  g_assert_true (gst_video_info_from_caps (&info, gst_sample_get_caps (sample)));
  g_assert_cmpint (GST_VIDEO_INFO_FORMAT (&info), ==, GST_VIDEO_FORMAT_I420);
  reference = render_reference (GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info));
  g_assert_nonnull (reference);
  g_assert_true (gst_video_info_from_caps (&ref_info, gst_sample_get_caps (reference)));

  g_assert_true (gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ));
  g_assert_true (gst_video_frame_map (&ref_frame, &ref_info, gst_sample_get_buffer (reference), GST_MAP_READ));

  /* Centres of the seven colour bars (top two thirds) and of the blocks of
   * the bottom row, away from edges where the codec blurs. */
  for (guint row = 0; row < 2; row++)
    for (guint bar = 0; bar < 7; bar++)
      {
        guint w = GST_VIDEO_INFO_WIDTH (&info);
        guint h = GST_VIDEO_INFO_HEIGHT (&info);
        guint x = (guint) ((bar + 0.5) * w / 7) & ~7u;
        guint y = (guint) (row == 0 ? h * 0.33 : h * 0.70) & ~7u;

        for (guint plane = 0; plane < 3; plane++)
          {
            total += ABS (block_mean (&frame, plane, x, y) - block_mean (&ref_frame, plane, x, y));
            n++;
          }
      }

  gst_video_frame_unmap (&frame);
  gst_video_frame_unmap (&ref_frame);

  return total / n;
}

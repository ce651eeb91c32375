/* cohort-bench-network.c: the teacher's feed to a student on a weak link
 *
 * Inside tests/media/netns-run.sh (bench/network.sh): a real cohort-server
 * with its Janus, a teacher in this process publishing the stamped 720p30
 * camera (tests/media/cohort-media-stamp.c) and a sine microphone from 10.77.0.2, and
 * a student in this process on 10.77.0.3. For each condition,
 * tests/media/netcond.sh imposes it, the student decodes for
 * $COHORT_BENCH_SECONDS (30), the condition is lifted, and the student is
 * watched until its picture is whole again. One JSON object on stdout,
 * keyed by condition:
 *   fps                 decoded frames a second over the window;
 *   corrupted_frames    decoded frames whose stamp fails its check;
 *   frozen_ratio        time in gaps over 200 ms between frames (the
 *                       window's edges count) over the window;
 *   max_freeze_ms       the longest such gap;
 *   settled_fps, settled_max_freeze_ms  the same from 3 s into the window;
 *   audio_gap_ratio     1 − decoded audio (gap buffers and GAP events, i.e.
 *                       concealment, not counted) / wall time;
 *   recovery_s          from lifting the condition to the first second of
 *                       1280×720 frames at ≥ 27 fps, all stamps whole, no
 *                       gap over 200 ms (null: not within the wait);
 *   resolution          [[s since the window's start, width, height], …]
 *                       at each change, the recovery included;
 *   nack_sent, pli_sent, fir_sent, packets_lost  the student's own counts
 *                       over the window (webrtcbin's inbound-rtp stats);
 *   jitterbuffer        the student's video jitter buffer over the window:
 *                       lost (given up on), rtx_requests, rtx_in_time
 *                       (retransmissions that came before it gave up),
 *                       late (packets that came after);
 *   janus               Janus's view of the student's video (Admin API):
 *                       nack_queue_ms at the window's start and end (how
 *                       long it keeps packets to retransmit; 0: none),
 *                       rtt_ms, and nacks_received over the window.
 * "neighbour" caps the first student's downlink at 500 kbit/s and reports
 * a second, clean student (10.77.0.2). "targets" holds the targets
 * (#22), "pass"/"fail" per figure.
 *
 * $COHORT_BENCH_CONDITIONS (comma-separated) runs only some conditions;
 * $COHORT_BENCH_COLD_JOINS > 0 first measures that many cold joins
 * (cohort-bench-coldjoin.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include <gst/app/app.h>
#include <gst/video/video.h>
#include <gst/webrtc/webrtc.h>
#include <json-glib/json-glib.h>

#include "cohort-bench-coldjoin.h"
#include "cohort-json-strict.h"
#include "cohort-media-janus-admin.h"
#include "cohort-media-stamp.h"
#include "cohort-media-rig.h"
#include "cohort-media-subscriber.h"

#define STUDENT_ADDRESS  "10.77.0.3"
#define TEACHER_ADDRESS  "10.77.0.2"
#define FULL_WIDTH       1280
#define FULL_HEIGHT      720
#define FREEZE_US        (200 * G_TIME_SPAN_MILLISECOND)
#define SETTLE_US        (3 * G_TIME_SPAN_SECOND)
#define RECOVERED_FPS    27

typedef struct
{
  const char *name;
  const char *address;   /* NULL: no condition */
  const char *what;
  const char *arg;
} Condition;

static const Condition conditions[] = {
  { "clean", NULL, NULL, NULL },
  { "loss_2", STUDENT_ADDRESS, "loss", "2" },
  { "loss_5", STUDENT_ADDRESS, "loss", "5" },
  { "loss_10", STUDENT_ADDRESS, "loss", "10" },
  { "loss_20", STUDENT_ADDRESS, "loss", "20" },
  { "cap_1mbit", STUDENT_ADDRESS, "down", "1mbit" },
  { "cap_500kbit", STUDENT_ADDRESS, "down", "500kbit" },
  { "cap_250kbit", STUDENT_ADDRESS, "down", "250kbit" },
  { "teacher_uplink_1mbit", TEACHER_ADDRESS, "up", "1mbit" },
  { "neighbour", STUDENT_ADDRESS, "down", "500kbit" },
};

/* A student's decoded frames and audio */

typedef struct
{
  gint64   t;
  guint16  width;
  guint16  height;
  gboolean whole;
} Frame;

typedef struct
{
  GMutex      lock;
  GArray     *frames;      /* Frame, since student_begin() */
  gboolean    audio_on;
  guint64     audio_ns;    /* decoded, not concealed */
  guint64     concealed_ns;
  GstElement *video_sink;  /* the newest, to find its webrtcbin */
  const char *address;     /* its own media address, NULL: any */
} Student;

static GstFlowReturn
on_video_sample (GstAppSink *appsink,
                 gpointer    user_data)
{
  Student *s = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (appsink);
  GstVideoInfo vinfo;
  Frame frame = { .t = g_get_monotonic_time () };
  guint32 stamped;

  if (sample == NULL)
    return GST_FLOW_EOS;
  frame.whole = cohort_media_stamp_read (sample, &stamped);
  if (gst_video_info_from_caps (&vinfo, gst_sample_get_caps (sample)))
    {
      frame.width = GST_VIDEO_INFO_WIDTH (&vinfo);
      frame.height = GST_VIDEO_INFO_HEIGHT (&vinfo);
    }
  g_mutex_lock (&s->lock);
  g_array_append_val (s->frames, frame);
  g_mutex_unlock (&s->lock);
  return GST_FLOW_OK;
}

static GstElement *
on_video_sink (CohortCall *call,
               CohortFeed *feed,
               gpointer    user_data)
{
  Student *s = user_data;
  GstAppSinkCallbacks callbacks = { .new_sample = on_video_sample };
  g_autoptr(GstCaps) caps = gst_caps_from_string ("video/x-raw,format=I420");
  GstElement *sink = gst_element_factory_make ("appsink", NULL);

  g_object_set (sink, "sync", FALSE, "max-buffers", 1, "drop", TRUE, "caps", caps, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, s, NULL);
  g_mutex_lock (&s->lock);
  g_set_object (&s->video_sink, sink);
  g_mutex_unlock (&s->lock);
  return sink;
}

static GstFlowReturn
on_audio_sample (GstAppSink *appsink,
                 gpointer    user_data)
{
  Student *s = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (appsink);
  GstBuffer *buffer;

  if (sample == NULL)
    return GST_FLOW_EOS;
  buffer = gst_sample_get_buffer (sample);
  g_mutex_lock (&s->lock);
  if (s->audio_on && GST_BUFFER_DURATION_IS_VALID (buffer))
    {
      if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_GAP))
        s->concealed_ns += GST_BUFFER_DURATION (buffer);
      else
        s->audio_ns += GST_BUFFER_DURATION (buffer);
    }
  g_mutex_unlock (&s->lock);
  return GST_FLOW_OK;
}

/* A lost packet the decoder does not conceal reaches the sink as a GAP
 * event. */
static GstPadProbeReturn
on_audio_event (GstPad          *pad,
                GstPadProbeInfo *info,
                gpointer         user_data)
{
  Student *s = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstClockTime duration = GST_CLOCK_TIME_NONE;

  if (GST_EVENT_TYPE (event) != GST_EVENT_GAP)
    return GST_PAD_PROBE_OK;
  gst_event_parse_gap (event, NULL, &duration);
  g_mutex_lock (&s->lock);
  if (s->audio_on && GST_CLOCK_TIME_IS_VALID (duration))
    s->concealed_ns += duration;
  g_mutex_unlock (&s->lock);
  return GST_PAD_PROBE_OK;
}

static GstElement *
on_audio_sink (CohortCall *call,
               CohortFeed *feed,
               gpointer    user_data)
{
  GstAppSinkCallbacks callbacks = { .new_sample = on_audio_sample };
  GstElement *sink = gst_element_factory_make ("appsink", NULL);
  g_autoptr(GstPad) pad = gst_element_get_static_pad (sink, "sink");

  g_object_set (sink, "sync", FALSE, "max-buffers", 0, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, user_data, NULL);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, on_audio_event, user_data, NULL);
  return sink;
}

static void
student_init (Student    *s,
              CohortCall *call)
{
  g_mutex_init (&s->lock);
  s->frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  g_signal_connect (call, "create-video-sink", G_CALLBACK (on_video_sink), s);
  g_signal_connect (call, "create-audio-sink", G_CALLBACK (on_audio_sink), s);
}

static void
student_clear (Student *s)
{
  g_clear_object (&s->video_sink);
  g_clear_pointer (&s->frames, g_array_unref);
  g_mutex_clear (&s->lock);
}

static gint64
student_begin (Student *s)
{
  gint64 now = g_get_monotonic_time ();

  g_mutex_lock (&s->lock);
  g_array_set_size (s->frames, 0);
  s->audio_on = TRUE;
  s->audio_ns = s->concealed_ns = 0;
  g_mutex_unlock (&s->lock);
  return now;
}

static GArray *
student_dup_frames (Student *s)
{
  GArray *copy;

  g_mutex_lock (&s->lock);
  copy = g_array_copy (s->frames);
  g_mutex_unlock (&s->lock);
  return copy;
}

/* The student's own RTCP: webrtcbin's inbound-rtp stats, summed. */

typedef struct
{
  gint64 nack;
  gint64 pli;
  gint64 fir;
  gint64 lost;
  /* the video jitter buffer's own: packets given up on, retransmissions
   * asked for and those that came in time, packets that came too late */
  gint64 jb_lost;
  gint64 jb_rtx;
  gint64 jb_rtx_success;
  gint64 jb_late;
} Rtcp;

static gint64
field_int (const GstStructure *stats,
           const char         *name)
{
  const GValue *value = gst_structure_get_value (stats, name);
  GValue as_int = G_VALUE_INIT;
  gint64 result = 0;

  if (value == NULL)
    return 0;
  g_value_init (&as_int, G_TYPE_INT64);
  if (g_value_transform (value, &as_int))
    result = g_value_get_int64 (&as_int);
  g_value_unset (&as_int);
  return result;
}

static gboolean
add_inbound (GQuark        field,
             const GValue *value,
             gpointer      user_data)
{
  Rtcp *rtcp = user_data;
  const GstStructure *stats;
  GstWebRTCStatsType type;

  if (!GST_VALUE_HOLDS_STRUCTURE (value))
    return TRUE;
  stats = gst_value_get_structure (value);
  if (!gst_structure_get (stats, "type", GST_TYPE_WEBRTC_STATS_TYPE, &type, NULL) ||
      type != GST_WEBRTC_STATS_INBOUND_RTP)
    return TRUE;
  rtcp->nack += field_int (stats, "nack-count");
  rtcp->pli += field_int (stats, "pli-count");
  rtcp->fir += field_int (stats, "fir-count");
  rtcp->lost += field_int (stats, "packets-lost");
  return TRUE;
}

static Rtcp
student_rtcp (Student *s)
{
  Rtcp rtcp = { 0 };
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstObject) top = NULL;
  g_autoptr(GstElement) webrtc = NULL;
  GstPromise *promise;

  g_mutex_lock (&s->lock);
  if (s->video_sink != NULL)
    sink = gst_object_ref (s->video_sink);
  g_mutex_unlock (&s->lock);
  if (sink == NULL)
    return rtcp;
  /* The sink sits in the subscriber's pipeline, beside its webrtcbin. */
  top = gst_object_ref (GST_OBJECT (sink));
  while (GST_OBJECT_PARENT (top) != NULL)
    {
      GstObject *parent = gst_object_get_parent (top);

      gst_object_unref (top);
      top = parent;
    }
  if (!GST_IS_BIN (top) || (webrtc = gst_bin_get_by_name (GST_BIN (top), "webrtc")) == NULL)
    return rtcp;

  {
    CohortJitterStats jb;

    cohort_subscriber_read_video_jitterbuffer (webrtc, &jb);
    rtcp.jb_lost = jb.lost;
    rtcp.jb_rtx = jb.rtx_count;
    rtcp.jb_rtx_success = jb.rtx_success;
    rtcp.jb_late = jb.late;
  }

  promise = gst_promise_new ();
  g_signal_emit_by_name (webrtc, "get-stats", NULL, promise);
  if (gst_promise_wait (promise) == GST_PROMISE_RESULT_REPLIED && gst_promise_get_reply (promise) != NULL)
    gst_structure_foreach (gst_promise_get_reply (promise), add_inbound, &rtcp);
  gst_promise_unref (promise);
  return rtcp;
}

/* Janus's side of the student's video, through its Admin API */

static CohortJanusAdmin *janus_admin;

typedef struct
{
  gboolean found;
  gint64   nack_queue_ms;
  gint64   rtt_ms;
  gint64   nacks_received;
} JanusSide;

static JanusSide
janus_side (CohortJanusAdmin *admin,
            const char       *address)
{
  JanusSide side = { FALSE, 0, 0, 0 };
  g_autoptr(JsonObject) video = NULL;
  guint handles;

  if (admin == NULL || address == NULL)
    return side;
  video = cohort_janus_admin_subscriber_medium (admin, address, "video", &handles);
  if (video == NULL)
    return side;
  side.found = TRUE;
  side.nack_queue_ms = cohort_janus_admin_medium_stat (video, "", "nack-queue-ms");
  side.rtt_ms = cohort_janus_admin_medium_stat (video, "rtcp", "rtt");
  side.nacks_received = cohort_janus_admin_medium_stat (video, "in", "nacks");
  return side;
}

/* Figures of a window */

typedef struct
{
  double  fps;
  guint   frames;
  guint   corrupted;
  double  frozen_ratio;
  double  max_freeze_ms;
  double  settled_fps;
  double  settled_max_freeze_ms;
  double  audio_gap_ratio;
  double  concealed_ms;
  double  recovery_s;      /* < 0: not recovered */
  gboolean always_full;    /* every frame 1280×720 */
  Rtcp    rtcp;
  JanusSide janus_start;
  JanusSide janus_end;
} Figures;

/* Frames in [t0, t1): count, corrupted, frozen time and the longest gap
 * (the edges of the window count as frames: nothing at all is all frozen). */
static void
window (GArray *frames,
        gint64  t0,
        gint64  t1,
        guint  *n,
        guint  *corrupted,
        gint64 *frozen,
        gint64 *max_gap)
{
  gint64 last = t0;

  *n = *corrupted = 0;
  *frozen = *max_gap = 0;
  for (guint i = 0; i <= frames->len; i++)
    {
      gint64 t = i < frames->len ? g_array_index (frames, Frame, i).t : t1;
      gint64 gap;

      if (t < t0 || t > t1)
        continue;
      gap = t - last;
      if (gap > FREEZE_US)
        *frozen += gap;
      *max_gap = MAX (*max_gap, gap);
      last = t;
      if (i < frames->len)
        {
          (*n)++;
          if (!g_array_index (frames, Frame, i).whole)
            (*corrupted)++;
        }
    }
}

/* The first frame from @lifted on that starts a second of whole 1280×720
 * frames at full rate without a freeze; -1 if none yet. */
static double
recovery_s (GArray *frames,
            gint64  lifted)
{
  for (guint i = 0; i < frames->len; i++)
    {
      const Frame *first = &g_array_index (frames, Frame, i);
      gint64 last = first->t;
      guint n = 0;
      gboolean good = TRUE;
      guint j;

      if (first->t < lifted)
        continue;
      for (j = i; j < frames->len && good; j++)
        {
          const Frame *f = &g_array_index (frames, Frame, j);

          if (f->t >= first->t + G_TIME_SPAN_SECOND)
            break;
          good = f->whole && f->width == FULL_WIDTH && f->height == FULL_HEIGHT && f->t - last <= FREEZE_US;
          last = f->t;
          n++;
        }
      if (good && j < frames->len && n >= RECOVERED_FPS)
        return (first->t - lifted) / (double) G_USEC_PER_SEC;
    }
  return -1;
}

typedef struct
{
  Student *student;
  gint64   lifted;
} RecoveryWait;

static gboolean
recovered (gpointer data)
{
  RecoveryWait *wait = data;
  g_autoptr(GArray) frames = student_dup_frames (wait->student);

  return recovery_s (frames, wait->lifted) >= 0;
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
measure (Student         *s,
         const Condition *condition,
         guint            seconds,
         guint            recovery_max_s,
         Figures         *fig,
         JsonBuilder     *resolution)
{
  RecoveryWait wait = { .student = s };
  g_autoptr(GArray) frames = NULL;
  gint64 t0, t1, frozen, max_gap;
  guint64 audio_ns, concealed_ns;
  guint n, corrupted;
  Rtcp before, after;
  guint16 width = 0, height = 0;

  fig->janus_start = janus_side (janus_admin, s->address);
  before = student_rtcp (s);
  if (condition->address != NULL)
    {
      g_autofree char *arguments = g_strjoin (" ", condition->address, condition->what, condition->arg, NULL);

      cohort_media_rig_netcond (arguments);
    }
  t0 = student_begin (s);
  cohort_media_rig_sleep (seconds * 1000);
  t1 = g_get_monotonic_time ();
  g_mutex_lock (&s->lock);
  s->audio_on = FALSE;
  audio_ns = s->audio_ns;
  concealed_ns = s->concealed_ns;
  g_mutex_unlock (&s->lock);
  fig->janus_end = janus_side (janus_admin, s->address);
  after = student_rtcp (s);
  if (condition->address != NULL)
    {
      g_autofree char *arguments = g_strjoin (" ", condition->address, "clean", NULL);

      cohort_media_rig_netcond (arguments);
    }

  wait.lifted = g_get_monotonic_time ();
  cohort_media_rig_wait (recovered, &wait, recovery_max_s * 1000);
  frames = student_dup_frames (s);

  window (frames, t0, t1, &n, &corrupted, &frozen, &max_gap);
  fig->frames = n;
  fig->corrupted = corrupted;
  fig->fps = n / ((t1 - t0) / (double) G_USEC_PER_SEC);
  fig->frozen_ratio = frozen / (double) (t1 - t0);
  fig->max_freeze_ms = max_gap > FREEZE_US ? max_gap / 1000.0 : 0;
  window (frames, t0 + SETTLE_US, t1, &n, &corrupted, &frozen, &max_gap);
  fig->settled_fps = t1 - t0 >= SETTLE_US + G_USEC_PER_SEC ? n / ((t1 - t0 - SETTLE_US) / (double) G_USEC_PER_SEC) : -1;
  fig->settled_max_freeze_ms = max_gap > FREEZE_US ? max_gap / 1000.0 : 0;
  fig->audio_gap_ratio = MAX (0.0, 1.0 - audio_ns / 1000.0 / (double) (t1 - t0));
  fig->concealed_ms = concealed_ns / 1e6;
  fig->recovery_s = recovery_s (frames, wait.lifted);
  fig->rtcp.nack = after.nack - before.nack;
  fig->rtcp.pli = after.pli - before.pli;
  fig->rtcp.fir = after.fir - before.fir;
  fig->rtcp.lost = after.lost - before.lost;
  fig->rtcp.jb_lost = after.jb_lost - before.jb_lost;
  fig->rtcp.jb_rtx = after.jb_rtx - before.jb_rtx;
  fig->rtcp.jb_rtx_success = after.jb_rtx_success - before.jb_rtx_success;
  fig->rtcp.jb_late = after.jb_late - before.jb_late;

  fig->always_full = TRUE;
  json_builder_begin_array (resolution);
  for (guint i = 0; i < frames->len; i++)
    {
      const Frame *f = &g_array_index (frames, Frame, i);

      if (f->t < t1 && (f->width != FULL_WIDTH || f->height != FULL_HEIGHT))
        fig->always_full = FALSE;
      if (f->width == width && f->height == height)
        continue;
      width = f->width;
      height = f->height;
      json_builder_begin_array (resolution);
      json_builder_add_double_value (resolution, round ((f->t - t0) / 1e5) / 10);
      json_builder_add_int_value (resolution, width);
      json_builder_add_int_value (resolution, height);
      json_builder_end_array (resolution);
    }
  json_builder_end_array (resolution);
}

static void
add_number (JsonBuilder *b,
            const char  *name,
            double       value,
            double       scale)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, round (value * scale) / scale);
}

static void
add_int (JsonBuilder *b,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
add_figures (JsonBuilder   *b,
             const Figures *fig,
             JsonNode      *resolution)
{
  add_number (b, "fps", fig->fps, 10);
  json_builder_set_member_name (b, "frames");
  json_builder_add_int_value (b, fig->frames);
  json_builder_set_member_name (b, "corrupted_frames");
  json_builder_add_int_value (b, fig->corrupted);
  add_number (b, "frozen_ratio", fig->frozen_ratio, 10000);
  add_number (b, "max_freeze_ms", fig->max_freeze_ms, 1);
  json_builder_set_member_name (b, "settled_fps");
  if (fig->settled_fps >= 0)
    json_builder_add_double_value (b, round (fig->settled_fps * 10) / 10);
  else
    json_builder_add_null_value (b);
  add_number (b, "settled_max_freeze_ms", fig->settled_max_freeze_ms, 1);
  add_number (b, "audio_gap_ratio", fig->audio_gap_ratio, 10000);
  add_number (b, "audio_concealed_ms", fig->concealed_ms, 1);
  json_builder_set_member_name (b, "recovery_s");
  if (fig->recovery_s >= 0)
    json_builder_add_double_value (b, round (fig->recovery_s * 10) / 10);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "resolution");
  json_builder_add_value (b, resolution);
  json_builder_set_member_name (b, "nack_sent");
  json_builder_add_int_value (b, fig->rtcp.nack);
  json_builder_set_member_name (b, "pli_sent");
  json_builder_add_int_value (b, fig->rtcp.pli);
  json_builder_set_member_name (b, "fir_sent");
  json_builder_add_int_value (b, fig->rtcp.fir);
  json_builder_set_member_name (b, "packets_lost");
  json_builder_add_int_value (b, fig->rtcp.lost);
  json_builder_set_member_name (b, "jitterbuffer");
  json_builder_begin_object (b);
  add_int (b, "lost", fig->rtcp.jb_lost);
  add_int (b, "rtx_requests", fig->rtcp.jb_rtx);
  add_int (b, "rtx_in_time", fig->rtcp.jb_rtx_success);
  add_int (b, "late", fig->rtcp.jb_late);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "janus");
  if (fig->janus_end.found)
    {
      json_builder_begin_object (b);
      add_int (b, "nack_queue_ms_start", fig->janus_start.nack_queue_ms);
      add_int (b, "nack_queue_ms_end", fig->janus_end.nack_queue_ms);
      add_int (b, "rtt_ms", fig->janus_end.rtt_ms);
      add_int (b, "nacks_received", fig->janus_end.nacks_received - fig->janus_start.nacks_received);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
}

/* Targets (#22) */

typedef struct
{
  guint pass;
  guint fail;
  guint unmeasured;
} Tally;

static void
target (JsonBuilder *b,
        Tally       *tally,
        const char  *name,
        gboolean     pass)
{
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, pass ? "pass" : "fail");
  if (pass)
    tally->pass++;
  else
    tally->fail++;
}

static void
add_targets (JsonBuilder     *b,
             Tally           *tally,
             const Condition *c,
             const Figures   *fig)
{
  json_builder_set_member_name (b, c->name);
  json_builder_begin_object (b);
  target (b, tally, "corrupted_frames = 0", fig->corrupted == 0);
  target (b, tally, "recovery_s <= 10", fig->recovery_s >= 0 && fig->recovery_s <= 10);
  if (g_str_equal (c->name, "loss_2") || g_str_equal (c->name, "loss_5"))
    {
      target (b, tally, "fps >= 28", fig->fps >= 28);
      target (b, tally, "frozen_ratio <= 0.005", fig->frozen_ratio <= 0.005);
    }
  else if (g_str_equal (c->name, "loss_10"))
    {
      target (b, tally, "fps >= 24", fig->fps >= 24);
      target (b, tally, "frozen_ratio <= 0.02", fig->frozen_ratio <= 0.02);
    }
  else if (g_str_equal (c->name, "loss_20"))
    {
      target (b, tally, "fps >= 10", fig->fps >= 10);
      target (b, tally, "audio_gap_ratio <= 0.05", fig->audio_gap_ratio <= 0.05);
    }
  else if (g_str_equal (c->name, "cap_1mbit"))
    {
      target (b, tally, "settled_fps >= 24 (from 3 s)", fig->settled_fps >= 24);
      target (b, tally, "settled_max_freeze_ms <= 1000", fig->settled_max_freeze_ms <= 1000);
    }
  else if (g_str_equal (c->name, "cap_500kbit"))
    target (b, tally, "fps >= 15", fig->fps >= 15);
  else if (g_str_equal (c->name, "cap_250kbit"))
    {
      target (b, tally, "audio_gap_ratio <= 0.02", fig->audio_gap_ratio <= 0.02);
      /* A UI notice: not visible to a CohortCall. */
      json_builder_set_member_name (b, "video notice shown");
      json_builder_add_string_value (b, "unmeasured");
      tally->unmeasured++;
    }
  else if (g_str_equal (c->name, "teacher_uplink_1mbit"))
    target (b, tally, "fps >= 24", fig->fps >= 24);
  else if (g_str_equal (c->name, "neighbour"))
    {
      target (b, tally, "fps >= 29", fig->fps >= 29);
      target (b, tally, "stays 1280x720", fig->always_full);
    }
  json_builder_end_object (b);
}

/* JSON with short numbers: json-glib writes 0.1 as 0.10000000000000001. */

static void
print_node (GString  *out,
            JsonNode *node)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_node_get_object (node);
        g_autoptr(GList) members = json_object_get_members (object);

        g_string_append_c (out, '{');
        for (GList *l = members; l != NULL; l = l->next)
          {
            if (l != members)
              g_string_append (out, ", ");
            cohort_json_append_string (out, l->data);
            g_string_append (out, ": ");
            print_node (out, json_object_get_member (object, l->data));
          }
        g_string_append_c (out, '}');
      }
      break;
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        g_string_append_c (out, '[');
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            if (i > 0)
              g_string_append (out, ", ");
            print_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        cohort_json_append_string (out, json_node_get_string (node));
      else if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE && isfinite (json_node_get_double (node)))
        g_string_append (out, g_ascii_formatd (number, sizeof number, "%.6g", json_node_get_double (node)));
      else if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        g_string_append (out, "null");
      else
        g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
    }
}

static gboolean
wanted (const Condition *c)
{
  const char *only = g_getenv ("COHORT_BENCH_CONDITIONS");
  g_auto(GStrv) names = NULL;

  if (only == NULL || only[0] == '\0')
    return TRUE;
  names = g_strsplit (only, ",", -1);
  return g_strv_contains ((const char * const *) names, c->name);
}

static guint
env_uint (const char *name,
          guint       fallback,
          guint       max)
{
  const char *value = g_getenv (name);
  guint64 n;

  if (value == NULL || value[0] == '\0')
    return fallback;
  if (!g_ascii_string_to_unsigned (value, 10, 0, max, &n, NULL))
    g_error ("%s must be a whole number up to %u", name, max);
  return (guint) n;
}

typedef struct
{
  Student *student;
  guint    frames;
} FramesWait;

static gboolean
has_frames (gpointer data)
{
  FramesWait *wait = data;
  guint n;

  g_mutex_lock (&wait->student->lock);
  n = wait->student->frames->len;
  g_mutex_unlock (&wait->student->lock);
  return n >= wait->frames;
}

static CohortCall *
student_call (CohortSession *session,
              Student       *s,
              const char    *address)
{
  CohortCall *call = cohort_call_new (session);
  const char *addresses[] = { address, NULL };

  if (address != NULL)
    cohort_call_set_ice_addresses (call, addresses);
  s->address = address;
  student_init (s, call);
  return call;
}

static void
on_left (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  cohort_session_leave_finish (COHORT_SESSION (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
leave (CohortSession *session)
{
  gboolean left = FALSE;

  cohort_session_leave_async (session, NULL, on_left, &left);
  cohort_media_rig_wait (flag_set, &left, 5000);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CohortSession) teacher_session = NULL;
  g_autoptr(CohortSession) student_session = NULL;
  g_autoptr(CohortCall) teacher = NULL;
  g_autoptr(CohortCall) student = NULL;
  g_autoptr(JsonBuilder) out = json_builder_new ();
  g_autoptr(JsonBuilder) targets = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *loadavg = NULL;
  Student s = { 0 };
  Tally tally = { 0 };
  CohortMediaRig *rig;
  guint seconds, recovery_max_s, cold_joins;
  FramesWait first = { &s, 30 };
  gint64 started = g_get_monotonic_time ();

  if (cohort_bench_is_cold_student (argc, argv))
    return cohort_bench_cold_student (argc, argv);

  gst_init (&argc, &argv);
  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL || g_getenv ("COHORT_NETCOND") == NULL)
    g_error ("Run this through bench/network.sh");
  seconds = env_uint ("COHORT_BENCH_SECONDS", 30, 600);
  cold_joins = env_uint ("COHORT_BENCH_COLD_JOINS", 0, 1000);
  recovery_max_s = CLAMP (2 * seconds, 5, 20);
  g_setenv ("COHORT_TEST_QUIET_SERVER", "1", TRUE);
  g_timeout_add (100, tick, NULL);
  cohort_media_rig_netcond ("reset");

  rig = cohort_media_rig_start (6);
  teacher_session = cohort_media_rig_create_class (rig, "Teacher");
  teacher = cohort_call_new (teacher_session);
  cohort_media_stamp_answer_teacher (teacher);
  cohort_call_set_camera_on (teacher, TRUE);

  json_builder_begin_object (out);
  json_builder_begin_object (targets);
  json_builder_set_member_name (out, "seconds");
  json_builder_add_int_value (out, seconds);

  student_session = cohort_media_rig_join_via (rig, teacher_session, "Student", STUDENT_ADDRESS);
  student = student_call (student_session, &s, STUDENT_ADDRESS);
  if (!cohort_media_rig_wait (has_frames, &first, 20000))
    g_error ("The teacher's video never reached the student");
  janus_admin = cohort_janus_admin_connect (cohort_media_rig_janus_pid (rig));

  if (cold_joins > 0)
    {
      g_autoptr(GString) cold = g_string_new ("{");
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *object;

      cohort_bench_cold_joins (cold, argv[0], cohort_media_rig_get_url (rig),
                               cohort_session_get_class_code (teacher_session), cold_joins);
      g_string_truncate (cold, cold->len - 2);
      g_string_append (cold, "}");
      if (!json_parser_load_from_data (parser, cold->str, -1, NULL))
        g_error ("cold joins: %s", cold->str);
      object = json_node_get_object (json_parser_get_root (parser));
      for (GList *l = json_object_get_members (object); l != NULL; l = g_list_delete_link (l, l))
        {
          json_builder_set_member_name (out, l->data);
          json_builder_add_value (out, json_node_copy (json_object_get_member (object, l->data)));
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (conditions); i++)
    {
      const Condition *c = &conditions[i];
      g_autoptr(JsonBuilder) resolution = json_builder_new ();
      g_autoptr(JsonNode) resolution_node = NULL;
      g_autoptr(CohortSession) neighbour_session = NULL;
      g_autoptr(CohortCall) neighbour = NULL;
      Student n = { 0 };
      Student *measured = &s;
      Figures fig = { 0 };
      RecoveryWait steady = { &s, 0 };

      if (!wanted (c))
        continue;
      /* Start from a whole picture. */
      steady.lifted = g_get_monotonic_time ();
      cohort_media_rig_wait (recovered, &steady, recovery_max_s * 1000);

      if (g_str_equal (c->name, "neighbour"))
        {
          FramesWait its_first = { &n, 30 };

          neighbour_session = cohort_media_rig_join (rig, teacher_session, "Neighbour");
          neighbour = student_call (neighbour_session, &n, NULL);
          if (!cohort_media_rig_wait (has_frames, &its_first, 20000))
            g_error ("The teacher's video never reached the neighbour");
          measured = &n;
        }

      g_printerr ("network: %s\n", c->name);
      measure (measured, c, seconds, recovery_max_s, &fig, resolution);
      resolution_node = json_builder_get_root (resolution);

      json_builder_set_member_name (out, c->name);
      json_builder_begin_object (out);
      add_figures (out, &fig, g_steal_pointer (&resolution_node));
      json_builder_end_object (out);
      add_targets (targets, &tally, c, &fig);

      if (neighbour != NULL)
        {
          g_clear_object (&neighbour);
          leave (neighbour_session);
          cohort_media_rig_sleep (300);
          student_clear (&n);
        }
    }

  json_builder_set_member_name (targets, "summary");
  json_builder_begin_object (targets);
  json_builder_set_member_name (targets, "pass");
  json_builder_add_int_value (targets, tally.pass);
  json_builder_set_member_name (targets, "fail");
  json_builder_add_int_value (targets, tally.fail);
  json_builder_set_member_name (targets, "unmeasured");
  json_builder_add_int_value (targets, tally.unmeasured);
  json_builder_end_object (targets);
  json_builder_end_object (targets);
  json_builder_set_member_name (out, "targets");
  json_builder_add_value (out, json_builder_get_root (targets));

  json_builder_set_member_name (out, "video");
  json_builder_add_string_value (out, "1280x720@30 VP8");
  json_builder_set_member_name (out, "cores");
  json_builder_add_int_value (out, g_get_num_processors ());
  json_builder_set_member_name (out, "load_avg_1m");
  if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    json_builder_add_double_value (out, g_ascii_strtod (loadavg, NULL));
  else
    json_builder_add_null_value (out);
  json_builder_set_member_name (out, "elapsed_s");
  json_builder_add_int_value (out, (g_get_monotonic_time () - started) / G_USEC_PER_SEC);
  json_builder_end_object (out);

  root = json_builder_get_root (out);
  print_node (text, root);
  g_print ("%s\n", text->str);

  cohort_media_rig_netcond ("reset");
  g_clear_object (&student);
  g_clear_object (&teacher);
  g_clear_pointer (&janus_admin, cohort_janus_admin_free);
  cohort_media_rig_sleep (200);
  cohort_media_rig_free (rig);
  student_clear (&s);
  return 0;
}

/* cohort-bench-voice.c: the study groups' voice rooms, inside tests/media/netns-run.sh
 *
 * One JSON object on stdout:
 *   join_to_first_audio_ms {median, p95}: a fresh member process each
 *     time (the app warms WebRTC up at start, then the user clicks Join
 *     Voice): from its voice.join request to the first audio the decoder
 *     gives out of the room's mix, where someone speaks;
 *   mouth_to_ear_ms {median, p95}: a member sends 100 ms tone bursts out
 *     of silence twice a second; another member of the room hears each
 *     onset: from the burst's capture (its buffer leaving the source) to
 *     its first loud sample played (an appsink that syncs to the clock,
 *     as a sound card would), through the class server's Janus AudioBridge
 *     and two CohortVoiceRooms;
 *   floor_mouth_to_ear_ms {median, p95}: the same bursts through a bare
 *     pair of webrtcbins in this process, with the voice room's Opus
 *     settings, payloading, decoder and receive latency: no Janus;
 *   server_cpu_pct, janus_cpu_pct: the class server and its Janus with
 *     10 rooms of 6 members, 2 speaking in each (CPU_SECONDS);
 *   student_cpu_pct: one of those members, a process of its own, as the
 *     app runs it (its microphone open, the room's mix decoded and played);
 *   audio_gap_ratio: a member whose link to Janus loses 10 % of the
 *     packets both ways (tests/media/netcond.sh, nftables), listening to
 *     a room where someone speaks without pause: the share of the time
 *     in which it played none of the room's sound (10 ms blocks under a
 *     tenth of the tone's level, concealment, or nothing at all), over
 *     GAP_SECONDS;
 *     audio_gap_ratio_no_loss is the same member before the loss.
 * CPU percentages are of one core.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <gst/app/app.h>

#include "cohort-bench-coldjoin.h"
#include "cohort-bench-pair.h"
#include "cohort-bench-proc.h"
#include "cohort-bench-stats.h"
#include "cohort-media-rig.h"
#include "cohort-media-webrtc.h"
#include "cohort-test-session.h"
#include "cohort-voice-room.h"

#define JOINS            15
#define BURSTS           40
#define LOAD_ROOMS       10
#define ROOM_SIZE        6
#define SPEAKERS         2
#define CPU_SECONDS      10
#define GAP_SECONDS      20
#define LOSS_PCT         10
#define LOSSY_ADDRESS    "10.77.0.3"

#define RATE             48000
#define BLOCK            480        /* 10 ms, the capture and analysis block */
#define BURST_EVERY      50         /* blocks: a burst every 500 ms */
#define BURST_BLOCKS     10         /* blocks: 100 ms of tone */
#define TONE             0.5
#define LOUD             0.1        /* a sample this loud is the tone */

/* The voice room's own sending chain (cohort-voice-room.c), for the floor. */
#define VOICE_SEND_CHAIN \
  "audioconvert ! audioresample ! audio/x-raw,rate=48000,channels=1 " \
  "! volume ! level audio-level-meta=true post-messages=false " \
  "! queue max-size-time=100000000 leaky=downstream " \
  "! opusenc inband-fec=true dtx=true bitrate=32000 packet-loss-percentage=10 " \
  "frame-size=20 audio-type=voice " \
  "! rtpopuspay pt=111 mtu=1200 " \
  "! application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,payload=111,useinbandfec=(string)1 "
#define VOICE_RECV_CHAIN \
  "rtpopusdepay ! opusdec plc=true use-inband-fec=true ! audioconvert ! audioresample"

/* Bursts: the sender's capture times and the listener's onsets */

typedef struct
{
  GMutex  lock;
  GArray *sent_us;      /* gint64: each burst's first block leaving the source */
  GArray *heard_us;     /* gint64: each onset played at the listener */
  guint64 blocks;       /* the source's blocks so far (its thread only) */
  gint64  last_loud_us; /* the listener's (its thread only) */
} Bursts;

/* The source's thread: every BURST_EVERY blocks, BURST_BLOCKS of tone;
 * silence between (Opus DTX sends next to nothing then, as for a quiet
 * microphone). */
static GstPadProbeReturn
burst_probe (GstPad          *pad,
             GstPadProbeInfo *info,
             gpointer         user_data)
{
  Bursts *b = user_data;
  GstBuffer *buffer = gst_pad_probe_info_get_buffer (info);
  guint64 phase = b->blocks++ % BURST_EVERY;
  GstMapInfo map;

  buffer = gst_buffer_make_writable (buffer);
  GST_PAD_PROBE_INFO_DATA (info) = buffer;
  if (!gst_buffer_map (buffer, &map, GST_MAP_WRITE))
    return GST_PAD_PROBE_OK;
  if (phase >= BURST_BLOCKS)
    memset (map.data, 0, map.size);
  gst_buffer_unmap (buffer, &map);

  if (phase == 0)
    {
      gint64 now = g_get_monotonic_time ();

      g_mutex_lock (&b->lock);
      g_array_append_val (b->sent_us, now);
      g_mutex_unlock (&b->lock);
    }
  return GST_PAD_PROBE_OK;
}

/* A live 48 kHz mono sine in 10 ms blocks (a microphone's pace) that
 * the probe turns into bursts. */
static GstElement *
burst_source_new (Bursts *b)
{
  GstElement *bin = gst_parse_bin_from_description (
    "audiotestsrc name=src is-live=true wave=sine freq=880 volume=" G_STRINGIFY (TONE) " "
    "samplesperbuffer=" G_STRINGIFY (BLOCK) " ! audio/x-raw,format=F32LE,rate=48000,channels=1",
    TRUE, NULL);
  g_autoptr(GstElement) src = gst_bin_get_by_name (GST_BIN (bin), "src");
  g_autoptr(GstPad) pad = gst_element_get_static_pad (src, "src");

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, burst_probe, b, NULL);
  return bin;
}

/* The listener's thread, when a buffer is played: an onset is the first
 * loud sample after 200 ms without any. */
static GstFlowReturn
on_burst_sample (GstAppSink *appsink,
                 gpointer    user_data)
{
  Bursts *b = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (appsink);
  gint64 now = g_get_monotonic_time ();
  GstMapInfo map;
  const float *pcm;
  gsize n;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (!gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    return GST_FLOW_OK;
  pcm = (const float *) map.data;
  n = map.size / sizeof (float);
  for (gsize i = 0; i < n; i++)
    if (fabsf (pcm[i]) > LOUD)
      {
        /* The sample plays i/RATE after the buffer's start. */
        gint64 at = now + (gint64) i * G_USEC_PER_SEC / RATE;

        if (at - b->last_loud_us > 200 * 1000)
          {
            g_mutex_lock (&b->lock);
            g_array_append_val (b->heard_us, at);
            g_mutex_unlock (&b->lock);
          }
        b->last_loud_us = at;
        break;
      }
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  return GST_FLOW_OK;
}

static GstElement *
analysis_sink_new (gboolean                    sync,
                   GstAppSinkCallbacks        *callbacks,
                   gpointer                    data)
{
  GstElement *bin = gst_parse_bin_from_description (
    "audioconvert ! audioresample ! audio/x-raw,format=F32LE,rate=48000,channels=1 "
    "! appsink name=sink max-buffers=50 drop=true", TRUE, NULL);
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (bin), "sink");

  g_object_set (sink, "sync", sync, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), callbacks, data, NULL);
  return bin;
}

static GstElement *
burst_sink_new (Bursts *b)
{
  static GstAppSinkCallbacks callbacks = { .new_sample = on_burst_sample };

  return analysis_sink_new (TRUE, &callbacks, b);
}

static gboolean
enough_bursts (gpointer data)
{
  Bursts *b = data;
  gboolean done;

  g_mutex_lock (&b->lock);
  done = b->heard_us->len >= BURSTS;
  g_mutex_unlock (&b->lock);
  return done;
}

static void
bursts_reset (Bursts *b)
{
  g_mutex_lock (&b->lock);
  g_array_set_size (b->sent_us, 0);
  g_array_set_size (b->heard_us, 0);
  g_mutex_unlock (&b->lock);
}

/* Each onset against the newest burst sent before it, within a period. */
static GArray *
bursts_latencies (Bursts *b)
{
  GArray *ms = g_array_new (FALSE, FALSE, sizeof (double));

  g_mutex_lock (&b->lock);
  for (guint i = 0; i < b->heard_us->len; i++)
    {
      gint64 heard = g_array_index (b->heard_us, gint64, i);
      gint64 sent = 0;

      for (guint j = 0; j < b->sent_us->len; j++)
        if (g_array_index (b->sent_us, gint64, j) < heard)
          sent = g_array_index (b->sent_us, gint64, j);
      if (sent != 0 && heard - sent < BURST_EVERY * 10 * 1000 * 9 / 10)
        {
          double d = (heard - sent) / 1000.0;

          g_array_append_val (ms, d);
        }
    }
  g_mutex_unlock (&b->lock);
  return ms;
}

/* Gaps: the share of played time without the tone */

typedef struct
{
  gint   measuring;   /* atomic */
  gint64 start_us;
  gint   loud_blocks; /* atomic */
} Gaps;

static GstFlowReturn
on_gap_sample (GstAppSink *appsink,
               gpointer    user_data)
{
  Gaps *g = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (appsink);
  GstMapInfo map;
  const float *pcm;
  gsize n;

  if (sample == NULL)
    return GST_FLOW_EOS;
  /* Concealment (a gap buffer) is not the room's sound, as in
   * bench/run network's audio_gap_ratio. */
  if (!g_atomic_int_get (&g->measuring) ||
      GST_BUFFER_FLAG_IS_SET (gst_sample_get_buffer (sample), GST_BUFFER_FLAG_GAP) ||
      !gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    return GST_FLOW_OK;
  pcm = (const float *) map.data;
  n = map.size / sizeof (float);
  for (gsize start = 0; start + BLOCK <= n; start += BLOCK)
    {
      double sum = 0;

      for (gsize i = start; i < start + BLOCK; i++)
        sum += pcm[i] * pcm[i];
      /* A sine of amplitude TONE has an RMS of TONE/√2. */
      if (sqrt (sum / BLOCK) > TONE / G_SQRT2 / 10)
        g_atomic_int_inc (&g->loud_blocks);
    }
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  return GST_FLOW_OK;
}

/* Waiting */

static gboolean
room_receiving (gpointer data)
{
  return cohort_voice_room_get_receiving (data);
}

static gboolean
rooms_receiving (gpointer data)
{
  GPtrArray *rooms = data;

  for (guint i = 0; i < rooms->len; i++)
    if (!cohort_voice_room_get_receiving (g_ptr_array_index (rooms, i)))
      return FALSE;
  return TRUE;
}

/* --member URL CODE: a member process, driven by lines on stdin
 *   "join GROUP"  joins GROUP's voice room; prints "first_audio MS"
 *   "gaps S"      measures the gaps over S seconds; prints "gaps RATIO"
 * and prints "participant ID" once in the class. It ends with stdin. */

typedef struct
{
  CohortVoiceRoom *room;
  GMainLoop       *loop;
  GDataInputStream *in;
  gint64           join_us;
  Gaps             gaps;
} Member;

static GstElement *
on_member_source (CohortVoiceRoom *room,
                  const char      *what,
                  gpointer         user_data)
{
  /* An open microphone in a quiet room. */
  return gst_parse_launch ("audiotestsrc is-live=true wave=silence samplesperbuffer=480", NULL);
}

static GstElement *
on_member_sink (CohortVoiceRoom *room,
                const char      *what,
                Member          *m)
{
  static GstAppSinkCallbacks callbacks = { .new_sample = on_gap_sample };

  /* Played in time, as a sound card takes it. */
  return analysis_sink_new (TRUE, &callbacks, &m->gaps);
}

static void
on_member_receiving (CohortVoiceRoom *room,
                     GParamSpec      *pspec,
                     Member          *m)
{
  if (!cohort_voice_room_get_receiving (room) || m->join_us == 0)
    return;
  g_print ("first_audio %.1f\n", (g_get_monotonic_time () - m->join_us) / 1000.0);
  m->join_us = 0;
}

static gboolean
on_gaps_done (gpointer user_data)
{
  Member *m = user_data;
  double played_ms, wall_ms;

  g_atomic_int_set (&m->gaps.measuring, 0);
  wall_ms = (g_get_monotonic_time () - m->gaps.start_us) / 1000.0;
  played_ms = g_atomic_int_get (&m->gaps.loud_blocks) * 10.0;
  g_print ("gaps %.4f\n", MAX (0.0, 1.0 - played_ms / wall_ms));
  return G_SOURCE_REMOVE;
}

static void read_command (Member *m);

static void
on_command (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Member *m = user_data;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (m->in, result, NULL, NULL);
  gint64 arg;

  if (line == NULL)
    {
      g_main_loop_quit (m->loop);
      return;
    }
  if (g_str_has_prefix (line, "join ") && (arg = g_ascii_strtoll (line + 5, NULL, 10)) > 0)
    {
      m->join_us = g_get_monotonic_time ();
      cohort_voice_room_join (m->room, arg);
    }
  else if (g_str_has_prefix (line, "gaps ") && (arg = g_ascii_strtoll (line + 5, NULL, 10)) > 0)
    {
      g_atomic_int_set (&m->gaps.loud_blocks, 0);
      m->gaps.start_us = g_get_monotonic_time ();
      g_atomic_int_set (&m->gaps.measuring, 1);
      g_timeout_add_seconds (arg, on_gaps_done, m);
    }
  read_command (m);
}

static void
read_command (Member *m)
{
  g_data_input_stream_read_line_async (m->in, G_PRIORITY_DEFAULT, NULL, on_command, m);
}

static void
on_joined (GObject      *source,
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

static int
run_member (const char *url,
            const char *code)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GInputStream) stdin_stream = g_unix_input_stream_new (0, FALSE);
  Member m = { 0 };

  setvbuf (stdout, NULL, _IOLBF, 0);
  /* As the application does at startup. */
  cohort_webrtc_warm_up ();

  cohort_session_join_async (session, url, code, "Member", NULL, NULL, on_joined, &result);
  if (!cohort_media_rig_wait (result_ready, &result, 10000) ||
      !cohort_session_join_finish (session, result, NULL))
    return 1;

  m.loop = g_main_loop_new (NULL, FALSE);
  m.in = g_data_input_stream_new (stdin_stream);
  m.room = cohort_voice_room_new (session);
  g_signal_connect (m.room, "create-source", G_CALLBACK (on_member_source), NULL);
  g_signal_connect (m.room, "create-sink", G_CALLBACK (on_member_sink), &m);
  g_signal_connect (m.room, "notify::receiving", G_CALLBACK (on_member_receiving), &m);
  g_print ("participant %" G_GINT64_FORMAT "\n", cohort_participant_get_id (cohort_session_get_self (session)));

  read_command (&m);
  g_main_loop_run (m.loop);

  g_clear_object (&m.room);
  g_clear_object (&m.in);
  g_main_loop_unref (m.loop);
  return 0;
}

/* The parent's side of a member process */

typedef struct
{
  GSubprocess      *process;
  GDataInputStream *out;
  GOutputStream    *in;
  gint64            participant_id;
} Child;

static char *
child_read_line (Child *c,
                 guint  timeout_ms)
{
  char *line = NULL;

  g_data_input_stream_read_line_async (c->out, G_PRIORITY_DEFAULT, NULL, cohort_bench_line_cb, &line);
  /* The line comes in any case: at the latest when the child ends. */
  if (!cohort_media_rig_wait (cohort_bench_line_ready, &line, timeout_ms))
    {
      g_subprocess_force_exit (c->process);
      cohort_media_rig_wait (cohort_bench_line_ready, &line, 5000);
    }
  return line;
}

static void
child_write (Child      *c,
             const char *command,
             gint64      arg)
{
  g_autofree char *text = g_strdup_printf ("%s %" G_GINT64_FORMAT "\n", command, arg);

  g_output_stream_write_all (c->in, text, strlen (text), NULL, NULL, NULL);
  g_output_stream_flush (c->in, NULL, NULL);
}

static Child *
child_spawn (const char     *program,
             CohortMediaRig *rig,
             CohortSession  *teacher,
             const char     *ice_address)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Child *c = g_new0 (Child, 1);

  if (ice_address != NULL)
    g_subprocess_launcher_setenv (launcher, "COHORT_MEDIA_ICE_ADDRESSES", ice_address, TRUE);
  c->process = g_subprocess_launcher_spawn (launcher, &error, program, "--member",
                                            cohort_media_rig_get_url (rig),
                                            cohort_session_get_class_code (teacher), NULL);
  g_assert_no_error (error);
  c->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (c->process));
  c->in = g_subprocess_get_stdin_pipe (c->process);
  line = child_read_line (c, 20000);
  if (!g_str_has_prefix (line, "participant "))
    g_error ("A member process did not join the class");
  c->participant_id = g_ascii_strtoll (line + strlen ("participant "), NULL, 10);
  return c;
}

static void
child_free (Child *c)
{
  g_output_stream_close (c->in, NULL, NULL);
  g_subprocess_wait (c->process, NULL, NULL);
  g_object_unref (c->out);
  g_object_unref (c->process);
  g_free (c);
}

/* A number the child prints after @prefix, -1 if it does not. */
static double
child_expect (Child      *c,
              const char *prefix,
              guint       timeout_ms)
{
  g_autofree char *line = child_read_line (c, timeout_ms);

  if (!g_str_has_prefix (line, prefix))
    return -1;
  return g_ascii_strtod (line + strlen (prefix), NULL);
}

/* Members in this process */

static GstElement *
on_tone_source (CohortVoiceRoom *room,
                const char      *what,
                gpointer         speaking)
{
  /* A speaker: a steady tone well above AudioBridge's talking threshold;
   * the others: an open microphone in a quiet room. */
  return gst_parse_launch (GPOINTER_TO_INT (speaking)
                           ? "audiotestsrc is-live=true wave=sine freq=440 volume=" G_STRINGIFY (TONE) " samplesperbuffer=480"
                           : "audiotestsrc is-live=true wave=silence samplesperbuffer=480", NULL);
}

static GstElement *
on_played_sink (CohortVoiceRoom *room,
                const char      *what,
                gpointer         user_data)
{
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_object_set (sink, "sync", TRUE, NULL);
  return sink;
}

static CohortVoiceRoom *
member_in_process (CohortSession *session,
                   gint64         group_id,
                   gboolean       speaking)
{
  CohortVoiceRoom *room = cohort_voice_room_new (session);

  g_signal_connect (room, "create-source", G_CALLBACK (on_tone_source), GINT_TO_POINTER (speaking));
  g_signal_connect (room, "create-sink", G_CALLBACK (on_played_sink), NULL);
  cohort_voice_room_join (room, group_id);
  return room;
}

static GstElement *
on_burst_source (CohortVoiceRoom *room,
                 const char      *what,
                 Bursts          *b)
{
  return burst_source_new (b);
}

static GstElement *
on_burst_sink (CohortVoiceRoom *room,
               const char      *what,
               Bursts          *b)
{
  return burst_sink_new (b);
}

static JsonObject *
request_ok (CohortSession *session,
            const char    *type,
            JsonObject    *body)
{
  g_autoptr(GError) error = NULL;
  JsonObject *reply = cohort_test_session_request (session, type, body, &error);

  if (reply == NULL)
    g_error ("%s failed: %s", type, error->message);
  return reply;
}

static gint64
create_group (CohortSession *teacher,
              guint          n,
              guint          size)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *name = g_strdup_printf ("Room %u", n);

  json_object_set_string_member (body, "name", name);
  json_object_set_int_member (body, "size", size);
  reply = request_ok (teacher, "groups.create", body);
  return json_object_get_int_member (json_object_get_object_member (reply, "group"), "id");
}

static void
assign (CohortSession *teacher,
        gint64         participant_id,
        gint64         group_id)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;

  json_object_set_int_member (body, "participant_id", participant_id);
  json_object_set_int_member (body, "group_id", group_id);
  reply = request_ok (teacher, "groups.assign", body);
}

static CohortSession *
student_in (CohortMediaRig *rig,
            CohortSession  *teacher,
            gint64          group_id,
            const char     *name)
{
  CohortSession *session = cohort_media_rig_join (rig, teacher, name);

  assign (teacher, cohort_participant_get_id (cohort_session_get_self (session)), group_id);
  return session;
}

/* Floor: two bare webrtcbins */

typedef struct
{
  GstElement *send;
  GstElement *recv;
  GstElement *recv_pipeline;
  Bursts     *bursts;
} Floor;

static void
on_floor_pad (GstElement *webrtc,
              GstPad     *pad,
              Floor      *f)
{
  GstElement *chain, *sink;
  g_autoptr(GstPad) sinkpad = NULL;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;
  chain = gst_parse_bin_from_description (VOICE_RECV_CHAIN, TRUE, NULL);
  sink = burst_sink_new (f->bursts);
  gst_bin_add_many (GST_BIN (f->recv_pipeline), chain, sink, NULL);
  gst_element_link (chain, sink);
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (chain);
  sinkpad = gst_element_get_static_pad (chain, "sink");
  gst_pad_link (pad, sinkpad);
}

static void
measure_floor (Bursts *b)
{
  Floor f = { 0 };
  CohortBenchPair *pair;
  GstElement *send_pipeline;
  GstElement *source;
  const char *send_addr[] = { "10.77.0.2", NULL };
  const char *recv_addr[] = { "10.77.0.1", NULL };

  f.bursts = b;
  /* Two pipelines, like two machines. */
  send_pipeline = gst_parse_launch ("queue name=ain ! " VOICE_SEND_CHAIN
                                    "! webrtcbin name=send bundle-policy=max-bundle", NULL);
  g_assert_nonnull (send_pipeline);
  source = burst_source_new (b);
  gst_bin_add (GST_BIN (send_pipeline), source);
  {
    g_autoptr(GstElement) ain = gst_bin_get_by_name (GST_BIN (send_pipeline), "ain");
    gst_element_link (source, ain);
  }
  f.send = gst_bin_get_by_name (GST_BIN (send_pipeline), "send");
  f.recv_pipeline = gst_pipeline_new ("floor-recv");
  f.recv = gst_element_factory_make ("webrtcbin", "recv");
  g_object_set (f.recv, "bundle-policy", GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE,
                "latency", COHORT_VOICE_LATENCY_MS, NULL);
  gst_bin_add (GST_BIN (f.recv_pipeline), gst_object_ref (f.recv));

  cohort_webrtc_configure_ice (f.send, send_addr, NULL);
  cohort_webrtc_configure_ice (f.recv, recv_addr, NULL);
  pair = cohort_bench_pair_connect (f.send, f.recv);
  g_signal_connect (f.recv, "pad-added", G_CALLBACK (on_floor_pad), &f);

  gst_element_set_state (f.recv_pipeline, GST_STATE_PLAYING);
  gst_element_set_state (send_pipeline, GST_STATE_PLAYING);
  /* A few bursts to settle, then as many as through the room. */
  cohort_media_rig_sleep (2000);
  bursts_reset (b);
  cohort_media_rig_wait (enough_bursts, b, (BURSTS + 20) * 500);

  gst_element_set_state (send_pipeline, GST_STATE_NULL);
  gst_element_set_state (f.recv_pipeline, GST_STATE_NULL);
  cohort_bench_pair_free (pair);
  gst_clear_object (&send_pipeline);
  gst_clear_object (&f.send);
  gst_clear_object (&f.recv);
  gst_clear_object (&f.recv_pipeline);
}

/* Measurements */

static void
print_stats (GString    *out,
             const char *name,
             GArray     *values)
{
  double median = cohort_bench_quantile (values, 0.5);
  double p95 = cohort_bench_quantile (values, 0.95);

  g_string_append_printf (out, "\"%s\": {\"median\": %.1f, \"p95\": %.1f, \"n\": %u}, ", name, median, p95,
                          values->len);
}

/* pid's parent, from /proc/pid/stat ("pid (comm) state ppid …"). */
static GPid
parent_pid (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *close_paren;

  if (!g_file_get_contents (path, &stat, NULL, NULL) || (close_paren = strrchr (stat, ')')) == NULL)
    return 0;
  return (GPid) atoi (close_paren + 4);
}

static void
leave_all (GPtrArray *rooms)
{
  g_ptr_array_set_size (rooms, 0);
  /* Each room said voice.leave as it went: let the server hear them. */
  cohort_media_rig_sleep (1000);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GString) out = g_string_new ("{");
  g_autoptr(GArray) joins = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) m2e = NULL;
  g_autoptr(GArray) floor_m2e = NULL;
  g_autoptr(GPtrArray) sessions = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) rooms = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CohortSession) teacher = NULL;
  CohortMediaRig *rig;
  Bursts bursts = { 0 };
  gint64 talk_group, load_groups[LOAD_ROOMS];
  double server_cpu = -1, janus_cpu = -1, student_cpu = -1;
  double gap_ratio = -1, gap_ratio_clean = -1;
  long ticks = sysconf (_SC_CLK_TCK);

  gst_init (&argc, &argv);

  if (argc == 4 && g_str_equal (argv[1], "--member"))
    return run_member (argv[2], argv[3]);

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL)
    g_error ("Run this through tests/media/netns-run.sh (bench/voice.sh does)");

  g_setenv ("COHORT_TEST_QUIET_SERVER", "1", TRUE);
  g_mutex_init (&bursts.lock);
  bursts.sent_us = g_array_new (FALSE, FALSE, sizeof (gint64));
  bursts.heard_us = g_array_new (FALSE, FALSE, sizeof (gint64));

  rig = cohort_media_rig_start (6);
  teacher = cohort_media_rig_create_class (rig, "Teacher");
  /* Every member process of the joins stays assigned to the first. */
  talk_group = create_group (teacher, 0, JOINS + 8);
  for (guint i = 0; i < LOAD_ROOMS; i++)
    load_groups[i] = create_group (teacher, i + 1, ROOM_SIZE);

  /* 1. Mouth to ear: a burst speaker and a listener in one room. */
  {
    g_autoptr(CohortSession) a = student_in (rig, teacher, talk_group, "Speaker");
    g_autoptr(CohortSession) b = student_in (rig, teacher, talk_group, "Listener");
    g_autoptr(CohortVoiceRoom) speaker = cohort_voice_room_new (a);
    g_autoptr(CohortVoiceRoom) listener = cohort_voice_room_new (b);

    g_signal_connect (speaker, "create-source", G_CALLBACK (on_burst_source), &bursts);
    g_signal_connect (speaker, "create-sink", G_CALLBACK (on_played_sink), NULL);
    g_signal_connect (listener, "create-source", G_CALLBACK (on_tone_source), GINT_TO_POINTER (FALSE));
    g_signal_connect (listener, "create-sink", G_CALLBACK (on_burst_sink), &bursts);
    cohort_voice_room_join (speaker, talk_group);
    cohort_voice_room_join (listener, talk_group);
    if (!cohort_media_rig_wait (room_receiving, listener, 20000))
      g_error ("The voice room's sound never arrived");
    cohort_media_rig_sleep (2000);
    bursts_reset (&bursts);
    cohort_media_rig_wait (enough_bursts, &bursts, (BURSTS + 20) * 500);
    m2e = bursts_latencies (&bursts);
    g_clear_object (&speaker);
    g_clear_object (&listener);
    cohort_media_rig_sleep (500);
  }

  /* 2. The floor, in the same run. */
  bursts_reset (&bursts);
  measure_floor (&bursts);
  floor_m2e = bursts_latencies (&bursts);

  /* 3. Join to first audio: a fresh member process each time, into a
   * room where someone speaks. */
  {
    g_autoptr(CohortSession) s = student_in (rig, teacher, talk_group, "Talker");

    g_ptr_array_add (rooms, member_in_process (s, talk_group, TRUE));
    if (!cohort_media_rig_wait (rooms_receiving, rooms, 20000))
      g_error ("The talker never joined");
    for (guint i = 0; i < JOINS; i++)
      {
        Child *c = child_spawn (argv[0], rig, teacher, NULL);
        double ms;

        assign (teacher, c->participant_id, talk_group);
        /* Settled, as the app is a moment after it opened. */
        cohort_media_rig_sleep (1000);
        child_write (c, "join", talk_group);
        ms = child_expect (c, "first_audio ", 20000);
        if (ms >= 0)
          g_array_append_val (joins, ms);
        child_free (c);
      }

    /* 5 (first half). The same kind of member on the cut address,
     * while nothing else runs: its gaps without loss, then with it. */
    {
      Child *c = child_spawn (argv[0], rig, teacher, LOSSY_ADDRESS);

      assign (teacher, c->participant_id, talk_group);
      child_write (c, "join", talk_group);
      if (child_expect (c, "first_audio ", 20000) >= 0)
        {
          cohort_media_rig_sleep (1000);
          child_write (c, "gaps", 5);
          gap_ratio_clean = child_expect (c, "gaps ", 15000);
          cohort_media_rig_netcond (LOSSY_ADDRESS " loss " G_STRINGIFY (LOSS_PCT));
          cohort_media_rig_sleep (2000);
          child_write (c, "gaps", GAP_SECONDS);
          gap_ratio = child_expect (c, "gaps ", (GAP_SECONDS + 10) * 1000);
          cohort_media_rig_netcond ("reset");
        }
      child_free (c);
    }
    leave_all (rooms);
  }

  /* 4. Ten rooms of six, two speaking in each; one member of the last
   * room is a process of its own. */
  {
    g_autofree char *line = NULL;
    GPid janus = cohort_media_rig_janus_pid (rig);
    GPid server = parent_pid (janus);
    Child *c;

    for (guint r = 0; r < LOAD_ROOMS; r++)
      for (guint k = 0; k < ROOM_SIZE - (r == LOAD_ROOMS - 1 ? 1 : 0); k++)
        {
          g_autofree char *name = g_strdup_printf ("Member %u.%u", r + 1, k + 1);
          CohortSession *s = student_in (rig, teacher, load_groups[r], name);

          g_ptr_array_add (sessions, s);
          g_ptr_array_add (rooms, member_in_process (s, load_groups[r], k < SPEAKERS));
        }
    if (!cohort_media_rig_wait (rooms_receiving, rooms, 120000))
      g_printerr ("Not every member of the loaded rooms hears its room\n");

    c = child_spawn (argv[0], rig, teacher, NULL);
    assign (teacher, c->participant_id, load_groups[LOAD_ROOMS - 1]);
    child_write (c, "join", load_groups[LOAD_ROOMS - 1]);
    if (child_expect (c, "first_audio ", 20000) >= 0 && janus > 0 && server > 0)
      {
        GPid student = atoi (g_subprocess_get_identifier (c->process));
        guint64 s0, s1, j0, j1, c0, c1;
        gint64 w0, w1;

        cohort_media_rig_sleep (2000);
        s0 = cohort_bench_proc_ticks (server);
        j0 = cohort_bench_proc_ticks (janus);
        c0 = cohort_bench_proc_ticks (student);
        w0 = g_get_monotonic_time ();
        cohort_media_rig_sleep (CPU_SECONDS * 1000);
        s1 = cohort_bench_proc_ticks (server);
        j1 = cohort_bench_proc_ticks (janus);
        c1 = cohort_bench_proc_ticks (student);
        w1 = g_get_monotonic_time ();
        server_cpu = 100.0 * (s1 - s0) / ticks / ((w1 - w0) / 1e6);
        janus_cpu = 100.0 * (j1 - j0) / ticks / ((w1 - w0) / 1e6);
        student_cpu = 100.0 * (c1 - c0) / ticks / ((w1 - w0) / 1e6);
      }
    child_free (c);
    leave_all (rooms);
    g_ptr_array_set_size (sessions, 0);
  }

  print_stats (out, "join_to_first_audio_ms", joins);
  print_stats (out, "mouth_to_ear_ms", m2e);
  print_stats (out, "floor_mouth_to_ear_ms", floor_m2e);
  g_string_append_printf (out, "\"server_cpu_pct\": %.1f, \"janus_cpu_pct\": %.1f, \"student_cpu_pct\": %.1f, "
                          "\"audio_gap_ratio\": %.4f, \"audio_gap_ratio_no_loss\": %.4f, \"loss_pct\": %d, "
                          "\"rooms\": %d, \"members_per_room\": %d, \"speaking_per_room\": %d, "
                          "\"receive_latency_ms\": %d, \"cores\": %u, \"load_avg_1m\": ",
                          server_cpu, janus_cpu, student_cpu, gap_ratio, gap_ratio_clean, LOSS_PCT,
                          LOAD_ROOMS, ROOM_SIZE, SPEAKERS, COHORT_VOICE_LATENCY_MS, g_get_num_processors ());
  cohort_bench_append_load_avg (out);
  g_string_append (out, "}");
  g_print ("%s\n", out->str);

  g_clear_object (&teacher);
  cohort_media_rig_free (rig);
  g_array_unref (bursts.sent_us);
  g_array_unref (bursts.heard_us);
  g_mutex_clear (&bursts.lock);
  return 0;
}

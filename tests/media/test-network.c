/* test-network.c: a student on a weak link, inside netns-run.sh
 *
 * A real cohort-server with its embedded Janus (Admin API on), a teacher
 * publishing a stamped 720p30 camera (cohort-media-stamp.h) and one
 * student whose media uses only $COHORT_TEST_CUT_ADDRESS, so that
 * netcond.sh can degrade his link and nobody else's. The tests run in
 * order on one class.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-media-janus-admin.h"
#include "cohort-media-rig.h"
#include "cohort-media-webrtc.h"
#include "cohort-test-wait.h"

typedef struct
{
  CohortMediaRig *rig;
  CohortSession  *teacher_session;
  CohortSession  *student_session;
  CohortCall     *teacher;
  CohortCall     *student;
} World;

static World w;

static gint64
teacher_camera (void)
{
  gint64 teacher_id = cohort_participant_get_id (cohort_session_get_self (w.teacher_session));
  GListModel *feeds = cohort_call_get_feeds (w.student);

  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);

      if (cohort_feed_get_participant_id (feed) == teacher_id &&
          g_str_equal (cohort_feed_get_kind (feed), "camera"))
        return cohort_feed_get_feed_id (feed);
    }

  return 0;
}

static CohortRigSink *
student_sink (void)
{
  gint64 feed_id = teacher_camera ();

  return feed_id != 0 ? cohort_rig_sink_for_feed (w.student, feed_id) : NULL;
}

static CohortSubscriber *
student_subscriber (void)
{
  return cohort_call_get_subscriber (w.student, teacher_camera ());
}

typedef struct
{
  CohortRigSink *sink;
  guint          frames;
} FramesWait;

static gboolean
frames_reached (gpointer data)
{
  FramesWait *fw = data;

  fw->sink = student_sink ();
  return fw->sink != NULL && cohort_rig_sink_get_frames (fw->sink) >= fw->frames;
}

typedef struct
{
  CohortJanusAdmin *admin;
  gint64            video_nack_queue_ms;
  gint64            video_rtt;
  gint64            audio_rtt;
} JanusView;

/* The student's subscriber handle in Janus: the only one whose
 * PeerConnection sends to the student's address. */
static gboolean
janus_measured_rtt (gpointer data)
{
  JanusView *view = data;
  const char *address = g_getenv ("COHORT_TEST_CUT_ADDRESS");
  g_autoptr(JsonObject) video = NULL;
  g_autoptr(JsonObject) audio = NULL;
  guint found = 0;

  video = cohort_janus_admin_subscriber_medium (view->admin, address, "video", &found);
  g_assert_cmpuint (found, ==, 1);
  audio = cohort_janus_admin_subscriber_medium (view->admin, address, "audio", &found);
  g_assert_cmpuint (found, ==, 1);
  g_assert_nonnull (video);
  g_assert_nonnull (audio);
  view->video_nack_queue_ms = cohort_janus_admin_medium_stat (video, "", "nack-queue-ms");
  view->video_rtt = cohort_janus_admin_medium_stat (video, "rtcp", "rtt");
  view->audio_rtt = cohort_janus_admin_medium_stat (audio, "rtcp", "rtt");

  if (view->video_nack_queue_ms > 0 && view->video_rtt > 0 && view->audio_rtt > 0)
    return TRUE;
  /* Janus takes an RTT from each receiver report (one a second or so). */
  cohort_test_iterate_for (250);
  return FALSE;
}

/* Janus keeps the student's video for retransmission as long as the round
 * trip it measures from his receiver reports (plus 100 ms): it must
 * measure one for the video, and for the audio sent in the same bundle,
 * on the namespace's own round trip (under a millisecond, which Janus
 * takes for none without the DLSR bias). The student's RTCP used to be
 * delayed 20 ms here; that delay stayed for the tests after this one
 * and held every NACK behind the ones before it (Janus measured 333 ms). */
static void
test_retransmission_buffer (void)
{
  FramesWait fw = { NULL, 10 };
  g_autoptr(CohortJanusAdmin) admin = NULL;
  JanusView view = { NULL, 0, 0, 0 };
  gboolean measured;

  g_assert_true (cohort_media_rig_wait (frames_reached, &fw, 10000));

  admin = cohort_janus_admin_connect (cohort_media_rig_janus_pid (w.rig));
  view.admin = admin;
  measured = cohort_media_rig_wait (janus_measured_rtt, &view, 15000);
  g_test_message ("Janus for the student: video nack-queue-ms %" G_GINT64_FORMAT ", rtt %" G_GINT64_FORMAT
                  " ms; audio rtt %" G_GINT64_FORMAT " ms",
                  view.video_nack_queue_ms, view.video_rtt, view.audio_rtt);
  g_assert_true (measured);
  g_assert_cmpint (view.video_nack_queue_ms, >, 0);
  g_assert_cmpint (view.video_rtt, >, 0);
  g_assert_cmpint (view.audio_rtt, >, 0);
}

static gboolean
full_layer (gpointer data)
{
  return cohort_call_get_feed_layer (w.student, teacher_camera ()) == 0;
}

/* The link monitor steps a lossy link down (and at 10 % loss down to a
 * paused video): each loss test starts from the full picture, once the
 * monitor has probed back up on the clean link. */
static void
wait_for_full_layer (void)
{
  g_assert_true (cohort_media_rig_wait (full_layer, NULL, 60000));
}

/* The student's RTP session's count of @field, @other_field (may be NULL)
 * over its inbound streams: what it sent. */
static guint
student_inbound_sum (const char *field,
                     const char *other_field)
{
  GstElement *webrtcbin = cohort_subscriber_get_webrtcbin (student_subscriber ());
  GstPromise *promise = gst_promise_new ();
  const GstStructure *stats;
  guint total = 0;
  gint n_fields;

  g_signal_emit_by_name (webrtcbin, "get-stats", NULL, promise);
  g_assert_cmpint (gst_promise_wait (promise), ==, GST_PROMISE_RESULT_REPLIED);
  stats = gst_promise_get_reply (promise);
  n_fields = gst_structure_n_fields (stats);
  for (gint i = 0; i < n_fields; i++)
    {
      const GValue *value = gst_structure_get_value (stats, gst_structure_nth_field_name (stats, i));
      const GstStructure *entry;
      GstWebRTCStatsType type;
      guint count;

      if (!GST_VALUE_HOLDS_STRUCTURE (value))
        continue;
      entry = gst_value_get_structure (value);
      if (!gst_structure_get_enum (entry, "type", GST_TYPE_WEBRTC_STATS_TYPE, (gint *) &type) ||
          type != GST_WEBRTC_STATS_INBOUND_RTP)
        continue;
      if (gst_structure_get_uint (entry, field, &count))
        total += count;
      if (other_field != NULL && gst_structure_get_uint (entry, other_field, &count))
        total += count;
    }
  gst_promise_unref (promise);

  return total;
}

/* PLIs and FIRs the student sent. */
static guint
student_keyframe_requests_sent (void)
{
  return student_inbound_sum ("pli-count", "fir-count");
}

typedef struct
{
  CohortRigSink *sink;
  guint          frames;
  guint          requests;
  guint64        lost;
} LossWait;

/* The longest a picture may stand still at 5 % loss (see
 * test_loss_keeps_moving). */
#define LOSS_5_MAX_FREEZE_MS 4000

/* Packets the student's video jitter buffer gave up on: after each, the
 * depayloader drops frames until a keyframe, and must ask for one. */
static guint64
student_packets_given_up (void)
{
  CohortJitterStats jb;

  cohort_subscriber_read_video_jitterbuffer (cohort_subscriber_get_webrtcbin (student_subscriber ()), &jb);
  return jb.lost;
}

/* Enough pictures through the loss, and a keyframe asked for if one was
 * needed. Needed when the jitter buffer gave up on a packet: when
 * retransmission repaired every loss (a link whose round trip Janus
 * knows), no keyframe is needed and none is asked for, which is right.
 * Asked for is counted on the wire (the RTP session's PLI and FIR
 * counts), not at the subscriber's rate limit, which counts requests the
 * session may still merge. A packet given up on after the wait ended
 * is outside the window: its request may come after. */
static gboolean
loss_seen (gpointer data)
{
  LossWait *lw = data;

  if (student_sink () != lw->sink || cohort_rig_sink_get_frames (lw->sink) < lw->frames)
    return FALSE;
  return student_packets_given_up () == lw->lost || student_keyframe_requests_sent () > lw->requests;
}

/* What Janus keeps for the student's video, and has been asked, at this
 * moment: the evidence when a loss test goes wrong. */
static void
log_janus_view (const char *when)
{
  g_autoptr(CohortJanusAdmin) admin = cohort_janus_admin_connect (cohort_media_rig_janus_pid (w.rig));
  g_autoptr(JsonObject) video = NULL;
  guint found = 0;

  video = cohort_janus_admin_subscriber_medium (admin, g_getenv ("COHORT_TEST_CUT_ADDRESS"), "video", &found);
  if (video == NULL)
    return;
  g_test_message ("Janus %s: video nack-queue-ms %" G_GINT64_FORMAT ", rtt %" G_GINT64_FORMAT
                  " ms, NACKs received %" G_GINT64_FORMAT, when,
                  cohort_janus_admin_medium_stat (video, "", "nack-queue-ms"),
                  cohort_janus_admin_medium_stat (video, "rtcp", "rtt"),
                  cohort_janus_admin_medium_stat (video, "in", "nacks"));
}

/* 10 % of the student's packets lost, both ways: what he sees may freeze
 * but is never built on a lost reference (every frame's stamp decodes),
 * and he asks for a keyframe when retransmission cannot repair a loss. */
static void
test_loss_never_corrupts (void)
{
  FramesWait fw = { NULL, 10 };
  LossWait lw;
  CohortJitterStats jb_before, jb_after;
  guint corrupted, frames_before, requests_before, let_through_before;
  gint64 frozen_us, max_gap_us, start_us;
  gboolean seen;
  double seconds;

  wait_for_full_layer ();
  g_assert_true (cohort_media_rig_wait (frames_reached, &fw, 10000));
  cohort_rig_sink_reset_damage (fw.sink);
  frames_before = cohort_rig_sink_get_frames (fw.sink);
  requests_before = student_keyframe_requests_sent ();
  let_through_before = cohort_subscriber_get_keyframe_requests (student_subscriber ());
  log_janus_view ("before the loss");
  cohort_subscriber_read_video_jitterbuffer (cohort_subscriber_get_webrtcbin (student_subscriber ()), &jb_before);

  cohort_media_rig_netcond ("10.77.0.3 loss 10");
  start_us = g_get_monotonic_time ();
  lw = (LossWait) { fw.sink, frames_before + 150, requests_before, jb_before.lost };
  seen = cohort_media_rig_wait (loss_seen, &lw, 40000);
  cohort_subscriber_read_video_jitterbuffer (cohort_subscriber_get_webrtcbin (student_subscriber ()), &jb_after);
  cohort_media_rig_netcond ("reset");
  seconds = (g_get_monotonic_time () - start_us) / (double) G_USEC_PER_SEC;
  log_janus_view ("after the loss");
  g_test_message ("Jitter buffer over the loss: %" G_GUINT64_FORMAT " packets given up on, %" G_GUINT64_FORMAT
                  " retransmissions asked, %" G_GUINT64_FORMAT " in time",
                  jb_after.lost - jb_before.lost, jb_after.rtx_count - jb_before.rtx_count,
                  jb_after.rtx_success - jb_before.rtx_success);

  cohort_rig_sink_get_damage (fw.sink, &corrupted, &frozen_us, &max_gap_us);
  g_test_message ("10 %% loss: %u frames in %.1f s (%.1f fps), %u with a damaged stamp, "
                  "%.2f s frozen (longest gap %" G_GINT64_FORMAT " ms), %u keyframe requests sent, "
                  "%u let through by the subscriber",
                  cohort_rig_sink_get_frames (fw.sink) - frames_before, seconds,
                  (cohort_rig_sink_get_frames (fw.sink) - frames_before) / seconds, corrupted,
                  frozen_us / (double) G_USEC_PER_SEC, max_gap_us / 1000,
                  student_keyframe_requests_sent () - requests_before,
                  cohort_subscriber_get_keyframe_requests (student_subscriber ()) - let_through_before);
  g_assert_true (seen);
  g_assert_cmpuint (corrupted, ==, 0);

  /* The link is clean again: the picture moves on. */
  fw.frames = cohort_rig_sink_get_frames (fw.sink) + 30;
  g_assert_true (cohort_media_rig_wait (frames_reached, &fw, 10000));
}

/* Enough pictures through the loss. */
static gboolean
frames_through (gpointer data)
{
  LossWait *lw = data;

  return student_sink () == lw->sink && cohort_rig_sink_get_frames (lw->sink) >= lw->frames;
}

/* 5 % of the student's packets lost, both ways: retransmission repairs
 * the losses and frames are shown at their time, so the picture keeps
 * moving: 150 frames come within the wait, none damaged, and no gap
 * between them reaches 4 s. Before, Janus kept no retransmission buffer
 * for the first seconds and the jitter buffers never grew, so keyframes
 * that lost a packet were never whole: 1.6 and 1.9 fps, the 150 frames
 * never came (two runs, load 9-11). Now 20-25 fps with gaps of 0.1-2.3 s
 * under the same load. The frame count is what the old code failed; the
 * gap bound leaves room for a keyframe wait on a loaded machine. The
 * window (about 5 s) is too short for the link monitor to pause the
 * video. */
static void
test_loss_keeps_moving (void)
{
  FramesWait fw = { NULL, 10 };
  LossWait lw;
  guint corrupted, frames_before;
  gint64 frozen_us, max_gap_us, start_us;
  gboolean seen;
  double seconds;

  wait_for_full_layer ();
  g_assert_true (cohort_media_rig_wait (frames_reached, &fw, 10000));
  cohort_rig_sink_reset_damage (fw.sink);
  frames_before = cohort_rig_sink_get_frames (fw.sink);

  cohort_media_rig_netcond ("10.77.0.3 loss 5");
  start_us = g_get_monotonic_time ();
  lw = (LossWait) { fw.sink, frames_before + 150, 0, 0 };
  seen = cohort_media_rig_wait (frames_through, &lw, 40000);
  cohort_media_rig_netcond ("reset");
  seconds = (g_get_monotonic_time () - start_us) / (double) G_USEC_PER_SEC;

  cohort_rig_sink_get_damage (fw.sink, &corrupted, &frozen_us, &max_gap_us);
  g_test_message ("5 %% loss: %u frames in %.1f s (%.1f fps), %u with a damaged stamp, "
                  "%.2f s frozen (longest gap %" G_GINT64_FORMAT " ms)",
                  cohort_rig_sink_get_frames (fw.sink) - frames_before, seconds,
                  (cohort_rig_sink_get_frames (fw.sink) - frames_before) / seconds, corrupted,
                  frozen_us / (double) G_USEC_PER_SEC, max_gap_us / 1000);
  g_assert_true (seen);
  g_assert_cmpuint (corrupted, ==, 0);
  g_assert_cmpint (max_gap_us, <, LOSS_5_MAX_FREEZE_MS * G_TIME_SPAN_MILLISECOND);
}

typedef struct
{
  CohortRigSink *sink;
  guint          frames;      /* when the hold began */
  guint          nacks;       /* when the hold began */
  guint          nacks_held;  /* the last count seen while it held */
} HoldWait;

static gboolean
repair_held (gpointer data)
{
  HoldWait *hw = data;

  if (!cohort_subscriber_get_repair_held (student_subscriber ()))
    return FALSE;
  hw->sink = student_sink ();
  hw->frames = hw->sink != NULL ? cohort_rig_sink_get_frames (hw->sink) : 0;
  hw->nacks = hw->nacks_held = student_inbound_sum ("nack-count", NULL);
  return TRUE;
}

/* Counted while the hold lasts: once it ends, the new layer's own losses
 * are asked for, rightly. */
static gboolean
repair_again (gpointer data)
{
  HoldWait *hw = data;
  guint nacks = student_inbound_sum ("nack-count", NULL);

  if (!cohort_subscriber_get_repair_held (student_subscriber ()))
    return TRUE;
  hw->nacks_held = nacks;
  return FALSE;
}

static gboolean
new_layer_shown (gpointer data)
{
  HoldWait *hw = data;

  return student_sink () == hw->sink && cohort_rig_sink_get_frames (hw->sink) > hw->frames;
}

/* NACKs the RTP session may still send for requests it had before the
 * hold. */
#define NACKS_QUEUED_BEFORE_HOLD 10

/* The student's downlink capped at 1 Mbit/s: the link monitor steps down
 * at once (a capped link's loss), and from then until the new layer's
 * first packet the student asks for no retransmission: the old layer's
 * holes are worth nothing, and their retransmissions filled the capped
 * link (bench cap_1mbit: 3,977 NACKs at Janus and the first frame of the
 * lower layer 4–6 s after the cap). The new layer's own losses are
 * repaired again (its first keyframe does not fit the capped link's
 * queue), and its picture comes. */
static void
test_cap_holds_repair (void)
{
  FramesWait fw = { NULL, 10 };
  HoldWait hw = { 0 };
  gboolean lifted, shown;
  guint nacks_during;
  gint64 held_us, lifted_us;

  wait_for_full_layer ();
  g_assert_true (cohort_media_rig_wait (frames_reached, &fw, 10000));

  cohort_media_rig_netcond ("10.77.0.3 down 1mbit");
  g_assert_true (cohort_media_rig_wait (repair_held, &hw, 15000));
  held_us = g_get_monotonic_time ();
  lifted = cohort_media_rig_wait (repair_again, &hw, 10000);
  lifted_us = g_get_monotonic_time ();
  nacks_during = hw.nacks_held - hw.nacks;
  shown = cohort_media_rig_wait (new_layer_shown, &hw, 15000);
  g_test_message ("1 Mbit/s cap: layer %u, hold of %.1f s, %u NACKs sent during it, first frame after it "
                  "%.1f s after it began",
                  cohort_call_get_feed_layer (w.student, teacher_camera ()),
                  (lifted_us - held_us) / (double) G_USEC_PER_SEC, nacks_during,
                  (g_get_monotonic_time () - held_us) / (double) G_USEC_PER_SEC);
  cohort_media_rig_netcond ("reset");

  g_assert_true (lifted);
  g_assert_cmpuint (nacks_during, <=, NACKS_QUEUED_BEFORE_HOLD);
  g_assert_true (shown);
  g_assert_cmpuint (cohort_call_get_feed_layer (w.student, teacher_camera ()), >, 0);
}

static void
free_world (void)
{
  g_clear_object (&w.teacher);
  g_clear_object (&w.student);
  g_clear_object (&w.teacher_session);
  g_clear_object (&w.student_session);
  g_clear_pointer (&w.rig, cohort_media_rig_free);
}

int
main (int   argc,
      char *argv[])
{
  const char *address = g_getenv ("COHORT_TEST_CUT_ADDRESS");
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL || address == NULL)
    {
      g_print ("1..0 # SKIP run this test through tests/media/netns-run.sh\n");
      return 0;
    }
  cohort_media_rig_netcond ("reset");

  w.rig = cohort_media_rig_start (1);
  w.teacher_session = cohort_media_rig_create_class (w.rig, "Ms Li");
  w.student_session = cohort_media_rig_join_via (w.rig, w.teacher_session, "Bo", address);
  w.teacher = cohort_media_rig_new_call (w.teacher_session, 1280, 720);
  cohort_media_rig_stamp_camera (w.teacher);
  w.student = cohort_media_rig_new_call (w.student_session, 640, 360);
  cohort_call_set_ice_addresses (w.student, (const char * const[]) { address, NULL });
  cohort_call_set_camera_on (w.teacher, TRUE);

  g_test_add_func ("/network/retransmission-buffer", test_retransmission_buffer);
  /* Before the 10 % loss: the link monitor has not stepped down yet. */
  g_test_add_func ("/network/loss-keeps-moving", test_loss_keeps_moving);
  g_test_add_func ("/network/loss-never-corrupts", test_loss_never_corrupts);
  g_test_add_func ("/network/cap-holds-repair", test_cap_holds_repair);

  status = g_test_run ();

  cohort_media_rig_netcond ("reset");
  free_world ();

  return status;
}

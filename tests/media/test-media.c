/* test-media.c: live media end to end, inside netns-run.sh
 *
 * A real cohort-server with its embedded Janus; three CohortCalls (a
 * teacher, two students) in this process, each with its own CohortSession.
 * The tests run in order on one class, like a lesson.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "cohort-media-janus-admin.h"
#include "cohort-media-protocol.h"
#include "cohort-media-rig.h"
#include "cohort-protocol.h"
#include "cohort-test-wait.h"

typedef struct
{
  CohortMediaRig *rig;
  CohortSession  *teacher_session;
  CohortSession  *a_session;
  CohortSession  *b_session;
  CohortCall     *teacher;
  CohortCall     *a;
  CohortCall     *b;
  /* the server's TMPDIR, where its Janus keeps its secrets */
  char           *tmp;
} World;

static World w;

/* The server's cohort-janus-* directories. */
static GPtrArray *
janus_dirs (void)
{
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (w.tmp, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "cohort-janus-"))
      g_ptr_array_add (found, g_build_filename (w.tmp, name, NULL));
  return found;
}

static void
free_world (void)
{
  g_clear_object (&w.teacher);
  g_clear_object (&w.a);
  g_clear_object (&w.b);
  g_clear_object (&w.teacher_session);
  g_clear_object (&w.a_session);
  g_clear_object (&w.b_session);
  g_clear_pointer (&w.rig, cohort_media_rig_free);
}

/* Last: the server stops (SIGTERM) with its Janus running, and the
 * directory with Janus's API secret and admin key goes with it. */
static void
test_secrets_removed (void)
{
  g_autoptr(GPtrArray) before = janus_dirs ();
  g_autoptr(GPtrArray) after = NULL;

  g_assert_cmpuint (before->len, ==, 1);
  free_world ();
  after = janus_dirs ();
  g_assert_cmpuint (after->len, ==, 0);
}

static gint64
find_feed (CohortCall *call,
           gint64      participant_id,
           const char *kind)
{
  GListModel *feeds = cohort_call_get_feeds (call);

  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);

      if (cohort_feed_get_participant_id (feed) == participant_id &&
          g_str_equal (cohort_feed_get_kind (feed), kind))
        return cohort_feed_get_feed_id (feed);
    }

  return 0;
}

static gint64
participant_of (CohortSession *session)
{
  return cohort_participant_get_id (cohort_session_get_self (session));
}

typedef struct
{
  CohortCall *call;
  gint64      participant_id;
  const char *kind;
  guint       min_frames;
  gint64      not_feed;   /* a feed id that must not count (the old one) */
} FeedWait;

static gboolean
feed_has_frames (gpointer data)
{
  FeedWait *fw = data;
  gint64 feed_id = find_feed (fw->call, fw->participant_id, fw->kind);

  return feed_id != 0 && feed_id != fw->not_feed &&
         cohort_rig_sink_get_frames (cohort_rig_sink_for_feed (fw->call, feed_id)) >= fw->min_frames;
}

static gboolean
feed_absent (gpointer data)
{
  FeedWait *fw = data;

  return find_feed (fw->call, fw->participant_id, fw->kind) == 0;
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
stage_request (CohortCall         *call,
               CohortStageAction   action,
               gint64              participant_id,
               GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cohort_call_stage_async (call, action, participant_id, NULL, cohort_test_on_result, &result);
  g_assert_true (cohort_media_rig_wait (result_ready, &result, 5000));
  return cohort_call_stage_finish (call, result, error);
}

/* Sends a raw request through the session (what a modified client could
 * send) and returns the error. */
static GError *
raw_request_error (CohortSession *session,
                   const char    *type,
                   JsonObject    *body)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  GError *error = NULL;

  cohort_session_request_async (session, type, body, NULL, cohort_test_on_result, &result);
  g_assert_true (cohort_media_rig_wait (result_ready, &result, 5000));
  reply = cohort_session_request_finish (session, result, &error);
  return error;
}

/* The same, returning the reply (NULL and @error on an error). */
static JsonObject *
raw_request (CohortSession  *session,
             const char     *type,
             JsonObject     *body,
             GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cohort_session_request_async (session, type, body, NULL, cohort_test_on_result, &result);
  g_assert_true (cohort_media_rig_wait (result_ready, &result, 5000));
  return cohort_session_request_finish (session, result, error);
}

static void
on_event_count (CohortSession *session,
                const char    *name,
                JsonObject    *body,
                gint64         seq,
                gpointer       user_data)
{
  GPtrArray *seen = user_data;

  if (g_str_equal (name, COHORT_EV_MEDIA_LINK_QUALITY))
    g_ptr_array_add (seen, g_strdup_printf ("%" G_GINT64_FORMAT ":%s",
                                            json_object_get_int_member (body, "participant_id"),
                                            json_object_get_string_member (body, "level")));
}

static void
on_event_any (CohortSession *session,
              const char    *name,
              JsonObject    *body,
              gint64         seq,
              gpointer       user_data)
{
  g_ptr_array_add (user_data, g_strdup (name));
}

static gboolean
saw_declined (gpointer data)
{
  GPtrArray *seen = data;

  for (guint i = 0; i < seen->len; i++)
    if (g_str_equal (g_ptr_array_index (seen, i), COHORT_EV_STAGE_DECLINED))
      return TRUE;
  return FALSE;
}

static gboolean
is_invited (gpointer data);

static gboolean
seen_n (gpointer data)
{
  return ((GPtrArray *) data)->len >= 1;
}

/* media.layer and media.quality over the real server: each subscription's
 * layer is its own connection's to pick, in range of what the feed
 * publishes; a student's link quality reaches the teacher only. */
static void
test_layer_requests (void)
{
  gint64 teacher_id = participant_of (w.teacher_session);
  gint64 a_id = participant_of (w.a_session);
  FeedWait fa = { w.a, teacher_id, "camera", 1, 0 };
  g_autoptr(JsonObject) sub = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) teacher_seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) b_seen = g_ptr_array_new_with_free_func (g_free);
  gulong teacher_handler, b_handler;
  gint64 feed_id, pc_id;
  struct { CohortSession *session; gint64 layer; gint code; const char *field; } cases[] = {
    /* Out of the protocol's range. */
    { w.a_session, COHORT_MEDIA_LAYER_PAUSED + 1, COHORT_ERROR_INVALID, "layer" },
    { w.a_session, -1, COHORT_ERROR_INVALID, "layer" },
    /* Someone else's subscription: as if it did not exist. */
    { w.b_session, 0, COHORT_ERROR_NOT_FOUND, "pc_id" },
    { w.teacher_session, COHORT_MEDIA_LAYER_PAUSED, COHORT_ERROR_NOT_FOUND, "pc_id" },
  };

  cohort_call_set_camera_on (w.teacher, TRUE);
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &fa, 10000));
  feed_id = find_feed (w.a, teacher_id, "camera");

  /* Ana's own subscription, made by hand so that its pc_id is known. */
  json_object_set_int_member (sub, "feed_id", feed_id);
  reply = raw_request (w.a_session, COHORT_REQ_MEDIA_SUBSCRIBE, sub, &error);
  g_assert_no_error (error);
  pc_id = json_object_get_int_member (reply, "pc_id");
  g_clear_pointer (&reply, json_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_int_member (body, "pc_id", pc_id);
      json_object_set_int_member (body, "layer", cases[i].layer);
      reply = raw_request (cases[i].session, COHORT_REQ_MEDIA_LAYER, body, &error);
      g_assert_null (reply);
      g_assert_error (error, COHORT_PROTOCOL_ERROR, cases[i].code);
      g_clear_error (&error);
    }

  /* A layer the feed does not have: refused by the server, which knows
   * what the camera publishes, with the field named. */
  {
    g_autoptr(JsonObject) body = json_object_new ();
    guint layers = cohort_publisher_get_n_layers (cohort_call_get_publisher (w.teacher, "camera"));

    /* 720p VP8: the full picture and two lower layers. */
    g_assert_cmpuint (layers, ==, COHORT_MEDIA_MAX_LAYERS);
    json_object_set_int_member (body, "pc_id", pc_id);
    json_object_set_int_member (body, "layer", layers);
    if (layers < COHORT_MEDIA_LAYER_PAUSED)
      {
        reply = raw_request (w.a_session, COHORT_REQ_MEDIA_LAYER, body, &error);
        g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
        g_clear_error (&error);
      }
    /* The lowest layer it has. */
    json_object_set_int_member (body, "layer", layers - 1);
    reply = raw_request (w.a_session, COHORT_REQ_MEDIA_LAYER, body, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (reply, "layer"), ==, layers - 1);
    g_clear_pointer (&reply, json_object_unref);
  }

  /* Paused and back: the sound keeps flowing (Janus stops only the video). */
  for (gint64 layer = COHORT_MEDIA_LAYER_PAUSED; layer >= 0; layer -= COHORT_MEDIA_LAYER_PAUSED)
    {
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_int_member (body, "pc_id", pc_id);
      json_object_set_int_member (body, "layer", layer);
      reply = raw_request (w.a_session, COHORT_REQ_MEDIA_LAYER, body, &error);
      g_assert_no_error (error);
      g_assert_cmpint (json_object_get_int_member (reply, "layer"), ==, layer);
      g_clear_pointer (&reply, json_object_unref);
    }

  /* media.quality: students only; the level is one of three; the teacher
   * hears of a change, the other students never. */
  teacher_handler = g_signal_connect (w.teacher_session, "event-received",
                                      G_CALLBACK (on_event_count), teacher_seen);
  b_handler = g_signal_connect (w.b_session, "event-received", G_CALLBACK (on_event_any), b_seen);
  {
    g_autoptr(JsonObject) bad = json_object_new ();
    g_autoptr(JsonObject) poor = json_object_new ();

    json_object_set_string_member (bad, "level", "awful");
    reply = raw_request (w.a_session, COHORT_REQ_MEDIA_QUALITY, bad, &error);
    g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
    g_clear_error (&error);

    json_object_set_string_member (poor, "level", COHORT_MEDIA_QUALITY_POOR);
    reply = raw_request (w.teacher_session, COHORT_REQ_MEDIA_QUALITY, poor, &error);
    g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
    g_clear_error (&error);

    reply = raw_request (w.a_session, COHORT_REQ_MEDIA_QUALITY, poor, &error);
    g_assert_no_error (error);
    g_clear_pointer (&reply, json_object_unref);
  }
  g_assert_true (cohort_media_rig_wait (seen_n, teacher_seen, 5000));
  {
    g_autofree char *expected = g_strdup_printf ("%" G_GINT64_FORMAT ":poor", a_id);

    g_assert_cmpstr (g_ptr_array_index (teacher_seen, 0), ==, expected);
  }
  /* Bo never gets it: an invitation he declines at once is a class-wide
   * event that comes after it, and when he has that, nothing came before. */
  {
    g_autoptr(GError) stage_error = NULL;

    g_assert_true (stage_request (w.teacher, COHORT_STAGE_INVITE, participant_of (w.b_session), &stage_error));
    g_assert_no_error (stage_error);
    g_assert_true (cohort_media_rig_wait (is_invited, w.b, 5000));
    g_assert_true (stage_request (w.b, COHORT_STAGE_DECLINE, 0, &stage_error));
    g_assert_no_error (stage_error);
    g_assert_true (cohort_media_rig_wait (saw_declined, b_seen, 5000));
    for (guint i = 0; i < b_seen->len; i++)
      g_assert_cmpstr (g_ptr_array_index (b_seen, i), !=, COHORT_EV_MEDIA_LINK_QUALITY);
  }
  g_signal_handler_disconnect (w.teacher_session, teacher_handler);
  g_signal_handler_disconnect (w.b_session, b_handler);

  {
    g_autoptr(JsonObject) body = json_object_new ();

    json_object_set_int_member (body, "pc_id", pc_id);
    reply = raw_request (w.a_session, COHORT_REQ_MEDIA_UNSUBSCRIBE, body, &error);
    g_assert_no_error (error);
  }
}

static void
netcond (const char *args)
{
  g_autofree char *command = g_strdup_printf ("%s %s", COHORT_NETCOND_SH, args);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int wait_status = 0;

  g_assert_true (g_spawn_command_line_sync (command, NULL, &err, &wait_status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (wait_status, NULL))
    g_error ("%s: %s", command, err);
}

typedef struct
{
  CohortCall *call;
  gint64      feed_id;
} LayerWait;

static gboolean
stepped_down (gpointer data)
{
  LayerWait *lw = data;

  return cohort_call_get_feed_layer (lw->call, lw->feed_id) >= 1;
}

static CohortRigSink *current_sink (CohortCall *call,
                                    gint64      participant_id);

static gboolean
picture_is_smaller (gpointer data)
{
  LayerWait *lw = data;
  CohortRigSink *sink = current_sink (lw->call, participant_of (w.teacher_session));
  g_autoptr(GstSample) sample = sink != NULL ? cohort_rig_sink_dup_sample (sink) : NULL;
  int width = 0;

  if (sample == NULL)
    return FALSE;
  gst_structure_get_int (gst_caps_get_structure (gst_sample_get_caps (sample), 0), "width", &width);
  return width > 0 && width < 1280;
}

static gboolean
is_poor_or_fair (gpointer data)
{
  return cohort_call_get_link_quality (data) != COHORT_LINK_QUALITY_GOOD;
}

/* One student's downlink capped at 500 kbit/s (his address only; Ana's
 * link stays clean): his estimator steps his subscription down to a lower
 * layer, where frames decode again, while Ana keeps 1280×720. The
 * teacher's encoder is not touched: nobody else pays for Bo's link. */
static void
test_step_down (void)
{
  gint64 teacher_id = participant_of (w.teacher_session);
  FeedWait fa = { w.a, teacher_id, "camera", 1, 0 };
  FeedWait fb = { w.b, teacher_id, "camera", 1, 0 };
  LayerWait lw = { w.b, 0 };
  LayerWait la = { w.a, 0 };
  g_autofree char *cap = g_strdup_printf ("%s down 500kbit", g_getenv ("COHORT_TEST_CUT_ADDRESS"));
  CohortRigSink *sink;
  guint frames;
  gint64 start_us;
  double fps;

  cohort_call_set_camera_on (w.teacher, TRUE);
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &fa, 10000));
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &fb, 10000));
  lw.feed_id = la.feed_id = find_feed (w.b, teacher_id, "camera");
  g_assert_cmpuint (cohort_call_get_feed_layer (w.b, lw.feed_id), ==, 0);

  netcond (cap);
  /* Two bad seconds and a switch: well within 15 s even on a busy machine. */
  g_assert_true (cohort_media_rig_wait (stepped_down, &lw, 15000));
  g_test_message ("Bo stepped down to layer %u", cohort_call_get_feed_layer (w.b, lw.feed_id));
  g_assert_true (cohort_media_rig_wait (is_poor_or_fair, w.b, 5000));

  /* Frames keep decoding on the lower layer (the 640×360 one at 450
   * kbit/s, or 320×180 at 150 kbit/s, whichever it settled on). */
  /* The lower layer's picture shows once one of its keyframes arrives
   * whole (asked for at the switch). Under this cap a keyframe loses a
   * packet often, and until retransmissions are served (#22, defect 1)
   * that can take longer than a test should wait: logged, not asserted. */
  if (!cohort_media_rig_wait (picture_is_smaller, &lw, 10000))
    g_test_message ("Bo's picture is still 1280 wide: no whole keyframe of the lower layer yet");
  sink = current_sink (w.b, teacher_id);
  frames = cohort_rig_sink_get_frames (sink);
  start_us = g_get_monotonic_time ();
  cohort_media_rig_sleep (3000);
  fps = (cohort_rig_sink_get_frames (sink) - frames) /
        ((g_get_monotonic_time () - start_us) / (double) G_USEC_PER_SEC);
  g_test_message ("Bo at layer %u: %.1f fps", cohort_call_get_feed_layer (w.b, lw.feed_id), fps);
  g_assert_cmpfloat (fps, >=, 5.0);
  {
    g_autoptr(GstSample) sample = cohort_rig_sink_dup_sample (sink);
    GstStructure *s = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
    int width = 0;

    gst_structure_get_int (s, "width", &width);
    g_test_message ("Bo's picture: %d pixels wide", width);
  }

  /* Ana, on a clean link, still gets the full picture. */
  g_assert_cmpuint (cohort_call_get_feed_layer (w.a, la.feed_id), ==, 0);
  {
    CohortRigSink *a_sink = current_sink (w.a, teacher_id);
    g_autoptr(GstSample) sample = cohort_rig_sink_dup_sample (a_sink);
    GstStructure *s = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
    int width = 0, height = 0;

    gst_structure_get_int (s, "width", &width);
    gst_structure_get_int (s, "height", &height);
    g_assert_cmpint (width, ==, 1280);
    g_assert_cmpint (height, ==, 720);
  }

  netcond ("reset");
}

static void
test_teacher_to_students (void)
{
  gint64 teacher_id = participant_of (w.teacher_session);
  FeedWait fa = { w.a, teacher_id, "camera", 1, 0 };
  FeedWait fb = { w.b, teacher_id, "camera", 1, 0 };
  CohortCall *students[] = { w.a, w.b };
  guint start_frames[2];
  gint64 start_us;
  /* 25 fps is the bar. A developer's machine busy with other builds may
   * lower it to see the rest of the suite; CI never sets this. */
  double min_fps = g_getenv ("COHORT_TEST_MIN_FPS") != NULL ? g_ascii_strtod (g_getenv ("COHORT_TEST_MIN_FPS"), NULL) : 25.0;

  cohort_call_set_camera_on (w.teacher, TRUE);

  g_assert_true (cohort_media_rig_wait (feed_has_frames, &fa, 10000));
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &fb, 10000));

  /* Let both settle for half a second, then count five seconds. */
  cohort_media_rig_sleep (500);
  start_us = g_get_monotonic_time ();
  for (guint i = 0; i < 2; i++)
    start_frames[i] = cohort_rig_sink_get_frames (
      cohort_rig_sink_for_feed (students[i], find_feed (students[i], teacher_id, "camera")));
  cohort_media_rig_sleep (5000);

  for (guint i = 0; i < 2; i++)
    {
      gint64 feed_id = find_feed (students[i], teacher_id, "camera");
      CohortRigSink *sink = cohort_rig_sink_for_feed (students[i], feed_id);
      CohortSubscriber *subscriber = cohort_call_get_subscriber (students[i], feed_id);
      g_autoptr(GstSample) sample = cohort_rig_sink_dup_sample (sink);
      double seconds = (g_get_monotonic_time () - start_us) / (double) G_USEC_PER_SEC;
      double fps = (cohort_rig_sink_get_frames (sink) - start_frames[i]) / seconds;
      GstStructure *s = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
      double diff;
      int width = 0, height = 0;

      g_test_message ("student %u: %.1f fps over %.1f s (teacher's encoder at %u bit/s)", i, fps, seconds,
                      cohort_publisher_get_bitrate (cohort_call_get_publisher (w.teacher, "camera")));
      g_assert_cmpfloat (fps, >=, min_fps);

      gst_structure_get_int (s, "width", &width);
      gst_structure_get_int (s, "height", &height);
      g_assert_cmpint (width, ==, 1280);
      g_assert_cmpint (height, ==, 720);

      /* The decoded picture is the test pattern, not just any picture. */
      diff = cohort_rig_compare_smpte (sample);
      g_test_message ("student %u: mean difference from SMPTE bars %.1f", i, diff);
      g_assert_cmpfloat (diff, <, 12.0);

      g_assert_nonnull (subscriber);
      g_assert_cmpuint (cohort_subscriber_get_audio_buffers (subscriber), >, 50);
    }

  /* The teacher's own feed is listed but not subscribed to. */
  g_assert_cmpint (find_feed (w.teacher, teacher_id, "camera"), !=, 0);
  g_assert_null (cohort_call_get_subscriber (w.teacher, find_feed (w.teacher, teacher_id, "camera")));
}

static gboolean
screen_gone_everywhere (gpointer data)
{
  gint64 teacher_id = GPOINTER_TO_SIZE (data);

  return find_feed (w.a, teacher_id, "screen") == 0 && find_feed (w.b, teacher_id, "screen") == 0 &&
         cohort_call_get_n_subscribers (w.a) == 1 && cohort_call_get_n_subscribers (w.b) == 1;
}

static void
test_screen_share (void)
{
  gint64 teacher_id = participant_of (w.teacher_session);
  FeedWait fa = { w.a, teacher_id, "screen", 10, 0 };
  FeedWait fb = { w.b, teacher_id, "screen", 10, 0 };
  FeedWait camera = { w.a, teacher_id, "camera", 0, 0 };
  guint camera_frames;

  cohort_call_set_screen_on (w.teacher, TRUE);
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &fa, 10000));
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &fb, 10000));

  /* Alongside the camera, which keeps running. */
  camera_frames = cohort_rig_sink_get_frames (cohort_rig_sink_for_feed (w.a, find_feed (w.a, teacher_id, "camera")));
  camera.min_frames = camera_frames + 10;
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &camera, 5000));
  g_assert_cmpuint (cohort_call_get_n_subscribers (w.a), ==, 2);

  cohort_call_set_screen_on (w.teacher, FALSE);
  g_assert_true (cohort_media_rig_wait (screen_gone_everywhere, GSIZE_TO_POINTER (teacher_id), 5000));
}

static gboolean
stage_state_is (gpointer data)
{
  const char *want = data;
  gint64 a_id = participant_of (w.a_session);

  return g_strcmp0 (cohort_call_get_stage_state (w.b, a_id), want) == 0 &&
         g_strcmp0 (cohort_call_get_stage_state (w.a, a_id), want) == 0;
}

static gboolean
a_stopped (gpointer data)
{
  return !cohort_call_get_camera_on (w.a);
}

typedef struct
{
  gint64 feed_id;
} SubGone;

static gboolean
subscribers_gone (gpointer data)
{
  SubGone *sg = data;

  return cohort_call_get_subscriber (w.b, sg->feed_id) == NULL &&
         cohort_call_get_subscriber (w.teacher, sg->feed_id) == NULL &&
         cohort_call_lookup_feed (w.b, sg->feed_id) == NULL;
}

static void
test_stage (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  gint64 a_id = participant_of (w.a_session);
  gint64 b_id = participant_of (w.b_session);
  FeedWait at_b = { w.b, a_id, "camera", 5, 0 };
  FeedWait at_teacher = { w.teacher, a_id, "camera", 5, 0 };
  FeedWait gone = { w.b, a_id, "camera", 0, 0 };
  SubGone sg;

  /* Not on stage: the server refuses before Janus sees anything. */
  json_object_set_string_member (body, "kind", "camera");
  json_object_set_string_member (body, "sdp", "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
  error = raw_request_error (w.a_session, COHORT_REQ_MEDIA_PUBLISH, body);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* Only the teacher invites; students cannot accept an invitation that
   * does not exist. */
  g_assert_false (stage_request (w.b, COHORT_STAGE_INVITE, a_id, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  g_assert_false (stage_request (w.a, COHORT_STAGE_ACCEPT, 0, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  g_assert_true (stage_request (w.teacher, COHORT_STAGE_INVITE, a_id, &error));
  g_assert_no_error (error);
  g_assert_true (cohort_media_rig_wait (stage_state_is, (gpointer) "invited", 5000));
  g_assert_true (cohort_call_get_invited (w.a));
  g_assert_true (stage_request (w.a, COHORT_STAGE_ACCEPT, 0, &error));
  g_assert_no_error (error);
  g_assert_true (cohort_media_rig_wait (stage_state_is, (gpointer) "on_stage", 5000));
  g_assert_true (cohort_call_get_can_publish (w.a));

  /* The stage holds one student in this rig: the server enforces it. */
  g_assert_false (stage_request (w.teacher, COHORT_STAGE_INVITE, b_id, &error));
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  cohort_call_set_camera_on (w.a, TRUE);
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &at_b, 10000));
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &at_teacher, 10000));
  sg.feed_id = find_feed (w.b, a_id, "camera");

  /* Off the stage: the feed disappears and its subscribers go. */
  g_assert_true (stage_request (w.teacher, COHORT_STAGE_REMOVE, a_id, &error));
  g_assert_no_error (error);
  g_assert_true (cohort_media_rig_wait (feed_absent, &gone, 5000));
  g_assert_true (cohort_media_rig_wait (subscribers_gone, &sg, 5000));
  g_assert_true (cohort_media_rig_wait (a_stopped, NULL, 5000));
  g_assert_null (cohort_call_get_stage_state (w.b, a_id));
}

/* Audio packets Janus counted: what its publisher handles received
 * ("in") or what its subscriber handles sent ("out"), over them all. */
static gint64
janus_audio_packets (CohortJanusAdmin *admin,
                     const char       *ptype,
                     const char       *section)
{
  g_autoptr(GPtrArray) infos = cohort_janus_admin_handle_infos (admin);
  gint64 sum = 0;

  for (guint i = 0; i < infos->len; i++)
    {
      JsonObject *info = g_ptr_array_index (infos, i);
      JsonObject *plugin = json_object_has_member (info, "plugin_specific") ?
                           json_object_get_object_member (info, "plugin_specific") : NULL;
      JsonObject *webrtc = json_object_has_member (info, "webrtc") ?
                           json_object_get_object_member (info, "webrtc") : NULL;
      JsonObject *media;
      g_autoptr(GList) mids = NULL;

      if (plugin == NULL || webrtc == NULL || !json_object_has_member (webrtc, "media") ||
          g_strcmp0 (json_object_get_string_member_with_default (plugin, "type", NULL), ptype) != 0)
        continue;
      media = json_object_get_object_member (webrtc, "media");
      mids = json_object_get_members (media);
      for (GList *l = mids; l != NULL; l = l->next)
        {
          JsonObject *medium = json_object_get_object_member (media, l->data);

          if (g_strcmp0 (json_object_get_string_member_with_default (medium, "type", NULL), "audio") == 0)
            sum += cohort_janus_admin_medium_stat (medium, section, "packets");
        }
    }

  return sum;
}

typedef struct
{
  CohortJanusAdmin *admin;
  const char       *ptype;
  const char       *section;
  gint64            at_least;
} PacketWait;

static gboolean
packets_reach (gpointer data)
{
  PacketWait *pw = data;

  return janus_audio_packets (pw->admin, pw->ptype, pw->section) >= pw->at_least;
}

/* media.state says Ana's camera feed is muted. */
static gboolean
a_feed_muted (gpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = raw_request (w.teacher_session, COHORT_REQ_MEDIA_STATE, NULL, &error);
  JsonArray *feeds;

  g_assert_no_error (error);
  feeds = json_object_get_array_member (json_object_get_object_member (reply, "media"), "feeds");
  for (guint i = 0; i < json_array_get_length (feeds); i++)
    {
      JsonObject *feed = json_array_get_object_element (feeds, i);

      if (json_object_get_int_member (feed, "participant_id") == participant_of (w.a_session))
        return json_object_get_boolean_member (feed, "audio_muted");
    }
  return FALSE;
}

/* Ana on stage, alone publishing sound (the teacher's camera is off),
 * and her sound reaching her subscribers; Janus's admin API. */
static CohortJanusAdmin *
a_speaks_on_stage (void)
{
  g_autoptr(GError) error = NULL;
  gint64 a_id = participant_of (w.a_session);
  FeedWait at_teacher = { w.teacher, a_id, "camera", 5, 0 };
  PacketWait sent = { NULL, "subscriber", "out", 0 };
  CohortJanusAdmin *admin;

  cohort_call_set_camera_on (w.teacher, FALSE);
  g_assert_true (stage_request (w.teacher, COHORT_STAGE_INVITE, a_id, &error));
  g_assert_no_error (error);
  g_assert_true (cohort_media_rig_wait (stage_state_is, (gpointer) "invited", 5000));
  g_assert_true (stage_request (w.a, COHORT_STAGE_ACCEPT, 0, &error));
  g_assert_no_error (error);
  g_assert_true (cohort_media_rig_wait (stage_state_is, (gpointer) "on_stage", 5000));
  cohort_call_set_camera_on (w.a, TRUE);
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &at_teacher, 10000));
  /* Janus runs now (it starts with the first media request). */
  admin = cohort_janus_admin_connect (cohort_media_rig_janus_pid (w.rig));
  sent.admin = admin;
  sent.at_least = janus_audio_packets (admin, "subscriber", "out") + 25;
  g_assert_true (cohort_media_rig_wait (packets_reach, &sent, 10000));
  return admin;
}

/* media.mute_all: the teacher mutes Ana at Janus. Ana's client is left
 * alone, as a hostile one would be: it keeps sending, Janus keeps
 * receiving, and nobody gets any of it. */
static void
test_mute_all (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortJanusAdmin) admin = NULL;
  gint64 a_id = participant_of (w.a_session);
  FeedWait gone = { w.teacher, a_id, "camera", 0, 0 };
  FeedWait teacher_back = { w.a, participant_of (w.teacher_session), "camera", 5, 0 };
  PacketWait received = { NULL, "publisher", "in", 0 };
  gint64 out_before;

  admin = a_speaks_on_stage ();
  received.admin = admin;

  /* Students may not; the teacher mutes the one feed with sound. */
  error = raw_request_error (w.a_session, COHORT_REQ_MEDIA_MUTE_ALL, body);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  reply = raw_request (w.teacher_session, COHORT_REQ_MEDIA_MUTE_ALL, body, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (reply, "muted"), ==, 1);
  g_assert_true (cohort_media_rig_wait (a_feed_muted, NULL, 5000));

  /* Her client still sends (a second of Opus reaches Janus), but Janus
   * forwards none of it; a packet in flight at the switch may pass. */
  g_assert_false (cohort_call_get_audio_muted (w.a));
  out_before = janus_audio_packets (admin, "subscriber", "out");
  received.at_least = janus_audio_packets (admin, "publisher", "in") + 50;
  g_assert_true (cohort_media_rig_wait (packets_reach, &received, 10000));
  g_assert_cmpint (janus_audio_packets (admin, "subscriber", "out") - out_before, <=, 2);

  g_assert_true (stage_request (w.teacher, COHORT_STAGE_REMOVE, a_id, &error));
  g_assert_no_error (error);
  g_assert_true (cohort_media_rig_wait (feed_absent, &gone, 5000));
  g_assert_true (cohort_media_rig_wait (a_stopped, NULL, 5000));

  /* The lesson goes on with the teacher's camera, as the next test wants. */
  cohort_call_set_camera_on (w.teacher, TRUE);
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &teacher_back, 10000));
}

/* media.mute_student with keep_muted: the teacher mutes Ana alone. Her
 * client, left alone as a hostile one would be, keeps sending and nobody
 * hears it; publishing again does not bring her sound back; once the
 * teacher lets her, her own unmute does. */
static void
test_mute_student (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortJanusAdmin) admin = NULL;
  gint64 a_id = participant_of (w.a_session);
  FeedWait at_teacher = { w.teacher, a_id, "camera", 5, 0 };
  FeedWait gone = { w.teacher, a_id, "camera", 0, 0 };
  FeedWait teacher_back = { w.a, participant_of (w.teacher_session), "camera", 5, 0 };
  PacketWait sent = { NULL, "subscriber", "out", 0 };
  PacketWait received = { NULL, "publisher", "in", 0 };
  gint64 out_before;

  admin = a_speaks_on_stage ();
  sent.admin = received.admin = admin;

  json_object_set_int_member (body, "participant_id", a_id);
  json_object_set_boolean_member (body, "keep_muted", TRUE);
  reply = raw_request (w.teacher_session, COHORT_REQ_MEDIA_MUTE_STUDENT, body, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (reply, "muted"), ==, 1);
  g_clear_pointer (&reply, json_object_unref);
  g_assert_true (cohort_media_rig_wait (a_feed_muted, NULL, 5000));

  /* Her client still sends; Janus forwards none of it. */
  out_before = janus_audio_packets (admin, "subscriber", "out");
  received.at_least = janus_audio_packets (admin, "publisher", "in") + 50;
  g_assert_true (cohort_media_rig_wait (packets_reach, &received, 10000));
  g_assert_cmpint (janus_audio_packets (admin, "subscriber", "out") - out_before, <=, 2);

  /* A new publication is muted at Janus too: still silent. */
  at_teacher.not_feed = find_feed (w.teacher, a_id, "camera");
  cohort_call_set_camera_on (w.a, FALSE);
  cohort_call_set_camera_on (w.a, TRUE);
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &at_teacher, 10000));
  g_assert_true (cohort_media_rig_wait (a_feed_muted, NULL, 5000));
  out_before = janus_audio_packets (admin, "subscriber", "out");
  received.at_least = janus_audio_packets (admin, "publisher", "in") + 50;
  g_assert_true (cohort_media_rig_wait (packets_reach, &received, 10000));
  g_assert_cmpint (janus_audio_packets (admin, "subscriber", "out") - out_before, <=, 2);

  /* Let go: her own unmute (media.mute) lifts the mute at Janus. */
  json_object_remove_member (body, "keep_muted");
  reply = raw_request (w.teacher_session, COHORT_REQ_MEDIA_ALLOW_UNMUTE, body, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (reply, "released"), ==, 1);
  cohort_call_set_audio_muted (w.a, TRUE);
  cohort_call_set_audio_muted (w.a, FALSE);
  sent.at_least = janus_audio_packets (admin, "subscriber", "out") + 25;
  g_assert_true (cohort_media_rig_wait (packets_reach, &sent, 10000));

  g_assert_true (stage_request (w.teacher, COHORT_STAGE_REMOVE, a_id, &error));
  g_assert_no_error (error);
  g_assert_true (cohort_media_rig_wait (feed_absent, &gone, 5000));
  g_assert_true (cohort_media_rig_wait (a_stopped, NULL, 5000));

  cohort_call_set_camera_on (w.teacher, TRUE);
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &teacher_back, 10000));
}

static void
test_janus_crash (void)
{
  gint64 teacher_id = participant_of (w.teacher_session);
  gint64 old_a = find_feed (w.a, teacher_id, "camera");
  gint64 old_b = find_feed (w.b, teacher_id, "camera");
  GPid janus = cohort_media_rig_janus_pid (w.rig);
  FeedWait fa = { w.a, teacher_id, "camera", 5, old_a };
  FeedWait fb = { w.b, teacher_id, "camera", 5, old_b };
  gint64 killed_us;
  double back_s;

  g_assert_cmpint (old_a, !=, 0);
  g_assert_cmpint (janus, >, 0);

  killed_us = g_get_monotonic_time ();
  g_assert_cmpint (kill (janus, SIGKILL), ==, 0);

  /* Every feed back, decoding, within 5 s and without anyone's help. */
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &fa, 5000));
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &fb, 5000));
  back_s = (g_get_monotonic_time () - killed_us) / (double) G_USEC_PER_SEC;
  g_test_message ("feeds back %.2f s after Janus was killed", back_s);
  g_assert_cmpfloat (back_s, <, 5.0);
  g_assert_cmpint (cohort_media_rig_janus_pid (w.rig), !=, janus);

  /* The new Janus reads the same private directory: still one, still
   * ours alone. */
  {
    g_autoptr(GPtrArray) dirs = janus_dirs ();
    struct stat st;

    g_assert_cmpuint (dirs->len, ==, 1);
    g_assert_cmpint (stat (g_ptr_array_index (dirs, 0), &st), ==, 0);
    g_assert_cmpuint (st.st_mode & 0777, ==, 0700);
  }
}

/* Cuts or restores all traffic from and to $COHORT_TEST_CUT_ADDRESS (the
 * student's only address: its ICE candidates and its WebSocket) with
 * blackhole policy rules ahead of the local table (netns-run.sh). */
static void
set_network_cut (gboolean cut)
{
  const char *address = g_getenv ("COHORT_TEST_CUT_ADDRESS");
  const char *verb = cut ? "add" : "del";
  g_autofree char *from = g_strdup_printf ("ip rule %s pref 10 from %s blackhole", verb, address);
  g_autofree char *to = g_strdup_printf ("ip rule %s pref 11 to %s blackhole", verb, address);
  const char *commands[] = { from, to };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *err = NULL;
      int wait_status = 0;

      g_assert_true (g_spawn_command_line_sync (commands[i], NULL, &err, &wait_status, &error));
      g_assert_no_error (error);
      if (!g_spawn_check_wait_status (wait_status, NULL))
        g_error ("%s: %s", commands[i], err);
    }
}

typedef struct
{
  CohortCall    *call;
  gint64         participant_id;
  CohortRigSink *sink;     /* the sink when the network came back */
  guint          frames;   /* its frames then */
} ResumeWait;

static CohortRigSink *
current_sink (CohortCall *call,
              gint64      participant_id)
{
  gint64 feed_id = find_feed (call, participant_id, "camera");

  return feed_id != 0 ? cohort_rig_sink_for_feed (call, feed_id) : NULL;
}

static gboolean
frames_resumed (gpointer data)
{
  ResumeWait *rw = data;
  CohortRigSink *sink = current_sink (rw->call, rw->participant_id);

  if (sink == NULL)
    return FALSE;
  if (sink != rw->sink)
    return cohort_rig_sink_get_frames (sink) > 0;
  return cohort_rig_sink_get_frames (sink) > rw->frames;
}

static gboolean
is_invited (gpointer data)
{
  return cohort_call_get_invited (data);
}

static void
test_network_loss (void)
{
  g_autoptr(GError) error = NULL;
  gint64 teacher_id = participant_of (w.teacher_session);
  gint64 b_id = participant_of (w.b_session);
  FeedWait fb = { w.b, teacher_id, "camera", 5, 0 };
  ResumeWait rw = { w.b, teacher_id, NULL, 0 };
  double min_fps = g_getenv ("COHORT_TEST_MIN_FPS") != NULL ? g_ascii_strtod (g_getenv ("COHORT_TEST_MIN_FPS"), NULL) : 25.0;
  CohortRigSink *sink;
  guint frames_before, frames_in_cut;
  gint64 cut_us, restored_us, resumed_us, start_us;
  double resume_s, fps;

  /* The teacher publishes (the earlier tests left the camera on); the
   * student decodes it. */
  cohort_call_set_camera_on (w.teacher, TRUE);
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &fb, 10000));

  /* Ten seconds without any network for this student. */
  set_network_cut (TRUE);
  cut_us = g_get_monotonic_time ();
  /* Meanwhile the teacher invites him to the stage: the event cannot reach
   * him now (his WebSocket is cut too) and must once he is back. */
  g_assert_true (stage_request (w.teacher, COHORT_STAGE_INVITE, b_id, &error));
  g_assert_no_error (error);
  cohort_media_rig_sleep (8000 - (g_get_monotonic_time () - cut_us) / 1000);
  g_assert_false (cohort_call_get_invited (w.b));
  sink = current_sink (w.b, teacher_id);
  frames_before = cohort_rig_sink_get_frames (sink);
  cohort_media_rig_sleep (2000);
  /* Nothing gets through: the cut is real. */
  frames_in_cut = (sink == current_sink (w.b, teacher_id) ? cohort_rig_sink_get_frames (sink) : 0) - frames_before;
  g_test_message ("frames decoded in the last 2 s of the cut: %u", frames_in_cut);
  g_assert_cmpuint (frames_in_cut, <, 5);

  /* The network comes back; nothing else is done for the student. */
  set_network_cut (FALSE);
  restored_us = g_get_monotonic_time ();
  rw.sink = current_sink (w.b, teacher_id);
  rw.frames = cohort_rig_sink_get_frames (rw.sink);
  g_assert_true (cohort_media_rig_wait (frames_resumed, &rw, 10000));
  resumed_us = g_get_monotonic_time ();
  resume_s = (resumed_us - restored_us) / (double) G_USEC_PER_SEC;
  g_test_message ("first frame %.2f s after the network came back (session state %d)", resume_s,
                  cohort_session_get_state (w.b_session));

  /* And keeps coming at full rate. */
  sink = current_sink (w.b, teacher_id);
  start_us = g_get_monotonic_time ();
  frames_before = cohort_rig_sink_get_frames (sink);
  cohort_media_rig_sleep (2000);
  g_assert_true (sink == current_sink (w.b, teacher_id));
  fps = (cohort_rig_sink_get_frames (sink) - frames_before) /
        ((g_get_monotonic_time () - start_us) / (double) G_USEC_PER_SEC);
  g_test_message ("%.1f fps over 2 s after resuming; full rate %.2f s after the network came back",
                  fps, (g_get_monotonic_time () - restored_us) / (double) G_USEC_PER_SEC);
  g_assert_cmpfloat (fps, >=, min_fps);
  g_assert_cmpint (cohort_session_get_state (w.b_session), ==, COHORT_SESSION_STATE_JOINED);
  /* The event sent during the cut arrives too, once TCP retransmits it:
   * after a 10 s outage its backoff can put that a few seconds after the
   * network is back. */
  g_assert_true (cohort_media_rig_wait (is_invited, w.b, 20000));
}

/* H.264 end to end: the teacher's camera restarts with x264enc (the
 * install script provides it: a missing encoder fails, it does not skip),
 * Janus forwards it as is (the room allows vp8,h264 at 42e01f), and the
 * student answers Janus's offer with Janus's payload type and decodes the
 * colour bars at full size and rate. */
static void
test_h264 (void)
{
  gint64 teacher_id = participant_of (w.teacher_session);
  gint64 old_feed = find_feed (w.a, teacher_id, "camera");
  FeedWait gone = { w.a, teacher_id, "camera", 0, 0 };
  FeedWait fa = { w.a, teacher_id, "camera", 5, old_feed };
  double min_fps = g_getenv ("COHORT_TEST_MIN_FPS") != NULL ? g_ascii_strtod (g_getenv ("COHORT_TEST_MIN_FPS"), NULL) : 25.0;
  g_autoptr(GstElementFactory) x264 = gst_element_factory_find ("x264enc");
  g_autoptr(GstSample) sample = NULL;
  CohortPublisher *publisher;
  CohortRigSink *sink;
  GstStructure *s;
  guint start_frames;
  gint64 start_us, feed_id;
  double seconds, fps, diff;
  int width = 0, height = 0;

  g_assert_nonnull (x264);
  g_assert_cmpstr (cohort_publisher_pick_encoder (COHORT_VIDEO_CODEC_H264), ==, "x264enc");

  cohort_call_set_camera_on (w.teacher, FALSE);
  g_assert_true (cohort_media_rig_wait (feed_absent, &gone, 5000));
  g_object_set (w.teacher, "video-codec", COHORT_VIDEO_CODEC_H264, NULL);
  cohort_call_set_camera_on (w.teacher, TRUE);
  g_assert_true (cohort_media_rig_wait (feed_has_frames, &fa, 10000));

  publisher = cohort_call_get_publisher (w.teacher, "camera");
  g_assert_nonnull (publisher);
  g_assert_cmpstr (cohort_publisher_get_encoder (publisher), ==, "x264enc");

  cohort_media_rig_sleep (500);
  feed_id = find_feed (w.a, teacher_id, "camera");
  sink = cohort_rig_sink_for_feed (w.a, feed_id);
  start_frames = cohort_rig_sink_get_frames (sink);
  start_us = g_get_monotonic_time ();
  cohort_media_rig_sleep (3000);
  g_assert_true (sink == cohort_rig_sink_for_feed (w.a, find_feed (w.a, teacher_id, "camera")));
  seconds = (g_get_monotonic_time () - start_us) / (double) G_USEC_PER_SEC;
  fps = (cohort_rig_sink_get_frames (sink) - start_frames) / seconds;
  g_test_message ("H.264: %.1f fps over %.1f s (x264enc at %u bit/s)", fps, seconds,
                  cohort_publisher_get_bitrate (publisher));
  g_assert_cmpfloat (fps, >=, min_fps);

  sample = cohort_rig_sink_dup_sample (sink);
  g_assert_nonnull (sample);
  s = gst_caps_get_structure (gst_sample_get_caps (sample), 0);
  gst_structure_get_int (s, "width", &width);
  gst_structure_get_int (s, "height", &height);
  g_assert_cmpint (width, ==, 1280);
  g_assert_cmpint (height, ==, 720);
  diff = cohort_rig_compare_smpte (sample);
  g_test_message ("H.264: mean difference from SMPTE bars %.1f", diff);
  g_assert_cmpfloat (diff, <, 12.0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL || g_getenv ("COHORT_TEST_CUT_ADDRESS") == NULL)
    {
      g_print ("1..0 # SKIP run this test through tests/media/netns-run.sh\n");
      return 0;
    }

  /* A TMPDIR of the test's own, so that the Janus directory can be found
   * (and nobody else's is). */
  w.tmp = g_dir_make_tmp ("cohort-media-tmp-XXXXXX", NULL);
  g_assert_nonnull (w.tmp);
  g_setenv ("TMPDIR", w.tmp, TRUE);
  w.rig = cohort_media_rig_start (1);
  w.teacher_session = cohort_media_rig_create_class (w.rig, "Ms Li");
  w.a_session = cohort_media_rig_join (w.rig, w.teacher_session, "Ana");
  /* Bo's network is the one /media/network-loss cuts: all of his traffic,
   * media and WebSocket, uses only his own address. */
  w.b_session = cohort_media_rig_join_via (w.rig, w.teacher_session, "Bo", g_getenv ("COHORT_TEST_CUT_ADDRESS"));
  w.teacher = cohort_media_rig_new_call (w.teacher_session, 1280, 720);
  w.a = cohort_media_rig_new_call (w.a_session, 640, 360);
  w.b = cohort_media_rig_new_call (w.b_session, 640, 360);
  cohort_call_set_ice_addresses (w.b, (const char * const[]) { g_getenv ("COHORT_TEST_CUT_ADDRESS"), NULL });
  g_object_set (w.a, "preset", COHORT_VIDEO_PRESET_360P, NULL);
  if (g_getenv ("COHORT_TEST_LATENCY"))
    {
      g_object_set (w.a, "latency", atoi (g_getenv ("COHORT_TEST_LATENCY")), NULL);
      g_object_set (w.b, "latency", atoi (g_getenv ("COHORT_TEST_LATENCY")), NULL);
    }

  g_test_add_func ("/media/teacher-to-students", test_teacher_to_students);
  g_test_add_func ("/media/layer-requests", test_layer_requests);
  g_test_add_func ("/media/step-down", test_step_down);
  g_test_add_func ("/media/screen-share", test_screen_share);
  g_test_add_func ("/media/stage", test_stage);
  g_test_add_func ("/media/mute-all", test_mute_all);
  g_test_add_func ("/media/mute-student", test_mute_student);
  g_test_add_func ("/media/janus-crash", test_janus_crash);
  g_test_add_func ("/media/network-loss", test_network_loss);
  g_test_add_func ("/media/h264", test_h264);
  g_test_add_func ("/media/secrets-removed", test_secrets_removed);

  status = g_test_run ();

  free_world ();
  g_rmdir (w.tmp);
  g_free (w.tmp);

  return status;
}

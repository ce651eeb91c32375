/* test-voice.c: study groups' voice rooms against a real server and Janus AudioBridge
 *
 * Inside netns-run.sh: a teacher and three students on their own
 * CohortSessions, two of them in one group, each with a CohortVoiceRoom
 * whose microphone is an audiotestsrc. The cases run in order on one
 * class: who may join, joining, who is speaking, the teacher following
 * every room from outside, muting, a member taken out of the group,
 * breakouts (and the class's sound during them), and a Janus restart.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <signal.h>

#include <gst/app/app.h>

#include "cohort-classroom.h"
#include "cohort-media-rig.h"
#include "cohort-protocol.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"
#include "cohort-voice-protocol.h"
#include "cohort-voice-room.h"

typedef struct
{
  CohortMediaRig  *rig;
  CohortSession   *teacher_session;
  CohortSession   *a_session;      /* in the group, speaks */
  CohortSession   *b_session;      /* in the group, silent */
  CohortSession   *c_session;      /* in no group */
  CohortVoiceRoom *a;
  CohortVoiceRoom *b;
  gint64           group_id;
} World;

static World w;

static gint64
participant_of (CohortSession *session)
{
  return cohort_participant_get_id (cohort_session_get_self (session));
}

static GstElement *
on_create_source (CohortVoiceRoom *room,
                  const char      *what,
                  gpointer         loud)
{
  g_autofree char *desc = NULL;

  /* A speaking member: a sine well over AudioBridge's −40 dBov; a
   * silent one: silence. */
  desc = g_strdup_printf ("audiotestsrc is-live=true wave=%s volume=0.5 samplesperbuffer=960",
                          GPOINTER_TO_INT (loud) ? "sine" : "silence");
  return gst_parse_launch (desc, NULL);
}

static GstElement *
on_create_sink (CohortVoiceRoom *room,
                const char      *what,
                gpointer         user_data)
{
  /* No sound card in the namespace. */
  return gst_element_factory_make ("fakesink", NULL);
}

static CohortVoiceRoom *
new_room (CohortSession *session,
          gboolean       loud)
{
  CohortVoiceRoom *room = cohort_voice_room_new (session);

  g_signal_connect (room, "create-source", G_CALLBACK (on_create_source), GINT_TO_POINTER (loud));
  g_signal_connect (room, "create-sink", G_CALLBACK (on_create_sink), NULL);
  return room;
}

static JsonObject *
request_ok (CohortSession *session,
            const char    *type,
            JsonObject    *body)
{
  g_autoptr(GError) error = NULL;
  JsonObject *reply = cohort_test_session_request (session, type, body, &error);

  g_assert_no_error (error);
  return reply;
}

static void
assign (gint64 participant_id,
        gint64 group_id)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;

  json_object_set_int_member (body, "participant_id", participant_id);
  json_object_set_int_member (body, "group_id", group_id);
  reply = request_ok (w.teacher_session, "groups.assign", body);
}

static gboolean
has_member (CohortVoiceRoom *room,
            gint64           participant_id)
{
  g_autoptr(GArray) ids = cohort_voice_room_dup_members (room, w.group_id);

  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == participant_id)
      return TRUE;
  return FALSE;
}

/* Who may join: the group's members and the teacher; the request is
 * checked before Janus sees it. */
static void
test_role (void)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;
  const char *offer = "v=0\r\no=- 0 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n";

  json_object_set_int_member (body, "group_id", w.group_id);
  json_object_set_string_member (body, "sdp", offer);
  reply = cohort_test_session_request (w.c_session, COHORT_REQ_VOICE_JOIN, body, &error);
  g_assert_null (reply);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  json_object_set_int_member (body, "group_id", w.group_id + 1000);
  reply = cohort_test_session_request (w.a_session, COHORT_REQ_VOICE_JOIN, body, &error);
  g_assert_null (reply);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  json_object_set_int_member (body, "group_id", w.group_id);
  json_object_set_string_member (body, "sdp", "not an offer");
  reply = cohort_test_session_request (w.a_session, COHORT_REQ_VOICE_JOIN, body, &error);
  g_assert_null (reply);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_clear_error (&error);

  /* Muting without a room. */
  json_object_remove_member (body, "sdp");
  json_object_remove_member (body, "group_id");
  json_object_set_boolean_member (body, "muted", TRUE);
  reply = cohort_test_session_request (w.a_session, COHORT_REQ_VOICE_MUTE, body, &error);
  g_assert_null (reply);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_NOT_FOUND);
}

/* Two members join; each hears the room's mix and sees the other. */
static void
test_join (void)
{
  w.a = new_room (w.a_session, TRUE);
  w.b = new_room (w.b_session, FALSE);
  cohort_voice_room_join (w.a, w.group_id);
  cohort_voice_room_join (w.b, w.group_id);

  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_get_state (w.a) == COHORT_VOICE_STATE_JOINED &&
                          cohort_voice_room_get_state (w.b) == COHORT_VOICE_STATE_JOINED);
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_get_receiving (w.a) &&
                          cohort_voice_room_get_receiving (w.b));
  COHORT_TEST_WAIT_UNTIL (has_member (w.a, participant_of (w.b_session)) &&
                          has_member (w.b, participant_of (w.a_session)) &&
                          has_member (w.a, participant_of (w.a_session)));
  /* The student in no group does not see the room. */
  g_assert_false (cohort_voice_room_get_state (w.a) == COHORT_VOICE_STATE_IDLE);
}

/* AudioBridge's talking events, from A's audio levels, reach B. */
static void
test_speaking (void)
{
  gint64 a_id = participant_of (w.a_session);
  gint64 b_id = participant_of (w.b_session);

  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_is_talking (w.b, a_id));
  g_assert_false (cohort_voice_room_is_talking (w.b, b_id));
}

/* The teacher, in no room, follows every room (voice.watch): A's room
 * talks while A speaks, and stops when A mutes. Only the teacher may. */
static void
test_watch (void)
{
  g_autoptr(CohortVoiceRoom) teacher = new_room (w.teacher_session, FALSE);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_is_room_talking (teacher, w.group_id));
  g_assert_true (cohort_voice_room_is_talking (teacher, participant_of (w.a_session)));
  g_assert_cmpint (cohort_voice_room_get_state (teacher), ==, COHORT_VOICE_STATE_IDLE);

  cohort_voice_room_set_muted (w.a, TRUE);
  COHORT_TEST_WAIT_UNTIL (!cohort_voice_room_is_room_talking (teacher, w.group_id));
  cohort_voice_room_set_muted (w.a, FALSE);
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_is_room_talking (teacher, w.group_id));

  reply = cohort_test_session_request (w.c_session, COHORT_REQ_VOICE_WATCH, NULL, &error);
  g_assert_null (reply);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
}

/* A mutes: muted for everyone, and no longer speaking. */
static void
test_mute (void)
{
  gint64 a_id = participant_of (w.a_session);

  cohort_voice_room_set_muted (w.a, TRUE);
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_is_member_muted (w.b, w.group_id, a_id));
  COHORT_TEST_WAIT_UNTIL (!cohort_voice_room_is_talking (w.b, a_id));

  cohort_voice_room_set_muted (w.a, FALSE);
  COHORT_TEST_WAIT_UNTIL (!cohort_voice_room_is_member_muted (w.b, w.group_id, a_id));
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_is_talking (w.b, a_id));
}

/* Push-to-talk: the microphone is open only while the key is held. */
static void
test_push_to_talk (void)
{
  gint64 a_id = participant_of (w.a_session);

  cohort_voice_room_set_push_to_talk (w.a, TRUE);
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_is_member_muted (w.b, w.group_id, a_id));
  cohort_voice_room_set_talk_pressed (w.a, TRUE);
  COHORT_TEST_WAIT_UNTIL (!cohort_voice_room_is_member_muted (w.b, w.group_id, a_id));
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_is_talking (w.b, a_id));
  cohort_voice_room_set_talk_pressed (w.a, FALSE);
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_is_member_muted (w.b, w.group_id, a_id));
  cohort_voice_room_set_push_to_talk (w.a, FALSE);
  COHORT_TEST_WAIT_UNTIL (!cohort_voice_room_is_member_muted (w.b, w.group_id, a_id));
}

/* The teacher drops in, then leaves. */
static void
test_teacher_drop_in (void)
{
  g_autoptr(CohortVoiceRoom) teacher = new_room (w.teacher_session, FALSE);
  gint64 teacher_id = participant_of (w.teacher_session);

  cohort_voice_room_join (teacher, w.group_id);
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_get_state (teacher) == COHORT_VOICE_STATE_JOINED);
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_get_receiving (teacher));
  COHORT_TEST_WAIT_UNTIL (has_member (w.a, teacher_id));
  /* The teacher hears who is speaking in the room. */
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_is_talking (teacher, participant_of (w.a_session)));

  cohort_voice_room_leave (teacher);
  COHORT_TEST_WAIT_UNTIL (!has_member (w.a, teacher_id));
}

/* B is taken out of the group: out of the room at once. */
static void
test_removed (void)
{
  gint64 b_id = participant_of (w.b_session);

  assign (b_id, 0);
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_get_state (w.b) == COHORT_VOICE_STATE_IDLE);
  COHORT_TEST_WAIT_UNTIL (!has_member (w.a, b_id));
  g_assert_cmpint (cohort_voice_room_get_state (w.a), ==, COHORT_VOICE_STATE_JOINED);
}

/* The teacher sends every group to its room: B (in no room) joins the
 * group's by itself, A stays; the teacher calls them back: B leaves,
 * A, who joined by choice, stays. */
static void
test_breakout (void)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) ended = NULL;
  g_autoptr(GError) error = NULL;
  gint64 b_id = participant_of (w.b_session);
  gint64 now_ms = g_get_real_time () / 1000;

  assign (b_id, w.group_id);
  g_assert_cmpint (cohort_voice_room_get_state (w.b), ==, COHORT_VOICE_STATE_IDLE);

  json_object_set_int_member (body, "minutes", 5);
  json_object_set_string_member (body, "class_audio", "low");
  reply = cohort_test_session_request (w.a_session, COHORT_REQ_VOICE_BREAKOUT, body, &error);
  g_assert_null (reply);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
  g_clear_error (&error);
  json_object_set_int_member (body, "minutes", 0);
  reply = cohort_test_session_request (w.teacher_session, COHORT_REQ_VOICE_BREAKOUT, body, &error);
  g_assert_null (reply);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_INVALID);
  g_clear_error (&error);

  json_object_set_int_member (body, "minutes", 5);
  reply = request_ok (w.teacher_session, COHORT_REQ_VOICE_BREAKOUT, body);
  g_assert_cmpint (json_object_get_int_member (reply, "ends_at"), >=, now_ms + 5 * 60 * 1000);

  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_get_state (w.b) == COHORT_VOICE_STATE_JOINED &&
                          cohort_voice_room_get_receiving (w.b));
  g_assert_cmpint (cohort_voice_room_get_group_id (w.b), ==, w.group_id);
  g_assert_cmpint (cohort_voice_room_get_breakout_ends_at (w.b), ==, json_object_get_int_member (reply, "ends_at"));
  g_assert_cmpstr (cohort_voice_room_get_class_audio (w.b), ==, "low");
  COHORT_TEST_WAIT_UNTIL (has_member (w.a, b_id));

  ended = request_ok (w.teacher_session, COHORT_REQ_VOICE_BREAKOUT_END, NULL);
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_get_state (w.b) == COHORT_VOICE_STATE_IDLE);
  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_get_breakout_ends_at (w.a) == 0);
  COHORT_TEST_WAIT_UNTIL (!has_member (w.a, b_id));
  g_assert_cmpint (cohort_voice_room_get_state (w.a), ==, COHORT_VOICE_STATE_JOINED);
}

/* The class's sound as A hears it: the RMS of its newest buffer. */
typedef struct
{
  GMutex lock;
  double rms;
  gint64 at_us;
} Level;

static Level class_level;

static GstFlowReturn
on_class_sample (GstAppSink *appsink,
                 gpointer    user_data)
{
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (appsink);
  GstMapInfo map;
  double sum = 0;
  gsize n;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (!gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    return GST_FLOW_OK;
  n = map.size / sizeof (float);
  for (gsize i = 0; i < n; i++)
    sum += ((const float *) map.data)[i] * ((const float *) map.data)[i];
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);

  g_mutex_lock (&class_level.lock);
  class_level.rms = n > 0 ? sqrt (sum / n) : 0;
  class_level.at_us = g_get_monotonic_time ();
  g_mutex_unlock (&class_level.lock);
  return GST_FLOW_OK;
}

static GstElement *
on_class_audio_sink (CohortCall *call,
                     CohortFeed *feed,
                     gpointer    user_data)
{
  static GstAppSinkCallbacks callbacks = { .new_sample = on_class_sample };
  GstElement *bin = gst_parse_bin_from_description ("audioconvert ! audio/x-raw,format=F32LE,channels=1 "
                                                    "! appsink name=sink sync=false max-buffers=10 drop=true",
                                                    TRUE, NULL);
  g_autoptr(GstElement) sink = gst_bin_get_by_name (GST_BIN (bin), "sink");

  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, NULL, NULL);
  return bin;
}

/* The class's sound plays now (a buffer in the last half second) with
 * an RMS between @low and @high. */
static gboolean
class_level_within (double low,
                    double high)
{
  gboolean within;

  g_mutex_lock (&class_level.lock);
  within = g_get_monotonic_time () - class_level.at_us < 500 * 1000 &&
           class_level.rms >= low && class_level.rms <= high;
  g_mutex_unlock (&class_level.lock);
  return within;
}

/* The rig's microphone is a sine of amplitude 0.2: an RMS of 0.14. */
#define CLASS_FULL   class_level_within (0.08, 1.0)
#define CLASS_LOW    class_level_within (0.01, 0.05)
#define CLASS_PAUSED class_level_within (0.0, 0.002)

static void
breakout (const char *class_audio)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;

  json_object_set_int_member (body, "minutes", 5);
  json_object_set_string_member (body, "class_audio", class_audio);
  reply = request_ok (w.teacher_session, COHORT_REQ_VOICE_BREAKOUT, body);
}

/* The teacher speaks to the class; A, a student, hears it. A breakout
 * pauses it for A, or keeps it low, as the teacher chose; the end of the
 * breakout brings it back. */
static void
test_breakout_class_audio (void)
{
  g_autoptr(CohortClassroom) teacher_class = cohort_classroom_new (w.teacher_session);
  g_autoptr(CohortClassroom) a_class = cohort_classroom_new (w.a_session);
  g_autoptr(CohortVoiceRoom) teacher_room = new_room (w.teacher_session, FALSE);
  g_autoptr(JsonObject) ended = NULL;

  g_mutex_init (&class_level.lock);
  cohort_media_rig_answer_call (cohort_classroom_get_call (teacher_class), 320, 180);
  g_signal_connect (cohort_classroom_get_call (a_class), "create-audio-sink",
                    G_CALLBACK (on_class_audio_sink), NULL);
  cohort_media_rig_answer_call (cohort_classroom_get_call (a_class), 320, 180);
  cohort_voice_room_set_classroom (w.a, a_class);
  cohort_voice_room_set_classroom (teacher_room, teacher_class);
  cohort_classroom_set_publishing (teacher_class, FALSE, TRUE);
  COHORT_TEST_WAIT_UNTIL_MS (CLASS_FULL, 20000);

  breakout (COHORT_VOICE_CLASS_AUDIO_PAUSE);
  COHORT_TEST_WAIT_UNTIL (CLASS_PAUSED);
  g_assert_cmpfloat (cohort_classroom_get_class_volume (a_class), ==, 0.0);
  ended = request_ok (w.teacher_session, COHORT_REQ_VOICE_BREAKOUT_END, NULL);
  COHORT_TEST_WAIT_UNTIL (CLASS_FULL);
  g_clear_pointer (&ended, json_object_unref);

  breakout (COHORT_VOICE_CLASS_AUDIO_LOW);
  COHORT_TEST_WAIT_UNTIL (CLASS_LOW);
  ended = request_ok (w.teacher_session, COHORT_REQ_VOICE_BREAKOUT_END, NULL);
  COHORT_TEST_WAIT_UNTIL (CLASS_FULL);
  /* The teacher's own class sound is never lowered. */
  g_assert_cmpfloat (cohort_classroom_get_class_volume (teacher_class), ==, 1.0);

  cohort_voice_room_set_classroom (w.a, NULL);
  cohort_classroom_shutdown (teacher_class);
  cohort_classroom_shutdown (a_class);
}

/* Janus dies: the room comes back and A is in it again, hearing the mix,
 * without anyone's help. */
static void
test_janus_restart (void)
{
  GPid janus = cohort_media_rig_janus_pid (w.rig);
  gint64 a_id = participant_of (w.a_session);
  gint64 killed_us;

  g_assert_cmpint (janus, >, 0);
  killed_us = g_get_monotonic_time ();
  g_assert_cmpint (kill (janus, SIGKILL), ==, 0);

  COHORT_TEST_WAIT_UNTIL (cohort_voice_room_get_state (w.a) != COHORT_VOICE_STATE_JOINED ||
                          !cohort_voice_room_get_receiving (w.a));
  COHORT_TEST_WAIT_UNTIL_MS (cohort_voice_room_get_state (w.a) == COHORT_VOICE_STATE_JOINED &&
                             cohort_voice_room_get_receiving (w.a), 20000);
  COHORT_TEST_WAIT_UNTIL (has_member (w.a, a_id));
  g_test_message ("voice back %.2f s after Janus was killed",
                  (g_get_monotonic_time () - killed_us) / (double) G_USEC_PER_SEC);
  g_assert_cmpint (cohort_media_rig_janus_pid (w.rig), !=, janus);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  int status;

  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  w.rig = cohort_media_rig_start (6);
  w.teacher_session = cohort_media_rig_create_class (w.rig, "Teacher");
  w.a_session = cohort_media_rig_join (w.rig, w.teacher_session, "Ana");
  w.b_session = cohort_media_rig_join (w.rig, w.teacher_session, "Bo");
  w.c_session = cohort_media_rig_join (w.rig, w.teacher_session, "Cy");

  json_object_set_string_member (body, "name", "Team");
  json_object_set_int_member (body, "size", 4);
  reply = request_ok (w.teacher_session, "groups.create", body);
  w.group_id = json_object_get_int_member (json_object_get_object_member (reply, "group"), "id");
  assign (participant_of (w.a_session), w.group_id);
  assign (participant_of (w.b_session), w.group_id);

  g_test_add_func ("/voice/role", test_role);
  g_test_add_func ("/voice/join", test_join);
  g_test_add_func ("/voice/speaking", test_speaking);
  g_test_add_func ("/voice/watch", test_watch);
  g_test_add_func ("/voice/mute", test_mute);
  g_test_add_func ("/voice/push-to-talk", test_push_to_talk);
  g_test_add_func ("/voice/teacher-drop-in", test_teacher_drop_in);
  g_test_add_func ("/voice/removed", test_removed);
  g_test_add_func ("/voice/breakout", test_breakout);
  g_test_add_func ("/voice/breakout-class-audio", test_breakout_class_audio);
  g_test_add_func ("/voice/janus-restart", test_janus_restart);

  status = g_test_run ();

  g_clear_object (&w.a);
  g_clear_object (&w.b);
  g_clear_object (&w.a_session);
  g_clear_object (&w.b_session);
  g_clear_object (&w.c_session);
  g_clear_object (&w.teacher_session);
  cohort_media_rig_free (w.rig);
  return status;
}

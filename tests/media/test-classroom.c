/* test-classroom.c: CohortClassroom against a real server and Janus, inside netns-run.sh
 *
 * A teacher's and a student's classroom in this process, each on its own
 * CohortSession. The cases run in order on one class, like a lesson: what
 * the classroom publishes, what it tells its observers, and how the stage
 * requests change it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-classroom.h"
#include "cohort-media-rig.h"
#include "cohort-protocol.h"

typedef struct
{
  CohortMediaRig  *rig;
  CohortSession   *teacher_session;
  CohortSession   *student_session;
  CohortClassroom *teacher;
  CohortClassroom *student;
} World;

static World w;

/* What a classroom told its observers. */
typedef struct
{
  GPtrArray *errors;          /* media-error messages */
  guint      stage_changed;
  GPtrArray *notified;        /* property names, in order */
} Observed;

static Observed seen_teacher, seen_student;

static void
on_media_error (CohortClassroom *classroom,
                const char      *message,
                Observed        *seen)
{
  g_ptr_array_add (seen->errors, g_strdup (message));
}

static void
on_stage_changed (CohortClassroom *classroom,
                  Observed        *seen)
{
  seen->stage_changed++;
}

static void
on_notify (CohortClassroom *classroom,
           GParamSpec      *pspec,
           Observed        *seen)
{
  g_ptr_array_add (seen->notified, g_strdup (pspec->name));
}

static void
observe (CohortClassroom *classroom,
         Observed        *seen)
{
  seen->errors = g_ptr_array_new_with_free_func (g_free);
  seen->notified = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect (classroom, "media-error", G_CALLBACK (on_media_error), seen);
  g_signal_connect (classroom, "stage-changed", G_CALLBACK (on_stage_changed), seen);
  g_signal_connect (classroom, "notify", G_CALLBACK (on_notify), seen);
}

static void
forget (Observed *seen)
{
  g_ptr_array_set_size (seen->errors, 0);
  g_ptr_array_set_size (seen->notified, 0);
  seen->stage_changed = 0;
}

static gboolean
was_notified (Observed   *seen,
              const char *name)
{
  for (guint i = 0; i < seen->notified->len; i++)
    if (g_str_equal (g_ptr_array_index (seen->notified, i), name))
      return TRUE;
  return FALSE;
}

static gint64
participant_of (CohortSession *session)
{
  return cohort_participant_get_id (cohort_session_get_self (session));
}

/* The feed of @participant_id's @kind in @classroom, 0 if none. */
static gint64
find_feed (CohortClassroom *classroom,
           gint64           participant_id,
           gboolean         screen)
{
  GListModel *feeds = cohort_classroom_get_feeds (classroom);

  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);

      if (cohort_feed_get_participant_id (feed) == participant_id && cohort_feed_is_screen (feed) == screen)
        return cohort_feed_get_feed_id (feed);
    }
  return 0;
}

typedef struct
{
  CohortClassroom *classroom;
  gint64           participant_id;
  gboolean         screen;
  guint            min_frames;   /* 0: the feed is absent */
} FeedWait;

static gboolean
feed_is (gpointer data)
{
  FeedWait *fw = data;
  gint64 feed_id = find_feed (fw->classroom, fw->participant_id, fw->screen);

  if (fw->min_frames == 0)
    return feed_id == 0;
  return feed_id != 0 &&
         cohort_rig_sink_get_frames (cohort_rig_sink_for_feed (cohort_classroom_get_call (fw->classroom),
                                                               feed_id)) >= fw->min_frames;
}

static gboolean
has_errors (gpointer data)
{
  return ((Observed *) data)->errors->len > 0;
}

static gboolean
student_invited (gpointer data)
{
  return cohort_classroom_get_invited (w.student) && seen_student.stage_changed > 0;
}

static gboolean
student_on_stage_publishing (gpointer data)
{
  return cohort_classroom_get_on_stage (w.student) && cohort_classroom_get_publishing (w.student);
}

static gboolean
student_off_stage (gpointer data)
{
  return !cohort_classroom_get_on_stage (w.student) && !cohort_classroom_get_can_publish (w.student) &&
         !cohort_classroom_get_publishing (w.student);
}

/* A microphone, and no camera. */
static GstElement *
on_microphone_only (CohortCall *call,
                    const char *what,
                    gpointer    user_data)
{
  if (g_str_equal (what, "microphone"))
    return gst_parse_bin_from_description ("audiotestsrc is-live=true wave=sine", TRUE, NULL);
  return NULL;
}

static void
test_roles (void)
{
  g_assert_true (cohort_classroom_get_session (w.teacher) == w.teacher_session);
  g_assert_true (COHORT_IS_CALL (cohort_classroom_get_call (w.teacher)));
  g_assert_true (cohort_classroom_get_is_teacher (w.teacher));
  g_assert_false (cohort_classroom_get_is_teacher (w.student));
  g_assert_cmpint (cohort_classroom_get_teacher_id (w.student), ==, participant_of (w.teacher_session));

  /* The teacher always may publish; a student only on the stage. */
  g_assert_true (cohort_classroom_get_can_publish (w.teacher));
  g_assert_false (cohort_classroom_get_can_publish (w.student));
  g_assert_false (cohort_classroom_get_publishing (w.teacher));
  g_assert_false (cohort_classroom_get_camera_wanted (w.teacher));
}

static void
test_no_devices (void)
{
  forget (&seen_teacher);

  /* Nothing answers create-source: the wishes go back off, and the
   * observers hear why. */
  cohort_classroom_set_publishing (w.teacher, TRUE, TRUE);
  g_assert_true (cohort_media_rig_wait (has_errors, &seen_teacher, 5000));
  g_assert_false (cohort_classroom_get_camera_wanted (w.teacher));
  g_assert_false (cohort_classroom_get_microphone_wanted (w.teacher));
  g_assert_false (cohort_classroom_get_publishing (w.teacher));
  g_assert_true (was_notified (&seen_teacher, "camera-wanted"));
  g_assert_true (was_notified (&seen_teacher, "microphone-wanted"));
  g_assert_cmpstr (g_ptr_array_index (seen_teacher.errors, 0), ==,
                   "No camera or microphone was found. Check the devices in Preferences.");
}

static void
test_missing_camera (void)
{
  CohortCall *call = cohort_classroom_get_call (w.teacher);
  gulong handler = g_signal_connect (call, "create-source", G_CALLBACK (on_microphone_only), NULL);

  forget (&seen_teacher);

  /* The publisher found a microphone only: the camera's wish goes off,
   * the microphone publishes. */
  cohort_classroom_set_publishing (w.teacher, TRUE, TRUE);
  g_assert_true (cohort_classroom_get_publishing (w.teacher));
  g_assert_false (cohort_classroom_get_camera_wanted (w.teacher));
  g_assert_true (cohort_classroom_get_microphone_wanted (w.teacher));
  g_assert_true (cohort_call_get_video_muted (call));
  g_assert_true (was_notified (&seen_teacher, "publishing"));
  g_assert_cmpuint (seen_teacher.errors->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen_teacher.errors, 0), ==,
                   "No camera was found. Check the devices in Preferences.");

  /* Both off: publishing stops. */
  cohort_classroom_set_publishing (w.teacher, FALSE, FALSE);
  g_assert_false (cohort_classroom_get_publishing (w.teacher));
  g_signal_handler_disconnect (call, handler);
}

static void
test_teacher_publishes (void)
{
  gint64 teacher_id = participant_of (w.teacher_session);
  FeedWait at_student = { w.student, teacher_id, FALSE, 5 };

  forget (&seen_teacher);
  cohort_media_rig_answer_call (cohort_classroom_get_call (w.teacher), 640, 360);

  cohort_classroom_set_publishing (w.teacher, TRUE, TRUE);
  g_assert_true (cohort_classroom_get_publishing (w.teacher));
  g_assert_true (cohort_classroom_get_camera_wanted (w.teacher));
  g_assert_true (cohort_classroom_get_microphone_wanted (w.teacher));
  g_assert_true (was_notified (&seen_teacher, "publishing"));

  /* The student's classroom lists the teacher's feed, and it plays. */
  g_assert_true (cohort_media_rig_wait (feed_is, &at_student, 15000));
  g_assert_cmpuint (seen_teacher.errors->len, ==, 0);
}

static void
test_refused_request (void)
{
  forget (&seen_student);

  /* Only the teacher invites: the server's refusal reaches the observers. */
  cohort_classroom_invite (w.student, participant_of (w.student_session));
  g_assert_true (cohort_media_rig_wait (has_errors, &seen_student, 5000));
  g_assert_cmpstr (g_ptr_array_index (seen_student.errors, 0), !=, "");
  g_assert_false (cohort_classroom_get_on_stage (w.student));
  g_assert_false (cohort_classroom_get_publishing (w.student));
}

static void
test_invitation (void)
{
  gint64 student_id = participant_of (w.student_session);
  FeedWait at_teacher = { w.teacher, student_id, FALSE, 5 };

  forget (&seen_student);

  cohort_classroom_invite (w.teacher, student_id);
  g_assert_true (cohort_media_rig_wait (student_invited, NULL, 5000));
  g_assert_true (was_notified (&seen_student, "invited"));
  /* Asked, not yet on stage: nothing is published. */
  g_assert_false (cohort_classroom_get_publishing (w.student));

  /* Accepting with the camera only: published once on stage. */
  cohort_classroom_accept_invitation (w.student, TRUE, FALSE);
  g_assert_true (cohort_classroom_get_camera_wanted (w.student));
  g_assert_false (cohort_classroom_get_microphone_wanted (w.student));
  g_assert_true (cohort_media_rig_wait (student_on_stage_publishing, NULL, 5000));
  g_assert_true (cohort_classroom_get_can_publish (w.student));
  g_assert_true (was_notified (&seen_student, "on-stage"));
  g_assert_true (cohort_call_get_audio_muted (cohort_classroom_get_call (w.student)));
  g_assert_true (cohort_media_rig_wait (feed_is, &at_teacher, 15000));
  g_assert_cmpuint (seen_student.errors->len, ==, 0);
}

typedef struct
{
  gboolean  seen;
  gboolean  keep_muted;
} MutedSeen;

static void
on_muted_by_teacher (CohortClassroom *classroom,
                     gboolean         keep_muted,
                     MutedSeen       *muted)
{
  muted->seen = TRUE;
  muted->keep_muted = keep_muted;
}

/* The student's camera feed at the teacher says its sound is @data
 * (GINT_TO_POINTER: 1 muted, 2 not muted). */
static gboolean
teacher_sees_audio (gpointer data)
{
  GListModel *feeds = cohort_classroom_get_feeds (w.teacher);
  gboolean want_muted = GPOINTER_TO_INT (data) == 1;

  for (guint i = 0; i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);

      if (cohort_feed_get_participant_id (feed) == participant_of (w.student_session) &&
          !cohort_feed_is_screen (feed))
        return cohort_feed_get_has_audio (feed) && cohort_feed_get_audio_muted (feed) == want_muted;
    }
  return FALSE;
}

static gboolean
test_muted_seen (gpointer data)
{
  return ((MutedSeen *) data)->seen;
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The teacher's Mute All: the student's microphone goes off the way her
 * own toggle turns it off, and she is told; turning it on again works,
 * since the teacher did not keep it muted. */
static void
test_muted_by_teacher (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  MutedSeen muted = { FALSE, TRUE };
  gulong handler;

  cohort_classroom_set_publishing (w.student, TRUE, TRUE);
  g_assert_true (cohort_media_rig_wait (teacher_sees_audio, GINT_TO_POINTER (2), 15000));
  handler = g_signal_connect (w.student, "muted-by-teacher", G_CALLBACK (on_muted_by_teacher), &muted);

  cohort_classroom_mute_all_async (w.teacher, FALSE, NULL, on_result, &result);
  g_assert_true (cohort_media_rig_wait (result_ready, &result, 5000));
  g_assert_cmpint (cohort_classroom_mute_all_finish (w.teacher, result, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (cohort_media_rig_wait (teacher_sees_audio, GINT_TO_POINTER (1), 5000));
  g_assert_true (cohort_media_rig_wait (test_muted_seen, &muted, 5000));
  g_assert_false (muted.keep_muted);
  g_assert_false (cohort_classroom_get_microphone_wanted (w.student));
  g_assert_true (cohort_classroom_get_camera_wanted (w.student));
  g_assert_true (cohort_call_get_audio_muted (cohort_classroom_get_call (w.student)));

  /* A student's Mute All is refused. */
  g_clear_object (&result);
  cohort_classroom_mute_all_async (w.student, FALSE, NULL, on_result, &result);
  g_assert_true (cohort_media_rig_wait (result_ready, &result, 5000));
  g_assert_cmpint (cohort_classroom_mute_all_finish (w.student, result, &error), ==, -1);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN);
  g_clear_error (&error);

  cohort_classroom_set_publishing (w.student, TRUE, TRUE);
  g_assert_true (cohort_media_rig_wait (teacher_sees_audio, GINT_TO_POINTER (2), 5000));
  g_signal_handler_disconnect (w.student, handler);

  cohort_classroom_set_publishing (w.student, TRUE, FALSE);
  g_assert_true (cohort_media_rig_wait (teacher_sees_audio, GINT_TO_POINTER (1), 5000));
}

static void
test_removed (void)
{
  gint64 student_id = participant_of (w.student_session);
  FeedWait gone = { w.teacher, student_id, FALSE, 0 };

  forget (&seen_student);

  /* Taken off the stage: the call stops, and so do the wishes. */
  cohort_classroom_remove (w.teacher, student_id);
  g_assert_true (cohort_media_rig_wait (student_off_stage, NULL, 5000));
  g_assert_false (cohort_classroom_get_camera_wanted (w.student));
  g_assert_true (was_notified (&seen_student, "camera-wanted"));
  g_assert_cmpuint (seen_student.stage_changed, >, 0);
  g_assert_true (cohort_media_rig_wait (feed_is, &gone, 5000));
}

static void
test_screen (void)
{
  gint64 teacher_id = participant_of (w.teacher_session);
  FeedWait shown = { w.student, teacher_id, TRUE, 3 };
  FeedWait gone = { w.student, teacher_id, TRUE, 0 };

  forget (&seen_teacher);

  g_object_set (w.teacher, "screen-on", TRUE, NULL);
  g_assert_true (cohort_classroom_get_screen_on (w.teacher));
  g_assert_true (was_notified (&seen_teacher, "screen-on"));
  g_assert_true (cohort_media_rig_wait (feed_is, &shown, 15000));

  forget (&seen_teacher);
  cohort_classroom_set_screen_on (w.teacher, FALSE);
  g_assert_false (cohort_classroom_get_screen_on (w.teacher));
  g_assert_true (was_notified (&seen_teacher, "screen-on"));
  g_assert_true (cohort_media_rig_wait (feed_is, &gone, 5000));
}

static void
test_shutdown (void)
{
  gint64 teacher_id = participant_of (w.teacher_session);
  FeedWait gone = { w.student, teacher_id, FALSE, 0 };

  g_assert_true (cohort_classroom_get_publishing (w.teacher));

  /* The window closes: every publication ends. */
  cohort_classroom_shutdown (w.teacher);
  g_assert_false (cohort_classroom_get_publishing (w.teacher));
  g_assert_false (cohort_classroom_get_screen_on (w.teacher));
  g_assert_true (cohort_media_rig_wait (feed_is, &gone, 5000));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL)
    {
      g_print ("1..0 # SKIP run this test through tests/media/netns-run.sh\n");
      return 0;
    }

  w.rig = cohort_media_rig_start (1);
  w.teacher_session = cohort_media_rig_create_class (w.rig, "Ms Li");
  w.student_session = cohort_media_rig_join (w.rig, w.teacher_session, "Ana");
  w.teacher = cohort_classroom_new (w.teacher_session);
  w.student = cohort_classroom_new (w.student_session);
  /* The teacher's call is answered later, after the cases without devices. */
  cohort_media_rig_answer_call (cohort_classroom_get_call (w.student), 320, 240);
  observe (w.teacher, &seen_teacher);
  observe (w.student, &seen_student);

  g_test_add_func ("/classroom/roles", test_roles);
  g_test_add_func ("/classroom/no-devices", test_no_devices);
  g_test_add_func ("/classroom/missing-camera", test_missing_camera);
  g_test_add_func ("/classroom/teacher-publishes", test_teacher_publishes);
  g_test_add_func ("/classroom/refused-request", test_refused_request);
  g_test_add_func ("/classroom/invitation", test_invitation);
  g_test_add_func ("/classroom/muted-by-teacher", test_muted_by_teacher);
  g_test_add_func ("/classroom/removed", test_removed);
  g_test_add_func ("/classroom/screen", test_screen);
  g_test_add_func ("/classroom/shutdown", test_shutdown);

  status = g_test_run ();

  g_clear_object (&w.teacher);
  g_clear_object (&w.student);
  g_clear_object (&w.teacher_session);
  g_clear_object (&w.student_session);
  g_clear_pointer (&seen_teacher.errors, g_ptr_array_unref);
  g_clear_pointer (&seen_teacher.notified, g_ptr_array_unref);
  g_clear_pointer (&seen_student.errors, g_ptr_array_unref);
  g_clear_pointer (&seen_student.notified, g_ptr_array_unref);
  cohort_media_rig_free (w.rig);

  return status;
}

/* cohort-classroom.c: the live part of one class, for every window that shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-classroom"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-classroom.h"
#include "cohort-media-protocol.h"

struct _CohortClassroom
{
  GObject        parent_instance;

  CohortSession *session;
  CohortCall    *call;
  GCancellable  *cancellable;

  gboolean       camera_wanted;
  gboolean       microphone_wanted;

  /* The class's sound: 1 as sent, lower during a breakout, 0 paused.
   * One volume element in front of each feed's audio sink (GWeakRef). */
  double         class_volume;
  GPtrArray     *volumes;
  gulong         audio_sink_handler;
};

G_DEFINE_FINAL_TYPE (CohortClassroom, cohort_classroom, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_CALL,
  PROP_FEEDS,
  PROP_IS_TEACHER,
  PROP_CAMERA_WANTED,
  PROP_MICROPHONE_WANTED,
  PROP_PUBLISHING,
  PROP_SCREEN_ON,
  PROP_ON_STAGE,
  PROP_INVITED,
  PROP_CAN_PUBLISH,
  PROP_CLASS_VOLUME,
  N_PROPS
};

enum {
  STAGE_CHANGED,
  FIRST_FRAME,
  MEDIA_ERROR,
  MUTED_BY_TEACHER,
  UNMUTE_ALLOWED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_wanted (CohortClassroom *self,
            gboolean         camera,
            gboolean         microphone)
{
  camera = !!camera;
  microphone = !!microphone;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->camera_wanted != camera)
    {
      self->camera_wanted = camera;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_WANTED]);
    }
  if (self->microphone_wanted != microphone)
    {
      self->microphone_wanted = microphone;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MICROPHONE_WANTED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
media_error (CohortClassroom *self,
             const char      *message)
{
  g_signal_emit (self, signals[MEDIA_ERROR], 0, message);
}

/* Publishes what is wished for, and learns from the publisher what the
 * devices allow. */
static void
apply_publishing (CohortClassroom *self)
{
  CohortPublisher *publisher;

  if (!self->camera_wanted && !self->microphone_wanted)
    {
      cohort_call_set_camera_on (self->call, FALSE);
      return;
    }

  /* A device that was not part of the running publisher needs a new one. */
  publisher = cohort_call_get_publisher (self->call, "camera");
  if (publisher != NULL &&
      ((self->camera_wanted && !cohort_publisher_get_has_video (publisher)) ||
       (self->microphone_wanted && !cohort_publisher_get_has_audio (publisher))))
    cohort_call_set_camera_on (self->call, FALSE);

  cohort_call_set_video_muted (self->call, !self->camera_wanted);
  cohort_call_set_audio_muted (self->call, !self->microphone_wanted);
  cohort_call_set_camera_on (self->call, TRUE);

  /* What the publisher got is the truth: no camera means the camera-off
   * state, never a test pattern. */
  publisher = cohort_call_get_publisher (self->call, "camera");
  if (publisher != NULL && self->camera_wanted && !cohort_publisher_get_has_video (publisher))
    {
      set_wanted (self, FALSE, self->microphone_wanted);
      cohort_call_set_video_muted (self->call, TRUE);
      media_error (self, _("No camera was found. Check the devices in Preferences."));
    }
  if (publisher != NULL && self->microphone_wanted && !cohort_publisher_get_has_audio (publisher))
    {
      set_wanted (self, self->camera_wanted, FALSE);
      cohort_call_set_audio_muted (self->call, TRUE);
      media_error (self, _("No microphone was found. Check the devices in Preferences."));
    }
}

/* The call's signals */

static void
on_stage_changed (CohortClassroom *self)
{
  /* Taken off the stage: the call stopped publishing. */
  if (!cohort_classroom_get_is_teacher (self) && !cohort_call_get_can_publish (self->call))
    set_wanted (self, FALSE, FALSE);

  g_signal_emit (self, signals[STAGE_CHANGED], 0);
}

static void
on_media_error (CohortCall      *call,
                const char      *message,
                CohortClassroom *self)
{
  /* Nothing could be published: the wishes go back to off. */
  if (!cohort_call_get_camera_on (call))
    set_wanted (self, FALSE, FALSE);
  media_error (self, message);
}

static void
on_first_frame (CohortCall      *call,
                CohortFeed      *feed,
                CohortClassroom *self)
{
  g_signal_emit (self, signals[FIRST_FRAME], 0, feed);
}

static void
on_call_notify (CohortCall      *call,
                GParamSpec      *pspec,
                CohortClassroom *self)
{
  static const struct { const char *call; guint prop; } forwarded[] = {
    { "camera-on", PROP_PUBLISHING },
    { "screen-on", PROP_SCREEN_ON },
    { "on-stage", PROP_ON_STAGE },
    { "invited", PROP_INVITED },
    { "can-publish", PROP_CAN_PUBLISH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (forwarded); i++)
    if (g_str_equal (pspec->name, forwarded[i].call))
      g_object_notify_by_pspec (G_OBJECT (self), properties[forwarded[i].prop]);
}

/* Stage requests */

static void
stage_request_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(CohortClassroom) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_call_stage_finish (COHORT_CALL (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    media_error (self, error->message);
}

static void
accepted_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(CohortClassroom) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_call_stage_finish (COHORT_CALL (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_wanted (self, FALSE, FALSE);
      media_error (self, error->message);
      return;
    }

  /* Only now, on stage, does anything get published. */
  apply_publishing (self);
}

static void
stage_request (CohortClassroom     *self,
               CohortStageAction    action,
               gint64               participant_id,
               GAsyncReadyCallback  callback)
{
  cohort_call_stage_async (self->call, action, participant_id, self->cancellable, callback,
                           g_object_ref (self));
}

/* media.muted_by_teacher: Janus already drops this student's sound; the
 * microphone goes off the way the user's own toggle turns it off, so the
 * controls show the truth, and the UI says why. */
static void
on_session_event (CohortSession   *session,
                  const char      *name,
                  JsonObject      *body,
                  gint64           seq,
                  CohortClassroom *self)
{
  CohortParticipant *me = cohort_session_get_self (session);

  if (me == NULL || !json_object_has_member (body, "participant_id") ||
      json_object_get_int_member (body, "participant_id") != cohort_participant_get_id (me))
    return;

  /* media.unmute_allowed: the microphone stays off; the student decides. */
  if (g_str_equal (name, COHORT_EV_MEDIA_UNMUTE_ALLOWED))
    {
      g_signal_emit (self, signals[UNMUTE_ALLOWED], 0);
      return;
    }
  if (!g_str_equal (name, COHORT_EV_MEDIA_MUTED_BY_TEACHER))
    return;

  if (self->microphone_wanted)
    cohort_classroom_set_publishing (self, self->camera_wanted, FALSE);
  g_signal_emit (self, signals[MUTED_BY_TEACHER], 0,
                 json_object_get_boolean_member (body, "keep_muted"));
}

/* GObject */

/* Class sound volume */

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
apply_class_volume (GstElement *volume,
                    double      level)
{
  g_object_set (volume, "volume", level, "mute", level <= 0.0, NULL);
}

/* Whoever answers the call's request (the stage's speaker, a test's
 * sink) gets a volume element in front: asks them again with this
 * handler blocked, then wraps their element. */
static GstElement *
on_create_audio_sink (CohortCall      *call,
                      CohortFeed      *feed,
                      CohortClassroom *self)
{
  g_autoptr(GstElement) inner = NULL;
  g_autoptr(GstPad) sink_pad = NULL;
  GstElement *bin;
  GstElement *volume;
  GWeakRef *ref;

  g_signal_handler_block (call, self->audio_sink_handler);
  g_signal_emit_by_name (call, "create-audio-sink", feed, &inner);
  g_signal_handler_unblock (call, self->audio_sink_handler);
  if (inner == NULL)
    return NULL;

  bin = gst_bin_new (NULL);
  volume = gst_element_factory_make ("volume", NULL);
  apply_class_volume (volume, self->class_volume);
  gst_bin_add_many (GST_BIN (bin), volume, g_object_ref_sink (inner), NULL);
  gst_element_link (volume, inner);
  sink_pad = gst_element_get_static_pad (volume, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", sink_pad));

  for (guint i = self->volumes->len; i > 0; i--)
    {
      g_autoptr(GstElement) old = g_weak_ref_get (g_ptr_array_index (self->volumes, i - 1));

      if (old == NULL)
        g_ptr_array_remove_index_fast (self->volumes, i - 1);
    }
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, volume);
  g_ptr_array_add (self->volumes, ref);
  return bin;
}

static void
cohort_classroom_constructed (GObject *object)
{
  CohortClassroom *self = COHORT_CLASSROOM (object);

  G_OBJECT_CLASS (cohort_classroom_parent_class)->constructed (object);

  g_return_if_fail (COHORT_IS_SESSION (self->session));

  self->call = cohort_call_new (self->session);
  g_signal_connect_object (self->call, "stage-changed", G_CALLBACK (on_stage_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->call, "media-error", G_CALLBACK (on_media_error), self, 0);
  g_signal_connect_object (self->call, "first-frame", G_CALLBACK (on_first_frame), self, 0);
  g_signal_connect_object (self->call, "notify", G_CALLBACK (on_call_notify), self, 0);
  g_signal_connect_object (self->session, "event-received", G_CALLBACK (on_session_event), self, 0);
  /* A plain handler runs before the devices' (connected after). */
  self->audio_sink_handler = g_signal_connect (self->call, "create-audio-sink",
                                               G_CALLBACK (on_create_audio_sink), self);
}

static void
cohort_classroom_dispose (GObject *object)
{
  CohortClassroom *self = COHORT_CLASSROOM (object);

  if (self->call != NULL)
    cohort_classroom_shutdown (self);
  g_clear_object (&self->call);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cohort_classroom_parent_class)->dispose (object);
}

static void
cohort_classroom_finalize (GObject *object)
{
  CohortClassroom *self = COHORT_CLASSROOM (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->volumes, g_ptr_array_unref);

  G_OBJECT_CLASS (cohort_classroom_parent_class)->finalize (object);
}

static void
cohort_classroom_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CohortClassroom *self = COHORT_CLASSROOM (object);

  switch (prop_id)
    {
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_CALL: g_value_set_object (value, self->call); break;
    case PROP_FEEDS: g_value_set_object (value, cohort_classroom_get_feeds (self)); break;
    case PROP_IS_TEACHER: g_value_set_boolean (value, cohort_classroom_get_is_teacher (self)); break;
    case PROP_CAMERA_WANTED: g_value_set_boolean (value, self->camera_wanted); break;
    case PROP_MICROPHONE_WANTED: g_value_set_boolean (value, self->microphone_wanted); break;
    case PROP_PUBLISHING: g_value_set_boolean (value, cohort_classroom_get_publishing (self)); break;
    case PROP_SCREEN_ON: g_value_set_boolean (value, cohort_classroom_get_screen_on (self)); break;
    case PROP_ON_STAGE: g_value_set_boolean (value, cohort_classroom_get_on_stage (self)); break;
    case PROP_INVITED: g_value_set_boolean (value, cohort_classroom_get_invited (self)); break;
    case PROP_CAN_PUBLISH: g_value_set_boolean (value, cohort_classroom_get_can_publish (self)); break;
    case PROP_CLASS_VOLUME: g_value_set_double (value, self->class_volume); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_classroom_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CohortClassroom *self = COHORT_CLASSROOM (object);

  switch (prop_id)
    {
    case PROP_SESSION: self->session = g_value_dup_object (value); break;
    case PROP_SCREEN_ON: cohort_classroom_set_screen_on (self, g_value_get_boolean (value)); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_classroom_class_init (CohortClassroomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = cohort_classroom_constructed;
  object_class->dispose = cohort_classroom_dispose;
  object_class->finalize = cohort_classroom_finalize;
  object_class->get_property = cohort_classroom_get_property;
  object_class->set_property = cohort_classroom_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, COHORT_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CALL] = g_param_spec_object ("call", NULL, NULL, COHORT_TYPE_CALL, ro);
  properties[PROP_FEEDS] = g_param_spec_object ("feeds", NULL, NULL, G_TYPE_LIST_MODEL, ro);
  properties[PROP_IS_TEACHER] = g_param_spec_boolean ("is-teacher", NULL, NULL, FALSE, ro);
  properties[PROP_CAMERA_WANTED] = g_param_spec_boolean ("camera-wanted", NULL, NULL, FALSE, ro);
  properties[PROP_MICROPHONE_WANTED] = g_param_spec_boolean ("microphone-wanted", NULL, NULL, FALSE, ro);
  properties[PROP_PUBLISHING] = g_param_spec_boolean ("publishing", NULL, NULL, FALSE, ro);
  properties[PROP_SCREEN_ON] =
    g_param_spec_boolean ("screen-on", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ON_STAGE] = g_param_spec_boolean ("on-stage", NULL, NULL, FALSE, ro);
  properties[PROP_INVITED] = g_param_spec_boolean ("invited", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_PUBLISH] = g_param_spec_boolean ("can-publish", NULL, NULL, FALSE, ro);
  properties[PROP_CLASS_VOLUME] = g_param_spec_double ("class-volume", NULL, NULL, 0.0, 1.0, 1.0,
                                                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY |
                                                       G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[STAGE_CHANGED] =
    g_signal_new ("stage-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FIRST_FRAME] =
    g_signal_new ("first-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, COHORT_TYPE_FEED);
  signals[MEDIA_ERROR] =
    g_signal_new ("media-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[MUTED_BY_TEACHER] =
    g_signal_new ("muted-by-teacher", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[UNMUTE_ALLOWED] =
    g_signal_new ("unmute-allowed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cohort_classroom_init (CohortClassroom *self)
{
  self->cancellable = g_cancellable_new ();
  self->class_volume = 1.0;
  self->volumes = g_ptr_array_new_with_free_func (weak_ref_free);
}

/* Public */

CohortClassroom *
cohort_classroom_new (CohortSession *session)
{
  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  return g_object_new (COHORT_TYPE_CLASSROOM, "session", session, NULL);
}

CohortSession *
cohort_classroom_get_session (CohortClassroom *self)
{
  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), NULL);

  return self->session;
}

CohortCall *
cohort_classroom_get_call (CohortClassroom *self)
{
  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), NULL);

  return self->call;
}

GListModel *
cohort_classroom_get_feeds (CohortClassroom *self)
{
  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), NULL);

  return self->call != NULL ? cohort_call_get_feeds (self->call) : NULL;
}

gboolean
cohort_classroom_get_is_teacher (CohortClassroom *self)
{
  CohortParticipant *me;

  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), FALSE);

  me = cohort_session_get_self (self->session);
  return me != NULL && cohort_participant_get_role (me) == COHORT_ROLE_TEACHER;
}

gint64
cohort_classroom_get_teacher_id (CohortClassroom *self)
{
  GListModel *roster;

  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), 0);

  roster = G_LIST_MODEL (cohort_session_get_roster (self->session));
  for (guint i = 0; i < g_list_model_get_n_items (roster); i++)
    {
      g_autoptr(CohortParticipant) p = g_list_model_get_item (roster, i);

      if (cohort_participant_get_role (p) == COHORT_ROLE_TEACHER)
        return cohort_participant_get_id (p);
    }
  return 0;
}

gboolean
cohort_classroom_get_camera_wanted (CohortClassroom *self)
{
  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), FALSE);

  return self->camera_wanted;
}

gboolean
cohort_classroom_get_microphone_wanted (CohortClassroom *self)
{
  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), FALSE);

  return self->microphone_wanted;
}

gboolean
cohort_classroom_get_publishing (CohortClassroom *self)
{
  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), FALSE);

  return self->call != NULL && cohort_call_get_camera_on (self->call);
}

gboolean
cohort_classroom_get_screen_on (CohortClassroom *self)
{
  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), FALSE);

  return self->call != NULL && cohort_call_get_screen_on (self->call);
}

gboolean
cohort_classroom_get_on_stage (CohortClassroom *self)
{
  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), FALSE);

  return self->call != NULL && cohort_call_get_on_stage (self->call);
}

gboolean
cohort_classroom_get_invited (CohortClassroom *self)
{
  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), FALSE);

  return self->call != NULL && cohort_call_get_invited (self->call);
}

gboolean
cohort_classroom_get_can_publish (CohortClassroom *self)
{
  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), FALSE);

  return self->call != NULL &&
         (cohort_classroom_get_is_teacher (self) || cohort_call_get_can_publish (self->call));
}

void
cohort_classroom_set_publishing (CohortClassroom *self,
                                 gboolean         camera,
                                 gboolean         microphone)
{
  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  if (self->call == NULL)
    return;

  set_wanted (self, camera, microphone);
  apply_publishing (self);
}

/* The teacher's moderation requests answer with a count ("muted",
 * "released"): the task returns it. */
static void
counted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonObject) reply = NULL;
  GError *error = NULL;

  reply = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, json_object_get_int_member_with_default (reply,
                                                                      g_task_get_task_data (task),
                                                                      0));
}

static void
counted_request (CohortClassroom     *self,
                 const char          *type,
                 JsonObject          *body,
                 const char          *count_member,
                 gpointer             source_tag,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, (gpointer) count_member, NULL);
  cohort_session_request_async (self->session, type, body, cancellable, counted_cb,
                                g_steal_pointer (&task));
}

static gint64
counted_finish (CohortClassroom  *self,
                GAsyncResult     *result,
                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* media.mute_all: the teacher silences every student's microphone at the
 * media server; @keep_muted stops them unmuting themselves. */
void
cohort_classroom_mute_all_async (CohortClassroom     *self,
                                 gboolean             keep_muted,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  if (keep_muted)
    json_object_set_boolean_member (body, "keep_muted", TRUE);
  counted_request (self, COHORT_REQ_MEDIA_MUTE_ALL, body, "muted", cohort_classroom_mute_all_async,
                   cancellable, callback, user_data);
}

/* Returns how many students were muted, or -1 and @error. */
gint64
cohort_classroom_mute_all_finish (CohortClassroom  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  return counted_finish (self, result, error);
}

/* media.mute_student: the same for one student; with @keep_muted they
 * stay muted, even through a new publication, until
 * cohort_classroom_allow_unmute_async. */
void
cohort_classroom_mute_student_async (CohortClassroom     *self,
                                     gint64               participant_id,
                                     gboolean             keep_muted,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (COHORT_IS_CLASSROOM (self));
  g_return_if_fail (participant_id > 0);

  json_object_set_int_member (body, "participant_id", participant_id);
  if (keep_muted)
    json_object_set_boolean_member (body, "keep_muted", TRUE);
  counted_request (self, COHORT_REQ_MEDIA_MUTE_STUDENT, body, "muted",
                   cohort_classroom_mute_student_async, cancellable, callback, user_data);
}

/* Returns how many of the student's publications were muted, or -1. */
gint64
cohort_classroom_mute_student_finish (CohortClassroom  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  return counted_finish (self, result, error);
}

/* media.allow_unmute: lifts keep_muted for @participant_id, or for every
 * student when it is 0. Nobody's microphone turns on: they may now. */
void
cohort_classroom_allow_unmute_async (CohortClassroom     *self,
                                     gint64               participant_id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();

  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  if (participant_id > 0)
    json_object_set_int_member (body, "participant_id", participant_id);
  counted_request (self, COHORT_REQ_MEDIA_ALLOW_UNMUTE, body, "released",
                   cohort_classroom_allow_unmute_async, cancellable, callback, user_data);
}

/* Returns how many students may unmute again, or -1 and @error. */
gint64
cohort_classroom_allow_unmute_finish (CohortClassroom  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  return counted_finish (self, result, error);
}

void
cohort_classroom_set_screen_on (CohortClassroom *self,
                                gboolean         on)
{
  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  if (self->call != NULL)
    cohort_call_set_screen_on (self->call, on);
}

void
cohort_classroom_set_preset (CohortClassroom   *self,
                             CohortVideoPreset  preset)
{
  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  if (self->call != NULL)
    cohort_call_set_preset (self->call, preset);
}

void
cohort_classroom_invite (CohortClassroom *self,
                         gint64           participant_id)
{
  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  if (self->call != NULL)
    stage_request (self, COHORT_STAGE_INVITE, participant_id, stage_request_cb);
}

void
cohort_classroom_remove (CohortClassroom *self,
                         gint64           participant_id)
{
  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  if (self->call != NULL)
    stage_request (self, COHORT_STAGE_REMOVE, participant_id, stage_request_cb);
}

void
cohort_classroom_leave_stage (CohortClassroom *self)
{
  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  if (self->call != NULL)
    stage_request (self, COHORT_STAGE_REMOVE, 0, stage_request_cb);
}

void
cohort_classroom_accept_invitation (CohortClassroom *self,
                                    gboolean         camera,
                                    gboolean         microphone)
{
  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  if (self->call == NULL)
    return;

  set_wanted (self, camera, microphone);
  stage_request (self, COHORT_STAGE_ACCEPT, 0, accepted_cb);
}

void
cohort_classroom_decline_invitation (CohortClassroom *self)
{
  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  if (self->call != NULL && cohort_call_get_invited (self->call))
    stage_request (self, COHORT_STAGE_DECLINE, 0, stage_request_cb);
}

void
cohort_classroom_shutdown (CohortClassroom *self)
{
  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  g_cancellable_cancel (self->cancellable);
  if (self->call == NULL)
    return;

  cohort_call_set_camera_on (self->call, FALSE);
  cohort_call_set_screen_on (self->call, FALSE);
}

void
cohort_classroom_set_class_volume (CohortClassroom *self,
                                   double           volume)
{
  g_return_if_fail (COHORT_IS_CLASSROOM (self));

  volume = CLAMP (volume, 0.0, 1.0);
  if (self->class_volume == volume)
    return;
  self->class_volume = volume;
  for (guint i = 0; i < self->volumes->len; i++)
    {
      g_autoptr(GstElement) element = g_weak_ref_get (g_ptr_array_index (self->volumes, i));

      if (element != NULL)
        apply_class_volume (element, volume);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLASS_VOLUME]);
}

double
cohort_classroom_get_class_volume (CohortClassroom *self)
{
  g_return_val_if_fail (COHORT_IS_CLASSROOM (self), 1.0);
  return self->class_volume;
}

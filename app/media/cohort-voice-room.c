/* cohort-voice-room.c: this client in a study group's voice room
 *
 * Janus's AudioBridge mixes on the server, so a member needs one
 * PeerConnection: the microphone goes up, the room's mix (everyone but
 * us) comes down. The server asks Janus on our behalf (voice.join with
 * our offer), checks we may, and tells us who talks (AudioBridge's
 * talking events, from the RFC 6464 levels our payloader writes).
 *
 * A generation number guards every asynchronous reply: a reply for an
 * older attempt (before a drop, a restart or a leave) is ignored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-voice"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/rtp/rtp.h>

#include "cohort-classroom.h"
#include "cohort-media-webrtc.h"
#include "cohort-protocol.h"
#include "cohort-voice-protocol.h"
#include "cohort-voice-room.h"

#define RETRY_MIN_MS 300
#define RETRY_MAX_MS 4000
/* How loud the class's sound stays during a breakout set to "low". */
#define CLASS_AUDIO_LOW_VOLUME 0.2

struct _CohortVoiceRoom
{
  GObject           parent_instance;

  CohortSession    *session;
  GMainContext     *context;
  char            **ice_addresses;

  gint64            group_id;       /* wanted */
  CohortVoiceState  state;
  gboolean          muted;
  gboolean          push_to_talk;
  gboolean          talk_pressed;
  gboolean          receiving;
  /* A breakout the teacher started: this room joined for it, and ends
   * then (ms since the epoch, 0: none) with the class's sound paused or
   * low (COHORT_VOICE_CLASS_AUDIO_*). */
  gboolean          breakout_joined;
  gint64            breakout_ends_at;
  char             *class_audio;

  guint             generation;
  gint64            pc_id;
  char             *join_id;        /* the voice.join's request id */
  char             *watch_id;       /* the teacher's voice.watch's request id */
  GPtrArray        *candidates;     /* JsonObject, until pc_id is known */
  gboolean          gathering_done;
  guint             retry_source;
  guint             retry_ms;

  GstElement       *pipeline;
  GstElement       *webrtc;
  GstElement       *volume;
  guint             bus_watch;

  /* group_id → (participant_id → muted), from voice.state and events */
  GHashTable       *rooms;
  GHashTable       *talking;        /* participant ids */

  /* The class's sound this room lowers or pauses during a breakout
   * (a student's; weak: the class window owns it). */
  GWeakRef          classroom;
};

G_DEFINE_FINAL_TYPE (CohortVoiceRoom, cohort_voice_room, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_SESSION,
  PROP_GROUP_ID,
  PROP_STATE,
  PROP_MUTED,
  PROP_PUSH_TO_TALK,
  PROP_TALK_PRESSED,
  PROP_RECEIVING,
  PROP_BREAKOUT_ENDS_AT,
  PROP_CLASS_AUDIO,
  N_PROPS
};

enum
{
  SIGNAL_CREATE_SOURCE,
  SIGNAL_CREATE_SINK,
  SIGNAL_MEMBERS_CHANGED,
  SIGNAL_TALKING_CHANGED,
  SIGNAL_VOICE_ERROR,
  SIGNAL_ICE_CANDIDATE,
  SIGNAL_ICE_GATHERING_DONE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_attempt (CohortVoiceRoom *self);
static void set_breakout  (CohortVoiceRoom *self, gint64 ends_at, const char *class_audio);

static void
set_state (CohortVoiceRoom  *self,
           CohortVoiceState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_receiving (CohortVoiceRoom *self,
               gboolean         receiving)
{
  if (self->receiving == receiving)
    return;
  self->receiving = receiving;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVING]);
}

/* Whether the microphone is open now: the user's mute, and push-to-talk. */
static gboolean
effective_muted (CohortVoiceRoom *self)
{
  return self->muted || (self->push_to_talk && !self->talk_pressed);
}

static gboolean
is_teacher (CohortVoiceRoom *self)
{
  CohortParticipant *me = cohort_session_get_self (self->session);

  return me != NULL && cohort_participant_get_role (me) == COHORT_ROLE_TEACHER;
}

/* During a breakout a student hears their group, not the class: its
 * sound pauses or stays low (the teacher's choice), and comes back at
 * the end. The teacher's own class sound is never touched. */
static void
apply_class_audio (CohortVoiceRoom *self)
{
  g_autoptr(CohortClassroom) classroom = g_weak_ref_get (&self->classroom);
  double volume = 1.0;

  if (classroom == NULL || is_teacher (self))
    return;
  if (self->breakout_ends_at != 0)
    volume = g_strcmp0 (self->class_audio, COHORT_VOICE_CLASS_AUDIO_LOW) == 0 ? CLASS_AUDIO_LOW_VOLUME : 0.0;
  cohort_classroom_set_class_volume (classroom, volume);
}

/* Members */

static GHashTable *
room_members (CohortVoiceRoom *self,
              gint64           group_id,
              gboolean         create)
{
  GHashTable *members = g_hash_table_lookup (self->rooms, &group_id);

  if (members == NULL && create)
    {
      members = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      g_hash_table_insert (self->rooms, g_memdup2 (&group_id, sizeof group_id), members);
    }
  return members;
}

static void
set_talking (CohortVoiceRoom *self,
             gint64           participant_id,
             gboolean         talking)
{
  gboolean was = g_hash_table_contains (self->talking, &participant_id);

  if (was == talking)
    return;
  if (talking)
    g_hash_table_add (self->talking, g_memdup2 (&participant_id, sizeof participant_id));
  else
    g_hash_table_remove (self->talking, &participant_id);
  g_signal_emit (self, signals[SIGNAL_TALKING_CHANGED], 0, participant_id, talking);
}

static void
apply_state (CohortVoiceRoom *self,
             JsonObject      *voice)
{
  JsonArray *rooms;
  g_autoptr(GList) groups = g_hash_table_get_keys (self->rooms);
  g_autoptr(GArray) changed = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (GList *l = groups; l != NULL; l = l->next)
    g_array_append_val (changed, *(gint64 *) l->data);
  g_hash_table_remove_all (self->rooms);

  rooms = json_object_get_array_member (voice, "rooms");
  for (guint i = 0; rooms != NULL && i < json_array_get_length (rooms); i++)
    {
      JsonObject *room = json_array_get_object_element (rooms, i);
      gint64 group_id = json_object_get_int_member_with_default (room, "group_id", 0);
      JsonArray *members = json_object_get_array_member (room, "members");
      GHashTable *table = room_members (self, group_id, TRUE);

      g_array_append_val (changed, group_id);
      for (guint j = 0; members != NULL && j < json_array_get_length (members); j++)
        {
          JsonObject *member = json_array_get_object_element (members, j);
          gint64 pid = json_object_get_int_member_with_default (member, "participant_id", 0);

          g_hash_table_insert (table, g_memdup2 (&pid, sizeof pid),
                               GINT_TO_POINTER (json_object_get_boolean_member_with_default (member, "muted", FALSE)));
          set_talking (self, pid, json_object_get_boolean_member_with_default (member, "talking", FALSE));
        }
    }

  if (json_object_has_member (voice, "breakout"))
    {
      JsonObject *breakout = json_object_get_object_member (voice, "breakout");

      set_breakout (self, json_object_get_int_member_with_default (breakout, "ends_at", 0),
                    json_object_get_string_member_with_default (breakout, "class_audio", NULL));
    }
  else
    set_breakout (self, 0, NULL);

  for (guint i = 0; i < changed->len; i++)
    g_signal_emit (self, signals[SIGNAL_MEMBERS_CHANGED], 0, g_array_index (changed, gint64, i));
}

static void
state_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CohortVoiceRoom) self = user_data;
  g_autoptr(JsonObject) body = NULL;

  body = cohort_session_request_finish (COHORT_SESSION (source), result, NULL);
  if (body != NULL && json_object_has_member (body, "voice"))
    apply_state (self, json_object_get_object_member (body, "voice"));
}

/* Who is in the rooms: voice.state, or for the teacher voice.watch,
 * which answers the same and then tells who talks in every room. */
static void
request_state (CohortVoiceRoom *self)
{
  if (is_teacher (self))
    {
      g_free (self->watch_id);
      self->watch_id = cohort_session_request_with_id_async (self->session, COHORT_REQ_VOICE_WATCH, NULL,
                                                             NULL, state_cb, g_object_ref (self));
      return;
    }
  cohort_session_request_async (self->session, COHORT_REQ_VOICE_STATE, NULL, NULL, state_cb,
                                g_object_ref (self));
}

static void
set_breakout (CohortVoiceRoom *self,
              gint64           ends_at,
              const char      *class_audio)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->breakout_ends_at != ends_at)
    {
      self->breakout_ends_at = ends_at;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BREAKOUT_ENDS_AT]);
    }
  if (g_strcmp0 (self->class_audio, class_audio) != 0)
    {
      g_free (self->class_audio);
      self->class_audio = g_strdup (class_audio);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLASS_AUDIO]);
    }
  apply_class_audio (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/* The teacher sends every group to its room (a student joins their
 * group's at once), and calls them back. */
static void
on_breakout_event (CohortVoiceRoom *self,
                   const char      *event,
                   JsonObject      *body)
{
  if (g_str_equal (event, COHORT_EV_VOICE_BREAKOUT_STARTED))
    {
      gint64 group_id = json_object_get_int_member_with_default (body, "group_id", 0);

      set_breakout (self, json_object_get_int_member_with_default (body, "ends_at", 0),
                    json_object_get_string_member_with_default (body, "class_audio",
                                                                COHORT_VOICE_CLASS_AUDIO_PAUSE));
      if (group_id > 0 && self->group_id != group_id)
        {
          self->breakout_joined = TRUE;
          cohort_voice_room_join (self, group_id);
        }
      return;
    }

  set_breakout (self, 0, NULL);
  if (self->breakout_joined)
    {
      self->breakout_joined = FALSE;
      cohort_voice_room_leave (self);
    }
}

static void
on_event (CohortSession   *session,
          const char      *event,
          JsonObject      *body,
          gint64           seq,
          CohortVoiceRoom *self)
{
  gint64 group_id, pid;
  GHashTable *members;

  if (!g_str_has_prefix (event, "voice."))
    return;
  if (g_str_has_prefix (event, "voice.breakout_"))
    {
      on_breakout_event (self, event, body);
      return;
    }

  group_id = json_object_get_int_member_with_default (body, "group_id", 0);
  pid = json_object_get_int_member_with_default (body, "participant_id", 0);
  members = room_members (self, group_id, TRUE);

  if (g_str_equal (event, COHORT_EV_VOICE_LEFT))
    {
      g_hash_table_remove (members, &pid);
      set_talking (self, pid, FALSE);
    }
  else
    g_hash_table_insert (members, g_memdup2 (&pid, sizeof pid),
                         GINT_TO_POINTER (json_object_get_boolean_member_with_default (body, "muted", FALSE)));

  g_signal_emit (self, signals[SIGNAL_MEMBERS_CHANGED], 0, group_id);
}

/* The PeerConnection */

static void
teardown (CohortVoiceRoom *self)
{
  self->generation++;
  self->pc_id = 0;
  g_clear_pointer (&self->join_id, g_free);
  g_ptr_array_set_size (self->candidates, 0);
  self->gathering_done = FALSE;
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_clear_object (&self->webrtc);
      g_clear_object (&self->volume);
      g_clear_object (&self->pipeline);
    }
  set_receiving (self, FALSE);
  /* A watching teacher keeps hearing every room's talking. */
  if (self->watch_id == NULL)
    g_hash_table_remove_all (self->talking);
}

static void
retry_later (CohortVoiceRoom *self)
{
  teardown (self);
  if (self->group_id == 0)
    return;
  set_state (self, COHORT_VOICE_STATE_JOINING);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_ms = CLAMP (self->retry_ms * 2, RETRY_MIN_MS, RETRY_MAX_MS);
  self->retry_source = g_timeout_add_once (self->retry_ms, (GSourceOnceFunc) start_attempt, self);
}

static void
fail (CohortVoiceRoom *self,
      const char      *message)
{
  g_message ("Voice room: %s", message);
  g_signal_emit (self, signals[SIGNAL_VOICE_ERROR], 0, message);
  retry_later (self);
}

typedef struct
{
  guint            generation;
  char            *text;
  CohortVoiceRoom *room;   /* for a session request's callback */
} Hop;

static void
hop_free (gpointer data)
{
  Hop *hop = data;

  g_free (hop->text);
  g_clear_object (&hop->room);
  g_free (hop);
}

static Hop *
hop_new (CohortVoiceRoom *self,
         char            *text)
{
  Hop *hop = g_new0 (Hop, 1);

  hop->generation = self->generation;
  hop->text = text;
  return hop;
}

static void
send_candidates (CohortVoiceRoom *self)
{
  g_autoptr(JsonObject) body = NULL;
  JsonArray *array;

  if (self->pc_id == 0 || (self->candidates->len == 0 && !self->gathering_done))
    return;

  body = json_object_new ();
  array = json_array_new ();
  json_object_set_int_member (body, "pc_id", self->pc_id);
  /* At most 16 candidates a message (docs/protocol-media.md). */
  while (self->candidates->len > 0 && json_array_get_length (array) < 16)
    {
      JsonObject *candidate = g_ptr_array_steal_index (self->candidates, 0);

      json_array_add_object_element (array, candidate);
    }
  json_object_set_array_member (body, "candidates", array);
  if (self->candidates->len == 0 && self->gathering_done)
    json_object_set_boolean_member (body, "completed", TRUE);
  cohort_session_request_async (self->session, COHORT_REQ_VOICE_TRICKLE, body, NULL, NULL, NULL);
  if (self->candidates->len > 0)
    send_candidates (self);
}

static void
on_ice_candidate (CohortVoiceRoom *self,
                  guint            mline,
                  const char      *candidate)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "candidate", candidate);
  json_object_set_int_member (object, "sdpMLineIndex", mline);
  g_ptr_array_add (self->candidates, object);
  send_candidates (self);
}

static void
on_ice_gathering_done (CohortVoiceRoom *self)
{
  self->gathering_done = TRUE;
  send_candidates (self);
}

static void
failed_cb (gpointer object,
           gpointer data)
{
  CohortVoiceRoom *self = object;
  Hop *hop = data;

  if (hop->generation == self->generation)
    fail (self, hop->text);
}

static void
failed_from_thread (gpointer    owner,
                    const char *message)
{
  CohortVoiceRoom *self = owner;

  cohort_webrtc_invoke (self->context, self, failed_cb, hop_new (self, g_strdup (message)), hop_free);
}

static void
joined_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Hop *hop = user_data;
  g_autoptr(CohortVoiceRoom) self = g_steal_pointer (&hop->room);
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  GstSDPMessage *msg = NULL;
  GstWebRTCSessionDescription *answer;
  guint generation = hop->generation;

  hop_free (hop);
  body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  if (generation != self->generation || self->session == NULL)
    return;

  if (body == NULL)
    {
      /* Not allowed (not a member, no such group): do not knock again. */
      if (g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_FORBIDDEN) ||
          g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_NOT_FOUND))
        {
          g_signal_emit (self, signals[SIGNAL_VOICE_ERROR], 0, error->message);
          cohort_voice_room_leave (self);
          return;
        }
      fail (self, error->message);
      return;
    }

  if (gst_sdp_message_new_from_text (json_object_get_string_member_with_default (body, "sdp", ""),
                                     &msg) != GST_SDP_OK)
    {
      gst_sdp_message_free (msg);
      fail (self, _("The media server sent an unreadable answer."));
      return;
    }
  answer = gst_webrtc_session_description_new (GST_WEBRTC_SDP_TYPE_ANSWER, msg);
  g_signal_emit_by_name (self->webrtc, "set-remote-description", answer, NULL);
  gst_webrtc_session_description_free (answer);

  self->pc_id = json_object_get_int_member_with_default (body, "pc_id", 0);
  self->retry_ms = 0;
  set_state (self, COHORT_VOICE_STATE_JOINED);
  send_candidates (self);
}

static void
offer_cb (gpointer object,
          gpointer data)
{
  CohortVoiceRoom *self = object;
  Hop *hop = data;
  g_autoptr(JsonObject) body = NULL;
  Hop *pending;

  if (hop->generation != self->generation)
    return;

  body = json_object_new ();
  json_object_set_int_member (body, "group_id", self->group_id);
  json_object_set_string_member (body, "sdp", hop->text);
  json_object_set_boolean_member (body, "muted", effective_muted (self));
  pending = hop_new (self, NULL);
  pending->room = g_object_ref (self);
  g_free (self->join_id);
  self->join_id = cohort_session_request_with_id_async (self->session, COHORT_REQ_VOICE_JOIN, body,
                                                        NULL, joined_cb, pending);
}

static void
offer_created (GstPromise *promise,
               gpointer   user_data)
{
  CohortVoiceRoom *self = user_data;
  const GstStructure *reply;
  GstWebRTCSessionDescription *offer = NULL;
  char *text;

  if (gst_promise_wait (promise) != GST_PROMISE_RESULT_REPLIED ||
      (reply = gst_promise_get_reply (promise)) == NULL ||
      !gst_structure_get (reply, "offer", GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &offer, NULL))
    {
      gst_promise_unref (promise);
      failed_from_thread (self, "Could not create a voice offer");
      return;
    }
  gst_promise_unref (promise);

  g_signal_emit_by_name (self->webrtc, "set-local-description", offer, NULL);
  text = gst_sdp_message_as_text (offer->sdp);
  gst_webrtc_session_description_free (offer);
  cohort_webrtc_invoke (self->context, self, offer_cb, hop_new (self, text), hop_free);
}

static void
on_negotiation_needed (GstElement      *webrtc,
                       CohortVoiceRoom *self)
{
  g_signal_emit_by_name (webrtc, "create-offer", NULL,
                         gst_promise_new_with_change_func (offer_created, self, NULL));
}

static void
receiving_cb (gpointer object,
              gpointer data)
{
  CohortVoiceRoom *self = object;
  Hop *hop = data;

  if (hop->generation == self->generation)
    set_receiving (self, TRUE);
}

static GstPadProbeReturn
first_audio_probe (GstPad          *pad,
                   GstPadProbeInfo *info,
                   gpointer         user_data)
{
  CohortVoiceRoom *self = user_data;

  cohort_webrtc_invoke (self->context, self, receiving_cb, hop_new (self, NULL), hop_free);
  return GST_PAD_PROBE_REMOVE;
}

static GstElement *
make_sink (CohortVoiceRoom *self)
{
  GstElement *sink = NULL;

  g_signal_emit (self, signals[SIGNAL_CREATE_SINK], 0, "voice", &sink);
  if (sink == NULL)
    sink = gst_element_factory_make ("fakesink", NULL);
  return sink;
}

/* The mix arrives (webrtcbin's thread): depayload, decode with FEC and
 * concealment, play. */
static void
on_pad_added (GstElement      *webrtc,
              GstPad          *pad,
              CohortVoiceRoom *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstPad) sink_pad = NULL;
  g_autoptr(GstPad) dec_src = NULL;
  g_autoptr(GstElement) dec = NULL;
  GstElement *bin;
  GstElement *sink;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;

  bin = gst_parse_bin_from_description ("rtpopusdepay ! opusdec name=dec plc=true use-inband-fec=true "
                                        "! audioconvert ! audioresample name=out",
                                        TRUE, &error);
  if (bin == NULL)
    {
      failed_from_thread (self, error->message);
      return;
    }
  sink = make_sink (self);
  /* Beside webrtcbin (the parsed bin): pads link within one bin. */
  gst_bin_add_many (GST_BIN (GST_ELEMENT_PARENT (webrtc)), bin, sink, NULL);
  if (!gst_element_link (bin, sink))
    {
      failed_from_thread (self, "Could not link the voice output");
      return;
    }
  dec = gst_bin_get_by_name (GST_BIN (bin), "dec");
  dec_src = gst_element_get_static_pad (dec, "src");
  gst_pad_add_probe (dec_src, GST_PAD_PROBE_TYPE_BUFFER, first_audio_probe, self, NULL);
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (bin);
  sink_pad = gst_element_get_static_pad (bin, "sink");
  if (GST_PAD_LINK_FAILED (gst_pad_link (pad, sink_pad)))
    failed_from_thread (self, "Could not link the room's sound");
}

static GstElement *
make_source (CohortVoiceRoom *self)
{
  GstElement *source = NULL;

  g_signal_emit (self, signals[SIGNAL_CREATE_SOURCE], 0, "microphone", &source);
  if (source == NULL)
    source = gst_element_factory_make ("autoaudiosrc", NULL);
  return source;
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  CohortVoiceRoom *self = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *debug = NULL;

      gst_message_parse_error (message, &error, &debug);
      g_debug ("Voice pipeline error: %s (%s)", error->message, debug);
      self->bus_watch = 0;
      fail (self, error->message);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
start_attempt (CohortVoiceRoom *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) pay = NULL;
  g_autoptr(GstElement) ain = NULL;
  GstRTPHeaderExtension *level_ext;
  g_autoptr(GArray) transceivers = NULL;
  GstElement *bin;
  GstElement *source;

  self->retry_source = 0;
  teardown (self);
  if (self->group_id == 0)
    return;
  set_state (self, COHORT_VOICE_STATE_JOINING);
  if (cohort_session_get_state (self->session) != COHORT_SESSION_STATE_JOINED)
    return;   /* notify::state starts it again */

  /* Opus as the stage's microphone (in-band FEC, DTX, 20 ms frames). The
   * level element puts each buffer's level in a GstAudioLevelMeta, which
   * the payloader's RFC 6464 extension writes for AudioBridge's talking
   * events. The volume mutes by sending silence, so Janus hears it stop. */
  bin = gst_parse_bin_from_description (
    "audioconvert name=ain ! audioresample ! audio/x-raw,rate=48000,channels=1 "
    "! volume name=vol ! level audio-level-meta=true post-messages=false "
    "! queue max-size-time=100000000 leaky=downstream "
    "! opusenc inband-fec=true dtx=true bitrate=32000 packet-loss-percentage=10 "
    "frame-size=20 audio-type=voice "
    "! rtpopuspay name=pay pt=111 mtu=1200 "
    "! capsfilter caps=application/x-rtp,media=audio,encoding-name=OPUS,clock-rate=48000,"
    "payload=111,useinbandfec=(string)1 "
    "! webrtcbin name=webrtc bundle-policy=max-bundle latency=" G_STRINGIFY (COHORT_VOICE_LATENCY_MS),
    FALSE, &error);
  if (bin == NULL)
    {
      fail (self, error->message);
      return;
    }

  self->pipeline = gst_pipeline_new ("cohort-voice");
  gst_bin_add (GST_BIN (self->pipeline), bin);
  self->webrtc = gst_bin_get_by_name (GST_BIN (bin), "webrtc");
  self->volume = gst_bin_get_by_name (GST_BIN (bin), "vol");
  g_object_set (self->volume, "mute", effective_muted (self), NULL);

  pay = gst_bin_get_by_name (GST_BIN (bin), "pay");
  level_ext = gst_rtp_header_extension_create_from_uri ("urn:ietf:params:rtp-hdrext:ssrc-audio-level");
  if (level_ext != NULL)
    {
      gst_rtp_header_extension_set_id (level_ext, 1);
      g_signal_emit_by_name (pay, "add-extension", level_ext);
      gst_object_unref (level_ext);
    }

  source = make_source (self);
  ain = gst_bin_get_by_name (GST_BIN (bin), "ain");
  gst_bin_add (GST_BIN (self->pipeline), source);
  if (!gst_element_link (source, ain) ||
      !cohort_webrtc_configure_ice (self->webrtc, (const char * const *) self->ice_addresses, &error))
    {
      fail (self, error != NULL ? error->message : _("The microphone cannot be used."));
      return;
    }

  /* One audio m-line, sending and receiving. */
  g_signal_emit_by_name (self->webrtc, "get-transceivers", &transceivers);
  for (guint i = 0; transceivers != NULL && i < transceivers->len; i++)
    cohort_webrtc_on_new_transceiver (self->webrtc,
                                      g_array_index (transceivers, GstWebRTCRTPTransceiver *, i),
                                      GINT_TO_POINTER (GST_WEBRTC_RTP_TRANSCEIVER_DIRECTION_SENDRECV));
  g_signal_connect (self->webrtc, "on-negotiation-needed", G_CALLBACK (on_negotiation_needed), self);
  g_signal_connect (self->webrtc, "pad-added", G_CALLBACK (on_pad_added), self);
  cohort_webrtc_forward_ice (self->webrtc, self->context, self, failed_from_thread);
  {
    g_autoptr(GstBus) bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));

    self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  }

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    fail (self, _("The microphone cannot be used."));
}

/* Session */

static void
on_session_state (CohortSession   *session,
                  GParamSpec      *pspec,
                  CohortVoiceRoom *self)
{
  switch (cohort_session_get_state (session))
    {
    case COHORT_SESSION_STATE_JOINED:
      /* Who is in the rooms now; then rejoin ours (the server ended the
       * old connection's membership with it). */
      request_state (self);
      if (self->group_id != 0)
        start_attempt (self);
      break;
    case COHORT_SESSION_STATE_RECONNECTING:
    case COHORT_SESSION_STATE_DISCONNECTED:
    case COHORT_SESSION_STATE_FAILED:
      /* Lost or left the class: the server takes us out of the room. */
      g_clear_pointer (&self->watch_id, g_free);
      teardown (self);
      if (self->group_id != 0)
        set_state (self, COHORT_VOICE_STATE_JOINING);
      break;
    case COHORT_SESSION_STATE_CONNECTING:
    default:
      break;
    }
}

static void
on_progress (CohortSession   *session,
             const char      *re,
             JsonObject      *body,
             CohortVoiceRoom *self)
{
  const char *signal = json_object_get_string_member_with_default (body, "signal", "");

  if (re == NULL || (g_strcmp0 (re, self->join_id) != 0 && g_strcmp0 (re, self->watch_id) != 0))
    return;

  if (g_str_equal (signal, COHORT_SIGNAL_VOICE_TALKING))
    set_talking (self, json_object_get_int_member_with_default (body, "participant_id", 0),
                 json_object_get_boolean_member_with_default (body, "talking", FALSE));
  else if (g_str_equal (signal, COHORT_SIGNAL_VOICE_HANGUP))
    {
      const char *reason = json_object_get_string_member_with_default (body, "reason", "");

      if (g_str_equal (reason, COHORT_VOICE_LEFT_REMOVED))
        {
          g_signal_emit (self, signals[SIGNAL_VOICE_ERROR], 0,
                         _("You are no longer a member of this group."));
          cohort_voice_room_leave (self);
          return;
        }
      /* A media server restart or a failed connection: rejoin. */
      self->retry_ms = 0;
      retry_later (self);
    }
}

/* Public API */

CohortVoiceRoom *
cohort_voice_room_new (CohortSession *session)
{
  return g_object_new (COHORT_TYPE_VOICE_ROOM, "session", session, NULL);
}

void
cohort_voice_room_join (CohortVoiceRoom *self,
                        gint64           group_id)
{
  g_return_if_fail (COHORT_IS_VOICE_ROOM (self));
  g_return_if_fail (group_id > 0);

  if (self->group_id == group_id && self->state != COHORT_VOICE_STATE_IDLE)
    return;
  self->group_id = group_id;
  self->retry_ms = 0;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP_ID]);
  start_attempt (self);
}

void
cohort_voice_room_leave (CohortVoiceRoom *self)
{
  g_return_if_fail (COHORT_IS_VOICE_ROOM (self));

  if (self->group_id == 0)
    return;
  g_clear_handle_id (&self->retry_source, g_source_remove);
  teardown (self);
  self->group_id = 0;
  self->breakout_joined = FALSE;
  if (cohort_session_get_state (self->session) == COHORT_SESSION_STATE_JOINED)
    cohort_session_request_async (self->session, COHORT_REQ_VOICE_LEAVE, NULL, NULL, NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP_ID]);
  set_state (self, COHORT_VOICE_STATE_IDLE);
}

gint64
cohort_voice_room_get_group_id (CohortVoiceRoom *self)
{
  g_return_val_if_fail (COHORT_IS_VOICE_ROOM (self), 0);
  return self->group_id;
}

CohortVoiceState
cohort_voice_room_get_state (CohortVoiceRoom *self)
{
  g_return_val_if_fail (COHORT_IS_VOICE_ROOM (self), COHORT_VOICE_STATE_IDLE);
  return self->state;
}

gboolean
cohort_voice_room_get_muted (CohortVoiceRoom *self)
{
  g_return_val_if_fail (COHORT_IS_VOICE_ROOM (self), FALSE);
  return self->muted;
}

gboolean
cohort_voice_room_get_push_to_talk (CohortVoiceRoom *self)
{
  g_return_val_if_fail (COHORT_IS_VOICE_ROOM (self), FALSE);
  return self->push_to_talk;
}

gboolean
cohort_voice_room_get_receiving (CohortVoiceRoom *self)
{
  g_return_val_if_fail (COHORT_IS_VOICE_ROOM (self), FALSE);
  return self->receiving;
}

/* The microphone opens or closes at once here, and at Janus (voice.mute)
 * so that the room hears nothing even from a client that keeps sending. */
static void
apply_mute (CohortVoiceRoom *self,
            gboolean         was)
{
  gboolean now = effective_muted (self);
  g_autoptr(JsonObject) body = NULL;

  if (self->volume != NULL)
    g_object_set (self->volume, "mute", now, NULL);
  if (now == was || self->state != COHORT_VOICE_STATE_JOINED)
    return;

  body = json_object_new ();
  json_object_set_boolean_member (body, "muted", now);
  cohort_session_request_async (self->session, COHORT_REQ_VOICE_MUTE, body, NULL, NULL, NULL);
}

void
cohort_voice_room_set_muted (CohortVoiceRoom *self,
                             gboolean         muted)
{
  gboolean was;

  g_return_if_fail (COHORT_IS_VOICE_ROOM (self));

  muted = !!muted;
  if (self->muted == muted)
    return;
  was = effective_muted (self);
  self->muted = muted;
  apply_mute (self, was);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

void
cohort_voice_room_set_push_to_talk (CohortVoiceRoom *self,
                                    gboolean         push_to_talk)
{
  gboolean was;

  g_return_if_fail (COHORT_IS_VOICE_ROOM (self));

  push_to_talk = !!push_to_talk;
  if (self->push_to_talk == push_to_talk)
    return;
  was = effective_muted (self);
  self->push_to_talk = push_to_talk;
  apply_mute (self, was);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PUSH_TO_TALK]);
}

void
cohort_voice_room_set_talk_pressed (CohortVoiceRoom *self,
                                    gboolean         pressed)
{
  gboolean was;

  g_return_if_fail (COHORT_IS_VOICE_ROOM (self));

  pressed = !!pressed;
  if (self->talk_pressed == pressed)
    return;
  was = effective_muted (self);
  self->talk_pressed = pressed;
  apply_mute (self, was);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TALK_PRESSED]);
}

GArray *
cohort_voice_room_dup_members (CohortVoiceRoom *self,
                               gint64           group_id)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTable *members;
  GHashTableIter iter;
  gint64 *pid;

  g_return_val_if_fail (COHORT_IS_VOICE_ROOM (self), ids);

  members = room_members (self, group_id, FALSE);
  if (members == NULL)
    return ids;
  g_hash_table_iter_init (&iter, members);
  while (g_hash_table_iter_next (&iter, (gpointer *) &pid, NULL))
    g_array_append_val (ids, *pid);
  return ids;
}

gboolean
cohort_voice_room_is_member_muted (CohortVoiceRoom *self,
                                   gint64           group_id,
                                   gint64           participant_id)
{
  GHashTable *members;

  g_return_val_if_fail (COHORT_IS_VOICE_ROOM (self), FALSE);

  members = room_members (self, group_id, FALSE);
  return members != NULL && GPOINTER_TO_INT (g_hash_table_lookup (members, &participant_id));
}

gboolean
cohort_voice_room_is_talking (CohortVoiceRoom *self,
                              gint64           participant_id)
{
  g_return_val_if_fail (COHORT_IS_VOICE_ROOM (self), FALSE);
  return g_hash_table_contains (self->talking, &participant_id);
}

/* GObject */

static void
cohort_voice_room_constructed (GObject *object)
{
  CohortVoiceRoom *self = COHORT_VOICE_ROOM (object);

  G_OBJECT_CLASS (cohort_voice_room_parent_class)->constructed (object);

  g_signal_connect_object (self->session, "notify::state", G_CALLBACK (on_session_state), self, 0);
  g_signal_connect_object (self->session, "event-received", G_CALLBACK (on_event), self, 0);
  g_signal_connect_object (self->session, "progress-received", G_CALLBACK (on_progress), self, 0);
  g_signal_connect (self, "ice-candidate", G_CALLBACK (on_ice_candidate), NULL);
  g_signal_connect (self, "ice-gathering-done", G_CALLBACK (on_ice_gathering_done), NULL);
  if (cohort_session_get_state (self->session) == COHORT_SESSION_STATE_JOINED)
    request_state (self);
}

static void
cohort_voice_room_dispose (GObject *object)
{
  CohortVoiceRoom *self = COHORT_VOICE_ROOM (object);

  /* Leaving the app leaves the room: the server hears it now, not when
   * the connection times out. */
  if (self->session != NULL)
    cohort_voice_room_leave (self);
  g_clear_handle_id (&self->retry_source, g_source_remove);
  teardown (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cohort_voice_room_parent_class)->dispose (object);
}

static void
cohort_voice_room_finalize (GObject *object)
{
  CohortVoiceRoom *self = COHORT_VOICE_ROOM (object);

  g_clear_pointer (&self->candidates, g_ptr_array_unref);
  g_clear_pointer (&self->rooms, g_hash_table_unref);
  g_clear_pointer (&self->talking, g_hash_table_unref);
  g_clear_pointer (&self->ice_addresses, g_strfreev);
  g_clear_pointer (&self->class_audio, g_free);
  g_clear_pointer (&self->watch_id, g_free);
  g_weak_ref_clear (&self->classroom);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (cohort_voice_room_parent_class)->finalize (object);
}

static void
cohort_voice_room_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortVoiceRoom *self = COHORT_VOICE_ROOM (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_GROUP_ID:
      g_value_set_int64 (value, self->group_id);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_PUSH_TO_TALK:
      g_value_set_boolean (value, self->push_to_talk);
      break;
    case PROP_TALK_PRESSED:
      g_value_set_boolean (value, self->talk_pressed);
      break;
    case PROP_RECEIVING:
      g_value_set_boolean (value, self->receiving);
      break;
    case PROP_BREAKOUT_ENDS_AT:
      g_value_set_int64 (value, self->breakout_ends_at);
      break;
    case PROP_CLASS_AUDIO:
      g_value_set_string (value, self->class_audio);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_voice_room_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CohortVoiceRoom *self = COHORT_VOICE_ROOM (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_MUTED:
      cohort_voice_room_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_PUSH_TO_TALK:
      cohort_voice_room_set_push_to_talk (self, g_value_get_boolean (value));
      break;
    case PROP_TALK_PRESSED:
      cohort_voice_room_set_talk_pressed (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_voice_room_class_init (CohortVoiceRoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->constructed = cohort_voice_room_constructed;
  object_class->dispose = cohort_voice_room_dispose;
  object_class->finalize = cohort_voice_room_finalize;
  object_class->get_property = cohort_voice_room_get_property;
  object_class->set_property = cohort_voice_room_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, COHORT_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUP_ID] = g_param_spec_int64 ("group-id", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, COHORT_VOICE_STATE_IDLE,
                                             COHORT_VOICE_STATE_JOINED, COHORT_VOICE_STATE_IDLE, ro);
  properties[PROP_MUTED] = g_param_spec_boolean ("muted", NULL, NULL, FALSE, rw);
  properties[PROP_PUSH_TO_TALK] = g_param_spec_boolean ("push-to-talk", NULL, NULL, FALSE, rw);
  properties[PROP_TALK_PRESSED] = g_param_spec_boolean ("talk-pressed", NULL, NULL, FALSE, rw);
  properties[PROP_RECEIVING] = g_param_spec_boolean ("receiving", NULL, NULL, FALSE, ro);
  properties[PROP_BREAKOUT_ENDS_AT] = g_param_spec_int64 ("breakout-ends-at", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_CLASS_AUDIO] = g_param_spec_string ("class-audio", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CREATE_SOURCE] =
    g_signal_new ("create-source", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_first_wins, NULL, NULL,
                  GST_TYPE_ELEMENT, 1, G_TYPE_STRING);
  signals[SIGNAL_CREATE_SINK] =
    g_signal_new ("create-sink", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_first_wins, NULL, NULL,
                  GST_TYPE_ELEMENT, 1, G_TYPE_STRING);
  signals[SIGNAL_MEMBERS_CHANGED] =
    g_signal_new ("members-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_TALKING_CHANGED] =
    g_signal_new ("talking-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_BOOLEAN);
  signals[SIGNAL_VOICE_ERROR] =
    g_signal_new ("voice-error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* cohort_webrtc_forward_ice() re-emits webrtcbin's candidates here. */
  signals[SIGNAL_ICE_CANDIDATE] =
    g_signal_new ("ice-candidate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_ICE_GATHERING_DONE] =
    g_signal_new ("ice-gathering-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cohort_voice_room_init (CohortVoiceRoom *self)
{
  const char *env = g_getenv ("COHORT_MEDIA_ICE_ADDRESSES");

  self->context = g_main_context_ref_thread_default ();
  self->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->rooms = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) g_hash_table_unref);
  self->talking = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_weak_ref_init (&self->classroom, NULL);
  if (env != NULL && env[0] != '\0')
    self->ice_addresses = g_strsplit (env, ",", -1);
}

gint64
cohort_voice_room_get_breakout_ends_at (CohortVoiceRoom *self)
{
  g_return_val_if_fail (COHORT_IS_VOICE_ROOM (self), 0);
  return self->breakout_ends_at;
}

const char *
cohort_voice_room_get_class_audio (CohortVoiceRoom *self)
{
  g_return_val_if_fail (COHORT_IS_VOICE_ROOM (self), NULL);
  return self->class_audio;
}

gboolean
cohort_voice_room_is_room_talking (CohortVoiceRoom *self,
                                   gint64           group_id)
{
  GHashTable *members;
  GHashTableIter iter;
  gint64 *pid;

  g_return_val_if_fail (COHORT_IS_VOICE_ROOM (self), FALSE);

  members = room_members (self, group_id, FALSE);
  if (members == NULL)
    return FALSE;
  g_hash_table_iter_init (&iter, members);
  while (g_hash_table_iter_next (&iter, (gpointer *) &pid, NULL))
    if (g_hash_table_contains (self->talking, pid))
      return TRUE;
  return FALSE;
}

/* The window's classroom: its sound follows the breakouts from now on. */
void
cohort_voice_room_set_classroom (CohortVoiceRoom *self,
                                 CohortClassroom *classroom)
{
  g_return_if_fail (COHORT_IS_VOICE_ROOM (self));
  g_return_if_fail (classroom == NULL || COHORT_IS_CLASSROOM (classroom));

  g_weak_ref_set (&self->classroom, classroom);
  apply_class_audio (self);
}

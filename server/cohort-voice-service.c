/* cohort-voice-service.c: the study groups' voice rooms (Janus AudioBridge)
 *
 * One AudioBridge room per study group, which mixes on the server: each
 * member sends one stream and receives one. The client never talks to
 * Janus: it asks this service to join with its SDP offer; the service
 * checks that it is the group's member or the teacher (on every request),
 * creates the room with its own secret and PIN (kept here, never sent),
 * joins the member on their behalf and answers with Janus's SDP. Who is
 * in which room lives in memory: Janus's rooms do not outlive it, and
 * nothing of a voice room is recorded.
 *
 * The rooms share the media service's Janus (one launcher, one session):
 * when it is lost, every member is told to rejoin ("voice.hangup",
 * reason "restart"), and the rooms are made again at the first rejoin.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-voice"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-janus-client.h"
#include "cohort-server-private.h"
#include "cohort-store-class.h"
#include "cohort-store-groups.h"
#include "cohort-voice-protocol.h"
#include "cohort-voice-service.h"

#define AUDIOBRIDGE "janus.plugin.audiobridge"
/* The loss Janus's Opus encoder of each member's mix plans for: it turns
 * in-band FEC on for the stream down (the members' own encoders send FEC
 * up, cohort-voice-room.c). */
#define EXPECTED_LOSS_PCT 10
/* Packets AudioBridge queues from a member before mixing them: each is
 * 20 ms of mouth-to-ear delay. Janus's default of 6 (120 ms) doubled the
 * delay of two bare webrtcbins in bench/run voice; 2 leaves 40 ms of
 * jitter room on top of the members' own jitter buffers. */
#define PREBUFFER_PACKETS 2

typedef struct _Room Room;
typedef struct _Member Member;
typedef struct _Join Join;

struct _CohortVoiceService
{
  CohortService           parent_instance;

  CohortServer           *server;   /* unowned: the server owns us */
  CohortStore            *store;
  CohortMediaService     *media;    /* unowned: the server owns it too */
  CohortVoiceMembersFunc  members_func;
  gpointer                members_data;

  CohortJanusClient      *janus;    /* the session the rooms below live in */
  CohortJanusHandle      *admin;    /* creates rooms */
  gboolean                attaching;
  GQueue                  waiters;  /* Join: for the admin handle */

  GHashTable             *rooms;    /* gint64 *group_id → Room */
  GHashTable             *members;  /* CohortConnection → Member */
  gint64                  room_base;
  gint64                  last_pc_id;
  guint                   sweep_source;
  GHashTable             *breakouts;   /* gint64 *class_id → Breakout */
  GHashTable             *watchers;    /* CohortConnection → its voice.watch's id */
};

/* A class's breakout: every group in its own room until ends_at (ms) or
 * the teacher's voice.breakout_end. In memory: a restarted server has
 * none, and clients hear voice.breakout_ended from nobody (they end it
 * themselves at ends_at). */
typedef struct
{
  CohortVoiceService *service;
  gint64              class_id;
  gint64              ends_at;
  char               *class_audio;
  guint               timer;
} Breakout;

G_DEFINE_FINAL_TYPE (CohortVoiceService, cohort_voice_service, COHORT_TYPE_SERVICE)

struct _Room
{
  gint64    class_id;
  gint64    group_id;
  char     *secret;
  char     *pin;
  gboolean  ready;
  gboolean  creating;
  GQueue    waiters;   /* Join */
};

struct _Member
{
  CohortVoiceService *service;
  CohortConnection   *conn;
  gint64              class_id;
  gint64              group_id;
  gint64              participant_id;
  gint64              pc_id;
  char               *request_id;   /* the voice.join's: progress goes there */
  CohortJanusHandle  *handle;
  gboolean            muted;
  gboolean            talking;        /* what the room was told */
  gboolean            janus_talking;  /* what AudioBridge last said */
};

struct _Join
{
  CohortVoiceService *service;
  CohortRequest      *req;          /* deferred */
  CohortConnection   *conn;
  char               *request_id;
  gint64              class_id;
  gint64              group_id;
  gint64              participant_id;
  gint64              pc_id;
  gboolean            muted;
  char               *sdp;
  CohortJanusHandle  *handle;
};

static void join_continue (Join *join);
static void member_remove (CohortVoiceService *self, Member *member, const char *reason,
                           gboolean tell_janus);

/* Joins */

static void
join_free (Join *join)
{
  if (join->handle != NULL)
    {
      /* Made for a join that did not finish: give it back. */
      cohort_janus_handle_detach (join->handle);
      g_clear_object (&join->handle);
    }
  g_clear_object (&join->service);
  g_clear_object (&join->req);
  g_clear_object (&join->conn);
  g_free (join->request_id);
  g_free (join->sdp);
  g_free (join);
}

static void
join_reply (Join          *join,
            CohortMessage *message)
{
  cohort_request_reply_volatile (join->req, message);
  join_free (join);
}

static void
join_fail (Join            *join,
           CohortErrorCode  code,
           const char      *field,
           const char      *message)
{
  g_autoptr(CohortMessage) reply = NULL;

  reply = cohort_message_new_error (join->request_id, code,
                                    code == COHORT_ERROR_INVALID ? COHORT_INVALID_OUT_OF_RANGE
                                                                 : COHORT_INVALID_NONE,
                                    field, message);
  join_reply (join, reply);
}

static void
join_fail_unavailable (Join *join)
{
  join_fail (join, COHORT_ERROR_INTERNAL, NULL,
             _("Voice rooms are restarting on the class server. Try again in a moment."));
}

/* Role checks */

/* May @participant_id of @class_id be in group @group_id's voice room?
 * The teacher always; a student while a member. NOT_FOUND: no such group
 * in the class. */
typedef enum
{
  ACCESS_ALLOWED,
  ACCESS_FORBIDDEN,
  ACCESS_NOT_FOUND,
} Access;

static Access
check_access (CohortVoiceService *self,
              gint64              class_id,
              gint64              group_id,
              gint64              participant_id,
              gboolean            is_teacher)
{
  g_autoptr(GArray) ids = NULL;

  if (self->members_func == NULL)
    return ACCESS_NOT_FOUND;

  ids = self->members_func (self->server, class_id, group_id, self->members_data);
  if (ids == NULL)
    return ACCESS_NOT_FOUND;
  if (is_teacher)
    return ACCESS_ALLOWED;

  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == participant_id)
      return ACCESS_ALLOWED;

  return ACCESS_FORBIDDEN;
}

/* Events: seen by the group's members, the teacher and @subject (who may
 * just have been taken out of the group). */
static gboolean
emit_voice_event (CohortVoiceService  *self,
                  GPtrArray           *pending,
                  gint64               class_id,
                  gint64               group_id,
                  gint64               subject,
                  const char          *name,
                  JsonObject          *body,
                  GError             **error)
{
  g_autoptr(GArray) audience = NULL;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(GError) local_error = NULL;

  audience = self->members_func != NULL
             ? self->members_func (self->server, class_id, group_id, self->members_data)
             : NULL;
  if (audience == NULL)
    audience = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (audience, subject);

  teacher = cohort_store_find_teacher (self->store, class_id, &local_error);
  if (local_error != NULL)
    {
      json_object_unref (body);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (teacher != NULL)
    g_array_append_val (audience, teacher->id);

  return _cohort_server_emit_event_for (self->server, pending, class_id, name, body,
                                        (const gint64 *) audience->data, audience->len, error);
}

typedef gboolean (*TxFunc) (CohortVoiceService *self, GPtrArray *pending, gpointer data,
                            GError **error);

/* Runs @func inside one transaction and broadcasts what it queued. */
static void
in_transaction (CohortVoiceService *self,
                TxFunc              func,
                gpointer            data)
{
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(GError) error = NULL;

  if (!cohort_store_begin (self->store, &error) ||
      !func (self, pending, data, &error) ||
      !cohort_store_commit (self->store, &error))
    {
      g_warning ("Could not record a voice room change: %s", error ? error->message : "unknown");
      cohort_store_rollback (self->store);
      return;
    }

  _cohort_server_broadcast (self->server, pending);
}

static JsonObject *
member_body (Member *member)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "group_id", member->group_id);
  json_object_set_int_member (body, "participant_id", member->participant_id);
  json_object_set_boolean_member (body, "muted", member->muted);
  return body;
}

/* One voice.joined, voice.muted or voice.left (with its reason). */
typedef struct
{
  Member     *member;
  const char *event;
  const char *reason;
} MemberTx;

static gboolean
member_tx (CohortVoiceService  *self,
           GPtrArray           *pending,
           gpointer             data,
           GError             **error)
{
  MemberTx *tx = data;
  JsonObject *body = member_body (tx->member);

  if (tx->reason != NULL)
    {
      json_object_remove_member (body, "muted");
      json_object_set_string_member (body, "reason", tx->reason);
    }
  return emit_voice_event (self, pending, tx->member->class_id, tx->member->group_id,
                           tx->member->participant_id, tx->event, body, error);
}

static void
member_tell (CohortVoiceService *self,
             Member             *member,
             const char         *event,
             const char         *reason)
{
  MemberTx tx = { member, event, reason };

  in_transaction (self, member_tx, &tx);
}

/* Progress to one member's connection (not logged). */
static void
member_signal (Member     *member,
               JsonObject *body)
{
  g_autoptr(CohortMessage) message = NULL;

  if (!cohort_connection_is_open (member->conn))
    return;

  json_object_set_int_member (body, "pc_id", member->pc_id);
  message = cohort_message_new_progress (member->request_id, body);
  _cohort_server_send_message (member->conn, message);
}

static void
member_hangup (Member     *member,
               const char *reason)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "signal", COHORT_SIGNAL_VOICE_HANGUP);
  json_object_set_string_member (body, "reason", reason);
  member_signal (member, body);
}

static JsonObject *
talking_body (Member *member)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "signal", COHORT_SIGNAL_VOICE_TALKING);
  json_object_set_int_member (body, "group_id", member->group_id);
  json_object_set_int_member (body, "participant_id", member->participant_id);
  json_object_set_boolean_member (body, "talking", member->talking);
  return body;
}

/* Tells everyone in @member's room that @member started or stopped
 * talking, from AudioBridge's own audio levels; and the class's teacher
 * who follows every room (voice.watch) from outside this one. Janus's
 * talking events come at most once per half-second window a member, so
 * this is no flood. */
static void
room_tell_talking (CohortVoiceService *self,
                   Member             *member)
{
  GHashTableIter iter;
  Member *other;
  CohortConnection *conn;
  const char *watch_id;

  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
    if (other->group_id == member->group_id)
      {
        g_autoptr(JsonObject) body = talking_body (member);

        member_signal (other, body);
      }

  g_hash_table_iter_init (&iter, self->watchers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, (gpointer *) &watch_id))
    {
      Member *own = g_hash_table_lookup (self->members, conn);
      g_autoptr(JsonObject) body = NULL;
      g_autoptr(CohortMessage) message = NULL;

      if (cohort_connection_get_class_id (conn) != member->class_id ||
          (own != NULL && own->group_id == member->group_id) || !cohort_connection_is_open (conn))
        continue;
      body = talking_body (member);
      message = cohort_message_new_progress (watch_id, body);
      _cohort_server_send_message (conn, message);
    }
}

/* A member who just joined learns who is talking already: the room's
 * talking events are news of changes only. */
static void
tell_who_talks (CohortVoiceService *self,
                Member             *member)
{
  GHashTableIter iter;
  Member *other;

  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &other))
    if (other != member && other->group_id == member->group_id && other->talking)
      {
        g_autoptr(JsonObject) body = talking_body (other);

        member_signal (member, body);
      }
}

/* Members */

static void
member_free (Member *member)
{
  if (member->handle != NULL)
    g_signal_handlers_disconnect_by_data (member->handle, member);
  g_clear_object (&member->handle);
  g_clear_object (&member->conn);
  g_free (member->request_id);
  g_free (member);
}

static void
left_then_detach_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(JsonObject) data = NULL;

  /* Janus runs a session's requests on a pool: a detach sent right after
   * the leave could overtake it. */
  data = cohort_janus_handle_send_message_finish (COHORT_JANUS_HANDLE (source), result, NULL, NULL);
  cohort_janus_handle_detach (COHORT_JANUS_HANDLE (source));
}

/* Forgets @member, says so to the room's audience, and (@tell_janus)
 * takes it out of the AudioBridge room at once. */
static void
member_remove (CohortVoiceService *self,
               Member             *member,
               const char         *reason,
               gboolean            tell_janus)
{
  g_hash_table_steal (self->members, member->conn);
  if (member->handle != NULL)
    {
      g_signal_handlers_disconnect_by_data (member->handle, member);
      if (tell_janus && !cohort_janus_handle_is_detached (member->handle))
        {
          g_autoptr(JsonObject) body = json_object_new ();

          json_object_set_string_member (body, "request", "leave");
          cohort_janus_handle_send_message_async (member->handle, body, NULL, NULL, NULL,
                                                  left_then_detach_cb, NULL);
        }
    }
  member_tell (self, member, COHORT_EV_VOICE_LEFT, reason);
  member_free (member);
}

/* AudioBridge events on a member's own handle. Each handle hears every
 * member's talking events; only its own are taken, so each is told once. */
static void
on_member_event (CohortJanusHandle *handle,
                 JsonObject        *data,
                 JsonObject        *jsep,
                 Member            *member)
{
  const char *what = json_object_get_string_member_with_default (data, "audiobridge", "");
  gboolean talking;

  if (!g_str_equal (what, "talking") && !g_str_equal (what, "stopped-talking"))
    return;
  if (json_object_get_int_member_with_default (data, "id", 0) != member->pc_id)
    return;

  member->janus_talking = g_str_equal (what, "talking");
  /* Janus may not say "stopped" for a member it mutes: the room hears
   * nothing from a muted member, whatever the levels. */
  talking = member->janus_talking && !member->muted;
  if (talking == member->talking)
    return;
  member->talking = talking;
  room_tell_talking (member->service, member);
}

/* Janus hung up the member's PeerConnection (ICE failed, DTLS alert):
 * the client starts over. */
static void
on_member_hangup (CohortJanusHandle *handle,
                  const char        *reason,
                  Member            *member)
{
  g_message ("Janus hung up voice pc %" G_GINT64_FORMAT ": %s", member->pc_id, reason);
  member_hangup (member, reason != NULL ? reason : "hangup");
  member_remove (member->service, member, COHORT_VOICE_LEFT_GONE, TRUE);
}

/* Rooms */

static void
room_free (Room *room)
{
  g_assert (g_queue_is_empty (&room->waiters));
  g_free (room->secret);
  g_free (room->pin);
  g_free (room);
}

static gint64
room_id (CohortVoiceService *self,
         gint64              group_id)
{
  return self->room_base + group_id;
}

typedef struct
{
  CohortVoiceService *service;
  CohortJanusHandle  *admin;
  gint64              group_id;
} RoomCreate;

static void
room_created_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  RoomCreate *rc = user_data;
  g_autoptr(CohortVoiceService) self = rc->service;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;
  gboolean current = (rc->admin == self->admin);
  Room *room;

  data = cohort_janus_handle_send_message_finish (COHORT_JANUS_HANDLE (source), result, NULL, &error);
  room = current ? g_hash_table_lookup (self->rooms, &rc->group_id) : NULL;
  g_free (rc);
  /* A room of a Janus that is gone: janus_lost moved its waiters. */
  if (room == NULL || !room->creating)
    return;

  room->creating = FALSE;
  room->ready = (data != NULL);
  if (error != NULL)
    g_warning ("Could not create the voice room of group %" G_GINT64_FORMAT ": %s",
               room->group_id, error->message);

  while (!g_queue_is_empty (&room->waiters))
    {
      Join *join = g_queue_pop_head (&room->waiters);

      if (room->ready)
        join_continue (join);
      else
        join_fail_unavailable (join);
    }
  if (!room->ready)
    g_hash_table_remove (self->rooms, &room->group_id);
}

static void
room_create (CohortVoiceService *self,
             Room               *room)
{
  g_autoptr(JsonObject) body = json_object_new ();
  const char *admin_key = cohort_media_service_get_admin_key (self->media);
  RoomCreate *rc = g_new0 (RoomCreate, 1);

  room->creating = TRUE;
  g_free (room->secret);
  room->secret = g_uuid_string_random ();
  /* Janus asks every join for the PIN: only this server knows it. */
  g_free (room->pin);
  room->pin = g_uuid_string_random ();

  json_object_set_string_member (body, "request", "create");
  json_object_set_int_member (body, "room", room_id (self, room->group_id));
  if (admin_key != NULL)
    json_object_set_string_member (body, "admin_key", admin_key);
  json_object_set_string_member (body, "secret", room->secret);
  json_object_set_string_member (body, "pin", room->pin);
  json_object_set_string_member (body, "description", "cohort voice");
  json_object_set_boolean_member (body, "is_private", TRUE);
  json_object_set_boolean_member (body, "permanent", FALSE);
  json_object_set_boolean_member (body, "record", FALSE);
  json_object_set_boolean_member (body, "allow_rtp_participants", FALSE);
  json_object_set_int_member (body, "sampling_rate", 48000);
  json_object_set_int_member (body, "default_expectedloss", EXPECTED_LOSS_PCT);
  json_object_set_int_member (body, "default_prebuffering", PREBUFFER_PACKETS);
  /* Talking and stopped-talking events from the members' RFC 6464 audio
   * levels: the mean of 25 packets (half a second) over −40 dBov. */
  json_object_set_boolean_member (body, "audiolevel_ext", TRUE);
  json_object_set_boolean_member (body, "audiolevel_event", TRUE);
  json_object_set_int_member (body, "audio_active_packets", 25);
  json_object_set_int_member (body, "audio_level_average", 40);

  rc->service = g_object_ref (self);
  rc->admin = self->admin;
  rc->group_id = room->group_id;
  cohort_janus_handle_send_message_async (self->admin, body, NULL, NULL, NULL,
                                          room_created_cb, rc);
}

/* Janus */

static void
fail_waiters (CohortVoiceService *self)
{
  while (!g_queue_is_empty (&self->waiters))
    join_fail_unavailable (g_queue_pop_head (&self->waiters));
}

static void
admin_attached_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CohortVoiceService) self = user_data;
  g_autoptr(CohortJanusHandle) handle = NULL;
  g_autoptr(GError) error = NULL;

  handle = cohort_janus_client_attach_finish (COHORT_JANUS_CLIENT (source), result, &error);
  if (COHORT_JANUS_CLIENT (source) != self->janus)
    {
      if (handle != NULL)
        cohort_janus_handle_detach (handle);
      return;
    }

  self->attaching = FALSE;
  if (handle == NULL)
    {
      /* An external Janus without the plugin, say (docs/janus.md). */
      g_warning ("Could not attach to the Janus AudioBridge plugin: %s", error->message);
      fail_waiters (self);
      return;
    }

  self->admin = g_steal_pointer (&handle);
  while (self->admin != NULL && !g_queue_is_empty (&self->waiters))
    join_continue (g_queue_pop_head (&self->waiters));
}

/* Every room and member belonged to the Janus that is gone. */
static void
janus_lost (CohortVoiceService *self)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  GHashTableIter iter;
  Member *member;
  Room *room;

  g_message ("Lost the Janus session; every voice room member rejoins");
  g_clear_object (&self->admin);
  g_clear_object (&self->janus);
  self->attaching = FALSE;

  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &member))
    g_ptr_array_add (members, member);
  for (guint i = 0; i < members->len; i++)
    {
      member = g_ptr_array_index (members, i);
      member_hangup (member, COHORT_VOICE_LEFT_RESTART);
      member_remove (self, member, COHORT_VOICE_LEFT_RESTART, FALSE);
    }

  g_hash_table_iter_init (&iter, self->rooms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &room))
    while (!g_queue_is_empty (&room->waiters))
      g_queue_push_tail (&self->waiters, g_queue_pop_head (&room->waiters));
  g_hash_table_remove_all (self->rooms);
}

static void
ensure_admin (CohortVoiceService *self)
{
  if (self->admin != NULL || self->attaching)
    return;

  if (self->janus == NULL && cohort_media_service_get_janus (self->media) != NULL)
    self->janus = g_object_ref (cohort_media_service_get_janus (self->media));
  if (self->janus == NULL)
    {
      /* "janus-changed" comes back here. */
      cohort_media_service_want_janus (self->media);
      return;
    }

  self->attaching = TRUE;
  cohort_janus_client_attach_async (self->janus, AUDIOBRIDGE, NULL, admin_attached_cb,
                                    g_object_ref (self));
}

static void
on_janus_changed (CohortMediaService *media,
                  CohortVoiceService *self)
{
  CohortJanusClient *janus = cohort_media_service_get_janus (media);

  if (self->janus != NULL && self->janus != janus)
    janus_lost (self);
  if (janus != NULL && !g_queue_is_empty (&self->waiters))
    ensure_admin (self);
}

/* voice.join */

static void
janus_joined_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Join *join = user_data;
  CohortVoiceService *self = join->service;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonObject) jsep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *reply_body;
  const char *sdp;
  Member *member;
  Member *old;

  data = cohort_janus_handle_send_message_finish (COHORT_JANUS_HANDLE (source), result, &jsep, &error);
  if (data == NULL)
    {
      if (error->domain == COHORT_JANUS_ERROR && error->code != COHORT_JANUS_ERROR_CLOSED &&
          error->code != COHORT_JANUS_ERROR_PROTOCOL)
        {
          g_autofree char *message = g_strdup_printf (_("The media server refused this voice session: %s"),
                                                      error->message);
          join_fail (join, COHORT_ERROR_INVALID, "sdp", message);
          return;
        }
      g_message ("Janus voice join failed: %s", error->message);
      join_fail_unavailable (join);
      return;
    }

  sdp = jsep != NULL ? json_object_get_string_member_with_default (jsep, "sdp", NULL) : NULL;
  if (sdp == NULL)
    {
      join_fail (join, COHORT_ERROR_INVALID, "sdp",
                 _("The media server did not answer this voice session."));
      return;
    }

  if (!cohort_connection_is_open (join->conn))
    {
      join_free (join);
      return;
    }

  /* Membership may have changed while Janus worked. */
  if (check_access (self, join->class_id, join->group_id, join->participant_id,
                    cohort_connection_is_teacher (join->conn)) != ACCESS_ALLOWED)
    {
      join_fail (join, COHORT_ERROR_FORBIDDEN, NULL,
                 _("Only the group’s members and the teacher can join its voice room."));
      return;
    }

  /* A connection is in one room at a time. */
  old = g_hash_table_lookup (self->members, join->conn);
  if (old != NULL)
    member_remove (self, old, COHORT_VOICE_LEFT_LEFT, TRUE);

  member = g_new0 (Member, 1);
  member->service = self;
  member->conn = g_object_ref (join->conn);
  member->class_id = join->class_id;
  member->group_id = join->group_id;
  member->participant_id = join->participant_id;
  member->pc_id = join->pc_id;
  member->request_id = g_strdup (join->request_id);
  member->muted = join->muted;
  member->handle = g_steal_pointer (&join->handle);
  g_signal_connect (member->handle, "event", G_CALLBACK (on_member_event), member);
  g_signal_connect (member->handle, "hangup", G_CALLBACK (on_member_hangup), member);
  g_hash_table_insert (self->members, member->conn, member);

  reply_body = json_object_new ();
  json_object_set_int_member (reply_body, "pc_id", member->pc_id);
  json_object_set_int_member (reply_body, "group_id", member->group_id);
  json_object_set_string_member (reply_body, "sdp", sdp);
  reply = cohort_message_new_ok (join->request_id, reply_body);
  json_object_unref (reply_body);
  join_reply (join, reply);

  member_tell (self, member, COHORT_EV_VOICE_JOINED, NULL);
  tell_who_talks (self, member);
}

static void
join_attached_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Join *join = user_data;
  CohortVoiceService *self = join->service;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *display = NULL;
  Room *room;

  join->handle = cohort_janus_client_attach_finish (COHORT_JANUS_CLIENT (source), result, &error);
  if (join->handle == NULL)
    {
      g_message ("Could not attach a voice handle: %s", error->message);
      join_fail_unavailable (join);
      return;
    }

  room = g_hash_table_lookup (self->rooms, &join->group_id);
  if (room == NULL || !room->ready || COHORT_JANUS_CLIENT (source) != self->janus)
    {
      /* Janus went away meanwhile: start over on the next one. */
      cohort_janus_handle_detach (join->handle);
      g_clear_object (&join->handle);
      join_continue (join);
      return;
    }

  join->pc_id = ++self->last_pc_id;
  display = g_strdup_printf ("%" G_GINT64_FORMAT, join->participant_id);
  json_object_set_string_member (body, "request", "join");
  json_object_set_int_member (body, "room", room_id (self, join->group_id));
  json_object_set_int_member (body, "id", join->pc_id);
  json_object_set_string_member (body, "pin", room->pin);
  json_object_set_string_member (body, "display", display);
  json_object_set_boolean_member (body, "muted", join->muted);
  json_object_set_string_member (body, "codec", "opus");
  json_object_set_int_member (body, "expected_loss", EXPECTED_LOSS_PCT);

  cohort_janus_handle_send_message_async (join->handle, body, "offer", join->sdp, NULL,
                                          janus_joined_cb, join);
}

/* Janus connected → the AudioBridge admin handle → the group's room → a
 * handle of the member's own → join with the offer. */
static void
join_continue (Join *join)
{
  CohortVoiceService *self = join->service;
  Room *room;

  if (!cohort_connection_is_open (join->conn))
    {
      join_free (join);
      return;
    }

  if (self->admin == NULL)
    {
      g_queue_push_tail (&self->waiters, join);
      ensure_admin (self);
      return;
    }

  room = g_hash_table_lookup (self->rooms, &join->group_id);
  if (room == NULL)
    {
      room = g_new0 (Room, 1);
      room->class_id = join->class_id;
      room->group_id = join->group_id;
      g_hash_table_insert (self->rooms, g_memdup2 (&join->group_id, sizeof (gint64)), room);
    }
  if (!room->ready)
    {
      g_queue_push_tail (&room->waiters, join);
      if (!room->creating)
        room_create (self, room);
      return;
    }

  cohort_janus_client_attach_async (self->janus, AUDIOBRIDGE, NULL, join_attached_cb, join);
}

/* Answers the role check of a request naming @group_id; FALSE when it
 * answered (refused). */
static gboolean
require_access (CohortVoiceService *self,
                CohortRequest      *req,
                gint64              group_id)
{
  CohortConnection *conn = cohort_request_get_connection (req);

  switch (check_access (self, cohort_connection_get_class_id (conn), group_id,
                        cohort_connection_get_participant_id (conn),
                        cohort_connection_is_teacher (conn)))
    {
    case ACCESS_ALLOWED:
      return TRUE;
    case ACCESS_NOT_FOUND:
      cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "group_id",
                            _("This class has no such group."));
      return FALSE;
    case ACCESS_FORBIDDEN:
    default:
      cohort_request_forbidden (req,
                                _("Only the group’s members and the teacher can join its voice room."));
      return FALSE;
    }
}

static gboolean
handle_join (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortVoiceService *self = COHORT_VOICE_SERVICE (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  JsonObject *body = cohort_request_get_body (req);
  gint64 group_id = json_object_get_int_member (body, "group_id");
  Join *join;

  if (!cohort_media_service_is_enabled (self->media))
    {
      cohort_request_forbidden (req, _("Live audio and video are switched off on this class server."));
      return TRUE;
    }
  if (!require_access (self, req, group_id))
    return TRUE;
  if (!cohort_request_begin_volatile (req))
    return TRUE;

  join = g_new0 (Join, 1);
  join->service = g_object_ref (self);
  join->req = cohort_request_defer (req);
  join->conn = g_object_ref (conn);
  join->request_id = g_strdup (cohort_request_get_id (req));
  join->class_id = cohort_connection_get_class_id (conn);
  join->group_id = group_id;
  join->participant_id = cohort_connection_get_participant_id (conn);
  join->muted = json_object_get_boolean_member_with_default (body, "muted", FALSE);
  join->sdp = g_strdup (json_object_get_string_member (body, "sdp"));
  join_continue (join);

  return TRUE;
}

/* voice.trickle */

static gboolean
handle_trickle (CohortService  *service,
                CohortRequest  *req,
                GError        **error)
{
  CohortVoiceService *self = COHORT_VOICE_SERVICE (service);
  JsonObject *body = cohort_request_get_body (req);
  Member *member = g_hash_table_lookup (self->members, cohort_request_get_connection (req));
  g_autoptr(CohortMessage) reply = NULL;

  if (member == NULL || member->pc_id != json_object_get_int_member (body, "pc_id"))
    {
      cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "pc_id",
                            _("This voice session has ended."));
      return TRUE;
    }
  if (!cohort_request_begin_volatile (req))
    return TRUE;

  if (json_object_has_member (body, "candidates"))
    {
      JsonArray *candidates = json_object_get_array_member (body, "candidates");

      for (guint i = 0; i < json_array_get_length (candidates); i++)
        {
          JsonObject *candidate = json_array_get_object_element (candidates, i);

          cohort_janus_handle_trickle (member->handle,
                                       json_object_get_int_member (candidate, "sdpMLineIndex"),
                                       json_object_get_string_member (candidate, "candidate"));
        }
    }
  if (json_object_get_boolean_member_with_default (body, "completed", FALSE))
    cohort_janus_handle_trickle_completed (member->handle);

  reply = cohort_message_new_ok (cohort_request_get_id (req), NULL);
  cohort_request_reply_volatile (req, reply);
  return TRUE;
}

/* voice.leave */

static gboolean
handle_leave (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortVoiceService *self = COHORT_VOICE_SERVICE (service);
  Member *member = g_hash_table_lookup (self->members, cohort_request_get_connection (req));
  g_autoptr(CohortMessage) reply = NULL;

  if (!cohort_request_begin_volatile (req))
    return TRUE;

  /* Leaving when not in a room succeeds: the goal is reached. */
  if (member != NULL)
    member_remove (self, member, COHORT_VOICE_LEFT_LEFT, TRUE);

  reply = cohort_message_new_ok (cohort_request_get_id (req), NULL);
  cohort_request_reply_volatile (req, reply);
  return TRUE;
}

/* voice.mute: at Janus (AudioBridge's configure), so that a client that
 * goes on sending is silent all the same. */

typedef struct
{
  CohortVoiceService *service;
  CohortRequest      *req;
  CohortConnection   *conn;
  gboolean            muted;
} MuteOp;

static void
muted_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  MuteOp *op = user_data;
  CohortVoiceService *self = op->service;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  Member *member;

  data = cohort_janus_handle_send_message_finish (COHORT_JANUS_HANDLE (source), result, NULL, &error);
  member = g_hash_table_lookup (self->members, op->conn);
  if (data == NULL || member == NULL || member->handle != COHORT_JANUS_HANDLE (source))
    {
      reply = cohort_message_new_error (cohort_request_get_id (op->req), COHORT_ERROR_NOT_FOUND,
                                        COHORT_INVALID_NONE, NULL,
                                        _("This voice session has ended."));
    }
  else
    {
      reply = cohort_message_new_ok (cohort_request_get_id (op->req), NULL);
      if (member->muted != op->muted)
        {
          member->muted = op->muted;
          member_tell (self, member, COHORT_EV_VOICE_MUTED, NULL);
          if (member->talking != (member->janus_talking && !member->muted))
            {
              member->talking = member->janus_talking && !member->muted;
              room_tell_talking (self, member);
            }
        }
    }

  cohort_request_reply_volatile (op->req, reply);
  g_object_unref (op->service);
  g_object_unref (op->req);
  g_object_unref (op->conn);
  g_free (op);
}

static gboolean
handle_mute (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortVoiceService *self = COHORT_VOICE_SERVICE (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  Member *member = g_hash_table_lookup (self->members, conn);
  g_autoptr(JsonObject) configure = json_object_new ();
  MuteOp *op;

  if (member == NULL)
    {
      cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, NULL,
                            _("You are not in a voice room."));
      return TRUE;
    }
  if (!require_access (self, req, member->group_id))
    return TRUE;
  if (!cohort_request_begin_volatile (req))
    return TRUE;

  op = g_new0 (MuteOp, 1);
  op->service = g_object_ref (self);
  op->req = cohort_request_defer (req);
  op->conn = g_object_ref (conn);
  op->muted = json_object_get_boolean_member (cohort_request_get_body (req), "muted");

  json_object_set_string_member (configure, "request", "configure");
  json_object_set_boolean_member (configure, "muted", op->muted);
  cohort_janus_handle_send_message_async (member->handle, configure, NULL, NULL, NULL,
                                          muted_cb, op);
  return TRUE;
}

/* Who is in the voice rooms @conn may see: the teacher every room of the
 * class, a student their own group's. */
static JsonObject *
voice_state_json (CohortVoiceService *self,
                  CohortConnection   *conn)
{
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 participant_id = cohort_connection_get_participant_id (conn);
  gboolean teacher = cohort_connection_is_teacher (conn);
  g_autoptr(GHashTable) by_group = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                                          (GDestroyNotify) json_array_unref);
  JsonObject *voice = json_object_new ();
  JsonArray *rooms = json_array_new ();
  GHashTableIter iter;
  Member *member;
  gint64 *group_id;
  JsonArray *members;

  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &member))
    {
      JsonObject *object;

      if (member->class_id != class_id)
        continue;
      members = g_hash_table_lookup (by_group, &member->group_id);
      if (members == NULL)
        {
          if (check_access (self, class_id, member->group_id, participant_id, teacher) != ACCESS_ALLOWED)
            continue;
          members = json_array_new ();
          g_hash_table_insert (by_group, &member->group_id, members);
        }
      object = json_object_new ();
      json_object_set_int_member (object, "participant_id", member->participant_id);
      json_object_set_boolean_member (object, "muted", member->muted);
      json_object_set_boolean_member (object, "talking", member->talking);
      json_array_add_object_element (members, object);
    }

  g_hash_table_iter_init (&iter, by_group);
  while (g_hash_table_iter_next (&iter, (gpointer *) &group_id, (gpointer *) &members))
    {
      JsonObject *room = json_object_new ();

      json_object_set_int_member (room, "group_id", *group_id);
      json_object_set_array_member (room, "members", json_array_ref (members));
      json_array_add_object_element (rooms, room);
    }

  json_object_set_boolean_member (voice, "enabled", cohort_media_service_is_enabled (self->media));
  json_object_set_array_member (voice, "rooms", rooms);
  {
    Breakout *breakout = g_hash_table_lookup (self->breakouts, &class_id);

    if (breakout != NULL)
      {
        JsonObject *object = json_object_new ();

        json_object_set_int_member (object, "ends_at", breakout->ends_at);
        json_object_set_string_member (object, "class_audio", breakout->class_audio);
        json_object_set_object_member (voice, "breakout", object);
      }
  }
  return voice;
}

static gboolean
handle_state (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_object_member (body, "voice",
                                 voice_state_json (COHORT_VOICE_SERVICE (service),
                                                   cohort_request_get_connection (req)));
  cohort_request_reply (req, g_steal_pointer (&body));
  return TRUE;
}

/* voice.watch: the teacher's view of every room (who is in, who talks)
 * without being in one. */
static gboolean
handle_watch (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortVoiceService *self = COHORT_VOICE_SERVICE (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(JsonObject) body = json_object_new ();

  if (!cohort_request_require_teacher (req, _("Only the teacher can follow every voice room.")))
    return TRUE;

  g_hash_table_replace (self->watchers, g_object_ref (conn), g_strdup (cohort_request_get_id (req)));
  json_object_set_object_member (body, "voice", voice_state_json (self, conn));
  cohort_request_reply (req, g_steal_pointer (&body));
  return TRUE;
}

/* A member taken out of the group (groups.assign, pick, balance) leaves
 * its room at once. The groups service has already committed the move
 * when the next main-loop turn runs this. */
static gboolean
sweep_members (gpointer user_data)
{
  CohortVoiceService *self = user_data;
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  GHashTableIter iter;
  Member *member;

  self->sweep_source = 0;
  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &member))
    if (check_access (self, member->class_id, member->group_id, member->participant_id,
                      cohort_connection_is_teacher (member->conn)) != ACCESS_ALLOWED)
      g_ptr_array_add (gone, member);

  for (guint i = 0; i < gone->len; i++)
    {
      member = g_ptr_array_index (gone, i);
      g_message ("Participant %" G_GINT64_FORMAT " left group %" G_GINT64_FORMAT
                 ": out of its voice room", member->participant_id, member->group_id);
      member_hangup (member, COHORT_VOICE_LEFT_REMOVED);
      member_remove (self, member, COHORT_VOICE_LEFT_REMOVED, TRUE);
    }

  return G_SOURCE_REMOVE;
}

/* Breakouts */

static void
breakout_free (Breakout *breakout)
{
  g_clear_handle_id (&breakout->timer, g_source_remove);
  g_free (breakout->class_audio);
  g_free (breakout);
}

static gboolean
breakout_started_tx (CohortVoiceService  *self,
                     GPtrArray           *pending,
                     gpointer             data,
                     GError             **error)
{
  Breakout *breakout = data;
  g_autoptr(GPtrArray) groups = cohort_store_groups_list (self->store, breakout->class_id, error);
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *body;

  if (groups == NULL)
    return FALSE;

  /* Each group's members learn their own room. */
  for (guint i = 0; i < groups->len; i++)
    {
      CohortGroupRecord *group = g_ptr_array_index (groups, i);
      g_autoptr(GArray) ids = self->members_func != NULL
                              ? self->members_func (self->server, breakout->class_id, group->id,
                                                    self->members_data)
                              : NULL;

      if (ids == NULL || ids->len == 0)
        continue;
      body = json_object_new ();
      json_object_set_int_member (body, "group_id", group->id);
      json_object_set_int_member (body, "ends_at", breakout->ends_at);
      json_object_set_string_member (body, "class_audio", breakout->class_audio);
      if (!_cohort_server_emit_event_for (self->server, pending, breakout->class_id,
                                          COHORT_EV_VOICE_BREAKOUT_STARTED, body,
                                          (const gint64 *) ids->data, ids->len, error))
        return FALSE;
    }

  teacher = cohort_store_find_teacher (self->store, breakout->class_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (teacher == NULL)
    return TRUE;
  body = json_object_new ();
  json_object_set_int_member (body, "group_id", 0);
  json_object_set_int_member (body, "ends_at", breakout->ends_at);
  json_object_set_string_member (body, "class_audio", breakout->class_audio);
  return _cohort_server_emit_event_for (self->server, pending, breakout->class_id,
                                        COHORT_EV_VOICE_BREAKOUT_STARTED, body, &teacher->id, 1, error);
}

static gboolean
breakout_ended_tx (CohortVoiceService  *self,
                   GPtrArray           *pending,
                   gpointer             data,
                   GError             **error)
{
  Breakout *breakout = data;

  return _cohort_server_emit_event (self->server, pending, breakout->class_id,
                                    COHORT_EV_VOICE_BREAKOUT_ENDED, json_object_new (), error);
}

/* Everyone back: the clients leave their rooms on voice.breakout_ended. */
static void
breakout_end (CohortVoiceService *self,
              gint64              class_id)
{
  Breakout *breakout = g_hash_table_lookup (self->breakouts, &class_id);

  if (breakout == NULL)
    return;
  in_transaction (self, breakout_ended_tx, breakout);
  g_hash_table_remove (self->breakouts, &class_id);
}

static gboolean
on_breakout_timeout (gpointer user_data)
{
  Breakout *breakout = user_data;

  breakout->timer = 0;
  breakout_end (breakout->service, breakout->class_id);
  return G_SOURCE_REMOVE;
}

static gboolean
handle_breakout (CohortService  *service,
                 CohortRequest  *req,
                 GError        **error)
{
  CohortVoiceService *self = COHORT_VOICE_SERVICE (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  JsonObject *body = cohort_request_get_body (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 minutes = json_object_get_int_member (body, "minutes");
  JsonObject *reply;
  Breakout *breakout;

  if (!cohort_request_require_teacher (req, _("Only the teacher can start breakout rooms.")))
    return TRUE;
  if (!cohort_media_service_is_enabled (self->media))
    {
      cohort_request_forbidden (req, _("Live audio and video are switched off on this class server."));
      return TRUE;
    }

  /* A new breakout replaces the running one (a new length, say). */
  breakout = g_hash_table_lookup (self->breakouts, &class_id);
  if (breakout == NULL)
    {
      breakout = g_new0 (Breakout, 1);
      breakout->service = self;
      breakout->class_id = class_id;
      g_hash_table_insert (self->breakouts, g_memdup2 (&class_id, sizeof class_id), breakout);
    }
  g_clear_handle_id (&breakout->timer, g_source_remove);
  g_free (breakout->class_audio);
  breakout->class_audio = g_strdup (json_object_get_string_member_with_default (body, "class_audio",
                                                                                COHORT_VOICE_CLASS_AUDIO_PAUSE));
  breakout->ends_at = g_get_real_time () / 1000 + minutes * 60 * 1000;
  breakout->timer = g_timeout_add_seconds (minutes * 60, on_breakout_timeout, breakout);

  if (!cohort_request_begin (req, error) || !breakout_started_tx (self, cohort_request_get_pending (req),
                                                                  breakout, error))
    {
      g_hash_table_remove (self->breakouts, &class_id);
      return FALSE;
    }
  reply = json_object_new ();
  json_object_set_int_member (reply, "ends_at", breakout->ends_at);
  cohort_request_finish (req, reply);
  return TRUE;
}

static gboolean
handle_breakout_end (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortVoiceService *self = COHORT_VOICE_SERVICE (service);
  gint64 class_id = cohort_connection_get_class_id (cohort_request_get_connection (req));
  Breakout *breakout;

  if (!cohort_request_require_teacher (req, _("Only the teacher can end breakout rooms.")))
    return TRUE;

  breakout = g_hash_table_lookup (self->breakouts, &class_id);
  if (!cohort_request_begin (req, error))
    return FALSE;
  /* Ending what is not running succeeds: the goal is reached. */
  if (breakout != NULL)
    {
      if (!breakout_ended_tx (self, cohort_request_get_pending (req), breakout, error))
        return FALSE;
      g_hash_table_remove (self->breakouts, &class_id);
    }
  cohort_request_finish (req, json_object_new ());
  return TRUE;
}

/* Server hooks */

static void
cohort_voice_service_barrier (CohortService *service,
                              const char    *type)
{
  CohortVoiceService *self = COHORT_VOICE_SERVICE (service);

  /* The barrier runs before every request: a groups request may move a
   * member out of a group, checked once it has been applied. */
  if (type != NULL && g_str_has_prefix (type, "groups.") &&
      g_hash_table_size (self->members) > 0 && self->sweep_source == 0)
    self->sweep_source = g_idle_add_full (G_PRIORITY_HIGH, sweep_members, self, NULL);
}

static void
cohort_voice_service_welcome (CohortService    *service,
                              CohortConnection *conn,
                              JsonObject       *body)
{
  json_object_set_object_member (body, "voice",
                                 voice_state_json (COHORT_VOICE_SERVICE (service), conn));
}

static void
cohort_voice_service_connection_left (CohortService    *service,
                                      CohortConnection *conn)
{
  CohortVoiceService *self = COHORT_VOICE_SERVICE (service);
  Member *member = g_hash_table_lookup (self->members, conn);

  g_hash_table_remove (self->watchers, conn);
  if (member != NULL)
    member_remove (self, member, COHORT_VOICE_LEFT_GONE, TRUE);
}

static void
cohort_voice_service_dispose (GObject *object)
{
  CohortVoiceService *self = COHORT_VOICE_SERVICE (object);

  g_clear_handle_id (&self->sweep_source, g_source_remove);
  if (self->breakouts != NULL)
    g_hash_table_remove_all (self->breakouts);
  if (self->watchers != NULL)
    g_hash_table_remove_all (self->watchers);
  /* The server may finalize the media service first: the handler goes
   * with either object (g_signal_connect_object), the pointer with it. */
  if (self->media != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->media), (gpointer *) &self->media);
  self->media = NULL;
  while (!g_queue_is_empty (&self->waiters))
    join_free (g_queue_pop_head (&self->waiters));
  g_clear_object (&self->admin);
  g_clear_object (&self->janus);

  G_OBJECT_CLASS (cohort_voice_service_parent_class)->dispose (object);
}

static void
cohort_voice_service_finalize (GObject *object)
{
  CohortVoiceService *self = COHORT_VOICE_SERVICE (object);

  g_clear_pointer (&self->members, g_hash_table_unref);
  g_clear_pointer (&self->rooms, g_hash_table_unref);
  g_clear_pointer (&self->breakouts, g_hash_table_unref);
  g_clear_pointer (&self->watchers, g_hash_table_unref);

  G_OBJECT_CLASS (cohort_voice_service_parent_class)->finalize (object);
}

static void
cohort_voice_service_class_init (CohortVoiceServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CohortServiceClass *service_class = COHORT_SERVICE_CLASS (klass);

  object_class->dispose = cohort_voice_service_dispose;
  object_class->finalize = cohort_voice_service_finalize;
  service_class->welcome = cohort_voice_service_welcome;
  service_class->connection_left = cohort_voice_service_connection_left;
  service_class->barrier = cohort_voice_service_barrier;
}

static void
cohort_voice_service_init (CohortVoiceService *self)
{
  /* Room ids unique to this server run, apart from the video rooms'
   * (those use the bits above 24; group ids stay far below). */
  self->room_base = ((gint64) g_random_int_range (1, 1 << 20) << 24) + (1 << 23);
  self->last_pc_id = g_get_real_time () / 1000;
  self->rooms = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) room_free);
  self->members = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                         (GDestroyNotify) member_free);
  self->breakouts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                           (GDestroyNotify) breakout_free);
  self->watchers = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, g_free);
}

CohortVoiceService *
cohort_voice_service_new (CohortServer       *server,
                          CohortMediaService *media)
{
  CohortVoiceService *self = g_object_new (COHORT_TYPE_VOICE_SERVICE, "server", server, NULL);

  self->server = server;
  self->store = _cohort_server_get_store (server);
  self->media = media;
  g_object_add_weak_pointer (G_OBJECT (media), (gpointer *) &self->media);
  g_signal_connect_object (media, "janus-changed", G_CALLBACK (on_janus_changed), self, 0);

  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_VOICE_JOIN, handle_join);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_VOICE_TRICKLE, handle_trickle);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_VOICE_LEAVE, handle_leave);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_VOICE_MUTE, handle_mute);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_VOICE_STATE, handle_state);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_VOICE_WATCH, handle_watch);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_VOICE_BREAKOUT, handle_breakout);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_VOICE_BREAKOUT_END, handle_breakout_end);

  return self;
}

void
cohort_voice_service_set_members_func (CohortVoiceService     *self,
                                       CohortVoiceMembersFunc  func,
                                       gpointer                user_data)
{
  g_return_if_fail (COHORT_IS_VOICE_SERVICE (self));

  self->members_func = func;
  self->members_data = user_data;
}

/* cohort-media-service.c: live media through Janus VideoRoom
 *
 * The client never talks to Janus. It asks this service to publish or to
 * subscribe; the service checks the role, drives Janus on the client's
 * behalf over one Janus session, and answers with the SDP Janus produced.
 * One VideoRoom per class. Stage membership and the feeds live in the
 * store; Janus handles live in memory, per connection, and go away with it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-media"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cohort-janus-client.h"
#include "cohort-janus-launcher.h"
#include "cohort-media-protocol.h"
#include "cohort-media-service.h"
#include "cohort-server-private.h"

#define VIDEOROOM              "janus.plugin.videoroom"
#define DEFAULT_BITRATE_CAP    2500000
#define RECONNECT_DELAY_MS     500
#define STAGE_INVITED          "invited"
#define STAGE_ON_STAGE         "on_stage"

typedef enum
{
  MEDIA_MODE_EMBEDDED,
  MEDIA_MODE_EXTERNAL,
  MEDIA_MODE_OFF,
} MediaMode;


typedef struct _Op Op;
typedef struct _Peer Peer;
typedef struct _Pc Pc;
typedef struct _Room Room;

struct _CohortMediaService
{
  CohortService        parent_instance;

  CohortServer        *server;   /* unowned: the server owns us */
  CohortStore         *store;

  MediaMode            mode;
  char                *url;
  char                *api_secret;
  char                *admin_key;
  char                *ice_enforce_list;
  char                *janus_binary;
  gboolean             janus_admin_api;
  guint                stage_limit;
  guint                bitrate_cap;
  gint64               room_base;

  CohortJanusLauncher *launcher;
  CohortJanusClient   *janus;
  CohortJanusHandle   *admin;     /* creates and destroys rooms */
  gboolean             ready;
  gboolean             connecting;
  /* Another service (voice) keeps a Janus session wanted without ops. */
  gboolean             janus_wanted;
  guint                reconnect_source;
  GQueue               janus_waiters;   /* Op */

  GHashTable          *rooms;     /* gint64 *class_id → Room */
  GHashTable          *peers;     /* CohortConnection → Peer */
  GHashTable          *pcs;       /* gint64 *pc_id → Pc (owned by its peer) */
  gint64               last_pc_id;
  /* media.quality: what the teacher was last told of each student's
   * link, when it is not good (gint64 *participant_id → Link). Per
   * participant, not per connection: a student who reconnects must be
   * able to say "good" again. */
  GHashTable          *links;
  /* The students the teacher keeps muted (keep_muted) are in the store
   * (cohort_store_media_keep_muted): per student, not per publication, so
   * that a client that unpublishes and publishes again to get its sound
   * back is muted again at Janus, and a reconnect or a restarted server
   * changes nothing. */
};

typedef struct
{
  gint64      class_id;
  const char *level;   /* COHORT_MEDIA_QUALITY_FAIR or _POOR */
} Link;

G_DEFINE_FINAL_TYPE (CohortMediaService, cohort_media_service, COHORT_TYPE_SERVICE)

enum { SIG_JANUS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

struct _Room
{
  gint64    class_id;
  char     *secret;
  gboolean  ready;
  gboolean  creating;
  GQueue    waiters;   /* Op */
};

struct _Peer
{
  CohortMediaService *service;
  CohortConnection   *conn;
  gint64              class_id;
  gint64              participant_id;
  gboolean            is_teacher;

  /* A publisher handle that never sends: room events and the private_id
   * that require_pvtid asks of every subscription. */
  CohortJanusHandle  *watch;
  gint64              private_id;
  gboolean            watch_joining;
  GQueue              watch_waiters;   /* Op */

  GHashTable         *pcs;       /* gint64 *pc_id → Pc */
  /* media.quality: the last level this connection reported (a
   * COHORT_MEDIA_QUALITY_* constant), NULL before its first. */
  const char         *quality;
};

struct _Pc
{
  gint64             pc_id;
  Peer              *peer;
  gboolean           publisher;
  char              *kind;      /* publisher: camera or screen */
  gint64             feed_id;   /* publisher: its feed; subscriber: the feed it receives */
  char              *request_id;
  CohortJanusHandle *handle;
  /* Publisher: Janus said "webrtcup". Until then Janus refuses
   * subscriptions to its feed ("No such feed"), so they wait here. */
  gboolean           up;
  GQueue             up_waiters;   /* Op */
  /* Publisher: the mids of its m-lines in Janus's answer; a camera may
   * send several video layers, best first (media.layer). */
  GStrv              audio_mids;
  GStrv              video_mids;
  /* Publisher: the teacher muted its sound at Janus (media.mute_all,
   * media.mute_student); whether the student may lift that with
   * media.mute is is_kept_muted's. */
  gboolean           moderated;
  /* Subscriber: the mid of its one video m-line, and what it gets. */
  char              *sub_video_mid;
  guint              layer;
};

typedef void (*OpFunc) (Op *op);

struct _Op
{
  CohortMediaService *service;
  /* deferred: answered once Janus has */
  CohortRequest      *req;
  CohortConnection   *conn;
  CohortMessage      *request;
  gint64              class_id;
  gboolean            needs_watch;
  OpFunc              ready;
  /* What the op made so far */
  gint64              pc_id;
  gint64              feed_id;
  CohortJanusHandle  *handle;
};

static void op_continue     (Op *op);
static void op_fail         (Op *op, CohortErrorCode code, const char *field, const char *message);
static void ensure_janus    (CohortMediaService *self);
static void pc_teardown     (CohortMediaService *self, Pc *pc, GPtrArray *pending, gboolean tell_janus);
static gboolean is_kept_muted (CohortMediaService *self, gint64 class_id, gint64 participant_id,
                               gint64 *out_by);
static gboolean emit_muted_by_teacher (CohortMediaService *self, GPtrArray *pending, gint64 class_id,
                                       gint64 participant_id, gint64 by, gboolean keep,
                                       GError **error);
static gboolean emit_stage_event (CohortMediaService *self, GPtrArray *pending, gint64 class_id,
                                  const char *name, gint64 participant_id, gint64 by,
                                  GError **error);
typedef struct _MuteAllOp MuteAllOp;
static void moderate_audio (CohortMediaService *self, Pc *pc, gboolean mute, MuteAllOp *mop);

static CohortMediaService *
get_service (CohortServer *server)
{
  return COHORT_MEDIA_SERVICE (_cohort_server_get_service (server, COHORT_TYPE_MEDIA_SERVICE));
}

/* Ops */

static Op *
op_new (CohortMediaService *self,
        CohortRequest      *req,
        OpFunc              ready)
{
  Op *op = g_new0 (Op, 1);

  op->service = g_object_ref (self);
  op->req = cohort_request_defer (req);
  op->conn = g_object_ref (cohort_request_get_connection (req));
  op->request = cohort_message_ref (cohort_request_get_message (req));
  op->class_id = cohort_connection_get_class_id (op->conn);
  op->ready = ready;

  return op;
}

static void
op_free (Op *op)
{
  if (op->handle != NULL)
    {
      /* Made for a request that did not finish: give it back. */
      g_signal_handlers_disconnect_by_data (op->handle, op->service);
      cohort_janus_handle_detach (op->handle);
      g_clear_object (&op->handle);
    }
  g_clear_object (&op->service);
  g_clear_object (&op->req);
  g_clear_object (&op->conn);
  g_clear_pointer (&op->request, cohort_message_unref);
  g_free (op);
}

static Peer *
op_peer (Op *op)
{
  return g_hash_table_lookup (op->service->peers, op->conn);
}

/* Sends @message as the reply to the op's request and remembers it, so a
 * repeated request id gets the same answer on this connection. */
static void
op_reply (Op            *op,
          CohortMessage *message)
{
  cohort_request_reply_volatile (op->req, message);
}

static void
op_fail (Op              *op,
         CohortErrorCode  code,
         const char      *field,
         const char      *message)
{
  g_autoptr(CohortMessage) reply = NULL;

  reply = cohort_message_new_error (cohort_message_get_id (op->request), code,
                                    code == COHORT_ERROR_INVALID ? COHORT_INVALID_OUT_OF_RANGE
                                                                 : COHORT_INVALID_NONE,
                                    field, message);
  op_reply (op, reply);
  op_free (op);
}

static void
op_fail_unavailable (Op *op)
{
  op_fail (op, COHORT_ERROR_INTERNAL, NULL,
           _("Live video is restarting on the class server. Try again in a moment."));
}

/* Janus errors on a request that carried the client's SDP mean Janus
 * refused it; anything else means Janus went away. */
static void
op_fail_janus (Op           *op,
               const GError *error,
               gboolean      carried_sdp)
{
  g_autofree char *message = NULL;

  if (error->domain == COHORT_JANUS_ERROR && error->code != COHORT_JANUS_ERROR_CLOSED &&
      error->code != COHORT_JANUS_ERROR_PROTOCOL && carried_sdp)
    {
      message = g_strdup_printf (_("The media server refused this video session: %s"),
                                 error->message);
      op_fail (op, COHORT_ERROR_INVALID, "sdp", message);
      return;
    }

  g_message ("Janus request failed: %s", error->message);
  op_fail_unavailable (op);
}

/* Rooms */

static void
room_free (Room *room)
{
  g_assert (g_queue_is_empty (&room->waiters));
  g_free (room->secret);
  g_free (room);
}

static gint64
room_id (CohortMediaService *self,
         gint64              class_id)
{
  return self->room_base + class_id;
}

static void
room_created_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CohortMediaService) self = user_data;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  Room *room;

  data = cohort_janus_handle_send_message_finish (COHORT_JANUS_HANDLE (source), result, NULL, &error);

  /* Which room: the one being created with waiters. Rooms are created one
   * at a time per class; look up by the reply's room id. */
  g_hash_table_iter_init (&iter, self->rooms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &room))
    {
      gint64 id = data != NULL ? json_object_get_int_member_with_default (data, "room", 0) : 0;

      if (!room->creating)
        continue;
      if (data != NULL && id != room_id (self, room->class_id))
        continue;

      room->creating = FALSE;
      room->ready = (data != NULL);
      if (error != NULL)
        g_warning ("Could not create the video room of class %" G_GINT64_FORMAT ": %s",
                   room->class_id, error->message);

      while (!g_queue_is_empty (&room->waiters))
        {
          Op *op = g_queue_pop_head (&room->waiters);

          if (room->ready)
            op_continue (op);
          else
            op_fail_unavailable (op);
        }

      if (data != NULL)
        break;
    }
}

static void
room_create (CohortMediaService *self,
             Room               *room)
{
  g_autoptr(JsonObject) body = json_object_new ();

  room->creating = TRUE;
  g_free (room->secret);
  room->secret = g_uuid_string_random ();

  json_object_set_string_member (body, "request", "create");
  json_object_set_int_member (body, "room", room_id (self, room->class_id));
  if (self->admin_key != NULL)
    json_object_set_string_member (body, "admin_key", self->admin_key);
  json_object_set_string_member (body, "secret", room->secret);
  json_object_set_string_member (body, "description", "cohort");
  json_object_set_boolean_member (body, "is_private", TRUE);
  json_object_set_boolean_member (body, "permanent", FALSE);
  json_object_set_boolean_member (body, "require_pvtid", TRUE);
  /* Teacher's camera and screen plus every student on stage. */
  json_object_set_int_member (body, "publishers", self->stage_limit + 2);
  json_object_set_string_member (body, "audiocodec", "opus");
  json_object_set_string_member (body, "videocodec", "vp8,h264");
  json_object_set_string_member (body, "h264_profile", "42e01f");
  json_object_set_boolean_member (body, "opus_fec", TRUE);
  json_object_set_int_member (body, "bitrate", self->bitrate_cap);
  json_object_set_boolean_member (body, "bitrate_cap", TRUE);
  json_object_set_int_member (body, "fir_freq", 10);
  json_object_set_boolean_member (body, "transport_wide_cc_ext", TRUE);

  cohort_janus_handle_send_message_async (self->admin, body, NULL, NULL, NULL,
                                          room_created_cb, g_object_ref (self));
}

/* Watch handles */

static void
watch_joined_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CohortConnection) conn = user_data;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;
  CohortJanusHandle *handle = COHORT_JANUS_HANDLE (source);
  CohortMediaService *self;
  Peer *peer;

  data = cohort_janus_handle_send_message_finish (handle, result, NULL, &error);

  self = g_object_get_data (G_OBJECT (handle), "cohort-media-service");
  peer = self != NULL ? g_hash_table_lookup (self->peers, conn) : NULL;
  if (peer == NULL || peer->watch != handle)
    return;

  peer->watch_joining = FALSE;
  if (data != NULL)
    peer->private_id = json_object_get_int_member_with_default (data, "private_id", 0);
  if (data == NULL || peer->private_id == 0)
    {
      g_warning ("Could not join participant %" G_GINT64_FORMAT " to the video room: %s",
                 peer->participant_id, error != NULL ? error->message : "no private_id");
      cohort_janus_handle_detach (peer->watch);
      g_clear_object (&peer->watch);
    }

  while (!g_queue_is_empty (&peer->watch_waiters))
    {
      Op *op = g_queue_pop_head (&peer->watch_waiters);

      if (peer->watch != NULL)
        op_continue (op);
      else
        op_fail_unavailable (op);
    }
}

static void
watch_attached_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CohortConnection) conn = user_data;
  g_autoptr(CohortJanusHandle) handle = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  CohortMediaService *self = g_object_get_data (G_OBJECT (source), "cohort-media-service");
  g_autofree char *display = NULL;
  Peer *peer;

  handle = cohort_janus_client_attach_finish (COHORT_JANUS_CLIENT (source), result, &error);
  peer = self != NULL ? g_hash_table_lookup (self->peers, conn) : NULL;

  if (peer == NULL || handle == NULL)
    {
      if (handle != NULL)
        cohort_janus_handle_detach (handle);
      if (peer != NULL)
        {
          peer->watch_joining = FALSE;
          while (!g_queue_is_empty (&peer->watch_waiters))
            op_fail_unavailable (g_queue_pop_head (&peer->watch_waiters));
        }
      return;
    }

  g_object_set_data (G_OBJECT (handle), "cohort-media-service", self);
  peer->watch = g_object_ref (handle);

  display = g_strdup_printf ("watch-%" G_GINT64_FORMAT, peer->participant_id);
  body = json_object_new ();
  json_object_set_string_member (body, "request", "join");
  json_object_set_string_member (body, "ptype", "publisher");
  json_object_set_int_member (body, "room", room_id (self, peer->class_id));
  json_object_set_string_member (body, "display", display);
  cohort_janus_handle_send_message_async (handle, body, NULL, NULL, NULL,
                                          watch_joined_cb, g_object_ref (conn));
}

/* The op state machine: Janus connected → the class's room exists → (for
 * subscriptions) the participant's watch handle has joined → op->ready. */
static void
op_continue (Op *op)
{
  CohortMediaService *self = op->service;
  Room *room;
  Peer *peer;

  if (self->mode == MEDIA_MODE_OFF)
    {
      op_fail (op, COHORT_ERROR_FORBIDDEN, NULL, _("Live video is switched off on this class server."));
      return;
    }

  peer = op_peer (op);
  if (peer == NULL)
    {
      /* The connection left while we waited; nobody to answer. */
      op_free (op);
      return;
    }

  if (!self->ready)
    {
      g_queue_push_tail (&self->janus_waiters, op);
      ensure_janus (self);
      return;
    }

  room = g_hash_table_lookup (self->rooms, &op->class_id);
  if (room == NULL)
    {
      room = g_new0 (Room, 1);
      room->class_id = op->class_id;
      g_hash_table_insert (self->rooms, g_memdup2 (&op->class_id, sizeof (gint64)), room);
    }
  if (!room->ready)
    {
      g_queue_push_tail (&room->waiters, op);
      if (!room->creating)
        room_create (self, room);
      return;
    }

  if (op->needs_watch && (peer->watch == NULL || peer->private_id == 0))
    {
      g_queue_push_tail (&peer->watch_waiters, op);
      if (!peer->watch_joining)
        {
          peer->watch_joining = TRUE;
          g_object_set_data (G_OBJECT (self->janus), "cohort-media-service", self);
          cohort_janus_client_attach_async (self->janus, VIDEOROOM, NULL, watch_attached_cb,
                                            g_object_ref (peer->conn));
        }
      return;
    }

  op->ready (op);
}

/* Peers and pcs */

static void
pc_free (Pc *pc)
{
  g_assert (g_queue_is_empty (&pc->up_waiters));
  if (pc->handle != NULL)
    g_signal_handlers_disconnect_matched (pc->handle, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, pc);
  g_clear_object (&pc->handle);
  g_free (pc->kind);
  g_free (pc->request_id);
  g_strfreev (pc->audio_mids);
  g_strfreev (pc->video_mids);
  g_free (pc->sub_video_mid);
  g_free (pc);
}

static Peer *
peer_ensure (CohortMediaService *self,
             CohortConnection   *conn)
{
  Peer *peer = g_hash_table_lookup (self->peers, conn);

  if (peer != NULL)
    return peer;

  peer = g_new0 (Peer, 1);
  peer->service = self;
  peer->conn = g_object_ref (conn);
  peer->class_id = cohort_connection_get_class_id (conn);
  peer->participant_id = cohort_connection_get_participant_id (conn);
  peer->is_teacher = cohort_connection_is_teacher (conn);
  peer->pcs = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_hash_table_insert (self->peers, conn, peer);

  return peer;
}

static void
peer_free (Peer *peer)
{
  g_assert (g_hash_table_size (peer->pcs) == 0);
  while (!g_queue_is_empty (&peer->watch_waiters))
    op_free (g_queue_pop_head (&peer->watch_waiters));
  g_clear_object (&peer->watch);
  g_clear_pointer (&peer->pcs, g_hash_table_unref);
  g_clear_object (&peer->conn);
  g_free (peer);
}

static Pc *
pc_add (CohortMediaService *self,
        Peer               *peer,
        gboolean            publisher,
        const char         *kind,
        gint64              feed_id,
        const char         *request_id,
        CohortJanusHandle  *handle)
{
  Pc *pc = g_new0 (Pc, 1);

  pc->pc_id = ++self->last_pc_id;
  pc->peer = peer;
  pc->publisher = publisher;
  pc->kind = g_strdup (kind);
  pc->feed_id = feed_id;
  pc->request_id = g_strdup (request_id);
  pc->handle = g_object_ref (handle);
  g_hash_table_insert (peer->pcs, &pc->pc_id, pc);
  g_hash_table_insert (self->pcs, &pc->pc_id, pc);

  return pc;
}

static Pc *
lookup_pc (CohortMediaService *self,
           CohortConnection   *conn,
           JsonObject         *body)
{
  gint64 pc_id = json_object_get_int_member_with_default (body, "pc_id", 0);
  Pc *pc = g_hash_table_lookup (self->pcs, &pc_id);

  if (pc == NULL || pc->peer->conn != conn)
    return NULL;

  return pc;
}

/* The publication of @feed_id, or NULL. */
static Pc *
lookup_publisher (CohortMediaService *self,
                  gint64              feed_id)
{
  GHashTableIter iter;
  Pc *pc;

  g_hash_table_iter_init (&iter, self->pcs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &pc))
    if (pc->publisher && pc->feed_id == feed_id)
      return pc;

  return NULL;
}

/* The a=mid of each m=@media line of @sdp that is not disabled (port 0),
 * in order. Janus's answers and offers are well formed; anything else
 * yields fewer mids, never a crash. */
static GStrv
sdp_mids (const char *sdp,
          const char *media)
{
  g_auto(GStrv) lines = g_strsplit (sdp != NULL ? sdp : "", "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *prefix = g_strdup_printf ("m=%s ", media);
  gboolean in_media = FALSE;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (g_str_has_prefix (lines[i], "m="))
        in_media = g_str_has_prefix (lines[i], prefix) &&
                   !g_str_has_prefix (lines[i] + strlen (prefix), "0 ");
      else if (in_media && g_str_has_prefix (lines[i], "a=mid:") && lines[i][6] != '\0')
        {
          g_strv_builder_add (builder, lines[i] + 6);
          in_media = FALSE;
        }
    }

  return g_strv_builder_end (builder);
}

static JsonObject *
feed_to_json (const CohortMediaFeedRecord *feed)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "feed_id", feed->feed_id);
  json_object_set_int_member (object, "participant_id", feed->participant_id);
  json_object_set_string_member (object, "kind", feed->kind);
  json_object_set_boolean_member (object, "audio", feed->audio);
  json_object_set_boolean_member (object, "video", feed->video);
  json_object_set_boolean_member (object, "audio_muted", feed->audio_muted);
  json_object_set_boolean_member (object, "video_muted", feed->video_muted);

  return object;
}

/* Inside the caller's transaction: drops the feed and queues its event. */
static gboolean
remove_feed (CohortMediaService  *self,
             GPtrArray           *pending,
             gint64               class_id,
             gint64               feed_id,
             gint64               participant_id,
             const char          *kind,
             GError             **error)
{
  JsonObject *body;

  if (!cohort_store_media_remove_feed (self->store, feed_id, error))
    return FALSE;

  body = json_object_new ();
  json_object_set_int_member (body, "feed_id", feed_id);
  json_object_set_int_member (body, "participant_id", participant_id);
  json_object_set_string_member (body, "kind", kind);
  return _cohort_server_emit_event (self->server, pending, class_id,
                                    COHORT_EV_MEDIA_FEED_REMOVED, body, error);
}

static void
left_then_detach_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CohortJanusHandle *handle = COHORT_JANUS_HANDLE (source);
  g_autoptr(JsonObject) data = NULL;

  /* Janus runs one session's requests on a pool: a detach sent right after
   * leave can overtake it, so chain them. */
  data = cohort_janus_handle_send_message_finish (handle, result, NULL, NULL);
  cohort_janus_handle_detach (handle);
}

static void
janus_leave (CohortJanusHandle *handle,
             const char        *request)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_string_member (body, "request", request);
  cohort_janus_handle_send_message_async (handle, body, NULL, NULL, NULL,
                                          left_then_detach_cb, NULL);
}

/* Forgets @pc; a publisher's feed is removed inside the caller's
 * transaction (events queued on @pending). */
static void
pc_teardown (CohortMediaService *self,
             Pc                 *pc,
             GPtrArray          *pending,
             gboolean            tell_janus)
{
  g_autoptr(GError) error = NULL;

  g_hash_table_remove (self->pcs, &pc->pc_id);
  g_hash_table_remove (pc->peer->pcs, &pc->pc_id);

  /* Subscriptions waiting for this feed to come up: it never will. */
  while (!g_queue_is_empty (&pc->up_waiters))
    op_fail (g_queue_pop_head (&pc->up_waiters), COHORT_ERROR_NOT_FOUND, "feed_id",
             _("This video is no longer shared."));

  if (pc->publisher &&
      !remove_feed (self, pending, pc->peer->class_id, pc->feed_id, pc->peer->participant_id,
                    pc->kind, &error))
    g_warning ("Could not record the end of feed %" G_GINT64_FORMAT ": %s",
               pc->feed_id, error->message);

  if (tell_janus && pc->handle != NULL)
    {
      g_signal_handlers_disconnect_matched (pc->handle, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, pc);
      janus_leave (pc->handle, pc->publisher ? "unpublish" : "leave");
    }

  pc_free (pc);
}

/* Runs @func inside one transaction and broadcasts what it queued. */
typedef gboolean (*TxFunc) (CohortMediaService *self, GPtrArray *pending, gpointer data,
                            GError **error);

static void
in_transaction (CohortMediaService *self,
                TxFunc              func,
                gpointer            data)
{
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(GError) error = NULL;

  if (!cohort_store_begin (self->store, &error) ||
      !func (self, pending, data, &error) ||
      !cohort_store_commit (self->store, &error))
    {
      g_warning ("Could not record a media change: %s", error ? error->message : "unknown");
      cohort_store_rollback (self->store);
      return;
    }

  _cohort_server_broadcast (self->server, pending);
}

static gboolean
teardown_one_tx (CohortMediaService  *self,
                 GPtrArray           *pending,
                 gpointer             data,
                 GError             **error)
{
  pc_teardown (self, data, pending, TRUE);
  return TRUE;
}

static void
send_signal (Pc         *pc,
             const char *signal,
             const char *reason)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) message = NULL;

  if (!cohort_connection_is_open (pc->peer->conn))
    return;

  json_object_set_string_member (body, "signal", signal);
  json_object_set_int_member (body, "pc_id", pc->pc_id);
  json_object_set_string_member (body, "reason", reason != NULL ? reason : "");
  message = cohort_message_new_progress (pc->request_id, body);
  _cohort_server_send_message (pc->peer->conn, message);
}

/* Janus hung up a PeerConnection (ICE failed, DTLS alert, …): tell the
 * client, which starts over, and forget it. */
static void
on_pc_hangup (CohortJanusHandle *handle,
              const char        *reason,
              Pc                *pc)
{
  CohortMediaService *self = pc->peer->service;

  g_message ("Janus hung up pc %" G_GINT64_FORMAT ": %s", pc->pc_id, reason);
  send_signal (pc, COHORT_SIGNAL_MEDIA_HANGUP, reason);
  in_transaction (self, teardown_one_tx, pc);
}

/* The publisher's PeerConnection is up: Janus now accepts subscribers. */
static void
on_publisher_up (CohortJanusHandle *handle,
                 Pc                *pc)
{
  pc->up = TRUE;
  while (!g_queue_is_empty (&pc->up_waiters))
    op_continue (g_queue_pop_head (&pc->up_waiters));
}

/* Janus going away (crash, restart, external instance lost). */

static gboolean
reset_tx (CohortMediaService  *self,
          GPtrArray           *pending,
          gpointer             data,
          GError             **error)
{
  GPtrArray *pcs = data;

  for (guint i = 0; i < pcs->len; i++)
    pc_teardown (self, g_ptr_array_index (pcs, i), pending, FALSE);

  return TRUE;
}

static void
janus_lost (CohortMediaService *self)
{
  g_autoptr(GPtrArray) pcs = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  Room *room;
  Peer *peer;

  if (!self->ready && self->janus == NULL)
    return;

  g_message ("Lost the Janus session; every feed ends and clients start over");
  self->ready = FALSE;
  self->connecting = FALSE;
  if (self->janus != NULL)
    g_signal_handlers_disconnect_by_data (self->janus, self);
  g_clear_object (&self->admin);
  g_clear_object (&self->janus);

  g_hash_table_iter_init (&iter, self->pcs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (pcs, value);
  in_transaction (self, reset_tx, pcs);

  /* Everything that waited on the old instance waits for the new one. */
  g_hash_table_iter_init (&iter, self->rooms);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &room))
    while (!g_queue_is_empty (&room->waiters))
      g_queue_push_tail (&self->janus_waiters, g_queue_pop_head (&room->waiters));
  g_hash_table_remove_all (self->rooms);

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    {
      while (!g_queue_is_empty (&peer->watch_waiters))
        g_queue_push_tail (&self->janus_waiters, g_queue_pop_head (&peer->watch_waiters));
      g_clear_object (&peer->watch);
      peer->private_id = 0;
      peer->watch_joining = FALSE;
    }

  g_signal_emit (self, signals[SIG_JANUS_CHANGED], 0);

  if (!g_queue_is_empty (&self->janus_waiters) || self->janus_wanted)
    ensure_janus (self);
}

static void
on_janus_closed (CohortJanusClient  *client,
                 CohortMediaService *self)
{
  janus_lost (self);

  /* An external Janus: try again; an embedded one: its launcher's "ready"
   * reconnects us. */
  if (self->mode == MEDIA_MODE_EXTERNAL)
    ensure_janus (self);
}

static void
fail_janus_waiters (CohortMediaService *self)
{
  while (!g_queue_is_empty (&self->janus_waiters))
    op_fail_unavailable (g_queue_pop_head (&self->janus_waiters));
}

static void
admin_attached_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CohortMediaService) self = user_data;
  g_autoptr(CohortJanusHandle) handle = NULL;
  g_autoptr(GError) error = NULL;

  handle = cohort_janus_client_attach_finish (COHORT_JANUS_CLIENT (source), result, &error);
  if (COHORT_JANUS_CLIENT (source) != self->janus)
    return;

  self->connecting = FALSE;
  if (handle == NULL)
    {
      g_warning ("Could not attach to the Janus VideoRoom plugin: %s", error->message);
      g_clear_object (&self->janus);
      fail_janus_waiters (self);
      return;
    }

  self->admin = g_steal_pointer (&handle);
  self->ready = TRUE;
  g_debug ("Connected to Janus (session %" G_GUINT64_FORMAT ")",
           cohort_janus_client_get_session_id (self->janus));
  g_signal_emit (self, signals[SIG_JANUS_CHANGED], 0);

  while (self->ready && !g_queue_is_empty (&self->janus_waiters))
    op_continue (g_queue_pop_head (&self->janus_waiters));
}

static void
janus_connected_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(CohortMediaService) self = user_data;
  g_autoptr(GError) error = NULL;

  if (COHORT_JANUS_CLIENT (source) != self->janus)
    return;

  if (!cohort_janus_client_connect_finish (self->janus, result, &error))
    {
      g_warning ("Could not open a Janus session at %s: %s", self->url, error->message);
      g_signal_handlers_disconnect_by_data (self->janus, self);
      g_clear_object (&self->janus);
      self->connecting = FALSE;
      fail_janus_waiters (self);
      return;
    }

  g_signal_connect (self->janus, "closed", G_CALLBACK (on_janus_closed), self);
  cohort_janus_client_attach_async (self->janus, VIDEOROOM, NULL, admin_attached_cb,
                                    g_object_ref (self));
}

static void
janus_connect (CohortMediaService *self)
{
  g_assert (self->janus == NULL);

  self->connecting = TRUE;
  self->janus = cohort_janus_client_new (self->url, self->api_secret);
  cohort_janus_client_connect_async (self->janus, NULL, janus_connected_cb, g_object_ref (self));
}

static void
on_launcher_ready (CohortJanusLauncher *launcher,
                   CohortMediaService  *self)
{
  g_free (self->url);
  self->url = cohort_janus_launcher_dup_ws_uri (launcher);
  g_free (self->api_secret);
  self->api_secret = g_strdup (cohort_janus_launcher_get_api_secret (launcher));
  g_free (self->admin_key);
  self->admin_key = g_strdup (cohort_janus_launcher_get_admin_key (launcher));

  if (self->janus != NULL)
    janus_lost (self);
  if (self->janus == NULL)
    janus_connect (self);
}

static void
on_launcher_exited (CohortJanusLauncher *launcher,
                    int                  status,
                    gboolean             will_restart,
                    CohortMediaService  *self)
{
  janus_lost (self);
  if (!will_restart)
    fail_janus_waiters (self);
}

static void
launcher_started_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(CohortMediaService) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_janus_launcher_start_finish (COHORT_JANUS_LAUNCHER (source), result, &error))
    {
      g_warning ("Could not start Janus: %s", error->message);
      g_signal_handlers_disconnect_by_data (source, self);
      /* Ends a child that never opened its port, and removes the secrets. */
      cohort_janus_launcher_stop (COHORT_JANUS_LAUNCHER (source));
      g_clear_object (&self->launcher);
      self->connecting = FALSE;
      fail_janus_waiters (self);
    }
  /* On success the "ready" signal connects. */
}

static gboolean
on_reconnect_timeout (gpointer user_data)
{
  CohortMediaService *self = user_data;

  self->reconnect_source = 0;
  if (self->janus == NULL && (!g_queue_is_empty (&self->janus_waiters) || self->janus_wanted))
    janus_connect (self);
  return G_SOURCE_REMOVE;
}

static void
ensure_janus (CohortMediaService *self)
{
  if (self->ready || self->connecting)
    return;

  if (self->mode == MEDIA_MODE_EMBEDDED)
    {
      if (self->launcher == NULL)
        {
          self->connecting = TRUE;
          self->launcher = cohort_janus_launcher_new (self->ice_enforce_list, 0);
          if (self->janus_binary != NULL)
            g_object_set (self->launcher, "janus-binary", self->janus_binary, NULL);
          g_object_set (self->launcher, "admin-api", self->janus_admin_api, NULL);
          g_signal_connect (self->launcher, "ready", G_CALLBACK (on_launcher_ready), self);
          g_signal_connect (self->launcher, "exited", G_CALLBACK (on_launcher_exited), self);
          cohort_janus_launcher_start_async (self->launcher, NULL, launcher_started_cb,
                                             g_object_ref (self));
        }
      /* Otherwise the launcher is restarting Janus; "ready" will connect. */
      return;
    }

  if (self->mode == MEDIA_MODE_EXTERNAL && self->janus == NULL && self->reconnect_source == 0)
    self->reconnect_source = g_timeout_add (self->launcher == NULL && self->admin == NULL ? 0 :
                                            RECONNECT_DELAY_MS, on_reconnect_timeout, self);
}

/* Role checks */

static gboolean
stage_state (CohortMediaService  *self,
             gint64               class_id,
             gint64               participant_id,
             char               **out_state,
             guint               *out_on_stage,
             GError             **error)
{
  g_autoptr(GPtrArray) stage = cohort_store_media_list_stage (self->store, class_id, error);
  guint on_stage = 0;

  if (stage == NULL)
    return FALSE;

  if (out_state != NULL)
    *out_state = NULL;
  for (guint i = 0; i < stage->len; i++)
    {
      CohortMediaStageRecord *record = g_ptr_array_index (stage, i);

      if (g_str_equal (record->state, STAGE_ON_STAGE))
        on_stage++;
      if (record->participant_id == participant_id && out_state != NULL)
        *out_state = g_strdup (record->state);
    }
  if (out_on_stage != NULL)
    *out_on_stage = on_stage;

  return TRUE;
}

/* The teacher, or a student the teacher put on stage. */
static gboolean
may_publish (CohortMediaService *self,
             CohortConnection   *conn,
             GError            **error)
{
  g_autofree char *state = NULL;

  if (cohort_connection_is_teacher (conn))
    return TRUE;

  if (!stage_state (self, cohort_connection_get_class_id (conn),
                    cohort_connection_get_participant_id (conn), &state, NULL, error))
    return FALSE;

  return g_strcmp0 (state, STAGE_ON_STAGE) == 0;
}

/* Request bookkeeping: answers a repeated id on this connection from the
 * remembered reply; returns FALSE when the request needs no more work. */
static gboolean
begin_request (CohortMediaService *self,
               CohortRequest      *req)
{
  peer_ensure (self, cohort_request_get_connection (req));
  return cohort_request_begin_volatile (req);
}

static void
send_ok (CohortRequest *req,
         JsonObject    *body)
{
  g_autoptr(CohortMessage) reply = cohort_message_new_ok (cohort_request_get_id (req), body);

  cohort_request_reply_volatile (req, reply);
}

/* media.publish */

typedef struct
{
  Op      *op;
  Pc      *pc;
  JsonObject *reply;
  gboolean kept_muted;   /* the teacher keeps this student muted */
  gint64   kept_by;
} PublishTx;

static gboolean
publish_tx (CohortMediaService  *self,
            GPtrArray           *pending,
            gpointer             data,
            GError             **error)
{
  PublishTx *tx = data;
  JsonObject *body = cohort_message_get_body (tx->op->request);
  CohortMediaFeedRecord feed = { 0 };

  feed.feed_id = tx->pc->feed_id;
  feed.class_id = tx->pc->peer->class_id;
  feed.participant_id = tx->pc->peer->participant_id;
  feed.kind = tx->pc->kind;
  feed.audio = json_object_get_boolean_member_with_default (body, "audio", TRUE);
  feed.video = json_object_get_boolean_member_with_default (body, "video", TRUE);
  feed.audio_muted = json_object_get_boolean_member_with_default (body, "audio_muted", FALSE);
  feed.video_muted = json_object_get_boolean_member_with_default (body, "video_muted", FALSE);
  feed.audio_muted = feed.audio_muted || tx->kept_muted;

  if (!cohort_store_media_put_feed (self->store, &feed, error))
    return FALSE;

  if (!_cohort_server_emit_event (self->server, pending, feed.class_id,
                                  COHORT_EV_MEDIA_FEED_ADDED, feed_to_json (&feed), error))
    return FALSE;

  /* The client is told again, so that its microphone shows off. */
  return !tx->kept_muted ||
         emit_muted_by_teacher (self, pending, feed.class_id, feed.participant_id,
                                tx->kept_by, TRUE, error);
}

static void
published_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Op *op = user_data;
  CohortMediaService *self = op->service;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonObject) jsep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *reply_body;
  const char *sdp;
  PublishTx tx = { op, NULL, NULL, FALSE, 0 };
  Peer *peer;

  data = cohort_janus_handle_send_message_finish (COHORT_JANUS_HANDLE (source), result, &jsep, &error);
  if (data == NULL)
    {
      op_fail_janus (op, error, TRUE);
      return;
    }

  sdp = jsep != NULL ? json_object_get_string_member_with_default (jsep, "sdp", NULL) : NULL;
  if (sdp == NULL)
    {
      op_fail (op, COHORT_ERROR_INVALID, "sdp",
               _("The media server did not answer this video session."));
      return;
    }

  peer = op_peer (op);
  if (peer == NULL)
    {
      op_free (op);
      return;
    }

  /* The stage may have changed while Janus worked. */
  if (!may_publish (self, op->conn, &error))
    {
      if (error != NULL)
        {
          op_fail_unavailable (op);
          return;
        }
      op_fail (op, COHORT_ERROR_FORBIDDEN, NULL,
               _("Only the teacher and students on stage can share video."));
      return;
    }

  tx.pc = pc_add (self, peer, TRUE, json_object_get_string_member (cohort_message_get_body (op->request), "kind"),
                  op->feed_id, cohort_message_get_id (op->request), op->handle);
  g_signal_connect (tx.pc->handle, "hangup", G_CALLBACK (on_pc_hangup), tx.pc);
  g_signal_connect (tx.pc->handle, "webrtcup", G_CALLBACK (on_publisher_up), tx.pc);
  g_clear_object (&op->handle);
  tx.pc->audio_mids = sdp_mids (sdp, "audio");
  tx.pc->video_mids = sdp_mids (sdp, "video");

  /* A student the teacher keeps muted who publishes again is muted at
   * Janus before the PeerConnection is up, so no sound gets through. */
  if (!peer->is_teacher && tx.pc->audio_mids != NULL && tx.pc->audio_mids[0] != NULL &&
      is_kept_muted (self, peer->class_id, peer->participant_id, &tx.kept_by))
    {
      tx.kept_muted = TRUE;
      tx.pc->moderated = TRUE;
      moderate_audio (self, tx.pc, TRUE, NULL);
    }

  if (!cohort_store_begin (self->store, &error) ||
      !publish_tx (self, pending, &tx, &error))
    {
      cohort_store_rollback (self->store);
      in_transaction (self, teardown_one_tx, tx.pc);
      _cohort_server_send_internal (self->server, op->conn, cohort_message_get_id (op->request), error);
      op_free (op);
      return;
    }
  if (!cohort_store_commit (self->store, &error))
    {
      cohort_store_rollback (self->store);
      in_transaction (self, teardown_one_tx, tx.pc);
      op_fail_unavailable (op);
      return;
    }

  reply_body = json_object_new ();
  json_object_set_int_member (reply_body, "pc_id", tx.pc->pc_id);
  json_object_set_int_member (reply_body, "feed_id", tx.pc->feed_id);
  json_object_set_string_member (reply_body, "sdp", sdp);
  reply = cohort_message_new_ok (cohort_message_get_id (op->request), reply_body);
  json_object_unref (reply_body);
  op_reply (op, reply);
  _cohort_server_broadcast (self->server, pending);
  op_free (op);
}

static void
publish_attached_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Op *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  JsonObject *request_body = cohort_message_get_body (op->request);
  g_autofree char *display = NULL;
  Peer *peer;

  op->handle = cohort_janus_client_attach_finish (COHORT_JANUS_CLIENT (source), result, &error);
  if (op->handle == NULL)
    {
      op_fail_janus (op, error, FALSE);
      return;
    }

  peer = op_peer (op);
  if (peer == NULL)
    {
      op_free (op);
      return;
    }

  op->feed_id = _cohort_server_next_ts (op->service->server);
  display = g_strdup_printf ("%" G_GINT64_FORMAT ":%s", peer->participant_id,
                             json_object_get_string_member (request_body, "kind"));
  json_object_set_string_member (body, "request", "joinandconfigure");
  json_object_set_string_member (body, "ptype", "publisher");
  json_object_set_int_member (body, "room", room_id (op->service, op->class_id));
  json_object_set_int_member (body, "id", op->feed_id);
  json_object_set_string_member (body, "display", display);
  json_object_set_int_member (body, "bitrate", op->service->bitrate_cap);

  cohort_janus_handle_send_message_async (op->handle, body, "offer",
                                          json_object_get_string_member (request_body, "sdp"),
                                          NULL, published_cb, op);
}

static void
publish_ready (Op *op)
{
  cohort_janus_client_attach_async (op->service->janus, VIDEOROOM, NULL, publish_attached_cb, op);
}

static gboolean
replace_publisher_tx (CohortMediaService  *self,
                      GPtrArray           *pending,
                      gpointer             data,
                      GError             **error)
{
  GPtrArray *pcs = data;

  for (guint i = 0; i < pcs->len; i++)
    pc_teardown (self, g_ptr_array_index (pcs, i), pending, TRUE);

  return TRUE;
}

/* A participant has at most one feed per kind: a new publish (after a
 * reconnect, say) replaces the old one, from whichever connection. */
static void
replace_publishers (CohortMediaService *self,
                    gint64              participant_id,
                    const char         *kind)
{
  g_autoptr(GPtrArray) old = g_ptr_array_new ();
  GHashTableIter iter;
  Pc *pc;

  g_hash_table_iter_init (&iter, self->pcs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &pc))
    if (pc->publisher && pc->peer->participant_id == participant_id &&
        (kind == NULL || g_str_equal (pc->kind, kind)))
      g_ptr_array_add (old, pc);

  if (old->len > 0)
    in_transaction (self, replace_publisher_tx, old);
}

static gboolean
handle_publish (CohortService  *service,
                CohortRequest  *req,
                GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  JsonObject *body = cohort_request_get_body (req);

  if (self->mode == MEDIA_MODE_OFF)
    {
      cohort_request_forbidden (req,
                                _("Live video is switched off on this class server."));
      return TRUE;
    }

  if (!may_publish (self, conn, error))
    {
      if (*error != NULL)
        return FALSE;
      cohort_request_forbidden (req,
                                _("Only the teacher and students on stage can share video."));
      return TRUE;
    }

  if (!begin_request (self, req))
    return TRUE;

  replace_publishers (self, cohort_connection_get_participant_id (conn),
                      json_object_get_string_member (body, "kind"));
  op_continue (op_new (self, req, publish_ready));

  return TRUE;
}

/* media.subscribe */

static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Op *op = user_data;
  CohortMediaService *self = op->service;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonObject) jsep = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *reply_body;
  const char *sdp;
  Peer *peer;
  Pc *pc;

  data = cohort_janus_handle_send_message_finish (COHORT_JANUS_HANDLE (source), result, &jsep, &error);
  if (data == NULL)
    {
      /* The feed may have gone between the check and the join. */
      if (error->domain == COHORT_JANUS_ERROR && error->code != COHORT_JANUS_ERROR_CLOSED)
        {
          op_fail (op, COHORT_ERROR_NOT_FOUND, "feed_id", _("This video is no longer shared."));
          return;
        }
      op_fail_janus (op, error, FALSE);
      return;
    }

  sdp = jsep != NULL ? json_object_get_string_member_with_default (jsep, "sdp", NULL) : NULL;
  peer = op_peer (op);
  if (peer == NULL)
    {
      op_free (op);
      return;
    }
  if (sdp == NULL)
    {
      op_fail_unavailable (op);
      return;
    }

  pc = pc_add (self, peer, FALSE, NULL, op->feed_id, cohort_message_get_id (op->request), op->handle);
  g_signal_connect (pc->handle, "hangup", G_CALLBACK (on_pc_hangup), pc);
  g_clear_object (&op->handle);
  {
    g_auto(GStrv) mids = sdp_mids (sdp, "video");

    pc->sub_video_mid = g_strdup (mids[0]);
  }

  reply_body = json_object_new ();
  json_object_set_int_member (reply_body, "pc_id", pc->pc_id);
  json_object_set_int_member (reply_body, "feed_id", pc->feed_id);
  json_object_set_string_member (reply_body, "sdp", sdp);
  reply = cohort_message_new_ok (cohort_message_get_id (op->request), reply_body);
  json_object_unref (reply_body);
  op_reply (op, reply);
  op_free (op);
}

static void
subscribe_attached_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Op *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *streams;
  JsonObject *stream;
  Pc *publisher;
  Peer *peer;

  op->handle = cohort_janus_client_attach_finish (COHORT_JANUS_CLIENT (source), result, &error);
  if (op->handle == NULL)
    {
      op_fail_janus (op, error, FALSE);
      return;
    }

  peer = op_peer (op);
  if (peer == NULL)
    {
      op_free (op);
      return;
    }
  if (peer->private_id == 0)
    {
      op_fail_unavailable (op);
      return;
    }

  streams = json_array_new ();
  publisher = lookup_publisher (op->service, op->feed_id);
  if (publisher != NULL && publisher->video_mids != NULL &&
      g_strv_length (publisher->video_mids) > 1)
    {
      /* A feed with layers: its sound and its best picture; media.layer
       * moves the picture between the layers later. */
      for (guint i = 0; publisher->audio_mids[i] != NULL; i++)
        {
          stream = json_object_new ();
          json_object_set_int_member (stream, "feed", op->feed_id);
          json_object_set_string_member (stream, "mid", publisher->audio_mids[i]);
          json_array_add_object_element (streams, stream);
        }
      stream = json_object_new ();
      json_object_set_int_member (stream, "feed", op->feed_id);
      json_object_set_string_member (stream, "mid", publisher->video_mids[0]);
      json_array_add_object_element (streams, stream);
    }
  else
    {
      stream = json_object_new ();
      json_object_set_int_member (stream, "feed", op->feed_id);
      json_array_add_object_element (streams, stream);
    }

  json_object_set_string_member (body, "request", "join");
  json_object_set_string_member (body, "ptype", "subscriber");
  json_object_set_int_member (body, "room", room_id (op->service, op->class_id));
  json_object_set_array_member (body, "streams", streams);
  json_object_set_int_member (body, "private_id", peer->private_id);
  json_object_set_boolean_member (body, "autoupdate", FALSE);

  cohort_janus_handle_send_message_async (op->handle, body, NULL, NULL, NULL, subscribed_cb, op);
}

static void
subscribe_ready (Op *op)
{
  GHashTableIter iter;
  Pc *pc;

  /* The feed is announced when Janus answers the publisher, a moment
   * before its ICE and DTLS are done; a subscriber that comes that early
   * waits for them instead of getting "No such feed". */
  g_hash_table_iter_init (&iter, op->service->pcs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &pc))
    if (pc->publisher && pc->feed_id == op->feed_id && !pc->up)
      {
        g_queue_push_tail (&pc->up_waiters, op);
        return;
      }

  cohort_janus_client_attach_async (op->service->janus, VIDEOROOM, NULL, subscribe_attached_cb, op);
}

static CohortMediaFeedRecord *
find_feed (CohortMediaService  *self,
           gint64               class_id,
           gint64               feed_id,
           GError             **error)
{
  g_autoptr(GPtrArray) feeds = cohort_store_media_list_feeds (self->store, class_id, error);

  if (feeds == NULL)
    return NULL;

  for (guint i = 0; i < feeds->len; i++)
    {
      CohortMediaFeedRecord *feed = g_ptr_array_index (feeds, i);

      if (feed->feed_id == feed_id)
        return g_ptr_array_steal_index (feeds, i);
    }

  return NULL;
}

static gboolean
handle_subscribe (CohortService  *service,
                  CohortRequest  *req,
                  GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  g_autoptr(CohortMediaFeedRecord) feed = NULL;
  JsonObject *body = cohort_request_get_body (req);
  gint64 feed_id = json_object_get_int_member (body, "feed_id");
  Op *op;

  if (self->mode == MEDIA_MODE_OFF)
    {
      cohort_request_forbidden (req,
                                _("Live video is switched off on this class server."));
      return TRUE;
    }

  feed = find_feed (self, cohort_connection_get_class_id (conn), feed_id, error);
  if (*error != NULL)
    return FALSE;
  if (feed == NULL)
    {
      cohort_request_error (req, COHORT_ERROR_NOT_FOUND,
                            COHORT_INVALID_NONE, "feed_id",
                            _("This video is no longer shared."));
      return TRUE;
    }

  if (!begin_request (self, req))
    return TRUE;

  op = op_new (self, req, subscribe_ready);
  op->needs_watch = TRUE;
  op->feed_id = feed_id;
  op_continue (op);

  return TRUE;
}

/* media.answer */

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Op *op = user_data;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortMessage) reply = NULL;

  data = cohort_janus_handle_send_message_finish (COHORT_JANUS_HANDLE (source), result, NULL, &error);
  if (data == NULL)
    {
      op_fail_janus (op, error, TRUE);
      return;
    }

  reply = cohort_message_new_ok (cohort_message_get_id (op->request), NULL);
  op_reply (op, reply);
  op_free (op);
}

/* Answers that the peer connection a request names is gone. */
static void
reply_pc_gone (CohortRequest *req)
{
  cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "pc_id",
                        _("This video session has ended."));
}

static gboolean
handle_answer (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  JsonObject *body = cohort_request_get_body (req);
  g_autoptr(JsonObject) start = json_object_new ();
  Pc *pc = lookup_pc (self, conn, body);
  Op *op;

  if (pc == NULL || pc->publisher)
    {
      reply_pc_gone (req);
      return TRUE;
    }

  if (!begin_request (self, req))
    return TRUE;

  op = op_new (self, req, NULL);
  json_object_set_string_member (start, "request", "start");
  cohort_janus_handle_send_message_async (pc->handle, start, "answer",
                                          json_object_get_string_member (body, "sdp"),
                                          NULL, started_cb, op);

  return TRUE;
}

/* media.trickle */

static gboolean
handle_trickle (CohortService  *service,
                CohortRequest  *req,
                GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  JsonObject *body = cohort_request_get_body (req);
  Pc *pc = lookup_pc (self, conn, body);

  if (pc == NULL)
    {
      reply_pc_gone (req);
      return TRUE;
    }

  if (!begin_request (self, req))
    return TRUE;

  if (json_object_has_member (body, "candidates") &&
      !JSON_NODE_HOLDS_NULL (json_object_get_member (body, "candidates")))
    {
      JsonArray *candidates = json_object_get_array_member (body, "candidates");

      for (guint i = 0; i < json_array_get_length (candidates); i++)
        {
          JsonObject *candidate = json_array_get_object_element (candidates, i);

          cohort_janus_handle_trickle (pc->handle,
                                       json_object_get_int_member (candidate, "sdpMLineIndex"),
                                       json_object_get_string_member (candidate, "candidate"));
        }
    }

  if (json_object_get_boolean_member_with_default (body, "completed", FALSE))
    cohort_janus_handle_trickle_completed (pc->handle);

  send_ok (req, NULL);

  return TRUE;
}

/* media.unpublish and media.unsubscribe */

static gboolean
close_tx (CohortMediaService  *self,
          GPtrArray           *pending,
          gpointer             data,
          GError             **error)
{
  pc_teardown (self, data, pending, TRUE);
  return TRUE;
}

static gboolean
handle_close (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  JsonObject *body = cohort_request_get_body (req);
  gboolean publisher = g_str_equal (cohort_message_get_name (request), COHORT_REQ_MEDIA_UNPUBLISH);
  Pc *pc = lookup_pc (self, conn, body);

  if (!begin_request (self, req))
    return TRUE;

  /* Closing what is already closed succeeds: the goal is reached. */
  if (pc != NULL && pc->publisher == publisher)
    in_transaction (self, close_tx, pc);

  send_ok (req, NULL);

  return TRUE;
}

/* Inside the caller's transaction: tells the class what @feed now sends. */
static gboolean
emit_feed_updated (CohortMediaService           *self,
                   GPtrArray                    *pending,
                   const CohortMediaFeedRecord  *feed,
                   GError                      **error)
{
  JsonObject *event = json_object_new ();

  json_object_set_int_member (event, "feed_id", feed->feed_id);
  json_object_set_boolean_member (event, "audio_muted", feed->audio_muted);
  json_object_set_boolean_member (event, "video_muted", feed->video_muted);
  return _cohort_server_emit_event (self->server, pending, feed->class_id,
                                    COHORT_EV_MEDIA_FEED_UPDATED, event, error);
}

/* media.mute_all and media.mute_student: the teacher silences every
 * student's microphone, or one student's, at Janus (VideoRoom's
 * "moderate" drops the publisher's audio before it is forwarded), so a
 * client that ignores the event is silent all the same. */

struct _MuteAllOp
{
  Op     *op;
  GArray *pc_ids;    /* gint64: the publications being muted */
  guint   pending;   /* Janus replies still to come */
  gboolean keep_muted;
  gint64  target;    /* media.mute_student: the student; 0 for everyone */
};

static void moderated_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* Whether the teacher keeps @participant_id muted, and who (@out_by).
 * A store that cannot answer counts as "kept": a moderation that fails
 * open would let a silenced student be heard. */
static gboolean
is_kept_muted (CohortMediaService *self,
               gint64              class_id,
               gint64              participant_id,
               gint64             *out_by)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) kept = cohort_store_media_list_kept_muted (self->store, class_id, participant_id,
                                                               &error);

  if (kept == NULL)
    {
      g_warning ("Could not read who is kept muted: %s", error->message);
      if (out_by != NULL)
        *out_by = 0;
      return TRUE;
    }
  if (kept->len == 0)
    return FALSE;
  if (out_by != NULL)
    *out_by = g_array_index (kept, CohortMediaKeptRecord, 0).by;
  return TRUE;
}

/* A student publication with sound that media.mute_all (@target 0) or
 * media.mute_student (@target) mutes. */
static gboolean
is_muted_by (Pc     *pc,
             gint64  class_id,
             gint64  target)
{
  return pc->publisher && !pc->peer->is_teacher && pc->peer->class_id == class_id &&
         (target == 0 || pc->peer->participant_id == target) &&
         pc->audio_mids != NULL && pc->audio_mids[0] != NULL;
}

/* keep_muted is stored before Janus is asked anything: from now on a
 * publication of theirs is muted as it starts, and the students stay
 * kept across a reconnect and a restart. media.mute_student keeps its
 * student even with nothing published; media.mute_all keeps those it
 * mutes. */
static gboolean
store_kept_muted (CohortMediaService  *self,
                  gint64               class_id,
                  gint64               target,
                  gint64               by,
                  GError             **error)
{
  GHashTableIter iter;
  Pc *pc;

  if (!cohort_store_begin (self->store, error))
    return FALSE;
  if (target != 0 && !cohort_store_media_keep_muted (self->store, class_id, target, by, error))
    goto failed;

  g_hash_table_iter_init (&iter, self->pcs);
  while (target == 0 && g_hash_table_iter_next (&iter, NULL, (gpointer *) &pc))
    if (is_muted_by (pc, class_id, 0) &&
        !cohort_store_media_keep_muted (self->store, class_id, pc->peer->participant_id, by, error))
      goto failed;

  if (cohort_store_commit (self->store, error))
    return TRUE;

failed:
  cohort_store_rollback (self->store);
  return FALSE;
}

/* Sends "moderate" for each audio m-line of @pc; @mop (or NULL) counts
 * the replies. */
static void
moderate_audio (CohortMediaService *self,
                Pc                 *pc,
                gboolean            mute,
                MuteAllOp          *mop)
{
  Room *room = g_hash_table_lookup (self->rooms, &pc->peer->class_id);

  if (self->admin == NULL || room == NULL || pc->audio_mids == NULL)
    return;

  for (guint i = 0; pc->audio_mids[i] != NULL; i++)
    {
      g_autoptr(JsonObject) body = json_object_new ();

      json_object_set_string_member (body, "request", "moderate");
      json_object_set_int_member (body, "room", room_id (self, pc->peer->class_id));
      json_object_set_string_member (body, "secret", room->secret);
      json_object_set_int_member (body, "id", pc->feed_id);
      json_object_set_string_member (body, "mid", pc->audio_mids[i]);
      json_object_set_boolean_member (body, "mute", mute);
      if (mop != NULL)
        mop->pending++;
      cohort_janus_handle_send_message_async (self->admin, body, NULL, NULL, NULL,
                                              moderated_cb, mop);
    }
}

static gboolean
emit_muted_by_teacher (CohortMediaService  *self,
                       GPtrArray           *pending,
                       gint64               class_id,
                       gint64               participant_id,
                       gint64               by,
                       gboolean             keep,
                       GError             **error)
{
  JsonObject *event = json_object_new ();

  json_object_set_int_member (event, "participant_id", participant_id);
  json_object_set_int_member (event, "by", by);
  json_object_set_boolean_member (event, "keep_muted", keep);
  return _cohort_server_emit_event (self->server, pending, class_id,
                                    COHORT_EV_MEDIA_MUTED_BY_TEACHER, event, error);
}

static gboolean
mute_all_tx (CohortMediaService  *self,
             GPtrArray           *pending,
             gpointer             data,
             GError             **error)
{
  MuteAllOp *mop = data;
  gint64 by = cohort_connection_get_participant_id (mop->op->conn);
  gboolean told_target = FALSE;

  for (guint i = 0; i < mop->pc_ids->len; i++)
    {
      gint64 pc_id = g_array_index (mop->pc_ids, gint64, i);
      Pc *pc = g_hash_table_lookup (self->pcs, &pc_id);
      g_autoptr(CohortMediaFeedRecord) feed = NULL;

      /* Gone while Janus answered: its feed_removed said enough. */
      if (pc == NULL)
        continue;

      feed = find_feed (self, pc->peer->class_id, pc->feed_id, error);
      if (feed == NULL)
        {
          if (*error != NULL)
            return FALSE;
          continue;
        }

      feed->audio_muted = TRUE;
      if (!cohort_store_media_put_feed (self->store, feed, error))
        return FALSE;

      if (!emit_feed_updated (self, pending, feed, error))
        return FALSE;

      if (!emit_muted_by_teacher (self, pending, feed->class_id, pc->peer->participant_id, by,
                                  mop->keep_muted, error))
        return FALSE;
      told_target = told_target || pc->peer->participant_id == mop->target;
    }

  /* A student kept muted before they publish is told all the same: their
   * microphone button must say why it will not turn on. */
  if (mop->target != 0 && mop->keep_muted && !told_target)
    return emit_muted_by_teacher (self, pending, mop->op->class_id, mop->target, by, TRUE, error);

  return TRUE;
}

static void
mute_all_finish (MuteAllOp *mop)
{
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *body;
  guint muted = 0;

  in_transaction (mop->op->service, mute_all_tx, mop);

  for (guint i = 0; i < mop->pc_ids->len; i++)
    if (g_hash_table_contains (mop->op->service->pcs, &g_array_index (mop->pc_ids, gint64, i)))
      muted++;

  body = json_object_new ();
  json_object_set_int_member (body, "muted", muted);
  reply = cohort_message_new_ok (cohort_message_get_id (mop->op->request), body);
  json_object_unref (body);
  op_reply (mop->op, reply);
  op_free (mop->op);
  g_array_unref (mop->pc_ids);
  g_free (mop);
}

static void
moderated_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  MuteAllOp *mop = user_data;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;

  data = cohort_janus_handle_send_message_finish (COHORT_JANUS_HANDLE (source), result, NULL, &error);
  /* A publisher that left meanwhile is "No such user": nothing to mute. */
  if (data == NULL)
    g_message ("Janus did not moderate a feed: %s", error->message);

  if (mop != NULL && --mop->pending == 0)
    mute_all_finish (mop);
}

/* media.mute_student's target: a student of the teacher's class, or
 * FALSE after answering not_found. */
static gboolean
check_student (CohortMediaService  *self,
               CohortRequest       *req,
               gint64               participant_id,
               GError             **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(CohortParticipantRecord) target = NULL;

  target = cohort_store_get_participant (self->store, participant_id, error);
  if (*error != NULL)
    return FALSE;
  if (target == NULL || target->class_id != cohort_connection_get_class_id (conn) ||
      g_strcmp0 (target->role, "student") != 0)
    {
      _cohort_server_send_error (conn, cohort_request_get_id (req), COHORT_ERROR_NOT_FOUND,
                                 COHORT_INVALID_NONE, "participant_id",
                                 _("This student is not in the class."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
handle_mute_all (CohortService  *service,
                 CohortRequest  *req,
                 GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  JsonObject *body = cohort_request_get_body (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 target = json_object_get_int_member_with_default (body, "participant_id", 0);
  gboolean keep = json_object_get_boolean_member_with_default (body, "keep_muted", FALSE);
  MuteAllOp *mop;
  GHashTableIter iter;
  Pc *pc;

  if (!cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("Only the teacher can mute students."));
      return TRUE;
    }

  if (target != 0 && !check_student (self, req, target, error))
    return *error == NULL;

  /* Before begin_request: a failure here is the pipeline's `internal`.
   * A resend while the first is in flight stores the same rows again. */
  if (keep && !store_kept_muted (self, class_id, target, cohort_connection_get_participant_id (conn),
                                 error))
    return FALSE;

  if (!begin_request (self, req))
    return TRUE;

  mop = g_new0 (MuteAllOp, 1);
  mop->op = op_new (self, req, NULL);
  mop->pc_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  mop->keep_muted = keep;
  mop->target = target;

  /* Count every request before the first reply can come back. */
  mop->pending = 1;
  g_hash_table_iter_init (&iter, self->pcs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &pc))
    {
      if (!is_muted_by (pc, class_id, target))
        continue;

      pc->moderated = TRUE;
      g_array_append_val (mop->pc_ids, pc->pc_id);
      moderate_audio (self, pc, TRUE, mop);
    }

  if (--mop->pending == 0)
    mute_all_finish (mop);

  return TRUE;
}

/* media.allow_unmute: the teacher lifts keep_muted, for one student or
 * for all. Their sound stays off: a student turns their own microphone
 * on (media.mute), the teacher never does. Nothing here waits for Janus,
 * so the reply is stored like any other. */
static gboolean
handle_allow_unmute (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 by = cohort_connection_get_participant_id (conn);
  gint64 target = json_object_get_int_member_with_default (cohort_request_get_body (req),
                                                           "participant_id", 0);
  g_autoptr(GArray) released = NULL;
  JsonObject *reply;

  if (!cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("Only the teacher can let students unmute."));
      return TRUE;
    }

  if (target != 0 && !check_student (self, req, target, error))
    return *error == NULL;

  if (!cohort_store_begin (self->store, error) ||
      !(released = cohort_store_media_list_kept_muted (self->store, class_id, target, error)) ||
      !cohort_store_media_allow_unmute (self->store, class_id, target, error))
    return FALSE;

  for (guint i = 0; i < released->len; i++)
    if (!emit_stage_event (self, cohort_request_get_pending (req), class_id,
                           COHORT_EV_MEDIA_UNMUTE_ALLOWED,
                           g_array_index (released, CohortMediaKeptRecord, i).participant_id, by, error))
      return FALSE;

  reply = json_object_new ();
  json_object_set_int_member (reply, "released", released->len);
  cohort_request_finish (req, reply);

  return TRUE;
}

/* media.mute */

typedef struct
{
  CohortMessage *request;
  Pc            *pc;
} MuteTx;

static gboolean
mute_tx (CohortMediaService  *self,
         GPtrArray           *pending,
         gpointer             data,
         GError             **error)
{
  MuteTx *tx = data;
  JsonObject *body = cohort_message_get_body (tx->request);
  Pc *pc = tx->pc;
  g_autoptr(CohortMediaFeedRecord) feed = NULL;

  feed = find_feed (self, pc->peer->class_id, pc->feed_id, error);
  if (feed == NULL)
    return *error == NULL;

  if (json_object_has_member (body, "audio_muted"))
    feed->audio_muted = json_object_get_boolean_member (body, "audio_muted");
  if (json_object_has_member (body, "video_muted"))
    feed->video_muted = json_object_get_boolean_member (body, "video_muted");

  if (!cohort_store_media_put_feed (self->store, feed, error))
    return FALSE;

  return emit_feed_updated (self, pending, feed, error);
}

static gboolean
handle_mute (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  JsonObject *body = cohort_request_get_body (req);
  Pc *pc = lookup_pc (self, conn, body);
  gboolean unmute = json_object_has_member (body, "audio_muted") &&
                    !json_object_get_boolean_member (body, "audio_muted");

  if (pc == NULL || !pc->publisher)
    {
      reply_pc_gone (req);
      return TRUE;
    }

  if (unmute && is_kept_muted (self, pc->peer->class_id, pc->peer->participant_id, NULL))
    {
      cohort_request_forbidden (req, _("The teacher keeps your microphone muted."));
      return TRUE;
    }

  if (!begin_request (self, req))
    return TRUE;

  /* A student who unmutes lifts the teacher's mute on their own feed;
   * the moderation is there to silence the class at once, not to keep a
   * student from answering. */
  if (unmute && pc->moderated)
    {
      pc->moderated = FALSE;
      moderate_audio (self, pc, FALSE, NULL);
    }

  in_transaction (self, mute_tx, &(MuteTx) { request, pc });
  send_ok (req, NULL);

  return TRUE;
}

/* media.layer: which of a camera's layers this subscription receives,
 * through Janus's "switch" on the subscriber's own handle (no
 * renegotiation), or none (LAYER_PAUSED: Janus stops forwarding the
 * video, the sound goes on). */

typedef struct
{
  Op   *op;
  guint layer;
  gint64 pc_id;
} LayerOp;

static void
layer_switched_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autofree LayerOp *lop = user_data;
  Op *op = lop->op;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *body;
  Pc *pc;

  data = cohort_janus_handle_send_message_finish (COHORT_JANUS_HANDLE (source), result, NULL, &error);
  if (data == NULL)
    {
      op_fail_janus (op, error, FALSE);
      return;
    }

  pc = g_hash_table_lookup (op->service->pcs, &lop->pc_id);
  if (pc != NULL)
    pc->layer = lop->layer;
  if (g_log_get_debug_enabled ())
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), data);
      g_autofree char *text = json_to_string (node, FALSE);

      g_debug ("Janus: %s", text);
    }

  body = json_object_new ();
  json_object_set_int_member (body, "layer", lop->layer);
  reply = cohort_message_new_ok (cohort_message_get_id (op->request), body);
  json_object_unref (body);
  op_reply (op, reply);
  op_free (op);
}

static JsonObject *
sub_stream (const char *mid,
            gboolean    send)
{
  JsonObject *stream = json_object_new ();

  json_object_set_string_member (stream, "mid", mid);
  json_object_set_boolean_member (stream, "send", send);
  return stream;
}

static gboolean
handle_layer (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  JsonObject *body = cohort_request_get_body (req);
  guint layer = json_object_get_int_member (body, "layer");
  g_autoptr(JsonObject) message = json_object_new ();
  JsonArray *streams = json_array_new ();
  Pc *pc = lookup_pc (self, conn, body);
  Pc *publisher;
  guint n_layers;
  LayerOp *lop;

  json_object_set_array_member (message, "streams", streams);

  /* Only a subscription this connection made: nobody moves another
   * student's picture, and a publication has no layers to pick. */
  if (pc == NULL || pc->publisher)
    {
      reply_pc_gone (req);
      return TRUE;
    }

  publisher = lookup_publisher (self, pc->feed_id);
  if (publisher == NULL || pc->sub_video_mid == NULL)
    {
      cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "pc_id",
                            _("This video is no longer shared."));
      return TRUE;
    }

  n_layers = publisher->video_mids != NULL ? g_strv_length (publisher->video_mids) : 0;
  if (layer != COHORT_MEDIA_LAYER_PAUSED && layer >= n_layers)
    {
      g_autofree char *text =
        g_strdup_printf (_("This video has no layer %u: “layer” must be below %u, or %u to pause the video."),
                         layer, n_layers, COHORT_MEDIA_LAYER_PAUSED);

      cohort_request_error (req, COHORT_ERROR_INVALID, COHORT_INVALID_OUT_OF_RANGE, "layer", text);
      return TRUE;
    }

  if (!begin_request (self, req))
    return TRUE;

  if (layer == COHORT_MEDIA_LAYER_PAUSED)
    {
      json_object_set_string_member (message, "request", "configure");
      json_array_add_object_element (streams, sub_stream (pc->sub_video_mid, FALSE));
    }
  else
    {
      JsonObject *stream = json_object_new ();

      /* Leaving the pause first: Janus handles one handle's messages in
       * order, so the switch that follows finds the stream sending. */
      if (pc->layer == COHORT_MEDIA_LAYER_PAUSED)
        {
          g_autoptr(JsonObject) resume = json_object_new ();
          JsonArray *resume_streams = json_array_new ();

          json_object_set_string_member (resume, "request", "configure");
          json_array_add_object_element (resume_streams, sub_stream (pc->sub_video_mid, TRUE));
          json_object_set_array_member (resume, "streams", resume_streams);
          cohort_janus_handle_send_message_async (pc->handle, resume, NULL, NULL, NULL, NULL, NULL);
        }

      json_object_set_string_member (message, "request", "switch");
      json_object_set_int_member (stream, "feed", pc->feed_id);
      json_object_set_string_member (stream, "mid", publisher->video_mids[layer]);
      json_object_set_string_member (stream, "sub_mid", pc->sub_video_mid);
      json_array_add_object_element (streams, stream);
    }

  g_debug ("pc %" G_GINT64_FORMAT " (participant %" G_GINT64_FORMAT "): layer %u → %u "
           "(publisher mid %s, subscriber mid %s)",
           pc->pc_id, pc->peer->participant_id, pc->layer, layer,
           layer < n_layers ? publisher->video_mids[layer] : "-", pc->sub_video_mid);

  lop = g_new0 (LayerOp, 1);
  lop->op = op_new (self, req, NULL);
  lop->layer = layer;
  lop->pc_id = pc->pc_id;
  cohort_janus_handle_send_message_async (pc->handle, message, NULL, NULL, NULL,
                                          layer_switched_cb, lop);

  return TRUE;
}

/* media.quality: a student's own estimate of their link, for the teacher
 * only (the People page), and only when it changes what the teacher
 * knows. */

typedef struct
{
  gint64      class_id;
  gint64      participant_id;
  const char *level;
} QualityTx;

static const char *
link_told (CohortMediaService *self,
           gint64              participant_id)
{
  Link *link = g_hash_table_lookup (self->links, &participant_id);

  return link != NULL ? link->level : COHORT_MEDIA_QUALITY_GOOD;
}

static gboolean
quality_tx (CohortMediaService  *self,
            GPtrArray           *pending,
            gpointer             data,
            GError             **error)
{
  QualityTx *tx = data;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  JsonObject *event;

  teacher = cohort_store_find_teacher (self->store, tx->class_id, error);
  if (teacher == NULL)
    return *error == NULL;

  event = json_object_new ();
  json_object_set_int_member (event, "participant_id", tx->participant_id);
  json_object_set_string_member (event, "level", tx->level);
  return _cohort_server_emit_event_for (self->server, pending, tx->class_id,
                                        COHORT_EV_MEDIA_LINK_QUALITY, event,
                                        &teacher->id, 1, error);
}

/* Tells the teacher @level for the student, unless it is what they were
 * last told (nothing yet means good). */
static void
link_tell (CohortMediaService *self,
           gint64              class_id,
           gint64              participant_id,
           const char         *level)
{
  if (g_str_equal (link_told (self, participant_id), level))
    return;

  g_debug ("participant %" G_GINT64_FORMAT ": link %s → %s", participant_id,
           link_told (self, participant_id), level);
  in_transaction (self, quality_tx, &(QualityTx) { class_id, participant_id, level });
  if (g_str_equal (level, COHORT_MEDIA_QUALITY_GOOD))
    g_hash_table_remove (self->links, &participant_id);
  else
    {
      Link *link = g_new (Link, 1);

      link->class_id = class_id;
      link->level = level;
      g_hash_table_insert (self->links, g_memdup2 (&participant_id, sizeof participant_id), link);
    }
}

/* The protocol checked the level against these; keep one copy of each. */
static const char *
quality_level (const char *level)
{
  if (g_strcmp0 (level, COHORT_MEDIA_QUALITY_POOR) == 0)
    return COHORT_MEDIA_QUALITY_POOR;
  if (g_strcmp0 (level, COHORT_MEDIA_QUALITY_FAIR) == 0)
    return COHORT_MEDIA_QUALITY_FAIR;
  return COHORT_MEDIA_QUALITY_GOOD;
}

static gboolean
handle_quality (CohortService  *service,
                CohortRequest  *req,
                GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  const char *level = quality_level (json_object_get_string_member (cohort_request_get_body (req), "level"));
  Peer *peer;

  if (cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("Only students report their connection to the teacher."));
      return TRUE;
    }

  if (!begin_request (self, req))
    return TRUE;

  peer = peer_ensure (self, conn);
  peer->quality = level;
  link_tell (self, peer->class_id, peer->participant_id, level);

  send_ok (req, NULL);

  return TRUE;
}

static guint
quality_rank (const char *level)
{
  if (g_str_equal (level, COHORT_MEDIA_QUALITY_POOR))
    return 2;
  return g_str_equal (level, COHORT_MEDIA_QUALITY_FAIR) ? 1 : 0;
}

/* A connection that reported a weak link goes: what the student's other
 * connections last said stands (good when they said nothing). Without
 * one, the student goes offline, and that ends the report too. */
static void
link_peer_gone (CohortMediaService *self,
                Peer               *gone)
{
  const char *level = COHORT_MEDIA_QUALITY_GOOD;
  GHashTableIter iter;
  Peer *peer;

  if (gone->is_teacher || gone->quality == NULL)
    return;

  g_hash_table_iter_init (&iter, self->peers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &peer))
    if (peer != gone && peer->participant_id == gone->participant_id && peer->quality != NULL &&
        quality_rank (peer->quality) > quality_rank (level))
      level = peer->quality;

  link_tell (self, gone->class_id, gone->participant_id, level);
}

/* Stage */

static gboolean
emit_stage_event (CohortMediaService  *self,
                  GPtrArray           *pending,
                  gint64               class_id,
                  const char          *name,
                  gint64               participant_id,
                  gint64               by,
                  GError             **error)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "participant_id", participant_id);
  if (by != 0)
    json_object_set_int_member (body, "by", by);
  return _cohort_server_emit_event (self->server, pending, class_id, name, body, error);
}

/* Rolls back and answers that the stage is full. */
static void
reject_stage_full (CohortMediaService *self,
                   CohortRequest      *req)
{
  guint limit = self->stage_limit;
  g_autofree char *message =
    g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                  "The stage is full: %u student is on it. Take someone off the stage first.",
                                  "The stage is full: %u students are on it. Take someone off the stage first.",
                                  limit), limit);

  cohort_store_rollback (self->store);
  cohort_request_forbidden (req, message);
}

static gboolean
handle_stage_invite (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(CohortParticipantRecord) target = NULL;
  g_autofree char *state = NULL;
  const char *id = cohort_request_get_id (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 target_id = json_object_get_int_member (cohort_request_get_body (req), "participant_id");
  guint on_stage = 0;

  if (!cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("Only the teacher can invite students onto the stage."));
      return TRUE;
    }

  if (!cohort_store_begin (self->store, error))
    return FALSE;

  target = cohort_store_get_participant (self->store, target_id, error);
  if (*error != NULL)
    return FALSE;
  if (target == NULL || target->class_id != class_id || g_strcmp0 (target->role, "student") != 0)
    {
      cohort_store_rollback (self->store);
      _cohort_server_send_error (conn, id, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE,
                                 "participant_id", _("This student is not in the class."));
      return TRUE;
    }

  if (!stage_state (self, class_id, target_id, &state, &on_stage, error))
    return FALSE;

  if (state == NULL)
    {
      if (on_stage >= self->stage_limit)
        {
          reject_stage_full (self, req);
          return TRUE;
        }
      if (!cohort_store_media_set_stage (self->store, class_id, target_id, STAGE_INVITED, error) ||
          !emit_stage_event (self, pending, class_id, COHORT_EV_STAGE_INVITED, target_id,
                             cohort_connection_get_participant_id (conn), error))
        return FALSE;
    }

  cohort_request_finish (req, json_object_new ());

  return TRUE;
}

static gboolean
handle_stage_answer (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autofree char *state = NULL;
  gboolean accept = g_str_equal (cohort_message_get_name (request), COHORT_REQ_STAGE_ACCEPT);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 you = cohort_connection_get_participant_id (conn);
  guint on_stage = 0;

  if (cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("The teacher is always on stage."));
      return TRUE;
    }

  if (!cohort_store_begin (self->store, error) ||
      !stage_state (self, class_id, you, &state, &on_stage, error))
    return FALSE;

  if (accept && g_strcmp0 (state, STAGE_INVITED) == 0)
    {
      if (on_stage >= self->stage_limit)
        {
          reject_stage_full (self, req);
          return TRUE;
        }
      if (!cohort_store_media_set_stage (self->store, class_id, you, STAGE_ON_STAGE, error) ||
          !emit_stage_event (self, pending, class_id, COHORT_EV_STAGE_JOINED, you, 0, error))
        return FALSE;
    }
  else if (accept && g_strcmp0 (state, STAGE_ON_STAGE) != 0)
    {
      cohort_store_rollback (self->store);
      cohort_request_forbidden (req,
                                _("The teacher has not invited you onto the stage."));
      return TRUE;
    }
  else if (!accept && g_strcmp0 (state, STAGE_INVITED) == 0)
    {
      if (!cohort_store_media_set_stage (self->store, class_id, you, NULL, error) ||
          !emit_stage_event (self, pending, class_id, COHORT_EV_STAGE_DECLINED, you, 0, error))
        return FALSE;
    }

  cohort_request_finish (req, json_object_new ());

  return TRUE;
}

static gboolean
handle_stage_remove (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(GPtrArray) gone = g_ptr_array_new ();
  g_autofree char *state = NULL;
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 you = cohort_connection_get_participant_id (conn);
  gint64 target_id = json_object_get_int_member_with_default (cohort_request_get_body (req),
                                                              "participant_id", you);
  GHashTableIter iter;
  Pc *pc;

  if (target_id != you && !cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req,
                                _("Only the teacher can take someone else off the stage."));
      return TRUE;
    }

  if (!cohort_store_begin (self->store, error) ||
      !stage_state (self, class_id, target_id, &state, NULL, error))
    return FALSE;

  if (state != NULL)
    {
      if (!cohort_store_media_set_stage (self->store, class_id, target_id, NULL, error) ||
          !emit_stage_event (self, pending, class_id, COHORT_EV_STAGE_LEFT, target_id, you, error))
        return FALSE;

      /* Off the stage, off the air: end the student's feeds. */
      g_hash_table_iter_init (&iter, self->pcs);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &pc))
        if (pc->publisher && pc->peer->participant_id == target_id && pc->peer->class_id == class_id)
          g_ptr_array_add (gone, pc);
      for (guint i = 0; i < gone->len; i++)
        pc_teardown (self, g_ptr_array_index (gone, i), pending, TRUE);
    }

  cohort_request_finish (req, json_object_new ());

  return TRUE;
}

/* Server hooks */

/* Who the teacher keeps muted, for a client that joins or comes back:
 * the teacher's roster shows every one of them, a student learns only
 * of themselves (their microphone will not turn on, and why). */
static JsonArray *
kept_muted_json (CohortMediaService *self,
                 CohortConnection   *conn)
{
  JsonArray *array = json_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) kept = NULL;

  kept = cohort_store_media_list_kept_muted (self->store, cohort_connection_get_class_id (conn),
                                             cohort_connection_is_teacher (conn)
                                               ? 0 : cohort_connection_get_participant_id (conn),
                                             &error);
  if (kept == NULL)
    g_warning ("Could not read who is kept muted: %s", error->message);

  for (guint i = 0; kept != NULL && i < kept->len; i++)
    {
      CohortMediaKeptRecord *record = &g_array_index (kept, CohortMediaKeptRecord, i);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "participant_id", record->participant_id);
      json_object_set_int_member (object, "by", record->by);
      json_array_add_object_element (array, object);
    }
  return array;
}

static JsonObject *
media_state_json (CohortMediaService *self,
                  CohortConnection   *conn)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stage = NULL;
  g_autoptr(GPtrArray) feeds = NULL;
  gint64 class_id = cohort_connection_get_class_id (conn);
  JsonObject *media = json_object_new ();
  JsonArray *stage_array = json_array_new ();
  JsonArray *feed_array = json_array_new ();

  stage = cohort_store_media_list_stage (self->store, class_id, &error);
  if (stage != NULL)
    feeds = cohort_store_media_list_feeds (self->store, class_id, &error);
  if (error != NULL)
    g_warning ("Could not read the stage of class %" G_GINT64_FORMAT ": %s", class_id, error->message);

  for (guint i = 0; stage != NULL && i < stage->len; i++)
    {
      CohortMediaStageRecord *record = g_ptr_array_index (stage, i);
      JsonObject *object = json_object_new ();

      json_object_set_int_member (object, "participant_id", record->participant_id);
      json_object_set_string_member (object, "state", record->state);
      json_array_add_object_element (stage_array, object);
    }
  for (guint i = 0; feeds != NULL && i < feeds->len; i++)
    json_array_add_object_element (feed_array, feed_to_json (g_ptr_array_index (feeds, i)));

  json_object_set_boolean_member (media, "enabled", self->mode != MEDIA_MODE_OFF);
  json_object_set_int_member (media, "stage_limit", self->stage_limit);
  json_object_set_array_member (media, "stage", stage_array);
  json_object_set_array_member (media, "feeds", feed_array);
  json_object_set_array_member (media, "kept_muted", kept_muted_json (self, conn));

  /* The teacher learns who is on a weak link now, not only of changes. */
  if (cohort_connection_is_teacher (conn))
    {
      JsonArray *link_array = json_array_new ();
      GHashTableIter iter;
      gint64 *participant_id;
      Link *link;

      g_hash_table_iter_init (&iter, self->links);
      while (g_hash_table_iter_next (&iter, (gpointer *) &participant_id, (gpointer *) &link))
        if (link->class_id == class_id)
          {
            JsonObject *object = json_object_new ();

            json_object_set_int_member (object, "participant_id", *participant_id);
            json_object_set_string_member (object, "level", link->level);
            json_array_add_object_element (link_array, object);
          }
      json_object_set_array_member (media, "links", link_array);
    }
  return media;
}

static void
cohort_media_service_welcome (CohortService    *service,
                              CohortConnection *conn,
                              JsonObject       *body)
{
  json_object_set_object_member (body, "media",
                                 media_state_json (COHORT_MEDIA_SERVICE (service), conn));
}

/* media.state: the same picture as in the welcome, for a call engine that
 * starts after the join. Read-only, so not remembered. */
static gboolean
handle_state (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;

  json_object_set_object_member (body, "media", media_state_json (COHORT_MEDIA_SERVICE (service), conn));
  reply = cohort_message_new_ok (cohort_request_get_id (req), body);
  _cohort_server_send_message (conn, reply);

  return TRUE;
}

static gboolean
peer_gone_tx (CohortMediaService  *self,
              GPtrArray           *pending,
              gpointer             data,
              GError             **error)
{
  Peer *peer = data;
  g_autoptr(GPtrArray) pcs = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, peer->pcs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (pcs, value);
  for (guint i = 0; i < pcs->len; i++)
    pc_teardown (self, g_ptr_array_index (pcs, i), pending, TRUE);

  return TRUE;
}

static void
cohort_media_service_connection_left (CohortService    *service,
                                      CohortConnection *conn)
{
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);
  Peer *peer = g_hash_table_lookup (self->peers, conn);

  if (peer == NULL)
    return;

  g_hash_table_steal (self->peers, conn);
  in_transaction (self, peer_gone_tx, peer);
  link_peer_gone (self, peer);
  if (peer->watch != NULL)
    janus_leave (peer->watch, "leave");
  peer_free (peer);
}

/* A restarted server has no Janus sessions: the feeds it remembers are
 * gone. Say so, so that clients resuming from their last seq forget them. */
static gboolean
forget_feeds_tx (CohortMediaService  *self,
                 GPtrArray           *pending,
                 gpointer             data,
                 GError             **error)
{
  g_autoptr(GPtrArray) feeds = cohort_store_media_list_feeds (self->store, 0, error);

  if (feeds == NULL)
    return FALSE;

  for (guint i = 0; i < feeds->len; i++)
    {
      CohortMediaFeedRecord *feed = g_ptr_array_index (feeds, i);

      if (!remove_feed (self, pending, feed->class_id, feed->feed_id, feed->participant_id,
                        feed->kind, error))
        return FALSE;
    }

  return TRUE;
}

gboolean
cohort_media_service_configure (CohortServer  *server,
                                GKeyFile      *keyfile,
                                GError       **error)
{
  CohortMediaService *self = get_service (server);
  g_autofree char *mode = NULL;
  g_autoptr(GError) local_error = NULL;
  int value;

  g_return_val_if_fail (self != NULL, FALSE);

  if (keyfile == NULL || !g_key_file_has_group (keyfile, "janus"))
    return TRUE;

  mode = g_key_file_get_string (keyfile, "janus", "mode", NULL);
  if (mode == NULL || g_str_equal (mode, "embedded"))
    self->mode = MEDIA_MODE_EMBEDDED;
  else if (g_str_equal (mode, "external"))
    self->mode = MEDIA_MODE_EXTERNAL;
  else if (g_str_equal (mode, "off"))
    self->mode = MEDIA_MODE_OFF;
  else
    {
      g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                   "[janus] mode must be embedded, external or off, not “%s”", mode);
      return FALSE;
    }

#define GET_STRING(field, key) \
  if (g_key_file_has_key (keyfile, "janus", key, NULL)) \
    { g_free (self->field); self->field = g_key_file_get_string (keyfile, "janus", key, NULL); }

  GET_STRING (ice_enforce_list, "ice_enforce_list");
  GET_STRING (janus_binary, "binary");
  if (self->mode == MEDIA_MODE_EXTERNAL)
    {
      GET_STRING (url, "url");
      GET_STRING (api_secret, "api_secret");
      GET_STRING (admin_key, "admin_key");
      if (self->url == NULL)
        {
          g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_KEY_NOT_FOUND,
                               "[janus] mode=external needs url=ws://HOST:8188/");
          return FALSE;
        }
    }
#undef GET_STRING

  if (g_key_file_has_key (keyfile, "janus", "admin_api", NULL))
    {
      self->janus_admin_api = g_key_file_get_boolean (keyfile, "janus", "admin_api", &local_error);
      if (local_error != NULL)
        {
          g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                               "[janus] admin_api must be true or false");
          return FALSE;
        }
    }

  if (g_key_file_has_key (keyfile, "janus", "stage_size", NULL))
    {
      value = g_key_file_get_integer (keyfile, "janus", "stage_size", &local_error);
      if (local_error != NULL || value < 1 || value > COHORT_MEDIA_MAX_STAGE_LIMIT)
        {
          g_set_error (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                       "[janus] stage_size must be between 1 and %d", COHORT_MEDIA_MAX_STAGE_LIMIT);
          return FALSE;
        }
      self->stage_limit = value;
    }

  if (g_key_file_has_key (keyfile, "janus", "bitrate_cap", NULL))
    {
      value = g_key_file_get_integer (keyfile, "janus", "bitrate_cap", &local_error);
      if (local_error != NULL || value < 64000 || value > 20000000)
        {
          g_set_error_literal (error, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_INVALID_VALUE,
                               "[janus] bitrate_cap must be between 64000 and 20000000 (bits/s)");
          return FALSE;
        }
      self->bitrate_cap = value;
    }

  return TRUE;
}

/* Ends the embedded Janus (if one runs) and removes its private
 * configuration directory. For the server's exit: whatever still holds
 * the service (a start in progress) must not keep the secrets on disk. */
static void
cohort_media_service_shutdown (CohortService *service)
{
  CohortMediaService *self = COHORT_MEDIA_SERVICE (service);

  if (self->launcher != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->launcher, self);
      cohort_janus_launcher_stop (self->launcher);
      g_clear_object (&self->launcher);
    }
}

static void
cohort_media_service_dispose (GObject *object)
{
  CohortMediaService *self = COHORT_MEDIA_SERVICE (object);

  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  while (!g_queue_is_empty (&self->janus_waiters))
    op_free (g_queue_pop_head (&self->janus_waiters));
  if (self->janus != NULL)
    g_signal_handlers_disconnect_by_data (self->janus, self);
  g_clear_object (&self->admin);
  g_clear_object (&self->janus);
  if (self->launcher != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->launcher, self);
      cohort_janus_launcher_stop (self->launcher);
      g_clear_object (&self->launcher);
    }

  G_OBJECT_CLASS (cohort_media_service_parent_class)->dispose (object);
}

static void
cohort_media_service_finalize (GObject *object)
{
  CohortMediaService *self = COHORT_MEDIA_SERVICE (object);

  g_clear_pointer (&self->pcs, g_hash_table_unref);
  g_clear_pointer (&self->peers, g_hash_table_unref);
  g_clear_pointer (&self->links, g_hash_table_unref);
  g_clear_pointer (&self->rooms, g_hash_table_unref);
  g_free (self->url);
  g_free (self->api_secret);
  g_free (self->admin_key);
  g_free (self->ice_enforce_list);
  g_free (self->janus_binary);

  G_OBJECT_CLASS (cohort_media_service_parent_class)->finalize (object);
}

static void
cohort_media_service_class_init (CohortMediaServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  CohortServiceClass *service_class = COHORT_SERVICE_CLASS (klass);

  object_class->dispose = cohort_media_service_dispose;
  object_class->finalize = cohort_media_service_finalize;
  service_class->welcome = cohort_media_service_welcome;
  service_class->connection_left = cohort_media_service_connection_left;
  service_class->shutdown = cohort_media_service_shutdown;

  /* The Janus session became ready, or was lost (a restart): the voice
   * service's rooms live in the same Janus. */
  signals[SIG_JANUS_CHANGED] =
    g_signal_new ("janus-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cohort_media_service_init (CohortMediaService *self)
{
  self->mode = MEDIA_MODE_EMBEDDED;
  self->stage_limit = COHORT_MEDIA_DEFAULT_STAGE_LIMIT;
  self->bitrate_cap = DEFAULT_BITRATE_CAP;
  /* Room ids unique to this server run, so that an external Janus's rooms
   * from an earlier run never collide. */
  self->room_base = (gint64) g_random_int_range (1, 1 << 20) << 24;
  self->last_pc_id = g_get_real_time () / 1000;
  self->rooms = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) room_free);
  self->peers = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->pcs = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->links = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
}

CohortMediaService *
cohort_media_service_new (CohortServer *server)
{
  CohortMediaService *self = g_object_new (COHORT_TYPE_MEDIA_SERVICE, "server", server, NULL);

  self->server = server;
  self->store = _cohort_server_get_store (server);

  in_transaction (self, forget_feeds_tx, NULL);

  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_PUBLISH, handle_publish);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_UNPUBLISH, handle_close);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_SUBSCRIBE, handle_subscribe);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_UNSUBSCRIBE, handle_close);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_ANSWER, handle_answer);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_TRICKLE, handle_trickle);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_MUTE, handle_mute);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_MUTE_ALL, handle_mute_all);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_MUTE_STUDENT, handle_mute_all);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_ALLOW_UNMUTE, handle_allow_unmute);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_STATE, handle_state);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_LAYER, handle_layer);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_MEDIA_QUALITY, handle_quality);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_STAGE_INVITE, handle_stage_invite);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_STAGE_ACCEPT, handle_stage_answer);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_STAGE_DECLINE, handle_stage_answer);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_STAGE_REMOVE, handle_stage_remove);

  return self;
}

/* The voice service (AudioBridge) shares the media service's Janus: one
 * launcher, one session, one restart path. */
CohortJanusClient *
cohort_media_service_get_janus (CohortMediaService *self)
{
  g_return_val_if_fail (COHORT_IS_MEDIA_SERVICE (self), NULL);

  return self->ready ? self->janus : NULL;
}

const char *
cohort_media_service_get_admin_key (CohortMediaService *self)
{
  g_return_val_if_fail (COHORT_IS_MEDIA_SERVICE (self), NULL);

  return self->admin_key;
}

gboolean
cohort_media_service_is_enabled (CohortMediaService *self)
{
  g_return_val_if_fail (COHORT_IS_MEDIA_SERVICE (self), FALSE);

  return self->mode != MEDIA_MODE_OFF;
}

void
cohort_media_service_want_janus (CohortMediaService *self)
{
  g_return_if_fail (COHORT_IS_MEDIA_SERVICE (self));

  if (self->mode == MEDIA_MODE_OFF)
    return;
  self->janus_wanted = TRUE;
  ensure_janus (self);
}

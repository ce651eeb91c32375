/* cohort-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-session"

#include "config.h"

#include <libsoup/soup.h>

#include "cohort-json-private.h"
#include "cohort-session-backoff.h"
#include "cohort-enums.h"
#include "cohort-identity-protocol.h"
#include "cohort-media-protocol.h"
#include "cohort-session-outbox.h"
#include "cohort-protocol.h"
#include "cohort-session.h"
#include "cohort-session-private.h"
#include "cohort-notify-private.h"

/* A protocol "ping" every this many seconds; if the previous one is still
 * unanswered by the next tick the link is treated as dead. libsoup 3.2 sends
 * WebSocket pings but cannot time out on a missing pong. */
#define KEEPALIVE_SECONDS 15
#define LEAVE_TIMEOUT_MS  5000

typedef enum
{
  OPEN_NONE,
  OPEN_CREATE,
  OPEN_JOIN,
  OPEN_RESUME,
} OpenKind;

typedef void (*ReplyFunc) (CohortSession *self,
                           CohortMessage *reply,
                           const GError  *error,
                           gpointer       data);

/* A request outside the outbox (join, resume, leave, ping): it lives only as
 * long as the socket it was sent on. */
typedef struct
{
  ReplyFunc       func;
  gpointer        data;
  GDestroyNotify  destroy;
} Pending;

struct _CohortSession
{
  GObject                  parent_instance;

  GMainContext            *context;
  SoupSession             *soup;
  SoupWebsocketConnection *ws;
  GCancellable            *connect_cancellable;
  GHashTable              *pending;
  CohortOutbox            *outbox;
  CohortBackoff           *backoff;
  CohortRoster            *roster;
  CohortLesson            *lesson;    /* lesson: the class's life cycle */
  CohortSchedule          *schedule;  /* schedule: the upcoming lessons */
  CohortParticipant       *self_participant;

  CohortSessionState       state;
  char                    *server_url;
  gint64                   class_id;
  char                    *class_code;
  char                    *class_title;
  char                    *token;
  char                    *teacher_key;
  char                    *error_message;
  gint64                   last_seq;

  /* identity: admission and the joined class's access settings */
  CohortAdmission          admission;
  gboolean                 waiting_room;
  gboolean                 locked;
  gboolean                 anonymous_join;
  gboolean                 create_waiting_room;
  /* admitted from the waiting room: the next resume asks for a snapshot */
  gboolean                 want_snapshot;

  /* The create/join/resume call in progress, and what it asked for. */
  GTask                   *open_task;
  OpenKind                 open_kind;
  char                    *open_title;
  char                    *open_name;
  char                    *open_code;
  char                    *open_teacher_key;
  char                    *open_staff_credential;
  char                    *open_token;

  GTask                   *leave_task;

  GSource                 *reconnect_source;
  GSource                 *keepalive_source;
  GSource                 *leave_timeout_source;
  char                    *ping_id;
};

G_DEFINE_FINAL_TYPE (CohortSession, cohort_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_SERVER_URL,
  PROP_CLASS_ID,
  PROP_CLASS_CODE,
  PROP_CLASS_TITLE,
  PROP_TOKEN,
  PROP_TEACHER_KEY,
  PROP_SELF,
  PROP_ROSTER,
  PROP_LAST_SEQ,
  PROP_ERROR_MESSAGE,
  PROP_N_PENDING,
  PROP_ADMISSION,
  PROP_WAITING_ROOM,
  PROP_LOCKED,
  PROP_ANONYMOUS_JOIN,
  PROP_CREATE_WAITING_ROOM,
  N_PROPS
};

enum {
  EVENT_RECEIVED,
  WELCOME,
  PROGRESS_RECEIVED,
  REMOVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_socket         (CohortSession *self);
static void connection_lost        (CohortSession *self,
                                    const GError  *error);
static void schedule_reconnect     (CohortSession *self,
                                    guint          delay_ms);
static void send_handshake         (CohortSession *self);
static void teardown               (CohortSession *self,
                                    const GError  *error);

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  if (pending->destroy != NULL)
    pending->destroy (pending->data);
  g_free (pending);
}

static void
notify (CohortSession *self,
        guint          prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
set_state (CohortSession      *self,
           CohortSessionState  state)
{
  if (self->state == state)
    return;

  g_debug ("State %d → %d", self->state, state);
  self->state = state;
  notify (self, PROP_STATE);
}

static void
set_error_message (CohortSession *self,
                   const char    *message)
{
  _cohort_set_string (self, &self->error_message, message, properties[PROP_ERROR_MESSAGE]);
}

static void
set_admission (CohortSession   *self,
               CohortAdmission  admission)
{
  if (self->admission == admission)
    return;
  self->admission = admission;
  notify (self, PROP_ADMISSION);
}

/* identity: the access settings of a "class" object (join replies and
 * class.updated), when it has them. */
static void
apply_class_access (CohortSession *self,
                    JsonObject    *klass)
{
  JsonNode *node;

  if (klass == NULL)
    return;
  if ((node = json_object_get_member (klass, "waiting_room")) && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    _cohort_set_boolean (self, &self->waiting_room, json_node_get_boolean (node),
                         properties[PROP_WAITING_ROOM]);
  if ((node = json_object_get_member (klass, "locked")) && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    _cohort_set_boolean (self, &self->locked, json_node_get_boolean (node), properties[PROP_LOCKED]);
  if ((node = json_object_get_member (klass, "anonymous_join")) && JSON_NODE_HOLDS_VALUE (node) &&
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    _cohort_set_boolean (self, &self->anonymous_join, json_node_get_boolean (node),
                         properties[PROP_ANONYMOUS_JOIN]);
}

static void
set_last_seq (CohortSession *self,
              gint64         seq)
{
  if (self->last_seq == seq)
    return;

  self->last_seq = seq;
  notify (self, PROP_LAST_SEQ);
}

static void
set_self_participant (CohortSession     *self,
                      CohortParticipant *participant)
{
  if (g_set_object (&self->self_participant, participant))
    notify (self, PROP_SELF);
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;

  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static GSource *
add_timeout (CohortSession *self,
             guint          interval_ms,
             GSourceFunc    func)
{
  GSource *source = g_timeout_source_new (interval_ms);

  /* The session destroys its sources in dispose, so no ref is needed. */
  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);

  return source;
}

/* Sentences the user sees; the UI shows them as they are. */
static char *
describe_error (CohortSession *self,
                const GError  *error)
{
  if (error->domain == COHORT_SESSION_ERROR)
    {
      switch ((CohortSessionError) error->code)
        {
        case COHORT_SESSION_ERROR_NO_STAFF:
          return g_strdup ("This class server has no staff accounts yet, so nobody can start a "
                           "class. Ask its administrator to create one.");
        case COHORT_SESSION_ERROR_UNAUTHORIZED:
          return g_strdup ("The class server did not accept this staff credential. "
                           "Check it with your administrator.");
        case COHORT_SESSION_ERROR_NOT_OWNER:
          return g_strdup ("This class belongs to another staff account.");
        case COHORT_SESSION_ERROR_REMOVED:
        default:
          return g_strdup ("The teacher removed you from the class.");
        }
    }

  if (error->domain == COHORT_PROTOCOL_ERROR)
    {
      switch ((CohortErrorCode) error->code)
        {
        case COHORT_ERROR_NOT_FOUND:
          return g_strdup ("There is no class with that code. Check the code and try again.");
        case COHORT_ERROR_UNAUTHORIZED:
          return g_strdup ("The class server no longer accepts this sign-in. "
                           "Join the class again with its code.");
        case COHORT_ERROR_UNSUPPORTED_VERSION:
          return g_strdup ("The class server uses a different version of Cohort. "
                           "Update Cohort and try again.");
        case COHORT_ERROR_RATE_LIMITED:
          return g_strdup ("Too many requests were sent too quickly. Wait a moment and try again.");
        case COHORT_ERROR_INTERNAL:
          return g_strdup ("The class server ran into a problem. Try again in a moment.");
        case COHORT_ERROR_INVALID:
        case COHORT_ERROR_FORBIDDEN:
        case COHORT_ERROR_NOT_JOINED:
        default:
          if (error->message != NULL && *error->message != '\0')
            return g_strdup (error->message);
          return g_strdup ("The class server refused the request. Try again.");
        }
    }

  return g_strdup_printf ("Could not reach the class server at %s. "
                          "Check the address or try again.",
                          self->server_url != NULL ? self->server_url : "that address");
}

/* Socket */

static void
send_message (CohortSession *self,
              CohortMessage *message)
{
  g_autofree char *json = NULL;

  g_return_if_fail (self->ws != NULL);

  json = cohort_message_to_json (message, NULL);
  soup_websocket_connection_send_text (self->ws, json);
}

static gboolean
send_request (CohortSession *self,
              const char    *type,
              const char    *id,
              JsonObject    *body)
{
  g_autoptr(CohortMessage) message = NULL;

  if (self->ws == NULL ||
      soup_websocket_connection_get_state (self->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return FALSE;

  message = cohort_message_new_request (type, id, body);
  send_message (self, message);
  return TRUE;
}

/* Sends a request outside the outbox; @func runs once, with the reply or
 * with the error that lost the socket. */
static void
send_control (CohortSession  *self,
              const char     *type,
              JsonObject     *body,
              ReplyFunc       func,
              gpointer        data,
              GDestroyNotify  destroy,
              char          **out_id)
{
  g_autofree char *id = cohort_protocol_new_request_id ();
  Pending *pending = g_new0 (Pending, 1);

  pending->func = func;
  pending->data = data;
  pending->destroy = destroy;
  g_hash_table_insert (self->pending, g_strdup (id), pending);

  if (out_id != NULL)
    *out_id = g_strdup (id);

  if (!send_request (self, type, id, body))
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                                                     "Not connected");
      g_hash_table_steal (self->pending, id);
      func (self, NULL, error, data);
      pending_free (pending);
    }
}

static void
fail_pending (CohortSession *self,
              const GError  *error)
{
  g_autoptr(GHashTable) pending = NULL;
  GHashTableIter iter;
  gpointer value;

  if (g_hash_table_size (self->pending) == 0)
    return;

  pending = g_steal_pointer (&self->pending);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pending_free);

  g_hash_table_iter_init (&iter, pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Pending *p = value;

      p->func (self, NULL, error, p->data);
    }
}

static void
flush_outbox (CohortSession *self)
{
  /* The UI words it as the server being out of reach, which it was. */
  g_autoptr(GError) expired = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                                   "Not answered in time");
  const gint64 day_us = (gint64) 24 * 3600 * G_USEC_PER_SEC;
  gint64 now = g_get_real_time ();
  guint n;

  /* A request never sent is simply given up. One sent may have been
   * applied: it is resent while the server surely keeps its reply, since a
   * resend past that could apply it twice. */
  if (cohort_outbox_expire (self->outbox,
                            now - COHORT_REQUEST_MAX_AGE_DAYS * day_us,
                            now - COHORT_SENT_REQUEST_MAX_AGE_DAYS * day_us,
                            expired) > 0)
    notify (self, PROP_N_PENDING);

  n = cohort_outbox_get_n_items (self->outbox);

  for (guint i = 0; i < n; i++)
    {
      const CohortOutboxEntry *entry = cohort_outbox_get_nth (self->outbox, i);

      if (entry->sent)
        continue;

      if (!send_request (self, entry->type, entry->id, entry->body))
        return;

      cohort_outbox_mark_sent (self->outbox, entry->id);
    }
}

static void on_ws_message (SoupWebsocketConnection *ws,
                           SoupWebsocketDataType    type,
                           GBytes                  *message,
                           CohortSession           *self);
static void on_ws_closed  (SoupWebsocketConnection *ws,
                           CohortSession           *self);
static void on_ws_error   (SoupWebsocketConnection *ws,
                           GError                  *error,
                           CohortSession           *self);

/* Forgets the socket without waiting for a close handshake. With @abrupt
 * the TCP stream is shut as a network failure would, else a 1001 close
 * frame goes out first. */
static void
drop_socket (CohortSession *self,
             gboolean       abrupt)
{
  g_autoptr(SoupWebsocketConnection) ws = g_steal_pointer (&self->ws);

  clear_source (&self->keepalive_source);
  g_clear_pointer (&self->ping_id, g_free);

  if (self->connect_cancellable != NULL)
    {
      g_cancellable_cancel (self->connect_cancellable);
      g_clear_object (&self->connect_cancellable);
    }

  if (ws == NULL)
    return;

  g_signal_handlers_disconnect_by_data (ws, self);

  if (soup_websocket_connection_get_state (ws) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      if (abrupt)
        g_io_stream_close (soup_websocket_connection_get_io_stream (ws), NULL, NULL);
      else
        soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
    }
}

static void
on_ping_reply (CohortSession *self,
               CohortMessage *reply,
               const GError  *error,
               gpointer       data)
{
  g_clear_pointer (&self->ping_id, g_free);
}

static gboolean
on_keepalive (gpointer user_data)
{
  CohortSession *self = user_data;

  if (self->ping_id != NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                                     "The class server stopped answering");

      g_debug ("Keepalive ping unanswered; dropping the connection");
      connection_lost (self, error);
      return G_SOURCE_REMOVE;
    }

  send_control (self, COHORT_REQ_PING, NULL, on_ping_reply, NULL, NULL, &self->ping_id);
  return G_SOURCE_CONTINUE;
}

static void
start_keepalive (CohortSession *self)
{
  clear_source (&self->keepalive_source);
  self->keepalive_source = add_timeout (self, KEEPALIVE_SECONDS * 1000, on_keepalive);
}

/* Body helpers: every reply comes from the network, so check each type. */

static gboolean
get_int_member (JsonObject *object,
                const char *member,
                gint64     *out)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *out = json_node_get_int (node);
  return *out >= 0 && *out <= COHORT_MAX_SAFE_INT;
}

/* Applies the parts of a create/join/resume "ok" body that they share.
 * @participants may be NULL (a resume in replay mode keeps the roster). */
static gboolean
apply_joined_body (CohortSession  *self,
                   JsonObject     *body,
                   JsonArray      *participants,
                   GError        **error)
{
  g_autoptr(CohortParticipant) you = NULL;
  CohortParticipant *in_roster;
  JsonObject *klass;
  const char *code;
  const char *title;
  gint64 class_id;

  klass = _cohort_json_object (body, "class");
  you = cohort_participant_new_from_json (_cohort_json_object (body, "you"));
  code = _cohort_json_string (klass, "code");
  title = _cohort_json_string (klass, "title");

  if (you == NULL || !get_int_member (klass, "id", &class_id) || code == NULL || title == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The class server sent a reply this version of Cohort does not "
                           "understand. Update Cohort and try again.");
      return FALSE;
    }

  g_object_freeze_notify (G_OBJECT (self));

  if (self->class_id != class_id)
    {
      self->class_id = class_id;
      notify (self, PROP_CLASS_ID);
    }
  _cohort_set_string (self, &self->class_code, code, properties[PROP_CLASS_CODE]);
  _cohort_set_string (self, &self->class_title, title, properties[PROP_CLASS_TITLE]);
  apply_class_access (self, klass);
  set_admission (self, g_strcmp0 (_cohort_json_string (body, "admission"),
                                  COHORT_ADMISSION_STR_WAITING) == 0
                       ? COHORT_ADMISSION_WAITING : COHORT_ADMISSION_ADMITTED);

  if (participants != NULL)
    {
      JsonArray *links = _cohort_json_array (_cohort_json_object (body, "media"), "links");

      cohort_roster_reset (self->roster, participants, cohort_participant_get_id (you));
      /* media: the teacher's welcome names the students whose last link
       * report was not good, as the events since would have. */
      for (guint i = 0; links != NULL && i < json_array_get_length (links); i++)
        {
          JsonNode *link = json_array_get_element (links, i);

          if (JSON_NODE_HOLDS_OBJECT (link))
            cohort_roster_apply_event (self->roster, COHORT_EV_MEDIA_LINK_QUALITY, json_node_get_object (link));
        }
    }

  /* The roster holds the object the UI binds to; "you" only fills in when
   * the roster does not know us yet. */
  in_roster = cohort_roster_lookup (self->roster, cohort_participant_get_id (you));
  if (in_roster == NULL)
    {
      g_autoptr(JsonObject) joined = json_object_new ();
      JsonNode *you_node = json_object_get_member (body, "you");

      json_object_set_member (joined, "participant", json_node_copy (you_node));
      cohort_roster_apply_event (self->roster, COHORT_EV_PARTICIPANT_JOINED, joined);
      in_roster = cohort_roster_lookup (self->roster, cohort_participant_get_id (you));
    }
  if (in_roster != NULL)
    cohort_participant_set_is_self (in_roster, TRUE);
  set_self_participant (self, in_roster != NULL ? in_roster : you);

  g_object_thaw_notify (G_OBJECT (self));

  if (participants != NULL)
    g_signal_emit (self, signals[WELCOME], 0, body);

  return TRUE;
}

/* Events */

static void fail_permanently (CohortSession *self,
                              const GError  *error);

/* The teacher removed us: say so, and stop (our tokens are revoked). */
static void
removed (CohortSession *self,
         gboolean       blocked)
{
  g_autoptr(GError) error = g_error_new_literal (COHORT_SESSION_ERROR, COHORT_SESSION_ERROR_REMOVED,
                                                 "Removed from the class by the teacher");

  g_object_ref (self);
  g_signal_emit (self, signals[REMOVED], 0, blocked);
  fail_permanently (self, error);
  g_object_unref (self);
}

static void
resync (CohortSession *self)
{
  g_debug ("Missed events after seq %" G_GINT64_FORMAT "; resuming", self->last_seq);

  drop_socket (self, FALSE);
  fail_pending (self, &(GError) { G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                                  (char *) "Resynchronising" });
  cohort_outbox_mark_all_unsent (self->outbox);
  set_state (self, COHORT_SESSION_STATE_RECONNECTING);
  /* Through the backoff so a server that keeps skipping cannot spin us. */
  schedule_reconnect (self, cohort_backoff_next_delay (self->backoff));
}

static void
handle_event (CohortSession *self,
              CohortMessage *message)
{
  const char *event = cohort_message_get_name (message);
  JsonObject *body = cohort_message_get_body (message);
  gint64 seq = cohort_message_get_seq (message);

  /* identity: a waiting room hears only of its own admission or removal,
   * sent outside the class's sequence. */
  if (self->state == COHORT_SESSION_STATE_JOINED && self->admission == COHORT_ADMISSION_WAITING)
    {
      gint64 participant_id = 0;

      if (!get_int_member (body, "participant_id", &participant_id) || self->self_participant == NULL ||
          participant_id != cohort_participant_get_id (self->self_participant))
        return;
      if (g_str_equal (event, COHORT_EV_ADMISSION_GRANTED))
        {
          g_debug ("Admitted; resuming from a snapshot");
          self->want_snapshot = TRUE;
          set_state (self, COHORT_SESSION_STATE_RECONNECTING);
          send_handshake (self);
        }
      else if (g_str_equal (event, COHORT_EV_PARTICIPANT_REMOVED))
        removed (self, json_object_get_boolean_member_with_default (body, "blocked", FALSE));
      return;
    }

  /* Without a baseline there is nothing to apply an event to. */
  if (self->state != COHORT_SESSION_STATE_JOINED)
    {
      g_debug ("Ignoring event %s (seq %" G_GINT64_FORMAT ") before joining", event, seq);
      return;
    }

  if (seq <= self->last_seq)
    {
      g_debug ("Ignoring event %s: seq %" G_GINT64_FORMAT " already applied", event, seq);
      return;
    }

  /* Events for other participants are not sent; "prev" names the last one
   * sent to us, so anything newer than what we hold means we missed one. */
  if (cohort_message_get_prev (message) > self->last_seq)
    {
      resync (self);
      return;
    }

  if (!cohort_roster_apply_event (self->roster, event, body))
    g_debug ("The roster did not apply event %s (seq %" G_GINT64_FORMAT ")", event, seq);

  if (g_str_equal (event, COHORT_EV_CLASS_UPDATED))
    apply_class_access (self, _cohort_json_object (body, "class"));

  set_last_seq (self, seq);
  g_signal_emit (self, signals[EVENT_RECEIVED], 0, event, body, seq);

  if (g_str_equal (event, COHORT_EV_PARTICIPANT_REMOVED) && self->self_participant != NULL)
    {
      gint64 participant_id = 0;

      if (get_int_member (body, "participant_id", &participant_id) &&
          participant_id == cohort_participant_get_id (self->self_participant))
        removed (self, json_object_get_boolean_member_with_default (body, "blocked", FALSE));
    }
}

static void
handle_reply (CohortSession *self,
              CohortMessage *message)
{
  const char *re = cohort_message_get_id (message);
  g_autoptr(GError) error = NULL;
  gpointer key, value;

  if (re == NULL)
    {
      g_debug ("Reply without an id: %s", cohort_message_get_error_message (message));
      return;
    }

  if (g_hash_table_steal_extended (self->pending, re, &key, &value))
    {
      g_autofree char *id = key;
      Pending *pending = value;

      pending->func (self, message, NULL, pending->data);
      pending_free (pending);
      return;
    }

  cohort_message_check (message, &error);
  if (cohort_outbox_complete (self->outbox, re,
                              error == NULL ? cohort_message_get_body (message) : NULL,
                              error))
    notify (self, PROP_N_PENDING);
  else
    g_debug ("Ignoring a reply to unknown request %s", re);
}

static void handle_server_message (CohortSession *self,
                                   const char    *data,
                                   gsize          length);

static void
on_ws_message (SoupWebsocketConnection *ws,
               SoupWebsocketDataType    type,
               GBytes                  *bytes,
               CohortSession           *self)
{
  const char *data;
  gsize length;

  g_assert (ws == self->ws);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      g_warning ("Dropping a binary frame from the server");
      return;
    }

  data = g_bytes_get_data (bytes, &length);

  /* A batch frame (we asked for them in the URL) holds several messages,
   * one per line; a message's JSON never holds a raw line feed. */
  g_object_ref (self);
  for (;;)
    {
      const char *newline = memchr (data, '\n', length);
      gsize n = newline != NULL ? (gsize) (newline - data) : length;

      handle_server_message (self, data, n);
      if (newline == NULL || self->ws != ws)
        break;
      data += n + 1;
      length -= n + 1;
    }
  g_object_unref (self);
}

static void
handle_server_message (CohortSession *self,
                       const char    *data,
                       gsize          length)
{
  g_autoptr(CohortMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  if (!(message = cohort_protocol_parse_server (data, length, &error)))
    {
      g_warning ("Dropping an invalid frame from the server: %s", error->message);
      return;
    }

  /* Keep the session alive if a handler drops the last outside ref. */
  g_object_ref (self);

  switch (cohort_message_get_kind (message))
    {
    case COHORT_MESSAGE_EVENT:
      handle_event (self, message);
      break;

    case COHORT_MESSAGE_OK:
    case COHORT_MESSAGE_ERROR:
      handle_reply (self, message);
      break;

    case COHORT_MESSAGE_PROGRESS:
      g_signal_emit (self, signals[PROGRESS_RECEIVED], 0,
                     cohort_message_get_id (message), cohort_message_get_body (message));
      break;

    case COHORT_MESSAGE_REQUEST:
    default:
      g_warning ("Dropping an unexpected %s frame from the server",
                 cohort_message_get_name (message));
      break;
    }

  g_object_unref (self);
}

static void
on_ws_closed (SoupWebsocketConnection *ws,
              CohortSession           *self)
{
  g_autoptr(GError) error = NULL;

  g_debug ("Socket closed (code %u)", soup_websocket_connection_get_close_code (ws));
  error = g_error_new (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                       "The class server closed the connection (%u)",
                       soup_websocket_connection_get_close_code (ws));
  connection_lost (self, error);
}

static void
on_ws_error (SoupWebsocketConnection *ws,
             GError                  *error,
             CohortSession           *self)
{
  g_debug ("Socket error: %s", error->message);
}

/* Opening: create, join or resume */

static void
clear_open_args (CohortSession *self)
{
  self->open_kind = OPEN_NONE;
  g_clear_pointer (&self->open_title, g_free);
  g_clear_pointer (&self->open_name, g_free);
  g_clear_pointer (&self->open_code, g_free);
  g_clear_pointer (&self->open_teacher_key, g_free);
  g_clear_pointer (&self->open_staff_credential, g_free);
  g_clear_pointer (&self->open_token, g_free);
}

static void
fail_open (CohortSession *self,
           const GError  *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->open_task);
  g_autofree char *message = describe_error (self, error);

  clear_open_args (self);
  drop_socket (self, FALSE);

  set_error_message (self, message);
  set_state (self, COHORT_SESSION_STATE_FAILED);

  if (task != NULL)
    g_task_return_error (task, g_error_copy (error));
}

static void
joined (CohortSession *self)
{
  cohort_backoff_reset (self->backoff);
  set_error_message (self, NULL);
  set_state (self, COHORT_SESSION_STATE_JOINED);
  start_keepalive (self);
  flush_outbox (self);
}

static void
on_open_reply (CohortSession *self,
               CohortMessage *reply,
               const GError  *transport_error,
               gpointer       data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  JsonObject *body;
  const char *token;
  const char *teacher_key;
  const char *mode;
  JsonArray *participants;
  gint64 seq = 0;

  if (self->open_task == NULL)
    return;

  if (transport_error != NULL)
    {
      fail_open (self, transport_error);
      return;
    }

  if (!cohort_message_check (reply, &error))
    {
      g_autoptr(GError) staff_error = _cohort_session_staff_error (reply);

      fail_open (self, staff_error != NULL ? staff_error : error);
      return;
    }

  body = cohort_message_get_body (reply);
  token = _cohort_json_string (body, "token");
  teacher_key = _cohort_json_string (body, "teacher_key");
  participants = _cohort_json_array (body, "participants");
  mode = _cohort_json_string (body, "mode");

  /* A resume does not send the token back: it is the one we hold. */
  if (self->open_kind == OPEN_RESUME)
    token = self->open_token;

  if (!get_int_member (body, "seq", &seq) || token == NULL ||
      (self->open_kind != OPEN_RESUME && participants == NULL))
    {
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   "The class server sent a reply this version of Cohort does "
                                   "not understand. Update Cohort and try again.");
      fail_open (self, error);
      return;
    }

  /* A fresh resume asks for a snapshot (see send_handshake); a server that
   * replays anyway leaves us with just ourselves until events arrive. */
  if (self->open_kind == OPEN_RESUME && participants == NULL)
    {
      g_warning ("Resume answered with mode “%s” and no participants", mode ? mode : "?");
      cohort_roster_reset (self->roster, NULL, 0);
    }

  if (!apply_joined_body (self, body, participants, &error))
    {
      fail_open (self, error);
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (token != NULL)
    _cohort_set_string (self, &self->token, token, properties[PROP_TOKEN]);
  if (teacher_key != NULL)
    _cohort_set_string (self, &self->teacher_key, teacher_key, properties[PROP_TEACHER_KEY]);
  else if (self->open_teacher_key != NULL)
    _cohort_set_string (self, &self->teacher_key, self->open_teacher_key, properties[PROP_TEACHER_KEY]);
  set_last_seq (self, seq);
  g_object_thaw_notify (G_OBJECT (self));

  task = g_steal_pointer (&self->open_task);
  clear_open_args (self);

  /* Cancelled while the reply was on its way: do not stay in the class
   * behind the caller's back. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      g_autoptr(GError) cancelled = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                         "Cancelled");
      teardown (self, cancelled);
      g_task_return_error (task, g_steal_pointer (&cancelled));
      return;
    }

  joined (self);

  g_task_return_boolean (task, TRUE);
}

/* Reconnecting */

static void
fail_permanently (CohortSession *self,
                  const GError  *error)
{
  g_autofree char *message = describe_error (self, error);

  g_debug ("Giving up: %s", error->message);

  clear_source (&self->reconnect_source);
  drop_socket (self, FALSE);
  fail_pending (self, error);
  cohort_outbox_cancel_all (self->outbox, error);
  notify (self, PROP_N_PENDING);

  set_error_message (self, message);
  set_state (self, COHORT_SESSION_STATE_FAILED);
}

static void
on_resume_reply (CohortSession *self,
                 CohortMessage *reply,
                 const GError  *transport_error,
                 gpointer       data)
{
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonArray *participants;
  const char *mode;
  gint64 seq = 0;

  /* A lost socket is connection_lost()'s to handle. */
  if (transport_error != NULL || self->state != COHORT_SESSION_STATE_RECONNECTING)
    return;

  if (!cohort_message_check (reply, &error))
    {
      if (g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_UNAUTHORIZED) ||
          g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_NOT_FOUND) ||
          g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_UNSUPPORTED_VERSION))
        {
          fail_permanently (self, error);
          return;
        }

      /* internal, rate_limited, …: worth another try later. */
      g_debug ("Resume refused (%s); retrying", error->message);
      drop_socket (self, FALSE);
      schedule_reconnect (self, cohort_backoff_next_delay (self->backoff));
      return;
    }

  body = cohort_message_get_body (reply);
  mode = _cohort_json_string (body, "mode");
  participants = _cohort_json_array (body, "participants");

  if (!get_int_member (body, "seq", &seq) ||
      (g_strcmp0 (mode, "snapshot") == 0 && participants == NULL) ||
      (g_strcmp0 (mode, "snapshot") != 0 && g_strcmp0 (mode, "replay") != 0))
    {
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                                   "The class server sent a reply this version of Cohort does "
                                   "not understand. Update Cohort and try again.");
      fail_permanently (self, error);
      return;
    }

  self->want_snapshot = FALSE;
  if (g_str_equal (mode, "snapshot"))
    {
      g_debug ("Resumed from a snapshot at seq %" G_GINT64_FORMAT, seq);
      if (!apply_joined_body (self, body, participants, &error))
        {
          fail_permanently (self, error);
          return;
        }
      set_last_seq (self, seq);
    }
  else
    {
      /* The missed events follow this reply; handle_event applies them. */
      g_debug ("Resumed; replaying %" G_GINT64_FORMAT " → %" G_GINT64_FORMAT,
               self->last_seq, seq);
      if (!apply_joined_body (self, body, NULL, &error))
        {
          fail_permanently (self, error);
          return;
        }
    }

  joined (self);
}

static void
send_handshake (CohortSession *self)
{
  g_autoptr(JsonObject) body = json_object_new ();

  json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);

  if (self->state == COHORT_SESSION_STATE_RECONNECTING)
    {
      json_object_set_string_member (body, "token", self->token);
      /* A last_seq ahead of the server asks for a snapshot. */
      json_object_set_int_member (body, "last_seq",
                                  self->want_snapshot ? COHORT_MAX_SAFE_INT : self->last_seq);
      send_control (self, COHORT_REQ_RESUME, body, on_resume_reply, NULL, NULL, NULL);
      return;
    }

  switch (self->open_kind)
    {
    case OPEN_CREATE:
      json_object_set_string_member (body, "title", self->open_title);
      json_object_set_string_member (body, "name", self->open_name);
      if (self->open_staff_credential != NULL)
        json_object_set_string_member (body, "staff_credential", self->open_staff_credential);
      json_object_set_boolean_member (body, "waiting_room", self->create_waiting_room);
      send_control (self, COHORT_REQ_CLASS_CREATE, body, on_open_reply, NULL, NULL, NULL);
      break;

    case OPEN_JOIN:
      json_object_set_string_member (body, "code", self->open_code);
      if (self->open_name != NULL)
        json_object_set_string_member (body, "name", self->open_name);
      if (self->open_staff_credential != NULL)
        json_object_set_string_member (body, "staff_credential", self->open_staff_credential);
      if (self->open_teacher_key != NULL)
        json_object_set_string_member (body, "teacher_key", self->open_teacher_key);
      send_control (self, COHORT_REQ_CLASS_JOIN, body, on_open_reply, NULL, NULL, NULL);
      break;

    case OPEN_RESUME:
      /* A fresh session has no state to replay onto. A last_seq ahead of
       * the server is the protocol's way to ask for a snapshot. */
      json_object_set_string_member (body, "token", self->open_token);
      json_object_set_int_member (body, "last_seq", COHORT_MAX_SAFE_INT);
      send_control (self, COHORT_REQ_RESUME, body, on_open_reply, NULL, NULL, NULL);
      break;

    case OPEN_NONE:
    default:
      g_assert_not_reached ();
    }
}

typedef struct
{
  CohortSession *self;
  GCancellable  *cancellable;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ConnectData, connect_data_free)

static void
on_connected (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ConnectData) data = user_data;
  g_autoptr(SoupWebsocketConnection) ws = NULL;
  g_autoptr(GError) error = NULL;
  CohortSession *self = data->self;

  ws = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);

  /* Superseded by a drop, a leave or a newer attempt. */
  if (g_cancellable_is_cancelled (data->cancellable) ||
      data->cancellable != self->connect_cancellable)
    return;

  g_clear_object (&self->connect_cancellable);

  if (ws == NULL)
    {
      g_debug ("Could not connect to %s: %s", self->server_url, error->message);
      connection_lost (self, error);
      return;
    }

  self->ws = g_steal_pointer (&ws);
  soup_websocket_connection_set_max_incoming_payload_size (self->ws, COHORT_HARD_FRAME_BYTES);
  g_signal_connect (self->ws, "message", G_CALLBACK (on_ws_message), self);
  g_signal_connect (self->ws, "closed", G_CALLBACK (on_ws_closed), self);
  g_signal_connect (self->ws, "error", G_CALLBACK (on_ws_error), self);

  send_handshake (self);
}

static void
connect_socket (CohortSession *self)
{
  g_autoptr(SoupMessage) message = NULL;
  ConnectData *data;

  drop_socket (self, FALSE);

  {
    /* batch=1: this client reads batch frames (docs/protocol.md). */
    g_autofree char *url = g_strconcat (self->server_url,
                                        strchr (self->server_url, '?') ? "&" : "?",
                                        "batch=1", NULL);

    message = soup_message_new (SOUP_METHOD_GET, url);
  }
  if (message == NULL)
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                                     "Invalid server address");
      connection_lost (self, error);
      return;
    }

  self->connect_cancellable = g_cancellable_new ();
  data = g_new0 (ConnectData, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->connect_cancellable);

  g_debug ("Connecting to %s", self->server_url);
  soup_session_websocket_connect_async (self->soup, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        self->connect_cancellable, on_connected, data);
}

static gboolean
on_reconnect_timeout (gpointer user_data)
{
  CohortSession *self = user_data;

  g_clear_pointer (&self->reconnect_source, g_source_unref);
  connect_socket (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (CohortSession *self,
                    guint          delay_ms)
{
  clear_source (&self->reconnect_source);
  g_debug ("Reconnecting in %u ms", delay_ms);
  self->reconnect_source = add_timeout (self, delay_ms, on_reconnect_timeout);
}

static void finish_leave (CohortSession *self);

static void
connection_lost (CohortSession *self,
                 const GError  *error)
{
  g_object_ref (self);

  drop_socket (self, TRUE);
  fail_pending (self, error);

  if (self->leave_task != NULL)
    finish_leave (self);

  switch (self->state)
    {
    case COHORT_SESSION_STATE_CONNECTING:
      if (self->open_task != NULL)
        fail_open (self, error);
      break;

    case COHORT_SESSION_STATE_JOINED:
    case COHORT_SESSION_STATE_RECONNECTING:
      cohort_outbox_mark_all_unsent (self->outbox);
      set_state (self, COHORT_SESSION_STATE_RECONNECTING);
      schedule_reconnect (self, cohort_backoff_next_delay (self->backoff));
      break;

    case COHORT_SESSION_STATE_DISCONNECTED:
    case COHORT_SESSION_STATE_FAILED:
    default:
      break;
    }

  g_object_unref (self);
}

/* Leaving */

static void
teardown (CohortSession *self,
          const GError  *error)
{
  g_autoptr(GTask) open_task = g_steal_pointer (&self->open_task);

  clear_source (&self->reconnect_source);
  clear_source (&self->leave_timeout_source);
  drop_socket (self, FALSE);
  fail_pending (self, error);
  clear_open_args (self);

  cohort_outbox_cancel_all (self->outbox, error);
  notify (self, PROP_N_PENDING);

  set_state (self, COHORT_SESSION_STATE_DISCONNECTED);

  if (open_task != NULL)
    g_task_return_error (open_task, g_error_copy (error));
}

static void
finish_leave (CohortSession *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->leave_task);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "You left the class.");

  teardown (self, error);

  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
on_leave_reply (CohortSession *self,
                CohortMessage *reply,
                const GError  *transport_error,
                gpointer       data)
{
  /* Whatever the server says, this client is done with the class. */
  if (self->leave_task != NULL)
    finish_leave (self);
}

static gboolean
on_leave_timeout (gpointer user_data)
{
  CohortSession *self = user_data;

  g_clear_pointer (&self->leave_timeout_source, g_source_unref);
  g_debug ("No answer to class.leave; leaving anyway");
  finish_leave (self);

  return G_SOURCE_REMOVE;
}

/* URLs */

char *
_cohort_session_normalize_url (const char  *raw,
               GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *path;

  trimmed = g_strstrip (g_strdup (raw != NULL ? raw : ""));
  if (strstr (trimmed, "://") == NULL)
    with_scheme = g_strconcat ("ws://", trimmed, NULL);
  else
    with_scheme = g_strdup (trimmed);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    {
      scheme = g_uri_get_scheme (uri);
      if (g_ascii_strcasecmp (scheme, "http") == 0)
        scheme = "ws";
      else if (g_ascii_strcasecmp (scheme, "https") == 0)
        scheme = "wss";

      path = g_uri_get_path (uri);
      if (path == NULL || *path == '\0' || g_str_equal (path, "/"))
        path = "/ws";

      if ((g_ascii_strcasecmp (scheme, "ws") == 0 || g_ascii_strcasecmp (scheme, "wss") == 0) &&
          g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0')
        return g_uri_join (G_URI_FLAGS_NONE, scheme, NULL, g_uri_get_host (uri),
                           g_uri_get_port (uri), path, NULL, NULL);
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "“%s” is not a class server address. "
               "Enter it as host:port, for example school.example:8080.",
               trimmed);
  return NULL;
}

/* GObject */

static void
cohort_session_dispose (GObject *object)
{
  CohortSession *self = (CohortSession *)object;

  clear_source (&self->reconnect_source);
  clear_source (&self->keepalive_source);
  clear_source (&self->leave_timeout_source);
  drop_socket (self, FALSE);
  if (self->pending != NULL)
    g_hash_table_remove_all (self->pending);

  g_clear_object (&self->soup);
  g_clear_object (&self->self_participant);
  g_clear_object (&self->roster);
  g_clear_object (&self->lesson);
  g_clear_object (&self->schedule);

  G_OBJECT_CLASS (cohort_session_parent_class)->dispose (object);
}

static void
cohort_session_finalize (GObject *object)
{
  CohortSession *self = (CohortSession *)object;

  clear_open_args (self);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->outbox, cohort_outbox_free);
  g_clear_pointer (&self->backoff, cohort_backoff_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->class_code, g_free);
  g_clear_pointer (&self->class_title, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->teacher_key, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->ping_id, g_free);

  G_OBJECT_CLASS (cohort_session_parent_class)->finalize (object);
}

static void
cohort_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CohortSession *self = COHORT_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;

    case PROP_CLASS_ID:
      g_value_set_int64 (value, self->class_id);
      break;

    case PROP_CLASS_CODE:
      g_value_set_string (value, self->class_code);
      break;

    case PROP_CLASS_TITLE:
      g_value_set_string (value, self->class_title);
      break;

    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;

    case PROP_TEACHER_KEY:
      g_value_set_string (value, self->teacher_key);
      break;

    case PROP_SELF:
      g_value_set_object (value, self->self_participant);
      break;

    case PROP_ROSTER:
      g_value_set_object (value, self->roster);
      break;

    case PROP_LAST_SEQ:
      g_value_set_int64 (value, self->last_seq);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    case PROP_N_PENDING:
      g_value_set_uint (value, cohort_session_get_n_pending (self));
      break;

    case PROP_ADMISSION:
      g_value_set_enum (value, self->admission);
      break;

    case PROP_WAITING_ROOM:
      g_value_set_boolean (value, self->waiting_room);
      break;

    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;

    case PROP_ANONYMOUS_JOIN:
      g_value_set_boolean (value, self->anonymous_join);
      break;

    case PROP_CREATE_WAITING_ROOM:
      g_value_set_boolean (value, self->create_waiting_room);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_session_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CohortSession *self = COHORT_SESSION (object);

  switch (prop_id)
    {
    case PROP_CREATE_WAITING_ROOM:
      _cohort_set_boolean (self, &self->create_waiting_room, g_value_get_boolean (value),
                           properties[PROP_CREATE_WAITING_ROOM]);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_session_class_init (CohortSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cohort_session_dispose;
  object_class->finalize = cohort_session_finalize;
  object_class->get_property = cohort_session_get_property;
  object_class->set_property = cohort_session_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       COHORT_TYPE_SESSION_STATE, COHORT_SESSION_STATE_DISCONNECTED, flags);
  properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, flags);
  properties[PROP_CLASS_ID] =
    g_param_spec_int64 ("class-id", NULL, NULL, 0, COHORT_MAX_SAFE_INT, 0, flags);
  properties[PROP_CLASS_CODE] = g_param_spec_string ("class-code", NULL, NULL, NULL, flags);
  properties[PROP_CLASS_TITLE] = g_param_spec_string ("class-title", NULL, NULL, NULL, flags);
  properties[PROP_TOKEN] = g_param_spec_string ("token", NULL, NULL, NULL, flags);
  properties[PROP_TEACHER_KEY] = g_param_spec_string ("teacher-key", NULL, NULL, NULL, flags);
  properties[PROP_SELF] =
    g_param_spec_object ("self", NULL, NULL, COHORT_TYPE_PARTICIPANT, flags);
  properties[PROP_ROSTER] =
    g_param_spec_object ("roster", NULL, NULL, COHORT_TYPE_ROSTER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SEQ] =
    g_param_spec_int64 ("last-seq", NULL, NULL, 0, COHORT_MAX_SAFE_INT, 0, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* identity */
  properties[PROP_ADMISSION] =
    g_param_spec_enum ("admission", NULL, NULL,
                       COHORT_TYPE_ADMISSION, COHORT_ADMISSION_ADMITTED, flags);
  properties[PROP_WAITING_ROOM] = g_param_spec_boolean ("waiting-room", NULL, NULL, FALSE, flags);
  properties[PROP_LOCKED] = g_param_spec_boolean ("locked", NULL, NULL, FALSE, flags);
  properties[PROP_ANONYMOUS_JOIN] = g_param_spec_boolean ("anonymous-join", NULL, NULL, TRUE, flags);
  /* Whether classes this session creates start with a waiting room. */
  properties[PROP_CREATE_WAITING_ROOM] =
    g_param_spec_boolean ("create-waiting-room", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CohortSession::event-received:
   * @event: the event name, such as "hand.raised"
   * @body: the event body
   * @seq: the event's class-wide sequence number
   *
   * Emitted once per event, in seq order, after the models applied it.
   */
  signals[EVENT_RECEIVED] =
    g_signal_new ("event-received",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_OBJECT,
                  G_TYPE_INT64);

  /**
   * CohortSession::welcome:
   * @body: the ok body of class.create, class.join or a snapshot resume
   *
   * Emitted when the session's state restarts from a full picture of the
   * class, after the roster was reset. Feature models reset their own
   * state from their members of @body here; events that follow build on it.
   */
  signals[WELCOME] =
    g_signal_new ("welcome",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1,
                  JSON_TYPE_OBJECT);

  /**
   * CohortSession::progress-received:
   * @re: the id of the request this streams a part of
   * @body: the progress body
   *
   * Emitted for each part of a streamed reply (an AI answer, say) before
   * the request's final ok or error.
   */
  signals[PROGRESS_RECEIVED] =
    g_signal_new ("progress-received",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  JSON_TYPE_OBJECT);

  /**
   * CohortSession::removed:
   * @blocked: whether the teacher also blocked this participant
   *
   * Emitted when the teacher removed this participant from the class; the
   * session then fails (its tokens are revoked).
   */
  signals[REMOVED] =
    g_signal_new ("removed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);
  guint64 parsed;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 1, G_MAXINT32, &parsed, NULL))
    return fallback;

  return (guint) parsed;
}

static void
cohort_session_init (CohortSession *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->soup = soup_session_new ();
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, pending_free);
  self->outbox = cohort_outbox_new ();
  self->roster = cohort_roster_new ();
  self->lesson = _cohort_lesson_new (self);
  self->schedule = _cohort_schedule_new (self);
  self->anonymous_join = TRUE;
  self->create_waiting_room = TRUE;
  /* Test suites shorten reconnects through the environment. */
  self->backoff = cohort_backoff_new (env_uint ("COHORT_BACKOFF_BASE_MS", COHORT_BACKOFF_BASE_MS),
                                      env_uint ("COHORT_BACKOFF_MAX_MS", COHORT_BACKOFF_MAX_MS),
                                      NULL);
}

CohortSession *
cohort_session_new (void)
{
  return g_object_new (COHORT_TYPE_SESSION, NULL);
}

/* Public API */

static void
open_start (CohortSession *self,
            OpenKind       kind,
            const char    *server_url,
            GTask         *task)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (self->open_task != NULL || self->leave_task != NULL ||
      self->state == COHORT_SESSION_STATE_CONNECTING ||
      self->state == COHORT_SESSION_STATE_JOINED ||
      self->state == COHORT_SESSION_STATE_RECONNECTING)
    {
      /* The arguments just stored belong to the call in progress, if any. */
      if (self->open_task == NULL)
        clear_open_args (self);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               "This session is already in a class. Leave it first.");
      return;
    }

  if (!(url = _cohort_session_normalize_url (server_url, &error)))
    {
      clear_open_args (self);
      set_error_message (self, error->message);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_object_freeze_notify (G_OBJECT (self));
  _cohort_set_string (self, &self->server_url, url, properties[PROP_SERVER_URL]);
  set_error_message (self, NULL);
  set_last_seq (self, 0);
  if (kind != OPEN_JOIN || self->open_teacher_key == NULL)
    _cohort_set_string (self, &self->teacher_key, NULL, properties[PROP_TEACHER_KEY]);
  _cohort_set_string (self, &self->token, NULL, properties[PROP_TOKEN]);
  cohort_backoff_reset (self->backoff);
  self->open_kind = kind;
  self->open_task = g_object_ref (task);
  set_state (self, COHORT_SESSION_STATE_CONNECTING);
  g_object_thaw_notify (G_OBJECT (self));

  connect_socket (self);
}

/* What create, join, open and resume send in their hello; each call
 * names its own and leaves the rest NULL. */
typedef struct {
  const char *title;
  const char *code;
  const char *name;
  const char *teacher_key;
  const char *staff_credential;
  const char *token;
} OpenArgs;

static void
open_begin (CohortSession       *self,
            OpenKind             kind,
            const char          *server_url,
            const OpenArgs      *args,
            gpointer             source_tag,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);

  /* While an open is in flight its arguments are the ones in use;
   * open_start refuses this call without touching them. */
  if (self->open_task == NULL)
    {
      clear_open_args (self);
      self->open_title = g_strdup (args->title);
      self->open_code = g_strdup (args->code);
      self->open_name = g_strdup (args->name);
      self->open_teacher_key = g_strdup (args->teacher_key);
      self->open_staff_credential = g_strdup (args->staff_credential);
      self->open_token = g_strdup (args->token);
    }
  open_start (self, kind, server_url, task);
}

/* Every open, and leave, completes with a boolean. */
static gboolean
finish_boolean (CohortSession  *self,
               GAsyncResult   *result,
               GError        **error)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
cohort_session_create_class_async (CohortSession       *self,
                                   const char          *server_url,
                                   const char          *title,
                                   const char          *name,
                                   const char          *staff_credential,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_return_if_fail (COHORT_IS_SESSION (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (title != NULL);
  g_return_if_fail (name != NULL);

  open_begin (self, OPEN_CREATE, server_url,
              &(OpenArgs) { .title = title, .name = name, .staff_credential = staff_credential },
              cohort_session_create_class_async, cancellable, callback, user_data);
}

gboolean
cohort_session_create_class_finish (CohortSession  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  return finish_boolean (self, result, error);
}

void
cohort_session_join_async (CohortSession       *self,
                           const char          *server_url,
                           const char          *code,
                           const char          *name,
                           const char          *teacher_key,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (COHORT_IS_SESSION (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (code != NULL);
  g_return_if_fail (name != NULL);

  open_begin (self, OPEN_JOIN, server_url,
              &(OpenArgs) { .code = code, .name = name, .teacher_key = teacher_key },
              cohort_session_join_async, cancellable, callback, user_data);
}

gboolean
cohort_session_join_finish (CohortSession  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  return finish_boolean (self, result, error);
}

void
cohort_session_open_class_async (CohortSession       *self,
                                 const char          *server_url,
                                 const char          *code,
                                 const char          *staff_credential,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (COHORT_IS_SESSION (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (code != NULL);
  g_return_if_fail (staff_credential != NULL);

  /* A join with no name: the staff credential says who opens it. */
  open_begin (self, OPEN_JOIN, server_url,
              &(OpenArgs) { .code = code, .staff_credential = staff_credential },
              cohort_session_open_class_async, cancellable, callback, user_data);
}

gboolean
cohort_session_open_class_finish (CohortSession  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  return finish_boolean (self, result, error);
}

void
cohort_session_resume_async (CohortSession       *self,
                             const char          *server_url,
                             const char          *token,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (COHORT_IS_SESSION (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (token != NULL);

  open_begin (self, OPEN_RESUME, server_url, &(OpenArgs) { .token = token },
              cohort_session_resume_async, cancellable, callback, user_data);
}

gboolean
cohort_session_resume_finish (CohortSession  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  return finish_boolean (self, result, error);
}

void
cohort_session_leave_async (CohortSession       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (COHORT_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_session_leave_async);

  if (self->leave_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Already leaving the class.");
      return;
    }

  self->leave_task = g_object_ref (task);

  if (self->state == COHORT_SESSION_STATE_JOINED && self->ws != NULL)
    {
      send_control (self, COHORT_REQ_CLASS_LEAVE, NULL, on_leave_reply, NULL, NULL, NULL);
      if (self->leave_task != NULL)
        self->leave_timeout_source = add_timeout (self, LEAVE_TIMEOUT_MS, on_leave_timeout);
      return;
    }

  /* Not connected: nobody to tell, just stop. */
  finish_leave (self);
}

gboolean
cohort_session_leave_finish (CohortSession  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  return finish_boolean (self, result, error);
}

typedef struct
{
  GTask      *task;
  char       *type;
  JsonObject *body;
  char       *id;      /* ai: chosen up front by request_with_id */
} RequestData;

static void
request_data_free (gpointer user_data)
{
  RequestData *data = user_data;

  g_clear_object (&data->task);
  g_free (data->type);
  g_clear_pointer (&data->body, json_object_unref);
  g_free (data->id);
  g_free (data);
}

static gboolean
request_start (gpointer user_data)
{
  RequestData *data = user_data;
  CohortSession *self = g_task_get_source_object (data->task);
  g_autofree char *id = NULL;

  if (g_task_return_error_if_cancelled (data->task))
    return G_SOURCE_REMOVE;

  if (cohort_protocol_is_anonymous_request (data->type) ||
      g_str_equal (data->type, COHORT_REQ_CLASS_LEAVE))
    {
      g_task_return_new_error (data->task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               "“%s” has its own call on CohortSession.", data->type);
      return G_SOURCE_REMOVE;
    }

  if (self->state == COHORT_SESSION_STATE_DISCONNECTED ||
      self->state == COHORT_SESSION_STATE_FAILED ||
      self->leave_task != NULL)
    {
      g_task_return_new_error (data->task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               "You are not in a class. Join a class and try again.");
      return G_SOURCE_REMOVE;
    }

  id = data->id != NULL ? g_strdup (data->id) : cohort_protocol_new_request_id ();
  cohort_outbox_push (self->outbox, id, data->type, data->body, data->task);
  notify (self, PROP_N_PENDING);

  if (self->state == COHORT_SESSION_STATE_JOINED && send_request (self, data->type, id, data->body))
    cohort_outbox_mark_sent (self->outbox, id);

  return G_SOURCE_REMOVE;
}

/* Both request calls: the reply completes a task tagged as a plain
 * request; a NULL @body sends an empty object. */
static RequestData *
request_data_new (CohortSession       *self,
                  const char          *type,
                  JsonObject          *body,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  RequestData *data = g_new0 (RequestData, 1);

  data->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (data->task, cohort_session_request_async);
  data->type = g_strdup (type);
  data->body = body != NULL ? json_object_ref (body) : json_object_new ();
  return data;
}

void
cohort_session_request_async (CohortSession       *self,
                              const char          *type,
                              JsonObject          *body,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  RequestData *data;

  g_return_if_fail (COHORT_IS_SESSION (self));
  g_return_if_fail (type != NULL);

  data = request_data_new (self, type, body, cancellable, callback, user_data);

  /* The socket and the outbox belong to the session's main context; a
   * caller on another thread is hopped over, the reply comes back on its
   * own context through the GTask. */
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT,
                              request_start, data, request_data_free);
}

/* ai: the same, and returns the id the request carries on the wire (it
 * keeps it through reconnects), to match progress-received to it. */
char *
cohort_session_request_with_id_async (CohortSession       *self,
                                      const char          *type,
                                      JsonObject          *body,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  RequestData *data;
  char *id;

  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);
  g_return_val_if_fail (type != NULL, NULL);

  data = request_data_new (self, type, body, cancellable, callback, user_data);
  data->id = cohort_protocol_new_request_id ();
  id = g_strdup (data->id);

  /* May run (and free @data) at once. */
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT,
                              request_start, data, request_data_free);

  return id;
}

JsonObject *
cohort_session_request_finish (CohortSession  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_request_for_task_done (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  JsonObject *body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);

  if (body == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, body, (GDestroyNotify) json_object_unref);
}

void
_cohort_session_request_for_task (CohortSession *self,
                                  const char    *type,
                                  JsonObject    *body,
                                  GCancellable  *cancellable,
                                  GTask         *task)
{
  cohort_session_request_async (self, type, body, cancellable, on_request_for_task_done, task);
}

GTask *
_cohort_session_new_task (CohortSession       *self,
                          gpointer             source_object,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data,
                          gpointer             source_tag)
{
  GTask *task = g_task_new (source_object, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  if (self != NULL)
    return task;
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The class was closed");
  g_object_unref (task);
  return NULL;
}

void
_cohort_session_request_for_object (CohortSession       *self,
                                    gpointer             source_object,
                                    const char          *type,
                                    JsonObject          *body,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data,
                                    gpointer             source_tag)
{
  GTask *task = _cohort_session_new_task (self, source_object, cancellable, callback, user_data,
                                          source_tag);

  if (task != NULL)
    _cohort_session_request_for_task (self, type, body, cancellable, task);
}

CohortSessionState
cohort_session_get_state (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), COHORT_SESSION_STATE_DISCONNECTED);

  return self->state;
}

const char *
cohort_session_get_server_url (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);

  return self->server_url;
}

gint64
cohort_session_get_class_id (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), 0);

  return self->class_id;
}

const char *
cohort_session_get_class_code (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);

  return self->class_code;
}

const char *
cohort_session_get_class_title (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);

  return self->class_title;
}

const char *
cohort_session_get_token (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);

  return self->token;
}

const char *
cohort_session_get_teacher_key (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);

  return self->teacher_key;
}

CohortParticipant *
cohort_session_get_self (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);

  return self->self_participant;
}

CohortRoster *
cohort_session_get_roster (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);

  return self->roster;
}

CohortLesson *
cohort_session_get_lesson (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);

  return self->lesson;
}

CohortSchedule *
cohort_session_get_schedule (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);

  return self->schedule;
}

gint64
cohort_session_get_last_seq (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), 0);

  return self->last_seq;
}

const char *
cohort_session_get_error_message (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), NULL);

  return self->error_message;
}

guint
cohort_session_get_n_pending (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), 0);

  return cohort_outbox_get_n_items (self->outbox);
}

void
cohort_session_simulate_drop (CohortSession *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (COHORT_IS_SESSION (self));

  if (self->ws == NULL)
    return;

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "Simulated drop");
  connection_lost (self, error);
}

CohortAdmission
cohort_session_get_admission (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), COHORT_ADMISSION_ADMITTED);

  return self->admission;
}

gboolean
cohort_session_get_waiting_room (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), FALSE);

  return self->waiting_room;
}

gboolean
cohort_session_get_locked (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), FALSE);

  return self->locked;
}

gboolean
cohort_session_get_anonymous_join (CohortSession *self)
{
  g_return_val_if_fail (COHORT_IS_SESSION (self), TRUE);

  return self->anonymous_join;
}

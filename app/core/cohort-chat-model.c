/* cohort-chat-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-chat-model"

#include "config.h"

#include "cohort-array-model-private.h"
#include "cohort-chat-model.h"
#include "cohort-chat-protocol.h"
#include "cohort-chat-text.h"
#include "cohort-protocol.h"
#include "cohort-notify-private.h"

/* Reactions and danmaku older than this (a replay after a reconnect) do
 * not fly. */
#define FRESH_MS          15000
#define MAX_SLOW_RETRIES  20

typedef struct
{
  gint64 participant_id;
  char   pace;             /* 'f' too fast, 's' too slow */
  gint64 at_ms;            /* local real time */
} PaceSignal;

struct _CohortChatModel
{
  GObject        parent_instance;

  CohortSession *session;
  gulong         welcome_handler;
  gulong         event_handler;

  /* CohortChatMessage: stored ones by id, then our own unsent ones */
  GPtrArray     *items;
  GHashTable    *by_id;          /* id → CohortChatMessage (unowned) */
  GHashTable    *muted;          /* participant ids */
  GArray        *pace;           /* PaceSignal */
  guint          pace_timer;
  GCancellable  *cancellable;
  guint          generation;     /* bumped by every welcome */

  guint          unread_count;
  gboolean       has_more;
  gboolean       loading;
  gboolean       private_enabled;
  gboolean       chat_muted;
  gboolean       danmaku_enabled;
  guint          pace_too_fast;
  guint          pace_too_slow;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortChatModel, cohort_chat_model, G_TYPE_OBJECT,
                               _cohort_array_model_implement (g_define_type_id, COHORT_TYPE_CHAT_MESSAGE,
                                                              G_STRUCT_OFFSET (CohortChatModel, items)))

enum {
  PROP_0,
  PROP_SESSION,
  PROP_UNREAD_COUNT,
  PROP_HAS_MORE,
  PROP_LOADING,
  PROP_PRIVATE_ENABLED,
  PROP_CHAT_MUTED,
  PROP_SELF_MUTED,
  PROP_DANMAKU_ENABLED,
  PROP_PACE_TOO_FAST,
  PROP_PACE_TOO_SLOW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  MESSAGE_RECEIVED,
  DANMAKU,
  REACTION,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Helpers */

static void
notify (CohortChatModel *self,
        guint            prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static gint64
self_id (CohortChatModel *self)
{
  CohortParticipant *me = cohort_session_get_self (self->session);

  return me != NULL ? cohort_participant_get_id (me) : 0;
}

static const char *
self_name (CohortChatModel *self)
{
  CohortParticipant *me = cohort_session_get_self (self->session);

  return me != NULL ? cohort_participant_get_name (me) : NULL;
}

static gboolean
self_is_teacher (CohortChatModel *self)
{
  CohortParticipant *me = cohort_session_get_self (self->session);

  return me != NULL && cohort_participant_get_role (me) == COHORT_ROLE_TEACHER;
}

/* is-own, is-teacher and mentions-self, which depend on who we are. */
static void
annotate (CohortChatModel   *self,
          CohortChatMessage *message)
{
  CohortParticipant *author;
  gint64 author_id = cohort_chat_message_get_author_id (message);

  author = cohort_roster_lookup (cohort_session_get_roster (self->session), author_id);
  cohort_chat_message_set_is_own (message, author_id == self_id (self));
  cohort_chat_message_set_is_teacher (message, author != NULL &&
                                      cohort_participant_get_role (author) == COHORT_ROLE_TEACHER);
  cohort_chat_message_set_mentions_self (message, author_id != self_id (self) &&
                                         cohort_chat_text_mentions (cohort_chat_message_get_text (message),
                                                                    self_name (self)));
}

static guint
n_stored (CohortChatModel *self)
{
  guint n = self->items->len;

  while (n > 0 && cohort_chat_message_get_id (g_ptr_array_index (self->items, n - 1)) == 0)
    n--;
  return n;
}

/* Where a stored message with @id goes: after every smaller id. */
static guint
position_for (CohortChatModel *self,
              gint64           id)
{
  guint lo = 0, hi = n_stored (self);

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cohort_chat_message_get_id (g_ptr_array_index (self->items, mid)) < id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static guint
index_of (CohortChatModel   *self,
          CohortChatMessage *message)
{
  guint index;

  if (g_ptr_array_find (self->items, message, &index))
    return index;
  return G_MAXUINT;
}

static CohortChatMessage *
find_own_unsent (CohortChatModel *self,
                 const char      *client_id)
{
  if (client_id == NULL)
    return NULL;

  for (guint i = n_stored (self); i < self->items->len; i++)
    {
      CohortChatMessage *m = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (cohort_chat_message_get_client_id (m), client_id) == 0)
        return m;
    }
  return NULL;
}

/* Moves an unsent message that just got its id to its place. */
static void
place_stored (CohortChatModel   *self,
              CohortChatMessage *message)
{
  guint from = index_of (self, message);
  guint to;

  g_assert (from != G_MAXUINT);
  g_ptr_array_steal_index (self->items, from);
  to = position_for (self, cohort_chat_message_get_id (message));
  g_ptr_array_insert (self->items, to, message);
  {
    gint64 *key = g_new (gint64, 1);

    *key = cohort_chat_message_get_id (message);
    g_hash_table_insert (self->by_id, key, message);
  }

  if (from == to)
    g_list_model_items_changed (G_LIST_MODEL (self), from, 1, 1);
  else
    {
      g_list_model_items_changed (G_LIST_MODEL (self), from, 1, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), to, 0, 1);
    }
}

/* Adds or updates a stored message from the server. Returns the message
 * when it is new to this model, NULL when it was already known. */
static CohortChatMessage *
merge_message (CohortChatModel *self,
               JsonObject      *object)
{
  gint64 id = json_object_get_int_member (object, "id");
  CohortChatMessage *known = g_hash_table_lookup (self->by_id, &id);
  CohortChatMessage *message;
  gint64 *key;
  guint pos;

  if (known != NULL)
    {
      cohort_chat_message_update_from_json (known, object);
      annotate (self, known);
      return NULL;
    }

  if (json_object_get_int_member (object, "author_id") == self_id (self) &&
      (known = find_own_unsent (self, json_object_get_string_member_with_default (object, "client_id",
                                                                                 NULL))) != NULL)
    {
      cohort_chat_message_update_from_json (known, object);
      annotate (self, known);
      place_stored (self, known);
      return NULL;
    }

  message = cohort_chat_message_new_from_json (object);
  annotate (self, message);
  pos = position_for (self, id);
  g_ptr_array_insert (self->items, pos, message);
  key = g_new (gint64, 1);
  *key = id;
  g_hash_table_insert (self->by_id, key, message);
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, 1);
  return message;
}

CohortChatMessage *
cohort_chat_model_lookup (CohortChatModel *self,
                          gint64           id)
{
  g_return_val_if_fail (COHORT_IS_CHAT_MODEL (self), NULL);

  return g_hash_table_lookup (self->by_id, &id);
}

static gboolean apply_chat_state (CohortChatModel *self,
                                  JsonObject      *chat);

/* Requests */

typedef struct
{
  CohortChatModel   *model;
  CohortChatMessage *message;
  guint              generation;
  guint              attempt;
  gboolean           older;
} Call;

static Call *
call_new (CohortChatModel   *self,
          CohortChatMessage *message)
{
  Call *call = g_new0 (Call, 1);

  call->model = g_object_ref (self);
  call->message = message ? g_object_ref (message) : NULL;
  call->generation = self->generation;
  return call;
}

static void
call_free (Call *call)
{
  g_clear_object (&call->model);
  g_clear_object (&call->message);
  g_free (call);
}

static void
on_plain_reply (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Call *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;

  body = cohort_session_request_finish (COHORT_SESSION (object), result, &error);
  if (body == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_signal_emit (call->model, signals[FAILED], 0, error->message);
  call_free (call);
}

static void
request (CohortChatModel   *self,
         const char        *type,
         JsonObject        *body,
         CohortChatMessage *message)
{
  g_autoptr(JsonObject) owned = body;

  cohort_session_request_async (self->session, type, owned, self->cancellable,
                                on_plain_reply, call_new (self, message));
}

static JsonObject *
message_id_body (CohortChatMessage *message)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "message_id", cohort_chat_message_get_id (message));
  return body;
}

/* Sending */

static void send_message (CohortChatModel *self, CohortChatMessage *message, guint attempt);

static gboolean
on_slow_retry (gpointer user_data)
{
  Call *call = user_data;

  if (call->generation == call->model->generation &&
      index_of (call->model, call->message) != G_MAXUINT &&
      cohort_chat_message_get_state (call->message) == COHORT_CHAT_MESSAGE_SLOWED)
    send_message (call->model, call->message, call->attempt + 1);
  return G_SOURCE_REMOVE;
}

static void
on_send_reply (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Call *call = user_data;
  CohortChatModel *self = call->model;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;

  body = cohort_session_request_finish (COHORT_SESSION (object), result, &error);

  if (index_of (self, call->message) == G_MAXUINT)
    goto out;      /* discarded meanwhile */

  if (body != NULL)
    {
      JsonObject *message = json_object_get_object_member (body, "message");

      if (message != NULL && cohort_chat_validate_message (message, NULL))
        merge_message (self, message);
      else
        cohort_chat_message_set_state (call->message, COHORT_CHAT_MESSAGE_SENT, NULL);
    }
  else if (g_error_matches (error, COHORT_PROTOCOL_ERROR, COHORT_ERROR_RATE_LIMITED) &&
           call->attempt < MAX_SLOW_RETRIES)
    {
      Call *retry = call_new (self, call->message);

      retry->attempt = call->attempt;
      cohort_chat_message_set_state (call->message, COHORT_CHAT_MESSAGE_SLOWED,
                                     "Slow down a little — sending again in a moment.");
      g_timeout_add_full (G_PRIORITY_DEFAULT,
                          COHORT_CHAT_RATE_REFILL_MS + g_random_int_range (50, 400),
                          on_slow_retry, retry, (GDestroyNotify) call_free);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cohort_chat_message_set_state (call->message, COHORT_CHAT_MESSAGE_FAILED, error->message);

out:
  call_free (call);
}

static void
send_message (CohortChatModel   *self,
              CohortChatMessage *message,
              guint              attempt)
{
  g_autoptr(JsonObject) body = json_object_new ();
  Call *call;

  json_object_set_string_member (body, "text", cohort_chat_message_get_text (message));
  json_object_set_string_member (body, "client_id", cohort_chat_message_get_client_id (message));
  json_object_set_string_member (body, "channel", cohort_chat_message_get_channel (message));
  if (cohort_chat_message_get_to (message) > 0)
    json_object_set_int_member (body, "to", cohort_chat_message_get_to (message));
  if (cohort_chat_message_is_question (message))
    json_object_set_boolean_member (body, "question", TRUE);
  if (cohort_chat_message_get_danmaku (message))
    json_object_set_boolean_member (body, "danmaku", TRUE);
  if (cohort_chat_message_get_reply_to (message) > 0)
    json_object_set_int_member (body, "reply_to", cohort_chat_message_get_reply_to (message));
  if (cohort_chat_message_get_group_id (message) > 0)
    json_object_set_int_member (body, "group_id", cohort_chat_message_get_group_id (message));

  cohort_chat_message_set_state (message, COHORT_CHAT_MESSAGE_PENDING, NULL);
  call = call_new (self, message);
  call->attempt = attempt;
  cohort_session_request_async (self->session, COHORT_REQ_CHAT_SEND, body, self->cancellable,
                                on_send_reply, call);
}

static CohortChatMessage *
add_pending (CohortChatModel *self,
             const char      *text,
             const char      *channel,
             gint64           to,
             gboolean         question,
             gboolean         danmaku,
             gint64           reply_to,
             gint64           group_id)
{
  g_autofree char *client_id = cohort_protocol_new_request_id ();
  g_autofree char *clean = NULL;
  CohortChatMessage *message;

  /* The same rules as the server, so that what shows is what is stored. */
  clean = cohort_chat_clean_text (text, NULL, NULL);
  message = cohort_chat_message_new_pending (client_id, self_id (self), self_name (self), channel, to,
                                             clean != NULL ? clean : text, question, danmaku);
  /* Before items-changed, so that filters over the model see it. */
  if (group_id > 0)
    cohort_chat_message_set_group_id (message, group_id);
  annotate (self, message);
  g_ptr_array_add (self->items, message);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);

  if (clean == NULL)
    {
      g_autoptr(GError) error = NULL;

      cohort_chat_clean_text (text, NULL, &error);
      cohort_chat_message_set_state (message, COHORT_CHAT_MESSAGE_FAILED, error->message);
    }
  return message;
}

CohortChatMessage *
cohort_chat_model_send (CohortChatModel *self,
                        const char      *text,
                        const char      *channel,
                        gint64           to,
                        gboolean         question,
                        gboolean         danmaku)
{
  CohortChatMessage *message;

  g_return_val_if_fail (COHORT_IS_CHAT_MODEL (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  message = add_pending (self, text, channel, to, question, danmaku, 0, 0);
  if (cohort_chat_message_get_state (message) != COHORT_CHAT_MESSAGE_FAILED)
    send_message (self, message, 0);
  return message;
}

CohortChatMessage *
cohort_chat_model_answer (CohortChatModel   *self,
                          CohortChatMessage *question,
                          const char        *text)
{
  g_autoptr(JsonObject) body = json_object_new ();
  CohortChatMessage *message;
  Call *call;

  g_return_val_if_fail (COHORT_IS_CHAT_MODEL (self), NULL);

  message = add_pending (self, text, NULL, 0, FALSE, FALSE, cohort_chat_message_get_id (question), 0);
  if (cohort_chat_message_get_state (message) == COHORT_CHAT_MESSAGE_FAILED)
    return message;

  json_object_set_string_member (body, "text", cohort_chat_message_get_text (message));
  json_object_set_string_member (body, "client_id", cohort_chat_message_get_client_id (message));
  json_object_set_int_member (body, "reply_to", cohort_chat_message_get_id (question));
  call = call_new (self, message);
  cohort_session_request_async (self->session, COHORT_REQ_CHAT_SEND, body, self->cancellable,
                                on_send_reply, call);
  return message;
}

CohortChatMessage *
cohort_chat_model_send_group (CohortChatModel *self,
                              const char      *text,
                              gint64           group_id)
{
  CohortChatMessage *message;

  g_return_val_if_fail (COHORT_IS_CHAT_MODEL (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (group_id > 0, NULL);

  message = add_pending (self, text, COHORT_CHAT_CHANNEL_GROUP, 0, FALSE, FALSE, 0, group_id);
  if (cohort_chat_message_get_state (message) != COHORT_CHAT_MESSAGE_FAILED)
    send_message (self, message, 0);
  return message;
}

void
cohort_chat_model_mark_helpful (CohortChatModel   *self,
                                CohortChatMessage *answer)
{
  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));
  g_return_if_fail (COHORT_IS_CHAT_MESSAGE (answer));

  /* The badge follows the chat.helpful event, for everyone alike. */
  if (cohort_chat_message_get_id (answer) <= 0 || cohort_chat_message_get_helpful (answer))
    return;
  request (self, COHORT_REQ_CHAT_MARK_HELPFUL, message_id_body (answer), answer);
}

void
cohort_chat_model_retry (CohortChatModel   *self,
                         CohortChatMessage *message)
{
  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));

  if (cohort_chat_message_get_id (message) == 0 &&
      cohort_chat_message_get_state (message) == COHORT_CHAT_MESSAGE_FAILED &&
      cohort_chat_clean_text (cohort_chat_message_get_text (message), NULL, NULL) != NULL)
    send_message (self, message, 0);
}

void
cohort_chat_model_discard (CohortChatModel   *self,
                           CohortChatMessage *message)
{
  guint index = index_of (self, message);

  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));

  if (index == G_MAXUINT || cohort_chat_message_get_id (message) != 0)
    return;
  g_ptr_array_remove_index (self->items, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
}

/* History */

static void
on_history_reply (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Call *call = user_data;
  CohortChatModel *self = call->model;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;

  body = cohort_session_request_finish (COHORT_SESSION (object), result, &error);

  if (call->generation != self->generation)
    goto out;

  _cohort_set_boolean (self, &self->loading, FALSE, properties[PROP_LOADING]);

  if (body == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_signal_emit (self, signals[FAILED], 0, error->message);
      goto out;
    }

  if (!cohort_chat_validate_history_reply (body, &error))
    {
      g_warning ("Ignoring a bad chat history: %s", error->message);
      goto out;
    }

  if (!call->older && json_object_has_member (body, "chat") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "chat")))
    apply_chat_state (self, json_object_get_object_member (body, "chat"));

  {
    JsonArray *messages = json_object_get_array_member (body, "messages");

    for (guint i = 0; i < json_array_get_length (messages); i++)
      merge_message (self, json_array_get_object_element (messages, i));
  }

  /* Only the page at the old end says whether there is more. */
  if (call->older || n_stored (self) > 0)
    _cohort_set_boolean (self, &self->has_more, json_object_get_boolean_member (body, "has_more"),
                         properties[PROP_HAS_MORE]);

out:
  call_free (call);
}

static void
load_history (CohortChatModel *self,
              gint64           before)
{
  g_autoptr(JsonObject) body = json_object_new ();
  Call *call = call_new (self, NULL);

  call->older = before > 0;
  if (before > 0)
    json_object_set_int_member (body, "before", before);
  _cohort_set_boolean (self, &self->loading, TRUE, properties[PROP_LOADING]);
  cohort_session_request_async (self->session, COHORT_REQ_CHAT_HISTORY, body, self->cancellable,
                                on_history_reply, call);
}

void
cohort_chat_model_load_older (CohortChatModel *self)
{
  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));

  if (self->loading || !self->has_more || n_stored (self) == 0)
    return;
  load_history (self, cohort_chat_message_get_id (g_ptr_array_index (self->items, 0)));
}

/* Actions */

void
cohort_chat_model_delete (CohortChatModel   *self,
                          CohortChatMessage *message)
{
  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));

  if (cohort_chat_message_get_id (message) == 0)
    return cohort_chat_model_discard (self, message);
  request (self, COHORT_REQ_CHAT_DELETE, message_id_body (message), message);
}

void
cohort_chat_model_edit (CohortChatModel   *self,
                        CohortChatMessage *message,
                        const char        *text)
{
  JsonObject *body;

  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));
  g_return_if_fail (cohort_chat_message_get_id (message) > 0);

  body = message_id_body (message);
  json_object_set_string_member (body, "text", text);
  request (self, COHORT_REQ_CHAT_EDIT, body, message);
}

void
cohort_chat_model_vote (CohortChatModel   *self,
                        CohortChatMessage *message,
                        gboolean           vote)
{
  JsonObject *body;

  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));

  body = message_id_body (message);
  json_object_set_boolean_member (body, "vote", vote);
  /* Shown at once; the server's count follows in chat.votes. */
  cohort_chat_message_set_voted (message, vote);
  request (self, COHORT_REQ_CHAT_VOTE, body, message);
}

void
cohort_chat_model_set_question_state (CohortChatModel   *self,
                                      CohortChatMessage *message,
                                      const char        *state)
{
  JsonObject *body;

  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));

  body = message_id_body (message);
  json_object_set_string_member (body, "state", state);
  request (self, COHORT_REQ_CHAT_QUESTION, body, message);
}

void
cohort_chat_model_change_setting (CohortChatModel *self,
                                  const char      *setting,
                                  gboolean         value)
{
  JsonObject *body = json_object_new ();

  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));

  json_object_set_boolean_member (body, setting, value);
  request (self, COHORT_REQ_CHAT_SETTINGS, body, NULL);
}

void
cohort_chat_model_mute (CohortChatModel *self,
                        gint64           participant_id,
                        gboolean         muted)
{
  JsonObject *body = json_object_new ();

  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));

  json_object_set_int_member (body, "participant_id", participant_id);
  json_object_set_boolean_member (body, "muted", muted);
  request (self, COHORT_REQ_CHAT_MUTE, body, NULL);
}

gboolean
cohort_chat_model_is_muted (CohortChatModel *self,
                            gint64           participant_id)
{
  return g_hash_table_contains (self->muted, &participant_id);
}

void
cohort_chat_model_react (CohortChatModel *self,
                         const char      *reaction)
{
  JsonObject *body = json_object_new ();

  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));

  json_object_set_string_member (body, "reaction", reaction);
  request (self, COHORT_REQ_CHAT_REACT, body, NULL);
}

void
cohort_chat_model_send_pace (CohortChatModel *self,
                             const char      *pace)
{
  JsonObject *body = json_object_new ();

  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));

  json_object_set_string_member (body, "pace", pace);
  request (self, COHORT_REQ_CHAT_PACE, body, NULL);
}

void
cohort_chat_model_mark_read (CohortChatModel *self)
{
  g_return_if_fail (COHORT_IS_CHAT_MODEL (self));

  if (self->unread_count == 0)
    return;
  self->unread_count = 0;
  notify (self, PROP_UNREAD_COUNT);
}

/* Pace */

static gboolean on_pace_timer (gpointer user_data);

static void
recount_pace (CohortChatModel *self)
{
  gint64 now = g_get_real_time () / 1000;
  guint fast = 0, slow = 0;

  for (guint i = 0; i < self->pace->len;)
    {
      PaceSignal *s = &g_array_index (self->pace, PaceSignal, i);

      if (now - s->at_ms > COHORT_CHAT_PACE_WINDOW_MS)
        {
          g_array_remove_index_fast (self->pace, i);
          continue;
        }
      if (s->pace == 'f')
        fast++;
      else
        slow++;
      i++;
    }

  if (self->pace_too_fast != fast)
    {
      self->pace_too_fast = fast;
      notify (self, PROP_PACE_TOO_FAST);
    }
  if (self->pace_too_slow != slow)
    {
      self->pace_too_slow = slow;
      notify (self, PROP_PACE_TOO_SLOW);
    }

  if (self->pace->len > 0 && self->pace_timer == 0)
    self->pace_timer = g_timeout_add_seconds (1, on_pace_timer, self);
}

static gboolean
on_pace_timer (gpointer user_data)
{
  CohortChatModel *self = user_data;

  recount_pace (self);
  if (self->pace->len == 0)
    {
      self->pace_timer = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
record_pace (CohortChatModel *self,
             gint64           participant_id,
             const char      *pace,
             gint64           at_ms)
{
  for (guint i = 0; i < self->pace->len; i++)
    if (g_array_index (self->pace, PaceSignal, i).participant_id == participant_id)
      {
        g_array_remove_index_fast (self->pace, i);
        break;
      }

  if (g_strcmp0 (pace, "too_fast") == 0 || g_strcmp0 (pace, "too_slow") == 0)
    {
      PaceSignal s = { participant_id, pace[4] == 'f' ? 'f' : 's', at_ms };

      g_array_append_val (self->pace, s);
    }
  recount_pace (self);
}

/* Session */

static void
set_muted (CohortChatModel *self,
           gint64           participant_id,
           gboolean         muted)
{
  gboolean was_self = cohort_chat_model_is_muted (self, self_id (self));

  if (muted)
    g_hash_table_add (self->muted, g_memdup2 (&participant_id, sizeof participant_id));
  else
    g_hash_table_remove (self->muted, &participant_id);

  if (was_self != cohort_chat_model_is_muted (self, self_id (self)))
    notify (self, PROP_SELF_MUTED);
}

static void
apply_settings (CohortChatModel *self,
                JsonObject      *object)
{
  _cohort_set_boolean (self, &self->private_enabled, json_object_get_boolean_member (object, "private_enabled"),
                       properties[PROP_PRIVATE_ENABLED]);
  _cohort_set_boolean (self, &self->chat_muted, json_object_get_boolean_member (object, "muted"),
                       properties[PROP_CHAT_MUTED]);
  _cohort_set_boolean (self, &self->danmaku_enabled, json_object_get_boolean_member (object, "danmaku_enabled"),
                       properties[PROP_DANMAKU_ENABLED]);
}

static void
on_welcome (CohortSession   *session,
            JsonObject      *body,
            CohortChatModel *self)
{
  JsonObject *chat = NULL;
  guint n_old = n_stored (self);

  self->generation++;

  /* Stored messages go; our own unsent ones stay (they are in the outbox). */
  if (n_old > 0)
    {
      g_ptr_array_remove_range (self->items, 0, n_old);
      g_hash_table_remove_all (self->by_id);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, 0);
    }
  for (guint i = 0; i < self->items->len; i++)
    annotate (self, g_ptr_array_index (self->items, i));

  g_hash_table_remove_all (self->muted);
  g_array_set_size (self->pace, 0);
  _cohort_set_boolean (self, &self->has_more, FALSE, properties[PROP_HAS_MORE]);
  if (self->unread_count != 0)
    {
      self->unread_count = 0;
      notify (self, PROP_UNREAD_COUNT);
    }

  if (json_object_has_member (body, "chat") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "chat")))
    chat = json_object_get_object_member (body, "chat");

  if (!apply_chat_state (self, chat))
    {
      g_debug ("The welcome has no chat state; using the defaults");
      _cohort_set_boolean (self, &self->private_enabled, TRUE, properties[PROP_PRIVATE_ENABLED]);
      _cohort_set_boolean (self, &self->danmaku_enabled, TRUE, properties[PROP_DANMAKU_ENABLED]);
      _cohort_set_boolean (self, &self->chat_muted, FALSE, properties[PROP_CHAT_MUTED]);
    }
  recount_pace (self);
  notify (self, PROP_SELF_MUTED);

  load_history (self, 0);
}

/* The "chat" member of a welcome or a first history page. */
static gboolean
apply_chat_state (CohortChatModel *self,
                  JsonObject      *chat)
{
  if (chat != NULL && cohort_chat_validate_welcome (chat, NULL))
    {
      GHashTableIter iter;
      gpointer key;
      g_autoptr(GArray) old = g_array_new (FALSE, FALSE, sizeof (gint64));

      g_hash_table_iter_init (&iter, self->muted);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_array_append_val (old, *(gint64 *) key);
      for (guint i = 0; i < old->len; i++)
        set_muted (self, g_array_index (old, gint64, i), FALSE);
      g_array_set_size (self->pace, 0);

      JsonArray *ids = json_object_get_array_member (chat, "muted_ids");

      apply_settings (self, chat);
      for (guint i = 0; i < json_array_get_length (ids); i++)
        set_muted (self, json_array_get_int_element (ids, i), TRUE);

      if (json_object_has_member (chat, "pace") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (chat, "pace")))
        {
          JsonArray *paces = json_object_get_array_member (chat, "pace");

          for (guint i = 0; i < json_array_get_length (paces); i++)
            {
              JsonNode *node = json_array_get_element (paces, i);
              JsonObject *p;

              if (!JSON_NODE_HOLDS_OBJECT (node))
                continue;
              p = json_node_get_object (node);
              if (json_object_get_int_member_with_default (p, "participant_id", 0) > 0)
                record_pace (self, json_object_get_int_member (p, "participant_id"),
                             json_object_get_string_member_with_default (p, "pace", ""),
                             json_object_get_int_member_with_default (p, "at", 0));
            }
        }
      recount_pace (self);
      return TRUE;
    }
  return FALSE;
}

static gboolean
is_fresh (gint64 ts_ms)
{
  return ABS (g_get_real_time () / 1000 - ts_ms) < FRESH_MS;
}

static void
on_event (CohortSession   *session,
          const char      *event,
          JsonObject      *body,
          gint64           seq,
          CohortChatModel *self)
{
  CohortChatMessage *message = NULL;

  if (!g_str_has_prefix (event, "chat."))
    return;

  if (json_object_has_member (body, "message_id"))
    message = cohort_chat_model_lookup (self, json_object_get_int_member (body, "message_id"));

  if (g_str_equal (event, COHORT_EV_CHAT_MESSAGE))
    {
      JsonObject *object = json_object_get_object_member (body, "message");
      CohortChatMessage *added = merge_message (self, object);

      if (added != NULL && !cohort_chat_message_get_is_own (added))
        {
          gboolean important = cohort_chat_message_get_mentions_self (added) ||
                               cohort_chat_message_get_is_teacher (added);

          self->unread_count++;
          notify (self, PROP_UNREAD_COUNT);
          g_signal_emit (self, signals[MESSAGE_RECEIVED], 0, added, important);
        }
      message = added ? added : cohort_chat_model_lookup (self, json_object_get_int_member (object, "id"));
      if (message != NULL && cohort_chat_message_get_danmaku (message) && self->danmaku_enabled &&
          is_fresh (cohort_chat_message_get_ts (message)) && (added != NULL ||
                                                              cohort_chat_message_get_is_own (message)))
        g_signal_emit (self, signals[DANMAKU], 0, message);
    }
  else if (g_str_equal (event, COHORT_EV_CHAT_EDITED))
    {
      if (message != NULL)
        {
          cohort_chat_message_set_text (message, json_object_get_string_member (body, "text"), TRUE);
          annotate (self, message);
        }
    }
  else if (g_str_equal (event, COHORT_EV_CHAT_DELETED))
    {
      if (message != NULL)
        cohort_chat_message_set_deleted (message);
    }
  else if (g_str_equal (event, COHORT_EV_CHAT_VOTES))
    {
      if (message != NULL)
        {
          cohort_chat_message_set_votes (message, json_object_get_int_member (body, "votes"));
          if (json_object_get_int_member (body, "participant_id") == self_id (self))
            cohort_chat_message_set_voted (message, json_object_get_boolean_member (body, "vote"));
        }
    }
  else if (g_str_equal (event, COHORT_EV_CHAT_HELPFUL))
    {
      if (message != NULL)
        cohort_chat_message_set_helpful (message, TRUE);
    }
  else if (g_str_equal (event, COHORT_EV_CHAT_QUESTION))
    {
      if (message != NULL)
        cohort_chat_message_set_question (message, json_object_get_string_member (body, "state"));
    }
  else if (g_str_equal (event, COHORT_EV_CHAT_SETTINGS))
    apply_settings (self, body);
  else if (g_str_equal (event, COHORT_EV_CHAT_MUTED))
    set_muted (self, json_object_get_int_member (body, "participant_id"),
               json_object_get_boolean_member (body, "muted"));
  else if (g_str_equal (event, COHORT_EV_CHAT_REACTION))
    {
      if (is_fresh (json_object_get_int_member (body, "at")))
        g_signal_emit (self, signals[REACTION], 0, json_object_get_int_member (body, "participant_id"),
                       json_object_get_string_member (body, "reaction"));
    }
  else if (g_str_equal (event, COHORT_EV_CHAT_PACE))
    {
      if (self_is_teacher (self))
        record_pace (self, json_object_get_int_member (body, "participant_id"),
                     json_object_get_string_member (body, "pace"),
                     MIN (json_object_get_int_member (body, "at"), g_get_real_time () / 1000));
    }
}

/* GObject */

static void
cohort_chat_model_dispose (GObject *object)
{
  CohortChatModel *self = COHORT_CHAT_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->pace_timer, g_source_remove);
  if (self->session != NULL)
    {
      g_clear_signal_handler (&self->welcome_handler, self->session);
      g_clear_signal_handler (&self->event_handler, self->session);
      g_clear_object (&self->session);
    }

  G_OBJECT_CLASS (cohort_chat_model_parent_class)->dispose (object);
}

static void
cohort_chat_model_finalize (GObject *object)
{
  CohortChatModel *self = COHORT_CHAT_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->muted, g_hash_table_unref);
  g_clear_pointer (&self->pace, g_array_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cohort_chat_model_parent_class)->finalize (object);
}

static void
cohort_chat_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortChatModel *self = COHORT_CHAT_MODEL (object);

  switch (prop_id)
    {
    case PROP_SESSION: g_value_set_object (value, self->session); break;
    case PROP_UNREAD_COUNT: g_value_set_uint (value, self->unread_count); break;
    case PROP_HAS_MORE: g_value_set_boolean (value, self->has_more); break;
    case PROP_LOADING: g_value_set_boolean (value, self->loading); break;
    case PROP_PRIVATE_ENABLED: g_value_set_boolean (value, self->private_enabled); break;
    case PROP_CHAT_MUTED: g_value_set_boolean (value, self->chat_muted); break;
    case PROP_SELF_MUTED: g_value_set_boolean (value, cohort_chat_model_get_self_muted (self)); break;
    case PROP_DANMAKU_ENABLED: g_value_set_boolean (value, self->danmaku_enabled); break;
    case PROP_PACE_TOO_FAST: g_value_set_uint (value, self->pace_too_fast); break;
    case PROP_PACE_TOO_SLOW: g_value_set_uint (value, self->pace_too_slow); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_chat_model_class_init (CohortChatModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags f = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cohort_chat_model_dispose;
  object_class->finalize = cohort_chat_model_finalize;
  object_class->get_property = cohort_chat_model_get_property;

  properties[PROP_SESSION] = g_param_spec_object ("session", NULL, NULL, COHORT_TYPE_SESSION, f);
  properties[PROP_UNREAD_COUNT] = g_param_spec_uint ("unread-count", NULL, NULL, 0, G_MAXUINT, 0, f);
  properties[PROP_HAS_MORE] = g_param_spec_boolean ("has-more", NULL, NULL, FALSE, f);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, f);
  properties[PROP_PRIVATE_ENABLED] = g_param_spec_boolean ("private-enabled", NULL, NULL, TRUE, f);
  properties[PROP_CHAT_MUTED] = g_param_spec_boolean ("chat-muted", NULL, NULL, FALSE, f);
  properties[PROP_SELF_MUTED] = g_param_spec_boolean ("self-muted", NULL, NULL, FALSE, f);
  properties[PROP_DANMAKU_ENABLED] = g_param_spec_boolean ("danmaku-enabled", NULL, NULL, TRUE, f);
  properties[PROP_PACE_TOO_FAST] = g_param_spec_uint ("pace-too-fast", NULL, NULL, 0, G_MAXUINT, 0, f);
  properties[PROP_PACE_TOO_SLOW] = g_param_spec_uint ("pace-too-slow", NULL, NULL, 0, G_MAXUINT, 0, f);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, COHORT_TYPE_CHAT_MESSAGE, G_TYPE_BOOLEAN);
  signals[DANMAKU] =
    g_signal_new ("danmaku", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, COHORT_TYPE_CHAT_MESSAGE);
  signals[REACTION] =
    g_signal_new ("reaction", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  signals[FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
cohort_chat_model_init (CohortChatModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->muted = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->pace = g_array_new (FALSE, FALSE, sizeof (PaceSignal));
  self->cancellable = g_cancellable_new ();
  self->private_enabled = TRUE;
  self->danmaku_enabled = TRUE;
}

CohortChatModel *
cohort_chat_model_new (CohortSession *session)
{
  CohortChatModel *self;

  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  self = g_object_new (COHORT_TYPE_CHAT_MODEL, NULL);
  self->session = g_object_ref (session);
  self->welcome_handler = g_signal_connect (session, "welcome", G_CALLBACK (on_welcome), self);
  self->event_handler = g_signal_connect (session, "event-received", G_CALLBACK (on_event), self);

  /* Already in a class: start from what the session knows. */
  if (cohort_session_get_state (session) == COHORT_SESSION_STATE_JOINED)
    load_history (self, 0);
  return self;
}

CohortSession *
cohort_chat_model_get_session (CohortChatModel *self)
{
  return self->session;
}

guint cohort_chat_model_get_unread_count (CohortChatModel *self) { return self->unread_count; }
gboolean cohort_chat_model_get_has_more (CohortChatModel *self) { return self->has_more; }
gboolean cohort_chat_model_get_loading (CohortChatModel *self) { return self->loading; }
gboolean cohort_chat_model_get_private_enabled (CohortChatModel *self) { return self->private_enabled; }
gboolean cohort_chat_model_get_chat_muted (CohortChatModel *self) { return self->chat_muted; }
gboolean cohort_chat_model_get_danmaku_enabled (CohortChatModel *self) { return self->danmaku_enabled; }
guint cohort_chat_model_get_pace_too_fast (CohortChatModel *self) { return self->pace_too_fast; }
guint cohort_chat_model_get_pace_too_slow (CohortChatModel *self) { return self->pace_too_slow; }

gboolean
cohort_chat_model_get_self_muted (CohortChatModel *self)
{
  return cohort_chat_model_is_muted (self, self_id (self));
}

/* cohort-chat-service.c: chat, questions, moderation, danmaku, reactions
 * and pace signals
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-chat"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-chat-protocol.h"
#include "cohort-chat-service.h"
#include "cohort-server-private.h"
#include "cohort-store.h"
#include "cohort-token-bucket.h"

#define ROLE_TEACHER "teacher"

typedef struct
{
  CohortTokenBucket messages;
  CohortTokenBucket reactions;
} Limits;

struct _CohortChatService
{
  CohortService            parent_instance;

  CohortServer            *server;        /* unowned: the server owns us */
  /* participant id → Limits */
  GHashTable              *limits;
  CohortChatGroupResolver  group_resolver;
  gpointer                 group_resolver_data;
  /* chat.send requests of this main-loop turn (CohortRequest, deferred),
   * applied together by one group commit (run_sends). */
  GPtrArray               *queued_sends;
  guint                    sends_source;
  /* who paid a message token in the request handle_send just ran */
  gint64                   charged;
};

G_DEFINE_FINAL_TYPE (CohortChatService, cohort_chat_service, COHORT_TYPE_SERVICE)

static void
cohort_chat_service_finalize (GObject *object)
{
  CohortChatService *self = COHORT_CHAT_SERVICE (object);

  g_clear_pointer (&self->limits, g_hash_table_unref);
  /* Unapplied sends were never acknowledged: their clients send them again. */
  g_clear_handle_id (&self->sends_source, g_source_remove);
  g_clear_pointer (&self->queued_sends, g_ptr_array_unref);

  G_OBJECT_CLASS (cohort_chat_service_parent_class)->finalize (object);
}

static void cohort_chat_service_barrier (CohortService    *service,
                                         const char       *type);
static void cohort_chat_service_welcome (CohortService    *service,
                                         CohortConnection *conn,
                                         JsonObject       *body);

static void
cohort_chat_service_class_init (CohortChatServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_chat_service_finalize;
  COHORT_SERVICE_CLASS (klass)->welcome = cohort_chat_service_welcome;
  COHORT_SERVICE_CLASS (klass)->barrier = cohort_chat_service_barrier;
}

static void
cohort_chat_service_init (CohortChatService *self)
{
  self->limits = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->queued_sends = g_ptr_array_new_with_free_func (g_object_unref);
}

static CohortChatService *
get_service (CohortServer *server)
{
  return COHORT_CHAT_SERVICE (_cohort_server_get_service (server, COHORT_TYPE_CHAT_SERVICE));
}

void
cohort_chat_service_set_group_resolver (CohortChatService       *self,
                                        CohortChatGroupResolver  resolver,
                                        gpointer                 user_data)
{
  g_return_if_fail (COHORT_IS_CHAT_SERVICE (self));

  self->group_resolver = resolver;
  self->group_resolver_data = user_data;
}

/* Rate limits */

static Limits *
limits_for (CohortChatService *self,
            gint64             participant_id)
{
  Limits *limits = g_hash_table_lookup (self->limits, &participant_id);

  if (limits == NULL)
    {
      gint64 now = g_get_monotonic_time ();

      limits = g_new0 (Limits, 1);
      cohort_token_bucket_init (&limits->messages, COHORT_CHAT_RATE_BURST, now);
      cohort_token_bucket_init (&limits->reactions, COHORT_CHAT_REACT_BURST, now);
      g_hash_table_insert (self->limits, g_memdup2 (&participant_id, sizeof participant_id),
                           limits);
    }
  return limits;
}

/* Takes a token; returns 0, or how many ms until one is there. */
static gint64
bucket_take (CohortTokenBucket *bucket,
             double             burst,
             gint64             refill_ms)
{
  gint64 wait_us = cohort_token_bucket_take (bucket, burst, refill_ms * 1000, g_get_monotonic_time ());

  return wait_us == 0 ? 0 : (wait_us - 1) / 1000 + 1;
}

static void
send_rate_limited (CohortRequest *req,
                   gint64         retry_after_ms,
                   const char    *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  /* The usual error reply, plus how long to wait. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "error");
  json_builder_set_member_name (builder, "re");
  json_builder_add_string_value (builder, cohort_request_get_id (req));
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, cohort_error_code_to_string (COHORT_ERROR_RATE_LIMITED));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "retry_after_ms");
  json_builder_add_int_value (builder, retry_after_ms);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  cohort_connection_send (cohort_request_get_connection (req), json);
}

/* Helpers */

static JsonObject *
message_to_json (CohortChatMessageRecord *r,
                 gboolean                 with_voted)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", r->id);
  json_object_set_int_member (object, "author_id", r->author_id);
  json_object_set_string_member (object, "author_name", r->author_name);
  json_object_set_string_member (object, "channel", r->channel);
  if (r->to_id > 0)
    json_object_set_int_member (object, "to", r->to_id);
  if (r->group_id > 0)
    json_object_set_int_member (object, "group_id", r->group_id);
  json_object_set_string_member (object, "text", r->deleted ? "" : r->text);
  json_object_set_int_member (object, "ts", r->ts);
  if (r->client_id != NULL)
    json_object_set_string_member (object, "client_id", r->client_id);
  if (r->reply_to > 0)
    json_object_set_int_member (object, "reply_to", r->reply_to);
  json_object_set_string_member (object, "question", r->question);
  json_object_set_int_member (object, "votes", r->votes);
  if (with_voted)
    json_object_set_boolean_member (object, "voted", r->voted);
  json_object_set_boolean_member (object, "danmaku", r->danmaku);
  if (r->edited_at > 0)
    json_object_set_int_member (object, "edited_at", r->edited_at);
  json_object_set_boolean_member (object, "deleted", r->deleted);
  if (r->helpful)
    json_object_set_boolean_member (object, "helpful", TRUE);
  return object;
}

/* Rolls back the open transaction and answers with an error. */
static void
reject (CohortRequest   *req,
        CohortErrorCode  code,
        const char      *field,
        const char      *message)
{
  cohort_store_rollback (_cohort_server_get_store (cohort_request_get_server (req)));
  cohort_request_refuse (req, code, field, message);
}

/* Emits @name to the whole class (@audience NULL) or to @audience,
 * queued on @pending: a chat.send's own batch. */
static gboolean
emit_to (CohortServer  *server,
         GPtrArray     *pending,
         gint64         class_id,
         const char    *name,
         JsonObject    *body,
         GArray        *audience,
         GError       **error)
{
  if (audience == NULL)
    return _cohort_server_emit_event (server, pending, class_id, name, body, error);
  return _cohort_server_emit_event_for (server, pending, class_id, name, body,
                                        (const gint64 *) audience->data, audience->len, error);
}

/* The same, queued on @req. */
static gboolean
emit (CohortRequest  *req,
      gint64          class_id,
      const char     *name,
      JsonObject     *body,
      GArray         *audience,
      GError        **error)
{
  return emit_to (cohort_request_get_server (req), cohort_request_get_pending (req),
                  class_id, name, body, audience, error);
}

static gboolean
is_muted (GArray *muted,
          gint64  participant_id)
{
  for (guint i = 0; muted != NULL && i < muted->len; i++)
    if (g_array_index (muted, gint64, i) == participant_id)
      return TRUE;
  return FALSE;
}

static void
audience_add (GArray *audience,
              gint64  participant_id)
{
  for (guint i = 0; i < audience->len; i++)
    if (g_array_index (audience, gint64, i) == participant_id)
      return;
  g_array_append_val (audience, participant_id);
}

/* chat.send */

/* A private message goes between a student and the teacher: who may
 * send it, to whom, and its audience (the two of them). FALSE: answered
 * (rolled back). */
static gboolean
private_audience (CohortRequest                  *req,
                  const CohortChatSettingsRecord *settings,
                  CohortChatMessageRecord        *record,
                  GArray                        **out_audience)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = _cohort_server_get_store (server);
  JsonObject *body = cohort_request_get_body (req);
  gint64 you = cohort_connection_get_participant_id (conn);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gboolean teacher = cohort_connection_is_teacher (conn);
  g_autoptr(GError) error = NULL;
  GArray *audience;

  g_autoptr(CohortParticipantRecord) other = NULL;
  gint64 to = json_object_get_int_member_with_default (body, "to", 0);

  if (!teacher && !settings->private_enabled)
    {
      reject (req, COHORT_ERROR_FORBIDDEN, "channel",
              _("The teacher has turned off private messages."));
      return FALSE;
    }

  if (to == 0 && !teacher)
    other = cohort_store_find_teacher (store, class_id, &error);
  else if (to == 0)
    {
      reject (req, COHORT_ERROR_INVALID, "to",
              _("Choose the student to write to."));
      return FALSE;
    }
  else
    other = cohort_store_get_participant (store, to, &error);
  if (error != NULL)
    {
      cohort_request_fail (req, error);
      return FALSE;
    }

  if (other == NULL || other->class_id != class_id)
    {
      reject (req, COHORT_ERROR_NOT_FOUND, "to",
              _("This participant is not in the class."));
      return FALSE;
    }
  if (teacher == g_str_equal (other->role, ROLE_TEACHER))
    {
      reject (req, COHORT_ERROR_FORBIDDEN, "to",
              _("Private messages go between a student and the teacher."));
      return FALSE;
    }

  record->to_id = other->id;
  audience = *out_audience = g_array_new (FALSE, FALSE, sizeof (gint64));
  audience_add (audience, you);
  audience_add (audience, other->id);

  return TRUE;
}

/* A group channel: its members, the sender and the class's teacher.
 * FALSE: answered (rolled back). */
static gboolean
group_audience (CohortRequest            *req,
                CohortChatMessageRecord  *record,
                GArray                  **out_audience)
{
  CohortChatService *self = get_service (cohort_request_get_server (req));
  const char *id = cohort_request_get_id (req);
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = _cohort_server_get_store (server);
  JsonObject *body = cohort_request_get_body (req);
  gint64 you = cohort_connection_get_participant_id (conn);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gboolean teacher = cohort_connection_is_teacher (conn);
  g_autoptr(GError) error = NULL;
  GArray *audience;

  g_autoptr(GArray) members = NULL;
  g_autoptr(CohortParticipantRecord) class_teacher = NULL;
  gint64 group_id = json_object_get_int_member_with_default (body, "group_id", 0);

  if (group_id == 0)
    {
      cohort_store_rollback (store);
      _cohort_server_send_error (conn, id, COHORT_ERROR_INVALID,
                                 COHORT_INVALID_MISSING_FIELD, "group_id",
                                 _("Choose the group to write to."));
      return FALSE;
    }

  if (self->group_resolver != NULL)
    members = self->group_resolver (server, class_id, group_id, self->group_resolver_data);
  if (members == NULL)
    {
      reject (req, COHORT_ERROR_NOT_FOUND, "group_id",
              _("This group does not exist."));
      return FALSE;
    }
  if (!teacher && !is_muted (members, you))
    {
      reject (req, COHORT_ERROR_FORBIDDEN, "group_id",
              _("You are not in this group."));
      return FALSE;
    }

  if (!(class_teacher = cohort_store_find_teacher (store, class_id, &error)) && error != NULL)
    {
      cohort_request_fail (req, error);
      return FALSE;
    }

  record->group_id = group_id;
  audience = *out_audience = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < members->len; i++)
    audience_add (audience, g_array_index (members, gint64, i));
  audience_add (audience, you);
  if (class_teacher != NULL)
    audience_add (audience, class_teacher->id);

  return TRUE;
}

static void
handle_send (CohortRequest *req)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortChatService *self = get_service (server);
  CohortStore *store = _cohort_server_get_store (server);
  JsonObject *body = cohort_request_get_body (req);
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) muted = NULL;
  g_autoptr(GArray) audience = NULL;
  g_autoptr(CohortChatMessageRecord) question = NULL;
  CohortChatMessageRecord record = { 0 };
  CohortChatSettingsRecord settings;
  const char *channel;
  gint64 you = cohort_connection_get_participant_id (conn);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gboolean teacher = cohort_connection_is_teacher (conn);
  gboolean wants_question;
  gboolean wants_danmaku;
  gint64 reply_to;
  gint64 wait_ms;
  JsonObject *event_body;
  JsonObject *ok_body;

  channel = json_object_get_string_member_with_default (body, "channel", COHORT_CHAT_CHANNEL_CLASS);
  wants_question = json_object_get_boolean_member_with_default (body, "question", FALSE);
  wants_danmaku = json_object_get_boolean_member_with_default (body, "danmaku", FALSE);
  reply_to = json_object_get_int_member_with_default (body, "reply_to", 0);

  if (wants_question && teacher)
    {
      cohort_request_refuse (req, COHORT_ERROR_FORBIDDEN, "question",
                             _("Only students can ask questions."));
      return;
    }
  if ((wants_question || reply_to > 0 || wants_danmaku) &&
      !g_str_equal (channel, COHORT_CHAT_CHANNEL_CLASS))
    {
      cohort_request_refuse (req, COHORT_ERROR_INVALID, "channel",
                             _("Questions, answers and “Show on video” belong in the class chat."));
      return;
    }

  if (!cohort_store_begin (store, &error) ||
      !cohort_store_chat_get_settings (store, class_id, &settings, &error) ||
      !(muted = cohort_store_chat_list_muted (store, class_id, &error)))
    {
      cohort_request_fail (req, error);
      return;
    }

  if (!teacher && settings.muted)
    {
      reject (req, COHORT_ERROR_FORBIDDEN, NULL,
              _("The teacher has paused the chat."));
      return;
    }
  if (!teacher && is_muted (muted, you))
    {
      reject (req, COHORT_ERROR_FORBIDDEN, NULL,
              _("The teacher has muted your chat."));
      return;
    }

  if (g_str_equal (channel, COHORT_CHAT_CHANNEL_PRIVATE))
    {
      if (!private_audience (req, &settings, &record, &audience))
        return;
    }
  else if (g_str_equal (channel, COHORT_CHAT_CHANNEL_GROUP))
    {
      if (!group_audience (req, &record, &audience))
        return;
    }

  if (reply_to > 0)
    {
      question = cohort_store_chat_get_message (store, class_id, reply_to, you, &error);
      if (error != NULL)
        {
          cohort_request_fail (req, error);
          return;
        }
      if (question == NULL || question->deleted ||
          g_str_equal (question->question, COHORT_CHAT_QUESTION_NONE))
        {
          reject (req, COHORT_ERROR_NOT_FOUND, "reply_to",
                  _("This question is no longer there."));
          return;
        }
      /* Students answer their peers' questions (the teacher may mark such
       * an answer helpful); only the teacher's answer marks it answered. */
      if (!teacher && question->author_id == you)
        {
          reject (req, COHORT_ERROR_FORBIDDEN, "reply_to",
                  _("Answer your peers' questions; yours waits for an answer."));
          return;
        }
    }

  /* Last, so that refused messages cost no token. */
  wait_ms = bucket_take (&limits_for (self, you)->messages, COHORT_CHAT_RATE_BURST,
                         COHORT_CHAT_RATE_REFILL_MS);
  if (wait_ms > 0)
    {
      cohort_store_rollback (store);
      send_rate_limited (req, wait_ms,
                         _("You are sending messages quickly. Wait a moment before sending the next one."));
      return;
    }
  self->charged = you;

  record.class_id = class_id;
  record.author_id = you;
  record.channel = (char *) channel;
  record.text = (char *) json_object_get_string_member (body, "text");
  record.ts = _cohort_server_next_ts (server);
  record.client_id = (char *) json_object_get_string_member_with_default (body, "client_id", NULL);
  record.reply_to = reply_to;
  record.question = (char *) (wants_question ? COHORT_CHAT_QUESTION_OPEN : COHORT_CHAT_QUESTION_NONE);
  record.danmaku = wants_danmaku && settings.danmaku_enabled;

  if (cohort_store_chat_add_message (store, &record, audience ? (gint64 *) audience->data : NULL,
                                     audience ? audience->len : 0, &error) == 0)
    {
      cohort_request_fail (req, error);
      return;
    }

  {
    g_autoptr(CohortChatMessageRecord) stored = NULL;

    stored = cohort_store_chat_get_message (store, class_id, record.id, 0, &error);
    if (stored == NULL)
      {
        if (error == NULL)
          g_set_error (&error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED, "Message vanished");
        cohort_request_fail (req, error);
        return;
      }

    event_body = json_object_new ();
    json_object_set_object_member (event_body, "message", message_to_json (stored, FALSE));
    if (!emit_to (server, pending, class_id, COHORT_EV_CHAT_MESSAGE, event_body, audience, &error))
      {
        cohort_request_fail (req, error);
        return;
      }

    if (question != NULL && teacher &&
        !g_str_equal (question->question, COHORT_CHAT_QUESTION_ANSWERED))
      {
        event_body = json_object_new ();
        json_object_set_int_member (event_body, "message_id", question->id);
        json_object_set_string_member (event_body, "state", COHORT_CHAT_QUESTION_ANSWERED);
        json_object_set_int_member (event_body, "answer_id", stored->id);
        if (!cohort_store_chat_set_question (store, question->id, COHORT_CHAT_QUESTION_ANSWERED,
                                             &error) ||
            !emit_to (server, pending, class_id, COHORT_EV_CHAT_QUESTION, event_body, NULL, &error))
          {
            cohort_request_fail (req, error);
            return;
          }
      }

    ok_body = json_object_new ();
    json_object_set_object_member (ok_body, "message", message_to_json (stored, FALSE));
  }

  _cohort_server_finish_request (server, conn, request, ok_body, pending);
}

gint64
cohort_chat_service_send_private (CohortChatService  *self,
                                  CohortRequest      *req,
                                  gint64              to_id,
                                  const char         *text,
                                  GError            **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = _cohort_server_get_store (server);
  g_autoptr(CohortChatMessageRecord) stored = NULL;
  CohortChatMessageRecord record = { 0 };
  gint64 audience[2];
  JsonObject *event_body;

  g_return_val_if_fail (COHORT_IS_CHAT_SERVICE (self), 0);
  g_return_val_if_fail (cohort_connection_is_teacher (conn), 0);

  record.class_id = cohort_connection_get_class_id (conn);
  record.author_id = audience[0] = cohort_connection_get_participant_id (conn);
  record.to_id = audience[1] = to_id;
  record.channel = (char *) COHORT_CHAT_CHANNEL_PRIVATE;
  record.text = (char *) text;
  record.ts = _cohort_server_next_ts (server);
  record.question = (char *) COHORT_CHAT_QUESTION_NONE;

  if (cohort_store_chat_add_message (store, &record, audience, G_N_ELEMENTS (audience), error) == 0)
    return 0;
  if (!(stored = cohort_store_chat_get_message (store, record.class_id, record.id, 0, error)))
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED, "Message vanished");
      return 0;
    }

  event_body = json_object_new ();
  json_object_set_object_member (event_body, "message", message_to_json (stored, FALSE));
  if (!_cohort_server_emit_event_for (server, cohort_request_get_pending (req), record.class_id,
                                      COHORT_EV_CHAT_MESSAGE, event_body, audience,
                                      G_N_ELEMENTS (audience), error))
    return 0;
  return record.id;
}

/* Group commit of chat.send: a busy class sends many messages per
 * main-loop turn, and one fsync each (synchronous=FULL) kept the server's
 * one thread waiting ~20 % of the time at 200 messages/s. The turn's
 * messages are applied together at its end, in arrival order, and share
 * one commit; each is acknowledged and fanned out only after it. */
static gboolean
run_sends (gpointer user_data)
{
  CohortChatService *self = user_data;
  g_autoptr(GPtrArray) sends = g_steal_pointer (&self->queued_sends);
  g_autoptr(GArray) charged = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;

  self->sends_source = 0;
  self->queued_sends = g_ptr_array_new_with_free_func (g_object_unref);

  if (!_cohort_server_group_begin (self->server, &error))
    {
      for (guint i = 0; i < sends->len; i++)
        {
          cohort_request_fail (g_ptr_array_index (sends, i), error);
        }
      return G_SOURCE_REMOVE;
    }

  for (guint i = 0; i < sends->len; i++)
    {
      CohortRequest *req = g_ptr_array_index (sends, i);
      guint held = _cohort_server_group_get_n_held (self->server);

      if (_cohort_server_group_replay (self->server, cohort_request_get_connection (req),
                                       cohort_request_get_message (req)))
        continue;

      self->charged = 0;
      handle_send (req);
      if (self->charged == 0)
        continue;
      /* Paid for but failed in the store (answered internal at once): the
       * token goes back, so that the user's retry is not rate limited. */
      if (_cohort_server_group_get_n_held (self->server) == held)
        cohort_token_bucket_give_back (&limits_for (self, self->charged)->messages, COHORT_CHAT_RATE_BURST);
      else
        g_array_append_val (charged, self->charged);
    }

  /* The commit failed: none of the held messages was stored. */
  if (!_cohort_server_group_end (self->server))
    for (guint i = 0; i < charged->len; i++)
      cohort_token_bucket_give_back (&limits_for (self, g_array_index (charged, gint64, i))->messages,
                     COHORT_CHAT_RATE_BURST);
  return G_SOURCE_REMOVE;
}

/* Any other request, a connection leaving or shutdown: the queued sends
 * first, so that a client's requests take effect in the order it sent
 * them. */
static void
cohort_chat_service_barrier (CohortService *service,
                             const char    *type)
{
  CohortChatService *self = COHORT_CHAT_SERVICE (service);

  if (self->queued_sends->len == 0 || g_strcmp0 (type, COHORT_REQ_CHAT_SEND) == 0)
    return;
  g_clear_handle_id (&self->sends_source, g_source_remove);
  run_sends (self);
}

static gboolean
queue_send (CohortService  *service,
            CohortRequest  *req,
            GError        **error)
{
  CohortChatService *self = COHORT_CHAT_SERVICE (service);

  g_ptr_array_add (self->queued_sends, cohort_request_defer (req));
  if (self->sends_source == 0)
    self->sends_source = g_idle_add_full (G_PRIORITY_DEFAULT, run_sends, self, NULL);

  return TRUE;
}

/* Reads a message the sender may see, for edit, delete, vote and
 * question. Answers not_found itself and returns NULL. */
static CohortChatMessageRecord *
lookup_message (CohortRequest *req,
                gboolean      allow_deleted)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = _cohort_server_get_store (server);
  g_autoptr(GError) error = NULL;
  CohortChatMessageRecord *record;
  gint64 message_id = json_object_get_int_member (cohort_request_get_body (req), "message_id");

  record = cohort_store_chat_get_message (store, cohort_connection_get_class_id (conn), message_id,
                                          cohort_connection_get_participant_id (conn), &error);
  if (error != NULL)
    {
      cohort_request_fail (req, error);
      return NULL;
    }
  if (record == NULL || (record->deleted && !allow_deleted))
    {
      g_clear_pointer (&record, cohort_chat_message_record_free);
      reject (req, COHORT_ERROR_NOT_FOUND, "message_id",
              _("This message is no longer there."));
      return NULL;
    }
  return record;
}

/* chat.edit */

static gboolean
handle_edit (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  g_autoptr(CohortChatMessageRecord) message = NULL;
  g_autoptr(GArray) audience = NULL;
  const char *text = json_object_get_string_member (body, "text");
  gint64 edited_at;
  JsonObject *event_body;
  JsonObject *ok_body;

  if (!cohort_store_begin (store, error))
    return FALSE;
  if (!(message = lookup_message (req, FALSE)))
    return TRUE;

  if (message->author_id != cohort_connection_get_participant_id (conn))
    {
      reject (req, COHORT_ERROR_FORBIDDEN, "message_id",
              _("You can only edit your own messages."));
      return TRUE;
    }

  audience = cohort_store_chat_get_audience (store, message->id, error);
  if (*error != NULL)
    return FALSE;

  edited_at = _cohort_server_next_ts (server);
  event_body = json_object_new ();
  json_object_set_int_member (event_body, "message_id", message->id);
  json_object_set_string_member (event_body, "text", text);
  json_object_set_int_member (event_body, "edited_at", edited_at);

  if (!cohort_store_chat_edit_message (store, message->id, text, edited_at, error))
    {
      json_object_unref (event_body);
      return FALSE;
    }
  if (!emit (req, message->class_id, COHORT_EV_CHAT_EDITED, event_body, audience, error))
    return FALSE;

  ok_body = json_object_new ();
  json_object_set_int_member (ok_body, "edited_at", edited_at);
  cohort_request_finish (req, ok_body);

  return TRUE;
}

/* chat.delete */

static gboolean
handle_delete (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(CohortChatMessageRecord) message = NULL;
  g_autoptr(GArray) audience = NULL;
  gint64 you = cohort_connection_get_participant_id (conn);

  if (!cohort_store_begin (store, error))
    return FALSE;
  if (!(message = lookup_message (req, TRUE)))
    return TRUE;

  if (message->author_id != you && !cohort_connection_is_teacher (conn))
    {
      reject (req, COHORT_ERROR_FORBIDDEN, "message_id",
              _("You can only delete your own messages."));
      return TRUE;
    }

  if (!message->deleted)
    {
      JsonObject *event_body;

      audience = cohort_store_chat_get_audience (store, message->id, error);
      if (*error != NULL)
        return FALSE;

      event_body = json_object_new ();
      json_object_set_int_member (event_body, "message_id", message->id);
      json_object_set_int_member (event_body, "by", you);
      if (!cohort_store_chat_delete_message (store, message->id, you, error))
        {
          json_object_unref (event_body);
          return FALSE;
        }
      if (!emit (req, message->class_id, COHORT_EV_CHAT_DELETED, event_body, audience,
                 error))
        return FALSE;
    }

  cohort_request_finish (req, json_object_new ());

  return TRUE;
}

static JsonObject *chat_state (CohortServer *server, CohortConnection *conn);

/* chat.history: a read; answered directly and not remembered, so that a
 * resend after a reconnect reads the history afresh. */

static gboolean
handle_history (CohortService  *service,
                CohortRequest  *req,
                GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(JsonObject) ok_body = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  JsonArray *messages;
  gboolean has_more = FALSE;

  records = cohort_store_chat_list_messages (store, cohort_connection_get_class_id (conn),
                                             cohort_connection_get_participant_id (conn),
                                             json_object_get_int_member_with_default (body, "before", 0),
                                             json_object_get_int_member_with_default (body, "limit",
                                                                                      COHORT_CHAT_HISTORY_PAGE),
                                             COHORT_CHAT_HISTORY_MAX_BYTES, &has_more, error);
  if (records == NULL)
    {
      g_warning ("Could not read the chat history: %s", (*error)->message);
      cohort_request_error (req, COHORT_ERROR_INTERNAL,
                            COHORT_INVALID_NONE, NULL,
                            _("The server could not read the chat history. Try again in a moment."));
      return TRUE;
    }

  messages = json_array_new ();
  for (guint i = 0; i < records->len; i++)
    json_array_add_object_element (messages, message_to_json (g_ptr_array_index (records, i), TRUE));

  ok_body = json_object_new ();
  json_object_set_array_member (ok_body, "messages", messages);
  json_object_set_boolean_member (ok_body, "has_more", has_more);
  if (!json_object_has_member (body, "before"))
    {
      JsonObject *chat = chat_state (server, conn);

      if (chat != NULL)
        json_object_set_object_member (ok_body, "chat", chat);
    }
  reply = cohort_message_new_ok (cohort_request_get_id (req), ok_body);
  _cohort_server_send_message (conn, reply);

  return TRUE;
}

/* chat.vote */

static gboolean
handle_vote (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  g_autoptr(CohortChatMessageRecord) message = NULL;
  gboolean vote = json_object_get_boolean_member_with_default (body, "vote", TRUE);
  gint64 you = cohort_connection_get_participant_id (conn);
  gint64 votes;
  JsonObject *ok_body;

  if (cohort_connection_is_teacher (conn))
    {
      cohort_request_refuse (req, COHORT_ERROR_FORBIDDEN, NULL,
                             _("Only students vote for questions."));
      return TRUE;
    }

  if (!cohort_store_begin (store, error))
    return FALSE;
  if (!(message = lookup_message (req, FALSE)))
    return TRUE;

  if (g_str_equal (message->question, COHORT_CHAT_QUESTION_NONE))
    {
      reject (req, COHORT_ERROR_INVALID, "message_id",
              _("This message is not a question."));
      return TRUE;
    }
  if (message->author_id == you)
    {
      reject (req, COHORT_ERROR_FORBIDDEN, "message_id",
              _("Your own question already counts."));
      return TRUE;
    }

  votes = cohort_store_chat_set_vote (store, message->id, you, vote, error);
  if (votes < 0)
    return FALSE;

  if (votes != message->votes)
    {
      JsonObject *event_body = json_object_new ();

      json_object_set_int_member (event_body, "message_id", message->id);
      json_object_set_int_member (event_body, "votes", votes);
      json_object_set_int_member (event_body, "participant_id", you);
      json_object_set_boolean_member (event_body, "vote", vote);
      /* Who voted for whose question: the groups ledger counts one point
       * per (question, voter), never a self-vote. */
      json_object_set_int_member (event_body, "voter_id", you);
      json_object_set_int_member (event_body, "author_id", message->author_id);
      if (!emit (req, message->class_id, COHORT_EV_CHAT_VOTES, event_body, NULL, error))
        return FALSE;
    }

  ok_body = json_object_new ();
  json_object_set_int_member (ok_body, "votes", votes);
  json_object_set_boolean_member (ok_body, "vote", vote);
  cohort_request_finish (req, ok_body);

  return TRUE;
}

/* chat.mark_helpful (teacher): a student's answer to a peer's question */

static gboolean
handle_mark_helpful (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(CohortChatMessageRecord) answer = NULL;
  g_autoptr(CohortChatMessageRecord) question = NULL;
  g_autoptr(GArray) audience = NULL;
  gint64 you = cohort_connection_get_participant_id (conn);
  gint64 ts;
  int marked;

  if (!cohort_connection_is_teacher (conn))
    {
      cohort_request_refuse (req, COHORT_ERROR_FORBIDDEN, NULL,
                             _("Only the teacher can mark answers helpful."));
      return TRUE;
    }

  if (!cohort_store_begin (store, error))
    return FALSE;
  if (!(answer = lookup_message (req, FALSE)))
    return TRUE;

  if (answer->reply_to > 0)
    question = cohort_store_chat_get_message (store, answer->class_id, answer->reply_to, 0, error);
  if (*error != NULL)
    return FALSE;
  if (question == NULL || g_str_equal (question->question, COHORT_CHAT_QUESTION_NONE))
    {
      reject (req, COHORT_ERROR_INVALID, "message_id",
              _("Only answers to a question can be marked helpful."));
      return TRUE;
    }
  if (answer->author_id == you)
    {
      reject (req, COHORT_ERROR_INVALID, "message_id",
              _("Mark a student's answer helpful, not your own."));
      return TRUE;
    }
  if (answer->author_id == question->author_id)
    {
      reject (req, COHORT_ERROR_FORBIDDEN, "message_id",
              _("Students cannot earn points for answering their own question."));
      return TRUE;
    }

  /* Those who may read the answer (NULL: the class channel, everyone). */
  audience = cohort_store_chat_get_audience (store, answer->id, error);
  if (*error != NULL)
    return FALSE;

  ts = _cohort_server_next_ts (server);
  marked = cohort_store_chat_mark_helpful (store, answer->id, you, ts, error);
  if (marked < 0)
    return FALSE;

  /* Marked once: a second mark is acknowledged without a new event. */
  if (marked > 0)
    {
      JsonObject *event_body = json_object_new ();

      json_object_set_int_member (event_body, "message_id", answer->id);
      json_object_set_int_member (event_body, "question_id", question->id);
      json_object_set_int_member (event_body, "author_id", answer->author_id);
      json_object_set_int_member (event_body, "asker_id", question->author_id);
      json_object_set_int_member (event_body, "by", you);
      json_object_set_int_member (event_body, "at", ts);
      if (!emit (req, answer->class_id, COHORT_EV_CHAT_HELPFUL, event_body, audience,
                 error))
        return FALSE;
    }

  cohort_request_finish (req, json_object_new ());

  return TRUE;
}

/* chat.question (teacher) */

static gboolean
handle_question (CohortService  *service,
                 CohortRequest  *req,
                 GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(CohortChatMessageRecord) message = NULL;
  const char *state = json_object_get_string_member (cohort_request_get_body (req), "state");

  if (!cohort_connection_is_teacher (conn))
    {
      cohort_request_refuse (req, COHORT_ERROR_FORBIDDEN, NULL,
                             _("Only the teacher can mark questions done."));
      return TRUE;
    }

  if (!cohort_store_begin (store, error))
    return FALSE;
  if (!(message = lookup_message (req, FALSE)))
    return TRUE;

  if (g_str_equal (message->question, COHORT_CHAT_QUESTION_NONE))
    {
      reject (req, COHORT_ERROR_INVALID, "message_id",
              _("This message is not a question."));
      return TRUE;
    }

  if (!g_str_equal (message->question, state))
    {
      JsonObject *event_body = json_object_new ();

      json_object_set_int_member (event_body, "message_id", message->id);
      json_object_set_string_member (event_body, "state", state);
      if (!cohort_store_chat_set_question (store, message->id, state, error))
        {
          json_object_unref (event_body);
          return FALSE;
        }
      if (!emit (req, message->class_id, COHORT_EV_CHAT_QUESTION, event_body, NULL, error))
        return FALSE;
    }

  cohort_request_finish (req, json_object_new ());

  return TRUE;
}

/* chat.settings (teacher) */

static JsonObject *
settings_to_json (const CohortChatSettingsRecord *settings)
{
  JsonObject *object = json_object_new ();

  json_object_set_boolean_member (object, "private_enabled", settings->private_enabled);
  json_object_set_boolean_member (object, "muted", settings->muted);
  json_object_set_boolean_member (object, "danmaku_enabled", settings->danmaku_enabled);
  return object;
}

static gboolean
handle_settings (CohortService  *service,
                 CohortRequest  *req,
                 GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  CohortChatSettingsRecord old, settings;
  gint64 class_id = cohort_connection_get_class_id (conn);

  if (!cohort_connection_is_teacher (conn))
    {
      cohort_request_refuse (req, COHORT_ERROR_FORBIDDEN, NULL,
                             _("Only the teacher can change the chat settings."));
      return TRUE;
    }

  if (!cohort_store_begin (store, error) ||
      !cohort_store_chat_get_settings (store, class_id, &old, error))
    return FALSE;

  settings.private_enabled = json_object_get_boolean_member_with_default (body, "private_enabled",
                                                                          old.private_enabled);
  settings.muted = json_object_get_boolean_member_with_default (body, "muted", old.muted);
  settings.danmaku_enabled = json_object_get_boolean_member_with_default (body, "danmaku_enabled",
                                                                          old.danmaku_enabled);

  if (settings.private_enabled != old.private_enabled || settings.muted != old.muted ||
      settings.danmaku_enabled != old.danmaku_enabled)
    {
      if (!cohort_store_chat_set_settings (store, class_id, &settings, error) ||
          !emit (req, class_id, COHORT_EV_CHAT_SETTINGS, settings_to_json (&settings),
                 NULL, error))
        return FALSE;
    }

  cohort_request_finish (req, settings_to_json (&settings));

  return TRUE;
}

/* chat.mute (teacher) */

static gboolean
handle_mute (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  g_autoptr(CohortParticipantRecord) target = NULL;
  g_autoptr(GArray) muted = NULL;
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 target_id = json_object_get_int_member (body, "participant_id");
  gboolean mute = json_object_get_boolean_member (body, "muted");

  if (!cohort_connection_is_teacher (conn))
    {
      cohort_request_refuse (req, COHORT_ERROR_FORBIDDEN, NULL,
                             _("Only the teacher can mute a student."));
      return TRUE;
    }

  if (!cohort_store_begin (store, error))
    return FALSE;

  target = cohort_store_get_participant (store, target_id, error);
  if (*error != NULL)
    return FALSE;
  if (target == NULL || target->class_id != class_id)
    {
      reject (req, COHORT_ERROR_NOT_FOUND, "participant_id",
              _("This participant is not in the class."));
      return TRUE;
    }
  if (g_str_equal (target->role, ROLE_TEACHER))
    {
      reject (req, COHORT_ERROR_INVALID, "participant_id",
              _("The teacher cannot be muted."));
      return TRUE;
    }

  if (!(muted = cohort_store_chat_list_muted (store, class_id, error)))
    return FALSE;

  if (is_muted (muted, target_id) != mute)
    {
      JsonObject *event_body = json_object_new ();

      json_object_set_int_member (event_body, "participant_id", target_id);
      json_object_set_boolean_member (event_body, "muted", mute);
      if (!cohort_store_chat_set_muted (store, class_id, target_id, mute, error))
        {
          json_object_unref (event_body);
          return FALSE;
        }
      if (!emit (req, class_id, COHORT_EV_CHAT_MUTED, event_body, NULL, error))
        return FALSE;
    }

  cohort_request_finish (req, json_object_new ());

  return TRUE;
}

/* chat.react */

static gboolean
handle_react (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortChatService *self = COHORT_CHAT_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  gint64 you = cohort_connection_get_participant_id (conn);
  JsonObject *event_body;
  gint64 wait_ms;

  wait_ms = bucket_take (&limits_for (self, you)->reactions, COHORT_CHAT_REACT_BURST,
                         COHORT_CHAT_REACT_REFILL_MS);
  if (wait_ms > 0)
    {
      send_rate_limited (req, wait_ms,
                         _("That is a lot of reactions. Wait a moment before the next one."));
      return TRUE;
    }

  if (!cohort_store_begin (store, error))
    return FALSE;

  event_body = json_object_new ();
  json_object_set_int_member (event_body, "participant_id", you);
  json_object_set_string_member (event_body, "reaction",
                                 json_object_get_string_member (cohort_request_get_body (req),
                                                                "reaction"));
  json_object_set_int_member (event_body, "at", _cohort_server_next_ts (server));
  if (!emit (req, cohort_connection_get_class_id (conn), COHORT_EV_CHAT_REACTION,
             event_body, NULL, error))
    return FALSE;

  cohort_request_finish (req, json_object_new ());

  return TRUE;
}

/* chat.pace (students): seen by the teacher and the sender only */

static gboolean
handle_pace (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortChatService *self = COHORT_CHAT_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(GArray) audience = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *pace = json_object_get_string_member (cohort_request_get_body (req), "pace");
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 you = cohort_connection_get_participant_id (conn);
  JsonObject *event_body;
  gint64 at;
  gint64 wait_ms;

  if (cohort_connection_is_teacher (conn))
    {
      cohort_request_refuse (req, COHORT_ERROR_FORBIDDEN, NULL,
                             _("Only students send pace signals."));
      return TRUE;
    }

  wait_ms = bucket_take (&limits_for (self, you)->reactions, COHORT_CHAT_REACT_BURST,
                         COHORT_CHAT_REACT_REFILL_MS);
  if (wait_ms > 0)
    {
      send_rate_limited (req, wait_ms,
                         _("Your signal was sent. Wait a moment before the next one."));
      return TRUE;
    }

  if (!cohort_store_begin (store, error) ||
      (!(teacher = cohort_store_find_teacher (store, class_id, error)) && *error != NULL))
    return FALSE;

  audience_add (audience, you);
  if (teacher != NULL)
    audience_add (audience, teacher->id);

  at = _cohort_server_next_ts (server);
  event_body = json_object_new ();
  json_object_set_int_member (event_body, "participant_id", you);
  json_object_set_string_member (event_body, "pace", pace);
  json_object_set_int_member (event_body, "at", at);
  if (!cohort_store_chat_set_pace (store, class_id, you, pace, at, error))
    {
      json_object_unref (event_body);
      return FALSE;
    }
  if (!emit (req, class_id, COHORT_EV_CHAT_PACE, event_body, audience, error))
    return FALSE;

  cohort_request_finish (req, json_object_new ());

  return TRUE;
}

/* The chat's settings, who is muted and, for the teacher, the pace
 * signals of the last minute: in the welcome and in the first history
 * page. Messages come with chat.history. NULL on a store error. */
static JsonObject *
chat_state (CohortServer     *server,
            CohortConnection *conn)
{
  CohortStore *store = _cohort_server_get_store (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) muted = NULL;
  CohortChatSettingsRecord settings;
  gint64 class_id = cohort_connection_get_class_id (conn);
  JsonObject *chat;
  JsonArray *ids;

  if (!cohort_store_chat_get_settings (store, class_id, &settings, &error) ||
      !(muted = cohort_store_chat_list_muted (store, class_id, &error)))
    {
      g_warning ("Could not read the chat settings: %s", error->message);
      return NULL;
    }

  chat = settings_to_json (&settings);
  ids = json_array_new ();
  for (guint i = 0; i < muted->len; i++)
    json_array_add_int_element (ids, g_array_index (muted, gint64, i));
  json_object_set_array_member (chat, "muted_ids", ids);

  if (cohort_connection_is_teacher (conn))
    {
      g_autoptr(GPtrArray) paces = NULL;
      JsonArray *array = json_array_new ();

      paces = cohort_store_chat_list_pace (store, class_id,
                                           g_get_real_time () / 1000 - COHORT_CHAT_PACE_WINDOW_MS,
                                           &error);
      for (guint i = 0; paces != NULL && i < paces->len; i++)
        {
          CohortChatPaceRecord *p = g_ptr_array_index (paces, i);
          JsonObject *item = json_object_new ();

          json_object_set_int_member (item, "participant_id", p->participant_id);
          json_object_set_string_member (item, "pace", p->pace);
          json_object_set_int_member (item, "at", p->at);
          json_array_add_object_element (array, item);
        }
      json_object_set_array_member (chat, "pace", array);
    }

  return chat;
}

static void
cohort_chat_service_welcome (CohortService    *service,
                             CohortConnection *conn,
                             JsonObject       *body)
{
  CohortServer *server = cohort_service_get_server (service);
  JsonObject *chat = chat_state (server, conn);

  if (chat != NULL)
    json_object_set_object_member (body, "chat", chat);
}

CohortChatService *
cohort_chat_service_new (CohortServer *server)
{
  CohortChatService *self = g_object_new (COHORT_TYPE_CHAT_SERVICE, "server", server, NULL);

  self->server = server;

  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CHAT_SEND, queue_send);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CHAT_EDIT, handle_edit);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CHAT_DELETE, handle_delete);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CHAT_HISTORY, handle_history);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CHAT_VOTE, handle_vote);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CHAT_MARK_HELPFUL, handle_mark_helpful);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CHAT_QUESTION, handle_question);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CHAT_SETTINGS, handle_settings);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CHAT_MUTE, handle_mute);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CHAT_REACT, handle_react);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CHAT_PACE, handle_pace);

  return self;
}

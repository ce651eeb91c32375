/* cohort-chat-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-chat-message"

#include "config.h"

#include "cohort-chat-message.h"
#include "cohort-chat-protocol.h"
#include "cohort-enums.h"
#include "cohort-notify-private.h"

struct _CohortChatMessage
{
  GObject                parent_instance;

  gint64                 id;
  gint64                 author_id;
  char                  *author_name;
  char                  *channel;
  gint64                 to;
  gint64                 group_id;
  char                  *text;
  gint64                 ts;
  char                  *client_id;
  gint64                 reply_to;
  char                  *question;
  gint64                 votes;
  gboolean               voted;
  gboolean               danmaku;
  gboolean               edited;
  gboolean               deleted;
  CohortChatMessageState state;
  char                  *error_message;
  gboolean               is_own;
  gboolean               mentions_self;
  gboolean               is_teacher;
  gboolean               helpful;
};

G_DEFINE_FINAL_TYPE (CohortChatMessage, cohort_chat_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_AUTHOR_ID,
  PROP_AUTHOR_NAME,
  PROP_CHANNEL,
  PROP_TO,
  PROP_TEXT,
  PROP_TS,
  PROP_REPLY_TO,
  PROP_QUESTION,
  PROP_IS_QUESTION,
  PROP_VOTES,
  PROP_VOTED,
  PROP_DANMAKU,
  PROP_EDITED,
  PROP_DELETED,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_IS_OWN,
  PROP_MENTIONS_SELF,
  PROP_IS_TEACHER,
  PROP_IS_PRIVATE,
  PROP_GROUP_ID,
  PROP_HELPFUL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_chat_message_finalize (GObject *object)
{
  CohortChatMessage *self = COHORT_CHAT_MESSAGE (object);

  g_free (self->author_name);
  g_free (self->channel);
  g_free (self->text);
  g_free (self->client_id);
  g_free (self->question);
  g_free (self->error_message);

  G_OBJECT_CLASS (cohort_chat_message_parent_class)->finalize (object);
}

static void
cohort_chat_message_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CohortChatMessage *self = COHORT_CHAT_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ID: g_value_set_int64 (value, self->id); break;
    case PROP_AUTHOR_ID: g_value_set_int64 (value, self->author_id); break;
    case PROP_AUTHOR_NAME: g_value_set_string (value, self->author_name); break;
    case PROP_CHANNEL: g_value_set_string (value, self->channel); break;
    case PROP_TO: g_value_set_int64 (value, self->to); break;
    case PROP_TEXT: g_value_set_string (value, self->text); break;
    case PROP_TS: g_value_set_int64 (value, self->ts); break;
    case PROP_REPLY_TO: g_value_set_int64 (value, self->reply_to); break;
    case PROP_QUESTION: g_value_set_string (value, self->question); break;
    case PROP_IS_QUESTION: g_value_set_boolean (value, cohort_chat_message_is_question (self)); break;
    case PROP_VOTES: g_value_set_int64 (value, self->votes); break;
    case PROP_VOTED: g_value_set_boolean (value, self->voted); break;
    case PROP_DANMAKU: g_value_set_boolean (value, self->danmaku); break;
    case PROP_EDITED: g_value_set_boolean (value, self->edited); break;
    case PROP_DELETED: g_value_set_boolean (value, self->deleted); break;
    case PROP_STATE: g_value_set_enum (value, self->state); break;
    case PROP_ERROR_MESSAGE: g_value_set_string (value, self->error_message); break;
    case PROP_IS_OWN: g_value_set_boolean (value, self->is_own); break;
    case PROP_MENTIONS_SELF: g_value_set_boolean (value, self->mentions_self); break;
    case PROP_IS_TEACHER: g_value_set_boolean (value, self->is_teacher); break;
    case PROP_IS_PRIVATE: g_value_set_boolean (value, cohort_chat_message_get_is_private (self)); break;
    case PROP_GROUP_ID: g_value_set_int64 (value, self->group_id); break;
    case PROP_HELPFUL: g_value_set_boolean (value, self->helpful); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_chat_message_class_init (CohortChatMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags f = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_chat_message_finalize;
  object_class->get_property = cohort_chat_message_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, f);
  properties[PROP_AUTHOR_ID] = g_param_spec_int64 ("author-id", NULL, NULL, 0, G_MAXINT64, 0, f);
  properties[PROP_AUTHOR_NAME] = g_param_spec_string ("author-name", NULL, NULL, NULL, f);
  properties[PROP_CHANNEL] = g_param_spec_string ("channel", NULL, NULL, NULL, f);
  properties[PROP_TO] = g_param_spec_int64 ("to", NULL, NULL, 0, G_MAXINT64, 0, f);
  properties[PROP_TEXT] = g_param_spec_string ("text", NULL, NULL, NULL, f);
  properties[PROP_TS] = g_param_spec_int64 ("ts", NULL, NULL, 0, G_MAXINT64, 0, f);
  properties[PROP_REPLY_TO] = g_param_spec_int64 ("reply-to", NULL, NULL, 0, G_MAXINT64, 0, f);
  properties[PROP_QUESTION] = g_param_spec_string ("question", NULL, NULL, NULL, f);
  properties[PROP_IS_QUESTION] = g_param_spec_boolean ("is-question", NULL, NULL, FALSE, f);
  properties[PROP_VOTES] = g_param_spec_int64 ("votes", NULL, NULL, 0, G_MAXINT64, 0, f);
  properties[PROP_VOTED] = g_param_spec_boolean ("voted", NULL, NULL, FALSE, f);
  properties[PROP_DANMAKU] = g_param_spec_boolean ("danmaku", NULL, NULL, FALSE, f);
  properties[PROP_EDITED] = g_param_spec_boolean ("edited", NULL, NULL, FALSE, f);
  properties[PROP_DELETED] = g_param_spec_boolean ("deleted", NULL, NULL, FALSE, f);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, COHORT_TYPE_CHAT_MESSAGE_STATE,
                                              COHORT_CHAT_MESSAGE_PENDING, f);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, f);
  properties[PROP_IS_OWN] = g_param_spec_boolean ("is-own", NULL, NULL, FALSE, f);
  properties[PROP_MENTIONS_SELF] = g_param_spec_boolean ("mentions-self", NULL, NULL, FALSE, f);
  properties[PROP_IS_TEACHER] = g_param_spec_boolean ("is-teacher", NULL, NULL, FALSE, f);
  properties[PROP_IS_PRIVATE] = g_param_spec_boolean ("is-private", NULL, NULL, FALSE, f);
  properties[PROP_GROUP_ID] = g_param_spec_int64 ("group-id", NULL, NULL, 0, G_MAXINT64, 0, f);
  properties[PROP_HELPFUL] = g_param_spec_boolean ("helpful", NULL, NULL, FALSE, f);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_chat_message_init (CohortChatMessage *self)
{
  self->question = g_strdup (COHORT_CHAT_QUESTION_NONE);
  self->text = g_strdup ("");
}

static void
notify (CohortChatMessage *self,
        guint              prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

#define SET_FIELD(self, field, value, prop) \
  G_STMT_START { \
    if ((self)->field != (value)) \
      { \
        (self)->field = (value); \
        notify ((self), (prop)); \
      } \
  } G_STMT_END

CohortChatMessage *
cohort_chat_message_new_pending (const char *client_id,
                                 gint64      author_id,
                                 const char *author_name,
                                 const char *channel,
                                 gint64      to,
                                 const char *text,
                                 gboolean    question,
                                 gboolean    danmaku)
{
  CohortChatMessage *self = g_object_new (COHORT_TYPE_CHAT_MESSAGE, NULL);

  self->client_id = g_strdup (client_id);
  self->author_id = author_id;
  self->author_name = g_strdup (author_name);
  self->channel = g_strdup (channel ? channel : COHORT_CHAT_CHANNEL_CLASS);
  self->to = to;
  g_free (self->text);
  self->text = g_strdup (text);
  g_free (self->question);
  self->question = g_strdup (question ? COHORT_CHAT_QUESTION_OPEN : COHORT_CHAT_QUESTION_NONE);
  self->danmaku = danmaku;
  self->ts = g_get_real_time () / 1000;
  self->state = COHORT_CHAT_MESSAGE_PENDING;
  self->is_own = TRUE;
  return self;
}

CohortChatMessage *
cohort_chat_message_new_from_json (JsonObject *object)
{
  CohortChatMessage *self = g_object_new (COHORT_TYPE_CHAT_MESSAGE, NULL);

  self->state = COHORT_CHAT_MESSAGE_SENT;
  cohort_chat_message_update_from_json (self, object);
  return self;
}

void
cohort_chat_message_update_from_json (CohortChatMessage *self,
                                      JsonObject        *object)
{
  g_return_if_fail (COHORT_IS_CHAT_MESSAGE (self));

  g_object_freeze_notify (G_OBJECT (self));
  SET_FIELD (self, id, json_object_get_int_member (object, "id"), PROP_ID);
  SET_FIELD (self, author_id, json_object_get_int_member (object, "author_id"), PROP_AUTHOR_ID);
  _cohort_set_string (self, &self->author_name, json_object_get_string_member (object, "author_name"),
                      properties[PROP_AUTHOR_NAME]);
  _cohort_set_string (self, &self->channel, json_object_get_string_member (object, "channel"),
                      properties[PROP_CHANNEL]);
  SET_FIELD (self, to, json_object_get_int_member_with_default (object, "to", 0), PROP_TO);
  SET_FIELD (self, group_id, json_object_get_int_member_with_default (object, "group_id", 0), PROP_GROUP_ID);
  /* Not in the server's message objects yet; chat.helpful sets it live. */
  if (json_object_has_member (object, "helpful"))
    SET_FIELD (self, helpful, json_object_get_boolean_member (object, "helpful"), PROP_HELPFUL);
  _cohort_set_string (self, &self->text, json_object_get_string_member (object, "text"),
                      properties[PROP_TEXT]);
  SET_FIELD (self, ts, json_object_get_int_member (object, "ts"), PROP_TS);
  if (json_object_has_member (object, "client_id"))
    {
      g_free (self->client_id);
      self->client_id = g_strdup (json_object_get_string_member (object, "client_id"));
    }
  SET_FIELD (self, reply_to, json_object_get_int_member_with_default (object, "reply_to", 0),
             PROP_REPLY_TO);
  cohort_chat_message_set_question (self, json_object_get_string_member (object, "question"));
  SET_FIELD (self, votes, json_object_get_int_member (object, "votes"), PROP_VOTES);
  if (json_object_has_member (object, "voted"))
    SET_FIELD (self, voted, json_object_get_boolean_member (object, "voted"), PROP_VOTED);
  SET_FIELD (self, danmaku, json_object_get_boolean_member (object, "danmaku"), PROP_DANMAKU);
  SET_FIELD (self, edited, json_object_get_int_member_with_default (object, "edited_at", 0) > 0,
             PROP_EDITED);
  SET_FIELD (self, deleted, json_object_get_boolean_member (object, "deleted"), PROP_DELETED);
  cohort_chat_message_set_state (self, COHORT_CHAT_MESSAGE_SENT, NULL);
  g_object_thaw_notify (G_OBJECT (self));
}

gint64 cohort_chat_message_get_id (CohortChatMessage *self) { return self->id; }
gint64 cohort_chat_message_get_author_id (CohortChatMessage *self) { return self->author_id; }
const char *cohort_chat_message_get_author_name (CohortChatMessage *self) { return self->author_name; }
const char *cohort_chat_message_get_channel (CohortChatMessage *self) { return self->channel; }
gint64 cohort_chat_message_get_to (CohortChatMessage *self) { return self->to; }
const char *cohort_chat_message_get_text (CohortChatMessage *self) { return self->text; }
gint64 cohort_chat_message_get_ts (CohortChatMessage *self) { return self->ts; }
const char *cohort_chat_message_get_client_id (CohortChatMessage *self) { return self->client_id; }
gint64 cohort_chat_message_get_reply_to (CohortChatMessage *self) { return self->reply_to; }
const char *cohort_chat_message_get_question (CohortChatMessage *self) { return self->question; }
gint64 cohort_chat_message_get_votes (CohortChatMessage *self) { return self->votes; }
gboolean cohort_chat_message_get_voted (CohortChatMessage *self) { return self->voted; }
gboolean cohort_chat_message_get_danmaku (CohortChatMessage *self) { return self->danmaku; }
gboolean cohort_chat_message_get_deleted (CohortChatMessage *self) { return self->deleted; }
gboolean cohort_chat_message_get_edited (CohortChatMessage *self) { return self->edited; }
CohortChatMessageState cohort_chat_message_get_state (CohortChatMessage *self) { return self->state; }
const char *cohort_chat_message_get_error_message (CohortChatMessage *self) { return self->error_message; }
gboolean cohort_chat_message_get_is_own (CohortChatMessage *self) { return self->is_own; }
gboolean cohort_chat_message_get_mentions_self (CohortChatMessage *self) { return self->mentions_self; }
gboolean cohort_chat_message_get_is_teacher (CohortChatMessage *self) { return self->is_teacher; }
gint64 cohort_chat_message_get_group_id (CohortChatMessage *self) { return self->group_id; }
gboolean cohort_chat_message_get_helpful (CohortChatMessage *self) { return self->helpful; }

gboolean
cohort_chat_message_is_question (CohortChatMessage *self)
{
  return g_strcmp0 (self->question, COHORT_CHAT_QUESTION_NONE) != 0;
}

gboolean
cohort_chat_message_get_is_private (CohortChatMessage *self)
{
  return g_strcmp0 (self->channel, COHORT_CHAT_CHANNEL_PRIVATE) == 0;
}

void
cohort_chat_message_set_text (CohortChatMessage *self,
                              const char        *text,
                              gboolean           edited)
{
  _cohort_set_string (self, &self->text, text, properties[PROP_TEXT]);
  SET_FIELD (self, edited, edited, PROP_EDITED);
}

void
cohort_chat_message_set_deleted (CohortChatMessage *self)
{
  g_object_freeze_notify (G_OBJECT (self));
  _cohort_set_string (self, &self->text, "", properties[PROP_TEXT]);
  SET_FIELD (self, deleted, TRUE, PROP_DELETED);
  SET_FIELD (self, danmaku, FALSE, PROP_DANMAKU);
  g_object_thaw_notify (G_OBJECT (self));
}

void
cohort_chat_message_set_question (CohortChatMessage *self,
                                  const char        *question)
{
  gboolean was = cohort_chat_message_is_question (self);

  _cohort_set_string (self, &self->question, question, properties[PROP_QUESTION]);
  if (was != cohort_chat_message_is_question (self))
    notify (self, PROP_IS_QUESTION);
}

void
cohort_chat_message_set_votes (CohortChatMessage *self,
                               gint64             votes)
{
  SET_FIELD (self, votes, votes, PROP_VOTES);
}

void
cohort_chat_message_set_voted (CohortChatMessage *self,
                               gboolean           voted)
{
  SET_FIELD (self, voted, !!voted, PROP_VOTED);
}

void
cohort_chat_message_set_state (CohortChatMessage      *self,
                               CohortChatMessageState  state,
                               const char             *error_message)
{
  SET_FIELD (self, state, state, PROP_STATE);
  _cohort_set_string (self, &self->error_message, error_message, properties[PROP_ERROR_MESSAGE]);
}

void
cohort_chat_message_set_is_own (CohortChatMessage *self,
                                gboolean           is_own)
{
  SET_FIELD (self, is_own, !!is_own, PROP_IS_OWN);
}

void
cohort_chat_message_set_mentions_self (CohortChatMessage *self,
                                       gboolean           mentions_self)
{
  SET_FIELD (self, mentions_self, !!mentions_self, PROP_MENTIONS_SELF);
}

void
cohort_chat_message_set_is_teacher (CohortChatMessage *self,
                                    gboolean           is_teacher)
{
  SET_FIELD (self, is_teacher, !!is_teacher, PROP_IS_TEACHER);
}

void
cohort_chat_message_set_group_id (CohortChatMessage *self,
                                  gint64             group_id)
{
  SET_FIELD (self, group_id, group_id, PROP_GROUP_ID);
}

void
cohort_chat_message_set_helpful (CohortChatMessage *self,
                                 gboolean           helpful)
{
  SET_FIELD (self, helpful, !!helpful, PROP_HELPFUL);
}

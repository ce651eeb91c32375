/* cohort-ai-message.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai"

#include "config.h"

#include "cohort-ai-message.h"
#include "cohort-enums.h"

struct _CohortAiMessage
{
  GObject               parent_instance;

  CohortAiRole          role;
  GString              *text;
  CohortAiMessageState  state;
  char                 *error_message;
  gboolean              thinking;
  gint64                exchange_id;
  gboolean              withheld;
  gint64                streaming_since;
};

G_DEFINE_FINAL_TYPE (CohortAiMessage, cohort_ai_message, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROLE,
  PROP_TEXT,
  PROP_STATE,
  PROP_ERROR_MESSAGE,
  PROP_THINKING,
  PROP_EXCHANGE_ID,
  PROP_WITHHELD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_ai_message_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortAiMessage *self = COHORT_AI_MESSAGE (object);

  switch (prop_id)
    {
    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text->str);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_THINKING:
      g_value_set_boolean (value, self->thinking);
      break;
    case PROP_EXCHANGE_ID:
      g_value_set_int64 (value, self->exchange_id);
      break;
    case PROP_WITHHELD:
      g_value_set_boolean (value, self->withheld);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_ai_message_finalize (GObject *object)
{
  CohortAiMessage *self = COHORT_AI_MESSAGE (object);

  g_string_free (self->text, TRUE);
  g_free (self->error_message);

  G_OBJECT_CLASS (cohort_ai_message_parent_class)->finalize (object);
}

static void
cohort_ai_message_class_init (CohortAiMessageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cohort_ai_message_get_property;
  object_class->finalize = cohort_ai_message_finalize;

  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, COHORT_TYPE_AI_ROLE, COHORT_AI_ROLE_USER,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, COHORT_TYPE_AI_MESSAGE_STATE, COHORT_AI_MESSAGE_DONE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_THINKING] =
    g_param_spec_boolean ("thinking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EXCHANGE_ID] =
    g_param_spec_int64 ("exchange-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_WITHHELD] =
    g_param_spec_boolean ("withheld", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_ai_message_init (CohortAiMessage *self)
{
  self->text = g_string_new (NULL);
}

CohortAiMessage *
cohort_ai_message_new (CohortAiRole          role,
                       const char           *text,
                       CohortAiMessageState  state)
{
  CohortAiMessage *self = g_object_new (COHORT_TYPE_AI_MESSAGE, NULL);

  self->role = role;
  self->state = state;
  if (state == COHORT_AI_MESSAGE_STREAMING)
    self->streaming_since = g_get_monotonic_time ();
  if (text != NULL)
    g_string_assign (self->text, text);

  return self;
}

CohortAiRole
cohort_ai_message_get_role (CohortAiMessage *self)
{
  g_return_val_if_fail (COHORT_IS_AI_MESSAGE (self), COHORT_AI_ROLE_USER);
  return self->role;
}

const char *
cohort_ai_message_get_text (CohortAiMessage *self)
{
  g_return_val_if_fail (COHORT_IS_AI_MESSAGE (self), NULL);
  return self->text->str;
}

void
cohort_ai_message_set_text (CohortAiMessage *self,
                            const char      *text)
{
  g_return_if_fail (COHORT_IS_AI_MESSAGE (self));

  if (g_strcmp0 (self->text->str, text) == 0)
    return;
  if (text != NULL && *text != '\0')
    cohort_ai_message_set_thinking (self, FALSE);
  g_string_assign (self->text, text != NULL ? text : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

void
cohort_ai_message_append (CohortAiMessage *self,
                          const char      *delta)
{
  g_return_if_fail (COHORT_IS_AI_MESSAGE (self));

  if (delta == NULL || *delta == '\0')
    return;
  /* The first piece of the answer ends the thinking, before it shows. */
  cohort_ai_message_set_thinking (self, FALSE);
  g_string_append (self->text, delta);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

CohortAiMessageState
cohort_ai_message_get_state (CohortAiMessage *self)
{
  g_return_val_if_fail (COHORT_IS_AI_MESSAGE (self), COHORT_AI_MESSAGE_DONE);
  return self->state;
}

void
cohort_ai_message_set_state (CohortAiMessage      *self,
                             CohortAiMessageState  state)
{
  g_return_if_fail (COHORT_IS_AI_MESSAGE (self));

  if (self->state == state)
    return;
  if (state != COHORT_AI_MESSAGE_STREAMING)
    cohort_ai_message_set_thinking (self, FALSE);
  else
    self->streaming_since = g_get_monotonic_time ();
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
cohort_ai_message_get_error_message (CohortAiMessage *self)
{
  g_return_val_if_fail (COHORT_IS_AI_MESSAGE (self), NULL);
  return self->error_message;
}

void
cohort_ai_message_set_error_message (CohortAiMessage *self,
                                     const char      *message)
{
  g_return_if_fail (COHORT_IS_AI_MESSAGE (self));

  if (g_strcmp0 (self->error_message, message) == 0)
    return;
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

gboolean
cohort_ai_message_get_thinking (CohortAiMessage *self)
{
  g_return_val_if_fail (COHORT_IS_AI_MESSAGE (self), FALSE);
  return self->thinking;
}

void
cohort_ai_message_set_thinking (CohortAiMessage *self,
                                gboolean         thinking)
{
  g_return_if_fail (COHORT_IS_AI_MESSAGE (self));

  thinking = !!thinking;
  if (self->thinking == thinking)
    return;
  self->thinking = thinking;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THINKING]);
}

gint64
cohort_ai_message_get_exchange_id (CohortAiMessage *self)
{
  g_return_val_if_fail (COHORT_IS_AI_MESSAGE (self), 0);

  return self->exchange_id;
}

void
cohort_ai_message_set_exchange_id (CohortAiMessage *self,
                                   gint64           exchange_id)
{
  g_return_if_fail (COHORT_IS_AI_MESSAGE (self));

  if (self->exchange_id == exchange_id)
    return;
  self->exchange_id = exchange_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXCHANGE_ID]);
}

gboolean
cohort_ai_message_get_withheld (CohortAiMessage *self)
{
  g_return_val_if_fail (COHORT_IS_AI_MESSAGE (self), FALSE);

  return self->withheld;
}

void
cohort_ai_message_set_withheld (CohortAiMessage *self,
                                gboolean         withheld)
{
  g_return_if_fail (COHORT_IS_AI_MESSAGE (self));

  withheld = !!withheld;
  if (self->withheld == withheld)
    return;
  self->withheld = withheld;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WITHHELD]);
}

gint64
cohort_ai_message_get_streaming_since (CohortAiMessage *self)
{
  g_return_val_if_fail (COHORT_IS_AI_MESSAGE (self), 0);

  return self->streaming_since;
}

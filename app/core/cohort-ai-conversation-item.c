/* cohort-ai-conversation-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai"

#include "config.h"

#include "cohort-ai-conversation-item.h"

struct _CohortAiConversationItem
{
  GObject  parent_instance;

  gint64   id;
  char    *title;
  gint64   updated_at;
  gint64   n_exchanges;
};

G_DEFINE_FINAL_TYPE (CohortAiConversationItem, cohort_ai_conversation_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_UPDATED_AT,
  PROP_N_EXCHANGES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_ai_conversation_item_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  CohortAiConversationItem *self = COHORT_AI_CONVERSATION_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_UPDATED_AT:
      g_value_set_int64 (value, self->updated_at);
      break;
    case PROP_N_EXCHANGES:
      g_value_set_int64 (value, self->n_exchanges);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_ai_conversation_item_finalize (GObject *object)
{
  CohortAiConversationItem *self = COHORT_AI_CONVERSATION_ITEM (object);

  g_free (self->title);

  G_OBJECT_CLASS (cohort_ai_conversation_item_parent_class)->finalize (object);
}

static void
cohort_ai_conversation_item_class_init (CohortAiConversationItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cohort_ai_conversation_item_get_property;
  object_class->finalize = cohort_ai_conversation_item_finalize;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_UPDATED_AT] =
    g_param_spec_int64 ("updated-at", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_EXCHANGES] =
    g_param_spec_int64 ("n-exchanges", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_ai_conversation_item_init (CohortAiConversationItem *self)
{
}

CohortAiConversationItem *
cohort_ai_conversation_item_new (gint64      id,
                                 const char *title,
                                 gint64      updated_at,
                                 gint64      n_exchanges)
{
  CohortAiConversationItem *self = g_object_new (COHORT_TYPE_AI_CONVERSATION_ITEM, NULL);

  self->id = id;
  self->title = g_strdup (title != NULL ? title : "");
  self->updated_at = updated_at;
  self->n_exchanges = n_exchanges;
  return self;
}

gint64
cohort_ai_conversation_item_get_id (CohortAiConversationItem *self)
{
  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION_ITEM (self), 0);
  return self->id;
}

const char *
cohort_ai_conversation_item_get_title (CohortAiConversationItem *self)
{
  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION_ITEM (self), NULL);
  return self->title;
}

gint64
cohort_ai_conversation_item_get_updated_at (CohortAiConversationItem *self)
{
  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION_ITEM (self), 0);
  return self->updated_at;
}

gint64
cohort_ai_conversation_item_get_n_exchanges (CohortAiConversationItem *self)
{
  g_return_val_if_fail (COHORT_IS_AI_CONVERSATION_ITEM (self), 0);
  return self->n_exchanges;
}

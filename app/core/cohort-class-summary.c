/* cohort-class-summary.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-class-summary"

#include "config.h"

#include "cohort-class-summary.h"
#include "cohort-protocol.h"

struct _CohortClassSummary
{
  GObject   parent_instance;

  char     *code;
  char     *title;
  gint64    created_at;
  gboolean  archived;
  gint64    lessons;
  gint64    last_lesson_at;
  gint64    participants;
};

G_DEFINE_FINAL_TYPE (CohortClassSummary, cohort_class_summary, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CODE,
  PROP_TITLE,
  PROP_CREATED_AT,
  PROP_ARCHIVED,
  PROP_LESSONS,
  PROP_LAST_LESSON_AT,
  PROP_PARTICIPANTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_class_summary_finalize (GObject *object)
{
  CohortClassSummary *self = COHORT_CLASS_SUMMARY (object);

  g_free (self->code);
  g_free (self->title);

  G_OBJECT_CLASS (cohort_class_summary_parent_class)->finalize (object);
}

static void
cohort_class_summary_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CohortClassSummary *self = COHORT_CLASS_SUMMARY (object);

  switch (prop_id)
    {
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_ARCHIVED:
      g_value_set_boolean (value, self->archived);
      break;
    case PROP_LESSONS:
      g_value_set_int64 (value, self->lessons);
      break;
    case PROP_LAST_LESSON_AT:
      g_value_set_int64 (value, self->last_lesson_at);
      break;
    case PROP_PARTICIPANTS:
      g_value_set_int64 (value, self->participants);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_class_summary_class_init (CohortClassSummaryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_class_summary_finalize;
  object_class->get_property = cohort_class_summary_get_property;

  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, 0, COHORT_MAX_SAFE_INT, 0, flags);
  properties[PROP_ARCHIVED] = g_param_spec_boolean ("archived", NULL, NULL, FALSE, flags);
  properties[PROP_LESSONS] =
    g_param_spec_int64 ("lessons", NULL, NULL, 0, COHORT_MAX_SAFE_INT, 0, flags);
  properties[PROP_LAST_LESSON_AT] =
    g_param_spec_int64 ("last-lesson-at", NULL, NULL, 0, COHORT_MAX_SAFE_INT, 0, flags);
  properties[PROP_PARTICIPANTS] =
    g_param_spec_int64 ("participants", NULL, NULL, 0, COHORT_MAX_SAFE_INT, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_class_summary_init (CohortClassSummary *self)
{
}

/* Members from the network: a wrong type or range reads as 0. */
static gint64
get_count (JsonObject *object,
           const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  value = json_node_get_int (node);
  return value >= 0 && value <= COHORT_MAX_SAFE_INT ? value : 0;
}

CohortClassSummary *
cohort_class_summary_new_from_json (JsonObject *object)
{
  CohortClassSummary *self;
  const char *code;
  const char *title;

  g_return_val_if_fail (object != NULL, NULL);

  code = json_object_get_string_member_with_default (object, "code", NULL);
  title = json_object_get_string_member_with_default (object, "title", NULL);
  if (code == NULL || title == NULL)
    return NULL;

  self = g_object_new (COHORT_TYPE_CLASS_SUMMARY, NULL);
  self->code = g_strdup (code);
  self->title = g_strdup (title);
  self->created_at = get_count (object, "created_at");
  self->archived = json_object_get_boolean_member_with_default (object, "archived", FALSE);
  self->lessons = get_count (object, "lessons");
  self->last_lesson_at = get_count (object, "last_lesson_at");
  self->participants = get_count (object, "participants");
  return self;
}

const char *
cohort_class_summary_get_code (CohortClassSummary *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_SUMMARY (self), NULL);
  return self->code;
}

const char *
cohort_class_summary_get_title (CohortClassSummary *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_SUMMARY (self), NULL);
  return self->title;
}

gint64
cohort_class_summary_get_created_at (CohortClassSummary *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_SUMMARY (self), 0);
  return self->created_at;
}

gboolean
cohort_class_summary_get_archived (CohortClassSummary *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_SUMMARY (self), FALSE);
  return self->archived;
}

gint64
cohort_class_summary_get_lessons (CohortClassSummary *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_SUMMARY (self), 0);
  return self->lessons;
}

gint64
cohort_class_summary_get_last_lesson_at (CohortClassSummary *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_SUMMARY (self), 0);
  return self->last_lesson_at;
}

gint64
cohort_class_summary_get_participants (CohortClassSummary *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_SUMMARY (self), 0);
  return self->participants;
}

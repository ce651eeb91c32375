/* cohort-insights-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-insights"

#include "config.h"

#include "cohort-insights-protocol.h"

#include "cohort-insights-settings.h"
#include "cohort-json-private.h"
#include "cohort-notify-private.h"

struct _CohortInsightsSettings
{
  GObject  parent_instance;

  /* gint64, for _cohort_set_int64; the ranges keep them small. */
  gint64   absent_lessons;
  gint64   streak_days;
  gint64   accuracy_drop;
  gint64   accuracy_lessons;
  gint64   silent_lessons;
  char    *template;
};

G_DEFINE_FINAL_TYPE (CohortInsightsSettings, cohort_insights_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ABSENT_LESSONS,
  PROP_STREAK_DAYS,
  PROP_ACCURACY_DROP,
  PROP_ACCURACY_LESSONS,
  PROP_SILENT_LESSONS,
  PROP_TEMPLATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The members in the properties' order, with their field offsets. */
static const struct
{
  const char *member;
  gsize       offset;
} thresholds[] = {
  { "absent_lessons", G_STRUCT_OFFSET (CohortInsightsSettings, absent_lessons) },
  { "streak_days", G_STRUCT_OFFSET (CohortInsightsSettings, streak_days) },
  { "accuracy_drop", G_STRUCT_OFFSET (CohortInsightsSettings, accuracy_drop) },
  { "accuracy_lessons", G_STRUCT_OFFSET (CohortInsightsSettings, accuracy_lessons) },
  { "silent_lessons", G_STRUCT_OFFSET (CohortInsightsSettings, silent_lessons) },
};

#define FIELD(self, i) G_STRUCT_MEMBER_P ((self), thresholds[(i)].offset)

static void
cohort_insights_settings_finalize (GObject *object)
{
  g_free (COHORT_INSIGHTS_SETTINGS (object)->template);
  G_OBJECT_CLASS (cohort_insights_settings_parent_class)->finalize (object);
}

static void
cohort_insights_settings_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  CohortInsightsSettings *self = COHORT_INSIGHTS_SETTINGS (object);

  if (prop_id >= PROP_ABSENT_LESSONS && prop_id <= PROP_SILENT_LESSONS)
    g_value_set_uint (value, *(gint64 *) FIELD (self, prop_id - PROP_ABSENT_LESSONS));
  else if (prop_id == PROP_TEMPLATE)
    g_value_set_string (value, self->template);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cohort_insights_settings_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  CohortInsightsSettings *self = COHORT_INSIGHTS_SETTINGS (object);

  if (prop_id >= PROP_ABSENT_LESSONS && prop_id <= PROP_SILENT_LESSONS)
    _cohort_set_int64 (self, FIELD (self, prop_id - PROP_ABSENT_LESSONS), g_value_get_uint (value), pspec);
  else if (prop_id == PROP_TEMPLATE)
    _cohort_set_text (self, &self->template, g_value_get_string (value), pspec);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cohort_insights_settings_class_init (CohortInsightsSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_insights_settings_finalize;
  object_class->get_property = cohort_insights_settings_get_property;
  object_class->set_property = cohort_insights_settings_set_property;

  properties[PROP_ABSENT_LESSONS] =
    g_param_spec_uint ("absent-lessons", NULL, NULL, COHORT_INSIGHTS_ABSENT_MIN, COHORT_INSIGHTS_ABSENT_MAX,
                       COHORT_INSIGHTS_ABSENT_DEFAULT, flags);
  properties[PROP_STREAK_DAYS] =
    g_param_spec_uint ("streak-days", NULL, NULL, COHORT_INSIGHTS_STREAK_MIN, COHORT_INSIGHTS_STREAK_MAX,
                       COHORT_INSIGHTS_STREAK_DEFAULT, flags);
  properties[PROP_ACCURACY_DROP] =
    g_param_spec_uint ("accuracy-drop", NULL, NULL, COHORT_INSIGHTS_DROP_MIN, COHORT_INSIGHTS_DROP_MAX,
                       COHORT_INSIGHTS_DROP_DEFAULT, flags);
  properties[PROP_ACCURACY_LESSONS] =
    g_param_spec_uint ("accuracy-lessons", NULL, NULL, COHORT_INSIGHTS_DROP_LESSONS_MIN,
                       COHORT_INSIGHTS_DROP_LESSONS_MAX, COHORT_INSIGHTS_DROP_LESSONS_DEFAULT, flags);
  properties[PROP_SILENT_LESSONS] =
    g_param_spec_uint ("silent-lessons", NULL, NULL, COHORT_INSIGHTS_SILENT_MIN, COHORT_INSIGHTS_SILENT_MAX,
                       COHORT_INSIGHTS_SILENT_DEFAULT, flags);
  properties[PROP_TEMPLATE] = g_param_spec_string ("template", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_insights_settings_init (CohortInsightsSettings *self)
{
  self->absent_lessons = COHORT_INSIGHTS_ABSENT_DEFAULT;
  self->streak_days = COHORT_INSIGHTS_STREAK_DEFAULT;
  self->accuracy_drop = COHORT_INSIGHTS_DROP_DEFAULT;
  self->accuracy_lessons = COHORT_INSIGHTS_DROP_LESSONS_DEFAULT;
  self->silent_lessons = COHORT_INSIGHTS_SILENT_DEFAULT;
  self->template = g_strdup ("");
}

CohortInsightsSettings *
cohort_insights_settings_new (void)
{
  return g_object_new (COHORT_TYPE_INSIGHTS_SETTINGS, NULL);
}

CohortInsightsSettings *
cohort_insights_settings_copy (CohortInsightsSettings *self)
{
  CohortInsightsSettings *copy;

  g_return_val_if_fail (COHORT_IS_INSIGHTS_SETTINGS (self), NULL);

  copy = cohort_insights_settings_new ();
  _cohort_insights_settings_update (copy, self);
  return copy;
}

/* Only values in the property's range are taken: the server's are, and
 * anything else keeps what was there. */
static void
set_threshold (CohortInsightsSettings *self,
               guint                   i,
               gint64                  value)
{
  GParamSpecUInt *spec = G_PARAM_SPEC_UINT (properties[PROP_ABSENT_LESSONS + i]);

  if (value < spec->minimum || value > spec->maximum)
    return;
  _cohort_set_int64 (self, FIELD (self, i), value, properties[PROP_ABSENT_LESSONS + i]);
}

#define ACCESSORS(name, i)                                                        \
  guint                                                                           \
  cohort_insights_settings_get_##name (CohortInsightsSettings *self)              \
  {                                                                               \
    g_return_val_if_fail (COHORT_IS_INSIGHTS_SETTINGS (self), 0);                 \
    return (guint) *(gint64 *) FIELD (self, i);                                   \
  }                                                                               \
  void                                                                            \
  cohort_insights_settings_set_##name (CohortInsightsSettings *self,              \
                                       guint                   value)             \
  {                                                                               \
    g_return_if_fail (COHORT_IS_INSIGHTS_SETTINGS (self));                        \
    set_threshold (self, i, value);                                               \
  }

ACCESSORS (absent_lessons, 0)
ACCESSORS (streak_days, 1)
ACCESSORS (accuracy_drop, 2)
ACCESSORS (accuracy_lessons, 3)
ACCESSORS (silent_lessons, 4)

const char *
cohort_insights_settings_get_template (CohortInsightsSettings *self)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS_SETTINGS (self), NULL);

  return self->template;
}

void
cohort_insights_settings_set_template (CohortInsightsSettings *self,
                                       const char             *value)
{
  g_return_if_fail (COHORT_IS_INSIGHTS_SETTINGS (self));

  _cohort_set_text (self, &self->template, value, properties[PROP_TEMPLATE]);
}

CohortInsightsSettings *
_cohort_insights_settings_new_from_json (JsonObject *settings)
{
  CohortInsightsSettings *self = cohort_insights_settings_new ();

  for (guint i = 0; i < G_N_ELEMENTS (thresholds); i++)
    set_threshold (self, i, _cohort_json_int (settings, thresholds[i].member, *(gint64 *) FIELD (self, i)));
  cohort_insights_settings_set_template (self, _cohort_json_string (settings, "template"));
  return self;
}

JsonObject *
_cohort_insights_settings_to_json (CohortInsightsSettings *self)
{
  JsonObject *body = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (thresholds); i++)
    json_object_set_int_member (body, thresholds[i].member, *(gint64 *) FIELD (self, i));
  json_object_set_string_member (body, "template", self->template);
  return body;
}

void
_cohort_insights_settings_update (CohortInsightsSettings *self,
                                  CohortInsightsSettings *other)
{
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < G_N_ELEMENTS (thresholds); i++)
    set_threshold (self, i, *(gint64 *) FIELD (other, i));
  cohort_insights_settings_set_template (self, other->template);
  g_object_thaw_notify (G_OBJECT (self));
}

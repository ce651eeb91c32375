/* cohort-schedule-occurrence.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-schedule"

#include "config.h"

#include "cohort-json-private.h"
#include "cohort-schedule-private.h"
#include "cohort-schedule-protocol.h"
#include "cohort-schedule-rule.h"

struct _CohortScheduleOccurrence
{
  GObject  parent_instance;

  gint64   lesson_id;
  char    *title;
  char    *date;
  gint64   start_at;
  guint    duration;
  char    *zone;
  gboolean weekly;
  char    *series_start;
  guint    count;
  char    *until;
};

G_DEFINE_FINAL_TYPE (CohortScheduleOccurrence, cohort_schedule_occurrence, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LESSON_ID,
  PROP_TITLE,
  PROP_DATE,
  PROP_START_AT,
  PROP_END_AT,
  PROP_DURATION,
  PROP_ZONE,
  PROP_WEEKLY,
  PROP_SERIES_START,
  PROP_COUNT,
  PROP_UNTIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CohortScheduleOccurrence *
_cohort_schedule_occurrence_new_from_json (JsonObject *object)
{
  CohortScheduleOccurrence *self;
  const char *title = _cohort_json_string (object, "title");
  const char *date = _cohort_json_string (object, "date");
  const char *start = _cohort_json_string (object, "start");
  const char *zone = _cohort_json_string (object, "zone");
  const char *until = _cohort_json_string (object, "until");
  gint64 lesson_id = _cohort_json_int (object, "lesson_id", 0);
  gint64 start_at = _cohort_json_int (object, "start_at", 0);
  gint64 duration = _cohort_json_int (object, "duration", 0);

  /* What the server sends is checked like any input: an item the UI
   * cannot show correctly is left out. */
  if (lesson_id <= 0 || title == NULL || start_at <= 0 || zone == NULL ||
      !cohort_schedule_date_parse (date, NULL) || !cohort_schedule_local_parse (start, NULL, NULL, NULL) ||
      duration < COHORT_SCHEDULE_MIN_DURATION || duration > COHORT_SCHEDULE_MAX_DURATION ||
      (until != NULL && !cohort_schedule_date_parse (until, NULL)))
    return NULL;

  self = g_object_new (COHORT_TYPE_SCHEDULE_OCCURRENCE, NULL);
  self->lesson_id = lesson_id;
  self->title = g_strdup (title);
  self->date = g_strdup (date);
  self->start_at = start_at;
  self->duration = duration;
  self->zone = g_strdup (zone);
  self->weekly = g_strcmp0 (_cohort_json_string (object, "recurrence"), COHORT_SCHEDULE_STR_WEEKLY) == 0;
  self->series_start = g_strdup (start);
  self->count = CLAMP (_cohort_json_int (object, "count", 0), 0, COHORT_SCHEDULE_MAX_COUNT);
  self->until = g_strdup (until);
  return self;
}

static void
cohort_schedule_occurrence_finalize (GObject *object)
{
  CohortScheduleOccurrence *self = COHORT_SCHEDULE_OCCURRENCE (object);

  g_free (self->title);
  g_free (self->date);
  g_free (self->zone);
  g_free (self->series_start);
  g_free (self->until);
  G_OBJECT_CLASS (cohort_schedule_occurrence_parent_class)->finalize (object);
}

static void
cohort_schedule_occurrence_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  CohortScheduleOccurrence *self = COHORT_SCHEDULE_OCCURRENCE (object);

  switch (prop_id)
    {
    case PROP_LESSON_ID:
      g_value_set_int64 (value, self->lesson_id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;
    case PROP_START_AT:
      g_value_set_int64 (value, self->start_at);
      break;
    case PROP_END_AT:
      g_value_set_int64 (value, cohort_schedule_occurrence_get_end_at (self));
      break;
    case PROP_DURATION:
      g_value_set_uint (value, self->duration);
      break;
    case PROP_ZONE:
      g_value_set_string (value, self->zone);
      break;
    case PROP_WEEKLY:
      g_value_set_boolean (value, self->weekly);
      break;
    case PROP_SERIES_START:
      g_value_set_string (value, self->series_start);
      break;
    case PROP_COUNT:
      g_value_set_uint (value, self->count);
      break;
    case PROP_UNTIL:
      g_value_set_string (value, self->until);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_schedule_occurrence_class_init (CohortScheduleOccurrenceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_schedule_occurrence_finalize;
  object_class->get_property = cohort_schedule_occurrence_get_property;

  properties[PROP_LESSON_ID] = g_param_spec_int64 ("lesson-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_DATE] = g_param_spec_string ("date", NULL, NULL, NULL, flags);
  properties[PROP_START_AT] = g_param_spec_int64 ("start-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_END_AT] = g_param_spec_int64 ("end-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_DURATION] = g_param_spec_uint ("duration", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ZONE] = g_param_spec_string ("zone", NULL, NULL, NULL, flags);
  properties[PROP_WEEKLY] = g_param_spec_boolean ("weekly", NULL, NULL, FALSE, flags);
  properties[PROP_SERIES_START] = g_param_spec_string ("series-start", NULL, NULL, NULL, flags);
  properties[PROP_COUNT] = g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_UNTIL] = g_param_spec_string ("until", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_schedule_occurrence_init (CohortScheduleOccurrence *self)
{
}

gint64
cohort_schedule_occurrence_get_lesson_id (CohortScheduleOccurrence *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_OCCURRENCE (self), 0);
  return self->lesson_id;
}

const char *
cohort_schedule_occurrence_get_title (CohortScheduleOccurrence *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_OCCURRENCE (self), NULL);
  return self->title;
}

const char *
cohort_schedule_occurrence_get_date (CohortScheduleOccurrence *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_OCCURRENCE (self), NULL);
  return self->date;
}

gint64
cohort_schedule_occurrence_get_start_at (CohortScheduleOccurrence *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_OCCURRENCE (self), 0);
  return self->start_at;
}

gint64
cohort_schedule_occurrence_get_end_at (CohortScheduleOccurrence *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_OCCURRENCE (self), 0);
  return self->start_at + (gint64) self->duration * 60 * 1000;
}

guint
cohort_schedule_occurrence_get_duration (CohortScheduleOccurrence *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_OCCURRENCE (self), 0);
  return self->duration;
}

const char *
cohort_schedule_occurrence_get_zone (CohortScheduleOccurrence *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_OCCURRENCE (self), NULL);
  return self->zone;
}

gboolean
cohort_schedule_occurrence_get_weekly (CohortScheduleOccurrence *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_OCCURRENCE (self), FALSE);
  return self->weekly;
}

const char *
cohort_schedule_occurrence_get_series_start (CohortScheduleOccurrence *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_OCCURRENCE (self), NULL);
  return self->series_start;
}

guint
cohort_schedule_occurrence_get_count (CohortScheduleOccurrence *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_OCCURRENCE (self), 0);
  return self->count;
}

const char *
cohort_schedule_occurrence_get_until (CohortScheduleOccurrence *self)
{
  g_return_val_if_fail (COHORT_IS_SCHEDULE_OCCURRENCE (self), NULL);
  return self->until;
}

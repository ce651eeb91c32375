/* cohort-mastery-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-practice"

#include "config.h"

#include "cohort-json-private.h"
#include "cohort-mastery-row.h"

struct _CohortMasteryRow
{
  GObject  parent_instance;

  gint64   participant_id;
  char    *name;
  GArray  *cells;   /* int */
  int      mean;
};

G_DEFINE_FINAL_TYPE (CohortMasteryRow, cohort_mastery_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PARTICIPANT_ID,
  PROP_NAME,
  PROP_MEAN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_mastery_row_finalize (GObject *object)
{
  CohortMasteryRow *self = COHORT_MASTERY_ROW (object);

  g_free (self->name);
  g_clear_pointer (&self->cells, g_array_unref);
  G_OBJECT_CLASS (cohort_mastery_row_parent_class)->finalize (object);
}

static void
cohort_mastery_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CohortMasteryRow *self = COHORT_MASTERY_ROW (object);

  switch (prop_id)
    {
    case PROP_PARTICIPANT_ID:
      g_value_set_int64 (value, self->participant_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_MEAN:
      g_value_set_int (value, self->mean);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_mastery_row_class_init (CohortMasteryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_mastery_row_finalize;
  object_class->get_property = cohort_mastery_row_get_property;

  properties[PROP_PARTICIPANT_ID] = g_param_spec_int64 ("participant-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_MEAN] = g_param_spec_int ("mean", NULL, NULL, -1, 1000, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_mastery_row_init (CohortMasteryRow *self)
{
  self->cells = g_array_new (FALSE, FALSE, sizeof (int));
  self->mean = -1;
}

/* A cell as the server sends it: [column, permille]. */
static gboolean
read_cell (JsonNode *node,
           guint     n_points,
           gint64   *column,
           gint64   *mastery)
{
  JsonArray *pair;

  if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (pair = json_node_get_array (node)) != 2 ||
      json_node_get_value_type (json_array_get_element (pair, 0)) != G_TYPE_INT64 ||
      json_node_get_value_type (json_array_get_element (pair, 1)) != G_TYPE_INT64)
    return FALSE;
  *column = json_array_get_int_element (pair, 0);
  *mastery = json_array_get_int_element (pair, 1);
  return *column >= 0 && *column < n_points && *mastery >= 0 && *mastery <= 1000;
}

/* NULL when the row does not fit: the caller refuses the whole reply
 * rather than show a class with a student missing or a cell made up. */
CohortMasteryRow *
_cohort_mastery_row_new_from_json (JsonObject *object,
                                   guint       n_points)
{
  g_autoptr(CohortMasteryRow) self = NULL;
  JsonArray *cells = _cohort_json_array (object, "cells");
  const char *name = _cohort_json_string (object, "name");
  gint64 id = _cohort_json_int (object, "participant_id", 0);
  gint64 sum = 0, previous = -1;
  guint n;

  if (id <= 0 || name == NULL || cells == NULL || (n = json_array_get_length (cells)) > n_points)
    return NULL;
  self = g_object_new (COHORT_TYPE_MASTERY_ROW, NULL);
  self->participant_id = id;
  self->name = g_strdup (name);
  g_array_set_size (self->cells, n_points);
  for (guint i = 0; i < n_points; i++)
    g_array_index (self->cells, int, i) = -1;
  for (guint i = 0; i < n; i++)
    {
      gint64 column, mastery;

      /* columns strictly increasing: no cell twice */
      if (!read_cell (json_array_get_element (cells, i), n_points, &column, &mastery) || column <= previous)
        return NULL;
      g_array_index (self->cells, int, column) = (int) mastery;
      sum += mastery;
      previous = column;
    }
  self->mean = n > 0 ? (int) (sum / n) : -1;
  return g_steal_pointer (&self);
}

gint64
cohort_mastery_row_get_participant_id (CohortMasteryRow *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_ROW (self), 0);
  return self->participant_id;
}

const char *
cohort_mastery_row_get_name (CohortMasteryRow *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_ROW (self), NULL);
  return self->name;
}

int
cohort_mastery_row_get_mean (CohortMasteryRow *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_ROW (self), -1);
  return self->mean;
}

guint
cohort_mastery_row_get_n_cells (CohortMasteryRow *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_ROW (self), 0);
  return self->cells->len;
}

int
cohort_mastery_row_get_cell (CohortMasteryRow *self,
                             guint             index)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_ROW (self), -1);
  if (index >= self->cells->len)
    return -1;
  return g_array_index (self->cells, int, index);
}

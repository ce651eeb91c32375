/* cohort-groups-board-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-board-row"

#include "config.h"

#include "cohort-groups-board-row.h"
#include "cohort-notify-private.h"

struct _CohortBoardRow
{
  GObject   parent_instance;

  gint64    rank;
  gint64    id;
  char     *name;
  gint64    points;
  gboolean  is_self;
  double    fraction;
};

G_DEFINE_FINAL_TYPE (CohortBoardRow, cohort_board_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RANK,
  PROP_ID,
  PROP_NAME,
  PROP_POINTS,
  PROP_IS_SELF,
  PROP_FRACTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CohortBoardRow *
cohort_board_row_new (gint64      rank,
                      gint64      id,
                      const char *name,
                      gint64      points,
                      gboolean    is_self)
{
  CohortBoardRow *self = g_object_new (COHORT_TYPE_BOARD_ROW, NULL);

  self->rank = rank;
  self->id = id;
  self->name = g_strdup (name ? name : "");
  self->points = points;
  self->is_self = is_self;
  return self;
}

gint64
cohort_board_row_get_rank (CohortBoardRow *self)
{
  g_return_val_if_fail (COHORT_IS_BOARD_ROW (self), 0);
  return self->rank;
}

gint64
cohort_board_row_get_id (CohortBoardRow *self)
{
  g_return_val_if_fail (COHORT_IS_BOARD_ROW (self), 0);
  return self->id;
}

const char *
cohort_board_row_get_name (CohortBoardRow *self)
{
  g_return_val_if_fail (COHORT_IS_BOARD_ROW (self), NULL);
  return self->name;
}

gint64
cohort_board_row_get_points (CohortBoardRow *self)
{
  g_return_val_if_fail (COHORT_IS_BOARD_ROW (self), 0);
  return self->points;
}

gboolean
cohort_board_row_get_is_self (CohortBoardRow *self)
{
  g_return_val_if_fail (COHORT_IS_BOARD_ROW (self), FALSE);
  return self->is_self;
}

double
cohort_board_row_get_fraction (CohortBoardRow *self)
{
  g_return_val_if_fail (COHORT_IS_BOARD_ROW (self), 0.0);
  return self->fraction;
}

void
cohort_board_row_set_rank (CohortBoardRow *self,
                           gint64          rank)
{
  g_return_if_fail (COHORT_IS_BOARD_ROW (self));
  _cohort_set_int64 (self, &self->rank, rank, properties[PROP_RANK]);
}

void
cohort_board_row_set_name (CohortBoardRow *self,
                           const char     *name)
{
  g_return_if_fail (COHORT_IS_BOARD_ROW (self));
  _cohort_set_text (self, &self->name, name, properties[PROP_NAME]);
}

void
cohort_board_row_set_points (CohortBoardRow *self,
                             gint64          points)
{
  g_return_if_fail (COHORT_IS_BOARD_ROW (self));
  _cohort_set_int64 (self, &self->points, points, properties[PROP_POINTS]);
}

void
cohort_board_row_set_fraction (CohortBoardRow *self,
                               double          fraction)
{
  g_return_if_fail (COHORT_IS_BOARD_ROW (self));
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (self->fraction == fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

static void
cohort_board_row_finalize (GObject *object)
{
  CohortBoardRow *self = COHORT_BOARD_ROW (object);

  g_free (self->name);
  G_OBJECT_CLASS (cohort_board_row_parent_class)->finalize (object);
}

static void
cohort_board_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CohortBoardRow *self = COHORT_BOARD_ROW (object);

  switch (prop_id)
    {
    case PROP_RANK:
      g_value_set_int64 (value, self->rank);
      break;
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_POINTS:
      g_value_set_int64 (value, self->points);
      break;
    case PROP_IS_SELF:
      g_value_set_boolean (value, self->is_self);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_board_row_class_init (CohortBoardRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_board_row_finalize;
  object_class->get_property = cohort_board_row_get_property;

  properties[PROP_RANK] = g_param_spec_int64 ("rank", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_POINTS] = g_param_spec_int64 ("points", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_IS_SELF] = g_param_spec_boolean ("is-self", NULL, NULL, FALSE, flags);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_board_row_init (CohortBoardRow *self)
{
}

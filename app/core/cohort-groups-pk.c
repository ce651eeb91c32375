/* cohort-groups-pk.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-pk"

#include "config.h"

#include "cohort-array-model-private.h"
#include "cohort-groups-private.h"
#include "cohort-notify-private.h"

struct _CohortPk
{
  GObject     parent_instance;

  GPtrArray  *rows;          /* CohortBoardRow */
  gint64      pk_id;
  gboolean    running;
  gint64      starts_at;
  gint64      ends_at;
  gint64      ended_at;
  gint64      my_group_id;
  char       *winners;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortPk, cohort_pk, G_TYPE_OBJECT,
                               _cohort_array_model_implement (g_define_type_id, COHORT_TYPE_BOARD_ROW,
                                                              G_STRUCT_OFFSET (CohortPk, rows)))

enum {
  PROP_0,
  PROP_PK_ID,
  PROP_RUNNING,
  PROP_STARTS_AT,
  PROP_ENDS_AT,
  PROP_ENDED_AT,
  PROP_TOTAL_POINTS,
  PROP_WINNERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CohortPk *
_cohort_pk_new (void)
{
  return g_object_new (COHORT_TYPE_PK, NULL);
}

static void
set_running (CohortPk *self,
             gboolean  running)
{
  _cohort_set_boolean (self, &self->running, running, properties[PROP_RUNNING]);
}

static void
set_winners (CohortPk   *self,
             const char *winners)
{
  _cohort_set_string (self, &self->winners, winners, properties[PROP_WINNERS]);
}

static CohortBoardRow *
find_row (CohortPk *self,
          gint64    group_id)
{
  for (guint i = 0; i < self->rows->len; i++)
    if (cohort_board_row_get_id (g_ptr_array_index (self->rows, i)) == group_id)
      return g_ptr_array_index (self->rows, i);
  return NULL;
}

/* Ranks (ties share one) and fractions from the points. */
static void
update_ranks (CohortPk *self)
{
  gint64 total = 0;

  for (guint i = 0; i < self->rows->len; i++)
    total += cohort_board_row_get_points (g_ptr_array_index (self->rows, i));
  for (guint i = 0; i < self->rows->len; i++)
    {
      CohortBoardRow *row = g_ptr_array_index (self->rows, i);
      gint64 rank = 1;

      for (guint j = 0; j < self->rows->len; j++)
        if (cohort_board_row_get_points (g_ptr_array_index (self->rows, j)) > cohort_board_row_get_points (row))
          rank++;
      cohort_board_row_set_rank (row, rank);
      cohort_board_row_set_fraction (row, total > 0 ? (double) cohort_board_row_get_points (row) / total
                                                    : 1.0 / self->rows->len);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL_POINTS]);
}

static const char *
group_name (GListModel *groups,
            gint64      group_id)
{
  for (guint i = 0; groups != NULL && i < g_list_model_get_n_items (groups); i++)
    {
      g_autoptr(CohortGroup) g = g_list_model_get_item (groups, i);

      if (cohort_group_get_id (g) == group_id)
        return cohort_group_get_name (g);
    }
  return "";
}

void
_cohort_pk_reset (CohortPk   *self,
                  JsonObject *pk,
                  GListModel *groups,
                  gint64      my_group_id)
{
  guint old_len;
  JsonArray *ids;

  g_return_if_fail (COHORT_IS_PK (self));

  g_object_freeze_notify (G_OBJECT (self));
  old_len = self->rows->len;
  g_ptr_array_set_size (self->rows, 0);
  self->my_group_id = my_group_id;

  if (pk == NULL)
    {
      _cohort_set_int64 (self, &self->pk_id, 0, properties[PROP_PK_ID]);
      set_running (self, FALSE);
      _cohort_set_int64 (self, &self->starts_at, 0, properties[PROP_STARTS_AT]);
      _cohort_set_int64 (self, &self->ends_at, 0, properties[PROP_ENDS_AT]);
      _cohort_set_int64 (self, &self->ended_at, 0, properties[PROP_ENDED_AT]);
      set_winners (self, NULL);
    }
  else
    {
      _cohort_set_int64 (self, &self->pk_id, json_object_get_int_member_with_default (pk, "id", 0),
                         properties[PROP_PK_ID]);
      _cohort_set_int64 (self, &self->starts_at, json_object_get_int_member_with_default (pk, "starts_at", 0),
                         properties[PROP_STARTS_AT]);
      _cohort_set_int64 (self, &self->ends_at, json_object_get_int_member_with_default (pk, "ends_at", 0),
                         properties[PROP_ENDS_AT]);
      set_running (self, json_object_get_boolean_member_with_default (pk, "running", TRUE));
      _cohort_set_int64 (self, &self->ended_at, self->running ? 0 : self->ends_at, properties[PROP_ENDED_AT]);
      set_winners (self, NULL);
      ids = json_object_has_member (pk, "group_ids") ? json_object_get_array_member (pk, "group_ids") : NULL;
      for (guint i = 0; ids != NULL && i < json_array_get_length (ids); i++)
        {
          gint64 id = json_array_get_int_element (ids, i);

          g_ptr_array_add (self->rows, cohort_board_row_new (1, id, group_name (groups, id), 0,
                                                             id == my_group_id));
        }
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->rows->len);
  if (pk != NULL && json_object_has_member (pk, "scores"))
    _cohort_pk_set_scores (self, self->pk_id, json_object_get_array_member (pk, "scores"));
  else
    update_ranks (self);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_cohort_pk_set_scores (CohortPk  *self,
                       gint64     pk_id,
                       JsonArray *scores)
{
  g_return_if_fail (COHORT_IS_PK (self));

  if (pk_id != self->pk_id || scores == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (scores); i++)
    {
      JsonNode *node = json_array_get_element (scores, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      CohortBoardRow *row = o ? find_row (self, json_object_get_int_member_with_default (o, "group_id", 0)) : NULL;

      if (row != NULL)
        cohort_board_row_set_points (row, MAX (0, json_object_get_int_member_with_default (o, "points", 0)));
    }
  update_ranks (self);
}

void
_cohort_pk_end (CohortPk   *self,
                JsonObject *ended)
{
  gint64 pk_id = json_object_get_int_member_with_default (ended, "pk_id", 0);
  JsonArray *winners;
  g_autoptr(GString) names = g_string_new (NULL);

  g_return_if_fail (COHORT_IS_PK (self));

  if (pk_id != self->pk_id)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  if (json_object_has_member (ended, "scores"))
    _cohort_pk_set_scores (self, pk_id, json_object_get_array_member (ended, "scores"));
  winners = json_object_has_member (ended, "winner_ids") ? json_object_get_array_member (ended, "winner_ids") : NULL;
  for (guint i = 0; winners != NULL && i < json_array_get_length (winners); i++)
    {
      CohortBoardRow *row = find_row (self, json_array_get_int_element (winners, i));

      if (row == NULL)
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, cohort_board_row_get_name (row));
    }
  _cohort_set_int64 (self, &self->ended_at, json_object_get_int_member_with_default (ended, "ended_at", 0),
                     properties[PROP_ENDED_AT]);
  set_winners (self, names->str);
  set_running (self, FALSE);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_cohort_pk_set_my_group (CohortPk *self,
                         gint64    my_group_id)
{
  g_return_if_fail (COHORT_IS_PK (self));

  if (self->my_group_id == my_group_id)
    return;
  self->my_group_id = my_group_id;
  /* Rows know "is-self" from birth: rebuild them. */
  for (guint i = 0; i < self->rows->len; i++)
    {
      CohortBoardRow *old = g_ptr_array_index (self->rows, i);
      CohortBoardRow *row = cohort_board_row_new (cohort_board_row_get_rank (old), cohort_board_row_get_id (old),
                                                  cohort_board_row_get_name (old),
                                                  cohort_board_row_get_points (old),
                                                  cohort_board_row_get_id (old) == my_group_id);

      cohort_board_row_set_fraction (row, cohort_board_row_get_fraction (old));
      g_ptr_array_index (self->rows, i) = row;
      g_object_unref (old);
    }
  if (self->rows->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, self->rows->len, self->rows->len);
}

gint64
cohort_pk_get_pk_id (CohortPk *self)
{
  g_return_val_if_fail (COHORT_IS_PK (self), 0);
  return self->pk_id;
}

gboolean
cohort_pk_get_running (CohortPk *self)
{
  g_return_val_if_fail (COHORT_IS_PK (self), FALSE);
  return self->running;
}

gint64
cohort_pk_get_starts_at (CohortPk *self)
{
  g_return_val_if_fail (COHORT_IS_PK (self), 0);
  return self->starts_at;
}

gint64
cohort_pk_get_ends_at (CohortPk *self)
{
  g_return_val_if_fail (COHORT_IS_PK (self), 0);
  return self->ends_at;
}

gint64
cohort_pk_get_ended_at (CohortPk *self)
{
  g_return_val_if_fail (COHORT_IS_PK (self), 0);
  return self->ended_at;
}

gint64
cohort_pk_get_total_points (CohortPk *self)
{
  gint64 total = 0;

  g_return_val_if_fail (COHORT_IS_PK (self), 0);
  for (guint i = 0; i < self->rows->len; i++)
    total += cohort_board_row_get_points (g_ptr_array_index (self->rows, i));
  return total;
}

const char *
cohort_pk_get_winners (CohortPk *self)
{
  g_return_val_if_fail (COHORT_IS_PK (self), NULL);
  return self->winners ? self->winners : "";
}

gint64
cohort_pk_get_score (CohortPk *self,
                     gint64    group_id)
{
  CohortBoardRow *row;

  g_return_val_if_fail (COHORT_IS_PK (self), 0);
  row = find_row (self, group_id);
  return row ? cohort_board_row_get_points (row) : 0;
}

static void
cohort_pk_finalize (GObject *object)
{
  CohortPk *self = COHORT_PK (object);

  g_ptr_array_unref (self->rows);
  g_free (self->winners);
  G_OBJECT_CLASS (cohort_pk_parent_class)->finalize (object);
}

static void
cohort_pk_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CohortPk *self = COHORT_PK (object);

  switch (prop_id)
    {
    case PROP_PK_ID:
      g_value_set_int64 (value, self->pk_id);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_STARTS_AT:
      g_value_set_int64 (value, self->starts_at);
      break;
    case PROP_ENDS_AT:
      g_value_set_int64 (value, self->ends_at);
      break;
    case PROP_ENDED_AT:
      g_value_set_int64 (value, self->ended_at);
      break;
    case PROP_TOTAL_POINTS:
      g_value_set_int64 (value, cohort_pk_get_total_points (self));
      break;
    case PROP_WINNERS:
      g_value_set_string (value, cohort_pk_get_winners (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_pk_class_init (CohortPkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_pk_finalize;
  object_class->get_property = cohort_pk_get_property;

  properties[PROP_PK_ID] = g_param_spec_int64 ("pk-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);
  properties[PROP_STARTS_AT] = g_param_spec_int64 ("starts-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ENDS_AT] = g_param_spec_int64 ("ends-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ENDED_AT] = g_param_spec_int64 ("ended-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TOTAL_POINTS] = g_param_spec_int64 ("total-points", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_WINNERS] = g_param_spec_string ("winners", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_pk_init (CohortPk *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
}

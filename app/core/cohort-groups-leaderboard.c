/* cohort-groups-leaderboard.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-leaderboard"

#include "config.h"

#include "cohort-array-model-private.h"
#include "cohort-groups-protocol.h"
#include "cohort-groups-leaderboard.h"
#include "cohort-notify-private.h"

/* Points change in bursts (a check-in, then progress and standings):
 * ask once the burst is over. */
#define REFRESH_DELAY_MS 300

struct _CohortLeaderboard
{
  GObject         parent_instance;

  CohortGroups   *groups;
  GCancellable   *cancellable;
  GPtrArray      *rows;        /* CohortBoardRow */
  char           *scope;
  char           *period;
  char           *mode;
  gboolean        hidden;
  gint64          total;
  CohortBoardRow *you;
  gboolean        you_listed;
  gboolean        loading;
  guint           refresh_source;
  guint           serial;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortLeaderboard, cohort_leaderboard, G_TYPE_OBJECT,
                               _cohort_array_model_implement (g_define_type_id, COHORT_TYPE_BOARD_ROW,
                                                              G_STRUCT_OFFSET (CohortLeaderboard, rows)))

enum {
  PROP_0,
  PROP_GROUPS,
  PROP_SCOPE,
  PROP_PERIOD,
  PROP_MODE,
  PROP_HIDDEN,
  PROP_TOTAL,
  PROP_YOU,
  PROP_YOU_LISTED,
  PROP_LOADING,
  N_PROPS
};

enum {
  UPDATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_loading (CohortLeaderboard *self,
             gboolean           loading)
{
  _cohort_set_boolean (self, &self->loading, loading, properties[PROP_LOADING]);
}

static gboolean
is_mine (CohortLeaderboard *self,
         gint64             id)
{
  if (g_strcmp0 (self->scope, "group") == 0)
    {
      CohortGroup *mine = cohort_groups_get_my_group (self->groups);

      return mine != NULL && cohort_group_get_id (mine) == id;
    }
  return id == cohort_groups_get_viewer_id (self->groups);
}

static CohortBoardRow *
row_from_json (CohortLeaderboard *self,
               JsonObject        *o)
{
  gint64 id = json_object_get_int_member_with_default (o, "id", 0);

  return cohort_board_row_new (json_object_get_int_member_with_default (o, "rank", 0), id,
                               json_object_get_string_member_with_default (o, "name", ""),
                               MAX (0, json_object_get_int_member_with_default (o, "points", 0)),
                               is_mine (self, id));
}

static void
apply_board (CohortLeaderboard *self,
             JsonObject        *board)
{
  JsonNode *rows_node = json_object_get_member (board, "rows");
  JsonArray *rows = rows_node && JSON_NODE_HOLDS_ARRAY (rows_node) ? json_node_get_array (rows_node) : NULL;
  JsonNode *you_node = json_object_get_member (board, "you");
  guint old_len = self->rows->len;
  gint64 top = 0;
  gboolean listed = FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  g_ptr_array_set_size (self->rows, 0);
  for (guint i = 0; rows != NULL && i < json_array_get_length (rows); i++)
    {
      JsonNode *node = json_array_get_element (rows, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (self->rows, row_from_json (self, json_node_get_object (node)));
    }
  for (guint i = 0; i < self->rows->len; i++)
    top = MAX (top, cohort_board_row_get_points (g_ptr_array_index (self->rows, i)));
  for (guint i = 0; i < self->rows->len; i++)
    {
      CohortBoardRow *row = g_ptr_array_index (self->rows, i);

      cohort_board_row_set_fraction (row, top > 0 ? (double) cohort_board_row_get_points (row) / top : 0.0);
      listed |= cohort_board_row_get_is_self (row);
    }

  g_clear_object (&self->you);
  if (you_node != NULL && JSON_NODE_HOLDS_OBJECT (you_node))
    {
      self->you = row_from_json (self, json_node_get_object (you_node));
      cohort_board_row_set_fraction (self->you, top > 0 ? (double) cohort_board_row_get_points (self->you) / top : 0.0);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_YOU]);
  _cohort_set_boolean (self, &self->you_listed, listed, properties[PROP_YOU_LISTED]);

  _cohort_set_string (self, &self->mode,
                      json_object_get_string_member_with_default (board, "mode", "all"),
                      properties[PROP_MODE]);
  if (self->hidden != json_object_get_boolean_member_with_default (board, "hidden", FALSE))
    {
      self->hidden = !self->hidden;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIDDEN]);
    }
  if (self->total != json_object_get_int_member_with_default (board, "total", 0))
    {
      self->total = json_object_get_int_member_with_default (board, "total", 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->rows->len);
  g_object_thaw_notify (G_OBJECT (self));
}

typedef struct
{
  CohortLeaderboard *self;
  guint              serial;
} BoardData;

static void
board_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  BoardData *data = user_data;
  g_autoptr(CohortLeaderboard) self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) board = cohort_groups_request_finish (COHORT_GROUPS (source), result, &error);
  guint serial = data->serial;

  g_free (data);
  if (serial != self->serial)
    return;
  set_loading (self, FALSE);
  if (board == NULL)
    {
      /* A background refresh fails in ordinary ways (the class was left,
       * the link dropped): the last board stays shown and the next
       * refresh tries again, so this is no warning. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Could not load the leaderboard: %s", error->message);
      return;
    }
  /* An answer for another scope or period than the current one. */
  if (g_strcmp0 (json_object_get_string_member_with_default (board, "scope", ""), self->scope) != 0 ||
      g_strcmp0 (json_object_get_string_member_with_default (board, "period", ""), self->period) != 0)
    return;
  apply_board (self, board);
  g_signal_emit (self, signals[UPDATED], 0);
}

void
cohort_leaderboard_refresh (CohortLeaderboard *self)
{
  g_autoptr(JsonObject) body = NULL;
  BoardData *data;

  g_return_if_fail (COHORT_IS_LEADERBOARD (self));

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  if (self->groups == NULL || !cohort_groups_get_synced (self->groups))
    return;

  body = json_object_new ();
  json_object_set_string_member (body, "scope", self->scope);
  json_object_set_string_member (body, "period", self->period);
  data = g_new0 (BoardData, 1);
  data->self = g_object_ref (self);
  data->serial = ++self->serial;
  set_loading (self, TRUE);
  cohort_groups_request_async (self->groups, COHORT_REQ_GROUPS_BOARD, body, self->cancellable, board_done, data);
}

static gboolean
refresh_timeout (gpointer user_data)
{
  CohortLeaderboard *self = user_data;

  self->refresh_source = 0;
  cohort_leaderboard_refresh (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (CohortLeaderboard *self)
{
  if (self->refresh_source == 0)
    self->refresh_source = g_timeout_add (REFRESH_DELAY_MS, refresh_timeout, self);
}

CohortLeaderboard *
cohort_leaderboard_new (CohortGroups *groups)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (groups), NULL);

  return g_object_new (COHORT_TYPE_LEADERBOARD, "groups", groups, NULL);
}

const char *
cohort_leaderboard_get_scope (CohortLeaderboard *self)
{
  g_return_val_if_fail (COHORT_IS_LEADERBOARD (self), NULL);
  return self->scope;
}

void
cohort_leaderboard_set_scope (CohortLeaderboard *self,
                              const char        *scope)
{
  g_return_if_fail (COHORT_IS_LEADERBOARD (self));
  g_return_if_fail (g_strcmp0 (scope, "individual") == 0 || g_strcmp0 (scope, "group") == 0);

  if (_cohort_set_string (self, &self->scope, scope, properties[PROP_SCOPE]))
    cohort_leaderboard_refresh (self);
}

const char *
cohort_leaderboard_get_period (CohortLeaderboard *self)
{
  g_return_val_if_fail (COHORT_IS_LEADERBOARD (self), NULL);
  return self->period;
}

void
cohort_leaderboard_set_period (CohortLeaderboard *self,
                               const char        *period)
{
  g_return_if_fail (COHORT_IS_LEADERBOARD (self));
  g_return_if_fail (g_strcmp0 (period, "week") == 0 || g_strcmp0 (period, "all") == 0);

  if (_cohort_set_string (self, &self->period, period, properties[PROP_PERIOD]))
    cohort_leaderboard_refresh (self);
}

const char *
cohort_leaderboard_get_mode (CohortLeaderboard *self)
{
  g_return_val_if_fail (COHORT_IS_LEADERBOARD (self), NULL);
  return self->mode ? self->mode : COHORT_GROUPS_BOARD_ALL;
}

gboolean
cohort_leaderboard_get_hidden (CohortLeaderboard *self)
{
  g_return_val_if_fail (COHORT_IS_LEADERBOARD (self), FALSE);
  return self->hidden;
}

gint64
cohort_leaderboard_get_total (CohortLeaderboard *self)
{
  g_return_val_if_fail (COHORT_IS_LEADERBOARD (self), 0);
  return self->total;
}

CohortBoardRow *
cohort_leaderboard_get_you (CohortLeaderboard *self)
{
  g_return_val_if_fail (COHORT_IS_LEADERBOARD (self), NULL);
  return self->you;
}

gboolean
cohort_leaderboard_get_you_listed (CohortLeaderboard *self)
{
  g_return_val_if_fail (COHORT_IS_LEADERBOARD (self), FALSE);
  return self->you_listed;
}

gboolean
cohort_leaderboard_get_loading (CohortLeaderboard *self)
{
  g_return_val_if_fail (COHORT_IS_LEADERBOARD (self), FALSE);
  return self->loading;
}

static void
cohort_leaderboard_constructed (GObject *object)
{
  CohortLeaderboard *self = COHORT_LEADERBOARD (object);

  G_OBJECT_CLASS (cohort_leaderboard_parent_class)->constructed (object);

  if (self->groups == NULL)
    return;
  g_signal_connect_object (self->groups, "board-changed", G_CALLBACK (schedule_refresh), self, G_CONNECT_SWAPPED);
  cohort_leaderboard_refresh (self);
}

static void
cohort_leaderboard_dispose (GObject *object)
{
  CohortLeaderboard *self = COHORT_LEADERBOARD (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  g_clear_object (&self->groups);
  g_clear_object (&self->you);
  G_OBJECT_CLASS (cohort_leaderboard_parent_class)->dispose (object);
}

static void
cohort_leaderboard_finalize (GObject *object)
{
  CohortLeaderboard *self = COHORT_LEADERBOARD (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->rows);
  g_free (self->scope);
  g_free (self->period);
  g_free (self->mode);
  G_OBJECT_CLASS (cohort_leaderboard_parent_class)->finalize (object);
}

static void
cohort_leaderboard_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CohortLeaderboard *self = COHORT_LEADERBOARD (object);

  switch (prop_id)
    {
    case PROP_GROUPS:
      g_value_set_object (value, self->groups);
      break;
    case PROP_SCOPE:
      g_value_set_string (value, self->scope);
      break;
    case PROP_PERIOD:
      g_value_set_string (value, self->period);
      break;
    case PROP_MODE:
      g_value_set_string (value, cohort_leaderboard_get_mode (self));
      break;
    case PROP_HIDDEN:
      g_value_set_boolean (value, self->hidden);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    case PROP_YOU:
      g_value_set_object (value, self->you);
      break;
    case PROP_YOU_LISTED:
      g_value_set_boolean (value, self->you_listed);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_leaderboard_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CohortLeaderboard *self = COHORT_LEADERBOARD (object);

  switch (prop_id)
    {
    case PROP_GROUPS:
      self->groups = g_value_dup_object (value);
      break;
    case PROP_SCOPE:
      cohort_leaderboard_set_scope (self, g_value_get_string (value));
      break;
    case PROP_PERIOD:
      cohort_leaderboard_set_period (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_leaderboard_class_init (CohortLeaderboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = cohort_leaderboard_constructed;
  object_class->dispose = cohort_leaderboard_dispose;
  object_class->finalize = cohort_leaderboard_finalize;
  object_class->get_property = cohort_leaderboard_get_property;
  object_class->set_property = cohort_leaderboard_set_property;

  properties[PROP_GROUPS] =
    g_param_spec_object ("groups", NULL, NULL, COHORT_TYPE_GROUPS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCOPE] =
    g_param_spec_string ("scope", NULL, NULL, "individual",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PERIOD] =
    g_param_spec_string ("period", NULL, NULL, "week",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODE] = g_param_spec_string ("mode", NULL, NULL, NULL, flags);
  properties[PROP_HIDDEN] = g_param_spec_boolean ("hidden", NULL, NULL, FALSE, flags);
  properties[PROP_TOTAL] = g_param_spec_int64 ("total", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_YOU] = g_param_spec_object ("you", NULL, NULL, COHORT_TYPE_BOARD_ROW, flags);
  properties[PROP_YOU_LISTED] = g_param_spec_boolean ("you-listed", NULL, NULL, FALSE, flags);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cohort_leaderboard_init (CohortLeaderboard *self)
{
  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->scope = g_strdup ("individual");
  self->period = g_strdup ("week");
  self->mode = g_strdup (COHORT_GROUPS_BOARD_ALL);
}

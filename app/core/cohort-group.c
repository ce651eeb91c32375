/* cohort-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-group"

#include "config.h"

#include "cohort-groups-private.h"
#include "cohort-notify-private.h"

struct _CohortGroup
{
  GObject     parent_instance;

  gint64      id;
  char       *name;
  gint64      size;
  char       *topic;
  gint64      goal_points;
  gint64      points_week;
  gint64      points_all;
  gint64      streak;
  gboolean    is_mine;
  GListStore *members;
};

G_DEFINE_FINAL_TYPE (CohortGroup, cohort_group, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_SIZE,
  PROP_TOPIC,
  PROP_GOAL_POINTS,
  PROP_N_MEMBERS,
  PROP_POINTS_WEEK,
  PROP_POINTS_ALL,
  PROP_STREAK,
  PROP_IS_MINE,
  PROP_GOAL_FRACTION,
  PROP_MEMBERS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

CohortGroup *
_cohort_group_new (JsonObject *group)
{
  CohortGroup *self = g_object_new (COHORT_TYPE_GROUP, NULL);

  self->id = json_object_get_int_member_with_default (group, "id", 0);
  _cohort_group_update (self, group);
  return self;
}

void
_cohort_group_update (CohortGroup *self,
                      JsonObject  *group)
{
  g_return_if_fail (COHORT_IS_GROUP (self));

  g_object_freeze_notify (G_OBJECT (self));
  _cohort_set_text (self, &self->name, json_object_get_string_member_with_default (group, "name", ""),
                    properties[PROP_NAME]);
  _cohort_set_int64 (self, &self->size, json_object_get_int_member_with_default (group, "size", 0),
                     properties[PROP_SIZE]);
  _cohort_set_text (self, &self->topic, json_object_get_string_member_with_default (group, "topic", ""),
                    properties[PROP_TOPIC]);
  if (_cohort_set_int64 (self, &self->goal_points, json_object_get_int_member_with_default (group, "goal_points", 0),
                         properties[PROP_GOAL_POINTS]))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GOAL_FRACTION]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_cohort_group_set_standing (CohortGroup *self,
                            JsonObject  *standing)
{
  g_return_if_fail (COHORT_IS_GROUP (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (_cohort_set_int64 (self, &self->points_week, json_object_get_int_member_with_default (standing, "points_week", 0),
                         properties[PROP_POINTS_WEEK]))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GOAL_FRACTION]);
  _cohort_set_int64 (self, &self->points_all, json_object_get_int_member_with_default (standing, "points_all", 0),
                     properties[PROP_POINTS_ALL]);
  _cohort_set_int64 (self, &self->streak, json_object_get_int_member_with_default (standing, "streak", 0),
                     properties[PROP_STREAK]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
_cohort_group_set_is_mine (CohortGroup *self,
                           gboolean     is_mine)
{
  g_return_if_fail (COHORT_IS_GROUP (self));

  if (self->is_mine == !!is_mine)
    return;
  self->is_mine = !!is_mine;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_MINE]);
}

static int
compare_members (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  CohortGroupMember *ma = (CohortGroupMember *) a;
  CohortGroupMember *mb = (CohortGroupMember *) b;
  int cmp = g_utf8_collate (cohort_group_member_get_name (ma), cohort_group_member_get_name (mb));

  if (cmp != 0)
    return cmp;
  return (cohort_group_member_get_participant_id (ma) > cohort_group_member_get_participant_id (mb)) -
         (cohort_group_member_get_participant_id (ma) < cohort_group_member_get_participant_id (mb));
}

void
_cohort_group_add_member (CohortGroup       *self,
                          CohortGroupMember *member)
{
  guint position;

  g_return_if_fail (COHORT_IS_GROUP (self));

  if (g_list_store_find (self->members, member, &position))
    return;
  g_list_store_insert_sorted (self->members, member, compare_members, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MEMBERS]);
}

void
_cohort_group_remove_member (CohortGroup       *self,
                             CohortGroupMember *member)
{
  guint position;

  g_return_if_fail (COHORT_IS_GROUP (self));

  if (!g_list_store_find (self->members, member, &position))
    return;
  g_list_store_remove (self->members, position);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MEMBERS]);
}

void
_cohort_group_clear_members (CohortGroup *self)
{
  g_return_if_fail (COHORT_IS_GROUP (self));

  if (g_list_model_get_n_items (G_LIST_MODEL (self->members)) == 0)
    return;
  g_list_store_remove_all (self->members);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MEMBERS]);
}

gint64
cohort_group_get_id (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), 0);
  return self->id;
}

const char *
cohort_group_get_name (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), NULL);
  return self->name ? self->name : "";
}

gint64
cohort_group_get_size (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), 0);
  return self->size;
}

const char *
cohort_group_get_topic (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), NULL);
  return self->topic ? self->topic : "";
}

gint64
cohort_group_get_goal_points (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), 0);
  return self->goal_points;
}

guint
cohort_group_get_n_members (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->members));
}

gint64
cohort_group_get_points_week (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), 0);
  return self->points_week;
}

gint64
cohort_group_get_points_all (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), 0);
  return self->points_all;
}

gint64
cohort_group_get_streak (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), 0);
  return self->streak;
}

gboolean
cohort_group_get_is_mine (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), FALSE);
  return self->is_mine;
}

double
cohort_group_get_goal_fraction (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), 0.0);
  if (self->goal_points <= 0)
    return 0.0;
  return CLAMP ((double) self->points_week / (double) self->goal_points, 0.0, 1.0);
}

gboolean
cohort_group_get_is_full (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), FALSE);
  return cohort_group_get_n_members (self) >= self->size;
}

GListModel *
cohort_group_get_members (CohortGroup *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP (self), NULL);
  return G_LIST_MODEL (self->members);
}

static void
cohort_group_finalize (GObject *object)
{
  CohortGroup *self = COHORT_GROUP (object);

  g_free (self->name);
  g_free (self->topic);
  g_object_unref (self->members);
  G_OBJECT_CLASS (cohort_group_parent_class)->finalize (object);
}

static void
cohort_group_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CohortGroup *self = COHORT_GROUP (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, cohort_group_get_name (self));
      break;
    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;
    case PROP_TOPIC:
      g_value_set_string (value, cohort_group_get_topic (self));
      break;
    case PROP_GOAL_POINTS:
      g_value_set_int64 (value, self->goal_points);
      break;
    case PROP_N_MEMBERS:
      g_value_set_uint (value, cohort_group_get_n_members (self));
      break;
    case PROP_POINTS_WEEK:
      g_value_set_int64 (value, self->points_week);
      break;
    case PROP_POINTS_ALL:
      g_value_set_int64 (value, self->points_all);
      break;
    case PROP_STREAK:
      g_value_set_int64 (value, self->streak);
      break;
    case PROP_IS_MINE:
      g_value_set_boolean (value, self->is_mine);
      break;
    case PROP_GOAL_FRACTION:
      g_value_set_double (value, cohort_group_get_goal_fraction (self));
      break;
    case PROP_MEMBERS:
      g_value_set_object (value, self->members);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_group_class_init (CohortGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_group_finalize;
  object_class->get_property = cohort_group_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_SIZE] = g_param_spec_int64 ("size", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TOPIC] = g_param_spec_string ("topic", NULL, NULL, NULL, flags);
  properties[PROP_GOAL_POINTS] = g_param_spec_int64 ("goal-points", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_N_MEMBERS] = g_param_spec_uint ("n-members", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_POINTS_WEEK] = g_param_spec_int64 ("points-week", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_POINTS_ALL] = g_param_spec_int64 ("points-all", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STREAK] = g_param_spec_int64 ("streak", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_IS_MINE] = g_param_spec_boolean ("is-mine", NULL, NULL, FALSE, flags);
  properties[PROP_GOAL_FRACTION] = g_param_spec_double ("goal-fraction", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_MEMBERS] = g_param_spec_object ("members", NULL, NULL, G_TYPE_LIST_MODEL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_group_init (CohortGroup *self)
{
  self->members = g_list_store_new (COHORT_TYPE_GROUP_MEMBER);
}

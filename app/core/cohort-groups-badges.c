/* cohort-groups-badges.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-badges"

#include "config.h"

#include "cohort-array-model-private.h"
#include "cohort-groups-private.h"

struct _CohortBadges
{
  GObject    parent_instance;

  GPtrArray *items;       /* CohortBadge, newest first */
  gint64     viewer_id;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortBadges, cohort_badges, G_TYPE_OBJECT,
                               _cohort_array_model_implement (g_define_type_id, COHORT_TYPE_BADGE,
                                                              G_STRUCT_OFFSET (CohortBadges, items)))

enum {
  EARNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

CohortBadges *
_cohort_badges_new (void)
{
  return g_object_new (COHORT_TYPE_BADGES, NULL);
}

static CohortBadge *
badge_from_json (JsonObject *o,
                 const char *name)
{
  const char *kind = json_object_get_string_member_with_default (o, "badge", NULL);

  if (kind == NULL || *kind == '\0')
    return NULL;
  return cohort_badge_new (kind,
                           json_object_get_int_member_with_default (o, "participant_id", 0),
                           name,
                           json_object_get_string_member_with_default (o, "detail", ""),
                           json_object_get_int_member_with_default (o, "earned_at", 0));
}

static gboolean
contains (CohortBadges *self,
          CohortBadge  *badge)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      CohortBadge *b = g_ptr_array_index (self->items, i);

      if (cohort_badge_get_participant_id (b) == cohort_badge_get_participant_id (badge) &&
          g_str_equal (cohort_badge_get_kind (b), cohort_badge_get_kind (badge)) &&
          g_str_equal (cohort_badge_get_detail (b), cohort_badge_get_detail (badge)))
        return TRUE;
    }
  return FALSE;
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  gint64 ta = cohort_badge_get_earned_at (*(CohortBadge **) a);
  gint64 tb = cohort_badge_get_earned_at (*(CohortBadge **) b);

  return (tb > ta) - (tb < ta);
}

void
_cohort_badges_reset (CohortBadges *self,
                      JsonArray    *badges,
                      gint64        viewer_id,
                      GHashTable   *names)
{
  guint old_len;

  g_return_if_fail (COHORT_IS_BADGES (self));

  old_len = self->items->len;
  self->viewer_id = viewer_id;
  g_ptr_array_set_size (self->items, 0);
  for (guint i = 0; badges != NULL && i < json_array_get_length (badges); i++)
    {
      JsonNode *node = json_array_get_element (badges, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 pid = o ? json_object_get_int_member_with_default (o, "participant_id", 0) : 0;
      CohortBadge *badge = o ? badge_from_json (o, names ? g_hash_table_lookup (names, &pid) : NULL) : NULL;

      if (badge == NULL)
        continue;
      if (contains (self, badge))
        g_object_unref (badge);
      else
        g_ptr_array_add (self->items, badge);
    }
  g_ptr_array_sort (self->items, compare_newest_first);
  if (old_len != 0 || self->items->len != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->items->len);
}

void
_cohort_badges_add (CohortBadges *self,
                    JsonObject   *o,
                    const char   *name)
{
  g_autoptr(CohortBadge) badge = NULL;

  g_return_if_fail (COHORT_IS_BADGES (self));

  badge = badge_from_json (o, name);
  if (badge == NULL || contains (self, badge))
    return;
  g_ptr_array_insert (self->items, 0, g_object_ref (badge));
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);
  g_signal_emit (self, signals[EARNED], 0, badge);
}

CohortBadge *
cohort_badges_lookup_own (CohortBadges *self,
                          const char   *kind)
{
  g_return_val_if_fail (COHORT_IS_BADGES (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      CohortBadge *b = g_ptr_array_index (self->items, i);

      if (cohort_badge_get_participant_id (b) == self->viewer_id &&
          g_strcmp0 (cohort_badge_get_kind (b), kind) == 0)
        return b;
    }
  return NULL;
}

static void
cohort_badges_finalize (GObject *object)
{
  CohortBadges *self = COHORT_BADGES (object);

  g_ptr_array_unref (self->items);
  G_OBJECT_CLASS (cohort_badges_parent_class)->finalize (object);
}

static void
cohort_badges_class_init (CohortBadgesClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_badges_finalize;

  /**
   * CohortBadges::earned:
   * @badge: the CohortBadge just earned
   *
   * Emitted when a badge arrives live.
   */
  signals[EARNED] =
    g_signal_new ("earned",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, COHORT_TYPE_BADGE);
}

static void
cohort_badges_init (CohortBadges *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

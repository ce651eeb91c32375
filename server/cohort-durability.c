/* cohort-durability.c: frames held until what they tell is durable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-durability"

#include "config.h"

#include "cohort-connection.h"
#include "cohort-durability.h"

struct _CohortDurability
{
  GObject     parent_instance;

  guint64     issued;
  guint64     acked;
  /* CohortConnection (a reference each) holding frames */
  GHashTable *holding;
};

G_DEFINE_FINAL_TYPE (CohortDurability, cohort_durability, G_TYPE_OBJECT)

static void
cohort_durability_finalize (GObject *object)
{
  CohortDurability *self = COHORT_DURABILITY (object);

  g_hash_table_unref (self->holding);

  G_OBJECT_CLASS (cohort_durability_parent_class)->finalize (object);
}

static void
cohort_durability_class_init (CohortDurabilityClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_durability_finalize;
}

static void
cohort_durability_init (CohortDurability *self)
{
  self->holding = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

CohortDurability *
cohort_durability_new (void)
{
  return g_object_new (COHORT_TYPE_DURABILITY, NULL);
}

guint64
cohort_durability_issue (CohortDurability *self)
{
  g_return_val_if_fail (COHORT_IS_DURABILITY (self), 0);

  return ++self->issued;
}

guint64
cohort_durability_get_pending (CohortDurability *self)
{
  g_return_val_if_fail (COHORT_IS_DURABILITY (self), 0);

  return self->issued > self->acked ? self->issued : 0;
}

void
cohort_durability_track (CohortDurability *self,
                         CohortConnection *conn)
{
  g_return_if_fail (COHORT_IS_DURABILITY (self));

  if (!g_hash_table_contains (self->holding, conn))
    g_hash_table_add (self->holding, g_object_ref (conn));
}

void
cohort_durability_ack (CohortDurability *self,
                       guint64           ticket)
{
  GHashTableIter iter;
  gpointer conn;

  g_return_if_fail (COHORT_IS_DURABILITY (self));

  self->acked = MAX (self->acked, ticket);
  g_hash_table_iter_init (&iter, self->holding);
  while (g_hash_table_iter_next (&iter, &conn, NULL))
    if (!_cohort_connection_release (conn, self->acked))
      g_hash_table_iter_remove (&iter);
}

void
cohort_durability_fail (CohortDurability *self,
                        guint64           ticket)
{
  g_autoptr(GHashTable) holding = NULL;
  GHashTableIter iter;
  gpointer conn;

  g_return_if_fail (COHORT_IS_DURABILITY (self));

  self->acked = MAX (self->acked, ticket);
  /* Closing may run handlers that send again: work on a detached set. */
  holding = g_steal_pointer (&self->holding);
  self->holding = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  g_hash_table_iter_init (&iter, holding);
  while (g_hash_table_iter_next (&iter, &conn, NULL))
    _cohort_connection_drop_held (conn);
}

/* cohort-roster-hand-queue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-hand-queue"

#include "config.h"

#include "cohort-array-model-private.h"
#include "cohort-roster-hand-queue.h"

struct _CohortHandQueue
{
  GObject    parent_instance;

  /* CohortParticipant* → notify handler id, for everyone followed. */
  GHashTable *watched;
  /* The raised hands, sorted. */
  GPtrArray  *items;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortHandQueue, cohort_hand_queue, G_TYPE_OBJECT,
                               _cohort_array_model_implement (g_define_type_id, COHORT_TYPE_PARTICIPANT,
                                                              G_STRUCT_OFFSET (CohortHandQueue, items)))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
compare_hands (CohortParticipant *a,
               CohortParticipant *b)
{
  gint64 ra = cohort_participant_get_hand_raised_at (a);
  gint64 rb = cohort_participant_get_hand_raised_at (b);
  gint64 ia, ib;

  if (ra != rb)
    return ra < rb ? -1 : 1;

  ia = cohort_participant_get_id (a);
  ib = cohort_participant_get_id (b);
  return ia < ib ? -1 : ia > ib;
}

/* Where @participant belongs, ignoring its current slot if it has one. */
static guint
find_insert_position (CohortHandQueue   *self,
                      CohortParticipant *participant)
{
  guint lo = 0;
  guint hi = self->items->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_hands (g_ptr_array_index (self->items, mid), participant) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static void
items_changed (CohortHandQueue *self,
               guint            position,
               guint            removed,
               guint            added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
cohort_hand_queue_remove (CohortHandQueue   *self,
                          CohortParticipant *participant)
{
  guint position;

  if (!g_ptr_array_find (self->items, participant, &position))
    return;

  g_ptr_array_remove_index (self->items, position);
  items_changed (self, position, 1, 0);
}

static void
cohort_hand_queue_update (CohortHandQueue   *self,
                          CohortParticipant *participant)
{
  guint old_position;
  guint position;
  gboolean listed;

  listed = g_ptr_array_find (self->items, participant, &old_position);

  if (!cohort_participant_get_hand_raised (participant))
    {
      cohort_hand_queue_remove (self, participant);
      return;
    }

  if (listed)
    {
      g_ptr_array_remove_index (self->items, old_position);
      position = find_insert_position (self, participant);
      g_ptr_array_insert (self->items, position, g_object_ref (participant));

      /* Same slot: the row's own properties already say what changed. */
      if (position != old_position)
        {
          items_changed (self, old_position, 1, 0);
          items_changed (self, position, 0, 1);
        }
      return;
    }

  position = find_insert_position (self, participant);
  g_ptr_array_insert (self->items, position, g_object_ref (participant));
  items_changed (self, position, 0, 1);
}

static void
on_hand_raised_at_changed (CohortParticipant *participant,
                           GParamSpec        *pspec,
                           CohortHandQueue   *self)
{
  cohort_hand_queue_update (self, participant);
}

static GHashTable *
watched_new (void)
{
  return g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
}

/* The table is swapped for an empty one before the handlers go: what a
 * disconnection sets off (the last reference to a participant, a roster
 * update) may watch or unwatch again, and must not meet a table that is
 * being walked. */
static void
unwatch_all (CohortHandQueue *self)
{
  g_autoptr(GHashTable) watched = g_steal_pointer (&self->watched);
  GHashTableIter iter;
  gpointer participant, handler;

  self->watched = watched_new ();
  if (watched == NULL)
    return;
  g_hash_table_iter_init (&iter, watched);
  while (g_hash_table_iter_next (&iter, &participant, &handler))
    g_signal_handler_disconnect (participant, GPOINTER_TO_SIZE (handler));
}

static void
cohort_hand_queue_dispose (GObject *object)
{
  CohortHandQueue *self = (CohortHandQueue *)object;

  if (self->watched != NULL)
    unwatch_all (self);
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (cohort_hand_queue_parent_class)->dispose (object);
}

static void
cohort_hand_queue_finalize (GObject *object)
{
  CohortHandQueue *self = (CohortHandQueue *)object;

  g_clear_pointer (&self->watched, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (cohort_hand_queue_parent_class)->finalize (object);
}

static void
cohort_hand_queue_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortHandQueue *self = COHORT_HAND_QUEUE (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_hand_queue_class_init (CohortHandQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_hand_queue_dispose;
  object_class->finalize = cohort_hand_queue_finalize;
  object_class->get_property = cohort_hand_queue_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_hand_queue_init (CohortHandQueue *self)
{
  self->watched = watched_new ();
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

CohortHandQueue *
cohort_hand_queue_new (void)
{
  return g_object_new (COHORT_TYPE_HAND_QUEUE, NULL);
}

void
cohort_hand_queue_watch (CohortHandQueue   *self,
                         CohortParticipant *participant)
{
  gulong handler;

  g_return_if_fail (COHORT_IS_HAND_QUEUE (self));
  g_return_if_fail (COHORT_IS_PARTICIPANT (participant));

  if (g_hash_table_contains (self->watched, participant))
    return;

  handler = g_signal_connect_object (participant, "notify::hand-raised-at",
                                     G_CALLBACK (on_hand_raised_at_changed),
                                     self, 0);
  g_hash_table_insert (self->watched, g_object_ref (participant), GSIZE_TO_POINTER (handler));
  cohort_hand_queue_update (self, participant);
}

void
cohort_hand_queue_unwatch (CohortHandQueue   *self,
                           CohortParticipant *participant)
{
  gpointer handler;

  g_return_if_fail (COHORT_IS_HAND_QUEUE (self));
  g_return_if_fail (COHORT_IS_PARTICIPANT (participant));

  if (!g_hash_table_lookup_extended (self->watched, participant, NULL, &handler))
    return;

  g_signal_handler_disconnect (participant, GPOINTER_TO_SIZE (handler));
  cohort_hand_queue_remove (self, participant);
  g_hash_table_remove (self->watched, participant);
}

void
cohort_hand_queue_clear (CohortHandQueue *self)
{
  guint n_items;

  g_return_if_fail (COHORT_IS_HAND_QUEUE (self));

  unwatch_all (self);

  n_items = self->items->len;
  if (n_items == 0)
    return;

  g_ptr_array_set_size (self->items, 0);
  items_changed (self, 0, n_items, 0);
}

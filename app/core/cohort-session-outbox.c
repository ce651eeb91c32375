/* cohort-session-outbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-outbox"

#include "config.h"

#include "cohort-session-outbox.h"

struct _CohortOutbox
{
  /* CohortOutboxEntry*, in push order; a class has few requests in flight,
   * so a linear lookup by id is cheaper than keeping an index in sync. */
  GPtrArray *entries;
};

static void
cohort_outbox_entry_free (gpointer data)
{
  CohortOutboxEntry *entry = data;

  g_free (entry->id);
  g_free (entry->type);
  g_clear_pointer (&entry->body, json_object_unref);
  g_clear_object (&entry->task);
  g_free (entry);
}

CohortOutbox *
cohort_outbox_new (void)
{
  CohortOutbox *self = g_new0 (CohortOutbox, 1);

  self->entries = g_ptr_array_new_with_free_func (cohort_outbox_entry_free);

  return self;
}

void
cohort_outbox_free (CohortOutbox *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->entries);
  g_free (self);
}

static guint
cohort_outbox_find (CohortOutbox *self,
                    const char   *id)
{
  if (id == NULL)
    return G_MAXUINT;

  for (guint i = 0; i < self->entries->len; i++)
    {
      CohortOutboxEntry *entry = g_ptr_array_index (self->entries, i);

      if (g_strcmp0 (entry->id, id) == 0)
        return i;
    }

  return G_MAXUINT;
}

const CohortOutboxEntry *
cohort_outbox_push (CohortOutbox *self,
                    const char   *id,
                    const char   *type,
                    JsonObject   *body,
                    GTask        *task)
{
  CohortOutboxEntry *entry;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (type != NULL, NULL);
  g_return_val_if_fail (task == NULL || G_IS_TASK (task), NULL);
  g_return_val_if_fail (cohort_outbox_find (self, id) == G_MAXUINT, NULL);

  entry = g_new0 (CohortOutboxEntry, 1);
  entry->id = g_strdup (id);
  entry->type = g_strdup (type);
  entry->body = body != NULL ? json_object_ref (body) : json_object_new ();
  entry->task = task != NULL ? g_object_ref (task) : NULL;
  entry->queued_at = g_get_real_time ();
  g_ptr_array_add (self->entries, entry);

  return entry;
}

guint
cohort_outbox_get_n_items (CohortOutbox *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->entries->len;
}

const CohortOutboxEntry *
cohort_outbox_get_nth (CohortOutbox *self,
                       guint         position)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (position >= self->entries->len)
    return NULL;

  return g_ptr_array_index (self->entries, position);
}

const CohortOutboxEntry *
cohort_outbox_lookup (CohortOutbox *self,
                      const char   *id)
{
  guint pos;

  g_return_val_if_fail (self != NULL, NULL);

  pos = cohort_outbox_find (self, id);
  return pos == G_MAXUINT ? NULL : g_ptr_array_index (self->entries, pos);
}

gboolean
cohort_outbox_mark_sent (CohortOutbox *self,
                         const char   *id)
{
  guint pos;

  g_return_val_if_fail (self != NULL, FALSE);

  pos = cohort_outbox_find (self, id);
  if (pos == G_MAXUINT)
    return FALSE;

  ((CohortOutboxEntry *) g_ptr_array_index (self->entries, pos))->sent = TRUE;
  ((CohortOutboxEntry *) g_ptr_array_index (self->entries, pos))->ever_sent = TRUE;
  return TRUE;
}

void
cohort_outbox_mark_all_unsent (CohortOutbox *self)
{
  g_return_if_fail (self != NULL);

  for (guint i = 0; i < self->entries->len; i++)
    ((CohortOutboxEntry *) g_ptr_array_index (self->entries, i))->sent = FALSE;
}

guint
cohort_outbox_get_n_unsent (CohortOutbox *self)
{
  guint n = 0;

  g_return_val_if_fail (self != NULL, 0);

  for (guint i = 0; i < self->entries->len; i++)
    if (!((CohortOutboxEntry *) g_ptr_array_index (self->entries, i))->sent)
      n++;

  return n;
}

static void
cohort_outbox_entry_return (CohortOutboxEntry *entry,
                            JsonObject        *ok_body,
                            const GError      *error)
{
  if (entry->task == NULL)
    return;

  if (error != NULL)
    g_task_return_error (entry->task, g_error_copy (error));
  else
    g_task_return_pointer (entry->task,
                           ok_body != NULL ? json_object_ref (ok_body) : json_object_new (),
                           (GDestroyNotify) json_object_unref);
}

guint
cohort_outbox_expire (CohortOutbox *self,
                      gint64        unsent_before_us,
                      gint64        sent_before_us,
                      const GError *error)
{
  g_autoptr(GPtrArray) expired = g_ptr_array_new_with_free_func (cohort_outbox_entry_free);

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (error != NULL, 0);

  /* Out of the queue first: returning a task may run a callback that pushes. */
  for (guint i = 0; i < self->entries->len;)
    {
      CohortOutboxEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->queued_at < (entry->ever_sent ? sent_before_us : unsent_before_us))
        g_ptr_array_add (expired, g_ptr_array_steal_index (self->entries, i));
      else
        i++;
    }

  for (guint i = 0; i < expired->len; i++)
    cohort_outbox_entry_return (g_ptr_array_index (expired, i), NULL, error);

  return expired->len;
}

gboolean
cohort_outbox_complete (CohortOutbox *self,
                        const char   *re,
                        JsonObject   *ok_body,
                        const GError *error)
{
  CohortOutboxEntry *entry;
  guint pos;

  g_return_val_if_fail (self != NULL, FALSE);

  pos = cohort_outbox_find (self, re);
  if (pos == G_MAXUINT)
    return FALSE;

  /* Take it out first: returning the task may run a callback that pushes. */
  entry = g_ptr_array_steal_index (self->entries, pos);
  cohort_outbox_entry_return (entry, ok_body, error);
  cohort_outbox_entry_free (entry);

  return TRUE;
}

void
cohort_outbox_cancel_all (CohortOutbox *self,
                          const GError *error)
{
  g_autoptr(GPtrArray) entries = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (error != NULL);

  entries = g_steal_pointer (&self->entries);
  self->entries = g_ptr_array_new_with_free_func (cohort_outbox_entry_free);

  for (guint i = 0; i < entries->len; i++)
    cohort_outbox_entry_return (g_ptr_array_index (entries, i), NULL, error);
}

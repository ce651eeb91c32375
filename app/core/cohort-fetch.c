/* cohort-fetch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-fetch-private.h"
#include "cohort-notify-private.h"
#include "cohort-session-private.h"

static void
on_event (CohortSession *session,
          const char    *event,
          JsonObject    *body,
          gint64         seq,
          CohortFetch   *fetch)
{
  if (g_strv_contains (fetch->klass->events, event))
    fetch->klass->refresh (fetch->owner);
}

void
_cohort_fetch_init (CohortFetch            *fetch,
                    const CohortFetchClass *klass,
                    gpointer                owner,
                    CohortSession          *session,
                    GParamSpec             *loading_pspec)
{
  fetch->klass = klass;
  fetch->owner = owner;
  fetch->session = session;
  fetch->cancellable = g_cancellable_new ();
  fetch->loading_pspec = loading_pspec;
  g_object_add_weak_pointer (G_OBJECT (session), (gpointer *) &fetch->session);
  fetch->event_handler = g_signal_connect (session, "event-received", G_CALLBACK (on_event), fetch);
}

void
_cohort_fetch_dispose (CohortFetch *fetch)
{
  if (fetch->cancellable != NULL)
    g_cancellable_cancel (fetch->cancellable);
  g_clear_object (&fetch->cancellable);
  if (fetch->session != NULL)
    {
      g_clear_signal_handler (&fetch->event_handler, fetch->session);
      g_object_remove_weak_pointer (G_OBJECT (fetch->session), (gpointer *) &fetch->session);
      fetch->session = NULL;
    }
}

static void
fetch_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CohortFetch *fetch = user_data;
  g_autoptr(GObject) owner = fetch->owner;  /* the reference _cohort_fetch_start took */
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = cohort_session_request_finish (COHORT_SESSION (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  fetch->klass->apply (owner, body, error);
  _cohort_set_boolean (owner, &fetch->loading, FALSE, fetch->loading_pspec);

  /* Changes that came meanwhile: one more request covers them all. */
  if (fetch->again)
    {
      fetch->again = FALSE;
      fetch->klass->refresh (owner);
    }
}

void
_cohort_fetch_start (CohortFetch *fetch,
                     const char  *type,
                     JsonObject  *body)
{
  if (fetch->session == NULL)
    return;
  if (fetch->loading)
    {
      fetch->again = TRUE;
      return;
    }
  _cohort_set_boolean (fetch->owner, &fetch->loading, TRUE, fetch->loading_pspec);
  g_object_ref (fetch->owner);
  cohort_session_request_async (fetch->session, type, body, fetch->cancellable, fetch_cb, fetch);
}

GTask *
_cohort_fetch_new_task (CohortFetch         *fetch,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data,
                        gpointer             source_tag)
{
  return _cohort_session_new_task (fetch->session, fetch->owner, cancellable, callback, user_data,
                                   source_tag);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortFetch *fetch = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = cohort_session_request_finish (COHORT_SESSION (object), result, &error);

  if (body == NULL)
    {
      if (fetch->klass->write_failed != NULL)
        fetch->klass->write_failed (fetch->owner, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fetch->klass->refresh (fetch->owner);
  g_task_return_boolean (task, TRUE);
}

void
_cohort_fetch_write_async (CohortFetch         *fetch,
                           const char          *type,
                           JsonObject          *body,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data,
                           gpointer             source_tag)
{
  GTask *task = _cohort_fetch_new_task (fetch, cancellable, callback, user_data, source_tag);

  if (task == NULL)
    return;
  /* The task holds the owner, which embeds @fetch. */
  g_task_set_task_data (task, fetch, NULL);
  cohort_session_request_async (fetch->session, type, body, cancellable, write_cb, task);
}

gboolean
_cohort_fetch_finish (gpointer       owner,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, owner), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

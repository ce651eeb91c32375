/* cohort-fetch-private.h: a model's reply-backed state, fetched one request at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-session.h"

G_BEGIN_DECLS

/* What a model tells its CohortFetch. @apply gets every reply that was
 * not cancelled: a body, or NULL and the error. @refresh is the model's
 * public refresh, run again when a change came while a reply was on its
 * way. @write_failed (may be NULL) sees the error of a failed write. */
typedef struct
{
  const char * const *events;     /* NULL-terminated: events that call @refresh */
  void              (*apply)        (gpointer      owner,
                                     JsonObject   *body,
                                     const GError *error);
  void              (*refresh)      (gpointer      owner);
  void              (*write_failed) (gpointer      owner,
                                     const GError *error);
} CohortFetchClass;

/* Embedded in a model. One request is on its way at most: a refresh
 * asked meanwhile is coalesced into one more after the reply. */
typedef struct
{
  const CohortFetchClass *klass;
  GObject                *owner;        /* the model embedding this */
  CohortSession          *session;      /* weak */
  GCancellable           *cancellable;
  GParamSpec             *loading_pspec;
  gulong                  event_handler;
  gboolean                loading;
  gboolean                again;        /* a refresh was asked while loading */
} CohortFetch;

/* Ties @fetch to @session (weakly) and refreshes @owner on the class's
 * events. @loading_pspec is @owner's boolean "loading" property. */
void      _cohort_fetch_init        (CohortFetch            *fetch,
                                     const CohortFetchClass *klass,
                                     gpointer                owner,
                                     CohortSession          *session,
                                     GParamSpec             *loading_pspec);
/* For the owner's dispose: cancels what is on its way and lets go of the
 * session, so later calls see a closed class. */
void      _cohort_fetch_dispose     (CohortFetch            *fetch);
/* Sends @type with @body (may be NULL) unless a reply is awaited already. */
void      _cohort_fetch_start       (CohortFetch            *fetch,
                                     const char             *type,
                                     JsonObject             *body);
/* A task on the owner for an _async method; NULL, with the task already
 * returned as G_IO_ERROR_CLOSED, when the class was closed. */
GTask    *_cohort_fetch_new_task    (CohortFetch            *fetch,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data,
                                     gpointer                source_tag);
/* Sends @type with @body; its ok reply refreshes the owner and returns
 * TRUE to @callback (see _cohort_fetch_finish). */
void      _cohort_fetch_write_async (CohortFetch            *fetch,
                                     const char             *type,
                                     JsonObject             *body,
                                     GCancellable           *cancellable,
                                     GAsyncReadyCallback     callback,
                                     gpointer                user_data,
                                     gpointer                source_tag);
/* The boolean result of a task from _cohort_fetch_new_task. */
gboolean  _cohort_fetch_finish      (gpointer                owner,
                                     GAsyncResult           *result,
                                     GError                **error);

G_END_DECLS

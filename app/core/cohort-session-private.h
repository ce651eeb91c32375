/* cohort-session-private.h: shared by the session's source files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-protocol.h"
#include "cohort-session.h"

G_BEGIN_DECLS

/* ws://host:port/ws from what the user typed; NULL and @error if it is
 * not a server address. */
char   *_cohort_session_normalize_url (const char     *raw,
                                       GError        **error);
/* The COHORT_SESSION_ERROR for an error reply about staff (no staff on
 * the server, credential refused), or NULL when it is about something else. */
GError *_cohort_session_staff_error   (CohortMessage  *reply);
/* Sends a request on behalf of a model's own @task (taken): the reply's
 * body completes it as a JsonObject pointer, or the error does. Models
 * whose _finish reads the body call this instead of each writing the
 * same completion callback. */
void    _cohort_session_request_for_task (CohortSession *self,
                                          const char    *type,
                                          JsonObject    *body,
                                          GCancellable  *cancellable,
                                          GTask         *task);
/* A new task of @source_object's (tagged @source_tag) for a request on
 * @self; NULL when @self is NULL (the model outlived its session), the
 * task then failed at once with G_IO_ERROR_CLOSED. */
GTask  *_cohort_session_new_task           (CohortSession       *self,
                                            gpointer             source_object,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data,
                                            gpointer             source_tag);
/* The same with a new task of @source_object's (tagged @source_tag);
 * @self NULL (the model outlived its session) fails it at once with
 * G_IO_ERROR_CLOSED. */
void    _cohort_session_request_for_object (CohortSession       *self,
                                            gpointer             source_object,
                                            const char          *type,
                                            JsonObject          *body,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data,
                                            gpointer             source_tag);

/* lesson: the session's CohortLesson, following @session's welcome and
 * events without holding it. */
CohortLesson *_cohort_lesson_new              (CohortSession *session);
/* schedule: the session's CohortSchedule, the same way. */
CohortSchedule *_cohort_schedule_new          (CohortSession *session);

G_END_DECLS

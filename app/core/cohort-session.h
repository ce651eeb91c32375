/* cohort-session.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cohort-class-summary.h"
#include "cohort-lesson.h"
#include "cohort-schedule.h"
#include "cohort-participant.h"
#include "cohort-roster.h"

G_BEGIN_DECLS

/* identity: errors about staff accounts and removal; other refusals are
 * COHORT_PROTOCOL_ERROR with the server's error code. */
#define COHORT_SESSION_ERROR (cohort_session_error_quark ())
GQuark cohort_session_error_quark (void);

typedef enum
{
  /* The server has no staff account yet: nobody can start a class. */
  COHORT_SESSION_ERROR_NO_STAFF,
  /* The staff credential is unknown or revoked. */
  COHORT_SESSION_ERROR_UNAUTHORIZED,
  /* The teacher removed this participant. */
  COHORT_SESSION_ERROR_REMOVED,
  /* The staff credential is valid, but the class is another account's. */
  COHORT_SESSION_ERROR_NOT_OWNER,
} CohortSessionError;

typedef enum
{
  COHORT_ADMISSION_ADMITTED,
  /* In the class's waiting room until the teacher admits us. */
  COHORT_ADMISSION_WAITING,
} CohortAdmission;

typedef enum
{
  COHORT_SESSION_STATE_DISCONNECTED,
  COHORT_SESSION_STATE_CONNECTING,
  COHORT_SESSION_STATE_JOINED,
  COHORT_SESSION_STATE_RECONNECTING,
  COHORT_SESSION_STATE_FAILED,
} CohortSessionState;

/* One client's connection to one class on a cohort-server. It owns the
 * WebSocket, reconnects with backoff, resumes from the last seq, keeps an
 * outbox of unacknowledged requests and feeds the models. All signals and
 * property notifications are emitted on the thread-default main context the
 * session was created on.
 *
 * Properties: state (CohortSessionState), server-url, class-id, class-code,
 * class-title, token, teacher-key (NULL unless known), self
 * (CohortParticipant), roster (CohortRoster), last-seq, error-message,
 * n-pending (guint, requests in the outbox); identity: admission
 * (CohortAdmission), waiting-room, locked, anonymous-join (the joined
 * class's settings, following class.updated), create-waiting-room
 * (read-write, TRUE: whether classes it creates start with a waiting room).
 * Signals: event-received (const char *event, JsonObject *body, gint64 seq)
 * after the models have applied an event; removed (gboolean blocked) when
 * the teacher removed this participant.
 *
 * Reconnects wait a full-jitter exponential backoff (500 ms doubling, capped
 * at 10 s; see cohort-session-backoff.h). COHORT_BACKOFF_BASE_MS and
 * COHORT_BACKOFF_MAX_MS in the environment override both, for tests. */
#define COHORT_TYPE_SESSION (cohort_session_get_type ())
G_DECLARE_FINAL_TYPE (CohortSession, cohort_session, COHORT, SESSION, GObject)

CohortSession     *cohort_session_new                 (void);

/* @server_url: ws://host:port/ws, or host:port, which is normalised. */
void               cohort_session_create_class_async  (CohortSession        *self,
                                                       const char           *server_url,
                                                       const char           *title,
                                                       const char           *name,
                                                       const char           *staff_credential,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           cohort_session_create_class_finish (CohortSession        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* @teacher_key may be NULL (join as a student). */
void               cohort_session_join_async          (CohortSession        *self,
                                                       const char           *server_url,
                                                       const char           *code,
                                                       const char           *name,
                                                       const char           *teacher_key,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           cohort_session_join_finish         (CohortSession        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* identity: joins the class @code as its teacher by staff credential (the
 * class's owner only); starts its next lesson when the teacher was away. */
void               cohort_session_open_class_async    (CohortSession        *self,
                                                       const char           *server_url,
                                                       const char           *code,
                                                       const char           *staff_credential,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           cohort_session_open_class_finish   (CohortSession        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* identity: the classes of the staff account (no join needed; the session
 * may be in a class or not). Returns a GListModel of CohortClassSummary. */
void               cohort_session_list_staff_classes_async  (CohortSession  *self,
                                                             const char     *server_url,
                                                             const char     *staff_credential,
                                                             GCancellable   *cancellable,
                                                             GAsyncReadyCallback callback,
                                                             gpointer        user_data);
GListModel        *cohort_session_list_staff_classes_finish (CohortSession  *self,
                                                             GAsyncResult   *result,
                                                             GError        **error);
/* identity: archives (students can no longer join or resume) or
 * unarchives the class @code of the staff account. */
void               cohort_session_archive_class_async  (CohortSession       *self,
                                                        const char          *server_url,
                                                        const char          *code,
                                                        const char          *staff_credential,
                                                        gboolean             archived,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean           cohort_session_archive_class_finish (CohortSession       *self,
                                                        GAsyncResult        *result,
                                                        GError             **error);
/* Rejoins as the participant @token belongs to (after a client restart). */
void               cohort_session_resume_async        (CohortSession        *self,
                                                       const char           *server_url,
                                                       const char           *token,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           cohort_session_resume_finish       (CohortSession        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
void               cohort_session_leave_async         (CohortSession        *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
gboolean           cohort_session_leave_finish        (CohortSession        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

/* Sends a class request through the outbox: it survives reconnects and is
 * resent with the same id until the server answers. Returns the "ok" body;
 * an "error" reply becomes a COHORT_PROTOCOL_ERROR. */
void               cohort_session_request_async       (CohortSession        *self,
                                                       const char           *type,
                                                       JsonObject           *body,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
JsonObject        *cohort_session_request_finish      (CohortSession        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);
/* ai: like cohort_session_request_async() (finish with
 * cohort_session_request_finish()), and returns the request's id, to match
 * the progress-received signals of a streamed reply to it. */
char              *cohort_session_request_with_id_async (CohortSession      *self,
                                                       const char           *type,
                                                       JsonObject           *body,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);

CohortSessionState cohort_session_get_state           (CohortSession        *self);
const char        *cohort_session_get_server_url      (CohortSession        *self);
gint64             cohort_session_get_class_id        (CohortSession        *self);
const char        *cohort_session_get_class_code      (CohortSession        *self);
const char        *cohort_session_get_class_title     (CohortSession        *self);
const char        *cohort_session_get_token           (CohortSession        *self);
const char        *cohort_session_get_teacher_key     (CohortSession        *self);
CohortParticipant *cohort_session_get_self            (CohortSession        *self);
CohortRoster      *cohort_session_get_roster          (CohortSession        *self);
/* lesson: the class's lesson, owned by the session */
CohortLesson      *cohort_session_get_lesson          (CohortSession        *self);
/* schedule: the class's upcoming lessons, owned by the session */
CohortSchedule    *cohort_session_get_schedule        (CohortSession        *self);
gint64             cohort_session_get_last_seq        (CohortSession        *self);
const char        *cohort_session_get_error_message   (CohortSession        *self);
/* Requests sent but not yet answered. */
guint              cohort_session_get_n_pending       (CohortSession        *self);
/* identity */
CohortAdmission    cohort_session_get_admission       (CohortSession        *self);
gboolean           cohort_session_get_waiting_room    (CohortSession        *self);
gboolean           cohort_session_get_locked          (CohortSession        *self);
gboolean           cohort_session_get_anonymous_join  (CohortSession        *self);

/* Test hook: drops the socket as if the network failed, so the session
 * goes through reconnect and resume. */
void               cohort_session_simulate_drop       (CohortSession        *self);

G_END_DECLS

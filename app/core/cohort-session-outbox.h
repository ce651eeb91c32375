/* cohort-session-outbox.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The ordered queue of class requests the server has not answered yet. A
 * request stays here, with its id, until a reply carrying that id as "re"
 * arrives, so it can be sent again after a reconnect; the server applies
 * each id at most once. The outbox never touches a socket. Main thread
 * only. */
typedef struct _CohortOutbox CohortOutbox;

typedef struct
{
  char       *id;
  char       *type;
  JsonObject *body;
  /* Completed with the "ok" body (a JsonObject, transfer full) or a GError. */
  GTask      *task;
  gboolean    sent;
  /* sent at least once, over any connection: the server may have applied it */
  gboolean    ever_sent;
  /* g_get_real_time() when pushed */
  gint64      queued_at;
} CohortOutboxEntry;

CohortOutbox            *cohort_outbox_new            (void);
void                     cohort_outbox_free           (CohortOutbox  *self);
/* @body is referenced (NULL means {}); @task is referenced. Returns the
 * entry, owned by the outbox. */
const CohortOutboxEntry *cohort_outbox_push           (CohortOutbox  *self,
                                                       const char    *id,
                                                       const char    *type,
                                                       JsonObject    *body,
                                                       GTask         *task);
guint                    cohort_outbox_get_n_items    (CohortOutbox  *self);
/* In the order the requests were pushed. */
const CohortOutboxEntry *cohort_outbox_get_nth        (CohortOutbox  *self,
                                                       guint          position);
const CohortOutboxEntry *cohort_outbox_lookup         (CohortOutbox  *self,
                                                       const char    *id);
gboolean                 cohort_outbox_mark_sent      (CohortOutbox  *self,
                                                       const char    *id);
/* After a disconnect: everything must go out again. */
void                     cohort_outbox_mark_all_unsent (CohortOutbox *self);
guint                    cohort_outbox_get_n_unsent   (CohortOutbox  *self);
/* Completes the request answered by @re with @ok_body (on success) or
 * @error, and removes it. Returns FALSE, changing nothing, when @re is not
 * pending: a duplicate reply, or a reply to a request already cancelled. */
gboolean                 cohort_outbox_complete       (CohortOutbox  *self,
                                                       const char    *re,
                                                       JsonObject    *ok_body,
                                                       const GError  *error);
/* Fails with @error, and removes, every request pushed before
 * @unsent_before_us that was never sent, and every one pushed before
 * @sent_before_us (real time, as g_get_real_time()). Returns how many. */
guint                    cohort_outbox_expire         (CohortOutbox  *self,
                                                       gint64         unsent_before_us,
                                                       gint64         sent_before_us,
                                                       const GError  *error);
/* Fails every pending request with @error and empties the outbox. */
void                     cohort_outbox_cancel_all     (CohortOutbox  *self,
                                                       const GError  *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortOutbox, cohort_outbox_free)

G_END_DECLS

/* cohort-session-class.h: typed requests of the class itself (hands, admission, roster)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-session.h"

G_BEGIN_DECLS

typedef enum
{
  COHORT_CLASS_SETTING_WAITING_ROOM,
  COHORT_CLASS_SETTING_LOCKED,
  COHORT_CLASS_SETTING_ANONYMOUS_JOIN,
} CohortClassSetting;

/* One student of a roster import, with the personal code the server made. */
typedef struct
{
  gint64  participant_id;
  char   *name;
  char   *number;          /* NULL when none */
  char   *personal_code;
} CohortRosterCode;

void cohort_roster_code_free (CohortRosterCode *code);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortRosterCode, cohort_roster_code_free)

/* Each goes through the session's outbox (cohort_session_request_async),
 * so ui/ never builds a request body. Finish every one of them, except
 * the roster import, with cohort_session_class_request_finish(). */

/* A student's own hand: hand.raise or hand.lower. */
void       cohort_session_set_hand_raised_async    (CohortSession        *self,
                                                    gboolean              raised,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
/* Teacher: lowers @participant_id's hand. */
void       cohort_session_lower_hand_async         (CohortSession        *self,
                                                    gint64                participant_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
void       cohort_session_lower_all_hands_async    (CohortSession        *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
/* Teacher: lets @participant_id in from the waiting room; 0: everyone
 * waiting. */
void       cohort_session_admit_async              (CohortSession        *self,
                                                    gint64                participant_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
void       cohort_session_deny_async               (CohortSession        *self,
                                                    gint64                participant_id,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
/* Teacher: removes @participant_id; @block keeps them out for good. */
void       cohort_session_remove_participant_async (CohortSession        *self,
                                                    gint64                participant_id,
                                                    gboolean              block,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
void       cohort_session_set_class_setting_async  (CohortSession        *self,
                                                    CohortClassSetting    setting,
                                                    gboolean              value,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean   cohort_session_class_request_finish     (CohortSession        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

/* Teacher: imports @entries (CohortRosterEntry, from
 * cohort_roster_csv_parse). Returns a GPtrArray of CohortRosterCode (free
 * func set), one per student the server answered with a code. */
void       cohort_session_import_roster_async      (CohortSession        *self,
                                                    GPtrArray            *entries,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
GPtrArray *cohort_session_import_roster_finish     (CohortSession        *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS

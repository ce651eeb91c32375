/* cohort-practice.h: a student's adaptive practice and progress page as a
 * model (docs/protocol-practice.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-knowledge-point.h"
#include "cohort-practice-attempt.h"
#include "cohort-practice-item.h"
#include "cohort-session.h"

G_BEGIN_DECLS

/* Properties (read-only): loading, next-up-point-id, next-up-name,
 * next-up-count (what the next set will be mostly about; 0: nothing to
 * practise), n-mastered, error-message (the last failed request's
 * sentence, or NULL).
 *
 * Lists: points (CohortKnowledgePoint: the student's mastery per point),
 * set (CohortPracticeItem: the current set of up to 10), history
 * (CohortPracticeAttempt, newest first). */
#define COHORT_TYPE_PRACTICE (cohort_practice_get_type ())
G_DECLARE_FINAL_TYPE (CohortPractice, cohort_practice, COHORT, PRACTICE, GObject)

/* Asks mastery.get at once, and again on knowledge.changed. */
CohortPractice *cohort_practice_new                   (CohortSession       *session);
void            cohort_practice_refresh               (CohortPractice      *self);
gboolean        cohort_practice_get_loading           (CohortPractice      *self);
gint64          cohort_practice_get_next_up_point_id  (CohortPractice      *self);
const char     *cohort_practice_get_next_up_name      (CohortPractice      *self);
guint           cohort_practice_get_next_up_count     (CohortPractice      *self);
guint           cohort_practice_get_n_mastered        (CohortPractice      *self);
const char     *cohort_practice_get_error_message     (CohortPractice      *self);
GListModel     *cohort_practice_get_points            (CohortPractice      *self);
GListModel     *cohort_practice_get_set               (CohortPractice      *self);
GListModel     *cohort_practice_get_history           (CohortPractice      *self);

/* practice.next: replaces the set. @point_id 0: the server's choice. */
void            cohort_practice_next_async            (CohortPractice      *self,
                                                       gint64               point_id,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean        cohort_practice_next_finish           (CohortPractice      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* practice.answer with the answer set on @item: fills the item's result
 * (correct, explanation, key-text) and updates the points' mastery. */
void            cohort_practice_answer_async          (CohortPractice      *self,
                                                       CohortPracticeItem  *item,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean        cohort_practice_answer_finish         (CohortPractice      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* practice.why after a wrong answer: streams the helper's reply into the
 * item's why-text. */
void            cohort_practice_why_async             (CohortPractice      *self,
                                                       CohortPracticeItem  *item,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean        cohort_practice_why_finish            (CohortPractice      *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS

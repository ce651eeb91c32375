/* cohort-notice-queue.h: the class's notices, in order of importance, with chatter summarised
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* What a notice is about. Each kind has a priority, and some are
 * summarised: every notice of that kind waiting to be shown becomes one
 * ("5 students joined"). */
typedef enum
{
  COHORT_NOTICE_INFO,     /* the class's ordinary news, one by one */
  COHORT_NOTICE_ACTION,   /* needs the user now: a quiz, a stage invitation, the teacher's message */
  COHORT_NOTICE_HAND,     /* a raised hand, for the teacher: needs them now, summarised */
  COHORT_NOTICE_JOINED,   /* someone joined: chatter, summarised */
  COHORT_NOTICE_BADGE,    /* someone earned a badge: chatter, summarised */
  COHORT_NOTICE_WAITING,  /* someone waits to be let in (for the teacher): summarised */
} CohortNoticeKind;

typedef enum
{
  COHORT_NOTICE_PRIORITY_CHATTER,
  COHORT_NOTICE_PRIORITY_NORMAL,
  COHORT_NOTICE_PRIORITY_URGENT,
} CohortNoticePriority;

/* Notices wait here until the window can show the next one. Pop returns
 * the most important first (urgent, then normal, then chatter), each
 * priority in arrival order; a summarised kind waits as one notice in
 * the place of its first one and says how many it stands for.
 *
 * Properties:
 *   n-pending (guint): how many notices pop would still return. */
#define COHORT_TYPE_NOTICE_QUEUE (cohort_notice_queue_get_type ())
G_DECLARE_FINAL_TYPE (CohortNoticeQueue, cohort_notice_queue, COHORT, NOTICE_QUEUE, GObject)

CohortNoticeQueue    *cohort_notice_queue_new             (void);
/* @text is what a notice of @kind says when it stands alone ("Ann
 * joined"); summaries say how many. */
void                  cohort_notice_queue_push            (CohortNoticeQueue *self,
                                                           CohortNoticeKind   kind,
                                                           const char        *text);
/* The next notice: FALSE when none waits. @text (transfer full) is the
 * notice's own text or its kind's summary; @count how many it stands for. */
gboolean              cohort_notice_queue_pop             (CohortNoticeQueue *self,
                                                           CohortNoticeKind  *kind,
                                                           char             **text,
                                                           guint             *count);
guint                 cohort_notice_queue_get_n_pending   (CohortNoticeQueue *self);
/* The priority of the notice pop would return; CHATTER when none waits. */
CohortNoticePriority  cohort_notice_queue_get_top_priority (CohortNoticeQueue *self);
/* Drops every waiting notice (the window left the class). */
void                  cohort_notice_queue_clear           (CohortNoticeQueue *self);

CohortNoticePriority  cohort_notice_kind_get_priority     (CohortNoticeKind   kind);

G_END_DECLS

/* cohort-waiting-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define COHORT_TYPE_WAITING_PAGE (cohort_waiting_page_get_type ())
G_DECLARE_FINAL_TYPE (CohortWaitingPage, cohort_waiting_page, COHORT, WAITING_PAGE, GtkWidget)

/* What a student sees instead of the class: waiting to be let in, or
 * removed from it; lesson: over the stage, the lesson that has not
 * started yet (with who else is waiting), or that has ended. */
typedef enum
{
  COHORT_WAITING_PAGE_WAITING,
  COHORT_WAITING_PAGE_REMOVED,
  COHORT_WAITING_PAGE_BLOCKED,
  COHORT_WAITING_PAGE_DENIED,     /* turned away from the waiting room */
  COHORT_WAITING_PAGE_NOT_STARTED, /* lesson: in the class before the start */
  COHORT_WAITING_PAGE_ENDED,       /* lesson: the teacher ended it */
} CohortWaitingPageMode;

GtkWidget             *cohort_waiting_page_new             (void);
void                   cohort_waiting_page_set_class_title (CohortWaitingPage     *self,
                                                            const char            *title);
void                   cohort_waiting_page_set_mode        (CohortWaitingPage     *self,
                                                            CohortWaitingPageMode  mode);
CohortWaitingPageMode  cohort_waiting_page_get_mode        (CohortWaitingPage     *self);
/* The sentence under the heading, as shown. */
const char            *cohort_waiting_page_get_message     (CohortWaitingPage     *self);
/* lesson: the names of the others waiting for the start (NULL: none),
 * shown under the sentence in NOT_STARTED mode. */
void                   cohort_waiting_page_set_companions  (CohortWaitingPage     *self,
                                                            const char * const    *names);
/* The line that names them, as shown ("" when hidden). */
const char            *cohort_waiting_page_get_companions_text (CohortWaitingPage *self);

G_END_DECLS

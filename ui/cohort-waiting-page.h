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
 * removed from it. */
typedef enum
{
  COHORT_WAITING_PAGE_WAITING,
  COHORT_WAITING_PAGE_REMOVED,
  COHORT_WAITING_PAGE_BLOCKED,
  COHORT_WAITING_PAGE_DENIED,     /* turned away from the waiting room */
} CohortWaitingPageMode;

GtkWidget             *cohort_waiting_page_new             (void);
void                   cohort_waiting_page_set_class_title (CohortWaitingPage     *self,
                                                            const char            *title);
void                   cohort_waiting_page_set_mode        (CohortWaitingPage     *self,
                                                            CohortWaitingPageMode  mode);
CohortWaitingPageMode  cohort_waiting_page_get_mode        (CohortWaitingPage     *self);
/* The sentence under the heading, as shown. */
const char            *cohort_waiting_page_get_message     (CohortWaitingPage     *self);

G_END_DECLS

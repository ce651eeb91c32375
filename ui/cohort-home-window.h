/* cohort-home-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-class-window.h"
#include "cohort-home-model.h"

G_BEGIN_DECLS

/* The student's home: every class the app keeps a student token of, on
 * every server (CohortHomeModel), refreshed when it opens and every
 * minute. A row opens its class window (resuming with the kept token),
 * Live now's Join the same; "Join a Class" opens the join form over it.
 * Loading, empty and everything-offline are whole status pages. */
#define COHORT_TYPE_HOME_WINDOW (cohort_home_window_get_type ())
G_DECLARE_FINAL_TYPE (CohortHomeWindow, cohort_home_window, COHORT, HOME_WINDOW, AdwApplicationWindow)

CohortHomeWindow *cohort_home_window_new         (GtkApplication   *application);
CohortHomeModel  *cohort_home_window_get_model   (CohortHomeWindow *self);
/* Loads the kept classes again from the token store and refreshes. */
void              cohort_home_window_reload      (CohortHomeWindow *self);
/* "loading", "empty", "offline" or "list". */
const char       *cohort_home_window_get_page    (CohortHomeWindow *self);
GtkListBox       *cohort_home_window_get_list    (CohortHomeWindow *self);
/* Opens the class of the entry at @position, as clicking its row does. */
void              cohort_home_window_open_class  (CohortHomeWindow *self,
                                                  guint             position);
/* The same, then the student's Progress and Practice over it. */
void              cohort_home_window_practise    (CohortHomeWindow *self,
                                                  guint             position);

G_END_DECLS

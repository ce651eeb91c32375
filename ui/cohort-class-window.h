/* cohort-class-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-classroom.h"
#include "cohort-session.h"

G_BEGIN_DECLS

#define COHORT_TYPE_CLASS_WINDOW (cohort_class_window_get_type ())
G_DECLARE_FINAL_TYPE (CohortClassWindow, cohort_class_window, COHORT, CLASS_WINDOW, AdwApplicationWindow)

CohortClassWindow *cohort_class_window_new            (GtkApplication    *application,
                                                       CohortSession     *session);
CohortSession     *cohort_class_window_get_session    (CohortClassWindow *self);
/* The class's call and stage, NULL until the window is in the class. */
CohortClassroom   *cohort_class_window_get_classroom  (CohortClassWindow *self);
gboolean           cohort_class_window_get_is_teacher (CohortClassWindow *self);
gboolean           cohort_class_window_get_hand_raised (CohortClassWindow *self);
void               cohort_class_window_add_toast      (CohortClassWindow *self,
                                                       const char        *title);

G_END_DECLS

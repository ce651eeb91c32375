/* cohort-start-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define COHORT_TYPE_START_WINDOW (cohort_start_window_get_type ())
G_DECLARE_FINAL_TYPE (CohortStartWindow, cohort_start_window, COHORT, START_WINDOW, AdwApplicationWindow)

CohortStartWindow *cohort_start_window_new               (GtkApplication    *application);
/* NULL leaves a field as it is (prefilled from GSettings). */
void               cohort_start_window_set_fields        (CohortStartWindow *self,
                                                          const char        *server,
                                                          const char        *code,
                                                          const char        *name,
                                                          const char        *teacher_key,
                                                          const char        *title);
/* Same as pressing "Join Class" / "Start Class". */
void               cohort_start_window_join              (CohortStartWindow *self);
/* Shows the Join page filled from a cohort://join?server=…&code=… link,
 * without joining; FALSE (and an error on the page) for any other text. */
gboolean           cohort_start_window_open_link         (CohortStartWindow *self,
                                                          const char        *link);
void               cohort_start_window_start_class       (CohortStartWindow *self);
/* Staff: the credential row (prefilled from the token store per server),
 * "Show My Classes", and the classes listed (CohortClassSummary, or NULL
 * before any list). Rows activate "start.open-class" and
 * "start.archive-class" with the class code. */
void               cohort_start_window_set_staff_credential (CohortStartWindow *self,
                                                             const char        *credential);
const char        *cohort_start_window_get_staff_credential (CohortStartWindow *self);
/* New Class: whether it starts with a waiting room (on by default). */
void               cohort_start_window_set_waiting_room  (CohortStartWindow *self,
                                                          gboolean           waiting_room);
void               cohort_start_window_list_classes      (CohortStartWindow *self);
GListModel        *cohort_start_window_get_classes       (CohortStartWindow *self);
GtkListBox        *cohort_start_window_get_classes_list  (CohortStartWindow *self);
gboolean           cohort_start_window_get_busy          (CohortStartWindow *self);
/* The inline error currently shown, or NULL. */
const char        *cohort_start_window_get_error_message (CohortStartWindow *self);

G_END_DECLS

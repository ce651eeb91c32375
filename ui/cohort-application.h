/* cohort-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-background.h"
#include "cohort-class-window.h"
#include "cohort-lesson-reminders.h"
#include "cohort-session.h"
#include "cohort-start-window.h"

G_BEGIN_DECLS

#define COHORT_TYPE_APPLICATION (cohort_application_get_type ())
G_DECLARE_FINAL_TYPE (CohortApplication, cohort_application, COHORT, APPLICATION, AdwApplication)

/* Navigation: windows ask the application for the next window and never
 * construct each other. @self may be NULL (a window made without an
 * application, as tests do): the new window then has none either. */
CohortApplication *cohort_application_new        (void);
/* A start window, presented. */
CohortStartWindow *cohort_application_show_start (CohortApplication *self);
/* The student's home (CohortHomeWindow, one per application), presented
 * and refreshed; while no class is kept, the join form instead. */
GtkWindow         *cohort_application_show_home  (CohortApplication *self);
/* The join form as a dialog over @parent (NULL: a window of its own). */
CohortStartWindow *cohort_application_show_join  (CohortApplication *self,
                                                  GtkWindow         *parent);
/* A start window showing the Join page filled from a cohort://join link,
 * presented; FALSE (and the page says why) for any other text. */
gboolean           cohort_application_open_link  (CohortApplication *self,
                                                  const char        *link);
/* The class window of a joined @session, presented. */
CohortClassWindow *cohort_application_open_class (CohortApplication *self,
                                                  CohortSession     *session);
/* The kept class @code on @server_url: its class window when one is
 * open (returned), else the home, and the class resumed with its kept
 * token as clicking its row does (NULL: the window comes once resumed). */
CohortClassWindow *cohort_application_open_kept_class (CohortApplication *self,
                                                       const char        *server_url,
                                                       const char        *code);
/* The lesson reminders of every kept class (made at startup). */
CohortLessonReminders *cohort_application_get_reminders (CohortApplication *self);
/* Running on for reminders once the last window is closed (made at
 * startup). */
CohortBackground      *cohort_application_get_background (CohortApplication *self);

G_END_DECLS

/* cohort-class-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-classroom.h"
#include "cohort-notice-queue.h"
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
/* home: the side panel's Chat page (a CohortChatPage). */
GtkWidget         *cohort_class_window_get_chat_page  (CohortClassWindow *self);

/* cohort-class-window-notices.c */
/* A toast that takes its turn (COHORT_NOTICE_INFO). */
void               cohort_class_window_add_toast      (CohortClassWindow *self,
                                                       const char        *title);
/* A toast of @kind: urgent ones come first, chatter last and summarised. */
void               cohort_class_window_add_notice     (CohortClassWindow *self,
                                                       CohortNoticeKind   kind,
                                                       const char        *text);
/* What needs the user: a toast of @kind (ACTION or HAND) showing @title,
 * the CohortSound @sound (-1: none), and, while the window is not
 * focused, a desktop notification that brings them to @place. */
void               cohort_class_window_call_attention (CohortClassWindow *self,
                                                       CohortNoticeKind   kind,
                                                       const char        *place,
                                                       int                sound,
                                                       const char        *title,
                                                       const char        *body);
/* A desktop notification for this window; clicked, it runs the exported
 * app.show-class-place ((us): the window's id, @place). @id NULL: one per
 * window and place, withdrawn when the window is focused. FALSE when the
 * window has no application. */
gboolean           cohort_class_window_send_notification (CohortClassWindow *self,
                                                          const char        *id,
                                                          const char        *place,
                                                          const char        *title,
                                                          const char        *body);
/* Presents the window with @place in view: a page of the side panel
 * ("people", "chat", "quiz", "groups", "helper") or "stage". */
void               cohort_class_window_show_place     (CohortClassWindow *self,
                                                       const char        *place);
/* For tests: our AdwToasts on screen or pushed aside, and the
 * CohortSoundPlayer. */
GPtrArray         *cohort_class_window_get_shown_toasts (CohortClassWindow *self);
GObject           *cohort_class_window_get_sound_player (CohortClassWindow *self);

G_END_DECLS

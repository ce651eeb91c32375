/* cohort-presenter-window.h: the teacher's compact view while sharing the screen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-classroom.h"

G_BEGIN_DECLS

/* A small window that stays out of the shared area while the teacher
 * presents: the camera's self view, the raised hands (with Invite to
 * Stage), the newest chat messages, buttons that bring the class window's
 * Chat and Quiz up, and Stop Sharing. The class window opens it
 * when the teacher's screen share starts; it closes itself when the
 * classroom's screen-on goes off.
 *
 * @camera_preview: the teacher's own camera picture (the stage's), or NULL.
 * @chat: the class's chat (CohortChatMessage), or NULL. */
#define COHORT_TYPE_PRESENTER_WINDOW (cohort_presenter_window_get_type ())
G_DECLARE_FINAL_TYPE (CohortPresenterWindow, cohort_presenter_window, COHORT, PRESENTER_WINDOW, AdwWindow)

GtkWidget *cohort_presenter_window_new (CohortClassroom *classroom,
                                        GdkPaintable    *camera_preview,
                                        GListModel      *chat);
/* Shows Chat and Quiz buttons that open those pages of that class window. */
void       cohort_presenter_window_set_class_window_id (CohortPresenterWindow *self,
                                                        guint                  window_id);

G_END_DECLS

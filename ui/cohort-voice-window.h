/* cohort-voice-window.h: a study group's voice room from the home
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-session.h"
#include "cohort-voice-panel.h"

G_BEGIN_DECLS

/* The student's group's voice room in a small window of its own, for
 * @session (joined to the class, without the class window: no stage, no
 * class sound). It joins the room as soon as the student's group is
 * known (the click on the home was the join); closing it leaves. Without
 * a group it says so. */
#define COHORT_TYPE_VOICE_WINDOW (cohort_voice_window_get_type ())
G_DECLARE_FINAL_TYPE (CohortVoiceWindow, cohort_voice_window, COHORT, VOICE_WINDOW, AdwApplicationWindow)

CohortVoiceWindow *cohort_voice_window_new       (GtkApplication    *application,
                                                  CohortSession     *session);
CohortVoicePanel  *cohort_voice_window_get_panel (CohortVoiceWindow *self);

G_END_DECLS

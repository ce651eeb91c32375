/* cohort-breakout-dialog.h: the teacher starts breakout rooms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* How long the breakout lasts and what the class's sound does for the
 * students meanwhile (paused, or low), both remembered for the next
 * one ("voice-breakout-minutes", "voice-breakout-class-audio"). Responses
 * "cancel" and "start". */
#define COHORT_TYPE_BREAKOUT_DIALOG (cohort_breakout_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CohortBreakoutDialog, cohort_breakout_dialog, COHORT, BREAKOUT_DIALOG, AdwMessageDialog)

CohortBreakoutDialog *cohort_breakout_dialog_new             (GtkWindow            *parent);
guint                 cohort_breakout_dialog_get_minutes     (CohortBreakoutDialog *self);
/* COHORT_VOICE_CLASS_AUDIO_PAUSE or COHORT_VOICE_CLASS_AUDIO_LOW. */
const char           *cohort_breakout_dialog_get_class_audio (CohortBreakoutDialog *self);

G_END_DECLS

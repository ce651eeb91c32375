/* cohort-sound-player.h: the class's short sounds, unless the user turned them off
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  COHORT_SOUND_HAND,      /* a student raised their hand (for the teacher) */
  COHORT_SOUND_QUIZ,      /* a quiz question started (for a student) */
  COHORT_SOUND_MESSAGE,   /* the teacher wrote to you */
} CohortSound;

/* Plays the sounds in the app's resources through GtkMediaFile (GTK's
 * GStreamer media backend), so no sound library is needed. The
 * "sounds" setting turns them off.
 *
 * Signals:
 *   played (CohortSound sound): a sound started; for tests and nothing else. */
#define COHORT_TYPE_SOUND_PLAYER (cohort_sound_player_get_type ())
G_DECLARE_FINAL_TYPE (CohortSoundPlayer, cohort_sound_player, COHORT, SOUND_PLAYER, GObject)

CohortSoundPlayer *cohort_sound_player_new  (void);
/* Plays @sound from the start; FALSE when sounds are off. */
gboolean           cohort_sound_player_play (CohortSoundPlayer *self,
                                             CohortSound        sound);

G_END_DECLS

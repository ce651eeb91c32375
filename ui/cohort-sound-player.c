/* cohort-sound-player.c: the class's short sounds, unless the user turned them off
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-sound-player"

#include "config.h"

#include "cohort-sound-player.h"

#define N_SOUNDS (COHORT_SOUND_MESSAGE + 1)

static const char * const sound_resources[N_SOUNDS] = {
  [COHORT_SOUND_HAND] = "/org/cohortclass/Cohort/sounds/cohort-hand.oga",
  [COHORT_SOUND_QUIZ] = "/org/cohortclass/Cohort/sounds/cohort-quiz.oga",
  [COHORT_SOUND_MESSAGE] = "/org/cohortclass/Cohort/sounds/cohort-message.oga",
};

struct _CohortSoundPlayer
{
  GObject         parent_instance;

  GSettings      *settings;
  GtkMediaStream *streams[N_SOUNDS];   /* each made the first time it plays */
};

G_DEFINE_FINAL_TYPE (CohortSoundPlayer, cohort_sound_player, G_TYPE_OBJECT)

enum {
  PLAYED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
cohort_sound_player_play (CohortSoundPlayer *self,
                          CohortSound        sound)
{
  GtkMediaStream *stream;

  g_return_val_if_fail (COHORT_IS_SOUND_PLAYER (self), FALSE);
  g_return_val_if_fail ((guint) sound < N_SOUNDS, FALSE);

  if (!g_settings_get_boolean (self->settings, "sounds"))
    return FALSE;

  if (self->streams[sound] == NULL)
    self->streams[sound] = gtk_media_file_new_for_resource (sound_resources[sound]);
  stream = self->streams[sound];

  /* A missing audio device is no reason to complain in the class: the
   * sound is a nicety. */
  if (gtk_media_stream_get_error (stream) != NULL)
    g_debug ("Cannot play %s: %s", sound_resources[sound], gtk_media_stream_get_error (stream)->message);
  if (gtk_media_stream_get_ended (stream) || gtk_media_stream_get_playing (stream))
    gtk_media_stream_seek (stream, 0);
  gtk_media_stream_play (stream);

  g_signal_emit (self, signals[PLAYED], 0, sound);
  return TRUE;
}

static void
cohort_sound_player_dispose (GObject *object)
{
  CohortSoundPlayer *self = COHORT_SOUND_PLAYER (object);

  for (guint i = 0; i < N_SOUNDS; i++)
    {
      if (self->streams[i] != NULL)
        gtk_media_stream_pause (self->streams[i]);
      g_clear_object (&self->streams[i]);
    }
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cohort_sound_player_parent_class)->dispose (object);
}

static void
cohort_sound_player_class_init (CohortSoundPlayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_sound_player_dispose;

  signals[PLAYED] =
    g_signal_new ("played", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
cohort_sound_player_init (CohortSoundPlayer *self)
{
  self->settings = g_settings_new ("org.cohortclass.Cohort");
}

CohortSoundPlayer *
cohort_sound_player_new (void)
{
  return g_object_new (COHORT_TYPE_SOUND_PLAYER, NULL);
}

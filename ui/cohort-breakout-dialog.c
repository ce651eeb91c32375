/* cohort-breakout-dialog.c: the teacher starts breakout rooms
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-breakout-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-breakout-dialog.h"
#include "cohort-voice-protocol.h"

struct _CohortBreakoutDialog
{
  AdwMessageDialog  parent_instance;

  GSettings        *settings;
  GtkSpinButton    *minutes_spin;
  AdwComboRow      *class_audio_row;
};

G_DEFINE_FINAL_TYPE (CohortBreakoutDialog, cohort_breakout_dialog, ADW_TYPE_MESSAGE_DIALOG)

/* The combo row's items, in its order (cohort-breakout-dialog.ui). */
static const char * const class_audio_choices[] = {
  COHORT_VOICE_CLASS_AUDIO_PAUSE,
  COHORT_VOICE_CLASS_AUDIO_LOW,
};

static void
cohort_breakout_dialog_response (AdwMessageDialog *dialog,
                                 const char       *response)
{
  CohortBreakoutDialog *self = COHORT_BREAKOUT_DIALOG (dialog);

  /* What the teacher picked is what they will want next time. */
  if (g_strcmp0 (response, "start") == 0)
    {
      g_settings_set_int (self->settings, "voice-breakout-minutes",
                          (int) cohort_breakout_dialog_get_minutes (self));
      g_settings_set_string (self->settings, "voice-breakout-class-audio",
                             cohort_breakout_dialog_get_class_audio (self));
    }

  if (ADW_MESSAGE_DIALOG_CLASS (cohort_breakout_dialog_parent_class)->response != NULL)
    ADW_MESSAGE_DIALOG_CLASS (cohort_breakout_dialog_parent_class)->response (dialog, response);
}

static void
cohort_breakout_dialog_dispose (GObject *object)
{
  CohortBreakoutDialog *self = COHORT_BREAKOUT_DIALOG (object);

  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_BREAKOUT_DIALOG);

  G_OBJECT_CLASS (cohort_breakout_dialog_parent_class)->dispose (object);
}

static void
cohort_breakout_dialog_class_init (CohortBreakoutDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  object_class->dispose = cohort_breakout_dialog_dispose;
  dialog_class->response = cohort_breakout_dialog_response;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-breakout-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortBreakoutDialog, minutes_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortBreakoutDialog, class_audio_row);
}

static void
cohort_breakout_dialog_init (CohortBreakoutDialog *self)
{
  g_autofree char *class_audio = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_spin_button_set_range (self->minutes_spin, 1, COHORT_VOICE_MAX_BREAKOUT_MINUTES);

  self->settings = g_settings_new ("org.cohortclass.Cohort");
  gtk_spin_button_set_value (self->minutes_spin, g_settings_get_int (self->settings, "voice-breakout-minutes"));
  class_audio = g_settings_get_string (self->settings, "voice-breakout-class-audio");
  adw_combo_row_set_selected (self->class_audio_row,
                              g_str_equal (class_audio, COHORT_VOICE_CLASS_AUDIO_LOW) ? 1 : 0);
}

CohortBreakoutDialog *
cohort_breakout_dialog_new (GtkWindow *parent)
{
  return g_object_new (COHORT_TYPE_BREAKOUT_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       NULL);
}

guint
cohort_breakout_dialog_get_minutes (CohortBreakoutDialog *self)
{
  g_return_val_if_fail (COHORT_IS_BREAKOUT_DIALOG (self), 0);
  return (guint) gtk_spin_button_get_value_as_int (self->minutes_spin);
}

const char *
cohort_breakout_dialog_get_class_audio (CohortBreakoutDialog *self)
{
  guint selected;

  g_return_val_if_fail (COHORT_IS_BREAKOUT_DIALOG (self), COHORT_VOICE_CLASS_AUDIO_PAUSE);

  selected = adw_combo_row_get_selected (self->class_audio_row);
  return class_audio_choices[selected < G_N_ELEMENTS (class_audio_choices) ? selected : 0];
}

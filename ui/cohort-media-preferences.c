/* cohort-media-preferences.c: camera, microphone and video quality
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-media-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-media-devices.h"
#include "cohort-media-preferences.h"

static const char * const qualities[] = { "360p", "720p", "1080p" };

struct _CohortMediaPreferences
{
  AdwPreferencesWindow  parent_instance;

  AdwComboRow          *camera_row;
  AdwComboRow          *microphone_row;
  AdwComboRow          *quality_row;
  GtkSwitch            *sounds_switch;   /* the "sounds" setting */
  GtkSwitch            *push_to_talk_switch;   /* "voice-push-to-talk" */
  GtkSpinButton        *reminder_spin;   /* schedule: "lesson-reminder-minutes" */
  GtkSwitch            *background_switch; /* "run-in-background" */

  GSettings            *settings;
  CohortMediaDevices   *devices;
  GtkStringList        *camera_names;      /* devices, or "No camera found" */
  GtkStringList        *microphone_names;
  gboolean              syncing;
};

G_DEFINE_FINAL_TYPE (CohortMediaPreferences, cohort_media_preferences, ADW_TYPE_PREFERENCES_WINDOW)

/* Fills @row from @devices and selects the remembered one. */
static void
sync_devices (CohortMediaPreferences *self,
              AdwComboRow            *row,
              GtkStringList          *shown,
              GtkStringList          *devices,
              const char             *key,
              const char             *none)
{
  g_autofree char *wanted = g_settings_get_string (self->settings, key);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (devices));
  guint selected = 0;

  self->syncing = TRUE;
  gtk_string_list_splice (shown, 0, g_list_model_get_n_items (G_LIST_MODEL (shown)), NULL);
  for (guint i = 0; i < n; i++)
    {
      const char *name = gtk_string_list_get_string (devices, i);

      gtk_string_list_append (shown, name);
      if (g_strcmp0 (name, wanted) == 0)
        selected = i;
    }
  if (n == 0)
    gtk_string_list_append (shown, none);
  adw_combo_row_set_selected (row, selected);
  gtk_widget_set_sensitive (GTK_WIDGET (row), n > 0);
  self->syncing = FALSE;
}

static void
sync_all (CohortMediaPreferences *self)
{
  sync_devices (self, self->camera_row, self->camera_names,
                cohort_media_devices_get_cameras (self->devices), "camera-device", _("No camera found"));
  sync_devices (self, self->microphone_row, self->microphone_names,
                cohort_media_devices_get_microphones (self->devices), "microphone-device",
                _("No microphone found"));
}

static void
on_device_selected (AdwComboRow            *row,
                    GParamSpec             *pspec,
                    CohortMediaPreferences *self)
{
  gboolean camera = row == self->camera_row;
  GtkStringList *devices = camera ? cohort_media_devices_get_cameras (self->devices)
                                  : cohort_media_devices_get_microphones (self->devices);
  guint selected = adw_combo_row_get_selected (row);

  if (self->syncing || selected >= g_list_model_get_n_items (G_LIST_MODEL (devices)))
    return;
  g_settings_set_string (self->settings, camera ? "camera-device" : "microphone-device",
                         gtk_string_list_get_string (devices, selected));
}

static void
on_quality_selected (AdwComboRow            *row,
                     GParamSpec             *pspec,
                     CohortMediaPreferences *self)
{
  guint selected = adw_combo_row_get_selected (row);

  if (!self->syncing && selected < G_N_ELEMENTS (qualities))
    g_settings_set_string (self->settings, "video-quality", qualities[selected]);
}

static void
cohort_media_preferences_dispose (GObject *object)
{
  CohortMediaPreferences *self = COHORT_MEDIA_PREFERENCES (object);

  if (self->devices != NULL)
    g_signal_handlers_disconnect_by_data (self->devices, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_MEDIA_PREFERENCES);
  g_clear_object (&self->settings);
  g_clear_object (&self->devices);
  g_clear_object (&self->camera_names);
  g_clear_object (&self->microphone_names);

  G_OBJECT_CLASS (cohort_media_preferences_parent_class)->dispose (object);
}

static void
cohort_media_preferences_class_init (CohortMediaPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_media_preferences_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-media-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortMediaPreferences, camera_row);
  gtk_widget_class_bind_template_child (widget_class, CohortMediaPreferences, microphone_row);
  gtk_widget_class_bind_template_child (widget_class, CohortMediaPreferences, quality_row);
  gtk_widget_class_bind_template_child (widget_class, CohortMediaPreferences, sounds_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortMediaPreferences, push_to_talk_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortMediaPreferences, reminder_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortMediaPreferences, background_switch);
}

static void
cohort_media_preferences_init (CohortMediaPreferences *self)
{
  g_autofree char *quality = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("org.cohortclass.Cohort");
  self->devices = g_object_ref (cohort_media_devices_get_default ());
  self->camera_names = gtk_string_list_new (NULL);
  self->microphone_names = gtk_string_list_new (NULL);
  adw_combo_row_set_model (self->camera_row, G_LIST_MODEL (self->camera_names));
  adw_combo_row_set_model (self->microphone_row, G_LIST_MODEL (self->microphone_names));

  sync_all (self);
  g_signal_connect_swapped (self->devices, "changed", G_CALLBACK (sync_all), self);

  quality = g_settings_get_string (self->settings, "video-quality");
  for (guint i = 0; i < G_N_ELEMENTS (qualities); i++)
    if (g_str_equal (quality, qualities[i]))
      adw_combo_row_set_selected (self->quality_row, i);

  g_signal_connect (self->camera_row, "notify::selected", G_CALLBACK (on_device_selected), self);
  g_signal_connect (self->microphone_row, "notify::selected", G_CALLBACK (on_device_selected), self);
  g_signal_connect (self->quality_row, "notify::selected", G_CALLBACK (on_quality_selected), self);
  g_settings_bind (self->settings, "sounds", self->sounds_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "voice-push-to-talk", self->push_to_talk_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "lesson-reminder-minutes", self->reminder_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "run-in-background", self->background_switch, "active", G_SETTINGS_BIND_DEFAULT);
}

GtkWidget *
cohort_media_preferences_new (void)
{
  return g_object_new (COHORT_TYPE_MEDIA_PREFERENCES, NULL);
}

GtkSwitch *
cohort_media_preferences_get_background_switch (CohortMediaPreferences *self)
{
  g_return_val_if_fail (COHORT_IS_MEDIA_PREFERENCES (self), NULL);

  return self->background_switch;
}

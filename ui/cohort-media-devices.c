/* cohort-media-devices.c: cameras and microphones (GstDeviceMonitor) and the user's choice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-media-devices"

#include "config.h"

#include "cohort-media-devices.h"

struct _CohortMediaDevices
{
  GObject           parent_instance;

  GstDeviceMonitor *monitor;
  guint             bus_watch;
  GSettings        *settings;
  GPtrArray        *cameras;       /* GstDevice */
  GPtrArray        *microphones;   /* GstDevice */
  GPtrArray        *speakers;      /* GstDevice */
  GtkStringList    *camera_names;
  GtkStringList    *microphone_names;
};

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CohortMediaDevices, cohort_media_devices, G_TYPE_OBJECT)

static void
names_from (GtkStringList *names,
            GPtrArray     *devices)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; i < devices->len; i++)
    {
      g_autofree char *name = gst_device_get_display_name (g_ptr_array_index (devices, i));

      g_strv_builder_add (builder, name);
    }
  strv = g_strv_builder_end (builder);
  gtk_string_list_splice (names, 0, g_list_model_get_n_items (G_LIST_MODEL (names)),
                          (const char * const *) strv);
}

static void
refresh (CohortMediaDevices *self)
{
  GList *devices = gst_device_monitor_get_devices (self->monitor);

  g_ptr_array_set_size (self->cameras, 0);
  g_ptr_array_set_size (self->microphones, 0);
  g_ptr_array_set_size (self->speakers, 0);

  for (GList *l = devices; l != NULL; l = l->next)
    {
      GstDevice *device = l->data;

      if (gst_device_has_classes (device, "Video/Source"))
        g_ptr_array_add (self->cameras, g_object_ref (device));
      else if (gst_device_has_classes (device, "Audio/Source"))
        g_ptr_array_add (self->microphones, g_object_ref (device));
      else if (gst_device_has_classes (device, "Audio/Sink"))
        g_ptr_array_add (self->speakers, g_object_ref (device));
    }
  g_list_free_full (devices, gst_object_unref);

  names_from (self->camera_names, self->cameras);
  names_from (self->microphone_names, self->microphones);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  CohortMediaDevices *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
    case GST_MESSAGE_DEVICE_REMOVED:
      refresh (self);
      break;
    default:
      break;
    }

  return G_SOURCE_CONTINUE;
}

static GstDevice *
choose (GPtrArray  *devices,
        const char *wanted)
{
  if (devices->len == 0)
    return NULL;

  for (guint i = 0; wanted != NULL && *wanted != '\0' && i < devices->len; i++)
    {
      g_autofree char *name = gst_device_get_display_name (g_ptr_array_index (devices, i));

      if (g_strcmp0 (name, wanted) == 0)
        return g_ptr_array_index (devices, i);
    }

  /* The chosen device is gone (unplugged): the first one. */
  return g_ptr_array_index (devices, 0);
}

static GstElement *
create_from (GPtrArray  *devices,
             const char *wanted)
{
  GstDevice *device = choose (devices, wanted);

  return device != NULL ? gst_device_create_element (device, NULL) : NULL;
}

static void
cohort_media_devices_dispose (GObject *object)
{
  CohortMediaDevices *self = COHORT_MEDIA_DEVICES (object);

  if (self->monitor != NULL)
    gst_device_monitor_stop (self->monitor);
  g_clear_handle_id (&self->bus_watch, g_source_remove);
  gst_clear_object (&self->monitor);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->cameras, g_ptr_array_unref);
  g_clear_pointer (&self->microphones, g_ptr_array_unref);
  g_clear_pointer (&self->speakers, g_ptr_array_unref);
  g_clear_object (&self->camera_names);
  g_clear_object (&self->microphone_names);

  G_OBJECT_CLASS (cohort_media_devices_parent_class)->dispose (object);
}

static void
cohort_media_devices_class_init (CohortMediaDevicesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_media_devices_dispose;

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
cohort_media_devices_init (CohortMediaDevices *self)
{
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstCaps) video = gst_caps_new_empty_simple ("video/x-raw");

  self->settings = g_settings_new ("org.cohortclass.Cohort");
  self->cameras = g_ptr_array_new_with_free_func (gst_object_unref);
  self->microphones = g_ptr_array_new_with_free_func (gst_object_unref);
  self->speakers = g_ptr_array_new_with_free_func (gst_object_unref);
  self->camera_names = gtk_string_list_new (NULL);
  self->microphone_names = gtk_string_list_new (NULL);

  self->monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (self->monitor, "Video/Source", video);
  gst_device_monitor_add_filter (self->monitor, "Audio/Source", NULL);
  gst_device_monitor_add_filter (self->monitor, "Audio/Sink", NULL);
  bus = gst_device_monitor_get_bus (self->monitor);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  if (!gst_device_monitor_start (self->monitor))
    g_debug ("No device monitor could start: no cameras or microphones");
  refresh (self);
}

CohortMediaDevices *
cohort_media_devices_get_default (void)
{
  static CohortMediaDevices *instance;

  if (instance == NULL)
    {
      instance = g_object_new (COHORT_TYPE_MEDIA_DEVICES, NULL);
      g_object_add_weak_pointer (G_OBJECT (instance), (gpointer *) &instance);
    }

  return instance;
}

GtkStringList *
cohort_media_devices_get_cameras (CohortMediaDevices *self)
{
  g_return_val_if_fail (COHORT_IS_MEDIA_DEVICES (self), NULL);

  return self->camera_names;
}

GtkStringList *
cohort_media_devices_get_microphones (CohortMediaDevices *self)
{
  g_return_val_if_fail (COHORT_IS_MEDIA_DEVICES (self), NULL);

  return self->microphone_names;
}

gboolean
cohort_media_devices_has_camera (CohortMediaDevices *self)
{
  g_return_val_if_fail (COHORT_IS_MEDIA_DEVICES (self), FALSE);

  return self->cameras->len > 0;
}

gboolean
cohort_media_devices_has_microphone (CohortMediaDevices *self)
{
  g_return_val_if_fail (COHORT_IS_MEDIA_DEVICES (self), FALSE);

  return self->microphones->len > 0;
}

gboolean
cohort_media_devices_has_speaker (CohortMediaDevices *self)
{
  g_return_val_if_fail (COHORT_IS_MEDIA_DEVICES (self), FALSE);

  return self->speakers->len > 0;
}

GstElement *
cohort_media_devices_create_camera (CohortMediaDevices *self)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (COHORT_IS_MEDIA_DEVICES (self), NULL);

  wanted = g_settings_get_string (self->settings, "camera-device");
  return create_from (self->cameras, wanted);
}

GstElement *
cohort_media_devices_create_microphone (CohortMediaDevices *self)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (COHORT_IS_MEDIA_DEVICES (self), NULL);

  wanted = g_settings_get_string (self->settings, "microphone-device");
  return create_from (self->microphones, wanted);
}

GstElement *
cohort_media_devices_create_speaker (CohortMediaDevices *self)
{
  g_return_val_if_fail (COHORT_IS_MEDIA_DEVICES (self), NULL);

  /* The desktop's default output; without any (a headless test) the call
   * engine plays into a fakesink. */
  if (self->speakers->len == 0)
    return NULL;
  return gst_element_factory_make ("autoaudiosink", NULL);
}

/* cohort-media-devices.h: cameras and microphones (GstDeviceMonitor) and the user's choice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* One per application (cohort_media_devices_get_default()). Watches
 * cameras, microphones and speakers with a GstDeviceMonitor and builds
 * source elements for the devices chosen in Preferences (GSettings keys
 * camera-device, microphone-device: a device's display name, '' for the
 * first one found). No device → NULL, never a test pattern.
 *
 * cameras and microphones are GtkStringLists of display names. Signal
 * "changed" when a device comes or goes. */
#define COHORT_TYPE_MEDIA_DEVICES (cohort_media_devices_get_type ())
G_DECLARE_FINAL_TYPE (CohortMediaDevices, cohort_media_devices, COHORT, MEDIA_DEVICES, GObject)

CohortMediaDevices *cohort_media_devices_get_default        (void);
GtkStringList      *cohort_media_devices_get_cameras        (CohortMediaDevices *self);
GtkStringList      *cohort_media_devices_get_microphones    (CohortMediaDevices *self);
gboolean            cohort_media_devices_has_camera         (CohortMediaDevices *self);
gboolean            cohort_media_devices_has_microphone     (CohortMediaDevices *self);
gboolean            cohort_media_devices_has_speaker        (CohortMediaDevices *self);
/* Floating elements, or NULL when there is no such device. */
GstElement         *cohort_media_devices_create_camera      (CohortMediaDevices *self);
GstElement         *cohort_media_devices_create_microphone  (CohortMediaDevices *self);
GstElement         *cohort_media_devices_create_speaker     (CohortMediaDevices *self);

G_END_DECLS

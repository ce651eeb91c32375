/* cohort-media-preferences.h: camera, microphone and video quality
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Preferences: the camera and microphone (from GstDeviceMonitor) and the
 * video quality preset, remembered in GSettings (camera-device,
 * microphone-device, video-quality). */
#define COHORT_TYPE_MEDIA_PREFERENCES (cohort_media_preferences_get_type ())
G_DECLARE_FINAL_TYPE (CohortMediaPreferences, cohort_media_preferences, COHORT, MEDIA_PREFERENCES,
                      AdwPreferencesWindow)

GtkWidget *cohort_media_preferences_new                   (void);
/* "Remind me of lessons when Cohort is closed" (run-in-background). */
GtkSwitch *cohort_media_preferences_get_background_switch (CohortMediaPreferences *self);

G_END_DECLS

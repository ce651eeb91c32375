/* cohort-background.h: running on for lesson reminders after the last
 * window closes, when the user allows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Follows the "run-in-background" setting (default off). On: the
 * application is held (it stays when its last window closes, so that
 * CohortLessonReminders keeps reminding) and starts with the session as
 * `cohort --background`, which opens no window. Inside a sandbox that is
 * the Background portal's RequestBackground with autostart and a reason;
 * without one (or without libportal), an XDG autostart file in
 * $XDG_CONFIG_HOME/autostart/, removed when the setting goes off. A
 * portal that refuses turns the setting off again.
 *
 * Properties: held (the application is held for the background). */
#define COHORT_TYPE_BACKGROUND (cohort_background_get_type ())
G_DECLARE_FINAL_TYPE (CohortBackground, cohort_background, COHORT, BACKGROUND, GObject)

CohortBackground *cohort_background_new             (GApplication     *application);
gboolean          cohort_background_get_held        (CohortBackground *self);
/* The fallback's autostart file (free it). */
char             *cohort_background_autostart_path  (void);

G_END_DECLS

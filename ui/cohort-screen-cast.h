/* cohort-screen-cast.h: what the screen share records (portal or X11)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>
#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Asks for a screen to share: the xdg-desktop-portal ScreenCast (through
 * libportal-gtk4; the user picks a monitor or a window) recorded with
 * pipewiresrc, or without a portal on X11, the whole screen with
 * ximagesrc. After start_finish() succeeds, create_source() makes a new
 * source element each time the call engine asks (a republish after a
 * restart asks again). stop() closes the portal session. */
#define COHORT_TYPE_SCREEN_CAST (cohort_screen_cast_get_type ())
G_DECLARE_FINAL_TYPE (CohortScreenCast, cohort_screen_cast, COHORT, SCREEN_CAST, GObject)

CohortScreenCast *cohort_screen_cast_new            (void);
void              cohort_screen_cast_start_async    (CohortScreenCast     *self,
                                                     GtkWindow            *parent,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean          cohort_screen_cast_start_finish   (CohortScreenCast     *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
/* Floating, or NULL when not started. */
GstElement       *cohort_screen_cast_create_source  (CohortScreenCast     *self);
gboolean          cohort_screen_cast_get_active     (CohortScreenCast     *self);
void              cohort_screen_cast_stop           (CohortScreenCast     *self);

G_END_DECLS

/* cohort-stage.h: the class's live video (tiles, picture-in-picture, controls)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-classroom.h"
#include "cohort-video-paintable.h"

G_BEGIN_DECLS

/* Shows the class's CohortClassroom: its feeds, and controls that ask it
 * to publish. Students see the teacher large, or the teacher's screen
 * large with the teacher's camera as a picture-in-picture; students on
 * stage as tiles below, with their own preview. Without any video it shows its placeholder. Controls (mic,
 * camera, screen share, settings, leave stage) show for whoever may
 * publish. A student invited to the stage is asked first, with a choice
 * of camera and microphone, before anything is published.
 *
 * Actions (group "stage", also on the window): stage.invite (x
 * participant id), stage.remove (x), stage.leave, stage.preferences,
 * stage.link-overlay (boolean state: the link estimators' debug overlay).
 *
 * It answers the classroom's call's request signals with real devices
 * and its own pictures; handlers a test connects to the call win over
 * them (they run last). */
#define COHORT_TYPE_STAGE (cohort_stage_get_type ())
G_DECLARE_FINAL_TYPE (CohortStage, cohort_stage, COHORT, STAGE, GtkWidget)

void                  cohort_stage_set_classroom   (CohortStage     *self,
                                                    CohortClassroom *classroom);
CohortClassroom      *cohort_stage_get_classroom   (CohortStage   *self);
void                  cohort_stage_set_placeholder (CohortStage   *self,
                                                    GtkWidget     *placeholder);
/* The big tile's paintable, or NULL: for tests. */
GtkWidget            *cohort_stage_get_main_tile   (CohortStage   *self);
/* The debug overlay of the link estimators' steps (a CohortLinkOverlay,
 * shown by the stateful action stage.link-overlay), for tests. */
GtkWidget            *cohort_stage_get_link_overlay (CohortStage *self);
/* The "Your connection is weak" strip (a GtkRevealer), for tests. */
GtkWidget            *cohort_stage_get_weak_link_bar (CohortStage *self);
/* The self view of @kind ("camera", "screen"). */
CohortVideoPaintable *cohort_stage_get_preview     (CohortStage   *self,
                                                    const char    *kind);
/* Does what pressing Share Screen does, when that button can be pressed
 * (it is shown and the screen is not shared yet); returns whether it
 * could. The window's win.share-screen action calls it. */
gboolean              cohort_stage_share_screen    (CohortStage   *self);
/* The overlay at the foot of the picture, where the class window shows
 * its toasts: above the stage controls and clear of the side panel. */
AdwToastOverlay      *cohort_stage_get_toast_overlay (CohortStage *self);
/* Stops showing the classroom (the window closes; the classroom's owner
 * ends the call). */
void                  cohort_stage_shutdown        (CohortStage   *self);

G_END_DECLS

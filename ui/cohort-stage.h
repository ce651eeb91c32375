/* cohort-stage.h: the class's live video (tiles, picture-in-picture, controls)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-media-call.h"
#include "cohort-session.h"
#include "cohort-video-paintable.h"

G_BEGIN_DECLS

/* Runs the class's CohortCall and shows it. Students see the teacher
 * large, or the teacher's screen large with the teacher's camera as a
 * picture-in-picture; students on stage as tiles below, with their own
 * preview. Without any video it shows its placeholder. Controls (mic,
 * camera, screen share, settings, leave stage) show for whoever may
 * publish. A student invited to the stage is asked first, with a choice
 * of camera and microphone, before anything is published.
 *
 * Actions (group "stage", also on the window): stage.invite (x
 * participant id), stage.remove (x), stage.leave, stage.preferences.
 *
 * It answers the call's request signals with real devices; handlers a
 * test connects to the call win over them (they run last). */
#define COHORT_TYPE_STAGE (cohort_stage_get_type ())
G_DECLARE_FINAL_TYPE (CohortStage, cohort_stage, COHORT, STAGE, GtkWidget)

void                  cohort_stage_set_session     (CohortStage   *self,
                                                    CohortSession *session);
CohortCall           *cohort_stage_get_call        (CohortStage   *self);
void                  cohort_stage_set_placeholder (CohortStage   *self,
                                                    GtkWidget     *placeholder);
/* The big tile's paintable, or NULL: for tests. */
GtkWidget            *cohort_stage_get_main_tile   (CohortStage   *self);
/* The self view of @kind ("camera", "screen"). */
CohortVideoPaintable *cohort_stage_get_preview     (CohortStage   *self,
                                                    const char    *kind);
/* The "stage" actions, for other windows (the presenter view). */
GActionGroup         *cohort_stage_get_action_group (CohortStage  *self);
/* Ends the screen share (the presenter view's Stop Sharing). */
void                  cohort_stage_stop_screen_share (CohortStage *self);
/* Ends every publication and the call (the window closes). */
void                  cohort_stage_shutdown        (CohortStage   *self);

G_END_DECLS

/* cohort-voice-panel.h: a study group's voice room on the Groups page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-groups.h"
#include "cohort-session.h"
#include "cohort-voice-room.h"

G_BEGIN_DECLS

/* Join Voice, who is in the room (a speaking mark on whoever talks), mute
 * and Leave, for the group in group-id (the student's own group, the
 * teacher's pick: bound to the group chat's). It owns the session's
 * CohortVoiceRoom, so closing the window leaves the room. Hidden while
 * group-id is 0. Properties: group-id (read-write), room (the
 * CohortVoiceRoom, NULL before a session). */
#define COHORT_TYPE_VOICE_PANEL (cohort_voice_panel_get_type ())
G_DECLARE_FINAL_TYPE (CohortVoicePanel, cohort_voice_panel, COHORT, VOICE_PANEL, GtkWidget)

void             cohort_voice_panel_set_session (CohortVoicePanel *self,
                                                 CohortSession    *session);
/* The same for @groups' session; the teacher also gets every group's
 * room (who is in it, who talks) with Drop In. */
void             cohort_voice_panel_set_groups  (CohortVoicePanel *self,
                                                 CohortGroups     *groups);
CohortVoiceRoom *cohort_voice_panel_get_room    (CohortVoicePanel *self);

G_END_DECLS

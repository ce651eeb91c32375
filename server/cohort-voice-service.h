/* cohort-voice-service.h: the study groups' voice rooms (Janus AudioBridge)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "cohort-media-service.h"
#include "cohort-server.h"
#include "cohort-service.h"

G_BEGIN_DECLS

#define COHORT_TYPE_VOICE_SERVICE (cohort_voice_service_get_type ())
G_DECLARE_FINAL_TYPE (CohortVoiceService, cohort_voice_service, COHORT, VOICE_SERVICE, CohortService)

/* Who is in group @group_id of @class_id: a GArray of gint64 participant
 * ids, or NULL when the class has no such group
 * (cohort_groups_service_resolve_members). */
typedef GArray *(*CohortVoiceMembersFunc) (CohortServer *server,
                                           gint64        class_id,
                                           gint64        group_id,
                                           gpointer      user_data);

/* The voice rooms live in @media's Janus (same launcher, session and
 * restarts); @media must outlive the service (the server owns both). */
CohortVoiceService *cohort_voice_service_new              (CohortServer           *server,
                                                           CohortMediaService     *media);
void                cohort_voice_service_set_members_func (CohortVoiceService     *self,
                                                           CohortVoiceMembersFunc  func,
                                                           gpointer                user_data);

G_END_DECLS

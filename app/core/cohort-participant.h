/* cohort-participant.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  COHORT_ROLE_STUDENT,
  COHORT_ROLE_TEACHER,
} CohortRole;

/* media: a student's own estimate of their link (media.link_quality),
 * which only the teacher hears. */
typedef enum
{
  COHORT_CONNECTION_QUALITY_GOOD,
  COHORT_CONNECTION_QUALITY_FAIR,
  COHORT_CONNECTION_QUALITY_POOR,
} CohortConnectionQuality;

#define COHORT_TYPE_PARTICIPANT (cohort_participant_get_type ())
G_DECLARE_FINAL_TYPE (CohortParticipant, cohort_participant, COHORT, PARTICIPANT, GObject)

/* Builds a participant from a validated protocol "participant" object. */
CohortParticipant *cohort_participant_new_from_json     (JsonObject        *object);
gint64             cohort_participant_get_id            (CohortParticipant *self);
const char        *cohort_participant_get_name          (CohortParticipant *self);
CohortRole         cohort_participant_get_role          (CohortParticipant *self);
gboolean           cohort_participant_get_online        (CohortParticipant *self);
void               cohort_participant_set_online        (CohortParticipant *self,
                                                         gboolean           online);
/* 0 when the hand is down; milliseconds since the epoch otherwise. */
gint64             cohort_participant_get_hand_raised_at (CohortParticipant *self);
void               cohort_participant_set_hand_raised_at (CohortParticipant *self,
                                                          gint64             raised_at);
gboolean           cohort_participant_get_hand_raised   (CohortParticipant *self);
gboolean           cohort_participant_get_is_self       (CohortParticipant *self);
void               cohort_participant_set_is_self       (CohortParticipant *self,
                                                         gboolean           is_self);
/* identity: waiting for the teacher to admit them ("admission": "waiting"). */
gboolean           cohort_participant_get_waiting       (CohortParticipant *self);
void               cohort_participant_set_waiting       (CohortParticipant *self,
                                                         gboolean           waiting);
/* media: GOOD until the student reports otherwise, and again once they
 * leave. */
CohortConnectionQuality cohort_participant_get_connection_quality (CohortParticipant      *self);
void                    cohort_participant_set_connection_quality (CohortParticipant      *self,
                                                                   CohortConnectionQuality quality);
/* media: the teacher keeps this student's microphone muted; they may
 * not turn it on until the teacher lets them. */
gboolean           cohort_participant_get_kept_muted    (CohortParticipant *self);
void               cohort_participant_set_kept_muted    (CohortParticipant *self,
                                                         gboolean           kept_muted);

G_END_DECLS

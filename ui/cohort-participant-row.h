/* cohort-participant-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cohort-participant.h"

G_BEGIN_DECLS

#define COHORT_TYPE_PARTICIPANT_ROW (cohort_participant_row_get_type ())
G_DECLARE_FINAL_TYPE (CohortParticipantRow, cohort_participant_row, COHORT, PARTICIPANT_ROW, GtkWidget)

CohortParticipant *cohort_participant_row_get_participant (CohortParticipantRow *self);
void               cohort_participant_row_set_participant (CohortParticipantRow *self,
                                                           CohortParticipant    *participant);

G_END_DECLS

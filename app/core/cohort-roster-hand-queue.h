/* cohort-roster-hand-queue.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cohort-participant.h"

G_BEGIN_DECLS

/* A GListModel of the CohortParticipants whose hand is up, ordered by
 * hand-raised-at, then by id. It follows each watched participant's
 * hand-raised-at, so it stays right whoever changes it. */
#define COHORT_TYPE_HAND_QUEUE (cohort_hand_queue_get_type ())
G_DECLARE_FINAL_TYPE (CohortHandQueue, cohort_hand_queue, COHORT, HAND_QUEUE, GObject)

CohortHandQueue *cohort_hand_queue_new     (void);
/* Starts following @participant (it is listed while its hand is up). */
void             cohort_hand_queue_watch   (CohortHandQueue   *self,
                                            CohortParticipant *participant);
void             cohort_hand_queue_unwatch (CohortHandQueue   *self,
                                            CohortParticipant *participant);
void             cohort_hand_queue_clear   (CohortHandQueue   *self);

G_END_DECLS

/* cohort-roster.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "cohort-participant.h"

G_BEGIN_DECLS

/* A GListModel of CohortParticipant: the teacher first, then students in
 * the order they joined. It is also the reducer for roster and hand events,
 * so it can be tested without a socket. Main thread only. */
#define COHORT_TYPE_ROSTER (cohort_roster_get_type ())
G_DECLARE_FINAL_TYPE (CohortRoster, cohort_roster, COHORT, ROSTER, GObject)

CohortRoster      *cohort_roster_new            (void);
/* Replaces the whole roster with the protocol's "participants" array. */
void               cohort_roster_reset          (CohortRoster *self,
                                                 JsonArray    *participants,
                                                 gint64        self_id);
/* Applies one validated event; returns FALSE for events it does not handle. */
gboolean           cohort_roster_apply_event    (CohortRoster *self,
                                                 const char   *event,
                                                 JsonObject   *body);
CohortParticipant *cohort_roster_lookup         (CohortRoster *self,
                                                 gint64        id);
/* A GListModel of the participants whose hand is up, ordered by the time
 * they raised it (then by id). Owned by the roster. */
GListModel        *cohort_roster_get_hands      (CohortRoster *self);
guint              cohort_roster_get_n_online   (CohortRoster *self);
/* The id passed to the last cohort_roster_reset(), 0 if none. */
gint64             cohort_roster_get_self_id    (CohortRoster *self);

G_END_DECLS

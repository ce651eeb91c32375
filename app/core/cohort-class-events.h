/* cohort-class-events.h: the class's own events, typed, for windows to announce
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-session.h"

G_BEGIN_DECLS

/* Follows a CohortSession's event-received and re-emits the class's own
 * events (after the roster applied them) with typed arguments, so that
 * ui/ reads no wire JSON. A body without what a signal needs is dropped.
 *
 * Signals:
 *   participant-joined (gint64 id, const char *name)
 *   participant-waiting (gint64 id, const char *name)
 *   hand-raised (gint64 participant_id)
 *   hand-lowered (gint64 participant_id, gint64 by: who lowered it)
 *   all-hands-lowered (gint64 by) */
#define COHORT_TYPE_CLASS_EVENTS (cohort_class_events_get_type ())
G_DECLARE_FINAL_TYPE (CohortClassEvents, cohort_class_events, COHORT, CLASS_EVENTS, GObject)

CohortClassEvents *cohort_class_events_new         (CohortSession     *session);
CohortSession     *cohort_class_events_get_session (CohortClassEvents *self);

G_END_DECLS

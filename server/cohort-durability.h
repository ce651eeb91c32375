/* cohort-durability.h: frames held until what they tell is durable
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _CohortConnection CohortConnection;

/* On several nodes (docs/architecture-scale.md) a commit is durable only
 * once PostgreSQL has it, a round trip after SQLite's commit. Each such
 * commit takes a ticket; a connection that sends while a ticket is
 * outstanding holds its frames (in order) until that ticket is
 * acknowledged, so nothing is sent before it is stored, and the main loop
 * never waits. Tickets are acknowledged or failed in order. */
#define COHORT_TYPE_DURABILITY (cohort_durability_get_type ())
G_DECLARE_FINAL_TYPE (CohortDurability, cohort_durability, COHORT, DURABILITY, GObject)

CohortDurability *cohort_durability_new         (void);
guint64           cohort_durability_issue       (CohortDurability *self);
/* The newest ticket not yet acknowledged, or 0 when none is. */
guint64           cohort_durability_get_pending (CohortDurability *self);
/* @conn started holding frames. */
void              cohort_durability_track       (CohortDurability *self,
                                                 CohortConnection *conn);
/* Sends what @ticket and the tickets before it held. */
void              cohort_durability_ack         (CohortDurability *self,
                                                 guint64           ticket);
/* @ticket was not stored: its frames must never go out. Every connection
 * holding frames loses them and is closed (the clients resume and resend
 * from their outbox, which is safe: only stored replies are kept). */
void              cohort_durability_fail        (CohortDurability *self,
                                                 guint64           ticket);

G_END_DECLS

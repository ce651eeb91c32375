/* cohort-scale.h: a node of a multi-node server on PostgreSQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-server.h"
#include "cohort-store.h"

G_BEGIN_DECLS

/* The multi-node mode (docs/architecture-scale.md): PostgreSQL holds the
 * shared state; this node serves the classes it leases from a SQLite
 * working copy, ships every commit to PostgreSQL under the class's lease
 * epoch (fencing), holds replies and events until PostgreSQL has them,
 * sends clients of another node's class there (`moved`), and takes over
 * and loads a class whose lease expired. */
#define COHORT_TYPE_SCALE (cohort_scale_get_type ())
G_DECLARE_FINAL_TYPE (CohortScale, cohort_scale, COHORT, SCALE, GObject)

/* TRUE if @database names a PostgreSQL database (postgresql:// or
 * postgres://) rather than a SQLite file. */
gboolean     cohort_scale_is_database_url (const char   *database);

/* Connects (blocking), migrates, registers this node and makes its
 * working copy. Until cohort_scale_attach(), commits are shipped with
 * blocking calls (the admin commands); a class created then is claimed
 * with a lease that has already expired, so any node takes it. */
CohortScale *cohort_scale_open            (const char   *conninfo,
                                           guint         lease_seconds,
                                           GError      **error);
/* The working copy, for the server and the admin commands. */
CohortStore *cohort_scale_get_store       (CohortScale  *self);
/* A blocking ship that failed since the last call (admin commands). */
gboolean     cohort_scale_check           (CohortScale  *self,
                                           GError      **error);
/* Serving: from now on the node answers at @address (the ws:// URL a
 * `moved` reply names), talks to PostgreSQL without blocking, renews its
 * leases and routes the joins and resumes of @server. */
gboolean     cohort_scale_attach          (CohortScale  *self,
                                           CohortServer *server,
                                           const char   *address,
                                           GError      **error);

/* Stops recording and shipping; before the store is closed (the SQLite
 * session must go before its database). */
void         cohort_scale_stop            (CohortScale  *self);

G_END_DECLS

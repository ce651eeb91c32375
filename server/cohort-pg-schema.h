/* cohort-pg-schema.h: the PostgreSQL tables of the multi-node mode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-pg.h"

G_BEGIN_DECLS

/* Runs the migrations the database has not seen yet (blocking, at
 * start-up), under an advisory lock so that nodes starting together
 * migrate once. */
gboolean cohort_pg_schema_migrate (CohortPg  *pg,
                                   GError   **error);

G_END_DECLS

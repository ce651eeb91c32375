/* cohort-assembly.h: the server with its feature services
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-server.h"
#include "cohort-store.h"

G_BEGIN_DECLS

CohortServer *cohort_assembly_new_server (CohortStore *store);

G_END_DECLS

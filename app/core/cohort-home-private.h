/* cohort-home-private.h: what the home model does to its entries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-home-entry.h"

G_BEGIN_DECLS

/* A home reply (docs/protocol-home.md) read defensively; FALSE (nothing
 * applied) when it is not one. The status becomes READY. */
gboolean _cohort_home_entry_apply      (CohortHomeEntry  *self,
                                        JsonObject       *body);
void     _cohort_home_entry_set_status (CohortHomeEntry  *self,
                                        CohortHomeStatus  status,
                                        const char       *error_message);
void     _cohort_home_entry_set_token  (CohortHomeEntry  *self,
                                        const char       *token);

G_END_DECLS

/* cohort-staff-admin.h: the staff account commands of cohort-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-store.h"

G_BEGIN_DECLS

/* --add-staff NAME: prints {"staff_id", "name", "credential"} as one JSON
 * line; the credential is shown this once and stored only as a hash. */
gboolean cohort_staff_admin_add     (CohortStore  *store,
                                     const char   *name,
                                     GError      **error);
/* --revoke-staff NAME|ID */
gboolean cohort_staff_admin_revoke  (CohortStore  *store,
                                     const char   *name_or_id,
                                     GError      **error);
/* --list-staff: one JSON line per account, no secrets. */
gboolean cohort_staff_admin_list    (CohortStore  *store,
                                     GError      **error);
/* Logs the "no staff yet" line when nobody can start a class. */
void     cohort_staff_admin_check   (CohortStore  *store);

G_END_DECLS

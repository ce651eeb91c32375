/* cohort-roster-codes-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include "cohort-session-class.h"

G_BEGIN_DECLS

#define COHORT_TYPE_ROSTER_CODES_DIALOG (cohort_roster_codes_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CohortRosterCodesDialog, cohort_roster_codes_dialog, COHORT, ROSTER_CODES_DIALOG, AdwWindow)

/* Shows the personal codes of a roster import once, with their join links
 * (cohort://join?server=…&code=…), Copy, and Export CSV. @codes holds
 * CohortRosterCode (cohort_session_import_roster_finish). */
CohortRosterCodesDialog *cohort_roster_codes_dialog_new       (GtkWindow               *parent,
                                                               const char              *server_url,
                                                               GPtrArray               *codes);
guint                    cohort_roster_codes_dialog_get_n_codes (CohortRosterCodesDialog *self);
/* "name,number,code,link" lines with a header, as Export CSV writes them. */
char                    *cohort_roster_codes_dialog_to_csv    (CohortRosterCodesDialog *self);
/* cohort://join?server=@server_url&code=@code, both escaped. */
char                    *cohort_join_link_new                 (const char              *server_url,
                                                               const char              *code);

G_END_DECLS

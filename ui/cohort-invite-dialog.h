/* cohort-invite-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define COHORT_TYPE_INVITE_DIALOG (cohort_invite_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CohortInviteDialog, cohort_invite_dialog, COHORT, INVITE_DIALOG, AdwWindow)

/* Everything a student needs to join: a QR code of the class's
 * cohort://join link, the link, the server's address and the class code,
 * each with Copy. */
CohortInviteDialog *cohort_invite_dialog_new      (GtkWindow          *parent,
                                                   const char         *server_url,
                                                   const char         *code);
const char         *cohort_invite_dialog_get_link (CohortInviteDialog *self);

G_END_DECLS

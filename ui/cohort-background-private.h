/* cohort-background-private.h: what the tests of CohortBackground reach
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-background.h"

G_BEGIN_DECLS

/* Takes the Background portal's path (@sandboxed) or the autostart
 * file's from now on, whatever libportal says of the process: a test is
 * not sandboxed, yet checks what the app asks the portal (against a
 * stand-in on its private bus). Without libportal there is no portal
 * path and this changes nothing. */
void _cohort_background_set_sandboxed (CohortBackground *self,
                                      gboolean          sandboxed);

G_END_DECLS

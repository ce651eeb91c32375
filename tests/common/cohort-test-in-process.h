/* cohort-test-in-process.h: a CohortServer in the test's own process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-server.h"
#include "cohort-store.h"

G_BEGIN_DECLS

/* Makes @server (built on @store) listen on 127.0.0.1 on an ephemeral
 * port, adds a staff account to @store and registers it for the server's
 * URL (cohort_test_staff_register()), so that the shared helpers create
 * classes there; returns the ws://…/ws URL. Asserts that it worked. */
char *cohort_test_in_process_listen (CohortServer *server,
                                     CohortStore  *store);

G_END_DECLS

/* cohort-test-in-process.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-secret.h"
#include "cohort-test-in-process.h"
#include "cohort-test-server.h"

char *
cohort_test_in_process_listen (CohortServer *server,
                               CohortStore  *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *credential = cohort_secret_new (&error);
  g_autofree char *hash = cohort_secret_hash (credential);
  g_autofree char *url = NULL;
  guint port = 0;

  g_assert_true (cohort_server_listen (server, "127.0.0.1", 0, &port, &error));
  g_assert_no_error (error);
  url = g_strdup_printf ("ws://127.0.0.1:%u/ws", port);

  g_assert_true (cohort_store_begin (store, &error));
  g_assert_cmpint (cohort_store_staff_add (store, "Test staff", hash, 1, &error), >, 0);
  g_assert_true (cohort_store_commit (store, &error));
  g_assert_no_error (error);
  cohort_test_staff_register (url, credential);
  return g_steal_pointer (&url);
}

/* cohort-test-session.h: class set-up for the tests of the client models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-session.h"

G_BEGIN_DECLS

/* Creates the class @title on @url with @session, as the staff account of
 * the test server there (cohort_test_staff_lookup()) and without a waiting
 * room; asserts that it worked. Models made on @session before the call
 * are fed by the welcome. */
void           cohort_test_session_create_class_with (CohortSession *session,
                                                      const char    *url,
                                                      const char    *title,
                                                      const char    *name);
/* The same on a new session. */
CohortSession *cohort_test_session_create_class      (const char    *url,
                                                      const char    *title,
                                                      const char    *name);
/* Joins the class @code as the student @name with @session; asserts that
 * it worked. */
void           cohort_test_session_join_with         (CohortSession *session,
                                                      const char    *url,
                                                      const char    *code,
                                                      const char    *name);
/* The same on a new session, in @teacher's class. */
CohortSession *cohort_test_session_join              (const char    *url,
                                                      CohortSession *teacher,
                                                      const char    *name);
/* cohort_session_request_async() and its finish: the reply body, or NULL
 * with @error set. */
JsonObject    *cohort_test_session_request           (CohortSession *session,
                                                      const char    *type,
                                                      JsonObject    *body,
                                                      GError       **error);
/* A new session on @session's token at @url, as the app makes when a
 * kept class is opened again (a snapshot resume); asserts that it worked. */
CohortSession *cohort_test_session_reopen            (const char    *url,
                                                      CohortSession *session);

G_END_DECLS

/* cohort-test-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

/* Creates the class @title, or joins the class @code, as @name; asserts
 * that it worked. */
static void
enter_class (CohortSession *session,
             const char    *url,
             const char    *title,
             const char    *code,
             const char    *name)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gboolean entered;

  if (title != NULL)
    cohort_session_create_class_async (session, url, title, name, cohort_test_staff_lookup (url),
                                       NULL, cohort_test_on_result, &result);
  else
    cohort_session_join_async (session, url, code, name, NULL, NULL, cohort_test_on_result,
                               &result);
  cohort_test_wait_result (&result);
  if (title != NULL)
    entered = cohort_session_create_class_finish (session, result, &error);
  else
    entered = cohort_session_join_finish (session, result, &error);
  g_assert_true (entered);
  g_assert_no_error (error);
}

void
cohort_test_session_create_class_with (CohortSession *session,
                                       const char    *url,
                                       const char    *title,
                                       const char    *name)
{
  /* identity: without a waiting room, so that students join at once. */
  g_object_set (session, "create-waiting-room", FALSE, NULL);
  enter_class (session, url, title, NULL, name);
}

CohortSession *
cohort_test_session_create_class (const char *url,
                                  const char *title,
                                  const char *name)
{
  g_autoptr(CohortSession) session = cohort_session_new ();

  cohort_test_session_create_class_with (session, url, title, name);
  return g_steal_pointer (&session);
}

void
cohort_test_session_join_with (CohortSession *session,
                               const char    *url,
                               const char    *code,
                               const char    *name)
{
  enter_class (session, url, NULL, code, name);
}

CohortSession *
cohort_test_session_join (const char    *url,
                          CohortSession *teacher,
                          const char    *name)
{
  g_autoptr(CohortSession) session = cohort_session_new ();

  cohort_test_session_join_with (session, url, cohort_session_get_class_code (teacher), name);
  return g_steal_pointer (&session);
}

JsonObject *
cohort_test_session_request (CohortSession *session,
                             const char    *type,
                             JsonObject    *body,
                             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  cohort_session_request_async (session, type, body, NULL, cohort_test_on_result, &result);
  cohort_test_wait_result (&result);
  return cohort_session_request_finish (session, result, error);
}

CohortSession *
cohort_test_session_reopen (const char    *url,
                            CohortSession *session)
{
  CohortSession *again = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cohort_session_resume_async (again, url, cohort_session_get_token (session), NULL, cohort_test_on_result,
                               &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_session_resume_finish (again, result, &error));
  g_assert_no_error (error);
  return again;
}

/* cohort-test-wait.h: waiting on a condition, and collecting async results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How long a test waits for the server or a model unless it says otherwise. */
#define COHORT_TEST_TIMEOUT_MS 10000

/* COHORT_TEST_TIMEOUT_SCALE (1 to 20; 1 when unset): the factor by which
 * the sanitizer pass of build-aux/run-tests.sh stretches every deadline. */
guint    cohort_test_timeout_scale   (void);
/* @timeout_ms times the scale. */
guint    cohort_test_scaled_ms       (guint          timeout_ms);

/* One wait on the thread-default main context; COHORT_TEST_WAIT_UNTIL()
 * is what tests use. */
typedef struct
{
  GSource  *timeout;
  gboolean  timed_out;
} CohortTestWait;

void     cohort_test_wait_begin      (CohortTestWait *wait,
                                      guint           timeout_ms);
/* Iterates the context once (blocking); FALSE once the deadline passed. */
gboolean cohort_test_wait_iterate    (CohortTestWait *wait);
void     cohort_test_wait_end        (CohortTestWait *wait);

/* Iterates the thread-default main context until @cond holds; fails the
 * test, naming @cond, when @ms milliseconds (scaled) pass first. */
#define COHORT_TEST_WAIT_UNTIL_MS(cond, ms)                                    \
  G_STMT_START {                                                               \
    CohortTestWait wait_;                                                      \
    cohort_test_wait_begin (&wait_, (ms));                                     \
    while (!(cond) && cohort_test_wait_iterate (&wait_))                       \
      ;                                                                        \
    cohort_test_wait_end (&wait_);                                             \
    if (!(cond))                                                               \
      g_error ("Timed out waiting for %s", #cond);                             \
  } G_STMT_END

/* The same with COHORT_TEST_TIMEOUT_MS. */
#define COHORT_TEST_WAIT_UNTIL(cond) COHORT_TEST_WAIT_UNTIL_MS (cond, COHORT_TEST_TIMEOUT_MS)

/* Iterates until @condition (@data) holds or @timeout_ms (scaled) pass;
 * returns the condition's last value. */
gboolean cohort_test_wait_for        (GSourceFunc     condition,
                                      gpointer        data,
                                      guint           timeout_ms);

/* Iterates the thread-default main context for @ms: a quiet period in
 * which things may happen, not a deadline, so not scaled. */
void     cohort_test_iterate_for     (guint           ms);

/* A GAsyncReadyCallback whose @user_data is a GAsyncResult ** that starts
 * NULL: it stores a reference to the result there. */
void     cohort_test_on_result       (GObject        *source,
                                      GAsyncResult   *result,
                                      gpointer        user_data);
/* Waits (COHORT_TEST_TIMEOUT_MS, scaled) until cohort_test_on_result()
 * filled *@result, and returns it (still owned by *@result). */
GAsyncResult *cohort_test_wait_result (GAsyncResult **result);

G_END_DECLS

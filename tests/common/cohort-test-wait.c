/* cohort-test-wait.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-test-wait.h"

guint
cohort_test_timeout_scale (void)
{
  static guint scale;

  if (scale == 0)
    {
      const char *env = g_getenv ("COHORT_TEST_TIMEOUT_SCALE");
      guint64 value = env != NULL ? g_ascii_strtoull (env, NULL, 10) : 1;

      scale = CLAMP (value, 1, 20);
    }
  return scale;
}

guint
cohort_test_scaled_ms (guint timeout_ms)
{
  return timeout_ms * cohort_test_timeout_scale ();
}

static gboolean
on_timeout (gpointer data)
{
  CohortTestWait *wait = data;

  wait->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
cohort_test_wait_begin (CohortTestWait *wait,
                        guint           timeout_ms)
{
  wait->timed_out = FALSE;
  wait->timeout = g_timeout_source_new (cohort_test_scaled_ms (timeout_ms));
  g_source_set_callback (wait->timeout, on_timeout, wait, NULL);
  g_source_attach (wait->timeout, g_main_context_get_thread_default ());
}

gboolean
cohort_test_wait_iterate (CohortTestWait *wait)
{
  if (wait->timed_out)
    return FALSE;
  g_main_context_iteration (g_main_context_get_thread_default (), TRUE);
  return !wait->timed_out;
}

void
cohort_test_wait_end (CohortTestWait *wait)
{
  /* Destroying a source that already fired is harmless; it stops one
   * that did not from firing into a stack frame that is gone. */
  g_source_destroy (wait->timeout);
  g_clear_pointer (&wait->timeout, g_source_unref);
}

gboolean
cohort_test_wait_for (GSourceFunc condition,
                      gpointer    data,
                      guint       timeout_ms)
{
  CohortTestWait wait;

  cohort_test_wait_begin (&wait, timeout_ms);
  while (!condition (data) && cohort_test_wait_iterate (&wait))
    ;
  cohort_test_wait_end (&wait);

  return condition (data);
}

static gboolean
on_quiet_over (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
cohort_test_iterate_for (guint ms)
{
  GMainContext *context = g_main_context_get_thread_default ();
  g_autoptr(GSource) source = g_timeout_source_new (ms);
  gboolean over = FALSE;

  g_source_set_callback (source, on_quiet_over, &over, NULL);
  g_source_attach (source, context);
  while (!over)
    g_main_context_iteration (context, TRUE);
}

void
cohort_test_on_result (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

GAsyncResult *
cohort_test_wait_result (GAsyncResult **result)
{
  COHORT_TEST_WAIT_UNTIL (*result != NULL);
  return *result;
}

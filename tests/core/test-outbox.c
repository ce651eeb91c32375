/* test-outbox.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-session-outbox.h"

typedef struct
{
  guint       n_done;
  JsonObject *body;
  GError     *error;
} Result;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Result *r = user_data;

  r->n_done++;
  g_clear_pointer (&r->body, json_object_unref);
  g_clear_error (&r->error);
  r->body = g_task_propagate_pointer (G_TASK (result), &r->error);
}

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->body, json_object_unref);
  g_clear_error (&r->error);
}

/* Asserts that each of the @n results finished once, failing with @code,
 * and clears it. */
static void
assert_failed_and_clear (Result       *r,
                         guint         n,
                         GIOErrorEnum  code)
{
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (r[i].n_done, ==, 1);
      g_assert_error (r[i].error, G_IO_ERROR, (int) code);
      result_clear (&r[i]);
    }
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GTask *
new_task (Result *r)
{
  return g_task_new (NULL, NULL, on_done, r);
}

static void
test_order_and_resend (void)
{
  g_autoptr(CohortOutbox) outbox = cohort_outbox_new ();
  const char *ids[] = { "a", "b", "c" };
  Result r[3] = { { 0 } };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GTask) task = new_task (&r[i]);
      g_assert_nonnull (cohort_outbox_push (outbox, ids[i], "hand.raise", NULL, task));
    }

  g_assert_cmpuint (cohort_outbox_get_n_items (outbox), ==, 3);
  g_assert_cmpuint (cohort_outbox_get_n_unsent (outbox), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (cohort_outbox_get_nth (outbox, i)->id, ==, ids[i]);
  g_assert_null (cohort_outbox_get_nth (outbox, 3));

  g_assert_true (cohort_outbox_mark_sent (outbox, "a"));
  g_assert_true (cohort_outbox_mark_sent (outbox, "b"));
  g_assert_false (cohort_outbox_mark_sent (outbox, "zzz"));
  g_assert_cmpuint (cohort_outbox_get_n_unsent (outbox), ==, 1);

  /* A reconnect: everything goes out again, in the original order and with
   * the original ids. */
  cohort_outbox_mark_all_unsent (outbox);
  g_assert_cmpuint (cohort_outbox_get_n_unsent (outbox), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      const CohortOutboxEntry *entry = cohort_outbox_get_nth (outbox, i);

      g_assert_cmpstr (entry->id, ==, ids[i]);
      g_assert_cmpstr (entry->type, ==, "hand.raise");
      g_assert_nonnull (entry->body);
      g_assert_false (entry->sent);
    }

  cohort_outbox_cancel_all (outbox, &(GError) { G_IO_ERROR, G_IO_ERROR_CANCELLED, (char *) "x" });
  drain ();
  for (guint i = 0; i < 3; i++)
    result_clear (&r[i]);
}

static void
test_ack (void)
{
  g_autoptr(CohortOutbox) outbox = cohort_outbox_new ();
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autoptr(GError) error = NULL;
  Result r1 = { 0 }, r2 = { 0 };
  g_autoptr(GTask) t1 = new_task (&r1);
  g_autoptr(GTask) t2 = new_task (&r2);

  json_object_set_int_member (body, "participant_id", 3);
  cohort_outbox_push (outbox, "one", "hand.lower", body, t1);
  cohort_outbox_push (outbox, "two", "hand.raise", NULL, t2);
  g_assert_true (cohort_outbox_lookup (outbox, "one")->body == body);

  json_object_set_int_member (reply, "raised_at", 1234);
  g_assert_true (cohort_outbox_complete (outbox, "two", reply, NULL));
  drain ();
  g_assert_cmpuint (r2.n_done, ==, 1);
  g_assert_no_error (r2.error);
  g_assert_cmpint (json_object_get_int_member (r2.body, "raised_at"), ==, 1234);
  g_assert_cmpuint (cohort_outbox_get_n_items (outbox), ==, 1);
  g_assert_cmpstr (cohort_outbox_get_nth (outbox, 0)->id, ==, "one");

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "No");
  g_assert_true (cohort_outbox_complete (outbox, "one", NULL, error));
  drain ();
  g_assert_cmpuint (r1.n_done, ==, 1);
  g_assert_error (r1.error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_cmpuint (cohort_outbox_get_n_items (outbox), ==, 0);

  result_clear (&r1);
  result_clear (&r2);
}

static void
test_duplicate_replies (void)
{
  g_autoptr(CohortOutbox) outbox = cohort_outbox_new ();
  Result r = { 0 };
  g_autoptr(GTask) task = new_task (&r);

  cohort_outbox_push (outbox, "dup", "hand.raise", NULL, task);
  g_assert_true (cohort_outbox_complete (outbox, "dup", NULL, NULL));
  /* The same reply again (a resend crossed the first reply), a reply to a
   * request never made, and one without an id: all ignored. */
  g_assert_false (cohort_outbox_complete (outbox, "dup", NULL, NULL));
  g_assert_false (cohort_outbox_complete (outbox, "never", NULL, NULL));
  g_assert_false (cohort_outbox_complete (outbox, NULL, NULL, NULL));
  drain ();

  g_assert_cmpuint (r.n_done, ==, 1);
  g_assert_no_error (r.error);
  g_assert_nonnull (r.body);
  result_clear (&r);
}

static void
push_from_callback (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CohortOutbox *outbox = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_null (g_task_propagate_pointer (G_TASK (result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cohort_outbox_push (outbox, "late", "hand.raise", NULL, NULL);
}

static void
test_cancel_all (void)
{
  g_autoptr(CohortOutbox) outbox = cohort_outbox_new ();
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "You left.");
  Result r[2] = { { 0 } };

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *id = g_strdup_printf ("id-%u", i);
      g_autoptr(GTask) task = new_task (&r[i]);

      cohort_outbox_push (outbox, id, "hand.raise", NULL, task);
    }

  cohort_outbox_cancel_all (outbox, error);
  g_assert_cmpuint (cohort_outbox_get_n_items (outbox), ==, 0);
  drain ();

  assert_failed_and_clear (r, 2, G_IO_ERROR_CANCELLED);

  /* A late reply after the cancel changes nothing. */
  g_assert_false (cohort_outbox_complete (outbox, "id-0", NULL, NULL));

  /* A callback that pushes while the outbox is being cancelled is safe. */
  {
    g_autoptr(GTask) task = g_task_new (NULL, NULL, push_from_callback, outbox);

    cohort_outbox_push (outbox, "first", "hand.raise", NULL, task);
    cohort_outbox_cancel_all (outbox, error);
    drain ();
    g_assert_cmpuint (cohort_outbox_get_n_items (outbox), ==, 1);
    g_assert_cmpstr (cohort_outbox_get_nth (outbox, 0)->id, ==, "late");
  }
}

/* Requests older than the cut-off fail and leave; newer ones stay, in
 * order. A request ever sent has a cut-off of its own, even after a
 * disconnect marked it unsent again. */
static void
test_expire (void)
{
  g_autoptr(CohortOutbox) outbox = cohort_outbox_new ();
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "Too old.");
  Result r[4] = { { 0 } };
  gint64 cut = 0;

  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *id = g_strdup_printf ("id-%u", i);
      g_autoptr(GTask) task = new_task (&r[i]);

      if (i == 3)
        {
          g_usleep (2000);
          cut = g_get_real_time ();
        }
      cohort_outbox_push (outbox, id, "hand.raise", NULL, task);
    }
  /* id-1 went out once; the connection dropped. */
  cohort_outbox_mark_sent (outbox, "id-1");
  cohort_outbox_mark_all_unsent (outbox);
  g_assert_true (cohort_outbox_get_nth (outbox, 1)->ever_sent);

  g_assert_cmpuint (cohort_outbox_expire (outbox, cohort_outbox_get_nth (outbox, 0)->queued_at,
                                          cohort_outbox_get_nth (outbox, 0)->queued_at, error), ==, 0);
  /* Only the never-sent old ones go. */
  g_assert_cmpuint (cohort_outbox_expire (outbox, cut, 0, error), ==, 2);
  g_assert_cmpuint (cohort_outbox_get_n_items (outbox), ==, 2);
  g_assert_cmpstr (cohort_outbox_get_nth (outbox, 0)->id, ==, "id-1");
  g_assert_cmpstr (cohort_outbox_get_nth (outbox, 1)->id, ==, "id-3");
  /* Then the sent one, at its own cut-off. */
  g_assert_cmpuint (cohort_outbox_expire (outbox, 0, cut, error), ==, 1);
  g_assert_cmpuint (cohort_outbox_get_n_items (outbox), ==, 1);
  drain ();

  assert_failed_and_clear (r, 3, G_IO_ERROR_TIMED_OUT);
  g_assert_cmpuint (r[3].n_done, ==, 0);
  /* A late reply to an expired one is a duplicate now. */
  g_assert_false (cohort_outbox_complete (outbox, "id-0", NULL, NULL));
  g_assert_true (cohort_outbox_complete (outbox, "id-3", NULL, NULL));
  drain ();
  g_assert_cmpuint (r[3].n_done, ==, 1);
  result_clear (&r[3]);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/outbox/order-and-resend", test_order_and_resend);
  g_test_add_func ("/cohort/outbox/ack", test_ack);
  g_test_add_func ("/cohort/outbox/duplicate-replies", test_duplicate_replies);
  g_test_add_func ("/cohort/outbox/cancel-all", test_cancel_all);
  g_test_add_func ("/cohort/outbox/expire", test_expire);

  return g_test_run ();
}

/* test-notice-queue.c: the class's notices come in order of importance, chatter summarised
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-object.h>

#include "cohort-notice-queue.h"

/* Pops the next notice, asserting there is one of @kind saying @text. */
static void
assert_pop (CohortNoticeQueue *queue,
            CohortNoticeKind   kind,
            const char        *text,
            guint              count)
{
  g_autofree char *got_text = NULL;
  CohortNoticeKind got_kind;
  guint got_count;

  g_assert_true (cohort_notice_queue_pop (queue, &got_kind, &got_text, &got_count));
  g_assert_cmpstr (got_text, ==, text);
  g_assert_cmpint (got_kind, ==, kind);
  g_assert_cmpuint (got_count, ==, count);
}

static void
on_n_pending (GObject    *object,
              GParamSpec *pspec,
              guint      *n_notifies)
{
  (*n_notifies)++;
}

/* 40 joins are one notice, however many arrive while it waits. */
static void
test_joins_summarised (void)
{
  g_autoptr(CohortNoticeQueue) queue = cohort_notice_queue_new ();
  guint n_notifies = 0;

  g_signal_connect (queue, "notify::n-pending", G_CALLBACK (on_n_pending), &n_notifies);

  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *text = g_strdup_printf ("Student %u joined", i);

      cohort_notice_queue_push (queue, COHORT_NOTICE_JOINED, text);
    }
  g_assert_cmpuint (cohort_notice_queue_get_n_pending (queue), ==, 1);
  g_assert_cmpuint (n_notifies, ==, 1);

  assert_pop (queue, COHORT_NOTICE_JOINED, "40 students joined", 40);
  g_assert_cmpuint (cohort_notice_queue_get_n_pending (queue), ==, 0);
  g_assert_false (cohort_notice_queue_pop (queue, NULL, NULL, NULL));

  /* After the summary is shown, the next join starts a new one; alone,
   * it names who joined. */
  cohort_notice_queue_push (queue, COHORT_NOTICE_JOINED, "Lin joined");
  assert_pop (queue, COHORT_NOTICE_JOINED, "Lin joined", 1);
}

static void
test_badges_and_hands_summarised (void)
{
  g_autoptr(CohortNoticeQueue) queue = cohort_notice_queue_new ();

  cohort_notice_queue_push (queue, COHORT_NOTICE_BADGE, "Sam earned Week Streak");
  cohort_notice_queue_push (queue, COHORT_NOTICE_HAND, "Sam raised their hand");
  cohort_notice_queue_push (queue, COHORT_NOTICE_BADGE, "Lin earned Perfect Quiz");
  cohort_notice_queue_push (queue, COHORT_NOTICE_BADGE, "Mei earned Deep Study");
  cohort_notice_queue_push (queue, COHORT_NOTICE_HAND, "Lin raised their hand");
  g_assert_cmpuint (cohort_notice_queue_get_n_pending (queue), ==, 2);

  cohort_notice_queue_push (queue, COHORT_NOTICE_WAITING, "Ann is waiting to join");
  cohort_notice_queue_push (queue, COHORT_NOTICE_WAITING, "Bo is waiting to join");

  /* Hands need the teacher: they come before the waiting room, and
   * that before the badges. */
  assert_pop (queue, COHORT_NOTICE_HAND, "2 students raised their hands", 2);
  assert_pop (queue, COHORT_NOTICE_WAITING, "2 students are waiting to join", 2);
  assert_pop (queue, COHORT_NOTICE_BADGE, "3 badges earned", 3);
}

/* "New question" never waits behind "… joined". */
static void
test_priorities (void)
{
  g_autoptr(CohortNoticeQueue) queue = cohort_notice_queue_new ();

  cohort_notice_queue_push (queue, COHORT_NOTICE_JOINED, "Sam joined");
  cohort_notice_queue_push (queue, COHORT_NOTICE_INFO, "Class code copied");
  cohort_notice_queue_push (queue, COHORT_NOTICE_BADGE, "Sam earned Week Streak");
  cohort_notice_queue_push (queue, COHORT_NOTICE_JOINED, "Lin joined");
  cohort_notice_queue_push (queue, COHORT_NOTICE_INFO, "Connected again");
  g_assert_cmpint (cohort_notice_queue_get_top_priority (queue), ==, COHORT_NOTICE_PRIORITY_NORMAL);
  cohort_notice_queue_push (queue, COHORT_NOTICE_ACTION, "New question: 1 + 1?");
  cohort_notice_queue_push (queue, COHORT_NOTICE_ACTION, "The teacher invites you to the stage");
  g_assert_cmpint (cohort_notice_queue_get_top_priority (queue), ==, COHORT_NOTICE_PRIORITY_URGENT);
  g_assert_cmpuint (cohort_notice_queue_get_n_pending (queue), ==, 6);

  /* Urgent first, then normal, then chatter; each in arrival order, a
   * summary in the place of its first notice. */
  assert_pop (queue, COHORT_NOTICE_ACTION, "New question: 1 + 1?", 1);
  assert_pop (queue, COHORT_NOTICE_ACTION, "The teacher invites you to the stage", 1);
  assert_pop (queue, COHORT_NOTICE_INFO, "Class code copied", 1);
  assert_pop (queue, COHORT_NOTICE_INFO, "Connected again", 1);
  g_assert_cmpint (cohort_notice_queue_get_top_priority (queue), ==, COHORT_NOTICE_PRIORITY_CHATTER);
  assert_pop (queue, COHORT_NOTICE_JOINED, "2 students joined", 2);
  assert_pop (queue, COHORT_NOTICE_BADGE, "Sam earned Week Streak", 1);
  g_assert_cmpuint (cohort_notice_queue_get_n_pending (queue), ==, 0);
}

/* Notices that are not summarised stay one by one, however alike. */
static void
test_info_not_merged (void)
{
  g_autoptr(CohortNoticeQueue) queue = cohort_notice_queue_new ();

  cohort_notice_queue_push (queue, COHORT_NOTICE_ACTION, "New question: A");
  cohort_notice_queue_push (queue, COHORT_NOTICE_ACTION, "New question: A");
  g_assert_cmpuint (cohort_notice_queue_get_n_pending (queue), ==, 2);

  cohort_notice_queue_clear (queue);
  g_assert_cmpuint (cohort_notice_queue_get_n_pending (queue), ==, 0);
  g_assert_false (cohort_notice_queue_pop (queue, NULL, NULL, NULL));

  /* A cleared summary does not linger: the next join starts afresh. */
  cohort_notice_queue_push (queue, COHORT_NOTICE_JOINED, "Sam joined");
  cohort_notice_queue_clear (queue);
  cohort_notice_queue_push (queue, COHORT_NOTICE_JOINED, "Lin joined");
  assert_pop (queue, COHORT_NOTICE_JOINED, "Lin joined", 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/notice-queue/joins-summarised", test_joins_summarised);
  g_test_add_func ("/cohort/notice-queue/badges-and-hands-summarised", test_badges_and_hands_summarised);
  g_test_add_func ("/cohort/notice-queue/priorities", test_priorities);
  g_test_add_func ("/cohort/notice-queue/info-not-merged", test_info_not_merged);

  return g_test_run ();
}

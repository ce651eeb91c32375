/* test-chat-model.c: CohortChatModel over CohortSession against a real
 * cohort-server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-chat-model.h"
#include "cohort-chat-protocol.h"
#include "cohort-protocol.h"
#include "cohort-session.h"
#include "cohort-test-server.h"

#define TIMEOUT_MS 10000

static gboolean
on_wait_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

#define WAIT_UNTIL(cond, ms)                                                   \
  G_STMT_START {                                                               \
    gboolean timed_out_ = FALSE;                                               \
    guint timeout_id_ = g_timeout_add ((ms), on_wait_timeout, &timed_out_);    \
    while (!(cond) && !timed_out_)                                             \
      g_main_context_iteration (NULL, TRUE);                                   \
    if (!timed_out_)                                                           \
      g_source_remove (timeout_id_);                                           \
    if (!(cond))                                                               \
      g_error ("Timed out waiting for %s", #cond);                             \
  } G_STMT_END

static void
on_result (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static CohortSession *
create_class (CohortTestServer *server)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;

  /* identity: as the test server's staff, no waiting room (tests/common). */
  g_object_set (session, "create-waiting-room", FALSE, NULL);
  cohort_session_create_class_async (session, cohort_test_server_get_url (server), "Chat", "Ms Li",
                                     cohort_test_staff_lookup (cohort_test_server_get_url (server)), NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, TIMEOUT_MS);
  g_assert_true (cohort_session_create_class_finish (session, result, NULL));
  return g_steal_pointer (&session);
}

static CohortSession *
join_class (CohortTestServer *server,
            CohortSession    *teacher,
            const char       *name)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;

  cohort_session_join_async (session, cohort_test_server_get_url (server),
                             cohort_session_get_class_code (teacher), name, NULL, NULL,
                             on_result, &result);
  WAIT_UNTIL (result != NULL, TIMEOUT_MS);
  g_assert_true (cohort_session_join_finish (session, result, NULL));
  return g_steal_pointer (&session);
}

static guint
count_text (CohortChatModel *model,
            const char      *text)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(CohortChatMessage) m = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (g_strcmp0 (cohort_chat_message_get_text (m), text) == 0)
        n++;
    }
  return n;
}

static CohortChatMessage *
find_text (CohortChatModel *model,
           const char      *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(CohortChatMessage) m = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (g_strcmp0 (cohort_chat_message_get_text (m), text) == 0)
        return m;
    }
  return NULL;
}

static gboolean
model_sorted (CohortChatModel *model)
{
  gint64 last = 0;
  gboolean unsent = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(CohortChatMessage) m = g_list_model_get_item (G_LIST_MODEL (model), i);
      gint64 id = cohort_chat_message_get_id (m);

      if (id == 0)
        unsent = TRUE;
      else if (unsent || id <= last)
        return FALSE;
      else
        last = id;
    }
  return TRUE;
}

typedef struct
{
  guint  received;
  guint  important;
  guint  danmaku;
  guint  reactions;
  GPtrArray *states;
} Seen;

static void
on_received (CohortChatModel   *model,
             CohortChatMessage *message,
             gboolean           important,
             Seen              *seen)
{
  seen->received++;
  if (important)
    seen->important++;
}

static void
on_danmaku (CohortChatModel   *model,
            CohortChatMessage *message,
            Seen              *seen)
{
  seen->danmaku++;
}

static void
on_reaction (CohortChatModel *model,
             gint64           participant_id,
             const char      *reaction,
             Seen            *seen)
{
  seen->reactions++;
}

static void
on_state (CohortChatMessage *message,
          GParamSpec        *pspec,
          Seen              *seen)
{
  g_ptr_array_add (seen->states, GINT_TO_POINTER (cohort_chat_message_get_state (message) + 1));
}

static void
on_failed_seen (CohortChatModel *model,
                const char      *sentence,
                Seen            *seen)
{
  g_assert_nonnull (sentence);
  seen->received++;
}

static void
test_chat_model (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(CohortSession) teacher = create_class (server);
  g_autoptr(CohortSession) ann = join_class (server, teacher, "Ann");
  g_autoptr(CohortSession) bob = join_class (server, teacher, "Bob");
  g_autoptr(CohortChatModel) tm = cohort_chat_model_new (teacher);
  g_autoptr(CohortChatModel) am = cohort_chat_model_new (ann);
  g_autoptr(CohortChatModel) bm = cohort_chat_model_new (bob);
  g_autoptr(GPtrArray) states = g_ptr_array_new ();
  Seen seen_t = { 0 }, seen_b = { 0 };
  CohortChatMessage *sent;
  CohortChatMessage *in_bob;
  CohortChatMessage *question;

  g_signal_connect (tm, "message-received", G_CALLBACK (on_received), &seen_t);
  g_signal_connect (bm, "message-received", G_CALLBACK (on_received), &seen_b);
  g_signal_connect (bm, "danmaku", G_CALLBACK (on_danmaku), &seen_b);
  g_signal_connect (bm, "reaction", G_CALLBACK (on_reaction), &seen_b);
  WAIT_UNTIL (!cohort_chat_model_get_loading (tm) && !cohort_chat_model_get_loading (bm) &&
              !cohort_chat_model_get_loading (am), TIMEOUT_MS);

  /* Pending, then sent; a mention lights up for Bob only. */
  seen_b.states = states;
  sent = cohort_chat_model_send (am, "hello @bob, see https://example.org/a?b=1&c=2", NULL, 0,
                                 FALSE, TRUE);
  g_signal_connect (sent, "notify::state", G_CALLBACK (on_state), &seen_b);
  g_assert_cmpint (cohort_chat_message_get_state (sent), ==, COHORT_CHAT_MESSAGE_PENDING);
  g_assert_cmpint (cohort_chat_message_get_id (sent), ==, 0);
  g_assert_true (cohort_chat_message_get_is_own (sent));
  WAIT_UNTIL (cohort_chat_message_get_state (sent) == COHORT_CHAT_MESSAGE_SENT, TIMEOUT_MS);
  g_assert_cmpint (cohort_chat_message_get_id (sent), >, 0);
  g_assert_cmpuint (states->len, ==, 1);
  WAIT_UNTIL (seen_b.received == 1 && seen_t.received == 1, TIMEOUT_MS);
  in_bob = find_text (bm, cohort_chat_message_get_text (sent));
  g_assert_nonnull (in_bob);
  g_assert_true (cohort_chat_message_get_mentions_self (in_bob));
  g_assert_false (cohort_chat_message_get_is_own (in_bob));
  g_assert_cmpuint (seen_b.important, ==, 1);
  g_assert_cmpuint (seen_t.important, ==, 0);
  g_assert_cmpuint (seen_b.danmaku, ==, 1);
  g_assert_cmpuint (cohort_chat_model_get_unread_count (bm), ==, 1);
  g_assert_cmpuint (count_text (am, cohort_chat_message_get_text (sent)), ==, 1);
  cohort_chat_model_mark_read (bm);
  g_assert_cmpuint (cohort_chat_model_get_unread_count (bm), ==, 0);

  /* The teacher's messages are important to students. */
  cohort_chat_model_send (tm, "Open your books", NULL, 0, FALSE, FALSE);
  WAIT_UNTIL (seen_b.received == 2, TIMEOUT_MS);
  g_assert_cmpuint (seen_b.important, ==, 2);

  /* Sent while the connection is down: pending until it is back, then
   * stored once. */
  cohort_session_simulate_drop (ann);
  sent = cohort_chat_model_send (am, "through the outbox", NULL, 0, FALSE, FALSE);
  g_assert_cmpint (cohort_chat_message_get_state (sent), ==, COHORT_CHAT_MESSAGE_PENDING);
  WAIT_UNTIL (cohort_chat_message_get_state (sent) == COHORT_CHAT_MESSAGE_SENT, TIMEOUT_MS);
  WAIT_UNTIL (count_text (bm, "through the outbox") == 1, TIMEOUT_MS);
  WAIT_UNTIL (count_text (tm, "through the outbox") == 1, TIMEOUT_MS);
  g_assert_cmpuint (count_text (am, "through the outbox"), ==, 1);

  /* Over the rate limit: slowed, then sent by itself, each once. */
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *text = g_strdup_printf ("burst %u", i);

      cohort_chat_model_send (am, text, NULL, 0, FALSE, FALSE);
    }
  WAIT_UNTIL (count_text (tm, "burst 7") == 1, 15000);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *text = g_strdup_printf ("burst %u", i);

      WAIT_UNTIL (count_text (tm, text) == 1, TIMEOUT_MS);
      g_assert_cmpuint (count_text (am, text), ==, 1);
      /* The teacher may see it before Ann's reply is in (a slow run). */
      WAIT_UNTIL (cohort_chat_message_get_state (find_text (am, text)) == COHORT_CHAT_MESSAGE_SENT,
                  TIMEOUT_MS);
    }
  g_assert_true (model_sorted (am));
  g_assert_true (model_sorted (tm));
  g_assert_true (model_sorted (bm));

  /* A question, a vote, the teacher marks it done. */
  question = cohort_chat_model_send (bm, "What is entropy?", NULL, 0, TRUE, FALSE);
  WAIT_UNTIL (cohort_chat_message_get_id (question) > 0, TIMEOUT_MS);
  WAIT_UNTIL (find_text (am, "What is entropy?") != NULL, TIMEOUT_MS);
  cohort_chat_model_vote (am, find_text (am, "What is entropy?"), TRUE);
  WAIT_UNTIL (cohort_chat_message_get_votes (question) == 1, TIMEOUT_MS);
  g_assert_true (cohort_chat_message_get_voted (find_text (am, "What is entropy?")));
  WAIT_UNTIL (find_text (tm, "What is entropy?") != NULL, TIMEOUT_MS);
  cohort_chat_model_answer (tm, find_text (tm, "What is entropy?"), "Disorder, roughly.");
  WAIT_UNTIL (g_strcmp0 (cohort_chat_message_get_question (question), "answered") == 0, TIMEOUT_MS);
  cohort_chat_model_set_question_state (tm, find_text (tm, "What is entropy?"), "done");
  WAIT_UNTIL (g_strcmp0 (cohort_chat_message_get_question (question), "done") == 0, TIMEOUT_MS);

  /* Moderation: the teacher removes Ann's message for everyone. */
  in_bob = find_text (bm, "through the outbox");
  cohort_chat_model_delete (tm, find_text (tm, "through the outbox"));
  WAIT_UNTIL (cohort_chat_message_get_deleted (in_bob), TIMEOUT_MS);
  g_assert_cmpstr (cohort_chat_message_get_text (in_bob), ==, "");
  cohort_chat_model_mute (tm, cohort_participant_get_id (cohort_session_get_self (bob)), TRUE);
  WAIT_UNTIL (cohort_chat_model_get_self_muted (bm), TIMEOUT_MS);
  g_assert_false (cohort_chat_model_get_self_muted (am));
  cohort_chat_model_change_setting (tm, "danmaku_enabled", FALSE);
  WAIT_UNTIL (!cohort_chat_model_get_danmaku_enabled (am), TIMEOUT_MS);

  /* A refused message says why. */
  sent = cohort_chat_model_send (bm, "am I muted?", NULL, 0, FALSE, FALSE);
  WAIT_UNTIL (cohort_chat_message_get_state (sent) == COHORT_CHAT_MESSAGE_FAILED, TIMEOUT_MS);
  g_assert_nonnull (cohort_chat_message_get_error_message (sent));
  cohort_chat_model_discard (bm, sent);
  g_assert_cmpuint (count_text (bm, "am I muted?"), ==, 0);

  /* Reactions fly; pace reaches the teacher's meter only. */
  cohort_chat_model_react (am, "heart");
  WAIT_UNTIL (seen_b.reactions == 1, TIMEOUT_MS);
  cohort_chat_model_send_pace (am, "too_fast");
  WAIT_UNTIL (cohort_chat_model_get_pace_too_fast (tm) == 1, TIMEOUT_MS);
  cohort_chat_model_send_pace (am, "ok");
  WAIT_UNTIL (cohort_chat_model_get_pace_too_fast (tm) == 0, TIMEOUT_MS);
  g_assert_cmpuint (cohort_chat_model_get_pace_too_fast (bm), ==, 0);

  /* A model made later (a new window) starts from history and state. */
  {
    g_autoptr(CohortChatModel) late = cohort_chat_model_new (bob);

    WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (late)) > 0 &&
                !cohort_chat_model_get_loading (late), TIMEOUT_MS);
    g_assert_true (cohort_chat_model_get_self_muted (late));
    g_assert_false (cohort_chat_model_get_danmaku_enabled (late));
    g_assert_cmpuint (count_text (late, "burst 3"), ==, 1);
    g_assert_true (model_sorted (late));
    g_assert_cmpuint (cohort_chat_model_get_unread_count (late), ==, 0);
  }
}

/* A student answers a peer's question in its thread; the teacher marks the
 * answer helpful and every client's copy shows it (once). */
static void
test_helpful (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(CohortSession) teacher = create_class (server);
  g_autoptr(CohortSession) ann = join_class (server, teacher, "Ann");
  g_autoptr(CohortSession) bob = join_class (server, teacher, "Bob");
  g_autoptr(CohortChatModel) tm = cohort_chat_model_new (teacher);
  g_autoptr(CohortChatModel) am = cohort_chat_model_new (ann);
  g_autoptr(CohortChatModel) bm = cohort_chat_model_new (bob);
  Seen failed = { 0 };
  CohortChatMessage *question;
  CohortChatMessage *answer;
  CohortChatMessage *in_ann;
  CohortChatMessage *in_teacher;

  WAIT_UNTIL (!cohort_chat_model_get_loading (tm) && !cohort_chat_model_get_loading (bm) &&
              !cohort_chat_model_get_loading (am), TIMEOUT_MS);

  question = cohort_chat_model_send (am, "Why is the sky blue?", NULL, 0, TRUE, FALSE);
  WAIT_UNTIL (cohort_chat_message_get_id (question) > 0, TIMEOUT_MS);
  WAIT_UNTIL (find_text (bm, "Why is the sky blue?") != NULL, TIMEOUT_MS);

  /* Bob answers Ann's question in its thread. */
  answer = cohort_chat_model_answer (bm, find_text (bm, "Why is the sky blue?"), "Rayleigh scattering.");
  WAIT_UNTIL (cohort_chat_message_get_state (answer) == COHORT_CHAT_MESSAGE_SENT, TIMEOUT_MS);
  g_assert_cmpint (cohort_chat_message_get_reply_to (answer), ==, cohort_chat_message_get_id (question));
  /* A student's answer does not mark the question answered. */
  g_assert_cmpstr (cohort_chat_message_get_question (question), ==, "open");
  WAIT_UNTIL (find_text (am, "Rayleigh scattering.") != NULL &&
              find_text (tm, "Rayleigh scattering.") != NULL, TIMEOUT_MS);
  in_ann = find_text (am, "Rayleigh scattering.");
  in_teacher = find_text (tm, "Rayleigh scattering.");
  g_assert_cmpint (cohort_chat_message_get_reply_to (in_ann), ==, cohort_chat_message_get_id (question));
  g_assert_false (cohort_chat_message_get_helpful (in_ann));
  g_assert_false (cohort_chat_message_get_helpful (answer));

  /* A student cannot mark it: refused, nothing changes. */
  g_signal_connect (am, "failed", G_CALLBACK (on_failed_seen), &failed);
  cohort_chat_model_mark_helpful (am, in_ann);
  WAIT_UNTIL (failed.received == 1, TIMEOUT_MS);
  g_assert_false (cohort_chat_message_get_helpful (in_ann));

  /* The teacher marks it: the flag arrives at the author, the asker and the
   * teacher's own copy. */
  cohort_chat_model_mark_helpful (tm, in_teacher);
  WAIT_UNTIL (cohort_chat_message_get_helpful (in_ann) &&
              cohort_chat_message_get_helpful (answer) &&
              cohort_chat_message_get_helpful (in_teacher), TIMEOUT_MS);
  g_assert_false (cohort_chat_message_get_helpful (question));
  g_assert_false (cohort_chat_message_get_helpful (find_text (tm, "Why is the sky blue?")));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("COHORT_BACKOFF_BASE_MS", "50", TRUE);
  g_setenv ("COHORT_BACKOFF_MAX_MS", "200", TRUE);

  g_test_add_func ("/cohort/chat-model/end-to-end", test_chat_model);
  g_test_add_func ("/cohort/chat-model/helpful", test_helpful);

  return g_test_run ();
}

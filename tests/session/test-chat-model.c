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
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

/* One server for the whole binary; each case makes its own class. */
static CohortTestServer *server;

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

/* A class with its teacher and two students, each with a chat model that
 * has loaded its history. */
typedef struct
{
  CohortSession   *teacher;
  CohortSession   *ann;
  CohortSession   *bob;
  CohortChatModel *tm;
  CohortChatModel *am;
  CohortChatModel *bm;
  Seen             seen_t;
  Seen             seen_b;
} Class;

static void
class_setup (Class         *c,
             gconstpointer  data)
{
  const char *url = cohort_test_server_get_url (server);

  c->teacher = cohort_test_session_create_class (url, "Chat", "Ms Li");
  c->ann = cohort_test_session_join (url, c->teacher, "Ann");
  c->bob = cohort_test_session_join (url, c->teacher, "Bob");
  c->tm = cohort_chat_model_new (c->teacher);
  c->am = cohort_chat_model_new (c->ann);
  c->bm = cohort_chat_model_new (c->bob);
  c->seen_b.states = g_ptr_array_new ();
  g_signal_connect (c->tm, "message-received", G_CALLBACK (on_received), &c->seen_t);
  g_signal_connect (c->bm, "message-received", G_CALLBACK (on_received), &c->seen_b);
  g_signal_connect (c->bm, "danmaku", G_CALLBACK (on_danmaku), &c->seen_b);
  g_signal_connect (c->bm, "reaction", G_CALLBACK (on_reaction), &c->seen_b);
  COHORT_TEST_WAIT_UNTIL (!cohort_chat_model_get_loading (c->tm) &&
                          !cohort_chat_model_get_loading (c->bm) &&
                          !cohort_chat_model_get_loading (c->am));
}

static void
class_teardown (Class         *c,
                gconstpointer  data)
{
  g_clear_object (&c->tm);
  g_clear_object (&c->am);
  g_clear_object (&c->bm);
  g_clear_object (&c->teacher);
  g_clear_object (&c->ann);
  g_clear_object (&c->bob);
  g_clear_pointer (&c->seen_b.states, g_ptr_array_unref);
  /* Let closed sockets and finished tasks go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Pending, then sent; a mention lights up for Bob only. */
static void
test_send_mention (Class         *c,
                   gconstpointer  data)
{
  CohortChatMessage *sent;
  CohortChatMessage *in_bob;

  sent = cohort_chat_model_send (c->am, "hello @bob, see https://example.org/a?b=1&c=2", NULL, 0,
                                 FALSE, TRUE);
  g_signal_connect (sent, "notify::state", G_CALLBACK (on_state), &c->seen_b);
  g_assert_cmpint (cohort_chat_message_get_state (sent), ==, COHORT_CHAT_MESSAGE_PENDING);
  g_assert_cmpint (cohort_chat_message_get_id (sent), ==, 0);
  g_assert_true (cohort_chat_message_get_is_own (sent));
  COHORT_TEST_WAIT_UNTIL (cohort_chat_message_get_state (sent) == COHORT_CHAT_MESSAGE_SENT);
  g_assert_cmpint (cohort_chat_message_get_id (sent), >, 0);
  g_assert_cmpuint (c->seen_b.states->len, ==, 1);
  COHORT_TEST_WAIT_UNTIL (c->seen_b.received == 1 && c->seen_t.received == 1);
  in_bob = find_text (c->bm, cohort_chat_message_get_text (sent));
  g_assert_nonnull (in_bob);
  g_assert_true (cohort_chat_message_get_mentions_self (in_bob));
  g_assert_false (cohort_chat_message_get_is_own (in_bob));
  g_assert_cmpuint (c->seen_b.important, ==, 1);
  g_assert_cmpuint (c->seen_t.important, ==, 0);
  g_assert_cmpuint (c->seen_b.danmaku, ==, 1);
  g_assert_cmpuint (cohort_chat_model_get_unread_count (c->bm), ==, 1);
  g_assert_cmpuint (count_text (c->am, cohort_chat_message_get_text (sent)), ==, 1);
  cohort_chat_model_mark_read (c->bm);
  g_assert_cmpuint (cohort_chat_model_get_unread_count (c->bm), ==, 0);
}

/* The teacher's messages are important to students. */
static void
test_teacher_important (Class         *c,
                        gconstpointer  data)
{
  cohort_chat_model_send (c->tm, "Open your books", NULL, 0, FALSE, FALSE);
  COHORT_TEST_WAIT_UNTIL (c->seen_b.received == 1);
  g_assert_cmpuint (c->seen_b.important, ==, 1);
}

/* Sent while the connection is down: pending until it is back, then
 * stored once. */
static void
test_outbox (Class         *c,
             gconstpointer  data)
{
  CohortChatMessage *sent;

  cohort_session_simulate_drop (c->ann);
  sent = cohort_chat_model_send (c->am, "through the outbox", NULL, 0, FALSE, FALSE);
  g_assert_cmpint (cohort_chat_message_get_state (sent), ==, COHORT_CHAT_MESSAGE_PENDING);
  COHORT_TEST_WAIT_UNTIL (cohort_chat_message_get_state (sent) == COHORT_CHAT_MESSAGE_SENT);
  COHORT_TEST_WAIT_UNTIL (count_text (c->bm, "through the outbox") == 1);
  COHORT_TEST_WAIT_UNTIL (count_text (c->tm, "through the outbox") == 1);
  g_assert_cmpuint (count_text (c->am, "through the outbox"), ==, 1);
}

/* Over the rate limit: slowed, then sent by itself, each once. */
static void
send_burst (Class *c)
{
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *text = g_strdup_printf ("burst %u", i);

      cohort_chat_model_send (c->am, text, NULL, 0, FALSE, FALSE);
    }
  COHORT_TEST_WAIT_UNTIL_MS (count_text (c->tm, "burst 7") == 1, 15000);
  for (guint i = 0; i < 8; i++)
    {
      g_autofree char *text = g_strdup_printf ("burst %u", i);

      COHORT_TEST_WAIT_UNTIL (count_text (c->tm, text) == 1);
      g_assert_cmpuint (count_text (c->am, text), ==, 1);
      /* The teacher may see it before Ann's reply is in (a slow run). */
      COHORT_TEST_WAIT_UNTIL (cohort_chat_message_get_state (find_text (c->am, text)) ==
                              COHORT_CHAT_MESSAGE_SENT);
    }
}

static void
test_rate_limit (Class         *c,
                 gconstpointer  data)
{
  send_burst (c);
  /* Bob's copy is in order once it has the last of them. */
  COHORT_TEST_WAIT_UNTIL (count_text (c->bm, "burst 7") == 1);
  g_assert_true (model_sorted (c->am));
  g_assert_true (model_sorted (c->tm));
  g_assert_true (model_sorted (c->bm));
}

/* A question, a vote, the teacher marks it done. */
static void
test_question (Class         *c,
               gconstpointer  data)
{
  CohortChatMessage *question;

  question = cohort_chat_model_send (c->bm, "What is entropy?", NULL, 0, TRUE, FALSE);
  COHORT_TEST_WAIT_UNTIL (cohort_chat_message_get_id (question) > 0);
  COHORT_TEST_WAIT_UNTIL (find_text (c->am, "What is entropy?") != NULL);
  cohort_chat_model_vote (c->am, find_text (c->am, "What is entropy?"), TRUE);
  COHORT_TEST_WAIT_UNTIL (cohort_chat_message_get_votes (question) == 1);
  g_assert_true (cohort_chat_message_get_voted (find_text (c->am, "What is entropy?")));
  COHORT_TEST_WAIT_UNTIL (find_text (c->tm, "What is entropy?") != NULL);
  cohort_chat_model_answer (c->tm, find_text (c->tm, "What is entropy?"), "Disorder, roughly.");
  COHORT_TEST_WAIT_UNTIL (g_strcmp0 (cohort_chat_message_get_question (question), "answered") == 0);
  cohort_chat_model_set_question_state (c->tm, find_text (c->tm, "What is entropy?"), "done");
  COHORT_TEST_WAIT_UNTIL (g_strcmp0 (cohort_chat_message_get_question (question), "done") == 0);
}

/* Moderation: the teacher removes Ann's message for everyone. */
static void
test_delete (Class         *c,
             gconstpointer  data)
{
  CohortChatMessage *in_bob;

  cohort_chat_model_send (c->am, "through the outbox", NULL, 0, FALSE, FALSE);
  COHORT_TEST_WAIT_UNTIL (find_text (c->bm, "through the outbox") != NULL &&
                          find_text (c->tm, "through the outbox") != NULL);
  in_bob = find_text (c->bm, "through the outbox");
  cohort_chat_model_delete (c->tm, find_text (c->tm, "through the outbox"));
  COHORT_TEST_WAIT_UNTIL (cohort_chat_message_get_deleted (in_bob));
  g_assert_cmpstr (cohort_chat_message_get_text (in_bob), ==, "");
}

static void
mute_bob (Class *c)
{
  gint64 bob_id = cohort_participant_get_id (cohort_session_get_self (c->bob));

  cohort_chat_model_mute (c->tm, bob_id, TRUE);
  COHORT_TEST_WAIT_UNTIL (cohort_chat_model_get_self_muted (c->bm));
  g_assert_false (cohort_chat_model_get_self_muted (c->am));
}

static void
disable_danmaku (Class *c)
{
  cohort_chat_model_change_setting (c->tm, "danmaku_enabled", FALSE);
  COHORT_TEST_WAIT_UNTIL (!cohort_chat_model_get_danmaku_enabled (c->am));
}

/* A muted student's message is refused, and says why. */
static void
test_mute (Class         *c,
           gconstpointer  data)
{
  CohortChatMessage *sent;

  mute_bob (c);
  sent = cohort_chat_model_send (c->bm, "am I muted?", NULL, 0, FALSE, FALSE);
  COHORT_TEST_WAIT_UNTIL (cohort_chat_message_get_state (sent) == COHORT_CHAT_MESSAGE_FAILED);
  g_assert_nonnull (cohort_chat_message_get_error_message (sent));
  cohort_chat_model_discard (c->bm, sent);
  g_assert_cmpuint (count_text (c->bm, "am I muted?"), ==, 0);
}

static void
test_danmaku_setting (Class         *c,
                      gconstpointer  data)
{
  disable_danmaku (c);
}

/* Reactions fly; pace reaches the teacher's meter only. */
static void
test_reactions_pace (Class         *c,
                     gconstpointer  data)
{
  cohort_chat_model_react (c->am, "heart");
  COHORT_TEST_WAIT_UNTIL (c->seen_b.reactions == 1);
  cohort_chat_model_send_pace (c->am, "too_fast");
  COHORT_TEST_WAIT_UNTIL (cohort_chat_model_get_pace_too_fast (c->tm) == 1);
  cohort_chat_model_send_pace (c->am, "ok");
  COHORT_TEST_WAIT_UNTIL (cohort_chat_model_get_pace_too_fast (c->tm) == 0);
  g_assert_cmpuint (cohort_chat_model_get_pace_too_fast (c->bm), ==, 0);
}

/* A model made later (a new window) starts from history and state. */
static void
test_late_model (Class         *c,
                 gconstpointer  data)
{
  g_autoptr(CohortChatModel) late = NULL;

  send_burst (c);
  COHORT_TEST_WAIT_UNTIL (count_text (c->bm, "burst 7") == 1);
  mute_bob (c);
  disable_danmaku (c);

  late = cohort_chat_model_new (c->bob);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (late)) > 0 &&
                          !cohort_chat_model_get_loading (late));
  g_assert_true (cohort_chat_model_get_self_muted (late));
  g_assert_false (cohort_chat_model_get_danmaku_enabled (late));
  g_assert_cmpuint (count_text (late, "burst 3"), ==, 1);
  g_assert_true (model_sorted (late));
  g_assert_cmpuint (cohort_chat_model_get_unread_count (late), ==, 0);
}

/* A student answers a peer's question in its thread; the teacher marks the
 * answer helpful and every client's copy shows it (once). */
static void
test_helpful (Class         *c,
              gconstpointer  data)
{
  CohortChatModel *tm = c->tm;
  CohortChatModel *am = c->am;
  CohortChatModel *bm = c->bm;
  Seen failed = { 0 };
  CohortChatMessage *question;
  CohortChatMessage *answer;
  CohortChatMessage *in_ann;
  CohortChatMessage *in_teacher;

  question = cohort_chat_model_send (am, "Why is the sky blue?", NULL, 0, TRUE, FALSE);
  COHORT_TEST_WAIT_UNTIL (cohort_chat_message_get_id (question) > 0);
  COHORT_TEST_WAIT_UNTIL (find_text (bm, "Why is the sky blue?") != NULL);

  /* Bob answers Ann's question in its thread. */
  answer = cohort_chat_model_answer (bm, find_text (bm, "Why is the sky blue?"), "Rayleigh scattering.");
  COHORT_TEST_WAIT_UNTIL (cohort_chat_message_get_state (answer) == COHORT_CHAT_MESSAGE_SENT);
  g_assert_cmpint (cohort_chat_message_get_reply_to (answer), ==, cohort_chat_message_get_id (question));
  /* A student's answer does not mark the question answered. */
  g_assert_cmpstr (cohort_chat_message_get_question (question), ==, "open");
  COHORT_TEST_WAIT_UNTIL (find_text (am, "Rayleigh scattering.") != NULL &&
                          find_text (tm, "Rayleigh scattering.") != NULL);
  in_ann = find_text (am, "Rayleigh scattering.");
  in_teacher = find_text (tm, "Rayleigh scattering.");
  g_assert_cmpint (cohort_chat_message_get_reply_to (in_ann), ==, cohort_chat_message_get_id (question));
  g_assert_false (cohort_chat_message_get_helpful (in_ann));
  g_assert_false (cohort_chat_message_get_helpful (answer));

  /* A student cannot mark it: refused, nothing changes. */
  g_signal_connect (am, "failed", G_CALLBACK (on_failed_seen), &failed);
  cohort_chat_model_mark_helpful (am, in_ann);
  COHORT_TEST_WAIT_UNTIL (failed.received == 1);
  g_assert_false (cohort_chat_message_get_helpful (in_ann));

  /* The teacher marks it: the flag arrives at the author, the asker and the
   * teacher's own copy. */
  cohort_chat_model_mark_helpful (tm, in_teacher);
  COHORT_TEST_WAIT_UNTIL (cohort_chat_message_get_helpful (in_ann) &&
                          cohort_chat_message_get_helpful (answer) &&
                          cohort_chat_message_get_helpful (in_teacher));
  g_assert_false (cohort_chat_message_get_helpful (question));
  g_assert_false (cohort_chat_message_get_helpful (find_text (tm, "Why is the sky blue?")));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  g_setenv ("COHORT_BACKOFF_BASE_MS", "50", TRUE);
  g_setenv ("COHORT_BACKOFF_MAX_MS", "200", TRUE);

#define ADD(path, func) \
  g_test_add ("/cohort/chat-model/" path, Class, NULL, class_setup, func, class_teardown)
  ADD ("send/mention", test_send_mention);
  ADD ("send/teacher-important", test_teacher_important);
  ADD ("send/outbox", test_outbox);
  ADD ("send/rate-limit", test_rate_limit);
  ADD ("question", test_question);
  ADD ("moderation/delete", test_delete);
  ADD ("moderation/mute", test_mute);
  ADD ("moderation/danmaku-setting", test_danmaku_setting);
  ADD ("reactions-pace", test_reactions_pace);
  ADD ("late-model", test_late_model);
  ADD ("helpful", test_helpful);
#undef ADD

  server = cohort_test_server_start (NULL);
  status = g_test_run ();
  g_clear_pointer (&server, cohort_test_server_free);
  return status;
}

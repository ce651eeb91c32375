/* test-groups-ledger.c: the points reducer, badges, boards and PK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-groups-ledger"

#include "config.h"

#include "cohort-ledger.h"

#define MIN_MS ((gint64) 60 * 1000)

typedef struct
{
  GPtrArray *names;
  GPtrArray *bodies;
  GArray    *ts;
  gint64     now;
} Log;

static Log *
log_new (gint64 start)
{
  Log *log = g_new0 (Log, 1);

  log->names = g_ptr_array_new_with_free_func (g_free);
  log->bodies = g_ptr_array_new_with_free_func (g_free);
  log->ts = g_array_new (FALSE, FALSE, sizeof (gint64));
  log->now = start;
  return log;
}

static void
log_free (Log *log)
{
  g_ptr_array_unref (log->names);
  g_ptr_array_unref (log->bodies);
  g_array_unref (log->ts);
  g_free (log);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Log, log_free)

/* Appends an event @after_ms after the previous one; returns its seq. */
static gint64
log_add (Log        *log,
         gint64      after_ms,
         const char *name,
         const char *body_format,
         ...)
{
  va_list args;

  va_start (args, body_format);
  log->now += MAX (after_ms, 1);
  g_ptr_array_add (log->names, g_strdup (name));
  g_ptr_array_add (log->bodies, g_strdup_vprintf (body_format, args));
  g_array_append_val (log->ts, log->now);
  va_end (args);
  return log->names->len;
}

/* chat.votes: @voter_id's vote (@vote) on @author_id's message, which
 * then has @votes. */
static void
log_vote (Log      *log,
          int       message_id,
          int       votes,
          int       voter_id,
          int       author_id,
          gboolean  vote)
{
  log_add (log, 1, "chat.votes", "{\"message_id\":%d,\"votes\":%d,\"participant_id\":%d,"
           "\"vote\":%s,\"voter_id\":%d,\"author_id\":%d}",
           message_id, votes, voter_id, vote ? "true" : "false", voter_id, author_id);
}

/* chat.helpful: @by marks @author_id's answer to @asker_id's question. */
static void
log_helpful (Log *log,
             int  message_id,
             int  question_id,
             int  author_id,
             int  asker_id,
             int  by,
             int  at)
{
  log_add (log, 1, "chat.helpful", "{\"message_id\":%d,\"question_id\":%d,\"author_id\":%d,"
           "\"asker_id\":%d,\"by\":%d,\"at\":%d}",
           message_id, question_id, author_id, asker_id, by, at);
}

static void
log_fold (Log          *log,
          CohortLedger *ledger,
          guint         from,
          guint         to)
{
  for (guint i = from; i < to && i < log->names->len; i++)
    cohort_ledger_apply_json (ledger, i + 1, g_array_index (log->ts, gint64, i),
                              g_ptr_array_index (log->names, i),
                              g_ptr_array_index (log->bodies, i));
}

static CohortLedger *
log_fold_all (Log *log)
{
  CohortLedger *ledger = cohort_ledger_new ();

  log_fold (log, ledger, 0, log->names->len);
  return ledger;
}

static void
add_person (Log *log, gint64 id, const char *name, const char *role, gboolean online)
{
  log_add (log, 1, "participant.joined",
           "{\"participant\":{\"id\":%" G_GINT64_FORMAT ",\"name\":\"%s\",\"role\":\"%s\","
           "\"online\":%s,\"hand_raised_at\":null}}", id, name, role, online ? "true" : "false");
}

static void
check_in (Log *log, gint64 after, gint64 pid, const char *tz, int minutes)
{
  static gint64 next_id = 1;

  log_add (log, after, "groups.checked_in",
           "{\"checkin\":{\"id\":%" G_GINT64_FORMAT ",\"participant_id\":%" G_GINT64_FORMAT
           ",\"tz\":\"%s\",\"note\":\"x\",\"minutes\":%d}}", next_id++, pid, tz, minutes);
}

static gboolean
has_badge (CohortLedger *ledger, gint64 pid, CohortBadgeKind kind)
{
  const GPtrArray *badges = cohort_ledger_get_badges (ledger);

  for (guint i = 0; i < badges->len; i++)
    {
      CohortBadgeAward *a = g_ptr_array_index (badges, i);

      if (a->participant_id == pid && a->badge == kind)
        return TRUE;
    }
  return FALSE;
}

static gint64
utc_ms (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (y, mo, d, h, mi, 0);

  return g_date_time_to_unix (dt) * 1000;
}

static void
test_points_and_integrity (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 10, 8, 0));   /* a Monday */
  g_autoptr(CohortLedger) ledger = NULL;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  add_person (log, 2, "Mei", "student", FALSE);
  add_person (log, 3, "Ana", "student", FALSE);

  /* A star from the teacher counts once, even when logged twice. */
  log_add (log, 1, "groups.starred", "{\"star_id\":1,\"participant_id\":2,\"reason\":\"r\",\"by\":1}");
  log_add (log, 1, "groups.starred", "{\"star_id\":1,\"participant_id\":2,\"reason\":\"r\",\"by\":1}");
  /* A student cannot award: not to a peer, not to themselves. */
  log_add (log, 1, "groups.starred", "{\"star_id\":2,\"participant_id\":3,\"reason\":\"r\",\"by\":2}");
  log_add (log, 1, "groups.starred", "{\"star_id\":3,\"participant_id\":2,\"reason\":\"r\",\"by\":2}");
  /* Nor does the teacher score. */
  log_add (log, 1, "groups.starred", "{\"star_id\":4,\"participant_id\":1,\"reason\":\"r\",\"by\":1}");

  /* Check-ins: once per local day. */
  check_in (log, 1, 2, "Europe/London", 0);
  check_in (log, MIN_MS, 2, "Europe/London", 0);

  /* Upvotes: a peer's counts, one's own never, a repeat never. */
  log_add (log, 1, "ledger.upvote", "{\"question_id\":\"q1\",\"author_id\":3,\"voter_id\":2}");
  log_add (log, 1, "ledger.upvote", "{\"question_id\":\"q1\",\"author_id\":3,\"voter_id\":2}");
  log_add (log, 1, "ledger.upvote", "{\"question_id\":\"q1\",\"author_id\":3,\"voter_id\":3}");
  log_add (log, 1, "ledger.upvote", "{\"question_id\":\"q1\",\"author_id\":3,\"voter_id\":1}");

  /* Helpful: only the teacher marks; only once per answer. */
  log_add (log, 1, "ledger.helpful", "{\"answer_id\":\"a1\",\"author_id\":3,\"asker_id\":2,\"by\":2}");
  log_add (log, 1, "ledger.helpful", "{\"answer_id\":\"a1\",\"author_id\":3,\"asker_id\":2,\"by\":1}");
  log_add (log, 1, "ledger.helpful", "{\"answer_id\":\"a1\",\"author_id\":3,\"asker_id\":2,\"by\":1}");
  /* Answering one's own question is not helping a peer. */
  log_add (log, 1, "ledger.helpful", "{\"answer_id\":\"a2\",\"author_id\":3,\"asker_id\":3,\"by\":1}");

  /* Quiz: first answer per question counts; correct earns more. */
  log_add (log, 1, "ledger.quiz_answer",
           "{\"participant_id\":2,\"quiz_id\":7,\"question_id\":1,\"correct\":false}");
  log_add (log, 1, "ledger.quiz_answer",
           "{\"participant_id\":2,\"quiz_id\":7,\"question_id\":1,\"correct\":true}");
  log_add (log, 1, "ledger.quiz_answer",
           "{\"participant_id\":3,\"quiz_id\":7,\"question_id\":1,\"correct\":true}");

  ledger = log_fold_all (log);
  g_assert_cmpint (cohort_ledger_points (ledger, 2, 0), ==,
                   COHORT_POINTS_STAR + COHORT_POINTS_CHECK_IN + COHORT_POINTS_QUIZ_ANSWER);
  g_assert_cmpint (cohort_ledger_points (ledger, 3, 0), ==,
                   COHORT_POINTS_UPVOTE + COHORT_POINTS_HELPFUL + COHORT_POINTS_QUIZ_CORRECT);
  g_assert_cmpint (cohort_ledger_points (ledger, 1, 0), ==, 0);
  g_assert_false (has_badge (ledger, 2, COHORT_BADGE_FIRST_CORRECT));
  g_assert_true (has_badge (ledger, 3, COHORT_BADGE_FIRST_CORRECT));

  /* The same seq again (a replayed event) changes nothing. */
  cohort_ledger_apply_json (ledger, 5, g_array_index (log->ts, gint64, 4), "groups.starred",
                            "{\"star_id\":99,\"participant_id\":2,\"reason\":\"r\",\"by\":1}");
  g_assert_cmpint (cohort_ledger_points (ledger, 2, 0), ==,
                   COHORT_POINTS_STAR + COHORT_POINTS_CHECK_IN + COHORT_POINTS_QUIZ_ANSWER);
  /* A malformed body is ignored, not a crash. */
  cohort_ledger_apply_json (ledger, 1000, log->now + 1, "groups.checked_in", "[1,2]");
  cohort_ledger_apply_json (ledger, 1001, log->now + 2, "groups.starred", "{\"star_id\":\"x\"}");
  cohort_ledger_apply_json (ledger, 1002, log->now + 3, "ledger.upvote", "not json");
  g_assert_cmpint (cohort_ledger_points (ledger, 3, 0), ==,
                   COHORT_POINTS_UPVOTE + COHORT_POINTS_HELPFUL + COHORT_POINTS_QUIZ_CORRECT);
}

static void
test_upvote_cap (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 10, 8, 0));
  g_autoptr(CohortLedger) ledger = NULL;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  for (gint64 id = 2; id <= 12; id++)
    add_person (log, id, "S", "student", FALSE);
  for (gint64 id = 3; id <= 12; id++)
    log_add (log, 1, "ledger.upvote",
             "{\"question_id\":\"q\",\"author_id\":2,\"voter_id\":%" G_GINT64_FORMAT "}", id);
  ledger = log_fold_all (log);
  g_assert_cmpint (cohort_ledger_points (ledger, 2, 0), ==, COHORT_POINTS_UPVOTE_MAX);
}

static void
test_attendance (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 10, 8, 0));
  g_autoptr(CohortLedger) ledger = NULL;
  guint32 day;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  add_person (log, 2, "Mei", "student", TRUE);        /* online from joining */
  log_add (log, 25 * MIN_MS, "hand.raised", "{\"participant_id\":2,\"raised_at\":1}");
  ledger = log_fold_all (log);
  /* 25 minutes: two full blocks so far, credited by the log's own clock. */
  g_assert_cmpint (cohort_ledger_points (ledger, 2, 0), ==, 2 * COHORT_POINTS_ATTENDANCE);
  g_clear_pointer (&ledger, cohort_ledger_free);

  log_add (log, 10 * MIN_MS, "participant.presence", "{\"participant_id\":2,\"online\":false}");
  /* Offline time earns nothing. */
  log_add (log, 60 * MIN_MS, "participant.presence", "{\"participant_id\":2,\"online\":true}");
  log_add (log, 9 * MIN_MS, "participant.presence", "{\"participant_id\":2,\"online\":true}");
  log_add (log, 2 * MIN_MS, "participant.presence", "{\"participant_id\":2,\"online\":false}");
  ledger = log_fold_all (log);
  /* 35 minutes (3 blocks) + 11 minutes (1 block). */
  g_assert_cmpint (cohort_ledger_points (ledger, 2, 0), ==, 4 * COHORT_POINTS_ATTENDANCE);
  g_assert_cmpint (cohort_ledger_points (ledger, 1, 0), ==, 0);

  /* Study minutes: 40 live plus a check-in of 80 → the 2-hour badge. */
  g_assert_false (has_badge (ledger, 2, COHORT_BADGE_STUDY_2H));
  check_in (log, 1, 2, "UTC", 80);
  g_clear_pointer (&ledger, cohort_ledger_free);
  ledger = log_fold_all (log);
  day = cohort_ledger_member_day (ledger, 2, log->now);
  g_assert_cmpuint (cohort_ledger_study_minutes (ledger, 2, day), ==, 120);
  g_assert_true (has_badge (ledger, 2, COHORT_BADGE_STUDY_2H));
}

/* A busy log is mostly events that count for nothing (chat): they move
 * the clock in small steps, credit attendance exactly when a block is
 * full, and leave the ledger's version alone otherwise. */
static void
test_clock_only_events (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 10, 8, 0));
  g_autoptr(CohortLedger) stepped = cohort_ledger_new ();
  g_autoptr(CohortLedger) folded = NULL;
  guint64 version;
  guint n;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  add_person (log, 2, "Mei", "student", TRUE);
  log_add (log, 4 * MIN_MS, "participant.joined",
           "{\"participant\":{\"id\":3,\"name\":\"Li\",\"role\":\"student\","
           "\"online\":true,\"hand_raised_at\":null}}");
  n = log->names->len;
  log_fold (log, stepped, 0, n);
  version = cohort_ledger_get_version (stepped);

  /* Chat every 30 s: nothing to credit before Mei's first block ends. */
  for (int i = 0; i < 11; i++)
    log_add (log, 30 * 1000, "chat.message", "{\"message\":{\"id\":%d,\"text\":\"hi\"}}", i);
  log_fold (log, stepped, n, log->names->len);
  n = log->names->len;
  g_assert_cmpuint (cohort_ledger_get_version (stepped), ==, version);
  g_assert_cmpint (cohort_ledger_points (stepped, 2, 0), ==, 0);

  /* Past 10 minutes after Mei joined, her block is credited (Li's not yet). */
  log_add (log, 30 * 1000, "chat.message", "{\"message\":{\"id\":99,\"text\":\"hi\"}}");
  log_fold (log, stepped, n, log->names->len);
  n = log->names->len;
  g_assert_cmpuint (cohort_ledger_get_version (stepped), >, version);
  g_assert_cmpint (cohort_ledger_points (stepped, 2, 0), ==, COHORT_POINTS_ATTENDANCE);
  g_assert_cmpint (cohort_ledger_points (stepped, 3, 0), ==, 0);

  /* An hour of chat, then Li leaves: the same totals as one fold of the log. */
  for (int i = 0; i < 120; i++)
    log_add (log, 30 * 1000, "chat.message", "{\"message\":{\"id\":%d,\"text\":\"hi\"}}", 100 + i);
  log_add (log, 1, "participant.presence", "{\"participant_id\":3,\"online\":false}");
  for (int i = 0; i < 40; i++)
    log_add (log, 30 * 1000, "chat.message", "{\"message\":{\"id\":%d,\"text\":\"hi\"}}", 300 + i);
  log_fold (log, stepped, n, log->names->len);
  folded = log_fold_all (log);
  g_assert_cmpint (cohort_ledger_points (stepped, 2, 0), ==, cohort_ledger_points (folded, 2, 0));
  g_assert_cmpint (cohort_ledger_points (stepped, 3, 0), ==, cohort_ledger_points (folded, 3, 0));
  /* Mei: 90 minutes online → 9 blocks; Li: 66 minutes → 6 blocks. */
  g_assert_cmpint (cohort_ledger_points (stepped, 2, 0), ==, 9 * COHORT_POINTS_ATTENDANCE);
  g_assert_cmpint (cohort_ledger_points (stepped, 3, 0), ==, 6 * COHORT_POINTS_ATTENDANCE);
  g_assert_cmpuint (cohort_ledger_get_entries (stepped)->len, ==,
                    cohort_ledger_get_entries (folded)->len);
}

static void
test_streak_badges (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 10, 8, 0));
  g_autoptr(CohortLedger) ledger = NULL;
  const CohortStreak *streak;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  add_person (log, 2, "Mei", "student", FALSE);
  for (int i = 0; i < 7; i++)
    check_in (log, 24 * 60 * MIN_MS, 2, "Asia/Shanghai", 10);
  ledger = log_fold_all (log);
  streak = cohort_ledger_get_streak (ledger, 2);
  g_assert_cmpuint (streak->length, ==, 7);
  g_assert_true (has_badge (ledger, 2, COHORT_BADGE_STREAK_3));
  g_assert_true (has_badge (ledger, 2, COHORT_BADGE_STREAK_7));
  g_assert_false (has_badge (ledger, 2, COHORT_BADGE_STREAK_30));
  g_assert_cmpstr (cohort_ledger_get_member_tz (ledger, 2), ==, "Asia/Shanghai");
  g_assert_cmpint (cohort_ledger_points (ledger, 2, 0), ==, 7 * COHORT_POINTS_CHECK_IN);
}

static void
test_quiz_results (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 10, 8, 0));
  g_autoptr(CohortLedger) ledger = NULL;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  add_person (log, 2, "Mei", "student", FALSE);
  add_person (log, 3, "Ana", "student", FALSE);
  log_add (log, 1, "ledger.quiz_results",
           "{\"quiz_id\":\"z\",\"results\":["
           "{\"participant_id\":2,\"correct\":2,\"total\":2,\"answers\":["
           "{\"question_id\":1,\"correct\":true},{\"question_id\":2,\"correct\":true}]},"
           "{\"participant_id\":3,\"correct\":1,\"total\":2,\"answers\":["
           "{\"question_id\":1,\"correct\":false},{\"question_id\":2,\"correct\":true}]}]}");
  /* The same results published again count nothing more. */
  log_add (log, 1, "ledger.quiz_results",
           "{\"quiz_id\":\"z\",\"results\":[{\"participant_id\":2,\"correct\":2,\"total\":2,"
           "\"answers\":[{\"question_id\":1,\"correct\":true}]}]}");
  ledger = log_fold_all (log);
  g_assert_cmpint (cohort_ledger_points (ledger, 2, 0), ==, 2 * COHORT_POINTS_QUIZ_CORRECT);
  g_assert_cmpint (cohort_ledger_points (ledger, 3, 0), ==,
                   COHORT_POINTS_QUIZ_ANSWER + COHORT_POINTS_QUIZ_CORRECT);
  g_assert_true (has_badge (ledger, 2, COHORT_BADGE_PERFECT_QUIZ));
  g_assert_false (has_badge (ledger, 3, COHORT_BADGE_PERFECT_QUIZ));
  g_assert_true (has_badge (ledger, 3, COHORT_BADGE_FIRST_CORRECT));
  g_assert_cmpuint (cohort_ledger_get_badges (ledger)->len, ==, 3);
}

/* The quiz feature's real event: quiz.scored, once per run. */
static void
test_quiz_scored_hook (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 10, 8, 0));
  g_autoptr(CohortLedger) ledger = NULL;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  add_person (log, 2, "Mei", "student", FALSE);
  add_person (log, 3, "Ana", "student", FALSE);
  log_add (log, 1, "quiz.scored",
           "{\"run_id\":4,\"question_id\":9,\"scores\":["
           "{\"participant_id\":2,\"grade\":\"correct\",\"points\":100,\"elapsed_ms\":900},"
           "{\"participant_id\":3,\"grade\":\"wrong\",\"points\":0,\"elapsed_ms\":1200},"
           "{\"participant_id\":1,\"grade\":\"correct\",\"points\":100,\"elapsed_ms\":1}]}");
  /* Logged twice (it never is, but a duplicate must not count). */
  log_add (log, 1, "quiz.scored",
           "{\"run_id\":4,\"question_id\":9,\"scores\":["
           "{\"participant_id\":2,\"grade\":\"correct\",\"points\":100,\"elapsed_ms\":900}]}");
  g_assert_true (cohort_ledger_handles ("quiz.scored"));
  ledger = log_fold_all (log);
  g_assert_cmpint (cohort_ledger_points (ledger, 2, 0), ==, COHORT_POINTS_QUIZ_CORRECT);
  g_assert_cmpint (cohort_ledger_points (ledger, 3, 0), ==, COHORT_POINTS_QUIZ_ANSWER);
  g_assert_cmpint (cohort_ledger_points (ledger, 1, 0), ==, 0);
  g_assert_true (has_badge (ledger, 2, COHORT_BADGE_FIRST_CORRECT));
  g_assert_false (has_badge (ledger, 3, COHORT_BADGE_FIRST_CORRECT));
}

/* Chat's real events: chat.votes (with voter and author) and chat.helpful. */
static void
test_chat_hooks (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 10, 8, 0));
  g_autoptr(CohortLedger) ledger = NULL;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  add_person (log, 2, "Mei", "student", FALSE);
  add_person (log, 3, "Ana", "student", FALSE);
  add_person (log, 4, "Li", "student", FALSE);
  g_assert_true (cohort_ledger_handles ("chat.votes"));
  g_assert_true (cohort_ledger_handles ("chat.helpful"));

  /* Mei and Li upvote Ana's question 10: two points each, once. */
  log_vote (log, 10, 1, 2, 3, TRUE);
  /* Taken back and given again: the same (question, voter), no more. */
  log_vote (log, 10, 0, 2, 3, FALSE);
  log_vote (log, 10, 1, 2, 3, TRUE);
  log_vote (log, 10, 2, 4, 3, TRUE);
  /* A self-vote (the server refuses it, the ledger too) and an old-shape
   * event without voter and author count nothing. */
  log_vote (log, 10, 3, 3, 3, TRUE);
  log_add (log, 1, "chat.votes", "{\"message_id\":11,\"votes\":1,\"participant_id\":2,"
           "\"vote\":true}");

  /* The teacher marks Mei's answer 20 to Ana's question helpful: 8 points,
   * once; a student's mark and an answer to one's own question count
   * nothing. */
  log_helpful (log, 20, 10, 2, 3, 1, 1);
  log_helpful (log, 20, 10, 2, 3, 1, 2);
  log_helpful (log, 21, 10, 4, 3, 3, 3);
  log_helpful (log, 22, 10, 3, 3, 1, 4);

  ledger = log_fold_all (log);
  g_assert_cmpint (COHORT_POINTS_HELPFUL, ==, 8);
  g_assert_cmpint (cohort_ledger_points (ledger, 3, 0), ==, 2 * COHORT_POINTS_UPVOTE);
  g_assert_cmpint (cohort_ledger_points (ledger, 2, 0), ==, COHORT_POINTS_HELPFUL);
  g_assert_cmpint (cohort_ledger_points (ledger, 4, 0), ==, 0);
  g_assert_cmpint (cohort_ledger_points (ledger, 1, 0), ==, 0);
}

/* The quiz feature's whole-sequence event: quiz.finished. */
static void
test_quiz_finished_hook (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 10, 8, 0));
  g_autoptr(CohortLedger) ledger = NULL;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  add_person (log, 2, "Mei", "student", FALSE);
  add_person (log, 3, "Ana", "student", FALSE);
  add_person (log, 4, "Li", "student", FALSE);
  g_assert_true (cohort_ledger_handles ("quiz.finished"));
  /* Mei: all 3 right. Ana: 2 of 3 right. Li: both answers right but one
   * question unanswered. The teacher is never a student. */
  log_add (log, 1, "quiz.finished",
           "{\"sequence_id\":5,\"run_id\":7,\"total\":3,\"results\":["
           "{\"participant_id\":2,\"answered\":3,\"correct\":3,\"total\":3},"
           "{\"participant_id\":3,\"answered\":3,\"correct\":2,\"total\":3},"
           "{\"participant_id\":4,\"answered\":2,\"correct\":2,\"total\":3},"
           "{\"participant_id\":1,\"answered\":3,\"correct\":3,\"total\":3}]}");
  /* A second perfect quiz does not award the badge twice. */
  log_add (log, 1, "quiz.finished",
           "{\"sequence_id\":8,\"run_id\":8,\"total\":1,\"results\":["
           "{\"participant_id\":2,\"answered\":1,\"correct\":1,\"total\":1}]}");
  ledger = log_fold_all (log);
  g_assert_true (has_badge (ledger, 2, COHORT_BADGE_PERFECT_QUIZ));
  g_assert_false (has_badge (ledger, 3, COHORT_BADGE_PERFECT_QUIZ));
  g_assert_false (has_badge (ledger, 4, COHORT_BADGE_PERFECT_QUIZ));
  g_assert_false (has_badge (ledger, 1, COHORT_BADGE_PERFECT_QUIZ));
  g_assert_cmpuint (cohort_ledger_get_badges (ledger)->len, ==, 1);
  /* Badges only: the points came with quiz.scored. */
  g_assert_cmpint (cohort_ledger_points (ledger, 2, 0), ==, 0);
}

static void
test_helper_of_week (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 10, 8, 0));   /* Monday, week 24 */
  g_autoptr(CohortLedger) ledger = NULL;
  const GPtrArray *badges;
  CohortBadgeAward *award;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  add_person (log, 2, "Mei", "student", FALSE);
  add_person (log, 3, "Ana", "student", FALSE);
  log_add (log, 1, "ledger.helpful", "{\"answer_id\":1,\"author_id\":3,\"asker_id\":2,\"by\":1}");
  log_add (log, 1, "ledger.helpful", "{\"answer_id\":2,\"author_id\":3,\"asker_id\":2,\"by\":1}");
  log_add (log, 1, "ledger.helpful", "{\"answer_id\":3,\"author_id\":2,\"asker_id\":3,\"by\":1}");
  ledger = log_fold_all (log);
  g_assert_false (has_badge (ledger, 3, COHORT_BADGE_HELPER_OF_WEEK));
  g_clear_pointer (&ledger, cohort_ledger_free);

  /* Any event in the next week closes week 24. */
  log_add (log, 7 * 24 * 60 * MIN_MS, "hand.raised", "{}");
  ledger = log_fold_all (log);
  g_assert_true (has_badge (ledger, 3, COHORT_BADGE_HELPER_OF_WEEK));
  g_assert_false (has_badge (ledger, 2, COHORT_BADGE_HELPER_OF_WEEK));
  badges = cohort_ledger_get_badges (ledger);
  award = g_ptr_array_index (badges, 0);
  g_assert_cmpstr (award->detail, ==, "2024-W24");
}

static void
test_boards_with_ties (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 12, 8, 0));   /* Wednesday */
  g_autoptr(CohortLedger) ledger = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) week = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  struct { gint64 id; guint rank; gint64 points; } expected[] = {
    { 3, 1, 10 }, { 5, 1, 10 }, { 2, 3, 5 }, { 4, 4, 0 },
  };

  add_person (log, 1, "Teacher", "teacher", TRUE);
  add_person (log, 2, "Zed", "student", FALSE);
  add_person (log, 3, "Ana", "student", FALSE);
  add_person (log, 4, "Bo", "student", FALSE);
  add_person (log, 5, "Cy", "student", FALSE);
  log_add (log, 1, "groups.created", "{\"group\":{\"id\":1,\"name\":\"Owls\",\"size\":4}}");
  log_add (log, 1, "groups.created", "{\"group\":{\"id\":2,\"name\":\"Bees\",\"size\":4}}");
  log_add (log, 1, "groups.assigned",
           "{\"assignments\":[{\"participant_id\":2,\"group_id\":1},{\"participant_id\":3,\"group_id\":1},"
           "{\"participant_id\":5,\"group_id\":2},{\"participant_id\":4,\"group_id\":2}],\"by\":1}");
  /* Last week: Zed earns 5 (stars count for all time only). */
  log_add (log, 1, "groups.starred", "{\"star_id\":1,\"participant_id\":2,\"reason\":\"r\",\"by\":1}");
  log_add (log, 7 * 24 * 60 * MIN_MS, "groups.starred",
           "{\"star_id\":2,\"participant_id\":3,\"reason\":\"r\",\"by\":1}");
  log_add (log, 1, "groups.starred", "{\"star_id\":3,\"participant_id\":3,\"reason\":\"r\",\"by\":1}");
  log_add (log, 1, "groups.starred", "{\"star_id\":4,\"participant_id\":5,\"reason\":\"r\",\"by\":1}");
  log_add (log, 1, "groups.starred", "{\"star_id\":5,\"participant_id\":5,\"reason\":\"r\",\"by\":1}");
  ledger = log_fold_all (log);

  rows = cohort_ledger_board (ledger, FALSE, 0);
  g_assert_cmpuint (rows->len, ==, 4);
  for (guint i = 0; i < rows->len; i++)
    {
      CohortBoardRow *row = g_ptr_array_index (rows, i);

      g_assert_cmpint (row->id, ==, expected[i].id);
      g_assert_cmpuint (row->rank, ==, expected[i].rank);
      g_assert_cmpint (row->points, ==, expected[i].points);
    }

  /* This week (from Monday 00:00 UTC): Zed's star was last week. */
  week = cohort_ledger_board (ledger, FALSE, cohort_ledger_week_start (ledger, log->now));
  g_assert_cmpint (((CohortBoardRow *) g_ptr_array_index (week, 2))->id, ==, 4);  /* Bo, 0 */
  g_assert_cmpuint (((CohortBoardRow *) g_ptr_array_index (week, 2))->rank, ==, 3);
  g_assert_cmpint (((CohortBoardRow *) g_ptr_array_index (week, 3))->id, ==, 2);  /* Zed, 0 */
  g_assert_cmpuint (((CohortBoardRow *) g_ptr_array_index (week, 3))->rank, ==, 3);

  /* Groups: Owls 15 (Zed 5 + Ana 10), Bees 10. */
  groups = cohort_ledger_board (ledger, TRUE, 0);
  g_assert_cmpint (((CohortBoardRow *) g_ptr_array_index (groups, 0))->id, ==, 1);
  g_assert_cmpint (((CohortBoardRow *) g_ptr_array_index (groups, 0))->points, ==, 15);
  g_assert_cmpint (((CohortBoardRow *) g_ptr_array_index (groups, 1))->points, ==, 10);
}

static void
test_week_start_zone (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 9, 17, 0));  /* Mon 01:00 in Shanghai */
  g_autoptr(CohortLedger) ledger = NULL;

  log_add (log, 1, "groups.settings", "{\"settings\":{\"tz\":\"Asia/Shanghai\"}}");
  ledger = log_fold_all (log);
  g_assert_cmpstr (cohort_ledger_get_class_tz (ledger), ==, "Asia/Shanghai");
  g_assert_cmpint (cohort_ledger_week_start (ledger, log->now), ==, utc_ms (2024, 6, 9, 16, 0));
  /* An unknown zone in the log is ignored. */
  log_add (log, 1, "groups.settings", "{\"settings\":{\"tz\":\"Nowhere/Land\"}}");
  g_clear_pointer (&ledger, cohort_ledger_free);
  ledger = log_fold_all (log);
  g_assert_cmpstr (cohort_ledger_get_class_tz (ledger), ==, "Asia/Shanghai");
}

static void
test_group_streak_and_pk (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 6, 10, 8, 0));
  g_autoptr(CohortLedger) ledger = NULL;
  gint64 scores[COHORT_PK_MAX_GROUPS] = { 0 };
  const CohortPk *pk;
  gint64 start;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  add_person (log, 2, "A", "student", FALSE);
  add_person (log, 3, "B", "student", FALSE);
  add_person (log, 4, "C", "student", FALSE);
  log_add (log, 1, "groups.created", "{\"group\":{\"id\":1,\"name\":\"G1\",\"size\":3}}");
  log_add (log, 1, "groups.created", "{\"group\":{\"id\":2,\"name\":\"G2\",\"size\":3}}");
  log_add (log, 1, "groups.assigned",
           "{\"assignments\":[{\"participant_id\":2,\"group_id\":1},{\"participant_id\":3,\"group_id\":1},"
           "{\"participant_id\":4,\"group_id\":2}],\"by\":1}");
  /* Day 1: one of two checks in (half, rounded up: 1 is enough). Day 2:
   * both. Day 3: nobody yet. */
  check_in (log, 1, 2, "UTC", 0);
  check_in (log, 24 * 60 * MIN_MS, 2, "UTC", 0);
  check_in (log, 1, 3, "UTC", 0);
  ledger = log_fold_all (log);
  g_assert_cmpuint (cohort_ledger_group_streak (ledger, 1, log->now), ==, 2);
  g_assert_cmpuint (cohort_ledger_group_streak (ledger, 1, log->now + 24 * 60 * MIN_MS), ==, 2);
  g_assert_cmpuint (cohort_ledger_group_streak (ledger, 1, log->now + 48 * 60 * MIN_MS), ==, 0);
  g_assert_cmpuint (cohort_ledger_group_streak (ledger, 2, log->now), ==, 0);
  g_clear_pointer (&ledger, cohort_ledger_free);

  start = log->now + 1000;
  log_add (log, 1, "groups.pk_started",
           "{\"pk\":{\"id\":1,\"group_ids\":[1,2],\"starts_at\":%" G_GINT64_FORMAT
           ",\"ends_at\":%" G_GINT64_FORMAT "}}", start, start + 10 * MIN_MS);
  log_add (log, 2000, "groups.starred", "{\"star_id\":1,\"participant_id\":4,\"reason\":\"r\",\"by\":1}");
  log_add (log, 1, "groups.starred", "{\"star_id\":2,\"participant_id\":4,\"reason\":\"r\",\"by\":1}");
  log_add (log, 1, "groups.pk_ended", "{\"pk_id\":1,\"ended_at\":%" G_GINT64_FORMAT "}", log->now + 1);
  /* After the end: not in the PK. */
  log_add (log, 5, "groups.starred", "{\"star_id\":3,\"participant_id\":2,\"reason\":\"r\",\"by\":1}");
  ledger = log_fold_all (log);
  pk = cohort_ledger_get_pk (ledger);
  g_assert_nonnull (pk);
  g_assert_true (pk->stopped);
  cohort_ledger_pk_scores (ledger, scores);
  g_assert_cmpint (scores[0], ==, 0);
  g_assert_cmpint (scores[1], ==, 2 * COHORT_POINTS_STAR);
}

/* The live path folds the log a few events at a time, sometimes seeing an
 * event twice; a fresh full fold must give the very same ledger. */
static void
test_live_equals_recompute (void)
{
  g_autoptr(Log) log = log_new (utc_ms (2024, 3, 8, 12, 0));
  g_autoptr(CohortLedger) live = cohort_ledger_new ();
  g_autoptr(CohortLedger) full = NULL;
  g_autoptr(CohortLedger) other = NULL;
  g_autofree char *diff = NULL;
  g_autofree char *diff2 = NULL;
  GRand *rand = g_rand_new_with_seed (6);
  guint folded = 0;

  add_person (log, 1, "Teacher", "teacher", TRUE);
  for (gint64 id = 2; id <= 9; id++)
    add_person (log, id, "S", "student", id % 2 == 0);
  log_add (log, 1, "groups.created", "{\"group\":{\"id\":1,\"name\":\"G1\",\"size\":4}}");
  log_add (log, 1, "groups.created", "{\"group\":{\"id\":2,\"name\":\"G2\",\"size\":4}}");
  log_add (log, 1, "groups.settings", "{\"settings\":{\"tz\":\"America/New_York\"}}");
  for (guint i = 0; i < 400; i++)
    {
      gint64 pid = g_rand_int_range (rand, 2, 10);
      gint64 other_id = g_rand_int_range (rand, 1, 10);
      gint64 gap = g_rand_int_range (rand, 1, 6 * 60) * MIN_MS;

      switch (g_rand_int_range (rand, 0, 7))
        {
        case 0:
          check_in (log, gap, pid, pid % 3 ? "America/New_York" : "Asia/Shanghai",
                    g_rand_int_range (rand, 0, 90));
          break;
        case 1:
          log_add (log, gap, "participant.presence",
                   "{\"participant_id\":%" G_GINT64_FORMAT ",\"online\":%s}", pid,
                   g_rand_boolean (rand) ? "true" : "false");
          break;
        case 2:
          log_add (log, gap, "groups.starred",
                   "{\"star_id\":%u,\"participant_id\":%" G_GINT64_FORMAT ",\"reason\":\"r\",\"by\":%"
                   G_GINT64_FORMAT "}", g_rand_int_range (rand, 1, 200), pid, other_id);
          break;
        case 3:
          log_add (log, gap, "groups.assigned",
                   "{\"assignments\":[{\"participant_id\":%" G_GINT64_FORMAT ",\"group_id\":%d}]}",
                   pid, g_rand_int_range (rand, 0, 3));
          break;
        case 4:
          log_add (log, gap, "ledger.upvote",
                   "{\"question_id\":\"q%u\",\"author_id\":%" G_GINT64_FORMAT ",\"voter_id\":%"
                   G_GINT64_FORMAT "}", g_rand_int_range (rand, 0, 20), pid, other_id);
          break;
        case 5:
          log_add (log, gap, "ledger.helpful",
                   "{\"answer_id\":\"a%u\",\"author_id\":%" G_GINT64_FORMAT ",\"asker_id\":%"
                   G_GINT64_FORMAT ",\"by\":1}", g_rand_int_range (rand, 0, 50), pid, other_id);
          break;
        default:
          log_add (log, gap, "ledger.quiz_answer",
                   "{\"participant_id\":%" G_GINT64_FORMAT ",\"quiz_id\":%u,\"question_id\":%u,"
                   "\"correct\":%s}", pid, g_rand_int_range (rand, 0, 3), g_rand_int_range (rand, 0, 5),
                   g_rand_boolean (rand) ? "true" : "false");
          break;
        }
    }

  while (folded < log->names->len)
    {
      guint step = g_rand_int_range (rand, 1, 12);
      guint back = MIN (folded, (guint) g_rand_int_range (rand, 0, 3));

      /* Re-deliver a few already-folded events, then move on. */
      log_fold (log, live, folded - back, MIN (folded + step, log->names->len));
      folded = MIN (folded + step, log->names->len);
    }

  full = log_fold_all (log);
  diff = cohort_ledger_diff (live, full);
  g_assert_null (diff);
  g_assert_cmpuint (cohort_ledger_get_entries (full)->len, >, 50);
  g_assert_cmpuint (cohort_ledger_get_badges (full)->len, >, 3);

  /* And the comparison does catch a difference. */
  other = log_fold_all (log);
  cohort_ledger_apply_json (other, log->names->len + 1, log->now + 1, "groups.starred",
                            "{\"star_id\":9999,\"participant_id\":2,\"reason\":\"r\",\"by\":1}");
  diff2 = cohort_ledger_diff (other, full);
  g_assert_nonnull (diff2);
  g_rand_free (rand);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/groups/ledger/points-and-integrity", test_points_and_integrity);
  g_test_add_func ("/cohort/groups/ledger/upvote-cap", test_upvote_cap);
  g_test_add_func ("/cohort/groups/ledger/attendance", test_attendance);
  g_test_add_func ("/cohort/groups/ledger/clock-only-events", test_clock_only_events);
  g_test_add_func ("/cohort/groups/ledger/streak-badges", test_streak_badges);
  g_test_add_func ("/cohort/groups/ledger/quiz-results", test_quiz_results);
  g_test_add_func ("/cohort/groups/ledger/quiz-scored-hook", test_quiz_scored_hook);
  g_test_add_func ("/cohort/groups/ledger/helper-of-week", test_helper_of_week);
  g_test_add_func ("/cohort/groups/ledger/chat-hooks", test_chat_hooks);
  g_test_add_func ("/cohort/groups/ledger/quiz-finished-hook", test_quiz_finished_hook);
  g_test_add_func ("/cohort/groups/ledger/boards-with-ties", test_boards_with_ties);
  g_test_add_func ("/cohort/groups/ledger/week-start-zone", test_week_start_zone);
  g_test_add_func ("/cohort/groups/ledger/group-streak-and-pk", test_group_streak_and_pk);
  g_test_add_func ("/cohort/groups/ledger/live-equals-recompute", test_live_equals_recompute);

  return g_test_run ();
}

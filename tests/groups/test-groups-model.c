/* test-groups-model.c: CohortGroups, CohortLeaderboard, CohortBadges and
 * CohortPk on CohortSession against a real cohort-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-groups.h"
#include "cohort-groups-protocol.h"
#include "cohort-groups-leaderboard.h"
#include "cohort-protocol.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

static CohortSession *
create_class (CohortTestServer  *server,
              CohortGroups     **out_groups)
{
  g_autoptr(CohortSession) session = cohort_session_new ();

  /* Made before the join: fed by the welcome. */
  *out_groups = cohort_groups_new (session);
  cohort_test_session_create_class_with (session, cohort_test_server_get_url (server), "Groups",
                                         "Ms Li");
  return g_steal_pointer (&session);
}

/* Waits for a groups request started with @result and returns its body. */
static JsonObject *
finish_ok (CohortGroups  *groups,
           GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  COHORT_TEST_WAIT_UNTIL (*result != NULL);
  body = cohort_groups_request_finish (groups, *result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (body);
  g_clear_object (result);
  return body;
}

static void
finish_error (CohortGroups    *groups,
              GAsyncResult   **result,
              CohortErrorCode  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;

  COHORT_TEST_WAIT_UNTIL (*result != NULL);
  body = cohort_groups_request_finish (groups, *result, &error);
  g_assert_null (body);
  g_assert_error (error, COHORT_PROTOCOL_ERROR, (int) code);
  g_clear_object (result);
}

static CohortGroupMember *
member_at (CohortGroup *group,
           guint        i)
{
  g_autoptr(CohortGroupMember) m = g_list_model_get_item (cohort_group_get_members (group), i);

  return m;  /* the group keeps it */
}

typedef struct
{
  guint  n;
  gint64 participant_id;
  char  *reason;
} Starred;

static void
on_starred (CohortGroups *groups,
            gint64        participant_id,
            const char   *name,
            const char   *reason,
            Starred      *s)
{
  s->n++;
  s->participant_id = participant_id;
  g_free (s->reason);
  s->reason = g_strdup (reason);
}

static void
on_earned (CohortBadges *badges,
           CohortBadge  *badge,
           GPtrArray    *earned)
{
  g_ptr_array_add (earned, g_object_ref (badge));
}

static void
on_updated (CohortLeaderboard *board,
            guint             *n)
{
  (*n)++;
}

static gint64
group_id_at (CohortGroups *groups,
             guint         i)
{
  g_autoptr(CohortGroup) g = g_list_model_get_item (G_LIST_MODEL (groups), i);

  return cohort_group_get_id (g);
}

/* One server for the whole binary; each case makes its own class. */
static CohortTestServer *server;

/* A class with its teacher and three students (Ana, Ben, Cai), and each
 * one's groups model. */
typedef struct
{
  CohortSession *teacher;
  CohortSession *ana;
  CohortSession *ben;
  CohortSession *cai;
  CohortGroups  *tg;
  CohortGroups  *ag;
  CohortGroups  *bg;
  CohortGroups  *cg;
  gint64         ana_id;
  gint64         ben_id;
  gint64         cai_id;
  /* Set by stage_create (). */
  gint64         owls;
  gint64         bees;
  GPtrArray     *ana_earned;
  GPtrArray     *teacher_earned;
  Starred        starred;
} Class;

static void
class_setup (Class         *c,
             gconstpointer  data)
{
  const char *url = cohort_test_server_get_url (server);

  c->teacher = create_class (server, &c->tg);
  c->ana = cohort_test_session_join (url, c->teacher, "Ana");
  c->ben = cohort_test_session_join (url, c->teacher, "Ben");
  c->cai = cohort_test_session_join (url, c->teacher, "Cai");
  /* Made after the join: they sync. */
  c->ag = cohort_groups_new (c->ana);
  c->bg = cohort_groups_new (c->ben);
  c->cg = cohort_groups_new (c->cai);
  c->ana_id = cohort_participant_get_id (cohort_session_get_self (c->ana));
  c->ben_id = cohort_participant_get_id (cohort_session_get_self (c->ben));
  c->cai_id = cohort_participant_get_id (cohort_session_get_self (c->cai));
  c->ana_earned = g_ptr_array_new_with_free_func (g_object_unref);
  c->teacher_earned = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
class_teardown (Class         *c,
                gconstpointer  data)
{
  g_clear_object (&c->tg);
  g_clear_object (&c->ag);
  g_clear_object (&c->bg);
  g_clear_object (&c->cg);
  g_clear_object (&c->teacher);
  g_clear_object (&c->ana);
  g_clear_object (&c->ben);
  g_clear_object (&c->cai);
  g_clear_pointer (&c->ana_earned, g_ptr_array_unref);
  g_clear_pointer (&c->teacher_earned, g_ptr_array_unref);
  g_clear_pointer (&c->starred.reason, g_free);
  /* Let closed sockets and finished tasks go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The stages of a class's life: each case runs the ones before what it
 * tests, on its own class. */
static void
stage_sync (Class *c)
{
  CohortGroups *tg = c->tg;
  CohortGroups *ag = c->ag;
  CohortGroups *bg = c->bg;
  CohortGroups *cg = c->cg;

  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_synced (tg) && cohort_groups_get_synced (ag) &&
                          cohort_groups_get_synced (bg) && cohort_groups_get_synced (cg));
  g_assert_true (cohort_groups_get_is_teacher (tg));
  g_assert_false (cohort_groups_get_is_teacher (ag));
  g_assert_null (cohort_groups_get_my_group (ag));
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_groups_get_unassigned (tg)) == 3);
}

/* Forming groups: a student cannot, the teacher can. */
static void
stage_create (Class *c)
{
  CohortGroups *tg = c->tg;
  CohortGroups *ag = c->ag;
  CohortGroups *cg = c->cg;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  gint64 owls, bees;

  cohort_groups_create_async (ag, "Rebels", 3, NULL, 0, NULL, cohort_test_on_result, &result);
  finish_error (ag, &result, COHORT_ERROR_FORBIDDEN);
  cohort_groups_create_async (tg, "Owls", 2, "Mechanics", 50, NULL, cohort_test_on_result, &result);
  reply = finish_ok (tg, &result);
  owls = json_object_get_int_member (json_object_get_object_member (reply, "group"), "id");
  g_clear_pointer (&reply, json_object_unref);
  cohort_groups_create_async (tg, "Bees", 2, "Optics", 0, NULL, cohort_test_on_result, &result);
  reply = finish_ok (tg, &result);
  bees = json_object_get_int_member (json_object_get_object_member (reply, "group"), "id");
  g_clear_pointer (&reply, json_object_unref);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (ag)) == 2 &&
                          g_list_model_get_n_items (G_LIST_MODEL (cg)) == 2);
  g_assert_cmpint (group_id_at (ag, 0), ==, owls);
  g_assert_cmpstr (cohort_group_get_topic (cohort_groups_lookup (ag, owls)), ==, "Mechanics");
  g_assert_cmpint (cohort_group_get_goal_points (cohort_groups_lookup (ag, owls)), ==, 50);
  c->owls = owls;
  c->bees = bees;
}

/* By hand, then by picking, then auto-balance. */
static void
stage_assign (Class *c)
{
  CohortGroups *tg = c->tg;
  CohortGroups *ag = c->ag;
  CohortGroups *bg = c->bg;
  CohortGroups *cg = c->cg;
  gint64 ana_id = c->ana_id;
  gint64 owls = c->owls;
  gint64 bees = c->bees;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;

  cohort_groups_assign_async (tg, ana_id, owls, NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_my_group (ag) != NULL);
  g_assert_cmpint (cohort_group_get_id (cohort_groups_get_my_group (ag)), ==, owls);
  g_assert_true (cohort_group_get_is_mine (cohort_groups_lookup (ag, owls)));
  cohort_groups_pick_async (bg, owls, NULL, cohort_test_on_result, &result);
  finish_error (bg, &result, COHORT_ERROR_FORBIDDEN);
  cohort_groups_set_settings_async (tg, TRUE, NULL, 0, NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_pick_open (bg));
  cohort_groups_pick_async (bg, owls, NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (bg, &result);
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_my_group (bg) == cohort_groups_lookup (bg, owls));
  /* Owls is full now. */
  cohort_groups_pick_async (cg, owls, NULL, cohort_test_on_result, &result);
  finish_error (cg, &result, COHORT_ERROR_INVALID);
  cohort_groups_balance_async (tg, FALSE, NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  g_assert_cmpint (json_object_get_int_member (reply, "moved"), ==, 1);
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_my_group (cg) == cohort_groups_lookup (cg, bees));
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_groups_get_unassigned (tg)) == 0);
  g_assert_cmpuint (cohort_group_get_n_members (cohort_groups_lookup (tg, owls)), ==, 2);
  g_assert_cmpuint (cohort_group_get_n_members (cohort_groups_lookup (ag, owls)), ==, 2);
  g_assert_cmpstr (cohort_group_member_get_name (member_at (cohort_groups_lookup (ag, owls), 0)), ==, "Ana");
  g_assert_cmpstr (cohort_group_member_get_name (member_at (cohort_groups_lookup (ag, owls), 1)), ==, "Ben");
  g_assert_true (cohort_group_member_get_is_self (member_at (cohort_groups_lookup (ag, owls), 0)));
}

/* A check-in: the author sees it at once, the group and the teacher by
 * event, the other group never; points and streak come from the server. */
static void
stage_checkin (Class *c)
{
  CohortGroups *tg = c->tg;
  CohortGroups *ag = c->ag;
  CohortGroups *bg = c->bg;
  CohortGroups *cg = c->cg;
  gint64 ana_id = c->ana_id;
  GPtrArray *ana_earned = c->ana_earned;
  GPtrArray *teacher_earned = c->teacher_earned;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  CohortGroupMember *m;

  g_signal_connect (cohort_groups_get_badges (ag), "earned", G_CALLBACK (on_earned), ana_earned);
  g_signal_connect (cohort_groups_get_badges (tg), "earned", G_CALLBACK (on_earned), teacher_earned);
  cohort_groups_check_in_async (ag, "  Learned Newton's second law.\nNext: friction.  ", 130, "Asia/Shanghai",
                                NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (ag, &result);
  g_assert_false (json_object_get_boolean_member (reply, "already"));
  m = cohort_groups_lookup_member (ag, ana_id);
  g_assert_cmpstr (cohort_group_member_get_note (m), ==, "Learned Newton's second law.\nNext: friction.");
  g_assert_cmpint (cohort_group_member_get_minutes (m), ==, 130);
  g_assert_cmpstr (cohort_group_member_get_tz (m), ==, "Asia/Shanghai");
  g_assert_true (cohort_group_member_get_checked_in_today (m));
  COHORT_TEST_WAIT_UNTIL (cohort_group_member_get_checked_in_today (cohort_groups_lookup_member (bg, ana_id)));
  COHORT_TEST_WAIT_UNTIL (cohort_group_member_get_checked_in_today (cohort_groups_lookup_member (tg, ana_id)));
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_points_all (ag) == 10);
  g_assert_true (cohort_groups_get_checked_in_today (ag));
  g_assert_cmpint (cohort_groups_get_streak (ag), ==, 1);
  g_assert_cmpint (cohort_groups_get_freezes_left (ag), ==, 1);
  g_assert_cmpint (cohort_groups_get_study_minutes_today (ag), >=, 130);
  g_assert_cmpint (cohort_group_member_get_checkin_id (cohort_groups_lookup_member (cg, ana_id)), ==, 0);
  /* 2 hours of study in one day: a badge, with a toast-worthy signal for
   * the student and the teacher; the others' models never see it. */
  COHORT_TEST_WAIT_UNTIL (ana_earned->len == 1 && teacher_earned->len == 1);
  g_assert_cmpstr (cohort_badge_get_kind (g_ptr_array_index (ana_earned, 0)), ==, "study-2h");
  g_assert_cmpstr (cohort_badge_get_title (g_ptr_array_index (ana_earned, 0)), ==, "Deep Study");
  g_assert_cmpstr (cohort_badge_get_name (g_ptr_array_index (teacher_earned, 0)), ==, "Ana");
  g_assert_nonnull (cohort_badges_lookup_own (cohort_groups_get_badges (ag), "study-2h"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cohort_groups_get_badges (bg))), ==, 0);
}

/* Once per local day. */
static void
stage_once (Class *c)
{
  CohortGroups *ag = c->ag;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;

  cohort_groups_check_in_async (ag, "again", 0, "Asia/Shanghai", NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (ag, &result);
  g_assert_true (json_object_get_boolean_member (reply, "already"));
}

/* A note over 280 characters is refused. */
static void
stage_longnote (Class *c)
{
  CohortGroups *bg = c->bg;
  g_autoptr(GAsyncResult) result = NULL;

  {
    g_autofree char *long_note = g_strnfill (281, 'x');

    cohort_groups_check_in_async (bg, long_note, 0, NULL, NULL, cohort_test_on_result, &result);
    finish_error (bg, &result, COHORT_ERROR_INVALID);
  }
}

/* Reactions: a peer of the group, never the author. */
static void
stage_react (Class *c)
{
  CohortGroups *ag = c->ag;
  CohortGroups *bg = c->bg;
  gint64 ana_id = c->ana_id;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  CohortGroupMember *m;

  m = cohort_groups_lookup_member (ag, ana_id);
  cohort_groups_react_async (bg, cohort_group_member_get_checkin_id (cohort_groups_lookup_member (bg, ana_id)),
                             "clap", NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (bg, &result);
  COHORT_TEST_WAIT_UNTIL (cohort_group_member_get_reaction_count (m, "clap") == 1);
  g_assert_false (cohort_group_member_get_reacted (m, "clap"));
  COHORT_TEST_WAIT_UNTIL (cohort_group_member_get_reacted (cohort_groups_lookup_member (bg, ana_id), "clap"));
  cohort_groups_react_async (ag, cohort_group_member_get_checkin_id (m), "fire", NULL, cohort_test_on_result, &result);
  finish_error (ag, &result, COHORT_ERROR_FORBIDDEN);
}

/* A star with a reason, to the student and the teacher. */
static void
stage_star (Class *c)
{
  CohortGroups *tg = c->tg;
  CohortGroups *bg = c->bg;
  gint64 ben_id = c->ben_id;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;

  g_signal_connect (bg, "starred", G_CALLBACK (on_starred), &c->starred);
  cohort_groups_star_async (tg, ben_id, "Helped Cai with vectors", NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  COHORT_TEST_WAIT_UNTIL (c->starred.n == 1);
  g_assert_cmpint (c->starred.participant_id, ==, ben_id);
  g_assert_cmpstr (c->starred.reason, ==, "Helped Cai with vectors");
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_points_all (bg) == 5);
}

/* Boards: Ana 10, Ben 5, Cai 0; the Owls 15, the Bees 0. */
static void
stage_boards (Class *c)
{
  CohortGroups *tg = c->tg;
  CohortGroups *cg = c->cg;
  gint64 ana_id = c->ana_id;
  gint64 cai_id = c->cai_id;
  gint64 owls = c->owls;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(CohortLeaderboard) board = NULL;
  g_autoptr(CohortLeaderboard) tboard = NULL;
  guint updates = 0;

  board = cohort_leaderboard_new (cg);
  g_signal_connect (board, "updated", G_CALLBACK (on_updated), &updates);
  cohort_leaderboard_set_period (board, "all");
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (board)) == 3);
  {
    g_autoptr(CohortBoardRow) first = g_list_model_get_item (G_LIST_MODEL (board), 0);
    g_autoptr(CohortBoardRow) last = g_list_model_get_item (G_LIST_MODEL (board), 2);

    g_assert_cmpint (cohort_board_row_get_id (first), ==, ana_id);
    g_assert_cmpint (cohort_board_row_get_points (first), ==, 10);
    g_assert_cmpfloat (cohort_board_row_get_fraction (first), ==, 1.0);
    g_assert_cmpint (cohort_board_row_get_id (last), ==, cai_id);
    g_assert_true (cohort_board_row_get_is_self (last));
    g_assert_true (cohort_leaderboard_get_you_listed (board));
  }
  /* Top 1 plus the own rank. */
  cohort_groups_set_settings_async (tg, -1, COHORT_GROUPS_BOARD_TOP, 1, NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (board)) == 1);
  g_assert_cmpstr (cohort_leaderboard_get_mode (board), ==, "top");
  g_assert_false (cohort_leaderboard_get_you_listed (board));
  g_assert_nonnull (cohort_leaderboard_get_you (board));
  g_assert_cmpint (cohort_board_row_get_rank (cohort_leaderboard_get_you (board)), ==, 3);
  /* The teacher still sees everyone. */
  tboard = cohort_leaderboard_new (tg);
  cohort_leaderboard_set_period (tboard, "all");
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (tboard)) == 3);
  /* Groups only: the individual board is hidden, the group board is not. */
  cohort_groups_set_settings_async (tg, -1, COHORT_GROUPS_BOARD_GROUPS, 0, NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  COHORT_TEST_WAIT_UNTIL (cohort_leaderboard_get_hidden (board));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (board)), ==, 0);
  g_assert_null (cohort_leaderboard_get_you (board));
  cohort_leaderboard_set_scope (board, "group");
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (board)) == 2);
  {
    g_autoptr(CohortBoardRow) first = g_list_model_get_item (G_LIST_MODEL (board), 0);
    g_autoptr(CohortBoardRow) second = g_list_model_get_item (G_LIST_MODEL (board), 1);

    g_assert_false (cohort_leaderboard_get_hidden (board));
    g_assert_cmpint (cohort_board_row_get_id (first), ==, owls);
    g_assert_cmpint (cohort_board_row_get_points (first), ==, 15);
    g_assert_true (cohort_board_row_get_is_self (second));
  }
  /* Standings reached the groups too. */
  COHORT_TEST_WAIT_UNTIL (cohort_group_get_points_all (cohort_groups_lookup (cg, owls)) == 15);
  g_assert_cmpfloat (cohort_group_get_goal_fraction (cohort_groups_lookup (cg, owls)), ==, 15.0 / 50.0);
  /* Half of the Owls (rounded up) checked in today. */
  g_assert_cmpint (cohort_group_get_streak (cohort_groups_lookup (cg, owls)), ==, 1);
  g_assert_cmpuint (updates, >=, 4);
}

/* Class PK: a live score for everyone, winners at the end. */
static void
stage_pk (Class *c)
{
  CohortGroups *tg = c->tg;
  CohortGroups *ag = c->ag;
  CohortGroups *cg = c->cg;
  gint64 owls = c->owls;
  gint64 bees = c->bees;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  CohortPk *pk;

  pk = cohort_groups_get_pk (cg);
  cohort_groups_pk_start_async (cg, 5, NULL, cohort_test_on_result, &result);
  finish_error (cg, &result, COHORT_ERROR_FORBIDDEN);
  cohort_groups_pk_start_async (tg, 5, NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  COHORT_TEST_WAIT_UNTIL (cohort_pk_get_running (pk));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pk)), ==, 2);
  g_assert_cmpint (cohort_pk_get_ends_at (pk) - cohort_pk_get_starts_at (pk), ==, 5 * 60 * 1000);
  cohort_groups_check_in_async (cg, "Lenses today", 20, "America/New_York", NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (cg, &result);
  COHORT_TEST_WAIT_UNTIL (cohort_pk_get_score (pk, bees) == 10);
  COHORT_TEST_WAIT_UNTIL (cohort_pk_get_score (cohort_groups_get_pk (ag), bees) == 10);
  g_assert_cmpint (cohort_pk_get_score (pk, owls), ==, 0);
  {
    g_autoptr(CohortBoardRow) row = g_list_model_get_item (G_LIST_MODEL (pk), 1);

    g_assert_cmpint (cohort_board_row_get_id (row), ==, bees);
    g_assert_cmpfloat (cohort_board_row_get_fraction (row), ==, 1.0);
    g_assert_true (cohort_board_row_get_is_self (row));
  }
  cohort_groups_pk_stop_async (tg, NULL, cohort_test_on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  COHORT_TEST_WAIT_UNTIL (!cohort_pk_get_running (pk));
  g_assert_cmpstr (cohort_pk_get_winners (pk), ==, "Bees");
  g_assert_cmpint (cohort_pk_get_ended_at (pk), >, 0);
}

/* A model made now gets the same picture from groups.sync. */
static void
stage_late (Class *c)
{
  CohortSession *ana = c->ana;
  gint64 ana_id = c->ana_id;
  gint64 owls = c->owls;
  gint64 bees = c->bees;
  g_autoptr(CohortGroups) late = NULL;

  late = cohort_groups_new (ana);
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_synced (late));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (late)), ==, 2);
  g_assert_cmpint (cohort_group_get_id (cohort_groups_get_my_group (late)), ==, owls);
  g_assert_cmpint (cohort_groups_get_points_all (late), ==, 10);
  g_assert_cmpint (cohort_groups_get_streak (late), ==, 1);
  g_assert_cmpstr (cohort_groups_get_board_mode (late), ==, COHORT_GROUPS_BOARD_GROUPS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cohort_groups_get_badges (late))), ==, 1);
  g_assert_cmpuint (cohort_group_member_get_reaction_count (cohort_groups_lookup_member (late, ana_id), "clap"),
                    ==, 1);
  g_assert_false (cohort_pk_get_running (cohort_groups_get_pk (late)));
  g_assert_cmpint (cohort_pk_get_score (cohort_groups_get_pk (late), bees), ==, 10);
}

static void
test_sync (Class         *c,
           gconstpointer  data)
{
  stage_sync (c);
}

static void
test_create (Class         *c,
             gconstpointer  data)
{
  stage_sync (c);
  stage_create (c);
}

static void
test_assign (Class         *c,
             gconstpointer  data)
{
  stage_sync (c);
  stage_create (c);
  stage_assign (c);
}

static void
test_check_in (Class         *c,
               gconstpointer  data)
{
  stage_sync (c);
  stage_create (c);
  stage_assign (c);
  stage_checkin (c);
}

static void
test_check_in_once (Class         *c,
                    gconstpointer  data)
{
  stage_sync (c);
  stage_create (c);
  stage_assign (c);
  stage_checkin (c);
  stage_once (c);
}

static void
test_check_in_long_note (Class         *c,
                         gconstpointer  data)
{
  stage_sync (c);
  stage_create (c);
  stage_assign (c);
  stage_longnote (c);
}

static void
test_react (Class         *c,
            gconstpointer  data)
{
  stage_sync (c);
  stage_create (c);
  stage_assign (c);
  stage_checkin (c);
  stage_react (c);
}

static void
test_star (Class         *c,
           gconstpointer  data)
{
  stage_sync (c);
  stage_create (c);
  stage_assign (c);
  stage_star (c);
}

static void
test_boards (Class         *c,
             gconstpointer  data)
{
  stage_sync (c);
  stage_create (c);
  stage_assign (c);
  stage_checkin (c);
  stage_star (c);
  stage_boards (c);
}

static void
test_pk (Class         *c,
         gconstpointer  data)
{
  stage_sync (c);
  stage_create (c);
  stage_assign (c);
  stage_pk (c);
}

/* The whole story, then a new model: the same picture from groups.sync. */
static void
test_late_model (Class         *c,
                 gconstpointer  data)
{
  stage_sync (c);
  stage_create (c);
  stage_assign (c);
  stage_checkin (c);
  stage_once (c);
  stage_longnote (c);
  stage_react (c);
  stage_star (c);
  stage_boards (c);
  stage_pk (c);
  stage_late (c);
}

/* A check-in made while the connection is down goes through the outbox
 * once the session is back, and counts once. */
static void
test_offline_check_in (void)
{
  g_autoptr(CohortGroups) tg = NULL;
  g_autoptr(CohortSession) teacher = create_class (server, &tg);
  g_autoptr(CohortSession) dan =
    cohort_test_session_join (cohort_test_server_get_url (server), teacher, "Dan");
  g_autoptr(CohortGroups) dg = cohort_groups_new (dan);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  gint64 dan_id = cohort_participant_get_id (cohort_session_get_self (dan));

  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_synced (dg));
  cohort_session_simulate_drop (dan);
  cohort_groups_check_in_async (dg, "Offline note", 15, NULL, NULL, cohort_test_on_result, &result);
  reply = finish_ok (dg, &result);
  g_assert_false (json_object_get_boolean_member (reply, "already"));
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_points_all (dg) == 10);
  COHORT_TEST_WAIT_UNTIL (cohort_group_member_get_checked_in_today (cohort_groups_lookup_member (tg, dan_id)));
  {
    g_autofree char *local = cohort_groups_dup_local_tz ();

    g_assert_true (cohort_groups_tz_is_valid (local));
    g_assert_cmpstr (cohort_group_member_get_tz (cohort_groups_lookup_member (tg, dan_id)), ==, local);
  }
  /* Recompute from the log agrees with what the models were told. */
  g_clear_pointer (&reply, json_object_unref);
  cohort_groups_request_async (tg, COHORT_REQ_GROUPS_RECOMPUTE, NULL, NULL, cohort_test_on_result, &result);
  reply = finish_ok (tg, &result);
  g_assert_true (json_object_get_boolean_member (reply, "equal"));
  g_assert_cmpint (json_object_get_int_member (
                     json_array_get_object_element (json_object_get_array_member (reply, "totals"), 0),
                     "points_all"), ==, 10);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/cohort/groups/model/" path, Class, NULL, class_setup, func, class_teardown)
  ADD ("sync", test_sync);
  ADD ("create", test_create);
  ADD ("assign-pick-balance", test_assign);
  ADD ("check-in", test_check_in);
  ADD ("check-in/once-a-day", test_check_in_once);
  ADD ("check-in/long-note", test_check_in_long_note);
  ADD ("react", test_react);
  ADD ("star", test_star);
  ADD ("boards", test_boards);
  ADD ("pk", test_pk);
  ADD ("late-model", test_late_model);
#undef ADD
  g_test_add_func ("/cohort/groups/model/offline-check-in", test_offline_check_in);

  server = cohort_test_server_start (NULL);
  status = g_test_run ();
  g_clear_pointer (&server, cohort_test_server_free);
  return status;
}

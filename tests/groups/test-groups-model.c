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
create_class (CohortTestServer  *server,
              CohortGroups     **out_groups)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  /* Made before the join: fed by the welcome. */
  *out_groups = cohort_groups_new (session);
  /* identity: as the test server's staff, no waiting room (tests/common). */
  g_object_set (session, "create-waiting-room", FALSE, NULL);
  cohort_session_create_class_async (session, cohort_test_server_get_url (server), "Groups", "Ms Li",
                                     cohort_test_staff_lookup (cohort_test_server_get_url (server)), NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, TIMEOUT_MS);
  g_assert_true (cohort_session_create_class_finish (session, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&session);
}

static CohortSession *
join_class (CohortTestServer  *server,
            CohortSession     *teacher,
            const char        *name)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  cohort_session_join_async (session, cohort_test_server_get_url (server),
                             cohort_session_get_class_code (teacher), name, NULL,
                             NULL, on_result, &result);
  WAIT_UNTIL (result != NULL, TIMEOUT_MS);
  g_assert_true (cohort_session_join_finish (session, result, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&session);
}

/* Waits for a groups request started with @result and returns its body. */
static JsonObject *
finish_ok (CohortGroups  *groups,
           GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  WAIT_UNTIL (*result != NULL, TIMEOUT_MS);
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

  WAIT_UNTIL (*result != NULL, TIMEOUT_MS);
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

static void
test_end_to_end (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(CohortGroups) tg = NULL;
  g_autoptr(CohortSession) teacher = create_class (server, &tg);
  g_autoptr(CohortSession) ana = join_class (server, teacher, "Ana");
  g_autoptr(CohortSession) ben = join_class (server, teacher, "Ben");
  g_autoptr(CohortSession) cai = join_class (server, teacher, "Cai");
  /* Made after the join: they sync. */
  g_autoptr(CohortGroups) ag = cohort_groups_new (ana);
  g_autoptr(CohortGroups) bg = cohort_groups_new (ben);
  g_autoptr(CohortGroups) cg = cohort_groups_new (cai);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GPtrArray) ana_earned = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) teacher_earned = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CohortLeaderboard) board = NULL;
  g_autoptr(CohortLeaderboard) tboard = NULL;
  g_autoptr(CohortGroups) late = NULL;
  Starred starred = { 0 };
  guint updates = 0;
  gint64 owls, bees;
  gint64 ana_id = cohort_participant_get_id (cohort_session_get_self (ana));
  gint64 ben_id = cohort_participant_get_id (cohort_session_get_self (ben));
  gint64 cai_id = cohort_participant_get_id (cohort_session_get_self (cai));
  CohortGroupMember *m;
  CohortPk *pk;

  WAIT_UNTIL (cohort_groups_get_synced (tg) && cohort_groups_get_synced (ag) &&
              cohort_groups_get_synced (bg) && cohort_groups_get_synced (cg), TIMEOUT_MS);
  g_assert_true (cohort_groups_get_is_teacher (tg));
  g_assert_false (cohort_groups_get_is_teacher (ag));
  g_assert_null (cohort_groups_get_my_group (ag));
  WAIT_UNTIL (g_list_model_get_n_items (cohort_groups_get_unassigned (tg)) == 3, TIMEOUT_MS);

  /* Forming groups: a student cannot, the teacher can. */
  cohort_groups_create_async (ag, "Rebels", 3, NULL, 0, NULL, on_result, &result);
  finish_error (ag, &result, COHORT_ERROR_FORBIDDEN);
  cohort_groups_create_async (tg, "Owls", 2, "Mechanics", 50, NULL, on_result, &result);
  reply = finish_ok (tg, &result);
  owls = json_object_get_int_member (json_object_get_object_member (reply, "group"), "id");
  g_clear_pointer (&reply, json_object_unref);
  cohort_groups_create_async (tg, "Bees", 2, "Optics", 0, NULL, on_result, &result);
  reply = finish_ok (tg, &result);
  bees = json_object_get_int_member (json_object_get_object_member (reply, "group"), "id");
  g_clear_pointer (&reply, json_object_unref);
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (ag)) == 2 &&
              g_list_model_get_n_items (G_LIST_MODEL (cg)) == 2, TIMEOUT_MS);
  g_assert_cmpint (group_id_at (ag, 0), ==, owls);
  g_assert_cmpstr (cohort_group_get_topic (cohort_groups_lookup (ag, owls)), ==, "Mechanics");
  g_assert_cmpint (cohort_group_get_goal_points (cohort_groups_lookup (ag, owls)), ==, 50);

  /* By hand, then by picking, then auto-balance. */
  cohort_groups_assign_async (tg, ana_id, owls, NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  WAIT_UNTIL (cohort_groups_get_my_group (ag) != NULL, TIMEOUT_MS);
  g_assert_cmpint (cohort_group_get_id (cohort_groups_get_my_group (ag)), ==, owls);
  g_assert_true (cohort_group_get_is_mine (cohort_groups_lookup (ag, owls)));
  cohort_groups_pick_async (bg, owls, NULL, on_result, &result);
  finish_error (bg, &result, COHORT_ERROR_FORBIDDEN);
  cohort_groups_set_settings_async (tg, TRUE, NULL, 0, NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  WAIT_UNTIL (cohort_groups_get_pick_open (bg), TIMEOUT_MS);
  cohort_groups_pick_async (bg, owls, NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (bg, &result);
  WAIT_UNTIL (cohort_groups_get_my_group (bg) == cohort_groups_lookup (bg, owls), TIMEOUT_MS);
  /* Owls is full now. */
  cohort_groups_pick_async (cg, owls, NULL, on_result, &result);
  finish_error (cg, &result, COHORT_ERROR_INVALID);
  cohort_groups_balance_async (tg, FALSE, NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  g_assert_cmpint (json_object_get_int_member (reply, "moved"), ==, 1);
  WAIT_UNTIL (cohort_groups_get_my_group (cg) == cohort_groups_lookup (cg, bees), TIMEOUT_MS);
  WAIT_UNTIL (g_list_model_get_n_items (cohort_groups_get_unassigned (tg)) == 0, TIMEOUT_MS);
  g_assert_cmpuint (cohort_group_get_n_members (cohort_groups_lookup (tg, owls)), ==, 2);
  g_assert_cmpuint (cohort_group_get_n_members (cohort_groups_lookup (ag, owls)), ==, 2);
  g_assert_cmpstr (cohort_group_member_get_name (member_at (cohort_groups_lookup (ag, owls), 0)), ==, "Ana");
  g_assert_cmpstr (cohort_group_member_get_name (member_at (cohort_groups_lookup (ag, owls), 1)), ==, "Ben");
  g_assert_true (cohort_group_member_get_is_self (member_at (cohort_groups_lookup (ag, owls), 0)));

  /* A check-in: the author sees it at once, the group and the teacher by
   * event, the other group never; points and streak come from the server. */
  g_signal_connect (cohort_groups_get_badges (ag), "earned", G_CALLBACK (on_earned), ana_earned);
  g_signal_connect (cohort_groups_get_badges (tg), "earned", G_CALLBACK (on_earned), teacher_earned);
  cohort_groups_check_in_async (ag, "  Learned Newton's second law.\nNext: friction.  ", 130, "Asia/Shanghai",
                                NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (ag, &result);
  g_assert_false (json_object_get_boolean_member (reply, "already"));
  m = cohort_groups_lookup_member (ag, ana_id);
  g_assert_cmpstr (cohort_group_member_get_note (m), ==, "Learned Newton's second law.\nNext: friction.");
  g_assert_cmpint (cohort_group_member_get_minutes (m), ==, 130);
  g_assert_cmpstr (cohort_group_member_get_tz (m), ==, "Asia/Shanghai");
  g_assert_true (cohort_group_member_get_checked_in_today (m));
  WAIT_UNTIL (cohort_group_member_get_checked_in_today (cohort_groups_lookup_member (bg, ana_id)), TIMEOUT_MS);
  WAIT_UNTIL (cohort_group_member_get_checked_in_today (cohort_groups_lookup_member (tg, ana_id)), TIMEOUT_MS);
  WAIT_UNTIL (cohort_groups_get_points_all (ag) == 10, TIMEOUT_MS);
  g_assert_true (cohort_groups_get_checked_in_today (ag));
  g_assert_cmpint (cohort_groups_get_streak (ag), ==, 1);
  g_assert_cmpint (cohort_groups_get_freezes_left (ag), ==, 1);
  g_assert_cmpint (cohort_groups_get_study_minutes_today (ag), >=, 130);
  g_assert_cmpint (cohort_group_member_get_checkin_id (cohort_groups_lookup_member (cg, ana_id)), ==, 0);
  /* 2 hours of study in one day: a badge, with a toast-worthy signal for
   * the student and the teacher; the others' models never see it. */
  WAIT_UNTIL (ana_earned->len == 1 && teacher_earned->len == 1, TIMEOUT_MS);
  g_assert_cmpstr (cohort_badge_get_kind (g_ptr_array_index (ana_earned, 0)), ==, "study-2h");
  g_assert_cmpstr (cohort_badge_get_title (g_ptr_array_index (ana_earned, 0)), ==, "Deep Study");
  g_assert_cmpstr (cohort_badge_get_name (g_ptr_array_index (teacher_earned, 0)), ==, "Ana");
  g_assert_nonnull (cohort_badges_lookup_own (cohort_groups_get_badges (ag), "study-2h"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cohort_groups_get_badges (bg))), ==, 0);
  /* Once per local day. */
  cohort_groups_check_in_async (ag, "again", 0, "Asia/Shanghai", NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (ag, &result);
  g_assert_true (json_object_get_boolean_member (reply, "already"));
  /* A note over 280 characters is refused. */
  {
    g_autofree char *long_note = g_strnfill (281, 'x');

    cohort_groups_check_in_async (bg, long_note, 0, NULL, NULL, on_result, &result);
    finish_error (bg, &result, COHORT_ERROR_INVALID);
  }

  /* Reactions: a peer of the group, never the author. */
  cohort_groups_react_async (bg, cohort_group_member_get_checkin_id (cohort_groups_lookup_member (bg, ana_id)),
                             "clap", NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (bg, &result);
  WAIT_UNTIL (cohort_group_member_get_reaction_count (m, "clap") == 1, TIMEOUT_MS);
  g_assert_false (cohort_group_member_get_reacted (m, "clap"));
  WAIT_UNTIL (cohort_group_member_get_reacted (cohort_groups_lookup_member (bg, ana_id), "clap"), TIMEOUT_MS);
  cohort_groups_react_async (ag, cohort_group_member_get_checkin_id (m), "fire", NULL, on_result, &result);
  finish_error (ag, &result, COHORT_ERROR_FORBIDDEN);

  /* A star with a reason, to the student and the teacher. */
  g_signal_connect (bg, "starred", G_CALLBACK (on_starred), &starred);
  cohort_groups_star_async (tg, ben_id, "Helped Cai with vectors", NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  WAIT_UNTIL (starred.n == 1, TIMEOUT_MS);
  g_assert_cmpint (starred.participant_id, ==, ben_id);
  g_assert_cmpstr (starred.reason, ==, "Helped Cai with vectors");
  WAIT_UNTIL (cohort_groups_get_points_all (bg) == 5, TIMEOUT_MS);

  /* Boards: Ana 10, Ben 5, Cai 0; the Owls 15, the Bees 0. */
  board = cohort_leaderboard_new (cg);
  g_signal_connect (board, "updated", G_CALLBACK (on_updated), &updates);
  cohort_leaderboard_set_period (board, "all");
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (board)) == 3, TIMEOUT_MS);
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
  cohort_groups_set_settings_async (tg, -1, COHORT_GROUPS_BOARD_TOP, 1, NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (board)) == 1, TIMEOUT_MS);
  g_assert_cmpstr (cohort_leaderboard_get_mode (board), ==, "top");
  g_assert_false (cohort_leaderboard_get_you_listed (board));
  g_assert_nonnull (cohort_leaderboard_get_you (board));
  g_assert_cmpint (cohort_board_row_get_rank (cohort_leaderboard_get_you (board)), ==, 3);
  /* The teacher still sees everyone. */
  tboard = cohort_leaderboard_new (tg);
  cohort_leaderboard_set_period (tboard, "all");
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (tboard)) == 3, TIMEOUT_MS);
  /* Groups only: the individual board is hidden, the group board is not. */
  cohort_groups_set_settings_async (tg, -1, COHORT_GROUPS_BOARD_GROUPS, 0, NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  WAIT_UNTIL (cohort_leaderboard_get_hidden (board), TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (board)), ==, 0);
  g_assert_null (cohort_leaderboard_get_you (board));
  cohort_leaderboard_set_scope (board, "group");
  WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (board)) == 2, TIMEOUT_MS);
  {
    g_autoptr(CohortBoardRow) first = g_list_model_get_item (G_LIST_MODEL (board), 0);
    g_autoptr(CohortBoardRow) second = g_list_model_get_item (G_LIST_MODEL (board), 1);

    g_assert_false (cohort_leaderboard_get_hidden (board));
    g_assert_cmpint (cohort_board_row_get_id (first), ==, owls);
    g_assert_cmpint (cohort_board_row_get_points (first), ==, 15);
    g_assert_true (cohort_board_row_get_is_self (second));
  }
  /* Standings reached the groups too. */
  WAIT_UNTIL (cohort_group_get_points_all (cohort_groups_lookup (cg, owls)) == 15, TIMEOUT_MS);
  g_assert_cmpfloat (cohort_group_get_goal_fraction (cohort_groups_lookup (cg, owls)), ==, 15.0 / 50.0);
  /* Half of the Owls (rounded up) checked in today. */
  g_assert_cmpint (cohort_group_get_streak (cohort_groups_lookup (cg, owls)), ==, 1);
  g_assert_cmpuint (updates, >=, 4);

  /* Class PK: a live score for everyone, winners at the end. */
  pk = cohort_groups_get_pk (cg);
  cohort_groups_pk_start_async (cg, 5, NULL, on_result, &result);
  finish_error (cg, &result, COHORT_ERROR_FORBIDDEN);
  cohort_groups_pk_start_async (tg, 5, NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  WAIT_UNTIL (cohort_pk_get_running (pk), TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pk)), ==, 2);
  g_assert_cmpint (cohort_pk_get_ends_at (pk) - cohort_pk_get_starts_at (pk), ==, 5 * 60 * 1000);
  cohort_groups_check_in_async (cg, "Lenses today", 20, "America/New_York", NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (cg, &result);
  WAIT_UNTIL (cohort_pk_get_score (pk, bees) == 10, TIMEOUT_MS);
  WAIT_UNTIL (cohort_pk_get_score (cohort_groups_get_pk (ag), bees) == 10, TIMEOUT_MS);
  g_assert_cmpint (cohort_pk_get_score (pk, owls), ==, 0);
  {
    g_autoptr(CohortBoardRow) row = g_list_model_get_item (G_LIST_MODEL (pk), 1);

    g_assert_cmpint (cohort_board_row_get_id (row), ==, bees);
    g_assert_cmpfloat (cohort_board_row_get_fraction (row), ==, 1.0);
    g_assert_true (cohort_board_row_get_is_self (row));
  }
  cohort_groups_pk_stop_async (tg, NULL, on_result, &result);
  g_clear_pointer (&reply, json_object_unref);
  reply = finish_ok (tg, &result);
  WAIT_UNTIL (!cohort_pk_get_running (pk), TIMEOUT_MS);
  g_assert_cmpstr (cohort_pk_get_winners (pk), ==, "Bees");
  g_assert_cmpint (cohort_pk_get_ended_at (pk), >, 0);

  /* A model made now gets the same picture from groups.sync. */
  late = cohort_groups_new (ana);
  WAIT_UNTIL (cohort_groups_get_synced (late), TIMEOUT_MS);
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

  g_free (starred.reason);
}

/* A check-in made while the connection is down goes through the outbox
 * once the session is back, and counts once. */
static void
test_offline_check_in (void)
{
  g_autoptr(CohortTestServer) server = cohort_test_server_start (NULL);
  g_autoptr(CohortGroups) tg = NULL;
  g_autoptr(CohortSession) teacher = create_class (server, &tg);
  g_autoptr(CohortSession) dan = join_class (server, teacher, "Dan");
  g_autoptr(CohortGroups) dg = cohort_groups_new (dan);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonObject) reply = NULL;
  gint64 dan_id = cohort_participant_get_id (cohort_session_get_self (dan));

  WAIT_UNTIL (cohort_groups_get_synced (dg), TIMEOUT_MS);
  cohort_session_simulate_drop (dan);
  cohort_groups_check_in_async (dg, "Offline note", 15, NULL, NULL, on_result, &result);
  reply = finish_ok (dg, &result);
  g_assert_false (json_object_get_boolean_member (reply, "already"));
  WAIT_UNTIL (cohort_groups_get_points_all (dg) == 10, TIMEOUT_MS);
  WAIT_UNTIL (cohort_group_member_get_checked_in_today (cohort_groups_lookup_member (tg, dan_id)), TIMEOUT_MS);
  {
    g_autofree char *local = cohort_groups_dup_local_tz ();

    g_assert_true (cohort_groups_tz_is_valid (local));
    g_assert_cmpstr (cohort_group_member_get_tz (cohort_groups_lookup_member (tg, dan_id)), ==, local);
  }
  /* Recompute from the log agrees with what the models were told. */
  g_clear_pointer (&reply, json_object_unref);
  cohort_groups_request_async (tg, COHORT_REQ_GROUPS_RECOMPUTE, NULL, NULL, on_result, &result);
  reply = finish_ok (tg, &result);
  g_assert_true (json_object_get_boolean_member (reply, "equal"));
  g_assert_cmpint (json_object_get_int_member (
                     json_array_get_object_element (json_object_get_array_member (reply, "totals"), 0),
                     "points_all"), ==, 10);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/groups/model/end-to-end", test_end_to_end);
  g_test_add_func ("/cohort/groups/model/offline-check-in", test_offline_check_in);

  return g_test_run ();
}

/* test-groups-ui.c: the Groups page, teacher and students, against a real
 * server, with screenshots of the tab, a badge toast and the leaderboards
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-groups-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cohort-groups.h"
#include "cohort-groups-protocol.h"
#include "cohort-groups-leaderboard.h"
#include "cohort-session.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"
#include "cohort-test-stages.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

#include "cohort-class-window-private.h"
#include "cohort-groups-page-private.h"
#include "cohort-start-window.h"
#include "cohort-group-chat.h"

typedef gboolean (*ConditionFunc) (gpointer data);

static CohortTestServer *server;

static CohortGroupsPage *
groups_page (CohortClassWindow *window)
{
  return cohort_test_ui_side_page (window, "groups", COHORT_TYPE_GROUPS_PAGE);
}

static CohortGroupsPage *
show_groups (CohortClassWindow *window)
{
  cohort_test_ui_show_side_page (window, "groups");
  return groups_page (window);
}

static gint64
self_id (CohortClassWindow *window)
{
  return cohort_participant_get_id (cohort_session_get_self (cohort_class_window_get_session (window)));
}

static gint64
create_group (CohortGroups *groups,
              const char   *name,
              gint64        size,
              const char   *topic,
              gint64        goal)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;

  cohort_groups_create_async (groups, name, size, topic, goal, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  body = cohort_groups_request_finish (groups, result, &error);
  g_assert_no_error (error);
  return json_object_get_int_member (json_object_get_object_member (body, "group"), "id");
}

static void
type_note (CohortGroupsPage *page,
           const char       *note,
           int               minutes)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (page->note_view), note, -1);
  gtk_spin_button_set_value (page->minutes_spin, minutes);
}

static gboolean
checkin_enabled (CohortGroupsPage *page)
{
  cohort_test_ui_settle (20);
  return gtk_widget_get_sensitive (page->checkin_button);
}

static void
scroll_to (CohortGroupsPage *page,
           GtkWidget        *widget)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_first_child (GTK_WIDGET (page))));
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (widget, gtk_widget_get_parent (GTK_WIDGET (page->leaderboard_view)),
                                           &GRAPHENE_POINT_INIT (0, 0), &point));
  gtk_adjustment_set_value (adj, point.y - 12);
}

/* Whether @widget is in a toast (the class window's toasts show in the
 * stage's overlay, inside the flap's content). */
static gboolean
in_toast (GtkWidget *widget)
{
  for (GtkWidget *w = widget; w != NULL; w = gtk_widget_get_parent (w))
    if (g_str_equal (gtk_widget_get_css_name (w), "toast"))
      return TRUE;
  return FALSE;
}

static gboolean
has_toast_with (GtkWidget  *widget,
                const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
      strstr (gtk_label_get_label (GTK_LABEL (widget)), text) != NULL &&
      in_toast (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (has_toast_with (child, text))
      return TRUE;
  return FALSE;
}

/* A class: the teacher and four students (Ana, Ben, Cai, Dev) each in a
 * window, with the Groups tab shown (Dev's window stays as it opens). */
typedef struct
{
  CohortClassWindow *teacher;
  CohortClassWindow *ana;
  CohortClassWindow *ben;
  CohortClassWindow *cai;
  CohortClassWindow *dev;
  CohortGroupsPage  *tp;
  CohortGroupsPage  *ap;
  CohortGroupsPage  *bp;
  CohortGroupsPage  *cp;
  CohortGroups      *tg;
  CohortGroups      *ag;
  CohortGroups      *bg;
  CohortGroups      *cg;
  gint64             ana_id;
  gint64             ben_id;
  gint64             dev_id;
  /* Set by stage_form (). */
  gint64             owls;
  gint64             bees;
} Class;

static void
class_setup (Class *c)
{
  const char *code;

  c->teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Physics 101");
  code = cohort_session_get_class_code (cohort_class_window_get_session (c->teacher));
  c->ana = cohort_test_ui_open_class (server, code, "Ana", NULL);
  c->ben = cohort_test_ui_open_class (server, code, "Ben", NULL);
  c->cai = cohort_test_ui_open_class (server, code, "Cai", NULL);
  c->dev = cohort_test_ui_open_class (server, code, "Dev", NULL);
  c->tp = show_groups (c->teacher);
  c->ap = show_groups (c->ana);
  c->bp = show_groups (c->ben);
  c->cp = show_groups (c->cai);
  c->tg = cohort_groups_page_get_groups (c->tp);
  c->ag = cohort_groups_page_get_groups (c->ap);
  c->bg = cohort_groups_page_get_groups (c->bp);
  c->cg = cohort_groups_page_get_groups (c->cp);
  c->ana_id = self_id (c->ana);
  c->ben_id = self_id (c->ben);
  c->dev_id = self_id (c->dev);

  gtk_window_set_default_size (GTK_WINDOW (c->teacher), 1100, 900);
  gtk_window_set_default_size (GTK_WINDOW (c->ana), 1000, 900);
  gtk_window_set_default_size (GTK_WINDOW (c->ben), 1000, 900);
  gtk_window_set_default_size (GTK_WINDOW (c->cai), 1000, 900);
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_synced (c->tg) && cohort_groups_get_synced (c->ag) &&
                          cohort_groups_get_synced (c->bg) && cohort_groups_get_synced (c->cg));
}

static void
class_teardown (Class *c)
{
  gtk_window_destroy (GTK_WINDOW (c->teacher));
  gtk_window_destroy (GTK_WINDOW (c->ana));
  gtk_window_destroy (GTK_WINDOW (c->ben));
  gtk_window_destroy (GTK_WINDOW (c->cai));
  gtk_window_destroy (GTK_WINDOW (c->dev));
  cohort_test_ui_settle (200);
}

/* The stages of one class's life, in order. The cases share the class
 * (cohort-test-stages.h): its five windows are what takes time. */
/* Before any group: the teacher's empty state, the student's "not in a
 * group" page. */
static void
stage_empty (Class *c)
{
  CohortGroupsPage *tp = c->tp;
  CohortGroupsPage *ap = c->ap;

  g_assert_true (gtk_widget_get_visible (tp->teacher_groups_group));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (tp->teacher_groups_stack), ==, "empty");
  g_assert_false (gtk_widget_get_visible (tp->checkin_group));
  g_assert_true (gtk_widget_get_visible (ap->no_group_box));
  g_assert_false (gtk_widget_get_visible (ap->teacher_groups_group));
  /* Whole, with their titles: they were cut to a 50 px sliver of icon.
   * (Waited for: a loaded machine lays the windows out late.) */
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_height (GTK_WIDGET (tp->no_groups_status)) >= 150);
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_height (GTK_WIDGET (ap->no_group_status)) >= 120);
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (c->teacher), "groups-empty-teacher.png");
  cohort_test_ui_save_screenshot (GTK_WIDGET (c->ana), "groups-empty-student.png");
}

/* The teacher makes two groups and fills them three ways. */
static void
stage_form (Class *c)
{
  CohortGroupsPage *tp = c->tp;
  CohortGroupsPage *ap = c->ap;
  CohortGroupsPage *bp = c->bp;
  CohortGroups *tg = c->tg;
  CohortGroups *ag = c->ag;
  CohortGroups *bg = c->bg;
  CohortGroups *cg = c->cg;
  gint64 ana_id = c->ana_id;
  gint64 dev_id = c->dev_id;
  gint64 owls, bees;

  owls = create_group (tg, "Owls", 3, "Mechanics", 60);
  bees = create_group (tg, "Bees", 3, "Optics", 40);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (ag)) == 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (tp->teacher_groups_stack), ==, "list");
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_groups_get_unassigned (tg)) == 4);
  g_assert_true (gtk_widget_get_visible (tp->unassigned_group));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tp), "groups.assign", "(xx)", ana_id, owls));
  gtk_switch_set_active (tp->pick_switch, TRUE);
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_pick_open (bg));
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_visible (GTK_WIDGET (bp->pick_list)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bp), "groups.pick", "x", owls));
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_my_group (bg) != NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tp), "groups.balance", NULL));
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_my_group (cg) != NULL);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_groups_get_unassigned (tg)) == 0);
  g_assert_cmpint (cohort_group_get_id (cohort_groups_get_my_group (cg)), ==, bees);
  g_assert_cmpint (cohort_group_get_id (cohort_groups_lookup (tg, bees) ? cohort_groups_lookup (tg, bees) : NULL), ==, bees);
  g_assert_cmpint (cohort_group_member_get_group_id (cohort_groups_lookup_member (tg, dev_id)), ==, bees);
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_visible (ap->my_group_box));
  g_assert_false (gtk_widget_get_visible (ap->no_group_box));
  g_assert_cmpstr (gtk_label_get_label (ap->group_title), ==, "Owls");
  c->owls = owls;
  c->bees = bees;
}

/* Ana drafts her check-in: the counter follows, the action waits for a
 * note and refuses one over 280 characters. */
static void
stage_counter (Class *c)
{
  CohortGroupsPage *ap = c->ap;

  /* Off, and saying why. */
  g_assert_false (checkin_enabled (ap));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ap->checkin_hint)));
  g_assert_cmpstr (gtk_label_get_label (ap->checkin_hint), ==, "Write what you learned to check in.");
  type_note (ap, "Newton's second law: F = ma. Next: friction on slopes.", 130);
  g_assert_cmpstr (gtk_label_get_label (ap->counter_label), ==, "54/280");
  g_assert_true (checkin_enabled (ap));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ap->checkin_hint)));
  {
    g_autofree char *too_long = g_strnfill (281, 'a');

    type_note (ap, too_long, 0);
    g_assert_cmpstr (gtk_label_get_label (ap->counter_label), ==, "281/280");
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (ap->counter_label), "error"));
    g_assert_false (checkin_enabled (ap));
    g_assert_cmpstr (gtk_label_get_label (ap->checkin_hint), ==, "Shorten your note to check in.");
  }
}

/* (transfer full): the shortcut of @widget's controllers that @keyval
 * with @modifiers triggers, or NULL. */
static GtkShortcut *
find_shortcut (GtkWidget       *widget,
               guint            keyval,
               GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GtkShortcutTrigger) wanted = gtk_keyval_trigger_new (keyval, modifiers);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          gboolean match = gtk_shortcut_trigger_equal (trigger, wanted);

          if (!match && GTK_IS_ALTERNATIVE_TRIGGER (trigger))
            match = gtk_shortcut_trigger_equal (gtk_alternative_trigger_get_first (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted) ||
                    gtk_shortcut_trigger_equal (gtk_alternative_trigger_get_second (GTK_ALTERNATIVE_TRIGGER (trigger)), wanted);
          if (match)
            return g_steal_pointer (&shortcut);
        }
    }
  return NULL;
}

/* Ana checks in with Ctrl+Enter in the note, as its tooltip says: 130
 * minutes earn the Deep Study badge. */
static void
stage_check_in (Class *c)
{
  CohortGroupsPage *ap = c->ap;
  CohortGroups *ag = c->ag;
  g_autoptr(GtkShortcut) ctrl_enter = NULL;

  type_note (ap, "Newton's second law: F = ma. Next: friction on slopes.", 130);
  ctrl_enter = find_shortcut (GTK_WIDGET (ap->note_view), GDK_KEY_Return, GDK_CONTROL_MASK);
  g_assert_nonnull (ctrl_enter);
  g_assert_true (gtk_shortcut_action_activate (gtk_shortcut_get_action (ctrl_enter), 0,
                                               GTK_WIDGET (ap->note_view), NULL));
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_checked_in_today (ag));
  COHORT_TEST_WAIT_UNTIL (cohort_badges_lookup_own (cohort_groups_get_badges (ag), "study-2h") != NULL);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (ap->checkin_stack), ==, "done");
  g_assert_cmpstr (gtk_label_get_label (ap->streak_value), ==, "1");
}

/* The badge comes with a toast. */
static void
stage_badge_toast (Class *c)
{
  CohortClassWindow *ana = c->ana;
  CohortGroupsPage *ap = c->ap;

  cohort_test_ui_settle (300);
  COHORT_TEST_WAIT_UNTIL (has_toast_with (GTK_WIDGET (ana), "Deep Study"));
  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (ana), "groups-badge-toast.png");
  scroll_to (ap, ap->badges_group);
  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (ap), "groups-badges.png");
}

/* Ben sees Ana's check-in and claps; he drafts his own. */
static void
stage_react (Class *c)
{
  CohortGroupsPage *bp = c->bp;
  CohortGroups *ag = c->ag;
  CohortGroups *bg = c->bg;
  gint64 ana_id = c->ana_id;

  COHORT_TEST_WAIT_UNTIL (cohort_group_member_get_checked_in_today (cohort_groups_lookup_member (bg, ana_id)));
  g_assert_true (gtk_widget_activate_action (
                   GTK_WIDGET (bp), "groups.react", "(xs)",
                   cohort_group_member_get_checkin_id (cohort_groups_lookup_member (bg, ana_id)), "clap"));
  COHORT_TEST_WAIT_UNTIL (cohort_group_member_get_reaction_count (cohort_groups_lookup_member (ag, ana_id), "clap") == 1);
  g_assert_true (gtk_widget_activate_action (
                   GTK_WIDGET (bp), "groups.react", "(xs)",
                   cohort_group_member_get_checkin_id (cohort_groups_lookup_member (bg, ana_id)), "idea"));
  type_note (bp, "Vectors finally make sense. Tomorrow: the practice set on projectiles.", 45);
}

/* Stars and a Class PK from the teacher. */
static void
stage_star_pk (Class *c)
{
  CohortClassWindow *ben = c->ben;
  CohortGroupsPage *tp = c->tp;
  CohortGroupsPage *cp = c->cp;
  CohortGroups *tg = c->tg;
  CohortGroups *cg = c->cg;
  gint64 ben_id = c->ben_id;

  {
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(JsonObject) body = NULL;

    cohort_groups_star_async (tg, ben_id, "Helped Cai with vectors", NULL, cohort_test_on_result, &result);
    COHORT_TEST_WAIT_UNTIL (result != NULL);
    body = cohort_groups_request_finish (tg, result, NULL);
    g_assert_nonnull (body);
  }
  COHORT_TEST_WAIT_UNTIL (has_toast_with (GTK_WIDGET (ben), "Helped Cai with vectors"));
  gtk_spin_button_set_value (tp->pk_minutes_spin, 15);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tp), "groups.pk-start", NULL));
  COHORT_TEST_WAIT_UNTIL (cohort_pk_get_running (cohort_groups_get_pk (cg)));
  g_assert_true (gtk_widget_get_visible (cp->pk_group));
  g_assert_true (gtk_widget_get_visible (tp->pk_stop_button));
  g_assert_false (gtk_widget_get_visible (cp->pk_controls));
}

/* The evening reminder: due after 20:00 for a student who has not
 * checked in, once a day, and only when switched on. */
static void
stage_reminder (Class *c)
{
  CohortGroupsPage *tp = c->tp;
  CohortGroupsPage *cp = c->cp;
  g_autoptr(GSettings) settings = g_settings_new ("org.cohortclass.Cohort");

  {
    g_autoptr(GDateTime) afternoon = g_date_time_new_local (2024, 5, 2, 16, 0, 0);
    g_autoptr(GDateTime) evening = g_date_time_new_local (2024, 5, 2, 20, 30, 0);
    g_autoptr(GDateTime) next = g_date_time_new_local (2024, 5, 3, 21, 0, 0);

    g_assert_true (g_settings_get_boolean (settings, "checkin-reminder"));
    g_assert_false (cohort_groups_page_check_reminder (cp, afternoon));
    g_assert_true (cohort_groups_page_check_reminder (cp, evening));
    g_assert_false (cohort_groups_page_check_reminder (cp, evening));
    gtk_switch_set_active (cp->reminder_switch, FALSE);
    g_assert_false (g_settings_get_boolean (settings, "checkin-reminder"));
    g_assert_false (cohort_groups_page_check_reminder (cp, next));
    gtk_switch_set_active (cp->reminder_switch, TRUE);
    g_assert_false (cohort_groups_page_check_reminder (tp, next));
  }
}

/* Cai checks in during the PK: the Bees score. */
static void
stage_cai_checks_in (Class *c)
{
  CohortGroupsPage *cp = c->cp;
  CohortGroups *tg = c->tg;
  CohortGroups *bg = c->bg;
  CohortGroups *cg = c->cg;
  gint64 owls = c->owls;
  gint64 bees = c->bees;

  type_note (cp, "Lenses: real and virtual images.", 25);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (cp), "groups.check-in", NULL));
  COHORT_TEST_WAIT_UNTIL (cohort_pk_get_score (cohort_groups_get_pk (tg), bees) == 10);
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_checked_in_today (cg));
  {
    g_autoptr(GDateTime) later = g_date_time_new_local (2024, 5, 4, 21, 0, 0);

    g_assert_false (cohort_groups_page_check_reminder (cp, later));
  }
  COHORT_TEST_WAIT_UNTIL (cohort_group_get_points_week (cohort_groups_lookup (bg, owls)) == 15);
}

/* The student's and the teacher's Groups tab, as screenshots. */
static void
stage_tab_screenshots (Class *c)
{
  CohortClassWindow *teacher = c->teacher;
  CohortClassWindow *ben = c->ben;
  CohortGroupsPage *tp = c->tp;

  cohort_test_ui_settle (600);
  cohort_test_ui_save_screenshot (GTK_WIDGET (ben), "groups-tab-student.png");
  /* The teacher's: groups open, the live PK. */
  {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (tp->teacher_groups_list, 0);

    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  }
  cohort_test_ui_settle (600);
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "groups-tab-teacher.png");
}

/* Leaderboards: all time for students; then the top 1 with the own
 * rank; then groups only. */
static void
stage_boards (Class *c)
{
  CohortClassWindow *cai = c->cai;
  CohortGroupsPage *tp = c->tp;
  CohortGroupsPage *cp = c->cp;
  CohortGroups *cg = c->cg;
  gint64 ana_id = c->ana_id;

  {
    CohortLeaderboard *board = cohort_leaderboard_view_get_leaderboard (cp->leaderboard_view);

    gtk_toggle_button_set_active (cp->leaderboard_view ? GTK_TOGGLE_BUTTON (
                                    gtk_widget_get_template_child (GTK_WIDGET (cp->leaderboard_view),
                                                                   COHORT_TYPE_LEADERBOARD_VIEW, "all_button"))
                                                       : NULL, TRUE);
    COHORT_TEST_WAIT_UNTIL (g_strcmp0 (cohort_leaderboard_get_period (board), "all") == 0 &&
                            g_list_model_get_n_items (G_LIST_MODEL (board)) == 4 && !cohort_leaderboard_get_loading (board));
    {
      g_autoptr(CohortBoardRow) first = g_list_model_get_item (G_LIST_MODEL (board), 0);

      /* Ana and Cai checked in (10 each, by name), Ben got a star (5). */
      g_assert_cmpint (cohort_board_row_get_id (first), ==, ana_id);
    }
    scroll_to (cp, GTK_WIDGET (cp->leaderboard_view));
    cohort_test_ui_settle (600);
    cohort_test_ui_save_screenshot (GTK_WIDGET (cp->leaderboard_view), "groups-leaderboard.png");
    cohort_test_ui_save_screenshot (GTK_WIDGET (cai), "groups-leaderboard-window.png");

    adw_combo_row_set_selected (tp->board_row, 1);
    gtk_spin_button_set_value (tp->top_n_spin, 2);
    COHORT_TEST_WAIT_UNTIL (g_strcmp0 (cohort_leaderboard_get_mode (board), COHORT_GROUPS_BOARD_TOP) == 0 &&
                            !cohort_leaderboard_get_loading (board) && g_list_model_get_n_items (G_LIST_MODEL (board)) <= 2 &&
                            cohort_groups_get_top_n (cg) == 2);
    cohort_test_ui_settle (600);
    cohort_test_ui_save_screenshot (GTK_WIDGET (cp->leaderboard_view), "groups-leaderboard-top.png");

    adw_combo_row_set_selected (tp->board_row, 2);
    COHORT_TEST_WAIT_UNTIL (cohort_leaderboard_get_hidden (board));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (board)), ==, 0);
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_widget_get_template_child (
                                    GTK_WIDGET (cp->leaderboard_view), COHORT_TYPE_LEADERBOARD_VIEW, "group_button")),
                                  TRUE);
    COHORT_TEST_WAIT_UNTIL (!cohort_leaderboard_get_hidden (board) && g_list_model_get_n_items (G_LIST_MODEL (board)) == 2);
    cohort_test_ui_settle (600);
    cohort_test_ui_save_screenshot (GTK_WIDGET (cp->leaderboard_view), "groups-leaderboard-groups.png");
  }
}

/* Everything fits the 300 px side panel. */
static void
stage_fits (Class *c)
{
  CohortClassWindow *ben = c->ben;
  CohortGroupsPage *tp = c->tp;
  CohortGroupsPage *bp = c->bp;

  {
    int min = 0;

    gtk_widget_measure (GTK_WIDGET (bp), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_assert_cmpint (min, <=, 300);
    gtk_widget_measure (GTK_WIDGET (tp), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
    g_assert_cmpint (min, <=, 300);
  }
  /* The student's tab at phone width. */
  adw_flap_set_reveal_flap (ben->flap, FALSE);
  cohort_test_ui_settle (400);
  cohort_test_ui_save_phone_width (ben, 760, "groups-tab-360.png");
}

static const CohortTestStageFunc stages[] = {
  (CohortTestStageFunc) stage_empty,
  (CohortTestStageFunc) stage_form,            /* 2: forming */
  (CohortTestStageFunc) stage_counter,
  (CohortTestStageFunc) stage_check_in,
  (CohortTestStageFunc) stage_badge_toast,     /* 5: check-in */
  (CohortTestStageFunc) stage_react,           /* 6: react */
  (CohortTestStageFunc) stage_star_pk,         /* 7: star-and-pk */
  (CohortTestStageFunc) stage_reminder,        /* 8: reminder */
  (CohortTestStageFunc) stage_cai_checks_in,
  (CohortTestStageFunc) stage_tab_screenshots, /* 10: pk-check-in */
  (CohortTestStageFunc) stage_boards,          /* 11: leaderboards */
  (CohortTestStageFunc) stage_fits,            /* 12: narrow */
};

/* Whether the teacher's roster has @id offline. */
static gboolean
is_offline (CohortClassWindow *teacher,
            gint64             id)
{
  CohortParticipant *p = cohort_roster_lookup (cohort_session_get_roster (cohort_class_window_get_session (teacher)), id);

  return p != NULL && !cohort_participant_get_online (p);
}

/* A student who joined and went away (their connection dropped). */
static gint64
join_and_go (const char *code,
             const char *name)
{
  g_autoptr(CohortTestClient) c = cohort_test_client_new (cohort_test_server_get_url (server));
  g_autoptr(JsonObject) joined = cohort_test_client_join (c, code, name, NULL);

  return json_object_get_int_member (json_object_get_object_member (joined, "you"), "id");
}

/* A teacher of a full class makes the groups in one step: the New Study
 * Groups dialog suggests groups for the students here (not for the two
 * who went away), makes two numbered groups of one place and fills them
 * with the three students here (one does not fit), through the core and
 * the server, and every student's page shows where they are. */
static void
test_new_groups_dialog (void)
{
  CohortClassWindow *teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Biology");
  const char *code = cohort_session_get_class_code (cohort_class_window_get_session (teacher));
  CohortClassWindow *ana = cohort_test_ui_open_class (server, code, "Ana", NULL);
  CohortClassWindow *ben = cohort_test_ui_open_class (server, code, "Ben", NULL);
  CohortClassWindow *cai = cohort_test_ui_open_class (server, code, "Cai", NULL);
  CohortGroupsPage *tp = show_groups (teacher);
  CohortGroups *tg = cohort_groups_page_get_groups (tp);
  CohortGroups *ag = cohort_groups_page_get_groups (show_groups (ana));
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  AdwMessageDialog *dialog;
  GtkSwitch *fill;
  guint placed;

  gint64 dev = join_and_go (code, "Dev");
  gint64 eve = join_and_go (code, "Eve");

  gtk_window_set_default_size (GTK_WINDOW (teacher), 1000, 900);
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_synced (tg) &&
                          g_list_model_get_n_items (cohort_groups_get_unassigned (tg)) == 5 &&
                          is_offline (teacher, dev) && is_offline (teacher, eve));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tp), "groups.new", NULL));
  dialog = cohort_test_ui_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 5000);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "New Study Groups");
  cohort_test_ui_find_all (GTK_WIDGET (dialog), cohort_test_ui_is_type, "GtkSpinButton", spins);
  g_assert_cmpuint (spins->len, ==, 3);
  fill = GTK_SWITCH (cohort_test_ui_find (GTK_WIDGET (dialog), cohort_test_ui_is_type, "GtkSwitch"));
  g_assert_nonnull (fill);
  /* Three students here (five without a group), four places a group:
   * one group, nothing to fill. */
  g_assert_cmpint (gtk_spin_button_get_value_as_int (g_ptr_array_index (spins, 0)), ==, 1);
  g_assert_false (gtk_switch_get_active (fill));
  gtk_spin_button_set_value (g_ptr_array_index (spins, 0), 2);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 1), 1);
  gtk_switch_set_active (fill, TRUE);
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (dialog), "groups-new-dialog.png");
  adw_message_dialog_response (dialog, "create");

  /* Filled with those here only: Cai and the two who left wait. */
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (ag)) == 2 &&
                          g_list_model_get_n_items (cohort_groups_get_unassigned (tg)) == 3);
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (tp), cohort_test_ui_is_label, "Group 1"));
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (tp), cohort_test_ui_is_label, "Group 2"));
  placed = 0;
  for (CohortClassWindow **w = (CohortClassWindow *[]) { ana, ben, cai, NULL }; *w != NULL; w++)
    {
      CohortGroups *g = cohort_groups_page_get_groups (groups_page (*w));

      COHORT_TEST_WAIT_UNTIL (cohort_groups_get_synced (g));
      placed += cohort_groups_get_my_group (g) != NULL;
    }
  g_assert_cmpuint (placed, ==, 2);

  /* The class PK and the leaderboards come before the list of students
   * not in a group, which may hold 60 names. */
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_visible (tp->pk_group) && gtk_widget_get_visible (tp->unassigned_group));
  cohort_test_ui_settle (300);
  {
    graphene_rect_t pk, board, unassigned;

    g_assert_true (gtk_widget_compute_bounds (tp->pk_group, GTK_WIDGET (tp), &pk));
    g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (tp->leaderboard_view), GTK_WIDGET (tp), &board));
    g_assert_true (gtk_widget_compute_bounds (tp->unassigned_group, GTK_WIDGET (tp), &unassigned));
    g_assert_cmpfloat (pk.origin.y, <, unassigned.origin.y);
    g_assert_cmpfloat (board.origin.y, <, unassigned.origin.y);
  }
  cohort_test_ui_close_windows (teacher, ana, ben, cai, NULL);
}

/* A class of 60: the New Study Groups dialog suggests fifteen groups of
 * four for the 60 students here; with two groups made and 60 names left
 * to place, the class PK and the leaderboard come before that list, at
 * 1280×800 and at 360 px. */
static void
test_sixty_students (void)
{
  CohortClassWindow *teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Chemistry");
  const char *code = cohort_session_get_class_code (cohort_class_window_get_session (teacher));
  g_autoptr(GPtrArray) students = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_test_client_free);
  CohortGroupsPage *tp = show_groups (teacher);
  CohortGroups *tg = cohort_groups_page_get_groups (tp);
  g_autoptr(GPtrArray) spins = g_ptr_array_new ();
  AdwMessageDialog *dialog;

  for (guint i = 0; i < 60; i++)
    {
      CohortTestClient *c = cohort_test_client_new (cohort_test_server_get_url (server));
      g_autofree char *name = g_strdup_printf ("Student %02u", i + 1);
      g_autoptr(JsonObject) joined = cohort_test_client_join (c, code, name, NULL);

      g_ptr_array_add (students, c);
    }
  gtk_window_set_default_size (GTK_WINDOW (teacher), 1280, 800);
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_synced (tg) &&
                          g_list_model_get_n_items (cohort_groups_get_unassigned (tg)) == 60);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tp), "groups.new", NULL));
  dialog = cohort_test_ui_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 5000);
  cohort_test_ui_find_all (GTK_WIDGET (dialog), cohort_test_ui_is_type, "GtkSpinButton", spins);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (g_ptr_array_index (spins, 0)), ==, 15);
  gtk_spin_button_set_value (g_ptr_array_index (spins, 0), 2);
  gtk_switch_set_active (GTK_SWITCH (cohort_test_ui_find (GTK_WIDGET (dialog), cohort_test_ui_is_type, "GtkSwitch")),
                         FALSE);
  adw_message_dialog_response (dialog, "create");
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (tg)) == 2 &&
                          gtk_widget_get_visible (tp->pk_group) && gtk_widget_get_visible (tp->unassigned_group));

  for (guint narrow = 0; narrow < 2; narrow++)
    {
      GtkWidget *scroller = gtk_widget_get_ancestor (tp->pk_group, GTK_TYPE_SCROLLED_WINDOW);
      graphene_rect_t pk, board, unassigned;

      if (narrow)
        {
          cohort_test_ui_phone_width (teacher, 800);
          show_groups (teacher);
        }
      cohort_test_ui_settle (600);
      g_assert_nonnull (scroller);
      g_assert_true (gtk_widget_compute_bounds (tp->pk_group, scroller, &pk));
      g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (tp->leaderboard_view), scroller, &board));
      g_assert_true (gtk_widget_compute_bounds (tp->unassigned_group, scroller, &unassigned));
      g_assert_cmpfloat (pk.origin.y, <, unassigned.origin.y);
      g_assert_cmpfloat (board.origin.y, <, unassigned.origin.y);
      cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), narrow ? "groups-sixty-360.png" : "groups-sixty.png");
    }
  cohort_test_ui_close_windows (teacher, NULL);
}

/* gchat: the group channel in the Groups tab */

static gboolean
tree_has_text (GtkWidget  *widget,
               const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (tree_has_text (child, text))
      return TRUE;
  return FALSE;
}

static GtkWidget *
chat_child (CohortGroupsPage *page,
            const char       *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (page->group_chat), COHORT_TYPE_GROUP_CHAT, name));
}

static gboolean
chat_shows (CohortGroupsPage *page,
            const char       *text)
{
  return tree_has_text (chat_child (page, "message_list"), text);
}

static void
chat_send (CohortGroupsPage *page,
           const char       *text)
{
  gtk_editable_set_text (GTK_EDITABLE (chat_child (page, "entry")), text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page->group_chat), "group-chat.send", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (chat_child (page, "entry"))), ==, "");
}

static void
test_group_chat (void)
{
  CohortClassWindow *teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Chemistry");
  const char *code = cohort_session_get_class_code (cohort_class_window_get_session (teacher));
  CohortClassWindow *ana = cohort_test_ui_open_class (server, code, "Ana", NULL);
  CohortClassWindow *ben = cohort_test_ui_open_class (server, code, "Ben", NULL);
  CohortClassWindow *cai = cohort_test_ui_open_class (server, code, "Cai", NULL);
  CohortGroupsPage *tp = show_groups (teacher);
  CohortGroupsPage *ap = show_groups (ana);
  CohortGroupsPage *bp = show_groups (ben);
  CohortGroupsPage *cp = show_groups (cai);
  CohortGroups *tg = cohort_groups_page_get_groups (tp);
  gint64 owls, bees;

  gtk_window_set_default_size (GTK_WINDOW (teacher), 1000, 900);
  gtk_window_set_default_size (GTK_WINDOW (ana), 1000, 900);
  COHORT_TEST_WAIT_UNTIL (cohort_groups_get_synced (tg) && cohort_groups_get_synced (cohort_groups_page_get_groups (cp)));

  /* No group, no channel. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (ap->group_chat)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (tp->group_chat)));

  owls = create_group (tg, "Owls", 3, "Kinetics", 40);
  bees = create_group (tg, "Bees", 3, "Acids", 40);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tp), "groups.assign", "(xx)", self_id (ana), owls));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tp), "groups.assign", "(xx)", self_id (ben), owls));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (tp), "groups.assign", "(xx)", self_id (cai), bees));
  COHORT_TEST_WAIT_UNTIL (cohort_group_chat_get_group_id (ap->group_chat) == owls &&
                          cohort_group_chat_get_group_id (bp->group_chat) == owls &&
                          cohort_group_chat_get_group_id (cp->group_chat) == bees);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (ap->group_chat)));
  g_assert_false (gtk_widget_get_visible (chat_child (ap, "group_dropdown")));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (chat_child (ap, "list_stack"))), ==, "empty");

  /* The teacher reads any group: a drop-down picks it. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (tp->group_chat)));
  g_assert_true (gtk_widget_get_visible (chat_child (tp, "group_dropdown")));
  cohort_group_chat_select_group (tp->group_chat, owls);
  g_assert_cmpint (cohort_group_chat_get_group_id (tp->group_chat), ==, owls);

  /* Ana writes to the Owls: Ben and the teacher see it, Cai (a Bee) not. */
  chat_send (ap, "Who has the rate constant for step 2?");
  COHORT_TEST_WAIT_UNTIL (chat_shows (bp, "Who has the rate constant for step 2?") &&
                          chat_shows (tp, "Who has the rate constant for step 2?"));
  g_assert_true (chat_shows (ap, "Who has the rate constant for step 2?"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (chat_child (bp, "list_stack"))), ==, "list");
  chat_send (bp, "k2 = 0.35 per second, page 42");
  COHORT_TEST_WAIT_UNTIL (chat_shows (ap, "k2 = 0.35 per second"));

  /* The teacher answers in the Owls' channel. */
  chat_send (tp, "Good. Check the units before you plug it in.");
  COHORT_TEST_WAIT_UNTIL (chat_shows (ap, "Check the units") && chat_shows (bp, "Check the units"));
  cohort_test_ui_settle (300);
  g_assert_false (chat_shows (cp, "rate constant"));
  g_assert_false (chat_shows (cp, "Check the units"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (chat_child (cp, "list_stack"))), ==, "empty");

  /* Cai writes to the Bees: only the teacher's Bees view shows it. */
  chat_send (cp, "Is vinegar a weak acid?");
  COHORT_TEST_WAIT_UNTIL (chat_shows (cp, "Is vinegar a weak acid?"));
  cohort_test_ui_settle (300);
  g_assert_false (chat_shows (tp, "Is vinegar"));
  g_assert_false (chat_shows (ap, "Is vinegar"));
  cohort_group_chat_select_group (tp->group_chat, bees);
  COHORT_TEST_WAIT_UNTIL (chat_shows (tp, "Is vinegar a weak acid?"));
  g_assert_false (chat_shows (tp, "rate constant"));
  cohort_group_chat_select_group (tp->group_chat, owls);

  cohort_test_ui_settle (600);
  scroll_to (ap, GTK_WIDGET (ap->group_chat));
  cohort_test_ui_settle (600);
  cohort_test_ui_save_screenshot (GTK_WIDGET (ana), "groups-chat-student.png");
  scroll_to (tp, GTK_WIDGET (tp->group_chat));
  cohort_test_ui_settle (600);
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "groups-chat-teacher.png");
  /* Cai's window is the last one mapped (on top under a bare X server). */
  scroll_to (cp, GTK_WIDGET (cp->group_chat));
  cohort_test_ui_settle (800);

  gtk_window_destroy (GTK_WINDOW (teacher));
  gtk_window_destroy (GTK_WINDOW (ana));
  gtk_window_destroy (GTK_WINDOW (ben));
  gtk_window_destroy (GTK_WINDOW (cai));
  cohort_test_ui_settle (200);
}

int
main (int   argc,
      char *argv[])
{
  Class class = { NULL };
  CohortTestStages *page;
  g_autofree char *data_home = NULL;
  int ret;

  data_home = cohort_test_ui_init (&argc, &argv, "groups-ui");

  server = cohort_test_server_start (NULL);
  page = cohort_test_stages_new (&class,
                                 (CohortTestStageFunc) class_setup,
                                 (CohortTestStageFunc) class_teardown,
                                 stages,
                                 G_N_ELEMENTS (stages));
  cohort_test_stages_add (page, "/cohort/groups/ui/groups-page/forming", 2);
  cohort_test_stages_add (page, "/cohort/groups/ui/groups-page/check-in", 5);
  cohort_test_stages_add (page, "/cohort/groups/ui/groups-page/react", 6);
  cohort_test_stages_add (page, "/cohort/groups/ui/groups-page/star-and-pk", 7);
  cohort_test_stages_add (page, "/cohort/groups/ui/groups-page/reminder", 8);
  cohort_test_stages_add (page, "/cohort/groups/ui/groups-page/pk-check-in", 10);
  cohort_test_stages_add (page, "/cohort/groups/ui/groups-page/leaderboards", 11);
  cohort_test_stages_add (page, "/cohort/groups/ui/groups-page/narrow", 12);
  g_test_add_func ("/cohort/groups/ui/group-chat", test_group_chat);
  g_test_add_func ("/cohort/groups/ui/new-groups-dialog", test_new_groups_dialog);
  g_test_add_func ("/cohort/groups/ui/sixty-students", test_sixty_students);
  ret = g_test_run ();
  g_clear_pointer (&page, cohort_test_stages_free);
  cohort_test_server_free (server);
  cohort_test_ui_remove_data_home (data_home);
  return ret;
}

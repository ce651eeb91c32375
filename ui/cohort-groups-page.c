/* cohort-groups-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-groups-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-groups-protocol.h"

#include "cohort-class-window.h"
#include "cohort-error-message.h"
#include "cohort-group-member-row.h"
#include "cohort-groups-page-private.h"
#include "cohort-leaderboard-view.h"
#include "cohort-pk-bar.h"
#include "cohort-template.h"
#include "cohort-toast.h"

/* The evening reminder: from this local hour on, once a day. */
#define REMINDER_HOUR 20
#define REMINDER_ID   "checkin-reminder"


G_DEFINE_FINAL_TYPE (CohortGroupsPage, cohort_groups_page, GTK_TYPE_WIDGET)

static void
toast (CohortGroupsPage *self,
       const char       *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root != NULL && COHORT_IS_CLASS_WINDOW (root))
    cohort_class_window_add_toast (COHORT_CLASS_WINDOW (root), text);
}

/* News that should not wait behind "X joined" toasts: your badge, a
 * star; others' badges are chatter, summarised for the teacher. */
static void
toast_kind (CohortGroupsPage *self,
            CohortNoticeKind  kind,
            const char       *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root != NULL && COHORT_IS_CLASS_WINDOW (root))
    cohort_class_window_add_notice (COHORT_CLASS_WINDOW (root), kind, text);
}

static void
show_error (CohortGroupsPage *self,
            const GError     *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  message = cohort_error_message_for_user (error, self->session ? cohort_session_get_server_url (self->session)
                                                                : NULL, NULL, NULL);
  toast (self, message);
}

/* The callback of requests whose success the models show by themselves. */
static void
request_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CohortGroupsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_groups_action_finish (COHORT_GROUPS (source), result, &error))
    show_error (self, error);
}

/* ---- the student's own group ---- */

static char *
note_text (CohortGroupsPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->note_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* A disabled Check In says why, on screen and to screen readers. */
static void
set_checkin_hint (CohortGroupsPage *self,
                  const char       *why)
{
  gtk_label_set_label (self->checkin_hint, why != NULL ? why : "");
  gtk_widget_set_visible (GTK_WIDGET (self->checkin_hint), why != NULL);
  if (why != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->checkin_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    why, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self->checkin_button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
update_counter (CohortGroupsPage *self)
{
  g_autofree char *text = note_text (self);
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  glong n = g_utf8_strlen (trimmed, -1);
  g_autofree char *label = g_strdup_printf ("%ld/%d", n, COHORT_GROUPS_MAX_NOTE_CHARS);
  /* Translators: read by screen readers; %ld characters used, %d allowed. */
  g_autofree char *a11y = g_strdup_printf (_("%ld of %d characters"), n, COHORT_GROUPS_MAX_NOTE_CHARS);

  gtk_label_set_label (self->counter_label, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->counter_label), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  if (n > COHORT_GROUPS_MAX_NOTE_CHARS)
    gtk_widget_add_css_class (GTK_WIDGET (self->counter_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->counter_label), "error");
  if (n > COHORT_GROUPS_MAX_NOTE_CHARS - 20)
    gtk_widget_remove_css_class (GTK_WIDGET (self->counter_label), "dim-label");
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->counter_label), "dim-label");
  gtk_widget_set_visible (self->note_placeholder, *text == '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.check-in",
                                 n >= 1 && n <= COHORT_GROUPS_MAX_NOTE_CHARS);
  set_checkin_hint (self, n < 1 ? _("Write what you learned to check in.")
                          : n > COHORT_GROUPS_MAX_NOTE_CHARS ? _("Shorten your note to check in.")
                          : NULL);
}

static GtkWidget *
create_member_row (gpointer item,
                   gpointer user_data)
{
  CohortGroupsPage *self = user_data;
  GtkWidget *row = gtk_list_box_row_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row),
                              cohort_group_member_row_new (item, cohort_groups_get_is_teacher (self->groups)));
  return row;
}

static void
update_progress (CohortGroupsPage *self)
{
  CohortGroups *g = self->groups;
  CohortGroupMember *me = cohort_groups_lookup_member (g, cohort_groups_get_viewer_id (g));
  gint64 streak = cohort_groups_get_streak (g);
  g_autofree char *streak_text = g_strdup_printf ("%" G_GINT64_FORMAT, streak);
  g_autofree char *points_text = g_strdup_printf ("%" G_GINT64_FORMAT, cohort_groups_get_points_week (g));
  g_autofree char *freeze_text = g_strdup_printf ("%" G_GINT64_FORMAT, cohort_groups_get_freezes_left (g));
  g_autofree char *done = NULL;

  gtk_label_set_label (self->streak_value, streak_text);
  gtk_label_set_label (self->streak_caption, _("Day Streak"));
  gtk_label_set_label (self->points_value, points_text);
  gtk_label_set_label (self->freeze_value, freeze_text);

  if (cohort_groups_get_checked_in_today (g))
    {
      if (cohort_groups_get_best_streak (g) > streak)
        /* Translators: %d is the current streak, %d the best one, in days. */
        done = g_strdup_printf (_("Your streak is %d, your best %d. Come back tomorrow to keep it going."),
                                (int) streak, (int) cohort_groups_get_best_streak (g));
      else
        done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "You are on a %d-day streak. Come back tomorrow to keep it going.",
                                             "You are on a %d-day streak. Come back tomorrow to keep it going.",
                                             streak), (int) streak);
      if (me != NULL && *cohort_group_member_get_note (me) != '\0')
        {
          g_autofree char *with_note = g_strdup_printf ("“%s”\n%s", cohort_group_member_get_note (me), done);

          g_free (done);
          done = g_steal_pointer (&with_note);
        }
      gtk_label_set_label (self->done_label, done);
      gtk_stack_set_visible_child_name (self->checkin_stack, "done");
      if (g_application_get_default () != NULL)
        g_application_withdraw_notification (g_application_get_default (), REMINDER_ID);
    }
  else
    gtk_stack_set_visible_child_name (self->checkin_stack, "compose");
}

static void
update_my_group (CohortGroupsPage *self)
{
  CohortGroup *mine = cohort_groups_get_my_group (self->groups);
  gboolean teacher = cohort_groups_get_is_teacher (self->groups);
  gboolean synced = cohort_groups_get_synced (self->groups);

  gtk_widget_set_visible (self->no_group_box, synced && !teacher && mine == NULL);
  gtk_widget_set_visible (self->my_group_box, !teacher && mine != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->members_group), !teacher && mine != NULL);
  gtk_widget_set_visible (self->checkin_group, synced && !teacher);
  gtk_widget_set_visible (self->badges_group, synced && !teacher);
  gtk_widget_set_visible (self->reminder_group, synced && !teacher);

  if (mine == NULL)
    {
      gboolean pick = cohort_groups_get_pick_open (self->groups) &&
                      g_list_model_get_n_items (G_LIST_MODEL (self->groups)) > 0;

      adw_status_page_set_description (self->no_group_status,
                                       pick ? _("Pick a group whose interest or goal suits you.")
                                            : _("The teacher will put you in a study group. You can still check in every day."));
      gtk_widget_set_visible (GTK_WIDGET (self->pick_list), pick);
      gtk_list_box_bind_model (self->members_list, NULL, NULL, NULL, NULL);
      return;
    }

  {
    gint64 goal = cohort_group_get_goal_points (mine);
    gint64 week = cohort_group_get_points_week (mine);
    gint64 streak = cohort_group_get_streak (mine);
    guint n = cohort_group_get_n_members (mine);
    g_autofree char *goal_text = g_strdup_printf ("%" G_GINT64_FORMAT " / %" G_GINT64_FORMAT, week, goal);
    g_autofree char *streak_text = NULL;
    g_autofree char *members = NULL;

    gtk_label_set_label (self->group_title, cohort_group_get_name (mine));
    gtk_label_set_label (self->group_topic, cohort_group_get_topic (mine));
    gtk_widget_set_visible (GTK_WIDGET (self->group_topic), *cohort_group_get_topic (mine) != '\0');
    gtk_label_set_label (self->goal_value, goal_text);
    gtk_progress_bar_set_fraction (self->goal_bar, cohort_group_get_goal_fraction (mine));
    {
      /* Translators: the weekly goal's progress bar, read out: points this week, then the goal. */
      g_autofree char *goal_a11y = g_strdup_printf (_("Weekly goal: %d of %d points"), (int) week, (int) goal);

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->goal_bar), GTK_ACCESSIBLE_PROPERTY_LABEL, goal_a11y, -1);
    }
    gtk_widget_set_visible (self->goal_box, TRUE);
    gtk_widget_set_visible (GTK_WIDGET (self->goal_bar), goal > 0);
    gtk_widget_set_visible (GTK_WIDGET (self->goal_value), goal > 0);
    if (goal <= 0)
      /* Translators: %d is the group's points this week. */
      streak_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d point this week · group streak: %d",
                                                  "%d points this week · group streak: %d", week),
                                     (int) week, (int) streak);
    else
      /* Translators: a group's streak; %d days on which half the group checked in. */
      streak_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  "Group streak: %d day with half the group checked in",
                                                  "Group streak: %d days with half the group checked in", streak),
                                     (int) streak);
    gtk_label_set_label (self->group_streak_label, streak_text);

    /* Translators: %u is how many members a group has. */
    members = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u Member", "%u Members", n), n);
    adw_preferences_group_set_title (self->members_group, members);
  }
}

static void
on_my_group_changed (CohortGroupsPage *self)
{
  CohortGroup *mine = cohort_groups_get_my_group (self->groups);

  g_signal_group_set_target (self->my_group_signals, mine);
  if (mine != NULL)
    gtk_list_box_bind_model (self->members_list, cohort_group_get_members (mine), create_member_row, self, NULL);
  update_my_group (self);
}

/* ---- picking a group (students) ---- */

static void
update_pick_row (GtkWidget *row)
{
  CohortGroup *g = g_object_get_data (G_OBJECT (row), "group");
  GtkWidget *button = g_object_get_data (G_OBJECT (row), "button");
  g_autofree char *seats = NULL;
  g_autofree char *subtitle = NULL;

  /* Translators: seats taken in a group, e.g. "2 of 4 places taken". */
  seats = g_strdup_printf (_("%u of %d places taken"), cohort_group_get_n_members (g),
                           (int) cohort_group_get_size (g));
  subtitle = *cohort_group_get_topic (g) ? g_strdup_printf ("%s · %s", cohort_group_get_topic (g), seats)
                                         : g_strdup (seats);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_sensitive (button, !cohort_group_get_is_full (g));
}

static GtkWidget *
create_pick_row (gpointer item,
                 gpointer user_data)
{
  CohortGroup *g = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Join"));
  /* Translators: %s is a group's name. */
  g_autofree char *tooltip = g_strdup_printf (_("Join %s"), cohort_group_get_name (g));

  /* Group names and topics are the teacher's text, not markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cohort_group_get_name (g));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "groups.pick");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", cohort_group_get_id (g));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  g_object_set_data_full (G_OBJECT (row), "group", g_object_ref (g), g_object_unref);
  g_object_set_data (G_OBJECT (row), "button", button);
  g_signal_connect_object (g, "notify::n-members", G_CALLBACK (update_pick_row), row, G_CONNECT_SWAPPED);
  update_pick_row (row);
  return row;
}

/* ---- the teacher's groups ---- */

static void
update_teacher_group_row (GtkWidget *row)
{
  CohortGroup *g = g_object_get_data (G_OBJECT (row), "group");
  GtkLabel *points = g_object_get_data (G_OBJECT (row), "points-label");
  g_autofree char *subtitle = NULL;
  g_autofree char *points_text = NULL;
  gint64 goal = cohort_group_get_goal_points (g);

  /* Translators: a group's seats, e.g. "2 of 4". */
  subtitle = g_strdup_printf (_("%u of %d"), cohort_group_get_n_members (g), (int) cohort_group_get_size (g));
  if (*cohort_group_get_topic (g))
    {
      g_autofree char *with_topic = g_strdup_printf ("%s · %s", subtitle, cohort_group_get_topic (g));

      g_free (subtitle);
      subtitle = g_steal_pointer (&with_topic);
    }
  if (goal > 0)
    /* Translators: points this week towards a goal, e.g. "15/50 pts". */
    points_text = g_strdup_printf (_("%d/%d pts"), (int) cohort_group_get_points_week (g), (int) goal);
  else
    points_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d pt", "%d pts", cohort_group_get_points_week (g)),
                                   (int) cohort_group_get_points_week (g));
  gtk_label_set_label (points, points_text);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cohort_group_get_name (g));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
}

static GtkWidget *
create_teacher_group_row (gpointer item,
                          gpointer user_data)
{
  CohortGroupsPage *self = user_data;
  CohortGroup *g = item;
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *members = gtk_list_box_new ();
  GtkWidget *points = gtk_label_new (NULL);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (points, "numeric");
  gtk_widget_add_css_class (points, "dim-label");
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), points);
  g_object_set_data_full (G_OBJECT (row), "group", g_object_ref (g), g_object_unref);
  g_object_set_data (G_OBJECT (row), "points-label", points);
  g_signal_connect_object (g, "notify", G_CALLBACK (update_teacher_group_row), row, G_CONNECT_SWAPPED);
  update_teacher_group_row (row);

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (members), GTK_SELECTION_NONE);
  gtk_list_box_bind_model (GTK_LIST_BOX (members), cohort_group_get_members (g), create_member_row, self, NULL);
  gtk_widget_add_css_class (members, "members-list");
  gtk_widget_add_css_class (members, "nested");
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), members);
  return row;
}

static void
update_teacher_groups (CohortGroupsPage *self)
{
  guint n;

  if (self->groups == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->groups));

  gtk_stack_set_visible_child_name (self->teacher_groups_stack, n > 0 ? "list" : "empty");
  gtk_widget_set_visible (self->unassigned_group, cohort_groups_get_is_teacher (self->groups) &&
                          g_list_model_get_n_items (cohort_groups_get_unassigned (self->groups)) > 0);
}

static void update_pk (CohortGroupsPage *self);

static void
on_groups_changed (CohortGroupsPage *self)
{
  update_teacher_groups (self);
  update_my_group (self);
  update_pk (self);
}

static void
bind_groups (CohortGroupsPage *self)
{
  if (cohort_groups_get_is_teacher (self->groups))
    gtk_list_box_bind_model (self->teacher_groups_list, G_LIST_MODEL (self->groups),
                             create_teacher_group_row, self, NULL);
  else
    gtk_list_box_bind_model (self->pick_list, G_LIST_MODEL (self->groups), create_pick_row, self, NULL);
}

static GMenuModel *
assign_menu (CohortGroupsPage *self,
             gint64            participant_id)
{
  GMenu *menu = g_menu_new ();

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->groups)); i++)
    {
      g_autoptr(CohortGroup) g = g_list_model_get_item (G_LIST_MODEL (self->groups), i);
      /* Menu labels read "_" as a mnemonic. */
      g_autofree char *label = cohort_escape_mnemonic (cohort_group_get_name (g));
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "groups.assign", "(xx)", participant_id, cohort_group_get_id (g));
      g_menu_append_item (menu, item);
    }
  return G_MENU_MODEL (menu);
}

static void
on_assign_popup (GtkMenuButton *button,
                 gpointer       user_data)
{
  CohortGroupsPage *self = user_data;
  gint64 pid = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "participant-id"));
  g_autoptr(GMenuModel) menu = assign_menu (self, pid);

  gtk_menu_button_set_menu_model (button, menu);
}

static GtkWidget *
create_unassigned_row (gpointer item,
                       gpointer user_data)
{
  CohortGroupsPage *self = user_data;
  CohortGroupMember *m = item;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *avatar = adw_avatar_new (32, cohort_group_member_get_name (m), TRUE);
  GtkWidget *button = gtk_menu_button_new ();
  /* Translators: %s is a student's name. */
  g_autofree char *tooltip = g_strdup_printf (_("Add %s to a Group"), cohort_group_member_get_name (m));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cohort_group_member_get_name (m));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), avatar);
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "list-add-symbolic");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "participant-id",
                     GSIZE_TO_POINTER ((gsize) cohort_group_member_get_participant_id (m)));
  gtk_menu_button_set_create_popup_func (GTK_MENU_BUTTON (button), on_assign_popup, self, NULL);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

/* ---- settings (teacher) ---- */

static void
sync_settings (CohortGroupsPage *self)
{
  const char *mode = cohort_groups_get_board_mode (self->groups);
  guint selected = g_str_equal (mode, COHORT_GROUPS_BOARD_TOP) ? 1 : g_str_equal (mode, COHORT_GROUPS_BOARD_GROUPS) ? 2 : 0;

  self->syncing_settings = TRUE;
  gtk_switch_set_active (self->pick_switch, cohort_groups_get_pick_open (self->groups));
  adw_combo_row_set_selected (self->board_row, selected);
  gtk_spin_button_set_value (self->top_n_spin, cohort_groups_get_top_n (self->groups));
  gtk_widget_set_sensitive (self->top_n_row, selected == 1);
  self->syncing_settings = FALSE;
  update_my_group (self);
}

static void
on_pick_switch (CohortGroupsPage *self)
{
  if (self->syncing_settings || self->groups == NULL)
    return;
  cohort_groups_set_settings_async (self->groups, gtk_switch_get_active (self->pick_switch), NULL, 0,
                                    self->cancellable, request_done, g_object_ref (self));
}

static void
on_board_setting (CohortGroupsPage *self)
{
  static const char * const modes[] = {
    COHORT_GROUPS_BOARD_ALL, COHORT_GROUPS_BOARD_TOP, COHORT_GROUPS_BOARD_GROUPS,
  };
  guint selected = adw_combo_row_get_selected (self->board_row);

  if (self->syncing_settings || self->groups == NULL || selected >= G_N_ELEMENTS (modes))
    return;
  gtk_widget_set_sensitive (self->top_n_row, selected == 1);
  cohort_groups_set_settings_async (self->groups, -1, modes[selected],
                                    gtk_spin_button_get_value_as_int (self->top_n_spin),
                                    self->cancellable, request_done, g_object_ref (self));
}

/* ---- Class PK ---- */

static gboolean
pk_clock (gpointer user_data);

static void
update_pk (CohortGroupsPage *self)
{
  CohortPk *pk = cohort_groups_get_pk (self->groups);
  gboolean teacher = cohort_groups_get_is_teacher (self->groups);
  gboolean running = cohort_pk_get_running (pk);
  gboolean any = cohort_pk_get_pk_id (pk) != 0;
  g_autofree char *status = NULL;
  GtkWidget *child;

  gtk_widget_set_visible (self->pk_group, cohort_groups_get_synced (self->groups) && (any || teacher) &&
                          (teacher || running || cohort_pk_get_ended_at (pk) > 0));
  gtk_widget_set_visible (self->pk_live_box, any);
  gtk_widget_set_visible (self->pk_controls, teacher);
  gtk_widget_set_visible (self->pk_start_button, !running);
  gtk_widget_set_visible (self->pk_minutes_box, !running);
  gtk_widget_set_visible (self->pk_stop_button, running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.pk-start",
                                 !running && g_list_model_get_n_items (G_LIST_MODEL (self->groups)) >= 2);

  if (running)
    {
      gint64 left = (cohort_pk_get_ends_at (pk) - g_get_real_time () / 1000 + 999) / 1000;

      if (left < 0)
        left = 0;
      /* Translators: the Class PK's countdown, minutes and seconds left. */
      status = g_strdup_printf (_("Live · %d:%02d left"), (int) (left / 60), (int) (left % 60));
      if (self->pk_clock_source == 0)
        self->pk_clock_source = g_timeout_add_seconds (1, pk_clock, self);
    }
  else
    {
      g_clear_handle_id (&self->pk_clock_source, g_source_remove);
      if (*cohort_pk_get_winners (pk) != '\0')
        /* Translators: %s is the name of the winning group (or several, with commas). */
        status = g_strdup_printf (_("Finished · %s won"), cohort_pk_get_winners (pk));
      else if (any)
        status = g_strdup (_("Finished"));
    }
  gtk_label_set_label (self->pk_status, status ? status : "");

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pk_legend))) != NULL)
    gtk_flow_box_remove (self->pk_legend, child);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pk)); i++)
    {
      g_autoptr(CohortBoardRow) row = g_list_model_get_item (G_LIST_MODEL (pk), i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
      g_autofree char *text = g_strdup_printf ("%s  %" G_GINT64_FORMAT, cohort_board_row_get_name (row),
                                               cohort_board_row_get_points (row));
      GtkWidget *label = gtk_label_new (text);
      g_autofree char *dot_class = g_strdup_printf ("pk-color-%u", i % 7);

      gtk_widget_add_css_class (dot, "pk-dot");
      gtk_widget_add_css_class (dot, dot_class);
      gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (label, "numeric");
      if (cohort_board_row_get_is_self (row))
        gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (box), dot);
      gtk_box_append (GTK_BOX (box), label);
      gtk_flow_box_append (self->pk_legend, box);
    }
}

static gboolean
pk_clock (gpointer user_data)
{
  CohortGroupsPage *self = user_data;

  if (self->groups == NULL || !cohort_pk_get_running (cohort_groups_get_pk (self->groups)))
    {
      self->pk_clock_source = 0;
      if (self->groups != NULL)
        update_pk (self);
      return G_SOURCE_REMOVE;
    }
  update_pk (self);
  return G_SOURCE_CONTINUE;
}

/* ---- badges ---- */

static void
update_badges (CohortGroupsPage *self)
{
  CohortBadges *badges = cohort_groups_get_badges (self->groups);
  const char * const *kinds = cohort_badge_kinds ();
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->badges_flow))) != NULL)
    gtk_flow_box_remove (self->badges_flow, child);

  for (guint i = 0; kinds[i] != NULL; i++)
    {
      CohortBadge *own = cohort_badges_lookup_own (badges, kinds[i]);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *icon = gtk_image_new_from_icon_name (cohort_badge_kind_get_icon_name (kinds[i]));
      GtkWidget *title = gtk_label_new (cohort_badge_kind_get_title (kinds[i]));
      g_autofree char *tooltip = NULL;

      gtk_image_set_pixel_size (GTK_IMAGE (icon), 24);
      gtk_widget_set_halign (icon, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (icon, "badge-icon");
      gtk_label_set_wrap (GTK_LABEL (title), TRUE);
      gtk_label_set_justify (GTK_LABEL (title), GTK_JUSTIFY_CENTER);
      gtk_label_set_max_width_chars (GTK_LABEL (title), 10);
      gtk_widget_add_css_class (title, "caption");
      gtk_box_append (GTK_BOX (box), icon);
      gtk_box_append (GTK_BOX (box), title);
      gtk_widget_add_css_class (box, "badge");
      if (own != NULL)
        {
          gtk_widget_add_css_class (box, "earned");
          /* Translators: a badge's tooltip once earned: how it is earned. */
          tooltip = g_strdup_printf (_("%s — earned"), cohort_badge_kind_get_description (kinds[i]));
        }
      else
        tooltip = g_strdup (cohort_badge_kind_get_description (kinds[i]));
      gtk_widget_set_tooltip_text (box, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      cohort_badge_kind_get_title (kinds[i]),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, tooltip, -1);
      gtk_flow_box_append (self->badges_flow, box);
    }
}

static void
on_badge_earned (CohortGroupsPage *self,
                 CohortBadge      *badge)
{
  g_autofree char *text = NULL;

  if (cohort_badge_get_participant_id (badge) == cohort_groups_get_viewer_id (self->groups))
    {
      /* Translators: a toast; %s is a badge's name, the second %s how it was earned. */
      text = g_strdup_printf (_("New badge: %s. %s"), cohort_badge_get_title (badge),
                              cohort_badge_get_description (badge));
      toast_kind (self, COHORT_NOTICE_INFO, text);
      return;
    }
  /* Translators: a toast for the teacher; a student's name, then a badge's name. */
  text = g_strdup_printf (_("%s earned the badge %s"), cohort_badge_get_name (badge), cohort_badge_get_title (badge));
  toast_kind (self, COHORT_NOTICE_BADGE, text);
}

static void
on_starred (CohortGroupsPage *self,
            gint64            participant_id,
            const char       *name,
            const char       *reason)
{
  g_autofree char *text = NULL;

  if (participant_id != cohort_groups_get_viewer_id (self->groups))
    return;
  /* Translators: a toast; %s is the teacher's reason. */
  text = g_strdup_printf (_("The teacher gave you a star: %s"), reason);
  toast_kind (self, COHORT_NOTICE_INFO, text);
}

/* ---- the evening reminder ---- */

gboolean
cohort_groups_page_check_reminder (CohortGroupsPage *self,
                                   GDateTime        *now)
{
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *today = NULL;
  g_autofree char *body = NULL;
  GApplication *app = g_application_get_default ();
  GtkRoot *root;
  gint64 streak;

  g_return_val_if_fail (COHORT_IS_GROUPS_PAGE (self), FALSE);

  if (self->groups == NULL || !cohort_groups_get_synced (self->groups) || cohort_groups_get_is_teacher (self->groups) ||
      cohort_groups_get_checked_in_today (self->groups) ||
      !g_settings_get_boolean (self->settings, "checkin-reminder") ||
      g_date_time_get_hour (now) < REMINDER_HOUR)
    return FALSE;
  today = g_date_time_format (now, "%F");
  if (g_strcmp0 (today, self->reminded_on) == 0)
    return FALSE;
  g_free (self->reminded_on);
  self->reminded_on = g_steal_pointer (&today);

  streak = cohort_groups_get_streak (self->groups);
  if (streak > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "Write a few words about today to keep your %d-day streak.",
                                         "Write a few words about today to keep your %d-day streak.", streak),
                            (int) streak);
  else
    body = g_strdup (_("Write a few words about what you learned today. Your group will see it."));
  root = gtk_widget_get_root (GTK_WIDGET (self));
  /* In a class window, a click on it opens the Groups page there. */
  if (root != NULL && COHORT_IS_CLASS_WINDOW (root) &&
      cohort_class_window_send_notification (COHORT_CLASS_WINDOW (root), REMINDER_ID, "groups",
                                             _("Time for Today’s Check-In"), body))
    return TRUE;
  notification = g_notification_new (_("Time for Today’s Check-In"));
  g_notification_set_body (notification, body);
  if (app != NULL)
    g_application_send_notification (app, REMINDER_ID, notification);
  return TRUE;
}

static gboolean
reminder_tick (gpointer user_data)
{
  CohortGroupsPage *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  cohort_groups_page_check_reminder (self, now);
  return G_SOURCE_CONTINUE;
}

/* ---- actions ---- */

static void
check_in_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CohortGroupsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean already = FALSE;
  gboolean done = cohort_groups_check_in_finish (COHORT_GROUPS (source), result, &already, &error);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.check-in", TRUE);
  if (!done)
    {
      show_error (self, error);
      return;
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->note_view), "", -1);
  gtk_spin_button_set_value (self->minutes_spin, 0);
  if (already)
    toast (self, _("You already checked in today"));
  else
    toast (self, _("Checked in. Your group can see it now."));
}

static void
action_check_in (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (widget);
  g_autofree char *note = note_text (self);

  if (self->groups == NULL)
    return;
  g_strstrip (note);
  if (*note == '\0' || g_utf8_strlen (note, -1) > COHORT_GROUPS_MAX_NOTE_CHARS)
    return;
  gtk_widget_action_set_enabled (widget, "groups.check-in", FALSE);
  cohort_groups_check_in_async (self->groups, note, gtk_spin_button_get_value_as_int (self->minutes_spin), NULL,
                                self->cancellable, check_in_done, g_object_ref (self));
}

static void
action_react (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (widget);
  gint64 checkin_id;
  const char *reaction;

  g_variant_get (parameter, "(x&s)", &checkin_id, &reaction);
  if (self->groups == NULL || checkin_id <= 0)
    return;
  cohort_groups_react_async (self->groups, checkin_id, reaction, self->cancellable, request_done,
                             g_object_ref (self));
}

static void
action_pick (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (widget);

  if (self->groups != NULL)
    cohort_groups_pick_async (self->groups, g_variant_get_int64 (parameter), self->cancellable, request_done,
                              g_object_ref (self));
}

static void
action_assign (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (widget);
  gint64 pid, gid;

  g_variant_get (parameter, "(xx)", &pid, &gid);
  if (self->groups != NULL)
    cohort_groups_assign_async (self->groups, pid, gid, self->cancellable, request_done, g_object_ref (self));
}

static void
action_unassign (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (widget);

  if (self->groups != NULL)
    cohort_groups_assign_async (self->groups, g_variant_get_int64 (parameter), 0, self->cancellable,
                                request_done, g_object_ref (self));
}

static void
balance_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CohortGroupsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 moved = 0;
  gint64 unplaced = 0;
  g_autofree char *text = NULL;

  if (!cohort_groups_balance_finish (COHORT_GROUPS (source), result, &moved, &unplaced, &error))
    {
      show_error (self, error);
      return;
    }
  if (unplaced > 0)
    /* Translators: after balancing groups; the second number is students left without a seat. */
    text = g_strdup_printf (_("Placed %d students. %d did not fit: add a group or make one bigger."),
                            (int) moved, (int) unplaced);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Placed %d student", "Placed %d students", moved),
                            (int) moved);
  toast (self, text);
}

static void
action_balance (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (widget);

  if (self->groups != NULL)
    cohort_groups_balance_async (self->groups, FALSE, self->cancellable, balance_done, g_object_ref (self));
}

static void
action_pk_start (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (widget);

  if (self->groups != NULL)
    cohort_groups_pk_start_async (self->groups, gtk_spin_button_get_value_as_int (self->pk_minutes_spin),
                                  self->cancellable, request_done, g_object_ref (self));
}

static void
action_pk_stop (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (widget);

  if (self->groups != NULL)
    cohort_groups_pk_stop_async (self->groups, self->cancellable, request_done, g_object_ref (self));
}

/* New group: a dialog with the name, seats, topic and weekly goal. */
typedef struct
{
  CohortGroupsPage *self;
  AdwEntryRow      *name;
  AdwEntryRow      *topic;
  GtkSpinButton    *count;
  GtkSpinButton    *size;
  GtkSpinButton    *goal;
  GtkSwitch        *fill;
} NewGroupDialog;

static void balance_done (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
new_group_response (AdwMessageDialog *dialog,
                    const char       *response,
                    NewGroupDialog   *data)
{
  if (g_strcmp0 (response, "create") == 0 && data->self->groups != NULL)
    {
      g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (data->name))));
      g_autofree char *topic = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (data->topic))));
      gboolean fill = gtk_switch_get_active (data->fill);

      cohort_groups_create_many_async (data->self->groups, name, gtk_spin_button_get_value_as_int (data->count),
                                       gtk_spin_button_get_value_as_int (data->size), topic,
                                       gtk_spin_button_get_value_as_int (data->goal), fill,
                                       data->self->cancellable, fill ? balance_done : request_done,
                                       g_object_ref (data->self));
    }
  g_object_unref (data->self);
  g_free (data);
}

static void
on_new_group_name_changed (AdwEntryRow      *entry,
                           AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  glong n = g_utf8_strlen (name, -1);

  adw_message_dialog_set_response_enabled (dialog, "create", n >= 1 && n <= COHORT_GROUPS_MAX_NAME_CHARS);
}

static GtkWidget *
spin_row (const char *title,
          double      lower,
          double      upper,
          double      value,
          GtkWidget **out_spin)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  *out_spin = spin;
  return row;
}

/* Enough groups of @places for the students here now and not in a group
 * yet, when the class has none: a class of 40 starts with ten groups of
 * four. Students who went away are not counted, as filling does not
 * place them. */
static int
suggested_group_count (CohortGroupsPage *self,
                       int               places)
{
  GListModel *unassigned = cohort_groups_get_unassigned (self->groups);
  CohortRoster *roster = cohort_session_get_roster (self->session);
  guint waiting = 0;

  for (guint i = 0; i < g_list_model_get_n_items (unassigned); i++)
    {
      g_autoptr(CohortGroupMember) member = g_list_model_get_item (unassigned, i);
      CohortParticipant *p = cohort_roster_lookup (roster, cohort_group_member_get_participant_id (member));

      waiting += p != NULL && cohort_participant_get_online (p);
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (self->groups)) > 0 || waiting == 0)
    return 1;
  return CLAMP ((int) (waiting + places - 1) / places, 1, COHORT_GROUPS_MAX_GROUPS);
}

static void
action_new_group (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  NewGroupDialog *data = g_new0 (NewGroupDialog, 1);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *fill_row = adw_action_row_new ();
  GtkWidget *spin;
  AdwMessageDialog *dialog;
  int count;

  if (self->groups == NULL)
    return;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (root), _("New Study Groups"),
                                                       _("Students in a group see each other’s check-ins and share a streak and a weekly goal.")));
  data->self = g_object_ref (self);
  data->name = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->name), _("Name"));
  /* Translators: the default name of new study groups; several are numbered ("Group 1", "Group 2"). */
  gtk_editable_set_text (GTK_EDITABLE (data->name), _("Group"));
  data->topic = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->topic), _("Interest or Goal (Optional)"));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->name));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->topic));
  count = suggested_group_count (self, 4);
  gtk_list_box_append (GTK_LIST_BOX (list), spin_row (_("Number of Groups"), 1, COHORT_GROUPS_MAX_GROUPS, count, &spin));
  data->count = GTK_SPIN_BUTTON (spin);
  gtk_list_box_append (GTK_LIST_BOX (list), spin_row (_("Places"), 1, COHORT_GROUPS_MAX_SIZE, 4, &spin));
  data->size = GTK_SPIN_BUTTON (spin);
  gtk_list_box_append (GTK_LIST_BOX (list), spin_row (_("Weekly Goal (Points)"), 0, COHORT_GROUPS_MAX_GOAL, 100, &spin));
  data->goal = GTK_SPIN_BUTTON (spin);
  gtk_spin_button_set_increments (data->goal, 10, 50);
  data->fill = GTK_SWITCH (gtk_switch_new ());
  gtk_widget_set_valign (GTK_WIDGET (data->fill), GTK_ALIGN_CENTER);
  gtk_switch_set_active (data->fill, count > 1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (fill_row), _("_Fill with Present Students"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (fill_row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (fill_row), _("Students here now who are not in a group"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (fill_row), GTK_WIDGET (data->fill));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (fill_row), GTK_WIDGET (data->fill));
  gtk_accessible_update_property (GTK_ACCESSIBLE (data->fill), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Fill with Present Students"), -1);
  gtk_list_box_append (GTK_LIST_BOX (list), fill_row);
  adw_message_dialog_set_extra_child (dialog, list);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "create", _("_Create"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "create");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_editable_set_max_width_chars (GTK_EDITABLE (data->name), COHORT_GROUPS_MAX_NAME_CHARS);
  g_signal_connect (data->name, "changed", G_CALLBACK (on_new_group_name_changed), dialog);
  on_new_group_name_changed (data->name, dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (new_group_response), data);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* A star: a dialog asking for the reason. */
typedef struct
{
  CohortGroupsPage *self;
  gint64            participant_id;
  AdwEntryRow      *reason;
} StarDialog;

static void
star_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(CohortGroupsPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_groups_action_finish (COHORT_GROUPS (source), result, &error))
    show_error (self, error);
  else
    toast (self, _("Star given"));
}

static void
star_response (AdwMessageDialog *dialog,
               const char       *response,
               StarDialog       *data)
{
  if (g_strcmp0 (response, "star") == 0 && data->self->groups != NULL)
    {
      g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (data->reason))));

      cohort_groups_star_async (data->self->groups, data->participant_id, reason, data->self->cancellable,
                                star_done, g_object_ref (data->self));
    }
  g_object_unref (data->self);
  g_free (data);
}

static void
on_reason_changed (AdwEntryRow      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  glong n = g_utf8_strlen (reason, -1);

  adw_message_dialog_set_response_enabled (dialog, "star", n >= 1 && n <= COHORT_GROUPS_MAX_REASON_CHARS);
}

static void
action_star (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (widget);
  gint64 pid = g_variant_get_int64 (parameter);
  CohortGroupMember *m = self->groups ? cohort_groups_lookup_member (self->groups, pid) : NULL;
  StarDialog *data;
  GtkWidget *list;
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (m == NULL)
    return;
  /* Translators: %s is a student's name. */
  heading = g_strdup_printf (_("Give %s a Star"), cohort_group_member_get_name (m));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)), heading,
                                                       _("A star is worth 5 points. Say what it is for: the student sees your reason.")));
  data = g_new0 (StarDialog, 1);
  data->self = g_object_ref (self);
  data->participant_id = pid;
  data->reason = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (data->reason), _("Reason"));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (data->reason));
  adw_message_dialog_set_extra_child (dialog, list);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "star", _("_Give Star"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "star", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "star");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "star", FALSE);
  g_signal_connect (data->reason, "changed", G_CALLBACK (on_reason_changed), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (star_response), data);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- wiring ---- */

static void
update_all (CohortGroupsPage *self)
{
  gboolean teacher = cohort_groups_get_is_teacher (self->groups);
  gboolean synced = cohort_groups_get_synced (self->groups);

  gtk_widget_set_visible (self->teacher_groups_group, synced && teacher);
  gtk_widget_set_visible (self->filling_group, synced && teacher);
  gtk_widget_set_visible (self->privacy_group, synced && teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.new", teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.balance", teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.star", teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.unassign", teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.assign", teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.pk-stop", teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.pick", !teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.react", TRUE);

  bind_groups (self);
  on_groups_changed (self);
  on_my_group_changed (self);
  sync_settings (self);
  update_progress (self);
  update_pk (self);
  update_badges (self);
  update_counter (self);
}

void
cohort_groups_page_set_session (CohortGroupsPage *self,
                                CohortSession    *session)
{
  g_return_if_fail (COHORT_IS_GROUPS_PAGE (self));
  g_return_if_fail (COHORT_IS_SESSION (session));

  if (self->session == session)
    return;

  g_set_object (&self->session, session);
  if (self->groups != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->groups, self);
      g_signal_handlers_disconnect_by_data (cohort_groups_get_unassigned (self->groups), self);
      g_signal_handlers_disconnect_by_data (cohort_groups_get_badges (self->groups), self);
      g_signal_handlers_disconnect_by_data (cohort_groups_get_pk (self->groups), self);
    }
  g_clear_object (&self->groups);
  self->groups = cohort_groups_new (session);

  g_signal_connect_object (self->groups, "items-changed", G_CALLBACK (on_groups_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->groups, "notify::synced", G_CALLBACK (update_all), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->groups, "notify::is-teacher", G_CALLBACK (update_all), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->groups, "notify::my-group", G_CALLBACK (on_my_group_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->groups, "notify::pick-open", G_CALLBACK (sync_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->groups, "notify::board-mode", G_CALLBACK (sync_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->groups, "notify::top-n", G_CALLBACK (sync_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->groups, "notify", G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->groups, "board-changed", G_CALLBACK (on_groups_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->groups, "starred", G_CALLBACK (on_starred), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cohort_groups_get_unassigned (self->groups), "items-changed",
                           G_CALLBACK (update_teacher_groups), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cohort_groups_get_badges (self->groups), "items-changed",
                           G_CALLBACK (update_badges), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cohort_groups_get_badges (self->groups), "earned",
                           G_CALLBACK (on_badge_earned), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cohort_groups_get_pk (self->groups), "notify", G_CALLBACK (update_pk), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (cohort_groups_get_pk (self->groups), "items-changed", G_CALLBACK (update_pk), self,
                           G_CONNECT_SWAPPED);

  gtk_list_box_bind_model (self->unassigned_list, cohort_groups_get_unassigned (self->groups),
                           create_unassigned_row, self, NULL);
  cohort_pk_bar_set_pk (self->pk_bar, cohort_groups_get_pk (self->groups));
  cohort_leaderboard_view_set_groups (self->leaderboard_view, self->groups);
  cohort_group_chat_set_groups (self->group_chat, self->groups);
  cohort_voice_panel_set_groups (self->voice_panel, self->groups);

  if (self->reminder_source == 0)
    self->reminder_source = g_timeout_add_seconds (60, reminder_tick, self);
  update_all (self);
}

CohortVoiceRoom *
cohort_groups_page_get_voice_room (CohortGroupsPage *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS_PAGE (self), NULL);
  return cohort_voice_panel_get_room (self->voice_panel);
}

void
cohort_groups_page_set_chat_model (CohortGroupsPage *self,
                                   CohortChatModel  *model)
{
  g_return_if_fail (COHORT_IS_GROUPS_PAGE (self));
  cohort_group_chat_set_model (self->group_chat, model);
}

CohortGroups *
cohort_groups_page_get_groups (CohortGroupsPage *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS_PAGE (self), NULL);
  return self->groups;
}

static void
cohort_groups_page_dispose (GObject *object)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reminder_source, g_source_remove);
  g_clear_handle_id (&self->pk_clock_source, g_source_remove);
  if (self->my_group_signals != NULL)
    g_signal_group_set_target (self->my_group_signals, NULL);
  if (self->groups != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->groups, self);
      g_signal_handlers_disconnect_by_data (cohort_groups_get_unassigned (self->groups), self);
      g_signal_handlers_disconnect_by_data (cohort_groups_get_badges (self->groups), self);
      g_signal_handlers_disconnect_by_data (cohort_groups_get_pk (self->groups), self);
    }
  cohort_template_dispose (GTK_WIDGET (self), COHORT_TYPE_GROUPS_PAGE);
  g_clear_object (&self->my_group_signals);
  g_clear_object (&self->groups);
  g_clear_object (&self->session);
  G_OBJECT_CLASS (cohort_groups_page_parent_class)->dispose (object);
}

static void
cohort_groups_page_finalize (GObject *object)
{
  CohortGroupsPage *self = COHORT_GROUPS_PAGE (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_free (self->reminded_on);
  G_OBJECT_CLASS (cohort_groups_page_parent_class)->finalize (object);
}

static void
cohort_groups_page_class_init (CohortGroupsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_groups_page_dispose;
  object_class->finalize = cohort_groups_page_finalize;

  g_type_ensure (COHORT_TYPE_PK_BAR);
  g_type_ensure (COHORT_TYPE_LEADERBOARD_VIEW);
  g_type_ensure (COHORT_TYPE_GROUP_CHAT);
  g_type_ensure (COHORT_TYPE_VOICE_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-groups-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, no_group_box);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, no_group_status);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, no_groups_status);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, checkin_hint);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pick_list);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, my_group_box);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, group_title);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, group_topic);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, streak_value);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, streak_caption);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, points_value);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, freeze_value);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, goal_box);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, goal_value);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, goal_bar);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, group_streak_label);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, checkin_group);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, checkin_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, note_view);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, note_placeholder);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, counter_label);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, minutes_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, checkin_button);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, done_label);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, members_group);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, group_chat);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, voice_panel);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, members_list);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, teacher_groups_group);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, teacher_groups_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, teacher_groups_list);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, filling_group);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pick_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, unassigned_group);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, unassigned_list);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pk_group);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pk_live_box);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pk_status);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pk_bar);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pk_legend);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pk_controls);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pk_minutes_box);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pk_minutes_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pk_start_button);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, pk_stop_button);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, leaderboard_view);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, privacy_group);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, board_row);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, top_n_row);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, top_n_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, badges_group);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, badges_flow);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, reminder_group);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupsPage, reminder_switch);

  gtk_widget_class_install_action (widget_class, "groups.check-in", NULL, action_check_in);
  gtk_widget_class_install_action (widget_class, "groups.react", "(xs)", action_react);
  gtk_widget_class_install_action (widget_class, "groups.pick", "x", action_pick);
  gtk_widget_class_install_action (widget_class, "groups.assign", "(xx)", action_assign);
  gtk_widget_class_install_action (widget_class, "groups.unassign", "x", action_unassign);
  gtk_widget_class_install_action (widget_class, "groups.balance", NULL, action_balance);
  gtk_widget_class_install_action (widget_class, "groups.new", NULL, action_new_group);
  gtk_widget_class_install_action (widget_class, "groups.star", "x", action_star);
  gtk_widget_class_install_action (widget_class, "groups.pk-start", NULL, action_pk_start);
  gtk_widget_class_install_action (widget_class, "groups.pk-stop", NULL, action_pk_stop);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "groups.check-in", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "groupspage");
}

static void
cohort_groups_page_init (CohortGroupsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cohort_template_fit_status_page (GTK_WIDGET (self->no_group_status));
  cohort_template_fit_status_page (GTK_WIDGET (self->no_groups_status));

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new ("org.cohortclass.Cohort");
  g_settings_bind (self->settings, "checkin-reminder", self->reminder_switch, "active", G_SETTINGS_BIND_DEFAULT);

  self->my_group_signals = g_signal_group_new (COHORT_TYPE_GROUP);
  g_signal_group_connect_swapped (self->my_group_signals, "notify", G_CALLBACK (update_my_group), self);

  g_signal_connect_swapped (gtk_text_view_get_buffer (self->note_view), "changed", G_CALLBACK (update_counter), self);
  g_signal_connect_swapped (self->pick_switch, "notify::active", G_CALLBACK (on_pick_switch), self);
  g_signal_connect_swapped (self->board_row, "notify::selected", G_CALLBACK (on_board_setting), self);
  g_signal_connect_swapped (self->top_n_spin, "value-changed", G_CALLBACK (on_board_setting), self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.check-in", FALSE);
  update_counter (self);
}

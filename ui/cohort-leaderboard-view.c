/* cohort-leaderboard-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-leaderboard-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-groups-protocol.h"

#include "cohort-leaderboard-view.h"
#include "cohort-template.h"

struct _CohortLeaderboardView
{
  GtkWidget          parent_instance;

  CohortLeaderboard *board;

  GtkSpinner        *spinner;
  GtkToggleButton   *individual_button;
  GtkToggleButton   *group_button;
  GtkToggleButton   *week_button;
  GtkToggleButton   *all_button;
  GtkStack          *stack;
  GtkLabel          *empty_label;
  GtkListBox        *list;
  GtkLabel          *cut_label;
  GtkListBox        *you_list;
};

G_DEFINE_FINAL_TYPE (CohortLeaderboardView, cohort_leaderboard_view, GTK_TYPE_WIDGET)

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  CohortBoardRow *row = item;
  GtkWidget *list_row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *rank = gtk_label_new (NULL);
  GtkWidget *name = gtk_label_new (cohort_board_row_get_name (row));
  GtkWidget *points = gtk_label_new (NULL);
  GtkWidget *bar = gtk_progress_bar_new ();
  g_autofree char *rank_text = g_strdup_printf ("%" G_GINT64_FORMAT, cohort_board_row_get_rank (row));
  /* Translators: points on a leaderboard; keep it short. */
  g_autofree char *points_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d pt", "%d pts",
                                                               cohort_board_row_get_points (row)),
                                                  (int) cohort_board_row_get_points (row));
  /* Translators: how a screen reader reads a leaderboard row: rank, name, points. */
  g_autofree char *a11y = g_strdup_printf (_("Rank %s, %s, %s"), rank_text, cohort_board_row_get_name (row),
                                           points_text);

  gtk_label_set_label (GTK_LABEL (rank), rank_text);
  gtk_widget_set_size_request (rank, 28, -1);
  gtk_widget_add_css_class (rank, "rank");
  gtk_widget_add_css_class (rank, "numeric");
  if (cohort_board_row_get_rank (row) <= 3)
    {
      g_autofree char *medal = g_strdup_printf ("rank-%" G_GINT64_FORMAT, cohort_board_row_get_rank (row));

      gtk_widget_add_css_class (rank, medal);
    }
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_label_set_label (GTK_LABEL (points), points_text);
  gtk_widget_add_css_class (points, "numeric");
  gtk_widget_add_css_class (points, "dim-label");
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), cohort_board_row_get_fraction (row));
  gtk_widget_add_css_class (bar, "board-bar");
  gtk_widget_set_margin_start (bar, 38);

  gtk_box_append (GTK_BOX (line), rank);
  gtk_box_append (GTK_BOX (line), name);
  gtk_box_append (GTK_BOX (line), points);
  gtk_box_append (GTK_BOX (box), line);
  gtk_box_append (GTK_BOX (box), bar);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list_row), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  if (cohort_board_row_get_is_self (row))
    gtk_widget_add_css_class (list_row, "own-row");
  return list_row;
}

static void
update (CohortLeaderboardView *self)
{
  CohortLeaderboard *board = self->board;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (board));
  CohortBoardRow *you = cohort_leaderboard_get_you (board);
  gboolean group = g_strcmp0 (cohort_leaderboard_get_scope (board), "group") == 0;
  gint64 total = cohort_leaderboard_get_total (board);
  GtkWidget *child;

  gtk_spinner_set_spinning (self->spinner, cohort_leaderboard_get_loading (board));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->you_list))) != NULL)
    gtk_list_box_remove (self->you_list, child);
  if (you != NULL && !cohort_leaderboard_get_you_listed (board))
    gtk_list_box_append (self->you_list, create_row (you, self));
  gtk_widget_set_visible (GTK_WIDGET (self->you_list), you != NULL && !cohort_leaderboard_get_you_listed (board));

  if (!group && total > n && n > 0)
    {
      /* Translators: under a top-N leaderboard; %u is N. */
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "The teacher shows the top %u student and your own rank.",
                                                            "The teacher shows the top %u students and your own rank.",
                                                            n), n);

      gtk_label_set_label (self->cut_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->cut_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->cut_label), FALSE);

  gtk_label_set_label (self->empty_label,
                       group ? _("No groups yet. The teacher creates them.")
                             : _("No points yet. Check in, answer quizzes and help others to get on the board."));
  if (cohort_leaderboard_get_hidden (board))
    gtk_stack_set_visible_child_name (self->stack, "hidden");
  else if (n == 0 && you == NULL)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static void
on_toggled (CohortLeaderboardView *self)
{
  if (self->board == NULL)
    return;
  cohort_leaderboard_set_scope (self->board, gtk_toggle_button_get_active (self->group_button) ? "group"
                                                                                               : "individual");
  cohort_leaderboard_set_period (self->board, gtk_toggle_button_get_active (self->all_button) ? "all" : "week");
}

void
cohort_leaderboard_view_set_groups (CohortLeaderboardView *self,
                                    CohortGroups          *groups)
{
  g_return_if_fail (COHORT_IS_LEADERBOARD_VIEW (self));
  g_return_if_fail (COHORT_IS_GROUPS (groups));

  g_clear_object (&self->board);
  self->board = cohort_leaderboard_new (groups);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->board), create_row, self, NULL);
  g_signal_connect_object (self->board, "items-changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->board, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  on_toggled (self);
  update (self);
}

CohortLeaderboard *
cohort_leaderboard_view_get_leaderboard (CohortLeaderboardView *self)
{
  g_return_val_if_fail (COHORT_IS_LEADERBOARD_VIEW (self), NULL);
  return self->board;
}

static void
cohort_leaderboard_view_dispose (GObject *object)
{
  CohortLeaderboardView *self = COHORT_LEADERBOARD_VIEW (object);

  cohort_template_dispose (GTK_WIDGET (self), COHORT_TYPE_LEADERBOARD_VIEW);
  g_clear_object (&self->board);
  G_OBJECT_CLASS (cohort_leaderboard_view_parent_class)->dispose (object);
}

static void
cohort_leaderboard_view_class_init (CohortLeaderboardViewClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cohort_leaderboard_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-leaderboard-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortLeaderboardView, spinner);
  gtk_widget_class_bind_template_child (widget_class, CohortLeaderboardView, individual_button);
  gtk_widget_class_bind_template_child (widget_class, CohortLeaderboardView, group_button);
  gtk_widget_class_bind_template_child (widget_class, CohortLeaderboardView, week_button);
  gtk_widget_class_bind_template_child (widget_class, CohortLeaderboardView, all_button);
  gtk_widget_class_bind_template_child (widget_class, CohortLeaderboardView, stack);
  gtk_widget_class_bind_template_child (widget_class, CohortLeaderboardView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, CohortLeaderboardView, list);
  gtk_widget_class_bind_template_child (widget_class, CohortLeaderboardView, cut_label);
  gtk_widget_class_bind_template_child (widget_class, CohortLeaderboardView, you_list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "leaderboardview");
}

static void
cohort_leaderboard_view_init (CohortLeaderboardView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->group_button, "toggled", G_CALLBACK (on_toggled), self);
  g_signal_connect_swapped (self->all_button, "toggled", G_CALLBACK (on_toggled), self);
}

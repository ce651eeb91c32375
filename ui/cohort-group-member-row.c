/* cohort-group-member-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-group-member-row"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-groups-protocol.h"

#include "cohort-group-member-row.h"
#include "cohort-template.h"

#define N_REACTIONS 4

struct _CohortGroupMemberRow
{
  GtkWidget          parent_instance;

  CohortGroupMember *member;
  gboolean           teacher_view;

  AdwAvatar         *avatar;
  GtkLabel          *name_label;
  GtkLabel          *status_label;
  GtkWidget         *done_image;
  GtkWidget         *star_button;
  GtkWidget         *remove_button;
  GtkLabel          *note_label;
  GtkWidget         *reactions_box;
  GtkWidget         *reaction_buttons[N_REACTIONS];
  GtkLabel          *reaction_labels[N_REACTIONS];
};

G_DEFINE_FINAL_TYPE (CohortGroupMemberRow, cohort_group_member_row, GTK_TYPE_WIDGET)

static const char *
reaction_tooltip (guint i)
{
  switch (i)
    {
    case 0:
      return _("Applaud");
    case 1:
      return _("On Fire");
    case 2:
      return _("Love It");
    case 3:
    default:
      return _("Good Idea");
    }
}

static void
update (CohortGroupMemberRow *self)
{
  CohortGroupMember *m = self->member;
  gboolean has_checkin = cohort_group_member_get_checkin_id (m) != 0;
  gboolean today = cohort_group_member_get_checked_in_today (m);
  gboolean is_self = cohort_group_member_get_is_self (m);
  g_autofree char *name = NULL;
  g_autofree char *status = NULL;
  gint64 minutes = cohort_group_member_get_minutes (m);
  gboolean any_reaction = FALSE;

  if (is_self)
    /* Translators: marks your own row in a list of people. */
    name = g_strdup_printf (_("%s (You)"), cohort_group_member_get_name (m));
  else
    name = g_strdup (cohort_group_member_get_name (m));
  gtk_label_set_label (self->name_label, name);
  adw_avatar_set_text (self->avatar, cohort_group_member_get_name (m));

  if (today && minutes > 0)
    /* Translators: a member's check-in state; %d is minutes studied. */
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Checked in today · %d minute",
                                           "Checked in today · %d minutes", minutes), (int) minutes);
  else if (today)
    status = g_strdup (_("Checked in today"));
  else if (has_checkin)
    /* Translators: %s is a date such as 2024-05-02. */
    status = g_strdup_printf (_("Not checked in yet today · last on %s"), cohort_group_member_get_day (m));
  else
    status = g_strdup (_("Not checked in yet"));
  gtk_label_set_label (self->status_label, status);
  gtk_widget_set_visible (self->done_image, today);
  if (today)
    gtk_widget_add_css_class (GTK_WIDGET (self), "checked-in");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "checked-in");

  gtk_label_set_label (self->note_label, cohort_group_member_get_note (m));
  gtk_widget_set_visible (GTK_WIDGET (self->note_label), has_checkin);

  for (guint i = 0; i < N_REACTIONS; i++)
    {
      const char *reaction = cohort_groups_reactions[i];
      guint count = cohort_group_member_get_reaction_count (m, reaction);
      gboolean mine = cohort_group_member_get_reacted (m, reaction);
      g_autofree char *text = count > 0 ? g_strdup_printf ("%u", count) : g_strdup ("");
      g_autofree char *tooltip = NULL;

      any_reaction |= count > 0;
      gtk_label_set_label (self->reaction_labels[i], text);
      gtk_widget_set_visible (GTK_WIDGET (self->reaction_labels[i]), count > 0);
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->reaction_buttons[i]), "(xs)",
                                        cohort_group_member_get_checkin_id (m), reaction);
      /* Peers react (again is a no-op); the author and the teacher see
       * the counts, in full colour but not clickable. */
      gtk_widget_set_can_target (self->reaction_buttons[i], !is_self && !self->teacher_view);
      gtk_widget_set_focusable (self->reaction_buttons[i], !is_self && !self->teacher_view);
      gtk_widget_set_visible (self->reaction_buttons[i], (!is_self && !self->teacher_view) || count > 0);
      if (mine)
        gtk_widget_add_css_class (self->reaction_buttons[i], "reacted");
      else
        gtk_widget_remove_css_class (self->reaction_buttons[i], "reacted");
      /* Translators: %s is a reaction such as “Applaud”, %u how many gave it. */
      tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%u)", "%s (%u)", count),
                                 reaction_tooltip (i), count);
      gtk_widget_set_tooltip_text (self->reaction_buttons[i], count > 0 ? tooltip : reaction_tooltip (i));
    }
  gtk_widget_set_visible (self->reactions_box, has_checkin && (!is_self || any_reaction) && !self->teacher_view);
  if (self->teacher_view && has_checkin && any_reaction)
    gtk_widget_set_visible (self->reactions_box, TRUE);

  gtk_widget_set_visible (self->star_button, self->teacher_view);
  gtk_widget_set_visible (self->remove_button, self->teacher_view && cohort_group_member_get_group_id (m) != 0);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->star_button), "x",
                                    cohort_group_member_get_participant_id (m));
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->remove_button), "x",
                                    cohort_group_member_get_participant_id (m));
  {
    /* Translators: %s is a student's name. */
    g_autofree char *star = g_strdup_printf (_("Give %s a Star"), cohort_group_member_get_name (m));
    /* Translators: %s is a student's name. */
    g_autofree char *remove = g_strdup_printf (_("Remove %s From the Group"), cohort_group_member_get_name (m));

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->star_button), GTK_ACCESSIBLE_PROPERTY_LABEL, star, -1);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->remove_button), GTK_ACCESSIBLE_PROPERTY_LABEL, remove, -1);
  }
}

GtkWidget *
cohort_group_member_row_new (CohortGroupMember *member,
                             gboolean           teacher_view)
{
  CohortGroupMemberRow *self;

  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (member), NULL);

  self = g_object_new (COHORT_TYPE_GROUP_MEMBER_ROW, NULL);
  self->member = g_object_ref (member);
  self->teacher_view = teacher_view;
  g_signal_connect_object (member, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  return GTK_WIDGET (self);
}

static void
cohort_group_member_row_dispose (GObject *object)
{
  CohortGroupMemberRow *self = COHORT_GROUP_MEMBER_ROW (object);

  cohort_template_dispose (GTK_WIDGET (self), COHORT_TYPE_GROUP_MEMBER_ROW);
  g_clear_object (&self->member);
  G_OBJECT_CLASS (cohort_group_member_row_parent_class)->dispose (object);
}

static void
cohort_group_member_row_class_init (CohortGroupMemberRowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cohort_group_member_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-group-member-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortGroupMemberRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupMemberRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupMemberRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupMemberRow, done_image);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupMemberRow, star_button);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupMemberRow, remove_button);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupMemberRow, note_label);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupMemberRow, reactions_box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "groupmemberrow");
}

static void
cohort_group_member_row_init (CohortGroupMemberRow *self)
{
  static const char * const icons[N_REACTIONS] = {
    "cohort-react-clap-symbolic", "cohort-react-fire-symbolic",
    "cohort-react-heart-symbolic", "cohort-react-idea-symbolic",
  };

  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < N_REACTIONS; i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
      GtkWidget *label = gtk_label_new (NULL);

      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (icons[i]));
      gtk_box_append (GTK_BOX (box), label);
      gtk_widget_add_css_class (label, "numeric");
      gtk_button_set_child (GTK_BUTTON (button), box);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "reaction");
      gtk_widget_add_css_class (button, cohort_groups_reactions[i]);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "groups.react");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      reaction_tooltip (i), -1);
      gtk_box_append (GTK_BOX (self->reactions_box), button);
      self->reaction_buttons[i] = button;
      self->reaction_labels[i] = GTK_LABEL (label);
    }
}

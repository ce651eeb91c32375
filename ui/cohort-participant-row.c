/* cohort-participant-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-participant-row"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cohort-class-window.h"
#include "cohort-participant-row.h"

struct _CohortParticipantRow
{
  GtkWidget          parent_instance;

  AdwAvatar         *avatar;
  GtkWidget         *presence_dot;
  GtkLabel          *name_label;
  GtkLabel          *role_label;
  GtkWidget         *hand_icon;
  GtkWidget         *weak_link_icon;  /* media: the student's last link report */
  GtkWidget         *kept_muted_icon; /* media: the teacher keeps them muted */
  GtkWidget         *lower_button;
  GtkWidget         *stage_button;    /* media: invite to the stage */
  GtkWidget         *admit_button;    /* admission: waiting list */
  GtkWidget         *deny_button;
  GtkWidget         *more_button;     /* admission: remove, block */

  CohortParticipant *participant;
  gulong             notify_id;
};

G_DEFINE_FINAL_TYPE (CohortParticipantRow, cohort_participant_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PARTICIPANT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
viewer_is_teacher (CohortParticipantRow *self)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), COHORT_TYPE_CLASS_WINDOW);

  return window != NULL && cohort_class_window_get_is_teacher (COHORT_CLASS_WINDOW (window));
}

static gboolean
in_list (CohortParticipantRow *self,
         const char           *css_class)
{
  GtkWidget *list = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_LIST_VIEW);

  return list != NULL && gtk_widget_has_css_class (list, css_class);
}

/* The per-row "Lower" button lives in the raised-hands list only. */
static gboolean
in_hands_list (CohortParticipantRow *self)
{
  return in_list (self, "hands-list");
}

/* admission: Admit and Deny in the teacher's waiting list; Remove and
 * Block in the menu of each student among everyone. */
static void
update_admission (CohortParticipantRow *self)
{
  CohortParticipant *p = self->participant;
  gint64 id = cohort_participant_get_id (p);
  gboolean teacher = viewer_is_teacher (self);
  gboolean waiting = in_list (self, "waiting-list");
  gboolean student = cohort_participant_get_role (p) != COHORT_ROLE_TEACHER && !cohort_participant_get_is_self (p);
  const char *name = cohort_participant_get_name (p);
  g_autofree char *admit = NULL;
  g_autofree char *deny = NULL;
  g_autofree char *more = NULL;

  /* Translators: %s is a student's name. */
  admit = g_strdup_printf (_("Let %s In"), name);
  /* Translators: %s is a student's name. */
  deny = g_strdup_printf (_("Turn %s Away"), name);
  /* Translators: %s is a participant's name. */
  more = g_strdup_printf (_("More for %s"), name);

  gtk_widget_set_tooltip_text (self->admit_button, admit);
  gtk_widget_set_tooltip_text (self->deny_button, deny);
  gtk_widget_set_tooltip_text (self->more_button, more);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->more_button), GTK_ACCESSIBLE_PROPERTY_LABEL, more, -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->admit_button), "x", id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->admit_button), "class.admit");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->deny_button), "x", id);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->deny_button), "class.deny");
  gtk_widget_set_visible (self->admit_button, teacher && waiting);
  gtk_widget_set_visible (self->deny_button, teacher && waiting);
  if (waiting)
    gtk_label_set_text (self->role_label, _("Waiting to join"));

  if (teacher && student && !waiting && !in_hands_list (self))
    {
      g_autoptr(GMenu) menu = g_menu_new ();
      g_autoptr(GMenu) microphone = g_menu_new ();
      g_autoptr(GMenu) removal = g_menu_new ();
      g_autoptr(GMenuItem) mute = g_menu_item_new (_("_Mute Microphone"), NULL);
      g_autoptr(GMenuItem) keep = NULL;
      g_autoptr(GMenuItem) remove = g_menu_item_new (_("_Remove From Class…"), NULL);
      g_autoptr(GMenuItem) block = g_menu_item_new (_("Remove and _Block…"), NULL);

      /* media: the stage's actions, on the window (muted at the media
       * server, so a client that ignores it is silent all the same). */
      g_menu_item_set_action_and_target (mute, "stage.mute-student", "x", id);
      g_menu_append_item (microphone, mute);
      /* One item that says what it will do: keep them muted, or (kept)
       * let them turn their microphone on again. */
      if (cohort_participant_get_kept_muted (p))
        {
          keep = g_menu_item_new (_("_Allow Microphone"), NULL);
          g_menu_item_set_action_and_target (keep, "stage.allow-unmute", "x", id);
        }
      else
        {
          keep = g_menu_item_new (_("_Keep Muted"), NULL);
          g_menu_item_set_action_and_target (keep, "stage.keep-muted", "x", id);
        }
      g_menu_append_item (microphone, keep);
      g_menu_item_set_action_and_target (remove, "class.remove-participant", "x", id);
      g_menu_item_set_action_and_target (block, "class.block-participant", "x", id);
      g_menu_append_item (removal, remove);
      g_menu_append_item (removal, block);
      g_menu_append_section (menu, NULL, G_MENU_MODEL (microphone));
      g_menu_append_section (menu, NULL, G_MENU_MODEL (removal));
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->more_button), G_MENU_MODEL (menu));
      gtk_widget_set_visible (self->more_button, TRUE);
    }
  else
    gtk_widget_set_visible (self->more_button, FALSE);
}

static void
update (CohortParticipantRow *self)
{
  CohortParticipant *p = self->participant;
  g_autofree char *name = NULL;
  g_autofree char *lower_label = NULL;
  const char *role;
  gboolean online;
  gboolean raised;
  gboolean weak;

  if (p == NULL)
    return;

  online = cohort_participant_get_online (p);
  raised = cohort_participant_get_hand_raised (p);

  if (cohort_participant_get_is_self (p))
    /* Translators: how you appear in the people list; %s is your name. */
    name = g_strdup_printf (_("%s (You)"), cohort_participant_get_name (p));
  else
    name = g_strdup (cohort_participant_get_name (p));

  gtk_label_set_label (self->name_label, name);
  adw_avatar_set_text (self->avatar, cohort_participant_get_name (p));

  role = cohort_participant_get_role (p) == COHORT_ROLE_TEACHER ? _("Teacher") : _("Student");
  weak = cohort_participant_get_connection_quality (p) == COHORT_CONNECTION_QUALITY_POOR;
  if (online && weak)
    {
      /* Translators: a role and a state, e.g. "Student · Weak connection". */
      g_autofree char *text = g_strdup_printf (_("%s · Weak connection"), role);
      gtk_label_set_label (self->role_label, text);
    }
  else if (online)
    gtk_label_set_label (self->role_label, role);
  else
    {
      /* Translators: a role and a state, e.g. "Student · Offline". */
      g_autofree char *text = g_strdup_printf (_("%s · Offline"), role);
      gtk_label_set_label (self->role_label, text);
    }

  if (online)
    {
      gtk_widget_add_css_class (self->presence_dot, "online");
      gtk_widget_remove_css_class (self->presence_dot, "offline");
      gtk_widget_set_tooltip_text (self->presence_dot, _("Online"));
    }
  else
    {
      gtk_widget_add_css_class (self->presence_dot, "offline");
      gtk_widget_remove_css_class (self->presence_dot, "online");
      gtk_widget_set_tooltip_text (self->presence_dot, _("Offline"));
    }

  gtk_widget_set_opacity (GTK_WIDGET (self->avatar), online ? 1.0 : 0.5);
  gtk_widget_set_visible (self->hand_icon, raised);
  /* Only the teacher hears of links; "poor" is what asks for attention:
   * a symbol, and the words beside the role. */
  gtk_widget_set_visible (self->weak_link_icon, weak);
  /* The teacher's reminder of whom they keep muted; a student sees it on
   * their own row only (their welcome names nobody else). */
  gtk_widget_set_visible (self->kept_muted_icon, cohort_participant_get_kept_muted (p) &&
                          (viewer_is_teacher (self) || cohort_participant_get_is_self (p)));

  /* Translators: %s is a participant's name. */
  lower_label = g_strdup_printf (_("Lower %s’s Hand"), cohort_participant_get_name (p));
  gtk_widget_set_tooltip_text (self->lower_button, lower_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->lower_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, lower_label,
                                  -1);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->lower_button), "x",
                                    cohort_participant_get_id (p));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->lower_button), "class.lower-hand");
  gtk_widget_set_visible (self->lower_button, raised && viewer_is_teacher (self) && in_hands_list (self));

  /* media: "stage.invite" is the stage's action on the window. */
  {
    /* Translators: %s is a participant's name. */
    g_autofree char *invite_label = g_strdup_printf (_("Invite %s to the Stage"), cohort_participant_get_name (p));

    gtk_widget_set_tooltip_text (self->stage_button, invite_label);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->stage_button),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, invite_label, -1);
    gtk_actionable_set_action_target (GTK_ACTIONABLE (self->stage_button), "x", cohort_participant_get_id (p));
    gtk_actionable_set_action_name (GTK_ACTIONABLE (self->stage_button), "stage.invite");
    gtk_widget_set_visible (self->stage_button, raised && viewer_is_teacher (self) && in_hands_list (self));
  }

  update_admission (self);

  /* The row's name for a screen reader: who, and what the icons say. */
  {
    const char *parts[] = { gtk_label_get_text (self->role_label),
                            raised ? _("Hand raised") : NULL,
                            gtk_widget_get_visible (self->kept_muted_icon) ? _("Kept muted") : NULL };
    g_autofree char *a11y = g_strdup (name);

    for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
      if (parts[i] != NULL)
        {
          /* Translators: the parts of a person's description in the people
           * list, for a screen reader: "Ana (You), Student, Hand raised". */
          char *longer = g_strdup_printf (_("%s, %s"), a11y, parts[i]);

          g_free (a11y);
          a11y = longer;
        }
    gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  }
}

static void
on_participant_notify (CohortParticipantRow *self)
{
  update (self);
}

static void
cohort_participant_row_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cohort_participant_row_parent_class)->root (widget);
  update (COHORT_PARTICIPANT_ROW (widget));
}

static void
cohort_participant_row_dispose (GObject *object)
{
  CohortParticipantRow *self = COHORT_PARTICIPANT_ROW (object);
  GtkWidget *child;

  cohort_participant_row_set_participant (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_PARTICIPANT_ROW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cohort_participant_row_parent_class)->dispose (object);
}

static void
cohort_participant_row_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  CohortParticipantRow *self = COHORT_PARTICIPANT_ROW (object);

  switch (prop_id)
    {
    case PROP_PARTICIPANT:
      g_value_set_object (value, self->participant);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_participant_row_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  CohortParticipantRow *self = COHORT_PARTICIPANT_ROW (object);

  switch (prop_id)
    {
    case PROP_PARTICIPANT:
      cohort_participant_row_set_participant (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_participant_row_class_init (CohortParticipantRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_participant_row_dispose;
  object_class->get_property = cohort_participant_row_get_property;
  object_class->set_property = cohort_participant_row_set_property;
  widget_class->root = cohort_participant_row_root;

  properties[PROP_PARTICIPANT] =
    g_param_spec_object ("participant", NULL, NULL,
                         COHORT_TYPE_PARTICIPANT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-participant-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, avatar);
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, presence_dot);
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, role_label);
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, hand_icon);
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, weak_link_icon);
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, kept_muted_icon);
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, lower_button);
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, stage_button);
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, admit_button);
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, deny_button);
  gtk_widget_class_bind_template_child (widget_class, CohortParticipantRow, more_button);
  gtk_widget_class_set_css_name (widget_class, "participantrow");
}

static void
cohort_participant_row_init (CohortParticipantRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CohortParticipant *
cohort_participant_row_get_participant (CohortParticipantRow *self)
{
  g_return_val_if_fail (COHORT_IS_PARTICIPANT_ROW (self), NULL);

  return self->participant;
}

void
cohort_participant_row_set_participant (CohortParticipantRow *self,
                                        CohortParticipant    *participant)
{
  g_return_if_fail (COHORT_IS_PARTICIPANT_ROW (self));
  g_return_if_fail (participant == NULL || COHORT_IS_PARTICIPANT (participant));

  if (self->participant == participant)
    return;

  if (self->participant != NULL)
    g_clear_signal_handler (&self->notify_id, self->participant);
  g_set_object (&self->participant, participant);
  if (participant != NULL)
    self->notify_id = g_signal_connect_object (participant, "notify",
                                               G_CALLBACK (on_participant_notify), self,
                                               G_CONNECT_SWAPPED);

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARTICIPANT]);
}

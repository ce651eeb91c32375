/* cohort-home-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-home-row"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-home-row.h"

/* A lesson this close counts down in minutes. */
#define COUNTDOWN_MS ((gint64) 60 * 60 * 1000)

struct _CohortHomeRow
{
  GtkListBoxRow     parent_instance;

  CohortHomeEntry  *entry;

  GtkLabel         *title_label;
  GtkWidget        *live_label;
  GtkLabel         *status_label;
  GtkLabel         *unread_label;
  GtkLabel         *figures_label;
  GtkWidget        *nudge_box;
  GtkLabel         *nudge_label;
  GtkWidget        *join_button;
  GtkWidget        *practise_button;
  GtkWidget        *arrow;
};

G_DEFINE_FINAL_TYPE (CohortHomeRow, cohort_home_row, GTK_TYPE_LIST_BOX_ROW)

/* "Ms Li · Next lesson in 12 minutes", or why the figures may be old. */
static char *
status_text (CohortHomeEntry *entry)
{
  const char *teacher = cohort_home_entry_get_teacher_name (entry);
  gint64 next_at = cohort_home_entry_get_next_lesson_at (entry);
  gint64 now = g_get_real_time () / 1000;
  g_autofree char *state = NULL;

  switch (cohort_home_entry_get_status (entry))
    {
    case COHORT_HOME_STATUS_LOADING:
      return g_strdup (_("Loading…"));
    case COHORT_HOME_STATUS_OFFLINE:
      return g_strdup (_("Offline: the class server cannot be reached"));
    case COHORT_HOME_STATUS_SIGNED_OUT:
      return g_strdup (_("Signed out: join the class again"));
    case COHORT_HOME_STATUS_READY:
    default:
      break;
    }

  if (cohort_home_entry_get_archived (entry))
    state = g_strdup (_("Archived by the teacher"));
  else if (cohort_home_entry_get_live (entry))
    state = g_strdup (_("The lesson is on"));
  else if (next_at > now && next_at - now <= COUNTDOWN_MS)
    {
      guint minutes = (guint) MAX ((next_at - now + 59999) / 60000, 1);

      state = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Next lesson in %u minute",
                                            "Next lesson in %u minutes", minutes), minutes);
    }
  else if (next_at > now)
    {
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_local (next_at / 1000);
      /* Translators: a date and time in the student's own zone */
      g_autofree char *when = g_date_time_format (at, _("%a %e %b, %H:%M"));

      state = g_strdup_printf (_("Next lesson %s"), when);
    }
  else if (cohort_home_entry_get_lesson_state (entry) == COHORT_LESSON_STATE_ENDED)
    state = g_strdup (_("No lesson now"));
  else
    state = g_strdup (_("The lesson has not started"));

  /* The teacher's own class: no name to give, and their figures are no
   * student's. */
  if (cohort_home_entry_get_teacher (entry))
    /* Translators: on the home, a class the user teaches, then the lesson's state */
    return g_strdup_printf (_("You teach · %s"), state);
  if (teacher == NULL || *teacher == '\0')
    return g_steal_pointer (&state);
  /* Translators: the teacher's name, then the lesson's state */
  return g_strdup_printf (_("%s · %s"), teacher, state);
}

static char *
unread_text (CohortHomeEntry *entry)
{
  gint64 teacher = cohort_home_entry_get_unread_teacher (entry);
  gint64 group = cohort_home_entry_get_unread_group (entry);
  g_autofree char *from_teacher = NULL;
  g_autofree char *from_group = NULL;

  if (teacher > 0)
    from_teacher = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d new message from the teacher",
                                                 "%d new messages from the teacher", (gulong) teacher),
                                    (int) teacher);
  if (group > 0)
    from_group = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d new in your group",
                                               "%d new in your group", (gulong) group),
                                  (int) group);
  if (from_teacher != NULL && from_group != NULL)
    return g_strdup_printf (_("%s · %s"), from_teacher, from_group);
  return g_strdup (from_teacher != NULL ? from_teacher : from_group);
}

static char *
figures_text (CohortHomeEntry *entry)
{
  gint64 streak = cohort_home_entry_get_streak (entry);
  gint64 points = cohort_home_entry_get_points_week (entry);
  g_autofree char *streak_text = NULL;
  g_autofree char *points_text = NULL;
  const char *checked;

  if (!cohort_home_entry_get_has_progress (entry))
    return NULL;
  streak_text = streak > 0
    ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d-day streak", "%d-day streak", (gulong) streak), (int) streak)
    : g_strdup (_("No streak yet"));
  checked = cohort_home_entry_get_checked_in_today (entry) ? _("Checked in today")
                                                           : _("Not checked in today");
  points_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d point this week",
                                              "%d points this week", (gulong) points), (int) points);
  return g_strdup_printf (_("%s · %s · %s"), streak_text, checked, points_text);
}

void
cohort_home_row_update (CohortHomeRow *self)
{
  CohortHomeEntry *entry = self->entry;
  g_autofree char *status = status_text (entry);
  g_autofree char *unread = unread_text (entry);
  g_autofree char *figures = figures_text (entry);
  gboolean ready = cohort_home_entry_get_status (entry) == COHORT_HOME_STATUS_READY;
  gboolean live = cohort_home_entry_get_live (entry) && ready;
  /* A teacher's class opens in one click whether the lesson is on or not:
   * the class window is where it starts. */
  gboolean teaching = cohort_home_entry_get_teacher (entry) && ready && !cohort_home_entry_get_archived (entry);

  gtk_label_set_text (self->title_label, cohort_home_entry_get_title (entry));
  gtk_label_set_text (self->status_label, status);
  gtk_label_set_text (self->unread_label, unread != NULL ? unread : "");
  gtk_widget_set_visible (GTK_WIDGET (self->unread_label), unread != NULL);
  gtk_label_set_text (self->figures_label, figures != NULL ? figures : "");
  gtk_widget_set_visible (GTK_WIDGET (self->figures_label), figures != NULL);
  /* The helper's nudge stays until the student opens it in the class. */
  gtk_label_set_text (self->nudge_label, cohort_home_entry_get_nudge_text (entry) ?: "");
  gtk_widget_set_visible (self->nudge_box, ready && cohort_home_entry_get_nudge_text (entry) != NULL);
  gtk_widget_set_visible (self->live_label, live);
  gtk_widget_set_visible (self->join_button, live || teaching);
  /* A student's class between lessons: its practice is a click away. */
  gtk_widget_set_visible (self->practise_button, ready && !live && !cohort_home_entry_get_teacher (entry) &&
                                                 !cohort_home_entry_get_archived (entry));
  gtk_widget_set_visible (self->arrow, !live && !teaching);
  if (teaching && !live)
    {
      gtk_button_set_label (GTK_BUTTON (self->join_button), _("Open"));
      gtk_widget_set_tooltip_text (self->join_button, _("Open the class to start its lesson"));
    }
  else
    {
      gtk_button_set_label (GTK_BUTTON (self->join_button), _("Join"));
      gtk_widget_set_tooltip_text (self->join_button, _("Join the lesson now"));
    }
  if (cohort_home_entry_get_status (entry) == COHORT_HOME_STATUS_OFFLINE ||
      cohort_home_entry_get_status (entry) == COHORT_HOME_STATUS_SIGNED_OUT)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "warning");
}

static void
on_join_clicked (CohortHomeRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "home.open-class", "u",
                              (guint32) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self)));
}

static void
on_practise_clicked (CohortHomeRow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "home.practise", "u",
                              (guint32) gtk_list_box_row_get_index (GTK_LIST_BOX_ROW (self)));
}

static void
cohort_home_row_dispose (GObject *object)
{
  CohortHomeRow *self = COHORT_HOME_ROW (object);

  if (self->entry != NULL)
    g_signal_handlers_disconnect_by_data (self->entry, self);
  g_clear_object (&self->entry);

  G_OBJECT_CLASS (cohort_home_row_parent_class)->dispose (object);
}

static void
cohort_home_row_class_init (CohortHomeRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_home_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-home-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortHomeRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CohortHomeRow, live_label);
  gtk_widget_class_bind_template_child (widget_class, CohortHomeRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, CohortHomeRow, unread_label);
  gtk_widget_class_bind_template_child (widget_class, CohortHomeRow, figures_label);
  gtk_widget_class_bind_template_child (widget_class, CohortHomeRow, nudge_box);
  gtk_widget_class_bind_template_child (widget_class, CohortHomeRow, nudge_label);
  gtk_widget_class_bind_template_child (widget_class, CohortHomeRow, join_button);
  gtk_widget_class_bind_template_child (widget_class, CohortHomeRow, arrow);
  gtk_widget_class_bind_template_callback (widget_class, on_join_clicked);
  gtk_widget_class_bind_template_child (widget_class, CohortHomeRow, practise_button);
  gtk_widget_class_bind_template_callback (widget_class, on_practise_clicked);
}

static void
cohort_home_row_init (CohortHomeRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CohortHomeRow *
cohort_home_row_new (CohortHomeEntry *entry)
{
  CohortHomeRow *self;

  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (entry), NULL);

  self = g_object_new (COHORT_TYPE_HOME_ROW, NULL);
  self->entry = g_object_ref (entry);
  /* Every figure is a property of the entry; the row shows them in
   * sentences, which a binding alone cannot build. */
  g_signal_connect_swapped (entry, "notify", G_CALLBACK (cohort_home_row_update), self);
  cohort_home_row_update (self);
  return self;
}

CohortHomeEntry *
cohort_home_row_get_entry (CohortHomeRow *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ROW (self), NULL);

  return self->entry;
}

GtkButton *
cohort_home_row_get_join_button (CohortHomeRow *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ROW (self), NULL);

  return GTK_BUTTON (self->join_button);
}

const char *
cohort_home_row_get_figures (CohortHomeRow *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ROW (self), NULL);

  return gtk_label_get_text (self->figures_label);
}

/* The nudge shown on the row, or NULL when none is. */
const char *
cohort_home_row_get_nudge (CohortHomeRow *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ROW (self), NULL);

  return gtk_widget_get_visible (self->nudge_box) ? gtk_label_get_text (self->nudge_label) : NULL;
}

const char *
cohort_home_row_get_status (CohortHomeRow *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ROW (self), NULL);

  return gtk_label_get_text (self->status_label);
}

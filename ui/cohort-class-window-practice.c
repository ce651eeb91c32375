/* cohort-class-window-practice.c: a student's Progress and Practice, the
 * teacher's Mastery, each in a window of its own over the class window,
 * from the main menu (a menu item hides while its action is disabled)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-class-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-class-window-private.h"
#include "cohort-mastery-window.h"
#include "cohort-practice-window.h"

static gboolean
in_class (CohortClassWindow *self)
{
  CohortSessionState state = self->session != NULL ? cohort_session_get_state (self->session)
                                                   : COHORT_SESSION_STATE_DISCONNECTED;

  return !self->removed && (state == COHORT_SESSION_STATE_JOINED || state == COHORT_SESSION_STATE_RECONNECTING);
}

void
_cohort_class_window_practice_update_actions (CohortClassWindow *self)
{
  gboolean here = in_class (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.show-practice", here && !self->is_teacher);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "class.show-mastery", here && self->is_teacher);
}

/* One window of each per class window, brought back when asked again; it
 * follows the session while it lives, and closes with the class. */
static void
present_tracked (CohortClassWindow  *self,
                 GtkWidget         **slot,
                 GtkWidget          *window)
{
  *slot = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) slot);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);
  gtk_window_present (GTK_WINDOW (window));
}

static void
show_practice_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);
  g_autoptr(CohortPractice) practice = NULL;

  if (self->practice_window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->practice_window));
      return;
    }
  practice = cohort_practice_new (self->session);
  present_tracked (self, &self->practice_window,
                   GTK_WIDGET (cohort_practice_window_new (GTK_WINDOW (self), practice)));
}

static void
show_mastery_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (widget);
  g_autoptr(CohortMasteryHeatmap) heatmap = NULL;

  if (self->mastery_window != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->mastery_window));
      return;
    }
  heatmap = cohort_mastery_heatmap_new (self->session);
  present_tracked (self, &self->mastery_window,
                   GTK_WIDGET (cohort_mastery_window_new (GTK_WINDOW (self), heatmap)));
}

void
_cohort_class_window_practice_dispose (CohortClassWindow *self)
{
  if (self->practice_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->practice_window));
  if (self->mastery_window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->mastery_window));
}

void
_cohort_class_window_practice_class_init (CohortClassWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "class.show-practice", NULL, show_practice_action);
  gtk_widget_class_install_action (widget_class, "class.show-mastery", NULL, show_mastery_action);
}

/* cohort-waiting-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-waiting-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-waiting-page.h"

struct _CohortWaitingPage
{
  GtkWidget              parent_instance;

  AdwStatusPage         *status;
  GtkLabel              *message_label;
  GtkSpinner            *spinner;
  GtkWidget             *leave_button;
  GtkWidget             *close_button;

  char                  *class_title;
  CohortWaitingPageMode  mode;
};

G_DEFINE_FINAL_TYPE (CohortWaitingPage, cohort_waiting_page, GTK_TYPE_WIDGET)

static void
update (CohortWaitingPage *self)
{
  g_autofree char *message = NULL;
  const char *title = self->class_title != NULL ? self->class_title : "";
  gboolean waiting = self->mode == COHORT_WAITING_PAGE_WAITING;

  switch (self->mode)
    {
    case COHORT_WAITING_PAGE_WAITING:
      adw_status_page_set_icon_name (self->status, "preferences-system-time-symbolic");
      adw_status_page_set_title (self->status, _("Waiting for the Teacher to Let You In"));
      /* Translators: %s is the class title. */
      message = g_strdup_printf (_("You asked to join “%s”. The class opens here as soon as the teacher admits you."),
                                 title);
      break;
    case COHORT_WAITING_PAGE_REMOVED:
      adw_status_page_set_icon_name (self->status, "system-users-symbolic");
      adw_status_page_set_title (self->status, _("You Were Removed From the Class"));
      /* Translators: %s is the class title. */
      message = g_strdup_printf (_("The teacher removed you from “%s”. You can join again with the class code."),
                                 title);
      break;
    case COHORT_WAITING_PAGE_DENIED:
      adw_status_page_set_icon_name (self->status, "system-users-symbolic");
      adw_status_page_set_title (self->status, _("The Teacher Did Not Let You In"));
      /* Translators: %s is the class title. */
      message = g_strdup_printf (_("You were not admitted to “%s”. Check with your teacher, then join again with the class code."),
                                 title);
      break;
    case COHORT_WAITING_PAGE_BLOCKED:
    default:
      adw_status_page_set_icon_name (self->status, "action-unavailable-symbolic");
      adw_status_page_set_title (self->status, _("You Were Removed From the Class"));
      /* Translators: %s is the class title. */
      message = g_strdup_printf (_("The teacher removed you from “%s” and blocked you from joining it again."),
                                 title);
      break;
    }

  gtk_label_set_text (self->message_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), waiting);
  gtk_spinner_set_spinning (self->spinner, waiting);
  gtk_widget_set_visible (self->leave_button, waiting);
  gtk_widget_set_visible (self->close_button, !waiting);
}

static void
cohort_waiting_page_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), COHORT_TYPE_WAITING_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (cohort_waiting_page_parent_class)->dispose (object);
}

static void
cohort_waiting_page_finalize (GObject *object)
{
  CohortWaitingPage *self = COHORT_WAITING_PAGE (object);

  g_free (self->class_title);

  G_OBJECT_CLASS (cohort_waiting_page_parent_class)->finalize (object);
}

static void
cohort_waiting_page_class_init (CohortWaitingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_waiting_page_dispose;
  object_class->finalize = cohort_waiting_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-waiting-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortWaitingPage, status);
  gtk_widget_class_bind_template_child (widget_class, CohortWaitingPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, CohortWaitingPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, CohortWaitingPage, leave_button);
  gtk_widget_class_bind_template_child (widget_class, CohortWaitingPage, close_button);
}

static void
cohort_waiting_page_init (CohortWaitingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
cohort_waiting_page_new (void)
{
  return g_object_new (COHORT_TYPE_WAITING_PAGE, NULL);
}

void
cohort_waiting_page_set_class_title (CohortWaitingPage *self,
                                     const char        *title)
{
  g_return_if_fail (COHORT_IS_WAITING_PAGE (self));

  if (g_strcmp0 (self->class_title, title) == 0)
    return;
  g_free (self->class_title);
  self->class_title = g_strdup (title);
  update (self);
}

void
cohort_waiting_page_set_mode (CohortWaitingPage     *self,
                              CohortWaitingPageMode  mode)
{
  g_return_if_fail (COHORT_IS_WAITING_PAGE (self));

  self->mode = mode;
  update (self);
}

CohortWaitingPageMode
cohort_waiting_page_get_mode (CohortWaitingPage *self)
{
  g_return_val_if_fail (COHORT_IS_WAITING_PAGE (self), COHORT_WAITING_PAGE_WAITING);

  return self->mode;
}

const char *
cohort_waiting_page_get_message (CohortWaitingPage *self)
{
  g_return_val_if_fail (COHORT_IS_WAITING_PAGE (self), NULL);

  return gtk_label_get_text (self->message_label);
}

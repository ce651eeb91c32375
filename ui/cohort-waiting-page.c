/* cohort-waiting-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-waiting-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-waiting-page.h"
#include "cohort-template.h"

struct _CohortWaitingPage
{
  GtkWidget              parent_instance;

  AdwStatusPage         *status;
  GtkLabel              *message_label;
  GtkLabel              *companions_label;
  GtkSpinner            *spinner;
  GtkWidget             *leave_button;
  GtkWidget             *close_button;

  char                  *class_title;
  GStrv                  companions;
  CohortWaitingPageMode  mode;
};

G_DEFINE_FINAL_TYPE (CohortWaitingPage, cohort_waiting_page, GTK_TYPE_WIDGET)

/* lesson: "Waiting with you: Ana, Bo, Chen, Dan, Eli and 35 more". */
static void
update_companions (CohortWaitingPage *self)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *text = NULL;
  guint n = self->companions != NULL ? g_strv_length (self->companions) : 0;
  const guint shown = MIN (n, 5);

  if (self->mode != COHORT_WAITING_PAGE_NOT_STARTED || n == 0)
    {
      gtk_label_set_text (self->companions_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->companions_label), FALSE);
      return;
    }

  for (guint i = 0; i < shown; i++)
    {
      if (i > 0)
        /* Translators: between two names in a list. */
        g_string_append (names, _(", "));
      g_string_append (names, self->companions[i]);
    }
  if (n > shown)
    /* Translators: the names shown first (%s), then how many more wait (%u). */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Waiting with you: %s and %u more",
                                         "Waiting with you: %s and %u more", n - shown),
                            names->str, n - shown);
  else
    /* Translators: %s is a list of names. */
    text = g_strdup_printf (_("Waiting with you: %s"), names->str);
  gtk_label_set_text (self->companions_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->companions_label), TRUE);
}

static void
update (CohortWaitingPage *self)
{
  g_autofree char *message = NULL;
  const char *title = self->class_title != NULL ? self->class_title : "";
  gboolean waiting = self->mode == COHORT_WAITING_PAGE_WAITING;
  /* lesson: in the class, before the start or after the end. No
   * spinner: a lesson may be minutes away, and the alarm says enough. */
  gboolean in_class = self->mode == COHORT_WAITING_PAGE_NOT_STARTED || self->mode == COHORT_WAITING_PAGE_ENDED;

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
    case COHORT_WAITING_PAGE_NOT_STARTED:
      adw_status_page_set_icon_name (self->status, "alarm-symbolic");
      adw_status_page_set_title (self->status, _("The Lesson Has Not Started Yet"));
      /* Translators: %s is the class title. */
      message = g_strdup_printf (_("You are in “%s”. The lesson begins here as soon as the teacher starts it."),
                                 title);
      break;
    case COHORT_WAITING_PAGE_ENDED:
      adw_status_page_set_icon_name (self->status, "emblem-ok-symbolic");
      adw_status_page_set_title (self->status, _("The Lesson Has Ended"));
      /* Translators: %s is the class title. */
      message = g_strdup_printf (_("The teacher ended the lesson of “%s”. Thank you for taking part."),
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
  gtk_widget_set_visible (self->leave_button, waiting || in_class);
  /* Over the stage the header's Leave holds Alt+L; one key, one button. */
  gtk_button_set_use_underline (GTK_BUTTON (self->leave_button), !in_class);
  gtk_button_set_label (GTK_BUTTON (self->leave_button), in_class ? _("Leave") : _("_Leave"));
  cohort_template_name_controls (self->leave_button);
  gtk_widget_set_visible (self->close_button, !waiting && !in_class);
  update_companions (self);
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
  g_strfreev (self->companions);

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
  gtk_widget_class_bind_template_child (widget_class, CohortWaitingPage, companions_label);
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

void
cohort_waiting_page_set_companions (CohortWaitingPage  *self,
                                    const char * const *names)
{
  g_return_if_fail (COHORT_IS_WAITING_PAGE (self));

  g_strfreev (self->companions);
  self->companions = g_strdupv ((char **) names);
  update_companions (self);
}

const char *
cohort_waiting_page_get_companions_text (CohortWaitingPage *self)
{
  g_return_val_if_fail (COHORT_IS_WAITING_PAGE (self), NULL);

  return gtk_label_get_text (self->companions_label);
}

/* cohort-template.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-template"

#include "config.h"

#include "cohort-template.h"

void
cohort_template_dispose (GtkWidget *widget,
                         GType      widget_type)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  gtk_widget_dispose_template (widget, widget_type);
  for (GtkWidget *child; (child = gtk_widget_get_first_child (widget)) != NULL;)
    gtk_widget_unparent (child);
}

void
cohort_template_fit_status_page (GtkWidget *status_page)
{
  for (GtkWidget *child = gtk_widget_get_first_child (status_page); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_SCROLLED_WINDOW (child))
      {
        gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (child), TRUE);
        gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (child), GTK_POLICY_NEVER, GTK_POLICY_NEVER);
      }
}

/* cohort-template.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-template"

#include "config.h"

#include <glib/gi18n.h>

#include <adwaita.h>

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

/* "Raise _Hand" → "Raise Hand"; "__" stays one underscore. */
static char *
strip_mnemonic (const char *label)
{
  GString *out = g_string_new (NULL);

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] != '\0')
        p++;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
name_from (GtkWidget  *widget,
           const char *text)
{
  if (text != NULL && *text != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static GtkWidget *
first_label (GtkWidget *widget)
{
  if (widget == NULL || GTK_IS_LABEL (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = first_label (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
cohort_template_name_controls (GtkWidget *root)
{
  if (GTK_IS_BUTTON (root) && gtk_button_get_use_underline (GTK_BUTTON (root)) &&
      gtk_button_get_label (GTK_BUTTON (root)) != NULL)
    {
      g_autofree char *text = strip_mnemonic (gtk_button_get_label (GTK_BUTTON (root)));

      name_from (root, text);
    }
  else if (GTK_IS_MENU_BUTTON (root) && gtk_menu_button_get_label (GTK_MENU_BUTTON (root)) == NULL)
    {
      const char *tooltip = gtk_widget_get_tooltip_text (root);
      GtkWidget *inner = gtk_widget_get_first_child (root);

      name_from (root, tooltip);
      if (inner != NULL)
        name_from (inner, tooltip);
    }
  else if (GTK_IS_SPIN_BUTTON (root))
    {
      /* Its row's title, or the label that names it by mnemonic. */
      GtkWidget *row = gtk_widget_get_ancestor (root, ADW_TYPE_PREFERENCES_ROW);

      if (gtk_widget_get_tooltip_text (root) != NULL)
        name_from (root, gtk_widget_get_tooltip_text (root));
      else if (row != NULL)
        name_from (root, adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
      else
        for (GtkWidget *sibling = gtk_widget_get_first_child (gtk_widget_get_parent (root)); sibling != NULL;
             sibling = gtk_widget_get_next_sibling (sibling))
          if (GTK_IS_LABEL (sibling) && gtk_label_get_mnemonic_widget (GTK_LABEL (sibling)) == root)
            {
              g_autofree char *text = strip_mnemonic (gtk_label_get_label (GTK_LABEL (sibling)));

              name_from (root, text);
            }
    }
  else if (GTK_IS_IMAGE (root) && gtk_widget_get_ancestor (root, ADW_TYPE_PASSWORD_ENTRY_ROW) != NULL &&
           g_str_has_prefix (gtk_image_get_icon_name (GTK_IMAGE (root)) != NULL
                             ? gtk_image_get_icon_name (GTK_IMAGE (root)) : "", "view-"))
    /* AdwPasswordEntryRow's peek icon (view-reveal, view-conceal) has
     * neither a name nor a tooltip in 1.2. */
    name_from (root, _("Show or Hide the Text"));
  else if (GTK_IS_BUTTON (root) && gtk_button_get_label (GTK_BUTTON (root)) == NULL)
    {
      /* A button whose label sits in a box (beside a spinner, say). */
      GtkWidget *child = gtk_button_get_child (GTK_BUTTON (root));
      GtkWidget *label = first_label (child);

      if (label == NULL && gtk_widget_get_tooltip_text (root) != NULL)
        name_from (root, gtk_widget_get_tooltip_text (root));
      else if (label == NULL && GTK_IS_IMAGE (child) &&
               g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (child)), "window-close-symbolic") == 0)
        /* A toast's close button (AdwToastWidget, 1.2: no name). */
        name_from (root, _("Dismiss"));
      else if (label != NULL)
        {
          g_autofree char *text = gtk_label_get_use_underline (GTK_LABEL (label))
                                  ? strip_mnemonic (gtk_label_get_label (GTK_LABEL (label)))
                                  : g_strdup (gtk_label_get_text (GTK_LABEL (label)));

          name_from (root, text);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    cohort_template_name_controls (child);
}

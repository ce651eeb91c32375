/* cohort-template.h: what widgets built from a template share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* gtk_widget_dispose_template() for @widget_type, then unparents what is
 * left: a template's top box without an id is no template child, so
 * dispose_template alone would leave it parented. */
void cohort_template_dispose (GtkWidget *widget,
                              GType      widget_type);

/* An AdwStatusPage scrolls its own content and asks for almost no height:
 * inside a page that scrolls (a side panel's tab) it was cut to a 50 px
 * sliver of its icon. This makes it ask for all its content. */
void cohort_template_fit_status_page (GtkWidget *status_page);

/* Names for screen readers what GTK 4.8 names badly, in @root and all it
 * holds now: a button with a mnemonic ("_Leave" was read "_Leave Leave"),
 * an icon-only menu button or peek icon (read "GtkMenuButton",
 * "GtkImage"), from its text or its tooltip; a spin button from its
 * tooltip, its row's title or the label whose mnemonic it takes. */
void cohort_template_name_controls (GtkWidget *root);

G_END_DECLS

/* cohort-ai-list-item.h: a list item of a helper answer, its bullet's
 * column beside its wrapping text, or a table cell
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define COHORT_TYPE_AI_LIST_ITEM (cohort_ai_list_item_get_type ())
G_DECLARE_FINAL_TYPE (CohortAiListItem, cohort_ai_list_item, COHORT, AI_LIST_ITEM, GtkWidget)

/* @bullet takes its natural width at the start, @text the rest of the
 * width, wrapping; both are taken over. Without a bullet (NULL): a table
 * cell, measured only by its height for a width. */
GtkWidget *cohort_ai_list_item_new (GtkWidget *bullet,
                                    GtkWidget *text);

G_END_DECLS

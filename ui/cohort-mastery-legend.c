/* cohort-mastery-legend.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-mastery-legend"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-mastery-legend.h"
#include "cohort-mastery-level.h"

struct _CohortMasteryLegend
{
  GtkWidget  parent_instance;

  GtkWidget *flow;
};

G_DEFINE_FINAL_TYPE (CohortMasteryLegend, cohort_mastery_legend, GTK_TYPE_WIDGET)

GtkWidget *
cohort_mastery_legend_new (void)
{
  return g_object_new (COHORT_TYPE_MASTERY_LEGEND, NULL);
}

static void
add_entry (CohortMasteryLegend *self,
           CohortMasteryLevel   level)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *swatch = gtk_label_new (cohort_mastery_level_symbol (level));
  g_autofree char *range = cohort_mastery_level_range (level);
  /* Translators: a legend entry, "Mastered: 80 % or more". */
  g_autofree char *text = g_strdup_printf (_("%s: %s"), cohort_mastery_level_name (level), range);
  GtkWidget *label = gtk_label_new (text);

  /* The swatch is a heatmap cell in small, with the band's mark. */
  gtk_widget_add_css_class (swatch, "mastery-swatch");
  gtk_widget_add_css_class (swatch, cohort_mastery_level_css_class (level));
  gtk_accessible_update_property (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  cohort_mastery_level_symbol (level), -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (box), swatch);
  gtk_box_append (GTK_BOX (box), label);
  gtk_flow_box_append (GTK_FLOW_BOX (self->flow), box);
  /* Not a list to pick from: the keyboard passes over it. */
  gtk_widget_set_focusable (gtk_widget_get_parent (box), FALSE);
}

static void
cohort_mastery_legend_dispose (GObject *object)
{
  CohortMasteryLegend *self = COHORT_MASTERY_LEGEND (object);

  g_clear_pointer (&self->flow, gtk_widget_unparent);

  G_OBJECT_CLASS (cohort_mastery_legend_parent_class)->dispose (object);
}

static void
cohort_mastery_legend_class_init (CohortMasteryLegendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_mastery_legend_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "masterylegend");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST);
}

static void
cohort_mastery_legend_init (CohortMasteryLegend *self)
{
  self->flow = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (self->flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (self->flow), FALSE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (self->flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (self->flow), 4);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (self->flow), 12);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (self->flow), 4);
  gtk_widget_set_parent (self->flow, GTK_WIDGET (self));

  add_entry (self, COHORT_MASTERY_LEVEL_WEAK);
  add_entry (self, COHORT_MASTERY_LEVEL_LEARNING);
  add_entry (self, COHORT_MASTERY_LEVEL_MASTERED);
  add_entry (self, COHORT_MASTERY_LEVEL_NONE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Legend"), -1);
}

/* cohort-ai-list-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai-list-item"

#include "config.h"

#include "cohort-ai-list-item.h"

/* Not a horizontal GtkBox: measuring a wrapping label in one costs GTK
 * 4.8 a series of Pango layouts that grows with the text (a 280-character
 * list item took 10 ms; a bare label of that length, 0.15 ms): the box,
 * like GtkGrid, asks a wrapping label for its width at a given height,
 * which GtkLabel finds by trying widths. Here the text is only ever asked
 * for its height at the width it gets. Without a bullet it is a table
 * cell, which the grid may then measure as it likes. */

#define SPACING 6

struct _CohortAiListItem
{
  GtkWidget  parent_instance;

  GtkWidget *bullet;
  GtkWidget *text;
};

G_DEFINE_FINAL_TYPE (CohortAiListItem, cohort_ai_list_item, GTK_TYPE_WIDGET)

static int
bullet_width (CohortAiListItem *self)
{
  int width = 0;

  if (self->bullet == NULL)
    return -SPACING;
  gtk_widget_measure (self->bullet, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &width, NULL, NULL);
  return width;
}

static GtkSizeRequestMode
cohort_ai_list_item_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
cohort_ai_list_item_measure (GtkWidget      *widget,
                             GtkOrientation  orientation,
                             int             for_size,
                             int            *minimum,
                             int            *natural,
                             int            *minimum_baseline,
                             int            *natural_baseline)
{
  CohortAiListItem *self = COHORT_AI_LIST_ITEM (widget);
  int bullet = bullet_width (self);
  int bullet_min = 0, bullet_nat = 0, text_min = 0, text_nat = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      gtk_widget_measure (self->text, GTK_ORIENTATION_HORIZONTAL, -1, &text_min, &text_nat, NULL, NULL);
      *minimum = bullet + SPACING + text_min;
      *natural = bullet + SPACING + text_nat;
    }
  else
    {
      if (self->bullet != NULL)
        gtk_widget_measure (self->bullet, GTK_ORIENTATION_VERTICAL, -1, &bullet_min, &bullet_nat, NULL, NULL);
      gtk_widget_measure (self->text, GTK_ORIENTATION_VERTICAL,
                          for_size < 0 ? -1 : MAX (for_size - bullet - SPACING, 0),
                          &text_min, &text_nat, NULL, NULL);
      *minimum = MAX (bullet_min, text_min);
      *natural = MAX (bullet_nat, text_nat);
    }
}

static void
cohort_ai_list_item_size_allocate (GtkWidget *widget,
                                   int        width,
                                   int        height,
                                   int        baseline)
{
  CohortAiListItem *self = COHORT_AI_LIST_ITEM (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int bullet = bullet_width (self);
  int bullet_height = 0, bullet_baseline = -1, text_baseline = -1, y = 0;
  int text_width = MAX (width - bullet - SPACING, 0);

  if (self->bullet != NULL)
    {
      /* On the first line's baseline: a Chinese line stands taller than
       * the bullet's. */
      gtk_widget_measure (self->bullet, GTK_ORIENTATION_VERTICAL, bullet, NULL, &bullet_height, NULL,
                          &bullet_baseline);
      gtk_widget_measure (self->text, GTK_ORIENTATION_VERTICAL, text_width, NULL, NULL, NULL, &text_baseline);
      if (bullet_baseline >= 0 && text_baseline >= 0)
        y = CLAMP (text_baseline - bullet_baseline, 0, MAX (height - bullet_height, 0));
      gtk_widget_size_allocate (self->bullet,
                                &(GtkAllocation) { rtl ? width - bullet : 0, y, bullet, MIN (bullet_height, height) },
                                -1);
    }
  gtk_widget_size_allocate (self->text,
                            &(GtkAllocation) { rtl ? 0 : bullet + SPACING, 0, text_width, height },
                            -1);
}

static void
cohort_ai_list_item_dispose (GObject *object)
{
  CohortAiListItem *self = COHORT_AI_LIST_ITEM (object);

  g_clear_pointer (&self->bullet, gtk_widget_unparent);
  g_clear_pointer (&self->text, gtk_widget_unparent);
  G_OBJECT_CLASS (cohort_ai_list_item_parent_class)->dispose (object);
}

static void
cohort_ai_list_item_class_init (CohortAiListItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_ai_list_item_dispose;
  widget_class->get_request_mode = cohort_ai_list_item_get_request_mode;
  widget_class->measure = cohort_ai_list_item_measure;
  widget_class->size_allocate = cohort_ai_list_item_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "ai-list-item");
}

static void
cohort_ai_list_item_init (CohortAiListItem *self)
{
}

GtkWidget *
cohort_ai_list_item_new (GtkWidget *bullet,
                         GtkWidget *text)
{
  CohortAiListItem *self = g_object_new (COHORT_TYPE_AI_LIST_ITEM, NULL);

  g_return_val_if_fail (bullet == NULL || GTK_IS_WIDGET (bullet), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (text), NULL);

  self->bullet = bullet;
  self->text = text;
  if (bullet != NULL)
    gtk_widget_set_parent (bullet, GTK_WIDGET (self));
  gtk_widget_set_parent (text, GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

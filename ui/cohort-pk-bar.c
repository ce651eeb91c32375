/* cohort-pk-bar.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-pk-bar"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-pk-bar.h"

#define BAR_HEIGHT 20

struct _CohortPkBar
{
  GtkWidget  parent_instance;

  CohortPk  *pk;
};

G_DEFINE_FINAL_TYPE (CohortPkBar, cohort_pk_bar, GTK_TYPE_WIDGET)

/* The GNOME palette: blue, orange, green, purple, red, yellow, brown. */
static const char * const palette[] = {
  "#3584e4", "#ff7800", "#33d17a", "#9141ac", "#e01b24", "#f6d32d", "#986a44",
};

void
cohort_pk_bar_get_color (guint    index,
                         GdkRGBA *color)
{
  gdk_rgba_parse (color, palette[index % G_N_ELEMENTS (palette)]);
}

static void
update_accessible (CohortPkBar *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; self->pk && i < g_list_model_get_n_items (G_LIST_MODEL (self->pk)); i++)
    {
      g_autoptr(CohortBoardRow) row = g_list_model_get_item (G_LIST_MODEL (self->pk), i);

      if (text->len > 0)
        g_string_append (text, ", ");
      /* Translators: a group's score in the Class PK, e.g. "Owls: 15 points". */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%s: %d point", "%s: %d points",
                                                 cohort_board_row_get_points (row)),
                              cohort_board_row_get_name (row), (int) cohort_board_row_get_points (row));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text->str, -1);
}

static void
on_changed (CohortPkBar *self)
{
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
cohort_pk_bar_set_pk (CohortPkBar *self,
                      CohortPk    *pk)
{
  g_return_if_fail (COHORT_IS_PK_BAR (self));

  if (self->pk != NULL)
    g_signal_handlers_disconnect_by_data (self->pk, self);
  g_set_object (&self->pk, pk);
  if (pk != NULL)
    {
      g_signal_connect_object (pk, "items-changed", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (pk, "notify::total-points", G_CALLBACK (on_changed), self, G_CONNECT_SWAPPED);
    }
  on_changed (self);
}

GtkWidget *
cohort_pk_bar_new (void)
{
  return g_object_new (COHORT_TYPE_PK_BAR, NULL);
}

static void
cohort_pk_bar_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 120;
  else
    *minimum = *natural = BAR_HEIGHT;
}

static void
cohort_pk_bar_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  CohortPkBar *self = COHORT_PK_BAR (widget);
  float width = gtk_widget_get_width (widget);
  float height = gtk_widget_get_height (widget);
  GskRoundedRect outline;
  guint n = self->pk ? g_list_model_get_n_items (G_LIST_MODEL (self->pk)) : 0;
  float x = 0;
  GdkRGBA trough;

  gsk_rounded_rect_init_from_rect (&outline, &GRAPHENE_RECT_INIT (0, 0, width, height), height / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);

  gdk_rgba_parse (&trough, "rgba(128,128,128,0.2)");
  gtk_snapshot_append_color (snapshot, &trough, &GRAPHENE_RECT_INIT (0, 0, width, height));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortBoardRow) row = g_list_model_get_item (G_LIST_MODEL (self->pk), i);
      float w = i + 1 == n ? width - x : (float) (cohort_board_row_get_fraction (row) * width);
      GdkRGBA color;

      cohort_pk_bar_get_color (i, &color);
      gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x, 0, w, height));
      if (i > 0)
        {
          GdkRGBA gap = { 1, 1, 1, 0.9 };

          gtk_snapshot_append_color (snapshot, &gap, &GRAPHENE_RECT_INIT (x - 1, 0, 2, height));
        }
      x += w;
    }

  gtk_snapshot_pop (snapshot);
}

static void
cohort_pk_bar_dispose (GObject *object)
{
  CohortPkBar *self = COHORT_PK_BAR (object);

  if (self->pk != NULL)
    g_signal_handlers_disconnect_by_data (self->pk, self);
  g_clear_object (&self->pk);
  G_OBJECT_CLASS (cohort_pk_bar_parent_class)->dispose (object);
}

static void
cohort_pk_bar_class_init (CohortPkBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = cohort_pk_bar_dispose;
  widget_class->measure = cohort_pk_bar_measure;
  widget_class->snapshot = cohort_pk_bar_snapshot;
  gtk_widget_class_set_css_name (widget_class, "pkbar");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cohort_pk_bar_init (CohortPkBar *self)
{
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
}

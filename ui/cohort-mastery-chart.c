/* cohort-mastery-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-mastery-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-mastery-chart.h"
#include "cohort-mastery-level.h"

#define BAR_HEIGHT   18
#define ROW_SPACING  12
#define LABEL_WIDTH  0.40
#define VALUE_GAP    8
#define MIN_TRACK    40
#define RADIUS       5
/* Narrower than this, each name goes on its own line above its bar: at a
 * phone's width a name beside the bar was cut to a word. */
#define STACK_BELOW  440

typedef struct
{
  char   *label;
  double  mastery;
} Bar;

struct _CohortMasteryChart
{
  GtkWidget  parent_instance;

  GArray    *bars;
  char      *description;
};

G_DEFINE_FINAL_TYPE (CohortMasteryChart, cohort_mastery_chart, GTK_TYPE_WIDGET)

static void
bar_clear (Bar *bar)
{
  g_free (bar->label);
}

GtkWidget *
cohort_mastery_chart_new (void)
{
  return g_object_new (COHORT_TYPE_MASTERY_CHART, NULL);
}

/* "✓ 92 %": the band's mark makes the value readable without colour. */
static char *
value_text (const Bar *bar)
{
  g_autofree char *percent = cohort_mastery_format_percent (bar->mastery);

  if (cohort_mastery_level_of (bar->mastery) == COHORT_MASTERY_LEVEL_NONE)
    return g_steal_pointer (&percent);
  return g_strdup_printf ("%s %s", cohort_mastery_level_symbol (cohort_mastery_level_of (bar->mastery)),
                          percent);
}

static void
update_description (CohortMasteryChart *self)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      g_autofree char *percent = cohort_mastery_format_percent (bar->mastery);

      if (text->len > 0)
        g_string_append (text, "; ");
      /* Translators: one bar of the mastery chart read out:
       * "Fractions: 45 %, needs practice". */
      g_string_append_printf (text, _("%s: %s, %s"), bar->label, percent,
                              cohort_mastery_level_name (cohort_mastery_level_of (bar->mastery)));
    }
  g_free (self->description);
  self->description = g_string_free (text, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  self->description, -1);
}

void
cohort_mastery_chart_set_data (CohortMasteryChart *self,
                               const char * const *labels,
                               const double       *mastery,
                               guint               n)
{
  g_return_if_fail (COHORT_IS_MASTERY_CHART (self));
  g_return_if_fail (n == 0 || (labels != NULL && mastery != NULL));

  g_array_set_size (self->bars, 0);
  for (guint i = 0; i < n; i++)
    {
      Bar bar = { .label = g_strdup (labels[i]), .mastery = mastery[i] };

      g_array_append_val (self->bars, bar);
    }
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
cohort_mastery_chart_get_n_bars (CohortMasteryChart *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_CHART (self), 0);

  return self->bars->len;
}

const char *
cohort_mastery_chart_get_description (CohortMasteryChart *self)
{
  g_return_val_if_fail (COHORT_IS_MASTERY_CHART (self), NULL);

  return self->description;
}

static int
text_width (GtkWidget  *widget,
            const char *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* As wide as the widest value, never cut ("✓ 100 %" at large text). */
static int
value_width (CohortMasteryChart *self)
{
  int widest = 0;

  for (guint i = 0; i < self->bars->len; i++)
    {
      g_autofree char *text = value_text (&g_array_index (self->bars, Bar, i));

      widest = MAX (widest, text_width (GTK_WIDGET (self), text));
    }
  return widest + VALUE_GAP;
}

/* A row is as tall as a line of text, at least the bar. */
static int
row_height (GtkWidget *widget)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "Ag");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return MAX (BAR_HEIGHT, height) + 4;
}

/* The label column gives up room (and ellipsizes) before a value is cut. */
static int
label_width (CohortMasteryChart *self,
             int                 width,
             int                 values)
{
  if (width < STACK_BELOW)
    return 0;
  return MAX (MIN ((int) (width * LABEL_WIDTH), width - values - MIN_TRACK - VALUE_GAP), 0);
}

gboolean
cohort_mastery_chart_get_values_fit (CohortMasteryChart *self)
{
  int width;
  int values;

  g_return_val_if_fail (COHORT_IS_MASTERY_CHART (self), FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  values = value_width (self);
  return self->bars->len == 0 || label_width (self, width, values) + VALUE_GAP + MIN_TRACK + values <= width;
}

static void
cohort_mastery_chart_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  CohortMasteryChart *self = COHORT_MASTERY_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Every value whole and a short track: it fits a 360 px window
       * with its margins, the names above the bars. */
      *minimum = MAX (160, value_width (self) + MIN_TRACK + VALUE_GAP);
      *natural = MAX (STACK_BELOW, *minimum);
    }
  else
    {
      guint n = self->bars->len;
      int row = row_height (widget);

      /* Unknown width: as for the narrowest, which is the tallest. */
      if (for_size < 0 || for_size < STACK_BELOW)
        row *= 2;
      *minimum = *natural = n > 0 ? n * row + (n - 1) * ROW_SPACING : 0;
    }
}

static GtkSizeRequestMode
cohort_mastery_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             double         x,
             double         y,
             int            row,
             const GdkRGBA *color)
{
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y + (row - height) / 2.0));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
cohort_mastery_chart_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  CohortMasteryChart *self = COHORT_MASTERY_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int values = value_width (self);
  int row = row_height (widget);
  int names = label_width (self, width, values);
  gboolean stacked = width < STACK_BELOW;
  int track_x = stacked ? 0 : names + VALUE_GAP;
  int track_width = MAX (width - track_x - values, MIN_TRACK);
  GdkRGBA fg;
  GdkRGBA track;
  GdkRGBA tick;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  track = fg;
  track.alpha = 0.08;
  tick = fg;
  tick.alpha = 0.45;

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      CohortMasteryLevel level = cohort_mastery_level_of (bar->mastery);
      int y = i * ((stacked ? 2 * row : row) + ROW_SPACING);
      int name_y = y;
      double bar_y;
      g_autoptr(PangoLayout) label = gtk_widget_create_pango_layout (widget, bar->label);
      g_autofree char *text = value_text (bar);
      g_autoptr(PangoLayout) value = gtk_widget_create_pango_layout (widget, text);
      GskRoundedRect rect;
      GdkRGBA fill;

      pango_layout_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (label, (stacked ? width : names) * PANGO_SCALE);
      append_text (snapshot, label, 0, name_y, row, &fg);
      if (stacked)
        y += row;
      bar_y = y + (row - BAR_HEIGHT) / 2.0;

      gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (track_x, bar_y, track_width, BAR_HEIGHT), RADIUS);
      gtk_snapshot_push_rounded_clip (snapshot, &rect);
      gtk_snapshot_append_color (snapshot, &track, &rect.bounds);
      cohort_mastery_level_color (level, &fill);
      if (level != COHORT_MASTERY_LEVEL_NONE)
        gtk_snapshot_append_color (snapshot, &fill,
                                   &GRAPHENE_RECT_INIT (track_x, bar_y, track_width * CLAMP (bar->mastery, 0, 1),
                                                        BAR_HEIGHT));
      gtk_snapshot_pop (snapshot);

      /* Where "mastered" starts: the goal each bar grows towards. */
      gtk_snapshot_append_color (snapshot, &tick,
                                 &GRAPHENE_RECT_INIT (track_x + (int) (track_width * COHORT_MASTERY_MASTERED_FROM),
                                                      bar_y - 2, 2, BAR_HEIGHT + 4));

      pango_layout_set_width (value, (values - VALUE_GAP) * PANGO_SCALE);
      pango_layout_set_alignment (value, PANGO_ALIGN_RIGHT);
      append_text (snapshot, value, track_x + track_width + VALUE_GAP, y, row, &fg);
    }
}

static void
cohort_mastery_chart_finalize (GObject *object)
{
  CohortMasteryChart *self = COHORT_MASTERY_CHART (object);

  g_clear_pointer (&self->bars, g_array_unref);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (cohort_mastery_chart_parent_class)->finalize (object);
}

static void
cohort_mastery_chart_class_init (CohortMasteryChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cohort_mastery_chart_finalize;
  widget_class->get_request_mode = cohort_mastery_chart_get_request_mode;
  widget_class->measure = cohort_mastery_chart_measure;
  widget_class->snapshot = cohort_mastery_chart_snapshot;

  gtk_widget_class_set_css_name (widget_class, "masterychart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cohort_mastery_chart_init (CohortMasteryChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, (GDestroyNotify) bar_clear);
  self->description = g_strdup ("");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Mastery per knowledge point"), -1);
}

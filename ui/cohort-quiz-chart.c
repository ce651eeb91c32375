/* cohort-quiz-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-quiz-chart"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-quiz-chart.h"

#define BAR_HEIGHT   22
#define BAR_SPACING  10
#define LABEL_WIDTH  0.38
#define VALUE_GAP    8
#define MIN_TRACK    20
#define RADIUS       6

typedef struct
{
  char     *label;
  gint64    count;
  gboolean  correct;
} Bar;

struct _CohortQuizChart
{
  GtkWidget  parent_instance;

  GArray    *bars;
  gboolean   key_known;
};

G_DEFINE_FINAL_TYPE (CohortQuizChart, cohort_quiz_chart, GTK_TYPE_WIDGET)

static void
bar_clear (Bar *bar)
{
  g_free (bar->label);
}

GtkWidget *
cohort_quiz_chart_new (void)
{
  return g_object_new (COHORT_TYPE_QUIZ_CHART, NULL);
}

static void
update_description (CohortQuizChart *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);

      if (text->len > 0)
        g_string_append (text, "; ");
      /* Translators: one bar of the results chart read out: "B. Mercury: 12". */
      g_string_append_printf (text, _("%s: %d"), bar->label, (int) bar->count);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  text->str, -1);
}

void
cohort_quiz_chart_set_data (CohortQuizChart    *self,
                            const char * const *labels,
                            const gint64       *counts,
                            const gboolean     *correct,
                            guint               n)
{
  g_return_if_fail (COHORT_IS_QUIZ_CHART (self));

  g_array_set_size (self->bars, 0);
  for (guint i = 0; i < n; i++)
    {
      Bar bar = {
        .label = g_strdup (labels[i]),
        .count = counts != NULL ? counts[i] : 0,
        .correct = correct != NULL && correct[i],
      };

      g_array_append_val (self->bars, bar);
    }
  self->key_known = correct != NULL;

  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

guint
cohort_quiz_chart_get_n_bars (CohortQuizChart *self)
{
  return self->bars->len;
}

/* The value column: as wide as its widest text ("11 · 65 %"), which is
 * never cut (it was "11 · 6…" with a fixed 64 px at large text sizes). */
static char *
value_text (CohortQuizChart *self,
            guint            i,
            gint64           total)
{
  Bar *bar = &g_array_index (self->bars, Bar, i);

  /* Translators: a bar's value: count and share, "12 · 40 %". */
  return g_strdup_printf (_("%d · %d %%"), (int) bar->count,
                          total > 0 ? (int) (100.0 * bar->count / total + 0.5) : 0);
}

static gint64
total_count (CohortQuizChart *self)
{
  gint64 total = 0;

  for (guint i = 0; i < self->bars->len; i++)
    total += g_array_index (self->bars, Bar, i).count;
  return total;
}

static int
value_width (CohortQuizChart *self)
{
  gint64 total = total_count (self);
  int widest = 0;

  for (guint i = 0; i < self->bars->len; i++)
    {
      g_autofree char *text = value_text (self, i, total);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      int w;

      pango_layout_get_pixel_size (layout, &w, NULL);
      widest = MAX (widest, w);
    }
  return widest + VALUE_GAP;
}

/* A bar is as tall as a line of text, at least BAR_HEIGHT. */
static int
row_height (GtkWidget *widget)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, "Ag");
  int h;

  pango_layout_get_pixel_size (layout, NULL, &h);
  return MAX (BAR_HEIGHT, h + 4);
}

gboolean
cohort_quiz_chart_get_values_fit (CohortQuizChart *self)
{
  int width;

  g_return_val_if_fail (COHORT_IS_QUIZ_CHART (self), FALSE);

  width = gtk_widget_get_width (GTK_WIDGET (self));
  return self->bars->len == 0 || (int) (width * LABEL_WIDTH) + 8 + MIN_TRACK + value_width (self) <= width;
}

static void
cohort_quiz_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  CohortQuizChart *self = COHORT_QUIZ_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* Room for every value whole, a short track and a little label. */
      *minimum = MAX (200, value_width (self) + MIN_TRACK + 8 + 48);
      *natural = MAX (320, *minimum);
    }
  else
    {
      guint n = self->bars->len;
      int row = row_height (widget);

      *minimum = *natural = n > 0 ? n * row + (n - 1) * BAR_SPACING : 0;
    }
}

static PangoLayout *
make_layout (GtkWidget  *widget,
             const char *text,
             int         width,
             gboolean    bold)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  if (bold)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

static void
cohort_quiz_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  CohortQuizChart *self = COHORT_QUIZ_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int values = value_width (self);
  int row = row_height (widget);
  /* The numbers first: the option labels give up room (and ellipsize)
   * before a count or a share is cut. */
  int label_width = MAX (MIN ((int) (width * LABEL_WIDTH), width - values - MIN_TRACK - 8), 0);
  int track_x = label_width + 8;
  int track_width = MAX (width - track_x - values, MIN_TRACK);
  gint64 total = total_count (self);
  gint64 max = 0;
  GdkRGBA fg;
  GdkRGBA track;
  GdkRGBA accent = { 0.21, 0.52, 0.89, 1.0 };
  GdkRGBA success = { 0.15, 0.64, 0.41, 1.0 };
  GdkRGBA muted = { 0.55, 0.55, 0.55, 1.0 };

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  track = fg;
  track.alpha = 0.08;

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);

      max = MAX (max, bar->count);
    }

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      int y = i * (row + BAR_SPACING);
      g_autoptr(PangoLayout) label = make_layout (widget, bar->label, label_width, bar->correct);
      g_autofree char *text = NULL;
      g_autoptr(PangoLayout) value = NULL;
      GskRoundedRect rect;
      GdkRGBA fill;
      int text_height;
      double fraction = max > 0 ? (double) bar->count / (double) max : 0;
      int bar_width = (int) (track_width * fraction);

      pango_layout_get_pixel_size (label, NULL, &text_height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, y + (row - text_height) / 2.0));
      gtk_snapshot_append_layout (snapshot, label, &fg);
      gtk_snapshot_restore (snapshot);

      gsk_rounded_rect_init_from_rect (&rect, &GRAPHENE_RECT_INIT (track_x, y + (row - BAR_HEIGHT) / 2.0,
                                                                   track_width, BAR_HEIGHT),
                                       RADIUS);
      gtk_snapshot_push_rounded_clip (snapshot, &rect);
      gtk_snapshot_append_color (snapshot, &track, &rect.bounds);
      fill = !self->key_known ? accent : (bar->correct ? success : muted);
      if (bar_width > 0)
        gtk_snapshot_append_color (snapshot, &fill,
                                   &GRAPHENE_RECT_INIT (track_x, y + (row - BAR_HEIGHT) / 2.0, bar_width, BAR_HEIGHT));
      gtk_snapshot_pop (snapshot);

      text = value_text (self, i, total);
      value = gtk_widget_create_pango_layout (widget, text);
      pango_layout_set_width (value, (values - VALUE_GAP) * PANGO_SCALE);
      pango_layout_set_alignment (value, PANGO_ALIGN_RIGHT);
      pango_layout_get_pixel_size (value, NULL, &text_height);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (track_x + track_width + VALUE_GAP,
                                                              y + (row - text_height) / 2.0));
      gtk_snapshot_append_layout (snapshot, value, &fg);
      gtk_snapshot_restore (snapshot);
    }
}

static void
cohort_quiz_chart_finalize (GObject *object)
{
  CohortQuizChart *self = COHORT_QUIZ_CHART (object);

  g_clear_pointer (&self->bars, g_array_unref);

  G_OBJECT_CLASS (cohort_quiz_chart_parent_class)->finalize (object);
}

static void
cohort_quiz_chart_class_init (CohortQuizChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cohort_quiz_chart_finalize;
  widget_class->measure = cohort_quiz_chart_measure;
  widget_class->snapshot = cohort_quiz_chart_snapshot;

  gtk_widget_class_set_css_name (widget_class, "quizchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cohort_quiz_chart_init (CohortQuizChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, (GDestroyNotify) bar_clear);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Answers per option"), -1);
}

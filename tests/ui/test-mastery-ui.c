/* test-mastery-ui.c: the mastery chart, the class heatmap and their
 * legend with fixed data: what each shows and says to a screen reader,
 * the heatmap's order and keyboard, and a 360 px window; screenshots in
 * light and dark (mastery-*.png)
 *
 * COHORT_TEST_LANGUAGE=zh_CN (with COHORT_LOCALEDIR) runs it in that
 * language, for screenshots (mastery-*-zh_CN.png).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-mastery-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "cohort-mastery-chart.h"
#include "cohort-heatmap-view.h"
#include "cohort-mastery-legend.h"
#include "cohort-mastery-level.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

static const char *language;

static void
shots (gpointer    widget,
       const char *name)
{
  cohort_test_ui_save_light_and_dark (widget, "mastery", name, language);
}

/* A 360 px window around @child, presented and laid out. */
static GtkWindow *
phone_window (GtkWidget *child)
{
  GtkWindow *window = GTK_WINDOW (adw_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  gtk_widget_set_margin_top (child, 12);
  gtk_widget_set_margin_bottom (child, 12);
  gtk_widget_set_vexpand (child, TRUE);
  gtk_box_append (GTK_BOX (box), child);
  adw_window_set_content (ADW_WINDOW (window), box);
  gtk_window_set_default_size (window, 360, 520);
  gtk_window_present (window);
  cohort_test_ui_phone_width (window, 520);
  return window;
}

static void
test_level_bands (void)
{
  g_autofree char *rounded = cohort_mastery_format_percent (0.795);
  g_autofree char *none = cohort_mastery_format_percent (-1);

  g_assert_cmpint (cohort_mastery_level_of (-1), ==, COHORT_MASTERY_LEVEL_NONE);
  g_assert_cmpint (cohort_mastery_level_of (0), ==, COHORT_MASTERY_LEVEL_WEAK);
  g_assert_cmpint (cohort_mastery_level_of (0.499), ==, COHORT_MASTERY_LEVEL_WEAK);
  g_assert_cmpint (cohort_mastery_level_of (0.5), ==, COHORT_MASTERY_LEVEL_LEARNING);
  g_assert_cmpint (cohort_mastery_level_of (0.8), ==, COHORT_MASTERY_LEVEL_MASTERED);
  g_assert_cmpint (cohort_mastery_level_of (1), ==, COHORT_MASTERY_LEVEL_MASTERED);
  /* A learning value never reads as the mastered threshold. */
  if (language == NULL)
    {
      g_assert_cmpstr (rounded, ==, "79 %");
      g_assert_cmpstr (none, ==, "–");
    }
}

static void
test_chart (void)
{
  const char *labels[] = { "Fractions: common denominator", "Past tense: irregular verbs", "Decimals",
                           "Percentages" };
  const double mastery[] = { 0.42, 0.65, 0.93, -1 };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *chart = cohort_mastery_chart_new ();
  GtkWindow *window;
  const char *description;

  gtk_box_append (GTK_BOX (box), chart);
  gtk_box_append (GTK_BOX (box), cohort_mastery_legend_new ());
  cohort_mastery_chart_set_data (COHORT_MASTERY_CHART (chart), labels, mastery, G_N_ELEMENTS (labels));
  g_assert_cmpuint (cohort_mastery_chart_get_n_bars (COHORT_MASTERY_CHART (chart)), ==, 4);

  /* Every bar as text, with its band: nothing told by colour alone. */
  description = cohort_mastery_chart_get_description (COHORT_MASTERY_CHART (chart));
  if (language == NULL)
    {
      g_assert_nonnull (strstr (description, "Fractions: common denominator: 42 %, Needs practice"));
      g_assert_nonnull (strstr (description, "Past tense: irregular verbs: 65 %, Learning"));
      g_assert_nonnull (strstr (description, "Decimals: 93 %, Mastered"));
      g_assert_nonnull (strstr (description, "Percentages: –, Not started"));
    }

  window = phone_window (box);
  /* Four rows tall, and the values whole at 360 px. */
  COHORT_TEST_WAIT_UNTIL (gtk_widget_get_height (chart) > 4 * 18);
  g_assert_true (cohort_mastery_chart_get_values_fit (COHORT_MASTERY_CHART (chart)));
  shots (window, "chart");

  /* New data replaces the old. */
  cohort_mastery_chart_set_data (COHORT_MASTERY_CHART (chart), labels, mastery, 1);
  g_assert_cmpuint (cohort_mastery_chart_get_n_bars (COHORT_MASTERY_CHART (chart)), ==, 1);
  gtk_window_destroy (window);
}

static const gint64 point_ids[] = { 11, 12, 13, 14 };
static const char *point_names[] = { "Decimals", "Fractions", "Angles", "Percentages" };
static const char *student_names[] = { "Ana", "Bo", "Chen", "Dara", "Eli" };
/* Point by point: Fractions is the weakest on average, Angles has no
 * answer; Bo is the weakest student. */
static const double values[] = {
  0.90, 0.60, 0.85, 0.95, 0.80,   /* Decimals: 0.82 */
  0.40, 0.10, 0.55, 0.30, -1,     /* Fractions: 0.3375 */
  -1, -1, -1, -1, -1,             /* Angles: none */
  0.70, 0.20, 0.75, 0.65, 0.50,   /* Percentages: 0.56 */
};

static void
on_point_activated (CohortHeatmapView *heatmap,
                    gint64                point,
                    gint64               *out)
{
  *out = point;
}

static void
move (GtkWidget *heatmap,
      int        rows,
      int        columns)
{
  gtk_widget_activate_action (heatmap, "heatmap.move", "(ii)", rows, columns);
}

static void
assert_cursor (CohortHeatmapView *heatmap,
               guint                 row,
               int                   column)
{
  guint at_row = G_MAXUINT;
  int at_column = -2;

  g_assert_true (cohort_heatmap_view_get_cursor (heatmap, &at_row, &at_column));
  g_assert_cmpuint (at_row, ==, row);
  g_assert_cmpint (at_column, ==, column);
}

static void
test_heatmap (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *widget = cohort_heatmap_view_new ();
  CohortHeatmapView *heatmap = COHORT_HEATMAP_VIEW (widget);
  GtkWidget *legend = cohort_mastery_legend_new ();
  GtkWindow *window;
  gint64 activated = 0;

  gtk_box_append (GTK_BOX (box), legend);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), widget);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  g_signal_connect (heatmap, "point-activated", G_CALLBACK (on_point_activated), &activated);

  cohort_heatmap_view_set_data (heatmap, point_ids, point_names, NULL, 4, student_names, 5, values);
  g_assert_cmpuint (cohort_heatmap_view_get_n_points (heatmap), ==, 4);
  g_assert_cmpuint (cohort_heatmap_view_get_n_students (heatmap), ==, 5);

  /* The class's weakest point on top, the one nobody answered last. */
  g_assert_cmpint (cohort_heatmap_view_get_point_at (heatmap, 0), ==, 12);
  g_assert_cmpint (cohort_heatmap_view_get_point_at (heatmap, 1), ==, 14);
  g_assert_cmpint (cohort_heatmap_view_get_point_at (heatmap, 2), ==, 11);
  g_assert_cmpint (cohort_heatmap_view_get_point_at (heatmap, 3), ==, 13);
  g_assert_cmpfloat_with_epsilon (cohort_heatmap_view_get_average_at (heatmap, 0), 0.3375, 1e-9);
  g_assert_cmpfloat (cohort_heatmap_view_get_average_at (heatmap, 3), <, 0);
  /* The weakest student first too. */
  g_assert_cmpstr (cohort_heatmap_view_get_student_at (heatmap, 0), ==, "Bo");

  /* Each cell says what it shows, in words and with the band's mark. */
  {
    GtkWidget *cell = cohort_heatmap_view_get_cell (heatmap, 0, 1);
    GtkWidget *label = gtk_button_get_child (GTK_BUTTON (cell));
    const char *expected = "Bo, Fractions: 10 %, Needs practice";

    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, "! 10");
    g_assert_true (gtk_widget_has_css_class (cell, "weak"));
    if (language == NULL)
      gtk_test_accessible_assert_property (cell, GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
    cell = cohort_heatmap_view_get_cell (heatmap, 2, 1);
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (cell)))), ==, "◐ 60");
    cell = cohort_heatmap_view_get_cell (heatmap, 3, 1);
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (cell)))), ==, "–");
    g_assert_true (gtk_widget_has_css_class (cell, "none"));
    g_assert_null (cohort_heatmap_view_get_cell (heatmap, 4, 0));
    g_assert_null (cohort_heatmap_view_get_cell (heatmap, 0, 6));
  }

  /* The legend names each band and its range in words. */
  if (language == NULL)
    {
      g_assert_nonnull (cohort_test_ui_find (legend, cohort_test_ui_is_label, "Mastered: 80 % or more"));
      g_assert_nonnull (cohort_test_ui_find (legend, cohort_test_ui_is_label, "Needs practice: Under 50 %"));
      g_assert_nonnull (cohort_test_ui_find (legend, cohort_test_ui_is_label, "Learning: 50 % to 80 %"));
      g_assert_nonnull (cohort_test_ui_find (legend, cohort_test_ui_is_label, "Not started: No answers yet"));
    }

  window = phone_window (box);
  shots (window, "heatmap");

  /* The keyboard: arrows from cell to cell, clamped; Home to the point's
   * name; Ctrl+End to the last cell. */
  gtk_widget_grab_focus (cohort_heatmap_view_get_cell (heatmap, 0, 0));
  assert_cursor (heatmap, 0, 0);
  move (widget, 0, 1);
  assert_cursor (heatmap, 0, 1);
  move (widget, 1, 0);
  assert_cursor (heatmap, 1, 1);
  move (widget, -5, 0);
  assert_cursor (heatmap, 0, 1);
  move (widget, 0, -100000);
  assert_cursor (heatmap, 0, -1);
  move (widget, 100000, 100000);
  assert_cursor (heatmap, 3, 5);

  /* Enter on a point's name, or on one of its cells, opens the point. */
  gtk_widget_activate (cohort_heatmap_view_get_cell (heatmap, 0, -1));
  COHORT_TEST_WAIT_UNTIL (activated == 12);
  gtk_widget_activate (cohort_heatmap_view_get_cell (heatmap, 2, 3));
  COHORT_TEST_WAIT_UNTIL (activated == 11);

  /* By name, both ways. */
  g_object_set (heatmap, "by-name", TRUE, NULL);
  g_assert_cmpint (cohort_heatmap_view_get_point_at (heatmap, 0), ==, 13);
  g_assert_cmpint (cohort_heatmap_view_get_point_at (heatmap, 1), ==, 11);
  g_assert_cmpint (cohort_heatmap_view_get_point_at (heatmap, 2), ==, 12);
  g_assert_cmpstr (cohort_heatmap_view_get_student_at (heatmap, 0), ==, "Ana");
  shots (window, "heatmap-by-name");

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  language = cohort_test_ui_use_language ();
  cohort_test_ui_init_display (&argc, &argv);
  g_test_add_func ("/cohort/ui/mastery/level-bands", test_level_bands);
  g_test_add_func ("/cohort/ui/mastery/chart", test_chart);
  g_test_add_func ("/cohort/ui/mastery/heatmap", test_heatmap);
  return cohort_test_ui_run (NULL, NULL);
}

/* cohort-heatmap-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-heatmap-view"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-heatmap-view.h"
#include "cohort-mastery-level.h"

/* Far enough to reach a row's or the map's end in one move. */
#define TO_END 100000

typedef struct
{
  gint64  id;
  char   *name;
  double  average;
} Point;

typedef struct
{
  char   *name;
  double  average;
} Student;

struct _CohortHeatmapView
{
  GtkWidget  parent_instance;

  GtkWidget *grid;
  GArray    *points;    /* Point, as given */
  GArray    *students;  /* Student, as given */
  double    *mastery;   /* points × students, as given */
  GArray    *rows;      /* guint: the index of the point in each row */
  GArray    *columns;   /* guint: the index of the student in each column */
  /* GtkButton per cell, row by row, each row: name, average, students */
  GPtrArray *cells;
  gboolean   by_name;
};

enum {
  PROP_0,
  PROP_BY_NAME,
  N_PROPS
};

enum {
  POINT_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (CohortHeatmapView, cohort_heatmap_view, GTK_TYPE_WIDGET)

static void
point_clear (Point *point)
{
  g_free (point->name);
}

static void
student_clear (Student *student)
{
  g_free (student->name);
}

GtkWidget *
cohort_heatmap_view_new (void)
{
  return g_object_new (COHORT_TYPE_HEATMAP_VIEW, NULL);
}

static double
value_at (CohortHeatmapView *self,
          guint              point,
          guint              student)
{
  return self->mastery[point * self->students->len + student];
}

/* The mean of the estimates there are; below 0 when there are none. */
static double
mean_of (CohortHeatmapView *self,
         guint              point,
         guint              student,
         gboolean           over_students)
{
  guint n = over_students ? self->students->len : self->points->len;
  double sum = 0;
  guint counted = 0;

  for (guint i = 0; i < n; i++)
    {
      double value = over_students ? value_at (self, point, i) : value_at (self, i, student);

      if (cohort_mastery_level_of (value) != COHORT_MASTERY_LEVEL_NONE)
        {
          sum += value;
          counted++;
        }
    }
  return counted > 0 ? sum / counted : -1;
}

/* The weakest first, those with no answers last, then by name. */
static int
compare_weakest (double      a,
                 double      b,
                 const char *name_a,
                 const char *name_b,
                 gboolean    by_name)
{
  gboolean none_a = cohort_mastery_level_of (a) == COHORT_MASTERY_LEVEL_NONE;
  gboolean none_b = cohort_mastery_level_of (b) == COHORT_MASTERY_LEVEL_NONE;

  if (!by_name)
    {
      if (none_a != none_b)
        return none_a - none_b;
      if (!none_a && a != b)
        return a < b ? -1 : 1;
    }
  return g_utf8_collate (name_a, name_b);
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  CohortHeatmapView *self = user_data;
  Point *pa = &g_array_index (self->points, Point, *(const guint *) a);
  Point *pb = &g_array_index (self->points, Point, *(const guint *) b);

  return compare_weakest (pa->average, pb->average, pa->name, pb->name, self->by_name);
}

static int
compare_columns (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  CohortHeatmapView *self = user_data;
  Student *sa = &g_array_index (self->students, Student, *(const guint *) a);
  Student *sb = &g_array_index (self->students, Student, *(const guint *) b);

  return compare_weakest (sa->average, sb->average, sa->name, sb->name, self->by_name);
}

static void
on_cell_clicked (GtkButton         *button,
                 CohortHeatmapView *self)
{
  guint row = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "row"));

  g_signal_emit (self, signals[POINT_ACTIVATED], 0, cohort_heatmap_view_get_point_at (self, row));
}

static GtkWidget *
new_cell (CohortHeatmapView *self,
          guint              row,
          int                column,
          const char        *text,
          const char        *accessible)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data (G_OBJECT (button), "row", GUINT_TO_POINTER (row));
  g_object_set_data (G_OBJECT (button), "column", GINT_TO_POINTER (column));
  g_signal_connect (button, "clicked", G_CALLBACK (on_cell_clicked), self);
  gtk_grid_attach (GTK_GRID (self->grid), button, column + 1, row + 1, 1, 1);
  g_ptr_array_add (self->cells, button);
  return button;
}

static void
add_value_cell (CohortHeatmapView *self,
                guint              row,
                int                column,
                const char        *who,
                const char        *point,
                double             value)
{
  CohortMasteryLevel level = cohort_mastery_level_of (value);
  g_autofree char *percent = cohort_mastery_format_percent (value);
  /* The mark and the number, without "%": the cells stay narrow. */
  g_autofree char *text = level == COHORT_MASTERY_LEVEL_NONE
                          ? g_strdup (cohort_mastery_level_symbol (level))
                          : g_strdup_printf ("%s %d", cohort_mastery_level_symbol (level),
                                             (int) (CLAMP (value, 0, 1) * 100 + 1e-9));
  /* Translators: a heatmap cell read out: "Ana, Fractions: 45 %, needs
   * practice". */
  g_autofree char *accessible = g_strdup_printf (_("%s, %s: %s, %s"), who, point, percent,
                                                 cohort_mastery_level_name (level));
  GtkWidget *cell = new_cell (self, row, column, text, accessible);

  gtk_widget_add_css_class (cell, "heatmap-cell");
  gtk_widget_add_css_class (cell, cohort_mastery_level_css_class (level));
  gtk_widget_set_tooltip_text (cell, accessible);
}

static void
add_header (CohortHeatmapView *self,
            int                column,
            const char        *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 6);
  gtk_label_set_width_chars (GTK_LABEL (label), 4);
  gtk_widget_set_tooltip_text (label, text);
  gtk_widget_set_valign (label, GTK_ALIGN_END);
  gtk_widget_add_css_class (label, "heatmap-header");
  gtk_grid_attach (GTK_GRID (self->grid), label, column + 1, 0, 1, 1);
}

static void
rebuild (CohortHeatmapView *self)
{
  GtkWidget *child;
  guint n_students = self->students->len;

  while ((child = gtk_widget_get_first_child (self->grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->grid), child);
  g_ptr_array_set_size (self->cells, 0);

  g_array_sort_with_data (self->rows, compare_rows, self);
  g_array_sort_with_data (self->columns, compare_columns, self);

  if (self->points->len == 0)
    return;

  {
    /* Translators: the heading of the heatmap's first column. */
    GtkWidget *corner = gtk_label_new (_("Knowledge point"));

    gtk_label_set_xalign (GTK_LABEL (corner), 0);
    gtk_widget_set_valign (corner, GTK_ALIGN_END);
    gtk_widget_add_css_class (corner, "heatmap-header");
    gtk_grid_attach (GTK_GRID (self->grid), corner, 0, 0, 1, 1);
  }
  /* Translators: the heading of the heatmap's column of class averages. */
  add_header (self, 0, _("Class"));
  for (guint c = 0; c < n_students; c++)
    add_header (self, c + 1, g_array_index (self->students, Student, g_array_index (self->columns, guint, c)).name);

  for (guint r = 0; r < self->rows->len; r++)
    {
      guint p = g_array_index (self->rows, guint, r);
      Point *point = &g_array_index (self->points, Point, p);
      g_autofree char *average = cohort_mastery_format_percent (point->average);
      /* Translators: a knowledge point's name in the heatmap read out:
       * "Fractions, class average 52 %: open its practice set". */
      g_autofree char *accessible = g_strdup_printf (_("%s, class average %s: open its practice set"),
                                                     point->name, average);
      GtkWidget *name = new_cell (self, r, -1, point->name, accessible);
      GtkLabel *label = GTK_LABEL (gtk_button_get_child (GTK_BUTTON (name)));

      gtk_label_set_xalign (label, 0);
      gtk_label_set_ellipsize (label, PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (label, 18);
      gtk_label_set_width_chars (label, 8);
      gtk_widget_set_tooltip_text (name, point->name);
      gtk_widget_add_css_class (name, "flat");
      gtk_widget_add_css_class (name, "heatmap-point");

      /* Translators: who a heatmap cell of the average column is about. */
      add_value_cell (self, r, 0, _("Class average"), point->name, point->average);
      for (guint c = 0; c < n_students; c++)
        {
          guint s = g_array_index (self->columns, guint, c);

          add_value_cell (self, r, c + 1, g_array_index (self->students, Student, s).name, point->name,
                          value_at (self, p, s));
        }
    }
}

void
cohort_heatmap_view_set_data (CohortHeatmapView  *self,
                              const gint64       *point_ids,
                              const char * const *point_names,
                              const double       *point_means,
                              guint               n_points,
                              const char * const *student_names,
                              guint               n_students,
                              const double       *mastery)
{
  g_return_if_fail (COHORT_IS_HEATMAP_VIEW (self));
  g_return_if_fail (n_points == 0 || (point_ids != NULL && point_names != NULL));
  g_return_if_fail (n_students == 0 || student_names != NULL);
  g_return_if_fail (n_points * n_students == 0 || mastery != NULL);

  g_array_set_size (self->points, 0);
  g_array_set_size (self->students, 0);
  g_array_set_size (self->rows, 0);
  g_array_set_size (self->columns, 0);
  g_free (self->mastery);
  self->mastery = g_memdup2 (mastery, sizeof (double) * n_points * n_students);

  for (guint s = 0; s < n_students; s++)
    {
      Student student = { .name = g_strdup (student_names[s]) };

      g_array_append_val (self->students, student);
      g_array_append_val (self->columns, s);
    }
  for (guint p = 0; p < n_points; p++)
    {
      Point point = { .id = point_ids[p], .name = g_strdup (point_names[p]) };

      g_array_append_val (self->points, point);
      g_array_append_val (self->rows, p);
    }
  for (guint p = 0; p < n_points; p++)
    g_array_index (self->points, Point, p).average = point_means != NULL ? point_means[p]
                                                                         : mean_of (self, p, 0, TRUE);
  for (guint s = 0; s < n_students; s++)
    g_array_index (self->students, Student, s).average = mean_of (self, 0, s, FALSE);

  rebuild (self);
}

gboolean
cohort_heatmap_view_get_by_name (CohortHeatmapView *self)
{
  g_return_val_if_fail (COHORT_IS_HEATMAP_VIEW (self), FALSE);

  return self->by_name;
}

void
cohort_heatmap_view_set_by_name (CohortHeatmapView *self,
                                 gboolean           by_name)
{
  g_return_if_fail (COHORT_IS_HEATMAP_VIEW (self));

  by_name = !!by_name;
  if (self->by_name == by_name)
    return;
  self->by_name = by_name;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BY_NAME]);
}

guint
cohort_heatmap_view_get_n_points (CohortHeatmapView *self)
{
  g_return_val_if_fail (COHORT_IS_HEATMAP_VIEW (self), 0);

  return self->points->len;
}

guint
cohort_heatmap_view_get_n_students (CohortHeatmapView *self)
{
  g_return_val_if_fail (COHORT_IS_HEATMAP_VIEW (self), 0);

  return self->students->len;
}

gint64
cohort_heatmap_view_get_point_at (CohortHeatmapView *self,
                                  guint              row)
{
  g_return_val_if_fail (COHORT_IS_HEATMAP_VIEW (self), 0);
  g_return_val_if_fail (row < self->rows->len, 0);

  return g_array_index (self->points, Point, g_array_index (self->rows, guint, row)).id;
}

const char *
cohort_heatmap_view_get_student_at (CohortHeatmapView *self,
                                    guint              column)
{
  g_return_val_if_fail (COHORT_IS_HEATMAP_VIEW (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);

  return g_array_index (self->students, Student, g_array_index (self->columns, guint, column)).name;
}

double
cohort_heatmap_view_get_average_at (CohortHeatmapView *self,
                                    guint              row)
{
  g_return_val_if_fail (COHORT_IS_HEATMAP_VIEW (self), -1);
  g_return_val_if_fail (row < self->rows->len, -1);

  return g_array_index (self->points, Point, g_array_index (self->rows, guint, row)).average;
}

GtkWidget *
cohort_heatmap_view_get_cell (CohortHeatmapView *self,
                              guint              row,
                              int                column)
{
  guint width;

  g_return_val_if_fail (COHORT_IS_HEATMAP_VIEW (self), NULL);

  width = self->students->len + 2;
  if (row >= self->rows->len || column < -1 || column > (int) self->students->len)
    return NULL;
  return g_ptr_array_index (self->cells, row * width + (column + 1));
}

gboolean
cohort_heatmap_view_get_cursor (CohortHeatmapView *self,
                                guint             *row,
                                int               *column)
{
  GtkRoot *root;
  GtkWidget *focus;

  g_return_val_if_fail (COHORT_IS_HEATMAP_VIEW (self), FALSE);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  /* The focus may be inside a cell's button. */
  while (focus != NULL && focus != GTK_WIDGET (self) && !g_ptr_array_find (self->cells, focus, NULL))
    focus = gtk_widget_get_parent (focus);
  if (focus == NULL || focus == GTK_WIDGET (self))
    return FALSE;
  *row = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (focus), "row"));
  *column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (focus), "column"));
  return TRUE;
}

/* heatmap.move (ii): rows and columns to move by, clamped to the map. */
static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortHeatmapView *self = COHORT_HEATMAP_VIEW (widget);
  int d_row, d_column;
  guint row = 0;
  int column = 0;
  gint64 new_row;
  gint64 new_column;

  if (self->rows->len == 0)
    return;
  g_variant_get (parameter, "(ii)", &d_row, &d_column);
  if (!cohort_heatmap_view_get_cursor (self, &row, &column))
    d_row = d_column = 0;
  new_row = CLAMP ((gint64) row + d_row, 0, (gint64) self->rows->len - 1);
  new_column = CLAMP ((gint64) column + d_column, -1, (gint64) self->students->len);
  gtk_widget_grab_focus (cohort_heatmap_view_get_cell (self, new_row, new_column));
}

static void
cohort_heatmap_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CohortHeatmapView *self = COHORT_HEATMAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_BY_NAME:
      g_value_set_boolean (value, self->by_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_heatmap_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CohortHeatmapView *self = COHORT_HEATMAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_BY_NAME:
      cohort_heatmap_view_set_by_name (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_heatmap_view_dispose (GObject *object)
{
  CohortHeatmapView *self = COHORT_HEATMAP_VIEW (object);

  g_clear_pointer (&self->grid, gtk_widget_unparent);
  g_clear_pointer (&self->cells, g_ptr_array_unref);

  G_OBJECT_CLASS (cohort_heatmap_view_parent_class)->dispose (object);
}

static void
cohort_heatmap_view_finalize (GObject *object)
{
  CohortHeatmapView *self = COHORT_HEATMAP_VIEW (object);

  g_clear_pointer (&self->points, g_array_unref);
  g_clear_pointer (&self->students, g_array_unref);
  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->columns, g_array_unref);
  g_clear_pointer (&self->mastery, g_free);

  G_OBJECT_CLASS (cohort_heatmap_view_parent_class)->finalize (object);
}

static void
add_move_binding (GtkWidgetClass  *widget_class,
                  guint            key,
                  GdkModifierType  mods,
                  int              d_row,
                  int              d_column)
{
  gtk_widget_class_add_binding_action (widget_class, key, mods, "heatmap.move", "(ii)", d_row, d_column);
}

static void
cohort_heatmap_view_class_init (CohortHeatmapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = cohort_heatmap_view_get_property;
  object_class->set_property = cohort_heatmap_view_set_property;
  object_class->dispose = cohort_heatmap_view_dispose;
  object_class->finalize = cohort_heatmap_view_finalize;

  properties[PROP_BY_NAME] =
    g_param_spec_boolean ("by-name", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A knowledge point was chosen: its name, or one of its cells. */
  signals[POINT_ACTIVATED] =
    g_signal_new ("point-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);

  gtk_widget_class_install_action (widget_class, "heatmap.move", "(ii)", move_action);
  add_move_binding (widget_class, GDK_KEY_Up, 0, -1, 0);
  add_move_binding (widget_class, GDK_KEY_KP_Up, 0, -1, 0);
  add_move_binding (widget_class, GDK_KEY_Down, 0, 1, 0);
  add_move_binding (widget_class, GDK_KEY_KP_Down, 0, 1, 0);
  add_move_binding (widget_class, GDK_KEY_Left, 0, 0, -1);
  add_move_binding (widget_class, GDK_KEY_KP_Left, 0, 0, -1);
  add_move_binding (widget_class, GDK_KEY_Right, 0, 0, 1);
  add_move_binding (widget_class, GDK_KEY_KP_Right, 0, 0, 1);
  add_move_binding (widget_class, GDK_KEY_Home, 0, 0, -TO_END);
  add_move_binding (widget_class, GDK_KEY_End, 0, 0, TO_END);
  add_move_binding (widget_class, GDK_KEY_Home, GDK_CONTROL_MASK, -TO_END, -TO_END);
  add_move_binding (widget_class, GDK_KEY_End, GDK_CONTROL_MASK, TO_END, TO_END);
  add_move_binding (widget_class, GDK_KEY_Page_Up, 0, -10, 0);
  add_move_binding (widget_class, GDK_KEY_Page_Down, 0, 10, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "heatmapview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);
}

static void
cohort_heatmap_view_init (CohortHeatmapView *self)
{
  self->points = g_array_new (FALSE, TRUE, sizeof (Point));
  g_array_set_clear_func (self->points, (GDestroyNotify) point_clear);
  self->students = g_array_new (FALSE, TRUE, sizeof (Student));
  g_array_set_clear_func (self->students, (GDestroyNotify) student_clear);
  self->rows = g_array_new (FALSE, FALSE, sizeof (guint));
  self->columns = g_array_new (FALSE, FALSE, sizeof (guint));
  self->cells = g_ptr_array_new ();

  self->grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 3);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 3);
  gtk_widget_set_parent (self->grid, GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Mastery of the class per knowledge point"), -1);
}

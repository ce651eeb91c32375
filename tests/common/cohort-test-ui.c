/* cohort-test-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

gboolean
cohort_test_ui_wait_for (GSourceFunc condition,
                         gpointer    data,
                         guint       timeout_ms)
{
  return cohort_test_wait_for (condition, data, timeout_ms);
}

void
cohort_test_ui_settle (guint ms)
{
  cohort_test_iterate_for (ms);
}

void
cohort_test_ui_save_screenshot (GtkWidget  *widget,
                                const char *file_name)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = 0;
  int height = 0;

  /* A busy machine may not have mapped and painted the widget yet. */
  for (guint attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (attempt > 0)
        {
          gtk_widget_queue_draw (widget);
          cohort_test_ui_settle (100);
        }
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      if (width <= 0 || height <= 0 || !gtk_widget_get_mapped (widget))
        continue;
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_test_build_filename (G_TEST_BUILT, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

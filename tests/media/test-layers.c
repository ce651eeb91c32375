/* test-layers.c: a camera's lower layers and how the upload budget is
 * shared between them (no network)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gst/gst.h>

#include "cohort-media-layers.h"

static guint
sum (const guint *values,
     guint        n)
{
  guint total = 0;

  for (guint i = 0; i < n; i++)
    total += values[i];
  return total;
}

static void
test_none_below_720 (void)
{
  const CohortLayerSpec *specs = NULL;

  g_assert_cmpuint (cohort_media_layers_for (360, &specs), ==, 0);
  g_assert_null (specs);
  g_assert_cmpuint (cohort_media_layers_for (720, &specs), ==, 2);
  g_assert_nonnull (specs);
  /* Best first. */
  g_assert_cmpuint (specs[0].height, >, specs[1].height);
  g_assert_cmpuint (specs[0].bitrate, >, specs[1].bitrate);
}

static void
test_split (void)
{
  const CohortLayerSpec *specs = NULL;
  guint n = cohort_media_layers_for (720, &specs);
  guint lower[2];
  guint full;

  /* Plenty: the lower layers at their rates, the rest for the full one. */
  full = cohort_media_layers_split (specs, n, 2400000, lower);
  g_assert_cmpuint (lower[0], ==, specs[0].bitrate);
  g_assert_cmpuint (lower[1], ==, specs[1].bitrate);
  g_assert_cmpuint (full + sum (lower, n), ==, 2400000);

  /* A 1 Mbit/s uplink: everything shrinks, the total stays within it. */
  full = cohort_media_layers_split (specs, n, 800000, lower);
  g_assert_cmpuint (full + sum (lower, n), <=, 800000);
  g_assert_cmpuint (full + sum (lower, n), >=, 790000);
  g_assert_cmpuint (lower[0], <, specs[0].bitrate);
  g_assert_cmpuint (lower[1], <, specs[1].bitrate);
  g_assert_cmpuint (lower[1], >, 0);
  /* Order kept: the full picture never gets less than a lower layer's
   * share of its minimum. */
  g_assert_cmpuint (full, >, lower[1]);

  /* Shrinking is monotonic. */
  for (guint budget = 150000; budget < 3000000; budget += 50000)
    {
      guint a[2], b[2];
      guint fa = cohort_media_layers_split (specs, n, budget, a);
      guint fb = cohort_media_layers_split (specs, n, budget + 50000, b);

      g_assert_cmpuint (fa, <=, fb);
      g_assert_cmpuint (a[0], <=, b[0]);
      g_assert_cmpuint (a[1], <=, b[1]);
      g_assert_cmpuint (fa + sum (a, n), <=, budget);
    }
}

static void
test_bin (void)
{
  const CohortLayerSpec *specs = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) bin = NULL;
  g_autoptr(GstElement) venc = NULL;
  g_autoptr(GstPad) sink = NULL;
  g_autoptr(GstPad) src = NULL;
  gint target = 0;

  cohort_media_layers_for (720, &specs);
  bin = cohort_media_layer_bin_new (&specs[1], "vp8enc", 96, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bin);
  gst_object_ref_sink (bin);
  sink = gst_element_get_static_pad (bin, "sink");
  src = gst_element_get_static_pad (bin, "src");
  g_assert_nonnull (sink);
  g_assert_nonnull (src);

  /* gst_bin_get_by_name() looks into the child bins too. */
  venc = gst_bin_get_by_name (GST_BIN (bin), "venc");
  g_assert_nonnull (venc);
  g_object_get (venc, "target-bitrate", &target, NULL);
  g_assert_cmpint (target, ==, (gint) specs[1].bitrate);

  cohort_media_layer_set_bitrate (bin, 90000);
  g_object_get (venc, "target-bitrate", &target, NULL);
  g_assert_cmpint (target, ==, 90000);

  /* An encoder Cohort cannot use is an error, not a crash. */
  g_clear_error (&error);
  g_assert_null (cohort_media_layer_bin_new (&specs[1], "no-such-encoder", 96, &error));
  g_assert_nonnull (error);
}

int
main (int   argc,
      char *argv[])
{
  gst_init (&argc, &argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cohort/media/layers/none-below-720", test_none_below_720);
  g_test_add_func ("/cohort/media/layers/split", test_split);
  g_test_add_func ("/cohort/media/layers/bin", test_bin);

  return g_test_run ();
}

/* test-warm-up.c: cohort_webrtc_warm_up() loads what a first join needs
 *
 * A fresh process, no network: the warm-up thread loads the plugins a
 * call uses (DTLS among them, whose first element makes the process's
 * certificate) without anybody making an element.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-media-webrtc.h"
#include "cohort-test-wait.h"

static gboolean
plugin_loaded (const char *name)
{
  g_autoptr(GstPlugin) plugin = gst_registry_find_plugin (gst_registry_get (), name);

  return plugin != NULL && gst_plugin_is_loaded (plugin);
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_warm_up (void)
{
  /* The plugins of a subscriber: ICE, DTLS/SRTP, webrtcbin, VP8, Opus. */
  const char *plugins[] = { "nice", "dtls", "srtp", "webrtc", "vpx", "opus" };
  guint ticker;

  for (guint i = 0; i < G_N_ELEMENTS (plugins); i++)
    if (gst_registry_find_plugin (gst_registry_get (), plugins[i]) == NULL)
      {
        g_test_skip_printf ("GStreamer plugin %s is not installed", plugins[i]);
        return;
      }
  for (guint i = 0; i < G_N_ELEMENTS (plugins); i++)
    g_assert_false (plugin_loaded (plugins[i]));

  cohort_webrtc_warm_up ();
  /* Once per process: a second call starts nothing more. */
  cohort_webrtc_warm_up ();

  /* The thread does not touch the main context: wake it to look. */
  ticker = g_timeout_add (10, tick, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (plugins); i++)
    COHORT_TEST_WAIT_UNTIL (plugin_loaded (plugins[i]));
  g_source_remove (ticker);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  g_test_add_func ("/media/warm-up", test_warm_up);

  return g_test_run ();
}

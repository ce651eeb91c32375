/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cohort-application.h"
#include "cohort-video-gl.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(CohortApplication) app = NULL;

  setlocale (LC_ALL, "");
  /* Lets the demo and the tests use the catalogues of an uninstalled build. */
  bindtextdomain (GETTEXT_PACKAGE,
                  g_getenv ("COHORT_LOCALEDIR") ? g_getenv ("COHORT_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Cohort"));
  /* Before GTK starts: the renderer (cairo without a GPU) and no GL
   * driver loaded where nothing draws with it. */
  cohort_video_gl_setup_process ();

  app = cohort_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}

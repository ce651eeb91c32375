/* cohort-bench-display.c: the real app showing a live class, inside tests/media/netns-run.sh
 *
 * One JSON object on stdout. A real cohort-server with its embedded
 * Janus; a teacher in this process publishes 720p30 SMPTE bars; the real
 * `cohort` binary joins as a student under its own Xvfb (1280×800) and
 * shows the teacher on its stage:
 *   app_cpu_pct, app_rss_mb {cairo, gl}: the app's CPU (% of one core)
 *     over 20 s and its RSS at the end, with GSK_RENDERER=cairo and =gl
 *     (software GL under Xvfb);
 *   app_fps_presented {cairo, gl}: frames the app's paintables drew, read
 *     from the app's own count (COHORT_DISPLAY_STATS);
 *   app_fps_arrived {…}: frames that reached the app's sinks, drawn or
 *     not (the teacher in this process encodes them: on a loaded machine
 *     fewer than 30 a second come);
 *   the same {gl_gstgl}: the GL renderer with the GstGL path forced
 *     (COHORT_VIDEO_PATH=gl), which the app takes by default on a GPU;
 *   the same {default}: no GSK_RENDERER, what the app picks by itself
 *     (cairo here: no GPU);
 *   app_cpu_pct_small_tile: cairo, with the window made small enough
 *     that the stage's tile is about 320×180.
 * COHORT_BENCH_RUNS=cairo,default,gl,gl_gstgl,small picks runs (all by default);
 * COHORT_BENCH_SMAPS=DIR keeps each run's /proc/PID/smaps;
 * COHORT_BENCH_SMALL_RENDERER=gl makes the small run use the GL renderer
 * and COHORT_BENCH_SMALL_SCREEN=WxH sets its screen: how the GL cost
 * scales with the window's area.
 * The machine is shared: run it more than once and report the spread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cohort-bench-proc.h"
#include "cohort-media-rig.h"

#define APP_SECONDS 20

typedef struct
{
  double cpu_pct;
  double rss_mb;
  double fps;
  double fps_arrived;
  char  *tile;
} AppFigures;

/* The app's own stats file: "pid=N presented=M tile=WxH". */
typedef struct
{
  const char *path;
  GPid        pid;
  guint       presented;
  guint       arrived;
  char       *tile;
} Stats;

static gboolean
stats_read (Stats *stats)
{
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents (stats->path, &text, NULL, NULL))
    return FALSE;
  if ((p = strstr (text, "pid=")) != NULL)
    stats->pid = atoi (p + 4);
  if ((p = strstr (text, "presented=")) != NULL)
    stats->presented = (guint) g_ascii_strtoull (p + 10, NULL, 10);
  if ((p = strstr (text, "arrived=")) != NULL)
    stats->arrived = (guint) g_ascii_strtoull (p + 8, NULL, 10);
  g_clear_pointer (&stats->tile, g_free);
  if ((p = strstr (text, "tile=")) != NULL)
    stats->tile = g_strndup (p + 5, strcspn (p + 5, " \n"));
  return stats->pid > 0;
}

static gboolean
stats_presenting (gpointer data)
{
  Stats *stats = data;

  return stats_read (stats) && stats->presented >= 30;
}

/* COHORT_BENCH_SMAPS=DIR keeps the app's /proc/PID/smaps at the end of
 * each run, to see what its RSS is made of. */
static void
keep_smaps (GPid        pid,
            const char *renderer,
            const char *video_path,
            const char *geometry)
{
  const char *dir = g_getenv ("COHORT_BENCH_SMAPS");
  g_autofree char *proc = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  proc = g_strdup_printf ("/proc/%d/smaps", (int) pid);
  name = g_strdup_printf ("smaps-%s-%s-%s", renderer ? renderer : "default", video_path ? video_path : "auto", geometry);
  path = g_build_filename (dir, name, NULL);
  if (g_file_get_contents (proc, &text, NULL, NULL))
    g_file_set_contents (path, text, -1, NULL);
}

/* COHORT_BENCH_RUNS: the runs to make, comma-separated (cairo, default,
 * gl, gl_gstgl, small); all by default. */
static gboolean
wanted (const char *run)
{
  const char *runs = g_getenv ("COHORT_BENCH_RUNS");
  g_auto(GStrv) names = NULL;

  if (g_getenv ("COHORT_BENCH_ONLY_GSTGL") != NULL)
    return g_str_equal (run, "gl_gstgl") || g_str_equal (run, "small");
  if (runs == NULL || *runs == '\0')
    return TRUE;
  names = g_strsplit (runs, ",", -1);
  return g_strv_contains ((const char * const *) names, run);
}

/* Runs the app under xvfb-run and dbus-run-session until it has measured;
 * closes its stdin-less process group by killing the app, which ends the
 * wrappers. */
static gboolean
run_app (CohortMediaRig *rig,
         const char     *code,
         const char     *renderer,
         const char     *video_path,
         const char     *geometry,
         AppFigures     *out)
{
  const char *build = g_getenv ("COHORT_BUILD_DIR") ? g_getenv ("COHORT_BUILD_DIR") : "_build";
  g_autofree char *app = g_build_filename (build, "ui", "cohort", NULL);
  g_autofree char *schemas = g_build_filename (build, "data", NULL);
  g_autofree char *tmp = g_dir_make_tmp ("cohort-bench-display-XXXXXX", NULL);
  g_autofree char *stats_path = g_build_filename (tmp, "stats", NULL);
  g_autofree char *screen = g_strdup_printf ("-screen 0 %sx24", geometry);
  /* COHORT_BENCH_APP_LOG=1 keeps the app's output, to see why it fails. */
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (g_getenv ("COHORT_BENCH_APP_LOG") != NULL ?
                                                                        G_SUBPROCESS_FLAGS_NONE :
                                                                        G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GError) error = NULL;
  Stats stats = { .path = stats_path };
  guint64 t0, t1;
  gint64 w0, w1;
  guint p0, p1, a0, a1;
  long ticks = sysconf (_SC_CLK_TCK);

  /* NULL: what the app picks by itself (cairo without a GPU). */
  if (renderer != NULL)
    g_subprocess_launcher_setenv (launcher, "GSK_RENDERER", renderer, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "GSK_RENDERER");
  g_subprocess_launcher_setenv (launcher, "COHORT_DISPLAY_STATS", stats_path, TRUE);
  if (video_path != NULL)
    g_subprocess_launcher_setenv (launcher, "COHORT_VIDEO_PATH", video_path, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "COHORT_VIDEO_PATH");
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", tmp, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", tmp, TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_BACKEND", "memory", TRUE);
  g_subprocess_launcher_setenv (launcher, "GSETTINGS_SCHEMA_DIR", schemas, TRUE);
  g_subprocess_launcher_setenv (launcher, "NO_AT_BRIDGE", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  child = g_subprocess_launcher_spawn (launcher, &error, "xvfb-run", "-a", "-s", screen,
                                       "dbus-run-session", "--", app,
                                       "--server", cohort_media_rig_get_url (rig),
                                       "--code", code, "--name", "Student", NULL);
  if (child == NULL)
    {
      g_printerr ("cannot start the app: %s\n", error->message);
      return FALSE;
    }

  /* Software GL on a loaded machine can take a while for its first 30. */
  if (!cohort_media_rig_wait (stats_presenting, &stats, 60000))
    {
      g_printerr ("the app (%s) never presented a frame\n", renderer ? renderer : "default");
      g_subprocess_force_exit (child);
      g_subprocess_wait (child, NULL, NULL);
      return FALSE;
    }

  /* Two seconds to settle, then 20 s of the app alone. */
  cohort_media_rig_sleep (2000);
  stats_read (&stats);
  t0 = cohort_bench_proc_ticks (stats.pid);
  p0 = stats.presented;
  a0 = stats.arrived;
  w0 = g_get_monotonic_time ();
  cohort_media_rig_sleep (APP_SECONDS * 1000);
  stats_read (&stats);
  t1 = cohort_bench_proc_ticks (stats.pid);
  p1 = stats.presented;
  a1 = stats.arrived;
  w1 = g_get_monotonic_time ();
  out->rss_mb = cohort_bench_proc_rss_mb (stats.pid);
  out->cpu_pct = 100.0 * (t1 - t0) / ticks / ((w1 - w0) / 1e6);
  /* The stats file is written once a second: the count is up to 1 s old
   * at both ends, so the span is the same. */
  out->fps = (p1 - p0) / ((w1 - w0) / 1e6);
  out->fps_arrived = (a1 - a0) / ((w1 - w0) / 1e6);
  out->tile = g_steal_pointer (&stats.tile);
  keep_smaps (stats.pid, renderer, video_path, geometry);

  kill (stats.pid, SIGTERM);
  g_subprocess_wait (child, NULL, NULL);
  g_remove (stats_path);
  g_rmdir (tmp);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GString) out = g_string_new ("{");
  g_autoptr(CohortSession) teacher_session = NULL;
  g_autoptr(CohortCall) teacher = NULL;
  AppFigures cairo = { -1, -1, -1, -1 }, gl = { -1, -1, -1, -1 }, gstgl = { -1, -1, -1, -1 };
  AppFigures small = { -1, -1, -1, -1 }, automatic = { -1, -1, -1, -1 };
  CohortMediaRig *rig;
  const char *code;

  gst_init (&argc, &argv);

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL)
    g_error ("Run this through tests/media/netns-run.sh (bench/media.sh does)");

  g_setenv ("COHORT_TEST_QUIET_SERVER", "1", TRUE);
  rig = cohort_media_rig_start (1);
  teacher_session = cohort_media_rig_create_class (rig, "Ms Li");
  teacher = cohort_media_rig_new_call (teacher_session, 1280, 720);
  cohort_call_set_camera_on (teacher, TRUE);
  code = cohort_session_get_class_code (teacher_session);

  if (wanted ("cairo"))
    run_app (rig, code, "cairo", NULL, "1280x800", &cairo);
  /* No GSK_RENDERER: the renderer the app starts with by itself. */
  if (wanted ("default"))
    run_app (rig, code, NULL, NULL, "1280x800", &automatic);
  if (wanted ("gl"))
    run_app (rig, code, "gl", NULL, "1280x800", &gl);
  /* The GL renderer with the GstGL path forced: what a machine with a
   * GPU takes by default, here on llvmpipe. */
  if (wanted ("gl_gstgl"))
    run_app (rig, code, "gl", "gl", "1280x800", &gstgl);
  /* The smallest screen on which the window still lays out: its stage
   * tile is what app_tile_small reports. */
  if (wanted ("small"))
    run_app (rig, code, g_getenv ("COHORT_BENCH_SMALL_RENDERER") ? g_getenv ("COHORT_BENCH_SMALL_RENDERER") : "cairo",
             NULL, g_getenv ("COHORT_BENCH_SMALL_SCREEN") ? g_getenv ("COHORT_BENCH_SMALL_SCREEN")
                                                                         : "361x640", &small);

  g_string_append_printf (out, "\"app_cpu_pct\": {\"cairo\": %.1f, \"gl\": %.1f, \"gl_gstgl\": %.1f, \"default\": %.1f}, "
                          "\"app_rss_mb\": {\"cairo\": %.1f, \"gl\": %.1f, \"gl_gstgl\": %.1f, \"default\": %.1f}, "
                          "\"app_fps_presented\": {\"cairo\": %.1f, \"gl\": %.1f, \"gl_gstgl\": %.1f, \"default\": %.1f}, "
                          "\"app_fps_arrived\": {\"cairo\": %.1f, \"gl\": %.1f, \"gl_gstgl\": %.1f, \"default\": %.1f}, "
                          "\"app_cpu_pct_small_tile\": %.1f, \"app_tile\": \"%s\", \"app_tile_small\": \"%s\", "
                          "\"app_video\": \"1280x720@30 VP8\", \"app_screen\": \"1280x800\", \"app_load_avg_1m\": ",
                          cairo.cpu_pct, gl.cpu_pct, gstgl.cpu_pct, automatic.cpu_pct,
                          cairo.rss_mb, gl.rss_mb, gstgl.rss_mb, automatic.rss_mb,
                          cairo.fps, gl.fps, gstgl.fps, automatic.fps,
                          cairo.fps_arrived, gl.fps_arrived, gstgl.fps_arrived, automatic.fps_arrived,
                          small.cpu_pct, cairo.tile ? cairo.tile : "?", small.tile ? small.tile : "?");
  cohort_bench_append_load_avg (out);
  g_string_append (out, "}");
  g_print ("%s\n", out->str);

  g_free (cairo.tile);
  g_free (gl.tile);
  g_free (automatic.tile);
  g_free (gstgl.tile);
  g_free (small.tile);
  g_clear_object (&teacher);
  g_clear_object (&teacher_session);
  cohort_media_rig_free (rig);
  return 0;
}

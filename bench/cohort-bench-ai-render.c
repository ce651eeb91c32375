/* cohort-bench-ai-render.c: render_ms, parsing and laying out a long
 * Markdown answer in the Helper pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <adwaita.h>

#include "cohort-ai-answer-view.h"
#include "cohort-ai-markup.h"
#include "cohort-bench-stats.h"

#define RUNS        60
#define PANE_WIDTH  380
/* Bytes added per frame while an answer streams (about 16 tokens: a fast
 * model at 60 frames a second; slower ones add less and cost less). */
#define STREAM_STEP 64

/* About 4,000 tokens of what a model writes: headings, paragraphs with
 * inline markup and links, nested lists, a table, code and math. */
static char *
long_answer (void)
{
  GString *text = g_string_new (NULL);

  for (guint section = 1; section <= 20; section++)
    {
      g_string_append_printf (text, "## Part %u: photosynthesis, step by step\n\n", section);
      g_string_append (text, "Plants turn **light**, *water* and `CO₂` into sugar. Read more on "
                             "[the encyclopedia](https://example.org/photosynthesis) before the quiz; "
                             "the ~~old~~ new diagram helps. 光合作用在叶绿体中进行。\n\n");
      g_string_append (text, "1. Light reactions\n   - water is split: 2H₂O → 4H⁺ + O₂\n"
                             "   - ATP and NADPH are made\n2. The Calvin cycle\n"
                             "   - CO₂ is fixed by RuBisCO\n   - sugar leaves the cycle\n\n");
      g_string_append (text, "| stage | where | needs | makes |\n|:---|:---:|---|---:|\n"
                             "| light | thylakoid | light, H₂O | ATP, NADPH, O₂ |\n"
                             "| Calvin | stroma | CO₂, ATP | G3P |\n"
                             "| export | cytoplasm | G3P | sucrose |\n\n");
      g_string_append (text, "```python\ndef rate(light, co2):\n"
                             "    return min(light * 0.8, co2 * 1.2)  # the limiting factor wins\n```\n\n");
      g_string_append (text, "> Think: what limits the rate on a cold, bright day? $x^2 + \\alpha \\le 3$\n\n");
    }
  return g_string_free (text, FALSE);
}

/* One frame of the window, timed by its frame clock: the layout phase
 * (GTK's style validation, measuring and allocation run there) and the
 * paint that follows it. */
typedef struct
{
  gint64   layout_start;
  gint64   layout_end;
  gint64   cpu_start;
  gint64   cpu_end;
  gint64   paint_end;
  gboolean painted;
} Frame;

/* This thread's CPU time in µs: what the work cost, whatever else the
 * machine's cores were doing meanwhile (they are shared). */
static gint64
cpu_now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
on_update (GdkFrameClock *clock,
           Frame         *frame)
{
  frame->layout_start = g_get_monotonic_time ();
  frame->cpu_start = cpu_now ();
}

/* The layout phase may run up to four times in a frame (a resize queued
 * during layout): the last one counts. */
static void
on_layout (GdkFrameClock *clock,
           Frame         *frame)
{
  frame->layout_end = g_get_monotonic_time ();
  frame->cpu_end = cpu_now ();
}

static void
on_after_paint (GdkFrameClock *clock,
                Frame         *frame)
{
  frame->paint_end = g_get_monotonic_time ();
  frame->painted = TRUE;
}

/* Waits for the next frame and returns how long its layout took, in ms;
 * @paint_ms gets its paint. The wait for the frame itself is not counted:
 * it is idle time. */
static double
next_frame (GtkWidget *window,
            Frame     *frame,
            double    *paint_ms,
            double    *cpu_ms)
{
  frame->painted = FALSE;
  frame->layout_start = frame->layout_end = 0;
  frame->cpu_start = frame->cpu_end = 0;
  gtk_widget_queue_draw (window);
  while (!frame->painted)
    g_main_context_iteration (NULL, TRUE);
  if (paint_ms != NULL)
    *paint_ms = (frame->paint_end - frame->layout_end) / 1000.0;
  if (cpu_ms != NULL)
    *cpu_ms = (frame->cpu_end - frame->cpu_start) / 1000.0;
  return frame->layout_end > frame->layout_start ? (frame->layout_end - frame->layout_start) / 1000.0 : 0;
}

static void
print_quantiles (const char *name,
                 GArray     *samples,
                 gboolean    last)
{
  printf ("\"%s\": {\"p50\": %.2f, \"p99\": %.2f, \"max\": %.2f}%s", name,
          cohort_bench_quantile (samples, 0.5), cohort_bench_quantile (samples, 0.99),
          cohort_bench_quantile (samples, 1.0), last ? "" : ", ");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) paints = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) stream = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) parses = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) builds = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpus = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GtkCssProvider) provider = NULL;
  g_autofree char *markdown = NULL;
  guint runs = argc > 1 ? (guint) atoi (argv[1]) : RUNS;
  GtkWidget *window, *scroller, *bubble, *view = NULL;
  GdkFrameClock *clock;
  Frame frame = { 0 };
  gsize length;

  gtk_init ();
  adw_init ();
  /* The app's own style: the code cards, the table's cells. */
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/cohortclass/Cohort/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  markdown = long_answer ();
  length = strlen (markdown);

  /* The answer as the pane shows it: a bubble in a scrolled list, in a
   * window of the side panel's width, shown (under Xvfb when there is no
   * display), so that what is timed is what a student waits for. */
  window = gtk_window_new ();
  scroller = gtk_scrolled_window_new ();
  bubble = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (bubble, "ai-bubble");
  gtk_widget_add_css_class (bubble, "ai-answer");
  gtk_widget_set_margin_start (bubble, 12);
  gtk_widget_set_margin_end (bubble, 12);
  gtk_widget_set_margin_top (bubble, 6);
  gtk_widget_set_margin_bottom (bubble, 6);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), bubble);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_set_default_size (GTK_WINDOW (window), PANE_WIDTH, 700);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect_after (clock, "update", G_CALLBACK (on_update), &frame);
  g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout), &frame);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (on_after_paint), &frame);
  next_frame (window, &frame, NULL, NULL);

  /* A whole answer shown at once (history, a window opened later). */
  for (guint i = 0; i < runs; i++)
    {
      gint64 start, cpu_start;
      double build_ms, paint_ms, cpu_ms, cpu_ms_frame, ms;

      if (view != NULL)
        {
          gtk_box_remove (GTK_BOX (bubble), view);
          next_frame (window, &frame, NULL, NULL);
        }
      view = cohort_ai_answer_view_new ();
      gtk_box_append (GTK_BOX (bubble), view);
      start = g_get_monotonic_time ();
      cpu_start = cpu_now ();
      cohort_ai_answer_view_set_markdown (COHORT_AI_ANSWER_VIEW (view), markdown);
      build_ms = (g_get_monotonic_time () - start) / 1000.0;
      cpu_ms = (cpu_now () - cpu_start) / 1000.0;
      ms = build_ms + next_frame (window, &frame, &paint_ms, &cpu_ms_frame);
      cpu_ms += cpu_ms_frame;
      g_array_append_val (samples, ms);
      g_array_append_val (cpus, cpu_ms);
      g_array_append_val (paints, paint_ms);
      g_array_append_val (builds, build_ms);
    }

  /* Of which the Markdown parse alone (md4c and the blocks' markup). */
  for (guint i = 0; i < runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) blocks = cohort_ai_markdown_parse (markdown);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      g_array_append_val (parses, ms);
    }

  /* The same answer streaming in: one render per frame, as the page does. */
  gtk_box_remove (GTK_BOX (bubble), view);
  view = cohort_ai_answer_view_new ();
  gtk_box_append (GTK_BOX (bubble), view);
  next_frame (window, &frame, NULL, NULL);
  for (gsize end = STREAM_STEP; end < length + STREAM_STEP; end += STREAM_STEP)
    {
      gsize cut = MIN (end, length);
      g_autofree char *prefix = NULL;
      gint64 start;
      double ms;

      /* At a character's start: tokens are whole characters. */
      while (cut < length && (markdown[cut] & 0xC0) == 0x80)
        cut--;
      prefix = g_strndup (markdown, cut);
      start = g_get_monotonic_time ();
      cohort_ai_answer_view_set_markdown (COHORT_AI_ANSWER_VIEW (view), prefix);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      ms += next_frame (window, &frame, NULL, NULL);
      g_array_append_val (stream, ms);
    }
  gtk_window_destroy (GTK_WINDOW (window));

  printf ("\"render_tokens\": %u, \"render_runs\": %u, ", (guint) (length / 4), runs);
  print_quantiles ("render_ms", samples, FALSE);
  print_quantiles ("render_cpu_ms", cpus, FALSE);
  print_quantiles ("render_parse_ms", parses, FALSE);
  print_quantiles ("render_build_ms", builds, FALSE);
  print_quantiles ("render_paint_ms", paints, FALSE);
  print_quantiles ("render_stream_frame_ms", stream, TRUE);
  printf ("\n");
  return 0;
}

/* cohort-bench-ai-render.c: render_ms, parsing and laying out a long
 * Markdown answer in the Helper pane
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>

#include <adwaita.h>

#include "cohort-ai-answer-view.h"
#include "cohort-bench-stats.h"

#define RUNS        60
#define PANE_WIDTH  380

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

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *markdown = NULL;
  GtkWidget *window;

  gtk_init ();
  adw_init ();
  markdown = long_answer ();

  /* The pane's width; the window is never shown, so what is timed is the
   * parse, the widgets and their layout, not the X server. */
  window = gtk_window_new ();
  for (guint i = 0; i < RUNS; i++)
    {
      GtkWidget *view = cohort_ai_answer_view_new ();
      int height = 0;
      gint64 start;
      double ms;

      gtk_window_set_child (GTK_WINDOW (window), view);
      start = g_get_monotonic_time ();
      cohort_ai_answer_view_set_markdown (COHORT_AI_ANSWER_VIEW (view), markdown);
      gtk_widget_measure (view, GTK_ORIENTATION_VERTICAL, PANE_WIDTH, NULL, &height, NULL, NULL);
      gtk_widget_size_allocate (view, &(GtkAllocation) { 0, 0, PANE_WIDTH, height }, -1);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (samples, ms);
      gtk_window_set_child (GTK_WINDOW (window), NULL);
    }
  gtk_window_destroy (GTK_WINDOW (window));

  printf ("\"render_ms\": {\"p50\": %.2f, \"p99\": %.2f, \"tokens\": %u, \"runs\": %u, \"target_p99\": 50}\n",
          cohort_bench_quantile (samples, 0.5), cohort_bench_quantile (samples, 0.99),
          (guint) (strlen (markdown) / 4), RUNS);
  return 0;
}

/* test-ai-answer-ui.c: a helper answer's Markdown as widgets, under Xvfb:
 * tables are grids, links ask before they open, code has a Copy button
 * and scrolls sideways; screenshots in English and Chinese, light and dark.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ai-answer-ui"

#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "cohort-ai-answer-view.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

static const char answer_en[] =
  "## Photosynthesis in short\n\n"
  "Plants turn **light**, *water* and CO₂ into sugar: 6CO₂ + 6H₂O → C₆H₁₂O₆ + 6O₂.\n\n"
  "| Stage | Where | Needs |\n|---|:-:|--:|\n| Light reactions | thylakoid | light, water |\n"
  "| Calvin cycle | stroma | CO₂, ATP |\n\n"
  "1. Light reactions\n   - split water\n   - make ATP\n2. Calvin cycle\n\n"
  "> Remember: no light, no sugar.\n\n"
  "```python\nrate = light_intensity * co2_concentration * leaf_area  # a very long line that scrolls\n```\n\n"
  "Read more on [Wikipedia](https://en.wikipedia.org/wiki/Photosynthesis). "
  "Inline math stays readable: \\(E = h\\nu\\), $a \\times b \\le c$.";

static const char answer_zh[] =
  "## 光合作用简介\n\n"
  "植物利用**光**、*水*和二氧化碳制造糖：6CO₂ + 6H₂O → C₆H₁₂O₆ + 6O₂。\n\n"
  "| 阶段 | 场所 | 需要 |\n|---|:-:|--:|\n| 光反应 | 类囊体 | 光、水 |\n| 卡尔文循环 | 基质 | CO₂、ATP |\n\n"
  "1. 光反应\n   - 分解水\n   - 产生 ATP\n2. 卡尔文循环\n\n"
  "> 记住：没有光，就没有糖。\n\n"
  "```python\nrate = light_intensity * co2_concentration * leaf_area  # 很长的一行会横向滚动\n```\n\n"
  "详见[维基百科](https://zh.wikipedia.org/wiki/光合作用)。行内公式：\\(E = h\\nu\\)。";

/* A window of the side panel's width holding @markdown in an answer
 * bubble, as the Helper page shows it. */
static CohortAiAnswerView *
show_answer (const char  *markdown,
             int          width,
             GtkWidget  **out_window)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *bubble = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *view = cohort_ai_answer_view_new ();

  gtk_widget_add_css_class (bubble, "ai-bubble");
  gtk_widget_add_css_class (bubble, "ai-answer");
  gtk_widget_set_margin_start (bubble, 12);
  gtk_widget_set_margin_end (bubble, 12);
  gtk_widget_set_margin_top (bubble, 12);
  gtk_widget_set_margin_bottom (bubble, 12);
  gtk_box_append (GTK_BOX (bubble), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), bubble);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_set_default_size (GTK_WINDOW (window), width, 900);
  cohort_ai_answer_view_set_markdown (COHORT_AI_ANSWER_VIEW (view), markdown);
  gtk_window_present (GTK_WINDOW (window));
  cohort_test_ui_settle (300);

  *out_window = window;
  return COHORT_AI_ANSWER_VIEW (view);
}

static gboolean
is_grid (GtkWidget     *widget,
         gconstpointer  data)
{
  return GTK_IS_GRID (widget);
}

/* A cell's label: the grid's child holds it. */
static GtkWidget *
cell_label (GtkWidget *grid,
            int        column,
            int        row)
{
  GtkWidget *cell = gtk_grid_get_child_at (GTK_GRID (grid), column, row);
  GtkWidget *label = cohort_test_ui_find (cell, cohort_test_ui_is_type, "GtkLabel");

  g_assert_nonnull (label);
  return label;
}

static const char *
cell_text (GtkWidget *grid,
           int        column,
           int        row)
{
  return gtk_label_get_text (GTK_LABEL (cell_label (grid, column, row)));
}

/* A table answer is a grid with the cells in their places. */
static void
test_table_grid (void)
{
  GtkWidget *window;
  CohortAiAnswerView *view = show_answer (answer_en, 360, &window);
  GtkWidget *grid = cohort_test_ui_find_shown (GTK_WIDGET (view), is_grid, NULL);
  GtkWidget *cell;

  g_assert_nonnull (grid);
  g_assert_cmpstr (cell_text (grid, 0, 0), ==, "Stage");
  g_assert_cmpstr (cell_text (grid, 2, 0), ==, "Needs");
  g_assert_cmpstr (cell_text (grid, 0, 1), ==, "Light reactions");
  g_assert_cmpstr (cell_text (grid, 1, 2), ==, "stroma");
  g_assert_cmpstr (cell_text (grid, 2, 2), ==, "CO₂, ATP");
  g_assert_null (gtk_grid_get_child_at (GTK_GRID (grid), 3, 0));
  g_assert_null (gtk_grid_get_child_at (GTK_GRID (grid), 0, 3));
  /* The header row stands out; the alignment row's colons hold. */
  g_assert_true (gtk_widget_has_css_class (gtk_grid_get_child_at (GTK_GRID (grid), 0, 0), "ai-header-cell"));
  cell = cell_label (grid, 2, 1);
  g_assert_cmpfloat (gtk_label_get_xalign (GTK_LABEL (cell)), ==, 1.0f);
  /* The Markdown's own syntax is gone from what is shown. */
  g_assert_null (cohort_test_ui_find_shown (GTK_WIDGET (view), cohort_test_ui_is_label, "|---|:-:|--:|"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
label_with_link (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), "<a href=") != NULL;
}

static gboolean
open_uri_recorded (CohortAiAnswerView *view,
                   const char         *uri,
                   GPtrArray          *opened)
{
  g_ptr_array_add (opened, g_strdup (uri));
  return TRUE;   /* no browser under test */
}

static AdwMessageDialog *
click_link (GtkWidget  *label,
            const char *uri)
{
  gboolean handled = FALSE;

  /* What GtkLabel emits when its link is clicked. */
  g_signal_emit_by_name (label, "activate-link", uri, &handled);
  g_assert_true (handled);
  return cohort_test_ui_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 5000);
}

/* A link shows its address and opens only once the student agrees. */
static void
test_link_asks (void)
{
  g_autoptr(GPtrArray) opened = g_ptr_array_new_with_free_func (g_free);
  const char *uri = "https://en.wikipedia.org/wiki/Photosynthesis";
  GtkWidget *window;
  CohortAiAnswerView *view = show_answer (answer_en, 360, &window);
  GtkWidget *label = cohort_test_ui_find_shown (GTK_WIDGET (view), label_with_link, NULL);
  AdwMessageDialog *dialog;

  g_signal_connect (view, "open-uri", G_CALLBACK (open_uri_recorded), opened);
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)),
                            "<a href=\"https://en.wikipedia.org/wiki/Photosynthesis\">Wikipedia</a>"));

  /* Cancel: nothing opens. */
  dialog = click_link (label, uri);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, uri);
  g_assert_false (adw_message_dialog_get_body_use_markup (dialog));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  cohort_test_ui_settle (200);
  cohort_test_ui_save_screenshot (GTK_WIDGET (dialog), "ai-answer-link-dialog.png");
  adw_message_dialog_response (dialog, "cancel");
  cohort_test_ui_settle (100);
  g_assert_cmpuint (opened->len, ==, 0);

  /* Open: the address, and only it, goes to the browser. */
  dialog = click_link (label, uri);
  adw_message_dialog_response (dialog, "open");
  cohort_test_ui_settle (100);
  g_assert_cmpuint (opened->len, ==, 1);
  g_assert_cmpstr (opened->pdata[0], ==, uri);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_copy_button (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_has_css_class (widget, "ai-code-copy");
}

/* The clipboard's text, read through its content provider: the clipboard
 * is this process's own (gdk_clipboard_is_local). */
static char *
clipboard_text (GdkClipboard *clipboard)
{
  GdkContentProvider *content = gdk_clipboard_get_content (clipboard);
  g_auto(GValue) value = G_VALUE_INIT;

  /* X11 takes the selection in a round trip. */
  COHORT_TEST_WAIT_UNTIL (gdk_clipboard_is_local (clipboard));
  content = gdk_clipboard_get_content (clipboard);
  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
  return g_value_dup_string (&value);
}

static gboolean
is_scrolled_window (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_SCROLLED_WINDOW (widget);
}

/* The Copy button puts the code, exactly, on the clipboard; a long line
 * scrolls sideways instead of wrapping. */
static void
test_copy_code (void)
{
  const char *code = "rate = light_intensity * co2_concentration * leaf_area  # a very long line that scrolls";
  GtkWidget *window;
  CohortAiAnswerView *view = show_answer (answer_en, 360, &window);
  GtkWidget *button = cohort_test_ui_find_shown (GTK_WIDGET (view), is_copy_button, NULL);
  GtkWidget *code_box, *scroller;
  GtkAdjustment *h;
  g_autofree char *text = NULL;

  g_assert_nonnull (button);
  gtk_widget_activate (button);
  /* A button activated from the keyboard clicks after its press shows. */
  COHORT_TEST_WAIT_UNTIL (g_strcmp0 (gtk_widget_get_tooltip_text (button), "Copied") == 0);
  text = clipboard_text (gtk_widget_get_clipboard (button));
  g_assert_cmpstr (text, ==, code);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Copied");

  code_box = gtk_widget_get_ancestor (button, GTK_TYPE_BOX);
  code_box = gtk_widget_get_parent (code_box);
  scroller = cohort_test_ui_find_shown (code_box, is_scrolled_window, NULL);
  g_assert_nonnull (scroller);
  g_assert_nonnull (cohort_test_ui_find_shown (scroller, cohort_test_ui_is_label, code));
  h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_cmpfloat (gtk_adjustment_get_upper (h), >, gtk_adjustment_get_page_size (h));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* While an answer streams in, the blocks already shown keep their
 * widgets, the growing one is updated in place. */
static void
test_streaming_keeps_widgets (void)
{
  GtkWidget *window, *grid;
  CohortAiAnswerView *view = show_answer ("# Title\n\nFirst para", 360, &window);
  GtkWidget *heading = gtk_widget_get_first_child (GTK_WIDGET (view));
  GtkWidget *para = gtk_widget_get_next_sibling (heading);
  gsize len = strlen (answer_en);

  cohort_ai_answer_view_set_markdown (view, "# Title\n\nFirst paragraph, longer");
  g_assert_true (gtk_widget_get_first_child (GTK_WIDGET (view)) == heading);
  g_assert_true (gtk_widget_get_next_sibling (heading) == para);
  g_assert_nonnull (cohort_test_ui_find_shown (GTK_WIDGET (view), cohort_test_ui_is_label,
                                               "First paragraph, longer"));

  /* Every prefix of an answer renders (unclosed tables, fences, links). */
  for (gsize i = 0; i <= len; i += 7)
    {
      g_autofree char *prefix = g_strndup (answer_en, i);

      cohort_ai_answer_view_set_markdown (view, prefix);
      g_main_context_iteration (NULL, FALSE);
    }
  cohort_ai_answer_view_set_markdown (view, answer_en);
  g_assert_nonnull (cohort_test_ui_find_shown (GTK_WIDGET (view), is_grid, NULL));

  /* A table keeps its grid as its rows come; a changed cell is updated. */
  cohort_ai_answer_view_set_markdown (view, "| a | b |\n|---|---|\n| 1 | 2");
  cohort_test_ui_settle (100);
  grid = cohort_test_ui_find_shown (GTK_WIDGET (view), is_grid, NULL);
  g_assert_nonnull (grid);
  cohort_ai_answer_view_set_markdown (view, "| a | b |\n|---|---|\n| 1 | 22 |\n| 3 | 4");
  cohort_test_ui_settle (100);
  g_assert_true (cohort_test_ui_find_shown (GTK_WIDGET (view), is_grid, NULL) == grid);
  g_assert_cmpstr (cell_text (grid, 1, 1), ==, "22");
  g_assert_cmpstr (cell_text (grid, 1, 2), ==, "4");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Tags in an answer are text, in paragraphs, cells, headings and code. */
static void
test_injection (void)
{
  GtkWidget *window;
  CohortAiAnswerView *view =
    show_answer ("# <big>H</big>\n\nA <span foreground=\"red\">red</span> &amp;\n\n"
                 "| <b>c</b> |\n|---|\n| <i |\n\n```\n<tt>x</tt>\n```", 360, &window);

  g_assert_nonnull (cohort_test_ui_find_shown (GTK_WIDGET (view), cohort_test_ui_is_label, "<big>H</big>"));
  g_assert_nonnull (cohort_test_ui_find_shown (GTK_WIDGET (view), cohort_test_ui_is_label,
                                               "A <span foreground=\"red\">red</span> &amp;"));
  g_assert_nonnull (cohort_test_ui_find_shown (GTK_WIDGET (view), cohort_test_ui_is_label, "<b>c</b>"));
  g_assert_nonnull (cohort_test_ui_find_shown (GTK_WIDGET (view), cohort_test_ui_is_label, "<i"));
  g_assert_nonnull (cohort_test_ui_find_shown (GTK_WIDGET (view), cohort_test_ui_is_label, "<tt>x</tt>"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
screenshots (const char *markdown,
             const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint dark = 0; dark < 2; dark++)
    {
      g_autofree char *file = g_strdup_printf ("ai-answer-%s-%s.png", name, dark ? "dark" : "light");
      GtkWidget *window;

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      show_answer (markdown, 380, &window);
      /* Not the first label's focus, which selects its text. */
      gtk_window_set_focus (GTK_WINDOW (window), NULL);
      cohort_test_ui_settle (300);
      cohort_test_ui_save_screenshot (window, file);
      gtk_window_destroy (GTK_WINDOW (window));
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_screenshots (void)
{
  screenshots (answer_en, "en");
  screenshots (answer_zh, "zh");
}

int
main (int   argc,
      char *argv[])
{
  cohort_test_ui_init_display (&argc, &argv);

  g_test_add_func ("/cohort/ai-answer/table-grid", test_table_grid);
  g_test_add_func ("/cohort/ai-answer/link-asks", test_link_asks);
  g_test_add_func ("/cohort/ai-answer/copy-code", test_copy_code);
  g_test_add_func ("/cohort/ai-answer/streaming-keeps-widgets", test_streaming_keeps_widgets);
  g_test_add_func ("/cohort/ai-answer/injection", test_injection);
  g_test_add_func ("/cohort/ai-answer/screenshots", test_screenshots);

  return cohort_test_ui_run (NULL, NULL);
}

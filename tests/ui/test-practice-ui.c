/* test-practice-ui.c: adaptive practice in the real app against a real
 * server: knowledge points in the question editor; the student's
 * Progress and Practice window from the class window (the chart, next up,
 * a set answered right and wrong with the explanation at once, "Why?",
 * the history); the teacher's Mastery window (the heatmap weakest first,
 * the practice switch, a point's set launched live)
 *
 * COHORT_TEST_LANGUAGE=zh_CN (with COHORT_LOCALEDIR) runs it in that
 * language, for screenshots (practice-*-zh_CN.png).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-practice-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "cohort-practice-protocol.h"
#include "cohort-quiz-model.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

#include "cohort-class-window-private.h"
#include "cohort-home-row.h"
#include "cohort-home-window.h"
#include "cohort-test-client.h"
#include "cohort-token-store.h"
#include "cohort-heatmap-view.h"
#include "cohort-mastery-chart.h"
#include "cohort-mastery-window.h"
#include "cohort-practice-page.h"
#include "cohort-practice-window.h"
#include "cohort-quiz-editor.h"
#include "cohort-quiz-page.h"
#include "cohort-quiz-protocol.h"

static CohortTestServer *server;
static const char *language;

static void
shots (gpointer    widget,
       const char *name)
{
  cohort_test_ui_save_light_and_dark (widget, "practice", name, language);
}

#define phone_width cohort_test_ui_phone_width

/* A teacher's session, in a new class, with a quiz model fed from the
 * welcome on. */
static CohortSession *
new_teacher (CohortQuizModel **model)
{
  CohortSession *session = cohort_session_new ();

  *model = cohort_quiz_model_new (session);
  cohort_test_session_create_class_with (session, cohort_test_server_get_url (server), "Maths", "Ms Li");
  return session;
}

static AdwEntryRow *
entry_row_titled (GtkWidget  *root,
                  const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  cohort_test_ui_find_all (root, cohort_test_ui_is_type, "AdwEntryRow", rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);
  return NULL;
}

/* The radio button of the row titled @title. */
static GtkCheckButton *
radio_titled (GtkWidget  *root,
              const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  cohort_test_ui_find_all (root, cohort_test_ui_is_type, "AdwActionRow", rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return GTK_CHECK_BUTTON (adw_action_row_get_activatable_widget (g_ptr_array_index (rows, i)));
  return NULL;
}

static void
fill_choice_question (CohortQuizEditor *editor,
                      const char       *prompt)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  GtkWidget *view = cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_type, "GtkTextView");

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), prompt, -1);
  cohort_test_ui_find_all (GTK_WIDGET (editor), cohort_test_ui_is_type, "GtkCheckButton", checks);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_ancestor (g_ptr_array_index (checks, 0), ADW_TYPE_ENTRY_ROW)),
                         "1/2");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_ancestor (g_ptr_array_index (checks, 1), ADW_TYPE_ENTRY_ROW)),
                         "2/3");
  gtk_check_button_set_active (g_ptr_array_index (checks, 0), TRUE);
}

/* The editor tags a question with knowledge points and its use in
 * practice; the server keeps both, and the editor reads them back. */
static void
test_editor_tags (void)
{
  g_autoptr(CohortQuizModel) model = NULL;
  g_autoptr(CohortSession) teacher = new_teacher (&model);
  CohortQuizEditor *editor = cohort_quiz_editor_new (model, NULL);
  GListModel *bank = cohort_quiz_model_get_bank (model);
  AdwEntryRow *points;
  GtkCheckButton *after_live;
  g_autoptr(CohortQuizQuestion) saved = NULL;
  g_auto(GStrv) names = NULL;
  const char *expected[] = { "Fractions", "Common denominator", "分数", NULL };
  g_autoptr(CohortMasteryHeatmap) heatmap = NULL;

  gtk_window_present (GTK_WINDOW (editor));
  points = entry_row_titled (GTK_WIDGET (editor), _("Knowledge points"));
  after_live = radio_titled (GTK_WIDGET (editor), _("Practice after a live quiz"));
  g_assert_nonnull (points);
  g_assert_nonnull (after_live);
  fill_choice_question (editor, "Which is larger?");

  /* Six points: one too many, said in words, the row focused. */
  gtk_editable_set_text (GTK_EDITABLE (points), "a; b; c; d; e; f");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  if (language == NULL)
    g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_label,
                                           "A question practises at most 5 knowledge points: remove some."));

  /* Semicolons of either width, spaces and a second spelling of the
   * same point do not count. */
  gtk_editable_set_text (GTK_EDITABLE (points), "Fractions; Common denominator ; fractions；分数;;");
  gtk_widget_activate (GTK_WIDGET (after_live));
  phone_width (editor, 900);
  shots (editor, "editor");

  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (bank) == 1);
  COHORT_TEST_WAIT_UNTIL (editor == NULL || !gtk_widget_get_visible (GTK_WIDGET (editor)));
  if (editor != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
      gtk_window_destroy (GTK_WINDOW (editor));
    }

  /* As the server has it. */
  saved = g_list_model_get_item (bank, 0);
  names = cohort_quiz_question_dup_knowledge_points (saved);
  g_assert_cmpstrv (names, expected);
  g_assert_cmpstr (cohort_quiz_question_get_practice_use (saved), ==, COHORT_PRACTICE_USE_AFTER_LIVE);

  /* Opened again, the form shows them. */
  editor = cohort_quiz_editor_new (model, saved);
  points = entry_row_titled (GTK_WIDGET (editor), _("Knowledge points"));
  after_live = radio_titled (GTK_WIDGET (editor), _("Practice after a live quiz"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (points)), ==, "Fractions; Common denominator; 分数");
  g_assert_true (gtk_check_button_get_active (after_live));
  gtk_window_destroy (GTK_WINDOW (editor));

  /* A new question picks the class's points from a menu. */
  heatmap = cohort_mastery_heatmap_new (teacher);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_mastery_heatmap_get_points (heatmap)) == 3);
  editor = cohort_quiz_editor_new (model, NULL);
  cohort_quiz_editor_set_known_points (editor, cohort_mastery_heatmap_get_points (heatmap));
  gtk_window_present (GTK_WINDOW (editor));
  points = entry_row_titled (GTK_WIDGET (editor), _("Knowledge points"));
  {
    GtkWidget *menu = NULL;
    GtkListBox *list;
    GtkListBoxRow *row = NULL;

    COHORT_TEST_WAIT_UNTIL ((menu = cohort_test_ui_find_shown (GTK_WIDGET (editor), cohort_test_ui_is_type,
                                                               "GtkMenuButton")) != NULL);
    list = GTK_LIST_BOX (cohort_test_ui_find (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu))),
                                              cohort_test_ui_is_type, "GtkListBox"));
    for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
      if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "name"), "分数") == 0)
        break;
    g_assert_nonnull (row);
    gtk_menu_button_popup (GTK_MENU_BUTTON (menu));
    shots (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu)), "editor-points-menu");
    g_signal_emit_by_name (list, "row-activated", row);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (points)), ==, "分数");
  }
  gtk_window_destroy (GTK_WINDOW (editor));
}

/* Two points; every question explained. Fractions has more questions, so
 * a set has both. */
static const char bank[] =
  "{\"file\": {\"format\":\"cohort-quiz\",\"version\":2,\"questions\":["
  "{\"type\":\"true_false\",\"prompt\":\"1/2 is larger than 1/3.\",\"correct\":true,"
  "\"explanation\":\"Halves are larger pieces than thirds.\",\"knowledge_points\":[\"Fractions\"]},"
  "{\"type\":\"single\",\"prompt\":\"Which is equal to 2/4?\",\"choices\":[\"1/4\",\"1/2\",\"2/8\"],\"correct\":[1],"
  "\"explanation\":\"Divide the top and the bottom by 2.\",\"knowledge_points\":[\"Fractions\"]},"
  "{\"type\":\"true_false\",\"prompt\":\"3/4 is less than 2/3.\",\"correct\":false,"
  "\"explanation\":\"9/12 is more than 8/12.\",\"knowledge_points\":[\"Fractions\"]},"
  "{\"type\":\"single\",\"prompt\":\"0.5 written as a fraction?\",\"choices\":[\"1/5\",\"1/2\"],\"correct\":[1],"
  "\"explanation\":\"0.5 is five tenths, one half.\",\"knowledge_points\":[\"Decimals\"]},"
  "{\"type\":\"short\",\"prompt\":\"0.25 + 0.5 = ?\",\"accepted\":[\"0.75\"],"
  "\"explanation\":\"Line up the decimal points.\",\"knowledge_points\":[\"Decimals\"]}"
  "]}}";

static void
import_bank (CohortSession *teacher)
{
  g_autoptr(JsonNode) node = json_from_string (bank, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = cohort_test_session_request (teacher, COHORT_REQ_QUIZ_IMPORT,
                                                            json_node_get_object (node), &error);

  g_assert_no_error (error);
  g_assert_nonnull (reply);
}

static GtkWidget *
check_labelled (GtkWidget  *root,
                const char *text)
{
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();

  cohort_test_ui_find_all (root, cohort_test_ui_is_type, "GtkCheckButton", checks);
  for (guint i = 0; i < checks->len; i++)
    if (g_strcmp0 (gtk_check_button_get_label (g_ptr_array_index (checks, i)), text) == 0)
      return g_ptr_array_index (checks, i);
  return NULL;
}

/* Gives the answer to the question on @page, right or wrong on purpose. */
static void
answer (CohortPracticePage *page,
        gboolean            right)
{
  CohortPracticeItem *item = cohort_practice_page_get_item (page);
  const char *prompt = cohort_practice_item_get_prompt (item);
  GtkWidget *root = GTK_WIDGET (page);
  const char *choice = NULL;

  if (g_str_equal (prompt, "1/2 is larger than 1/3."))
    choice = right ? _("True") : _("False");
  else if (g_str_equal (prompt, "3/4 is less than 2/3."))
    choice = right ? _("False") : _("True");
  else if (g_str_equal (prompt, "Which is equal to 2/4?") || g_str_equal (prompt, "0.5 written as a fraction?"))
    choice = right ? "1/2" : (g_str_has_prefix (prompt, "0.5") ? "1/5" : "1/4");

  if (choice != NULL)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (check_labelled (root, choice)), TRUE);
  else
    {
      GtkWidget *entry = cohort_test_ui_find (root, cohort_test_ui_is_type, "GtkEntry");

      g_assert_nonnull (entry);
      gtk_editable_set_text (GTK_EDITABLE (entry), right ? "0.75" : "0.7");
    }
  g_assert_true (gtk_widget_activate_action (root, "practice.check", NULL));
  COHORT_TEST_WAIT_UNTIL (cohort_practice_item_get_answered (item));
  g_assert_cmpint (cohort_practice_item_get_correct (item), ==, right);
}

/* A match for cohort_test_ui_find(): an actionable widget of action @data. */
static gboolean
has_action (GtkWidget     *widget,
            gconstpointer  action)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

/* A match for cohort_test_ui_find(): a button labelled @data. */
static gboolean
has_action_or_label (GtkWidget     *widget,
                     gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static void
test_student (void)
{
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Maths", "Ms Li");
  g_autoptr(CohortSession) student = cohort_test_session_join (url, teacher, "Ann");
  CohortClassWindow *window;
  CohortPracticeWindow *practice_window;
  CohortPracticePage *page;
  CohortPractice *practice;
  CohortMasteryChart *chart;
  GtkWidget *why_label;
  g_autofree char *practised = NULL;
  guint n;

  import_bank (teacher);
  window = cohort_test_ui_present_class (student);
  COHORT_TEST_WAIT_UNTIL (gtk_widget_activate_action (GTK_WIDGET (window), "class.show-practice", NULL) &&
                          window->practice_window != NULL);
  practice_window = cohort_test_ui_wait_toplevel (COHORT_TYPE_PRACTICE_WINDOW, 5000);
  practice = cohort_practice_window_get_practice (practice_window);
  chart = COHORT_MASTERY_CHART (cohort_practice_window_get_chart (practice_window));

  /* Progress: both points, not started; next up names one. */
  COHORT_TEST_WAIT_UNTIL (cohort_mastery_chart_get_n_bars (chart) == 2);
  g_assert_cmpuint (cohort_practice_get_next_up_count (practice), >, 0);
  if (language == NULL)
    {
      g_autofree char *next = g_strdup_printf ("Next up: %u questions on %s",
                                               cohort_practice_get_next_up_count (practice),
                                               cohort_practice_get_next_up_name (practice));

      g_assert_nonnull (cohort_test_ui_find_shown (GTK_WIDGET (practice_window), cohort_test_ui_is_label, next));
      g_assert_nonnull (strstr (cohort_mastery_chart_get_description (chart), "Fractions: –, Not started"));
    }
  phone_width (practice_window, 720);
  shots (practice_window, "progress-new");

  /* Practise now: one question at a time. */
  practised = g_strdup (cohort_practice_get_next_up_name (practice));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (practice_window), "practice-window.practise-next", NULL));
  g_assert_cmpstr (cohort_practice_window_get_page (practice_window), ==, "practice");
  page = COHORT_PRACTICE_PAGE (cohort_practice_window_get_practice_page (practice_window));
  COHORT_TEST_WAIT_UNTIL (g_strcmp0 (cohort_practice_page_get_page (page), "question") == 0);
  /* "Practise Now" practises what Next up named. */
  n = g_list_model_get_n_items (cohort_practice_get_set (practice));
  g_assert_cmpuint (n, >=, 2);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortPracticeItem) item = g_list_model_get_item (cohort_practice_get_set (practice), i);

      g_assert_cmpint (cohort_practice_item_get_point_id (item), ==, cohort_practice_get_next_up_point_id (practice));
    }
  g_assert_cmpuint (cohort_practice_page_get_position (page), ==, 0);
  shots (practice_window, "question");

  /* Wrong: said at once, with the key and the explanation; Why? offered. */
  answer (page, FALSE);
  COHORT_TEST_WAIT_UNTIL (cohort_test_ui_find_shown (GTK_WIDGET (page), cohort_test_ui_is_label, _("✗ Not quite")));
  COHORT_TEST_WAIT_UNTIL (cohort_test_ui_find_shown (GTK_WIDGET (page), cohort_test_ui_is_label,
                                                     cohort_practice_item_get_explanation (
                                                       cohort_practice_page_get_item (page))));
  COHORT_TEST_WAIT_UNTIL (cohort_test_ui_find_shown (GTK_WIDGET (page), has_action, "practice.why") != NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "practice.why", NULL));
  /* The test server has no AI provider: the helper says so, in the page. */
  why_label = NULL;
  COHORT_TEST_WAIT_UNTIL (!cohort_practice_item_get_why_busy (cohort_practice_page_get_item (page)) &&
                          (why_label = cohort_test_ui_find_shown (GTK_WIDGET (page), cohort_test_ui_is_type,
                                                                  "GtkSpinner")) == NULL);
  shots (practice_window, "wrong");

  /* Right: and on to the end of the set. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "practice.next-question", NULL));
  g_assert_cmpuint (cohort_practice_page_get_position (page), ==, 1);
  answer (page, TRUE);
  COHORT_TEST_WAIT_UNTIL (cohort_test_ui_find_shown (GTK_WIDGET (page), cohort_test_ui_is_label, _("✓ Right!")));
  g_assert_null (cohort_test_ui_find_shown (GTK_WIDGET (page), has_action, "practice.why"));
  shots (practice_window, "right");
  for (guint i = 2; i < n; i++)
    {
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "practice.next-question", NULL));
      answer (page, TRUE);
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "practice.next-question", NULL));
  g_assert_cmpstr (cohort_practice_page_get_page (page), ==, "done");
  g_assert_cmpuint (cohort_practice_page_get_n_correct (page), ==, n - 1);
  shots (practice_window, "done");

  /* Progress again: the history has every answer, newest first. */
  cohort_practice_window_set_page (practice_window, "progress");
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_practice_get_history (practice)) == n &&
                          !cohort_practice_get_loading (practice));
  /* The point practised has an estimate in the chart now. */
  {
    g_autofree char *none = g_strdup_printf ("%s: –", practised);

    COHORT_TEST_WAIT_UNTIL (strstr (cohort_mastery_chart_get_description (chart), none) == NULL);
  }
  shots (practice_window, "progress");

  /* Asked again, the same window comes back. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "class.show-practice", NULL));
  g_assert_true (window->practice_window == GTK_WIDGET (practice_window));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
quiz_open (gpointer data)
{
  return cohort_quiz_model_get_state (data) == COHORT_QUIZ_STATE_OPEN;
}

/* The bank's question whose prompt starts with @prefix. */
static CohortQuizQuestion *
bank_question (CohortQuizModel *quiz,
               const char      *prefix)
{
  GListModel *questions = cohort_quiz_model_get_bank (quiz);

  for (guint i = 0; i < g_list_model_get_n_items (questions); i++)
    {
      g_autoptr(CohortQuizQuestion) q = g_list_model_get_item (questions, i);

      if (g_str_has_prefix (cohort_quiz_question_get_prompt (q), prefix))
        return g_steal_pointer (&q);
    }
  return NULL;
}

static gboolean
bank_first_tag_is (CohortQuizModel *quiz,
                   const char      *prefix,
                   const char      *tag)
{
  g_autoptr(CohortQuizQuestion) q = bank_question (quiz, prefix);
  g_auto(GStrv) tags = q != NULL ? cohort_quiz_question_dup_knowledge_points (q) : NULL;

  return tags != NULL && g_strcmp0 (tags[0], tag) == 0;
}

static void
test_teacher (void)
{
  const char *url = cohort_test_server_get_url (server);
  g_autoptr(CohortSession) teacher = cohort_test_session_create_class (url, "Maths", "Ms Li");
  g_autoptr(CohortSession) ann = cohort_test_session_join (url, teacher, "Ann");
  /* One student: with two, CohortMasteryHeatmap's row sort reads its
   * g_ptr_array_sort_with_data() arguments as rows, not pointers to rows
   * (app/core/cohort-mastery-heatmap.c compare_rows; see the report). */
  g_autoptr(CohortPractice) ann_practice = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CohortClassWindow *window;
  CohortMasteryWindow *mastery;
  CohortMasteryHeatmap *model;
  CohortHeatmapView *view;
  GtkWidget *toggle;
  GtkWidget *dialog;
  gint64 decimals = 0;
  gint64 fractions = 0;

  import_bank (teacher);
  /* Ann answers the Decimals questions wrong, the Fractions ones right. */
  ann_practice = cohort_practice_new (ann);
  cohort_practice_next_async (ann_practice, 0, NULL, cohort_test_on_result, &result);
  g_assert_true (cohort_practice_next_finish (ann_practice, cohort_test_wait_result (&result), &error));
  g_clear_object (&result);
  for (guint i = 0; i < g_list_model_get_n_items (cohort_practice_get_set (ann_practice)); i++)
    {
      g_autoptr(CohortPracticeItem) item = g_list_model_get_item (cohort_practice_get_set (ann_practice), i);
      gboolean decimal = g_str_has_prefix (cohort_practice_item_get_prompt (item), "0.");

      if (cohort_practice_item_get_question_type (item) == COHORT_QUIZ_TRUE_FALSE)
        cohort_practice_item_set_truth (item, !g_str_has_prefix (cohort_practice_item_get_prompt (item), "3/4"));
      else if (cohort_practice_item_get_question_type (item) == COHORT_QUIZ_SHORT)
        cohort_practice_item_set_text (item, "1");
      else
        cohort_practice_item_set_chosen (item, decimal ? 1 << 0 : 1 << 1);
      cohort_practice_answer_async (ann_practice, item, NULL, cohort_test_on_result, &result);
      g_assert_true (cohort_practice_answer_finish (ann_practice, cohort_test_wait_result (&result), &error));
      g_clear_object (&result);
    }

  window = cohort_test_ui_present_class (teacher);
  COHORT_TEST_WAIT_UNTIL (gtk_widget_activate_action (GTK_WIDGET (window), "class.show-mastery", NULL) &&
                          window->mastery_window != NULL);
  mastery = cohort_test_ui_wait_toplevel (COHORT_TYPE_MASTERY_WINDOW, 5000);
  model = cohort_mastery_window_get_model (mastery);
  view = COHORT_HEATMAP_VIEW (cohort_mastery_window_get_view (mastery));

  /* The weakest point on top: Decimals, which Ann got wrong. */
  COHORT_TEST_WAIT_UNTIL (cohort_heatmap_view_get_n_points (view) == 2 && cohort_heatmap_view_get_n_students (view) == 1);
  {
    g_autoptr(CohortKnowledgePoint) first = g_list_model_get_item (cohort_mastery_heatmap_get_points (model), 0);
    g_autoptr(CohortKnowledgePoint) second = g_list_model_get_item (cohort_mastery_heatmap_get_points (model), 1);

    g_assert_cmpstr (cohort_knowledge_point_get_name (first), ==, "Decimals");
    decimals = cohort_knowledge_point_get_point_id (first);
    fractions = cohort_knowledge_point_get_point_id (second);
  }
  g_assert_cmpint (cohort_heatmap_view_get_point_at (view, 0), ==, decimals);
  g_assert_cmpint (cohort_heatmap_view_get_point_at (view, 1), ==, fractions);
  /* Ann's cells: Decimals weak, Fractions not. */
  g_assert_cmpstr (cohort_heatmap_view_get_student_at (view, 0), ==, "Ann");
  g_assert_true (gtk_widget_has_css_class (cohort_heatmap_view_get_cell (view, 0, 1), "weak"));
  g_assert_false (gtk_widget_has_css_class (cohort_heatmap_view_get_cell (view, 1, 1), "weak"));
  gtk_window_set_default_size (GTK_WINDOW (mastery), 900, 600);
  shots (mastery, "mastery-wide");
  phone_width (mastery, 640);
  shots (mastery, "mastery");

  /* By name: Decimals still first (D before F), the header's order. */
  {
    GtkWidget *sort = cohort_test_ui_find (GTK_WIDGET (mastery), cohort_test_ui_is_type, "GtkDropDown");

    gtk_drop_down_set_selected (GTK_DROP_DOWN (sort), 1);
    g_assert_true (cohort_heatmap_view_get_by_name (view));
    gtk_drop_down_set_selected (GTK_DROP_DOWN (sort), 0);
  }

  /* Knowledge Points: Decimals switched off; Ann's progress drops it. */
  cohort_mastery_window_set_page (mastery, "points");
  toggle = cohort_mastery_window_get_switch (mastery, decimals);
  g_assert_nonnull (toggle);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
  shots (mastery, "points");
  gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_practice_get_points (ann_practice)) == 1);

  /* Renamed: first to another point's name (refused, said in the
   * user's language), then to a free one, which the heatmap and the
   * question editor's tags show. */
  {
    CohortQuizModel *quiz = cohort_quiz_page_get_model (cohort_test_ui_side_page (window, "quiz",
                                                                                  COHORT_TYPE_QUIZ_PAGE));
    GtkWidget *entry;
    g_autofree char *taken = g_strdup_printf (_("The name “%s” is taken."), "fractions");
    CohortQuizEditor *editor;
    g_autoptr(CohortQuizQuestion) question = NULL;

    dialog = cohort_mastery_window_rename_point (mastery, decimals);
    g_assert_nonnull (dialog);
    entry = cohort_test_ui_find (dialog, cohort_test_ui_is_type, "GtkEntry");
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "Decimals");
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "rename"));
    /* the dialog knows the class's names, as the server compares them */
    gtk_editable_set_text (GTK_EDITABLE (entry), "fractions ");
    g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "rename"));
    g_assert_true (gtk_widget_get_visible (cohort_test_ui_find (dialog, cohort_test_ui_is_label,
                                                                _("Another knowledge point has this name."))));
    shots (dialog, "rename-taken");
    /* a rename elsewhere can beat the dialog: the server's refusal, as a toast */
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "rename");
    COHORT_TEST_WAIT_UNTIL (cohort_test_ui_find (GTK_WIDGET (mastery), cohort_test_ui_is_label, taken) != NULL);
    shots (mastery, "rename-refused");

    dialog = cohort_mastery_window_rename_point (mastery, decimals);
    entry = cohort_test_ui_find (dialog, cohort_test_ui_is_type, "GtkEntry");
    gtk_editable_set_text (GTK_EDITABLE (entry), "  Decimal numbers ");
    g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "rename"));
    shots (dialog, "rename");
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "rename");
    cohort_mastery_window_set_page (mastery, "heatmap");
    COHORT_TEST_WAIT_UNTIL (cohort_test_ui_find (GTK_WIDGET (view), cohort_test_ui_is_label,
                                                 "Decimal numbers") != NULL);
    g_assert_null (cohort_test_ui_find (GTK_WIDGET (view), cohort_test_ui_is_label, "Decimals"));
    g_assert_cmpint (cohort_heatmap_view_get_point_at (view, 0), ==, decimals);
    /* the switch stays off */
    g_assert_false (gtk_switch_get_active (GTK_SWITCH (cohort_mastery_window_get_switch (mastery, decimals))));
    shots (mastery, "renamed");
    gtk_window_set_default_size (GTK_WINDOW (mastery), 900, 600);
    shots (mastery, "renamed-wide");
    cohort_mastery_window_set_page (mastery, "points");
    shots (mastery, "points-wide");
    cohort_mastery_window_set_page (mastery, "heatmap");

    /* "0.5 written as a fraction?" was tagged Decimals */
    COHORT_TEST_WAIT_UNTIL (bank_first_tag_is (quiz, "0.5", "Decimal numbers"));
    question = bank_question (quiz, "0.5");
    editor = cohort_quiz_editor_new (quiz, question);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry_row_titled (GTK_WIDGET (editor),
                                                                            _("Knowledge points")))),
                     ==, "Decimal numbers");
    gtk_window_destroy (GTK_WINDOW (editor));
  }
  cohort_mastery_window_set_page (mastery, "heatmap");

  /* A point's practice set, launched live: the class's quiz opens. */
  dialog = cohort_mastery_window_open_point (mastery, fractions);
  g_assert_nonnull (dialog);
  shots (dialog, "practice-set");
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "launch"));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "launch");
  {
    CohortQuizPage *quiz = cohort_test_ui_side_page (window, "quiz", COHORT_TYPE_QUIZ_PAGE);

    g_assert_true (cohort_test_ui_wait_for (quiz_open, cohort_quiz_page_get_model (quiz), 10000));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
home_ready (gpointer data)
{
  CohortHomeWindow *home = data;
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (cohort_home_window_get_list (home), 0);

  return !cohort_home_model_get_loading (cohort_home_window_get_model (home)) && row != NULL &&
         cohort_home_entry_get_status (cohort_home_row_get_entry (COHORT_HOME_ROW (row))) == COHORT_HOME_STATUS_READY;
}

/* Between lessons, the student's home has Practise on the class's row:
 * it opens the class with its Progress and Practice. */
static void
test_from_home (void)
{
  g_autoptr(CohortApplication) app = cohort_test_ui_new_application ("org.cohortclass.Cohort.TestPracticeHome");
  g_autoptr(GError) error = NULL;
  CohortTestClassroom k = { 0 };
  CohortHomeWindow *home;
  GtkWidget *practise;
  CohortPracticeWindow *practice_window;

  cohort_test_classroom_open (&k, "Maths", "Ms Li", "Mei");
  g_assert_true (cohort_token_store_save (cohort_test_server_get_url (k.server), k.code, FALSE, k.token, NULL, "Mei",
                                          &error));
  g_assert_no_error (error);
  home = COHORT_HOME_WINDOW (cohort_application_show_home (app));
  g_assert_true (cohort_test_ui_wait_for (home_ready, home, 20000));
  practise = cohort_test_ui_find_shown (GTK_WIDGET (home), has_action_or_label, _("Practise"));
  g_assert_nonnull (practise);
  phone_width (home, 640);
  shots (home, "home");

  g_signal_emit_by_name (practise, "clicked");
  practice_window = cohort_test_ui_wait_toplevel (COHORT_TYPE_PRACTICE_WINDOW, 20000);
  g_assert_nonnull (practice_window);
  g_assert_nonnull (cohort_test_ui_app_window (GTK_APPLICATION (app), COHORT_TYPE_CLASS_WINDOW));

  cohort_test_ui_close_app_windows (GTK_APPLICATION (app));
  cohort_token_store_forget (cohort_test_server_get_url (k.server), k.code, FALSE, NULL);
  cohort_test_classroom_close (&k);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  language = cohort_test_ui_use_language ();
  data_home = cohort_test_ui_init (&argc, &argv, "practice-ui");
  server = cohort_test_server_start (NULL);
  g_test_add_func ("/cohort/ui/practice/editor-tags", test_editor_tags);
  g_test_add_func ("/cohort/ui/practice/student", test_student);
  g_test_add_func ("/cohort/ui/practice/teacher", test_teacher);
  g_test_add_func ("/cohort/ui/practice/from-home", test_from_home);
  return cohort_test_ui_run (server, data_home);
}

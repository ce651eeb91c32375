/* test-quiz-ui.c: the Quiz page, teacher and student, against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-quiz-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "cohort-protocol.h"
#include "cohort-quiz-chart.h"
#include "cohort-quiz-model.h"
#include "cohort-quiz-protocol.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

#include "cohort-class-window-private.h"
#include "cohort-quiz-editor.h"
#include "cohort-quiz-page.h"
#include "cohort-start-window.h"


static CohortTestServer *server;

static CohortQuizPage *
quiz_page (CohortClassWindow *window)
{
  return cohort_test_ui_side_page (window, "quiz", COHORT_TYPE_QUIZ_PAGE);
}

static void
show_quiz (CohortClassWindow *window)
{
  cohort_test_ui_show_side_page (window, "quiz");
}

static JsonObject *
request_ok (CohortQuizModel *model,
            const char      *type,
            JsonObject      *body)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *reply;

  cohort_quiz_model_request_async (model, type, body, NULL, cohort_test_on_result, &result);
  reply = cohort_quiz_model_request_finish (model, cohort_test_wait_result (&result), &error);
  g_assert_no_error (error);
  return reply;
}

/* A match for cohort_test_ui_find_all(): a widget with the CSS class @data. */
static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static gboolean
run_arrived (gpointer data)
{
  return cohort_quiz_model_get_state (data) == COHORT_QUIZ_STATE_OPEN;
}

static gboolean
teacher_has_answer (gpointer data)
{
  return cohort_quiz_model_get_n_answered (data) >= 2;
}

static gboolean
student_graded (gpointer data)
{
  return cohort_quiz_model_get_outcome (data) != COHORT_QUIZ_OUTCOME_NONE;
}

static gboolean
answer_settled (gpointer data)
{
  return cohort_quiz_model_get_has_answer (data) && !cohort_quiz_model_get_answer_pending (data);
}

/* A shown label under @widget whose text contains @text. */
static gboolean
label_shows (GtkWidget  *widget,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_visible (child) || !gtk_widget_get_child_visible (child))
        continue;
      if (GTK_IS_LABEL (child) && strstr (gtk_label_get_text (GTK_LABEL (child)), text) != NULL)
        return TRUE;
      if (label_shows (child, text))
        return TRUE;
    }
  return FALSE;
}

/* The first shown widget under @widget of @type (and, for actionables,
 * with @action_name), or NULL. */
static GtkWidget *
find_shown (GtkWidget  *widget,
            GType       type,
            const char *action_name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (action_name == NULL ||
           (GTK_IS_ACTIONABLE (child) &&
            g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action_name) == 0)))
        return child;
      if ((found = find_shown (child, type, action_name)) != NULL)
        return found;
    }
  return NULL;
}

static guint
count_choices (CohortClassWindow *window)
{
  g_autoptr(GPtrArray) choices = g_ptr_array_new ();

  cohort_test_ui_find_all (GTK_WIDGET (quiz_page (window)), has_css_class, "quiz-choice", choices);
  return choices->len;
}

static GtkWidget *
choice (CohortClassWindow *window,
        guint              index)
{
  g_autoptr(GPtrArray) choices = g_ptr_array_new ();

  cohort_test_ui_find_all (GTK_WIDGET (quiz_page (window)), has_css_class, "quiz-choice", choices);
  g_assert_cmpuint (index, <, choices->len);
  return g_ptr_array_index (choices, index);
}

/* Every case starts here: a class with the teacher (Ms. Rivera) and two
 * students (Mei, Sam), the example bank imported (five questions, one of
 * each kind, in the order of docs/quiz-example.json). */
typedef struct
{
  CohortClassWindow *teacher;
  CohortClassWindow *mei;
  CohortClassWindow *sam;
  CohortQuizModel   *tq;
  CohortQuizModel   *mq;
  CohortQuizModel   *sq;
  gint64             ids[5];
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *here = g_path_get_dirname (__FILE__);
  g_autofree char *example_path = g_build_filename (here, "..", "..", "docs", "quiz-example.json", NULL);
  g_autofree char *example = NULL;
  g_autoptr(JsonNode) file = NULL;
  g_autoptr(JsonObject) imported = NULL;
  g_autofree char *code = NULL;
  JsonObject *body;
  JsonArray *ids;

  f->teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Astronomy");
  gtk_window_set_default_size (GTK_WINDOW (f->teacher), 1100, 860);
  code = g_strdup (cohort_session_get_class_code (cohort_class_window_get_session (f->teacher)));
  f->mei = cohort_test_ui_open_class (server, code, "Mei", NULL);
  f->sam = cohort_test_ui_open_class (server, code, "Sam", NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->mei), 420, 760);

  f->tq = cohort_quiz_page_get_model (quiz_page (f->teacher));
  f->mq = cohort_quiz_page_get_model (quiz_page (f->mei));
  f->sq = cohort_quiz_page_get_model (quiz_page (f->sam));
  g_assert_nonnull (f->tq);
  cohort_test_ui_settle (300);
  g_assert_true (cohort_quiz_model_get_is_teacher (f->tq));
  g_assert_false (cohort_quiz_model_get_is_teacher (f->mq));

  g_assert_true (g_file_get_contents (example_path, &example, NULL, NULL));
  file = json_from_string (example, NULL);
  body = json_object_new ();
  json_object_set_object_member (body, "file", json_object_ref (json_node_get_object (file)));
  imported = request_ok (f->tq, COHORT_REQ_QUIZ_IMPORT, body);
  g_assert_cmpint (json_object_get_int_member (imported, "count"), ==, 5);
  ids = json_object_get_array_member (imported, "question_ids");
  for (guint i = 0; i < G_N_ELEMENTS (f->ids); i++)
    f->ids[i] = json_array_get_int_element (ids, i);
  show_quiz (f->teacher);
  cohort_test_ui_settle (400);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_bank (f->tq)), ==, 5);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->sam));
  gtk_window_destroy (GTK_WINDOW (f->mei));
  gtk_window_destroy (GTK_WINDOW (f->teacher));
  g_clear_object (&f->sam);
  g_clear_object (&f->mei);
  g_clear_object (&f->teacher);
}

/* Launches the bank's question @index through its row's action and waits
 * for both students to have it. */
static void
launch (Fixture *f,
        guint    index)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (quiz_page (f->teacher)), "quiz.launch", "x",
                                             f->ids[index]));
  g_assert_true (cohort_test_ui_wait_for (run_arrived, f->mq, 10000));
  g_assert_true (cohort_test_ui_wait_for (run_arrived, f->sq, 10000));
  cohort_test_ui_settle (300);
}

/* Mei picks "Mercury" (right), Sam "Venus" (wrong), with the mouse. */
static void
answer_first (Fixture *f)
{
  g_signal_emit_by_name (choice (f->mei, 1), "clicked");
  g_assert_true (cohort_test_ui_wait_for (answer_settled, f->mq, 10000));
  g_assert_cmpuint (cohort_quiz_model_get_chosen (f->mq), ==, 1 << 1);
  g_signal_emit_by_name (choice (f->sam, 0), "clicked");
  g_assert_true (cohort_test_ui_wait_for (answer_settled, f->sq, 10000));
  g_assert_true (cohort_test_ui_wait_for (teacher_has_answer, f->tq, 10000));
}

static void
reveal (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (quiz_page (f->teacher)), "quiz.reveal", NULL));
  g_assert_true (cohort_test_ui_wait_for (student_graded, f->mq, 10000));
  cohort_test_ui_settle (400);
}

static gboolean
is_action_button (GtkWidget     *widget,
                  gconstpointer  action_name)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action_name) == 0;
}

/* The bank lists the five questions, each with its kind, and "Launch All
 * as a Quiz" is available as soon as it has questions (it stayed disabled
 * when they arrived after the page was built). */
static void
test_bank (Fixture       *f,
           gconstpointer  data)
{
  GtkWidget *page = GTK_WIDGET (quiz_page (f->teacher));
  GtkWidget *launch_all = cohort_test_ui_find (page, is_action_button, "quiz.launch-all");

  g_assert_nonnull (launch_all);
  g_assert_true (gtk_widget_is_sensitive (launch_all));

  g_assert_true (label_shows (page, "Single choice · 20 s"));
  g_assert_true (label_shows (page, "Multiple choice"));
  g_assert_true (label_shows (page, "True or false"));
  g_assert_true (label_shows (page, "Short answer"));
  g_assert_true (label_shows (page, "Open answer"));
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->teacher), "quiz-teacher-bank.png");
}

/* The first question (single choice, 20 s) comes to the students' Quiz
 * tab, with a countdown and three choices. */
static void
test_student_gets_question (Fixture       *f,
                            gconstpointer  data)
{
  launch (f, 0);
  g_assert_true (adw_flap_get_reveal_flap (f->mei->flap));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (f->mei->side_stack), ==, "quiz");
  g_assert_cmpint (cohort_quiz_model_get_deadline (f->mq), >, 0);
  g_assert_cmpuint (count_choices (f->mei), ==, 3);
  /* A screen reader reads each answer button by its answer, not as
   * "GtkButton" (GTK's own record of what it publishes on AT-SPI). */
  {
    const char * const *choices = cohort_quiz_model_get_choices (f->mq);

    g_assert_cmpuint (g_strv_length ((char **) choices), ==, 3);
    g_assert_cmpstr (choices[1], ==, "Mercury");
    for (guint i = 0; i < 3; i++)
      {
        GtkAccessible *button = GTK_ACCESSIBLE (choice (f->mei, i));

        gtk_test_accessible_assert_role (button, GTK_ACCESSIBLE_ROLE_BUTTON);
        gtk_test_accessible_assert_property (button, GTK_ACCESSIBLE_PROPERTY_LABEL, choices[i]);
      }
  }
  g_assert_true (label_shows (GTK_WIDGET (quiz_page (f->mei)), "Pick an answer with the mouse or the keys 1 to 9."));
  g_assert_null (find_shown (GTK_WIDGET (quiz_page (f->mei)), GTK_TYPE_BUTTON, "quiz.submit"));
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->mei), "quiz-student-question.png");
}

/* Live results on the teacher's side: two answers, one per bar. */
static void
test_live_results (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) charts = g_ptr_array_new ();
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  launch (f, 0);
  answer_first (f);
  cohort_test_ui_settle (300);
  g_assert_true (label_shows (GTK_WIDGET (quiz_page (f->mei)), "Answer sent. You can change it"));
  cohort_test_ui_find_all (GTK_WIDGET (quiz_page (f->teacher)), has_css_class, "quiz-card", charts);
  g_assert_cmpuint (charts->len, ==, 1);
  for (GtkWidget *w = gtk_widget_get_first_child (g_ptr_array_index (charts, 0)); w != NULL;
       w = gtk_widget_get_next_sibling (w))
    if (COHORT_IS_QUIZ_CHART (w))
      g_ptr_array_add (found, w);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (gtk_widget_get_visible (g_ptr_array_index (found, 0)));
  g_assert_cmpuint (cohort_quiz_chart_get_n_bars (g_ptr_array_index (found, 0)), ==, 3);
  g_assert_cmpuint (cohort_quiz_model_get_n_correct (f->tq), ==, 1);
  g_assert_true (label_shows (GTK_WIDGET (quiz_page (f->teacher)), "2 of 2 answered · 50 % correct"));
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->teacher), "quiz-teacher-live.png");
}

/* Reveal: Mei sees that she was right, and the explanation; Sam sees the
 * answer; the score table exports as CSV. */
static void
test_reveal_and_scores (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *csv = NULL;

  launch (f, 0);
  answer_first (f);
  reveal (f);
  g_assert_cmpint (cohort_quiz_model_get_outcome (f->mq), ==, COHORT_QUIZ_OUTCOME_CORRECT);
  g_assert_cmpint (cohort_quiz_model_get_outcome (f->sq), ==, COHORT_QUIZ_OUTCOME_WRONG);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_history (f->mq)), ==, 1);
  g_assert_true (label_shows (GTK_WIDGET (quiz_page (f->mei)), "Correct! You earned"));
  g_assert_true (label_shows (GTK_WIDGET (quiz_page (f->mei)), "Mercury orbits at about 0.39 AU."));
  g_assert_true (label_shows (GTK_WIDGET (quiz_page (f->sam)), "Not quite. The answer is 2. Mercury."));
  g_assert_true (label_shows (GTK_WIDGET (quiz_page (f->teacher)), "Correct answer: 2. Mercury"));
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->mei), "quiz-student-revealed.png");
  cohort_test_ui_settle (200);
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->teacher), "quiz-teacher-revealed.png");

  csv = cohort_quiz_model_scores_to_csv (f->tq);
  g_assert_nonnull (strstr (csv, "Mei,1."));
  g_assert_nonnull (strstr (csv, "Sam,0.00,0,1"));
}

/* The student window at phone width: folded, the side panel slides over
 * the stage. */
static void
test_phone_width (Fixture       *f,
                  gconstpointer  data)
{
  launch (f, 0);
  answer_first (f);
  reveal (f);
  gtk_window_set_default_size (GTK_WINDOW (f->sam), 360, 720);
  cohort_test_ui_settle (400);
  show_quiz (f->sam);
  cohort_test_ui_settle (600);
  g_assert_true (adw_flap_get_reveal_flap (f->sam->flap));
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->sam), "quiz-student-360.png");
}

/* The other four kinds, one after the other: what the student can do
 * with each, and what each side reads after the reveal. */
static void
test_each_kind (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *mei = GTK_WIDGET (quiz_page (f->mei));
  GtkWidget *teacher = GTK_WIDGET (quiz_page (f->teacher));
  GtkWidget *entry;

  /* Multiple choice: toggles, sent with Send Answer. */
  launch (f, 1);
  g_assert_cmpint (cohort_quiz_model_get_question_type (f->mq), ==, COHORT_QUIZ_MULTIPLE);
  g_assert_cmpuint (count_choices (f->mei), ==, 4);
  g_assert_nonnull (find_shown (mei, GTK_TYPE_BUTTON, "quiz.submit"));
  g_assert_null (find_shown (mei, GTK_TYPE_ENTRY, NULL));
  g_assert_true (label_shows (mei, "Multiple choice"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (choice (f->mei, 0)), TRUE);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (choice (f->mei, 2)), TRUE);
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->mei), "quiz-student-multiple.png");
  g_assert_true (gtk_widget_activate_action (mei, "quiz.submit", NULL));
  g_assert_true (cohort_test_ui_wait_for (answer_settled, f->mq, 10000));
  g_assert_cmpuint (cohort_quiz_model_get_chosen (f->mq), ==, (1 << 0) | (1 << 2));
  reveal (f);
  g_assert_cmpint (cohort_quiz_model_get_outcome (f->mq), ==, COHORT_QUIZ_OUTCOME_CORRECT);
  g_assert_true (label_shows (mei, "Correct! You earned"));
  g_assert_true (label_shows (teacher, "Correct answer: 1. 2; 3. 5"));
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->mei), "quiz-student-multiple-revealed.png");

  /* True or false: two buttons; the first is true. */
  launch (f, 2);
  g_assert_cmpint (cohort_quiz_model_get_question_type (f->mq), ==, COHORT_QUIZ_TRUE_FALSE);
  g_assert_cmpuint (count_choices (f->mei), ==, 2);
  g_assert_null (find_shown (mei, GTK_TYPE_BUTTON, "quiz.submit"));
  g_assert_true (label_shows (mei, "True"));
  g_signal_emit_by_name (choice (f->mei, 0), "clicked");
  g_assert_true (cohort_test_ui_wait_for (answer_settled, f->mq, 10000));
  g_assert_cmpuint (cohort_quiz_model_get_chosen (f->mq), ==, 1 << 0);
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->mei), "quiz-student-true-false.png");
  reveal (f);
  g_assert_cmpint (cohort_quiz_model_get_outcome (f->mq), ==, COHORT_QUIZ_OUTCOME_CORRECT);
  g_assert_true (label_shows (mei, "At 1 atm, yes."));
  g_assert_true (label_shows (teacher, "Correct answer: True"));

  /* Short answer: typed and sent; a number within the tolerance counts. */
  launch (f, 3);
  g_assert_cmpint (cohort_quiz_model_get_question_type (f->mq), ==, COHORT_QUIZ_SHORT);
  g_assert_cmpuint (count_choices (f->mei), ==, 0);
  entry = find_shown (mei, GTK_TYPE_ENTRY, NULL);
  g_assert_nonnull (entry);
  g_assert_true (gtk_widget_get_sensitive (entry));
  g_assert_nonnull (find_shown (mei, GTK_TYPE_BUTTON, "quiz.submit"));
  gtk_editable_set_text (GTK_EDITABLE (entry), "3,14");
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->mei), "quiz-student-short.png");
  g_assert_true (gtk_widget_activate_action (mei, "quiz.submit", NULL));
  g_assert_true (cohort_test_ui_wait_for (answer_settled, f->mq, 10000));
  reveal (f);
  g_assert_cmpint (cohort_quiz_model_get_outcome (f->mq), ==, COHORT_QUIZ_OUTCOME_CORRECT);
  g_assert_null (find_shown (mei, GTK_TYPE_ENTRY, NULL));
  g_assert_true (label_shows (teacher, "Correct answer: pi; 3.14 ± 0.005"));
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->teacher), "quiz-teacher-short-revealed.png");

  /* Open answer: the teacher reads it; no chart, no key. */
  launch (f, 4);
  g_assert_cmpint (cohort_quiz_model_get_question_type (f->mq), ==, COHORT_QUIZ_OPEN);
  entry = find_shown (mei, GTK_TYPE_ENTRY, NULL);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), "Fractions");
  g_assert_true (gtk_widget_activate_action (mei, "quiz.submit", NULL));
  g_assert_true (cohort_test_ui_wait_for (answer_settled, f->mq, 10000));
  g_assert_true (cohort_test_ui_wait_for (run_arrived, f->tq, 10000));
  cohort_test_ui_settle (400);
  g_assert_true (label_shows (teacher, "Fractions"));
  g_assert_null (find_shown (teacher, COHORT_TYPE_QUIZ_CHART, NULL));
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->teacher), "quiz-teacher-open.png");
  reveal (f);
  g_assert_cmpint (cohort_quiz_model_get_outcome (f->mq), ==, COHORT_QUIZ_OUTCOME_UNGRADED);
  g_assert_true (label_shows (mei, "Your teacher will read your answer."));
  cohort_test_ui_save_screenshot (GTK_WIDGET (f->mei), "quiz-student-open-revealed.png");
}

/* The editor reads each bank question into its form and builds the same
 * question back, typed, passing the server's checks. */
static void
test_editor_round_trip (Fixture       *f,
                        gconstpointer  data)
{
  GListModel *bank = cohort_quiz_model_get_bank (f->tq);

  for (guint i = 0; i < g_list_model_get_n_items (bank); i++)
    {
      g_autoptr(CohortQuizQuestion) q = g_list_model_get_item (bank, i);
      CohortQuizEditor *editor = cohort_quiz_editor_new (f->tq, q);
      g_autoptr(CohortQuizQuestion) built = cohort_quiz_editor_build_question (editor);
      g_auto(GStrv) choices = cohort_quiz_question_dup_choices (q);
      g_auto(GStrv) built_choices = cohort_quiz_question_dup_choices (built);
      g_auto(GStrv) accepted = cohort_quiz_question_dup_accepted (q);
      g_auto(GStrv) built_accepted = cohort_quiz_question_dup_accepted (built);
      double value = 0, tolerance = 0, built_value = 0, built_tolerance = 0;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (cohort_quiz_question_get_question_type (built), ==,
                       cohort_quiz_question_get_question_type (q));
      g_assert_cmpstr (cohort_quiz_question_get_prompt (built), ==, cohort_quiz_question_get_prompt (q));
      g_assert_cmpstrv (built_choices, choices);
      g_assert_cmpuint (cohort_quiz_question_get_correct_choices (built), ==,
                        cohort_quiz_question_get_correct_choices (q));
      g_assert_cmpint (cohort_quiz_question_get_truth (built), ==, cohort_quiz_question_get_truth (q));
      g_assert_cmpstrv (built_accepted, accepted);
      g_assert_cmpint (cohort_quiz_question_get_numeric (built, &built_value, &built_tolerance), ==,
                       cohort_quiz_question_get_numeric (q, &value, &tolerance));
      g_assert_cmpfloat_with_epsilon (built_value, value, 1e-9);
      g_assert_cmpfloat_with_epsilon (built_tolerance, tolerance, 1e-9);
      g_assert_cmpstr (cohort_quiz_question_get_explanation (built), ==, cohort_quiz_question_get_explanation (q));
      g_assert_cmpint (cohort_quiz_question_get_time_limit (built), ==, cohort_quiz_question_get_time_limit (q));
      g_assert_true (cohort_quiz_question_check (built, &error));
      g_assert_no_error (error);

      if (cohort_quiz_question_get_question_type (q) == COHORT_QUIZ_SHORT)
        {
          /* The numbers read as typed, not as the nearest double's digits. */
          g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_entry, "3.14"));
          g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_entry, "0.005"));
          gtk_window_present (GTK_WINDOW (editor));
          cohort_test_ui_settle (400);
          cohort_test_ui_save_screenshot (GTK_WIDGET (editor), "quiz-editor-short.png");
        }
      gtk_window_destroy (GTK_WINDOW (editor));
    }
}

/* The live chart at twice the text size in a narrow panel: every count
 * and share whole ("11 · 55 %", not "11 · 6…"), bars as tall as a line. */
static void
test_chart_large_text (void)
{
  const char * const labels[] = { "A. Mercury, the closest planet to the Sun", "B. Venus", "C. Mars" };
  const gint64 counts[] = { 11, 6, 3 };
  const gboolean correct[] = { TRUE, FALSE, FALSE };
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *chart = cohort_quiz_chart_new ();
  int min_height = 0;

  gtk_css_provider_load_from_data (css, "quizchart { font-size: 200%; }", -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  cohort_quiz_chart_set_data (COHORT_QUIZ_CHART (chart), labels, counts, correct, 3);
  gtk_window_set_child (GTK_WINDOW (window), chart);
  gtk_window_set_default_size (GTK_WINDOW (window), 300, -1);
  gtk_window_present (GTK_WINDOW (window));
  cohort_test_ui_settle (300);

  g_assert_true (cohort_quiz_chart_get_values_fit (COHORT_QUIZ_CHART (chart)));
  gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, -1, &min_height, NULL, NULL, NULL);
  /* Three rows of doubled text do not fit the old 3 × 22 px + spacing. */
  g_assert_cmpint (min_height, >, 3 * 22 + 2 * 10);
  cohort_test_ui_save_screenshot (window, "quiz-chart-large-text.png");

  gtk_style_context_remove_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A new single-choice question: radio buttons, none ticked; saving says
 * what is missing in words and names the field, never a protocol path. */
static void
test_editor_checks (Fixture       *f,
                    gconstpointer  data)
{
  CohortQuizEditor *editor = cohort_quiz_editor_new (f->tq, NULL);
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  GtkWidget *prompt = cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_type, "GtkTextView");
  GtkWidget *choices[2];

  gtk_window_present (GTK_WINDOW (editor));
  cohort_test_ui_settle (300);
  cohort_test_ui_find_all (GTK_WIDGET (editor), cohort_test_ui_is_type, "GtkCheckButton", checks);
  /* The choices' boxes, not the Use group's radio buttons. */
  for (guint i = checks->len; i > 0; i--)
    if (gtk_widget_get_ancestor (g_ptr_array_index (checks, i - 1), ADW_TYPE_ENTRY_ROW) == NULL)
      g_ptr_array_remove_index (checks, i - 1);
  g_assert_cmpuint (checks->len, ==, 2);
  g_assert_false (gtk_check_button_get_active (g_ptr_array_index (checks, 0)));
  g_assert_false (gtk_check_button_get_active (g_ptr_array_index (checks, 1)));
  /* One group: ticking the second unticks the first. */
  gtk_check_button_set_active (g_ptr_array_index (checks, 0), TRUE);
  gtk_check_button_set_active (g_ptr_array_index (checks, 1), TRUE);
  g_assert_false (gtk_check_button_get_active (g_ptr_array_index (checks, 0)));
  gtk_check_button_set_active (g_ptr_array_index (checks, 1), FALSE);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_label, "Write the question first."));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (prompt)), "Which planet is largest?", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_label,
                                         "Choice 1 is empty: write it, or remove it."));

  for (guint i = 0; i < 2; i++)
    choices[i] = gtk_widget_get_ancestor (g_ptr_array_index (checks, i), ADW_TYPE_ENTRY_ROW);
  gtk_editable_set_text (GTK_EDITABLE (choices[0]), "Jupiter");
  gtk_editable_set_text (GTK_EDITABLE (choices[1]), "Mars");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_label, "Tick the correct answer."));
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (editor), "quiz-editor-missing.png");

  /* Complete: saved on the server, and the bank grows. */
  gtk_check_button_set_active (g_ptr_array_index (checks, 0), TRUE);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_quiz_model_get_bank (f->tq)) == 6);
  COHORT_TEST_WAIT_UNTIL (editor == NULL || !gtk_widget_get_visible (GTK_WIDGET (editor)));
  if (editor != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
      gtk_window_destroy (GTK_WINDOW (editor));
    }
}

/* "Launch All as a Quiz" is off while the bank is empty and on as soon as
 * the first question is saved from the editor. */
static void
test_launch_all_follows_bank (void)
{
  CohortClassWindow *teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Botany");
  GtkWidget *page = GTK_WIDGET (quiz_page (teacher));
  CohortQuizModel *tq = cohort_quiz_page_get_model (COHORT_QUIZ_PAGE (page));
  GtkWidget *launch_all = cohort_test_ui_find (page, is_action_button, "quiz.launch-all");
  CohortQuizEditor *editor;
  g_autoptr(GPtrArray) checks = g_ptr_array_new ();
  GtkWidget *prompt;

  show_quiz (teacher);
  cohort_test_ui_settle (400);
  g_assert_nonnull (launch_all);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_bank (tq)), ==, 0);
  g_assert_false (gtk_widget_is_sensitive (launch_all));

  editor = cohort_quiz_editor_new (tq, NULL);
  gtk_window_present (GTK_WINDOW (editor));
  cohort_test_ui_settle (300);
  prompt = cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_type, "GtkTextView");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (prompt)), "Do plants breathe?", -1);
  cohort_test_ui_find_all (GTK_WIDGET (editor), cohort_test_ui_is_type, "GtkCheckButton", checks);
  for (guint i = checks->len; i > 0; i--)
    if (gtk_widget_get_ancestor (g_ptr_array_index (checks, i - 1), ADW_TYPE_ENTRY_ROW) == NULL)
      g_ptr_array_remove_index (checks, i - 1);
  g_assert_cmpuint (checks->len, ==, 2);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_ancestor (g_ptr_array_index (checks, 0), ADW_TYPE_ENTRY_ROW)),
                         "Yes");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_ancestor (g_ptr_array_index (checks, 1), ADW_TYPE_ENTRY_ROW)),
                         "No");
  gtk_check_button_set_active (g_ptr_array_index (checks, 0), TRUE);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));

  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (cohort_quiz_model_get_bank (tq)) == 1);
  COHORT_TEST_WAIT_UNTIL (gtk_widget_is_sensitive (launch_all));
  if (editor != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
      gtk_window_destroy (GTK_WINDOW (editor));
    }
  cohort_test_ui_close_windows (teacher, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  data_home = cohort_test_ui_init (&argc, &argv, "quiz-ui");

  server = cohort_test_server_start (NULL);
#define ADD(path, func) \
  g_test_add ("/cohort/ui/quiz/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("bank", test_bank);
  ADD ("student-gets-question", test_student_gets_question);
  ADD ("live-results", test_live_results);
  ADD ("reveal-and-scores", test_reveal_and_scores);
  ADD ("phone-width", test_phone_width);
  ADD ("each-kind", test_each_kind);
  ADD ("editor-round-trip", test_editor_round_trip);
  ADD ("editor-checks", test_editor_checks);
#undef ADD
  g_test_add_func ("/cohort/ui/quiz/chart-large-text", test_chart_large_text);
  g_test_add_func ("/cohort/ui/quiz/launch-all-follows-bank", test_launch_all_follows_bank);
  return cohort_test_ui_run (server, data_home);
}

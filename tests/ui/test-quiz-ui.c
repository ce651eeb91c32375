/* test-quiz-ui.c: the Quiz page, teacher and student, against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-quiz-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cohort-protocol.h"
#include "cohort-quiz-chart.h"
#include "cohort-quiz-model.h"
#include "cohort-quiz-protocol.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-ui.h"

#include "cohort-class-window-private.h"
#include "cohort-quiz-page.h"
#include "cohort-start-window.h"

typedef gboolean (*ConditionFunc) (gpointer data);

static CohortTestServer *server;

typedef struct
{
  CohortClassWindow *window;
} Opened;

static void
on_class_opened (CohortStartWindow *start,
                 CohortClassWindow *window,
                 Opened            *opened)
{
  opened->window = g_object_ref (window);
}

static gboolean
opened (gpointer data)
{
  return ((Opened *) data)->window != NULL;
}

static CohortClassWindow *
open_class (const char *code,
            const char *name,
            const char *title)
{
  CohortStartWindow *start = cohort_start_window_new (NULL);
  Opened result = { NULL };

  g_signal_connect (start, "class-opened", G_CALLBACK (on_class_opened), &result);
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, cohort_test_server_get_url (server), code, name, NULL, title);
  if (title != NULL)
    {
      /* identity: as the test server's staff; students are let in at once. */
      cohort_start_window_set_staff_credential (start, cohort_test_server_get_staff_credential (server));
      cohort_start_window_set_waiting_room (start, FALSE);
      cohort_start_window_start_class (start);
    }
  else
    cohort_start_window_join (start);
  g_assert_true (cohort_test_ui_wait_for (opened, &result, 10000));
  return result.window;
}

static CohortQuizPage *
quiz_page (CohortClassWindow *window)
{
  GtkWidget *page = adw_view_stack_get_child_by_name (window->side_stack, "quiz");

  g_assert_true (COHORT_IS_QUIZ_PAGE (page));
  return COHORT_QUIZ_PAGE (page);
}

static void
show_quiz (CohortClassWindow *window)
{
  adw_flap_set_reveal_flap (window->flap, TRUE);
  adw_view_stack_set_visible_child_name (window->side_stack, "quiz");
}

typedef struct
{
  GAsyncResult *result;
} Done;

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Done *) user_data)->result = g_object_ref (result);
}

static gboolean
done (gpointer data)
{
  return ((Done *) data)->result != NULL;
}

static JsonObject *
request_ok (CohortQuizModel *model,
            const char      *type,
            JsonObject      *body)
{
  Done d = { NULL };
  g_autoptr(GError) error = NULL;
  JsonObject *reply;

  cohort_quiz_model_request_async (model, type, body, NULL, on_done, &d);
  g_assert_true (cohort_test_ui_wait_for (done, &d, 10000));
  reply = cohort_quiz_model_request_finish (model, d.result, &error);
  g_assert_no_error (error);
  g_object_unref (d.result);
  return reply;
}

/* Every widget under @root with @css_class, in tree order. */
static void
collect (GtkWidget  *root,
         const char *css_class,
         GPtrArray  *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_has_css_class (child, css_class))
        g_ptr_array_add (out, child);
      collect (child, css_class, out);
    }
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
  return cohort_quiz_model_get_grade (data) != NULL;
}

static gboolean
answer_settled (gpointer data)
{
  return cohort_quiz_model_get_answer (data) != NULL && !cohort_quiz_model_get_answer_pending (data);
}

static void
test_quiz_views (void)
{
  CohortClassWindow *teacher;
  CohortClassWindow *mei;
  CohortClassWindow *sam;
  CohortQuizModel *tq;
  CohortQuizModel *mq;
  CohortQuizModel *sq;
  g_autofree char *here = g_path_get_dirname (__FILE__);
  g_autofree char *example_path = g_build_filename (here, "..", "..", "docs", "quiz-example.json", NULL);
  g_autofree char *example = NULL;
  g_autoptr(JsonNode) file = NULL;
  g_autoptr(JsonObject) imported = NULL;
  g_autoptr(GPtrArray) choices = g_ptr_array_new ();
  g_autoptr(GPtrArray) charts = g_ptr_array_new ();
  g_autofree char *code = NULL;
  JsonObject *body;
  gint64 first_id;

  teacher = open_class (NULL, "Ms. Rivera", "Astronomy");
  gtk_window_set_default_size (GTK_WINDOW (teacher), 1100, 860);
  code = g_strdup (cohort_session_get_class_code (cohort_class_window_get_session (teacher)));
  mei = open_class (code, "Mei", NULL);
  sam = open_class (code, "Sam", NULL);
  gtk_window_set_default_size (GTK_WINDOW (mei), 420, 760);

  tq = cohort_quiz_page_get_model (quiz_page (teacher));
  mq = cohort_quiz_page_get_model (quiz_page (mei));
  sq = cohort_quiz_page_get_model (quiz_page (sam));
  g_assert_nonnull (tq);
  cohort_test_ui_settle (300);
  g_assert_true (cohort_quiz_model_get_is_teacher (tq));
  g_assert_false (cohort_quiz_model_get_is_teacher (mq));

  /* The teacher imports the example bank. */
  g_assert_true (g_file_get_contents (example_path, &example, NULL, NULL));
  file = json_from_string (example, NULL);
  body = json_object_new ();
  json_object_set_object_member (body, "file", json_object_ref (json_node_get_object (file)));
  imported = request_ok (tq, COHORT_REQ_QUIZ_IMPORT, body);
  g_assert_cmpint (json_object_get_int_member (imported, "count"), ==, 5);
  first_id = json_array_get_int_element (json_object_get_array_member (imported, "question_ids"), 0);
  show_quiz (teacher);
  cohort_test_ui_settle (400);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_bank (tq)), ==, 5);
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "quiz-teacher-bank.png");

  /* Launch the first question (single choice, 20 s) through the row's action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (quiz_page (teacher)), "quiz.launch", "x", first_id));
  g_assert_true (cohort_test_ui_wait_for (run_arrived, mq, 10000));
  g_assert_true (cohort_test_ui_wait_for (run_arrived, sq, 10000));

  /* The question came to the student's Quiz tab. */
  cohort_test_ui_settle (300);
  g_assert_true (adw_flap_get_reveal_flap (mei->flap));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (mei->side_stack), ==, "quiz");
  g_assert_cmpint (cohort_quiz_model_get_deadline (mq), >, 0);
  collect (GTK_WIDGET (quiz_page (mei)), "quiz-choice", choices);
  g_assert_cmpuint (choices->len, ==, 3);
  cohort_test_ui_save_screenshot (GTK_WIDGET (mei), "quiz-student-question.png");

  /* Mei picks "Mercury" with the mouse; Sam picks "Venus". */
  g_signal_emit_by_name (g_ptr_array_index (choices, 1), "clicked");
  g_assert_true (cohort_test_ui_wait_for (answer_settled, mq, 10000));
  g_assert_cmpint (json_node_get_int (cohort_quiz_model_get_answer (mq)), ==, 1);
  g_ptr_array_set_size (choices, 0);
  collect (GTK_WIDGET (quiz_page (sam)), "quiz-choice", choices);
  g_signal_emit_by_name (g_ptr_array_index (choices, 0), "clicked");
  g_assert_true (cohort_test_ui_wait_for (answer_settled, sq, 10000));

  /* Live results on the teacher's side: two answers, one per bar. */
  g_assert_true (cohort_test_ui_wait_for (teacher_has_answer, tq, 10000));
  cohort_test_ui_settle (300);
  collect (GTK_WIDGET (quiz_page (teacher)), "quiz-card", charts);
  g_assert_cmpuint (charts->len, ==, 1);
  {
    g_autoptr(GPtrArray) found = g_ptr_array_new ();
    GtkWidget *w;

    for (w = gtk_widget_get_first_child (g_ptr_array_index (charts, 0)); w != NULL; w = gtk_widget_get_next_sibling (w))
      if (COHORT_IS_QUIZ_CHART (w))
        g_ptr_array_add (found, w);
    g_assert_cmpuint (found->len, ==, 1);
    g_assert_true (gtk_widget_get_visible (g_ptr_array_index (found, 0)));
    g_assert_cmpuint (cohort_quiz_chart_get_n_bars (g_ptr_array_index (found, 0)), ==, 3);
  }
  g_assert_cmpuint (cohort_quiz_model_get_n_correct (tq), ==, 1);
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "quiz-teacher-live.png");

  /* Reveal: Mei sees that she was right, and the explanation. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (quiz_page (teacher)), "quiz.reveal", NULL));
  g_assert_true (cohort_test_ui_wait_for (student_graded, mq, 10000));
  cohort_test_ui_settle (400);
  g_assert_cmpstr (cohort_quiz_model_get_grade (mq), ==, "correct");
  g_assert_cmpstr (cohort_quiz_model_get_grade (sq), ==, "wrong");
  g_assert_cmpuint (g_list_model_get_n_items (cohort_quiz_model_get_history (mq)), ==, 1);
  cohort_test_ui_save_screenshot (GTK_WIDGET (mei), "quiz-student-revealed.png");
  cohort_test_ui_settle (200);
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "quiz-teacher-revealed.png");

  /* The score table exports as CSV. */
  {
    g_autofree char *csv = cohort_quiz_model_scores_to_csv (tq);

    g_assert_nonnull (strstr (csv, "Mei,1."));
    g_assert_nonnull (strstr (csv, "Sam,0.00,0,1"));
  }

  /* The student window at phone width. */
  gtk_window_set_default_size (GTK_WINDOW (sam), 360, 720);
  cohort_test_ui_settle (400);
  /* Folded at this width: the side panel slides over the stage. */
  show_quiz (sam);
  cohort_test_ui_settle (600);
  g_assert_true (adw_flap_get_reveal_flap (sam->flap));
  cohort_test_ui_save_screenshot (GTK_WIDGET (sam), "quiz-student-360.png");

  gtk_window_destroy (GTK_WINDOW (sam));
  gtk_window_destroy (GTK_WINDOW (mei));
  gtk_window_destroy (GTK_WINDOW (teacher));
  g_object_unref (sam);
  g_object_unref (mei);
  g_object_unref (teacher);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  g_autoptr(GtkCssProvider) provider = NULL;
  int ret;

  data_home = g_dir_make_tmp ("cohort-quiz-ui-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/cohortclass/Cohort/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/org/cohortclass/Cohort/icons");

  server = cohort_test_server_start (NULL);
  g_test_add_func ("/cohort/ui/quiz/teacher-and-student", test_quiz_views);
  ret = g_test_run ();
  cohort_test_server_free (server);

  {
    g_autofree char *tokens = g_build_filename (data_home, "cohort", "tokens.ini", NULL);
    g_autofree char *dir = g_build_filename (data_home, "cohort", NULL);

    g_remove (tokens);
    g_rmdir (dir);
    g_rmdir (data_home);
  }
  return ret;
}

/* test-practice-ui.c: adaptive practice in the real app against a real
 * server: knowledge points in the question editor
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

#include "cohort-practice-protocol.h"
#include "cohort-quiz-model.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

#include "cohort-quiz-editor.h"

static CohortTestServer *server;
static const char *language;

/* Saves @widget as practice-<name>-light.png and -dark.png. */
static void
shots (gpointer    widget,
       const char *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint dark = 0; dark < 2; dark++)
    {
      g_autofree char *full = g_strdup_printf ("%s-%s", name, dark ? "dark" : "light");

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      cohort_test_ui_save_named_screenshot (widget, "practice", full, language);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static gboolean
width_at_most_360 (gpointer data)
{
  int width = gtk_widget_get_width (data);

  return width > 0 && width <= 360;
}

/* Narrows @window to a phone's width; asserts that nothing keeps it wider. */
static void
phone_width (gpointer window,
             int      height)
{
  for (guint attempt = 0; attempt < 4 && !width_at_most_360 (window); attempt++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), 360 - (int) (attempt % 2), height);
      cohort_test_ui_wait_for (width_at_most_360, window, 2000);
    }
  g_assert_true (width_at_most_360 (window));
}

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
  return cohort_test_ui_run (server, data_home);
}

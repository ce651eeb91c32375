/* test-ui-zh.c: the start page speaks Simplified Chinese under zh_CN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui-zh"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "cohort-quiz-editor.h"
#include "cohort-quiz-model.h"
#include "cohort-session.h"
#include "cohort-stage.h"
#include "cohort-start-window.h"
#include "cohort-test-server.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"
#include "cohort-waiting-page.h"

#include "cohort-class-window-private.h"

static CohortTestServer *server;

static void
collect_texts (GtkWidget *widget,
               GString   *texts)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (texts, "%s\n", gtk_label_get_text (GTK_LABEL (widget)));
  else if (ADW_IS_PREFERENCES_GROUP (widget) && adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)))
    g_string_append_printf (texts, "%s\n", adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)));

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static gboolean
is_han (gunichar c)
{
  return g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN;
}

static void
test_start_page_in_chinese (void)
{
  g_autoptr(GtkApplication) app = gtk_application_new ("org.cohortclass.Cohort.TestZh",
                                                       G_APPLICATION_NON_UNIQUE);
  g_autoptr(GString) texts = g_string_new (NULL);
  CohortStartWindow *window;
  guint han = 0;

  g_application_register (G_APPLICATION (app), NULL, NULL);
  window = cohort_start_window_new (app);
  gtk_window_present (GTK_WINDOW (window));

  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  /* The catalogue is loaded, and the window uses it. */
  g_assert_cmpstr (_("Join a Class"), ==, "加入课堂");
  collect_texts (GTK_WIDGET (window), texts);
  g_assert_nonnull (strstr (texts->str, "加入课堂"));

  for (const char *p = texts->str; *p != '\0'; p = g_utf8_next_char (p))
    if (is_han (g_utf8_get_char (p)))
      han++;
  g_assert_cmpuint (han, >, 20);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The teacher's side of the start page, and a student's waiting page, at
 * phone width: screenshots to look at (the strings of work in progress
 * come from po/fragments/ only once the lead merges them). */
static void
test_identity_pages_in_chinese (void)
{
  CohortStartWindow *start = cohort_start_window_new (NULL);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *page = cohort_waiting_page_new ();

  gtk_window_set_default_size (GTK_WINDOW (start), 360, 900);
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, "school.example.org:8765", NULL, "李老师", NULL, "物理 101");
  cohort_test_ui_settle (500);
  cohort_test_ui_save_screenshot (GTK_WIDGET (start), "zh-start-class-360.png");
  gtk_window_destroy (GTK_WINDOW (start));

  cohort_waiting_page_set_class_title (COHORT_WAITING_PAGE (page), "物理 101");
  gtk_window_set_child (GTK_WINDOW (window), page);
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 640);
  gtk_window_present (GTK_WINDOW (window));
  cohort_test_ui_settle (500);
  cohort_test_ui_save_screenshot (window, "zh-waiting-360.png");
  cohort_waiting_page_set_mode (COHORT_WAITING_PAGE (page), COHORT_WAITING_PAGE_BLOCKED);
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (window, "zh-blocked-360.png");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The quiz editor checks a question before saving and says what is
 * missing in the teacher's language, naming the field; never the
 * protocol's English ("question.correct …"). In the light and dark styles,
 * at 360 px. */
static void
test_quiz_editor_in_chinese (void)
{
  g_autoptr(CohortSession) session = cohort_session_new ();
  g_autoptr(CohortQuizModel) model = cohort_quiz_model_new (session);
  CohortQuizEditor *editor = cohort_quiz_editor_new (model, NULL);
  AdwStyleManager *style = adw_style_manager_get_default ();
  GtkWidget *prompt;

  gtk_window_set_default_size (GTK_WINDOW (editor), 360, 720);
  gtk_window_present (GTK_WINDOW (editor));
  cohort_test_ui_settle (300);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_label, "请先写好题目。"));

  prompt = cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_type, "GtkTextView");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (prompt)), "哪颗行星最大？", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL));
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (editor), cohort_test_ui_is_label, "选项 1 为空：请填写，或将其删除。"));
  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (editor), "zh-quiz-editor-missing-360.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_FORCE_DARK);
  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (editor), "zh-quiz-editor-missing-360-dark.png");
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (editor));
}

static gboolean
lesson_live (gpointer data)
{
  return cohort_lesson_get_state (cohort_session_get_lesson (data)) == COHORT_LESSON_STATE_LIVE;
}

static gboolean
menu_has (GMenuModel *model,
          const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autofree char *name = NULL;

      if ((section != NULL && menu_has (section, action)) ||
          (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
           g_str_equal (name, action)))
        return TRUE;
    }
  return FALSE;
}

/* @window at @width in each style, its side panel on @page. */
static void
class_shots (CohortClassWindow *window,
             const char        *who,
             const char        *page)
{
  const struct { AdwColorScheme scheme; const char *name; } styles[] = {
    { ADW_COLOR_SCHEME_FORCE_LIGHT, "light" }, { ADW_COLOR_SCHEME_FORCE_DARK, "dark" },
  };
  const int widths[] = { 1280, 360 };

  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    for (guint j = 0; j < G_N_ELEMENTS (widths); j++)
      {
        g_autofree char *file = g_strdup_printf ("zh-class-%s-%s-%s-%d.png", who, page, styles[i].name, widths[j]);

        adw_style_manager_set_color_scheme (adw_style_manager_get_default (), styles[i].scheme);
        gtk_window_set_default_size (GTK_WINDOW (window), widths[j], 800);
        cohort_test_ui_settle (600);
        cohort_test_ui_show_side_page (window, page);
        cohort_test_ui_settle (600);
        cohort_test_ui_save_screenshot (GTK_WIDGET (window), file);
      }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

/* The class windows in Chinese during a lesson: no two controls of a tab
 * answer the same Alt key (Alt+H was both 举手 and 助手), for the teacher
 * and for a student; and their main pages, light and dark, at 1280×800
 * and 360 px, to look at. */
static void
test_class_windows_in_chinese (void)
{
  CohortClassWindow *teacher = cohort_test_ui_open_class (server, NULL, "李老师", "物理 101");
  const char *code = cohort_session_get_class_code (cohort_class_window_get_session (teacher));
  CohortClassWindow *mei = cohort_test_ui_open_class (server, code, "小美", NULL);

  gtk_window_set_default_size (GTK_WINDOW (teacher), 1280, 800);
  gtk_window_set_default_size (GTK_WINDOW (mei), 1280, 800);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "class.start-lesson", NULL));
  g_assert_true (cohort_test_ui_wait_for (lesson_live, cohort_class_window_get_session (mei), 10000));
  cohort_test_ui_settle (500);
  g_assert_true (gtk_widget_get_visible (mei->controls));

  cohort_test_ui_assert_unique_mnemonics (teacher, "teacher");
  cohort_test_ui_assert_unique_mnemonics (mei, "student");
  /* A student reaches the device settings before being on the stage. */
  g_assert_false (cohort_classroom_get_on_stage (cohort_stage_get_classroom (COHORT_STAGE (mei->stage))));
  g_assert_true (menu_has (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (
                             gtk_menu_button_get_popover (GTK_MENU_BUTTON (mei->main_menu_button)))),
                           "app.preferences"));

  class_shots (teacher, "teacher", "people");
  class_shots (mei, "student", "chat");
  class_shots (mei, "student", "quiz");
  class_shots (mei, "student", "groups");
  cohort_test_ui_close_windows (teacher, mei, NULL);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("COHORT_LOCALEDIR");
  g_autofree char *data_home = NULL;

  g_assert_nonnull (localedir);
  g_setenv ("LC_ALL", "zh_CN.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    g_error ("The zh_CN.UTF-8 locale is missing; build-aux/install-deps.sh generates it");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  data_home = cohort_test_ui_init (&argc, &argv, "ui-zh");
  server = cohort_test_server_start (NULL);

  g_test_add_func ("/cohort/ui/zh-CN/start-page", test_start_page_in_chinese);
  g_test_add_func ("/cohort/ui/zh-CN/identity-pages", test_identity_pages_in_chinese);
  g_test_add_func ("/cohort/ui/zh-CN/quiz-editor", test_quiz_editor_in_chinese);
  g_test_add_func ("/cohort/ui/zh-CN/class-windows", test_class_windows_in_chinese);

  return cohort_test_ui_run (server, data_home);
}

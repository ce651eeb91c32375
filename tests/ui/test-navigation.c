/* test-navigation.c: CohortApplication moves between the start and class windows
 *
 * A real CohortApplication (not unique, on the test's private bus) and a
 * real cohort-server: start page → class window → Leave → start page, and
 * cohort:// links, all through the application.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-navigation"

#include "config.h"

#include <adwaita.h>

#include "cohort-test-server.h"
#include "cohort-test-ui.h"

#include "cohort-application.h"
#include "cohort-home-window.h"
#include "cohort-chat-page.h"
#include "cohort-media-preferences.h"

static CohortTestServer *server;

static void
on_class_opened (CohortStartWindow  *start,
                 CohortClassWindow  *window,
                 CohortClassWindow **opened)
{
  *opened = window;
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

#define app_window_of_type cohort_test_ui_app_window

static gboolean
has_start_window (gpointer data)
{
  return app_window_of_type (data, COHORT_TYPE_START_WINDOW) != NULL;
}

static gboolean
has_home_window (gpointer data)
{
  return app_window_of_type (data, COHORT_TYPE_HOME_WINDOW) != NULL;
}

static gboolean
nothing_pending (gpointer data)
{
  return cohort_session_get_n_pending (data) == 0;
}

#define close_all cohort_test_ui_close_app_windows
#define new_application cohort_test_ui_new_application

/* The application's start page starts a class titled @title; returns its
 * class window, which has taken the start page's place. */
static CohortClassWindow *
start_class (CohortApplication *app,
             const char        *title)
{
  const char *url = cohort_test_server_get_url (server);
  CohortStartWindow *start;
  CohortClassWindow *window = NULL;

  start = cohort_application_show_start (app);
  g_assert_true (gtk_window_get_application (GTK_WINDOW (start)) == GTK_APPLICATION (app));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (start)));
  g_object_add_weak_pointer (G_OBJECT (start), (gpointer *) &start);
  g_signal_connect (start, "class-opened", G_CALLBACK (on_class_opened), &window);

  cohort_start_window_set_fields (start, url, NULL, "Ms Li", NULL, title);
  cohort_start_window_set_staff_credential (start, cohort_test_staff_lookup (url));
  cohort_start_window_set_waiting_room (start, FALSE);
  cohort_start_window_start_class (start);

  g_assert_true (cohort_test_ui_wait_for (pointer_set, &window, 10000));
  g_assert_true (cohort_test_ui_wait_for (pointer_cleared, &start, 5000));
  return window;
}

static void
test_start_class_leave (void)
{
  g_autoptr(CohortApplication) app = new_application ("org.cohortclass.Cohort.TestNavigation");
  CohortStartWindow *start;
  CohortClassWindow *window;
  AdwMessageDialog *dialog;

  /* The application shows the start page and, once the class is started,
   * the class window in its place. */
  window = start_class (app, "Navigation");
  g_assert_true (COHORT_IS_CLASS_WINDOW (window));
  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (app));
  g_assert_true (app_window_of_type (GTK_APPLICATION (app), COHORT_TYPE_CLASS_WINDOW) == GTK_WINDOW (window));
  g_assert_null (app_window_of_type (GTK_APPLICATION (app), COHORT_TYPE_START_WINDOW));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  cohort_test_ui_settle (200);
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), "navigation-class.png");

  /* Leave, confirmed: back home, where the teacher's kept class is
   * listed, and the join form one step away, so there is a way in again. */
  g_assert_true (cohort_test_ui_wait_for (nothing_pending, cohort_class_window_get_session (window), 10000));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "class.leave", NULL));
  dialog = cohort_test_ui_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 5000);
  adw_message_dialog_response (dialog, "leave");
  g_assert_true (cohort_test_ui_wait_for (pointer_cleared, &window, 10000));
  g_assert_true (cohort_test_ui_wait_for (has_home_window, app, 5000));
  g_assert_null (app_window_of_type (GTK_APPLICATION (app), COHORT_TYPE_CLASS_WINDOW));
  {
    CohortHomeWindow *home = COHORT_HOME_WINDOW (app_window_of_type (GTK_APPLICATION (app), COHORT_TYPE_HOME_WINDOW));

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cohort_home_window_get_model (home))), ==, 1);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (home), "home.join-new", NULL));
  }
  g_assert_true (cohort_test_ui_wait_for (has_start_window, app, 5000));
  start = COHORT_START_WINDOW (app_window_of_type (GTK_APPLICATION (app), COHORT_TYPE_START_WINDOW));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (start)));
  g_assert_null (cohort_start_window_get_error_message (start));
  cohort_test_ui_settle (200);
  cohort_test_ui_save_screenshot (GTK_WIDGET (start), "navigation-start-after-leave.png");

  close_all (GTK_APPLICATION (app));
}

static void
test_links (void)
{
  g_autoptr(CohortApplication) app = new_application ("org.cohortclass.Cohort.TestLinks");
  g_autofree char *escaped = g_uri_escape_string (cohort_test_server_get_url (server), NULL, FALSE);
  g_autofree char *link = g_strdup_printf ("cohort://join?server=%s&code=K7QM-2XPA", escaped);
  CohortStartWindow *start;

  /* A class link opens a start page of its own, filled, without joining. */
  g_assert_true (cohort_application_open_link (app, link));
  start = COHORT_START_WINDOW (app_window_of_type (GTK_APPLICATION (app), COHORT_TYPE_START_WINDOW));
  g_assert_nonnull (start);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (start)));
  g_assert_null (cohort_start_window_get_error_message (start));
  g_assert_false (cohort_start_window_get_busy (start));
  close_all (GTK_APPLICATION (app));

  /* Any other text: the page says it is not a class link. */
  g_assert_false (cohort_application_open_link (app, "https://example.org/join?code=K7QM2XPA"));
  start = COHORT_START_WINDOW (app_window_of_type (GTK_APPLICATION (app), COHORT_TYPE_START_WINDOW));
  g_assert_nonnull (start);
  g_assert_nonnull (cohort_start_window_get_error_message (start));
  close_all (GTK_APPLICATION (app));
}

static const char *
shown_tab (CohortClassWindow *window)
{
  AdwViewStack *stack = ADW_VIEW_STACK (cohort_test_ui_find (GTK_WIDGET (window), cohort_test_ui_is_type,
                                                             "AdwViewStack"));

  return adw_view_stack_get_visible_child_name (stack);
}

static gboolean
focus_in_chat (gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (data));

  return focus != NULL && gtk_widget_get_ancestor (focus, COHORT_TYPE_CHAT_PAGE) != NULL;
}

/* The class window's main menu (Preferences, Keyboard Shortcuts, About),
 * and the keyboard: Alt+N opens the Nth tab, Ctrl+Page Down and Up step
 * through them (wrapping), Ctrl+L puts the keyboard in the chat composer,
 * Ctrl+? shows the shortcuts, Ctrl+comma the preferences. */
static void
test_menu_and_shortcuts (void)
{
  g_autoptr(CohortApplication) app = new_application ("org.cohortclass.Cohort.TestShortcuts");
  CohortClassWindow *window = start_class (app, "Shortcuts");
  GtkMenuButton *menu_button;
  GMenuModel *menu;
  g_autoptr(GPtrArray) actions = g_ptr_array_new_with_free_func (g_free);
  const char *first;

  /* The main menu: reachable by everyone, whatever the role. */
  menu_button = NULL;
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    cohort_test_ui_find_all (GTK_WIDGET (window), cohort_test_ui_is_type, "GtkMenuButton", buttons);
    for (guint i = 0; i < buttons->len && menu_button == NULL; i++)
      if (GTK_IS_POPOVER_MENU (gtk_menu_button_get_popover (g_ptr_array_index (buttons, i))))
        menu_button = g_ptr_array_index (buttons, i);
  }
  g_assert_nonnull (menu_button);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (menu_button)));
  menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (gtk_menu_button_get_popover (menu_button)));
  for (int section = 0; section < g_menu_model_get_n_items (menu); section++)
    {
      GMenuModel *items = g_menu_model_get_item_link (menu, section, G_MENU_LINK_SECTION);

      for (int i = 0; items != NULL && i < g_menu_model_get_n_items (items); i++)
        {
          char *action = NULL;

          /* The teacher's class settings (a custom item) have none. */
          if (g_menu_model_get_item_attribute (items, i, G_MENU_ATTRIBUTE_ACTION, "s", &action))
            g_ptr_array_add (actions, action);
        }
      g_clear_object (&items);
    }
  /* The teacher's menu starts with the class's mastery view. */
  g_assert_cmpuint (actions->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (actions, 0), ==, "class.show-mastery");
  g_assert_cmpstr (g_ptr_array_index (actions, 1), ==, "app.preferences");
  g_assert_cmpstr (g_ptr_array_index (actions, 2), ==, "win.show-help-overlay");
  g_assert_cmpstr (g_ptr_array_index (actions, 3), ==, "app.about");

  /* Each entry opens its window. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "app.preferences", NULL));
  gtk_window_destroy (cohort_test_ui_wait_toplevel (COHORT_TYPE_MEDIA_PREFERENCES, 5000));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  {
    GtkWindow *shortcuts = cohort_test_ui_wait_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, 5000);

    cohort_test_ui_settle (300);
    cohort_test_ui_save_screenshot (GTK_WIDGET (shortcuts), "navigation-shortcuts.png");
    gtk_window_destroy (shortcuts);
  }

  /* Tabs by number and in turn. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "class.show-tab", "i", 1));
  first = shown_tab (window);
  g_assert_cmpstr (first, ==, "people");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "class.show-tab", "i", 2));
  g_assert_cmpstr (shown_tab (window), ==, "chat");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "class.next-tab", NULL));
  g_assert_cmpstr (shown_tab (window), !=, "chat");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "class.previous-tab", NULL));
  g_assert_cmpstr (shown_tab (window), ==, "chat");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "class.previous-tab", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "class.previous-tab", NULL));
  g_assert_cmpstr (shown_tab (window), !=, "people");
  g_assert_cmpstr (shown_tab (window), !=, "chat");
  /* Past the number of tabs: nothing moves. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "class.show-tab", "i", 1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "class.show-tab", "i", 9));
  g_assert_cmpstr (shown_tab (window), ==, "people");

  /* Ctrl+L: the composer, from the People tab. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "class.focus-chat", NULL));
  g_assert_cmpstr (shown_tab (window), ==, "chat");
  g_assert_true (cohort_test_ui_wait_for (focus_in_chat, window, 5000));

  close_all (GTK_APPLICATION (app));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  /* Tokens go to a throwaway data dir. */
  data_home = cohort_test_ui_init (&argc, &argv, "nav-test");

  server = cohort_test_server_start (NULL);

  g_test_add_func ("/cohort/ui/navigation/start-class-leave", test_start_class_leave);
  g_test_add_func ("/cohort/ui/navigation/links", test_links);
  g_test_add_func ("/cohort/ui/navigation/menu-and-shortcuts", test_menu_and_shortcuts);

  return cohort_test_ui_run (server, data_home);
}

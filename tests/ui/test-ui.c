/* test-ui.c: the start page and the class window against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ui"

#include "config.h"

#include <unistd.h>

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cohort-protocol.h"
#include "cohort-session.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"
#include "cohort-test-ui.h"

#include "cohort-class-window-private.h"
#include "cohort-error-message.h"
#include "cohort-export.h"
#include "cohort-start-window.h"
#include "cohort-token-store.h"

/* Fills the start page as a user would and presses the button. */
static CohortClassWindow *
open_through_start_page (const char *server,
                         const char *code,
                         const char *name,
                         const char *teacher_key,
                         const char *title)
{
  CohortStartWindow *start = cohort_start_window_new (NULL);

  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, server, code, name, teacher_key, title);

  if (title != NULL)
    {
      /* identity: as the test server's staff; students are let in at once. */
      cohort_start_window_set_staff_credential (start, cohort_test_staff_lookup (server));
      cohort_start_window_set_waiting_room (start, FALSE);
      cohort_start_window_start_class (start);
    }
  else
    cohort_start_window_join (start);

  g_assert_true (cohort_start_window_get_busy (start));
  return cohort_test_ui_wait_class_opened (start);
}

static gboolean
widget_visible (gpointer widget)
{
  return gtk_widget_get_visible (widget);
}

static gboolean
n_items_is (gpointer data)
{
  GListModel *model = ((gpointer *) data)[0];
  guint n = GPOINTER_TO_UINT (((gpointer *) data)[1]);

  return g_list_model_get_n_items (model) == n;
}

static void
assert_n_items_soon (GListModel *model,
                     guint       n)
{
  gpointer data[2] = { model, GUINT_TO_POINTER (n) };

  cohort_test_ui_wait_for (n_items_is, data, 10000);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
}

static guint
count_rows (GtkWidget *list_view)
{
  guint n = 0;

  /* GtkListView's children are the row widgets it made from the factory. */
  for (GtkWidget *child = gtk_widget_get_first_child (list_view);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_visible (child) && gtk_widget_get_first_child (child) != NULL)
      n++;

  return n;
}

static CohortTestServer *server;

/* The start page shows an error that holds @text. */
static void
assert_error_says (CohortStartWindow *start,
                   const char        *text)
{
  const char *message = cohort_start_window_get_error_message (start);

  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, text));
}

static void
test_start_page_invalid_name (void)
{
  CohortStartWindow *start = cohort_start_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (start), 420, 760);
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, cohort_test_server_get_url (server),
                                  "K7QM-2XPA", "   ", NULL, NULL);
  cohort_start_window_join (start);

  /* Checked on the client; nothing is sent. */
  g_assert_false (cohort_start_window_get_busy (start));
  assert_error_says (start, "name");

  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (start), "start-page-error.png");
  gtk_window_destroy (GTK_WINDOW (start));
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  char     *output;
} Walk;

static void
on_walk_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Walk *walk = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &walk->output, NULL, &error);
  g_assert_no_error (error);
  walk->ok = g_subprocess_get_if_exited (G_SUBPROCESS (source)) && g_subprocess_get_exit_status (G_SUBPROCESS (source)) == 0;
  walk->done = TRUE;
}

static gboolean
walk_done (gpointer data)
{
  return ((Walk *) data)->done;
}

/* What a screen reader finds on screen now: every control has a name,
 * without a mnemonic's underscore (cohort-atspi-walk, in its own process
 * while this one keeps answering on the accessibility bus). */
static void
assert_screen_reader_names (const char *where)
{
  g_autofree char *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) walker = NULL;
  Walk walk = { 0 };

  g_assert_nonnull (g_getenv ("COHORT_ATSPI_WALK"));
  cohort_test_ui_settle (300);
  walker = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, g_getenv ("COHORT_ATSPI_WALK"), pid, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (walker, NULL, NULL, on_walk_done, &walk);
  g_assert_true (cohort_test_ui_wait_for (walk_done, &walk, 60000));
  if (g_getenv ("COHORT_ATSPI_WALK_VERBOSE") != NULL)
    g_test_message ("%s:\n%s", where, walk.output);
  if (!walk.ok)
    g_error ("%s: controls a screen reader cannot name:\n%s", where, walk.output);
  g_free (walk.output);
}

/* The narrowest @window's content can be: the window's own measure adds
 * the client-side frame, which a window's size does not count. */
static int
min_width (GtkWidget *window)
{
  GtkWidget *content = gtk_widget_get_first_child (window);
  int min = 0;

  g_assert_nonnull (content);
  gtk_widget_measure (content, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

/* Both windows work at 360 px, like libadwaita's adaptive apps. */
static void
test_start_page_narrow (void)
{
  CohortStartWindow *start = cohort_start_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (start), 360, 720);
  gtk_window_present (GTK_WINDOW (start));
  cohort_test_ui_settle (300);
  g_test_message ("start window: at least %d px", min_width (GTK_WIDGET (start)));
  g_assert_cmpint (min_width (GTK_WIDGET (start)), <=, 360);
  cohort_test_ui_save_screenshot (GTK_WIDGET (start), "start-page-360.png");
  assert_screen_reader_names ("start page");
  gtk_window_destroy (GTK_WINDOW (start));
}

/* At 1.5× text (GNOME's Large Text), the Join button stays in view in a
 * window of the default size: nobody has to find a scroll bar to join. */
static void
test_start_page_large_text (void)
{
  GtkSettings *settings = gtk_settings_get_default ();
  int dpi = 0;
  CohortStartWindow *start;
  GtkWidget *label;
  GtkWidget *button;
  graphene_rect_t bounds;

  g_object_get (settings, "gtk-xft-dpi", &dpi, NULL);
  g_object_set (settings, "gtk-xft-dpi", 96 * 1024 * 3 / 2, NULL);
  start = cohort_start_window_new (NULL);
  gtk_window_present (GTK_WINDOW (start));
  cohort_test_ui_settle (500);
  label = cohort_test_ui_find (GTK_WIDGET (start), cohort_test_ui_is_label, "Join Class");
  g_assert_nonnull (label);
  button = gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_compute_bounds (button, GTK_WIDGET (start), &bounds));
  g_test_message ("Join at 1.5× text: y %.0f–%.0f of %d", bounds.origin.y,
                  bounds.origin.y + bounds.size.height, gtk_widget_get_height (GTK_WIDGET (start)));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (start)));
  cohort_test_ui_save_screenshot (GTK_WIDGET (start), "start-page-large-text.png");
  gtk_window_destroy (GTK_WINDOW (start));
  if (dpi > 0)
    g_object_set (settings, "gtk-xft-dpi", dpi, NULL);
  else
    gtk_settings_reset_property (settings, "gtk-xft-dpi");
  cohort_test_ui_settle (100);
}

static gboolean
not_busy (gpointer data)
{
  return !cohort_start_window_get_busy (data);
}

/* A join the start page refuses: it says why, on the page. */
typedef struct
{
  const char *server;     /* NULL: the test server */
  const char *code;
  guint       timeout_ms;
  const char *message;
} RefusedJoin;

static const RefusedJoin unreachable = {
  /* Port 1 on loopback refuses connections. */
  "127.0.0.1:1", "K7QM2XPA", 20000, "Could not reach the class server at 127.0.0.1:1",
};

static const RefusedJoin unknown_code = {
  NULL, "ZZZZ-ZZZZ", 10000, "There is no class with the code ZZZZZZZZ",
};

static void
test_start_page_refused (gconstpointer data)
{
  const RefusedJoin *refused = data;
  CohortStartWindow *start = cohort_start_window_new (NULL);
  const char *url = refused->server != NULL ? refused->server : cohort_test_server_get_url (server);

  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, url, refused->code, "Mei", NULL, NULL);
  cohort_start_window_join (start);
  g_assert_true (cohort_start_window_get_busy (start));
  g_assert_true (cohort_test_ui_wait_for (not_busy, start, refused->timeout_ms));

  assert_error_says (start, refused->message);
  gtk_window_destroy (GTK_WINDOW (start));
}

/* A cohort:// link (from the command line, as a browser passes it) fills in
 * the Join page and joins nothing until the student presses Join. */
static void
test_start_page_open_link (void)
{
  CohortStartWindow *start = cohort_start_window_new (NULL);
  g_autofree char *escaped = g_uri_escape_string (cohort_test_server_get_url (server), NULL, FALSE);
  g_autofree char *link = g_strdup_printf ("cohort://join?server=%s&code=ZZZZ-ZZZZ", escaped);

  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, "127.0.0.1:1", "K7QM2XPA", "Mei", NULL, NULL);

  g_assert_false (cohort_start_window_open_link (start, "https://example.org/join?code=K7QM2XPA"));
  assert_error_says (start, "not a Cohort class link");
  g_assert_false (cohort_start_window_get_busy (start));

  g_assert_true (cohort_start_window_open_link (start, link));
  g_assert_null (cohort_start_window_get_error_message (start));
  g_assert_false (cohort_start_window_get_busy (start));

  /* Join now goes to the link's server with the link's code. */
  cohort_start_window_join (start);
  g_assert_true (cohort_test_ui_wait_for (not_busy, start, 10000));
  assert_error_says (start, "There is no class with the code ZZZZZZZZ");
  gtk_window_destroy (GTK_WINDOW (start));
}

static gboolean
participant_hand_is_down (gpointer data)
{
  return !cohort_participant_get_hand_raised (data);
}

static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *seen,
                   const char *where)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      guint keyval = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      const char *other = g_hash_table_lookup (seen, GUINT_TO_POINTER (keyval));

      if (keyval != GDK_KEY_VoidSymbol)
        {
          if (other != NULL)
            g_error ("%s: Alt+%s belongs to “%s” and “%s”", where, gdk_keyval_name (keyval), other,
                     gtk_label_get_label (GTK_LABEL (widget)));
          g_hash_table_insert (seen, GUINT_TO_POINTER (keyval), (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, seen, where);
}

/* Each tab of @window, as shown: no two controls answer the same Alt key
 * (Alt+H was both "Raise Hand" and "Helper"). The tab switcher's own
 * mnemonics are shown with every tab. */
static void
assert_unique_mnemonics (CohortClassWindow *window,
                         const char        *who)
{
  GtkSelectionModel *pages = adw_view_stack_get_pages (window->side_stack);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
      g_autofree char *where = g_strdup_printf ("%s, tab %s", who, adw_view_stack_page_get_name (page));

      if (!adw_view_stack_page_get_visible (page))
        continue;
      adw_view_stack_set_visible_child (window->side_stack, adw_view_stack_page_get_child (page));
      cohort_test_ui_settle (150);
      collect_mnemonics (GTK_WIDGET (window), seen, where);
    }
  adw_view_stack_set_visible_child_name (window->side_stack, "people");
}

static void
test_class_window_roster_and_hands (void)
{
  CohortClassWindow *teacher;
  CohortClassWindow *mei;
  CohortClassWindow *sam;
  CohortSession *session;
  GListModel *roster;
  GListModel *hands;
  g_autoptr(CohortParticipant) first = NULL;
  g_autofree char *code = NULL;
  gint64 mei_id;

  /* The teacher starts a class from the start page. */
  teacher = open_through_start_page (cohort_test_server_get_url (server), NULL,
                                     "Ms. Rivera", NULL, "Physics 101");
  gtk_window_set_default_size (GTK_WINDOW (teacher), 1100, 720);
  session = cohort_class_window_get_session (teacher);
  g_assert_cmpint (cohort_session_get_state (session), ==, COHORT_SESSION_STATE_JOINED);
  g_assert_true (cohort_class_window_get_is_teacher (teacher));
  g_assert_nonnull (cohort_session_get_teacher_key (session));
  code = g_strdup (cohort_session_get_class_code (session));
  g_assert_cmpstr (adw_window_title_get_title (teacher->window_title), ==, "Physics 101");
  /* The window's own title tells a teacher's window from a student's. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (teacher)), ==, "Physics 101 — Ms. Rivera (Teacher)");
  g_assert_cmpstr (adw_action_row_get_subtitle (teacher->code_row), ==, code);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (teacher->invite_group)));
  g_assert_false (gtk_widget_get_visible (teacher->controls));

  roster = gtk_no_selection_get_model (teacher->roster_selection);
  hands = gtk_no_selection_get_model (teacher->hands_selection);
  /* Everyone in the class: the roster without those waiting to be let in. */
  g_assert_true (GTK_IS_FILTER_LIST_MODEL (roster));
  g_assert_true (gtk_filter_list_model_get_model (GTK_FILTER_LIST_MODEL (roster)) == G_LIST_MODEL (cohort_session_get_roster (session)));
  assert_n_items_soon (roster, 1);
  assert_n_items_soon (hands, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (teacher->hands_stack), ==, "empty");

  /* Two students join through their own start pages. */
  mei = open_through_start_page (cohort_test_server_get_url (server), code, "Mei", NULL, NULL);
  sam = open_through_start_page (cohort_test_server_get_url (server), code, "Sam", NULL, NULL);
  g_assert_false (cohort_class_window_get_is_teacher (mei));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (mei)), ==, "Physics 101 — Mei (Student)");
  /* Before the lesson: no Raise Hand (nobody to raise it to), nor Ctrl+H. */
  g_assert_false (gtk_widget_get_visible (mei->controls));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (mei->raise_hand_button)) &&
                  gtk_widget_get_visible (GTK_WIDGET (mei->raise_hand_button)) &&
                  gtk_widget_get_mapped (GTK_WIDGET (mei->raise_hand_button)));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (mei), "class.raise-hand", NULL) &&
                  cohort_class_window_get_hand_raised (mei));
  /* Both work at 360 px before the lesson too (Start Lesson in the header). */
  g_assert_cmpint (min_width (GTK_WIDGET (teacher)), <=, 360);
  g_assert_cmpint (min_width (GTK_WIDGET (mei)), <=, 360);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "class.start-lesson", NULL));
  g_assert_true (cohort_test_ui_wait_for (widget_visible, mei->controls, 10000));
  g_assert_true (cohort_test_ui_wait_for (widget_visible, sam->controls, 10000));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (mei->invite_group)));
  assert_n_items_soon (roster, 3);
  assert_n_items_soon (gtk_no_selection_get_model (mei->roster_selection), 3);

  cohort_test_ui_settle (300);
  g_assert_cmpuint (count_rows (GTK_WIDGET (teacher->roster_view)), ==, 3);
  assert_unique_mnemonics (teacher, "teacher");
  assert_unique_mnemonics (mei, "student");
  assert_screen_reader_names ("class windows, teacher and students, every tab");
  g_test_message ("class window: teacher at least %d px, student %d px",
                  min_width (GTK_WIDGET (teacher)), min_width (GTK_WIDGET (mei)));
  g_assert_cmpint (min_width (GTK_WIDGET (teacher)), <=, 360);
  g_assert_cmpint (min_width (GTK_WIDGET (mei)), <=, 360);

  /* A student's main menu: no class settings, their devices within reach. */
  g_assert_false (gtk_widget_get_visible (mei->settings_box));
  g_assert_true (gtk_widget_get_visible (teacher->settings_box));
  gtk_menu_button_popup (GTK_MENU_BUTTON (mei->main_menu_button));
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (mei->main_menu_button))),
                                  "class-student-menu.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (mei->main_menu_button));

  /* Students raise their hands through the window's action. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (mei), "class.raise-hand", NULL));
  g_assert_true (cohort_class_window_get_hand_raised (mei));
  assert_n_items_soon (hands, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sam), "class.raise-hand", NULL));
  assert_n_items_soon (hands, 2);

  /* In the order they were raised. */
  first = g_list_model_get_item (hands, 0);
  g_assert_cmpstr (cohort_participant_get_name (first), ==, "Mei");
  mei_id = cohort_participant_get_id (first);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (teacher->hands_stack), ==, "list");
  g_assert_cmpstr (gtk_label_get_label (teacher->hands_count_label), ==, "2");

  cohort_test_ui_settle (500);
  g_assert_cmpuint (count_rows (GTK_WIDGET (teacher->hands_view)), ==, 2);
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "class-window.png");

  /* The student window at phone width. */
  gtk_window_set_default_size (GTK_WINDOW (mei), 360, 720);
  cohort_test_ui_settle (600);
  cohort_test_ui_save_screenshot (GTK_WIDGET (mei), "class-window-student-360.png");

  /* The teacher lowers Mei's hand from her row. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "class.lower-hand", "x", mei_id));
  assert_n_items_soon (hands, 1);
  {
    CohortParticipant *me = cohort_session_get_self (cohort_class_window_get_session (mei));
    cohort_test_ui_wait_for (participant_hand_is_down, me, 10000);
    cohort_test_ui_settle (100);
    g_assert_false (cohort_participant_get_hand_raised (me));
    g_assert_false (cohort_class_window_get_hand_raised (mei));
  }

  /* And then everyone's. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "class.lower-all-hands", NULL));
  assert_n_items_soon (hands, 0);

  gtk_window_destroy (GTK_WINDOW (sam));
  gtk_window_destroy (GTK_WINDOW (mei));
  gtk_window_destroy (GTK_WINDOW (teacher));
  g_object_unref (sam);
  g_object_unref (mei);
  g_object_unref (teacher);
}

static void
test_token_resume (void)
{
  CohortClassWindow *teacher;
  CohortClassWindow *window;
  g_autoptr(CohortStoredToken) stored = NULL;
  g_autofree char *code = NULL;
  g_autofree char *server_url = NULL;
  g_autofree char *path = NULL;
  GStatBuf st;
  gint64 first_id;

  teacher = open_through_start_page (cohort_test_server_get_url (server), NULL,
                                     "Mr. Okafor", NULL, "Chemistry");
  code = g_strdup (cohort_session_get_class_code (cohort_class_window_get_session (teacher)));

  window = open_through_start_page (cohort_test_server_get_url (server), code, "Lin", NULL, NULL);
  first_id = cohort_participant_get_id (cohort_session_get_self (cohort_class_window_get_session (window)));
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);

  /* The token is on disk, readable only by us. */
  path = cohort_token_store_get_path ();
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  server_url = g_strdup (cohort_test_server_get_url (server));
  stored = cohort_token_store_lookup (server_url, code, FALSE);
  g_assert_nonnull (stored);
  g_assert_cmpuint (strlen (stored->token), ==, COHORT_SECRET_CHARS);

  /* "Restarting the app": the same fields give the same participant. */
  window = open_through_start_page (cohort_test_server_get_url (server), code, "Lin", NULL, NULL);
  g_assert_cmpint (cohort_participant_get_id (cohort_session_get_self (cohort_class_window_get_session (window))),
                   ==, first_id);
  assert_n_items_soon (G_LIST_MODEL (cohort_session_get_roster (cohort_class_window_get_session (teacher))), 2);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);

  /* A token the server does not know falls back to joining anew. */
  g_assert_true (cohort_token_store_save (server_url, code, FALSE,
                                          "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                          NULL, "Lin", NULL));
  window = open_through_start_page (cohort_test_server_get_url (server), code, "Lin", NULL, NULL);
  g_assert_cmpint (cohort_participant_get_id (cohort_session_get_self (cohort_class_window_get_session (window))),
                   !=, first_id);
  gtk_window_destroy (GTK_WINDOW (window));
  g_object_unref (window);

  gtk_window_destroy (GTK_WINDOW (teacher));
  g_object_unref (teacher);
}

/* The staff credential is kept once per server, in the 0600 token file,
 * apart from the class tokens, and forgotten on request. */
static void
test_token_store_staff (void)
{
  g_autofree char *path = cohort_token_store_get_path ();
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other = NULL;
  g_autofree char *gone = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CohortStoredToken) student = NULL;
  GStatBuf st;

  g_assert_null (cohort_token_store_lookup_staff ("ws://staff.example:1/ws"));
  g_assert_true (cohort_token_store_save ("ws://staff.example:1/ws", "K7QM2XPA", FALSE,
                                          "student-token", NULL, "Lin", &error));
  g_assert_no_error (error);
  g_assert_true (cohort_token_store_save_staff ("ws://staff.example:1/ws", "credential-one", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  first = cohort_token_store_lookup_staff ("ws://staff.example:1/ws");
  g_assert_cmpstr (first, ==, "credential-one");
  /* Another server has its own (none here). */
  other = cohort_token_store_lookup_staff ("ws://staff.example:2/ws");
  g_assert_null (other);

  /* A new one replaces the old one. */
  g_assert_true (cohort_token_store_save_staff ("ws://staff.example:1/ws", "credential-two", NULL));
  again = cohort_token_store_lookup_staff ("ws://staff.example:1/ws");
  g_assert_cmpstr (again, ==, "credential-two");

  /* Forgetting it keeps the class tokens. */
  g_assert_true (cohort_token_store_forget_staff ("ws://staff.example:1/ws", &error));
  g_assert_no_error (error);
  gone = cohort_token_store_lookup_staff ("ws://staff.example:1/ws");
  g_assert_null (gone);
  student = cohort_token_store_lookup ("ws://staff.example:1/ws", "K7QM2XPA", FALSE);
  g_assert_nonnull (student);
  g_assert_cmpstr (student->token, ==, "student-token");
  g_assert_true (cohort_token_store_forget ("ws://staff.example:1/ws", "K7QM2XPA", FALSE, NULL));
}

/* What people type as the server's address, and the URL the app uses. */
static void
test_server_address (void)
{
  static const struct { const char *typed, *url; } cases[] = {
    { "cohort.school.org:8765", "ws://cohort.school.org:8765/ws" },
    { "  127.0.0.1:8765  ", "ws://127.0.0.1:8765/ws" },
    { "https://cohort.school.org", "wss://cohort.school.org/ws" },
    { "https://cohort.school.org/", "wss://cohort.school.org/ws" },
    { "http://10.0.0.5:8765", "ws://10.0.0.5:8765/ws" },
    { "wss://cohort.school.org/classes/ws", "wss://cohort.school.org/classes/ws" },
    { "ws://127.0.0.1:8765/ws?batch=1", "ws://127.0.0.1:8765/ws?batch=1" },
    { "wss://cohort.school.org", "wss://cohort.school.org/ws" },
    { "HTTPS://cohort.school.org", "wss://cohort.school.org/ws" },
    { "cohort.school.org:8765/", "ws://cohort.school.org:8765/ws" },
    { "cohort.school.org:8765/cohort/ws", "ws://cohort.school.org:8765/cohort/ws" },
    { "wss://cohort.school.org/?school=a%26b", "wss://cohort.school.org/ws?school=a%26b" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = cohort_normalize_server_url (cases[i].typed);

      g_assert_cmpstr (url, ==, cases[i].url);
    }
  g_assert_null (cohort_normalize_server_url ("   "));
  g_assert_null (cohort_normalize_server_url (NULL));
}

/* After many wrong codes from one network (here another client on the
 * same address guessed) the start page says why the next try waits,
 * beside the code field. */
static void
test_start_page_code_guessing (void)
{
  g_autoptr(CohortTestServer) own = cohort_test_server_start (NULL);
  g_autoptr(CohortTestClient) guesser = NULL;
  CohortStartWindow *start = cohort_start_window_new (NULL);
  guint refused = 0;

  /* The page is ready before the guessing, so that the join follows the
   * last guess at once, well within the second that refills a guess. */
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, cohort_test_server_get_url (own),
                                  "ZZZZ-ZZZZ", "Mei", NULL, NULL);
  cohort_test_ui_settle (100);

  for (guint i = 0; i < 150 && refused == 0; i++)
    {
      g_autoptr(JsonObject) body = json_object_new ();
      g_autoptr(CohortMessage) reply = NULL;

      /* A new connection now and then, under its own message rate limit. */
      if (i % 40 == 0)
        {
          g_clear_pointer (&guesser, cohort_test_client_free);
          guesser = cohort_test_client_new (cohort_test_server_get_url (own));
        }

      json_object_set_int_member (body, "protocol", COHORT_PROTOCOL_VERSION);
      json_object_set_string_member (body, "code", "ZZZZZZZZ");
      json_object_set_string_member (body, "name", "Guesser");
      reply = cohort_test_client_request (guesser, COHORT_REQ_CLASS_JOIN, NULL, body);
      g_assert_nonnull (reply);
      g_assert_cmpint (cohort_message_get_kind (reply), ==, COHORT_MESSAGE_ERROR);
      if (cohort_message_get_error_code (reply) == COHORT_ERROR_RATE_LIMITED)
        refused++;
      else
        g_assert_cmpint (cohort_message_get_error_code (reply), ==, COHORT_ERROR_NOT_FOUND);
    }
  g_assert_cmpuint (refused, ==, 1);

  cohort_start_window_join (start);
  g_assert_true (cohort_test_ui_wait_for (not_busy, start, 10000));
  assert_error_says (start, "Too many wrong class codes came from your network");
  cohort_test_ui_settle (200);
  cohort_test_ui_save_screenshot (GTK_WIDGET (start), "start-code-guessing.png");
  gtk_window_destroy (GTK_WINDOW (start));
}

static GBytes *
export_contents (gpointer owner)
{
  return cohort_export_text (g_strdup (owner));
}

/* One export dialog at a time; an accepted export writes what the owner
 * gives, readable by its user only, and says so in a toast. */
static void
test_export_private_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cohort-export-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "codes.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *written = NULL;
  GtkWidget *window = gtk_window_new ();
  AdwToastOverlay *toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  CohortExport export = { NULL };
  GtkFileChooserNative *chooser;
  GStatBuf st;

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (toasts));
  gtk_window_present (GTK_WINDOW (window));
  cohort_export_open (&export, GTK_WINDOW (window), "Export", "codes.csv", toasts, "Codes saved",
                      export_contents, "name,code\r\nAna,1234\r\n");
  chooser = export.chooser;
  g_assert_nonnull (chooser);
  cohort_export_open (&export, GTK_WINDOW (window), "Export", "codes.csv", toasts, "Codes saved",
                      export_contents, "other");
  g_assert_true (export.chooser == chooser);

  cohort_export_save (&export, file);
  g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
  g_assert_cmpstr (written, ==, "name,code\r\nAna,1234\r\n");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (toasts), cohort_test_ui_is_label, "Codes saved"));

  cohort_export_close (&export);
  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  /* Tokens go to a throwaway data dir. */
  data_home = cohort_test_ui_init (&argc, &argv, "ui-test");

  server = cohort_test_server_start (NULL);

  g_test_add_func ("/cohort/ui/start-page/invalid-name", test_start_page_invalid_name);
  g_test_add_func ("/cohort/ui/start-page/narrow", test_start_page_narrow);
  g_test_add_func ("/cohort/ui/start-page/large-text", test_start_page_large_text);
  g_test_add_func ("/cohort/ui/start-page/server-address", test_server_address);
  g_test_add_func ("/cohort/ui/start-page/code-guessing", test_start_page_code_guessing);
  g_test_add_data_func ("/cohort/ui/start-page/unreachable", &unreachable, test_start_page_refused);
  g_test_add_data_func ("/cohort/ui/start-page/unknown-code", &unknown_code, test_start_page_refused);
  g_test_add_func ("/cohort/ui/start-page/open-link", test_start_page_open_link);
  g_test_add_func ("/cohort/ui/class-window/roster-and-hands", test_class_window_roster_and_hands);
  g_test_add_func ("/cohort/ui/start-page/token-resume", test_token_resume);
  g_test_add_func ("/cohort/ui/token-store/staff", test_token_store_staff);
  g_test_add_func ("/cohort/ui/export/private-file", test_export_private_file);

  return cohort_test_ui_run (server, data_home);
}

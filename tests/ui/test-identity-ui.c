/* test-identity-ui.c: staff accounts and student identity in the app,
 * against a real server: the staff credential and "Your classes" on the
 * start page, the waiting room on both sides, removal and blocking, and the
 * class's joining settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-identity-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cohort-class-summary.h"
#include "cohort-protocol.h"
#include "cohort-session.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"
#include "cohort-test-ui.h"

#include "cohort-class-window-private.h"
#include "cohort-start-window.h"
#include "cohort-invite-dialog.h"
#include "cohort-qr-code.h"
#include "cohort-roster-codes-dialog.h"
#include "cohort-token-store.h"
#include "cohort-waiting-page.h"

static CohortTestServer *server;

/* ---- the start page ---- */

static gboolean
not_busy (gpointer data)
{
  return !cohort_start_window_get_busy (data);
}

static void
list_classes (CohortStartWindow *start)
{
  cohort_start_window_list_classes (start);
  g_assert_true (cohort_test_ui_wait_for (not_busy, start, 10000));
}

static gboolean
run_cli (const char *db_path,
         const char *option,
         const char *value)
{
  const char *argv[] = { g_getenv ("COHORT_SERVER"), "--database", db_path, option, value, NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

/* The credential is asked once, kept per server, forgotten when refused;
 * "Your Classes" lists the staff's classes, opens one for a new lesson and
 * archives one. */
static void
test_start_page_staff (void)
{
  const char *url = cohort_test_server_get_url (server);
  const char *credential = cohort_test_server_get_staff_credential (server);
  CohortStartWindow *start;
  CohortClassWindow *teacher;
  g_autofree char *stored = NULL;
  g_autofree char *code = NULL;
  g_autofree char *token_path = cohort_token_store_get_path ();
  GStatBuf st;

  /* Nothing kept yet: the row is empty, and "Show My Classes" asks for it. */
  start = cohort_start_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (start), 420, 860);
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, url, NULL, "Ms. Rivera", NULL, "Physics 101");
  g_assert_cmpstr (cohort_start_window_get_staff_credential (start), ==, "");
  list_classes (start);
  g_assert_nonnull (strstr (cohort_start_window_get_error_message (start), "staff credential"));

  /* A wrong one is refused, said so, and not kept. */
  cohort_start_window_set_staff_credential (start, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  list_classes (start);
  g_assert_nonnull (strstr (cohort_start_window_get_error_message (start),
                            "The server did not accept this staff credential"));
  g_assert_cmpstr (cohort_start_window_get_staff_credential (start), ==, "");
  stored = cohort_token_store_lookup_staff (url);
  g_assert_null (stored);
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (start), "identity-start-refused.png");

  /* The right one: no classes yet; it is kept, 0600. */
  cohort_start_window_set_staff_credential (start, credential);
  list_classes (start);
  g_assert_null (cohort_start_window_get_error_message (start));
  g_assert_nonnull (cohort_start_window_get_classes (start));
  g_assert_cmpuint (g_list_model_get_n_items (cohort_start_window_get_classes (start)), ==, 0);
  stored = cohort_token_store_lookup_staff (url);
  g_assert_cmpstr (stored, ==, credential);
  g_assert_cmpint (g_stat (token_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* New Class. */
  cohort_start_window_start_class (start);
  teacher = cohort_test_ui_wait_class_opened (start);
  g_assert_true (cohort_class_window_get_is_teacher (teacher));
  code = g_strdup (cohort_session_get_class_code (cohort_class_window_get_session (teacher)));
  cohort_test_ui_close_windows (teacher, NULL);

  /* Next time the credential is there already, and the class is listed. */
  start = cohort_start_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (start), 420, 860);
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, url, NULL, NULL, NULL, NULL);
  g_assert_cmpstr (cohort_start_window_get_staff_credential (start), ==, credential);
  list_classes (start);
  g_assert_null (cohort_start_window_get_error_message (start));
  g_assert_cmpuint (g_list_model_get_n_items (cohort_start_window_get_classes (start)), ==, 1);
  {
    g_autoptr(CohortClassSummary) summary = g_list_model_get_item (cohort_start_window_get_classes (start), 0);

    g_assert_cmpstr (cohort_class_summary_get_code (summary), ==, code);
    g_assert_cmpstr (cohort_class_summary_get_title (summary), ==, "Physics 101");
  }
  g_assert_nonnull (gtk_list_box_get_row_at_index (cohort_start_window_get_classes_list (start), 0));
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (start), "identity-start-classes.png");
  gtk_window_set_default_size (GTK_WINDOW (start), 360, 760);
  cohort_test_ui_settle (500);
  cohort_test_ui_save_screenshot (GTK_WIDGET (start), "identity-start-classes-360.png");

  /* Open: a new lesson in it, as its teacher. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (start), "start.open-class", "s", code));
  teacher = cohort_test_ui_wait_class_opened (start);
  g_assert_true (cohort_class_window_get_is_teacher (teacher));
  g_assert_cmpstr (cohort_session_get_class_code (cohort_class_window_get_session (teacher)), ==, code);
  cohort_test_ui_close_windows (teacher, NULL);

  /* Archive: it leaves the list. */
  start = cohort_start_window_new (NULL);
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, url, NULL, NULL, NULL, NULL);
  list_classes (start);
  g_assert_cmpuint (g_list_model_get_n_items (cohort_start_window_get_classes (start)), ==, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (start), "start.archive-class", "s", code));
  g_assert_true (cohort_test_ui_wait_for (not_busy, start, 10000));
  cohort_test_ui_settle (200);
  g_assert_true (cohort_test_ui_wait_for (not_busy, start, 10000));
  g_assert_null (cohort_start_window_get_error_message (start));
  g_assert_cmpuint (g_list_model_get_n_items (cohort_start_window_get_classes (start)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (start));
}

/* A server without staff says so, in words the teacher can act on. */
static void
test_start_page_no_staff (void)
{
  g_autoptr(CohortTestServer) own = cohort_test_server_start (NULL);
  CohortStartWindow *start = cohort_start_window_new (NULL);

  g_assert_true (run_cli (cohort_test_server_get_db_path (own), "--revoke-staff", "Test staff"));
  gtk_window_set_default_size (GTK_WINDOW (start), 420, 860);
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, cohort_test_server_get_url (own), NULL, "Ms. Rivera", NULL, "Physics");
  cohort_start_window_set_staff_credential (start, cohort_test_server_get_staff_credential (own));
  list_classes (start);
  g_assert_cmpstr (cohort_start_window_get_error_message (start), ==,
                   "This server has no staff accounts yet. Ask its administrator to run cohort-server --add-staff NAME.");
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (start), "identity-start-no-staff.png");
  gtk_window_destroy (GTK_WINDOW (start));
}

/* A good credential opening another staff account's class: the start page
 * says whose class it is and keeps the credential (it was not refused). */
static void
test_start_page_not_owner (void)
{
  g_autoptr(CohortTestServer) own = cohort_test_server_start (NULL);
  const char *url = cohort_test_server_get_url (own);
  CohortTestClient *owner = cohort_test_client_new (url);
  g_autoptr(JsonObject) created = cohort_test_client_create_class (owner, "Chemistry", "Mr. Okafor");
  g_autofree char *other = cohort_test_staff_add (cohort_test_server_get_db_path (own), "Ms. Rivera");
  const char *code = json_object_get_string_member (json_object_get_object_member (created, "class"), "code");
  CohortStartWindow *start = cohort_start_window_new (NULL);
  g_autofree char *stored = NULL;

  gtk_window_set_default_size (GTK_WINDOW (start), 420, 860);
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, url, NULL, "Ms. Rivera", NULL, NULL);
  cohort_start_window_set_staff_credential (start, other);
  list_classes (start);
  g_assert_null (cohort_start_window_get_error_message (start));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (start), "start.open-class", "s", code));
  g_assert_true (cohort_test_ui_wait_for (not_busy, start, 10000));
  g_assert_cmpstr (cohort_start_window_get_error_message (start), ==,
                   "This class belongs to another staff account.");
  g_assert_cmpstr (cohort_start_window_get_staff_credential (start), ==, other);
  stored = cohort_token_store_lookup_staff (url);
  g_assert_cmpstr (stored, ==, other);

  gtk_window_destroy (GTK_WINDOW (start));
  cohort_test_client_free (owner);
}

/* ---- the waiting room ---- */

static gboolean
stack_shows (gpointer data)
{
  CohortClassWindow *window = ((gpointer *) data)[0];
  const char *name = ((gpointer *) data)[1];

  return g_strcmp0 (gtk_stack_get_visible_child_name (window->main_stack), name) == 0;
}

static void
assert_stack_soon (CohortClassWindow *window,
                   const char        *name)
{
  gpointer data[2] = { window, (gpointer) name };

  cohort_test_ui_wait_for (stack_shows, data, 10000);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, name);
}

static gboolean
shows_text (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0 &&
      gtk_widget_get_mapped (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
shows_let_in (gpointer data)
{
  return shows_text (data, "The teacher let you in");
}

static gboolean
n_waiting_is (gpointer data)
{
  CohortClassWindow *window = ((gpointer *) data)[0];

  return g_list_model_get_n_items (G_LIST_MODEL (window->waiting_selection)) == GPOINTER_TO_UINT (((gpointer *) data)[1]);
}

static void
assert_n_waiting_soon (CohortClassWindow *window,
                       guint              n)
{
  gpointer data[2] = { window, GUINT_TO_POINTER (n) };

  cohort_test_ui_wait_for (n_waiting_is, data, 10000);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (window->waiting_selection)), ==, n);
}

static gint64
self_id (CohortClassWindow *window)
{
  return cohort_participant_get_id (cohort_session_get_self (cohort_class_window_get_session (window)));
}

static gboolean
waiting_page_denied (gpointer data)
{
  return cohort_waiting_page_get_mode (data) == COHORT_WAITING_PAGE_DENIED;
}

static gboolean
session_unlocked (gpointer data)
{
  return !cohort_session_get_locked (data);
}

static gboolean
session_locked (gpointer data)
{
  return cohort_session_get_locked (data);
}

static void
test_waiting_room (void)
{
  CohortStartWindow *start = cohort_start_window_new (NULL);
  CohortClassWindow *teacher;
  CohortClassWindow *mei;
  CohortClassWindow *sam;
  CohortClassWindow *lin;
  g_autofree char *code = NULL;
  AdwMessageDialog *dialog;

  /* New classes start with their waiting room on. */
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, cohort_test_server_get_url (server), NULL, "Ms. Rivera", NULL, "Chemistry");
  cohort_start_window_set_staff_credential (start, cohort_test_server_get_staff_credential (server));
  cohort_start_window_start_class (start);
  teacher = cohort_test_ui_wait_class_opened (start);
  gtk_window_set_default_size (GTK_WINDOW (teacher), 1100, 760);
  code = g_strdup (cohort_session_get_class_code (cohort_class_window_get_session (teacher)));
  g_assert_true (gtk_widget_get_visible (teacher->settings_box));
  g_assert_true (gtk_switch_get_active (teacher->waiting_room_switch));
  g_assert_false (gtk_switch_get_active (teacher->lock_switch));
  g_assert_true (gtk_switch_get_active (teacher->anonymous_switch));

  /* A student waits, and sees so. */
  mei = cohort_test_ui_open_class (server, code, "Mei", NULL);
  assert_stack_soon (mei, "waiting");
  g_assert_cmpint (cohort_waiting_page_get_mode (COHORT_WAITING_PAGE (mei->waiting_page)), ==,
                   COHORT_WAITING_PAGE_WAITING);
  g_assert_nonnull (strstr (cohort_waiting_page_get_message (COHORT_WAITING_PAGE (mei->waiting_page)), "Chemistry"));
  gtk_window_set_default_size (GTK_WINDOW (mei), 360, 640);
  cohort_test_ui_settle (600);
  cohort_test_ui_save_screenshot (GTK_WIDGET (mei), "identity-student-waiting-360.png");

  /* The teacher sees who waits, apart from everyone. */
  assert_n_waiting_soon (teacher, 1);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (
                      adw_view_stack_get_page (teacher->side_stack,
                                               adw_view_stack_get_child_by_name (teacher->side_stack, "people"))),
                    ==, 1);
  cohort_test_ui_show_side_page (teacher, "people");
  cohort_test_ui_settle (500);
  g_assert_true (gtk_widget_get_visible (teacher->waiting_box));
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "identity-teacher-waiting.png");
  gtk_window_set_default_size (GTK_WINDOW (teacher), 360, 720);
  cohort_test_ui_settle (600);
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "identity-teacher-waiting-360.png");
  gtk_window_set_default_size (GTK_WINDOW (teacher), 1100, 760);

  /* Admit: Mei is in. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "class.admit", "x", self_id (mei)));
  assert_stack_soon (mei, "class");
  /* Told so, and not as a lost connection. */
  g_assert_true (cohort_test_ui_wait_for (shows_let_in, mei, 10000));
  g_assert_false (gtk_revealer_get_reveal_child (mei->reconnect_revealer));
  assert_n_waiting_soon (teacher, 0);
  g_assert_false (gtk_widget_get_visible (teacher->waiting_box));

  /* Two more wait; Admit All lets both in. */
  sam = cohort_test_ui_open_class (server, code, "Sam", NULL);
  lin = cohort_test_ui_open_class (server, code, "Lin", NULL);
  assert_n_waiting_soon (teacher, 2);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "class.admit-all", NULL));
  assert_stack_soon (sam, "class");
  assert_stack_soon (lin, "class");
  assert_n_waiting_soon (teacher, 0);

  /* Deny: Ana is turned away, and told so. */
  {
    CohortClassWindow *ana = cohort_test_ui_open_class (server, code, "Ana", NULL);

    assert_stack_soon (ana, "waiting");
    assert_n_waiting_soon (teacher, 1);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "class.deny", "x", self_id (ana)));
    assert_n_waiting_soon (teacher, 0);
    g_assert_true (cohort_test_ui_wait_for (waiting_page_denied, ana->waiting_page, 10000));
    cohort_test_ui_close_windows (ana, NULL);
  }

  /* Kim waits, then closes the app: she leaves the teacher's list (no
   * ghost for Admit All), and the students' online count never moved. */
  {
    CohortRoster *mei_roster = cohort_session_get_roster (cohort_class_window_get_session (mei));
    guint n_online = cohort_roster_get_n_online (mei_roster);
    CohortClassWindow *kim = cohort_test_ui_open_class (server, code, "Kim", NULL);

    assert_stack_soon (kim, "waiting");
    assert_n_waiting_soon (teacher, 1);
    cohort_test_ui_close_windows (kim, NULL);
    assert_n_waiting_soon (teacher, 0);
    g_assert_false (gtk_widget_get_visible (teacher->waiting_box));
    g_assert_cmpuint (cohort_roster_get_n_online (mei_roster), ==, n_online);
  }

  /* Lock, from the settings popover's switch: nobody new gets in. */
  gtk_switch_set_active (teacher->lock_switch, TRUE);
  g_assert_true (cohort_test_ui_wait_for (session_locked, cohort_class_window_get_session (teacher), 10000));
  gtk_menu_button_popup (GTK_MENU_BUTTON (teacher->main_menu_button));
  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (teacher->main_menu_button))),
                                  "identity-teacher-settings.png");
  g_assert_true (gtk_switch_get_active (teacher->lock_switch));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (teacher->main_menu_button));
  {
    CohortStartWindow *late = cohort_start_window_new (NULL);

    gtk_window_present (GTK_WINDOW (late));
    cohort_start_window_set_fields (late, cohort_test_server_get_url (server), code, "Ana", NULL, NULL);
    cohort_start_window_join (late);
    g_assert_true (cohort_test_ui_wait_for (not_busy, late, 10000));
    g_assert_nonnull (cohort_start_window_get_error_message (late));
    g_assert_nonnull (strstr (cohort_start_window_get_error_message (late), "does not let you in now"));
    gtk_window_destroy (GTK_WINDOW (late));
  }

  /* Unlocked again (a block below refuses this whole test network). */
  gtk_switch_set_active (teacher->lock_switch, FALSE);
  g_assert_true (cohort_test_ui_wait_for (session_unlocked, cohort_class_window_get_session (teacher), 10000));

  /* Remove and Block, confirmed: Sam's window says so and the class ends there. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "class.block-participant", "x", self_id (sam)));
  dialog = cohort_test_ui_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 5000);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove and Block Sam?");
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (dialog), "identity-teacher-block-dialog.png");
  adw_message_dialog_response (dialog, "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));
  assert_stack_soon (sam, "waiting");
  g_assert_cmpint (cohort_waiting_page_get_mode (COHORT_WAITING_PAGE (sam->waiting_page)), ==,
                   COHORT_WAITING_PAGE_BLOCKED);
  gtk_window_set_default_size (GTK_WINDOW (sam), 360, 640);
  cohort_test_ui_settle (600);
  cohort_test_ui_save_screenshot (GTK_WIDGET (sam), "identity-student-blocked-360.png");

  cohort_test_ui_close_windows (lin, sam, mei, teacher, NULL);
}

/* Import Roster: personal codes shown once, with links; a student joins with
 * one (no waiting room, the roster's name) or by pasting the link. */
static void
test_roster_import (void)
{
  CohortStartWindow *start = cohort_start_window_new (NULL);
  CohortClassWindow *teacher;
  CohortClassWindow *ann;
  CohortClassWindow *bo;
  CohortRosterCodesDialog *codes;
  AdwMessageDialog *error_dialog;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  g_auto(GStrv) ann_fields = NULL;
  g_auto(GStrv) bo_fields = NULL;

  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, cohort_test_server_get_url (server), NULL, "Mr. Okafor", NULL, "Biology");
  cohort_start_window_set_staff_credential (start, cohort_test_server_get_staff_credential (server));
  cohort_start_window_start_class (start);
  teacher = cohort_test_ui_wait_class_opened (start);

  /* Not a roster: said so, with the line. */
  g_assert_false (_cohort_class_window_import_roster_csv (teacher, "name\n\"Ann\n"));
  error_dialog = cohort_test_ui_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG, 5000);
  g_assert_cmpstr (adw_message_dialog_get_heading (error_dialog), ==, "Could Not Import the Roster");
  g_assert_nonnull (strstr (adw_message_dialog_get_body (error_dialog), "Line"));
  gtk_window_destroy (GTK_WINDOW (error_dialog));

  g_assert_true (_cohort_class_window_import_roster_csv (teacher, "name,number\nAnn Lee,1001\n\"Bo, Jr\",\n"));
  codes = cohort_test_ui_wait_toplevel (COHORT_TYPE_ROSTER_CODES_DIALOG, 10000);
  g_assert_cmpuint (cohort_roster_codes_dialog_get_n_codes (codes), ==, 2);
  csv = cohort_roster_codes_dialog_to_csv (codes);
  lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "name,number,code,link");
  ann_fields = g_strsplit (lines[1], ",", -1);
  g_assert_cmpstr (ann_fields[0], ==, "Ann Lee");
  g_assert_cmpstr (ann_fields[1], ==, "1001");
  g_assert_cmpuint (strlen (ann_fields[2]), ==, 12);
  g_assert_true (g_str_has_prefix (ann_fields[3], "cohort://join?server="));
  g_assert_true (g_str_has_prefix (lines[2], "\"Bo, Jr\",,"));
  bo_fields = g_strsplit (lines[2] + strlen ("\"Bo, Jr\",,"), ",", -1);
  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (codes), "identity-roster-codes.png");
  gtk_window_set_default_size (GTK_WINDOW (codes), 360, 600);
  cohort_test_ui_settle (500);
  cohort_test_ui_save_screenshot (GTK_WIDGET (codes), "identity-roster-codes-360.png");
  gtk_window_destroy (GTK_WINDOW (codes));

  /* Ann's code: she is in at once, as the roster names her. */
  ann = cohort_test_ui_open_class (server, ann_fields[2], "Someone Else", NULL);
  assert_stack_soon (ann, "class");
  g_assert_cmpstr (cohort_participant_get_name (cohort_session_get_self (cohort_class_window_get_session (ann))),
                   ==, "Ann Lee");

  /* Bo's link, pasted as the code, fills in the server too. */
  {
    CohortStartWindow *join = cohort_start_window_new (NULL);

    gtk_window_present (GTK_WINDOW (join));
    cohort_start_window_set_fields (join, "nowhere.invalid:1", bo_fields[1], "Bo", NULL, NULL);
    cohort_start_window_join (join);
    bo = cohort_test_ui_wait_class_opened (join);
  }
  assert_stack_soon (bo, "class");
  g_assert_cmpstr (cohort_participant_get_name (cohort_session_get_self (cohort_class_window_get_session (bo))),
                   ==, "Bo, Jr");

  cohort_test_ui_close_windows (bo, ann, teacher, NULL);
}

/* The teacher's invitation: its QR code, read back by a real decoder
 * (zbarimg) off the screenshot, is the class's cohort://join link, and
 * the link, the server and the code are shown in full. */
static void
test_invite (void)
{
  CohortClassWindow *teacher = cohort_test_ui_open_class (server, NULL, "Ms. Wu", "Geography");
  CohortSession *session = cohort_class_window_get_session (teacher);
  g_autofree char *expected = cohort_join_link_new (cohort_session_get_server_url (session),
                                                    cohort_session_get_class_code (session));
  g_autofree char *png = g_test_build_filename (G_TEST_BUILT, "identity-invite-qr.png", NULL);
  g_autofree char *decoded = NULL;
  g_autoptr(GError) error = NULL;
  CohortInviteDialog *dialog;
  GtkWidget *qr;
  int status = -1;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "class.show-invite", NULL));
  dialog = cohort_test_ui_wait_toplevel (COHORT_TYPE_INVITE_DIALOG, 5000);
  g_assert_cmpstr (cohort_invite_dialog_get_link (dialog), ==, expected);
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (dialog), cohort_test_ui_is_label, expected));
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (dialog), cohort_test_ui_is_label,
                                         cohort_session_get_class_code (session)));
  qr = cohort_test_ui_find (GTK_WIDGET (dialog), cohort_test_ui_is_type, "CohortQrCode");
  g_assert_nonnull (qr);
  g_assert_cmpuint (cohort_qr_code_get_width (COHORT_QR_CODE (qr)), >=, 21);
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (dialog), "identity-invite.png");
  cohort_test_ui_save_screenshot (qr, "identity-invite-qr.png");

  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "zbarimg", (char *) "--raw", (char *) "-q", png, NULL },
                               NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &decoded, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_strchomp (decoded);
  g_assert_cmpstr (decoded, ==, expected);

  gtk_window_destroy (GTK_WINDOW (dialog));
  cohort_test_ui_close_windows (teacher, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  data_home = cohort_test_ui_init (&argc, &argv, "identity-ui");

  server = cohort_test_server_start (NULL);
  g_test_add_func ("/cohort/ui/identity/start-page-staff", test_start_page_staff);
  g_test_add_func ("/cohort/ui/identity/start-page-no-staff", test_start_page_no_staff);
  g_test_add_func ("/cohort/ui/identity/start-page-not-owner", test_start_page_not_owner);
  g_test_add_func ("/cohort/ui/identity/waiting-room", test_waiting_room);
  g_test_add_func ("/cohort/ui/identity/roster-import", test_roster_import);
  g_test_add_func ("/cohort/ui/identity/invite", test_invite);
  return cohort_test_ui_run (server, data_home);
}

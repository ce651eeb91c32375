/* test-chat-ui.c: the Chat page, the Questions filter and the danmaku
 * overlay in real class windows against a real server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-chat-ui"

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "cohort-chat-model.h"
#include "cohort-chat-page.h"
#include "cohort-chat-protocol.h"
#include "cohort-chat-row.h"
#include "cohort-danmaku-view.h"
#include "cohort-session.h"
#include "cohort-test-server.h"
#include "cohort-test-wait.h"
#include "cohort-test-session.h"
#include "cohort-test-ui.h"

#include "cohort-class-window-private.h"

static CohortTestServer *server;

/* A class window on @session, shown with the side panel's @tab. */
static CohortClassWindow *
open_window (CohortSession *session,
             const char    *tab)
{
  CohortClassWindow *window = cohort_class_window_new (NULL, session);

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_window_present (GTK_WINDOW (window));
  adw_view_stack_set_visible_child_name (window->side_stack, tab);
  return window;
}

static CohortChatPage *
chat_page (CohortClassWindow *window)
{
  return cohort_test_ui_side_page (window, "chat", COHORT_TYPE_CHAT_PAGE);
}

/* Ms. Rivera's Biology class: her window and Mei's on the chat, and Sam
 * with a chat model but no window. */
typedef struct
{
  CohortSession     *teacher_session;
  CohortSession     *mei_session;
  CohortSession     *sam_session;
  CohortClassWindow *teacher;
  CohortClassWindow *mei;
  CohortChatModel   *sam;
} Biology;

/* The teacher's side panel shows @teacher_tab. */
static void
biology_open (Biology    *b,
              const char *teacher_tab)
{
  const char *url = cohort_test_server_get_url (server);

  b->teacher_session = cohort_test_session_create_class (url, "Biology", "Ms. Rivera");
  b->mei_session = cohort_test_session_join (url, b->teacher_session, "Mei");
  b->sam_session = cohort_test_session_join (url, b->teacher_session, "Sam");
  b->teacher = open_window (b->teacher_session, teacher_tab);
  b->mei = open_window (b->mei_session, "chat");
  b->sam = cohort_chat_model_new (b->sam_session);
  cohort_test_ui_settle (300);
}

static void
biology_close (Biology *b)
{
  gtk_window_destroy (GTK_WINDOW (b->teacher));
  gtk_window_destroy (GTK_WINDOW (b->mei));
  cohort_test_ui_settle (200);
  g_clear_object (&b->sam);
  g_clear_object (&b->sam_session);
  g_clear_object (&b->mei_session);
  g_clear_object (&b->teacher_session);
}

typedef struct
{
  GListModel *model;
  guint       n;
} Count;

static gboolean
count_reached (gpointer data)
{
  Count *c = data;

  return g_list_model_get_n_items (c->model) >= c->n;
}

static void
wait_items (GListModel *model,
            guint       n)
{
  Count c = { model, n };

  g_assert_true (cohort_test_ui_wait_for (count_reached, &c, 10000));
}

static gboolean
all_sent (gpointer data)
{
  GListModel *model = data;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CohortChatMessage) m = g_list_model_get_item (model, i);

      if (cohort_chat_message_get_state (m) != COHORT_CHAT_MESSAGE_SENT)
        return FALSE;
    }
  return TRUE;
}

static gboolean
is_entry (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_ENTRY (widget);
}

static void
type_and_send (CohortChatPage *page,
               const char     *text)
{
  /* The composer's entry is the page's only GtkEntry. */
  GtkWidget *entry = cohort_test_ui_find (GTK_WIDGET (page), is_entry, NULL);

  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "chat.send", NULL));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
}

static void
test_chat_panel (void)
{
  Biology b;
  CohortClassWindow *teacher;
  CohortClassWindow *mei;
  CohortChatModel *sam;
  CohortChatModel *tm;
  CohortChatModel *mm;
  AdwViewStackPage *stack_page;
  CohortChatMessage *question;
  GtkLabel *label;
  const char *markup_text = "Hi <b>everyone</b> & welcome, see https://gnome.org";

  biology_open (&b, "people");
  teacher = b.teacher;
  mei = b.mei;
  sam = b.sam;
  tm = cohort_chat_page_get_model (chat_page (teacher));
  mm = cohort_chat_page_get_model (chat_page (mei));

  /* Mei types markup and a link: it shows as typed, the link is a link. */
  type_and_send (chat_page (mei), markup_text);
  wait_items (G_LIST_MODEL (tm), 1);
  g_assert_true (cohort_test_ui_wait_for (all_sent, mm, 10000));
  cohort_test_ui_settle (200);
  label = GTK_LABEL (cohort_test_ui_find (GTK_WIDGET (chat_page (mei)), cohort_test_ui_is_label, markup_text));
  g_assert_nonnull (label);
  g_assert_nonnull (strstr (gtk_label_get_label (label), "&lt;b&gt;everyone&lt;/b&gt; &amp; welcome"));
  g_assert_nonnull (strstr (gtk_label_get_label (label), "<a href=\"https://gnome.org\">"));

  /* The teacher is on the People tab: the Chat tab counts unread messages. */
  stack_page = adw_view_stack_get_page (teacher->side_stack,
                                        GTK_WIDGET (chat_page (teacher)));
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 1);
  g_assert_true (adw_view_stack_page_get_needs_attention (stack_page));

  /* Sam asks two questions and mentions Mei; Mei says "me too" to one. */
  cohort_chat_model_send (sam, "What does the mitochondria do?", NULL, 0, TRUE, FALSE);
  cohort_chat_model_send (sam, "Is this on the test, @Mei?", NULL, 0, TRUE, FALSE);
  cohort_chat_model_send (sam, "Cells are neat 🧫", NULL, 0, FALSE, TRUE);
  wait_items (G_LIST_MODEL (mm), 4);
  g_assert_true (cohort_test_ui_wait_for (all_sent, sam, 10000));
  {
    g_autoptr(CohortChatMessage) q2 = g_list_model_get_item (G_LIST_MODEL (mm), 2);

    g_assert_true (cohort_chat_message_get_mentions_self (q2));
    cohort_chat_model_vote (mm, q2, TRUE);
  }
  question = NULL;
  for (guint i = 0; i < 100 && question == NULL; i++)
    {
      g_autoptr(CohortChatMessage) q2 = g_list_model_get_item (G_LIST_MODEL (tm), 2);

      if (q2 != NULL && cohort_chat_message_get_votes (q2) == 1)
        question = q2;
      else
        cohort_test_ui_settle (50);
    }
  g_assert_nonnull (question);
  g_assert_cmpuint (adw_view_stack_page_get_badge_number (stack_page), ==, 4);

  /* The teacher answers the first question in its thread. */
  {
    g_autoptr(CohortChatMessage) q1 = g_list_model_get_item (G_LIST_MODEL (tm), 1);

    cohort_chat_model_answer (tm, q1, "It makes energy for the cell.");
  }
  wait_items (G_LIST_MODEL (mm), 5);
  cohort_chat_model_send (tm, "Great questions, everyone!", NULL, 0, FALSE, FALSE);
  wait_items (G_LIST_MODEL (mm), 6);

  /* Sam finds it too fast; the teacher's meter shows it. */
  cohort_chat_model_send_pace (sam, "too_fast");
  {
    gboolean seen = FALSE;

    for (guint i = 0; i < 200 && !seen; i++)
      {
        seen = cohort_chat_model_get_pace_too_fast (tm) == 1;
        cohort_test_ui_settle (25);
      }
    g_assert_true (seen);
  }

  adw_view_stack_set_visible_child_name (teacher->side_stack, "chat");
  cohort_test_ui_settle (600);
  g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (chat_page (teacher)), cohort_test_ui_is_label, "🐇 Too fast: 1"));
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "chat-panel.png");

  /* The Questions filter: questions only, most "me too" first. */
  cohort_chat_page_show_questions (chat_page (teacher), TRUE);
  cohort_test_ui_settle (400);
  {
    GtkListView *view = NULL;
    GListModel *shown;
    g_autoptr(CohortChatMessage) first = NULL;

    label = GTK_LABEL (cohort_test_ui_find (GTK_WIDGET (chat_page (teacher)), cohort_test_ui_is_label, "Is this on the test, @Mei?"));
    g_assert_nonnull (label);
    view = GTK_LIST_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (label), GTK_TYPE_LIST_VIEW));
    shown = G_LIST_MODEL (gtk_list_view_get_model (view));
    g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
    first = g_list_model_get_item (shown, 0);
    g_assert_cmpstr (cohort_chat_message_get_text (first), ==, "Is this on the test, @Mei?");
  }
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "chat-questions.png");
  cohort_chat_page_show_questions (chat_page (teacher), FALSE);

  /* Danmaku: Sam's "show on video" message flew over both stages. Then a
   * crowd: the on-screen cap holds. */
  {
    CohortDanmakuView *view = COHORT_DANMAKU_VIEW (mei->danmaku_view);

    for (guint i = 0; i < 80; i++)
      {
        g_autofree char *text = g_strdup_printf (i % 3 == 0 ? "comment %u 👏" :
                                                 i % 3 == 1 ? "This is a much longer flying comment number %u" :
                                                 "%u!", i);

        cohort_danmaku_view_add_comment (view, text, i == 7);
      }
    for (guint i = 0; i < 5; i++)
      cohort_danmaku_view_add_reaction (view, cohort_chat_reaction_emoji (cohort_chat_reactions[i]));
    g_assert_cmpuint (cohort_danmaku_view_get_n_on_screen (view), <=, 50);
    g_assert_cmpuint (cohort_danmaku_view_get_n_on_screen (view), >, 5);
    cohort_danmaku_view_advance (view, 1800);
    g_assert_cmpuint (cohort_danmaku_view_get_n_on_screen (view), <=, 50);
    cohort_test_ui_settle (100);
    cohort_test_ui_save_screenshot (GTK_WIDGET (mei), "danmaku-overlay.png");

    /* Hidden on this device: nothing flies. */
    g_object_set (view, "show-comments", FALSE, NULL);
    g_assert_cmpuint (cohort_danmaku_view_get_n_on_screen (view), ==, 0);
    cohort_danmaku_view_add_comment (view, "hidden", FALSE);
    g_assert_cmpuint (cohort_danmaku_view_get_n_on_screen (view), ==, 0);
  }

  /* The teacher removes a message: "Message removed" for Mei. */
  {
    g_autoptr(CohortChatMessage) m = g_list_model_get_item (G_LIST_MODEL (tm), 3);
    g_autoptr(CohortChatMessage) in_mei = g_list_model_get_item (G_LIST_MODEL (mm), 3);

    cohort_chat_model_delete (tm, m);
    for (guint i = 0; i < 200 && !cohort_chat_message_get_deleted (in_mei); i++)
      cohort_test_ui_settle (25);
    g_assert_true (cohort_chat_message_get_deleted (in_mei));
    cohort_test_ui_settle (300);
    g_assert_nonnull (cohort_test_ui_find (GTK_WIDGET (chat_page (mei)), cohort_test_ui_is_label, "Message removed"));
  }

  /* A student window at phone width. */
  adw_flap_set_fold_policy (mei->flap, ADW_FLAP_FOLD_POLICY_ALWAYS);
  cohort_test_ui_settle (100);
  cohort_test_ui_save_phone_width (mei, 720, "chat-student-360.png");

  biology_close (&b);
}

/* gchat: a student answers a peer's question in its thread; the teacher
 * marks it helpful from the row menu; everyone sees the badge. */

static gboolean
label_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

static gboolean
message_helpful (gpointer data)
{
  return cohort_chat_message_get_helpful (COHORT_CHAT_MESSAGE (data));
}

static CohortChatRow *
row_for (CohortChatPage *page,
         const char     *text)
{
  GtkLabel *label = NULL;

  for (guint i = 0; i < 100 && label == NULL; i++)
    {
      label = GTK_LABEL (cohort_test_ui_find (GTK_WIDGET (page), cohort_test_ui_is_label, text));
      if (label == NULL)
        cohort_test_ui_settle (50);
    }
  g_assert_nonnull (label);
  return COHORT_CHAT_ROW (gtk_widget_get_ancestor (GTK_WIDGET (label), COHORT_TYPE_CHAT_ROW));
}

static GtkWidget *
row_child (CohortChatRow *row,
           const char    *name)
{
  return GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (row), COHORT_TYPE_CHAT_ROW, name));
}

static void
test_helpful_answer (void)
{
  Biology b;
  CohortClassWindow *teacher;
  CohortClassWindow *mei;
  CohortChatModel *sam;
  CohortChatModel *mm;
  CohortChatMessage *question;
  CohortChatMessage *answer = NULL;
  CohortChatRow *row;

  biology_open (&b, "chat");
  teacher = b.teacher;
  mei = b.mei;
  sam = b.sam;
  mm = cohort_chat_page_get_model (chat_page (mei));

  question = cohort_chat_model_send (sam, "Why do leaves change colour?", NULL, 0, TRUE, FALSE);
  g_assert_true (cohort_test_ui_wait_for (all_sent, sam, 10000));

  /* Mei answers Sam's question from its row; her own rows offer no Answer. */
  row = row_for (chat_page (mei), "Why do leaves change colour?");
  g_assert_true (gtk_widget_get_visible (row_child (row, "answer_button")));
  g_assert_true (gtk_widget_get_sensitive (row_child (row, "answer_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.answer", NULL));
  type_and_send (chat_page (mei), "Chlorophyll breaks down and the yellow shows.");
  g_assert_true (cohort_test_ui_wait_for (all_sent, mm, 10000));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (mm)); i++)
    {
      g_autoptr(CohortChatMessage) m = g_list_model_get_item (G_LIST_MODEL (mm), i);

      if (cohort_chat_message_get_reply_to (m) == cohort_chat_message_get_id (question))
        answer = m;
    }
  g_assert_nonnull (answer);
  g_assert_true (cohort_chat_message_get_is_own (answer));
  g_assert_false (cohort_chat_message_get_helpful (answer));
  row = row_for (chat_page (mei), "Chlorophyll breaks down and the yellow shows.");
  g_assert_false (gtk_widget_get_visible (row_child (row, "helpful_label")));

  /* The teacher marks it helpful from its row; the badge shows for Mei. */
  row = row_for (chat_page (teacher), "Chlorophyll breaks down and the yellow shows.");
  g_assert_false (gtk_widget_get_visible (row_child (row, "answer_button")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.helpful", NULL));
  g_assert_true (cohort_test_ui_wait_for (message_helpful, answer, 10000));
  row = row_for (chat_page (mei), "Chlorophyll breaks down and the yellow shows.");
  g_assert_true (cohort_test_ui_wait_for (label_mapped, row_child (row, "helpful_label"), 10000));
  row = row_for (chat_page (teacher), "Chlorophyll breaks down and the yellow shows.");
  g_assert_true (cohort_test_ui_wait_for (label_mapped, row_child (row, "helpful_label"), 10000));
  /* Sam's question itself is no answer: nothing to mark there. */
  row = row_for (chat_page (teacher), "Why do leaves change colour?");
  g_assert_false (gtk_widget_get_visible (row_child (row, "helpful_label")));

  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (mei), "chat-helpful-student.png");
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "chat-helpful-teacher.png");

  biology_close (&b);
}

static gboolean
voted (gpointer data)
{
  return cohort_chat_message_get_voted (data);
}

static GtkWidget *
focus_of (CohortClassWindow *window)
{
  return gtk_root_get_focus (GTK_ROOT (window));
}

/* The chat row of the message list item that has @window's focus, or
 * NULL when the focus is outside the list. */
static CohortChatRow *
focused_row (CohortClassWindow *window)
{
  GtkWidget *list = cohort_test_ui_find (GTK_WIDGET (chat_page (window)), cohort_test_ui_is_type, "GtkListView");
  GtkWidget *item = focus_of (window);

  while (item != NULL && gtk_widget_get_parent (item) != list)
    item = gtk_widget_get_parent (item);
  if (item == NULL)
    return NULL;
  g_assert_true (COHORT_IS_CHAT_ROW (gtk_widget_get_first_child (item)));
  return COHORT_CHAT_ROW (gtk_widget_get_first_child (item));
}

static guint
position_of (CohortChatModel *model,
             CohortChatRow   *row)
{
  guint position = G_MAXUINT;

  g_assert_nonnull (row);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(CohortChatMessage) m = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (m == cohort_chat_row_get_message (row))
        position = i;
    }
  g_assert_cmpuint (position, !=, G_MAXUINT);
  return position;
}

/* Real Tab presses from the chat page's first control (the All filter)
 * until the composer's entry has the focus; asserts the way passes
 * through the message list once. */
static guint
tabs_to_composer (CohortClassWindow *window)
{
  GtkWidget *first = cohort_test_ui_find (GTK_WIDGET (chat_page (window)), cohort_test_ui_is_type, "GtkToggleButton");
  GtkWidget *entry = cohort_test_ui_find (GTK_WIDGET (chat_page (window)), is_entry, NULL);
  guint in_list = 0;
  guint tabs = 0;

  g_assert_true (gtk_widget_grab_focus (first));
  cohort_test_ui_settle (100);
  while (!gtk_widget_is_ancestor (focus_of (window), entry) && tabs < 40)
    {
      cohort_test_ui_press_keys ("Tab", NULL);
      tabs++;
      if (focused_row (window) != NULL)
        in_list++;
    }
  g_assert_true (gtk_widget_is_ancestor (focus_of (window), entry));
  g_assert_cmpuint (in_list, ==, 1);
  return tabs;
}

/* The message list is one Tab stop however long it is; Up and Down move
 * between messages, each named for a screen reader after its message;
 * Shift+F10 opens the focused message's actions. */
static void
test_chat_keyboard (void)
{
  Biology b;
  CohortChatModel *mm;
  CohortChatRow *row;
  GtkPopover *menu;
  GtkWidget *reaction;
  guint six, twelve, first;
  const char *language = cohort_test_ui_use_language ();

  biology_open (&b, "people");
  if (!cohort_test_ui_keys_focus (b.mei))
    {
      biology_close (&b);
      g_test_skip ("needs X11 and xdotool to press real keys");
      return;
    }
  mm = cohort_chat_page_get_model (chat_page (b.mei));
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *text = g_strdup_printf ("Message %u about cells", i + 1);

      cohort_chat_model_send (b.sam, text, NULL, 0, i % 3 == 0, FALSE);
    }
  wait_items (G_LIST_MODEL (mm), 6);
  g_assert_true (cohort_test_ui_wait_for (all_sent, b.sam, 10000));
  cohort_test_ui_settle (300);

  six = tabs_to_composer (b.mei);
  g_test_message ("Tabs from the first control to the composer, 6 messages: %u", six);
  /* Questions, settings, the list, the reactions, the composer. */
  g_assert_cmpuint (six, ==, 5);

  /* Into the list again (Shift+Tab from the composer comes back to it
   * past the reactions), then the arrows. */
  while (focused_row (b.mei) == NULL)
    cohort_test_ui_press_keys ("shift+Tab", NULL);
  row = focused_row (b.mei);
  first = position_of (mm, row);
  {
    g_autoptr(CohortChatMessage) m = g_list_model_get_item (G_LIST_MODEL (mm), first);
    GtkWidget *item = gtk_widget_get_parent (GTK_WIDGET (row));
    g_autofree char *time = NULL;
    g_autofree char *name = NULL;
    GtkLabel *time_label = GTK_LABEL (cohort_test_ui_find (GTK_WIDGET (row), cohort_test_ui_is_type, "GtkLabel"));

    /* The author's label comes first, then the badge, the helpful mark
     * and the time: read the time as the row shows it. */
    for (GtkWidget *w = GTK_WIDGET (time_label); w != NULL; w = gtk_widget_get_next_sibling (w))
      if (gtk_widget_has_css_class (w, "numeric"))
        time = g_strdup (gtk_label_get_text (GTK_LABEL (w)));
    g_assert_nonnull (time);
    name = g_strdup_printf ("Sam, %s: %s", time, cohort_chat_message_get_text (m));
    if (cohort_chat_message_is_question (m))
      {
        char *question = g_strdup_printf ("%s. Question, 0 me too", name);

        g_free (name);
        name = question;
      }
    /* (In English: the test language, COHORT_TEST_LANGUAGE, words it otherwise.) */
    if (language == NULL)
      {
        gtk_test_accessible_assert_property (GTK_ACCESSIBLE (item), GTK_ACCESSIBLE_PROPERTY_LABEL, name);
        gtk_test_accessible_assert_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name);
      }
  }
  if (first == 0)
    {
      cohort_test_ui_press_keys ("Down", NULL);
      g_assert_cmpuint (position_of (mm, focused_row (b.mei)), ==, 1);
      first = 1;
    }
  cohort_test_ui_press_keys ("Up", NULL);
  g_assert_cmpuint (position_of (mm, focused_row (b.mei)), ==, first - 1);
  cohort_test_ui_press_keys ("Down", NULL);
  cohort_test_ui_press_keys ("Down", NULL);
  g_assert_cmpuint (position_of (mm, focused_row (b.mei)), ==, first + 1);

  /* Up to the first message, a question Sam asked: its actions, Me Too
   * among them, from the keyboard. */
  while (position_of (mm, focused_row (b.mei)) > 0)
    cohort_test_ui_press_keys ("Up", NULL);
  row = focused_row (b.mei);
  menu = gtk_menu_button_get_popover (GTK_MENU_BUTTON (cohort_test_ui_find (GTK_WIDGET (row),
                                                                            cohort_test_ui_is_type,
                                                                            "GtkMenuButton")));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (menu)));
  cohort_test_ui_save_light_and_dark (b.mei, "chat", "keyboard-focus", language);
  cohort_test_ui_press_keys ("shift+F10", NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (menu)));
  cohort_test_ui_save_screenshot (GTK_WIDGET (b.mei), "chat-keyboard-menu.png");
  /* Its first item is Me Too (a student, a peer's question). Under Xvfb,
   * with no window manager, the popup gets no keys: its items are
   * GTK's own, activated here as a key would. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (row), "row.vote", NULL));
  gtk_popover_popdown (menu);
  {
    g_autoptr(CohortChatMessage) m = g_list_model_get_item (G_LIST_MODEL (mm), 0);

    g_assert_true (cohort_test_ui_wait_for (voted, m, 10000));
  }
  /* The Menu key too; Escape is the popover's. */
  cohort_test_ui_settle (200);
  cohort_test_ui_press_keys ("Menu", NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (menu)));
  gtk_popover_popdown (menu);
  cohort_test_ui_settle (200);

  /* Six more messages: the way to the composer is no longer. */
  for (guint i = 0; i < 6; i++)
    cohort_chat_model_send (b.sam, "One more thing", NULL, 0, FALSE, FALSE);
  wait_items (G_LIST_MODEL (mm), 12);
  g_assert_true (cohort_test_ui_wait_for (all_sent, b.sam, 10000));
  cohort_test_ui_settle (300);
  twelve = tabs_to_composer (b.mei);
  g_assert_cmpuint (twelve, ==, six);

  /* On a phone, back from the composer past the reactions to the list:
   * a message's focus ring. */
  cohort_test_ui_phone_width (b.mei, 720);
  adw_flap_set_reveal_flap (b.mei->flap, TRUE);
  cohort_test_ui_settle (400);
  g_assert_true (gtk_widget_grab_focus (cohort_test_ui_find (GTK_WIDGET (chat_page (b.mei)), is_entry, NULL)));
  cohort_test_ui_press_keys ("shift+Tab", NULL);
  reaction = focus_of (b.mei);
  g_assert_true (GTK_IS_BUTTON (reaction));
  /* Left and Right move between the reactions, one Tab stop. */
  cohort_test_ui_press_keys ("Left", NULL);
  g_assert_true (focus_of (b.mei) != reaction);
  g_assert_true (gtk_widget_get_parent (focus_of (b.mei)) == gtk_widget_get_parent (reaction));
  cohort_test_ui_press_keys ("shift+Tab", NULL);
  g_assert_nonnull (focused_row (b.mei));
  cohort_test_ui_save_light_and_dark (b.mei, "chat", "keyboard-phone", language);

  biology_close (&b);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = cohort_test_ui_init (&argc, &argv, "chat-ui");

  server = cohort_test_server_start (NULL);
  g_test_add_func ("/cohort/ui/chat/panel-questions-danmaku", test_chat_panel);
  g_test_add_func ("/cohort/ui/chat/helpful-answer", test_helpful_answer);
  g_test_add_func ("/cohort/ui/chat/keyboard", test_chat_keyboard);
  return cohort_test_ui_run (server, data_home);
}

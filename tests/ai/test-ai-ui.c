/* test-ai-ui.c: the Helper page against a real cohort-server and a fake
 * streaming upstream, under Xvfb; keeps screenshots in the build dir.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-ai-ui"

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cohort-ai-page.h"
#include "cohort-ai-test-server.h"
#include "cohort-class-window-private.h"
#include "cohort-fake-llm.h"
#include "cohort-session.h"
#include "cohort-test-ui.h"
#include "cohort-test-server.h"
#include "cohort-test-session.h"
#include "cohort-test-wait.h"

/* Ms Li's class Biology with the student Mei, on a server whose helper
 * streams from @fake (NULL: a server without a helper). */
typedef struct
{
  CohortAiTestServer *server;
  CohortSession      *teacher;
  CohortSession      *student;
} HelperClass;

static void
helper_class_open (HelperClass   *c,
                   CohortFakeLlm *fake)
{
  g_autofree char *group = NULL;

  if (fake != NULL)
    group = g_strdup_printf ("base-url=%s\nmodel=fake\napi-key-file=@KEYFILE@\n",
                             cohort_fake_llm_get_base_url (fake));
  c->server = cohort_ai_test_server_start (group);
  c->teacher = cohort_test_session_create_class (cohort_ai_test_server_get_url (c->server), "Biology", "Ms Li");
  c->student = cohort_test_session_join (cohort_ai_test_server_get_url (c->server), c->teacher, "Mei");
}

static void
helper_class_close (HelperClass *c)
{
  g_clear_object (&c->student);
  g_clear_object (&c->teacher);
  g_clear_pointer (&c->server, cohort_ai_test_server_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HelperClass, helper_class_close)

static CohortAiPage *
open_helper (CohortClassWindow *window,
             int                width)
{
  gtk_window_set_default_size (GTK_WINDOW (window), width, 700);
  gtk_window_present (GTK_WINDOW (window));
  cohort_test_ui_settle (200);
  cohort_test_ui_show_side_page (window, "helper");

  return cohort_test_ui_side_page (window, "helper", COHORT_TYPE_AI_PAGE);
}

/* A label whose text holds @text. */
static gboolean
has_text (GtkWidget     *widget,
          gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

static gboolean
label_shows (GtkWidget  *widget,
             const char *text)
{
  return cohort_test_ui_find_shown (widget, has_text, text) != NULL;
}

/* Finds a topic row (shown or not: the topics sit on the settings tab)
 * titled @word whose count label reads @count. */
static gboolean
topic_row_shows (GtkWidget  *widget,
                 const char *word,
                 const char *count)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ACTION_ROW (child) &&
          g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), word) == 0)
        {
          /* A label in the row, shown or not, reading exactly @count. */
          if (cohort_test_ui_find (child, cohort_test_ui_is_label, count) != NULL)
            return TRUE;
        }
      if (topic_row_shows (child, word, count))
        return TRUE;
    }
  return FALSE;
}

static void
test_streamed_answer (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_auto(HelperClass) c = { NULL };
  CohortClassWindow *window;
  CohortClassWindow *teacher_window;
  CohortAiPage *page;
  CohortAiPage *teacher_page;
  CohortAiConversation *conversation;

  helper_class_open (&c, fake);
  window = cohort_class_window_new (NULL, c.student);
  teacher_window = cohort_class_window_new (NULL, c.teacher);
  page = open_helper (window, 900);
  teacher_page = open_helper (teacher_window, 900);
  conversation = cohort_ai_page_get_conversation (page);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_configured (conversation));
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), "ai-helper-empty.png");
  /* The pane says ahead of time that quizzes pause the helper. */
  g_assert_true (label_shows (GTK_WIDGET (page), "Pauses during quizzes"));

  /* The student presses a quick prompt; the answer streams in. */
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ai.quick-prompt", "s", "example"));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  cohort_test_ui_settle (400);
  g_assert_true (label_shows (GTK_WIDGET (page), "Hello, wörld 你好"));
  g_assert_true (label_shows (GTK_WIDGET (page), "Give me an example."));
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), "ai-helper-answer.png");

  /* Mid-stream, with Stop showing. */
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_TOKENS);
  cohort_fake_llm_set_interval (fake, 30);
  g_assert_true (cohort_ai_conversation_ask (conversation, "Count slowly"));
  cohort_test_ui_settle (600);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ai.stop", NULL));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  cohort_test_ui_settle (300);
  g_assert_true (label_shows (GTK_WIDGET (page), "Stopped"));
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), "ai-helper-stopped.png");

  /* The teacher's settings and the anonymous topics. */
  g_assert_true (cohort_ai_conversation_get_configured (cohort_ai_page_get_conversation (teacher_page)));
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher_window), "ai-helper-teacher.png");

  /* The topics list: the words the class asked about, with their counts,
   * reach the page typed (cohort_ai_conversation_list_topics_finish). */
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  g_assert_true (cohort_ai_conversation_ask (conversation, "Photosynthesis basics"));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher_page), "ai.refresh-topics", NULL));
  COHORT_TEST_WAIT_UNTIL (topic_row_shows (GTK_WIDGET (teacher_page), "photosynthesis", "1"));

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (teacher_window));
  cohort_test_ui_settle (100);
}

static gboolean
is_spinning (GtkWidget     *widget,
             gconstpointer  data)
{
  return GTK_IS_SPINNER (widget) && gtk_spinner_get_spinning (GTK_SPINNER (widget));
}

/* Finds a visible GtkSpinner under @widget that spins. */
static gboolean
spinner_shows (GtkWidget *widget)
{
  return cohort_test_ui_find_shown (widget, is_spinning, NULL) != NULL;
}

/* A reasoning model thinks for 2 s: the pane says "Thinking…" with a
 * spinner until the first answer token; an answer that breaks off shows
 * "The answer was cut short" with Ask Again. */
static void
test_thinking_and_cut_short (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_auto(HelperClass) c = { NULL };
  g_autoptr(CohortAiMessage) answer = NULL;
  g_autofree char *one_second = g_strdup_printf (_("Thinking… %d s"), 1);
  CohortClassWindow *window;
  CohortAiPage *page;
  CohortAiConversation *conversation;

  helper_class_open (&c, fake);
  window = cohort_class_window_new (NULL, c.student);
  page = open_helper (window, 900);
  conversation = cohort_ai_page_get_conversation (page);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_configured (conversation));

  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_REASONING);
  g_assert_true (cohort_ai_conversation_ask (conversation, "What is six times seven?"));
  answer = g_list_model_get_item (G_LIST_MODEL (conversation), 1);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_message_get_thinking (answer));
  cohort_test_ui_settle (300);
  g_assert_true (label_shows (GTK_WIDGET (page), _("Thinking…")));
  g_assert_true (spinner_shows (GTK_WIDGET (page)));
  /* The seconds count on while it thinks (2 s here). */
  COHORT_TEST_WAIT_UNTIL (label_shows (GTK_WIDGET (page), one_second));
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), "ai-helper-thinking.png");

  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  cohort_test_ui_settle (300);
  g_assert_false (label_shows (GTK_WIDGET (page), _("Thinking…")));
  g_assert_true (label_shows (GTK_WIDGET (page), "The answer is 42."));
  g_clear_object (&answer);

  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_ERROR_EVENT);
  g_assert_true (cohort_ai_conversation_ask (conversation, "Why is the sky blue?"));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  cohort_test_ui_settle (300);
  g_assert_true (label_shows (GTK_WIDGET (page), _("The answer was cut short")));
  g_assert_true (label_shows (GTK_WIDGET (page), "Half an answer"));
  /* Ask Again is there and works. */
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), "ai-helper-cut-short.png");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ai.retry", NULL));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  cohort_test_ui_settle (300);
  g_assert_false (label_shows (GTK_WIDGET (page), _("The answer was cut short")));
  g_assert_true (label_shows (GTK_WIDGET (page), "Hello, wörld"));

  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);
}

static void
test_not_configured (void)
{
  g_auto(HelperClass) c = { NULL };
  CohortClassWindow *window;
  CohortAiPage *page;

  helper_class_open (&c, NULL);
  window = cohort_class_window_new (NULL, c.student);
  page = open_helper (window, 360);
  cohort_test_ui_settle (600);
  g_assert_false (cohort_ai_conversation_get_configured (cohort_ai_page_get_conversation (page)));
  g_assert_true (label_shows (GTK_WIDGET (page), "The Helper Is Not Set Up"));
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), "ai-helper-not-configured.png");
  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  name)
{
  return gtk_widget_has_css_class (widget, name);
}

static gboolean
is_messages_scroller (GtkWidget     *widget,
                      gconstpointer  data)
{
  GtkWidget *child = GTK_IS_SCROLLED_WINDOW (widget)
                     ? gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (widget)) : NULL;

  return child != NULL && cohort_test_ui_find (child, has_css_class, "ai-messages") != NULL;
}

/* The scroller of the Helper page's messages. */
static GtkAdjustment *
page_vadjustment (CohortAiPage *page)
{
  GtkWidget *scroller = cohort_test_ui_find (GTK_WIDGET (page), is_messages_scroller, NULL);

  g_assert_nonnull (scroller);
  return gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
}

static double
distance_to_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) -
         gtk_adjustment_get_value (adjustment);
}

/* The last message's bottom edge is in view: the view shows the end, not
 * only the adjustment says so. */
static gboolean
last_message_shown (CohortAiPage *page)
{
  GtkWidget *scroller = cohort_test_ui_find (GTK_WIDGET (page), is_messages_scroller, NULL);
  GtkWidget *list = cohort_test_ui_find (scroller, has_css_class, "ai-messages");
  GtkWidget *last = gtk_widget_get_last_child (list);
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (last, scroller, &bounds));
  return bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller) + 1 &&
         bounds.origin.y + bounds.size.height >= gtk_widget_get_height (scroller) - 30;
}

/* Waits until the answer's text has grown by a few hundred pixels. */
static void
wait_growth (GtkAdjustment *adjustment,
             double         pixels)
{
  double upper = gtk_adjustment_get_upper (adjustment);

  COHORT_TEST_WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) > upper + pixels);
}

/* Mei's Helper page in a window of her own, the helper set up. */
static CohortAiPage *
open_student_helper (HelperClass           *c,
                     CohortFakeLlm         *fake,
                     CohortClassWindow    **out_window,
                     CohortAiConversation **out_conversation,
                     GtkAdjustment        **out_adjustment)
{
  CohortAiPage *page;

  helper_class_open (c, fake);
  *out_window = cohort_class_window_new (NULL, c->student);
  page = open_helper (*out_window, 900);
  *out_conversation = cohort_ai_page_get_conversation (page);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_configured (*out_conversation));
  *out_adjustment = page_vadjustment (page);
  return page;
}

/* A long answer streams: the view sticks to its end; scrolled up, it stays
 * put; back at the end, it follows again. A window opened later shows the
 * newest exchange. */
static void
test_follow_scroll (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_auto(HelperClass) c = { NULL };
  CohortClassWindow *window, *later;
  CohortAiPage *page, *later_page;
  CohortAiConversation *conversation;
  GtkAdjustment *adjustment;

  page = open_student_helper (&c, fake, &window, &conversation, &adjustment);

  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_TOKENS);
  cohort_fake_llm_set_interval (fake, 10);
  cohort_fake_llm_set_n_tokens (fake, 6000);
  g_assert_true (cohort_ai_conversation_ask (conversation, "Count for a long time"));
  COHORT_TEST_WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) >
                          gtk_adjustment_get_page_size (adjustment) + 100);

  for (guint i = 0; i < 2; i++)
    {
      wait_growth (adjustment, 40);
      COHORT_TEST_WAIT_UNTIL (distance_to_end (adjustment) < 1 && last_message_shown (page));
    }
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), "ai-helper-following.png");

  /* The student scrolls up to read: the view stays where it was. */
  gtk_adjustment_set_value (adjustment, 0);
  for (guint i = 0; i < 2; i++)
    {
      wait_growth (adjustment, 40);
      g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, 0);
    }

  /* Back at the end, it follows again. */
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  for (guint i = 0; i < 2; i++)
    {
      wait_growth (adjustment, 40);
      COHORT_TEST_WAIT_UNTIL (distance_to_end (adjustment) < 1 && last_message_shown (page));
    }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ai.stop", NULL));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);

  /* Another window of the same student loads the history at its end. */
  later = cohort_class_window_new (NULL, c.student);
  later_page = open_helper (later, 900);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (cohort_ai_page_get_conversation (later_page))) == 2);
  adjustment = page_vadjustment (later_page);
  COHORT_TEST_WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) + 100 &&
                          distance_to_end (adjustment) < 1);
  cohort_test_ui_settle (300);
  g_assert_cmpfloat (distance_to_end (adjustment), <, 1);
  g_assert_true (last_message_shown (later_page));

  gtk_window_destroy (GTK_WINDOW (later));
  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);
}

static gboolean
shows_text (GtkWidget     *widget,
            gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* A failed answer says why once (on the answer, not again in the strip
 * below), and the view still ends at that answer. */
static void
test_error_once (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_auto(HelperClass) c = { NULL };
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autoptr(CohortAiMessage) answer = NULL;
  CohortClassWindow *window;
  CohortAiPage *page;
  CohortAiConversation *conversation;
  GtkAdjustment *adjustment;
  const char *error;

  page = open_student_helper (&c, fake, &window, &conversation, &adjustment);

  /* A long answer first, so that the view scrolls. */
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_TOKENS);
  cohort_fake_llm_set_interval (fake, 1);
  cohort_fake_llm_set_n_tokens (fake, 600);
  g_assert_true (cohort_ai_conversation_ask (conversation, "Count"));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);

  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_STATUS_500);
  g_assert_true (cohort_ai_conversation_ask (conversation, "And now?"));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_ERROR);
  answer = g_list_model_get_item (G_LIST_MODEL (conversation), 3);
  error = cohort_ai_message_get_error_message (answer);
  g_assert_nonnull (error);
  cohort_test_ui_settle (600);

  cohort_test_ui_find_all (GTK_WIDGET (page), shows_text, error, shown);
  for (guint i = 0; i < shown->len; i++)
    if (!gtk_widget_is_drawable (shown->pdata[i]) ||
        gtk_widget_get_ancestor (shown->pdata[i], GTK_TYPE_REVEALER) != NULL)
      {
        GtkWidget *revealer = gtk_widget_get_ancestor (shown->pdata[i], GTK_TYPE_REVEALER);

        /* Hidden, or in a closed revealer: not shown. */
        if (!gtk_widget_is_drawable (shown->pdata[i]) ||
            !gtk_revealer_get_child_revealed (GTK_REVEALER (revealer)))
          g_ptr_array_remove_index (shown, i--);
      }
  g_assert_cmpuint (shown->len, ==, 1);
  g_assert_cmpfloat (distance_to_end (adjustment), <, 1);
  g_assert_true (last_message_shown (page));
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), "ai-helper-error.png");

  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);
}

static gboolean
get_boolean (gpointer    object,
              const char *property)
{
  gboolean value = FALSE;

  g_object_get (object, property, &value, NULL);
  return value;
}

/* The teacher (no daily quota) has 23 exchanges; the page opens at the
 * newest of the last 20, and scrolled to the top loads the older ones
 * above what the teacher was reading, which stays in place. */
static void
test_older_history (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_autofree char *group = g_strdup_printf ("base-url=%s\nmodel=fake\napi-key-file=@KEYFILE@\n"
                                            "questions-per-minute=100\n",
                                            cohort_fake_llm_get_base_url (fake));
  g_autoptr(CohortAiTestServer) server = cohort_ai_test_server_start (group);
  g_autoptr(CohortSession) teacher =
    cohort_test_session_create_class (cohort_ai_test_server_get_url (server), "Biology", "Ms Li");
  g_autoptr(CohortAiConversation) asker = cohort_ai_conversation_new (teacher);
  CohortClassWindow *window;
  CohortAiPage *page;
  CohortAiConversation *conversation;
  GtkAdjustment *adjustment;
  double from_end;

  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_configured (asker));
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  for (guint i = 0; i < 23; i++)
    {
      g_autofree char *question = g_strdup_printf ("Question %u", i);

      g_assert_true (cohort_ai_conversation_ask (asker, question));
      COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (asker) == COHORT_AI_CONVERSATION_IDLE);
    }

  window = cohort_class_window_new (NULL, teacher);
  page = open_helper (window, 900);
  conversation = cohort_ai_page_get_conversation (page);
  adjustment = page_vadjustment (page);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (conversation)) == 40);
  COHORT_TEST_WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) > gtk_adjustment_get_page_size (adjustment) + 100 &&
                          distance_to_end (adjustment) < 1 && last_message_shown (page));
  g_assert_true (label_shows (GTK_WIDGET (page), "Question 22"));

  /* Up to the top: the older page comes in above. */
  gtk_adjustment_set_value (adjustment, 0);
  from_end = gtk_adjustment_get_upper (adjustment);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (conversation)) == 46);
  COHORT_TEST_WAIT_UNTIL (gtk_adjustment_get_upper (adjustment) > from_end + 50);
  cohort_test_ui_settle (300);
  g_assert_cmpfloat (fabs (gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_value (adjustment) - from_end), <, 2);
  g_assert_false (get_boolean (conversation, "has-more-history"));
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), "ai-helper-older-history.png");

  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);
}


static gboolean
has_tooltip (GtkWidget     *widget,
             gconstpointer  text)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0;
}

/* The @index-th shown button (from the top) whose tooltip is @tooltip. */
static GtkWidget *
nth_button (GtkWidget  *root,
            const char *tooltip,
            guint       index)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  guint shown = 0;

  cohort_test_ui_find_all (root, has_tooltip, tooltip, all);
  for (guint i = 0; i < all->len; i++)
    if (gtk_widget_is_drawable (g_ptr_array_index (all, i)) && shown++ == index)
      return g_ptr_array_index (all, i);
  return NULL;
}

static gboolean
is_message_dialog (GtkWidget     *widget,
                   gconstpointer  data)
{
  return ADW_IS_MESSAGE_DIALOG (widget);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (is_message_dialog (window, NULL) && gtk_widget_get_visible (window))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
screenshots_light_dark (CohortClassWindow *window,
                        const char        *name)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  const char *language = g_getenv ("COHORT_TEST_LANGUAGE");

  for (guint dark = 0; dark < 2; dark++)
    {
      g_autofree char *file = g_strdup_printf ("ai-helper-%s-%s-%s.png", name,
                                               language != NULL ? "zh" : "en", dark ? "dark" : "light");

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                                      : ADW_COLOR_SCHEME_FORCE_LIGHT);
      cohort_test_ui_settle (300);
      cohort_test_ui_save_screenshot (GTK_WIDGET (window), file);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

/* A request of the teacher's that must succeed; its reply body. */
static JsonObject *
teacher_ok (CohortSession *teacher,
            const char    *type,
            const char    *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autoptr(GError) error = NULL;
  JsonObject *reply;

  g_assert_nonnull (node);
  reply = cohort_test_session_request (teacher, type, json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  return reply;
}

static gint64
question_id_of (JsonObject *reply)
{
  return json_object_get_int_member (json_object_get_object_member (reply, "question"), "id");
}

static gint64
run_id_of (JsonObject *reply)
{
  return json_object_get_int_member (json_object_get_object_member (reply, "run"), "run_id");
}

#define QUIZ_QUESTION "{\"question\": {\"type\":\"single\",\"prompt\":\"Closest planet?\"," \
                      "\"choices\":[\"Venus\",\"Mercury\"],\"correct\":[1]}}"

/* Two new questions; the quiz.launch body of the sequence of both. */
static char *
sequence_of_two (CohortSession *teacher)
{
  g_autoptr(JsonObject) q1 = teacher_ok (teacher, "quiz.question.create", QUIZ_QUESTION);
  g_autoptr(JsonObject) q2 = teacher_ok (teacher, "quiz.question.create", QUIZ_QUESTION);

  return g_strdup_printf ("{\"question_ids\": [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "], \"time_limit\": 0}",
                          question_id_of (q1), question_id_of (q2));
}

/* quiz.close of the run @launched (a quiz.launch or quiz.next reply). */
static void
teacher_close (CohortSession *teacher,
               JsonObject    *launched)
{
  g_autofree char *json = g_strdup_printf ("{\"run_id\": %" G_GINT64_FORMAT "}", run_id_of (launched));
  g_autoptr(JsonObject) closed = teacher_ok (teacher, "quiz.close", json);
}

/* Asks for a long, slow answer; returns it once part of it came. */
static CohortAiMessage *
ask_long_answer (CohortFakeLlm        *fake,
                 CohortAiConversation *conversation)
{
  CohortAiMessage *answer;

  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_TOKENS);
  cohort_fake_llm_set_interval (fake, 20);
  cohort_fake_llm_set_n_tokens (fake, 2000);
  g_assert_true (cohort_ai_conversation_ask (conversation, "Count while I wait"));
  answer = g_list_model_get_item (G_LIST_MODEL (conversation), g_list_model_get_n_items (G_LIST_MODEL (conversation)) - 1);
  COHORT_TEST_WAIT_UNTIL (strstr (cohort_ai_message_get_text (answer), "tok5 ") != NULL);
  return answer;
}

/* A sequence of two questions starts while an answer streams: the part
 * that came is hidden (the status says why and until when), stays hidden
 * between the questions, and shows again once the last one closes. */
static void
test_quiz_hides_answer (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_auto(HelperClass) c = { NULL };
  g_autoptr(CohortAiMessage) answer = NULL;
  g_autoptr(JsonObject) launched = NULL;
  g_autoptr(JsonObject) next = NULL;
  g_autofree char *launch = NULL;
  CohortClassWindow *window;
  CohortAiPage *page;
  CohortAiConversation *conversation;
  GtkAdjustment *adjustment;
  const char *hidden = _("A quiz started: this answer is hidden until the quiz is over.");

  page = open_student_helper (&c, fake, &window, &conversation, &adjustment);
  launch = sequence_of_two (c.teacher);

  answer = ask_long_answer (fake, conversation);
  COHORT_TEST_WAIT_UNTIL (label_shows (GTK_WIDGET (page), "tok5"));

  launched = teacher_ok (c.teacher, "quiz.launch", launch);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_ERROR);
  g_assert_true (cohort_ai_message_get_withheld (answer));
  g_assert_cmpstr (cohort_ai_message_get_text (answer), !=, "");
  /* The quiz may have taken the side panel: back to the helper. */
  cohort_test_ui_show_side_page (window, "helper");
  cohort_test_ui_settle (300);
  g_assert_false (label_shows (GTK_WIDGET (page), "tok5"));
  g_assert_true (label_shows (GTK_WIDGET (page), hidden));
  /* Nothing to copy or ask again meanwhile. */
  g_assert_null (nth_button (GTK_WIDGET (page), _("Copy the Answer"), 0));
  screenshots_light_dark (window, "quiz-hidden");

  /* Between the questions: still hidden. */
  teacher_close (c.teacher, launched);
  next = teacher_ok (c.teacher, "quiz.next", "{}");
  cohort_test_ui_settle (500);
  cohort_test_ui_show_side_page (window, "helper");
  cohort_test_ui_settle (300);
  g_assert_true (cohort_ai_message_get_withheld (answer));
  g_assert_false (label_shows (GTK_WIDGET (page), "tok5"));

  /* The last question closed: the answer is back, with its buttons. */
  teacher_close (c.teacher, next);
  COHORT_TEST_WAIT_UNTIL (!cohort_ai_message_get_withheld (answer));
  cohort_test_ui_show_side_page (window, "helper");
  COHORT_TEST_WAIT_UNTIL (label_shows (GTK_WIDGET (page), "tok5"));
  g_assert_false (label_shows (GTK_WIDGET (page), hidden));
  g_assert_nonnull (nth_button (GTK_WIDGET (page), _("Copy the Answer"), 0));

  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);
}

/* A window opened mid-quiz shows the helper paused at once (the server's
 * lock, not a quiz event it never saw); an answer cut off by a sequence
 * the teacher then leaves half-way comes back when the server's gap
 * (shortened through COHORT_QUIZ_SEQUENCE_GAP_MS) runs out, with no quiz
 * event to tell. */
static void
test_paused_mid_quiz (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_auto(HelperClass) c = { NULL };
  g_autoptr(CohortAiMessage) answer = NULL;
  g_autoptr(JsonObject) launched = NULL;
  g_autoptr(JsonObject) again = NULL;
  g_autofree char *launch = NULL;
  CohortClassWindow *window;
  CohortAiPage *page;
  CohortAiConversation *conversation;
  const char *paused = _("A quiz is on: the helper is paused and comes back when the quiz is over.");

  g_setenv ("COHORT_QUIZ_SEQUENCE_GAP_MS", "2000", TRUE);
  helper_class_open (&c, fake);
  g_unsetenv ("COHORT_QUIZ_SEQUENCE_GAP_MS");
  launch = sequence_of_two (c.teacher);
  launched = teacher_ok (c.teacher, "quiz.launch", launch);

  window = cohort_class_window_new (NULL, c.student);
  page = open_helper (window, 900);
  conversation = cohort_ai_page_get_conversation (page);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_configured (conversation));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_quiz_locked (conversation));
  cohort_test_ui_show_side_page (window, "helper");
  COHORT_TEST_WAIT_UNTIL (label_shows (GTK_WIDGET (page), paused));
  g_assert_false (gtk_widget_is_sensitive (nth_button (GTK_WIDGET (page), _("Ask (Enter; Shift+Enter Adds a Line)"), 0)));
  screenshots_light_dark (window, "paused");
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  cohort_test_ui_settle (300);
  cohort_test_ui_show_side_page (window, "helper");
  cohort_test_ui_settle (300);
  screenshots_light_dark (window, "paused-narrow");
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);

  /* The teacher leaves the sequence after its first question: the lock
   * ends when the gap runs out, and the pane says so. */
  teacher_close (c.teacher, launched);
  COHORT_TEST_WAIT_UNTIL (!cohort_ai_conversation_get_quiz_locked (conversation));
  cohort_test_ui_show_side_page (window, "helper");
  COHORT_TEST_WAIT_UNTIL (!label_shows (GTK_WIDGET (page), paused));

  /* An answer cut off by the next launch stays hidden past its first
   * question's close, and shows again at the gap's end. */
  answer = ask_long_answer (fake, conversation);
  again = teacher_ok (c.teacher, "quiz.launch", launch);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_message_get_withheld (answer));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_quiz_locked (conversation));
  teacher_close (c.teacher, again);
  cohort_test_ui_settle (300);
  g_assert_true (cohort_ai_message_get_withheld (answer));
  COHORT_TEST_WAIT_UNTIL (!cohort_ai_message_get_withheld (answer));
  g_assert_false (cohort_ai_conversation_get_quiz_locked (conversation));
  cohort_test_ui_show_side_page (window, "helper");
  COHORT_TEST_WAIT_UNTIL (label_shows (GTK_WIDGET (page), "tok5"));
  g_assert_false (label_shows (GTK_WIDGET (page), paused));
  g_assert_true (gtk_widget_is_sensitive (nth_button (GTK_WIDGET (page), _("Ask (Enter; Shift+Enter Adds a Line)"), 0)));

  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);
}

/* The composer: the GtkTextView in the page's "ai-composer" scroller. */
static GtkTextView *
composer_of (CohortAiPage *page)
{
  GtkWidget *scroller = cohort_test_ui_find (GTK_WIDGET (page), has_css_class, "ai-composer");

  g_assert_nonnull (scroller);
  return GTK_TEXT_VIEW (gtk_scrolled_window_get_child (GTK_SCROLLED_WINDOW (scroller)));
}

static char *
composer_text (GtkTextView *view)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (view), &start, &end);
  return gtk_text_buffer_get_text (gtk_text_view_get_buffer (view), &start, &end, FALSE);
}

/* Real key presses: the X server's XTest (xdotool) types into the focused
 * window, and GTK delivers them as it would a student's. */
static void
xdotool (const char *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  int status = 0;
  va_list args;

  g_ptr_array_add (argv, g_strdup ("xdotool"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  cohort_test_ui_settle (300);
}

/* Shift+Enter adds a line, Enter sends the question, both lines of it. */
static void
test_multiline_question (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_auto(HelperClass) c = { NULL };
  g_autofree char *typed = NULL;
  g_autofree char *xid = NULL;
  g_autoptr(CohortAiMessage) question = NULL;
  CohortClassWindow *window;
  CohortAiPage *page;
  CohortAiConversation *conversation;
  GtkTextView *composer;

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()) || g_find_program_in_path ("xdotool") == NULL)
    {
      g_test_skip ("needs X11 and xdotool to press real keys");
      return;
    }

  /* At the narrowest the window goes. */
  helper_class_open (&c, fake);
  window = cohort_class_window_new (NULL, c.student);
  page = open_helper (window, 360);
  conversation = cohort_ai_page_get_conversation (page);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_configured (conversation));
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  composer = composer_of (page);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window))));
  xdotool ("windowfocus", "--sync", xid, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (composer));
  cohort_test_ui_settle (200);
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (composer)));

  xdotool ("type", "--delay", "20", "First line", NULL);
  xdotool ("key", "shift+Return", NULL);
  xdotool ("type", "--delay", "20", "second line", NULL);
  typed = composer_text (composer);
  g_assert_cmpstr (typed, ==, "First line\nsecond line");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 0);
  screenshots_light_dark (window, "multiline");

  xdotool ("key", "Return", NULL);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (conversation)) == 2);
  question = g_list_model_get_item (G_LIST_MODEL (conversation), 0);
  g_assert_cmpstr (cohort_ai_message_get_text (question), ==, "First line\nsecond line");
  g_clear_pointer (&typed, g_free);
  typed = composer_text (composer);
  g_assert_cmpstr (typed, ==, "");
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  cohort_test_ui_settle (300);
  g_assert_true (label_shows (GTK_WIDGET (page), "First line\nsecond line"));

  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);
}




/* The pane's conversations: New Conversation empties it, the list shows
 * the past ones of the class, one opens, an answer is regenerated from
 * its button, a question edited and sent again, one deleted after the
 * dialog asks. */
static void
test_conversations (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_auto(HelperClass) c = { NULL };
  CohortClassWindow *window;
  CohortAiPage *page;
  CohortAiConversation *conversation;
  GListModel *list;
  GtkWidget *button;
  GtkTextView *composer;
  g_autofree char *typed = NULL;
  AdwMessageDialog *dialog;
  gint64 first;

  helper_class_open (&c, fake);
  window = cohort_class_window_new (NULL, c.student);
  page = open_helper (window, 900);
  conversation = cohort_ai_page_get_conversation (page);
  list = cohort_ai_conversation_get_conversations (conversation);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_configured (conversation));
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_HELLO);
  g_assert_true (label_shows (GTK_WIDGET (page), _("New Conversation")));

  g_assert_true (cohort_ai_conversation_ask (conversation, "What is a cell?"));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  g_assert_true (cohort_ai_conversation_ask (conversation, "And a nucleus?"));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  first = cohort_ai_conversation_get_conversation_id (conversation);
  cohort_test_ui_settle (300);
  g_assert_true (label_shows (GTK_WIDGET (page), "What is a cell?"));

  /* New Conversation: an empty pane; its first question names it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ai.new-conversation", NULL));
  cohort_test_ui_settle (200);
  g_assert_false (label_shows (GTK_WIDGET (page), "And a nucleus?"));
  g_assert_true (label_shows (GTK_WIDGET (page), _("Ask the Helper")));
  g_assert_true (cohort_ai_conversation_ask (conversation, "Why do stars shine?"));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  cohort_test_ui_settle (200);

  /* The list of past conversations, fetched as it opens. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (cohort_test_ui_find (GTK_WIDGET (page), cohort_test_ui_is_type,
                                                               "GtkMenuButton")));
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (list) == 2);
  cohort_test_ui_settle (300);
  g_assert_nonnull (cohort_test_ui_find_shown (GTK_WIDGET (page), cohort_test_ui_is_label, "What is a cell?"));
  g_assert_nonnull (cohort_test_ui_find_shown (GTK_WIDGET (page), cohort_test_ui_is_label, "Why do stars shine?"));
  screenshots_light_dark (window, "conversations");

  /* Open the first again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ai.open-conversation", "x", first));
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (G_LIST_MODEL (conversation)) == 4);
  cohort_test_ui_settle (300);
  g_assert_true (label_shows (GTK_WIDGET (page), "And a nucleus?"));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (cohort_test_ui_find (GTK_WIDGET (page), cohort_test_ui_is_label,
                                                                       "What is a cell?"))), ==, "What is a cell?");

  /* Regenerate the first, whole answer from its own button: the second
   * exchange goes with it. */
  button = nth_button (GTK_WIDGET (page), _("Regenerate the Answer"), 0);
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  cohort_test_ui_settle (300);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);
  g_assert_false (label_shows (GTK_WIDGET (page), "And a nucleus?"));

  /* Edit the question: the entry holds it, the strip says so. */
  button = nth_button (GTK_WIDGET (page), _("Edit and Send Again"), 0);
  g_assert_nonnull (button);
  gtk_widget_activate (button);
  cohort_test_ui_settle (300);
  composer = composer_of (page);
  typed = composer_text (composer);
  g_assert_cmpstr (typed, ==, "What is a cell?");
  COHORT_TEST_WAIT_UNTIL (label_shows (GTK_WIDGET (page), _("Editing your question: sending replaces it and the answers after it")));
  screenshots_light_dark (window, "editing");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (composer), "What is a plant cell?", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ai.send", NULL));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_state (conversation) == COHORT_AI_CONVERSATION_IDLE);
  cohort_test_ui_settle (300);
  COHORT_TEST_WAIT_UNTIL (!label_shows (GTK_WIDGET (page), _("Editing your question: sending replaces it and the answers after it")));
  g_assert_true (label_shows (GTK_WIDGET (page), "What is a plant cell?"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (conversation)), ==, 2);

  /* Delete it: the dialog asks first; the pane is then a new one. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ai.delete-conversation", "x", first));
  COHORT_TEST_WAIT_UNTIL ((dialog = find_dialog ()) != NULL);
  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (dialog), "ai-helper-delete-dialog.png");
  adw_message_dialog_response (dialog, "delete");
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_conversation_id (conversation) == 0);
  COHORT_TEST_WAIT_UNTIL (g_list_model_get_n_items (list) == 1);
  cohort_test_ui_settle (200);
  g_assert_true (label_shows (GTK_WIDGET (page), _("New Conversation")));

  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);
}


/* A student who turned reminders on opens the class the day before a
 * lesson: the helper speaks first, in a strip at the top of the pane;
 * dismissed, it counts as opened for the teacher. */
static void
test_nudge (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_auto(HelperClass) c = { NULL };
  g_autoptr(CohortAiConversation) before = NULL;
  g_autoptr(CohortAiConversation) teacher_ai = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) lesson = json_object_new ();
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) tomorrow = NULL;
  g_autofree char *zone = cohort_ai_test_daytime_zone ();
  g_autofree char *start = NULL;
  CohortClassWindow *window, *teacher_window;
  CohortAiPage *page, *teacher_page;
  CohortAiConversation *conversation;
  gint64 sent = 0, opened = 0;

  helper_class_open (&c, fake);
  /* The model fails, so the template's words go (test-ai-nudges has the
   * model writing them). */
  cohort_fake_llm_set_scenario (fake, COHORT_FAKE_LLM_STATUS_500);
  tz = g_time_zone_new_identifier (zone);
  now = g_date_time_new_now (tz);
  tomorrow = g_date_time_add_days (now, 1);
  start = g_strdup_printf ("%04d-%02d-%02dT10:00", g_date_time_get_year (tomorrow),
                           g_date_time_get_month (tomorrow), g_date_time_get_day_of_month (tomorrow));
  json_object_set_string_member (lesson, "title", "Cell biology");
  json_object_set_string_member (lesson, "start", start);
  json_object_set_string_member (lesson, "zone", zone);
  json_object_set_int_member (lesson, "duration", 45);
  json_object_set_string_member (lesson, "recurrence", "none");
  cohort_session_request_async (c.teacher, "schedule.create", lesson, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_clear_object (&result);

  /* Mei turned reminders on (in her zone) earlier. */
  before = cohort_ai_conversation_new (c.student);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_configured (before));
  cohort_ai_conversation_set_nudges_enabled_async (before, TRUE, zone, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_ai_conversation_set_nudges_enabled_finish (before, result, &error));
  g_assert_no_error (error);
  g_clear_object (&result);

  window = cohort_class_window_new (NULL, c.student);
  page = open_helper (window, 900);
  conversation = cohort_ai_page_get_conversation (page);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_nudge_text (conversation) != NULL);
  COHORT_TEST_WAIT_UNTIL (label_shows (GTK_WIDGET (page), "Cell biology"));
  g_assert_true (cohort_ai_conversation_get_nudges_enabled (conversation));
  /* Her opt-in shows as the pressed bell. */
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (
    cohort_test_ui_find (GTK_WIDGET (page), cohort_test_ui_is_type, "GtkToggleButton"))));
  screenshots_light_dark (window, "nudge");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ai.dismiss-nudge", NULL));
  COHORT_TEST_WAIT_UNTIL (!label_shows (GTK_WIDGET (page), "Cell biology"));

  /* The teacher: the switch, and the counts (sent one, opened one). */
  teacher_window = cohort_class_window_new (NULL, c.teacher);
  teacher_page = open_helper (teacher_window, 900);
  teacher_ai = g_object_ref (cohort_ai_page_get_conversation (teacher_page));
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_configured (teacher_ai));
  /* The opened mark travels on Mei's connection: wait for it. */
  for (guint i = 0; opened == 0; i++)
    {
      g_assert_cmpuint (i, <, 100);
      g_clear_object (&result);
      cohort_ai_conversation_nudge_stats_async (teacher_ai, NULL, cohort_test_on_result, &result);
      COHORT_TEST_WAIT_UNTIL (result != NULL);
      g_assert_true (cohort_ai_conversation_nudge_stats_finish (teacher_ai, result, &sent, &opened, NULL, &error));
    }
  g_assert_cmpint (sent, ==, 1);
  g_assert_cmpint (opened, ==, 1);
  {
    GtkWidget *stack = NULL;
    g_autoptr(GPtrArray) stacks = g_ptr_array_new ();

    cohort_test_ui_find_all (GTK_WIDGET (teacher_page), cohort_test_ui_is_type, "GtkStack", stacks);
    for (guint i = 0; i < stacks->len; i++)
      if (gtk_stack_get_child_by_name (g_ptr_array_index (stacks, i), "settings") != NULL)
        stack = g_ptr_array_index (stacks, i);
    g_assert_nonnull (stack);
    gtk_stack_set_visible_child_name (GTK_STACK (stack), "settings");
  }
  /* The counts in the switch's row (English only: a substring). */
  if (g_getenv ("COHORT_TEST_LANGUAGE") == NULL)
    COHORT_TEST_WAIT_UNTIL (cohort_test_ui_find_shown (GTK_WIDGET (teacher_page), has_text, "1 opened") != NULL);
  else
    cohort_test_ui_settle (500);
  screenshots_light_dark (teacher_window, "nudge-teacher");

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (teacher_window));
  cohort_test_ui_settle (100);
}

/* Warnings about the helper's own code stay fatal; other features' pages
 * in the same class window, built concurrently, must not fail this test. */
static gboolean
fatal_for_ai_only (const char     *log_domain,
                   GLogLevelFlags  log_level,
                   const char     *message,
                   gpointer        user_data)
{
  return (log_domain != NULL && g_str_has_prefix (log_domain, "cohort-ai")) ||
         (message != NULL && (strstr (message, "CohortAi") != NULL || strstr (message, "cohort-ai") != NULL)) ||
         (log_level & G_LOG_LEVEL_CRITICAL) != 0;
}

/* A text view whose text is @text. */
static gboolean
is_text_view_with (GtkWidget     *widget,
                   gconstpointer  text)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  g_autofree char *shown = NULL;

  if (!GTK_IS_TEXT_VIEW (widget))
    return FALSE;
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_strcmp0 (shown, text) == 0;
}

/* Scrolls the settings so that their end (the key, Save) is in view. */
static void
scroll_to_end (GtkWidget *inside)
{
  GtkAdjustment *adjustment;

  cohort_test_ui_settle (300);
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (inside,
                                                                                                 GTK_TYPE_SCROLLED_WINDOW)));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  cohort_test_ui_settle (200);
}

#define ANSWER_KEY "1. Water moves to the saltier side.\n2. The potato strip gets shorter."

/* The teacher's answer key: its own field under the notes on the
 * settings tab, filled from the class's policy and saved with it. */
static void
test_answer_key_field (void)
{
  g_autoptr(CohortFakeLlm) fake = cohort_fake_llm_new ();
  g_auto(HelperClass) c = { NULL };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CohortClassWindow *window;
  CohortAiPage *page;
  CohortAiConversation *conversation;
  GtkWidget *view;

  helper_class_open (&c, fake);
  window = cohort_class_window_new (NULL, c.teacher);
  page = open_helper (window, 900);
  conversation = cohort_ai_page_get_conversation (page);
  COHORT_TEST_WAIT_UNTIL (cohort_ai_conversation_get_configured (conversation));
  cohort_ai_conversation_set_policy_async (conversation, "hints", "Osmosis", "Use the potato experiment.",
                                           ANSWER_KEY, 10, NULL, cohort_test_on_result, &result);
  COHORT_TEST_WAIT_UNTIL (result != NULL);
  g_assert_true (cohort_ai_conversation_set_policy_finish (conversation, result, &error));
  g_assert_no_error (error);
  cohort_test_ui_settle (200);

  view = cohort_test_ui_find (GTK_WIDGET (page), is_text_view_with, ANSWER_KEY);
  g_assert_nonnull (view);
  gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_ancestor (view, GTK_TYPE_STACK)), "settings");
  scroll_to_end (view);
  screenshots_light_dark (window, "answer-key");
  /* At a phone's width the panel folds away: open it again. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 700);
  cohort_test_ui_settle (300);
  cohort_test_ui_show_side_page (window, "helper");
  scroll_to_end (view);
  screenshots_light_dark (window, "answer-key-360");

  /* Edited on the page and saved: the server keeps the new key. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "Osmosis: water, not salt.", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "ai.save-policy", NULL));
  COHORT_TEST_WAIT_UNTIL (g_strcmp0 (cohort_ai_conversation_get_answer_key (conversation),
                                     "Osmosis: water, not salt.") == 0);

  gtk_window_destroy (GTK_WINDOW (window));
  cohort_test_ui_settle (100);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  /* COHORT_TEST_LANGUAGE=zh_CN: the screenshots in Chinese. */
  cohort_test_ui_use_test_language ();
  data_home = cohort_test_ui_init (&argc, &argv, "ai-ui");

  g_test_log_set_fatal_handler (fatal_for_ai_only, NULL);
  /* GTK logs through structured logging, which ignores the handler above:
   * keep criticals fatal and let warnings through. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  g_test_add_func ("/cohort/ai/ui/streamed-answer", test_streamed_answer);
  g_test_add_func ("/cohort/ai/ui/not-configured", test_not_configured);
  g_test_add_func ("/cohort/ai/ui/thinking-and-cut-short", test_thinking_and_cut_short);
  g_test_add_func ("/cohort/ai/ui/follow-scroll", test_follow_scroll);
  g_test_add_func ("/cohort/ai/ui/error-once", test_error_once);
  g_test_add_func ("/cohort/ai/ui/older-history", test_older_history);
  g_test_add_func ("/cohort/ai/ui/conversations", test_conversations);
  g_test_add_func ("/cohort/ai/ui/nudge", test_nudge);
  g_test_add_func ("/cohort/ai/ui/quiz-hides-answer", test_quiz_hides_answer);
  g_test_add_func ("/cohort/ai/ui/paused-mid-quiz", test_paused_mid_quiz);
  g_test_add_func ("/cohort/ai/ui/multiline-question", test_multiline_question);
  g_test_add_func ("/cohort/ai/ui/answer-key-field", test_answer_key_field);

  return cohort_test_ui_run (NULL, data_home);
}

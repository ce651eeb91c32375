/* cohort-ai-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-ai-answer-view.h"
#include "cohort-ai-conversation-item.h"
#include "cohort-ai-page.h"
#include "cohort-ai-protocol.h"

struct _CohortAiPage
{
  GtkWidget             parent_instance;

  CohortSession        *session;
  CohortAiConversation *conversation;
  GCancellable         *cancellable;
  gboolean              follow;      /* the view sticks to the end */
  gboolean              scrolling;   /* the page itself moves the view */
  double                anchor;      /* ≥ 0: keep the view this far above the end */
  GdkFrameClock        *frame_clock;
  gulong                layout_handler;

  CohortAiMessage      *editing;     /* the question being edited */

  GtkStack             *state_stack;
  GtkMenuButton        *conversations_button;
  GtkPopover           *conversations_popover;
  GtkStack             *conversations_stack;
  GtkListBox           *conversations_list;
  GtkLabel             *title_label;
  GtkRevealer          *editing_revealer;
  GtkToggleButton      *nudges_toggle;
  GtkRevealer          *nudge_revealer;
  GtkLabel             *nudge_label;
  AdwActionRow         *nudges_row;
  GtkSwitch            *nudges_switch;
  gboolean              syncing;     /* the page itself sets the switches */
  GtkWidget            *teacher_switcher;
  GtkStack             *teacher_stack;
  GtkLabel             *policy_label;
  GtkStack             *chat_stack;
  GtkScrolledWindow    *scroller;
  GtkListBox           *message_list;
  GtkRevealer          *paused_revealer;
  GtkRevealer          *error_revealer;
  GtkLabel             *error_label;
  GtkWidget            *quick_prompts;
  GtkTextView          *question_view;
  GtkWidget            *question_placeholder;
  gboolean              preediting;  /* an input method is composing */
  GtkStack             *send_stack;
  GtkLabel             *quota_label;
  AdwComboRow          *mode_row;
  GtkStringList        *mode_list;
  AdwEntryRow          *topic_row;
  GtkSpinButton        *quota_spin;
  GtkTextView          *notes_view;
  GtkTextView          *answer_key_view;
  GtkListBox           *topics_list;
};

G_DEFINE_FINAL_TYPE (CohortAiPage, cohort_ai_page, GTK_TYPE_WIDGET)

static const char * const modes[] = { COHORT_AI_MODE_OFF, COHORT_AI_MODE_HINTS, COHORT_AI_MODE_FULL };

static gboolean
is_teacher (CohortAiPage *self)
{
  CohortParticipant *me = self->session != NULL ? cohort_session_get_self (self->session) : NULL;

  return me != NULL && cohort_participant_get_role (me) == COHORT_ROLE_TEACHER;
}

/* The question composer: a text view, so a question can have several
 * lines. Enter sends it, Shift+Enter adds a line. */

static char *
question_text (CohortAiPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->question_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_question_text (CohortAiPage *self,
                   const char   *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->question_view), text, -1);
}

static void
update_placeholder (CohortAiPage *self)
{
  gtk_widget_set_visible (self->question_placeholder,
                          !self->preediting &&
                          gtk_text_buffer_get_char_count (gtk_text_view_get_buffer (self->question_view)) == 0);
}

static void
on_question_preedit (CohortAiPage *self,
                     const char   *preedit)
{
  self->preediting = preedit != NULL && *preedit != '\0';
  update_placeholder (self);
}

/* In the capture phase, ahead of the text view's own handling (which
 * would add a line). While an input method composes (pinyin), Enter is
 * the input method's: it commits the composed text. */
static gboolean
on_question_key_pressed (CohortAiPage          *self,
                         guint                  keyval,
                         guint                  keycode,
                         GdkModifierType        state,
                         GtkEventControllerKey *controller)
{
  if ((keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter && keyval != GDK_KEY_ISO_Enter) ||
      self->preediting || (state & GDK_SHIFT_MASK) != 0)
    return FALSE;

  /* While an answer streams, Enter sends nothing and adds no line. */
  gtk_widget_activate_action (GTK_WIDGET (self), "ai.send", NULL);
  return TRUE;
}

/* Rows */

/* Scrolling: the view follows the newest text while it sits at the end;
 * once the student scrolls up to read, it stays where it is until the
 * student comes back down or asks again. */

#define END_SLACK 24.0

static gboolean
at_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment) - END_SLACK;
}

static void
scroll_to_end (CohortAiPage *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  self->scrolling = TRUE;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) -
                                        gtk_adjustment_get_page_size (adjustment));
  self->scrolling = FALSE;
}

/* After each layout of the window (content grew: a token, a new row; or
 * the view shrank: the error strip opened), the view goes back to the
 * end. Here and not on the adjustment's "changed", which the viewport
 * emits after placing its child: moving the view then would show on the
 * next frame only. The frame clock lays out again before it paints. */
static void
on_frame_layout (GdkFrameClock *clock,
                 CohortAiPage  *self)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

  /* Older history came in above: what the student was reading stays put. */
  if (self->anchor >= 0 && !self->follow)
    {
      self->scrolling = TRUE;
      gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment) - self->anchor);
      self->scrolling = FALSE;
    }
  self->anchor = -1;

  if (self->follow &&
      gtk_adjustment_get_value (adjustment) < gtk_adjustment_get_upper (adjustment) -
                                              gtk_adjustment_get_page_size (adjustment))
    scroll_to_end (self);
}

static void
on_adjustment_value_changed (CohortAiPage  *self,
                             GtkAdjustment *adjustment)
{
  if (self->scrolling)
    return;
  self->follow = at_end (adjustment);
  /* Near the top: the next older page of history. */
  if (gtk_adjustment_get_value (adjustment) < gtk_adjustment_get_page_size (adjustment) / 2 &&
      self->conversation != NULL)
    cohort_ai_conversation_load_more (self->conversation);
}

static gboolean
render_tick (GtkWidget     *view,
             GdkFrameClock *clock,
             gpointer       user_data)
{
  CohortAiMessage *message = user_data;

  g_object_set_data (G_OBJECT (view), "render-pending", NULL);
  cohort_ai_answer_view_set_markdown (COHORT_AI_ANSWER_VIEW (view), cohort_ai_message_get_text (message));
  return G_SOURCE_REMOVE;
}

static void
update_text (CohortAiMessage *message,
             GParamSpec      *pspec,
             GtkWidget       *view)
{
  const char *text = cohort_ai_message_get_text (message);

  /* The student's own question is shown as typed; the answer is Markdown,
   * rendered once a frame while it streams (tokens come faster than
   * frames, and each render lays out the growing block again). */
  if (GTK_IS_LABEL (view))
    gtk_label_set_text (GTK_LABEL (view), text);
  else if (!gtk_widget_get_mapped (view))
    cohort_ai_answer_view_set_markdown (COHORT_AI_ANSWER_VIEW (view), text);
  else if (g_object_get_data (G_OBJECT (view), "render-pending") == NULL)
    {
      gtk_widget_add_tick_callback (view, render_tick, g_object_ref (message), g_object_unref);
      g_object_set_data (G_OBJECT (view), "render-pending", GINT_TO_POINTER (TRUE));
    }

  /* An answer a quiz cut off stays out of sight until the quiz is over. */
  gtk_widget_set_visible (view, *text != '\0' && !cohort_ai_message_get_withheld (message));
}

static void
update_status (CohortAiMessage *message,
               GParamSpec      *pspec,
               GtkWidget       *row)
{
  GtkLabel *status = g_object_get_data (G_OBJECT (row), "status");
  GtkWidget *spinner = g_object_get_data (G_OBJECT (row), "spinner");
  GtkWidget *retry = g_object_get_data (G_OBJECT (row), "retry");
  GtkWidget *copy = g_object_get_data (G_OBJECT (row), "copy");
  CohortAiMessageState state = cohort_ai_message_get_state (message);
  gboolean withheld = cohort_ai_message_get_withheld (message);
  g_autofree char *elapsed = NULL;
  const char *text = NULL;

  switch (state)
    {
    case COHORT_AI_MESSAGE_STREAMING:
      /* A reasoning model can think for a minute before it writes: the
       * seconds show it is still at work. */
      if (cohort_ai_message_get_thinking (message))
        {
          gint64 seconds = (g_get_monotonic_time () - cohort_ai_message_get_streaming_since (message)) / G_USEC_PER_SEC;

          elapsed = g_strdup_printf (_("Thinking… %d s"), (int) seconds);
          text = elapsed;
        }
      else
        text = _("Answering…");
      break;
    case COHORT_AI_MESSAGE_STOPPED:
      text = _("Stopped");
      break;
    case COHORT_AI_MESSAGE_TRUNCATED:
      text = _("The answer reached its length limit");
      break;
    case COHORT_AI_MESSAGE_CUT_SHORT:
      text = _("The answer was cut short");
      break;
    case COHORT_AI_MESSAGE_FAILED:
      text = cohort_ai_message_get_withheld (message)
             ? _("A quiz started: this answer is hidden until the quiz is over.")
             : cohort_ai_message_get_error_message (message);
      break;
    case COHORT_AI_MESSAGE_DONE:
    default:
      break;
    }

  gtk_label_set_text (status, text != NULL ? text : "");
  /* Kept visible (maybe empty) so the buttons stay at the end. */
  gtk_widget_set_visible (spinner, state == COHORT_AI_MESSAGE_STREAMING);
  /* Any answer can be asked again: a failed or stopped one to finish
   * it, a whole one for another take. */
  gtk_widget_set_visible (retry, state != COHORT_AI_MESSAGE_STREAMING && !withheld);
  gtk_widget_set_tooltip_text (retry, state == COHORT_AI_MESSAGE_DONE || state == COHORT_AI_MESSAGE_TRUNCATED
                                      ? _("Regenerate the Answer") : _("Ask Again"));
  gtk_widget_set_visible (copy, state != COHORT_AI_MESSAGE_STREAMING && !withheld &&
                                *cohort_ai_message_get_text (message) != '\0');
}

static gboolean
tick_thinking (GtkWidget     *row,
               GdkFrameClock *clock,
               gpointer       user_data)
{
  CohortAiMessage *message = user_data;
  gint64 seconds = (g_get_monotonic_time () - cohort_ai_message_get_streaming_since (message)) / G_USEC_PER_SEC;

  if (cohort_ai_message_get_state (message) != COHORT_AI_MESSAGE_STREAMING)
    return G_SOURCE_REMOVE;
  /* Once a second, not once a frame. */
  if (cohort_ai_message_get_thinking (message) &&
      GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (row), "thinking-seconds")) != (gsize) seconds)
    {
      g_object_set_data (G_OBJECT (row), "thinking-seconds", GSIZE_TO_POINTER ((gsize) seconds));
      update_status (message, NULL, row);
    }
  return G_SOURCE_CONTINUE;
}

static void
on_copy_clicked (GtkButton       *button,
                 CohortAiMessage *message)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)),
                          cohort_ai_message_get_text (message));
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), _("Copied"));
}

static void
on_regenerate_clicked (GtkButton       *button,
                       CohortAiMessage *message)
{
  CohortAiPage *self = COHORT_AI_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (button), COHORT_TYPE_AI_PAGE));

  if (self != NULL && self->conversation != NULL)
    cohort_ai_conversation_regenerate (self->conversation, message);
}

static void set_editing (CohortAiPage    *self,
                         CohortAiMessage *question);

static void
on_edit_clicked (GtkButton       *button,
                 CohortAiMessage *message)
{
  CohortAiPage *self = COHORT_AI_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (button), COHORT_TYPE_AI_PAGE));

  if (self != NULL)
    set_editing (self, message);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  CohortAiMessage *message = item;
  gboolean mine = cohort_ai_message_get_role (message) == COHORT_AI_ROLE_USER;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *bubble = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *view;

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_focusable (row, FALSE);
  gtk_widget_add_css_class (bubble, "ai-bubble");
  gtk_widget_add_css_class (bubble, mine ? "ai-question" : "ai-answer");
  gtk_widget_set_halign (bubble, mine ? GTK_ALIGN_END : GTK_ALIGN_FILL);
  gtk_widget_set_margin_top (bubble, 6);
  gtk_widget_set_margin_bottom (bubble, 6);
  if (mine)
    gtk_widget_set_margin_start (bubble, 36);

  if (mine)
    {
      view = gtk_label_new (NULL);
      gtk_label_set_wrap (GTK_LABEL (view), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (view), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (view), 0);
      gtk_label_set_selectable (GTK_LABEL (view), TRUE);
    }
  else
    view = cohort_ai_answer_view_new ();
  gtk_box_append (GTK_BOX (bubble), view);
  g_signal_connect_object (message, "notify::text", G_CALLBACK (update_text), view, 0);
  g_signal_connect_object (message, "notify::withheld", G_CALLBACK (update_text), view, 0);
  update_text (message, NULL, view);

  if (mine)
    {
      GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");

      gtk_widget_set_tooltip_text (edit, _("Edit and Send Again"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Edit the question and send it again"), -1);
      gtk_widget_add_css_class (edit, "flat");
      gtk_widget_add_css_class (edit, "ai-edit");
      gtk_widget_set_halign (edit, GTK_ALIGN_END);
      g_signal_connect_object (edit, "clicked", G_CALLBACK (on_edit_clicked), message, 0);
      gtk_box_append (GTK_BOX (bubble), edit);
    }

  if (!mine)
    {
      GtkWidget *footer = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *spinner = gtk_spinner_new ();
      GtkWidget *status = gtk_label_new (NULL);
      GtkWidget *retry = gtk_button_new_from_icon_name ("view-refresh-symbolic");
      GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");

      gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
      gtk_label_set_wrap (GTK_LABEL (status), TRUE);
      gtk_label_set_xalign (GTK_LABEL (status), 0);
      gtk_widget_set_hexpand (status, TRUE);
      gtk_label_set_ellipsize (GTK_LABEL (status), PANGO_ELLIPSIZE_NONE);
      gtk_widget_add_css_class (status, "dim-label");
      gtk_widget_add_css_class (status, "caption");

      gtk_accessible_update_property (GTK_ACCESSIBLE (retry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Ask again"), -1);
      g_signal_connect_object (retry, "clicked", G_CALLBACK (on_regenerate_clicked), message, 0);
      gtk_widget_set_tooltip_text (copy, _("Copy the Answer"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (copy), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Copy the answer"), -1);
      gtk_widget_add_css_class (retry, "flat");
      gtk_widget_add_css_class (copy, "flat");
      g_signal_connect_object (copy, "clicked", G_CALLBACK (on_copy_clicked), message, 0);

      /* Copy and Retry sit at the end of the row. */
      gtk_widget_set_halign (footer, GTK_ALIGN_FILL);
      gtk_widget_set_hexpand (spinner, FALSE);
      gtk_widget_set_halign (status, GTK_ALIGN_FILL);
      gtk_box_append (GTK_BOX (footer), spinner);
      gtk_box_append (GTK_BOX (footer), status);
      gtk_box_append (GTK_BOX (footer), retry);
      gtk_box_append (GTK_BOX (footer), copy);
      gtk_box_append (GTK_BOX (bubble), footer);

      g_object_set_data (G_OBJECT (row), "status", status);
      g_object_set_data (G_OBJECT (row), "spinner", spinner);
      g_object_set_data (G_OBJECT (row), "retry", retry);
      g_object_set_data (G_OBJECT (row), "copy", copy);
      g_signal_connect_object (message, "notify::state", G_CALLBACK (update_status), row, 0);
      g_signal_connect_object (message, "notify::text", G_CALLBACK (update_status), row, 0);
      g_signal_connect_object (message, "notify::error-message", G_CALLBACK (update_status), row, 0);
      g_signal_connect_object (message, "notify::thinking", G_CALLBACK (update_status), row, 0);
      g_signal_connect_object (message, "notify::withheld", G_CALLBACK (update_status), row, 0);
      update_status (message, NULL, row);
      /* The seconds of thinking count on (the spinner runs the frame
       * clock then anyway). */
      if (cohort_ai_message_get_state (message) == COHORT_AI_MESSAGE_STREAMING)
        gtk_widget_add_tick_callback (row, tick_thinking, g_object_ref (message), g_object_unref);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), bubble);

  return row;
}

/* State */

static gboolean
last_answer_shows (CohortAiPage *self,
                   const char   *error)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->conversation));
  g_autoptr(CohortAiMessage) last = n > 0 ? g_list_model_get_item (G_LIST_MODEL (self->conversation), n - 1)
                                          : NULL;

  return last != NULL && cohort_ai_message_get_role (last) == COHORT_AI_ROLE_ASSISTANT &&
         cohort_ai_message_get_state (last) == COHORT_AI_MESSAGE_FAILED &&
         g_strcmp0 (cohort_ai_message_get_error_message (last), error) == 0;
}

static void
update_state (CohortAiPage *self)
{
  CohortAiConversation *c = self->conversation;
  gboolean teacher = is_teacher (self);
  gboolean streaming, configured, off, paused;
  const char *mode, *topic, *error;
  gint64 quota, used;
  g_autofree char *policy = NULL;

  if (c == NULL)
    return;

  configured = cohort_ai_conversation_get_configured (c);
  streaming = cohort_ai_conversation_get_state (c) == COHORT_AI_CONVERSATION_STREAMING;
  mode = cohort_ai_conversation_get_mode (c);
  topic = cohort_ai_conversation_get_topic (c);
  off = g_strcmp0 (mode, COHORT_AI_MODE_OFF) == 0;
  quota = cohort_ai_conversation_get_daily_quota (c);
  used = cohort_ai_conversation_get_used_today (c);
  error = cohort_ai_conversation_get_error_message (c);
  /* The server's lock, shown at once (also in a window opened mid-quiz);
   * the ask it refused says no more than the notice does. */
  paused = cohort_ai_conversation_get_quiz_locked (c) && configured && !(off && !teacher);
  if (paused && g_strcmp0 (cohort_ai_conversation_get_error_code (c), "ai_quiz_lock") == 0)
    error = NULL;
  gtk_revealer_set_reveal_child (self->paused_revealer, paused);

  gtk_stack_set_visible_child_name (self->state_stack, configured ? "ready" : "not-configured");
  gtk_widget_set_visible (self->teacher_switcher, teacher);

  if (off && !teacher)
    gtk_stack_set_visible_child_name (self->chat_stack, "off");
  else if (g_list_model_get_n_items (G_LIST_MODEL (c)) == 0)
    gtk_stack_set_visible_child_name (self->chat_stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->chat_stack, "messages");

  if (g_strcmp0 (mode, COHORT_AI_MODE_FULL) == 0)
    policy = g_strdup (_("Full answers"));
  else if (off)
    policy = g_strdup (_("The helper is off for students"));
  else
    policy = g_strdup (_("Hints only: the helper guides you without giving final answers"));
  if (topic != NULL && *topic != '\0')
    {
      g_autofree char *with_topic = g_strdup_printf (_("%s · Topic: %s"), policy, topic);

      g_free (policy);
      policy = g_steal_pointer (&with_topic);
    }
  /* Said ahead of time, so a pause mid-quiz is no surprise. */
  if (!off)
    {
      g_autofree char *with_quiz = g_strdup_printf (_("%s · Pauses during quizzes"), policy);

      g_free (policy);
      policy = g_steal_pointer (&with_quiz);
    }
  gtk_label_set_text (self->policy_label, policy);

  if (quota > 0 && !teacher)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%d of %d question left today",
                                                            "%d of %d questions left today",
                                                            (gulong) quota),
                                               (int) MAX (quota - used, 0), (int) quota);

      gtk_label_set_text (self->quota_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->quota_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->quota_label), FALSE);

  /* An error the failed answer already shows is not repeated below it. */
  if (error != NULL && last_answer_shows (self, error))
    error = NULL;
  gtk_label_set_text (self->error_label, error != NULL ? error : "");
  gtk_revealer_set_reveal_child (self->error_revealer, error != NULL);

  gtk_label_set_text (self->title_label,
                      cohort_ai_conversation_get_title (c) != NULL && *cohort_ai_conversation_get_title (c) != '\0'
                      ? cohort_ai_conversation_get_title (c) : _("New Conversation"));
  gtk_revealer_set_reveal_child (self->editing_revealer, self->editing != NULL);
  {
    const char *nudge = cohort_ai_conversation_get_nudge_text (c);

    gtk_label_set_text (self->nudge_label, nudge != NULL ? nudge : "");
    gtk_revealer_set_reveal_child (self->nudge_revealer, nudge != NULL && !teacher);
  }
  /* The student's opt-in shows only where the teacher allows reminders. */
  gtk_widget_set_visible (GTK_WIDGET (self->nudges_toggle), !teacher && cohort_ai_conversation_get_nudges (c));
  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->nudges_toggle, cohort_ai_conversation_get_nudges_enabled (c));
  gtk_switch_set_active (self->nudges_switch, cohort_ai_conversation_get_nudges (c));
  self->syncing = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ai.new-conversation", !streaming);
  gtk_widget_set_sensitive (GTK_WIDGET (self->conversations_button), !streaming);

  gtk_stack_set_visible_child_name (self->send_stack, streaming ? "stop" : "send");
  gtk_widget_set_sensitive (self->quick_prompts, !streaming && !paused && !(off && !teacher));
  gtk_widget_set_sensitive (GTK_WIDGET (self->question_view), !(off && !teacher));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ai.send", !streaming && !paused && !(off && !teacher));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ai.quick-prompt",
                                 !streaming && !paused && !(off && !teacher));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ai.stop", streaming);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ai.retry", !paused && cohort_ai_conversation_can_retry (c));
}

static void
sync_settings (CohortAiPage *self)
{
  CohortAiConversation *c = self->conversation;
  const char *mode = cohort_ai_conversation_get_mode (c);
  const char *notes = cohort_ai_conversation_get_notes (c);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    if (g_strcmp0 (mode, modes[i]) == 0)
      adw_combo_row_set_selected (self->mode_row, i);
  gtk_editable_set_text (GTK_EDITABLE (self->topic_row),
                         cohort_ai_conversation_get_topic (c) ?: "");
  /* The teacher can only lower the server's per-student quota. */
  gtk_adjustment_set_upper (gtk_spin_button_get_adjustment (self->quota_spin),
                            cohort_ai_conversation_get_max_daily_quota (c) > 0
                            ? cohort_ai_conversation_get_max_daily_quota (c)
                            : COHORT_AI_MAX_DAILY_QUOTA);
  gtk_spin_button_set_value (self->quota_spin, cohort_ai_conversation_get_daily_quota (c));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes ?: "", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->answer_key_view),
                            cohort_ai_conversation_get_answer_key (c) ?: "", -1);
}

static void
on_conversation_notify (CohortAiPage *self,
                        GParamSpec   *pspec)
{
  update_state (self);
}

static void
on_policy_notify (CohortAiPage *self,
                  GParamSpec   *pspec)
{
  update_state (self);
  sync_settings (self);
}

static void
on_items_changed (CohortAiPage *self,
                  guint         position,
                  guint         removed,
                  guint         added)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->conversation));

  /* A new question (the student's, at the end) brings the view back down;
   * history that loads opens at the newest exchange. */
  if (added > 0 && position + added == n)
    {
      g_autoptr(CohortAiMessage) last = g_list_model_get_item (G_LIST_MODEL (self->conversation), n - 1);

      if (cohort_ai_message_get_role (last) == COHORT_AI_ROLE_USER || position == 0)
        self->follow = TRUE;
    }
  else if (added > 0 && position == 0)
    {
      GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (self->scroller);

      self->anchor = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_value (adjustment);
    }
  update_state (self);
}

/* Another conversation opened: what was being edited belongs to the old
 * one. */
static void
on_open_conversation_changed (CohortAiPage *self)
{
  if (self->editing != NULL)
    {
      g_clear_object (&self->editing);
      set_question_text (self, "");
      update_state (self);
    }
}

/* Actions */

static void
ask (CohortAiPage *self,
     const char   *text)
{
  if (self->conversation != NULL && cohort_ai_conversation_ask (self->conversation, text))
    set_question_text (self, "");
}

static void
set_editing (CohortAiPage    *self,
             CohortAiMessage *question)
{
  g_set_object (&self->editing, question);
  if (question != NULL)
    {
      set_question_text (self, cohort_ai_message_get_text (question));
      gtk_widget_grab_focus (GTK_WIDGET (self->question_view));
    }
  update_state (self);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);
  g_autofree char *text = question_text (self);

  if (self->editing != NULL && self->conversation != NULL)
    {
      if (cohort_ai_conversation_edit (self->conversation, self->editing, text))
        {
          set_question_text (self, "");
          set_editing (self, NULL);
        }
      return;
    }
  ask (self, text);
}

static void
cancel_edit_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);

  if (self->editing != NULL)
    set_question_text (self, "");
  set_editing (self, NULL);
}

/* Conversations */

static void
new_conversation_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);

  if (self->conversation != NULL && cohort_ai_conversation_start_new (self->conversation))
    {
      set_editing (self, NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self->question_view));
    }
}

static void
open_conversation_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);

  gtk_popover_popdown (self->conversations_popover);
  if (self->conversation != NULL &&
      cohort_ai_conversation_open (self->conversation, g_variant_get_int64 (parameter)))
    {
      set_editing (self, NULL);
      self->follow = TRUE;
    }
}

static void
on_deleted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cohort_ai_conversation_delete_finish (COHORT_AI_CONVERSATION (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not delete a conversation with the helper: %s", error->message);
}

static void
on_delete_response (AdwMessageDialog *dialog,
                    const char       *response,
                    CohortAiPage     *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "conversation-id"));

  if (g_str_equal (response, "delete") && self->conversation != NULL)
    cohort_ai_conversation_delete_async (self->conversation, id, self->cancellable, on_deleted, self);
}

static void
delete_conversation_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  gtk_popover_popdown (self->conversations_popover);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Delete the Conversation?"),
                                   _("Its questions and answers are deleted for good. "
                                     "Today’s questions still count towards your daily limit."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "conversation-id",
                     GSIZE_TO_POINTER ((gsize) g_variant_get_int64 (parameter)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_delete_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
create_conversation_row (gpointer item,
                         gpointer user_data)
{
  CohortAiConversationItem *conversation = item;
  gint64 id = cohort_ai_conversation_item_get_id (conversation);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *open = gtk_button_new ();
  GtkWidget *title = gtk_label_new (cohort_ai_conversation_item_get_title (conversation));
  GtkWidget *delete = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 30);
  gtk_button_set_child (GTK_BUTTON (open), title);
  gtk_widget_set_hexpand (open, TRUE);
  gtk_widget_add_css_class (open, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "ai.open-conversation");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (open), g_variant_new_int64 (id));

  gtk_widget_add_css_class (delete, "flat");
  gtk_widget_set_tooltip_text (delete, _("Delete the Conversation"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (delete), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Delete the conversation"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (delete), "ai.delete-conversation");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (delete), g_variant_new_int64 (id));

  gtk_box_append (GTK_BOX (box), open);
  gtk_box_append (GTK_BOX (box), delete);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  return row;
}

static void
on_conversations_changed (CohortAiPage *self)
{
  GListModel *list = cohort_ai_conversation_get_conversations (self->conversation);

  gtk_stack_set_visible_child_name (self->conversations_stack,
                                    g_list_model_get_n_items (list) > 0 ? "list" : "empty");
}

static void
on_conversations_refreshed (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cohort_ai_conversation_refresh_conversations_finish (COHORT_AI_CONVERSATION (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Could not list the conversations: %s", error->message);
}

/* The list is fetched each time it opens: another device may have added
 * or deleted one. */
static void
on_conversations_popover_shown (CohortAiPage *self)
{
  if (self->conversation != NULL)
    cohort_ai_conversation_refresh_conversations_async (self->conversation, self->cancellable,
                                                        on_conversations_refreshed, self);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);

  if (self->conversation != NULL)
    cohort_ai_conversation_stop (self->conversation);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);

  if (self->conversation != NULL)
    cohort_ai_conversation_retry (self->conversation);
}

static void
quick_prompt_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);
  const char *which = g_variant_get_string (parameter, NULL);

  if (g_str_equal (which, "simpler"))
    ask (self, _("Explain it more simply."));
  else if (g_str_equal (which, "example"))
    ask (self, _("Give me an example."));
  else if (g_str_equal (which, "quiz"))
    ask (self, _("Quiz me on this: ask me one question at a time and wait for my answer."));
}

static void
on_policy_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cohort_ai_conversation_set_policy_finish (COHORT_AI_CONVERSATION (source), result, &error))
    g_warning ("Could not save the helper's rules: %s", error->message);
}

static void
save_policy_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;
  g_autofree char *notes = NULL;
  g_autofree char *answer_key = NULL;
  guint selected = adw_combo_row_get_selected (self->mode_row);

  if (self->conversation == NULL)
    return;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  buffer = gtk_text_view_get_buffer (self->answer_key_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  answer_key = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  cohort_ai_conversation_set_policy_async (self->conversation,
                                           modes[MIN (selected, G_N_ELEMENTS (modes) - 1)],
                                           gtk_editable_get_text (GTK_EDITABLE (self->topic_row)),
                                           notes, answer_key,
                                           gtk_spin_button_get_value_as_int (self->quota_spin),
                                           self->cancellable, on_policy_saved, self);
}

static void
on_topics (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree gint64 *counts = NULL;
  CohortAiPage *self;
  GtkWidget *child;
  guint n;

  cohort_ai_conversation_list_topics_finish (COHORT_AI_CONVERSATION (source), result, &words, &counts, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = COHORT_AI_PAGE (user_data);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->topics_list))) != NULL)
    gtk_list_box_remove (self->topics_list, child);

  n = words != NULL ? g_strv_length (words) : 0;
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *count = gtk_label_new (NULL);
      g_autofree char *count_text = NULL;

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), words[i]);
      count_text = g_strdup_printf ("%" G_GINT64_FORMAT, counts[i]);
      gtk_label_set_text (GTK_LABEL (count), count_text);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), count);
      gtk_list_box_append (self->topics_list, row);
    }

  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     error != NULL ? _("Could not load the topics") : _("No questions yet"));
      gtk_list_box_append (self->topics_list, row);
    }
}

static void
refresh_topics_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);

  if (self->conversation != NULL && is_teacher (self))
    cohort_ai_conversation_list_topics_async (self->conversation, self->cancellable, on_topics, self);
}

static void on_nudge_stats (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data);

static void
on_teacher_page (CohortAiPage *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->teacher_stack), "settings") == 0)
    {
      refresh_topics_action (GTK_WIDGET (self), NULL, NULL);
      if (self->conversation != NULL)
        cohort_ai_conversation_nudge_stats_async (self->conversation, self->cancellable, on_nudge_stats, self);
    }
}

/* Nudges */

static void
dismiss_nudge_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);

  if (self->conversation != NULL)
    cohort_ai_conversation_open_nudge (self->conversation);
}

/* The helper spoke first: a notification when the window is not in
 * front (the pane shows it too). */
static void
on_nudge_received (CohortAiPage *self,
                   const char   *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GApplication *app = g_application_get_default ();
  g_autoptr(GNotification) notification = NULL;

  if (app == NULL || (GTK_IS_WINDOW (root) && gtk_window_is_active (GTK_WINDOW (root))))
    return;
  notification = g_notification_new (_("Your Study Helper"));
  g_notification_set_body (notification, text);
  g_application_send_notification (app, "ai-nudge", notification);
}

static void
on_nudges_saved (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cohort_ai_conversation_set_nudges_enabled_finish (COHORT_AI_CONVERSATION (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not save the helper's reminders: %s", error->message);
}

static void
on_nudges_toggled (CohortAiPage *self)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  if (self->syncing || self->conversation == NULL)
    return;
  /* The zone goes along: quiet hours are the student's own. */
  cohort_ai_conversation_set_nudges_enabled_async (self->conversation,
                                                   gtk_toggle_button_get_active (self->nudges_toggle),
                                                   g_time_zone_get_identifier (local),
                                                   self->cancellable, on_nudges_saved, self);
}

static void
on_class_nudges_saved (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!cohort_ai_conversation_set_class_nudges_finish (COHORT_AI_CONVERSATION (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Could not save the class's reminders: %s", error->message);
}

static void
on_nudges_switch (CohortAiPage *self)
{
  if (self->syncing || self->conversation == NULL)
    return;
  cohort_ai_conversation_set_class_nudges_async (self->conversation,
                                                 gtk_switch_get_active (self->nudges_switch),
                                                 self->cancellable, on_class_nudges_saved, self);
}

static void
on_nudge_stats (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitle = NULL;
  gint64 sent, opened, came_back;
  CohortAiPage *self;

  if (!cohort_ai_conversation_nudge_stats_finish (COHORT_AI_CONVERSATION (source), result, &sent, &opened,
                                                  &came_back, &error))
    return;
  self = COHORT_AI_PAGE (user_data);
  /* How many students came back to a reminder: counts, never names. */
  subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Students who turn them on get at most one a day, never at night. %d sent in the last 30 days, %d opened, %d came back within a day.",
                                           "Students who turn them on get at most one a day, never at night. %d sent in the last 30 days, %d opened, %d came back within a day.",
                                           (gulong) sent),
                              (int) sent, (int) opened, (int) came_back);
  adw_action_row_set_subtitle (self->nudges_row, subtitle);
}

/* Public */

void
cohort_ai_page_set_session (CohortAiPage  *self,
                            CohortSession *session)
{
  g_return_if_fail (COHORT_IS_AI_PAGE (self));
  g_return_if_fail (COHORT_IS_SESSION (session));

  if (self->session == session)
    return;

  g_set_object (&self->session, session);
  g_clear_object (&self->conversation);
  self->conversation = cohort_ai_conversation_new (session);

  gtk_list_box_bind_model (self->message_list, G_LIST_MODEL (self->conversation),
                           create_row, NULL, NULL);
  gtk_list_box_bind_model (self->conversations_list,
                           cohort_ai_conversation_get_conversations (self->conversation),
                           create_conversation_row, NULL, NULL);
  g_signal_connect_object (cohort_ai_conversation_get_conversations (self->conversation), "items-changed",
                           G_CALLBACK (on_conversations_changed), self, G_CONNECT_SWAPPED);
  on_conversations_changed (self);
  g_signal_connect_object (self->conversation, "items-changed",
                           G_CALLBACK (on_items_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conversation, "notify",
                           G_CALLBACK (on_conversation_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conversation, "notify::conversation-id",
                           G_CALLBACK (on_open_conversation_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conversation, "nudge-received",
                           G_CALLBACK (on_nudge_received), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conversation, "notify::mode",
                           G_CALLBACK (on_policy_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conversation, "notify::topic",
                           G_CALLBACK (on_policy_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conversation, "notify::notes",
                           G_CALLBACK (on_policy_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conversation, "notify::answer-key",
                           G_CALLBACK (on_policy_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conversation, "notify::daily-quota",
                           G_CALLBACK (on_policy_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->conversation, "notify::max-daily-quota",
                           G_CALLBACK (on_policy_notify), self, G_CONNECT_SWAPPED);

  update_state (self);
  sync_settings (self);
}

CohortAiConversation *
cohort_ai_page_get_conversation (CohortAiPage *self)
{
  g_return_val_if_fail (COHORT_IS_AI_PAGE (self), NULL);
  return self->conversation;
}

/* GObject */

static void
cohort_ai_page_dispose (GObject *object)
{
  CohortAiPage *self = COHORT_AI_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->message_list != NULL)
    gtk_list_box_bind_model (self->message_list, NULL, NULL, NULL, NULL);
  if (self->conversations_list != NULL)
    gtk_list_box_bind_model (self->conversations_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->editing);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_AI_PAGE);
  g_clear_object (&self->conversation);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cohort_ai_page_parent_class)->dispose (object);
}

static void
cohort_ai_page_map (GtkWidget *widget)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);

  GTK_WIDGET_CLASS (cohort_ai_page_parent_class)->map (widget);
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->layout_handler = g_signal_connect_after (self->frame_clock, "layout",
                                                 G_CALLBACK (on_frame_layout), self);
}

static void
cohort_ai_page_unmap (GtkWidget *widget)
{
  CohortAiPage *self = COHORT_AI_PAGE (widget);

  g_clear_signal_handler (&self->layout_handler, self->frame_clock);
  g_clear_object (&self->frame_clock);
  GTK_WIDGET_CLASS (cohort_ai_page_parent_class)->unmap (widget);
}

static void
cohort_ai_page_class_init (CohortAiPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_ai_page_dispose;
  widget_class->map = cohort_ai_page_map;
  widget_class->unmap = cohort_ai_page_unmap;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-ai-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, state_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, conversations_button);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, conversations_popover);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, conversations_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, conversations_list);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, editing_revealer);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, nudges_toggle);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, nudge_revealer);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, nudge_label);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, nudges_row);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, nudges_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, teacher_switcher);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, teacher_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, policy_label);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, chat_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, message_list);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, paused_revealer);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, quick_prompts);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, question_view);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, question_placeholder);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, send_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, quota_label);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, mode_row);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, mode_list);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, topic_row);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, quota_spin);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, notes_view);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, answer_key_view);
  gtk_widget_class_bind_template_child (widget_class, CohortAiPage, topics_list);

  gtk_widget_class_install_action (widget_class, "ai.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "ai.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "ai.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "ai.cancel-edit", NULL, cancel_edit_action);
  gtk_widget_class_install_action (widget_class, "ai.dismiss-nudge", NULL, dismiss_nudge_action);
  gtk_widget_class_install_action (widget_class, "ai.new-conversation", NULL, new_conversation_action);
  gtk_widget_class_install_action (widget_class, "ai.open-conversation", "x", open_conversation_action);
  gtk_widget_class_install_action (widget_class, "ai.delete-conversation", "x",
                                   delete_conversation_action);
  gtk_widget_class_install_action (widget_class, "ai.quick-prompt", "s", quick_prompt_action);
  gtk_widget_class_install_action (widget_class, "ai.save-policy", NULL, save_policy_action);
  gtk_widget_class_install_action (widget_class, "ai.refresh-topics", NULL, refresh_topics_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "ai.stop", NULL);
}

static void
cohort_ai_page_init (CohortAiPage *self)
{
  GtkEventController *key;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->follow = TRUE;
  self->anchor = -1;
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (on_adjustment_value_changed), self, G_CONNECT_SWAPPED);
  gtk_string_list_append (self->mode_list, _("Off"));
  gtk_string_list_append (self->mode_list, _("Hints only"));
  gtk_string_list_append (self->mode_list, _("Full answers"));

  key = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (key, GTK_PHASE_CAPTURE);
  g_signal_connect_swapped (key, "key-pressed", G_CALLBACK (on_question_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->question_view), key);
  g_signal_connect_swapped (self->question_view, "preedit-changed", G_CALLBACK (on_question_preedit), self);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->question_view), "changed",
                            G_CALLBACK (update_placeholder), self);
  g_signal_connect_swapped (self->nudges_toggle, "toggled", G_CALLBACK (on_nudges_toggled), self);
  g_signal_connect_swapped (self->nudges_switch, "notify::active", G_CALLBACK (on_nudges_switch), self);
  adw_action_row_set_subtitle (self->nudges_row,
                               _("Students who turn them on get at most one a day, never at night."));
  g_signal_connect_swapped (self->conversations_popover, "show",
                            G_CALLBACK (on_conversations_popover_shown), self);
  g_signal_connect_swapped (self->teacher_stack, "notify::visible-child-name",
                            G_CALLBACK (on_teacher_page), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ai.stop", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "ai.retry", FALSE);
}

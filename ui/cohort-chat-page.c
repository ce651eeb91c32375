/* cohort-chat-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-chat-page"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-chat-page.h"
#include "cohort-chat-protocol.h"
#include "cohort-chat-row.h"
#include "cohort-class-window.h"
#include "cohort-sound-player.h"

typedef enum
{
  TARGET_NONE,
  TARGET_ANSWER,
  TARGET_PRIVATE,
} TargetKind;

struct _CohortChatPage
{
  GtkWidget          parent_instance;

  CohortSession     *session;
  CohortChatModel   *model;
  CohortDanmakuView *danmaku_view;
  GtkFilterListModel *questions;
  GtkCustomFilter   *question_filter;
  GtkCustomSorter   *question_sorter;
  GtkSortListModel  *sorted_questions;
  AdwViewStackPage  *stack_page;
  AdwViewStack      *stack;
  gulong             event_handler;
  gulong             stack_handler;
  guint              scroll_idle;
  gboolean           stick_to_bottom;
  gboolean           show_questions;
  gboolean           syncing;

  TargetKind         target_kind;
  gint64             target_id;

  /* property-backed actions */
  gboolean           pause;
  gboolean           allow_private;
  gboolean           allow_danmaku;

  GtkToggleButton   *all_button;
  GtkToggleButton   *questions_button;
  GtkWidget         *settings_button;
  GtkWidget         *class_settings_list;
  GtkSwitch         *show_switch;
  GtkAdjustment     *density_adjustment;
  GtkWidget         *pace_box;
  GtkLabel          *too_fast_label;
  GtkLevelBar       *too_fast_bar;
  GtkLabel          *too_slow_label;
  GtkLevelBar       *too_slow_bar;
  GtkRevealer       *notice_revealer;
  GtkLabel          *notice_label;
  GtkStack          *list_stack;
  GtkScrolledWindow *scroller;
  GtkListView       *list_view;
  GtkNoSelection    *selection;
  AdwStatusPage     *empty_status;
  GtkRevealer       *target_revealer;
  GtkLabel          *target_label;
  GtkWidget         *reaction_box;
  GtkWidget         *composer;
  GtkEntry          *entry;
  GtkToggleButton   *private_button;
  GtkToggleButton   *question_button;
  GtkToggleButton   *danmaku_button;
  GtkWidget         *send_button;
};

G_DEFINE_FINAL_TYPE (CohortChatPage, cohort_chat_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PAUSE,
  PROP_ALLOW_PRIVATE,
  PROP_ALLOW_DANMAKU,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SEEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

gboolean
cohort_chat_page_is_teacher (CohortChatPage *self)
{
  CohortParticipant *me = self->session ? cohort_session_get_self (self->session) : NULL;

  return me != NULL && cohort_participant_get_role (me) == COHORT_ROLE_TEACHER;
}

const char *
cohort_chat_page_get_self_name (CohortChatPage *self)
{
  CohortParticipant *me = self->session ? cohort_session_get_self (self->session) : NULL;

  return me ? cohort_participant_get_name (me) : NULL;
}

CohortChatModel *
cohort_chat_page_get_model (CohortChatPage *self)
{
  return self->model;
}

/* Scrolling */

static gboolean
scroll_to_end (gpointer user_data)
{
  CohortChatPage *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  self->scroll_idle = 0;
  /* An unmapped list view has no rows to scroll to (GTK 4.8 warns "failed
   * to scroll to given position"); it scrolls when it is mapped. */
  if (n > 0 && gtk_widget_get_mapped (GTK_WIDGET (self->list_view)))
    gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", n - 1);
  return G_SOURCE_REMOVE;
}

static void
queue_scroll_to_end (CohortChatPage *self)
{
  if (self->scroll_idle == 0)
    self->scroll_idle = g_timeout_add (30, scroll_to_end, self);
}

static void
on_list_mapped (CohortChatPage *self)
{
  if (self->stick_to_bottom && !self->show_questions)
    queue_scroll_to_end (self);
}

static gboolean
at_bottom (CohortChatPage *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - 40;
}

static void
on_edge_reached (CohortChatPage  *self,
                 GtkPositionType  pos)
{
  if (pos == GTK_POS_TOP && self->model != NULL && !self->show_questions)
    cohort_chat_model_load_older (self->model);
}

/* State */

static void
update_empty (CohortChatPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (self->show_questions)
    {
      adw_status_page_set_icon_name (self->empty_status, "dialog-question-symbolic");
      adw_status_page_set_title (self->empty_status, _("No Questions Yet"));
      adw_status_page_set_description (self->empty_status,
                                       cohort_chat_page_is_teacher (self)
                                         ? _("Questions students ask appear here, most “me too” first.")
                                         : _("Mark a message as a question and classmates can say “me too”."));
    }
  else
    {
      adw_status_page_set_icon_name (self->empty_status, "chat-message-new-symbolic");
      adw_status_page_set_title (self->empty_status, _("No Messages Yet"));
      adw_status_page_set_description (self->empty_status,
                                       _("Say hello to the class. Messages appear here for everyone."));
    }
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}

static gboolean
has_text (const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

static void
update_composer (CohortChatPage *self)
{
  gboolean teacher = cohort_chat_page_is_teacher (self);
  gboolean muted = self->model != NULL && !teacher &&
                   (cohort_chat_model_get_chat_muted (self->model) ||
                    cohort_chat_model_get_self_muted (self->model));
  gboolean private_ok = self->model == NULL || cohort_chat_model_get_private_enabled (self->model);
  gboolean danmaku_ok = self->model == NULL || cohort_chat_model_get_danmaku_enabled (self->model);
  const char *notice = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  gboolean is_private = gtk_toggle_button_get_active (self->private_button) ||
                        self->target_kind == TARGET_PRIVATE;

  gtk_widget_set_visible (GTK_WIDGET (self->private_button), !teacher && private_ok);
  if (!private_ok && gtk_toggle_button_get_active (self->private_button))
    gtk_toggle_button_set_active (self->private_button, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->question_button), !teacher && !is_private &&
                                                              self->target_kind == TARGET_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->danmaku_button), danmaku_ok && !is_private &&
                                                            self->target_kind == TARGET_NONE);
  gtk_widget_set_visible (self->class_settings_list, teacher);
  gtk_widget_set_visible (self->pace_box, teacher);

  gtk_widget_set_sensitive (self->composer, !muted && self->session != NULL);
  if (self->model != NULL && !teacher && cohort_chat_model_get_chat_muted (self->model))
    notice = _("The teacher has paused the chat.");
  else if (self->model != NULL && !teacher && cohort_chat_model_get_self_muted (self->model))
    notice = _("The teacher has muted your messages for now.");

  if (notice != NULL)
    gtk_label_set_text (self->notice_label, notice);
  gtk_revealer_set_reveal_child (self->notice_revealer, notice != NULL);

  if (is_private)
    gtk_entry_set_placeholder_text (self->entry, _("Message privately"));
  else if (gtk_toggle_button_get_active (self->question_button))
    gtk_entry_set_placeholder_text (self->entry, _("Ask the class a question"));
  else
    gtk_entry_set_placeholder_text (self->entry, _("Message the class"));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chat.send",
                                 !muted && has_text (text));
}

static void
update_target (CohortChatPage *self)
{
  g_autofree char *label = NULL;

  if (self->target_kind == TARGET_ANSWER)
    {
      CohortChatMessage *q = cohort_chat_model_lookup (self->model, self->target_id);

      label = g_strdup_printf (_("Answering: %s"), q ? cohort_chat_message_get_text (q) : "");
    }
  else if (self->target_kind == TARGET_PRIVATE)
    {
      CohortParticipant *p = cohort_roster_lookup (cohort_session_get_roster (self->session),
                                                   self->target_id);

      label = g_strdup_printf (_("Private to %s"), p ? cohort_participant_get_name (p) : "");
    }

  if (label != NULL)
    gtk_label_set_text (self->target_label, label);
  gtk_revealer_set_reveal_child (self->target_revealer, self->target_kind != TARGET_NONE);
  update_composer (self);
}

static void
clear_target (CohortChatPage *self)
{
  self->target_kind = TARGET_NONE;
  self->target_id = 0;
  update_target (self);
}

void
cohort_chat_page_answer (CohortChatPage    *self,
                         CohortChatMessage *question)
{
  g_return_if_fail (COHORT_IS_CHAT_PAGE (self));

  self->target_kind = TARGET_ANSWER;
  self->target_id = cohort_chat_message_get_id (question);
  update_target (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

void
cohort_chat_page_reply_privately (CohortChatPage *self,
                                  gint64          participant_id,
                                  const char     *name)
{
  g_return_if_fail (COHORT_IS_CHAT_PAGE (self));

  self->target_kind = TARGET_PRIVATE;
  self->target_id = participant_id;
  update_target (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

void
cohort_chat_page_focus_composer (CohortChatPage *self)
{
  g_return_if_fail (COHORT_IS_CHAT_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

/* The chat row of the list item that has the focus, or NULL. */
static CohortChatRow *
focused_row (CohortChatPage *self)
{
  GtkWidget *item = gtk_root_get_focus (gtk_widget_get_root (GTK_WIDGET (self)));

  while (item != NULL && gtk_widget_get_parent (item) != GTK_WIDGET (self->list_view))
    item = gtk_widget_get_parent (item);
  if (item == NULL || !COHORT_IS_CHAT_ROW (gtk_widget_get_first_child (item)))
    return NULL;
  return COHORT_CHAT_ROW (gtk_widget_get_first_child (item));
}

/* The message list and the reaction bar are one Tab stop each (a list
 * view moves the focus item by item on Tab, a box button by button): Tab
 * and Shift+Tab leave them as if they had nothing to focus, and the
 * arrows move inside them (Up and Down between messages, Left and Right
 * between reactions). Menu, Shift+F10 or Enter on a message opens its
 * actions. */
static gboolean
on_group_key_pressed (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      CohortChatPage        *self)
{
  GdkModifierType mods = state & gtk_accelerator_get_default_mod_mask ();
  GtkWidget *group = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (controller));
  GtkRoot *root = gtk_widget_get_root (group);
  CohortChatRow *row = group == GTK_WIDGET (self->list_view) ? focused_row (self) : NULL;

  /* Keys for a message's open menu (a popover inside its row) pass. */
  if (row != NULL && cohort_chat_row_get_menu_open (row))
    return GDK_EVENT_PROPAGATE;

  if ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab || keyval == GDK_KEY_ISO_Left_Tab) &&
      (mods & ~GDK_SHIFT_MASK) == 0)
    {
      GtkDirectionType direction = mods & GDK_SHIFT_MASK ? GTK_DIR_TAB_BACKWARD : GTK_DIR_TAB_FORWARD;

      gtk_widget_set_can_focus (group, FALSE);
      /* As the window does: from the end of the chain, around again. */
      if (!gtk_widget_child_focus (GTK_WIDGET (root), direction))
        {
          gtk_root_set_focus (root, NULL);
          gtk_widget_child_focus (GTK_WIDGET (root), direction);
        }
      gtk_widget_set_can_focus (group, TRUE);
      return GDK_EVENT_STOP;
    }

  if (row != NULL &&
      ((keyval == GDK_KEY_Menu && mods == 0) || (keyval == GDK_KEY_F10 && mods == GDK_SHIFT_MASK) ||
       ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && mods == 0)))
    {
      cohort_chat_row_popup_menu (row);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}

/* Tab comes back to the message that had the focus last, which may
 * have scrolled away since. */
static void
on_list_focus_enter (CohortChatPage *self)
{
  CohortChatRow *row = focused_row (self);
  GListModel *items = G_LIST_MODEL (gtk_list_view_get_model (self->list_view));

  for (guint i = 0; row != NULL && i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(CohortChatMessage) m = g_list_model_get_item (items, i);

      if (m == cohort_chat_row_get_message (row))
        {
          /* The reader is among the messages: a pending jump to the
           * newest would scroll the focused one away. */
          g_clear_handle_id (&self->scroll_idle, g_source_remove);
          self->stick_to_bottom = i + 1 == g_list_model_get_n_items (items);
          gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", i);
          return;
        }
    }
}

static void
add_tab_stop (CohortChatPage *self,
              GtkWidget      *group)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_group_key_pressed), self);
  gtk_widget_add_controller (group, keys);
}

static void
update_pace (CohortChatPage *self)
{
  guint fast = cohort_chat_model_get_pace_too_fast (self->model);
  guint slow = cohort_chat_model_get_pace_too_slow (self->model);
  guint students = 0;
  g_autofree char *fast_text = NULL;
  g_autofree char *slow_text = NULL;
  GListModel *roster = G_LIST_MODEL (cohort_session_get_roster (self->session));

  for (guint i = 0; i < g_list_model_get_n_items (roster); i++)
    {
      g_autoptr(CohortParticipant) p = g_list_model_get_item (roster, i);

      if (cohort_participant_get_role (p) == COHORT_ROLE_STUDENT && cohort_participant_get_online (p))
        students++;
    }

  fast_text = g_strdup_printf (_("🐇 Too fast: %u"), fast);
  slow_text = g_strdup_printf (_("🐢 Too slow: %u"), slow);
  gtk_label_set_text (self->too_fast_label, fast_text);
  gtk_label_set_text (self->too_slow_label, slow_text);
  gtk_level_bar_set_value (self->too_fast_bar, MIN (1.0, (double) fast / MAX (1, students)));
  gtk_level_bar_set_value (self->too_slow_bar, MIN (1.0, (double) slow / MAX (1, students)));
}

static void
sync_settings (CohortChatPage *self)
{
  self->syncing = TRUE;
  g_object_set (self,
                "pause", cohort_chat_model_get_chat_muted (self->model),
                "allow-private", cohort_chat_model_get_private_enabled (self->model),
                "allow-danmaku", cohort_chat_model_get_danmaku_enabled (self->model),
                NULL);
  self->syncing = FALSE;
  update_composer (self);
}

/* Unread badge and notifications */

static gboolean
page_is_seen (CohortChatPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return gtk_widget_get_mapped (GTK_WIDGET (self)) &&
         root != NULL && gtk_window_is_active (GTK_WINDOW (root)) &&
         (self->stack == NULL ||
          adw_view_stack_get_visible_child (self->stack) == GTK_WIDGET (self));
}

static void
update_unread (CohortChatPage *self)
{
  guint unread;

  if (self->model == NULL)
    return;

  if (page_is_seen (self))
    {
      cohort_chat_model_mark_read (self->model);
      g_signal_emit (self, signals[SEEN], 0);
    }

  unread = cohort_chat_model_get_unread_count (self->model);
  if (self->stack_page != NULL)
    {
      adw_view_stack_page_set_badge_number (self->stack_page, unread);
      adw_view_stack_page_set_needs_attention (self->stack_page, unread > 0);
    }
}

/* What needs the user: a private message from the teacher comes first
 * among the toasts, with a sound; the teacher's other messages and
 * mentions ring and notify. Away from the window, the desktop tells. */
static void
on_message_received (CohortChatPage    *self,
                     CohortChatMessage *message,
                     gboolean           important)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), COHORT_TYPE_CLASS_WINDOW);
  gboolean from_teacher = cohort_chat_message_get_is_teacher (message);
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (self->stick_to_bottom)
    queue_scroll_to_end (self);

  if (!important || window == NULL || page_is_seen (self))
    return;

  if (from_teacher && cohort_chat_message_get_is_private (message))
    /* Translators: a toast and a notification; %s is the teacher's name. */
    title = g_strdup_printf (_("Private message from %s"), cohort_chat_message_get_author_name (message));
  else if (cohort_chat_message_get_mentions_self (message))
    title = g_strdup_printf (_("%s mentioned you"), cohort_chat_message_get_author_name (message));
  else
    title = g_strdup_printf (_("%s (teacher)"), cohort_chat_message_get_author_name (message));

  /* Notifications show plain text; nothing from the network is markup. */
  body = g_utf8_substring (cohort_chat_message_get_text (message), 0, 200);
  if (from_teacher && cohort_chat_message_get_is_private (message))
    {
      cohort_class_window_call_attention (COHORT_CLASS_WINDOW (window), COHORT_NOTICE_ACTION, "chat",
                                          COHORT_SOUND_MESSAGE, title, body);
      return;
    }

  if (from_teacher)
    cohort_sound_player_play (COHORT_SOUND_PLAYER (cohort_class_window_get_sound_player (COHORT_CLASS_WINDOW (window))),
                              COHORT_SOUND_MESSAGE);
  if (!gtk_window_is_active (GTK_WINDOW (window)))
    cohort_class_window_send_notification (COHORT_CLASS_WINDOW (window), NULL, "chat", title, body);
}

static void
on_danmaku (CohortChatPage    *self,
            CohortChatMessage *message)
{
  if (self->danmaku_view != NULL)
    cohort_danmaku_view_add_comment (self->danmaku_view, cohort_chat_message_get_text (message),
                                     cohort_chat_message_get_is_own (message));
}

static void
on_reaction (CohortChatPage *self,
             gint64          participant_id,
             const char     *reaction)
{
  const char *emoji = cohort_chat_reaction_emoji (reaction);

  if (self->danmaku_view != NULL && emoji != NULL)
    cohort_danmaku_view_add_reaction (self->danmaku_view, emoji);
}

static void
on_failed (CohortChatPage *self,
           const char     *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), COHORT_TYPE_CLASS_WINDOW);

  if (window != NULL)
    cohort_class_window_add_toast (COHORT_CLASS_WINDOW (window), message);
}

/* Questions: re-filter and re-sort when votes or states change. */
static void
on_session_event (CohortChatPage *self,
                  const char     *event,
                  JsonObject     *body,
                  gint64          seq)
{
  if (!g_str_has_prefix (event, "chat."))
    return;

  if (g_str_equal (event, COHORT_EV_CHAT_VOTES) || g_str_equal (event, COHORT_EV_CHAT_QUESTION) ||
      g_str_equal (event, COHORT_EV_CHAT_DELETED) || g_str_equal (event, COHORT_EV_CHAT_MESSAGE))
    {
      gtk_filter_changed (GTK_FILTER (self->question_filter), GTK_FILTER_CHANGE_DIFFERENT);
      gtk_sorter_changed (GTK_SORTER (self->question_sorter), GTK_SORTER_CHANGE_DIFFERENT);
    }
}

static gboolean
question_filter_func (gpointer item,
                      gpointer user_data)
{
  CohortChatMessage *m = item;

  return cohort_chat_message_is_question (m) && !cohort_chat_message_get_deleted (m);
}

static int
question_sort_func (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  CohortChatMessage *ma = (CohortChatMessage *) a;
  CohortChatMessage *mb = (CohortChatMessage *) b;
  gboolean done_a = g_strcmp0 (cohort_chat_message_get_question (ma), "done") == 0;
  gboolean done_b = g_strcmp0 (cohort_chat_message_get_question (mb), "done") == 0;
  gint64 va = cohort_chat_message_get_votes (ma);
  gint64 vb = cohort_chat_message_get_votes (mb);

  /* Open ones first, then by votes, then oldest first. */
  if (done_a != done_b)
    return done_a ? 1 : -1;
  if (va != vb)
    return va > vb ? -1 : 1;
  return cohort_chat_message_get_id (ma) < cohort_chat_message_get_id (mb) ? -1 : 1;
}

void
cohort_chat_page_show_questions (CohortChatPage *self,
                                 gboolean        questions)
{
  g_return_if_fail (COHORT_IS_CHAT_PAGE (self));

  self->show_questions = questions;
  gtk_toggle_button_set_active (questions ? self->questions_button : self->all_button, TRUE);
  if (self->model == NULL)
    return;
  gtk_no_selection_set_model (self->selection,
                              questions ? G_LIST_MODEL (self->sorted_questions)
                                        : G_LIST_MODEL (self->model));
  update_empty (self);
  if (!questions)
    queue_scroll_to_end (self);
}

static void
on_filter_toggled (CohortChatPage  *self,
                   GtkToggleButton *button)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  if ((button == self->questions_button) != self->show_questions)
    cohort_chat_page_show_questions (self, button == self->questions_button);
}

/* Composer */

static void
send_current (CohortChatPage *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  gboolean question = gtk_toggle_button_get_active (self->question_button) &&
                      gtk_widget_get_visible (GTK_WIDGET (self->question_button));
  gboolean danmaku = gtk_toggle_button_get_active (self->danmaku_button) &&
                     gtk_widget_get_visible (GTK_WIDGET (self->danmaku_button));

  if (self->model == NULL || !has_text (text))
    return;

  if (self->target_kind == TARGET_ANSWER)
    {
      CohortChatMessage *q = cohort_chat_model_lookup (self->model, self->target_id);

      if (q != NULL)
        cohort_chat_model_answer (self->model, q, text);
      clear_target (self);
    }
  else if (self->target_kind == TARGET_PRIVATE)
    cohort_chat_model_send (self->model, text, COHORT_CHAT_CHANNEL_PRIVATE, self->target_id,
                            FALSE, FALSE);
  else if (gtk_toggle_button_get_active (self->private_button))
    cohort_chat_model_send (self->model, text, COHORT_CHAT_CHANNEL_PRIVATE, 0, FALSE, FALSE);
  else
    cohort_chat_model_send (self->model, text, NULL, 0, question, danmaku);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  gtk_toggle_button_set_active (self->question_button, FALSE);
  self->stick_to_bottom = TRUE;
  if (self->show_questions && !question)
    cohort_chat_page_show_questions (self, FALSE);
  queue_scroll_to_end (self);
}

static void
on_entry_activate (CohortChatPage *self)
{
  send_current (self);
}

static void
on_entry_changed (CohortChatPage *self)
{
  update_composer (self);
}

static void
on_option_toggled (CohortChatPage *self)
{
  update_composer (self);
}

static void
page_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortChatPage *self = COHORT_CHAT_PAGE (widget);

  if (g_str_equal (action_name, "chat.send"))
    send_current (self);
  else if (g_str_equal (action_name, "chat.clear-target"))
    clear_target (self);
}

static void
on_react_clicked (GtkButton      *button,
                  CohortChatPage *self)
{
  const char *reaction = g_object_get_data (G_OBJECT (button), "reaction");
  const char *pace = g_object_get_data (G_OBJECT (button), "pace");

  if (self->model == NULL)
    return;
  if (reaction != NULL)
    {
      cohort_chat_model_react (self->model, reaction);
    }
  else if (pace != NULL)
    {
      cohort_chat_model_send_pace (self->model, pace);
      on_failed (self, g_str_equal (pace, "too_fast") ? _("You told the teacher the pace is too fast.")
                                                      : _("You told the teacher the pace is too slow."));
    }
}

static void
build_reactions (CohortChatPage *self)
{
  static const struct { const char *name; const char *tooltip; } reactions[] = {
    { "thumbs_up", N_("Thumbs up") },
    { "heart", N_("Love it") },
    { "laugh", N_("That is funny") },
    { "clap", N_("Applause") },
    { "question", N_("I am confused") },
  };
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->reaction_box)) != NULL)
    gtk_box_remove (GTK_BOX (self->reaction_box), child);

  for (guint i = 0; i < G_N_ELEMENTS (reactions); i++)
    {
      GtkWidget *button = gtk_button_new_with_label (cohort_chat_reaction_emoji (reactions[i].name));

      gtk_widget_set_tooltip_text (button, _(reactions[i].tooltip));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(reactions[i].tooltip), -1);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_add_css_class (button, "reaction-button");
      g_object_set_data (G_OBJECT (button), "reaction", (gpointer) reactions[i].name);
      g_signal_connect (button, "clicked", G_CALLBACK (on_react_clicked), self);
      gtk_box_append (GTK_BOX (self->reaction_box), button);
    }

  if (!cohort_chat_page_is_teacher (self))
    {
      GtkWidget *fast = gtk_button_new_with_label ("🐇");
      GtkWidget *slow = gtk_button_new_with_label ("🐢");

      gtk_box_append (GTK_BOX (self->reaction_box), gtk_separator_new (GTK_ORIENTATION_VERTICAL));
      gtk_widget_set_tooltip_text (fast, _("Too fast"));
      gtk_widget_set_tooltip_text (slow, _("Too slow"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (fast), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Tell the teacher the pace is too fast"), -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (slow), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Tell the teacher the pace is too slow"), -1);
      g_object_set_data (G_OBJECT (fast), "pace", (gpointer) "too_fast");
      g_object_set_data (G_OBJECT (slow), "pace", (gpointer) "too_slow");
      for (GtkWidget *b = fast; b != NULL; b = (b == fast ? slow : NULL))
        {
          gtk_widget_add_css_class (b, "flat");
          gtk_widget_add_css_class (b, "reaction-button");
          g_signal_connect (b, "clicked", G_CALLBACK (on_react_clicked), self);
          gtk_box_append (GTK_BOX (self->reaction_box), b);
        }
    }
}

/* Session */

static void
on_items_changed (CohortChatPage *self)
{
  update_empty (self);
  /* home: a message that arrives while the chat is in view is seen. */
  if (self->model != NULL && page_is_seen (self))
    g_signal_emit (self, signals[SEEN], 0);
}

static void
on_stack_visible_child (CohortChatPage *self)
{
  update_unread (self);
}

static void
on_window_active (CohortChatPage *self)
{
  update_unread (self);
}

/* The side panel opened on the chat: what waited unread is seen now. */
static void
cohort_chat_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cohort_chat_page_parent_class)->map (widget);
  update_unread (COHORT_CHAT_PAGE (widget));
}

void
cohort_chat_page_set_session (CohortChatPage *self,
                              CohortSession  *session)
{
  GtkWidget *parent;

  g_return_if_fail (COHORT_IS_CHAT_PAGE (self));
  g_return_if_fail (self->session == NULL);

  self->session = g_object_ref (session);
  self->model = cohort_chat_model_new (session);

  self->question_filter = gtk_custom_filter_new (question_filter_func, NULL, NULL);
  self->questions = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->model)),
                                               g_object_ref (GTK_FILTER (self->question_filter)));
  self->question_sorter = gtk_custom_sorter_new (question_sort_func, NULL, NULL);
  self->sorted_questions = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->questions)),
                                                    g_object_ref (GTK_SORTER (self->question_sorter)));
  gtk_no_selection_set_model (self->selection, G_LIST_MODEL (self->model));

  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sorted_questions, "items-changed", G_CALLBACK (on_items_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "message-received", G_CALLBACK (on_message_received), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "danmaku", G_CALLBACK (on_danmaku), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "reaction", G_CALLBACK (on_reaction), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "failed", G_CALLBACK (on_failed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::unread-count", G_CALLBACK (update_unread), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::chat-muted", G_CALLBACK (sync_settings), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::self-muted", G_CALLBACK (sync_settings), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::private-enabled", G_CALLBACK (sync_settings), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::danmaku-enabled", G_CALLBACK (sync_settings), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::pace-too-fast", G_CALLBACK (update_pace), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::pace-too-slow", G_CALLBACK (update_pace), self,
                           G_CONNECT_SWAPPED);
  self->event_handler = g_signal_connect_object (session, "event-received",
                                                 G_CALLBACK (on_session_event), self,
                                                 G_CONNECT_SWAPPED);

  /* The unread badge lives on our page of the side panel's view stack. */
  parent = gtk_widget_get_parent (GTK_WIDGET (self));
  if (parent != NULL && ADW_IS_VIEW_STACK (gtk_widget_get_ancestor (parent, ADW_TYPE_VIEW_STACK)))
    {
      self->stack = ADW_VIEW_STACK (gtk_widget_get_ancestor (parent, ADW_TYPE_VIEW_STACK));
      self->stack_page = adw_view_stack_get_page (self->stack, GTK_WIDGET (self));
      g_signal_connect_object (self->stack, "notify::visible-child",
                               G_CALLBACK (on_stack_visible_child), self, G_CONNECT_SWAPPED);
    }
  if (gtk_widget_get_root (GTK_WIDGET (self)) != NULL)
    g_signal_connect_object (gtk_widget_get_root (GTK_WIDGET (self)), "notify::is-active",
                             G_CALLBACK (on_window_active), self, G_CONNECT_SWAPPED);

  build_reactions (self);
  sync_settings (self);
  update_pace (self);
  update_empty (self);
  self->stick_to_bottom = TRUE;
}

void
cohort_chat_page_set_danmaku_view (CohortChatPage    *self,
                                   CohortDanmakuView *view)
{
  g_return_if_fail (COHORT_IS_CHAT_PAGE (self));

  g_set_object (&self->danmaku_view, view);
  if (view != NULL)
    {
      g_object_bind_property (self->show_switch, "active", view, "show-comments",
                              G_BINDING_SYNC_CREATE);
      g_object_bind_property (self->density_adjustment, "value", view, "density",
                              G_BINDING_SYNC_CREATE);
    }
}

/* GObject */

static void
on_scroll_value (CohortChatPage *self)
{
  self->stick_to_bottom = at_bottom (self);
}

static void
cohort_chat_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CohortChatPage *self = COHORT_CHAT_PAGE (object);

  switch (prop_id)
    {
    case PROP_PAUSE: g_value_set_boolean (value, self->pause); break;
    case PROP_ALLOW_PRIVATE: g_value_set_boolean (value, self->allow_private); break;
    case PROP_ALLOW_DANMAKU: g_value_set_boolean (value, self->allow_danmaku); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_setting (CohortChatPage *self,
             gboolean       *field,
             gboolean        value,
             const char     *setting,
             guint           prop)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  if (!self->syncing && self->model != NULL && cohort_chat_page_is_teacher (self))
    cohort_chat_model_change_setting (self->model, setting, value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
cohort_chat_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  CohortChatPage *self = COHORT_CHAT_PAGE (object);

  switch (prop_id)
    {
    case PROP_PAUSE:
      set_setting (self, &self->pause, g_value_get_boolean (value), "muted", PROP_PAUSE);
      break;
    case PROP_ALLOW_PRIVATE:
      set_setting (self, &self->allow_private, g_value_get_boolean (value), "private_enabled",
                   PROP_ALLOW_PRIVATE);
      break;
    case PROP_ALLOW_DANMAKU:
      set_setting (self, &self->allow_danmaku, g_value_get_boolean (value), "danmaku_enabled",
                   PROP_ALLOW_DANMAKU);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_chat_page_dispose (GObject *object)
{
  CohortChatPage *self = COHORT_CHAT_PAGE (object);

  g_clear_handle_id (&self->scroll_idle, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_CHAT_PAGE);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->sorted_questions);
  g_clear_object (&self->questions);
  g_clear_object (&self->question_filter);
  g_clear_object (&self->question_sorter);
  g_clear_object (&self->model);
  g_clear_object (&self->danmaku_view);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cohort_chat_page_parent_class)->dispose (object);
}

static void
cohort_chat_page_class_init (CohortChatPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_chat_page_dispose;
  object_class->get_property = cohort_chat_page_get_property;
  object_class->set_property = cohort_chat_page_set_property;
  widget_class->map = cohort_chat_page_map;

  properties[PROP_PAUSE] =
    g_param_spec_boolean ("pause", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_PRIVATE] =
    g_param_spec_boolean ("allow-private", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_DANMAKU] =
    g_param_spec_boolean ("allow-danmaku", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The student has the chat in view (mapped, the panel's page, the
   * window focused) with every message the model holds: the home
   * remembers how far the class's chat was read (docs/protocol-home.md). */
  signals[SEEN] = g_signal_new ("seen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (COHORT_TYPE_CHAT_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-chat-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, all_button);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, questions_button);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, settings_button);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, class_settings_list);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, show_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, density_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, pace_box);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, too_fast_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, too_fast_bar);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, too_slow_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, too_slow_bar);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, notice_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, selection);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, target_revealer);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, target_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, reaction_box);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, composer);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, entry);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, private_button);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, question_button);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, danmaku_button);
  gtk_widget_class_bind_template_child (widget_class, CohortChatPage, send_button);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_edge_reached);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_option_toggled);

  gtk_widget_class_install_action (widget_class, "chat.send", NULL, page_action);
  gtk_widget_class_install_action (widget_class, "chat.clear-target", NULL, page_action);
  gtk_widget_class_install_property_action (widget_class, "chat.pause", "pause");
  gtk_widget_class_install_property_action (widget_class, "chat.allow-private", "allow-private");
  gtk_widget_class_install_property_action (widget_class, "chat.allow-danmaku", "allow-danmaku");

  gtk_widget_class_set_css_name (widget_class, "chatpage");
}

static void
cohort_chat_page_init (CohortChatPage *self)
{
  GtkEventController *focus;

  self->allow_private = TRUE;
  self->allow_danmaku = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->list_view, "map", G_CALLBACK (on_list_mapped), self);
  add_tab_stop (self, GTK_WIDGET (self->list_view));
  add_tab_stop (self, self->reaction_box);
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "enter", G_CALLBACK (on_list_focus_enter), self);
  gtk_widget_add_controller (GTK_WIDGET (self->list_view), focus);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (on_scroll_value), self, G_CONNECT_SWAPPED);
  update_composer (self);
}

/* cohort-chat-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-chat-row"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-chat-page.h"
#include "cohort-chat-protocol.h"
#include "cohort-chat-row.h"
#include "cohort-chat-text.h"

struct _CohortChatRow
{
  GtkWidget          parent_instance;

  CohortChatMessage *message;
  gulong             notify_handler;

  GtkLabel          *author_label;
  GtkLabel          *badge_label;
  GtkLabel          *helpful_label;
  GtkLabel          *time_label;
  GtkImage          *state_image;
  GtkMenuButton     *menu_button;
  GtkLabel          *thread_label;
  GtkLabel          *text_label;
  GtkLabel          *error_label;
  GtkWidget         *question_box;
  GtkLabel          *question_label;
  GtkToggleButton   *vote_button;
  GtkLabel          *vote_label;
  GtkLabel          *votes_label;
  GtkButton         *answer_button;
};

G_DEFINE_FINAL_TYPE (CohortChatRow, cohort_chat_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static CohortChatPage *
get_page (CohortChatRow *self)
{
  return COHORT_CHAT_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (self), COHORT_TYPE_CHAT_PAGE));
}

static void
set_css (GtkWidget  *widget,
         const char *name,
         gboolean    on)
{
  if (on)
    gtk_widget_add_css_class (widget, name);
  else
    gtk_widget_remove_css_class (widget, name);
}

/* A stored student answer in a question's thread, by someone other than
 * the question's author, not marked yet. */
static gboolean
can_be_helpful (CohortChatMessage *m,
                CohortChatModel   *model)
{
  CohortChatMessage *question;

  if (model == NULL || cohort_chat_message_get_reply_to (m) <= 0 || cohort_chat_message_get_id (m) <= 0 ||
      cohort_chat_message_get_is_teacher (m) || cohort_chat_message_get_is_own (m) ||
      cohort_chat_message_get_deleted (m) || cohort_chat_message_get_helpful (m))
    return FALSE;
  question = cohort_chat_model_lookup (model, cohort_chat_message_get_reply_to (m));
  return question == NULL ||
         cohort_chat_message_get_author_id (question) != cohort_chat_message_get_author_id (m);
}

/* Template closures: the row's labels and icons as functions of the
 * message's properties (cohort-chat-row.ui binds them). The first argument
 * is the expression's this object, unused. */

static char *
chat_row_author (gpointer    instance,
                 gboolean    own,
                 const char *name)
{
  return g_strdup (own ? _("You") : name);
}

static char *
chat_row_badge (gpointer    instance,
                const char *channel,
                gboolean    is_teacher,
                gint64      group_id)
{
  /* The channel, not is-private: that one is derived and never notifies. */
  if (g_strcmp0 (channel, COHORT_CHAT_CHANNEL_PRIVATE) == 0)
    return g_strdup (_("Private"));
  if (is_teacher)
    return g_strdup (_("Teacher"));
  if (group_id > 0)
    return g_strdup (_("Group"));
  return g_strdup ("");
}

static gboolean
chat_row_is_nonempty (gpointer    instance,
                      const char *text)
{
  return text != NULL && *text != '\0';
}

static gboolean
chat_row_and_not (gpointer instance,
                  gboolean a,
                  gboolean b)
{
  return a && !b;
}

static char *
chat_row_time (gpointer instance,
               gint64   ts,
               gboolean edited,
               gboolean deleted)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (ts / 1000);
  g_autofree char *text = time ? g_date_time_format (time, "%H:%M") : g_strdup ("");

  if (edited && !deleted)
    return g_strdup_printf (_("%s · edited"), text);
  return g_steal_pointer (&text);
}

static const char *
state_icon (CohortChatMessageState state)
{
  switch (state)
    {
    case COHORT_CHAT_MESSAGE_PENDING:
    case COHORT_CHAT_MESSAGE_SLOWED:
      return "content-loading-symbolic";
    case COHORT_CHAT_MESSAGE_FAILED:
      return "dialog-warning-symbolic";
    case COHORT_CHAT_MESSAGE_SENT:
    default:
      return NULL;
    }
}

static char *
chat_row_state_icon (gpointer               instance,
                     CohortChatMessageState state)
{
  return g_strdup (state_icon (state));
}

static gboolean
chat_row_state_shown (gpointer               instance,
                      CohortChatMessageState state)
{
  return state_icon (state) != NULL;
}

static char *
chat_row_state_tooltip (gpointer               instance,
                        CohortChatMessageState state)
{
  switch (state)
    {
    case COHORT_CHAT_MESSAGE_PENDING:
      return g_strdup (_("Sending…"));
    case COHORT_CHAT_MESSAGE_SLOWED:
      return g_strdup (_("Waiting to send"));
    case COHORT_CHAT_MESSAGE_FAILED:
      return g_strdup (_("Not sent"));
    case COHORT_CHAT_MESSAGE_SENT:
    default:
      return NULL;
    }
}

static char *
chat_row_error (gpointer               instance,
                CohortChatMessageState state,
                const char            *error_message)
{
  if (state == COHORT_CHAT_MESSAGE_SLOWED)
    return g_strdup (_("Slow down a little — this message will go out in a moment."));
  if (state == COHORT_CHAT_MESSAGE_FAILED)
    return g_strdup (error_message != NULL ? error_message : "");
  return g_strdup ("");
}

static gboolean
chat_row_error_shown (gpointer               instance,
                      CohortChatMessageState state)
{
  return state == COHORT_CHAT_MESSAGE_SLOWED || state == COHORT_CHAT_MESSAGE_FAILED;
}

static char *
chat_row_question_state (gpointer    instance,
                         const char *question)
{
  if (g_strcmp0 (question, "answered") == 0)
    return g_strdup (_("Question · Answered"));
  if (g_strcmp0 (question, "done") == 0)
    return g_strdup (_("Question · Done"));
  return g_strdup (_("Question"));
}

static char *
chat_row_votes (gpointer instance,
                gint64   votes)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d me too", "%d me too", votes), (int) votes);
}

static char *
chat_row_vote_label (gpointer instance,
                     gboolean voted)
{
  return g_strdup (voted ? _("✓ Me too") : _("Me too"));
}

/* What the bindings cannot express: the text (it needs the page's own
 * name for mentions), the thread (a lookup in the model), style classes,
 * and what depends on the viewer being the teacher. */

static void
update_text (CohortChatRow  *self,
             CohortChatPage *page,
             CohortChatModel *model)
{
  CohortChatMessage *m = self->message;
  gboolean deleted = cohort_chat_message_get_deleted (m);

  if (deleted)
    {
      g_autofree char *removed = g_markup_printf_escaped ("<i>%s</i>", _("Message removed"));

      gtk_label_set_markup (self->text_label, removed);
    }
  else
    {
      /* Network text is escaped first; only our own tags are added. */
      g_autofree char *markup = cohort_chat_text_to_markup (cohort_chat_message_get_text (m),
                                                            page ? cohort_chat_page_get_self_name (page)
                                                                 : NULL);

      gtk_label_set_markup (self->text_label, markup);
    }
  set_css (GTK_WIDGET (self->text_label), "dim-label", deleted);

  if (cohort_chat_message_get_reply_to (m) > 0 && model != NULL)
    {
      CohortChatMessage *to = cohort_chat_model_lookup (model, cohort_chat_message_get_reply_to (m));
      g_autofree char *thread = NULL;

      thread = g_strdup_printf (_("↳ Answer to: %s"),
                                to && !cohort_chat_message_get_deleted (to)
                                  ? cohort_chat_message_get_text (to) : _("a question"));
      gtk_label_set_text (self->thread_label, thread);
      gtk_widget_set_visible (GTK_WIDGET (self->thread_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->thread_label), FALSE);
}

static void
update_style (CohortChatRow *self)
{
  CohortChatMessage *m = self->message;
  gboolean deleted = cohort_chat_message_get_deleted (m);

  set_css (GTK_WIDGET (self), "helpful", cohort_chat_message_get_helpful (m) && !deleted);
  set_css (GTK_WIDGET (self), "pending", cohort_chat_message_get_state (m) != COHORT_CHAT_MESSAGE_SENT);
  set_css (GTK_WIDGET (self), "mention", cohort_chat_message_get_mentions_self (m) && !deleted);
  set_css (GTK_WIDGET (self), "private", cohort_chat_message_get_is_private (m));
  set_css (GTK_WIDGET (self), "from-teacher", cohort_chat_message_get_is_teacher (m));
  set_css (GTK_WIDGET (self), "own", cohort_chat_message_get_is_own (m));
}

static void
update_actions (CohortChatRow   *self,
                gboolean         teacher,
                CohortChatModel *model)
{
  CohortChatMessage *m = self->message;
  gboolean own = cohort_chat_message_get_is_own (m);
  gboolean deleted = cohort_chat_message_get_deleted (m);
  gboolean question = cohort_chat_message_is_question (m);
  gboolean stored = cohort_chat_message_get_id (m) > 0;
  gboolean done = g_strcmp0 (cohort_chat_message_get_question (m), "done") == 0;
  gboolean muted = model != NULL && cohort_chat_model_is_muted (model, cohort_chat_message_get_author_id (m));

  gtk_widget_set_visible (GTK_WIDGET (self->vote_button), !own && !teacher);
  gtk_widget_set_visible (GTK_WIDGET (self->answer_button), !own && !teacher && stored && !done);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.vote", stored && !own && !teacher && !deleted);
  /* The teacher answers any question; a student answers a peer's. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.answer",
                                 (teacher || !own) && question && !deleted && stored);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.helpful", teacher && can_be_helpful (m, model));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.done", teacher && question && !deleted && !done);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.private-reply",
                                 teacher && !own && stored &&
                                 model != NULL && cohort_chat_model_get_private_enabled (model));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.copy", !deleted);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.retry",
                                 cohort_chat_message_get_state (m) == COHORT_CHAT_MESSAGE_FAILED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.mute",
                                 teacher && !own && stored && model != NULL &&
                                 !cohort_chat_message_get_is_teacher (m) && !muted);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.unmute", teacher && !own && muted);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "row.delete", (own || teacher) && !deleted);
}

/* The list's rows are its only Tab stops, so a screen reader reads the
 * focused list item: it is named after the whole message, from the same
 * closures as the row's labels (their bindings may not have run yet). */
static void
update_accessible (CohortChatRow *self)
{
  CohortChatMessage *m = self->message;
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  gboolean deleted = cohort_chat_message_get_deleted (m);
  g_autofree char *author = chat_row_author (self, cohort_chat_message_get_is_own (m),
                                             cohort_chat_message_get_author_name (m));
  g_autofree char *badge = chat_row_badge (self, cohort_chat_message_get_channel (m),
                                           cohort_chat_message_get_is_teacher (m),
                                           cohort_chat_message_get_group_id (m));
  g_autofree char *time = chat_row_time (self, cohort_chat_message_get_ts (m),
                                         cohort_chat_message_get_edited (m), deleted);
  g_autofree char *who = NULL;
  g_autofree char *name = NULL;

  /* Translators: a chat message's author and badge ("Mei (Group)"), for a screen reader. */
  who = *badge != '\0' ? g_strdup_printf (_("%s (%s)"), author, badge) : g_strdup (author);
  /* Translators: a chat message for a screen reader: who, when, the text. */
  name = g_strdup_printf (_("%s, %s: %s"), who, time, gtk_label_get_text (self->text_label));
  if (cohort_chat_message_is_question (m) && !deleted)
    {
      g_autofree char *state = chat_row_question_state (self, cohort_chat_message_get_question (m));
      g_autofree char *votes = chat_row_votes (self, cohort_chat_message_get_votes (m));
      g_autofree char *message = g_steal_pointer (&name);

      /* Translators: a question in the chat for a screen reader: the
       * message, its state ("Question · Answered") and its "me too" count. */
      name = g_strdup_printf (_("%s. %s, %s"), message, state, votes);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  /* The list item that holds the row and takes the focus. */
  if (parent != NULL && GTK_IS_LIST_VIEW (gtk_widget_get_parent (parent)))
    gtk_accessible_update_property (GTK_ACCESSIBLE (parent), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void
update (CohortChatRow *self)
{
  CohortChatPage *page;
  CohortChatModel *model;

  if (self->message == NULL)
    return;

  page = get_page (self);
  model = page ? cohort_chat_page_get_model (page) : NULL;
  update_text (self, page, model);
  update_style (self);
  update_actions (self, page != NULL && cohort_chat_page_is_teacher (page), model);
  update_accessible (self);
}

/* The message's actions from the keyboard (Menu, Shift+F10 or Enter on
 * the focused message): its controls are not Tab stops. */
gboolean
cohort_chat_row_get_menu_open (CohortChatRow *self)
{
  g_return_val_if_fail (COHORT_IS_CHAT_ROW (self), FALSE);

  return gtk_widget_get_visible (GTK_WIDGET (gtk_menu_button_get_popover (self->menu_button)));
}

static void
on_keyboard_menu_mapped (GtkWidget *popover)
{
  g_signal_handlers_disconnect_by_func (popover, on_keyboard_menu_mapped, NULL);
  gtk_widget_child_focus (popover, GTK_DIR_TAB_FORWARD);
}

void
cohort_chat_row_popup_menu (CohortChatRow *self)
{
  GtkWidget *popover;

  g_return_if_fail (COHORT_IS_CHAT_ROW (self));

  /* Opened from the keyboard: on its first item, as a context menu (once
   * it is on screen: the popup is asynchronous). */
  popover = GTK_WIDGET (gtk_menu_button_get_popover (self->menu_button));
  g_signal_connect_after (popover, "map", G_CALLBACK (on_keyboard_menu_mapped), NULL);
  gtk_menu_button_popup (self->menu_button);
}

static void
on_message_notify (CohortChatRow *self)
{
  update (self);
}

void
cohort_chat_row_set_message (CohortChatRow     *self,
                             CohortChatMessage *message)
{
  g_return_if_fail (COHORT_IS_CHAT_ROW (self));

  if (self->message == message)
    return;

  if (self->message != NULL)
    g_clear_signal_handler (&self->notify_handler, self->message);
  g_set_object (&self->message, message);
  if (message != NULL)
    /* After the template's bindings, whose labels the accessible name reads. */
    self->notify_handler = g_signal_connect_object (message, "notify", G_CALLBACK (on_message_notify), self,
                                                    G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  update (self);
}

CohortChatMessage *
cohort_chat_row_get_message (CohortChatRow *self)
{
  return self->message;
}

/* Actions */

static void
row_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  CohortChatRow *self = COHORT_CHAT_ROW (widget);
  CohortChatPage *page = get_page (self);
  CohortChatModel *model;
  CohortChatMessage *m = self->message;

  if (page == NULL || m == NULL)
    return;
  model = cohort_chat_page_get_model (page);

  if (g_str_equal (action_name, "row.vote"))
    cohort_chat_model_vote (model, m, !cohort_chat_message_get_voted (m));
  else if (g_str_equal (action_name, "row.answer"))
    cohort_chat_page_answer (page, m);
  else if (g_str_equal (action_name, "row.helpful"))
    cohort_chat_model_mark_helpful (model, m);
  else if (g_str_equal (action_name, "row.done"))
    cohort_chat_model_set_question_state (model, m, "done");
  else if (g_str_equal (action_name, "row.private-reply"))
    cohort_chat_page_reply_privately (page, cohort_chat_message_get_author_id (m),
                                      cohort_chat_message_get_author_name (m));
  else if (g_str_equal (action_name, "row.copy"))
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), cohort_chat_message_get_text (m));
  else if (g_str_equal (action_name, "row.retry"))
    cohort_chat_model_retry (model, m);
  else if (g_str_equal (action_name, "row.mute"))
    cohort_chat_model_mute (model, cohort_chat_message_get_author_id (m), TRUE);
  else if (g_str_equal (action_name, "row.unmute"))
    cohort_chat_model_mute (model, cohort_chat_message_get_author_id (m), FALSE);
  else if (g_str_equal (action_name, "row.delete"))
    cohort_chat_model_delete (model, m);
}

static void
cohort_chat_row_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (cohort_chat_row_parent_class)->root (widget);
  update (COHORT_CHAT_ROW (widget));
}

static void
cohort_chat_row_dispose (GObject *object)
{
  CohortChatRow *self = COHORT_CHAT_ROW (object);

  if (self->message != NULL)
    g_clear_signal_handler (&self->notify_handler, self->message);
  g_clear_object (&self->message);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_CHAT_ROW);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (cohort_chat_row_parent_class)->dispose (object);
}

static void
cohort_chat_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_MESSAGE:
      g_value_set_object (value, COHORT_CHAT_ROW (object)->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_chat_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_MESSAGE:
      cohort_chat_row_set_message (COHORT_CHAT_ROW (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_chat_row_class_init (CohortChatRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const char * const actions[] = {
    "row.vote", "row.answer", "row.helpful", "row.done", "row.private-reply", "row.copy", "row.retry",
    "row.mute", "row.unmute", "row.delete",
  };

  object_class->dispose = cohort_chat_row_dispose;
  object_class->get_property = cohort_chat_row_get_property;
  object_class->set_property = cohort_chat_row_set_property;
  widget_class->root = cohort_chat_row_root;

  properties[PROP_MESSAGE] =
    g_param_spec_object ("message", NULL, NULL, COHORT_TYPE_CHAT_MESSAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-chat-row.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, author_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, helpful_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, state_image);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, thread_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, error_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, question_box);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, question_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, vote_button);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, vote_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, votes_label);
  gtk_widget_class_bind_template_child (widget_class, CohortChatRow, answer_button);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_author);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_badge);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_is_nonempty);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_and_not);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_time);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_state_icon);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_state_shown);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_state_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_error);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_error_shown);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_question_state);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_votes);
  gtk_widget_class_bind_template_callback (widget_class, chat_row_vote_label);

  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    gtk_widget_class_install_action (widget_class, actions[i], NULL, row_action);

  gtk_widget_class_set_css_name (widget_class, "chatrow");
}

static void
cohort_chat_row_init (CohortChatRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* cohort-group-chat.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-group-chat"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-chat-protocol.h"
#include "cohort-chat-text.h"
#include "cohort-group-chat.h"
#include "cohort-template.h"

struct _CohortGroupChat
{
  GtkWidget           parent_instance;

  CohortChatModel    *model;
  CohortGroups       *groups;
  gint64              group_id;
  GtkCustomFilter    *filter;
  GtkFilterListModel *filtered;
  gboolean            syncing;

  AdwPreferencesGroup *prefs_group;
  GtkDropDown        *group_dropdown;
  GtkStack           *list_stack;
  AdwStatusPage      *empty_status;
  GtkScrolledWindow  *scroller;
  GtkListBox         *message_list;
  GtkEntry           *entry;
};

G_DEFINE_FINAL_TYPE (CohortGroupChat, cohort_group_chat, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_GROUP_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_teacher (CohortGroupChat *self)
{
  return self->groups != NULL && cohort_groups_get_is_teacher (self->groups);
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  CohortGroupChat *self = user_data;
  CohortChatMessage *m = item;

  return self->group_id > 0 &&
         g_strcmp0 (cohort_chat_message_get_channel (m), COHORT_CHAT_CHANNEL_GROUP) == 0 &&
         cohort_chat_message_get_group_id (m) == self->group_id;
}

/* Rows */

static void
update_row (GtkWidget         *row,
            CohortChatMessage *m)
{
  GtkLabel *author = g_object_get_data (G_OBJECT (row), "author");
  GtkLabel *time = g_object_get_data (G_OBJECT (row), "time");
  GtkLabel *text = g_object_get_data (G_OBJECT (row), "text");
  GtkLabel *error = g_object_get_data (G_OBJECT (row), "error");
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (cohort_chat_message_get_ts (m) / 1000);
  g_autofree char *time_text = dt ? g_date_time_format (dt, "%H:%M") : g_strdup ("");
  CohortChatMessageState state = cohort_chat_message_get_state (m);

  if (cohort_chat_message_get_is_own (m))
    gtk_label_set_text (author, _("You"));
  else if (cohort_chat_message_get_is_teacher (m))
    {
      /* Translators: the author of a group chat message, then "(Teacher)" */
      g_autofree char *name = g_strdup_printf (_("%s (Teacher)"), cohort_chat_message_get_author_name (m));

      gtk_label_set_text (author, name);
    }
  else
    gtk_label_set_text (author, cohort_chat_message_get_author_name (m));
  gtk_label_set_text (time, state == COHORT_CHAT_MESSAGE_PENDING ? _("Sending…") : time_text);

  if (cohort_chat_message_get_deleted (m))
    {
      g_autofree char *removed = g_markup_printf_escaped ("<i>%s</i>", _("Message removed"));

      gtk_label_set_markup (text, removed);
    }
  else
    {
      /* Network text is escaped first; only our own tags are added. */
      g_autofree char *markup = cohort_chat_text_to_markup (cohort_chat_message_get_text (m), NULL);

      gtk_label_set_markup (text, markup);
    }

  gtk_widget_set_visible (GTK_WIDGET (error), state == COHORT_CHAT_MESSAGE_FAILED ||
                                              state == COHORT_CHAT_MESSAGE_SLOWED);
  if (state == COHORT_CHAT_MESSAGE_SLOWED)
    gtk_label_set_text (error, _("Slow down a little — this message will go out in a moment."));
  else if (state == COHORT_CHAT_MESSAGE_FAILED)
    gtk_label_set_text (error, cohort_chat_message_get_error_message (m));

  if (state == COHORT_CHAT_MESSAGE_SENT)
    gtk_widget_remove_css_class (row, "pending");
  else
    gtk_widget_add_css_class (row, "pending");
  if (cohort_chat_message_get_is_teacher (m))
    gtk_widget_add_css_class (row, "from-teacher");
}

static void
on_row_message_notify (CohortChatMessage *m,
                       GParamSpec        *pspec,
                       GtkWidget         *row)
{
  update_row (row, m);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  CohortChatMessage *m = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *author = gtk_label_new (NULL);
  GtkWidget *time = gtk_label_new (NULL);
  GtkWidget *text = gtk_label_new (NULL);
  GtkWidget *error = gtk_label_new (NULL);

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "group-chat-row");
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  gtk_label_set_xalign (GTK_LABEL (author), 0);
  gtk_label_set_ellipsize (GTK_LABEL (author), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (author, "heading");
  gtk_widget_add_css_class (author, "chat-author");
  gtk_label_set_xalign (GTK_LABEL (time), 0);
  gtk_widget_set_hexpand (time, TRUE);
  gtk_widget_add_css_class (time, "dim-label");
  gtk_widget_add_css_class (time, "caption");
  gtk_widget_add_css_class (time, "numeric");
  gtk_box_append (GTK_BOX (header), author);
  gtk_box_append (GTK_BOX (header), time);

  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_widget_add_css_class (text, "chat-text");

  gtk_label_set_xalign (GTK_LABEL (error), 0);
  gtk_label_set_wrap (GTK_LABEL (error), TRUE);
  gtk_widget_add_css_class (error, "caption");
  gtk_widget_add_css_class (error, "chat-slow");

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), error);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  g_object_set_data (G_OBJECT (row), "author", author);
  g_object_set_data (G_OBJECT (row), "time", time);
  g_object_set_data (G_OBJECT (row), "text", text);
  g_object_set_data (G_OBJECT (row), "error", error);
  update_row (row, m);
  g_signal_connect_object (m, "notify", G_CALLBACK (on_row_message_notify), row, 0);
  return row;
}

/* State */

static void
update_send (CohortGroupChat *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  gboolean has_text = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      {
        has_text = TRUE;
        break;
      }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "group-chat.send",
                                 has_text && self->model != NULL && self->group_id > 0);
}

static gboolean
scroll_to_end (gpointer user_data)
{
  CohortGroupChat *self = user_data;
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  gtk_adjustment_set_value (adj, gtk_adjustment_get_upper (adj) - gtk_adjustment_get_page_size (adj));
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
on_filtered_changed (CohortGroupChat *self)
{
  guint n = self->filtered ? g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) : 0;

  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
  if (n > 0)
    g_idle_add (scroll_to_end, g_object_ref (self));
}

static void
set_group_id (CohortGroupChat *self,
              gint64           group_id)
{
  if (self->group_id == group_id)
    return;
  self->group_id = group_id;
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  on_filtered_changed (self);
  update_send (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP_ID]);
}

static void
update (CohortGroupChat *self)
{
  gboolean teacher = is_teacher (self);
  gint64 id = 0;

  if (self->groups == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }

  if (teacher)
    {
      CohortGroup *picked = gtk_drop_down_get_selected_item (self->group_dropdown);

      id = picked != NULL ? cohort_group_get_id (picked) : 0;
      adw_preferences_group_set_description (self->prefs_group, _("Read and write in any group’s channel"));
      adw_status_page_set_description (self->empty_status, _("Messages in this group’s channel show here"));
      gtk_entry_set_placeholder_text (self->entry, _("Message this group"));
    }
  else
    {
      CohortGroup *mine = cohort_groups_get_my_group (self->groups);

      id = mine != NULL ? cohort_group_get_id (mine) : 0;
      adw_preferences_group_set_description (self->prefs_group, NULL);
      adw_status_page_set_description (self->empty_status, _("Only your group and the teacher see this chat"));
      gtk_entry_set_placeholder_text (self->entry, _("Message your group"));
    }

  gtk_widget_set_visible (GTK_WIDGET (self->group_dropdown), teacher);
  set_group_id (self, id);
  gtk_widget_set_visible (GTK_WIDGET (self), self->model != NULL && id > 0);
}

static void
on_entry_activate (CohortGroupChat *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "group-chat.send", NULL);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortGroupChat *self = COHORT_GROUP_CHAT (widget);
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));

  if (self->model == NULL || self->group_id <= 0 || g_strstrip (text)[0] == '\0')
    return;
  cohort_chat_model_send_group (self->model, text, self->group_id);
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
}

/* API */

void
cohort_group_chat_set_model (CohortGroupChat *self,
                             CohortChatModel *model)
{
  g_return_if_fail (COHORT_IS_GROUP_CHAT (self));
  g_return_if_fail (model == NULL || COHORT_IS_CHAT_MODEL (model));

  if (self->model == model)
    return;

  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  gtk_list_box_bind_model (self->message_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->filtered);
  g_set_object (&self->model, model);

  if (model != NULL)
    {
      self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (model)),
                                                  g_object_ref (GTK_FILTER (self->filter)));
      g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (on_filtered_changed), self,
                               G_CONNECT_SWAPPED);
      gtk_list_box_bind_model (self->message_list, G_LIST_MODEL (self->filtered), create_row, self, NULL);
    }
  on_filtered_changed (self);
  update (self);
}

void
cohort_group_chat_set_groups (CohortGroupChat *self,
                              CohortGroups    *groups)
{
  g_return_if_fail (COHORT_IS_GROUP_CHAT (self));

  if (self->groups == groups)
    return;
  if (self->groups != NULL)
    g_signal_handlers_disconnect_by_data (self->groups, self);
  g_set_object (&self->groups, groups);
  gtk_drop_down_set_model (self->group_dropdown, G_LIST_MODEL (groups));
  if (groups != NULL)
    {
      g_signal_connect_object (groups, "notify::my-group", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (groups, "notify::is-teacher", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (groups, "items-changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);
}

gint64
cohort_group_chat_get_group_id (CohortGroupChat *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_CHAT (self), 0);
  return self->group_id;
}

void
cohort_group_chat_select_group (CohortGroupChat *self,
                                gint64           group_id)
{
  g_return_if_fail (COHORT_IS_GROUP_CHAT (self));

  if (self->groups == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->groups)); i++)
    {
      g_autoptr(CohortGroup) group = g_list_model_get_item (G_LIST_MODEL (self->groups), i);

      if (cohort_group_get_id (group) == group_id)
        {
          gtk_drop_down_set_selected (self->group_dropdown, i);
          break;
        }
    }
  update (self);
}

/* GObject */

static void
cohort_group_chat_dispose (GObject *object)
{
  CohortGroupChat *self = COHORT_GROUP_CHAT (object);

  if (self->filtered != NULL)
    g_signal_handlers_disconnect_by_data (self->filtered, self);
  if (self->message_list != NULL)
    gtk_list_box_bind_model (self->message_list, NULL, NULL, NULL, NULL);
  if (self->groups != NULL)
    g_signal_handlers_disconnect_by_data (self->groups, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_GROUP_CHAT);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->model);
  g_clear_object (&self->groups);

  G_OBJECT_CLASS (cohort_group_chat_parent_class)->dispose (object);
}

static void
cohort_group_chat_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_GROUP_ID:
      g_value_set_int64 (value, COHORT_GROUP_CHAT (object)->group_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_group_chat_class_init (CohortGroupChatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_group_chat_dispose;
  object_class->get_property = cohort_group_chat_get_property;

  properties[PROP_GROUP_ID] =
    g_param_spec_int64 ("group-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-group-chat.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortGroupChat, prefs_group);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupChat, group_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupChat, list_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupChat, empty_status);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupChat, scroller);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupChat, message_list);
  gtk_widget_class_bind_template_child (widget_class, CohortGroupChat, entry);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, update_send);

  gtk_widget_class_install_action (widget_class, "group-chat.send", NULL, send_action);
  gtk_widget_class_set_css_name (widget_class, "groupchat");
}

static void
cohort_group_chat_init (CohortGroupChat *self)
{
  g_autoptr(GtkExpression) name = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  cohort_template_fit_status_page (GTK_WIDGET (self->empty_status));

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  name = gtk_property_expression_new (COHORT_TYPE_GROUP, NULL, "name");
  gtk_drop_down_set_expression (self->group_dropdown, name);
  g_signal_connect_object (self->group_dropdown, "notify::selected", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "group-chat.send", FALSE);
  on_filtered_changed (self);
}

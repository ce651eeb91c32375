/* cohort-home-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-home-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-application.h"
#include "cohort-chat-page.h"
#include "cohort-error-message.h"
#include "cohort-home-row.h"
#include "cohort-home-window.h"
#include "cohort-lesson-reminders.h"
#include "cohort-template.h"
#include "cohort-toast.h"
#include "cohort-token-store.h"
#include "cohort-voice-window.h"

/* The countdown of a close lesson moves on its own. */
#define TICK_S 30

struct _CohortHomeWindow
{
  AdwApplicationWindow  parent_instance;

  CohortHomeModel      *model;
  GCancellable         *cancellable;
  guint                 tick;
  gboolean              opening;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkListBox           *list;
};

G_DEFINE_FINAL_TYPE (CohortHomeWindow, cohort_home_window, ADW_TYPE_APPLICATION_WINDOW)

static void
update_page (CohortHomeWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  gboolean all_offline = n > 0;
  gboolean any_loaded = FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortHomeEntry) entry = g_list_model_get_item (G_LIST_MODEL (self->model), i);
      CohortHomeStatus status = cohort_home_entry_get_status (entry);

      if (status != COHORT_HOME_STATUS_OFFLINE)
        all_offline = FALSE;
      /* An entry leaves LOADING for good once its server answered (or
       * did not): later rounds keep its figures on screen meanwhile. */
      if (status != COHORT_HOME_STATUS_LOADING)
        any_loaded = TRUE;
    }

  if (n == 0)
    gtk_stack_set_visible_child_name (self->stack, "empty");
  else if (!any_loaded)
    gtk_stack_set_visible_child_name (self->stack, "loading");
  else if (all_offline)
    gtk_stack_set_visible_child_name (self->stack, "offline");
  else
    gtk_stack_set_visible_child_name (self->stack, "list");
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  CohortHomeWindow *self = user_data;

  g_signal_connect_object (item, "notify::status", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  return GTK_WIDGET (cohort_home_row_new (COHORT_HOME_ENTRY (item)));
}

static gboolean
on_tick (gpointer user_data)
{
  CohortHomeWindow *self = user_data;

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (COHORT_IS_HOME_ROW (row))
      cohort_home_row_update (COHORT_HOME_ROW (row));
  return G_SOURCE_CONTINUE;
}

void
cohort_home_window_reload (CohortHomeWindow *self)
{
  g_autoptr(GPtrArray) kept = cohort_token_store_list (FALSE);

  g_return_if_fail (COHORT_IS_HOME_WINDOW (self));

  /* The classes taught from here too, after the student's: a teacher
   * lands on a home with their classes as well. */
  g_ptr_array_extend_and_steal (kept, cohort_token_store_list (TRUE));
  for (guint i = 0; i < kept->len; i++)
    {
      CohortStoredToken *stored = g_ptr_array_index (kept, i);
      CohortHomeEntry *entry = cohort_home_model_add (self->model, stored->server_url, stored->code,
                                                      stored->token);

      cohort_home_entry_set_seen (entry, MAX (stored->seen_chat, cohort_home_entry_get_since_chat (entry)),
                                  MAX (stored->seen_group, cohort_home_entry_get_since_group (entry)));
    }
  update_page (self);
  cohort_home_model_refresh (self->model);
}

/* ---- opening a class ---- */

typedef struct
{
  CohortHomeWindow *self;
  CohortHomeEntry  *entry;
  gboolean          practise;  /* then its Progress and Practice */
  gboolean          voice;     /* only the group's voice room, no class window */
} Opening;

static void
opening_free (Opening *opening)
{
  g_object_unref (opening->self);
  g_object_unref (opening->entry);
  g_free (opening);
}

/* How far the chat was read: the newest message of each channel the
 * chat model holds while the student has it in view. */
static void
on_chat_seen (CohortChatPage  *page,
              CohortHomeEntry *entry)
{
  GListModel *messages = G_LIST_MODEL (cohort_chat_page_get_model (page));
  gint64 chat = cohort_home_entry_get_since_chat (entry);
  gint64 group = cohort_home_entry_get_since_group (entry);
  g_autoptr(GError) error = NULL;

  if (messages == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (messages); i++)
    {
      g_autoptr(CohortChatMessage) message = g_list_model_get_item (messages, i);
      gint64 id = cohort_chat_message_get_id (message);

      if (g_strcmp0 (cohort_chat_message_get_channel (message), "group") == 0)
        group = MAX (group, id);
      else
        chat = MAX (chat, id);
    }
  if (chat == cohort_home_entry_get_since_chat (entry) && group == cohort_home_entry_get_since_group (entry))
    return;
  cohort_home_entry_set_seen (entry, chat, group);
  if (!cohort_token_store_set_seen (cohort_home_entry_get_server_url (entry),
                                    cohort_home_entry_get_code (entry), FALSE, chat, group, &error))
    g_warning ("Could not remember how far the chat was read: %s", error->message);
}

static void
resume_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Opening *opening = user_data;
  CohortHomeWindow *self = opening->self;
  CohortSession *session = COHORT_SESSION (object);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;
  CohortClassWindow *window;
  GtkWidget *chat_page;

  self->opening = FALSE;
  if (!cohort_session_resume_finish (session, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message =
            cohort_error_message_for_user (error, cohort_home_entry_get_server_url (opening->entry),
                                           cohort_home_entry_get_code (opening->entry), NULL);

          adw_toast_overlay_add_toast (self->toast_overlay, cohort_toast_new (message));
        }
      g_object_unref (session);
      opening_free (opening);
      return;
    }

  if (opening->voice)
    {
      gtk_window_present (GTK_WINDOW (cohort_voice_window_new (app, session)));
      g_object_unref (session);
      opening_free (opening);
      return;
    }

  window = cohort_application_open_class (COHORT_IS_APPLICATION (app) ? COHORT_APPLICATION (app) : NULL,
                                          session);
  /* Between lessons the class's life is in its group: the check-in, the
   * group's chat, the board and the student's own progress. */
  if (cohort_lesson_get_state (cohort_session_get_lesson (session)) != COHORT_LESSON_STATE_LIVE)
    cohort_class_window_show_place (window, "groups");
  if (opening->practise)
    gtk_widget_activate_action (GTK_WIDGET (window), "class.show-practice", NULL);
  chat_page = cohort_class_window_get_chat_page (window);
  /* Only a student's positions are kept: a teacher has no unread counts. */
  if (COHORT_IS_CHAT_PAGE (chat_page) && !cohort_home_entry_get_teacher (opening->entry))
    g_signal_connect_data (chat_page, "seen", G_CALLBACK (on_chat_seen), g_object_ref (opening->entry),
                           (GClosureNotify) (void (*) (void)) g_object_unref, 0);
  g_object_unref (session);
  opening_free (opening);
}

static void
open_class (CohortHomeWindow *self,
            guint             position,
            gboolean          practise,
            gboolean          voice)
{
  g_autoptr(CohortHomeEntry) entry = NULL;
  Opening *opening;

  g_return_if_fail (COHORT_IS_HOME_WINDOW (self));

  if (self->opening || !(entry = g_list_model_get_item (G_LIST_MODEL (self->model), position)))
    return;
  if (cohort_home_entry_get_status (entry) == COHORT_HOME_STATUS_SIGNED_OUT)
    {
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   cohort_toast_new (_("This device is no longer signed in to the class. Join it again with its code.")));
      return;
    }

  /* A class opens with no lesson on too: its Groups, Helper and the
   * student's own progress are there between lessons. */
  self->opening = TRUE;
  opening = g_new0 (Opening, 1);
  opening->self = g_object_ref (self);
  opening->entry = g_object_ref (entry);
  opening->practise = practise;
  opening->voice = voice;
  cohort_session_resume_async (cohort_session_new (), cohort_home_entry_get_server_url (entry),
                               cohort_home_entry_get_token (entry), self->cancellable, resume_cb, opening);
}

void
cohort_home_window_open_class (CohortHomeWindow *self,
                               guint             position)
{
  open_class (self, position, FALSE, FALSE);
}

void
cohort_home_window_practise (CohortHomeWindow *self,
                             guint             position)
{
  open_class (self, position, TRUE, FALSE);
}

static void
voice_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  open_class (COHORT_HOME_WINDOW (widget), g_variant_get_uint32 (param), FALSE, TRUE);
}

static void
practise_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  cohort_home_window_practise (COHORT_HOME_WINDOW (widget), g_variant_get_uint32 (param));
}

static void
on_row_activated (CohortHomeWindow *self,
                  GtkListBoxRow    *row)
{
  cohort_home_window_open_class (self, gtk_list_box_row_get_index (row));
}

static void
open_class_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  cohort_home_window_open_class (COHORT_HOME_WINDOW (widget), g_variant_get_uint32 (param));
}

static void
refresh_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  cohort_home_window_reload (COHORT_HOME_WINDOW (widget));
}

static void
join_new_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));

  cohort_application_show_join (COHORT_IS_APPLICATION (app) ? COHORT_APPLICATION (app) : NULL,
                                GTK_WINDOW (widget));
}

/* Back from the join form or a class: what was kept may have changed. */
static void
on_active (CohortHomeWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)) && !cohort_home_model_get_loading (self->model))
    cohort_home_window_reload (self);
}

/* The application's lesson reminders poll every kept class already: the
 * home shows that same model, so each class is asked once per round, not
 * once for the reminders and once for the home. Without the application
 * (a test's bare window) the home has its own. */
static void
set_up_model (CohortHomeWindow *self,
              GtkApplication   *app)
{
  CohortLessonReminders *reminders = NULL;

  if (COHORT_IS_APPLICATION (app))
    reminders = cohort_application_get_reminders (COHORT_APPLICATION (app));
  self->model = reminders != NULL ? g_object_ref (cohort_lesson_reminders_get_model (reminders))
                                  : cohort_home_model_new ();
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->model), create_row, self, NULL);
  g_signal_connect_object (self->model, "items-changed", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (update_page), self, G_CONNECT_SWAPPED);
  update_page (self);
}

static void
cohort_home_window_dispose (GObject *object)
{
  CohortHomeWindow *self = COHORT_HOME_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick, g_source_remove);
  /* The model may be the application's, and outlive the window. */
  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (cohort_home_window_parent_class)->dispose (object);
}

static void
cohort_home_window_finalize (GObject *object)
{
  CohortHomeWindow *self = COHORT_HOME_WINDOW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cohort_home_window_parent_class)->finalize (object);
}

static void
cohort_home_window_class_init (CohortHomeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_home_window_dispose;
  object_class->finalize = cohort_home_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-home-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortHomeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortHomeWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CohortHomeWindow, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);

  gtk_widget_class_install_action (widget_class, "home.open-class", "u", open_class_action);
  gtk_widget_class_install_action (widget_class, "home.practise", "u", practise_action);
  gtk_widget_class_install_action (widget_class, "home.voice", "u", voice_action);
  gtk_widget_class_install_action (widget_class, "home.refresh", NULL, refresh_action);
  gtk_widget_class_install_action (widget_class, "home.join-new", NULL, join_new_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "home.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "home.refresh", NULL);
}

static void
cohort_home_window_init (CohortHomeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cohort_template_name_controls (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_signal_connect (self, "notify::is-active", G_CALLBACK (on_active), NULL);
  self->tick = g_timeout_add_seconds (TICK_S, on_tick, self);
}

CohortHomeWindow *
cohort_home_window_new (GtkApplication *application)
{
  CohortHomeWindow *self = g_object_new (COHORT_TYPE_HOME_WINDOW, "application", application, NULL);

  /* Not in constructed(): "application" is set after it. */
  set_up_model (self, application);
  return self;
}

CohortHomeModel *
cohort_home_window_get_model (CohortHomeWindow *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_WINDOW (self), NULL);

  return self->model;
}

GtkListBox *
cohort_home_window_get_list (CohortHomeWindow *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_WINDOW (self), NULL);

  return self->list;
}

const char *
cohort_home_window_get_page (CohortHomeWindow *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* cohort-class-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-class-window"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-enums.h"
#include "cohort-protocol.h"

#include "cohort-ai-page.h"
#include "cohort-chat-page.h"
#include "cohort-danmaku-view.h"
#include "cohort-class-window-private.h"
#include "cohort-error-message.h"
#include "cohort-groups-page.h"
#include "cohort-participant-row.h"
#include "cohort-presenter-window.h"
#include "cohort-quiz-page.h"
#include "cohort-side-panel.h"
#include "cohort-sound-player.h"
#include "cohort-stage.h"
#include "cohort-waiting-page.h"
#include "cohort-template.h"

G_DEFINE_FINAL_TYPE (CohortClassWindow, cohort_class_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_HAND_RAISED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

void
_cohort_class_window_show_error (CohortClassWindow *self,
                                 const GError      *error)
{
  g_autofree char *message = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  message = cohort_error_message_for_user (error, cohort_session_get_server_url (self->session),
                                           NULL, NULL);
  cohort_class_window_add_toast (self, message);
}

static void
update_state (CohortClassWindow *self)
{
  CohortSessionState state = cohort_session_get_state (self->session);
  const char *subtitle;

  switch (state)
    {
    case COHORT_SESSION_STATE_CONNECTING:
      subtitle = _("Connecting…");
      break;
    case COHORT_SESSION_STATE_JOINED:
      subtitle = _("Connected");
      break;
    case COHORT_SESSION_STATE_RECONNECTING:
      subtitle = _("Reconnecting…");
      break;
    case COHORT_SESSION_STATE_DISCONNECTED:
    case COHORT_SESSION_STATE_FAILED:
    default:
      subtitle = _("Disconnected");
      break;
    }

  /* Removed from the class: the page says so; the connection's ups and
   * downs after that are nobody's business. */
  if (self->removed)
    {
      self->last_state = state;
      _cohort_class_window_update_actions (self);
      return;
    }

  adw_window_title_set_subtitle (self->window_title, subtitle);
  /* identity: being let in out of the waiting room resumes the session;
   * that is not a lost connection. */
  gtk_revealer_set_reveal_child (self->reconnect_revealer,
                                 state == COHORT_SESSION_STATE_RECONNECTING && !self->was_waiting);

  if (state == COHORT_SESSION_STATE_JOINED && self->was_waiting &&
      cohort_session_get_admission (self->session) == COHORT_ADMISSION_ADMITTED)
    {
      self->was_waiting = FALSE;
      cohort_class_window_add_toast (self, _("The teacher let you in"));
    }
  else if (state == COHORT_SESSION_STATE_JOINED &&
           self->last_state == COHORT_SESSION_STATE_RECONNECTING)
    cohort_class_window_add_toast (self, _("Connected again"));
  else if (state == COHORT_SESSION_STATE_FAILED &&
           self->last_state != COHORT_SESSION_STATE_FAILED)
    cohort_class_window_add_toast (self, _("The connection to the class was lost. Leave and join the class again."));

  self->last_state = state;
  /* lesson: the teacher's status line follows the connection's. */
  _cohort_class_window_lesson_update (self);
  _cohort_class_window_update_actions (self);
}

static void
update_counts (CohortClassWindow *self)
{
  CohortRoster *roster = cohort_session_get_roster (self->session);
  GListModel *hands = cohort_roster_get_hands (roster);
  guint n_hands = g_list_model_get_n_items (hands);
  guint n_people = g_list_model_get_n_items (G_LIST_MODEL (roster));
  guint n_online = cohort_roster_get_n_online (roster);
  g_autofree char *hands_text = NULL;
  g_autofree char *people_text = NULL;

  hands_text = n_hands > 0 ? g_strdup_printf ("%u", n_hands) : g_strdup ("");
  gtk_label_set_label (self->hands_count_label, hands_text);
  gtk_stack_set_visible_child_name (self->hands_stack, n_hands > 0 ? "list" : "empty");

  /* Translators: %u is how many people are online. */
  people_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u online", "%u online", n_online),
                                 n_online);
  gtk_label_set_label (self->people_count_label, n_people > 0 ? people_text : "");

  _cohort_class_window_update_actions (self);
}

static void
sync_self_hand (CohortClassWindow *self)
{
  CohortParticipant *me = cohort_session_get_self (self->session);

  if (me != NULL)
    _cohort_class_window_set_hand_raised (self, cohort_participant_get_hand_raised (me), FALSE);
}

static const char *
name_of (CohortClassWindow *self,
         gint64             id)
{
  CohortParticipant *p = cohort_roster_lookup (cohort_session_get_roster (self->session), id);

  return p != NULL ? cohort_participant_get_name (p) : NULL;
}

static gboolean
is_me (CohortClassWindow *self,
       gint64             id)
{
  CohortParticipant *me = cohort_session_get_self (self->session);

  return me != NULL && cohort_participant_get_id (me) == id;
}

/* Toasts for what others did in the class. */

/* The header shows the class; the window's own title (the task switcher,
 * a window list) also says who this is, so that a teacher and a student
 * window on one desktop can be told apart. */
static void
set_window_titles (CohortClassWindow *self,
                   const char        *title,
                   CohortParticipant *me)
{
  g_autofree char *window_title = NULL;
  const char *name = me != NULL ? cohort_participant_get_name (me) : NULL;

  adw_window_title_set_title (self->window_title, title);
  if (name == NULL || *name == '\0')
    window_title = g_strdup (title);
  else if (self->is_teacher)
    /* Translators: a window title: the class's title, then the user's name. */
    window_title = g_strdup_printf (_("%s — %s (Teacher)"), title, name);
  else
    /* Translators: a window title: the class's title, then the user's name. */
    window_title = g_strdup_printf (_("%s — %s (Student)"), title, name);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

static void
on_participant_joined (CohortClassEvents *events,
                       gint64             id,
                       const char        *name,
                       CohortClassWindow *self)
{
  CohortParticipant *p = cohort_roster_lookup (cohort_session_get_roster (self->session), id);
  g_autofree char *text = NULL;

  if (is_me (self, id))
    return;
  /* Translators: %s is a participant's name. */
  text = g_strdup_printf (_("%s joined"), name);
  /* Students joining are summarised; the teacher arriving is news. */
  cohort_class_window_add_notice (self, p != NULL && cohort_participant_get_role (p) == COHORT_ROLE_TEACHER
                                        ? COHORT_NOTICE_INFO : COHORT_NOTICE_JOINED, text);
}

static void
on_hand_raised (CohortClassEvents *events,
                gint64             id,
                CohortClassWindow *self)
{
  const char *name = name_of (self, id);
  g_autofree char *text = NULL;

  /* A classmate's hand is in the hands list; only the teacher is called. */
  if (name == NULL || is_me (self, id) || !self->is_teacher)
    return;
  /* Translators: %s is a participant's name. */
  text = g_strdup_printf (_("%s raised their hand"), name);
  cohort_class_window_call_attention (self, COHORT_NOTICE_HAND, "people", COHORT_SOUND_HAND, text, NULL);
}

static void
on_hand_lowered (CohortClassEvents *events,
                 gint64             id,
                 gint64             by,
                 CohortClassWindow *self)
{
  if (is_me (self, id) && !is_me (self, by))
    cohort_class_window_add_toast (self, _("The teacher lowered your hand"));
}

static void
on_all_hands_lowered (CohortClassEvents *events,
                      gint64             by,
                      CohortClassWindow *self)
{
  if (!is_me (self, by) && !self->is_teacher)
    cohort_class_window_add_toast (self, _("The teacher lowered all hands"));
}

static void
on_hands_changed (CohortClassWindow *self)
{
  update_counts (self);
  sync_self_hand (self);
}

/* Someone's screen is on the stage (the teacher's own share included). */
static gboolean
screen_shared (CohortClassWindow *self)
{
  GListModel *feeds;

  if (self->classroom == NULL)
    return FALSE;
  if (cohort_classroom_get_screen_on (self->classroom))
    return TRUE;

  feeds = cohort_classroom_get_feeds (self->classroom);
  for (guint i = 0; feeds != NULL && i < g_list_model_get_n_items (feeds); i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);

      if (g_strcmp0 (cohort_feed_get_kind (feed), "screen") == 0)
        return TRUE;
    }
  return FALSE;
}

/* A shared screen takes the stage, and a closed side panel must not hide
 * the chat and the quiz: Chat and Quiz buttons over the stage open it. */
static void
update_share_shortcuts (CohortClassWindow *self)
{
  /* The call empties its feeds while the window is disposed. */
  if (self->share_shortcuts == NULL || self->flap == NULL)
    return;
  gtk_widget_set_visible (self->share_shortcuts,
                          screen_shared (self) && !adw_flap_get_reveal_flap (self->flap));
}

/* The teacher's presenter view lives while the screen is shared; it
 * closes itself when the share ends. */
static void
on_screen_on_changed (CohortClassWindow *self)
{
  CohortStage *stage = COHORT_STAGE (self->stage);
  GtkWidget *chat_page;

  update_share_shortcuts (self);
  if (!self->is_teacher || !cohort_classroom_get_screen_on (self->classroom) || self->presenter != NULL)
    return;

  chat_page = adw_view_stack_get_child_by_name (self->side_stack, "chat");
  self->presenter = cohort_presenter_window_new (self->classroom,
                                                 GDK_PAINTABLE (cohort_stage_get_preview (stage, "camera")),
                                                 G_LIST_MODEL (cohort_chat_page_get_model (COHORT_CHAT_PAGE (chat_page))));
  g_object_add_weak_pointer (G_OBJECT (self->presenter), (gpointer *) &self->presenter);
  gtk_window_set_application (GTK_WINDOW (self->presenter), gtk_window_get_application (GTK_WINDOW (self)));
  /* Its Chat and Quiz buttons bring this window up on that page. */
  cohort_presenter_window_set_class_window_id (COHORT_PRESENTER_WINDOW (self->presenter),
                                               gtk_application_window_get_id (GTK_APPLICATION_WINDOW (self)));
  gtk_window_present (GTK_WINDOW (self->presenter));
}

/* The class's pages (chat, quiz, groups, helper, stage) start their
 * requests once they have the session: only when we are in the class, not
 * while waiting to be let in (the server refuses those). */
void
_cohort_class_window_attach_pages (CohortClassWindow *self)
{
  if (self->pages_attached)
    return;
  self->pages_attached = TRUE;

  /* chat: the Chat page follows the session and flies comments over the stage */
  cohort_chat_page_set_session (COHORT_CHAT_PAGE (adw_view_stack_get_child_by_name (self->side_stack, "chat")),
                                self->session);
  cohort_chat_page_set_danmaku_view (COHORT_CHAT_PAGE (adw_view_stack_get_child_by_name (self->side_stack, "chat")),
                                     COHORT_DANMAKU_VIEW (self->danmaku_view));
  /* quiz: the Quiz page follows the class's session */
  cohort_quiz_page_set_session (COHORT_QUIZ_PAGE (adw_view_stack_get_child_by_name (self->side_stack, "quiz")),
                                self->session);
  /* groups: the Groups page follows the class's session */
  cohort_groups_page_set_session (COHORT_GROUPS_PAGE (adw_view_stack_get_child_by_name (self->side_stack, "groups")),
                                  self->session);
  /* gchat: the Groups page shows the group's channel of the class chat */
  cohort_groups_page_set_chat_model (COHORT_GROUPS_PAGE (adw_view_stack_get_child_by_name (self->side_stack, "groups")),
                                     cohort_chat_page_get_model (COHORT_CHAT_PAGE (adw_view_stack_get_child_by_name (self->side_stack, "chat"))));
  /* ai: the Helper page follows the class's session */
  cohort_ai_page_set_session (COHORT_AI_PAGE (adw_view_stack_get_child_by_name (self->side_stack, "helper")),
                              self->session);
  /* media: the classroom runs the class's call; the stage and the
   * presenter view show it */
  self->classroom = cohort_classroom_new (self->session);
  g_signal_connect_object (self->classroom, "notify::screen-on", G_CALLBACK (on_screen_on_changed), self,
                           G_CONNECT_SWAPPED);
  cohort_stage_set_classroom (COHORT_STAGE (self->stage), self->classroom);
  /* voice: a breakout pauses or lowers the class's sound for a student */
  cohort_voice_room_set_classroom (cohort_groups_page_get_voice_room (COHORT_GROUPS_PAGE (adw_view_stack_get_child_by_name (self->side_stack, "groups"))),
                                   self->classroom);
  g_signal_connect_object (cohort_classroom_get_feeds (self->classroom), "items-changed",
                           G_CALLBACK (update_share_shortcuts), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->flap, "notify::reveal-flap", G_CALLBACK (update_share_shortcuts), self,
                           G_CONNECT_SWAPPED);
  _cohort_class_window_notices_attach (self);
}

static void
setup_session (CohortClassWindow *self)
{
  CohortRoster *roster = cohort_session_get_roster (self->session);
  CohortParticipant *me = cohort_session_get_self (self->session);
  const char *title = cohort_session_get_class_title (self->session);
  const char *code = cohort_session_get_class_code (self->session);
  const char *teacher_key = cohort_session_get_teacher_key (self->session);

  self->is_teacher = me != NULL && cohort_participant_get_role (me) == COHORT_ROLE_TEACHER;

  /* After the roster applied them (the session emits event-received then). */
  self->events = cohort_class_events_new (self->session);
  g_signal_connect_object (self->events, "participant-joined", G_CALLBACK (on_participant_joined), self, 0);
  g_signal_connect_object (self->events, "hand-raised", G_CALLBACK (on_hand_raised), self, 0);
  g_signal_connect_object (self->events, "hand-lowered", G_CALLBACK (on_hand_lowered), self, 0);
  g_signal_connect_object (self->events, "all-hands-lowered", G_CALLBACK (on_all_hands_lowered), self, 0);

  if (title == NULL || *title == '\0')
    title = _("Class");
  set_window_titles (self, title, me);

  gtk_no_selection_set_model (self->roster_selection, G_LIST_MODEL (roster));
  gtk_no_selection_set_model (self->hands_selection, cohort_roster_get_hands (roster));

  g_signal_group_set_target (self->session_signals, self->session);
  g_signal_group_set_target (self->hands_signals, cohort_roster_get_hands (roster));
  g_signal_group_set_target (self->self_signals, me);

  g_signal_connect_object (roster, "items-changed", G_CALLBACK (update_counts), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (roster, "notify::n-online", G_CALLBACK (update_counts), self, G_CONNECT_SWAPPED);

  gtk_widget_set_visible (GTK_WIDGET (self->invite_group), self->is_teacher);
  gtk_widget_set_visible (self->lower_all_button, self->is_teacher);
  /* The student's controls (Raise Hand) follow the lesson: see
   * _cohort_class_window_lesson_update (). */

  if (self->is_teacher)
    {
      g_autofree char *stage_title = NULL;

      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->code_row), code ? code : "");
      gtk_widget_set_visible (GTK_WIDGET (self->key_row), teacher_key != NULL);

      /* Translators: %s is the class code, shown big so a projector can show it. */
      stage_title = g_strdup_printf (_("Class Code %s"), code ? code : "");
      adw_status_page_set_icon_name (self->stage_status, "system-users-symbolic");
      adw_status_page_set_title (self->stage_status, stage_title);
      adw_status_page_set_description (self->stage_status,
                                       _("Students join with this code. Raised hands show up in the side panel, in the order they were raised."));
    }

  _cohort_class_window_admission_setup (self);
  _cohort_class_window_lesson_setup (self);
  _cohort_class_window_schedule_setup (self);

  self->last_state = cohort_session_get_state (self->session);
  update_state (self);
  update_counts (self);
  sync_self_hand (self);
}

static gboolean
cohort_class_window_close_request (GtkWindow *window)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (window);
  int width, height;

  /* lesson: closing during a live lesson asks first, like Leave. */
  if (_cohort_class_window_lesson_close_request (self))
    return TRUE;

  g_cancellable_cancel (self->cancellable);

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }

  return GTK_WINDOW_CLASS (cohort_class_window_parent_class)->close_request (window);
}

static void
cohort_class_window_constructed (GObject *object)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (object);

  G_OBJECT_CLASS (cohort_class_window_parent_class)->constructed (object);

  g_return_if_fail (self->session != NULL);
  setup_session (self);
}

static void
cohort_class_window_dispose (GObject *object)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  if (self->hands_signals != NULL)
    g_signal_group_set_target (self->hands_signals, NULL);
  if (self->self_signals != NULL)
    g_signal_group_set_target (self->self_signals, NULL);

  if (self->presenter != NULL)
    gtk_window_destroy (GTK_WINDOW (self->presenter));

  _cohort_class_window_schedule_dispose (self);
  _cohort_class_window_practice_dispose (self);
  _cohort_class_window_notices_dispose (self);
  if (self->classroom != NULL && cohort_classroom_get_feeds (self->classroom) != NULL)
    g_signal_handlers_disconnect_by_data (cohort_classroom_get_feeds (self->classroom), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_CLASS_WINDOW);
  g_clear_object (&self->detached_settings);

  /* Leaving the class ends every publication. */
  if (self->classroom != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->classroom, self);
      cohort_classroom_shutdown (self->classroom);
    }
  g_clear_object (&self->classroom);
  g_clear_object (&self->events);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->hands_signals);
  g_clear_object (&self->self_signals);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cohort_class_window_parent_class)->dispose (object);
}

static void
cohort_class_window_finalize (GObject *object)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cohort_class_window_parent_class)->finalize (object);
}

static void
cohort_class_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_HAND_RAISED:
      g_value_set_boolean (value, self->hand_raised);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_class_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  CohortClassWindow *self = COHORT_CLASS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_HAND_RAISED:
      _cohort_class_window_set_hand_raised (self, g_value_get_boolean (value), TRUE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_class_window_class_init (CohortClassWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cohort_class_window_constructed;
  object_class->dispose = cohort_class_window_dispose;
  object_class->finalize = cohort_class_window_finalize;
  object_class->get_property = cohort_class_window_get_property;
  object_class->set_property = cohort_class_window_set_property;
  window_class->close_request = cohort_class_window_close_request;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         COHORT_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Backs the stateful class.raise-hand action. */
  properties[PROP_HAND_RAISED] =
    g_param_spec_boolean ("hand-raised", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (COHORT_TYPE_PARTICIPANT_ROW);
  g_type_ensure (COHORT_TYPE_SIDE_PANEL);
  g_type_ensure (COHORT_TYPE_CHAT_PAGE);
  g_type_ensure (COHORT_TYPE_DANMAKU_VIEW);
  g_type_ensure (COHORT_TYPE_QUIZ_PAGE);
  g_type_ensure (COHORT_TYPE_AI_PAGE);
  g_type_ensure (COHORT_TYPE_GROUPS_PAGE);
  g_type_ensure (COHORT_TYPE_STAGE);
  g_type_ensure (COHORT_TYPE_WAITING_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-class-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, reconnect_revealer);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, waiting_page);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, settings_box);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, main_menu_button);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, student_menu);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, leave_button);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, waiting_room_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, lock_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, anonymous_switch);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, waiting_box);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, waiting_count_label);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, waiting_view);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, waiting_selection);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, side_panel);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, share_shortcuts);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, stage_status);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, stage);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, danmaku_view);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, controls);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, raise_hand_button);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, raise_hand_content);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, side_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, invite_group);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, code_row);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, key_row);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, hands_count_label);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, lower_all_button);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, hands_stack);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, hands_view);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, hands_selection);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, people_count_label);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, roster_view);
  gtk_widget_class_bind_template_child (widget_class, CohortClassWindow, roster_selection);

  _cohort_class_window_actions_class_init (klass);
  _cohort_class_window_admission_class_init (klass);
  _cohort_class_window_lesson_class_init (klass);
  _cohort_class_window_schedule_class_init (klass);
  _cohort_class_window_practice_class_init (klass);
}

/* win.share-screen: a GAction on the window, not a widget action, so
 * that GtkApplication exports it on D-Bus (org.gtk.Actions at
 * /org/cohortclass/Cohort/window/N). It lets a script start the screen
 * share of a running app, which the Flatpak test does from outside the
 * sandbox (tests/flatpak/flatpak-portal.sh). */
static void
share_screen_action (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  CohortClassWindow *self = user_data;

  if (!cohort_stage_share_screen (COHORT_STAGE (self->stage)))
    g_debug ("win.share-screen: the Share Screen button cannot be pressed now");
}

static const GActionEntry win_actions[] = {
  { "share-screen", share_screen_action },
};

static void
cohort_class_window_init (CohortClassWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  cohort_template_name_controls (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);

  self->cancellable = g_cancellable_new ();
  _cohort_class_window_notices_init (self);
  self->settings = g_settings_new ("org.cohortclass.Cohort");
  self->last_state = -1;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  /* Kept as the user leaves it, for every class. */
  g_settings_bind (self->settings, "side-panel-width", self->side_panel, "width", G_SETTINGS_BIND_DEFAULT);

  self->session_signals = g_signal_group_new (COHORT_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::state",
                                  G_CALLBACK (update_state), self);
  /* Whatever happened, show what the roster says about our hand. */
  g_signal_group_connect_swapped (self->session_signals, "event-received",
                                  G_CALLBACK (sync_self_hand), self);

  self->hands_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->hands_signals, "items-changed",
                                  G_CALLBACK (on_hands_changed), self);

  self->self_signals = g_signal_group_new (COHORT_TYPE_PARTICIPANT);
  g_signal_group_connect_swapped (self->self_signals, "notify::hand-raised",
                                  G_CALLBACK (sync_self_hand), self);
}

CohortClassroom *
cohort_class_window_get_classroom (CohortClassWindow *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_WINDOW (self), NULL);

  return self->classroom;
}

CohortClassWindow *
cohort_class_window_new (GtkApplication *application,
                         CohortSession  *session)
{
  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  return g_object_new (COHORT_TYPE_CLASS_WINDOW,
                       "application", application,
                       "session", session,
                       NULL);
}

CohortSession *
cohort_class_window_get_session (CohortClassWindow *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_WINDOW (self), NULL);

  return self->session;
}

gboolean
cohort_class_window_get_is_teacher (CohortClassWindow *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_WINDOW (self), FALSE);

  return self->is_teacher;
}

gboolean
cohort_class_window_get_hand_raised (CohortClassWindow *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_WINDOW (self), FALSE);

  return self->hand_raised;
}

GtkWidget *
cohort_class_window_get_chat_page (CohortClassWindow *self)
{
  g_return_val_if_fail (COHORT_IS_CLASS_WINDOW (self), NULL);

  return adw_view_stack_get_child_by_name (self->side_stack, "chat");
}

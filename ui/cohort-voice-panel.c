/* cohort-voice-panel.c: a study group's voice room on the Groups page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-voice-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-breakout-dialog.h"
#include "cohort-media-devices.h"
#include "cohort-template.h"
#include "cohort-voice-panel.h"
#include "cohort-voice-protocol.h"

struct _CohortVoicePanel
{
  GtkWidget         parent_instance;

  CohortSession    *session;
  CohortGroups     *groups;   /* names for the teacher's list of rooms */
  CohortVoiceRoom  *room;
  gint64            group_id;
  GSettings        *settings;
  GtkEventController *talk_keys;   /* on the window while rooted */

  AdwPreferencesGroup *prefs_group;
  GtkWidget        *join_button;
  GtkWidget        *leave_button;
  GtkWidget        *mute_button;
  GtkListBox       *member_list;
  GtkWidget        *breakout_box;
  GtkWidget        *breakout_button;
  GtkWidget        *call_back_button;
  GtkWidget        *rooms_group;
  GtkListBox       *rooms_list;
  guint             countdown;
};

G_DEFINE_FINAL_TYPE (CohortVoicePanel, cohort_voice_panel, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_GROUP_ID,
  PROP_MUTED,
  PROP_ROOM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
in_this_room (CohortVoicePanel *self)
{
  return self->room != NULL && self->group_id != 0 &&
         cohort_voice_room_get_group_id (self->room) == self->group_id;
}

static gboolean
is_teacher (CohortVoicePanel *self)
{
  return self->session != NULL &&
         cohort_participant_get_role (cohort_session_get_self (self->session)) == COHORT_ROLE_TEACHER;
}

/* Whole seconds left of the class's breakout, 0 without one. */
static gint64
breakout_left_s (CohortVoicePanel *self)
{
  gint64 ends_at = self->room != NULL ? cohort_voice_room_get_breakout_ends_at (self->room) : 0;

  if (ends_at == 0)
    return 0;
  return MAX (0, (ends_at - g_get_real_time () / 1000 + 999) / 1000);
}

static void update_controls (CohortVoicePanel *self);

static gboolean
on_countdown (gpointer user_data)
{
  CohortVoicePanel *self = user_data;

  update_controls (self);
  if (breakout_left_s (self) > 0)
    return G_SOURCE_CONTINUE;
  self->countdown = 0;
  return G_SOURCE_REMOVE;
}

static void
update_controls (CohortVoicePanel *self)
{
  gboolean here;
  gboolean joined;
  gboolean muted;

  /* A binding may still set group-id while the window goes. */
  if (self->join_button == NULL)
    return;
  here = in_this_room (self);
  joined = here && cohort_voice_room_get_state (self->room) == COHORT_VOICE_STATE_JOINED;
  muted = self->room != NULL && cohort_voice_room_get_muted (self->room);

  gtk_widget_set_visible (GTK_WIDGET (self), self->group_id != 0 && self->room != NULL);
  gtk_widget_set_visible (self->join_button, !here);
  gtk_widget_set_visible (self->leave_button, here);
  gtk_widget_set_visible (self->mute_button, here);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "voice.join", !here && self->room != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "voice.leave", here);
  gtk_widget_set_tooltip_text (self->mute_button, muted ? _("Unmute") : _("Mute"));
  gtk_button_set_icon_name (GTK_BUTTON (self->mute_button),
                            muted ? "microphone-disabled-symbolic" : "audio-input-microphone-symbolic");

  gtk_widget_set_visible (self->breakout_box, is_teacher (self));
  gtk_widget_set_visible (self->rooms_group, is_teacher (self) && self->groups != NULL);
  gtk_widget_set_visible (self->breakout_button, breakout_left_s (self) == 0);
  gtk_widget_set_visible (self->call_back_button, breakout_left_s (self) > 0);

  if (breakout_left_s (self) > 0)
    {
      gint64 left = breakout_left_s (self);
      g_autofree char *text = NULL;

      /* Translators: a countdown; %d:%02d is minutes and seconds left. */
      text = g_strdup_printf (_("Breakout rooms · %d:%02d left"), (int) (left / 60), (int) (left % 60));
      adw_preferences_group_set_description (self->prefs_group, text);
    }
  else if (here && !joined)
    adw_preferences_group_set_description (self->prefs_group, _("Connecting…"));
  else if (joined && g_settings_get_boolean (self->settings, "voice-push-to-talk"))
    adw_preferences_group_set_description (self->prefs_group, _("Hold Ctrl+Space to talk"));
  else
    adw_preferences_group_set_description (self->prefs_group, _("Talk it through with your group"));
}

static GtkWidget *
member_row (CohortVoicePanel *self,
            gint64            participant_id)
{
  CohortParticipant *participant = cohort_roster_lookup (cohort_session_get_roster (self->session),
                                                         participant_id);
  gboolean talking = cohort_voice_room_is_talking (self->room, participant_id);
  gboolean muted = cohort_voice_room_is_member_muted (self->room, self->group_id, participant_id);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  const char *name = participant != NULL ? cohort_participant_get_name (participant) : "";
  g_autofree char *title = NULL;

  if (participant_id == cohort_roster_get_self_id (cohort_session_get_roster (self->session)))
    /* Translators: marks your own row in a list of people. */
    title = g_strdup_printf (_("%s (You)"), name);
  else
    title = g_strdup (name);
  /* Names are text, never markup: before the title is set. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);

  icon = gtk_image_new_from_icon_name (muted ? "microphone-disabled-symbolic"
                                             : "audio-volume-high-symbolic");
  gtk_widget_set_visible (icon, muted || talking);
  if (talking)
    gtk_widget_add_css_class (icon, "accent");
  gtk_widget_set_tooltip_text (icon, muted ? _("Muted") : _("Speaking"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  if (talking || muted)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    muted ? _("Muted") : _("Speaking"), -1);
  return row;
}

/* Rows only: the placeholder is a child of the list too. */
static void
remove_rows (GtkListBox *list)
{
  GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list));

  while (child != NULL)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (GTK_IS_LIST_BOX_ROW (child))
        gtk_list_box_remove (list, child);
      child = next;
    }
}

static void
update_members (CohortVoicePanel *self)
{
  g_autoptr(GArray) ids = NULL;

  if (self->member_list == NULL)
    return;
  remove_rows (self->member_list);

  if (self->room == NULL || self->group_id == 0)
    return;

  ids = cohort_voice_room_dup_members (self->room, self->group_id);
  for (guint i = 0; i < ids->len; i++)
    gtk_list_box_append (self->member_list, member_row (self, g_array_index (ids, gint64, i)));
}

/* The teacher's view of every group's room: who is in it, whether
 * anyone talks there, and Drop In (or Leave for the one they are in). */
static GtkWidget *
room_row (CohortVoicePanel *self,
          CohortGroup      *group)
{
  CohortRoster *roster = cohort_session_get_roster (self->session);
  gint64 group_id = cohort_group_get_id (group);
  g_autoptr(GArray) ids = cohort_voice_room_dup_members (self->room, group_id);
  gboolean talking = cohort_voice_room_is_room_talking (self->room, group_id);
  gboolean here = cohort_voice_room_get_group_id (self->room) == group_id;
  g_autoptr(GString) names = g_string_new (NULL);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;
  GtkWidget *button;

  for (guint i = 0; i < ids->len; i++)
    {
      CohortParticipant *p = cohort_roster_lookup (roster, g_array_index (ids, gint64, i));

      if (p == NULL)
        continue;
      if (names->len > 0)
        /* Translators: between the names of the people in a voice room. */
        g_string_append (names, _(", "));
      g_string_append (names, cohort_participant_get_name (p));
    }
  /* Names are text, never markup: before the title is set. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), cohort_group_get_name (group));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), names->len > 0 ? names->str : _("Nobody here"));

  icon = gtk_image_new_from_icon_name ("audio-volume-high-symbolic");
  gtk_widget_add_css_class (icon, "accent");
  gtk_widget_set_tooltip_text (icon, _("Talking"));
  gtk_widget_set_visible (icon, talking);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
  if (talking)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    _("Talking"), -1);

  button = gtk_button_new_with_mnemonic (here ? _("_Leave") : _("_Drop In"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, here ? _("Leave this voice room") : _("Listen and talk in this group’s room"));
  if (here)
    gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "voice.leave");
  else
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "voice.drop-in");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "x", group_id);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

static void
update_rooms (CohortVoicePanel *self)
{
  GListModel *groups;

  if (self->rooms_list == NULL)
    return;
  remove_rows (self->rooms_list);

  if (self->room == NULL || self->groups == NULL || !is_teacher (self))
    return;

  groups = G_LIST_MODEL (self->groups);
  for (guint i = 0; i < g_list_model_get_n_items (groups); i++)
    {
      g_autoptr(CohortGroup) group = g_list_model_get_item (groups, i);

      gtk_list_box_append (self->rooms_list, room_row (self, group));
    }
}

static void
on_members_changed (CohortVoiceRoom  *room,
                    gint64            group_id,
                    CohortVoicePanel *self)
{
  if (group_id == self->group_id)
    update_members (self);
  update_rooms (self);
}

static void
on_talking_changed (CohortVoiceRoom  *room,
                    gint64            participant_id,
                    gboolean          talking,
                    CohortVoicePanel *self)
{
  update_members (self);
  update_rooms (self);
}

static void
on_room_notify (CohortVoiceRoom  *room,
                GParamSpec       *pspec,
                CohortVoicePanel *self)
{
  if (g_str_equal (pspec->name, "muted"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
  /* The countdown ticks while a breakout runs. */
  if (g_str_equal (pspec->name, "breakout-ends-at") && breakout_left_s (self) > 0 && self->countdown == 0)
    self->countdown = g_timeout_add_seconds (1, on_countdown, self);
  update_controls (self);
  if (g_str_equal (pspec->name, "group-id") || g_str_equal (pspec->name, "state"))
    update_rooms (self);
}

static void
on_breakout_start (CohortBreakoutDialog *dialog,
                   const char           *response,
                   CohortVoicePanel     *self)
{
  g_autoptr(JsonObject) body = json_object_new ();

  if (self->session == NULL)
    return;
  json_object_set_int_member (body, "minutes", cohort_breakout_dialog_get_minutes (dialog));
  json_object_set_string_member (body, "class_audio", cohort_breakout_dialog_get_class_audio (dialog));
  cohort_session_request_async (self->session, COHORT_REQ_VOICE_BREAKOUT, body, NULL, NULL, NULL);
}

/* How long, and the class's sound meanwhile: the teacher's choice. */
static void
breakout_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  CohortVoicePanel *self = COHORT_VOICE_PANEL (widget);
  CohortBreakoutDialog *dialog;

  if (self->session == NULL)
    return;
  dialog = cohort_breakout_dialog_new (GTK_WINDOW (gtk_widget_get_root (widget)));
  g_signal_connect_object (dialog, "response::start", G_CALLBACK (on_breakout_start), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
breakout_end_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CohortVoicePanel *self = COHORT_VOICE_PANEL (widget);

  if (self->session != NULL)
    cohort_session_request_async (self->session, COHORT_REQ_VOICE_BREAKOUT_END, NULL, NULL, NULL, NULL);
}

static void
join_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CohortVoicePanel *self = COHORT_VOICE_PANEL (widget);

  if (self->room != NULL && self->group_id != 0)
    cohort_voice_room_join (self->room, self->group_id);
}

static void
drop_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CohortVoicePanel *self = COHORT_VOICE_PANEL (widget);
  gint64 group_id = g_variant_get_int64 (parameter);

  if (self->room != NULL && group_id > 0)
    cohort_voice_room_join (self->room, group_id);
}

static void
leave_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CohortVoicePanel *self = COHORT_VOICE_PANEL (widget);

  if (self->room != NULL)
    cohort_voice_room_leave (self->room);
}

/* Push-to-talk: while the setting is on, the microphone is open only
 * while Ctrl+Space is held in this window. */
static gboolean
is_talk_key (guint           keyval,
             GdkModifierType state)
{
  return keyval == GDK_KEY_space && (state & GDK_CONTROL_MASK) != 0;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                CohortVoicePanel      *self)
{
  if (self->room == NULL || !cohort_voice_room_get_push_to_talk (self->room) || !is_talk_key (keyval, state))
    return FALSE;
  cohort_voice_room_set_talk_pressed (self->room, TRUE);
  return TRUE;
}

static void
on_key_released (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 CohortVoicePanel      *self)
{
  if (self->room != NULL && (keyval == GDK_KEY_space || keyval == GDK_KEY_Control_L ||
                             keyval == GDK_KEY_Control_R))
    cohort_voice_room_set_talk_pressed (self->room, FALSE);
}

static void
cohort_voice_panel_root (GtkWidget *widget)
{
  CohortVoicePanel *self = COHORT_VOICE_PANEL (widget);

  GTK_WIDGET_CLASS (cohort_voice_panel_parent_class)->root (widget);

  /* The key is held anywhere in the window, not only over the panel. */
  self->talk_keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (self->talk_keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (self->talk_keys, "key-pressed", G_CALLBACK (on_key_pressed), self, 0);
  g_signal_connect_object (self->talk_keys, "key-released", G_CALLBACK (on_key_released), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (gtk_widget_get_root (widget)), g_object_ref (self->talk_keys));
}

static void
cohort_voice_panel_unroot (GtkWidget *widget)
{
  CohortVoicePanel *self = COHORT_VOICE_PANEL (widget);

  if (self->talk_keys != NULL)
    {
      GtkWidget *owner = gtk_event_controller_get_widget (self->talk_keys);

      if (owner != NULL)
        gtk_widget_remove_controller (owner, self->talk_keys);
      g_clear_object (&self->talk_keys);
    }

  GTK_WIDGET_CLASS (cohort_voice_panel_parent_class)->unroot (widget);
}

/* The room's request signals: the user's devices. Tests connect their
 * own first. */
static GstElement *
on_create_source (CohortVoiceRoom  *room,
                  const char       *what,
                  CohortVoicePanel *self)
{
  CohortMediaDevices *devices = cohort_media_devices_get_default ();
  GstElement *silence;

  if (cohort_media_devices_has_microphone (devices))
    return cohort_media_devices_create_microphone (devices);

  /* Without a microphone the room can still be heard: silence goes up. */
  silence = gst_element_factory_make ("audiotestsrc", NULL);
  g_object_set (silence, "is-live", TRUE, NULL);
  gst_util_set_object_arg (G_OBJECT (silence), "wave", "silence");
  return silence;
}

static GstElement *
on_create_sink (CohortVoiceRoom  *room,
                const char       *what,
                CohortVoicePanel *self)
{
  return cohort_media_devices_create_speaker (cohort_media_devices_get_default ());
}

void
cohort_voice_panel_set_session (CohortVoicePanel *self,
                                CohortSession    *session)
{
  g_return_if_fail (COHORT_IS_VOICE_PANEL (self));
  g_return_if_fail (COHORT_IS_SESSION (session));

  if (self->session == session)
    return;

  if (self->room != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->room, self);
      g_clear_object (&self->room);
    }
  g_set_object (&self->session, session);
  self->room = cohort_voice_room_new (session);
  g_signal_connect (self->room, "members-changed", G_CALLBACK (on_members_changed), self);
  g_signal_connect (self->room, "talking-changed", G_CALLBACK (on_talking_changed), self);
  g_signal_connect (self->room, "notify", G_CALLBACK (on_room_notify), self);
  g_signal_connect_object (self->room, "create-source", G_CALLBACK (on_create_source), self, G_CONNECT_AFTER);
  g_signal_connect_object (self->room, "create-sink", G_CALLBACK (on_create_sink), self, G_CONNECT_AFTER);
  g_settings_bind (self->settings, "voice-push-to-talk", self->room, "push-to-talk",
                   G_SETTINGS_BIND_GET);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROOM]);
  update_members (self);
  update_rooms (self);
  update_controls (self);
}

void
cohort_voice_panel_set_groups (CohortVoicePanel *self,
                               CohortGroups     *groups)
{
  g_return_if_fail (COHORT_IS_VOICE_PANEL (self));
  g_return_if_fail (COHORT_IS_GROUPS (groups));

  if (self->groups != NULL)
    g_signal_handlers_disconnect_by_data (self->groups, self);
  g_set_object (&self->groups, groups);
  g_signal_connect_object (groups, "items-changed", G_CALLBACK (update_rooms), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (groups, "notify::is-teacher", G_CALLBACK (update_rooms), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (groups, "notify::is-teacher", G_CALLBACK (update_controls), self, G_CONNECT_SWAPPED);
  cohort_voice_panel_set_session (self, cohort_groups_get_session (groups));
  update_rooms (self);
  update_controls (self);
}

CohortVoiceRoom *
cohort_voice_panel_get_room (CohortVoicePanel *self)
{
  g_return_val_if_fail (COHORT_IS_VOICE_PANEL (self), NULL);
  return self->room;
}

static void
set_group_id (CohortVoicePanel *self,
              gint64            group_id)
{
  if (self->group_id == group_id)
    return;
  self->group_id = group_id;
  update_members (self);
  update_controls (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP_ID]);
}

static void
cohort_voice_panel_dispose (GObject *object)
{
  CohortVoicePanel *self = COHORT_VOICE_PANEL (object);

  g_clear_handle_id (&self->countdown, g_source_remove);
  /* Disposing the room leaves it. */
  if (self->room != NULL)
    g_signal_handlers_disconnect_by_data (self->room, self);
  g_clear_object (&self->room);
  if (self->groups != NULL)
    g_signal_handlers_disconnect_by_data (self->groups, self);
  g_clear_object (&self->groups);
  g_clear_object (&self->session);
  g_clear_object (&self->settings);
  cohort_template_dispose (GTK_WIDGET (self), COHORT_TYPE_VOICE_PANEL);

  G_OBJECT_CLASS (cohort_voice_panel_parent_class)->dispose (object);
}

static void
cohort_voice_panel_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CohortVoicePanel *self = COHORT_VOICE_PANEL (object);

  switch (prop_id)
    {
    case PROP_GROUP_ID:
      g_value_set_int64 (value, self->group_id);
      break;
    case PROP_MUTED:
      g_value_set_boolean (value, self->room != NULL && cohort_voice_room_get_muted (self->room));
      break;
    case PROP_ROOM:
      g_value_set_object (value, self->room);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_voice_panel_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CohortVoicePanel *self = COHORT_VOICE_PANEL (object);

  switch (prop_id)
    {
    case PROP_GROUP_ID:
      set_group_id (self, g_value_get_int64 (value));
      break;
    case PROP_MUTED:
      if (self->room != NULL)
        cohort_voice_room_set_muted (self->room, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_voice_panel_class_init (CohortVoicePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_voice_panel_dispose;
  object_class->get_property = cohort_voice_panel_get_property;
  object_class->set_property = cohort_voice_panel_set_property;
  widget_class->root = cohort_voice_panel_root;
  widget_class->unroot = cohort_voice_panel_unroot;

  properties[PROP_GROUP_ID] =
    g_param_spec_int64 ("group-id", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROOM] =
    g_param_spec_object ("room", NULL, NULL, COHORT_TYPE_VOICE_ROOM,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-voice-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortVoicePanel, prefs_group);
  gtk_widget_class_bind_template_child (widget_class, CohortVoicePanel, join_button);
  gtk_widget_class_bind_template_child (widget_class, CohortVoicePanel, leave_button);
  gtk_widget_class_bind_template_child (widget_class, CohortVoicePanel, mute_button);
  gtk_widget_class_bind_template_child (widget_class, CohortVoicePanel, member_list);
  gtk_widget_class_bind_template_child (widget_class, CohortVoicePanel, breakout_box);
  gtk_widget_class_bind_template_child (widget_class, CohortVoicePanel, breakout_button);
  gtk_widget_class_bind_template_child (widget_class, CohortVoicePanel, call_back_button);
  gtk_widget_class_bind_template_child (widget_class, CohortVoicePanel, rooms_group);
  gtk_widget_class_bind_template_child (widget_class, CohortVoicePanel, rooms_list);

  gtk_widget_class_install_action (widget_class, "voice.join", NULL, join_action);
  gtk_widget_class_install_action (widget_class, "voice.leave", NULL, leave_action);
  gtk_widget_class_install_action (widget_class, "voice.drop-in", "x", drop_in_action);
  gtk_widget_class_install_property_action (widget_class, "voice.mute", "muted");
  gtk_widget_class_install_action (widget_class, "voice.breakout", NULL, breakout_action);
  gtk_widget_class_install_action (widget_class, "voice.breakout-end", NULL, breakout_end_action);
  gtk_widget_class_set_css_name (widget_class, "voicepanel");
}

static void
cohort_voice_panel_init (CohortVoicePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->settings = g_settings_new ("org.cohortclass.Cohort");
  g_signal_connect_object (self->settings, "changed::voice-push-to-talk", G_CALLBACK (update_controls),
                           self, G_CONNECT_SWAPPED);
  update_controls (self);
}

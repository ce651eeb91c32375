/* cohort-stage.c: the class's live video (tiles, picture-in-picture, controls)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-stage"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-class-window.h"
#include "cohort-link-overlay.h"
#include "cohort-media-devices.h"
#include "cohort-media-preferences.h"
#include "cohort-media-protocol.h"
#include "cohort-protocol.h"
#include "cohort-screen-cast.h"
#include "cohort-toast.h"
#include "cohort-stage.h"
#include "cohort-video-tile.h"

struct _CohortStage
{
  GtkWidget             parent_instance;

  /* Template children */
  GtkStack             *stack;
  AdwToastOverlay      *toast_overlay;    /* the class window's toasts show here too */
  AdwBin               *placeholder_bin;
  GtkAspectFrame       *main_frame;
  CohortVideoTile      *main_tile;
  CohortVideoTile      *pip_tile;
  GtkWidget            *strip_scroller;
  GtkBox               *strip;
  GtkWidget            *controls;
  GtkToggleButton      *mic_button;
  GtkToggleButton      *camera_button;
  GtkToggleButton      *screen_button;
  GtkWidget            *leave_stage_button;
  GtkWidget            *mute_all_button;
  GtkRevealer          *weak_revealer;
  GtkLabel             *weak_label;
  GtkToggleButton      *audio_only_button;
  GtkWidget            *link_overlay;

  CohortClassroom      *classroom;
  CohortMediaDevices   *devices;
  CohortScreenCast     *screen_cast;
  GCancellable         *cancellable;
  GSimpleActionGroup   *actions;
  GHashTable           *paintables;       /* gint64 *feed_id → CohortVideoPaintable */
  CohortVideoPaintable *previews[2];      /* own camera, own screen */
  AdwMessageDialog     *invitation;
  guint                 relayout_source;

  gboolean              syncing;
};

G_DEFINE_FINAL_TYPE (CohortStage, cohort_stage, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PLACEHOLDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum { PREVIEW_CAMERA, PREVIEW_SCREEN };

static void relayout       (CohortStage *self);
static void sync_controls  (CohortStage *self);

/* Helpers */

static void
toast (CohortStage *self,
       const char  *message)
{
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (self), COHORT_TYPE_CLASS_WINDOW);
  AdwToast *t;

  /* In the class window, the toast takes its turn with the class's others. */
  if (window != NULL)
    {
      cohort_class_window_add_toast (COHORT_CLASS_WINDOW (window), message);
      return;
    }
  t = cohort_toast_new (message);
  adw_toast_set_timeout (t, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static gboolean
is_teacher (CohortStage *self)
{
  return self->classroom != NULL && cohort_classroom_get_is_teacher (self->classroom);
}

static CohortParticipant *
participant (CohortStage *self,
             gint64       id)
{
  return cohort_roster_lookup (cohort_session_get_roster (cohort_classroom_get_session (self->classroom)), id);
}

static gint64
teacher_id (CohortStage *self)
{
  return cohort_classroom_get_teacher_id (self->classroom);
}

static CohortVideoPaintable *
paintable_for_feed (CohortStage *self,
                    CohortFeed  *feed)
{
  gint64 feed_id = cohort_feed_get_feed_id (feed);
  CohortVideoPaintable *paintable;

  if (cohort_feed_get_local (feed))
    return self->previews[cohort_feed_is_screen (feed) ? PREVIEW_SCREEN : PREVIEW_CAMERA];

  paintable = g_hash_table_lookup (self->paintables, &feed_id);
  if (paintable == NULL)
    {
      paintable = cohort_video_paintable_new ();
      /* Display path (#17): a shared screen's text stays sharp when scaled. */
      cohort_video_paintable_set_sharp (paintable, cohort_feed_is_screen (feed));
      g_signal_connect_object (paintable, "notify::has-frame", G_CALLBACK (relayout), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (paintable, "invalidate-size", G_CALLBACK (relayout), self,
                               G_CONNECT_SWAPPED);
      g_hash_table_insert (self->paintables, g_memdup2 (&feed_id, sizeof feed_id), paintable);
    }
  return paintable;
}

/* The call's request signals: real devices. Tests connect their own
 * handlers, which run first (these are connected "after"). */

static GstElement *
on_create_source (CohortCall  *call,
                  const char  *what,
                  CohortStage *self)
{
  if (g_str_equal (what, "camera"))
    return cohort_classroom_get_camera_wanted (self->classroom) ? cohort_media_devices_create_camera (self->devices)
                                                                : NULL;
  if (g_str_equal (what, "microphone"))
    return cohort_classroom_get_microphone_wanted (self->classroom)
           ? cohort_media_devices_create_microphone (self->devices)
           : NULL;
  if (g_str_equal (what, "screen"))
    return cohort_screen_cast_create_source (self->screen_cast);
  return NULL;
}

static GstElement *
on_create_video_sink (CohortCall  *call,
                      CohortFeed  *feed,
                      CohortStage *self)
{
  return cohort_video_paintable_create_sink (paintable_for_feed (self, feed));
}

static GstElement *
on_create_audio_sink (CohortCall  *call,
                      CohortFeed  *feed,
                      CohortStage *self)
{
  return cohort_media_devices_create_speaker (self->devices);
}

static GstElement *
on_create_preview_sink (CohortCall  *call,
                        const char  *kind,
                        CohortStage *self)
{
  return cohort_video_paintable_create_sink (self->previews[g_strcmp0 (kind, "screen") == 0 ? PREVIEW_SCREEN
                                                                                           : PREVIEW_CAMERA]);
}

/* Layout */

static char *
feed_title (CohortStage *self,
            CohortFeed  *feed)
{
  CohortParticipant *p = participant (self, cohort_feed_get_participant_id (feed));
  const char *name = p != NULL ? cohort_participant_get_name (p) : _("Someone");

  if (cohort_feed_get_local (feed))
    return g_strdup (cohort_feed_is_screen (feed) ? _("Your Screen") : _("You"));
  if (cohort_feed_is_screen (feed))
    /* Translators: a shared screen; %s is a person's name. */
    return g_strdup_printf (_("%s’s Screen"), name);
  return g_strdup (name);
}

static void
configure_tile (CohortStage     *self,
                CohortVideoTile *tile,
                CohortFeed      *feed)
{
  g_autofree char *title = feed_title (self, feed);
  CohortVideoPaintable *paintable = paintable_for_feed (self, feed);
  gboolean video_off = !cohort_feed_get_has_video (feed) || cohort_feed_get_video_muted (feed);
  gint64 pid = cohort_feed_get_participant_id (feed);
  const char *status = NULL;

  if (video_off)
    status = cohort_feed_get_has_video (feed) ? _("Camera off") : _("No camera");
  else if (paintable == NULL || !cohort_video_paintable_get_has_frame (paintable))
    status = _("Connecting…");

  cohort_video_tile_set_paintable (tile, GDK_PAINTABLE (paintable));
  cohort_video_tile_set_name (tile, title);
  cohort_video_tile_set_audio_muted (tile, cohort_feed_get_has_audio (feed) ? cohort_feed_get_audio_muted (feed)
                                                                           : !cohort_feed_is_screen (feed));
  cohort_video_tile_set_video_off (tile, video_off);
  cohort_video_tile_set_status (tile, status);
  cohort_video_tile_set_link_quality (tile, cohort_feed_get_link_quality (feed));

  /* The teacher takes students off the stage from their tile. */
  if (is_teacher (self) && pid != teacher_id (self) && !cohort_feed_is_screen (feed))
    {
      CohortParticipant *p = participant (self, pid);
      /* Translators: %s is a student's name. */
      g_autofree char *tooltip = g_strdup_printf (_("Remove %s from the Stage"),
                                                  p != NULL ? cohort_participant_get_name (p) : "");

      cohort_video_tile_set_action (tile, "window-close-symbolic", tooltip, "stage.remove",
                                    g_variant_new_int64 (pid));
    }
  else
    cohort_video_tile_set_action (tile, NULL, NULL, NULL, NULL);
}

static gboolean
relayout_cb (gpointer user_data)
{
  CohortStage *self = user_data;
  GListModel *feeds;
  g_autoptr(GPtrArray) rest = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(CohortFeed) teacher_screen = NULL;
  g_autoptr(CohortFeed) teacher_camera = NULL;
  CohortFeed *main_feed = NULL;
  CohortFeed *pip_feed = NULL;
  GtkWidget *child;
  gint64 tid;
  guint n;

  self->relayout_source = 0;
  if (self->classroom == NULL)
    return G_SOURCE_REMOVE;

  feeds = cohort_classroom_get_feeds (self->classroom);
  tid = teacher_id (self);
  n = g_list_model_get_n_items (feeds);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);

      if (cohort_feed_get_participant_id (feed) == tid && cohort_feed_is_screen (feed) && teacher_screen == NULL)
        teacher_screen = g_object_ref (feed);
      else if (cohort_feed_get_participant_id (feed) == tid && !cohort_feed_is_screen (feed) &&
               teacher_camera == NULL)
        teacher_camera = g_object_ref (feed);
      else
        g_ptr_array_add (rest, g_steal_pointer (&feed));
    }

  /* Students: the teacher large, or the shared screen large with the
   * teacher's camera as a picture-in-picture. Without the teacher, the
   * first student on stage. */
  if (teacher_screen != NULL)
    {
      main_feed = teacher_screen;
      pip_feed = teacher_camera;
    }
  else if (teacher_camera != NULL)
    main_feed = teacher_camera;
  else if (rest->len > 0)
    main_feed = g_ptr_array_index (rest, 0);

  gtk_stack_set_visible_child_name (self->stack, main_feed != NULL ? "live" : "empty");

  if (main_feed != NULL)
    {
      GdkPaintable *paintable;
      double ratio;

      configure_tile (self, self->main_tile, main_feed);
      /* The tile takes the picture's shape: no bars around the video,
       * and the name and the picture-in-picture sit on it. */
      paintable = cohort_video_tile_get_paintable (self->main_tile);
      ratio = paintable != NULL ? gdk_paintable_get_intrinsic_aspect_ratio (paintable) : 0;
      gtk_aspect_frame_set_ratio (self->main_frame, ratio > 0 ? ratio : 16.0 / 9.0);
    }
  else
    cohort_video_tile_set_paintable (self->main_tile, NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->pip_tile), pip_feed != NULL);
  if (pip_feed != NULL)
    configure_tile (self, self->pip_tile, pip_feed);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->strip))) != NULL)
    gtk_box_remove (self->strip, child);
  for (guint i = 0; i < rest->len; i++)
    {
      CohortFeed *feed = g_ptr_array_index (rest, i);
      GtkWidget *tile;

      if (feed == main_feed)
        continue;
      tile = cohort_video_tile_new ();
      cohort_video_tile_set_compact (COHORT_VIDEO_TILE (tile), TRUE);
      gtk_widget_set_size_request (tile, 208, 117);
      configure_tile (self, COHORT_VIDEO_TILE (tile), feed);
      gtk_box_append (self->strip, tile);
    }
  gtk_widget_set_visible (self->strip_scroller, gtk_widget_get_first_child (GTK_WIDGET (self->strip)) != NULL);

  return G_SOURCE_REMOVE;
}

static void
relayout (CohortStage *self)
{
  if (self->relayout_source == 0)
    self->relayout_source = g_idle_add_full (G_PRIORITY_HIGH_IDLE, relayout_cb, self, NULL);
}

static void
on_feeds_changed (GListModel  *feeds,
                  guint        position,
                  guint        removed,
                  guint        added,
                  CohortStage *self)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(CohortFeed) feed = g_list_model_get_item (feeds, i);

      g_signal_connect_object (feed, "notify", G_CALLBACK (relayout), self, G_CONNECT_SWAPPED);
    }

  /* Forget the pictures of feeds that ended. */
  if (removed > 0)
    {
      GHashTableIter iter;
      gint64 *feed_id;

      g_hash_table_iter_init (&iter, self->paintables);
      while (g_hash_table_iter_next (&iter, (gpointer *) &feed_id, NULL))
        if (cohort_call_lookup_feed (cohort_classroom_get_call (self->classroom), *feed_id) == NULL)
          g_hash_table_iter_remove (&iter);
    }

  relayout (self);
}

/* Controls */

static void
set_toggle (CohortStage     *self,
            GtkToggleButton *button,
            gboolean         active,
            const char      *icon_on,
            const char      *icon_off,
            const char      *tooltip_on,
            const char      *tooltip_off)
{
  self->syncing = TRUE;
  gtk_toggle_button_set_active (button, active);
  self->syncing = FALSE;
  gtk_button_set_icon_name (GTK_BUTTON (button), active ? icon_on : icon_off);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), active ? tooltip_on : tooltip_off);
}

static void
sync_controls (CohortStage *self)
{
  CohortClassroom *room = self->classroom;
  gboolean teacher = is_teacher (self);
  gboolean can_publish = room != NULL && cohort_classroom_get_can_publish (room);
  gboolean publishing = room != NULL && cohort_classroom_get_publishing (room);
  gboolean screen_on = room != NULL && cohort_classroom_get_screen_on (room);
  CohortParticipant *me = room != NULL ? cohort_session_get_self (cohort_classroom_get_session (room)) : NULL;
  gboolean kept = !teacher && me != NULL && cohort_participant_get_kept_muted (me);

  gtk_widget_set_visible (self->controls, can_publish);
  gtk_widget_set_visible (self->leave_stage_button, !teacher && room != NULL &&
                          cohort_classroom_get_on_stage (room));
  gtk_widget_set_visible (self->mute_all_button, teacher);

  set_toggle (self, self->mic_button, publishing && cohort_classroom_get_microphone_wanted (room),
              "microphone-sensitivity-high-symbolic", "microphone-disabled-symbolic",
              _("Turn Microphone Off"),
              kept ? _("The teacher keeps your microphone muted") : _("Turn Microphone On"));
  /* Kept muted (also as the welcome of a rejoin says): the button that
   * cannot turn the microphone on is off, and its tooltip says why. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->mic_button),
                            !kept || gtk_toggle_button_get_active (self->mic_button));
  set_toggle (self, self->camera_button, publishing && cohort_classroom_get_camera_wanted (room),
              "camera-video-symbolic", "camera-disabled-symbolic",
              _("Turn Camera Off"), _("Turn Camera On"));
  set_toggle (self, self->screen_button, screen_on,
              "screen-shared-symbolic", "video-display-symbolic",
              _("Stop Sharing the Screen"), _("Share Screen"));
}

/* Kept muted or let unmute: the roster applied the event (or the welcome)
 * before the session emits it. */
static void
on_session_event (CohortSession *session,
                  const char    *name,
                  JsonObject    *body,
                  gint64         seq,
                  CohortStage   *self)
{
  if (g_str_equal (name, COHORT_EV_MEDIA_MUTED_BY_TEACHER) ||
      g_str_equal (name, COHORT_EV_MEDIA_UNMUTE_ALLOWED))
    sync_controls (self);
}

static void
on_mic_toggled (CohortStage *self)
{
  if (self->syncing)
    return;

  if (self->classroom != NULL)
    cohort_classroom_set_publishing (self->classroom, cohort_classroom_get_camera_wanted (self->classroom),
                                     gtk_toggle_button_get_active (self->mic_button));
  sync_controls (self);
}

static void
on_camera_toggled (CohortStage *self)
{
  if (self->syncing)
    return;

  if (self->classroom != NULL)
    cohort_classroom_set_publishing (self->classroom, gtk_toggle_button_get_active (self->camera_button),
                                     cohort_classroom_get_microphone_wanted (self->classroom));
  sync_controls (self);
}

static void
screen_started_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(CohortStage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cohort_screen_cast_start_finish (COHORT_SCREEN_CAST (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      sync_controls (self);
      return;
    }

  if (self->classroom != NULL)
    cohort_classroom_set_screen_on (self->classroom, TRUE);
  sync_controls (self);
}

static void
on_screen_toggled (CohortStage *self)
{
  GtkRoot *root;

  if (self->syncing || self->classroom == NULL)
    return;

  if (!gtk_toggle_button_get_active (self->screen_button))
    {
      cohort_classroom_set_screen_on (self->classroom, FALSE);
      cohort_screen_cast_stop (self->screen_cast);
      sync_controls (self);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  cohort_screen_cast_start_async (self->screen_cast, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                  self->cancellable, screen_started_cb, g_object_ref (self));
}

gboolean
cohort_stage_share_screen (CohortStage *self)
{
  g_return_val_if_fail (COHORT_IS_STAGE (self), FALSE);

  if (self->classroom == NULL || !gtk_widget_is_visible (GTK_WIDGET (self->screen_button)) ||
      !gtk_widget_is_sensitive (GTK_WIDGET (self->screen_button)) ||
      gtk_toggle_button_get_active (self->screen_button))
    return FALSE;
  /* The toggled handler starts the portal session. */
  gtk_toggle_button_set_active (self->screen_button, TRUE);
  return TRUE;
}

/* Stage: invitations */

typedef struct
{
  CohortStage *self;
  GtkWidget   *camera_switch;
  GtkWidget   *mic_switch;
} Invitation;

static void
on_invitation_response (AdwMessageDialog *dialog,
                        const char       *response,
                        Invitation       *inv)
{
  CohortStage *self = inv->self;

  if (self->classroom == NULL)
    return;
  if (g_strcmp0 (response, "accept") == 0)
    cohort_classroom_accept_invitation (self->classroom, gtk_switch_get_active (GTK_SWITCH (inv->camera_switch)),
                                        gtk_switch_get_active (GTK_SWITCH (inv->mic_switch)));
  else
    cohort_classroom_decline_invitation (self->classroom);
}

static GtkWidget *
switch_row (AdwPreferencesGroup *group,
            const char          *icon_name,
            const char          *title,
            const char          *subtitle,
            gboolean             available)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), icon_name);
  if (!available)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  gtk_switch_set_active (GTK_SWITCH (sw), available);
  gtk_widget_set_sensitive (row, available);
  gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  adw_preferences_group_add (group, row);
  return sw;
}

static void
show_invitation (CohortStage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwPreferencesGroup *group;
  Invitation *inv;
  CohortParticipant *teacher = participant (self, teacher_id (self));
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  if (self->invitation != NULL)
    return;

  /* Translators: %s is the teacher's name. */
  body = g_strdup_printf (_("%s invites you to the stage. Everyone in the class will see and hear you."),
                          teacher != NULL ? cohort_participant_get_name (teacher) : _("The teacher"));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Join the Stage?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "decline", _("_Not Now"),
                                    "accept", _("_Join Stage"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "accept", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "accept");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "decline");

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  inv = g_new0 (Invitation, 1);
  inv->self = self;
  inv->camera_switch = switch_row (group, "camera-video-symbolic", _("Camera"), _("No camera found"),
                                   cohort_media_devices_has_camera (self->devices));
  inv->mic_switch = switch_row (group, "audio-input-microphone-symbolic", _("Microphone"),
                                _("No microphone found"), cohort_media_devices_has_microphone (self->devices));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), GTK_WIDGET (group));

  g_signal_connect_data (dialog, "response", G_CALLBACK (on_invitation_response), inv,
                         (GClosureNotify) (void (*) (void)) g_free, 0);
  self->invitation = ADW_MESSAGE_DIALOG (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->invitation);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_stage_changed (CohortStage *self)
{
  if (self->classroom == NULL)
    return;

  if (cohort_classroom_get_invited (self->classroom) && !is_teacher (self))
    show_invitation (self);
  else if (!cohort_classroom_get_invited (self->classroom) && self->invitation != NULL)
    gtk_window_destroy (GTK_WINDOW (self->invitation));

  sync_controls (self);
  relayout (self);
}

static void
on_media_error (CohortClassroom *classroom,
                const char      *message,
                CohortStage     *self)
{
  toast (self, message);
  sync_controls (self);
}

/* The screen share ended (here, from the presenter window, or in the
 * call): the portal's stream goes too. */
static void
on_screen_on_changed (CohortStage *self)
{
  if (!cohort_classroom_get_screen_on (self->classroom))
    cohort_screen_cast_stop (self->screen_cast);
  sync_controls (self);
}

/* Actions */

static void
invite_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  CohortStage *self = user_data;

  if (self->classroom != NULL)
    cohort_classroom_invite (self->classroom, g_variant_get_int64 (parameter));
}

static void
remove_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  CohortStage *self = user_data;

  if (self->classroom != NULL)
    cohort_classroom_remove (self->classroom, g_variant_get_int64 (parameter));
}

static void
leave_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  CohortStage *self = user_data;

  if (self->classroom != NULL)
    cohort_classroom_leave_stage (self->classroom);
}

static void
muted_all_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CohortStage) self = user_data;
  g_autoptr(GError) error = NULL;
  gint64 muted = cohort_classroom_mute_all_finish (COHORT_CLASSROOM (source), result, &error);
  g_autofree char *message = NULL;

  if (muted < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  message = muted == 0 ? g_strdup (_("No student has a microphone on"))
                       : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Muted %d student",
                                                       "Muted %d students", muted),
                                          (int) muted);
  toast (self, message);
}

/* No confirmation: students can turn their microphones on again. */
static void
mute_all_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  CohortStage *self = user_data;

  if (self->classroom != NULL)
    cohort_classroom_mute_all_async (self->classroom, FALSE, self->cancellable, muted_all_cb,
                                     g_object_ref (self));
}

static void
on_muted_by_teacher (CohortClassroom *classroom,
                     gboolean         keep_muted,
                     CohortStage     *self)
{
  toast (self, keep_muted ? _("The teacher keeps you muted")
                          : _("The teacher muted you"));
}

static void
on_unmute_allowed (CohortClassroom *classroom,
                   CohortStage     *self)
{
  toast (self, _("The teacher lets you unmute"));
}

/* One student: the roster row's menu. The toast names them, so that a
 * teacher who picked the wrong row sees it at once. */

typedef struct
{
  CohortStage *stage;
  char        *name;
  gboolean     keep_muted;
} StudentOp;

static void
student_op_free (StudentOp *op)
{
  g_object_unref (op->stage);
  g_free (op->name);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StudentOp, student_op_free)

static StudentOp *
student_op_new (CohortStage *self,
                gint64       id,
                gboolean     keep_muted)
{
  StudentOp *op = g_new0 (StudentOp, 1);
  CohortParticipant *p = participant (self, id);

  op->stage = g_object_ref (self);
  op->name = g_strdup (p != NULL ? cohort_participant_get_name (p) : "");
  op->keep_muted = keep_muted;
  return op;
}

static void
muted_student_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(StudentOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 muted = cohort_classroom_mute_student_finish (COHORT_CLASSROOM (source), result, &error);

  if (muted < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (op->stage, error->message);
      return;
    }

  if (op->keep_muted)
    /* Translators: %s is a student's name. */
    message = g_strdup_printf (_("%s is kept muted"), op->name);
  else if (muted == 0)
    /* Translators: %s is a student's name. */
    message = g_strdup_printf (_("%s has no microphone on"), op->name);
  else
    /* Translators: %s is a student's name. */
    message = g_strdup_printf (_("Muted %s"), op->name);
  toast (op->stage, message);
}

static void
mute_student (CohortStage *self,
              gint64       id,
              gboolean     keep_muted)
{
  if (self->classroom != NULL && id > 0)
    cohort_classroom_mute_student_async (self->classroom, id, keep_muted, self->cancellable,
                                         muted_student_cb, student_op_new (self, id, keep_muted));
}

static void
mute_student_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  mute_student (user_data, g_variant_get_int64 (parameter), FALSE);
}

static void
keep_muted_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  mute_student (user_data, g_variant_get_int64 (parameter), TRUE);
}

static void
allowed_unmute_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(StudentOp) op = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  gint64 released = cohort_classroom_allow_unmute_finish (COHORT_CLASSROOM (source), result, &error);

  if (released < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (op->stage, error->message);
      return;
    }

  if (op->name[0] != '\0')
    /* Translators: %s is a student's name. */
    message = g_strdup_printf (_("%s may unmute now"), op->name);
  else if (released == 0)
    message = g_strdup (_("Nobody is kept muted"));
  else
    message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                            "%d student may unmute now",
                                            "%d students may unmute now",
                                            released),
                               (int) released);
  toast (op->stage, message);
}

/* The student's id, or 0 for every student the teacher keeps muted. */
static void
allow_unmute_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  CohortStage *self = user_data;
  gint64 id = g_variant_get_int64 (parameter);

  if (self->classroom != NULL)
    cohort_classroom_allow_unmute_async (self->classroom, id, self->cancellable, allowed_unmute_cb,
                                         student_op_new (self, id, FALSE));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  CohortStage *self = user_data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window = cohort_media_preferences_new ();

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

/* Debugging a weak link: the link estimators' steps over the stage. */
static void
link_overlay_change_state (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  CohortStage *self = user_data;

  g_simple_action_set_state (action, state);
  gtk_widget_set_visible (self->link_overlay, g_variant_get_boolean (state));
}

static const GActionEntry stage_actions[] = {
  { "invite", invite_action, "x" },
  { "remove", remove_action, "x" },
  { "leave", leave_action },
  { "mute-all", mute_all_action },
  { "mute-student", mute_student_action, "x" },
  { "keep-muted", keep_muted_action, "x" },
  { "allow-unmute", allow_unmute_action, "x" },
  { "preferences", preferences_action },
  { "link-overlay", NULL, NULL, "false", link_overlay_change_state },
};

static void
on_preset_changed (GSettings   *settings,
                   const char  *key,
                   CohortStage *self)
{
  g_autofree char *quality = g_settings_get_string (settings, "video-quality");
  CohortVideoPreset preset = COHORT_VIDEO_PRESET_720P;

  if (g_str_equal (quality, "360p"))
    preset = COHORT_VIDEO_PRESET_360P;
  else if (g_str_equal (quality, "1080p"))
    preset = COHORT_VIDEO_PRESET_1080P;
  if (self->classroom != NULL)
    cohort_classroom_set_preset (self->classroom, preset);
}

/* Widget */

static void
cohort_stage_root (GtkWidget *widget)
{
  CohortStage *self = COHORT_STAGE (widget);

  GTK_WIDGET_CLASS (cohort_stage_parent_class)->root (widget);

  /* Rows elsewhere in the window (the raised hands) invite to the stage. */
  gtk_widget_insert_action_group (GTK_WIDGET (gtk_widget_get_root (widget)), "stage",
                                  G_ACTION_GROUP (self->actions));
}

static void
cohort_stage_unroot (GtkWidget *widget)
{
  gtk_widget_insert_action_group (GTK_WIDGET (gtk_widget_get_root (widget)), "stage", NULL);

  GTK_WIDGET_CLASS (cohort_stage_parent_class)->unroot (widget);
}

void
cohort_stage_shutdown (CohortStage *self)
{
  g_return_if_fail (COHORT_IS_STAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->relayout_source, g_source_remove);
  if (self->invitation != NULL)
    gtk_window_destroy (GTK_WINDOW (self->invitation));
  if (self->classroom != NULL)
    {
      CohortCall *call = cohort_classroom_get_call (self->classroom);

      g_signal_handlers_disconnect_by_data (self->classroom, self);
      g_signal_handlers_disconnect_by_data (call, self);
      g_signal_handlers_disconnect_by_data (cohort_call_get_feeds (call), self);
      g_signal_handlers_disconnect_by_data (cohort_session_get_roster (cohort_classroom_get_session (self->classroom)),
                                            self);
    }
  if (self->screen_cast != NULL)
    cohort_screen_cast_stop (self->screen_cast);
  if (self->link_overlay != NULL)
    cohort_link_overlay_set_call (COHORT_LINK_OVERLAY (self->link_overlay), NULL);
  g_clear_object (&self->classroom);
}

static void
cohort_stage_dispose (GObject *object)
{
  CohortStage *self = COHORT_STAGE (object);

  cohort_stage_shutdown (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_STAGE);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  g_clear_object (&self->screen_cast);
  g_clear_object (&self->devices);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->paintables, g_hash_table_unref);
  g_clear_object (&self->previews[PREVIEW_CAMERA]);
  g_clear_object (&self->previews[PREVIEW_SCREEN]);

  G_OBJECT_CLASS (cohort_stage_parent_class)->dispose (object);
}

static void
cohort_stage_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CohortStage *self = COHORT_STAGE (object);

  switch (prop_id)
    {
    case PROP_PLACEHOLDER:
      g_value_set_object (value, adw_bin_get_child (self->placeholder_bin));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_stage_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  CohortStage *self = COHORT_STAGE (object);

  switch (prop_id)
    {
    case PROP_PLACEHOLDER:
      cohort_stage_set_placeholder (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* Sound before picture: a student on a weak link is told, and may pause
 * every video. The teacher's own link is the teacher's business. */
static void
sync_weak_link (CohortStage *self)
{
  CohortCall *call;
  gboolean audio_only;
  gboolean weak;

  if (self->classroom == NULL)
    return;

  call = cohort_classroom_get_call (self->classroom);
  audio_only = cohort_call_get_audio_only (call);
  weak = cohort_call_get_link_quality (call) == COHORT_LINK_QUALITY_POOR;
  /* Hidden, not only folded: a folded revealer still asks for its
   * child's width, which would narrow the side panel's room. */
  if (!is_teacher (self) && (weak || audio_only))
    gtk_widget_set_visible (GTK_WIDGET (self->weak_revealer), TRUE);
  gtk_revealer_set_reveal_child (self->weak_revealer, !is_teacher (self) && (weak || audio_only));
  gtk_label_set_label (self->weak_label,
                       audio_only ? _("Audio only: the video is paused. Turn it off to see the class again.")
                                  : _("Your connection is weak. The video is lowered so that you keep hearing the class."));
  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->audio_only_button, audio_only);
  self->syncing = FALSE;
}

static void
on_weak_revealed (CohortStage *self)
{
  if (!gtk_revealer_get_reveal_child (self->weak_revealer) &&
      !gtk_revealer_get_child_revealed (self->weak_revealer))
    gtk_widget_set_visible (GTK_WIDGET (self->weak_revealer), FALSE);
}

static void
on_audio_only_toggled (CohortStage *self)
{
  if (self->syncing || self->classroom == NULL)
    return;

  cohort_call_set_audio_only (cohort_classroom_get_call (self->classroom),
                              gtk_toggle_button_get_active (self->audio_only_button));
}

static void
cohort_stage_class_init (CohortStageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_stage_dispose;
  object_class->get_property = cohort_stage_get_property;
  object_class->set_property = cohort_stage_set_property;

  /* Shown while nobody shares video (the class window's status page). */
  properties[PROP_PLACEHOLDER] =
    g_param_spec_object ("placeholder", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  widget_class->root = cohort_stage_root;
  widget_class->unroot = cohort_stage_unroot;

  g_type_ensure (COHORT_TYPE_VIDEO_TILE);
  g_type_ensure (COHORT_TYPE_LINK_OVERLAY);
  /* The call engine and the device monitor need GStreamer; safe to call
   * again where the application already did. */
  gst_init (NULL, NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-stage.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortStage, stack);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, placeholder_bin);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, main_frame);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, main_tile);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, pip_tile);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, strip_scroller);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, strip);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, controls);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, mic_button);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, camera_button);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, screen_button);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, leave_stage_button);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, mute_all_button);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, weak_revealer);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, weak_label);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, audio_only_button);
  gtk_widget_class_bind_template_child (widget_class, CohortStage, link_overlay);
  gtk_widget_class_bind_template_callback (widget_class, on_audio_only_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_mic_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_camera_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_screen_toggled);
  gtk_widget_class_set_css_name (widget_class, "stage");
}

static void
cohort_stage_init (CohortStage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->devices = g_object_ref (cohort_media_devices_get_default ());
  self->screen_cast = cohort_screen_cast_new ();
  self->paintables = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->previews[PREVIEW_CAMERA] = cohort_video_paintable_new ();
  self->previews[PREVIEW_SCREEN] = cohort_video_paintable_new ();
  cohort_video_paintable_set_sharp (self->previews[PREVIEW_SCREEN], TRUE);
  g_signal_connect_object (self->previews[PREVIEW_CAMERA], "notify::has-frame", G_CALLBACK (relayout), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->previews[PREVIEW_SCREEN], "notify::has-frame", G_CALLBACK (relayout), self,
                           G_CONNECT_SWAPPED);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), stage_actions,
                                   G_N_ELEMENTS (stage_actions), self);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "stage", G_ACTION_GROUP (self->actions));
}

void
cohort_stage_set_classroom (CohortStage     *self,
                            CohortClassroom *classroom)
{
  g_autoptr(GSettings) settings = NULL;
  CohortCall *call;

  g_return_if_fail (COHORT_IS_STAGE (self));
  g_return_if_fail (COHORT_IS_CLASSROOM (classroom));
  g_return_if_fail (self->classroom == NULL);

  self->classroom = g_object_ref (classroom);
  call = cohort_classroom_get_call (classroom);
  cohort_link_overlay_set_call (COHORT_LINK_OVERLAY (self->link_overlay), call);

  /* Real devices and pictures; the classroom has none. */
  g_signal_connect_object (call, "create-source", G_CALLBACK (on_create_source), self, G_CONNECT_AFTER);
  g_signal_connect_object (call, "create-video-sink", G_CALLBACK (on_create_video_sink), self, G_CONNECT_AFTER);
  g_signal_connect_object (call, "create-audio-sink", G_CALLBACK (on_create_audio_sink), self, G_CONNECT_AFTER);
  g_signal_connect_object (call, "create-preview-sink", G_CALLBACK (on_create_preview_sink), self,
                           G_CONNECT_AFTER);

  g_signal_connect_object (classroom, "stage-changed", G_CALLBACK (on_stage_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (classroom, "media-error", G_CALLBACK (on_media_error), self, 0);
  g_signal_connect_object (classroom, "muted-by-teacher", G_CALLBACK (on_muted_by_teacher), self, 0);
  g_signal_connect_object (classroom, "unmute-allowed", G_CALLBACK (on_unmute_allowed), self, 0);
  g_signal_connect_object (call, "notify::link-quality", G_CALLBACK (sync_weak_link), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (call, "notify::audio-only", G_CALLBACK (sync_weak_link), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->weak_revealer, "notify::child-revealed", G_CALLBACK (on_weak_revealed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (classroom, "notify::publishing", G_CALLBACK (sync_controls), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (classroom, "notify::camera-wanted", G_CALLBACK (sync_controls), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (classroom, "notify::microphone-wanted", G_CALLBACK (sync_controls), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (classroom, "notify::screen-on", G_CALLBACK (on_screen_on_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (cohort_classroom_get_session (classroom), "event-received",
                           G_CALLBACK (on_session_event), self, 0);
  g_signal_connect_object (cohort_classroom_get_session (classroom), "welcome",
                           G_CALLBACK (sync_controls), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (classroom, "first-frame", G_CALLBACK (relayout), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cohort_classroom_get_feeds (classroom), "items-changed", G_CALLBACK (on_feeds_changed),
                           self, 0);
  g_signal_connect_object (cohort_session_get_roster (cohort_classroom_get_session (classroom)), "items-changed",
                           G_CALLBACK (relayout), self, G_CONNECT_SWAPPED);

  /* Quality preset from Preferences; the teacher's default is 720p. */
  settings = g_settings_new ("org.cohortclass.Cohort");
  g_signal_connect_object (settings, "changed::video-quality", G_CALLBACK (on_preset_changed), self, 0);
  g_object_set_data_full (G_OBJECT (self), "cohort-settings", g_object_ref (settings), g_object_unref);
  on_preset_changed (settings, "video-quality", self);

  on_feeds_changed (cohort_classroom_get_feeds (classroom), 0, 0,
                    g_list_model_get_n_items (cohort_classroom_get_feeds (classroom)), self);
  on_stage_changed (self);
}

CohortClassroom *
cohort_stage_get_classroom (CohortStage *self)
{
  g_return_val_if_fail (COHORT_IS_STAGE (self), NULL);

  return self->classroom;
}

void
cohort_stage_set_placeholder (CohortStage *self,
                              GtkWidget   *placeholder)
{
  g_return_if_fail (COHORT_IS_STAGE (self));

  adw_bin_set_child (self->placeholder_bin, placeholder);
}

GtkWidget *
cohort_stage_get_weak_link_bar (CohortStage *self)
{
  g_return_val_if_fail (COHORT_IS_STAGE (self), NULL);

  return GTK_WIDGET (self->weak_revealer);
}

GtkWidget *
cohort_stage_get_link_overlay (CohortStage *self)
{
  g_return_val_if_fail (COHORT_IS_STAGE (self), NULL);

  return self->link_overlay;
}

GtkWidget *
cohort_stage_get_main_tile (CohortStage *self)
{
  g_return_val_if_fail (COHORT_IS_STAGE (self), NULL);

  return GTK_WIDGET (self->main_tile);
}

CohortVideoPaintable *
cohort_stage_get_preview (CohortStage *self,
                          const char  *kind)
{
  g_return_val_if_fail (COHORT_IS_STAGE (self), NULL);

  return self->previews[g_strcmp0 (kind, "screen") == 0 ? PREVIEW_SCREEN : PREVIEW_CAMERA];
}

AdwToastOverlay *
cohort_stage_get_toast_overlay (CohortStage *self)
{
  g_return_val_if_fail (COHORT_IS_STAGE (self), NULL);

  return self->toast_overlay;
}

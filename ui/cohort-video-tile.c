/* cohort-video-tile.c: one video on the stage, with a name and mute overlay
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-video-tile"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-video-tile.h"

struct _CohortVideoTile
{
  GtkWidget     parent_instance;

  GtkStack     *stack;
  GtkWidget    *off_box;
  AdwAvatar    *avatar;
  GtkLabel     *status_label;
  GtkPicture   *picture;
  GtkWidget    *name_pill;
  GtkWidget    *muted_icon;
  GtkLabel     *name_label;
  GtkWidget    *action_button;
  GtkWidget    *link_icon;

  GdkPaintable *paintable;
  gulong        paintable_notify;
  char         *name;
  char         *status;
  gboolean      audio_muted;
  gboolean      video_off;
  gboolean      compact;
  CohortLinkQuality link_quality;
};

enum {
  PROP_0,
  PROP_PAINTABLE,
  PROP_NAME,
  PROP_AUDIO_MUTED,
  PROP_VIDEO_OFF,
  PROP_STATUS,
  PROP_COMPACT,
  PROP_LINK_QUALITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CohortVideoTile, cohort_video_tile, GTK_TYPE_WIDGET)

static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
paintable_has_picture (GdkPaintable *paintable)
{
  return paintable != NULL && gdk_paintable_get_intrinsic_width (paintable) > 0;
}

/* What the link indicator says: NULL while the link is good (a calm
 * tile), a sentence otherwise. */
static const char *
link_text (CohortLinkQuality quality)
{
  switch (quality)
    {
    case COHORT_LINK_QUALITY_FAIR:
      return _("Unsteady connection: this video is shown in lower quality");
    case COHORT_LINK_QUALITY_POOR:
      return _("Weak connection: this video is lowered or paused so that you keep the sound");
    case COHORT_LINK_QUALITY_GOOD:
    default:
      return NULL;
    }
}

static void
update_link (CohortVideoTile *self)
{
  const char *text = link_text (self->link_quality);
  gboolean poor = self->link_quality == COHORT_LINK_QUALITY_POOR;

  gtk_widget_set_visible (self->link_icon, text != NULL);
  gtk_image_set_from_icon_name (GTK_IMAGE (self->link_icon),
                                poor ? "network-cellular-signal-weak-symbolic"
                                     : "network-cellular-signal-ok-symbolic");
  gtk_widget_set_tooltip_text (self->link_icon, text);
  if (poor)
    gtk_widget_add_css_class (self->link_icon, "poor");
  else
    gtk_widget_remove_css_class (self->link_icon, "poor");

  /* Not by colour or shape alone: a screen reader hears it too, with the
   * indicator and as the tile's description. */
  if (text != NULL)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->link_icon), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
    }
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
update (CohortVideoTile *self)
{
  gboolean video = !self->video_off && paintable_has_picture (self->paintable);
  g_autofree char *description = NULL;

  gtk_stack_set_visible_child_name (self->stack, video ? "video" : "off");
  gtk_label_set_label (self->name_label, self->name != NULL ? self->name : "");
  gtk_widget_set_visible (self->name_pill, self->name != NULL && *self->name != '\0');
  adw_avatar_set_text (self->avatar, self->name);
  adw_avatar_set_size (self->avatar, self->compact ? 48 : 96);
  gtk_label_set_label (self->status_label, self->status != NULL ? self->status : "");
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->status_label)),
                          !self->compact && self->status != NULL && *self->status != '\0');
  gtk_widget_set_visible (self->muted_icon, self->audio_muted);

  if (self->compact)
    gtk_widget_add_css_class (GTK_WIDGET (self), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "compact");

  /* What a screen reader says about the tile. */
  if (video)
    /* Translators: a video tile; %s is a person's name. */
    description = g_strdup_printf (self->audio_muted ? _("Video of %s, microphone off") : _("Video of %s"),
                                   self->name != NULL ? self->name : "");
  else
    /* Translators: a video tile without picture; %s is a person's name, then the state. */
    description = g_strdup_printf ("%s, %s", self->name != NULL ? self->name : "",
                                   self->status != NULL ? self->status : _("Camera off"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
}

static void
on_paintable_size (CohortVideoTile *self)
{
  update (self);
}

void
cohort_video_tile_set_paintable (CohortVideoTile *self,
                                 GdkPaintable    *paintable)
{
  g_return_if_fail (COHORT_IS_VIDEO_TILE (self));

  if (self->paintable == paintable)
    return;

  if (self->paintable != NULL)
    g_clear_signal_handler (&self->paintable_notify, self->paintable);
  g_set_object (&self->paintable, paintable);
  if (paintable != NULL)
    self->paintable_notify = g_signal_connect_object (paintable, "invalidate-size",
                                                      G_CALLBACK (on_paintable_size), self,
                                                      G_CONNECT_SWAPPED);
  gtk_picture_set_paintable (self->picture, paintable);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAINTABLE]);
}

GdkPaintable *
cohort_video_tile_get_paintable (CohortVideoTile *self)
{
  g_return_val_if_fail (COHORT_IS_VIDEO_TILE (self), NULL);

  return self->paintable;
}

void
cohort_video_tile_set_name (CohortVideoTile *self,
                            const char      *name)
{
  g_return_if_fail (COHORT_IS_VIDEO_TILE (self));

  if (set_str (&self->name, name))
    {
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
    }
}

const char *
cohort_video_tile_get_name (CohortVideoTile *self)
{
  g_return_val_if_fail (COHORT_IS_VIDEO_TILE (self), NULL);

  return self->name;
}

void
cohort_video_tile_set_audio_muted (CohortVideoTile *self,
                                   gboolean         muted)
{
  g_return_if_fail (COHORT_IS_VIDEO_TILE (self));

  muted = !!muted;
  if (self->audio_muted == muted)
    return;
  self->audio_muted = muted;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_MUTED]);
}

void
cohort_video_tile_set_video_off (CohortVideoTile *self,
                                 gboolean         off)
{
  g_return_if_fail (COHORT_IS_VIDEO_TILE (self));

  off = !!off;
  if (self->video_off == off)
    return;
  self->video_off = off;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO_OFF]);
}

void
cohort_video_tile_set_status (CohortVideoTile *self,
                              const char      *status)
{
  g_return_if_fail (COHORT_IS_VIDEO_TILE (self));

  if (set_str (&self->status, status))
    {
      update (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
}

void
cohort_video_tile_set_compact (CohortVideoTile *self,
                               gboolean         compact)
{
  g_return_if_fail (COHORT_IS_VIDEO_TILE (self));

  compact = !!compact;
  if (self->compact == compact)
    return;
  self->compact = compact;
  update (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPACT]);
}

void
cohort_video_tile_set_link_quality (CohortVideoTile   *self,
                                    CohortLinkQuality  quality)
{
  g_return_if_fail (COHORT_IS_VIDEO_TILE (self));

  if (self->link_quality == quality)
    return;
  self->link_quality = quality;
  update_link (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINK_QUALITY]);
}

CohortLinkQuality
cohort_video_tile_get_link_quality (CohortVideoTile *self)
{
  g_return_val_if_fail (COHORT_IS_VIDEO_TILE (self), COHORT_LINK_QUALITY_GOOD);

  return self->link_quality;
}

gboolean
cohort_video_tile_get_showing_video (CohortVideoTile *self)
{
  g_return_val_if_fail (COHORT_IS_VIDEO_TILE (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "video") == 0;
}

void
cohort_video_tile_set_action (CohortVideoTile *self,
                              const char      *icon_name,
                              const char      *tooltip,
                              const char      *action_name,
                              GVariant        *target)
{
  g_return_if_fail (COHORT_IS_VIDEO_TILE (self));

  if (target != NULL)
    g_variant_ref_sink (target);

  gtk_widget_set_visible (self->action_button, action_name != NULL);
  if (action_name != NULL)
    {
      gtk_button_set_icon_name (GTK_BUTTON (self->action_button), icon_name);
      gtk_widget_set_tooltip_text (self->action_button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->action_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->action_button), target);
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->action_button), action_name);

  if (target != NULL)
    g_variant_unref (target);
}

/* Like a GtkBinLayout, except that a compact tile (picture-in-picture,
 * the strip) asks for no more than its size request: its picture's
 * natural size is the whole video's. */
static void
cohort_video_tile_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  CohortVideoTile *self = COHORT_VIDEO_TILE (widget);
  GtkWidget *child = gtk_widget_get_first_child (widget);

  *minimum = *natural = 0;
  if (child != NULL)
    gtk_widget_measure (child, orientation, for_size, minimum, natural, NULL, NULL);
  if (self->compact)
    *natural = *minimum;
}

static void
cohort_video_tile_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  GtkWidget *child = gtk_widget_get_first_child (widget);

  if (child != NULL)
    gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
cohort_video_tile_dispose (GObject *object)
{
  CohortVideoTile *self = COHORT_VIDEO_TILE (object);

  if (self->paintable != NULL)
    g_clear_signal_handler (&self->paintable_notify, self->paintable);
  g_clear_object (&self->paintable);
  gtk_widget_dispose_template (GTK_WIDGET (self), COHORT_TYPE_VIDEO_TILE);
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (cohort_video_tile_parent_class)->dispose (object);
}

static void
cohort_video_tile_finalize (GObject *object)
{
  CohortVideoTile *self = COHORT_VIDEO_TILE (object);

  g_free (self->name);
  g_free (self->status);

  G_OBJECT_CLASS (cohort_video_tile_parent_class)->finalize (object);
}

static void
cohort_video_tile_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortVideoTile *self = COHORT_VIDEO_TILE (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_AUDIO_MUTED:
      g_value_set_boolean (value, self->audio_muted);
      break;
    case PROP_VIDEO_OFF:
      g_value_set_boolean (value, self->video_off);
      break;
    case PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case PROP_COMPACT:
      g_value_set_boolean (value, self->compact);
      break;
    case PROP_LINK_QUALITY:
      g_value_set_int (value, self->link_quality);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_video_tile_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CohortVideoTile *self = COHORT_VIDEO_TILE (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      cohort_video_tile_set_paintable (self, g_value_get_object (value));
      break;
    case PROP_NAME:
      cohort_video_tile_set_name (self, g_value_get_string (value));
      break;
    case PROP_AUDIO_MUTED:
      cohort_video_tile_set_audio_muted (self, g_value_get_boolean (value));
      break;
    case PROP_VIDEO_OFF:
      cohort_video_tile_set_video_off (self, g_value_get_boolean (value));
      break;
    case PROP_STATUS:
      cohort_video_tile_set_status (self, g_value_get_string (value));
      break;
    case PROP_COMPACT:
      cohort_video_tile_set_compact (self, g_value_get_boolean (value));
      break;
    case PROP_LINK_QUALITY:
      cohort_video_tile_set_link_quality (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_video_tile_class_init (CohortVideoTileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cohort_video_tile_dispose;
  object_class->finalize = cohort_video_tile_finalize;
  object_class->get_property = cohort_video_tile_get_property;
  object_class->set_property = cohort_video_tile_set_property;
  widget_class->measure = cohort_video_tile_measure;
  widget_class->size_allocate = cohort_video_tile_size_allocate;

  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUDIO_MUTED] =
    g_param_spec_boolean ("audio-muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIDEO_OFF] =
    g_param_spec_boolean ("video-off", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPACT] =
    g_param_spec_boolean ("compact", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINK_QUALITY] =
    g_param_spec_int ("link-quality", NULL, NULL, COHORT_LINK_QUALITY_GOOD, COHORT_LINK_QUALITY_POOR,
                      COHORT_LINK_QUALITY_GOOD,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/cohortclass/Cohort/cohort-video-tile.ui");
  gtk_widget_class_bind_template_child (widget_class, CohortVideoTile, stack);
  gtk_widget_class_bind_template_child (widget_class, CohortVideoTile, off_box);
  gtk_widget_class_bind_template_child (widget_class, CohortVideoTile, avatar);
  gtk_widget_class_bind_template_child (widget_class, CohortVideoTile, status_label);
  gtk_widget_class_bind_template_child (widget_class, CohortVideoTile, picture);
  gtk_widget_class_bind_template_child (widget_class, CohortVideoTile, name_pill);
  gtk_widget_class_bind_template_child (widget_class, CohortVideoTile, muted_icon);
  gtk_widget_class_bind_template_child (widget_class, CohortVideoTile, name_label);
  gtk_widget_class_bind_template_child (widget_class, CohortVideoTile, action_button);
  gtk_widget_class_bind_template_child (widget_class, CohortVideoTile, link_icon);
  gtk_widget_class_set_css_name (widget_class, "videotile");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
cohort_video_tile_init (CohortVideoTile *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
  update_link (self);
}

GtkWidget *
cohort_video_tile_new (void)
{
  return g_object_new (COHORT_TYPE_VIDEO_TILE, NULL);
}

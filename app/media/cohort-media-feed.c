/* cohort-media-feed.c: one published feed in a class (a camera or a screen)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-feed"

#include "config.h"

#include "cohort-media-feed.h"
#include "cohort-media-protocol.h"

struct _CohortFeed
{
  GObject   parent_instance;

  gint64    feed_id;
  gint64    participant_id;
  char     *kind;
  gboolean  has_audio;
  gboolean  has_video;
  gboolean  audio_muted;
  gboolean  video_muted;
  gboolean  local;
  gboolean  live;
  CohortLinkQuality link_quality;
};

enum {
  PROP_0,
  PROP_FEED_ID,
  PROP_PARTICIPANT_ID,
  PROP_KIND,
  PROP_HAS_AUDIO,
  PROP_HAS_VIDEO,
  PROP_AUDIO_MUTED,
  PROP_VIDEO_MUTED,
  PROP_LOCAL,
  PROP_LIVE,
  PROP_LINK_QUALITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CohortFeed, cohort_feed, G_TYPE_OBJECT)

static gboolean
get_int (JsonObject *object,
         const char *name,
         gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return *out > 0;
}

static gboolean
get_bool (JsonObject *object,
          const char *name,
          gboolean    fallback)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return fallback;
  return json_node_get_boolean (node);
}

CohortFeed *
cohort_feed_new_from_json (JsonObject *object,
                           gint64      self_id)
{
  g_autoptr(CohortFeed) self = g_object_new (COHORT_TYPE_FEED, NULL);
  const char *kind;

  g_return_val_if_fail (object != NULL, NULL);

  kind = json_object_get_string_member_with_default (object, "kind", NULL);
  if (!get_int (object, "feed_id", &self->feed_id) ||
      !get_int (object, "participant_id", &self->participant_id) ||
      (g_strcmp0 (kind, COHORT_MEDIA_KIND_CAMERA) != 0 && g_strcmp0 (kind, COHORT_MEDIA_KIND_SCREEN) != 0))
    return NULL;

  self->kind = g_strdup (kind);
  self->has_audio = get_bool (object, "audio", TRUE);
  self->has_video = get_bool (object, "video", TRUE);
  self->audio_muted = get_bool (object, "audio_muted", FALSE);
  self->video_muted = get_bool (object, "video_muted", FALSE);
  self->local = self->participant_id == self_id;

  return g_steal_pointer (&self);
}

gint64
cohort_feed_get_feed_id (CohortFeed *self)
{
  g_return_val_if_fail (COHORT_IS_FEED (self), 0);
  return self->feed_id;
}

gint64
cohort_feed_get_participant_id (CohortFeed *self)
{
  g_return_val_if_fail (COHORT_IS_FEED (self), 0);
  return self->participant_id;
}

const char *
cohort_feed_get_kind (CohortFeed *self)
{
  g_return_val_if_fail (COHORT_IS_FEED (self), NULL);
  return self->kind;
}

gboolean
cohort_feed_is_screen (CohortFeed *self)
{
  g_return_val_if_fail (COHORT_IS_FEED (self), FALSE);
  return g_strcmp0 (self->kind, COHORT_MEDIA_KIND_SCREEN) == 0;
}

gboolean
cohort_feed_get_has_audio (CohortFeed *self)
{
  g_return_val_if_fail (COHORT_IS_FEED (self), FALSE);
  return self->has_audio;
}

gboolean
cohort_feed_get_has_video (CohortFeed *self)
{
  g_return_val_if_fail (COHORT_IS_FEED (self), FALSE);
  return self->has_video;
}

gboolean
cohort_feed_get_audio_muted (CohortFeed *self)
{
  g_return_val_if_fail (COHORT_IS_FEED (self), FALSE);
  return self->audio_muted;
}

gboolean
cohort_feed_get_video_muted (CohortFeed *self)
{
  g_return_val_if_fail (COHORT_IS_FEED (self), FALSE);
  return self->video_muted;
}

gboolean
cohort_feed_get_local (CohortFeed *self)
{
  g_return_val_if_fail (COHORT_IS_FEED (self), FALSE);
  return self->local;
}

gboolean
cohort_feed_get_live (CohortFeed *self)
{
  g_return_val_if_fail (COHORT_IS_FEED (self), FALSE);
  return self->live;
}

void
cohort_feed_set_muted (CohortFeed *self,
                       gboolean    audio_muted,
                       gboolean    video_muted)
{
  g_return_if_fail (COHORT_IS_FEED (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->audio_muted != !!audio_muted)
    {
      self->audio_muted = !!audio_muted;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUDIO_MUTED]);
    }
  if (self->video_muted != !!video_muted)
    {
      self->video_muted = !!video_muted;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO_MUTED]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
cohort_feed_set_live (CohortFeed *self,
                      gboolean    live)
{
  g_return_if_fail (COHORT_IS_FEED (self));

  if (self->live == !!live)
    return;
  self->live = !!live;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

CohortLinkQuality
cohort_feed_get_link_quality (CohortFeed *self)
{
  g_return_val_if_fail (COHORT_IS_FEED (self), COHORT_LINK_QUALITY_GOOD);
  return self->link_quality;
}

void
cohort_feed_set_link_quality (CohortFeed        *self,
                              CohortLinkQuality  quality)
{
  g_return_if_fail (COHORT_IS_FEED (self));

  if (self->link_quality == quality)
    return;
  self->link_quality = quality;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINK_QUALITY]);
}

static void
cohort_feed_finalize (GObject *object)
{
  CohortFeed *self = COHORT_FEED (object);

  g_free (self->kind);

  G_OBJECT_CLASS (cohort_feed_parent_class)->finalize (object);
}

static void
cohort_feed_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CohortFeed *self = COHORT_FEED (object);

  switch (prop_id)
    {
    case PROP_FEED_ID: g_value_set_int64 (value, self->feed_id); break;
    case PROP_PARTICIPANT_ID: g_value_set_int64 (value, self->participant_id); break;
    case PROP_KIND: g_value_set_string (value, self->kind); break;
    case PROP_HAS_AUDIO: g_value_set_boolean (value, self->has_audio); break;
    case PROP_HAS_VIDEO: g_value_set_boolean (value, self->has_video); break;
    case PROP_AUDIO_MUTED: g_value_set_boolean (value, self->audio_muted); break;
    case PROP_VIDEO_MUTED: g_value_set_boolean (value, self->video_muted); break;
    case PROP_LOCAL: g_value_set_boolean (value, self->local); break;
    case PROP_LIVE: g_value_set_boolean (value, self->live); break;
    case PROP_LINK_QUALITY: g_value_set_int (value, self->link_quality); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_feed_class_init (CohortFeedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_feed_finalize;
  object_class->get_property = cohort_feed_get_property;

  properties[PROP_FEED_ID] = g_param_spec_int64 ("feed-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_PARTICIPANT_ID] = g_param_spec_int64 ("participant-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_HAS_AUDIO] = g_param_spec_boolean ("has-audio", NULL, NULL, FALSE, flags);
  properties[PROP_HAS_VIDEO] = g_param_spec_boolean ("has-video", NULL, NULL, FALSE, flags);
  properties[PROP_AUDIO_MUTED] = g_param_spec_boolean ("audio-muted", NULL, NULL, FALSE, flags | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VIDEO_MUTED] = g_param_spec_boolean ("video-muted", NULL, NULL, FALSE, flags | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LOCAL] = g_param_spec_boolean ("local", NULL, NULL, FALSE, flags);
  properties[PROP_LIVE] = g_param_spec_boolean ("live", NULL, NULL, FALSE, flags | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_LINK_QUALITY] = g_param_spec_int ("link-quality", NULL, NULL, COHORT_LINK_QUALITY_GOOD,
                                                    COHORT_LINK_QUALITY_POOR, COHORT_LINK_QUALITY_GOOD,
                                                    flags | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_feed_init (CohortFeed *self)
{
}

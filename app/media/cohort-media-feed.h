/* cohort-media-feed.h: one published feed in a class (a camera or a screen)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-link-estimator.h"

G_BEGIN_DECLS

/* Properties: feed-id, participant-id, kind ("camera" or "screen"),
 * has-audio, has-video, audio-muted, video-muted, local (this client's
 * own feed), live (a first frame was decoded, or for a local feed, the
 * media server accepted it), link-quality (CohortLinkQuality as int:
 * this client's link estimate for its subscription to the feed; good for
 * its own feeds). */
#define COHORT_TYPE_FEED (cohort_feed_get_type ())
G_DECLARE_FINAL_TYPE (CohortFeed, cohort_feed, COHORT, FEED, GObject)

/* @object: a media.feed_added body or an item of the welcome's
 * media.feeds. NULL if it does not validate. */
CohortFeed *cohort_feed_new_from_json     (JsonObject *object,
                                           gint64      self_id);
gint64      cohort_feed_get_feed_id        (CohortFeed *self);
gint64      cohort_feed_get_participant_id (CohortFeed *self);
const char *cohort_feed_get_kind           (CohortFeed *self);
gboolean    cohort_feed_is_screen          (CohortFeed *self);
gboolean    cohort_feed_get_has_audio      (CohortFeed *self);
gboolean    cohort_feed_get_has_video      (CohortFeed *self);
gboolean    cohort_feed_get_audio_muted    (CohortFeed *self);
gboolean    cohort_feed_get_video_muted    (CohortFeed *self);
gboolean    cohort_feed_get_local          (CohortFeed *self);
gboolean    cohort_feed_get_live           (CohortFeed *self);
void        cohort_feed_set_muted          (CohortFeed *self,
                                            gboolean    audio_muted,
                                            gboolean    video_muted);
void        cohort_feed_set_live           (CohortFeed *self,
                                            gboolean    live);
CohortLinkQuality cohort_feed_get_link_quality (CohortFeed       *self);
void        cohort_feed_set_link_quality   (CohortFeed       *self,
                                            CohortLinkQuality quality);

G_END_DECLS

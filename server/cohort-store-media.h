/* cohort-store-media.h: the stage and the published feeds
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  participant_id;
  char   *state;             /* "invited" or "on_stage" */
} CohortMediaStageRecord;

typedef struct
{
  gint64    feed_id;
  gint64    class_id;
  gint64    participant_id;
  char     *kind;            /* "camera" or "screen" */
  gboolean  audio;
  gboolean  video;
  gboolean  audio_muted;
  gboolean  video_muted;
} CohortMediaFeedRecord;

/* A student the teacher keeps muted, and the teacher who does. */
typedef struct
{
  gint64  participant_id;
  gint64  by;
} CohortMediaKeptRecord;

void cohort_media_stage_record_free (CohortMediaStageRecord *record);
void cohort_media_feed_record_free  (CohortMediaFeedRecord  *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortMediaStageRecord, cohort_media_stage_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortMediaFeedRecord, cohort_media_feed_record_free)

/* @state NULL takes the participant off the stage list. */
gboolean   cohort_store_media_set_stage   (CohortStore  *self,
                                           gint64        class_id,
                                           gint64        participant_id,
                                           const char   *state,
                                           GError      **error);
/* CohortMediaStageRecord, ordered by participant id. */
GPtrArray *cohort_store_media_list_stage  (CohortStore  *self,
                                           gint64        class_id,
                                           GError      **error);
/* Inserts or replaces the feed with @record's feed_id. */
gboolean   cohort_store_media_put_feed    (CohortStore                  *self,
                                           const CohortMediaFeedRecord  *record,
                                           GError                      **error);
gboolean   cohort_store_media_remove_feed (CohortStore  *self,
                                           gint64        feed_id,
                                           GError      **error);
/* CohortMediaFeedRecord of @class_id (0: every class), by feed id. */
GPtrArray *cohort_store_media_list_feeds  (CohortStore  *self,
                                           gint64        class_id,
                                           GError      **error);
/* keep_muted: @participant_id of @class_id may not unmute until the
 * teacher lets them (media.allow_unmute). */
gboolean   cohort_store_media_keep_muted      (CohortStore  *self,
                                               gint64        class_id,
                                               gint64        participant_id,
                                               gint64        by,
                                               GError      **error);
/* CohortMediaKeptRecord of @class_id by participant id; @participant_id
 * 0 for all of them, else that student's (at most one). */
GArray    *cohort_store_media_list_kept_muted (CohortStore  *self,
                                               gint64        class_id,
                                               gint64        participant_id,
                                               GError      **error);
/* Lifts keep_muted for @participant_id of @class_id, or 0: for all. */
gboolean   cohort_store_media_allow_unmute    (CohortStore  *self,
                                               gint64        class_id,
                                               gint64        participant_id,
                                               GError      **error);

G_END_DECLS

/* cohort-store-home.h: what a student's home shows of a class between
 * lessons (GET /api/v1/home)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-store.h"

G_BEGIN_DECLS

/* The chat messages @participant_id has not seen: the teacher's (the
 * class channel and private ones to them) after message id @since_chat,
 * and their group's (any author but themselves) after @since_group. The
 * newest id of each that they may read is in the last_* members, for the
 * client's next position. Reads only; no migration: it counts over the
 * chat module's tables and their (class_id, id) and audience keys. */
typedef struct
{
  gint64 from_teacher;
  gint64 from_group;
  gint64 last_chat_id;   /* 0: none */
  gint64 last_group_id;  /* 0: none */
} CohortHomeUnreadRecord;

gboolean cohort_store_home_unread (CohortStore             *self,
                                   gint64                   class_id,
                                   gint64                   participant_id,
                                   gint64                   teacher_id,
                                   gint64                   since_chat,
                                   gint64                   since_group,
                                   CohortHomeUnreadRecord  *out_unread,
                                   GError                 **error);

G_END_DECLS

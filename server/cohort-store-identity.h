/* cohort-store-identity.h: staff accounts, class access and student identity
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  id;
  char   *name;
  gint64  created_at;
  gint64  revoked_at;          /* 0: active */
} CohortStaffRecord;

/* Who owns a class and who may come in. A class without a row (made
 * before staff accounts existed) has no owner and lets everyone in. */
typedef struct
{
  gint64    class_id;
  gint64    staff_id;          /* 0: no staff owner */
  gboolean  archived;
  gboolean  waiting_room;
  gboolean  locked;
  gboolean  anonymous_join;
} CohortClassAccessRecord;

/* One row of staff.classes. */
typedef struct
{
  gint64    class_id;
  char     *code;
  char     *title;
  gint64    created_at;
  gboolean  archived;
  gint64    lessons;
  gint64    last_lesson_at;    /* 0: no lesson yet */
  gint64    participants;      /* students, not removed */
} CohortStaffClassRecord;

/* A participant's place in a class. A participant without a row (made
 * before admission existed, or the teacher) counts as admitted. */
typedef struct
{
  gint64    participant_id;
  gint64    class_id;
  gboolean  admitted;
  gboolean  removed;
  gboolean  known;             /* imported from a roster: has a personal code */
  char     *number;            /* student number; NULL: none */
  char     *address;           /* network address key it joined from; NULL: none */
} CohortMemberRecord;

void cohort_staff_record_free        (CohortStaffRecord       *record);
void cohort_class_access_record_free (CohortClassAccessRecord *record);
void cohort_staff_class_record_free  (CohortStaffClassRecord  *record);
void cohort_member_record_free       (CohortMemberRecord      *record);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortStaffRecord, cohort_staff_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortClassAccessRecord, cohort_class_access_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortStaffClassRecord, cohort_staff_class_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortMemberRecord, cohort_member_record_free)

#define COHORT_BLOCK_CODE    "code"
#define COHORT_BLOCK_ADDRESS "address"

/* Returns the new staff id, 0 on error. */
gint64                   cohort_store_staff_add           (CohortStore  *self,
                                                           const char   *name,
                                                           const char   *credential_hash,
                                                           gint64        now,
                                                           GError      **error);
/* Revokes the active staff named @name_or_id, or whose id it is; returns
 * how many were revoked, -1 on error. */
gint64                   cohort_store_staff_revoke        (CohortStore  *self,
                                                           const char   *name_or_id,
                                                           gint64        now,
                                                           GError      **error);
/* CohortStaffRecord, revoked ones too, by id. */
GPtrArray               *cohort_store_staff_list          (CohortStore  *self,
                                                           GError      **error);
/* The active staff with this credential; NULL without error when none. */
CohortStaffRecord       *cohort_store_staff_find          (CohortStore  *self,
                                                           const char   *credential_hash,
                                                           GError      **error);
/* -1 on error. */
gint64                   cohort_store_staff_count_active  (CohortStore  *self,
                                                           GError      **error);
gboolean                 cohort_store_class_access_put    (CohortStore                    *self,
                                                           const CohortClassAccessRecord  *record,
                                                           GError                        **error);
/* NULL without error when the class has no row. */
CohortClassAccessRecord *cohort_store_class_access_get    (CohortStore  *self,
                                                           gint64        class_id,
                                                           GError      **error);
/* CohortStaffClassRecord, newest class first. */
GPtrArray               *cohort_store_staff_list_classes  (CohortStore  *self,
                                                           gint64        staff_id,
                                                           gboolean      include_archived,
                                                           GError      **error);
/* Records the class's next lesson; returns its number (1, 2, …), 0 on error. */
gint64                   cohort_store_lesson_start        (CohortStore  *self,
                                                           gint64        class_id,
                                                           gint64        now,
                                                           GError      **error);
gboolean                 cohort_store_member_put          (CohortStore               *self,
                                                           const CohortMemberRecord  *record,
                                                           GError                   **error);
/* NULL without error when the participant has no row. */
CohortMemberRecord      *cohort_store_member_get          (CohortStore  *self,
                                                           gint64        participant_id,
                                                           GError      **error);
/* @code_hash replaces the participant's personal code (NULL: none). */
gboolean                 cohort_store_member_set_code     (CohortStore  *self,
                                                           gint64        participant_id,
                                                           const char   *code_hash,
                                                           GError      **error);
/* The participant whose personal code this is; 0 without error when none,
 * -1 on error. */
gint64                   cohort_store_member_find_by_code (CohortStore  *self,
                                                           const char   *code_hash,
                                                           GError      **error);
/* CohortMemberRecord of @class_id. */
GPtrArray               *cohort_store_member_list         (CohortStore  *self,
                                                           gint64        class_id,
                                                           GError      **error);
gboolean                 cohort_store_block_add           (CohortStore  *self,
                                                           gint64        class_id,
                                                           const char   *kind,
                                                           const char   *value,
                                                           GError      **error);
/* 1: blocked, 0: not, -1: error. */
int                      cohort_store_block_contains      (CohortStore  *self,
                                                           gint64        class_id,
                                                           const char   *kind,
                                                           const char   *value,
                                                           GError      **error);
/* Every device of the participant is signed out. */
gboolean                 cohort_store_revoke_tokens       (CohortStore  *self,
                                                           gint64        participant_id,
                                                           GError      **error);

G_END_DECLS

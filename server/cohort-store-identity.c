/* cohort-store-identity.c: the identity part of CohortStore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-store"

#include "config.h"

#include "cohort-store.h"

#define IFACE(self) (COHORT_STORE_GET_IFACE (self))

void
cohort_staff_record_free (CohortStaffRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->name);
  g_free (record);
}

void
cohort_class_access_record_free (CohortClassAccessRecord *record)
{
  g_free (record);
}

void
cohort_staff_class_record_free (CohortStaffClassRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->code);
  g_free (record->title);
  g_free (record);
}

void
cohort_member_record_free (CohortMemberRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->number);
  g_free (record->address);
  g_free (record);
}

gint64
cohort_store_staff_add (CohortStore  *self,
                        const char   *name,
                        const char   *credential_hash,
                        gint64        now,
                        GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), 0);
  return IFACE (self)->staff_add (self, name, credential_hash, now, error);
}

gint64
cohort_store_staff_revoke (CohortStore  *self,
                           const char   *name_or_id,
                           gint64        now,
                           GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  return IFACE (self)->staff_revoke (self, name_or_id, now, error);
}

GPtrArray *
cohort_store_staff_list (CohortStore  *self,
                         GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->staff_list (self, error);
}

CohortStaffRecord *
cohort_store_staff_find (CohortStore  *self,
                         const char   *credential_hash,
                         GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->staff_find (self, credential_hash, error);
}

gint64
cohort_store_staff_count_active (CohortStore  *self,
                                 GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  return IFACE (self)->staff_count_active (self, error);
}

gboolean
cohort_store_class_access_put (CohortStore                   *self,
                               const CohortClassAccessRecord *record,
                               GError                       **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->class_access_put (self, record, error);
}

CohortClassAccessRecord *
cohort_store_class_access_get (CohortStore  *self,
                               gint64        class_id,
                               GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->class_access_get (self, class_id, error);
}

GPtrArray *
cohort_store_staff_list_classes (CohortStore  *self,
                                 gint64        staff_id,
                                 gboolean      include_archived,
                                 GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->staff_list_classes (self, staff_id, include_archived, error);
}

gint64
cohort_store_lesson_start (CohortStore  *self,
                           gint64        class_id,
                           gint64        now,
                           GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), 0);
  return IFACE (self)->lesson_start (self, class_id, now, error);
}

gboolean
cohort_store_member_put (CohortStore              *self,
                         const CohortMemberRecord *record,
                         GError                  **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->member_put (self, record, error);
}

CohortMemberRecord *
cohort_store_member_get (CohortStore  *self,
                         gint64        participant_id,
                         GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->member_get (self, participant_id, error);
}

gboolean
cohort_store_member_set_code (CohortStore  *self,
                              gint64        participant_id,
                              const char   *code_hash,
                              GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->member_set_code (self, participant_id, code_hash, error);
}

gint64
cohort_store_member_find_by_code (CohortStore  *self,
                                  const char   *code_hash,
                                  GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  return IFACE (self)->member_find_by_code (self, code_hash, error);
}

GPtrArray *
cohort_store_member_list (CohortStore  *self,
                          gint64        class_id,
                          GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), NULL);
  return IFACE (self)->member_list (self, class_id, error);
}

gboolean
cohort_store_block_add (CohortStore  *self,
                        gint64        class_id,
                        const char   *kind,
                        const char   *value,
                        GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->block_add (self, class_id, kind, value, error);
}

int
cohort_store_block_contains (CohortStore  *self,
                             gint64        class_id,
                             const char   *kind,
                             const char   *value,
                             GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), -1);
  return IFACE (self)->block_contains (self, class_id, kind, value, error);
}

gboolean
cohort_store_revoke_tokens (CohortStore  *self,
                            gint64        participant_id,
                            GError      **error)
{
  g_return_val_if_fail (COHORT_IS_STORE (self), FALSE);
  return IFACE (self)->revoke_tokens (self, participant_id, error);
}

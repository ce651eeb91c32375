/* cohort-groups-badge.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One earned badge (docs/protocol-groups.md, "Badges"). Properties: kind
 * (the wire id, e.g. "streak-7"), participant-id, name (the student's),
 * detail (e.g. the week of helper-of-week), earned-at (ms), title,
 * description (how it is earned), icon-name (a symbolic icon the UI
 * ships). Title and description are translated. */
#define COHORT_TYPE_BADGE (cohort_badge_get_type ())
G_DECLARE_FINAL_TYPE (CohortBadge, cohort_badge, COHORT, BADGE, GObject)

CohortBadge *cohort_badge_new                (const char  *kind,
                                              gint64       participant_id,
                                              const char  *name,
                                              const char  *detail,
                                              gint64       earned_at);
const char  *cohort_badge_get_kind           (CohortBadge *self);
gint64       cohort_badge_get_participant_id (CohortBadge *self);
const char  *cohort_badge_get_name           (CohortBadge *self);
const char  *cohort_badge_get_detail         (CohortBadge *self);
gint64       cohort_badge_get_earned_at      (CohortBadge *self);
const char  *cohort_badge_get_title          (CohortBadge *self);
const char  *cohort_badge_get_description    (CohortBadge *self);
const char  *cohort_badge_get_icon_name      (CohortBadge *self);

/* The catalog, in display order (NULL-terminated), and what a view shows
 * for each kind; NULL for a kind this client does not know. */
const char * const *cohort_badge_kinds                (void);
const char         *cohort_badge_kind_get_title       (const char *kind);
const char         *cohort_badge_kind_get_description (const char *kind);
const char         *cohort_badge_kind_get_icon_name   (const char *kind);

G_END_DECLS

/* cohort-group-member-row.h: one member of a study group
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "cohort-group-member.h"

G_BEGIN_DECLS

/* Shows a CohortGroupMember: avatar, name, today's check-in state, the
 * latest check-in note with its reactions (buttons for peers), and for
 * the teacher a star and a remove button. Its buttons activate the
 * page's "groups.react" ((xs): check-in id, reaction), "groups.star" (x)
 * and "groups.unassign" (x) actions. */
#define COHORT_TYPE_GROUP_MEMBER_ROW (cohort_group_member_row_get_type ())
G_DECLARE_FINAL_TYPE (CohortGroupMemberRow, cohort_group_member_row, COHORT, GROUP_MEMBER_ROW, GtkWidget)

GtkWidget *cohort_group_member_row_new (CohortGroupMember *member,
                                        gboolean           teacher_view);

G_END_DECLS

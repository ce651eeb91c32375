/* cohort-insights-protocol.h: the teacher's insights: per-student figures,
 * at-risk flags, their thresholds and nudges (docs/protocol-insights.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Requests */
#define COHORT_REQ_INSIGHTS_GET          "insights.get"
#define COHORT_REQ_INSIGHTS_SETTINGS_SET "insights.settings.set"
#define COHORT_REQ_INSIGHTS_NUDGE        "insights.nudge"

/* Events */
#define COHORT_EV_INSIGHTS_CHANGED       "insights.changed"

/* The at-risk reasons, in a row's "risks" array. */
#define COHORT_INSIGHTS_RISK_STR_ABSENT        "absent"
#define COHORT_INSIGHTS_RISK_STR_STREAK_BROKEN "streak_broken"
#define COHORT_INSIGHTS_RISK_STR_ACCURACY_DROP "accuracy_drop"
#define COHORT_INSIGHTS_RISK_STR_SILENT        "silent"

/* The thresholds' ranges (insights.settings.set) and defaults. */
#define COHORT_INSIGHTS_ABSENT_MIN          1
#define COHORT_INSIGHTS_ABSENT_MAX          10
#define COHORT_INSIGHTS_ABSENT_DEFAULT      2
#define COHORT_INSIGHTS_STREAK_MIN          2
#define COHORT_INSIGHTS_STREAK_MAX          60
#define COHORT_INSIGHTS_STREAK_DEFAULT      5
#define COHORT_INSIGHTS_DROP_MIN            5
#define COHORT_INSIGHTS_DROP_MAX            100
#define COHORT_INSIGHTS_DROP_DEFAULT        20
#define COHORT_INSIGHTS_DROP_LESSONS_MIN    2
#define COHORT_INSIGHTS_DROP_LESSONS_MAX    10
#define COHORT_INSIGHTS_DROP_LESSONS_DEFAULT 3
#define COHORT_INSIGHTS_SILENT_MIN          1
#define COHORT_INSIGHTS_SILENT_MAX          10
#define COHORT_INSIGHTS_SILENT_DEFAULT      3
/* The nudge template: one to a few lines, with {name} for the student. */
#define COHORT_INSIGHTS_TEMPLATE_MAX_CHARS  500

G_END_DECLS

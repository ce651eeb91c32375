/* cohort-identity-protocol.h: staff accounts and admission messages
 * (docs/protocol.md, "Staff" and "Admission")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Requests: staff (no join needed) */
#define COHORT_REQ_STAFF_CLASSES      "staff.classes"
#define COHORT_REQ_STAFF_ARCHIVE      "staff.archive"
#define COHORT_REQ_STAFF_UNARCHIVE    "staff.unarchive"

/* Requests: admission (teacher) */
#define COHORT_REQ_CLASS_SETTINGS     "class.settings"
#define COHORT_REQ_ADMISSION_ADMIT    "admission.admit"
#define COHORT_REQ_ADMISSION_DENY     "admission.deny"
#define COHORT_REQ_PARTICIPANT_REMOVE "participant.remove"
#define COHORT_REQ_ROSTER_IMPORT      "roster.import"
#define COHORT_REQ_ROSTER_REISSUE     "roster.reissue"
#define COHORT_REQ_ROSTER_LIST        "roster.list"

/* Events */
#define COHORT_EV_LESSON_STARTED      "lesson.started"
#define COHORT_EV_CLASS_UPDATED       "class.updated"
#define COHORT_EV_PARTICIPANT_WAITING "participant.waiting"
#define COHORT_EV_WAITING_LEFT        "participant.waiting_left"
#define COHORT_EV_ADMISSION_GRANTED   "admission.granted"
#define COHORT_EV_PARTICIPANT_REMOVED "participant.removed"

/* The "admission" member of a join reply and of a participant. */
#define COHORT_ADMISSION_STR_WAITING  "waiting"
#define COHORT_ADMISSION_STR_ADMITTED "admitted"

/* Limits */
#define COHORT_PERSONAL_CODE_CHARS    12
#define COHORT_MAX_ROSTER_IMPORT      1000
/* Most students waiting to be admitted to one class at a time. */
#define COHORT_MAX_WAITING            500
#define COHORT_MAX_STUDENT_NUMBER_CHARS 32

/* Upper-cases @raw and drops spaces and dashes; NULL unless it is then
 * COHORT_PERSONAL_CODE_CHARS characters of COHORT_CLASS_CODE_ALPHABET. */
char *cohort_protocol_normalize_personal_code (const char *raw);

G_END_DECLS

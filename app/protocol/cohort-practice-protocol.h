/* cohort-practice-protocol.h: knowledge points, adaptive practice and
 * mastery on the wire (docs/protocol-practice.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* docs/protocol-practice.md is the reference for every constant here. */
#define COHORT_PRACTICE_MAX_POINTS          200   /* knowledge points per class */
#define COHORT_PRACTICE_MAX_POINT_CHARS     80    /* a point's name */
#define COHORT_PRACTICE_MAX_QUESTION_POINTS 5     /* points one question is tagged with */
#define COHORT_PRACTICE_SET_SIZE            10    /* questions in a practice set */
#define COHORT_PRACTICE_MAX_LAUNCH          20    /* questions practice.launch sends live */
#define COHORT_PRACTICE_HISTORY             50    /* attempts in mastery.get */
#define COHORT_PRACTICE_MASTERED            800   /* permille: a point counts as mastered from here */
#define COHORT_PRACTICE_MASTERED_ANSWERS    5     /* … with at least this many answers */

/* A question's "practice" member (docs/quiz-format.md). */
#define COHORT_PRACTICE_USE_NORMAL          "normal"         /* live quizzes and practice */
#define COHORT_PRACTICE_USE_PRACTICE_ONLY   "practice_only"  /* never launched live by practice.launch */
#define COHORT_PRACTICE_USE_AFTER_LIVE      "after_live"     /* hidden from practice until revealed live */

/* Why a question is in a set (practice.next "reason"). */
#define COHORT_PRACTICE_REASON_WEAK         "weak"
#define COHORT_PRACTICE_REASON_REVIEW       "review"
#define COHORT_PRACTICE_REASON_NEW          "new"

/* A point's state for one student (mastery.get "state"). */
#define COHORT_PRACTICE_STATE_NEW           "new"
#define COHORT_PRACTICE_STATE_LEARNING      "learning"
#define COHORT_PRACTICE_STATE_MASTERED      "mastered"

/* Requests */
#define COHORT_REQ_KNOWLEDGE_LIST    "knowledge.list"
#define COHORT_REQ_KNOWLEDGE_SET     "knowledge.set"
#define COHORT_REQ_KNOWLEDGE_DELETE  "knowledge.delete"
#define COHORT_REQ_PRACTICE_NEXT     "practice.next"
#define COHORT_REQ_PRACTICE_ANSWER   "practice.answer"
#define COHORT_REQ_PRACTICE_WHY      "practice.why"
#define COHORT_REQ_PRACTICE_LAUNCH   "practice.launch"
#define COHORT_REQ_MASTERY_GET       "mastery.get"
#define COHORT_REQ_MASTERY_CLASS     "mastery.class"

/* Events */
#define COHORT_EV_KNOWLEDGE_CHANGED  "knowledge.changed"
#define COHORT_EV_PRACTICE_ANSWERED  "practice.answered"

extern const char * const cohort_practice_uses[];

G_END_DECLS

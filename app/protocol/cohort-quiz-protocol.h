/* cohort-quiz-protocol.h: quiz request and event names, limits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* docs/protocol-quiz.md is the reference for every constant here. */
#define COHORT_QUIZ_MAX_SEQUENCE       50
/* Live results reach the teacher at most this often while answers pour in
 * (the first answer after a quiet spell goes out at once). */
#define COHORT_QUIZ_PROGRESS_MS        50
/* How many past questions a student's history holds. */
#define COHORT_QUIZ_HISTORY_LIMIT      50

/* Requests: the teacher's */
#define COHORT_REQ_QUIZ_QUESTION_CREATE  "quiz.question.create"
#define COHORT_REQ_QUIZ_QUESTION_UPDATE  "quiz.question.update"
#define COHORT_REQ_QUIZ_QUESTION_DELETE  "quiz.question.delete"
#define COHORT_REQ_QUIZ_QUESTION_MOVE    "quiz.question.move"
#define COHORT_REQ_QUIZ_IMPORT           "quiz.import"
#define COHORT_REQ_QUIZ_EXPORT           "quiz.export"
#define COHORT_REQ_QUIZ_LAUNCH           "quiz.launch"
#define COHORT_REQ_QUIZ_NEXT             "quiz.next"
#define COHORT_REQ_QUIZ_CLOSE            "quiz.close"
#define COHORT_REQ_QUIZ_REVEAL           "quiz.reveal"
#define COHORT_REQ_QUIZ_SHOW_RESULTS     "quiz.show_results"
/* Everyone: the quiz part of a welcome, for a model created after joining */
#define COHORT_REQ_QUIZ_SYNC             "quiz.sync"
/* … and the students' */
#define COHORT_REQ_QUIZ_ANSWER           "quiz.answer"

/* Events */
#define COHORT_EV_QUIZ_QUESTION_SAVED    "quiz.question.saved"
#define COHORT_EV_QUIZ_QUESTION_DELETED  "quiz.question.deleted"
#define COHORT_EV_QUIZ_BANK              "quiz.bank"
#define COHORT_EV_QUIZ_LAUNCHED          "quiz.launched"
#define COHORT_EV_QUIZ_PROGRESS          "quiz.progress"
#define COHORT_EV_QUIZ_CLOSED            "quiz.closed"
#define COHORT_EV_QUIZ_REVEALED          "quiz.revealed"
#define COHORT_EV_QUIZ_SCORED            "quiz.scored"
/* groups hooks: a launched sequence ended (teacher only) */
#define COHORT_EV_QUIZ_FINISHED          "quiz.finished"
#define COHORT_EV_QUIZ_RESULTS           "quiz.results"

/* The member of a welcome body (join, create, snapshot) holding the quiz. */
#define COHORT_QUIZ_WELCOME_MEMBER       "quiz"

G_END_DECLS

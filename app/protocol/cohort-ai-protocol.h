/* cohort-ai-protocol.h: the AI helper's messages (docs/protocol-ai.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Requests */
#define COHORT_REQ_AI_ASK          "ai.ask"
#define COHORT_REQ_AI_STOP         "ai.stop"
#define COHORT_REQ_AI_HISTORY      "ai.history"
#define COHORT_REQ_AI_POLICY_SET   "ai.policy.set"
#define COHORT_REQ_AI_TOPICS       "ai.topics"
#define COHORT_REQ_AI_CONVERSATIONS        "ai.conversations"
#define COHORT_REQ_AI_CONVERSATION_DELETE  "ai.conversation.delete"
#define COHORT_REQ_AI_NUDGES_SET           "ai.nudges.set"
#define COHORT_REQ_AI_NUDGE                "ai.nudge"
#define COHORT_REQ_AI_NUDGE_OPENED         "ai.nudge.opened"
#define COHORT_REQ_AI_NUDGES_STATS         "ai.nudges.stats"

/* Events */
#define COHORT_EV_AI_POLICY        "ai.policy"
#define COHORT_EV_AI_LOCK          "ai.lock"

/* Limits */
#define COHORT_AI_MAX_QUESTION_CHARS  4000
#define COHORT_AI_MAX_TOPIC_CHARS     200
#define COHORT_AI_MAX_NOTES_CHARS     4000
/* The teacher's answer key ("do not reveal"): the prompt only. */
#define COHORT_AI_MAX_ANSWER_KEY_CHARS 4000
#define COHORT_AI_MAX_DAILY_QUOTA     1000
#define COHORT_AI_MAX_HISTORY_PAGE    100
#define COHORT_AI_MAX_CONVERSATIONS   100
/* A conversation's title: its first question's first line, cut here. */
#define COHORT_AI_TITLE_CHARS         60
/* An IANA zone name (ai.nudges.set tz). */
#define COHORT_AI_MAX_TZ_CHARS        64

/* Policy modes */
#define COHORT_AI_MODE_OFF    "off"
#define COHORT_AI_MODE_HINTS  "hints"
#define COHORT_AI_MODE_FULL   "full"

/* Why an answer ended (the "finish" member of an ai.ask reply). */
#define COHORT_AI_FINISH_STOP     "stop"
#define COHORT_AI_FINISH_LENGTH   "length"
#define COHORT_AI_FINISH_STOPPED  "stopped"
/* The upstream broke off mid-answer (closed, an error event or object, no
 * [DONE] nor finish reason): the answer is what came before. */
#define COHORT_AI_FINISH_CUT_SHORT "cut_short"

/* ai.ask progress: {"phase": "thinking"} while a reasoning model thinks
 * before its first answer token. */
#define COHORT_AI_PHASE_THINKING  "thinking"

/* @raw after the shared text rules on several lines (cohort_text_clean():
 * trimmed, CR LF becomes LF, invisible characters dropped, no control
 * characters), @min_chars..@max_chars characters. Returns the clean copy
 * or NULL with a COHORT_ERROR_INVALID error. */
char *cohort_ai_normalize_multiline (const char  *raw,
                                     guint        min_chars,
                                     guint        max_chars,
                                     GError     **error);

G_END_DECLS

/* cohort-chat-protocol.h: chat names, limits and text rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "cohort-text-rules.h"

G_BEGIN_DECLS

/* docs/protocol-chat.md is the reference for every constant here. */
#define COHORT_CHAT_MAX_CHARS          2000
/* More invisible (zero-width, format) characters than this, or more than
 * there are visible ones, and the text is spam. */
#define COHORT_CHAT_MAX_INVISIBLE      COHORT_TEXT_MAX_INVISIBLE
#define COHORT_CHAT_MAX_COMBINING      COHORT_TEXT_MAX_COMBINING
#define COHORT_CHAT_HISTORY_PAGE       200
/* A history page stops early once its texts pass this many bytes, so that
 * a reply always fits the client's frame limit. */
#define COHORT_CHAT_HISTORY_MAX_BYTES  (384 * 1024)
/* Per participant: a burst of RATE_BURST messages, then one per
 * RATE_REFILL_MS (5 messages in 5 s sustained). */
#define COHORT_CHAT_RATE_BURST         5
#define COHORT_CHAT_RATE_REFILL_MS     1000
#define COHORT_CHAT_REACT_BURST        6
#define COHORT_CHAT_REACT_REFILL_MS    500
#define COHORT_CHAT_PACE_WINDOW_MS     60000

/* Requests */
#define COHORT_REQ_CHAT_SEND       "chat.send"
#define COHORT_REQ_CHAT_EDIT       "chat.edit"
#define COHORT_REQ_CHAT_DELETE     "chat.delete"
#define COHORT_REQ_CHAT_HISTORY    "chat.history"
#define COHORT_REQ_CHAT_VOTE       "chat.vote"
#define COHORT_REQ_CHAT_QUESTION   "chat.question"
#define COHORT_REQ_CHAT_SETTINGS   "chat.settings"
#define COHORT_REQ_CHAT_MUTE       "chat.mute"
#define COHORT_REQ_CHAT_REACT      "chat.react"
#define COHORT_REQ_CHAT_PACE       "chat.pace"
#define COHORT_REQ_CHAT_MARK_HELPFUL "chat.mark_helpful"

/* Events */
#define COHORT_EV_CHAT_MESSAGE     "chat.message"
#define COHORT_EV_CHAT_EDITED      "chat.edited"
#define COHORT_EV_CHAT_DELETED     "chat.deleted"
#define COHORT_EV_CHAT_VOTES       "chat.votes"
#define COHORT_EV_CHAT_QUESTION    "chat.question"
#define COHORT_EV_CHAT_SETTINGS    "chat.settings"
#define COHORT_EV_CHAT_MUTED       "chat.muted"
#define COHORT_EV_CHAT_REACTION    "chat.reaction"
#define COHORT_EV_CHAT_PACE        "chat.pace"
#define COHORT_EV_CHAT_HELPFUL     "chat.helpful"

/* Channels */
#define COHORT_CHAT_CHANNEL_CLASS    "class"
#define COHORT_CHAT_CHANNEL_PRIVATE  "private"
#define COHORT_CHAT_CHANNEL_GROUP    "group"

/* Question states */
#define COHORT_CHAT_QUESTION_NONE      "none"
#define COHORT_CHAT_QUESTION_OPEN      "open"
#define COHORT_CHAT_QUESTION_ANSWERED  "answered"
#define COHORT_CHAT_QUESTION_DONE      "done"

/* The quick reactions, by wire name; cohort_chat_reaction_emoji() gives
 * the emoji. */
extern const char * const cohort_chat_reactions[];
extern const char * const cohort_chat_paces[];

const char *cohort_chat_reaction_emoji (const char *name);

/* Chat text rules (both sides use them): @raw must be valid UTF-8.
 * Control characters are dropped (newlines kept, tabs become spaces,
 * CR/LF become LF, at most two blank lines in a row), invisible characters
 * are dropped except a single zero-width (non-)joiner between two visible
 * characters and emoji tag sequences, combining marks are capped per base
 * character, and the result is trimmed. Fails (COHORT_PROTOCOL_ERROR,
 * COHORT_ERROR_INVALID) on invalid UTF-8, zero-width spam, an empty result
 * or more than COHORT_CHAT_MAX_CHARS characters; @out_reason gets the
 * CohortInvalidReason when not NULL. */
char       *cohort_chat_clean_text     (const char  *raw,
                                        int         *out_reason,
                                        GError     **error);

/* Checks what the client receives outside events: a chat.history ok body,
 * the "chat" member of a welcome body, one message object. */
gboolean    cohort_chat_validate_history_reply (JsonObject  *body,
                                                GError     **error);
gboolean    cohort_chat_validate_welcome       (JsonObject  *chat,
                                                GError     **error);
gboolean    cohort_chat_validate_message       (JsonObject  *message,
                                                GError     **error);

G_END_DECLS

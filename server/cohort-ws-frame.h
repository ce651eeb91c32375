/* cohort-ws-frame.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* RFC 6455 framing, the server's side: frames from clients are masked,
 * frames to them are not. No extensions are negotiated, so the RSV bits
 * are always zero. */

typedef enum
{
  COHORT_WS_OP_CONTINUATION = 0x0,
  COHORT_WS_OP_TEXT         = 0x1,
  COHORT_WS_OP_BINARY       = 0x2,
  COHORT_WS_OP_CLOSE        = 0x8,
  COHORT_WS_OP_PING         = 0x9,
  COHORT_WS_OP_PONG         = 0xA,
} CohortWsOpcode;

/* Close codes (RFC 6455, 7.4.1) */
#define COHORT_WS_CLOSE_NORMAL          1000
#define COHORT_WS_CLOSE_GOING_AWAY      1001
#define COHORT_WS_CLOSE_PROTOCOL_ERROR  1002
#define COHORT_WS_CLOSE_NO_STATUS       1005
#define COHORT_WS_CLOSE_BAD_DATA        1007
#define COHORT_WS_CLOSE_POLICY          1008
#define COHORT_WS_CLOSE_TOO_BIG         1009

/* The longest header: 2 bytes, 8 of length, 4 of mask. */
#define COHORT_WS_MAX_HEADER 14
/* Control frames carry at most this much (RFC 6455, 5.5). */
#define COHORT_WS_MAX_CONTROL_PAYLOAD 125

typedef struct
{
  gboolean       fin;
  CohortWsOpcode opcode;
  guint8         mask[4];
  guint64        payload_length;
  gsize          header_length;
} CohortWsFrameHeader;

typedef enum
{
  COHORT_WS_PARSE_OK,
  COHORT_WS_PARSE_NEED_MORE,
  COHORT_WS_PARSE_ERROR,
} CohortWsParseResult;

CohortWsParseResult cohort_ws_parse_client_header (const guint8        *data,
                                                   gsize                length,
                                                   guint64              max_payload,
                                                   CohortWsFrameHeader *header,
                                                   gushort             *close_code);
void                cohort_ws_unmask              (guint8              *payload,
                                                   gsize                length,
                                                   const guint8         mask[4]);
/* Writes the header of a final, unmasked frame; returns its length (2 to 10). */
gsize               cohort_ws_server_header       (guint8               out[10],
                                                   CohortWsOpcode       opcode,
                                                   guint64              payload_length);
/* Whether @code may appear in a close frame on the wire (RFC 6455, 7.4). */
gboolean            cohort_ws_close_code_is_valid (gushort              code);

G_END_DECLS

/* cohort-ws-frame.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "cohort-ws-frame.h"

static gboolean
opcode_is_known (guint opcode)
{
  switch (opcode)
    {
    case COHORT_WS_OP_CONTINUATION:
    case COHORT_WS_OP_TEXT:
    case COHORT_WS_OP_BINARY:
    case COHORT_WS_OP_CLOSE:
    case COHORT_WS_OP_PING:
    case COHORT_WS_OP_PONG:
      return TRUE;
    default:
      return FALSE;
    }
}

/**
 * cohort_ws_parse_client_header:
 * @max_payload: the largest payload accepted
 * @close_code: (out): on %COHORT_WS_PARSE_ERROR, the code to close with
 *
 * Reads the header at the start of @data. Rejects what RFC 6455 forbids
 * a client: unmasked frames, RSV bits without an extension, unknown
 * opcodes, fragmented or long control frames, and lengths that are not
 * minimal or have the top bit set; and anything longer than @max_payload.
 */
CohortWsParseResult
cohort_ws_parse_client_header (const guint8        *data,
                               gsize                length,
                               guint64              max_payload,
                               CohortWsFrameHeader *header,
                               gushort             *close_code)
{
  guint64 payload_length;
  gsize at = 2;

  if (length < 2)
    return COHORT_WS_PARSE_NEED_MORE;

  *close_code = COHORT_WS_CLOSE_PROTOCOL_ERROR;

  if ((data[0] & 0x70) != 0 || !opcode_is_known (data[0] & 0x0F) || (data[1] & 0x80) == 0)
    return COHORT_WS_PARSE_ERROR;

  header->fin = (data[0] & 0x80) != 0;
  header->opcode = data[0] & 0x0F;
  payload_length = data[1] & 0x7F;

  if (payload_length == 126)
    {
      if (length < 4)
        return COHORT_WS_PARSE_NEED_MORE;
      payload_length = ((guint64) data[2] << 8) | data[3];
      if (payload_length < 126)
        return COHORT_WS_PARSE_ERROR;
      at = 4;
    }
  else if (payload_length == 127)
    {
      if (length < 10)
        return COHORT_WS_PARSE_NEED_MORE;
      payload_length = 0;
      for (guint i = 0; i < 8; i++)
        payload_length = (payload_length << 8) | data[2 + i];
      if ((payload_length >> 63) != 0 || payload_length <= G_MAXUINT16)
        return COHORT_WS_PARSE_ERROR;
      at = 10;
    }

  if (header->opcode >= COHORT_WS_OP_CLOSE &&
      (!header->fin || payload_length > COHORT_WS_MAX_CONTROL_PAYLOAD))
    return COHORT_WS_PARSE_ERROR;

  if (payload_length > max_payload)
    {
      *close_code = COHORT_WS_CLOSE_TOO_BIG;
      return COHORT_WS_PARSE_ERROR;
    }

  if (length < at + 4)
    return COHORT_WS_PARSE_NEED_MORE;
  memcpy (header->mask, data + at, 4);
  header->payload_length = payload_length;
  header->header_length = at + 4;
  return COHORT_WS_PARSE_OK;
}

void
cohort_ws_unmask (guint8       *payload,
                  gsize         length,
                  const guint8  mask[4])
{
  for (gsize i = 0; i < length; i++)
    payload[i] ^= mask[i & 3];
}

gsize
cohort_ws_server_header (guint8         out[10],
                         CohortWsOpcode opcode,
                         guint64        payload_length)
{
  out[0] = 0x80 | opcode;

  if (payload_length < 126)
    {
      out[1] = payload_length;
      return 2;
    }

  if (payload_length <= G_MAXUINT16)
    {
      out[1] = 126;
      out[2] = payload_length >> 8;
      out[3] = payload_length & 0xFF;
      return 4;
    }

  out[1] = 127;
  for (guint i = 0; i < 8; i++)
    out[2 + i] = (payload_length >> (56 - 8 * i)) & 0xFF;
  return 10;
}

gboolean
cohort_ws_close_code_is_valid (gushort code)
{
  /* 1004-1006 and 1015 are reserved for reporting, never sent. */
  if (code >= 1000 && code <= 1014)
    return code != 1004 && code != 1005 && code != 1006;
  return code >= 3000 && code <= 4999;
}

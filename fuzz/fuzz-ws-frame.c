/* fuzz-ws-frame.c: the server's RFC 6455 frame header parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-fuzz"

#include "config.h"

#include <string.h>

#include "cohort-protocol.h"
#include "cohort-ws-frame.h"
#include "fuzz-common.h"

/* The connection's limit (cohort-connection.c: max_payload). */
#define MAX_PAYLOAD COHORT_HARD_FRAME_BYTES

/* A client's header for @header, written independently of the parser:
 * the minimal length encoding, the mask bit and the key. */
static gsize
client_header (const CohortWsFrameHeader *header,
               guint8                     out[COHORT_WS_MAX_HEADER])
{
  gsize at;

  out[0] = (header->fin ? 0x80 : 0) | header->opcode;
  if (header->payload_length < 126)
    {
      out[1] = 0x80 | header->payload_length;
      at = 2;
    }
  else if (header->payload_length <= G_MAXUINT16)
    {
      out[1] = 0x80 | 126;
      out[2] = header->payload_length >> 8;
      out[3] = header->payload_length & 0xFF;
      at = 4;
    }
  else
    {
      out[1] = 0x80 | 127;
      for (guint i = 0; i < 8; i++)
        out[2 + i] = (header->payload_length >> (56 - 8 * i)) & 0xFF;
      at = 10;
    }
  memcpy (out + at, header->mask, 4);
  return at + 4;
}

/* Invariants, for each frame of a stream read the way
 * CohortConnection:process_input reads it:
 * - OK reports a header no longer than the bytes there, of 6, 8 or 14
 *   bytes, that is exactly the minimal client encoding of what it
 *   reports; a payload within the limit; control frames final and at most
 *   125 bytes; an opcode RFC 6455 defines;
 * - every shorter prefix of an OK header is NEED_MORE, never an error, and
 *   a prefix of an ERROR stays NEED_MORE or the same ERROR: a header split
 *   across reads is read the same;
 * - ERROR gives a close code the server may send;
 * - a server header for the same length has the same length encoding;
 * - unmasking twice gives the payload back. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gsize offset = 0;

  fuzz_init_once ();

  while (offset < size)
    {
      const guint8 *frame = data + offset;
      gsize available = size - offset;
      CohortWsFrameHeader header = { 0 };
      gushort code = 0;
      CohortWsParseResult result;

      result = cohort_ws_parse_client_header (frame, available, MAX_PAYLOAD, &header, &code);

      for (gsize k = 0; k < MIN (available, COHORT_WS_MAX_HEADER); k++)
        {
          CohortWsFrameHeader partial = { 0 };
          gushort partial_code = 0;
          CohortWsParseResult r;

          r = cohort_ws_parse_client_header (frame, k, MAX_PAYLOAD, &partial, &partial_code);
          if (result == COHORT_WS_PARSE_OK && k < header.header_length)
            FUZZ_CHECK (r == COHORT_WS_PARSE_NEED_MORE, "a prefix of a good header needs more");
          if (result == COHORT_WS_PARSE_NEED_MORE)
            FUZZ_CHECK (r == COHORT_WS_PARSE_NEED_MORE, "a prefix of a short header needs more");
          if (result == COHORT_WS_PARSE_ERROR && r == COHORT_WS_PARSE_ERROR)
            FUZZ_CHECK (partial_code == code, "a prefix fails with the same code");
          if (result == COHORT_WS_PARSE_ERROR)
            FUZZ_CHECK (r != COHORT_WS_PARSE_OK, "a prefix of a bad header is not good");
        }

      if (result == COHORT_WS_PARSE_NEED_MORE)
        {
          FUZZ_CHECK (available < COHORT_WS_MAX_HEADER, "14 bytes always decide");
          break;
        }

      if (result == COHORT_WS_PARSE_ERROR)
        {
          FUZZ_CHECK (cohort_ws_close_code_is_valid (code), "a close code that may be sent");
          FUZZ_CHECK (code == COHORT_WS_CLOSE_PROTOCOL_ERROR || code == COHORT_WS_CLOSE_TOO_BIG,
                      "protocol error or too big");
          break;
        }

      {
        guint8 encoded[COHORT_WS_MAX_HEADER];
        guint8 server[10];
        gsize server_length;

        FUZZ_CHECK (header.header_length <= available, "header within the input");
        FUZZ_CHECK (header.header_length == 6 || header.header_length == 8 ||
                    header.header_length == 14, "header length");
        FUZZ_CHECK (header.payload_length <= MAX_PAYLOAD, "payload within the limit");
        FUZZ_CHECK (header.opcode <= COHORT_WS_OP_BINARY ||
                    (header.opcode >= COHORT_WS_OP_CLOSE && header.opcode <= COHORT_WS_OP_PONG),
                    "known opcode");
        if (header.opcode >= COHORT_WS_OP_CLOSE)
          FUZZ_CHECK (header.fin && header.payload_length <= COHORT_WS_MAX_CONTROL_PAYLOAD,
                      "short, final control frame");

        FUZZ_CHECK (client_header (&header, encoded) == header.header_length, "minimal encoding");
        FUZZ_CHECK (memcmp (encoded, frame, header.header_length) == 0, "header re-encodes");

        server_length = cohort_ws_server_header (server, header.opcode, header.payload_length);
        FUZZ_CHECK (server_length + 4 == header.header_length, "server header length");
        FUZZ_CHECK (memcmp (server + 2, encoded + 2, server_length - 2) == 0,
                    "server length encoding");
        FUZZ_CHECK ((server[1] & 0x7F) == (encoded[1] & 0x7F), "same length form");
      }

      /* As process_input: wait for the whole payload. */
      if (available - header.header_length < header.payload_length)
        break;

      if (header.payload_length > 0)
        {
          g_autofree guint8 *payload = g_memdup2 (frame + header.header_length,
                                                  header.payload_length);

          cohort_ws_unmask (payload, header.payload_length, header.mask);
          cohort_ws_unmask (payload, header.payload_length, header.mask);
          FUZZ_CHECK (memcmp (payload, frame + header.header_length, header.payload_length) == 0,
                      "unmasking twice is the identity");
        }

      offset += header.header_length + header.payload_length;
    }

  return 0;
}

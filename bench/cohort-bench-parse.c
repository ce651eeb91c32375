/* cohort-bench-parse.c: the cost of parsing one request frame
 *
 * Parses a typical chat.send frame (and, for scale, one near the 2,000-character chat limit) N times
 * with cohort_protocol_parse_request(), the path every frame a client sends
 * takes, and prints one JSON object with the nanoseconds per parse. Run it
 * under `valgrind --tool=callgrind` for instruction counts that do not
 * depend on the machine's load (docs/protocol.md, "Strict JSON").
 *
 *   cohort-bench-parse [ITERATIONS [chat]]
 *
 * With "chat", only the chat.send frame (for callgrind's per-frame count:
 * divide the program's instructions by ITERATIONS).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cohort-protocol.h"

static const char chat_send[] =
  "{\"type\":\"chat.send\",\"id\":\"6f1c2a9e-4b7d-4c1e-9a55-2d0e8f3b7c11\",\"body\":"
  "{\"text\":\"Can you explain the second example again? I did not get the part about "
  "friction.\",\"channel\":\"class\",\"question\":true,"
  "\"client_id\":\"c-1d9e3a7b-55f0-4e2a-8c61-0b9f2e4d7a3c\"}}";

static double
run (const char *frame,
     guint       iterations)
{
  gsize length = strlen (frame);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < iterations; i++)
    {
      g_autoptr(CohortMessage) error_reply = NULL;
      g_autoptr(CohortMessage) message = cohort_protocol_parse_request (frame, length, &error_reply);

      if (message == NULL)
        g_error ("the benchmark frame did not parse: %s",
                 cohort_message_get_error_message (error_reply));
    }

  return (g_get_monotonic_time () - start) * 1000.0 / iterations;
}

int
main (int   argc,
      char *argv[])
{
  guint iterations = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 100000;
  g_autoptr(GString) big = g_string_new ("{\"type\":\"chat.send\",\"id\":\"big\",\"body\":{\"text\":\"");
  double small_ns, big_ns;

  if (iterations == 0)
    iterations = 1;
  while (big->len < 1900)
    g_string_append (big, "Newton's second law, F = m a, explains the cart. ");
  g_string_append (big, "\"}}");

  small_ns = run (chat_send, iterations);
  big_ns = argc > 2 && g_str_equal (argv[2], "chat") ? 0 : run (big->str, MAX (iterations / 10, 1));

  g_print ("{\"iterations\": %u, \"chat_send_bytes\": %zu, \"chat_send_ns\": %.0f, "
           "\"big_bytes\": %zu, \"big_ns\": %.0f}\n",
           iterations, strlen (chat_send), small_ns, big->len, big_ns);
  return 0;
}

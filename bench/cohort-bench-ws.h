/* cohort-bench-ws.h: the load generators' minimal WebSocket client
 *
 * Many client connections to a cohort-server on this machine, in one
 * thread and one epoll set, with just enough of RFC 6455 for the bench:
 * an HTTP upgrade to /ws?batch=1, masked text frames out, unfragmented
 * text frames in (each split into its batch lines), pings answered. A
 * thousand sockets read in a GLib main loop through libsoup cost the
 * generator tens of milliseconds per fan-out and made its timestamps
 * late; here a frame costs a few microseconds. Loopback only. Any
 * protocol error, refused handshake or closed connection ends the
 * process with a message: a benchmark must not print numbers from a run
 * that went wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct _CohortBenchWs     CohortBenchWs;
typedef struct _CohortBenchWsLoop CohortBenchWsLoop;

/* One server → client message: a text frame, or one line of a batch
 * frame. @message is not NUL-terminated and is valid during the call. */
typedef void (*CohortBenchWsMessageFunc) (CohortBenchWs *ws,
                                          const char    *message,
                                          size_t         length,
                                          void          *user_data);

struct _CohortBenchWsLoop
{
  int                      epfd;
  int                      port;
  CohortBenchWsMessageFunc on_message;
  /* Connections whose upgrade the server has accepted. */
  long                     n_open;
  /* When any connection last read anything (pings too). */
  uint64_t                 last_rx_ns;
};

struct _CohortBenchWs
{
  CohortBenchWsLoop *loop;
  int                fd;
  /* Names the connection in error messages. */
  int                id;
  void              *user_data;
  int                handshaken;
  int                want_write;
  char              *in;
  size_t             in_len;
  size_t             in_cap;
  char              *out;
  size_t             out_len;
  size_t             out_cap;
};

uint64_t cohort_bench_ws_now_ns    (void);
void     cohort_bench_ws_die       (const char *what) __attribute__ ((noreturn));
void     cohort_bench_ws_fail      (const char *format,
                                    ...) __attribute__ ((noreturn, format (printf, 1, 2)));

void     cohort_bench_ws_loop_init (CohortBenchWsLoop        *loop,
                                    int                       port,
                                    CohortBenchWsMessageFunc  on_message);
void     cohort_bench_ws_poll      (CohortBenchWsLoop *loop,
                                    int                timeout_ms);

void     cohort_bench_ws_open      (CohortBenchWsLoop *loop,
                                    CohortBenchWs     *ws,
                                    int                id,
                                    void              *user_data);
void     cohort_bench_ws_send_text (CohortBenchWs *ws,
                                    const char    *text,
                                    size_t         length);
void     cohort_bench_ws_close     (CohortBenchWs *ws);

/* The staff credential class.create needs ($COHORT_STAFF_CREDENTIAL, which
 * bench/chat.sh and bench/quiz.sh set from cohort-server --add-staff); dies
 * when it is missing or not a credential (43 base64url characters). */
const char *cohort_bench_staff_credential (void);

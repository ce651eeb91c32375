/* cohort-test-client.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "cohort-protocol.h"

G_BEGIN_DECLS

/* A raw WebSocket client for tests. Every call is synchronous: it iterates
 * the thread-default main context until the answer arrives or the timeout
 * (5 s unless set) passes. Frames that arrive while waiting for something
 * else stay queued, in order. */
typedef struct _CohortTestClient CohortTestClient;

/* g_assert()s that the connection succeeds. */
CohortTestClient *cohort_test_client_new             (const char        *url);
/* NULL with @error set when the handshake fails. */
CohortTestClient *cohort_test_client_try_new         (const char        *url,
                                                      GError           **error);
void              cohort_test_client_free            (CohortTestClient  *c);
/* COHORT_TEST_TIMEOUT_SCALE (1 to 20; 1 when unset): the factor by which
 * the sanitizer pass stretches every wait for a frame. */
guint             cohort_test_client_get_timeout_scale (void);
void              cohort_test_client_set_timeout     (CohortTestClient  *c,
                                                      guint              timeout_ms);

void              cohort_test_client_send_text       (CohortTestClient  *c,
                                                      const char        *text);
void              cohort_test_client_send_binary     (CohortTestClient  *c,
                                                      gconstpointer      data,
                                                      gsize              length);

/* Sends {"type": @type, "id": @id, "body": @body} (@id NULL: a fresh one,
 * @body NULL: {}) and returns the reply to it, or NULL on timeout or close. */
CohortMessage    *cohort_test_client_request         (CohortTestClient  *c,
                                                      const char        *type,
                                                      const char        *id,
                                                      JsonObject        *body);
/* Like cohort_test_client_request() but asserts an "ok" reply. */
CohortMessage    *cohort_test_client_request_ok      (CohortTestClient  *c,
                                                      const char        *type,
                                                      JsonObject        *body);
/* Waits for the next reply (ok or error), whatever its "re". */
/* A request whose body is the JSON text @body_json, which must succeed;
 * its ok body (a new reference). */
JsonObject       *cohort_test_client_ok_json         (CohortTestClient  *c,
                                                      const char        *type,
                                                      const char        *body_json);
CohortMessage    *cohort_test_client_next_reply      (CohortTestClient  *c);
/* Waits for the reply whose "re" is @re; replies to other ids are dropped. */
CohortMessage    *cohort_test_client_wait_reply      (CohortTestClient  *c,
                                                      const char        *re);
/* Waits for the next event (@event NULL: any). Events with other names that
 * come first are dropped. NULL on timeout or close. */
CohortMessage    *cohort_test_client_next_event      (CohortTestClient  *c,
                                                      const char        *event);
/* Everything received (and not yet consumed) until nothing arrived for
 * @quiet_ms. Array of CohortMessage. */
GPtrArray        *cohort_test_client_drain           (CohortTestClient  *c,
                                                      guint              quiet_ms);
/* Frames received that cohort_protocol_parse_server() rejected. */
guint             cohort_test_client_get_n_bad_frames (CohortTestClient *c);

/* Drops the TCP connection without a close frame. */
void              cohort_test_client_drop            (CohortTestClient  *c);
/* Orderly close (1000) and waits for it. */
void              cohort_test_client_close           (CohortTestClient  *c);
gboolean          cohort_test_client_wait_closed     (CohortTestClient  *c,
                                                      guint              timeout_ms);
gboolean          cohort_test_client_is_closed       (CohortTestClient  *c);
gushort           cohort_test_client_get_close_code  (CohortTestClient  *c);

/* Convenience for the common steps. They assert an "ok" reply. */
/* class.create; returns the reply body (ref'd): class, you, token, teacher_key, … */
JsonObject       *cohort_test_client_create_class    (CohortTestClient  *c,
                                                      const char        *title,
                                                      const char        *name);
/* class.join (@teacher_key may be NULL); returns the reply body (ref'd). */
JsonObject       *cohort_test_client_join            (CohortTestClient  *c,
                                                      const char        *code,
                                                      const char        *name,
                                                      const char        *teacher_key);

/* Asserts that @reply is an error with @code ("forbidden", …) and, unless
 * @field is NULL, about @field. */
void              cohort_test_client_assert_error    (CohortMessage     *reply,
                                                      const char        *code,
                                                      const char        *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortTestClient, cohort_test_client_free)

/* A class on a server of its own: @teacher_name created @title (as the
 * test server's staff, no waiting room) and @student_name joined it, each
 * on a raw client; @code and the student's @token as the join gave them,
 * @teacher_token as the create gave it; each one's participant id, the
 * class's id, and the create's and the join's whole reply bodies. */
typedef struct
{
  struct _CohortTestServer *server;
  CohortTestClient         *teacher;
  CohortTestClient         *student;
  char                     *code;
  char                     *token;
  char                     *teacher_token;
  gint64                    teacher_id;
  gint64                    student_id;
  gint64                    class_id;
  JsonObject               *created;
  JsonObject               *joined;
} CohortTestClassroom;

void              cohort_test_classroom_open         (CohortTestClassroom *k,
                                                      const char          *title,
                                                      const char          *teacher_name,
                                                      const char          *student_name);
void              cohort_test_classroom_close        (CohortTestClassroom *k);

G_END_DECLS

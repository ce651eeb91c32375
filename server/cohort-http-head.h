/* cohort-http-head.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The largest request head (request line, header lines and the empty line)
 * the server reads; a longer one is refused with 431. */
#define COHORT_HTTP_HEAD_MAX_BYTES   8192
#define COHORT_HTTP_HEAD_MAX_HEADERS 64

#define COHORT_HTTP_HEAD_ERROR (cohort_http_head_error_quark ())

typedef enum
{
  /* Nothing wrong in what came so far, but the head is not complete. */
  COHORT_HTTP_HEAD_ERROR_INCOMPLETE,
  /* Malformed or ambiguous: answered with 400. */
  COHORT_HTTP_HEAD_ERROR_INVALID,
  /* Longer than COHORT_HTTP_HEAD_MAX_BYTES, or too many header lines: 431. */
  COHORT_HTTP_HEAD_ERROR_TOO_LARGE,
} CohortHttpHeadError;

typedef struct
{
  char *name;
  char *value;
} CohortHttpHeader;

/* A request head that passed cohort_http_head_parse(). */
typedef struct
{
  char   *method;
  /* origin-form: starts with '/' */
  char   *target;
  /* HTTP/1.@minor_version: 0 or 1 */
  guint   minor_version;
  /* CohortHttpHeader, in the order they came, values without the OWS
   * around them */
  GArray *headers;
} CohortHttpHead;

GQuark      cohort_http_head_error_quark (void);
gboolean    cohort_http_head_parse       (const guint8    *data,
                                          gsize            length,
                                          CohortHttpHead **out,
                                          gsize           *head_length,
                                          GError         **error);
/* The value of header @name (case-insensitive), NULL if it is absent. */
const char *cohort_http_head_get         (const CohortHttpHead *head,
                                          const char           *name);
void        cohort_http_head_free        (CohortHttpHead  *head);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortHttpHead, cohort_http_head_free)

G_END_DECLS

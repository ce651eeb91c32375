/* cohort-error-message.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Which start-page field an error belongs to. */
typedef enum
{
  COHORT_ERROR_FIELD_NONE,
  COHORT_ERROR_FIELD_SERVER,
  COHORT_ERROR_FIELD_CODE,
  COHORT_ERROR_FIELD_NAME,
  COHORT_ERROR_FIELD_TITLE,
  COHORT_ERROR_FIELD_TEACHER_KEY,
  COHORT_ERROR_FIELD_STAFF_CREDENTIAL,
} CohortErrorField;

/* Turns @error into a translated sentence that says what happened and what
 * to do next. @server_url and @code may be NULL. */
char *cohort_error_message_for_user (const GError     *error,
                                     const char       *server_url,
                                     const char       *code,
                                     CohortErrorField *out_field);

/* "host:port" → "ws://host:port/ws"; keeps ws:// and wss:// URLs. NULL when
 * @raw is empty. */
char *cohort_normalize_server_url   (const char       *raw);

/* A personal join link, cohort://join?server=URL&code=CODE (the server
 * and code decoded); FALSE for anything else. */
gboolean cohort_parse_join_link (const char  *text,
                                 char       **out_server,
                                 char       **out_code);

G_END_DECLS

/* cohort-http-head.c: a strict reader of HTTP/1.x request heads (RFC 9112)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-http-head"

#include "config.h"

#include <string.h>

#include "cohort-http-head.h"

/* Every request passes through here before libsoup reads it (see
 * CohortHttpGate). libsoup's own parser is lenient: it folds obs-fold
 * lines, takes a bare LF for a line end and lets a duplicate
 * Content-Length or one beside Transfer-Encoding through. A proxy in
 * front may read such a head differently (request smuggling), so
 * anything RFC 9112 lets a server refuse is refused, and only a head
 * that any reader reads the same way goes on. */

G_DEFINE_QUARK (cohort-http-head-error-quark, cohort_http_head_error)

static gboolean
is_tchar (guint8 c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`|~", c) != NULL);
}

/* field-vchar, SP or HTAB: no NUL, CR, LF or other control. */
static gboolean
is_field_char (guint8 c)
{
  return c == '\t' || (c >= 0x20 && c != 0x7F);
}

static gboolean
invalid (GError     **error,
         const char  *what)
{
  g_set_error (error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_INVALID,
               "bad request head: %s", what);
  return FALSE;
}

static gboolean
parse_request_line (const guint8    *line,
                    gsize            length,
                    CohortHttpHead  *head,
                    GError         **error)
{
  gsize i = 0;
  gsize start;

  /* method SP request-target SP HTTP-version, one space each. */
  while (i < length && is_tchar (line[i]))
    i++;
  if (i == 0 || i == length || line[i] != ' ')
    return invalid (error, "request line");
  head->method = g_strndup ((const char *) line, i);

  start = ++i;
  while (i < length && line[i] > 0x20 && line[i] < 0x7F)
    i++;
  if (i == start || i == length || line[i] != ' ')
    return invalid (error, "request line");
  /* origin-form only: this is no proxy, and no OPTIONS * is served */
  if (line[start] != '/')
    return invalid (error, "request target");
  head->target = g_strndup ((const char *) line + start, i - start);

  i++;
  if (length - i != 8 || memcmp (line + i, "HTTP/1.", 7) != 0 ||
      (line[i + 7] != '0' && line[i + 7] != '1'))
    return invalid (error, "HTTP version");
  head->minor_version = line[i + 7] - '0';
  return TRUE;
}

static gboolean
parse_header_line (const guint8    *line,
                   gsize            length,
                   CohortHttpHead  *head,
                   GError         **error)
{
  CohortHttpHeader header;
  gsize colon = 0;
  gsize start;
  gsize end;

  /* obs-fold: a continuation line that a proxy may join or not */
  if (line[0] == ' ' || line[0] == '\t')
    return invalid (error, "folded header line");
  while (colon < length && is_tchar (line[colon]))
    colon++;
  /* nothing (not even a space) between the name and its colon */
  if (colon == 0 || colon == length || line[colon] != ':')
    return invalid (error, "header name");

  for (gsize i = colon + 1; i < length; i++)
    if (!is_field_char (line[i]))
      return invalid (error, "control character in a header value");

  start = colon + 1;
  end = length;
  while (start < end && (line[start] == ' ' || line[start] == '\t'))
    start++;
  while (end > start && (line[end - 1] == ' ' || line[end - 1] == '\t'))
    end--;

  header.name = g_strndup ((const char *) line, colon);
  header.value = g_strndup ((const char *) line + start, end - start);
  g_array_append_val (head->headers, header);
  return TRUE;
}

static guint
count_headers (const CohortHttpHead *head,
               const char           *name)
{
  guint n = 0;

  for (guint i = 0; i < head->headers->len; i++)
    if (g_ascii_strcasecmp (g_array_index (head->headers, CohortHttpHeader, i).name, name) == 0)
      n++;
  return n;
}

/* What decides where the message ends, and who it is for, must be there
 * once and mean one thing. */
static gboolean
check_framing (const CohortHttpHead  *head,
               GError               **error)
{
  guint n_length = count_headers (head, "Content-Length");
  guint n_encoding = count_headers (head, "Transfer-Encoding");
  guint n_host = count_headers (head, "Host");

  if (n_host > 1 || (n_host == 0 && head->minor_version == 1))
    return invalid (error, "Host");
  if (n_length > 1)
    return invalid (error, "more than one Content-Length");
  if (n_length == 1)
    {
      const char *value = cohort_http_head_get (head, "Content-Length");
      gsize n = strlen (value);

      if (n == 0 || n > 15 || strspn (value, "0123456789") != n)
        return invalid (error, "Content-Length");
    }
  if (n_encoding > 0)
    {
      if (n_length > 0)
        return invalid (error, "Content-Length and Transfer-Encoding");
      if (head->minor_version == 0)
        return invalid (error, "Transfer-Encoding in HTTP/1.0");
      if (n_encoding > 1 || g_ascii_strcasecmp (cohort_http_head_get (head, "Transfer-Encoding"),
                                                "chunked") != 0)
        return invalid (error, "Transfer-Encoding");
    }
  return TRUE;
}

/* What came so far of a line with no end yet must already be possible. */
static gboolean
check_partial_line (const guint8  *line,
                    gsize          length,
                    gboolean       first,
                    GError       **error)
{
  for (gsize i = 0; i < length; i++)
    {
      if (line[i] == '\r' && i + 1 < length)
        return invalid (error, "CR without LF");
      if (line[i] == '\0')
        return invalid (error, "NUL");
    }
  if (!first && length > 0 && (line[0] == ' ' || line[0] == '\t'))
    return invalid (error, "folded header line");
  return TRUE;
}

/**
 * cohort_http_head_parse:
 * @data: the bytes received so far
 * @length: how many
 * @out: (out): the head, when complete and valid
 * @head_length: (out) (optional): its length in bytes, up to and including
 *   the empty line (what follows is the body or the next request)
 *
 * Reads a request head strictly after RFC 9112: CRLF line ends only (no
 * bare LF or CR), no obs-fold, header names that are tokens with the colon
 * right after them, no NUL or other control characters in values, a
 * request line of exactly METHOD SP /target SP HTTP/1.0 or HTTP/1.1, one
 * Host (HTTP/1.1), at most one Content-Length made of digits, and never
 * Content-Length beside Transfer-Encoding (which may only be "chunked").
 *
 * Returns: TRUE and @out when the head is complete and valid; otherwise
 *   FALSE with COHORT_HTTP_HEAD_ERROR_INCOMPLETE (wait for more),
 *   _INVALID or _TOO_LARGE. What is wrong is found as soon as its line
 *   has ended, and a NUL, a bare CR or a folded line even before.
 */
gboolean
cohort_http_head_parse (const guint8    *data,
                        gsize            length,
                        CohortHttpHead **out,
                        gsize           *head_length,
                        GError         **error)
{
  g_autoptr(CohortHttpHead) head = g_new0 (CohortHttpHead, 1);
  gsize limit = MIN (length, COHORT_HTTP_HEAD_MAX_BYTES);
  gsize pos = 0;
  gboolean first = TRUE;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  *out = NULL;
  head->headers = g_array_new (FALSE, FALSE, sizeof (CohortHttpHeader));

  for (;;)
    {
      const guint8 *line = data + pos;
      const guint8 *lf = memchr (line, '\n', limit - pos);
      gsize line_length;

      if (lf == NULL)
        {
          if (!check_partial_line (line, limit - pos, first, error))
            return FALSE;
          if (length >= COHORT_HTTP_HEAD_MAX_BYTES)
            {
              g_set_error (error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_TOO_LARGE,
                           "request head over %u bytes", COHORT_HTTP_HEAD_MAX_BYTES);
              return FALSE;
            }
          g_set_error_literal (error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_INCOMPLETE,
                               "incomplete request head");
          return FALSE;
        }

      if (lf == line || lf[-1] != '\r')
        return invalid (error, "bare LF");
      line_length = lf - 1 - line;
      if (memchr (line, '\r', line_length) != NULL)
        return invalid (error, "CR without LF");
      if (memchr (line, '\0', line_length) != NULL)
        return invalid (error, "NUL");

      if (first)
        {
          if (!parse_request_line (line, line_length, head, error))
            return FALSE;
          first = FALSE;
        }
      else if (line_length == 0)
        {
          if (!check_framing (head, error))
            return FALSE;
          if (head_length != NULL)
            *head_length = lf + 1 - data;
          *out = g_steal_pointer (&head);
          return TRUE;
        }
      else
        {
          if (head->headers->len >= COHORT_HTTP_HEAD_MAX_HEADERS)
            {
              g_set_error (error, COHORT_HTTP_HEAD_ERROR, COHORT_HTTP_HEAD_ERROR_TOO_LARGE,
                           "more than %u header lines", COHORT_HTTP_HEAD_MAX_HEADERS);
              return FALSE;
            }
          if (!parse_header_line (line, line_length, head, error))
            return FALSE;
        }
      pos = lf + 1 - data;
    }
}

const char *
cohort_http_head_get (const CohortHttpHead *head,
                      const char           *name)
{
  g_return_val_if_fail (head != NULL, NULL);

  for (guint i = 0; i < head->headers->len; i++)
    {
      const CohortHttpHeader *header = &g_array_index (head->headers, CohortHttpHeader, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }
  return NULL;
}

void
cohort_http_head_free (CohortHttpHead *head)
{
  if (head == NULL)
    return;

  if (head->headers != NULL)
    {
      for (guint i = 0; i < head->headers->len; i++)
        {
          CohortHttpHeader *header = &g_array_index (head->headers, CohortHttpHeader, i);

          g_free (header->name);
          g_free (header->value);
        }
      g_array_unref (head->headers);
    }
  g_free (head->method);
  g_free (head->target);
  g_free (head);
}

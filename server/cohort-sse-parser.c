/* cohort-sse-parser.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-ai"

#include "config.h"

#include <string.h>

#include "cohort-sse-parser.h"

G_DEFINE_QUARK (cohort-sse-error-quark, cohort_sse_error)

#define DEFAULT_MAX_LINE (1024 * 1024)

typedef struct
{
  char     *event;
  char     *data;
  gboolean  truncated;
} SseEvent;

struct _CohortSseParser
{
  GObject   parent_instance;

  gsize     max_line;
  GString  *line;
  gboolean  line_truncated;  /* the line went over max_line: the rest is dropped */
  gboolean  after_cr;
  gboolean  at_start;
  gboolean  finished;

  GString  *data;
  gboolean  has_data;
  gboolean  data_truncated;
  char     *event;

  GQueue    events;
  guint     n_comments;
};

G_DEFINE_FINAL_TYPE (CohortSseParser, cohort_sse_parser, G_TYPE_OBJECT)

static void
sse_event_free (SseEvent *event)
{
  g_free (event->event);
  g_free (event->data);
  g_free (event);
}

static void
dispatch (CohortSseParser *self)
{
  SseEvent *event;

  if (!self->has_data)
    {
      g_clear_pointer (&self->event, g_free);
      return;
    }

  /* The data buffer ends with the newline of its last data line. */
  if (self->data->len > 0 && self->data->str[self->data->len - 1] == '\n')
    g_string_truncate (self->data, self->data->len - 1);

  event = g_new0 (SseEvent, 1);
  event->event = g_steal_pointer (&self->event);
  event->data = g_strndup (self->data->str, self->data->len);
  event->truncated = self->data_truncated;
  g_queue_push_tail (&self->events, event);

  g_string_truncate (self->data, 0);
  self->has_data = FALSE;
  self->data_truncated = FALSE;
}

/* The data and name of the event not yet dispatched. */
static gsize
pending_event_bytes (CohortSseParser *self)
{
  return self->data->len + (self->event != NULL ? strlen (self->event) : 0);
}

static gboolean
process_line (CohortSseParser  *self,
              GError          **error)
{
  const char *line = self->line->str;
  gsize length = self->line->len;
  const char *colon;
  g_autofree char *field = NULL;
  const char *value;
  gsize value_length;

  if (self->at_start)
    {
      self->at_start = FALSE;
      if (length >= 3 && memcmp (line, "\xef\xbb\xbf", 3) == 0)
        {
          line += 3;
          length -= 3;
        }
    }

  /* A line cut at max_line may end inside a character: drop its start. */
  if (self->line_truncated)
    {
      const char *valid_end;

      if (!g_utf8_validate_len (line, length, &valid_end) && line + length - valid_end < 4)
        length = valid_end - line;
    }

  if (!g_utf8_validate (line, length, NULL) || memchr (line, '\0', length) != NULL)
    {
      g_set_error_literal (error, COHORT_SSE_ERROR, COHORT_SSE_ERROR_BAD_UTF8,
                           "The event stream has a line that is not valid UTF-8");
      return FALSE;
    }

  if (length == 0)
    {
      dispatch (self);
      return TRUE;
    }

  if (line[0] == ':')
    {
      self->n_comments++;
      return TRUE;
    }

  colon = memchr (line, ':', length);
  if (colon != NULL)
    {
      field = g_strndup (line, colon - line);
      value = colon + 1;
      if (value < line + length && *value == ' ')
        value++;
      value_length = line + length - value;
    }
  else
    {
      /* A bare "data" line is a field with an empty value. The length is
       * not measured from the line here: "value" is not in it. */
      field = g_strndup (line, length);
      value = "";
      value_length = 0;
    }

  if (g_str_equal (field, "data"))
    {
      self->has_data = TRUE;
      if (self->line_truncated)
        self->data_truncated = TRUE;

      /* Many data lines without a blank one are bounded like one line:
       * what does not fit (with its newline) is dropped. */
      if (self->data->len + value_length + 1 > self->max_line)
        {
          const char *valid_end;
          gsize room = self->max_line - MIN (self->data->len + 1, self->max_line);

          self->data_truncated = TRUE;
          if (room == 0)
            return TRUE;
          g_utf8_validate_len (value, MIN (room, value_length), &valid_end);
          value_length = valid_end - value;
        }
      g_string_append_len (self->data, value, value_length);
      g_string_append_c (self->data, '\n');
    }
  else if (g_str_equal (field, "event"))
    {
      if (self->data->len + value_length > self->max_line)
        {
          g_set_error (error, COHORT_SSE_ERROR, COHORT_SSE_ERROR_EVENT_TOO_LARGE,
                       "The event stream has an event longer than %" G_GSIZE_FORMAT " bytes",
                       self->max_line);
          return FALSE;
        }
      g_free (self->event);
      self->event = g_strndup (value, value_length);
    }
  /* "id", "retry" and unknown fields are ignored. */

  return TRUE;
}

static gboolean
end_line (CohortSseParser  *self,
          GError          **error)
{
  gboolean ok = process_line (self, error);

  g_string_truncate (self->line, 0);
  self->line_truncated = FALSE;
  return ok;
}

gboolean
cohort_sse_parser_feed (CohortSseParser  *self,
                        const char       *data,
                        gsize             length,
                        GError          **error)
{
  g_return_val_if_fail (COHORT_IS_SSE_PARSER (self), FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (c == '\n' && self->after_cr)
        {
          /* The LF of a CR LF pair, maybe in the next chunk. */
          self->after_cr = FALSE;
          continue;
        }
      self->after_cr = FALSE;

      if (c == '\r' || c == '\n')
        {
          self->after_cr = (c == '\r');
          if (!end_line (self, error))
            return FALSE;
          continue;
        }

      /* Copy the run up to the next line break in one go. */
      {
        const char *start = data + i;
        gsize run = 1;

        while (i + run < length && data[i + run] != '\n' && data[i + run] != '\r')
          run++;

        i += run - 1;
        if (self->line_truncated)
          continue;

        if (self->line->len + run > self->max_line)
          {
            /* Memory stays bounded by max_line: a data line (one huge
             * token) or a comment keeps its first max_line bytes and the
             * rest of it is dropped, so the answer can be cut where its
             * own limit says; any other line that long is an error. */
            g_string_append_len (self->line, start, self->max_line - self->line->len);
            if (!g_str_has_prefix (self->line->str, "data:") &&
                !g_str_has_prefix (self->line->str, ":") &&
                !(self->at_start && g_str_has_prefix (self->line->str, "\xef\xbb\xbf" "data:")))
              {
                g_set_error (error, COHORT_SSE_ERROR, COHORT_SSE_ERROR_LINE_TOO_LONG,
                             "The event stream has a line longer than %" G_GSIZE_FORMAT " bytes",
                             self->max_line);
                return FALSE;
              }
            self->line_truncated = TRUE;
            continue;
          }
        g_string_append_len (self->line, start, run);
      }
    }

  return TRUE;
}

gboolean
cohort_sse_parser_finish (CohortSseParser  *self,
                          GError          **error)
{
  g_return_val_if_fail (COHORT_IS_SSE_PARSER (self), FALSE);

  if (self->finished)
    return TRUE;
  self->finished = TRUE;

  if (self->line->len > 0 && !end_line (self, error))
    return FALSE;
  dispatch (self);

  return TRUE;
}

char *
cohort_sse_parser_pop_full (CohortSseParser  *self,
                            char            **out_event,
                            gboolean         *out_truncated)
{
  SseEvent *event;
  char *data;

  g_return_val_if_fail (COHORT_IS_SSE_PARSER (self), NULL);

  event = g_queue_pop_head (&self->events);
  if (event == NULL)
    {
      if (out_event != NULL)
        *out_event = NULL;
      if (out_truncated != NULL)
        *out_truncated = FALSE;
      return NULL;
    }

  data = g_steal_pointer (&event->data);
  if (out_event != NULL)
    *out_event = g_steal_pointer (&event->event);
  if (out_truncated != NULL)
    *out_truncated = event->truncated;
  sse_event_free (event);

  return data;
}

char *
cohort_sse_parser_pop (CohortSseParser  *self,
                       char            **out_event)
{
  return cohort_sse_parser_pop_full (self, out_event, NULL);
}

guint
cohort_sse_parser_get_n_comments (CohortSseParser *self)
{
  g_return_val_if_fail (COHORT_IS_SSE_PARSER (self), 0);

  return self->n_comments;
}

gsize
cohort_sse_parser_get_pending_bytes (CohortSseParser *self)
{
  g_return_val_if_fail (COHORT_IS_SSE_PARSER (self), 0);

  return self->line->len + pending_event_bytes (self);
}

static void
cohort_sse_parser_finalize (GObject *object)
{
  CohortSseParser *self = COHORT_SSE_PARSER (object);

  g_string_free (self->line, TRUE);
  g_string_free (self->data, TRUE);
  g_free (self->event);
  g_queue_clear_full (&self->events, (GDestroyNotify) sse_event_free);

  G_OBJECT_CLASS (cohort_sse_parser_parent_class)->finalize (object);
}

static void
cohort_sse_parser_class_init (CohortSseParserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_sse_parser_finalize;
}

static void
cohort_sse_parser_init (CohortSseParser *self)
{
  self->line = g_string_new (NULL);
  self->data = g_string_new (NULL);
  self->at_start = TRUE;
  self->max_line = DEFAULT_MAX_LINE;
  g_queue_init (&self->events);
}

CohortSseParser *
cohort_sse_parser_new (gsize max_line_bytes)
{
  CohortSseParser *self = g_object_new (COHORT_TYPE_SSE_PARSER, NULL);

  if (max_line_bytes > 0)
    self->max_line = max_line_bytes;

  return self;
}

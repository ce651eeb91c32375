/* cohort-json-strict.c: a strict RFC 8259 check run before json-glib
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-json-strict"

#include "config.h"

#include <string.h>

#include "cohort-json-strict.h"

/* json-glib's parser is lenient: it takes the last of two equal keys, stops
 * at the first value of several, and reads hex numbers, comments, single
 * quotes and a BOM. A peer that reads JSON another way (a proxy, a log
 * tool, another client) could then see a different request than the
 * server ran, so every frame goes through this check first. It only
 * reads: json-glib still builds the tree from the same bytes. */

/* Objects with more members than this get a hash set for their keys, so an
 * object of COHORT_JSON_MAX_MEMBERS keys costs no more than a linear scan
 * of a few. */
#define LINEAR_KEYS 16

typedef struct
{
  gsize offset;   /* into Checker.keys, NUL-terminated */
  gsize length;
  guint hash;
} Key;

typedef struct
{
  const guchar           *start;
  const guchar           *p;
  const guchar           *end;
  const guchar           *fault;
  CohortJsonStrictResult  result;
  guint                   depth;
  GString                *keys;      /* decoded keys of the open objects */
  GArray                 *key_index; /* Key */
} Checker;

static gboolean
fail (Checker                *self,
      CohortJsonStrictResult  result,
      const guchar           *at)
{
  if (self->result == COHORT_JSON_STRICT_OK)
    {
      self->result = result;
      self->fault = at;
    }
  return FALSE;
}

static void
skip_ws (Checker *self)
{
  while (self->p < self->end &&
         (*self->p == ' ' || *self->p == '\t' || *self->p == '\n' || *self->p == '\r'))
    self->p++;
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (Checker *self,
           guint   *out)
{
  guint value = 0;

  if (self->end - self->p < 4)
    return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (self->p[i]);

      if (h < 0)
        return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p + i);
      value = (value << 4) | (guint) h;
    }
  self->p += 4;
  *out = value;
  return TRUE;
}

/* One UTF-8 sequence at self->p (a lead byte >= 0x80): the shortest form,
 * no surrogates, at most U+10FFFF (RFC 3629). */
static gboolean
read_utf8 (Checker  *self,
           gunichar *out)
{
  const guchar *s = self->p;
  gsize left = self->end - s;
  gunichar c;
  guint n;

  if (s[0] >= 0xC2 && s[0] <= 0xDF)
    n = 2, c = s[0] & 0x1F;
  else if (s[0] >= 0xE0 && s[0] <= 0xEF)
    n = 3, c = s[0] & 0x0F;
  else if (s[0] >= 0xF0 && s[0] <= 0xF4)
    n = 4, c = s[0] & 0x07;
  else
    return fail (self, COHORT_JSON_STRICT_BAD_UNICODE, s);

  if (left < n)
    return fail (self, COHORT_JSON_STRICT_BAD_UNICODE, s);
  for (guint i = 1; i < n; i++)
    {
      if ((s[i] & 0xC0) != 0x80)
        return fail (self, COHORT_JSON_STRICT_BAD_UNICODE, s);
      c = (c << 6) | (s[i] & 0x3F);
    }
  if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
      (c >= 0xD800 && c <= 0xDFFF))
    return fail (self, COHORT_JSON_STRICT_BAD_UNICODE, s);

  self->p += n;
  *out = c;
  return TRUE;
}

/* A string at self->p (on the opening quote). With @decoded, appends its
 * value (for keys, to compare them after escapes are resolved). */
static gboolean
read_string (Checker *self,
             GString *decoded)
{
  self->p++;
  for (;;)
    {
      const guchar *run = self->p;
      guchar c;

      /* The common case: plain ASCII up to the next quote or escape. */
      while (self->p < self->end && *self->p >= 0x20 && *self->p < 0x80 &&
             *self->p != '"' && *self->p != '\\')
        self->p++;
      if (decoded != NULL && self->p > run)
        g_string_append_len (decoded, (const char *) run, self->p - run);

      if (self->p >= self->end)
        return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);

      c = *self->p;
      if (c == '"')
        {
          self->p++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);   /* unescaped control */
      if (c >= 0x80)
        {
          const guchar *at = self->p;
          gunichar u;

          if (!read_utf8 (self, &u))
            return FALSE;
          if (decoded != NULL)
            g_string_append_len (decoded, (const char *) at, self->p - at);
          continue;
        }

      /* A backslash. */
      if (self->end - self->p < 2)
        return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
      c = self->p[1];
      if (c == 'u')
        {
          const guchar *at = self->p;
          guint u;

          self->p += 2;
          if (!read_hex4 (self, &u))
            return FALSE;
          if (u == 0)
            return fail (self, COHORT_JSON_STRICT_NUL, at);
          if (u >= 0xDC00 && u <= 0xDFFF)
            return fail (self, COHORT_JSON_STRICT_BAD_UNICODE, at);
          if (u >= 0xD800 && u <= 0xDBFF)
            {
              guint low;

              if (self->end - self->p < 2 || self->p[0] != '\\' || self->p[1] != 'u')
                return fail (self, COHORT_JSON_STRICT_BAD_UNICODE, at);
              self->p += 2;
              if (!read_hex4 (self, &low))
                return FALSE;
              if (low < 0xDC00 || low > 0xDFFF)
                return fail (self, COHORT_JSON_STRICT_BAD_UNICODE, at);
              u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
            }
          if (decoded != NULL)
            g_string_append_unichar (decoded, u);
          continue;
        }

      switch (c)
        {
        case '"': case '\\': case '/':
          break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        default:
          return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
        }
      if (decoded != NULL)
        g_string_append_c (decoded, (char) c);
      self->p += 2;
    }
}

static gboolean
read_digits (Checker *self)
{
  const guchar *first = self->p;

  while (self->p < self->end && g_ascii_isdigit (*self->p))
    self->p++;
  if (self->p == first)
    return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
  return TRUE;
}

/* Whether the integer digits [@digits, @end) (no leading zero), negative
 * or not, fit a gint64. json-glib reads one that does not wrapped, not
 * refused: -18446744073709551615 as 1, 18446744073709551615 as -1. */
static gboolean
fits_int64 (const guchar *digits,
            const guchar *end,
            gboolean      negative)
{
  const char *limit = negative ? "9223372036854775808" : "9223372036854775807";
  gsize n = end - digits;

  return n < 19 || (n == 19 && memcmp (digits, limit, 19) <= 0);
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
read_number (Checker *self)
{
  const guchar *start = self->p;
  gboolean negative = *self->p == '-';

  if (negative)
    self->p++;
  if (self->p >= self->end)
    return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
  if (*self->p == '0')
    {
      self->p++;
      /* A leading zero stands alone: 0x1F and 007 are not JSON. */
      if (self->p < self->end && g_ascii_isalnum (*self->p) &&
          *self->p != 'e' && *self->p != 'E')
        return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
    }
  else if (!read_digits (self))
    return FALSE;
  else if ((self->p >= self->end || (*self->p != '.' && *self->p != 'e' && *self->p != 'E')) &&
           !fits_int64 (start + negative, self->p, negative))
    return fail (self, COHORT_JSON_STRICT_NUMBER_RANGE, start);

  if (self->p < self->end && *self->p == '.')
    {
      self->p++;
      if (!read_digits (self))
        return FALSE;
    }
  if (self->p < self->end && (*self->p == 'e' || *self->p == 'E'))
    {
      self->p++;
      if (self->p < self->end && (*self->p == '+' || *self->p == '-'))
        self->p++;
      if (!read_digits (self))
        return FALSE;
    }
  return TRUE;
}

static gboolean
read_literal (Checker    *self,
              const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (self->end - self->p) < n || memcmp (self->p, word, n) != 0)
    return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
  self->p += n;
  return TRUE;
}

static gboolean read_value (Checker *self);

static gboolean
key_seen (Checker    *self,
          guint       first,
          GHashTable *set,
          const Key  *key)
{
  const char *text = self->keys->str + key->offset;

  if (set != NULL)
    return !g_hash_table_add (set, g_strndup (text, key->length));

  for (guint i = first; i < self->key_index->len; i++)
    {
      const Key *other = &g_array_index (self->key_index, Key, i);

      if (other->hash == key->hash && other->length == key->length &&
          memcmp (self->keys->str + other->offset, text, key->length) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
read_object (Checker *self)
{
  g_autoptr(GHashTable) set = NULL;
  guint first = self->key_index->len;
  gsize keys_len = self->keys->len;
  guint n_members = 0;
  gboolean ok = FALSE;

  self->p++;
  skip_ws (self);
  if (self->p < self->end && *self->p == '}')
    {
      self->p++;
      return TRUE;
    }

  for (;;)
    {
      const guchar *at;
      Key key;

      skip_ws (self);
      if (self->p >= self->end || *self->p != '"')
        {
          fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
          goto out;
        }

      at = self->p;
      /* json-glib keeps an object's members in a GHashTable keyed by
       * g_str_hash, which anyone can make collide ("Ab" and "BA" hash
       * alike): 2,300 such keys in one 64 KiB frame cost 56 ms to parse
       * instead of 1.3, and 50 frames a second would hold the server. */
      if (n_members++ == COHORT_JSON_MAX_MEMBERS)
        {
          fail (self, COHORT_JSON_STRICT_TOO_MANY_MEMBERS, at);
          goto out;
        }
      key.offset = self->keys->len;
      if (!read_string (self, self->keys))
        goto out;
      key.length = self->keys->len - key.offset;
      g_string_append_c (self->keys, '\0');
      key.hash = g_str_hash (self->keys->str + key.offset);

      if (set == NULL && self->key_index->len - first >= LINEAR_KEYS)
        {
          set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          for (guint i = first; i < self->key_index->len; i++)
            {
              const Key *k = &g_array_index (self->key_index, Key, i);

              g_hash_table_add (set, g_strndup (self->keys->str + k->offset, k->length));
            }
        }
      if (key_seen (self, first, set, &key))
        {
          fail (self, COHORT_JSON_STRICT_DUPLICATE_KEY, at);
          goto out;
        }
      if (set == NULL)
        g_array_append_val (self->key_index, key);

      skip_ws (self);
      if (self->p >= self->end || *self->p != ':')
        {
          fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
          goto out;
        }
      self->p++;
      if (!read_value (self))
        goto out;
      skip_ws (self);
      if (self->p < self->end && *self->p == ',')
        {
          self->p++;
          continue;     /* a trailing comma fails on the next key */
        }
      if (self->p < self->end && *self->p == '}')
        {
          self->p++;
          ok = TRUE;
          goto out;
        }
      fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
      goto out;
    }

out:
  /* This object's keys are done with; its parent's stay. */
  g_array_set_size (self->key_index, first);
  g_string_truncate (self->keys, keys_len);
  return ok;
}

static gboolean
read_array (Checker *self)
{
  self->p++;
  skip_ws (self);
  if (self->p < self->end && *self->p == ']')
    {
      self->p++;
      return TRUE;
    }

  for (;;)
    {
      if (!read_value (self))
        return FALSE;
      skip_ws (self);
      if (self->p < self->end && *self->p == ',')
        {
          self->p++;
          continue;
        }
      if (self->p < self->end && *self->p == ']')
        {
          self->p++;
          return TRUE;
        }
      return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
    }
}

static gboolean
read_value (Checker *self)
{
  gboolean ok;

  skip_ws (self);
  if (self->p >= self->end)
    return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);

  switch (*self->p)
    {
    case '{':
    case '[':
      if (self->depth >= COHORT_JSON_MAX_DEPTH)
        return fail (self, COHORT_JSON_STRICT_TOO_DEEP, self->p);
      self->depth++;
      ok = *self->p == '{' ? read_object (self) : read_array (self);
      self->depth--;
      return ok;
    case '"':
      return read_string (self, NULL);
    case 't':
      return read_literal (self, "true");
    case 'f':
      return read_literal (self, "false");
    case 'n':
      return read_literal (self, "null");
    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return read_number (self);
    default:
      /* NaN, Infinity, 'single quotes', comments, a BOM… */
      return fail (self, COHORT_JSON_STRICT_SYNTAX, self->p);
    }
}

CohortJsonStrictResult
cohort_json_strict_check (const char *data,
                          gsize       length,
                          gsize      *out_offset)
{
  Checker self = { 0 };
  gboolean is_object;

  g_return_val_if_fail (data != NULL || length == 0, COHORT_JSON_STRICT_SYNTAX);

  self.start = self.p = (const guchar *) (data != NULL ? data : "");
  self.end = self.p + length;
  self.result = COHORT_JSON_STRICT_OK;
  self.keys = g_string_sized_new (128);
  self.key_index = g_array_sized_new (FALSE, FALSE, sizeof (Key), 16);

  skip_ws (&self);
  is_object = self.p < self.end && *self.p == '{';
  if (read_value (&self))
    {
      skip_ws (&self);
      if (self.p != self.end)
        fail (&self, COHORT_JSON_STRICT_TRAILING, self.p);
      else if (!is_object)
        fail (&self, COHORT_JSON_STRICT_NOT_OBJECT, self.start);
    }

  g_string_free (self.keys, TRUE);
  g_array_unref (self.key_index);

  if (out_offset != NULL)
    *out_offset = self.result == COHORT_JSON_STRICT_OK ? 0 : (gsize) (self.fault - self.start);

  return self.result;
}

const char *
cohort_json_strict_message (CohortJsonStrictResult result)
{
  switch (result)
    {
    case COHORT_JSON_STRICT_OK:
      return "The message is valid JSON.";
    case COHORT_JSON_STRICT_TRAILING:
      return "The message must hold exactly one JSON object; something follows it.";
    case COHORT_JSON_STRICT_BAD_UNICODE:
      return "The message is not valid UTF-8 JSON (bad bytes or a lone surrogate).";
    case COHORT_JSON_STRICT_NUL:
      return "A string in the message contains a NUL character (\\u0000).";
    case COHORT_JSON_STRICT_DUPLICATE_KEY:
      return "An object in the message names the same member twice.";
    case COHORT_JSON_STRICT_TOO_DEEP:
      return "The message nests objects and arrays too deeply.";
    case COHORT_JSON_STRICT_NOT_OBJECT:
      return "The message must be a JSON object.";
    case COHORT_JSON_STRICT_TOO_MANY_MEMBERS:
      return "An object in the message has too many members.";
    case COHORT_JSON_STRICT_NUMBER_RANGE:
      return "An integer in the message is too large.";
    case COHORT_JSON_STRICT_SYNTAX:
    default:
      return "The message is not strict JSON (RFC 8259).";
    }
}

void
cohort_json_append_string (GString    *out,
                           const char *text)
{
  const char *run = text;
  const char *s;

  g_return_if_fail (out != NULL && text != NULL);

  g_string_append_c (out, '"');
  for (s = text; *s != '\0'; s++)
    {
      guchar c = (guchar) *s;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, s - run);
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default: g_string_append_printf (out, "\\u%04x", c); break;
        }
      run = s + 1;
    }
  g_string_append_len (out, run, s - run);
  g_string_append_c (out, '"');
}

void
cohort_json_append_int (GString *out,
                        gint64   value)
{
  char text[24];
  char *end = text + sizeof text;
  char *p = end;
  guint64 v = value < 0 ? -(guint64) value : (guint64) value;

  g_return_if_fail (out != NULL);

  do
    *--p = '0' + v % 10;
  while ((v /= 10) > 0);
  if (value < 0)
    *--p = '-';
  g_string_append_len (out, p, end - p);
}

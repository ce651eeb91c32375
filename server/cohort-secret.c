/* cohort-secret.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-secret"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <gio/gio.h>

#include "cohort-protocol.h"
#include "cohort-secret.h"

static gboolean
fill_random (guint8  *buffer,
             gsize    length,
             GError **error)
{
  gsize done = 0;

  while (done < length)
    {
      ssize_t n = getrandom (buffer + done, length - done, 0);

      if (n < 0)
        {
          int errsv = errno;

          if (errsv == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                       "Could not get random bytes: %s", g_strerror (errsv));
          return FALSE;
        }
      done += (gsize) n;
    }

  return TRUE;
}

char *
cohort_secret_new (GError **error)
{
  guint8 bytes[32];
  char *encoded;

  if (!fill_random (bytes, sizeof bytes, error))
    return NULL;

  encoded = g_base64_encode (bytes, sizeof bytes);
  explicit_bzero (bytes, sizeof bytes);

  for (char *p = encoded; *p; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }

  g_assert (strlen (encoded) == COHORT_SECRET_CHARS);
  return encoded;
}

char *
cohort_secret_hash (const char *secret)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, secret, -1);
}

char *
cohort_secret_new_code (GError **error)
{
  const char *alphabet = COHORT_CLASS_CODE_ALPHABET;
  const guint n = sizeof COHORT_CLASS_CODE_ALPHABET - 1;
  char *code = g_malloc0 (COHORT_CLASS_CODE_CHARS + 1);
  guint i = 0;

  while (i < COHORT_CLASS_CODE_CHARS)
    {
      guint8 byte;

      if (!fill_random (&byte, 1, error))
        {
          g_free (code);
          return NULL;
        }
      /* Rejection sampling keeps every letter equally likely. */
      if (byte >= 256 - (256 % n))
        continue;
      code[i++] = alphabet[byte % n];
    }

  return code;
}

/* fuzz-home-query.c: the query of GET /api/v1/home
 * (server/cohort-home-service.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-fuzz"

#include "config.h"

#include <string.h>

#include "cohort-home-service.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *query = NULL;
  gint64 since_chat = -1, since_group = -1;
  gint64 again_chat = -1, again_group = -1;
  const char *field = NULL;
  const char *again_field = NULL;
  gboolean ok;

  fuzz_init_once ();

  /* libsoup hands the query as a C string: it ends at the first NUL. */
  query = g_strndup ((const char *) data, size);
  ok = cohort_home_parse_query (query, &since_chat, &since_group, &field);

  FUZZ_CHECK (ok == cohort_home_parse_query (query, &again_chat, &again_group, &again_field),
              "the same query gets the same verdict");
  if (!ok)
    {
      FUZZ_CHECK (field != NULL && (g_str_equal (field, "since_chat") || g_str_equal (field, "since_group") ||
                                    g_str_equal (field, "query")),
                  "a refusal names the field at fault");
      return 0;
    }

  FUZZ_CHECK (field == NULL, "an accepted query names no field");
  FUZZ_CHECK (since_chat >= 0 && since_chat <= (gint64) 9007199254740991, "since_chat in range");
  FUZZ_CHECK (since_group >= 0 && since_group <= (gint64) 9007199254740991, "since_group in range");
  FUZZ_CHECK (since_chat == again_chat && since_group == again_group, "the same positions twice");
  FUZZ_CHECK (strlen (query) <= COHORT_HOME_MAX_QUERY, "an accepted query is short");
  /* Only digits, the two names, '=' and '&' get through. */
  for (const char *p = query; *p != '\0'; p++)
    FUZZ_CHECK (g_ascii_isdigit (*p) || strchr ("since_chatgroup=&", *p) != NULL,
                "an accepted query holds nothing else");
  return 0;
}

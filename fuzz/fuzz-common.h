/* fuzz-common.h: what every fuzz target shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

G_BEGIN_DECLS

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* A GLib critical or warning is a g_return_if_fail() (or worse) reached
 * from input: a bug. abort(), not GLib's fatal logging, which raises
 * SIGTRAP, a signal libFuzzer does not catch, so the input is kept. */
static inline void
fuzz_log_handler (const char     *domain,
                  GLogLevelFlags  level,
                  const char     *message,
                  gpointer        user_data)
{
  g_printerr ("%s: %s\n", domain != NULL ? domain : "(no domain)", message);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
}

static inline void
fuzz_init_once (void)
{
  static gboolean done;

  if (!done)
    {
      g_log_set_default_handler (fuzz_log_handler, NULL);
      done = TRUE;
    }
}

static inline int
fuzz_compare_strings (const char **a,
                      const char **b)
{
  return g_strcmp0 (*a, *b);
}

/* Like g_assert(), but says which invariant broke in a fuzzer's log. */
#define FUZZ_CHECK(cond, what) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        g_printerr ("Fuzz invariant broken: %s (%s) at %s:%d\n", what, #cond, __FILE__, __LINE__); \
        abort (); \
      } \
  } G_STMT_END

G_END_DECLS

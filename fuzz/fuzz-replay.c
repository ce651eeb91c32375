/* fuzz-replay.c: runs a fuzz target over saved inputs, without libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-fuzz"

#include "config.h"

#include <glib.h>

#include "fuzz-common.h"

/* Feeds every file of each directory (or each file) named on the command
 * line to LLVMFuzzerTestOneInput, in name order so a failure is
 * reproducible. A missing directory counts as empty: regressions/<target>/
 * exists only once a target has found something. The target's own
 * assertions abort on a broken invariant, which fails the test. */
static guint
replay_path (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;
  guint n = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return 0;
      if (!g_file_get_contents (path, &contents, &length, &error))
        g_error ("Could not read %s: %s", path, error->message);
      LLVMFuzzerTestOneInput ((const guint8 *) contents, length);
      return 1;
    }

  if (!(dir = g_dir_open (path, 0, &error)))
    g_error ("Could not open %s: %s", path, error->message);

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, (GCompareFunc) fuzz_compare_strings);

  for (guint i = 0; i < names->len; i++)
    n += replay_path (g_ptr_array_index (names, i));

  return n;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    n += replay_path (argv[i]);

  g_print ("Replayed %u inputs\n", n);
  return n > 0 ? 0 : 1;
}

/* cohort-token-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-token-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cohort-token-store.h"

void
cohort_stored_token_free (CohortStoredToken *stored)
{
  if (stored == NULL)
    return;
  g_free (stored->token);
  g_free (stored->teacher_key);
  g_free (stored->reminded);
  g_free (stored->name);
  g_free (stored->server_url);
  g_free (stored->code);
  g_free (stored);
}

char *
cohort_token_store_get_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "cohort", "tokens.ini", NULL);
}

static char *
group_name (const char *server_url,
            const char *code,
            gboolean    teacher)
{
  return g_strdup_printf ("%s %s %s", server_url, code, teacher ? "teacher" : "student");
}

static GKeyFile *
load_key_file (void)
{
  g_autofree char *path = cohort_token_store_get_path ();
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error) &&
      !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_warning ("Could not read %s: %s", path, error->message);

  return g_steal_pointer (&key_file);
}

static gboolean
write_key_file (GKeyFile  *key_file,
                GError   **error)
{
  g_autofree char *path = cohort_token_store_get_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *data = NULL;
  gsize length = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return FALSE;
    }

  data = g_key_file_to_data (key_file, &length, NULL);
  /* g_file_set_contents_full writes a temporary file and renames it, so the
   * mode applies before any secret hits the disk. */
  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static CohortStoredToken *
read_group (GKeyFile   *key_file,
            const char *group)
{
  g_autofree char *token = g_key_file_get_string (key_file, group, "token", NULL);
  CohortStoredToken *stored;

  if (token == NULL || *token == '\0')
    return NULL;

  stored = g_new0 (CohortStoredToken, 1);
  stored->token = g_steal_pointer (&token);
  stored->teacher_key = g_key_file_get_string (key_file, group, "teacher-key", NULL);
  stored->name = g_key_file_get_string (key_file, group, "name", NULL);
  stored->server_url = g_key_file_get_string (key_file, group, "server", NULL);
  stored->code = g_key_file_get_string (key_file, group, "code", NULL);
  /* A missing or broken number reads as 0: everything counts as unread. */
  stored->seen_chat = MAX (g_key_file_get_int64 (key_file, group, "seen-chat", NULL), 0);
  stored->seen_group = MAX (g_key_file_get_int64 (key_file, group, "seen-group", NULL), 0);
  stored->reminded = g_key_file_get_string (key_file, group, "reminded", NULL);
  return stored;
}

CohortStoredToken *
cohort_token_store_lookup (const char *server_url,
                           const char *code,
                           gboolean    teacher)
{
  g_autoptr(GKeyFile) key_file = load_key_file ();
  g_autofree char *group = group_name (server_url, code, teacher);

  return read_group (key_file, group);
}

GPtrArray *
cohort_token_store_list (gboolean teacher)
{
  g_autoptr(GKeyFile) key_file = load_key_file ();
  g_auto(GStrv) groups = g_key_file_get_groups (key_file, NULL);
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_stored_token_free);
  const char *suffix = teacher ? " teacher" : " student";

  for (guint i = 0; groups[i] != NULL; i++)
    {
      CohortStoredToken *stored;

      if (!g_str_has_suffix (groups[i], suffix) || !(stored = read_group (key_file, groups[i])))
        continue;
      /* Both are written with every token; a hand-edited group without
       * them names no class. */
      if (stored->server_url == NULL || stored->code == NULL)
        {
          cohort_stored_token_free (stored);
          continue;
        }
      g_ptr_array_add (list, stored);
    }
  return list;
}

gboolean
cohort_token_store_set_seen (const char  *server_url,
                             const char  *code,
                             gboolean     teacher,
                             gint64       seen_chat,
                             gint64       seen_group,
                             GError     **error)
{
  g_autoptr(GKeyFile) key_file = load_key_file ();
  g_autofree char *group = group_name (server_url, code, teacher);

  if (!g_key_file_has_group (key_file, group))
    return TRUE;
  g_key_file_set_int64 (key_file, group, "seen-chat", MAX (seen_chat, 0));
  g_key_file_set_int64 (key_file, group, "seen-group", MAX (seen_group, 0));
  return write_key_file (key_file, error);
}

gboolean
cohort_token_store_set_reminded (const char  *server_url,
                                 const char  *code,
                                 gboolean     teacher,
                                 const char  *reminded,
                                 GError     **error)
{
  g_autoptr(GKeyFile) key_file = load_key_file ();
  g_autofree char *group = group_name (server_url, code, teacher);

  if (!g_key_file_has_group (key_file, group))
    return TRUE;
  if (reminded != NULL)
    g_key_file_set_string (key_file, group, "reminded", reminded);
  else
    g_key_file_remove_key (key_file, group, "reminded", NULL);
  return write_key_file (key_file, error);
}

char *
cohort_token_store_lookup_teacher_key (const char *server_url,
                                       const char *code)
{
  g_autoptr(GKeyFile) key_file = load_key_file ();
  g_autofree char *group = group_name (server_url, code, TRUE);

  return g_key_file_get_string (key_file, group, "teacher-key", NULL);
}

gboolean
cohort_token_store_save (const char  *server_url,
                         const char  *code,
                         gboolean     teacher,
                         const char  *token,
                         const char  *teacher_key,
                         const char  *name,
                         GError     **error)
{
  g_autoptr(GKeyFile) key_file = load_key_file ();
  g_autofree char *group = group_name (server_url, code, teacher);

  g_return_val_if_fail (server_url != NULL, FALSE);
  g_return_val_if_fail (code != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  g_key_file_set_string (key_file, group, "server", server_url);
  g_key_file_set_string (key_file, group, "code", code);
  g_key_file_set_string (key_file, group, "token", token);
  if (teacher_key != NULL)
    g_key_file_set_string (key_file, group, "teacher-key", teacher_key);
  if (name != NULL)
    g_key_file_set_string (key_file, group, "name", name);

  return write_key_file (key_file, error);
}

gboolean
cohort_token_store_forget (const char  *server_url,
                           const char  *code,
                           gboolean     teacher,
                           GError     **error)
{
  g_autoptr(GKeyFile) key_file = load_key_file ();
  g_autofree char *group = group_name (server_url, code, teacher);

  if (!g_key_file_remove_group (key_file, group, NULL))
    return TRUE;

  return write_key_file (key_file, error);
}

static char *
staff_group_name (const char *server_url)
{
  return g_strdup_printf ("%s staff", server_url);
}

char *
cohort_token_store_lookup_staff (const char *server_url)
{
  g_autoptr(GKeyFile) key_file = load_key_file ();
  g_autofree char *group = staff_group_name (server_url);
  g_autofree char *credential = g_key_file_get_string (key_file, group, "credential", NULL);

  if (credential == NULL || *credential == '\0')
    return NULL;
  return g_steal_pointer (&credential);
}

gboolean
cohort_token_store_save_staff (const char  *server_url,
                               const char  *credential,
                               GError     **error)
{
  g_autoptr(GKeyFile) key_file = load_key_file ();
  g_autofree char *group = staff_group_name (server_url);

  g_return_val_if_fail (server_url != NULL, FALSE);
  g_return_val_if_fail (credential != NULL, FALSE);

  g_key_file_set_string (key_file, group, "server", server_url);
  g_key_file_set_string (key_file, group, "credential", credential);
  return write_key_file (key_file, error);
}

gboolean
cohort_token_store_forget_staff (const char  *server_url,
                                 GError     **error)
{
  g_autoptr(GKeyFile) key_file = load_key_file ();
  g_autofree char *group = staff_group_name (server_url);

  if (!g_key_file_remove_group (key_file, group, NULL))
    return TRUE;
  return write_key_file (key_file, error);
}

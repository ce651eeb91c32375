/* cohort-staff-admin.c: the staff account commands of cohort-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-server"

#include "config.h"

#include <json-glib/json-glib.h>

#include "cohort-protocol.h"
#include "cohort-secret.h"
#include "cohort-staff-admin.h"

static void
print_object (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *json = json_to_string (node, FALSE);

  g_print ("%s\n", json);
}

static gboolean
is_all_digits (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (; *text != '\0'; text++)
    if (!g_ascii_isdigit (*text))
      return FALSE;
  return TRUE;
}

/* How many active accounts @name_or_id names (by name or by id); -1 on
 * error. The commands that take a name or id act only when it is one. */
static gint64
count_active_named (CohortStore  *store,
                    const char   *name_or_id,
                    GError      **error)
{
  g_autoptr(GPtrArray) list = cohort_store_staff_list (store, error);
  gint64 n = 0;

  if (list == NULL)
    return -1;
  for (guint i = 0; i < list->len; i++)
    {
      CohortStaffRecord *record = g_ptr_array_index (list, i);
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, record->id);

      if (record->revoked_at == 0 &&
          (g_strcmp0 (record->name, name_or_id) == 0 || g_strcmp0 (id_text, name_or_id) == 0))
        n++;
    }
  return n;
}

gboolean
cohort_staff_admin_add (CohortStore  *store,
                        const char   *name,
                        GError      **error)
{
  g_autofree char *clean_name = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(JsonObject) object = NULL;
  gint64 id;

  if (!(clean_name = cohort_protocol_normalize_text (name, COHORT_MAX_NAME_CHARS, error)) ||
      !(credential = cohort_secret_new (error)))
    return FALSE;
  /* --revoke-staff and --staff take a name or an id; a name of digits
   * would read as another account's id. (Two accounts may share a name:
   * those commands then refuse it and take the id.) */
  if (is_all_digits (clean_name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "A staff name cannot be only digits: it would read as an account id");
      return FALSE;
    }
  hash = cohort_secret_hash (credential);

  if (!cohort_store_begin (store, error))
    return FALSE;
  if ((id = cohort_store_staff_add (store, clean_name, hash, g_get_real_time () / 1000, error)) == 0 ||
      !cohort_store_commit (store, error))
    {
      cohort_store_rollback (store);
      return FALSE;
    }

  object = json_object_new ();
  json_object_set_int_member (object, "staff_id", id);
  json_object_set_string_member (object, "name", clean_name);
  json_object_set_string_member (object, "credential", credential);
  print_object (object);
  return TRUE;
}

gboolean
cohort_staff_admin_revoke (CohortStore  *store,
                           const char   *name_or_id,
                           GError      **error)
{
  gint64 n;

  if ((n = count_active_named (store, name_or_id, error)) < 0)
    return FALSE;
  if (n > 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” names %" G_GINT64_FORMAT " active staff accounts; revoke one by its id "
                   "(see --list-staff)", name_or_id, n);
      return FALSE;
    }

  if (!cohort_store_begin (store, error))
    return FALSE;
  if ((n = cohort_store_staff_revoke (store, name_or_id, g_get_real_time () / 1000, error)) < 0 ||
      !cohort_store_commit (store, error))
    {
      cohort_store_rollback (store);
      return FALSE;
    }
  if (n == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "There is no active staff account “%s” (see --list-staff)", name_or_id);
      return FALSE;
    }
  return TRUE;
}

gboolean
cohort_staff_admin_list (CohortStore  *store,
                         GError      **error)
{
  g_autoptr(GPtrArray) list = cohort_store_staff_list (store, error);

  if (list == NULL)
    return FALSE;

  for (guint i = 0; i < list->len; i++)
    {
      CohortStaffRecord *record = g_ptr_array_index (list, i);
      g_autoptr(JsonObject) object = json_object_new ();

      json_object_set_int_member (object, "staff_id", record->id);
      json_object_set_string_member (object, "name", record->name);
      json_object_set_int_member (object, "created_at", record->created_at);
      json_object_set_boolean_member (object, "revoked", record->revoked_at != 0);
      print_object (object);
    }
  return TRUE;
}

void
cohort_staff_admin_check (CohortStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 n = cohort_store_staff_count_active (store, &error);

  if (n < 0)
    g_warning ("Could not count the staff accounts: %s", error->message);
  else if (n == 0)
    g_message ("No staff accounts yet: nobody can start a class. "
               "Create one with cohort-server --add-staff NAME");
}

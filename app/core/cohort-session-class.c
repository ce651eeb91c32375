/* cohort-session-class.c: typed requests of the class itself (hands, admission, roster)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-session"

#include "config.h"

#include "cohort-identity-protocol.h"
#include "cohort-json-private.h"
#include "cohort-protocol.h"
#include "cohort-roster-csv.h"
#include "cohort-session-class.h"

void
cohort_roster_code_free (CohortRosterCode *code)
{
  if (code == NULL)
    return;
  g_free (code->name);
  g_free (code->number);
  g_free (code->personal_code);
  g_free (code);
}

static void
send (CohortSession       *self,
      const char          *type,
      JsonObject          *body,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  g_autoptr(JsonObject) empty = NULL;

  if (body == NULL)
    body = empty = json_object_new ();
  cohort_session_request_async (self, type, body, cancellable, callback, user_data);
}

static JsonObject *
participant_body (gint64 participant_id)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "participant_id", participant_id);
  return body;
}

void
cohort_session_set_hand_raised_async (CohortSession       *self,
                                      gboolean             raised,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (COHORT_IS_SESSION (self));

  send (self, raised ? COHORT_REQ_HAND_RAISE : COHORT_REQ_HAND_LOWER, NULL, cancellable, callback, user_data);
}

void
cohort_session_lower_hand_async (CohortSession       *self,
                                 gint64               participant_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (COHORT_IS_SESSION (self));

  body = participant_body (participant_id);
  send (self, COHORT_REQ_HAND_LOWER, body, cancellable, callback, user_data);
}

void
cohort_session_lower_all_hands_async (CohortSession       *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_return_if_fail (COHORT_IS_SESSION (self));

  send (self, COHORT_REQ_HAND_LOWER_ALL, NULL, cancellable, callback, user_data);
}

void
cohort_session_admit_async (CohortSession       *self,
                            gint64               participant_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (COHORT_IS_SESSION (self));

  if (participant_id == 0)
    {
      body = json_object_new ();
      json_object_set_boolean_member (body, "all", TRUE);
    }
  else
    body = participant_body (participant_id);
  send (self, COHORT_REQ_ADMISSION_ADMIT, body, cancellable, callback, user_data);
}

void
cohort_session_deny_async (CohortSession       *self,
                           gint64               participant_id,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (COHORT_IS_SESSION (self));

  body = participant_body (participant_id);
  send (self, COHORT_REQ_ADMISSION_DENY, body, cancellable, callback, user_data);
}

void
cohort_session_remove_participant_async (CohortSession       *self,
                                         gint64               participant_id,
                                         gboolean             block,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (COHORT_IS_SESSION (self));

  body = participant_body (participant_id);
  json_object_set_boolean_member (body, "block", block);
  send (self, COHORT_REQ_PARTICIPANT_REMOVE, body, cancellable, callback, user_data);
}

void
cohort_session_set_class_setting_async (CohortSession       *self,
                                        CohortClassSetting   setting,
                                        gboolean             value,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  static const char * const fields[] = {
    [COHORT_CLASS_SETTING_WAITING_ROOM] = "waiting_room",
    [COHORT_CLASS_SETTING_LOCKED] = "locked",
    [COHORT_CLASS_SETTING_ANONYMOUS_JOIN] = "anonymous_join",
  };
  g_autoptr(JsonObject) body = NULL;

  g_return_if_fail (COHORT_IS_SESSION (self));
  g_return_if_fail ((guint) setting < G_N_ELEMENTS (fields));

  body = json_object_new ();
  json_object_set_boolean_member (body, fields[setting], value);
  send (self, COHORT_REQ_CLASS_SETTINGS, body, cancellable, callback, user_data);
}

gboolean
cohort_session_class_request_finish (CohortSession  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_autoptr(JsonObject) body = cohort_session_request_finish (self, result, error);

  return body != NULL;
}

void
cohort_session_import_roster_async (CohortSession       *self,
                                    GPtrArray           *entries,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonArray *students = json_array_new ();

  g_return_if_fail (COHORT_IS_SESSION (self));
  g_return_if_fail (entries != NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      CohortRosterEntry *entry = g_ptr_array_index (entries, i);
      JsonObject *student = json_object_new ();

      json_object_set_string_member (student, "name", entry->name);
      if (entry->number != NULL && *entry->number != '\0')
        json_object_set_string_member (student, "number", entry->number);
      json_array_add_object_element (students, student);
    }
  json_object_set_array_member (body, "students", students);
  send (self, COHORT_REQ_ROSTER_IMPORT, body, cancellable, callback, user_data);
}

GPtrArray *
cohort_session_import_roster_finish (CohortSession  *self,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_autoptr(JsonObject) body = cohort_session_request_finish (self, result, error);
  GPtrArray *codes;
  JsonNode *students;

  if (body == NULL)
    return NULL;

  /* Replies are not checked against a table: take only well-formed
   * students; one without a code (none was made) is left out. */
  codes = g_ptr_array_new_with_free_func ((GDestroyNotify) cohort_roster_code_free);
  students = json_object_get_member (body, "students");
  if (students == NULL || !JSON_NODE_HOLDS_ARRAY (students))
    return codes;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (students)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (students), i);
      JsonObject *student;
      CohortRosterCode *code;
      const char *personal_code;
      const char *name;
      const char *number;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      student = json_node_get_object (node);
      personal_code = _cohort_json_string (student, "personal_code");
      name = _cohort_json_string (student, "name");
      if (personal_code == NULL || name == NULL)
        continue;
      number = _cohort_json_string (student, "number");
      code = g_new0 (CohortRosterCode, 1);
      code->participant_id = json_object_get_int_member_with_default (student, "participant_id", 0);
      code->name = g_strdup (name);
      code->number = number != NULL && *number != '\0' ? g_strdup (number) : NULL;
      code->personal_code = g_strdup (personal_code);
      g_ptr_array_add (codes, code);
    }
  return codes;
}

/* cohort-identity-service.c: staff accounts and admission
 *
 * Who may start a class (staff, by credential), and who comes into one:
 * the waiting room, removal and blocks, lock, anonymous joining and known
 * students with personal codes (docs/protocol.md, "Staff" and
 * "Admission"). The join, create and resume handlers in cohort-server.c
 * ask this service what to do; the teacher's admission requests and the
 * staff requests are handled here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-identity"

#include "config.h"

#include <glib/gi18n.h>
#include <sys/random.h>

#include "cohort-identity-protocol.h"
#include "cohort-secret.h"
#include "cohort-identity-service.h"
#include "cohort-server-private.h"

#define CODE_ATTEMPTS 16


struct _CohortIdentityService
{
  CohortService parent_instance;

  CohortServer *server;
  /* CohortConnection (ref) → Waiting: sockets in a waiting room. They are
   * not joined, so they get no class events and no class requests. */
  GHashTable   *waiting;
};

G_DEFINE_FINAL_TYPE (CohortIdentityService, cohort_identity_service, COHORT_TYPE_SERVICE)

typedef struct
{
  gint64 class_id;
  gint64 participant_id;
} Waiting;

static CohortIdentityService *
get_service (CohortServer *server)
{
  return COHORT_IDENTITY_SERVICE (_cohort_server_get_service (server, COHORT_TYPE_IDENTITY_SERVICE));
}

static void
send_plain_ok (CohortConnection *conn,
               CohortMessage    *request,
               JsonObject       *body)
{
  g_autoptr(CohortMessage) reply = cohort_message_new_ok (cohort_message_get_id (request), body);

  _cohort_server_send_message (conn, reply);
}

/* Staff */

gboolean
_cohort_identity_authorize_staff (CohortServer       *server,
                                  CohortConnection   *conn,
                                  CohortMessage      *request,
                                  CohortStaffRecord **out_staff)
{
  CohortStore *store = _cohort_server_get_store (server);
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  const char *id = cohort_message_get_id (request);
  const char *credential;
  gint64 n_staff;

  if (_cohort_server_join_throttled (server, conn))
    {
      _cohort_server_send_error (conn, id, COHORT_ERROR_RATE_LIMITED, COHORT_INVALID_NONE,
                                 "staff_credential",
                                 _("Too many wrong credentials came from your network. Wait a minute and try again."));
      return FALSE;
    }

  if ((n_staff = cohort_store_staff_count_active (store, &error)) < 0)
    {
      _cohort_server_send_internal (server, conn, id, error);
      return FALSE;
    }
  if (n_staff == 0)
    {
      _cohort_server_send_error (conn, id, COHORT_ERROR_UNAUTHORIZED, COHORT_INVALID_NO_STAFF,
                                 "staff_credential",
                                 _("This server has no staff accounts yet, so nobody can start a class. "
                                   "Ask its administrator to create one with cohort-server --add-staff."));
      return FALSE;
    }

  credential = json_object_get_string_member_with_default (cohort_message_get_body (request),
                                                           "staff_credential", NULL);
  if (credential == NULL)
    {
      _cohort_server_send_error (conn, id, COHORT_ERROR_UNAUTHORIZED, COHORT_INVALID_NONE,
                                 "staff_credential",
                                 _("Only school staff can start a class. Enter your staff credential."));
      return FALSE;
    }

  hash = cohort_secret_hash (credential);
  *out_staff = cohort_store_staff_find (store, hash, &error);
  if (*out_staff == NULL)
    {
      if (error != NULL)
        {
          _cohort_server_send_internal (server, conn, id, error);
          return FALSE;
        }
      /* A credential is a guess like a class code: count it. */
      _cohort_server_join_guess_failed (server, conn);
      _cohort_server_send_error (conn, id, COHORT_ERROR_UNAUTHORIZED, COHORT_INVALID_NONE,
                                 "staff_credential",
                                 _("This staff credential is not valid, or it was revoked. Check it with your administrator."));
      return FALSE;
    }
  return TRUE;
}

gboolean
_cohort_identity_class_created (CohortServer  *server,
                                gint64         class_id,
                                gint64         staff_id,
                                gboolean       waiting_room,
                                GError       **error)
{
  CohortStore *store = _cohort_server_get_store (server);
  CohortClassAccessRecord access = {
    .class_id = class_id,
    .staff_id = staff_id,
    .waiting_room = waiting_room,
    .anonymous_join = TRUE,
  };

  return cohort_store_class_access_put (store, &access, error) &&
         cohort_store_lesson_start (store, class_id, g_get_real_time () / 1000, error) > 0;
}

gboolean
_cohort_identity_class_has_staff (CohortServer *server,
                                  gint64        class_id)
{
  g_autoptr(CohortClassAccessRecord) access = NULL;
  g_autoptr(GError) error = NULL;

  int revoked;

  access = cohort_store_class_access_get (_cohort_server_get_store (server), class_id, &error);
  if (error != NULL)
    g_warning ("Could not read the access of class %" G_GINT64_FORMAT ": %s", class_id, error->message);
  if (access == NULL || access->staff_id <= 0)
    return FALSE;
  /* A revoked account's classes are no longer the school's: they are
   * treated like a class no staff started (its key is not spent on them). */
  revoked = _cohort_identity_owner_revoked (server, access, &error);
  if (revoked < 0)
    g_warning ("Could not read the owner of class %" G_GINT64_FORMAT ": %s", class_id, error->message);
  return revoked == 0;
}

/* A class made before staff accounts existed has no row: open, no owner. */
CohortClassAccessRecord *
_cohort_identity_get_access (CohortServer  *server,
                             gint64         class_id,
                             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  CohortClassAccessRecord *access;

  access = cohort_store_class_access_get (_cohort_server_get_store (server), class_id, &local_error);
  if (access != NULL)
    return access;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  access = g_new0 (CohortClassAccessRecord, 1);
  access->class_id = class_id;
  access->anonymous_join = TRUE;
  return access;
}

/* 1 when the staff account that owns the class was revoked, 0 when not
 * (or the class has no owner), -1 on a store error. A revoked account's
 * classes take no teacher: not by teacher key, not by a signed-in device. */
int
_cohort_identity_owner_revoked (CohortServer                  *server,
                                const CohortClassAccessRecord *access,
                                GError                       **error)
{
  g_autoptr(GPtrArray) staff = NULL;

  if (access->staff_id <= 0)
    return 0;
  if (!(staff = cohort_store_staff_list (_cohort_server_get_store (server), error)))
    return -1;
  for (guint i = 0; i < staff->len; i++)
    {
      CohortStaffRecord *record = g_ptr_array_index (staff, i);

      if (record->id == access->staff_id)
        return record->revoked_at != 0 ? 1 : 0;
    }
  return 1;
}

void
_cohort_identity_add_class_fields (JsonObject                    *class_json,
                                   const CohortClassAccessRecord *access)
{
  json_object_set_boolean_member (class_json, "waiting_room", access->waiting_room);
  json_object_set_boolean_member (class_json, "locked", access->locked);
  json_object_set_boolean_member (class_json, "anonymous_join", access->anonymous_join);
  json_object_set_boolean_member (class_json, "archived", access->archived);
}

static JsonObject *
summary_to_json (CohortStaffClassRecord *record)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "code", record->code);
  json_object_set_string_member (object, "title", record->title);
  json_object_set_int_member (object, "created_at", record->created_at);
  json_object_set_boolean_member (object, "archived", record->archived);
  json_object_set_int_member (object, "lessons", record->lessons);
  json_object_set_int_member (object, "last_lesson_at", record->last_lesson_at);
  json_object_set_int_member (object, "participants", record->participants);
  return object;
}

static gboolean
handle_staff_classes (CohortService  *service,
                      CohortRequest  *req,
                      GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  g_autoptr(CohortStaffRecord) staff = NULL;
  g_autoptr(GPtrArray) classes = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *request_body = cohort_request_get_body (req);
  JsonObject *staff_json;
  JsonArray *array;

  if (!_cohort_identity_authorize_staff (server, conn, request, &staff))
    return TRUE;

  classes = cohort_store_staff_list_classes (cohort_service_get_store (service), staff->id,
                                             json_object_get_boolean_member_with_default (request_body,
                                                                                          "include_archived",
                                                                                          FALSE),
                                             error);
  if (classes == NULL)
    {
      _cohort_server_send_not_saved (conn, cohort_request_get_id (req));
      return TRUE;
    }

  body = json_object_new ();
  staff_json = json_object_new ();
  json_object_set_int_member (staff_json, "id", staff->id);
  json_object_set_string_member (staff_json, "name", staff->name);
  json_object_set_object_member (body, "staff", staff_json);
  array = json_array_new ();
  for (guint i = 0; i < classes->len; i++)
    json_array_add_object_element (array, summary_to_json (g_ptr_array_index (classes, i)));
  json_object_set_array_member (body, "classes", array);
  send_plain_ok (conn, request, body);

  return TRUE;
}

static void
set_archived (CohortRequest *req,
              gboolean      archived)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortStore *store = _cohort_server_get_store (server);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(CohortStaffRecord) staff = NULL;
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(CohortClassAccessRecord) access = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonObject *event_body;
  JsonObject *class_json;
  const char *id = cohort_request_get_id (req);
  const char *code = json_object_get_string_member (cohort_request_get_body (req), "code");

  if (!_cohort_identity_authorize_staff (server, conn, request, &staff))
    return;

  if (!cohort_store_begin (store, &error))
    {
      cohort_request_fail (req, error);
      return;
    }

  if (!(klass = cohort_store_find_class_by_code (store, code, &error)) && error != NULL)
    {
      cohort_request_fail (req, error);
      return;
    }
  if (klass != NULL &&
      !(access = cohort_store_class_access_get (store, klass->id, &error)) && error != NULL)
    {
      cohort_request_fail (req, error);
      return;
    }

  /* Another staff member's class looks like no class at all. */
  if (access == NULL || access->staff_id != staff->id)
    {
      cohort_store_rollback (store);
      _cohort_server_send_error (conn, id, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "code",
                                 _("You have no class with this code."));
      return;
    }

  access->archived = archived;
  class_json = json_object_new ();
  json_object_set_int_member (class_json, "id", klass->id);
  json_object_set_string_member (class_json, "code", klass->code);
  json_object_set_string_member (class_json, "title", klass->title);
  _cohort_identity_add_class_fields (class_json, access);
  event_body = json_object_new ();
  json_object_set_object_member (event_body, "class", class_json);

  if (!cohort_store_class_access_put (store, access, &error) ||
      !cohort_request_emit (req, klass->id, COHORT_EV_CLASS_UPDATED, event_body, &error) ||
      !cohort_store_commit (store, &error))
    {
      cohort_request_fail (req, error);
      return;
    }

  body = json_object_new ();
  json_object_set_string_member (body, "code", klass->code);
  json_object_set_boolean_member (body, "archived", archived);
  send_plain_ok (conn, request, body);
  _cohort_server_broadcast (server, pending);
}

static gboolean
handle_staff_archive (CohortService  *service,
                      CohortRequest  *req,
                      GError        **error)
{
  set_archived (req, TRUE);

  return TRUE;
}

static gboolean
handle_staff_unarchive (CohortService  *service,
                        CohortRequest  *req,
                        GError        **error)
{
  set_archived (req, FALSE);

  return TRUE;
}

/* Waiting connections */

/* Whether @participant_id has a waiting connection other than @except:
 * the teacher's list and "admit all" show only students waiting now. */
gboolean
_cohort_identity_waiting_now (CohortServer     *server,
                              gint64            participant_id,
                              CohortConnection *except)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, get_service (server)->waiting);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Waiting *waiting = value;

      if (key != except && waiting->participant_id == participant_id)
        return TRUE;
    }
  return FALSE;
}

/* The last waiting connection of a student still waiting closed: the
 * teachers are told (logged, so their replay and snapshot agree). */
static void
waiting_left (CohortIdentityService *self,
              gint64                 class_id,
              gint64                 participant_id)
{
  CohortStore *store = _cohort_server_get_store (self->server);
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(CohortMemberRecord) member = NULL;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  if (_cohort_identity_waiting_now (self->server, participant_id, NULL))
    return;
  if (!cohort_store_begin (store, &error))
    goto failed;
  if (!(member = cohort_store_member_get (store, participant_id, &error)))
    {
      cohort_store_rollback (store);
      if (error != NULL)
        goto failed;
      return;
    }
  /* Admitted (their resume is on its way) or removed: not a waiter. */
  if (member->admitted || member->removed)
    {
      cohort_store_rollback (store);
      return;
    }
  if (!(teacher = cohort_store_find_teacher (store, class_id, &error)))
    goto failed;
  body = json_object_new ();
  json_object_set_int_member (body, "participant_id", participant_id);
  if (!_cohort_server_emit_event_for (self->server, pending, class_id, COHORT_EV_WAITING_LEFT,
                                      body, &teacher->id, 1, &error) ||
      !cohort_store_commit (store, &error))
    goto failed;
  _cohort_server_broadcast (self->server, pending);
  return;

failed:
  if (error == NULL)
    g_set_error (&error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED, "Class has no teacher");
  g_warning ("Could not record participant %" G_GINT64_FORMAT " leaving the waiting room: %s",
             participant_id, error->message);
  cohort_store_rollback (store);
}

static void
on_waiting_closed (CohortConnection      *conn,
                   CohortIdentityService *self)
{
  Waiting *waiting = g_hash_table_lookup (self->waiting, conn);
  gint64 class_id = waiting != NULL ? waiting->class_id : 0;
  gint64 participant_id = waiting != NULL ? waiting->participant_id : 0;

  g_signal_handlers_disconnect_by_func (conn, on_waiting_closed, self);
  g_hash_table_remove (self->waiting, conn);
  if (participant_id > 0)
    waiting_left (self, class_id, participant_id);
}

void
_cohort_identity_set_waiting (CohortServer     *server,
                              CohortConnection *conn,
                              gint64            class_id,
                              gint64            participant_id)
{
  CohortIdentityService *self = get_service (server);
  Waiting *waiting = g_new0 (Waiting, 1);

  waiting->class_id = class_id;
  waiting->participant_id = participant_id;
  if (!g_hash_table_contains (self->waiting, conn))
    g_signal_connect (conn, "closed", G_CALLBACK (on_waiting_closed), self);
  g_hash_table_replace (self->waiting, g_object_ref (conn), waiting);
}

gboolean
_cohort_identity_is_waiting (CohortServer     *server,
                             CohortConnection *conn)
{
  return g_hash_table_contains (get_service (server)->waiting, conn);
}

static void
clear_waiting (CohortIdentityService *self,
               CohortConnection      *conn)
{
  g_signal_handlers_disconnect_by_func (conn, on_waiting_closed, self);
  g_hash_table_remove (self->waiting, conn);
}

/* A connection in a waiting room may only ping, leave, or resume (which
 * puts it back in the waiting room until the teacher admits it). Returns
 * TRUE when it answered @request. */
gboolean
_cohort_identity_filter_request (CohortServer     *server,
                                 CohortConnection *conn,
                                 CohortMessage    *request)
{
  CohortIdentityService *self = get_service (server);
  const char *type = cohort_message_get_name (request);

  if (!g_hash_table_contains (self->waiting, conn))
    return FALSE;

  if (g_str_equal (type, COHORT_REQ_PING))
    return FALSE;

  if (g_str_equal (type, COHORT_REQ_RESUME))
    {
      clear_waiting (self, conn);
      return FALSE;
    }

  if (g_str_equal (type, COHORT_REQ_CLASS_LEAVE))
    {
      g_autoptr(JsonObject) body = json_object_new ();
      Waiting *waiting = g_hash_table_lookup (self->waiting, conn);
      gint64 class_id = waiting->class_id;
      gint64 participant_id = waiting->participant_id;

      clear_waiting (self, conn);
      send_plain_ok (conn, request, body);
      cohort_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, "left");
      waiting_left (self, class_id, participant_id);
      return TRUE;
    }

  _cohort_server_send_error (conn, cohort_message_get_id (request), COHORT_ERROR_FORBIDDEN,
                             COHORT_INVALID_NONE, NULL,
                             _("You are in the waiting room. Wait until your teacher lets you in."));
  return TRUE;
}

/* Sends @name to every waiting connection of @participant_id, and closes
 * them if @close. Not logged: the receiver is not in the class yet. */
static void
tell_waiting (CohortIdentityService *self,
              gint64                 participant_id,
              const char            *name,
              JsonObject            *body,
              gboolean               close)
{
  g_autoptr(GPtrArray) conns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gint64 seq = 0;

  g_hash_table_iter_init (&iter, self->waiting);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Waiting *waiting = value;

      if (waiting->participant_id != participant_id)
        continue;
      if (seq == 0)
        seq = cohort_store_get_last_seq (_cohort_server_get_store (self->server), waiting->class_id, &error);
      g_ptr_array_add (conns, g_object_ref (key));
    }

  for (guint i = 0; i < conns->len; i++)
    {
      CohortConnection *conn = g_ptr_array_index (conns, i);
      g_autoptr(CohortMessage) event = NULL;

      /* The class's current seq: the client resumes from a snapshot next. */
      event = cohort_message_new_event (MAX (seq, 1), _cohort_server_next_ts (self->server), name, body);
      _cohort_server_send_message (conn, event);
      /* An admitted socket stays in the waiting room's rules (and out of
       * the join timeout) until its resume, which is on its way. */
      if (close)
        {
          clear_waiting (self, conn);
          cohort_connection_close (conn, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "removed");
        }
    }
}

/* Joining */

/* The class as the join and resume replies show it. */
static void
cohort_identity_service_welcome (CohortService    *service,
                                 CohortConnection *conn,
                                 JsonObject       *body)
{
  CohortServer *server = cohort_service_get_server (service);
  CohortStore *store = _cohort_server_get_store (server);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gboolean teacher = cohort_connection_is_teacher (conn);
  g_autoptr(CohortClassAccessRecord) access = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GHashTable) by_id = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *participants;
  JsonArray *kept;

  if ((access = _cohort_identity_get_access (server, class_id, &error)) &&
      json_object_has_member (body, "class"))
    _cohort_identity_add_class_fields (json_object_get_object_member (body, "class"), access);

  if (!json_object_has_member (body, "participants") ||
      !(members = cohort_store_member_list (store, class_id, &error)))
    {
      if (error != NULL)
        g_warning ("Could not read the members of class %" G_GINT64_FORMAT ": %s",
                   class_id, error->message);
      return;
    }

  by_id = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < members->len; i++)
    {
      CohortMemberRecord *member = g_ptr_array_index (members, i);

      g_hash_table_insert (by_id, &member->participant_id, member);
    }

  /* Removed participants are gone for everyone; waiting ones are the
   * teacher's to see. */
  participants = json_object_get_array_member (body, "participants");
  kept = json_array_new ();
  for (guint i = 0; i < json_array_get_length (participants); i++)
    {
      JsonObject *participant = json_array_get_object_element (participants, i);
      gint64 id = json_object_get_int_member (participant, "id");
      CohortMemberRecord *member = g_hash_table_lookup (by_id, &id);

      if (member != NULL && member->removed)
        continue;
      if (member != NULL && !member->admitted)
        {
          /* Students never see waiters; the teacher sees those waiting now. */
          if (!teacher || !_cohort_identity_waiting_now (server, id, NULL))
            continue;
          json_object_set_string_member (participant, "admission", COHORT_ADMISSION_STR_WAITING);
        }
      else
        json_object_set_string_member (participant, "admission", COHORT_ADMISSION_STR_ADMITTED);
      json_array_add_object_element (kept, json_object_ref (participant));
    }
  json_object_set_array_member (body, "participants", kept);
}

/* Checks whether a student may come in by class code (@personal FALSE) or
 * by personal code; NULL when they may, else the reason to refuse with
 * `forbidden`. @member: the known student's row, if any. */
const char *
_cohort_identity_refuse_student (CohortServer            *server,
                                 CohortConnection        *conn,
                                 CohortClassAccessRecord *access,
                                 CohortMemberRecord      *member,
                                 gboolean                 personal,
                                 GError                 **error)
{
  CohortStore *store = _cohort_server_get_store (server);
  int blocked;

  if (access->archived)
    return _("This class has been archived. Ask your teacher for the class you are in now.");

  if (personal)
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, member->participant_id);

      if ((blocked = cohort_store_block_contains (store, access->class_id, COHORT_BLOCK_CODE,
                                                  value, error)) != 0)
        return blocked < 0 ? NULL : _("Your teacher has removed you from this class.");
      return NULL;
    }

  if (access->locked)
    return _("This class is locked: nobody new can join. Ask your teacher.");
  if (!access->anonymous_join)
    return _("This class takes only known students. Join with the personal code your teacher gave you.");

  if (cohort_connection_get_remote_host (conn) != NULL &&
      (blocked = cohort_store_block_contains (store, access->class_id, COHORT_BLOCK_ADDRESS,
                                              cohort_connection_get_remote_host (conn), error)) != 0)
    return blocked < 0 ? NULL : _("Your teacher has removed you from this class.");

  /* Anyone with the class code could otherwise fill the teacher's list
   * (and every teacher snapshot) with waiting strangers. Those lists show
   * only students waiting now, so only they take a place: strangers who
   * came and went cannot lock the class for good, and nobody has to let
   * them in to make room. */
  if (access->waiting_room)
    {
      g_autoptr(GPtrArray) members = cohort_store_member_list (store, access->class_id, error);
      guint n_waiting = 0;

      if (members == NULL)
        return NULL;
      for (guint i = 0; i < members->len; i++)
        {
          CohortMemberRecord *other = g_ptr_array_index (members, i);

          if (!other->admitted && !other->removed &&
              _cohort_identity_waiting_now (server, other->participant_id, NULL))
            n_waiting++;
        }
      if (n_waiting >= COHORT_MAX_WAITING)
        return _("The waiting room of this class is full. Ask your teacher to let the waiting students in.");
    }
  return NULL;
}

/* Teacher requests */

static gboolean
require_teacher (CohortRequest *req)
{
  return cohort_request_require_teacher (req, _("Only the teacher can do this."));
}

static JsonObject *
class_json_for (CohortServer            *server,
                gint64                   class_id,
                CohortClassAccessRecord *access,
                GError                 **error)
{
  g_autoptr(CohortClassRecord) klass = NULL;
  JsonObject *object;

  if (!(klass = cohort_store_get_class (_cohort_server_get_store (server), class_id, error)))
    return NULL;
  object = json_object_new ();
  json_object_set_int_member (object, "id", klass->id);
  json_object_set_string_member (object, "code", klass->code);
  json_object_set_string_member (object, "title", klass->title);
  _cohort_identity_add_class_fields (object, access);
  return object;
}

static gboolean
handle_settings (CohortService  *service,
                 CohortRequest  *req,
                 GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(CohortClassAccessRecord) access = NULL;
  JsonObject *body = cohort_request_get_body (req);
  JsonObject *class_json;
  JsonObject *event_body;
  gint64 class_id = cohort_connection_get_class_id (conn);

  if (!require_teacher (req))
    return TRUE;

  if (!cohort_store_begin (store, error) ||
      !(access = _cohort_identity_get_access (server, class_id, error)))
    return FALSE;

  access->waiting_room = json_object_get_boolean_member_with_default (body, "waiting_room",
                                                                      access->waiting_room);
  access->locked = json_object_get_boolean_member_with_default (body, "locked", access->locked);
  access->anonymous_join = json_object_get_boolean_member_with_default (body, "anonymous_join",
                                                                        access->anonymous_join);

  if (!cohort_store_class_access_put (store, access, error) ||
      !(class_json = class_json_for (server, class_id, access, error)))
    return FALSE;

  event_body = json_object_new ();
  json_object_set_object_member (event_body, "class", json_object_ref (class_json));
  if (!cohort_request_emit (req, class_id, COHORT_EV_CLASS_UPDATED, event_body, error))
    {
      json_object_unref (class_json);
      return FALSE;
    }

  body = json_object_new ();
  json_object_set_object_member (body, "class", class_json);
  cohort_request_finish (req, body);

  return TRUE;
}

/* The participant of this class that @request names, with its member row
 * (NULL when it has none: a participant from before admission existed). */
static CohortParticipantRecord *
get_student (CohortServer         *server,
             CohortConnection     *conn,
             CohortMessage        *request,
             CohortMemberRecord  **out_member,
             GError              **error)
{
  CohortStore *store = _cohort_server_get_store (server);
  g_autoptr(CohortParticipantRecord) participant = NULL;
  gint64 participant_id = json_object_get_int_member (cohort_message_get_body (request), "participant_id");

  participant = cohort_store_get_participant (store, participant_id, error);
  if (participant == NULL)
    return NULL;
  if (participant->class_id != cohort_connection_get_class_id (conn) ||
      g_strcmp0 (participant->role, "student") != 0)
    return NULL;
  *out_member = cohort_store_member_get (store, participant_id, error);
  if (*out_member == NULL && error != NULL && *error != NULL)
    return NULL;
  if (*out_member != NULL && (*out_member)->removed)
    {
      g_clear_pointer (out_member, cohort_member_record_free);
      return NULL;
    }
  return g_steal_pointer (&participant);
}

JsonObject *
_cohort_identity_roster_json (CohortParticipantRecord *record)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", record->id);
  json_object_set_string_member (object, "name", record->name);
  json_object_set_string_member (object, "role", record->role);
  json_object_set_boolean_member (object, "online", record->online);
  if (record->hand_raised_at > 0)
    json_object_set_int_member (object, "hand_raised_at", record->hand_raised_at);
  else
    json_object_set_null_member (object, "hand_raised_at");
  return object;
}

static JsonObject *
participant_json (CohortParticipantRecord *record,
                  gboolean                 waiting)
{
  JsonObject *object = _cohort_identity_roster_json (record);

  json_object_set_string_member (object, "admission",
                                 waiting ? COHORT_ADMISSION_STR_WAITING : COHORT_ADMISSION_STR_ADMITTED);
  return object;
}

JsonObject *
_cohort_identity_participant_json (CohortParticipantRecord *record,
                                   gboolean                 waiting)
{
  return participant_json (record, waiting);
}

static gboolean
handle_admit (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortIdentityService *self = COHORT_IDENTITY_SERVICE (service);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GArray) admitted = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonObject *body = cohort_request_get_body (req);
  JsonArray *ids;
  const char *id = cohort_request_get_id (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gboolean all = json_object_get_boolean_member_with_default (body, "all", FALSE);
  gint64 only = json_object_get_int_member_with_default (body, "participant_id", 0);

  if (!require_teacher (req))
    return TRUE;
  if (!all && only == 0)
    {
      _cohort_server_send_error (conn, id, COHORT_ERROR_INVALID, COHORT_INVALID_MISSING_FIELD,
                                 "participant_id",
                                 _("Say whom to admit: a participant, or everyone waiting."));
      return TRUE;
    }

  if (!cohort_store_begin (store, error) ||
      !(members = cohort_store_member_list (store, class_id, error)))
    return FALSE;

  for (guint i = 0; i < members->len; i++)
    {
      CohortMemberRecord *member = g_ptr_array_index (members, i);
      g_autoptr(CohortParticipantRecord) participant = NULL;
      JsonObject *event_body;

      if (member->admitted || member->removed || (!all && member->participant_id != only))
        continue;
      /* A waiter who went away is not let in in their absence: they wait
       * again when they come back. */
      if (!_cohort_identity_waiting_now (server, member->participant_id, NULL))
        continue;

      member->admitted = TRUE;
      if (!cohort_store_member_put (store, member, error) ||
          !(participant = cohort_store_get_participant (store, member->participant_id, error)))
        return FALSE;

      event_body = json_object_new ();
      json_object_set_object_member (event_body, "participant", participant_json (participant, FALSE));
      if (!cohort_request_emit (req, class_id, COHORT_EV_PARTICIPANT_JOINED,
                                      event_body, error))
        return FALSE;
      g_array_append_val (admitted, member->participant_id);
    }

  if (!all && admitted->len == 0)
    {
      cohort_store_rollback (store);
      _cohort_server_send_error (conn, id, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "participant_id",
                                 _("This participant is not waiting to join."));
      return TRUE;
    }

  body = json_object_new ();
  ids = json_array_new ();
  for (guint i = 0; i < admitted->len; i++)
    json_array_add_int_element (ids, g_array_index (admitted, gint64, i));
  json_object_set_array_member (body, "participant_ids", ids);
  if (!cohort_request_finish (req, body))
    return TRUE;

  for (guint i = 0; i < admitted->len; i++)
    {
      g_autoptr(JsonObject) granted = json_object_new ();
      gint64 participant_id = g_array_index (admitted, gint64, i);

      json_object_set_int_member (granted, "participant_id", participant_id);
      tell_waiting (self, participant_id, COHORT_EV_ADMISSION_GRANTED, granted, FALSE);
    }

  return TRUE;
}

/* Drops a participant from the class: tokens revoked, sockets told and
 * closed. @block keeps them out (by personal code, or for an anonymous
 * student by network address). */
static void
remove_participant (CohortRequest *req,
                    gboolean       deny)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortIdentityService *self = get_service (server);
  CohortStore *store = _cohort_server_get_store (server);
  g_autoptr(CohortParticipantRecord) participant = NULL;
  g_autoptr(CohortMemberRecord) member = NULL;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) removed = NULL;
  JsonObject *body = cohort_request_get_body (req);
  JsonObject *event_body;
  const char *id = cohort_request_get_id (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gboolean block = !deny && json_object_get_boolean_member_with_default (body, "block", FALSE);
  gboolean waiting;
  gboolean ok;

  if (!require_teacher (req))
    return;

  if (!cohort_store_begin (store, &error))
    {
      cohort_request_fail (req, error);
      return;
    }

  participant = get_student (server, conn, request, &member, &error);
  if (error != NULL)
    {
      cohort_request_fail (req, error);
      return;
    }
  waiting = member != NULL && !member->admitted;
  if (participant == NULL || (deny && !waiting))
    {
      cohort_store_rollback (store);
      _cohort_server_send_error (conn, id, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "participant_id",
                                 deny ? _("This participant is not waiting to join.")
                                      : _("There is no such student in this class."));
      return;
    }

  if (member == NULL)
    {
      member = g_new0 (CohortMemberRecord, 1);
      member->participant_id = participant->id;
      member->class_id = class_id;
      member->admitted = TRUE;
    }
  member->removed = TRUE;

  ok = cohort_store_member_put (store, member, &error) &&
       cohort_store_revoke_tokens (store, participant->id, &error);
  if (ok && block)
    {
      if (member->known)
        {
          g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT, participant->id);

          ok = cohort_store_block_add (store, class_id, COHORT_BLOCK_CODE, value, &error);
        }
      else
        {
          /* A student from before admission existed has no address kept:
           * block the one they are connected from, or say no block. */
          g_autofree char *address = member->address != NULL
                                     ? g_strdup (member->address)
                                     : _cohort_server_get_participant_host (server, class_id,
                                                                            participant->id);

          if (address != NULL)
            ok = cohort_store_block_add (store, class_id, COHORT_BLOCK_ADDRESS, address, &error);
          else
            block = FALSE;
        }
    }
  if (!ok || !(teacher = cohort_store_find_teacher (store, class_id, &error)))
    {
      cohort_request_fail (req, error);
      return;
    }

  event_body = json_object_new ();
  json_object_set_int_member (event_body, "participant_id", participant->id);
  json_object_set_boolean_member (event_body, "blocked", block);
  removed = json_object_ref (event_body);

  /* Nobody but the teacher knew of a waiting participant. */
  if (waiting)
    {
      gint64 audience[] = { teacher->id, participant->id };

      ok = cohort_request_emit_for (req, class_id, COHORT_EV_PARTICIPANT_REMOVED,
                                          event_body, audience, G_N_ELEMENTS (audience), &error);
    }
  else
    ok = cohort_request_emit (req, class_id, COHORT_EV_PARTICIPANT_REMOVED,
                                    event_body, &error);
  if (!ok)
    {
      cohort_request_fail (req, error);
      return;
    }

  body = json_object_new ();
  json_object_set_int_member (body, "participant_id", participant->id);
  json_object_set_boolean_member (body, "blocked", block);
  if (!cohort_request_finish (req, body))
    return;

  /* Their joined sockets get the event with everyone else's, then close;
   * their waiting ones are told directly. */
  _cohort_server_flush (server);
  _cohort_server_kick_participant (server, class_id, participant->id);
  tell_waiting (self, participant->id, COHORT_EV_PARTICIPANT_REMOVED, removed, TRUE);
}

static gboolean
handle_deny (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  remove_participant (req, TRUE);

  return TRUE;
}

static gboolean
handle_remove (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  remove_participant (req, FALSE);

  return TRUE;
}

/* Known students */

/* 12 characters of the class-code alphabet from getrandom(): 59 bits. */
static char *
new_personal_code (GError **error)
{
  static const char alphabet[] = COHORT_CLASS_CODE_ALPHABET;
  const guint n = sizeof alphabet - 1;
  /* Bytes at or above this would favour the first letters. */
  const guint limit = 256 - 256 % n;
  char *code = g_malloc0 (COHORT_PERSONAL_CODE_CHARS + 1);
  guint filled = 0;

  while (filled < COHORT_PERSONAL_CODE_CHARS)
    {
      guchar bytes[32];

      if (getrandom (bytes, sizeof bytes, 0) != sizeof bytes)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not read random bytes");
          g_free (code);
          return NULL;
        }
      for (guint i = 0; i < sizeof bytes && filled < COHORT_PERSONAL_CODE_CHARS; i++)
        if (bytes[i] < limit)
          code[filled++] = alphabet[bytes[i] % n];
    }
  return code;
}

/* Gives @participant_id a fresh personal code; returns it. */
static char *
issue_code (CohortStore  *store,
            gint64        participant_id,
            GError      **error)
{
  for (guint attempt = 0; attempt < CODE_ATTEMPTS; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *code = new_personal_code (error);
      g_autofree char *hash = NULL;

      if (code == NULL)
        return NULL;
      hash = cohort_secret_hash (code);
      if (cohort_store_member_set_code (store, participant_id, hash, &local_error))
        return g_steal_pointer (&code);
      if (!g_error_matches (local_error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }
  g_set_error_literal (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                       "Could not find a free personal code");
  return NULL;
}

static gboolean
handle_roster_import (CohortService  *service,
                      CohortRequest  *req,
                      GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  JsonArray *students = json_object_get_array_member (cohort_request_get_body (req), "students");
  JsonArray *shown;
  JsonArray *kept;
  JsonObject *live;
  JsonObject *stored;
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 now = g_get_real_time () / 1000;

  if (!require_teacher (req))
    return TRUE;

  if (!cohort_store_begin (store, error))
    return FALSE;

  shown = json_array_new ();
  kept = json_array_new ();
  for (guint i = 0; i < json_array_get_length (students); i++)
    {
      JsonObject *student = json_array_get_object_element (students, i);
      const char *name = json_object_get_string_member (student, "name");
      const char *number = json_object_get_string_member_with_default (student, "number", NULL);
      g_autoptr(CohortParticipantRecord) participant = NULL;
      g_autofree char *code = NULL;
      CohortMemberRecord member = { 0 };
      JsonObject *event_body;
      JsonObject *row;
      gint64 participant_id;

      participant_id = cohort_store_add_participant (store, class_id, name, "student", FALSE, now, error);
      member.participant_id = participant_id;
      member.class_id = class_id;
      member.admitted = TRUE;
      member.known = TRUE;
      member.number = (char *) number;
      if (participant_id == 0 ||
          !cohort_store_member_put (store, &member, error) ||
          !(code = issue_code (store, participant_id, error)) ||
          !(participant = cohort_store_get_participant (store, participant_id, error)))
        {
          json_array_unref (shown);
          json_array_unref (kept);
          return FALSE;
        }

      event_body = json_object_new ();
      json_object_set_object_member (event_body, "participant", participant_json (participant, FALSE));
      if (!cohort_request_emit (req, class_id, COHORT_EV_PARTICIPANT_JOINED,
                                      event_body, error))
        {
          json_array_unref (shown);
          json_array_unref (kept);
          return FALSE;
        }

      /* The reply shown now carries the code; the one kept for a resend
       * does not (codes are kept only as hashes). */
      row = json_object_new ();
      json_object_set_int_member (row, "participant_id", participant_id);
      json_object_set_string_member (row, "name", name);
      if (number != NULL)
        json_object_set_string_member (row, "number", number);
      else
        json_object_set_null_member (row, "number");
      json_array_add_object_element (kept, row);

      row = json_object_new ();
      json_object_set_int_member (row, "participant_id", participant_id);
      json_object_set_string_member (row, "name", name);
      if (number != NULL)
        json_object_set_string_member (row, "number", number);
      else
        json_object_set_null_member (row, "number");
      json_object_set_string_member (row, "personal_code", code);
      json_array_add_object_element (shown, row);
    }

  live = json_object_new ();
  json_object_set_array_member (live, "students", shown);
  stored = json_object_new ();
  json_object_set_array_member (stored, "students", kept);
  cohort_request_finish_secret (req, live, stored);

  return TRUE;
}

static gboolean
handle_roster_reissue (CohortService  *service,
                       CohortRequest  *req,
                       GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(CohortParticipantRecord) participant = NULL;
  g_autoptr(CohortMemberRecord) member = NULL;
  g_autofree char *code = NULL;
  JsonObject *live;
  JsonObject *stored;
  const char *id = cohort_request_get_id (req);

  if (!require_teacher (req))
    return TRUE;

  if (!cohort_store_begin (store, error))
    return FALSE;

  participant = get_student (server, conn, request, &member, error);
  if (*error != NULL)
    return FALSE;
  if (participant == NULL || member == NULL || !member->known)
    {
      cohort_store_rollback (store);
      _cohort_server_send_error (conn, id, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "participant_id",
                                 _("This is not a known student of this class."));
      return TRUE;
    }

  /* A new code is the remedy for a leaked one: whoever came in with the
   * old code is signed out too (the student comes back with the new one). */
  if (!(code = issue_code (store, participant->id, error)) ||
      !cohort_store_revoke_tokens (store, participant->id, error))
    return FALSE;

  live = json_object_new ();
  json_object_set_int_member (live, "participant_id", participant->id);
  json_object_set_string_member (live, "personal_code", code);
  stored = json_object_new ();
  json_object_set_int_member (stored, "participant_id", participant->id);
  if (!cohort_request_finish_secret (req, live, stored))
    return TRUE;
  _cohort_server_kick_participant (server, participant->class_id, participant->id);

  return TRUE;
}

static gboolean
handle_roster_list (CohortService  *service,
                    CohortRequest  *req,
                    GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  CohortStore *store = cohort_service_get_store (service);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(JsonObject) body = NULL;
  JsonArray *students;

  if (!require_teacher (req))
    return TRUE;

  if (!(members = cohort_store_member_list (store, cohort_connection_get_class_id (conn), error)))
    {
      _cohort_server_send_not_saved (conn, cohort_request_get_id (req));
      return TRUE;
    }

  students = json_array_new ();
  for (guint i = 0; i < members->len; i++)
    {
      CohortMemberRecord *member = g_ptr_array_index (members, i);
      g_autoptr(CohortParticipantRecord) participant = NULL;
      JsonObject *row;

      if (!member->known || member->removed ||
          !(participant = cohort_store_get_participant (store, member->participant_id, error)))
        continue;

      row = json_object_new ();
      json_object_set_int_member (row, "participant_id", participant->id);
      json_object_set_string_member (row, "name", participant->name);
      if (member->number != NULL)
        json_object_set_string_member (row, "number", member->number);
      else
        json_object_set_null_member (row, "number");
      json_object_set_boolean_member (row, "online", participant->online);
      json_array_add_object_element (students, row);
    }

  body = json_object_new ();
  json_object_set_array_member (body, "students", students);
  send_plain_ok (conn, request, body);

  return TRUE;
}

static void
cohort_identity_service_finalize (GObject *object)
{
  CohortIdentityService *self = COHORT_IDENTITY_SERVICE (object);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->waiting);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_signal_handlers_disconnect_by_func (key, on_waiting_closed, self);
  g_clear_pointer (&self->waiting, g_hash_table_unref);

  G_OBJECT_CLASS (cohort_identity_service_parent_class)->finalize (object);
}

static void
cohort_identity_service_class_init (CohortIdentityServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cohort_identity_service_finalize;
  COHORT_SERVICE_CLASS (klass)->welcome = cohort_identity_service_welcome;
}

static void
cohort_identity_service_init (CohortIdentityService *self)
{
  self->waiting = g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, g_free);
}

CohortIdentityService *
cohort_identity_service_new (CohortServer *server)
{
  CohortIdentityService *self = g_object_new (COHORT_TYPE_IDENTITY_SERVICE, "server", server, NULL);

  self->server = server;

  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_STAFF_CLASSES, handle_staff_classes);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_STAFF_ARCHIVE, handle_staff_archive);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_STAFF_UNARCHIVE, handle_staff_unarchive);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_CLASS_SETTINGS, handle_settings);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_ADMISSION_ADMIT, handle_admit);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_ADMISSION_DENY, handle_deny);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_PARTICIPANT_REMOVE, handle_remove);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_ROSTER_IMPORT, handle_roster_import);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_ROSTER_REISSUE, handle_roster_reissue);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_ROSTER_LIST, handle_roster_list);

  return self;
}

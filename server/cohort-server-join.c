/* cohort-server-join.c: class.create, class.join and resume
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-server"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-identity-protocol.h"
#include "cohort-identity-service.h"
#include "cohort-protocol.h"
#include "cohort-secret.h"
#include "cohort-server-internal.h"

#define CODE_ATTEMPTS        16

#define ROLE_TEACHER "teacher"
#define ROLE_STUDENT "student"


static JsonObject *
class_to_json (CohortClassRecord *record)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", record->id);
  json_object_set_string_member (object, "code", record->code);
  json_object_set_string_member (object, "title", record->title);
  return object;
}

static JsonArray *
participants_to_json (GPtrArray *records)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < records->len; i++)
    json_array_add_object_element (array,
                                   _cohort_identity_roster_json (g_ptr_array_index (records, i)));
  return array;
}

static gboolean
is_teacher_record (CohortParticipantRecord *record)
{
  return g_strcmp0 (record->role, ROLE_TEACHER) == 0;
}

/* Creates a class, its teacher and the teacher's participant.joined event
 * inside the caller's transaction. */
static gboolean
create_class (CohortServer             *self,
              CohortStore              *store,
              GPtrArray                *pending,
              const char               *title,
              const char               *teacher_name,
              gboolean                  online,
              CohortClassRecord       **out_class,
              CohortParticipantRecord **out_teacher,
              char                    **out_teacher_key,
              GError                  **error)
{
  g_autofree char *teacher_key = NULL;
  g_autofree char *teacher_key_hash = NULL;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  JsonObject *body;
  gint64 now = g_get_real_time () / 1000;
  gint64 class_id = 0;
  gint64 teacher_id;

  if (!(teacher_key = cohort_secret_new (error)))
    return FALSE;
  teacher_key_hash = cohort_secret_hash (teacher_key);

  for (guint attempt = 0; class_id == 0; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *code = cohort_secret_new_code (error);

      if (code == NULL)
        return FALSE;

      class_id = cohort_store_create_class (store, code, title, teacher_key_hash, now,
                                            &local_error);
      if (class_id == 0 &&
          (!g_error_matches (local_error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_EXISTS) ||
           attempt + 1 >= CODE_ATTEMPTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }

  teacher_id = cohort_store_add_participant (store, class_id, teacher_name, ROLE_TEACHER,
                                             online, now, error);
  if (teacher_id == 0 ||
      !(teacher = cohort_store_get_participant (store, teacher_id, error)))
    return FALSE;

  if (self != NULL)
    {
      body = json_object_new ();
      json_object_set_object_member (body, "participant", _cohort_identity_roster_json (teacher));
      if (!_cohort_server_emit_event (self, pending, class_id, COHORT_EV_PARTICIPANT_JOINED, body, error))
        return FALSE;
    }
  else
    {
      g_autofree char *body_json = NULL;

      body = json_object_new ();
      json_object_set_object_member (body, "participant", _cohort_identity_roster_json (teacher));
      body_json = _cohort_server_object_to_string (body);
      json_object_unref (body);
      if (cohort_store_append_event (store, class_id, now, COHORT_EV_PARTICIPANT_JOINED,
                                     body_json, NULL, error) == 0)
        return FALSE;
    }

  if (!(*out_class = cohort_store_get_class (store, class_id, error)))
    return FALSE;
  *out_teacher = g_steal_pointer (&teacher);
  *out_teacher_key = g_steal_pointer (&teacher_key);
  return TRUE;
}

gboolean
cohort_server_admin_create_class (CohortStore  *store,
                                  const char   *title,
                                  const char   *teacher_name,
                                  const char   *staff,
                                  gboolean      waiting_room,
                                  char        **out_code,
                                  char        **out_teacher_key,
                                  GError      **error)
{
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(GPtrArray) staff_list = NULL;
  g_autofree char *teacher_key = NULL;
  g_autofree char *clean_title = NULL;
  g_autofree char *clean_name = NULL;
  gint64 staff_id = 0;

  if (!(clean_title = cohort_protocol_normalize_text (title, COHORT_MAX_TITLE_CHARS, error)) ||
      !(clean_name = cohort_protocol_normalize_text (teacher_name, COHORT_MAX_NAME_CHARS, error)))
    return FALSE;

  /* identity: the class belongs to an active staff account, by name or id. */
  if (!(staff_list = cohort_store_staff_list (store, error)))
    return FALSE;
  for (guint i = 0; i < staff_list->len && staff != NULL; i++)
    {
      CohortStaffRecord *record = g_ptr_array_index (staff_list, i);
      g_autofree char *id_text = g_strdup_printf ("%" G_GINT64_FORMAT, record->id);

      if (record->revoked_at == 0 &&
          (g_strcmp0 (record->name, staff) == 0 || g_strcmp0 (id_text, staff) == 0))
        {
          /* Two accounts by one name (or a name that is another's id):
           * the class would go to whichever came first. */
          if (staff_id != 0)
            {
              g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                           "“%s” names more than one active staff account; give its id "
                           "(see --list-staff)", staff);
              return FALSE;
            }
          staff_id = record->id;
        }
    }
  if (staff_id == 0)
    {
      g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                   "There is no active staff account “%s” (see --list-staff)", staff ? staff : "");
      return FALSE;
    }

  if (!cohort_store_begin (store, error))
    return FALSE;

  if (!create_class (NULL, store, NULL, clean_title, clean_name, FALSE,
                     &klass, &teacher, &teacher_key, error) ||
      !cohort_store_class_access_put (store, &(CohortClassAccessRecord) {
                                        .class_id = klass->id, .staff_id = staff_id,
                                        .waiting_room = waiting_room, .anonymous_join = TRUE }, error) ||
      !cohort_store_commit (store, error))
    {
      cohort_store_rollback (store);
      return FALSE;
    }

  *out_code = g_strdup (klass->code);
  *out_teacher_key = g_steal_pointer (&teacher_key);
  return TRUE;
}

/* Registers @conn as joined. If the participant was offline, marks them
 * online with a presence event (inside the caller's transaction). */
static gboolean
join_presence (CohortServer             *self,
               GPtrArray                *pending,
               CohortParticipantRecord  *participant,
               GError                  **error)
{
  JsonObject *body;

  if (participant->online)
    return TRUE;

  if (!cohort_store_set_online (self->store, participant->id, TRUE, error))
    return FALSE;
  participant->online = TRUE;

  body = json_object_new ();
  json_object_set_int_member (body, "participant_id", participant->id);
  json_object_set_boolean_member (body, "online", TRUE);
  return _cohort_server_emit_event (self, pending, participant->class_id, COHORT_EV_PARTICIPANT_PRESENCE,
                     body, error);
}

static gboolean
check_version (CohortConnection *conn,
               CohortMessage    *request)
{
  JsonObject *body = cohort_message_get_body (request);

  if (json_object_get_int_member_with_default (body, "protocol", 0) == COHORT_PROTOCOL_VERSION)
    return TRUE;

  _cohort_server_send_error (conn, cohort_message_get_id (request), COHORT_ERROR_UNSUPPORTED_VERSION,
              COHORT_INVALID_NONE, "protocol",
              _("This server speaks a different version of the Cohort protocol. Update the app."));
  return FALSE;
}

/* The parser already trims and checks text; this keeps the server safe
 * whatever the parser lets through. */
static char *
require_text (CohortConnection *conn,
              CohortMessage    *request,
              const char       *field,
              guint             max_chars)
{
  g_autoptr(GError) error = NULL;
  const char *raw;
  char *text;

  raw = json_object_get_string_member_with_default (cohort_message_get_body (request), field, NULL);
  text = cohort_protocol_normalize_text (raw ? raw : "", max_chars, &error);
  if (text == NULL)
    _cohort_server_send_error (conn, cohort_message_get_id (request), COHORT_ERROR_INVALID,
                raw == NULL ? COHORT_INVALID_MISSING_FIELD : COHORT_INVALID_BAD_TEXT,
                field, error->message);
  return text;
}

/* The part of a create, join or resume reply they all share;
 * @participants may be NULL (a resume that replays). */
static JsonObject *
joined_body (CohortClassRecord       *klass,
             CohortParticipantRecord *you,
             gint64                   seq,
             GPtrArray               *participants)
{
  JsonObject *body = json_object_new ();

  json_object_set_object_member (body, "class", class_to_json (klass));
  json_object_set_object_member (body, "you", _cohort_identity_roster_json (you));
  json_object_set_int_member (body, "seq", seq);
  if (participants != NULL)
    json_object_set_array_member (body, "participants", participants_to_json (participants));
  return body;
}

static gboolean
handle_class_create (CohortService  *service,
                     CohortRequest  *req,
                     GError        **error)
{
  CohortServer *self = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(CohortParticipantRecord) teacher = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autofree char *teacher_key = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  g_autofree char *title = NULL;
  g_autofree char *name = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(CohortStaffRecord) staff = NULL;
  const char *id = cohort_request_get_id (req);
  gint64 seq;

  if (!check_version (conn, request) ||
      !(title = require_text (conn, request, "title", COHORT_MAX_TITLE_CHARS)) ||
      !(name = require_text (conn, request, "name", COHORT_MAX_NAME_CHARS)) ||
      !_cohort_identity_authorize_staff (self, conn, request, &staff))
    return TRUE;

  if (!(token = cohort_secret_new (error)))
    return FALSE;
  token_hash = cohort_secret_hash (token);

  if (!cohort_store_begin (self->store, error) ||
      !create_class (self, self->store, pending, title, name, TRUE,
                     &klass, &teacher, &teacher_key, error) ||
      !_cohort_identity_class_created (self, klass->id, staff->id,
                                       json_object_get_boolean_member_with_default (
                                         cohort_request_get_body (req), "waiting_room", TRUE),
                                       error) ||
      !cohort_store_add_token (self->store, teacher->id, token_hash,
                               g_get_real_time () / 1000, error) ||
      (seq = cohort_store_get_last_seq (self->store, klass->id, error)) < 0 ||
      !(participants = cohort_store_list_participants (self->store, klass->id, error)) ||
      !cohort_store_commit (self->store, error))
    return FALSE;

  body = joined_body (klass, teacher, seq, participants);
  json_object_set_string_member (body, "token", token);
  json_object_set_string_member (body, "teacher_key", teacher_key);
  _cohort_server_welcome (self, conn, id, klass, teacher, seq, body, pending);

  return TRUE;
}

/* The reply to a join or resume that lands in the waiting room: the
 * class, yourself and nobody else, until the teacher admits you. */
static void
send_waiting (CohortServer            *self,
              CohortConnection        *conn,
              const char              *id,
              CohortClassRecord       *klass,
              CohortClassAccessRecord *access,
              CohortParticipantRecord *you,
              gint64                   seq,
              const char              *token,
              gboolean                 resume)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(CohortMessage) reply = NULL;
  JsonObject *class_json = class_to_json (klass);
  JsonArray *participants = json_array_new ();

  _cohort_identity_add_class_fields (class_json, access);
  json_object_set_object_member (body, "class", class_json);
  json_object_set_object_member (body, "you", _cohort_identity_participant_json (you, TRUE));
  json_object_set_int_member (body, "seq", seq);
  json_array_add_object_element (participants, _cohort_identity_participant_json (you, TRUE));
  json_object_set_array_member (body, "participants", participants);
  json_object_set_string_member (body, "admission", COHORT_ADMISSION_STR_WAITING);
  if (token != NULL)
    json_object_set_string_member (body, "token", token);
  if (resume)
    json_object_set_string_member (body, "mode", "snapshot");

  _cohort_identity_set_waiting (self, conn, klass->id, you->id);
  reply = cohort_message_new_ok (id, body);
  _cohort_server_send_message (conn, reply);
}

/* lesson: FALSE with @error set when the store failed. */
static gboolean
lesson_is_live (CohortStore  *store,
                gint64        class_id,
                GError      **error)
{
  g_autoptr(CohortLessonRecord) lesson = cohort_store_lesson_get (store, class_id, 0, error);

  return lesson != NULL && lesson->state == COHORT_STORE_LESSON_LIVE;
}

/* class.join by the teacher, with the class's key or the owner's staff
 * credential: checks it, starts the next lesson for staff coming back,
 * and brings the teacher online. FALSE: answered (rolled back). */
static gboolean
join_teacher (CohortRequest            *req,
              GPtrArray                *pending,
              CohortClassRecord        *klass,
              CohortClassAccessRecord  *access,
              CohortStaffRecord        *staff,
              const char               *teacher_key,
              const char               *token_hash,
              gint64                    now,
              CohortParticipantRecord **out_you)
{
  CohortServer *self = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  const char *id = cohort_request_get_id (req);
  g_autoptr(GError) error = NULL;
  CohortParticipantRecord *you;
  int revoked;

  if (teacher_key != NULL)
    {
      g_autofree char *key_hash = cohort_secret_hash (teacher_key);

      if (g_strcmp0 (key_hash, klass->teacher_key_hash) != 0)
        {
          /* Not counted: a teacher key has 256 random bits. */
          cohort_store_rollback (self->store);
          _cohort_server_send_error (conn, id, COHORT_ERROR_UNAUTHORIZED, COHORT_INVALID_NONE, "teacher_key",
                      _("This teacher key does not belong to this class. Check the key and try again."));
          return FALSE;
        }
      /* identity: a revoked staff account's classes take no teacher. */
      if ((revoked = _cohort_identity_owner_revoked (self, access, &error)) < 0)
        {
          cohort_request_fail (req, error);
          return FALSE;
        }
      if (revoked > 0)
        {
          cohort_store_rollback (self->store);
          _cohort_server_send_error (conn, id, COHORT_ERROR_UNAUTHORIZED, COHORT_INVALID_NONE, "teacher_key",
                      _("The staff account this class belongs to was revoked."));
          return FALSE;
        }
    }
  else if (access->staff_id != staff->id)
    {
      cohort_store_rollback (self->store);
      /* forbidden, not unauthorized: the credential is good (the app
       * keeps it); it is only not this class's owner. */
      _cohort_server_send_error (conn, id, COHORT_ERROR_FORBIDDEN, COHORT_INVALID_NONE, "staff_credential",
                  _("This class belongs to another staff account."));
      return FALSE;
    }

  you = *out_you = cohort_store_find_teacher (self->store, klass->id, &error);
  if (you == NULL)
    {
      if (error == NULL)
        g_set_error (&error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                     "Class %" G_GINT64_FORMAT " has no teacher", klass->id);
      cohort_request_fail (req, error);
      return FALSE;
    }

  /* identity: staff coming back to a class whose teacher was away
   * start its next lesson, unless the lesson is live (lesson: the
   * teacher only dropped out, and the class goes on). */
  if (staff != NULL && !you->online && !lesson_is_live (self->store, klass->id, &error))
    {
      if (error != NULL)
        {
          cohort_request_fail (req, error);
          return FALSE;
        }

      gint64 number = cohort_store_lesson_start (self->store, klass->id, now, &error);
      JsonObject *lesson;

      if (number == 0)
        {
          cohort_request_fail (req, error);
          return FALSE;
        }
      lesson = json_object_new ();
      json_object_set_int_member (lesson, "number", number);
      json_object_set_int_member (lesson, "started_at", now);
      if (!_cohort_server_emit_event (self, pending, klass->id, COHORT_EV_LESSON_STARTED, lesson, &error))
        {
          cohort_request_fail (req, error);
          return FALSE;
        }
    }

  if (!cohort_store_add_token (self->store, you->id, token_hash, now, &error) ||
      !join_presence (self, pending, you, &error))
    {
      cohort_request_fail (req, error);
      return FALSE;
    }

  return TRUE;
}

/* class.join by a student: the class's rules (identity), then either a
 * known student back by their personal code (@inout_you) or a new
 * participant, admitted or in the waiting room. FALSE: answered. */
static gboolean
join_student (CohortRequest            *req,
              GPtrArray                *pending,
              CohortClassRecord        *klass,
              CohortClassAccessRecord  *access,
              CohortMemberRecord       *member,
              gboolean                  personal,
              const char               *name,
              const char               *token_hash,
              gint64                    now,
              CohortParticipantRecord **inout_you,
              gboolean                 *out_waiting)
{
  CohortServer *self = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  const char *id = cohort_request_get_id (req);
  g_autoptr(GError) error = NULL;
  CohortParticipantRecord *you = *inout_you;
  const char *refusal;
  gboolean waiting;


  /* identity: archived, locked, known students only, blocked. */
  refusal = _cohort_identity_refuse_student (self, conn, access, member, personal, &error);
  if (error != NULL)
    {
      cohort_request_fail (req, error);
      return FALSE;
    }
  if (refusal != NULL)
    {
      cohort_store_rollback (self->store);
      _cohort_server_send_error (conn, id, COHORT_ERROR_FORBIDDEN, COHORT_INVALID_NONE, "code", refusal);
      return FALSE;
    }

  if (personal)
    {
      /* The same participant on every device and in every lesson, so
       * what counts per participant (AI quota, chat rate) follows them.
       * Removed without a block, they are back. */
      gboolean was_removed = member->removed;

      member->admitted = TRUE;
      member->removed = FALSE;
      if (!cohort_store_member_put (self->store, member, &error) ||
          !cohort_store_add_token (self->store, you->id, token_hash, now, &error) ||
          !join_presence (self, pending, you, &error))
        {
          cohort_request_fail (req, error);
          return FALSE;
        }
      /* Removed earlier (without a block): every roster dropped them. */
      if (was_removed)
        {
          JsonObject *event_body = json_object_new ();

          json_object_set_object_member (event_body, "participant", _cohort_identity_roster_json (you));
          if (!_cohort_server_emit_event (self, pending, klass->id, COHORT_EV_PARTICIPANT_JOINED,
                                          event_body, &error))
            {
              cohort_request_fail (req, error);
              return FALSE;
            }
        }
    }
  else
    {
      CohortMemberRecord new_member = { 0 };
      JsonObject *event_body;
      gint64 participant_id;

      waiting = *out_waiting = access->waiting_room;
      /* A waiting student is not online in the class until admitted. */
      participant_id = cohort_store_add_participant (self->store, klass->id, name, ROLE_STUDENT,
                                                     !waiting, now, &error);
      new_member.participant_id = participant_id;
      new_member.class_id = klass->id;
      new_member.admitted = !waiting;
      new_member.address = (char *) cohort_connection_get_remote_host (conn);
      if (participant_id == 0 ||
          !cohort_store_member_put (self->store, &new_member, &error) ||
          !cohort_store_add_token (self->store, participant_id, token_hash, now, &error) ||
          !(you = *inout_you = cohort_store_get_participant (self->store, participant_id, &error)))
        {
          cohort_request_fail (req, error);
          return FALSE;
        }

      event_body = json_object_new ();
      if (waiting)
        {
          g_autoptr(CohortParticipantRecord) teacher = NULL;

          if (!(teacher = cohort_store_find_teacher (self->store, klass->id, &error)))
            {
              json_object_unref (event_body);
              cohort_request_fail (req, error);
              return FALSE;
            }
          json_object_set_object_member (event_body, "participant",
                                         _cohort_identity_participant_json (you, TRUE));
          if (!_cohort_server_emit_event_for (self, pending, klass->id, COHORT_EV_PARTICIPANT_WAITING,
                                              event_body, &teacher->id, 1, &error))
            {
              cohort_request_fail (req, error);
              return FALSE;
            }
        }
      else
        {
          json_object_set_object_member (event_body, "participant", _cohort_identity_roster_json (you));
          if (!_cohort_server_emit_event (self, pending, klass->id, COHORT_EV_PARTICIPANT_JOINED,
                                          event_body, &error))
            {
              cohort_request_fail (req, error);
              return FALSE;
            }
        }
    }

  return TRUE;
}

static gboolean
handle_class_join (CohortService  *service,
                   CohortRequest  *req,
                   GError        **error)
{
  CohortServer *self = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(CohortParticipantRecord) you = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(CohortStaffRecord) staff = NULL;
  g_autoptr(CohortClassAccessRecord) access = NULL;
  g_autoptr(CohortMemberRecord) member = NULL;
  g_autofree char *code = NULL;
  g_autofree char *name = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  JsonObject *request_body = cohort_request_get_body (req);
  const char *id = cohort_request_get_id (req);
  const char *teacher_key;
  const char *staff_credential;
  const char *raw_code;
  gint64 now = g_get_real_time () / 1000;
  gint64 seq;
  gboolean personal;
  gboolean waiting = FALSE;

  if (!check_version (conn, request))
    return TRUE;

  if (cohort_join_throttle_check (self->join_throttle, cohort_connection_get_remote_host (conn),
                                  g_get_monotonic_time ()) > 0)
    {
      _cohort_server_send_error (conn, id, COHORT_ERROR_RATE_LIMITED, COHORT_INVALID_NONE, "code",
                                 _("Too many wrong class codes came from your network. Wait a minute and try again."));
      return TRUE;
    }

  teacher_key = json_object_get_string_member_with_default (request_body, "teacher_key", NULL);
  staff_credential = json_object_get_string_member_with_default (request_body, "staff_credential", NULL);
  raw_code = json_object_get_string_member_with_default (request_body, "code", "");
  code = cohort_protocol_normalize_code (raw_code);
  /* identity: a known student's personal code stands for class and name. */
  personal = code == NULL && (code = cohort_protocol_normalize_personal_code (raw_code)) != NULL;

  /* The teacher signs in by key or staff credential; the name they send
   * is ignored, and so is a known student's. */
  if (teacher_key == NULL && staff_credential == NULL && !personal &&
      !(name = require_text (conn, request, "name", COHORT_MAX_NAME_CHARS)))
    return TRUE;

  /* A malformed code is not a guess: it cannot match any class. */
  if (code == NULL)
    {
      _cohort_server_send_error (conn, id, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "code",
                  _("There is no class with this code. Check the code with your teacher."));
      return TRUE;
    }

  if (staff_credential != NULL && teacher_key == NULL && !personal &&
      !_cohort_identity_authorize_staff (self, conn, request, &staff))
    return TRUE;

  if (!(token = cohort_secret_new (error)))
    return FALSE;
  token_hash = cohort_secret_hash (token);

  if (!cohort_store_begin (self->store, error))
    return FALSE;

  if (personal)
    {
      g_autofree char *code_hash = cohort_secret_hash (code);
      gint64 participant_id = cohort_store_member_find_by_code (self->store, code_hash, error);

      if (participant_id < 0)
        return FALSE;
      if (participant_id > 0 &&
          (!(you = cohort_store_get_participant (self->store, participant_id, error)) ||
           !(member = cohort_store_member_get (self->store, participant_id, error)) ||
           !(klass = cohort_store_get_class (self->store, you->class_id, error))))
        return FALSE;
    }
  else
    klass = cohort_store_find_class_by_code (self->store, code, error);

  if (klass == NULL)
    {
      if (*error != NULL)
        return FALSE;
      cohort_store_rollback (self->store);
      _cohort_server_join_guess_failed (self, conn);
      _cohort_server_send_error (conn, id, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "code",
                  _("There is no class with this code. Check the code with your teacher."));
      return TRUE;
    }

  if (!(access = _cohort_identity_get_access (self, klass->id, error)))
    return FALSE;

  if (teacher_key != NULL || staff != NULL)
    {
      if (!join_teacher (req, pending, klass, access, staff, teacher_key, token_hash, now, &you))
        return TRUE;
    }
  else if (!join_student (req, pending, klass, access, member, personal, name, token_hash, now,
                          &you, &waiting))
    return TRUE;

  if ((seq = cohort_store_get_last_seq (self->store, klass->id, error)) < 0 ||
      (!waiting && !(participants = cohort_store_list_participants (self->store, klass->id, error))) ||
      !cohort_store_commit (self->store, error))
    return FALSE;

  if (waiting)
    {
      send_waiting (self, conn, id, klass, access, you, seq, token, FALSE);
      _cohort_server_broadcast (self, pending);
      return TRUE;
    }

  body = joined_body (klass, you, seq, participants);
  json_object_set_string_member (body, "token", token);
  json_object_set_string_member (body, "admission", COHORT_ADMISSION_STR_ADMITTED);
  _cohort_server_welcome (self, conn, id, klass, you, seq, body, pending);

  return TRUE;
}

/* Sends the missed @events (may be NULL) that @participant_id may see,
 * each chained by "prev" to the one before, the first to @last_seq.
 * Returns the seq of the last one sent (@last_seq when none was). */
static gint64
send_missed_events (CohortConnection *conn,
                    GPtrArray        *events,
                    gint64            participant_id,
                    gint64            last_seq)
{
  for (guint i = 0; events != NULL && i < events->len; i++)
    {
      CohortEventRecord *record = g_ptr_array_index (events, i);
      g_autoptr(JsonNode) node = json_from_string (record->body, NULL);
      g_autoptr(CohortMessage) event = NULL;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        {
          g_critical ("Event %" G_GINT64_FORMAT " of class %" G_GINT64_FORMAT " is corrupt",
                      record->seq, record->class_id);
          continue;
        }
      if (record->audience != NULL)
        {
          g_autoptr(GArray) audience = _cohort_server_audience_from_json (record->audience);

          if (!_cohort_server_audience_contains (audience, participant_id))
            continue;
        }
      event = cohort_message_new_event (record->seq, record->ts, record->name,
                                        json_node_get_object (node));
      cohort_message_set_prev (event, last_seq);
      _cohort_server_send_message (conn, event);
      last_seq = record->seq;
    }
  return last_seq;
}

static gboolean
handle_resume (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  CohortServer *self = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortMessage *request = cohort_request_get_message (req);
  g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
  g_autoptr(CohortClassRecord) klass = NULL;
  g_autoptr(CohortParticipantRecord) you = NULL;
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(CohortMessage) reply = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autofree char *token_hash = NULL;
  g_autoptr(CohortClassAccessRecord) access = NULL;
  g_autoptr(CohortMemberRecord) member = NULL;
  JsonObject *request_body = cohort_request_get_body (req);
  const char *id = cohort_request_get_id (req);
  const char *token;
  gint64 last_seq;
  gint64 seq;
  gboolean snapshot;

  if (!check_version (conn, request))
    return TRUE;

  token = json_object_get_string_member_with_default (request_body, "token", "");
  last_seq = json_object_get_int_member_with_default (request_body, "last_seq", 0);
  token_hash = cohort_secret_hash (token);

  if (!cohort_store_begin (self->store, error))
    return FALSE;

  you = cohort_store_find_participant_by_token (self->store, token_hash, error);
  if (you == NULL)
    {
      if (*error != NULL)
        return FALSE;
      cohort_store_rollback (self->store);
      _cohort_server_send_error (conn, id, COHORT_ERROR_UNAUTHORIZED, COHORT_INVALID_NONE, "token",
                  _("This device is no longer signed in to the class. Join the class again."));
      return TRUE;
    }

  /* identity: removed participants have no tokens left; an archived
   * class takes nobody back; a participant not admitted yet waits. */
  if (!(access = _cohort_identity_get_access (self, you->class_id, error)) ||
      (!(member = cohort_store_member_get (self->store, you->id, error)) && *error != NULL) ||
      !(klass = cohort_store_get_class (self->store, you->class_id, error)))
    return FALSE;

  /* identity: a revoked staff account's classes take no teacher, also
   * not the devices it signed in. */
  if (is_teacher_record (you))
    {
      int revoked = _cohort_identity_owner_revoked (self, access, error);

      if (revoked < 0)
        return FALSE;
      if (revoked > 0)
        {
          cohort_store_rollback (self->store);
          _cohort_server_send_error (conn, id, COHORT_ERROR_UNAUTHORIZED, COHORT_INVALID_NONE, "token",
                      _("The staff account this class belongs to was revoked."));
          return TRUE;
        }
    }

  if (access->archived && !is_teacher_record (you))
    {
      cohort_store_rollback (self->store);
      _cohort_server_send_error (conn, id, COHORT_ERROR_FORBIDDEN, COHORT_INVALID_NONE, "token",
                  _("This class has been archived. Ask your teacher for the class you are in now."));
      return TRUE;
    }

  if (member != NULL && !member->admitted)
    {
      /* identity: a waiter who went away and comes back is in the
       * teacher's list again. */
      if (!_cohort_identity_waiting_now (self, you->id, conn))
        {
          g_autoptr(CohortParticipantRecord) teacher = NULL;
          JsonObject *event_body;

          if (!(teacher = cohort_store_find_teacher (self->store, klass->id, error)))
            {
              if (*error == NULL)
                g_set_error (error, COHORT_STORE_ERROR, COHORT_STORE_ERROR_FAILED,
                             "Class %" G_GINT64_FORMAT " has no teacher", klass->id);
              return FALSE;
            }
          event_body = json_object_new ();
          json_object_set_object_member (event_body, "participant",
                                         _cohort_identity_participant_json (you, TRUE));
          if (!_cohort_server_emit_event_for (self, pending, klass->id, COHORT_EV_PARTICIPANT_WAITING,
                                              event_body, &teacher->id, 1, error))
            return FALSE;
        }
      if ((seq = cohort_store_get_last_seq (self->store, klass->id, error)) < 0 ||
          !cohort_store_commit (self->store, error))
        return FALSE;
      send_waiting (self, conn, id, klass, access, you, seq, NULL, TRUE);
      _cohort_server_broadcast (self, pending);
      return TRUE;
    }

  if (!join_presence (self, pending, you, error) ||
      (seq = cohort_store_get_last_seq (self->store, klass->id, error)) < 0)
    return FALSE;

  snapshot = last_seq > seq || seq - last_seq > COHORT_MAX_REPLAY_EVENTS;
  if (snapshot)
    participants = cohort_store_list_participants (self->store, klass->id, error);
  else
    events = cohort_store_list_events_after (self->store, klass->id, last_seq,
                                             COHORT_MAX_REPLAY_EVENTS, error);

  if ((participants == NULL && events == NULL) ||
      !cohort_store_commit (self->store, error))
    return FALSE;

  body = joined_body (klass, you, seq, snapshot ? participants : NULL);
  json_object_set_string_member (body, "mode", snapshot ? "snapshot" : "replay");
  json_object_set_string_member (body, "admission", COHORT_ADMISSION_STR_ADMITTED);

  _cohort_server_connection_joined (self, conn, klass->id, you->id, is_teacher_record (you), seq);
  if (snapshot)
    for (guint i = 0; i < self->services->len; i++)
      cohort_service_welcome (g_ptr_array_index (self->services, i), conn, body);
  reply = cohort_message_new_ok (id, body);
  _cohort_server_send_message (conn, reply);

  last_seq = send_missed_events (conn, events, you->id, last_seq);
  if (!snapshot)
    cohort_connection_set_last_sent_seq (conn, last_seq);

  _cohort_server_broadcast (self, pending);

  return TRUE;
}

/* class.create, class.join and resume: the requests that make a
 * connection joined. They belong to no service; the server answers them. */
void
_cohort_server_join_init (CohortServer *self)
{
  _cohort_server_add_handler (self, COHORT_REQ_CLASS_CREATE, NULL, handle_class_create);
  _cohort_server_add_handler (self, COHORT_REQ_CLASS_JOIN, NULL, handle_class_join);
  _cohort_server_add_handler (self, COHORT_REQ_RESUME, NULL, handle_resume);
}

/* cohort-class-service.c: class.leave and hand.*
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-class-service"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-class-service.h"
#include "cohort-server-private.h"

struct _CohortClassService
{
  CohortService parent_instance;
};

G_DEFINE_FINAL_TYPE (CohortClassService, cohort_class_service, COHORT_TYPE_SERVICE)

static void
cohort_class_service_class_init (CohortClassServiceClass *klass)
{
}

static void
cohort_class_service_init (CohortClassService *self)
{
}

/* The connection leaves as if it had gone, then closes. */
static void
leave (CohortRequest *req)
{
  CohortConnection *conn = cohort_request_get_connection (req);

  _cohort_server_connection_left (cohort_request_get_server (req), conn);
  cohort_connection_close (conn, SOUP_WEBSOCKET_CLOSE_NORMAL, "left");
}

static gboolean
handle_leave (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  if (!cohort_request_begin (req, error))
    return FALSE;
  if (cohort_request_finish (req, json_object_new ()))
    leave (req);

  return TRUE;
}

/* A resend of a class.leave already applied got its stored reply: it
 * leaves all the same. */
static gboolean
replay_leave (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  leave (req);

  return TRUE;
}

static gboolean
handle_hand_raise (CohortService  *service,
                   CohortRequest  *req,
                   GError        **error)
{
  CohortServer *server = cohort_service_get_server (service);
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(CohortParticipantRecord) you = NULL;
  JsonObject *body;

  if (cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("Only students can raise a hand."));
      return TRUE;
    }

  if (!cohort_request_begin (req, error) ||
      !(you = cohort_store_get_participant (store, cohort_connection_get_participant_id (conn),
                                            error)))
    return FALSE;

  if (you->hand_raised_at == 0)
    {
      JsonObject *event_body;

      you->hand_raised_at = _cohort_server_next_ts (server);
      if (!cohort_store_set_hand (store, you->id, you->hand_raised_at, error))
        return FALSE;

      event_body = json_object_new ();
      json_object_set_int_member (event_body, "participant_id", you->id);
      json_object_set_int_member (event_body, "raised_at", you->hand_raised_at);
      if (!cohort_request_emit (req, you->class_id, COHORT_EV_HAND_RAISED, event_body, error))
        return FALSE;
    }

  body = json_object_new ();
  json_object_set_int_member (body, "raised_at", you->hand_raised_at);
  cohort_request_finish (req, body);

  return TRUE;
}

static gboolean
handle_hand_lower (CohortService  *service,
                   CohortRequest  *req,
                   GError        **error)
{
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(CohortParticipantRecord) target = NULL;
  gint64 you_id = cohort_connection_get_participant_id (conn);
  gint64 target_id;

  target_id = json_object_get_int_member_with_default (cohort_request_get_body (req),
                                                       "participant_id", you_id);

  if (target_id != you_id && !cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("Only the teacher can lower someone else’s hand."));
      return TRUE;
    }

  if (!cohort_request_begin (req, error))
    return FALSE;

  target = cohort_store_get_participant (store, target_id, error);
  if (*error != NULL)
    return FALSE;

  if (target == NULL || target->class_id != cohort_connection_get_class_id (conn))
    {
      cohort_store_rollback (store);
      cohort_request_error (req, COHORT_ERROR_NOT_FOUND, COHORT_INVALID_NONE, "participant_id",
                            _("This participant is not in the class."));
      return TRUE;
    }

  if (target->hand_raised_at > 0)
    {
      JsonObject *event_body;

      if (!cohort_store_set_hand (store, target->id, 0, error))
        return FALSE;

      event_body = json_object_new ();
      json_object_set_int_member (event_body, "participant_id", target->id);
      json_object_set_int_member (event_body, "by", you_id);
      if (!cohort_request_emit (req, target->class_id, COHORT_EV_HAND_LOWERED, event_body, error))
        return FALSE;
    }

  cohort_request_finish (req, json_object_new ());

  return TRUE;
}

/* Hands in the order they went up (ties: by participant id). */
static int
compare_hands (gconstpointer a,
               gconstpointer b)
{
  const CohortParticipantRecord *pa = *(CohortParticipantRecord **) a;
  const CohortParticipantRecord *pb = *(CohortParticipantRecord **) b;

  if (pa->hand_raised_at != pb->hand_raised_at)
    return pa->hand_raised_at < pb->hand_raised_at ? -1 : 1;
  return pa->id < pb->id ? -1 : (pa->id > pb->id ? 1 : 0);
}

static gboolean
handle_hand_lower_all (CohortService  *service,
                       CohortRequest  *req,
                       GError        **error)
{
  CohortStore *store = cohort_service_get_store (service);
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(GPtrArray) participants = NULL;
  g_autoptr(GPtrArray) raised = g_ptr_array_new ();
  gint64 class_id = cohort_connection_get_class_id (conn);
  JsonObject *body;

  if (!cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("Only the teacher can lower every hand."));
      return TRUE;
    }

  if (!cohort_request_begin (req, error) ||
      !(participants = cohort_store_list_participants (store, class_id, error)))
    return FALSE;

  for (guint i = 0; i < participants->len; i++)
    {
      CohortParticipantRecord *p = g_ptr_array_index (participants, i);

      if (p->hand_raised_at > 0)
        g_ptr_array_add (raised, p);
    }
  g_ptr_array_sort (raised, compare_hands);

  if (raised->len > 0)
    {
      JsonObject *event_body;
      JsonArray *ids = json_array_new ();

      for (guint i = 0; i < raised->len; i++)
        {
          CohortParticipantRecord *p = g_ptr_array_index (raised, i);

          json_array_add_int_element (ids, p->id);
          if (!cohort_store_set_hand (store, p->id, 0, error))
            {
              json_array_unref (ids);
              return FALSE;
            }
        }

      event_body = json_object_new ();
      json_object_set_array_member (event_body, "participant_ids", ids);
      json_object_set_int_member (event_body, "by", cohort_connection_get_participant_id (conn));
      if (!cohort_request_emit (req, class_id, COHORT_EV_HAND_LOWERED_ALL, event_body, error))
        return FALSE;
    }

  body = json_object_new ();
  json_object_set_int_member (body, "count", raised->len);
  cohort_request_finish (req, body);

  return TRUE;
}

CohortClassService *
cohort_class_service_new (CohortServer *server)
{
  CohortClassService *self = g_object_new (COHORT_TYPE_CLASS_SERVICE, "server", server, NULL);
  CohortService *service = COHORT_SERVICE (self);

  cohort_service_add_handler (service, COHORT_REQ_CLASS_LEAVE, handle_leave);
  cohort_service_add_replay_handler (service, COHORT_REQ_CLASS_LEAVE, replay_leave);
  cohort_service_add_handler (service, COHORT_REQ_HAND_RAISE, handle_hand_raise);
  cohort_service_add_handler (service, COHORT_REQ_HAND_LOWER, handle_hand_lower);
  cohort_service_add_handler (service, COHORT_REQ_HAND_LOWER_ALL, handle_hand_lower_all);
  return self;
}

/* cohort-practice.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-practice"

#include "config.h"

#include "cohort-practice-protocol.h"

#include "cohort-fetch-private.h"
#include "cohort-json-private.h"
#include "cohort-notify-private.h"
#include "cohort-practice.h"

struct _CohortPractice
{
  GObject        parent_instance;

  CohortFetch    fetch;
  GListStore    *points;         /* CohortKnowledgePoint */
  GListStore    *set;            /* CohortPracticeItem */
  GListStore    *history;        /* CohortPracticeAttempt */
  gint64         next_up_point_id;
  char          *next_up_name;
  guint          next_up_count;
  guint          n_mastered;
  char          *error_message;
};

G_DEFINE_FINAL_TYPE (CohortPractice, cohort_practice, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOADING,
  PROP_NEXT_UP_POINT_ID,
  PROP_NEXT_UP_NAME,
  PROP_NEXT_UP_COUNT,
  PROP_N_MASTERED,
  PROP_ERROR_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_error_message (CohortPractice *self,
                   const GError   *error)
{
  _cohort_set_string (self, &self->error_message, error != NULL ? error->message : NULL,
                      properties[PROP_ERROR_MESSAGE]);
}

/* Replaces @store's items with those @make builds from @array's objects. */
static void
fill_store (GListStore *store,
            JsonArray  *array,
            gpointer  (*make) (JsonObject *))
{
  g_autoptr(GPtrArray) items = _cohort_json_map_objects (array, make);

  g_list_store_splice (store, 0, g_list_model_get_n_items (G_LIST_MODEL (store)), items->pdata, items->len);
}

static void
apply_next_up (CohortPractice *self,
               JsonObject     *body)
{
  JsonObject *next = _cohort_json_object (body, "next_up");
  gint64 id = _cohort_json_int (next, "point_id", 0);
  const char *name = _cohort_json_string (next, "name");
  guint count = CLAMP (_cohort_json_int (next, "count", 0), 0, COHORT_PRACTICE_SET_SIZE);

  g_object_freeze_notify (G_OBJECT (self));
  _cohort_set_int64 (self, &self->next_up_point_id, id, properties[PROP_NEXT_UP_POINT_ID]);
  _cohort_set_string (self, &self->next_up_name, name, properties[PROP_NEXT_UP_NAME]);
  _cohort_set_uint (self, &self->next_up_count, count, properties[PROP_NEXT_UP_COUNT]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
apply_mastery (CohortPractice *self,
               JsonObject     *body)
{
  guint n_mastered = 0;

  fill_store (self->points, _cohort_json_array (body, "points"),
              (gpointer (*) (JsonObject *)) _cohort_knowledge_point_new_from_json);
  fill_store (self->history, _cohort_json_array (body, "history"),
              (gpointer (*) (JsonObject *)) _cohort_practice_attempt_new_from_json);
  apply_next_up (self, body);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->points)); i++)
    {
      g_autoptr(CohortKnowledgePoint) p = g_list_model_get_item (G_LIST_MODEL (self->points), i);

      n_mastered += cohort_knowledge_point_get_state (p) == COHORT_MASTERY_MASTERED;
    }
  _cohort_set_uint (self, &self->n_mastered, n_mastered, properties[PROP_N_MASTERED]);
}

static void
apply (gpointer      owner,
       JsonObject   *body,
       const GError *error)
{
  if (body != NULL)
    apply_mastery (owner, body);
  set_error_message (owner, error);
}

/* knowledge.changed: the points or a switch; practice.answered: an
 * answer from another of the student's devices. */
static const char * const refresh_events[] = {
  COHORT_EV_KNOWLEDGE_CHANGED, COHORT_EV_PRACTICE_ANSWERED, NULL
};

static const CohortFetchClass fetch_class = {
  .events = refresh_events,
  .apply = apply,
  .refresh = (void (*) (gpointer)) cohort_practice_refresh,
};

void
cohort_practice_refresh (CohortPractice *self)
{
  g_return_if_fail (COHORT_IS_PRACTICE (self));

  _cohort_fetch_start (&self->fetch, COHORT_REQ_MASTERY_GET, NULL);
}

static void
cohort_practice_dispose (GObject *object)
{
  CohortPractice *self = COHORT_PRACTICE (object);

  _cohort_fetch_dispose (&self->fetch);
  G_OBJECT_CLASS (cohort_practice_parent_class)->dispose (object);
}

static void
cohort_practice_finalize (GObject *object)
{
  CohortPractice *self = COHORT_PRACTICE (object);

  g_clear_object (&self->points);
  g_clear_object (&self->set);
  g_clear_object (&self->history);
  g_free (self->next_up_name);
  g_free (self->error_message);
  G_OBJECT_CLASS (cohort_practice_parent_class)->finalize (object);
}

static void
cohort_practice_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CohortPractice *self = COHORT_PRACTICE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->fetch.loading);
      break;
    case PROP_NEXT_UP_POINT_ID:
      g_value_set_int64 (value, self->next_up_point_id);
      break;
    case PROP_NEXT_UP_NAME:
      g_value_set_string (value, self->next_up_name);
      break;
    case PROP_NEXT_UP_COUNT:
      g_value_set_uint (value, self->next_up_count);
      break;
    case PROP_N_MASTERED:
      g_value_set_uint (value, self->n_mastered);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_practice_class_init (CohortPracticeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cohort_practice_dispose;
  object_class->finalize = cohort_practice_finalize;
  object_class->get_property = cohort_practice_get_property;

  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, flags);
  properties[PROP_NEXT_UP_POINT_ID] = g_param_spec_int64 ("next-up-point-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NEXT_UP_NAME] = g_param_spec_string ("next-up-name", NULL, NULL, NULL, flags);
  properties[PROP_NEXT_UP_COUNT] = g_param_spec_uint ("next-up-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_MASTERED] = g_param_spec_uint ("n-mastered", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_practice_init (CohortPractice *self)
{
  self->points = g_list_store_new (COHORT_TYPE_KNOWLEDGE_POINT);
  self->set = g_list_store_new (COHORT_TYPE_PRACTICE_ITEM);
  self->history = g_list_store_new (COHORT_TYPE_PRACTICE_ATTEMPT);
}

CohortPractice *
cohort_practice_new (CohortSession *session)
{
  CohortPractice *self;

  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  self = g_object_new (COHORT_TYPE_PRACTICE, NULL);
  _cohort_fetch_init (&self->fetch, &fetch_class, self, session, properties[PROP_LOADING]);
  cohort_practice_refresh (self);
  return self;
}

gboolean
cohort_practice_get_loading (CohortPractice *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE (self), FALSE);
  return self->fetch.loading;
}

gint64
cohort_practice_get_next_up_point_id (CohortPractice *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE (self), 0);
  return self->next_up_point_id;
}

const char *
cohort_practice_get_next_up_name (CohortPractice *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE (self), NULL);
  return self->next_up_name;
}

guint
cohort_practice_get_next_up_count (CohortPractice *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE (self), 0);
  return self->next_up_count;
}

guint
cohort_practice_get_n_mastered (CohortPractice *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE (self), 0);
  return self->n_mastered;
}

const char *
cohort_practice_get_error_message (CohortPractice *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE (self), NULL);
  return self->error_message;
}

GListModel *
cohort_practice_get_points (CohortPractice *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE (self), NULL);
  return G_LIST_MODEL (self->points);
}

GListModel *
cohort_practice_get_set (CohortPractice *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE (self), NULL);
  return G_LIST_MODEL (self->set);
}

GListModel *
cohort_practice_get_history (CohortPractice *self)
{
  g_return_val_if_fail (COHORT_IS_PRACTICE (self), NULL);
  return G_LIST_MODEL (self->history);
}

/* practice.next */

static void
next_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortPractice *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = cohort_session_request_finish (COHORT_SESSION (object), result, &error);

  if (body == NULL)
    {
      set_error_message (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  fill_store (self->set, _cohort_json_array (body, "questions"),
              (gpointer (*) (JsonObject *)) _cohort_practice_item_new_from_json);
  apply_next_up (self, body);
  set_error_message (self, NULL);
  g_task_return_boolean (task, TRUE);
}

void
cohort_practice_next_async (CohortPractice      *self,
                            gint64               point_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  GTask *task;

  g_return_if_fail (COHORT_IS_PRACTICE (self));

  task = _cohort_fetch_new_task (&self->fetch, cancellable, callback, user_data,
                                 cohort_practice_next_async);
  if (task == NULL)
    return;
  if (point_id > 0)
    json_object_set_int_member (body, "point_id", point_id);
  cohort_session_request_async (self->fetch.session, COHORT_REQ_PRACTICE_NEXT, body, cancellable,
                                next_cb, task);
}

gboolean
cohort_practice_next_finish (CohortPractice  *self,
                             GAsyncResult    *result,
                             GError         **error)
{
  return _cohort_fetch_finish (self, result, error);
}

/* practice.answer */

static void
answer_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CohortPractice *self = g_task_get_source_object (task);
  CohortPracticeItem *item = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = cohort_session_request_finish (COHORT_SESSION (object), result, &error);

  if (body == NULL)
    {
      set_error_message (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  _cohort_practice_item_apply_result (item, body);
  set_error_message (self, NULL);
  /* The points, the history and what comes next moved with it. */
  cohort_practice_refresh (self);
  g_task_return_boolean (task, TRUE);
}

void
cohort_practice_answer_async (CohortPractice      *self,
                              CohortPracticeItem  *item,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  JsonNode *answer;
  GTask *task;

  g_return_if_fail (COHORT_IS_PRACTICE (self));
  g_return_if_fail (COHORT_IS_PRACTICE_ITEM (item));

  task = _cohort_fetch_new_task (&self->fetch, cancellable, callback, user_data,
                                 cohort_practice_answer_async);
  if (task == NULL)
    return;
  g_task_set_task_data (task, g_object_ref (item), g_object_unref);
  if (!(answer = _cohort_practice_item_dup_answer (item)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "No answer was given");
      g_object_unref (task);
      return;
    }
  json_object_set_int_member (body, "question_id", cohort_practice_item_get_question_id (item));
  json_object_set_member (body, "answer", answer);
  cohort_session_request_async (self->fetch.session, COHORT_REQ_PRACTICE_ANSWER, body, cancellable,
                                answer_cb, task);
}

gboolean
cohort_practice_answer_finish (CohortPractice  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return _cohort_fetch_finish (self, result, error);
}

/* practice.why: a streamed reply, as ai.ask's */

typedef struct
{
  CohortPracticeItem *item;
  char               *id;
  GString            *text;
  gulong              handler;
  CohortSession      *session;
} WhyData;

static void
why_data_free (WhyData *data)
{
  if (data->session != NULL && data->handler != 0)
    g_signal_handler_disconnect (data->session, data->handler);
  g_clear_object (&data->session);
  g_clear_object (&data->item);
  g_free (data->id);
  g_string_free (data->text, TRUE);
  g_free (data);
}

static void
on_why_progress (CohortSession *session,
                 const char    *re,
                 JsonObject    *body,
                 WhyData       *data)
{
  const char *delta = _cohort_json_string (body, "delta");

  if (data->id == NULL || g_strcmp0 (re, data->id) != 0 || delta == NULL)
    return;
  /* "reset": the whole answer so far, after a reconnect */
  if (json_object_get_boolean_member_with_default (body, "reset", FALSE))
    g_string_truncate (data->text, 0);
  g_string_append (data->text, delta);
  _cohort_practice_item_set_why (data->item, data->text->str, TRUE);
}

static void
why_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WhyData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = cohort_session_request_finish (COHORT_SESSION (object), result, &error);
  JsonObject *exchange = _cohort_json_object (body, "exchange");

  if (body == NULL)
    {
      _cohort_practice_item_set_why (data->item, data->text->len ? data->text->str : NULL, FALSE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The stored answer is the authority: it covers progress lost on the way. */
  _cohort_practice_item_set_why (data->item, _cohort_json_string (exchange, "answer") ?: data->text->str, FALSE);
  g_task_return_boolean (task, TRUE);
}

void
cohort_practice_why_async (CohortPractice      *self,
                           CohortPracticeItem  *item,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonObject) body = json_object_new ();
  WhyData *data;
  GTask *task;

  g_return_if_fail (COHORT_IS_PRACTICE (self));
  g_return_if_fail (COHORT_IS_PRACTICE_ITEM (item));

  task = _cohort_fetch_new_task (&self->fetch, cancellable, callback, user_data,
                                 cohort_practice_why_async);
  if (task == NULL)
    return;
  data = g_new0 (WhyData, 1);
  data->item = g_object_ref (item);
  data->text = g_string_new (NULL);
  data->session = g_object_ref (self->fetch.session);
  data->handler = g_signal_connect (self->fetch.session, "progress-received",
                                    G_CALLBACK (on_why_progress), data);
  g_task_set_task_data (task, data, (GDestroyNotify) why_data_free);
  _cohort_practice_item_set_why (item, NULL, TRUE);
  json_object_set_int_member (body, "question_id", cohort_practice_item_get_question_id (item));
  data->id = cohort_session_request_with_id_async (self->fetch.session, COHORT_REQ_PRACTICE_WHY,
                                                   body, cancellable, why_cb, task);
}

gboolean
cohort_practice_why_finish (CohortPractice  *self,
                            GAsyncResult    *result,
                            GError         **error)
{
  return _cohort_fetch_finish (self, result, error);
}

/* cohort-home-entry.c: one kept class on the student's home
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-home-entry"

#include "config.h"

#include <string.h>

#include "cohort-enums.h"
#include "cohort-home-private.h"
#include "cohort-json-private.h"
#include "cohort-lesson-protocol.h"
#include "cohort-notify-private.h"

struct _CohortHomeEntry
{
  GObject            parent_instance;

  char              *server_url;
  char              *code;
  char              *token;
  CohortHomeStatus   status;
  char              *error_message;
  char              *title;
  char              *teacher_name;
  char              *student_name;
  CohortLessonState  lesson_state;
  gboolean           archived;
  gboolean           has_progress;
  gint64             streak;
  gboolean           checked_in_today;
  gint64             points_week;
  gint64             unread_teacher;
  gint64             unread_group;
  gint64             last_chat_id;
  gint64             last_group_id;
  gint64             next_lesson_at;
  gint64             next_lesson_id;
  char              *next_lesson_title;
  gboolean           teacher;
  gint64             since_chat;
  gint64             since_group;
  gint64             nudge_id;
  char              *nudge_text;
};

G_DEFINE_FINAL_TYPE (CohortHomeEntry, cohort_home_entry, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_CODE,
  PROP_STATUS,
  PROP_ERROR_MESSAGE,
  PROP_TITLE,
  PROP_TEACHER_NAME,
  PROP_STUDENT_NAME,
  PROP_LESSON_STATE,
  PROP_LIVE,
  PROP_ARCHIVED,
  PROP_HAS_PROGRESS,
  PROP_STREAK,
  PROP_CHECKED_IN_TODAY,
  PROP_POINTS_WEEK,
  PROP_UNREAD_TEACHER,
  PROP_UNREAD_GROUP,
  PROP_LAST_CHAT_ID,
  PROP_LAST_GROUP_ID,
  PROP_NEXT_LESSON_AT,
  PROP_NEXT_LESSON_ID,
  PROP_NEXT_LESSON_TITLE,
  PROP_TEACHER,
  PROP_SINCE_CHAT,
  PROP_SINCE_GROUP,
  PROP_NUDGE_ID,
  PROP_NUDGE_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_home_entry_finalize (GObject *object)
{
  CohortHomeEntry *self = COHORT_HOME_ENTRY (object);

  g_free (self->server_url);
  g_free (self->code);
  g_free (self->token);
  g_free (self->error_message);
  g_free (self->title);
  g_free (self->teacher_name);
  g_free (self->student_name);
  g_free (self->next_lesson_title);
  g_free (self->nudge_text);

  G_OBJECT_CLASS (cohort_home_entry_parent_class)->finalize (object);
}

static void
cohort_home_entry_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortHomeEntry *self = COHORT_HOME_ENTRY (object);

  switch (prop_id)
    {
    case PROP_SERVER_URL: g_value_set_string (value, self->server_url); break;
    case PROP_CODE: g_value_set_string (value, self->code); break;
    case PROP_STATUS: g_value_set_enum (value, self->status); break;
    case PROP_ERROR_MESSAGE: g_value_set_string (value, self->error_message); break;
    case PROP_TITLE: g_value_set_string (value, self->title); break;
    case PROP_TEACHER_NAME: g_value_set_string (value, self->teacher_name); break;
    case PROP_STUDENT_NAME: g_value_set_string (value, self->student_name); break;
    case PROP_LESSON_STATE: g_value_set_enum (value, self->lesson_state); break;
    case PROP_LIVE: g_value_set_boolean (value, cohort_home_entry_get_live (self)); break;
    case PROP_ARCHIVED: g_value_set_boolean (value, self->archived); break;
    case PROP_HAS_PROGRESS: g_value_set_boolean (value, self->has_progress); break;
    case PROP_STREAK: g_value_set_int64 (value, self->streak); break;
    case PROP_CHECKED_IN_TODAY: g_value_set_boolean (value, self->checked_in_today); break;
    case PROP_POINTS_WEEK: g_value_set_int64 (value, self->points_week); break;
    case PROP_UNREAD_TEACHER: g_value_set_int64 (value, self->unread_teacher); break;
    case PROP_UNREAD_GROUP: g_value_set_int64 (value, self->unread_group); break;
    case PROP_LAST_CHAT_ID: g_value_set_int64 (value, self->last_chat_id); break;
    case PROP_LAST_GROUP_ID: g_value_set_int64 (value, self->last_group_id); break;
    case PROP_NEXT_LESSON_AT: g_value_set_int64 (value, self->next_lesson_at); break;
    case PROP_NEXT_LESSON_ID: g_value_set_int64 (value, self->next_lesson_id); break;
    case PROP_NEXT_LESSON_TITLE: g_value_set_string (value, self->next_lesson_title); break;
    case PROP_TEACHER: g_value_set_boolean (value, self->teacher); break;
    case PROP_SINCE_CHAT: g_value_set_int64 (value, self->since_chat); break;
    case PROP_SINCE_GROUP: g_value_set_int64 (value, self->since_group); break;
    case PROP_NUDGE_ID: g_value_set_int64 (value, self->nudge_id); break;
    case PROP_NUDGE_TEXT: g_value_set_string (value, self->nudge_text); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_home_entry_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CohortHomeEntry *self = COHORT_HOME_ENTRY (object);

  switch (prop_id)
    {
    case PROP_SINCE_CHAT:
      cohort_home_entry_set_seen (self, g_value_get_int64 (value), self->since_group);
      break;
    case PROP_SINCE_GROUP:
      cohort_home_entry_set_seen (self, self->since_chat, g_value_get_int64 (value));
      break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
int64_ro (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, 0, G_MAXINT64, 0,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
bool_ro (const char *name)
{
  return g_param_spec_boolean (name, NULL, NULL, FALSE,
                               G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static GParamSpec *
string_ro (const char *name)
{
  return g_param_spec_string (name, NULL, NULL, NULL,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
cohort_home_entry_class_init (CohortHomeEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cohort_home_entry_finalize;
  object_class->get_property = cohort_home_entry_get_property;
  object_class->set_property = cohort_home_entry_set_property;

  properties[PROP_SERVER_URL] = string_ro ("server-url");
  properties[PROP_CODE] = string_ro ("code");
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, COHORT_TYPE_HOME_STATUS, COHORT_HOME_STATUS_LOADING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR_MESSAGE] = string_ro ("error-message");
  properties[PROP_TITLE] = string_ro ("title");
  properties[PROP_TEACHER_NAME] = string_ro ("teacher-name");
  properties[PROP_STUDENT_NAME] = string_ro ("student-name");
  properties[PROP_LESSON_STATE] =
    g_param_spec_enum ("lesson-state", NULL, NULL, COHORT_TYPE_LESSON_STATE,
                       COHORT_LESSON_STATE_NOT_STARTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIVE] = bool_ro ("live");
  properties[PROP_ARCHIVED] = bool_ro ("archived");
  properties[PROP_HAS_PROGRESS] = bool_ro ("has-progress");
  properties[PROP_STREAK] = int64_ro ("streak");
  properties[PROP_CHECKED_IN_TODAY] = bool_ro ("checked-in-today");
  properties[PROP_POINTS_WEEK] = int64_ro ("points-week");
  properties[PROP_UNREAD_TEACHER] = int64_ro ("unread-teacher");
  properties[PROP_UNREAD_GROUP] = int64_ro ("unread-group");
  properties[PROP_LAST_CHAT_ID] = int64_ro ("last-chat-id");
  properties[PROP_LAST_GROUP_ID] = int64_ro ("last-group-id");
  properties[PROP_NEXT_LESSON_AT] = int64_ro ("next-lesson-at");
  properties[PROP_NEXT_LESSON_ID] = int64_ro ("next-lesson-id");
  properties[PROP_NEXT_LESSON_TITLE] = string_ro ("next-lesson-title");
  properties[PROP_TEACHER] = bool_ro ("teacher");
  properties[PROP_NUDGE_ID] = int64_ro ("nudge-id");
  properties[PROP_NUDGE_TEXT] = string_ro ("nudge-text");
  properties[PROP_SINCE_CHAT] =
    g_param_spec_int64 ("since-chat", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SINCE_GROUP] =
    g_param_spec_int64 ("since-group", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_home_entry_init (CohortHomeEntry *self)
{
}

CohortHomeEntry *
cohort_home_entry_new (const char *server_url,
                       const char *code,
                       const char *token)
{
  CohortHomeEntry *self;

  g_return_val_if_fail (server_url != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  self = g_object_new (COHORT_TYPE_HOME_ENTRY, NULL);
  self->server_url = g_strdup (server_url);
  self->code = g_strdup (code);
  self->token = g_strdup (token);
  self->title = g_strdup (code);
  return self;
}

void
_cohort_home_entry_set_token (CohortHomeEntry *self,
                              const char      *token)
{
  g_free (self->token);
  self->token = g_strdup (token);
}

void
_cohort_home_entry_set_status (CohortHomeEntry  *self,
                               CohortHomeStatus  status,
                               const char       *error_message)
{
  g_object_freeze_notify (G_OBJECT (self));
  _cohort_set_string (self, &self->error_message, error_message, properties[PROP_ERROR_MESSAGE]);
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* Counts only what is newer than the positions seen. */
static void
set_unread (CohortHomeEntry *self,
            gint64           teacher,
            gint64           group)
{
  _cohort_set_int64 (self, &self->unread_teacher, MAX (teacher, 0), properties[PROP_UNREAD_TEACHER]);
  _cohort_set_int64 (self, &self->unread_group, MAX (group, 0), properties[PROP_UNREAD_GROUP]);
}

gboolean
_cohort_home_entry_apply (CohortHomeEntry *self,
                          JsonObject      *body)
{
  JsonObject *klass = _cohort_json_object (body, "class");
  JsonObject *lesson = _cohort_json_object (body, "lesson");
  JsonObject *progress = _cohort_json_object (body, "progress");
  JsonObject *unread = _cohort_json_object (body, "unread");
  JsonObject *next = _cohort_json_object (body, "next_lesson");
  const char *state = _cohort_json_string (lesson, "state");
  const char *title = _cohort_json_string (klass, "title");
  CohortLessonState lesson_state = COHORT_LESSON_STATE_NOT_STARTED;
  gboolean was_live = cohort_home_entry_get_live (self);

  if (klass == NULL || title == NULL)
    return FALSE;
  if (g_strcmp0 (state, COHORT_LESSON_STR_LIVE) == 0)
    lesson_state = COHORT_LESSON_STATE_LIVE;
  else if (g_strcmp0 (state, COHORT_LESSON_STR_ENDED) == 0)
    lesson_state = COHORT_LESSON_STATE_ENDED;

  g_object_freeze_notify (G_OBJECT (self));
  _cohort_set_string (self, &self->title, title, properties[PROP_TITLE]);
  _cohort_set_string (self, &self->teacher_name,
                      _cohort_json_string (_cohort_json_object (body, "teacher"), "name"),
                      properties[PROP_TEACHER_NAME]);
  _cohort_set_string (self, &self->student_name,
                      _cohort_json_string (_cohort_json_object (body, "you"), "name"),
                      properties[PROP_STUDENT_NAME]);
  _cohort_set_boolean (self, &self->archived,
                       json_object_get_boolean_member_with_default (klass, "archived", FALSE),
                       properties[PROP_ARCHIVED]);
  if (self->lesson_state != lesson_state)
    {
      self->lesson_state = lesson_state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LESSON_STATE]);
    }
  if (was_live != cohort_home_entry_get_live (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);

  _cohort_set_boolean (self, &self->has_progress, progress != NULL, properties[PROP_HAS_PROGRESS]);
  _cohort_set_int64 (self, &self->streak, MAX (_cohort_json_int (progress, "streak", 0), 0),
                     properties[PROP_STREAK]);
  _cohort_set_boolean (self, &self->checked_in_today,
                       progress != NULL &&
                       json_object_get_boolean_member_with_default (progress, "checked_in_today", FALSE),
                       properties[PROP_CHECKED_IN_TODAY]);
  _cohort_set_int64 (self, &self->points_week, MAX (_cohort_json_int (progress, "points_week", 0), 0),
                     properties[PROP_POINTS_WEEK]);
  _cohort_set_int64 (self, &self->last_chat_id, MAX (_cohort_json_int (unread, "last_chat_id", 0), 0),
                     properties[PROP_LAST_CHAT_ID]);
  _cohort_set_int64 (self, &self->last_group_id, MAX (_cohort_json_int (unread, "last_group_id", 0), 0),
                     properties[PROP_LAST_GROUP_ID]);
  set_unread (self, _cohort_json_int (unread, "from_teacher", 0), _cohort_json_int (unread, "from_group", 0));
  _cohort_set_boolean (self, &self->teacher,
                       g_strcmp0 (_cohort_json_string (_cohort_json_object (body, "you"), "role"), "teacher") == 0,
                       properties[PROP_TEACHER]);
  /* The schedule's next lesson; an occurrence is its lesson id and its
   * start (a weekly series keeps the id). Anything out of range reads as
   * none planned. */
  {
    gint64 starts_at = _cohort_json_int (next, "starts_at", 0);
    gint64 lesson_id = _cohort_json_int (next, "lesson_id", 0);
    const char *next_title = _cohort_json_string (next, "title");

    if (starts_at <= 0 || lesson_id <= 0 || next_title == NULL || strlen (next_title) > 1024)
      starts_at = lesson_id = 0, next_title = NULL;
    _cohort_set_int64 (self, &self->next_lesson_at, starts_at, properties[PROP_NEXT_LESSON_AT]);
    _cohort_set_int64 (self, &self->next_lesson_id, lesson_id, properties[PROP_NEXT_LESSON_ID]);
    _cohort_set_string (self, &self->next_lesson_title, next_title, properties[PROP_NEXT_LESSON_TITLE]);
  }
  /* The helper's nudge, while it is not opened; kept only whole (an id
   * and a text of a sensible size), else none. */
  {
    JsonObject *nudge = _cohort_json_object (body, "nudge");
    gint64 nudge_id = _cohort_json_int (nudge, "id", 0);
    const char *nudge_text = _cohort_json_string (nudge, "text");

    JsonNode *opened = nudge != NULL ? json_object_get_member (nudge, "opened") : NULL;

    /* "opened" must be a boolean false: anything else hides it. */
    if (nudge_id <= 0 || nudge_text == NULL || *nudge_text == '\0' || strlen (nudge_text) > 4096 ||
        opened == NULL || !JSON_NODE_HOLDS_VALUE (opened) ||
        json_node_get_value_type (opened) != G_TYPE_BOOLEAN || json_node_get_boolean (opened))
      nudge_id = 0, nudge_text = NULL;
    _cohort_set_int64 (self, &self->nudge_id, nudge_id, properties[PROP_NUDGE_ID]);
    _cohort_set_string (self, &self->nudge_text, nudge_text, properties[PROP_NUDGE_TEXT]);
  }
  g_object_thaw_notify (G_OBJECT (self));

  _cohort_home_entry_set_status (self, COHORT_HOME_STATUS_READY, NULL);
  return TRUE;
}

void
cohort_home_entry_set_seen (CohortHomeEntry *self,
                            gint64           since_chat,
                            gint64           since_group)
{
  g_return_if_fail (COHORT_IS_HOME_ENTRY (self));

  g_object_freeze_notify (G_OBJECT (self));
  _cohort_set_int64 (self, &self->since_chat, MAX (since_chat, 0), properties[PROP_SINCE_CHAT]);
  _cohort_set_int64 (self, &self->since_group, MAX (since_group, 0), properties[PROP_SINCE_GROUP]);
  /* Seen up to the newest: nothing is unread until the next fetch says. */
  set_unread (self,
              self->since_chat >= self->last_chat_id ? 0 : self->unread_teacher,
              self->since_group >= self->last_group_id ? 0 : self->unread_group);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *cohort_home_entry_get_server_url (CohortHomeEntry *self) { g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), NULL); return self->server_url; }
const char *cohort_home_entry_get_code (CohortHomeEntry *self) { g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), NULL); return self->code; }
const char *cohort_home_entry_get_token (CohortHomeEntry *self) { g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), NULL); return self->token; }
CohortHomeStatus
cohort_home_entry_get_status (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->status;
}

const char *cohort_home_entry_get_error_message (CohortHomeEntry *self) { g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), NULL); return self->error_message; }
const char *cohort_home_entry_get_title (CohortHomeEntry *self) { g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), NULL); return self->title; }
const char *cohort_home_entry_get_teacher_name (CohortHomeEntry *self) { g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), NULL); return self->teacher_name; }
const char *cohort_home_entry_get_student_name (CohortHomeEntry *self) { g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), NULL); return self->student_name; }
CohortLessonState
cohort_home_entry_get_lesson_state (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->lesson_state;
}

gboolean
cohort_home_entry_get_live (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), FALSE);

  return self->lesson_state == COHORT_LESSON_STATE_LIVE && !self->archived;
}

gboolean
cohort_home_entry_get_archived (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), FALSE);

  return self->archived;
}

gboolean
cohort_home_entry_get_has_progress (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), FALSE);

  return self->has_progress;
}

gint64
cohort_home_entry_get_streak (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->streak;
}

gboolean
cohort_home_entry_get_checked_in_today (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), FALSE);

  return self->checked_in_today;
}

gint64
cohort_home_entry_get_points_week (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->points_week;
}

gint64
cohort_home_entry_get_unread_teacher (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->unread_teacher;
}

gint64
cohort_home_entry_get_unread_group (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->unread_group;
}

gint64
cohort_home_entry_get_last_chat_id (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->last_chat_id;
}

gint64
cohort_home_entry_get_last_group_id (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->last_group_id;
}

gint64
cohort_home_entry_get_next_lesson_at (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->next_lesson_at;
}

gint64
cohort_home_entry_get_next_lesson_id (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->next_lesson_id;
}

const char *
cohort_home_entry_get_next_lesson_title (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), NULL);

  return self->next_lesson_title;
}

gint64
cohort_home_entry_get_nudge_id (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->nudge_id;
}

const char *
cohort_home_entry_get_nudge_text (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), NULL);

  return self->nudge_text;
}

gboolean
cohort_home_entry_get_teacher (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), FALSE);

  return self->teacher;
}

gint64
cohort_home_entry_get_since_chat (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->since_chat;
}

gint64
cohort_home_entry_get_since_group (CohortHomeEntry *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_ENTRY (self), 0);

  return self->since_group;
}

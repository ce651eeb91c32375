/* cohort-groups.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-groups"

#include "config.h"

#include <string.h>

#include "cohort-array-model-private.h"
#include "cohort-groups.h"
#include "cohort-groups-private.h"
#include "cohort-groups-protocol.h"
#include "cohort-json-private.h"
#include "cohort-protocol.h"
#include "cohort-notify-private.h"

/* How often "checked in today" of other members is looked at again (their
 * day ends at their own midnight, without any event). */
#define TODAY_CHECK_SECONDS 60

struct _CohortGroups
{
  GObject        parent_instance;

  CohortSession *session;
  GSignalGroup  *session_signals;
  GCancellable  *cancellable;

  GPtrArray     *groups;          /* CohortGroup, creation order */
  GHashTable    *members;         /* participant id → CohortGroupMember */
  GListStore    *unassigned;      /* CohortGroupMember */
  CohortBadges  *badges;
  CohortPk      *pk;
  CohortGroup   *my_group;        /* unowned, in groups */
  gint64         viewer_id;
  gboolean       is_teacher;
  gboolean       synced;
  gint64         sync_serial;
  guint          today_source;

  gboolean       pick_open;
  char          *board_mode;
  gint64         top_n;
  char          *class_tz;

  gint64         points_week;
  gint64         points_all;
  gint64         streak;
  gint64         best_streak;
  gint64         freezes_left;
  gboolean       checked_in_today;
  gint64         study_minutes_today;
  char          *today;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortGroups, cohort_groups, G_TYPE_OBJECT,
                               _cohort_array_model_implement (g_define_type_id, COHORT_TYPE_GROUP,
                                                              G_STRUCT_OFFSET (CohortGroups, groups)))

enum {
  PROP_0,
  PROP_SESSION,
  PROP_SYNCED,
  PROP_IS_TEACHER,
  PROP_MY_GROUP,
  PROP_PICK_OPEN,
  PROP_BOARD_MODE,
  PROP_TOP_N,
  PROP_CLASS_TZ,
  PROP_POINTS_WEEK,
  PROP_POINTS_ALL,
  PROP_STREAK,
  PROP_BEST_STREAK,
  PROP_FREEZES_LEFT,
  PROP_CHECKED_IN_TODAY,
  PROP_STUDY_MINUTES_TODAY,
  PROP_TODAY,
  N_PROPS
};

enum {
  BOARD_CHANGED,
  STARRED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void request_sync (CohortGroups *self);

/* ---- small helpers ---- */

static JsonObject *
array_object (JsonArray *a,
              guint      i)
{
  JsonNode *node = json_array_get_element (a, i);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static const char *
roster_name (CohortGroups *self,
             gint64        participant_id)
{
  CohortParticipant *p = self->session ? cohort_roster_lookup (cohort_session_get_roster (self->session),
                                                               participant_id) : NULL;

  return p ? cohort_participant_get_name (p) : NULL;
}

static int
compare_members (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  int cmp = g_utf8_collate (cohort_group_member_get_name ((CohortGroupMember *) a),
                            cohort_group_member_get_name ((CohortGroupMember *) b));

  if (cmp != 0)
    return cmp;
  return (cohort_group_member_get_participant_id ((CohortGroupMember *) a) >
          cohort_group_member_get_participant_id ((CohortGroupMember *) b)) -
         (cohort_group_member_get_participant_id ((CohortGroupMember *) a) <
          cohort_group_member_get_participant_id ((CohortGroupMember *) b));
}

static CohortGroupMember *
ensure_member (CohortGroups *self,
               gint64        participant_id)
{
  CohortGroupMember *m = g_hash_table_lookup (self->members, &participant_id);

  if (m == NULL)
    {
      m = _cohort_group_member_new (participant_id, roster_name (self, participant_id), self->viewer_id);
      g_hash_table_insert (self->members, g_memdup2 (&participant_id, sizeof participant_id), m);
      g_list_store_insert_sorted (self->unassigned, m, compare_members, NULL);
    }
  return m;
}

CohortGroup *
cohort_groups_lookup (CohortGroups *self,
                      gint64        group_id)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), NULL);

  for (guint i = 0; i < self->groups->len; i++)
    if (cohort_group_get_id (g_ptr_array_index (self->groups, i)) == group_id)
      return g_ptr_array_index (self->groups, i);
  return NULL;
}

CohortGroupMember *
cohort_groups_lookup_member (CohortGroups *self,
                             gint64        participant_id)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), NULL);
  return g_hash_table_lookup (self->members, &participant_id);
}

static void
update_my_group (CohortGroups *self)
{
  CohortGroupMember *me = g_hash_table_lookup (self->members, &self->viewer_id);
  CohortGroup *mine = me ? cohort_groups_lookup (self, cohort_group_member_get_group_id (me)) : NULL;

  for (guint i = 0; i < self->groups->len; i++)
    _cohort_group_set_is_mine (g_ptr_array_index (self->groups, i), g_ptr_array_index (self->groups, i) == mine);
  _cohort_pk_set_my_group (self->pk, mine ? cohort_group_get_id (mine) : 0);
  if (self->my_group == mine)
    return;
  self->my_group = mine;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MY_GROUP]);
}

/* Moves @m into group @group_id (0: none). */
static void
place_member (CohortGroups      *self,
              CohortGroupMember *m,
              gint64             group_id)
{
  CohortGroup *old = cohort_groups_lookup (self, cohort_group_member_get_group_id (m));
  CohortGroup *group = group_id ? cohort_groups_lookup (self, group_id) : NULL;
  guint position;

  if (old != NULL && old != group)
    _cohort_group_remove_member (old, m);
  _cohort_group_member_set_group_id (m, group ? group_id : 0);
  if (group != NULL)
    {
      _cohort_group_add_member (group, m);
      if (g_list_store_find (self->unassigned, m, &position))
        g_list_store_remove (self->unassigned, position);
    }
  else if (!g_list_store_find (self->unassigned, m, &position))
    g_list_store_insert_sorted (self->unassigned, m, compare_members, NULL);
}

/* Every student of the roster has a member, so the teacher can place them. */
static void
sync_roster (CohortGroups *self)
{
  GListModel *roster;

  if (self->session == NULL)
    return;
  roster = G_LIST_MODEL (cohort_session_get_roster (self->session));
  for (guint i = 0; i < g_list_model_get_n_items (roster); i++)
    {
      g_autoptr(CohortParticipant) p = g_list_model_get_item (roster, i);
      CohortGroupMember *m;

      if (cohort_participant_get_role (p) != COHORT_ROLE_STUDENT)
        continue;
      m = ensure_member (self, cohort_participant_get_id (p));
      if (*cohort_group_member_get_name (m) == '\0')
        _cohort_group_member_set_name (m, cohort_participant_get_name (p));
    }
}

static void
on_roster_changed (CohortGroups *self)
{
  if (self->synced)
    sync_roster (self);
}

static CohortGroupMember *
member_with_checkin (CohortGroups *self,
                     gint64        checkin_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (cohort_group_member_get_checkin_id (value) == checkin_id)
      return value;
  return NULL;
}

static void
apply_checkin (CohortGroups *self,
               JsonObject   *checkin)
{
  gint64 pid = checkin ? json_object_get_int_member_with_default (checkin, "participant_id", 0) : 0;

  if (pid <= 0)
    return;
  _cohort_group_member_set_checkin (ensure_member (self, pid), checkin);
}

static void
apply_settings (CohortGroups *self,
                JsonObject   *settings)
{
  if (settings == NULL)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  _cohort_set_boolean (self, &self->pick_open, json_object_get_boolean_member_with_default (settings, "pick_open", FALSE),
                       properties[PROP_PICK_OPEN]);
  _cohort_set_string (self, &self->board_mode,
                      json_object_get_string_member_with_default (settings, "board", COHORT_GROUPS_BOARD_ALL),
                      properties[PROP_BOARD_MODE]);
  _cohort_set_int64 (self, &self->top_n, json_object_get_int_member_with_default (settings, "top_n", 5),
                     properties[PROP_TOP_N]);
  _cohort_set_string (self, &self->class_tz, json_object_get_string_member_with_default (settings, "tz", "UTC"),
                      properties[PROP_CLASS_TZ]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
apply_progress (CohortGroups *self,
                JsonObject   *p)
{
  if (p == NULL || json_object_get_int_member_with_default (p, "participant_id", 0) != self->viewer_id)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  _cohort_set_int64 (self, &self->points_week, json_object_get_int_member_with_default (p, "points_week", 0),
                     properties[PROP_POINTS_WEEK]);
  _cohort_set_int64 (self, &self->points_all, json_object_get_int_member_with_default (p, "points_all", 0),
                     properties[PROP_POINTS_ALL]);
  _cohort_set_int64 (self, &self->streak, json_object_get_int_member_with_default (p, "streak", 0),
                     properties[PROP_STREAK]);
  _cohort_set_int64 (self, &self->best_streak, json_object_get_int_member_with_default (p, "best_streak", 0),
                     properties[PROP_BEST_STREAK]);
  _cohort_set_int64 (self, &self->freezes_left, json_object_get_int_member_with_default (p, "freezes_left", 0),
                     properties[PROP_FREEZES_LEFT]);
  _cohort_set_boolean (self, &self->checked_in_today, json_object_get_boolean_member_with_default (p, "checked_in_today", FALSE),
                       properties[PROP_CHECKED_IN_TODAY]);
  _cohort_set_int64 (self, &self->study_minutes_today, json_object_get_int_member_with_default (p, "study_minutes_today", 0),
                     properties[PROP_STUDY_MINUTES_TODAY]);
  _cohort_set_string (self, &self->today, json_object_get_string_member_with_default (p, "today", NULL),
                      properties[PROP_TODAY]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
apply_standings (CohortGroups *self,
                 JsonArray    *standings)
{
  for (guint i = 0; standings != NULL && i < json_array_get_length (standings); i++)
    {
      JsonObject *o = array_object (standings, i);
      CohortGroup *g = o ? cohort_groups_lookup (self, json_object_get_int_member_with_default (o, "group_id", 0))
                         : NULL;

      if (g != NULL)
        _cohort_group_set_standing (g, o);
    }
}

static GHashTable *
name_table (CohortGroups *self)
{
  GHashTable *names = g_hash_table_new (g_int64_hash, g_int64_equal);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (names, key, (gpointer) cohort_group_member_get_name (value));
  return names;
}

static void
set_viewer (CohortGroups *self)
{
  CohortParticipant *me = self->session ? cohort_session_get_self (self->session) : NULL;
  gint64 viewer_id = me ? cohort_participant_get_id (me) : 0;
  gboolean teacher = me != NULL && cohort_participant_get_role (me) == COHORT_ROLE_TEACHER;

  if (viewer_id != self->viewer_id)
    {
      /* Members know their viewer from birth. */
      g_hash_table_remove_all (self->members);
      self->viewer_id = viewer_id;
    }
  _cohort_set_boolean (self, &self->is_teacher, teacher, properties[PROP_IS_TEACHER]);
}

/* Replaces everything with a welcome's (or a sync's) "groups" member. */
static void
apply_state (CohortGroups *self,
             JsonObject   *state)
{
  g_autoptr(GHashTable) names = NULL;
  guint old_len = self->groups->len;
  JsonArray *array;
  JsonObject *pk;

  g_object_freeze_notify (G_OBJECT (self));
  set_viewer (self);

  /* Groups, members, and everyone else as unassigned. */
  for (guint i = 0; i < self->groups->len; i++)
    _cohort_group_clear_members (g_ptr_array_index (self->groups, i));
  g_ptr_array_set_size (self->groups, 0);
  g_list_store_remove_all (self->unassigned);
  g_hash_table_remove_all (self->members);
  self->my_group = NULL;

  array = _cohort_json_array (state, "groups");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *o = array_object (array, i);

      if (o != NULL && json_object_get_int_member_with_default (o, "id", 0) > 0)
        g_ptr_array_add (self->groups, _cohort_group_new (o));
    }
  array = _cohort_json_array (state, "members");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *o = array_object (array, i);
      gint64 pid = o ? json_object_get_int_member_with_default (o, "participant_id", 0) : 0;

      if (pid > 0)
        place_member (self, ensure_member (self, pid), json_object_get_int_member_with_default (o, "group_id", 0));
    }
  sync_roster (self);

  array = _cohort_json_array (state, "checkins");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    apply_checkin (self, array_object (array, i));
  array = _cohort_json_array (state, "reactions");
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonObject *o = array_object (array, i);
      gint64 checkin_id = o ? json_object_get_int_member_with_default (o, "checkin_id", 0) : 0;
      CohortGroupMember *m = checkin_id ? member_with_checkin (self, checkin_id) : NULL;

      if (m != NULL)
        _cohort_group_member_add_reaction (m, checkin_id, json_object_get_int_member_with_default (o, "participant_id", 0),
                                           json_object_get_string_member_with_default (o, "reaction", ""));
    }

  apply_settings (self, _cohort_json_object (state, "settings"));
  apply_standings (self, _cohort_json_array (state, "standings"));

  /* A student's own progress; none yet reads as zeros. */
  if (!self->is_teacher)
    {
      g_autoptr(JsonObject) zero = json_object_new ();
      JsonObject *progress = _cohort_json_object (state, "progress");

      json_object_set_int_member (zero, "participant_id", self->viewer_id);
      apply_progress (self, progress ? progress : zero);
    }

  names = name_table (self);
  _cohort_badges_reset (self->badges, _cohort_json_array (state, "badges"), self->viewer_id, names);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->groups->len);
  update_my_group (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MY_GROUP]);

  pk = _cohort_json_object (state, "pk");
  _cohort_pk_reset (self->pk, pk, G_LIST_MODEL (self), self->my_group ? cohort_group_get_id (self->my_group) : 0);

  _cohort_set_boolean (self, &self->synced, TRUE, properties[PROP_SYNCED]);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals[BOARD_CHANGED], 0);
}

static void
on_welcome (CohortSession *session,
            JsonObject    *body,
            CohortGroups  *self)
{
  JsonObject *state = _cohort_json_object (body, "groups");

  /* A newer state than any sync still in flight. */
  self->sync_serial++;
  if (state != NULL)
    apply_state (self, state);
  else
    request_sync (self);
}

typedef struct
{
  CohortGroups *self;
  gint64        serial;
} SyncData;

static void
sync_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  SyncData *data = user_data;
  g_autoptr(CohortGroups) self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  gint64 serial = data->serial;

  g_free (data);
  if (body == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not fetch the groups state: %s", error->message);
      return;
    }
  if (self->session == NULL || serial != self->sync_serial)
    return;
  /* A stored reply resent after a reconnect is older than the events the
   * session applied since: ask again. */
  if (json_object_get_int_member_with_default (body, "seq", 0) < cohort_session_get_last_seq (self->session))
    {
      request_sync (self);
      return;
    }
  if (_cohort_json_object (body, "groups") != NULL)
    apply_state (self, _cohort_json_object (body, "groups"));
}

static void
request_sync (CohortGroups *self)
{
  SyncData *data;

  if (self->session == NULL || cohort_session_get_self (self->session) == NULL)
    return;
  data = g_new0 (SyncData, 1);
  data->self = g_object_ref (self);
  data->serial = ++self->sync_serial;
  cohort_session_request_async (self->session, COHORT_REQ_GROUPS_SYNC, NULL, self->cancellable, sync_done, data);
}

static void
on_event_received (CohortSession *session,
                   const char    *event,
                   JsonObject    *body,
                   gint64         seq,
                   CohortGroups  *self)
{
  if (!g_str_has_prefix (event, "groups."))
    return;
  /* Events before our first state are in it (or in the sync reply). */
  if (!self->synced)
    return;

  if (g_str_equal (event, COHORT_EV_GROUPS_CREATED))
    {
      JsonObject *g = _cohort_json_object (body, "group");
      gint64 id = g ? json_object_get_int_member_with_default (g, "id", 0) : 0;
      CohortGroup *group = id ? cohort_groups_lookup (self, id) : NULL;

      if (id <= 0)
        return;
      if (group != NULL)
        _cohort_group_update (group, g);
      else
        {
          g_ptr_array_add (self->groups, _cohort_group_new (g));
          g_list_model_items_changed (G_LIST_MODEL (self), self->groups->len - 1, 0, 1);
        }
      g_signal_emit (self, signals[BOARD_CHANGED], 0);
    }
  else if (g_str_equal (event, COHORT_EV_GROUPS_ASSIGNED))
    {
      JsonArray *a = _cohort_json_array (body, "assignments");
      gboolean me_moved = FALSE;

      for (guint i = 0; a != NULL && i < json_array_get_length (a); i++)
        {
          JsonObject *o = array_object (a, i);
          gint64 pid = o ? json_object_get_int_member_with_default (o, "participant_id", 0) : 0;

          if (pid <= 0)
            continue;
          place_member (self, ensure_member (self, pid), json_object_get_int_member_with_default (o, "group_id", 0));
          me_moved |= pid == self->viewer_id;
        }
      update_my_group (self);
      /* A student in a new group sees that group's check-ins: fetch them. */
      if (me_moved && !self->is_teacher)
        request_sync (self);
      g_signal_emit (self, signals[BOARD_CHANGED], 0);
    }
  else if (g_str_equal (event, COHORT_EV_GROUPS_SETTINGS))
    {
      apply_settings (self, _cohort_json_object (body, "settings"));
      g_signal_emit (self, signals[BOARD_CHANGED], 0);
    }
  else if (g_str_equal (event, COHORT_EV_GROUPS_CHECKED_IN))
    apply_checkin (self, _cohort_json_object (body, "checkin"));
  else if (g_str_equal (event, COHORT_EV_GROUPS_REACTED))
    {
      gint64 checkin_id = json_object_get_int_member_with_default (body, "checkin_id", 0);
      CohortGroupMember *m = member_with_checkin (self, checkin_id);

      if (m != NULL)
        _cohort_group_member_add_reaction (m, checkin_id,
                                           json_object_get_int_member_with_default (body, "participant_id", 0),
                                           json_object_get_string_member_with_default (body, "reaction", ""));
    }
  else if (g_str_equal (event, COHORT_EV_GROUPS_STARRED))
    {
      gint64 pid = json_object_get_int_member_with_default (body, "participant_id", 0);
      CohortGroupMember *m = g_hash_table_lookup (self->members, &pid);
      const char *name = m ? cohort_group_member_get_name (m) : roster_name (self, pid);

      g_signal_emit (self, signals[STARRED], 0, pid, name ? name : "",
                     json_object_get_string_member_with_default (body, "reason", ""));
      g_signal_emit (self, signals[BOARD_CHANGED], 0);
    }
  else if (g_str_equal (event, COHORT_EV_GROUPS_PROGRESS))
    {
      apply_progress (self, body);
      g_signal_emit (self, signals[BOARD_CHANGED], 0);
    }
  else if (g_str_equal (event, COHORT_EV_GROUPS_BADGE))
    {
      gint64 pid = json_object_get_int_member_with_default (body, "participant_id", 0);
      CohortGroupMember *m = g_hash_table_lookup (self->members, &pid);

      _cohort_badges_add (self->badges, body, m ? cohort_group_member_get_name (m) : roster_name (self, pid));
    }
  else if (g_str_equal (event, COHORT_EV_GROUPS_STANDINGS))
    {
      apply_standings (self, _cohort_json_array (body, "groups"));
      g_signal_emit (self, signals[BOARD_CHANGED], 0);
    }
  else if (g_str_equal (event, COHORT_EV_GROUPS_PK_STARTED))
    _cohort_pk_reset (self->pk, _cohort_json_object (body, "pk"), G_LIST_MODEL (self),
                      self->my_group ? cohort_group_get_id (self->my_group) : 0);
  else if (g_str_equal (event, COHORT_EV_GROUPS_PK_SCORE))
    _cohort_pk_set_scores (self->pk, json_object_get_int_member_with_default (body, "pk_id", 0),
                           _cohort_json_array (body, "scores"));
  else if (g_str_equal (event, COHORT_EV_GROUPS_PK_ENDED))
    {
      _cohort_pk_end (self->pk, body);
      g_signal_emit (self, signals[BOARD_CHANGED], 0);
    }
}

static gboolean
check_today (gpointer user_data)
{
  CohortGroups *self = user_data;
  gint64 now = g_get_real_time () / 1000;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->members);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    _cohort_group_member_update_today (value, now);
  return G_SOURCE_CONTINUE;
}

/* ---- requests ---- */

static void
request_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  JsonObject *body = cohort_session_request_finish (COHORT_SESSION (source), result, &error);
  CohortGroups *self = g_task_get_source_object (task);

  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The author sees their check-in at once (the event dedupes by id). */
  if (g_strcmp0 (g_task_get_task_data (task), COHORT_REQ_GROUPS_CHECK_IN) == 0 && self->synced)
    apply_checkin (self, _cohort_json_object (body, "checkin"));
  g_task_return_pointer (task, body, (GDestroyNotify) json_object_unref);
}

void
cohort_groups_request_async (CohortGroups        *self,
                             const char          *type,
                             JsonObject          *body,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (COHORT_IS_GROUPS (self));
  g_return_if_fail (type != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cohort_groups_request_async);
  g_task_set_task_data (task, g_strdup (type), g_free);
  if (self->session == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "No class session");
      g_object_unref (task);
      return;
    }
  cohort_session_request_async (self->session, type, body, cancellable, request_done, task);
}

JsonObject *
cohort_groups_request_finish (CohortGroups  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
cohort_groups_action_finish (CohortGroups  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_autoptr(JsonObject) body = cohort_groups_request_finish (self, result, error);

  return body != NULL;
}

gboolean
cohort_groups_check_in_finish (CohortGroups  *self,
                               GAsyncResult  *result,
                               gboolean      *out_already,
                               GError       **error)
{
  g_autoptr(JsonObject) body = cohort_groups_request_finish (self, result, error);

  if (body == NULL)
    return FALSE;
  if (out_already != NULL)
    *out_already = json_object_get_boolean_member_with_default (body, "already", FALSE);
  return TRUE;
}

gboolean
cohort_groups_balance_finish (CohortGroups  *self,
                              GAsyncResult  *result,
                              gint64        *out_moved,
                              gint64        *out_unplaced,
                              GError       **error)
{
  g_autoptr(JsonObject) body = cohort_groups_request_finish (self, result, error);

  if (body == NULL)
    return FALSE;
  if (out_moved != NULL)
    *out_moved = json_object_get_int_member_with_default (body, "moved", 0);
  if (out_unplaced != NULL)
    *out_unplaced = json_object_get_int_member_with_default (body, "unplaced", 0);
  return TRUE;
}

static void
send (CohortGroups        *self,
      const char          *type,
      JsonObject          *body,
      GCancellable        *cancellable,
      GAsyncReadyCallback  callback,
      gpointer             user_data)
{
  g_autoptr(JsonObject) owned = body;

  cohort_groups_request_async (self, type, owned, cancellable, callback, user_data);
}

void
cohort_groups_create_async (CohortGroups        *self,
                            const char          *name,
                            gint64               size,
                            const char          *topic,
                            gint64               goal_points,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  cohort_groups_create_many_async (self, name, 1, size, topic, goal_points, FALSE, cancellable, callback,
                                   user_data);
}

void
cohort_groups_create_many_async (CohortGroups        *self,
                                 const char          *name,
                                 gint64               count,
                                 gint64               size,
                                 const char          *topic,
                                 gint64               goal_points,
                                 gboolean             fill,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  JsonObject *body = json_object_new ();

  json_object_set_string_member (body, "name", name);
  json_object_set_int_member (body, "size", size);
  if (count > 1)
    json_object_set_int_member (body, "count", count);
  if (fill)
    json_object_set_boolean_member (body, "fill", TRUE);
  if (topic != NULL && *topic != '\0')
    json_object_set_string_member (body, "topic", topic);
  if (goal_points > 0)
    json_object_set_int_member (body, "goal_points", goal_points);
  send (self, COHORT_REQ_GROUPS_CREATE, body, cancellable, callback, user_data);
}

void
cohort_groups_assign_async (CohortGroups        *self,
                            gint64               participant_id,
                            gint64               group_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "participant_id", participant_id);
  json_object_set_int_member (body, "group_id", group_id);
  send (self, COHORT_REQ_GROUPS_ASSIGN, body, cancellable, callback, user_data);
}

void
cohort_groups_balance_async (CohortGroups        *self,
                             gboolean             reset,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  JsonObject *body = json_object_new ();

  json_object_set_boolean_member (body, "reset", reset);
  send (self, COHORT_REQ_GROUPS_BALANCE, body, cancellable, callback, user_data);
}

void
cohort_groups_pick_async (CohortGroups        *self,
                          gint64               group_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "group_id", group_id);
  send (self, COHORT_REQ_GROUPS_PICK, body, cancellable, callback, user_data);
}

void
cohort_groups_set_settings_async (CohortGroups        *self,
                                  int                  pick_open,
                                  const char          *board,
                                  gint64               top_n,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  JsonObject *body = json_object_new ();

  if (pick_open >= 0)
    json_object_set_boolean_member (body, "pick_open", pick_open != 0);
  if (board != NULL)
    json_object_set_string_member (body, "board", board);
  if (top_n > 0)
    json_object_set_int_member (body, "top_n", top_n);
  send (self, COHORT_REQ_GROUPS_SETTINGS, body, cancellable, callback, user_data);
}

void
cohort_groups_check_in_async (CohortGroups        *self,
                              const char          *note,
                              gint64               minutes,
                              const char          *tz,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  JsonObject *body = json_object_new ();
  g_autofree char *local = tz == NULL ? cohort_groups_dup_local_tz () : NULL;

  json_object_set_string_member (body, "note", note ? note : "");
  if (minutes > 0)
    json_object_set_int_member (body, "minutes", minutes);
  json_object_set_string_member (body, "tz", tz ? tz : local);
  send (self, COHORT_REQ_GROUPS_CHECK_IN, body, cancellable, callback, user_data);
}

void
cohort_groups_react_async (CohortGroups        *self,
                           gint64               checkin_id,
                           const char          *reaction,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "checkin_id", checkin_id);
  json_object_set_string_member (body, "reaction", reaction);
  send (self, COHORT_REQ_GROUPS_REACT, body, cancellable, callback, user_data);
}

void
cohort_groups_star_async (CohortGroups        *self,
                          gint64               participant_id,
                          const char          *reason,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "participant_id", participant_id);
  json_object_set_string_member (body, "reason", reason);
  send (self, COHORT_REQ_GROUPS_STAR, body, cancellable, callback, user_data);
}

void
cohort_groups_pk_start_async (CohortGroups        *self,
                              gint64               minutes,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  JsonObject *body = json_object_new ();

  json_object_set_int_member (body, "minutes", minutes);
  send (self, COHORT_REQ_GROUPS_PK_START, body, cancellable, callback, user_data);
}

void
cohort_groups_pk_stop_async (CohortGroups        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  send (self, COHORT_REQ_GROUPS_PK_STOP, json_object_new (), cancellable, callback, user_data);
}

char *
cohort_groups_dup_local_tz (void)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  const char *id = g_time_zone_get_identifier (local);
  g_autofree char *contents = NULL;

  if (cohort_groups_tz_is_valid (id))
    return g_strdup (id);
  /* Debian names the zone in /etc/timezone when /etc/localtime is a copy. */
  if (g_file_get_contents ("/etc/timezone", &contents, NULL, NULL))
    {
      g_strstrip (contents);
      if (cohort_groups_tz_is_valid (contents))
        return g_steal_pointer (&contents);
    }
  return g_strdup ("UTC");
}

/* ---- getters ---- */

CohortSession *
cohort_groups_get_session (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), NULL);
  return self->session;
}

gboolean
cohort_groups_get_synced (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), FALSE);
  return self->synced;
}

gboolean
cohort_groups_get_is_teacher (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), FALSE);
  return self->is_teacher;
}

gint64
cohort_groups_get_viewer_id (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), 0);
  return self->viewer_id;
}

CohortGroup *
cohort_groups_get_my_group (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), NULL);
  return self->my_group;
}

GListModel *
cohort_groups_get_unassigned (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), NULL);
  return G_LIST_MODEL (self->unassigned);
}

CohortBadges *
cohort_groups_get_badges (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), NULL);
  return self->badges;
}

CohortPk *
cohort_groups_get_pk (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), NULL);
  return self->pk;
}

gboolean
cohort_groups_get_pick_open (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), FALSE);
  return self->pick_open;
}

const char *
cohort_groups_get_board_mode (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), NULL);
  return self->board_mode ? self->board_mode : COHORT_GROUPS_BOARD_ALL;
}

gint64
cohort_groups_get_top_n (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), 0);
  return self->top_n;
}

const char *
cohort_groups_get_class_tz (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), NULL);
  return self->class_tz ? self->class_tz : "UTC";
}

gint64
cohort_groups_get_points_week (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), 0);
  return self->points_week;
}

gint64
cohort_groups_get_points_all (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), 0);
  return self->points_all;
}

gint64
cohort_groups_get_streak (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), 0);
  return self->streak;
}

gint64
cohort_groups_get_best_streak (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), 0);
  return self->best_streak;
}

gint64
cohort_groups_get_freezes_left (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), 0);
  return self->freezes_left;
}

gboolean
cohort_groups_get_checked_in_today (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), FALSE);
  return self->checked_in_today;
}

gint64
cohort_groups_get_study_minutes_today (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), 0);
  return self->study_minutes_today;
}

const char *
cohort_groups_get_today (CohortGroups *self)
{
  g_return_val_if_fail (COHORT_IS_GROUPS (self), NULL);
  return self->today ? self->today : "";
}

/* ---- GObject ---- */

CohortGroups *
cohort_groups_new (CohortSession *session)
{
  CohortGroups *self;

  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  self = g_object_new (COHORT_TYPE_GROUPS, NULL);
  self->session = g_object_ref (session);
  g_signal_group_set_target (self->session_signals, session);
  g_signal_connect_object (cohort_session_get_roster (session), "items-changed",
                           G_CALLBACK (on_roster_changed), self, G_CONNECT_SWAPPED);
  /* Made after the join: the welcome went by, ask for the same state. */
  if (cohort_session_get_self (session) != NULL)
    {
      set_viewer (self);
      request_sync (self);
    }
  return self;
}

static void
cohort_groups_dispose (GObject *object)
{
  CohortGroups *self = COHORT_GROUPS (object);

  g_cancellable_cancel (self->cancellable);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_handle_id (&self->today_source, g_source_remove);
  g_clear_object (&self->session_signals);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (cohort_groups_parent_class)->dispose (object);
}

static void
cohort_groups_finalize (GObject *object)
{
  CohortGroups *self = COHORT_GROUPS (object);

  g_clear_object (&self->cancellable);
  g_ptr_array_unref (self->groups);
  g_hash_table_unref (self->members);
  g_object_unref (self->unassigned);
  g_object_unref (self->badges);
  g_object_unref (self->pk);
  g_free (self->board_mode);
  g_free (self->class_tz);
  g_free (self->today);
  G_OBJECT_CLASS (cohort_groups_parent_class)->finalize (object);
}

static void
cohort_groups_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CohortGroups *self = COHORT_GROUPS (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_SYNCED:
      g_value_set_boolean (value, self->synced);
      break;
    case PROP_IS_TEACHER:
      g_value_set_boolean (value, self->is_teacher);
      break;
    case PROP_MY_GROUP:
      g_value_set_object (value, self->my_group);
      break;
    case PROP_PICK_OPEN:
      g_value_set_boolean (value, self->pick_open);
      break;
    case PROP_BOARD_MODE:
      g_value_set_string (value, cohort_groups_get_board_mode (self));
      break;
    case PROP_TOP_N:
      g_value_set_int64 (value, self->top_n);
      break;
    case PROP_CLASS_TZ:
      g_value_set_string (value, cohort_groups_get_class_tz (self));
      break;
    case PROP_POINTS_WEEK:
      g_value_set_int64 (value, self->points_week);
      break;
    case PROP_POINTS_ALL:
      g_value_set_int64 (value, self->points_all);
      break;
    case PROP_STREAK:
      g_value_set_int64 (value, self->streak);
      break;
    case PROP_BEST_STREAK:
      g_value_set_int64 (value, self->best_streak);
      break;
    case PROP_FREEZES_LEFT:
      g_value_set_int64 (value, self->freezes_left);
      break;
    case PROP_CHECKED_IN_TODAY:
      g_value_set_boolean (value, self->checked_in_today);
      break;
    case PROP_STUDY_MINUTES_TODAY:
      g_value_set_int64 (value, self->study_minutes_today);
      break;
    case PROP_TODAY:
      g_value_set_string (value, cohort_groups_get_today (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_groups_class_init (CohortGroupsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cohort_groups_dispose;
  object_class->finalize = cohort_groups_finalize;
  object_class->get_property = cohort_groups_get_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, COHORT_TYPE_SESSION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNCED] = g_param_spec_boolean ("synced", NULL, NULL, FALSE, flags);
  properties[PROP_IS_TEACHER] = g_param_spec_boolean ("is-teacher", NULL, NULL, FALSE, flags);
  properties[PROP_MY_GROUP] = g_param_spec_object ("my-group", NULL, NULL, COHORT_TYPE_GROUP, flags);
  properties[PROP_PICK_OPEN] = g_param_spec_boolean ("pick-open", NULL, NULL, FALSE, flags);
  properties[PROP_BOARD_MODE] = g_param_spec_string ("board-mode", NULL, NULL, NULL, flags);
  properties[PROP_TOP_N] = g_param_spec_int64 ("top-n", NULL, NULL, 0, G_MAXINT64, 5, flags);
  properties[PROP_CLASS_TZ] = g_param_spec_string ("class-tz", NULL, NULL, NULL, flags);
  properties[PROP_POINTS_WEEK] = g_param_spec_int64 ("points-week", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_POINTS_ALL] = g_param_spec_int64 ("points-all", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_STREAK] = g_param_spec_int64 ("streak", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_BEST_STREAK] = g_param_spec_int64 ("best-streak", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FREEZES_LEFT] = g_param_spec_int64 ("freezes-left", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CHECKED_IN_TODAY] = g_param_spec_boolean ("checked-in-today", NULL, NULL, FALSE, flags);
  properties[PROP_STUDY_MINUTES_TODAY] =
    g_param_spec_int64 ("study-minutes-today", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TODAY] = g_param_spec_string ("today", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * CohortGroups::board-changed:
   *
   * Emitted after anything that can change a leaderboard (points,
   * memberships, groups, privacy settings).
   */
  signals[BOARD_CHANGED] =
    g_signal_new ("board-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * CohortGroups::starred:
   * @participant_id: the student
   * @name: the student's name
   * @reason: the teacher's reason
   */
  signals[STARRED] =
    g_signal_new ("starred", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
}

static void
cohort_groups_init (CohortGroups *self)
{
  self->cancellable = g_cancellable_new ();
  self->groups = g_ptr_array_new_with_free_func (g_object_unref);
  self->members = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->unassigned = g_list_store_new (COHORT_TYPE_GROUP_MEMBER);
  self->badges = _cohort_badges_new ();
  self->pk = _cohort_pk_new ();
  self->board_mode = g_strdup (COHORT_GROUPS_BOARD_ALL);
  self->top_n = 5;
  self->class_tz = g_strdup ("UTC");
  self->today_source = g_timeout_add_seconds (TODAY_CHECK_SECONDS, check_today, self);

  self->session_signals = g_signal_group_new (COHORT_TYPE_SESSION);
  g_signal_group_connect_object (self->session_signals, "welcome", G_CALLBACK (on_welcome), self, 0);
  g_signal_group_connect_object (self->session_signals, "event-received",
                                 G_CALLBACK (on_event_received), self, 0);
}

/* cohort-groups-service.c: groups, check-ins, points, badges, boards, Class PK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-groups"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-chat-service.h"
#include "cohort-groups-protocol.h"
#include "cohort-ledger.h"
#include "cohort-groups-service.h"
#include "cohort-server-private.h"

/* How often the service folds new events of active classes into their
 * ledgers and sends what changed (progress, badges, standings, PK). */
#define TICK_MS            1000
/* Day and week boundaries change totals without an event: look at every
 * student this often even when the log did not move. */
#define FULL_PASS_MS       (60 * 1000)
/* Check-ins sent in a welcome: the last two days (every local "today"). */
#define WELCOME_CHECKINS_MS ((gint64) 48 * 3600 * 1000)
/* A class with no connection and no running PK for this long loses its
 * in-memory ledger; its next use folds the log again. */
#define IDLE_EVICT_MS      (10 * 60 * 1000)


typedef struct
{
  CohortLedger *ledger;
  guint         n_badges_sent;  /* awards of the ledger already stored */
  gint64        last_full_pass;
  gint64        teacher_id;
  gint64        last_used;      /* ms: last request, welcome or connection seen */
} ClassState;

struct _CohortGroupsService
{
  CohortService parent_instance;
  CohortServer *server;         /* owns us */
  GHashTable   *classes;        /* class id → ClassState */
  guint         tick_source;
};

G_DEFINE_FINAL_TYPE (CohortGroupsService, cohort_groups_service, COHORT_TYPE_SERVICE)

static void
class_state_free (ClassState *cs)
{
  cohort_ledger_free (cs->ledger);
  g_free (cs);
}

static void
cohort_groups_service_dispose (GObject *object)
{
  CohortGroupsService *self = COHORT_GROUPS_SERVICE (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_pointer (&self->classes, g_hash_table_unref);
  G_OBJECT_CLASS (cohort_groups_service_parent_class)->dispose (object);
}

static void cohort_groups_service_welcome (CohortService    *service,
                                           CohortConnection *conn,
                                           JsonObject       *body);

static void
cohort_groups_service_class_init (CohortGroupsServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = cohort_groups_service_dispose;
  COHORT_SERVICE_CLASS (klass)->welcome = cohort_groups_service_welcome;
}

static void
cohort_groups_service_init (CohortGroupsService *self)
{
  self->classes = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify) class_state_free);
}

static CohortGroupsService *
get_service (CohortServer *server)
{
  return COHORT_GROUPS_SERVICE (_cohort_server_get_service (server, COHORT_TYPE_GROUPS_SERVICE));
}

static gint64
now_ms (void)
{
  return g_get_real_time () / 1000;
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return json_to_string (node, FALSE);
}

static JsonObject *
object_from_string (const char *json)
{
  g_autoptr(JsonNode) node = json ? json_from_string (json, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/* ---- the ledger of a class: the event log, folded ---- */

/* Folds every event after the ledger's seq. A new ledger folds the whole
 * log: the same code path as groups.recompute. */
static gboolean
fold_log (CohortStore   *store,
          gint64         class_id,
          CohortLedger  *ledger,
          guint         *out_n_events,
          GError       **error)
{
  for (;;)
    {
      g_autoptr(GPtrArray) events =
        cohort_store_list_events_after (store, class_id, cohort_ledger_get_seq (ledger),
                                        COHORT_MAX_REPLAY_EVENTS, error);

      if (events == NULL)
        return FALSE;
      for (guint i = 0; i < events->len; i++)
        {
          CohortEventRecord *e = g_ptr_array_index (events, i);

          cohort_ledger_apply_json (ledger, e->seq, e->ts, e->name, e->body);
        }
      if (out_n_events != NULL)
        *out_n_events += events->len;
      if (events->len < COHORT_MAX_REPLAY_EVENTS)
        return TRUE;
    }
}

static ClassState *
class_state (CohortGroupsService  *self,
             gint64                class_id,
             GError              **error)
{
  CohortStore *store = _cohort_server_get_store (self->server);
  ClassState *cs = g_hash_table_lookup (self->classes, &class_id);

  if (cs == NULL)
    {
      g_autoptr(CohortParticipantRecord) teacher = NULL;
      g_autoptr(GPtrArray) badges = NULL;

      cs = g_new0 (ClassState, 1);
      cs->ledger = cohort_ledger_new ();
      if (!fold_log (store, class_id, cs->ledger, NULL, error) ||
          !(badges = cohort_store_groups_list_badges (store, class_id, 0, error)))
        {
          class_state_free (cs);
          return NULL;
        }
      teacher = cohort_store_find_teacher (store, class_id, NULL);
      cs->teacher_id = teacher ? teacher->id : 0;
      /* Awards already stored are not sent again; add_badge ignores them. */
      cs->n_badges_sent = 0;
      cs->last_used = now_ms ();
      g_hash_table_insert (self->classes, g_memdup2 (&class_id, sizeof class_id), cs);
      return cs;
    }

  if (!fold_log (store, class_id, cs->ledger, NULL, error))
    return NULL;
  cs->last_used = now_ms ();
  return cs;
}

/* After a rollback the ledger may hold events that were never committed:
 * drop it; the next use folds the log again. */
static void
forget_class (CohortGroupsService *self,
              gint64               class_id)
{
  g_hash_table_remove (self->classes, &class_id);
}

static JsonObject *
progress_for (ClassState *cs,
              gint64      participant_id,
              gint64      points_week,
              gint64      points_all,
              gint64      now)
{
  const CohortStreak *streak = cohort_ledger_get_streak (cs->ledger, participant_id);
  guint32 today = cohort_ledger_member_day (cs->ledger, participant_id, now);
  g_autofree char *last_day = cohort_streak_format_day (streak->last_day);
  g_autofree char *today_str = cohort_streak_format_day (today);
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "participant_id", participant_id);
  json_object_set_int_member (o, "points_week", points_week);
  json_object_set_int_member (o, "points_all", points_all);
  json_object_set_int_member (o, "streak", cohort_streak_length_on (streak, today));
  json_object_set_int_member (o, "best_streak", streak->best);
  json_object_set_int_member (o, "freezes_left", cohort_streak_freezes_left (streak, today));
  json_object_set_string_member (o, "last_day", last_day);
  json_object_set_string_member (o, "today", today_str);
  json_object_set_boolean_member (o, "checked_in_today", streak->last_day >= today && today > 0);
  json_object_set_int_member (o, "study_minutes_today",
                              cohort_ledger_study_minutes (cs->ledger, participant_id, today));
  return o;
}

static JsonArray *
standings_json (CohortStore  *store,
                gint64        class_id,
                ClassState   *cs,
                gint64        now,
                GError      **error)
{
  g_autoptr(GPtrArray) groups = cohort_store_groups_list (store, class_id, error);
  gint64 week_start = cohort_ledger_week_start (cs->ledger, now);
  JsonArray *array;

  if (groups == NULL)
    return NULL;
  array = json_array_new ();
  for (guint i = 0; i < groups->len; i++)
    {
      CohortGroupRecord *g = g_ptr_array_index (groups, i);
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "group_id", g->id);
      json_object_set_int_member (o, "points_week",
                                  cohort_ledger_group_points (cs->ledger, g->id, week_start, 0));
      json_object_set_int_member (o, "points_all",
                                  cohort_ledger_group_points (cs->ledger, g->id, 0, 0));
      json_object_set_int_member (o, "streak", cohort_ledger_group_streak (cs->ledger, g->id, now));
      json_object_set_int_member (o, "members", g->n_members);
      json_array_add_object_element (array, o);
    }
  return array;
}

static JsonArray *
pk_scores_json (ClassState *cs)
{
  const CohortPk *pk = cohort_ledger_get_pk (cs->ledger);
  gint64 scores[COHORT_PK_MAX_GROUPS] = { 0 };
  JsonArray *array = json_array_new ();

  cohort_ledger_pk_scores (cs->ledger, scores);
  for (guint i = 0; pk != NULL && i < pk->n_groups; i++)
    {
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "group_id", pk->group_ids[i]);
      json_object_set_int_member (o, "points", scores[i]);
      json_array_add_object_element (array, o);
    }
  return array;
}

static JsonObject *
pk_json (ClassState *cs)
{
  const CohortPk *pk = cohort_ledger_get_pk (cs->ledger);
  JsonObject *o;
  JsonArray *ids;

  if (pk == NULL)
    return NULL;
  o = json_object_new ();
  ids = json_array_new ();
  for (guint i = 0; i < pk->n_groups; i++)
    json_array_add_int_element (ids, pk->group_ids[i]);
  json_object_set_int_member (o, "id", pk->id);
  json_object_set_array_member (o, "group_ids", ids);
  json_object_set_int_member (o, "starts_at", pk->starts_at);
  json_object_set_int_member (o, "ends_at", pk->ends_at);
  json_object_set_boolean_member (o, "running", !pk->stopped);
  json_object_set_array_member (o, "scores", pk_scores_json (cs));
  return o;
}

static gboolean
emit_pk_ended (CohortServer  *server,
               GPtrArray     *pending,
               gint64         class_id,
               ClassState    *cs,
               gint64         ended_at,
               GError       **error)
{
  const CohortPk *pk = cohort_ledger_get_pk (cs->ledger);
  gint64 scores[COHORT_PK_MAX_GROUPS] = { 0 };
  JsonObject *body = json_object_new ();
  JsonArray *winners = json_array_new ();
  gint64 best = -1;

  cohort_ledger_pk_scores (cs->ledger, scores);
  for (guint i = 0; i < pk->n_groups; i++)
    best = MAX (best, scores[i]);
  for (guint i = 0; i < pk->n_groups; i++)
    if (scores[i] == best)
      json_array_add_int_element (winners, pk->group_ids[i]);

  json_object_set_int_member (body, "pk_id", pk->id);
  json_object_set_int_member (body, "ended_at", ended_at);
  json_object_set_array_member (body, "scores", pk_scores_json (cs));
  json_object_set_array_member (body, "winner_ids", winners);
  return _cohort_server_emit_event (server, pending, class_id, COHORT_EV_GROUPS_PK_ENDED, body,
                                    error);
}

/* Compares @value with the stored state @key; when it changed, stores it
 * and emits @event with @body (taken) to everyone. */
static gboolean
emit_if_changed (CohortServer  *server,
                 GPtrArray     *pending,
                 gint64         class_id,
                 const char    *key,
                 const char    *event,
                 JsonObject    *body,
                 GError       **error)
{
  CohortStore *store = _cohort_server_get_store (server);
  g_autoptr(JsonObject) owned = body;
  g_autofree char *json = object_to_string (owned);
  g_autofree char *old = cohort_store_groups_get_state (store, class_id, key, error);

  if (old == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (g_strcmp0 (old, json) == 0)
    return TRUE;
  return cohort_store_groups_set_state (store, class_id, key, json, error) &&
         _cohort_server_emit_event (server, pending, class_id, event, g_steal_pointer (&owned),
                                    error);
}

/* Folds the new events of @class_id and, inside the caller's transaction,
 * emits what changed: each student's progress (to them only), new badges
 * (to the student and the teacher), group standings and PK scores (to
 * everyone), and the end of a PK whose time is up. */
static gboolean
catch_up (CohortGroupsService  *self,
          GPtrArray            *pending,
          gint64                class_id,
          gboolean              full,
          GError              **error)
{
  CohortServer *server = self->server;
  CohortStore *store = _cohort_server_get_store (server);
  ClassState *cs;
  const GPtrArray *badges;
  const CohortPk *pk;
  gint64 now = now_ms ();
  guint64 version_before;

  if (!(cs = g_hash_table_lookup (self->classes, &class_id)))
    full = TRUE;
  version_before = cs ? cohort_ledger_get_version (cs->ledger) : 0;
  if (!(cs = class_state (self, class_id, error)))
    return FALSE;
  /* Events that changed no totals (chat, most of a busy log) cost no pass
   * over the students. */
  if (cohort_ledger_get_version (cs->ledger) != version_before ||
      now - cs->last_full_pass >= FULL_PASS_MS)
    full = TRUE;

  /* A PK whose time is up ends with a logged event. */
  pk = cohort_ledger_get_pk (cs->ledger);
  if (pk != NULL && !pk->stopped && now >= pk->ends_at)
    {
      if (!emit_pk_ended (server, pending, class_id, cs, pk->ends_at, error))
        return FALSE;
      full = TRUE;
    }

  if (!full)
    return TRUE;
  cs->last_full_pass = now;

  /* Progress of every student, one pass over the entries. */
  {
    g_autoptr(GPtrArray) totals = cohort_store_groups_list_totals (store, class_id, error);
    g_autoptr(GHashTable) stored = g_hash_table_new (g_int64_hash, g_int64_equal);
    g_autoptr(GHashTable) week_points = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
    g_autoptr(GHashTable) all_points = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
    g_autoptr(GArray) students = cohort_ledger_list_students (cs->ledger);
    const GArray *entries = cohort_ledger_get_entries (cs->ledger);
    gint64 week_start = cohort_ledger_week_start (cs->ledger, now);

    if (totals == NULL)
      return FALSE;
    for (guint i = 0; i < totals->len; i++)
      {
        CohortGroupsTotalRecord *t = g_ptr_array_index (totals, i);

        g_hash_table_insert (stored, &t->participant_id, t);
      }
    for (guint i = 0; i < entries->len; i++)
      {
        const CohortLedgerEntry *e = &g_array_index (entries, CohortLedgerEntry, i);
        gint64 *all = g_hash_table_lookup (all_points, &e->participant_id);

        if (all == NULL)
          {
            all = g_new0 (gint64, 1);
            g_hash_table_insert (all_points, g_memdup2 (&e->participant_id, sizeof (gint64)), all);
          }
        *all += e->points;
        if (e->ts >= week_start)
          {
            gint64 *week = g_hash_table_lookup (week_points, &e->participant_id);

            if (week == NULL)
              {
                week = g_new0 (gint64, 1);
                g_hash_table_insert (week_points, g_memdup2 (&e->participant_id, sizeof (gint64)), week);
              }
            *week += e->points;
          }
      }

    for (guint i = 0; i < students->len; i++)
      {
        gint64 pid = g_array_index (students, gint64, i);
        gint64 *week = g_hash_table_lookup (week_points, &pid);
        gint64 *all = g_hash_table_lookup (all_points, &pid);
        g_autoptr(JsonObject) progress = progress_for (cs, pid, week ? *week : 0, all ? *all : 0, now);
        g_autofree char *json = object_to_string (progress);
        CohortGroupsTotalRecord *old = g_hash_table_lookup (stored, &pid);
        CohortGroupsTotalRecord record = { 0 };

        if (old != NULL && g_strcmp0 (old->progress, json) == 0)
          continue;

        record.participant_id = pid;
        record.points_all = all ? *all : 0;
        record.streak = cohort_ledger_get_streak (cs->ledger, pid)->length;
        record.best_streak = cohort_ledger_get_streak (cs->ledger, pid)->best;
        record.progress = json;
        if (!cohort_store_groups_save_total (store, class_id, &record, error) ||
            !_cohort_server_emit_event_for (server, pending, class_id, COHORT_EV_GROUPS_PROGRESS,
                                            json_object_ref (progress), &pid, 1, error))
          return FALSE;
      }
  }

  /* New badges. */
  badges = cohort_ledger_get_badges (cs->ledger);
  for (; cs->n_badges_sent < badges->len; cs->n_badges_sent++)
    {
      CohortBadgeAward *a = g_ptr_array_index (badges, cs->n_badges_sent);
      CohortBadgeRecord record = { a->participant_id, (char *) cohort_badge_kind_to_string (a->badge),
                                   a->detail, a->earned_at };
      gboolean added = FALSE;
      gint64 audience[2] = { a->participant_id, cs->teacher_id };
      JsonObject *body;

      if (!cohort_store_groups_add_badge (store, class_id, &record, &added, error))
        return FALSE;
      if (!added)
        continue;
      body = json_object_new ();
      json_object_set_int_member (body, "participant_id", a->participant_id);
      json_object_set_string_member (body, "badge", record.badge);
      json_object_set_string_member (body, "detail", a->detail);
      json_object_set_int_member (body, "earned_at", a->earned_at);
      if (!_cohort_server_emit_event_for (server, pending, class_id, COHORT_EV_GROUPS_BADGE, body,
                                          audience, cs->teacher_id ? 2 : 1, error))
        return FALSE;
    }

  /* Group standings and PK scores, public in every privacy mode. */
  {
    JsonArray *standings = standings_json (store, class_id, cs, now, error);
    JsonObject *body;

    if (standings == NULL)
      return FALSE;
    body = json_object_new ();
    json_object_set_array_member (body, "groups", standings);
    if (!emit_if_changed (server, pending, class_id, "standings", COHORT_EV_GROUPS_STANDINGS, body,
                          error))
      return FALSE;
  }

  pk = cohort_ledger_get_pk (cs->ledger);
  if (pk != NULL && !pk->stopped)
    {
      JsonObject *body = json_object_new ();

      json_object_set_int_member (body, "pk_id", pk->id);
      json_object_set_array_member (body, "scores", pk_scores_json (cs));
      if (!emit_if_changed (server, pending, class_id, "pk_score", COHORT_EV_GROUPS_PK_SCORE, body,
                            error))
        return FALSE;
    }

  return TRUE;
}

typedef struct
{
  gint64 class_id;
  gboolean found;
} ClassProbe;

static void
probe_connection (gpointer data,
                  gpointer user_data)
{
  ((ClassProbe *) user_data)->found = TRUE;
}

static gboolean
tick (gpointer user_data)
{
  CohortGroupsService *self = user_data;
  CohortStore *store = _cohort_server_get_store (self->server);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->classes);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_array_append_val (ids, *(gint64 *) key);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 class_id = g_array_index (ids, gint64, i);
      g_autoptr(GPtrArray) pending = _cohort_server_pending_new ();
      g_autoptr(GError) error = NULL;
      ClassState *cs = g_hash_table_lookup (self->classes, &class_id);
      ClassProbe probe = { class_id, FALSE };
      const CohortPk *pk = cs ? cohort_ledger_get_pk (cs->ledger) : NULL;
      gint64 last_seq;

      _cohort_server_foreach_connection (self->server, class_id, probe_connection, &probe);
      if (probe.found && cs != NULL)
        cs->last_used = now_ms ();
      if (!probe.found && (pk == NULL || pk->stopped))
        {
          /* Idle classes do not keep their ledger in memory. */
          if (cs != NULL && now_ms () - cs->last_used >= IDLE_EVICT_MS)
            forget_class (self, class_id);
          continue;
        }

      last_seq = cohort_store_get_last_seq (store, class_id, NULL);
      if (cs != NULL && last_seq == cohort_ledger_get_seq (cs->ledger) &&
          now_ms () - cs->last_full_pass < FULL_PASS_MS &&
          (pk == NULL || pk->stopped || now_ms () < pk->ends_at))
        continue;

      if (!cohort_store_begin (store, &error) ||
          !catch_up (self, pending, class_id, FALSE, &error) ||
          !cohort_store_commit (store, &error))
        {
          g_warning ("Could not update the points of class %" G_GINT64_FORMAT ": %s",
                     class_id, error ? error->message : "unknown");
          cohort_store_rollback (store);
          forget_class (self, class_id);
          continue;
        }
      _cohort_server_broadcast (self->server, pending);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- shared helpers for the handlers ---- */

#define ROLE_STUDENT "student"

/* A store failure drops the class's ledger, which may hold what was
 * rolled back. FALSE, for a handler to return: the pipeline then rolls
 * back and answers `internal`. */
static gboolean
drop_ledger (CohortRequest *req)
{
  forget_class (get_service (cohort_request_get_server (req)),
                cohort_connection_get_class_id (cohort_request_get_connection (req)));
  return FALSE;
}

/* Rolls back, drops the class's ledger, answers `internal`. */
static void
fail_internal (CohortRequest *req,
               GError        *error)
{
  drop_ledger (req);
  cohort_request_fail (req, error);
}

/* Rolls back, drops the class's ledger, and refuses the request. */
static void
rollback_with (CohortRequest   *req,
               CohortErrorCode  code,
               const char      *field,
               const char      *message)
{
  cohort_store_rollback (_cohort_server_get_store (cohort_request_get_server (req)));
  drop_ledger (req);
  cohort_request_refuse (req, code, field, message);
}

/* Stores the reply, commits, answers and broadcasts the request's events;
 * a failed commit drops the class's ledger too. */
static void
finish (CohortRequest *req,
        JsonObject    *ok_body)
{
  if (!cohort_request_finish (req, ok_body))
    forget_class (get_service (cohort_request_get_server (req)),
                  cohort_connection_get_class_id (cohort_request_get_connection (req)));
}

static JsonObject *
group_to_json (CohortGroupRecord *g)
{
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "id", g->id);
  json_object_set_string_member (o, "name", g->name);
  json_object_set_int_member (o, "size", g->size);
  json_object_set_string_member (o, "topic", g->topic ? g->topic : "");
  json_object_set_int_member (o, "goal_points", g->goal_points);
  return o;
}

static JsonObject *
checkin_to_json (CohortCheckinRecord *c)
{
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "id", c->id);
  json_object_set_int_member (o, "participant_id", c->participant_id);
  json_object_set_int_member (o, "group_id", c->group_id);
  json_object_set_string_member (o, "day", c->day);
  json_object_set_string_member (o, "tz", c->tz);
  json_object_set_string_member (o, "note", c->note);
  json_object_set_int_member (o, "minutes", c->minutes);
  json_object_set_int_member (o, "at", c->at);
  return o;
}

static CohortGroupRecord *
find_group (GPtrArray *groups,
            gint64     group_id)
{
  for (guint i = 0; groups != NULL && i < groups->len; i++)
    if (((CohortGroupRecord *) g_ptr_array_index (groups, i))->id == group_id)
      return g_ptr_array_index (groups, i);
  return NULL;
}

static gint64
member_group (GPtrArray *members,
              gint64     participant_id)
{
  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      CohortGroupMemberRecord *m = g_ptr_array_index (members, i);

      if (m->participant_id == participant_id)
        return m->group_id;
    }
  return 0;
}

static JsonObject *
settings_or_default (CohortStore  *store,
                     gint64        class_id,
                     GError      **error)
{
  g_autofree char *json = cohort_store_groups_get_state (store, class_id, "settings", error);
  JsonObject *settings;

  if (json == NULL && error != NULL && *error != NULL)
    return NULL;
  settings = object_from_string (json);
  if (settings == NULL)
    settings = json_object_new ();
  if (!json_object_has_member (settings, "pick_open"))
    json_object_set_boolean_member (settings, "pick_open", FALSE);
  if (!json_object_has_member (settings, "board"))
    json_object_set_string_member (settings, "board", COHORT_GROUPS_BOARD_ALL);
  if (!json_object_has_member (settings, "top_n"))
    json_object_set_int_member (settings, "top_n", 5);
  if (!json_object_has_member (settings, "tz"))
    json_object_set_string_member (settings, "tz", "UTC");
  return settings;
}

/* Who may see a check-in: its author, the teacher, and the members of the
 * author's group. */
static GArray *
checkin_audience (GPtrArray *members,
                  gint64     author_id,
                  gint64     group_id,
                  gint64     teacher_id)
{
  GArray *audience = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_array_append_val (audience, author_id);
  if (teacher_id != 0)
    g_array_append_val (audience, teacher_id);
  for (guint i = 0; group_id != 0 && members != NULL && i < members->len; i++)
    {
      CohortGroupMemberRecord *m = g_ptr_array_index (members, i);

      if (m->group_id == group_id && m->participant_id != author_id)
        g_array_append_val (audience, m->participant_id);
    }
  return audience;
}

/* Begins the transaction and folds the log; NULL (answered) on failure. */
static ClassState *
begin (CohortRequest *req)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(GError) error = NULL;
  CohortStore *store = _cohort_server_get_store (server);
  ClassState *cs;

  if (!cohort_store_begin (store, &error) ||
      !(cs = class_state (get_service (server), cohort_connection_get_class_id (conn), &error)))
    {
      fail_internal (req, error);
      return NULL;
    }
  return cs;
}

/* ---- handlers ---- */

/* The name of the @index-th (from 1) of @count groups made at once: the
 * teacher's name, numbered when there are several. */
static char *
numbered_name (const char *name,
               gint64      count,
               guint       index)
{
  return count > 1 ? g_strdup_printf ("%s %u", name, index) : g_strdup (name);
}

static gboolean place_present (CohortRequest  *req,
                               ClassState     *cs,
                               gboolean        reset,
                               guint          *out_moved,
                               guint          *out_unplaced,
                               GError        **error);

/* groups.create: one group, or @count at once (numbered after the groups
 * the class already has), and with @fill every present student without a
 * group is placed in them, as groups.balance does: a teacher of 40 makes
 * eight groups of five in one step. */
static gboolean
handle_create (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(GPtrArray) groups = NULL;
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 count = json_object_get_int_member_with_default (body, "count", 1);
  gboolean fill = json_object_get_boolean_member_with_default (body, "fill", FALSE);
  const char *name = json_object_get_string_member (body, "name");
  JsonArray *created;
  JsonObject *reply;
  guint moved = 0, unplaced = 0;
  ClassState *cs;

  if (!cohort_request_require_teacher (req, _("Only the teacher can create groups.")) ||
      !(cs = begin (req)))
    return TRUE;

  if (!(groups = cohort_store_groups_list (store, class_id, error)))
    return drop_ledger (req);
  if (groups->len + count > COHORT_GROUPS_MAX_GROUPS)
    {
      rollback_with (req, COHORT_ERROR_INVALID, count > 1 ? "count" : NULL,
                     _("A class can have at most 50 groups."));
      return TRUE;
    }

  created = json_array_new ();
  reply = json_object_new ();
  json_object_set_array_member (reply, "groups", created);
  for (gint64 i = 0; i < count; i++)
    {
      g_autofree char *group_name = numbered_name (name, count, groups->len + i + 1);
      CohortGroupRecord record = { 0 };
      JsonObject *event_body;

      if (g_utf8_strlen (group_name, -1) > COHORT_GROUPS_MAX_NAME_CHARS)
        {
          json_object_unref (reply);
          rollback_with (req, COHORT_ERROR_INVALID, "name",
                         _("The name is too long to number the groups: make it shorter."));
          return TRUE;
        }
      record.class_id = class_id;
      record.name = group_name;
      record.size = json_object_get_int_member (body, "size");
      record.topic = (char *) json_object_get_string_member_with_default (body, "topic", "");
      record.goal_points = json_object_get_int_member_with_default (body, "goal_points", 0);
      record.id = cohort_store_groups_create (store, class_id, record.name, record.size, record.topic,
                                              record.goal_points, now_ms (), error);
      event_body = json_object_new ();
      json_object_set_object_member (event_body, "group", group_to_json (&record));
      if (record.id == 0 ||
          !cohort_request_emit (req, class_id, COHORT_EV_GROUPS_CREATED, event_body, error))
        {
          json_object_unref (reply);
          return drop_ledger (req);
        }
      json_array_add_object_element (created, group_to_json (&record));
      if (i == 0)
        json_object_set_object_member (reply, "group", group_to_json (&record));
    }

  if (!catch_up (COHORT_GROUPS_SERVICE (service), pending, class_id, TRUE, error) ||
      (fill && !place_present (req, cs, FALSE, &moved, &unplaced, error)))
    {
      json_object_unref (reply);
      return drop_ledger (req);
    }
  if (fill)
    {
      json_object_set_int_member (reply, "moved", moved);
      json_object_set_int_member (reply, "unplaced", unplaced);
    }
  finish (req, reply);

  return TRUE;
}

/* Records @assignments (participant id → group id pairs) with one event. */
static gboolean
emit_assignments (CohortServer  *server,
                  GPtrArray     *pending,
                  gint64         class_id,
                  GArray        *pairs,
                  gint64         by,
                  const char    *mode,
                  GError       **error)
{
  CohortStore *store = _cohort_server_get_store (server);
  JsonObject *body;
  JsonArray *array;

  if (pairs->len == 0)
    return TRUE;
  array = json_array_new ();
  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      gint64 pid = g_array_index (pairs, gint64, i);
      gint64 gid = g_array_index (pairs, gint64, i + 1);
      JsonObject *o = json_object_new ();

      if (!cohort_store_groups_set_member (store, class_id, pid, gid, error))
        {
          json_object_unref (o);
          json_array_unref (array);
          return FALSE;
        }
      json_object_set_int_member (o, "participant_id", pid);
      json_object_set_int_member (o, "group_id", gid);
      json_array_add_object_element (array, o);
    }
  body = json_object_new ();
  json_object_set_array_member (body, "assignments", array);
  json_object_set_int_member (body, "by", by);
  json_object_set_string_member (body, "mode", mode);
  return _cohort_server_emit_event (server, pending, class_id, COHORT_EV_GROUPS_ASSIGNED, body, error) &&
         catch_up (get_service (server), pending, class_id, TRUE, error);
}

/* Moves @pid into @group_id (0: out of any group) after the checks every
 * way of joining shares. */
static void
assign_one (CohortRequest *req,
            gint64         pid,
            gint64         group_id,
            const char    *mode)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(GError) error = NULL;
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(CohortParticipantRecord) target = NULL;
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
  CohortStore *store = _cohort_server_get_store (server);
  gint64 class_id = cohort_connection_get_class_id (conn);
  CohortGroupRecord *group;

  if (!begin (req))
    return;

  target = cohort_store_get_participant (store, pid, &error);
  if (error != NULL ||
      !(groups = cohort_store_groups_list (store, class_id, &error)) ||
      !(members = cohort_store_groups_list_members (store, class_id, &error)))
    {
      fail_internal (req, error);
      return;
    }

  if (target == NULL || target->class_id != class_id || g_strcmp0 (target->role, ROLE_STUDENT) != 0)
    {
      rollback_with (req, COHORT_ERROR_NOT_FOUND, "participant_id",
                     _("This student is not in the class."));
      return;
    }

  group = find_group (groups, group_id);
  if (group_id != 0 && group == NULL)
    {
      rollback_with (req, COHORT_ERROR_NOT_FOUND, "group_id",
                     _("This group does not exist in the class."));
      return;
    }

  if (member_group (members, pid) != group_id)
    {
      if (group != NULL && group->n_members >= group->size)
        {
          g_autofree char *message = g_strdup_printf (_("The group “%s” is full."), group->name);

          rollback_with (req, COHORT_ERROR_INVALID, "group_id", message);
          return;
        }
      g_array_append_val (pairs, pid);
      g_array_append_val (pairs, group_id);
    }

  if (!emit_assignments (server, pending, class_id, pairs,
                         cohort_connection_get_participant_id (conn), mode, &error))
    {
      fail_internal (req, error);
      return;
    }
  finish (req, json_object_new ());
}

static gboolean
handle_assign (CohortService  *service,
               CohortRequest  *req,
               GError        **error)
{
  JsonObject *body = cohort_request_get_body (req);

  if (!cohort_request_require_teacher (req, _("Only the teacher can put students in groups.")))
    return TRUE;
  assign_one (req, json_object_get_int_member (body, "participant_id"),
              json_object_get_int_member (body, "group_id"), "teacher");

  return TRUE;
}

static gboolean
handle_pick (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(JsonObject) settings = NULL;
  CohortStore *store = cohort_service_get_store (service);

  if (cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("Only students pick a group."));
      return TRUE;
    }

  settings = settings_or_default (store, cohort_connection_get_class_id (conn), error);
  if (settings == NULL)
    return FALSE;
  if (!json_object_get_boolean_member (settings, "pick_open"))
    {
      cohort_request_forbidden (req,
                                _("The teacher has not opened the groups for picking yet."));
      return TRUE;
    }

  assign_one (req, cohort_connection_get_participant_id (conn),
              json_object_get_int_member (cohort_request_get_body (req), "group_id"), "pick");

  return TRUE;
}

typedef struct
{
  CohortGroupRecord *group;
  gint64             count;
} Slot;

static int
compare_slots (gconstpointer a,
               gconstpointer b)
{
  const Slot *x = a, *y = b;

  if (x->count != y->count)
    return x->count < y->count ? -1 : 1;
  return x->group->id < y->group->id ? -1 : 1;
}

/* Every student present without a group (or, with @reset, every student
 * present, strongest first) goes to the group with the fewest members
 * that still has room, ties to the lower id. With reset this is a snake
 * draft by all-time points, so groups are even in size and in points.
 * Students who are not here now keep what they have, and are neither
 * placed nor counted as not fitting: a class of 40 that once saw 60 names
 * is balanced for the 40. The class must have groups. */
static gboolean
place_present (CohortRequest  *req,
               ClassState     *cs,
               gboolean        reset,
               guint          *out_moved,
               guint          *out_unplaced,
               GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray) slots = g_array_new (FALSE, FALSE, sizeof (Slot));
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (gint64));
  CohortStore *store = _cohort_server_get_store (server);
  gint64 class_id = cohort_connection_get_class_id (conn);
  guint unplaced = 0;

  if (!(groups = cohort_store_groups_list (store, class_id, error)) ||
      !(members = cohort_store_groups_list_members (store, class_id, error)))
    return FALSE;

  for (guint i = 0; i < groups->len; i++)
    {
      Slot slot = { g_ptr_array_index (groups, i), 0 };

      slot.count = reset ? 0 : slot.group->n_members;
      /* With reset, the absent stay where they are and take their room. */
      for (guint j = 0; reset && j < members->len; j++)
        {
          CohortGroupMemberRecord *m = g_ptr_array_index (members, j);

          if (m->group_id == slot.group->id && !_cohort_server_is_online (server, m->participant_id))
            slot.count++;
        }
      g_array_append_val (slots, slot);
    }

  /* Strongest first, so that the draft spreads points evenly. */
  rows = cohort_ledger_board (cs->ledger, FALSE, 0);
  for (guint i = 0; i < rows->len; i++)
    {
      CohortBoardRow *row = g_ptr_array_index (rows, i);
      gint64 current = member_group (members, row->id);
      gboolean placed = FALSE;

      if ((!reset && current != 0) || !_cohort_server_is_online (server, row->id))
        continue;
      g_array_sort (slots, compare_slots);
      for (guint j = 0; j < slots->len && !placed; j++)
        {
          Slot *slot = &g_array_index (slots, Slot, j);

          if (slot->count >= slot->group->size)
            continue;
          slot->count++;
          placed = TRUE;
          if (slot->group->id != current)
            {
              g_array_append_val (pairs, row->id);
              g_array_append_val (pairs, slot->group->id);
            }
        }
      if (!placed)
        {
          unplaced++;
          if (current != 0)
            {
              gint64 none = 0;

              g_array_append_val (pairs, row->id);
              g_array_append_val (pairs, none);
            }
        }
    }

  *out_moved = pairs->len / 2;
  *out_unplaced = unplaced;
  return emit_assignments (server, pending, class_id, pairs,
                           cohort_connection_get_participant_id (conn), "balance", error);
}

static gboolean
handle_balance (CohortService  *service,
                CohortRequest  *req,
                GError        **error)
{
  CohortStore *store = cohort_service_get_store (service);
  gint64 class_id = cohort_connection_get_class_id (cohort_request_get_connection (req));
  gboolean reset = json_object_get_boolean_member_with_default (cohort_request_get_body (req),
                                                                "reset", FALSE);
  g_autoptr(GPtrArray) groups = NULL;
  guint moved = 0, unplaced = 0;
  ClassState *cs;
  JsonObject *reply;

  if (!cohort_request_require_teacher (req, _("Only the teacher can balance the groups.")) ||
      !(cs = begin (req)))
    return TRUE;

  if (!(groups = cohort_store_groups_list (store, class_id, error)))
    return drop_ledger (req);
  if (groups->len == 0)
    {
      rollback_with (req, COHORT_ERROR_INVALID, NULL,
                     _("Create groups first, then balance them."));
      return TRUE;
    }
  if (!place_present (req, cs, reset, &moved, &unplaced, error))
    return drop_ledger (req);

  reply = json_object_new ();
  json_object_set_int_member (reply, "moved", moved);
  json_object_set_int_member (reply, "unplaced", unplaced);
  finish (req, reply);

  return TRUE;
}

static gboolean
handle_settings (CohortService  *service,
                 CohortRequest  *req,
                 GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(JsonObject) settings = NULL;
  g_autofree char *json = NULL;
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  const char * const names[] = { "pick_open", "board", "top_n", "tz" };
  JsonObject *event_body;
  JsonObject *reply;

  if (!cohort_request_require_teacher (req, _("Only the teacher can change the group settings.")) ||
      !begin (req))
    return TRUE;

  if (!(settings = settings_or_default (store, class_id, error)))
    return drop_ledger (req);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (json_object_has_member (body, names[i]) &&
        !JSON_NODE_HOLDS_NULL (json_object_get_member (body, names[i])))
      json_object_set_member (settings, names[i],
                              json_node_copy (json_object_get_member (body, names[i])));

  json = object_to_string (settings);
  event_body = json_object_new ();
  json_object_set_object_member (event_body, "settings", json_object_ref (settings));
  if (!cohort_store_groups_set_state (store, class_id, "settings", json, error) ||
      !cohort_request_emit (req, class_id, COHORT_EV_GROUPS_SETTINGS, event_body, error) ||
      !catch_up (COHORT_GROUPS_SERVICE (service), pending, class_id, TRUE, error))
    return drop_ledger (req);

  reply = json_object_new ();
  json_object_set_object_member (reply, "settings", g_steal_pointer (&settings));
  finish (req, reply);

  return TRUE;
}

static gboolean
handle_check_in (CohortService  *service,
                 CohortRequest  *req,
                 GError        **error)
{
  g_autoptr(GError) tz_error = NULL;
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GArray) audience = NULL;
  g_autofree char *day_str = NULL;
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 pid = cohort_connection_get_participant_id (conn);
  const char *tz = json_object_get_string_member (body, "tz");
  const CohortStreak *streak;
  CohortCheckinRecord record = { 0 };
  ClassState *cs;
  JsonObject *event_body;
  JsonObject *reply;
  guint32 day;
  gint64 at;

  if (cohort_connection_is_teacher (conn))
    {
      cohort_request_forbidden (req, _("Only students check in."));
      return TRUE;
    }
  if (!(cs = begin (req)))
    return TRUE;

  at = _cohort_server_next_ts (server);
  if (!cohort_streak_local_day (at, tz, &day, &tz_error))
    {
      rollback_with (req, COHORT_ERROR_INVALID, "tz", tz_error->message);
      return TRUE;
    }

  /* Once per local day: a day at or before the last counted one (the
   * same day, or an earlier date after flying west) is already done. */
  streak = cohort_ledger_get_streak (cs->ledger, pid);
  if (streak != NULL && streak->last_day != 0 && day <= streak->last_day)
    {
      g_autoptr(CohortCheckinRecord) last = cohort_store_groups_last_checkin (store, pid, error);

      if (*error != NULL)
        return drop_ledger (req);
      reply = json_object_new ();
      if (last != NULL)
        json_object_set_object_member (reply, "checkin", checkin_to_json (last));
      json_object_set_boolean_member (reply, "already", TRUE);
      finish (req, reply);
      return TRUE;
    }

  if (!(members = cohort_store_groups_list_members (store, class_id, error)))
    return drop_ledger (req);

  day_str = cohort_streak_format_day (day);
  record.class_id = class_id;
  record.participant_id = pid;
  record.group_id = member_group (members, pid);
  record.day = day_str;
  record.tz = (char *) tz;
  record.note = (char *) json_object_get_string_member (body, "note");
  record.minutes = json_object_get_int_member_with_default (body, "minutes", 0);
  record.at = at;
  if (!cohort_store_groups_add_checkin (store, &record, error))
    return drop_ledger (req);

  audience = checkin_audience (members, pid, record.group_id, cs->teacher_id);
  event_body = json_object_new ();
  json_object_set_object_member (event_body, "checkin", checkin_to_json (&record));
  if (!cohort_request_emit_for (req, class_id, COHORT_EV_GROUPS_CHECKED_IN,
                                      event_body, (gint64 *) audience->data, audience->len, error) ||
      !catch_up (COHORT_GROUPS_SERVICE (service), pending, class_id, TRUE, error))
    return drop_ledger (req);

  reply = json_object_new ();
  json_object_set_object_member (reply, "checkin", checkin_to_json (&record));
  json_object_set_boolean_member (reply, "already", FALSE);
  finish (req, reply);

  return TRUE;
}

static gboolean
handle_react (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(CohortCheckinRecord) checkin = NULL;
  g_autoptr(GArray) audience = NULL;
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 pid = cohort_connection_get_participant_id (conn);
  const char *reaction = json_object_get_string_member (body, "reaction");
  gboolean added = FALSE;
  ClassState *cs;

  if (!(cs = begin (req)))
    return TRUE;

  checkin = cohort_store_groups_get_checkin (store, json_object_get_int_member (body, "checkin_id"),
                                             error);
  if (*error != NULL || !(members = cohort_store_groups_list_members (store, class_id, error)))
    return drop_ledger (req);

  if (checkin == NULL || checkin->class_id != class_id)
    {
      rollback_with (req, COHORT_ERROR_NOT_FOUND, "checkin_id",
                     _("This check-in does not exist in the class."));
      return TRUE;
    }
  if (checkin->participant_id == pid)
    {
      rollback_with (req, COHORT_ERROR_FORBIDDEN, NULL,
                     _("You cannot react to your own check-in."));
      return TRUE;
    }
  if (!cohort_connection_is_teacher (conn) &&
      (checkin->group_id == 0 || member_group (members, pid) != checkin->group_id))
    {
      rollback_with (req, COHORT_ERROR_FORBIDDEN, NULL,
                     _("Only members of the same group can react to a check-in."));
      return TRUE;
    }

  if (!cohort_store_groups_add_reaction (store, checkin->id, pid, reaction, now_ms (), &added, error))
    return drop_ledger (req);

  if (added)
    {
      JsonObject *event_body = json_object_new ();

      audience = checkin_audience (members, checkin->participant_id, checkin->group_id,
                                   cs->teacher_id);
      json_object_set_int_member (event_body, "checkin_id", checkin->id);
      json_object_set_int_member (event_body, "participant_id", pid);
      json_object_set_string_member (event_body, "reaction", reaction);
      if (!cohort_request_emit_for (req, class_id, COHORT_EV_GROUPS_REACTED,
                                          event_body, (gint64 *) audience->data, audience->len,
                                          error))
        return drop_ledger (req);
    }
  finish (req, json_object_new ());

  return TRUE;
}

static gboolean
handle_star (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(CohortParticipantRecord) target = NULL;
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 by = cohort_connection_get_participant_id (conn);
  gint64 star_id;
  gint64 audience[2];
  JsonObject *event_body;
  JsonObject *reply;

  if (!cohort_request_require_teacher (req, _("Only the teacher can award stars.")) ||
      !begin (req))
    return TRUE;

  target = cohort_store_get_participant (store, json_object_get_int_member (body, "participant_id"),
                                         error);
  if (*error != NULL)
    return drop_ledger (req);
  if (target == NULL || target->class_id != class_id || g_strcmp0 (target->role, ROLE_STUDENT) != 0)
    {
      rollback_with (req, COHORT_ERROR_NOT_FOUND, "participant_id",
                     _("Stars go to students of this class."));
      return TRUE;
    }

  if ((star_id = cohort_store_groups_next_id (store, class_id, "star", error)) == 0)
    return drop_ledger (req);

  audience[0] = target->id;
  audience[1] = by;
  event_body = json_object_new ();
  json_object_set_int_member (event_body, "star_id", star_id);
  json_object_set_int_member (event_body, "participant_id", target->id);
  json_object_set_string_member (event_body, "reason", json_object_get_string_member (body, "reason"));
  json_object_set_int_member (event_body, "by", by);
  if (!cohort_request_emit_for (req, class_id, COHORT_EV_GROUPS_STARRED, event_body,
                                      audience, 2, error) ||
      !catch_up (COHORT_GROUPS_SERVICE (service), pending, class_id, TRUE, error))
    return drop_ledger (req);

  reply = json_object_new ();
  json_object_set_int_member (reply, "star_id", star_id);
  finish (req, reply);

  return TRUE;
}

static JsonObject *
row_to_json (CohortBoardRow *row)
{
  JsonObject *o = json_object_new ();

  json_object_set_int_member (o, "rank", row->rank);
  json_object_set_int_member (o, "id", row->id);
  json_object_set_string_member (o, "name", row->name ? row->name : "");
  json_object_set_int_member (o, "points", row->points);
  return o;
}

/* The board a participant may see. The teacher sees everything; students
 * get what the privacy setting allows, and always their own rank unless
 * individual boards are hidden. */
static JsonObject *
board_for (ClassState *cs,
           JsonObject *settings,
           gboolean    teacher,
           gint64      viewer,
           gboolean    groups,
           gboolean    week,
           gint64      now)
{
  g_autoptr(GPtrArray) rows =
    cohort_ledger_board (cs->ledger, groups, week ? cohort_ledger_week_start (cs->ledger, now) : 0);
  const char *mode = json_object_get_string_member_with_default (settings, "board", COHORT_GROUPS_BOARD_ALL);
  gint64 top_n = json_object_get_int_member_with_default (settings, "top_n", 5);
  JsonObject *out = json_object_new ();
  JsonArray *array = json_array_new ();
  gboolean hidden = FALSE;
  guint limit = rows->len;

  if (!teacher && !groups)
    {
      if (g_strcmp0 (mode, COHORT_GROUPS_BOARD_GROUPS) == 0)
        {
          hidden = TRUE;
          limit = 0;
        }
      else if (g_strcmp0 (mode, COHORT_GROUPS_BOARD_TOP) == 0)
        limit = MIN (limit, (guint) top_n);
    }

  for (guint i = 0; i < rows->len; i++)
    {
      CohortBoardRow *row = g_ptr_array_index (rows, i);

      /* Top N by rank: ties at the cut stay out rather than spill over. */
      if (i < limit && (limit == rows->len || row->rank <= limit))
        json_array_add_object_element (array, row_to_json (row));
      if (!groups && row->id == viewer && !hidden)
        json_object_set_object_member (out, "you", row_to_json (row));
    }

  json_object_set_string_member (out, "scope", groups ? "group" : "individual");
  json_object_set_string_member (out, "period", week ? "week" : "all");
  json_object_set_string_member (out, "mode", teacher ? COHORT_GROUPS_BOARD_ALL : mode);
  json_object_set_boolean_member (out, "hidden", hidden);
  json_object_set_int_member (out, "total", hidden ? 0 : rows->len);
  json_object_set_array_member (out, "rows", array);
  return out;
}

static gboolean
handle_board (CohortService  *service,
              CohortRequest  *req,
              GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  g_autoptr(JsonObject) settings = NULL;
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  ClassState *cs;

  if (!(cs = begin (req)))
    return TRUE;
  if (!(settings = settings_or_default (store, cohort_connection_get_class_id (conn), error)))
    return drop_ledger (req);

  finish (req,
          board_for (cs, settings, cohort_connection_is_teacher (conn),
                     cohort_connection_get_participant_id (conn),
                     g_strcmp0 (json_object_get_string_member (body, "scope"), "group") == 0,
                     g_strcmp0 (json_object_get_string_member (body, "period"), "week") == 0,
                     now_ms ()));

  return TRUE;
}

static gboolean
handle_pk_start (CohortService  *service,
                 CohortRequest  *req,
                 GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  CohortStore *store = cohort_service_get_store (service);
  JsonObject *body = cohort_request_get_body (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  const CohortPk *pk;
  ClassState *cs;
  JsonObject *event_body;
  JsonObject *pk_body;
  JsonArray *id_array;
  gint64 pk_id;
  gint64 starts_at;

  if (!cohort_request_require_teacher (req, _("Only the teacher can start a class challenge.")) ||
      !(cs = begin (req)))
    return TRUE;

  pk = cohort_ledger_get_pk (cs->ledger);
  if (pk != NULL && !pk->stopped)
    {
      rollback_with (req, COHORT_ERROR_INVALID, NULL,
                     _("A class challenge is already running. Stop it first."));
      return TRUE;
    }

  if (!(groups = cohort_store_groups_list (store, class_id, error)))
    return drop_ledger (req);

  if (json_object_has_member (body, "group_ids") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (body, "group_ids")))
    {
      JsonArray *array = json_object_get_array_member (body, "group_ids");

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          gint64 id = json_array_get_int_element (array, i);
          gboolean dup = FALSE;

          for (guint j = 0; j < ids->len; j++)
            dup |= g_array_index (ids, gint64, j) == id;
          if (find_group (groups, id) == NULL)
            {
              rollback_with (req, COHORT_ERROR_NOT_FOUND, "group_ids",
                             _("A group of the challenge does not exist in the class."));
              return TRUE;
            }
          if (!dup)
            g_array_append_val (ids, id);
        }
    }
  else
    for (guint i = 0; i < groups->len; i++)
      g_array_append_val (ids, ((CohortGroupRecord *) g_ptr_array_index (groups, i))->id);

  if (ids->len < 2 || ids->len > COHORT_PK_MAX_GROUPS)
    {
      rollback_with (req, COHORT_ERROR_INVALID, "group_ids",
                     _("A class challenge needs 2 to 16 groups."));
      return TRUE;
    }

  if ((pk_id = cohort_store_groups_next_id (store, class_id, "pk", error)) == 0)
    return drop_ledger (req);

  starts_at = now_ms ();
  pk_body = json_object_new ();
  id_array = json_array_new ();
  for (guint i = 0; i < ids->len; i++)
    json_array_add_int_element (id_array, g_array_index (ids, gint64, i));
  json_object_set_int_member (pk_body, "id", pk_id);
  json_object_set_array_member (pk_body, "group_ids", id_array);
  json_object_set_int_member (pk_body, "starts_at", starts_at);
  json_object_set_int_member (pk_body, "ends_at",
                              starts_at + json_object_get_int_member (body, "minutes") * 60000);
  event_body = json_object_new ();
  json_object_set_object_member (event_body, "pk", json_object_ref (pk_body));
  if (!cohort_store_groups_set_state (store, class_id, "pk_score", "{}", error) ||
      !cohort_request_emit (req, class_id, COHORT_EV_GROUPS_PK_STARTED, event_body, error) ||
      !catch_up (COHORT_GROUPS_SERVICE (service), pending, class_id, TRUE, error))
    {
      json_object_unref (pk_body);
      return drop_ledger (req);
    }

  event_body = json_object_new ();
  json_object_set_object_member (event_body, "pk", pk_body);
  finish (req, event_body);

  return TRUE;
}

static gboolean
handle_pk_stop (CohortService  *service,
                CohortRequest  *req,
                GError        **error)
{
  CohortServer *server = cohort_request_get_server (req);
  CohortConnection *conn = cohort_request_get_connection (req);
  GPtrArray *pending = cohort_request_get_pending (req);
  gint64 class_id = cohort_connection_get_class_id (conn);
  const CohortPk *pk;
  ClassState *cs;

  if (!cohort_request_require_teacher (req, _("Only the teacher can stop a class challenge.")) ||
      !(cs = begin (req)))
    return TRUE;

  pk = cohort_ledger_get_pk (cs->ledger);
  if (pk != NULL && !pk->stopped &&
      (!emit_pk_ended (server, pending, class_id, cs, MAX (now_ms (), pk->starts_at), error) ||
       !catch_up (COHORT_GROUPS_SERVICE (service), pending, class_id, TRUE, error)))
    return drop_ledger (req);
  finish (req, json_object_new ());

  return TRUE;
}

/* Rebuilds every total from the event log into a fresh ledger and compares
 * it with the live one and with the stored totals. */
static gboolean
handle_recompute (CohortService  *service,
                  CohortRequest  *req,
                  GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  GPtrArray *pending = cohort_request_get_pending (req);
  g_autoptr(CohortLedger) fresh = cohort_ledger_new ();
  g_autoptr(GPtrArray) totals = NULL;
  g_autofree char *diff = NULL;
  CohortStore *store = cohort_service_get_store (service);
  gint64 class_id = cohort_connection_get_class_id (conn);
  guint n_events = 0;
  gboolean stored_equal = TRUE;
  ClassState *cs;
  JsonObject *reply;
  JsonArray *array;

  if (!cohort_request_require_teacher (req, _("Only the teacher can recompute the points.")) ||
      !(cs = begin (req)))
    return TRUE;

  if (!catch_up (COHORT_GROUPS_SERVICE (service), pending, class_id, TRUE, error) ||
      !fold_log (store, class_id, fresh, &n_events, error) ||
      !(totals = cohort_store_groups_list_totals (store, class_id, error)))
    return drop_ledger (req);

  /* The derived events catch_up just logged are folded by the fresh ledger
   * too; fold them into the live one so both stand at the same seq. */
  if (!class_state (COHORT_GROUPS_SERVICE (service), class_id, error))
    return drop_ledger (req);
  diff = cohort_ledger_diff (cs->ledger, fresh);

  array = json_array_new ();
  for (guint i = 0; i < totals->len; i++)
    {
      CohortGroupsTotalRecord *t = g_ptr_array_index (totals, i);
      JsonObject *o = json_object_new ();
      gint64 points = cohort_ledger_points (fresh, t->participant_id, 0);

      stored_equal &= points == t->points_all;
      json_object_set_int_member (o, "participant_id", t->participant_id);
      json_object_set_int_member (o, "points_all", points);
      json_object_set_int_member (o, "stored_points_all", t->points_all);
      json_object_set_int_member (o, "streak", cohort_ledger_get_streak (fresh, t->participant_id)->length);
      json_array_add_object_element (array, o);
    }

  reply = json_object_new ();
  json_object_set_boolean_member (reply, "equal", diff == NULL && stored_equal);
  json_object_set_boolean_member (reply, "live_equal", diff == NULL);
  json_object_set_boolean_member (reply, "stored_equal", stored_equal);
  if (diff != NULL)
    json_object_set_string_member (reply, "difference", diff);
  json_object_set_int_member (reply, "events", n_events);
  json_object_set_int_member (reply, "entries", cohort_ledger_get_entries (fresh)->len);
  json_object_set_int_member (reply, "badges", cohort_ledger_get_badges (fresh)->len);
  json_object_set_array_member (reply, "totals", array);
  finish (req, reply);

  return TRUE;
}

/* ---- welcome: the feature's state in join and snapshot replies ---- */

/* The groups state @conn may see (the "groups" member of a welcome, and
 * the groups.sync reply); NULL on a store error. */
static JsonObject *
state_for (CohortGroupsService  *self,
           CohortConnection     *conn,
           GError              **error)
{
  CohortServer *server = self->server;
  g_autoptr(GPtrArray) groups = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) checkins = NULL;
  g_autoptr(GPtrArray) reactions = NULL;
  g_autoptr(GPtrArray) badges = NULL;
  g_autoptr(GPtrArray) totals = NULL;
  g_autoptr(JsonObject) settings = NULL;
  g_autoptr(GHashTable) visible = g_hash_table_new (g_int64_hash, g_int64_equal);
  CohortStore *store = _cohort_server_get_store (server);
  gint64 class_id = cohort_connection_get_class_id (conn);
  gint64 pid = cohort_connection_get_participant_id (conn);
  gboolean teacher = cohort_connection_is_teacher (conn);
  gint64 now = now_ms ();
  gint64 my_group;
  JsonObject *out;
  JsonArray *array;
  ClassState *cs;
  JsonObject *pk;

  if (!(cs = class_state (self, class_id, error)) ||
      !(groups = cohort_store_groups_list (store, class_id, error)) ||
      !(members = cohort_store_groups_list_members (store, class_id, error)) ||
      !(checkins = cohort_store_groups_list_checkins (store, class_id, now - WELCOME_CHECKINS_MS, error)) ||
      !(reactions = cohort_store_groups_list_reactions (store, class_id, now - WELCOME_CHECKINS_MS, error)) ||
      !(badges = cohort_store_groups_list_badges (store, class_id, teacher ? 0 : pid, error)) ||
      !(totals = cohort_store_groups_list_totals (store, class_id, error)) ||
      !(settings = settings_or_default (store, class_id, error)))
    return NULL;
  my_group = member_group (members, pid);

  out = json_object_new ();
  json_object_set_object_member (out, "settings", json_object_ref (settings));

  array = json_array_new ();
  for (guint i = 0; i < groups->len; i++)
    json_array_add_object_element (array, group_to_json (g_ptr_array_index (groups, i)));
  json_object_set_array_member (out, "groups", array);

  array = json_array_new ();
  for (guint i = 0; i < members->len; i++)
    {
      CohortGroupMemberRecord *m = g_ptr_array_index (members, i);
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "participant_id", m->participant_id);
      json_object_set_int_member (o, "group_id", m->group_id);
      json_array_add_object_element (array, o);
    }
  json_object_set_array_member (out, "members", array);

  /* Check-ins this participant may see: their own, their group's; the
   * teacher's: all. */
  array = json_array_new ();
  for (guint i = 0; i < checkins->len; i++)
    {
      CohortCheckinRecord *c = g_ptr_array_index (checkins, i);

      if (teacher || c->participant_id == pid || (my_group != 0 && c->group_id == my_group &&
                                                  member_group (members, c->participant_id) == my_group))
        {
          json_array_add_object_element (array, checkin_to_json (c));
          g_hash_table_add (visible, &c->id);
        }
    }
  json_object_set_array_member (out, "checkins", array);

  array = json_array_new ();
  for (guint i = 0; i < reactions->len; i++)
    {
      CohortCheckinReactionRecord *r = g_ptr_array_index (reactions, i);
      JsonObject *o;

      if (!g_hash_table_contains (visible, &r->checkin_id))
        continue;
      o = json_object_new ();
      json_object_set_int_member (o, "checkin_id", r->checkin_id);
      json_object_set_int_member (o, "participant_id", r->participant_id);
      json_object_set_string_member (o, "reaction", r->reaction);
      json_array_add_object_element (array, o);
    }
  json_object_set_array_member (out, "reactions", array);

  array = json_array_new ();
  for (guint i = 0; i < badges->len; i++)
    {
      CohortBadgeRecord *b = g_ptr_array_index (badges, i);
      JsonObject *o = json_object_new ();

      json_object_set_int_member (o, "participant_id", b->participant_id);
      json_object_set_string_member (o, "badge", b->badge);
      json_object_set_string_member (o, "detail", b->detail);
      json_object_set_int_member (o, "earned_at", b->earned_at);
      json_array_add_object_element (array, o);
    }
  json_object_set_array_member (out, "badges", array);

  /* Only the participant's own progress. */
  for (guint i = 0; !teacher && i < totals->len; i++)
    {
      CohortGroupsTotalRecord *t = g_ptr_array_index (totals, i);
      g_autoptr(JsonObject) progress = NULL;

      if (t->participant_id == pid && (progress = object_from_string (t->progress)) != NULL)
        json_object_set_object_member (out, "progress", g_steal_pointer (&progress));
    }

  array = standings_json (store, class_id, cs, now, NULL);
  if (array != NULL)
    json_object_set_array_member (out, "standings", array);

  pk = pk_json (cs);
  if (pk != NULL)
    json_object_set_object_member (out, "pk", pk);
  else
    json_object_set_null_member (out, "pk");

  return out;
}

static void
cohort_groups_service_welcome (CohortService    *service,
                               CohortConnection *conn,
                               JsonObject       *body)
{
  CohortGroupsService *self = COHORT_GROUPS_SERVICE (service);
  g_autoptr(GError) error = NULL;
  JsonObject *out = state_for (self, conn, &error);

  if (out == NULL)
    {
      g_warning ("Could not add the groups state to a welcome: %s", error->message);
      forget_class (self, cohort_connection_get_class_id (conn));
      return;
    }
  json_object_set_object_member (body, "groups", out);
}

/* groups.sync: the welcome's state again, for a model made after the join.
 * "seq" is the class's last seq when the state was read, so a client can
 * tell a reply replayed after a reconnect (older than what it applied). */
static gboolean
handle_sync (CohortService  *service,
             CohortRequest  *req,
             GError        **error)
{
  CohortConnection *conn = cohort_request_get_connection (req);
  CohortStore *store = cohort_service_get_store (service);
  gint64 class_id = cohort_connection_get_class_id (conn);
  JsonObject *state;
  JsonObject *reply;
  gint64 seq;

  if (!begin (req))
    return TRUE;
  seq = cohort_store_get_last_seq (store, class_id, error);
  if (*error != NULL || !(state = state_for (COHORT_GROUPS_SERVICE (service), conn, error)))
    return drop_ledger (req);

  reply = json_object_new ();
  json_object_set_int_member (reply, "seq", seq);
  json_object_set_object_member (reply, "groups", state);
  finish (req, reply);

  return TRUE;
}

/* Who may read and write a group's chat channel: its members. NULL when
 * the class has no such group. */
GArray *
cohort_groups_service_resolve_members (CohortServer *server,
                       gint64        class_id,
                       gint64        group_id,
                       gpointer      user_data)
{
  CohortStore *store = _cohort_server_get_store (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) groups = cohort_store_groups_list (store, class_id, &error);
  g_autoptr(GPtrArray) members = NULL;
  GArray *ids;
  gboolean found = FALSE;

  for (guint i = 0; groups != NULL && i < groups->len; i++)
    found |= ((CohortGroupRecord *) g_ptr_array_index (groups, i))->id == group_id;
  if (!found)
    return NULL;

  if (!(members = cohort_store_groups_list_members (store, class_id, &error)))
    {
      g_warning ("Could not read the members of group %" G_GINT64_FORMAT ": %s", group_id,
                 error ? error->message : "unknown");
      return NULL;
    }

  ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < members->len; i++)
    {
      CohortGroupMemberRecord *m = g_ptr_array_index (members, i);

      if (m->group_id == group_id)
        g_array_append_val (ids, m->participant_id);
    }
  return ids;
}

CohortGroupsService *
cohort_groups_service_new (CohortServer *server)
{
  CohortGroupsService *self = g_object_new (COHORT_TYPE_GROUPS_SERVICE, "server", server, NULL);

  self->server = server;

  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_CREATE, handle_create);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_ASSIGN, handle_assign);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_BALANCE, handle_balance);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_PICK, handle_pick);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_SETTINGS, handle_settings);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_CHECK_IN, handle_check_in);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_REACT, handle_react);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_STAR, handle_star);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_BOARD, handle_board);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_PK_START, handle_pk_start);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_PK_STOP, handle_pk_stop);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_RECOMPUTE, handle_recompute);
  cohort_service_add_handler (COHORT_SERVICE (self), COHORT_REQ_GROUPS_SYNC, handle_sync);

  self->tick_source = g_timeout_add (TICK_MS, tick, self);
  return self;
}

gint64
cohort_groups_service_points_since (CohortServer *server,
                                    gint64        class_id,
                                    gint64        participant_id,
                                    gint64        since_ts,
                                    gpointer      user_data)
{
  CohortGroupsService *self = COHORT_GROUPS_SERVICE (user_data);
  g_autoptr(GError) error = NULL;
  ClassState *cs = class_state (self, class_id, &error);

  if (cs == NULL)
    {
      g_warning ("Could not read the points of class %" G_GINT64_FORMAT ": %s", class_id,
                 error ? error->message : "unknown");
      return -1;
    }
  return cohort_ledger_points (cs->ledger, participant_id, since_ts);
}

JsonObject *
cohort_groups_service_progress (CohortServer *server,
                                gint64        class_id,
                                gint64        participant_id,
                                gpointer      user_data)
{
  CohortGroupsService *self = COHORT_GROUPS_SERVICE (user_data);
  g_autoptr(GError) error = NULL;
  ClassState *cs = class_state (self, class_id, &error);
  gint64 now = now_ms ();

  if (cs == NULL)
    {
      g_warning ("Could not read the progress in class %" G_GINT64_FORMAT ": %s", class_id,
                 error ? error->message : "unknown");
      return NULL;
    }
  /* The same figures as the groups.progress event the student gets live. */
  return progress_for (cs, participant_id,
                       cohort_ledger_points (cs->ledger, participant_id,
                                             cohort_ledger_week_start (cs->ledger, now)),
                       cohort_ledger_points (cs->ledger, participant_id, 0), now);
}

/* cohort-roster.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-roster"

#include "config.h"

#include "cohort-array-model-private.h"
#include "cohort-roster-hand-queue.h"
#include "cohort-protocol.h"
#include "cohort-identity-protocol.h"
#include "cohort-media-protocol.h"
#include "cohort-roster.h"

struct _CohortRoster
{
  GObject          parent_instance;

  /* CohortParticipant*, the teacher first, then students by id (the server
   * hands out ids in join order). */
  GPtrArray       *items;
  CohortHandQueue *hands;
  gint64           self_id;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortRoster, cohort_roster, G_TYPE_OBJECT,
                               _cohort_array_model_implement (g_define_type_id, COHORT_TYPE_PARTICIPANT,
                                                              G_STRUCT_OFFSET (CohortRoster, items)))

enum {
  PROP_0,
  PROP_N_ITEMS,
  PROP_N_ONLINE,
  PROP_HANDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
compare_participants (CohortParticipant *a,
                      CohortParticipant *b)
{
  CohortRole ra = cohort_participant_get_role (a);
  CohortRole rb = cohort_participant_get_role (b);
  gint64 ia, ib;

  if (ra != rb)
    return ra == COHORT_ROLE_TEACHER ? -1 : 1;

  ia = cohort_participant_get_id (a);
  ib = cohort_participant_get_id (b);
  return ia < ib ? -1 : ia > ib;
}

static void
on_online_changed (CohortParticipant *participant,
                   GParamSpec        *pspec,
                   CohortRoster      *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ONLINE]);
}

static void
cohort_roster_track (CohortRoster      *self,
                     CohortParticipant *participant)
{
  cohort_participant_set_is_self (participant,
                                  self->self_id > 0 &&
                                  cohort_participant_get_id (participant) == self->self_id);
  g_signal_connect_object (participant, "notify::online",
                           G_CALLBACK (on_online_changed), self, 0);
  cohort_hand_queue_watch (self->hands, participant);
}

static void
cohort_roster_untrack (gpointer data,
                       gpointer user_data)
{
  CohortRoster *self = user_data;

  g_signal_handlers_disconnect_by_func (data, on_online_changed, self);
}

static void
cohort_roster_dispose (GObject *object)
{
  CohortRoster *self = (CohortRoster *)object;

  if (self->items != NULL)
    {
      g_ptr_array_foreach (self->items, cohort_roster_untrack, self);
      g_ptr_array_set_size (self->items, 0);
    }
  g_clear_object (&self->hands);

  G_OBJECT_CLASS (cohort_roster_parent_class)->dispose (object);
}

static void
cohort_roster_finalize (GObject *object)
{
  CohortRoster *self = (CohortRoster *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (cohort_roster_parent_class)->finalize (object);
}

static void
cohort_roster_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CohortRoster *self = COHORT_ROSTER (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;

    case PROP_N_ONLINE:
      g_value_set_uint (value, cohort_roster_get_n_online (self));
      break;

    case PROP_HANDS:
      g_value_set_object (value, self->hands);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_roster_class_init (CohortRosterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_roster_dispose;
  object_class->finalize = cohort_roster_finalize;
  object_class->get_property = cohort_roster_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ONLINE] =
    g_param_spec_uint ("n-online", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HANDS] =
    g_param_spec_object ("hands", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_roster_init (CohortRoster *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->hands = cohort_hand_queue_new ();
}

CohortRoster *
cohort_roster_new (void)
{
  return g_object_new (COHORT_TYPE_ROSTER, NULL);
}

static guint
find_insert_position (CohortRoster      *self,
                      CohortParticipant *participant)
{
  guint lo = 0;
  guint hi = self->items->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (compare_participants (g_ptr_array_index (self->items, mid), participant) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

void
cohort_roster_reset (CohortRoster *self,
                     JsonArray    *participants,
                     gint64        self_id)
{
  g_autoptr(GPtrArray) old_items = NULL;
  guint n_old;
  guint n_participants;

  g_return_if_fail (COHORT_IS_ROSTER (self));

  self->self_id = self_id;

  cohort_hand_queue_clear (self->hands);
  g_ptr_array_foreach (self->items, cohort_roster_untrack, self);
  old_items = g_steal_pointer (&self->items);
  n_old = old_items->len;
  self->items = g_ptr_array_new_with_free_func (g_object_unref);

  n_participants = participants != NULL ? json_array_get_length (participants) : 0;
  for (guint i = 0; i < n_participants; i++)
    {
      JsonNode *node = json_array_get_element (participants, i);
      g_autoptr(CohortParticipant) participant = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          !(participant = cohort_participant_new_from_json (json_node_get_object (node))))
        {
          g_debug ("Ignoring a malformed participant in a snapshot");
          continue;
        }

      if (cohort_roster_lookup (self, cohort_participant_get_id (participant)) != NULL)
        {
          g_debug ("Ignoring a duplicate participant in a snapshot");
          continue;
        }

      g_ptr_array_insert (self->items,
                          find_insert_position (self, participant),
                          g_object_ref (participant));
    }

  for (guint i = 0; i < self->items->len; i++)
    cohort_roster_track (self, g_ptr_array_index (self->items, i));

  if (n_old > 0 || self->items->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, self->items->len);
  if (n_old != self->items->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ONLINE]);
}

static gboolean
get_id (JsonObject *body,
        const char *member,
        gint64     *out)
{
  JsonNode *node = json_object_get_member (body, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *out = json_node_get_int (node);
  return *out >= 1 && *out <= COHORT_MAX_SAFE_INT;
}

static gboolean
apply_joined (CohortRoster *self,
              JsonObject   *body)
{
  g_autoptr(CohortParticipant) participant = NULL;
  CohortParticipant *existing;
  JsonNode *node;
  guint position;

  node = json_object_get_member (body, "participant");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;

  participant = cohort_participant_new_from_json (json_node_get_object (node));
  if (participant == NULL)
    return FALSE;

  /* A teacher signing in from another device is the same participant. */
  existing = cohort_roster_lookup (self, cohort_participant_get_id (participant));
  if (existing != NULL)
    {
      cohort_participant_set_online (existing, cohort_participant_get_online (participant));
      cohort_participant_set_hand_raised_at (existing,
                                             cohort_participant_get_hand_raised_at (participant));
      /* identity: admitted from the waiting room. */
      cohort_participant_set_waiting (existing, cohort_participant_get_waiting (participant));
      return TRUE;
    }

  position = find_insert_position (self, participant);
  g_ptr_array_insert (self->items, position, g_object_ref (participant));
  cohort_roster_track (self, participant);

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  if (cohort_participant_get_online (participant))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ONLINE]);

  return TRUE;
}

static gboolean
apply_presence (CohortRoster *self,
                JsonObject   *body)
{
  CohortParticipant *participant;
  JsonNode *node;
  gint64 id;

  node = json_object_get_member (body, "online");
  if (!get_id (body, "participant_id", &id) ||
      node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;

  if (!(participant = cohort_roster_lookup (self, id)))
    return FALSE;

  cohort_participant_set_online (participant, json_node_get_boolean (node));
  /* A link report ends with the connection that made it: a student who
   * comes back reports again. */
  if (!json_node_get_boolean (node))
    cohort_participant_set_connection_quality (participant, COHORT_CONNECTION_QUALITY_GOOD);
  return TRUE;
}

/* media: a student's own link estimate, which only the teacher hears. */
static gboolean
apply_link_quality (CohortRoster *self,
                    JsonObject   *body)
{
  static const char * const levels[] = {
    [COHORT_CONNECTION_QUALITY_GOOD] = COHORT_MEDIA_QUALITY_GOOD,
    [COHORT_CONNECTION_QUALITY_FAIR] = COHORT_MEDIA_QUALITY_FAIR,
    [COHORT_CONNECTION_QUALITY_POOR] = COHORT_MEDIA_QUALITY_POOR,
  };
  CohortParticipant *participant;
  JsonNode *node;
  const char *level;
  gint64 id;

  node = json_object_get_member (body, "level");
  if (!get_id (body, "participant_id", &id) ||
      node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  if (!(participant = cohort_roster_lookup (self, id)))
    return FALSE;

  level = json_node_get_string (node);
  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_str_equal (level, levels[i]))
      {
        cohort_participant_set_connection_quality (participant, i);
        return TRUE;
      }
  return FALSE;
}

/* media: the teacher keeps a student muted (media.muted_by_teacher with
 * keep_muted; without it, a mute the student may lift, which changes
 * nothing here) or lets them unmute (media.unmute_allowed). */
static gboolean
apply_kept_muted (CohortRoster *self,
                  JsonObject   *body,
                  gboolean      kept)
{
  CohortParticipant *participant;
  gint64 id;

  if (!get_id (body, "participant_id", &id) || !(participant = cohort_roster_lookup (self, id)))
    return FALSE;

  if (!kept || json_object_get_boolean_member_with_default (body, "keep_muted", FALSE))
    cohort_participant_set_kept_muted (participant, kept);
  return TRUE;
}

static gboolean
apply_raised (CohortRoster *self,
              JsonObject   *body)
{
  CohortParticipant *participant;
  gint64 id;
  gint64 raised_at;

  if (!get_id (body, "participant_id", &id) || !get_id (body, "raised_at", &raised_at))
    return FALSE;

  if (!(participant = cohort_roster_lookup (self, id)))
    return FALSE;

  cohort_participant_set_hand_raised_at (participant, raised_at);
  return TRUE;
}

static gboolean
apply_lowered (CohortRoster *self,
               JsonObject   *body)
{
  CohortParticipant *participant;
  gint64 id;

  if (!get_id (body, "participant_id", &id))
    return FALSE;

  if (!(participant = cohort_roster_lookup (self, id)))
    return FALSE;

  cohort_participant_set_hand_raised_at (participant, 0);
  return TRUE;
}

static gboolean
apply_lowered_all (CohortRoster *self,
                   JsonObject   *body)
{
  JsonNode *node;
  JsonArray *ids;
  guint n_ids;

  node = json_object_get_member (body, "participant_ids");
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  ids = json_node_get_array (node);
  n_ids = json_array_get_length (ids);

  /* Validate everything before changing anything, so a bad event is not
   * half applied. */
  for (guint i = 0; i < n_ids; i++)
    {
      JsonNode *element = json_array_get_element (ids, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_INT64)
        return FALSE;
    }

  for (guint i = 0; i < n_ids; i++)
    {
      CohortParticipant *participant;

      participant = cohort_roster_lookup (self, json_array_get_int_element (ids, i));
      if (participant != NULL)
        cohort_participant_set_hand_raised_at (participant, 0);
    }

  return TRUE;
}

/* identity: a removed (or denied) participant leaves the roster. */
static gboolean
apply_removed (CohortRoster *self,
               JsonObject   *body)
{
  gint64 id;

  if (!get_id (body, "participant_id", &id))
    return FALSE;

  for (guint i = 0; i < self->items->len; i++)
    {
      CohortParticipant *participant = g_ptr_array_index (self->items, i);

      if (cohort_participant_get_id (participant) != id)
        continue;

      cohort_hand_queue_unwatch (self->hands, participant);
      cohort_roster_untrack (participant, self);
      g_ptr_array_remove_index (self->items, i);
      g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ONLINE]);
      return TRUE;
    }
  return FALSE;
}

gboolean
cohort_roster_apply_event (CohortRoster *self,
                           const char   *event,
                           JsonObject   *body)
{
  g_return_val_if_fail (COHORT_IS_ROSTER (self), FALSE);

  if (event == NULL || body == NULL)
    return FALSE;

  /* identity: a waiting participant is an item too, with "waiting" set. */
  if (g_str_equal (event, COHORT_EV_PARTICIPANT_JOINED) ||
      g_str_equal (event, COHORT_EV_PARTICIPANT_WAITING))
    return apply_joined (self, body);
  /* A waiter who went away leaves the list; they come back with
   * participant.waiting if they wait again. */
  else if (g_str_equal (event, COHORT_EV_PARTICIPANT_REMOVED) ||
           g_str_equal (event, COHORT_EV_WAITING_LEFT))
    return apply_removed (self, body);
  else if (g_str_equal (event, COHORT_EV_PARTICIPANT_PRESENCE))
    return apply_presence (self, body);
  else if (g_str_equal (event, COHORT_EV_HAND_RAISED))
    return apply_raised (self, body);
  else if (g_str_equal (event, COHORT_EV_HAND_LOWERED))
    return apply_lowered (self, body);
  else if (g_str_equal (event, COHORT_EV_HAND_LOWERED_ALL))
    return apply_lowered_all (self, body);
  else if (g_str_equal (event, COHORT_EV_MEDIA_LINK_QUALITY))
    return apply_link_quality (self, body);
  else if (g_str_equal (event, COHORT_EV_MEDIA_MUTED_BY_TEACHER))
    return apply_kept_muted (self, body, TRUE);
  else if (g_str_equal (event, COHORT_EV_MEDIA_UNMUTE_ALLOWED))
    return apply_kept_muted (self, body, FALSE);

  return FALSE;
}

CohortParticipant *
cohort_roster_lookup (CohortRoster *self,
                      gint64        id)
{
  g_return_val_if_fail (COHORT_IS_ROSTER (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      CohortParticipant *participant = g_ptr_array_index (self->items, i);

      if (cohort_participant_get_id (participant) == id)
        return participant;
    }

  return NULL;
}

GListModel *
cohort_roster_get_hands (CohortRoster *self)
{
  g_return_val_if_fail (COHORT_IS_ROSTER (self), NULL);

  return G_LIST_MODEL (self->hands);
}

guint
cohort_roster_get_n_online (CohortRoster *self)
{
  guint n = 0;

  g_return_val_if_fail (COHORT_IS_ROSTER (self), 0);

  for (guint i = 0; i < self->items->len; i++)
    if (cohort_participant_get_online (g_ptr_array_index (self->items, i)))
      n++;

  return n;
}

gint64
cohort_roster_get_self_id (CohortRoster *self)
{
  g_return_val_if_fail (COHORT_IS_ROSTER (self), 0);

  return self->self_id;
}

/* cohort-participant.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-participant"

#include "config.h"

#include "cohort-enums.h"
#include "cohort-participant.h"
#include "cohort-protocol.h"

struct _CohortParticipant
{
  GObject     parent_instance;

  gint64      id;
  char       *name;
  CohortRole  role;
  CohortConnectionQuality connection_quality;
  gint64      hand_raised_at;
  guint       online : 1;
  guint       is_self : 1;
  guint       waiting : 1;
  guint       kept_muted : 1;
};

G_DEFINE_FINAL_TYPE (CohortParticipant, cohort_participant, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_ROLE,
  PROP_ONLINE,
  PROP_HAND_RAISED,
  PROP_HAND_RAISED_AT,
  PROP_IS_SELF,
  PROP_WAITING,
  PROP_CONNECTION_QUALITY,
  PROP_KEPT_MUTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_participant_finalize (GObject *object)
{
  CohortParticipant *self = (CohortParticipant *)object;

  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (cohort_participant_parent_class)->finalize (object);
}

static void
cohort_participant_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  CohortParticipant *self = COHORT_PARTICIPANT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ROLE:
      g_value_set_enum (value, self->role);
      break;

    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;

    case PROP_HAND_RAISED:
      g_value_set_boolean (value, cohort_participant_get_hand_raised (self));
      break;

    case PROP_HAND_RAISED_AT:
      g_value_set_int64 (value, self->hand_raised_at);
      break;

    case PROP_IS_SELF:
      g_value_set_boolean (value, self->is_self);
      break;

    case PROP_WAITING:
      g_value_set_boolean (value, self->waiting);
      break;

    case PROP_CONNECTION_QUALITY:
      g_value_set_enum (value, self->connection_quality);
      break;

    case PROP_KEPT_MUTED:
      g_value_set_boolean (value, self->kept_muted);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_participant_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  CohortParticipant *self = COHORT_PARTICIPANT (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;

    case PROP_NAME:
      g_free (self->name);
      self->name = g_value_dup_string (value);
      break;

    case PROP_ROLE:
      self->role = g_value_get_enum (value);
      break;

    case PROP_ONLINE:
      cohort_participant_set_online (self, g_value_get_boolean (value));
      break;

    case PROP_HAND_RAISED_AT:
      cohort_participant_set_hand_raised_at (self, g_value_get_int64 (value));
      break;

    case PROP_IS_SELF:
      cohort_participant_set_is_self (self, g_value_get_boolean (value));
      break;

    case PROP_WAITING:
      cohort_participant_set_waiting (self, g_value_get_boolean (value));
      break;

    case PROP_CONNECTION_QUALITY:
      cohort_participant_set_connection_quality (self, g_value_get_enum (value));
      break;

    case PROP_KEPT_MUTED:
      cohort_participant_set_kept_muted (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_participant_class_init (CohortParticipantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cohort_participant_finalize;
  object_class->get_property = cohort_participant_get_property;
  object_class->set_property = cohort_participant_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL,
                        0, COHORT_MAX_SAFE_INT, 0,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL,
                       COHORT_TYPE_ROLE, COHORT_ROLE_STUDENT,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HAND_RAISED] =
    g_param_spec_boolean ("hand-raised", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_HAND_RAISED_AT] =
    g_param_spec_int64 ("hand-raised-at", NULL, NULL,
                        0, G_MAXINT64, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_IS_SELF] =
    g_param_spec_boolean ("is-self", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* identity: in the class's waiting room (only the teacher sees these). */
  properties[PROP_WAITING] =
    g_param_spec_boolean ("waiting", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* media: the student's last link report (the teacher's People page). */
  properties[PROP_CONNECTION_QUALITY] =
    g_param_spec_enum ("connection-quality", NULL, NULL,
                       COHORT_TYPE_CONNECTION_QUALITY, COHORT_CONNECTION_QUALITY_GOOD,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* media: the teacher keeps this student's microphone muted
   * (media.muted_by_teacher with keep_muted, until media.unmute_allowed). */
  properties[PROP_KEPT_MUTED] =
    g_param_spec_boolean ("kept-muted", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_participant_init (CohortParticipant *self)
{
}

static gboolean
get_int (JsonObject *object,
         const char *member,
         gint64      min,
         gint64     *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  *out = json_node_get_int (node);
  return *out >= min && *out <= COHORT_MAX_SAFE_INT;
}

/* The network is untrusted: anything malformed gives NULL, never a crash. */
CohortParticipant *
cohort_participant_new_from_json (JsonObject *object)
{
  JsonNode *node;
  const char *name;
  const char *role;
  gint64 id = 0;
  gint64 raised_at = 0;
  gboolean online = FALSE;

  if (object == NULL)
    return NULL;

  if (!get_int (object, "id", 1, &id))
    return NULL;

  node = json_object_get_member (object, "name");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  name = json_node_get_string (node);
  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return NULL;

  node = json_object_get_member (object, "role");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  role = json_node_get_string (node);
  if (g_strcmp0 (role, "teacher") != 0 && g_strcmp0 (role, "student") != 0)
    return NULL;

  node = json_object_get_member (object, "online");
  if (node != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return NULL;
      online = json_node_get_boolean (node);
    }

  node = json_object_get_member (object, "hand_raised_at");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node) &&
      !get_int (object, "hand_raised_at", 1, &raised_at))
    return NULL;

  return g_object_new (COHORT_TYPE_PARTICIPANT,
                       "id", id,
                       "name", name,
                       "role", g_str_equal (role, "teacher") ? COHORT_ROLE_TEACHER : COHORT_ROLE_STUDENT,
                       "online", online,
                       "hand-raised-at", raised_at,
                       "waiting", g_strcmp0 (json_object_get_string_member_with_default (object, "admission", NULL),
                                             "waiting") == 0,
                       NULL);
}

gint64
cohort_participant_get_id (CohortParticipant *self)
{
  g_return_val_if_fail (COHORT_IS_PARTICIPANT (self), 0);

  return self->id;
}

const char *
cohort_participant_get_name (CohortParticipant *self)
{
  g_return_val_if_fail (COHORT_IS_PARTICIPANT (self), NULL);

  return self->name;
}

CohortRole
cohort_participant_get_role (CohortParticipant *self)
{
  g_return_val_if_fail (COHORT_IS_PARTICIPANT (self), COHORT_ROLE_STUDENT);

  return self->role;
}

gboolean
cohort_participant_get_online (CohortParticipant *self)
{
  g_return_val_if_fail (COHORT_IS_PARTICIPANT (self), FALSE);

  return self->online;
}

void
cohort_participant_set_online (CohortParticipant *self,
                               gboolean           online)
{
  g_return_if_fail (COHORT_IS_PARTICIPANT (self));

  online = !!online;
  if (self->online == online)
    return;

  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

gint64
cohort_participant_get_hand_raised_at (CohortParticipant *self)
{
  g_return_val_if_fail (COHORT_IS_PARTICIPANT (self), 0);

  return self->hand_raised_at;
}

void
cohort_participant_set_hand_raised_at (CohortParticipant *self,
                                       gint64             raised_at)
{
  gboolean was_raised;

  g_return_if_fail (COHORT_IS_PARTICIPANT (self));

  raised_at = MAX (raised_at, 0);
  if (self->hand_raised_at == raised_at)
    return;

  was_raised = self->hand_raised_at > 0;
  self->hand_raised_at = raised_at;

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAND_RAISED_AT]);
  if (was_raised != (raised_at > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAND_RAISED]);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
cohort_participant_get_hand_raised (CohortParticipant *self)
{
  g_return_val_if_fail (COHORT_IS_PARTICIPANT (self), FALSE);

  return self->hand_raised_at > 0;
}

gboolean
cohort_participant_get_is_self (CohortParticipant *self)
{
  g_return_val_if_fail (COHORT_IS_PARTICIPANT (self), FALSE);

  return self->is_self;
}

void
cohort_participant_set_is_self (CohortParticipant *self,
                                gboolean           is_self)
{
  g_return_if_fail (COHORT_IS_PARTICIPANT (self));

  is_self = !!is_self;
  if (self->is_self == is_self)
    return;

  self->is_self = is_self;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_SELF]);
}

gboolean
cohort_participant_get_waiting (CohortParticipant *self)
{
  g_return_val_if_fail (COHORT_IS_PARTICIPANT (self), FALSE);

  return self->waiting;
}

void
cohort_participant_set_waiting (CohortParticipant *self,
                                gboolean           waiting)
{
  g_return_if_fail (COHORT_IS_PARTICIPANT (self));

  waiting = !!waiting;
  if (self->waiting == waiting)
    return;

  self->waiting = waiting;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
}

CohortConnectionQuality
cohort_participant_get_connection_quality (CohortParticipant *self)
{
  g_return_val_if_fail (COHORT_IS_PARTICIPANT (self), COHORT_CONNECTION_QUALITY_GOOD);

  return self->connection_quality;
}

void
cohort_participant_set_connection_quality (CohortParticipant       *self,
                                           CohortConnectionQuality  quality)
{
  g_return_if_fail (COHORT_IS_PARTICIPANT (self));
  g_return_if_fail (quality <= COHORT_CONNECTION_QUALITY_POOR);

  if (self->connection_quality == quality)
    return;

  self->connection_quality = quality;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION_QUALITY]);
}

gboolean
cohort_participant_get_kept_muted (CohortParticipant *self)
{
  g_return_val_if_fail (COHORT_IS_PARTICIPANT (self), FALSE);

  return self->kept_muted;
}

void
cohort_participant_set_kept_muted (CohortParticipant *self,
                                   gboolean           kept_muted)
{
  g_return_if_fail (COHORT_IS_PARTICIPANT (self));

  kept_muted = !!kept_muted;
  if (self->kept_muted == kept_muted)
    return;

  self->kept_muted = kept_muted;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEPT_MUTED]);
}

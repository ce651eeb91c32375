/* cohort-group-member.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-group-member"

#include "config.h"

#include "cohort-groups-protocol.h"
#include "cohort-groups-private.h"
#include "cohort-notify-private.h"

#define N_REACTIONS 4

typedef struct
{
  gint64 participant_id;
  guint  reaction;
} Reaction;

struct _CohortGroupMember
{
  GObject   parent_instance;

  gint64    participant_id;
  char     *name;
  gint64    group_id;
  gint64    viewer_id;

  gint64    checkin_id;
  char     *note;
  gint64    minutes;
  char     *day;
  char     *tz;
  gint64    checkin_at;
  gboolean  checked_in_today;
  GArray   *reactions;        /* Reaction, for checkin_id */
};

G_DEFINE_FINAL_TYPE (CohortGroupMember, cohort_group_member, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PARTICIPANT_ID,
  PROP_NAME,
  PROP_GROUP_ID,
  PROP_IS_SELF,
  PROP_CHECKIN_ID,
  PROP_NOTE,
  PROP_MINUTES,
  PROP_DAY,
  PROP_TZ,
  PROP_CHECKIN_AT,
  PROP_CHECKED_IN_TODAY,
  PROP_N_CLAP,
  PROP_N_FIRE,
  PROP_N_HEART,
  PROP_N_IDEA,
  PROP_MY_REACTIONS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static int
reaction_index (const char *reaction)
{
  for (int i = 0; reaction != NULL && cohort_groups_reactions[i] != NULL; i++)
    if (g_str_equal (cohort_groups_reactions[i], reaction))
      return i;
  return -1;
}

CohortGroupMember *
_cohort_group_member_new (gint64      participant_id,
                          const char *name,
                          gint64      viewer_id)
{
  CohortGroupMember *self = g_object_new (COHORT_TYPE_GROUP_MEMBER, NULL);

  self->participant_id = participant_id;
  self->viewer_id = viewer_id;
  self->name = g_strdup (name ? name : "");
  return self;
}

void
_cohort_group_member_set_name (CohortGroupMember *self,
                               const char        *name)
{
  g_return_if_fail (COHORT_IS_GROUP_MEMBER (self));
  _cohort_set_text (self, &self->name, name, properties[PROP_NAME]);
}

void
_cohort_group_member_set_group_id (CohortGroupMember *self,
                                   gint64             group_id)
{
  g_return_if_fail (COHORT_IS_GROUP_MEMBER (self));
  _cohort_set_int64 (self, &self->group_id, group_id, properties[PROP_GROUP_ID]);
}

static void
notify_reactions (CohortGroupMember *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CLAP]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_FIRE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_HEART]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IDEA]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MY_REACTIONS]);
}

gboolean
_cohort_group_member_set_checkin (CohortGroupMember *self,
                                  JsonObject        *checkin)
{
  gint64 id, at;

  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), FALSE);

  id = json_object_get_int_member_with_default (checkin, "id", 0);
  at = json_object_get_int_member_with_default (checkin, "at", 0);
  if (id <= 0 || id == self->checkin_id || at < self->checkin_at)
    return FALSE;

  g_object_freeze_notify (G_OBJECT (self));
  _cohort_set_int64 (self, &self->checkin_id, id, properties[PROP_CHECKIN_ID]);
  _cohort_set_text (self, &self->note, json_object_get_string_member_with_default (checkin, "note", ""),
                    properties[PROP_NOTE]);
  _cohort_set_int64 (self, &self->minutes, json_object_get_int_member_with_default (checkin, "minutes", 0),
                     properties[PROP_MINUTES]);
  _cohort_set_text (self, &self->day, json_object_get_string_member_with_default (checkin, "day", ""),
                    properties[PROP_DAY]);
  _cohort_set_text (self, &self->tz, json_object_get_string_member_with_default (checkin, "tz", "UTC"),
                    properties[PROP_TZ]);
  _cohort_set_int64 (self, &self->checkin_at, at, properties[PROP_CHECKIN_AT]);
  g_array_set_size (self->reactions, 0);
  notify_reactions (self);
  _cohort_group_member_update_today (self, g_get_real_time () / 1000);
  g_object_thaw_notify (G_OBJECT (self));
  return TRUE;
}

gboolean
_cohort_group_member_add_reaction (CohortGroupMember *self,
                                   gint64             checkin_id,
                                   gint64             participant_id,
                                   const char        *reaction)
{
  int index = reaction_index (reaction);
  Reaction r;

  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), FALSE);

  if (index < 0 || checkin_id != self->checkin_id || checkin_id == 0)
    return FALSE;
  for (guint i = 0; i < self->reactions->len; i++)
    {
      Reaction *old = &g_array_index (self->reactions, Reaction, i);

      if (old->participant_id == participant_id && old->reaction == (guint) index)
        return FALSE;
    }
  r.participant_id = participant_id;
  r.reaction = index;
  g_array_append_val (self->reactions, r);
  notify_reactions (self);
  return TRUE;
}

void
_cohort_group_member_update_today (CohortGroupMember *self,
                                   gint64             now_ms)
{
  gboolean today = FALSE;

  g_return_if_fail (COHORT_IS_GROUP_MEMBER (self));

  if (self->checkin_id != 0 && self->day != NULL && self->tz != NULL)
    {
      g_autoptr(GTimeZone) zone = g_time_zone_new_identifier (self->tz);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now_ms / 1000);
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *date = NULL;

      if (zone == NULL)
        zone = g_time_zone_new_utc ();
      local = g_date_time_to_timezone (utc, zone);
      date = g_date_time_format (local, "%Y-%m-%d");
      today = g_strcmp0 (date, self->day) == 0;
    }
  if (today == self->checked_in_today)
    return;
  self->checked_in_today = today;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHECKED_IN_TODAY]);
}

gint64
cohort_group_member_get_participant_id (CohortGroupMember *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), 0);
  return self->participant_id;
}

const char *
cohort_group_member_get_name (CohortGroupMember *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), NULL);
  return self->name;
}

gint64
cohort_group_member_get_group_id (CohortGroupMember *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), 0);
  return self->group_id;
}

gboolean
cohort_group_member_get_is_self (CohortGroupMember *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), FALSE);
  return self->participant_id == self->viewer_id;
}

gint64
cohort_group_member_get_checkin_id (CohortGroupMember *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), 0);
  return self->checkin_id;
}

const char *
cohort_group_member_get_note (CohortGroupMember *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), NULL);
  return self->note ? self->note : "";
}

gint64
cohort_group_member_get_minutes (CohortGroupMember *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), 0);
  return self->minutes;
}

const char *
cohort_group_member_get_day (CohortGroupMember *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), NULL);
  return self->day ? self->day : "";
}

const char *
cohort_group_member_get_tz (CohortGroupMember *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), NULL);
  return self->tz ? self->tz : "";
}

gint64
cohort_group_member_get_checkin_at (CohortGroupMember *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), 0);
  return self->checkin_at;
}

gboolean
cohort_group_member_get_checked_in_today (CohortGroupMember *self)
{
  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), FALSE);
  return self->checked_in_today;
}

guint
cohort_group_member_get_reaction_count (CohortGroupMember *self,
                                        const char        *reaction)
{
  int index = reaction_index (reaction);
  guint n = 0;

  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), 0);

  for (guint i = 0; index >= 0 && i < self->reactions->len; i++)
    if (g_array_index (self->reactions, Reaction, i).reaction == (guint) index)
      n++;
  return n;
}

static guint
my_reactions (CohortGroupMember *self)
{
  guint bits = 0;

  for (guint i = 0; i < self->reactions->len; i++)
    {
      Reaction *r = &g_array_index (self->reactions, Reaction, i);

      if (r->participant_id == self->viewer_id)
        bits |= 1u << r->reaction;
    }
  return bits;
}

gboolean
cohort_group_member_get_reacted (CohortGroupMember *self,
                                 const char        *reaction)
{
  int index = reaction_index (reaction);

  g_return_val_if_fail (COHORT_IS_GROUP_MEMBER (self), FALSE);
  return index >= 0 && (my_reactions (self) & (1u << index)) != 0;
}

static void
cohort_group_member_finalize (GObject *object)
{
  CohortGroupMember *self = COHORT_GROUP_MEMBER (object);

  g_free (self->name);
  g_free (self->note);
  g_free (self->day);
  g_free (self->tz);
  g_array_unref (self->reactions);
  G_OBJECT_CLASS (cohort_group_member_parent_class)->finalize (object);
}

static void
cohort_group_member_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CohortGroupMember *self = COHORT_GROUP_MEMBER (object);

  switch (prop_id)
    {
    case PROP_PARTICIPANT_ID:
      g_value_set_int64 (value, self->participant_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_GROUP_ID:
      g_value_set_int64 (value, self->group_id);
      break;
    case PROP_IS_SELF:
      g_value_set_boolean (value, cohort_group_member_get_is_self (self));
      break;
    case PROP_CHECKIN_ID:
      g_value_set_int64 (value, self->checkin_id);
      break;
    case PROP_NOTE:
      g_value_set_string (value, cohort_group_member_get_note (self));
      break;
    case PROP_MINUTES:
      g_value_set_int64 (value, self->minutes);
      break;
    case PROP_DAY:
      g_value_set_string (value, cohort_group_member_get_day (self));
      break;
    case PROP_TZ:
      g_value_set_string (value, cohort_group_member_get_tz (self));
      break;
    case PROP_CHECKIN_AT:
      g_value_set_int64 (value, self->checkin_at);
      break;
    case PROP_CHECKED_IN_TODAY:
      g_value_set_boolean (value, self->checked_in_today);
      break;
    case PROP_N_CLAP:
    case PROP_N_FIRE:
    case PROP_N_HEART:
    case PROP_N_IDEA:
      g_value_set_uint (value, cohort_group_member_get_reaction_count (
                          self, cohort_groups_reactions[prop_id - PROP_N_CLAP]));
      break;
    case PROP_MY_REACTIONS:
      g_value_set_uint (value, my_reactions (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_group_member_class_init (CohortGroupMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_group_member_finalize;
  object_class->get_property = cohort_group_member_get_property;

  properties[PROP_PARTICIPANT_ID] = g_param_spec_int64 ("participant-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_GROUP_ID] = g_param_spec_int64 ("group-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_IS_SELF] = g_param_spec_boolean ("is-self", NULL, NULL, FALSE, flags);
  properties[PROP_CHECKIN_ID] = g_param_spec_int64 ("checkin-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NOTE] = g_param_spec_string ("note", NULL, NULL, NULL, flags);
  properties[PROP_MINUTES] = g_param_spec_int64 ("minutes", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_DAY] = g_param_spec_string ("day", NULL, NULL, NULL, flags);
  properties[PROP_TZ] = g_param_spec_string ("tz", NULL, NULL, NULL, flags);
  properties[PROP_CHECKIN_AT] = g_param_spec_int64 ("checkin-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_CHECKED_IN_TODAY] = g_param_spec_boolean ("checked-in-today", NULL, NULL, FALSE, flags);
  properties[PROP_N_CLAP] = g_param_spec_uint ("n-clap", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_FIRE] = g_param_spec_uint ("n-fire", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_HEART] = g_param_spec_uint ("n-heart", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_N_IDEA] = g_param_spec_uint ("n-idea", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_MY_REACTIONS] = g_param_spec_uint ("my-reactions", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_group_member_init (CohortGroupMember *self)
{
  self->reactions = g_array_new (FALSE, FALSE, sizeof (Reaction));
}

/* cohort-groups-badge.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-badge"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-groups-badge.h"

typedef struct
{
  const char *kind;
  const char *title;
  const char *description;
  const char *icon_name;
} BadgeInfo;

static const BadgeInfo catalog[] = {
  { "streak-3", N_("Three in a Row"), N_("Checked in three days in a row"),
    "cohort-badge-streak-3-symbolic" },
  { "streak-7", N_("Week Streak"), N_("Checked in seven days in a row"),
    "cohort-badge-streak-7-symbolic" },
  { "streak-30", N_("Month Streak"), N_("Checked in thirty days in a row"),
    "cohort-badge-streak-30-symbolic" },
  { "first-correct", N_("First Right Answer"), N_("Answered a quiz question correctly for the first time"),
    "cohort-badge-first-correct-symbolic" },
  { "perfect-quiz", N_("Perfect Quiz"), N_("Answered every question of a quiz correctly"),
    "cohort-badge-perfect-quiz-symbolic" },
  { "study-2h", N_("Deep Study"), N_("Studied two hours in one day"),
    "cohort-badge-study-2h-symbolic" },
  { "helper-of-week", N_("Helper of the Week"), N_("Gave the most helpful answers in a week"),
    "cohort-badge-helper-symbolic" },
  /* practice: mastery, not volume (icons shared until badges of their own) */
  { "first-mastery", N_("First Mastery"), N_("Mastered a knowledge point in practice"),
    "cohort-badge-first-correct-symbolic" },
  { "mastery-5", N_("Five Mastered"), N_("Mastered five knowledge points in practice"),
    "cohort-badge-perfect-quiz-symbolic" },
};

static const char * const kinds[] = {
  "streak-3", "streak-7", "streak-30", "first-correct", "perfect-quiz", "study-2h",
  "helper-of-week", "first-mastery", "mastery-5", NULL,
};

struct _CohortBadge
{
  GObject  parent_instance;

  char    *kind;
  gint64   participant_id;
  char    *name;
  char    *detail;
  gint64   earned_at;
};

G_DEFINE_FINAL_TYPE (CohortBadge, cohort_badge, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_PARTICIPANT_ID,
  PROP_NAME,
  PROP_DETAIL,
  PROP_EARNED_AT,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_ICON_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const BadgeInfo *
lookup (const char *kind)
{
  for (guint i = 0; kind != NULL && i < G_N_ELEMENTS (catalog); i++)
    if (g_str_equal (catalog[i].kind, kind))
      return &catalog[i];
  return NULL;
}

const char * const *
cohort_badge_kinds (void)
{
  return kinds;
}

const char *
cohort_badge_kind_get_title (const char *kind)
{
  const BadgeInfo *info = lookup (kind);

  return info ? g_dgettext (GETTEXT_PACKAGE, info->title) : NULL;
}

const char *
cohort_badge_kind_get_description (const char *kind)
{
  const BadgeInfo *info = lookup (kind);

  return info ? g_dgettext (GETTEXT_PACKAGE, info->description) : NULL;
}

const char *
cohort_badge_kind_get_icon_name (const char *kind)
{
  const BadgeInfo *info = lookup (kind);

  return info ? info->icon_name : NULL;
}

CohortBadge *
cohort_badge_new (const char *kind,
                  gint64      participant_id,
                  const char *name,
                  const char *detail,
                  gint64      earned_at)
{
  CohortBadge *self;

  g_return_val_if_fail (kind != NULL, NULL);

  self = g_object_new (COHORT_TYPE_BADGE, NULL);
  self->kind = g_strdup (kind);
  self->participant_id = participant_id;
  self->name = g_strdup (name ? name : "");
  self->detail = g_strdup (detail ? detail : "");
  self->earned_at = earned_at;
  return self;
}

const char *
cohort_badge_get_kind (CohortBadge *self)
{
  g_return_val_if_fail (COHORT_IS_BADGE (self), NULL);
  return self->kind;
}

gint64
cohort_badge_get_participant_id (CohortBadge *self)
{
  g_return_val_if_fail (COHORT_IS_BADGE (self), 0);
  return self->participant_id;
}

const char *
cohort_badge_get_name (CohortBadge *self)
{
  g_return_val_if_fail (COHORT_IS_BADGE (self), NULL);
  return self->name;
}

const char *
cohort_badge_get_detail (CohortBadge *self)
{
  g_return_val_if_fail (COHORT_IS_BADGE (self), NULL);
  return self->detail;
}

gint64
cohort_badge_get_earned_at (CohortBadge *self)
{
  g_return_val_if_fail (COHORT_IS_BADGE (self), 0);
  return self->earned_at;
}

const char *
cohort_badge_get_title (CohortBadge *self)
{
  const char *title;

  g_return_val_if_fail (COHORT_IS_BADGE (self), NULL);
  title = cohort_badge_kind_get_title (self->kind);
  return title ? title : self->kind;
}

const char *
cohort_badge_get_description (CohortBadge *self)
{
  const char *description;

  g_return_val_if_fail (COHORT_IS_BADGE (self), NULL);
  description = cohort_badge_kind_get_description (self->kind);
  return description ? description : "";
}

const char *
cohort_badge_get_icon_name (CohortBadge *self)
{
  const char *icon;

  g_return_val_if_fail (COHORT_IS_BADGE (self), NULL);
  icon = cohort_badge_kind_get_icon_name (self->kind);
  return icon ? icon : "cohort-badge-generic-symbolic";
}

static void
cohort_badge_finalize (GObject *object)
{
  CohortBadge *self = COHORT_BADGE (object);

  g_free (self->kind);
  g_free (self->name);
  g_free (self->detail);
  G_OBJECT_CLASS (cohort_badge_parent_class)->finalize (object);
}

static void
cohort_badge_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CohortBadge *self = COHORT_BADGE (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_PARTICIPANT_ID:
      g_value_set_int64 (value, self->participant_id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_EARNED_AT:
      g_value_set_int64 (value, self->earned_at);
      break;
    case PROP_TITLE:
      g_value_set_string (value, cohort_badge_get_title (self));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, cohort_badge_get_description (self));
      break;
    case PROP_ICON_NAME:
      g_value_set_string (value, cohort_badge_get_icon_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_badge_class_init (CohortBadgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = cohort_badge_finalize;
  object_class->get_property = cohort_badge_get_property;

  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_PARTICIPANT_ID] = g_param_spec_int64 ("participant-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, flags);
  properties[PROP_EARNED_AT] = g_param_spec_int64 ("earned-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_DESCRIPTION] = g_param_spec_string ("description", NULL, NULL, NULL, flags);
  properties[PROP_ICON_NAME] = g_param_spec_string ("icon-name", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_badge_init (CohortBadge *self)
{
}

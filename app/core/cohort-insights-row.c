/* cohort-insights-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-insights"

#include "config.h"

#include "cohort-insights-row.h"
#include "cohort-json-private.h"

struct _CohortInsightsRow
{
  GObject     parent_instance;

  JsonObject *row;      /* as the server sent it */
  GStrv       risks;
  GArray     *trend;    /* int */
};

G_DEFINE_FINAL_TYPE (CohortInsightsRow, cohort_insights_row, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_AT_RISK,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_insights_row_finalize (GObject *object)
{
  CohortInsightsRow *self = COHORT_INSIGHTS_ROW (object);

  g_clear_pointer (&self->row, json_object_unref);
  g_clear_pointer (&self->risks, g_strfreev);
  g_clear_pointer (&self->trend, g_array_unref);
  G_OBJECT_CLASS (cohort_insights_row_parent_class)->finalize (object);
}

static void
cohort_insights_row_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  CohortInsightsRow *self = COHORT_INSIGHTS_ROW (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, cohort_insights_row_get_name (self));
      break;
    case PROP_AT_RISK:
      g_value_set_boolean (value, cohort_insights_row_get_at_risk (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_insights_row_class_init (CohortInsightsRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cohort_insights_row_finalize;
  object_class->get_property = cohort_insights_row_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AT_RISK] = g_param_spec_boolean ("at-risk", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_insights_row_init (CohortInsightsRow *self)
{
}

CohortInsightsRow *
_cohort_insights_row_new (JsonObject *row)
{
  CohortInsightsRow *self = g_object_new (COHORT_TYPE_INSIGHTS_ROW, NULL);
  g_autoptr(GStrvBuilder) risks = g_strv_builder_new ();
  JsonArray *array;

  self->row = json_object_ref (row);
  if ((array = _cohort_json_array (row, "risks")) != NULL)
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonNode *node = json_array_get_element (array, i);

        if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
          g_strv_builder_add (risks, json_node_get_string (node));
      }
  self->risks = g_strv_builder_end (risks);

  self->trend = g_array_new (FALSE, FALSE, sizeof (int));
  if ((array = _cohort_json_array (row, "trend")) != NULL)
    for (guint i = 0; i < json_array_get_length (array); i++)
      {
        JsonNode *node = json_array_get_element (array, i);

        if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
          {
            int value = CLAMP (json_node_get_int (node), -1, 100);

            g_array_append_val (self->trend, value);
          }
      }
  return self;
}

gint64
cohort_insights_row_get_participant_id (CohortInsightsRow *self)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS_ROW (self), 0);

  return _cohort_json_int (self->row, "participant_id", 0);
}

const char *
cohort_insights_row_get_name (CohortInsightsRow *self)
{
  const char *name;

  g_return_val_if_fail (COHORT_IS_INSIGHTS_ROW (self), "");

  name = _cohort_json_string (self->row, "name");
  return name != NULL ? name : "";
}

gint64
cohort_insights_row_get_figure (CohortInsightsRow *self,
                                const char        *figure)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS_ROW (self), 0);

  return _cohort_json_int (self->row, figure, g_str_equal (figure, "accuracy") ? -1 : 0);
}

const char * const *
cohort_insights_row_get_risks (CohortInsightsRow *self)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS_ROW (self), NULL);

  return (const char * const *) self->risks;
}

gboolean
cohort_insights_row_get_at_risk (CohortInsightsRow *self)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS_ROW (self), FALSE);

  return self->risks[0] != NULL;
}

gint64
cohort_insights_row_get_why (CohortInsightsRow *self,
                             const char        *figure)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS_ROW (self), -1);

  return _cohort_json_int (_cohort_json_object (self->row, "why"), figure, -1);
}

GArray *
cohort_insights_row_get_trend (CohortInsightsRow *self)
{
  g_return_val_if_fail (COHORT_IS_INSIGHTS_ROW (self), NULL);

  return self->trend;
}

gboolean
cohort_insights_row_get_came_back (CohortInsightsRow *self)
{
  JsonNode *node;

  g_return_val_if_fail (COHORT_IS_INSIGHTS_ROW (self), FALSE);

  node = json_object_get_member (self->row, "came_back");
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN &&
         json_node_get_boolean (node);
}

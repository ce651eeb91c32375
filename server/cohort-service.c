/* cohort-service.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-service"

#include "config.h"

#include "cohort-service.h"
#include "cohort-server-private.h"

typedef struct
{
  /* The server owns its services: a plain pointer, no cycle. */
  CohortServer *server;
} CohortServicePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (CohortService, cohort_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERVER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_service_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CohortService *self = COHORT_SERVICE (object);

  switch (prop_id)
    {
    case PROP_SERVER:
      g_value_set_object (value, cohort_service_get_server (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_service_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  CohortService *self = COHORT_SERVICE (object);
  CohortServicePrivate *priv = cohort_service_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SERVER:
      priv->server = g_value_get_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_service_class_init (CohortServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = cohort_service_get_property;
  object_class->set_property = cohort_service_set_property;

  /**
   * CohortService:server:
   *
   * The server the service answers requests for; it owns the service.
   */
  properties[PROP_SERVER] =
    g_param_spec_object ("server", NULL, NULL,
                         COHORT_TYPE_SERVER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_service_init (CohortService *self)
{
}

CohortServer *
cohort_service_get_server (CohortService *self)
{
  CohortServicePrivate *priv = cohort_service_get_instance_private (self);

  g_return_val_if_fail (COHORT_IS_SERVICE (self), NULL);

  return priv->server;
}

CohortStore *
cohort_service_get_store (CohortService *self)
{
  g_return_val_if_fail (COHORT_IS_SERVICE (self), NULL);

  return _cohort_server_get_store (cohort_service_get_server (self));
}

void
cohort_service_add_handler (CohortService        *self,
                            const char           *type,
                            CohortRequestHandler  handler)
{
  g_return_if_fail (COHORT_IS_SERVICE (self));

  _cohort_server_add_handler (cohort_service_get_server (self), type, self, handler);
}

void
cohort_service_add_replay_handler (CohortService        *self,
                                   const char           *type,
                                   CohortRequestHandler  handler)
{
  g_return_if_fail (COHORT_IS_SERVICE (self));

  _cohort_server_add_replay_handler (cohort_service_get_server (self), type, handler);
}

void
cohort_service_welcome (CohortService    *self,
                        CohortConnection *conn,
                        JsonObject       *body)
{
  g_return_if_fail (COHORT_IS_SERVICE (self));

  if (COHORT_SERVICE_GET_CLASS (self)->welcome != NULL)
    COHORT_SERVICE_GET_CLASS (self)->welcome (self, conn, body);
}

void
cohort_service_connection_left (CohortService    *self,
                                CohortConnection *conn)
{
  g_return_if_fail (COHORT_IS_SERVICE (self));

  if (COHORT_SERVICE_GET_CLASS (self)->connection_left != NULL)
    COHORT_SERVICE_GET_CLASS (self)->connection_left (self, conn);
}

void
cohort_service_barrier (CohortService *self,
                        const char    *type)
{
  g_return_if_fail (COHORT_IS_SERVICE (self));

  if (COHORT_SERVICE_GET_CLASS (self)->barrier != NULL)
    COHORT_SERVICE_GET_CLASS (self)->barrier (self, type);
}

void
cohort_service_shutdown (CohortService *self)
{
  g_return_if_fail (COHORT_IS_SERVICE (self));

  if (COHORT_SERVICE_GET_CLASS (self)->shutdown != NULL)
    COHORT_SERVICE_GET_CLASS (self)->shutdown (self);
}

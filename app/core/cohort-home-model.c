/* cohort-home-model.c: every kept class, across servers, for the home
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-home-model"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-array-model-private.h"
#include "cohort-home-fetch.h"
#include "cohort-home-model.h"
#include "cohort-home-private.h"

/* A server that has not answered by then is offline for this round. */
#define FETCH_TIMEOUT_S 15

struct _CohortHomeModel
{
  GObject       parent_instance;

  GPtrArray    *items;          /* CohortHomeEntry */
  SoupSession  *http;
  GCancellable *cancellable;
  guint         in_flight;
  guint         refresh_interval;
  guint         timer;
  gboolean      refreshed;
};

G_DEFINE_FINAL_TYPE_WITH_CODE (CohortHomeModel, cohort_home_model, G_TYPE_OBJECT,
  _cohort_array_model_implement (g_define_type_id, COHORT_TYPE_HOME_ENTRY,
                                 G_STRUCT_OFFSET (CohortHomeModel, items)))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_REFRESH_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cohort_home_model_dispose (GObject *object)
{
  CohortHomeModel *self = COHORT_HOME_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);

  G_OBJECT_CLASS (cohort_home_model_parent_class)->dispose (object);
}

static void
cohort_home_model_finalize (GObject *object)
{
  CohortHomeModel *self = COHORT_HOME_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_object (&self->http);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cohort_home_model_parent_class)->finalize (object);
}

static void
cohort_home_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CohortHomeModel *self = COHORT_HOME_MODEL (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, cohort_home_model_get_loading (self));
      break;
    case PROP_REFRESH_INTERVAL:
      g_value_set_uint (value, self->refresh_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_home_model_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  CohortHomeModel *self = COHORT_HOME_MODEL (object);

  switch (prop_id)
    {
    case PROP_REFRESH_INTERVAL:
      cohort_home_model_set_refresh_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_home_model_class_init (CohortHomeModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_home_model_dispose;
  object_class->finalize = cohort_home_model_finalize;
  object_class->get_property = cohort_home_model_get_property;
  object_class->set_property = cohort_home_model_set_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFRESH_INTERVAL] =
    g_param_spec_uint ("refresh-interval", NULL, NULL, 0, 24 * 3600, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_home_model_init (CohortHomeModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->refresh_interval = 60;
  /* One session for every server: each answer closes its connection
   * (docs/protocol-home.md), so nothing is kept open between rounds. */
  self->http = soup_session_new_with_options ("timeout", FETCH_TIMEOUT_S,
                                              "user-agent", "Cohort/" PACKAGE_VERSION,
                                              NULL);
}

CohortHomeModel *
cohort_home_model_new (void)
{
  return g_object_new (COHORT_TYPE_HOME_MODEL, NULL);
}

CohortHomeEntry *
cohort_home_model_lookup (CohortHomeModel *self,
                          const char      *server_url,
                          const char      *code)
{
  g_return_val_if_fail (COHORT_IS_HOME_MODEL (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      CohortHomeEntry *entry = g_ptr_array_index (self->items, i);

      if (g_strcmp0 (cohort_home_entry_get_server_url (entry), server_url) == 0 &&
          g_strcmp0 (cohort_home_entry_get_code (entry), code) == 0)
        return entry;
    }
  return NULL;
}

CohortHomeEntry *
cohort_home_model_add (CohortHomeModel *self,
                       const char      *server_url,
                       const char      *code,
                       const char      *token)
{
  CohortHomeEntry *entry;

  g_return_val_if_fail (COHORT_IS_HOME_MODEL (self), NULL);

  if ((entry = cohort_home_model_lookup (self, server_url, code)) != NULL)
    {
      _cohort_home_entry_set_token (entry, token);
      return entry;
    }
  entry = cohort_home_entry_new (server_url, code, token);
  g_ptr_array_add (self->items, entry);
  g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
  return entry;
}

void
cohort_home_model_remove (CohortHomeModel *self,
                          CohortHomeEntry *entry)
{
  guint position;

  g_return_if_fail (COHORT_IS_HOME_MODEL (self));

  if (!g_ptr_array_find (self->items, entry, &position))
    return;
  g_ptr_array_remove_index (self->items, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
}

gboolean
cohort_home_model_get_loading (CohortHomeModel *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_MODEL (self), FALSE);

  return self->in_flight > 0;
}

typedef struct
{
  CohortHomeModel *model;
  CohortHomeEntry *entry;
} Round;

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Round *round = user_data;
  g_autoptr(CohortHomeModel) self = round->model;
  g_autoptr(CohortHomeEntry) entry = round->entry;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;

  g_free (round);
  body = cohort_home_fetch_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (body != NULL && _cohort_home_entry_apply (entry, body))
    ;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
    _cohort_home_entry_set_status (entry, COHORT_HOME_STATUS_SIGNED_OUT, error->message);
  else
    {
      g_debug ("%s is offline: %s", cohort_home_entry_get_server_url (entry),
               error ? error->message : "not a home reply");
      _cohort_home_entry_set_status (entry, COHORT_HOME_STATUS_OFFLINE,
                                     error ? error->message : NULL);
    }

  if (--self->in_flight == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static gboolean
on_timer (gpointer user_data)
{
  cohort_home_model_refresh (COHORT_HOME_MODEL (user_data));
  return G_SOURCE_CONTINUE;
}

static void
restart_timer (CohortHomeModel *self)
{
  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->refresh_interval > 0 && self->refreshed)
    self->timer = g_timeout_add_seconds (self->refresh_interval, on_timer, self);
}

void
cohort_home_model_refresh (CohortHomeModel *self)
{
  gboolean was_loading;

  g_return_if_fail (COHORT_IS_HOME_MODEL (self));

  was_loading = self->in_flight > 0;
  for (guint i = 0; i < self->items->len; i++)
    {
      CohortHomeEntry *entry = g_ptr_array_index (self->items, i);
      Round *round = g_new0 (Round, 1);

      round->model = g_object_ref (self);
      round->entry = g_object_ref (entry);
      self->in_flight++;
      cohort_home_fetch_async (self->http, cohort_home_entry_get_server_url (entry),
                               cohort_home_entry_get_token (entry),
                               cohort_home_entry_get_since_chat (entry),
                               cohort_home_entry_get_since_group (entry),
                               self->cancellable, fetch_cb, round);
    }
  if (!was_loading && self->in_flight > 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  if (!self->refreshed)
    {
      self->refreshed = TRUE;
      restart_timer (self);
    }
}

guint
cohort_home_model_get_refresh_interval (CohortHomeModel *self)
{
  g_return_val_if_fail (COHORT_IS_HOME_MODEL (self), 0);

  return self->refresh_interval;
}

void
cohort_home_model_set_refresh_interval (CohortHomeModel *self,
                                        guint            seconds)
{
  g_return_if_fail (COHORT_IS_HOME_MODEL (self));

  if (self->refresh_interval == seconds)
    return;
  self->refresh_interval = seconds;
  restart_timer (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFRESH_INTERVAL]);
}

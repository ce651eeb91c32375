/* cohort-array-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-array-model-private.h"

typedef struct
{
  GType item_type;
  gsize items_offset;
} ArrayModelInfo;

static G_DEFINE_QUARK (cohort-array-model-info, array_model_info)

/* The types are final, so the instance's own type carries the info. */
static const ArrayModelInfo *
get_info (GListModel *model)
{
  return g_type_get_qdata (G_OBJECT_TYPE (model), array_model_info_quark ());
}

static GPtrArray *
get_items (GListModel *model)
{
  return G_STRUCT_MEMBER (GPtrArray *, model, get_info (model)->items_offset);
}

static GType
get_item_type (GListModel *model)
{
  return get_info (model)->item_type;
}

static guint
get_n_items (GListModel *model)
{
  return get_items (model)->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  GPtrArray *items = get_items (model);

  if (position >= items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (items, position));
}

static void
list_model_iface_init (GListModelInterface *iface,
                       gpointer             iface_data)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

void
_cohort_array_model_implement (GType type,
                               GType item_type,
                               gsize items_offset)
{
  const GInterfaceInfo iface_info = { (GInterfaceInitFunc) list_model_iface_init, NULL, NULL };
  /* Lives as long as the (static) type. */
  ArrayModelInfo *info = g_new (ArrayModelInfo, 1);

  info->item_type = item_type;
  info->items_offset = items_offset;
  g_type_set_qdata (type, array_model_info_quark (), info);
  g_type_add_interface_static (type, G_TYPE_LIST_MODEL, &iface_info);
}

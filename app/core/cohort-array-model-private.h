/* cohort-array-model-private.h: GListModel over a model's GPtrArray of items
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Makes the final type @type a GListModel of @item_type whose items are
 * the GPtrArray (of objects of @item_type) at @items_offset in its
 * instance struct. The models that own their items (the chat, the AI
 * conversation, the groups, the boards) share this one implementation;
 * each still emits items-changed itself, where it changes the array.
 * Call it from G_DEFINE_FINAL_TYPE_WITH_CODE, with g_define_type_id. */
void _cohort_array_model_implement (GType type,
                                    GType item_type,
                                    gsize items_offset);

G_END_DECLS

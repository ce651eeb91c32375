/* cohort-home-fetch.h: GET /api/v1/home, one class's state for the home
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The home URL of the class server at @server_url (the WebSocket address
 * the app keeps: ws://host:port/ws → http://host:port/api/v1/home, wss
 * → https); NULL when it is not one. */
char       *cohort_home_url_for_server (const char           *server_url);

/* Asks @server_url for the class of @token (docs/protocol-home.md), the
 * token in an Authorization header. The reply is checked as strict JSON
 * of at most 64 KiB. Errors: G_IO_ERROR_PERMISSION_DENIED for 401 (the
 * token is no longer good), G_IO_ERROR_FAILED for another status (the
 * server's message), G_IO_ERROR_INVALID_DATA for a reply that is not
 * one; network errors as libsoup gives them. */
void        cohort_home_fetch_async    (SoupSession          *session,
                                        const char           *server_url,
                                        const char           *token,
                                        gint64                since_chat,
                                        gint64                since_group,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
JsonObject *cohort_home_fetch_finish   (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS

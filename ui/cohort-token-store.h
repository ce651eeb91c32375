/* cohort-token-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Participant tokens (and teacher keys) kept per (server, class code, role)
 * in a key file under g_get_user_data_dir()/cohort/, mode 0600. */
typedef struct
{
  char   *token;
  char   *teacher_key;
  char   *name;
  /* home: which class, and how far its chat was seen (message ids) */
  char   *server_url;
  char   *code;
  gint64  seen_chat;
  gint64  seen_group;
  /* reminders: the lesson occurrence last reminded of ("<lesson id>@<start ms>") */
  char   *reminded;
} CohortStoredToken;

void               cohort_stored_token_free (CohortStoredToken *stored);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortStoredToken, cohort_stored_token_free)

char              *cohort_token_store_get_path (void);
/* Returns NULL when nothing is stored. */
CohortStoredToken *cohort_token_store_lookup   (const char  *server_url,
                                                const char  *code,
                                                gboolean     teacher);
gboolean           cohort_token_store_save     (const char  *server_url,
                                                const char  *code,
                                                gboolean     teacher,
                                                const char  *token,
                                                const char  *teacher_key,
                                                const char  *name,
                                                GError     **error);
gboolean           cohort_token_store_forget   (const char  *server_url,
                                                const char  *code,
                                                gboolean     teacher,
                                                GError     **error);
/* The teacher key stored for any (server, code), or NULL. */
char              *cohort_token_store_lookup_teacher_key (const char *server_url,
                                                          const char *code);

/* home: every kept class of @teacher's role, in the file's order
 * (CohortStoredToken, free func set). */
GPtrArray         *cohort_token_store_list     (gboolean     teacher);
/* home: the student saw the class's chat up to these message ids; the
 * home counts unread messages after them. */
gboolean           cohort_token_store_set_seen (const char  *server_url,
                                                const char  *code,
                                                gboolean     teacher,
                                                gint64       seen_chat,
                                                gint64       seen_group,
                                                GError     **error);
/* reminders: the app reminded of the occurrence @reminded (NULL: none)
 * of the class; a restart does not remind of it again. */
gboolean           cohort_token_store_set_reminded (const char  *server_url,
                                                    const char  *code,
                                                    gboolean     teacher,
                                                    const char  *reminded,
                                                    GError     **error);

/* The staff credential for @server_url (one per server: it stands for the
 * teacher, not for a class), or NULL. */
char              *cohort_token_store_lookup_staff (const char  *server_url);
gboolean           cohort_token_store_save_staff   (const char  *server_url,
                                                    const char  *credential,
                                                    GError     **error);
/* After the server refused it: the next "Start a Class" asks again. */
gboolean           cohort_token_store_forget_staff (const char  *server_url,
                                                    GError     **error);

G_END_DECLS

/* cohort-secret.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* 256 random bits from getrandom(), unpadded base64url (43 characters). */
char     *cohort_secret_new         (GError     **error);
/* Lower-case hex SHA-256 of @secret: the only form the store keeps. */
char     *cohort_secret_hash        (const char  *secret);
/* 8 characters from COHORT_CLASS_CODE_ALPHABET. */
char     *cohort_secret_new_code    (GError     **error);

G_END_DECLS

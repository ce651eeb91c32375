/* cohort-roster-csv.h: a class roster from a spreadsheet (CSV)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *name;     /* trimmed, 1–64 characters */
  char *number;   /* the student number, trimmed; NULL when none */
} CohortRosterEntry;

void cohort_roster_entry_free (CohortRosterEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CohortRosterEntry, cohort_roster_entry_free)

/* Reads rows of "name[,number]": comma or semicolon (whichever the first
 * row uses), fields optionally in double quotes ("" for a quote, line
 * breaks allowed inside), CR LF or LF, a UTF-8 byte order mark tolerated,
 * blank lines skipped, a first row of column titles ("name", "姓名", …)
 * skipped. Returns a GPtrArray of CohortRosterEntry (free func set), or
 * NULL with a G_IO_ERROR_INVALID_DATA that names the line. */
GPtrArray *cohort_roster_csv_parse (const char  *text,
                                    GError     **error);

/* Appends @text (NULL: empty) as one CSV field: quoted when it holds a
 * comma, a quote or a line break, and with a ' before a leading =, +, -
 * or @, which a spreadsheet would run as a formula. Every CSV the app
 * writes (quiz scores, attendance) goes through it. */
void       cohort_csv_append_field (GString    *csv,
                                    const char *text);

G_END_DECLS

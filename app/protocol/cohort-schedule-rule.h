/* cohort-schedule-rule.h: a scheduled lesson's occurrences, in the
 * teacher's time zone (docs/architecture-schedule.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The bounds every schedule obeys, on the wire and in the store. */
#define COHORT_SCHEDULE_MIN_YEAR          2000
#define COHORT_SCHEDULE_MAX_YEAR          2099
#define COHORT_SCHEDULE_MAX_ZONE_CHARS    64

/* A date in the teacher's zone, as the integer YYYYMMDD. */
typedef gint32 CohortScheduleDate;

/* One lesson series: a one-off lesson, or a weekly one. Times are the
 * teacher's wall clock in their zone, so that a 09:00 lesson in New York
 * stays 09:00 there across a DST change (and moves in UTC). */
typedef struct
{
  CohortScheduleDate        first;          /* the first lesson's local date */
  guint                     hour;           /* 0..23 */
  guint                     minute;         /* 0..59 */
  guint                     duration_min;   /* > 0 */
  gboolean                  weekly;
  guint                     count;          /* weekly: how many lessons; 0: no limit */
  CohortScheduleDate        until;          /* weekly: the last date allowed; 0: none */
  gboolean                  cancelled;      /* the whole series */
  const CohortScheduleDate *exceptions;     /* local dates not held (cancelled occurrences) */
  guint                     n_exceptions;
} CohortScheduleRule;

typedef struct
{
  CohortScheduleDate date;       /* local date in the teacher's zone: the occurrence's key */
  gint64             start_ms;   /* UTC, ms since the epoch */
  gint64             end_ms;
} CohortScheduleInstance;

/* The zone named @identifier in the tz database ("America/New_York",
 * "UTC"), or NULL (unknown, a path, an offset such as "+08:00"). */
GTimeZone *cohort_schedule_zone_new (const char *identifier);

/* "YYYY-MM-DD" in COHORT_SCHEDULE_MIN_YEAR..MAX_YEAR; FALSE otherwise. */
gboolean   cohort_schedule_date_parse   (const char         *text,
                                         CohortScheduleDate *out_date);
char      *cohort_schedule_date_format  (CohortScheduleDate  date);
/* "YYYY-MM-DDTHH:MM": a local date and a wall-clock time. */
gboolean   cohort_schedule_local_parse  (const char         *text,
                                         CohortScheduleDate *out_date,
                                         guint              *out_hour,
                                         guint              *out_minute);
char      *cohort_schedule_local_format (CohortScheduleDate  date,
                                         guint               hour,
                                         guint               minute);

/* The UTC start (ms) of a lesson at @hour:@minute on @date in @zone. A
 * wall-clock time the DST change skips moves forward by the gap, as in
 * RFC 5545 (02:30 → 03:30); an hour that comes twice is the first one. */
gint64     cohort_schedule_local_to_utc (GTimeZone          *zone,
                                         CohortScheduleDate  date,
                                         guint               hour,
                                         guint               minute);

/* TRUE when @date is one of @rule's dates (cancelled or not). */
gboolean   cohort_schedule_rule_has_date (const CohortScheduleRule *rule,
                                          CohortScheduleDate        date);

/* Appends to @out (of CohortScheduleInstance), in order, @rule's
 * occurrences that are held (not cancelled), end after @from_ms and start
 * before @to_ms, at most @max of them. Returns how many it appended. */
guint      cohort_schedule_rule_expand  (const CohortScheduleRule *rule,
                                         GTimeZone                *zone,
                                         gint64                    from_ms,
                                         gint64                    to_ms,
                                         guint                     max,
                                         GArray                   *out);

G_END_DECLS

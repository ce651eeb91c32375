/* cohort-schedule-ics.c: a class's schedule as an iCalendar feed
 *
 * Without VTIMEZONE components: a one-off lesson is a UTC DTSTART, and a
 * weekly series names its IANA zone in TZID, which calendars resolve from
 * their own tz database (as RFC 7809 lets a server leave them out). A
 * series in UTC would be wrong for half the year, since the lesson keeps
 * the teacher's wall clock across DST changes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-schedule-ics"

#include "config.h"

#include "cohort-schedule-ics.h"
#include "cohort-store-schedule.h"

#define FOLD_OCTETS 75

char *
cohort_schedule_ics_escape (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\': g_string_append (out, "\\\\"); break;
        case ';': g_string_append (out, "\\;"); break;
        case ',': g_string_append (out, "\\,"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': break;
        default: g_string_append_c (out, *p); break;
        }
    }
  return g_string_free (out, FALSE);
}

/* Appends @line with CRLF, folded every 75 octets (a CRLF and a space),
 * never inside a UTF-8 sequence. */
static void
append_line (GString    *ics,
             const char *line)
{
  gsize octets = 0;

  for (const char *p = line; *p != '\0';)
    {
      const char *next = g_utf8_next_char (p);
      gsize len = next - p;
      /* A continuation line starts with the space, which counts. */
      if (octets + len > FOLD_OCTETS)
        {
          g_string_append (ics, "\r\n ");
          octets = 1;
        }
      g_string_append_len (ics, p, len);
      octets += len;
      p = next;
    }
  g_string_append (ics, "\r\n");
}

static void
append_printf (GString    *ics,
               const char *format,
               ...) G_GNUC_PRINTF (2, 3);

static void
append_printf (GString    *ics,
               const char *format,
               ...)
{
  g_autofree char *line = NULL;
  va_list args;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  append_line (ics, line);
}

static char *
utc_stamp (gint64 ms)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (ms / 1000);

  return when != NULL ? g_date_time_format (when, "%Y%m%dT%H%M%SZ") : g_strdup ("19700101T000000Z");
}

static char *
local_stamp (CohortScheduleDate date,
             guint              hour,
             guint              minute)
{
  return g_strdup_printf ("%08dT%02u%02u00", date, hour, minute);
}

static void
append_lesson (GString                          *ics,
               gint64                            class_id,
               const CohortScheduleLessonRecord *lesson,
               GTimeZone                        *zone)
{
  g_autofree char *title = cohort_schedule_ics_escape (lesson->title);
  g_autofree char *stamp = utc_stamp (lesson->updated_at);

  append_line (ics, "BEGIN:VEVENT");
  append_printf (ics, "UID:lesson-%" G_GINT64_FORMAT "-class-%" G_GINT64_FORMAT "@cohortclass.org",
                 lesson->id, class_id);
  append_printf (ics, "DTSTAMP:%s", stamp);
  append_printf (ics, "LAST-MODIFIED:%s", stamp);
  if (lesson->weekly)
    {
      g_autofree char *start = local_stamp (lesson->first, lesson->hour, lesson->minute);
      GString *rrule = g_string_new ("RRULE:FREQ=WEEKLY");

      append_printf (ics, "DTSTART;TZID=%s:%s", lesson->zone, start);
      if (lesson->count > 0)
        g_string_append_printf (rrule, ";COUNT=%u", lesson->count);
      else if (lesson->until > 0)
        {
          /* UNTIL is in UTC with a zoned DTSTART: the last lesson's start. */
          g_autofree char *until = utc_stamp (cohort_schedule_local_to_utc (zone, lesson->until,
                                                                            lesson->hour, lesson->minute));

          g_string_append_printf (rrule, ";UNTIL=%s", until);
        }
      append_line (ics, rrule->str);
      g_string_free (rrule, TRUE);
      for (guint i = 0; i < lesson->exceptions->len; i++)
        {
          g_autofree char *exdate = local_stamp (g_array_index (lesson->exceptions, CohortScheduleDate, i),
                                                 lesson->hour, lesson->minute);

          append_printf (ics, "EXDATE;TZID=%s:%s", lesson->zone, exdate);
        }
    }
  else
    {
      g_autofree char *start = utc_stamp (cohort_schedule_local_to_utc (zone, lesson->first,
                                                                        lesson->hour, lesson->minute));

      append_printf (ics, "DTSTART:%s", start);
    }
  append_printf (ics, "DURATION:PT%uM", lesson->duration_min);
  append_printf (ics, "SUMMARY:%s", title);
  append_line (ics, lesson->cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
  append_line (ics, "END:VEVENT");
}

char *
cohort_schedule_ics_build (gint64      class_id,
                           const char *class_title,
                           GPtrArray  *lessons)
{
  g_autofree char *name = cohort_schedule_ics_escape (class_title);
  GString *ics = g_string_new (NULL);

  g_return_val_if_fail (lessons != NULL, NULL);

  append_line (ics, "BEGIN:VCALENDAR");
  append_line (ics, "VERSION:2.0");
  append_line (ics, "PRODID:-//Cohort//Cohort class schedule//EN");
  append_line (ics, "CALSCALE:GREGORIAN");
  append_line (ics, "METHOD:PUBLISH");
  append_printf (ics, "X-WR-CALNAME:%s", name);
  for (guint i = 0; i < lessons->len; i++)
    {
      const CohortScheduleLessonRecord *lesson = g_ptr_array_index (lessons, i);
      g_autoptr(GTimeZone) zone = cohort_schedule_zone_new (lesson->zone);

      if (zone != NULL)
        append_lesson (ics, class_id, lesson, zone);
    }
  append_line (ics, "END:VCALENDAR");
  return g_string_free (ics, FALSE);
}

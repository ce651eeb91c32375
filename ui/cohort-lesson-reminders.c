/* cohort-lesson-reminders.c: the reminder before each kept class's next
 * lesson, from the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-lesson-reminders"

#include "config.h"

#include <glib/gi18n.h>

#include "cohort-lesson-reminders.h"
#include "cohort-schedule-dialog.h"
#include "cohort-token-store.h"

#define MS_PER_MINUTE ((gint64) 60 * 1000)
/* A due time further away is looked at again after a day at the latest
 * (the home model's rounds look sooner anyway). */
#define MAX_WAIT_MS   ((gint64) 24 * 3600 * 1000)

struct _CohortLessonReminders
{
  GObject          parent_instance;

  GApplication    *application;  /* weak */
  CohortHomeModel *model;
  GSettings       *settings;
  GHashTable      *shown;        /* notification id → occurrence */
  GHashTable      *nudged;       /* notification id → the helper's nudge id, as text */
  guint            timer;
  guint            n_sent;
};

G_DEFINE_FINAL_TYPE (CohortLessonReminders, cohort_lesson_reminders, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_SENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
cohort_lesson_reminders_notification_id (const char *server_url,
                                         const char *code)
{
  g_autofree char *class_key = g_strdup_printf ("%s %s", server_url, code);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, class_key, -1);

  /* One id per class: a moved lesson's reminder replaces the old one. */
  return g_strdup_printf ("lesson-reminder-%.16s", digest);
}

static char *
occurrence_of (CohortHomeEntry *entry)
{
  if (cohort_home_entry_get_next_lesson_id (entry) <= 0)
    return NULL;
  return g_strdup_printf ("%" G_GINT64_FORMAT "@%" G_GINT64_FORMAT, cohort_home_entry_get_next_lesson_id (entry),
                          cohort_home_entry_get_next_lesson_at (entry));
}

static void
send_reminder (CohortLessonReminders *self,
               CohortHomeEntry       *entry,
               const char            *id,
               gint64                 now)
{
  gint64 start_at = cohort_home_entry_get_next_lesson_at (entry);
  g_autoptr(GNotification) notification = g_notification_new (cohort_home_entry_get_next_lesson_title (entry));
  g_autofree char *when = cohort_schedule_format_start (start_at);
  g_autofree char *body = NULL;
  gint64 left = (start_at - now + MS_PER_MINUTE - 1) / MS_PER_MINUTE;

  /* Translators: a lesson reminder: when it starts on the viewer's clock, and in how many minutes. */
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Starts at %s, in %d minute", "Starts at %s, in %d minutes",
                                       left), when, (int) left);
  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  /* Clicked, the shell runs the exported app action by name: the class
   * is named by what the token store keys it by, not by a window. */
  g_notification_set_default_action_and_target (notification, "app.open-class", "(ss)",
                                                 cohort_home_entry_get_server_url (entry),
                                                 cohort_home_entry_get_code (entry));
  g_application_send_notification (self->application, id, notification);
}

static gboolean on_timer (gpointer user_data);

/* Looks at every class: withdraws a reminder whose lesson moved or was
 * cancelled, sends the ones due, and wakes at the next due time. */
static void
check (CohortLessonReminders *self)
{
  gint64 now = g_get_real_time () / 1000;
  gint64 minutes = g_settings_get_int (self->settings, "lesson-reminder-minutes");
  gint64 next_due = G_MAXINT64;
  GListModel *model = G_LIST_MODEL (self->model);

  g_clear_handle_id (&self->timer, g_source_remove);
  if (self->application == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CohortHomeEntry) entry = g_list_model_get_item (model, i);
      const char *server_url = cohort_home_entry_get_server_url (entry);
      const char *code = cohort_home_entry_get_code (entry);
      g_autofree char *id = cohort_lesson_reminders_notification_id (server_url, code);
      g_autofree char *occurrence = NULL;
      g_autoptr(CohortStoredToken) stored = NULL;
      const char *shown = g_hash_table_lookup (self->shown, id);
      gint64 start_at, due;

      /* An offline class keeps its last answer: its lesson stands. */
      if (cohort_home_entry_get_status (entry) == COHORT_HOME_STATUS_LOADING)
        continue;
      occurrence = cohort_home_entry_get_status (entry) == COHORT_HOME_STATUS_SIGNED_OUT
                   ? NULL : occurrence_of (entry);
      if (shown != NULL && g_strcmp0 (shown, occurrence) != 0)
        {
          g_application_withdraw_notification (self->application, id);
          g_hash_table_remove (self->shown, id);
          shown = NULL;
        }
      if (occurrence == NULL || minutes <= 0 || shown != NULL)
        continue;

      start_at = cohort_home_entry_get_next_lesson_at (entry);
      due = start_at - minutes * MS_PER_MINUTE;
      if (now >= start_at)
        continue;
      if (now < due)
        {
          next_due = MIN (next_due, due);
          continue;
        }

      stored = cohort_token_store_lookup (server_url, code, cohort_home_entry_get_teacher (entry));
      if (stored != NULL && g_strcmp0 (stored->reminded, occurrence) == 0)
        continue;

      {
        g_autoptr(GError) error = NULL;

        if (!cohort_token_store_set_reminded (server_url, code, cohort_home_entry_get_teacher (entry), occurrence,
                                              &error))
          g_warning ("Could not remember the lesson reminder: %s", error->message);
      }
      send_reminder (self, entry, id, now);
      g_hash_table_insert (self->shown, g_steal_pointer (&id), g_steal_pointer (&occurrence));
      self->n_sent++;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SENT]);
    }

  if (next_due != G_MAXINT64)
    self->timer = g_timeout_add_full (G_PRIORITY_LOW, (guint) CLAMP (next_due - now, 0, MAX_WAIT_MS),
                                      on_timer, self, NULL);
}

static gboolean
on_timer (gpointer user_data)
{
  CohortLessonReminders *self = user_data;

  self->timer = 0;
  check (self);
  return G_SOURCE_REMOVE;
}

/* The helper's nudges between lessons (docs/protocol-home.md, `nudge`):
 * one notification per nudge, whether a window is open or not; the
 * home's row shows it too, until the student opens it in the class. */
static void
notify_nudges (CohortLessonReminders *self)
{
  GListModel *model = G_LIST_MODEL (self->model);

  for (guint i = 0; self->application != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CohortHomeEntry) entry = g_list_model_get_item (model, i);
      g_autofree char *nudge = NULL;
      g_autofree char *id = NULL;
      g_autoptr(GNotification) notification = NULL;

      if (cohort_home_entry_get_nudge_id (entry) <= 0)
        continue;
      {
        g_autofree char *reminder = cohort_lesson_reminders_notification_id (cohort_home_entry_get_server_url (entry),
                                                                             cohort_home_entry_get_code (entry));

        id = g_strconcat ("ai-nudge-", reminder, NULL);
      }
      nudge = g_strdup_printf ("%" G_GINT64_FORMAT, cohort_home_entry_get_nudge_id (entry));
      if (g_strcmp0 (g_hash_table_lookup (self->nudged, id), nudge) == 0)
        continue;
      notification = g_notification_new (_("Your Study Helper"));
      g_notification_set_body (notification, cohort_home_entry_get_nudge_text (entry));
      g_notification_set_default_action_and_target (notification, "app.open-class", "(ss)",
                                                     cohort_home_entry_get_server_url (entry),
                                                     cohort_home_entry_get_code (entry));
      g_application_send_notification (self->application, id, notification);
      g_hash_table_replace (self->nudged, g_steal_pointer (&id), g_steal_pointer (&nudge));
    }
}

/* A round of the home model is over: every class's next lesson is as
 * fresh as it gets. */
static void
on_loading (CohortLessonReminders *self)
{
  if (cohort_home_model_get_loading (self->model))
    return;
  check (self);
  notify_nudges (self);
}

static void
cohort_lesson_reminders_dispose (GObject *object)
{
  CohortLessonReminders *self = COHORT_LESSON_REMINDERS (object);

  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_weak_pointer (&self->application);
  g_clear_object (&self->model);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cohort_lesson_reminders_parent_class)->dispose (object);
}

static void
cohort_lesson_reminders_finalize (GObject *object)
{
  CohortLessonReminders *self = COHORT_LESSON_REMINDERS (object);

  g_clear_pointer (&self->shown, g_hash_table_unref);
  g_clear_pointer (&self->nudged, g_hash_table_unref);

  G_OBJECT_CLASS (cohort_lesson_reminders_parent_class)->finalize (object);
}

static void
cohort_lesson_reminders_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  CohortLessonReminders *self = COHORT_LESSON_REMINDERS (object);

  switch (prop_id)
    {
    case PROP_N_SENT:
      g_value_set_uint (value, self->n_sent);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cohort_lesson_reminders_class_init (CohortLessonRemindersClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cohort_lesson_reminders_dispose;
  object_class->finalize = cohort_lesson_reminders_finalize;
  object_class->get_property = cohort_lesson_reminders_get_property;

  properties[PROP_N_SENT] =
    g_param_spec_uint ("n-sent", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cohort_lesson_reminders_init (CohortLessonReminders *self)
{
  self->shown = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->nudged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->model = cohort_home_model_new ();
  self->settings = g_settings_new (APP_ID);
  g_signal_connect_object (self->model, "notify::loading", G_CALLBACK (on_loading), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::lesson-reminder-minutes", G_CALLBACK (check), self,
                           G_CONNECT_SWAPPED);
}

CohortLessonReminders *
cohort_lesson_reminders_new (GApplication *application)
{
  CohortLessonReminders *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  self = g_object_new (COHORT_TYPE_LESSON_REMINDERS, NULL);
  g_set_weak_pointer (&self->application, application);
  return self;
}

static gboolean
is_kept (GPtrArray  *kept,
         const char *server_url,
         const char *code)
{
  for (guint i = 0; i < kept->len; i++)
    {
      CohortStoredToken *stored = g_ptr_array_index (kept, i);

      if (g_str_equal (stored->server_url, server_url) && g_str_equal (stored->code, code))
        return TRUE;
    }
  return FALSE;
}

void
cohort_lesson_reminders_reload (CohortLessonReminders *self)
{
  g_autoptr(GPtrArray) kept = cohort_token_store_list (FALSE);
  g_autoptr(GPtrArray) taught = cohort_token_store_list (TRUE);
  GListModel *model;

  g_return_if_fail (COHORT_IS_LESSON_REMINDERS (self));

  model = G_LIST_MODEL (self->model);
  g_ptr_array_extend_and_steal (kept, g_steal_pointer (&taught));
  /* A class left since: its reminder goes with it. */
  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(CohortHomeEntry) entry = g_list_model_get_item (model, i - 1);

      if (!is_kept (kept, cohort_home_entry_get_server_url (entry), cohort_home_entry_get_code (entry)))
        {
          g_autofree char *id = cohort_lesson_reminders_notification_id (cohort_home_entry_get_server_url (entry),
                                                                         cohort_home_entry_get_code (entry));

          if (g_hash_table_remove (self->shown, id) && self->application != NULL)
            g_application_withdraw_notification (self->application, id);
          cohort_home_model_remove (self->model, entry);
        }
    }
  for (guint i = 0; i < kept->len; i++)
    {
      CohortStoredToken *stored = g_ptr_array_index (kept, i);

      cohort_home_model_add (self->model, stored->server_url, stored->code, stored->token);
    }
  cohort_home_model_refresh (self->model);
}

CohortHomeModel *
cohort_lesson_reminders_get_model (CohortLessonReminders *self)
{
  g_return_val_if_fail (COHORT_IS_LESSON_REMINDERS (self), NULL);

  return self->model;
}

const char *
cohort_lesson_reminders_get_shown (CohortLessonReminders *self,
                                   const char            *server_url,
                                   const char            *code)
{
  g_autofree char *id = NULL;

  g_return_val_if_fail (COHORT_IS_LESSON_REMINDERS (self), NULL);

  id = cohort_lesson_reminders_notification_id (server_url, code);
  return g_hash_table_lookup (self->shown, id);
}

guint
cohort_lesson_reminders_get_n_sent (CohortLessonReminders *self)
{
  g_return_val_if_fail (COHORT_IS_LESSON_REMINDERS (self), 0);

  return self->n_sent;
}

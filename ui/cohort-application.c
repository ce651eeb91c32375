/* cohort-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-application"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cohort-application.h"
#include "cohort-background.h"
#include "cohort-media-preferences.h"
#include "cohort-home-window.h"
#include "cohort-lesson-reminders.h"
#include "cohort-token-store.h"
#include "cohort-media-webrtc.h"

struct _CohortApplication
{
  AdwApplication         parent_instance;

  CohortLessonReminders *reminders;
  CohortBackground      *background;
};

G_DEFINE_FINAL_TYPE (CohortApplication, cohort_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "server", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_("Address of the class server, such as school.example.org:8080"), N_("URL") },
  { "code", 'c', 0, G_OPTION_ARG_STRING, NULL,
    N_("Code of the class to join"), N_("CODE") },
  { "name", 'n', 0, G_OPTION_ARG_STRING, NULL,
    N_("Your display name"), N_("NAME") },
  { "teacher-key", 'k', 0, G_OPTION_ARG_STRING, NULL,
    N_("Join as the class’s teacher with this key"), N_("KEY") },
  { "teacher-key-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Join as the class’s teacher with the key in this file (not visible to other users, unlike --teacher-key)"),
    N_("FILE") },
  { "start-class", 't', 0, G_OPTION_ARG_STRING, NULL,
    N_("Start a new class with this title, as its teacher"), N_("TITLE") },
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start in the background, for lesson reminders, without a window"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    NULL, N_("[cohort://join?server=…&code=…]") },
  { NULL }
};

/* Navigation */

CohortStartWindow *
cohort_application_show_start (CohortApplication *self)
{
  CohortStartWindow *window;

  g_return_val_if_fail (self == NULL || COHORT_IS_APPLICATION (self), NULL);

  window = cohort_start_window_new (GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

CohortStartWindow *
cohort_application_show_join (CohortApplication *self,
                              GtkWindow         *parent)
{
  CohortStartWindow *window;

  g_return_val_if_fail (self == NULL || COHORT_IS_APPLICATION (self), NULL);

  window = cohort_start_window_new (GTK_APPLICATION (self));
  /* From the home: a dialog over it, one step away. */
  if (parent != NULL)
    {
      gtk_window_set_transient_for (GTK_WINDOW (window), parent);
      gtk_window_set_modal (GTK_WINDOW (window), TRUE);
    }
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

GtkWindow *
cohort_application_show_home (CohortApplication *self)
{
  g_autoptr(GPtrArray) kept = cohort_token_store_list (FALSE);
  g_autoptr(GPtrArray) taught = cohort_token_store_list (TRUE);
  CohortHomeWindow *home = NULL;

  g_return_val_if_fail (self == NULL || COHORT_IS_APPLICATION (self), NULL);

  /* Nothing kept yet, as a student or a teacher: the join form is the home. */
  if (kept->len == 0 && taught->len == 0)
    return GTK_WINDOW (cohort_application_show_start (self));

  if (self != NULL)
    for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
      if (COHORT_IS_HOME_WINDOW (l->data))
        home = l->data;
  if (home == NULL)
    home = cohort_home_window_new (GTK_APPLICATION (self));
  cohort_home_window_reload (home);
  gtk_window_present (GTK_WINDOW (home));
  return GTK_WINDOW (home);
}

gboolean
cohort_application_open_link (CohortApplication *self,
                              const char        *link)
{
  g_return_val_if_fail (self == NULL || COHORT_IS_APPLICATION (self), FALSE);
  g_return_val_if_fail (link != NULL, FALSE);

  return cohort_start_window_open_link (cohort_application_show_start (self), link);
}

CohortClassWindow *
cohort_application_open_class (CohortApplication *self,
                               CohortSession     *session)
{
  CohortClassWindow *window;

  g_return_val_if_fail (self == NULL || COHORT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (COHORT_IS_SESSION (session), NULL);

  window = cohort_class_window_new (GTK_APPLICATION (self), session);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

CohortClassWindow *
cohort_application_open_kept_class (CohortApplication *self,
                                    const char        *server_url,
                                    const char        *code)
{
  GtkWindow *home;
  CohortHomeModel *model;
  CohortHomeEntry *entry;

  g_return_val_if_fail (COHORT_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (server_url != NULL && code != NULL, NULL);

  /* Open already: that window comes forward, no second session. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (COHORT_IS_CLASS_WINDOW (l->data))
      {
        CohortSession *session = cohort_class_window_get_session (l->data);

        if (session != NULL && g_strcmp0 (cohort_session_get_server_url (session), server_url) == 0 &&
            g_strcmp0 (cohort_session_get_class_code (session), code) == 0)
          {
            gtk_window_present (l->data);
            return l->data;
          }
      }

  /* As clicking its row on the home does: resumed with the kept token. */
  home = cohort_application_show_home (self);
  if (!COHORT_IS_HOME_WINDOW (home))
    return NULL;
  model = cohort_home_window_get_model (COHORT_HOME_WINDOW (home));
  entry = cohort_home_model_lookup (model, server_url, code);
  for (guint i = 0; entry != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(CohortHomeEntry) item = g_list_model_get_item (G_LIST_MODEL (model), i);

      if (item == entry)
        cohort_home_window_open_class (COHORT_HOME_WINDOW (home), i);
    }
  return NULL;
}

CohortLessonReminders *
cohort_application_get_reminders (CohortApplication *self)
{
  g_return_val_if_fail (COHORT_IS_APPLICATION (self), NULL);

  return self->reminders;
}

CohortBackground *
cohort_application_get_background (CohortApplication *self)
{
  g_return_val_if_fail (COHORT_IS_APPLICATION (self), NULL);

  return self->background;
}

static void
cohort_application_activate (GApplication *app)
{
  cohort_application_show_home (COHORT_APPLICATION (app));
}

static int
cohort_application_handle_local_options (GApplication *app,
                                         GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("cohort %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

/* The key on the command line shows in `ps` to every user of the
 * machine; a 0600 file does not. Its first line, trimmed. The path is
 * the invoking process's, which may be another instance's directory. */
static char *
read_teacher_key_file (GApplicationCommandLine  *command_line,
                       const char               *path,
                       GError                  **error)
{
  g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, path);
  g_autofree char *contents = NULL;
  gsize length = 0;
  char *newline;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;
  if (length > 4096 || memchr (contents, '\0', length) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” does not hold a teacher key."), path);
      return NULL;
    }
  newline = strchr (contents, '\n');
  if (newline != NULL)
    *newline = '\0';
  g_strstrip (contents);
  if (*contents == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” does not hold a teacher key."), path);
      return NULL;
    }
  return g_steal_pointer (&contents);
}

/* Runs in the primary instance, for the first and for every later
 * invocation: each one opens a window of its own. */
static int
cohort_application_command_line (GApplication            *app,
                                 GApplicationCommandLine *command_line)
{
  CohortApplication *self = COHORT_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *server = NULL;
  const char *code = NULL;
  const char *name = NULL;
  const char *teacher_key = NULL;
  const char *teacher_key_file = NULL;
  g_autofree char *key_from_file = NULL;
  const char *title = NULL;
  g_autofree const char **links = NULL;
  CohortStartWindow *window;

  g_variant_dict_lookup (options, "server", "&s", &server);
  g_variant_dict_lookup (options, "code", "&s", &code);
  g_variant_dict_lookup (options, "name", "&s", &name);
  g_variant_dict_lookup (options, "teacher-key", "&s", &teacher_key);
  g_variant_dict_lookup (options, "start-class", "&s", &title);
  g_variant_dict_lookup (options, "teacher-key-file", "^&ay", &teacher_key_file);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &links);

  /* Started with the session (autostart, or the Background portal's
   * command line): no window. Kept alive by CohortBackground while the
   * user wants reminders with Cohort closed; otherwise it ends at once. */
  if (g_variant_dict_contains (options, "background"))
    return 0;

  /* A personal join link opened from a browser or a mail (the desktop file
   * registers x-scheme-handler/cohort): one window per link. */
  if (links != NULL && links[0] != NULL)
    {
      for (guint i = 0; links[i] != NULL; i++)
        cohort_application_open_link (self, links[i]);
      return 0;
    }

  if (teacher_key_file != NULL)
    {
      g_autoptr(GError) error = NULL;

      key_from_file = read_teacher_key_file (command_line, teacher_key_file, &error);
      if (key_from_file == NULL)
        {
          g_application_command_line_printerr (command_line, "%s\n", error->message);
          return 1;
        }
      teacher_key = key_from_file;
    }

  /* Plain `cohort`: the home, or the join form while nothing is kept. */
  if (server == NULL && code == NULL && name == NULL && teacher_key == NULL && title == NULL)
    {
      cohort_application_show_home (self);
      return 0;
    }

  window = cohort_application_show_start (self);
  cohort_start_window_set_fields (window, server, code, name, teacher_key, title);

  if (title != NULL && server != NULL && name != NULL)
    cohort_start_window_start_class (window);
  else if (title == NULL && server != NULL && code != NULL && (name != NULL || teacher_key != NULL))
    {
      /* A teacher signing in by key needs no name; the server ignores it. */
      if (name == NULL)
        cohort_start_window_set_fields (window, NULL, NULL, _("Teacher"), NULL, NULL);
      cohort_start_window_join (window);
    }

  return 0;
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *developers[] = { "The Cohort developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Cohort"),
                        "application-icon", "org.cohortclass.Cohort",
                        "developer-name", _("The Cohort developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://cohortclass.org",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

/* app.preferences: camera, microphone, video quality, sounds and
 * notifications, over the window that asked (students reach their devices
 * before they are invited to the stage). */
static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));
  GtkWidget *window = cohort_media_preferences_new ();

  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_present (GTK_WINDOW (window));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GList *windows = gtk_application_get_windows (app);

  /* Close each window so it cancels its work and saves its state. */
  for (GList *l = g_list_copy (windows); l != NULL; l = g_list_delete_link (l, l))
    gtk_window_close (GTK_WINDOW (l->data));
}

/* app.show-class-place ((us): a class window's id and a place in it): the
 * action of the class's desktop notifications. An app action, since the
 * shell activates notifications through the application's exported
 * actions (org.gtk.Actions) and knows nothing of windows. */
static void
show_class_place_action (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  const char *place;
  guint window_id;
  GtkWindow *window;

  g_variant_get (param, "(u&s)", &window_id, &place);
  window = gtk_application_get_window_by_id (app, window_id);
  /* The class may have been left since: then the app comes forward. */
  if (COHORT_IS_CLASS_WINDOW (window))
    cohort_class_window_show_place (COHORT_CLASS_WINDOW (window), place);
  else if (gtk_application_get_active_window (app) != NULL)
    gtk_window_present (gtk_application_get_active_window (app));
  else
    g_application_activate (G_APPLICATION (app));
}

/* app.open-class ((ss): a server and a class code): a lesson reminder's
 * action, which names the class as the token store keys it. Anyone on
 * the session bus may call it, so it connects only to a class kept
 * already; any other pair brings up the home and nothing more. */
static void
open_class_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  const char *server_url;
  const char *code;

  g_variant_get (param, "(&s&s)", &server_url, &code);
  cohort_application_open_kept_class (COHORT_APPLICATION (user_data), server_url, code);
}

/* A class joined or started keeps a token: the reminders look again. */
static void
on_window_added (CohortApplication *self,
                 GtkWindow         *window)
{
  if (COHORT_IS_CLASS_WINDOW (window))
    cohort_lesson_reminders_reload (self->reminders);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
  { "show-class-place", show_class_place_action, "(us)" },
  { "open-class", open_class_action, "(ss)" },
};

static void
cohort_application_startup (GApplication *app)
{
  CohortApplication *self = COHORT_APPLICATION (app);
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (cohort_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", preferences_accels);
  gtk_window_set_default_icon_name (APP_ID);
  /* While the user types the class code: GStreamer, its plugins and the
   * DTLS certificate, off the first join's critical path. */
  cohort_webrtc_warm_up ();

  /* Lesson reminders come from here, whether a class window is open or
   * not, so that one place decides. */
  self->reminders = cohort_lesson_reminders_new (app);
  g_signal_connect (app, "window-added", G_CALLBACK (on_window_added), NULL);
  cohort_lesson_reminders_reload (self->reminders);
  self->background = cohort_background_new (app);
}

static void
cohort_application_shutdown (GApplication *app)
{
  CohortApplication *self = COHORT_APPLICATION (app);

  g_clear_object (&self->background);
  g_clear_object (&self->reminders);

  G_APPLICATION_CLASS (cohort_application_parent_class)->shutdown (app);
}

static void
cohort_application_dispose (GObject *object)
{
  CohortApplication *self = COHORT_APPLICATION (object);

  g_clear_object (&self->background);
  g_clear_object (&self->reminders);

  G_OBJECT_CLASS (cohort_application_parent_class)->dispose (object);
}

static void
cohort_application_class_init (CohortApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cohort_application_dispose;
  app_class->shutdown = cohort_application_shutdown;
  app_class->activate = cohort_application_activate;
  app_class->startup = cohort_application_startup;
  app_class->command_line = cohort_application_command_line;
  app_class->handle_local_options = cohort_application_handle_local_options;
}

static void
cohort_application_init (CohortApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Join or start a live class."));
}

CohortApplication *
cohort_application_new (void)
{
  /* style.css and icons/ are loaded from this path by AdwApplication and
   * GtkApplication, also for the .Devel app id. */
  return g_object_new (COHORT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/org/cohortclass/Cohort",
                       NULL);
}

/* cohort-test-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cohort-class-window-private.h"
#include "cohort-participant-row.h"
#include "cohort-start-window.h"
#include "cohort-test-ui.h"
#include "cohort-test-wait.h"

CohortClassWindow *
cohort_test_ui_present_class (CohortSession *session)
{
  CohortClassWindow *window = cohort_class_window_new (NULL, session);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 680);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

void
cohort_test_ui_save_named_screenshot (gpointer    widget,
                                      const char *area,
                                      const char *name,
                                      const char *language)
{
  g_autofree char *file_name = language != NULL ? g_strdup_printf ("%s-%s-%s.png", area, name, language)
                                                : g_strdup_printf ("%s-%s.png", area, name);

  cohort_test_ui_settle (300);
  cohort_test_ui_save_screenshot (GTK_WIDGET (widget), file_name);
}

const char *
cohort_test_ui_use_test_language (void)
{
  const char *language = g_getenv ("COHORT_TEST_LANGUAGE");
  g_autofree char *locale = NULL;

  if (language == NULL)
    return NULL;
  locale = g_strdup_printf ("%s.UTF-8", language);
  g_setenv ("LC_ALL", locale, TRUE);
  g_setenv ("LANGUAGE", language, TRUE);
  if (setlocale (LC_ALL, locale) == NULL)
    g_printerr ("No %s locale: strings stay in English\n", locale);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("COHORT_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return language;
}

char *
cohort_test_ui_init (int          *argc,
                     char       ***argv,
                     const char   *prefix)
{
  g_autofree char *template = g_strdup_printf ("cohort-%s-XXXXXX", prefix);
  char *data_home = g_dir_make_tmp (template, NULL);

  g_assert_nonnull (data_home);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  cohort_test_ui_init_display (argc, argv);
  return data_home;
}

void
cohort_test_ui_init_display (int    *argc,
                             char ***argv)
{
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display;

  gtk_test_init (argc, argv, NULL);
  adw_init ();

  display = gdk_display_get_default ();
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/org/cohortclass/Cohort/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    "/org/cohortclass/Cohort/icons");
}

void
cohort_test_ui_remove_data_home (const char *data_home)
{
  g_autofree char *tokens = g_build_filename (data_home, "cohort", "tokens.ini", NULL);
  g_autofree char *dir = g_build_filename (data_home, "cohort", NULL);

  g_remove (tokens);
  g_rmdir (dir);
  g_rmdir (data_home);
}

gpointer
cohort_test_ui_side_page (CohortClassWindow *window,
                          const char        *name,
                          GType              type)
{
  GtkWidget *page = adw_view_stack_get_child_by_name (window->side_stack, name);

  g_assert_true (G_TYPE_CHECK_INSTANCE_TYPE (page, type));
  return page;
}

CohortApplication *
cohort_test_ui_new_application (const char *id)
{
  CohortApplication *app = cohort_application_new ();
  g_autoptr(GError) error = NULL;

  /* An id of each test's own: an application stays on the bus (its
   * object path) until it is finalized. */
  g_application_set_application_id (G_APPLICATION (app), id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

GtkWindow *
cohort_test_ui_app_window (GtkApplication *app,
                           GType           type)
{
  GtkWindow *found = NULL;

  for (GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      {
        g_assert_null (found);
        found = l->data;
      }
  return found;
}

void
cohort_test_ui_close_app_windows (GtkApplication *app)
{
  GList *windows = g_list_copy (gtk_application_get_windows (app));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (windows);
  cohort_test_ui_settle (50);
}

void
cohort_test_ui_show_side_page (CohortClassWindow *window,
                               const char        *name)
{
  adw_flap_set_reveal_flap (window->flap, TRUE);
  adw_view_stack_set_visible_child_name (window->side_stack, name);
}

void
cohort_test_ui_save_phone_width (CohortClassWindow *window,
                                 int                height,
                                 const char        *file_name)
{
  gtk_window_set_default_size (GTK_WINDOW (window), 360, height);
  cohort_test_ui_settle (600);
  adw_flap_set_reveal_flap (window->flap, TRUE);
  cohort_test_ui_settle (800);
  cohort_test_ui_save_screenshot (GTK_WIDGET (window), file_name);
}

void
cohort_test_ui_close_windows (gpointer window,
                              ...)
{
  g_autoptr(GPtrArray) windows = g_ptr_array_new_with_free_func (g_object_unref);
  va_list args;

  va_start (args, window);
  for (gpointer w = window; w != NULL; w = va_arg (args, gpointer))
    g_ptr_array_add (windows, w);
  va_end (args);

  /* Every window closes before the references go (in the same order). */
  for (guint i = 0; i < windows->len; i++)
    gtk_window_destroy (GTK_WINDOW (g_ptr_array_index (windows, i)));
}

static gpointer
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;  /* GTK keeps it while it is open */
    }
  return NULL;
}

static gboolean
has_toplevel (gpointer data)
{
  return find_toplevel (*(GType *) data) != NULL;
}

gpointer
cohort_test_ui_wait_toplevel (GType type,
                              guint timeout_ms)
{
  g_assert_true (cohort_test_ui_wait_for (has_toplevel, &type, timeout_ms));
  return find_toplevel (type);
}

int
cohort_test_ui_run (CohortTestServer *server,
                    const char       *data_home)
{
  int status = g_test_run ();

  g_clear_pointer (&server, cohort_test_server_free);
  if (data_home != NULL)
    cohort_test_ui_remove_data_home (data_home);
  return status;
}

typedef struct
{
  CohortStartWindow *start;  /* weak: the window closes itself once the class is open */
  CohortClassWindow *window;
} Opened;

static void
on_class_opened (CohortStartWindow *start,
                 CohortClassWindow *window,
                 Opened            *opened)
{
  opened->window = g_object_ref (window);
}

static gboolean
opened_or_failed (gpointer data)
{
  Opened *opened = data;

  /* A failed attempt leaves its error on the page and stops being busy:
   * stop there rather than wait out the deadline. */
  return opened->window != NULL ||
         (opened->start != NULL &&
          cohort_start_window_get_error_message (opened->start) != NULL &&
          !cohort_start_window_get_busy (opened->start));
}

CohortClassWindow *
cohort_test_ui_wait_class_opened (CohortStartWindow *start)
{
  Opened result = { start, NULL };
  gulong handler = g_signal_connect (start, "class-opened", G_CALLBACK (on_class_opened), &result);

  g_object_add_weak_pointer (G_OBJECT (start), (gpointer *) &result.start);
  g_assert_true (cohort_test_ui_wait_for (opened_or_failed, &result, 10000));
  if (result.window == NULL)
    g_error ("The start page failed: %s", cohort_start_window_get_error_message (start));
  /* It closes itself once the class window is up. */
  if (result.start != NULL)
    {
      g_signal_handler_disconnect (start, handler);
      g_object_remove_weak_pointer (G_OBJECT (start), (gpointer *) &result.start);
    }
  g_assert_null (result.start);
  return result.window;
}

CohortClassWindow *
cohort_test_ui_open_class (CohortTestServer *server,
                           const char       *code,
                           const char       *name,
                           const char       *title)
{
  CohortStartWindow *start = cohort_start_window_new (NULL);
  const char *url = cohort_test_server_get_url (server);

  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, url, code, name, NULL, title);
  if (title != NULL)
    {
      /* identity: as the test server's staff; students are let in at once. */
      const char *credential = cohort_test_server_get_staff_credential (server);

      cohort_start_window_set_staff_credential (start, credential);
      cohort_start_window_set_waiting_room (start, FALSE);
      cohort_start_window_start_class (start);
    }
  else
    cohort_start_window_join (start);
  return cohort_test_ui_wait_class_opened (start);
}
gboolean
cohort_test_ui_wait_for (GSourceFunc condition,
                         gpointer    data,
                         guint       timeout_ms)
{
  return cohort_test_wait_for (condition, data, timeout_ms);
}

void
cohort_test_ui_settle (guint ms)
{
  cohort_test_iterate_for (ms);
}

void
cohort_test_ui_save_screenshot (GtkWidget  *widget,
                                const char *file_name)
{
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = 0;
  int height = 0;

  /* A busy machine may not have mapped and painted the widget yet. */
  for (guint attempt = 0; node == NULL && attempt < 50; attempt++)
    {
      g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (attempt > 0)
        {
          gtk_widget_queue_draw (widget);
          cohort_test_ui_settle (100);
        }
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      if (width <= 0 || height <= 0 || !gtk_widget_get_mapped (widget))
        continue;
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_test_build_filename (G_TEST_BUILT, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Screenshot: %s", path);
}

guint32
cohort_test_ui_texture_pixel (GdkTexture *texture,
                              int         x,
                              int         y)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guchar *data = g_malloc ((gsize) width * height * 4);
  const guchar *p;

  g_assert_true (x >= 0 && x < width && y >= 0 && y < height);
  /* CAIRO_FORMAT_ARGB32: B, G, R, A in memory here. */
  gdk_texture_download (texture, data, (gsize) width * 4);
  p = data + ((gsize) y * width + x) * 4;
  return (p[2] << 16) | (p[1] << 8) | p[0];
}

void
cohort_test_ui_assert_smpte_bars (GdkTexture *texture)
{
  /* videotestsrc's SMPTE bars, left to right. */
  const guint32 bars[] = { 0xffffff, 0xffff00, 0x00ffff, 0x00ff00, 0xff00ff, 0xff0000, 0x0000ff };
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);

  for (guint i = 0; i < G_N_ELEMENTS (bars); i++)
    {
      guint32 got = cohort_test_ui_texture_pixel (texture, (int) ((i + 0.5) / 7.0 * width), (int) (0.3 * height));

      g_test_message ("bar %u: %06x (want about %06x)", i, got, bars[i]);
      for (int shift = 0; shift <= 16; shift += 8)
        g_assert_cmpint (ABS ((int) ((got >> shift) & 0xff) - (int) ((bars[i] >> shift) & 0xff)), <=, 40);
    }
}

GtkWidget *
cohort_test_ui_find (GtkWidget         *root,
                     CohortTestUiMatch  match,
                     gconstpointer      data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cohort_test_ui_find (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

void
cohort_test_ui_find_all (GtkWidget         *root,
                         CohortTestUiMatch  match,
                         gconstpointer      data,
                         GPtrArray         *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (match (child, data))
        g_ptr_array_add (out, child);
      cohort_test_ui_find_all (child, match, data, out);
    }
}

GtkWidget *
cohort_test_ui_find_shown (GtkWidget         *root,
                           CohortTestUiMatch  match,
                           gconstpointer      data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child) || !gtk_widget_get_child_visible (child))
        continue;
      if (match (child, data))
        return child;
      if ((found = cohort_test_ui_find_shown (child, match, data)) != NULL)
        return found;
    }
  return NULL;
}

gboolean
cohort_test_ui_is_label (GtkWidget     *widget,
                         gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

gboolean
cohort_test_ui_is_type (GtkWidget     *widget,
                        gconstpointer  type_name)
{
  return g_str_equal (G_OBJECT_TYPE_NAME (widget), type_name);
}

gboolean
cohort_test_ui_is_entry (GtkWidget     *widget,
                         gconstpointer  text)
{
  return GTK_IS_EDITABLE (widget) && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (widget)), text) == 0;
}

const char *
cohort_test_ui_use_language (void)
{
  const char *language = g_getenv ("COHORT_TEST_LANGUAGE");
  g_autofree char *lc_all = NULL;

  if (language == NULL)
    return NULL;
  lc_all = g_strdup_printf ("%s.UTF-8", language);
  g_setenv ("LC_ALL", lc_all, TRUE);
  g_setenv ("LANGUAGE", language, TRUE);
  setlocale (LC_ALL, lc_all);
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("COHORT_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return language;
}

gboolean
cohort_test_ui_is_row_of (GtkWidget     *widget,
                          gconstpointer  data)
{
  const gint64 *id = data;
  CohortParticipant *p;

  if (!COHORT_IS_PARTICIPANT_ROW (widget))
    return FALSE;
  p = cohort_participant_row_get_participant (COHORT_PARTICIPANT_ROW (widget));
  return p != NULL && cohort_participant_get_id (p) == *id;
}

void
cohort_test_ui_save_light_and_dark (gpointer    widget,
                                    const char *area,
                                    const char *name,
                                    const char *language)
{
  AdwStyleManager *style = adw_style_manager_get_default ();

  for (guint dark = 0; dark < 2; dark++)
    {
      g_autofree char *full = g_strdup_printf ("%s-%s", name, dark ? "dark" : "light");

      adw_style_manager_set_color_scheme (style, dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      cohort_test_ui_save_named_screenshot (widget, area, full, language);
    }
  adw_style_manager_set_color_scheme (style, ADW_COLOR_SCHEME_DEFAULT);
}

static gboolean
at_most_360 (gpointer data)
{
  int width = gtk_widget_get_width (data);

  return width > 0 && width <= 360;
}

void
cohort_test_ui_phone_width (gpointer window,
                            int      height)
{
  /* A size asked for while the first configure is on its way can be lost
   * under Xvfb: each try asks for a size a pixel apart. */
  for (guint attempt = 0; attempt < 4 && !at_most_360 (window); attempt++)
    {
      gtk_window_set_default_size (GTK_WINDOW (window), 360 - (int) (attempt % 2), height);
      cohort_test_ui_wait_for (at_most_360, window, 2000);
    }
  g_assert_true (at_most_360 (window));
}

static void
collect_mnemonics (GtkWidget  *widget,
                   GHashTable *seen,
                   const char *where)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)))
    {
      guint keyval = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      const char *other = g_hash_table_lookup (seen, GUINT_TO_POINTER (keyval));

      if (keyval != GDK_KEY_VoidSymbol)
        {
          if (other != NULL)
            g_error ("%s: Alt+%s belongs to “%s” and “%s”", where, gdk_keyval_name (keyval), other,
                     gtk_label_get_label (GTK_LABEL (widget)));
          g_hash_table_insert (seen, GUINT_TO_POINTER (keyval), (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
        }
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, seen, where);
}

/* Each tab of @window, as shown: no two controls answer the same Alt key
 * (Alt+H was both "Raise Hand" and "Helper"). The tab switcher's own
 * mnemonics are shown with every tab. */
void
cohort_test_ui_assert_unique_mnemonics (CohortClassWindow *window,
                                        const char        *who)
{
  GtkSelectionModel *pages = adw_view_stack_get_pages (window->side_stack);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (pages)); i++)
    {
      g_autoptr(AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i);
      g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
      g_autofree char *where = g_strdup_printf ("%s, tab %s", who, adw_view_stack_page_get_name (page));

      if (!adw_view_stack_page_get_visible (page))
        continue;
      adw_view_stack_set_visible_child (window->side_stack, adw_view_stack_page_get_child (page));
      cohort_test_ui_settle (150);
      collect_mnemonics (GTK_WIDGET (window), seen, where);
    }
  adw_view_stack_set_visible_child_name (window->side_stack, "people");
}

static void
xdotool (GPtrArray *args)
{
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_ptr_array_insert (args, 0, g_strdup ("xdotool"));
  g_ptr_array_add (args, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

gboolean
cohort_test_ui_keys_focus (gpointer window)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *program = g_find_program_in_path ("xdotool");

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()) || program == NULL)
    return FALSE;
  g_ptr_array_add (args, g_strdup ("windowfocus"));
  g_ptr_array_add (args, g_strdup ("--sync"));
  g_ptr_array_add (args, g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                                            gtk_native_get_surface (GTK_NATIVE (window)))));
  xdotool (args);
  cohort_test_ui_settle (200);
  return TRUE;
}

void
cohort_test_ui_press_keys (const char *first,
                           ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  va_list keys;

  g_ptr_array_add (args, g_strdup ("key"));
  va_start (keys, first);
  for (const char *key = first; key != NULL; key = va_arg (keys, const char *))
    g_ptr_array_add (args, g_strdup (key));
  va_end (keys);
  xdotool (args);
  cohort_test_ui_settle (150);
}

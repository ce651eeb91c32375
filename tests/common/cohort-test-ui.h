/* cohort-test-ui.h: helpers the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "cohort-application.h"
#include "cohort-class-window.h"
#include "cohort-start-window.h"
#include "cohort-test-server.h"

G_BEGIN_DECLS

/* A class window of @session (with no application), 1000×680, presented;
 * GTK holds it until it is destroyed. */
CohortClassWindow *cohort_test_ui_present_class    (CohortSession     *session);
/* After a short settle, @widget as "<area>-<name>[-<language>].png". */
void               cohort_test_ui_save_named_screenshot (gpointer      widget,
                                                         const char   *area,
                                                         const char   *name,
                                                         const char   *language);
/* For a UI test's main(), first: COHORT_TEST_LANGUAGE=zh_CN (with
 * COHORT_LOCALEDIR) runs it in that language, for screenshots. Returns
 * the language, or NULL (English). */
const char        *cohort_test_ui_use_test_language (void);
/* For a UI test's main(): a throwaway XDG_DATA_HOME (the token store
 * writes there; @prefix names it), GTK under test, libadwaita, and the
 * app's stylesheet and icons. Returns the data folder, for
 * cohort_test_ui_remove_data_home(). */
char              *cohort_test_ui_init             (int               *argc,
                                                    char            ***argv,
                                                    const char        *prefix);
/* COHORT_TEST_LANGUAGE (zh_CN, say) as the test's language, its
 * translations from COHORT_LOCALEDIR: screenshots in that language.
 * Returns the language, or NULL when unset. Call it first in main(). */
const char        *cohort_test_ui_use_language     (void);
/* GTK under test, libadwaita, and the app's stylesheet and icons. */
void               cohort_test_ui_init_display     (int               *argc,
                                                    char            ***argv);
/* Removes the token store cohort_test_ui_init() made room for, and the
 * folder. */
void               cohort_test_ui_remove_data_home (const char        *data_home);
/* The end of a UI test's main(): runs the tests, then frees @server and
 * removes @data_home (either may be NULL); returns g_test_run()'s status. */
int                cohort_test_ui_run              (CohortTestServer  *server,
                                                    const char        *data_home);
/* Waits until @start, which was just told to start or join a class,
 * opens its class window and returns it (a new reference). Asserts that
 * it opens (fails with the page's error at once if the attempt fails)
 * and that the start window then closes itself. */
CohortClassWindow *cohort_test_ui_wait_class_opened (CohortStartWindow *start);
/* Opens a class window through the start window, as a user does: starts
 * the class @title as @server's staff without a waiting room when @title
 * is set, or joins the class @code as @name. Asserts that it opened. */
CohortClassWindow *cohort_test_ui_open_class       (CohortTestServer  *server,
                                                    const char        *code,
                                                    const char        *name,
                                                    const char        *title);

/* A real CohortApplication registered as @id (not unique, so that each
 * test has its own on the private bus), handling command lines. */
CohortApplication *cohort_test_ui_new_application  (const char        *id);
/* The one window of @type that @app has (asserted), or NULL. */
GtkWindow         *cohort_test_ui_app_window       (GtkApplication    *app,
                                                    GType              type);
/* Destroys every window of @app and lets the main loop settle. */
void               cohort_test_ui_close_app_windows (GtkApplication   *app);

/* The page @name of @window's side panel, asserted to be a @type. */
gpointer           cohort_test_ui_side_page        (CohortClassWindow *window,
                                                    const char        *name,
                                                    GType              type);
/* Reveals @window's side panel on its page @name, as a user does. */
void               cohort_test_ui_show_side_page   (CohortClassWindow *window,
                                                    const char        *name);

/* Narrows @window to a phone's width (360 x @height), reveals its side
 * panel over the stage, and saves a screenshot as @file_name. */
void               cohort_test_ui_save_phone_width (CohortClassWindow *window,
                                                    int                height,
                                                    const char        *file_name);
/* Shows each tab of @window and asserts that no two controls on screen
 * answer the same Alt key (@who names the window in the message). */
void               cohort_test_ui_assert_unique_mnemonics (CohortClassWindow *window,
                                                           const char        *who);
/* Closes each window of the NULL-terminated list and drops the test's
 * reference to it (cohort_test_ui_wait_class_opened() and
 * cohort_test_ui_open_class() return one). */
void               cohort_test_ui_close_windows    (gpointer           window,
                                                    ...) G_GNUC_NULL_TERMINATED;
/* Waits until a toplevel window of @type is open (a dialog, say) and
 * returns the first; asserts that one opens within @timeout_ms (scaled). */
gpointer           cohort_test_ui_wait_toplevel    (GType              type,
                                                    guint              timeout_ms);

/* Saves @widget as "<area>-<name>-light[-<language>].png" and "-dark",
 * forcing each colour scheme in turn, then back to the default. */
void               cohort_test_ui_save_light_and_dark (gpointer    widget,
                                                       const char *area,
                                                       const char *name,
                                                       const char *language);
/* Narrows @window to at most 360 px wide (@height tall); asserts that
 * nothing keeps it wider. */
void               cohort_test_ui_phone_width      (gpointer           window,
                                                    int                height);

/* Real key presses through the X server (xdotool's XTest), as a user's:
 * focuses @window and returns TRUE, or FALSE (skip the test) without X11
 * or xdotool. */
gboolean           cohort_test_ui_keys_focus       (gpointer           window);
/* Presses the xdotool key names (“Tab”, “shift+F10”), NULL-terminated,
 * and lets the windows settle. */
void               cohort_test_ui_press_keys       (const char        *first,
                                                    ...) G_GNUC_NULL_TERMINATED;

/* cohort_test_wait_for(): iterates until @condition (@data) holds or
 * @timeout_ms (scaled) pass; returns the condition's last value. */
gboolean cohort_test_ui_wait_for        (GSourceFunc  condition,
                                         gpointer     data,
                                         guint        timeout_ms);
/* Lets windows lay themselves out and paint for @ms. */
void     cohort_test_ui_settle          (guint        ms);
/* Renders @widget (any widget, once it is mapped and painted) into
 * @file_name next to the test binary, and asserts that it worked. */
void     cohort_test_ui_save_screenshot (GtkWidget   *widget,
                                         const char  *file_name);
/* @texture's pixel at (@x, @y), as 0xRRGGBB. */
guint32  cohort_test_ui_texture_pixel   (GdkTexture  *texture,
                                         int          x,
                                         int          y);
/* Asserts that @texture shows videotestsrc's SMPTE bars (each within 40
 * of its colour, at 30 % of the height). */
void     cohort_test_ui_assert_smpte_bars (GdkTexture *texture);

/* Whether @widget is the one a search looks for (@data says which). */
typedef gboolean (*CohortTestUiMatch) (GtkWidget     *widget,
                                       gconstpointer  data);
/* The first widget, depth first from @root itself, for which @match
 * (@data) holds, or NULL. */
GtkWidget *cohort_test_ui_find       (GtkWidget         *root,
                                      CohortTestUiMatch  match,
                                      gconstpointer      data);
/* Every widget below @root (not @root itself), depth first, for which
 * @match (@data) holds, appended to @out. */
void       cohort_test_ui_find_all   (GtkWidget         *root,
                                      CohortTestUiMatch  match,
                                      gconstpointer      data,
                                      GPtrArray         *out);
/* The same, passing over what is not shown: hidden widgets, and children
 * their parent keeps out of view (a stack's other pages), with all they
 * hold. @root itself is not tested. */
GtkWidget *cohort_test_ui_find_shown (GtkWidget         *root,
                                      CohortTestUiMatch  match,
                                      gconstpointer      data);
/* Matches for cohort_test_ui_find(): a label whose text is @data; a
 * widget whose type is named @data; an editable whose text is @data. */
gboolean   cohort_test_ui_is_label   (GtkWidget         *widget,
                                      gconstpointer      text);
gboolean   cohort_test_ui_is_type    (GtkWidget         *widget,
                                      gconstpointer      type_name);
gboolean   cohort_test_ui_is_entry   (GtkWidget         *widget,
                                      gconstpointer      text);
/* A CohortParticipantRow showing the participant whose id is *@id
 * (a gint64 *). */
gboolean   cohort_test_ui_is_row_of  (GtkWidget         *widget,
                                      gconstpointer      id);

G_END_DECLS

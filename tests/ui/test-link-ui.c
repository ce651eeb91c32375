/* test-link-ui.c: telling people about weak links, in real windows
 *
 * A real cohort-server and real class windows under Xvfb: a student's
 * link report puts "Weak connection" on their row of the teacher's
 * People page, and takes it off again; a video tile's link indicator; the
 * stage's debug overlay and its shortcut. The live parts (a tile of a
 * real subscription, the overlay's steps) are in
 * tests/media/test-media-ui.c.
 *
 * COHORT_TEST_LANGUAGE=zh_CN (with COHORT_LOCALEDIR) runs it in Chinese,
 * to look at the screenshots.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>

#include "cohort-class-window-private.h"
#include "cohort-link-overlay.h"
#include "cohort-media-protocol.h"
#include "cohort-participant-row.h"
#include "cohort-protocol.h"
#include "cohort-stage.h"
#include "cohort-test-session.h"
#include "cohort-test-ui.h"
#include "cohort-video-tile.h"

static CohortTestServer *server;

static gboolean
has_tooltip (GtkWidget     *widget,
             gconstpointer  text)
{
  return GTK_IS_IMAGE (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) == 0;
}

typedef struct
{
  CohortClassWindow *teacher;
  gint64             student_id;
  gboolean           marked;
} RowWait;

/* The student's row in the teacher's People list shows the marker (or
 * not), as a user would see it: shown, in a row that is shown. */
static gboolean
row_marked (gpointer data)
{
  RowWait *wait = data;
  GtkWidget *row = cohort_test_ui_find_shown (GTK_WIDGET (wait->teacher->roster_view), cohort_test_ui_is_row_of, &wait->student_id);

  if (row == NULL)
    return FALSE;
  return (cohort_test_ui_find_shown (row, has_tooltip, _("Weak connection")) != NULL) == wait->marked;
}

static void
report (CohortClassWindow *student,
        const char        *level)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (body, "level", level);
  reply = cohort_test_session_request (cohort_class_window_get_session (student), COHORT_REQ_MEDIA_QUALITY,
                                       body, &error);
  g_assert_no_error (error);
}

/* Reports @level as @student, then waits until the row is @marked. */
static void
report_until (CohortClassWindow *student,
              const char        *level,
              RowWait           *wait,
              gboolean           marked)
{
  report (student, level);
  wait->marked = marked;
  g_assert_true (cohort_test_ui_wait_for (row_marked, wait, 10000));
}

static void
test_people_marker (void)
{
  CohortClassWindow *teacher;
  CohortClassWindow *mei;
  CohortClassWindow *sam;
  g_autofree char *code = NULL;
  RowWait wait = { 0 };
  GtkWidget *row;

  teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Physics 101");
  gtk_window_set_default_size (GTK_WINDOW (teacher), 1100, 720);
  code = g_strdup (cohort_session_get_class_code (cohort_class_window_get_session (teacher)));
  mei = cohort_test_ui_open_class (server, code, "Mei", NULL);
  sam = cohort_test_ui_open_class (server, code, "Sam", NULL);
  cohort_test_ui_show_side_page (teacher, "people");

  wait.teacher = teacher;
  wait.student_id = cohort_participant_get_id (cohort_session_get_self (cohort_class_window_get_session (mei)));
  g_assert_true (cohort_test_ui_wait_for (row_marked, &wait, 10000));

  /* Mei's link is poor: her row says so, with a symbol and in words. */
  report_until (mei, COHORT_MEDIA_QUALITY_POOR, &wait, TRUE);
  row = cohort_test_ui_find_shown (GTK_WIDGET (teacher->roster_view), cohort_test_ui_is_row_of, &wait.student_id);
  {
    GtkWidget *icon = cohort_test_ui_find_shown (row, has_tooltip, _("Weak connection"));

    g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, "network-cellular-signal-weak-symbolic");
  }
  /* In words too, beside the role. */
  {
    g_autofree char *words = g_strdup_printf (_("%s · Weak connection"), _("Student"));

    g_assert_nonnull (cohort_test_ui_find_shown (row, cohort_test_ui_is_label, words));
  }
  cohort_test_ui_settle (400);
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "link-people-weak.png");
  cohort_test_ui_save_phone_width (teacher, 720, "link-people-weak-360.png");
  gtk_window_set_default_size (GTK_WINDOW (teacher), 1100, 720);

  /* Students never see it, not even of themselves. */
  {
    gint64 id = wait.student_id;

    cohort_test_ui_show_side_page (sam, "people");
    cohort_test_ui_settle (300);
    row = cohort_test_ui_find_shown (GTK_WIDGET (sam->roster_view), cohort_test_ui_is_row_of, &id);
    g_assert_nonnull (row);
    g_assert_null (cohort_test_ui_find_shown (row, has_tooltip, _("Weak connection")));
  }

  /* Fair is no alarm; good again clears it. */
  report_until (mei, COHORT_MEDIA_QUALITY_FAIR, &wait, FALSE);
  report_until (mei, COHORT_MEDIA_QUALITY_POOR, &wait, TRUE);
  report_until (mei, COHORT_MEDIA_QUALITY_GOOD, &wait, FALSE);

  /* Poor, then Mei leaves: it clears. */
  report_until (mei, COHORT_MEDIA_QUALITY_POOR, &wait, TRUE);
  cohort_test_ui_close_windows (mei, NULL);
  wait.marked = FALSE;
  g_assert_true (cohort_test_ui_wait_for (row_marked, &wait, 10000));
  g_assert_false (cohort_participant_get_online (cohort_roster_lookup (
                    cohort_session_get_roster (cohort_class_window_get_session (teacher)), wait.student_id)));

  cohort_test_ui_close_windows (sam, teacher, NULL);
}

static gboolean
is_link_indicator (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_IMAGE (widget) && gtk_widget_has_css_class (widget, "video-link");
}

/* The indicator of a tile: nothing while good; a symbol with a tooltip
 * and an accessible name when not. */
static void
test_tile_indicator (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *tiles[] = { cohort_video_tile_new (), cohort_video_tile_new () };
  const struct {
    CohortLinkQuality  quality;
    const char        *icon;
    const char        *tooltip;
    const char        *screenshot;
  } cases[] = {
    { COHORT_LINK_QUALITY_FAIR, "network-cellular-signal-ok-symbolic",
      N_("Unsteady connection: this video is shown in lower quality"), "link-tile-fair.png" },
    { COHORT_LINK_QUALITY_POOR, "network-cellular-signal-weak-symbolic",
      N_("Weak connection: this video is lowered or paused so that you keep the sound"), "link-tile-poor.png" },
    { COHORT_LINK_QUALITY_GOOD, NULL, NULL, NULL },
  };

  cohort_video_tile_set_name (COHORT_VIDEO_TILE (tiles[0]), "Ms. Rivera");
  cohort_video_tile_set_status (COHORT_VIDEO_TILE (tiles[0]), _("Connecting…"));
  cohort_video_tile_set_name (COHORT_VIDEO_TILE (tiles[1]), "Mei");
  cohort_video_tile_set_compact (COHORT_VIDEO_TILE (tiles[1]), TRUE);
  gtk_widget_set_size_request (tiles[0], 480, 270);
  gtk_widget_set_size_request (tiles[1], 208, 117);
  gtk_box_append (GTK_BOX (box), tiles[0]);
  gtk_box_append (GTK_BOX (box), tiles[1]);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  cohort_test_ui_settle (200);

  /* Good: a calm tile. */
  for (guint t = 0; t < G_N_ELEMENTS (tiles); t++)
    g_assert_null (cohort_test_ui_find_shown (tiles[t], is_link_indicator, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (guint t = 0; t < G_N_ELEMENTS (tiles); t++)
        {
          GtkWidget *icon;

          cohort_video_tile_set_link_quality (COHORT_VIDEO_TILE (tiles[t]), cases[i].quality);
          g_assert_cmpint (cohort_video_tile_get_link_quality (COHORT_VIDEO_TILE (tiles[t])), ==, cases[i].quality);
          icon = cohort_test_ui_find_shown (tiles[t], is_link_indicator, NULL);
          if (cases[i].icon == NULL)
            {
              g_assert_null (icon);
              continue;
            }
          g_assert_nonnull (icon);
          g_assert_cmpstr (gtk_image_get_icon_name (GTK_IMAGE (icon)), ==, cases[i].icon);
          g_assert_cmpstr (gtk_widget_get_tooltip_text (icon), ==, _(cases[i].tooltip));
          /* Only poor is in the warning colour; the symbol and the words
           * say it without colour. */
          g_assert_cmpint (gtk_widget_has_css_class (icon, "poor"), ==, cases[i].quality == COHORT_LINK_QUALITY_POOR);
        }
      if (cases[i].screenshot != NULL)
        {
          cohort_test_ui_settle (200);
          cohort_test_ui_save_screenshot (window, cases[i].screenshot);
        }
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_link_overlay_binding (GtkShortcut *shortcut)
{
  GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
  g_autofree char *trigger = gtk_shortcut_trigger_to_string (gtk_shortcut_get_trigger (shortcut));

  return GTK_IS_NAMED_ACTION (action) &&
         g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), "stage.link-overlay") == 0 &&
         g_str_equal (trigger, "<Shift><Control>d");
}

/* The debug overlay: Ctrl+Shift+D on the class window toggles it. */
static void
test_overlay_shortcut (void)
{
  CohortClassWindow *teacher;
  GtkWidget *overlay;

  teacher = cohort_test_ui_open_class (server, NULL, "Ms. Rivera", "Physics 101");
  gtk_window_set_default_size (GTK_WINDOW (teacher), 1100, 720);
  overlay = cohort_stage_get_link_overlay (COHORT_STAGE (teacher->stage));
  g_assert_false (gtk_widget_get_visible (overlay));

  /* The window's class shortcuts hold Ctrl+Shift+D for it. */
  {
    g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (teacher));
    gboolean bound = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (controllers) && !bound; i++)
      {
        g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

        if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
          continue;
        for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (controller)) && !bound; k++)
          {
            g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), k);

            bound = is_link_overlay_binding (shortcut);
          }
      }
    g_assert_true (bound);
  }
  g_assert_true (cohort_link_overlay_get_call (COHORT_LINK_OVERLAY (overlay)) ==
                 cohort_classroom_get_call (teacher->classroom));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "stage.link-overlay", NULL));
  cohort_test_ui_settle (300);
  g_assert_true (gtk_widget_get_mapped (overlay));
  g_assert_cmpuint (cohort_link_overlay_get_n_steps (COHORT_LINK_OVERLAY (overlay)), ==, 0);
  g_assert_nonnull (cohort_test_ui_find_shown (overlay, cohort_test_ui_is_label,
                                               _("No steps yet: every video is at its best layer.")));
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "link-overlay-empty.png");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (teacher), "stage.link-overlay", NULL));
  cohort_test_ui_settle (100);
  g_assert_false (gtk_widget_get_visible (overlay));

  cohort_test_ui_close_windows (teacher, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  const char *language = g_getenv ("COHORT_TEST_LANGUAGE");

  if (language != NULL)
    {
      g_autofree char *locale = g_strdup_printf ("%s.UTF-8", language);

      g_setenv ("LANGUAGE", language, TRUE);
      if (setlocale (LC_ALL, locale) == NULL)
        g_printerr ("No %s locale: strings stay in English\n", locale);
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("COHORT_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }

  data_home = cohort_test_ui_init (&argc, &argv, "link-ui");
  server = cohort_test_server_start (NULL);

  g_test_add_func ("/cohort/ui/link/people-marker", test_people_marker);
  g_test_add_func ("/cohort/ui/link/tile-indicator", test_tile_indicator);
  g_test_add_func ("/cohort/ui/link/overlay-shortcut", test_overlay_shortcut);

  return cohort_test_ui_run (server, data_home);
}

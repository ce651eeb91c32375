/* cohort-atspi-walk.c: what a screen reader finds in a running Cohort
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * cohort-atspi-walk PID: walks the accessible tree that the process PID
 * publishes on the accessibility bus, as Orca would, and lists every
 * visible control (in any tab) that a screen-reader user cannot name: an
 * interactive role with an empty name, or a name with a mnemonic
 * underscore left in it ("_Questions"). Exit 0 when there is none, 1
 * when there is, 2 when the application is not on the bus.
 *
 * A separate process: the application must keep answering its D-Bus
 * calls while this one asks. COHORT_ATSPI_WALK_VERBOSE=1 prints the
 * whole tree it saw.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <atspi/atspi.h>

/* libatspi 2.46 declares no cleanups of its own. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiAccessible, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtspiStateSet, g_object_unref)

static gboolean
interactive (AtspiRole role)
{
  switch (role)
    {
    case ATSPI_ROLE_PUSH_BUTTON:
    case ATSPI_ROLE_TOGGLE_BUTTON:
    case ATSPI_ROLE_CHECK_BOX:
    case ATSPI_ROLE_RADIO_BUTTON:
    case ATSPI_ROLE_ENTRY:
    case ATSPI_ROLE_PASSWORD_TEXT:
    case ATSPI_ROLE_COMBO_BOX:
    case ATSPI_ROLE_SPIN_BUTTON:
    case ATSPI_ROLE_SLIDER:
    case ATSPI_ROLE_LINK:
    case ATSPI_ROLE_PAGE_TAB:
    case ATSPI_ROLE_PROGRESS_BAR:
    case ATSPI_ROLE_LEVEL_BAR:
      return TRUE;
    default:
      return FALSE;
    }
}

/* GTK 4.8 names what has no name after its type ("GtkButton"): that is
 * no name to a listener. */
static gboolean
unnamed (const char *name)
{
  static const char * const prefixes[] = { "Gtk", "Adw", "Cohort" };

  if (name == NULL || *name == '\0')
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_str_has_prefix (name, prefixes[i]) && g_ascii_isupper (name[strlen (prefixes[i])]) &&
        strchr (name, ' ') == NULL)
      return TRUE;
  return FALSE;
}

/* AdwToastWidget (libadwaita 1.2) keeps its action button, hidden by a
 * binding when the toast has none, and GTK 4.8 still reports it visible:
 * a control nobody can reach, not a missing name. */
static gboolean
toast_action_without_label (AtspiAccessible *accessible,
                            const char      *name)
{
  g_autoptr(AtspiAccessible) parent = NULL;
  g_autofree char *parent_name = NULL;

  if (name != NULL && *name != '\0')
    return FALSE;
  parent = atspi_accessible_get_parent (accessible, NULL);
  parent_name = parent != NULL ? atspi_accessible_get_name (parent, NULL) : NULL;
  return g_strcmp0 (parent_name, "AdwToastWidget") == 0;
}

/* "_Join" or "Raise _Hand": an underscore before a letter or digit that
 * is not part of a word (snake_case stays a name). */
static gboolean
has_mnemonic (const char *name)
{
  for (const char *p = name; *p != '\0'; p++)
    if (*p == '_' && g_ascii_isalnum (p[1]) && (p == name || p[-1] == ' ' || !g_ascii_isalnum (p[-1])))
      return TRUE;
  return FALSE;
}

static void
walk (AtspiAccessible *accessible,
      const char      *path,
      guint            depth,
      guint           *problems)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtspiStateSet) states = atspi_accessible_get_state_set (accessible);
  AtspiRole role = atspi_accessible_get_role (accessible, NULL);
  g_autofree char *role_name = atspi_accessible_get_role_name (accessible, NULL);
  g_autofree char *name = atspi_accessible_get_name (accessible, &error);
  g_autofree char *here = g_strdup_printf ("%s/%s", path, role_name != NULL ? role_name : "?");
  gint n;

  if (g_getenv ("COHORT_ATSPI_WALK_VERBOSE") != NULL && states != NULL)
    {
      g_autoptr(GArray) all = atspi_state_set_get_states (states);
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < all->len; i++)
        g_string_append_printf (names, "%d ", g_array_index (all, AtspiStateType, i));
      g_print ("%*s[%s] states %s\n", (int) depth * 2, "", role_name, names->str);
    }
  /* GTK 4.8 marks only windows SHOWING; VISIBLE follows the widgets. */
  if (depth > 64 || states == NULL || !atspi_state_set_contains (states, ATSPI_STATE_VISIBLE))
    return;

  if (g_getenv ("COHORT_ATSPI_WALK_VERBOSE") != NULL)
    g_print ("%*s%s \"%s\"\n", (int) depth * 2, "", role_name, name != NULL ? name : "");

  if (interactive (role) && !toast_action_without_label (accessible, name))
    {
      if (unnamed (name))
        {
          g_print ("no name: %s%s%s\n", here, name != NULL && *name != '\0' ? " called " : "",
                   name != NULL ? name : "");
          (*problems)++;
        }
      else if (has_mnemonic (name))
        {
          g_print ("mnemonic in the name: %s \"%s\"\n", here, name);
          (*problems)++;
        }
    }

  {
    g_autoptr(GError) count_error = NULL;

    n = atspi_accessible_get_child_count (accessible, &count_error);
    if (count_error != NULL)
      g_print ("%s: %s\n", here, count_error->message);
    if (g_getenv ("COHORT_ATSPI_WALK_VERBOSE") != NULL)
      g_print ("%*s(%d children)\n", (int) depth * 2, "", n);
  }
  for (gint i = 0; i < n && i < 2000; i++)
    {
      g_autoptr(AtspiAccessible) child = atspi_accessible_get_child_at_index (accessible, i, NULL);
      g_autofree char *label = NULL;

      if (child == NULL)
        continue;
      label = g_strdup_printf ("%s \"%s\"", here, name != NULL ? name : "");
      walk (child, interactive (role) ? here : label, depth + 1, problems);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AtspiAccessible) desktop = NULL;
  guint problems = 0;
  gboolean found = FALSE;
  gint64 pid;
  gint n;

  if (argc != 2 || (pid = g_ascii_strtoll (argv[1], NULL, 10)) <= 0)
    {
      g_printerr ("Usage: %s PID\n", argv[0]);
      return 2;
    }
  if (atspi_init () < 0)
    {
      g_printerr ("No accessibility bus\n");
      return 2;
    }

  desktop = atspi_get_desktop (0);
  n = atspi_accessible_get_child_count (desktop, NULL);
  for (gint i = 0; i < n; i++)
    {
      g_autoptr(AtspiAccessible) app = atspi_accessible_get_child_at_index (desktop, i, NULL);

      if (app == NULL || atspi_accessible_get_process_id (app, NULL) != (guint) pid)
        continue;
      found = TRUE;
      /* GTK 4.8 keeps no usable children in libatspi's cache: ask. */
      atspi_accessible_set_cache_mask (app, ATSPI_CACHE_NONE);
      for (gint w = 0; w < atspi_accessible_get_child_count (app, NULL); w++)
        {
          g_autoptr(AtspiAccessible) window = atspi_accessible_get_child_at_index (app, w, NULL);
          g_autofree char *title = window != NULL ? atspi_accessible_get_name (window, NULL) : NULL;
          g_autofree char *path = g_strdup_printf ("\"%s\"", title != NULL ? title : "");

          if (window != NULL)
            walk (window, path, 0, &problems);
        }
    }

  if (!found)
    {
      g_printerr ("Process %" G_GINT64_FORMAT " is not on the accessibility bus\n", pid);
      return 2;
    }
  return problems == 0 ? 0 : 1;
}

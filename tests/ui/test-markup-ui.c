/* test-markup-ui.c: names and texts that look like Pango markup are shown
 * as they were typed, in every widget that shows them
 *
 * AdwToast titles, AdwActionRow/AdwExpanderRow titles and subtitles and
 * AdwPreferencesGroup descriptions are Pango markup in libadwaita 1.2, and
 * menu labels read "_" as a mnemonic. A student named
 * `Eve <span foreground="red">X</span>` must not restyle the teacher's
 * window, and `Bob <b` must not leave an empty label behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-markup-ui"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cohort-chat-protocol.h"
#include "cohort-groups-protocol.h"
#include "cohort-protocol.h"
#include "cohort-quiz-protocol.h"
#include "cohort-session.h"
#include "cohort-test-client.h"
#include "cohort-test-server.h"
#include "cohort-test-stages.h"
#include "cohort-test-session.h"
#include "cohort-test-ui.h"

#include "cohort-class-window-private.h"
#include "cohort-roster-codes-dialog.h"
#include "cohort-waiting-page.h"
#include "cohort-groups-page-private.h"
#include "cohort-presenter-window.h"
#include "cohort-stage.h"
#include "cohort-start-window.h"

/* Each input has a token that appears nowhere else in the app (a lower-case
 * letter keeps it out of the random class and personal codes), so that any
 * label showing the token must show the whole input, literally. */
static const struct { const char *token; const char *input; } inputs[] = {
  { "Eve7", "Eve7 <span foreground=\"red\" size=\"xx-large\">CANCELLED</span>" },
  { "Bob7", "Bob7 <b" },
  { "Ann7", "Ann7 &amp; Co" },
  { "Ivy7", "<i>Ivy7</i>" },
  { "Ms7", "Ms7 <u>Rivera</u> & co" },
  { "Physics7", "Physics7 <big>" },
  { "Owls7", "Owls7 <b" },
  { "Larks7", "<i>Larks7</i> &amp;_x" },
  { "Topic7", "Topic7 &lt; <tt>t</tt>" },
  { "Note7", "Note7 <s>done</s> &amp;" },
  { "Txt7", "Txt7 <b>bold</b> &amp; <span" },
  { "Qn7", "Qn7 <b>why</b> &amp; <i" },
  { "Ans7", "Ans7 <i>a</i> &#60;" },
  { "Star7", "Star7 <b>good</b> _work_" },
};

#define EVE (inputs[0].input)
#define BOB (inputs[1].input)
#define ANN (inputs[2].input)
#define IVY (inputs[3].input)
#define TEACHER (inputs[4].input)
#define TITLE (inputs[5].input)
#define OWLS (inputs[6].input)
#define LARKS (inputs[7].input)
#define TOPIC (inputs[8].input)
#define NOTE (inputs[9].input)
#define CHAT_TEXT (inputs[10].input)
#define PROMPT (inputs[11].input)
#define ANSWER (inputs[12].input)
#define REASON (inputs[13].input)

static CohortTestServer *server;

/* ---- what a label shows ---- */

typedef struct
{
  guint n_labels;                 /* labels checked */
  guint n_shown[G_N_ELEMENTS (inputs)];   /* labels that showed each input */
} Seen;

/* A label that shows an input's token must show the whole input as typed;
 * a label given text must not end up showing nothing. */
static void
check_label (GtkLabel   *label,
             Seen       *seen,
             const char *where)
{
  const char *source = gtk_label_get_label (label);
  const char *shown = gtk_label_get_text (label);

  seen->n_labels++;
  if (source != NULL && *source != '\0' && (shown == NULL || *shown == '\0'))
    g_error ("%s: the label “%s” shows nothing", where, source);
  if (shown == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      if (strstr (shown, inputs[i].token) == NULL)
        continue;
      if (strstr (shown, inputs[i].input) == NULL)
        g_error ("%s: a label shows “%s” (its source “%s”) instead of “%s”", where, shown, source,
                 inputs[i].input);
      seen->n_shown[i]++;
    }
}

static void
check_tree (GtkWidget  *widget,
            Seen       *seen,
            const char *where)
{
  if (GTK_IS_LABEL (widget))
    check_label (GTK_LABEL (widget), seen, where);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    check_tree (child, seen, where);
}

/* Checks @window's tree and asserts that @input showed in it. */
static void
assert_shown (GtkWidget  *window,
              const char *input,
              const char *where)
{
  Seen seen = { 0 };

  check_tree (window, &seen, where);
  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    if (g_str_equal (inputs[i].input, input) && seen.n_shown[i] == 0)
      g_error ("%s: no label shows “%s”", where, input);
}

/* ---- toasts ---- */

typedef struct
{
  GtkWidget  *window;
  const char *expected;
  gboolean    prefix;             /* @expected starts the toast's text */
  GPtrArray  *shown;              /* every toast text seen, in order */
  gboolean    found;
} ToastWait;

/* The toast on screen now: its title is the markup label in the toast
 * widget. Each one is read and checked once; queued toasts come up in turn
 * as each times out. (Dismissing them to go faster crashes libadwaita 1.2
 * in adw_animation_skip.) */
static gboolean
toast_seen (gpointer data)
{
  ToastWait *w = data;
  GtkWidget *toast_widget = cohort_test_ui_find (w->window, cohort_test_ui_is_type, "AdwToastWidget");
  g_autoptr(AdwToast) toast = NULL;
  GtkWidget *title;
  Seen seen = { 0 };

  if (w->found)
    return TRUE;
  /* A toast is read once it is fully shown. */
  if (toast_widget == NULL || !gtk_widget_get_mapped (toast_widget) ||
      gtk_widget_get_opacity (toast_widget) < 1.0)
    return FALSE;
  g_object_get (toast_widget, "toast", &toast, NULL);
  title = cohort_test_ui_find (toast_widget, cohort_test_ui_is_type, "GtkLabel");
  g_assert_nonnull (title);
  if (g_object_get_data (G_OBJECT (toast), "test-seen") != NULL)
    return FALSE;
  g_object_set_data (G_OBJECT (toast), "test-seen", GINT_TO_POINTER (1));

  check_label (GTK_LABEL (title), &seen, "a toast");
  g_ptr_array_add (w->shown, g_strdup (gtk_label_get_text (GTK_LABEL (title))));
  if (w->prefix ? g_str_has_prefix (gtk_label_get_text (GTK_LABEL (title)), w->expected)
                : g_str_equal (gtk_label_get_text (GTK_LABEL (title)), w->expected))
    w->found = TRUE;
  return w->found;
}

/* Waits until @window shows a toast reading exactly @expected (or, with
 * @prefix, beginning with it). */
static void
assert_toast_full (CohortClassWindow *window,
                   const char        *expected,
                   gboolean           prefix)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_free);
  ToastWait w = { GTK_WIDGET (window), expected, prefix, shown, FALSE };

  if (!cohort_test_ui_wait_for (toast_seen, &w, 15000))
    {
      g_autofree char *list = NULL;

      g_ptr_array_add (shown, NULL);
      list = g_strjoinv ("”, “", (char **) shown->pdata);
      g_error ("No toast read “%s”; the toasts were “%s”", expected, list);
    }
}

static void
assert_toast (CohortClassWindow *window,
              const char        *expected)
{
  assert_toast_full (window, expected, FALSE);
}

/* ---- the class ---- */

/* A request through the window's own session; takes @body. */
static JsonObject *
session_request (CohortClassWindow *window,
                 const char        *type,
                 JsonObject        *body)
{
  CohortSession *session = cohort_class_window_get_session (window);
  g_autoptr(JsonObject) owned = body;
  g_autoptr(GError) error = NULL;
  JsonObject *reply;

  reply = cohort_test_session_request (session, type, body, &error);
  g_assert_no_error (error);
  return reply;
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
client_request (CohortTestClient *c,
                const char       *type,
                JsonObject       *body)
{
  g_autoptr(JsonObject) owned = body;
  g_autoptr(CohortMessage) reply = cohort_test_client_request_ok (c, type, body);

  return json_object_ref (cohort_message_get_body (reply));
}

static gint64
client_self_id (JsonObject *joined)
{
  return json_object_get_int_member (json_object_get_object_member (joined, "you"), "id");
}

static void
show_page (CohortClassWindow *window,
           const char        *name)
{
  cohort_test_ui_show_side_page (window, name);
  cohort_test_ui_settle (300);
}

static CohortGroupsPage *
groups_page (CohortClassWindow *window)
{
  return cohort_test_ui_side_page (window, "groups", COHORT_TYPE_GROUPS_PAGE);
}

static gboolean
has_unassigned_rows (gpointer data)
{
  return gtk_widget_get_first_child (data) != NULL;
}

/* The teacher's "Add to a Group" menu lists group names: "_" there is a
 * mnemonic unless doubled. */
static void
check_assign_menu (CohortClassWindow *teacher)
{
  CohortGroupsPage *page = groups_page (teacher);
  GtkWidget *row;
  GtkWidget *button;
  GtkPopover *popover;

  g_assert_true (cohort_test_ui_wait_for (has_unassigned_rows, page->unassigned_list, 10000));
  row = gtk_widget_get_first_child (GTK_WIDGET (page->unassigned_list));
  button = cohort_test_ui_find (row, cohort_test_ui_is_type, "GtkMenuButton");
  g_assert_nonnull (button);
  /* As a user would: the row in view first (the list is below the class
   * PK and the leaderboards), so that the popover has a monitor to open
   * on. */
  gtk_widget_grab_focus (button);
  cohort_test_ui_settle (300);
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  cohort_test_ui_settle (400);
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  g_assert_nonnull (popover);
  assert_shown (GTK_WIDGET (popover), LARKS, "the Add to a Group menu");
  assert_shown (GTK_WIDGET (popover), OWLS, "the Add to a Group menu");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
}

/* The class of the names test: the teacher's window and Ivy's, and three
 * students on raw clients (Eve, Bob, Ann). */
typedef struct
{
  CohortClassWindow *teacher;
  CohortClassWindow *ivy;
  CohortTestClient  *eve;
  CohortTestClient  *bob;
  CohortTestClient  *ann;
  JsonObject        *eve_joined;
  JsonObject        *bob_joined;
  JsonObject        *ann_joined;
  char              *code;
} Class;

static void
class_setup (Class *c)
{
  c->teacher = cohort_test_ui_open_class (server, NULL, TEACHER, TITLE);
  gtk_window_set_default_size (GTK_WINDOW (c->teacher), 1100, 860);
  c->code = g_strdup (cohort_session_get_class_code (cohort_class_window_get_session (c->teacher)));
}

static void
class_teardown (Class *c)
{
  g_clear_pointer (&c->eve, cohort_test_client_free);
  g_clear_pointer (&c->bob, cohort_test_client_free);
  g_clear_pointer (&c->ann, cohort_test_client_free);
  g_clear_pointer (&c->eve_joined, json_object_unref);
  g_clear_pointer (&c->bob_joined, json_object_unref);
  g_clear_pointer (&c->ann_joined, json_object_unref);
  g_clear_pointer (&c->code, g_free);
  gtk_window_destroy (GTK_WINDOW (c->ivy));
  gtk_window_destroy (GTK_WINDOW (c->teacher));
  g_object_unref (c->ivy);
  g_object_unref (c->teacher);
}

/* The stages of the class, in order. The cases share the class
 * (cohort-test-stages.h). */
/* "… joined": one student through the app, three through the protocol. */
static void
stage_joins (Class *c)
{
  CohortClassWindow *teacher = c->teacher;
  const char *code = c->code;
  g_autofree char *text = NULL;

  c->ivy = cohort_test_ui_open_class (server, code, IVY, NULL);
  gtk_window_set_default_size (GTK_WINDOW (c->ivy), 800, 760);
  text = g_strdup_printf (_("%s joined"), IVY);
  assert_toast (teacher, text);

  c->eve = cohort_test_client_new (cohort_test_server_get_url (server));
  c->eve_joined = cohort_test_client_join (c->eve, code, EVE, NULL);
  g_free (text);
  text = g_strdup_printf (_("%s joined"), EVE);
  assert_toast (teacher, text);

  c->bob = cohort_test_client_new (cohort_test_server_get_url (server));
  c->bob_joined = cohort_test_client_join (c->bob, code, BOB, NULL);
  g_free (text);
  text = g_strdup_printf (_("%s joined"), BOB);
  assert_toast (teacher, text);

  c->ann = cohort_test_client_new (cohort_test_server_get_url (server));
  c->ann_joined = cohort_test_client_join (c->ann, code, ANN, NULL);
  g_free (text);
  text = g_strdup_printf (_("%s joined"), ANN);
  assert_toast (teacher, text);
}

/* "… raised their hand". */
static void
stage_hand (Class *c)
{
  CohortClassWindow *teacher = c->teacher;
  CohortTestClient *bob = c->bob;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *text = NULL;

  reply = client_request (bob, COHORT_REQ_HAND_RAISE, json_object_new ());
  text = g_strdup_printf (_("%s raised their hand"), BOB);
  assert_toast (teacher, text);
}

/* People: the roster and the raised hands, on both sides. */
static void
stage_people (Class *c)
{
  CohortClassWindow *teacher = c->teacher;
  CohortClassWindow *ivy = c->ivy;

  show_page (teacher, "people");
  show_page (ivy, "people");
  assert_shown (GTK_WIDGET (teacher), EVE, "the teacher's roster");
  assert_shown (GTK_WIDGET (teacher), BOB, "the teacher's roster");
  assert_shown (GTK_WIDGET (teacher), ANN, "the teacher's roster");
  assert_shown (GTK_WIDGET (teacher), IVY, "the teacher's roster");
  assert_shown (GTK_WIDGET (ivy), TEACHER, "the student's roster");
  assert_shown (GTK_WIDGET (ivy), TITLE, "the student's window title");
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "markup-people.png");
}

/* The presenter view lists the raised hands by name. */
static void
stage_presenter (Class *c)
{
  CohortClassWindow *teacher = c->teacher;

  {
    CohortStage *stage = COHORT_STAGE (teacher->stage);
    GtkWidget *presenter = cohort_presenter_window_new (cohort_stage_get_classroom (stage),
                                                        GDK_PAINTABLE (cohort_stage_get_preview (stage, "camera")),
                                                        NULL);

    gtk_window_present (GTK_WINDOW (presenter));
    cohort_test_ui_settle (400);
    assert_shown (presenter, BOB, "the presenter view's raised hands");
    gtk_window_destroy (GTK_WINDOW (presenter));
  }
}

/* Chat: an author and a text. */
static void
stage_chat (Class *c)
{
  CohortClassWindow *teacher = c->teacher;
  CohortClassWindow *ivy = c->ivy;
  CohortTestClient *eve = c->eve;

  {
    g_autoptr(JsonObject) sent = NULL;
    JsonObject *body = json_object_new ();

    json_object_set_string_member (body, "text", CHAT_TEXT);
    sent = client_request (eve, COHORT_REQ_CHAT_SEND, body);
  }
  show_page (teacher, "chat");
  show_page (ivy, "chat");
  cohort_test_ui_settle (500);
  assert_shown (GTK_WIDGET (teacher), CHAT_TEXT, "the teacher's chat");
  assert_shown (GTK_WIDGET (teacher), EVE, "the teacher's chat");
  assert_shown (GTK_WIDGET (ivy), CHAT_TEXT, "the student's chat");
}

/* Groups: names and topics in the teacher's rows and the students' pick
 * rows, member names, a check-in note, the badge toast, the star toast. */
static void
stage_groups (Class *c)
{
  CohortClassWindow *teacher = c->teacher;
  CohortClassWindow *ivy = c->ivy;
  JsonObject *eve_joined = c->eve_joined;
  gint64 owls_id;
  g_autoptr(JsonObject) reply = NULL;

  {
    JsonObject *body = json_object_new ();

    json_object_set_string_member (body, "name", OWLS);
    json_object_set_int_member (body, "size", 4);
    json_object_set_string_member (body, "topic", TOPIC);
    reply = session_request (teacher, COHORT_REQ_GROUPS_CREATE, body);
    owls_id = json_object_get_int_member (json_object_get_object_member (reply, "group"), "id");

    body = json_object_new ();
    json_object_set_string_member (body, "name", LARKS);
    json_object_set_int_member (body, "size", 4);
    g_clear_pointer (&reply, json_object_unref);
    reply = session_request (teacher, COHORT_REQ_GROUPS_CREATE, body);

    body = json_object_new ();
    json_object_set_int_member (body, "participant_id", client_self_id (eve_joined));
    json_object_set_int_member (body, "group_id", owls_id);
    g_clear_pointer (&reply, json_object_unref);
    reply = session_request (teacher, COHORT_REQ_GROUPS_ASSIGN, body);

    g_clear_pointer (&reply, json_object_unref);
    reply = session_request (teacher, COHORT_REQ_GROUPS_SETTINGS, parse_object ("{\"pick_open\": true}"));
  }
  show_page (teacher, "groups");
  show_page (ivy, "groups");
  assert_shown (GTK_WIDGET (teacher), OWLS, "the teacher's groups");
  assert_shown (GTK_WIDGET (teacher), LARKS, "the teacher's groups");
  assert_shown (GTK_WIDGET (teacher), TOPIC, "the teacher's groups");
  assert_shown (GTK_WIDGET (teacher), BOB, "the teacher's students without a group");
  assert_shown (GTK_WIDGET (ivy), OWLS, "the student's group picker");
  assert_shown (GTK_WIDGET (ivy), LARKS, "the student's group picker");
  assert_shown (GTK_WIDGET (ivy), TOPIC, "the student's group picker");
  check_assign_menu (teacher);
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "markup-groups-teacher.png");
  cohort_test_ui_save_screenshot (GTK_WIDGET (ivy), "markup-groups-student.png");
}

/* Two hours of study in one check-in: the study-2h badge. */
static void
stage_badge (Class *c)
{
  CohortClassWindow *teacher = c->teacher;
  CohortTestClient *eve = c->eve;
  g_autoptr(JsonObject) reply = NULL;

  {
    JsonObject *body = json_object_new ();

    json_object_set_string_member (body, "note", NOTE);
    json_object_set_int_member (body, "minutes", 120);
    json_object_set_string_member (body, "tz", "UTC");
    reply = client_request (eve, COHORT_REQ_GROUPS_CHECK_IN, body);
  }
  {
    /* "%s earned the badge %s": the badge's title is the server's. */
    g_autofree char *prefix = g_strdup_printf (_("%s earned the badge %s"), EVE, "");

    assert_toast_full (teacher, prefix, TRUE);
  }
  cohort_test_ui_settle (300);
  assert_shown (GTK_WIDGET (teacher), NOTE, "the teacher's group members");
}

/* The star toast. */
static void
stage_star (Class *c)
{
  CohortClassWindow *teacher = c->teacher;
  CohortClassWindow *ivy = c->ivy;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *text = NULL;

  {
    JsonObject *body = json_object_new ();
    CohortSession *session = cohort_class_window_get_session (ivy);

    json_object_set_int_member (body, "participant_id",
                                cohort_participant_get_id (cohort_session_get_self (session)));
    json_object_set_string_member (body, "reason", REASON);
    reply = session_request (teacher, COHORT_REQ_GROUPS_STAR, body);
    text = g_strdup_printf (_("The teacher gave you a star: %s"), REASON);
    assert_toast (ivy, text);
  }
}

/* Quiz: the prompt in the bank and the student's toast, an answer and
 * its author in the teacher's answers. */
static void
stage_quiz (Class *c)
{
  CohortClassWindow *teacher = c->teacher;
  CohortClassWindow *ivy = c->ivy;
  CohortTestClient *ann = c->ann;
  gint64 question_id;
  gint64 run_id;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *text = NULL;

  {
    JsonObject *body = json_object_new ();
    JsonObject *question = json_object_new ();
    JsonArray *ids = json_array_new ();

    json_object_set_string_member (question, "type", "open");
    json_object_set_string_member (question, "prompt", PROMPT);
    json_object_set_object_member (body, "question", question);
    reply = session_request (teacher, COHORT_REQ_QUIZ_QUESTION_CREATE, body);
    question_id = json_object_get_int_member (json_object_get_object_member (reply, "question"), "id");

    body = json_object_new ();
    json_array_add_int_element (ids, question_id);
    json_object_set_array_member (body, "question_ids", ids);
    g_clear_pointer (&reply, json_object_unref);
    reply = session_request (teacher, COHORT_REQ_QUIZ_LAUNCH, body);
    run_id = json_object_get_int_member (json_object_get_object_member (reply, "run"), "run_id");

    text = g_strdup_printf (_("New question: %s"), PROMPT);
    assert_toast (ivy, text);

    body = json_object_new ();
    json_object_set_int_member (body, "run_id", run_id);
    json_object_set_string_member (body, "answer", ANSWER);
    g_clear_pointer (&reply, json_object_unref);
    reply = client_request (ann, COHORT_REQ_QUIZ_ANSWER, body);
  }
  show_page (teacher, "quiz");
  cohort_test_ui_settle (800);
  assert_shown (GTK_WIDGET (teacher), PROMPT, "the teacher's quiz");
  assert_shown (GTK_WIDGET (teacher), ANSWER, "the teacher's quiz answers");
  assert_shown (GTK_WIDGET (teacher), ANN, "the teacher's quiz answers");
  assert_shown (GTK_WIDGET (ivy), PROMPT, "the student's question");
  cohort_test_ui_save_screenshot (GTK_WIDGET (teacher), "markup-quiz-teacher.png");
}

static const CohortTestStageFunc names_stages[] = {
  (CohortTestStageFunc) stage_joins,
  (CohortTestStageFunc) stage_hand,
  (CohortTestStageFunc) stage_people,
  (CohortTestStageFunc) stage_presenter,
  (CohortTestStageFunc) stage_chat,
  (CohortTestStageFunc) stage_groups,
  (CohortTestStageFunc) stage_badge,
  (CohortTestStageFunc) stage_star,
  (CohortTestStageFunc) stage_quiz,
};

static gboolean
not_busy (gpointer data)
{
  return !cohort_start_window_get_busy (data);
}

static gboolean
has_waiting (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (((CohortClassWindow *) data)->waiting_selection)) > 0;
}

/* The identity parts: the waiting toast and list, the student's waiting
 * page, the staff's class list, and the roster's codes. */
static void
test_markup_identity (void)
{
  CohortStartWindow *start = cohort_start_window_new (NULL);
  CohortClassWindow *teacher;
  CohortClassWindow *eve;
  gpointer codes;
  g_autofree char *text = NULL;
  g_autofree char *code = NULL;
  g_autofree char *roster = NULL;

  /* A class with its waiting room on. */
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, cohort_test_server_get_url (server), NULL, TEACHER, NULL, TITLE);
  cohort_start_window_set_staff_credential (start, cohort_test_server_get_staff_credential (server));
  cohort_start_window_start_class (start);
  teacher = cohort_test_ui_wait_class_opened (start);
  gtk_window_set_default_size (GTK_WINDOW (teacher), 1100, 760);
  code = g_strdup (cohort_session_get_class_code (cohort_class_window_get_session (teacher)));

  eve = cohort_test_ui_open_class (server, code, EVE, NULL);
  assert_shown (GTK_WIDGET (eve), TITLE, "the student's waiting page");
  g_assert_nonnull (strstr (cohort_waiting_page_get_message (COHORT_WAITING_PAGE (eve->waiting_page)), TITLE));
  text = g_strdup_printf (_("%s is waiting to join"), EVE);
  assert_toast (teacher, text);
  g_assert_true (cohort_test_ui_wait_for (has_waiting, teacher, 10000));
  cohort_test_ui_show_side_page (teacher, "people");
  cohort_test_ui_settle (400);
  assert_shown (GTK_WIDGET (teacher->waiting_view), EVE, "the teacher's waiting list");

  /* The roster's names in the codes window. */
  roster = g_strdup_printf ("name,number\n\"%s\",7\n\"%s\",\n", BOB, ANN);
  g_assert_true (_cohort_class_window_import_roster_csv (teacher, roster));
  codes = cohort_test_ui_wait_toplevel (COHORT_TYPE_ROSTER_CODES_DIALOG, 10000);
  cohort_test_ui_settle (300);
  assert_shown (GTK_WIDGET (codes), BOB, "the personal codes");
  assert_shown (GTK_WIDGET (codes), ANN, "the personal codes");
  gtk_window_destroy (GTK_WINDOW (codes));

  gtk_window_destroy (GTK_WINDOW (eve));
  gtk_window_destroy (GTK_WINDOW (teacher));
  g_object_unref (eve);
  g_object_unref (teacher);

  /* The class title in the staff's class list. */
  start = cohort_start_window_new (NULL);
  gtk_window_present (GTK_WINDOW (start));
  cohort_start_window_set_fields (start, cohort_test_server_get_url (server), NULL, NULL, NULL, NULL);
  cohort_start_window_set_staff_credential (start, cohort_test_server_get_staff_credential (server));
  cohort_start_window_list_classes (start);
  g_assert_true (cohort_test_ui_wait_for (not_busy, start, 10000));
  g_assert_null (cohort_start_window_get_error_message (start));
  cohort_test_ui_settle (300);
  assert_shown (GTK_WIDGET (cohort_start_window_get_classes_list (start)), TITLE, "the staff's classes");
  gtk_window_destroy (GTK_WINDOW (start));
}

int
main (int   argc,
      char *argv[])
{
  Class class = { NULL };
  CohortTestStages *names;
  g_autofree char *data_home = NULL;
  int ret;

  data_home = cohort_test_ui_init (&argc, &argv, "markup-test");

  server = cohort_test_server_start (NULL);
  names = cohort_test_stages_new (&class, (CohortTestStageFunc) class_setup,
                                  (CohortTestStageFunc) class_teardown, names_stages,
                                  G_N_ELEMENTS (names_stages));
  cohort_test_stages_add (names, "/cohort/ui/markup/names/joined", 1);
  cohort_test_stages_add (names, "/cohort/ui/markup/names/hand", 2);
  cohort_test_stages_add (names, "/cohort/ui/markup/names/people", 3);
  cohort_test_stages_add (names, "/cohort/ui/markup/names/presenter", 4);
  cohort_test_stages_add (names, "/cohort/ui/markup/names/chat", 5);
  cohort_test_stages_add (names, "/cohort/ui/markup/names/groups", 6);
  cohort_test_stages_add (names, "/cohort/ui/markup/names/badge", 7);
  cohort_test_stages_add (names, "/cohort/ui/markup/names/star", 8);
  cohort_test_stages_add (names, "/cohort/ui/markup/names/quiz", 9);
  g_test_add_func ("/cohort/ui/markup/identity", test_markup_identity);
  ret = g_test_run ();
  g_clear_pointer (&names, cohort_test_stages_free);
  cohort_test_server_free (server);

  cohort_test_ui_remove_data_home (data_home);
  return ret;
}

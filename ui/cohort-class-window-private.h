/* cohort-class-window-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-class-window.h"
#include "cohort-class-events.h"
#include "cohort-classroom.h"
#include "cohort-notice-queue.h"
#include "cohort-session-class.h"

G_BEGIN_DECLS

struct _CohortClassWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template children */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkRevealer          *reconnect_revealer;
  GtkStack             *main_stack;       /* "class", or "waiting" (and removed) */
  GtkWidget            *waiting_page;     /* CohortWaitingPage */
  GtkWidget            *settings_box;     /* teacher: heads the main menu */
  GtkWidget            *main_menu_button;
  GMenuModel           *student_menu;      /* the main menu without class settings */
  GtkWidget            *detached_settings; /* a student's settings box, out of the menu */
  GtkWidget            *leave_button;
  GtkWidget            *sidebar_button;  /* teacher: waiting room, lock, roster */
  GtkSwitch            *waiting_room_switch;
  GtkSwitch            *lock_switch;
  GtkSwitch            *anonymous_switch;
  GtkWidget            *waiting_box;
  GtkLabel             *waiting_count_label;
  GtkListView          *waiting_view;
  GtkNoSelection       *waiting_selection;
  AdwFlap              *flap;
  GtkWidget            *side_panel;       /* CohortSidePanel: the flap, resizable */
  GtkWidget            *share_shortcuts;  /* Chat and Quiz over a shared screen */
  AdwStatusPage        *stage_status;
  GtkWidget            *stage;            /* media: CohortStage, live video */
  GtkWidget            *danmaku_view;     /* chat: comments over the stage */
  GtkWidget            *controls;
  GtkToggleButton      *raise_hand_button;
  AdwButtonContent     *raise_hand_content;
  AdwViewStack         *side_stack;
  AdwPreferencesGroup  *invite_group;
  AdwActionRow         *code_row;
  AdwActionRow         *key_row;
  GtkLabel             *hands_count_label;
  GtkWidget            *lower_all_button;
  GtkStack             *hands_stack;
  GtkListView          *hands_view;
  GtkNoSelection       *hands_selection;
  GtkLabel             *people_count_label;
  GtkListView          *roster_view;
  GtkNoSelection       *roster_selection;
  /* lesson (cohort-class-window-lesson.c) */
  GtkWidget            *lesson_waiting_page; /* CohortWaitingPage over a student's stage */
  GtkWidget            *start_lesson_button;
  GtkWidget            *end_lesson_button;
  GtkWidget            *end_lesson_icon;     /* the same, when the header is narrow */
  GtkWidget            *lesson_group;        /* the teacher's Attendance row */
  /* schedule (cohort-class-window-schedule.c) */
  GtkWidget            *schedule_row;        /* Schedule, with the next lesson */
  guint                 schedule_tick;       /* the Schedule row's countdown */
  /* practice (cohort-class-window-practice.c) */
  GtkWidget            *practice_window;     /* weak: CohortPracticeWindow, while open */
  GtkWidget            *mastery_window;      /* weak: CohortMasteryWindow, while open */

  CohortSession        *session;
  CohortClassEvents    *events;           /* typed class events, for toasts */
  CohortClassroom      *classroom;        /* media: the call, once the pages are attached */
  GtkWidget            *presenter;        /* the teacher's view while sharing the screen */
  GSignalGroup         *session_signals;
  GSignalGroup         *hands_signals;
  GSignalGroup         *self_signals;
  GSettings            *settings;
  GCancellable         *cancellable;

  /* cohort-class-window-notices.c */
  CohortNoticeQueue    *notices;          /* toasts waiting their turn */
  GPtrArray            *shown_toasts;     /* AdwToast: ours, on screen or postponed */
  GObject              *sounds;           /* CohortSoundPlayer */

  /* Last CohortSessionState seen, for toasts on transitions. */
  int                   last_state;
  /* lesson: last CohortLessonState seen (-1: none yet), for the summary. */
  int                   lesson_state_seen;
  guint                 hand_raised : 1;
  guint                 syncing_hand : 1;
  guint                 is_teacher : 1;
  guint                 syncing_settings : 1;
  guint                 removed : 1;
  guint                 pages_attached : 1;
  guint                 was_waiting : 1;     /* until the admission's resume is done */
};

/* cohort-class-window-actions.c */
void _cohort_class_window_actions_class_init (CohortClassWindowClass *klass);
void _cohort_class_window_update_actions     (CohortClassWindow      *self);
void _cohort_class_window_set_hand_raised    (CohortClassWindow      *self,
                                              gboolean                raised,
                                              gboolean                from_user);
void _cohort_class_window_show_error         (CohortClassWindow      *self,
                                              const GError           *error);
void _cohort_class_window_attach_pages       (CohortClassWindow      *self);
/* Finishes a cohort_session_*_async class request started with
 * g_object_ref (window) as its data: shows a failure, then the roster's
 * hand. */
void _cohort_class_window_request_cb         (GObject                *object,
                                              GAsyncResult           *result,
                                              gpointer                user_data);

/* cohort-class-window-admission.c: the waiting room, removal, class
 * settings and the roster import */
void _cohort_class_window_admission_class_init (CohortClassWindowClass *klass);
void _cohort_class_window_admission_setup      (CohortClassWindow      *self);
void _cohort_class_window_admission_update_actions (CohortClassWindow  *self);
/* Imports the roster in @text (CSV) and shows the personal codes; FALSE
 * (and a dialog that says why) when it is not a roster. */
gboolean _cohort_class_window_import_roster_csv (CohortClassWindow     *self,
                                                 const char            *text);

/* cohort-class-window-notices.c: toasts in order of importance, desktop
 * notifications and sounds for what needs the user */
void _cohort_class_window_notices_init    (CohortClassWindow      *self);
void _cohort_class_window_notices_attach  (CohortClassWindow      *self);
void _cohort_class_window_notices_dispose (CohortClassWindow      *self);
/* cohort-class-window-lesson.c: the class's life cycle */
void        _cohort_class_window_lesson_class_init     (CohortClassWindowClass *klass);
void        _cohort_class_window_lesson_setup          (CohortClassWindow      *self);
/* Shows the lesson's state: buttons, a student's stage, the teacher away. */
void        _cohort_class_window_lesson_update         (CohortClassWindow      *self);
void        _cohort_class_window_lesson_update_actions (CohortClassWindow      *self);
/* A student during a live lesson whose teacher is offline. */
gboolean    _cohort_class_window_lesson_teacher_away   (CohortClassWindow      *self);
/* The Leave dialog's sentence for this participant and lesson. */
const char *_cohort_class_window_lesson_leave_body     (CohortClassWindow      *self);
/* TRUE when closing must wait: the Leave question was asked instead. */
gboolean    _cohort_class_window_lesson_close_request  (CohortClassWindow      *self);

/* cohort-class-window-schedule.c: the Schedule row and dialog, notices
 * of the teacher's changes (the reminder is the application's) */
void        _cohort_class_window_schedule_class_init   (CohortClassWindowClass *klass);
void        _cohort_class_window_schedule_setup        (CohortClassWindow      *self);
void        _cohort_class_window_schedule_dispose      (CohortClassWindow      *self);
/* The Schedule row's line: the next lesson, on the viewer's clock. */
char       *_cohort_class_window_schedule_next_text    (CohortClassWindow      *self);

/* cohort-class-window-practice.c: a student's progress and practice, the
 * teacher's mastery view */
void        _cohort_class_window_practice_class_init     (CohortClassWindowClass *klass);
void        _cohort_class_window_practice_update_actions (CohortClassWindow      *self);
void        _cohort_class_window_practice_dispose        (CohortClassWindow      *self);

G_END_DECLS

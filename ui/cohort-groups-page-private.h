/* cohort-groups-page-private.h: the Groups page's parts, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-groups-page.h"
#include "cohort-group-chat.h"
#include "cohort-leaderboard-view.h"
#include "cohort-pk-bar.h"
#include "cohort-voice-panel.h"

G_BEGIN_DECLS

struct _CohortGroupsPage
{
  GtkWidget              parent_instance;

  CohortSession         *session;
  CohortGroups          *groups;
  GSettings             *settings;
  GCancellable          *cancellable;
  GSignalGroup          *my_group_signals;
  guint                  reminder_source;
  guint                  pk_clock_source;
  char                  *reminded_on;     /* local date of the last reminder */
  gboolean               syncing_settings;

  GtkWidget             *no_group_box;
  AdwStatusPage         *no_group_status;
  AdwStatusPage         *no_groups_status;
  GtkListBox            *pick_list;
  GtkWidget             *my_group_box;
  GtkLabel              *group_title;
  GtkLabel              *group_topic;
  GtkLabel              *streak_value;
  GtkLabel              *streak_caption;
  GtkLabel              *points_value;
  GtkLabel              *freeze_value;
  GtkWidget             *goal_box;
  GtkLabel              *goal_value;
  GtkProgressBar        *goal_bar;
  GtkLabel              *group_streak_label;
  GtkWidget             *checkin_group;
  GtkStack              *checkin_stack;
  GtkTextView           *note_view;
  GtkWidget             *note_placeholder;
  GtkLabel              *counter_label;
  GtkSpinButton         *minutes_spin;
  GtkWidget             *checkin_button;
  GtkLabel              *checkin_hint;
  GtkLabel              *done_label;
  AdwPreferencesGroup   *members_group;
  GtkListBox            *members_list;
  GtkWidget             *teacher_groups_group;
  GtkStack              *teacher_groups_stack;
  GtkListBox            *teacher_groups_list;
  GtkWidget             *filling_group;
  GtkSwitch             *pick_switch;
  GtkWidget             *unassigned_group;
  GtkListBox            *unassigned_list;
  GtkWidget             *pk_group;
  GtkWidget             *pk_live_box;
  GtkLabel              *pk_status;
  CohortPkBar           *pk_bar;
  GtkFlowBox            *pk_legend;
  GtkWidget             *pk_controls;
  GtkWidget             *pk_minutes_box;
  GtkSpinButton         *pk_minutes_spin;
  GtkWidget             *pk_start_button;
  GtkWidget             *pk_stop_button;
  CohortLeaderboardView *leaderboard_view;
  GtkWidget             *privacy_group;
  AdwComboRow           *board_row;
  GtkWidget             *top_n_row;
  GtkSpinButton         *top_n_spin;
  GtkWidget             *badges_group;
  GtkFlowBox            *badges_flow;
  GtkWidget             *reminder_group;
  GtkSwitch             *reminder_switch;
  /* gchat */
  CohortGroupChat       *group_chat;
  CohortVoicePanel      *voice_panel;
};

G_END_DECLS

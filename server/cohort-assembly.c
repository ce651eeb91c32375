/* cohort-assembly.c: which services a server runs, and how they meet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "cohort-assembly"

#include "config.h"

#include "cohort-ai-service.h"
#include "cohort-assembly.h"
#include "cohort-chat-service.h"
#include "cohort-class-service.h"
#include "cohort-groups-service.h"
#include "cohort-home-service.h"
#include "cohort-identity-service.h"
#include "cohort-lesson-service.h"
#include "cohort-insights-service.h"
#include "cohort-media-service.h"
#include "cohort-practice-service.h"
#include "cohort-quiz-service.h"
#include "cohort-schedule-service.h"
#include "cohort-server-private.h"
#include "cohort-voice-service.h"

/* The AI helper is locked while the class's quiz question is open, and
 * between the questions of a launched sequence. */
static gboolean
quiz_lock (CohortServer *server,
           gint64        class_id,
           gpointer      user_data)
{
  return cohort_quiz_service_locks_helper (COHORT_QUIZ_SERVICE (user_data), class_id);
}

/* ai.lock tells the class when that lock starts or ends. */
static void
quiz_lock_changed (CohortServer *server,
                   gint64        class_id,
                   gpointer      user_data)
{
  cohort_ai_service_quiz_lock_changed (COHORT_AI_SERVICE (user_data), class_id);
}

/* Every feature service, added in the order their welcome parts, barriers
 * and connection_left hooks run; then the hooks between services. The
 * server owns the services, so the plain pointers below stay valid as
 * long as it lives. */
CohortServer *
cohort_assembly_new_server (CohortStore *store)
{
  CohortServer *server;
  CohortClassService *klass;
  CohortMediaService *media;
  CohortChatService *chat;
  CohortQuizService *quiz;
  CohortGroupsService *groups;
  CohortAiService *ai;
  CohortIdentityService *identity;
  CohortLessonService *lesson;
  CohortInsightsService *insights;
  CohortScheduleService *schedule;
  CohortHomeService *home;
  CohortPracticeService *practice;
  CohortVoiceService *voice;

  g_return_val_if_fail (COHORT_IS_STORE (store), NULL);

  server = cohort_server_new (store);
  klass = cohort_class_service_new (server);
  media = cohort_media_service_new (server);
  chat = cohort_chat_service_new (server);
  quiz = cohort_quiz_service_new (server);
  groups = cohort_groups_service_new (server);
  ai = cohort_ai_service_new (server);
  identity = cohort_identity_service_new (server);
  lesson = cohort_lesson_service_new (server);
  insights = cohort_insights_service_new (server);
  schedule = cohort_schedule_service_new (server);
  home = cohort_home_service_new (server);
  /* practice.launch goes live through the quiz, practice.why through the helper. */
  practice = cohort_practice_service_new (server, quiz, ai);
  voice = cohort_voice_service_new (server, media);

  _cohort_server_add_service (server, COHORT_SERVICE (klass));
  _cohort_server_add_service (server, COHORT_SERVICE (media));
  _cohort_server_add_service (server, COHORT_SERVICE (chat));
  _cohort_server_add_service (server, COHORT_SERVICE (quiz));
  _cohort_server_add_service (server, COHORT_SERVICE (groups));
  _cohort_server_add_service (server, COHORT_SERVICE (ai));
  _cohort_server_add_service (server, COHORT_SERVICE (identity));
  _cohort_server_add_service (server, COHORT_SERVICE (lesson));
  _cohort_server_add_service (server, COHORT_SERVICE (insights));
  _cohort_server_add_service (server, COHORT_SERVICE (schedule));
  _cohort_server_add_service (server, COHORT_SERVICE (home));
  _cohort_server_add_service (server, COHORT_SERVICE (practice));
  _cohort_server_add_service (server, COHORT_SERVICE (voice));

  /* Group chat channels reach the groups' members. */
  cohort_chat_service_set_group_resolver (chat, cohort_groups_service_resolve_members, groups);
  cohort_ai_service_set_quiz_lock_func (ai, quiz_lock, quiz);
  cohort_quiz_service_set_lock_changed_func (quiz, quiz_lock_changed, ai);
  /* A student's summary of the lesson counts the ledger's points. */
  cohort_lesson_service_set_points_func (lesson, cohort_groups_service_points_since, groups);
  /* An ended lesson's figures are folded for the insights once, then. */
  cohort_lesson_service_set_ended_func (lesson, cohort_insights_service_lesson_ended, insights);
  /* The home shows a student's streak and points from the same ledger. */
  cohort_home_service_set_progress_func (home, cohort_groups_service_progress, groups);
  /* Nudges: a weak point from practice, and due ones on the home. */
  cohort_ai_service_set_weak_point_func (ai, cohort_practice_service_weak_point, practice);
  cohort_home_service_set_nudge_func (home, cohort_ai_service_home_nudge, ai);
  /* A group's voice room is for its members (and the teacher). */
  cohort_voice_service_set_members_func (voice, cohort_groups_service_resolve_members, groups);

  return server;
}

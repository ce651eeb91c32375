/* cohort-classroom.h: the live part of one class, for every window that shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "cohort-media-call.h"
#include "cohort-session.h"

G_BEGIN_DECLS

/* Owns the class's CohortCall and decides what this client publishes, so
 * that widgets only observe: the stage shows the feeds and the controls,
 * the presenter window the raised hands and Stop Sharing.
 *
 * The camera publication follows two wishes, camera-wanted and
 * microphone-wanted (set together with cohort_classroom_set_publishing).
 * What the publisher found is the truth: a missing device turns its wish
 * off and emits media-error. Being taken off the stage, or a publication
 * that could not start, turns both off.
 *
 * Stage requests (invite, remove, leave, accept, decline) run in the
 * background; a failure is emitted as media-error.
 *
 * The call's request signals (create-source, create-*-sink) are answered
 * on the call itself (cohort_classroom_get_call): the classroom has no
 * devices.
 *
 * Properties: session, call, feeds, is-teacher, camera-wanted,
 * microphone-wanted, publishing, screen-on, on-stage, invited,
 * can-publish, class-volume (how loud the class's sound plays here).
 * Signals: stage-changed, first-frame (CohortFeed *), media-error (const
 * char *message: a sentence for the user), muted-by-teacher (gboolean
 * keep_muted: the teacher muted this student's microphone, which is off
 * now; when TRUE the student cannot turn it back on), unmute-allowed (the
 * teacher lifted keep_muted: the student may turn it on again). */
#define COHORT_TYPE_CLASSROOM (cohort_classroom_get_type ())
G_DECLARE_FINAL_TYPE (CohortClassroom, cohort_classroom, COHORT, CLASSROOM, GObject)

CohortClassroom *cohort_classroom_new                   (CohortSession     *session);
CohortSession   *cohort_classroom_get_session           (CohortClassroom   *self);
CohortCall      *cohort_classroom_get_call              (CohortClassroom   *self);
GListModel      *cohort_classroom_get_feeds             (CohortClassroom   *self);
gboolean         cohort_classroom_get_is_teacher        (CohortClassroom   *self);
/* The class's teacher, 0 while the roster has none. */
gint64           cohort_classroom_get_teacher_id        (CohortClassroom   *self);

gboolean         cohort_classroom_get_camera_wanted     (CohortClassroom   *self);
gboolean         cohort_classroom_get_microphone_wanted (CohortClassroom   *self);
gboolean         cohort_classroom_get_publishing        (CohortClassroom   *self);
gboolean         cohort_classroom_get_screen_on         (CohortClassroom   *self);
gboolean         cohort_classroom_get_on_stage          (CohortClassroom   *self);
gboolean         cohort_classroom_get_invited           (CohortClassroom   *self);
/* The teacher always may; a student while on the stage. */
gboolean         cohort_classroom_get_can_publish       (CohortClassroom   *self);

/* Publishes the camera and microphone as wished; both FALSE stops. */
void             cohort_classroom_set_publishing        (CohortClassroom   *self,
                                                         gboolean           camera,
                                                         gboolean           microphone);
void             cohort_classroom_mute_all_async        (CohortClassroom     *self,
                                                         gboolean             keep_muted,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gint64           cohort_classroom_mute_all_finish       (CohortClassroom     *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void             cohort_classroom_mute_student_async    (CohortClassroom     *self,
                                                         gint64               participant_id,
                                                         gboolean             keep_muted,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gint64           cohort_classroom_mute_student_finish   (CohortClassroom     *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void             cohort_classroom_allow_unmute_async    (CohortClassroom     *self,
                                                         gint64               participant_id,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gint64           cohort_classroom_allow_unmute_finish   (CohortClassroom     *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void             cohort_classroom_set_screen_on         (CohortClassroom   *self,
                                                         gboolean           on);
void             cohort_classroom_set_preset            (CohortClassroom   *self,
                                                         CohortVideoPreset  preset);

void             cohort_classroom_invite                (CohortClassroom   *self,
                                                         gint64             participant_id);
void             cohort_classroom_remove                (CohortClassroom   *self,
                                                         gint64             participant_id);
void             cohort_classroom_leave_stage           (CohortClassroom   *self);
/* Nothing is published before the server put us on the stage. */
void             cohort_classroom_accept_invitation     (CohortClassroom   *self,
                                                         gboolean           camera,
                                                         gboolean           microphone);
void             cohort_classroom_decline_invitation    (CohortClassroom   *self);

/* The class's sound plays at @volume (0: paused, 1: as sent), for
 * every feed now and later: a breakout lowers or pauses it. */
void             cohort_classroom_set_class_volume      (CohortClassroom   *self,
                                                         double             volume);
double           cohort_classroom_get_class_volume      (CohortClassroom   *self);

/* Ends every publication and pending request (the class window closes). */
void             cohort_classroom_shutdown              (CohortClassroom   *self);

G_END_DECLS

/* cohort-danmaku-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* An overlay over the stage that flies chat messages across it (danmaku)
 * and lets quick reactions float up. Drawn with GtkSnapshot from a frame
 * clock tick; it never takes input. Comments run in lanes so that none
 * overlap, longer ones move faster, and at most max-on-screen are shown
 * at once (more wait in a short queue, then are dropped).
 *
 * Properties: show-comments (local hide), density (0.1 … 1.0: the share
 * of lanes used and of the on-screen cap), max-on-screen, n-on-screen. */
#define COHORT_TYPE_DANMAKU_VIEW (cohort_danmaku_view_get_type ())
G_DECLARE_FINAL_TYPE (CohortDanmakuView, cohort_danmaku_view, COHORT, DANMAKU_VIEW, GtkWidget)

GtkWidget *cohort_danmaku_view_new             (void);
/* @text is plain text (never markup). @own comments get an outline. */
void       cohort_danmaku_view_add_comment     (CohortDanmakuView *self,
                                                const char        *text,
                                                gboolean           own);
/* @emoji: the character(s) to float up. */
void       cohort_danmaku_view_add_reaction    (CohortDanmakuView *self,
                                                const char        *emoji);
guint      cohort_danmaku_view_get_n_on_screen (CohortDanmakuView *self);
/* Test hook: advances the animation by @ms as if that much time passed. */
void       cohort_danmaku_view_advance         (CohortDanmakuView *self,
                                                guint              ms);

G_END_DECLS

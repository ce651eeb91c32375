/* test-publisher.c: the publisher's rate control, inside netns-run.sh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "cohort-media-rig.h"
#include "cohort-test-wait.h"

typedef struct
{
  CohortMediaRig *rig;
  CohortSession  *teacher_session;
  CohortSession  *a_session;
  CohortCall     *teacher;
  CohortCall     *a;
} World;

static World w;

static void
test_dump (void)
{
  cohort_call_set_camera_on (w.teacher, TRUE);
  cohort_media_rig_sleep (5000);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  gst_init (&argc, &argv);

  if (g_getenv ("COHORT_MEDIA_ICE_ADDRESSES") == NULL)
    {
      g_print ("1..0 # SKIP run this test through tests/media/netns-run.sh\n");
      return 0;
    }

  w.rig = cohort_media_rig_start (1);
  w.teacher_session = cohort_media_rig_create_class (w.rig, "Ms Li");
  w.a_session = cohort_media_rig_join (w.rig, w.teacher_session, "Ana");
  w.teacher = cohort_media_rig_new_call (w.teacher_session, 1280, 720);
  w.a = cohort_media_rig_new_call (w.a_session, 640, 360);

  g_test_add_func ("/publisher/dump", test_dump);
  status = g_test_run ();

  g_clear_object (&w.teacher);
  g_clear_object (&w.a);
  g_clear_object (&w.teacher_session);
  g_clear_object (&w.a_session);
  g_clear_pointer (&w.rig, cohort_media_rig_free);
  return status;
}

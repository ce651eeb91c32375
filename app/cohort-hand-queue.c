/* cohort-hand-queue.c: being written */

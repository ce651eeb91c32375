/* cohort-backoff.c: being written */

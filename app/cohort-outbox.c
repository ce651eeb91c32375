/* cohort-outbox.c: being written */

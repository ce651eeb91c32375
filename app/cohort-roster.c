/* cohort-roster.c: being written */

/* cohort-session.c: being written */

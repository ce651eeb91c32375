/* cohort-participant.c: being written */

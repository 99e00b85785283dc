/*
 * triage.h — crisis triage (DOMAIN.md §4): from the answers `crisis` and `crisis_date` to
 * the crisis flag, the Wgs deadline, "acuut" (call today) and the outbox priority.
 */
#ifndef INLOOP_TRIAGE_H
#define INLOOP_TRIAGE_H

#include "sync/rules/calendar.h"

#include <jansson.h>

enum crisis_kind {
	CRISIS_EVICTION = 1,   /* "eviction" */
	CRISIS_ENERGY = 2,     /* "energy": gas, electricity, district heating */
	CRISIS_WATER = 4,      /* "water" */
	CRISIS_HEALTH = 8,     /* "health_insurance" */
};

struct triage {
	int crisis;              /* any statutory kind, or "unknown" */
	unsigned kinds;          /* enum crisis_kind bits */
	int unknown;             /* crisis answered "unknown" (treated as crisis) */
	int has_date;            /* crisis_date known */
	struct ymd crisis_date;
	int acuut;               /* crisis date on or before the deadline -> call today */
	struct deadline deadline;
	int priority;            /* 2 acuut, 1 crisis, 0 otherwise: outbox sends higher first */
};

/*
 * Triage for answers (object, answer id -> value, as DESIGN.md "The record's answers";
 * borrowed) registered on `registered`. A missing `crisis` or an unknown crisis kind (an
 * energy contract-end notice is not one) is refused with -1 and an error; so is a
 * crisis_date that is not a date or "unknown". 0 ok.
 */
int triage_compute(const struct calendar *c, const json_t *answers, struct ymd registered,
		   struct triage *out);

/* {"crisis":true,"kinds":["eviction",...],"unknown":false,"known_date":"2026-05-01"|null,
 *  "acuut":true,"priority":2}. New reference: caller json_decref()s; NULL on OOM. */
json_t *triage_crisis_json(const struct triage *t);

/* {"kind":"3_working_days"|"4_weeks","target":"...","legal":"...","holidays_version":"..."}.
 * New reference: caller json_decref()s; NULL on OOM. */
json_t *triage_deadline_json(const struct triage *t, const struct calendar *c);

/* The answer id of a crisis kind bit ("eviction", ...), NULL for anything else. */
const char *triage_kind_name(unsigned kind);

#endif

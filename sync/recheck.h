/*
 * recheck.h — the office does not trust the device (issue 9, D3): every opened record is
 * checked again against the loaded form's rules (form_check_all, as of the day the record
 * was made), and its crisis flag, "acuut" and deadline are computed again from its
 * answers (triage.c) and replace what the device wrote. A record sealed by a stolen or
 * tampered device can still be well signed; this is where it stops.
 */
#ifndef INLOOP_RECHECK_H
#define INLOOP_RECHECK_H

#include <jansson.h>
#include <stddef.h>

struct recheck;

/* Loads the shipped form and holiday calendar (assets, as the kiosk finds them); *out
 * owned by the caller (recheck_free). */
int recheck_load(struct recheck **out);
void recheck_free(struct recheck *rc);   /* NULL ok */

enum recheck_result {
	RECHECK_OK = 0,          /* the record passes; crisis and deadline are the office's */
	RECHECK_CHANGED = 1,     /* passes, but the device's triage differed: replaced */
	RECHECK_KEPT = 2,        /* passes; the deadline lies past this office's holiday table,
				    so the device's computation stays (shown as such) */
	RECHECK_REFUSED = -1,    /* fails the form's rules: why says which answers (ids only) */
};

/*
 * Checks rec (an opened record, borrowed and modified: "crisis" and "deadline" are set to
 * the office's computation). An answer the form defines but the record lacks is accepted
 * (a record made before the form grew); a value that breaks a rule, an answer id the form
 * does not define, or an answer to a question that was not asked is refused. why gets
 * answer ids and reasons, never values.
 */
enum recheck_result recheck_record(const struct recheck *rc, json_t *rec, char *why, size_t size);

#endif

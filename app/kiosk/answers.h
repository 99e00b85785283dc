/*
 * answers.h — the person's answers and what they are typing, in one struct, in memory
 * only, with one wipe that clears every copy the kiosk keeps of them: the answers (a
 * jansson object: jansson wipes each allocation on free, util_json_wipe_on_free, so the
 * copies the submit path made are gone too), the edit buffers, the date being set, the
 * stored record's receipt, and the text measurer's buffer (app/ui/text.c), which holds
 * the last line measured — often a typed name.
 */
#ifndef INLOOP_ANSWERS_H
#define INLOOP_ANSWERS_H

#include "sync/device/submit.h"
#include "sync/rules/calendar.h"

#include <jansson.h>

#define KIOSK_EDIT_MAX 256   /* bytes per edit buffer (a name, a phone number, ...) */

struct answers {
	json_t *answers;              /* answer id -> value */
	char edit[2][KIOSK_EDIT_MAX]; /* what is being typed (address: postcode, number) */
	struct ymd date;              /* the date being set on a date screen (0: part not set) */
	struct submit_result result;  /* the record stored for this person (the receipt) */
};

/* Starts empty (a new answers object). 0, or -1 on out of memory. */
int answers_init(struct answers *a);

/* Forgets the person: every field above wiped, the answers freed (wiped by jansson) and
 * replaced by an empty object, and the text measurer's buffer wiped. Safe on a struct
 * answers_init never saw (zeroed). */
void answers_wipe(struct answers *a);

/* answers_wipe, and the empty object freed too (at exit). */
void answers_release(struct answers *a);

#endif

/*
 * record.h — the record both ends agree on (DESIGN.md, the record): its field names, the
 * one place the device builds it (record_new for what the person and the form give,
 * record_stamp for the identity the outbox assigns), its time format, and the reference
 * code people see. The seal (seal.h) wraps a record; the office reads these same names.
 */
#ifndef INLOOP_RECORD_H
#define INLOOP_RECORD_H

#include <jansson.h>
#include <time.h>

#define RECORD_SCHEMA "inloop-registration/1"

/* The record's fields, in the order record_new writes them. */
#define RECORD_F_SCHEMA               "schema"
#define RECORD_F_ID                   "record_id"
#define RECORD_F_SEQ                  "seq"
#define RECORD_F_CREATED_AT           "created_at"
#define RECORD_F_DEVICE_ID            "device_id"
#define RECORD_F_LOCATION             "location"
#define RECORD_F_LANGUAGE             "language"
#define RECORD_F_MODE                 "mode"
#define RECORD_F_ANSWERS              "answers"
#define RECORD_F_CRISIS               "crisis"
#define RECORD_F_DEADLINE             "deadline"
#define RECORD_F_DEADLINE_PROVISIONAL "deadline_provisional"
/* Field mode's (app/field/): the form a visit used, the consultant, the record it follows. */
#define RECORD_F_FORM                 "form"
#define RECORD_F_CONSULTANT_ID        "consultant_id"
#define RECORD_F_FOLLOWS              "follows"

/* What the device knows about a record before it is stored. */
struct record_body {
	const char *created_at;     /* record_time_format; NULL: stamped when sealed */
	const char *location;       /* config.json "location"; NULL: left out */
	const char *language;       /* the language the person used */
	const char *mode;           /* "kiosk" or "field" */
	json_t *answers;            /* borrowed (a reference is taken) */
	json_t *crisis;             /* triage_crisis_json; stolen, NULL: left out */
	json_t *deadline;           /* triage_deadline_json; stolen, NULL: left out */
	int deadline_provisional;   /* 1: the deadline waits for a date (DOMAIN.md) */
	const json_t *extra;        /* more fields (field mode: form, consultant_id, follows),
	                               added after the others, never over one; borrowed */
};

/*
 * Builds a record from b in the fields' order, with its identity (record_id, seq,
 * device_id, and created_at when b has none) still null, in its place, for record_stamp. Returns the record (caller frees with
 * json_decref) or NULL on out of memory; b's stolen values are released either way.
 */
json_t *record_new(const struct record_body *b);

/*
 * Gives rec its identity, the one place these fields are set: schema, record_id, seq and
 * device_id, and created_at (now) when rec has none or null. A created_at rec has must be
 * record_time_format's; *created is its moment (for the seal's signingTime). 0, or -1
 * with an error for a malformed created_at or out of memory.
 */
int record_stamp(json_t *rec, const char *record_id, long long seq, const char *device_id,
                 time_t *created);

/* t as ISO 8601 local time with the offset written "+01:00" (the Dutch clock). */
int record_time_format(time_t t, char out[40]);

/* Parses "YYYY-MM-DDTHH:MM:SS+HH:MM" (or Z) into *out; -1 when malformed. */
int record_time_parse(const char *s, time_t *out);

/* Short human reference from a record id, e.g. "K7QF-2M9D" (Crockford base32 of the first
 * 40 bits of the UUID): printed on the receipt and in the back office worklist. An id that
 * is not hex gives "". */
void record_ref_from_id(const char *record_id, char out[12]);

#endif

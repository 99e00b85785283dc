/*
 * outbox.h — the device's queue of sealed records waiting for upload.
 *
 * One SQLite file (STATE/outbox.sqlite), WAL, synchronous=FULL, busy_timeout; one row per
 * sealed record: id, seq, created_at, priority, envelope BLOB, attempts, last_error,
 * next_attempt_at, held. Nothing else: no name, no answer, nothing in plaintext. A small
 * meta table holds the per-device sequence counter, advanced in the same transaction as
 * the insert, so a sequence number is never skipped or repeated.
 *
 * Handles are not shared between threads: open one per thread (SQLite's busy_timeout
 * serialises writers across handles and processes).
 */
#ifndef INLOOP_OUTBOX_H
#define INLOOP_OUTBOX_H

#include <jansson.h>
#include <stddef.h>

struct outbox;
struct seal_device;

/* Opens (creating schema and folder file as needed) the outbox at path. On success *out
 * is owned by the caller (outbox_close). */
int outbox_open(const char *path, struct outbox **out);
void outbox_close(struct outbox *ob);                      /* NULL ok */

struct outbox_row {
	char id[37];               /* record id, UUID */
	long long seq;             /* per-device sequence number */
	char created_at[40];       /* ISO 8601 with offset */
	int priority;              /* higher goes first (crisis) */
	size_t size;               /* envelope bytes */
	int attempts;              /* upload attempts so far */
	char last_error[256];      /* reason of the last failed attempt, "" if none */
	long long next_attempt_at; /* unix seconds; 0 = at once */
	int held;                  /* 1 = refused by the server (4xx): kept aside */
};

/*
 * Gives `record` (a JSON object the caller owns, from record_new) its identity with
 * record_stamp: a record_id (random UUIDv4 from RAND_bytes), the next per-device seq and
 * the device_id (and created_at when absent); seals it with seal_record, then INSERTs it: seq advance and insert in
 * ONE transaction (BEGIN IMMEDIATE … COMMIT). The serialised plaintext is cleansed. On
 * success returns 0 and sets id_out / seq_out (either may be NULL); on failure -1 and no
 * row is stored and no seq consumed.
 */
int outbox_seal_store(struct outbox *ob, struct seal_device *dev, json_t *record, int priority,
                      char id_out[37], long long *seq_out);

/* Calls cb for every row, oldest seq first; a non-zero return from cb stops the walk and
 * is returned. The row is valid only during the call. -1 on a database error. */
int outbox_list(struct outbox *ob, int (*cb)(const struct outbox_row *r, void *arg), void *arg);

/*
 * Next row due for upload (not held, next_attempt_at <= now): highest priority first,
 * then oldest (seq). Returns 1 and fills row and *der (malloc'd, caller frees with free)
 * when found, 0 when none is due, -1 on error.
 */
int outbox_next(struct outbox *ob, long long now, struct outbox_row *row, unsigned char **der, size_t *len);

/* Same order as outbox_next, up to max rows at once (batch upload). Returns the number of
 * rows filled (0..max), -1 on error; the caller frees every ders[i] with free. */
int outbox_next_batch(struct outbox *ob, long long now, struct outbox_row *rows, unsigned char **ders,
                      size_t *lens, int max);

/* Envelope of one row by id: 1 found (*der malloc'd, caller frees), 0 not found, -1 error. */
int outbox_get(struct outbox *ob, const char *id, unsigned char **der, size_t *len);

/* Removes a row once the server answered 200/201. Deleting an absent id is not an error. */
int outbox_delete(struct outbox *ob, const char *id);
/* Removes n rows in one transaction. */
int outbox_delete_many(struct outbox *ob, const char *const *ids, int n);
/* Records a failed attempt: attempts++, last_error = err, next_attempt_at = next_at. */
int outbox_defer(struct outbox *ob, const char *id, long long next_at, const char *err);
/* Server refused the record (4xx): held = 1 with the reason; the row is never deleted. */
int outbox_hold(struct outbox *ob, const char *id, const char *err);

struct outbox_counts {
	int pending;              /* rows not held */
	int held;                 /* rows held aside */
	int crisis_pending;       /* not held, priority > 0 */
	long long oldest_pending; /* unix seconds the oldest pending row was stored; 0 if none */
};
int outbox_counts(struct outbox *ob, struct outbox_counts *c);

/* Reads this handle's journal_mode ("wal") and synchronous level (2 = FULL) back. */
int outbox_settings(struct outbox *ob, char *journal_mode, size_t size, int *synchronous);

/*
 * Test hook (fault loops, STYLE.md 15): before each step of outbox_seal_store ("begin",
 * "read_seq", "update_seq", "seal", "insert", "commit") fn is asked; non-zero makes that
 * step fail. NULL turns it off. Process-wide; never set outside tests.
 */
void outbox_set_fault(int (*fn)(const char *step, void *arg), void *arg);

#endif

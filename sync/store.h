/*
 * store.h — the case store's envelope store: one small interface (put, get, list, mark
 * contacted, plus the transaction brackets the server's group commit needs) that a second
 * backend (PostgreSQL with streaming replication, DESIGN.md "The wire") can implement.
 * This implementation is SQLite: one file, WAL, synchronous=FULL.
 *
 * The store holds sealed envelopes only (ciphertext), keyed by record id, with the device
 * id from the verified client certificate, the time received and the size. It never sees
 * plaintext; the back office opens envelopes with seal_open.
 */
#ifndef INLOOP_STORE_H
#define INLOOP_STORE_H

#include <stddef.h>
#include <time.h>

struct store;

enum {
	STORE_CREATE = 1,     /* create the file and schema if absent */
	STORE_READONLY = 2,   /* open for reading only (back-office list/show/export) */
};

/*
 * Opens the store at path (SQLite, WAL, synchronous=FULL, foreign keys on; the file and
 * its WAL are mode 0600, an existing file is tightened to 0600). Without
 * STORE_CREATE a missing file is an error. A file that is not a database, or cannot be
 * read, is a clear error. On success *out is owned by the caller (store_close).
 */
int store_open(const char *path, int flags, struct store **out);

/* Closes the store; an open transaction is rolled back. NULL is a no-op. */
void store_close(struct store *s);

/* Transaction brackets for group commit: many puts, one durable commit. */
int store_begin(struct store *s);
int store_commit(struct store *s);
void store_rollback(struct store *s);
int store_in_transaction(const struct store *s);

enum store_put_result {
	STORE_PUT_ERROR = -1,     /* database error (busy, full, I/O): nothing changed */
	STORE_PUT_CREATED = 0,    /* new row (durable after the commit) */
	STORE_PUT_SAME = 1,       /* the id holds these exact bytes already */
	STORE_PUT_CONFLICT = 2,   /* the id holds different bytes: nothing changed */
	STORE_PUT_DUPLICATE = 3,  /* these exact bytes are stored under another id: nothing changed */
};

/*
 * Stores the envelope body under id for device, received at `received`. The body is
 * copied. Each envelope is stored once: its SHA-256 is kept, and the same bytes under a
 * second id are refused (STORE_PUT_DUPLICATE). Inside an open transaction the row is durable only after store_commit;
 * outside one the put commits by itself.
 */
enum store_put_result store_put(struct store *s, const char *id, const char *device,
				const unsigned char *body, size_t len, time_t received);

/* One stored row. Pointers are owned by the store and valid only during the callback
 * (store_list) or until store_row_release (store_get). */
struct store_row {
	const char *id;
	const char *device;
	time_t received_at;
	const unsigned char *body;
	size_t len;
	const char *contacted;    /* "YYYY-MM-DD" or NULL */
	void *priv_;              /* owned by the store */
};

/* Looks up id: 0 found (*row filled; release with store_row_release), 1 absent, -1 error. */
int store_get(struct store *s, const char *id, struct store_row *row);
void store_row_release(struct store_row *row);

/* Calls fn for every row in order of arrival; a non-zero return from fn stops the walk
 * and is returned. -1 on a database error. */
typedef int (*store_row_fn)(const struct store_row *row, void *arg);
int store_list(struct store *s, store_row_fn fn, void *arg);

/*
 * Like store_list, for the rows stored after position *since (0: all), in the order they
 * were stored; after each row fn accepted (returned 0), *since is that row's position.
 * Keep *since and pass it again to see only what arrived since (the office's index). A
 * position is opaque and only grows (SQLite: the rowid, never reused after store_erase).
 */
int store_list_since(struct store *s, long long *since, store_row_fn fn, void *arg);

/* Records the date ("YYYY-MM-DD") of the first conversation: 0 done, 1 no such id. */
int store_mark_contacted(struct store *s, const char *id, const char *date);

/*
 * Retention: erases the envelope of id and keeps a tombstone (id, device, time received,
 * size and the SHA-256 of the erased bytes; no bytes). Afterwards store_get and store_list
 * no longer see id, and store_put of the same id answers as if the envelope were still
 * there: the same bytes STORE_PUT_SAME (the device may delete its copy: 200), other bytes
 * STORE_PUT_CONFLICT (409); nothing is stored again. 0 erased, 1 no such id, -1 error.
 */
int store_erase(struct store *s, const char *id);

/* Number of stored rows, or -1. */
long long store_count(struct store *s);

#endif

/*
 * store.h — the case store's envelope store: one small interface (put, get, list, mark
 * contacted, plus the transaction brackets the server's group commit needs) with two
 * backends: SQLite (store.c; one file, WAL, synchronous=FULL; the default) and PostgreSQL
 * through libpq (store_pg.c; a region's database shared by several front-ends, tenants
 * kept apart by row-level security, README "Run for a region"). store_open picks the
 * backend from what it is given: a postgresql:// URL, else a file path.
 *
 * For the server's event loop, which must never wait on a network database, the
 * PostgreSQL backend also offers a pool of worker threads (store_pool_*, below).
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
 * Opens the store at where: a postgresql:// or postgres:// URL (libpq; the schema of
 * sync/casestore/store_pg.sql must be in place, STORE_CREATE does not make it), else a file path.
 * SQLite: opens the store at path (SQLite, WAL, synchronous=FULL, foreign keys on; the file and
 * its WAL are mode 0600, an existing file is tightened to 0600). Without
 * STORE_CREATE a missing file is an error. A file that is not a database, or cannot be
 * read, is a clear error. On success *out is owned by the caller (store_close).
 */
int store_open(const char *where, int flags, struct store **out);

/* 1 when where is a postgresql:// (or postgres://) URL. */
int store_is_url(const char *where);

/*
 * Where a folder's store is, into buf: the first line of URL_DIR/store.url (a postgresql://
 * URL; keep passwords out of it, in ~/.pgpass or a client certificate) when that file
 * exists, else SQLITE_DIR/store.sqlite. -1 with an error on an unreadable or bad file.
 */
int store_where(const char *url_dir, const char *sqlite_dir, char *buf, size_t size);

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
	void (*release_)(struct store_row *row);   /* the backend's, for store_row_release */
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

/*
 * The pool (PostgreSQL only): N worker threads, each with its own connection, take jobs
 * from the event loop and hand them back finished; the loop waits on store_pool_fd. A
 * PUT is one transaction ending in a durable COMMIT (synchronous_commit=on: on disk, and
 * on the synchronous standby when one is configured) before its result is CREATED; any
 * WARNING during it (a cancelled wait for the standby), a lost connection or a failed
 * commit makes it STORE_PUT_ERROR (answer 503; the device's retry gets SAME if it had
 * committed). Whether the id is new, the same or a conflict is decided by the database
 * (one unique key, INSERT ... ON CONFLICT, then a compare), so front-ends on the same
 * database never disagree. A worker that lost its connection reconnects (every host of
 * a multi-host URL, target_session_attrs as given) while the pool answers
 * store_pool_submit with -1.
 */
enum store_job_kind { STORE_JOB_PUT, STORE_JOB_GET };

struct store_job {
	enum store_job_kind kind;
	char id[40];
	char device[64];
	unsigned char *body;      /* PUT: the envelope; GET: the stored one (found, own device) */
	size_t len;
	int result;               /* PUT: enum store_put_result; GET: 0 found, 1 absent, -1 error */
	void *arg;                /* the caller's */
	struct store_job *next;   /* the pool's */
};

struct store_pool;

/*
 * Starts n workers on url; the first connection and the schema are checked before this
 * returns (a clear error, -1, when not). *out owned by the caller (store_pool_close).
 * Group commit: a worker takes up to `group` PUTs waiting in the queue (1..STORE_GROUP_MAX;
 * 1: each alone) and commits them in one transaction (a pipeline, one Sync); each is
 * answered only after that commit, and when the group does not commit each is run again
 * alone, so one failure never loses or mis-answers the others.
 */
#define STORE_GROUP_MAX 64
int store_pool_open(const char *url, int n, int group, struct store_pool **out);

/* A descriptor that turns readable when finished jobs wait in store_pool_done. */
int store_pool_fd(const struct store_pool *p);

/* Queues job (owned by the caller until it comes back from store_pool_done); -1 when no
 * worker holds a live connection (the caller answers 503 and the job is not queued). */
int store_pool_submit(struct store_pool *p, struct store_job *job);

/* The finished jobs (a list through ->next, in no particular order), or NULL. */
struct store_job *store_pool_done(struct store_pool *p);

/* Jobs queued or running. */
int store_pool_busy(const struct store_pool *p);

/* Lets queued and running jobs finish, stops the workers, closes; returns the finished
 * jobs not yet taken (the caller's, as from store_pool_done). NULL is a no-op. */
struct store_job *store_pool_close(struct store_pool *p);

#endif

/*
 * store_backend.h — what a backend of store.h provides (private to sync/store*.c): a table
 * of operations behind the opaque struct store, whose first member is the table. store.c
 * holds the SQLite backend and the dispatch; store_pg.c the PostgreSQL one.
 */
#ifndef INLOOP_STORE_BACKEND_H
#define INLOOP_STORE_BACKEND_H

#include "sync/casestore/store.h"

struct store_ops {
	void (*close)(struct store *s);
	int (*begin)(struct store *s);
	int (*commit)(struct store *s);
	void (*rollback)(struct store *s);
	int (*in_transaction)(const struct store *s);
	enum store_put_result (*put)(struct store *s, const char *id, const char *device,
				     const unsigned char *body, size_t len, time_t received);
	int (*get)(struct store *s, const char *id, struct store_row *row);
	void (*row_release)(struct store_row *row);
	int (*list)(struct store *s, store_row_fn fn, void *arg);
	int (*mark_contacted)(struct store *s, const char *id, const char *date);
	long long (*count)(struct store *s);
	int (*list_since)(struct store *s, long long *since, store_row_fn fn, void *arg);
	int (*erase)(struct store *s, const char *id);
};

/* Every backend's store starts with this. */
struct store {
	const struct store_ops *ops;
};

/* The PostgreSQL backend's store_open (store_pg.c): url is a libpq connection URI. */
int store_pg_open(const char *url, int flags, struct store **out);

#endif

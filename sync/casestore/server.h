/*
 * server.h — the case-store server (build/inloop-casestore): HTTPS with required client
 * certificates (libevent evhttp + bufferevent_openssl, SYNC.md §1), PUT /v1/records/{id}
 * into the store (store.h) with group commit, answers per DESIGN.md "The wire".
 *
 * Single-threaded event loop. Requests are inserted into one open transaction and their
 * replies parked; when the loop has no more I/O ready, one COMMIT makes all of them
 * durable and then every parked request gets its answer ("flush when idle", SYNC.md §3).
 *
 * On PostgreSQL (store.h's pool) the loop never waits on the database: each request goes
 * to a worker thread with its own connection, and its answer is sent when the worker
 * says it committed (or 503 + Retry-After when it could not, or no connection is up).
 *
 * Answers beyond DESIGN.md's: 415 for a PUT that is not application/pkcs7-mime, 429 with
 * Retry-After above the per-device rate, 409 also for an envelope already stored under
 * another id, 400 (and close) for conflicting Content-Length framing, 405 (with Allow) for
 * another method on a known path.
 *
 * Field mode (issue 12): GET and DELETE of a consultant's visits (wire.h), answered on the
 * loop from the spool and the consultant registry, which are small files (visits.h), on
 * either store backend.
 */
#ifndef INLOOP_SERVER_H
#define INLOOP_SERVER_H

#include "sync/record/wire.h"

#include <stddef.h>

#define SERVER_DEFAULT_HOST "127.0.0.1"
#define SERVER_DEFAULT_PORT 8443
#define SERVER_MAX_BODY WIRE_MAX_BODY     /* sync/record/wire.h */
#define SERVER_MAX_PENDING 256
#define SERVER_HANDSHAKE_MS 5000        /* accept -> TLS handshake done, absolute */
#define SERVER_REQUEST_MS 15000         /* handshake or previous reply -> next request read */
#define SERVER_MAX_CONNS 512            /* lowered to stay 200 below the fd limit */
#define SERVER_MAX_CONNS_PER_ADDR 64
#define SERVER_RATE_PER_S 20.0          /* PUTs per second per device, sustained */
#define SERVER_RATE_BURST 5000.0        /* ... after a burst of this many (an outbox backlog) */
#define SERVER_STORE_CONNS 8            /* PostgreSQL: connections per front-end */
#define SERVER_STORE_GROUP 16           /* PostgreSQL: PUTs committed together, at most */

struct server_opts {
	const char *dir;       /* case-store folder: server.pem/.key, ca.pem, crl.pem, devices/, store.sqlite */
	const char *host;      /* listen address, e.g. "127.0.0.1" */
	int port;              /* listen port; 0 picks a free one (printed at start) */
	size_t max_body;       /* larger bodies get 413 */
	int max_pending;       /* parked replies above this get 503 + Retry-After */
	int quiet;             /* log only refusals and errors, not every 2xx */
	int handshake_ms;      /* absolute deadline of the TLS handshake after accept */
	int request_ms;        /* absolute deadline of each request (reading it completely) */
	int max_conns;         /* total connection cap (never above the fd limit minus 200) */
	int max_conns_per_addr;
	double rate_per_s;     /* PUTs per device per second; 0 = no limit. Above: 429 */
	double rate_burst;     /* bucket size of that limit */
	const char *store;     /* a postgresql:// URL; NULL: dir/store.url if present, else dir/store.sqlite */
	int store_conns;       /* PostgreSQL connections (worker threads) of this front-end */
	int store_group;       /* PostgreSQL: waiting PUTs a worker commits together (1: each alone) */
};

/* Fills o with the defaults above (dir NULL). */
void server_opts_defaults(struct server_opts *o);

/*
 * Loads the TLS material and the store, listens, and serves until SIGTERM or SIGINT;
 * then stops accepting, commits and answers what is pending, and returns 0. A missing
 * or unreadable key, certificate, CRL or database returns -1 with a clear error before
 * listening. Prints "casestore: listening on HOST:PORT" to stderr once ready.
 */
int server_run(const struct server_opts *o);

#endif

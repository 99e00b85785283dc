/*
 * tlsconn.h — what both HTTPS servers do alike before a request reaches them: the case
 * store (server.c, devices with client certificates) and the web office (sync/office/web.c,
 * browsers on the municipality's network). One home for the server TLS context (TLS 1.2+,
 * AEAD suites only: issue 9 D9), the connection guard (issue 9 D1) and the request
 * framing check (D10), so neither end can fall behind the other.
 *
 * The guard gives every connection an absolute deadline for its TLS handshake and then
 * for each request (not an idle timer that restarts on every byte), caps connections in
 * total (always TLSCONN_FD_RESERVE below the fd limit) and per peer address, and at the
 * total cap lets the oldest connection still in its handshake make room, else the oldest
 * one idle between requests (a finished handshake, no request yet). When accept()
 * fails (EMFILE) it pauses the listener with a back-off (10 ms doubling to 1 s) instead
 * of spinning, and logs each noisy event at most once a second with a count.
 *
 * One guard per process (libevent's accept-error callback carries no pointer of ours).
 * Logs hold addresses and counts, never content.
 */
#ifndef INLOOP_TLSCONN_H
#define INLOOP_TLSCONN_H

#include <openssl/ssl.h>
#include <time.h>

struct event_base;
struct evhttp;
struct evhttp_bound_socket;
struct evhttp_request;
struct bufferevent;

#define TLSCONN_FD_RESERVE 200   /* fds kept free under the cap: databases, files, accept bursts */

/* A log line that may repeat: printed at most once a second, with how often it happened. */
struct tlsconn_ratelog {
	time_t last;
	unsigned long count;     /* occurrences not yet reported */
};

struct tlsconn_limits {
	int handshake_ms;        /* accept -> TLS handshake done, absolute */
	int request_ms;          /* handshake or previous reply -> next request read, absolute */
	int max_conns;           /* total cap (lowered to stay TLSCONN_FD_RESERVE below the fd limit) */
	int max_conns_per_addr;
};

struct tlsconn_guard;

/* 1 when a repeating event should be logged now (at most once a second); *n gets how many
 * happened since the last line, this one included. */
int tlsconn_ratelog_due(struct tlsconn_ratelog *r, unsigned long *n);

/* Prints "what path: <OpenSSL's first queued reason>" (library reasons only, never data),
 * clears the queue and returns -1. */
int tlsconn_error(const char *what, const char *path);

/* A server context with the shared rules: TLS 1.2 minimum, no renegotiation, the server's
 * order, TLS 1.2 suites ECDHE-ECDSA with AES-GCM or ChaCha20-Poly1305 only, and the
 * callback that moves a guarded connection from its handshake deadline to its request
 * deadline. Caller adds certificates and frees with SSL_CTX_free(); NULL after an error. */
SSL_CTX *tlsconn_ctx_new(void);

/* Makes the process's guard on base; who names the log lines ("casestore", "office").
 * Lowers lim->max_conns to the fd limit minus TLSCONN_FD_RESERVE (-1 when that leaves
 * fewer than 8) and logs the caps and deadlines. Free with tlsconn_guard_free(). */
int tlsconn_guard_new(struct event_base *base, const char *who, const struct tlsconn_limits *lim,
		      struct tlsconn_guard **out);

/* Forgets every live connection (their SSL objects are freed later by evhttp or the base)
 * and frees the guard; call it before evhttp_free(). NULL is a no-op. */
void tlsconn_guard_free(struct tlsconn_guard *g);

/* For evhttp's bufferevent callback: a new server-side TLS bufferevent on ctx (fd set by
 * evhttp), tracked by the guard. NULL when out of memory. */
struct bufferevent *tlsconn_accept(struct tlsconn_guard *g, struct event_base *base, SSL_CTX *ctx);

/* Binds http to host:port with TCP_NODELAY and the accept back-off; *port_out gets the
 * port bound (port 0 picks one). NULL after an error (printed). */
struct evhttp_bound_socket *tlsconn_listen(struct tlsconn_guard *g, struct evhttp *http,
					   const char *host, int port, int *port_out);

/* Stops accepting (SIGTERM): removes bound from http; live connections are served on. */
void tlsconn_unlisten(struct tlsconn_guard *g, struct evhttp *http, struct evhttp_bound_socket *bound);

/* A request was read completely: no deadline while the server works on it. */
void tlsconn_busy(struct evhttp_request *req);

/* The reply is on its way: the next request (and this reply's flush) gets a fresh deadline. */
void tlsconn_replied(struct evhttp_request *req);

/* For a server that answers within its request callback (the web office): the request was
 * read, and its reply and the next request share one fresh request deadline. Call it
 * before the reply is sent. */
void tlsconn_serving(struct evhttp_request *req);

/* Connections the guard counts now. */
int tlsconn_open(const struct tlsconn_guard *g);

/* 1 when the request's framing is unambiguous: Content-Length at most once or repeated with
 * the same value (RFC 9112 §6.3), and never together with Transfer-Encoding (smuggling).
 * A server answers 0 with 400 and closes the connection. */
int tlsconn_framing_ok(struct evhttp_request *req);

#endif

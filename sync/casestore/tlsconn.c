/*
 * tlsconn.c — the server TLS context, the connection guard and the framing check that
 * the case store and the web office share (tlsconn.h; issue 9 D1, D9, D10).
 *
 * A connection's bookkeeping (struct conn) hangs on its SSL object as ex data and is
 * freed with it, so it lives exactly as long as evhttp keeps the connection. Ending a
 * connection from outside libevent's flow is a shutdown() of its socket: the pending read
 * or write fails and evhttp frees it through its own error path.
 */
#include "sync/casestore/tlsconn.h"
#include "platform/util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>

/* TLS 1.2: ECDHE-ECDSA with an AEAD only (issue 9, D9); TLS 1.3 suites are all AEAD. */
#define TLS12_CIPHERS "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:" \
		      "ECDHE-ECDSA-CHACHA20-POLY1305"

enum conn_phase {
	PHASE_ADMIT,              /* just accepted: the admission check runs next */
	PHASE_HANDSHAKE,          /* TLS handshake under way (unauthenticated) */
	PHASE_REQUEST,            /* handshake done: waiting for a complete request */
	PHASE_BUSY,               /* a request is in the server's hands */
};

/* One accepted connection; owned by its SSL object (freed with it: conn_ex_free). */
struct conn {
	struct tlsconn_guard *g;  /* NULL once the guard is gone */
	struct bufferevent *bev;
	struct event *deadline;   /* the admission check, then the absolute deadlines */
	struct conn *prev, *next; /* in accept order: the oldest first */
	enum conn_phase phase;
	int counted;              /* counted in g->nconns */
	char addr[INET6_ADDRSTRLEN];
};

struct tlsconn_guard {
	struct event_base *base;
	const char *who;
	struct tlsconn_limits lim;
	struct conn *head, *tail;
	int nconns;
	int stopping;
	struct evconnlistener *lev;
	struct event *accept_ev;  /* re-enables the listener after an accept error */
	int backoff_ms;
	struct tlsconn_ratelog log_accept, log_deadline, log_cap;
};

static int conn_ex_index = -1;
static struct tlsconn_guard *the_guard;   /* the accept-error callback gets evhttp's pointer */

#define logf_(g, ...) util_log((g)->who, __VA_ARGS__)

int tlsconn_ratelog_due(struct tlsconn_ratelog *r, unsigned long *n)
{
	time_t now = time(NULL);

	r->count++;
	if (now == r->last)
		return 0;
	r->last = now;
	*n = r->count;
	r->count = 0;
	return 1;
}

int tlsconn_error(const char *what, const char *path)
{
	unsigned long e = ERR_get_error();
	char buf[256] = "no detail";

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return error("%s %s: %s", what, path, buf);
}

/* ------------------------------------------------------------------ connections */

static void conn_arm(struct conn *c, int ms)
{
	struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };

	if (c->deadline)
		event_add(c->deadline, &tv);
}

static void conn_kill(struct conn *c)
{
	evutil_socket_t fd = c->bev ? bufferevent_getfd(c->bev) : -1;

	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
	conn_arm(c, 1000);   /* once more in a second, should the first go unnoticed */
}

static void conn_unlink(struct tlsconn_guard *g, struct conn *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		g->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		g->tail = c->prev;
	c->prev = c->next = NULL;
}

/* Accepting pauses while an accept back-off runs; otherwise it is on. */
static void listener_update(struct tlsconn_guard *g)
{
	if (!g->lev || g->stopping || event_pending(g->accept_ev, EV_TIMEOUT, NULL))
		return;
	evconnlistener_enable(g->lev);
}

static void uncount(struct tlsconn_guard *g, struct conn *c)
{
	if (!c->counted)
		return;
	c->counted = 0;
	g->nconns--;
	listener_update(g);
}

/* The SSL object (and so the connection) is gone: forget it. */
static void conn_ex_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	struct conn *c = ptr;

	(void)parent, (void)ad, (void)idx, (void)argl, (void)argp;
	if (!c)
		return;
	if (c->deadline)
		event_free(c->deadline);
	if (c->g) {
		conn_unlink(c->g, c);
		uncount(c->g, c);
	}
	free(c);
}

static struct conn *conn_of_req(struct evhttp_request *req)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(req);
	struct bufferevent *bev = evcon ? evhttp_connection_get_bufferevent(evcon) : NULL;
	SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;

	return ssl && conn_ex_index >= 0 ? SSL_get_ex_data(ssl, conn_ex_index) : NULL;
}

/* The TLS handshake finished: from now on the request deadline applies. */
static void on_tls_info(const SSL *ssl, int where, int ret)
{
	struct conn *c;

	(void)ret;
	if (!(where & SSL_CB_HANDSHAKE_DONE) || conn_ex_index < 0)
		return;
	c = SSL_get_ex_data(ssl, conn_ex_index);
	if (c && c->g && c->phase == PHASE_HANDSHAKE) {
		c->phase = PHASE_REQUEST;
		conn_arm(c, c->g->lim.request_ms);
	}
}

static int same_addr_count(const struct tlsconn_guard *g, const char *addr)
{
	int n = 0;

	for (const struct conn *c = g->head; c; c = c->next)
		n += c->counted && !strcmp(c->addr, addr);
	return n;
}

/* The oldest counted connection in phase, other than self; NULL if none. */
static struct conn *oldest_in(const struct tlsconn_guard *g, const struct conn *self, enum conn_phase phase)
{
	for (struct conn *c = g->head; c; c = c->next)
		if (c != self && c->counted && c->phase == phase)
			return c;
	return NULL;
}

static void note_cap(struct tlsconn_guard *g, const char *what, const char *addr)
{
	unsigned long n;

	if (tlsconn_ratelog_due(&g->log_cap, &n))
		logf_(g, "connection refused: %s (last from %s; %lu in the last second; %d open)", what,
		      addr, n, g->nconns);
}

static void peer_of(struct conn *c)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	evutil_socket_t fd = bufferevent_getfd(c->bev);

	snprintf(c->addr, sizeof(c->addr), "?");
	if (fd >= 0 && getpeername(fd, (struct sockaddr *)&ss, &sl) == 0)
		inet_ntop(ss.ss_family, ss.ss_family == AF_INET6 ?
			  (void *)&((struct sockaddr_in6 *)&ss)->sin6_addr :
			  (void *)&((struct sockaddr_in *)&ss)->sin_addr, c->addr, sizeof(c->addr));
}

/* Runs right after accept (evhttp has set the fd by then): caps, then the handshake deadline. */
static void conn_admit(struct tlsconn_guard *g, struct conn *c)
{
	struct conn *victim;

	peer_of(c);
	c->phase = PHASE_HANDSHAKE;
	if (same_addr_count(g, c->addr) >= g->lim.max_conns_per_addr) {
		note_cap(g, "too many connections from one address", c->addr);
		return conn_kill(c);
	}
	c->counted = 1;
	g->nconns++;
	if (g->nconns > g->lim.max_conns) {
		/* the oldest handshake makes room, else the oldest connection idle between
		 * requests: TLS without a client certificate (the web office) costs an
		 * attacker little, and an idle keep-alive is cheap to open again */
		victim = oldest_in(g, c, PHASE_HANDSHAKE);
		note_cap(g, victim ? "connection cap reached: the oldest handshake made room" :
			 (victim = oldest_in(g, c, PHASE_REQUEST)) ?
			 "connection cap reached: the oldest idle connection made room" :
			 "connection cap reached", c->addr);
		if (!victim)
			return conn_kill(c);
		victim->counted = 0;
		g->nconns--;
		conn_kill(victim);
	}
	listener_update(g);
	conn_arm(c, g->lim.handshake_ms);
}

static void on_conn_timer(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	struct tlsconn_guard *g = c->g;
	unsigned long n;

	(void)fd, (void)what;
	if (!g)
		return;
	if (c->phase == PHASE_ADMIT)
		return conn_admit(g, c);
	if (c->phase == PHASE_BUSY)
		return;
	if (c->counted && tlsconn_ratelog_due(&g->log_deadline, &n))
		logf_(g, "closed a connection from %s at its %s deadline (%lu in the last second)", c->addr,
		      c->phase == PHASE_HANDSHAKE ? "handshake" : "request", n);
	uncount(g, c);
	conn_kill(c);
}

/* A new connection's bookkeeping, owned by ssl from here on. */
static int conn_new(struct tlsconn_guard *g, SSL *ssl, struct bufferevent *bev)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return -1;
	c->g = g;
	c->bev = bev;
	c->phase = PHASE_ADMIT;
	c->deadline = event_new(g->base, -1, 0, on_conn_timer, c);
	if (!c->deadline || !SSL_set_ex_data(ssl, conn_ex_index, c)) {
		if (c->deadline)
			event_free(c->deadline);
		free(c);
		return -1;
	}
	c->prev = g->tail;
	if (g->tail)
		g->tail->next = c;
	else
		g->head = c;
	g->tail = c;
	event_active(c->deadline, EV_TIMEOUT, 0);
	return 0;
}

void tlsconn_busy(struct evhttp_request *req)
{
	struct conn *c = conn_of_req(req);

	if (c && c->g) {
		c->phase = PHASE_BUSY;
		event_del(c->deadline);
	}
}

void tlsconn_replied(struct evhttp_request *req)
{
	struct conn *c = conn_of_req(req);

	if (c && c->g && c->phase == PHASE_BUSY) {
		c->phase = PHASE_REQUEST;
		conn_arm(c, c->g->lim.request_ms);
	}
}

void tlsconn_serving(struct evhttp_request *req)
{
	struct conn *c = conn_of_req(req);

	if (c && c->g && c->phase != PHASE_HANDSHAKE) {
		c->phase = PHASE_REQUEST;
		conn_arm(c, c->g->lim.request_ms);
	}
}

int tlsconn_open(const struct tlsconn_guard *g)
{
	return g ? g->nconns : 0;
}

/* ------------------------------------------------------------------ TLS and the listener */

SSL_CTX *tlsconn_ctx_new(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());

	if (!ctx) {
		tlsconn_error("cannot create a TLS context", "");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
	if (SSL_CTX_set_cipher_list(ctx, TLS12_CIPHERS) != 1) {
		tlsconn_error("cannot set the TLS 1.2 cipher list", TLS12_CIPHERS);
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_info_callback(ctx, on_tls_info);
	return ctx;
}

struct bufferevent *tlsconn_accept(struct tlsconn_guard *g, struct event_base *base, SSL_CTX *ctx)
{
	SSL *ssl = SSL_new(ctx);
	struct bufferevent *bev;

	g->backoff_ms = 0;   /* an accept worked */
	if (!ssl)
		return NULL;
	bev = bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING, BEV_OPT_CLOSE_ON_FREE);
	if (!bev)
		return NULL;   /* libevent freed ssl */
	bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	if (conn_new(g, ssl, bev) < 0)
		logf_(g, "warning: out of memory tracking a connection (it has no deadline)");
	return bev;
}

static void on_accept_resume(evutil_socket_t fd, short what, void *arg)
{
	struct tlsconn_guard *g = arg;

	(void)fd, (void)what;
	if (g->lev && !g->stopping)
		evconnlistener_enable(g->lev);
}

/* accept() failed with something other than EAGAIN (EMFILE, ENFILE, ENOBUFS): instead of
 * spinning on a listening socket that stays readable, pause accepting with a back-off
 * (10 ms doubling to 1 s; reset by the next successful accept) and log once a second. */
static void on_accept_error(struct evconnlistener *lev, void *arg)
{
	struct tlsconn_guard *g = the_guard;
	int err = EVUTIL_SOCKET_ERROR();
	struct timeval tv;
	unsigned long n;

	(void)arg;
	if (!g)
		return;
	evconnlistener_disable(lev);
	g->backoff_ms = g->backoff_ms ? g->backoff_ms * 2 : 10;
	if (g->backoff_ms > 1000)
		g->backoff_ms = 1000;
	tv.tv_sec = g->backoff_ms / 1000;
	tv.tv_usec = (g->backoff_ms % 1000) * 1000;
	event_add(g->accept_ev, &tv);
	if (tlsconn_ratelog_due(&g->log_accept, &n))
		logf_(g, "accept failed: %s (%lu in the last second; %d connections open):"
		      " pausing accepts for %d ms", strerror(err), n, g->nconns, g->backoff_ms);
}

struct evhttp_bound_socket *tlsconn_listen(struct tlsconn_guard *g, struct evhttp *http,
					   const char *host, int port, int *port_out)
{
	struct evhttp_bound_socket *bound = evhttp_bind_socket_with_handle(http, host, (ev_uint16_t)port);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	evutil_socket_t fd;
	int one = 1;

	if (!bound) {
		error("cannot listen on %s:%d: %s", host, port, strerror(errno));
		return NULL;
	}
	fd = evhttp_bound_socket_get_fd(bound);
	g->lev = evhttp_bound_socket_get_listener(bound);
	if (g->lev)
		evconnlistener_set_error_cb(g->lev, on_accept_error);
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		logf_(g, "warning: TCP_NODELAY: %s", strerror(errno));
	*port_out = port;
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		*port_out = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
							   : ((struct sockaddr_in *)&ss)->sin_port);
	return bound;
}

void tlsconn_unlisten(struct tlsconn_guard *g, struct evhttp *http, struct evhttp_bound_socket *bound)
{
	g->stopping = 1;
	if (bound)
		evhttp_del_accept_socket(http, bound);
	g->lev = NULL;
}

/* The total cap: the configured one, but always TLSCONN_FD_RESERVE below the fd limit. */
static int cap_below_fd_limit(struct tlsconn_guard *g)
{
	struct rlimit rl;
	long room;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		room = (long)rl.rlim_cur - TLSCONN_FD_RESERVE;
		if (room < 8)
			return error("the file-descriptor limit (%ld) is too low: the %s needs at least %d"
				     " (ulimit -n)", (long)rl.rlim_cur, g->who, TLSCONN_FD_RESERVE + 8);
		if (room < g->lim.max_conns)
			g->lim.max_conns = (int)room;
	}
	logf_(g, "connection cap %d (%d per address), deadlines: handshake %d ms, request %d ms",
	      g->lim.max_conns, g->lim.max_conns_per_addr, g->lim.handshake_ms, g->lim.request_ms);
	return 0;
}

int tlsconn_guard_new(struct event_base *base, const char *who, const struct tlsconn_limits *lim,
		      struct tlsconn_guard **out)
{
	struct tlsconn_guard *g;

	*out = NULL;
	if (conn_ex_index < 0)
		conn_ex_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, conn_ex_free);
	if (conn_ex_index < 0)
		return error("cannot register the connection index with OpenSSL");
	if (!(g = calloc(1, sizeof(*g))))
		return error("out of memory");
	g->base = base;
	g->who = who;
	g->lim = *lim;
	if (!(g->accept_ev = evtimer_new(base, on_accept_resume, g)) || cap_below_fd_limit(g) < 0) {
		tlsconn_guard_free(g);
		return -1;
	}
	the_guard = g;
	*out = g;
	return 0;
}

void tlsconn_guard_free(struct tlsconn_guard *g)
{
	if (!g)
		return;
	for (struct conn *c = g->head, *next; c; c = next) {
		next = c->next;
		if (c->deadline)
			event_free(c->deadline);
		c->deadline = NULL;
		c->g = NULL;
		c->prev = c->next = NULL;
	}
	if (g->accept_ev)
		event_free(g->accept_ev);
	if (the_guard == g)
		the_guard = NULL;
	free(g);
}

/* ------------------------------------------------------------------ framing */

int tlsconn_framing_ok(struct evhttp_request *req)
{
	struct evkeyvalq *h = evhttp_request_get_input_headers(req);
	const char *first = NULL;
	int te = 0;

	for (struct evkeyval *kv = h->tqh_first; kv; kv = kv->next.tqe_next) {
		if (!strcasecmp(kv->key, "Transfer-Encoding"))
			te = 1;
		if (strcasecmp(kv->key, "Content-Length"))
			continue;
		if (first && strcmp(first, kv->value))
			return 0;
		first = kv->value;
	}
	return !(te && first);
}

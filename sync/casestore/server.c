/*
 * server.c — the case-store server: libevent evhttp over bufferevent_openssl with required
 * client certificates, envelopes into the store with group commit (server.h).
 *
 * TLS follows SYNC.md §1 and its traps: TLS 1.2+, SSL_VERIFY_PEER|FAIL_IF_NO_PEER_CERT,
 * session-id context (trap 2), TCP_NODELAY on the listening socket (trap 1), a body limit
 * (trap 4), CRL checking (trap 7). The CRL is re-read when crl.pem changes: each accept
 * stats it and, when it changed, a fresh SSL_CTX is built and used for new connections,
 * so `inloopctl revoke` takes effect on the next connection without a restart. A daily
 * timer re-reads it too and warns loudly from 30 days before it expires (issue 9, D5).
 *
 * Under attack (issue 9, D1): the connection guard, the AEAD-only TLS context and the
 * framing check are shared with the web office (tlsconn.h): absolute deadlines for the
 * handshake and each request, connection caps, an accept back-off, logs once a second.
 *
 * Logs hold ids, device ids, addresses and status codes, never content.
 */
#include "sync/casestore/server.h"
#include "sync/record/seal.h"
#include "sync/casestore/store.h"
#include "sync/casestore/tlsconn.h"
#include "sync/casestore/visits.h"
#include "sync/record/pki.h"
#include "sync/record/wire.h"
#include "platform/util.h"
#include "platform/platform.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <openssl/sha.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define OPENSSL_MIN_SAFE 0x30000160L   /* 3.0.22, SEAL.md P9 */
#define DEVICE_ID_MAX 64
#define RECORDS_PREFIX WIRE_RECORDS_PATH
#define RATE_SLOTS 1024           /* devices tracked by the per-device rate limit */
#define CRL_CHECK_SECS (24 * 3600)
#define CRL_WARN_DAYS 30
struct pending {
	struct evhttp_request *req;
	int code;
	char id[40];
	char device[DEVICE_ID_MAX];
};

#define REGISTRY_CACHE 64

/* Per-device token bucket for PUTs (issue 9, D8). */
struct rate_slot {
	char device[DEVICE_ID_MAX];
	double tokens;
	struct timespec last;
};

struct registry_entry {
	char device[DEVICE_ID_MAX];
	char serial[128];
	struct timespec stamp[2];   /* mtimes of devices/NAME.pem and devices/revoked.txt */
	int verdict;                /* 0 allowed, -1 refused */
};

struct server {
	struct registry_entry reg[REGISTRY_CACHE];
	unsigned reg_next;
	const struct server_opts *o;
	struct event_base *base;
	struct evhttp *http;
	struct evhttp_bound_socket *bound;
	struct store *store;       /* SQLite: puts grouped into one commit on this thread */
	struct store_pool *pool;   /* PostgreSQL: puts and gets done by the pool's workers */
	struct event *pool_ev;     /* the pool has finished jobs */
	int inflight;              /* jobs handed to the pool, not yet answered */
	SSL_CTX *ctx;
	struct stat crl_st;        /* crl.pem as it was when ctx was built */
	struct event *flush_ev;
	struct event *sig_term, *sig_int;
	struct pending *pend;
	int npend;
	int stopping;
	unsigned long long commits, created;
	struct tlsconn_guard *guard; /* deadlines and caps of the connections (tlsconn.h) */
	struct event *crl_ev;      /* daily CRL check */
	struct tlsconn_ratelog log_rate, log_verify[128];
	struct rate_slot *rates;
};

static struct server *the_server;   /* for callbacks that only get evhttp's pointer */

static void send_envelope(struct server *sv, struct evhttp_request *req, const char *id,
			  const char *device, const unsigned char *body, size_t len);

/* Prints one log line to stderr: "casestore: ..." (ids and codes only). */
#define logf_(...) util_log("casestore", __VA_ARGS__)

static int path_in(const struct server *sv, const char *name, char *buf, size_t size)
{
	return util_fmt(buf, size, "%s/%s", sv->o->dir, name) < 0 ? -1 : 0;
}

/* Logs why a handshake was refused (verify error and depth; the subject CN is a device id). */
static int verify_cb(int ok, X509_STORE_CTX *xs)
{
	unsigned long n;
	int err;

	if (ok || !the_server)
		return ok;
	err = X509_STORE_CTX_get_error(xs);
	if (!tlsconn_ratelog_due(&the_server->log_verify[err & 127], &n))
		return ok;
	logf_("handshake refused: certificate verify error %d (%s) at depth %d (%lu in the last second)",
	      err, X509_verify_cert_error_string(err), X509_STORE_CTX_get_error_depth(xs), n);
	if (err == X509_V_ERR_CRL_HAS_EXPIRED)
		logf_("ERROR: crl.pem has expired: every device is refused until it is renewed"
		      " (inloopctl --dir ROOT crl renew, where ca.key lives)");
	return ok;
}

/* Warns loudly when the CRL expires within CRL_WARN_DAYS: an expired CRL locks out every
 * device (SYNC.md trap 7, issue 9 D5). Called at load and by the daily timer. */
static void check_crl_dates(X509_CRL *crl)
{
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
	char when[64] = "?";
	int days = 0, secs = 0;
	BIO *b = BIO_new(BIO_s_mem());

	if (b && next && ASN1_TIME_print(b, next) > 0) {
		int n = BIO_read(b, when, sizeof(when) - 1);
		when[n > 0 ? n : 0] = '\0';
	}
	BIO_free(b);
	if (!next || !ASN1_TIME_diff(&days, &secs, NULL, next))
		logf_("WARNING: crl.pem has no readable nextUpdate");
	else if (days < 0 || secs < 0)
		logf_("ERROR: crl.pem expired on %s: every device is refused until it is renewed"
		      " (inloopctl --dir ROOT crl renew, where ca.key lives)", when);
	else if (days < CRL_WARN_DAYS)
		logf_("WARNING: crl.pem expires in %d days (%s): then every device is refused."
		      " Renew it now: inloopctl --dir ROOT crl renew (run it daily)", days, when);
}

/* Adds every CRL in crl.pem to the context's store and turns on CRL checking. */
static int load_crls(SSL_CTX *ctx, const char *path)
{
	X509_STORE *st = SSL_CTX_get_cert_store(ctx);
	BIO *bio = BIO_new_file(path, "r");
	X509_CRL *crl;
	int n = 0;

	if (!bio)
		return tlsconn_error("cannot read the revocation list", path);
	while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
		check_crl_dates(crl);
		if (!X509_STORE_add_crl(st, crl)) {
			X509_CRL_free(crl);
			BIO_free(bio);
			return tlsconn_error("cannot use the revocation list", path);
		}
		X509_CRL_free(crl);
		n++;
	}
	ERR_clear_error();
	BIO_free(bio);
	if (n == 0)
		return error("the revocation list %s holds no CRL", path);
	X509_STORE_set_flags(st, X509_V_FLAG_CRL_CHECK);
	return 0;
}

static int load_identity(SSL_CTX *ctx, const struct server *sv)
{
	char cert[4096], key[4096], ca[4096];

	if (path_in(sv, "server.pem", cert, sizeof(cert)) < 0 ||
	    path_in(sv, "server.key", key, sizeof(key)) < 0 || path_in(sv, "ca.pem", ca, sizeof(ca)) < 0)
		return -1;
	if (access(key, R_OK) < 0)
		return error("cannot read the server key %s: %s", key, strerror(errno));
	if (platform_check_key_file(key) < 0)
		return -1;
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1)
		return tlsconn_error("cannot load the server certificate", cert);
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1)
		return tlsconn_error("cannot use the server key (unreadable, or not the key of server.pem)", key);
	if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1)
		return tlsconn_error("cannot load the municipality CA", ca);
	SSL_CTX_set_client_CA_list(ctx, SSL_load_client_CA_file(ca));
	return 0;
}

/* Builds a server SSL_CTX from the folder; NULL (with an error printed) on failure. */
static SSL_CTX *tls_ctx_new(const struct server *sv)
{
	SSL_CTX *ctx = tlsconn_ctx_new();
	char crl[4096];

	if (!ctx)
		return NULL;
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, verify_cb);
	SSL_CTX_set_session_id_context(ctx, (const unsigned char *)"casestore-v1", 12);
	if (load_identity(ctx, sv) < 0 || path_in(sv, "crl.pem", crl, sizeof(crl)) < 0 ||
	    load_crls(ctx, crl) < 0) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

static int crl_changed(const struct stat *a, const struct stat *b)
{
	return a->st_ino != b->st_ino || a->st_size != b->st_size ||
	       a->st_mtim.tv_sec != b->st_mtim.tv_sec || a->st_mtim.tv_nsec != b->st_mtim.tv_nsec;
}

/* On each accept: when crl.pem changed, swap in a fresh context (old connections keep theirs). */
static void refresh_tls(struct server *sv)
{
	char crl[4096];
	struct stat st;
	SSL_CTX *fresh;

	if (path_in(sv, "crl.pem", crl, sizeof(crl)) < 0 || stat(crl, &st) < 0 ||
	    !crl_changed(&st, &sv->crl_st))
		return;
	fresh = tls_ctx_new(sv);
	if (!fresh) {
		logf_("warning: crl.pem changed but could not be loaded; keeping the previous one");
		return;
	}
	SSL_CTX_free(sv->ctx);   /* live SSL objects hold their own reference */
	sv->ctx = fresh;
	sv->crl_st = st;
	logf_("revocation list reloaded");
}

/* Re-reads crl.pem's dates once a day (and reloads it when it changed). */
static void recheck_crl(struct server *sv)
{
	char crl[4096];
	BIO *b;
	X509_CRL *c;

	refresh_tls(sv);
	if (path_in(sv, "crl.pem", crl, sizeof(crl)) < 0 || !(b = BIO_new_file(crl, "r")))
		return;
	while ((c = PEM_read_bio_X509_CRL(b, NULL, NULL, NULL)) != NULL) {
		check_crl_dates(c);
		X509_CRL_free(c);
	}
	ERR_clear_error();
	BIO_free(b);
}

static void on_crl_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	recheck_crl(arg);
}

/* evhttp asks for a bufferevent per accepted connection (fd -1: evhttp sets it). */
static struct bufferevent *on_accept_bev(struct event_base *base, void *arg)
{
	struct server *sv = arg;

	refresh_tls(sv);
	return tlsconn_accept(sv->guard, base, sv->ctx);
}

static int device_id_ok(const unsigned char *s, int len)
{
	if (len <= 0 || len >= DEVICE_ID_MAX)
		return 0;
	for (int i = 0; i < len; i++)
		if (!(s[i] == '-' || s[i] == '_' || s[i] == '.' || (s[i] >= '0' && s[i] <= '9') ||
		      ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')))
			return 0;
	return 1;
}

/* The verified peer certificate's CN into out (SYNC.md trap 11: chain verified, not just read). */
static int peer_device(struct evhttp_request *req, char *out, size_t size, char *serial,
		       size_t serial_size)
{
	struct evhttp_connection *conn = evhttp_request_get_connection(req);
	struct bufferevent *bev = conn ? evhttp_connection_get_bufferevent(conn) : NULL;
	SSL *ssl = bev ? bufferevent_openssl_get_ssl(bev) : NULL;
	X509 *cert = ssl ? SSL_get0_peer_certificate(ssl) : NULL;
	X509_NAME *nm;
	unsigned char *utf8 = NULL;
	int i, len, rc = -1;

	if (!cert || SSL_get_verify_result(ssl) != X509_V_OK ||
	    pki_serial_hex(cert, serial, serial_size) < 0)
		return -1;
	nm = X509_get_subject_name(cert);
	i = X509_NAME_get_index_by_NID(nm, NID_commonName, -1);
	if (i < 0)
		return -1;
	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, i)));
	if (len > 0 && device_id_ok(utf8, len) && (size_t)len < size) {
		memcpy(out, utf8, (size_t)len);
		out[len] = '\0';
		rc = 0;
	}
	OPENSSL_free(utf8);
	return rc;
}

/*
 * The device registry (sync/ca/ca.h): devices/NAME.pem is the certificate issued to NAME,
 * devices/revoked.txt lists "SERIALHEX NAME" per line. A verified peer is allowed when its
 * CN has a registry entry with the same serial that is not listed as revoked; anything
 * else gets 403, even on a connection opened before the CRL changed. The verdict is
 * cached per device and re-checked when either file changes.
 */
static int registry_lookup(const struct server *sv, const char *device, const char *serial)
{
	char p[4096], reg_serial[128], *text = NULL, *line;
	X509 *cert = NULL;
	size_t len = 0;
	int ok;

	if (util_fmt(p, sizeof(p), "%s/devices/%s.pem", sv->o->dir, device) < 0 ||
	    access(p, R_OK) < 0 || pki_load_cert(p, &cert) < 0)
		return -1;
	ok = pki_serial_hex(cert, reg_serial, sizeof(reg_serial)) == 0 && !strcmp(reg_serial, serial);
	X509_free(cert);
	if (!ok || util_fmt(p, sizeof(p), "%s/devices/revoked.txt", sv->o->dir) < 0)
		return -1;
	if (access(p, F_OK) < 0)
		return 0;
	if (util_read_file(p, 16 * 1024 * 1024, &text, &len) < 0)
		return -1;
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncasecmp(line, serial, strlen(serial)) && line[strlen(serial)] == ' ')
			ok = 0;
	free(text);
	return ok ? 0 : -1;
}

static void registry_stamp(const struct server *sv, const char *device, struct timespec stamp[2])
{
	char p[4096];
	struct stat st;

	memset(stamp, 0, 2 * sizeof(*stamp));
	/* util_fmt returns the length written (>= 0) or -1 */
	if (util_fmt(p, sizeof(p), "%s/devices/%s.pem", sv->o->dir, device) >= 0 && stat(p, &st) == 0)
		stamp[0] = st.st_mtim;
	if (util_fmt(p, sizeof(p), "%s/devices/revoked.txt", sv->o->dir) >= 0 && stat(p, &st) == 0)
		stamp[1] = st.st_mtim;
}

/* 0 when device (with this certificate serial) is enrolled and not revoked, else -1. */
static int device_allowed(struct server *sv, const char *device, const char *serial)
{
	struct registry_entry *e = &sv->reg[0], *free_slot = NULL;
	struct timespec stamp[2];

	registry_stamp(sv, device, stamp);
	for (int i = 0; i < REGISTRY_CACHE; i++) {
		e = &sv->reg[i];
		if (!e->device[0] && !free_slot)
			free_slot = e;
		if (!strcmp(e->device, device) && !strcmp(e->serial, serial) &&
		    !memcmp(e->stamp, stamp, sizeof(stamp)))
			return e->verdict;
	}
	e = free_slot ? free_slot : &sv->reg[sv->reg_next++ % REGISTRY_CACHE];
	snprintf(e->device, sizeof(e->device), "%s", device);
	snprintf(e->serial, sizeof(e->serial), "%s", serial);
	memcpy(e->stamp, stamp, sizeof(stamp));
	e->verdict = registry_lookup(sv, device, serial);
	return e->verdict;
}

/* A canonical lower-case UUID (8-4-4-4-12)? */
static int uuid_ok(const char *s)
{
	for (int i = 0; i < 36; i++) {
		int dash = (i == 8 || i == 13 || i == 18 || i == 23);
		if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return 0;
	}
	return s[36] == '\0';
}

static const char *reason_of(int code)
{
	switch (code) {
	case WIRE_ALREADY: return "OK";
	case WIRE_CREATED: return "Created";
	case WIRE_NO_CONTENT: return "No Content";
	case WIRE_BAD_REQUEST: return "Bad Request";
	case WIRE_UNKNOWN_DEVICE: return "Unauthorized";
	case WIRE_REFUSED_DEVICE: return "Forbidden";
	case WIRE_NOT_FOUND: return "Not Found";
	case WIRE_BAD_METHOD: return "Method Not Allowed";
	case WIRE_CONFLICT: return "Conflict";
	case WIRE_GONE: return "Gone";
	case WIRE_TOO_LARGE: return "Payload Too Large";
	case WIRE_WRONG_TYPE: return "Unsupported Media Type";
	case WIRE_SLOW_DOWN: return "Too Many Requests";
	case WIRE_UNAVAILABLE: return "Service Unavailable";
	default: return "Error";
	}
}

/* Sends a short text reply (the reason phrase), with Retry-After (seconds) on 429/503; a
 * 400 closes the connection (what follows a malformed request cannot be trusted). */
static void reply_after(struct evhttp_request *req, int code, int retry_after)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *b = evbuffer_new();
	char ra[16];

	evhttp_add_header(h, "Content-Type", "text/plain; charset=utf-8");
	if (code == WIRE_SLOW_DOWN || code == WIRE_UNAVAILABLE) {
		snprintf(ra, sizeof(ra), "%d", retry_after > 0 ? retry_after : 1);
		evhttp_add_header(h, "Retry-After", ra);
	}
	if (code == WIRE_BAD_REQUEST)
		evhttp_add_header(h, "Connection", "close");
	if (b && code != WIRE_NO_CONTENT)   /* a 204 has no body */
		evbuffer_add_printf(b, "%d %s\n", code, reason_of(code));
	tlsconn_replied(req);
	evhttp_send_reply(req, code, reason_of(code), b);
	if (b)
		evbuffer_free(b);
}

static void reply(struct evhttp_request *req, int code)
{
	reply_after(req, code, 1);
}

static void answer(struct server *sv, struct evhttp_request *req, int code,
		   const char *what, const char *id, const char *device)
{
	if (!sv->o->quiet || code >= 300)
		logf_("%s %s %s %d", what, id ? id : "-", device ? device : "-", code);
	reply(req, code);
}

/* ------------------------------------------------------------------ request checks */

/* PUT bodies are envelopes: Content-Type application/pkcs7-mime (parameters allowed). */
static int content_type_ok(struct evhttp_request *req)
{
	const char *ct = evhttp_find_header(evhttp_request_get_input_headers(req), "Content-Type");
	static const char want[] = WIRE_CONTENT_TYPE;
	size_t n = sizeof(want) - 1;

	return ct && !strncasecmp(ct, want, n) && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* The device's token bucket (created full); NULL only when opts disable the limit. */
static struct rate_slot *rate_slot_of(struct server *sv, const char *device)
{
	struct rate_slot *best = NULL;

	if (!sv->rates)
		return NULL;
	for (int i = 0; i < RATE_SLOTS; i++) {
		struct rate_slot *r = &sv->rates[i];
		if (!strcmp(r->device, device))
			return r;
		if (!best || !r->device[0] || (best->device[0] && r->tokens > best->tokens))
			best = r;   /* an empty slot, else the fullest bucket: forgetting it loses nothing */
	}
	snprintf(best->device, sizeof(best->device), "%s", device);
	best->tokens = sv->o->rate_burst;
	clock_gettime(CLOCK_MONOTONIC, &best->last);
	return best;
}

/* 0 when device may PUT now (a token taken), else the seconds until it may (Retry-After). */
static int rate_check(struct server *sv, const char *device)
{
	struct rate_slot *r = rate_slot_of(sv, device);
	struct timespec now;
	double dt;

	if (!r)
		return 0;
	clock_gettime(CLOCK_MONOTONIC, &now);
	dt = (double)(now.tv_sec - r->last.tv_sec) + (double)(now.tv_nsec - r->last.tv_nsec) / 1e9;
	r->last = now;
	r->tokens += dt * sv->o->rate_per_s;
	if (r->tokens > sv->o->rate_burst)
		r->tokens = sv->o->rate_burst;
	if (r->tokens >= 1.0) {
		r->tokens -= 1.0;
		return 0;
	}
	return (int)ceil((1.0 - r->tokens) / sv->o->rate_per_s);
}

static void refuse_rate(struct server *sv, struct evhttp_request *req, const char *id,
			const char *device, int after)
{
	unsigned long n;

	if (tlsconn_ratelog_due(&sv->log_rate, &n))
		logf_("PUT %s %s 429 (over %g records/s; %lu refused in the last second)", id, device,
		      sv->o->rate_per_s, n);
	reply_after(req, WIRE_SLOW_DOWN, after);
}

/* Commits the open transaction, then answers every parked request: its own code when the
 * commit held, 503 when it failed (nothing of it is durable, the device retries). */
static void flush_pending(struct server *sv)
{
	int committed;

	if (!sv->store)
		return;
	committed = store_commit(sv->store) == 0;

	if (sv->npend)
		sv->commits++;
	for (int i = 0; i < sv->npend; i++) {
		struct pending *p = &sv->pend[i];
		int code = committed ? p->code : WIRE_UNAVAILABLE;
		if (code == WIRE_CREATED)
			sv->created++;
		answer(sv, p->req, code, "PUT", p->id, p->device);
	}
	sv->npend = 0;
}

static void on_flush(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	flush_pending(arg);
}

/* Parks a request's answer until the next commit; the flush runs once no I/O is ready. */
static void park(struct server *sv, struct evhttp_request *req, int code, const char *id,
		 const char *device)
{
	struct pending *p = &sv->pend[sv->npend++];

	p->req = req;
	p->code = code;
	snprintf(p->id, sizeof(p->id), "%s", id);
	snprintf(p->device, sizeof(p->device), "%s", device);
	if (sv->npend == 1)
		event_active(sv->flush_ev, EV_TIMEOUT, 0);
}

/* ------------------------------------------------------------------ the PostgreSQL pool */

static void job_free(struct store_job *j)
{
	if (!j)
		return;
	free(j->body);
	free(j);
}

/* Hands a PUT (body copied) or GET to the pool; 503 + Retry-After when the pool has no
 * live connection (a failover under way), is full, or the server is stopping. */
static void pool_submit(struct server *sv, struct evhttp_request *req, enum store_job_kind kind,
			const char *id, const char *device, const unsigned char *body, size_t len)
{
	const char *what = kind == STORE_JOB_PUT ? "PUT" : "GET";
	struct store_job *j;

	if (sv->stopping || sv->inflight >= sv->o->max_pending)
		return answer(sv, req, WIRE_UNAVAILABLE, what, id, device);
	j = calloc(1, sizeof(*j));
	if (!j || (len && !(j->body = malloc(len)))) {
		job_free(j);
		return answer(sv, req, WIRE_UNAVAILABLE, what, id, device);
	}
	j->kind = kind;
	j->arg = req;
	snprintf(j->id, sizeof(j->id), "%s", id);
	snprintf(j->device, sizeof(j->device), "%s", device);
	if (len)
		memcpy(j->body, body, len);
	j->len = len;
	if (store_pool_submit(sv->pool, j) < 0) {
		job_free(j);
		return answer(sv, req, WIRE_UNAVAILABLE, what, id, device);
	}
	sv->inflight++;
}

/* The answer to one finished job (its request gets it now). */
static void pool_answer(struct server *sv, struct store_job *j)
{
	struct evhttp_request *req = j->arg;
	int code;

	if (j->kind == STORE_JOB_GET) {
		if (j->result == 0)
			return send_envelope(sv, req, j->id, j->device, j->body, j->len);
		return answer(sv, req, j->result < 0 ? WIRE_UNAVAILABLE : WIRE_NOT_FOUND, "GET", j->id, j->device);
	}
	switch (j->result) {
	case STORE_PUT_CREATED: code = WIRE_CREATED; sv->created++; break;
	case STORE_PUT_SAME: code = WIRE_ALREADY; break;
	case STORE_PUT_CONFLICT: code = WIRE_CONFLICT; break;
	case STORE_PUT_DUPLICATE:
		logf_("PUT %s %s: the same envelope is stored under another id (a replay under a"
		      " made-up id)", j->id, j->device);
		code = WIRE_CONFLICT;
		break;
	default: code = WIRE_UNAVAILABLE; break;
	}
	sv->commits += code == WIRE_CREATED;
	answer(sv, req, code, "PUT", j->id, j->device);
}

static void on_pool(evutil_socket_t fd, short what, void *arg)
{
	struct server *sv = arg;
	struct store_job *j = store_pool_done(sv->pool), *next;
	struct timeval grace = { 0, 300 * 1000 };

	(void)fd, (void)what;
	for (; j; j = next) {
		next = j->next;
		sv->inflight--;
		pool_answer(sv, j);
		job_free(j);
	}
	if (sv->stopping && sv->inflight == 0)
		event_base_loopexit(sv->base, &grace);
}

static void handle_put(struct server *sv, struct evhttp_request *req, const char *id,
		       const char *device)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	unsigned char *body;
	char why[128];
	enum store_put_result r;

	int after;

	if (len > sv->o->max_body)
		return answer(sv, req, WIRE_TOO_LARGE, "PUT", id, device);
	if (!content_type_ok(req))
		return answer(sv, req, WIRE_WRONG_TYPE, "PUT", id, device);
	if ((after = rate_check(sv, device)) > 0)
		return refuse_rate(sv, req, id, device, after);
	body = evbuffer_pullup(in, -1);
	if (!body || seal_is_envelope(body, len, why, sizeof(why)) < 0)
		return answer(sv, req, WIRE_BAD_REQUEST, "PUT", id, device);
	if (sv->pool)
		return pool_submit(sv, req, STORE_JOB_PUT, id, device, body, len);
	if (sv->stopping || sv->npend >= sv->o->max_pending)
		return answer(sv, req, WIRE_UNAVAILABLE, "PUT", id, device);
	if (store_begin(sv->store) < 0)
		return answer(sv, req, WIRE_UNAVAILABLE, "PUT", id, device);
	r = store_put(sv->store, id, device, body, len, time(NULL));
	if (r == STORE_PUT_ERROR) {
		/* The statement was undone; commit what the others wrote, this one gets 503. */
		park(sv, req, WIRE_UNAVAILABLE, id, device);
		return flush_pending(sv);
	}
	if (r == STORE_PUT_DUPLICATE)
		logf_("PUT %s %s: the same envelope is stored under another id (a replay under a"
		      " made-up id)", id, device);
	park(sv, req, r == STORE_PUT_CREATED ? WIRE_CREATED : r == STORE_PUT_SAME ? WIRE_ALREADY : WIRE_CONFLICT, id, device);
}

/* GET of a record: 200 with its envelope for the device that sent it, else 404. Pending
 * writes are committed first so a read never sees an uncommitted row. */
static void handle_get(struct server *sv, struct evhttp_request *req, const char *id,
		       const char *device)
{
	struct store_row row;
	int rc;

	if (sv->pool)
		return pool_submit(sv, req, STORE_JOB_GET, id, device, NULL, 0);
	flush_pending(sv);
	rc = store_get(sv->store, id, &row);
	if (rc != 0 || strcmp(row.device, device) != 0) {
		if (rc == 0)
			store_row_release(&row);
		return answer(sv, req, rc < 0 ? WIRE_UNAVAILABLE : WIRE_NOT_FOUND, "GET", id, device);
	}
	send_envelope(sv, req, id, device, row.body, row.len);
	store_row_release(&row);
}

/* 200 with the envelope bytes (a GET of the device's own record). */
static void send_envelope(struct server *sv, struct evhttp_request *req, const char *id,
			  const char *device, const unsigned char *body, size_t len)
{
	struct evbuffer *b = evbuffer_new();

	if (b)
		evbuffer_add(b, body, len);
	if (!sv->o->quiet)
		logf_("GET %s %s 200", id, device);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", WIRE_CONTENT_TYPE);
	tlsconn_replied(req);
	evhttp_send_reply(req, WIRE_ALREADY, "OK", b);
	if (b)
		evbuffer_free(b);
}

/* ------------------------------------------------------------------ visits (issue 12) */

static const char *method_name(enum evhttp_cmd_type cmd)
{
	switch (cmd) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_DELETE: return "DELETE";
	case EVHTTP_REQ_POST: return "POST";
	default: return "?";
	}
}

/* 405 with the methods the path takes. */
static void refuse_method(struct server *sv, struct evhttp_request *req, enum evhttp_cmd_type cmd,
			  const char *allow, const char *device)
{
	evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", allow);
	answer(sv, req, WIRE_BAD_METHOD, method_name(cmd), NULL, device);
}

/*
 * The part of a visits path after WIRE_CONSULTANTS_PATH: "ID/visits" (visit set to "") or
 * "ID/visits/VISITID". 0 when it is one of them, WIRE_BAD_REQUEST for a malformed id or
 * visit id (a path trick among them: an id never holds a slash or starts with a dot),
 * WIRE_NOT_FOUND for any other path.
 */
static int parse_visits_path(const char *rest, char id[VISITS_ID_MAX + 1],
			     char visit[VISITS_VISIT_ID_LEN + 1])
{
	size_t n = strcspn(rest, "/");
	const char *tail = rest + n;

	if (n < 1 || n > VISITS_ID_MAX)
		return WIRE_BAD_REQUEST;
	memcpy(id, rest, n);
	id[n] = '\0';
	if (!visit_consultant_id_ok(id))
		return WIRE_BAD_REQUEST;
	visit[0] = '\0';
	if (!strcmp(tail, "/visits"))
		return 0;
	if (strncmp(tail, "/visits/", 8) != 0)
		return WIRE_NOT_FOUND;
	if (!visits_visit_id_ok(tail + 8))
		return WIRE_BAD_REQUEST;
	memcpy(visit, tail + 8, VISITS_VISIT_ID_LEN + 1);
	return 0;
}

/* 200 with the consultant's spooled visits as JSON (wire.h). */
static void send_visits(struct server *sv, struct evhttp_request *req, const char *id,
			const char *device)
{
	struct evbuffer *b;
	char *json = NULL;
	size_t len = 0;
	int n = 0;

	if (visits_answer(sv->o->dir, id, &json, &len, &n) < 0 || !(b = evbuffer_new())) {
		free(json);
		return answer(sv, req, WIRE_UNAVAILABLE, "GET visits", id, device);
	}
	evbuffer_add(b, json, len);
	free(json);
	if (!sv->o->quiet)
		logf_("GET visits %s %s 200 (%d)", id, device, n);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", WIRE_JSON_TYPE);
	tlsconn_replied(req);
	evhttp_send_reply(req, WIRE_ALREADY, "OK", b);
	evbuffer_free(b);
}

/*
 * GET WIRE_CONSULTANTS_PATH ID/visits and DELETE ... ID/visits/VISITID for the verified,
 * allowed device: 404 when ID is not this device's consultant (unknown or another
 * device's: one answer), 410 when the office disabled them, 503 when the registry entry
 * cannot be read. The spool is files (visits.c), so both store backends serve it alike.
 */
static void handle_visits(struct server *sv, struct evhttp_request *req, enum evhttp_cmd_type cmd,
			  const char *rest, const char *device)
{
	char id[VISITS_ID_MAX + 1], visit[VISITS_VISIT_ID_LEN + 1], what[80];
	int code = parse_visits_path(rest, id, visit);

	snprintf(what, sizeof(what), "%s visits", method_name(cmd));
	if (code)
		return answer(sv, req, code, what, NULL, device);
	if (cmd != (visit[0] ? EVHTTP_REQ_DELETE : EVHTTP_REQ_GET))
		return refuse_method(sv, req, cmd, visit[0] ? "DELETE" : "GET", device);
	switch (visits_consultant(sv->o->dir, id, device)) {
	case VISITS_ACTIVE: break;
	case VISITS_UNKNOWN: return answer(sv, req, WIRE_NOT_FOUND, what, id, device);
	case VISITS_DISABLED: return answer(sv, req, WIRE_GONE, what, id, device);
	default: return answer(sv, req, WIRE_UNAVAILABLE, what, id, device);
	}
	if (!visit[0])
		return send_visits(sv, req, id, device);
	answer(sv, req, visits_remove(sv->o->dir, id, visit) < 0 ? WIRE_UNAVAILABLE : WIRE_NO_CONTENT,
	       what, visit, device);
}

/* Seam for tests/fuzz/fuzz_server.c, which compiles this file with its own TLS-free peer;
 * the programs never define SERVER_PEER_DEVICE. */
#ifdef SERVER_PEER_DEVICE
#define peer_device SERVER_PEER_DEVICE
#endif

static void on_request(struct evhttp_request *req, void *arg)
{
	struct server *sv = arg;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
	const char *what = method_name(cmd);
	char device[DEVICE_ID_MAX], serial[128];
	const char *id;

	tlsconn_busy(req);
	if (!tlsconn_framing_ok(req))
		return answer(sv, req, WIRE_BAD_REQUEST, what, NULL, NULL);
	if (peer_device(req, device, sizeof(device), serial, sizeof(serial)) < 0)
		return answer(sv, req, WIRE_UNKNOWN_DEVICE, what, NULL, NULL);
	if (device_allowed(sv, device, serial) < 0)
		return answer(sv, req, WIRE_REFUSED_DEVICE, what, NULL, device);
	if (path && !strcmp(path, WIRE_HEALTH_PATH))
		return cmd == EVHTTP_REQ_GET ? answer(sv, req, WIRE_ALREADY, "GET /v1/health", NULL, device) :
					       refuse_method(sv, req, cmd, "GET", device);
	if (path && !strncmp(path, WIRE_CONSULTANTS_PATH, strlen(WIRE_CONSULTANTS_PATH)))
		return handle_visits(sv, req, cmd, path + strlen(WIRE_CONSULTANTS_PATH), device);
	if (!path || strncmp(path, RECORDS_PREFIX, strlen(RECORDS_PREFIX)) != 0)
		return answer(sv, req, WIRE_NOT_FOUND, what, NULL, device);
	id = path + strlen(RECORDS_PREFIX);
	if (!uuid_ok(id))
		return answer(sv, req, WIRE_BAD_REQUEST, what, NULL, device);
	if (cmd != EVHTTP_REQ_PUT && cmd != EVHTTP_REQ_GET)
		return refuse_method(sv, req, cmd, "GET, PUT", device);
	if (cmd == EVHTTP_REQ_PUT)
		handle_put(sv, req, id, device);
	else
		handle_get(sv, req, id, device);
}

/* SIGTERM/SIGINT: stop accepting, commit and answer what is pending, then leave the loop
 * after a short grace so the answers reach the sockets. */
static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server *sv = arg;
	struct timeval grace = { 0, 300 * 1000 };

	(void)what;
	if (sv->stopping)
		return;
	sv->stopping = 1;
	logf_("signal %d: stopping (committing %d pending)", (int)sig, sv->npend);
	tlsconn_unlisten(sv->guard, sv->http, sv->bound);
	sv->bound = NULL;
	flush_pending(sv);
	if (sv->inflight == 0)
		event_base_loopexit(sv->base, &grace);
	else   /* on_pool leaves once the pool's jobs are answered; this is the backstop */
		event_base_loopexit(sv->base, &(struct timeval){ 30, 0 });
}

void server_opts_defaults(struct server_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->host = SERVER_DEFAULT_HOST;
	o->port = SERVER_DEFAULT_PORT;
	o->max_body = SERVER_MAX_BODY;
	o->max_pending = SERVER_MAX_PENDING;
	o->handshake_ms = SERVER_HANDSHAKE_MS;
	o->request_ms = SERVER_REQUEST_MS;
	o->max_conns = SERVER_MAX_CONNS;
	o->max_conns_per_addr = SERVER_MAX_CONNS_PER_ADDR;
	o->rate_per_s = SERVER_RATE_PER_S;
	o->rate_burst = SERVER_RATE_BURST;
	o->store_conns = SERVER_STORE_CONNS;
	o->store_group = SERVER_STORE_GROUP;
}

static void log_openssl_version(void)
{
	logf_("%s", OpenSSL_version(OPENSSL_VERSION));
	if (OpenSSL_version_num() < OPENSSL_MIN_SAFE)
		logf_("warning: OpenSSL is older than 3.0.22: this server parses envelopes from the"
		      " network; install Debian's current security release (platform/install-deps.sh)");
}

/* The server faces the network: it must not hold the key that opens every record or the
 * key that signs certificates (issue 9, D11; README "Where state lives"). */
static int refuse_secrets(const struct server *sv)
{
	static const char *const secrets[] = { "ca.key", "casestore.key", "casestore-next.key" };
	char p[4096];

	for (size_t i = 0; i < sizeof(secrets) / sizeof(secrets[0]); i++) {
		if (path_in(sv, secrets[i], p, sizeof(p)) < 0)
			return -1;
		if (access(p, F_OK) == 0)
			return error("%s is in the case store's folder: the server faces the network and"
				     " must not hold %s; move it to the %s folder (README \"Where state"
				     " lives\")", p, secrets[i], i == 0 ? "ca/" : "office/");
	}
	return 0;
}

/* Loads the TLS context and opens the store: everything that can fail before listening. */
static int load_all(struct server *sv)
{
	char crl[4096], db[4096];

	if (refuse_secrets(sv) < 0)
		return -1;
	sv->ctx = tls_ctx_new(sv);
	if (!sv->ctx)
		return -1;
	if (path_in(sv, "crl.pem", crl, sizeof(crl)) < 0 || stat(crl, &sv->crl_st) < 0)
		return error("cannot read %s: %s", crl, strerror(errno));
	if (sv->o->store ? util_fmt(db, sizeof(db), "%s", sv->o->store) < 0 :
			   store_where(sv->o->dir, sv->o->dir, db, sizeof(db)) < 0)
		return -1;
	if (store_is_url(db)) {
		if (store_pool_open(db, sv->o->store_conns, sv->o->store_group, &sv->pool) < 0)
			return error("cannot open the case store on PostgreSQL");
		logf_("store on PostgreSQL, %d connections, up to %d PUTs per commit", sv->o->store_conns,
		      sv->o->store_group);
		return 0;
	}
	if (access(db, F_OK) < 0)
		logf_("no store yet: creating %s", db);
	if (store_open(db, STORE_CREATE, &sv->store) < 0)
		return -1;
	logf_("store holds %lld records", store_count(sv->store));
	return 0;
}

static int configure_http(struct server *sv)
{
	sv->http = evhttp_new(sv->base);
	if (!sv->http)
		return error("cannot create the HTTP server");
	evhttp_set_bevcb(sv->http, on_accept_bev, sv);
	/* DELETE for visits; POST only to be answered 405 (evhttp would say 501) */
	evhttp_set_allowed_methods(sv->http, EVHTTP_REQ_PUT | EVHTTP_REQ_GET | EVHTTP_REQ_DELETE |
				   EVHTTP_REQ_POST);
	evhttp_set_max_body_size(sv->http, (ev_ssize_t)sv->o->max_body);
	evhttp_set_max_headers_size(sv->http, 8192);
	evhttp_set_timeout(sv->http, 30);   /* idle keep-alive; the absolute deadlines are ours */
	/* No EVHTTP_SERVER_LINGERING_CLOSE: it reads an oversized body to its end before the
	 * 413. Without it the 413 goes out as soon as the headers announce too much, and the
	 * connection closes right after. */
	evhttp_set_default_content_type(sv->http, "text/plain; charset=utf-8");
	evhttp_set_gencb(sv->http, on_request, sv);
	return 0;
}

static int listen_on(struct server *sv)
{
	int port;

	sv->bound = tlsconn_listen(sv->guard, sv->http, sv->o->host, sv->o->port, &port);
	if (!sv->bound)
		return -1;
	logf_("listening on %s:%d", sv->o->host, port);
	return 0;
}

static int setup_loop(struct server *sv)
{
	sv->base = event_base_new();
	if (!sv->base || event_base_priority_init(sv->base, 3) < 0)
		return error("cannot create the event loop");
	sv->pend = calloc((size_t)sv->o->max_pending + 1, sizeof(*sv->pend));
	if (sv->o->rate_per_s > 0 && !(sv->rates = calloc(RATE_SLOTS, sizeof(*sv->rates))))
		return error("out of memory");
	if (tlsconn_guard_new(sv->base, "casestore", &(struct tlsconn_limits){ sv->o->handshake_ms,
			      sv->o->request_ms, sv->o->max_conns, sv->o->max_conns_per_addr }, &sv->guard) < 0)
		return -1;
	sv->crl_ev = event_new(sv->base, -1, EV_PERSIST, on_crl_timer, sv);
	if (!sv->crl_ev)
		return error("out of memory");
	if (event_add(sv->crl_ev, &(struct timeval){ CRL_CHECK_SECS, 0 }) < 0)
		return error("cannot start the daily CRL check");
	sv->flush_ev = event_new(sv->base, -1, 0, on_flush, sv);
	sv->sig_term = evsignal_new(sv->base, SIGTERM, on_signal, sv);
	sv->sig_int = evsignal_new(sv->base, SIGINT, on_signal, sv);
	if (!sv->pend || !sv->flush_ev || !sv->sig_term || !sv->sig_int)
		return error("out of memory");
	event_priority_set(sv->flush_ev, 2);   /* lowest: runs once no I/O is ready */
	if (sv->pool) {
		sv->pool_ev = event_new(sv->base, store_pool_fd(sv->pool), EV_READ | EV_PERSIST,
					on_pool, sv);
		if (!sv->pool_ev || event_add(sv->pool_ev, NULL) < 0)
			return error("cannot watch the store's workers");
	}
	if (event_add(sv->sig_term, NULL) < 0 || event_add(sv->sig_int, NULL) < 0)
		return error("cannot catch SIGTERM/SIGINT");
	return configure_http(sv);
}

/* Lets the pool finish what it holds; what it finished after the loop ended gets 503
 * (the devices retry: a committed put then gets 200). */
static void close_pool(struct server *sv)
{
	struct store_job *j = store_pool_close(sv->pool), *next;

	sv->pool = NULL;
	for (j = j ? j : NULL; j; j = next) {
		next = j->next;
		reply(j->arg, WIRE_UNAVAILABLE);
		job_free(j);
	}
}

static void teardown(struct server *sv)
{
	if (sv->store && store_in_transaction(sv->store))
		flush_pending(sv);
	if (sv->pool)
		close_pool(sv);
	tlsconn_guard_free(sv->guard);   /* before evhttp_free: it frees the connections */
	sv->guard = NULL;
	if (sv->http)
		evhttp_free(sv->http);
	if (sv->crl_ev)
		event_free(sv->crl_ev);
	if (sv->flush_ev)
		event_free(sv->flush_ev);
	if (sv->sig_term)
		event_free(sv->sig_term);
	if (sv->sig_int)
		event_free(sv->sig_int);
	if (sv->pool_ev)
		event_free(sv->pool_ev);
	if (sv->base)
		event_base_free(sv->base);
	store_close(sv->store);
	SSL_CTX_free(sv->ctx);
	free(sv->pend);
	free(sv->rates);
	the_server = NULL;
}

int server_run(const struct server_opts *o)
{
	struct server sv = { .o = o };
	int rc = -1;

	signal(SIGPIPE, SIG_IGN);
	the_server = &sv;
	log_openssl_version();
	if (load_all(&sv) < 0 || setup_loop(&sv) < 0 || listen_on(&sv) < 0)
		goto out;
	if (event_base_dispatch(sv.base) < 0) {
		error("the event loop failed");
		goto out;
	}
	logf_("stopped: %llu records created in %llu commits", sv.created, sv.commits);
	rc = 0;
out:
	teardown(&sv);
	return rc;
}

/*
 * server.c — the case-store server: libevent evhttp over bufferevent_openssl with required
 * client certificates, envelopes into the store with group commit (server.h).
 *
 * TLS follows SYNC.md §1 and its traps: TLS 1.2+, SSL_VERIFY_PEER|FAIL_IF_NO_PEER_CERT,
 * session-id context (trap 2), TCP_NODELAY on the listening socket (trap 1), a body limit
 * (trap 4), CRL checking (trap 7). The CRL is re-read when crl.pem changes: each accept
 * stats it and, when it changed, a fresh SSL_CTX is built and used for new connections,
 * so `inloopctl revoke` takes effect on the next connection without a restart.
 *
 * Logs hold ids, device ids and status codes, never content.
 */
#include "sync/server.h"
#include "sync/seal.h"
#include "sync/store.h"
#include "sync/pki.h"
#include "app/util.h"
#include "platform/platform.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define OPENSSL_MIN_SAFE 0x30000160L   /* 3.0.22, SEAL.md P9 */
#define DEVICE_ID_MAX 64
#define RECORDS_PREFIX "/v1/records/"

struct pending {
	struct evhttp_request *req;
	int code;
	char id[40];
	char device[DEVICE_ID_MAX];
};

#define REGISTRY_CACHE 64

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
	struct store *store;
	SSL_CTX *ctx;
	struct stat crl_st;        /* crl.pem as it was when ctx was built */
	struct event *flush_ev;
	struct event *sig_term, *sig_int;
	struct pending *pend;
	int npend;
	int stopping;
	unsigned long long commits, created;
};

/* Prints one log line to stderr: "casestore: ..." (ids and codes only). */
static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "casestore: %s\n", line);
}

/* Prints the OpenSSL error queue (library reasons only, never data) after what. */
static int tls_error(const char *what, const char *path)
{
	unsigned long e = ERR_get_error();
	char buf[256] = "no detail";

	if (e)
		ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return error("%s %s: %s", what, path, buf);
}

static int path_in(const struct server *sv, const char *name, char *buf, size_t size)
{
	return util_fmt(buf, size, "%s/%s", sv->o->dir, name) < 0 ? -1 : 0;
}

/* Logs why a handshake was refused (verify error and depth; the subject CN is a device id). */
static int verify_cb(int ok, X509_STORE_CTX *xs)
{
	if (!ok) {
		int err = X509_STORE_CTX_get_error(xs);
		logf_("handshake refused: certificate verify error %d (%s) at depth %d", err,
		      X509_verify_cert_error_string(err), X509_STORE_CTX_get_error_depth(xs));
	}
	return ok;
}

/* Warns when the CRL expires soon: an expired CRL locks out every device (SYNC.md trap 7). */
static void check_crl_dates(X509_CRL *crl)
{
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
	int days = 0, secs = 0;

	if (!next || !ASN1_TIME_diff(&days, &secs, NULL, next))
		return;
	if (days < 0 || secs < 0)
		logf_("warning: crl.pem has expired: every device will be refused until it is renewed");
	else if (days < 7)
		logf_("warning: crl.pem expires in %d days: renew it (inloopctl revoke regenerates it)", days);
}

/* Adds every CRL in crl.pem to the context's store and turns on CRL checking. */
static int load_crls(SSL_CTX *ctx, const char *path)
{
	X509_STORE *st = SSL_CTX_get_cert_store(ctx);
	BIO *bio = BIO_new_file(path, "r");
	X509_CRL *crl;
	int n = 0;

	if (!bio)
		return tls_error("cannot read the revocation list", path);
	while ((crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)) != NULL) {
		check_crl_dates(crl);
		if (!X509_STORE_add_crl(st, crl)) {
			X509_CRL_free(crl);
			BIO_free(bio);
			return tls_error("cannot use the revocation list", path);
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
		return tls_error("cannot load the server certificate", cert);
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1)
		return tls_error("cannot use the server key (unreadable, or not the key of server.pem)", key);
	if (SSL_CTX_load_verify_locations(ctx, ca, NULL) != 1)
		return tls_error("cannot load the municipality CA", ca);
	SSL_CTX_set_client_CA_list(ctx, SSL_load_client_CA_file(ca));
	return 0;
}

/* Builds a server SSL_CTX from the folder; NULL (with an error printed) on failure. */
static SSL_CTX *tls_ctx_new(const struct server *sv)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	char crl[4096];

	if (!ctx) {
		tls_error("cannot create a TLS context", "");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION);
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

/* evhttp asks for a bufferevent per accepted connection (fd -1: evhttp sets it). */
static struct bufferevent *on_accept_bev(struct event_base *base, void *arg)
{
	struct server *sv = arg;
	struct bufferevent *bev;
	SSL *ssl;

	refresh_tls(sv);
	ssl = SSL_new(sv->ctx);
	if (!ssl)
		return NULL;
	bev = bufferevent_openssl_socket_new(base, -1, ssl, BUFFEREVENT_SSL_ACCEPTING,
					     BEV_OPT_CLOSE_ON_FREE);
	if (bev)
		bufferevent_openssl_set_allow_dirty_shutdown(bev, 1);
	return bev;
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
 * The device registry (ctl_pki.h): devices/NAME.pem is the certificate issued to NAME,
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
	if (util_fmt(p, sizeof(p), "%s/devices/%s.pem", sv->o->dir, device) == 0 && stat(p, &st) == 0)
		stamp[0] = st.st_mtim;
	if (util_fmt(p, sizeof(p), "%s/devices/revoked.txt", sv->o->dir) == 0 && stat(p, &st) == 0)
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
	case 200: return "OK";
	case 201: return "Created";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 409: return "Conflict";
	case 413: return "Payload Too Large";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

/* Sends a short text reply (the reason phrase), with Retry-After on 429/503. */
static void reply(struct evhttp_request *req, int code)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(req);
	struct evbuffer *b = evbuffer_new();

	evhttp_add_header(h, "Content-Type", "text/plain; charset=utf-8");
	if (code == 429 || code == 503)
		evhttp_add_header(h, "Retry-After", "1");
	if (b)
		evbuffer_add_printf(b, "%d %s\n", code, reason_of(code));
	evhttp_send_reply(req, code, reason_of(code), b);
	if (b)
		evbuffer_free(b);
}

static void answer(struct server *sv, struct evhttp_request *req, int code,
		   const char *what, const char *id, const char *device)
{
	if (!sv->o->quiet || code >= 300)
		logf_("%s %s %s %d", what, id ? id : "-", device ? device : "-", code);
	reply(req, code);
}

/* Commits the open transaction, then answers every parked request: its own code when the
 * commit held, 503 when it failed (nothing of it is durable, the device retries). */
static void flush_pending(struct server *sv)
{
	int committed = store_commit(sv->store) == 0;

	if (sv->npend)
		sv->commits++;
	for (int i = 0; i < sv->npend; i++) {
		struct pending *p = &sv->pend[i];
		int code = committed ? p->code : 503;
		if (code == 201)
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

static void handle_put(struct server *sv, struct evhttp_request *req, const char *id,
		       const char *device)
{
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	size_t len = evbuffer_get_length(in);
	unsigned char *body;
	char why[128];
	enum store_put_result r;

	if (len > sv->o->max_body)
		return answer(sv, req, 413, "PUT", id, device);
	body = evbuffer_pullup(in, -1);
	if (!body || seal_is_envelope(body, len, why, sizeof(why)) < 0)
		return answer(sv, req, 400, "PUT", id, device);
	if (sv->stopping || sv->npend >= sv->o->max_pending)
		return answer(sv, req, 503, "PUT", id, device);
	if (store_begin(sv->store) < 0)
		return answer(sv, req, 503, "PUT", id, device);
	r = store_put(sv->store, id, device, body, len, time(NULL));
	if (r == STORE_PUT_ERROR) {
		/* The statement was undone; commit what the others wrote, this one gets 503. */
		park(sv, req, 503, id, device);
		return flush_pending(sv);
	}
	park(sv, req, r == STORE_PUT_CREATED ? 201 : r == STORE_PUT_SAME ? 200 : 409, id, device);
}

/* GET of a record: 200 with its envelope for the device that sent it, else 404. Pending
 * writes are committed first so a read never sees an uncommitted row. */
static void handle_get(struct server *sv, struct evhttp_request *req, const char *id,
		       const char *device)
{
	struct store_row row;
	struct evbuffer *b;
	int rc;

	flush_pending(sv);
	rc = store_get(sv->store, id, &row);
	if (rc != 0 || strcmp(row.device, device) != 0) {
		if (rc == 0)
			store_row_release(&row);
		return answer(sv, req, rc < 0 ? 503 : 404, "GET", id, device);
	}
	b = evbuffer_new();
	if (b)
		evbuffer_add(b, row.body, row.len);
	store_row_release(&row);
	if (!sv->o->quiet)
		logf_("GET %s %s 200", id, device);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
			  "application/pkcs7-mime");
	evhttp_send_reply(req, 200, "OK", b);
	if (b)
		evbuffer_free(b);
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
	const char *what = cmd == EVHTTP_REQ_PUT ? "PUT" : "GET";
	char device[DEVICE_ID_MAX], serial[128];
	const char *id;

	if (peer_device(req, device, sizeof(device), serial, sizeof(serial)) < 0)
		return answer(sv, req, 401, what, NULL, NULL);
	if (device_allowed(sv, device, serial) < 0)
		return answer(sv, req, 403, what, NULL, device);
	if (path && cmd == EVHTTP_REQ_GET && !strcmp(path, "/v1/health"))
		return answer(sv, req, 200, "GET /v1/health", NULL, device);
	if (!path || strncmp(path, RECORDS_PREFIX, strlen(RECORDS_PREFIX)) != 0)
		return answer(sv, req, 404, what, NULL, device);
	id = path + strlen(RECORDS_PREFIX);
	if (!uuid_ok(id))
		return answer(sv, req, 400, what, NULL, device);
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
	if (sv->bound) {
		evhttp_del_accept_socket(sv->http, sv->bound);
		sv->bound = NULL;
	}
	flush_pending(sv);
	event_base_loopexit(sv->base, &grace);
}

void server_opts_defaults(struct server_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->host = SERVER_DEFAULT_HOST;
	o->port = SERVER_DEFAULT_PORT;
	o->max_body = SERVER_MAX_BODY;
	o->max_pending = SERVER_MAX_PENDING;
}

static void log_openssl_version(void)
{
	logf_("%s", OpenSSL_version(OPENSSL_VERSION));
	if (OpenSSL_version_num() < OPENSSL_MIN_SAFE)
		logf_("warning: OpenSSL is older than 3.0.22: this server parses envelopes from the"
		      " network; install Debian's current security release (platform/install-deps.sh)");
}

/* Loads the TLS context and opens the store: everything that can fail before listening. */
static int load_all(struct server *sv)
{
	char crl[4096], db[4096];

	sv->ctx = tls_ctx_new(sv);
	if (!sv->ctx)
		return -1;
	if (path_in(sv, "crl.pem", crl, sizeof(crl)) < 0 || stat(crl, &sv->crl_st) < 0)
		return error("cannot read %s: %s", crl, strerror(errno));
	if (path_in(sv, "store.sqlite", db, sizeof(db)) < 0)
		return -1;
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
	evhttp_set_allowed_methods(sv->http, EVHTTP_REQ_PUT | EVHTTP_REQ_GET);
	evhttp_set_max_body_size(sv->http, (ev_ssize_t)sv->o->max_body);
	evhttp_set_max_headers_size(sv->http, 8192);
	evhttp_set_timeout(sv->http, 30);
	evhttp_set_flags(sv->http, EVHTTP_SERVER_LINGERING_CLOSE);   /* a clean 413, not a reset */
	evhttp_set_default_content_type(sv->http, "text/plain; charset=utf-8");
	evhttp_set_gencb(sv->http, on_request, sv);
	return 0;
}

static int listen_on(struct server *sv)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	evutil_socket_t fd;
	int one = 1, port = sv->o->port;

	sv->bound = evhttp_bind_socket_with_handle(sv->http, sv->o->host, (ev_uint16_t)port);
	if (!sv->bound)
		return error("cannot listen on %s:%d: %s", sv->o->host, port, strerror(errno));
	fd = evhttp_bound_socket_get_fd(sv->bound);
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) < 0)
		logf_("warning: TCP_NODELAY: %s", strerror(errno));
	if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
		port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						      : ((struct sockaddr_in *)&ss)->sin_port);
	logf_("listening on %s:%d", sv->o->host, port);
	return 0;
}

static int setup_loop(struct server *sv)
{
	sv->base = event_base_new();
	if (!sv->base || event_base_priority_init(sv->base, 3) < 0)
		return error("cannot create the event loop");
	sv->pend = calloc((size_t)sv->o->max_pending + 1, sizeof(*sv->pend));
	sv->flush_ev = event_new(sv->base, -1, 0, on_flush, sv);
	sv->sig_term = evsignal_new(sv->base, SIGTERM, on_signal, sv);
	sv->sig_int = evsignal_new(sv->base, SIGINT, on_signal, sv);
	if (!sv->pend || !sv->flush_ev || !sv->sig_term || !sv->sig_int)
		return error("out of memory");
	event_priority_set(sv->flush_ev, 2);   /* lowest: runs once no I/O is ready */
	if (event_add(sv->sig_term, NULL) < 0 || event_add(sv->sig_int, NULL) < 0)
		return error("cannot catch SIGTERM/SIGINT");
	return configure_http(sv);
}

static void teardown(struct server *sv)
{
	if (sv->store && store_in_transaction(sv->store))
		flush_pending(sv);
	if (sv->http)
		evhttp_free(sv->http);
	if (sv->flush_ev)
		event_free(sv->flush_ev);
	if (sv->sig_term)
		event_free(sv->sig_term);
	if (sv->sig_int)
		event_free(sv->sig_int);
	if (sv->base)
		event_base_free(sv->base);
	store_close(sv->store);
	SSL_CTX_free(sv->ctx);
	free(sv->pend);
}

int server_run(const struct server_opts *o)
{
	struct server sv = { .o = o };
	int rc = -1;

	signal(SIGPIPE, SIG_IGN);
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

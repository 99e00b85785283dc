/*
 * web.c — the office's HTTPS server: TLS, the route table, the HTTP rules every request
 * passes (methods, body type and size, path whitelist, Origin/Sec-Fetch-Site, session,
 * CSRF), static files and the shared reply headers (web.h).
 *
 * The listener faces the municipality's network: its TLS context, connection guard
 * (absolute handshake and request deadlines, connection caps, accept back-off) and the
 * framing check are the case store's (sync/casestore/tlsconn.h; issue 9 D1, D9, D10).
 */
#include "sync/office/web.h"
#include "sync/office/audit.h"
#include "sync/office/html.h"
#include "sync/office/odb.h"
#include "sync/office/oindex.h"
#include "sync/office/vault.h"
#include "sync/office/web_login.h"
#include "sync/record/seal.h"
#include "sync/casestore/store.h"
#include "sync/casestore/tlsconn.h"
#include "sync/rules/form.h"
#include "platform/i18n.h"
#include "sync/rules/triage.h"
#include "platform/util.h"
#include "platform/platform.h"

#include <errno.h>
#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/http.h>
#include <sys/queue.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYNC_SECS 5            /* how often the index looks for new envelopes */
/* The listener's guard (tlsconn.h). Browsers open about 6 connections each, and a whole
 * office may reach us from one proxy address: a generous per-address cap. */
static const struct tlsconn_limits web_limits = {
	.handshake_ms = 5000, .request_ms = 30000, .max_conns = 512, .max_conns_per_addr = 192,
};

static SSL_CTX *tls_ctx;
static struct tlsconn_guard *guard;
static char origin_host[300];  /* "HOST:PORT" as listened on, for the Origin check */

void web_opts_defaults(struct web_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->host = "127.0.0.1";
	o->port = WEB_DEFAULT_PORT;
	o->idle_secs = 15 * 60;
	o->retention_days = 90;
}

/* Prints one log line: "office: ..." (paths, codes, account names; never content). */
#define logf_(...) util_log("office", __VA_ARGS__)

/* ---- reply headers ---- */

static void common_headers(struct evhttp_request *r)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r);

	evhttp_add_header(h, "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none';"
			  " form-action 'self'; base-uri 'none'; object-src 'none'");
	evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(h, "Referrer-Policy", "same-origin");
	evhttp_add_header(h, "X-Frame-Options", "DENY");
	evhttp_add_header(h, "Cross-Origin-Opener-Policy", "same-origin");
	evhttp_add_header(h, "Strict-Transport-Security", "max-age=31536000");
}

/* Sends body with code; pages are never cached. Errors use this too (not
 * evhttp_send_error, which drops the headers: OFFICE.md §6 pitfall 2). */
static void send_page(struct evhttp_request *r, int code, struct evbuffer *body)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(r);

	common_headers(r);
	evhttp_add_header(h, "Content-Type", "text/html; charset=utf-8");
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_send_reply(r, code, NULL, body);
}

/* A bare error for requests refused before any page could be built. */
static void send_bare(struct evhttp_request *r, int code, const char *what)
{
	struct evbuffer *b = evbuffer_new();

	if (b)
		html_printf(b, "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>%d</title>"
			    "</head><body><main><h1>%d</h1><p>%s</p></main></body></html>", code, code, what);
	send_page(r, code, b);
	if (b)
		evbuffer_free(b);
}

void web_page_end(struct req *q, int code)
{
	html_printf(q->out, "</div></main><footer class=\"utrecht-page-footer\"><div"
			    " class=\"utrecht-page-footer__content\"><p class=\"utrecht-paragraph\">"
			    "Gemeente Voorbeeld &middot; %s &middot; inloop</p></div>"
			    "</footer></div></body></html>\n", W_(q, "Schuldhulpverlening"));
	send_page(q->r, code, q->out);
}

void web_send_file(struct req *q, const char *type, const char *disposition, struct evbuffer *body)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(q->r);

	common_headers(q->r);
	evhttp_add_header(h, "Content-Type", type);
	evhttp_add_header(h, "Content-Disposition", disposition);
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_send_reply(q->r, 200, "OK", body);
}

void web_redirect(struct req *q, const char *path)
{
	struct evkeyvalq *h = evhttp_request_get_output_headers(q->r);

	common_headers(q->r);
	evhttp_add_header(h, "Location", path);
	evhttp_add_header(h, "Cache-Control", "no-store");
	evhttp_send_reply(q->r, 303, "See Other", NULL);
}

/* ---- static files ---- */

static const char *content_type(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (dot && !strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (dot && !strcmp(dot, ".woff2"))
		return "font/woff2";
	if (dot && !strcmp(dot, ".svg"))
		return "image/svg+xml";
	return NULL;
}

/* A static name: [a-z0-9._/-], no "..", no leading or doubled slash, a known type. */
static int static_name_ok(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n < 200 && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._/-") == n &&
	       !strstr(name, "..") && !strstr(name, "//") && name[0] != '/' && name[0] != '.' &&
	       content_type(name) != NULL;
}

/* Opens name (or its .gz twin when gzip is accepted) below the static folder. */
static int open_static(struct office *of, const char *name, int gz, struct stat *st)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s%s", name, gz ? ".gz" : "");
	fd = openat(of->static_fd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, st) < 0 || !S_ISREG(st->st_mode))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static void serve_static(struct office *of, struct evhttp_request *r, const char *name)
{
	const char *ae = evhttp_find_header(evhttp_request_get_input_headers(r), "Accept-Encoding");
	struct evkeyvalq *h = evhttp_request_get_output_headers(r);
	struct evbuffer *b;
	struct stat st;
	int gz = ae && strstr(ae, "gzip") != NULL, fd = -1;

	if (static_name_ok(name)) {
		fd = open_static(of, name, gz, &st);
		if (fd < 0 && gz)
			fd = open_static(of, name, gz = 0, &st);
	}
	if (fd < 0)
		return send_bare(r, 404, "Niet gevonden.");
	b = evbuffer_new();
	common_headers(r);
	evhttp_add_header(h, "Content-Type", content_type(name));
	evhttp_add_header(h, "Cache-Control", "public, max-age=3600");
	evhttp_add_header(h, "Vary", "Accept-Encoding");
	if (gz)
		evhttp_add_header(h, "Content-Encoding", "gzip");
	if (!b || evbuffer_add_file(b, fd, 0, st.st_size) < 0) {
		close(fd);
		send_bare(r, 500, "Serverfout.");
	} else {
		evhttp_send_reply(r, 200, "OK", b);
	}
	if (b)
		evbuffer_free(b);
}

/* ---- request helpers ---- */

const char *web_t(const struct req *q, const char *nl)
{
	return q && q->lang && strcmp(q->lang, "nl") ? i18n_text_in(q->lang, nl) : nl;
}

const char *web_arg(const struct req *q, const char *key)
{
	const char *v = q->form ? evhttp_find_header(q->form, key) : NULL;

	return v ? v : evhttp_find_header(q->query, key);
}

void web_today(char out[11])
{
	struct ymd d;

	if (ymd_today(&d) < 0)
		d = (struct ymd){ 1970, 1, 1 };
	ymd_format(d, out);
}

void web_csrf_field(struct req *q)
{
	if (q->s)
		html_printf(q->out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", q->s->csrf);
}

int web_audit(struct req *q, const char *action, const char *target)
{
	return audit_add(q->of->db, q->s ? q->s->user : "-", q->addr, action, target ? target : "");
}

/* The value of cookie name in the request's Cookie header into out ("" when absent). */
static void cookie_value(struct evhttp_request *r, const char *name, char *out, size_t size)
{
	const char *c = evhttp_find_header(evhttp_request_get_input_headers(r), "Cookie");
	size_t n = strlen(name);

	out[0] = '\0';
	while (c && *c) {
		while (*c == ' ' || *c == ';')
			c++;
		if (!strncmp(c, name, n) && c[n] == '=') {
			size_t len = strcspn(c + n + 1, ";");
			if (len < size)
				snprintf(out, size, "%.*s", (int)len, c + n + 1);
			return;
		}
		c = strchr(c, ';');
	}
}

/* The page language: a ?lang=nl|en of this request (remembered in the __Host-lang cookie
 * for a year), else the cookie's, else Dutch. */
static const char *pick_lang(struct req *q)
{
	const char *want = evhttp_find_header(q->query, "lang");
	char c[8];

	if (want && (!strcmp(want, "nl") || !strcmp(want, "en"))) {
		char set[96];
		snprintf(set, sizeof(set), "__Host-lang=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=31536000", want);
		evhttp_add_header(evhttp_request_get_output_headers(q->r), "Set-Cookie", set);
		return !strcmp(want, "en") ? "en" : "nl";
	}
	cookie_value(q->r, "__Host-lang", c, sizeof(c));
	return !strcmp(c, "en") ? "en" : "nl";
}

/* Parses a form body into fields: urlencoded only, no NUL (%00) and valid UTF-8 values.
 * Returns 0, or the status code to refuse with (400, 413, 415). */
static int parse_body(struct evhttp_request *r, struct evkeyvalq *fields)
{
	const char *ct = evhttp_find_header(evhttp_request_get_input_headers(r), "Content-Type");
	struct evbuffer *in = evhttp_request_get_input_buffer(r);
	size_t n = evbuffer_get_length(in);
	struct evkeyval *kv;
	char *s;
	int bad;

	if (!ct || strncmp(ct, "application/x-www-form-urlencoded", 33) != 0)
		return 415;
	if (n > WEB_MAX_BODY)
		return 413;
	if (!(s = malloc(n + 1)))
		return 500;
	evbuffer_remove(in, s, n);
	s[n] = '\0';
	bad = strlen(s) != n || strstr(s, "%00") != NULL || evhttp_parse_query_str(s, fields) != 0;
	util_cleanse(s, n);
	free(s);
	TAILQ_FOREACH(kv, fields, next)
		if (!html_text_ok(kv->value, strlen(kv->value)) || !html_text_ok(kv->key, strlen(kv->key)))
			bad = 1;
	return bad ? 400 : 0;
}

/* A POST must come from our own pages: Sec-Fetch-Site same-origin (when sent) and an
 * Origin (when sent) of this server. */
static int same_origin(struct evhttp_request *r)
{
	struct evkeyvalq *h = evhttp_request_get_input_headers(r);
	const char *site = evhttp_find_header(h, "Sec-Fetch-Site");
	const char *origin = evhttp_find_header(h, "Origin");
	const char *host = evhttp_find_header(h, "Host");
	char want[320];

	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return 0;
	if (!origin)
		return 1;
	snprintf(want, sizeof(want), "https://%s", host ? host : origin_host);
	return strcmp(origin, want) == 0;
}

/* ---- routes ---- */

#define ANY_ROLE (ROLE_TEAM | ROLE_COORD | ROLE_ICT)
#define RECORDS (ROLE_TEAM | ROLE_COORD)

static void page_home(struct req *q)
{
	web_redirect(q, q->s->role == ROLE_ICT ? "/devices" : "/worklist");
}

static const struct route {
	const char *path;      /* exact, or a prefix when it ends in '/' */
	enum evhttp_cmd_type method;
	int roles;             /* 0: public */
	void (*fn)(struct req *q);
} routes[] = {
	{ "/", EVHTTP_REQ_GET, ANY_ROLE, page_home },
	{ "/login", EVHTTP_REQ_GET, 0, page_login },
	{ "/login", EVHTTP_REQ_POST, 0, page_login_post },
	{ "/logout", EVHTTP_REQ_POST, ANY_ROLE, page_logout_post },
	{ "/worklist", EVHTTP_REQ_GET, RECORDS, page_worklist },
	{ "/r/", EVHTTP_REQ_GET, RECORDS, page_record },
	{ "/r/", EVHTTP_REQ_POST, RECORDS, page_record_post },
	{ "/audit", EVHTTP_REQ_GET, ROLE_COORD, page_audit },
	{ "/stats", EVHTTP_REQ_GET, ROLE_COORD, page_stats },
	{ "/handover", EVHTTP_REQ_GET, ROLE_COORD, page_handover },
	{ "/handover", EVHTTP_REQ_POST, ROLE_COORD, page_handover_post },
	{ "/devices", EVHTTP_REQ_GET, ROLE_ICT, page_devices },
	{ "/devices", EVHTTP_REQ_POST, ROLE_ICT, page_devices_post },
	{ "/consultants", EVHTTP_REQ_GET, ROLE_ICT, page_consultants },
	{ "/consultants", EVHTTP_REQ_POST, ROLE_ICT, page_consultants_post },
};

static const struct route *find_route(const char *path, enum evhttp_cmd_type m, int *path_known)
{
	*path_known = 0;
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		size_t n = strlen(routes[i].path);
		int hit = n > 1 && routes[i].path[n - 1] == '/' ? !strncmp(path, routes[i].path, n) && path[n]
							     : !strcmp(path, routes[i].path);
		if (!hit)
			continue;
		*path_known = 1;
		if (routes[i].method == m || (m == EVHTTP_REQ_HEAD && routes[i].method == EVHTTP_REQ_GET))
			return &routes[i];
	}
	return NULL;
}

/* The session of the request, if its cookie names a live one of an enabled account. */
static struct session *find_session(struct req *q)
{
	char sid[128];
	struct session *s;
	sqlite3_stmt *st;
	int live = 0;

	cookie_value(q->r, "__Host-sid", sid, sizeof(sid));
	if (!(s = auth_session_find(sid, q->now, q->of->o->idle_secs)))
		return NULL;
	st = odb_prep(q->of->db, "SELECT 1 FROM users WHERE name = ?1 AND disabled = 0 AND role = ?2");
	if (st) {
		sqlite3_bind_text(st, 1, s->user, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, auth_role_name(s->role), -1, SQLITE_STATIC);
		live = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_finalize(st);
	}
	if (!live)
		auth_session_end(s);
	return live ? s : NULL;
}

/* The HTTP rules before any handler; 0 to go on, else the request was answered. */
static int admit(struct req *q, const struct route *rt, struct evkeyvalq *fields)
{
	enum evhttp_cmd_type m = evhttp_request_get_command(q->r);
	int code;

	if (m == EVHTTP_REQ_POST) {
		if (!same_origin(q->r))
			return web_fail(q, 403, "Geweigerd", "Dit formulier kwam niet van deze website."), -1;
		if ((code = parse_body(q->r, fields)) != 0)
			return web_fail(q, code, "Geweigerd", "Het formulier kon niet worden gelezen."), -1;
		q->form = fields;
	}
	if (!rt->roles)
		return 0;
	if (!q->s) {
		web_redirect(q, "/login");
		return -1;
	}
	if (!(rt->roles & q->s->role)) {
		web_audit(q, "refused", q->path);
		return web_fail(q, 403, "Geen toegang", "Uw rol geeft geen toegang tot deze pagina."), -1;
	}
	if (m == EVHTTP_REQ_POST && !auth_csrf_ok(q->s, web_arg(q, "csrf")))
		return web_fail(q, 403, "Geweigerd", "Het formulier is verlopen. Laad de pagina opnieuw."), -1;
	return 0;
}

static void peer_addr(struct evhttp_request *r, char *out, size_t size)
{
	char *host = NULL;
	ev_uint16_t port = 0;

	evhttp_connection_get_peer(evhttp_request_get_connection(r), &host, &port);
	snprintf(out, size, "%s", host ? host : "?");
}

static void dispatch_one(struct evhttp_request *r, void *arg)
{
	struct evkeyvalq query, fields;
	const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r);
	const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
	const char *raw_query = uri ? evhttp_uri_get_query(uri) : NULL;
	struct req q = { .of = arg, .r = r, .query = &query, .now = time(NULL) };
	const struct route *rt;
	int known;

	TAILQ_INIT(&query);
	TAILQ_INIT(&fields);
	peer_addr(r, q.addr, sizeof(q.addr));
	if (!path || strchr(path, '%') || path[0] != '/')
		return send_bare(r, 404, "Niet gevonden.");
	if (!strncmp(path, "/static/", 8))
		return serve_static(q.of, r, path + 8);
	if ((raw_query && (strstr(raw_query, "%00") || evhttp_parse_query_str(raw_query, &query) != 0)) ||
	    !(q.out = evbuffer_new())) {
		evhttp_clear_headers(&query);
		return send_bare(r, 400, "Onjuist verzoek.");
	}
	q.path = path;
	q.lang = pick_lang(&q);
	q.s = find_session(&q);
	rt = find_route(path, evhttp_request_get_command(r), &known);
	if (!rt)
		web_fail(&q, known ? 405 : 404, known ? "Niet toegestaan" : "Niet gevonden",
			 known ? "Deze handeling kan hier niet." : "Deze pagina bestaat niet.");
	else if (admit(&q, rt, &fields) == 0)
		rt->fn(&q);
	if (evbuffer_get_length(q.out))
		evbuffer_drain(q.out, evbuffer_get_length(q.out));
	evbuffer_free(q.out);
	evhttp_clear_headers(&query);
	evhttp_clear_headers(&fields);
}

/* Every request: a fresh request deadline for its reply and the next request; ambiguous
 * framing (two Content-Lengths, or one with Transfer-Encoding) is 400 and the end of the
 * connection, before any handler reads the body. */
static void dispatch(struct evhttp_request *r, void *arg)
{
	tlsconn_serving(r);
	if (tlsconn_framing_ok(r))
		return dispatch_one(r, arg);
	evhttp_add_header(evhttp_request_get_output_headers(r), "Connection", "close");
	send_bare(r, 400, "Onjuist verzoek.");
}

/* ---- TLS and the loop ---- */

/* The office certificate DIR/office/tls.pem (+ chain) and its key tls.key (0600). */
static int load_tls(const char *dir)
{
	char cert[4096], key[4096];

	if (odb_path(cert, sizeof(cert), dir, "tls.pem") < 0 || odb_path(key, sizeof(key), dir, "tls.key") < 0)
		return -1;
	if (access(cert, R_OK) < 0 || access(key, R_OK) < 0)
		return error("no office certificate in %s/office (run `inloop-office --dir %s setup`)", dir, dir);
	if (platform_check_key_file(key) < 0)
		return -1;
	if (!(tls_ctx = tlsconn_ctx_new()))
		return -1;
	if (SSL_CTX_use_certificate_chain_file(tls_ctx, cert) != 1)
		return tlsconn_error("cannot load the office certificate", cert);
	if (SSL_CTX_use_PrivateKey_file(tls_ctx, key, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(tls_ctx) != 1)
		return tlsconn_error("cannot use the office key", key);
	return 0;
}

static struct bufferevent *on_accept_bev(struct event_base *base, void *arg)
{
	(void)arg;
	return tlsconn_accept(guard, base, tls_ctx);
}

/* Indexes what arrived since the last look, and runs retention once a day. */
static void on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct office *of = arg;
	static time_t last_retention;
	long long added = 0;
	int erased;

	(void)fd, (void)what;
	if (oindex_sync(of->db, of->store, &of->open, of->vault, &added) < 0)
		logf_("warning: indexing new records failed (will retry)");
	else if (added)
		logf_("indexed %lld new records", added);
	if (time(NULL) - last_retention > 24 * 3600) {
		last_retention = time(NULL);
		if ((erased = retention_run(of, of->o->retention_days)) > 0)
			logf_("retention: contents of %d records erased", erased);
		else if (erased == 0)
			logf_("retention: none due (%d days after the hand-over)", of->o->retention_days);
	}
}

/* Seconds since t0 (CLOCK_MONOTONIC). */
static double web_secs_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* At start: the refused records once more (the keys or the rules may have changed), and
 * the sealed list fields of rows indexed before they existed. Counts only in the log. */
static void web_index_again(struct office *of)
{
	long long tried = 0, indexed = 0, filled = 0;
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (oindex_retry(of->db, of->store, &of->open, of->vault, &tried, &indexed) < 0)
		logf_("warning: trying the refused records again failed (next start tries again)");
	else if (tried)
		logf_("index: %lld refused record(s) tried again: %lld now indexed, %lld still refused (%.2f s)",
		      tried, indexed, tried - indexed, web_secs_since(&t0));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (oindex_fill_person(of->db, of->store, &of->open, of->vault, &filled) < 0)
		logf_("warning: sealing the list fields of older rows failed (next start tries again)");
	else if (filled)
		logf_("index: sealed the list fields of %lld older row(s) (%.2f s)", filled, web_secs_since(&t0));
}

static void on_signal(evutil_socket_t fd, short what, void *arg)
{
	(void)fd, (void)what;
	event_base_loopexit(arg, NULL);
}

static int open_parts(struct office *of, const struct web_opts *o)
{
	char path[4096], cs[4096], ofc[4096];
	const char *sdir = o->static_dir;

	if (util_fmt(path, sizeof(path), "%s/office", o->dir) < 0 || odb_open(o->dir, &of->db) < 0 ||
	    load_tls(o->dir) < 0 || openrec_load(path, &of->open) < 0 || vault_load(path, &of->vault) < 0)
		return -1;
	if (util_fmt(ofc, sizeof(ofc), "%s/office", o->dir) < 0 ||
	    util_fmt(cs, sizeof(cs), "%s/casestore", o->dir) < 0 ||   /* office/store.url: PostgreSQL */
	    store_where(ofc, cs, of->store_path, sizeof(of->store_path)) < 0 ||
	    store_open(of->store_path, STORE_READONLY, &of->store) < 0)
		return -1;
	if (form_asset_path(path, sizeof(path), "forms/registration.json") < 0 || form_load(path, &of->form) < 0)
		return -1;
	if ((of->static_fd = open(sdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return error("static folder %s: %s (run `make` to build it)", sdir, strerror(errno));
	audit_init(o->dir);
	if (util_fmt(path, sizeof(path), "%s/../locale/en.mo", sdir) >= 0 && i18n_load_file("en", path) < 0)
		logf_("warning: no English catalogue (%s): English pages show Dutch", path);
	return 0;
}

static int listen_on(struct office *of, struct evhttp *http)
{
	int port;

	if (!tlsconn_listen(guard, http, of->o->host, of->o->port, &port))
		return -1;
	snprintf(origin_host, sizeof(origin_host), "%s:%d", of->o->host, port);
	logf_("listening on https://%s:%d", of->o->host, port);
	return 0;
}

static struct evhttp *make_http(struct office *of)
{
	struct evhttp *http;

	if (tlsconn_guard_new(of->base, "office", &web_limits, &guard) < 0 || !(http = evhttp_new(of->base)))
		return NULL;
	evhttp_set_bevcb(http, on_accept_bev, of);
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST);
	evhttp_set_max_body_size(http, WEB_MAX_BODY);
	evhttp_set_max_headers_size(http, 16384);
	evhttp_set_timeout(http, 60);
	evhttp_set_gencb(http, dispatch, of);
	return http;
}

static void close_parts(struct office *of)
{
	if (of->static_fd > 0)
		close(of->static_fd);
	form_free(of->form);
	store_close(of->store);
	openrec_release(&of->open);
	vault_free(of->vault);
	sqlite3_close(of->db);
	i18n_free();
	SSL_CTX_free(tls_ctx);
}

int web_run(const struct web_opts *o)
{
	struct office of = { .o = o, .static_fd = -1 };
	struct event *tick = NULL, *sterm = NULL, *sint = NULL;
	struct timeval every = { SYNC_SECS, 0 };
	struct evhttp *http = NULL;
	struct timespec t0, t1;
	long long added = 0;
	double secs;
	int rc = -1;

	signal(SIGPIPE, SIG_IGN);
	if (evthread_use_pthreads() < 0 || auth_init() < 0 || open_parts(&of, o) < 0)
		goto out;
	web_index_again(&of);   /* before the new rows: those refused now need no second try */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (oindex_sync(of.db, of.store, &of.open, of.vault, &added) < 0)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	logf_("index: %lld new records in %.2f s (%.0f/s)", added, secs, secs > 0 ? (double)added / secs : 0.0);
	if (!(of.base = event_base_new()) || !(http = make_http(&of)) || listen_on(&of, http) < 0)
		goto out;
	tick = event_new(of.base, -1, EV_PERSIST, on_tick, &of);
	sterm = evsignal_new(of.base, SIGTERM, on_signal, of.base);
	sint = evsignal_new(of.base, SIGINT, on_signal, of.base);
	if (!tick || !sterm || !sint || event_add(tick, &every) < 0 || event_add(sterm, NULL) < 0 ||
	    event_add(sint, NULL) < 0)
		goto out;
	on_tick(-1, 0, &of);
	rc = event_base_dispatch(of.base) < 0 ? error("the event loop failed") : 0;
	web_login_drain();
	logf_("stopped");
out:
	if (tick)
		event_free(tick);
	if (sterm)
		event_free(sterm);
	if (sint)
		event_free(sint);
	tlsconn_guard_free(guard);   /* before evhttp_free: it frees the connections */
	guard = NULL;
	if (http)
		evhttp_free(http);
	if (of.base)
		event_base_free(of.base);
	close_parts(&of);
	return rc;
}

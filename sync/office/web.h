/*
 * web.h — the office's HTTPS server (build/inloop-office): libevent evhttp over
 * bufferevent_openssl (TLS 1.2+, the office certificate from the municipality's CA),
 * one route table, security headers on every reply (CSP without inline script, no
 * framing, nosniff, HSTS, same-origin referrer (no-referrer makes Chromium send "Origin: null" on a form POST); pages no-store), static NL Design System files,
 * sessions and the CSRF check. Password checks run on a worker thread so the loop never
 * stalls (OFFICE.md §4).
 *
 * Pages are written with html_printf (every %s escaped). Logs hold paths, status codes
 * and account names, never a record's contents.
 */
#ifndef INLOOP_OFFICE_WEB_H
#define INLOOP_OFFICE_WEB_H

#include <jansson.h>
#include <sqlite3.h>
#include <time.h>

#include "sync/office/auth.h"
#include "sync/office/openrec.h"

struct evhttp_request;
struct evbuffer;
struct evkeyvalq;
struct store;
struct vault;
struct form;

#define WEB_DEFAULT_PORT 8444
#define WEB_MAX_BODY 16384
#define WEB_PAGE_ROWS 50

struct web_opts {
	const char *dir;          /* case-store folder: ca.pem, casestore.key, store.sqlite, office/ */
	const char *host;
	int port;                 /* 0 picks a free port (printed) */
	int idle_secs;            /* session idle timeout */
	int retention_days;       /* contents erased this long after first conversation + hand-over */
	const char *static_dir;   /* built NLDS files (build/office/static) */
};

/* Everything a handler reaches. One per process; the event loop's thread only. */
struct office {
	const struct web_opts *o;
	sqlite3 *db;
	struct store *store;       /* read-only; retention opens its own writable handle */
	char store_path[4096];
	struct openrec open;       /* the opening key(s) and the re-check: openrec.h */
	struct vault *vault;       /* the worklist's sealed list fields: vault.h */
	struct form *form;
	int static_fd;
	struct event_base *base;
};

/* One request being answered. */
struct req {
	struct office *of;
	struct evhttp_request *r;
	struct evbuffer *out;      /* the page body */
	struct session *s;         /* NULL when not signed in */
	struct evkeyvalq *query;   /* the URL's query (always set, maybe empty) */
	struct evkeyvalq *form;    /* a POST's fields (NULL for GET) */
	const char *path;          /* decoded-free path, e.g. "/r/<id>" */
	char addr[64];             /* the client's address (for the audit log and throttle) */
	const char *lang;          /* "nl" (the source language) or "en": ?lang= or the __Host-lang cookie */
	time_t now;
};

/*
 * The office's words in the request's language. Dutch is written in the code (the msgids);
 * English comes from assets/office/po/en.po, compiled to <static>/../locale/en.mo and read
 * once at start by platform/i18n.c. W_ marks a msgid and translates it; WN_ only marks one (for
 * tables). The result is borrowed (the catalogue's or s itself).
 */
#define W_(q, s) web_t(q, s)
#define WN_(s) (s)
const char *web_t(const struct req *q, const char *nl);

/* Fills o with the defaults (dir NULL). */
void web_opts_defaults(struct web_opts *o);

/* Serves until SIGTERM/SIGINT; "office: listening on https://HOST:PORT" on stderr when
 * ready. -1 with a clear error when keys, certificate or databases are unusable. */
int web_run(const struct web_opts *o);

/* A query or form value (NULL when absent). */
const char *web_arg(const struct req *q, const char *key);

/* Starts a page: doctype, NLDS classes, header with navigation for the session's role. */
void web_page_begin(struct req *q, const char *title);
/* Ends the page and sends it with code (200, 400, 403, 404, ...). */
void web_page_end(struct req *q, int code);

/* A complete error page (title + one sentence) with code; no record data. */
void web_fail(struct req *q, int code, const char *title, const char *sentence);

/* Sends body as a download (type, Content-Disposition disposition), never cached. */
void web_send_file(struct req *q, const char *type, const char *disposition, struct evbuffer *body);

/* 303 See Other to a server-made path. */
void web_redirect(struct req *q, const char *path);

/* The hidden CSRF field for forms of the signed-in session. */
void web_csrf_field(struct req *q);

/* Audits action on target for the signed-in user; -1 when the log cannot be written. */
int web_audit(struct req *q, const char *action, const char *target);

/* Today's date (Europe/Amsterdam) as YYYY-MM-DD into out. */
void web_today(char out[11]);

/* Handlers of the pages (pages_*.c). Each answers q completely. */
void page_worklist(struct req *q);
void page_record(struct req *q);
void page_record_post(struct req *q);
void page_audit(struct req *q);
void page_stats(struct req *q);
void page_devices(struct req *q);
void page_devices_post(struct req *q);
void page_consultants(struct req *q);
void page_consultants_post(struct req *q);
void page_handover(struct req *q);
void page_handover_post(struct req *q);

/* Retention (retention.c): the contents of records whose first conversation and hand-over
 * lie more than days ago are erased: the envelope leaves the case store (store_erase keeps
 * a tombstone), the notes in the history are wiped, the index row is marked erased (its
 * counts stay for the stats; it never held a name or contact) and an audit line says so.
 * Returns the number erased, -1 on error (the rest is tried again on the next run). */
int retention_run(struct office *of, int days);

#endif

/*
 * upload.c — the device's uploader (upload.h): one reused libcurl easy handle per thread,
 * PUT /v1/records/{id} with the device's client certificate, the enrolled CA pinned.
 *
 * The libcurl settings follow SYNC.md §2 and its traps: CAPATH set to NULL so the system
 * store is never trusted (trap 8), "Expect:" removed (trap 3), NOSIGNAL with SIGPIPE
 * ignored (trap 10), a seek callback so libcurl's own silent re-send works (trap 9), and
 * TLS alerts that refuse our certificate treated as permanent, not as network errors
 * (trap 5).
 */
#include "sync/device/upload.h"
#include "sync/device/outbox.h"
#include "sync/record/pki.h"
#include "sync/record/wire.h"
#include "sync/device/config.h"
#include "sync/device/visitbox.h"
#include "platform/util.h"
#include "platform/platform.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <openssl/rand.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#define BATCH 32
#define DEFAULT_TIMEOUT_S 30
#define CLI_MAX_FAILS 6           /* transient failures in a row without progress */
#define CLI_MAX_WAIT_S 10         /* a longer Retry-After ends the pass: come back later */
#define THREAD_MAX_BACKOFF_S 300
#define THREAD_BLOCKED_WAIT_S 900
#define THREAD_IDLE_WAIT_S 300
#define ROW_MAX_BACKOFF_MS (3600 * 1000L)
#define CRISIS_MAX_BACKOFF_MS 3000L   /* a waiting crisis row is tried at least every 3 s */
#define CLOCK_STEP_S 5                /* the wall clock moved this much against the monotonic */
#define VISITS_EVERY_S 60             /* the thread asks for visits at most this often */

/* One reused libcurl handle and the body it is sending. */
struct link {
	CURL *h;
	struct curl_slist *hdr;
	char base[512];                /* https://host:port, no trailing slash */
	char err[CURL_ERROR_SIZE];
	time_t cert_not_after;         /* our certificate's end, to read "certificate expired" right */
	const int *stop;               /* read atomically: abort a transfer when set */
	const unsigned *netgen;        /* read atomically: bumped on each network change */
	unsigned netgen_at_start;      /* its value when the transfer began */
	const unsigned char *body;
	size_t len, pos;
};

/* wire.h's actions, plus the local reasons to stop (certificates, TLS alerts). */
enum verdict { V_DONE = WIRE_DONE, V_HOLD = WIRE_HOLD, V_RETRY = WIRE_RETRY, V_BLOCK = WIRE_BLOCK };

/* The outcome of one PUT. */
struct attempt {
	long code;                     /* HTTP status, 0 when none arrived */
	CURLcode cc;
	long retry_after;              /* seconds from Retry-After, 0 none */
	char why[256];                 /* for last_error / the host: codes and reasons only */
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init_once(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t read_body(char *buf, size_t size, size_t n, void *arg)
{
	struct link *l = arg;
	size_t room = size * n, left = l->len - l->pos;

	if (room > left)
		room = left;
	memcpy(buf, l->body + l->pos, room);
	l->pos += room;
	return room;
}

/* Lets libcurl rewind the body when it re-sends a request on a fresh connection. */
static int seek_body(void *arg, curl_off_t off, int origin)
{
	struct link *l = arg;

	if (origin != SEEK_SET || off < 0 || (size_t)off > l->len)
		return CURL_SEEKFUNC_CANTSEEK;
	l->pos = (size_t)off;
	return CURL_SEEKFUNC_OK;
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

/* Aborts on stop, and a transfer still connecting when the network changed: its attempt
 * belongs to the old network (PLATFORM.md §4: an event queued behind a blocking connect). */
static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct link *l = arg;

	(void)dltotal, (void)ultotal;
	if (l->stop && __atomic_load_n(l->stop, __ATOMIC_ACQUIRE))
		return 1;
	return l->netgen && dlnow == 0 && ulnow == 0 &&
	       __atomic_load_n(l->netgen, __ATOMIC_ACQUIRE) != l->netgen_at_start;
}

/* The files the link needs, each checked so a missing one is a clear error. */
static int device_files(const struct device_config *cfg, char *cert, char *key, char *ca, size_t size)
{
	if (config_path(cfg, STATE_CERT, cert, size) < 0 || config_path(cfg, STATE_KEY, key, size) < 0 ||
	    config_path(cfg, STATE_CA, ca, size) < 0)
		return -1;
	if (access(cert, R_OK) < 0)
		return error("cannot read the device certificate %s: %s", cert, strerror(errno));
	if (access(ca, R_OK) < 0)
		return error("cannot read the pinned CA %s: %s", ca, strerror(errno));
	if (access(key, R_OK) < 0)
		return error("cannot read the device key %s: %s", key, strerror(errno));
	return platform_check_key_file(key);
}

static int link_base_url(struct link *l, const char *url)
{
	size_t n;

	if (strncmp(url, "https://", 8) != 0 || !url[8])
		return error("the case-store address must be an https:// URL");
	if (util_fmt(l->base, sizeof(l->base), "%s", url) < 0)
		return -1;
	n = strlen(l->base);
	while (n > 8 && l->base[n - 1] == '/')
		l->base[--n] = '\0';
	return 0;
}

static void link_close(struct link *l)
{
	if (l->h)
		curl_easy_cleanup(l->h);
	curl_slist_free_all(l->hdr);
	memset(l, 0, sizeof(*l));
}

static void link_set_tls(struct link *l, const char *cert, const char *key, const char *ca)
{
	CURL *h = l->h;

	curl_easy_setopt(h, CURLOPT_SSLCERT, cert);
	curl_easy_setopt(h, CURLOPT_SSLKEY, key);
	curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
	curl_easy_setopt(h, CURLOPT_CAINFO, ca);
	curl_easy_setopt(h, CURLOPT_CAPATH, NULL);            /* never the system store */
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
}

/*
 * Opens a link for the device cfg describes: its url (or url_override), device.pem and
 * device.key as the client certificate, ca.pem pinned. stop (may be NULL) aborts a
 * transfer when it becomes non-zero. Release with link_close.
 */
static int link_open(struct link *l, const struct device_config *cfg, const char *url_override,
		     int timeout_s, const int *stop)
{
	char cert[4200], key[4200], ca[4200];

	memset(l, 0, sizeof(*l));
	l->stop = stop;
	pthread_once(&curl_once, curl_init_once);
	if (link_base_url(l, url_override ? url_override : cfg->url) < 0 ||
	    device_files(cfg, cert, key, ca, sizeof(cert)) < 0)
		return -1;
	l->h = curl_easy_init();
	l->hdr = curl_slist_append(NULL, "Expect:");
	if (l->hdr)
		l->hdr = curl_slist_append(l->hdr, "Content-Type: " WIRE_CONTENT_TYPE);
	if (!l->h || !l->hdr) {
		link_close(l);
		return error("cannot set up the uploader (libcurl)");
	}
	link_set_tls(l, cert, key, ca);
	if (pki_cert_not_after(cert, &l->cert_not_after) < 0)
		l->cert_not_after = 0;
	curl_easy_setopt(l->h, CURLOPT_HTTPHEADER, l->hdr);
	curl_easy_setopt(l->h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(l->h, CURLOPT_READFUNCTION, read_body);
	curl_easy_setopt(l->h, CURLOPT_READDATA, l);
	curl_easy_setopt(l->h, CURLOPT_SEEKFUNCTION, seek_body);
	curl_easy_setopt(l->h, CURLOPT_SEEKDATA, l);
	curl_easy_setopt(l->h, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(l->h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(l->h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(l->h, CURLOPT_XFERINFODATA, l);
	curl_easy_setopt(l->h, CURLOPT_CONNECTTIMEOUT, (long)(timeout_s < 10 ? timeout_s : 10));
	curl_easy_setopt(l->h, CURLOPT_TIMEOUT, (long)timeout_s);
	curl_easy_setopt(l->h, CURLOPT_LOW_SPEED_LIMIT, 512L);
	curl_easy_setopt(l->h, CURLOPT_LOW_SPEED_TIME, (long)(timeout_s < 15 ? timeout_s : 15));
	curl_easy_setopt(l->h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(l->h, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(l->h, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(l->h, CURLOPT_ERRORBUFFER, l->err);
	return 0;
}

/* TLS alerts by which the server refuses our certificate (SYNC.md trap 5: 35/55/56). */
static int refused_by_alert(const char *err)
{
	static const char *const alerts[] = {
		"alert certificate revoked", "alert certificate required", "alert bad certificate",
		"alert unknown ca", "alert certificate expired", "alert access denied",
		"alert unsupported certificate", "alert certificate unknown", "alert handshake failure",
	};

	for (size_t i = 0; i < sizeof(alerts) / sizeof(alerts[0]); i++)
		if (strstr(err, alerts[i]))
			return 1;
	return 0;
}

/* curl reports the server's "certificate expired" alert as curl 60 with this text (and
 * "SSL certificate problem: ..." when it is our check of the server that failed). */
static int expired_alert(CURLcode cc, const char *err)
{
	return cc == CURLE_PEER_FAILED_VERIFICATION && strstr(err, "SSL certificate verification failed");
}

/* Reads from a probe connection until the server's first bytes, an error or 2 s. */
static CURLcode probe_read(CURL *p)
{
	curl_socket_t sock = CURL_SOCKET_BAD;
	char buf[256];
	size_t n = 0;
	CURLcode cc = CURLE_AGAIN;

	if (curl_easy_getinfo(p, CURLINFO_ACTIVESOCKET, &sock) != CURLE_OK || sock == CURL_SOCKET_BAD)
		return CURLE_RECV_ERROR;
	for (int i = 0; i < 20 && cc == CURLE_AGAIN; i++) {
		struct pollfd pfd = { .fd = sock, .events = POLLIN };
		if (poll(&pfd, 1, 100) < 0)
			return CURLE_RECV_ERROR;
		cc = curl_easy_recv(p, buf, sizeof(buf), &n);
	}
	return cc;
}

/*
 * Under TLS 1.3 the server refuses a certificate after the client's handshake finished;
 * a PUT then often dies writing its body (curl 55 "Broken pipe") before the alert is
 * read, or the reset that follows the alert loses it. When a request on a fresh connection
 * failed that way, a probe connection (same settings, CONNECT_ONLY, TLS 1.2 where the
 * server refuses inside the handshake, before the client's Finished) reads the alert
 * ("certificate revoked", "unknown ca", ...), so the refusal is recognised as permanent.
 */
static void probe_refusal(struct link *l, struct attempt *a)
{
	char err[CURL_ERROR_SIZE] = "";
	long fresh = 0;
	CURL *p;
	CURLcode cc;

	curl_easy_getinfo(l->h, CURLINFO_NUM_CONNECTS, &fresh);
	if (!fresh || refused_by_alert(a->why) || !(p = curl_easy_duphandle(l->h)))
		return;
	curl_easy_setopt(p, CURLOPT_ERRORBUFFER, err);
	curl_easy_setopt(p, CURLOPT_CONNECT_ONLY, 1L);
	curl_easy_setopt(p, CURLOPT_SSLVERSION, (long)(CURL_SSLVERSION_TLSv1_2 | CURL_SSLVERSION_MAX_TLSv1_2));
	curl_easy_setopt(p, CURLOPT_UPLOAD, 0L);
	curl_easy_setopt(p, CURLOPT_URL, l->base);
	cc = curl_easy_perform(p);
	if (cc == CURLE_OK)
		cc = probe_read(p);
	if (cc != CURLE_OK && refused_by_alert(err))
		snprintf(a->why, sizeof(a->why), "curl %d: %.200s", (int)cc, err);
	else if (expired_alert(cc, err))
		snprintf(a->why, sizeof(a->why), "curl %d: alert certificate expired", (int)cc);
	curl_easy_cleanup(p);
}

/*
 * TLS has one alert for an expired certificate and an expired CRL: when the case store
 * says "certificate expired" while ours is valid, its revocation list ran out (issue 9,
 * D5), and the host must hear that, not "renew this kiosk".
 */
static void explain_expired(const struct link *l, struct attempt *a)
{
	char until[16];
	struct tm tm;

	if (!strstr(a->why, "alert certificate expired") || l->cert_not_after <= time(NULL) ||
	    !gmtime_r(&l->cert_not_after, &tm) || !strftime(until, sizeof(until), "%Y-%m-%d", &tm))
		return;
	snprintf(a->why, sizeof(a->why), "the case store's revocation list (CRL) has expired; this"
		 " device's certificate is valid until %s. ICT: run inloopctl crl renew"
		 " (curl %d: alert certificate expired)", until, (int)a->cc);
}

/* Sends one envelope; fills *a with the status or the transport error. */
static void put_one(struct link *l, const char *id, const unsigned char *der, size_t len,
		    struct attempt *a)
{
	char url[700];
	curl_off_t ra = 0;

	memset(a, 0, sizeof(*a));
	l->err[0] = '\0';
	l->body = der;
	l->len = len;
	l->pos = 0;
	if (util_fmt(url, sizeof(url), "%s" WIRE_RECORDS_PATH "%s", l->base, id) < 0) {
		a->cc = CURLE_URL_MALFORMAT;
		snprintf(a->why, sizeof(a->why), "record address too long");
		return;
	}
	curl_easy_setopt(l->h, CURLOPT_URL, url);
	curl_easy_setopt(l->h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	if (l->netgen)
		l->netgen_at_start = __atomic_load_n(l->netgen, __ATOMIC_ACQUIRE);
	a->cc = curl_easy_perform(l->h);
	curl_easy_getinfo(l->h, CURLINFO_RESPONSE_CODE, &a->code);
	if (curl_easy_getinfo(l->h, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0)
		a->retry_after = ra > 3600 ? 3600 : (long)ra;
	if (expired_alert(a->cc, l->err))
		snprintf(a->why, sizeof(a->why), "curl %d: alert certificate expired", (int)a->cc);
	else if (a->cc != CURLE_OK)
		snprintf(a->why, sizeof(a->why), "curl %d: %.200s", (int)a->cc,
			 l->err[0] ? l->err : curl_easy_strerror(a->cc));
	else
		snprintf(a->why, sizeof(a->why), "the case store answered HTTP %ld", a->code);
	l->body = NULL;
	if (a->cc == CURLE_SEND_ERROR || a->cc == CURLE_RECV_ERROR)
		probe_refusal(l, a);
	explain_expired(l, a);
}

static enum verdict classify(struct attempt *a)
{
	if (a->cc == CURLE_OK)
		return (enum verdict)wire_action_of(a->code);
	if (a->cc == CURLE_PEER_FAILED_VERIFICATION && !refused_by_alert(a->why)) {
		snprintf(a->why, sizeof(a->why), "the server's certificate is not from the pinned"
			 " case-store CA (curl %d): records kept", (int)a->cc);
		return V_BLOCK;
	}
	if (a->cc == CURLE_SSL_CERTPROBLEM || a->cc == CURLE_SSL_CACERT_BADFILE)
		return V_BLOCK;
	if ((a->cc == CURLE_SSL_CONNECT_ERROR || a->cc == CURLE_SEND_ERROR || a->cc == CURLE_RECV_ERROR) &&
	    refused_by_alert(a->why))
		return V_BLOCK;
	return V_RETRY;
}

/* ---- visits (visitbox.h) over the same link ---- */

/* One sync's visit requests: a duplicate of the link's handle (the same client
 * certificate, pinned CA, timeouts and stop), so the PUT settings stay untouched. */
struct visit_link {
	const struct link *l;
	CURL *h;
	char err[CURL_ERROR_SIZE];
	char *buf;
	size_t len, max;
	int over;
};

static size_t collect(char *p, size_t size, size_t n, void *arg)
{
	struct visit_link *v = arg;
	size_t k = size * n;
	char *grown;

	if (v->len + k > v->max || !(grown = realloc(v->buf, v->len + k + 1))) {
		v->over = 1;
		return 0;
	}
	v->buf = grown;
	memcpy(v->buf + v->len, p, k);
	v->len += k;
	v->buf[v->len] = '\0';
	return k;
}

/* visitbox's request (struct visitbox_link): GET or DELETE of path on the case store. */
static int visit_request(void *ctx, const char *method, const char *path, size_t max, char **body,
			 size_t *len, long *status, char *why, size_t why_size)
{
	struct visit_link *v = ctx;
	char url[700];
	CURLcode cc;

	*body = NULL;
	*len = 0;
	*status = 0;
	v->buf = NULL;
	v->len = 0;
	v->max = max;
	v->over = 0;
	v->err[0] = '\0';
	if (util_fmt(url, sizeof(url), "%s%s", v->l->base, path) < 0) {
		snprintf(why, why_size, "address too long");
		return -1;
	}
	curl_easy_setopt(v->h, CURLOPT_URL, url);
	curl_easy_setopt(v->h, CURLOPT_CUSTOMREQUEST, strcmp(method, "GET") ? method : NULL);
	cc = curl_easy_perform(v->h);
	curl_easy_getinfo(v->h, CURLINFO_RESPONSE_CODE, status);
	if (cc != CURLE_OK || v->over) {
		free(v->buf);
		if (v->over)
			snprintf(why, why_size, "the answer is larger than %zu bytes", max);
		else
			snprintf(why, why_size, "curl %d: %.200s", (int)cc, v->err[0] ? v->err : curl_easy_strerror(cc));
		return -1;
	}
	*body = v->buf;
	*len = v->len;
	return 0;
}

/* Fetches the visits of the device's consultants (visitbox_sync) over l's settings. */
static void visits_pass(const struct link *l, const struct device_config *cfg, struct upload_report *rep)
{
	struct visit_link v = { .l = l };
	struct visitbox_link link = { visit_request, &v };
	struct visitbox_report vr = { 0 };

	if (!(v.h = curl_easy_duphandle(l->h)))
		return;
	curl_easy_setopt(v.h, CURLOPT_UPLOAD, 0L);
	curl_easy_setopt(v.h, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(v.h, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(v.h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(v.h, CURLOPT_WRITEDATA, &v);
	curl_easy_setopt(v.h, CURLOPT_ERRORBUFFER, v.err);
	visitbox_sync(cfg, &link, &vr);
	curl_easy_cleanup(v.h);
	if (rep) {
		rep->visits = vr.received;
		rep->consultants_removed = vr.removed;
	}
}

/* A uniformly random number in [0, max). Jitter only: no secrecy needed. */
static unsigned jitter(unsigned max)
{
	unsigned r = 0;

	if (max == 0)
		return 0;
	if (RAND_bytes((unsigned char *)&r, sizeof(r)) != 1)
		r = (unsigned)getpid() ^ (unsigned)time(NULL);
	return r % max;
}

/* Exponential backoff with jitter: base_ms * 2^(n-1), capped at cap_ms, then a random
 * point in its upper half; never less than the server's Retry-After. */
static long backoff_ms(int n, long base_ms, long cap_ms, long retry_after_s)
{
	long d = base_ms;

	for (int i = 1; i < n && d < cap_ms; i++)
		d *= 2;
	if (d > cap_ms)
		d = cap_ms;
	d = d / 2 + (long)jitter((unsigned)(d / 2 + 1));
	if (retry_after_s * 1000 > d)
		d = retry_after_s * 1000;
	return d;
}

/* One drain: what it did goes into rep; why it stopped into the return value. */
struct pass {
	struct outbox *ob;
	struct link *l;
	long long due;                 /* rows with next_attempt_at <= due are sent */
	struct upload_report *rep;
	long retry_after;              /* from the failure that stopped the pass */
	char why[256];                 /* reason of that failure */
};

/* Acts on one answer; returns V_DONE to go on (the row is done, held), else why to stop. */
static int settle(struct pass *p, const struct outbox_row *row, struct attempt *a,
		  const char **done, int *ndone)
{
	enum verdict v = classify(a);
	long long next;

	switch (v) {
	case V_DONE:
		done[(*ndone)++] = row->id;
		if (a->code == WIRE_CREATED)
			p->rep->created++;
		else
			p->rep->already++;
		return V_DONE;
	case V_HOLD:
		p->rep->held++;
		return outbox_hold(p->ob, row->id, a->why) < 0 ? -1 : V_DONE;
	case V_RETRY:
		p->rep->retries++;
		next = (long long)time(NULL) + backoff_ms(row->attempts + 1, 1000, row->priority > 0 ?
							   CRISIS_MAX_BACKOFF_MS : ROW_MAX_BACKOFF_MS,
							   a->retry_after) / 1000;
		if (outbox_defer(p->ob, row->id, next, a->why) < 0)
			return -1;
		break;
	case V_BLOCK:
		break;
	}
	p->retry_after = a->retry_after;
	snprintf(p->why, sizeof(p->why), "%s", a->why);
	return v;
}

/* Sends one batch; V_DONE when it all went (or was held), else why it stopped, -1 error. */
static int drain_batch(struct pass *p, struct outbox_row *rows, unsigned char **ders, size_t *lens,
		       int n)
{
	const char *done[BATCH];
	int ndone = 0, rc = V_DONE;
	struct attempt a;

	for (int i = 0; i < n && rc == V_DONE; i++) {
		if (p->l->stop && __atomic_load_n(p->l->stop, __ATOMIC_ACQUIRE)) {
			rc = V_RETRY;
			break;
		}
		put_one(p->l, rows[i].id, ders[i], lens[i], &a);
		rc = settle(p, &rows[i], &a, done, &ndone);
	}
	if (ndone && outbox_delete_many(p->ob, done, ndone) < 0)
		rc = -1;
	return rc;
}

/* Drains until nothing is due (V_DONE), a transient failure (V_RETRY), a refusal
 * (V_BLOCK), or -1 on a local error. */
static int drain(struct pass *p)
{
	struct outbox_row rows[BATCH];
	unsigned char *ders[BATCH];
	size_t lens[BATCH];
	int n, rc;

	for (;;) {
		n = outbox_next_batch(p->ob, p->due, rows, ders, lens, BATCH);
		if (n <= 0)
			return n < 0 ? -1 : V_DONE;
		rc = drain_batch(p, rows, ders, lens, n);
		for (int i = 0; i < n; i++)
			free(ders[i]);
		if (rc != V_DONE)
			return rc;
	}
}

static int open_outbox(const struct device_config *cfg, struct outbox **ob)
{
	char path[4200];

	if (config_path(cfg, STATE_OUTBOX, path, sizeof(path)) < 0)
		return -1;
	return outbox_open(path, ob);
}

static void report_counts(struct outbox *ob, struct upload_report *rep)
{
	struct outbox_counts c;

	if (outbox_counts(ob, &c) == 0) {
		rep->left = c.pending;
		rep->held_total = c.held;
	}
}

/* Retries the pass after transient failures until drained or CLI_MAX_FAILS in a row. */
static int run_passes(struct pass *p)
{
	int fails = 0, rc;

	for (;;) {
		int before = p->rep->created + p->rep->already + p->rep->held;
		rc = drain(p);
		if (rc != V_RETRY)
			return rc;
		fails = p->rep->created + p->rep->already + p->rep->held > before ? 1 : fails + 1;
		if (fails > CLI_MAX_FAILS || p->retry_after > CLI_MAX_WAIT_S)
			return V_RETRY;
		usleep((useconds_t)backoff_ms(fails, 100, 2000, p->retry_after) * 1000);
	}
}

int upload_run_once_timeout(const char *state_dir, const char *url_override, int timeout_s,
			    struct upload_report *rep)
{
	struct device_config cfg;
	struct link l;
	struct pass p = { .rep = rep, .l = &l, .due = LLONG_MAX / 2 };
	int rc;

	memset(rep, 0, sizeof(*rep));
	signal(SIGPIPE, SIG_IGN);
	if (url_override) {   /* the pass needs only the folder's keys and outbox */
		config_defaults(&cfg);
		if (util_fmt(cfg.dir, sizeof(cfg.dir), "%s", state_dir) < 0)
			return -1;
	} else if (config_load(state_dir, &cfg) < 0) {
		return -1;
	}
	if (link_open(&l, &cfg, url_override, timeout_s > 0 ? timeout_s : DEFAULT_TIMEOUT_S, NULL) < 0)
		return -1;
	if (open_outbox(&cfg, &p.ob) < 0) {
		link_close(&l);
		return -1;
	}
	rc = run_passes(&p);
	if (rc == V_DONE)
		visits_pass(&l, &cfg, rep);
	report_counts(p.ob, rep);
	if (rc == V_BLOCK)
		rep->blocked = 1;
	if (rc != V_DONE)
		snprintf(rep->error, sizeof(rep->error), "%s", p.why);
	outbox_close(p.ob);
	link_close(&l);
	if (rc < 0)
		return -1;
	return rep->left || rep->held_total || rc != V_DONE ? 1 : 0;
}

int upload_run_once(const char *state_dir, const char *url_override, struct upload_report *rep)
{
	return upload_run_once_timeout(state_dir, url_override, 0, rep);
}

/* ---- the background uploader (kiosk) ---- */

struct uploader {
	struct device_config cfg;      /* the caller's, copied: the thread opens its outbox */
	struct link l;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;             /* on CLOCK_MONOTONIC: NTP steps never stretch a wait */
	int kicked;                    /* under mu */
	int netwake;                   /* under mu: the network changed since the last pass */
	unsigned netgen;               /* atomic: bumped on each change (aborts a stale connect) */
	struct platform_netwatch *nw;  /* NULL where the system gives no network events */
	void (*notify)(void *);        /* under mu: told after each pass (wakes the UI loop) */
	void *notify_arg;
	int stop;                      /* atomic: also read by the transfer's progress callback */
	struct upload_status st;       /* under mu */
	long long visits_due;          /* thread only: when to ask for visits again (mono_s) */
};

/* Seconds on the monotonic clock (never stepped, not persisted). */
static long long mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

/* Earliest retry time of a waiting row, for the thread's sleep. */
static int earliest_cb(const struct outbox_row *r, void *arg)
{
	long long *min = arg;

	if (!r->held && (*min == 0 || r->next_attempt_at < *min))
		*min = r->next_attempt_at;
	return 0;
}

/* Publishes the outbox counts (the host screen sees a new record before it is sent);
 * returns how many crisis rows wait, 0 when the counts could not be read. */
static int publish_counts(struct uploader *u, struct outbox *ob)
{
	struct outbox_counts c;

	if (outbox_counts(ob, &c) < 0)
		return 0;
	pthread_mutex_lock(&u->mu);
	u->st.pending = c.pending;
	u->st.held = c.held;
	u->st.crisis_pending = c.crisis_pending;
	pthread_mutex_unlock(&u->mu);
	return c.crisis_pending;
}

/* Records what a pass learned for upload_status and tells the UI loop. */
static void publish_pass(struct uploader *u, int rc, const struct upload_report *rep, const char *why)
{
	void (*notify)(void *);
	void *notify_arg;

	pthread_mutex_lock(&u->mu);
	u->st.last_attempt = time(NULL);
	if (rep->created + rep->already)
		u->st.last_success = time(NULL);
	if (rc != V_DONE || rep->created + rep->already)
		u->st.blocked = rc == V_BLOCK;
	if (rc != V_DONE || rep->created + rep->already)   /* an idle pass keeps the last reason */
		snprintf(u->st.last_error, sizeof(u->st.last_error), "%s",
			 rc == V_DONE ? "" : rc < 0 ? "the outbox could not be read" : why);
	notify = u->notify;
	notify_arg = u->notify_arg;
	pthread_mutex_unlock(&u->mu);
	if (notify)
		notify(notify_arg);
}

/* The seconds to wait after a pass that ended with rc. A waiting crisis row is probed
 * every few seconds (a store back on the same network sends no event). */
static long pass_wait(struct outbox *ob, int rc, int *fails, long retry_after, int crisis)
{
	long long next = 0;
	long wait = THREAD_IDLE_WAIT_S;

	if (rc == V_DONE && outbox_list(ob, earliest_cb, &next) == 0 && next > 0)
		wait = (long)(next - (long long)time(NULL));
	if (rc == V_RETRY) {
		wait = backoff_ms(++*fails, 1000, THREAD_MAX_BACKOFF_S * 1000L, retry_after) / 1000;
		if (crisis && wait > CRISIS_MAX_BACKOFF_MS / 1000 && retry_after <= CRISIS_MAX_BACKOFF_MS / 1000)
			wait = CRISIS_MAX_BACKOFF_MS / 1000;
	} else if (rc == V_BLOCK) {
		wait = THREAD_BLOCKED_WAIT_S;
	} else if (rc < 0) {
		wait = 60;
	} else {
		*fails = 0;
	}
	return wait < 1 ? 1 : wait > THREAD_IDLE_WAIT_S && rc != V_BLOCK ? THREAD_IDLE_WAIT_S : wait;
}

/* Runs one drain and publishes what it learned; returns the seconds to wait. everything:
 * send every row now, whatever its retry time (the network just changed). */
static long thread_pass(struct uploader *u, struct outbox *ob, int *fails, int everything)
{
	struct upload_report rep = { 0 };
	struct pass p = { .ob = ob, .l = &u->l, .due = (long long)time(NULL), .rep = &rep };
	int rc;

	if (everything) {
		p.due = LLONG_MAX / 2;
		*fails = 0;
	}
	publish_counts(u, ob);
	rc = drain(&p);
	if (rc == V_DONE && mono_s() >= u->visits_due) {
		visits_pass(&u->l, &u->cfg, NULL);
		u->visits_due = mono_s() + VISITS_EVERY_S;
	}
	report_counts(ob, &rep);
	publish_pass(u, rc, &rep, p.why);
	return pass_wait(ob, rc, fails, p.retry_after, publish_counts(u, ob));
}

/*
 * Sleeps until the deadline, a kick, a network change or stop. Returns 1 when stopping;
 * *netwake says whether the network changed meanwhile.
 */
static int thread_wait(struct uploader *u, long seconds, int *netwake)
{
	struct timespec until;
	int stop;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += seconds;
	pthread_mutex_lock(&u->mu);
	while (!u->kicked && !u->netwake && !__atomic_load_n(&u->stop, __ATOMIC_ACQUIRE))
		if (pthread_cond_timedwait(&u->cv, &u->mu, &until) == ETIMEDOUT)
			break;
	u->kicked = 0;
	*netwake = u->netwake;
	u->netwake = 0;
	stop = __atomic_load_n(&u->stop, __ATOMIC_ACQUIRE);
	pthread_mutex_unlock(&u->mu);
	return stop;
}

/* 1 when the wall clock was stepped back since the last call (NTP): rows then carry retry
 * times that lie too far ahead, so the next pass sends everything. */
static int clock_stepped_back(long long *offset)
{
	long long now = (long long)time(NULL) - mono_s();
	int back = *offset && now < *offset - CLOCK_STEP_S;

	*offset = now;
	return back;
}

static void *thread_main(void *arg)
{
	struct uploader *u = arg;
	struct outbox *ob = NULL;
	long long blocked_until = 0, offset = 0;
	int fails = 0, netwake = 0;
	long wait = 1;

	if (open_outbox(&u->cfg, &ob) < 0) {
		pthread_mutex_lock(&u->mu);
		snprintf(u->st.last_error, sizeof(u->st.last_error), "the outbox could not be opened");
		pthread_mutex_unlock(&u->mu);
		return NULL;
	}
	do {
		if (netwake)
			blocked_until = 0;   /* a new network may reach a store that accepts us */
		if (mono_s() < blocked_until) {
			publish_counts(u, ob);
			continue;
		}
		wait = thread_pass(u, ob, &fails, netwake || clock_stepped_back(&offset));
		blocked_until = u->st.blocked ? mono_s() + wait : 0;
	} while (!thread_wait(u, blocked_until ? blocked_until - mono_s() : wait, &netwake));
	outbox_close(ob);
	return NULL;
}

void upload_network_changed(struct uploader *u)
{
	if (!u)
		return;
	__atomic_add_fetch(&u->netgen, 1, __ATOMIC_ACQ_REL);
	pthread_mutex_lock(&u->mu);
	u->netwake = 1;
	pthread_cond_signal(&u->cv);
	pthread_mutex_unlock(&u->mu);
}

static void on_network_change(void *arg)
{
	upload_network_changed(arg);
}

/* The condition variable times its waits on CLOCK_MONOTONIC. */
static int monotonic_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t a;
	int rc;

	if (pthread_condattr_init(&a) != 0)
		return -1;
	rc = pthread_condattr_setclock(&a, CLOCK_MONOTONIC) == 0 && pthread_cond_init(cv, &a) == 0 ? 0 : -1;
	pthread_condattr_destroy(&a);
	return rc;
}

int upload_start(const char *state_dir, struct uploader **out)
{
	struct device_config cfg;

	*out = NULL;
	return config_load(state_dir, &cfg) < 0 ? -1 : upload_start_for(&cfg, out);
}

int upload_start_for(const struct device_config *cfg, struct uploader **out)
{
	struct uploader *u = calloc(1, sizeof(*u));

	*out = NULL;
	if (!u)
		return error("out of memory");
	signal(SIGPIPE, SIG_IGN);
	u->cfg = *cfg;
	if (link_open(&u->l, cfg, NULL, DEFAULT_TIMEOUT_S, &u->stop) < 0) {
		free(u);
		return -1;
	}
	u->l.netgen = &u->netgen;
	pthread_mutex_init(&u->mu, NULL);
	if (monotonic_cond_init(&u->cv) < 0) {
		link_close(&u->l);
		pthread_mutex_destroy(&u->mu);
		free(u);
		return error("cannot set up the uploader's monotonic clock");
	}
	if (pthread_create(&u->th, NULL, thread_main, u) != 0) {
		link_close(&u->l);
		pthread_mutex_destroy(&u->mu);
		pthread_cond_destroy(&u->cv);
		free(u);
		return error("cannot start the uploader thread");
	}
	if (platform_netwatch_start(on_network_change, u, &u->nw) < 0)
		u->nw = NULL;   /* no network events here: the timer and the crisis probe remain */
	*out = u;
	return 0;
}

void upload_kick(struct uploader *u)
{
	if (!u)
		return;
	pthread_mutex_lock(&u->mu);
	u->kicked = 1;
	pthread_cond_signal(&u->cv);
	pthread_mutex_unlock(&u->mu);
}

void upload_set_notify(struct uploader *u, void (*fn)(void *arg), void *arg)
{
	if (!u)
		return;
	pthread_mutex_lock(&u->mu);
	u->notify = fn;
	u->notify_arg = arg;
	pthread_mutex_unlock(&u->mu);
}

void upload_status(struct uploader *u, struct upload_status *st)
{
	memset(st, 0, sizeof(*st));
	if (!u)
		return;
	pthread_mutex_lock(&u->mu);
	*st = u->st;
	pthread_mutex_unlock(&u->mu);
}

void upload_stop(struct uploader *u)
{
	if (!u)
		return;
	platform_netwatch_stop(u->nw);   /* no more wakes from here on */
	pthread_mutex_lock(&u->mu);
	__atomic_store_n(&u->stop, 1, __ATOMIC_RELEASE);
	pthread_cond_signal(&u->cv);
	pthread_mutex_unlock(&u->mu);
	pthread_join(u->th, NULL);
	link_close(&u->l);
	pthread_mutex_destroy(&u->mu);
	pthread_cond_destroy(&u->cv);
	free(u);
}

/*
 * visitbox.c — visits from the office on a field device (visitbox.h): fetched over the
 * uploader's link at each sync, kept as received, opened only after the consultant's
 * unlock (visit_open), put aside when they do not open, erased after the intake or after
 * visit_days.
 */
#include "sync/device/visitbox.h"
#include "sync/device/config.h"
#include "sync/device/consultant.h"
#include "sync/device/draft.h"
#include "sync/record/visit.h"
#include "sync/record/wire.h"
#include "platform/util.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS_MAX 16                     /* GETs per consultant and sync (64 visits each) */
#define ANSWER_MAX (64 * 4 / 3 * (size_t)VISITBOX_FILE_MAX + 64 * 1024)

static int valid_visit_id(const char *id)
{
	size_t n = id ? strlen(id) : 0;

	if (n != VISIT_ID_MAX - 1)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return 0;
	return 1;
}

/* STATE/visits/CONSULTANT[/SUB] into buf. */
static int folder(const char *state_dir, const char *consultant, const char *sub, char *buf,
		  size_t size)
{
	if (!visit_consultant_id_ok(consultant))
		return error("not a consultant id");
	return util_fmt(buf, size, "%s/visits/%s%s%s", state_dir, consultant, sub ? "/" : "",
			sub ? sub : "") < 0 ? -1 : 0;
}

static int visit_path(const char *state_dir, const char *consultant, const char *sub,
		      const char *id, char *buf, size_t size)
{
	char dir[4200];

	if (!valid_visit_id(id))
		return error("not a visit id");
	if (folder(state_dir, consultant, sub, dir, sizeof(dir)) < 0)
		return -1;
	return util_fmt(buf, size, "%s/%s.cms", dir, id) < 0 ? -1 : 0;
}

int visitbox_keep(const char *state_dir, const char *consultant, const char *visit_id,
		  const unsigned char *der, size_t len)
{
	char top[4200], dir[4200], path[4400], aside[4400], done[4400];

	if (len == 0 || len > VISITBOX_FILE_MAX)
		return error("a visit envelope of %zu bytes is refused", len);
	if (util_fmt(top, sizeof(top), "%s/visits", state_dir) < 0 ||
	    folder(state_dir, consultant, NULL, dir, sizeof(dir)) < 0 ||
	    visit_path(state_dir, consultant, NULL, visit_id, path, sizeof(path)) < 0 ||
	    visit_path(state_dir, consultant, "aside", visit_id, aside, sizeof(aside)) < 0 ||
	    util_fmt(done, sizeof(done), "%s/%s.done", dir, visit_id) < 0)
		return -1;
	if (access(path, F_OK) == 0 || access(aside, F_OK) == 0 || access(done, F_OK) == 0)
		return 0;   /* kept, refused, or done with (its DELETE got lost): not again */
	if (util_mkdirs(top, 0700) < 0 || util_mkdirs(dir, 0700) < 0)
		return -1;
	return util_write_file(path, der, len, 0600);
}

/* Calls fn for each kept visit id of consultant; stale temporary files of a killed write
 * are erased on the way. Returns the number of calls that returned 0, or -1. */
static int each_visit(const char *state_dir, const char *consultant,
		      int (*fn)(const char *dir, const char *id, void *arg), void *arg)
{
	char dir[4200];

	if (folder(state_dir, consultant, NULL, dir, sizeof(dir)) < 0)
		return -1;
	return draft_each_file(dir, ".cms", fn, arg);
}

/* ---- opening ---- */

/* What opening needs: the consultant's key, certificate and the pinned CA. */
struct opener {
	const char *state_dir, *consultant;
	const unsigned char *key;
	size_t key_len;
	char cert[4200], ca[4200];
};

static int opener_init(struct opener *o, const char *state_dir, const char *consultant,
		       const unsigned char *key, size_t key_len)
{
	o->state_dir = state_dir;
	o->consultant = consultant;
	o->key = key;
	o->key_len = key_len;
	return consultant_file(state_dir, consultant, "pem", o->cert, sizeof(o->cert)) < 0 ||
	       util_fmt(o->ca, sizeof(o->ca), "%s/" STATE_CA, state_dir) < 0 ? -1 : 0;
}

/* Moves a visit that does not open to the aside folder, under a name not yet taken. */
static void put_aside(const struct opener *o, const char *id, const char *path)
{
	char dir[4200], dest[4400];

	if (folder(o->state_dir, o->consultant, "aside", dir, sizeof(dir)) < 0 ||
	    util_mkdirs(dir, 0700) < 0)
		return;
	for (int n = 0; n < 1000; n++) {
		if (util_fmt(dest, sizeof(dest), n ? "%s/%s.%d.cms" : "%s/%s.cms", dir, id, n) < 0)
			return;
		if (access(dest, F_OK) != 0)
			break;
	}
	if (rename(path, dest) < 0)
		warning("cannot move the refused visit %s aside: %s", id, strerror(errno));
}

/*
 * Opens the kept visit id: 0 with *doc (caller json_decref; it wipes on free where the
 * program set util_json_wipe_on_free), 1 when it was refused and moved aside (a clear
 * message printed, no content), -1 on an I/O error.
 */
static int open_visit(const struct opener *o, const char *id, json_t **doc)
{
	char path[4400], why[256] = "", *buf = NULL, *json = NULL;
	size_t len = 0, jlen = 0;
	const char *who, *vid;
	int rc;

	*doc = NULL;
	if (visit_path(o->state_dir, o->consultant, NULL, id, path, sizeof(path)) < 0 ||
	    util_read_file(path, VISITBOX_FILE_MAX, &buf, &len) < 0)
		return -1;
	rc = visit_open((unsigned char *)buf, len, o->key, o->key_len, o->cert, o->ca,
			o->consultant, &json, &jlen, why, sizeof(why));
	free(buf);
	if (rc == 0)
		*doc = json_loadb(json, jlen, JSON_REJECT_DUPLICATES, NULL);
	util_clear_free(json);
	who = json_string_value(json_object_get(*doc, "consultant"));
	vid = json_string_value(json_object_get(*doc, VISIT_F_ID));
	if (rc == 0 && (!json_is_object(*doc) || !who || strcmp(who, o->consultant) || !vid ||
			strcmp(vid, id) || !json_is_string(json_object_get(*doc, "reference")))) {
		snprintf(why, sizeof(why), "its contents are not this visit for this consultant");
		rc = -1;
	}
	if (rc == 0)
		return 0;
	json_decref(*doc);
	*doc = NULL;
	error("visit %s of %s does not open (%s): kept aside in visits/%s/aside/ for ICT", id,
	      o->consultant, why[0] ? why : "refused", o->consultant);
	put_aside(o, id, path);
	return 1;
}

static void copy_str(char *dst, size_t size, const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	snprintf(dst, size, "%s", s ? s : "");
}

/* 1 when the visit's crisis is "unknown" or names anything but "none". */
static int doc_crisis(const json_t *doc)
{
	const json_t *c = json_object_get(doc, "crisis"), *e;
	size_t i;

	if (json_is_string(c))
		return strcmp(json_string_value(c), "none") != 0;
	json_array_foreach(c, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), "none"))
			return 1;
	return 0;
}

/* The crisis kinds as one comma-separated list ("unknown" as such); each an answer id of
 * the form ([a-z_], as the visit's checks let through), "none" left out. */
static void doc_kinds(const json_t *doc, char *out, size_t size)
{
	const json_t *c = json_object_get(doc, "crisis"), *e;
	size_t i, n = 0;

	out[0] = '\0';
	if (json_is_string(c) && !strcmp(json_string_value(c), "unknown")) {
		snprintf(out, size, "unknown");
		return;
	}
	json_array_foreach(c, i, e) {
		const char *k = json_string_value(e);
		if (!k || !strcmp(k, "none") || strspn(k, "abcdefghijklmnopqrstuvwxyz_") != strlen(k) ||
		    n + strlen(k) + 2 > size)
			continue;
		n += (size_t)snprintf(out + n, size - n, "%s%s", n ? "," : "", k);
	}
}

/* The file's time: when the device stored the visit (-1 when it cannot be read). */
static long long kept_at(const char *dir, const char *id)
{
	char path[4400];
	struct stat st;

	if (util_fmt(path, sizeof(path), "%s/%s.cms", dir, id) < 0 || stat(path, &st) < 0)
		return -1;
	return (long long)st.st_mtime;
}

/* A reference without dashes or spaces, in upper case: one typed "k7qf-2m9d" and one the
 * office wrote "K7QF-2M9D" (or "K7QF2M9D") compare equal. */
static void plain_ref(const char *in, char out[16])
{
	size_t n = 0;

	for (; in && *in && n + 1 < 16; in++)
		if (*in != '-' && *in != ' ')
			out[n++] = (char)(*in >= 'a' && *in <= 'z' ? *in - 'a' + 'A' : *in);
	out[n] = '\0';
}

/* The reference as the receipt prints it: "K7QF2M9D" becomes "K7QF-2M9D". */
static void shown_ref(const json_t *doc, char out[16])
{
	char plain[16];

	plain_ref(json_string_value(json_object_get(doc, "reference")), plain);
	if (strlen(plain) == 8)
		snprintf(out, 16, "%.4s-%.4s", plain, plain + 4);
	else
		snprintf(out, 16, "%s", plain);
}

static void fill_info(struct visit_info *v, const char *dir, const char *id, const json_t *doc,
		      int visit_days, long long now)
{
	memset(v, 0, sizeof(*v));
	snprintf(v->id, sizeof(v->id), "%s", id);
	shown_ref(doc, v->reference);
	copy_str(v->name, sizeof(v->name), doc, "name");
	copy_str(v->contact, sizeof(v->contact), doc, "contact");
	copy_str(v->phone, sizeof(v->phone), doc, "phone");
	copy_str(v->email, sizeof(v->email), doc, "email");
	copy_str(v->postcode, sizeof(v->postcode), doc, "postcode");
	copy_str(v->house_number, sizeof(v->house_number), doc, "house_number");
	copy_str(v->crisis_date, sizeof(v->crisis_date), doc, "crisis_date");
	copy_str(v->deadline, sizeof(v->deadline), doc, "deadline");
	v->crisis = doc_crisis(doc);
	doc_kinds(doc, v->kinds, sizeof(v->kinds));
	v->acuut = json_is_true(json_object_get(doc, "acuut"));
	v->received = kept_at(dir, id);
	v->days_left = visit_days - (int)((now - v->received) / 86400);
}

struct list_ctx {
	struct opener o;
	int days, max, n, aside;
	long long now;
	struct visit_info *out;
};

static int list_one(const char *dir, const char *id, void *arg)
{
	struct list_ctx *l = arg;
	json_t *doc;
	int rc;

	if (l->n >= l->max)
		return 1;
	rc = open_visit(&l->o, id, &doc);
	if (rc != 0) {
		l->aside += rc == 1;
		return 1;
	}
	fill_info(&l->out[l->n++], dir, id, doc, l->days, l->now);
	json_decref(doc);
	return 0;
}

/* Crisis first, then by deadline (the legal one: the earliest first), then by id. */
static int crisis_then_deadline(const void *a, const void *b)
{
	const struct visit_info *x = a, *y = b;
	int c = (y->crisis || y->acuut) - (x->crisis || x->acuut);

	if (c)
		return c;
	c = strcmp(x->deadline, y->deadline);
	return c ? c : strcmp(x->id, y->id);
}

int visitbox_list(const char *state_dir, const char *consultant, const unsigned char *key_der,
		  size_t key_len, int visit_days, struct visit_info *out, int max, int *aside)
{
	struct list_ctx l = { .days = visit_days, .max = max, .now = (long long)time(NULL), .out = out };

	if (aside)
		*aside = 0;
	if (opener_init(&l.o, state_dir, consultant, key_der, key_len) < 0 ||
	    each_visit(state_dir, consultant, list_one, &l) < 0) {
		visitbox_clear(out, l.n);
		return -1;
	}
	qsort(out, (size_t)l.n, sizeof(*out), crisis_then_deadline);
	if (aside)
		*aside = l.aside;
	return l.n;
}

/* Erases the visit id in dir and leaves an empty ID.done, so that the same visit sent
 * again (the server missed our DELETE) is not kept again. 0 or -1. */
static int erase_visit(const char *dir, const char *id)
{
	char path[4400], done[4400];

	if (util_fmt(path, sizeof(path), "%s/%s.cms", dir, id) < 0 ||
	    util_fmt(done, sizeof(done), "%s/%s.done", dir, id) < 0 ||
	    util_write_file(done, "", 0, 0600) < 0)
		return -1;
	return draft_erase_file(path);
}

struct ref_ctx {
	struct opener o;
	const char *ref;
};

static int erase_if_ref(const char *dir, const char *id, void *arg)
{
	struct ref_ctx *r = arg;
	char got[16];
	json_t *doc;

	if (open_visit(&r->o, id, &doc) != 0)
		return 1;
	plain_ref(json_string_value(json_object_get(doc, "reference")), got);
	json_decref(doc);
	return strcmp(got, r->ref) || erase_visit(dir, id) < 0;
}

int visitbox_erase_ref(const char *state_dir, const char *consultant,
		       const unsigned char *key_der, size_t key_len, const char *ref)
{
	struct ref_ctx r;
	char want[16];

	if (!ref || !*ref)
		return 0;
	plain_ref(ref, want);
	r.ref = want;
	if (opener_init(&r.o, state_dir, consultant, key_der, key_len) < 0)
		return -1;
	return each_visit(state_dir, consultant, erase_if_ref, &r);
}

struct expire_ctx { long long cutoff; };

static int expire_one(const char *dir, const char *id, void *arg)
{
	struct expire_ctx *x = arg;
	long long at = kept_at(dir, id);

	return at < 0 || at > x->cutoff || erase_visit(dir, id) < 0;
}

int visitbox_expire(const char *state_dir, const char *consultant, int days, long long now)
{
	struct expire_ctx x = { now - (long long)days * 86400 };

	return days > 0 ? each_visit(state_dir, consultant, expire_one, &x) : 0;
}

int visitbox_aside_count(const char *state_dir, const char *consultant)
{
	char dir[4200];
	struct dirent *e;
	DIR *d;
	int n = 0;

	if (folder(state_dir, consultant, "aside", dir, sizeof(dir)) < 0 || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

int visitbox_remove_all(const char *state_dir, const char *consultant)
{
	char dir[4200], aside[4200];

	if (folder(state_dir, consultant, NULL, dir, sizeof(dir)) < 0 ||
	    folder(state_dir, consultant, "aside", aside, sizeof(aside)) < 0 ||
	    draft_erase_folder(aside) < 0)
		return -1;
	return draft_erase_folder(dir);
}

void visitbox_clear(struct visit_info *v, int n)
{
	if (v && n > 0)
		util_cleanse(v, (size_t)n * sizeof(*v));
}

/* ---- fetching ---- */

/* Keeps a recall that does not verify aside (STATE/visits/ID/aside/RECALLID.recall) for
 * ICT; it erases nothing. */
static void recall_aside(const char *state_dir, const char *consultant, const char *id,
			 const unsigned char *der, size_t len)
{
	char dir[4200], path[4400];

	if (folder(state_dir, consultant, "aside", dir, sizeof(dir)) < 0 || util_mkdirs(dir, 0700) < 0 ||
	    util_fmt(path, sizeof(path), "%s/%s.recall", dir, id) < 0 ||
	    util_write_file(path, der, len, 0600) < 0)
		warning("cannot keep the refused recall %s aside", id);
}

/* A recall from the office (visit.h): verified against the pinned CA before anything is
 * erased; then each visit it names is erased (an ID.done stays, so a copy still on its way
 * is not kept). One that does not verify erases nothing and is kept aside. 0 when acted
 * on or kept aside (the server may delete it), -1 on a local error. */
static int take_recall(const char *state_dir, const char *consultant, const char *id,
		       const unsigned char *der, size_t len)
{
	char ca[4200], dir[4200], top[4200], why[256], ids[VISIT_RECALL_MAX][33];
	size_t n = 0;

	if (util_fmt(ca, sizeof(ca), "%s/" STATE_CA, state_dir) < 0 ||
	    util_fmt(top, sizeof(top), "%s/visits", state_dir) < 0 ||
	    folder(state_dir, consultant, NULL, dir, sizeof(dir)) < 0)
		return -1;
	if (visit_recall_verify(der, len, ca, id, consultant, ids, VISIT_RECALL_MAX, &n, why, sizeof(why)) < 0) {
		error("recall %s for %s refused (%s): no visit erased; kept aside in visits/%s/aside/ for ICT",
		      id, consultant, why, consultant);
		recall_aside(state_dir, consultant, id, der, len);
		return 0;
	}
	if (util_mkdirs(top, 0700) < 0 || util_mkdirs(dir, 0700) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (erase_visit(dir, ids[i]) < 0)
			return -1;
		util_log("field", "visit %s of %s recalled by the office (recall %s): erased", ids[i],
			 consultant, id);
	}
	return 0;
}

/* Stores one {"id", "envelope"} of the answer, then deletes it on the server. 1 when it
 * was stored and deleted, 0 when the server kept it (tried again next sync), -1 on a local
 * error or a malformed entry. */
static int take_one(const struct device_config *cfg, const struct visitbox_link *link,
		    const char *consultant, const json_t *v)
{
	const char *id = json_string_value(json_object_get(v, "id"));
	const char *b64 = json_string_value(json_object_get(v, "envelope"));
	const char *kind = json_string_value(json_object_get(v, "kind"));
	unsigned char *der;
	char path[256], why[256], *body = NULL;
	size_t len = 0, blen = 0;
	long status = 0;
	int rc;

	if (!valid_visit_id(id) || !b64 || strlen(b64) > VISITBOX_FILE_MAX / 3 * 4 + 8)
		return error("the case store's visit list holds a malformed entry");
	if (!(der = malloc(strlen(b64))))
		return error("out of memory");
	rc = sodium_base642bin(der, strlen(b64), b64, strlen(b64), NULL, &len, NULL,
			       sodium_base64_VARIANT_ORIGINAL) == 0 ? 0 : error("visit %s is not base64", id);
	if (rc == 0 && kind && !strcmp(kind, "recall"))
		rc = take_recall(cfg->dir, consultant, id, der, len);    /* acted on before DELETE */
	else if (rc == 0)
		rc = visitbox_keep(cfg->dir, consultant, id, der, len);   /* fsync'd before DELETE */
	free(der);
	if (rc < 0 || util_fmt(path, sizeof(path), WIRE_CONSULTANTS_PATH "%s/visits/%s", consultant, id) < 0)
		return -1;
	rc = link->request(link->ctx, "DELETE", path, 4096, &body, &blen, &status, why, sizeof(why));
	free(body);
	return rc == 0 && status == WIRE_NO_CONTENT;
}

/* Stores the visits of one answer; returns how many were stored and deleted on the
 * server, -1 when the answer is malformed. */
static int take_answer(const struct device_config *cfg, const struct visitbox_link *link,
		       const char *consultant, const char *body, size_t len, struct visitbox_report *rep)
{
	json_t *doc = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL), *list, *v;
	const char *who = json_string_value(json_object_get(doc, "consultant"));
	size_t i;
	int n = -1;

	list = json_object_get(doc, "visits");
	if (who && !strcmp(who, consultant) && json_is_array(list)) {
		n = 0;
		json_array_foreach(list, i, v) {
			int rc = take_one(cfg, link, consultant, v);
			if (rc < 0) {
				n = -1;
				break;
			}
			n += rc;
		}
		rep->received += n > 0 ? n : 0;
	} else {
		error("the case store's visit list for %s is malformed", consultant);
	}
	json_decref(doc);
	return n;
}

/* Acts on an answer other than 200: 410 removes the consultant, anything else is one log
 * line (ids and codes only). 0, or -1 when the removal failed. */
static int refused(const struct device_config *cfg, const char *consultant, long status,
		   struct visitbox_report *rep)
{
	if (status == WIRE_GONE) {
		warning("consultant %s was disabled by the office (410): removed from this device",
			consultant);
		rep->removed++;
		return consultant_remove(cfg->dir, consultant);
	}
	if (status == WIRE_NOT_FOUND)
		rep->unknown++;
	else
		rep->failed++;
	warning("visits for %s: the case store answered HTTP %ld%s", consultant, status,
		status == WIRE_NOT_FOUND ? " (not registered for this device)" : "");
	return 0;
}

/* One consultant: GET until an answer is not a full one (all of it stored and deleted). */
static int fetch_consultant(const struct device_config *cfg, const struct visitbox_link *link,
			    const char *consultant, struct visitbox_report *rep)
{
	char path[256], why[256], *body = NULL;
	size_t len = 0;
	long status = 0;
	int n = VISITBOX_MAX;

	if (util_fmt(path, sizeof(path), WIRE_CONSULTANTS_PATH "%s/visits", consultant) < 0)
		return -1;
	for (int round = 0; round < ROUNDS_MAX && n >= VISITBOX_MAX; round++) {
		if (link->request(link->ctx, "GET", path, ANSWER_MAX, &body, &len, &status, why,
				  sizeof(why)) < 0) {
			rep->failed++;
			warning("visits for %s not fetched: %s", consultant, why);
			return 0;
		}
		if (status != WIRE_ALREADY) {   /* 200: the list */
			free(body);
			return refused(cfg, consultant, status, rep);
		}
		n = take_answer(cfg, link, consultant, body, len, rep);
		free(body);
		body = NULL;
		if (n < 0)
			rep->failed++;
	}
	return 0;
}

int visitbox_sync(const struct device_config *cfg, const struct visitbox_link *link,
		  struct visitbox_report *rep)
{
	char ids[CONSULTANT_MAX][CONSULTANT_ID_MAX];
	int n = consultant_list(cfg->dir, ids, CONSULTANT_MAX), rc = 0;

	memset(rep, 0, sizeof(*rep));
	for (int i = 0; i < n; i++) {
		if (visitbox_expire(cfg->dir, ids[i], cfg->visit_days, (long long)time(NULL)) < 0)
			rc = -1;
		if (consultant_has_cert(cfg->dir, ids[i]) && fetch_consultant(cfg, link, ids[i], rep) < 0)
			rc = -1;
	}
	return n < 0 ? -1 : rc;
}

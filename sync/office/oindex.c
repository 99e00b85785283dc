/*
 * oindex.c — filling the worklist index from the case store (oindex.h): new envelopes as
 * they arrive, the refused ones again at start (the keys or the rules may have changed),
 * and once the sealed list fields of rows indexed before those existed.
 */
#include "sync/record/record.h"
#include "sync/office/oindex.h"
#include "sync/office/odb.h"
#include "sync/office/openrec.h"
#include "sync/office/vault.h"
#include "sync/record/seal.h"
#include "sync/casestore/store.h"
#include "sync/rules/triage.h"
#include "platform/util.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 256         /* rows opened together and committed in one transaction */
#define MAX_THREADS 8

/* One envelope of a batch: a copy of its store row, then what a worker made of it. */
struct entry {
	struct store_row row;     /* points into id, device and body below */
	char id[40], device[64];
	unsigned char *body;
	int rc;                   /* enum openrec_result */
	char why[256];
	struct opened op;
	unsigned char *person;    /* the sealed list fields (vault.h), person_len bytes */
	size_t person_len;
};

/* What a batch is for: new rows, refused rows tried again, or sealed fields filled in. */
enum fill_mode { FILL_NEW, FILL_RETRY, FILL_PERSON };

struct filler {
	sqlite3 *db;
	const struct openrec *k;
	const struct vault *v;
	enum fill_mode mode;
	sqlite3_stmt *known, *ins, *bad, *gone, *seal;   /* gone, seal: FILL_RETRY, FILL_PERSON */
	struct entry batch[BATCH];
	size_t n;                 /* entries in batch */
	size_t next;              /* the next entry a worker takes (atomic) */
	int threads;
	long long added;          /* rows added to records (FILL_PERSON: rows given their fields) */
	long long since;          /* the store's position of the last row indexed */
};

void oindex_norm_ref(const char *in, char out[16])
{
	size_t k = 0;

	for (; *in && k < 15; in++) {
		char c = *in;
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if (c == 'O')   /* the reference alphabet has no O, I or L: what was meant is 0 or 1 */
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			break;
		out[k++] = c;
	}
	out[k] = '\0';
	if (*in || k != 8)
		out[0] = '\0';
}

void oindex_iso_week(struct ymd d, char out[16])
{
	struct ymd thu = ymd_add_days(d, 3 - ymd_weekday(d)), jan1 = { thu.y, 1, 1 };
	long yday = ymd_to_days(thu) - ymd_to_days(jan1);

	snprintf(out, 16, "%04d-W%02d", thu.y % 10000, (int)(yday / 7 + 1) % 100);
}

static const char *jstr(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* "eviction,water" from the crisis block's kinds. */
static void kinds_text(const json_t *crisis, char *buf, size_t size)
{
	size_t i, off = 0;
	json_t *k;

	buf[0] = '\0';
	json_array_foreach(json_object_get(crisis, "kinds"), i, k)
		if (json_is_string(k) && off < size)
			off += (size_t)snprintf(buf + off, size - off, "%s%s", off ? "," : "", json_string_value(k));
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Binds the index columns of e's record; -1 with the reason when a field it needs is absent. */
static int bind_record(sqlite3_stmt *st, const struct entry *e, char *why, size_t size)
{
	const json_t *rec = e->op.rec, *crisis = json_object_get(rec, "crisis"), *dl = json_object_get(rec, "deadline");
	const char *created = jstr(rec, "created_at"), *legal = jstr(dl, "legal");
	char day[11], week[16], ref[12], norm[16], kinds[128], due[11];
	struct ymd d, l;

	if (!created || strlen(created) < 16 || (snprintf(day, sizeof(day), "%.10s", created), ymd_parse(day, &d)) < 0)
		return snprintf(why, size, "record has no usable created_at"), -1;
	if (!legal || ymd_parse(legal, &l) < 0 || openrec_due(rec, &l) < 0)
		return snprintf(why, size, "record has no legal deadline"), -1;
	ymd_format(l, due);
	oindex_iso_week(d, week);
	record_ref_from_id(e->id, ref);
	oindex_norm_ref(ref, norm);
	kinds_text(crisis, kinds, sizeof(kinds));
	sqlite3_bind_text(st, 1, e->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, norm, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)e->row.received_at);
	sqlite3_bind_text(st, 4, created, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, week, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 7, atoi(created + 11));
	sqlite3_bind_text(st, 8, e->op.info.device_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 9, e->op.info.seq);
	bind_opt(st, 10, jstr(rec, "location") ? jstr(rec, "location") : "?");
	bind_opt(st, 11, jstr(rec, "language") ? jstr(rec, "language") : "?");
	bind_opt(st, 12, jstr(rec, "mode") ? jstr(rec, "mode") : "?");
	sqlite3_bind_int(st, 13, json_is_true(json_object_get(crisis, "crisis")));
	sqlite3_bind_int(st, 14, json_is_true(json_object_get(crisis, "acuut")));
	sqlite3_bind_text(st, 15, kinds, -1, SQLITE_TRANSIENT);
	bind_opt(st, 16, jstr(crisis, "known_date"));
	bind_opt(st, 17, legal);
	sqlite3_bind_text(st, 18, due, -1, SQLITE_TRANSIENT);   /* acuut: call today */
	bind_opt(st, 19, jstr(dl, "kind"));
	bind_opt(st, 20, jstr(dl, "holidays_version"));
	bind_opt(st, 21, jstr(json_object_get(rec, "answers"), "interpreter_language"));
	sqlite3_bind_int64(st, 22, (sqlite3_int64)e->op.info.revoked_at);
	if (e->person)
		sqlite3_bind_blob(st, 23, e->person, (int)e->person_len, SQLITE_STATIC);
	return 0;
}

json_t *oindex_person(const json_t *rec)
{
	static const char *const keys[] = { "name", "contact", "phone", "email" };
	const json_t *a = json_object_get(rec, "answers");
	const char *how = jstr(a, "contact");
	json_t *p = json_object();

	for (size_t i = 0; p && i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = jstr(a, keys[i]);
		/* only the way the resident chose: no second phone number in the list */
		if (v && (i < 2 || (how && !strcmp(how, keys[i]))))
			json_object_set_new(p, keys[i], json_string(v));
	}
	return p;
}

/* The worker's part of one entry: open it the office's one way, seal its list fields. */
static void open_entry(struct filler *f, struct entry *e)
{
	json_t *p;
	char *text;

	e->rc = openrec_row(f->k, &e->row, &e->op, e->why, sizeof(e->why));
	if (e->rc != OPENREC_OK || !f->v)
		return;
	p = oindex_person(e->op.rec);
	text = p ? json_dumps(p, JSON_COMPACT) : NULL;
	json_decref(p);
	if (text && vault_seal(f->v, e->id, text, strlen(text), &e->person, &e->person_len) < 0)
		e->person = NULL;   /* the row then opens its envelope when shown */
	if (text)
		util_cleanse(text, strlen(text));
	util_clear_free(text);
}

static void *worker(void *arg)
{
	struct filler *f = arg;
	size_t i;

	while ((i = __atomic_fetch_add(&f->next, 1, __ATOMIC_RELAXED)) < f->n)
		open_entry(f, &f->batch[i]);
	return NULL;
}

/* Opens the batch's envelopes on up to f->threads threads (this one included). */
static void open_batch(struct filler *f)
{
	pthread_t t[MAX_THREADS];
	int started = 0;

	f->next = 0;
	for (int i = 1; i < f->threads && (size_t)i < f->n; i++)
		if (pthread_create(&t[started], NULL, worker, f) == 0)
			started++;
	worker(f);
	for (int i = 0; i < started; i++)
		pthread_join(t[i], NULL);
}

static int put_unopened(struct filler *f, const struct entry *e, const char *why)
{
	sqlite3_stmt *st = f->bad;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, e->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, e->device, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)e->row.received_at);
	sqlite3_bind_text(st, 4, why, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? 0 : error("office index: %s", sqlite3_errmsg(f->db));
}

/* Runs st (bound to e's id as ?1) once. */
static int step_id(struct filler *f, sqlite3_stmt *st, const struct entry *e)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, e->id, -1, SQLITE_TRANSIENT);
	return sqlite3_step(st) == SQLITE_DONE ? 0 : error("office index: %s", sqlite3_errmsg(f->db));
}

/* FILL_PERSON: the row keeps its sealed list fields now; one that does not open (or could
 * not be sealed) stays as it was and opens its envelope when shown. */
static int store_person(struct filler *f, const struct entry *e)
{
	if (e->rc != OPENREC_OK || !e->person)
		return 0;
	sqlite3_reset(f->seal);
	sqlite3_bind_text(f->seal, 1, e->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(f->seal, 2, e->person, (int)e->person_len, SQLITE_STATIC);
	if (sqlite3_step(f->seal) != SQLITE_DONE)
		return error("office index: %s", sqlite3_errmsg(f->db));
	f->added += sqlite3_changes(f->db);
	return 0;
}

/* Writes one opened entry into the index (or into `unopened` with its reason: a retry
 * replaces the reason, and a retry that opens moves the row out of `unopened`). */
static int store_entry(struct filler *f, struct entry *e)
{
	char why[256] = "";
	int rc;

	if (f->mode == FILL_PERSON)
		return store_person(f, e);
	if (e->rc != OPENREC_OK)
		return put_unopened(f, e, e->why[0] ? e->why : "does not open");
	sqlite3_reset(f->ins);
	sqlite3_clear_bindings(f->ins);
	if (bind_record(f->ins, e, why, sizeof(why)) < 0)
		return put_unopened(f, e, why);
	rc = sqlite3_step(f->ins);
	if (rc != SQLITE_DONE)
		return error("office index: %s", sqlite3_errmsg(f->db));
	if (f->mode == FILL_RETRY && step_id(f, f->gone, e) < 0)
		return -1;
	f->added++;
	return 0;
}

static void entry_release(struct entry *e)
{
	opened_release(&e->op);
	free(e->body);
	free(e->person);
	memset(e, 0, sizeof(*e));
}

/* Opens and writes the batch in arrival order, then empties it. */
static int flush_batch(struct filler *f)
{
	int rc = 0;

	open_batch(f);
	for (size_t i = 0; i < f->n; i++) {
		if (rc == 0)
			rc = store_entry(f, &f->batch[i]);
		entry_release(&f->batch[i]);
	}
	f->n = 0;
	return rc;
}

static int is_known(struct filler *f, const char *id)
{
	int rc;

	sqlite3_reset(f->known);
	sqlite3_bind_text(f->known, 1, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(f->known);
	return rc == SQLITE_ROW;
}

/* The store position the index is filled up to (0: nothing yet). */
static long long load_since(sqlite3 *db)
{
	sqlite3_stmt *st = odb_prep(db, "SELECT value FROM meta WHERE key = 'store_since'");
	long long v = 0;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int save_since(sqlite3 *db, long long since)
{
	sqlite3_stmt *st = odb_prep(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('store_since', ?1)");
	int rc;

	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : error("office index: %s", sqlite3_errmsg(db));
}

/* Copies row into the batch (its pointers live only during this call). */
static int take_row(struct filler *f, const struct store_row *row)
{
	struct entry *e = &f->batch[f->n];

	memset(e, 0, sizeof(*e));
	if (util_fmt(e->id, sizeof(e->id), "%s", row->id) < 0 ||
	    util_fmt(e->device, sizeof(e->device), "%s", row->device) < 0)
		return error("office index: an odd id or device in the store");
	if (!(e->body = malloc(row->len ? row->len : 1)))
		return error("out of memory");
	memcpy(e->body, row->body, row->len);
	e->row = (struct store_row){ .id = e->id, .device = e->device, .received_at = row->received_at,
				     .body = e->body, .len = row->len };
	f->n++;
	return 0;
}

static int fill_row(const struct store_row *row, void *arg)
{
	struct filler *f = arg;

	if (is_known(f, row->id))
		return 0;
	if (take_row(f, row) < 0)
		return -1;
	if (f->n < BATCH)
		return 0;
	/* f->since lags this row by one: a crash here re-reads it, and is_known skips it */
	if (flush_batch(f) < 0 || save_since(f->db, f->since) < 0 || odb_exec(f->db, "COMMIT; BEGIN", "index batch") < 0)
		return -1;
	return 0;
}

static int cpu_count(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static void filler_free(struct filler *f);

/* A filler for mode over db with its statements; NULL (with an error) when out of memory
 * or a statement does not prepare. Free with filler_free. */
static struct filler *filler_new(sqlite3 *db, const struct openrec *k, const struct vault *v,
				 enum fill_mode mode)
{
	struct filler *f = calloc(1, sizeof(*f));

	if (!f)
		return error("out of memory"), NULL;
	*f = (struct filler){ .db = db, .k = k, .v = v, .mode = mode, .threads = cpu_count(),
			      .since = load_since(db) };
	f->known = odb_prep(db, mode == FILL_RETRY ? "SELECT 1 FROM records WHERE id = ?1" :
			    "SELECT 1 FROM records WHERE id = ?1 UNION ALL SELECT 1 FROM unopened WHERE id = ?1");
	f->ins = odb_prep(db, "INSERT INTO records(id, ref, received_at, created_at, created_day, week, hour,"
			  " device, seq, location, language, mode, crisis, acuut, kinds, crisis_date, legal,"
			  " effective, dl_kind, holidays, interpreter_language, revoked_at, person) VALUES(?1, ?2, ?3,"
			  " ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)");
	f->bad = odb_prep(db, "INSERT OR REPLACE INTO unopened(id, device, received_at, why) VALUES(?1, ?2, ?3, ?4)");
	f->gone = odb_prep(db, "DELETE FROM unopened WHERE id = ?1");
	f->seal = odb_prep(db, "UPDATE records SET person = ?2 WHERE id = ?1 AND person IS NULL AND erased_at IS NULL");
	if (f->known && f->ins && f->bad && f->gone && f->seal)
		return f;
	filler_free(f);
	return NULL;
}

static void filler_free(struct filler *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		entry_release(&f->batch[i]);
	sqlite3_finalize(f->known);
	sqlite3_finalize(f->ins);
	sqlite3_finalize(f->bad);
	sqlite3_finalize(f->gone);
	sqlite3_finalize(f->seal);
	free(f);
}

int oindex_sync(sqlite3 *db, struct store *s, const struct openrec *k, const struct vault *v,
		long long *added)
{
	struct filler *f = filler_new(db, k, v, FILL_NEW);
	int rc = -1;

	if (added)
		*added = 0;
	if (!f)
		return -1;
	if (odb_exec(db, "BEGIN", "index") == 0) {
		rc = store_list_since(s, &f->since, fill_row, f) == 0 ? 0 : -1;
		if (rc == 0 && (flush_batch(f) < 0 || save_since(db, f->since) < 0))
			rc = -1;
		if (odb_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", "index") < 0)
			rc = -1;
	}
	if (added)
		*added = rc == 0 ? f->added : 0;
	filler_free(f);
	return rc;
}

/* Appends id to the growing array *ids (*n used, *cap allocated). -1 when out of memory. */
static int push_id(char (**ids)[40], size_t *n, size_t *cap, const char *id)
{
	if (*n == *cap) {
		size_t want = *cap ? 2 * *cap : 64;
		char (*more)[40] = realloc(*ids, want * sizeof(**ids));
		if (!more)
			return error("out of memory");
		*ids = more, *cap = want;
	}
	if (util_fmt((*ids)[*n], sizeof((*ids)[*n]), "%s", id) >= 0)
		(*n)++;
	return 0;
}

/* The ids sql selects (one text column) in *ids (malloc'd 40-byte slots, caller frees;
 * NULL when none), *n of them. 0 ok, -1 error. */
static int select_ids(sqlite3 *db, const char *sql, char (**ids)[40], size_t *n)
{
	sqlite3_stmt *st = odb_prep(db, sql);
	size_t cap = 0;
	int rc = SQLITE_DONE;

	*ids = NULL, *n = 0;
	if (!st)
		return -1;
	while (rc == SQLITE_DONE && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		rc = !id || push_id(ids, n, &cap, id) == 0 ? SQLITE_DONE : SQLITE_NOMEM;
	}
	if (rc != SQLITE_DONE) {
		if (rc != SQLITE_NOMEM)
			error("office index: %s", sqlite3_errmsg(db));
		free(*ids);
		*ids = NULL, *n = 0;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Takes id's envelope from the store into the batch, flushing (and committing) a full
 * batch. An id the store no longer holds is left as it is. */
static int take_id(struct filler *f, struct store *s, const char *id)
{
	struct store_row row;
	int rc;

	if (f->mode == FILL_RETRY && is_known(f, id))
		return 0;   /* (indexed meanwhile) */
	if ((rc = store_get(s, id, &row)) != 0)
		return rc < 0 ? -1 : 0;
	rc = take_row(f, &row);
	store_row_release(&row);
	if (rc < 0 || f->n < BATCH)
		return rc;
	return flush_batch(f) < 0 || odb_exec(f->db, "COMMIT; BEGIN", "index batch") < 0 ? -1 : 0;
}

/* Runs mode over the ids sql selects, in batches of one transaction each; *done (may be
 * NULL) gets f->added and *tried the number of ids. */
static int fill_ids(sqlite3 *db, struct store *s, const struct openrec *k, const struct vault *v,
		    enum fill_mode mode, const char *sql, long long *tried, long long *done)
{
	struct filler *f = NULL;
	char (*ids)[40] = NULL;
	size_t n = 0;
	int rc = -1;

	if (tried)
		*tried = 0;
	if (done)
		*done = 0;
	if (select_ids(db, sql, &ids, &n) < 0)
		return -1;
	if (n == 0)
		return 0;
	if ((f = filler_new(db, k, v, mode)) && odb_exec(db, "BEGIN", "index") == 0) {
		rc = 0;
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = take_id(f, s, ids[i]);
		if (rc == 0 && flush_batch(f) < 0)
			rc = -1;
		if (odb_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", "index") < 0)
			rc = -1;
	}
	if (tried)
		*tried = rc == 0 ? (long long)n : 0;
	if (done && f)
		*done = rc == 0 ? f->added : 0;
	filler_free(f);
	free(ids);
	return rc;
}

int oindex_retry(sqlite3 *db, struct store *s, const struct openrec *k, const struct vault *v,
		 long long *tried, long long *indexed)
{
	return fill_ids(db, s, k, v, FILL_RETRY, "SELECT id FROM unopened ORDER BY received_at, id",
			tried, indexed);
}

int oindex_fill_person(sqlite3 *db, struct store *s, const struct openrec *k, const struct vault *v,
		       long long *filled)
{
	sqlite3_stmt *st;
	long long done = 0;
	int rc;

	if (filled)
		*filled = 0;
	if (!v)
		return 0;
	if ((st = odb_prep(db, "SELECT 1 FROM meta WHERE key = 'person_filled'")) && sqlite3_step(st) == SQLITE_ROW)
		return sqlite3_finalize(st), 0;   /* done before */
	sqlite3_finalize(st);
	rc = fill_ids(db, s, k, v, FILL_PERSON, "SELECT id FROM records WHERE person IS NULL AND erased_at IS NULL"
		      " ORDER BY received_at, id", NULL, &done);
	if (rc == 0)
		rc = odb_exec(db, "INSERT OR REPLACE INTO meta(key, value) VALUES('person_filled', 1)", "index");
	if (filled)
		*filled = rc == 0 ? done : 0;
	return rc;
}

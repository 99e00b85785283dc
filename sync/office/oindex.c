/*
 * oindex.c — filling the worklist index from the case store (oindex.h).
 */
#include "sync/record/record.h"
#include "sync/office/oindex.h"
#include "sync/office/odb.h"
#include "sync/record/seal.h"
#include "sync/casestore/store.h"
#include "sync/rules/triage.h"
#include "platform/util.h"

#include <stdlib.h>
#include <string.h>

#define BATCH 500

struct filler {
	sqlite3 *db;
	const struct seal_opener *o;
	sqlite3_stmt *known, *ins, *bad;
	long long added, in_batch;
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

/* Binds the index columns of rec; -1 with the reason when a field it needs is absent. */
static int bind_record(sqlite3_stmt *st, const struct store_row *row, const struct seal_info *info,
		       const json_t *rec, char *why, size_t size)
{
	const json_t *crisis = json_object_get(rec, "crisis"), *dl = json_object_get(rec, "deadline");
	const char *created = jstr(rec, "created_at"), *legal = jstr(dl, "legal");
	char day[11], week[16], ref[12], norm[16], kinds[128];
	struct ymd d, l;
	int acuut = json_is_true(json_object_get(crisis, "acuut"));

	if (!created || strlen(created) < 16 || (snprintf(day, sizeof(day), "%.10s", created), ymd_parse(day, &d)) < 0)
		return snprintf(why, size, "record has no usable created_at"), -1;
	if (!legal || ymd_parse(legal, &l) < 0)
		return snprintf(why, size, "record has no legal deadline"), -1;
	oindex_iso_week(d, week);
	record_ref_from_id(row->id, ref);
	oindex_norm_ref(ref, norm);
	kinds_text(crisis, kinds, sizeof(kinds));
	sqlite3_bind_text(st, 1, row->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, norm, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)row->received_at);
	sqlite3_bind_text(st, 4, created, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, day, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 6, week, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 7, atoi(created + 11));
	sqlite3_bind_text(st, 8, info->device_id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 9, info->seq);
	bind_opt(st, 10, jstr(rec, "location") ? jstr(rec, "location") : "?");
	bind_opt(st, 11, jstr(rec, "language") ? jstr(rec, "language") : "?");
	bind_opt(st, 12, jstr(rec, "mode") ? jstr(rec, "mode") : "?");
	sqlite3_bind_int(st, 13, json_is_true(json_object_get(crisis, "crisis")));
	sqlite3_bind_int(st, 14, acuut);
	sqlite3_bind_text(st, 15, kinds, -1, SQLITE_TRANSIENT);
	bind_opt(st, 16, jstr(crisis, "known_date"));
	bind_opt(st, 17, legal);
	sqlite3_bind_text(st, 18, acuut ? day : legal, -1, SQLITE_TRANSIENT);   /* acuut: call today */
	bind_opt(st, 19, jstr(dl, "kind"));
	bind_opt(st, 20, jstr(dl, "holidays_version"));
	bind_opt(st, 21, jstr(json_object_get(rec, "answers"), "interpreter_language"));
	sqlite3_bind_int64(st, 22, (sqlite3_int64)info->revoked_at);
	return 0;
}

static int put_unopened(struct filler *f, const struct store_row *row, const char *why)
{
	sqlite3_stmt *st = f->bad;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, row->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, row->device, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)row->received_at);
	sqlite3_bind_text(st, 4, why, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? 0 : error("office index: %s", sqlite3_errmsg(f->db));
}

static int is_known(struct filler *f, const char *id)
{
	int rc;

	sqlite3_reset(f->known);
	sqlite3_bind_text(f->known, 1, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(f->known);
	return rc == SQLITE_ROW;
}

/* Opens one envelope and indexes it (the same rules as inloopctl list). */
static int index_one(struct filler *f, const struct store_row *row)
{
	struct seal_info info;
	char why[256] = "", *json = NULL;
	size_t len = 0;
	json_t *rec;
	int rc;

	if (seal_open_at(f->o, row->body, row->len, row->received_at, &json, &len, &info, why, sizeof(why)) < 0)
		return put_unopened(f, row, why[0] ? why : "does not open");
	rec = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	util_clear_free(json);
	if (!rec)
		return put_unopened(f, row, "the opened record is not valid JSON");
	if (strcmp(info.record_id, row->id) != 0)
		snprintf(why, sizeof(why), "stored under id %s but signed as record %s", row->id, info.record_id);
	else if (strcmp(info.device_id, row->device) != 0)
		snprintf(why, sizeof(why), "uploaded by device %s but signed by %s", row->device, info.device_id);
	sqlite3_reset(f->ins);
	sqlite3_clear_bindings(f->ins);
	if (!why[0])
		bind_record(f->ins, row, &info, rec, why, sizeof(why));
	json_decref(rec);
	if (why[0])
		return put_unopened(f, row, why);
	rc = sqlite3_step(f->ins);
	if (rc != SQLITE_DONE)
		return error("office index: %s", sqlite3_errmsg(f->db));
	f->added++;
	return 0;
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

static int fill_row(const struct store_row *row, void *arg)
{
	struct filler *f = arg;

	if (is_known(f, row->id))
		return 0;
	if (index_one(f, row) < 0)
		return -1;
	if (++f->in_batch >= BATCH) {
		f->in_batch = 0;
		/* f->since lags this row by one: a crash here re-reads it, and is_known skips it */
		if (save_since(f->db, f->since) < 0 || odb_exec(f->db, "COMMIT; BEGIN", "index batch") < 0)
			return -1;
	}
	return 0;
}

int oindex_sync(sqlite3 *db, struct store *s, const struct seal_opener *o, long long *added)
{
	struct filler f = { db, o, NULL, NULL, NULL, 0, 0, load_since(db) };
	int rc = -1;

	if (added)
		*added = 0;
	f.known = odb_prep(db, "SELECT 1 FROM records WHERE id = ?1 UNION ALL SELECT 1 FROM unopened WHERE id = ?1");
	f.ins = odb_prep(db, "INSERT INTO records(id, ref, received_at, created_at, created_day, week, hour,"
			 " device, seq, location, language, mode, crisis, acuut, kinds, crisis_date, legal,"
			 " effective, dl_kind, holidays, interpreter_language, revoked_at) VALUES(?1, ?2, ?3, ?4,"
			 " ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)");
	f.bad = odb_prep(db, "INSERT INTO unopened(id, device, received_at, why) VALUES(?1, ?2, ?3, ?4)");
	if (f.known && f.ins && f.bad && odb_exec(db, "BEGIN", "index") == 0) {
		rc = store_list_since(s, &f.since, fill_row, &f) == 0 ? 0 : -1;
		if (rc == 0 && save_since(db, f.since) < 0)
			rc = -1;
		if (odb_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", "index") < 0)
			rc = -1;
	}
	sqlite3_finalize(f.known);
	sqlite3_finalize(f.ins);
	sqlite3_finalize(f.bad);
	if (added)
		*added = rc == 0 ? f.added : 0;
	return rc;
}

int oindex_open(struct store *s, const struct seal_opener *o, const char *id, json_t **rec,
		char *why, size_t size)
{
	struct store_row row;
	struct seal_info info;
	char *json = NULL;
	size_t len = 0;
	int rc = store_get(s, id, &row);

	*rec = NULL;
	if (rc != 0)
		return rc == 1 ? 1 : (snprintf(why, size, "case store error"), -1);
	rc = seal_open_at(o, row.body, row.len, row.received_at, &json, &len, &info, why, size);
	store_row_release(&row);
	if (rc < 0)
		return -1;
	*rec = json_loadb(json, len, JSON_REJECT_DUPLICATES, NULL);
	util_clear_free(json);
	if (!*rec)
		return snprintf(why, size, "the opened record is not valid JSON"), -1;
	return 0;
}

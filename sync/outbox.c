/*
 * outbox.c — the SQLite queue of sealed records (see outbox.h).
 *
 * Durability comes from SQLite: WAL with synchronous=FULL syncs the WAL on every commit,
 * so a record whose store call returned survives a crash. The sequence counter lives in
 * table meta and moves in the same BEGIN IMMEDIATE transaction as the insert, so a failed
 * seal or insert rolls both back: no gap, no repeat. Only envelopes and the metadata
 * needed to send them are stored; the record's plaintext exists only in memory here and
 * is wiped right after sealing.
 */
#include "sync/outbox.h"
#include "sync/seal.h"
#include "app/config.h"
#include "app/util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct outbox {
	sqlite3 *db;
	char path[4096];
	char location[128];
};

static int (*fault_fn)(const char *step, void *arg);
static void *fault_arg;

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS outbox("
	" id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, created_at TEXT NOT NULL,"
	" stored_at INTEGER NOT NULL, priority INTEGER NOT NULL, envelope BLOB NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',"
	" next_attempt_at INTEGER NOT NULL DEFAULT 0, held INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX IF NOT EXISTS outbox_due ON outbox(held, priority DESC, seq);";

static const char row_cols[] =
	"id, seq, created_at, priority, length(envelope), attempts, last_error, next_attempt_at, held";

void outbox_set_fault(int (*fn)(const char *step, void *arg), void *arg)
{
	fault_fn = fn;
	fault_arg = arg;
}

/* The test hook: non-zero means "pretend this step failed". */
static int fault(const char *step)
{
	if (fault_fn && fault_fn(step, fault_arg))
		return error("outbox: %s failed (injected fault)", step);
	return 0;
}

static int db_error(struct outbox *ob, const char *what)
{
	return error("outbox %s: %s: %s", ob->path, what, sqlite3_errmsg(ob->db));
}

static int exec(struct outbox *ob, const char *sql)
{
	if (sqlite3_exec(ob->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(ob, sql);
	return 0;
}

static int prepare(struct outbox *ob, const char *sql, sqlite3_stmt **st)
{
	if (sqlite3_prepare_v2(ob->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_error(ob, "prepare");
	return 0;
}

/* Runs a prepared statement that returns no rows and finalizes it. */
static int run_done(struct outbox *ob, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_error(ob, what);
}

/* Reads journal_mode / synchronous of this handle back (tests and outbox_open use it). */
int outbox_settings(struct outbox *ob, char *journal_mode, size_t size, int *synchronous)
{
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (prepare(ob, "PRAGMA journal_mode", &st) < 0)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    util_fmt(journal_mode, size, "%s", (const char *)sqlite3_column_text(st, 0)) >= 0)
		rc = 0;
	sqlite3_finalize(st);
	if (rc < 0 || prepare(ob, "PRAGMA synchronous", &st) < 0)
		return -1;
	rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
	*synchronous = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc;
}

/* Remembers the device's location from config.json beside the database, when present. */
static void load_location(struct outbox *ob)
{
	char dir[4096];
	char cfgpath[4200];
	struct device_config cfg;

	if (util_fmt(dir, sizeof(dir), "%s", ob->path) < 0)
		return;
	if (util_fmt(cfgpath, sizeof(cfgpath), "%s/config.json", dirname(dir)) < 0)
		return;
	if (access(cfgpath, F_OK) == 0 && config_load(dir, &cfg) == 0)
		memcpy(ob->location, cfg.location, sizeof(ob->location));
}

/* Sets the pragmas that make a commit durable and checks they took. */
static int configure(struct outbox *ob)
{
	char mode[16];
	int sync = 0;

	if (sqlite3_busy_timeout(ob->db, 10000) != SQLITE_OK)
		return db_error(ob, "busy_timeout");
	if (exec(ob, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;") < 0)
		return -1;
	if (outbox_settings(ob, mode, sizeof(mode), &sync) < 0)
		return -1;
	if (strcmp(mode, "wal") != 0 || sync != 2)
		return error("outbox %s: cannot switch to WAL with synchronous=FULL (got %s/%d)",
			     ob->path, mode, sync);
	return exec(ob, schema_sql);
}

int outbox_open(const char *path, struct outbox **out)
{
	struct outbox *ob = calloc(1, sizeof(*ob));
	int fd;

	*out = NULL;
	if (!ob)
		return error("outbox: out of memory");
	if (util_fmt(ob->path, sizeof(ob->path), "%s", path) < 0) {
		free(ob);
		return -1;
	}
	/* created 0600 before SQLite opens it: its -wal and -shm take the database's mode */
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) < 0) {
		error("outbox %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(ob);
		return -1;
	}
	close(fd);
	if (sqlite3_open_v2(path, &ob->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		error("cannot open outbox %s: %s", path,
		      ob->db ? sqlite3_errmsg(ob->db) : "out of memory");
		outbox_close(ob);
		return -1;
	}
	if (configure(ob) < 0) {
		outbox_close(ob);
		return -1;
	}
	if (chmod(path, 0600) < 0) {
		error("outbox %s: cannot make it private: %s", path, strerror(errno));
		outbox_close(ob);
		return -1;
	}
	load_location(ob);
	*out = ob;
	return 0;
}

void outbox_close(struct outbox *ob)
{
	if (!ob)
		return;
	sqlite3_close_v2(ob->db);
	free(ob);
}

/* A random (version 4) UUID from OpenSSL's CSPRNG, lowercase. */
static int make_uuid(char out[37])
{
	unsigned char b[16];

	if (RAND_bytes(b, sizeof(b)) != 1)
		return error("outbox: no random bytes for a record id");
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
	return 0;
}

/* ISO 8601 local time with a "+01:00" style offset (the process runs on Dutch time). */
static int format_time(time_t t, char out[40])
{
	struct tm tm;
	char buf[40];
	size_t n;

	if (!localtime_r(&t, &tm) || (n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S%z", &tm)) < 5)
		return error("outbox: cannot format the time");
	/* "+0100" -> "+01:00" */
	return util_fmt(out, 40, "%.*s:%s", (int)(n - 2), buf, buf + n - 2) < 0 ? -1 : 0;
}

/* Parses "YYYY-MM-DDTHH:MM:SS+HH:MM" (or Z) into a time_t; -1 when malformed. */
static int parse_time(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int y, mo, d, h, mi, se, oh = 0, om = 0, n = 0, offset;
	char sign = 'Z';

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || n != 19)
		return -1;
	if (strcmp(s + 19, "Z") != 0 &&
	    (sscanf(s + 19, "%c%2d:%2d", &sign, &oh, &om) != 3 || strlen(s + 19) != 6 ||
	     (sign != '+' && sign != '-')))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 || oh > 14 || om > 59)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	offset = oh * 3600 + om * 60;
	*out = timegm(&tm) - (sign == '-' ? -offset : sign == '+' ? offset : 0);
	return 0;
}

/* Fills the fields the outbox owns into record and returns the signing time. */
static int stamp_record(struct outbox *ob, struct seal_device *dev, json_t *record, const char *id,
			long long seq, time_t *created)
{
	json_t *c = json_object_get(record, "created_at");
	char when[40];

	if (c) {
		if (!json_is_string(c) || parse_time(json_string_value(c), created) < 0)
			return error("outbox: record has a malformed created_at");
	} else {
		*created = time(NULL);
		if (format_time(*created, when) < 0 ||
		    json_object_set_new(record, "created_at", json_string(when)) < 0)
			return error("outbox: out of memory");
	}
	if (json_object_set_new(record, "schema", json_string(SEAL_SCHEMA)) < 0 ||
	    json_object_set_new(record, "record_id", json_string(id)) < 0 ||
	    json_object_set_new(record, "seq", json_integer(seq)) < 0 ||
	    json_object_set_new(record, "device_id", json_string(seal_device_id(dev))) < 0)
		return error("outbox: out of memory");
	if (!json_object_get(record, "location") &&
	    json_object_set_new(record, "location", json_string(ob->location)) < 0)
		return error("outbox: out of memory");
	return 0;
}

/* The next sequence number (last + 1); must run inside the write transaction. */
static int next_seq(struct outbox *ob, long long *seq)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (fault("read_seq") < 0 || prepare(ob, "SELECT value FROM meta WHERE key='seq'", &st) < 0)
		return -1;
	rc = sqlite3_step(st);
	*seq = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) + 1 : 1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(ob, "read seq");
	if (fault("update_seq") < 0 ||
	    prepare(ob, "INSERT INTO meta(key, value) VALUES('seq', ?1) "
		    "ON CONFLICT(key) DO UPDATE SET value=excluded.value", &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, *seq);
	return run_done(ob, st, "advance seq");
}

/* Serialises and seals the record; the plaintext is wiped before it is freed. */
static int seal_json(struct seal_device *dev, const json_t *record, const struct seal_attrs *a,
		     unsigned char **der, size_t *der_len)
{
	char *json = json_dumps(record, JSON_COMPACT);
	size_t len;
	int rc;

	if (!json)
		return error("outbox: cannot serialise the record");
	len = strlen(json);
	rc = fault("seal") < 0 ? -1 : seal_record(dev, json, len, a, der, der_len);
	util_cleanse(json, len);
	free(json);
	return rc;
}

static int insert_row(struct outbox *ob, const char *id, long long seq, const char *created_at,
		      int priority, const unsigned char *der, size_t der_len)
{
	sqlite3_stmt *st = NULL;

	if (fault("insert") < 0 ||
	    prepare(ob, "INSERT INTO outbox(id, seq, created_at, stored_at, priority, envelope) "
		    "VALUES(?1, ?2, ?3, ?4, ?5, ?6)", &st) < 0)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, seq);
	sqlite3_bind_text(st, 3, created_at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (long long)time(NULL));
	sqlite3_bind_int(st, 5, priority);
	sqlite3_bind_blob64(st, 6, der, der_len, SQLITE_STATIC);
	return run_done(ob, st, "insert");
}

/* Everything between BEGIN IMMEDIATE and COMMIT: seq, stamp, seal, insert. */
static int store_in_tx(struct outbox *ob, struct seal_device *dev, json_t *record, int priority,
		       char id[37], long long *seq)
{
	struct seal_attrs a = { 0 };
	unsigned char *der = NULL;
	size_t der_len = 0;
	int rc;

	if (make_uuid(id) < 0 || next_seq(ob, seq) < 0 ||
	    stamp_record(ob, dev, record, id, *seq, &a.created_at) < 0)
		return -1;
	a.record_id = id;
	a.device_id = seal_device_id(dev);
	a.schema = SEAL_SCHEMA;
	a.seq = *seq;
	if (seal_json(dev, record, &a, &der, &der_len) < 0)
		return -1;
	rc = insert_row(ob, id, *seq, json_string_value(json_object_get(record, "created_at")),
			priority, der, der_len);
	OPENSSL_free(der);
	return rc;
}

int outbox_seal_store(struct outbox *ob, struct seal_device *dev, json_t *record, int priority,
		      char id_out[37], long long *seq_out)
{
	char id[37];
	long long seq = 0;

	if (!json_is_object(record))
		return error("outbox: the record is not a JSON object");
	if (fault("begin") < 0 || exec(ob, "BEGIN IMMEDIATE") < 0)
		return -1;
	if (store_in_tx(ob, dev, record, priority, id, &seq) < 0 || fault("commit") < 0 ||
	    exec(ob, "COMMIT") < 0) {
		if (!sqlite3_get_autocommit(ob->db))
			sqlite3_exec(ob->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (id_out)
		memcpy(id_out, id, sizeof(id));
	if (seq_out)
		*seq_out = seq;
	return 0;
}

/* Copies the current result row (selected with row_cols) into r. */
static void read_row(sqlite3_stmt *st, struct outbox_row *r)
{
	const char *s;

	memset(r, 0, sizeof(*r));
	s = (const char *)sqlite3_column_text(st, 0);
	snprintf(r->id, sizeof(r->id), "%s", s ? s : "");
	r->seq = sqlite3_column_int64(st, 1);
	s = (const char *)sqlite3_column_text(st, 2);
	snprintf(r->created_at, sizeof(r->created_at), "%s", s ? s : "");
	r->priority = sqlite3_column_int(st, 3);
	r->size = (size_t)sqlite3_column_int64(st, 4);
	r->attempts = sqlite3_column_int(st, 5);
	s = (const char *)sqlite3_column_text(st, 6);
	snprintf(r->last_error, sizeof(r->last_error), "%s", s ? s : "");
	r->next_attempt_at = sqlite3_column_int64(st, 7);
	r->held = sqlite3_column_int(st, 8);
}

int outbox_list(struct outbox *ob, int (*cb)(const struct outbox_row *r, void *arg), void *arg)
{
	char sql[256];
	sqlite3_stmt *st = NULL;
	struct outbox_row r;
	int rc, stop = 0;

	if (util_fmt(sql, sizeof(sql), "SELECT %s FROM outbox ORDER BY seq", row_cols) < 0 ||
	    prepare(ob, sql, &st) < 0)
		return -1;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &r);
		stop = cb(&r, arg);
	}
	sqlite3_finalize(st);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : db_error(ob, "list");
}

/* Copies the blob in column col into a malloc'd buffer. */
static int copy_blob(sqlite3_stmt *st, int col, unsigned char **der, size_t *len)
{
	const void *p = sqlite3_column_blob(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);

	*der = malloc(n ? n : 1);
	if (!*der)
		return error("outbox: out of memory");
	if (n)
		memcpy(*der, p, n);
	*len = n;
	return 0;
}

int outbox_next_batch(struct outbox *ob, long long now, struct outbox_row *rows, unsigned char **ders,
		      size_t *lens, int max)
{
	char sql[512];
	sqlite3_stmt *st = NULL;
	int n = 0, rc = SQLITE_DONE;

	if (max <= 0)
		return 0;
	if (util_fmt(sql, sizeof(sql), "SELECT %s, envelope FROM outbox WHERE held=0 AND "
		     "next_attempt_at<=?1 ORDER BY priority DESC, seq LIMIT ?2", row_cols) < 0 ||
	    prepare(ob, sql, &st) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, max);
	while (n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &rows[n]);
		if (copy_blob(st, 9, &ders[n], &lens[n]) < 0) {
			rc = SQLITE_NOMEM;
			break;
		}
		n++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		if (rc != SQLITE_NOMEM)
			db_error(ob, "next");
		sqlite3_finalize(st);
		while (n > 0)
			free(ders[--n]);
		return -1;
	}
	sqlite3_finalize(st);
	return n;
}

int outbox_next(struct outbox *ob, long long now, struct outbox_row *row, unsigned char **der, size_t *len)
{
	return outbox_next_batch(ob, now, row, der, len, 1);
}

int outbox_get(struct outbox *ob, const char *id, unsigned char **der, size_t *len)
{
	sqlite3_stmt *st = NULL;
	int rc, found = 0;

	if (prepare(ob, "SELECT envelope FROM outbox WHERE id=?1", &st) < 0)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		found = copy_blob(st, 0, der, len) < 0 ? -1 : 1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(ob, "get");
	return found;
}

/* Runs sql with ?1 = id (and ?2, ?3 as given); one statement, autocommit. */
static int update_by_id(struct outbox *ob, const char *sql, const char *id, long long n,
			const char *text, const char *what)
{
	sqlite3_stmt *st = NULL;

	if (prepare(ob, sql, &st) < 0)
		return -1;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, n);
	sqlite3_bind_text(st, 3, text ? text : "", -1, SQLITE_STATIC);
	return run_done(ob, st, what);
}

int outbox_delete(struct outbox *ob, const char *id)
{
	return update_by_id(ob, "DELETE FROM outbox WHERE id=?1", id, 0, NULL,
			    "delete");
}

int outbox_delete_many(struct outbox *ob, const char *const *ids, int n)
{
	if (exec(ob, "BEGIN IMMEDIATE") < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		if (outbox_delete(ob, ids[i]) < 0) {
			sqlite3_exec(ob->db, "ROLLBACK", NULL, NULL, NULL);
			return -1;
		}
	}
	if (exec(ob, "COMMIT") < 0) {
		if (!sqlite3_get_autocommit(ob->db))
			sqlite3_exec(ob->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

int outbox_defer(struct outbox *ob, const char *id, long long next_at, const char *err)
{
	return update_by_id(ob, "UPDATE outbox SET attempts=attempts+1, next_attempt_at=?2, "
			    "last_error=substr(?3, 1, 255) WHERE id=?1", id, next_at, err, "defer");
}

int outbox_hold(struct outbox *ob, const char *id, const char *err)
{
	return update_by_id(ob, "UPDATE outbox SET held=1, attempts=attempts+1, "
			    "last_error=substr(?3, 1, 255) WHERE id=?1", id, 0, err, "hold");
}

int outbox_counts(struct outbox *ob, struct outbox_counts *c)
{
	sqlite3_stmt *st = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	if (prepare(ob, "SELECT coalesce(sum(held=0), 0), coalesce(sum(held=1), 0), "
		    "coalesce(sum(held=0 AND priority>0), 0), "
		    "coalesce(min(CASE WHEN held=0 THEN stored_at END), 0) FROM outbox", &st) < 0)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		c->pending = sqlite3_column_int(st, 0);
		c->held = sqlite3_column_int(st, 1);
		c->crisis_pending = sqlite3_column_int(st, 2);
		c->oldest_pending = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_error(ob, "counts");
}

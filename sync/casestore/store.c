/*
 * store.c — the SQLite backend of store.h: the case store's envelopes in one file (WAL,
 * synchronous=FULL, so a commit is on disk before the server answers 201). The file is
 * 0600: SQLite gives its -wal and -shm files the mode of the database. At its end, the
 * dispatch of store.h's functions to a backend (this one or store_pg.c's PostgreSQL).
 */
#include "sync/casestore/store_backend.h"
#include "platform/util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/sha.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct store_sqlite {
	struct store base;        /* first: the operations */
	sqlite3 *db;
	sqlite3_stmt *get;
	sqlite3_stmt *ins;
	sqlite3_stmt *dup;
	int in_txn;
};

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS records("
	" id TEXT PRIMARY KEY NOT NULL,"
	" device TEXT NOT NULL,"
	" received_at INTEGER NOT NULL,"
	" size INTEGER NOT NULL,"
	" body BLOB NOT NULL,"
	" contacted TEXT,"
	" sha256 BLOB);"
	/* tombstones of envelopes erased after the retention period (sq_erase) */
	"CREATE TABLE IF NOT EXISTS erased("
	" id TEXT PRIMARY KEY NOT NULL, device TEXT NOT NULL, received_at INTEGER NOT NULL,"
	" size INTEGER NOT NULL, sha256 BLOB NOT NULL, erased_at INTEGER NOT NULL, rowid_was INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS erased_rowid ON erased(rowid_was);"
	/* sq_list_since's positions only grow: a new row never takes the rowid of an erased
	 * newest one (SQLite would reuse max(rowid) + 1) */
	"CREATE TRIGGER IF NOT EXISTS records_rowid_grows AFTER INSERT ON records"
	" WHEN NEW.rowid <= (SELECT coalesce(max(rowid_was), 0) FROM erased)"
	" BEGIN UPDATE records SET rowid = (SELECT max(rowid_was) FROM erased) + 1 WHERE rowid = NEW.rowid; END;";

/* Stores made before the digest column get it (and their digests, in backfill()). */
static const char digest_sql[] =
	"CREATE UNIQUE INDEX IF NOT EXISTS records_sha256 ON records(sha256);";

static int db_error(struct store_sqlite *s, const char *what)
{
	return error("case store: %s: %s", what, sqlite3_errmsg(s->db));
}

static int exec(struct store_sqlite *s, const char *sql)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, sql);
	return 0;
}

static int prepare(struct store_sqlite *s)
{
	if (sqlite3_prepare_v2(s->db, "SELECT id, device, received_at, body, contacted"
			       " FROM records WHERE id = ?1", -1, &s->get, NULL) != SQLITE_OK)
		return db_error(s, "prepare get");
	if (sqlite3_prepare_v2(s->db, "INSERT INTO records(id, device, received_at, size, body, sha256)"
			       " VALUES(?1, ?2, ?3, ?4, ?5, ?6)", -1, &s->ins, NULL) != SQLITE_OK)
		return db_error(s, "prepare put");
	return 0;
}

/* The duplicate check of sq_put (writers only: a read-only open of an older store has
 * neither the digest column nor the erased table). */
static int prepare_dup(struct store_sqlite *s)
{
	if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM records WHERE sha256 = ?1"
			       " UNION ALL SELECT 1 FROM erased WHERE sha256 = ?1", -1, &s->dup,
			       NULL) != SQLITE_OK)
		return db_error(s, "prepare duplicate check");
	return 0;
}

/* 1 when records has the sha256 column (stores made before it lack it). */
static int has_digest_column(struct store_sqlite *s)
{
	sqlite3_stmt *st = NULL;
	int found = 0;

	if (sqlite3_prepare_v2(s->db, "PRAGMA table_info(records)", -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW)
		found |= !strcmp((const char *)sqlite3_column_text(st, 1), "sha256");
	sqlite3_finalize(st);
	return found;
}

/* Fills the digest of every row that has none (a store made before the column). */
static int backfill(struct store_sqlite *s)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	unsigned char md[SHA256_DIGEST_LENGTH];
	int rc = -1;

	if (!has_digest_column(s) && exec(s, "ALTER TABLE records ADD COLUMN sha256 BLOB") < 0)
		return -1;
	if (sqlite3_prepare_v2(s->db, "SELECT rowid, body FROM records WHERE sha256 IS NULL", -1,
			       &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "UPDATE OR IGNORE records SET sha256 = ?2 WHERE rowid = ?1",
			       -1, &upd, NULL) != SQLITE_OK) {
		db_error(s, "prepare digest backfill");
		goto out;
	}
	while (sqlite3_step(sel) == SQLITE_ROW) {
		SHA256(sqlite3_column_blob(sel, 1), (size_t)sqlite3_column_bytes(sel, 1), md);
		sqlite3_bind_int64(upd, 1, sqlite3_column_int64(sel, 0));
		sqlite3_bind_blob(upd, 2, md, sizeof(md), SQLITE_STATIC);
		if (sqlite3_step(upd) != SQLITE_DONE) {
			db_error(s, "digest backfill");
			goto out;
		}
		sqlite3_reset(upd);
	}
	rc = exec(s, digest_sql);
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc;
}

static int setup(struct store_sqlite *s, int flags)
{
	if (sqlite3_busy_timeout(s->db, 200) != SQLITE_OK)
		return db_error(s, "busy timeout");
	/* Reading the schema is the first real read: it fails on a file that is not a db. */
	if (exec(s, "SELECT count(*) FROM sqlite_master") < 0)
		return -1;
	if (!(flags & STORE_READONLY)) {
		if (exec(s, "PRAGMA journal_mode=WAL") < 0 || exec(s, "PRAGMA synchronous=FULL") < 0)
			return -1;
		if (exec(s, schema_sql) < 0 || backfill(s) < 0 || prepare_dup(s) < 0)
			return -1;
	}
	return prepare(s);
}

/* Creates the database file 0600 before SQLite opens it (SQLite would use 0644), and
 * tightens an existing one: it holds every envelope, with device ids and times. */
static int private_file(const char *path, int flags)
{
	int fd;

	if (flags & STORE_READONLY)
		return 0;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return error("case store database %s: %s", path, strerror(errno));
	if (fchmod(fd, 0600) < 0) {
		close(fd);
		return error("case store database %s: cannot make it 0600: %s", path, strerror(errno));
	}
	close(fd);
	return 0;
}

static const struct store_ops sqlite_ops;
static void sq_row_release(struct store_row *row);
static void sq_close(struct store *base);
static void sq_rollback(struct store *base);
static int sq_begin(struct store *base);
static int sq_commit(struct store *base);

static int sq_open(const char *path, int flags, struct store **out)
{
	struct store_sqlite *s;
	int oflags = SQLITE_OPEN_FULLMUTEX;
	struct stat st;

	*out = NULL;
	if (stat(path, &st) < 0 && !(errno == ENOENT && (flags & STORE_CREATE)))
		return error("case store database %s: %s", path, strerror(errno));
	if (access(path, F_OK) == 0 && access(path, (flags & STORE_READONLY) ? R_OK : R_OK | W_OK) < 0)
		return error("case store database %s: %s", path, strerror(errno));
	if (!(flags & STORE_READONLY) && (access(path, F_OK) == 0 || (flags & STORE_CREATE)) &&
	    private_file(path, flags) < 0)
		return -1;
	oflags |= (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	if (flags & STORE_CREATE)
		oflags |= SQLITE_OPEN_CREATE;
	s = calloc(1, sizeof(*s));
	if (!s)
		return error("out of memory");
	s->base.ops = &sqlite_ops;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK || setup(s, flags) < 0) {
		error("cannot open case store database %s", path);
		sq_close(&s->base);
		return -1;
	}
	*out = &s->base;
	return 0;
}

static void sq_close(struct store *base)
{
	struct store_sqlite *s = (struct store_sqlite *)base;

	if (s->in_txn)
		sq_rollback(base);
	sqlite3_finalize(s->get);
	sqlite3_finalize(s->ins);
	sqlite3_finalize(s->dup);
	sqlite3_close(s->db);
	free(s);
}

static int sq_begin(struct store *base)
{
	struct store_sqlite *s = (struct store_sqlite *)base;

	if (s->in_txn)
		return 0;
	if (exec(s, "BEGIN IMMEDIATE") < 0)
		return -1;
	s->in_txn = 1;
	return 0;
}

static int sq_commit(struct store *base)
{
	struct store_sqlite *s = (struct store_sqlite *)base;

	if (!s->in_txn)
		return 0;
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		db_error(s, "commit");
		sq_rollback(base);
		return -1;
	}
	s->in_txn = 0;
	return 0;
}

static void sq_rollback(struct store *base)
{
	struct store_sqlite *s = (struct store_sqlite *)base;

	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_txn = 0;
}

static int sq_in_transaction(const struct store *base)
{
	const struct store_sqlite *s = (const struct store_sqlite *)base;

	return s->in_txn && !sqlite3_get_autocommit(s->db);
}

/* Compares the stored bytes of id (s->get already stepped to its row) with body. */
static enum store_put_result compare_existing(struct store_sqlite *s, const unsigned char *body, size_t len)
{
	const void *old = sqlite3_column_blob(s->get, 3);
	size_t old_len = (size_t)sqlite3_column_bytes(s->get, 3);

	if (old_len == len && (len == 0 || memcmp(old, body, len) == 0))
		return STORE_PUT_SAME;
	return STORE_PUT_CONFLICT;
}

/* 1 when a row holds these bytes (by digest), 0 not, -1 error. */
static int digest_known(struct store_sqlite *s, const unsigned char *md)
{
	int rc;

	if (!s->dup)
		return error("case store: opened read-only, cannot store");
	sqlite3_bind_blob(s->dup, 1, md, SHA256_DIGEST_LENGTH, SQLITE_STATIC);
	rc = sqlite3_step(s->dup);
	sqlite3_reset(s->dup);
	sqlite3_clear_bindings(s->dup);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_error(s, "look up digest");
}

/* An erased id is answered as when its envelope was there (sq_erase): the same bytes
 * SAME, others CONFLICT; CREATED when id was never erased. */
static enum store_put_result tombstone_check(struct store_sqlite *s, const char *id, const unsigned char *body,
					     size_t len)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	sqlite3_stmt *st = NULL;
	enum store_put_result r = STORE_PUT_CREATED;
	int rc;

	if (sqlite3_prepare_v2(s->db, "SELECT sha256 FROM erased WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "prepare tombstone"), STORE_PUT_ERROR;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		SHA256(body, len, md);
		r = sqlite3_column_bytes(st, 0) == (int)sizeof(md) && !memcmp(sqlite3_column_blob(st, 0), md, sizeof(md))
			    ? STORE_PUT_SAME : STORE_PUT_CONFLICT;
	} else if (rc != SQLITE_DONE) {
		r = STORE_PUT_ERROR;
		db_error(s, "look up tombstone");
	}
	sqlite3_finalize(st);
	return r;
}

static enum store_put_result sq_put(struct store *base, const char *id, const char *device,
				const unsigned char *body, size_t len, time_t received)
{
	struct store_sqlite *s = (struct store_sqlite *)base;

	enum store_put_result r = STORE_PUT_ERROR;
	unsigned char md[SHA256_DIGEST_LENGTH];
	int rc;

	sqlite3_bind_text(s->get, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->get);
	if (rc == SQLITE_ROW)
		r = compare_existing(s, body, len);
	else if (rc != SQLITE_DONE)
		db_error(s, "look up record");
	sqlite3_reset(s->get);
	sqlite3_clear_bindings(s->get);
	if (rc != SQLITE_DONE)
		return r;
	if ((r = tombstone_check(s, id, body, len)) != STORE_PUT_CREATED)
		return r;
	SHA256(body, len, md);   /* an id stored (or erased) already was answered above */
	rc = digest_known(s, md);
	if (rc != 0)
		return rc > 0 ? STORE_PUT_DUPLICATE : STORE_PUT_ERROR;
	sqlite3_bind_text(s->ins, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(s->ins, 2, device, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s->ins, 3, (sqlite3_int64)received);
	sqlite3_bind_int64(s->ins, 4, (sqlite3_int64)len);
	sqlite3_bind_blob(s->ins, 5, body, (int)len, SQLITE_STATIC);
	sqlite3_bind_blob(s->ins, 6, md, sizeof(md), SQLITE_STATIC);
	rc = sqlite3_step(s->ins);
	sqlite3_reset(s->ins);
	sqlite3_clear_bindings(s->ins);
	if (rc != SQLITE_DONE)
		return db_error(s, "insert record"), STORE_PUT_ERROR;
	return STORE_PUT_CREATED;
}

/* Fills row from the current result row of st (columns id, device, received_at, body,
 * contacted). The pointers stay valid until st is stepped or reset. */
static void fill_row(sqlite3_stmt *st, struct store_row *row)
{
	row->id = (const char *)sqlite3_column_text(st, 0);
	row->device = (const char *)sqlite3_column_text(st, 1);
	row->received_at = (time_t)sqlite3_column_int64(st, 2);
	row->body = sqlite3_column_blob(st, 3);
	row->len = (size_t)sqlite3_column_bytes(st, 3);
	row->contacted = (const char *)sqlite3_column_text(st, 4);
}

static int sq_get(struct store *base, const char *id, struct store_row *row)
{
	struct store_sqlite *s = (struct store_sqlite *)base;

	sqlite3_stmt *st = NULL;
	int rc;

	memset(row, 0, sizeof(*row));
	if (sqlite3_prepare_v2(s->db, "SELECT id, device, received_at, body, contacted"
			       " FROM records WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "prepare get");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fill_row(st, row);
		row->priv_ = st;
		row->release_ = sq_row_release;
		return 0;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 1 : db_error(s, "get record");
}

static void sq_row_release(struct store_row *row)
{
	sqlite3_finalize(row->priv_);
}

/* Steps st (prepared and bound) and hands each row to fn until fn returns non-zero; with
 * since, *since follows column 5 (the rowid) of every row fn took. Finalizes st. Returns
 * fn's non-zero answer, 0 at the end, -1 (naming what) on a database error. */
static int walk_rows(struct store_sqlite *s, sqlite3_stmt *st, long long *since, store_row_fn fn,
		     void *arg, const char *what)
{
	struct store_row row;
	int rc, stop = 0;

	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&row, 0, sizeof(row));
		fill_row(st, &row);
		if (!(stop = fn(&row, arg)) && since)
			*since = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : db_error(s, what);
}

static int sq_list(struct store *base, store_row_fn fn, void *arg)
{
	struct store_sqlite *s = (struct store_sqlite *)base;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, "SELECT id, device, received_at, body, contacted"
			       " FROM records ORDER BY received_at, rowid", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "prepare list");
	return walk_rows(s, st, NULL, fn, arg, "list records");
}

static int sq_list_since(struct store *base, long long *since, store_row_fn fn, void *arg)
{
	struct store_sqlite *s = (struct store_sqlite *)base;
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(s->db, "SELECT id, device, received_at, body, contacted, rowid"
			       " FROM records WHERE rowid > ?1 ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "prepare list since");
	sqlite3_bind_int64(st, 1, *since);
	return walk_rows(s, st, since, fn, arg, "list records since");
}

static int sq_mark_contacted(struct store *base, const char *id, const char *date)
{
	struct store_sqlite *s = (struct store_sqlite *)base;

	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, "UPDATE records SET contacted = ?2 WHERE id = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "prepare contacted");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, date, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return db_error(s, "mark contacted");
	return sqlite3_changes(s->db) == 1 ? 0 : 1;
}

static long long sq_count(struct store *base)
{
	struct store_sqlite *s = (struct store_sqlite *)base;

	sqlite3_stmt *st = NULL;
	long long n = -1;

	if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM records", -1, &st, NULL) != SQLITE_OK)
		return db_error(s, "prepare count");
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Moves id from records to a tombstone (digest of the bytes, no bytes) in one transaction;
 * secure_delete zeroes the freed pages and the WAL is checkpointed and truncated, so the
 * envelope's bytes do not stay in the file. */
static int sq_erase(struct store *base, const char *id)
{
	struct store_sqlite *s = (struct store_sqlite *)base;

	unsigned char md[SHA256_DIGEST_LENGTH];
	sqlite3_stmt *ins = NULL, *del = NULL;
	int rc, own = !s->in_txn;

	if (exec(s, "PRAGMA secure_delete=ON") < 0 || (own && sq_begin(base) < 0))
		return -1;
	sqlite3_bind_text(s->get, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s->get);
	if (rc == SQLITE_ROW)
		SHA256(sqlite3_column_blob(s->get, 3), (size_t)sqlite3_column_bytes(s->get, 3), md);
	sqlite3_reset(s->get);
	sqlite3_clear_bindings(s->get);
	if (rc != SQLITE_ROW) {
		if (own)
			sq_rollback(base);
		return rc == SQLITE_DONE ? 1 : db_error(s, "look up record to erase");
	}
	if (sqlite3_prepare_v2(s->db, "INSERT INTO erased(id, device, received_at, size, sha256, erased_at, rowid_was)"
			       " SELECT id, device, received_at, size, ?2, strftime('%s', 'now'), rowid FROM records"
			       " WHERE id = ?1", -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "DELETE FROM records WHERE id = ?1", -1, &del, NULL) != SQLITE_OK) {
		rc = db_error(s, "prepare erase");
		goto out;
	}
	sqlite3_bind_text(ins, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 2, md, sizeof(md), SQLITE_STATIC);
	sqlite3_bind_text(del, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(ins) == SQLITE_DONE && sqlite3_step(del) == SQLITE_DONE ? 0 : db_error(s, "erase record");
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(del);
	if (own && (rc < 0 || sq_commit(base) < 0)) {
		sq_rollback(base);
		return -1;
	}
	if (own)
		sqlite3_exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	return 0;
}

static const struct store_ops sqlite_ops = {
	.close = sq_close, .begin = sq_begin, .commit = sq_commit, .rollback = sq_rollback,
	.in_transaction = sq_in_transaction, .put = sq_put, .get = sq_get, .list = sq_list,
	.mark_contacted = sq_mark_contacted, .count = sq_count, .list_since = sq_list_since,
	.erase = sq_erase,
};

/* ------------------------------------------------------------------ the dispatch */

int store_is_url(const char *where)
{
	return where && (!strncmp(where, "postgresql://", 13) || !strncmp(where, "postgres://", 11));
}

int store_open(const char *where, int flags, struct store **out)
{
	*out = NULL;
	return store_is_url(where) ? store_pg_open(where, flags, out) : sq_open(where, flags, out);
}

void store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

int store_begin(struct store *s) { return s->ops->begin(s); }
int store_commit(struct store *s) { return s->ops->commit(s); }
void store_rollback(struct store *s) { s->ops->rollback(s); }
int store_in_transaction(const struct store *s) { return s->ops->in_transaction(s); }

enum store_put_result store_put(struct store *s, const char *id, const char *device,
				const unsigned char *body, size_t len, time_t received)
{
	return s->ops->put(s, id, device, body, len, received);
}

int store_get(struct store *s, const char *id, struct store_row *row)
{
	return s->ops->get(s, id, row);
}

void store_row_release(struct store_row *row)
{
	if (!row)
		return;
	if (row->release_)
		row->release_(row);
	memset(row, 0, sizeof(*row));
}

int store_list(struct store *s, store_row_fn fn, void *arg) { return s->ops->list(s, fn, arg); }

int store_list_since(struct store *s, long long *since, store_row_fn fn, void *arg)
{
	return s->ops->list_since(s, since, fn, arg);
}

int store_erase(struct store *s, const char *id) { return s->ops->erase(s, id); }

int store_mark_contacted(struct store *s, const char *id, const char *date)
{
	return s->ops->mark_contacted(s, id, date);
}

long long store_count(struct store *s) { return s->ops->count(s); }

/* The store a folder is configured for: the first line of URL_DIR/store.url (a
 * postgresql:// URL) when that file exists, else SQLITE_DIR/store.sqlite. */
int store_where(const char *url_dir, const char *sqlite_dir, char *buf, size_t size)
{
	char path[4096], *text = NULL;
	size_t len = 0;
	int rc;

	if (util_fmt(path, sizeof(path), "%s/store.url", url_dir) < 0)
		return -1;
	if (access(path, F_OK) < 0)
		return util_fmt(buf, size, "%s/store.sqlite", sqlite_dir) < 0 ? -1 : 0;
	if (util_read_file(path, 64 * 1024, &text, &len) < 0)
		return -1;
	text[strcspn(text, "\r\n")] = '\0';
	rc = store_is_url(text) ? util_fmt(buf, size, "%s", text) :
		error("%s does not hold a postgresql:// URL", path);
	free(text);
	return rc < 0 ? -1 : 0;
}

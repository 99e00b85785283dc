/*
 * odb.c — the office database: schema and opening (odb.h).
 */
#include "sync/office/odb.h"
#include "platform/util.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char schema_sql[] =
	"CREATE TABLE IF NOT EXISTS users("
	" name TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL, pwhash TEXT NOT NULL,"
	" totp BLOB NOT NULL, last_step INTEGER NOT NULL DEFAULT 0,"
	" disabled INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);"
	/* the index: what the worklist sorts and filters on; a name or a contact only sealed
	 * (person: vault.h), never in plaintext */
	"CREATE TABLE IF NOT EXISTS records("
	" id TEXT PRIMARY KEY NOT NULL, ref TEXT NOT NULL, received_at INTEGER NOT NULL,"
	" created_at TEXT NOT NULL, created_day TEXT NOT NULL, week TEXT NOT NULL, hour INTEGER NOT NULL,"
	" device TEXT NOT NULL, seq INTEGER NOT NULL, location TEXT NOT NULL, language TEXT NOT NULL,"
	" mode TEXT NOT NULL, crisis INTEGER NOT NULL, acuut INTEGER NOT NULL, kinds TEXT NOT NULL,"
	" crisis_date TEXT, legal TEXT, effective TEXT NOT NULL, dl_kind TEXT, holidays TEXT,"
	" interpreter_language TEXT, revoked_at INTEGER NOT NULL DEFAULT 0,"
	" status TEXT NOT NULL DEFAULT 'open', assignee TEXT, first_conv TEXT,"
	" handed_over INTEGER, erased_at INTEGER, person BLOB);"
	"CREATE INDEX IF NOT EXISTS records_work ON records("
	" first_conv IS NOT NULL, acuut DESC, effective, created_at, id);"
	"CREATE INDEX IF NOT EXISTS records_ref ON records(ref);"
	/* what the worklist reads besides its page, each costing what it shows, not the store:
	 * who is due (the open rows up to today), the locations and assignees for the filters */
	"DROP INDEX IF EXISTS records_due;"   /* (effective) only: the banner then read every open row */
	"CREATE INDEX IF NOT EXISTS records_open ON records(acuut, effective) WHERE first_conv IS NULL AND erased_at IS NULL;"
	/* a filtered page reads its rows in the worklist's order, with no sort of every match */
	"DROP INDEX IF EXISTS records_loc;"
	"DROP INDEX IF EXISTS records_assignee;"
	"CREATE INDEX IF NOT EXISTS records_work_loc ON records("
	" location, first_conv IS NOT NULL, acuut DESC, effective, created_at, id);"
	"CREATE INDEX IF NOT EXISTS records_work_assignee ON records("
	" assignee, first_conv IS NOT NULL, acuut DESC, effective, created_at, id);"
	/* the status, week and crisis-kind filters (a kind implies crisis = 1) in the list's
	 * order too: a filter that matches few rows reads those, not the whole store */
	"CREATE INDEX IF NOT EXISTS records_work_status ON records("
	" status, first_conv IS NOT NULL, acuut DESC, effective, created_at, id);"
	"CREATE INDEX IF NOT EXISTS records_work_week ON records("
	" week, first_conv IS NOT NULL, acuut DESC, effective, created_at, id);"
	"CREATE INDEX IF NOT EXISTS records_work_crisis ON records("
	" crisis, first_conv IS NOT NULL, acuut DESC, effective, created_at, id) WHERE crisis = 1;"
	"CREATE INDEX IF NOT EXISTS records_dev ON records(device, seq);"
	/* the case store's position (store_list_since) up to which the index is filled */
	"CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS unopened("
	" id TEXT PRIMARY KEY NOT NULL, device TEXT NOT NULL, received_at INTEGER NOT NULL,"
	" why TEXT NOT NULL);"
	/* history: every change kept, never overwritten */
	"CREATE TABLE IF NOT EXISTS events("
	" n INTEGER PRIMARY KEY AUTOINCREMENT, record_id TEXT NOT NULL, at INTEGER NOT NULL,"
	" user TEXT NOT NULL, kind TEXT NOT NULL, value TEXT, happened TEXT, note TEXT);"
	"CREATE INDEX IF NOT EXISTS events_rec ON events(record_id, n);"
	/* ... enforced: no line deleted, none changed but a note wiped by retention */
	"CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events"
	" BEGIN SELECT RAISE(ABORT, 'the history is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events"
	" WHEN NEW.n IS NOT OLD.n OR NEW.record_id IS NOT OLD.record_id OR NEW.at IS NOT OLD.at"
	" OR NEW.user IS NOT OLD.user OR NEW.kind IS NOT OLD.kind OR NEW.value IS NOT OLD.value"
	" OR NEW.happened IS NOT OLD.happened OR (NEW.note IS NOT OLD.note AND NEW.note IS NOT NULL)"
	" BEGIN SELECT RAISE(ABORT, 'the history is append-only (retention may only wipe a note)'); END;"
	"CREATE TABLE IF NOT EXISTS audit("
	" n INTEGER PRIMARY KEY, at INTEGER NOT NULL, user TEXT NOT NULL, addr TEXT NOT NULL,"
	" action TEXT NOT NULL, target TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);"
	"CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;";

int odb_path(char *buf, size_t size, const char *dir, const char *name)
{
	return util_fmt(buf, size, "%s/office/%s", dir, name) < 0 ? -1 : 0;
}

int odb_exec(sqlite3 *db, const char *sql, const char *what)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		error("office database: %s: %s", what, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *odb_prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
		error("office database: prepare: %s", sqlite3_errmsg(db));
		return NULL;
	}
	return st;
}

/* Creates the file with mode 0600 before SQLite does (SQLite would take the umask). */
static int make_private(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);

	if (fd < 0)
		return error("cannot create %s: %s", path, strerror(errno));
	if (fchmod(fd, 0600) < 0) {
		close(fd);
		return error("cannot make %s private: %s", path, strerror(errno));
	}
	close(fd);
	return 0;
}

/* An index made before rows kept their sealed list fields gets the column (NULL: such a
 * row opens its envelope when shown). */
static int add_person_column(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "SELECT person FROM records LIMIT 0", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_finalize(st);
		return 0;
	}
	return odb_exec(db, "ALTER TABLE records ADD COLUMN person BLOB", "add person");
}

int odb_open(const char *dir, sqlite3 **out)
{
	char folder[4096], path[4096];
	sqlite3 *db = NULL;

	*out = NULL;
	if (util_fmt(folder, sizeof(folder), "%s/office", dir) < 0 ||
	    odb_path(path, sizeof(path), dir, "office.sqlite") < 0)
		return -1;
	if (util_mkdirs(folder, 0700) < 0 || make_private(path) < 0)
		return -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX, NULL) != SQLITE_OK) {
		error("cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db, 2000);
	if (odb_exec(db, "PRAGMA journal_mode=WAL", "WAL") < 0 ||
	    odb_exec(db, "PRAGMA synchronous=FULL", "synchronous") < 0 ||
	    odb_exec(db, "PRAGMA foreign_keys=ON", "foreign keys") < 0 ||
	    odb_exec(db, "PRAGMA secure_delete=ON", "secure delete") < 0 ||   /* erased blobs leave the file */
	    odb_exec(db, schema_sql, "schema") < 0 || add_person_column(db) < 0) {
		sqlite3_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

/*
 * audit.c — the hash-chained audit log (audit.h).
 */
#include "sync/office/audit.h"
#include "sync/office/odb.h"
#include "platform/util.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HASH_HEX (crypto_hash_sha256_BYTES * 2 + 1)

static char head_path[4096];

void audit_init(const char *dir)
{
	if (odb_path(head_path, sizeof(head_path), dir, "audit.head") < 0)
		head_path[0] = '\0';
}

/* hash = SHA-256(prev \n n \n at \n user \n addr \n action \n target) in hex. */
static void line_hash(const char *prev, long long n, long long at, const char *user, const char *addr,
		      const char *action, const char *target, char out[HASH_HEX])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	char num[48];
	const char *parts[] = { prev, num, NULL, user, addr, action, target };
	char at_s[24];

	snprintf(num, sizeof(num), "%lld", n);
	snprintf(at_s, sizeof(at_s), "%lld", at);
	parts[2] = at_s;
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], strlen(parts[i]));
		crypto_hash_sha256_update(&st, (const unsigned char *)"\n", 1);
	}
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, HASH_HEX, h, sizeof(h));
}

/* The last line's number and hash (0 and 64 zeros when empty). */
static int last_line(sqlite3 *db, long long *n, char hash[HASH_HEX])
{
	sqlite3_stmt *st = odb_prep(db, "SELECT n, hash FROM audit ORDER BY n DESC LIMIT 1");
	int rc;

	*n = 0;
	memset(hash, '0', HASH_HEX - 1);
	hash[HASH_HEX - 1] = '\0';
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		snprintf(hash, HASH_HEX, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

static int write_head(long long n, const char *hash)
{
	char line[128];
	int len = snprintf(line, sizeof(line), "%lld %s\n", n, hash);

	if (!head_path[0])
		return 0;
	return util_write_file(head_path, line, (size_t)len, 0600);
}

int audit_add(sqlite3 *db, const char *user, const char *addr, const char *action, const char *target)
{
	char prev[HASH_HEX], hash[HASH_HEX];
	long long n, at = (long long)time(NULL);
	sqlite3_stmt *st;
	int rc;

	if (odb_exec(db, "BEGIN IMMEDIATE", "audit") < 0)
		return -1;
	if (last_line(db, &n, prev) < 0 || !(st = odb_prep(db, "INSERT INTO audit(n, at, user, addr,"
			" action, target, prev, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"))) {
		odb_exec(db, "ROLLBACK", "audit");
		return -1;
	}
	line_hash(prev, n + 1, at, user, addr, action, target, hash);
	sqlite3_bind_int64(st, 1, n + 1);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_text(st, 3, user, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, addr, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, action, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, target, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE || odb_exec(db, "COMMIT", "audit") < 0) {
		odb_exec(db, "ROLLBACK", "audit");
		return error("cannot write the audit log");
	}
	return write_head(n + 1, hash);
}

/* Compares the chain's end with audit.head (absent head: only an empty log is fine). */
static int check_head(long long n, const char *hash, char *why, size_t size)
{
	char *text = NULL, want[HASH_HEX];
	size_t len;
	long long hn = 0;
	int rc = 0;

	if (!head_path[0])
		return 0;
	if (util_read_file(head_path, 256, &text, &len) < 0)
		return n == 0 ? 0 : (snprintf(why, size, "audit.head is missing"), -1);
	if (sscanf(text, "%lld %64s", &hn, want) != 2 || hn != n || strcmp(want, hash) != 0) {
		snprintf(why, size, "the log ends at line %lld but audit.head says line %lld: truncated or rewritten", n, hn);
		rc = -1;
	}
	free(text);
	return rc;
}

int audit_verify(sqlite3 *db, long long *lines, char *why, size_t size)
{
	sqlite3_stmt *st = odb_prep(db, "SELECT n, at, user, addr, action, target, prev, hash FROM audit ORDER BY n");
	char prev[HASH_HEX], calc[HASH_HEX];
	long long expect = 1;
	int rc, bad = 0;

	*lines = 0;
	memset(prev, '0', HASH_HEX - 1);
	prev[HASH_HEX - 1] = '\0';
	if (!st)
		return -1;
	while (!bad && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		long long n = sqlite3_column_int64(st, 0);
#define COL(i) ((const char *)sqlite3_column_text(st, i))
		line_hash(prev, n, sqlite3_column_int64(st, 1), COL(2), COL(3), COL(4), COL(5), calc);
		if (n != expect)
			bad = snprintf(why, size, "line %lld is missing", expect);
		else if (strcmp(COL(6), prev) != 0 || strcmp(COL(7), calc) != 0)
			bad = snprintf(why, size, "line %lld was changed", n);
		snprintf(prev, sizeof(prev), "%s", COL(7));
#undef COL
		expect = n + 1;
	}
	sqlite3_finalize(st);
	if (bad)
		return -1;
	*lines = expect - 1;
	return check_head(expect - 1, prev, why, size);
}

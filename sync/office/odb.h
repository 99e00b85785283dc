/*
 * odb.h — the office's own SQLite database (DIR/office/office.sqlite, mode 0600, WAL,
 * synchronous=FULL): staff accounts, the worklist index (one row per record, no names or
 * contacts), the history of what the team did, and the audit chain. The case store's
 * envelopes stay in the case store; this file never holds a resident's name or contact in
 * plaintext (the worklist's sealed fields: vault.h).
 */
#ifndef INLOOP_OFFICE_ODB_H
#define INLOOP_OFFICE_ODB_H

#include <sqlite3.h>

/* Opens (creating when absent) DIR/office/office.sqlite with the schema; the folder is made
 * 0700 and the file 0600. *out is owned by the caller (sqlite3_close). */
int odb_open(const char *dir, sqlite3 **out);

/* Runs sql (no rows expected); -1 with an error naming what when it fails. */
int odb_exec(sqlite3 *db, const char *sql, const char *what);

/* Prepares sql; NULL with an error on failure. Caller finalizes. */
sqlite3_stmt *odb_prep(sqlite3 *db, const char *sql);

/* The path of a file in the office folder DIR/office/NAME into buf. */
int odb_path(char *buf, size_t size, const char *dir, const char *name);

#endif

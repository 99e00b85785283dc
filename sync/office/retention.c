/*
 * retention.c — erasing a record's contents after the retention period (issue 11
 * "Retention"; web.h retention_run). A record is due when its first conversation is
 * recorded and it was handed over to the client-tracking system more than the configured
 * number of days ago (a hand-over needs the first conversation, so it is the later of the
 * two). For each due record, in this order:
 *   1. an audit line "erase REF" (user "retention"): the log says what is about to happen;
 *   2. store_erase in the case store: the envelope goes, a tombstone stays, so a device
 *      that uploads the same record again gets 200 and it is not stored again (store.h);
 *   3. in the office database, one transaction: the notes of its history wiped, the index
 *      row marked erased (status, erased_at) and its sealed list fields (name, contact;
 *      vault.h) dropped. The row keeps what the stats count (week, location, hour, crisis,
 *      deadline, first conversation). secure_delete zeroes the freed bytes, and the WAL is
 *      checkpointed and truncated after the run, so none stays in the files.
 * With step 2, a visit of the record still waiting in the case store's spool is removed
 * (field_visit.h). A failure at 2 or 3 leaves the record due: the next run tries again (store_erase of an
 * id already erased answers 1, which counts as done).
 */
#include "sync/office/web.h"
#include "sync/office/audit.h"
#include "sync/office/field_visit.h"
#include "sync/office/odb.h"
#include "sync/casestore/store.h"

#include <stdlib.h>
#include <string.h>

/* Step 3 for id: notes wiped, row marked erased, in one transaction. */
static int mark_erased(sqlite3 *db, const char *id, time_t now)
{
	sqlite3_stmt *wipe = NULL, *up = NULL;
	int rc = -1;

	if (odb_exec(db, "BEGIN IMMEDIATE", "retention") < 0)
		return -1;
	wipe = odb_prep(db, "UPDATE events SET note = NULL WHERE record_id = ?1");
	up = odb_prep(db, "UPDATE records SET erased_at = ?2, status = 'erased', person = NULL WHERE id = ?1");
	if (wipe && up) {
		sqlite3_bind_text(wipe, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(up, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(up, 2, (sqlite3_int64)now);
		rc = sqlite3_step(wipe) == SQLITE_DONE && sqlite3_step(up) == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(wipe);
	sqlite3_finalize(up);
	if (odb_exec(db, rc == 0 ? "COMMIT" : "ROLLBACK", "retention") < 0)
		rc = -1;
	return rc;
}

/* The due records' ids and references into *ids and *refs (n each; the caller frees both). */
static int due_records(sqlite3 *db, long long cutoff, char ***ids, char ***refs, size_t *n)
{
	sqlite3_stmt *st = odb_prep(db, "SELECT id, ref FROM records WHERE erased_at IS NULL AND"
				    " first_conv IS NOT NULL AND handed_over IS NOT NULL AND handed_over <= ?1");
	size_t cap = 0;

	*ids = *refs = NULL;
	*n = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, cutoff);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			char **a = realloc(*ids, (cap = cap ? cap * 2 : 64) * sizeof(char *));
			char **b = a ? realloc(*refs, cap * sizeof(char *)) : NULL;
			if (a)
				*ids = a;
			if (!a || !b)
				break;
			*refs = b;
		}
		(*ids)[*n] = strdup((const char *)sqlite3_column_text(st, 0));
		(*refs)[*n] = strdup((const char *)sqlite3_column_text(st, 1));
		if (!(*ids)[(*n)++] || !(*refs)[*n - 1])
			break;   /* out of memory: the rest waits for the next run */
	}
	sqlite3_finalize(st);
	return 0;
}

int retention_run(struct office *of, int days)
{
	long long cutoff = (long long)time(NULL) - (long long)days * 86400;
	struct store *rw = NULL;
	char **ids, **refs;
	size_t n;
	int erased = 0;

	if (due_records(of->db, cutoff, &ids, &refs, &n) < 0)
		return -1;
	if (n && store_open(of->store_path, 0, &rw) < 0)
		erased = -1;
	for (size_t i = 0; rw && i < n; i++) {
		if (!ids[i] || !refs[i])
			continue;
		if (audit_add(of->db, "retention", "-", "erase", refs[i]) < 0 || store_erase(rw, ids[i]) < 0 ||
		    field_visit_erase_record(of, ids[i]) < 0 || mark_erased(of->db, ids[i], time(NULL)) < 0) {
			erased = -1;
			break;
		}
		erased++;
	}
	store_close(rw);
	if (erased > 0 && odb_exec(of->db, "PRAGMA wal_checkpoint(TRUNCATE)", "retention checkpoint") < 0)
		erased = -1;
	for (size_t i = 0; i < n; i++) {
		free(ids[i]);
		free(refs[i]);
	}
	free(ids);
	free(refs);
	return erased;
}

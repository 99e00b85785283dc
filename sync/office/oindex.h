/*
 * oindex.h — the worklist index (issue 11 "Scale and speed"): each envelope of the case
 * store is opened once, when the office first sees it, and what the list sorts and
 * filters on goes into the office database's `records` table (reference, times, device,
 * location, language, crisis kinds and date, deadlines, status, assignee). Names and
 * contacts are never indexed in plaintext: a row keeps them sealed under the office's
 * symmetric key (vault.h), so a page opens 50 small blobs instead of 50 envelopes.
 */
#ifndef INLOOP_OFFICE_OINDEX_H
#define INLOOP_OFFICE_OINDEX_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

#include "sync/rules/calendar.h"

struct store;
struct openrec;
struct vault;

/*
 * Indexes every stored envelope not yet in db (records, or `unopened` with the reason
 * when it fails the office's checks: each is opened the one way, openrec_row, so the
 * index holds the office's crisis, acuut and deadline, never the device's). Only what
 * arrived since the last call is read: the store's position (store_list_since) is kept in
 * db's meta table, committed with the rows, so a look with nothing new costs one indexed
 * query, whatever the size of the store. Envelopes are opened in batches on one thread per
 * core; each batch is one transaction. With v, each row also keeps its list fields
 * (oindex_person) sealed under v (vault.h) in `person`. *added (may be NULL) gets the
 * number of new rows. 0 ok, -1 error.
 */
int oindex_sync(sqlite3 *db, struct store *s, const struct openrec *k, const struct vault *v,
		long long *added);

/*
 * Opens again every record in `unopened`: the office's keys (a casestore-next.key added),
 * its form or holiday table may have changed since it was refused, or the store failed
 * at the time. One that opens now moves to records (with its sealed list fields under
 * v); the others keep their row, with the reason of this try. Call at start, after
 * oindex_sync (and from `inloop-office reindex --retry`); about one envelope opening per
 * refused row. *tried and *indexed (may be NULL) get the counts. 0 ok, -1 error.
 */
int oindex_retry(sqlite3 *db, struct store *s, const struct openrec *k, const struct vault *v,
		 long long *tried, long long *indexed);

/*
 * Once per office database (meta 'person_filled'): seals under v the list fields of the
 * rows indexed before `person` existed (person NULL, not erased), so their worklist rows
 * stop opening envelopes. A row whose envelope does not open stays as it was. Nothing
 * without v. *filled (may be NULL) gets the number of rows given their fields. 0 ok, -1 error.
 */
int oindex_fill_person(sqlite3 *db, struct store *s, const struct openrec *k, const struct vault *v,
		       long long *filled);

/* What a worklist row shows of a record: {"name", "contact", and "phone" or "email" when
 * that is the way chosen}, copied from its answers. Caller json_decref. */
json_t *oindex_person(const json_t *rec);

/* A reference as typed ("k7qf 2m9d", "K7QF-2M9D") to its canonical 8 characters
 * (upper case, dashes and spaces dropped, and O read as 0, I and L as 1: letters the
 * reference alphabet leaves out because they look like those digits) in out; "" when it
 * cannot be one. */
void oindex_norm_ref(const char *in, char out[16]);

/* ISO 8601 week of d, "2026-W19". */
void oindex_iso_week(struct ymd d, char out[16]);

#endif

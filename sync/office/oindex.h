/*
 * oindex.h — the worklist index (issue 11 "Scale and speed"): each envelope of the case
 * store is opened once, when the office first sees it, and what the list sorts and
 * filters on goes into the office database's `records` table (reference, times, device,
 * location, language, crisis kinds and date, deadlines, status, assignee). Names and
 * contacts are not indexed: pages open the envelopes of the rows they show.
 */
#ifndef INLOOP_OFFICE_OINDEX_H
#define INLOOP_OFFICE_OINDEX_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>

#include "sync/rules/calendar.h"

struct store;
struct seal_opener;

/*
 * Indexes every stored envelope not yet in db (records, or `unopened` with the reason
 * when it fails the acceptance rules). Only what arrived since the last call is read: the
 * store's position (store_list_since) is kept in db's meta table, committed with the rows,
 * so a look with nothing new costs one indexed query, whatever the size of the store.
 * *added (may be NULL) gets the number of new rows. 0 ok, -1 error.
 */
int oindex_sync(sqlite3 *db, struct store *s, const struct seal_opener *o, long long *added);

/*
 * Opens record id from the store (judged at its receipt time). On success *rec is the
 * record (caller json_decref; the process wipes jansson memory on free); 1 when the id is
 * not stored, -1 when it does not open (reason, never content, in why).
 */
int oindex_open(struct store *s, const struct seal_opener *o, const char *id, json_t **rec,
		char *why, size_t size);

/* A reference as typed ("k7qf 2m9d", "K7QF-2M9D") to its canonical 8 characters
 * (upper case, dashes and spaces dropped) in out; "" when it cannot be one. */
void oindex_norm_ref(const char *in, char out[16]);

/* ISO 8601 week of d, "2026-W19". */
void oindex_iso_week(struct ymd d, char out[16]);

#endif

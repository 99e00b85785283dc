/*
 * openrec.h — the one way the office opens a stored record (issue 10). The web pages,
 * the worklist index, `inloopctl list/show/export` and `inloopctl open` all come through
 * here, so each applies the same checks in the same order:
 *   1. seal_open_at, judged at the case store's receipt time (SEAL.md §8; P12);
 *   2. the opened bytes are one JSON object without duplicate keys;
 *   3. the store's id is the signed record id, and the device that uploaded it (mTLS) is
 *      the signer (rule 8; a file has no store row, so step 3 does not apply to it);
 *   4. recheck_record: the form's rules, and crisis, acuut and deadline the office's own.
 * A record that fails a step is refused with a reason that names ids and rules, never an
 * answer's value.
 */
#ifndef INLOOP_OFFICE_OPENREC_H
#define INLOOP_OFFICE_OPENREC_H

#include <jansson.h>
#include <stddef.h>

#include "sync/record/seal.h"
#include "sync/rules/calendar.h"

struct store;
struct store_row;
struct recheck;

/* What opening needs: the record-opening key(s) and the office's re-check. */
struct openrec {
	struct seal_opener *opener;
	struct recheck *recheck;
};

/* Loads the opening key(s) of office_dir (ROOT/office) and the shipped form and holiday
 * table into k; release with openrec_release. 0 ok, -1 with an error. */
int openrec_load(const char *office_dir, struct openrec *k);
void openrec_release(struct openrec *k);   /* wipes k; a zeroed k is a no-op */

/* One opened record. */
struct opened {
	json_t *rec;              /* re-checked: "crisis" and "deadline" are the office's */
	struct seal_info info;
	int triage_note;          /* 0, RECHECK_CHANGED or RECHECK_KEPT (say so to the team) */
	char *signed_json;        /* openrec_file only: the bytes as signed; else NULL */
	size_t signed_len;
};

/* Frees what o holds (wiped) and zeroes it. A zeroed o is a no-op. */
void opened_release(struct opened *o);

enum openrec_result {
	OPENREC_OK = 0,
	OPENREC_ABSENT = 1,       /* openrec_id: the id is not (or no longer) in the store */
	OPENREC_REFUSED = -1,     /* a step refused it: why says which */
	OPENREC_ERROR = -2,       /* the store failed or memory ran out: why says so */
};

/*
 * Opens a row of the store (steps 1-4). On OPENREC_OK *out is filled (release with
 * opened_release); otherwise *out is zeroed and why (size bytes) has the reason.
 * Safe to call from several threads at once with the same k.
 */
int openrec_row(const struct openrec *k, const struct store_row *row, struct opened *out,
		char *why, size_t size);

/* Looks id up in s and opens it as openrec_row does; OPENREC_ABSENT when not stored. */
int openrec_id(const struct openrec *k, struct store *s, const char *id, struct opened *out,
	       char *why, size_t size);

/* Opens an envelope from a file (steps 1, 2 and 4, judged now); out->signed_json keeps
 * the verified bytes as signed. */
int openrec_file(const struct openrec *k, const unsigned char *der, size_t len, struct opened *out,
		 char *why, size_t size);

/*
 * The effective deadline of an opened record (DESIGN.md "Deadlines"): the legal one, but
 * the day of registration for an acuut record ("call today"), and never a day after a
 * known crisis date. 0 with *due set; -1 when the record has no usable created_at or
 * legal deadline.
 */
int openrec_due(const json_t *rec, struct ymd *due);

#endif
